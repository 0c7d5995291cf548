//! What a new user reads: plurals, messages that fit their situation, and
//! input whose meaning is plain being accepted.

use crate::common;

use common::Book;
use common::web::Server;

#[test]
fn one_charge_is_one_charge() {
    let b = Book::new();
    b.ok(&["customer", "add", "Ann"]);
    b.ok(&["charge", "1", "10"]);
    b.ok(&["invoice", "draft", "1"]);
    let out = b.ok(&["invoice", "delete", "1"]);
    assert_eq!(out.trim(), "Deleted draft 1: its charge is open again");
    let timeline = b.ok(&["timeline", "1"]);
    assert!(timeline.contains("draft 1: 1 charge, total"), "{timeline}");
    assert!(timeline.contains("1 charge back to open"), "{timeline}");
}

#[test]
fn an_empty_filtered_list_names_the_filter() {
    let b = Book::new();
    b.ok(&["customer", "add", "Ann"]);
    assert_eq!(
        b.ok(&["invoice", "list", "--status", "overdue"]).trim(),
        "No overdue invoices."
    );
    assert!(
        b.ok(&["invoice", "list"])
            .starts_with("No invoices. Draft one")
    );
}

#[test]
fn cancelling_a_void_invoice_says_it_is_already_void() {
    let b = Book::new();
    b.ok(&["customer", "add", "Ann"]);
    b.ok(&["charge", "1", "10"]);
    b.ok(&["invoice", "draft", "1"]);
    b.ok(&["invoice", "finalize", "1"]);
    b.ok(&["invoice", "void", "1"]);
    b.refused(
        &["invoice", "cancel", "1"],
        "INV-0001 is already void: there is nothing left to cancel or void",
    );
}

#[test]
fn a_link_that_does_not_work_is_not_worth_bookmarking() {
    let b = Book::new();
    b.ok(&["customer", "add", "Ann"]);
    let link = b.ok(&["link", "generate", "1"]);
    let token = link.trim().rsplit('/').next().expect("token").to_string();
    let server = Server::start(&b);
    assert!(
        server
            .get(&format!("/p/{token}"))
            .body
            .contains("Bookmark this page")
    );
    let missing = server.get("/p/nothing-here");
    assert_eq!(missing.status, 404);
    assert!(!missing.body.contains("Bookmark"), "{}", missing.body);
}

#[test]
fn plain_amounts_are_taken_and_far_dates_get_a_warning() {
    let b = Book::new();
    b.ok(&["customer", "add", "Ann"]);
    b.ok(&["charge", "1", ".5", "--tax", "0"]);
    b.ok(&["charge", "1", "5.", "--tax", "0"]);
    assert_eq!(
        b.json(&["customer", "show", "1", "--json"])["balance"],
        "-5.50"
    );
    let out = b.run(&["charge", "1", "1", "--date", "2199-01-01"]);
    assert!(out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.starts_with("warning: 2199-01-01 is more than a year from today"),
        "{err}"
    );
    let out = b.run(&["charge", "1", "1"]);
    assert!(out.stderr.is_empty(), "no warning for today");
}

#[test]
fn an_exported_draft_says_it_was_never_issued_and_shows_its_total() {
    let b = Book::new();
    b.ok(&["customer", "add", "Ann"]);
    b.ok(&["charge", "1", "120", "--tax", "0"]);
    b.ok(&["invoice", "draft", "1"]);
    for format in ["txt", "html"] {
        let out = b.ok(&["invoice", "export", "1", "--format", format]);
        assert!(out.contains("Draft — not yet issued"), "{out}");
        assert!(out.contains("$120.00"), "{out}");
        assert!(!out.contains("Amount due"), "{out}");
    }
    b.ok(&["invoice", "finalize", "1"]);
    let out = b.ok(&["invoice", "export", "1", "--format", "txt"]);
    assert!(out.contains("Amount due"), "{out}");
}

#[test]
fn every_positional_argument_says_what_it_is_and_globals_stand_apart() {
    use clap::CommandFactory;
    fn walk(cmd: &clap::Command, path: &str, problems: &mut Vec<String>) {
        for arg in cmd.get_positionals() {
            let help = arg.get_help().map(ToString::to_string).unwrap_or_default();
            if help.trim().is_empty() {
                problems.push(format!("{path} <{}> has no description", arg.get_id()));
            }
        }
        for sub in cmd.get_subcommands() {
            walk(sub, &format!("{path} {}", sub.get_name()), problems);
        }
    }
    let cli = tally::cli::Cli::command();
    let mut problems = Vec::new();
    walk(&cli, "tally", &mut problems);
    assert!(problems.is_empty(), "{problems:#?}");
    for global in ["db", "config", "demo"] {
        let arg = cli
            .get_arguments()
            .find(|a| a.get_id() == global)
            .expect("global option");
        assert_eq!(arg.get_help_heading(), Some("Global options"), "--{global}");
    }
    let b = Book::new();
    let help = b.ok(&["charge", "--help"]);
    let (own, globals) = help
        .split_once("Global options:")
        .expect("a separate heading");
    assert!(own.contains("--tax") && !own.contains("--db"), "{help}");
    assert!(
        globals.contains("--db") && globals.contains("--demo"),
        "{help}"
    );
}
