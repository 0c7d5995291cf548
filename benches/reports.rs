//! What the reports cost on a large book (issue targets in brackets):
//! receivables aging as of today and as of a past quarter's end, a
//! statement of a customer with 10,000 items, and opening the month at a
//! glance in the TUI (key → load → draw). The book is generated and
//! brought in with `import entries`, so the import's own rate is printed
//! too. Run in release:
//!
//!     cargo bench --bench reports
//!
//! `TALLY_BENCH_CUSTOMERS` and `TALLY_BENCH_ENTRIES` set the size
//! (default 100,000 and 2,000,000); CI runs it small so it cannot rot, and
//! asserts no times.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::time::{Duration, Instant};

use chrono::{NaiveDate, TimeZone, Utc};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::crossterm::event::{Event, KeyCode, KeyEvent, KeyModifiers};
use tally::config::Config;
use tally::ops::{Book, Clock};
use tally::tui::Runner;
use tally::tui::draw as render;
use tally::tui::keymap::Keymap;
use tally::tui::theme::Theme;
use tally::tui::ui::Ui;

fn size(var: &str, default: usize) -> usize {
    std::env::var(var)
        .ok()
        .and_then(|v| v.replace('_', "").parse().ok())
        .unwrap_or(default)
}

/// A deterministic entries file: two years of dates, about 70% charges
/// (tax on half of them) and 30% credits, spread over every customer.
fn entries_csv(customers: usize, entries: usize) -> String {
    let start = NaiveDate::from_ymd_opt(2024, 12, 1).unwrap();
    let mut csv = String::with_capacity(entries * 72);
    csv.push_str("date,customer,email,type,amount,tax,description\n");
    for i in 0..entries {
        let c = i % customers;
        let date = start + chrono::Days::new((i * 7919 % 720) as u64);
        let cents = 500 + (i * 104_729 % 90_000);
        let (kind, tax) = match i % 10 {
            0..=2 => ("credit", 0),
            3..=6 => ("charge", cents * 8 / 100),
            _ => ("charge", 0),
        };
        let _ = writeln!(
            csv,
            "{date},Customer {c:06},c{c}@example.com,{kind},{}.{:02},{}.{:02},Job {i}",
            cents / 100,
            cents % 100,
            tax / 100,
            tax % 100
        );
    }
    csv
}

/// Median and worst of `n` runs of `f`.
fn time(label: &str, target: &str, n: usize, mut f: impl FnMut()) {
    let mut t: Vec<Duration> = (0..n)
        .map(|_| {
            let s = Instant::now();
            f();
            s.elapsed()
        })
        .collect();
    t.sort();
    println!(
        "{label:<52} median {:>10.3?}  max {:>10.3?}  [{target}]",
        t[n / 2],
        t[n - 1]
    );
}

fn main() {
    let customers = size("TALLY_BENCH_CUSTOMERS", 100_000);
    let entries = size("TALLY_BENCH_ENTRIES", 2_000_000);
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("reports.tally");
    let clock = Clock::Fixed(Utc.with_ymd_and_hms(2026, 11, 21, 12, 0, 0).unwrap());
    let mut book = Book::open(&path, Config::default(), "bench")
        .expect("open")
        .with_clock(clock);

    let csv = entries_csv(customers, entries);
    let started = Instant::now();
    let done = book
        .import_entries("bench.csv", csv.as_bytes(), |_| {})
        .expect("import");
    let took = started.elapsed();
    println!(
        "{:<52} {:>10.3?}  ({:.0} rows/s, {} customers)",
        format!("import entries: {} rows", done.rows),
        took,
        done.rows as f64 / took.as_secs_f64(),
        done.customers
    );
    drop(csv);
    // One customer with 10,000 items for the statement.
    let mut big = String::from("date,customer,type,amount,tax,description\n");
    for i in 0..10_000 {
        let date = NaiveDate::from_ymd_opt(2025, 1, 1).unwrap() + chrono::Days::new(i % 680);
        let kind = if i % 4 == 3 { "credit" } else { "charge" };
        let _ = writeln!(
            big,
            "{date},Big Account,{kind},{}.00,0,Visit {i}",
            20 + i % 50
        );
    }
    let big_id = book
        .import_entries("big.csv", big.as_bytes(), |_| {})
        .expect("import big")
        .created[0]
        .0;

    time("aging as of today", "≤ 200 ms", 5, || {
        book.aging(None).expect("aging");
    });
    let quarter = NaiveDate::from_ymd_opt(2026, 6, 30).unwrap();
    time("aging as of 2026-06-30", "≤ 3 s", 3, || {
        book.aging(Some(quarter)).expect("aging");
    });
    time(
        "statement of 10,000 items, as HTML",
        "≤ 100 ms",
        10,
        || {
            let doc = book.statement(big_id, None, None).expect("statement");
            assert!(doc.lines.len() >= 10_000);
            std::hint::black_box(doc.to_html());
        },
    );

    let ui = Ui {
        keymap: Keymap::new(&BTreeMap::new()).unwrap(),
        theme: Theme { color: true },
    };
    let book = Book::open(&path, Config::default(), "bench")
        .expect("open")
        .with_clock(clock);
    let mut r = Runner::new(book, ui, (120, 40));
    let mut term = Terminal::new(TestBackend::new(120, 40)).unwrap();
    let press =
        |r: &mut Runner, c: KeyCode| r.event(Event::Key(KeyEvent::new(c, KeyModifiers::NONE)));
    time(
        "TUI: M opens the month at a glance (load + draw)",
        "≤ 100 ms",
        10,
        || {
            press(&mut r, KeyCode::Char('M'));
            term.draw(|f| render(f, &r.app, &r.ui)).expect("draw");
            press(&mut r, KeyCode::Esc);
        },
    );
    assert!(r.app.reports.glance.is_some());
    assert!(
        r.book
            .reads()
            .balance_mismatches()
            .expect("check")
            .is_empty()
    );
}
