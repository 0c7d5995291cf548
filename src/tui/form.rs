//! Form state: labelled fields with a cursor, per-field errors and choice
//! fields. Pure data and editing; each form's fields, what it saves and
//! where a refusal belongs are in its own file under `forms`.
//!
//! Invariant: `focus` always points at a visible field, and each cursor is a
//! char index within its field's value.

use crate::domain::customer::CustomerId;
use crate::domain::entry::{EntryId, EntryKind};
use crate::domain::invoice::InvoiceId;
use crate::tui::forms::entry::{AMOUNT, METHOD, TAX};

#[derive(Debug, Clone, PartialEq)]
pub struct Field {
    pub label: &'static str,
    pub value: String,
    pub cursor: usize,
    pub error: Option<String>,
    /// For choice fields: the options ←/→ and space cycle through.
    pub choices: Option<&'static [&'static str]>,
    pub hidden: bool,
    pub hint: Option<String>,
}

impl Field {
    pub(crate) fn text(label: &'static str, value: impl Into<String>) -> Field {
        let value = value.into();
        Field {
            label,
            cursor: value.chars().count(),
            value,
            error: None,
            choices: None,
            hidden: false,
            hint: None,
        }
    }

    pub(crate) fn choice(
        label: &'static str,
        choices: &'static [&'static str],
        value: &str,
    ) -> Field {
        Field {
            choices: Some(choices),
            ..Field::text(label, value)
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub enum FormKind {
    Entry {
        customer: CustomerId,
        /// `Some` when editing an existing entry (its kind cannot change).
        entry: Option<EntryId>,
        kind: EntryKind,
    },
    Customer {
        id: Option<CustomerId>,
    },
    /// Mark as paid: an outside payment against an open invoice.
    Payment {
        invoice: InvoiceId,
    },
    /// Pay available credit back to the customer (Credits tab).
    Refund {
        customer: CustomerId,
    },
    /// Move available credit to another customer (Credits tab).
    Transfer {
        customer: CustomerId,
    },
    /// The `:` command menu.
    Command,
    /// Merge this customer into another (`U`).
    Merge {
        customer: CustomerId,
    },
    /// The first run's questions, on an empty book with no config yet;
    /// the answers are written to `path`.
    FirstRun {
        path: std::path::PathBuf,
    },
    /// Make a contract (`C`).
    Contract {
        customer: CustomerId,
    },
    /// Attach a file to a customer (Documents tab).
    Attach {
        customer: CustomerId,
    },
    /// Save a copy of a document (Documents tab).
    SaveDocument {
        id: crate::domain::document::DocumentId,
    },
    /// Add (`contact: None`) or edit a contact (Contacts tab).
    Contact {
        customer: CustomerId,
        contact: Option<crate::domain::contact::ContactId>,
    },
}

#[derive(Debug, Clone, PartialEq)]
pub struct Form {
    pub kind: FormKind,
    pub fields: Vec<Field>,
    pub focus: usize,
    /// A problem not tied to one field (e.g. a refused save).
    pub error: Option<String>,
    /// A possible duplicate; saving again with the same values confirms it.
    pub warning: Option<String>,
    pub allow_duplicate: bool,
    /// What the form is about, for its title (e.g. the invoice number).
    pub title_suffix: Option<String>,
    /// A charge's tax and total as typed so far, shown before saving.
    pub preview: Option<String>,
}

pub(crate) const METHODS: &[&str] = &["cash", "card", "check", "transfer", "other"];
pub(crate) const NO_YES: &[&str] = &["no", "yes"];
pub(crate) const CYCLES: &[&str] = &["none", "monthly"];

impl Form {
    pub(crate) fn with(kind: FormKind, fields: Vec<Field>) -> Form {
        Form {
            kind,
            fields,
            focus: 0,
            error: None,
            warning: None,
            allow_duplicate: false,
            title_suffix: None,
            preview: None,
        }
    }

    pub fn title(&self) -> String {
        match &self.kind {
            FormKind::Entry {
                entry: None, kind, ..
            } => format!("Add {}", kind.as_str()),
            FormKind::Entry {
                entry: Some(id),
                kind,
                ..
            } => format!("Edit {} #{id}", kind.as_str()),
            FormKind::Customer { id: None } => "New customer".into(),
            FormKind::Customer { id: Some(id) } => format!("Edit customer {id}"),
            FormKind::Payment { .. } => format!(
                "Mark {} as paid",
                self.title_suffix.as_deref().unwrap_or("invoice")
            ),
            FormKind::Refund { .. } => format!(
                "Refund credit to {}",
                self.title_suffix.as_deref().unwrap_or("the customer")
            ),
            FormKind::Transfer { .. } => format!(
                "Transfer credit from {}",
                self.title_suffix.as_deref().unwrap_or("the customer")
            ),
            FormKind::Command => "Command".into(),
            FormKind::Merge { customer } => format!("Merge customer {customer} into"),
            FormKind::FirstRun { .. } => "Welcome: your business".into(),
            FormKind::Attach { .. } => "Attach a document".into(),
            FormKind::Contract { .. } => "New contract".into(),
            FormKind::SaveDocument { id } => format!("Save a copy of document #{id}"),
            FormKind::Contact { contact: None, .. } => "New contact".into(),
            FormKind::Contact {
                contact: Some(id), ..
            } => format!("Edit contact #{id}"),
        }
    }

    /// Switches a new entry between charge and credit; edits keep their kind.
    pub fn toggle_kind(&mut self) {
        if let FormKind::Entry {
            entry: None, kind, ..
        } = &mut self.kind
        {
            *kind = match kind {
                EntryKind::Charge => EntryKind::Credit,
                EntryKind::Credit | EntryKind::Payout => EntryKind::Charge,
            };
            self.sync_kind();
        }
    }

    /// Tax is for charges, Method for credits.
    pub(crate) fn sync_kind(&mut self) {
        if let FormKind::Entry { kind, .. } = self.kind {
            self.fields[TAX].hidden = kind == EntryKind::Credit;
            self.fields[METHOD].hidden = kind == EntryKind::Charge;
            if self.fields[self.focus].hidden {
                self.focus = AMOUNT;
            }
        }
    }

    pub fn next_field(&mut self, step: isize) {
        let n = self.fields.len() as isize;
        let mut i = self.focus as isize;
        for _ in 0..n {
            i = (i + step).rem_euclid(n);
            if !self.fields[i as usize].hidden {
                self.focus = i as usize;
                return;
            }
        }
    }

    fn focused(&mut self) -> &mut Field {
        &mut self.fields[self.focus]
    }

    pub fn input(&mut self, c: char) {
        let f = self.focused();
        if f.choices.is_some() {
            if c == ' ' {
                self.cycle(1);
            }
            return;
        }
        let at = byte_index(&f.value, f.cursor);
        f.value.insert(at, c);
        f.cursor += 1;
        f.error = None;
    }

    pub fn backspace(&mut self) {
        let f = self.focused();
        if f.choices.is_none() && f.cursor > 0 {
            f.cursor -= 1;
            let at = byte_index(&f.value, f.cursor);
            f.value.remove(at);
            f.error = None;
        }
    }

    pub fn delete(&mut self) {
        let f = self.focused();
        if f.choices.is_none() && f.cursor < f.value.chars().count() {
            let at = byte_index(&f.value, f.cursor);
            f.value.remove(at);
            f.error = None;
        }
    }

    pub fn clear(&mut self) {
        let f = self.focused();
        if f.choices.is_none() {
            f.value.clear();
            f.cursor = 0;
            f.error = None;
        }
    }

    /// ←/→: move the cursor in text, or change a choice.
    pub fn left_right(&mut self, step: isize) {
        if self.focused().choices.is_some() {
            return self.cycle(step);
        }
        let f = self.focused();
        let len = f.value.chars().count() as isize;
        f.cursor = (f.cursor as isize + step).clamp(0, len) as usize;
    }

    fn cycle(&mut self, step: isize) {
        let f = self.focused();
        if let Some(choices) = f.choices {
            let i = choices.iter().position(|c| *c == f.value).unwrap_or(0) as isize;
            let next = (i + step).rem_euclid(choices.len() as isize) as usize;
            f.value = choices[next].to_string();
            f.cursor = f.value.chars().count();
        }
    }

    /// Any edit after a duplicate warning means the owner must confirm again.
    pub fn edited(&mut self) {
        self.warning = None;
        self.allow_duplicate = false;
        self.error = None;
    }

    pub fn set_errors(&mut self, errors: &[(usize, String)]) {
        for f in &mut self.fields {
            f.error = None;
        }
        for (i, msg) in errors {
            if let Some(f) = self.fields.get_mut(*i) {
                f.error = Some(msg.clone());
            }
        }
        if let Some((first, _)) = errors.first()
            && !self.fields[*first].hidden
        {
            self.focus = *first;
        }
    }

    pub fn value(&self, i: usize) -> &str {
        &self.fields[i].value
    }

    /// Recomputes [`Form::preview`] for a charge being typed.
    pub fn refresh_preview(
        &mut self,
        currency: &crate::domain::Currency,
        tax_rate: rust_decimal::Decimal,
    ) {
        self.preview = match self.kind {
            FormKind::Entry {
                kind: EntryKind::Charge,
                ..
            } => self
                .entry_input()
                .charge_preview(currency, tax_rate)
                .map(|(tax, total)| {
                    format!(
                        "Tax {} · total {}",
                        currency.display(tax),
                        currency.display(total)
                    )
                }),
            _ => None,
        };
    }
}

fn byte_index(s: &str, chars: usize) -> usize {
    s.char_indices()
        .nth(chars)
        .map(|(i, _)| i)
        .unwrap_or(s.len())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::entry::EntryInput;

    #[test]
    fn entry_form_opens_on_amount_and_tabs_in_order() {
        let mut f = Form::new_entry(CustomerId(1), "2026-11-21", None);
        assert_eq!(f.fields[f.focus].label, "Amount");
        let mut order = vec![];
        for _ in 0..4 {
            f.next_field(1);
            order.push(f.fields[f.focus].label);
        }
        assert_eq!(order, ["Tax", "Description", "Date", "Amount"]);
        f.toggle_kind();
        let mut order = vec![];
        for _ in 0..4 {
            f.next_field(1);
            order.push(f.fields[f.focus].label);
        }
        assert_eq!(order, ["Description", "Date", "Method", "Amount"]);
        f.next_field(-1);
        assert_eq!(f.fields[f.focus].label, "Method");
    }

    #[test]
    fn typing_edits_at_the_cursor_and_choices_cycle() {
        let mut f = Form::new_entry(CustomerId(1), "2026-11-21", None);
        for c in "1550".chars() {
            f.input(c);
        }
        f.left_right(-1);
        f.left_right(-1);
        f.input('.');
        assert_eq!(f.value(AMOUNT), "15.50");
        f.backspace();
        assert_eq!(f.value(AMOUNT), "1550");
        f.delete();
        assert_eq!(f.value(AMOUNT), "150");
        f.toggle_kind();
        f.focus = METHOD;
        f.left_right(1);
        assert_eq!(f.value(METHOD), "cash");
        f.input(' ');
        assert_eq!(f.value(METHOD), "card");
        f.input('x');
        assert_eq!(f.value(METHOD), "card");
        f.clear();
        assert_eq!(f.value(METHOD), "card");
    }

    #[test]
    fn editing_keeps_the_kind() {
        let input = EntryInput {
            amount: "5.00".into(),
            tax: None,
            description: "d".into(),
            date: "2026-01-01".into(),
            method: "card".into(),
        };
        let mut f = Form::edit_entry(CustomerId(1), EntryId(3), EntryKind::Credit, &input);
        f.toggle_kind();
        assert!(matches!(
            f.kind,
            FormKind::Entry {
                kind: EntryKind::Credit,
                ..
            }
        ));
        assert_eq!(f.entry_input(), input);
    }
}
