//! `tally timeline ID`: the customer's change log, newest first.

use anyhow::Result;
use clap::Args;
use serde_json::json;

use super::output::{print_json, say};
use crate::domain::customer::CustomerId;
use crate::ops::Book;

#[derive(Debug, Args)]
pub struct TimelineArgs {
    /// Customer id (the ID column of `tally customer list`).
    pub customer: i64,
    #[arg(long, value_name = "N", default_value_t = 100)]
    pub limit: usize,
    #[arg(long)]
    pub json: bool,
}

pub fn run(book: &Book, a: TimelineArgs) -> Result<()> {
    let id = CustomerId(a.customer);
    book.customer(id)?;
    let events = book.reads().timeline(id, 0, a.limit)?;
    if a.json {
        let items = events
            .iter()
            .map(|e| json!({"id": e.id, "at": e.at.to_rfc3339(), "actor": e.actor, "action": e.action, "detail": e.detail}))
            .collect();
        return print_json(&items);
    }
    for e in events {
        say!(
            "{}  {:<16} {:<18} {}",
            e.at.format("%Y-%m-%d %H:%M"),
            e.actor,
            e.action,
            e.detail
        );
    }
    Ok(())
}
