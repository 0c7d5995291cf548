//! Mail to customers, read as the mail server received it: a real SMTP
//! server (aiosmtpd) keeps every message, and the tests read recipients,
//! headers, the decoded text and HTML, and attachments. Finalizing sends
//! the invoice to whoever pays it; a portal customer gets none; the
//! reminder schedule sends each step once and stops when paid; nothing is
//! lost while the server is down, sent twice after 4xx or kill -9, or
//! injected by a hostile name.

use crate::common;

use std::time::Duration;

use common::Book;
use common::smtp::{Smtp, available};

/// A book whose config sends mail to `smtp`, with a public base URL.
fn mail_book(smtp: &Smtp) -> Book {
    let b = Book::new();
    write_config(&b, &smtp.config());
    b
}

fn write_config(b: &Book, mail: &str) {
    let dir = b.dir.path().join("xdg-config/tally");
    std::fs::create_dir_all(&dir).expect("config dir");
    std::fs::write(
        dir.join("config.toml"),
        format!(
            "[business]\nname = \"Lawn & Garden Pros\"\n\n[portal]\nbase_url = \"https://pay.lawn.example\"\n\n{mail}"
        ),
    )
    .expect("config");
}

fn smtp(test: &str, defer: u32) -> Option<(tempfile::TempDir, Smtp)> {
    if !available(test) {
        return None;
    }
    let dir = tempfile::tempdir().expect("tempdir");
    let s = Smtp::start(dir.path().join("box"), defer);
    Some((dir, s))
}

/// A book with `n` customers, each with a receipt queued while the
/// server was away; the server is back, nothing sent yet.
fn receipts_queued_while_away(s: &mut Smtp, n: usize) -> Book {
    let b = mail_book(s);
    s.stop();
    for i in 1..=n {
        let email = format!("c{i}@example.com");
        b.ok(&["customer", "add", &format!("C {i}"), "--email", &email]);
        b.ok(&["credit", &i.to_string(), "5"]);
    }
    s.start_again();
    b
}

/// A new customer with one invoice for `amount`, issued 2026-01-01 (due
/// 2026-01-31) without an email; customer and invoice ids match.
fn invoiced_quietly(b: &Book, name: &str, email: &str, amount: &str) {
    let id = b
        .ok(&["customer", "add", name, "--email", email])
        .trim()
        .to_string();
    b.ok(&[
        "charge",
        &id,
        amount,
        "--tax",
        "0",
        "--desc",
        "Spring cleanup",
    ]);
    let inv = b.ok(&["invoice", "draft", &id]).trim().to_string();
    b.ok(&[
        "invoice",
        "finalize",
        &inv,
        "--no-email",
        "--date",
        "2026-01-01",
    ]);
}

fn link_of(b: &Book, id: &str) -> String {
    b.ok(&["link", "show", id]).trim().to_string()
}

