//! The command line: argument parsing, opening the book, and printing.
//! One file per command; no SQL here. Errors print as one `error:` line and
//! exit 1; usage errors are clap's (exit 2). With no subcommand, the TUI opens.

mod backup;
mod check;
mod contact;
mod contract;
mod credit;
mod customer;
mod document;
mod entry;
mod exchange;
mod invoice;
mod link;
mod mail;
mod output;
mod payment;
mod portal;
mod progress;
mod publish_check;
mod report;
mod setup;
mod shell;
mod timeline;

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Context, Result, anyhow};
use clap::{Parser, Subcommand};

use crate::config::Config;
use crate::ops::{self, Book};

/// tally: customers, charges, credits and invoices for one small business.
///
/// Run with no command to open the full-screen book.
#[derive(Debug, Parser)]
#[command(name = "tally", version, about, long_about = None)]
pub struct Cli {
    /// Book file to use (default: the platform data dir's tally/book.tally).
    #[arg(
        long,
        global = true,
        env = "TALLY_DB",
        value_name = "PATH",
        help_heading = "Global options"
    )]
    pub db: Option<PathBuf>,
    /// Config file to use (default: the platform config dir's tally/config.toml).
    #[arg(
        long,
        global = true,
        env = "TALLY_CONFIG",
        value_name = "PATH",
        help_heading = "Global options"
    )]
    pub config: Option<PathBuf>,
    /// Use a generated sample book (kept in its own file, never your real book).
    #[arg(long, global = true, help_heading = "Global options")]
    pub demo: bool,
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Add, list, show and edit customers.
    #[command(subcommand)]
    Customer(customer::CustomerCmd),
    /// Post a charge (the customer owes more). Prints the new entry id.
    Charge(entry::ChargeArgs),
    /// Post a credit: a payment, discount or credit memo. Prints the new entry id.
    Credit(entry::CreditArgs),
    /// Pay a customer's available credit back to them. Prints the refund's id.
    Refund(credit::RefundArgs),
    /// Move available credit from one customer to another. Prints the ids
    /// of the two sides (the payout on FROM, the credit on TO).
    CreditTransfer(credit::TransferArgs),
    /// A customer's credits: where each came from, what used it, what is left;
    /// and their refunds and transfers.
    Credits(credit::CreditsArgs),
    /// A customer's billing history, newest first; charges are negative.
    History(entry::HistoryArgs),
    /// Edit or remove an open charge or credit.
    #[command(subcommand)]
    Entry(entry::EntryCmd),
    /// A customer's timeline: every change, who made it and when.
    Timeline(timeline::TimelineArgs),
    /// Draft, finalize, void, pay and export invoices.
    #[command(subcommand)]
    Invoice(invoice::InvoiceCmd),
    /// The monthly billing cycle.
    #[command(subcommand)]
    Billing(invoice::BillingCmd),
    /// A customer's payment link: generate, show, regenerate, copy, message.
    #[command(subcommand)]
    Link(link::LinkCmd),
    /// The customer payment page server.
    #[command(subcommand)]
    Portal(portal::PortalCmd),
    /// A customer's contacts: add, list, edit, remove.
    #[command(subcommand)]
    Contact(contact::ContactCmd),
    /// A customer's payments and what they paid.
    #[command(subcommand)]
    Payment(payment::PaymentCmd),
    /// Check the book: SQLite integrity, foreign keys, every balance against
    /// its entries, the balance identity, invoice numbering, allocations.
    /// Exits 1 if anything is wrong.
    Check(check::CheckArgs),
    /// Copy the book to FILE, consistently, even while another tally has it
    /// open. Restore by copying the file back (see the README).
    Backup(backup::BackupArgs),
    /// Contracts a customer is billed through: add, list, show, edit, end.
    #[command(subcommand)]
    Contract(contract::ContractCmd),
    /// Files kept with a customer: add, list, export, remove.
    #[command(subcommand)]
    Document(document::DocumentCmd),
    /// Bring customers or entries in from a CSV file.
    #[command(subcommand)]
    Import(exchange::ImportCmd),
    /// Write customers, entries or invoices as CSV, or the whole book as an
    /// hledger or beancount journal.
    Export(exchange::ExportArgs),
    /// Reports: receivables aging.
    #[command(subcommand)]
    Report(report::ReportCmd),
    /// A statement of account: opening balance, every line of the period
    /// with the running balance, closing balance, and the payment link.
    Statement(report::StatementArgs),
    /// First run: asks for the business's name, the currency, where to
    /// publish the payment pages and their public address, and writes a
    /// commented config.
    Setup(setup::SetupArgs),
    /// Mail to customers: test the server, send, the outbox, retry.
    #[command(subcommand)]
    Mail(mail::MailCmd),
    /// Reminders by email on the `[collections] schedule`.
    #[command(subcommand)]
    Reminders(mail::RemindersCmd),
    /// Print a completion script for bash, zsh or fish (see docs/guide.md).
    Completions(shell::CompletionsArgs),
    /// Print tally's man page (roff).
    Man,
}

