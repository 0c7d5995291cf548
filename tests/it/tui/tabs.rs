//! The customer screen's tabs: payments, credits (refunds, transfers),
//! contacts, sub-clients, documents, contracts, the command menu; Esc
//! back from a sub-client.

use super::*;

/// The demo book with Ann Lee (1) as Bob Stone's (2) parent, a primary
/// contact, a prepayment partly refunded and partly moved to Cara Diaz (3).
pub(super) fn tabs_book() -> Book {
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

pub(super) fn tabs_runner(w: u16, h: u16) -> Runner {
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
pub(super) fn finish_job(r: &mut Runner) {
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
