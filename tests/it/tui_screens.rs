//! Snapshot tests of every TUI screen and form on ratatui's TestBackend,
//! with a fixed clock and a fixed book, driven by real key events through
//! the same Runner the terminal uses. Also checks that keys change the book.

use std::collections::BTreeMap;

use chrono::{TimeZone, Utc};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::crossterm::event::{Event, KeyCode, KeyEvent, KeyModifiers};
use ratatui::style::Color;
use tally::config::Config;
use tally::domain::CustomerId;
use tally::ops::{Book, Clock};
use tally::store::Store;
use tally::tui::Runner;
use tally::tui::draw as render;
use tally::tui::keymap::Keymap;
use tally::tui::theme::Theme;
use tally::tui::ui::Ui;

const W: u16 = 100;
const H: u16 = 26;

fn book(demo: bool) -> Book {
    let config = Config::default();
    let store = Store::open_in_memory(&config.currency()).expect("store");
    let clock = Clock::Fixed(Utc.with_ymd_and_hms(2026, 11, 21, 12, 0, 0).unwrap());
    let mut book = Book::with_store(store, config, "tui:test").with_clock(clock);
    if demo {
        tally::ops::demo::populate(&mut book).expect("demo");
    }
    book
}

fn runner_sized(demo: bool, color: bool, w: u16, h: u16) -> Runner {
    let ui = Ui {
        keymap: Keymap::new(&BTreeMap::new()).unwrap(),
        theme: Theme { color },
    };
    Runner::new(book(demo), ui, (w, h))
}

fn runner(demo: bool) -> Runner {
    runner_sized(demo, true, W, H)
}

fn press(r: &mut Runner, code: KeyCode) {
    r.event(Event::Key(KeyEvent::new(code, KeyModifiers::NONE)));
}

fn ctrl(r: &mut Runner, c: char) {
    r.event(Event::Key(KeyEvent::new(
        KeyCode::Char(c),
        KeyModifiers::CONTROL,
    )));
}

fn keys(r: &mut Runner, s: &str) {
    for c in s.chars() {
        press(r, KeyCode::Char(c));
    }
}

fn draw(r: &Runner) -> Terminal<TestBackend> {
    let (w, h) = r.app.size();
    let mut t = Terminal::new(TestBackend::new(w, h)).unwrap();
    t.draw(|f| render(f, &r.app, &r.ui)).unwrap();
    t
}

/// The screen exactly as drawn, tokens and all.
fn raw_screen(r: &Runner) -> String {
    draw(r).backend().to_string()
}

/// The screen as text, with payment-link tokens (random) shown as
/// `[token]` so snapshots stay the same from run to run.
fn screen(r: &Runner) -> String {
    let text = raw_screen(r);
    let mut out = String::with_capacity(text.len());
    let mut rest = text.as_str();
    while let Some(at) = rest.find("/p/") {
        out.push_str(&rest[..at + 3]);
        rest = &rest[at + 3..];
        let len = rest
            .bytes()
            .take_while(|b| b.is_ascii_alphanumeric() || *b == b'-' || *b == b'_')
            .count();
        if len == 43 {
            out.push_str(&format!("{:<43}", "[token]"));
            rest = &rest[43..];
        } else if rest[len..].starts_with('…') {
            // A link cut short to fit: the part shown is random too.
            out.push_str(&format!("{:<len$.len$}", "[token]"));
            rest = &rest[len..];
        }
    }
    out.push_str(rest);
    out
}

#[test]
fn welcome_on_an_empty_book() {
    insta::assert_snapshot!(screen(&runner(false)));
}

#[test]
fn customers_sorted_by_who_owes_most() {
    insta::assert_snapshot!(screen(&runner(true)));
}

#[test]
fn customers_sorted_by_name_then_recent() {
    let mut r = runner(true);
    keys(&mut r, "s");
    insta::assert_snapshot!("customers_by_name", screen(&r));
    keys(&mut r, "s");
    assert!(screen(&r).contains("sort: recent"));
}

#[test]
fn search_filters_as_you_type() {
    let mut r = runner(true);
    keys(&mut r, "/an");
    insta::assert_snapshot!(screen(&r));
    keys(&mut r, "zz");
    assert!(screen(&r).contains("No customer matches \"anzz\""));
    press(&mut r, KeyCode::Esc);
    assert!(screen(&r).contains("12 customers"));
    assert!(!screen(&r).contains("search:"));
}

#[test]
fn help_lists_the_bindings_of_the_screen() {
    let mut r = runner(true);
    keys(&mut r, "?");
    insta::assert_snapshot!("help_customers", screen(&r));
    press(&mut r, KeyCode::Esc);
    press(&mut r, KeyCode::Enter);
    keys(&mut r, "?");
    insta::assert_snapshot!("help_customer", screen(&r));
    // The invoices tab has the most keys: on 26 rows they go in two
    // columns, and every one of them (and "any key closes") is visible.
    press(&mut r, KeyCode::Esc);
    press(&mut r, KeyCode::Tab);
    keys(&mut r, "?");
    let s = screen(&r);
    for key in [
        "copy a reminder text with the link",
        "any key closes",
        "save the invoice (HTML)",
    ] {
        assert!(s.contains(key), "{key} missing:\n{s}");
    }
    insta::assert_snapshot!("help_invoices", s);
}

#[test]
fn customer_screen_shows_breakdown_and_history() {
    let mut r = runner(true);
    press(&mut r, KeyCode::Enter);
    insta::assert_snapshot!(screen(&r));
}

#[test]
fn add_entry_form_opens_on_amount_as_a_charge() {
    let mut r = runner(true);
    press(&mut r, KeyCode::Enter);
    keys(&mut r, "a");
    insta::assert_snapshot!("add_charge_empty", screen(&r));
    ctrl(&mut r, 't');
    insta::assert_snapshot!("add_credit", screen(&r));
}

#[test]
fn invalid_entry_fields_are_marked_in_place_and_nothing_is_saved() {
    let mut r = runner(true);
    press(&mut r, KeyCode::Enter);
    let before = r
        .app
        .customer
        .as_ref()
        .unwrap()
        .page
        .as_ref()
        .unwrap()
        .count;
    keys(&mut r, "a");
    keys(&mut r, "abc");
    press(&mut r, KeyCode::Tab);
    press(&mut r, KeyCode::Tab);
    press(&mut r, KeyCode::Tab);
    ctrl(&mut r, 'u');
    keys(&mut r, "2026-02-30");
    press(&mut r, KeyCode::Enter);
    insta::assert_snapshot!(screen(&r));
    let id = r.app.customer.as_ref().unwrap().id;
    assert_eq!(r.book.reads().count_entries(id).unwrap() as usize, before);
}

#[test]
fn entry_detail_and_remove_confirmation() {
    let mut r = runner(true);
    press(&mut r, KeyCode::Enter);
    press(&mut r, KeyCode::Enter);
    insta::assert_snapshot!("entry_detail", screen(&r));
    keys(&mut r, "d");
    insta::assert_snapshot!("confirm_remove", screen(&r));
    keys(&mut r, "n");
    assert!(screen(&r).contains("Nothing changed"));
}

#[test]
fn customer_forms_warn_about_duplicates_before_saving() {
    let mut r = runner(true);
    keys(&mut r, "n");
    keys(&mut r, "ann lee");
    press(&mut r, KeyCode::Enter);
    insta::assert_snapshot!("new_customer_similar_name", screen(&r));
    press(&mut r, KeyCode::Esc);
    press(&mut r, KeyCode::Enter);
    keys(&mut r, "E");
    insta::assert_snapshot!("edit_customer", screen(&r));
}

#[test]
fn a_tiny_terminal_shows_a_notice() {
    let r = runner_sized(true, true, 40, 10);
    insta::assert_snapshot!(screen(&r));
}

#[test]
fn balances_are_red_when_owed_green_in_credit_and_dim_at_zero() {
    let r = runner(true);
    let t = draw(&r);
    let buf = t.backend().buffer();
    let fg_of = |needle: &str| {
        let y = (0..H)
            .find(|y| {
                (0..W)
                    .map(|x| buf[(x, *y)].symbol().to_string())
                    .collect::<String>()
                    .contains(needle)
            })
            .unwrap();
        let line: String = (0..W).map(|x| buf[(x, y)].symbol().to_string()).collect();
        let x = line.find('$').unwrap() as u16;
        (buf[(x, y)].fg, buf[(x, y)].modifier)
    };
    assert_eq!(fg_of("Hugo Martin").0, Color::Red);
    assert_eq!(fg_of("Grace Kim").0, Color::Green);
    let (fg, modifier) = fg_of("Elena Rossi");
    assert_eq!(fg, Color::Reset);
    assert!(modifier.contains(ratatui::style::Modifier::DIM));

    let plain = runner_sized(true, false, W, H);
    let t = draw(&plain);
    let colored = t
        .backend()
        .buffer()
        .content()
        .iter()
        .any(|c| c.fg != Color::Reset);
    assert!(!colored, "NO_COLOR: no foreground colours at all");
}

