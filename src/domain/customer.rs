//! Customers: identity, contact details, flags, and the rules for what a
//! valid customer record is. Pure: no IO.
//!
//! Invariants: a name is never empty; optional text fields are `None` rather
//! than empty strings; an email, when present, has the shape `local@domain`.

use chrono::{DateTime, Utc};
use rust_decimal::Decimal;
use thiserror::Error;

/// A customer's row id. Printed as the bare number (`tally customer show 3`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct CustomerId(pub i64);

impl std::fmt::Display for CustomerId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}", self.0)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum BillingCycle {
    #[default]
    None,
    Monthly,
}

impl BillingCycle {
    pub fn as_str(self) -> &'static str {
        match self {
            BillingCycle::None => "none",
            BillingCycle::Monthly => "monthly",
        }
    }
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "none" => Some(BillingCycle::None),
            "monthly" => Some(BillingCycle::Monthly),
            _ => None,
        }
    }
}

/// How a customer list is ordered.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum CustomerSort {
    /// Whoever owes the most first (most negative balance), then by name.
    #[default]
    Balance,
    Name,
    /// Most recent activity (created, posted, edited) first.
    Recent,
}

impl CustomerSort {
    pub fn next(self) -> Self {
        match self {
            CustomerSort::Balance => CustomerSort::Name,
            CustomerSort::Name => CustomerSort::Recent,
            CustomerSort::Recent => CustomerSort::Balance,
        }
    }
    pub fn label(self) -> &'static str {
        match self {
            CustomerSort::Balance => "balance",
            CustomerSort::Name => "name",
            CustomerSort::Recent => "recent",
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Customer {
    pub id: CustomerId,
    pub name: String,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub address: Option<String>,
    pub tax_id: Option<String>,
    pub legal_name: Option<String>,
    pub notes: Option<String>,
    pub parent_id: Option<CustomerId>,
    pub bill_to_parent: bool,
    pub invoices_paused: bool,
    pub portal_delivery: bool,
    pub billing_cycle: BillingCycle,
    /// Days from issue to due; `None` uses the config's `payment_terms_days`.
    pub payment_terms_days: Option<u32>,
    pub source: String,
    /// Σ credits − Σ (charges + tax). Negative: the customer owes.
    pub balance: Decimal,
    pub last_activity: DateTime<Utc>,
    pub created_at: DateTime<Utc>,
    /// Hidden from lists and reminders while the balance is zero.
    pub archived: bool,
}

/// The editable details of a customer, already validated.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct CustomerDetails {
    pub name: String,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub address: Option<String>,
    pub tax_id: Option<String>,
    pub legal_name: Option<String>,
    pub notes: Option<String>,
    pub parent_id: Option<CustomerId>,
    pub bill_to_parent: bool,
    pub invoices_paused: bool,
    pub portal_delivery: bool,
    pub billing_cycle: BillingCycle,
    pub payment_terms_days: Option<u32>,
}

impl From<&Customer> for CustomerDetails {
    fn from(c: &Customer) -> Self {
        CustomerDetails {
            name: c.name.clone(),
            email: c.email.clone(),
            phone: c.phone.clone(),
            address: c.address.clone(),
            tax_id: c.tax_id.clone(),
            legal_name: c.legal_name.clone(),
            notes: c.notes.clone(),
            parent_id: c.parent_id,
            bill_to_parent: c.bill_to_parent,
            invoices_paused: c.invoices_paused,
            portal_delivery: c.portal_delivery,
            billing_cycle: c.billing_cycle,
            payment_terms_days: c.payment_terms_days,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum CustomerError {
    #[error("name is empty: a customer needs a name")]
    EmptyName,
    #[error("name is too long ({0} characters): at most 200")]
    NameTooLong(usize),
    #[error("email \"{0}\" is not an email address: use the form name@example.com")]
    BadEmail(String),
    #[error("phone \"{0}\" is not a phone number: use digits, spaces and + ( ) - . only")]
    BadPhone(String),
    #[error("a customer cannot be its own parent")]
    OwnParent,
    #[error("bill to parent needs a parent customer: set --parent ID first")]
    BillParentWithoutParent,
    #[error("payment terms of {0} days is too long: use 0 to {MAX_TERMS_DAYS} days")]
    TermsTooLong(u32),
    #[error("role is too long ({0} characters): at most 100")]
    RoleTooLong(usize),
}

/// Every problem with a customer's details at once, so a form can mark
/// each field and the command line can name them all in one line.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[error("{}", .0.iter().map(ToString::to_string).collect::<Vec<_>>().join("; "))]
pub struct CustomerErrors(pub Vec<CustomerError>);

impl From<CustomerError> for CustomerErrors {
    fn from(e: CustomerError) -> Self {
        CustomerErrors(vec![e])
    }
}

/// The longest payment terms accepted (ten years).
pub const MAX_TERMS_DAYS: u32 = 3650;

/// Parses payment terms in days: a whole number, or empty / `default` for
/// the config's terms.
pub fn parse_terms(s: &str) -> Result<Option<u32>, String> {
    let s = s.trim();
    if s.is_empty() || s.eq_ignore_ascii_case("default") {
        return Ok(None);
    }
    match s.parse::<u32>() {
        Ok(n) if n <= MAX_TERMS_DAYS => Ok(Some(n)),
        _ => Err(format!(
            "\"{s}\" is not payment terms: use whole days from 0 to {MAX_TERMS_DAYS}, or empty for the default"
        )),
    }
}

impl CustomerDetails {
    /// Trims every field, turns empty optional fields into `None`, and checks
    /// the rules. Returns every problem found.
    pub fn validated(mut self) -> Result<Self, CustomerErrors> {
        self.name = self.name.trim().to_string();
        for field in [
            &mut self.email,
            &mut self.phone,
            &mut self.address,
            &mut self.tax_id,
            &mut self.legal_name,
            &mut self.notes,
        ] {
            *field = field
                .take()
                .map(|s| s.trim().to_string())
                .filter(|s| !s.is_empty());
        }
        let mut problems: Vec<CustomerError> = Vec::new();
        problems.extend(check_name(&self.name).err());
        problems.extend(self.email.as_deref().and_then(|e| check_email(e).err()));
        problems.extend(self.phone.as_deref().and_then(|p| check_phone(p).err()));
        if self.bill_to_parent && self.parent_id.is_none() {
            problems.push(CustomerError::BillParentWithoutParent);
        }
        if let Some(d) = self.payment_terms_days.filter(|d| *d > MAX_TERMS_DAYS) {
            problems.push(CustomerError::TermsTooLong(d));
        }
        if problems.is_empty() {
            Ok(self)
        } else {
            Err(CustomerErrors(problems))
        }
    }
}

pub fn check_name(name: &str) -> Result<(), CustomerError> {
    let n = name.trim().chars().count();
    if n == 0 {
        return Err(CustomerError::EmptyName);
    }
    if n > 200 {
        return Err(CustomerError::NameTooLong(n));
    }
    Ok(())
}

pub fn check_email(email: &str) -> Result<(), CustomerError> {
    let bad = || CustomerError::BadEmail(email.to_string());
    let (local, domain) = email.split_once('@').ok_or_else(bad)?;
    let shaped = !local.is_empty()
        && domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && !domain.contains('@')
        && !email.chars().any(char::is_whitespace)
        // Nothing that could end an address in a mail header or add one.
        && !email.chars().any(|c| c.is_control() || "<>,;:\"()[]\\".contains(c));
    if shaped { Ok(()) } else { Err(bad()) }
}

pub fn check_phone(phone: &str) -> Result<(), CustomerError> {
    // An extension may follow the number: "410-555-0142 x89", "… ext. 89".
    let lower = phone.to_ascii_lowercase();
    let number = ["ext.", "ext", "x"]
        .iter()
        .filter_map(|mark| {
            let at = lower.rfind(mark)?;
            let rest = lower[at + mark.len()..].trim();
            (!rest.is_empty() && rest.chars().all(|c| c.is_ascii_digit())).then(|| &phone[..at])
        })
        .next()
        .unwrap_or(phone);
    let allowed = number
        .chars()
        .all(|c| c.is_ascii_digit() || " +()-.".contains(c));
    let digits = phone.chars().filter(char::is_ascii_digit).count();
    if allowed && digits >= 3 {
        Ok(())
    } else {
        Err(CustomerError::BadPhone(phone.to_string()))
    }
}

/// Lower-cased name with punctuation and extra spaces removed: two names with
/// the same key are "very similar" (seed 003: "John Smith" vs "john  smith.").
pub fn name_key(name: &str) -> String {
    name.to_lowercase()
        .chars()
        .map(|c| if c.is_alphanumeric() { c } else { ' ' })
        .collect::<String>()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn details(name: &str) -> CustomerDetails {
        CustomerDetails {
            name: name.into(),
            ..Default::default()
        }
    }

    #[test]
    fn trims_and_drops_empty_fields() {
        let d = CustomerDetails {
            email: Some("  ".into()),
            phone: Some(" 555-1234 ".into()),
            ..details("  Ann Lee ")
        }
        .validated()
        .unwrap();
        assert_eq!(d.name, "Ann Lee");
        assert_eq!(d.email, None);
        assert_eq!(d.phone.as_deref(), Some("555-1234"));
    }

    #[test]
    fn refuses_bad_records() {
        assert_eq!(
            details("  ").validated(),
            Err(CustomerError::EmptyName.into())
        );
        assert_eq!(
            details(&"x".repeat(201)).validated(),
            Err(CustomerError::NameTooLong(201).into())
        );
        for e in [
            "ann",
            "ann@",
            "@x.com",
            "ann@x",
            "a b@x.com",
            "a@b@c.com",
            "a@.com",
        ] {
            let d = CustomerDetails {
                email: Some(e.into()),
                ..details("Ann")
            };
            assert!(
                matches!(d.validated().map_err(|e| e.0), Err(v) if matches!(v[..], [CustomerError::BadEmail(_)])),
                "{e}"
            );
        }
        let d = CustomerDetails {
            phone: Some("call me".into()),
            ..details("Ann")
        };
        assert!(
            matches!(d.validated().map_err(|e| e.0), Err(v) if matches!(v[..], [CustomerError::BadPhone(_)]))
        );
        let d = CustomerDetails {
            bill_to_parent: true,
            ..details("Ann")
        };
        assert_eq!(
            d.validated(),
            Err(CustomerError::BillParentWithoutParent.into())
        );
    }

    #[test]
    fn similar_names_share_a_key() {
        assert_eq!(name_key("John  Smith."), name_key("john smith"));
        assert_ne!(name_key("J. Smith"), name_key("John Smith"));
    }
}
