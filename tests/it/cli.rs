//! End-to-end tests of the `tally` binary on temporary books: every command
//! of the ledger core, and every bad input, which must exit 1 with one
//! `error:` line and leave the book file byte-for-byte unchanged.

use crate::common;

use std::path::Path;
use std::process::Command;

use common::Book;
use serde_json::Value;

fn balance(book: &Book, id: &str) -> String {
    book.json(&["customer", "show", id, "--json"])["balance"]
        .as_str()
        .expect("balance")
        .to_string()
}

#[test]
fn walkthrough_sorts_by_who_owes_most_with_seed_signs() {
    let b = Book::new();
    assert_eq!(
        b.ok(&["customer", "add", "Ann Lee", "--email", "ann@example.com"])
            .trim(),
        "1"
    );
    assert_eq!(
        b.ok(&["customer", "add", "Bob Stone", "--phone", "555-0102"])
            .trim(),
        "2"
    );
    assert_eq!(b.ok(&["customer", "add", "Cara Diaz"]).trim(), "3");
    assert_eq!(
        b.ok(&["charge", "1", "150", "--desc", "Lawn mowing"])
            .trim(),
        "1"
    );
    assert_eq!(
        b.ok(&["charge", "2", "1,500.00", "--tax", "12.50"]).trim(),
        "2"
    );
    assert_eq!(
        b.ok(&["credit", "2", "$500", "--method", "check"]).trim(),
        "3"
    );
    b.ok(&["credit", "3", "25"]);

    let list = b.ok(&["customer", "list", "--sort", "balance"]);
    let names: Vec<&str> = list
        .lines()
        .skip(1)
        .map(|l| l.split_whitespace().nth(1).unwrap())
        .collect();
    assert_eq!(names, ["Bob", "Ann", "Cara"]);
    assert!(list.contains("-1012.50"), "{list}");
    assert!(list.contains("-150.00"), "{list}");
    assert!(list.contains("25.00"), "{list}");

    let json = b.json(&["customer", "list", "--sort", "balance", "--json"]);
    let first = &json[0];
    assert_eq!(first["id"], 2);
    assert_eq!(first["name"], "Bob Stone");
    assert_eq!(first["balance"], "-1012.50");
    assert_eq!(first["phone"], "555-0102");
    assert!(first["email"].is_null());
    assert_eq!(json[2]["balance"], "25.00");
}

#[test]
fn list_sorts_by_name_and_recent_and_searches_any_case() {
    let b = Book::new();
    b.ok(&["customer", "add", "zed", "--email", "z@shop.com"]);
    b.ok(&["customer", "add", "Amy", "--phone", "555-7777"]);
    b.ok(&["customer", "add", "Mia"]);
    b.ok(&["charge", "2", "5"]);
    let ids = |args: &[&str]| -> Vec<i64> {
        b.json(args)
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c["id"].as_i64().unwrap())
            .collect()
    };
    assert_eq!(
        ids(&["customer", "list", "--sort", "name", "--json"]),
        [2, 3, 1]
    );
    assert_eq!(
        ids(&["customer", "list", "--sort", "recent", "--json"]),
        [2, 3, 1]
    );
    assert_eq!(
        ids(&["customer", "list", "--search", "SHOP", "--json"]),
        [1]
    );
    assert_eq!(
        ids(&["customer", "list", "--search", "7777", "--json"]),
        [2]
    );
    assert_eq!(ids(&["customer", "list", "--search", "mI", "--json"]), [3]);
    assert_eq!(
        ids(&["customer", "list", "--search", "%", "--json"]),
        Vec::<i64>::new()
    );
    assert_eq!(
        ids(&[
            "customer", "list", "--sort", "name", "--limit", "2", "--json"
        ]),
        [2, 3]
    );
}

#[test]
fn show_gives_the_breakdown_and_details() {
    let b = Book::new();
    b.ok(&[
        "customer",
        "add",
        "Ann",
        "--email",
        "a@x.com",
        "--address",
        "1 Main St",
        "--tax-id",
        "T-1",
        "--legal-name",
        "Ann LLC",
    ]);
    b.ok(&["charge", "1", "100", "--tax", "8"]);
    b.ok(&["credit", "1", "30"]);
    let s = b.json(&["customer", "show", "1", "--json"]);
    assert_eq!(s["balance"], "-78.00");
    assert_eq!(s["available_credit"], "30.00");
    assert_eq!(s["outstanding"], "0.00");
    assert_eq!(s["uninvoiced"], "108.00");
    assert_eq!(s["legal_name"], "Ann LLC");
    let text = b.ok(&["customer", "show", "1"]);
    assert!(text.contains("Customer 1: Ann"), "{text}");
    assert!(text.contains("1 Main St"), "{text}");
}