#[test]
fn adding_a_charge_with_keys_updates_history_balance_and_list_order() {
    let mut r = runner(true);
    // Ines Silva has no entries (balance 0); find her and charge her a lot.
    keys(&mut r, "/ines");
    press(&mut r, KeyCode::Enter);
    press(&mut r, KeyCode::Enter);
    keys(&mut r, "a");
    keys(&mut r, "5,000");
    press(&mut r, KeyCode::Tab);
    press(&mut r, KeyCode::Tab);
    keys(&mut r, "Landscape design");
    press(&mut r, KeyCode::Enter);
    let s = screen(&r);
    assert!(s.contains("Balance -$5,000.00"), "{s}");
    assert!(s.contains("Landscape design"), "{s}");
    assert!(
        s.contains("Charge #"),
        "status line says what happened: {s}"
    );
    // Back to the list (clear the search): she now owes the most, is first and selected.
    press(&mut r, KeyCode::Esc);
    press(&mut r, KeyCode::Esc);
    let first = r.app.list.rows.first().unwrap();
    assert_eq!(first.name, "Ines Silva");
    assert_eq!(
        r.app.selected_customer().map(|c| c.name.as_str()),
        Some("Ines Silva")
    );
    let id = first.id;
    assert_eq!(
        r.book.reads().recomputed_balance(id).unwrap().to_string(),
        "-5000.00"
    );
}

#[test]
fn editing_and_removing_an_entry_with_keys() {
    let mut r = runner(true);
    press(&mut r, KeyCode::Enter); // Hugo Martin, newest entry: Drainage fix 120
    let id = r.app.customer.as_ref().unwrap().id;
    keys(&mut r, "e");
    ctrl(&mut r, 'u');
    keys(&mut r, "150");
    press(&mut r, KeyCode::Enter);
    assert!(screen(&r).contains("-$150.00"));
    let newest = r.book.reads().history(id, 0, 1).unwrap().remove(0);
    assert_eq!(newest.amount.to_string(), "150.00");
    keys(&mut r, "d");
    keys(&mut r, "y");
    assert_eq!(r.book.reads().count_entries(id).unwrap(), 2);
    assert!(r.book.reads().balance_mismatches().unwrap().is_empty());
    assert_eq!(r.app.customer.as_ref().map(|v| v.id), Some(id));
    assert_eq!(id, CustomerId(8));
}

#[test]
fn resizing_keeps_state() {
    let mut r = runner(true);
    press(&mut r, KeyCode::Down);
    press(&mut r, KeyCode::Down);
    let selected = r.app.selected_customer().unwrap().id;
    r.event(Event::Resize(60, 14));
    assert_eq!(r.app.selected_customer().unwrap().id, selected);
    r.event(Event::Resize(30, 8));
    assert!(screen(&r).contains("too small"));
    r.event(Event::Resize(W, H));
    assert_eq!(r.app.selected_customer().unwrap().id, selected);
}

#[test]
fn an_unknown_parent_is_marked_on_its_field() {
    let mut r = runner(true);
    keys(&mut r, "n");
    keys(&mut r, "Zed Quill");
    for _ in 0..7 {
        press(&mut r, KeyCode::Tab);
    }
    keys(&mut r, "999");
    press(&mut r, KeyCode::Enter);
    let s = screen(&r);
    assert!(s.contains("customer 999 does not exist"), "{s}");
    assert_eq!(
        r.book.reads().count_customers(&None).unwrap(),
        12,
        "nothing saved"
    );
}

// ---- Invoices: the Invoices tab, the drafting screen, actions ----

