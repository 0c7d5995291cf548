//! `tally setup`, the first run: answers typed (or given as flags) become
//! a commented config that tally then reads; an existing config is kept
//! unless replaced; a loopback address is called out.

use crate::common;

use std::io::Write;
use std::process::Stdio;

use common::Book;

fn setup(b: &Book, answers: &str, flags: &[&str]) -> std::process::Output {
    let mut child = b
        .cmd()
        .arg("setup")
        .args(flags)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("setup");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(answers.as_bytes())
        .expect("answers");
    child.wait_with_output().expect("wait")
}

#[test]
fn answers_become_a_config_tally_reads() {
    let b = Book::new();
    let out = setup(
        &b,
        "Green Lawns\nhello@greenlawns.example\n\nEUR\ns3://green-pay/pages\nhttps://storage.example.com\n\n",
        &[],
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let said = String::from_utf8_lossy(&out.stdout);
    assert!(
        said.contains("links start with https://storage.example.com/green-pay/pages"),
        "{said}"
    );
    let config = b.dir.path().join("xdg-config/tally/config.toml");
    let text = std::fs::read_to_string(&config).expect("written");
    assert!(
        text.contains("# Shown on invoices and the payment page."),
        "commented"
    );
    assert!(text.contains("name = \"Green Lawns\""));
    assert!(text.contains("code = \"EUR\"") && text.contains("symbol = \"€\""));
    assert!(text.contains("target = \"s3://green-pay/pages\""));
    // tally reads it: the book keeps euros and the page is the business's.
    b.ok(&["customer", "add", "Ann Lee"]);
    b.ok(&["charge", "1", "12.50", "--tax", "0"]);
    let list = b.ok(&["customer", "list"]);
    assert!(list.contains("-12.50"), "{list}");
    let statement = b.ok(&["statement", "1"]);
    assert!(
        statement.contains("€12.50") && statement.contains("Green Lawns"),
        "{statement}"
    );
    // A second run keeps what is there.
    let again = setup(&b, "", &[]);
    assert!(!again.status.success());
    assert!(String::from_utf8_lossy(&again.stderr).contains("already exists"));
}

#[test]
fn flags_answer_without_asking_and_a_loopback_address_is_called_out() {
    let b = Book::new();
    let out = setup(
        &b,
        "",
        &[
            "--business",
            "Oak & Iron",
            "--email",
            "",
            "--phone",
            "",
            "--currency",
            "usd",
            "--publish",
            "",
            "--base-url",
            "http://localhost:8080",
        ],
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let said = String::from_utf8_lossy(&out.stdout);
    assert!(!said.contains("[My Business]"), "nothing asked: {said}");
    assert!(said.contains("a phone cannot open them"), "{said}");
    let bad = setup(
        &b,
        "",
        &[
            "--replace",
            "--currency",
            "dollars",
            "--business",
            "X",
            "--email",
            "",
            "--phone",
            "",
            "--publish",
            "",
            "--base-url",
            "x",
        ],
    );
    assert!(!bad.status.success());
    let err = String::from_utf8_lossy(&bad.stderr);
    assert!(err.contains("nothing was written"), "{err}");
    let text = std::fs::read_to_string(b.dir.path().join("xdg-config/tally/config.toml")).unwrap();
    assert!(text.contains("Oak & Iron"), "the old config stays");
}
