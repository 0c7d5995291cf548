//! The customer's timeline: an append-only record of who did what and when,
//! with before → after for every change. Rows are never edited or deleted.

use chrono::{DateTime, Utc};

use super::customer::CustomerId;

#[derive(Debug, Clone, PartialEq)]
pub struct TimelineEvent {
    pub id: i64,
    pub customer_id: CustomerId,
    pub at: DateTime<Utc>,
    /// Who made the change: the front end and OS user, e.g. `cli:ann`.
    pub actor: String,
    /// A stable, machine-friendly verb such as `charge.posted`.
    pub action: String,
    /// Human-readable detail, including `before → after` for edits.
    pub detail: String,
}

/// One field that changed, for a `before → after` detail line.
pub fn change(field: &str, before: &str, after: &str) -> Option<String> {
    (before != after).then(|| format!("{field}: {before} → {after}"))
}
