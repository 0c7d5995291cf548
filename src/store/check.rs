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
//! How deep a run goes ([`Depth`]): `Instant` (TUI start) checks only
//! what needs no scan of the entries, the invoice numbering; `Quick`
//! (`tally check --quick`) every rule of the book's own, foreign keys
//! included, reading the entries in two halves on two cores (a twin
//! connection in the same snapshot, `twin.rs`); `Full` adds SQLite's
//! page-level `integrity_check`, which reads every page and index of the
//! file. That runs on its own read-only connection on the second core
//! while this connection reads the rules, both halves in turn, so a full
//! check costs about the integrity check alone. When it finds damage,
//! nothing the rules said is reported: they read the damaged tables, so
//! what they said would be about the damage.

use std::path::Path;

use rusqlite::types::FromSql;
use rusqlite::{Connection, params};

use super::check_pass::{Pass, Summed, day_key_of, day_text};
use super::{Reads, Result, Store, page_check_reader, page_check_sql};

/// How much of the book to read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Depth {
    /// Only checks that are O(invoices) or better (TUI start).
    Instant,
    /// Every rule of the book, without SQLite's page-level check.
    Quick,
    /// Everything.
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

/// At most this many offending rows are listed per check.
const SHOWN: i64 = 20;

impl Store {
    /// Runs the checks of `depth`; the book's rules in one snapshot.
    pub fn check(&self, depth: Depth) -> Result<CheckReport> {
        match depth {
            Depth::Instant => self.snapshot(|r| {
                let mut report = CheckReport::default();
                r.numbering(&mut report)?;
                Ok(report)
            }),
            Depth::Quick => self.rules(true),
            Depth::Full => self.full_check(),
        }
    }

    /// SQLite's page check beside the book's rules.
    fn full_check(&self) -> Result<CheckReport> {
        let file = self.path();
        if !file.is_file() {
            // A private in-memory book has no second connection.
            let pages = integrity_problems(&self.conn)?;
            return finish_full(pages, || self.rules(false));
        }
        std::thread::scope(|s| {
            let pages = s.spawn(|| page_check(file));
            // The page check has the second core.
            let rules = self.rules(false);
            let pages = pages
                .join()
                .unwrap_or_else(|_| Ok(vec!["the integrity check stopped unexpectedly".into()]))?;
            finish_full(pages, || rules)
        })
    }

    /// Every rule of the book's own, in one snapshot. The entries are read
    /// in two halves: with `two_cores`, one on each core.
    fn rules(&self, two_cores: bool) -> Result<CheckReport> {
        self.read_in_halves(
            two_cores,
            |r, half| r.entries_part(half),
            |r, first, second| r.rules(&r.customer_pass(first, second)?),
        )
    }
}

/// The full report: the page-level findings, then, only where there were
/// none, the rules'.
fn finish_full(
    pages: Vec<String>,
    rules: impl FnOnce() -> Result<CheckReport>,
) -> Result<CheckReport> {
    let mut report = CheckReport::default();
    report.ran.push("integrity");
    if !pages.is_empty() {
        for p in pages {
            report.push("integrity", p);
        }
        report.push(
            "integrity",
            "the book's own rules were not checked: restore it from a backup first".into(),
        );
        return Ok(report);
    }
    let rules = rules()?;
    report.ran.extend(rules.ran);
    report.problems.extend(rules.problems);
    Ok(report)
}

/// SQLite's integrity check of the book file, on a connection of its own.
fn page_check(file: &Path) -> Result<Vec<String>> {
    integrity_problems(&page_check_reader(file)?)
}

/// What SQLite's integrity check reports of a book, nothing when sound.
fn integrity_problems(conn: &Connection) -> Result<Vec<String>> {
    let mut found = Vec::new();
    match integrity_rows(conn, None) {
        Ok(rows) => found.extend(rows),
        // Damage SQLite cannot even walk past: ask table by table, so
        // each damaged one is named.
        Err(e) if is_corrupt(&e) => {
            for (table, root) in tables(conn)? {
                match integrity_rows(conn, Some(&table)) {
                    Ok(rows) => found.extend(rows),
                    Err(e) if is_corrupt(&e) => found.push(format!(
                        "table {table} (root page {root}) cannot be read: {e}"
                    )),
                    Err(e) => return Err(e.into()),
                }
            }
            if found.is_empty() {
                found.push(format!("SQLite reports: {e}"));
            }
        }
        Err(e) => return Err(e.into()),
    }
    Ok(found)
}

