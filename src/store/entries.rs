//! Line items (charges and credits) and the balance they maintain.
//!
//! Every writer here changes the entry and the customer's `balance_cents` in
//! the caller's transaction, so the two can never disagree.

use chrono::{DateTime, Utc};
use rusqlite::{OptionalExtension, Row, params};
use rust_decimal::Decimal;

use super::{Reads, Result, Tx, day, guard, parse_day, parse_ts, ts};
use crate::domain::customer::CustomerId;
use crate::domain::entry::{Entry, EntryId, EntryKind, Method, NewEntry};
use crate::domain::invoice::InvoiceId;

pub(super) const COLS: &str = "id, customer_id, kind, amount_cents, tax_cents, description, method, date, \
     created_at, invoice_id, reference, void_of, counterpart, memo_of";
/// How many columns [`COLS`] has: a query that adds its own reads them from here.
pub(super) const NCOLS: usize = 14;

/// [`COLS`] qualified with a table alias, for joins.
pub(super) fn cols_of(alias: &str) -> String {
    COLS.split(", ")
        .map(|c| format!("{alias}.{c}"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// How much of the credit whose id is `{id}` is used: allocated to invoices
/// plus paid out by refunds and transfers.
pub(super) fn used_of(id: &str) -> String {
    format!(
        "((SELECT COALESCE(SUM(amount_cents), 0) FROM allocations WHERE credit_id = {id}) + \
         (SELECT COALESCE(SUM(amount_cents), 0) FROM payout_sources WHERE credit_id = {id}))"
    )
}

/// An entry that no finalized invoice, allocation or payout holds (the
/// rows `entry edit` and `entry remove` may change), as a guard on `id = ?1`.
/// Payouts, both sides of a transfer, credit memos and void credits are
/// money that has moved: they are corrected with a new line, never edited.
const UNLOCKED: &str = "(invoice_id IS NULL OR invoice_id IN (SELECT id FROM invoices WHERE status = 'draft')) \
     AND kind <> 'payout' AND counterpart IS NULL AND memo_of IS NULL AND void_of IS NULL \
     AND NOT EXISTS (SELECT 1 FROM allocations WHERE credit_id = ?1) \
     AND NOT EXISTS (SELECT 1 FROM payout_sources WHERE credit_id = ?1)";

/// What a customer's balance is made of. The identity
/// `balance = available_credit − outstanding − uninvoiced` always holds.
#[derive(Debug, Clone, PartialEq)]
pub struct BalanceBreakdown {
    pub balance: Decimal,
    /// Credits not yet applied to an invoice.
    pub available_credit: Decimal,
    /// Remaining on finalized, unpaid invoices.
    pub outstanding: Decimal,
    /// Charges (with tax) not on a finalized invoice.
    pub uninvoiced: Decimal,
    /// Every charge with tax, less the totals of voided invoices and the
    /// credit memos written against invoices; never an opening balance.
    pub total_billed: Decimal,
    /// Every payment received, less what was refunded (void credits, credit
    /// memos, credit transferred in and opening balances are not money
    /// received).
    pub total_collected: Decimal,
    /// The balance brought from another system when the customer was
    /// imported (owner's sign: negative = they owed), zero for most.
    pub opening_balance: Decimal,
}

impl Reads<'_> {
    pub(super) fn entry_from(&self, r: &Row<'_>) -> rusqlite::Result<Entry> {
        let kind: String = r.get(2)?;
        let method: Option<String> = r.get(6)?;
        Ok(Entry {
            id: EntryId(r.get(0)?),
            customer_id: CustomerId(r.get(1)?),
            kind: EntryKind::parse(&kind).unwrap_or(EntryKind::Charge),
            amount: self.money(r.get(3)?),
            tax: self.money(r.get(4)?),
            description: r.get(5)?,
            method: method.as_deref().and_then(Method::parse),
            date: parse_day(7, &r.get::<_, String>(7)?)?,
            created_at: parse_ts(8, &r.get::<_, String>(8)?)?,
            invoice_id: r.get::<_, Option<i64>>(9)?.map(InvoiceId),
            reference: r.get(10)?,
            void_of: r.get::<_, Option<i64>>(11)?.map(InvoiceId),
            counterpart: r.get::<_, Option<i64>>(12)?.map(EntryId),
            memo_of: r.get::<_, Option<i64>>(13)?.map(InvoiceId),
        })
    }

    pub fn entry(&self, id: EntryId) -> Result<Option<Entry>> {
        let sql = format!("SELECT {COLS} FROM entries WHERE id = ?1");
        Ok(self
            .conn
            .prepare_cached(&sql)?
            .query_row([id.0], |r| self.entry_from(r))
            .optional()?)
    }

    /// A page of a customer's history, newest first.
    pub fn history(&self, customer: CustomerId, offset: usize, limit: usize) -> Result<Vec<Entry>> {
        let sql = format!(
            "SELECT {COLS} FROM entries WHERE customer_id = ?1 ORDER BY date DESC, id DESC LIMIT ?2 OFFSET ?3"
        );
        let mut stmt = self.conn.prepare_cached(&sql)?;
        let rows = stmt.query_map(params![customer.0, limit as i64, offset as i64], |r| {
            self.entry_from(r)
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    pub fn count_entries(&self, customer: CustomerId) -> Result<i64> {
        Ok(self.conn.query_row(
            "SELECT count(*) FROM entries WHERE customer_id = ?1",
            [customer.0],
            |r| r.get(0),
        )?)
    }

    /// The balance recomputed from every line item: for checks and tests,
    /// never for drawing (the maintained `balance_cents` is O(1)).
    pub fn recomputed_balance(&self, customer: CustomerId) -> Result<Decimal> {
        let cents: i64 = self.conn.query_row(
            "SELECT COALESCE(SUM(CASE kind WHEN 'credit' THEN amount_cents ELSE -(amount_cents + tax_cents) END), 0) \
             FROM entries WHERE customer_id = ?1",
            [customer.0],
            |r| r.get(0),
        )?;
        Ok(self.money(cents))
    }

    /// Customers whose maintained balance differs from their line items.
    pub fn balance_mismatches(&self) -> Result<Vec<CustomerId>> {
        let mut stmt = self.conn.prepare(
            "SELECT c.id FROM customers c LEFT JOIN entries e ON e.customer_id = c.id GROUP BY c.id \
             HAVING c.balance_cents <> COALESCE(SUM(CASE e.kind WHEN 'credit' THEN e.amount_cents \
             ELSE -(e.amount_cents + e.tax_cents) END), 0)",
        )?;
        let rows = stmt.query_map([], |r| Ok(CustomerId(r.get(0)?)))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// One customer's balance, split the way the customer screen shows it:
    /// their kept sums (`customer_sums`, migration 13) and their invoices,
    /// never a read of every entry they have. `tally check` proves the kept
    /// sums against the entries, and the identity against a set-wise sum.
    pub fn breakdown(&self, customer: CustomerId) -> Result<BalanceBreakdown> {
        let one = |sql: &str| -> Result<i64> {
            Ok(self
                .conn
                .prepare_cached(sql)?
                .query_row([customer.0], |r| r.get(0))?)
        };
        let sums = self
            .conn
            .prepare_cached(
                "SELECT c.balance_cents, c.uninvoiced_cents, COALESCE(s.charged_cents, 0), \
                 COALESCE(s.credited_cents, 0), COALESCE(s.memo_cents, 0), COALESCE(s.paid_cents, 0), \
                 COALESCE(s.paid_out_cents, 0), COALESCE(s.refunded_cents, 0), \
                 COALESCE(s.allocated_cents, 0) \
                 FROM customers c LEFT JOIN customer_sums s ON s.customer_id = c.id WHERE c.id = ?1",
            )?
            .query_row([customer.0], |r| {
                let mut v = [0i64; 9];
                for (i, x) in v.iter_mut().enumerate() {
                    *x = r.get(i)?;
                }
                Ok(v)
            })?;
        let [
            balance,
            on_no_invoice,
            charged,
            credits,
            memos,
            payments,
            paid_out,
            refunded,
            allocated,
        ] = sums;
        // Charges on drafts count as uninvoiced. Read from the drafts (few,
        // book-wide) inwards: from the customer's side it is every entry.
        let on_drafts = one("SELECT COALESCE(SUM(e.amount_cents + e.tax_cents), 0) \
             FROM invoices i CROSS JOIN entries e ON e.invoice_id = i.id \
             WHERE i.status = 'draft' AND e.customer_id = ?1 AND e.kind = 'charge'")?;
        let uninvoiced = on_no_invoice + on_drafts;
        let billed = charged
            - one(
                "SELECT COALESCE(SUM(total_cents), 0) FROM invoices WHERE customer_id = ?1 AND status = 'void'",
            )?;
        // Opening balances are neither billed nor collected here: they
        // were billed and collected (or not) in the system they came from.
        let (opening_charged, opening_credited) = self
            .conn
            .prepare_cached(
                "SELECT COALESCE(SUM(iif(kind = 'charge', amount_cents + tax_cents, 0)), 0), \
                 COALESCE(SUM(iif(kind = 'credit', amount_cents, 0)), 0) \
                 FROM entries WHERE customer_id = ?1 AND opening = 1",
            )?
            .query_row([customer.0], |r| {
                Ok((r.get::<_, i64>(0)?, r.get::<_, i64>(1)?))
            })?;
        let outstanding = one(
            "SELECT COALESCE(SUM(i.total_cents - COALESCE((SELECT SUM(amount_cents) FROM allocations \
             WHERE invoice_id = i.id), 0)), 0) FROM invoices i WHERE i.customer_id = ?1 AND i.status = 'open'",
        )?;
        Ok(BalanceBreakdown {
            balance: self.money(balance),
            available_credit: self.money(credits - allocated - paid_out),
            outstanding: self.money(outstanding),
            uninvoiced: self.money(uninvoiced),
            total_billed: self.money(billed - memos - opening_charged),
            total_collected: self.money(payments - refunded - opening_credited),
            opening_balance: self.money(opening_credited - opening_charged),
        })
    }
}

impl Tx<'_> {
    /// Marks a line just inserted as an opening balance: neither billed nor
    /// collected, booked against opening equity (migration 14). The day
    /// totals' triggers move it to the opening column.
    pub fn mark_opening(&self, entry: EntryId) -> Result<()> {
        let n = self.tx.execute(
            "UPDATE entries SET opening = 1 WHERE id = ?1 AND kind IN ('charge', 'credit')",
            [entry.0],
        )?;
        super::guard(n, || format!("entry {entry} is gone"))
    }

    pub fn insert_entry(
        &self,
        customer: CustomerId,
        e: &NewEntry,
        now: DateTime<Utc>,
    ) -> Result<EntryId> {
        self.tx.prepare_cached(
            "INSERT INTO entries (customer_id, kind, amount_cents, tax_cents, description, method, date, created_at) \
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)"
        )?.execute(
            params![
                customer.0,
                e.kind.as_str(),
                self.minor(e.amount)?,
                self.minor(e.tax)?,
                e.description,
                e.method.map(Method::as_str),
                day(e.date),
                ts(now),
            ],
        )?;
        let id = EntryId(self.tx.last_insert_rowid());
        let delta = crate::domain::entry::signed_total(e.kind, e.amount, e.tax);
        self.adjust_balance(customer, delta, now)?;
        Ok(id)
    }

    /// Replaces an entry's fields (kind and customer never change) and moves
    /// the balance by the difference.
    pub fn update_entry(&self, before: &Entry, after: &NewEntry, now: DateTime<Utc>) -> Result<()> {
        let n = self.tx.execute(
            &format!(
                "UPDATE entries SET amount_cents = ?2, tax_cents = ?3, description = ?4, method = ?5, \
                 date = ?6 WHERE id = ?1 AND {UNLOCKED}"
            ),
            params![
                before.id.0,
                self.minor(after.amount)?,
                self.minor(after.tax)?,
                after.description,
                after.method.map(Method::as_str),
                day(after.date),
            ],
        )?;
        guard(n, || format!("entry {} is locked", before.id))?;
        let delta = crate::domain::entry::signed_total(after.kind, after.amount, after.tax)
            - before.signed_total();
        self.adjust_balance(before.customer_id, delta, now)
    }

    pub fn delete_entry(&self, before: &Entry, now: DateTime<Utc>) -> Result<()> {
        let n = self.tx.execute(
            &format!("DELETE FROM entries WHERE id = ?1 AND {UNLOCKED}"),
            [before.id.0],
        )?;
        guard(n, || format!("entry {} is locked or gone", before.id))?;
        self.adjust_balance(before.customer_id, -before.signed_total(), now)
    }
}
