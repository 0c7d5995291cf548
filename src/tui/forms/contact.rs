//! The contact form (Contacts tab): add or edit a contact.

use crate::domain::contact::{Contact, ContactDetails};
use crate::domain::customer::{CustomerError, CustomerId};
use crate::tui::form::{Field, Form, FormKind, NO_YES};

/// Contact form field indices.
pub mod ctf {
    pub const NAME: usize = 0;
    pub const EMAIL: usize = 1;
    pub const PHONE: usize = 2;
    pub const ROLE: usize = 3;
    pub const PRIMARY: usize = 4;
}

pub fn build(customer: CustomerId, existing: Option<&Contact>) -> Form {
    let d = existing.map(|c| c.details.clone()).unwrap_or_default();
    let opt = |s: Option<String>| s.unwrap_or_default();
    Form::with(
        FormKind::Contact {
            customer,
            contact: existing.map(|c| c.id),
        },
        vec![
            Field::text("Name", d.name),
            Field::text("Email", opt(d.email)),
            Field::text("Phone", opt(d.phone)),
            Field {
                hint: Some("e.g. Accounts payable".into()),
                ..Field::text("Role", opt(d.role))
            },
            Field {
                hint: Some("the reminder text greets the primary contact".into()),
                ..Field::choice("Primary", NO_YES, if d.primary { "yes" } else { "no" })
            },
        ],
    )
}

pub fn details(f: &Form) -> ContactDetails {
    let text = |i: usize| Some(f.value(i).to_string());
    ContactDetails {
        name: f.value(ctf::NAME).to_string(),
        email: text(ctf::EMAIL),
        phone: text(ctf::PHONE),
        role: text(ctf::ROLE),
        primary: f.value(ctf::PRIMARY) == "yes",
    }
}

pub fn field_of(e: &CustomerError) -> usize {
    match e {
        CustomerError::BadEmail(_) => ctf::EMAIL,
        CustomerError::BadPhone(_) => ctf::PHONE,
        CustomerError::RoleTooLong(_) => ctf::ROLE,
        _ => ctf::NAME,
    }
}
