//! Every allowed and refused invoice transition, through the same use cases
//! the CLI and TUI call, with the message the owner sees and a check that a
//! refusal changed nothing.

use chrono::{TimeZone, Utc};
use rust_decimal::Decimal;
use tally::config::Config;
use tally::domain::customer::{BillingCycle, CustomerDetails, CustomerId};
use tally::domain::entry::{EntryId, EntryInput, EntryKind};
use tally::domain::invoice::{InvoiceId, InvoiceRef, InvoiceStatus};
use tally::ops::{Book, Clock, PaymentInput};
use tally::store::Store;

fn book_with(config: Config) -> Book {
    let store = Store::open_in_memory(&config.currency()).unwrap();
    let t = Utc.with_ymd_and_hms(2026, 11, 21, 12, 0, 0).unwrap();
    Book::with_store(store, config, "test").with_clock(Clock::Fixed(t))
}

fn book() -> Book {
    book_with(Config::default())
}

fn customer(book: &mut Book, name: &str) -> CustomerId {
    let d = CustomerDetails {
        name: name.into(),
        ..Default::default()
    };
    book.add_customer(d, true).unwrap()
}

fn charge(book: &mut Book, c: CustomerId, amount: &str, tax: &str, date: &str) -> EntryId {
    let input = EntryInput {
        amount: amount.into(),
        tax: Some(tax.into()),
        description: format!("work {amount}"),
        date: date.into(),
        method: String::new(),
    };
    book.post(c, EntryKind::Charge, &input).unwrap()
}

fn credit(book: &mut Book, c: CustomerId, amount: &str) -> EntryId {
    let input = EntryInput {
        amount: amount.into(),
        date: "2026-11-20".into(),
        ..Default::default()
    };
    book.post(c, EntryKind::Credit, &input).unwrap()
}

fn id(i: InvoiceId) -> InvoiceRef {
    InvoiceRef::Id(i)
}

fn d(s: &str) -> Decimal {
    s.parse().unwrap()
}

/// The identity of DESIGN §1 and the maintained balance, for one customer.
fn assert_identity(book: &Book, c: CustomerId) {
    let b = book.reads().breakdown(c).unwrap();
    assert_eq!(
        b.balance,
        b.available_credit - b.outstanding - b.uninvoiced,
        "{b:?}"
    );
    assert_eq!(b.balance, book.reads().recomputed_balance(c).unwrap());
}

/// A snapshot of everything a refusal must leave alone.
fn state(book: &Book, c: CustomerId) -> String {
    let r = book.reads();
    format!(
        "{:?}\n{:?}\n{:?}\n{:?}",
        r.breakdown(c).unwrap(),
        r.history(c, 0, 1000).unwrap(),
        r.invoices(&tally::store::InvoiceQuery {
            customer: Some(c),
            limit: 1000,
            ..Default::default()
        })
        .unwrap(),
        r.timeline(c, 0, 1000).unwrap().len(),
    )
}

fn refused(book: &mut Book, c: CustomerId, f: impl FnOnce(&mut Book) -> String) -> String {
    let before = state(book, c);
    let message = f(book);
    assert_eq!(before, state(book, c), "a refusal changed the book");
    message
}

