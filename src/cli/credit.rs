//! `tally refund`, `tally credit-transfer` and `tally credits`: a customer's
//! available credit paid back, moved to another customer, and listed with
//! where each credit came from and what used it (the TUI's Credits tab).

use anyhow::Result;
use clap::Args;
use serde_json::json;

use super::output::{print_json, say, table};
use crate::domain::customer::CustomerId;
use crate::ops::{Book, RefundInput, TransferInput};
use crate::store::CreditItem;

#[derive(Debug, Args)]
pub struct RefundArgs {
    /// Customer id (the ID column of `tally customer list`).
    pub customer: i64,
    /// How much of their available credit to pay back, e.g. 50 or 49.99.
    #[arg(allow_hyphen_values = true)]
    pub amount: String,
    /// How it was paid back: cash, card, check, transfer or other.
    #[arg(long)]
    pub method: Option<String>,
    /// The outside reference (check number, card refund id).
    #[arg(long)]
    pub reference: Option<String>,
    #[arg(long)]
    pub desc: Option<String>,
    /// YYYY-MM-DD (default: today).
    #[arg(long, allow_hyphen_values = true)]
    pub date: Option<String>,
    /// Refund money paid on this paid invoice (id or number): a credit memo
    /// on the invoice releases that much of its payments, which is then
    /// paid back. The invoice stays paid.
    #[arg(long, value_name = "INV")]
    pub invoice: Option<String>,
}

#[derive(Debug, Args)]
pub struct TransferArgs {
    /// The customer whose available credit moves.
    pub from: i64,
    /// The customer who receives it: an id, or part of a name only one
    /// customer's name contains.
    pub to: String,
    /// How much of FROM's available credit to move, e.g. 25 or 24.99.
    #[arg(allow_hyphen_values = true)]
    pub amount: String,
    #[arg(long)]
    pub desc: Option<String>,
    /// YYYY-MM-DD (default: today).
    #[arg(long, allow_hyphen_values = true)]
    pub date: Option<String>,
}

#[derive(Debug, Args)]
pub struct CreditsArgs {
    /// Customer id (the ID column of `tally customer list`).
    pub customer: i64,
    #[arg(long)]
    pub json: bool,
}

pub fn refund(book: &mut Book, a: RefundArgs) -> Result<()> {
    let invoice = a
        .invoice
        .as_deref()
        .map(super::invoice::reference)
        .transpose()?;
    let input = RefundInput {
        amount: a.amount,
        method: a.method,
        reference: a.reference,
        description: a.desc,
        date: a.date,
        invoice,
    };
    let id = book.refund(CustomerId(a.customer), &input)?;
    say!("{id}");
    Ok(())
}

pub fn transfer(book: &mut Book, a: TransferArgs) -> Result<()> {
    let input = TransferInput {
        amount: a.amount,
        description: a.desc,
        date: a.date,
    };
    let from = CustomerId(a.from);
    let to = book.find_customer_named(&a.to, Some(from))?;
    let (out, into) = book.transfer_credit(from, to, &input)?;
    say!("{out} {into}");
    Ok(())
}

pub fn list(book: &Book, a: CreditsArgs) -> Result<()> {
    let id = CustomerId(a.customer);
    let (breakdown, items) = book.snapshot(|r| {
        crate::ops::find_customer(r, id)?;
        Ok((r.breakdown(id)?, r.credit_items(id, 0, usize::MAX)?))
    })?;
    let cur = book.currency();
    if a.json {
        let items: Vec<_> = items.iter().map(|i| item_json(i, book)).collect();
        return print_json(&json!({
            "customer_id": id.0,
            "available_credit": cur.plain(breakdown.available_credit),
            "items": items,
        }));
    }
    say!(
        "Available credit: {}",
        cur.plain(breakdown.available_credit)
    );
    if items.is_empty() {
        say!("No credits for customer {id} yet.");
        return Ok(());
    }
    let rows: Vec<Vec<String>> = items
        .iter()
        .map(|i| {
            vec![
                i.entry.id.to_string(),
                i.entry.date.format("%Y-%m-%d").to_string(),
                i.what(),
                cur.plain(i.entry.signed_amount()),
                cur.plain(i.left()),
                i.went_to(),
            ]
        })
        .collect();
    table(
        &["ID", "DATE", "WHAT", "AMOUNT", "LEFT", "WENT TO"],
        &rows,
        &[0, 3, 4],
    )
}

fn item_json(i: &CreditItem, book: &Book) -> serde_json::Value {
    let cur = book.currency();
    json!({
        "id": i.entry.id.0,
        "date": i.entry.date.format("%Y-%m-%d").to_string(),
        "kind": i.entry.kind.as_str(),
        "source": i.source().map(|s| s.label()),
        "what": i.what(),
        "amount": cur.plain(i.entry.signed_amount()),
        "applied": cur.plain(i.applied),
        "paid_out": cur.plain(i.paid_out),
        "left": cur.plain(i.left()),
        "invoices": i.invoices,
        "other_customer_id": i.other_customer.as_ref().map(|(id, _)| id.0),
        "method": i.entry.method.map(|m| m.as_str()),
        "reference": i.entry.reference,
        "description": i.entry.description,
    })
}
