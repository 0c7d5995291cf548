//! The append-only customer timeline.

use chrono::{DateTime, Utc};
use rusqlite::params;

use super::{Reads, Result, Tx, parse_ts, ts};
use crate::domain::customer::CustomerId;
use crate::domain::timeline::TimelineEvent;

impl Reads<'_> {
    /// Newest first.
    pub fn timeline(&self, customer: CustomerId, limit: usize) -> Result<Vec<TimelineEvent>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT id, customer_id, at, actor, action, detail FROM timeline \
             WHERE customer_id = ?1 ORDER BY id DESC LIMIT ?2",
        )?;
        let rows = stmt.query_map(params![customer.0, limit as i64], |r| {
            Ok(TimelineEvent {
                id: r.get(0)?,
                customer_id: CustomerId(r.get(1)?),
                at: parse_ts(2, &r.get::<_, String>(2)?)?,
                actor: r.get(3)?,
                action: r.get(4)?,
                detail: r.get(5)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }
}

impl Tx<'_> {
    pub fn log(
        &self,
        customer: CustomerId,
        at: DateTime<Utc>,
        actor: &str,
        action: &str,
        detail: &str,
    ) -> Result<()> {
        self.tx.execute(
            "INSERT INTO timeline (customer_id, at, actor, action, detail) VALUES (?1, ?2, ?3, ?4, ?5)",
            params![customer.0, ts(at), actor, action, detail],
        )?;
        Ok(())
    }
}
