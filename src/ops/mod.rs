//! Use cases shared by the command line, the TUI and the portal.
//!
//! A [`Book`] is an open store plus the owner's config, a clock and the name
//! of whoever is acting. Every public method that changes the book is exactly
//! one transaction, validates everything before writing, and records what it
//! did on the customer's timeline. Reads go straight to [`Book::reads`].

mod billing;
mod customers;
pub mod demo;
mod entries;
mod invoices;
mod links;
pub mod portal;

use std::path::Path;

use chrono::{DateTime, Local, NaiveDate, Utc};
use thiserror::Error;

use crate::config::Config;
use crate::domain::customer::{CustomerError, CustomerId};
use crate::domain::entry::{EntryId, FieldError};
use crate::domain::invoice::InvoiceError;
use crate::domain::{Currency, Customer};
use crate::store::{Reads, Store, StoreError};

pub use customers::Duplicate;
pub use invoices::{Cancelled, PaymentInput};
pub use links::{ReminderText, new_token};

#[derive(Debug, Error)]
pub enum OpsError {
    #[error("customer {0} not found: `tally customer list` shows the ids")]
    NoCustomer(CustomerId),
    #[error("entry {0} not found: `tally history CUSTOMER_ID` shows the entry ids")]
    NoEntry(EntryId),
    #[error("{}", join_fields(.0))]
    Fields(Vec<FieldError>),
    #[error(transparent)]
    Customer(#[from] CustomerError),
    #[error("{0}: use that customer, or pass --allow-duplicate to add anyway")]
    Duplicate(Duplicate),
    #[error("parent {0} would make a loop: a customer cannot be under its own sub-client")]
    ParentLoop(CustomerId),
    #[error("invoice {0} not found: `tally invoice list` shows ids and numbers")]
    NoInvoice(String),
    #[error(transparent)]
    Invoice(#[from] InvoiceError),
    #[error("amount {0}")]
    Amount(String),
    #[error("date {0}")]
    Date(String),
    #[error(
        "customer {0} already has a payment link: `tally link show {0}` prints it, `tally link regenerate {0}` replaces it"
    )]
    LinkExists(CustomerId),
    #[error("customer {0} has no payment link yet: `tally link generate {0}` makes one")]
    NoLink(CustomerId),
    #[error("cannot read the operating system's random source: {0}")]
    Random(String),
    #[error(transparent)]
    Store(#[from] StoreError),
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
}

impl Book {
    pub fn open(path: &Path, config: Config, actor: &str) -> Result<Book> {
        let store = Store::open(path, &config.currency())?;
        Ok(Book::with_store(store, config, actor))
    }

    pub fn with_store(store: Store, config: Config, actor: &str) -> Book {
        Book {
            store,
            config,
            clock: Clock::System,
            actor: actor.to_string(),
        }
    }

    pub fn with_clock(mut self, clock: Clock) -> Book {
        self.clock = clock;
        self
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
        self.reads().customer(id)?.ok_or(OpsError::NoCustomer(id))
    }

    fn money(&self, v: rust_decimal::Decimal) -> String {
        self.currency().plain(v)
    }

    /// The store to write to, and everything else a transaction body may
    /// read while the store is borrowed.
    fn split(&mut self) -> (&mut Store, Ctx<'_>) {
        let Book {
            store,
            config,
            clock,
            actor,
        } = self;
        (
            store,
            Ctx {
                config,
                clock: *clock,
                actor,
            },
        )
    }
}

/// The non-store parts of a [`Book`], for code that runs inside a write.
struct Ctx<'a> {
    config: &'a Config,
    clock: Clock,
    actor: &'a str,
}

impl Ctx<'_> {
    fn money(&self, v: rust_decimal::Decimal) -> String {
        self.config.currency().plain(v)
    }
}

/// `cli:ann`: which front end and which OS user made a change.
pub fn actor(front_end: &str) -> String {
    let user = std::env::var("USER")
        .or_else(|_| std::env::var("USERNAME"))
        .unwrap_or_else(|_| "owner".into());
    format!("{front_end}:{user}")
}
