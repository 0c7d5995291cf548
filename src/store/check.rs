//! `tally check`: the book's own consistency, read in one snapshot.
//!
//! What it proves, each as one query over the whole book:
//! - SQLite's `integrity_check` (or `quick_check` for the cheap pass) and
//!   `foreign_key_check` find nothing;
//! - every maintained balance equals the sum of its entries;
//! - per customer, `balance = available credit − outstanding − uninvoiced`
//!   (DESIGN §1);
//! - finalized invoice numbers run 1..n with no gap;
//! - no invoice has more allocated to it than its total, a paid or void
//!   invoice has exactly its total, and no credit is allocated beyond itself;
//! - a finalized invoice's frozen total equals the sum of its charges;
//! - the kept day totals equal the sums of each day's entries, and each
//!   customer's kept uninvoiced sum the sum of their charges on no invoice,
//!   and their kept sums by kind (`customer_sums`) those of their entries
//!   and of the credits they applied;
//! - every refund or transfer used exactly its amount of its customer's
//!   credits, and each transfer's two sides match.
//!
//! The cheap pass (TUI start) checks only what needs no scan of the entries:
//! the invoice numbering.

use rusqlite::params;
use rusqlite::types::FromSql;

use super::check_pass::{Pass, Summed};
use super::{Reads, Result};

/// How much of the book to read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Depth {
    /// Only checks that are O(invoices) or better.
    Quick,
    Full,
}

/// One failed check: which rule, and the rows that break it.
#[derive(Debug, Clone, PartialEq)]
pub struct Problem {
    pub check: &'static str,
    pub detail: String,
}

/// What a check run looked at and what it found.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct CheckReport {
    /// The names of the checks that ran, in order.
    pub ran: Vec<&'static str>,
    pub problems: Vec<Problem>,
}

fn is_corrupt(e: &rusqlite::Error) -> bool {
    matches!(
        e.sqlite_error_code(),
        Some(rusqlite::ErrorCode::DatabaseCorrupt | rusqlite::ErrorCode::NotADatabase)
    )
}

impl Reads<'_> {
    /// What SQLite's integrity check reports, of the whole book or one
    /// table: each problem (page, table or index), nothing when sound.
    fn integrity_rows(&self, table: Option<&str>) -> rusqlite::Result<Vec<String>> {
        let sql = match table {
            None => "PRAGMA integrity_check(20)".to_string(),
            Some(t) => format!("PRAGMA integrity_check(\"{}\")", t.replace('"', "\"\"")),
        };
        let mut stmt = self.conn.prepare(&sql)?;
        let rows = stmt.query_map([], |r| r.get::<_, String>(0))?;
        let mut out = Vec::new();
        for row in rows {
            let row = row?;
            if row != "ok" {
                out.push(row);
            }
        }
        Ok(out)
    }

    /// The book's tables and their root pages, from the schema (which
    /// lives on page 1, read whenever the book opens).
    fn tables(&self) -> Result<Vec<(String, i64)>> {
        let mut stmt = self.conn.prepare(
            "SELECT name, rootpage FROM sqlite_schema WHERE type = 'table' AND rootpage > 0 ORDER BY name",
        )?;
        let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }
}

/// At most this many offending rows are listed per check.
const SHOWN: i64 = 20;

