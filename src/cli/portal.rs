//! `tally portal serve [--bind ADDR]`: serves customers' payment pages from
//! this book, read-only, next to a running TUI. `tally portal publish`:
//! puts them in object storage (or a folder) instead, so they open with
//! this machine off; `--watch` keeps them current, `--check` looks at
//! them as a stranger would.

use std::io::Write;

use anyhow::Result;
use clap::Subcommand;

use super::output::{esay, say};
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
    /// Put every live link's pages where [publish] target says (an S3
    /// bucket or a folder): only what changed is sent, and pages of links
    /// no longer live are removed.
    Publish {
        /// Keep publishing each change as it is made, until stopped.
        #[arg(long)]
        watch: bool,
        /// Open a published page as a stranger would, and make sure the
        /// bucket cannot be listed (which would give every link away).
        #[arg(long, conflicts_with = "watch")]
        check: bool,
    },
}

impl PortalCmd {
    pub fn writes(&self) -> bool {
        matches!(self, PortalCmd::Publish { .. })
    }
}

pub fn run(mut book: Book, cmd: PortalCmd) -> Result<()> {
    let bind = match cmd {
        PortalCmd::Serve { bind } => bind,
        PortalCmd::Publish { watch, check } => return publish(&mut book, watch, check),
    };
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

fn target(book: &Book) -> Result<crate::publish::Target> {
    crate::publish::Target::from_config(&book.config().publish)?.ok_or_else(|| {
        anyhow::anyhow!(
            "[publish] target is not set: name a bucket (target = \"s3://my-bucket/pages\", with \
             endpoint for a store other than AWS) or a folder a static host serves, and set \
             [portal] base_url to the address the pages are reached at"
        )
    })
}

fn publish(book: &mut Book, watch: bool, check: bool) -> Result<()> {
    let target = target(book)?;
    if check {
        return super::publish_check::run(book, &target);
    }
    let publisher = crate::publish::Publisher { target: &target };
    let run = publisher.all(book)?;
    say!(
        "Published to {}: {} put, {} removed, for {}; {} waiting",
        target.describe(),
        crate::domain::text::count(run.put, "object", "objects"),
        run.deleted,
        crate::domain::text::count(run.customers, "customer", "customers"),
        run.waiting
    );
    if !watch {
        return Ok(());
    }
    say!("Watching for changes; Ctrl-C stops.");
    loop {
        std::thread::sleep(std::time::Duration::from_secs(1));
        match publisher.due(book, None) {
            Ok(r) if r.put + r.deleted > 0 => say!(
                "{}: {} put, {} removed for {}",
                chrono::Local::now().format("%H:%M:%S"),
                r.put,
                r.deleted,
                crate::domain::text::count(r.customers, "customer", "customers")
            ),
            Ok(_) => {}
            Err(e) => esay!("not published yet ({e}); trying again"),
        }
    }
}
