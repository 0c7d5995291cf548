//! The Invoices tab, the drafting screen and invoice actions; the link
//! keys; the billing catch-up at start.

use super::*;

// ---- Invoices: the Invoices tab, the drafting screen, actions ----

pub(super) fn invoice_book() -> Book {
    use tally::domain::{CustomerDetails, EntryInput, EntryKind};
    let mut b = book(false);
    let ann = b
        .add_customer(
            CustomerDetails {
                name: "Ann Lee".into(),
                ..Default::default()
            },
            true,
        )
        .unwrap();
    for (amount, tax, desc, date) in [
        ("100", "8.25", "Sink repair", "2026-11-01"),
        ("50", "0", "Parts", "2026-11-02"),
        ("20", "1.65", "Call-out", "2026-11-03"),
    ] {
        let input = EntryInput {
            amount: amount.into(),
            tax: Some(tax.into()),
            description: desc.into(),
            date: date.into(),
            method: String::new(),
        };
        b.post(ann, EntryKind::Charge, &input).unwrap();
    }
    let credit = EntryInput {
        amount: "30".into(),
        date: "2026-11-04".into(),
        ..Default::default()
    };
    b.post(ann, EntryKind::Credit, &credit).unwrap();
    b
}

pub(super) fn invoice_runner(book: Book) -> Runner {
    let ui = Ui {
        keymap: Keymap::new(&BTreeMap::new()).unwrap(),
        theme: Theme { color: false },
    };
    Runner::new(book, ui, (W, H))
}

pub(super) fn invoices_of(r: &Runner) -> Vec<tally::domain::Invoice> {
    r.book
        .reads()
        .invoices(&tally::store::InvoiceQuery {
            limit: 100,
            ..Default::default()
        })
        .unwrap()
}

#[test]
fn drafting_from_selected_charges_then_finalizing_from_the_invoices_tab() {
    let mut r = invoice_runner(invoice_book());
    press(&mut r, KeyCode::Enter);
    press(&mut r, KeyCode::Tab);
    insta::assert_snapshot!("invoices_tab_empty", screen(&r));
    keys(&mut r, "i");
    keys(&mut r, "  ");
    insta::assert_snapshot!("drafting_two_selected", screen(&r));
    press(&mut r, KeyCode::Enter);
    insta::assert_snapshot!("drafting_confirm", screen(&r));
    keys(&mut r, "y");
    let inv = invoices_of(&r);
    assert_eq!(inv.len(), 1);
    assert_eq!(
        (inv[0].lines, inv[0].total.to_string()),
        (2, "158.25".into())
    );
    keys(&mut r, "F");
    insta::assert_snapshot!("finalize_confirm", screen(&r));
    keys(&mut r, "y");
    insta::assert_snapshot!("invoices_tab_finalized", screen(&r));
    assert_eq!(invoices_of(&r)[0].number.as_deref(), Some("INV-0001"));
    // The locked charge says why, and which invoice, before any form opens.
    press(&mut r, KeyCode::Char('1'));
    press(&mut r, KeyCode::End);
    keys(&mut r, "e");
    let s = screen(&r);
    assert!(r.app.overlay.is_none(), "no edit form for a locked charge");
    assert!(
        s.contains("is on INV-0001, which is finalized: it cannot be edited or removed"),
        "{s}"
    );
    keys(&mut r, "d");
    assert!(r.app.overlay.is_none(), "no remove dialog either");
    press(&mut r, KeyCode::Enter);
    let s = screen(&r);
    assert!(
        s.contains("Locked       yes, on INV-0001, which is finalized"),
        "{s}"
    );
}

#[test]
fn draft_all_and_refusals_come_back_from_ops_unchanged() {
    let mut r = invoice_runner(invoice_book());
    press(&mut r, KeyCode::Enter);
    keys(&mut r, "i");
    press(&mut r, KeyCode::Enter);
    assert!(screen(&r).contains("Nothing selected: space selects a charge"));
    keys(&mut r, "A");
    assert!(screen(&r).contains("Draft an invoice from all 3 open charges?"));
    keys(&mut r, "y");
    assert_eq!(invoices_of(&r)[0].lines, 3);
    // Voiding a draft goes straight to ops, which refuses; nothing changes.
    let before = invoices_of(&r);
    keys(&mut r, "v");
    let s = screen(&r);
    assert!(
        s.contains("was never finalized: delete the draft instead"),
        "{s}"
    );
    assert_eq!(invoices_of(&r), before);
    // Deleting the draft is confirmed and returns the charges.
    keys(&mut r, "d");
    assert!(screen(&r).contains("Its 3 charges become open again"));
    keys(&mut r, "y");
    assert!(invoices_of(&r).is_empty());
}

#[test]
fn marking_paid_checks_the_amount_in_place_then_records_the_payment() {
    let mut b = invoice_book();
    let id = b.draft_invoice(CustomerId(1), None).unwrap();
    b.finalize_invoice(&tally::domain::invoice::InvoiceRef::Id(id), None)
        .unwrap();
    let mut r = invoice_runner(b);
    press(&mut r, KeyCode::Enter);
    press(&mut r, KeyCode::Tab);
    keys(&mut r, "p");
    ctrl(&mut r, 'u');
    keys(&mut r, "500");
    press(&mut r, KeyCode::Enter);
    insta::assert_snapshot!("mark_paid_too_much", screen(&r));
    assert_eq!(invoices_of(&r)[0].paid.to_string(), "0.00");
    ctrl(&mut r, 'u');
    keys(&mut r, "100");
    press(&mut r, KeyCode::Tab);
    press(&mut r, KeyCode::Left);
    press(&mut r, KeyCode::Tab);
    keys(&mut r, "1042");
    press(&mut r, KeyCode::Enter);
    let inv = &invoices_of(&r)[0];
    assert_eq!(inv.paid.to_string(), "100.00");
    let pay = &r.book.reads().history(CustomerId(1), 0, 1).unwrap()[0];
    assert_eq!(pay.method.map(|m| m.as_str()), Some("transfer"));
    assert_eq!(pay.reference.as_deref(), Some("1042"));
    // Apply the $30 credit, confirmed first.
    keys(&mut r, "c");
    let s = screen(&r);
    assert!(s.contains("the balance does not move"), "{s}");
    keys(&mut r, "y");
    assert_eq!(invoices_of(&r)[0].paid.to_string(), "130.00");
}

