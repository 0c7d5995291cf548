//! Parents and sub-clients (seed 003): a parent lists its sub-clients with
//! their balances and a combined total, and a sub-client billed to its
//! parent gets invoices addressed to the parent, with the parent's link.

use crate::common;

use common::Book;

fn family() -> Book {
    let b = Book::new();
    b.ok(&[
        "customer",
        "add",
        "Oak Property Group",
        "--email",
        "ap@oak.example",
        "--address",
        "1 Main St",
    ]);
    b.ok(&[
        "customer",
        "add",
        "Oak Tower",
        "--parent",
        "1",
        "--bill-parent",
    ]);
    b.ok(&["customer", "add", "Oak Annex", "--parent", "1"]);
    b.ok(&["charge", "1", "10", "--tax", "0"]);
    b.ok(&["charge", "2", "250", "--tax", "0", "--desc", "Lobby plants"]);
    b.ok(&["charge", "3", "40", "--tax", "0"]);
    b
}

#[test]
fn a_parent_lists_its_sub_clients_and_their_combined_balance() {
    let b = family();
    let v = b.json(&["customer", "show", "1", "--json"]);
    let subs = v["sub_clients"].as_array().expect("sub-clients");
    let names: Vec<&str> = subs.iter().filter_map(|s| s["name"].as_str()).collect();
    assert_eq!(names, ["Oak Annex", "Oak Tower"]);
    assert_eq!(subs[1]["bill_to_parent"], true);
    assert_eq!(subs[1]["balance"], "-250.00");
    assert_eq!(v["combined_balance"], "-300.00");
    let plain = b.ok(&["customer", "show", "1"]);
    assert!(
        plain.contains("Oak Tower") && plain.contains("combined balance: -300.00"),
        "{plain}"
    );
    let tower = b.json(&["customer", "show", "2", "--json"]);
    assert_eq!(tower["sub_clients"], serde_json::json!([]));
    assert_eq!(tower["combined_balance"], "-250.00");
}

#[test]
fn a_sub_client_billed_to_its_parent_gets_invoices_addressed_to_the_parent() {
    let b = family();
    let parent_link = b.ok(&["link", "generate", "1"]).trim().to_string();
    let own_link = b.ok(&["link", "generate", "2"]).trim().to_string();
    b.ok(&["invoice", "draft", "2"]);
    b.ok(&["invoice", "finalize", "1"]);
    let text = b.ok(&["invoice", "export", "INV-0001", "--format", "txt"]);
    assert!(text.contains("Bill to: Oak Property Group"), "{text}");
    assert!(text.contains("for Oak Tower"), "{text}");
    assert!(
        text.contains("ap@oak.example") && text.contains("1 Main St"),
        "{text}"
    );
    assert!(
        text.contains(&format!("Pay online: {parent_link}")),
        "{text}"
    );
    assert!(!text.contains(&own_link), "{text}");
    let html = b.ok(&["invoice", "export", "INV-0001", "--format", "html"]);
    assert!(
        html.contains("<strong>Oak Property Group</strong>"),
        "{html}"
    );
    assert!(html.contains("for Oak Tower"), "{html}");
    assert!(html.contains(&parent_link), "{html}");
    // Not billed to the parent: addressed to itself.
    b.ok(&["invoice", "draft", "3"]);
    b.ok(&["invoice", "finalize", "2"]);
    let text = b.ok(&["invoice", "export", "INV-0002", "--format", "txt"]);
    assert!(
        text.contains("Bill to: Oak Annex") && !text.contains(" for "),
        "{text}"
    );
}

#[test]
fn a_parent_timeline_says_when_a_sub_client_joins_or_leaves() {
    let b = family();
    let actions = |id: &str| -> Vec<String> {
        b.json(&["timeline", id, "--json"])
            .as_array()
            .unwrap()
            .iter()
            .map(|e| {
                format!(
                    "{} {}",
                    e["action"].as_str().unwrap(),
                    e["detail"].as_str().unwrap()
                )
            })
            .collect()
    };
    assert!(
        actions("1")
            .contains(&"customer.sub_client_added sub-client Oak Tower (#2) added".to_string())
    );
    b.ok(&["customer", "add", "Elm Estates"]);
    b.ok(&["customer", "edit", "3", "--parent", "4"]);
    assert!(
        actions("1")
            .contains(&"customer.sub_client_removed sub-client Oak Annex (#3) left".to_string())
    );
    assert!(
        actions("4")
            .contains(&"customer.sub_client_added sub-client Oak Annex (#3) added".to_string())
    );
}

