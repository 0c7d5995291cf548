//! Use cases shared by the command line, the TUI and the portal.
//!
//! A [`Book`] is an open store plus the owner's config, a clock and the name
//! of whoever is acting. Every public method that changes the book is exactly
//! one transaction, and records what it did on the customer's timeline.
//! Reads for display go straight to [`Book::reads`].
//!
//! Invariant: another tally may write the same file at any moment, so a write
//! never trusts what was read before its transaction began. Every write goes
//! through [`Book::transact`], whose body receives only the transaction and a
//! [`Ctx`] (config, clock, actor): every row a rule depends on is read there,
//! through `tx.reads()`, under the `BEGIN IMMEDIATE` lock. Parsing typed
//! input is pure and may happen before.

mod billing;
mod contacts;
mod contracts;
mod credits;
mod customers;
pub mod demo;
mod documents;
mod entries;
mod export;
mod glance;
mod import;
mod import_invoices;
mod invoices;
mod links;
pub mod mail;
pub mod payer;
pub mod portal;
mod publish;
mod reports;

use std::path::Path;

use chrono::{DateTime, Local, NaiveDate, Utc};
use thiserror::Error;

use crate::config::Config;
use crate::domain::customer::{CustomerError, CustomerErrors, CustomerId};
use crate::domain::entry::{Entry, EntryInput, EntryKind, NewEntry};
use crate::domain::entry::{EntryId, FieldError};
use crate::domain::invoice::InvoiceError;
use crate::domain::invoice::{Invoice, InvoiceRef};
use crate::domain::{Currency, Customer};
use crate::store::{Reads, Store, StoreError, Tx};

pub use contracts::{ContractCharges, ContractEdit, billed_text};
pub use credits::{RefundInput, TransferInput};
pub use customers::{Duplicate, Merged};
pub use documents::Attachment;
pub use export::Export;
pub use glance::{GLANCE_MONTHS, Glance, MonthGlance};
pub use import::{CustomerImport, EntriesImported, ImportOptions};
pub use import_invoices::{Fate, InvoiceImportOptions, InvoicesImported};
pub use invoices::{Cancelled, PaymentInput};
pub use links::{ReminderText, new_token};
pub use publish::Sent;
pub use reports::{AgingSort, aging_totals};

