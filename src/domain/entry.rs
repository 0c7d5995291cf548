//! Billing line items: charges and credits, and the form that creates or
//! edits one from what a person typed.
//!
//! Invariants: amounts are positive; only charges carry tax; credits and
//! refunds carry a method (transfers between customers none). A charge
//! counts against the balance as `-(amount + tax)`, a credit as `+amount`,
//! a payout (refund or transfer out) as `-amount`.

use chrono::{DateTime, NaiveDate, Utc};
use rust_decimal::Decimal;

use super::customer::CustomerId;
use super::date::parse_date;
use super::money::Currency;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct EntryId(pub i64);

impl std::fmt::Display for EntryId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}", self.0)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EntryKind {
    Charge,
    Credit,
    /// Credit paid back out (a refund) or moved to another customer (a
    /// transfer): lowers the balance like a charge, but is never invoiced.
    Payout,
}

impl EntryKind {
    pub fn as_str(self) -> &'static str {
        match self {
            EntryKind::Charge => "charge",
            EntryKind::Credit => "credit",
            EntryKind::Payout => "payout",
        }
    }
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "charge" => Some(EntryKind::Charge),
            "credit" => Some(EntryKind::Credit),
            "payout" => Some(EntryKind::Payout),
            _ => None,
        }
    }
}

/// How a credit arrived.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Method {
    Cash,
    Card,
    Check,
    Transfer,
    Other,
}

impl Method {
    pub const ALL: [Method; 5] = [
        Method::Cash,
        Method::Card,
        Method::Check,
        Method::Transfer,
        Method::Other,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Method::Cash => "cash",
            Method::Card => "card",
            Method::Check => "check",
            Method::Transfer => "transfer",
            Method::Other => "other",
        }
    }
    pub fn parse(s: &str) -> Option<Self> {
        let s = s.trim().to_ascii_lowercase();
        Method::ALL.into_iter().find(|m| m.as_str() == s)
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Entry {
    pub id: EntryId,
    pub customer_id: CustomerId,
    pub kind: EntryKind,
    pub amount: Decimal,
    pub tax: Decimal,
    pub description: String,
    pub method: Option<Method>,
    pub date: NaiveDate,
    pub created_at: DateTime<Utc>,
    /// The invoice a charge is on (draft or finalized).
    pub invoice_id: Option<super::invoice::InvoiceId>,
    /// A payment's outside reference (check number, transfer id).
    pub reference: Option<String>,
    /// The invoice whose void this credit records.
    pub void_of: Option<super::invoice::InvoiceId>,
    /// The other side of a transfer between customers.
    pub counterpart: Option<EntryId>,
    /// The invoice this credit memo credits.
    pub memo_of: Option<super::invoice::InvoiceId>,
}

impl Entry {
    /// What the entry is, as a person names it.
    pub fn label(&self) -> &'static str {
        match (self.kind, self.counterpart.is_some()) {
            (EntryKind::Charge, _) => "Charge",
            (EntryKind::Credit, false) => "Credit",
            (EntryKind::Credit, true) => "Transfer in",
            (EntryKind::Payout, false) => "Refund",
            (EntryKind::Payout, true) => "Transfer out",
        }
    }

    /// The entry's effect on the balance: charges negative, credits positive.
    pub fn signed_total(&self) -> Decimal {
        signed_total(self.kind, self.amount, self.tax)
    }
    /// The tax as history shows it, signed like the amount beside it: a
    /// charge's tax is owed too, so negative (zero stays zero).
    pub fn signed_tax(&self) -> Decimal {
        if self.tax.is_zero() {
            self.tax
        } else {
            -self.tax
        }
    }

    /// The amount as history shows it: charges negative, credits positive.
    pub fn signed_amount(&self) -> Decimal {
        match self.kind {
            EntryKind::Charge | EntryKind::Payout => -self.amount,
            EntryKind::Credit => self.amount,
        }
    }
}

