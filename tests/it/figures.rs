//! What a customer or an accountant is told, read the way they get it:
//! reminders as the text that is copied, invoices as `invoice show` and the
//! CSV print them, the statement as its file, the journal as hledger reads
//! it. Each test here was written against a defect where a surface said
//! something the book does not.

use crate::common;

use chrono::{Duration, Local};
use common::Book;
use serde_json::Value;

fn days_ago(n: i64) -> String {
    (Local::now().date_naive() - Duration::days(n))
        .format("%Y-%m-%d")
        .to_string()
}

/// Customer 1 with `amount` invoiced on `date` (finalized, 30 days' terms).
fn invoiced(b: &Book, customer: &str, amount: &str, date: &str) {
    b.ok(&["charge", customer, amount, "--tax", "0", "--date", date]);
    let id = b.ok(&["invoice", "draft", customer]).trim().to_string();
    b.ok(&["invoice", "finalize", &id, "--date", date]);
}

fn reminded(b: &Book, customer: &str) -> Vec<Value> {
    b.json(&["timeline", customer, "--json"])
        .as_array()
        .expect("timeline array")
        .iter()
        .filter(|e| e["action"] == "customer.reminded")
        .cloned()
        .collect()
}

#[test]
fn nobody_who_owes_nothing_is_asked_to_pay() {
    let b = Book::new();
    b.ok(&["customer", "add", "Cara Diaz"]);
    b.ok(&["customer", "add", "Elena Rossi"]);
    b.ok(&["credit", "1", "25"]);
    b.ok(&["link", "generate", "1"]);
    b.ok(&["link", "generate", "2"]);
    let e = b.refused(&["link", "message", "1", "--no-copy"], "owes nothing");
    assert!(e.contains("$25.00 of credit"), "{e}");
    let e = b.refused(&["link", "message", "2", "--no-copy"], "owes nothing");
    assert!(!e.contains("credit"), "{e}");
    assert!(reminded(&b, "1").is_empty() && reminded(&b, "2").is_empty());
    // Unapplied credit that covers a late invoice: still nothing owed.
    b.ok(&["customer", "add", "Kei Tanaka"]);
    invoiced(&b, "3", "100", &days_ago(60));
    b.ok(&["credit", "3", "150"]);
    b.ok(&["link", "generate", "3"]);
    b.refused(&["link", "message", "3", "--no-copy"], "$50.00 of credit");
}

#[test]
fn a_late_reminder_quotes_what_is_late_and_names_the_invoices() {
    let b = Book::new();
    b.ok(&["customer", "add", "Hugo Martin"]);
    invoiced(&b, "1", "848", &days_ago(70));
    b.ok(&["charge", "1", "120", "--tax", "0", "--date", &days_ago(2)]);
    b.ok(&["link", "generate", "1"]);
    let text = b.ok(&["link", "message", "1", "--no-copy"]);
    assert!(
        text.contains("$848.00 on INV-0001 is over 30 days past due"),
        "{text}"
    );
    assert!(
        text.contains("Your whole balance, with charges not yet due, is $968.00."),
        "{text}"
    );
    // The collections report says the same amount on the same invoice.
    let overdue = b.ok(&["report", "overdue"]);
    assert!(
        overdue.contains("INV-0001") && overdue.contains("848.00"),
        "{overdue}"
    );
    // With only the late invoice owed, the whole balance is not repeated.
    b.ok(&["credit", "1", "120"]);
    let text = b.ok(&["link", "message", "1", "--no-copy"]);
    assert!(text.contains("$848.00 on INV-0001"), "{text}");
    assert!(!text.contains("whole balance"), "{text}");
    // A partial payment lowers what is asked for.
    b.ok(&["invoice", "pay", "INV-0001", "--amount", "48"]);
    let text = b.ok(&["link", "message", "1", "--no-copy"]);
    assert!(text.contains("$800.00 on INV-0001"), "{text}");
}

#[test]
fn a_reminder_from_the_command_line_is_recorded_like_the_full_screens() {
    let b = Book::new();
    b.ok(&["customer", "add", "Ann Lee"]);
    invoiced(&b, "1", "150", &days_ago(40));
    b.ok(&["link", "generate", "1"]);
    assert!(b.ok(&["report", "overdue"]).contains("never"));
    b.ok(&["link", "message", "1", "--no-copy"]);
    let r = reminded(&b, "1");
    assert_eq!(r.len(), 1, "{r:?}");
    let detail = r[0]["detail"].as_str().unwrap_or_default();
    assert!(
        detail.contains("gentle reminder") && detail.contains("150.00 past due on INV-0001"),
        "{detail}"
    );
    assert!(!b.ok(&["report", "overdue"]).contains("never"));
}