#[test]
fn finalizing_emails_the_invoice_to_whoever_pays_it() {
    let Some((_d, s)) = smtp("finalizing_emails_the_invoice", 0) else {
        return;
    };
    let b = mail_book(&s);
    b.ok(&["customer", "add", "Ann Lee", "--email", "ann@example.com"]);
    b.ok(&[
        "charge",
        "1",
        "1,234.50",
        "--tax",
        "0",
        "--desc",
        "Garden redesign",
    ]);
    b.ok(&["invoice", "draft", "1"]);
    let out = b.ok(&["invoice", "finalize", "1", "--date", "2026-11-01"]);
    assert!(
        out.contains("Invoice emailed to Ann Lee <ann@example.com>"),
        "{out}"
    );
    let got = s.received();
    assert_eq!(got.len(), 1);
    let m = &got[0];
    assert_eq!(m.rcpt, ["ann@example.com"]);
    assert_eq!(
        m.subject(),
        "Invoice INV-0001 from Lawn & Garden Pros: $1,234.50 due 2026-12-01"
    );
    assert_eq!(m.header("Reply-To"), Some("office@lawn.example"));
    let link = link_of(&b, "1");
    assert!(link.starts_with("https://pay.lawn.example/p/"), "{link}");
    for body in [&m.text, &m.html] {
        assert!(body.contains("$1,234.50"), "{body}");
        assert!(body.contains(&link), "{body}");
        assert!(body.contains("2026-12-01"), "{body}");
    }
    assert_eq!(m.attachments.len(), 1);
    assert_eq!(m.attachments[0].0, "INV-0001.html");
    assert!(m.attachments[0].1.contains("Garden redesign"));

    // Portal delivery: no email, and the command says why.
    b.ok(&["customer", "add", "Bo Portal", "--email", "bo@example.com"]);
    b.ok(&["customer", "edit", "2", "--portal", "true"]);
    b.ok(&["charge", "2", "10", "--tax", "0"]);
    b.ok(&["invoice", "draft", "2"]);
    let out = b.ok(&["invoice", "finalize", "2"]);
    assert!(out.contains("takes invoices on their page"), "{out}");

    // --no-email: none either.
    b.ok(&["charge", "1", "5", "--tax", "0"]);
    b.ok(&["invoice", "draft", "1"]);
    b.ok(&["invoice", "finalize", "3", "--no-email"]);

    // Billed to the parent: to the parent's primary contact.
    b.ok(&[
        "customer",
        "add",
        "Acme Agency",
        "--email",
        "desk@acme.example",
    ]);
    b.ok(&[
        "contact",
        "add",
        "3",
        "Pat Payables",
        "--email",
        "ap@acme.example",
        "--primary",
    ]);
    b.ok(&[
        "customer",
        "add",
        "Unit 7",
        "--email",
        "unit7@example.com",
        "--parent",
        "3",
        "--bill-parent",
    ]);
    b.ok(&["charge", "4", "80", "--tax", "0", "--desc", "Unit 7 mowing"]);
    b.ok(&["invoice", "draft", "4"]);
    b.ok(&["invoice", "finalize", "4"]);
    let got = s.received();
    assert_eq!(
        got.len(),
        2,
        "{:?}",
        got.iter().map(|m| m.subject()).collect::<Vec<_>>()
    );
    let m = &got[1];
    assert_eq!(m.rcpt, ["ap@acme.example"]);
    assert!(m.text.starts_with("Hi Pat,"), "{}", m.text);
    assert!(m.text.contains("It is for Unit 7, billed to you."));
    assert!(m.text.contains(&link_of(&b, "3")));
}

#[test]
fn a_payment_gets_one_receipt() {
    let Some((_d, s)) = smtp("a_payment_gets_one_receipt", 0) else {
        return;
    };
    let b = mail_book(&s);
    b.ok(&["customer", "add", "Ann Lee", "--email", "ann@example.com"]);
    b.ok(&["charge", "1", "200", "--tax", "0"]);
    b.ok(&["invoice", "draft", "1"]);
    b.ok(&["invoice", "finalize", "1"]);
    b.ok(&["invoice", "pay", "1", "--amount", "150", "--method", "card"]);
    let got = s.received();
    assert_eq!(got.len(), 2);
    let r = &got[1];
    assert_eq!(
        r.subject(),
        "Receipt from Lawn & Garden Pros: $150.00 received"
    );
    assert!(r.text.contains("INV-0001"), "{}", r.text);
    assert!(r.text.contains("You owe now  $50.00"), "{}", r.text);
    // A credit on account is money received too.
    b.ok(&["credit", "1", "70"]);
    let got = s.received();
    assert_eq!(got.len(), 3);
    assert!(got[2].text.contains("Your credit"), "{}", got[2].text);
    assert!(got[2].text.contains("$20.00"), "{}", got[2].text);
}

