//! The charge or credit form (`a`, `e` on a history row): its fields, what it
//! hands to `ops`, and which field a refusal belongs to.

use crate::domain::customer::CustomerId;
use crate::domain::entry::{EntryField, EntryId, EntryInput, EntryKind};
use crate::tui::form::{Field, Form, FormKind, METHODS};

/// Which entry-form field a domain field error belongs to.
pub fn field_of(f: EntryField) -> usize {
    match f {
        EntryField::Amount => AMOUNT,
        EntryField::Tax => TAX,
        EntryField::Description => 2,
        EntryField::Date => 3,
        EntryField::Method => METHOD,
    }
}

/// Entry form field order: Amount → Tax → Description → Date (→ Method).
pub const AMOUNT: usize = 0;
pub const TAX: usize = 1;
pub const METHOD: usize = 4;

impl Form {
    /// A new charge (Charge selected, cursor in Amount, date today).
    pub fn new_entry(customer: CustomerId, today: &str, tax_hint: Option<String>) -> Form {
        let mut fields = vec![
            Field::text("Amount", ""),
            Field::text("Tax", ""),
            Field::text("Description", ""),
            Field::text("Date", today),
            Field::choice("Method", METHODS, "other"),
        ];
        fields[TAX].hint = tax_hint;
        let mut form = Form::with(
            FormKind::Entry {
                customer,
                entry: None,
                kind: EntryKind::Charge,
            },
            fields,
        );
        form.sync_kind();
        form
    }

    /// An existing entry, every field filled in.
    pub fn edit_entry(
        customer: CustomerId,
        entry: EntryId,
        kind: EntryKind,
        input: &EntryInput,
    ) -> Form {
        let fields = vec![
            Field::text("Amount", input.amount.clone()),
            Field::text("Tax", input.tax.clone().unwrap_or_default()),
            Field::text("Description", input.description.clone()),
            Field::text("Date", input.date.clone()),
            Field::choice(
                "Method",
                METHODS,
                if input.method.is_empty() {
                    "other"
                } else {
                    &input.method
                },
            ),
        ];
        let mut form = Form::with(
            FormKind::Entry {
                customer,
                entry: Some(entry),
                kind,
            },
            fields,
        );
        form.sync_kind();
        form
    }

    /// The entry form's values as typed input. Empty tax means "not given".
    pub fn entry_input(&self) -> EntryInput {
        let tax = self.value(TAX);
        EntryInput {
            amount: self.value(AMOUNT).to_string(),
            tax: (!tax.trim().is_empty()).then(|| tax.to_string()),
            description: self.value(2).to_string(),
            date: self.value(3).to_string(),
            method: self.value(METHOD).to_string(),
        }
    }
}
