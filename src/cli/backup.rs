//! `tally backup FILE [--force]`: a consistent copy of the book, safe while
//! another tally has it open.

use std::io::IsTerminal;
use std::path::PathBuf;

use anyhow::{Context, Result};
use clap::Args;

use super::output::say;
use crate::ops::Book;

#[derive(Debug, Args)]
pub struct BackupArgs {
    /// Where to write the copy (a new file; see --force).
    pub file: PathBuf,
    /// Replace FILE if it exists.
    #[arg(long)]
    pub force: bool,
}

pub fn run(book: &Book, a: BackupArgs) -> Result<()> {
    let bar = std::io::stderr()
        .is_terminal()
        .then(|| super::progress::bar("backing up", "pages"));
    let report = book
        .backup(&a.file, a.force, |done, total| {
            if let Some(b) = &bar {
                b.set_length(total);
                b.set_position(done);
            }
        })
        .with_context(|| format!("backing up to {}", a.file.display()))?;
    if let Some(b) = bar {
        b.finish_and_clear();
    }
    say!(
        "Backed up {} and {} ({}) to {}",
        crate::domain::text::count(report.customers as usize, "customer", "customers"),
        crate::domain::text::count(report.entries as usize, "entry", "entries"),
        crate::domain::document::human_size(report.bytes),
        report.path.display()
    );
    Ok(())
}
