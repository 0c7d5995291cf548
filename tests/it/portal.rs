//! The payment page end to end: `tally link` makes the link, `tally portal
//! serve` answers it, and each state of seed 001 is asserted on the HTML the
//! real server sends, with its headers.

use crate::common;

use common::Book;
use common::web::{Response, Server, request};

const NASTY: &str = r#"<script>alert("x")</script> & 'Co'"#;

fn token_of(link: &str) -> String {
    link.trim().rsplit('/').next().expect("token").to_string()
}

/// A book with one customer and a link; returns the book and the token.
fn book_with_link(name: &str) -> (Book, String) {
    let book = Book::new();
    book.ok(&["customer", "add", name]);
    let link = book.ok(&["link", "generate", "1"]);
    (book, token_of(&link))
}

fn assert_hardened(r: &Response) {
    assert_eq!(r.header("cache-control"), Some("no-store"));
    assert_eq!(r.header("referrer-policy"), Some("no-referrer"));
    assert_eq!(r.header("x-content-type-options"), Some("nosniff"));
    let csp = r.header("content-security-policy").expect("csp");
    for part in [
        "default-src 'none'",
        "script-src 'self'",
        "style-src 'self'",
        "frame-ancestors 'none'",
    ] {
        assert!(csp.contains(part), "{csp}");
    }
    assert!(!csp.contains("unsafe-inline"), "{csp}");
}