fn invoice_book() -> Book {
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

fn invoice_runner(book: Book) -> Runner {
    let ui = Ui {
        keymap: Keymap::new(&BTreeMap::new()).unwrap(),
        theme: Theme { color: false },
    };
    Runner::new(book, ui, (W, H))
}

fn invoices_of(r: &Runner) -> Vec<tally::domain::Invoice> {
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

/// A book for the fit test: the demo customers, plus one whose invoice
/// total is $1,632.50 (finalized, partly paid) and a second open charge.
fn fit_book() -> Book {
    use tally::domain::invoice::InvoiceRef;
    use tally::domain::{EntryInput, EntryKind};
    use tally::ops::PaymentInput;
    let mut b = book(true);
    let c = CustomerId(1);
    let charge = |amount: &str, desc: &str| EntryInput {
        amount: amount.into(),
        tax: Some("0".into()),
        description: desc.into(),
        date: "2026-11-02".into(),
        method: String::new(),
    };
    b.post(
        c,
        EntryKind::Charge,
        &charge(
            "1632.50",
            "Full garden redesign with a very long description",
        ),
    )
    .unwrap();
    let inv = b.draft_invoice(c, None).unwrap();
    b.finalize_invoice(&InvoiceRef::Id(inv), None).unwrap();
    let pay = PaymentInput {
        amount: Some("100".into()),
        ..Default::default()
    };
    b.pay_invoice(&InvoiceRef::Id(inv), &pay).unwrap();
    b.post(c, EntryKind::Charge, &charge("2,345.67", "Second job"))
        .unwrap();
    // Every tab has rows: a sub-client, a contact, a refund and a transfer.
    let mut sub = tally::domain::CustomerDetails::from(&b.customer(CustomerId(2)).unwrap());
    sub.parent_id = Some(c);
    b.edit_customer(CustomerId(2), sub, true).unwrap();
    let contact = tally::domain::contact::ContactDetails {
        name: "Mary Major".into(),
        role: Some("Accounts payable".into()),
        primary: true,
        ..Default::default()
    };
    b.add_contact(c, contact).unwrap();
    let credit = EntryInput {
        amount: "1,234.56".into(),
        method: "card".into(),
        ..Default::default()
    };
    b.post(c, EntryKind::Credit, &credit).unwrap();
    let refund = tally::ops::RefundInput {
        amount: "111.11".into(),
        ..Default::default()
    };
    b.refund(c, &refund).unwrap();
    let moved = tally::ops::TransferInput {
        amount: "22.22".into(),
        ..Default::default()
    };
    b.transfer_credit(c, CustomerId(3), &moved).unwrap();
    b
}

/// Every amount the book holds, written as the screens write it.
fn book_amounts(b: &Book) -> std::collections::HashSet<String> {
    let cur = b.currency().clone();
    let r = b.reads();
    let mut out = std::collections::HashSet::new();
    let mut prose = Vec::new();
    // Screens show "$1,234.56"; the timeline's prose says "1234.56".
    let mut add = |v: rust_decimal::Decimal| {
        out.insert(cur.display(v));
        out.insert(cur.plain(v.abs()));
    };
    let t = r.totals().unwrap();
    add(t.owed);
    add(t.credit);
    add(rust_decimal::Decimal::ZERO);
    let all = tally::store::CustomerQuery {
        limit: 1000,
        ..Default::default()
    };
    for c in r.customers(&all).unwrap() {
        add(c.balance);
        let d = r.breakdown(c.id).unwrap();
        for v in [
            d.balance,
            d.available_credit,
            d.outstanding,
            d.uninvoiced,
            d.total_billed,
            d.total_collected,
        ] {
            add(v);
        }
        // Figures the timeline's prose holds whole (past balances too).
        for e in r.timeline(c.id, 0, 1000).unwrap() {
            let figures = e
                .detail
                .split(|ch: char| !(ch.is_ascii_digit() || ch == '.' || ch == '-'));
            for f in figures.map(|f| f.trim_matches(|ch| ch == '.' || ch == '-')) {
                if f.contains('.') {
                    prose.push(f.to_string());
                }
            }
        }
        let (_, subs) = r.sub_client_totals(c.id).unwrap();
        add(c.balance + subs);
        for i in r.credit_items(c.id, 0, 1000).unwrap() {
            add(i.left());
        }
        for e in r.history(c.id, 0, 1000).unwrap() {
            for v in [
                e.signed_amount(),
                e.amount,
                e.tax,
                e.signed_tax(),
                e.amount + e.tax,
                e.signed_tax(),
                e.signed_total(),
            ] {
                add(v);
            }
        }
    }
    for i in r
        .invoices(&tally::store::InvoiceQuery {
            limit: 1000,
            ..Default::default()
        })
        .unwrap()
    {
        for v in [i.total, i.paid, i.remaining()] {
            add(v);
        }
    }
    // The report screens' figures: each aging cell and total, what each
    // overdue invoice still owes, and the month-at-a-glance figures.
    let (_, rows) = b.aging(None).unwrap();
    let totals = tally::ops::aging_totals(&rows);
    for row in rows.iter().chain([&totals]) {
        for m in row.buckets.iter().chain([&row.total(), &row.credit]) {
            add(cur.from_minor_wide(*m));
        }
    }
    let overdue = b.overdue().unwrap();
    add(cur.from_minor(overdue.iter().map(|o| o.remaining).sum()));
    for o in overdue {
        add(cur.from_minor(o.remaining));
    }
    let glance = b.glance().unwrap();
    for m in glance.months {
        for v in [m.billed, m.collected, m.outstanding] {
            add(v);
        }
    }
    for c in glance.top {
        add(-c.balance);
    }
    out.extend(prose);
    out
}

/// Checks one screen: every run of money characters is a whole amount the
/// book holds; no fragment of an amount ("2.50", ".50", "$1,63") shows.
fn assert_amounts_whole(text: &str, amounts: &std::collections::HashSet<String>, what: &str) {
    let well_formed = |s: &str| {
        let s = s.strip_prefix('-').unwrap_or(s);
        let Some(s) = s.strip_prefix('$') else {
            return false;
        };
        let Some((int, frac)) = s.split_once('.') else {
            return false;
        };
        let groups: Vec<&str> = int.split(',').collect();
        frac.len() == 2
            && frac.bytes().all(|b| b.is_ascii_digit())
            && !groups[0].is_empty()
            && groups[0].len() <= 3
            && groups.iter().all(|g| g.bytes().all(|b| b.is_ascii_digit()))
            && groups[1..].iter().all(|g| g.len() == 3)
    };
    for line in text.lines() {
        let chars: Vec<char> = line.chars().collect();
        let mut i = 0;
        while i < chars.len() {
            let money_char =
                |c: char| c == '$' || c == '-' || c == ',' || c == '.' || c.is_ascii_digit();
            if !money_char(chars[i]) {
                i += 1;
                continue;
            }
            let start = i;
            while i < chars.len() && money_char(chars[i]) {
                i += 1;
            }
            let run: String = chars[start..i].iter().collect();
            let run = run.trim_matches(|c| c == '-' || c == ',' || c == '.');
            let percent = chars.get(i) == Some(&'%');
            if run.contains('$') {
                let run = if chars[start] == '-' && !run.starts_with('-') {
                    format!("-{run}")
                } else {
                    run.to_string()
                };
                assert!(
                    well_formed(&run) && amounts.contains(&run),
                    "{what}: {run:?} is not an amount of the book:\n{text}"
                );
            } else if !percent
                && run.matches('.').count() == 1
                && run.chars().any(|c| c.is_ascii_digit())
                && !amounts.contains(run)
            {
                // One dot with digits: a cut amount. (An address such as
                // 127.0.0.1 has three.)
                panic!("{what}: {run:?} looks like a cut amount:\n{text}");
            }
        }
    }
}

#[test]
fn no_screen_cuts_an_amount_at_any_size() {
    for (w, h) in [(40, 12), (50, 12), (60, 15), (80, 24), (120, 36)] {
        let ui = Ui {
            keymap: Keymap::new(&BTreeMap::new()).unwrap(),
            theme: Theme { color: false },
        };
        let mut r = Runner::new(fit_book(), ui, (w, h));
        let amounts = book_amounts(&r.book);
        let check = |r: &Runner, what: &str| {
            assert_amounts_whole(&screen(r), &amounts, &format!("{what} at {w}×{h}"));
        };
        check(&r, "customers");
        keys(&mut r, "/an");
        check(&r, "search");
        press(&mut r, KeyCode::Esc);
        // Open each of the first few customers and walk their tabs.
        for row in 0..4 {
            press(&mut r, KeyCode::Home);
            for _ in 0..row {
                press(&mut r, KeyCode::Down);
            }
            press(&mut r, KeyCode::Enter);
            check(&r, "customer billing");
            press(&mut r, KeyCode::Enter);
            check(&r, "entry detail");
            press(&mut r, KeyCode::Esc);
            keys(&mut r, "?");
            check(&r, "help");
            press(&mut r, KeyCode::Esc);
            press(&mut r, KeyCode::Tab);
            check(&r, "invoices tab");
            for (n, tab) in [
                ('3', "payments"),
                ('4', "credits"),
                ('5', "contacts"),
                ('6', "sub-clients"),
                ('7', "timeline"),
                ('8', "documents"),
                ('9', "contracts"),
            ] {
                press(&mut r, KeyCode::Char(n));
                check(&r, &format!("{tab} tab"));
            }
            keys(&mut r, "1i");
            check(&r, "drafting");
            keys(&mut r, " ");
            check(&r, "drafting, one picked");
            press(&mut r, KeyCode::Esc);
            press(&mut r, KeyCode::Esc);
        }
        for (key, report) in [('A', "aging"), ('O', "collections"), ('M', "glance")] {
            press(&mut r, KeyCode::Char(key));
            check(&r, report);
        }
        press(&mut r, KeyCode::Char('A'));
        for _ in 0..8 {
            keys(&mut r, "s");
            check(&r, "aging, sorted");
        }
        press(&mut r, KeyCode::Esc);
    }
}

#[test]
fn one_is_singular_and_the_two_badges_have_their_own_colours() {
    use tally::domain::{CustomerDetails, EntryInput, EntryKind};
    let mut b = book(false);
    let c = b
        .add_customer(
            CustomerDetails {
                name: "Ann Lee".into(),
                invoices_paused: true,
                portal_delivery: true,
                ..Default::default()
            },
            true,
        )
        .unwrap();
    let input = EntryInput {
        amount: "10".into(),
        ..Default::default()
    };
    b.post(c, EntryKind::Charge, &input).unwrap();
    let ui = Ui {
        keymap: Keymap::new(&BTreeMap::new()).unwrap(),
        theme: Theme { color: true },
    };
    let mut r = Runner::new(b, ui, (W, H));
    press(&mut r, KeyCode::Enter);
    let s = screen(&r);
    assert!(s.contains("1 entry, newest first"), "{s}");
    let t = draw(&r);
    let buf = t.backend().buffer();
    let colour_of = |word: &str| {
        let area = buf.area;
        for y in 0..area.height {
            let row: String = (0..area.width)
                .map(|x| buf[(x, y)].symbol().to_string())
                .collect();
            if let Some(at) = row.find(word) {
                let x = row[..at].chars().count() as u16;
                return buf[(x, y)].fg;
            }
        }
        panic!("{word} not on screen:\n{s}");
    };
    assert_ne!(colour_of("Invoices paused"), colour_of("Portal"));
    keys(&mut r, "i");
    keys(&mut r, " ");
    let s = screen(&r);
    assert!(s.contains("1 open charge, oldest first"), "{s}");
    assert!(s.contains("Selected 1 charge ·"), "{s}");
    press(&mut r, KeyCode::Enter);
    let s = screen(&r);
    assert!(
        s.contains("Draft an invoice from the selected charge"),
        "{s}"
    );
    keys(&mut r, "y");
    let s = screen(&r);
    assert!(s.contains("Made draft 1: 1 charge, $10.00"), "{s}");
}

#[test]
fn messages_name_keys_not_commands() {
    let mut r = runner(false);
    keys(&mut r, "n");
    keys(&mut r, "Zoe Park");
    press(&mut r, KeyCode::Enter);
    let s = screen(&r);
    assert!(
        s.contains("Added Zoe Park (customer 1): enter opens them, then a adds a charge"),
        "{s}"
    );
    press(&mut r, KeyCode::Enter);
    keys(&mut r, "g");
    keys(&mut r, "g");
    let s = screen(&r);
    assert!(!s.contains("`tally"), "{s}");
    assert!(
        s.contains("already has a link: y copies it, R replaces it"),
        "{s}"
    );
}

#[test]
fn a_form_shows_every_bad_field_at_once() {
    let mut r = runner(true);
    keys(&mut r, "n");
    press(&mut r, KeyCode::Tab);
    keys(&mut r, "not-an-email");
    press(&mut r, KeyCode::Tab);
    keys(&mut r, "call me");
    press(&mut r, KeyCode::Enter);
    let s = screen(&r);
    assert!(s.contains("name is empty"), "{s}");
    assert!(s.contains("is not an email address"), "{s}");
    assert!(s.contains("is not a phone number"), "{s}");
    assert_eq!(r.book.reads().count_customers(&None).unwrap(), 12);
}

#[test]
fn help_scrolls_and_wraps_so_every_binding_can_be_read_at_any_size() {
    for (w, h) in [(60, 15), (80, 24), (100, 26)] {
        let mut r = runner_sized(true, false, w, h);
        for (place, setup) in [("customers", ""), ("customer", "\r"), ("invoices", "\t")] {
            match setup {
                "\r" => press(&mut r, KeyCode::Enter),
                "\t" => press(&mut r, KeyCode::Tab),
                _ => {}
            }
            let ctx = r.app.context();
            let bindings = r.ui.keymap.help(ctx);
            keys(&mut r, "?");
            let mut seen = String::new();
            for _ in 0..60 {
                seen.push_str(&screen(&r));
                press(&mut r, KeyCode::Down);
            }
            let words: std::collections::HashSet<&str> = seen
                .split(|c: char| c.is_whitespace() || c == '│' || c == '"')
                .collect();
            for (key, what) in &bindings {
                for word in what.split_whitespace().chain(key.split_whitespace()) {
                    assert!(
                        words.contains(word),
                        "{place} at {w}×{h}: {word:?} of {key} \"{what}\" never shows whole:\n{seen}"
                    );
                }
            }
            press(&mut r, KeyCode::Esc);
            assert!(r.app.overlay.is_none(), "any other key closes");
        }
    }
}

#[test]
fn the_tui_shows_what_another_tally_wrote_without_reopening_anything() {
    use tally::domain::{CustomerDetails, EntryInput, EntryKind};
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("book.tally");
    let mut other = Book::open(&path, Config::default(), "cli:test").unwrap();
    let ann = other
        .add_customer(
            CustomerDetails {
                name: "Ann Lee".into(),
                ..Default::default()
            },
            true,
        )
        .unwrap();
    let book = Book::open(&path, Config::default(), "tui:test").unwrap();
    let ui = Ui {
        keymap: Keymap::new(&BTreeMap::new()).unwrap(),
        theme: Theme { color: false },
    };
    let mut r = Runner::new(book, ui, (W, H));
    press(&mut r, KeyCode::Enter);
    assert!(screen(&r).contains("Balance $0.00"));
    let charge = EntryInput {
        amount: "42".into(),
        tax: Some("0".into()),
        description: "Posted from the CLI".into(),
        ..Default::default()
    };
    other.post(ann, EntryKind::Charge, &charge).unwrap();
    r.tick();
    let s = screen(&r);
    assert!(s.contains("Balance -$42.00"), "{s}");
    assert!(s.contains("Posted from the CLI"), "{s}");
    press(&mut r, KeyCode::Esc);
    assert!(screen(&r).contains("-$42.00"));
    // Nothing changed: a tick does nothing.
    r.tick();
    assert!(screen(&r).contains("-$42.00"));
}

#[test]
fn tax_typed_as_a_rate_shows_its_amount_and_total_before_saving() {
    let mut r = runner(true);
    press(&mut r, KeyCode::Enter);
    keys(&mut r, "a");
    keys(&mut r, "100");
    assert!(
        screen(&r).contains("Tax $0.00 · total $100.00"),
        "{}",
        screen(&r)
    );
    press(&mut r, KeyCode::Tab);
    keys(&mut r, "8.25%");
    let s = screen(&r);
    assert!(s.contains("Tax $8.25 · total $108.25"), "{s}");
    press(&mut r, KeyCode::Enter);
    let s = screen(&r);
    assert!(s.contains("-$100.00") && s.contains("-$8.25"), "{s}");
    let newest = &r.book.reads().history(CustomerId(8), 0, 1).unwrap()[0];
    assert_eq!(newest.tax.to_string(), "8.25");
}

#[test]
fn enter_on_an_invoice_opens_it_with_lines_payments_history_and_its_actions() {
    let mut r = runner(true);
    // Bob Stone: INV-0002, the patio, overdue with his deposit applied.
    press(&mut r, KeyCode::Down);
    press(&mut r, KeyCode::Enter);
    press(&mut r, KeyCode::Tab);
    press(&mut r, KeyCode::Enter);
    let s = screen(&r);
    for want in [
        "INV-0002",
        "overdue · issued",
        "Patio install",
        "$1,500.00",
        "$123.75",
        "Total",
        "$1,623.75",
        "Remaining",
        "$1,123.75",
        "Payments applied",
        "Deposit",
        "$500.00",
        "History",
        "finalized draft",
    ] {
        assert!(s.contains(want), "{want} missing:\n{s}");
    }
    assert!(s.contains("p paid · c credit · v void · x export"), "{s}");
    insta::assert_snapshot!("invoice_detail", s);
    // The tab's keys work from here: p opens the payment form.
    keys(&mut r, "p");
    assert!(
        screen(&r).contains("Mark INV-0002 as paid"),
        "{}",
        screen(&r)
    );
    press(&mut r, KeyCode::Esc);
    press(&mut r, KeyCode::Enter);
    press(&mut r, KeyCode::Esc);
    assert!(r.app.overlay.is_none(), "esc closes the invoice");
    // Small terminals scroll it; nothing is cut.
    let mut small = runner_sized(true, false, 60, 15);
    press(&mut small, KeyCode::Down);
    press(&mut small, KeyCode::Enter);
    press(&mut small, KeyCode::Tab);
    press(&mut small, KeyCode::Enter);
    let mut seen = screen(&small);
    for _ in 0..30 {
        press(&mut small, KeyCode::Down);
        seen.push_str(&screen(&small));
    }
    assert!(
        seen.contains("Payments applied") && seen.contains("History"),
        "{seen}"
    );
}

#[test]
fn a_parent_is_picked_by_typing_part_of_its_name() {
    let mut r = runner(true);
    keys(&mut r, "n");
    keys(&mut r, "Hugo's Shed");
    for _ in 0..7 {
        press(&mut r, KeyCode::Tab);
    }
    keys(&mut r, "an");
    press(&mut r, KeyCode::Enter);
    let s = screen(&r);
    assert!(s.contains("customers match \"an\""), "{s}");
    assert!(s.contains("type more of the"), "{s}");
    assert_eq!(
        r.book.reads().count_customers(&None).unwrap(),
        12,
        "nothing saved"
    );
    for _ in 0..2 {
        press(&mut r, KeyCode::Backspace);
    }
    keys(&mut r, "hugo m");
    press(&mut r, KeyCode::Enter);
    let c = r.book.customer(CustomerId(13)).expect("saved");
    assert_eq!(c.parent_id, Some(CustomerId(8)), "Hugo Martin");
}

#[test]
fn the_balance_line_keeps_all_four_figures_at_80_columns() {
    let mut r = runner_sized(true, false, 80, 24);
    press(&mut r, KeyCode::Enter);
    let s = screen(&r);
    let line = s
        .lines()
        .find(|l| l.contains("Balance"))
        .expect("balance line");
    for part in [
        "Balance -$1,518.00",
        "Outstanding $1,398.00",
        "Credit $0.00",
        "Uninvoiced $120.00",
    ] {
        assert!(line.contains(part), "{part} missing: {line}");
    }
}

#[test]
fn the_metrics_line_shows_collected_of_billed_and_days_to_collect() {
    let mut r = runner(true);
    // Ann Lee: October's $150 invoice, issued 38 days ago, settled by her
    // payment dated 35 days ago: 3 days to collect.
    keys(&mut r, "/ann");
    press(&mut r, KeyCode::Enter);
    press(&mut r, KeyCode::Enter);
    let s = screen(&r);
    assert!(s.contains("Customers / Ann Lee"), "{s}");
    assert!(s.contains("$150.00 collected of $300.00 billed"), "{s}");
    assert!(s.contains("Avg. days to collect: 3"), "{s}");
}

/// The demo book with Ann Lee (1) as Bob Stone's (2) parent, a primary
/// contact, a prepayment partly refunded and partly moved to Cara Diaz (3).
fn tabs_book() -> Book {
    use tally::domain::contact::ContactDetails;
    use tally::ops::{RefundInput, TransferInput};
    let mut b = book(true);
    let ann = CustomerId(1);
    let mut bob = tally::domain::CustomerDetails::from(&b.customer(CustomerId(2)).unwrap());
    bob.parent_id = Some(ann);
    bob.bill_to_parent = true;
    b.edit_customer(CustomerId(2), bob, true).unwrap();
    let contact = ContactDetails {
        name: "Mary Major".into(),
        email: Some("mary@leelawns.example".into()),
        role: Some("Accounts payable".into()),
        primary: true,
        ..Default::default()
    };
    b.add_contact(ann, contact).unwrap();
    let credit = tally::domain::EntryInput {
        amount: "300".into(),
        method: "cash".into(),
        description: "Prepaid winter".into(),
        ..Default::default()
    };
    b.post(ann, tally::domain::EntryKind::Credit, &credit)
        .unwrap();
    let refund = RefundInput {
        amount: "25".into(),
        method: Some("check".into()),
        reference: Some("1042".into()),
        ..Default::default()
    };
    b.refund(ann, &refund).unwrap();
    let moved = TransferInput {
        amount: "10".into(),
        ..Default::default()
    };
    b.transfer_credit(ann, CustomerId(3), &moved).unwrap();
    b
}

fn tabs_runner(w: u16, h: u16) -> Runner {
    let ui = Ui {
        keymap: Keymap::new(&BTreeMap::new()).unwrap(),
        theme: Theme { color: false },
    };
    let mut r = Runner::new(tabs_book(), ui, (w, h));
    keys(&mut r, "/ann");
    press(&mut r, KeyCode::Enter);
    press(&mut r, KeyCode::Enter);
    r
}

#[test]
fn every_customer_tab_at_80x24_and_120x36() {
    for (w, h) in [(80, 24), (120, 36)] {
        let mut r = tabs_runner(w, h);
        for (n, name) in [
            ('3', "payments"),
            ('4', "credits"),
            ('5', "contacts"),
            ('6', "sub_clients"),
            ('7', "timeline"),
        ] {
            press(&mut r, KeyCode::Char(n));
            insta::assert_snapshot!(format!("tab_{name}_{w}x{h}"), screen(&r));
        }
    }
}

#[test]
fn tab_and_shift_tab_cycle_the_tabs_and_number_keys_jump() {
    let mut r = tabs_runner(120, 36);
    let current = |r: &Runner| r.app.customer.as_ref().unwrap().tab;
    use tally::tui::app::Tab;
    let mut seen = vec![current(&r)];
    for _ in 0..9 {
        press(&mut r, KeyCode::Tab);
        seen.push(current(&r));
    }
    assert_eq!(
        seen,
        [
            Tab::History,
            Tab::Invoices,
            Tab::Payments,
            Tab::Credits,
            Tab::Contacts,
            Tab::SubClients,
            Tab::Timeline,
            Tab::Documents,
            Tab::Contracts,
            Tab::History
        ]
    );
    press(&mut r, KeyCode::BackTab);
    assert_eq!(current(&r), Tab::Contracts);
    press(&mut r, KeyCode::Char('4'));
    assert_eq!(current(&r), Tab::Credits);
    // Enter on a sub-client opens it; it is no parent: no Sub-clients tab.
    press(&mut r, KeyCode::Char('6'));
    press(&mut r, KeyCode::Enter);
    let s = screen(&r);
    assert!(s.contains("Customers / Bob Stone"), "{s}");
    assert!(!s.contains("Sub-clients"), "{s}");
    press(&mut r, KeyCode::Char('6'));
    assert!(screen(&r).contains("this customer has none"));
    assert_eq!(current(&r), Tab::History);
}

#[test]
fn a_refund_and_a_transfer_from_the_credits_tab() {
    let mut r = tabs_runner(120, 36);
    press(&mut r, KeyCode::Char('4'));
    assert!(screen(&r).contains("$265.00 available"));
    let cara = r
        .book
        .reads()
        .breakdown(CustomerId(3))
        .unwrap()
        .available_credit;
    assert_eq!(cara.to_string(), "120.00");
    // Too much: refused on the Amount field, nothing changes.
    press(&mut r, KeyCode::Char('r'));
    ctrl(&mut r, 'u');
    keys(&mut r, "999");
    press(&mut r, KeyCode::Enter);
    let s = screen(&r);
    assert!(s.contains("has $265.00 of available credit"), "{s}");
    assert_eq!(
        r.book
            .reads()
            .breakdown(CustomerId(1))
            .unwrap()
            .available_credit
            .to_string(),
        "265.00"
    );
    ctrl(&mut r, 'u');
    keys(&mut r, "65");
    press(&mut r, KeyCode::Enter);
    let s = screen(&r);
    assert!(
        s.contains("Refund #") && s.contains("available credit now $200.00"),
        "{s}"
    );
    // A transfer to a customer typed by name.
    press(&mut r, KeyCode::Char('t'));
    keys(&mut r, "Nobody");
    press(&mut r, KeyCode::Enter);
    assert!(screen(&r).contains("no customer's name contains"));
    ctrl(&mut r, 'u');
    keys(&mut r, "Cara");
    press(&mut r, KeyCode::Tab);
    ctrl(&mut r, 'u');
    keys(&mut r, "50");
    press(&mut r, KeyCode::Enter);
    let s = screen(&r);
    assert!(
        s.contains("Moved $50.00 of credit to Cara Diaz (#3)"),
        "{s}"
    );
    let reads = r.book.reads();
    assert_eq!(
        reads
            .breakdown(CustomerId(1))
            .unwrap()
            .available_credit
            .to_string(),
        "150.00"
    );
    assert_eq!(
        reads
            .breakdown(CustomerId(3))
            .unwrap()
            .available_credit
            .to_string(),
        "170.00",
        "120 before"
    );
    assert!(
        r.book
            .check(tally::store::check::Depth::Full)
            .unwrap()
            .is_ok()
    );
}

#[test]
fn contacts_are_added_edited_and_removed_from_their_tab() {
    let mut r = tabs_runner(120, 36);
    press(&mut r, KeyCode::Char('5'));
    press(&mut r, KeyCode::Char('n'));
    keys(&mut r, "Sam Site");
    press(&mut r, KeyCode::Tab);
    keys(&mut r, "not-an-email");
    press(&mut r, KeyCode::Enter);
    assert!(screen(&r).contains("Nothing saved"), "{}", screen(&r));
    ctrl(&mut r, 'u');
    keys(&mut r, "sam@x.example");
    press(&mut r, KeyCode::Enter);
    let s = screen(&r);
    assert!(
        s.contains("Added contact #2 Sam Site") && s.contains("2 contacts"),
        "{s}"
    );
    press(&mut r, KeyCode::Down);
    press(&mut r, KeyCode::Char('e'));
    press(&mut r, KeyCode::Tab);
    press(&mut r, KeyCode::Tab);
    press(&mut r, KeyCode::Tab);
    keys(&mut r, "Site manager");
    press(&mut r, KeyCode::Enter);
    assert!(screen(&r).contains("Site manager"), "{}", screen(&r));
    press(&mut r, KeyCode::Char('d'));
    assert!(screen(&r).contains("Remove contact #2 Sam Site?"));
    press(&mut r, KeyCode::Char('y'));
    let s = screen(&r);
    assert!(
        s.contains("Removed contact #2") && s.contains("1 contact"),
        "{s}"
    );
}

#[test]
fn enter_on_a_tab_row_shows_it_in_full_at_60x15() {
    let mut r = tabs_runner(60, 15);
    press(&mut r, KeyCode::Char('7'));
    let s = screen(&r);
    assert!(s.contains("…"), "a narrow timeline cuts its detail: {s}");
    press(&mut r, KeyCode::Enter);
    let s = screen(&r);
    assert!(s.contains("credit.transferred_out"), "{s}");
    assert!(
        s.contains("125.00 → 115.00"),
        "the whole detail, wrapped: {s}"
    );
    insta::assert_snapshot!("timeline_note_60x15", s);
    press(&mut r, KeyCode::Esc);
    press(&mut r, KeyCode::Char('3'));
    press(&mut r, KeyCode::Enter);
    let s = screen(&r);
    assert!(
        s.contains("Payment #") && s.contains("Status: partly refunded"),
        "{s}"
    );
    press(&mut r, KeyCode::Esc);
    press(&mut r, KeyCode::Char('6'));
    assert!(screen(&r).contains("combined -$1,008.75"), "{}", screen(&r));
}

#[test]
fn a_refund_against_a_paid_invoice_from_the_credits_tab() {
    let mut r = tabs_runner(120, 36);
    let before = r.book.reads().breakdown(CustomerId(1)).unwrap();
    press(&mut r, KeyCode::Char('4'));
    press(&mut r, KeyCode::Char('r'));
    ctrl(&mut r, 'u');
    keys(&mut r, "40");
    for _ in 0..5 {
        press(&mut r, KeyCode::Tab);
    }
    keys(&mut r, "INV-9");
    press(&mut r, KeyCode::Enter);
    assert!(
        screen(&r).contains("invoice INV-9 not found"),
        "{}",
        screen(&r)
    );
    ctrl(&mut r, 'u');
    keys(&mut r, "INV-0001");
    press(&mut r, KeyCode::Enter);
    let s = screen(&r);
    assert!(s.contains("Refund #"), "{s}");
    let after = r.book.reads().breakdown(CustomerId(1)).unwrap();
    assert_eq!(after.balance, before.balance, "a memo in, a refund out");
    assert_eq!(after.available_credit, before.available_credit);
    assert!(s.contains("credit memo"), "{s}");
    assert!(
        r.book
            .check(tally::store::check::Depth::Full)
            .unwrap()
            .is_ok()
    );
}

/// Ticks the runner until its `:` command is done (at most 20 s).
fn finish_job(r: &mut Runner) {
    let start = std::time::Instant::now();
    while r.job.is_some() {
        assert!(
            start.elapsed() < std::time::Duration::from_secs(20),
            "the command did not finish"
        );
        std::thread::sleep(std::time::Duration::from_millis(20));
        r.tick();
    }
}

#[test]
fn the_command_menu_imports_exports_and_backs_up_beside_the_screen() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("book.tally");
    let config = Config::default();
    let clock = Clock::Fixed(Utc.with_ymd_and_hms(2026, 11, 21, 12, 0, 0).unwrap());
    let mut book = Book::open(&path, config, "tui:test")
        .unwrap()
        .with_clock(clock);
    book.add_customer(
        tally::domain::CustomerDetails {
            name: "Ann Lee".into(),
            email: Some("ann@example.com".into()),
            ..Default::default()
        },
        false,
    )
    .unwrap();
    let ui = Ui {
        keymap: Keymap::new(&BTreeMap::new()).unwrap(),
        theme: Theme { color: false },
    };
    let mut r = Runner::new(book, ui, (100, 26));
    keys(&mut r, ":");
    insta::assert_snapshot!("command_menu", screen(&r));
    // An empty path is refused in place.
    press(&mut r, KeyCode::Enter);
    assert!(screen(&r).contains("is empty: type the file's path"));
    press(&mut r, KeyCode::Esc);
    keys(&mut r, ":");
    // Import entries: pick the command, type the file, run it.
    let csv = dir.path().join("in.csv");
    std::fs::write(&csv, "date,customer,email,type,amount,tax,description\n2026-11-01,Ann Lee,ann@example.com,charge,150,0,Mowing\n2026-11-02,Bob New,,charge,20,0,\n").unwrap();
    press(&mut r, KeyCode::Right);
    press(&mut r, KeyCode::Tab);
    keys(&mut r, csv.to_str().unwrap());
    press(&mut r, KeyCode::Enter);
    // First what it would do: its first lines, then yes or no.
    let s = screen(&r);
    assert!(r.job.is_none(), "nothing runs before yes: {s}");
    assert!(s.contains("2 rows to import, all or none"), "{s}");
    assert!(s.contains("line 2: 2026-11-01,Ann Lee"), "{s}");
    press(&mut r, KeyCode::Char('y'));
    assert!(r.job.is_some(), "{}", screen(&r));
    finish_job(&mut r);
    let s = screen(&r);
    assert!(
        s.contains("Imported 2 entries for 2 customers (1 new)"),
        "{s}"
    );
    assert!(
        s.contains("Bob New") && s.contains("-$150.00"),
        "the list reloaded: {s}"
    );
    // Export a journal; a second run without Replace is refused.
    let out = dir.path().join("book.journal");
    for attempt in 0..2 {
        keys(&mut r, ":");
        for _ in 0..6 {
            press(&mut r, KeyCode::Right);
        }
        press(&mut r, KeyCode::Tab);
        keys(&mut r, out.to_str().unwrap());
        press(&mut r, KeyCode::Enter);
        finish_job(&mut r);
        let s = screen(&r);
        if attempt == 0 {
            assert!(s.contains("Wrote 2 rows to"), "{s}");
        } else {
            assert!(s.contains("already exists: set \"Replace\" to yes"), "{s}");
        }
    }
    assert!(
        std::fs::read_to_string(&out)
            .unwrap()
            .contains("assets:receivable:Ann Lee #1")
    );
    // A backup.
    keys(&mut r, ":");
    press(&mut r, KeyCode::Left);
    press(&mut r, KeyCode::Tab);
    let copy = dir.path().join("copy.tally");
    keys(&mut r, copy.to_str().unwrap());
    press(&mut r, KeyCode::Enter);
    finish_job(&mut r);
    assert!(
        screen(&r).contains("Backed up 2 customers and 2 entries"),
        "{}",
        screen(&r)
    );
    assert!(copy.exists());
    // Open invoices from another system: previewed as they will be read,
    // nothing written on no, imported on yes.
    let open = dir.path().join("invoicely.csv");
    std::fs::write(
        &open,
        "\"Date\",\"Due\",\"Details\",\"Client\",\"Status\",\"Total\"\n\
         \"Jan 26 2025\",\"Feb 10 2025\",\"INV-1\",\"Ann Lee\",\"Due\",\"1,835.30\"\n\
         \"Feb 18 2025\",\"Mar 05 2025\",\"INV-2\",\"Cy New\",\"Paid\",\"80.70\"\n",
    )
    .unwrap();
    for answer in ['n', 'y'] {
        keys(&mut r, ":");
        press(&mut r, KeyCode::Right);
        press(&mut r, KeyCode::Right);
        press(&mut r, KeyCode::Tab);
        keys(&mut r, open.to_str().unwrap());
        press(&mut r, KeyCode::Enter);
        let s = screen(&r);
        assert!(s.contains("line 2: invoice INV-1 for customer 1"), "{s}");
        assert!(s.contains("Would import 1 open invoice"), "{s}");
        press(&mut r, KeyCode::Char(answer));
        if answer == 'y' {
            finish_job(&mut r);
        }
    }
    let s = screen(&r);
    assert!(
        s.contains("Imported 1 open invoice (1835.30 left to pay)"),
        "{s}"
    );
    assert_eq!(
        r.book
            .reads()
            .invoice_by_number("INV-1")
            .unwrap()
            .unwrap()
            .total
            .to_string(),
        "1835.30",
        "imported once: no wrote nothing"
    );
}

#[test]
fn documents_are_attached_saved_and_removed_from_their_tab() {
    let dir = tempfile::tempdir().unwrap();
    let pdf = dir.path().join("signed.pdf");
    let bytes: Vec<u8> = b"%PDF-1.7\n"
        .iter()
        .copied()
        .chain((0..=255u8).cycle().take(5000))
        .collect();
    std::fs::write(&pdf, &bytes).unwrap();
    let mut r = tabs_runner(100, 30);
    press(&mut r, KeyCode::Char('8'));
    assert!(screen(&r).contains("No documents yet. Press n to attach a file."));
    press(&mut r, KeyCode::Char('n'));
    keys(&mut r, dir.path().join("missing.pdf").to_str().unwrap());
    assert!(
        screen(&r).contains("missing.pdf does not exist"),
        "{}",
        screen(&r)
    );
    ctrl(&mut r, 'u');
    keys(&mut r, pdf.to_str().unwrap());
    let s = screen(&r);
    assert!(
        s.contains("Will attach \"signed.pdf\": PDF document, 5 KB"),
        "shown before saving: {s}"
    );
    press(&mut r, KeyCode::Tab);
    keys(&mut r, "Signed agreement");
    press(&mut r, KeyCode::Enter);
    let s = screen(&r);
    assert!(s.contains("Attached document #1 Signed agreement"), "{s}");
    insta::assert_snapshot!("tab_documents_100x30", s);
    // Save a copy; it is the same bytes.
    let copy = dir.path().join("copy.pdf");
    press(&mut r, KeyCode::Char('x'));
    ctrl(&mut r, 'u');
    keys(&mut r, copy.to_str().unwrap());
    press(&mut r, KeyCode::Enter);
    assert!(
        screen(&r).contains("Saved a copy of document #1"),
        "{}",
        screen(&r)
    );
    assert_eq!(std::fs::read(&copy).unwrap(), bytes);
    // Removing asks first.
    press(&mut r, KeyCode::Char('d'));
    assert!(screen(&r).contains("Remove document #1 Signed agreement (5 KB)?"));
    press(&mut r, KeyCode::Char('y'));
    assert!(screen(&r).contains("No documents yet"), "{}", screen(&r));
}

#[test]
fn opening_tally_posts_a_contracts_started_periods_once() {
    use tally::domain::contract::ContractInput;
    let mut b = book(false);
    let ann = b
        .add_customer(
            tally::domain::CustomerDetails {
                name: "Ann Lee".into(),
                ..Default::default()
            },
            false,
        )
        .unwrap();
    // Made on 2026-08-20, before it started: nothing to charge yet.
    let input = ContractInput {
        name: "Lawn care".into(),
        kind: "recurring".into(),
        value: "150".into(),
        start: "2026-09-01".into(),
        ..Default::default()
    };
    let august = Clock::Fixed(Utc.with_ymd_and_hms(2026, 8, 20, 12, 0, 0).unwrap());
    let mut b = b.with_clock(august);
    let (_, charged) = b.add_contract(ann, &input).unwrap();
    assert!(charged.is_empty(), "{charged:?}");
    // Opened on 2026-11-21: three monthly periods have started since.
    let b = b.with_clock(Clock::Fixed(
        Utc.with_ymd_and_hms(2026, 11, 21, 12, 0, 0).unwrap(),
    ));
    let ui = || Ui {
        keymap: Keymap::new(&BTreeMap::new()).unwrap(),
        theme: Theme { color: false },
    };
    let r = Runner::new(b, ui(), (100, 26));
    let s = screen(&r);
    assert!(s.contains("Contracts charged 3 periods (Lawn care)"), "{s}");
    assert_eq!(r.book.reads().count_entries(ann).unwrap(), 3);
    let again = Runner::new(r.book, ui(), (100, 26));
    assert!(
        !screen(&again).contains("Contracts charged"),
        "{}",
        screen(&again)
    );
    assert_eq!(again.book.reads().count_entries(ann).unwrap(), 3);
}

#[test]
fn a_contract_made_with_c_charges_its_started_periods_and_shows_on_its_tab() {
    let mut r = tabs_runner(120, 36);
    press(&mut r, KeyCode::Char('9'));
    assert!(
        screen(&r).contains("No contracts yet. Press C to make one."),
        "{}",
        screen(&r)
    );
    keys(&mut r, "C");
    // Every problem is marked in place, nothing saved.
    press(&mut r, KeyCode::Enter);
    let s = screen(&r);
    assert!(s.contains("name is empty") && s.contains("value"), "{s}");
    ctrl(&mut r, 'u');
    keys(&mut r, "Lawn care");
    for _ in 0..3 {
        press(&mut r, KeyCode::Tab);
    }
    keys(&mut r, "150");
    press(&mut r, KeyCode::Tab);
    ctrl(&mut r, 'u');
    keys(&mut r, "2026-09-01");
    press(&mut r, KeyCode::Enter);
    let s = screen(&r);
    assert!(
        s.contains("Contract #1 Lawn care made; 3 periods charged so far"),
        "{s}"
    );
    insta::assert_snapshot!("tab_contracts_120x36", s);
    assert!(s.contains("$450.00"), "billed so far: {s}");
    // Draft the contract's charges, then Enter on the contract: the
    // Invoices tab, showing only invoices with its charges.
    keys(&mut r, "i");
    keys(&mut r, "A");
    keys(&mut r, "y");
    keys(&mut r, "9");
    press(&mut r, KeyCode::Enter);
    let s = screen(&r);
    assert!(
        s.contains("1 invoice · sorted by number · contract Lawn care"),
        "{s}"
    );
    assert!(s.contains("Sep 2026"), "the contract period: {s}");
    keys(&mut r, "f");
    assert!(!screen(&r).contains("contract Lawn care"));
}

#[test]
fn s_writes_the_customers_statement_beside_the_book() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("book.tally");
    let clock = Clock::Fixed(Utc.with_ymd_and_hms(2026, 11, 21, 12, 0, 0).unwrap());
    let mut book = Book::open(&path, Config::default(), "tui:test")
        .unwrap()
        .with_clock(clock);
    tally::ops::demo::populate(&mut book).unwrap();
    let ui = Ui {
        keymap: Keymap::new(&BTreeMap::new()).unwrap(),
        theme: Theme { color: false },
    };
    let mut r = Runner::new(book, ui, (100, 26));
    keys(&mut r, "/hugo");
    press(&mut r, KeyCode::Enter);
    press(&mut r, KeyCode::Enter);
    keys(&mut r, "S");
    let written = dir
        .path()
        .join("statements")
        .join("statement-8-2026-11-21.html");
    assert!(screen(&r).contains("Wrote "), "{}", screen(&r));
    let html = std::fs::read_to_string(&written).unwrap();
    assert!(html.contains("Statement of account") && html.contains("Hugo Martin"));
    assert!(
        html.contains("Amount due</td><td class=\"num\">$1,518.00"),
        "{html}"
    );
}

