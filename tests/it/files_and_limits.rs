//! Damaged and odd book files, and the limits of what a book can hold.
//! Every refusal is one clear `error:` line and leaves the file
//! byte-for-byte as it was, with no side files.

use crate::common;

use std::os::unix::fs::PermissionsExt;
use std::path::Path;

use common::Book;

/// A book with a customer and enough history to span several pages.
fn filled() -> Book {
    let b = Book::new();
    b.ok(&["customer", "add", "Ann"]);
    for i in 0..60 {
        b.ok(&[
            "charge",
            "1",
            "1",
            "--tax",
            "0",
            "--desc",
            &format!("{i:0>200}"),
        ]);
    }
    b
}

fn side_files(db: &Path) -> Vec<String> {
    ["-wal", "-shm", "-journal"]
        .iter()
        .map(|s| format!("{}{s}", db.display()))
        .filter(|p| Path::new(p).exists())
        .collect()
}

fn truncate(b: &Book, keep: f64) {
    let bytes = std::fs::read(&b.db).expect("book");
    std::fs::write(&b.db, &bytes[..(bytes.len() as f64 * keep) as usize]).expect("cut");
}

#[test]
fn a_book_cut_short_is_called_damaged_and_left_alone() {
    for keep in [0.01, 0.5] {
        let b = filled();
        truncate(&b, keep);
        for args in [
            &["charge", "1", "5"][..],
            &["customer", "list"],
            &["history", "1"],
        ] {
            b.refused(args, "is damaged");
        }
        assert!(side_files(&b.db).is_empty(), "{:?}", side_files(&b.db));
    }
}

#[test]
fn a_read_never_creates_a_book() {
    let b = Book::new();
    b.refused(&["customer", "list"], "no book at");
    assert!(!b.db.exists());
    let nested = b.dir.path().join("missing/folder/book.tally");
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_tally"))
        .env("XDG_CONFIG_HOME", b.dir.path().join("cfg"))
        .env_remove("TALLY_CONFIG")
        .args(["--db", nested.to_str().expect("path"), "history", "1"])
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("no book at"));
    assert!(!b.dir.path().join("missing").exists(), "no folder made");
    std::fs::write(&b.db, b"").expect("empty file");
    b.refused(&["customer", "list"], "empty file");
    assert_eq!(std::fs::read(&b.db).expect("book").len(), 0);
    // Writes still make a new book, as the README promises.
    b.ok(&["customer", "add", "Ann"]);
    b.ok(&["customer", "list"]);
}

#[test]
fn a_read_only_book_can_be_read_but_not_changed_and_gets_no_side_files() {
    let b = filled();
    std::fs::set_permissions(&b.db, std::fs::Permissions::from_mode(0o444)).expect("chmod");
    assert!(b.ok(&["customer", "list"]).contains("Ann"));
    b.refused(&["charge", "1", "5"], "is read-only");
    assert!(side_files(&b.db).is_empty(), "{:?}", side_files(&b.db));
    std::fs::set_permissions(&b.db, std::fs::Permissions::from_mode(0o644)).expect("chmod");

    let b = filled();
    let dir = b.dir.path();
    std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o555)).expect("chmod");
    let listed = b.run(&["customer", "list"]);
    let refused = b.run(&["charge", "1", "5"]);
    let left = side_files(&b.db);
    std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o755)).expect("chmod");
    assert!(
        listed.status.success(),
        "{}",
        String::from_utf8_lossy(&listed.stderr)
    );
    assert_eq!(refused.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&refused.stderr).contains("is read-only"));
    assert!(left.is_empty(), "{left:?}");
}

