//! The refund form (`r` on the Credits tab): pay available credit back.

use crate::domain::customer::CustomerId;
use crate::domain::entry::EntryField;
use crate::domain::invoice::InvoiceRef;
use crate::ops::RefundInput;
use crate::tui::form::{Field, Form, FormKind, METHODS};

/// Refund form field indices.
pub mod rf {
    pub const AMOUNT: usize = 0;
    pub const METHOD: usize = 1;
    pub const REFERENCE: usize = 2;
    pub const DATE: usize = 3;
    pub const DESC: usize = 4;
    pub const INVOICE: usize = 5;
}

pub fn build(customer: CustomerId, name: &str, available: &str, today: &str) -> Form {
    let hint = if available.is_empty() {
        "no credit available: name a paid invoice below".to_string()
    } else {
        format!("{available} available")
    };
    let mut form = Form::with(
        FormKind::Refund { customer },
        vec![
            Field {
                hint: Some(hint),
                ..Field::text("Amount", available)
            },
            Field::choice("Method", METHODS, "other"),
            Field {
                hint: Some("check number, card refund id…".into()),
                ..Field::text("Reference", "")
            },
            Field::text("Date", today),
            Field {
                hint: Some("empty = Refund".into()),
                ..Field::text("Description", "")
            },
            Field {
                hint: Some("a paid invoice to refund against; empty = credit only".into()),
                ..Field::text("Invoice", "")
            },
        ],
    );
    form.title_suffix = Some(name.to_string());
    form
}

/// The refund as typed, or the Invoice field's problem.
pub fn input(f: &Form) -> Result<RefundInput, (usize, String)> {
    let typed = f.value(rf::INVOICE).trim();
    let invoice = match typed {
        "" => None,
        t => Some(InvoiceRef::parse(t).ok_or_else(|| {
            (
                rf::INVOICE,
                format!("\"{t}\" is not an invoice: use its number (INV-0007) or id"),
            )
        })?),
    };
    Ok(RefundInput {
        amount: f.value(rf::AMOUNT).to_string(),
        method: Some(f.value(rf::METHOD).to_string()),
        reference: Some(f.value(rf::REFERENCE).to_string()),
        description: Some(f.value(rf::DESC).to_string()),
        date: Some(f.value(rf::DATE).to_string()),
        invoice,
    })
}

pub fn field_of(f: EntryField) -> usize {
    match f {
        EntryField::Method => rf::METHOD,
        EntryField::Date => rf::DATE,
        EntryField::Description => rf::DESC,
        _ => rf::AMOUNT,
    }
}
