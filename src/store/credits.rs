//! A customer's credit: where each credit came from, what used it, and the
//! writes that pay credit out (refunds), move it (transfers) or write it
//! against a paid invoice (credit memos).
//!
//! Invariants kept here, in the caller's transaction: a payout uses exactly
//! its amount of its own customer's credits (oldest first, through
//! `payout_sources`), and moves the balance with it; a credit never has more
//! used (allocated plus paid out) than its amount.

use chrono::{DateTime, NaiveDate, Utc};
use rusqlite::params;
use rust_decimal::Decimal;

use super::entries::{NCOLS, cols_of};
use super::{Reads, Result, StoreError, Tx, day, guard, ts};
use crate::domain::customer::CustomerId;
use crate::domain::entry::{Entry, EntryId, EntryKind, Method};
use crate::domain::invoice::InvoiceId;

/// Where a credit came from (seed 003 "Credit operations").
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CreditSource {
    /// A payment that paid invoices and had money left over.
    Overpaid,
    /// A payment not applied to any invoice (yet).
    Prepayment,
    /// A payment used in full.
    Payment,
    CreditMemo,
    Void,
    TransferIn,
}

impl CreditSource {
    pub fn label(self) -> &'static str {
        match self {
            CreditSource::Overpaid => "payment overpaid",
            CreditSource::Prepayment => "prepayment",
            CreditSource::Payment => "payment",
            CreditSource::CreditMemo => "credit memo",
            CreditSource::Void => "void",
            CreditSource::TransferIn => "transfer in",
        }
    }
}

/// One row of the Credits tab: a credit with what used it, or a payout.
#[derive(Debug, Clone, PartialEq)]
pub struct CreditItem {
    pub entry: Entry,
    /// Allocated to invoices (credits only).
    pub applied: Decimal,
    /// Paid out by refunds or transfers (credits only).
    pub paid_out: Decimal,
    /// The invoices it went to (credits), oldest first.
    pub invoices: Vec<String>,
    /// For a payout: the other customer of a transfer, by name.
    pub other_customer: Option<(CustomerId, String)>,
}

impl CreditItem {
    /// What is left of a credit to apply or pay out (zero for a payout).
    pub fn left(&self) -> Decimal {
        match self.entry.kind {
            EntryKind::Credit => self.entry.amount - self.applied - self.paid_out,
            _ => Decimal::ZERO,
        }
    }

    /// The source of a credit, or what a payout was, in words.
    pub fn what(&self) -> String {
        match self.source() {
            Some(s) => s.label().to_string(),
            None => self.entry.label().to_lowercase(),
        }
    }

    /// Where a credit or payout went: invoices, paid out, another customer.
    pub fn went_to(&self) -> String {
        let mut parts = self.invoices.clone();
        if self.entry.kind == EntryKind::Credit && !self.paid_out.is_zero() {
            parts.push("paid out".into());
        }
        if let Some((id, name)) = &self.other_customer {
            let dir = if self.entry.kind == EntryKind::Payout {
                "to"
            } else {
                "from"
            };
            parts.push(format!("{dir} {name} (#{id})"));
        }
        parts.join(", ")
    }

    /// Where the credit came from; `None` for a payout.
    pub fn source(&self) -> Option<CreditSource> {
        let e = &self.entry;
        if e.kind != EntryKind::Credit {
            return None;
        }
        Some(if e.void_of.is_some() {
            CreditSource::Void
        } else if e.counterpart.is_some() {
            CreditSource::TransferIn
        } else if e.memo_of.is_some() {
            CreditSource::CreditMemo
        } else if self.left().is_zero() {
            CreditSource::Payment
        } else if self.applied.is_zero() {
            CreditSource::Prepayment
        } else {
            CreditSource::Overpaid
        })
    }
}