/// With mail set, `S` writes the statement and offers to email it too;
/// confirming queues it to the customer's address.
#[test]
fn s_offers_to_email_the_statement_when_mail_is_set() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("book.tally");
    let clock = Clock::Fixed(Utc.with_ymd_and_hms(2026, 11, 21, 12, 0, 0).unwrap());
    let config = Config::parse(
        "[mail]\nserver = \"127.0.0.1\"\nport = 9\nsecurity = \"none\"\nfrom = \"billing@lawn.example\"\n",
        "test",
    )
    .unwrap();
    let mut book = Book::open(&path, config, "tui:test")
        .unwrap()
        .with_clock(clock);
    tally::ops::demo::populate(&mut book).unwrap();
    let ui = Ui {
        keymap: Keymap::new(&BTreeMap::new()).unwrap(),
        theme: Theme { color: false },
    };
    let mut r = Runner::new(book, ui, (100, 26));
    keys(&mut r, "/ann");
    press(&mut r, KeyCode::Enter);
    press(&mut r, KeyCode::Enter);
    keys(&mut r, "S");
    assert!(
        screen(&r).contains("Email this statement"),
        "{}",
        screen(&r)
    );
    press(&mut r, KeyCode::Enter);
    let sent = r.book.outbox(false, 10).unwrap();
    let statements: Vec<_> = sent
        .iter()
        .filter(|m| m.kind == tally::domain::mail::Kind::Statement)
        .collect();
    assert_eq!(statements.len(), 1, "{sent:?} {:?}", r.app.status);
    assert_eq!(statements[0].recipient, "Ann Lee <ann.lee@example.com>");
    // Opening the screen ran the reminder schedule (in the background):
    // any message besides the statement is a reminder.
    assert!(
        sent.iter()
            .all(|m| m.kind != tally::domain::mail::Kind::Invoice),
        "{sent:?}"
    );
    assert!(
        dir.path().join("statements").exists(),
        "the file is written too"
    );
}

