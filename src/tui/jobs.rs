//! Long commands from the `:` menu (imports, exports, a backup) run on
//! their own thread with their own connection to the book, so the screen
//! keeps answering keys and shows how far they are. The book's rules do
//! not change for them: each is the same `ops` call the command line makes,
//! one transaction, and what it writes reaches the screen like any other
//! tally's writes.

use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::thread::JoinHandle;

use crate::ops::{Book, Export, ImportOptions};

/// What the owner asked the `:` menu for.
#[derive(Debug, Clone, PartialEq)]
pub enum JobSpec {
    ImportCustomers {
        path: PathBuf,
        opening_balances: bool,
        /// `--map`'s (column, field) pairs.
        map: Vec<(String, String)>,
    },
    ImportEntries {
        path: PathBuf,
    },
    ImportInvoices {
        path: PathBuf,
    },
    Export {
        what: Export,
        path: PathBuf,
        replace: bool,
    },
    Backup {
        path: PathBuf,
        replace: bool,
    },
}

impl JobSpec {
    fn label(&self) -> String {
        let name = |p: &PathBuf| p.display().to_string();
        match self {
            JobSpec::ImportCustomers { path, .. } => {
                format!("Importing customers from {}", name(path))
            }
            JobSpec::ImportEntries { path } => format!("Importing entries from {}", name(path)),
            JobSpec::ImportInvoices { path } => {
                format!("Importing open invoices from {}", name(path))
            }
            JobSpec::Export { path, .. } => format!("Exporting to {}", name(path)),
            JobSpec::Backup { path, .. } => format!("Backing up to {}", name(path)),
        }
    }
}

/// A running command: what it is, how far it got, and its summary line
/// (or what went wrong) once done.
pub struct Job {
    label: String,
    /// (done, total); total 0 while unknown.
    progress: Arc<(AtomicU64, AtomicU64)>,
    handle: JoinHandle<Result<String, String>>,
}

impl Job {
    pub fn start(book: &Book, spec: JobSpec) -> Result<Job, String> {
        let mut own = book.sibling().map_err(|e| e.to_string())?;
        let progress = Arc::new((AtomicU64::new(0), AtomicU64::new(0)));
        let shared = Arc::clone(&progress);
        let label = spec.label();
        let handle = std::thread::spawn(move || run(&mut own, spec, &shared));
        Ok(Job {
            label,
            progress,
            handle,
        })
    }

    /// "Importing entries from f.csv: 120000 of 2000000 rows".
    pub fn status(&self) -> String {
        let (done, total) = (
            self.progress.0.load(Ordering::Relaxed),
            self.progress.1.load(Ordering::Relaxed),
        );
        match total {
            0 => format!("{}…", self.label),
            t => format!("{}: {done} of {t} ({}%)", self.label, done * 100 / t.max(1)),
        }
    }

    pub fn is_finished(&self) -> bool {
        self.handle.is_finished()
    }

    /// The summary, once finished.
    pub fn outcome(self) -> Result<String, String> {
        self.handle.join().unwrap_or_else(|_| {
            Err("the command stopped unexpectedly; nothing was changed by it".into())
        })
    }
}

fn run(
    book: &mut Book,
    spec: JobSpec,
    progress: &(AtomicU64, AtomicU64),
) -> Result<String, String> {
    let err = |e: crate::ops::OpsError| e.to_string();
    let count = crate::domain::text::count;
    match spec {
        JobSpec::ImportCustomers {
            path,
            opening_balances,
            map,
        } => {
            let bytes = read(&path)?;
            let opts = customer_options(opening_balances, map, false);
            let r = book
                .import_customers(&path.display().to_string(), &bytes, &opts)
                .map_err(err)?;
            Ok(format!(
                "{}{}",
                r.summary(false),
                r.skipped
                    .first()
                    .map(|(line, why)| format!(" (first skipped: line {line}, {why})"))
                    .unwrap_or_default()
            ))
        }
        JobSpec::ImportEntries { path } => {
            let bytes = read(&path)?;
            let lines = bytes
                .iter()
                .filter(|b| **b == b'\n')
                .count()
                .saturating_sub(1);
            progress.1.store(lines as u64, Ordering::Relaxed);
            let done = book
                .import_entries(&path.display().to_string(), &bytes, |n| {
                    progress.0.store(n as u64, Ordering::Relaxed)
                })
                .map_err(err)?;
            Ok(format!(
                "Imported {} for {} ({} new)",
                count(done.rows, "entry", "entries"),
                count(done.customers, "customer", "customers"),
                done.created.len()
            ))
        }
        JobSpec::ImportInvoices { path } => {
            let bytes = read(&path)?;
            let name = path.display().to_string();
            let r = book
                .import_invoices(&name, &bytes, Default::default())
                .map_err(err)?;
            Ok(r.summary(&name, book.currency(), false))
        }
        JobSpec::Export {
            what,
            path,
            replace,
        } => {
            let file = create(&path, replace)?;
            let n = book
                .export(what, std::io::BufWriter::new(file))
                .map_err(err)?;
            Ok(format!(
                "Wrote {} to {}",
                count(n, "row", "rows"),
                path.display()
            ))
        }
        JobSpec::Backup { path, replace } => {
            let r = book
                .backup(&path, replace, |done, total| {
                    progress.0.store(done, Ordering::Relaxed);
                    progress.1.store(total, Ordering::Relaxed);
                })
                .map_err(err)?;
            Ok(format!(
                "Backed up {} and {} to {}",
                count(r.customers as usize, "customer", "customers"),
                count(r.entries as usize, "entry", "entries"),
                r.path.display()
            ))
        }
    }
}

