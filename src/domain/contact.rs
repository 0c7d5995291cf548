//! A customer's contacts (seed 004): the people to reach about the account.
//!
//! Invariants: a contact has a name; email and phone, when given, have the
//! same shape rules as a customer's; at most one contact per customer is
//! primary (the store's unique index enforces it).

use super::customer::{CustomerError, CustomerErrors, CustomerId, check_email, check_phone};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ContactId(pub i64);

impl std::fmt::Display for ContactId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}", self.0)
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Contact {
    pub id: ContactId,
    pub customer_id: CustomerId,
    pub details: ContactDetails,
}

/// What a contact is: editable as a whole.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ContactDetails {
    pub name: String,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub role: Option<String>,
    pub primary: bool,
}

/// The longest role text kept ("Accounts payable", "Site manager").
pub const MAX_ROLE: usize = 100;

impl ContactDetails {
    /// Trims every field, turns empty optional ones into `None`, and checks
    /// them; returns every problem at once.
    pub fn validated(mut self) -> Result<Self, CustomerErrors> {
        self.name = self.name.trim().to_string();
        for field in [&mut self.email, &mut self.phone, &mut self.role] {
            *field = field
                .take()
                .map(|s| s.trim().to_string())
                .filter(|s| !s.is_empty());
        }
        let mut problems = Vec::new();
        problems.extend(super::customer::check_name(&self.name).err());
        problems.extend(self.email.as_deref().and_then(|e| check_email(e).err()));
        problems.extend(self.phone.as_deref().and_then(|p| check_phone(p).err()));
        if let Some(n) = self
            .role
            .as_ref()
            .map(|r| r.chars().count())
            .filter(|n| *n > MAX_ROLE)
        {
            problems.push(CustomerError::RoleTooLong(n));
        }
        if problems.is_empty() {
            Ok(self)
        } else {
            Err(CustomerErrors(problems))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_contact_needs_a_name_and_well_formed_details() {
        let d = ContactDetails {
            name: "  Ann Lee ".into(),
            email: Some(" ".into()),
            role: Some("Accounts".into()),
            ..Default::default()
        }
        .validated()
        .unwrap();
        assert_eq!((d.name.as_str(), d.email), ("Ann Lee", None));
        let errs = ContactDetails {
            name: "".into(),
            email: Some("nope".into()),
            phone: Some("x".into()),
            role: Some("r".repeat(101)),
            primary: false,
        }
        .validated()
        .unwrap_err();
        assert_eq!(errs.0.len(), 4, "{errs}");
    }
}