impl Command {
    /// Whether the command may change the book. Reads never create a book
    /// (a mistyped --db must not leave an empty book behind) and work on a
    /// read-only file.
    fn writes(&self) -> bool {
        use customer::CustomerCmd as C;
        use invoice::InvoiceCmd as I;
        use link::LinkCmd as L;
        match self {
            Command::Customer(c) => matches!(
                c,
                C::Add(_) | C::Edit(_) | C::Merge { .. } | C::Archive { .. } | C::Restore { .. }
            ),
            Command::History(_)
            | Command::Timeline(_)
            | Command::Check(_)
            | Command::Payment(_)
            | Command::Credits(_)
            | Command::Backup(_)
            | Command::Export(_)
            | Command::Report(_) => false,
            Command::Portal(c) => c.writes(),
            Command::Mail(c) => c.writes(),
            Command::Statement(a) => a.email,
            Command::Invoice(c) => !matches!(c, I::List { .. } | I::Show { .. } | I::Export { .. }),
            Command::Link(c) => matches!(c, L::Generate { .. } | L::Regenerate { .. }),
            Command::Contact(c) => !matches!(c, contact::ContactCmd::List { .. }),
            Command::Document(c) => c.writes(),
            Command::Contract(c) => c.writes(),
            _ => true,
        }
    }
}

/// Parses arguments, runs, and maps the outcome to an exit code.
pub fn run() -> ExitCode {
    if std::env::args_os()
        .nth(1)
        .is_some_and(|a| a == crate::clipboard::HOLD_ARG)
    {
        return crate::clipboard::hold_from_stdin();
    }
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => e.exit(),
    };
    match dispatch(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            if e.downcast_ref::<output::OutputClosed>().is_some() {
                // `tally history 1 | head -2`: the reader has what it wanted.
                return ExitCode::SUCCESS;
            }
            let hint = e
                .chain()
                .find_map(|c| c.downcast_ref::<ops::OpsError>())
                .and_then(hint)
                .map(|h| format!(": {h}"))
                .unwrap_or_default();
            output::to_stderr(&format!("error: {}{hint}", one_line(&format!("{e:#}"))));
            ExitCode::from(1)
        }
    }
}

/// The command line's way forward from a refusal `ops` words neutrally.
fn hint(e: &ops::OpsError) -> Option<String> {
    use ops::OpsError as E;
    Some(match e {
        E::NoCustomer(_) => "`tally customer list` shows the ids".into(),
        E::NoEntry(_) => "`tally history CUSTOMER_ID` shows the entry ids".into(),
        E::NoContact(_) => "`tally contact list CUSTOMER_ID` shows the contact ids".into(),
        E::NoInvoice(_) => "`tally invoice list` shows ids and numbers".into(),
        E::NoDocument(_) => "`tally document list CUSTOMER_ID` shows the ids".into(),
        E::Duplicate(_) => "use that customer, or pass --allow-duplicate to add anyway".into(),
        E::LinkExists(id) => {
            format!("`tally link show {id}` prints it, `tally link regenerate {id}` replaces it")
        }
        E::NoLink(id) => format!("`tally link generate {id}` makes one"),
        _ => return None,
    })
}

