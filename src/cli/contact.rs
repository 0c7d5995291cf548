//! `tally contact add|list|edit|remove`: the people to reach about a
//! customer's account; one of them may be primary (the reminder greets them).

use anyhow::Result;
use clap::{Args, Subcommand};
use serde_json::json;

use super::output::{overwrite, print_json, say, table};
use crate::domain::contact::{ContactDetails, ContactId};
use crate::domain::customer::CustomerId;
use crate::ops::Book;

#[derive(Debug, Subcommand)]
pub enum ContactCmd {
    /// Add a contact to a customer. Prints the new contact's id.
    Add(AddArgs),
    /// A customer's contacts, the primary first.
    List {
        /// Customer id (the ID column of `tally customer list`).
        customer: i64,
        #[arg(long)]
        json: bool,
    },
    /// Change a contact; unnamed fields keep their values, "" clears one.
    Edit(EditArgs),
    /// Remove a contact.
    Remove {
        /// Contact id (the ID column of `tally contact list`).
        contact: i64,
    },
}

#[derive(Debug, Args)]
pub struct AddArgs {
    /// Customer id (the ID column of `tally customer list`).
    pub customer: i64,
    /// The contact's name.
    pub name: String,
    #[arg(long)]
    pub email: Option<String>,
    #[arg(long)]
    pub phone: Option<String>,
    /// What they do, e.g. "Accounts payable".
    #[arg(long)]
    pub role: Option<String>,
    /// Make this the primary contact (the one before loses the mark).
    #[arg(long)]
    pub primary: bool,
}

#[derive(Debug, Args)]
pub struct EditArgs {
    /// Contact id (the ID column of `tally contact list`).
    pub contact: i64,
    #[arg(long)]
    pub name: Option<String>,
    #[arg(long)]
    pub email: Option<String>,
    #[arg(long)]
    pub phone: Option<String>,
    #[arg(long)]
    pub role: Option<String>,
    /// true or false.
    #[arg(long)]
    pub primary: Option<bool>,
}

pub fn run(book: &mut Book, cmd: ContactCmd) -> Result<()> {
    match cmd {
        ContactCmd::Add(a) => {
            let details = ContactDetails {
                name: a.name,
                email: a.email,
                phone: a.phone,
                role: a.role,
                primary: a.primary,
            };
            let id = book.add_contact(CustomerId(a.customer), details)?;
            say!("{id}");
        }
        ContactCmd::List { customer, json } => list(book, CustomerId(customer), json)?,
        ContactCmd::Edit(a) => {
            let id = ContactId(a.contact);
            let mut d = book.contact(id)?.details;
            if let Some(n) = a.name {
                d.name = n;
            }
            overwrite(&mut d.email, a.email);
            overwrite(&mut d.phone, a.phone);
            overwrite(&mut d.role, a.role);
            if let Some(p) = a.primary {
                d.primary = p;
            }
            if book.edit_contact(id, d)? {
                say!("Updated contact {id}");
            } else {
                say!("Nothing changed");
            }
        }
        ContactCmd::Remove { contact } => {
            let c = book.remove_contact(ContactId(contact))?;
            say!("Removed contact {} ({})", c.id, c.details.name);
        }
    }
    Ok(())
}

fn list(book: &Book, customer: CustomerId, json: bool) -> Result<()> {
    book.customer(customer)?;
    let contacts = book.reads().contacts(customer, 0, usize::MAX)?;
    if json {
        let items = contacts
            .iter()
            .map(|c| {
                json!({
                    "id": c.id.0,
                    "customer_id": c.customer_id.0,
                    "name": c.details.name,
                    "email": c.details.email,
                    "phone": c.details.phone,
                    "role": c.details.role,
                    "primary": c.details.primary,
                })
            })
            .collect();
        return print_json(&items);
    }
    if contacts.is_empty() {
        say!("No contacts for customer {customer} yet.");
        return Ok(());
    }
    let dash = |o: &Option<String>| o.clone().unwrap_or_else(|| "-".into());
    let rows: Vec<Vec<String>> = contacts
        .iter()
        .map(|c| {
            vec![
                c.id.to_string(),
                c.details.name.clone(),
                dash(&c.details.role),
                dash(&c.details.email),
                dash(&c.details.phone),
                if c.details.primary { "yes" } else { "" }.into(),
            ]
        })
        .collect();
    table(
        &["ID", "NAME", "ROLE", "EMAIL", "PHONE", "PRIMARY"],
        &rows,
        &[0],
    )
}