/// hledger's balance of `account` in the journal `tally export journal`
/// writes, as hledger prints it (`0` when it nets to nothing).
fn hledger_balance(b: &Book, account: &str) -> Option<rust_decimal::Decimal> {
    if !common::e2e::have("hledger", "hledger_balance") {
        return None;
    }
    let path = b.dir.path().join("book.journal");
    b.ok(&[
        "export",
        "journal",
        "--out",
        path.to_str().expect("utf8 path"),
    ]);
    let out = std::process::Command::new("hledger")
        .args([
            "-f",
            path.to_str().expect("utf8 path"),
            "bal",
            account,
            "-N",
            "-E",
            "--flat",
        ])
        .output()
        .expect("run hledger");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let check = std::process::Command::new("hledger")
        .args(["-f", path.to_str().expect("utf8 path"), "check", "--strict"])
        .output()
        .expect("run hledger");
    assert!(
        check.status.success(),
        "{}",
        String::from_utf8_lossy(&check.stderr)
    );
    // One line per account: "-8.25 USD  liabilities:sales tax", or
    // "0  liabilities:sales tax"; summed over the accounts under `account`.
    let text = String::from_utf8_lossy(&out.stdout).to_string();
    let total: rust_decimal::Decimal = text
        .lines()
        .filter_map(|l| l.trim().split("  ").next())
        .filter(|a| !a.is_empty())
        .map(|a| {
            a.trim_end_matches(" USD")
                .replace(',', "")
                .parse::<rust_decimal::Decimal>()
        })
        .map(|a| a.expect("an hledger amount"))
        .sum();
    Some(total)
}

#[test]
fn a_void_invoice_was_paid_nothing_and_asks_nothing_everywhere() {
    let b = Book::new();
    b.ok(&["customer", "add", "Dev Patel"]);
    b.ok(&["charge", "1", "100", "--tax", "8.25%"]);
    b.ok(&["invoice", "draft", "1"]);
    b.ok(&["invoice", "finalize", "1"]);
    b.ok(&["invoice", "pay", "INV-0001", "--amount", "40"]);
    b.ok(&["invoice", "void", "INV-0001"]);
    let show = b.ok(&["invoice", "show", "INV-0001"]);
    let line = |label: &str| {
        show.lines()
            .find(|l| l.trim_start().starts_with(label))
            .unwrap_or_else(|| panic!("no {label} in {show}"))
            .split_whitespace()
            .last()
            .unwrap_or_default()
            .to_string()
    };
    assert_eq!(line("paid:"), "$0.00", "{show}");
    assert_eq!(line("voided:"), "$108.25", "{show}");
    assert!(!show.contains("remaining:"), "{show}");
    let json = b.json(&["invoice", "show", "INV-0001", "--json"]);
    let inv = if json["invoice"].is_object() {
        &json["invoice"]
    } else {
        &json
    };
    assert_eq!(
        (inv["paid"].as_str(), inv["remaining"].as_str()),
        (Some("0.00"), Some("0.00")),
        "{json}"
    );
    // The invoices CSV: number,status,customer,name,issued,due,total,paid,remaining.
    let csv = b.ok(&["export", "invoices"]);
    let row = csv
        .lines()
        .find(|l| l.starts_with("INV-0001"))
        .expect("row");
    assert!(row.ends_with(",108.25,0.00,0.00"), "{csv}");
    // The $40 paid went back to available credit: the customer holds it.
    let c = b.json(&["customer", "show", "1", "--json"]);
    assert_eq!(c["balance"], "40.00", "{c}");
    // The void takes its tax back out of what is owed to the tax office.
    if let Some(tax) = hledger_balance(&b, "liabilities:sales tax") {
        assert!(tax.is_zero(), "sales tax left after the void: {tax}");
    }
}

