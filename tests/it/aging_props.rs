//! The aging as of a past day (`aging_pass`, one pass over the book) gives
//! exactly the rows of the report's definition in SQL (`aging_scan`), on
//! random books whose entries, invoices and payments fall on random days
//! (with terms of a customer's own, backdated entries and payments,
//! drafts, voids and partial payments), as of days before, between and
//! after them.

use chrono::{NaiveDate, TimeZone, Utc};
use proptest::prelude::*;

use tally::config::Config;
use tally::domain::customer::CustomerDetails;
use tally::domain::entry::{EntryInput, EntryKind};
use tally::domain::invoice::InvoiceRef;
use tally::ops::{Book, Clock, PaymentInput};
use tally::store::InvoiceQuery;

#[derive(Debug, Clone)]
enum Step {
    Post {
        c: usize,
        credit: bool,
        cents: i64,
        back: u32,
    },
    Draft {
        c: usize,
    },
    Finalize {
        pick: usize,
    },
    Pay {
        pick: usize,
        cents: i64,
        back: u32,
    },
    Void {
        pick: usize,
    },
    Wait {
        days: u32,
    },
}

fn step() -> impl Strategy<Value = Step> {
    prop_oneof![
        4 => (0..3usize, any::<bool>(), 1..50_000i64, 0..120u32)
            .prop_map(|(c, credit, cents, back)| Step::Post { c, credit, cents, back }),
        1 => (0..3usize).prop_map(|c| Step::Draft { c }),
        2 => any::<usize>().prop_map(|pick| Step::Finalize { pick }),
        2 => (any::<usize>(), 1..60_000i64, 0..30u32).prop_map(|(pick, cents, back)| Step::Pay { pick, cents, back }),
        1 => any::<usize>().prop_map(|pick| Step::Void { pick }),
        2 => (1..40u32).prop_map(|days| Step::Wait { days }),
    ]
}

fn money(cents: i64) -> String {
    rust_decimal::Decimal::new(cents, 2).to_string()
}

fn pick(book: &Book, pick: usize) -> Option<InvoiceRef> {
    let all = book
        .reads()
        .invoices(&InvoiceQuery {
            limit: 10_000,
            ..Default::default()
        })
        .unwrap();
    (!all.is_empty()).then(|| InvoiceRef::Id(all[pick % all.len()].id))
}

fn run(book: &mut Book, customers: &[tally::domain::CustomerId], steps: Vec<Step>) -> NaiveDate {
    let mut today = NaiveDate::from_ymd_opt(2026, 1, 1).unwrap();
    for s in steps {
        let noon = today.and_hms_opt(12, 0, 0).unwrap();
        book.set_clock(Clock::Fixed(Utc.from_utc_datetime(&noon)));
        // Refusals (paying a draft, voiding twice) are part of the walk.
        let _ = match s {
            Step::Post {
                c,
                credit,
                cents,
                back,
            } => {
                let kind = if credit {
                    EntryKind::Credit
                } else {
                    EntryKind::Charge
                };
                let date = today - chrono::Days::new(u64::from(back));
                let input = EntryInput {
                    amount: money(cents),
                    tax: (!credit).then(|| money(cents / 10)),
                    date: date.to_string(),
                    ..Default::default()
                };
                book.post(customers[c], kind, &input).map(drop)
            }
            Step::Draft { c } => book.draft_invoice(customers[c], None).map(drop),
            Step::Finalize { pick: p } => match pick(book, p) {
                Some(r) => book.finalize_invoice(&r, None).map(drop),
                None => Ok(()),
            },
            Step::Pay {
                pick: p,
                cents,
                back,
            } => match pick(book, p) {
                Some(r) => {
                    let input = PaymentInput {
                        amount: Some(money(cents)),
                        date: Some((today - chrono::Days::new(u64::from(back))).to_string()),
                        ..Default::default()
                    };
                    book.pay_invoice(&r, &input).map(drop)
                }
                None => Ok(()),
            },
            Step::Void { pick: p } => match pick(book, p) {
                Some(r) => book.void_invoice(&r).map(drop),
                None => Ok(()),
            },
            Step::Wait { days } => {
                today = today + chrono::Days::new(u64::from(days));
                Ok(())
            }
        };
    }
    today
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]
    #[test]
    fn the_pass_and_the_definition_agree_on_every_day(
        steps in proptest::collection::vec(step(), 1..60),
        days in proptest::collection::vec(0..260u32, 6),
    ) {
        let dir = tempfile::tempdir().unwrap();
        let mut book = Book::open(&dir.path().join("book.tally"), Config::default(), "test").unwrap();
        let customers: Vec<_> = (0..3)
            .map(|i| {
                let details = CustomerDetails {
                    name: format!("C{i}"),
                    payment_terms_days: (i == 1).then_some(45),
                    ..Default::default()
                };
                book.add_customer(details, false).unwrap()
            })
            .collect();
        let last = run(&mut book, &customers, steps);
        let r = book.reads();
        let start = NaiveDate::from_ymd_opt(2025, 9, 1).unwrap();
        for d in days.into_iter().map(|d| start + chrono::Days::new(u64::from(d))).chain([last]) {
            for terms in [0, 30] {
                prop_assert_eq!(r.aging_pass(d, terms).unwrap(), r.aging_scan(d, terms).unwrap(), "as of {}", d);
            }
        }
    }
}
