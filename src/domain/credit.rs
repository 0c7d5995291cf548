//! The rules for moving a customer's credit: refunds (paid back out),
//! transfers (to another customer) and credit memos on a paid invoice.
//!
//! Invariants: no move uses more than the customer's available credit (credit
//! not applied to an invoice and not already paid out); a transfer has two
//! different customers; a credit memo releases at most what real payments
//! settled on that invoice.

use thiserror::Error;

use super::customer::CustomerId;

#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum CreditError {
    #[error(
        "customer {customer} has {available} of available credit: {doing} at most that (credit applied to invoices stays with them)"
    )]
    NotEnough {
        customer: CustomerId,
        available: String,
        doing: &'static str,
    },
    #[error("a transfer needs two different customers: {0} is both")]
    SameCustomer(CustomerId),
    #[error(
        "{label} is {status}: a refund against an invoice needs a paid one (refund available credit without --invoice)"
    )]
    NotPaid { label: String, status: &'static str },
    #[error("{label} belongs to customer {owner}, not {customer}")]
    OtherCustomer {
        label: String,
        owner: CustomerId,
        customer: CustomerId,
    },
    #[error("payments settled {paid} of {label}: a credit memo on it can release at most that")]
    MemoTooLarge { label: String, paid: String },
    #[error(
        "a refund or transfer is recorded with `tally refund` or `tally credit-transfer`, which check the available credit"
    )]
    PayoutNotPosted,
}
