//! A background loop beside the screen: runs one step every few seconds
//! on its own thread (with its own connection to the book, captured by
//! the step) and keeps the last step's finding for the status line. The
//! publisher and the mail sender are each one of these.
//!
//! Invariant: the screen never waits for it. Dropping it asks the loop to
//! stop and does not join: a step talking to the network may still be
//! running, and whatever it did not finish stays due in the book.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::Duration;

pub struct Worker<S> {
    state: Arc<Mutex<S>>,
    stop: Arc<AtomicBool>,
    handle: Option<JoinHandle<()>>,
}

impl<S: Clone + Default + Send + 'static> Worker<S> {
    /// Runs `step` now and then every `every` until dropped.
    pub fn spawn(every: Duration, mut step: impl FnMut() -> S + Send + 'static) -> Worker<S> {
        let state = Arc::new(Mutex::new(S::default()));
        let stop = Arc::new(AtomicBool::new(false));
        let (shared, stopping) = (Arc::clone(&state), Arc::clone(&stop));
        let handle = std::thread::spawn(move || {
            while !stopping.load(Ordering::Relaxed) {
                let found = step();
                if let Ok(mut s) = shared.lock() {
                    *s = found;
                }
                std::thread::sleep(every);
            }
        });
        Worker {
            state,
            stop,
            handle: Some(handle),
        }
    }

    /// What the last step found.
    pub fn latest(&self) -> Option<S> {
        self.state.lock().ok().map(|s| s.clone())
    }
}

impl<S> Drop for Worker<S> {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
        drop(self.handle.take());
    }
}
