//! Form state: labelled fields with a cursor, per-field errors and choice
//! fields. Pure data and editing; what a form saves is decided by `app`.
//!
//! Invariant: `focus` always points at a visible field, and each cursor is a
//! char index within its field's value.

use crate::domain::customer::{Customer, CustomerId};
use crate::domain::entry::{EntryField, EntryId, EntryInput, EntryKind};
use crate::domain::invoice::InvoiceId;
use crate::ops::PaymentInput;

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
const CYCLES: &[&str] = &["none", "monthly"];

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
    fn sync_kind(&mut self) {
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

/// Which entry-form field a domain field error belongs to.
pub fn entry_field_index(f: EntryField) -> usize {
    match f {
        EntryField::Amount => AMOUNT,
        EntryField::Tax => TAX,
        EntryField::Description => 2,
        EntryField::Date => 3,
        EntryField::Method => METHOD,
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
pub fn customer_details(f: &Form) -> Result<crate::domain::CustomerDetails, Vec<(usize, String)>> {
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
                .map(|e| (customer_error_field(e), e.to_string())),
        );
    }
    Err(unreadable)
}

/// Which customer-form field a domain error belongs to.
pub fn customer_error_field(e: &crate::domain::customer::CustomerError) -> usize {
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

/// Payment form field indices.
pub mod pf {
    pub const AMOUNT: usize = 0;
    pub const METHOD: usize = 1;
    pub const REFERENCE: usize = 2;
    pub const DATE: usize = 3;
}

/// The payment form's values, checked by `ops`.
pub fn payment_input(f: &Form) -> PaymentInput {
    PaymentInput {
        amount: Some(f.value(pf::AMOUNT).to_string()),
        method: Some(f.value(pf::METHOD).to_string()),
        reference: Some(f.value(pf::REFERENCE).to_string()),
        date: Some(f.value(pf::DATE).to_string()),
    }
}

/// Where a payment's field problem is shown.
pub fn payment_field_index(f: EntryField) -> usize {
    match f {
        EntryField::Method => pf::METHOD,
        EntryField::Date => pf::DATE,
        _ => pf::AMOUNT,
    }
}
