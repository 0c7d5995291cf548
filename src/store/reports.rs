//! Reports over the whole book, each one set-wise query: receivables aging
//! (what each customer owes by how late it is, as of a day).
//!
//! "As of" a day ignores everything dated after it: invoices issued later,
//! charges dated later, and payments and credits dated later (an
//! allocation counts as of its credit's date). Days are whole calendar
//! days; money stays in integer minor units.

use chrono::NaiveDate;
use rusqlite::named_params;

use super::{Reads, Result, day};

/// One customer's row of the aging report, in minor units.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct AgingRow {
    pub id: i64,
    pub name: String,
    /// Not yet due; then 1–30, 31–60, 61–90 and over 90 days past due.
    pub buckets: [i64; 5],
    pub unapplied_credit: i64,
}

impl AgingRow {
    pub fn total(&self) -> i64 {
        self.buckets.iter().sum()
    }
}

const AGING: &str = "
WITH items(customer_id, owed, late) AS (
    SELECT i.customer_id,
           i.total_cents - COALESCE((SELECT SUM(a.amount_cents) FROM allocations a
                JOIN entries c ON c.id = a.credit_id
                WHERE a.invoice_id = i.id AND c.date <= :d), 0),
           CAST(julianday(:d) - julianday(i.due_date) AS INTEGER)
    FROM invoices i WHERE i.status <> 'draft' AND i.issue_date <= :d
    UNION ALL
    SELECT e.customer_id, e.amount_cents + e.tax_cents,
           CAST(julianday(:d) - julianday(e.date, '+' || COALESCE(c.payment_terms_days, :terms) || ' days') AS INTEGER)
    FROM entries e JOIN customers c ON c.id = e.customer_id
    LEFT JOIN invoices i ON i.id = e.invoice_id
    WHERE e.kind = 'charge' AND e.date <= :d
      AND (e.invoice_id IS NULL OR i.status = 'draft' OR i.issue_date > :d)
),
owed AS (
    SELECT customer_id,
           SUM(CASE WHEN late <= 0 THEN owed ELSE 0 END) AS b0,
           SUM(CASE WHEN late BETWEEN 1 AND 30 THEN owed ELSE 0 END) AS b1,
           SUM(CASE WHEN late BETWEEN 31 AND 60 THEN owed ELSE 0 END) AS b2,
           SUM(CASE WHEN late BETWEEN 61 AND 90 THEN owed ELSE 0 END) AS b3,
           SUM(CASE WHEN late > 90 THEN owed ELSE 0 END) AS b4
    FROM items WHERE owed > 0 GROUP BY customer_id
),
credit AS (
    SELECT e.customer_id,
           SUM(CASE e.kind WHEN 'credit' THEN e.amount_cents ELSE -e.amount_cents END)
           - COALESCE((SELECT SUM(a.amount_cents) FROM allocations a JOIN entries c ON c.id = a.credit_id
                       JOIN invoices i ON i.id = a.invoice_id
                       WHERE c.customer_id = e.customer_id AND c.date <= :d AND i.issue_date <= :d), 0) AS left
    FROM entries e WHERE e.kind IN ('credit', 'payout') AND e.date <= :d GROUP BY e.customer_id
)
SELECT c.id, c.name, COALESCE(o.b0, 0), COALESCE(o.b1, 0), COALESCE(o.b2, 0), COALESCE(o.b3, 0),
       COALESCE(o.b4, 0), MAX(COALESCE(cr.left, 0), 0)
FROM customers c LEFT JOIN owed o ON o.customer_id = c.id LEFT JOIN credit cr ON cr.customer_id = c.id
WHERE o.customer_id IS NOT NULL OR COALESCE(cr.left, 0) > 0
ORDER BY c.id";

impl Reads<'_> {
    /// Every customer who owed something or held credit on `as_of`.
    pub fn aging(&self, as_of: NaiveDate, default_terms: u32) -> Result<Vec<AgingRow>> {
        let mut stmt = self.conn.prepare_cached(AGING)?;
        let rows = stmt.query_map(
            named_params! { ":d": day(as_of), ":terms": default_terms },
            |r| {
                Ok(AgingRow {
                    id: r.get(0)?,
                    name: r.get(1)?,
                    buckets: [r.get(2)?, r.get(3)?, r.get(4)?, r.get(5)?, r.get(6)?],
                    unapplied_credit: r.get(7)?,
                })
            },
        )?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }
}