#[test]
fn draft_finalize_locks_charges_and_numbers_from_one() {
    let mut b = book();
    let c = customer(&mut b, "Ann");
    let c1 = charge(&mut b, c, "100", "8.25", "2026-11-01");
    let c2 = charge(&mut b, c, "50", "0", "2026-11-02");
    let draft = b.draft_invoice(c, None).unwrap();
    let inv = b.invoice(&id(draft)).unwrap();
    assert_eq!(inv.status, InvoiceStatus::Draft);
    assert_eq!(inv.number, None);
    assert_eq!(inv.total, d("158.25"));
    assert_eq!(inv.lines, 2);
    // A charge on a draft can still be edited; the draft follows.
    let mut input = b.entry_input(&b.entry(c2).unwrap());
    input.amount = "60".into();
    b.edit_entry(c2, &input).unwrap();
    assert_eq!(b.invoice(&id(draft)).unwrap().total, d("168.25"));
    assert_identity(&b, c);

    let inv = b.finalize_invoice(&id(draft), None).unwrap();
    assert_eq!(inv.status, InvoiceStatus::Open);
    assert_eq!(inv.number.as_deref(), Some("INV-0001"));
    assert_eq!(inv.issue_date.unwrap().to_string(), "2026-11-21");
    assert_eq!(inv.due_date.unwrap().to_string(), "2026-12-21");
    assert_eq!(inv.remaining(), d("168.25"));
    let bd = b.reads().breakdown(c).unwrap();
    assert_eq!(
        (bd.outstanding, bd.uninvoiced),
        (d("168.25"), Decimal::ZERO)
    );
    assert_identity(&b, c);

    let msg = refused(&mut b, c, |b| {
        b.edit_entry(c1, &b.entry_input(&b.entry(c1).unwrap()))
            .unwrap_err()
            .to_string()
    });
    assert_eq!(
        msg,
        "charge 1 is on INV-0001, which is finalized: it cannot be edited or removed; correct it with a new credit (credit memo)"
    );
    let msg = refused(&mut b, c, |b| b.remove_entry(c1).unwrap_err().to_string());
    assert!(
        msg.starts_with("charge 1 is on INV-0001, which is finalized"),
        "{msg}"
    );

    // Found by number too, in any case.
    assert_eq!(
        b.invoice(&InvoiceRef::parse("inv-0001").unwrap())
            .unwrap()
            .id,
        draft
    );
    // The next one gets the next number.
    charge(&mut b, c, "10", "0", "2026-11-03");
    let second = b.draft_invoice(c, None).unwrap();
    let inv = b.finalize_invoice(&id(second), Some("2026-11-25")).unwrap();
    assert_eq!(inv.number.as_deref(), Some("INV-0002"));
    assert_eq!(inv.issue_date.unwrap().to_string(), "2026-11-25");
    assert_eq!(b.reads().invoice_seqs().unwrap(), [1, 2]);
}

#[test]
fn drafting_refuses_charges_that_are_not_open_and_this_customers() {
    let mut b = book();
    let c = customer(&mut b, "Ann");
    let other = customer(&mut b, "Bob");
    let open = charge(&mut b, c, "10", "0", "2026-11-01");
    let theirs = charge(&mut b, other, "10", "0", "2026-11-01");
    let paid_in = credit(&mut b, c, "5");
    let drafted = charge(&mut b, c, "20", "0", "2026-11-02");
    let draft = b.draft_invoice(c, Some(&[drafted])).unwrap();
    let cases: Vec<(Vec<EntryId>, String)> = vec![
        (
            vec![open, paid_in],
            "entry 3 is a credit: only charges go on an invoice".into(),
        ),
        (
            vec![theirs],
            "charge 2 belongs to customer 2, not customer 1".into(),
        ),
        (
            vec![drafted],
            format!(
                "charge 4 is already on draft {draft}: delete that draft first, or finalize it"
            ),
        ),
        (vec![EntryId(99)], "entry 99 not found".into()),
        (
            vec![],
            "no charges given: list charge ids like --charges 3,5,8".into(),
        ),
    ];
    for (ids, want) in cases {
        let msg = refused(&mut b, c, |b| {
            b.draft_invoice(c, Some(&ids)).unwrap_err().to_string()
        });
        assert_eq!(msg, want);
    }
    b.finalize_invoice(&id(draft), None).unwrap();
    let msg = refused(&mut b, c, |b| {
        b.draft_invoice(c, Some(&[drafted]))
            .unwrap_err()
            .to_string()
    });
    assert_eq!(msg, "charge 4 is already on INV-0001, which is finalized");
    // Draft the one open charge, then there is nothing left to draft.
    b.draft_invoice(c, None).unwrap();
    let msg = refused(&mut b, c, |b| {
        b.draft_invoice(c, None).unwrap_err().to_string()
    });
    assert_eq!(
        msg,
        "customer 1 has no open charges to invoice: every charge is already on an invoice"
    );
    assert_identity(&b, c);
}

#[test]
fn deleting_a_draft_returns_its_charges_and_only_drafts_can_be_deleted() {
    let mut b = book();
    let c = customer(&mut b, "Ann");
    charge(&mut b, c, "10", "0", "2026-11-01");
    let before = b.reads().breakdown(c).unwrap();
    let draft = b.draft_invoice(c, None).unwrap();
    b.delete_draft(&id(draft)).unwrap();
    assert_eq!(b.reads().breakdown(c).unwrap(), before);
    assert_eq!(b.reads().count_open_charges(c).unwrap(), 1);
    assert!(matches!(
        b.invoice(&id(draft)),
        Err(tally::ops::OpsError::NoInvoice(_))
    ));
    let again = b.draft_invoice(c, None).unwrap();
    b.finalize_invoice(&id(again), None).unwrap();
    let msg = refused(&mut b, c, |b| {
        b.delete_draft(&id(again)).unwrap_err().to_string()
    });
    assert_eq!(
        msg,
        "INV-0001 is open, not a draft: only a draft can be deleted"
    );
    let msg = refused(&mut b, c, |b| {
        b.finalize_invoice(&id(again), None)
            .unwrap_err()
            .to_string()
    });
    assert_eq!(
        msg,
        "INV-0001 is open, not a draft: only a draft can be finalized"
    );
}

