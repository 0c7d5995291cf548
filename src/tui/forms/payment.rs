//! The mark-paid form (`p` on an open invoice): an outside payment.

use crate::domain::entry::EntryField;
use crate::domain::invoice::InvoiceId;
use crate::ops::PaymentInput;
use crate::tui::form::{Field, Form, FormKind, METHODS};

/// Payment form field indices.
pub mod pf {
    pub const AMOUNT: usize = 0;
    pub const METHOD: usize = 1;
    pub const REFERENCE: usize = 2;
    pub const DATE: usize = 3;
}

/// The payment form's values, checked by `ops`.
pub fn input(f: &Form) -> PaymentInput {
    PaymentInput {
        amount: Some(f.value(pf::AMOUNT).to_string()),
        method: Some(f.value(pf::METHOD).to_string()),
        reference: Some(f.value(pf::REFERENCE).to_string()),
        date: Some(f.value(pf::DATE).to_string()),
    }
}

/// Where a payment's field problem is shown.
pub fn field_of(f: EntryField) -> usize {
    match f {
        EntryField::Method => pf::METHOD,
        EntryField::Date => pf::DATE,
        _ => pf::AMOUNT,
    }
}

impl Form {
    /// Mark as paid: amount (default: what is left), method, reference, date.
    pub fn payment(invoice: InvoiceId, label: &str, remaining: &str, today: &str) -> Form {
        let mut form = Form::with(
            FormKind::Payment { invoice },
            vec![
                Field {
                    hint: Some(format!("{remaining} left on {label}")),
                    ..Field::text("Amount", remaining)
                },
                Field::choice("Method", METHODS, "other"),
                Field {
                    hint: Some("check number, transfer id…".into()),
                    ..Field::text("Reference", "")
                },
                Field::text("Date", today),
            ],
        );
        form.title_suffix = Some(label.to_string());
        form
    }
}
