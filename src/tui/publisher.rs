//! The full-screen book's background publisher: while the TUI runs and
//! `[publish]` is set, the pages of customers whose figures changed go to
//! storage within a few seconds, on a thread with its own connection, so
//! no key waits for the network. The status line says when pages wait and
//! why, and when they have all gone out again.
//!
//! Invariant: it only runs `crate::publish::Publisher::due`, the same run
//! every command makes; what it does not send stays due in the book.

use std::time::Duration;

use super::worker::Worker;
use crate::ops::Book;
use crate::publish::{Publisher, Target};

/// What the publisher last found, for the status line.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct State {
    pub waiting: usize,
    /// Why pages wait (storage unreachable, refused), if they do.
    pub error: Option<String>,
}

pub struct Background {
    worker: Worker<State>,
    told: State,
}

/// How often the publisher looks for due pages.
const EVERY: Duration = Duration::from_secs(2);

impl Background {
    /// Starts the publisher when `[publish]` names a target.
    pub fn start(book: &Book) -> Option<Result<Background, String>> {
        let target = match Target::from_config(&book.config().publish) {
            Ok(Some(t)) => t,
            Ok(None) => return None,
            Err(e) => return Some(Err(e.to_string())),
        };
        let mut own = match book.sibling() {
            Ok(b) => b,
            Err(e) => return Some(Err(e.to_string())),
        };
        let worker = Worker::spawn(EVERY, move || {
            let publisher = Publisher { target: &target };
            match publisher.due(&mut own, Some(EVERY)) {
                Ok(run) => State {
                    waiting: run.waiting,
                    error: None,
                },
                Err(e) => State {
                    waiting: own.pages_waiting().unwrap_or(0),
                    error: Some(e.to_string()),
                },
            }
        });
        Some(Ok(Background {
            worker,
            told: State::default(),
        }))
    }

    /// A line for the status bar when what the publisher found changed
    /// since the last one said: (text, is an error).
    pub fn news(&mut self) -> Option<(String, bool)> {
        let now = self.worker.latest()?;
        if now == self.told {
            return None;
        }
        let was_failing = self.told.error.is_some();
        self.told = now.clone();
        let pages = crate::domain::text::count(now.waiting, "customer's pages", "customers' pages");
        match now.error {
            Some(why) => Some((format!("{pages} wait to be published: {why}"), true)),
            None if was_failing && now.waiting == 0 => Some((
                "Published: every payment page is current again".into(),
                false,
            )),
            None => None,
        }
    }
}
