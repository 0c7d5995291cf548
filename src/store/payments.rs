//! Payments received and how fast a customer pays: reads for the customer
//! page's Payments tab and metrics (seed 004).
//!
//! A payment is a credit that records money received: not the visible
//! credit of a void, a credit memo, or credit transferred in. "Days to collect" is computed in Rust from
//! whole days, never from SQLite's floating julianday.

use chrono::NaiveDate;
use rusqlite::params;
use rust_decimal::Decimal;

use super::credits::CREDIT_USE;
use super::entries::cols_of;
use super::{Reads, Result, parse_day};
use crate::domain::customer::CustomerId;
use crate::domain::entry::Entry;

/// Which credits are money received: not a void's credit, not a credit
/// memo, not credit transferred in from another customer.
const PAYMENT: &str =
    "e.kind = 'credit' AND e.void_of IS NULL AND e.memo_of IS NULL AND e.counterpart IS NULL";

/// One payment received, with what it has paid.
#[derive(Debug, Clone, PartialEq)]
pub struct Payment {
    pub entry: Entry,
    /// How much of it is allocated to invoices.
    pub applied: Decimal,
    /// How much of it was paid back to the customer (refunds).
    pub refunded: Decimal,
    /// How much of it was moved to another customer (transfers): not a
    /// refund, no money left the business.
    pub transferred: Decimal,
    /// The numbers of the invoices it paid (part of), oldest first.
    pub invoices: Vec<String>,
}

impl Payment {
    /// "applied", "partly applied", "unapplied", "refunded", "partly
    /// refunded", "transferred", "partly transferred" (or "refunded and
    /// transferred"). Money paid back or moved counts as used, like money
    /// applied to invoices; the words say which use it was.
    pub fn status(&self) -> &'static str {
        let used = self.applied + self.refunded + self.transferred;
        let whole = used >= self.entry.amount;
        let (refunded, transferred) = (!self.refunded.is_zero(), !self.transferred.is_zero());
        match (self.applied.is_zero(), refunded, transferred) {
            (true, false, false) => "unapplied",
            (false, _, _) if whole => "applied",
            (false, _, _) => "partly applied",
            (true, true, false) if whole => "refunded",
            (true, true, false) => "partly refunded",
            (true, false, true) if whole => "transferred",
            (true, false, true) => "partly transferred",
            (true, true, true) if whole => "refunded and transferred",
            (true, true, true) => "partly refunded and transferred",
        }
    }
}

/// How much of a payment `e` was moved to another customer (one column,
/// after [`CREDIT_USE`]'s three).
const TRANSFERRED: &str = "(SELECT COALESCE(SUM(s.amount_cents), 0) FROM payout_sources s \
     JOIN entries p ON p.id = s.payout_id WHERE s.credit_id = e.id AND p.counterpart IS NOT NULL)";

impl Reads<'_> {
    /// A window of the payments a customer made, newest first.
    pub fn payments(
        &self,
        customer: CustomerId,
        offset: usize,
        limit: usize,
    ) -> Result<Vec<Payment>> {
        let cols = cols_of("e");
        let sql = format!(
            "SELECT {cols}, {CREDIT_USE}, {TRANSFERRED} \
             FROM entries e WHERE e.customer_id = ?1 AND {PAYMENT} \
             ORDER BY e.date DESC, e.id DESC LIMIT ?2 OFFSET ?3"
        );
        let mut stmt = self.conn.prepare_cached(&sql)?;
        let limit = i64::try_from(limit).unwrap_or(i64::MAX);
        let rows = stmt.query_map(params![customer.0, limit, offset as i64], |r| {
            let (applied, paid_out, invoices) = self.credit_use(r)?;
            let transferred = self.money(r.get(super::entries::NCOLS + 3)?);
            Ok(Payment {
                entry: self.entry_from(r)?,
                applied,
                refunded: paid_out - transferred,
                transferred,
                invoices,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    pub fn count_payments(&self, customer: CustomerId) -> Result<usize> {
        let sql = format!("SELECT count(*) FROM entries e WHERE e.customer_id = ?1 AND {PAYMENT}");
        let n: i64 = self.conn.query_row(&sql, [customer.0], |r| r.get(0))?;
        Ok(n as usize)
    }

    /// Average days to collect: for each invoice paid in full, the days from
    /// its issue date to the date of the payment that completed it (the last
    /// credit allocated to it; never below zero), averaged weighted by the
    /// invoice's total, to one decimal. `None` when nothing was collected.
    pub fn avg_days_to_collect(&self, customer: CustomerId) -> Result<Option<Decimal>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT i.issue_date, i.total_cents, \
             (SELECT e.date FROM allocations a JOIN entries e ON e.id = a.credit_id \
              WHERE a.invoice_id = i.id AND e.memo_of IS NULL ORDER BY a.id DESC LIMIT 1) \
             FROM invoices i WHERE i.customer_id = ?1 AND i.status = 'paid'",
        )?;
        let rows = stmt.query_map(params![customer.0], |r| {
            let issued = parse_day(0, &r.get::<_, String>(0)?)?;
            let paid: Option<String> = r.get(2)?;
            let paid = paid.map(|p| parse_day(2, &p)).transpose()?;
            Ok((issued, r.get::<_, i64>(1)?, paid))
        })?;
        let (mut weighted, mut total) = (Decimal::ZERO, Decimal::ZERO);
        for row in rows {
            let (issued, cents, paid): (NaiveDate, i64, Option<NaiveDate>) = row?;
            let Some(paid) = paid else { continue };
            let days = (paid - issued).num_days().max(0);
            weighted += Decimal::from(days) * Decimal::from(cents);
            total += Decimal::from(cents);
        }
        Ok((!total.is_zero()).then(|| (weighted / total).round_dp(1)))
    }
}
