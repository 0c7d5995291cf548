//! `tally invoice …` and `tally billing run`: drafting, finalizing, voiding,
//! paying and exporting invoices from the command line.

use std::path::PathBuf;

use anyhow::{Context, Result, anyhow};
use clap::{Subcommand, ValueEnum};

use super::output::{invoice_json, print_json, say, table};
use crate::domain::customer::CustomerId;
use crate::domain::entry::EntryId;
use crate::domain::invoice::{InvoiceError, InvoiceFilter, InvoiceRef};
use crate::domain::{Invoice, InvoiceStatus};
use crate::ops::{Book, PaymentInput};
use crate::store::InvoiceQuery;

#[derive(Debug, Subcommand)]
pub enum InvoiceCmd {
    /// Draft an invoice from all of a customer's open charges, or the listed
    /// ones. Prints the draft's id. Drafts have no number and are not bills.
    Draft {
        /// Customer id (the ID column of `tally customer list`).
        customer: i64,
        /// Charge ids to put on the draft, e.g. 3,5,8 (default: every open charge).
        #[arg(long, value_name = "IDS")]
        charges: Option<String>,
    },
    /// List invoices, drafts first then newest number first.
    List {
        #[arg(long, value_name = "ID")]
        customer: Option<i64>,
        /// draft, open, paid, void or overdue.
        #[arg(long, value_name = "STATUS")]
        status: Option<String>,
        /// Only invoices with charges of this contract (its id).
        #[arg(long, value_name = "CONTRACT_ID")]
        contract: Option<i64>,
        /// Order: number (default) or contract (contract name, then period).
        #[arg(long, value_parser = ["number", "contract"])]
        sort: Option<String>,
        #[arg(long, value_name = "N", default_value_t = 100)]
        limit: usize,
        #[arg(long)]
        json: bool,
    },
    /// One invoice: its state, charges and totals.
    Show {
        /// Invoice id or number (e.g. 12 or INV-0007).
        invoice: String,
        #[arg(long)]
        json: bool,
    },
    /// Finalize & lock a draft: it gets the next number, an issue date and a
    /// due date, and its charges can no longer be edited.
    Finalize {
        /// Invoice id or number (e.g. 12 or INV-0007).
        invoice: String,
        /// Issue date, YYYY-MM-DD (default: today).
        #[arg(long, allow_hyphen_values = true)]
        date: Option<String>,
        #[command(flatten)]
        email: super::mail::NoEmail,
    },
    /// Delete a draft; its charges become open again.
    Delete {
        /// Invoice id or number (e.g. 12 or INV-0007).
        invoice: String,
    },
    /// Void an open invoice: it no longer requires payment. Posts a credit
    /// "Void INV-…" and returns its payments to available credit.
    Void {
        /// Invoice id or number (e.g. 12 or INV-0007).
        invoice: String,
    },
    /// Mark as paid: record an outside payment for what is left (or --amount).
    Pay {
        /// Invoice id or number (e.g. 12 or INV-0007).
        invoice: String,
        #[arg(long, allow_hyphen_values = true)]
        amount: Option<String>,
        /// cash, card, check, transfer or other.
        #[arg(long)]
        method: Option<String>,
        /// Check number, transfer id…
        #[arg(long)]
        reference: Option<String>,
        /// When it was paid, YYYY-MM-DD (default: today).
        #[arg(long, allow_hyphen_values = true)]
        date: Option<String>,
    },
    /// Pay an invoice from the customer's available credit; the balance does not move.
    ApplyCredit {
        /// Invoice id or number (e.g. 12 or INV-0007).
        invoice: String,
        #[arg(long, allow_hyphen_values = true)]
        amount: Option<String>,
    },
    /// Cancel several invoices at once: drafts are deleted, open ones voided.
    Cancel {
        /// Invoice ids or numbers (e.g. 3 INV-0007).
        #[arg(required = true)]
        invoices: Vec<String>,
    },
    /// Write an invoice as a printable HTML page or plain text.
    Export {
        /// Invoice id or number (e.g. 12 or INV-0007).
        invoice: String,
        #[arg(long, value_enum, default_value_t = Format::Html)]
        format: Format,
        /// File to write (default: print to standard output).
        #[arg(long, value_name = "FILE")]
        out: Option<PathBuf>,
    },
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum Format {
    Html,
    Txt,
}

#[derive(Debug, Subcommand)]
pub enum BillingCmd {
    /// Invoice every past month of open charges for customers on the monthly
    /// cycle (skipping paused ones). Running it again creates nothing new.
    Run {
        /// Bill as if today were this date, YYYY-MM-DD.
        #[arg(long, allow_hyphen_values = true)]
        date: Option<String>,
    },
}

pub fn run(book: &mut Book, cmd: InvoiceCmd) -> Result<()> {
    match cmd {
        InvoiceCmd::Draft { customer, charges } => draft(book, customer, charges),
        InvoiceCmd::List {
            customer,
            status,
            contract,
            sort,
            limit,
            json,
        } => {
            if let Some(k) = contract {
                book.contract(crate::domain::contract::ContractId(k))?;
            }
            let by_contract = sort.as_deref() == Some("contract");
            list(book, customer, status, (contract, by_contract), limit, json)
        }
        InvoiceCmd::Show { invoice, json } => show(book, &invoice, json),
        InvoiceCmd::Finalize {
            invoice,
            date,
            email,
        } => {
            book.set_email(!email.no_email);
            let (inv, delivery) =
                book.finalize_invoice_mailed(&reference(&invoice)?, date.as_deref())?;
            say!(
                "Finalized {}: total {}, due {}",
                inv.label(),
                book.currency().display(inv.total),
                day(inv.due_date)
            );
            if book.config().mail.is_set() {
                say!("{}", delivery.describe("Invoice"));
            }
            Ok(())
        }
        InvoiceCmd::Delete { invoice } => {
            let inv = book.delete_draft(&reference(&invoice)?)?;
            say!(
                "Deleted draft {}: {}",
                inv.id,
                crate::domain::invoice::charges_open_again(inv.lines)
            );
            Ok(())
        }
        InvoiceCmd::Void { invoice } => {
            let before = book.invoice(&reference(&invoice)?)?;
            let inv = book.void_invoice(&InvoiceRef::Id(before.id))?;
            let cur = book.currency();
            say!(
                "Voided {}: credit \"Void {}\" of {} posted; {} of payments back to available credit",
                inv.label(),
                inv.label(),
                cur.display(inv.total),
                cur.display(before.paid)
            );
            Ok(())
        }
        InvoiceCmd::Pay {
            invoice,
            amount,
            method,
            reference: r,
            date,
        } => {
            let p = PaymentInput {
                amount,
                method,
                reference: r,
                date,
            };
            let (inv, credit) = book.pay_invoice(&reference(&invoice)?, &p)?;
            let paid = book.entry(credit)?.amount;
            say!(
                "Recorded payment {credit} of {} for {}: {}, {} remaining",
                book.currency().display(paid),
                inv.label(),
                inv.status.as_str(),
                book.currency().display(inv.remaining())
            );
            Ok(())
        }
        InvoiceCmd::ApplyCredit { invoice, amount } => {
            let (inv, applied) = book.apply_credit(&reference(&invoice)?, amount.as_deref())?;
            say!(
                "Applied {} of credit to {}: {}, {} remaining",
                book.currency().display(applied),
                inv.label(),
                inv.status.as_str(),
                book.currency().display(inv.remaining())
            );
            Ok(())
        }
        InvoiceCmd::Cancel { invoices } => cancel(book, &invoices),
        InvoiceCmd::Export {
            invoice,
            format,
            out,
        } => export(book, &invoice, format, out),
    }
}

pub fn billing(book: &mut Book, cmd: BillingCmd) -> Result<()> {
    let BillingCmd::Run { date } = cmd;
    let today = book.clock().today();
    let date = match date {
        Some(d) => crate::domain::date::parse_date(&d, today).map_err(|e| anyhow!("date {e}"))?,
        None => today,
    };
    // Contracts first: the charges they post are billed in the same run.
    for c in book.contract_catch_up(date)? {
        say!(
            "Contract #{} {} (customer {}): charged {}",
            c.contract,
            c.name,
            c.customer,
            c.periods.join(", ")
        );
    }
    let made = book.billing_run(date)?;
    if made.is_empty() {
        say!("Nothing to bill: every past month of monthly customers is already invoiced");
    } else {
        let rows: Vec<Vec<String>> = made.iter().map(|i| row(book, i)).collect();
        table(&HEADER, &rows, &[5, 6])?;
    }
    // The reminders the schedule has due go with the billing run.
    if book.config().mail.is_set() {
        super::mail::reminders(book, Some(date))?;
    }
    Ok(())
}

pub(super) fn reference(s: &str) -> Result<InvoiceRef> {
    InvoiceRef::parse(s).ok_or_else(|| {
        anyhow!("\"{s}\" is not an invoice: use its id (e.g. 12) or its number (e.g. INV-0007)")
    })
}

fn draft(book: &mut Book, customer: i64, charges: Option<String>) -> Result<()> {
    let ids = match charges {
        None => None,
        Some(list) => Some(parse_ids(&list)?),
    };
    let id = book.draft_invoice(CustomerId(customer), ids.as_deref())?;
    say!("{id}");
    Ok(())
}

fn parse_ids(list: &str) -> Result<Vec<EntryId>> {
    let bad = || InvoiceError::BadChargeList(list.to_string());
    let mut ids = Vec::new();
    for part in list.split(',').map(str::trim).filter(|p| !p.is_empty()) {
        let n: i64 = part.trim_start_matches('#').parse().map_err(|_| bad())?;
        if !ids.contains(&EntryId(n)) {
            ids.push(EntryId(n));
        }
    }
    Ok(ids)
}

const HEADER: [&str; 8] = [
    "id",
    "number",
    "status",
    "customer",
    "issued",
    "total",
    "remaining",
    "due",
];

fn row(book: &Book, i: &Invoice) -> Vec<String> {
    let cur = book.currency();
    vec![
        i.id.to_string(),
        i.number.clone().unwrap_or_else(|| "-".into()),
        i.status_label(book.clock().today()).into(),
        i.customer_id.to_string(),
        day(i.issue_date),
        cur.display(i.total),
        if i.status == InvoiceStatus::Draft {
            "-".into()
        } else {
            cur.display(i.remaining())
        },
        day(i.due_date),
    ]
}

fn day(d: Option<chrono::NaiveDate>) -> String {
    d.map(|d| d.format("%Y-%m-%d").to_string())
        .unwrap_or_else(|| "-".into())
}

fn list(
    book: &Book,
    customer: Option<i64>,
    status: Option<String>,
    (contract, by_contract): (Option<i64>, bool),
    limit: usize,
    json: bool,
) -> Result<()> {
    let filter = match status {
        None => InvoiceFilter::All,
        Some(s) => InvoiceFilter::parse(&s).ok_or_else(|| {
            anyhow!("status \"{s}\" is not one of: draft, open, paid, void, overdue, all")
        })?,
    };
    if let Some(c) = customer {
        book.customer(CustomerId(c))?;
    }
    let q = InvoiceQuery {
        customer: customer.map(CustomerId),
        filter,
        today: Some(book.clock().today()),
        contract: contract.map(crate::domain::contract::ContractId),
        sort: if by_contract {
            crate::domain::invoice::InvoiceSort::Contract
        } else {
            Default::default()
        },
        limit,
        ..Default::default()
    };
    let invoices = book.reads().invoices(&q)?;
    if json {
        let today = book.clock().today();
        let v: Vec<_> = invoices
            .iter()
            .map(|i| invoice_json(i, book.currency(), today))
            .collect();
        return print_json(&serde_json::Value::Array(v));
    }
    if invoices.is_empty() {
        match filter {
            InvoiceFilter::All => {
                say!("No invoices. Draft one with `tally invoice draft CUSTOMER_ID`.")
            }
            f => say!("No {} invoices.", f.label()),
        }
        return Ok(());
    }
    let rows: Vec<Vec<String>> = invoices.iter().map(|i| row(book, i)).collect();
    table(&HEADER, &rows, &[5, 6])?;
    Ok(())
}

fn show(book: &Book, invoice: &str, json: bool) -> Result<()> {
    let inv = book.invoice(&reference(invoice)?)?;
    let cur = book.currency();
    let lines = book.reads().invoice_lines(inv.id)?;
    let payments = book.reads().invoice_allocations(inv.id)?;
    let today = book.clock().today();
    if json {
        let mut v = invoice_json(&inv, cur, today);
        v["lines"] = lines
            .iter()
            .map(|e| super::output::entry_json(e, cur))
            .collect();
        v["allocations"] = payments
            .iter()
            .map(|(e, amount)| {
                serde_json::json!({
                    "credit_id": e.id.0,
                    "date": e.date.format("%Y-%m-%d").to_string(),
                    "amount": cur.plain(*amount),
                    "method": e.method.map(|m| m.as_str()),
                    "reference": e.reference,
                    "description": e.description,
                })
            })
            .collect();
        return print_json(&v);
    }
    let customer = book.customer(inv.customer_id)?;
    say!("{} · {}", inv.label(), inv.status_label(today));
    say!("  customer:   {} (customer {})", customer.name, customer.id);
    say!("  issued:     {}", day(inv.issue_date));
    say!("  due:        {}", day(inv.due_date));
    if let Some(p) = &inv.period {
        say!("  period:     {p}");
    }
    say!();
    let rows: Vec<Vec<String>> = lines
        .iter()
        .map(|e| {
            vec![
                e.id.to_string(),
                e.date.format("%Y-%m-%d").to_string(),
                e.description.clone(),
                cur.display(e.amount),
                cur.display(e.tax),
            ]
        })
        .collect();
    table(
        &["charge", "date", "description", "amount", "tax"],
        &rows,
        &[3, 4],
    )?;
    if !payments.is_empty() {
        say!();
        let rows: Vec<Vec<String>> = payments
            .iter()
            .map(|(e, amount)| {
                vec![
                    e.id.to_string(),
                    e.date.format("%Y-%m-%d").to_string(),
                    e.description.clone(),
                    e.reference.clone().unwrap_or_default(),
                    cur.display(*amount),
                ]
            })
            .collect();
        table(
            &["credit", "date", "description", "reference", "applied"],
            &rows,
            &[4],
        )?;
    }
    say!();
    say!("  total:      {:>14}", cur.display(inv.total));
    say!("  paid:       {:>14}", cur.display(inv.paid));
    match inv.status {
        InvoiceStatus::Draft => {}
        // Nothing is asked any more: the void credit cancelled the rest.
        InvoiceStatus::Void => say!("  voided:     {:>14}", cur.display(inv.total - inv.paid)),
        _ => say!("  remaining:  {:>14}", cur.display(inv.remaining())),
    }
    Ok(())
}

fn cancel(book: &mut Book, invoices: &[String]) -> Result<()> {
    let mut ids = Vec::new();
    for s in invoices {
        ids.push(book.invoice(&reference(s)?)?.id);
    }
    let done = book.cancel_invoices(&ids)?;
    let deleted: Vec<String> = done.deleted.iter().map(|i| format!("draft {i}")).collect();
    if !deleted.is_empty() {
        say!("Deleted {}", deleted.join(", "));
    }
    if !done.voided.is_empty() {
        say!("Voided {}", done.voided.join(", "));
    }
    Ok(())
}

fn export(book: &Book, invoice: &str, format: Format, out: Option<PathBuf>) -> Result<()> {
    let doc = book.invoice_doc(&reference(invoice)?)?;
    let text = match format {
        Format::Html => doc.html(),
        Format::Txt => doc.text(),
    };
    match out {
        None => super::output::text(&text)?,
        Some(path) => {
            std::fs::write(&path, text)
                .with_context(|| format!("cannot write {}", path.display()))?;
            say!("Wrote {}", path.display());
        }
    }
    Ok(())
}
