//! `tally contract add|list|show|edit|end`: agreements a customer is billed
//! through. Their charges are posted by `tally billing run` and when the
//! full-screen book opens.

use anyhow::Result;
use clap::Subcommand;
use serde_json::json;

use super::output::{esay, print_json, say, table};
use crate::domain::contract::{Contract, ContractId, ContractInput};
use crate::domain::customer::CustomerId;
use crate::ops::{Book, ContractEdit, billed_text};

#[derive(Debug, Subcommand)]
pub enum ContractCmd {
    /// Make a contract. Prints its id.
    Add {
        /// Customer id (the ID column of `tally customer list`).
        customer: i64,
        /// What it is called on charges and invoices, e.g. "Monthly lawn care".
        name: String,
        /// recurring or one-time.
        #[arg(long = "type", value_name = "TYPE")]
        kind: String,
        /// The value per period (or the one-time value), e.g. 150.
        #[arg(long, allow_hyphen_values = true)]
        value: String,
        /// First day, YYYY-MM-DD (one-time: the day it is charged).
        #[arg(long, allow_hyphen_values = true)]
        start: String,
        /// Last day, YYYY-MM-DD (recurring; optional).
        #[arg(long, allow_hyphen_values = true)]
        end: Option<String>,
        /// monthly (default), weekly or yearly.
        #[arg(long)]
        every: Option<String>,
        /// Payment terms in days for its invoices.
        #[arg(long)]
        terms: Option<String>,
        #[arg(long)]
        notes: Option<String>,
    },
    /// Contracts, newest first: one customer's, or everyone's.
    List {
        /// Customer id (default: every customer).
        customer: Option<i64>,
        #[arg(long)]
        json: bool,
    },
    /// One contract and what it has billed so far.
    Show {
        /// Contract id (the ID column of `tally contract list`).
        id: i64,
        #[arg(long)]
        json: bool,
    },
    /// Change a contract; a new value applies to periods not charged yet.
    Edit {
        /// Contract id (the ID column of `tally contract list`).
        id: i64,
        #[arg(long)]
        name: Option<String>,
        #[arg(long, allow_hyphen_values = true)]
        value: Option<String>,
        /// YYYY-MM-DD, or none.
        #[arg(long, allow_hyphen_values = true)]
        end: Option<String>,
        #[arg(long)]
        terms: Option<String>,
        #[arg(long)]
        notes: Option<String>,
    },
    /// End a contract: no charges after DATE (default: today); charges
    /// already posted stay.
    End {
        /// Contract id (the ID column of `tally contract list`).
        id: i64,
        #[arg(long, allow_hyphen_values = true)]
        date: Option<String>,
    },
}

impl ContractCmd {
    pub fn writes(&self) -> bool {
        !matches!(self, ContractCmd::List { .. } | ContractCmd::Show { .. })
    }
}

pub fn run(book: &mut Book, cmd: ContractCmd) -> Result<()> {
    match cmd {
        ContractCmd::Add {
            customer,
            name,
            kind,
            value,
            start,
            end,
            every,
            terms,
            notes,
        } => {
            let input = ContractInput {
                name,
                kind,
                every,
                value,
                start,
                end,
                terms,
                notes,
            };
            let (id, periods) = book.add_contract(CustomerId(customer), &input)?;
            say!("{id}");
            if !periods.is_empty() {
                esay!(
                    "Charged {} already started: {}",
                    crate::domain::text::count(periods.len(), "period", "periods"),
                    periods.join(", ")
                );
            }
        }
        ContractCmd::List { customer, json } => {
            let customer = customer.map(CustomerId);
            if let Some(c) = customer {
                book.customer(c)?;
            }
            let list = book.reads().contracts(customer, 0, usize::MAX)?;
            if json {
                let items: Vec<serde_json::Value> = list
                    .iter()
                    .map(|c| contract_json(book, c))
                    .collect::<Result<_>>()?;
                return print_json(&items.into());
            }
            if list.is_empty() {
                say!("No contracts yet: `tally contract add` makes one.");
                return Ok(());
            }
            let today = book.clock().today();
            let cur = book.currency();
            let rows: Vec<Vec<String>> = list
                .iter()
                .map(|c| {
                    vec![
                        c.id.to_string(),
                        c.customer_id.to_string(),
                        c.name.clone(),
                        c.every.map_or("one-time", |e| e.as_str()).into(),
                        cur.plain(c.value),
                        c.start.to_string(),
                        c.end.map_or("-".into(), |e| e.to_string()),
                        c.status(today).into(),
                    ]
                })
                .collect();
            table(
                &[
                    "ID", "CUSTOMER", "NAME", "EVERY", "VALUE", "START", "END", "STATUS",
                ],
                &rows,
                &[0, 1, 4],
            )?;
        }
        ContractCmd::Show { id, json } => {
            let c = book.contract(ContractId(id))?;
            if json {
                return print_json(&contract_json(book, &c)?);
            }
            let (n, total) = book.reads().contract_billed(c.id)?;
            let cur = book.currency();
            say!("Contract {}: {} (customer {})", c.id, c.name, c.customer_id);
            say!(
                "  type:     {}",
                c.every.map_or("one-time".to_string(), |e| format!(
                    "recurring, {}",
                    e.as_str()
                ))
            );
            say!("  value:    {}", cur.plain(c.value));
            say!("  start:    {}", c.start);
            say!(
                "  end:      {}",
                c.end.map_or("-".into(), |e| e.to_string())
            );
            say!("  status:   {}", c.status(book.clock().today()));
            say!("  billed:   {}", billed_text(n, total, cur));
        }
        ContractCmd::Edit {
            id,
            name,
            value,
            end,
            terms,
            notes,
        } => {
            let edit = ContractEdit {
                name,
                value,
                end,
                terms,
                notes,
            };
            let changed = book.edit_contract(ContractId(id), &edit)?;
            say!(
                "{}",
                if changed {
                    format!("Updated contract {id}")
                } else {
                    format!("Contract {id} unchanged")
                }
            );
        }
        ContractCmd::End { id, date } => {
            let date = date.unwrap_or_else(|| book.clock().today().to_string());
            let edit = ContractEdit {
                end: Some(date.clone()),
                ..Default::default()
            };
            book.edit_contract(ContractId(id), &edit)?;
            say!("Contract {id} ends on {date}: no charges after that");
        }
    }
    Ok(())
}

fn contract_json(book: &Book, c: &Contract) -> Result<serde_json::Value> {
    let cur = book.currency();
    let (n, total) = book.reads().contract_billed(c.id)?;
    Ok(json!({
        "id": c.id.0,
        "customer_id": c.customer_id.0,
        "name": c.name,
        "type": c.kind(),
        "every": c.every.map(|e| e.as_str()),
        "value": cur.plain(c.value),
        "start": c.start.to_string(),
        "end": c.end.map(|e| e.to_string()),
        "terms_days": c.terms_days,
        "status": c.status(book.clock().today()),
        "periods_charged": n,
        "billed": cur.plain(total),
    }))
}
