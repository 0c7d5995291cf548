//! The per-entry rules of `tally check`, from one pass over the entries:
//! each customer's balance, the balance identity, the kept uninvoiced sum
//! and the kept sums by kind, each recomputed from the entries and
//! compared with what the book keeps; each day's figures for the kept day
//! totals; and every reference an entry holds (its customer, invoice,
//! void, memo, contract and transfer counterpart), so the foreign key
//! check need not look each one up again. One read of the entries table
//! in its own order (no sort, no temporary index) replaces a scan per
//! rule, so the rules cost about one reading of the book. The read comes
//! in two parts by id ([`Part`]), which may be read on two connections in
//! one snapshot; their sums are added before any rule compares them.
//!
//! Invariants: the same rules, with the same words, as the queries they
//! replace; sums are 128-bit, so no book can overflow them; a reference
//! of the entries that this pass does not know (a new foreign key in the
//! schema) is left to SQLite's own check, never skipped.

use std::collections::{BTreeMap, HashMap, HashSet};

use super::dense::{DenseMap, DenseSet};
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
    /// Each day (`YYYYMMDD` as a number) with its figures (`day_figures`:
    /// billed, collected, transfers in and out, opening) and entry count,
    /// summed from its entries.
    pub days: BTreeMap<u32, [i128; 6]>,
    /// Entries pointing at a row that is not there: (entry id, the table
    /// it should be in), in entry order.
    pub orphans: Vec<(i64, &'static str)>,
    /// Whether the pass proved every reference the entries hold (false:
    /// SQLite's foreign key check must read the entries too).
    pub references_checked: bool,
    /// Every payout's id, and every entry's with a counterpart (the
    /// sides of transfers), in entry order.
    pub payouts: Vec<i64>,
    pub transfers: Vec<i64>,
}

/// The references of an entry the pass proves: (column, parent table).
/// Matched against the schema's own list before the pass relies on it.
const REFERENCES: [(&str, &str); 6] = [
    ("customer_id", "customers"),
    ("invoice_id", "invoices"),
    ("void_of", "invoices"),
    ("memo_of", "invoices"),
    ("contract_id", "contracts"),
    ("counterpart", "entries"),
];

/// Hashing for day keys, which are small distinct numbers: a multiply,
/// not SipHash (no one chooses them to collide, and they are few).
#[derive(Default, Clone, Copy)]
struct DayHash;

struct DayHasher(u64);

impl std::hash::BuildHasher for DayHash {
    type Hasher = DayHasher;
    fn build_hasher(&self) -> DayHasher {
        DayHasher(0)
    }
}

impl std::hash::Hasher for DayHasher {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for b in bytes {
            self.0 = (self.0 ^ u64::from(*b)).wrapping_mul(0x0100_0000_01b3);
        }
    }
    fn write_u32(&mut self, n: u32) {
        self.0 = u64::from(n).wrapping_mul(0x9e37_79b9_7f4a_7c15);
    }
}

/// `YYYY-MM-DD` as the number `YYYYMMDD`: the same order, no allocation.
/// The schema holds every date to that shape.
fn day_key(day: &[u8]) -> u32 {
    day.iter()
        .filter(|b| b.is_ascii_digit())
        .fold(0, |n, b| n * 10 + u32::from(b - b'0'))
}

/// A day key as the book writes the day.
pub(super) fn day_text(key: u32) -> String {
    format!(
        "{:04}-{:02}-{:02}",
        key / 10_000,
        key / 100 % 100,
        key % 100
    )
}

pub(super) fn day_key_of(day: &str) -> u32 {
    day_key(day.as_bytes())
}

/// The parent tables' ids an entry may point at.
struct Parents {
    customers: DenseSet,
    invoices: DenseSet,
    drafts: HashSet<i64>,
    contracts: DenseSet,
}