#[test]
fn report_screens_at_two_sizes() {
    for (w, h) in [(80, 24), (120, 36)] {
        let mut r = runner_sized(true, false, w, h);
        keys(&mut r, "A");
        insta::assert_snapshot!(format!("report_aging_{w}x{h}"), screen(&r));
        keys(&mut r, "O");
        insta::assert_snapshot!(format!("report_collections_{w}x{h}"), screen(&r));
        keys(&mut r, "M");
        insta::assert_snapshot!(format!("report_glance_{w}x{h}"), screen(&r));
        keys(&mut r, "?");
        let s = screen(&r);
        assert!(s.contains("Keys: the month at a glance"), "{s}");
        press(&mut r, KeyCode::Esc);
        press(&mut r, KeyCode::Esc);
        assert_eq!(r.app.screen, tally::tui::app::Screen::Customers);
    }
}

#[test]
fn aging_sorts_by_every_column_and_enter_opens_the_customer_esc_returns() {
    use tally::tui::app::Screen;
    let mut r = runner(true);
    keys(&mut r, "A");
    let rows = |r: &Runner| r.app.reports.aging.rows.clone();
    assert!(rows(&r).len() > 5);
    let totals: Vec<i128> = rows(&r).iter().map(|x| x.total()).collect();
    assert!(totals.windows(2).all(|p| p[0] >= p[1]), "{totals:?}");
    // Each press of s sorts by the next column, largest first; then name.
    for bucket in [4usize, 3, 2, 1, 0] {
        keys(&mut r, "s");
        let col: Vec<i128> = rows(&r).iter().map(|x| x.buckets[bucket]).collect();
        assert!(
            col.windows(2).all(|p| p[0] >= p[1]),
            "bucket {bucket}: {col:?}"
        );
    }
    keys(&mut r, "s");
    let credit: Vec<i128> = rows(&r).iter().map(|x| x.credit).collect();
    assert!(credit.windows(2).all(|p| p[0] >= p[1]), "{credit:?}");
    keys(&mut r, "s");
    let names: Vec<String> = rows(&r).iter().map(|x| x.name.to_lowercase()).collect();
    assert!(names.windows(2).all(|p| p[0] <= p[1]), "{names:?}");
    assert!(screen(&r).contains("sort: name"));

    // Sorting keeps the selected customer; Home goes to the top.
    press(&mut r, KeyCode::Home);
    press(&mut r, KeyCode::Down);
    assert_eq!(r.app.reports.aging.window.selected, 1);
    let picked = rows(&r)[1].clone();
    press(&mut r, KeyCode::Enter);
    assert_eq!(r.app.screen, Screen::Customer);
    let s = screen(&r);
    assert!(
        s.contains(&format!("Receivables aging / {}", picked.name)),
        "{s}"
    );
    press(&mut r, KeyCode::Esc);
    assert_eq!(r.app.screen, Screen::Aging);
    let v = &r.app.reports.aging;
    assert_eq!(v.rows[v.window.selected].id, picked.id, "selection kept");
}

