//! `tally customer merge` and `archive`: one person entered twice becomes
//! one customer with everything both had, and a customer who is done is
//! hidden from lists while their history stays.

use crate::common;

use common::Book;

/// Customer 1 (Ann, with an invoice, a link and a contact) and customer 2
/// (ANN, another email and phone, a charge, a link and a sub-client).
fn two_anns() -> Book {
    let b = Book::new();
    b.ok(&["customer", "add", "Ann Lee", "--email", "ann@example.com"]);
    b.ok(&["charge", "1", "100", "--tax", "0"]);
    b.ok(&["invoice", "draft", "1"]);
    b.ok(&["invoice", "finalize", "1"]);
    b.ok(&["link", "generate", "1"]);
    b.ok(&["contact", "add", "1", "Bo Lee", "--primary"]);
    b.run(&[
        "customer",
        "add",
        "ANN LEE",
        "--email",
        "billing@lee.example",
        "--phone",
        "555-0101",
    ]);
    b.ok(&["charge", "2", "40", "--tax", "0"]);
    b.ok(&["credit", "2", "15"]);
    b.ok(&["link", "generate", "2"]);
    b.ok(&["customer", "add", "Lee Kids", "--parent", "2"]);
    b
}

#[test]
fn a_merge_moves_everything_and_keeps_every_way_to_reach_them() {
    let b = two_anns();
    let out = b.ok(&["customer", "merge", "2", "1"]);
    assert!(out.contains("balance -$100.00 → -$125.00"), "{out}");
    assert!(
        out.contains("Customer 2's payment link no longer works"),
        "{out}"
    );
    let one = b.json(&["customer", "show", "1", "--json"]);
    assert_eq!(one["balance"], "-125.00");
    assert_eq!(
        one["email"], "ann@example.com",
        "the one that stays keeps its own"
    );
    assert_eq!(one["phone"], "555-0101", "taken where it had none");
    let history = b.json(&["history", "1", "--json"]);
    assert_eq!(history.as_array().unwrap().len(), 3, "{history}");
    let contacts = b.ok(&["contact", "list", "1"]);
    assert!(contacts.contains("billing@lee.example"), "{contacts}");
    assert!(contacts.contains("Bo Lee"), "{contacts}");
    let kids = b.json(&["customer", "show", "3", "--json"]);
    assert_eq!(kids["parent_id"], 1, "sub-clients follow");
    let timeline = b.ok(&["timeline", "1"]);
    assert!(
        timeline.contains("merged customer 2 ANN LEE into this one"),
        "{timeline}"
    );
    assert!(
        timeline.contains("created ANN LEE"),
        "the other's timeline moved too"
    );
    b.refused(&["customer", "show", "2"], "customer 2 not found");
    b.ok(&["check"]);
}

#[test]
fn a_merge_that_cannot_be_is_refused_and_changes_nothing() {
    let b = two_anns();
    b.refused(
        &["customer", "merge", "1", "1"],
        "cannot be merged into itself",
    );
    b.refused(
        &["customer", "merge", "2", "3"],
        "merge the sub-client into its parent",
    );
    b.refused(&["customer", "merge", "9", "1"], "customer 9 not found");
    assert_eq!(
        b.json(&["customer", "list", "--json"])
            .as_array()
            .unwrap()
            .len(),
        3
    );
    b.ok(&["check"]);
}

#[test]
fn an_archived_customer_leaves_the_lists_until_they_owe_again() {
    let b = Book::new();
    b.ok(&["customer", "add", "Done Deal"]);
    b.ok(&["customer", "add", "Still Here"]);
    b.ok(&["charge", "1", "10", "--tax", "0"]);
    b.refused(
        &["customer", "archive", "1"],
        "owes 10.00: only a customer with a zero balance",
    );
    b.ok(&["credit", "1", "10"]);
    b.ok(&["customer", "archive", "1"]);
    let names = |args: &[&str]| -> Vec<String> {
        b.json(args)
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c["name"].as_str().unwrap().to_string())
            .collect()
    };
    assert_eq!(names(&["customer", "list", "--json"]), ["Still Here"]);
    assert_eq!(
        names(&["customer", "list", "--json", "--search", "Done"]),
        Vec::<String>::new()
    );
    assert_eq!(
        names(&["customer", "list", "--json", "--archived"]),
        ["Done Deal"]
    );
    assert_eq!(
        b.json(&["customer", "show", "1", "--json"])["archived"],
        true
    );
    // Owing again, they are listed again: nothing owed is ever hidden.
    b.ok(&["charge", "1", "5", "--tax", "0"]);
    assert_eq!(names(&["customer", "list", "--json"]).len(), 2);
    b.ok(&["credit", "1", "5"]);
    // Restored by name, though no list shows them.
    b.ok(&["customer", "restore", "Done"]);
    assert_eq!(names(&["customer", "list", "--json"]).len(), 2);
    b.ok(&["check"]);
}