/// What one part of the entries adds up to.
pub(super) struct Part {
    summed: DenseMap<Summed>,
    days: HashMap<u32, [i128; 6], DayHash>,
    entry_ids: DenseSet,
    /// (entry id, the entry it names as its counterpart).
    counterparts: Vec<(i64, i64)>,
    payouts: Vec<i64>,
    orphans: Vec<(i64, &'static str)>,
}

impl Part {
    /// One row of `entries_part`'s query.
    fn add_row(&mut self, r: &rusqlite::Row<'_>, parents: &Parents) -> Result<()> {
        let id: i64 = r.get(0)?;
        self.entry_ids.insert(id);
        let refs: [Option<i64>; 6] = [
            r.get(1)?,
            r.get(5)?,
            r.get(7)?,
            r.get(6)?,
            r.get(9)?,
            r.get(8)?,
        ];
        let sets = [
            &parents.customers,
            &parents.invoices,
            &parents.invoices,
            &parents.invoices,
            &parents.contracts,
        ];
        for (i, set) in sets.iter().enumerate() {
            if refs[i].is_some_and(|p| !set.contains(p)) {
                self.orphans.push((id, REFERENCES[i].1));
            }
        }
        if let Some(other) = refs[5] {
            self.counterparts.push((id, other));
        }
        let kind = r.get_ref(2)?.as_bytes().map_err(rusqlite::Error::from)?;
        if kind == b"payout" {
            self.payouts.push(id);
        }
        let d = r.get_ref(10)?.as_bytes().map_err(rusqlite::Error::from)?;
        let figures = self.days.entry(day_key(d)).or_default();
        for (i, f) in figures.iter_mut().take(5).enumerate() {
            *f += i128::from(r.get::<_, i64>(11 + i)?);
        }
        figures[5] += 1;
        let customer: i64 = r.get(1)?;
        // An entry of a customer who is not there counts for nobody (it
        // is reported above).
        if let Some(s) = self.summed.get_mut(customer) {
            let amount = i128::from(r.get::<_, i64>(3)?);
            let tax = i128::from(r.get::<_, i64>(4)?);
            add_entry(s, kind, amount, tax, refs, &parents.drafts);
        }
        Ok(())
    }

    /// Adds another part's sums to this one's.
    fn merge(&mut self, other: Part) {
        for (id, s) in other.summed.into_sorted() {
            match self.summed.get_mut(id) {
                Some(mine) => mine.add(&s),
                None => self.summed.insert(id, s),
            }
        }
        for (day, figures) in other.days {
            let mine = self.days.entry(day).or_default();
            for (m, f) in mine.iter_mut().zip(figures) {
                *m += f;
            }
        }
        self.entry_ids.union(&other.entry_ids);
        self.counterparts.extend(other.counterparts);
        self.payouts.extend(other.payouts);
        self.orphans.extend(other.orphans);
    }
}

impl Summed {
    /// Adds another part's sums (every field named, so a new one cannot
    /// be left out).
    fn add(&mut self, o: &Summed) {
        let Summed {
            balance,
            credit,
            uninvoiced_or_draft,
            uninvoiced,
            charged,
            credited,
            memo,
            paid,
            paid_out,
            refunded,
        } = o;
        self.balance += balance;
        self.credit += credit;
        self.uninvoiced_or_draft += uninvoiced_or_draft;
        self.uninvoiced += uninvoiced;
        self.charged += charged;
        self.credited += credited;
        self.memo += memo;
        self.paid += paid;
        self.paid_out += paid_out;
        self.refunded += refunded;
    }
}

impl Reads<'_> {
    fn ids(&self, sql: &str) -> Result<DenseSet> {
        let mut ids = DenseSet::default();
        let mut stmt = self.conn.prepare(sql)?;
        let mut rows = stmt.query([])?;
        while let Some(r) = rows.next()? {
            ids.insert(r.get(0)?);
        }
        Ok(ids)
    }

    fn parents(&self) -> Result<Parents> {
        let drafts = {
            let mut stmt = self
                .conn
                .prepare("SELECT id FROM invoices WHERE status = 'draft'")?;
            let rows = stmt.query_map([], |r| r.get(0))?;
            rows.collect::<rusqlite::Result<_>>()?
        };
        Ok(Parents {
            customers: self.ids("SELECT id FROM customers")?,
            invoices: self.ids("SELECT id FROM invoices")?,
            drafts,
            contracts: self.ids("SELECT id FROM contracts")?,
        })
    }

