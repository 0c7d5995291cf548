//! Receivables aging as of a past day, from one pass over the entries in
//! the table's own order: what `Reads::aging_scan` (the report's
//! definition, in SQL) says, without its per-row date arithmetic, joins
//! and grouping. Customers' terms, the invoices and the allocations dated
//! by then are held in memory (each far fewer than the entries); the
//! entries are read once and never held, in two halves by id that
//! [`Store::aging_as_of`] reads on two cores in one snapshot (`twin.rs`).
//!
//! Invariant: the same rows as `aging_scan` for any day; tests hold the
//! two equal on random books at random days.

use std::collections::{HashMap, HashSet};

use chrono::NaiveDate;
use rusqlite::named_params;

use super::dense::DenseMap;
use super::reports::{AgingRow, Ladder, bucket};
use super::{Reads, Result, Store, day, parse_day};

/// One customer's share of the report while the pass runs: one cache
/// line, as the pass touches one of these per entry in no order.
#[derive(Default, Clone)]
#[repr(align(64))]
struct Owed {
    /// Their own payment terms, where set.
    terms: Option<u32>,
    buckets: [i64; 5],
    /// Whether any item was owed (a row even if its buckets net to zero).
    any: bool,
    /// Credits less payouts dated by the day, less what of those credits
    /// was applied to invoices issued by then.
    credit: i64,
}

impl Owed {
    /// Adds another half's share (terms are the customer's, the same).
    fn add(&mut self, o: &Owed) {
        for (mine, theirs) in self.buckets.iter_mut().zip(o.buckets) {
            *mine += theirs;
        }
        self.any |= o.any;
        self.credit += o.credit;
    }
}

/// An invoice as the day saw it.
struct Invoice {
    customer: i64,
    /// Issued by the day and not a draft: an item itself.
    item: bool,
    /// Issued by the day: credit applied to it was no longer held.
    issued_by: bool,
    total: i64,
    due: Option<String>,
    /// Allocated to it from credits dated by the day.
    paid: i64,
}

impl Store {
    /// [`Reads::aging_pass`], the two halves of the entries read on two
    /// cores in one snapshot.
    pub fn aging_as_of(&self, as_of: NaiveDate, default_terms: u32) -> Result<Vec<AgingRow>> {
        self.read_in_halves(
            true,
            |r, half| r.aging_part(as_of, default_terms, half),
            |r, first, second| r.aging_rows(as_of, first, second),
        )
    }
}

