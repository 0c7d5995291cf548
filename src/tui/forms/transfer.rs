//! The transfer form (`t` on the Credits tab): move available credit to
//! another customer.

use crate::domain::customer::CustomerId;
use crate::domain::entry::EntryField;
use crate::ops::TransferInput;
use crate::tui::form::{Field, Form, FormKind};

/// Transfer form field indices.
pub mod tf {
    pub const TO: usize = 0;
    pub const AMOUNT: usize = 1;
    pub const DATE: usize = 2;
    pub const DESC: usize = 3;
}

pub fn build(customer: CustomerId, name: &str, available: &str, today: &str) -> Form {
    let mut form = Form::with(
        FormKind::Transfer { customer },
        vec![
            Field {
                hint: Some("the customer who receives it: a name or id".into()),
                ..Field::text("To", "")
            },
            Field {
                hint: Some(format!("{available} available")),
                ..Field::text("Amount", available)
            },
            Field::text("Date", today),
            Field {
                hint: Some("empty = Transfer to …".into()),
                ..Field::text("Description", "")
            },
        ],
    );
    form.title_suffix = Some(name.to_string());
    form
}

/// The transfer's target as typed, and the rest of it.
pub fn input(f: &Form) -> (String, TransferInput) {
    (
        f.value(tf::TO).trim().to_string(),
        TransferInput {
            amount: f.value(tf::AMOUNT).to_string(),
            description: Some(f.value(tf::DESC).to_string()),
            date: Some(f.value(tf::DATE).to_string()),
        },
    )
}

pub fn field_of(f: EntryField) -> usize {
    match f {
        EntryField::Date => tf::DATE,
        EntryField::Description => tf::DESC,
        _ => tf::AMOUNT,
    }
}
