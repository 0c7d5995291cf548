//! How the TUI's per-keystroke work scales: a book of 100,000 customers and
//! 400,000 entries, driven through the same Runner the terminal uses (key →
//! update → effects → draw on a TestBackend). Run in release:
//!
//!     cargo bench --bench large_book
//!
//! Prints the median and worst time of each keystroke over many repeats.

use std::collections::BTreeMap;
use std::time::{Duration, Instant};

use chrono::{TimeZone, Utc};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::crossterm::event::{Event, KeyCode, KeyEvent, KeyModifiers};
use tally::config::Config;
use tally::domain::customer::CustomerDetails;
use tally::domain::entry::{EntryInput, EntryKind, NewEntry};
use tally::ops::{Book, Clock};
use tally::store::Store;
use tally::tui::Runner;
use tally::tui::draw as render;
use tally::tui::keymap::Keymap;
use tally::tui::theme::Theme;
use tally::tui::ui::Ui;

const CUSTOMERS: usize = 100_000;
const ENTRIES_PER: usize = 4;

fn build(path: &std::path::Path) -> Store {
    let config = Config::default();
    let cur = config.currency();
    let mut store = Store::open(path, &cur).expect("open");
    let now = Utc.with_ymd_and_hms(2026, 11, 21, 12, 0, 0).unwrap();
    let started = Instant::now();
    store
        .write(|tx| {
            for i in 0..CUSTOMERS {
                let d = CustomerDetails {
                    name: format!("Customer {i:06}"),
                    email: Some(format!("c{i}@example.com")),
                    phone: Some(format!("555-{:04}", i % 10_000)),
                    ..Default::default()
                };
                let id = tx.insert_customer(&d, "bench", now)?;
                for j in 0..ENTRIES_PER {
                    let credit = j == 3;
                    let e = NewEntry {
                        kind: if credit {
                            EntryKind::Credit
                        } else {
                            EntryKind::Charge
                        },
                        amount: cur.from_minor(((i * 7919 + j * 104_729) % 500_000 + 100) as i64),
                        tax: cur.zero(),
                        description: format!("Job {j}"),
                        method: credit.then_some(tally::domain::Method::Card),
                        date: now.date_naive(),
                    };
                    tx.insert_entry(id, &e, now)?;
                }
            }
            Ok::<_, tally::store::StoreError>(())
        })
        .expect("fill");
    eprintln!(
        "built {CUSTOMERS} customers, {} entries in {:.1?}",
        CUSTOMERS * ENTRIES_PER,
        started.elapsed()
    );
    store
}

fn press(r: &mut Runner, code: KeyCode) {
    r.event(Event::Key(KeyEvent::new(code, KeyModifiers::NONE)));
}

/// Times `f` (one keystroke plus one frame) `n` times; prints median and max.
fn measure(
    label: &str,
    n: usize,
    r: &mut Runner,
    term: &mut Terminal<TestBackend>,
    mut f: impl FnMut(&mut Runner, usize),
) {
    let mut times: Vec<Duration> = (0..n)
        .map(|i| {
            let t = Instant::now();
            f(r, i);
            term.draw(|fr| render(fr, &r.app, &r.ui)).expect("draw");
            t.elapsed()
        })
        .collect();
    times.sort();
    println!(
        "{label:<46} median {:>9.3?}   max {:>9.3?}   (n={n})",
        times[n / 2],
        times[n - 1]
    );
}