/// How many of a file's rows a preview shows as read.
const PREVIEW_ROWS: usize = 4;

/// What an import would do, shown before it runs: its first rows as tally
/// reads them and what it would create, match and skip (the same import,
/// rehearsed and rolled back). An entries file, which may be millions of
/// rows, shows its first lines and its size instead. `None` for commands
/// that are not imports.
pub fn preview(book: &mut Book, spec: &JobSpec) -> Option<Result<String, String>> {
    let importing = matches!(
        spec,
        JobSpec::ImportCustomers { .. }
            | JobSpec::ImportInvoices { .. }
            | JobSpec::ImportEntries { .. }
    );
    importing.then(|| rehearse(book, spec))
}

fn rehearse(book: &mut Book, spec: &JobSpec) -> Result<String, String> {
    let err = |e: crate::ops::OpsError| e.to_string();
    let first = |lines: Vec<(usize, String)>| -> String {
        let mut text: Vec<String> = lines
            .iter()
            .take(PREVIEW_ROWS)
            .map(|(l, t)| format!("line {l}: {t}"))
            .collect();
        if lines.len() > PREVIEW_ROWS {
            text.push(format!("… and {} more", lines.len() - PREVIEW_ROWS));
        }
        text.join("\n")
    };
    match spec {
        JobSpec::ImportCustomers {
            path,
            opening_balances,
            map,
        } => {
            let bytes = read(path)?;
            let opts = customer_options(*opening_balances, map.clone(), true);
            let r = book
                .import_customers(&path.display().to_string(), &bytes, &opts)
                .map_err(err)?;
            let read_as: Vec<String> = r
                .read_as
                .iter()
                .map(|(l, row)| format!("line {l} reads as: {row}"))
                .collect();
            Ok(format!(
                "{}\n{}\n{}\nImport it?",
                r.summary(true),
                read_as.join("\n"),
                first(r.lines())
            ))
        }
        JobSpec::ImportInvoices { path } => {
            let bytes = read(path)?;
            let name = path.display().to_string();
            let opts = crate::ops::InvoiceImportOptions {
                dry_run: true,
                ..Default::default()
            };
            let r = book.import_invoices(&name, &bytes, opts).map_err(err)?;
            let cur = book.currency().clone();
            Ok(format!(
                "{}\n{}\nImport it?",
                r.summary(&short(path), &cur, true),
                first(r.lines(&cur))
            ))
        }
        JobSpec::ImportEntries { path } => {
            let bytes = read(path)?;
            let text = String::from_utf8_lossy(&bytes);
            let rows = text.lines().count().saturating_sub(1);
            let head: Vec<(usize, String)> = text
                .lines()
                .take(PREVIEW_ROWS + 1)
                .enumerate()
                .map(|(i, l)| (i + 1, l.to_string()))
                .collect();
            Ok(format!(
                "{} to import, all or none: one bad row imports nothing.\n{}\nImport it?",
                crate::domain::text::count(rows, "row", "rows"),
                first(head)
            ))
        }
        other => Err(format!("{} is not an import", other.label())),
    }
}

/// A file's name without its folders, for a line that must stay short.
fn short(path: &std::path::Path) -> String {
    path.file_name().map_or_else(
        || path.display().to_string(),
        |n| n.to_string_lossy().into_owned(),
    )
}

/// An import's file, or why it cannot be read.
fn read(path: &PathBuf) -> Result<Vec<u8>, String> {
    std::fs::read(path).map_err(|e| format!("cannot read {}: {e}", path.display()))
}

/// How a `:` customer import reads its file, run or rehearsed.
fn customer_options(
    opening_balances: bool,
    map: Vec<(String, String)>,
    dry_run: bool,
) -> ImportOptions {
    ImportOptions {
        opening_balances,
        map,
        dry_run,
        ..Default::default()
    }
}

/// A file to export into; an existing one only when the owner said so.
fn create(path: &PathBuf, replace: bool) -> Result<std::fs::File, String> {
    if path.exists() && !replace {
        return Err(format!(
            "{} already exists: set \"Replace\" to yes, or choose another name",
            path.display()
        ));
    }
    std::fs::File::create(path).map_err(|e| format!("cannot write {}: {e}", path.display()))
}
