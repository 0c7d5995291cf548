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

use super::{Reads, Result, Tx, day, parse_day, ts};
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
        self.insert.execute(params![
            e.customer.0,
            e.kind.as_str(),
            minor(e.amount)?,
            minor(e.tax)?,
            e.description,
            e.method.map(Method::as_str),
            day(e.date),
            self.created,
            e.reference,
        ])?;
        Ok(())
    }
}

impl Tx<'_> {
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

    /// The customer with exactly this name, lowest id first.
    pub fn customer_id_by_name(&self, name: &str) -> Result<Option<CustomerId>> {
        Ok(self
            .conn
            .prepare_cached(
                "SELECT id FROM customers WHERE name = ?1 COLLATE NOCASE AND name = ?1 ORDER BY id LIMIT 1",
            )?
            .query_row([name], |r| Ok(CustomerId(r.get(0)?)))
            .optional()?)
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
