//! The append-only customer timeline.

use chrono::{DateTime, Utc};
use rusqlite::params;

use super::{Reads, Result, Tx, parse_ts, ts};
use crate::domain::customer::CustomerId;
use crate::domain::timeline::TimelineEvent;

impl Reads<'_> {
    /// A window of a customer's timeline, newest first.
    pub fn timeline(
        &self,
        customer: CustomerId,
        offset: usize,
        limit: usize,
    ) -> Result<Vec<TimelineEvent>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT id, customer_id, at, actor, action, detail FROM timeline \
             WHERE customer_id = ?1 ORDER BY id DESC LIMIT ?2 OFFSET ?3",
        )?;
        let limit = i64::try_from(limit).unwrap_or(i64::MAX);
        let rows = stmt.query_map(params![customer.0, limit, offset as i64], |r| {
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

impl Reads<'_> {
    pub fn count_timeline(&self, customer: CustomerId) -> Result<usize> {
        let n: i64 = self.conn.query_row(
            "SELECT count(*) FROM timeline WHERE customer_id = ?1",
            [customer.0],
            |r| r.get(0),
        )?;
        Ok(n as usize)
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
        self.log_many(at, actor, action, std::iter::once((customer, detail)))
    }

    /// One timeline line for each (customer, detail), all at `at`.
    pub fn log_many<S: AsRef<str>>(
        &self,
        at: DateTime<Utc>,
        actor: &str,
        action: &str,
        lines: impl Iterator<Item = (CustomerId, S)>,
    ) -> Result<()> {
        let mut stmt = self.tx.prepare_cached(
            "INSERT INTO timeline (customer_id, at, actor, action, detail) VALUES (?1, ?2, ?3, ?4, ?5)",
        )?;
        let at = ts(at);
        for (customer, detail) in lines {
            stmt.execute(params![customer.0, at, actor, action, detail.as_ref()])?;
        }
        Ok(())
    }
}
