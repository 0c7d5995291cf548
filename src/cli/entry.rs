//! `tally charge`, `tally credit`, `tally history` and `tally entry edit|remove`.

use anyhow::Result;
use clap::{Args, Subcommand};

use super::output::{entry_json, esay, print_json, say, table};
use crate::domain::customer::CustomerId;
use crate::domain::entry::{EntryId, EntryInput, EntryKind};
use crate::ops::Book;

#[derive(Debug, Args)]
pub struct ChargeArgs {
    /// Customer id (the ID column of `tally customer list`).
    pub customer: i64,
    /// Amount, e.g. 150, 150.50, 1,500.00 or $150.
    #[arg(allow_hyphen_values = true)]
    pub amount: String,
    /// Tax on top of the amount (default: the configured default tax rate).
    #[arg(long, allow_hyphen_values = true)]
    pub tax: Option<String>,
    #[arg(long, default_value = "")]
    pub desc: String,
    /// YYYY-MM-DD (default: today).
    #[arg(long, default_value = "", allow_hyphen_values = true)]
    pub date: String,
}

#[derive(Debug, Args)]
pub struct CreditArgs {
    /// Customer id (the ID column of `tally customer list`).
    pub customer: i64,
    /// Amount, e.g. 150, 150.50, 1,500.00 or $150.
    #[arg(allow_hyphen_values = true)]
    pub amount: String,
    /// cash, card, check, transfer or other.
    #[arg(long, default_value = "other")]
    pub method: String,
    #[arg(long, default_value = "")]
    pub desc: String,
    #[arg(long, default_value = "", allow_hyphen_values = true)]
    pub date: String,
}

#[derive(Debug, Args)]
pub struct HistoryArgs {
    /// Customer id (the ID column of `tally customer list`).
    pub customer: i64,
    #[arg(long, value_name = "N")]
    pub limit: Option<usize>,
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Subcommand)]
pub enum EntryCmd {
    /// Change an open entry; unnamed fields keep their values.
    Edit {
        /// Entry id (the ID column of `tally history`).
        id: i64,
        #[arg(long, allow_hyphen_values = true)]
        amount: Option<String>,
        #[arg(long, allow_hyphen_values = true)]
        tax: Option<String>,
        #[arg(long)]
        desc: Option<String>,
        #[arg(long, allow_hyphen_values = true)]
        date: Option<String>,
        #[arg(long)]
        method: Option<String>,
    },
    /// Remove an open entry; the balance moves back.
    Remove {
        /// Entry id (the ID column of `tally history`).
        id: i64,
    },
}

pub fn charge(book: &mut Book, a: ChargeArgs) -> Result<()> {
    let input = EntryInput {
        amount: a.amount,
        tax: a.tax,
        description: a.desc,
        date: a.date,
        method: String::new(),
    };
    let id = book.post(CustomerId(a.customer), EntryKind::Charge, &input)?;
    say!("{id}");
    warn_far_future(book, id)
}

pub fn credit(book: &mut Book, a: CreditArgs) -> Result<()> {
    let input = EntryInput {
        amount: a.amount,
        tax: None,
        description: a.desc,
        date: a.date,
        method: a.method,
    };
    let id = book.post(CustomerId(a.customer), EntryKind::Credit, &input)?;
    say!("{id}");
    warn_far_future(book, id)
}

/// Posting is done; a date far ahead is only worth a word on stderr.
fn warn_far_future(book: &Book, id: crate::domain::entry::EntryId) -> Result<()> {
    let e = book.entry(id)?;
    if let Some(note) = crate::domain::date::far_future_note(e.date, book.clock().today()) {
        esay!("warning: {note}");
    }
    Ok(())
}

pub fn history(book: &Book, a: HistoryArgs) -> Result<()> {
    let id = CustomerId(a.customer);
    book.customer(id)?;
    let entries = book
        .reads()
        .history(id, 0, a.limit.unwrap_or(usize::MAX >> 1))?;
    let cur = book.currency();
    if a.json {
        return print_json(&entries.iter().map(|e| entry_json(e, cur)).collect());
    }
    let rows: Vec<Vec<String>> = entries
        .iter()
        .map(|e| {
            vec![
                e.id.to_string(),
                e.date.format("%Y-%m-%d").to_string(),
                e.kind.as_str().into(),
                cur.plain(e.signed_amount()),
                cur.plain(e.signed_tax()),
                e.method.map(|m| m.as_str().to_string()).unwrap_or_default(),
                e.description.clone(),
            ]
        })
        .collect();
    table(
        &[
            "ID",
            "DATE",
            "KIND",
            "AMOUNT",
            "TAX",
            "METHOD",
            "DESCRIPTION",
        ],
        &rows,
        &[0, 3, 4],
    )?;
    Ok(())
}

pub fn run(book: &mut Book, cmd: EntryCmd) -> Result<()> {
    match cmd {
        EntryCmd::Edit {
            id,
            amount,
            tax,
            desc,
            date,
            method,
        } => {
            let id = EntryId(id);
            let mut input = book.entry_input(&book.entry(id)?);
            if let Some(a) = amount {
                input.amount = a;
            }
            if let Some(t) = tax {
                input.tax = Some(t);
            }
            if let Some(d) = desc {
                input.description = d;
            }
            if let Some(d) = date {
                input.date = d;
            }
            if let Some(m) = method {
                input.method = m;
            }
            let changed = book.edit_entry(id, &input)?;
            say!(
                "entry {id} {}",
                if changed { "updated" } else { "unchanged" }
            );
        }
        EntryCmd::Remove { id } => {
            let e = book.remove_entry(EntryId(id))?;
            say!(
                "removed {} {} ({})",
                e.kind.as_str(),
                e.id,
                book.currency().plain(e.signed_amount())
            );
        }
    }
    Ok(())
}
