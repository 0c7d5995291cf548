//! The per-customer rules of `tally check`, from one pass over the
//! entries: each customer's balance, the balance identity, the kept
//! uninvoiced sum and the kept sums by kind, each recomputed from the
//! entries and compared with what the book keeps; and each day's figures
//! for the kept day totals. One read of the
//! entries table in its own order (no sort, no temporary index) replaces
//! a scan per rule, so the rules cost about one reading of the book.
//!
//! Invariant: the same rules, with the same words, as the queries they
//! replace; sums are 128-bit, so no book can overflow them.

use std::collections::{BTreeMap, HashMap, HashSet};

use super::{Reads, Result};

/// What one customer's entries add up to, for each rule.
#[derive(Debug, Default, Clone, Copy)]
pub(super) struct Summed {
    /// Credits less charges (with tax) and payouts.
    pub balance: i128,
    /// Credits less payouts: the credit side of the identity.
    pub credit: i128,
    /// Charges (with tax) on no invoice or on a draft.
    pub uninvoiced_or_draft: i128,
    /// Charges (with tax) on no invoice.
    pub uninvoiced: i128,
    pub charged: i128,
    pub credited: i128,
    pub memo: i128,
    pub paid: i128,
    pub paid_out: i128,
    pub refunded: i128,
}

/// What the book keeps for one customer, and what the rules sum.
#[derive(Debug, Clone, Copy)]
pub(super) struct Kept {
    pub id: i64,
    pub balance: i64,
    pub uninvoiced: i64,
    /// charged, credited, memo, paid, paid out, refunded, applied.
    pub sums: [i64; 7],
}

/// Every customer, in id order, with what the book keeps, what their
/// entries sum to, what of their credit is applied, and what is left on
/// their open invoices.
pub(super) struct Pass {
    pub customers: Vec<(Kept, Summed, i128, i128)>,
    /// Each day's figures (`day_figures`: billed, collected, transfers in
    /// and out, opening) and entry count, summed from its entries.
    pub days: BTreeMap<String, [i128; 6]>,
}

impl Reads<'_> {
    pub(super) fn customer_pass(&self) -> Result<Pass> {
        let drafts: HashSet<i64> = {
            let mut stmt = self
                .conn
                .prepare("SELECT id FROM invoices WHERE status = 'draft'")?;
            let rows = stmt.query_map([], |r| r.get(0))?;
            rows.collect::<rusqlite::Result<_>>()?
        };
        let mut summed: HashMap<i64, Summed> = HashMap::new();
        let mut days: BTreeMap<String, [i128; 6]> = BTreeMap::new();
        // The day's figures come from `day_figures`, their one definition.
        let mut stmt = self.conn.prepare(
            "SELECT e.customer_id, e.kind, e.amount_cents, e.tax_cents, e.invoice_id, \
             e.memo_of IS NOT NULL, e.void_of IS NULL AND e.memo_of IS NULL AND e.counterpart IS NULL, \
             e.counterpart IS NULL, f.day, f.billed, f.collected, f.transfers_in, f.transfers_out, \
             f.opening FROM entries e JOIN day_figures f ON f.id = e.id",
        )?;
        let mut rows = stmt.query([])?;
        let mut day = String::new();
        let mut figures = [0i128; 6];
        while let Some(r) = rows.next()? {
            // Entries of one day mostly come together: sum them in place
            // and file the day's figures when the day changes.
            let d = r.get_ref(8)?.as_str().map_err(rusqlite::Error::from)?;
            if d != day {
                if !day.is_empty() {
                    add(days.entry(std::mem::take(&mut day)).or_default(), &figures);
                }
                day = d.to_string();
                figures = [0; 6];
            }
            for (i, f) in figures.iter_mut().take(5).enumerate() {
                *f += i128::from(r.get::<_, i64>(9 + i)?);
            }
            figures[5] += 1;
            let s = summed.entry(r.get(0)?).or_default();
            let kind = r.get_ref(1)?.as_bytes().map_err(rusqlite::Error::from)?;
            let amount = i128::from(r.get::<_, i64>(2)?);
            let tax = i128::from(r.get::<_, i64>(3)?);
            match kind {
                b"charge" => {
                    s.balance -= amount + tax;
                    s.charged += amount + tax;
                    match r.get::<_, Option<i64>>(4)? {
                        None => {
                            s.uninvoiced += amount + tax;
                            s.uninvoiced_or_draft += amount + tax;
                        }
                        Some(i) if drafts.contains(&i) => s.uninvoiced_or_draft += amount + tax,
                        Some(_) => {}
                    }
                }
                b"credit" => {
                    s.balance += amount;
                    s.credit += amount;
                    s.credited += amount;
                    if r.get(5)? {
                        s.memo += amount;
                    }
                    if r.get(6)? {
                        s.paid += amount;
                    }
                }
                _ => {
                    s.balance -= amount + tax;
                    s.credit -= amount;
                    s.paid_out += amount;
                    if r.get(7)? {
                        s.refunded += amount;
                    }
                }
            }
        }
        if !day.is_empty() {
            add(days.entry(day).or_default(), &figures);
        }
        let applied = self.per_customer(
            "SELECT e.customer_id, SUM(a.amount_cents) FROM allocations a \
             JOIN entries e ON e.id = a.credit_id GROUP BY e.customer_id",
        )?;
        let outstanding = self.per_customer(
            "SELECT i.customer_id, SUM(i.total_cents - COALESCE((SELECT SUM(amount_cents) \
             FROM allocations WHERE invoice_id = i.id), 0)) \
             FROM invoices i WHERE i.status = 'open' GROUP BY i.customer_id",
        )?;
        let mut stmt = self.conn.prepare(
            "SELECT c.id, c.balance_cents, c.uninvoiced_cents, \
             COALESCE(k.charged_cents, 0), COALESCE(k.credited_cents, 0), COALESCE(k.memo_cents, 0), \
             COALESCE(k.paid_cents, 0), COALESCE(k.paid_out_cents, 0), COALESCE(k.refunded_cents, 0), \
             COALESCE(k.allocated_cents, 0) \
             FROM customers c LEFT JOIN customer_sums k ON k.customer_id = c.id ORDER BY c.id",
        )?;
        let kept = stmt.query_map([], |r| {
            let mut sums = [0i64; 7];
            for (i, s) in sums.iter_mut().enumerate() {
                *s = r.get(3 + i)?;
            }
            Ok(Kept {
                id: r.get(0)?,
                balance: r.get(1)?,
                uninvoiced: r.get(2)?,
                sums,
            })
        })?;
        let mut customers = Vec::new();
        for k in kept {
            let k = k?;
            let s = summed.get(&k.id).copied().unwrap_or_default();
            let a = applied.get(&k.id).copied().unwrap_or(0);
            let o = outstanding.get(&k.id).copied().unwrap_or(0);
            customers.push((k, s, a, o));
        }
        Ok(Pass { customers, days })
    }

    /// `customer id → sum` from a two-column query.
    fn per_customer(&self, sql: &str) -> Result<HashMap<i64, i128>> {
        let mut stmt = self.conn.prepare(sql)?;
        let rows = stmt.query_map([], |r| {
            Ok((r.get::<_, i64>(0)?, i128::from(r.get::<_, i64>(1)?)))
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }
}

fn add(into: &mut [i128; 6], figures: &[i128; 6]) {
    for (a, b) in into.iter_mut().zip(figures) {
        *a += b;
    }
}
