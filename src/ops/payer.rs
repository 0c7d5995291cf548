//! Who is asked to pay what (seed 003, "route billing to the parent").
//!
//! The rule, in one place for the payment page, reminders, statements and
//! the customer screen:
//! - A sub-client with "bill to parent" is never asked to pay: its
//!   invoices are addressed to its parent, and its parent is asked to pay
//!   what it owes, with the parent's link, greeting the parent's primary
//!   contact. Its own page says who it is billed to.
//! - A parent is asked to pay what it owes itself plus what each of its
//!   sub-clients billed to it owes, each line naming the sub-client.
//! - What anyone owes is `figures::owed` of their own balance: a parent's
//!   credit does not pay a sub-client's debt, nor the other way round,
//!   until the owner moves it (`credit-transfer`).
//!
//! One level: a sub-client's own sub-clients are billed to it, not to its
//! parent. Read-only: these take [`Reads`], so the portal can use them.

use chrono::NaiveDate;
use rust_decimal::Decimal;

use super::{Result, find_customer};
use crate::domain::figures::{self, PastDue, PastDueInvoice};
use crate::domain::{Customer, CustomerId};
use crate::store::Reads;

/// At most this many sub-clients billed to one parent are read for what
/// it is asked to pay (a page and a reminder stay bounded).
pub const MAX_BILLED_SUBS: usize = 500;

/// What one payer is asked to pay, and for whom.
#[derive(Debug, Clone, PartialEq)]
pub struct Asked {
    /// Who is asked: the customer, or the parent they are billed to.
    pub payer: Customer,
    /// What the payer owes on its own account (zero when a reminder is
    /// about one sub-client only).
    pub own: Decimal,
    /// Sub-clients billed to the payer who owe something, with what each
    /// owes, by name.
    pub for_subs: Vec<(Customer, Decimal)>,
    /// What of it is past due, on which invoices (a sub-client's named).
    pub past_due: PastDue,
}

impl Asked {
    /// What the payer is asked to pay in all.
    pub fn total(&self) -> Decimal {
        self.own + self.for_subs.iter().map(|(_, o)| *o).sum::<Decimal>()
    }
}

/// The parent `customer` is billed to, if any.
pub fn billed_to(r: &Reads<'_>, customer: &Customer) -> Result<Option<Customer>> {
    match customer.parent_id.filter(|_| customer.bill_to_parent) {
        Some(parent) => Ok(Some(find_customer(r, parent)?)),
        None => Ok(None),
    }
}

/// What is asked because of `id`: for a sub-client billed to its parent,
/// what the sub-client owes, asked of the parent; for anyone else, what
/// they owe and what their billed sub-clients owe, asked of them.
pub fn asked_for(r: &Reads<'_>, id: CustomerId, today: NaiveDate) -> Result<Asked> {
    let customer = find_customer(r, id)?;
    match billed_to(r, &customer)? {
        Some(parent) => {
            let owed = figures::owed(customer.balance);
            let invoices = named(r.past_due_invoices(id, today)?, &customer.name);
            Ok(Asked {
                payer: parent,
                own: Decimal::ZERO,
                past_due: PastDue::new(invoices, owed),
                for_subs: vec![(customer, owed)]
                    .into_iter()
                    .filter(|(_, o)| !o.is_zero())
                    .collect(),
            })
        }
        None => asked_of_payer(r, customer, today),
    }
}

/// What `payer` is asked to pay for itself and its billed sub-clients.
pub fn asked_of_payer(r: &Reads<'_>, payer: Customer, today: NaiveDate) -> Result<Asked> {
    let (own, for_subs) = owed_parts(r, &payer)?;
    let mut invoices = r.past_due_invoices(payer.id, today)?;
    for (sub, _) in &for_subs {
        invoices.extend(named(r.past_due_invoices(sub.id, today)?, &sub.name));
    }
    // The longest late first, whoever's it is.
    invoices.sort_by_key(|i| std::cmp::Reverse(i.days_late));
    let total = own + for_subs.iter().map(|(_, o)| *o).sum::<Decimal>();
    Ok(Asked {
        payer,
        own,
        for_subs,
        past_due: PastDue::new(invoices, total),
    })
}

/// What `payer` owes itself, and each sub-client billed to it that owes
/// something with what it owes (the payment page's amount due).
pub fn owed_parts(r: &Reads<'_>, payer: &Customer) -> Result<(Decimal, Vec<(Customer, Decimal)>)> {
    let mut for_subs = Vec::new();
    for sub in r.sub_clients(payer.id, 0, MAX_BILLED_SUBS)? {
        let owed = figures::owed(sub.balance);
        if sub.bill_to_parent && !owed.is_zero() {
            for_subs.push((sub, owed));
        }
    }
    Ok((figures::owed(payer.balance), for_subs))
}

/// What `customer` itself is asked to pay: nothing when it is billed to
/// its parent; else what it owes and what its billed sub-clients owe.
pub fn asked_total(r: &Reads<'_>, customer: &Customer) -> Result<Decimal> {
    if billed_to(r, customer)?.is_some() {
        return Ok(Decimal::ZERO);
    }
    let (own, for_subs) = owed_parts(r, customer)?;
    Ok(own + for_subs.iter().map(|(_, o)| *o).sum::<Decimal>())
}

/// A sub-client's invoices, each numbered with whose it is.
fn named(invoices: Vec<PastDueInvoice>, name: &str) -> Vec<PastDueInvoice> {
    invoices
        .into_iter()
        .map(|i| PastDueInvoice {
            number: format!("{} ({name})", i.number),
            ..i
        })
        .collect()
}
