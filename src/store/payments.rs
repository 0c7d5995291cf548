//! Payments received and how fast a customer pays: reads for the customer
//! page's Payments tab and metrics (seed 004).
//!
//! A payment is a credit that is not the visible credit of a void (those
//! record no money received). "Days to collect" is computed in Rust from
//! whole days, never from SQLite's floating julianday.

use chrono::NaiveDate;
use rusqlite::params;
use rust_decimal::Decimal;

use super::entries::COLS;
use super::{Reads, Result, parse_day};
use crate::domain::customer::CustomerId;
use crate::domain::entry::Entry;

/// One payment received, with what it has paid.
#[derive(Debug, Clone, PartialEq)]
pub struct Payment {
    pub entry: Entry,
    /// How much of it is allocated to invoices.
    pub applied: Decimal,
    /// The numbers of the invoices it paid (part of), oldest first.
    pub invoices: Vec<String>,
}

impl Payment {
    /// "applied", "partly applied" or "unapplied".
    pub fn status(&self) -> &'static str {
        if self.applied.is_zero() {
            "unapplied"
        } else if self.applied >= self.entry.amount {
            "applied"
        } else {
            "partly applied"
        }
    }
}

impl Reads<'_> {
    /// Every payment a customer made, newest first.
    pub fn payments(&self, customer: CustomerId) -> Result<Vec<Payment>> {
        let cols = COLS
            .split(", ")
            .map(|c| format!("e.{c}"))
            .collect::<Vec<_>>()
            .join(", ");
        let sql = format!(
            "SELECT {cols}, \
             (SELECT COALESCE(SUM(amount_cents), 0) FROM allocations WHERE credit_id = e.id), \
             (SELECT group_concat(number, ', ') FROM (SELECT DISTINCT i.number FROM allocations a \
              JOIN invoices i ON i.id = a.invoice_id WHERE a.credit_id = e.id ORDER BY i.seq)) \
             FROM entries e WHERE e.customer_id = ?1 AND e.kind = 'credit' AND e.void_of IS NULL \
             ORDER BY e.date DESC, e.id DESC"
        );
        let mut stmt = self.conn.prepare_cached(&sql)?;
        let rows = stmt.query_map([customer.0], |r| {
            let invoices: Option<String> = r.get(12)?;
            Ok(Payment {
                entry: self.entry_from(r)?,
                applied: self.money(r.get(11)?),
                invoices: invoices
                    .map(|s| s.split(", ").map(str::to_string).collect())
                    .unwrap_or_default(),
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Average days to collect: for each invoice paid in full, the days from
    /// its issue date to the date of the payment that completed it (the last
    /// credit allocated to it; never below zero), averaged weighted by the
    /// invoice's total, to one decimal. `None` when nothing was collected.
    pub fn avg_days_to_collect(&self, customer: CustomerId) -> Result<Option<Decimal>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT i.issue_date, i.total_cents, \
             (SELECT e.date FROM allocations a JOIN entries e ON e.id = a.credit_id \
              WHERE a.invoice_id = i.id ORDER BY a.id DESC LIMIT 1) \
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
