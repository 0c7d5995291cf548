//! The customer payment page (seed 001): `tally portal serve` answers
//! `/p/{token}` with what that customer owes, read from the same book file
//! the owner is working in. Read-only by construction.
//!
//! - `page`: the HTML, from `assets/portal.html`, `portal.css`, `portal.js`
//!   (compiled into the binary), with no IO.
//! - `server`: routes, security headers and limits, the accept loop.
//! - `guard`: the per-client limit on links that do not work.

mod guard;
pub mod page;
pub mod server;

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;

use anyhow::{Context, Result};

use crate::config::Config;
use crate::ops::Clock;

/// Binds `bind`, calls `ready` with the bound address (port 0 picks a free
/// one), and serves until the process is stopped.
pub fn serve(
    path: PathBuf,
    config: Config,
    bind: &str,
    ready: impl FnOnce(SocketAddr),
) -> Result<()> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .context("starting the web server")?;
    runtime.block_on(async {
        let listener = tokio::net::TcpListener::bind(bind).await.with_context(|| {
            format!("cannot listen on {bind}: use --bind HOST:PORT with a free port")
        })?;
        ready(listener.local_addr()?);
        let portal = Arc::new(server::Portal::new(path, config, Clock::System));
        let trusted = Arc::new(portal.trusted().to_vec());
        server::accept_loop(listener, server::router(portal), trusted).await;
        Ok(())
    })
}
