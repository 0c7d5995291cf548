//! Who is asked to pay what (seed 003, "route billing to the parent").
//!
//! The rule, in one place for the payment page, reminders, statements and
//! the customer screen:
//! - A sub-client with "bill to parent" is never asked to pay: its
//!   invoices are addressed to its parent, and its parent is asked to pay
//!   them, with the parent's link, greeting the parent's primary contact.
//!   Its own page and statement say who it is billed to.
//! - A parent and the sub-clients billed to it are one *billing group*.
//!   The parent is asked to pay what the group owes: `figures::owed` of
//!   the group's balances summed, so a sub-client's credit counts against
//!   the group's debt, exactly as the parent's statement (which lists the
//!   whole group, each line naming its sub-client) runs its balance. The
//!   page shows each member's part.
//! - A reminder about one sub-client billed to its parent asks the parent
//!   for what that sub-client owes.
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

/// A payer and the sub-clients billed to it.
#[derive(Debug, Clone, PartialEq)]
pub struct Group {
    pub payer: Customer,
    /// The sub-clients billed to the payer, by name.
    pub subs: Vec<Customer>,
}

impl Group {
    /// The members' balances summed (owner's sign).
    pub fn balance(&self) -> Decimal {
        self.payer.balance + self.subs.iter().map(|s| s.balance).sum::<Decimal>()
    }

    /// What the payer is asked to pay for the group.
    pub fn owed(&self) -> Decimal {
        figures::owed(self.balance())
    }
}

/// What one payer is asked to pay because of one customer, and what of it
/// is past due.
#[derive(Debug, Clone, PartialEq)]
pub struct Asked {
    /// Who is asked: the customer, or the parent they are billed to.
    pub payer: Customer,
    /// Whose debt it is: the payer's group, or the one sub-client.
    pub covers: Vec<CustomerId>,
    pub owed: Decimal,
    /// Past-due invoices, a sub-client's named, never more than `owed`.
    pub past_due: PastDue,
}

/// The parent `customer` is billed to, if any.
pub fn billed_to(r: &Reads<'_>, customer: &Customer) -> Result<Option<Customer>> {
    match customer.parent_id.filter(|_| customer.bill_to_parent) {
        Some(parent) => Ok(Some(find_customer(r, parent)?)),
        None => Ok(None),
    }
}

/// `payer` and the sub-clients billed to it.
pub fn group(r: &Reads<'_>, payer: Customer) -> Result<Group> {
    let mut subs = r.sub_clients(payer.id, 0, MAX_BILLED_SUBS)?;
    subs.retain(|s| s.bill_to_parent);
    Ok(Group { payer, subs })
}

/// What `customer` itself is asked to pay: nothing when it is billed to
/// its parent; else what its billing group owes.
pub fn asked_total(r: &Reads<'_>, customer: &Customer) -> Result<Decimal> {
    if billed_to(r, customer)?.is_some() {
        return Ok(Decimal::ZERO);
    }
    Ok(group(r, customer.clone())?.owed())
}

/// What is asked because of `id`: for a sub-client billed to its parent,
/// what the sub-client owes, asked of the parent; for anyone else, what
/// their billing group owes, asked of them.
pub fn asked_for(r: &Reads<'_>, id: CustomerId, today: NaiveDate) -> Result<Asked> {
    let customer = find_customer(r, id)?;
    if let Some(parent) = billed_to(r, &customer)? {
        let owed = figures::owed(customer.balance);
        let invoices = named(r.past_due_invoices(id, today)?, &customer.name);
        return Ok(Asked {
            payer: parent,
            covers: vec![id],
            owed,
            past_due: PastDue::new(invoices, owed),
        });
    }
    let group = group(r, customer)?;
    let mut invoices = r.past_due_invoices(group.payer.id, today)?;
    for sub in &group.subs {
        invoices.extend(named(r.past_due_invoices(sub.id, today)?, &sub.name));
    }
    // The longest late first, whoever's it is.
    invoices.sort_by_key(|i| std::cmp::Reverse(i.days_late));
    let owed = group.owed();
    let mut covers = vec![group.payer.id];
    covers.extend(group.subs.iter().map(|s| s.id));
    Ok(Asked {
        covers,
        owed,
        past_due: PastDue::new(invoices, owed),
        payer: group.payer,
    })
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