#[test]
fn a_statement_speaks_the_customers_sign_and_lists_a_void_after_its_invoice() {
    let b = Book::new();
    b.ok(&["customer", "add", "Bob Stone"]);
    b.ok(&["charge", "1", "92.55", "--tax", "0", "--desc", "Gutters"]);
    b.ok(&["invoice", "draft", "1"]);
    b.ok(&["invoice", "finalize", "1"]);
    b.ok(&["invoice", "void", "INV-0001"]);
    b.ok(&["charge", "1", "968", "--tax", "0", "--desc", "Roof"]);
    let text = b.ok(&["statement", "1"]);
    let at = |needle: &str| {
        text.find(needle)
            .unwrap_or_else(|| panic!("no {needle} in {text}"))
    };
    assert!(
        at("Charge: Gutters") < at("Invoice INV-0001 issued"),
        "{text}"
    );
    assert!(
        at("Invoice INV-0001 issued") < at("Void INV-0001"),
        "{text}"
    );
    let line = |needle: &str| {
        text.lines()
            .find(|l| l.contains(needle))
            .unwrap_or_default()
    };
    assert!(line("Void INV-0001").contains("-$92.55"), "{text}");
    assert!(line("Charge: Roof").contains(" $968.00"), "{text}");
    assert!(line("Closing balance").ends_with(" $968.00"), "{text}");
    assert!(text.contains("Amount due: $968.00"), "{text}");
    assert!(!text.contains("-$968.00"), "{text}");
}

fn payment<'a>(list: &'a Value, id: &str) -> &'a Value {
    list.as_array()
        .expect("payments")
        .iter()
        .find(|p| p["id"].as_i64().map(|n| n.to_string()).as_deref() == Some(id))
        .unwrap_or_else(|| panic!("payment {id} in {list}"))
}

#[test]
fn a_refund_for_an_invoice_comes_out_of_that_invoices_payment() {
    let b = Book::new();
    b.ok(&["customer", "add", "Bob Stone"]);
    let prepaid = b.ok(&[
        "credit",
        "1",
        "100",
        "--date",
        &days_ago(30),
        "--desc",
        "Prepaid",
    ]);
    b.ok(&["charge", "1", "300", "--tax", "0"]);
    b.ok(&["invoice", "draft", "1"]);
    b.ok(&["invoice", "finalize", "1"]);
    b.ok(&["invoice", "pay", "INV-0001", "--method", "card"]);
    let card = b.json(&["payment", "list", "1", "--json"])[0]["id"].to_string();
    b.ok(&[
        "refund",
        "1",
        "100",
        "--invoice",
        "INV-0001",
        "--method",
        "card",
    ]);
    let list = b.json(&["payment", "list", "1", "--json"]);
    let card = payment(&list, &card);
    assert_eq!(
        (card["refunded"].as_str(), card["applied"].as_str()),
        (Some("100.00"), Some("200.00")),
        "{list}"
    );
    let prepaid = payment(&list, prepaid.trim());
    assert_eq!(
        (prepaid["status"].as_str(), prepaid["refunded"].as_str()),
        (Some("unapplied"), Some("0.00")),
        "{list}"
    );
}

#[test]
fn a_credit_transfer_is_shown_as_a_transfer_not_a_refund() {
    let b = Book::new();
    b.ok(&["customer", "add", "Grace Kim"]);
    b.ok(&["customer", "add", "Kei Tanaka"]);
    let paid = b.ok(&["credit", "1", "80", "--method", "check"]);
    // The receiver by part of a name, as the Credits tab's `t` takes it.
    b.refused(
        &["credit-transfer", "1", "Nobody", "50"],
        "no customer's name contains \"Nobody\"",
    );
    b.ok(&["credit-transfer", "1", "kei", "50"]);
    let list = b.json(&["payment", "list", "1", "--json"]);
    let p = payment(&list, paid.trim());
    assert_eq!(p["status"], "partly transferred", "{list}");
    assert_eq!(
        (p["refunded"].as_str(), p["transferred"].as_str()),
        (Some("0.00"), Some("50.00")),
        "{list}"
    );
    b.ok(&["refund", "1", "30"]);
    let list = b.json(&["payment", "list", "1", "--json"]);
    let p = payment(&list, paid.trim());
    assert_eq!(p["status"], "refunded and transferred", "{list}");
    assert_eq!(
        (p["refunded"].as_str(), p["transferred"].as_str()),
        (Some("30.00"), Some("50.00")),
        "{list}"
    );
    let table = b.ok(&["payment", "list", "1"]);
    assert!(table.contains("TRANSFERRED"), "{table}");
}

fn money(s: &str) -> rust_decimal::Decimal {
    s.parse().unwrap_or_else(|_| panic!("not a number: {s}"))
}

