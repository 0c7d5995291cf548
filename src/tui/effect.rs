//! The IO the TUI's pure update asks for: each [`Effect`] is performed by
//! `effects::run`, which answers with an action. Nothing here does IO.

use crate::domain::CustomerId;
use crate::domain::customer::CustomerDetails;
use crate::domain::entry::{EntryId, EntryInput, EntryKind};
use crate::store::{Counting, CustomerQuery, InvoiceQuery, Keep};

use super::invoicing::InvoiceOp;
use super::links::LinkOp;
use super::tabs::Tab;

/// IO the update asks for; `effects::run` performs it and answers with actions.
#[derive(Debug, Clone, PartialEq)]
pub enum Effect {
    /// `count`: recount the rows matching the search, so far; `totals`:
    /// recompute the book-wide footer (only needed after a write).
    LoadList {
        query: CustomerQuery,
        count: Option<Counting>,
        totals: bool,
        keep: Option<Keep>,
    },
    LoadCustomer {
        id: CustomerId,
        offset: usize,
        limit: usize,
        /// Also reload the record, breakdown and count (after open or a write).
        summary: bool,
    },
    SaveCustomer {
        id: Option<CustomerId>,
        details: CustomerDetails,
        /// A parent typed as a name: looked up before saving.
        parent_name: Option<String>,
        allow_duplicate: bool,
    },
    SaveEntry {
        customer: CustomerId,
        entry: Option<EntryId>,
        kind: EntryKind,
        input: EntryInput,
    },
    RemoveEntry {
        id: EntryId,
    },
    LoadInvoices {
        query: InvoiceQuery,
    },
    LoadOpenCharges {
        customer: CustomerId,
        offset: usize,
        limit: usize,
    },
    Invoice(InvoiceOp),
    Link(LinkOp),
    LoadInvoice(crate::domain::InvoiceId),
    /// A window of one of the customer screen's list tabs.
    LoadTab {
        customer: CustomerId,
        tab: Tab,
        offset: usize,
        limit: usize,
    },
    Refund {
        customer: CustomerId,
        input: crate::ops::RefundInput,
    },
    Transfer {
        from: CustomerId,
        /// The receiving customer as typed: an id or part of a name.
        to: String,
        input: crate::ops::TransferInput,
    },
    SaveContact {
        customer: CustomerId,
        contact: Option<crate::domain::contact::ContactId>,
        details: crate::domain::contact::ContactDetails,
    },
    RemoveContact(crate::domain::contact::ContactId),
    /// A `:` command, run beside the screen by the runner.
    StartJob(super::jobs::JobSpec),
    /// The first run's answers, to write as the config at `path`.
    FirstRun {
        path: std::path::PathBuf,
        answers: crate::first_run::Answers,
    },
    /// `tally customer merge FROM INTO`, INTO as typed.
    MergeCustomer {
        from: CustomerId,
        into: String,
    },
    /// `tally customer archive` (or restore).
    ArchiveCustomer {
        id: CustomerId,
        archive: bool,
    },
    /// An import from the `:` menu, rehearsed to show what it would do
    /// before the owner says yes.
    PreviewJob(super::jobs::JobSpec),
    /// What a path typed in the attach form would store.
    InspectAttachment {
        path: std::path::PathBuf,
        name: Option<String>,
    },
    AttachDocument {
        customer: CustomerId,
        path: std::path::PathBuf,
        name: Option<String>,
    },
    SaveDocument {
        id: crate::domain::document::DocumentId,
        path: std::path::PathBuf,
        replace: bool,
    },
    RemoveDocument(crate::domain::document::DocumentId),
    /// Write the customer's statement of account beside the book.
    Statement(CustomerId),
    AddContract {
        customer: CustomerId,
        input: crate::domain::contract::ContractInput,
    },
    /// Read a report screen's data.
    LoadReport(super::reports::ReportKind),
    /// Copy the customer's reminder (making their payment link first if
    /// they have none) and record that they were reminded.
    Remind(CustomerId),
    /// Email the customer's payer a reminder now (collections screen).
    EmailReminder(CustomerId),
    /// Skip the reminder steps the customer's late invoices have reached.
    SkipReminders(CustomerId),
    /// Email the customer's statement to whoever pays.
    EmailStatement(CustomerId),
}
