//! Invoices: the state machine `draft → open → paid | void`, numbering,
//! billing periods, and how an invoice is named on the command line. Pure.
//!
//! Invariants:
//! - A draft has no number, no dates and no stored total; its total is the
//!   sum of its charges, which stay editable.
//! - Finalizing assigns the next gapless sequence number and freezes the
//!   total (its charges are locked from then on).
//! - `remaining = total − paid`; an open invoice with nothing remaining is
//!   `paid`. Overdue is derived (open and past due), never stored.

use chrono::{Datelike, Months, NaiveDate};
use rust_decimal::Decimal;

use super::customer::CustomerId;
use super::entry::EntryId;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct InvoiceId(pub i64);

impl std::fmt::Display for InvoiceId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}", self.0)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum InvoiceStatus {
    Draft,
    Open,
    Paid,
    Void,
}

impl InvoiceStatus {
    pub const ALL: [InvoiceStatus; 4] = [
        InvoiceStatus::Draft,
        InvoiceStatus::Open,
        InvoiceStatus::Paid,
        InvoiceStatus::Void,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            InvoiceStatus::Draft => "draft",
            InvoiceStatus::Open => "open",
            InvoiceStatus::Paid => "paid",
            InvoiceStatus::Void => "void",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        let s = s.trim().to_ascii_lowercase();
        Self::ALL.into_iter().find(|v| v.as_str() == s)
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Invoice {
    pub id: InvoiceId,
    pub customer_id: CustomerId,
    pub status: InvoiceStatus,
    /// `INV-0007`; `None` while a draft.
    pub number: Option<String>,
    pub issue_date: Option<NaiveDate>,
    pub due_date: Option<NaiveDate>,
    /// Charges plus tax: live for a draft, frozen at finalize.
    pub total: Decimal,
    /// Settled by payments and applied credit; never the invoice's own
    /// void credit, so a void invoice shows what was really paid on it.
    pub paid: Decimal,
    /// The month a billing run made it for, `YYYY-MM`.
    pub period: Option<String>,
    pub lines: usize,
    /// The contract its first contract charge is from, and that charge's
    /// date (the contract period), for listing and sorting.
    pub contract: Option<String>,
    pub contract_period: Option<NaiveDate>,
}

impl Invoice {
    /// What is left to pay: nothing on a draft (not a bill yet) or a void
    /// invoice (no longer asks for payment).
    pub fn remaining(&self) -> Decimal {
        match self.status {
            InvoiceStatus::Draft | InvoiceStatus::Void => Decimal::ZERO,
            _ => self.total - self.paid,
        }
    }

    pub fn is_overdue(&self, today: NaiveDate) -> bool {
        self.status == InvoiceStatus::Open && self.due_date.is_some_and(|d| d < today)
    }

    /// `INV-0007`, or `draft 12` for a draft (which has no number yet).
    pub fn label(&self) -> String {
        match &self.number {
            Some(n) => n.clone(),
            None => format!("draft {}", self.id),
        }
    }

    /// The status as the owner reads it: `overdue` is an open invoice past due.
    pub fn status_label(&self, today: NaiveDate) -> &'static str {
        if self.is_overdue(today) {
            "overdue"
        } else {
            self.status.as_str()
        }
    }
}

/// The printed number for sequence `seq`: prefix plus at least four digits.
pub fn format_number(prefix: &str, seq: i64) -> String {
    format!("{prefix}{seq:04}")
}

/// How the owner names an invoice: its id (`12`) or its number (`INV-0007`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum InvoiceRef {
    Id(InvoiceId),
    Number(String),
}

impl InvoiceRef {
    pub fn parse(s: &str) -> Option<InvoiceRef> {
        let s = s.trim();
        if s.is_empty() {
            return None;
        }
        match s.parse::<i64>() {
            Ok(n) if n > 0 => Some(InvoiceRef::Id(InvoiceId(n))),
            Ok(_) => None,
            Err(_) => Some(InvoiceRef::Number(s.to_string())),
        }
    }
}

impl std::fmt::Display for InvoiceRef {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            InvoiceRef::Id(id) => write!(f, "{id}"),
            InvoiceRef::Number(n) => write!(f, "{n}"),
        }
    }
}

/// A calendar month, the unit of the monthly billing cycle.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Period {
    pub year: i32,
    pub month: u32,
}

impl Period {
    pub fn of(d: NaiveDate) -> Period {
        Period {
            year: d.year(),
            month: d.month(),
        }
    }

