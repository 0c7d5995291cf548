//! Property test: random sequences of posts, drafts, deletes, finalizes,
//! payments, applied credit, voids, edits, removals, refunds (of credit and
//! against paid invoices) and credit transfers between the two customers. After every step,
//! for every customer, `balance = available credit − outstanding −
//! uninvoiced`, the maintained balance equals the line items, invoice states
//! agree with what is left to pay, finalized numbers are 1..n with no gap,
//! and the aging report from kept sums equals the one from a full pass.
//!
//! Ids repeat freely (a charge picked twice for a draft, an invoice twice
//! in one cancel), and the steps interleave two connections to one book
//! file, as two tallys would: `tally check` must pass after every step.

use proptest::prelude::*;
use rust_decimal::Decimal;
use tally::config::Config;
use tally::domain::customer::{CustomerDetails, CustomerId};
use tally::domain::entry::{EntryInput, EntryKind};
use tally::domain::invoice::{InvoiceRef, InvoiceStatus};
use tally::ops::{Book, PaymentInput, RefundInput, TransferInput};
use tally::store::InvoiceQuery;
use tally::store::check::Depth;

#[derive(Debug, Clone)]
enum Op {
    Post { c: usize, credit: bool, cents: i64 },
    DraftAll { c: usize },
    DraftSome { c: usize, picks: Vec<usize> },
    Delete { pick: usize },
    Finalize { pick: usize },
    Pay { pick: usize, cents: Option<i64> },
    Apply { pick: usize },
    Void { pick: usize },
    Cancel { picks: Vec<usize> },
    Edit { pick: usize, cents: i64 },
    Remove { pick: usize },
    Refund { c: usize, cents: i64 },
    RefundInvoice { pick: usize, cents: i64 },
    Transfer { c: usize, cents: i64 },
}

fn op() -> impl Strategy<Value = Op> {
    let c = 0..2usize;
    prop_oneof![
        5 => (c.clone(), any::<bool>(), 1..100_000i64).prop_map(|(c, credit, cents)| Op::Post { c, credit, cents }),
        2 => c.clone().prop_map(|c| Op::DraftAll { c }),
        2 => (c.clone(), proptest::collection::vec(any::<usize>(), 0..4)).prop_map(|(c, picks)| Op::DraftSome { c, picks }),
        1 => any::<usize>().prop_map(|pick| Op::Delete { pick }),
        3 => any::<usize>().prop_map(|pick| Op::Finalize { pick }),
        3 => (any::<usize>(), proptest::option::of(1..100_000i64)).prop_map(|(pick, cents)| Op::Pay { pick, cents }),
        2 => any::<usize>().prop_map(|pick| Op::Apply { pick }),
        1 => any::<usize>().prop_map(|pick| Op::Void { pick }),
        1 => proptest::collection::vec(any::<usize>(), 1..4).prop_map(|picks| Op::Cancel { picks }),
        1 => (any::<usize>(), 1..100_000i64).prop_map(|(pick, cents)| Op::Edit { pick, cents }),
        1 => any::<usize>().prop_map(|pick| Op::Remove { pick }),
        2 => (c.clone(), 1..100_000i64).prop_map(|(c, cents)| Op::Refund { c, cents }),
        2 => (any::<usize>(), 1..100_000i64).prop_map(|(pick, cents)| Op::RefundInvoice { pick, cents }),
        2 => (c.clone(), 1..100_000i64).prop_map(|(c, cents)| Op::Transfer { c, cents }),
    ]
}

fn money(cents: i64) -> String {
    Decimal::new(cents, 2).to_string()
}

fn all_invoices(book: &Book) -> Vec<tally::domain::Invoice> {
    book.reads()
        .invoices(&InvoiceQuery {
            limit: 10_000,
            ..Default::default()
        })
        .unwrap()
}

fn pick_invoice(book: &Book, pick: usize) -> Option<InvoiceRef> {
    let all = all_invoices(book);
    (!all.is_empty()).then(|| InvoiceRef::Id(all[pick % all.len()].id))
}

