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
    /// Copy a ready-to-send reminder with the link (`[portal] message`, or
    /// `[collections]` when an invoice is past due) and record it on the
    /// timeline. Refused for a customer who owes nothing.
    Message {
        /// Customer id (the ID column of `tally customer list`).
        customer: i64,
        /// Only print it (to pipe to another program); it is still
        /// recorded as sent.
        #[arg(long)]
        no_copy: bool,
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
            // Published pages are deleted now, or said to stay until
            // storage is reached: the owner must know whether the old
            // link still opens.
            match super::publish_now(book) {
                super::Published::NotSet | super::Published::Done => {
                    esay!("The old link no longer works.")
                }
                super::Published::Waiting(_) => esay!(
                    "The old link's published pages are still being removed: \
                     `tally portal publish` finishes it."
                ),
                super::Published::Failed(why, _) => esay!(
                    "The old link's published pages are still in storage ({why}): they are removed \
                     as soon as storage can be reached (`tally portal publish`)."
                ),
            }
        }
        LinkCmd::Copy { customer } => {
            let link = book.require_link(CustomerId(customer))?;
            say!("{link}");
            copy(&link, "Link", &book.config().portal.base_url)?;
        }
        LinkCmd::Message { customer, no_copy } => {
            let id = CustomerId(customer);
            let reminder = book.reminder(id)?;
            say!("{}", reminder.text);
            if !no_copy {
                copy(&reminder.text, "Message", &book.config().portal.base_url)?;
            }
            // Copied to be sent: the timeline says when they were reminded,
            // as it does for `m` in the full-screen book.
            book.record_reminder(id, &reminder)?;
        }
    }
    Ok(())
}

fn copy(text: &str, what: &str, base_url: &str) -> Result<()> {
    let via = clipboard::copy_and_leave(text)
        .with_context(|| format!("copying the {}", what.to_lowercase()))?;
    esay!("{}", via.sentence(what));
    if let Some(host) = crate::domain::link::loopback_host(base_url) {
        esay!(
            "warning: this link points at this computer ({host}): a phone cannot open it. \
             Publish the pages ([publish] in the config, then `tally portal publish`) and set \
             [portal] base_url to their public address"
        );
    }
    Ok(())
}