#[test]
fn the_reminder_schedule_sends_each_step_once_and_stops_when_paid() {
    let Some((_d, s)) = smtp("the_reminder_schedule", 0) else {
        return;
    };
    let b = mail_book(&s);
    // Each invoiced on 2026-01-01, due 2026-01-31, not emailed.
    invoiced_quietly(&b, "Ann Lee", "ann@example.com", "300");
    // Nobody who owes nothing is reminded, ever.
    invoiced_quietly(&b, "Cy Credit", "cy@example.com", "40");
    b.ok(&["credit", "2", "40", "--date", "2026-01-02"]);
    // A paused customer is never reminded.
    invoiced_quietly(&b, "Di Paused", "di@example.com", "60");
    b.ok(&["customer", "edit", "3", "--invoices-paused", "true"]);
    let before = s.received().len();
    let mut day = chrono::NaiveDate::from_ymd_opt(2026, 2, 1).unwrap();
    while day <= chrono::NaiveDate::from_ymd_opt(2026, 4, 15).unwrap() {
        b.ok(&["reminders", "run", "--date", &day.to_string()]);
        day = day.succ_opt().unwrap();
    }
    let reminders: Vec<_> = s.received().into_iter().skip(before).collect();
    let to: Vec<_> = reminders.iter().map(|m| m.rcpt.join(",")).collect();
    assert!(to.iter().all(|t| t == "ann@example.com"), "{to:?}");
    let subjects: Vec<_> = reminders.iter().map(|m| m.subject().to_string()).collect();
    assert_eq!(
        subjects,
        [
            "Reminder from Lawn & Garden Pros: $300.00 past due",
            "Second reminder from Lawn & Garden Pros: $300.00 past due",
            "Final notice from Lawn & Garden Pros: $300.00 past due",
        ]
    );
    assert!(
        reminders[0].text.contains("INV-0001 (3 days late)"),
        "{}",
        reminders[0].text
    );
    assert!(reminders[2].text.contains(&link_of(&b, "1")));
    // On the timeline, so `report overdue` says when.
    let overdue = b.json(&["report", "overdue", "--json"]);
    assert!(overdue.to_string().contains("last_reminded"), "{overdue}");
    // A new invoice starts its own schedule; paying stops it.
    b.ok(&["charge", "1", "25", "--tax", "0"]);
    b.ok(&["invoice", "draft", "1"]);
    b.ok(&[
        "invoice",
        "finalize",
        "4",
        "--no-email",
        "--date",
        "2026-04-01",
    ]);
    b.ok(&["invoice", "pay", "1"]);
    b.ok(&["invoice", "pay", "4"]);
    let paid = s.received().len();
    for d in ["2026-05-04", "2026-05-20", "2026-06-30"] {
        b.ok(&["reminders", "run", "--date", d]);
    }
    assert_eq!(s.received().len(), paid, "no reminder after paying");
}

#[test]
fn with_the_server_down_nothing_is_lost_and_all_goes_once_it_is_back() {
    let Some((_d, mut s)) = smtp("with_the_server_down", 0) else {
        return;
    };
    let b = mail_book(&s);
    s.stop();
    for i in 1..=3 {
        let id = i.to_string();
        b.ok(&[
            "customer",
            "add",
            &format!("C {i}"),
            "--email",
            &format!("c{i}@example.com"),
        ]);
        b.ok(&["charge", &id, "10", "--tax", "0"]);
        b.ok(&["invoice", "draft", &id]);
        let out = b.run(&["invoice", "finalize", &id]);
        assert!(out.status.success());
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains("mail not sent"), "{err}");
    }
    let outbox = b.json(&["mail", "outbox", "--json"]);
    assert_eq!(outbox.as_array().unwrap().len(), 3, "{outbox}");
    assert!(
        outbox
            .as_array()
            .unwrap()
            .iter()
            .all(|m| m["state"] == "queued" && m["attempts"] == 0)
    );
    s.start_again();
    let out = b.ok(&["mail", "send"]);
    assert!(out.contains("3 sent"), "{out}");
    let mut to: Vec<_> = s.received().iter().map(|m| m.rcpt.join(",")).collect();
    to.sort();
    assert_eq!(to, ["c1@example.com", "c2@example.com", "c3@example.com"]);
    b.ok(&["mail", "send"]);
    assert_eq!(s.received().len(), 3);
}

