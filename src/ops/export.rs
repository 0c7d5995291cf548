//! Exports for spreadsheets and accountants: customers, entries and
//! invoices as CSV, and the whole book as an hledger or beancount journal.
//! Each reads one snapshot of the book, so a file never mixes two moments;
//! entries stream from the database to the writer in the order they were
//! entered, never held whole and never sorted (hledger and beancount order
//! a journal by date themselves; a spreadsheet sorts on a click).
//!
//! The entries CSV is the format `import entries` reads, so export →
//! import into an empty book gives the same balances (refunds and
//! transfers out come back as refunds).

use std::io::Write;

use super::{Book, Result};
use crate::domain::CustomerSort;
use crate::domain::entry::EntryKind;
use crate::exchange::csv_out::{Cell, CsvOut};
use crate::exchange::journal::{Flavor, Journal, JournalEntry};
use crate::store::{CustomerQuery, InvoiceQuery, StoreError};

/// What to export.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Export {
    Customers,
    Entries,
    Invoices,
    Journal(Flavor),
}

fn text(s: &Option<String>) -> Cell<'_> {
    Cell::Text(s.as_deref().unwrap_or(""))
}

fn io(e: std::io::Error) -> StoreError {
    StoreError::Unreadable {
        path: "the export".into(),
        source: e,
    }
}

impl Book {
    /// Writes `what` to `out`; returns how many rows (or transactions).
    pub fn export(&self, what: Export, out: impl Write) -> Result<usize> {
        self.snapshot(|r| {
            let cur = self.currency();
            let num = |v| Cell::Number(cur.plain(v));
            let mut n = 0;
            match what {
                Export::Customers => {
                    let mut w = CsvOut::new(
                        out,
                        &[
                            "name",
                            "email",
                            "phone",
                            "address",
                            "tax_id",
                            "legal_name",
                            "notes",
                            "source",
                            "balance",
                        ],
                    )
                    .map_err(io)?;
                    let all = CustomerQuery {
                        sort: CustomerSort::Name,
                        search: None,
                        offset: 0,
                        limit: usize::MAX >> 1,
                    };
                    for c in r.customers(&all)? {
                        w.row(&[
                            Cell::Text(&c.name),
                            text(&c.email),
                            text(&c.phone),
                            text(&c.address),
                            text(&c.tax_id),
                            text(&c.legal_name),
                            text(&c.notes),
                            Cell::Text(&c.source),
                            num(c.balance),
                        ])
                        .map_err(io)?;
                        n += 1;
                    }
                    w.finish().map_err(io)?;
                }
                Export::Entries => {
                    let mut w = CsvOut::new(
                        out,
                        &[
                            "date",
                            "customer",
                            "email",
                            "type",
                            "amount",
                            "tax",
                            "description",
                            "method",
                            "reference",
                            "invoice",
                        ],
                    )
                    .map_err(io)?;
                    let amount = |minor: i64| Cell::Amount(cur.plain_minor(minor.into()));
                    r.each_entry(|e| {
                        let kind = match e.kind {
                            EntryKind::Payout => "refund",
                            k => k.as_str(),
                        };
                        w.row(&[
                            Cell::Text(e.date),
                            Cell::Text(e.name),
                            Cell::Text(e.email.unwrap_or("")),
                            Cell::Text(kind),
                            amount(e.amount),
                            amount(e.tax),
                            Cell::Text(e.description),
                            Cell::Text(e.method.map(|m| m.as_str()).unwrap_or("")),
                            Cell::Text(e.reference.unwrap_or("")),
                            Cell::Text(e.invoice.unwrap_or("")),
                        ])
                        .map_err(io)?;
                        n += 1;
                        Ok(())
                    })?;
                    w.finish().map_err(io)?;
                }
                Export::Invoices => {
                    let mut w = CsvOut::new(
                        out,
                        &[
                            "number",
                            "status",
                            "customer_id",
                            "customer",
                            "issue_date",
                            "due_date",
                            "total",
                            "paid",
                            "remaining",
                        ],
                    )
                    .map_err(io)?;
                    let names: std::collections::HashMap<i64, String> =
                        r.customer_names()?.into_iter().collect();
                    let all = InvoiceQuery {
                        limit: usize::MAX >> 1,
                        ..Default::default()
                    };
                    let day = |d: Option<chrono::NaiveDate>| {
                        d.map(|d| d.format("%Y-%m-%d").to_string())
                            .unwrap_or_default()
                    };
                    for i in r.invoices(&all)? {
                        let (issued, due, id) = (
                            day(i.issue_date),
                            day(i.due_date),
                            i.customer_id.0.to_string(),
                        );
                        w.row(&[
                            Cell::Text(i.number.as_deref().unwrap_or("")),
                            Cell::Text(i.status.as_str()),
                            Cell::Number(id),
                            Cell::Text(names.get(&i.customer_id.0).map_or("", String::as_str)),
                            Cell::Text(&issued),
                            Cell::Text(&due),
                            num(i.total),
                            num(i.paid),
                            num(i.remaining()),
                        ])
                        .map_err(io)?;
                        n += 1;
                    }
                    w.finish().map_err(io)?;
                }
                Export::Journal(flavor) => {
                    let title = format!("tally export of {}", self.path().display());
                    let customers = r.customer_names()?;
                    let mut j =
                        Journal::new(flavor, out, &cur.code, &title, &customers).map_err(io)?;
                    r.each_entry(|e| {
                        let entry = JournalEntry {
                            id: e.id,
                            date: e.date,
                            customer: e.customer,
                            kind: e.kind,
                            amount: e.amount,
                            tax: e.tax,
                            description: e.description,
                            method: e.method,
                            invoice: e.invoice,
                            void: e.void,
                            void_tax: e.void_tax,
                            opening: e.opening,
                            memo: e.memo,
                            transfer: e.transfer,
                        };
                        j.entry(&entry, |v| cur.plain_minor(v)).map_err(io)?;
                        n += 1;
                        Ok(())
                    })?;
                    j.finish().map_err(io)?;
                }
            }
            Ok(n)
        })
    }
}
