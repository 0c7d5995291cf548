//! `tally document add|list|export|remove`: files kept with a customer.

use std::path::PathBuf;

use anyhow::Result;
use clap::Subcommand;
use serde_json::json;

use super::output::{print_json, say, table};
use crate::domain::customer::CustomerId;
use crate::domain::document::{DocumentId, human_size};
use crate::ops::Book;

#[derive(Debug, Subcommand)]
pub enum DocumentCmd {
    /// Attach a file to a customer (kept inside the book). Prints its id.
    Add {
        /// Customer id (the ID column of `tally customer list`).
        customer: i64,
        /// The file to attach.
        file: PathBuf,
        /// The name to show (default: the file's name).
        #[arg(long)]
        name: Option<String>,
    },
    /// A customer's documents, newest first.
    List {
        /// Customer id (the ID column of `tally customer list`).
        customer: i64,
        #[arg(long)]
        json: bool,
    },
    /// Write a document out, byte for byte as it was attached.
    Export {
        /// Document id (the ID column of `tally document list`).
        id: i64,
        #[arg(long, value_name = "PATH")]
        out: PathBuf,
        /// Replace PATH if it exists.
        #[arg(long)]
        force: bool,
    },
    /// Remove a document from the book.
    Remove {
        /// Document id (the ID column of `tally document list`).
        id: i64,
    },
}

impl DocumentCmd {
    pub fn writes(&self) -> bool {
        matches!(self, DocumentCmd::Add { .. } | DocumentCmd::Remove { .. })
    }
}

pub fn run(book: &mut Book, cmd: DocumentCmd) -> Result<()> {
    match cmd {
        DocumentCmd::Add {
            customer,
            file,
            name,
        } => {
            let id = book.add_document(CustomerId(customer), &file, name.as_deref())?;
            say!("{id}");
        }
        DocumentCmd::List { customer, json } => {
            let id = CustomerId(customer);
            book.customer(id)?;
            let docs = book.reads().documents(id, 0, usize::MAX)?;
            if json {
                let items: Vec<serde_json::Value> = docs
                    .iter()
                    .map(|d| {
                        json!({
                            "id": d.id.0,
                            "name": d.name,
                            "kind": d.kind,
                            "size": d.size,
                            "added": d.created_at.to_rfc3339(),
                        })
                    })
                    .collect();
                return print_json(&items.into());
            }
            if docs.is_empty() {
                say!("No documents for customer {customer} yet.");
                return Ok(());
            }
            let rows: Vec<Vec<String>> = docs
                .iter()
                .map(|d| {
                    vec![
                        d.id.to_string(),
                        d.created_at.format("%Y-%m-%d").to_string(),
                        d.name.clone(),
                        d.kind.clone(),
                        human_size(d.size),
                    ]
                })
                .collect();
            table(&["ID", "ADDED", "NAME", "TYPE", "SIZE"], &rows, &[0, 4])?;
        }
        DocumentCmd::Export { id, out, force } => {
            let n = book.export_document(DocumentId(id), &out, force)?;
            say!("Wrote {} to {}", human_size(n), out.display());
        }
        DocumentCmd::Remove { id } => {
            let d = book.remove_document(DocumentId(id))?;
            say!("Removed document {} ({})", d.id, d.name);
        }
    }
    Ok(())
}