impl Reads<'_> {
    /// [`Reads::aging_scan`]'s rows, from one pass over the book (in two
    /// halves, as [`Store::aging_as_of`] reads it on two connections).
    pub fn aging_pass(&self, as_of: NaiveDate, default_terms: u32) -> Result<Vec<AgingRow>> {
        self.in_halves(
            |r, half| r.aging_part(as_of, default_terms, half),
            |r, first, second| r.aging_rows(as_of, first, second),
        )
    }

    /// What the entries with ids in `from..=to` dated by `as_of` add to
    /// each customer's share: their charges on no issued invoice, by
    /// column, and their credit less payouts.
    fn aging_part(
        &self,
        as_of: NaiveDate,
        default_terms: u32,
        (from, to): (i64, i64),
    ) -> Result<DenseMap<Owed>> {
        let d = day(as_of);
        let mut customers = self.owed_slots()?;
        let counting = self.invoices_whose_charges_count(&d)?;
        // Few customers have terms of their own: a short list, not a hash.
        let mut ladders: Vec<(u32, Ladder)> = Vec::new();
        let mut stmt = self.conn.prepare(
            "SELECT customer_id, kind, amount_cents, tax_cents, date, invoice_id, opening \
             FROM entries NOT INDEXED WHERE id >= :from AND id <= :to AND date <= :d",
        )?;
        let mut rows = stmt.query(named_params! { ":from": from, ":to": to, ":d": d })?;
        while let Some(r) = rows.next()? {
            let Some(owed) = customers.get_mut(r.get::<_, i64>(0)?) else {
                continue;
            };
            let kind = r.get_ref(1)?.as_bytes().map_err(rusqlite::Error::from)?;
            let amount: i64 = r.get(2)?;
            if kind != b"charge" {
                owed.credit += if kind == b"credit" { amount } else { -amount };
                continue;
            }
            // On an invoice issued by then, the invoice is the item.
            if r.get::<_, Option<i64>>(5)?
                .is_some_and(|i| !counting.contains(&i))
            {
                continue;
            }
            let terms = if r.get(6)? {
                0
            } else {
                owed.terms.unwrap_or(default_terms)
            };
            let date = r.get_ref(4)?.as_str().map_err(rusqlite::Error::from)?;
            let at = match ladders.iter().position(|(t, _)| *t == terms) {
                Some(at) => at,
                None => {
                    ladders.push((terms, Ladder::new(as_of, terms)));
                    ladders.len() - 1
                }
            };
            let column = ladders[at].1.column(date);
            owed.buckets[column] += amount + r.get::<_, i64>(3)?;
            owed.any = true;
        }
        Ok(customers)
    }

    /// A slot for every customer, with their own payment terms.
    fn owed_slots(&self) -> Result<DenseMap<Owed>> {
        // One small record per customer (their names are read at the
        // end): the pass touches one of these per entry.
        self.customer_slots("SELECT id, payment_terms_days FROM customers", |r| {
            Ok(Owed {
                terms: r.get(1)?,
                ..Owed::default()
            })
        })
    }

    /// The rows, from both halves' shares, the invoices issued by the day
    /// and the credit applied to them by then.
    fn aging_rows(
        &self,
        as_of: NaiveDate,
        first: DenseMap<Owed>,
        second: DenseMap<Owed>,
    ) -> Result<Vec<AgingRow>> {
        let d = day(as_of);
        let mut customers = first;
        for (id, o) in second.into_sorted() {
            match customers.get_mut(id) {
                Some(mine) => mine.add(&o),
                None => customers.insert(id, o),
            }
        }
        let mut invoices = self.invoices_as_of(&d)?;
        self.allocations_as_of(&d, &mut invoices, &mut customers)?;
        for inv in invoices.values().filter(|i| i.item) {
            let left = inv.total - inv.paid;
            let Some(owed) = customers.get_mut(inv.customer) else {
                continue;
            };
            if left > 0 {
                if let Some(due) = &inv.due {
                    owed.buckets[bucket((as_of - parse_day(0, due)?).num_days())] += left;
                }
                owed.any = true;
            }
        }
        let mut out: Vec<AgingRow> = customers
            .into_sorted()
            .into_iter()
            .filter_map(|(id, o)| {
                let credit = o.credit.max(0);
                (o.any || credit > 0).then(|| AgingRow {
                    id,
                    name: String::new(),
                    buckets: o.buckets.map(i128::from),
                    credit: credit.into(),
                })
            })
            .collect();
        self.name_rows(&mut out)?;
        Ok(out)
    }

    /// Drafts and invoices issued after `d`: their charges were still
    /// items of their own that day.
    fn invoices_whose_charges_count(&self, d: &str) -> Result<HashSet<i64>> {
        let mut stmt = self
            .conn
            .prepare("SELECT id FROM invoices WHERE status = 'draft' OR issue_date > :d")?;
        let rows = stmt.query_map(named_params! { ":d": d }, |r| r.get(0))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Each row's customer name, from one read of the customers in id
    /// order beside the rows (also in id order).
    fn name_rows(&self, rows: &mut [AgingRow]) -> Result<()> {
        let mut stmt = self
            .conn
            .prepare("SELECT id, name FROM customers ORDER BY id")?;
        let mut names = stmt.query([])?;
        for row in rows.iter_mut() {
            while let Some(r) = names.next()? {
                if r.get::<_, i64>(0)? == row.id {
                    row.name = r.get(1)?;
                    break;
                }
            }
        }
        Ok(())
    }

    /// Every invoice, with whether it was issued by `d` (drafts never are).
    fn invoices_as_of(&self, d: &str) -> Result<HashMap<i64, Invoice>> {
        let mut stmt = self.conn.prepare(
            "SELECT id, customer_id, status <> 'draft' AND issue_date <= :d, issue_date <= :d, \
             COALESCE(total_cents, 0), due_date FROM invoices",
        )?;
        let rows = stmt.query_map(named_params! { ":d": d }, |r| {
            Ok((
                r.get(0)?,
                Invoice {
                    customer: r.get(1)?,
                    // SQL's unknown (a missing date) is no.
                    item: r.get::<_, Option<bool>>(2)?.unwrap_or(false),
                    issued_by: r.get::<_, Option<bool>>(3)?.unwrap_or(false),
                    total: r.get(4)?,
                    due: r.get(5)?,
                    paid: 0,
                },
            ))
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Allocations from credits dated by `d`: paid toward each invoice,
    /// and applied from each customer's credit to invoices issued by then.
    fn allocations_as_of(
        &self,
        d: &str,
        invoices: &mut HashMap<i64, Invoice>,
        customers: &mut DenseMap<Owed>,
    ) -> Result<()> {
        let mut stmt = self.conn.prepare(
            "SELECT a.invoice_id, a.amount_cents, c.customer_id FROM allocations a \
             JOIN entries c ON c.id = a.credit_id WHERE c.date <= :d",
        )?;
        let mut rows = stmt.query(named_params! { ":d": d })?;
        while let Some(r) = rows.next()? {
            let (invoice, amount, customer): (i64, i64, i64) = (r.get(0)?, r.get(1)?, r.get(2)?);
            let Some(inv) = invoices.get_mut(&invoice) else {
                continue;
            };
            inv.paid += amount;
            if inv.issued_by
                && let Some(owed) = customers.get_mut(customer)
            {
                owed.credit -= amount;
            }
        }
        Ok(())
    }
}
