//! SQL for moving many rows at once: the lookups and prepared inserts an
//! import runs inside its one transaction, and the streamed reads an
//! export writes from.
//!
//! Invariant: an import's entries are inserted without touching balances;
//! the caller moves each customer's balance once, by the sum of what it
//! inserted for them, before the transaction commits.

use chrono::{DateTime, NaiveDate, Utc};
use rusqlite::{CachedStatement, OptionalExtension, params};
use rust_decimal::Decimal;

use super::{Reads, Result, Tx, parse_day, ts};
use crate::domain::customer::CustomerId;
use crate::domain::entry::{EntryKind, Method};

/// Inserts entries one prepared statement at a time.
pub struct EntrySink<'t> {
    insert: CachedStatement<'t>,
    cur: &'t crate::domain::Currency,
    created: String,
}

/// One entry to insert (a charge or a credit; payouts go through
/// [`Tx::insert_payout`], which needs the credits they use).
pub struct BulkEntry<'a> {
    pub customer: CustomerId,
    pub kind: EntryKind,
    pub amount: Decimal,
    pub tax: Decimal,
    pub description: &'a str,
    pub method: Option<Method>,
    pub reference: Option<&'a str>,
    pub date: NaiveDate,
}

impl EntrySink<'_> {
    pub fn insert(&mut self, e: &BulkEntry<'_>) -> Result<()> {
        let minor = |v: Decimal| self.cur.to_minor(v).ok_or(super::StoreError::Inexact(v));
        let mut date = [0u8; 10];
        self.insert.execute(params![
            e.customer.0,
            e.kind.as_str(),
            minor(e.amount)?,
            minor(e.tax)?,
            e.description,
            e.method.map(Method::as_str),
            day_in(e.date, &mut date),
            self.created,
            e.reference,
        ])?;
        Ok(())
    }
}

/// `YYYY-MM-DD` written into `buf`, without allocating.
fn day_in(d: NaiveDate, buf: &mut [u8; 10]) -> &str {
    use chrono::Datelike;
    let (y, m, dd) = (d.year().clamp(0, 9999) as u32, d.month(), d.day());
    for (i, v) in [
        (0, y / 1000),
        (1, y / 100 % 10),
        (2, y / 10 % 10),
        (3, y % 10),
        (5, m / 10),
        (6, m % 10),
        (8, dd / 10),
        (9, dd % 10),
    ] {
        buf[i] = b'0' + v as u8;
    }
    buf[4] = b'-';
    buf[7] = b'-';
    std::str::from_utf8(buf).unwrap_or("0000-00-00")
}

/// The trigger that indexes each new customer for search, exactly as
/// migration 2 wrote it (a test keeps the two the same).
pub(super) const SEARCH_INSERT_TRIGGER: &str = "CREATE TRIGGER customers_search_insert AFTER INSERT ON customers BEGIN
        INSERT INTO customer_search (rowid, name, email, phone) VALUES (new.id, new.name, new.email, new.phone);
    END";

