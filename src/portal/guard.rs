//! Rate limiting of misses: a client that opens too many links that do not
//! work (guessing tokens) is turned away for a while. Tokens carry 256
//! random bits, so guessing cannot succeed anyway; this keeps a guesser
//! from costing the book a query per try.
//!
//! Invariants: only misses count, so a customer reloading their own page is
//! never limited; memory stays bounded because expired windows are dropped
//! once the table grows past [`MAX_CLIENTS`].

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// Misses allowed per client per window.
pub const MAX_MISSES: u32 = 20;
/// How long a window lasts.
pub const WINDOW: Duration = Duration::from_secs(600);
const MAX_CLIENTS: usize = 10_000;

#[derive(Default)]
pub struct MissLimiter {
    clients: Mutex<HashMap<IpAddr, (Instant, u32)>>,
}

impl MissLimiter {
    /// If `ip` has used up its misses in the current window, how long
    /// until the window ends (for `Retry-After`).
    pub fn blocked(&self, ip: IpAddr, now: Instant) -> Option<Duration> {
        let clients = self.clients.lock().unwrap_or_else(|e| e.into_inner());
        let (start, n) = clients.get(&ip)?;
        let spent = now.duration_since(*start);
        (spent < WINDOW && *n >= MAX_MISSES).then(|| WINDOW - spent)
    }

    /// Counts one miss for `ip`.
    pub fn miss(&self, ip: IpAddr, now: Instant) {
        let mut clients = self.clients.lock().unwrap_or_else(|e| e.into_inner());
        if clients.len() >= MAX_CLIENTS {
            clients.retain(|_, (start, _)| now.duration_since(*start) < WINDOW);
        }
        let entry = clients.entry(ip).or_insert((now, 0));
        if now.duration_since(entry.0) >= WINDOW {
            *entry = (now, 0);
        }
        entry.1 = entry.1.saturating_add(1);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_client_is_blocked_after_its_misses_and_free_again_after_the_window() {
        let g = MissLimiter::default();
        let (a, b): (IpAddr, IpAddr) = ("10.0.0.1".parse().unwrap(), "10.0.0.2".parse().unwrap());
        let t0 = Instant::now();
        for _ in 0..MAX_MISSES - 1 {
            g.miss(a, t0);
        }
        assert!(g.blocked(a, t0).is_none());
        g.miss(a, t0);
        assert_eq!(g.blocked(a, t0), Some(WINDOW));
        assert_eq!(
            g.blocked(a, t0 + Duration::from_secs(60)),
            Some(WINDOW - Duration::from_secs(60))
        );
        assert!(g.blocked(b, t0).is_none(), "other clients are not affected");
        let later = t0 + WINDOW;
        assert!(g.blocked(a, later).is_none());
        g.miss(a, later);
        assert!(
            g.blocked(a, later).is_none(),
            "a new window starts from zero"
        );
    }
}