fn token_of(link: &str) -> String {
    link.trim()
        .rsplit('/')
        .next()
        .expect("a link ends in its token")
        .to_string()
}

/// Bill to parent, end to end: the parent is asked to pay for the
/// sub-client billed to it (page, statement, reminder, `customer show`),
/// each line naming the sub-client; the sub-client is never asked.
#[test]
fn the_parent_is_asked_to_pay_for_its_billed_sub_client_everywhere() {
    let b = family();
    let parent = token_of(&b.ok(&["link", "generate", "1"]));
    let tower = token_of(&b.ok(&["link", "generate", "2"]));
    b.ok(&["contact", "add", "1", "Maria Lopez", "--primary"]);
    b.ok(&["invoice", "draft", "2"]);
    b.ok(&["invoice", "finalize", "1"]);
    let server = common::web::Server::start(&b);
    // The parent's page: its own 10.00 and Oak Tower's 250.00.
    let page = server.get(&format!("/p/{parent}")).body;
    assert!(page.contains("id=\"balance\">$260.00<"), "{page}");
    assert!(
        page.contains("<dt>For Oak Tower</dt><dd>$250.00</dd>"),
        "{page}"
    );
    assert!(
        page.contains("<dt>Your account</dt><dd>$10.00</dd>"),
        "{page}"
    );
    assert!(
        page.contains("Invoice INV-0001</a>")
            && page.contains("<div class=\"whose\">for Oak Tower</div>"),
        "{page}"
    );
    assert!(!page.contains("You're all set"), "{page}");
    // The parent can open the sub-client's invoice; the sub-client cannot.
    let invoices = b.json(&["invoice", "list", "--json"]);
    let inv = invoices[0]["id"].to_string();
    assert_eq!(
        server.get(&format!("/p/{parent}/invoices/{inv}")).status,
        200
    );
    assert_eq!(
        server.get(&format!("/p/{tower}/invoices/{inv}")).status,
        404
    );
    // The sub-client's page says who pays, with no amount, tip or card form.
    let page = server.get(&format!("/p/{tower}")).body;
    assert!(
        page.contains("Your invoices are billed to Oak Property Group."),
        "{page}"
    );
    assert!(
        !page.contains("Amount due") && !page.contains("Add a tip"),
        "{page}"
    );
    // The parent's statement names the sub-client's lines and closes at
    // what the page asks; the sub-client's asks nothing.
    let statement = server.get(&format!("/p/{parent}/statement")).body;
    assert!(
        statement.contains("Charge for Oak Tower: Lobby plants"),
        "{statement}"
    );
    assert!(
        statement.contains("Amount due</td><td class=\"num\">$260.00"),
        "{statement}"
    );
    let statement = server.get(&format!("/p/{tower}/statement")).body;
    assert!(
        statement.contains("Billed to</td><td class=\"num\">Oak Property Group"),
        "{statement}"
    );
    assert!(!statement.contains("Pay online"), "{statement}");
    // A reminder for the sub-client goes to the parent: its contact, its link.
    let text = b.ok(&["link", "message", "2", "--no-copy"]);
    assert!(text.starts_with("Hi Maria,"), "{text}");
    assert!(
        text.contains("$250.00") && text.contains(&parent) && !text.contains(&tower),
        "{text}"
    );
    // The parent's own reminder asks for everything it is asked to pay.
    let text = b.ok(&["link", "message", "1", "--no-copy"]);
    assert!(text.contains("$260.00"), "{text}");
    let show = b.json(&["customer", "show", "1", "--json"]);
    assert_eq!(show["asked_to_pay"], "260.00", "{show}");
    assert_eq!(
        b.json(&["customer", "show", "2", "--json"])["asked_to_pay"],
        "0.00"
    );
}
