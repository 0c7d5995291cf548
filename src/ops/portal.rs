//! What a payment link shows (seed 001), read fresh from the book on every
//! request. Read-only: these functions take [`Reads`], so the portal can run
//! on a read-only connection next to a TUI that is writing.
//!
//! Invariants: an unknown token, a revoked token and an invoice that is not
//! a finalized, unpaid invoice this customer is asked to pay all come back
//! as `None`, so the server answers them identically. Who is asked to pay
//! what is `ops::payer`'s rule: a parent's page carries its sub-clients
//! billed to it; theirs says who they are billed to.

use chrono::NaiveDate;
use rust_decimal::Decimal;

use super::{Result, payer};
use crate::config::Config;
use crate::document::invoice::InvoiceDoc;
use crate::domain::figures;
use crate::domain::invoice::InvoiceFilter;
use crate::domain::link::{self, Token};
use crate::domain::{Customer, CustomerId, Entry, Invoice, InvoiceId, InvoiceStatus};
use crate::store::{InvoiceQuery, Reads};

/// How many line items "View recent charges" shows.
pub const RECENT_ITEMS: usize = 20;
/// At most this many open invoices are listed on the page.
pub const MAX_INVOICES: usize = 50;

/// A customer's account as their payment page shows it.
#[derive(Debug, Clone)]
pub struct Account {
    pub customer: Customer,
    /// Newest first, at most [`RECENT_ITEMS`].
    pub recent: Vec<Entry>,
    /// Finalized, unpaid invoices it is asked to pay, oldest due first,
    /// each with the sub-client's name when it is one billed to them.
    pub invoices: Vec<(Invoice, Option<String>)>,
    /// The parent this customer is billed to (then it is asked nothing).
    pub billed_to: Option<String>,
    /// For a parent with sub-clients billed to it: each member's part of
    /// what the group owes (customer's sign: negative is credit), its own
    /// first as `None`, then each sub-client by name. Empty otherwise.
    pub parts: Vec<(Option<String>, Decimal)>,
    /// The group's balances summed (owner's sign); the customer's own
    /// balance when it has no sub-clients billed to it.
    pub group_balance: Decimal,
}

/// The page's states, from what the customer is asked to pay.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Standing {
    /// Nothing asked, nothing held: "You're all set!"
    Settled,
    /// Nothing asked, and account credit of this amount.
    Credit(Decimal),
    /// The customer is asked to pay this (positive) amount.
    Owes(Decimal),
    /// Billed to this parent: the parent is asked, not this customer.
    BilledTo(String),
}

impl Account {
    pub fn standing(&self) -> Standing {
        if let Some(parent) = &self.billed_to {
            return Standing::BilledTo(parent.clone());
        }
        let owed = figures::owed(self.group_balance);
        let credit = figures::net_credit(self.group_balance);
        if !owed.is_zero() {
            Standing::Owes(owed)
        } else if !credit.is_zero() {
            Standing::Credit(credit)
        } else {
            Standing::Settled
        }
    }
}

/// The account behind a live token.
pub fn account(reads: &Reads<'_>, token: &Token) -> Result<Option<Account>> {
    let Some(id) = reads.link_customer(token)? else {
        return Ok(None);
    };
    let Some(customer) = reads.customer(id)? else {
        return Ok(None);
    };
    let recent = reads.history(id, 0, RECENT_ITEMS)?;
    if let Some(parent) = payer::billed_to(reads, &customer)? {
        return Ok(Some(Account {
            customer,
            recent,
            invoices: Vec::new(),
            billed_to: Some(parent.name),
            parts: Vec::new(),
            group_balance: Decimal::ZERO,
        }));
    }
    let group = payer::group(reads, customer)?;
    let mut invoices: Vec<(Invoice, Option<String>)> = open_invoices(reads, id)?
        .into_iter()
        .map(|i| (i, None))
        .collect();
    let mut parts = Vec::new();
    if !group.subs.is_empty() {
        parts.push((None, figures::customer_sign(group.payer.balance)));
    }
    for sub in &group.subs {
        let mine = open_invoices(reads, sub.id)?;
        invoices.extend(mine.into_iter().map(|i| (i, Some(sub.name.clone()))));
        parts.push((Some(sub.name.clone()), figures::customer_sign(sub.balance)));
    }
    invoices.sort_by_key(|(i, _)| (i.due_date, i.id));
    invoices.truncate(MAX_INVOICES);
    Ok(Some(Account {
        group_balance: group.balance(),
        customer: group.payer,
        recent,
        invoices,
        billed_to: None,
        parts,
    }))
}

fn open_invoices(reads: &Reads<'_>, id: CustomerId) -> Result<Vec<Invoice>> {
    Ok(reads.invoices(&InvoiceQuery {
        customer: Some(id),
        filter: InvoiceFilter::Status(InvoiceStatus::Open),
        sort: crate::domain::invoice::InvoiceSort::DueDate,
        today: None,
        contract: None,
        offset: 0,
        limit: MAX_INVOICES,
    })?)
}

/// One of the token's customer's open invoices as a document.
/// The statement of account the portal shows to whoever holds `token`.
pub fn statement_doc(
    reads: &Reads<'_>,
    token: &Token,
    config: &Config,
    today: NaiveDate,
) -> Result<Option<crate::document::statement::StatementDoc>> {
    let Some(customer_id) = reads.link_customer(token)? else {
        return Ok(None);
    };
    let mut doc = super::reports::statement_doc(reads, config, customer_id, None, today)?;
    // "Back" returns to the page the visitor came from.
    doc.link = Some(link::url(&config.portal.base_url, token));
    Ok(Some(doc))
}

pub fn invoice_doc(
    reads: &Reads<'_>,
    token: &Token,
    invoice: InvoiceId,
    config: &Config,
    today: NaiveDate,
) -> Result<Option<InvoiceDoc>> {
    let Some(customer_id) = reads.link_customer(token)? else {
        return Ok(None);
    };
    let Some(invoice) = reads
        .invoice(invoice)?
        .filter(|i| i.status == InvoiceStatus::Open)
    else {
        return Ok(None);
    };
    // Shown to whoever is asked to pay it: its customer, or the parent it
    // is billed to (never to a sub-client billed to its parent).
    let Some(customer) = reads.customer(invoice.customer_id)? else {
        return Ok(None);
    };
    let payer = payer::billed_to(reads, &customer)?.map_or(customer.id, |p| p.id);
    if payer != customer_id {
        return Ok(None);
    }
    // Addressed as the owner's export is; the link stays the one the
    // visitor came by, so "back" returns to their page.
    let (customer, on_behalf_of) = super::invoices::addressee(reads, customer)?;
    Ok(Some(InvoiceDoc {
        business: config.business.clone(),
        currency: config.currency(),
        lines: reads.invoice_lines(invoice.id)?,
        link: Some(link::url(&config.portal.base_url, token)),
        customer,
        on_behalf_of,
        invoice,
        today,
    }))
}