impl Tx<'_> {
    /// Runs `f` without the per-row search trigger, then indexes every
    /// customer `f` created in one statement. A trigger on a full-text
    /// table makes SQLite flush that index after every insert; a large
    /// import would spend most of its time there.
    pub fn without_search_trigger<T, E: From<super::StoreError>>(
        &self,
        f: impl FnOnce() -> std::result::Result<T, E>,
    ) -> std::result::Result<T, E> {
        let run = || -> Result<i64> {
            self.tx
                .execute_batch("DROP TRIGGER customers_search_insert")?;
            Ok(self
                .tx
                .query_row("SELECT COALESCE(MAX(id), 0) FROM customers", [], |r| {
                    r.get(0)
                })?)
        };
        let before = run()?;
        let value = f()?;
        let restore = || -> Result<()> {
            self.tx.execute(
                "INSERT INTO customer_search (rowid, name, email, phone) \
                 SELECT id, name, email, phone FROM customers WHERE id > ?1",
                [before],
            )?;
            self.tx.execute_batch(SEARCH_INSERT_TRIGGER)?;
            Ok(())
        };
        restore()?;
        Ok(value)
    }

    /// Runs `f` with the entries indexes dropped, then builds them again
    /// from their own text, all inside this transaction (a reader never
    /// sees them missing). A large import inserts, then builds each index
    /// in one sorted pass: far cheaper than updating each at a random place
    /// for every row.
    pub fn without_entry_indexes<T, E: From<super::StoreError>>(
        &self,
        f: impl FnOnce() -> std::result::Result<T, E>,
    ) -> std::result::Result<T, E> {
        let saved = self.drop_schema_objects(
            "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'entries' AND sql IS NOT NULL",
            "INDEX",
        )?;
        let value = f()?;
        for (_, sql) in &saved {
            self.tx
                .execute_batch(sql)
                .map_err(super::StoreError::from)?;
        }
        Ok(value)
    }

    /// Drops what `query` lists (name, sql) and returns it, to be made
    /// again from the same text.
    fn drop_schema_objects(&self, query: &str, kind: &str) -> Result<Vec<(String, String)>> {
        let mut stmt = self.tx.prepare(query)?;
        let objects = stmt
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
            .collect::<rusqlite::Result<Vec<(String, String)>>>()?;
        for (name, _) in &objects {
            self.tx.execute_batch(&format!("DROP {kind} {name}"))?;
        }
        Ok(objects)
    }

    /// Runs `f`, which may only insert entries, without the per-row
    /// triggers that keep the day totals and each customer's uninvoiced
    /// sum; then adds everything `f` inserted to both in one grouped pass
    /// each, and puts the triggers back as they were, all inside this
    /// transaction.
    pub fn without_summary_triggers<T, E: From<super::StoreError>>(
        &self,
        f: impl FnOnce() -> std::result::Result<T, E>,
    ) -> std::result::Result<T, E> {
        let saved = self.drop_schema_objects(
            "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' \
             AND (name LIKE 'entries_days_%' OR name LIKE 'entries_uninvoiced_%')",
            "TRIGGER",
        )?;
        let before: i64 = self
            .tx
            .query_row("SELECT COALESCE(MAX(id), 0) FROM entries", [], |r| r.get(0))
            .map_err(super::StoreError::from)?;
        let value = f()?;
        self.catch_up_summaries(before)?;
        for (_, sql) in &saved {
            self.tx
                .execute_batch(sql)
                .map_err(super::StoreError::from)?;
        }
        Ok(value)
    }

    /// Adds the entries after `before` to the day totals and to their
    /// customers' uninvoiced sums.
    fn catch_up_summaries(&self, before: i64) -> Result<()> {
        self.tx.execute(
            "INSERT INTO day_totals \
             SELECT day, SUM(billed), SUM(collected), SUM(credited), SUM(paid_out), count(*) \
             FROM day_figures WHERE id > ?1 GROUP BY day \
             ON CONFLICT (day) DO UPDATE SET \
                billed_cents = billed_cents + excluded.billed_cents, \
                collected_cents = collected_cents + excluded.collected_cents, \
                credited_cents = credited_cents + excluded.credited_cents, \
                paid_out_cents = paid_out_cents + excluded.paid_out_cents, \
                entries = entries + excluded.entries",
            [before],
        )?;
        self.tx.execute(
            "UPDATE customers SET uninvoiced_cents = uninvoiced_cents + n.cents \
             FROM (SELECT customer_id, SUM(amount_cents + tax_cents) AS cents FROM entries \
                   WHERE id > ?1 AND kind = 'charge' AND invoice_id IS NULL GROUP BY customer_id) AS n \
             WHERE customers.id = n.customer_id",
            [before],
        )?;
        Ok(())
    }

    pub fn entry_sink(&self, now: DateTime<Utc>) -> Result<EntrySink<'_>> {
        Ok(EntrySink {
            insert: self.tx.prepare_cached(
                "INSERT INTO entries (customer_id, kind, amount_cents, tax_cents, description, method, \
                 date, created_at, reference) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
            )?,
            cur: self.cur,
            created: ts(now),
        })
    }

    /// Moves a customer's balance by what an import added for them.
    pub fn add_to_balance(
        &self,
        customer: CustomerId,
        delta: Decimal,
        now: DateTime<Utc>,
    ) -> Result<()> {
        self.adjust_balance(customer, delta, now)
    }
}

