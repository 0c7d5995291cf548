//! The invoice commands end to end on the binary: seed 002's flow (draft,
//! delete, finalize & lock, pay, void), the JSON fields DESIGN §4 fixes,
//! refusals that leave the book file untouched, the billing run, and the
//! exported documents.

use crate::common;

use common::Book;
use serde_json::Value;

fn setup() -> Book {
    let b = Book::new();
    b.ok(&["customer", "add", "Ann <Lee> & \"Co\""]);
    b.ok(&["customer", "add", "Bob"]);
    b.ok(&[
        "charge",
        "1",
        "100",
        "--tax",
        "8.25",
        "--desc",
        "Sink <b>repair</b>",
        "--date",
        "2026-11-01",
    ]);
    b.ok(&[
        "charge",
        "1",
        "50",
        "--tax",
        "0",
        "--desc",
        "Parts & 'fittings'",
        "--date",
        "2026-11-02",
    ]);
    b.ok(&["charge", "2", "10", "--tax", "0"]);
    b
}

fn invoice(b: &Book, inv: &str) -> Value {
    b.json(&["invoice", "show", inv, "--json"])
}

#[test]
fn seed_002_flow_draft_delete_finalize_pay_void() {
    let b = setup();
    // Draft for all, delete it: the charges are open again.
    assert_eq!(b.ok(&["invoice", "draft", "1"]).trim(), "1");
    let draft = invoice(&b, "1");
    assert_eq!(draft["status"], "draft");
    assert_eq!(draft["number"], Value::Null);
    assert_eq!(draft["total"], "158.25");
    assert!(
        b.ok(&["invoice", "delete", "1"])
            .contains("2 charges are open again")
    );
    b.refused(&["invoice", "show", "1"], "invoice 1 not found");
    // Draft only some, then finalize & lock.
    assert_eq!(
        b.ok(&["invoice", "draft", "1", "--charges", "1"]).trim(),
        "2"
    );
    let out = b.ok(&["invoice", "finalize", "2", "--date", "2026-11-10"]);
    assert_eq!(
        out.trim(),
        "Finalized INV-0001: total $108.25, due 2026-12-10"
    );
    let inv = invoice(&b, "INV-0001");
    for (k, v) in [
        ("id", Value::from(2)),
        ("number", "INV-0001".into()),
        ("status", "open".into()),
        ("customer_id", 1.into()),
        ("total", "108.25".into()),
        ("paid", "0.00".into()),
        ("remaining", "108.25".into()),
        ("issue_date", "2026-11-10".into()),
        ("due_date", "2026-12-10".into()),
    ] {
        assert_eq!(inv[k], v, "{k}");
    }
    b.refused(
        &["entry", "edit", "1", "--amount", "1"],
        "charge 1 is on INV-0001, which is finalized",
    );
    b.refused(&["entry", "remove", "1"], "cannot be edited or removed");
    b.refused(
        &["invoice", "draft", "1", "--charges", "1"],
        "charge 1 is already on INV-0001",
    );
    b.refused(
        &["invoice", "draft", "1", "--charges", "3"],
        "charge 3 belongs to customer 2",
    );
    b.refused(
        &["invoice", "draft", "1", "--charges", "3,x"],
        "is not a list of charge ids",
    );
    b.refused(
        &["invoice", "pay", "INV-0001", "--amount", "200"],
        "pay at most $108.25",
    );
    b.refused(
        &["invoice", "apply-credit", "INV-0001"],
        "no available credit",
    );
    b.refused(
        &["invoice", "delete", "INV-0001"],
        "only a draft can be deleted",
    );
    b.refused(
        &["invoice", "show", "INV-9999"],
        "invoice INV-9999 not found",
    );
    b.refused(&["invoice", "show", "0"], "is not an invoice");

    // Partial payment with method and reference, then void.
    let out = b.ok(&[
        "invoice",
        "pay",
        "inv-0001",
        "--amount",
        "8.25",
        "--method",
        "check",
        "--reference",
        "1042",
        "--date",
        "2026-11-15",
    ]);
    assert!(out.contains("$100.00 remaining"), "{out}");
    let shown = invoice(&b, "INV-0001");
    assert_eq!(shown["allocations"][0]["reference"], "1042");
    assert_eq!(shown["allocations"][0]["method"], "check");
    b.refused(&["entry", "remove", "4"], "credit 4 is applied to INV-0001");
    let out = b.ok(&["invoice", "void", "INV-0001"]);
    assert!(out.contains("\"Void INV-0001\" of $108.25"), "{out}");
    let c = b.json(&["customer", "show", "1", "--json"]);
    assert_eq!(c["available_credit"], "8.25");
    assert_eq!(c["outstanding"], "0.00");
    assert_eq!(c["uninvoiced"], "50.00");
    assert_eq!(c["balance"], "-41.75");
    let history = b.json(&["history", "1", "--json"]);
    assert_eq!(history[0]["description"], "Void INV-0001");
    assert_eq!(history[0]["amount"], "108.25");
    b.refused(&["invoice", "void", "INV-0001"], "already void");
    b.refused(&["invoice", "pay", "INV-0001"], "INV-0001 is void");

    // Apply the returned credit to the next invoice; mark the rest paid.
    b.ok(&["invoice", "draft", "1"]);
    b.ok(&["invoice", "finalize", "3"]);
    let out = b.ok(&["invoice", "apply-credit", "INV-0002"]);
    assert!(out.contains("Applied $8.25 of credit to INV-0002"), "{out}");
    assert_eq!(
        b.json(&["customer", "show", "1", "--json"])["balance"],
        "-41.75"
    );
    b.ok(&["invoice", "pay", "INV-0002"]);
    let paid = invoice(&b, "INV-0002");
    assert_eq!(
        (paid["status"].as_str(), paid["remaining"].as_str()),
        (Some("paid"), Some("0.00"))
    );
    b.refused(
        &["invoice", "void", "INV-0002"],
        "is paid and cannot be voided",
    );
    assert_eq!(
        b.json(&["customer", "show", "1", "--json"])["balance"],
        "0.00"
    );

    let list = b.json(&["invoice", "list", "--customer", "1", "--json"]);
    let numbers: Vec<_> = list
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["number"].clone())
        .collect();
    assert_eq!(numbers, [Value::from("INV-0002"), "INV-0001".into()]);
    let open = b.json(&["invoice", "list", "--status", "void", "--json"]);
    assert_eq!(open.as_array().unwrap().len(), 1);
    b.refused(
        &["invoice", "list", "--status", "sent"],
        "is not one of: draft, open, paid, void, overdue",
    );
}