impl Reads<'_> {
    /// A customer's entries dated `from..=to`, oldest first (a statement's
    /// lines), and the sum of everything dated before `from` (its opening
    /// balance, in minor units).
    pub fn statement_entries(
        &self,
        customer: crate::domain::customer::CustomerId,
        from: NaiveDate,
        to: NaiveDate,
    ) -> Result<(i64, Vec<crate::domain::Entry>)> {
        let opening: i64 = self.conn.query_row(
            "SELECT COALESCE(SUM(CASE kind WHEN 'credit' THEN amount_cents ELSE -(amount_cents + tax_cents) END), 0) \
             FROM entries WHERE customer_id = ?1 AND date < ?2",
            rusqlite::params![customer.0, day(from)],
            |r| r.get(0),
        )?;
        let sql = format!(
            "SELECT {} FROM entries WHERE customer_id = ?1 AND date >= ?2 AND date <= ?3 ORDER BY date, id",
            super::entries::COLS
        );
        let mut stmt = self.conn.prepare_cached(&sql)?;
        let rows = stmt.query_map(rusqlite::params![customer.0, day(from), day(to)], |r| {
            self.entry_from(r)
        })?;
        Ok((opening, rows.collect::<rusqlite::Result<_>>()?))
    }

    /// Invoices of a customer issued `from..=to`: (number, issue date, total).
    pub fn invoices_issued(
        &self,
        customer: crate::domain::customer::CustomerId,
        from: NaiveDate,
        to: NaiveDate,
    ) -> Result<Vec<(String, NaiveDate, rust_decimal::Decimal)>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT number, issue_date, total_cents FROM invoices WHERE customer_id = ?1 \
             AND issue_date >= ?2 AND issue_date <= ?3 ORDER BY seq",
        )?;
        let rows = stmt.query_map(rusqlite::params![customer.0, day(from), day(to)], |r| {
            Ok((
                r.get::<_, String>(0)?,
                super::parse_day(1, &r.get::<_, String>(1)?)?,
                self.money(r.get(2)?),
            ))
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// The date of a customer's first entry, if any.
    pub fn first_entry_date(
        &self,
        customer: crate::domain::customer::CustomerId,
    ) -> Result<Option<NaiveDate>> {
        let d: Option<String> = self.conn.query_row(
            "SELECT MIN(date) FROM entries WHERE customer_id = ?1",
            [customer.0],
            |r| r.get(0),
        )?;
        Ok(d.map(|d| super::parse_day(0, &d)).transpose()?)
    }
}

/// One overdue invoice, for the collections list.
#[derive(Debug, Clone, PartialEq)]
pub struct OverdueRow {
    pub invoice: crate::domain::InvoiceId,
    pub number: String,
    pub customer: i64,
    pub name: String,
    pub due: NaiveDate,
    pub days_late: i64,
    /// Minor units left to pay.
    pub remaining: i64,
    /// When a reminder was last copied for the customer.
    pub last_reminded: Option<String>,
}

impl Reads<'_> {
    /// Open invoices past due on `today`, the longest overdue first.
    pub fn overdue(&self, today: NaiveDate) -> Result<Vec<OverdueRow>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT i.id, i.number, c.id, c.name, i.due_date, \
             CAST(julianday(:d) - julianday(i.due_date) AS INTEGER), \
             i.total_cents - COALESCE((SELECT SUM(amount_cents) FROM allocations WHERE invoice_id = i.id), 0), \
             (SELECT MAX(at) FROM timeline t WHERE t.customer_id = c.id AND t.action = 'customer.reminded') \
             FROM invoices i JOIN customers c ON c.id = i.customer_id \
             WHERE i.status = 'open' AND i.due_date < :d ORDER BY i.due_date, i.seq",
        )?;
        let rows = stmt.query_map(named_params! { ":d": day(today) }, |r| {
            Ok(OverdueRow {
                invoice: crate::domain::InvoiceId(r.get(0)?),
                number: r.get(1)?,
                customer: r.get(2)?,
                name: r.get(3)?,
                due: super::parse_day(4, &r.get::<_, String>(4)?)?,
                days_late: r.get(5)?,
                remaining: r.get(6)?,
                last_reminded: r.get(7)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }
}

impl Reads<'_> {
    /// Days the customer's oldest open invoice is past due on `today`, if
    /// any is.
    pub fn oldest_overdue_days(
        &self,
        customer: crate::domain::customer::CustomerId,
        today: NaiveDate,
    ) -> Result<Option<i64>> {
        Ok(self.conn.query_row(
            "SELECT CAST(julianday(?2) - julianday(MIN(due_date)) AS INTEGER) FROM invoices \
             WHERE customer_id = ?1 AND status = 'open' AND due_date < ?2",
            rusqlite::params![customer.0, day(today)],
            |r| r.get(0),
        )?)
    }
}

/// One calendar month's kept totals, in minor units (migration 9).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct MonthTotals {
    /// `YYYY-MM`.
    pub month: String,
    /// Charges with their tax.
    pub billed: i64,
    /// Payments: money received.
    pub collected: i64,
    /// Other credit: voids' and memos' credits, credit transferred in.
    pub credited: i64,
    /// Refunds and credit transferred out.
    pub paid_out: i64,
}

impl MonthTotals {
    /// How much the month moved what customers owe, less credit they hold.
    pub fn net_receivable(&self) -> i64 {
        self.billed - self.collected - self.credited + self.paid_out
    }
}

impl Reads<'_> {
    /// The kept totals of the months `from..=to` (`YYYY-MM`) that have any
    /// entry, oldest first, and what was owed less credit held at the start
    /// of `from` (the sum of every earlier month's movement).
    pub fn month_totals(&self, from: &str, to: &str) -> Result<(i64, Vec<MonthTotals>)> {
        let before: i64 = self.conn.query_row(
            "SELECT COALESCE(SUM(billed_cents - collected_cents - credited_cents + paid_out_cents), 0) \
             FROM month_totals WHERE month < ?1",
            [from],
            |r| r.get(0),
        )?;
        let mut stmt = self.conn.prepare_cached(
            "SELECT month, billed_cents, collected_cents, credited_cents, paid_out_cents \
             FROM month_totals WHERE month >= ?1 AND month <= ?2 ORDER BY month",
        )?;
        let rows = stmt.query_map([from, to], |r| {
            Ok(MonthTotals {
                month: r.get(0)?,
                billed: r.get(1)?,
                collected: r.get(2)?,
                credited: r.get(3)?,
                paid_out: r.get(4)?,
            })
        })?;
        Ok((before, rows.collect::<rusqlite::Result<_>>()?))
    }
}