#[test]
fn a_server_that_puts_a_message_off_gets_it_once_later() {
    let Some((_d, s)) = smtp("a_server_that_puts_a_message_off", 1) else {
        return;
    };
    let b = mail_book(&s);
    b.ok(&["customer", "add", "Ann Lee", "--email", "ann@example.com"]);
    b.ok(&["charge", "1", "10", "--tax", "0"]);
    b.ok(&["invoice", "draft", "1"]);
    b.ok(&["invoice", "finalize", "1"]);
    let outbox = b.json(&["mail", "outbox", "--json"]);
    assert_eq!(outbox[0]["state"], "queued", "{outbox}");
    assert_eq!(outbox[0]["attempts"], 1);
    assert!(
        outbox[0]["reply"].as_str().unwrap().contains("451"),
        "{outbox}"
    );
    // Not before its backoff (10 s) ...
    b.ok(&["mail", "send"]);
    assert_eq!(s.received().len(), 0);
    std::thread::sleep(Duration::from_secs(11));
    b.ok(&["mail", "send"]);
    b.ok(&["mail", "send"]);
    assert_eq!(s.received().len(), 1);
    assert_eq!(
        b.json(&["mail", "outbox", "--all", "--json"])[0]["state"],
        "sent"
    );
}

#[test]
fn killing_senders_never_delivers_a_message_twice() {
    let Some((_d, s)) = smtp("killing_senders_never_delivers_twice", 0) else {
        return;
    };
    let mut s = s;
    let b = receipts_queued_while_away(&mut s, 20);
    let mut n = 0;
    for round in 0..20u64 {
        let mut child = b
            .cmd()
            .args(["mail", "send"])
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .expect("send");
        std::thread::sleep(Duration::from_millis(15 + round * 7));
        let _ = child.kill();
        let _ = child.wait();
        n = s.received().len();
    }
    let _ = b.run(&["mail", "send"]);
    let got = s.received();
    let mut to: Vec<_> = got.iter().map(|m| m.rcpt.join(",")).collect();
    to.sort();
    let before = to.len();
    to.dedup();
    assert_eq!(to.len(), before, "a message was delivered twice");
    assert!(got.len() >= n);
    // What was not delivered is accounted for: sent, or shown as
    // possibly sent (never retried on its own).
    let outbox = b.json(&["mail", "outbox", "--all", "--json"]);
    let states: Vec<&str> = outbox
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["state"].as_str().unwrap())
        .collect();
    assert_eq!(states.len(), 20);
    let sent = states.iter().filter(|s| **s == "sent").count();
    assert!(sent <= got.len(), "{states:?}");
    assert!(
        states.iter().all(|s| *s == "sent" || *s == "sending"),
        "{states:?}"
    );
}

#[test]
fn two_senders_racing_send_each_message_once() {
    let Some((_d, s)) = smtp("two_senders_racing", 0) else {
        return;
    };
    let mut s = s;
    let b = receipts_queued_while_away(&mut s, 30);
    let senders: Vec<_> = (0..3)
        .map(|_| b.cmd().args(["mail", "send"]).spawn().expect("send"))
        .collect();
    for mut c in senders {
        c.wait().expect("wait");
    }
    let got = s.received();
    let mut to: Vec<_> = got.iter().map(|m| m.rcpt.join(",")).collect();
    to.sort();
    to.dedup();
    assert_eq!(got.len(), 30);
    assert_eq!(to.len(), 30);
}

#[test]
fn hostile_names_cannot_add_headers_and_are_escaped() {
    let Some((_d, s)) = smtp("hostile_names", 0) else {
        return;
    };
    let b = mail_book(&s);
    b.ok(&["customer", "add", "Someone"]);
    b.refused(
        &[
            "customer",
            "add",
            "X",
            "--email",
            "a@b.co\r\nBcc: victim@example.com",
        ],
        "is not an email address",
    );
    b.refused(
        &["customer", "add", "X", "--email", "a@b.co,c@d.co"],
        "is not an email address",
    );
    b.ok(&[
        "customer",
        "add",
        "Eve\r\nBcc: victim@example.com <script>alert(1)</script>",
        "--email",
        "eve@example.com",
    ]);
    b.ok(&[
        "charge",
        "2",
        "10",
        "--tax",
        "0",
        "--desc",
        "<img src=x onerror=alert(1)>\r\nX-Evil: 1",
    ]);
    b.ok(&["invoice", "draft", "2"]);
    b.ok(&["invoice", "finalize", "1"]);
    let got = s.received();
    assert_eq!(got.len(), 1);
    let m = &got[0];
    assert_eq!(m.rcpt, ["eve@example.com"]);
    assert!(m.header("Bcc").is_none(), "{:?}", m.headers);
    assert!(m.header("X-Evil").is_none());
    assert!(
        !m.raw_headers.to_lowercase().contains("\r\nbcc:"),
        "{}",
        m.raw_headers
    );
    assert!(!m.html.contains("<script>"), "{}", m.html);
    let invoice = &m.attachments[0].1;
    assert!(!invoice.contains("<img src=x"), "{invoice}");
    assert!(invoice.contains("&lt;img src=x"), "{invoice}");
}