impl Reads<'_> {
    /// Runs the checks of `depth`. The caller runs it inside one read
    /// transaction, so every check sees the same snapshot.
    pub fn check(&self, depth: Depth) -> Result<CheckReport> {
        let mut report = CheckReport::default();
        let full = depth == Depth::Full;
        if full {
            self.sqlite_check(&mut report)?;
            if !report.is_ok() {
                // The rules below read tables SQLite says are damaged: what
                // they said would be about the damage, not the book.
                report.push(
                    "integrity",
                    "the book's own rules were not checked: restore it from a backup first".into(),
                );
                return Ok(report);
            }
        }
        self.numbering(&mut report)?;
        if full {
            let pass = self.customer_pass()?;
            self.balances(&mut report, &pass);
            self.allocations(&mut report)?;
            self.summaries(&mut report, &pass)?;
        }
        Ok(report)
    }

    fn sqlite_check(&self, report: &mut CheckReport) -> Result<()> {
        report.ran.push("integrity");
        match self.integrity_rows(None) {
            Ok(rows) => {
                for row in rows {
                    report.push("integrity", row);
                }
            }
            // Damage SQLite cannot even walk past: ask table by table, so
            // each damaged one is named.
            Err(e) if is_corrupt(&e) => {
                for (table, root) in self.tables()? {
                    match self.integrity_rows(Some(&table)) {
                        Ok(rows) => rows.into_iter().for_each(|r| report.push("integrity", r)),
                        Err(e) if is_corrupt(&e) => report.push(
                            "integrity",
                            format!("table {table} (root page {root}) cannot be read: {e}"),
                        ),
                        Err(e) => return Err(e.into()),
                    }
                }
                if report.is_ok() {
                    report.push("integrity", format!("SQLite reports: {e}"));
                }
            }
            Err(e) => return Err(e.into()),
        }
        if !report.is_ok() {
            return Ok(());
        }
        report.ran.push("foreign keys");
        let mut stmt = self
            .conn
            .prepare("SELECT \"table\", rowid, parent FROM pragma_foreign_key_check LIMIT ?1")?;
        let rows = stmt.query_map([SHOWN], |r| {
            Ok(format!(
                "{} row {} points to a missing {} row",
                r.get::<_, String>(0)?,
                r.get::<_, Option<i64>>(1)?.unwrap_or(0),
                r.get::<_, String>(2)?
            ))
        })?;
        for row in rows {
            report.push("foreign keys", row?);
        }
        Ok(())
    }

    fn numbering(&self, report: &mut CheckReport) -> Result<()> {
        report.ran.push("invoice numbers");
        let (count, max): (i64, i64) = self.conn.query_row(
            "SELECT count(seq), COALESCE(MAX(seq), 0) FROM invoices",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )?;
        if count != max {
            report.push(
                "invoice numbers",
                format!(
                    "{count} finalized invoices but the highest number is {max}: numbers have a gap"
                ),
            );
        }
        Ok(())
    }

    /// Each customer's kept balance against their entries, and the
    /// identity `balance = available credit − outstanding − uninvoiced`.
    fn balances(&self, report: &mut CheckReport, pass: &Pass) {
        report.ran.push("balances");
        let wrong = pass
            .customers
            .iter()
            .filter(|(k, s, _, _)| i128::from(k.balance) != s.balance);
        for (k, ..) in wrong.take(SHOWN as usize) {
            report.push(
                "balances",
                format!(
                    "customer {}: the kept balance differs from the sum of their entries",
                    k.id
                ),
            );
        }
        report.ran.push("identity");
        let parts = |s: &Summed, applied: i128, outstanding: i128| {
            s.credit - applied - outstanding - s.uninvoiced_or_draft
        };
        let wrong = pass
            .customers
            .iter()
            .filter(|(k, s, a, o)| i128::from(k.balance) != parts(s, *a, *o));
        for (k, s, a, o) in wrong.take(SHOWN as usize) {
            report.push(
                "identity",
                format!(
                    "customer {}: balance {} but available credit − outstanding − uninvoiced = {}",
                    k.id,
                    self.plain(k.balance),
                    self.plain128(parts(s, *a, *o))
                ),
            );
        }
    }

    fn allocations(&self, report: &mut CheckReport) -> Result<()> {
        report.ran.push("allocations");
        let queries = [
            (
                "SELECT COALESCE(i.number, 'draft ' || i.id), COALESCE(i.total_cents, 0), \
                 (SELECT COALESCE(SUM(amount_cents), 0) FROM allocations WHERE invoice_id = i.id) AS paid \
                 FROM invoices i WHERE paid > COALESCE(i.total_cents, 0) \
                 OR (i.status IN ('paid', 'void') AND paid <> i.total_cents) LIMIT ?1",
                "allocated {paid} against a total of {total}",
            ),
            (
                "SELECT i.number, i.total_cents, \
                 (SELECT COALESCE(SUM(amount_cents + tax_cents), 0) FROM entries WHERE invoice_id = i.id) AS lines \
                 FROM invoices i WHERE i.status <> 'draft' AND lines <> i.total_cents LIMIT ?1",
                "its charges add up to {paid} but its total is {total}",
            ),
        ];
        for (sql, what) in queries {
            self.each(sql, |label: String, total, paid| {
                let detail = what
                    .replace("{paid}", &self.plain(paid))
                    .replace("{total}", &self.plain(total));
                report.push("allocations", format!("invoice {label}: {detail}"));
            })?;
        }
        self.each(
            "SELECT e.id, e.amount_cents, SUM(u.amount_cents) AS used FROM \
             (SELECT credit_id, amount_cents FROM allocations UNION ALL \
              SELECT credit_id, amount_cents FROM payout_sources) u \
             JOIN entries e ON e.id = u.credit_id GROUP BY e.id HAVING used > e.amount_cents LIMIT ?1",
            |id: i64, amount, used| {
                report.push(
                    "allocations",
                    format!(
                        "credit #{id} of {} is allocated {}",
                        self.plain(amount),
                        self.plain(used)
                    ),
                );
            },
        )?;
        self.payouts(report)
    }

    /// Every payout used exactly its amount of its own customer's credits,
    /// and the two sides of each transfer point at each other with one amount.
    fn payouts(&self, report: &mut CheckReport) -> Result<()> {
        report.ran.push("payouts");
        self.each(
            "SELECT p.id, p.amount_cents, \
             (SELECT COALESCE(SUM(s.amount_cents), 0) FROM payout_sources s JOIN entries c ON c.id = s.credit_id \
              WHERE s.payout_id = p.id AND c.customer_id = p.customer_id AND c.kind = 'credit') AS used \
             FROM entries p WHERE p.kind = 'payout' AND used <> p.amount_cents LIMIT ?1",
            |id: i64, amount, used| {
                report.push(
                    "payouts",
                    format!(
                        "payout #{id} of {} used {} of its customer's credit",
                        self.plain(amount),
                        self.plain(used)
                    ),
                );
            },
        )?;
        self.each(
            "SELECT a.id, a.amount_cents, COALESCE(b.amount_cents, 0) FROM entries a \
             LEFT JOIN entries b ON b.id = a.counterpart \
             WHERE a.counterpart IS NOT NULL AND (b.id IS NULL OR b.counterpart IS NOT a.id \
             OR b.amount_cents <> a.amount_cents OR b.kind = a.kind) LIMIT ?1",
            |id: i64, amount, other| {
                report.push(
                    "payouts",
                    format!(
                        "transfer #{id} of {} does not match its other side ({})",
                        self.plain(amount),
                        self.plain(other)
                    ),
                );
            },
        )
    }

    /// The kept summaries (migrations 9, 10 and 12) against the entries
    /// and the balances.
    fn summaries(&self, report: &mut CheckReport, pass: &Pass) -> Result<()> {
        report.ran.push("day totals");
        let kept: std::collections::BTreeMap<String, [i128; 6]> = {
            let mut stmt = self.conn.prepare(
                "SELECT day, billed_cents, collected_cents, transfers_in_cents, \
                 transfers_out_cents, opening_cents, entries FROM day_totals",
            )?;
            let rows = stmt.query_map([], |r| {
                let mut v = [0i128; 6];
                for (i, x) in v.iter_mut().enumerate() {
                    *x = i128::from(r.get::<_, i64>(1 + i)?);
                }
                Ok((r.get::<_, String>(0)?, v))
            })?;
            rows.collect::<rusqlite::Result<_>>()?
        };
        // Every day either side knows; a day missing on one side is zeros.
        let mut days: Vec<&String> = kept.keys().chain(pass.days.keys()).collect();
        days.sort();
        days.dedup();
        let zero = [0i128; 6];
        let wrong = days
            .into_iter()
            .filter(|d| kept.get(*d).unwrap_or(&zero) != pass.days.get(*d).unwrap_or(&zero));
        for day in wrong.take(SHOWN as usize) {
            report.push(
                "day totals",
                format!("{day}: the kept day totals differ from the sum of its entries"),
            );
        }
        report.ran.push("book totals");
        let customers = |n: i64| crate::domain::text::count(n as usize, "customer", "customers");
        let (kept, summed) = (self.totals()?, self.summed_totals()?);
        if kept != summed {
            report.push(
                "book totals",
                format!(
                    "the kept totals (owed {}, credit {}, {}) differ from the balances (owed {}, credit {}, {})",
                    self.cur.plain(kept.owed),
                    self.cur.plain(kept.credit),
                    customers(kept.customers),
                    self.cur.plain(summed.owed),
                    self.cur.plain(summed.credit),
                    customers(summed.customers)
                ),
            );
        }
        report.ran.push("uninvoiced sums");
        let wrong = pass
            .customers
            .iter()
            .filter(|(k, s, _, _)| i128::from(k.uninvoiced) != s.uninvoiced);
        for (k, s, ..) in wrong.take(SHOWN as usize) {
            report.push(
                "uninvoiced sums",
                format!(
                    "customer {}: kept {} uninvoiced but their charges not on an invoice sum to {}",
                    k.id,
                    self.plain(k.uninvoiced),
                    self.plain128(s.uninvoiced)
                ),
            );
        }
        report.ran.push("customer sums");
        let names = [
            "charged",
            "credited",
            "credit memos",
            "paid",
            "paid out",
            "refunded",
            "applied to invoices",
        ];
        let wrong = pass.customers.iter().flat_map(|(k, s, applied, _)| {
            let summed = [
                s.charged, s.credited, s.memo, s.paid, s.paid_out, s.refunded, *applied,
            ];
            (0..names.len())
                .filter(move |i| i128::from(k.sums[*i]) != summed[*i])
                .map(move |i| (k.id, names[i], k.sums[i], summed[i]))
        });
        for (id, what, kept, sum) in wrong.take(SHOWN as usize) {
            report.push(
                "customer sums",
                format!(
                    "customer {id}: {what}: kept {} but their entries sum to {}",
                    self.plain(kept),
                    self.plain128(sum)
                ),
            );
        }
        Ok(())
    }

    fn each<A: FromSql>(&self, sql: &str, mut f: impl FnMut(A, i64, i64)) -> Result<()> {
        let mut stmt = self.conn.prepare(sql)?;
        let mut rows = stmt.query(params![SHOWN])?;
        while let Some(r) = rows.next()? {
            f(r.get(0)?, r.get(1)?, r.get(2)?);
        }
        Ok(())
    }

    fn plain(&self, minor: i64) -> String {
        self.cur.plain(self.money(minor))
    }

    fn plain128(&self, minor: i128) -> String {
        self.cur.plain(rust_decimal::Decimal::from_i128_with_scale(
            minor,
            self.cur.decimals,
        ))
    }
}

impl CheckReport {
    fn push(&mut self, check: &'static str, detail: String) {
        self.problems.push(Problem { check, detail });
    }

    pub fn is_ok(&self) -> bool {
        self.problems.is_empty()
    }
}