fn dec(v: &Value) -> rust_decimal::Decimal {
    v.as_str()
        .unwrap_or_else(|| panic!("not a money string: {v}"))
        .parse()
        .unwrap_or_else(|_| panic!("not a number: {v}"))
}

/// Every customer's `customer show --json`.
fn shows(b: &Book) -> Vec<Value> {
    let list = b.json(&["customer", "list", "--json", "--limit", "1000"]);
    list.as_array()
        .expect("list")
        .iter()
        .map(|c| b.json(&["customer", "show", &c["id"].to_string(), "--json"]))
        .collect()
}

/// A book with tax, partial payments, a void, a credit memo and refund, a
/// transfer, and two customers brought in with opening balances.
fn mixed_book() -> Book {
    let b = Book::new();
    b.ok(&["customer", "add", "Ann Lee"]);
    b.ok(&["customer", "add", "Bob Stone"]);
    b.ok(&["customer", "add", "Cara Diaz"]);
    b.ok(&[
        "charge",
        "1",
        "200",
        "--tax",
        "8.25%",
        "--date",
        &days_ago(50),
    ]);
    b.ok(&["invoice", "draft", "1"]);
    b.ok(&["invoice", "finalize", "1", "--date", &days_ago(50)]);
    b.ok(&[
        "invoice",
        "pay",
        "INV-0001",
        "--amount",
        "100",
        "--date",
        &days_ago(20),
    ]);
    b.ok(&["charge", "2", "92.55", "--tax", "0"]);
    b.ok(&["invoice", "draft", "2"]);
    b.ok(&["invoice", "finalize", "2"]);
    b.ok(&["invoice", "void", "INV-0002"]);
    b.ok(&["charge", "3", "300", "--tax", "0", "--date", &days_ago(10)]);
    b.ok(&["invoice", "draft", "3"]);
    b.ok(&["invoice", "finalize", "3", "--date", &days_ago(10)]);
    b.ok(&["invoice", "pay", "INV-0003", "--method", "card"]);
    b.ok(&[
        "refund",
        "3",
        "100",
        "--invoice",
        "INV-0003",
        "--method",
        "card",
    ]);
    b.ok(&["credit", "3", "60", "--method", "cash"]);
    b.ok(&["credit-transfer", "3", "1", "25"]);
    let file = b.dir.path().join("old.csv");
    std::fs::write(&file, "Customer,Email,Open Balance\r\nDee Old,dee@example.com,\"1,250.00\"\r\nEd Prepaid,ed@example.com,(40.00)\r\n").expect("write csv");
    b.ok(&[
        "import",
        "customers",
        file.to_str().expect("utf8"),
        "--opening-balances",
        "--date",
        &days_ago(40),
    ]);
    b
}

#[test]
fn the_month_report_summed_equals_the_customers_own_totals() {
    let b = mixed_book();
    let shows = shows(&b);
    let sum = |key: &str| {
        shows
            .iter()
            .map(|c| dec(&c[key]))
            .sum::<rust_decimal::Decimal>()
    };
    let month = b.json(&["report", "month", "--json"]);
    let months = month["months"].as_array().expect("months");
    let msum = |key: &str| {
        months
            .iter()
            .map(|m| dec(&m[key]))
            .sum::<rust_decimal::Decimal>()
    };
    // 216.50 to Ann and 300.00 to Cara less her 100.00 memo; Bob's void and
    // the opening balances billed nothing here.
    assert_eq!(sum("total_billed"), "416.50".parse().unwrap());
    assert_eq!(msum("billed"), sum("total_billed"), "{month}");
    // 100.00 + 300.00 + 60.00 received, 100.00 refunded.
    assert_eq!(sum("total_collected"), "360.00".parse().unwrap());
    assert_eq!(msum("collected"), sum("total_collected"), "{month}");
    let dee = shows.iter().find(|c| c["name"] == "Dee Old").expect("Dee");
    assert_eq!(
        (
            dee["total_billed"].as_str(),
            dee["total_collected"].as_str(),
            dee["opening_balance"].as_str()
        ),
        (Some("0.00"), Some("0.00"), Some("-1250.00"))
    );
    // What is outstanding at this month's end is what everyone owes less
    // the credit they hold.
    let net: rust_decimal::Decimal = shows.iter().map(|c| -dec(&c["balance"])).sum();
    assert_eq!(dec(&months.last().expect("a month")["outstanding"]), net);
    // The aging total is what the list says is owed; its credit is theirs.
    let aging = b.json(&["report", "aging", "--json"]);
    let owed: rust_decimal::Decimal = shows
        .iter()
        .map(|c| (-dec(&c["balance"])).max(rust_decimal::Decimal::ZERO))
        .sum();
    let held: rust_decimal::Decimal = shows
        .iter()
        .map(|c| dec(&c["balance"]).max(rust_decimal::Decimal::ZERO))
        .sum();
    assert_eq!(
        (
            dec(&aging["totals"]["total"]),
            dec(&aging["totals"]["credit_held"])
        ),
        (owed, held),
        "{aging}"
    );
    // An opening balance was due when the old system said: dated 40 days
    // ago, it is 31-60 days late, not 10 (its date plus 30 days' terms),
    // today (kept sums) and as of yesterday (a pass over the book).
    for as_of in [days_ago(0), days_ago(1)] {
        let aging = b.json(&["report", "aging", "--as-of", &as_of, "--json"]);
        let dee = aging["customers"]
            .as_array()
            .and_then(|rows| rows.iter().find(|r| r["name"] == "Dee Old"))
            .unwrap_or_else(|| panic!("Dee in {aging}"));
        assert_eq!(dee["days_31_60"], "1250.00", "{as_of}: {dee}");
    }
    b.ok(&["check"]);
}