#[test]
fn cancel_deletes_drafts_and_voids_open_invoices_in_one_step() {
    let b = setup();
    b.ok(&["invoice", "draft", "1", "--charges", "1"]);
    b.ok(&["invoice", "finalize", "1"]);
    b.ok(&["invoice", "draft", "1", "--charges", "2"]);
    let out = b.ok(&["invoice", "cancel", "INV-0001", "2"]);
    assert_eq!(out, "Deleted draft 2\nVoided INV-0001\n");
    assert_eq!(invoice(&b, "1")["status"], "void");
    b.refused(&["invoice", "cancel", "INV-0001"], "already void");
}

#[test]
fn billing_run_bills_past_months_once() {
    let b = Book::new();
    b.ok(&["customer", "add", "Monthly"]);
    b.ok(&[
        "customer",
        "edit",
        "1",
        "--billing-cycle",
        "monthly",
        "--payment-terms",
        "15",
    ]);
    b.ok(&["charge", "1", "10", "--tax", "0", "--date", "2025-12-20"]);
    b.ok(&["charge", "1", "20", "--tax", "0", "--date", "2026-01-05"]);
    let out = b.ok(&["billing", "run", "--date", "2026-02-01"]);
    assert_eq!(out.lines().count(), 3, "header and two invoices: {out}");
    let out = b.ok(&["billing", "run", "--date", "2026-02-01"]);
    assert!(out.starts_with("Nothing to bill"), "{out}");
    let list = b.json(&["invoice", "list", "--json"]);
    let periods: Vec<_> = list
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["period"].clone())
        .collect();
    assert_eq!(periods, [Value::from("2026-01"), "2025-12".into()]);
    b.ok(&["invoice", "finalize", "1", "--date", "2026-02-01"]);
    assert_eq!(invoice(&b, "INV-0001")["due_date"], "2026-02-16");
    b.refused(
        &["customer", "edit", "1", "--payment-terms", "soon"],
        "is not payment terms",
    );
}

#[test]
fn exported_html_is_well_formed_escaped_and_complete() {
    let b = setup();
    b.ok(&["invoice", "draft", "1"]);
    b.ok(&["invoice", "finalize", "1", "--date", "2026-11-10"]);
    b.ok(&["invoice", "pay", "1", "--amount", "58.25"]);
    let html = b.ok(&["invoice", "export", "INV-0001"]);
    let doc = roxmltree::Document::parse_with_options(
        &html,
        roxmltree::ParsingOptions {
            allow_dtd: true,
            ..Default::default()
        },
    )
    .unwrap_or_else(|e| panic!("not well-formed: {e}\n{html}"));
    let text: String = doc.descendants().filter_map(|n| n.text()).collect();
    for want in [
        "Invoice INV-0001",
        "Ann <Lee> & \"Co\"",
        "Sink <b>repair</b>",
        "Parts & 'fittings'",
        "2026-11-10",
        "2026-12-10",
        "$158.25",
        "$58.25",
        "$100.00",
        "$8.25",
    ] {
        assert!(text.contains(want), "missing {want:?}");
    }
    assert!(!html.contains("<b>repair"), "user markup must be escaped");
    assert!(!html.contains("{{"), "every placeholder filled");
    assert!(html.contains("&lt;b&gt;repair&lt;/b&gt;"));

    let out = b.dir.path().join("inv.txt");
    let msg = b.ok(&[
        "invoice",
        "export",
        "INV-0001",
        "--format",
        "txt",
        "--out",
        out.to_str().unwrap(),
    ]);
    assert!(msg.starts_with("Wrote "), "{msg}");
    let txt = std::fs::read_to_string(&out).unwrap();
    assert!(txt.contains("Bill to: Ann <Lee> & \"Co\""), "{txt}");
    assert!(txt.contains("Amount due"), "{txt}");
    assert!(
        txt.lines()
            .any(|l| l.starts_with("Total") && l.ends_with("$158.25")),
        "{txt}"
    );

    // A draft says it is not a bill.
    b.ok(&["charge", "1", "5", "--tax", "0"]);
    b.ok(&["invoice", "draft", "1"]);
    let draft = b.ok(&["invoice", "export", "2", "--format", "txt"]);
    assert!(draft.contains("Draft: not a bill yet"), "{draft}");
}
