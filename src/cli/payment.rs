//! `tally payment list ID`: every payment a customer made, with how much of
//! each is applied and to which invoices.

use anyhow::Result;
use clap::Subcommand;
use serde_json::json;

use super::output::{print_json, say, table};
use crate::domain::customer::CustomerId;
use crate::ops::Book;

#[derive(Debug, Subcommand)]
pub enum PaymentCmd {
    /// A customer's payments, newest first: amount, method, reference,
    /// whether it is applied, partly applied or unapplied, and the invoices
    /// it paid.
    List {
        /// Customer id (the ID column of `tally customer list`).
        customer: i64,
        #[arg(long)]
        json: bool,
    },
}

pub fn run(book: &Book, cmd: PaymentCmd) -> Result<()> {
    let PaymentCmd::List { customer, json } = cmd;
    let id = CustomerId(customer);
    book.customer(id)?;
    let payments = book.reads().payments(id, 0, usize::MAX)?;
    let cur = book.currency();
    if json {
        let items = payments
            .iter()
            .map(|p| {
                json!({
                    "id": p.entry.id.0,
                    "date": p.entry.date.format("%Y-%m-%d").to_string(),
                    "amount": cur.plain(p.entry.amount),
                    "method": p.entry.method.map(|m| m.as_str()),
                    "reference": p.entry.reference,
                    "description": p.entry.description,
                    "status": p.status(),
                    "applied": cur.plain(p.applied),
                    "refunded": cur.plain(p.refunded),
                    "transferred": cur.plain(p.transferred),
                    "invoices": p.invoices,
                })
            })
            .collect();
        return print_json(&items);
    }
    if payments.is_empty() {
        say!("No payments from customer {customer} yet.");
        return Ok(());
    }
    let rows: Vec<Vec<String>> = payments
        .iter()
        .map(|p| {
            vec![
                p.entry.id.to_string(),
                p.entry.date.format("%Y-%m-%d").to_string(),
                cur.plain(p.entry.amount),
                p.entry.method.map(|m| m.as_str()).unwrap_or("").into(),
                p.entry.reference.clone().unwrap_or_default(),
                p.status().into(),
                cur.plain(p.refunded),
                cur.plain(p.transferred),
                p.invoices.join(", "),
            ]
        })
        .collect();
    table(
        &[
            "ID",
            "DATE",
            "AMOUNT",
            "METHOD",
            "REFERENCE",
            "STATUS",
            "REFUNDED",
            "TRANSFERRED",
            "INVOICES",
        ],
        &rows,
        &[0, 2, 6, 7],
    )
}
