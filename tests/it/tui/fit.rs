//! What every screen shows at every size: no amount cut, singulars and
//! badges, messages naming keys, help that scrolls, forms, live reloads.

use super::*;

/// A book for the fit test: the demo customers, plus one whose invoice
/// total is $1,632.50 (finalized, partly paid) and a second open charge.
pub(super) fn fit_book() -> Book {
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
pub(super) fn book_amounts(b: &Book) -> std::collections::HashSet<String> {
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
pub(super) fn assert_amounts_whole(
    text: &str,
    amounts: &std::collections::HashSet<String>,
    what: &str,
) {
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