#[test]
fn removing_a_drafts_last_charge_deletes_the_draft_so_none_is_ever_empty() {
    let mut b = book();
    let c = customer(&mut b, "Ann");
    let ch = charge(&mut b, c, "10", "0", "2026-11-01");
    let other = charge(&mut b, c, "5", "0", "2026-11-02");
    let draft = b.draft_invoice(c, None).unwrap();
    b.remove_entry(other).unwrap();
    assert_eq!(b.invoice(&id(draft)).unwrap().lines, 1, "still a draft");
    b.remove_entry(ch).unwrap();
    let msg = refused(&mut b, c, |b| {
        b.finalize_invoice(&id(draft), None)
            .unwrap_err()
            .to_string()
    });
    assert_eq!(msg, format!("invoice {draft} not found"));
    assert_eq!(b.reads().invoice_seqs().unwrap(), Vec::<i64>::new());
}

#[test]
fn payments_settle_partially_then_fully_and_never_overpay() {
    let mut b = book();
    let c = customer(&mut b, "Ann");
    charge(&mut b, c, "100", "0", "2026-11-01");
    let inv = b.draft_invoice(c, None).unwrap();
    let msg = refused(&mut b, c, |b| {
        b.pay_invoice(&id(inv), &PaymentInput::default())
            .unwrap_err()
            .to_string()
    });
    assert_eq!(
        msg,
        format!("draft {inv} is not finalized yet: finalize it before recording a payment")
    );
    b.finalize_invoice(&id(inv), None).unwrap();
    let part = PaymentInput {
        amount: Some("40".into()),
        method: Some("check".into()),
        reference: Some("#1042".into()),
        date: Some("2026-11-20".into()),
    };
    let (after, pay) = b.pay_invoice(&id(inv), &part).unwrap();
    assert_eq!(
        (after.status, after.remaining()),
        (InvoiceStatus::Open, d("60"))
    );
    let p = b.entry(pay).unwrap();
    assert_eq!(p.description, "Payment for INV-0001");
    assert_eq!(p.reference.as_deref(), Some("#1042"));
    assert_eq!(p.date.to_string(), "2026-11-20");
    assert_identity(&b, c);

    let msg = refused(&mut b, c, |b| {
        let too_much = PaymentInput {
            amount: Some("60.01".into()),
            ..Default::default()
        };
        b.pay_invoice(&id(inv), &too_much).unwrap_err().to_string()
    });
    assert_eq!(
        msg,
        "INV-0001 has $60.00 remaining: $60.01 is more than that; pay at most $60.00, or post the rest with `tally credit`"
    );
    let msg = refused(&mut b, c, |b| {
        let bad = PaymentInput {
            amount: Some("-5".into()),
            method: Some("bitcoin".into()),
            ..Default::default()
        };
        b.pay_invoice(&id(inv), &bad).unwrap_err().to_string()
    });
    assert!(msg.starts_with("amount "), "{msg}");
    assert!(msg.contains("method \"bitcoin\" is not one of"), "{msg}");

    // The allocated payment is locked.
    let msg = refused(&mut b, c, |b| b.remove_entry(pay).unwrap_err().to_string());
    assert_eq!(
        msg,
        format!(
            "credit {pay} is applied to INV-0001: it cannot be edited or removed; post a new line to correct it"
        )
    );

    let (after, _) = b.pay_invoice(&id(inv), &PaymentInput::default()).unwrap();
    assert_eq!(
        (after.status, after.remaining()),
        (InvoiceStatus::Paid, Decimal::ZERO)
    );
    assert_eq!(b.reads().breakdown(c).unwrap().balance, Decimal::ZERO);
    assert_identity(&b, c);
    let msg = refused(&mut b, c, |b| {
        b.pay_invoice(&id(inv), &PaymentInput::default())
            .unwrap_err()
            .to_string()
    });
    assert_eq!(msg, "INV-0001 is paid: nothing is left to pay on it");
    let msg = refused(&mut b, c, |b| {
        b.void_invoice(&id(inv)).unwrap_err().to_string()
    });
    assert_eq!(
        msg,
        "INV-0001 is paid and cannot be voided: post a credit (credit memo or refund) instead"
    );
}