#[test]
fn opening_balances_sit_against_equity_in_the_journal() {
    let b = mixed_book();
    let Some(equity) = hledger_balance(&b, "equity:opening balances") else {
        return;
    };
    // Dee brought 1,250.00 of debt, Ed 40.00 of credit.
    assert_eq!(equity, money("-1210.00"));
    let sales = hledger_balance(&b, "income:sales").unwrap_or_default();
    assert_eq!(
        sales,
        money("-592.55"),
        "200.00 + 92.55 + 300.00: sales, never an opening balance"
    );
    let cash = hledger_balance(&b, "assets:cash").unwrap_or_default();
    assert_eq!(
        cash,
        money("360.00"),
        "received less refunded, no opening balance"
    );
}

#[test]
fn a_contract_added_from_the_command_line_charges_its_started_periods_at_once() {
    let b = Book::new();
    b.ok(&["customer", "add", "Ann Lee"]);
    let start = days_ago(70);
    let out = b.run(&[
        "contract",
        "add",
        "1",
        "Lawn care",
        "--type",
        "recurring",
        "--value",
        "150",
        "--start",
        &start,
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let said = String::from_utf8_lossy(&out.stderr).to_string();
    // Started 70 days ago: three monthly periods have begun.
    assert!(said.contains("Charged 3 periods already started"), "{said}");
    let history = b.json(&["history", "1", "--json"]);
    assert_eq!(history.as_array().map(Vec::len), Some(3), "{history}");
    assert_eq!(
        b.json(&["customer", "show", "1", "--json"])["balance"],
        "-450.00"
    );
    // A billing run afterwards charges nothing twice.
    b.ok(&["billing", "run"]);
    assert_eq!(
        b.json(&["history", "1", "--json"]).as_array().map(Vec::len),
        Some(3)
    );
}

#[test]
fn an_opening_balance_is_not_this_books_days_to_collect() {
    let b = Book::new();
    let file = b.dir.path().join("old.csv");
    std::fs::write(
        &file,
        "Customer,Email,Open Balance\r\nDee Old,dee@example.com,\"1,250.00\"\r\n",
    )
    .expect("csv");
    b.ok(&[
        "import",
        "customers",
        file.to_str().expect("utf8"),
        "--opening-balances",
    ]);
    b.ok(&["customer", "add", "Ann Lee"]);
    b.ok(&["charge", "2", "100", "--tax", "0"]);
    b.ok(&["credit", "2", "50"]);
    let month = b.json(&["report", "month", "--json"]);
    let now = month["months"]
        .as_array()
        .and_then(|m| m.last())
        .expect("this month");
    assert_eq!(
        (now["billed"].as_str(), now["collected"].as_str()),
        (Some("100.00"), Some("50.00")),
        "{now}"
    );
    assert_eq!(
        now["outstanding"], "1300.00",
        "what is owed, opening balance included: {now}"
    );
    // Half of what this book billed is still owed: about half the month.
    let days = now["days_to_collect"].as_u64().expect("days");
    assert!((14..=16).contains(&days), "{now}");
}
