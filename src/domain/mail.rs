//! The vocabulary of mail tally sends: who a message is to, what kind it
//! is, and the states a message in the outbox passes through. Pure.
//!
//! Invariant: a message is sent at most once. It is `sending` from the
//! moment a sender takes it until the server's answer is recorded; one
//! still `sending` after [`SENDING_LEASE_SECS`] was taken by a sender that
//! died mid-send, so it "may have been sent" and only the owner retries it.

use crate::domain::customer::check_email;

/// How long a sender may hold a message before it counts as lost in
/// flight: longer than any SMTP exchange tally allows (timeouts are 30 s).
pub const SENDING_LEASE_SECS: i64 = 120;

/// An address with an optional display name, as a sender or recipient.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mailbox {
    pub name: Option<String>,
    pub address: String,
}

impl Mailbox {
    /// `Name <a@b.c>` or `a@b.c`; `None` when it is neither.
    pub fn parse(s: &str) -> Option<Mailbox> {
        let s = s.trim();
        let (name, address) = match (s.rfind('<'), s.ends_with('>')) {
            (Some(at), true) => (
                Some(s[..at].trim().trim_matches('"').trim().to_string()),
                &s[at + 1..s.len() - 1],
            ),
            (None, false) => (None, s),
            _ => return None,
        };
        check_email(address).ok()?;
        let name = name.filter(|n| !n.is_empty());
        if name
            .as_deref()
            .is_some_and(|n| n.chars().any(char::is_control))
        {
            return None;
        }
        Some(Mailbox {
            name,
            address: address.to_string(),
        })
    }
}

impl Mailbox {
    /// `Name <address>` for a header, the name stripped of what would
    /// need quoting; just the address when no name is left.
    pub fn format(name: &str, address: &str) -> String {
        let name: String = name
            .chars()
            .map(|c| {
                if c.is_control() || "<>\"\\,;:@()[]".contains(c) {
                    ' '
                } else {
                    c
                }
            })
            .collect();
        let name = name.split_whitespace().collect::<Vec<_>>().join(" ");
        if name.is_empty() {
            address.to_string()
        } else {
            format!("{name} <{address}>")
        }
    }
}

/// What a message is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// An invoice was finalized.
    Invoice,
    /// A payment was recorded.
    Receipt,
    /// A scheduled (or owner-sent) reminder of what is past due.
    Reminder,
    /// A statement the owner chose to send.
    Statement,
}

impl Kind {
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Invoice => "invoice",
            Kind::Receipt => "receipt",
            Kind::Reminder => "reminder",
            Kind::Statement => "statement",
        }
    }

    pub fn parse(s: &str) -> Option<Kind> {
        [
            Kind::Invoice,
            Kind::Receipt,
            Kind::Reminder,
            Kind::Statement,
        ]
        .into_iter()
        .find(|k| k.as_str() == s)
    }
}

/// Where a message is on its way out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum State {
    /// Waiting for a sender (again, after a passing failure).
    Queued,
    /// Taken by a sender, not yet answered.
    Sending,
    /// Accepted by the server.
    Sent,
    /// Refused for good; the server's reply says why.
    Failed,
}

impl State {
    pub fn as_str(self) -> &'static str {
        match self {
            State::Queued => "queued",
            State::Sending => "sending",
            State::Sent => "sent",
            State::Failed => "failed",
        }
    }

    pub fn parse(s: &str) -> Option<State> {
        [State::Queued, State::Sending, State::Sent, State::Failed]
            .into_iter()
            .find(|k| k.as_str() == s)
    }
}

/// How long to wait before trying a message again after the server put
/// it off (a 4xx reply) for the `attempts`-th time: 10 s, 20 s, 40 s …,
/// at most an hour. A server that cannot be reached at all is not the
/// message's fault: that costs no attempt and the next run tries again.
pub fn backoff_secs(attempts: u32) -> i64 {
    (10 * (1i64 << attempts.saturating_sub(1).min(12))).min(3600)
}

/// A message the server puts off this many times fails (about two and a
/// half hours of trying); the owner may retry it.
pub const MAX_ATTEMPTS: u32 = 10;

/// Which steps of a reminder schedule (days past due, increasing) an
/// invoice `days_late` has reached: the index of the latest, if any.
pub fn reached_step(schedule: &[u32], days_late: i64) -> Option<usize> {
    schedule.iter().rposition(|d| i64::from(*d) <= days_late)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mailboxes_parse_with_or_without_a_name() {
        let m = Mailbox::parse("Lawn & Garden <billing@example.com>").unwrap();
        assert_eq!(m.name.as_deref(), Some("Lawn & Garden"));
        assert_eq!(m.address, "billing@example.com");
        assert_eq!(Mailbox::parse("a@b.co").unwrap().name, None);
        for bad in [
            "",
            "nobody",
            "A <b@c.d",
            "x <a@b.c>\r\nBcc: e@f.g",
            "a@b.c, d@e.f",
        ] {
            assert!(Mailbox::parse(bad).is_none(), "{bad:?}");
        }
    }

    #[test]
    fn steps_are_reached_by_days_late() {
        let s = [3, 14, 30];
        assert_eq!(reached_step(&s, 2), None);
        assert_eq!(reached_step(&s, 3), Some(0));
        assert_eq!(reached_step(&s, 29), Some(1));
        assert_eq!(reached_step(&s, 400), Some(2));
        assert_eq!(reached_step(&[], 400), None);
    }

    #[test]
    fn backoff_doubles_up_to_an_hour() {
        assert_eq!(backoff_secs(1), 10);
        assert_eq!(backoff_secs(2), 20);
        assert_eq!(backoff_secs(20), 3600);
    }
}
