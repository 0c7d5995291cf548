//! Credit operations from the command line (seed 003): refunds of available
//! credit, refunds against a paid invoice (a credit memo first), transfers
//! between customers, and `tally credits` listing where each credit came
//! from and what used it. After every change `tally check` passes, which
//! includes the DESIGN §1 identity and the payout rules.

use crate::common;

use common::Book;
use serde_json::Value;

fn show(b: &Book, id: &str) -> Value {
    b.json(&["customer", "show", id, "--json"])
}

fn checked(b: &Book) {
    let out = b.run(&["check"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
}

/// Ann paid INV-0001 ($100) in full by card and holds an $80 prepayment;
/// Bob has nothing.
fn fixture() -> Book {
    let b = Book::new();
    b.ok(&["customer", "add", "Ann"]);
    b.ok(&["customer", "add", "Bob"]);
    b.ok(&["charge", "1", "100", "--tax", "0", "--date", "2026-01-05"]);
    b.ok(&["invoice", "draft", "1"]);
    b.ok(&["invoice", "finalize", "1", "--date", "2026-01-10"]);
    b.ok(&[
        "invoice",
        "pay",
        "INV-0001",
        "--method",
        "card",
        "--date",
        "2026-01-12",
    ]);
    b.ok(&[
        "credit",
        "1",
        "80",
        "--method",
        "cash",
        "--date",
        "2026-01-15",
    ]);
    b
}

#[test]
fn a_refund_pays_out_available_credit_and_nothing_more() {
    let b = fixture();
    b.refused(&["refund", "1", "80.01"], "has $80.00 of available credit");
    b.refused(&["refund", "2", "1"], "has $0.00 of available credit");
    b.refused(&["refund", "1", "0"], "amount");
    b.refused(&["refund", "9", "1"], "customer 9 not found");
    let id = b.ok(&[
        "refund",
        "1",
        "30",
        "--method",
        "check",
        "--reference",
        "1042",
        "--date",
        "2026-02-01",
    ]);
    let s = show(&b, "1");
    assert_eq!(s["balance"], "50.00");
    assert_eq!(s["available_credit"], "50.00");
    assert_eq!(s["total_collected"], "150.00", "180 received, 30 paid back");
    let hist = b.json(&["history", "1", "--json"]);
    assert_eq!(hist[0]["id"].to_string(), id.trim());
    assert_eq!(hist[0]["kind"], "payout");
    assert_eq!(hist[0]["label"], "Refund");
    assert_eq!(hist[0]["amount"], "-30.00");
    let timeline = b.json(&["timeline", "1", "--json"]);
    let line = timeline[0]["detail"].as_str().unwrap();
    assert!(
        line.contains("refund #") && line.contains("ref 1042"),
        "{line}"
    );
    assert!(line.contains("balance 80.00 → 50.00"), "{line}");
    // Money paid out is final: the refund and the credit it used are locked.
    b.refused(
        &["entry", "remove", id.trim()],
        "a refund, which is paid out",
    );
    b.refused(&["entry", "edit", "3", "--amount", "90"], "paid out by #");
    checked(&b);
}

#[test]
fn a_transfer_moves_credit_between_two_customers_and_both_timelines_say_so() {
    let b = fixture();
    b.refused(
        &["credit-transfer", "1", "2", "81"],
        "has $80.00 of available credit",
    );
    b.refused(
        &["credit-transfer", "1", "1", "5"],
        "two different customers",
    );
    b.refused(&["credit-transfer", "1", "7", "5"], "customer 7 not found");
    let ids = b.ok(&["credit-transfer", "1", "2", "25", "--date", "2026-02-02"]);
    let (out, into) = ids.trim().split_once(' ').unwrap();
    assert_eq!(show(&b, "1")["balance"], "55.00");
    assert_eq!(show(&b, "2")["balance"], "25.00");
    assert_eq!(show(&b, "2")["available_credit"], "25.00");
    assert_eq!(show(&b, "2")["total_collected"], "0.00", "Bob paid nothing");
    let t1 = b.json(&["timeline", "1", "--json"]);
    let t2 = b.json(&["timeline", "2", "--json"]);
    assert_eq!(t1[0]["action"], "credit.transferred_out");
    assert!(
        t1[0]["detail"]
            .as_str()
            .unwrap()
            .contains("to customer 2 (Bob)")
    );
    assert_eq!(t2[0]["action"], "credit.transferred_in");
    assert!(
        t2[0]["detail"]
            .as_str()
            .unwrap()
            .contains("balance 0.00 → 25.00")
    );
    let credits = b.json(&["credits", "2", "--json"]);
    assert_eq!(credits["items"][0]["source"], "transfer in");
    assert_eq!(credits["items"][0]["other_customer_id"], 1);
    assert_eq!(credits["items"][0]["id"].to_string(), into);
    b.refused(&["entry", "remove", out], "one side of a transfer");
    b.refused(&["entry", "remove", into], "one side of a transfer");
    // Bob can use what he received: on his own invoice, or paid out.
    b.ok(&["charge", "2", "10", "--tax", "0"]);
    b.ok(&["invoice", "draft", "2"]);
    b.ok(&["invoice", "finalize", "2"]);
    b.ok(&["invoice", "apply-credit", "INV-0002"]);
    b.ok(&["refund", "2", "15"]);
    assert_eq!(show(&b, "2")["balance"], "0.00");
    checked(&b);
}

#[test]
fn a_refund_against_a_paid_invoice_is_a_credit_memo_then_a_refund() {
    let b = fixture();
    b.refused(
        &["refund", "2", "10", "--invoice", "INV-0001"],
        "belongs to customer 1",
    );
    b.refused(
        &["refund", "1", "100.01", "--invoice", "INV-0001"],
        "payments settled $100.00 of INV-0001",
    );
    b.ok(&["charge", "1", "40", "--tax", "0"]);
    b.ok(&["invoice", "draft", "1"]);
    b.ok(&["invoice", "finalize", "2"]);
    b.refused(
        &["refund", "1", "5", "--invoice", "INV-0002"],
        "INV-0002 is open",
    );
    let before = show(&b, "1");
    b.ok(&[
        "refund",
        "1",
        "100",
        "--invoice",
        "INV-0001",
        "--method",
        "card",
    ]);
    let after = show(&b, "1");
    // The memo adds 100 and the refund takes it out: the balance stays.
    assert_eq!(after["balance"], before["balance"]);
    assert_eq!(after["available_credit"], before["available_credit"]);
    assert_eq!(after["total_billed"], "40.00", "the memo credits INV-0001");
    assert_eq!(
        after["total_collected"], "80.00",
        "180 received, 100 paid back"
    );
    let inv = b.json(&["invoice", "show", "INV-0001", "--json"]);
    assert_eq!(inv["status"], "paid");
    let credits = b.json(&["credits", "1", "--json"]);
    let sources: Vec<&str> = credits["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["what"].as_str().unwrap())
        .collect();
    assert_eq!(sources[..2], ["refund", "credit memo"]);
    let payments = b.json(&["payment", "list", "1", "--json"]);
    let card = payments
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["method"] == "card")
        .unwrap();
    assert_eq!(card["status"], "refunded");
    // Nothing of INV-0001 is left to refund against.
    b.refused(
        &["refund", "1", "1", "--invoice", "INV-0001"],
        "payments settled $0.00",
    );
    checked(&b);
}

#[test]
fn credits_say_where_each_credit_came_from() {
    let b = fixture();
    // A second invoice paid by a payment larger than it: overpaid.
    b.ok(&["charge", "1", "20", "--tax", "0"]);
    b.ok(&["invoice", "draft", "1"]);
    b.ok(&["invoice", "finalize", "2"]);
    b.ok(&["credit", "1", "50", "--method", "card"]);
    b.ok(&["invoice", "apply-credit", "INV-0002", "--amount", "20"]);
    // A void of an open invoice.
    b.ok(&["charge", "1", "5", "--tax", "0"]);
    b.ok(&["invoice", "draft", "1"]);
    b.ok(&["invoice", "finalize", "3"]);
    b.ok(&["invoice", "void", "INV-0003"]);
    let credits = b.json(&["credits", "1", "--json"]);
    let mut seen: Vec<(String, String)> = credits["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| {
            (
                i["what"].as_str().unwrap().to_string(),
                i["left"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    seen.sort();
    assert_eq!(
        seen,
        [
            ("payment".to_string(), "0.00".to_string()),
            // Applying credit takes the oldest first: the $80 cash.
            ("payment overpaid".into(), "60.00".into()),
            ("prepayment".into(), "50.00".into()),
            ("void".into(), "0.00".into()),
        ]
    );
    assert_eq!(credits["available_credit"], "110.00");
    let text = b.ok(&["credits", "1"]);
    assert!(text.starts_with("Available credit: 110.00\n"), "{text}");
    assert!(text.contains("INV-0002"), "{text}");
    checked(&b);
}

/// Every figure of `customer show`'s breakdown from a book with each kind
/// of entry: an invoice part paid, a voided invoice, an open charge, a
/// payment on account, a refund and a transfer out, each worked by hand.
#[test]
fn the_breakdown_counts_each_kind_of_entry_where_it_belongs() {
    let b = Book::new();
    for step in [
        &["customer", "add", "Ann"][..],
        &["customer", "add", "Bob"],
        &["charge", "1", "100", "--tax", "10"],
        &["invoice", "draft", "1"],
        &["invoice", "finalize", "1"],
        &["charge", "1", "20", "--tax", "0"],
        &["invoice", "draft", "1"],
        &["invoice", "finalize", "2"],
        &["invoice", "void", "INV-0002"],
        &["charge", "1", "40", "--tax", "0"],
        &["invoice", "pay", "INV-0001", "--amount", "50"],
        &["credit", "1", "30"],
        &["refund", "1", "10"],
        &["credit-transfer", "1", "2", "5"],
    ] {
        b.ok(step);
    }
    let ann = b.json(&["customer", "show", "1", "--json"]);
    let got = |k: &str| ann[k].as_str().unwrap_or_default().to_string();
    // Charged 170, less the void INV-0002's 20; collected the 50 and 30
    // payments less the 10 refunded (the transfer is not collection);
    // -170 + 100 credited - 15 paid out = -85 = 15 - 60 - 40.
    assert_eq!(got("total_billed"), "150.00");
    assert_eq!(got("total_collected"), "70.00");
    assert_eq!(got("outstanding"), "60.00");
    assert_eq!(got("uninvoiced"), "40.00");
    assert_eq!(got("available_credit"), "15.00");
    assert_eq!(got("balance"), "-85.00");
    b.ok(&["check"]);
}