#[test]
fn mail_test_reports_the_servers_answer_and_a_statement_goes_on_demand() {
    let Some((_d, s)) = smtp("mail_test", 0) else {
        return;
    };
    let b = mail_book(&s);
    // Before there is a book: trying the server needs only the config.
    let out = b.ok(&["mail", "test", "owner@example.com"]);
    assert!(out.contains("250"), "{out}");
    assert!(!b.db.exists(), "mail test made a book");
    b.ok(&["customer", "add", "Ann Lee", "--email", "ann@example.com"]);
    b.refused(
        &["mail", "test", "not-an-address"],
        "is not an email address",
    );
    b.ok(&["charge", "1", "42", "--tax", "0"]);
    let out = b.ok(&["statement", "1", "--email"]);
    assert!(
        out.contains("Statement emailed to Ann Lee <ann@example.com>"),
        "{out}"
    );
    let got = s.received();
    assert_eq!(got.len(), 2);
    assert_eq!(got[0].rcpt, ["owner@example.com"]);
    assert!(
        got[1].text.contains("Amount due  $42.00"),
        "{}",
        got[1].text
    );
    assert!(got[1].attachments[0].0.starts_with("statement-"));
}

/// Two reminder runs at once (say the full screen opening while a cron
/// job runs) send each step once: the steps are read and recorded in the
/// same transaction as the message.
#[test]
fn racing_reminder_runs_send_each_step_once() {
    let Some((_d, s)) = smtp("racing_reminder_runs", 0) else {
        return;
    };
    let b = mail_book(&s);
    for i in 1..=8 {
        invoiced_quietly(&b, &format!("C {i}"), &format!("c{i}@example.com"), "50");
    }
    for day in ["2026-02-04", "2026-02-20", "2026-03-05"] {
        let runs: Vec<_> = (0..3)
            .map(|_| {
                b.cmd()
                    .args(["reminders", "run", "--date", day])
                    .stdout(std::process::Stdio::null())
                    .spawn()
                    .expect("run")
            })
            .collect();
        for mut r in runs {
            assert!(r.wait().expect("wait").success());
        }
    }
    b.ok(&["mail", "send"]);
    let got = s.received();
    assert_eq!(
        got.len(),
        8 * 3,
        "{:?}",
        got.iter().map(|m| m.subject()).collect::<Vec<_>>()
    );
    for i in 1..=8 {
        let to = format!("c{i}@example.com");
        let mine: Vec<_> = got.iter().filter(|m| m.rcpt == [to.clone()]).collect();
        assert_eq!(mine.len(), 3, "{to}");
    }
}

/// `billing run` sends the reminders the schedule has due on its date.
#[test]
fn billing_run_sends_the_reminders_due() {
    let Some((_d, s)) = smtp("billing_run_sends_reminders", 0) else {
        return;
    };
    let b = mail_book(&s);
    invoiced_quietly(&b, "Ann Lee", "ann@example.com", "300");
    let out = b.ok(&["billing", "run", "--date", "2026-02-20"]);
    assert!(out.contains("firm reminder for INV-0001 queued"), "{out}");
    let got = s.received();
    assert_eq!(got.len(), 1);
    assert_eq!(
        got[0].subject(),
        "Second reminder from Lawn & Garden Pros: $300.00 past due"
    );
}