fn main() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("big.tally");
    drop(build(&path));
    let clock = Clock::Fixed(Utc.with_ymd_and_hms(2026, 11, 21, 12, 0, 0).unwrap());
    let ui = Ui {
        keymap: Keymap::new(&BTreeMap::new()).unwrap(),
        theme: Theme { color: true },
    };
    let started = Instant::now();
    let book = Book::open(&path, Config::default(), "bench")
        .expect("open")
        .with_clock(clock);
    let mut r = Runner::new(book, ui, (120, 40));
    let mut term = Terminal::new(TestBackend::new(120, 40)).unwrap();
    term.draw(|fr| render(fr, &r.app, &r.ui)).unwrap();
    println!(
        "{:<46} {:>16.3?}",
        "open book + first screen (count, totals)",
        started.elapsed()
    );

    measure(
        "j: move down inside the window",
        30,
        &mut r,
        &mut term,
        |r, _| press(r, KeyCode::Char('j')),
    );
    measure(
        "j: move down past the window edge (1 query)",
        200,
        &mut r,
        &mut term,
        |r, _| press(r, KeyCode::Char('j')),
    );
    measure("pgdn", 200, &mut r, &mut term, |r, _| {
        press(r, KeyCode::PageDown)
    });
    measure("end / home (alternating)", 40, &mut r, &mut term, |r, i| {
        press(
            r,
            if i % 2 == 0 {
                KeyCode::End
            } else {
                KeyCode::Home
            },
        )
    });
    measure(
        "s: cycle sort, keep selection",
        30,
        &mut r,
        &mut term,
        |r, _| press(r, KeyCode::Char('s')),
    );
    press(&mut r, KeyCode::Char('/'));
    measure(
        "/: type a search character (filter 100k)",
        6,
        &mut r,
        &mut term,
        |r, i| press(r, KeyCode::Char(['9', '9', '9', '1', '2', '3'][i])),
    );
    press(&mut r, KeyCode::Esc);
    press(&mut r, KeyCode::Home);
    measure(
        "enter: open a customer (history page)",
        30,
        &mut r,
        &mut term,
        |r, _| {
            press(r, KeyCode::Enter);
            press(r, KeyCode::Esc);
        },
    );
    press(&mut r, KeyCode::Enter);
    measure(
        "tab: invoices tab and back (invoice page)",
        30,
        &mut r,
        &mut term,
        |r, _| press(r, KeyCode::Tab),
    );
    measure(
        "i: drafting screen and back (open charges)",
        30,
        &mut r,
        &mut term,
        |r, _| {
            press(r, KeyCode::Char('i'));
            press(r, KeyCode::Esc);
        },
    );
    press(&mut r, KeyCode::Esc);
    let mut book = Book::open(&path, Config::default(), "bench").expect("open");
    let id = tally::domain::CustomerId(50_000);
    let input = EntryInput {
        amount: "12.34".into(),
        ..Default::default()
    };
    let mut times: Vec<Duration> = (0..50)
        .map(|_| {
            let t = Instant::now();
            book.post(id, EntryKind::Charge, &input).expect("post");
            t.elapsed()
        })
        .collect();
    times.sort();
    println!(
        "{:<46} median {:>9.3?}   max {:>9.3?}   (n=50, fsync'd)",
        "post a charge (balance + timeline, 1 tx)", times[25], times[49]
    );
    let draft = Instant::now();
    let inv = book.draft_invoice(id, None).expect("draft");
    let drafted = draft.elapsed();
    let fin = Instant::now();
    book.finalize_invoice(&tally::domain::invoice::InvoiceRef::Id(inv), None)
        .expect("finalize");
    println!(
        "{:<46} {:>16.3?} + finalize {:.3?}",
        "draft all open charges (1 tx)",
        drafted,
        fin.elapsed()
    );
    let run = Instant::now();
    book.billing_run(clock.today()).expect("billing run");
    println!(
        "{:<46} {:>16.3?}",
        "billing run over 100k customers (none monthly)",
        run.elapsed()
    );
    portal(&mut book, id, &path);
    assert!(book.reads().balance_mismatches().expect("check").is_empty());
}

/// A customer's payment page served over real HTTP from the big book: each
/// request opens no file (pooled read-only connections) and reads only that
/// customer's rows.
fn portal(book: &mut Book, id: tally::domain::CustomerId, path: &std::path::Path) {
    let t = Instant::now();
    let link = book.generate_link(id).expect("link");
    println!(
        "{:<46} {:>16.3?}",
        "generate a payment link (1 tx)",
        t.elapsed()
    );
    let (send, recv) = std::sync::mpsc::channel();
    let path = path.to_path_buf();
    std::thread::spawn(move || {
        tally::portal::serve(path, Config::default(), "127.0.0.1:0", |addr| {
            send.send(addr).expect("address");
        })
        .expect("serve");
    });
    let addr = recv.recv().expect("portal address");
    let page = link
        .split_once("/p/")
        .map(|(_, t)| format!("/p/{t}"))
        .expect("token");
    let get = || {
        use std::io::{Read, Write};
        let mut s = std::net::TcpStream::connect(addr).expect("connect");
        write!(
            s,
            "GET {page} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
        )
        .expect("send");
        let mut body = String::new();
        s.read_to_string(&mut body).expect("read");
        assert!(body.starts_with("HTTP/1.1 200"), "{body}");
    };
    get();
    let mut times: Vec<Duration> = (0..200)
        .map(|_| {
            let t = Instant::now();
            get();
            t.elapsed()
        })
        .collect();
    times.sort();
    println!(
        "{:<46} median {:>9.3?}   max {:>9.3?}   (n=200)",
        "portal: GET /p/TOKEN over HTTP (owes, invoice)", times[100], times[199]
    );
}