#[test]
fn history_is_newest_first_with_charges_negative() {
    let b = Book::new();
    b.ok(&["customer", "add", "Ann"]);
    b.ok(&["charge", "1", "40", "--desc", "old", "--date", "2026-01-05"]);
    b.ok(&[
        "credit",
        "1",
        "15.5",
        "--method",
        "cash",
        "--desc",
        "paid",
        "--date",
        "2026-03-01",
    ]);
    b.ok(&["charge", "1", "10", "--tax", "0.80", "--date", "2026-02-01"]);
    let h = b.json(&["history", "1", "--json"]);
    let dates: Vec<&str> = h
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["date"].as_str().unwrap())
        .collect();
    assert_eq!(dates, ["2026-03-01", "2026-02-01", "2026-01-05"]);
    assert_eq!(h[0]["kind"], "credit");
    assert_eq!(h[0]["amount"], "15.50");
    assert_eq!(h[0]["tax"], "0.00");
    assert_eq!(h[0]["description"], "paid");
    assert_eq!(h[1]["kind"], "charge");
    assert_eq!(h[1]["amount"], "-10.00");
    assert_eq!(h[1]["tax"], "0.80");
    assert_eq!(h[2]["id"], 1);
    assert_eq!(
        b.json(&["history", "1", "--limit", "1", "--json"])
            .as_array()
            .unwrap()
            .len(),
        1
    );
    let text = b.ok(&["history", "1"]);
    assert!(text.lines().nth(1).unwrap().contains("15.50"), "{text}");
}

#[test]
fn entries_can_be_edited_and_removed_and_the_timeline_says_so() {
    let b = Book::new();
    b.ok(&["customer", "add", "Ann"]);
    b.ok(&["charge", "1", "150", "--desc", "mowing"]);
    b.ok(&["credit", "1", "20"]);
    assert_eq!(balance(&b, "1"), "-130.00");
    assert_eq!(
        b.ok(&[
            "entry",
            "edit",
            "1",
            "--amount",
            "175",
            "--desc",
            "mowing+edging"
        ])
        .trim(),
        "entry 1 updated"
    );
    assert_eq!(balance(&b, "1"), "-155.00");
    assert_eq!(
        b.ok(&["entry", "edit", "1", "--amount", "175"]).trim(),
        "entry 1 unchanged"
    );
    assert_eq!(
        b.ok(&["entry", "edit", "2", "--amount", "25", "--method", "cash"])
            .trim(),
        "entry 2 updated"
    );
    assert_eq!(balance(&b, "1"), "-150.00");
    b.refused(&["entry", "edit", "2", "--tax", "1"], "charges only");
    b.ok(&["entry", "remove", "2"]);
    assert_eq!(balance(&b, "1"), "-175.00");
    let t = b.json(&["timeline", "1", "--json"]);
    let actions: Vec<&str> = t
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["action"].as_str().unwrap())
        .collect();
    assert_eq!(
        actions,
        [
            "credit.removed",
            "credit.edited",
            "charge.edited",
            "credit.posted",
            "charge.posted",
            "customer.created"
        ]
    );
    let edit = t[2]["detail"].as_str().unwrap();
    assert!(edit.contains("amount: 150.00 → 175.00"), "{edit}");
    assert!(edit.contains("balance -130.00 → -155.00"), "{edit}");
    assert!(t[2]["actor"].as_str().unwrap().starts_with("cli:"));
}