#[test]
fn a_closed_pipe_ends_quietly_with_success() {
    let b = filled();
    let out = std::process::Command::new("bash")
        .arg("-c")
        .arg(format!(
            "{} --db '{}' history 1 | head -2 >/dev/null; exit \"${{PIPESTATUS[0]}}\"",
            env!("CARGO_BIN_EXE_tally"),
            b.db.display()
        ))
        .env("XDG_CONFIG_HOME", b.dir.path().join("cfg"))
        .output()
        .expect("sh");
    assert!(
        out.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    // A reader gone before the first line.
    let mut child = b
        .cmd()
        .args(["history", "1"])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("spawn");
    drop(child.stdout.take());
    let out = child.wait_with_output().expect("wait");
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        out.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn dates_stay_within_1900_to_2199_and_tax_within_the_amount() {
    let b = Book::new();
    b.ok(&["customer", "add", "Ann"]);
    b.refused(
        &["charge", "1", "5", "--date", "0000-01-01"],
        "1900-01-01 to 2199-12-31",
    );
    b.refused(
        &["charge", "1", "5", "--date", "9999-12-31"],
        "1900-01-01 to 2199-12-31",
    );
    b.refused(
        &["charge", "1", "1", "--tax", "999999999999.99"],
        "at most the amount",
    );
    b.ok(&["charge", "1", "5", "--date", "2199-12-31"]);
    b.ok(&["invoice", "draft", "1"]);
    b.refused(
        &["invoice", "finalize", "1", "--date", "9999-12-31"],
        "1900-01-01 to 2199-12-31",
    );
    b.ok(&["customer", "edit", "1", "--payment-terms", "3650"]);
    b.ok(&["invoice", "finalize", "1", "--date", "2199-12-31"]);
    b.ok(&["check"]);
}

#[test]
fn balances_stop_at_the_limit_with_a_clear_refusal() {
    let b = Book::new();
    let cfg = b.dir.path().join("four.toml");
    std::fs::write(
        &cfg,
        "[currency]\ncode = \"BHD\"\nsymbol = \"BD\"\ndecimals = 4\n",
    )
    .expect("config");
    let run = |args: &[&str]| {
        b.cmd()
            .arg("--config")
            .arg(&cfg)
            .args(args)
            .output()
            .expect("run")
    };
    assert!(run(&["customer", "add", "Big"]).status.success());
    let mut refused = None;
    for _ in 0..20 {
        let out = run(&["charge", "1", "999,999,999,999.9999", "--tax", "0"]);
        if !out.status.success() {
            refused = Some(String::from_utf8_lossy(&out.stderr).to_string());
            break;
        }
    }
    let err = refused.expect("the limit is reached within 20 charges");
    assert!(
        err.starts_with("error: this would take the customer's balance beyond"),
        "{err}"
    );
    assert!(!err.contains("database error"), "{err}");
    assert!(run(&["check"]).status.success());
    let list = run(&["customer", "list"]);
    assert!(
        list.status.success(),
        "{}",
        String::from_utf8_lossy(&list.stderr)
    );
}

#[test]
fn the_list_totals_add_up_balances_near_the_integer_limit() {
    let b = Book::new();
    b.ok(&["customer", "add", "A"]);
    b.ok(&["customer", "add", "B"]);
    // A book written by something else: balances near i64::MAX each.
    let conn = rusqlite::Connection::open(&b.db).expect("open");
    conn.execute(
        "UPDATE customers SET balance_cents = -9000000000000000000",
        [],
    )
    .expect("set");
    drop(conn);
    let reads =
        tally::store::Store::open(&b.db, &tally::domain::Currency::default()).expect("open");
    let totals = reads.reads().totals().expect("totals do not overflow");
    assert_eq!(totals.owed.to_string(), "180000000000000000.00");
}

/// `n` entries of 900,000,000,000.00 for 100 customers named `who`,
/// spread over `days` days of March.
fn huge_entries(b: &Book, who: &str, n: u32, days: u32) -> String {
    let mut csv = String::from("date,customer,email,type,amount,tax,description\n");
    for i in 0..n {
        let c = i % 100;
        csv.push_str(&format!(
            "2026-03-{:02},{who} {c},{who}{c}@example.com,charge,900000000000,0,Work\n",
            1 + i % days
        ));
    }
    let file = b.dir.path().join(format!("{who}-{n}-{days}.csv"));
    std::fs::write(&file, csv).expect("write");
    file.to_str().expect("utf8").to_string()
}

#[test]
fn totals_past_64_bits_are_exact_or_refused_with_tallys_message() {
    let b = Book::new();
    b.ok(&["customer", "add", "Seed"]);
    // 110,000 of them over ten days: every balance and day is under the
    // limits, the book's total passes 2⁶³ minor units.
    b.ok(&["import", "entries", &huge_entries(&b, "Big", 110_000, 10)]);
    let aging = b.json(&["report", "aging", "--as-of", "2026-12-31", "--json"]);
    assert_eq!(
        aging["totals"]["total"], "99000000000000000.00",
        "{}",
        aging["totals"]
    );
    assert_eq!(aging["customers"][0]["total"], "990000000000000.00");
    let text = b.ok(&["report", "aging", "--as-of", "2026-12-31"]);
    assert!(text.contains("99000000000000000.00"), "{text}");
    // A month summed past 2⁶³: tally's own refusal, not SQLite's words.
    let e = b.refused(&["report", "month"], "too large to compute exactly");
    assert!(!e.contains("SQLite") && !e.contains("overflow"), "{e}");
    // 95,000 more on 1 March: new customers, each under the limit, but
    // that day's kept total would pass 2⁶³.
    let more = huge_entries(&b, "More", 95_000, 1);
    let before = b.ok(&["export", "entries"]);
    let out = b.run(&["import", "entries", &more]);
    let e = String::from_utf8_lossy(&out.stderr).to_string();
    assert_eq!(out.status.code(), Some(1), "{e}");
    assert!(
        e.starts_with("error: ") && e.contains("too large to compute exactly"),
        "{e}"
    );
    assert!(!e.contains("REAL"), "{e}");
    // Nothing was imported (the file's bytes may differ: the import wrote
    // through a rollback journal and put the log back).
    assert!(b.ok(&["export", "entries"]) == before, "the book changed");
    b.ok(&["check"]);
}
