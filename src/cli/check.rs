//! `tally check`: runs every consistency check and reports; exit 1 on any
//! problem, so scripts and CI can rely on it.

use anyhow::{Result, bail};
use clap::Args;
use serde_json::json;

use super::output::{print_json, say};
use crate::ops::Book;
use crate::store::check::Depth;

#[derive(Debug, Args)]
pub struct CheckArgs {
    #[arg(long)]
    pub json: bool,
    /// Every rule of the book but SQLite's page-level check (which reads
    /// every page of the file): seconds instead of a minute on a big book.
    #[arg(long)]
    pub quick: bool,
}

pub fn run(book: &Book, a: CheckArgs) -> Result<()> {
    let depth = if a.quick { Depth::Quick } else { Depth::Full };
    let report = book.check(depth)?;
    if a.json {
        let problems: Vec<_> = report
            .problems
            .iter()
            .map(|p| json!({"check": p.check, "detail": p.detail}))
            .collect();
        print_json(&json!({"ok": report.is_ok(), "checks": report.ran, "problems": problems}))?;
    } else {
        for check in &report.ran {
            let found: Vec<_> = report
                .problems
                .iter()
                .filter(|p| p.check == *check)
                .collect();
            if found.is_empty() {
                say!("ok      {check}");
            } else {
                say!("FAILED  {check}");
                for p in found {
                    say!("        {}", p.detail);
                }
            }
        }
    }
    if !report.is_ok() {
        bail!(
            "{} found {} problem(s); nothing was changed",
            book.path().display(),
            report.problems.len()
        );
    }
    Ok(())
}