pub fn signed_total(kind: EntryKind, amount: Decimal, tax: Decimal) -> Decimal {
    match kind {
        EntryKind::Charge => -(amount + tax),
        EntryKind::Credit => amount,
        EntryKind::Payout => -amount,
    }
}

/// A validated entry ready to post.
#[derive(Debug, Clone, PartialEq)]
pub struct NewEntry {
    pub kind: EntryKind,
    pub amount: Decimal,
    pub tax: Decimal,
    pub description: String,
    pub method: Option<Method>,
    pub date: NaiveDate,
}

impl From<&Entry> for NewEntry {
    fn from(e: &Entry) -> Self {
        NewEntry {
            kind: e.kind,
            amount: e.amount,
            tax: e.tax,
            description: e.description.clone(),
            method: e.method,
            date: e.date,
        }
    }
}

/// Which field of an entry form a problem belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EntryField {
    Amount,
    Tax,
    Description,
    Date,
    Method,
}

impl EntryField {
    pub fn label(self) -> &'static str {
        match self {
            EntryField::Amount => "amount",
            EntryField::Tax => "tax",
            EntryField::Description => "description",
            EntryField::Date => "date",
            EntryField::Method => "method",
        }
    }
}

/// A problem with one field, phrased to be shown next to it or as
/// `error: {field} {message}`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldError {
    pub field: EntryField,
    pub message: String,
}

impl std::fmt::Display for FieldError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} {}", self.field.label(), self.message)
    }
}

pub const MAX_DESCRIPTION: usize = 500;

/// What a person typed for an entry. `tax: None` means "not given" (the
/// configured default tax rate applies to charges); `Some("")` means zero.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct EntryInput {
    pub amount: String,
    pub tax: Option<String>,
    pub description: String,
    pub date: String,
    pub method: String,
}

pub fn parse_method(s: &str) -> Result<Method, String> {
    if s.trim().is_empty() {
        return Ok(Method::Other);
    }
    Method::parse(s).ok_or_else(|| {
        format!(
            "\"{}\" is not one of: cash, card, check, transfer, other",
            s.trim()
        )
    })
}

pub fn check_description(s: &str) -> Result<String, String> {
    let d = s.trim();
    let n = d.chars().count();
    if n > MAX_DESCRIPTION {
        return Err(format!(
            "is too long ({n} characters): at most {MAX_DESCRIPTION}"
        ));
    }
    Ok(d.to_string())
}

/// Whether typed tax is a rate (`8.25%`) rather than an amount.
fn is_rate(t: &str) -> bool {
    t.trim().ends_with('%')
}

/// The tax on a charge of `amount` from what was typed: an amount (`8.25`)
/// or a rate (`8.25%`, rounded half away from zero to the minor unit).
pub fn charge_tax(amount: Decimal, typed: &str, currency: &Currency) -> Result<Decimal, String> {
    let t = typed.trim();
    let Some(rate) = t.strip_suffix('%') else {
        return currency.parse_tax(t).map_err(|e| e.to_string());
    };
    let bad = || format!("\"{t}\" is not a rate: use a percent from 0 to 100, e.g. 8.25%");
    let pct: Decimal = rate.trim().parse().map_err(|_| bad())?;
    if pct.is_sign_negative() || pct > Decimal::ONE_HUNDRED || pct.scale() > 4 {
        return Err(bad());
    }
    Ok(currency.percent_of(amount, pct))
}

impl EntryInput {
    /// For a charge being typed: the tax and the total it would have, when
    /// the amount and tax read (a form shows them before saving).
    pub fn charge_preview(
        &self,
        currency: &Currency,
        default_tax_rate: Decimal,
    ) -> Option<(Decimal, Decimal)> {
        let amount = currency.parse_amount(&self.amount).ok()?;
        let tax = match self.tax.as_deref().filter(|t| !t.trim().is_empty()) {
            Some(t) => charge_tax(amount, t, currency).ok()?,
            None => currency.percent_of(amount, default_tax_rate),
        };
        Some((tax, amount + tax))
    }

