//! The customer form (`n`, `e`): its fields, the details it hands to
//! `ops`, and which field a refusal belongs to.

use crate::domain::customer::{Customer, CustomerId};
use crate::tui::form::{CYCLES, Field, Form, FormKind, NO_YES};

/// Customer form field indices.
pub mod cf {
    pub const NAME: usize = 0;
    pub const EMAIL: usize = 1;
    pub const PHONE: usize = 2;
    pub const PARENT: usize = 7;
    pub const BILL_PARENT: usize = 8;
    pub const CYCLE: usize = 9;
    pub const PAUSED: usize = 10;
    pub const PORTAL: usize = 11;
    pub const TERMS: usize = 12;
}

/// The parent typed in the customer form when it is a name to look up
/// rather than an id (effects resolve it against the book).
pub fn parent_name(f: &Form) -> Option<String> {
    let p = f.value(cf::PARENT).trim();
    (!p.is_empty() && p.trim_start_matches('#').parse::<i64>().is_err()).then(|| p.to_string())
}

/// The customer form's values as details to save (validated by `ops`), or
/// the fields that cannot even be read (terms that are not days). A parent
/// given by name is left for [`parent_name`].
pub fn details(f: &Form) -> Result<crate::domain::CustomerDetails, Vec<(usize, String)>> {
    use crate::domain::customer::BillingCycle;
    let text = |i: usize| Some(f.value(i).to_string());
    let parent = f.value(cf::PARENT).trim();
    let mut unreadable = Vec::new();
    let parent_id = if parent.is_empty() {
        None
    } else {
        parent
            .trim_start_matches('#')
            .parse::<i64>()
            .ok()
            .map(CustomerId)
    };
    let payment_terms_days = crate::domain::customer::parse_terms(f.value(cf::TERMS))
        .map_err(|e| unreadable.push((cf::TERMS, e)))
        .unwrap_or_default();
    let details = crate::domain::CustomerDetails {
        name: f.value(cf::NAME).to_string(),
        email: text(cf::EMAIL),
        phone: text(cf::PHONE),
        address: text(3),
        tax_id: text(4),
        legal_name: text(5),
        notes: text(6),
        parent_id,
        bill_to_parent: f.value(cf::BILL_PARENT) == "yes",
        billing_cycle: BillingCycle::parse(f.value(cf::CYCLE)).unwrap_or_default(),
        invoices_paused: f.value(cf::PAUSED) == "yes",
        portal_delivery: f.value(cf::PORTAL) == "yes",
        payment_terms_days,
    };
    if unreadable.is_empty() {
        return Ok(details);
    }
    // Every problem at once: the unreadable fields and the rules the rest break.
    if let Err(problems) = details.clone().validated() {
        use crate::domain::customer::CustomerError as E;
        unreadable.extend(
            problems
                .0
                .iter()
                .filter(|e| !matches!(e, E::BillParentWithoutParent))
                .map(|e| (field_of(e), e.to_string())),
        );
    }
    Err(unreadable)
}

/// Which customer-form field a domain error belongs to.
pub fn field_of(e: &crate::domain::customer::CustomerError) -> usize {
    use crate::domain::customer::CustomerError as E;
    match e {
        E::EmptyName | E::NameTooLong(_) => cf::NAME,
        E::BadEmail(_) => cf::EMAIL,
        E::BadPhone(_) => cf::PHONE,
        E::OwnParent => cf::PARENT,
        E::BillParentWithoutParent => cf::BILL_PARENT,
        E::TermsTooLong(_) => cf::TERMS,
        // Contacts only: the customer form has no role.
        E::RoleTooLong(_) => cf::NAME,
    }
}

impl Form {
    pub fn customer(existing: Option<&Customer>) -> Form {
        let opt = |f: Option<&Option<String>>| f.and_then(|o| o.clone()).unwrap_or_default();
        let c = existing;
        let yes = |b: bool| if b { "yes" } else { "no" };
        let fields = vec![
            Field::text("Name", c.map(|c| c.name.clone()).unwrap_or_default()),
            Field::text("Email", opt(c.map(|c| &c.email))),
            Field::text("Phone", opt(c.map(|c| &c.phone))),
            Field::text("Address", opt(c.map(|c| &c.address))),
            Field::text("Tax ID", opt(c.map(|c| &c.tax_id))),
            Field::text("Legal name", opt(c.map(|c| &c.legal_name))),
            Field::text("Notes", opt(c.map(|c| &c.notes))),
            Field {
                hint: Some("a name or id; empty = none".into()),
                ..Field::text(
                    "Parent",
                    c.and_then(|c| c.parent_id)
                        .map(|p| p.to_string())
                        .unwrap_or_default(),
                )
            },
            Field::choice(
                "Bill to parent",
                NO_YES,
                yes(c.is_some_and(|c| c.bill_to_parent)),
            ),
            Field::choice(
                "Billing cycle",
                CYCLES,
                c.map(|c| c.billing_cycle.as_str()).unwrap_or("none"),
            ),
            Field::choice(
                "Invoices paused",
                NO_YES,
                yes(c.is_some_and(|c| c.invoices_paused)),
            ),
            Field::choice(
                "Portal delivery",
                NO_YES,
                yes(c.is_some_and(|c| c.portal_delivery)),
            ),
            Field {
                hint: Some("days; empty = config default".into()),
                ..Field::text(
                    "Payment terms",
                    c.and_then(|c| c.payment_terms_days)
                        .map(|d| d.to_string())
                        .unwrap_or_default(),
                )
            },
        ];
        Form::with(
            FormKind::Customer {
                id: c.map(|c| c.id),
            },
            fields,
        )
    }
}
