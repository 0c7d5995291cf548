//! Two tallys on one book at the same moment, as real processes: the CLI
//! while the TUI saves, a billing run while the owner works. Each scenario
//! sets up a fresh book, starts both commands together, waits for both, and
//! then `tally check` must pass and the scenario's own rule must hold
//! (one void credit, never more paid than due, one live link, …).
//!
//! Also: `kill -9` at random moments of posts and invoice operations leaves
//! a book that passes `tally check` and holds every acknowledged entry.

use crate::common;

use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use common::{Book, tally_at};
use serde_json::Value;

/// Trials per scenario; each is a fresh book. Enough to have caught every
/// race the harness was written for (each failed 28–30 times in 30).
const TRIALS: usize = 15;

/// The racing commands run `TALLY_RACE_BIN` when set (an older tally, to
/// show the harness catches its races); setup and `tally check` always run
/// this build.
fn spawn(b: &Book, args: &[&str]) -> Child {
    let mut cmd = b.cmd();
    if let Some(bin) = std::env::var_os("TALLY_RACE_BIN") {
        let mut other = Command::new(bin);
        other.envs(cmd.get_envs().filter_map(|(k, v)| Some((k, v?))));
        other.args(cmd.get_args());
        cmd = other;
    }
    cmd.args(args)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn tally")
}

/// Starts both commands before waiting for either.
fn race(b: &Book, first: &[&str], second: &[&str]) -> (Output, Output) {
    let a = spawn(b, first);
    let c = spawn(b, second);
    (
        a.wait_with_output().expect("wait"),
        c.wait_with_output().expect("wait"),
    )
}

fn succeeded(outs: &(Output, Output)) -> usize {
    [&outs.0, &outs.1]
        .iter()
        .filter(|o| o.status.success())
        .count()
}

/// A loser must lose cleanly: exit 1 with one `error:` line.
fn clean_refusals(outs: &(Output, Output)) {
    for o in [&outs.0, &outs.1] {
        if !o.status.success() {
            let err = String::from_utf8_lossy(&o.stderr);
            assert_eq!(o.status.code(), Some(1), "{err}");
            assert!(err.starts_with("error: "), "{err}");
            assert!(!err.contains("database error"), "raw error: {err}");
        }
    }
}