    pub fn parse(s: &str) -> Option<Period> {
        let d = NaiveDate::parse_from_str(&format!("{s}-01"), "%Y-%m-%d").ok()?;
        (s.len() == 7).then(|| Period::of(d))
    }

    pub fn first_day(self) -> NaiveDate {
        NaiveDate::from_ymd_opt(self.year, self.month, 1).unwrap_or(NaiveDate::MIN)
    }

    /// The first day of the next month (exclusive end of this one).
    pub fn end(self) -> NaiveDate {
        self.first_day()
            .checked_add_months(Months::new(1))
            .unwrap_or(NaiveDate::MAX)
    }

    /// "November 2026", for invoice descriptions.
    pub fn name(self) -> String {
        self.first_day().format("%B %Y").to_string()
    }
}

impl std::fmt::Display for Period {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:04}-{:02}", self.year, self.month)
    }
}

/// How the invoices tab orders its rows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum InvoiceSort {
    /// Newest first: drafts (no number yet) on top, then by number descending.
    #[default]
    Number,
    Total,
    IssueDate,
    DueDate,
    Status,
    /// By contract name, then period (invoices with no contract last).
    Contract,
}

impl InvoiceSort {
    pub fn next(self) -> Self {
        match self {
            InvoiceSort::Number => InvoiceSort::Total,
            InvoiceSort::Total => InvoiceSort::IssueDate,
            InvoiceSort::IssueDate => InvoiceSort::DueDate,
            InvoiceSort::DueDate => InvoiceSort::Status,
            InvoiceSort::Status => InvoiceSort::Contract,
            InvoiceSort::Contract => InvoiceSort::Number,
        }
    }
    pub fn label(self) -> &'static str {
        match self {
            InvoiceSort::Number => "number",
            InvoiceSort::Total => "total",
            InvoiceSort::IssueDate => "issue date",
            InvoiceSort::DueDate => "due date",
            InvoiceSort::Status => "status",
            InvoiceSort::Contract => "contract",
        }
    }
}

/// Which invoices a list shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum InvoiceFilter {
    #[default]
    All,
    Status(InvoiceStatus),
    /// Open and past due on the given day.
    Overdue,
}

impl InvoiceFilter {
    /// All → draft → open → overdue → paid → void → All.
    pub fn next(self) -> Self {
        use InvoiceStatus as S;
        match self {
            InvoiceFilter::All => InvoiceFilter::Status(S::Draft),
            InvoiceFilter::Status(S::Draft) => InvoiceFilter::Status(S::Open),
            InvoiceFilter::Status(S::Open) => InvoiceFilter::Overdue,
            InvoiceFilter::Overdue => InvoiceFilter::Status(S::Paid),
            InvoiceFilter::Status(S::Paid) => InvoiceFilter::Status(S::Void),
            InvoiceFilter::Status(S::Void) => InvoiceFilter::All,
        }
    }
    pub fn label(self) -> &'static str {
        match self {
            InvoiceFilter::All => "all",
            InvoiceFilter::Status(s) => s.as_str(),
            InvoiceFilter::Overdue => "overdue",
        }
    }
    pub fn parse(s: &str) -> Option<Self> {
        match s.trim().to_ascii_lowercase().as_str() {
            "all" => Some(InvoiceFilter::All),
            "overdue" => Some(InvoiceFilter::Overdue),
            other => InvoiceStatus::parse(other).map(InvoiceFilter::Status),
        }
    }
}

/// "its charge is open again", "its 3 charges are open again": what
/// deleting a draft did.
pub fn charges_open_again(n: usize) -> String {
    match n {
        1 => "its charge is open again".into(),
        n => format!("its {n} charges are open again"),
    }
}

