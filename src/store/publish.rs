//! What the publisher reads and records: which customers' pages are due
//! (marked by triggers, migration 16), and what tally last put in storage
//! (`published`: key → content hash).
//!
//! Invariants: a due mark is cleared only by [`Tx::clear_due`] with the
//! `gen` the publisher read, so a change made while it worked keeps the
//! customer due; a `published` row is written only after storage accepted
//! the object and removed only after storage deleted it, so the table
//! never claims more than storage holds (it may claim less, after a
//! crash: the next publish sends that again).

use chrono::{DateTime, Utc};
use rusqlite::{OptionalExtension, params};

use super::{Reads, Result, Tx, ts};
use crate::domain::customer::CustomerId;
use crate::domain::link::Token;

impl Reads<'_> {
    /// Up to `limit` due customers, oldest mark first, with their mark.
    pub fn pages_due(&self, limit: usize) -> Result<Vec<(CustomerId, i64)>> {
        let mut stmt = self
            .conn
            .prepare_cached("SELECT customer_id, gen FROM pages_due ORDER BY gen LIMIT ?1")?;
        let rows = stmt.query_map([i64::try_from(limit).unwrap_or(i64::MAX)], |r| {
            Ok((CustomerId(r.get(0)?), r.get(1)?))
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// How many customers with pages (a live link, or pages still in
    /// storage) wait to be published.
    pub fn count_pages_due(&self) -> Result<usize> {
        let n: i64 = self.conn.query_row(
            "SELECT count(*) FROM pages_due d WHERE \
             EXISTS (SELECT 1 FROM payment_links l WHERE l.customer_id = d.customer_id AND l.revoked_at IS NULL) \
             OR EXISTS (SELECT 1 FROM published p WHERE p.customer_id = d.customer_id)",
            [],
            |r| r.get(0),
        )?;
        Ok(n as usize)
    }

    /// The fingerprint of the settings the pages were last made with.
    pub fn published_settings(&self) -> Result<Option<String>> {
        Ok(self
            .conn
            .query_row(
                "SELECT value FROM book_meta WHERE key = 'published_settings'",
                [],
                |r| r.get(0),
            )
            .optional()?)
    }

    /// Every live link, by customer.
    pub fn live_links(&self) -> Result<Vec<(CustomerId, Token)>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT customer_id, token FROM payment_links WHERE revoked_at IS NULL ORDER BY customer_id",
        )?;
        let rows = stmt.query_map([], |r| Ok((CustomerId(r.get(0)?), r.get::<_, String>(1)?)))?;
        let mut out = Vec::new();
        for row in rows {
            let (c, t) = row?;
            if let Some(t) = Token::parse(&t) {
                out.push((c, t));
            }
        }
        Ok(out)
    }

    /// What tally put in storage for a customer (`None`: the shared
    /// assets), as (key, hash).
    pub fn published_of(&self, customer: Option<CustomerId>) -> Result<Vec<(String, String)>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT key, hash FROM published WHERE customer_id IS ?1 ORDER BY key",
        )?;
        let rows = stmt.query_map([customer.map(|c| c.0)], |r| Ok((r.get(0)?, r.get(1)?)))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Every published key with its customer.
    pub fn published_all(&self) -> Result<Vec<(String, Option<CustomerId>)>> {
        let mut stmt = self
            .conn
            .prepare_cached("SELECT key, customer_id FROM published ORDER BY key")?;
        let rows = stmt.query_map([], |r| {
            Ok((r.get(0)?, r.get::<_, Option<i64>>(1)?.map(CustomerId)))
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }
}

impl Tx<'_> {
    pub fn record_published(
        &self,
        key: &str,
        customer: Option<CustomerId>,
        hash: &str,
        at: DateTime<Utc>,
    ) -> Result<()> {
        self.tx
            .prepare_cached(
                "INSERT INTO published (key, customer_id, hash, at) VALUES (?1, ?2, ?3, ?4) \
                 ON CONFLICT (key) DO UPDATE SET customer_id = excluded.customer_id, \
                 hash = excluded.hash, at = excluded.at",
            )?
            .execute(params![key, customer.map(|c| c.0), hash, ts(at)])?;
        Ok(())
    }

    pub fn forget_published(&self, key: &str) -> Result<()> {
        self.tx
            .prepare_cached("DELETE FROM published WHERE key = ?1")?
            .execute([key])?;
        Ok(())
    }

    /// Clears a customer's due mark if it is still `mark`; false when a
    /// newer change marked them again meanwhile.
    pub fn clear_due(&self, customer: CustomerId, mark: i64) -> Result<bool> {
        let n = self
            .tx
            .prepare_cached("DELETE FROM pages_due WHERE customer_id = ?1 AND gen = ?2")?
            .execute(params![customer.0, mark])?;
        Ok(n > 0)
    }

    /// The settings the published pages were last made with (a
    /// fingerprint); replaces it and returns whether it changed.
    pub fn swap_published_settings(&self, fingerprint: &str) -> Result<bool> {
        let before: Option<String> = self
            .tx
            .query_row(
                "SELECT value FROM book_meta WHERE key = 'published_settings'",
                [],
                |r| r.get(0),
            )
            .optional()?;
        if before.as_deref() == Some(fingerprint) {
            return Ok(false);
        }
        self.tx.execute(
            "INSERT OR REPLACE INTO book_meta (key, value) VALUES ('published_settings', ?1)",
            [fingerprint],
        )?;
        Ok(true)
    }

    /// Marks every customer with a live link or published pages due (a
    /// full publish, or the business's details changed).
    pub fn mark_all_due(&self) -> Result<()> {
        self.tx.execute_batch(
            "INSERT INTO pages_due (customer_id, gen) \
             SELECT id, (SELECT gen FROM pages_due_next) FROM ( \
                 SELECT customer_id AS id FROM payment_links WHERE revoked_at IS NULL \
                 UNION SELECT customer_id FROM published WHERE customer_id IS NOT NULL) \
             WHERE id IN (SELECT id FROM customers) \
             ON CONFLICT (customer_id) DO UPDATE SET gen = excluded.gen",
        )?;
        Ok(())
    }
}
