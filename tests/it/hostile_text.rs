//! Stored text never drives the reader's terminal: every case of the
//! hostile-text catalogue (`common::hostile`) goes through every command
//! that prints stored text, as plain text, JSON, a text export and HTML.
//! Plain output shows it escaped; JSON keeps it exactly (and escaped);
//! HTML escapes it; the book keeps it faithfully.

use crate::common;

use common::Book;
use common::hostile::{CASES, name, unsafe_chars};

fn assert_safe(what: &str, bytes: &[u8]) {
    let text = String::from_utf8_lossy(bytes);
    let bad = unsafe_chars(&text);
    assert!(bad.is_empty(), "{what} wrote {bad:?}:\n{text}");
}

/// A book with one customer per case, each with a charge described by the
/// case, on a finalized invoice, and a payment link.
fn hostile_book() -> Book {
    let b = Book::new();
    for (i, (_, text)) in CASES.iter().enumerate() {
        let id = (i + 1).to_string();
        b.ok(&[
            "customer",
            "add",
            &name(i),
            "--address",
            text,
            "--allow-duplicate",
        ]);
        b.ok(&["charge", &id, "1", "--tax", "0", "--desc", text]);
        b.ok(&["invoice", "draft", &id]);
        b.ok(&["invoice", "finalize", &id]);
        b.ok(&["link", "generate", &id]);
    }
    b
}

#[test]
fn every_plain_command_shows_stored_text_escaped() {
    let b = hostile_book();
    let mut commands: Vec<Vec<String>> = vec![
        vec!["customer".into(), "list".into()],
        vec!["invoice".into(), "list".into()],
    ];
    for i in 1..=CASES.len() {
        let id = i.to_string();
        for args in [
            vec!["customer", "show", &id],
            vec!["history", &id],
            vec!["timeline", &id],
            vec!["invoice", "show", &id],
            vec!["invoice", "export", &id, "--format", "txt"],
            vec!["invoice", "export", &id, "--format", "html"],
            vec!["link", "show", &id],
        ] {
            commands.push(args.into_iter().map(String::from).collect());
        }
    }
    for args in &commands {
        let refs: Vec<&str> = args.iter().map(String::as_str).collect();
        let out = b.run(&refs);
        assert!(
            out.status.success(),
            "{refs:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        assert_safe(&format!("{refs:?}"), &out.stdout);
        assert_safe(&format!("{refs:?} stderr"), &out.stderr);
    }
    let listed = b.ok(&["customer", "list"]);
    assert!(
        listed.contains("\\x1b]52;c;aGk=\\x07"),
        "shown, visibly: {listed}"
    );
    assert!(listed.contains("\\u202eevil"), "{listed}");
}

#[test]
fn json_keeps_the_text_exactly_and_writes_no_raw_control() {
    let b = hostile_book();
    for (i, (case, text)) in CASES.iter().enumerate() {
        let id = (i + 1).to_string();
        let out = b.run(&["customer", "show", &id, "--json"]);
        assert_safe(case, &out.stdout);
        let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("valid json");
        assert_eq!(v["name"], name(i), "{case}: stored faithfully");
        let out = b.run(&["history", &id, "--json"]);
        assert_safe(case, &out.stdout);
        let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("valid json");
        // Descriptions are stored trimmed, otherwise exactly.
        assert_eq!(v[0]["description"], text.trim(), "{case}");
    }
}

#[test]
fn errors_that_quote_stored_text_are_escaped_too() {
    let b = Book::new();
    b.ok(&["customer", "add", &name(1), "--email", "a@x.com"]);
    let out = b.run(&["customer", "add", "Other", "--email", "a@x.com"]);
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.starts_with("error: email a@x.com is already used"),
        "{err}"
    );
    assert_safe("duplicate error", &out.stderr);
    assert!(err.contains("\\x1b]52"), "{err}");
}

#[test]
fn exports_to_a_file_are_escaped_like_the_terminal() {
    let b = hostile_book();
    for (i, (case, _)) in CASES.iter().enumerate() {
        for format in ["txt", "html"] {
            let out = b.dir.path().join(format!("inv{i}.{format}"));
            let id = (i + 1).to_string();
            b.ok(&[
                "invoice",
                "export",
                &id,
                "--format",
                format,
                "--out",
                out.to_str().expect("path"),
            ]);
            let written = std::fs::read(&out).expect("export written");
            assert_safe(&format!("{case} {format} file"), &written);
        }
    }
}

#[test]
fn ten_thousand_characters_are_refused_with_the_limit() {
    let b = Book::new();
    let long = "x".repeat(10_000);
    b.ok(&["customer", "add", "Ann"]);
    b.refused(&["customer", "add", &long], "at most 200");
    b.refused(&["charge", "1", "5", "--desc", &long], "at most 500");
}