fn check(b: &Book, scenario: &str) {
    let out = b.run(&["check"]);
    assert!(
        out.status.success(),
        "{scenario}: tally check failed:\n{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

fn invoice(b: &Book, n: &str) -> Value {
    b.json(&["invoice", "show", n, "--json"])
}

/// A customer owing 100.00 on charge 1, optionally invoiced as INV-0001.
fn owing(finalized: bool) -> Book {
    let b = Book::new();
    b.ok(&["customer", "add", "Dup"]);
    b.ok(&["charge", "1", "100", "--tax", "0"]);
    if finalized {
        b.ok(&["invoice", "draft", "1"]);
        b.ok(&["invoice", "finalize", "1"]);
    }
    b
}

fn scenario(
    name: &str,
    setup: impl Fn() -> Book,
    first: &[&str],
    second: &[&str],
    rule: impl Fn(&Book, &(Output, Output)),
) {
    for trial in 0..TRIALS {
        let b = setup();
        let outs = race(&b, first, second);
        clean_refusals(&outs);
        check(&b, &format!("{name} (trial {trial})"));
        rule(&b, &outs);
    }
}

#[test]
fn removing_one_entry_twice_removes_it_once() {
    scenario(
        "remove twice",
        || owing(false),
        &["entry", "remove", "1"],
        &["entry", "remove", "1"],
        |b, outs| {
            assert_eq!(succeeded(outs), 1);
            assert_eq!(
                b.json(&["customer", "show", "1", "--json"])["balance"],
                "0.00"
            );
        },
    );
}

#[test]
fn two_edits_of_one_entry_leave_one_of_them() {
    scenario(
        "edit vs edit",
        || owing(false),
        &["entry", "edit", "1", "--amount", "200"],
        &["entry", "edit", "1", "--amount", "300"],
        |b, outs| {
            assert_eq!(succeeded(outs), 2);
            let bal = b.json(&["customer", "show", "1", "--json"])["balance"].clone();
            assert!(bal == "-200.00" || bal == "-300.00", "{bal}");
            let hist = b.json(&["history", "1", "--json"]);
            assert_eq!(hist[0]["amount"], bal, "entry and balance agree");
        },
    );
}

#[test]
fn voiding_twice_posts_one_void_credit() {
    scenario(
        "void twice",
        || owing(true),
        &["invoice", "void", "INV-0001"],
        &["invoice", "void", "INV-0001"],
        |b, outs| {
            assert_eq!(succeeded(outs), 1);
            assert_eq!(
                b.json(&["customer", "show", "1", "--json"])["balance"],
                "0.00"
            );
            let credits = b.json(&["history", "1", "--json"]);
            assert_eq!(credits.as_array().map(Vec::len), Some(2), "{credits}");
        },
    );
}

#[test]
fn paying_twice_never_pays_more_than_due() {
    scenario(
        "pay twice",
        || owing(true),
        &["invoice", "pay", "INV-0001"],
        &["invoice", "pay", "INV-0001"],
        |b, outs| {
            assert_eq!(succeeded(outs), 1);
            let inv = invoice(b, "INV-0001");
            assert_eq!(inv["paid"], "100.00");
            assert_eq!(inv["remaining"], "0.00");
        },
    );
}

#[test]
fn removing_a_charge_while_drafting_never_leaves_an_empty_draft() {
    scenario(
        "remove vs draft",
        || owing(false),
        &["entry", "remove", "1"],
        &["invoice", "draft", "1"],
        |b, outs| {
            // Whichever ran first, the charge is gone and so is any draft.
            assert!(outs.0.status.success(), "remove always succeeds");
            assert_eq!(b.json(&["history", "1", "--json"]), serde_json::json!([]));
            for inv in b
                .json(&["invoice", "list", "--json"])
                .as_array()
                .into_iter()
                .flatten()
            {
                assert!(inv["line_count"].as_u64() > Some(0), "empty draft: {inv}");
            }
        },
    );
}

#[test]
fn the_same_email_added_twice_is_added_once() {
    scenario(
        "email twice",
        Book::new,
        &["customer", "add", "Ann", "--email", "a@x.com"],
        &["customer", "add", "Ann B", "--email", "A@x.com"],
        |b, outs| {
            assert_eq!(succeeded(outs), 1);
            let list = b.json(&["customer", "list", "--json"]);
            assert_eq!(list.as_array().map(Vec::len), Some(1), "{list}");
        },
    );
}

#[test]
fn concurrent_posts_keep_every_timeline_line_true() {
    scenario(
        "post vs post",
        || owing(false),
        &["charge", "1", "10"],
        &["credit", "1", "25"],
        |b, outs| {
            assert_eq!(succeeded(outs), 2);
            assert_eq!(
                b.json(&["customer", "show", "1", "--json"])["balance"],
                "-85.00"
            );
            // Oldest first, each line's "balance X → Y" starts where the last ended.
            let mut events: Vec<Value> = b
                .json(&["timeline", "1", "--json"])
                .as_array()
                .cloned()
                .unwrap_or_default();
            events.reverse();
            let mut last = "0.00".to_string();
            for e in events {
                let detail = e["detail"].as_str().unwrap_or_default();
                if let Some(moved) = detail.split("balance ").nth(1) {
                    let (from, to) = moved.split_once(" → ").expect("before → after");
                    assert_eq!(from, last, "{detail}");
                    last = to.to_string();
                }
            }
            assert_eq!(last, "-85.00");
        },
    );
}

#[test]
fn paying_while_voiding_does_one_or_the_other() {
    scenario(
        "pay vs void",
        || owing(true),
        &["invoice", "pay", "INV-0001"],
        &["invoice", "void", "INV-0001"],
        |b, outs| {
            assert_eq!(succeeded(outs), 1);
            let status = invoice(b, "INV-0001")["status"].clone();
            assert!(status == "paid" || status == "void", "{status}");
        },
    );
}

#[test]
fn finalizing_while_deleting_does_one_or_the_other() {
    let setup = || {
        let b = owing(false);
        b.ok(&["invoice", "draft", "1"]);
        b
    };
    scenario(
        "finalize vs delete",
        setup,
        &["invoice", "finalize", "1"],
        &["invoice", "delete", "1"],
        |b, outs| {
            assert_eq!(succeeded(outs), 1);
            let list = b.json(&["invoice", "list", "--json"]);
            let n = list.as_array().map(Vec::len).unwrap_or(0);
            if outs.0.status.success() {
                assert_eq!(n, 1, "finalized invoice kept: {list}");
            } else {
                assert_eq!(n, 0, "draft deleted: {list}");
                assert_eq!(
                    b.json(&["history", "1", "--json"])[0]["id"],
                    1,
                    "charge open again"
                );
            }
        },
    );
}

#[test]
fn regenerating_a_link_twice_leaves_exactly_one_live_link() {
    let setup = || {
        let b = owing(false);
        b.ok(&["link", "generate", "1"]);
        b
    };
    scenario(
        "regenerate twice",
        setup,
        &["link", "regenerate", "1"],
        &["link", "regenerate", "1"],
        |b, outs| {
            assert_eq!(succeeded(outs), 2);
            let shown = b.ok(&["link", "show", "1"]);
            let made: Vec<String> = [&outs.0, &outs.1]
                .iter()
                .map(|o| String::from_utf8_lossy(&o.stdout).to_string())
                .collect();
            assert!(made.contains(&shown), "{shown} is one of {made:?}");
        },
    );
}

#[test]
fn a_repeated_id_in_one_command_changes_the_invoice_once() {
    let b = owing(true);
    let out = b.ok(&["invoice", "cancel", "1", "1", "INV-0001"]);
    assert_eq!(out.matches("INV-0001").count(), 1, "{out}");
    assert_eq!(
        b.json(&["customer", "show", "1", "--json"])["balance"],
        "0.00"
    );
    check(&b, "cancel 1 1 INV-0001");
    let b = owing(false);
    b.ok(&["charge", "1", "50", "--tax", "0"]);
    b.ok(&["invoice", "draft", "1", "--charges", "1,1,2"]);
    assert_eq!(b.json(&["invoice", "show", "1", "--json"])["line_count"], 2);
    check(&b, "draft --charges 1,1,2");
}

/// A small deterministic generator: the test needs spread, not secrecy.
struct Lcg(u64);

impl Lcg {
    fn new() -> Lcg {
        let seed = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map(|d| d.as_nanos() as u64)
            .unwrap_or(7);
        Lcg(seed | 1)
    }
    fn below(&mut self, n: u64) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (self.0 >> 33) % n
    }
}

fn kill_after(mut child: Child, micros: u64) -> Option<Output> {
    std::thread::sleep(Duration::from_micros(micros));
    let _ = child.kill();
    child.wait_with_output().ok()
}

#[test]
fn kill_9_mid_write_leaves_a_consistent_book_with_every_acknowledged_entry() {
    let b = owing(false);
    let mut rng = Lcg::new();
    let mut acknowledged: Vec<String> = Vec::new();
    for round in 0..50 {
        let args: Vec<String> = match round % 3 {
            0 => vec!["charge".into(), "1".into(), "7".into()],
            1 => vec!["credit".into(), "1".into(), "3".into()],
            _ => vec!["billing".into(), "run".into()],
        };
        let refs: Vec<&str> = args.iter().map(String::as_str).collect();
        let child = spawn(&b, &refs);
        if let Some(out) = kill_after(child, rng.below(30_000)) {
            let id = String::from_utf8_lossy(&out.stdout).trim().to_string();
            if out.status.success() && round % 3 != 2 {
                acknowledged.push(id);
            }
        }
        if round % 5 == 4 {
            // Invoice operations too: draft, finalize, pay, each killable.
            for step in [
                &["invoice", "draft", "1"][..],
                &["invoice", "finalize", "1"],
                &["invoice", "pay", "INV-0001"],
            ] {
                let child = spawn(&b, step);
                kill_after(child, rng.below(30_000));
            }
        }
        check(&b, &format!("kill -9 round {round}"));
    }
    let history = b.json(&["history", "1", "--json", "--limit", "1000"]);
    let ids: Vec<String> = history
        .as_array()
        .into_iter()
        .flatten()
        .map(|e| e["id"].to_string())
        .collect();
    for id in &acknowledged {
        assert!(ids.contains(id), "acknowledged entry {id} lost");
    }
}

#[test]
fn two_billing_runs_at_once_bill_each_month_once() {
    let setup = || {
        let b = Book::new();
        b.ok(&["customer", "add", "Monthly", "--email", "m@x.com"]);
        b.ok(&["customer", "edit", "1", "--billing-cycle", "monthly"]);
        b.ok(&["charge", "1", "40", "--tax", "0", "--date", "2026-09-10"]);
        b.ok(&["charge", "1", "60", "--tax", "0", "--date", "2026-10-10"]);
        b
    };
    scenario(
        "billing run twice",
        setup,
        &["billing", "run", "--date", "2026-11-23"],
        &["billing", "run", "--date", "2026-11-23"],
        |b, outs| {
            assert_eq!(succeeded(outs), 2, "the second run finds nothing to do");
            let list = b.json(&["invoice", "list", "--json"]);
            assert_eq!(
                list.as_array().map(Vec::len),
                Some(2),
                "one per month: {list}"
            );
        },
    );
}

/// A customer holding 100.00 of unapplied credit, and a second customer.
fn in_credit() -> Book {
    let b = Book::new();
    b.ok(&["customer", "add", "Holder"]);
    b.ok(&["customer", "add", "Other"]);
    b.ok(&["credit", "1", "100", "--method", "cash"]);
    b
}

#[test]
fn two_refunds_of_the_same_credit_pay_it_out_once() {
    scenario(
        "refund vs refund",
        in_credit,
        &["refund", "1", "70"],
        &["refund", "1", "70"],
        |b, outs| {
            assert_eq!(succeeded(outs), 1);
            let show = b.json(&["customer", "show", "1", "--json"]);
            assert_eq!(show["balance"], "30.00");
            assert_eq!(show["available_credit"], "30.00");
        },
    );
}

#[test]
fn a_refund_and_a_transfer_of_the_same_credit_do_one_or_the_other() {
    scenario(
        "refund vs transfer",
        in_credit,
        &["refund", "1", "70"],
        &["credit-transfer", "1", "2", "70"],
        |b, outs| {
            assert_eq!(succeeded(outs), 1);
            let one = b.json(&["customer", "show", "1", "--json"]);
            let two = b.json(&["customer", "show", "2", "--json"]);
            assert_eq!(one["balance"], "30.00");
            let moved = two["balance"] == "70.00";
            assert!(moved || two["balance"] == "0.00", "{two}");
        },
    );
}

/// A customer with a monthly contract started three months before the run
/// (in the 2090s: adding it charges only periods started by today).
fn under_contract() -> Book {
    let b = Book::new();
    b.ok(&["customer", "add", "Holder"]);
    b.ok(&[
        "contract",
        "add",
        "1",
        "Care",
        "--type",
        "recurring",
        "--value",
        "100",
        "--start",
        "2098-01-10",
    ]);
    b
}

#[test]
fn two_catch_ups_charge_each_contract_period_once() {
    scenario(
        "billing run vs billing run with a contract",
        under_contract,
        &["billing", "run", "--date", "2098-04-15"],
        &["billing", "run", "--date", "2098-04-15"],
        |b, outs| {
            assert_eq!(
                succeeded(outs),
                2,
                "both runs succeed; one finds nothing to do"
            );
            let show = b.json(&["contract", "show", "1", "--json"]);
            assert_eq!(show["periods_charged"], 4, "Jan, Feb, Mar, Apr once each");
            assert_eq!(
                b.json(&["customer", "show", "1", "--json"])["balance"],
                "-400.00"
            );
        },
    );
}

/// An entries file large enough for the bulk path (at least 20,000 lines):
/// 30 customers, 21,000 charges of 1.00.
fn bulk_file(b: &Book) -> String {
    let mut csv = String::from("date,customer,email,type,amount,tax,description\n");
    for i in 0..21_000 {
        let who = i % 30;
        csv.push_str(&format!(
            "2026-03-{:02},Bulk {who},b{who}@example.com,charge,1.00,0,Job {i}\n",
            1 + i % 28
        ));
    }
    let path = b.dir.path().join("bulk.csv");
    std::fs::write(&path, csv).expect("write bulk.csv");
    path.display().to_string()
}

fn journal_mode(b: &Book) -> String {
    let conn = rusqlite::Connection::open(&b.db).expect("open book");
    conn.pragma_query_value(None, "journal_mode", |r| r.get(0))
        .expect("journal mode")
}

#[test]
fn a_bulk_import_and_a_charge_at_once_keep_both_or_refuse_one_cleanly() {
    for trial in 0..5 {
        let b = owing(false);
        let file = bulk_file(&b);
        let outs = race(&b, &["import", "entries", &file], &["charge", "1", "5"]);
        clean_refusals(&outs);
        check(&b, &format!("bulk import and charge (trial {trial})"));
        assert!(outs.0.status.success(), "the import waits for the charge");
        let list = b.json(&["customer", "list", "--json", "--limit", "100"]);
        let owed: i64 = list
            .as_array()
            .into_iter()
            .flatten()
            .filter(|c| c["name"].as_str().is_some_and(|n| n.starts_with("Bulk")))
            .map(|c| c["balance"].as_str().unwrap().parse::<f64>().unwrap() as i64)
            .sum();
        assert_eq!(owed, -21_000, "every imported row counts once");
        let dup = b.json(&["history", "1", "--json", "--limit", "10"]);
        let charges = dup.as_array().map_or(0, Vec::len);
        let expected = if outs.1.status.success() { 2 } else { 1 };
        assert_eq!(charges, expected, "the charge is there iff it said so");
        assert_eq!(journal_mode(&b), "wal", "the book is back on its log");
    }
}

#[test]
fn kill_9_mid_bulk_import_leaves_all_of_it_or_none() {
    let mut rng = Lcg::new();
    for round in 0..6 {
        let b = owing(false);
        let file = bulk_file(&b);
        let child = spawn(&b, &["import", "entries", &file]);
        let done =
            kill_after(child, 50_000 + rng.below(400_000)).is_some_and(|o| o.status.success());
        check(&b, &format!("kill -9 mid import, round {round}"));
        let customers = b.json(&["customer", "list", "--json", "--limit", "100"]);
        let n = customers.as_array().map_or(0, Vec::len);
        assert!(
            n == 1 || n == 31,
            "all of the import or none: {n} customers"
        );
        if done {
            assert_eq!(n, 31, "an import that said it finished is all there");
        }
        assert_eq!(journal_mode(&b), "wal", "the book is back on its log");
    }
}

/// An owner opens the book while a bulk import works: every read answers
/// at once (with the book as it was before the import) instead of waiting
/// for the import's lock, and the import is all there afterwards.
#[test]
fn the_book_reads_while_a_bulk_import_works() {
    let b = owing(false);
    // Long descriptions: more than the import's page cache holds, as a
    // real migration is, so it cannot keep every page until it commits.
    let mut csv = String::from("date,customer,email,type,amount,tax,description\n");
    let notes = "Weekly garden visit - mowing and edging and hedge trimming and weeding ".repeat(5);
    for i in 0..150_000 {
        let who = i % 5_000;
        csv.push_str(&format!(
            "2026-03-{:02},Bulk {who},b{who}@example.com,charge,1.00,0,Job {i} {notes}\n",
            1 + i % 28
        ));
    }
    let file = b.dir.path().join("big.csv");
    std::fs::write(&file, csv).expect("write big.csv");
    let mut import = spawn(&b, &["import", "entries", file.to_str().expect("utf8")]);
    // With nobody else in the book, the import writes through a rollback
    // journal: wait until it does, so the reads below meet that case.
    let journal = b.dir.path().join("book.tally-journal");
    let start = std::time::Instant::now();
    while !journal.exists() && start.elapsed() < std::time::Duration::from_secs(20) {
        std::thread::sleep(std::time::Duration::from_millis(5));
    }
    assert!(journal.exists(), "the import never wrote through a journal");
    let mut during = 0;
    while import.try_wait().expect("poll").is_none() {
        let start = std::time::Instant::now();
        let out = b.run(&["customer", "list", "--limit", "3"]);
        let took = start.elapsed();
        let running = import.try_wait().expect("poll").is_none();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        if running {
            during += 1;
            assert!(
                took < std::time::Duration::from_secs(1),
                "a read during the import took {took:?}"
            );
        }
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    let done = import.wait_with_output().expect("import");
    assert!(
        done.status.success(),
        "{}",
        String::from_utf8_lossy(&done.stderr)
    );
    assert!(during >= 3, "only {during} reads ran while the import did");
    check(&b, "reads during a bulk import");
    let list = b.json(&["customer", "list", "--json", "--limit", "10000"]);
    assert_eq!(list.as_array().map(Vec::len), Some(5_001));
    assert_eq!(journal_mode(&b), "wal", "the book is back on its log");
}

/// A backup killed at any moment leaves its temporary copy behind; the
/// next backup to the same place removes it (and never a live one's).
#[test]
fn a_backup_killed_part_way_leaves_nothing_after_the_next_backup() {
    let b = owing(true);
    b.ok(&["--demo", "customer", "list"]);
    let file = bulk_file(&b);
    b.ok(&["import", "entries", &file]);
    let dest = b.dir.path().join("copy.tally");
    let dest_arg = dest.to_str().expect("utf8").to_string();
    let leftovers = || -> Vec<String> {
        std::fs::read_dir(b.dir.path())
            .expect("dir")
            .flatten()
            .map(|e| e.file_name().to_string_lossy().to_string())
            .filter(|n| n.starts_with(".copy.tally.partial-"))
            .collect()
    };
    let mut rng = Lcg::new();
    let mut left_behind = 0;
    for _ in 0..20 {
        let child = spawn(&b, &["backup", &dest_arg, "--force"]);
        kill_after(child, rng.below(60_000));
        left_behind += usize::from(!leftovers().is_empty());
    }
    // Whatever the kills left, one from a process long gone for sure, and
    // one of a live process (this test's), which must stay.
    let dead = b.dir.path().join(".copy.tally.partial-4000000000");
    std::fs::write(&dead, b"half a book").expect("write");
    std::fs::write(
        b.dir.path().join(".copy.tally.partial-4000000000-journal"),
        b"j",
    )
    .expect("write");
    let live = format!(".copy.tally.partial-{}", std::process::id());
    std::fs::write(b.dir.path().join(&live), b"being written").expect("write");
    b.ok(&["backup", &dest_arg, "--force"]);
    assert_eq!(
        leftovers(),
        vec![live],
        "after {left_behind} kills left one"
    );
}

/// Two customers for one person: 1 owes 100.00 on INV-0001, 2 owes 40.00.
fn twice_entered() -> Book {
    let b = owing(true);
    b.ok(&["customer", "add", "Dup Again", "--email", "dup@example.com"]);
    b.ok(&["charge", "2", "40", "--tax", "0"]);
    b
}

#[test]
fn merging_while_the_other_customer_is_charged_loses_no_money() {
    scenario(
        "merge vs charge",
        twice_entered,
        &["customer", "merge", "2", "1"],
        &["charge", "2", "7", "--tax", "0"],
        |b, outs| {
            let charged = outs.1.status.success();
            assert!(outs.0.status.success(), "the merge itself always can");
            let want = if charged { "-147.00" } else { "-140.00" };
            let one = b.json(&["customer", "show", "1", "--json"]);
            assert_eq!(one["balance"], want, "every charge on the merged customer");
            assert_eq!(
                b.json(&["customer", "list", "--json"])
                    .as_array()
                    .unwrap()
                    .len(),
                1
            );
        },
    );
}

#[test]
fn archiving_while_a_charge_lands_never_hides_what_is_owed() {
    scenario(
        "archive vs charge",
        || {
            let b = Book::new();
            b.ok(&["customer", "add", "Quiet"]);
            b
        },
        &["customer", "archive", "1"],
        &["charge", "1", "5", "--tax", "0"],
        |b, _| {
            let shown = b.json(&["customer", "list", "--json"]);
            let owed = b.json(&["customer", "show", "1", "--json"])["balance"] == "-5.00";
            assert!(owed, "the charge always lands");
            assert_eq!(shown.as_array().unwrap().len(), 1, "owing: listed");
        },
    );
}

/// `tally check`, `check --quick` and `backup` read the book in two
/// connections at once (the page check beside the rules): run again and
/// again while another tally posts charges and payments, they never report
/// a problem in a sound book, and every backup taken meanwhile is whole.
#[test]
fn checks_and_backups_read_true_while_another_tally_writes() {
    use std::sync::Arc;
    use std::sync::atomic::{AtomicBool, Ordering};
    let b = owing(false);
    for n in 0..40 {
        b.ok(&["customer", "add", &format!("Busy {n}")]);
    }
    let stop = Arc::new(AtomicBool::new(false));
    let writer = {
        let (stop, home, db) = (stop.clone(), b.dir.path().to_path_buf(), b.db.clone());
        std::thread::spawn(move || {
            let mut n = 0u32;
            // At least one draft, however quick the checks.
            while n < 5 || !stop.load(Ordering::Relaxed) {
                let who = (2 + n % 40).to_string();
                let mut args = vec!["charge", &who, "12.50", "--tax", "1"];
                if n.is_multiple_of(3) {
                    args = vec!["credit", &who, "7", "--method", "card"];
                }
                let out = tally_at(&home, &db).args(&args).output().expect("post");
                assert!(
                    out.status.success(),
                    "{}",
                    String::from_utf8_lossy(&out.stderr)
                );
                // A draft changes old rows (its charges', anywhere in the
                // table), not only the newest: a check reading the
                // entries in two halves must read both from one moment.
                // It may find nothing to draft; that changes nothing.
                if n % 5 == 4 {
                    let _ = tally_at(&home, &db)
                        .args(["invoice", "draft", &who])
                        .output()
                        .expect("draft");
                }
                n += 1;
            }
            n
        })
    };
    for round in 0..6 {
        b.ok(&["check"]);
        b.ok(&["check", "--quick"]);
        let copy = b.dir.path().join(format!("copy-{round}.tally"));
        b.ok(&["backup", copy.to_str().expect("utf8")]);
        let out = tally_at(b.dir.path(), &copy)
            .arg("check")
            .output()
            .expect("check the copy");
        assert!(
            out.status.success(),
            "backup {round}: {}",
            String::from_utf8_lossy(&out.stdout)
        );
    }
    stop.store(true, Ordering::Relaxed);
    let posts = writer.join().expect("writer");
    assert!(posts > 0, "the writer wrote while the checks ran");
    let drafted: i64 = rusqlite::Connection::open(&b.db)
        .and_then(|c| {
            c.query_row(
                "SELECT count(*) FROM entries WHERE invoice_id IN \
                 (SELECT id FROM invoices WHERE status = 'draft')",
                [],
                |r| r.get(0),
            )
        })
        .expect("count drafted charges");
    assert!(
        drafted > 0,
        "the writer drafted charges while the checks ran"
    );
    b.ok(&["check"]);
}