    /// The typed form of an existing entry, for editing: every field filled
    /// in, so unchanged fields stay exactly as they were. Credits have no tax.
    pub fn from_entry(e: &Entry, currency: &Currency) -> EntryInput {
        EntryInput {
            amount: currency.plain(e.amount),
            tax: (e.kind == EntryKind::Charge).then(|| currency.plain(e.tax)),
            description: e.description.clone(),
            date: super::date::format_date(e.date),
            method: e.method.map(|m| m.as_str().to_string()).unwrap_or_default(),
        }
    }

    /// Checks every field and returns all problems, so a form can mark each
    /// one in place. `default_tax_rate` is a percent applied to charges when
    /// no tax was typed.
    pub fn validate(
        &self,
        kind: EntryKind,
        currency: &Currency,
        default_tax_rate: Decimal,
        today: NaiveDate,
    ) -> Result<NewEntry, Vec<FieldError>> {
        let mut errors = Vec::new();
        let mut err = |field, message: String| errors.push(FieldError { field, message });
        let amount = currency
            .parse_amount(&self.amount)
            .map_err(|e| err(EntryField::Amount, e.to_string()))
            .ok();
        let tax = match (kind, &self.tax) {
            (EntryKind::Credit | EntryKind::Payout, Some(t)) if !t.trim().is_empty() => {
                err(
                    EntryField::Tax,
                    "applies to charges only: leave it empty for a credit".into(),
                );
                None
            }
            (EntryKind::Credit | EntryKind::Payout, _) => Some(currency.zero()),
            (EntryKind::Charge, Some(t)) if is_rate(t) => match amount {
                Some(a) => charge_tax(a, t, currency)
                    .map_err(|e| err(EntryField::Tax, e))
                    .ok(),
                None => Some(currency.zero()),
            },
            (EntryKind::Charge, Some(t)) => currency
                .parse_tax(t)
                .map_err(|e| err(EntryField::Tax, e.to_string()))
                .ok(),
            (EntryKind::Charge, None) => Some(
                amount
                    .map(|a| currency.percent_of(a, default_tax_rate))
                    .unwrap_or_else(|| currency.zero()),
            ),
        };
        let tax = match (amount, tax) {
            (Some(a), Some(t)) if t > a => {
                err(
                    EntryField::Tax,
                    format!(
                        "{} is more than the amount {}: tax is at most the amount it is on",
                        currency.plain(t),
                        currency.plain(a)
                    ),
                );
                None
            }
            (_, t) => t,
        };
        let description = check_description(&self.description)
            .map_err(|m| err(EntryField::Description, m))
            .ok();
        let date = parse_date(&self.date, today)
            .map_err(|e| err(EntryField::Date, e.to_string()))
            .ok();
        let method = match kind {
            EntryKind::Charge => Some(None),
            EntryKind::Credit | EntryKind::Payout => parse_method(&self.method)
                .map(Some)
                .map_err(|m| err(EntryField::Method, m))
                .ok(),
        };
        match (amount, tax, description, date, method) {
            (Some(amount), Some(tax), Some(description), Some(date), Some(method)) => {
                Ok(NewEntry {
                    kind,
                    amount,
                    tax,
                    description,
                    method,
                    date,
                })
            }
            _ => Err(errors),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, 21).expect("valid")
    }

    fn input(amount: &str) -> EntryInput {
        EntryInput {
            amount: amount.into(),
            ..Default::default()
        }
    }

    #[test]
    fn a_charge_defaults_to_today_and_configured_tax() {
        let c = Currency::default();
        let e = input("100")
            .validate(EntryKind::Charge, &c, Decimal::new(825, 2), today())
            .unwrap();
        assert_eq!(e.date, today());
        assert_eq!(c.plain(e.tax), "8.25");
        assert_eq!(e.method, None);
        let e = EntryInput {
            tax: Some("".into()),
            ..input("100")
        }
        .validate(EntryKind::Charge, &c, Decimal::new(825, 2), today())
        .unwrap();
        assert_eq!(c.plain(e.tax), "0.00");
    }