#[test]
fn collections_m_copies_the_reminder_records_it_and_moves_to_the_next() {
    let mut r = runner(true);
    r.clipboard = tally::clipboard::Session::recording();
    keys(&mut r, "O");
    let rows = r.app.reports.collections.rows.clone();
    assert!(rows.len() >= 2, "{rows:?}");
    assert!(rows.windows(2).all(|p| p[0].days_late >= p[1].days_late));
    let first = CustomerId(rows[0].customer);
    keys(&mut r, "m");
    let v = &r.app.reports.collections;
    assert_eq!(v.window.selected, 1, "moved to the next invoice");
    let link = r
        .book
        .link(first)
        .unwrap()
        .expect("a link made for the reminder");
    let copied = r.clipboard.recorded().to_vec();
    assert_eq!(copied.len(), 1, "{copied:?}");
    assert!(copied[0].contains(&link), "{copied:?}");
    // The list says they were reminded today, and so does the timeline.
    assert_eq!(
        v.rows[0].last_reminded.as_deref().map(|t| &t[..10]),
        Some("2026-11-21")
    );
    let timeline = r.book.reads().timeline(first, 0, 50).unwrap();
    assert!(timeline.iter().any(|e| e.action == "customer.reminded"));
    let s = screen(&r);
    assert!(s.contains("reminder") || s.contains("Reminder"), "{s}");
}

