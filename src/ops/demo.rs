//! A sample book for `tally --demo`: a dozen customers with charges and
//! credits, some owing, some paid up, some in credit; invoices in every
//! state (draft, open, overdue, paid, void) and payment links for a few, so
//! the Invoices tab and the payment page can be explored. It is written
//! through the same use cases as real entries, into its own file (or the
//! `--db` given with `--demo`), never the real book.

use chrono::Days;

use super::{Book, Result};
use crate::domain::customer::{CustomerDetails, CustomerId};
use crate::domain::entry::{EntryInput, EntryKind};
use crate::domain::invoice::{InvoiceId, InvoiceRef};

/// (name, email, phone, [(days ago, kind, amount, tax, description, method)])
type Sample = (
    &'static str,
    &'static str,
    &'static str,
    &'static [(
        u64,
        char,
        &'static str,
        &'static str,
        &'static str,
        &'static str,
    )],
);

const SAMPLES: &[Sample] = &[
    (
        "Ann Lee",
        "ann.lee@example.com",
        "555-0101",
        &[
            (40, 'c', "150", "0", "Lawn mowing, October", ""),
            (10, 'c', "150", "0", "Lawn mowing, November", ""),
            (35, 'p', "150", "", "Paid October", "card"),
        ],
    ),
    (
        "Bob Stone",
        "bob@stonebuilds.example",
        "555-0102",
        &[
            (60, 'c', "1,500.00", "123.75", "Patio install", ""),
            (30, 'p', "500", "", "Deposit", "check"),
        ],
    ),
    (
        "Cara Diaz",
        "cara.diaz@example.com",
        "",
        &[
            (20, 'c', "85", "0", "Hedge trimming", ""),
            (18, 'p', "110", "", "Paid with tip", "cash"),
        ],
    ),
    (
        "Dev Patel",
        "",
        "555-0104",
        &[(5, 'c', "220", "18.15", "Irrigation repair", "")],
    ),
    (
        "Elena Rossi",
        "elena@rossi.example",
        "555-0105",
        &[
            (50, 'c', "95", "0", "Leaf cleanup", ""),
            (45, 'p', "95", "", "Paid in full", "transfer"),
        ],
    ),
    (
        "Frank Okafor",
        "frank.okafor@example.com",
        "",
        &[
            (15, 'c', "60", "0", "Gutter cleaning", ""),
            (12, 'c', "45", "0", "Window washing", ""),
        ],
    ),
    (
        "Grace Kim",
        "grace@kimstudio.example",
        "555-0107",
        &[
            (25, 'p', "300", "", "Prepaid season", "card"),
            (8, 'c', "75", "0", "Spring planting", ""),
        ],
    ),
    (
        "Hugo Martin",
        "",
        "555-0108",
        &[
            (70, 'c', "2,400.00", "198.00", "Retaining wall", ""),
            (55, 'p', "1,200.00", "", "Half up front", "check"),
            (3, 'c', "120", "0", "Drainage fix", ""),
        ],
    ),
    ("Ines Silva", "ines.silva@example.com", "", &[]),
    (
        "Jamal Wright",
        "jamal@wright.example",
        "555-0110",
        &[
            (9, 'c', "40", "0", "Mowing", ""),
            (2, 'c', "40", "0", "Mowing", ""),
        ],
    ),
    (
        "Kei Tanaka",
        "kei.tanaka@example.com",
        "555-0111",
        &[
            (33, 'c', "180", "14.85", "Tree pruning", ""),
            (31, 'p', "194.85", "", "Paid", "card"),
            (1, 'p', "50", "", "Credit memo: late visit", "other"),
        ],
    ),
    (
        "Lena Novak",
        "lena@novak.example",
        "",
        &[
            (14, 'c', "65", "0", "Weeding", ""),
            (7, 'p', "30", "", "Partial payment", "cash"),
        ],
    ),
];

/// Fills an empty book with the samples; a book with customers is left alone.
pub fn populate(book: &mut Book) -> Result<usize> {
    if book.reads().count_customers(&None)? > 0 {
        return Ok(0);
    }
    // Sample customers are never emailed, whatever `[mail]` says.
    let email = book.email;
    book.set_email(false);
    let made = fill(book);
    book.set_email(email);
    made
}

fn fill(book: &mut Book) -> Result<usize> {
    let today = book.clock().today();
    for (name, email, phone, entries) in SAMPLES {
        let details = CustomerDetails {
            name: name.to_string(),
            email: Some(email.to_string()),
            phone: Some(phone.to_string()),
            ..Default::default()
        };
        let id = book.add_customer(details, false)?;
        for (ago, kind, amount, tax, desc, method) in *entries {
            let date = today.checked_sub_days(Days::new(*ago)).unwrap_or(today);
            let input = EntryInput {
                amount: amount.to_string(),
                tax: (*kind == 'c').then(|| tax.to_string()),
                description: desc.to_string(),
                date: date.format("%Y-%m-%d").to_string(),
                method: method.to_string(),
            };
            let kind = if *kind == 'c' {
                EntryKind::Charge
            } else {
                EntryKind::Credit
            };
            book.post(id, kind, &input)?;
        }
    }
    invoices(book)?;
    for id in [1, 2, 8] {
        book.generate_link(CustomerId(id))?;
    }
    Ok(SAMPLES.len())
}

/// One invoice in each state, from the samples' own charges.
fn invoices(book: &mut Book) -> Result<()> {
    let today = book.clock().today();
    let ago = |days: u64| {
        today
            .checked_sub_days(Days::new(days))
            .unwrap_or(today)
            .format("%Y-%m-%d")
            .to_string()
    };
    let first_charge = |book: &Book, c: i64| -> Result<Vec<crate::domain::entry::EntryId>> {
        Ok(book
            .reads()
            .open_charges(CustomerId(c), 0, 1)?
            .into_iter()
            .map(|e| e.id)
            .collect())
    };
    let finalize = |book: &mut Book, id: InvoiceId, days: u64| -> Result<InvoiceRef> {
        let r = InvoiceRef::Id(id);
        book.finalize_invoice(&r, Some(&ago(days)))?;
        Ok(r)
    };
    // Ann: October paid from her payment; November still a draft.
    let october = first_charge(book, 1)?;
    let id = book.draft_invoice(CustomerId(1), Some(&october))?;
    let r = finalize(book, id, 38)?;
    book.apply_credit(&r, None)?;
    book.draft_invoice(CustomerId(1), None)?;
    // Bob: the patio, overdue, with his deposit applied.
    let id = book.draft_invoice(CustomerId(2), None)?;
    let r = finalize(book, id, 58)?;
    book.apply_credit(&r, None)?;
    // Frank: open, not yet due.
    let id = book.draft_invoice(CustomerId(6), None)?;
    finalize(book, id, 11)?;
    // Hugo: the wall, half paid and overdue; the drainage fix uninvoiced.
    let wall = first_charge(book, 8)?;
    let id = book.draft_invoice(CustomerId(8), Some(&wall))?;
    let r = finalize(book, id, 65)?;
    book.apply_credit(&r, None)?;
    // Jamal: one mowing invoiced by mistake, then voided.
    let mowing = first_charge(book, 10)?;
    let id = book.draft_invoice(CustomerId(10), Some(&mowing))?;
    let r = finalize(book, id, 8)?;
    book.void_invoice(&r)?;
    Ok(())
}