/// What went wrong, in words every front end can show; each adds its own
/// way forward (the command line names a command, the full screen a key).
#[derive(Debug, Error)]
pub enum OpsError {
    #[error("customer {0} not found")]
    NoCustomer(CustomerId),
    /// A name typed for a customer that names none, or several.
    #[error("{0}")]
    CustomerName(String),
    #[error("entry {0} not found")]
    NoEntry(EntryId),
    #[error("{}", join_fields(.0))]
    Fields(Vec<FieldError>),
    #[error(transparent)]
    Customer(#[from] CustomerErrors),
    #[error("{0}")]
    Duplicate(Duplicate),
    #[error("parent {0} would make a loop: a customer cannot be under its own sub-client")]
    ParentLoop(CustomerId),
    #[error("contact {0} not found")]
    NoContact(crate::domain::contact::ContactId),
    #[error("invoice {0} not found")]
    NoInvoice(String),
    #[error(transparent)]
    Invoice(#[from] InvoiceError),
    #[error(transparent)]
    Credit(#[from] crate::domain::credit::CreditError),
    #[error(transparent)]
    Document(#[from] crate::domain::document::DocumentError),
    #[error(transparent)]
    Contract(#[from] crate::domain::contract::ContractError),
    #[error("document {0} not found")]
    NoDocument(crate::domain::document::DocumentId),
    /// Not a `#[source]`: the message already says it whole.
    #[error("{0}; nothing was imported")]
    File(crate::exchange::FileError),
    #[error("amount {0}")]
    Amount(String),
    #[error("date {0}")]
    Date(String),
    #[error("customer {0} already has a payment link")]
    LinkExists(CustomerId),
    #[error("customer {0} has no payment link yet")]
    NoLink(CustomerId),
    #[error("{}", nothing_owed(*.id, .credit.as_deref()))]
    NothingOwed {
        id: CustomerId,
        /// Their net credit as shown (`$25.00`), when they hold any.
        credit: Option<String>,
    },
    #[error("the book changed while this ran ({0}); nothing was written: try again")]
    Conflict(String),
    #[error("cannot read the operating system's random source: {0}")]
    Random(String),
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl From<crate::exchange::FileError> for OpsError {
    fn from(e: crate::exchange::FileError) -> Self {
        OpsError::File(e)
    }
}

impl From<CustomerError> for OpsError {
    fn from(e: CustomerError) -> Self {
        OpsError::Customer(e.into())
    }
}

fn nothing_owed(id: CustomerId, credit: Option<&str>) -> String {
    match credit {
        Some(c) => {
            format!("customer {id} holds {c} of credit and owes nothing: no reminder to send")
        }
        None => format!("customer {id} owes nothing: no reminder to send"),
    }
}

fn join_fields(errors: &[FieldError]) -> String {
    errors
        .iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join("; ")
}

pub type Result<T, E = OpsError> = std::result::Result<T, E>;

/// Where "now" comes from: the system, or a fixed instant for tests.
#[derive(Debug, Clone, Copy)]
pub enum Clock {
    System,
    Fixed(DateTime<Utc>),
}

impl Clock {
    pub fn now(&self) -> DateTime<Utc> {
        match self {
            Clock::System => Utc::now(),
            Clock::Fixed(t) => *t,
        }
    }
    /// The owner's calendar day: local time, since that is what they type.
    pub fn today(&self) -> NaiveDate {
        match self {
            Clock::System => Local::now().date_naive(),
            Clock::Fixed(t) => t.date_naive(),
        }
    }
}

pub struct Book {
    store: Store,
    config: Config,
    clock: Clock,
    actor: String,
    /// Whether changes this book makes may queue mail (`--no-email` turns
    /// it off for one command); mail also needs `[mail]` set.
    email: bool,
}

impl Book {
    pub fn open(path: &Path, config: Config, actor: &str) -> Result<Book> {
        let store = Store::open(path, &config.currency())?;
        Ok(Book::with_store(store, config, actor))
    }

    /// Opens an existing book to read it; never creates one.
    pub fn open_existing(path: &Path, config: Config, actor: &str) -> Result<Book> {
        let store = Store::open_existing(path, &config.currency())?;
        Ok(Book::with_store(store, config, actor))
    }

    pub fn with_store(store: Store, config: Config, actor: &str) -> Book {
        Book {
            store,
            config,
            clock: Clock::System,
            actor: actor.to_string(),
            email: true,
        }
    }

    pub fn with_clock(mut self, clock: Clock) -> Book {
        self.clock = clock;
        self
    }

    /// Sets the clock of an open book (`reminders run --date`).
    pub fn set_clock(&mut self, clock: Clock) {
        self.clock = clock;
    }

    /// Whether what this book does next may queue mail to customers.
    pub fn set_email(&mut self, on: bool) {
        self.email = on;
    }

    pub fn reads(&self) -> Reads<'_> {
        self.store.reads()
    }

    pub fn config(&self) -> &Config {
        &self.config
    }

    pub fn currency(&self) -> &Currency {
        self.store.currency()
    }

    pub fn clock(&self) -> Clock {
        self.clock
    }

    pub fn path(&self) -> &Path {
        self.store.path()
    }

    pub fn customer(&self, id: CustomerId) -> Result<Customer> {
        find_customer(&self.reads(), id)
    }

    /// Runs `f` over one consistent snapshot of the book (see
    /// [`Store::snapshot`]): for pages and reports that read several tables.
    pub fn snapshot<T>(&self, f: impl FnOnce(&Reads<'_>) -> Result<T>) -> Result<T> {
        self.store.snapshot(f)
    }

    /// `tally check`: the book's consistency rules, in one snapshot, and
    /// at `Full` depth SQLite's page-level check beside them.
    pub fn check(
        &self,
        depth: crate::store::check::Depth,
    ) -> Result<crate::store::check::CheckReport> {
        Ok(self.store.check(depth)?)
    }

    /// Runs `f` with every write that finds the book locked by another
    /// tally refused at once (`StoreError::Busy`) instead of waiting.
    pub fn without_waiting<T>(&mut self, f: impl FnOnce(&mut Book) -> Result<T>) -> Result<T> {
        self.store.wait_when_busy(false)?;
        let out = f(self);
        self.store.wait_when_busy(true)?;
        out
    }

    /// The one way a use case changes the book: `f` runs inside one
    /// `BEGIN IMMEDIATE` transaction and sees the book only through `tx`.
    fn transact<T>(&mut self, f: impl FnOnce(&Tx<'_>, &Ctx<'_>) -> Result<T>) -> Result<T> {
        let (store, cx) = self.split();
        store.write(|tx| f(tx, &cx))
    }

    /// [`Book::transact`] through [`Store::write_bulk`]: for a bulk import
    /// only.
    fn transact_bulk<T>(&mut self, f: impl FnOnce(&Tx<'_>, &Ctx<'_>) -> Result<T>) -> Result<T> {
        let (store, cx) = self.split();
        store.write_bulk(|tx| f(tx, &cx))
    }

    /// [`Book::transact`] when `keep`, otherwise the same run rolled back
    /// (a dry run).
    fn transact_or_rehearse<T>(
        &mut self,
        keep: bool,
        f: impl FnOnce(&Tx<'_>, &Ctx<'_>) -> Result<T>,
    ) -> Result<T> {
        let (store, cx) = self.split();
        if keep {
            store.write(|tx| f(tx, &cx))
        } else {
            store.rehearse(|tx| f(tx, &cx))
        }
    }

    /// The store to write to, and everything else a transaction body may
    /// read while the store is borrowed.
    fn split(&mut self) -> (&mut Store, Ctx<'_>) {
        let Book {
            store,
            config,
            clock,
            actor,
            email,
        } = self;
        (
            store,
            Ctx {
                config,
                clock: *clock,
                actor,
                email: *email && config.mail.is_set(),
            },
        )
    }
}

/// The non-store parts of a [`Book`], for code that runs inside a write.
struct Ctx<'a> {
    config: &'a Config,
    clock: Clock,
    actor: &'a str,
    /// Mail is set up and this change may queue it.
    email: bool,
}

impl Ctx<'_> {
    fn money(&self, v: rust_decimal::Decimal) -> String {
        self.config.currency().plain(v)
    }

    /// Validates typed input with the book's currency, tax rate and today.
    fn check_entry(&self, kind: EntryKind, input: &EntryInput) -> Result<NewEntry> {
        input
            .validate(
                kind,
                &self.config.currency(),
                self.config.default_tax_rate(),
                self.clock.today(),
            )
            .map_err(OpsError::Fields)
    }
}

/// Lookups that turn "not there" into the error a person reads. They take
/// [`Reads`], so a write uses them on its own transaction.
pub fn find_customer(r: &Reads<'_>, id: CustomerId) -> Result<Customer> {
    r.customer(id)?.ok_or(OpsError::NoCustomer(id))
}

pub(crate) fn find_entry(r: &Reads<'_>, id: EntryId) -> Result<Entry> {
    r.entry(id)?.ok_or(OpsError::NoEntry(id))
}

pub(crate) fn find_invoice(r: &Reads<'_>, i: &InvoiceRef) -> Result<Invoice> {
    let found = match i {
        // An invoice brought from another system may be numbered `1006`:
        // a number that is no invoice's id is tried as that number.
        InvoiceRef::Id(id) => match r.invoice(*id)? {
            Some(found) => Some(found),
            None => r.invoice_by_number(&id.to_string())?,
        },
        InvoiceRef::Number(n) => r.invoice_by_number(n)?,
    };
    found.ok_or_else(|| OpsError::NoInvoice(i.to_string()))
}

/// `ids` without repeats, first occurrence kept: a finger that types an id
/// twice changes that thing once.
pub(crate) fn unique<T: PartialEq + Copy>(ids: &[T]) -> Vec<T> {
    let mut out: Vec<T> = Vec::with_capacity(ids.len());
    for id in ids {
        if !out.contains(id) {
            out.push(*id);
        }
    }
    out
}

/// `cli:ann`: which front end and which OS user made a change.
pub fn actor(front_end: &str) -> String {
    let user = std::env::var("USER")
        .or_else(|_| std::env::var("USERNAME"))
        .unwrap_or_else(|_| "owner".into());
    format!("{front_end}:{user}")
}

impl Book {
    /// `tally backup`: a consistent copy of the whole book (see
    /// [`Store::backup_to`]); `progress` gets (done, total) pages.
    pub fn backup(
        &self,
        dest: &Path,
        replace: bool,
        progress: impl FnMut(u64, u64),
    ) -> Result<crate::store::BackupReport> {
        Ok(self.store.backup_to(dest, replace, progress)?)
    }
}

impl Book {
    /// Another connection to the same book, with the same config, clock and
    /// actor: for work that runs beside the one using this one (a TUI
    /// import on its own thread).
    pub fn sibling(&self) -> Result<Book> {
        if self.path() == Path::new(":memory:") {
            return Err(OpsError::Conflict(
                "a book kept in memory cannot be opened twice".into(),
            ));
        }
        let store = Store::open(self.path(), self.currency())?;
        Ok(Book {
            store,
            config: self.config.clone(),
            clock: self.clock,
            actor: self.actor.clone(),
            email: self.email,
        })
    }
}
