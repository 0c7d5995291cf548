//! `tally import customers|entries FILE` and `tally export WHAT`: other
//! systems' files in, spreadsheet and journal files out.

use std::io::IsTerminal;
use std::path::PathBuf;
use std::time::Instant;

use anyhow::{Context, Result, anyhow};
use clap::{Args, Subcommand, ValueEnum};

use super::output::{esay, say};
use crate::domain::text::count;
use crate::exchange::customers::Source;
use crate::exchange::journal::Flavor;
use crate::ops::{Book, Export, ImportOptions};

#[derive(Debug, Subcommand)]
pub enum ImportCmd {
    /// Customers from QuickBooks Online, Stripe or a sheet with a name,
    /// email, phone, address header. Matched by email, then exact name;
    /// the rest are created. Prints what happened to each row.
    Customers {
        /// The CSV file (UTF-8; comma or semicolon separated).
        file: PathBuf,
        /// Which system wrote it (default: recognised from the header).
        #[arg(long, value_parser = [
            "quickbooks", "stripe", "invoiceninja", "freshbooks", "wave", "zoho",
            "xero", "square", "akaunting", "csv",
        ])]
        source: Option<String>,
        /// Post each new customer's open balance as an "Opening balance".
        #[arg(long)]
        opening_balances: bool,
        /// Which of the file's columns hold which field, for a file tally
        /// does not recognise: "Client Name=name,EmailID=email". Fields:
        /// name, company, first_name, last_name, email, phone, address,
        /// notes, balance, currency.
        #[arg(long, value_name = "COLUMN=FIELD,…")]
        map: Option<String>,
        /// Match a customer of the same name even when the emails differ
        /// (otherwise created apart and reported).
        #[arg(long)]
        merge_by_name: bool,
        /// The opening balances' date, YYYY-MM-DD (default: today).
        #[arg(long, allow_hyphen_values = true)]
        date: Option<String>,
        /// Say what would happen; write nothing.
        #[arg(long)]
        dry_run: bool,
    },
    /// Open invoices and unapplied credits from another system's export
    /// (Stripe, QuickBooks A/R Aging Detail, Invoice Ninja, FreshBooks,
    /// Zoho Invoice, Wave transactions, Invoice2go, Invoicely), with their
    /// own numbers and due dates. Payments exports are read too and say
    /// what they change. All rows in one transaction; importing the same
    /// file again changes nothing.
    #[command(visible_alias = "payments")]
    Invoices {
        /// The CSV file as the old system exported it.
        file: PathBuf,
        /// How to read a date like 03/04/2025: mm/dd/yyyy (the default,
        /// as US exports write) or dd/mm/yyyy.
        #[arg(long, value_parser = ["mm/dd/yyyy", "dd/mm/yyyy"])]
        date_format: Option<String>,
        /// Match a customer of the same name even when the emails differ
        /// (otherwise created apart and reported).
        #[arg(long)]
        merge_by_name: bool,
        /// Say what would happen; write nothing.
        #[arg(long)]
        dry_run: bool,
    },
    /// Entries (date,customer,email,type,amount,tax,description): all rows
    /// in one transaction, or none if one is wrong.
    Entries {
        /// The CSV file (UTF-8; comma or semicolon separated).
        file: PathBuf,
        /// Also print how long each part of the import took.
        #[arg(long)]
        timings: bool,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum What {
    Customers,
    Entries,
    Invoices,
    Journal,
}

#[derive(Debug, Args)]
pub struct ExportArgs {
    /// customers, entries or invoices (CSV), or journal (hledger/beancount).
    #[arg(value_enum)]
    pub what: What,
    /// csv for customers, entries and invoices; hledger or beancount for a
    /// journal (default: csv, or hledger for a journal).
    #[arg(long, value_parser = ["csv", "hledger", "beancount"])]
    pub format: Option<String>,
    /// Write here instead of standard output.
    #[arg(long, value_name = "FILE")]
    pub out: Option<PathBuf>,
}

pub fn import(book: &mut Book, cmd: ImportCmd) -> Result<()> {
    match cmd {
        ImportCmd::Customers {
            file,
            source,
            opening_balances,
            map,
            merge_by_name,
            date,
            dry_run,
        } => {
            let map = crate::exchange::customers::parse_map(map.as_deref().unwrap_or(""))
                .map_err(|e| anyhow!(e))?;
            let bytes = read(&file)?;
            let date = date
                .map(|d| crate::domain::date::parse_date(&d, book.clock().today()))
                .transpose()
                .map_err(|e| anyhow!("--date {e}"))?;
            let opts = ImportOptions {
                source: source.as_deref().and_then(Source::parse),
                opening_balances,
                date,
                dry_run,
                map,
                merge_by_name,
            };
            let report = book.import_customers(&file.display().to_string(), &bytes, &opts)?;
            print_customers(&report, dry_run)
        }
        ImportCmd::Invoices {
            file,
            date_format,
            merge_by_name,
            dry_run,
        } => {
            let bytes = read(&file)?;
            let opts = crate::ops::InvoiceImportOptions {
                dry_run,
                day_first: date_format.as_deref() == Some("dd/mm/yyyy"),
                merge_by_name,
            };
            let name = file.display().to_string();
            let report = book.import_invoices(&name, &bytes, opts)?;
            print_invoices(book, &name, &report, dry_run)
        }
        ImportCmd::Entries { file, timings } => {
            let bytes = read(&file)?;
            let name = file.display().to_string();
            let bar = std::io::stderr().is_terminal().then(|| {
                let b = super::progress::bar("importing", "rows");
                b.set_length(
                    bytes
                        .iter()
                        .filter(|b| **b == b'\n')
                        .count()
                        .saturating_sub(1) as u64,
                );
                b
            });
            let started = Instant::now();
            let done = book.import_entries(&name, &bytes, |n| {
                if let Some(b) = &bar {
                    b.set_position(n as u64);
                }
            });
            if let Some(b) = bar {
                b.finish_and_clear();
            }
            let done = done?;
            let secs = started.elapsed().as_secs_f64();
            say!(
                "Imported {} for {} ({} new) from {name} in {secs:.1} s ({} rows/s)",
                count(done.rows, "entry", "entries"),
                count(done.customers, "customer", "customers"),
                done.created.len(),
                (done.rows as f64 / secs.max(1e-9)) as u64
            );
            if timings {
                let mut accounted = 0.0;
                for (part, took) in &done.timings {
                    accounted += took.as_secs_f64();
                    say!("  {:<32} {:>6.2} s", part, took.as_secs_f64());
                }
                say!("  {:<32} {:>6.2} s", "commit", (secs - accounted).max(0.0));
            }
            Ok(())
        }
    }
}

fn read(file: &PathBuf) -> Result<Vec<u8>> {
    std::fs::read(file).with_context(|| format!("cannot read {}", file.display()))
}

fn print_customers(r: &crate::ops::CustomerImport, dry_run: bool) -> Result<()> {
    if dry_run {
        for (line, row) in &r.read_as {
            say!("line {line} reads as: {row}");
        }
    }
    for (line, text) in r.lines() {
        say!("line {line}: {text}");
    }
    say!("{}", r.summary(dry_run));
    if dry_run {
        say!("Dry run: nothing was written.");
    }
    Ok(())
}

fn print_invoices(
    book: &Book,
    file: &str,
    r: &crate::ops::InvoicesImported,
    dry_run: bool,
) -> Result<()> {
    for (line, text) in r.lines(book.currency()) {
        say!("line {line}: {text}");
    }
    say!("{}", r.summary(file, book.currency(), dry_run));
    if dry_run {
        say!("Dry run: nothing was written.");
    }
    Ok(())
}

pub fn export(book: &Book, a: ExportArgs) -> Result<()> {
    let what = match (a.what, a.format.as_deref()) {
        (What::Journal, None | Some("hledger")) => Export::Journal(Flavor::Hledger),
        (What::Journal, Some("beancount")) => Export::Journal(Flavor::Beancount),
        (What::Journal, Some(f)) => {
            return Err(anyhow!(
                "--format {f} is not a journal format: use hledger or beancount"
            ));
        }
        (_, Some("hledger" | "beancount")) => {
            return Err(anyhow!(
                "--format hledger and beancount are for `tally export journal`; customers, entries and invoices are csv"
            ));
        }
        (What::Customers, _) => Export::Customers,
        (What::Entries, _) => Export::Entries,
        (What::Invoices, _) => Export::Invoices,
    };
    match &a.out {
        Some(path) => {
            let file = std::fs::File::create(path)
                .with_context(|| format!("cannot write {}", path.display()))?;
            let n = book.export(what, std::io::BufWriter::new(file))?;
            esay!("Wrote {} to {}", count(n, "row", "rows"), path.display());
        }
        None => {
            let stdout = std::io::stdout();
            // On a terminal, stored text is shown, never obeyed.
            let out: Box<dyn std::io::Write> = if stdout.is_terminal() {
                Box::new(super::output::TerminalLines::new(std::io::BufWriter::new(
                    stdout.lock(),
                )))
            } else {
                Box::new(std::io::BufWriter::new(stdout.lock()))
            };
            match book.export(what, out) {
                Err(crate::ops::OpsError::Store(crate::store::StoreError::Unreadable {
                    source,
                    ..
                })) if source.kind() == std::io::ErrorKind::BrokenPipe => {
                    return Err(super::output::OutputClosed.into());
                }
                other => {
                    other?;
                }
            }
        }
    }
    Ok(())
}