    #[test]
    fn a_credit_has_a_method_and_no_tax() {
        let c = Currency::default();
        let e = EntryInput {
            method: "Card".into(),
            ..input("20")
        }
        .validate(EntryKind::Credit, &c, Decimal::new(825, 2), today())
        .unwrap();
        assert_eq!(e.method, Some(Method::Card));
        assert!(e.tax.is_zero());
        let errs = EntryInput {
            tax: Some("1".into()),
            method: "gold".into(),
            ..input("20")
        }
        .validate(EntryKind::Credit, &c, Decimal::ZERO, today())
        .unwrap_err();
        let fields: Vec<_> = errs.iter().map(|e| e.field).collect();
        assert_eq!(fields, vec![EntryField::Tax, EntryField::Method]);
    }

    #[test]
    fn every_bad_field_is_reported() {
        let c = Currency::default();
        let errs = EntryInput {
            amount: "abc".into(),
            tax: Some("-1".into()),
            description: "x".repeat(501),
            date: "2026-02-30".into(),
            method: String::new(),
        }
        .validate(EntryKind::Charge, &c, Decimal::ZERO, today())
        .unwrap_err();
        assert_eq!(errs.len(), 4);
        assert_eq!(
            errs[3].to_string(),
            "date \"2026-02-30\" is not a real calendar day: use YYYY-MM-DD with a valid month and day"
        );
    }

    #[test]
    fn tax_may_be_typed_as_a_rate() {
        let c = Currency::default();
        let with_tax = |t: &str| EntryInput {
            tax: Some(t.into()),
            ..input("100")
        };
        let e = with_tax("8.25%")
            .validate(EntryKind::Charge, &c, Decimal::ZERO, today())
            .unwrap();
        assert_eq!(c.plain(e.tax), "8.25");
        let e = with_tax(" 7.5 % ")
            .validate(EntryKind::Charge, &c, Decimal::ZERO, today())
            .unwrap();
        assert_eq!(c.plain(e.tax), "7.50");
        for bad in ["-1%", "101%", "x%", "%"] {
            let errs = with_tax(bad)
                .validate(EntryKind::Charge, &c, Decimal::ZERO, today())
                .unwrap_err();
            assert!(errs[0].message.contains("is not a rate"), "{bad}: {errs:?}");
        }
        assert_eq!(
            with_tax("10%").charge_preview(&c, Decimal::ZERO),
            Some((Decimal::new(1000, 2), Decimal::new(11000, 2)))
        );
        assert_eq!(
            input("100")
                .charge_preview(&c, Decimal::new(5, 0))
                .map(|p| c.plain(p.0)),
            Some("5.00".into())
        );
    }

    #[test]
    fn tax_is_at_most_the_amount() {
        let c = Currency::default();
        let with_tax = |t: &str| EntryInput {
            tax: Some(t.into()),
            ..input("100")
        };
        let errs = with_tax("999999999999.99")
            .validate(EntryKind::Charge, &c, Decimal::ZERO, today())
            .unwrap_err();
        assert_eq!(errs[0].field, EntryField::Tax);
        assert!(
            errs[0].message.contains("at most the amount"),
            "{}",
            errs[0]
        );
        assert!(
            with_tax("100")
                .validate(EntryKind::Charge, &c, Decimal::ZERO, today())
                .is_ok()
        );
    }

    #[test]
    fn signs_follow_seed_000() {
        assert_eq!(
            signed_total(
                EntryKind::Charge,
                Decimal::new(15000, 2),
                Decimal::new(100, 2)
            ),
            Decimal::new(-15100, 2)
        );
        assert_eq!(
            signed_total(EntryKind::Credit, Decimal::new(2500, 2), Decimal::ZERO),
            Decimal::new(2500, 2)
        );
    }
}
