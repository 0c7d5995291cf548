//! Data in and out: customer lists from QuickBooks Online, Stripe and plain
//! sheets matched by email then name; entries imported whole or not at all;
//! CSV exports that spreadsheets cannot run; journals that hledger and
//! beancount accept with tally's balances to the cent; and a round trip.

use crate::common;

use std::collections::BTreeMap;

use common::Book;
use common::e2e::have;
use serde_json::Value;

fn write(b: &Book, name: &str, bytes: &[u8]) -> String {
    let path = b.dir.path().join(name);
    std::fs::write(&path, bytes).unwrap();
    path.to_str().unwrap().to_string()
}

/// name → balance, from `customer list --json`.
fn balances(b: &Book) -> BTreeMap<String, String> {
    let list = b.json(&["customer", "list", "--json", "--limit", "1000"]);
    list.as_array()
        .unwrap()
        .iter()
        .map(|c| {
            (
                c["name"].as_str().unwrap().to_string(),
                c["balance"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

fn existing() -> Book {
    let b = Book::new();
    b.ok(&["customer", "add", "Ann Lee", "--email", "ann@example.com"]);
    b.ok(&["customer", "add", "Bob Stone"]);
    b
}

const QUICKBOOKS: &str = "\u{feff}Customer,Company,Email,Phone,Billing Street,City,State,Zip,Country,Notes,Open Balance\r\n\
Ann L.,,ANN@example.com,,,,,,,,100.00\r\n\
Bob Stone,Stone Builds,,555-0102,,,,,,,\r\n\
Cara Diaz,,cara@example.com,555-0103,12 Elm St,Springfield,IL,62701,US,Gate code 4,\"1,250.00\"\r\n\
Dev Patel,,not-an-email,,,,,,,,5.00\r\n\
,,,,,,,,,,\r\n\
Eve Moss,,eve@example.com,,,,,,,,(40.00)\r\n";

#[test]
fn a_quickbooks_list_is_matched_by_email_then_name_and_the_rest_created() {
    let b = existing();
    let file = write(&b, "qb.csv", QUICKBOOKS.as_bytes());
    let before = std::fs::read(&b.db).unwrap();
    let dry = b.ok(&[
        "import",
        "customers",
        &file,
        "--opening-balances",
        "--dry-run",
    ]);
    assert!(
        dry.contains("Would create 2, matched 2, skipped 2 (quickbooks)"),
        "{dry}"
    );
    assert!(dry.contains("Dry run: nothing was written."), "{dry}");
    assert_eq!(
        std::fs::read(&b.db).unwrap(),
        before,
        "a dry run writes nothing"
    );

    let out = b.ok(&[
        "import",
        "customers",
        &file,
        "--opening-balances",
        "--date",
        "2026-01-01",
    ]);
    assert!(
        out.contains("line 2: matched customer 1 Ann L. (by email)"),
        "{out}"
    );
    assert!(
        out.contains("line 3: matched customer 2 Bob Stone (by name)"),
        "{out}"
    );
    assert!(
        out.contains("line 4: created customer 3 Cara Diaz"),
        "{out}"
    );
    assert!(
        out.contains("line 5: skipped: email \"not-an-email\""),
        "{out}"
    );
    assert!(
        out.contains("line 6: skipped: no name, company or email"),
        "{out}"
    );
    assert!(out.contains("line 7: created customer 4 Eve Moss"), "{out}");
    let cara = b.json(&["customer", "show", "3", "--json"]);
    assert_eq!(cara["balance"], "-1250.00", "an open balance is owed");
    assert_eq!(cara["address"], "12 Elm St, Springfield, IL, 62701, US");
    assert_eq!(cara["source"], "quickbooks");
    let eve = b.json(&["customer", "show", "4", "--json"]);
    assert_eq!(eve["balance"], "40.00", "QuickBooks' (40.00) is credit");
    // Matched customers are left as they are: no second opening balance.
    assert_eq!(
        b.json(&["customer", "show", "1", "--json"])["balance"],
        "0.00"
    );
    let history = b.json(&["history", "3", "--json"]);
    assert_eq!(history[0]["description"], "Opening balance");
    assert_eq!(history[0]["date"], "2026-01-01");
    // Running it again creates nobody.
    let again = b.ok(&["import", "customers", &file, "--opening-balances"]);
    assert!(again.contains("Created 0, matched 4, skipped 2"), "{again}");
    b.ok(&["check"]);
}

#[test]
fn a_stripe_export_keeps_the_stripe_id_and_reads_its_balance_sign() {
    let b = Book::new();
    let file = write(
        &b,
        "stripe.csv",
        b"id,Name,Email,Phone,Description,Created (UTC),Balance,Currency\n\
cus_A1,Ann Lee,ann@example.com,,VIP,2025-03-01 10:00,-20.00,usd\n\
cus_B2,,bo@example.com,,,2025-03-02 10:00,15.50,usd\n\
cus_C3,Cy Eur,cy@example.com,,,2025-03-03 10:00,9.00,eur\n",
    );
    let out = b.ok(&["import", "customers", &file, "--opening-balances"]);
    assert!(out.contains("(stripe)"), "{out}");
    assert!(
        out.contains("line 4: skipped: its balance is in EUR; the book keeps USD"),
        "{out}"
    );
    let ann = b.json(&["customer", "show", "1", "--json"]);
    assert_eq!(
        ann["balance"], "20.00",
        "Stripe's negative balance is credit"
    );
    assert_eq!(ann["source"], "stripe");
    assert!(
        ann["notes"]
            .as_str()
            .unwrap()
            .contains("Stripe customer cus_A1"),
        "{ann}"
    );
    let bo = b.json(&["customer", "show", "2", "--json"]);
    assert_eq!(bo["name"], "bo@example.com");
    assert_eq!(bo["balance"], "-15.50");
}

#[test]
fn a_bad_file_imports_nothing_and_says_where() {
    let b = existing();
    let long = format!(
        "date,customer,type,amount\n2026-01-02,Ann Lee,charge,1\n2026-01-02,{},charge,1\n",
        "N".repeat(1001)
    );
    let cases: [(&str, &[u8], &str); 8] = [
        ("long.csv", long.as_bytes(), "long.csv line 3, column customer: "),
        (
            "bad.csv",
            b"date,customer,email,type,amount,tax,description\n2026-01-02,Ann Lee,,charge,10,0,ok\n2026-01-03,Ann Lee,,charge,abc,0,bad\n",
            "bad.csv line 3, column amount: \"abc\" is not an amount",
        ),
        (
            "ragged.csv",
            b"date,customer,email,type,amount,tax,description\r\n2026-01-02,Ann Lee,,charge,10,0,ok\r\n2026-01-03,Ann Lee,charge\r\n",
            "ragged.csv line 3: has 3 cells but the header has 7",
        ),
        ("utf16.csv", b"\xFF\xFEd\x00a\x00t\x00e\x00", "is UTF-16 text"),
        ("latin1.csv", b"date,customer,type,amount\n2026-01-02,Jos\xE9,charge,1\n", "line 2 is not UTF-8"),
        ("empty.csv", b"", "is empty: nothing to import"),
        ("header.csv", b"date,customer,email,type,amount,tax,description\n", "has a header but no rows"),
        (
            "refund.csv",
            b"date,customer,type,amount\n2026-01-02,Bob Stone,credit,10\n2026-01-03,Bob Stone,refund,25\n",
            "refund.csv line 3: a refund of 25.00 is more than the credit",
        ),
    ];
    for (name, bytes, needle) in cases {
        let file = write(&b, name, bytes);
        let err = b.refused(&["import", "entries", &file], needle);
        assert!(err.contains("nothing was imported"), "{err}");
    }
    assert_eq!(b.json(&["history", "1", "--json"]), serde_json::json!([]));
}

#[test]
fn entries_come_in_with_semicolons_matched_customers_and_one_timeline_line_each() {
    let b = existing();
    let file = write(
        &b,
        "entries.csv",
        "Date;Customer;Email;Type;Amount;Tax;Description\n\
2026-01-02;Someone;ANN@EXAMPLE.COM;charge;1.500,00;0;Hedges\n"
            .replace("1.500,00", "1500.00")
            .as_bytes(),
    );
    let more = "2026-01-03;Bob Stone;;charge;200;16.50;Patio\n2026-01-04;Bob Stone;;credit;100;;Deposit\n2026-01-05;New Person;new@example.com;charge;20;0;\u{1b}[31mred\n";
    let mut all = std::fs::read(&file).unwrap();
    all.extend_from_slice(more.as_bytes());
    std::fs::write(&file, all).unwrap();
    b.ok(&["charge", "2", "50", "--tax", "0"]);
    let out = b.ok(&["import", "entries", &file]);
    assert!(
        out.starts_with("Imported 4 entries for 3 customers (1 new)"),
        "{out}"
    );
    let bal = balances(&b);
    assert_eq!(bal["Ann Lee"], "-1500.00");
    assert_eq!(bal["Bob Stone"], "-166.50");
    assert_eq!(bal["New Person"], "-20.00");
    let timeline = b.json(&["timeline", "2", "--json"]);
    assert_eq!(timeline[0]["action"], "entries.imported");
    assert!(
        timeline[0]["detail"]
            .as_str()
            .unwrap()
            .contains("imported 2 entries from"),
        "{timeline}"
    );
    assert!(
        timeline[0]["detail"]
            .as_str()
            .unwrap()
            .ends_with("balance -50.00 → -166.50"),
        "{timeline}"
    );
    assert_eq!(
        timeline.as_array().unwrap().len(),
        3,
        "created, charged, then one import line"
    );
    // Stored as it came, shown safely.
    let history = b.ok(&["history", "3"]);
    assert!(!history.contains('\u{1b}'), "{history}");
    let json = b.json(&["history", "3", "--json"]);
    assert_eq!(json[0]["description"], "\u{1b}[31mred");
    b.ok(&["check"]);
}

#[test]
fn exports_neutralise_formulas_and_round_trip_into_an_empty_book() {
    let b = Book::new();
    b.ok(&["--demo", "customer", "list"]);
    b.ok(&[
        "customer",
        "add",
        "=HYPERLINK(\"http://x\")",
        "--email",
        "evil@example.com",
    ]);
    b.ok(&["charge", "13", "12.34", "--tax", "0", "--desc", "+SUM(A1)"]);
    b.ok(&["credit", "1", "500", "--method", "cash"]);
    b.ok(&["refund", "1", "40", "--method", "check"]);
    b.ok(&["credit-transfer", "1", "3", "60"]);
    let customers = b.dir.path().join("customers.csv");
    let entries = b.dir.path().join("entries.csv");
    b.ok(&["export", "customers", "--out", customers.to_str().unwrap()]);
    b.ok(&["export", "entries", "--out", entries.to_str().unwrap()]);
    let text = std::fs::read_to_string(&customers).unwrap();
    assert!(text.contains("\"'=HYPERLINK(\"\"http://x\"\")\""), "{text}");
    assert!(text.contains(",-12.34\r\n"), "amounts stay numbers: {text}");
    let text = std::fs::read_to_string(&entries).unwrap();
    assert!(text.contains(",'+SUM(A1),"), "{text}");
    assert!(text.contains(",refund,40.00,"), "{text}");
    let invoices = b.ok(&["export", "invoices"]);
    assert!(
        invoices.starts_with("number,status,customer_id,customer,"),
        "{invoices}"
    );

    let fresh = Book::new();
    fresh.ok(&["import", "customers", customers.to_str().unwrap()]);
    fresh.ok(&["import", "entries", entries.to_str().unwrap()]);
    assert_eq!(
        balances(&fresh),
        balances(&b),
        "same balance for every customer"
    );
    fresh.ok(&["check"]);
}

#[test]
fn entries_leave_in_the_order_they_were_entered() {
    // Read straight through the table, never sorted: a backdated entry
    // comes where it was entered, with its own date.
    let b = Book::new();
    b.ok(&["customer", "add", "Ann"]);
    for (amount, date, desc) in [
        ("10", "2026-03-01", "entered first"),
        ("20", "2026-01-01", "backdated"),
        ("30", "2026-03-02", "entered last"),
    ] {
        b.ok(&[
            "charge", "1", amount, "--tax", "0", "--date", date, "--desc", desc,
        ]);
    }
    let csv = b.ok(&["export", "entries"]);
    let rows: Vec<&str> = csv.lines().skip(1).collect();
    assert_eq!(rows.len(), 3, "{csv}");
    assert!(rows[0].starts_with("2026-03-01,Ann,") && rows[0].contains("entered first"));
    assert!(rows[1].starts_with("2026-01-01,Ann,") && rows[1].contains("backdated"));
    assert!(rows[2].starts_with("2026-03-02,Ann,") && rows[2].contains("entered last"));
    let journal = b.ok(&["export", "journal"]);
    let first = journal.find("entered first").expect("first");
    let backdated = journal.find("2026-01-01 backdated").expect("backdated");
    assert!(first < backdated, "{journal}");
}

/// A book with charges, tax, payments, a void, a refund, a transfer and
/// names that need care in a journal.
fn journal_book() -> Book {
    let b = Book::new();
    b.ok(&["--demo", "customer", "list"]);
    b.ok(&["customer", "add", "O'Brien: \"Fix; it\" & Sons"]);
    b.ok(&[
        "charge",
        "13",
        "99.99",
        "--tax",
        "8.25%",
        "--desc",
        "Repair \"urgent\"; now",
    ]);
    b.ok(&["credit", "1", "300", "--method", "card"]);
    b.ok(&["refund", "1", "25"]);
    b.ok(&["credit-transfer", "1", "2", "50"]);
    b
}

/// account → amount, from `hledger bal` / `bean-query`, as plain numbers.
fn receivables_match(b: &Book, pairs: &[(String, String)]) {
    let by_id: BTreeMap<i64, String> = b
        .json(&["customer", "list", "--json", "--limit", "1000"])
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            (
                c["id"].as_i64().unwrap(),
                c["balance"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    assert!(!pairs.is_empty());
    for (account, amount) in pairs {
        // hledger: "assets:receivable:Name #12"; beancount: "…:C12-Name".
        let tail = match account.rsplit_once('#') {
            Some((_, id)) => id,
            None => account.rsplit_once(":C").map_or("", |(_, t)| t),
        };
        let digits: String = tail.chars().take_while(char::is_ascii_digit).collect();
        let id: i64 = digits
            .parse()
            .unwrap_or_else(|_| panic!("no id in {account}"));
        let tally: rust_decimal::Decimal = by_id[&id].parse().unwrap();
        let theirs: rust_decimal::Decimal = amount.replace(',', "").parse().unwrap();
        assert_eq!(theirs, -tally, "{account}");
    }
}

#[test]
fn hledger_reads_the_journal_and_agrees_with_every_balance() {
    if !have("hledger", "hledger_reads_the_journal") {
        return;
    }
    let b = journal_book();
    let path = b.dir.path().join("book.journal");
    b.ok(&["export", "journal", "--out", path.to_str().unwrap()]);
    let out = std::process::Command::new("hledger")
        .args([
            "-f",
            path.to_str().unwrap(),
            "bal",
            "assets:receivable",
            "--flat",
            "-N",
            "-E",
            "-O",
            "csv",
        ])
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout).to_string();
    assert!(
        out.status.success(),
        "{}{text}",
        String::from_utf8_lossy(&out.stderr)
    );
    let pairs: Vec<(String, String)> = text
        .lines()
        .skip(1)
        .filter_map(|l| {
            let cells: Vec<&str> = l.split("\",\"").map(|c| c.trim_matches('"')).collect();
            (cells.len() == 2).then(|| {
                (
                    cells[0].to_string(),
                    cells[1].trim_end_matches(" USD").to_string(),
                )
            })
        })
        .collect();
    receivables_match(&b, &pairs);
    let check = std::process::Command::new("hledger")
        .args(["-f", path.to_str().unwrap(), "check", "--strict"])
        .output()
        .unwrap();
    assert!(
        check.status.success(),
        "{}",
        String::from_utf8_lossy(&check.stderr)
    );
}

#[test]
fn beancount_accepts_the_journal_and_agrees_with_every_balance() {
    if !have("bean-check", "beancount_accepts_the_journal") {
        return;
    }
    let b = journal_book();
    let path = b.dir.path().join("book.beancount");
    b.ok(&[
        "export",
        "journal",
        "--format",
        "beancount",
        "--out",
        path.to_str().unwrap(),
    ]);
    let check = std::process::Command::new("bean-check")
        .arg(&path)
        .output()
        .unwrap();
    assert!(
        check.status.success(),
        "{}{}",
        String::from_utf8_lossy(&check.stdout),
        String::from_utf8_lossy(&check.stderr)
    );
    let out = std::process::Command::new("bean-query")
        .args([
            path.to_str().unwrap(),
            "SELECT account, sum(number) WHERE account ~ 'Receivable' GROUP BY account",
            "--format",
            "csv",
        ])
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout).to_string();
    let pairs: Vec<(String, String)> = text
        .lines()
        .skip(1)
        .filter_map(|l| {
            let (a, n) = l.split_once(',')?;
            let n = n.trim();
            (!n.is_empty()).then(|| (a.trim().to_string(), n.to_string()))
        })
        .collect();
    receivables_match(&b, &pairs);
}

#[test]
fn import_and_export_refuse_what_they_cannot_do() {
    let b = existing();
    let out = b.run(&["export", "customers", "--format", "beancount"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("are for `tally export journal`"));
    let missing = b.dir.path().join("nope.csv");
    let out = b.run(&["import", "entries", missing.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("cannot read"));
    let json: Value = b.json(&["customer", "list", "--json"]);
    assert_eq!(json.as_array().unwrap().len(), 2);
}

/// A file big enough for the bulk path (indexes and month-total triggers
/// set aside, then rebuilt), into a book that already has entries: the
/// book checks clean and every month's totals are the file's sums plus
/// what was there.
#[test]
fn a_large_import_keeps_indexes_month_totals_and_balances_right() {
    let b = Book::new();
    b.ok(&["customer", "add", "Ann Lee", "--email", "ann@example.com"]);
    b.ok(&["charge", "1", "10", "--tax", "0", "--date", "2026-03-04"]);
    let mut csv = String::from("date,customer,email,type,amount,tax,description\n");
    let (mut billed, mut collected) = ([0i64; 12], [0i64; 12]);
    let mut seventh = 0i64;
    billed[2] += 1000;
    for i in 0..24_000usize {
        let month = i % 12;
        let cents = 100 + (i * 37 % 5000) as i64;
        let (kind, tax) = if i % 3 == 2 {
            ("credit", 0)
        } else {
            ("charge", cents / 10)
        };
        if kind == "charge" {
            billed[month] += cents + tax;
        } else {
            collected[month] += cents;
        }
        let who = i % 40;
        // Customer 7's rows name them three ways; all are one customer.
        let (name, email) = match (who, i / 40 % 3) {
            (7, 1) => ("Customer 7".to_string(), String::new()),
            (7, 2) => ("Someone Else".to_string(), "C7@Example.COM".to_string()),
            _ => (format!("Customer {who}"), format!("c{who}@example.com")),
        };
        if who == 7 {
            seventh += if kind == "charge" {
                -(cents + tax)
            } else {
                cents
            };
        }
        csv.push_str(&format!(
            "2026-{:02}-{:02},{name},{email},{kind},{}.{:02},{}.{:02},Job {i}\n",
            month + 1,
            1 + i % 28,
            cents / 100,
            cents % 100,
            tax / 100,
            tax % 100,
        ));
    }
    // A refund goes in after the credits it uses, with the indexes back.
    csv.push_str("2026-12-28,Customer 0,c0@example.com,refund,1.00,,Refund\n");
    let file = write(&b, "big.csv", csv.as_bytes());
    let customer_indexes = |conn: &rusqlite::Connection| -> Vec<String> {
        conn.prepare("SELECT sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'customers' ORDER BY name")
            .unwrap()
            .query_map([], |r| r.get::<_, Option<String>>(0))
            .unwrap()
            .map(|r| r.unwrap().unwrap_or_default())
            .collect()
    };
    let before = customer_indexes(&rusqlite::Connection::open(&b.db).unwrap());
    let out = b.ok(&["import", "entries", "--timings", &file]);
    assert!(out.contains("build customers indexes"), "{out}");
    assert!(
        out.contains("Imported 24001 entries for 40 customers (40 new)"),
        "{out}"
    );
    let bal = balances(&b);
    assert_eq!(bal.len(), 41, "{bal:?}");
    let want = format!(
        "{}{}.{:02}",
        if seventh < 0 { "-" } else { "" },
        seventh.abs() / 100,
        seventh.abs() % 100
    );
    assert_eq!(bal["Customer 7"], want);
    for part in ["read and insert rows", "build entries indexes", "commit"] {
        assert!(out.contains(part), "{out}");
    }
    b.ok(&["check"]);
    let conn = rusqlite::Connection::open(&b.db).unwrap();
    for m in 0..12 {
        let (got_b, got_c): (i64, i64) = conn
            .query_row(
                "SELECT SUM(billed_cents), SUM(collected_cents) FROM day_totals WHERE day LIKE ?1 || '-%'",
                [format!("2026-{:02}", m + 1)],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .unwrap();
        // December's refund of 1.00 is money given back: not collected.
        let refunded = if m == 11 { 100 } else { 0 };
        assert_eq!(
            (got_b, got_c),
            (billed[m], collected[m] - refunded),
            "month {}",
            m + 1
        );
    }
    // The triggers are back: a new entry counts at once.
    b.ok(&["charge", "1", "1", "--tax", "0", "--date", "2026-12-01"]);
    b.ok(&["check"]);
    let indexes: i64 = conn
        .query_row(
            "SELECT count(*) FROM sqlite_master WHERE type = 'index' AND tbl_name = 'entries'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(indexes, 6, "every entries index is rebuilt");
    assert_eq!(customer_indexes(&conn), before, "and every customers index");
    // Search finds the customers the import created.
    let found = b.ok(&["customer", "list", "--search", "Customer 39"]);
    assert!(found.contains("Customer 39"), "{found}");
}

#[test]
fn today_and_yesterday_in_an_entries_file_are_the_days_around_the_import() {
    let b = Book::new();
    let file = write(
        &b,
        "days.csv",
        b"date,customer,email,type,amount,tax,description\ntoday,Ann,ann@example.com,charge,10,0,A\nyesterday,Ann,ann@example.com,charge,5,0,B\n",
    );
    b.ok(&["import", "entries", &file]);
    let today = chrono::Local::now().date_naive();
    let history = b.json(&["history", "1", "--json"]);
    let dates = dates_of(&history);
    let want = [
        today.to_string(),
        (today - chrono::Duration::days(1)).to_string(),
    ];
    assert_eq!(dates, want, "{history}");
    b.ok(&["check"]);
}

/// Stripe's customers export (all columns), as `../shared/fixtures`
/// has it: its "Account Balance" is read (negative = credit), never its
/// "Total Spend".
#[test]
fn a_stripe_export_brings_its_account_balances() {
    let fixture = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../shared/fixtures/imports/stripe/customers_all_columns.csv");
    if !fixture.exists() {
        eprintln!(
            "SKIPPED a_stripe_export_brings_its_account_balances: no {}",
            fixture.display()
        );
        return;
    }
    let b = Book::new();
    b.ok(&[
        "import",
        "customers",
        fixture.to_str().expect("utf8"),
        "--opening-balances",
    ]);
    let bal = balances(&b);
    assert_eq!(bal["Hannah Petrov"], "270.00", "{bal:?}");
    assert_eq!(bal["Omar Diaz"], "1584.25", "{bal:?}");
    assert_eq!(bal["=Equals Design Co"], "-75.00", "{bal:?}");
    assert_eq!(
        bal["Omar Bell"], "0.00",
        "Total Spend 99.00 is not a balance"
    );
    b.ok(&["check"]);
}

/// The fixtures of other systems' exports (`../shared/fixtures/imports`),
/// when this checkout has them beside it.
fn fixtures() -> Option<std::path::PathBuf> {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/fixtures/imports");
    if dir.exists() {
        Some(dir)
    } else {
        eprintln!("SKIPPED: no {}", dir.display());
        None
    }
}

/// Imports one fixture file into an empty book with its `import_options`
/// and compares every customer with its `expected.json`: name, email,
/// phone, address, parent and balance, and the rows it skips.
fn matches_expected(dir: &std::path::Path, folder: &str, file: &str) {
    let expected: Value = serde_json::from_str(
        &std::fs::read_to_string(dir.join(folder).join("expected.json")).expect("expected.json"),
    )
    .expect("json");
    let want = &expected["files"][file];
    let b = Book::new();
    let path = dir.join(folder).join(file);
    let mut args = vec!["import", "customers", path.to_str().expect("utf8")];
    args.extend(
        want["import_options"]
            .as_str()
            .unwrap_or("")
            .split_whitespace(),
    );
    let out = b.ok(&args);
    let list = b.json(&["customer", "list", "--json", "--limit", "10000"]);
    let got = list.as_array().expect("list");
    let name_of = |id: &Value| -> Value {
        got.iter()
            .find(|c| &c["id"] == id)
            .map_or(Value::Null, |c| c["name"].clone())
    };
    let customers = want["customers"].as_array().expect("customers");
    assert_eq!(got.len(), customers.len(), "{file}: {out}");
    // A report (QuickBooks' balance summary) has names and balances only.
    let emails = want["kind"] != "report";
    for c in customers {
        let found = got
            .iter()
            .find(|g| g["name"] == c["name"] && (!emails || g["email"] == c["email"]))
            .unwrap_or_else(|| panic!("{file}: no {} in {list}", c["name"]));
        let show = b.json(&["customer", "show", &found["id"].to_string(), "--json"]);
        let seen = serde_json::json!({
            "phone": show["phone"], "address": show["address"],
            "parent": name_of(&show["parent_id"]), "balance": show["balance"],
        });
        let mut wanted = serde_json::json!({
            "phone": c["phone"], "address": c["address"],
            "parent": c["parent"], "balance": c["balance"],
        });
        if !emails {
            wanted["phone"] = Value::Null;
            wanted["address"] = Value::Null;
        }
        assert_eq!(seen, wanted, "{file}: {}", c["name"]);
    }
    // Blank lines and a report's footer are not rows: nothing to say.
    let rows = want["skipped_rows"].as_array().into_iter().flatten();
    for s in rows.filter(|s| s["reason"] != "blank" && s["reason"] != "report footer") {
        let line = format!("line {}: skipped", s["line"]);
        assert!(out.contains(&line), "{file}: {line} in {out}");
    }
    b.ok(&["check"]);
}

#[test]
fn a_quickbooks_customer_list_with_its_title_lines_total_row_and_sub_customers() {
    let Some(dir) = fixtures() else { return };
    matches_expected(&dir, "quickbooks", "customer_list_open_balance.csv");
}

#[test]
fn a_stripe_customer_export_merges_by_email_and_keeps_namesakes_apart() {
    let Some(dir) = fixtures() else { return };
    matches_expected(&dir, "stripe", "customers_all_columns.csv");
}

/// Every other system's customer list, each file as its `expected.json`
/// says: names, emails, phones, addresses, parents and balances.
#[test]
fn each_systems_customer_list_imports_as_that_system_showed_it() {
    let Some(dir) = fixtures() else { return };
    for (folder, file) in [
        ("invoiceninja", "clients.csv"),
        ("freshbooks", "clients.csv"),
        ("wave", "customers.csv"),
        ("zoho", "contacts.csv"),
        ("xero", "contacts_export.csv"),
        ("xero", "contacts_import_template.csv"),
        ("square", "customers.csv"),
        ("invoice2go", "clients.csv"),
        ("invoicely", "clients.csv"),
        ("akaunting", "customers.csv"),
        ("quickbooks", "customer_contact_list.csv"),
        ("quickbooks", "customer_balance_summary.csv"),
        ("generic", "customers_semicolon_eu.csv"),
    ] {
        matches_expected(&dir, folder, file);
    }
}

#[test]
fn an_entries_file_takes_other_systems_dates() {
    let b = Book::new();
    let file = write(
        &b,
        "dates.csv",
        b"date,customer,email,type,amount,tax,description\n10/20/2019,Ann,ann@example.com,charge,10,0,A\n2023-08-28 20:18,Ann,ann@example.com,charge,5,0,B\nJan 28 2021,Ann,ann@example.com,credit,3,,C\n",
    );
    b.ok(&["import", "entries", &file]);
    let history = b.json(&["history", "1", "--json"]);
    let dates = dates_of(&history);
    assert_eq!(
        dates,
        ["2023-08-28", "2021-01-28", "2019-10-20"],
        "{history}"
    );
    let bad = write(
        &b,
        "bad.csv",
        b"date,customer,email,type,amount,tax,description\n20/10/2019,Ann,ann@example.com,charge,10,0,A\n",
    );
    b.refused(&["import", "entries", &bad], "line 2, column date");
}

/// The dates of a `history --json`, newest first.
fn dates_of(history: &Value) -> Vec<&str> {
    history
        .as_array()
        .expect("history")
        .iter()
        .filter_map(|e| e["date"].as_str())
        .collect()
}

/// Imports the files an invoices fixture needs first (customers, without
/// opening balances), then the file itself with `import invoices`, and
/// compares with its `expected.json`: each open invoice's number, dates,
/// total and what is left; each customer's balance; the rows skipped.
/// Then imports the file again: nothing changes.
fn invoices_match_expected(dir: &std::path::Path, folder: &str, file: &str) {
    let expected: Value = serde_json::from_str(
        &std::fs::read_to_string(dir.join(folder).join("expected.json")).expect("expected.json"),
    )
    .expect("json");
    let want = &expected["files"][file];
    let b = Book::new();
    for first in want["requires"].as_array().into_iter().flatten() {
        let path = dir.join(folder).join(first.as_str().expect("name"));
        b.ok(&["import", "customers", path.to_str().expect("utf8")]);
    }
    let path = dir.join(folder).join(file);
    let path = path.to_str().expect("utf8");
    let out = b.ok(&["import", "invoices", path]);
    let invoices = b.json(&["invoice", "list", "--json", "--limit", "10000"]);
    let got = invoices.as_array().expect("list");
    let opens = want["open_invoices"].as_array().into_iter().flatten();
    let mut n = 0;
    for inv in opens {
        n += 1;
        let found = got
            .iter()
            .find(|g| g["number"] == inv["number"])
            .unwrap_or_else(|| panic!("{file}: no invoice {} in {out}", inv["number"]));
        // No due date in the file: due when issued.
        let due = if inv["due_date"].is_null() {
            &inv["issue_date"]
        } else {
            &inv["due_date"]
        };
        let seen = (
            &found["issue_date"],
            &found["due_date"],
            &found["total"],
            &found["remaining"],
            &found["status"],
        );
        let wanted = (
            &inv["issue_date"],
            due,
            &inv["total"],
            &inv["remaining"],
            &Value::from("open"),
        );
        assert_eq!(seen, wanted, "{file}: invoice {}", inv["number"]);
        let owner = b.json(&[
            "customer",
            "show",
            &found["customer_id"].to_string(),
            "--json",
        ]);
        assert_eq!(owner["name"], inv["customer"], "{file}: {}", inv["number"]);
    }
    assert_eq!(got.len(), n, "{file}: only the open invoices: {out}");
    let before = balances(&b);
    for c in want["customers"].as_array().into_iter().flatten() {
        let name = c["name"].as_str().expect("name");
        assert_eq!(
            before.get(name).map(String::as_str),
            c["balance"].as_str(),
            "{file}: {name}: {out}"
        );
    }
    let rows = want["skipped_rows"].as_array().into_iter().flatten();
    for s in rows.filter(|s| s["reason"] != "report footer") {
        let line = format!("line {}: skipped", s["line"]);
        assert!(out.contains(&line), "{file}: {line} in {out}");
    }
    b.ok(&["check"]);
    let again = b.ok(&["import", "invoices", path]);
    assert!(
        again.contains("Imported 0 open invoices") || again.contains("Nothing owed changes"),
        "{again}"
    );
    assert_eq!(
        balances(&b),
        before,
        "{file}: a second import changes nothing"
    );
}

/// Every system's open invoices, each file as its `expected.json` says.
#[test]
fn each_systems_open_invoices_come_in_with_their_numbers_dates_and_what_is_left() {
    let Some(dir) = fixtures() else { return };
    for (folder, file) in [
        ("stripe", "invoices.csv"),
        ("quickbooks", "ar_aging_detail.csv"),
        ("invoiceninja", "invoices.csv"),
        ("freshbooks", "invoices.csv"),
        ("zoho", "invoices.csv"),
        ("wave", "transactions.csv"),
        ("invoice2go", "invoices.csv"),
        ("invoicely", "invoices.csv"),
        ("stripe", "payments.csv"),
        ("invoiceninja", "payments.csv"),
    ] {
        invoices_match_expected(&dir, folder, file);
    }
}

/// Imports a scenario's files in turn: a customer list with the options
/// written after its name, any other file with `import invoices`.
fn import_scenario(b: &Book, dir: &std::path::Path, expected: &Value, files: &[Value]) -> String {
    let mut out = String::new();
    for f in files {
        let f = f.as_str().expect("file");
        let (name, opts) = match f.split_once(" (") {
            Some((n, o)) => (n, o.trim_end_matches(')')),
            None => (f, ""),
        };
        let path = dir.join(name);
        let path = path.to_str().expect("utf8");
        let kind = expected["files"][name]["kind"].as_str().unwrap_or("");
        let mut args = if kind == "customers" || kind == "report" {
            vec!["import", "customers", path]
        } else {
            vec!["import", "invoices", path]
        };
        args.extend(opts.split_whitespace().filter(|o| o.starts_with("--")));
        out += &b.ok(&args);
    }
    out
}

/// The scenarios that combine a system's files (a contact list and the
/// aging report; customers, invoices and payments) give every customer
/// the balance the system itself showed.
#[test]
fn combined_exports_give_the_balances_the_old_system_showed() {
    let Some(dir) = fixtures() else { return };
    for folder in ["stripe", "quickbooks", "invoiceninja"] {
        let dir = dir.join(folder);
        let expected: Value =
            serde_json::from_str(&std::fs::read_to_string(dir.join("expected.json")).unwrap())
                .unwrap();
        for s in expected["scenarios"].as_array().into_iter().flatten() {
            let runs = [Some(&s["files"]), s.get("alternative")];
            for (alt, files) in runs.into_iter().flatten().enumerate() {
                let b = Book::new();
                let files = files.as_array().expect("files");
                let out = import_scenario(&b, &dir, &expected, files);
                let list = b.json(&["customer", "list", "--json", "--limit", "10000"]);
                for c in s["customers"].as_array().expect("customers") {
                    let found = list
                        .as_array()
                        .unwrap()
                        .iter()
                        .find(|g| {
                            g["name"] == c["name"]
                                && (c["email"].is_null() || g["email"] == c["email"])
                        })
                        .unwrap_or_else(|| panic!("{folder}: no {} after {files:?}", c["name"]));
                    let name = c["name"].as_str().unwrap();
                    let differs = &s["differs_in_alternative"][name];
                    let want = if alt == 1 && !differs.is_null() {
                        &differs["from_invoices"]
                    } else {
                        &c["balance"]
                    };
                    assert_eq!(&found["balance"], want, "{folder} {files:?}: {name}\n{out}");
                }
                b.ok(&["check"]);
            }
        }
    }
}

/// A file tally does not know is read once its columns are mapped; the
/// dry run shows the first rows as they will be read; a bad mapping says
/// what is accepted and changes nothing.
#[test]
fn a_column_map_reads_a_file_tally_does_not_know() {
    let b = Book::new();
    let file = write(
        &b,
        "kunden.csv",
        b"Kunde,Mail,Telefon,Saldo\nAnn Lee,ann@x.example,555-0101,-12.50\nBo Chan,,,\"3,00\"\n",
    );
    // Refused before any book exists: the refusal only (refused() also
    // holds the book file unchanged, once there is one).
    let out = b.run(&["import", "customers", &file]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        !out.status.success() && err.contains("say which is which with --map"),
        "{err}"
    );
    let map = "Kunde=name,Mail=email,Telefon=phone,Saldo=balance";
    let dry = b.ok(&[
        "import",
        "customers",
        &file,
        "--map",
        map,
        "--opening-balances",
        "--dry-run",
    ]);
    assert!(
        dry.contains("line 2 reads as: Ann Lee <ann@x.example> · 555-0101 · balance -12.50"),
        "{dry}"
    );
    assert!(
        dry.contains("line 3 reads as: Bo Chan · balance 3.00"),
        "{dry}"
    );
    assert!(balances(&b).is_empty(), "a dry run writes nothing");
    b.refused(
        &["import", "customers", &file, "--map", "Kunde=nom"],
        "\"nom\" is not a field: use one of name, company",
    );
    b.refused(
        &["import", "customers", &file, "--map", "Client=name"],
        "names a column \"client\" the file does not have; its columns are: kunde, mail",
    );
    b.ok(&[
        "import",
        "customers",
        &file,
        "--map",
        map,
        "--opening-balances",
    ]);
    assert_eq!(
        balances(&b),
        BTreeMap::from([
            ("Ann Lee".to_string(), "-12.50".to_string()),
            ("Bo Chan".to_string(), "3.00".to_string())
        ])
    );
    // Again: matched, and their balances are said not to be brought twice.
    let again = b.ok(&[
        "import",
        "customers",
        &file,
        "--map",
        map,
        "--opening-balances",
    ]);
    assert!(
        again.contains("balance -12.50 not brought in: customer 1 is already in the book"),
        "{again}"
    );
    assert_eq!(balances(&b)["Ann Lee"], "-12.50");
}

/// A Stripe invoice names its customer only by `cus_…`: without the
/// customers export first it says so, and imports nothing for them.
#[test]
fn an_invoice_for_a_customer_the_book_does_not_know_by_id_says_what_to_import_first() {
    let b = Book::new();
    let file = write(
        &b,
        "inv.csv",
        b"id,Amount Due,Currency,Customer,Date (UTC),Due Date (UTC),Number,Total,Amount Paid,Status\n\
          in_1,50.00,usd,cus_X,2025-01-02 10:00,,A-1,50.00,0.00,open\n",
    );
    let out = b.ok(&["import", "invoices", &file]);
    assert!(
        out.contains("line 2: skipped: customer cus_X is not in the book: import Stripe's customers export first"),
        "{out}"
    );
    assert!(balances(&b).is_empty());
}

/// Names that differ only in case are two customers, said; a namesake
/// with another email is matched only when the owner asks; a balance left
/// out says why.
#[test]
fn namesakes_and_case_differences_are_reported_and_merged_only_when_asked() {
    let b = Book::new();
    b.ok(&[
        "customer",
        "add",
        "Acme Plumbing",
        "--email",
        "a@acme.example",
    ]);
    let file = write(
        &b,
        "list.csv",
        b"name,email,balance\nACME plumbing,other@acme.example,-5.00\nAcme Plumbing,billing@acme.example,\n",
    );
    let out = b.ok(&["import", "customers", &file, "--dry-run"]);
    assert!(
        out.contains("line 2: note: customer 1 \"Acme Plumbing\" differs only in case or spacing"),
        "{out}"
    );
    assert!(
        out.contains("line 2: note: balance -5.00 not brought in: --opening-balances posts it"),
        "{out}"
    );
    assert!(
        out.contains("line 3: note: customer 1 has the same name and another email: created apart"),
        "{out}"
    );
    let merged = b.ok(&["import", "customers", &file, "--merge-by-name"]);
    assert!(
        merged.contains("line 3: matched customer 1 Acme Plumbing (by name)"),
        "{merged}"
    );
    assert_eq!(balances(&b).len(), 2, "{merged}");
}