/// Cycling the sort on a long list keeps the selected customer on the same
/// screen row at once, and where they stand in the new order is counted
/// at the next quiet moment (or before the next key), not on the keystroke.
#[test]
fn cycling_the_sort_keeps_the_customer_on_their_row_and_counts_their_place_later() {
    let mut b = book(false);
    for i in 0..300i64 {
        let d = tally::domain::customer::CustomerDetails {
            name: format!("{} {i:03}", ["Ann", "bob", "Cy"][(i * 7 % 3) as usize]),
            ..Default::default()
        };
        let id = b.add_customer(d, false).unwrap();
        let input = tally::domain::entry::EntryInput {
            amount: format!("{}", (i * 7919) % 500 + 1),
            ..Default::default()
        };
        b.post(id, tally::domain::entry::EntryKind::Charge, &input)
            .unwrap();
    }
    let ui = Ui {
        keymap: Keymap::new(&BTreeMap::new()).unwrap(),
        theme: Theme { color: false },
    };
    let mut r = Runner::new(b, ui, (W, H));
    press(&mut r, KeyCode::End);
    for _ in 0..3 {
        press(&mut r, KeyCode::Up);
    }
    let w = &r.app.list.window;
    let (kept, row) = (r.app.selected_customer().unwrap().id, w.selected - w.offset);
    keys(&mut r, "s");
    let w = &r.app.list.window;
    assert_eq!(r.app.selected_customer().unwrap().id, kept);
    assert_eq!(w.selected - w.offset, row, "the same screen row");
    assert!(
        r.app.wants_idle(),
        "their place in the new order is not counted yet"
    );
    let shown = screen(&r);
    // The next key first counts it; the screen does not move.
    r.event(Event::Resize(W, H));
    assert!(!r.app.wants_idle());
    assert_eq!(screen(&r), shown);
    let q = tally::store::CustomerQuery {
        sort: r.app.list.sort,
        ..Default::default()
    };
    let at = r.book.reads().position_of(kept, &q).unwrap();
    assert_eq!(Some(r.app.list.window.selected), at);
    assert_eq!(r.app.selected_customer().unwrap().id, kept);
    // Moving on from there reads the right rows.
    press(&mut r, KeyCode::PageDown);
    let q = tally::store::CustomerQuery {
        offset: r.app.list.window.selected,
        limit: 1,
        ..q
    };
    let want = r.book.reads().customers(&q).unwrap().remove(0).id;
    assert_eq!(r.app.selected_customer().unwrap().id, want);
}

/// What a book holds that a use case writes, without who wrote it or
/// when: entries, contracts and their periods, and the timeline's words.
fn written_rows(path: &std::path::Path) -> Vec<String> {
    let conn = rusqlite::Connection::open(path).unwrap();
    let mut out = Vec::new();
    for sql in [
        "SELECT customer_id, kind, amount_cents, tax_cents, description, date, contract_id FROM entries ORDER BY id",
        "SELECT customer_id, name, every, value_cents, start_date, end_date, terms_days, notes FROM contracts ORDER BY id",
        "SELECT contract_id, period, entry_id FROM contract_periods ORDER BY contract_id, period",
        "SELECT customer_id, action, detail FROM timeline ORDER BY id",
    ] {
        let mut st = conn.prepare(sql).unwrap();
        let n = st.column_count();
        let rows = st
            .query_map([], |r| {
                Ok((0..n)
                    .map(|i| format!("{:?}", r.get::<_, rusqlite::types::Value>(i).unwrap()))
                    .collect::<Vec<_>>()
                    .join("|"))
            })
            .unwrap();
        out.extend(rows.map(|r| r.unwrap()));
    }
    out
}

