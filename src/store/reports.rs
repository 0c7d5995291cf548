//! Reports over the whole book, each one set-wise query: receivables aging
//! (what each customer owes by how late it is, as of a day).
//!
//! "As of" a day ignores everything dated after it: invoices issued later,
//! charges dated later, and payments and credits dated later (an
//! allocation counts as of its credit's date). Days are whole calendar
//! days; money stays in integer minor units.

use std::collections::HashMap;

use chrono::NaiveDate;
use rusqlite::named_params;

use super::{Reads, Result, day};

/// One customer's row of the aging report, in minor units.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct AgingRow {
    pub id: i64,
    pub name: String,
    /// Not yet due; then 1–30, 31–60, 61–90 and over 90 days past due.
    /// In 128 bits: a report's totals over many customers may pass what
    /// 64 bits hold, and are shown exactly all the same.
    pub buckets: [i128; 5],
    /// Credit not applied to any invoice. `Book::aging` nets it against
    /// the buckets, so there it is the customer's net credit.
    pub credit: i128,
}

impl AgingRow {
    pub fn total(&self) -> i128 {
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
           CAST(julianday(:d) - julianday(e.date) AS INTEGER)
             - iif(e.opening = 1, 0, COALESCE(c.payment_terms_days, :terms))
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
    /// Every customer who owed something or held credit on `as_of`, by one
    /// pass over the whole book (any `as_of`; [`Reads::aging_kept`] is the
    /// fast way when nothing is dated later).
    pub fn aging_scan(&self, as_of: NaiveDate, default_terms: u32) -> Result<Vec<AgingRow>> {
        let mut stmt = self.conn.prepare_cached(AGING)?;
        let rows = stmt.query_map(
            named_params! { ":d": day(as_of), ":terms": default_terms },
            |r| {
                Ok(AgingRow {
                    id: r.get(0)?,
                    name: r.get(1)?,
                    buckets: [
                        r.get::<_, i64>(2)?.into(),
                        r.get::<_, i64>(3)?.into(),
                        r.get::<_, i64>(4)?.into(),
                        r.get::<_, i64>(5)?.into(),
                        r.get::<_, i64>(6)?.into(),
                    ],
                    credit: r.get::<_, i64>(7)?.into(),
                })
            },
        )?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }
}

impl Reads<'_> {
    /// Whether anything in the book is dated after `day`: an entry, or an
    /// invoice issued later (so the kept sums would include it).
    pub fn anything_after(&self, after: NaiveDate) -> Result<bool> {
        Ok(self.conn.query_row(
            "SELECT EXISTS (SELECT 1 FROM day_totals WHERE day > ?1 AND entries > 0) \
             OR EXISTS (SELECT 1 FROM invoices INDEXED BY invoices_by_status \
                        WHERE status IN ('open', 'paid', 'void') AND due_date > ?1 AND issue_date > ?1)",
            [day(after)],
            |r| r.get(0),
        )?)
    }

