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
        human_bytes(report.bytes),
        report.path.display()
    );
    Ok(())
}

fn human_bytes(n: u64) -> String {
    match n {
        n if n >= 1 << 20 => format!("{:.1} MB", n as f64 / f64::from(1u32 << 20)),
        n if n >= 1 << 10 => format!("{:.1} KB", n as f64 / 1024.0),
        n => format!("{n} bytes"),
    }
}
