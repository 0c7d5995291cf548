//! The rules of the book, with no IO: money, dates, customers, line items and
//! invoices, and the timeline's vocabulary. Everything here is deterministic and testable
//! without a database or a terminal.

pub mod contact;
pub mod contract;
pub mod credit;
pub mod customer;
pub mod date;
pub mod document;
pub mod entry;
pub mod figures;
pub mod invoice;
pub mod link;
pub mod mail;
pub mod money;
pub mod text;
pub mod timeline;

pub use customer::{Customer, CustomerDetails, CustomerId, CustomerSort};
pub use entry::{Entry, EntryId, EntryInput, EntryKind, Method, NewEntry};
pub use invoice::{Invoice, InvoiceId, InvoiceStatus};
pub use money::Currency;
