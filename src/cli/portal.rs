//! `tally portal serve [--bind ADDR]`: serves customers' payment pages from
//! this book, read-only, next to a running TUI.

use std::io::Write;

use anyhow::Result;
use clap::Subcommand;

use crate::ops::Book;

#[derive(Debug, Subcommand)]
pub enum PortalCmd {
    /// Serve /p/TOKEN pages until stopped (Ctrl-C). Reads the book on every
    /// request, so pages show the latest entries.
    Serve {
        /// Address to listen on (default: [portal] bind in the config).
        #[arg(long, value_name = "HOST:PORT")]
        bind: Option<String>,
    },
}

pub fn run(book: Book, cmd: PortalCmd) -> Result<()> {
    let PortalCmd::Serve { bind } = cmd;
    let config = book.config().clone();
    let bind = bind.unwrap_or_else(|| config.portal.bind.clone());
    let path = book.path().to_path_buf();
    // The book was opened (and migrated) read-write above; the server only
    // ever opens it read-only.
    drop(book);
    let base = config.portal.base_url.clone();
    crate::portal::serve(path.clone(), config, &bind, |addr| {
        // Not println!: the server must keep serving if stdout is closed.
        let mut out = std::io::stdout();
        let _ = writeln!(
            out,
            "Serving payment pages from {} at http://{addr}",
            path.display()
        )
        .and_then(|()| writeln!(out, "Links point at {base}/p/…; Ctrl-C stops."))
        .and_then(|()| out.flush());
    })
}
