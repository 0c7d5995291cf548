//! The customer page's payments and metrics from the command line:
//! `tally payment list` and `customer show`'s average days to collect, on a
//! hand-computed fixture (partial payments, credit applied, a void, nothing
//! collected yet).

use crate::common;

use common::Book;
use serde_json::Value;

/// Customer 1's invoices, with the days each took to collect:
/// INV-0001 $100 issued 01-01, paid 60 on 01-11 and 40 on 01-21: 20 days;
/// INV-0002 $300 issued 02-01, paid 02-05: 4 days;
/// INV-0003 $50 issued 03-01, settled from a credit of 80 dated 03-02: 1 day;
/// INV-0004 $70 voided: not collected. Weighted by total:
/// (20×100 + 4×300 + 1×50) / 450 = 7.2 days.
fn fixture() -> Book {
    let b = Book::new();
    b.ok(&["customer", "add", "Ann"]);
    b.ok(&["customer", "add", "Bob"]);
    let invoice = |amount: &str, issued: &str| {
        b.ok(&["charge", "1", amount, "--tax", "0", "--date", "2025-12-20"]);
        let id = b.ok(&["invoice", "draft", "1"]).trim().to_string();
        b.ok(&["invoice", "finalize", &id, "--date", issued]);
    };
    invoice("100", "2026-01-01");
    b.ok(&[
        "invoice",
        "pay",
        "INV-0001",
        "--amount",
        "60",
        "--date",
        "2026-01-11",
        "--method",
        "card",
    ]);
    b.ok(&[
        "invoice",
        "pay",
        "INV-0001",
        "--amount",
        "40",
        "--date",
        "2026-01-21",
        "--reference",
        "1042",
        "--method",
        "check",
    ]);
    invoice("300", "2026-02-01");
    b.ok(&["invoice", "pay", "INV-0002", "--date", "2026-02-05"]);
    invoice("50", "2026-03-01");
    b.ok(&[
        "credit",
        "1",
        "80",
        "--date",
        "2026-03-02",
        "--desc",
        "Prepaid",
    ]);
    b.ok(&["invoice", "apply-credit", "INV-0003"]);
    invoice("70", "2026-03-05");
    b.ok(&["invoice", "void", "INV-0004"]);
    b.ok(&["credit", "1", "25", "--date", "2026-03-06"]);
    b.ok(&["check"]);
    b
}

#[test]
fn days_to_collect_are_weighted_by_invoice_total() {
    let b = fixture();
    let ann = b.json(&["customer", "show", "1", "--json"]);
    assert_eq!(ann["avg_days_to_collect"], serde_json::json!(7.2));
    assert!(ann["total_billed"].is_string() && ann["total_collected"].is_string());
    let bob = b.json(&["customer", "show", "2", "--json"]);
    assert_eq!(
        bob["avg_days_to_collect"],
        Value::Null,
        "nothing collected yet"
    );
    assert!(
        b.ok(&["customer", "show", "1"])
            .contains("avg days to collect: 7.2 days")
    );
    assert!(
        b.ok(&["customer", "show", "2"])
            .contains("no invoice paid in full yet")
    );
}

#[test]
fn payments_say_how_much_is_applied_and_to_what() {
    let b = fixture();
    let list = b.json(&["payment", "list", "1", "--json"]);
    let rows: Vec<(String, String, String, Value)> = list
        .as_array()
        .expect("list")
        .iter()
        .map(|p| {
            (
                p["amount"].as_str().unwrap_or_default().to_string(),
                p["status"].as_str().unwrap_or_default().to_string(),
                p["applied"].as_str().unwrap_or_default().to_string(),
                p["invoices"].clone(),
            )
        })
        .collect();
    let want = [
        ("25.00", "unapplied", "0.00", serde_json::json!([])),
        (
            "80.00",
            "partly applied",
            "50.00",
            serde_json::json!(["INV-0003"]),
        ),
        (
            "300.00",
            "applied",
            "300.00",
            serde_json::json!(["INV-0002"]),
        ),
        ("40.00", "applied", "40.00", serde_json::json!(["INV-0001"])),
        ("60.00", "applied", "60.00", serde_json::json!(["INV-0001"])),
    ];
    let want: Vec<(String, String, String, Value)> = want
        .into_iter()
        .map(|(a, s, p, i)| (a.to_string(), s.to_string(), p.to_string(), i))
        .collect();
    assert_eq!(rows, want, "the void credit is not a payment; newest first");
    assert_eq!(list[3]["reference"], "1042");
    assert_eq!(list[3]["method"], "check");
    let plain = b.ok(&["payment", "list", "1"]);
    assert!(
        plain.contains("partly applied") && plain.contains("INV-0003"),
        "{plain}"
    );
    assert_eq!(
        b.ok(&["payment", "list", "2"]).trim(),
        "No payments from customer 2 yet."
    );
    b.refused(&["payment", "list", "9"], "customer 9 not found");
}
