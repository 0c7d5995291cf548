//! The customer list and the customer screen: sorting, search, help,
//! entry and customer forms, colours, resizing.

use super::*;

#[test]
fn welcome_on_an_empty_book() {
    insta::assert_snapshot!(screen(&runner(false)));
}

#[test]
fn customers_sorted_by_who_owes_most() {
    insta::assert_snapshot!(screen(&runner(true)));
}

#[test]
fn customers_sorted_by_name_then_recent() {
    let mut r = runner(true);
    keys(&mut r, "s");
    insta::assert_snapshot!("customers_by_name", screen(&r));
    keys(&mut r, "s");
    assert!(screen(&r).contains("sort: recent"));
}

#[test]
fn search_filters_as_you_type() {
    let mut r = runner(true);
    keys(&mut r, "/an");
    insta::assert_snapshot!(screen(&r));
    keys(&mut r, "zz");
    assert!(screen(&r).contains("No customer matches \"anzz\""));
    press(&mut r, KeyCode::Esc);
    assert!(screen(&r).contains("12 customers"));
    assert!(!screen(&r).contains("search:"));
}

#[test]
fn help_lists_the_bindings_of_the_screen() {
    let mut r = runner(true);
    keys(&mut r, "?");
    insta::assert_snapshot!("help_customers", screen(&r));
    press(&mut r, KeyCode::Esc);
    press(&mut r, KeyCode::Enter);
    keys(&mut r, "?");
    insta::assert_snapshot!("help_customer", screen(&r));
    // The invoices tab has the most keys: on 26 rows they go in two
    // columns, and every one of them (and "any key closes") is visible.
    press(&mut r, KeyCode::Esc);
    press(&mut r, KeyCode::Tab);
    keys(&mut r, "?");
    let s = screen(&r);
    for key in [
        "copy a reminder text with the link",
        "any key closes",
        "save the invoice (HTML)",
    ] {
        assert!(s.contains(key), "{key} missing:\n{s}");
    }
    insta::assert_snapshot!("help_invoices", s);
}

#[test]
fn customer_screen_shows_breakdown_and_history() {
    let mut r = runner(true);
    press(&mut r, KeyCode::Enter);
    insta::assert_snapshot!(screen(&r));
}

#[test]
fn add_entry_form_opens_on_amount_as_a_charge() {
    let mut r = runner(true);
    press(&mut r, KeyCode::Enter);
    keys(&mut r, "a");
    insta::assert_snapshot!("add_charge_empty", screen(&r));
    ctrl(&mut r, 't');
    insta::assert_snapshot!("add_credit", screen(&r));
}

#[test]
fn invalid_entry_fields_are_marked_in_place_and_nothing_is_saved() {
    let mut r = runner(true);
    press(&mut r, KeyCode::Enter);
    let before = r
        .app
        .customer
        .as_ref()
        .unwrap()
        .page
        .as_ref()
        .unwrap()
        .count;
    keys(&mut r, "a");
    keys(&mut r, "abc");
    press(&mut r, KeyCode::Tab);
    press(&mut r, KeyCode::Tab);
    press(&mut r, KeyCode::Tab);
    ctrl(&mut r, 'u');
    keys(&mut r, "2026-02-30");
    press(&mut r, KeyCode::Enter);
    insta::assert_snapshot!(screen(&r));
    let id = r.app.customer.as_ref().unwrap().id;
    assert_eq!(r.book.reads().count_entries(id).unwrap() as usize, before);
}

#[test]
fn entry_detail_and_remove_confirmation() {
    let mut r = runner(true);
    press(&mut r, KeyCode::Enter);
    press(&mut r, KeyCode::Enter);
    insta::assert_snapshot!("entry_detail", screen(&r));
    keys(&mut r, "d");
    insta::assert_snapshot!("confirm_remove", screen(&r));
    keys(&mut r, "n");
    assert!(screen(&r).contains("Nothing changed"));
}

#[test]
fn customer_forms_warn_about_duplicates_before_saving() {
    let mut r = runner(true);
    keys(&mut r, "n");
    keys(&mut r, "ann lee");
    press(&mut r, KeyCode::Enter);
    insta::assert_snapshot!("new_customer_similar_name", screen(&r));
    press(&mut r, KeyCode::Esc);
    press(&mut r, KeyCode::Enter);
    keys(&mut r, "E");
    insta::assert_snapshot!("edit_customer", screen(&r));
}

#[test]
fn a_tiny_terminal_shows_a_notice() {
    let r = runner_sized(true, true, 40, 10);
    insta::assert_snapshot!(screen(&r));
}