#[test]
fn customers_can_be_edited_with_flags_and_parents() {
    let b = Book::new();
    b.ok(&["customer", "add", "Agency"]);
    b.ok(&["customer", "add", "Talent", "--email", "t@x.com"]);
    b.ok(&[
        "customer",
        "edit",
        "2",
        "--parent",
        "1",
        "--bill-parent",
        "true",
        "--email",
        "",
        "--portal",
        "true",
        "--billing-cycle",
        "monthly",
    ]);
    let s = b.json(&["customer", "show", "2", "--json"]);
    assert_eq!(s["parent_id"], 1);
    assert_eq!(s["bill_to_parent"], true);
    assert!(s["email"].is_null());
    assert_eq!(s["portal_delivery"], true);
    assert_eq!(s["billing_cycle"], "monthly");
    b.refused(&["customer", "edit", "1", "--parent", "2"], "loop");
    b.refused(&["customer", "edit", "1", "--parent", "1"], "own parent");
    b.refused(
        &["customer", "edit", "1", "--parent", "9"],
        "customer 9 not found",
    );
    b.refused(
        &["customer", "edit", "1", "--billing-cycle", "weekly"],
        "none, monthly",
    );
    b.ok(&["customer", "edit", "2", "--parent", "none"]);
    assert_eq!(
        b.json(&["customer", "show", "2", "--json"])["bill_to_parent"],
        false
    );
}

#[test]
fn duplicate_email_is_refused_naming_the_customer_unless_allowed() {
    let b = Book::new();
    b.ok(&["customer", "add", "Ann Lee", "--email", "ann@example.com"]);
    let e = b.refused(
        &["customer", "add", "Annie", "--email", "ANN@Example.com"],
        "customer 1 (Ann Lee)",
    );
    assert!(e.contains("--allow-duplicate"), "{e}");
    assert_eq!(
        b.ok(&[
            "customer",
            "add",
            "Annie",
            "--email",
            "ANN@Example.com",
            "--allow-duplicate"
        ])
        .trim(),
        "2"
    );
    b.ok(&["customer", "add", "Bo", "--email", "bo@example.com"]);
    b.refused(
        &["customer", "edit", "3", "--email", "ann@example.com"],
        "already used",
    );
    let out = b.run(&["customer", "add", "ann  lee."]);
    assert!(out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("very similar"));
}

#[test]
fn bad_input_is_refused_and_changes_nothing() {
    let b = Book::new();
    b.ok(&["customer", "add", "Ann", "--email", "ann@example.com"]);
    b.ok(&["charge", "1", "10"]);
    // ops says what is wrong; the command line adds where to look.
    b.refused(
        &["charge", "42", "10"],
        "customer 42 not found: `tally customer list` shows the ids",
    );
    b.refused(&["credit", "42", "10"], "customer 42 not found");
    b.refused(&["history", "42"], "customer 42 not found");
    b.refused(&["customer", "show", "42"], "customer 42 not found");
    b.refused(&["charge", "1", "-5"], "negative");
    b.refused(&["charge", "1", "0"], "greater than zero");
    b.refused(&["charge", "1", "1.005"], "at most 2");
    b.refused(&["charge", "1", "1e3"], "exponent");
    b.refused(&["charge", "1", "abc"], "150.50");
    b.refused(&["charge", "1", ""], "empty");
    b.refused(&["charge", "1", "1000000000000"], "too large");
    b.refused(&["credit", "1", "-1"], "negative");
    b.refused(&["charge", "1", "5", "--tax", "-1"], "negative");
    b.refused(
        &["charge", "1", "5", "--date", "2026-02-30"],
        "not a real calendar day",
    );
    b.refused(&["charge", "1", "5", "--date", "30/01/2026"], "YYYY-MM-DD");
    b.refused(
        &["credit", "1", "5", "--method", "bitcoin"],
        "cash, card, check, transfer, other",
    );
    b.refused(&["customer", "add", ""], "name is empty");
    b.refused(&["customer", "add", "   "], "name is empty");
    b.refused(
        &["customer", "add", "X", "--email", "not-an-email"],
        "name@example.com",
    );
    b.refused(
        &["customer", "add", "X", "--email", "ANN@example.com"],
        "already used by customer 1",
    );
    b.refused(&["customer", "edit", "1", "--name", ""], "name is empty");
    b.refused(
        &["entry", "edit", "99", "--amount", "5"],
        "entry 99 not found",
    );
    b.refused(
        &["entry", "edit", "1", "--amount", "0"],
        "greater than zero",
    );
    b.refused(&["entry", "remove", "99"], "entry 99 not found");
    assert_eq!(balance(&b, "1"), "-10.00");
}