#[test]
fn the_page_follows_the_book_through_settled_credit_and_owing() {
    let (book, token) = book_with_link("Ann Lee");
    let server = Server::start(&book);
    let page = format!("/p/{token}");

    let r = server.get(&page);
    assert_eq!(r.status, 200);
    assert_hardened(&r);
    assert!(
        r.body
            .contains("You're all set! You have no outstanding balance."),
        "{}",
        r.body
    );
    assert!(!r.body.contains("Add a tip"));

    // The same running server sees each change as soon as it is saved.
    book.ok(&["credit", "1", "25", "--desc", "Prepaid"]);
    let r = server.get(&page);
    assert!(r.body.contains("Account credit: $25.00"), "{}", r.body);
    assert!(!r.body.contains("Add a tip") && !r.body.contains("Save card"));

    book.ok(&[
        "charge",
        "1",
        "175",
        "--tax",
        "10.50",
        "--desc",
        "Spring cleanup",
    ]);
    let r = server.get(&page);
    assert!(r.body.contains("Amount due"));
    assert!(r.body.contains(r#"id="balance">$160.50<"#), "{}", r.body);
    assert!(r.body.contains("View recent charges"));
    assert!(r.body.contains("Spring cleanup") && r.body.contains("Tax $10.50"));
    assert!(r.body.contains("Save card for future payments"));
    assert!(r.body.contains("automated payment reminders (SMS)"));
    assert!(r.body.contains("Online payment is not active yet."));
    assert!(
        r.body.contains("<fieldset disabled>"),
        "the card form takes nothing"
    );
}

#[test]
fn tips_are_exact_and_work_without_javascript() {
    let (book, token) = book_with_link("Ann Lee");
    book.ok(&["charge", "1", "100.10"]);
    let server = Server::start(&book);

    let r = server.get(&format!("/p/{token}"));
    for (pct, tip, total) in [
        ("0", "$0.00", "$100.10"),
        ("18", "$18.02", "$118.12"),
        ("20", "$20.02", "$120.12"),
        ("25", "$25.03", "$125.13"),
    ] {
        let radio = format!(r#"value="{pct}" data-tip="{tip}" data-total="{total}""#);
        assert!(r.body.contains(&radio), "missing {radio}");
    }
    assert!(
        r.body
            .contains(r#"value="0" data-tip="$0.00" data-total="$100.10" checked"#),
        "No tip is the default"
    );
    assert!(r.body.contains(r#"id="total">$100.10<"#));

    // Without JavaScript the form submits ?tip=N and the server totals it.
    let r = server.get(&format!("/p/{token}?tip=18"));
    assert!(r.body.contains(r#"data-total="$118.12" checked"#));
    assert!(r.body.contains(r#"id="tip-amount">$18.02<"#));
    assert!(r.body.contains(r#"id="total">$118.12<"#));
    assert!(r.body.contains(r#"id="pay-total">$118.12<"#));
    assert!(r.body.contains(r#"<form method="get" class="tips">"#));
    assert!(r.body.contains("<noscript><button type=\"submit\""));

    // A tip that is not offered is no tip, never an error page.
    let r = server.get(&format!("/p/{token}?tip=99"));
    assert_eq!(r.status, 200);
    assert!(r.body.contains(r#"id="total">$100.10<"#));
}

#[test]
fn recent_charges_show_the_last_twenty_items_newest_first() {
    let (book, token) = book_with_link("Ann Lee");
    for day in 1..=25 {
        let date = format!("2026-03-{day:02}");
        book.ok(&[
            "charge",
            "1",
            "10",
            "--desc",
            &format!("Visit {day}"),
            "--date",
            &date,
        ]);
    }
    book.ok(&[
        "credit",
        "1",
        "5",
        "--desc",
        "Coupon",
        "--date",
        "2026-03-26",
    ]);
    let server = Server::start(&book);
    let r = server.get(&format!("/p/{token}"));
    let items = r.body.matches("<li class=\"is-").count();
    assert_eq!(items, 20);
    assert!(r.body.contains("Coupon") && r.body.contains("-$5.00"));
    assert!(r.body.contains("Visit 7") && !r.body.contains("Visit 6<"));
    assert!(
        r.body.find("Coupon") < r.body.find("Visit 25"),
        "newest first"
    );
}

#[test]
fn names_and_descriptions_are_escaped() {
    let (book, token) = book_with_link(NASTY);
    book.ok(&["charge", "1", "10", "--desc", NASTY]);
    book.ok(&["invoice", "draft", "1"]);
    book.ok(&["invoice", "finalize", "1"]);
    let server = Server::start(&book);
    for path in [format!("/p/{token}"), format!("/p/{token}/invoices/1")] {
        let r = server.get(&path);
        assert_eq!(r.status, 200, "{path}");
        assert!(!r.body.contains("<script>alert"), "{path}: {}", r.body);
        assert!(!r.body.contains("\"x\""));
        assert!(
            r.body
                .contains("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;Co&#39;"),
            "{path}"
        );
    }
}

#[test]
fn open_invoices_are_listed_and_viewable_and_nothing_else_is() {
    let book = Book::new();
    book.ok(&["customer", "add", "Ann Lee"]);
    book.ok(&["customer", "add", "Bo Chen"]);
    let token = token_of(&book.ok(&["link", "generate", "1"]));
    book.ok(&["charge", "1", "80", "--desc", "Mowing"]);
    book.ok(&["invoice", "draft", "1"]); // 1: finalized below
    book.ok(&["invoice", "finalize", "1"]);
    book.ok(&["charge", "1", "40", "--desc", "Edging"]);
    book.ok(&["invoice", "draft", "1"]); // 2: stays a draft
    book.ok(&["charge", "2", "60"]);
    book.ok(&["invoice", "draft", "2"]); // 3: Bo's
    book.ok(&["invoice", "finalize", "3"]);
    let server = Server::start(&book);

    let r = server.get(&format!("/p/{token}"));
    assert!(
        r.body.contains(&format!(
            r#"href="/p/{token}/invoices/1">Invoice INV-0001</a>"#
        )),
        "{}",
        r.body
    );
    assert!(!r.body.contains("INV-0002") && !r.body.contains("/invoices/2"));

    let r = server.get(&format!("/p/{token}/invoices/1"));
    assert_eq!(r.status, 200);
    assert_hardened(&r);
    assert!(r.body.contains("Invoice INV-0001") && r.body.contains("Mowing"));
    assert!(
        r.body
            .contains(r#"<link rel="stylesheet" href="/assets/invoice.css"/>"#)
    );
    assert!(
        !r.body.contains("<style>"),
        "the CSP allows no inline styles"
    );
    assert!(
        r.body.contains(&format!("/p/{token}")),
        "the page links back to pay"
    );

    // An exported open invoice carries the same link to pay.
    let exported = book.ok(&["invoice", "export", "INV-0001"]);
    assert!(exported.contains(&format!("/p/{token}\"")), "{exported}");

    let missing = server.get(&format!("/p/{token}/invoices/999")).body;
    for hidden in ["2", "3", "abc"] {
        let r = server.get(&format!("/p/{token}/invoices/{hidden}"));
        assert_eq!((r.status, &r.body), (404, &missing), "invoice {hidden}");
    }
    book.ok(&["invoice", "pay", "1"]);
    assert_eq!(
        server.get(&format!("/p/{token}/invoices/1")).status,
        404,
        "paid invoices leave the page"
    );
}

#[test]
fn regenerating_kills_the_old_link_and_unknown_and_revoked_look_the_same() {
    let (book, old) = book_with_link("Ann Lee");
    let server = Server::start(&book);
    assert_eq!(server.get(&format!("/p/{old}")).status, 200);

    let new = token_of(&book.ok(&["link", "regenerate", "1"]));
    assert_ne!(new, old);
    assert_eq!(token_of(&book.ok(&["link", "show", "1"])), new);
    assert_eq!(server.get(&format!("/p/{new}")).status, 200);

    let revoked = server.get(&format!("/p/{old}"));
    let unknown = server.get(&format!("/p/{}", "A".repeat(43)));
    let junk = server.get("/p/not-a-token");
    assert_eq!(revoked.status, 404);
    assert_hardened(&revoked);
    assert_eq!(revoked.body, unknown.body);
    assert_eq!(revoked.body, junk.body);
    assert_eq!(unknown.status, 404);
    assert!(revoked.body.contains("Link not found"));
}

#[test]
fn assets_are_served_with_their_types_and_nothing_but_get_is_accepted() {
    let (book, token) = book_with_link("Ann Lee");
    let server = Server::start(&book);
    for (path, kind) in [
        ("/assets/portal.css", "text/css"),
        ("/assets/portal.js", "text/javascript"),
        ("/assets/invoice.css", "text/css"),
    ] {
        let r = server.get(path);
        assert_eq!(r.status, 200, "{path}");
        assert!(
            r.header("content-type")
                .is_some_and(|t| t.starts_with(kind)),
            "{path}"
        );
        assert_hardened(&r);
    }
    assert_eq!(server.get("/assets/../Cargo.toml").status, 404);
    assert_eq!(server.get("/").status, 404);
    assert_eq!(
        request(&server.addr, "POST", &format!("/p/{token}")).status,
        405
    );
}

#[test]
fn a_client_guessing_links_is_turned_away_but_others_are_not() {
    let (book, token) = book_with_link("Ann Lee");
    let server = Server::start(&book);
    for i in 0..20 {
        assert_eq!(server.get(&format!("/p/guess{i}")).status, 404);
    }
    let r = server.get(&format!("/p/{token}"));
    assert_eq!(
        r.status, 429,
        "even a real link, from a client that guessed"
    );
    assert!(r.body.contains("Too many tries"));
    assert_hardened(&r);
    let wait: u64 = r
        .header("retry-after")
        .and_then(|v| v.parse().ok())
        .expect("Retry-After in seconds");
    assert!((1..=600).contains(&wait), "{wait}");
}

#[test]
fn a_repeated_tip_is_treated_like_an_unknown_tip() {
    let (book, token) = book_with_link("Ann Lee");
    book.ok(&["charge", "1", "100", "--tax", "0"]);
    let server = Server::start(&book);
    let plain = server.get(&format!("/p/{token}"));
    for q in ["?tip=18&tip=25", "?tip=7", "?tip=%ZZ", "?tip"] {
        let r = server.get(&format!("/p/{token}{q}"));
        assert_eq!(r.status, 200, "{q}: {}", r.body);
        assert_eq!(r.body, plain.body, "{q} shows the page with no tip");
    }
}

#[test]
fn generate_refuses_a_second_link_and_show_refuses_none() {
    let book = Book::new();
    book.ok(&["customer", "add", "Ann Lee"]);
    book.refused(
        &["link", "show", "1"],
        "has no payment link yet: `tally link generate 1`",
    );
    book.refused(&["link", "regenerate", "1"], "has no payment link yet");
    book.refused(&["link", "copy", "1"], "has no payment link yet");
    book.refused(&["link", "generate", "7"], "customer 7 not found");
    let link = book.ok(&["link", "generate", "1"]);
    assert!(link.starts_with("http://127.0.0.1:8080/p/"), "{link}");
    book.refused(&["link", "generate", "1"], "already has a payment link");
    let timeline = book.ok(&["timeline", "1"]);
    assert!(timeline.contains("link.generated"));
    assert!(
        !timeline.contains(&token_of(&link)),
        "the token is a secret: not in the timeline"
    );
}

#[test]
fn the_page_links_a_statement_that_shows_only_this_customer() {
    let book = Book::new();
    book.ok(&["customer", "add", NASTY]);
    book.ok(&["customer", "add", "Bo Chen"]);
    let token = token_of(&book.ok(&["link", "generate", "1"]));
    book.ok(&["charge", "1", "80", "--tax", "0", "--desc", "Mowing"]);
    book.ok(&["credit", "1", "30", "--desc", "Deposit"]);
    book.ok(&["charge", "2", "999", "--desc", "Bo's patio"]);
    let server = Server::start(&book);
    let page = server.get(&format!("/p/{token}"));
    assert!(
        page.body.contains(&format!(
            r#"<a href="/p/{token}/statement">Download statement</a>"#
        )),
        "{}",
        page.body
    );
    let r = server.get(&format!("/p/{token}/statement"));
    assert_eq!(r.status, 200);
    assert_hardened(&r);
    assert!(
        r.body.contains("Statement of account")
            && r.body.contains("Mowing")
            && r.body.contains("Deposit")
    );
    assert!(
        r.body.contains("Amount due</td><td class=\"num\">$50.00"),
        "{}",
        r.body
    );
    // The customer's sign under the page's "Amount due": the charge raises
    // what they owe, the deposit lowers it, the closing balance is $50.00.
    assert!(
        r.body.contains("<td class=\"num\">$80.00</td>")
            && r.body.contains("<td class=\"num\">-$30.00</td>")
            && r.body.contains("<strong>$50.00</strong>")
            && !r.body.contains("-$50.00")
            && !r.body.contains("-$80.00"),
        "{}",
        r.body
    );
    assert!(
        !r.body.contains("Bo&#39;s patio") && !r.body.contains("999"),
        "only this customer"
    );
    assert!(r.body.contains("&lt;script&gt;") && !r.body.contains("<script>"));
    assert!(
        !r.body.contains("<style>"),
        "the stylesheet is linked, as the CSP requires"
    );
    assert!(
        r.body
            .contains(&format!(r#"href="http://127.0.0.1:8080/p/{token}""#))
            || r.body.contains("Back to your balance")
    );
    let missing = server.get("/p/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA/statement");
    assert_eq!(missing.status, 404);
}
