//! The full-screen book's background mail sender: while the TUI runs and
//! `[mail]` is set, it first runs the reminder schedule (as `tally
//! reminders run` does), then sends what the outbox holds every few
//! seconds, on a thread with its own connection, so no key waits for the
//! mail server. The status line says when mail waits or failed, and why.
//!
//! Invariant: it only runs `Book::run_reminders` and `mail::Sender::due`,
//! the same runs the commands make; what it does not send stays queued.

use std::time::Duration;

use super::worker::Worker;
use crate::mail::{Mailer, Sender};
use crate::ops::Book;

/// What the sender last found, for the status line.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct State {
    /// Reminders the schedule queued when the screen opened.
    pub reminded: usize,
    pub queued: usize,
    pub failed: usize,
    /// Messages a sender took and never settled: may have been sent.
    pub unknown: usize,
    /// Why mail waits (server unreachable), if it does.
    pub error: Option<String>,
}

pub struct Background {
    worker: Worker<State>,
    told: State,
}

/// How often the sender looks for queued mail.
const EVERY: Duration = Duration::from_secs(3);

impl Background {
    /// Starts the sender when `[mail]` is set.
    pub fn start(book: &Book) -> Option<Result<Background, String>> {
        let mailer = match Mailer::from_config(&book.config().mail) {
            Ok(Some(m)) => m,
            Ok(None) => return None,
            Err(e) => return Some(Err(e.to_string())),
        };
        let mut own = match book.sibling() {
            Ok(b) => b,
            Err(e) => return Some(Err(e.to_string())),
        };
        // The schedule runs once, before the first send.
        let mut reminded = None;
        let worker = Worker::spawn(EVERY, move || {
            let reminded =
                *reminded.get_or_insert_with(|| own.run_reminders().map(|r| r.len()).unwrap_or(0));
            let error = match (Sender { mailer: &mailer }).due(&mut own, Some(EVERY)) {
                Ok(run) => run.unreachable,
                Err(e) => Some(e.to_string()),
            };
            let counts = own.outbox_counts().unwrap_or_default();
            State {
                reminded,
                queued: counts.queued,
                failed: counts.failed,
                unknown: counts.unknown,
                error,
            }
        });
        Some(Ok(Background {
            worker,
            told: State::default(),
        }))
    }

    /// A line for the status bar when what the sender found changed since
    /// the last one said: (text, is an error).
    pub fn news(&mut self) -> Option<(String, bool)> {
        let now = self.worker.latest()?;
        if now == self.told {
            return None;
        }
        let before = std::mem::replace(&mut self.told, now.clone());
        let count = |n: usize| crate::domain::text::count(n, "email", "emails");
        if let Some(why) = &now.error {
            return Some((
                format!("{} wait to be sent: {why}", count(now.queued)),
                true,
            ));
        }
        if now.failed > before.failed || now.unknown > before.unknown {
            return Some((
                format!(
                    "{} failed, {} may have been sent: `tally mail outbox` says why",
                    count(now.failed),
                    count(now.unknown)
                ),
                true,
            ));
        }
        if now.reminded > before.reminded {
            return Some((
                format!(
                    "Reminder schedule: {} queued",
                    crate::domain::text::count(now.reminded, "reminder", "reminders")
                ),
                false,
            ));
        }
        (before.error.is_some() && now.queued == 0)
            .then(|| ("Mail: everything waiting was sent".into(), false))
    }
}
