//! End to end: the real `tally` binary in a pseudo-terminal, driven with the
//! keyboard like a person would: add a customer and a charge, quit, and
//! check the book from the command line.

use std::io::{Read, Write};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use portable_pty::{CommandBuilder, PtySize, native_pty_system};

use crate::common;

struct Screen {
    parser: Arc<Mutex<vt100::Parser>>,
    /// Every byte tally wrote, for sequences the screen does not show.
    raw: Arc<Mutex<Vec<u8>>>,
    writer: Box<dyn Write + Send>,
}

impl Screen {
    fn text(&self) -> String {
        self.parser.lock().expect("parser").screen().contents()
    }

    fn raw(&self) -> String {
        String::from_utf8_lossy(&self.raw.lock().expect("raw")).to_string()
    }

    fn wait_for(&self, needle: &str) {
        let start = Instant::now();
        while start.elapsed() < Duration::from_secs(20) {
            if self.text().contains(needle) {
                return;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        panic!("timed out waiting for {needle:?}; screen:\n{}", self.text());
    }

    fn send(&mut self, keys: &str) {
        self.writer.write_all(keys.as_bytes()).expect("write");
        self.writer.flush().expect("flush");
        // Let the app read each burst on its own, so a lone Esc is an Esc.
        std::thread::sleep(Duration::from_millis(150));
    }
}

/// The real binary in a 100×30 pseudo-terminal on the book at `db`,
/// running `args` (none: the TUI).
struct Tui {
    screen: Screen,
    child: Box<dyn portable_pty::Child + Send + Sync>,
}

impl Tui {
    fn start(
        db: &std::path::Path,
        dir: &std::path::Path,
        env: &[(&str, &str)],
        args: &[&str],
    ) -> Tui {
        let pair = native_pty_system()
            .openpty(PtySize {
                rows: 30,
                cols: 100,
                pixel_width: 0,
                pixel_height: 0,
            })
            .expect("open a pseudo-terminal");
        let mut cmd = CommandBuilder::new(env!("CARGO_BIN_EXE_tally"));
        cmd.arg("--db");
        cmd.arg(db);
        cmd.args(args);
        cmd.env("TERM", "xterm-256color");
        cmd.env("XDG_CONFIG_HOME", dir.join("config"));
        // A config (empty: every default) is there, so the first screen is
        // the book, not the first run's questions (tui_screens tests those).
        let config = dir.join("config/tally/config.toml");
        if !config.exists() {
            std::fs::create_dir_all(config.parent().expect("dir")).expect("config dir");
            std::fs::write(&config, "").expect("config");
        }
        cmd.env_remove("TALLY_CONFIG");
        cmd.env_remove("TALLY_DB");
        cmd.env_remove("DISPLAY");
        cmd.env_remove("WAYLAND_DISPLAY");
        for (k, v) in env {
            cmd.env(k, v);
        }
        let child = pair.slave.spawn_command(cmd).expect("spawn tally");
        drop(pair.slave);

        let parser = Arc::new(Mutex::new(vt100::Parser::new(
            std::num::NonZero::new(30).expect("rows"),
            std::num::NonZero::new(100).expect("cols"),
            0,
        )));
        let raw = Arc::new(Mutex::new(Vec::new()));
        let mut reader = pair.master.try_clone_reader().expect("reader");
        let (feed, sink) = (Arc::clone(&parser), Arc::clone(&raw));
        std::thread::spawn(move || {
            let mut buf = [0u8; 8192];
            while let Ok(n) = reader.read(&mut buf) {
                if n == 0 {
                    break;
                }
                feed.lock().expect("parser").process(&buf[..n]);
                sink.lock().expect("raw").extend_from_slice(&buf[..n]);
            }
        });
        let screen = Screen {
            parser,
            raw,
            writer: pair.master.take_writer().expect("writer"),
        };
        Tui { screen, child }
    }

    /// Waits for tally to exit by itself; it must succeed.
    fn wait_exit(&mut self) {
        let start = Instant::now();
        let status = loop {
            if let Some(status) = self.child.try_wait().expect("wait") {
                break status;
            }
            assert!(
                start.elapsed() < Duration::from_secs(10),
                "tally did not quit:\n{}",
                self.screen.text()
            );
            std::thread::sleep(Duration::from_millis(50));
        };
        assert!(status.success(), "exit status {status:?}");
    }
}

#[test]
fn add_a_customer_and_a_charge_with_the_keyboard() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("book.tally");
    let mut tui = Tui::start(&db, dir.path(), &[], &[]);
    let s = &mut tui.screen;

    s.wait_for("Welcome to tally");
    s.send("n");
    s.wait_for("New customer");
    s.send("Ann Lee\tann@example.com");
    s.send("\r");
    s.wait_for("Added Ann Lee");
    s.send("\r");
    s.wait_for("Customers / Ann Lee");
    s.send("a");
    s.wait_for("Add charge");
    s.send("150\t\tLawn mowing");
    s.send("\r");
    s.wait_for("Balance -$150.00");
    s.send("\x1b");
    s.wait_for("1 customer");
    assert!(s.text().contains("-$150.00"));
    s.send("q");
    tui.wait_exit();

    let out = std::process::Command::new(env!("CARGO_BIN_EXE_tally"))
        .arg("--db")
        .arg(&db)
        .env("XDG_CONFIG_HOME", dir.path().join("config"))
        .env_remove("TALLY_CONFIG")
        .args(["history", "1", "--json"])
        .output()
        .expect("run tally");
    let history: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(history[0]["amount"], "-150.00");
    assert_eq!(history[0]["description"], "Lawn mowing");
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_tally"))
        .arg("--db")
        .arg(&db)
        .env("XDG_CONFIG_HOME", dir.path().join("config"))
        .env_remove("TALLY_CONFIG")
        .args(["customer", "show", "1", "--json"])
        .output()
        .expect("run tally");
    let c: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(c["name"], "Ann Lee");
    assert_eq!(c["email"], "ann@example.com");
    assert_eq!(c["balance"], "-150.00");
}

/// Seed 001's "done when", the owner's half: generate a link in the TUI,
/// copy it, quit, and paste it after tally has exited.
#[test]
fn a_link_copied_in_the_tui_pastes_after_tally_exits() {
    if !common::e2e::have("Xvfb", "tui clipboard") || !common::e2e::have("xclip", "tui clipboard") {
        return;
    }
    let x = common::e2e::Xvfb::start();
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("book.tally");
    let add = std::process::Command::new(env!("CARGO_BIN_EXE_tally"))
        .arg("--db")
        .arg(&db)
        .env("XDG_CONFIG_HOME", dir.path().join("config"))
        .env_remove("TALLY_CONFIG")
        .args(["customer", "add", "Ann Lee"])
        .output()
        .expect("run tally");
    assert!(add.status.success());

    let mut tui = Tui::start(&db, dir.path(), &[("DISPLAY", &x.display)], &[]);
    let s = &mut tui.screen;
    s.wait_for("1 customer");
    s.send("\r");
    s.wait_for("g generates one");
    s.send("g");
    s.wait_for("Payment link generated");
    s.send("y");
    s.wait_for("Link copied to the clipboard.");
    let text = s.text();
    let link = text
        .split_whitespace()
        .find(|w| w.contains("/p/"))
        .expect("the link is on screen")
        .to_string();
    s.send("q");
    s.send("q");
    tui.wait_exit();
    assert_eq!(x.clipboard(), link);
}

/// With no desktop clipboard (say, over SSH), `tally link copy` sends the
/// link to the terminal as OSC 52, prints it, and says which way it went.
#[test]
fn without_a_display_link_copy_falls_back_to_osc52_on_the_terminal() {
    use base64::Engine;
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("book.tally");
    let tally = |args: &[&str]| cli(&db, dir.path(), args);
    tally(&["customer", "add", "Ann Lee"]);
    let link = tally(&["link", "generate", "1"]).trim().to_string();

    let mut tui = Tui::start(&db, dir.path(), &[], &["link", "copy", "1"]);
    tui.wait_exit();
    let osc = format!(
        "\x1b]52;c;{}\x07",
        base64::engine::general_purpose::STANDARD.encode(&link)
    );
    let start = Instant::now();
    loop {
        let text = tui.screen.raw();
        if text.contains(&osc) && text.contains("OSC 52") {
            assert!(text.contains(&link), "the link is printed too");
            break;
        }
        assert!(
            start.elapsed() < Duration::from_secs(10),
            "no OSC 52 in {text:?}"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// Runs a tally command on the book at `db`; it must succeed. Its stdout.
fn cli(db: &std::path::Path, dir: &std::path::Path, args: &[&str]) -> String {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_tally"))
        .arg("--db")
        .arg(db)
        .env("XDG_CONFIG_HOME", dir.join("config"))
        .env_remove("TALLY_CONFIG")
        .args(args)
        .output()
        .expect("run tally");
    assert!(
        out.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).expect("utf8")
}

/// Where each on-screen occurrence of `needle` ends (screen column of its
/// last cell), row by row, measured in terminal cells as vt100 lays them out.
fn end_columns(screen: &vt100::Screen, needle: &str) -> Vec<(u16, u16)> {
    let (rows, cols) = screen.size();
    let mut found = Vec::new();
    for row in 0..rows.get() {
        let mut text = String::new();
        let mut col_of = Vec::new();
        for col in 0..cols.get() {
            let Some(cell) = screen.cell(row, col) else {
                continue;
            };
            if cell.is_wide_continuation() {
                continue;
            }
            for ch in cell.contents().chars() {
                text.push(ch);
                col_of.push(col + u16::from(cell.is_wide()));
            }
        }
        if let Some(at) = text.find(needle) {
            let last = text[..at + needle.len()].chars().count() - 1;
            found.push((row, col_of[last]));
        }
    }
    found
}

/// The hostile-text catalogue in the TUI: nothing reaches the terminal raw,
/// and every row keeps its columns (no shift from bidi or joined emoji).
#[test]
fn hostile_names_neither_drive_the_terminal_nor_shift_the_rows() {
    use common::hostile::{CASES, name};
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("book.tally");
    let tally = |args: &[&str]| cli(&db, dir.path(), args);
    for (i, (_, text)) in CASES.iter().enumerate() {
        let id = (i + 1).to_string();
        tally(&["customer", "add", &name(i), "--allow-duplicate"]);
        tally(&["charge", &id, "2", "--tax", "0", "--desc", "plain"]);
        tally(&["charge", &id, "1", "--tax", "0", "--desc", text]);
    }
    let mut tui = Tui::start(&db, dir.path(), &[], &[]);
    let s = &mut tui.screen;
    s.wait_for(&format!("{} customers", CASES.len()));
    let ends = end_columns(s.parser.lock().expect("parser").screen(), "-$3.00");
    assert_eq!(
        ends.len(),
        CASES.len(),
        "every row shows its balance:\n{}",
        s.text()
    );
    assert!(
        ends.iter().all(|(_, c)| *c == ends[0].1),
        "balances out of line: {ends:?}\n{}",
        s.text()
    );
    // The joined-emoji customer's own screen: history amounts stay in line.
    let zwj = CASES
        .iter()
        .position(|(c, _)| *c == "zwj")
        .expect("zwj case");
    for _ in 0..zwj {
        s.send("j");
    }
    s.send("\r");
    s.wait_for(&format!("customer {}", zwj + 1));
    let screen_text = s.text();
    assert!(screen_text.contains(&format!("N{zwj} ")), "{screen_text}");
    let title_end = end_columns(
        s.parser.lock().expect("parser").screen(),
        &format!("customer {}", zwj + 1),
    );
    let plain_end = end_columns(s.parser.lock().expect("parser").screen(), "-$2.00");
    assert_eq!(title_end.len(), 1, "{screen_text}");
    assert_eq!(
        title_end[0].1, 98,
        "the title bar ends at the right edge:\n{screen_text}"
    );
    let row_end = end_columns(s.parser.lock().expect("parser").screen(), "-$1.00");
    assert!(
        !plain_end.is_empty() && !row_end.is_empty(),
        "{screen_text}"
    );
    assert_eq!(
        plain_end.last().map(|e| e.1),
        row_end.last().map(|e| e.1),
        "the emoji row's amount lines up with the plain row's:\n{screen_text}"
    );
    s.send("\x1b");
    s.send("q");
    tui.wait_exit();
    let raw = tui.screen.raw();
    for bad in [
        "\u{1b}]52;",
        "\u{1b}]8;",
        "\u{9b}",
        "\u{85}",
        "\u{202e}",
        "\u{200d}",
    ] {
        assert!(!raw.contains(bad), "{bad:?} reached the terminal");
    }
}

/// "-300.00" as the TUI shows it: "-$300.00" (amounts under 1,000 here).
fn dollars(plain: &str) -> String {
    match plain.strip_prefix('-') {
        Some(rest) => format!("-${rest}"),
        None => format!("${plain}"),
    }
}

/// Every tab of a parent's customer screen, opened with the number keys,
/// Tab and Shift-Tab in the real binary, shows what the CLI's `--json`
/// says about the same customer.
#[test]
fn every_customer_tab_opens_and_agrees_with_the_cli() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("book.tally");
    let run = |args: &[&str]| cli(&db, dir.path(), args);
    let json =
        |args: &[&str]| -> serde_json::Value { serde_json::from_str(&run(args)).expect("json") };
    run(&["customer", "add", "Oak Property Group"]);
    run(&[
        "customer",
        "add",
        "Oak Tower",
        "--parent",
        "1",
        "--bill-parent",
    ]);
    run(&["charge", "1", "120", "--tax", "0"]);
    run(&["charge", "2", "45", "--tax", "0"]);
    run(&["invoice", "draft", "1"]);
    run(&["invoice", "finalize", "1"]);
    run(&[
        "invoice",
        "pay",
        "INV-0001",
        "--method",
        "card",
        "--reference",
        "CH-881",
    ]);
    run(&["credit", "1", "200", "--method", "check"]);
    run(&["refund", "1", "30", "--method", "check"]);
    run(&["credit-transfer", "1", "2", "40"]);
    run(&[
        "contact",
        "add",
        "1",
        "Pat Payables",
        "--role",
        "Accounts",
        "--primary",
    ]);

    let mut tui = Tui::start(&db, dir.path(), &[], &[]);
    let s = &mut tui.screen;
    s.wait_for("Oak Property Group");
    s.send("/Property\r\r");
    s.wait_for("Customers / Oak Property Group");

    s.send("3");
    s.wait_for("Reference");
    for p in json(&["payment", "list", "1", "--json"])
        .as_array()
        .unwrap()
    {
        assert!(
            s.text().contains(&dollars(p["amount"].as_str().unwrap())),
            "{}",
            s.text()
        );
    }
    assert!(s.text().contains("CH-881"));

    s.send("4");
    let credits = json(&["credits", "1", "--json"]);
    s.wait_for(&format!(
        "{} available",
        dollars(credits["available_credit"].as_str().unwrap())
    ));
    for i in credits["items"].as_array().unwrap() {
        assert!(
            s.text().contains(i["what"].as_str().unwrap()),
            "{}",
            s.text()
        );
    }

    s.send("5");
    s.wait_for("Pat Payables");
    assert!(s.text().contains("primary"));

    s.send("6");
    let show = json(&["customer", "show", "1", "--json"]);
    s.wait_for(&format!(
        "combined balance {}",
        dollars(show["combined_balance"].as_str().unwrap())
    ));
    assert!(s.text().contains("Oak Tower"));

    s.send("7");
    let timeline = json(&["timeline", "1", "--json"]);
    s.wait_for(timeline[0]["action"].as_str().unwrap());

    // Tab goes on to Documents, then wraps to Billing; Shift-Tab goes back.
    s.send("\t");
    s.wait_for("No documents yet");
    s.send("\t");
    s.wait_for("No contracts yet");
    s.send("\t");
    s.wait_for("Description");
    s.send("\x1b[Z");
    s.wait_for("No contracts yet");
    s.send("2");
    s.wait_for("INV-0001");
    s.send("q");
    s.send("q");
    tui.wait_exit();
}

/// Another process holds the book's write lock for up to 10 s (as a long
/// billing run or import does): every command that only reads, and the
/// full screen's first screen, answer at once; a writer waits its turn and
/// says the book is busy.
#[test]
fn the_book_reads_at_once_while_another_process_writes() {
    let b = common::Book::new();
    b.ok(&["customer", "add", "Ann Lee"]);
    b.ok(&["charge", "1", "150", "--tax", "0"]);
    b.ok(&["link", "generate", "1"]);
    let db = b.db.clone();
    let (locked, release) = (
        std::sync::mpsc::channel::<()>(),
        std::sync::mpsc::channel::<()>(),
    );
    let (locked_tx, locked_rx) = locked;
    let (release_tx, release_rx) = release;
    let writer = std::thread::spawn(move || {
        let conn = rusqlite::Connection::open(&db).expect("open");
        conn.execute_batch("BEGIN IMMEDIATE; UPDATE customers SET name = name;")
            .expect("write lock");
        locked_tx.send(()).expect("signal");
        let _ = release_rx.recv_timeout(Duration::from_secs(10));
        conn.execute_batch("ROLLBACK").expect("rollback");
    });
    locked_rx.recv().expect("locked");
    let out = b.dir.path().join("copy.tally");
    let reads: [&[&str]; 11] = [
        &["customer", "list"],
        &["customer", "show", "1"],
        &["history", "1"],
        &["timeline", "1"],
        &["report", "aging"],
        &["report", "month"],
        &["export", "customers"],
        &["link", "show", "1"],
        &["check"],
        &["statement", "1"],
        &["backup", out.to_str().expect("utf8"), "--force"],
    ];
    for args in reads {
        let start = Instant::now();
        b.ok(args);
        let took = start.elapsed();
        assert!(took < Duration::from_secs(1), "{args:?} took {took:?}");
    }
    let start = Instant::now();
    let mut tui = Tui::start(&b.db, b.dir.path(), &[], &[]);
    tui.screen.wait_for("Owed to you");
    let took = start.elapsed();
    assert!(
        took < Duration::from_secs(2),
        "the first screen took {took:?}"
    );
    tui.screen.wait_for("Another tally is writing the book");
    tui.screen.send("q");
    tui.wait_exit();
    // The lock was really held: a writer waits, then says the book is busy.
    b.refused(&["charge", "1", "5"], "the book is busy");
    release_tx.send(()).expect("release");
    writer.join().expect("writer");
    b.ok(&["charge", "1", "5"]);
}

/// `export customers`, `export entries` and `export journal` on a
/// terminal show stored text as every other command does: no ESC, C1 or
/// bidi character reaches it raw. To a pipe, the bytes stay faithful.
#[test]
fn exports_on_a_terminal_show_stored_text_never_obey_it() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("book.tally");
    let tally = |args: &[&str]| cli(&db, dir.path(), args);
    for (i, _) in common::hostile::CASES.iter().enumerate() {
        let id = tally(&["customer", "add", &common::hostile::name(i)]);
        tally(&[
            "charge",
            id.trim(),
            "5",
            "--desc",
            &common::hostile::name(i),
        ]);
    }
    for what in ["customers", "entries", "journal"] {
        let mut tui = Tui::start(&db, dir.path(), &[], &["export", what]);
        tui.wait_exit();
        // Everything the child wrote has arrived once its last row has.
        let start = Instant::now();
        while !tui.screen.raw().contains("N7") && start.elapsed() < Duration::from_secs(10) {
            std::thread::sleep(Duration::from_millis(20));
        }
        let raw = tui.screen.raw();
        assert!(raw.contains("N7"), "{what}: {raw:?}");
        // The terminal turns \n into \r\n itself; anything else is ours.
        let bad = common::hostile::unsafe_chars(&raw.replace('\r', ""));
        assert!(bad.is_empty(), "{what} on a terminal: {bad:?} in {raw:?}");
        // The CSVs show it escaped; the journal's names have it removed.
        if what != "journal" {
            assert!(raw.contains("\\x1b"), "{what}: shown escaped: {raw:?}");
        }
    }
    // A pipe gets the stored bytes as they are (a CSV a program reads).
    let piped = tally(&["export", "customers"]);
    assert!(piped.contains("\u{1b}[2J") && piped.contains('\u{202e}'));
}
