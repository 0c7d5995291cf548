//! Property tests: any sequence of posts, edits and removals keeps every
//! maintained balance equal to the sum recomputed from the line items, and
//! equal to an independent in-memory model of the book.

use std::collections::BTreeMap;

use proptest::prelude::*;
use rust_decimal::Decimal;
use tally::config::Config;
use tally::domain::customer::{CustomerDetails, CustomerId};
use tally::domain::entry::{EntryId, EntryInput, EntryKind};
use tally::ops::Book;
use tally::store::Store;

#[derive(Debug, Clone)]
enum Op {
    Post {
        customer: usize,
        credit: bool,
        cents: i64,
        tax: i64,
    },
    Edit {
        pick: usize,
        cents: i64,
        tax: i64,
    },
    Remove {
        pick: usize,
    },
    /// An invalid post that must be refused without changing anything.
    BadPost {
        customer: usize,
    },
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        4 => (0..3usize, any::<bool>(), 1..10_000_000i64, 0..100_000i64)
            .prop_map(|(customer, credit, cents, tax)| Op::Post { customer, credit, cents, tax: tax.min(cents) }),
        2 => (any::<usize>(), 1..10_000_000i64, 0..100_000i64)
            .prop_map(|(pick, cents, tax)| Op::Edit { pick, cents, tax: tax.min(cents) }),
        1 => any::<usize>().prop_map(|pick| Op::Remove { pick }),
        1 => (0..3usize).prop_map(|customer| Op::BadPost { customer }),
    ]
}

fn money(cents: i64) -> String {
    Decimal::new(cents, 2).to_string()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]
    #[test]
    fn balances_always_match_the_line_items(ops in proptest::collection::vec(op(), 1..60)) {
        let config = Config::default();
        let store = Store::open_in_memory(&config.currency()).unwrap();
        let mut book = Book::with_store(store, config, "test");
        let customers: Vec<CustomerId> = (0..3)
            .map(|i| book.add_customer(CustomerDetails { name: format!("C{i}"), ..Default::default() }, false).unwrap())
            .collect();
        // Model: entry id → (customer index, signed total in cents, kind).
        let mut model: BTreeMap<EntryId, (usize, i64, EntryKind)> = BTreeMap::new();
        let steps = ops.len();
        for (step, op) in ops.into_iter().enumerate() {
            match op {
                Op::Post { customer, credit, cents, tax } => {
                    let kind = if credit { EntryKind::Credit } else { EntryKind::Charge };
                    let input = EntryInput {
                        amount: money(cents),
                        tax: (!credit).then(|| money(tax)),
                        ..Default::default()
                    };
                    let id = book.post(customers[customer], kind, &input).unwrap();
                    let signed = if credit { cents } else { -(cents + tax) };
                    model.insert(id, (customer, signed, kind));
                }
                Op::Edit { pick, cents, tax } => {
                    if model.is_empty() { continue; }
                    let id = *model.keys().nth(pick % model.len()).unwrap();
                    let (customer, _, kind) = model[&id];
                    let mut input = book.entry_input(&book.entry(id).unwrap());
                    input.amount = money(cents);
                    let signed = if kind == EntryKind::Credit {
                        cents
                    } else {
                        input.tax = Some(money(tax));
                        -(cents + tax)
                    };
                    book.edit_entry(id, &input).unwrap();
                    model.insert(id, (customer, signed, kind));
                }
                Op::Remove { pick } => {
                    if model.is_empty() { continue; }
                    let id = *model.keys().nth(pick % model.len()).unwrap();
                    book.remove_entry(id).unwrap();
                    model.remove(&id);
                }
                Op::BadPost { customer } => {
                    let input = EntryInput { amount: "-1".into(), ..Default::default() };
                    prop_assert!(book.post(customers[customer], EntryKind::Charge, &input).is_err());
                }
            }
            prop_assert!(book.reads().balance_mismatches().unwrap().is_empty());
            for (i, id) in customers.iter().enumerate() {
                let expected: i64 = model.values().filter(|(c, _, _)| *c == i).map(|(_, s, _)| s).sum();
                let c = book.customer(*id).unwrap();
                prop_assert_eq!(c.balance, Decimal::new(expected, 2));
                prop_assert_eq!(book.reads().recomputed_balance(*id).unwrap(), c.balance);
                let b = book.reads().breakdown(*id).unwrap();
                prop_assert_eq!(b.balance, b.available_credit - b.outstanding - b.uninvoiced);
            }
            // Every kept summary (day totals, customer sums, …) still
            // equals what the entries sum to after the last step.
            if step + 1 == steps {
                let report = book.check(tally::store::check::Depth::Full).unwrap();
                prop_assert!(report.is_ok(), "{:?}", report.problems);
            }
        }
    }
}