    /// The same report as [`Reads::aging_scan`] when nothing is dated after
    /// `as_of`, from what is kept: each customer's uninvoiced sum splits
    /// into the charges of the last `terms + 90` days, bucketed one by one
    /// through the date index, and the rest, which is over 90 days late;
    /// open invoices and draft charges are few; and, with nothing later,
    /// unapplied credit is what is owed plus the balance (DESIGN §1).
    pub fn aging_kept(&self, as_of: NaiveDate, default_terms: u32) -> Result<Vec<AgingRow>> {
        let terms = self.customer_terms()?;
        let max_terms = terms
            .values()
            .copied()
            .max()
            .unwrap_or(0)
            .max(default_terms);
        // Per customer id (ids are dense): owed by column, recent charges.
        let top = self.max_customer_id()?;
        let slot = |c: i64| usize::try_from(c).unwrap_or(0).min(top as usize);
        let mut owed = vec![[0i64; 5]; top as usize + 1];
        let mut recent = vec![0i64; top as usize + 1];
        // Charges bucket by comparing their day with each terms' ladder
        // of boundary days: no date is parsed per row.
        let default_ladder = Ladder::new(as_of, default_terms);
        let mut ladders: HashMap<u32, Ladder> = HashMap::new();
        let mut column_of = |c: i64, date: &str| match terms.get(&c) {
            None => default_ladder.column(date),
            Some(t) => ladders
                .entry(*t)
                .or_insert_with(|| Ladder::new(as_of, *t))
                .column(date),
        };
        let since = as_of - chrono::Days::new(u64::from(max_terms) + 91);
        self.each_row(
            "SELECT customer_id, date, amount_cents + tax_cents FROM entries INDEXED BY entries_open_by_date \
             WHERE kind = 'charge' AND invoice_id IS NULL AND date > ?1 AND date <= ?2",
            [day(since), day(as_of)],
            |c, date, cents| {
                owed[slot(c)][column_of(c, date)] += cents;
                recent[slot(c)] += cents;
                Ok(())
            },
        )?;
        // Opening balances were due when the old system said: they age
        // from their own date, with no terms. Few (one per imported
        // customer), read through their own index and moved from the
        // column their terms gave them; older ones are over 90 days late
        // either way.
        let due_at_once = Ladder::new(as_of, 0);
        self.each_row(
            "SELECT customer_id, date, amount_cents + tax_cents FROM entries INDEXED BY entries_opening \
             WHERE opening = 1 AND kind = 'charge' AND invoice_id IS NULL AND date > ?1 AND date <= ?2",
            [day(since), day(as_of)],
            |c, date, cents| {
                owed[slot(c)][column_of(c, date)] -= cents;
                owed[slot(c)][due_at_once.column(date)] += cents;
                Ok(())
            },
        )?;
        self.each_row(
            "SELECT e.customer_id, e.date, e.amount_cents + e.tax_cents FROM invoices i \
             JOIN entries e ON e.invoice_id = i.id WHERE i.status = 'draft'",
            [],
            |c, date, cents| {
                owed[slot(c)][column_of(c, date)] += cents;
                Ok(())
            },
        )?;
        self.each_row(
            "SELECT i.customer_id, i.due_date, i.total_cents - COALESCE((SELECT SUM(a.amount_cents) \
             FROM allocations a WHERE a.invoice_id = i.id), 0) FROM invoices i \
             WHERE i.status = 'open'",
            [],
            |c, due, left| {
                let late = (as_of - super::parse_day(1, due)?).num_days();
                if left > 0 {
                    owed[slot(c)][bucket(late)] += left;
                }
                Ok(())
            },
        )?;
        // Every customer with anything owed or held; what of their kept
        // uninvoiced sum is not recent is over 90 days late.
        let mut out = Vec::new();
        let mut stmt = self.conn.prepare_cached(
            "SELECT id, balance_cents, uninvoiced_cents, name FROM customers ORDER BY id",
        )?;
        let mut q = stmt.query([])?;
        while let Some(r) = q.next()? {
            let c: i64 = r.get(0)?;
            let (balance, uninvoiced): (i64, i64) = (r.get(1)?, r.get(2)?);
            let mut buckets = owed[slot(c)].map(i128::from);
            buckets[4] += i128::from(uninvoiced) - i128::from(recent[slot(c)]);
            let total: i128 = buckets.iter().sum();
            let credit = (total + i128::from(balance)).max(0);
            if total > 0 || credit > 0 {
                out.push(AgingRow {
                    id: c,
                    name: r.get(3)?,
                    buckets,
                    credit,
                });
            }
        }
        Ok(out)
    }

    /// Customers' own payment terms, where set.
    fn customer_terms(&self) -> Result<HashMap<i64, u32>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT id, payment_terms_days FROM customers WHERE payment_terms_days IS NOT NULL",
        )?;
        let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Runs `sql` and hands each row's (customer, day, minor units) to `f`.
    fn each_row(
        &self,
        sql: &str,
        params: impl rusqlite::Params,
        mut f: impl FnMut(i64, &str, i64) -> Result<()>,
    ) -> Result<()> {
        let mut stmt = self.conn.prepare_cached(sql)?;
        let mut q = stmt.query(params)?;
        while let Some(r) = q.next()? {
            let date = r.get_ref(1)?.as_str().map_err(rusqlite::Error::from)?;
            f(r.get(0)?, date, r.get(2)?)?;
        }
        Ok(())
    }
}

/// For one number of days' terms, the first day of each aging column a
/// charge's date can fall in, newest first: a charge dated on or after
/// `from[0]` is not yet due, on or after `from[1]` 1–30 days late, and so
/// on; anything older is over 90 days late.
pub(super) struct Ladder {
    from: [String; 4],
}

impl Ladder {
    pub(super) fn new(as_of: NaiveDate, terms: u32) -> Ladder {
        let back = |days: u32| day(as_of - chrono::Days::new(u64::from(terms + days)));
        Ladder {
            from: [back(0), back(30), back(60), back(90)],
        }
    }

    /// The column of a charge dated `date` (`YYYY-MM-DD` sorts as text).
    pub(super) fn column(&self, date: &str) -> usize {
        self.from
            .iter()
            .position(|f| date >= f.as_str())
            .unwrap_or(4)
    }
}

