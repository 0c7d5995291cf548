//! `tally check` finds each kind of damage it promises to, on books broken
//! behind tally's back, and exits 1 naming the rule; a sound book passes.
//! The TUI warns at start when the quick checks fail.

use crate::common;

use std::collections::BTreeMap;

use common::Book;

/// A sound book: two invoices, one partly paid, and a spare credit.
fn sound() -> Book {
    let b = Book::new();
    b.ok(&["customer", "add", "Ann"]);
    b.ok(&["charge", "1", "100", "--tax", "0"]);
    b.ok(&["invoice", "draft", "1"]);
    b.ok(&["invoice", "finalize", "1"]);
    b.ok(&["charge", "1", "50", "--tax", "0"]);
    b.ok(&["invoice", "draft", "1"]);
    b.ok(&["invoice", "finalize", "2"]);
    b.ok(&["invoice", "pay", "INV-0001", "--amount", "40"]);
    b.ok(&["credit", "1", "5"]);
    b.ok(&["check"]);
    b
}

fn break_with(b: &Book, sql: &str) {
    let conn = rusqlite::Connection::open(&b.db).expect("open");
    conn.execute_batch(sql).expect("break the book");
}

fn failed(b: &Book, rule: &str, detail: &str) {
    let out = b.run(&["check"]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "{stdout}");
    assert!(stdout.contains(&format!("FAILED  {rule}")), "{stdout}");
    assert!(stdout.contains(detail), "{detail:?} in {stdout}");
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.starts_with("error: ") && err.contains("problem"),
        "{err}"
    );
}

#[test]
fn a_balance_that_differs_from_its_entries() {
    let b = sound();
    break_with(&b, "UPDATE customers SET balance_cents = balance_cents + 1");
    failed(&b, "balances", "customer 1");
    failed(&b, "identity", "customer 1: balance");
}

#[test]
fn a_gap_in_invoice_numbers() {
    let b = sound();
    break_with(
        &b,
        "UPDATE invoices SET seq = 3, number = 'INV-0003' WHERE seq = 2",
    );
    failed(&b, "invoice numbers", "highest number is 3");
}

#[test]
fn more_allocated_than_an_invoice_is_worth() {
    let b = sound();
    break_with(&b, "UPDATE allocations SET amount_cents = 20000");
    failed(
        &b,
        "allocations",
        "invoice INV-0001: allocated 200.00 against a total of 100.00",
    );
    failed(&b, "allocations", "is allocated 200.00");
}

#[test]
fn a_finalized_total_that_differs_from_its_charges() {
    let b = sound();
    break_with(
        &b,
        "UPDATE entries SET amount_cents = 9900, tax_cents = 0 WHERE id = 1; \
                    UPDATE customers SET balance_cents = balance_cents + 100",
    );
    failed(
        &b,
        "allocations",
        "its charges add up to 99.00 but its total is 100.00",
    );
}

#[test]
fn a_refund_that_used_less_credit_than_it_paid_out() {
    let b = sound();
    b.ok(&["refund", "1", "5"]);
    b.ok(&["customer", "add", "Bob"]);
    b.ok(&["credit", "2", "30"]);
    b.ok(&["credit-transfer", "2", "1", "10"]);
    b.ok(&["check"]);
    break_with(
        &b,
        "UPDATE payout_sources SET amount_cents = 400 WHERE amount_cents = 500",
    );
    failed(&b, "payouts", "used 4.00 of its customer's credit");
    break_with(
        &b,
        "UPDATE entries SET amount_cents = 900 WHERE kind = 'credit' AND counterpart IS NOT NULL",
    );
    failed(&b, "payouts", "does not match its other side");
}

#[test]
fn a_dangling_foreign_key() {
    let b = sound();
    break_with(
        &b,
        "PRAGMA foreign_keys = OFF; UPDATE allocations SET invoice_id = 99",
    );
    failed(&b, "foreign keys", "allocations row");
}

/// The checks a passing `args` run names, in order.
fn checks_run(b: &Book, args: &[&str]) -> Vec<String> {
    let v = b.json(args);
    assert_eq!(v["ok"], true);
    v["checks"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|c| c.as_str().map(String::from))
        .collect()
}

#[test]
fn the_json_report_names_each_check() {
    let b = sound();
    let checks = checks_run(&b, &["check", "--json"]);
    assert_eq!(
        checks,
        [
            "integrity",
            "foreign keys",
            "invoice numbers",
            "balances",
            "identity",
            "allocations",
            "payouts",
            "day totals",
            "book totals",
            "uninvoiced sums",
            "customer sums"
        ]
    );
}