/// A refused invoice operation. Each message says what is wrong and what
/// to do instead; nothing was changed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum InvoiceError {
    #[error("customer {0} has no open charges to invoice: every charge is already on an invoice")]
    NoOpenCharges(CustomerId),
    #[error("no charges given: list charge ids like --charges 3,5,8")]
    NoChargesGiven,
    #[error("\"{0}\" is not a list of charge ids: use numbers separated by commas, like 3,5,8")]
    BadChargeList(String),
    #[error("entry {0} is a credit: only charges go on an invoice")]
    NotACharge(EntryId),
    #[error("charge {entry} belongs to customer {owner}, not customer {customer}")]
    OtherCustomer {
        entry: EntryId,
        owner: CustomerId,
        customer: CustomerId,
    },
    #[error("charge {entry} is already on {number}, which is finalized")]
    ChargeInvoiced { entry: EntryId, number: String },
    #[error("charge {entry} is already on draft {draft}: delete that draft first, or finalize it")]
    ChargeDrafted { entry: EntryId, draft: InvoiceId },
    #[error("{label} is {status}, not a draft: only a draft can be {verb}")]
    NotDraft {
        label: String,
        status: &'static str,
        verb: &'static str,
    },
    #[error("draft {0} has no charges: delete it, or draft again from open charges")]
    EmptyDraft(InvoiceId),
    #[error("draft {0} is not finalized yet: finalize it before {1}")]
    DraftNotFinal(InvoiceId, &'static str),
    #[error("draft {0} was never finalized: delete the draft instead of voiding it")]
    VoidDraft(InvoiceId),
    #[error("{0} is paid and cannot be voided: post a credit (credit memo or refund) instead")]
    VoidPaid(String),
    #[error("{0} is already void: there is nothing left to cancel or void")]
    AlreadyVoid(String),
    #[error("{label} is {status}: nothing is left to pay on it")]
    NothingDue { label: String, status: &'static str },
    #[error(
        "{label} has {remaining} remaining: {amount} is more than that; pay at most {remaining}, or post the rest with `tally credit`"
    )]
    Overpay {
        label: String,
        remaining: String,
        amount: String,
    },
    #[error(
        "customer {0} has no available credit to apply: record a payment with `tally invoice pay` instead"
    )]
    NoCredit(CustomerId),
    #[error("only {available} of credit is available: apply at most that")]
    NotEnoughCredit { available: String },
    #[error(
        "{what} {entry} is on {number}, which is finalized: it cannot be edited or removed; correct it with a new credit (credit memo)"
    )]
    LockedCharge {
        what: &'static str,
        entry: EntryId,
        number: String,
    },
    #[error(
        "credit {entry} is applied to {numbers}: it cannot be edited or removed; post a new line to correct it"
    )]
    LockedCredit { entry: EntryId, numbers: String },
    #[error(
        "{what} {entry} is {why}: it cannot be edited or removed; post a new line to correct it"
    )]
    Moved {
        what: &'static str,
        entry: EntryId,
        why: String,
    },
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_are_padded_and_grow_past_four_digits() {
        assert_eq!(format_number("INV-", 1), "INV-0001");
        assert_eq!(format_number("INV-", 12345), "INV-12345");
        assert_eq!(format_number("", 7), "0007");
    }

    #[test]
    fn an_invoice_is_named_by_id_or_number() {
        assert_eq!(InvoiceRef::parse("12"), Some(InvoiceRef::Id(InvoiceId(12))));
        assert_eq!(
            InvoiceRef::parse(" INV-0003 "),
            Some(InvoiceRef::Number("INV-0003".into()))
        );
        assert_eq!(InvoiceRef::parse("0"), None);
        assert_eq!(InvoiceRef::parse(""), None);
    }

    #[test]
    fn periods_cross_year_boundaries() {
        let p = Period::parse("2025-12").unwrap();
        assert_eq!(p.first_day().to_string(), "2025-12-01");
        assert_eq!(p.end().to_string(), "2026-01-01");
        assert_eq!(p.to_string(), "2025-12");
        assert_eq!(p.name(), "December 2025");
        assert!(Period::parse("2025-13").is_none());
        assert!(Period::parse("2025-1").is_none());
    }

    #[test]
    fn overdue_is_open_and_past_due_only() {
        let d = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
        let mut inv = Invoice {
            id: InvoiceId(1),
            customer_id: CustomerId(1),
            status: InvoiceStatus::Open,
            number: Some("INV-0001".into()),
            issue_date: Some(d("2026-01-01")),
            due_date: Some(d("2026-01-31")),
            total: Decimal::new(1000, 2),
            paid: Decimal::new(400, 2),
            period: None,
            lines: 1,
            contract: None,
            contract_period: None,
        };
        assert!(!inv.is_overdue(d("2026-01-31")));
        assert!(inv.is_overdue(d("2026-02-01")));
        assert_eq!(inv.status_label(d("2026-02-01")), "overdue");
        assert_eq!(inv.remaining(), Decimal::new(600, 2));
        inv.status = InvoiceStatus::Paid;
        assert!(!inv.is_overdue(d("2026-02-01")));
    }

    #[test]
    fn the_filter_cycle_visits_every_state_once() {
        let mut f = InvoiceFilter::All;
        let mut seen = vec![];
        for _ in 0..6 {
            seen.push(f.label());
            f = f.next();
        }
        assert_eq!(f, InvoiceFilter::All);
        assert_eq!(seen, ["all", "draft", "open", "overdue", "paid", "void"]);
    }
}