fn one_line(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn dispatch(cli: Cli) -> Result<()> {
    let front_end = if cli.command.is_some() { "cli" } else { "tui" };
    // `--demo` keeps the sample in its own file, unless `--db` names one on
    // the command line (TALLY_DB from the environment is the real book:
    // never filled with samples).
    let db_from_env = std::env::var_os("TALLY_DB").map(PathBuf::from);
    let db = match (cli.demo, cli.db) {
        (true, Some(db)) if Some(&db) != db_from_env.as_ref() => Some(db),
        (true, _) => Some(demo_path()?),
        (false, db) => db,
    };
    // Completions and the man page need no book at all.
    match &cli.command {
        Some(Command::Completions(a)) => {
            return shell::completions(shell::CompletionsArgs { shell: a.shell });
        }
        Some(Command::Man) => return shell::man(),
        // Trying the mail server needs the config, not a book.
        Some(Command::Mail(mail::MailCmd::Test { address })) => {
            return mail::test(&load_config(cli.config)?, address);
        }
        Some(Command::Setup(_)) => {
            let Some(Command::Setup(a)) = cli.command else {
                return unreachable_in_practice();
            };
            return setup::run(cli.config, a);
        }
        _ => {}
    }
    let writes = cli.demo || cli.command.as_ref().is_none_or(Command::writes);
    let config_for_first_run = cli.config.clone();
    let mut book = open_book(db, cli.config, front_end, writes)?;
    if cli.demo {
        crate::ops::demo::populate(&mut book).context("creating the demo book")?;
    }
    let Some(command) = cli.command else {
        let config_path = config_for_first_run.or_else(crate::paths::default_config);
        return crate::tui::run(book, config_path);
    };
    // The portal's commands hold the book for as long as they run.
    let command = match command {
        Command::Portal(c) => return portal::run(book, c),
        other => other,
    };
    let publish_after = command.writes();
    let done = run_command(&mut book, command);
    if done.is_ok() && publish_after {
        publish_briefly(&mut book);
        mail::send_briefly(&mut book);
    }
    done
}

/// After a command that wrote, the pages it changed go to storage at once
/// when `[publish]` is set, for at most a couple of seconds; the rest (or
/// all, offline) stays due for the next command, the TUI or `portal
/// publish`. Never fails the command: it is done.
fn publish_briefly(book: &mut Book) {
    match publish_now(book) {
        Published::NotSet | Published::Done => {}
        Published::Waiting(n) => output::to_stderr(&format!(
            "{} still waiting to be published (`tally portal publish` sends them)",
            crate::domain::text::count(n, "customer's pages", "customers' pages")
        )),
        Published::Failed(why, waiting) => output::to_stderr(&format!(
            "pages not published ({why}): {} wait in the book and go out with the next \
             command that reaches storage, or `tally portal publish`",
            crate::domain::text::count(waiting, "customer's pages", "customers' pages")
        )),
    }
}

/// How a short publish went.
pub(crate) enum Published {
    /// No `[publish]` target.
    NotSet,
    Done,
    /// This many customers' pages are still due (the time ran out).
    Waiting(usize),
    /// Storage refused or could not be reached: why, and how many wait.
    Failed(String, usize),
}

/// Sends what is due for at most two seconds.
pub(crate) fn publish_now(book: &mut Book) -> Published {
    let target = match crate::publish::Target::from_config(&book.config().publish) {
        Ok(Some(t)) => t,
        Ok(None) => return Published::NotSet,
        Err(e) => return Published::Failed(e.to_string(), book.pages_waiting().unwrap_or(0)),
    };
    let publisher = crate::publish::Publisher { target: &target };
    match publisher.due(book, Some(std::time::Duration::from_secs(2))) {
        Ok(run) if run.waiting > 0 => Published::Waiting(run.waiting),
        Ok(_) => Published::Done,
        Err(e) => Published::Failed(e.to_string(), book.pages_waiting().unwrap_or(0)),
    }
}

fn run_command(book: &mut Book, command: Command) -> Result<()> {
    match command {
        Command::Customer(c) => customer::run(book, c),
        Command::Charge(a) => entry::charge(book, a),
        Command::Credit(a) => entry::credit(book, a),
        Command::Refund(a) => credit::refund(book, a),
        Command::CreditTransfer(a) => credit::transfer(book, a),
        Command::Credits(a) => credit::list(book, a),
        Command::History(a) => entry::history(book, a),
        Command::Entry(c) => entry::run(book, c),
        Command::Timeline(a) => timeline::run(book, a),
        Command::Invoice(c) => invoice::run(book, c),
        Command::Billing(c) => invoice::billing(book, c),
        Command::Link(c) => link::run(book, c),
        Command::Portal(_) => unreachable_in_practice(),
        Command::Check(a) => check::run(book, a),
        Command::Payment(c) => payment::run(book, c),
        Command::Contact(c) => contact::run(book, c),
        Command::Backup(a) => backup::run(book, a),
        Command::Import(c) => exchange::import(book, c),
        Command::Document(c) => document::run(book, c),
        Command::Contract(c) => contract::run(book, c),
        Command::Export(a) => exchange::export(book, a),
        Command::Report(c) => report::run(book, c),
        Command::Statement(a) => report::statement(book, a),
        Command::Mail(c) => mail::run(book, c),
        Command::Reminders(c) => mail::reminders_cmd(book, c),
        Command::Completions(_) | Command::Man | Command::Setup(_) => unreachable_in_practice(),
    }
}

/// Completions and the man page return before a book is opened (above).
fn unreachable_in_practice() -> Result<()> {
    Err(anyhow!(
        "completions, the man page and the portal commands are handled before this"
    ))
}

/// Loads the config and opens the book, from flags, environment or defaults.
pub fn load_config(config: Option<PathBuf>) -> Result<Config> {
    let (path, required) = match config {
        Some(p) => (p, true),
        None => (
            crate::paths::default_config()
                .ok_or_else(|| anyhow!("no home directory: pass --config PATH"))?,
            false,
        ),
    };
    Ok(Config::load(&path, required)?)
}

fn demo_path() -> Result<PathBuf> {
    crate::paths::demo_db().ok_or_else(|| anyhow!("no home directory for the demo book"))
}

pub fn open_book(
    db: Option<PathBuf>,
    config: Option<PathBuf>,
    front_end: &str,
    writes: bool,
) -> Result<Book> {
    let config = load_config(config)?;
    let path = match db {
        Some(p) => p,
        None => crate::paths::default_db()
            .ok_or_else(|| anyhow!("no home directory: pass --db PATH"))?,
    };
    let actor = ops::actor(front_end);
    Ok(if writes {
        Book::open(&path, config, &actor)?
    } else {
        Book::open_existing(&path, config, &actor)?
    })
}
