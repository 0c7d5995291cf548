//! `tally link generate|show|regenerate|copy|message ID`: a customer's
//! payment link. The link (or the reminder) goes to stdout so it can be
//! piped; how it was copied goes to stderr.

use super::output::{esay, say};
use anyhow::{Context, Result};
use clap::Subcommand;

use crate::clipboard;
use crate::domain::customer::CustomerId;
use crate::ops::Book;

#[derive(Debug, Subcommand)]
pub enum LinkCmd {
    /// Make the customer's payment link (refused if they already have one).
    Generate {
        /// Customer id (the ID column of `tally customer list`).
        customer: i64,
    },
    /// Print the customer's current payment link.
    Show {
        /// Customer id (the ID column of `tally customer list`).
        customer: i64,
    },
    /// Replace the customer's link. The old link stops working at once.
    Regenerate {
        /// Customer id (the ID column of `tally customer list`).
        customer: i64,
    },
    /// Copy the customer's link to the clipboard (it stays after tally exits).
    Copy {
        /// Customer id (the ID column of `tally customer list`).
        customer: i64,
    },
    /// Copy a ready-to-send reminder with the link, from `[portal] message`.
    Message {
        /// Customer id (the ID column of `tally customer list`).
        customer: i64,
    },
}

pub fn run(book: &mut Book, cmd: LinkCmd) -> Result<()> {
    match cmd {
        LinkCmd::Generate { customer } => {
            say!("{}", book.generate_link(CustomerId(customer))?);
        }
        LinkCmd::Show { customer } => say!("{}", book.require_link(CustomerId(customer))?),
        LinkCmd::Regenerate { customer } => {
            say!("{}", book.regenerate_link(CustomerId(customer))?);
            esay!("The old link no longer works.");
        }
        LinkCmd::Copy { customer } => {
            let link = book.require_link(CustomerId(customer))?;
            say!("{link}");
            copy(&link, "Link")?;
        }
        LinkCmd::Message { customer } => {
            let reminder = book.reminder(CustomerId(customer))?;
            say!("{}", reminder.text);
            if reminder.owed.is_zero() {
                esay!("Note: customer {customer} owes nothing right now.");
            }
            copy(&reminder.text, "Message")?;
        }
    }
    Ok(())
}

fn copy(text: &str, what: &str) -> Result<()> {
    let via = clipboard::copy_and_leave(text)
        .with_context(|| format!("copying the {}", what.to_lowercase()))?;
    esay!("{}", via.sentence(what));
    Ok(())
}