/// One use case, one place: adding a contract (with its started periods
/// charged) and recording a reminder leave the same rows whether the
/// owner uses the command line or the full screen.
#[test]
fn the_command_line_and_the_full_screen_leave_the_same_rows() {
    let dir = tempfile::tempdir().unwrap();
    let (tui_book, cli_book) = (dir.path().join("tui.tally"), dir.path().join("cli.tally"));
    let start = (chrono::Local::now().date_naive() - chrono::Duration::days(70)).to_string();
    {
        let mut b = Book::open(&tui_book, Config::default(), "setup").unwrap();
        let ann = b
            .add_customer(
                tally::domain::CustomerDetails {
                    name: "Ann Lee".into(),
                    ..Default::default()
                },
                false,
            )
            .unwrap();
        b.generate_link(ann).unwrap();
    }
    std::fs::copy(&tui_book, &cli_book).unwrap();
    // The full screen: C on the customer, then m.
    let book = Book::open(&tui_book, Config::default(), "tui:test").unwrap();
    let ui = Ui {
        keymap: Keymap::new(&BTreeMap::new()).unwrap(),
        theme: Theme { color: false },
    };
    let mut r = Runner::new(book, ui, (120, 36));
    r.clipboard = tally::clipboard::Session::recording();
    press(&mut r, KeyCode::Enter);
    keys(&mut r, "9C");
    keys(&mut r, "Lawn care");
    for _ in 0..3 {
        press(&mut r, KeyCode::Tab);
    }
    keys(&mut r, "150");
    press(&mut r, KeyCode::Tab);
    ctrl(&mut r, 'u');
    keys(&mut r, &start);
    press(&mut r, KeyCode::Enter);
    assert!(
        screen(&r).contains("3 periods charged so far"),
        "{}",
        screen(&r)
    );
    keys(&mut r, "m");
    assert_eq!(r.clipboard.recorded().len(), 1, "{}", screen(&r));
    drop(r);
    // The command line, on a copy of the same book.
    let cli = |args: &[&str]| {
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_tally"))
            .env_remove("TALLY_DB")
            .env_remove("TALLY_CONFIG")
            .env("XDG_CONFIG_HOME", dir.path().join("xdg"))
            .env("HOME", dir.path())
            .arg("--db")
            .arg(&cli_book)
            .args(args)
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    };
    cli(&[
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
    cli(&["link", "message", "1", "--no-copy"]);
    let (tui, cli) = (written_rows(&tui_book), written_rows(&cli_book));
    assert_eq!(tui, cli);
    assert!(
        tui.iter().any(|r| r.contains("customer.reminded")),
        "{tui:?}"
    );
    assert_eq!(
        tui.iter().filter(|r| r.contains("\"charge\"")).count(),
        3,
        "{tui:?}"
    );
}

/// `U` merges the open customer into another (typed by name) and shows
/// the one that stays; `Z` archives only a customer who owes nothing.
#[test]
fn a_customer_is_merged_and_archived_from_its_screen() {
    let mut r = runner(true);
    press(&mut r, KeyCode::Enter);
    let first = r.app.customer.as_ref().unwrap().id;
    let before = r.book.customer(first).unwrap();
    press(&mut r, KeyCode::Char('U'));
    assert!(screen(&r).contains("Merge customer"), "{}", screen(&r));
    keys(&mut r, "no such person");
    press(&mut r, KeyCode::Enter);
    assert!(
        screen(&r).contains("no such person"),
        "refused in the form: {}",
        screen(&r)
    );
    press(&mut r, KeyCode::Esc);
    let into = r
        .book
        .reads()
        .customers(&tally::store::CustomerQuery {
            sort: tally::domain::CustomerSort::Name,
            search: None,
            offset: 0,
            limit: 50,
        })
        .unwrap()
        .into_iter()
        .find(|c| c.id != first && c.parent_id.is_none() && before.parent_id != Some(c.id))
        .unwrap();
    let expected = into.balance + before.balance;
    press(&mut r, KeyCode::Char('U'));
    keys(&mut r, &into.id.to_string());
    press(&mut r, KeyCode::Enter);
    let s = screen(&r);
    assert!(
        s.contains(&format!("Merged {} into customer {}", before.name, into.id)),
        "{s}"
    );
    assert_eq!(
        r.app.customer.as_ref().unwrap().id,
        into.id,
        "shows the one that stays"
    );
    assert_eq!(r.book.customer(into.id).unwrap().balance, expected);
    assert!(r.book.customer(first).is_err(), "the merged one is gone");
    // It owes: archiving is refused with why.
    press(&mut r, KeyCode::Char('Z'));
    press(&mut r, KeyCode::Char('y'));
    if !expected.is_zero() {
        assert!(
            screen(&r).contains("only a customer with a zero balance"),
            "{}",
            screen(&r)
        );
    }
    assert!(
        r.book
            .check(tally::store::check::Depth::Full)
            .unwrap()
            .is_ok()
    );
}

/// A new owner's first screen asks the first run's questions; the answers
/// become the config (what `tally setup` writes), an empty book takes the
/// currency, and a bad answer is refused in its field, writing nothing.
#[test]
fn the_first_screen_of_a_new_owner_asks_and_writes_the_config() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("tally/config.toml");
    let mut r = runner(false);
    r.offer_first_run(path.clone());
    assert!(
        screen(&r).contains("Welcome: your business"),
        "{}",
        screen(&r)
    );
    keys(&mut r, "Green Lawns");
    press(&mut r, KeyCode::Tab);
    press(&mut r, KeyCode::Tab);
    ctrl(&mut r, 'u');
    keys(&mut r, "dollars");
    press(&mut r, KeyCode::Enter);
    assert!(
        screen(&r).contains("\"DOLLARS\" is not a currency"),
        "{}",
        screen(&r)
    );
    assert!(!path.exists(), "nothing written");
    ctrl(&mut r, 'u');
    keys(&mut r, "EUR");
    press(&mut r, KeyCode::Tab);
    keys(&mut r, "s3://green-pay");
    press(&mut r, KeyCode::Enter);
    let s = screen(&r);
    assert!(
        s.contains("Saved to") && s.contains("start tally again"),
        "{s}"
    );
    let config = tally::config::Config::load(&path, true).expect("a config tally reads");
    assert_eq!(config.business.name, "Green Lawns");
    assert_eq!(config.currency.code, "EUR");
    assert_eq!(config.publish.target, "s3://green-pay");
    assert_eq!(
        config.portal.base_url,
        "https://green-pay.s3.us-east-1.amazonaws.com"
    );
    assert_eq!(
        r.book.reads().currency_code(),
        "USD",
        "this session keeps its own"
    );
}

/// With mail set, the collections screen says when each invoice's next
/// scheduled reminder goes; `L` queues one now to the customer's address
/// and `K` skips the steps reached, so "Next" moves on.
#[test]
fn collections_with_mail_shows_the_next_reminder_and_emails_or_skips() {
    let config = Config::parse(
        "[mail]\nserver = \"127.0.0.1\"\nport = 9\nsecurity = \"none\"\nfrom = \"billing@lawn.example\"\n",
        "test",
    )
    .unwrap();
    let store = Store::open_in_memory(&config.currency()).expect("store");
    let clock = Clock::Fixed(Utc.with_ymd_and_hms(2026, 11, 21, 12, 0, 0).unwrap());
    let mut b = Book::with_store(store, config, "tui:test").with_clock(clock);
    tally::ops::demo::populate(&mut b).expect("demo");
    let ui = Ui {
        keymap: Keymap::new(&BTreeMap::new()).unwrap(),
        theme: Theme { color: false },
    };
    let mut r = Runner::new(b, ui, (80, 24));
    keys(&mut r, "O");
    let s = screen(&r);
    assert!(s.contains("Next"), "{s}");
    insta::assert_snapshot!("report_collections_mail_80x24", s);
    assert!(s.contains("L email now"), "{s}");
    // A customer who pays their own invoices and has an address.
    let rows = r.app.reports.collections.rows.clone();
    let at = rows
        .iter()
        .position(|x| {
            let id = CustomerId(x.customer);
            r.book.customer(id).unwrap().email.is_some() && r.book.payer(id).unwrap() == id
        })
        .expect("an emailable customer");
    let first = rows[at].clone();
    assert!(first.steps_had.is_empty());
    for _ in 0..at {
        press(&mut r, KeyCode::Down);
    }
    keys(&mut r, "L");
    let outbox = r.book.outbox(true, 10).unwrap();
    assert_eq!(outbox.len(), 1, "{outbox:?} {:?}", r.app.status);
    assert_eq!(outbox[0].customer.0, first.customer);
    assert_eq!(outbox[0].kind, tally::domain::mail::Kind::Reminder);
    // The steps it reached are had; skipping the next customer's moves
    // their "Next" on too.
    r.dispatch(tally::tui::action::Action::BookChanged);
    let v = &r.app.reports.collections;
    let row = v.rows.iter().find(|x| x.invoice == first.invoice).unwrap();
    assert!(!row.steps_had.is_empty(), "{row:?}");
    let other = v
        .rows
        .iter()
        .position(|x| x.customer != first.customer && x.steps_had.is_empty())
        .expect("another customer");
    let other_invoice = v.rows[other].invoice;
    while r.app.reports.collections.window.selected > other {
        press(&mut r, KeyCode::Up);
    }
    while r.app.reports.collections.window.selected < other {
        press(&mut r, KeyCode::Down);
    }
    keys(&mut r, "K");
    r.dispatch(tally::tui::action::Action::BookChanged);
    let v = &r.app.reports.collections;
    let row = v.rows.iter().find(|x| x.invoice == other_invoice).unwrap();
    assert!(!row.steps_had.is_empty(), "{row:?}");
    assert_eq!(
        r.book.outbox(true, 10).unwrap().len(),
        1,
        "skipping sends nothing"
    );
}

/// Esc goes back where the owner came from: a sub-client opened from its
/// parent's Sub-clients tab returns to the parent, and the parent to the
/// list.
#[test]
fn esc_from_a_sub_client_returns_to_the_parent_it_was_opened_from() {
    let mut r = tabs_runner(120, 36);
    let parent = r.app.customer.as_ref().map(|v| v.id);
    press(&mut r, KeyCode::Char('6'));
    press(&mut r, KeyCode::Enter);
    let sub = r.app.customer.as_ref().map(|v| v.id);
    assert_ne!(sub, parent, "the sub-client opened");
    assert!(screen(&r).contains("Bob Stone"), "{}", screen(&r));
    press(&mut r, KeyCode::Esc);
    assert_eq!(r.app.screen, tally::tui::view::Screen::Customer);
    assert_eq!(r.app.customer.as_ref().map(|v| v.id), parent);
    assert!(screen(&r).contains("Ann Lee"), "{}", screen(&r));
    press(&mut r, KeyCode::Esc);
    assert_eq!(r.app.screen, tally::tui::view::Screen::Customers);
}
