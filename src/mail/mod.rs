//! Mail: what tally says to customers ([`compose`]), the connection to
//! the owner's mail server ([`send`]), and the sender that empties the
//! outbox ([`Sender`]).
//!
//! Invariant: a message is sent at most once. The sender takes it (state
//! `sending`, committed) before handing it to the server and settles it
//! after the answer; a sender killed in between leaves it `sending`, which
//! the owner sees as "may have been sent" and only the owner retries.

pub mod compose;
pub mod send;

use std::time::{Duration, Instant};

use crate::domain::mail::{MAX_ATTEMPTS, backoff_secs};
use crate::ops::{Book, OpsError};
pub use send::{MailError, Mailer, Outgoing};

/// What one sending run did.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct Run {
    pub sent: usize,
    /// Put off by the server (4xx), to be tried again later.
    pub later: usize,
    /// Refused for good.
    pub failed: usize,
    /// Still queued (due now or later) when the run ended.
    pub waiting: usize,
    /// The server could not be reached: why.
    pub unreachable: Option<String>,
}

/// Sends what the outbox holds.
pub struct Sender<'a> {
    pub mailer: &'a Mailer,
}

impl Sender<'_> {
    /// Sends due messages one by one until none is due, the server cannot
    /// be reached, or `budget` is spent.
    pub fn due(&self, book: &mut Book, budget: Option<Duration>) -> Result<Run, OpsError> {
        let started = Instant::now();
        let mut run = Run::default();
        while budget.is_none_or(|b| started.elapsed() < b) {
            let Some(m) = book.take_message()? else {
                break;
            };
            let out = Outgoing {
                id: m.id,
                to: &m.recipient,
                subject: &m.subject,
                text: &m.text,
                html: &m.html,
                attachment: m
                    .attachment
                    .as_ref()
                    .map(|(n, b)| (n.as_str(), b.as_slice())),
            };
            match self.mailer.send(&out) {
                Ok(reply) => {
                    book.settle_sent(m.id, &reply)?;
                    run.sent += 1;
                }
                Err(MailError::Later { reply, .. }) if m.attempts + 1 < MAX_ATTEMPTS => {
                    book.settle_later(m.id, &reply, backoff_secs(m.attempts + 1), true)?;
                    run.later += 1;
                }
                Err(e @ MailError::Unreachable { .. }) => {
                    // Not the message's fault: it waits, at no cost, and
                    // nothing else is tried until the server answers.
                    book.settle_later(m.id, &e.to_string(), 0, false)?;
                    run.unreachable = Some(e.to_string());
                    break;
                }
                Err(e) => {
                    book.settle_failed(m.id, &e.to_string())?;
                    run.failed += 1;
                }
            }
        }
        run.waiting = book.outbox_counts()?.queued;
        Ok(run)
    }
}
