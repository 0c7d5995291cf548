//! Reads the whole-book reports (the aging screen's) on a thread of its
//! own, with its own connection, so the key that opens the screen answers
//! in one frame whatever the book's size: the screen shows what it last
//! read (or "Reading the book…") at once, and the rows when the pass is
//! done. The first read starts when the full screen opens, so the aging
//! screen usually has its rows before anyone asks.
//!
//! Invariant: the screen never waits for it; each answer is one snapshot
//! of the book, read by the same `ops` call the command line makes. A
//! request made while one is running is served after it (the newest
//! answer wins), so a change made meanwhile is never shown stale.

use std::sync::mpsc::{Receiver, Sender, TryRecvError, channel};

use super::action::Action;
use super::reports::ReportKind;
use crate::ops::Book;

pub struct ReportReader {
    ask: Sender<ReportKind>,
    answers: Receiver<Action>,
    /// Requests sent and not yet answered.
    waiting: usize,
}

impl ReportReader {
    /// A reader over its own connection to `book`; `None` for a book that
    /// cannot be opened twice (kept in memory): reports are then read on
    /// the screen's thread.
    pub fn start(book: &Book) -> Option<ReportReader> {
        let own = book.sibling().ok()?;
        let (ask, asked) = channel::<ReportKind>();
        let (answer, answers) = channel();
        std::thread::spawn(move || {
            while let Ok(kind) = asked.recv() {
                if answer
                    .send(super::effects::read_report(&own, kind))
                    .is_err()
                {
                    break;
                }
            }
        });
        Some(ReportReader {
            ask,
            answers,
            waiting: 0,
        })
    }

    /// Asks for `kind`; false when the reader is gone (the caller reads it
    /// itself).
    pub fn request(&mut self, kind: ReportKind) -> bool {
        let sent = self.ask.send(kind).is_ok();
        self.waiting += usize::from(sent);
        sent
    }

    /// Whether an answer is still to come (the screen then looks often).
    pub fn waiting(&self) -> bool {
        self.waiting > 0
    }

    /// The answers that arrived, oldest first.
    pub fn answers(&mut self) -> Vec<Action> {
        let mut out = Vec::new();
        loop {
            match self.answers.try_recv() {
                Ok(a) => {
                    self.waiting = self.waiting.saturating_sub(1);
                    out.push(a);
                }
                Err(TryRecvError::Empty) => break,
                Err(TryRecvError::Disconnected) => {
                    self.waiting = 0;
                    break;
                }
            }
        }
        out
    }

    /// Blocks until every request is answered (tests, and a screen that
    /// must show the rows in this frame).
    pub fn wait(&mut self) -> Vec<Action> {
        let mut out = Vec::new();
        while self.waiting > 0 {
            match self.answers.recv() {
                Ok(a) => {
                    self.waiting -= 1;
                    out.push(a);
                }
                Err(_) => self.waiting = 0,
            }
        }
        out
    }
}