#[test]
fn voiding_posts_a_visible_credit_and_returns_payments_to_credit() {
    let mut b = book();
    let c = customer(&mut b, "Ann");
    charge(&mut b, c, "100", "7", "2026-11-01");
    let inv = b.draft_invoice(c, None).unwrap();
    let msg = refused(&mut b, c, |b| {
        b.void_invoice(&id(inv)).unwrap_err().to_string()
    });
    assert_eq!(
        msg,
        format!("draft {inv} was never finalized: delete the draft instead of voiding it")
    );
    b.finalize_invoice(&id(inv), None).unwrap();
    let part = PaymentInput {
        amount: Some("30".into()),
        ..Default::default()
    };
    b.pay_invoice(&id(inv), &part).unwrap();
    let voided = b.void_invoice(&id(inv)).unwrap();
    assert_eq!(voided.status, InvoiceStatus::Void);
    assert_eq!(voided.remaining(), Decimal::ZERO);
    let newest = &b.reads().history(c, 0, 1).unwrap()[0];
    assert_eq!(newest.description, "Void INV-0001");
    assert_eq!(newest.amount, d("107"));
    let bd = b.reads().breakdown(c).unwrap();
    assert_eq!(bd.available_credit, d("30"), "the payment is credit again");
    assert_eq!(bd.outstanding, Decimal::ZERO);
    assert_eq!(bd.balance, d("30"));
    assert_eq!(bd.total_billed, Decimal::ZERO);
    assert_eq!(bd.total_collected, d("30"));
    assert_identity(&b, c);
    let msg = refused(&mut b, c, |b| {
        b.void_invoice(&id(inv)).unwrap_err().to_string()
    });
    assert_eq!(
        msg,
        "INV-0001 is already void: there is nothing left to cancel or void"
    );
}

#[test]
fn applying_credit_moves_no_money_and_needs_credit() {
    let mut b = book();
    let c = customer(&mut b, "Ann");
    charge(&mut b, c, "100", "0", "2026-11-01");
    let inv = b.draft_invoice(c, None).unwrap();
    b.finalize_invoice(&id(inv), None).unwrap();
    let msg = refused(&mut b, c, |b| {
        b.apply_credit(&id(inv), None).unwrap_err().to_string()
    });
    assert_eq!(
        msg,
        "customer 1 has no available credit to apply: record a payment with `tally invoice pay` instead"
    );
    credit(&mut b, c, "25");
    credit(&mut b, c, "50");
    let msg = refused(&mut b, c, |b| {
        b.apply_credit(&id(inv), Some("80"))
            .unwrap_err()
            .to_string()
    });
    assert_eq!(
        msg,
        "only $75.00 of credit is available: apply at most that"
    );
    let balance = b.reads().breakdown(c).unwrap().balance;
    let (after, applied) = b.apply_credit(&id(inv), Some("30")).unwrap();
    assert_eq!((applied, after.remaining()), (d("30"), d("70")));
    let (after, applied) = b.apply_credit(&id(inv), None).unwrap();
    assert_eq!((applied, after.remaining()), (d("45"), d("25")));
    let bd = b.reads().breakdown(c).unwrap();
    assert_eq!(
        bd.balance, balance,
        "applying credit never moves the balance"
    );
    assert_eq!(bd.available_credit, Decimal::ZERO);
    assert_identity(&b, c);
    credit(&mut b, c, "40");
    let (after, applied) = b.apply_credit(&id(inv), None).unwrap();
    assert_eq!((applied, after.status), (d("25"), InvoiceStatus::Paid));
    assert_eq!(b.reads().breakdown(c).unwrap().available_credit, d("15"));
    assert_identity(&b, c);
}

#[test]
fn cancelling_several_deletes_drafts_voids_open_and_refuses_paid_as_a_whole() {
    let mut b = book();
    let c = customer(&mut b, "Ann");
    charge(&mut b, c, "10", "0", "2026-11-01");
    let open = b.draft_invoice(c, None).unwrap();
    b.finalize_invoice(&id(open), None).unwrap();
    charge(&mut b, c, "20", "0", "2026-11-02");
    let draft = b.draft_invoice(c, None).unwrap();
    charge(&mut b, c, "30", "0", "2026-11-03");
    let paid = b.draft_invoice(c, None).unwrap();
    b.finalize_invoice(&id(paid), None).unwrap();
    b.pay_invoice(&id(paid), &PaymentInput::default()).unwrap();

    let msg = refused(&mut b, c, |b| {
        b.cancel_invoices(&[open, draft, paid])
            .unwrap_err()
            .to_string()
    });
    assert!(
        msg.starts_with("INV-0002 is paid and cannot be voided"),
        "{msg}"
    );
    let done = b.cancel_invoices(&[open, draft]).unwrap();
    assert_eq!(done.deleted, [draft]);
    assert_eq!(done.voided, ["INV-0001"]);
    assert_eq!(b.reads().count_open_charges(c).unwrap(), 1);
    assert_identity(&b, c);
}