fn check(book: &Book, customers: &[CustomerId]) {
    let report = book.check(Depth::Full).unwrap();
    assert!(report.is_ok(), "{:?}", report.problems);
    let r = book.reads();
    for c in customers {
        let b = r.breakdown(*c).unwrap();
        assert_eq!(
            b.balance,
            b.available_credit - b.outstanding - b.uninvoiced,
            "{b:?}"
        );
        assert_eq!(b.balance, r.recomputed_balance(*c).unwrap());
        assert!(b.available_credit >= Decimal::ZERO, "{b:?}");
    }
    for inv in all_invoices(book) {
        let left = inv.remaining();
        match inv.status {
            InvoiceStatus::Draft => assert!(inv.number.is_none()),
            InvoiceStatus::Open => assert!(left > Decimal::ZERO, "{inv:?}"),
            InvoiceStatus::Paid | InvoiceStatus::Void => assert_eq!(left, Decimal::ZERO, "{inv:?}"),
        }
    }
    // The aging as of today from the kept sums is the one a full pass
    // over the book gives.
    let (today, kept) = book.aging(None).unwrap();
    let terms = Config::default().billing.payment_terms_days;
    assert!(!r.anything_after(today).unwrap());
    let mut scanned = r.aging_scan(today, terms).unwrap();
    for row in &mut scanned {
        tally::domain::figures::net_aging(&mut row.buckets, &mut row.credit);
    }
    scanned.retain(|row| row.total() != 0 || row.credit != 0);
    assert_eq!(kept, scanned);
    let seqs = r.invoice_seqs().unwrap();
    assert_eq!(
        seqs,
        (1..=seqs.len() as i64).collect::<Vec<_>>(),
        "numbers have a gap"
    );
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]
    #[test]
    fn the_identity_and_numbering_hold_after_every_step(
        ops in proptest::collection::vec((any::<bool>(), op()), 1..50)
    ) {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("book.tally");
        let mut books = [
            Book::open(&path, Config::default(), "one").unwrap(),
            Book::open(&path, Config::default(), "two").unwrap(),
        ];
        let customers: Vec<CustomerId> = (0..2)
            .map(|i| books[0].add_customer(CustomerDetails { name: format!("C{i}"), ..Default::default() }, false).unwrap())
            .collect();
        let mut entries = Vec::new();
        for (second, op) in ops {
            let book = &mut books[usize::from(second)];
            // Refusals are expected (paying a draft, editing a locked charge…);
            // what matters is that the book stays consistent either way.
            let _ = match op {
                Op::Post { c, credit, cents } => {
                    let kind = if credit { EntryKind::Credit } else { EntryKind::Charge };
                    let input = EntryInput { amount: money(cents), tax: (!credit).then(|| money(cents / 10)), ..Default::default() };
                    let id = book.post(customers[c], kind, &input).unwrap();
                    entries.push(id);
                    Ok(())
                }
                Op::DraftAll { c } => book.draft_invoice(customers[c], None).map(drop),
                Op::DraftSome { c, picks } => {
                    let ids: Vec<_> = picks.iter().filter(|_| !entries.is_empty()).map(|p| entries[p % entries.len()]).collect();
                    book.draft_invoice(customers[c], Some(&ids)).map(drop)
                }
                Op::Delete { pick } => match pick_invoice(book, pick) { Some(r) => book.delete_draft(&r).map(drop), None => Ok(()) },
                Op::Finalize { pick } => match pick_invoice(book, pick) { Some(r) => book.finalize_invoice(&r, None).map(drop), None => Ok(()) },
                Op::Pay { pick, cents } => match pick_invoice(book, pick) {
                    Some(r) => {
                        let p = PaymentInput { amount: cents.map(money), ..Default::default() };
                        book.pay_invoice(&r, &p).map(|(_, id)| entries.push(id))
                    }
                    None => Ok(()),
                },
                Op::Apply { pick } => match pick_invoice(book, pick) { Some(r) => book.apply_credit(&r, None).map(drop), None => Ok(()) },
                Op::Void { pick } => match pick_invoice(book, pick) { Some(r) => book.void_invoice(&r).map(drop), None => Ok(()) },
                Op::Cancel { picks } => {
                    let all = all_invoices(book);
                    if all.is_empty() { Ok(()) } else {
                        let ids: Vec<_> = picks.iter().map(|p| all[p % all.len()].id).collect();
                        book.cancel_invoices(&ids).map(drop)
                    }
                }
                Op::Edit { pick, cents } => {
                    if entries.is_empty() { Ok(()) } else {
                        let id = entries[pick % entries.len()];
                        match book.entry(id) {
                            Ok(e) => {
                                let mut input = book.entry_input(&e);
                                input.amount = money(cents);
                                book.edit_entry(id, &input).map(drop)
                            }
                            Err(e) => Err(e),
                        }
                    }
                }
                Op::Remove { pick } => {
                    if entries.is_empty() { Ok(()) } else { book.remove_entry(entries[pick % entries.len()]).map(drop) }
                }
                Op::Refund { c, cents } => {
                    let input = RefundInput { amount: money(cents), ..Default::default() };
                    book.refund(customers[c], &input).map(|id| entries.push(id))
                }
                Op::RefundInvoice { pick, cents } => match pick_invoice(book, pick) {
                    Some(r) => {
                        let owner = book.invoice(&r).unwrap().customer_id;
                        let input = RefundInput { amount: money(cents), invoice: Some(r), ..Default::default() };
                        book.refund(owner, &input).map(|id| entries.push(id))
                    }
                    None => Ok(()),
                },
                Op::Transfer { c, cents } => {
                    let input = TransferInput { amount: money(cents), ..Default::default() };
                    book.transfer_credit(customers[c], customers[1 - c], &input)
                        .map(|(a, b)| entries.extend([a, b]))
                }
            };
            check(book, &customers);
        }
    }
}