    /// Whether the schema's references from entries are exactly those the
    /// pass proves.
    fn references_known(&self) -> Result<bool> {
        let mut stmt = self
            .conn
            .prepare("SELECT \"from\", \"table\" FROM pragma_foreign_key_list('entries')")?;
        let rows = stmt.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?)))?;
        let mut found: Vec<(String, String)> = rows.collect::<rusqlite::Result<_>>()?;
        let mut known: Vec<(String, String)> = REFERENCES
            .iter()
            .map(|(c, t)| (c.to_string(), t.to_string()))
            .collect();
        found.sort();
        known.sort();
        Ok(found == known)
    }

    /// What the entries with ids in `from..=to` add up to.
    pub(super) fn entries_part(&self, (from, to): (i64, i64)) -> Result<Part> {
        let parents = self.parents()?;
        let mut part = Part {
            summed: self.customer_slots("SELECT id FROM customers", |_| Ok(Summed::default()))?,
            days: HashMap::default(),
            entry_ids: DenseSet::default(),
            counterparts: Vec::new(),
            payouts: Vec::new(),
            orphans: Vec::new(),
        };
        // The day's figures come from `day_figures`, their one definition,
        // which also carries the entry's columns (schema 18): one scan.
        let mut stmt = self.conn.prepare(
            "SELECT id, customer_id, kind, amount_cents, tax_cents, invoice_id, memo_of, void_of, \
             counterpart, contract_id, day, billed, collected, transfers_in, transfers_out, opening \
             FROM day_figures WHERE id >= ?1 AND id <= ?2",
        )?;
        let mut rows = stmt.query([from, to])?;
        while let Some(r) = rows.next()? {
            part.add_row(r, &parents)?;
        }
        Ok(part)
    }

    /// Every customer's sums from both parts of the entries, beside what
    /// the book keeps.
    pub(super) fn customer_pass(&self, first: Part, second: Part) -> Result<Pass> {
        let mut all = first;
        all.merge(second);
        let mut orphans = all.orphans;
        for (id, other) in &all.counterparts {
            if !all.entry_ids.contains(*other) {
                orphans.push((*id, "entries"));
            }
        }
        orphans.sort();
        let mut payouts = all.payouts;
        payouts.sort();
        let mut transfers: Vec<i64> = all.counterparts.into_iter().map(|(id, _)| id).collect();
        transfers.sort();
        Ok(Pass {
            customers: self.kept_customers(&all.summed)?,
            days: all.days.into_iter().collect(),
            orphans,
            references_checked: self.references_known()?,
            payouts,
            transfers,
        })
    }

    /// What the book keeps per customer beside what their entries sum to.
    fn kept_customers(&self, summed: &DenseMap<Summed>) -> Result<Vec<(Kept, Summed, i128, i128)>> {
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
            let s = summed.get(k.id).copied().unwrap_or_default();
            let a = applied.get(&k.id).copied().unwrap_or(0);
            let o = outstanding.get(&k.id).copied().unwrap_or(0);
            customers.push((k, s, a, o));
        }
        Ok(customers)
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

/// One entry's part in its customer's sums. `refs` as [`REFERENCES`].
fn add_entry(
    s: &mut Summed,
    kind: &[u8],
    amount: i128,
    tax: i128,
    refs: [Option<i64>; 6],
    drafts: &HashSet<i64>,
) {
    let [_, invoice, void_of, memo_of, _, counterpart] = refs;
    match kind {
        b"charge" => {
            s.balance -= amount + tax;
            s.charged += amount + tax;
            match invoice {
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
            if memo_of.is_some() {
                s.memo += amount;
            }
            if void_of.is_none() && memo_of.is_none() && counterpart.is_none() {
                s.paid += amount;
            }
        }
        _ => {
            s.balance -= amount + tax;
            s.credit -= amount;
            s.paid_out += amount;
            if counterpart.is_none() {
                s.refunded += amount;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn day_keys_keep_the_order_and_read_back() {
        assert!(day_key(b"2025-12-31") < day_key(b"2026-01-01"));
        assert_eq!(day_text(day_key(b"2026-02-03")), "2026-02-03");
    }
}