#[test]
fn usage_errors_exit_2() {
    let b = Book::new();
    assert_eq!(b.run(&["customer", "show", "abc"]).status.code(), Some(2));
    assert_eq!(b.run(&["frobnicate"]).status.code(), Some(2));
}

#[test]
fn a_file_that_is_not_a_book_is_refused_untouched() {
    let b = Book::new();
    std::fs::write(
        &b.db,
        b"this is not a database at all, just some junk bytes \x00\x01\x02",
    )
    .unwrap();
    b.refused(&["customer", "list"], "is not a tally book");
    b.refused(&["customer", "add", "Ann"], "is not a tally book");

    // A real SQLite file that another program made is not a book either.
    std::fs::remove_file(&b.db).unwrap();
    let conn = rusqlite::Connection::open(&b.db).unwrap();
    conn.execute_batch("CREATE TABLE notes (x TEXT); INSERT INTO notes VALUES ('keep me');")
        .unwrap();
    drop(conn);
    b.refused(&["customer", "add", "Ann"], "is not a tally book");
}

#[test]
fn a_directory_is_refused() {
    let b = Book::new();
    std::fs::create_dir(&b.db).unwrap();
    let out = b.run(&["customer", "list"]);
    assert_eq!(out.status.code(), Some(1));
    let e = String::from_utf8_lossy(&out.stderr);
    assert!(
        e.starts_with("error: ") && e.contains("is a directory"),
        "{e}"
    );
}

#[test]
fn an_unreadable_file_is_refused() {
    use std::os::unix::fs::PermissionsExt;
    let b = Book::new();
    b.ok(&["customer", "add", "Ann"]);
    std::fs::set_permissions(&b.db, std::fs::Permissions::from_mode(0o000)).unwrap();
    if std::fs::File::open(&b.db).is_ok() {
        eprintln!("skipped: running as root, permissions do not stop reads");
        return;
    }
    let out = b.run(&["customer", "list"]);
    assert_eq!(out.status.code(), Some(1));
    let e = String::from_utf8_lossy(&out.stderr);
    assert!(e.contains("cannot open"), "{e}");
}

#[test]
fn a_book_from_a_newer_tally_is_refused_untouched() {
    let b = Book::new();
    b.ok(&["customer", "add", "Ann"]);
    let conn = rusqlite::Connection::open(&b.db).unwrap();
    conn.pragma_update(None, "user_version", 999).unwrap();
    conn.pragma_update(None, "journal_mode", "DELETE").unwrap();
    drop(conn);
    let e = b.refused(&["customer", "list"], "newer tally");
    assert!(e.contains("schema 999"), "{e}");
    b.refused(&["charge", "1", "5"], "upgrade tally");
}