#[test]
fn the_tui_warns_at_start_when_the_quick_check_fails() {
    use tally::config::Config;
    use tally::ops::Book as TallyBook;
    use tally::tui::keymap::Keymap;
    use tally::tui::theme::Theme;
    use tally::tui::ui::Ui;
    let b = sound();
    break_with(
        &b,
        "UPDATE invoices SET seq = 3, number = 'INV-0003' WHERE seq = 2",
    );
    let book = TallyBook::open(&b.db, Config::default(), "tui:test").expect("open");
    let ui = Ui {
        keymap: Keymap::new(&BTreeMap::new()).expect("keys"),
        theme: Theme { color: false },
    };
    let runner = tally::tui::Runner::new(book, ui, (100, 30));
    let status = runner.app.status.as_ref().expect("a warning");
    assert!(status.error);
    assert!(
        status.text.contains("failed a check") && status.text.contains("tally check"),
        "{}",
        status.text
    );
}

#[test]
fn kept_summaries_that_differ_from_their_entries() {
    let b = sound();
    break_with(
        &b,
        "UPDATE day_totals SET collected_cents = collected_cents + 1",
    );
    let today = chrono::Local::now().format("%Y-%m-%d").to_string();
    failed(
        &b,
        "day totals",
        &format!("{today}: the kept day totals differ"),
    );
    let b = sound();
    break_with(&b, "UPDATE book_totals SET credit_low = credit_low + 100");
    failed(
        &b,
        "book totals",
        "the kept totals (owed 105.00, credit 1.00, 1 customer) differ from the balances (owed 105.00, credit 0.00, 1 customer)",
    );
    let b = sound();
    break_with(&b, "UPDATE customers SET uninvoiced_cents = 1");
    failed(
        &b,
        "uninvoiced sums",
        "customer 1: kept 0.01 uninvoiced but their charges not on an invoice sum to 0.00",
    );
    let b = sound();
    break_with(&b, "UPDATE customer_sums SET paid_cents = paid_cents + 5");
    failed(
        &b,
        "customer sums",
        "customer 1: paid: kept 45.05 but their entries sum to 45.00",
    );
}

/// Overwrites the first bytes of the b-tree page at the root of `table`,
/// as a bad disk sector would.
fn damage_page_of(b: &Book, table: &str) -> i64 {
    let root: i64 = {
        let conn = rusqlite::Connection::open(&b.db).expect("open");
        conn.query_row(
            "SELECT rootpage FROM sqlite_schema WHERE name = ?1",
            [table],
            |r| r.get(0),
        )
        .expect("root page")
    };
    use std::io::{Seek, SeekFrom, Write};
    let mut f = std::fs::OpenOptions::new()
        .write(true)
        .open(&b.db)
        .expect("open the file");
    f.seek(SeekFrom::Start(4096 * (root as u64 - 1) + 8))
        .expect("seek");
    f.write_all(&[0x00, 0x00, 0x7f, 0xff].repeat(20))
        .expect("damage");
    root
}

#[test]
fn a_damaged_page_is_named_by_check_and_blamed_on_the_book_by_backup() {
    let b = sound();
    b.ok(&["customer", "add", "Bob"]);
    let root = damage_page_of(&b, "timeline");
    // SQLite's words name the page: "Tree 13 page 13 cell 9: …", or,
    // where it cannot walk the tree, tally's "table timeline (root page 13)".
    failed(&b, "integrity", &format!("page {root}"));
    backup_refused(&b);
}

/// `tally backup` refuses the damaged book, blaming the book, and leaves
/// no copy, whole or partial, behind.
fn backup_refused(b: &Book) {
    let copy = b.dir.path().join("copy.tally");
    let e = b.refused(
        &["backup", copy.to_str().expect("utf8")],
        "book.tally is damaged",
    );
    assert!(!e.contains(".partial"), "{e}");
    let left: Vec<_> = std::fs::read_dir(b.dir.path())
        .expect("dir")
        .flatten()
        .map(|e| e.file_name().to_string_lossy().to_string())
        .filter(|n| n.contains("copy.tally"))
        .collect();
    assert!(left.is_empty(), "{left:?}");
}

#[test]
fn a_damaged_page_of_the_search_index_stops_a_backup() {
    // The backup's page check leaves the search index's module out; the
    // index's own tables must still be walked page by page.
    let b = sound();
    b.ok(&["customer", "add", "Bob"]);
    damage_page_of(&b, "customer_search_docsize");
    backup_refused(&b);
}

