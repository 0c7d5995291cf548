//! A customer's contacts from the command line: add, list, edit, remove,
//! one primary at a time, refusals that change nothing, the timeline, and
//! the reminder greeting the primary contact.

use crate::common;

use common::Book;

#[test]
fn contacts_are_added_listed_edited_and_removed_with_one_primary() {
    let b = Book::new();
    b.ok(&["customer", "add", "Green Lawns LLC"]);
    assert_eq!(
        b.ok(&[
            "contact",
            "add",
            "1",
            "Ann Lee",
            "--email",
            "ann@x.com",
            "--role",
            "Owner",
            "--primary"
        ])
        .trim(),
        "1"
    );
    assert_eq!(
        b.ok(&["contact", "add", "1", "Bob Stone", "--phone", "555-0102"])
            .trim(),
        "2"
    );
    let list = b.json(&["contact", "list", "1", "--json"]);
    assert_eq!(list[0]["name"], "Ann Lee");
    assert_eq!(list[0]["primary"], true);
    assert_eq!(list[1]["primary"], false);
    // Naming Bob primary takes the mark from Ann, in one step.
    b.ok(&[
        "contact",
        "edit",
        "2",
        "--primary",
        "true",
        "--role",
        "Accounts",
    ]);
    let list = b.json(&["contact", "list", "1", "--json"]);
    assert_eq!(
        (list[0]["name"].as_str(), list[0]["primary"].as_bool()),
        (Some("Bob Stone"), Some(true))
    );
    assert_eq!(list[1]["primary"], false);
    assert_eq!(
        b.ok(&["contact", "edit", "2", "--role", "Accounts"]).trim(),
        "Nothing changed"
    );
    b.ok(&["contact", "edit", "1", "--email", ""]);
    assert_eq!(
        b.json(&["contact", "list", "1", "--json"])[1]["email"],
        serde_json::Value::Null
    );
    let plain = b.ok(&["contact", "list", "1"]);
    assert!(
        plain.contains("Bob Stone") && plain.contains("Accounts"),
        "{plain}"
    );
    assert!(
        b.ok(&["contact", "remove", "1"])
            .contains("Removed contact 1 (Ann Lee)")
    );
    let timeline = b.ok(&["timeline", "1"]);
    for what in [
        "contact.added",
        "contact.edited",
        "contact.removed",
        "primary: false → true",
    ] {
        assert!(timeline.contains(what), "{what} missing:\n{timeline}");
    }
    b.ok(&["check"]);
}

#[test]
fn bad_contacts_are_refused_whole_and_change_nothing() {
    let b = Book::new();
    b.ok(&["customer", "add", "Ann"]);
    let err = b.refused(
        &["contact", "add", "1", " ", "--email", "nope"],
        "name is empty",
    );
    assert!(
        err.contains("is not an email address"),
        "every problem at once: {err}"
    );
    b.refused(&["contact", "add", "9", "Zed"], "customer 9 not found");
    b.refused(
        &["contact", "edit", "7", "--name", "X"],
        "contact 7 not found",
    );
    b.refused(&["contact", "remove", "7"], "contact 7 not found");
    assert_eq!(
        b.ok(&["contact", "list", "1"]).trim(),
        "No contacts for customer 1 yet."
    );
}

#[test]
fn the_reminder_greets_the_primary_contact() {
    let b = Book::new();
    b.ok(&["customer", "add", "Green Lawns LLC"]);
    b.ok(&["charge", "1", "150", "--tax", "0"]);
    b.ok(&["link", "generate", "1"]);
    let before = b.run(&["link", "message", "1"]);
    let text = String::from_utf8_lossy(&before.stdout).to_string();
    assert!(text.starts_with("Hi Green,"), "{text}");
    b.ok(&["contact", "add", "1", "Maria Lopez", "--primary"]);
    let after = b.run(&["link", "message", "1"]);
    let text = String::from_utf8_lossy(&after.stdout).to_string();
    assert!(text.starts_with("Hi Maria,"), "{text}");
}