/// What SQLite's integrity check reports, of the whole book or one
/// table: each problem (page, table or index), nothing when sound.
fn integrity_rows(conn: &Connection, table: Option<&str>) -> rusqlite::Result<Vec<String>> {
    let sql = match table {
        None => "PRAGMA integrity_check(20)".to_string(),
        Some(_) => page_check_sql("integrity_check", table),
    };
    let mut stmt = conn.prepare(&sql)?;
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

/// The book's tables and their root pages, from the schema (which lives
/// on page 1, read whenever the book opens).
fn tables(conn: &Connection) -> Result<Vec<(String, i64)>> {
    let mut stmt = conn.prepare(
        "SELECT name, rootpage FROM sqlite_schema WHERE type = 'table' AND rootpage > 0 ORDER BY name",
    )?;
    let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

impl Reads<'_> {
    /// The book's own rules, given the pass over its entries.
    fn rules(&self, pass: &Pass) -> Result<CheckReport> {
        let mut report = CheckReport::default();
        self.foreign_keys(&mut report, pass)?;
        self.numbering(&mut report)?;
        self.balances(&mut report, pass);
        self.allocations(&mut report, pass)?;
        self.summaries(&mut report, pass)?;
        Ok(report)
    }

    /// Every reference points at a row: the entries' from the pass, every
    /// other table's (and the entries' where the pass does not know them
    /// all) from SQLite's own check.
    fn foreign_keys(&self, report: &mut CheckReport, pass: &Pass) -> Result<()> {
        report.ran.push("foreign keys");
        let mut found: Vec<String> = pass
            .orphans
            .iter()
            .map(|(id, parent)| format!("entries row {id} points to a missing {parent} row"))
            .collect();
        let mut stmt = self.conn.prepare(
            "SELECT DISTINCT m.name FROM sqlite_schema m, pragma_foreign_key_list(m.name) \
             WHERE m.type = 'table' ORDER BY m.name",
        )?;
        let tables: Vec<String> = stmt
            .query_map([], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        for table in tables {
            if table == "entries" && pass.references_checked {
                continue;
            }
            let mut stmt = self.conn.prepare(
                "SELECT \"table\", rowid, parent FROM pragma_foreign_key_check(?1) LIMIT ?2",
            )?;
            let rows = stmt.query_map(params![table, SHOWN], |r| {
                Ok(format!(
                    "{} row {} points to a missing {} row",
                    r.get::<_, String>(0)?,
                    r.get::<_, Option<i64>>(1)?.unwrap_or(0),
                    r.get::<_, String>(2)?
                ))
            })?;
            for row in rows {
                found.push(row?);
            }
        }
        for detail in found.into_iter().take(SHOWN as usize) {
            report.push("foreign keys", detail);
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

    fn allocations(&self, report: &mut CheckReport, pass: &Pass) -> Result<()> {
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
        self.payouts(report, pass)
    }

    /// Every payout used exactly its amount of its own customer's credits,
    /// and the two sides of each transfer point at each other with one amount.
    /// The pass found every payout and every entry with a counterpart:
    /// each is looked up by its id, not by a scan of the entries.
    fn payouts(&self, report: &mut CheckReport, pass: &Pass) -> Result<()> {
        report.ran.push("payouts");
        self.each_of(
            "SELECT p.id, p.amount_cents, \
             (SELECT COALESCE(SUM(s.amount_cents), 0) FROM payout_sources s JOIN entries c ON c.id = s.credit_id \
              WHERE s.payout_id = p.id AND c.customer_id = p.customer_id AND c.kind = 'credit') AS used \
             FROM entries p WHERE p.id = ?1 AND p.kind = 'payout' AND used <> p.amount_cents",
            &pass.payouts,
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
        self.each_of(
            "SELECT a.id, a.amount_cents, COALESCE(b.amount_cents, 0) FROM entries a \
             LEFT JOIN entries b ON b.id = a.counterpart \
             WHERE a.id = ?1 AND a.counterpart IS NOT NULL AND (b.id IS NULL OR b.counterpart IS NOT a.id \
             OR b.amount_cents <> a.amount_cents OR b.kind = a.kind)",
            &pass.transfers,
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
        let kept: std::collections::BTreeMap<u32, [i128; 6]> = {
            let mut stmt = self.conn.prepare(
                "SELECT day, billed_cents, collected_cents, transfers_in_cents, \
                 transfers_out_cents, opening_cents, entries FROM day_totals",
            )?;
            let rows = stmt.query_map([], |r| {
                let mut v = [0i128; 6];
                for (i, x) in v.iter_mut().enumerate() {
                    *x = i128::from(r.get::<_, i64>(1 + i)?);
                }
                Ok((day_key_of(&r.get::<_, String>(0)?), v))
            })?;
            rows.collect::<rusqlite::Result<_>>()?
        };
        // Every day either side knows; a day missing on one side is zeros.
        let mut days: Vec<&u32> = kept.keys().chain(pass.days.keys()).collect();
        days.sort();
        days.dedup();
        let zero = [0i128; 6];
        let wrong = days
            .into_iter()
            .filter(|d| kept.get(*d).unwrap_or(&zero) != pass.days.get(*d).unwrap_or(&zero));
        for day in wrong.take(SHOWN as usize) {
            report.push(
                "day totals",
                format!(
                    "{}: the kept day totals differ from the sum of its entries",
                    day_text(*day)
                ),
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

    /// [`Reads::each`] of a query about one entry, for each of `ids`.
    fn each_of(&self, sql: &str, ids: &[i64], mut f: impl FnMut(i64, i64, i64)) -> Result<()> {
        let mut stmt = self.conn.prepare(sql)?;
        let mut shown = 0;
        for id in ids {
            let mut rows = stmt.query(params![id])?;
            while let Some(r) = rows.next()? {
                f(r.get(0)?, r.get(1)?, r.get(2)?);
                shown += 1;
            }
            if shown >= SHOWN {
                break;
            }
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