#[test]
fn balances_are_red_when_owed_green_in_credit_and_dim_at_zero() {
    let r = runner(true);
    let t = draw(&r);
    let buf = t.backend().buffer();
    let fg_of = |needle: &str| {
        let y = (0..H)
            .find(|y| {
                (0..W)
                    .map(|x| buf[(x, *y)].symbol().to_string())
                    .collect::<String>()
                    .contains(needle)
            })
            .unwrap();
        let line: String = (0..W).map(|x| buf[(x, y)].symbol().to_string()).collect();
        let x = line.find('$').unwrap() as u16;
        (buf[(x, y)].fg, buf[(x, y)].modifier)
    };
    assert_eq!(fg_of("Hugo Martin").0, Color::Red);
    assert_eq!(fg_of("Grace Kim").0, Color::Green);
    let (fg, modifier) = fg_of("Elena Rossi");
    assert_eq!(fg, Color::Reset);
    assert!(modifier.contains(ratatui::style::Modifier::DIM));

    let plain = runner_sized(true, false, W, H);
    let t = draw(&plain);
    let colored = t
        .backend()
        .buffer()
        .content()
        .iter()
        .any(|c| c.fg != Color::Reset);
    assert!(!colored, "NO_COLOR: no foreground colours at all");
}

#[test]
fn adding_a_charge_with_keys_updates_history_balance_and_list_order() {
    let mut r = runner(true);
    // Ines Silva has no entries (balance 0); find her and charge her a lot.
    keys(&mut r, "/ines");
    press(&mut r, KeyCode::Enter);
    press(&mut r, KeyCode::Enter);
    keys(&mut r, "a");
    keys(&mut r, "5,000");
    press(&mut r, KeyCode::Tab);
    press(&mut r, KeyCode::Tab);
    keys(&mut r, "Landscape design");
    press(&mut r, KeyCode::Enter);
    let s = screen(&r);
    assert!(s.contains("Balance -$5,000.00"), "{s}");
    assert!(s.contains("Landscape design"), "{s}");
    assert!(
        s.contains("Charge #"),
        "status line says what happened: {s}"
    );
    // Back to the list (clear the search): she now owes the most, is first and selected.
    press(&mut r, KeyCode::Esc);
    press(&mut r, KeyCode::Esc);
    let first = r.app.list.rows.first().unwrap();
    assert_eq!(first.name, "Ines Silva");
    assert_eq!(
        r.app.selected_customer().map(|c| c.name.as_str()),
        Some("Ines Silva")
    );
    let id = first.id;
    assert_eq!(
        r.book.reads().recomputed_balance(id).unwrap().to_string(),
        "-5000.00"
    );
}

#[test]
fn editing_and_removing_an_entry_with_keys() {
    let mut r = runner(true);
    press(&mut r, KeyCode::Enter); // Hugo Martin, newest entry: Drainage fix 120
    let id = r.app.customer.as_ref().unwrap().id;
    keys(&mut r, "e");
    ctrl(&mut r, 'u');
    keys(&mut r, "150");
    press(&mut r, KeyCode::Enter);
    assert!(screen(&r).contains("-$150.00"));
    let newest = r.book.reads().history(id, 0, 1).unwrap().remove(0);
    assert_eq!(newest.amount.to_string(), "150.00");
    keys(&mut r, "d");
    keys(&mut r, "y");
    assert_eq!(r.book.reads().count_entries(id).unwrap(), 2);
    assert!(r.book.reads().balance_mismatches().unwrap().is_empty());
    assert_eq!(r.app.customer.as_ref().map(|v| v.id), Some(id));
    assert_eq!(id, CustomerId(8));
}

#[test]
fn resizing_keeps_state() {
    let mut r = runner(true);
    press(&mut r, KeyCode::Down);
    press(&mut r, KeyCode::Down);
    let selected = r.app.selected_customer().unwrap().id;
    r.event(Event::Resize(60, 14));
    assert_eq!(r.app.selected_customer().unwrap().id, selected);
    r.event(Event::Resize(30, 8));
    assert!(screen(&r).contains("too small"));
    r.event(Event::Resize(W, H));
    assert_eq!(r.app.selected_customer().unwrap().id, selected);
}

#[test]
fn an_unknown_parent_is_marked_on_its_field() {
    let mut r = runner(true);
    keys(&mut r, "n");
    keys(&mut r, "Zed Quill");
    for _ in 0..7 {
        press(&mut r, KeyCode::Tab);
    }
    keys(&mut r, "999");
    press(&mut r, KeyCode::Enter);
    let s = screen(&r);
    assert!(s.contains("customer 999 does not exist"), "{s}");
    assert_eq!(
        r.book.reads().count_customers(&None).unwrap(),
        12,
        "nothing saved"
    );
}