/// Which aging column `late` days past due falls in.
pub(super) fn bucket(late: i64) -> usize {
    match late {
        i64::MIN..=0 => 0,
        1..=30 => 1,
        31..=60 => 2,
        61..=90 => 3,
        _ => 4,
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
    /// When a reminder was last copied or emailed to the customer.
    pub last_reminded: Option<String>,
    /// The reminder schedule's steps (days past due) this invoice has had,
    /// passed or skipped.
    pub steps_had: Vec<u32>,
}

impl OverdueRow {
    /// The step of `schedule` a reminder run would send for this invoice
    /// next, and the day: the latest step reached, today, if it has not
    /// had it; else the next step after, on its day. `None` when none is
    /// left. The same rule as `ops::mail`'s run.
    pub fn next_step(&self, schedule: &[u32], today: NaiveDate) -> Option<(usize, NaiveDate)> {
        let reached = crate::domain::mail::reached_step(schedule, self.days_late);
        if let Some(k) = reached
            && !self.steps_had.contains(&schedule[k])
        {
            return Some((k, today));
        }
        let from = reached.map_or(0, |k| k + 1);
        let k = (from..schedule.len()).find(|k| !self.steps_had.contains(&schedule[*k]))?;
        let on = self
            .due
            .checked_add_days(chrono::Days::new(u64::from(schedule[k])))
            .unwrap_or(self.due);
        Some((k, on.max(today)))
    }
}

impl Reads<'_> {
    /// Open invoices past due on `today`, the longest overdue first.
    pub fn overdue(&self, today: NaiveDate) -> Result<Vec<OverdueRow>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT i.id, i.number, c.id, c.name, i.due_date, \
             CAST(julianday(:d) - julianday(i.due_date) AS INTEGER), \
             i.total_cents - COALESCE((SELECT SUM(amount_cents) FROM allocations WHERE invoice_id = i.id), 0), \
             (SELECT MAX(at) FROM timeline t WHERE t.customer_id = c.id AND t.action = 'customer.reminded'), \
             (SELECT group_concat(step) FROM reminder_steps s WHERE s.invoice_id = i.id) \
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
                steps_had: r
                    .get::<_, Option<String>>(8)?
                    .unwrap_or_default()
                    .split(',')
                    .filter_map(|s| s.parse().ok())
                    .collect(),
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }
}

impl Reads<'_> {
    /// The customer's open invoices past due on `today`, the longest late
    /// first, with what is left to pay on each.
    pub fn past_due_invoices(
        &self,
        customer: crate::domain::customer::CustomerId,
        today: NaiveDate,
    ) -> Result<Vec<crate::domain::figures::PastDueInvoice>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT i.number, \
             i.total_cents - COALESCE((SELECT SUM(amount_cents) FROM allocations WHERE invoice_id = i.id), 0), \
             CAST(julianday(?2) - julianday(i.due_date) AS INTEGER), i.id \
             FROM invoices i WHERE i.customer_id = ?1 AND i.status = 'open' AND i.due_date < ?2 \
             ORDER BY i.due_date, i.seq",
        )?;
        let rows = stmt.query_map(rusqlite::params![customer.0, day(today)], |r| {
            Ok(crate::domain::figures::PastDueInvoice {
                id: crate::domain::InvoiceId(r.get(3)?),
                number: r.get(0)?,
                remaining: self.money(r.get(1)?),
                days_late: r.get(2)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }
}

/// One calendar month's totals, summed from the kept day totals
/// (migration 9), in minor units.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct MonthTotals {
    /// `YYYY-MM`.
    pub month: String,
    /// Charges with their tax, less the voids and credit memos written in
    /// the month (`figures`: billed).
    pub billed: i64,
    /// Money received, less what was refunded (`figures`: collected).
    pub collected: i64,
    /// Credit moved in from another customer.
    pub transfers_in: i64,
    /// Credit moved out to another customer.
    pub transfers_out: i64,
    /// Opening balances brought from another system, signed as owed.
    pub opening: i64,
}

/// What stood before the first month a report asks for, in minor units.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct MonthStart {
    /// What customers owed less the credit they held.
    pub net_receivable: i64,
    /// The opening balances in it.
    pub opening: i64,
}

impl MonthTotals {
    /// How much the month moved what customers owe, less credit they hold.
    pub fn net_receivable(&self) -> i64 {
        self.billed - self.collected - self.transfers_in + self.transfers_out + self.opening
    }
}

impl Reads<'_> {
    /// The kept totals of the months `from..=to` (`YYYY-MM`) that have any
    /// entry, oldest first, and as of the start of `from` (the sum of every
    /// earlier month's movement): what was owed less credit held, and the
    /// opening balances in it.
    pub fn month_totals(&self, from: &str, to: &str) -> Result<(MonthStart, Vec<MonthTotals>)> {
        // Days compare as text: every day of `to` sorts before `to` + "-99".
        let (first, last) = (format!("{from}-01"), format!("{to}-99"));
        let before = self.conn.query_row(
            "SELECT COALESCE(SUM(billed_cents - collected_cents - transfers_in_cents \
             + transfers_out_cents + opening_cents), 0), COALESCE(SUM(opening_cents), 0) \
             FROM day_totals WHERE day < ?1",
            [&first],
            |r| {
                Ok(MonthStart {
                    net_receivable: r.get(0)?,
                    opening: r.get(1)?,
                })
            },
        )?;
        let mut stmt = self.conn.prepare_cached(
            "SELECT substr(day, 1, 7) AS month, SUM(billed_cents), SUM(collected_cents), \
             SUM(transfers_in_cents), SUM(transfers_out_cents), SUM(opening_cents) \
             FROM day_totals WHERE day >= ?1 AND day <= ?2 GROUP BY month ORDER BY month",
        )?;
        let rows = stmt.query_map([&first, &last], |r| {
            Ok(MonthTotals {
                month: r.get(0)?,
                billed: r.get(1)?,
                collected: r.get(2)?,
                transfers_in: r.get(3)?,
                transfers_out: r.get(4)?,
                opening: r.get(5)?,
            })
        })?;
        Ok((before, rows.collect::<rusqlite::Result<_>>()?))
    }
}