#[test]
fn damage_inside_the_search_index_stops_a_backup() {
    // Every page sound, the index's own format broken: only FTS5's own
    // check sees it, the part of the backup's page check that runs on a
    // connection of its own.
    let b = sound();
    break_with(
        &b,
        "UPDATE customer_search_data SET block = zeroblob(length(block))
         WHERE id = (SELECT MAX(id) FROM customer_search_data)",
    );
    failed(&b, "integrity", "fts5");
    backup_refused(&b);
}

#[test]
fn entries_pointing_at_missing_rows_are_named_by_the_pass() {
    // The entries' references are proved by the pass over the entries,
    // not by SQLite's check: each kind of dangling one must still show.
    for (sql, detail) in [
        (
            "UPDATE entries SET customer_id = 77 WHERE id = 1",
            "entries row 1 points to a missing customers row",
        ),
        (
            "UPDATE entries SET invoice_id = 99 WHERE id = 1",
            "entries row 1 points to a missing invoices row",
        ),
        (
            "UPDATE entries SET counterpart = 4242 WHERE kind = 'credit' AND id = (SELECT MAX(id) FROM entries)",
            "points to a missing entries row",
        ),
    ] {
        let b = sound();
        break_with(&b, &format!("PRAGMA foreign_keys = OFF; {sql}"));
        failed(&b, "foreign keys", detail);
        let out = b.run(&["check", "--quick"]);
        assert_eq!(out.status.code(), Some(1));
        assert!(String::from_utf8_lossy(&out.stdout).contains(detail));
    }
}

#[test]
fn the_quick_check_runs_every_rule_but_the_page_check() {
    let b = sound();
    let checks = checks_run(&b, &["check", "--quick", "--json"]);
    assert_eq!(checks.first().map(String::as_str), Some("foreign keys"));
    assert!(!checks.iter().any(|c| c == "integrity"), "{checks:?}");
    assert_eq!(checks.len(), 10, "{checks:?}");
    break_with(&b, "UPDATE customer_sums SET paid_cents = paid_cents + 5");
    let out = b.run(&["check", "--quick"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stdout).contains("FAILED  customer sums"));
}

#[test]
fn the_quick_check_joins_the_two_parts_it_reads_the_entries_in() {
    // `check --quick` reads the entries in two halves by id, on two
    // connections: a customer's entries and a transfer's two sides that
    // fall on either side of the middle must still add up and match.
    let b = Book::new();
    b.ok(&["customer", "add", "Ann"]);
    b.ok(&["customer", "add", "Bob"]);
    b.ok(&["credit", "2", "30"]);
    b.ok(&["credit-transfer", "2", "1", "10"]);
    let conn = rusqlite::Connection::open(&b.db).expect("open");
    let sides: Vec<(i64, i64)> = conn
        .prepare("SELECT id, counterpart FROM entries WHERE counterpart IS NOT NULL ORDER BY id")
        .and_then(|mut s| s.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?.collect())
        .expect("transfer");
    // Entries 1..=3: the halves are 1–2 and 3, so the sides are split.
    assert_eq!(sides, vec![(2, 3), (3, 2)]);
    b.ok(&["check", "--quick"]);
    break_with(
        &b,
        "PRAGMA foreign_keys = OFF; UPDATE entries SET amount_cents = 2900 WHERE id = 1",
    );
    let out = b.run(&["check", "--quick"]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "{stdout}");
    assert!(stdout.contains("FAILED  balances"), "{stdout}");
}

#[test]
fn an_entry_at_the_highest_id_there_can_be_is_read() {
    // The halves the entries are read in cover every id SQLite can give,
    // the last one included.
    let b = Book::new();
    b.ok(&["customer", "add", "Ann"]);
    b.ok(&["charge", "1", "100", "--tax", "0", "--date", "2026-01-10"]);
    b.ok(&["charge", "1", "50", "--tax", "0", "--date", "2026-01-20"]);
    // Dated after the aging's day below, so the aging reads the entries.
    b.ok(&["charge", "1", "7", "--tax", "0", "--date", "2026-03-01"]);
    break_with(
        &b,
        "PRAGMA foreign_keys = OFF; UPDATE entries SET id = 9223372036854775807 WHERE id = 2",
    );
    b.ok(&["check", "--quick"]);
    b.ok(&["check"]);
    let aging = b.ok(&["report", "aging", "--as-of", "2026-02-01", "--csv"]);
    assert!(aging.contains("150.00"), "{aging}");
}
