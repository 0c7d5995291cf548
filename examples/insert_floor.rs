//! How fast SQLite itself can take an import's rows on this machine: the
//! floor under `tally import entries`, with nothing of tally's in the way.
//!
//!     cargo run --release --example insert_floor -- entries.csv
//!
//! Reads a CSV in the benchmark's shape (`date,customer,email,type,amount,
//! tax,description,method`) into memory first, untimed. Then, into a bare
//! `entries` table in a new file beside the CSV, with no journal, no sync,
//! no constraints, no indexes and no triggers, it times:
//! - the rows alone, 64 to a prepared statement, in one transaction, as
//!   tally's bulk sink writes them;
//! - building the two indexes a book keeps over every entry.
//!
//! Whatever tally does on top (parsing, checks, sums, balances, the
//! journal that makes the import safe) can only add to these.

use std::collections::HashMap;
use std::time::Instant;

use anyhow::{Context, Result, bail};
use rusqlite::Connection;

struct Row {
    customer: i64,
    kind: &'static str,
    amount: i64,
    tax: i64,
    description: String,
    method: Option<String>,
    date: String,
}

const PER_INSERT: usize = 64;
const COLUMNS: usize = 8;

fn main() -> Result<()> {
    let Some(csv) = std::env::args().nth(1) else {
        bail!("usage: insert_floor ENTRIES.csv");
    };
    let rows = read(&csv)?;
    let db = std::path::Path::new(&csv).with_extension("floor.sqlite");
    let _ = std::fs::remove_file(&db);
    let mut conn = Connection::open(&db)?;
    conn.execute_batch(
        "PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF; PRAGMA locking_mode = EXCLUSIVE;
         PRAGMA cache_size = -262144; PRAGMA threads = 2;
         CREATE TABLE entries (id INTEGER PRIMARY KEY, customer_id INTEGER NOT NULL,
             kind TEXT NOT NULL, amount_cents INTEGER NOT NULL, tax_cents INTEGER NOT NULL,
             description TEXT NOT NULL, method TEXT, date TEXT NOT NULL,
             created_at TEXT NOT NULL, invoice_id INTEGER, reference TEXT) STRICT;",
    )?;
    let started = Instant::now();
    let tx = conn.transaction()?;
    insert(&tx, &rows)?;
    tx.commit()?;
    let inserted = started.elapsed();
    let started = Instant::now();
    // The page cache tally builds indexes with (smaller sorts faster).
    conn.execute_batch(
        "PRAGMA cache_size = -2048;
         CREATE INDEX by_customer_date ON entries (customer_id, date DESC, id DESC, kind, invoice_id);
         CREATE INDEX open_by_date ON entries (date, customer_id, amount_cents, tax_cents)
             WHERE kind = 'charge' AND invoice_id IS NULL;",
    )?;
    let indexed = started.elapsed();
    let n = rows.len() as f64;
    println!(
        "{} rows: inserted in {:.2} s ({:.0} rows/s), indexes built in {:.2} s; \
         together {:.2} s ({:.0} rows/s)",
        rows.len(),
        inserted.as_secs_f64(),
        n / inserted.as_secs_f64(),
        indexed.as_secs_f64(),
        (inserted + indexed).as_secs_f64(),
        n / (inserted + indexed).as_secs_f64()
    );
    drop(conn);
    let _ = std::fs::remove_file(&db);
    Ok(())
}

fn insert(tx: &rusqlite::Transaction<'_>, rows: &[Row]) -> Result<()> {
    let one = |i: usize| {
        let n = i * COLUMNS;
        let p: Vec<String> = (1..=COLUMNS).map(|c| format!("?{}", n + c)).collect();
        format!("({}, '2026-11-23T10:00:00.000000000Z')", p.join(", "))
    };
    let head = "INSERT INTO entries (customer_id, kind, amount_cents, tax_cents, description, \
                method, date, reference, created_at) VALUES ";
    let many: Vec<String> = (0..PER_INSERT).map(one).collect();
    let mut stmt_many = tx.prepare(&format!("{head}{}", many.join(", ")))?;
    let mut stmt_one = tx.prepare(&format!("{head}{}", one(0)))?;
    let mut chunks = rows.chunks_exact(PER_INSERT);
    for chunk in &mut chunks {
        for (i, r) in chunk.iter().enumerate() {
            bind(&mut stmt_many, i * COLUMNS, r)?;
        }
        stmt_many.raw_execute()?;
    }
    for r in chunks.remainder() {
        bind(&mut stmt_one, 0, r)?;
        stmt_one.raw_execute()?;
    }
    Ok(())
}

fn bind(stmt: &mut rusqlite::Statement<'_>, at: usize, r: &Row) -> rusqlite::Result<()> {
    stmt.raw_bind_parameter(at + 1, r.customer)?;
    stmt.raw_bind_parameter(at + 2, r.kind)?;
    stmt.raw_bind_parameter(at + 3, r.amount)?;
    stmt.raw_bind_parameter(at + 4, r.tax)?;
    stmt.raw_bind_parameter(at + 5, r.description.as_str())?;
    stmt.raw_bind_parameter(at + 6, r.method.as_deref())?;
    stmt.raw_bind_parameter(at + 7, r.date.as_str())?;
    stmt.raw_bind_parameter(at + 8, None::<&str>)
}

/// The CSV in memory, customers numbered by first appearance.
fn read(path: &str) -> Result<Vec<Row>> {
    let text = std::fs::read_to_string(path).with_context(|| format!("reading {path}"))?;
    let mut ids: HashMap<String, i64> = HashMap::new();
    let mut rows = Vec::new();
    for (n, line) in text.lines().enumerate().skip(1) {
        let f: Vec<&str> = line.split(',').collect();
        let [date, _, email, kind, amount, tax, description, method] = f[..] else {
            bail!("line {}: expected 8 plain fields", n + 1);
        };
        let next = ids.len() as i64 + 1;
        let customer = *ids.entry(email.to_ascii_lowercase()).or_insert(next);
        let cents = |s: &str| -> Result<i64> {
            let (whole, frac) = s.split_once('.').unwrap_or((s, "0"));
            Ok(whole.parse::<i64>()? * 100 + format!("{frac:0<2}")[..2].parse::<i64>()?)
        };
        rows.push(Row {
            customer,
            kind: if kind == "charge" { "charge" } else { "credit" },
            amount: cents(amount)?,
            tax: cents(tax)?,
            description: description.to_string(),
            method: (!method.is_empty()).then(|| method.to_string()),
            date: date.to_string(),
        });
    }
    Ok(rows)
}
