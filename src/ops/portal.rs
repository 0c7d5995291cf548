//! What a payment link shows (seed 001), read fresh from the book on every
//! request. Read-only: these functions take [`Reads`], so the portal can run
//! on a read-only connection next to a TUI that is writing.
//!
//! Invariants: an unknown token, a revoked token and an invoice that is not
//! this customer's finalized, unpaid invoice all come back as `None`, so the
//! server answers them identically.

use chrono::NaiveDate;
use rust_decimal::Decimal;

use super::Result;
use crate::config::Config;
use crate::document::invoice::InvoiceDoc;
use crate::domain::invoice::InvoiceFilter;
use crate::domain::link::{self, Token};
use crate::domain::{Customer, Entry, Invoice, InvoiceId, InvoiceStatus};
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
    /// Finalized, unpaid invoices, oldest due first.
    pub invoices: Vec<Invoice>,
}

/// The page's three states, from the customer's balance.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Standing {
    /// Balance zero: "You're all set!"
    Settled,
    /// Balance positive: account credit of this amount.
    Credit(Decimal),
    /// Balance negative: the customer owes this (positive) amount.
    Owes(Decimal),
}

impl Account {
    pub fn standing(&self) -> Standing {
        let b = self.customer.balance;
        if b.is_zero() {
            Standing::Settled
        } else if b.is_sign_positive() {
            Standing::Credit(b)
        } else {
            Standing::Owes(-b)
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
    let invoices = reads.invoices(&InvoiceQuery {
        customer: Some(id),
        filter: InvoiceFilter::Status(InvoiceStatus::Open),
        sort: crate::domain::invoice::InvoiceSort::DueDate,
        today: None,
        contract: None,
        offset: 0,
        limit: MAX_INVOICES,
    })?;
    Ok(Some(Account {
        customer,
        recent,
        invoices,
    }))
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
    let shown = reads
        .invoice(invoice)?
        .filter(|i| i.customer_id == customer_id && i.status == InvoiceStatus::Open);
    let (Some(invoice), Some(customer)) = (shown, reads.customer(customer_id)?) else {
        return Ok(None);
    };
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
