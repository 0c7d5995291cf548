//! Statements, the report screens (aging, collections, the month), the
//! sort on long lists, merge and archive, the first run, mail.

use super::*;

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
pub(super) fn written_rows(path: &std::path::Path) -> Vec<String> {
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

#[test]
fn the_aging_screen_is_read_beside_the_keys_and_shows_each_change() {
    use tally::domain::entry::{EntryInput, EntryKind};
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("book.tally");
    let clock = tally::ops::Clock::Fixed(
        chrono::TimeZone::with_ymd_and_hms(&chrono::Utc, 2026, 11, 21, 12, 0, 0).unwrap(),
    );
    let config = tally::config::Config::default();
    let mut book = Book::open(&path, config.clone(), "tui:test")
        .unwrap()
        .with_clock(clock);
    tally::ops::demo::populate(&mut book).unwrap();
    let by_id = |mut rows: Vec<tally::store::AgingRow>| {
        rows.sort_by_key(|r| r.id);
        rows
    };
    let expected = by_id(book.aging(None).unwrap().1);
    let ui = Ui {
        keymap: Keymap::new(&BTreeMap::new()).unwrap(),
        theme: Theme { color: false },
    };
    let mut r = Runner::new(book, ui, (100, 26));
    r.read_reports_beside();
    keys(&mut r, "A");
    // The key answers at once with the screen, rows or not yet.
    assert!(screen(&r).contains("Receivables aging"));
    r.await_reports();
    assert_eq!(by_id(r.app.reports.aging.rows.clone()), expected);
    // Another tally charges the first customer on the list: the screen
    // reads the book again beside the keys and shows it.
    let first = r.app.reports.aging.rows[0].clone();
    let mut other = Book::open(&path, config, "cli").unwrap().with_clock(clock);
    let charge = EntryInput {
        amount: "1000".into(),
        tax: Some(String::new()),
        ..Default::default()
    };
    other
        .post(
            tally::domain::CustomerId(first.id),
            EntryKind::Charge,
            &charge,
        )
        .unwrap();
    r.tick();
    r.await_reports();
    let now = &r.app.reports.aging.rows[0];
    assert_eq!(now.id, first.id);
    assert_eq!(now.total(), first.total() + 100_000, "{now:?}");
}