#[test]
fn a_broken_config_names_file_line_and_key() {
    let b = Book::new();
    let cfg = b.dir.path().join("config.toml");
    std::fs::write(
        &cfg,
        "[business]\nname = \"Ann's\"\n[currency]\ndecimals = \"two\"\n",
    )
    .unwrap();
    let out = b
        .cmd()
        .arg("--config")
        .arg(&cfg)
        .args(["customer", "list"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let e = String::from_utf8_lossy(&out.stderr);
    assert!(
        e.contains(&format!(
            "config {} line 4, key currency.decimals",
            cfg.display()
        )),
        "{e}"
    );
    assert_eq!(e.trim_end().lines().count(), 1, "{e}");
    assert!(
        !b.db.exists(),
        "no book is created when the config is broken"
    );

    let missing = b.dir.path().join("nope.toml");
    let out = b
        .cmd()
        .arg("--config")
        .arg(&missing)
        .args(["customer", "list"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("cannot read config"));
}

#[test]
fn a_book_keeps_its_currency() {
    let b = Book::new();
    b.ok(&["customer", "add", "Ann"]);
    b.ok(&["charge", "1", "1.50"]);
    let cfg = b.dir.path().join("jpy.toml");
    std::fs::write(
        &cfg,
        "[currency]\ncode = \"JPY\"\nsymbol = \"¥\"\ndecimals = 0\n",
    )
    .unwrap();
    let before = std::fs::read(&b.db).unwrap();
    let out = b
        .cmd()
        .arg("--config")
        .arg(&cfg)
        .args(["charge", "1", "5"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("keeps money in USD with 2 decimals"));
    assert_eq!(std::fs::read(&b.db).unwrap(), before);
    // A config from TALLY_CONFIG applies too, and the default tax rate is used.
    let cfg = b.dir.path().join("tax.toml");
    std::fs::write(&cfg, "[billing]\ndefault_tax_rate = \"10\"\n").unwrap();
    let out = b
        .cmd()
        .env("TALLY_CONFIG", &cfg)
        .args(["charge", "1", "20"])
        .output()
        .unwrap();
    assert!(out.status.success());
    assert_eq!(balance(&b, "1"), "-23.50");
}

#[test]
fn the_default_book_lives_in_the_data_dir_and_tally_db_overrides_it() {
    let b = Book::new();
    let run = |envs: &[(&str, &Path)], args: &[&str]| {
        let mut c = Command::new(env!("CARGO_BIN_EXE_tally"));
        c.env_remove("TALLY_DB")
            .env_remove("TALLY_CONFIG")
            .env("XDG_CONFIG_HOME", b.dir.path().join("cfg"))
            .env("XDG_DATA_HOME", b.dir.path().join("data"))
            .env("HOME", b.dir.path());
        for (k, v) in envs {
            c.env(k, v);
        }
        c.args(args).output().unwrap()
    };
    assert!(run(&[], &["customer", "add", "Ann"]).status.success());
    assert!(b.dir.path().join("data/tally/book.tally").exists());
    let other = b.dir.path().join("elsewhere/other.tally");
    assert!(
        run(&[("TALLY_DB", &other)], &["customer", "add", "Bob"])
            .status
            .success()
    );
    assert!(other.exists(), "the folder is created on first use");
    let out = run(&[("TALLY_DB", &other)], &["customer", "list", "--json"]);
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v.as_array().unwrap().len(), 1);
    assert_eq!(v[0]["name"], "Bob");
}

#[test]
fn demo_uses_its_own_book_and_is_generated_once() {
    let b = Book::new();
    // The real book comes from the environment, as in a shell profile.
    let demo = |args: &[&str]| {
        let out = Command::new(env!("CARGO_BIN_EXE_tally"))
            .env("TALLY_DB", &b.db)
            .env_remove("TALLY_CONFIG")
            .env("XDG_CONFIG_HOME", b.dir.path().join("xdg-config"))
            .env("XDG_DATA_HOME", b.dir.path().join("xdg-data"))
            .env("HOME", b.dir.path())
            .arg("--demo")
            .args(args)
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        serde_json::from_slice::<Value>(&out.stdout).unwrap()
    };
    let list = demo(&["customer", "list", "--json"]);
    assert_eq!(list.as_array().unwrap().len(), 12);
    assert!(
        list[0]["balance"].as_str().unwrap().starts_with('-'),
        "someone owes"
    );
    assert!(
        list[11]["balance"]
            .as_str()
            .unwrap()
            .parse::<f64>()
            .unwrap()
            > 0.0,
        "someone has credit"
    );
    assert_eq!(
        demo(&["customer", "list", "--json"])
            .as_array()
            .unwrap()
            .len(),
        12
    );
    assert!(b.dir.path().join("xdg-data/tally/demo.tally").exists());
    assert!(
        !b.db.exists(),
        "the real book (TALLY_DB) is never touched by --demo"
    );
}

#[test]
fn demo_with_db_on_the_command_line_fills_that_file_with_every_invoice_state() {
    let b = Book::new();
    let out = b
        .cmd()
        .args(["--demo", "invoice", "list", "--json"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(b.db.exists(), "--db names the demo's file");
    assert!(!b.dir.path().join("xdg-data/tally/demo.tally").exists());
    let invoices: Value = serde_json::from_slice(&out.stdout).unwrap();
    let mut states: Vec<String> = invoices
        .as_array()
        .unwrap()
        .iter()
        .map(|i| {
            if i["overdue"] == true {
                "overdue".to_string()
            } else {
                i["status"].as_str().unwrap().to_string()
            }
        })
        .collect();
    states.sort();
    states.dedup();
    assert_eq!(states, ["draft", "open", "overdue", "paid", "void"]);
    assert!(b.ok(&["link", "show", "1"]).contains("/p/"));
    b.ok(&["check"]);
}