impl Reads<'_> {
    /// How many entries the book holds.
    pub fn entry_total(&self) -> Result<usize> {
        let n: i64 = self
            .conn
            .query_row("SELECT count(*) FROM entries", [], |r| r.get(0))?;
        Ok(n as usize)
    }

    /// The customer with this email (any case), lowest id first.
    pub fn customer_id_by_email(&self, email: &str) -> Result<Option<CustomerId>> {
        Ok(self
            .conn
            .prepare_cached(
                "SELECT id FROM customers WHERE email = ?1 COLLATE NOCASE ORDER BY id LIMIT 1",
            )?
            .query_row([email], |r| Ok(CustomerId(r.get(0)?)))
            .optional()?)
    }

    /// The customer with exactly this name, lowest id first. Found through
    /// the name-key index (a `COLLATE` on a bound value would make SQLite
    /// re-plan the statement on every call).
    pub fn customer_id_by_name(&self, name: &str) -> Result<Option<CustomerId>> {
        let key = crate::domain::customer::name_key(name);
        Ok(self
            .conn
            .prepare_cached(
                "SELECT id FROM customers WHERE name_key = ?1 AND name = ?2 ORDER BY id LIMIT 1",
            )?
            .query_row([key.as_str(), name], |r| Ok(CustomerId(r.get(0)?)))
            .optional()?)
    }

    /// Every customer as (id, name, email, balance), by id: what an import
    /// matches rows against.
    pub fn customer_keys(&self) -> Result<Vec<CustomerKey>> {
        let mut stmt = self
            .conn
            .prepare("SELECT id, name, email, balance_cents FROM customers ORDER BY id")?;
        let rows = stmt.query_map([], |r| {
            Ok((
                CustomerId(r.get(0)?),
                r.get(1)?,
                r.get(2)?,
                self.money(r.get(3)?),
            ))
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Every customer as (id, name), by id.
    pub fn customer_names(&self) -> Result<Vec<(i64, String)>> {
        let mut stmt = self
            .conn
            .prepare("SELECT id, name FROM customers ORDER BY id")?;
        let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Every entry, oldest first, with its customer and invoice number,
    /// handed to `f` one at a time (the book is never held in memory).
    pub fn each_entry(&self, mut f: impl FnMut(&ExportEntry) -> Result<()>) -> Result<()> {
        let mut stmt = self.conn.prepare(
            "SELECT e.id, e.customer_id, c.name, c.email, e.kind, e.amount_cents, e.tax_cents, \
             e.description, e.method, e.date, e.reference, e.counterpart IS NOT NULL, \
             COALESCE(i.number, v.number, m.number), e.void_of IS NOT NULL, e.memo_of IS NOT NULL \
             FROM entries e JOIN customers c ON c.id = e.customer_id \
             LEFT JOIN invoices i ON i.id = e.invoice_id AND i.status <> 'draft' \
             LEFT JOIN invoices v ON v.id = e.void_of LEFT JOIN invoices m ON m.id = e.memo_of \
             ORDER BY e.date, e.id",
        )?;
        let mut rows = stmt.query([])?;
        while let Some(r) = rows.next()? {
            let kind: String = r.get(4)?;
            let method: Option<String> = r.get(8)?;
            let e = ExportEntry {
                id: r.get(0)?,
                customer: r.get(1)?,
                name: r.get(2)?,
                email: r.get(3)?,
                kind: EntryKind::parse(&kind).unwrap_or(EntryKind::Charge),
                amount: self.money(r.get(5)?),
                tax: self.money(r.get(6)?),
                description: r.get(7)?,
                method: method.as_deref().and_then(Method::parse),
                date: parse_day(9, &r.get::<_, String>(9)?)?,
                reference: r.get(10)?,
                transfer: r.get(11)?,
                invoice: r.get(12)?,
                void: r.get(13)?,
                memo: r.get(14)?,
            };
            f(&e)?;
        }
        Ok(())
    }
}

/// (id, name, email, balance) of one customer, for matching import rows.
pub type CustomerKey = (CustomerId, String, Option<String>, Decimal);

/// An entry as exports write it.
#[derive(Debug, Clone, PartialEq)]
pub struct ExportEntry {
    pub id: i64,
    pub customer: i64,
    pub name: String,
    pub email: Option<String>,
    pub kind: EntryKind,
    pub amount: Decimal,
    pub tax: Decimal,
    pub description: String,
    pub method: Option<Method>,
    pub date: NaiveDate,
    pub reference: Option<String>,
    pub transfer: bool,
    pub invoice: Option<String>,
    pub void: bool,
    pub memo: bool,
}