#[test]
fn cancel_selected_deletes_drafts_and_voids_open_invoices() {
    let mut b = invoice_book();
    let open = b
        .draft_invoice(CustomerId(1), Some(&[tally::domain::EntryId(1)]))
        .unwrap();
    b.finalize_invoice(&tally::domain::invoice::InvoiceRef::Id(open), None)
        .unwrap();
    b.draft_invoice(CustomerId(1), None).unwrap();
    let mut r = invoice_runner(b);
    press(&mut r, KeyCode::Enter);
    press(&mut r, KeyCode::Tab);
    keys(&mut r, "  X");
    insta::assert_snapshot!("cancel_selected_confirm", screen(&r));
    keys(&mut r, "y");
    let left = invoices_of(&r);
    assert_eq!(left.len(), 1, "the draft is gone");
    assert_eq!(left[0].status, tally::domain::InvoiceStatus::Void);
    let s = screen(&r);
    assert!(
        s.contains("Cancelled: 1 draft deleted, INV-0001 voided"),
        "{s}"
    );
}

#[test]
fn the_tui_runs_the_monthly_billing_catch_up_when_it_starts() {
    use tally::domain::customer::BillingCycle;
    let mut b = invoice_book();
    let mut d = tally::domain::CustomerDetails::from(&b.customer(CustomerId(1)).unwrap());
    d.billing_cycle = BillingCycle::Monthly;
    b.edit_customer(CustomerId(1), d, true).unwrap();
    let input = tally::domain::EntryInput {
        amount: "10".into(),
        tax: Some("0".into()),
        date: "2026-10-15".into(),
        ..Default::default()
    };
    b.post(CustomerId(1), tally::domain::EntryKind::Charge, &input)
        .unwrap();
    let r = invoice_runner(b);
    let s = screen(&r);
    assert!(
        s.contains("Monthly billing created 1 invoice: draft 1 (2026-10)"),
        "{s}"
    );
    // Starting again creates nothing more.
    let r = invoice_runner(r.book);
    assert!(!screen(&r).contains("Monthly billing"));
    assert_eq!(invoices_of(&r).len(), 1);
}

#[test]
fn link_keys_generate_copy_remind_and_regenerate_after_a_confirm() {
    let mut r = invoice_runner(invoice_book());
    r.clipboard = tally::clipboard::Session::recording();
    press(&mut r, KeyCode::Enter);
    let ann = CustomerId(1);
    assert!(raw_screen(&r).contains("Payment link none yet: g generates one"));

    // Copy and reminder need a link first; nothing is copied.
    keys(&mut r, "y");
    assert!(raw_screen(&r).contains("No payment link yet: press g to generate one"));
    assert!(r.clipboard.recorded().is_empty());

    keys(&mut r, "g");
    let link = r.book.link(ann).unwrap().expect("a link");
    let s = raw_screen(&r);
    assert!(s.contains(&format!("Payment link {link}")), "{s}");
    assert!(s.contains("Payment link generated"), "{s}");
    keys(&mut r, "g");
    assert!(raw_screen(&r).contains("already has a link"));
    assert_eq!(
        r.book.link(ann).unwrap(),
        Some(link.clone()),
        "g never replaces"
    );

    keys(&mut r, "y");
    assert!(raw_screen(&r).contains("Link copied to the clipboard."));
    keys(&mut r, "m");
    assert!(raw_screen(&r).contains("Reminder copied to the clipboard."));
    let reminder = format!(
        "Hi Ann, this is My Business. Your balance is $149.90. You can view it and pay here: {link}"
    );
    assert_eq!(r.clipboard.recorded(), [link.clone(), reminder]);

    // R asks first, and saying no changes nothing.
    keys(&mut r, "R");
    let s = raw_screen(&r);
    assert!(
        s.contains("Regenerate the payment link for Ann Lee?"),
        "{s}"
    );
    assert!(s.contains("old link stops working at once"), "{s}");
    keys(&mut r, "n");
    assert_eq!(r.book.link(ann).unwrap(), Some(link.clone()));
    keys(&mut r, "R");
    keys(&mut r, "y");
    let new = r.book.link(ann).unwrap().expect("a new link");
    assert_ne!(new, link);
    let s = raw_screen(&r);
    assert!(
        s.contains(&format!("Payment link {new}")) && s.contains("old one no longer works"),
        "{s}"
    );
    let old_token = tally::domain::link::Token::parse(link.rsplit('/').next().unwrap()).unwrap();
    assert_eq!(r.book.reads().link_customer(&old_token).unwrap(), None);
    // The reminder on the clipboard had the dead link: it now has the new one.
    assert!(
        s.contains("What you copied now carries the new link"),
        "{s}"
    );
    let fixed = format!(
        "Hi Ann, this is My Business. Your balance is $149.90. You can view it and pay here: {new}"
    );
    assert_eq!(r.clipboard.recorded().last(), Some(&fixed));
}