/// What used the credit `e`: allocated, paid out, and the invoice numbers
/// it went to (three columns, read by [`Reads::credit_use`]).
pub(super) const CREDIT_USE: &str = "\
    (SELECT COALESCE(SUM(amount_cents), 0) FROM allocations WHERE credit_id = e.id), \
    (SELECT COALESCE(SUM(amount_cents), 0) FROM payout_sources WHERE credit_id = e.id), \
    (SELECT group_concat(number, ', ') FROM (SELECT DISTINCT i.number FROM allocations a \
     JOIN invoices i ON i.id = a.invoice_id WHERE a.credit_id = e.id ORDER BY i.seq))";

/// The credits and payouts of a customer, and the filter that selects them.
const CREDIT_ROWS: &str = "e.customer_id = ?1 AND e.kind IN ('credit', 'payout')";

impl Reads<'_> {
    /// The [`CREDIT_USE`] columns of a row that selected them right after
    /// the entry's own columns.
    pub(super) fn credit_use(
        &self,
        r: &rusqlite::Row<'_>,
    ) -> rusqlite::Result<(Decimal, Decimal, Vec<String>)> {
        let invoices: Option<String> = r.get(NCOLS + 2)?;
        Ok((
            self.money(r.get(NCOLS)?),
            self.money(r.get(NCOLS + 1)?),
            invoices
                .map(|s| s.split(", ").map(str::to_string).collect())
                .unwrap_or_default(),
        ))
    }

    /// A window of a customer's credits and payouts, newest first.
    pub fn credit_items(
        &self,
        customer: CustomerId,
        offset: usize,
        limit: usize,
    ) -> Result<Vec<CreditItem>> {
        let sql = format!(
            "SELECT {cols}, {CREDIT_USE}, o.customer_id, c.name \
             FROM entries e LEFT JOIN entries o ON o.id = e.counterpart \
             LEFT JOIN customers c ON c.id = o.customer_id \
             WHERE {CREDIT_ROWS} ORDER BY e.date DESC, e.id DESC LIMIT ?2 OFFSET ?3",
            cols = cols_of("e"),
        );
        let mut stmt = self.conn.prepare_cached(&sql)?;
        let rows = stmt.query_map(params![customer.0, limit as i64, offset as i64], |r| {
            let other: Option<i64> = r.get(NCOLS + 3)?;
            let (applied, paid_out, invoices) = self.credit_use(r)?;
            Ok(CreditItem {
                entry: self.entry_from(r)?,
                applied,
                paid_out,
                invoices,
                other_customer: match other {
                    Some(id) => Some((CustomerId(id), r.get(NCOLS + 4)?)),
                    None => None,
                },
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    pub fn count_credit_items(&self, customer: CustomerId) -> Result<usize> {
        let sql = format!("SELECT count(*) FROM entries e WHERE {CREDIT_ROWS}");
        let n: i64 = self.conn.query_row(&sql, [customer.0], |r| r.get(0))?;
        Ok(n as usize)
    }

    /// How much of a paid invoice real payments settled (not its void
    /// credit or earlier credit memos): the most a credit memo may release.
    pub fn paid_by_payments(&self, invoice: InvoiceId) -> Result<Decimal> {
        let cents: i64 = self.conn.query_row(
            "SELECT COALESCE(SUM(a.amount_cents), 0) FROM allocations a JOIN entries e ON e.id = a.credit_id \
             WHERE a.invoice_id = ?1 AND e.void_of IS NULL AND e.memo_of IS NULL",
            [invoice.0],
            |r| r.get(0),
        )?;
        Ok(self.money(cents))
    }
}

/// A payout to write: a refund (with a method) or one side of a transfer.
pub struct NewPayout<'a> {
    pub amount: Decimal,
    pub method: Option<Method>,
    pub reference: Option<&'a str>,
    pub description: &'a str,
    pub date: NaiveDate,
}

impl Tx<'_> {
    /// Writes a payout and uses its amount of the customer's credits: the
    /// credits in `prefer` first, in that order (a refund for an invoice
    /// pays back the payments its credit memo released), then the rest
    /// oldest first. Refuses (writing nothing the caller keeps) if the
    /// credits left are fewer than the amount.
    pub fn insert_payout(
        &self,
        customer: CustomerId,
        p: &NewPayout<'_>,
        prefer: &[EntryId],
        now: DateTime<Utc>,
    ) -> Result<EntryId> {
        self.tx.execute(
            "INSERT INTO entries (customer_id, kind, amount_cents, description, method, date, created_at, reference) \
             VALUES (?1, 'payout', ?2, ?3, ?4, ?5, ?6, ?7)",
            params![
                customer.0,
                self.minor(p.amount)?,
                p.description,
                p.method.map(Method::as_str),
                day(p.date),
                ts(now),
                p.reference,
            ],
        )?;
        let id = EntryId(self.tx.last_insert_rowid());
        let mut left = p.amount;
        let mut sources = self.reads().unapplied_credits(customer)?;
        // A stable sort: preferred credits first, in `prefer`'s order.
        sources.sort_by_key(|(c, _)| prefer.iter().position(|p| p == c).unwrap_or(usize::MAX));
        for (credit, available) in sources {
            if left.is_zero() {
                break;
            }
            let take = available.min(left);
            self.tx.execute(
                "INSERT INTO payout_sources (payout_id, credit_id, amount_cents) VALUES (?1, ?2, ?3)",
                params![id.0, credit.0, self.minor(take)?],
            )?;
            left -= take;
        }
        if !left.is_zero() {
            return Err(StoreError::Changed(format!(
                "customer {customer} no longer has {} of credit",
                self.cur.plain(p.amount)
            )));
        }
        self.adjust_balance(customer, -p.amount, now)?;
        Ok(id)
    }

    /// Marks a credit as the receiving side of a transfer or as a credit
    /// memo on an invoice, and makes the two sides of a transfer point at
    /// each other.
    pub fn tag_moved_credit(
        &self,
        credit: EntryId,
        counterpart: Option<EntryId>,
        memo_of: Option<InvoiceId>,
    ) -> Result<()> {
        let n = self.tx.execute(
            "UPDATE entries SET counterpart = ?2, memo_of = ?3 WHERE id = ?1 AND kind = 'credit'",
            params![credit.0, counterpart.map(|e| e.0), memo_of.map(|i| i.0)],
        )?;
        guard(n, || format!("credit {credit} is gone"))?;
        if let Some(payout) = counterpart {
            let n = self.tx.execute(
                "UPDATE entries SET counterpart = ?2 WHERE id = ?1 AND kind = 'payout'",
                params![payout.0, credit.0],
            )?;
            guard(n, || format!("payout {payout} is gone"))?;
        }
        Ok(())
    }

    /// Takes `amount` of real payments' allocations off a paid invoice,
    /// newest allocation first, so those payments have it available again
    /// (a credit memo then takes their place). Returns the payments
    /// released, in that order.
    pub fn release_payments(&self, invoice: InvoiceId, amount: Decimal) -> Result<Vec<EntryId>> {
        let mut stmt = self.tx.prepare(
            "SELECT a.id, a.amount_cents, a.credit_id FROM allocations a JOIN entries e ON e.id = a.credit_id \
             WHERE a.invoice_id = ?1 AND e.void_of IS NULL AND e.memo_of IS NULL ORDER BY a.id DESC",
        )?;
        let rows = stmt
            .query_map([invoice.0], |r| {
                Ok((r.get::<_, i64>(0)?, r.get::<_, i64>(1)?, EntryId(r.get(2)?)))
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        let mut left = self.minor(amount)?;
        let mut released = Vec::new();
        for (id, cents, credit) in rows {
            if left == 0 {
                break;
            }
            released.push(credit);
            let take = cents.min(left);
            if take == cents {
                self.tx
                    .execute("DELETE FROM allocations WHERE id = ?1", [id])?;
            } else {
                self.tx.execute(
                    "UPDATE allocations SET amount_cents = amount_cents - ?2 WHERE id = ?1",
                    params![id, take],
                )?;
            }
            left -= take;
        }
        if left != 0 {
            return Err(StoreError::Changed(format!(
                "invoice {invoice} no longer has {} of payments to release",
                self.cur.plain(amount)
            )));
        }
        Ok(released)
    }
}