#[test]
fn payment_terms_come_from_the_customer_or_the_config() {
    let mut config = Config::default();
    config.billing.payment_terms_days = 14;
    config.billing.invoice_prefix = "A-".into();
    let mut b = book_with(config);
    let c = customer(&mut b, "Ann");
    let d2 = CustomerDetails {
        name: "Net 7".into(),
        payment_terms_days: Some(7),
        ..Default::default()
    };
    let c2 = b.add_customer(d2, true).unwrap();
    charge(&mut b, c, "10", "0", "2026-11-01");
    charge(&mut b, c2, "10", "0", "2026-11-01");
    let i1 = b.draft_invoice(c, None).unwrap();
    let i2 = b.draft_invoice(c2, None).unwrap();
    let a = b.finalize_invoice(&id(i1), Some("2026-12-30")).unwrap();
    let z = b.finalize_invoice(&id(i2), Some("2026-12-30")).unwrap();
    assert_eq!(a.number.as_deref(), Some("A-0001"));
    assert_eq!(a.due_date.unwrap().to_string(), "2027-01-13");
    assert_eq!(z.due_date.unwrap().to_string(), "2027-01-06");
    assert!(z.is_overdue("2027-01-07".parse().unwrap()));
}

fn monthly(book: &mut Book, name: &str, paused: bool) -> CustomerId {
    let d = CustomerDetails {
        name: name.into(),
        billing_cycle: BillingCycle::Monthly,
        invoices_paused: paused,
        ..Default::default()
    };
    book.add_customer(d, true).unwrap()
}

#[test]
fn the_billing_run_bills_each_past_month_once_across_year_ends() {
    let mut b = book();
    let m = monthly(&mut b, "Monthly", false);
    let paused = monthly(&mut b, "Paused", true);
    let manual = customer(&mut b, "Manual");
    for c in [m, paused, manual] {
        charge(&mut b, c, "10", "0", "2025-11-30");
        charge(&mut b, c, "20", "0", "2025-12-01");
        charge(&mut b, c, "30", "0", "2025-12-31");
        charge(&mut b, c, "40", "0", "2026-01-01");
        charge(&mut b, c, "50", "0", "2026-01-15");
    }
    let day = |s: &str| s.parse().unwrap();
    let first = b.billing_run(day("2026-01-15")).unwrap();
    let got: Vec<_> = first
        .iter()
        .map(|i| (i.customer_id, i.period.clone().unwrap(), i.total, i.status))
        .collect();
    assert_eq!(
        got,
        [
            (m, "2025-11".to_string(), d("10"), InvoiceStatus::Draft),
            (m, "2025-12".to_string(), d("50"), InvoiceStatus::Draft),
        ]
    );
    assert!(
        b.billing_run(day("2026-01-15")).unwrap().is_empty(),
        "idempotent"
    );
    assert!(
        b.billing_run(day("2026-01-31")).unwrap().is_empty(),
        "January is not over"
    );
    let feb = b.billing_run(day("2026-02-01")).unwrap();
    assert_eq!(feb.len(), 1);
    assert_eq!(
        (feb[0].period.as_deref(), feb[0].total),
        (Some("2026-01"), d("90"))
    );
    assert!(b.billing_run(day("2026-03-01")).unwrap().is_empty());
    // A deleted run draft is not brought back by the next run.
    b.delete_draft(&id(feb[0].id)).unwrap();
    assert!(b.billing_run(day("2026-03-01")).unwrap().is_empty());
    for c in [paused, manual] {
        assert_eq!(b.reads().count_open_charges(c).unwrap(), 5);
    }
    for c in [m, paused, manual] {
        assert_identity(&b, c);
    }
}

#[test]
fn the_billing_run_finalizes_when_configured() {
    let mut config = Config::default();
    config.billing.monthly_run_finalizes = true;
    let mut b = book_with(config);
    let m = monthly(&mut b, "Monthly", false);
    charge(&mut b, m, "10", "0", "2026-09-03");
    charge(&mut b, m, "20", "0", "2026-10-03");
    let made = b.billing_run("2026-11-21".parse().unwrap()).unwrap();
    let numbers: Vec<_> = made.iter().map(|i| i.number.clone().unwrap()).collect();
    assert_eq!(numbers, ["INV-0001", "INV-0002"]);
    assert!(made.iter().all(|i| i.status == InvoiceStatus::Open));
    assert_eq!(made[0].issue_date.unwrap().to_string(), "2026-11-21");
    assert_identity(&b, m);
}
