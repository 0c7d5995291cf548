//! The forms the Credits and Contacts tabs open: refund, transfer, and a
//! contact; their field order, what they hand to `ops`, and which field a
//! refusal belongs to.

use crate::domain::contact::{Contact, ContactDetails};
use crate::domain::customer::{CustomerError, CustomerId};
use crate::domain::entry::EntryField;
use crate::domain::invoice::InvoiceRef;
use crate::ops::{RefundInput, TransferInput};
use crate::tui::form::{Field, Form, FormKind, METHODS, NO_YES};

/// Refund form field indices.
pub mod rf {
    pub const AMOUNT: usize = 0;
    pub const METHOD: usize = 1;
    pub const REFERENCE: usize = 2;
    pub const DATE: usize = 3;
    pub const DESC: usize = 4;
    pub const INVOICE: usize = 5;
}

/// Transfer form field indices.
pub mod tf {
    pub const TO: usize = 0;
    pub const AMOUNT: usize = 1;
    pub const DATE: usize = 2;
    pub const DESC: usize = 3;
}

/// Contact form field indices.
pub mod ctf {
    pub const NAME: usize = 0;
    pub const EMAIL: usize = 1;
    pub const PHONE: usize = 2;
    pub const ROLE: usize = 3;
    pub const PRIMARY: usize = 4;
}

pub fn refund(customer: CustomerId, name: &str, available: &str, today: &str) -> Form {
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

pub fn transfer(customer: CustomerId, name: &str, available: &str, today: &str) -> Form {
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

/// The first run's questions (`first_run::Answers`, in that order).
pub fn first_run(path: std::path::PathBuf) -> Form {
    Form::with(
        FormKind::FirstRun { path },
        vec![
            Field {
                hint: Some("on invoices and the payment page".into()),
                ..Field::text("Business name", "")
            },
            Field {
                hint: Some("shown on the payment page; may be empty".into()),
                ..Field::text("Email", "")
            },
            Field {
                hint: Some("USD, EUR, GBP, CAD, AUD, JPY, …".into()),
                ..Field::text("Currency", "USD")
            },
            Field {
                hint: Some("s3://BUCKET, a folder, or empty for none".into()),
                ..Field::text("Publish to", "")
            },
            Field {
                hint: Some("S3 address if not AWS; empty for AWS".into()),
                ..Field::text("Endpoint", "")
            },
            Field {
                hint: Some("where phones read pages; empty: the bucket's".into()),
                ..Field::text("Public address", "")
            },
        ],
    )
}

/// The first run's answers, from its form.
pub fn first_run_answers(f: &Form) -> crate::first_run::Answers {
    crate::first_run::Answers {
        business: f.value(0).to_string(),
        email: f.value(1).to_string(),
        phone: String::new(),
        currency: f.value(2).to_string(),
        publish: f.value(3).to_string(),
        endpoint: f.value(4).to_string(),
        base_url: f.value(5).to_string(),
    }
}

/// The field of the first run's form a config key came from.
pub fn first_run_field(key: &str) -> usize {
    match key {
        "business.email" => 1,
        "currency.code" | "currency.symbol" | "currency.decimals" => 2,
        "publish.target" => 3,
        "publish.endpoint" => 4,
        "portal.base_url" => 5,
        _ => 0,
    }
}

/// Merge (`U`): the customer that stays, typed as a name or id.
pub fn merge(customer: CustomerId, name: &str) -> Form {
    let mut form = Form::with(
        FormKind::Merge { customer },
        vec![Field {
            hint: Some(
                "the customer that stays: a name or id; everything of this one moves there".into(),
            ),
            ..Field::text("Into", "")
        }],
    );
    form.title_suffix = Some(name.to_string());
    form
}

pub fn contact(customer: CustomerId, existing: Option<&Contact>) -> Form {
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

/// The refund as typed, or the Invoice field's problem.
pub fn refund_input(f: &Form) -> Result<RefundInput, (usize, String)> {
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

/// The transfer's target as typed, and the rest of it.
pub fn transfer_input(f: &Form) -> (String, TransferInput) {
    (
        f.value(tf::TO).trim().to_string(),
        TransferInput {
            amount: f.value(tf::AMOUNT).to_string(),
            description: Some(f.value(tf::DESC).to_string()),
            date: Some(f.value(tf::DATE).to_string()),
        },
    )
}

pub fn contact_details(f: &Form) -> ContactDetails {
    let text = |i: usize| Some(f.value(i).to_string());
    ContactDetails {
        name: f.value(ctf::NAME).to_string(),
        email: text(ctf::EMAIL),
        phone: text(ctf::PHONE),
        role: text(ctf::ROLE),
        primary: f.value(ctf::PRIMARY) == "yes",
    }
}

pub fn refund_field(f: EntryField) -> usize {
    match f {
        EntryField::Method => rf::METHOD,
        EntryField::Date => rf::DATE,
        EntryField::Description => rf::DESC,
        _ => rf::AMOUNT,
    }
}

pub fn transfer_field(f: EntryField) -> usize {
    match f {
        EntryField::Date => tf::DATE,
        EntryField::Description => tf::DESC,
        _ => tf::AMOUNT,
    }
}

pub fn contact_field(e: &CustomerError) -> usize {
    match e {
        CustomerError::BadEmail(_) => ctf::EMAIL,
        CustomerError::BadPhone(_) => ctf::PHONE,
        CustomerError::RoleTooLong(_) => ctf::ROLE,
        _ => ctf::NAME,
    }
}

/// Attach form field indices.
pub mod af {
    pub const PATH: usize = 0;
    pub const NAME: usize = 1;
}

pub fn attach(customer: CustomerId) -> Form {
    Form::with(
        FormKind::Attach { customer },
        vec![
            Field {
                hint: Some("the file's path; ~ is your home".into()),
                ..Field::text("File", "")
            },
            Field {
                hint: Some("empty = the file's own name".into()),
                ..Field::text("Name", "")
            },
        ],
    )
}

/// Save-a-copy form field indices.
pub mod sf {
    pub const PATH: usize = 0;
    pub const REPLACE: usize = 1;
}

pub fn save_document(id: crate::domain::document::DocumentId, name: &str) -> Form {
    let mut form = Form::with(
        FormKind::SaveDocument { id },
        vec![
            Field {
                hint: Some("where to write it; ~ is your home".into()),
                ..Field::text("Save to", format!("~/{}", name.replace('/', "-")))
            },
            Field::choice("Replace", NO_YES, "no"),
        ],
    );
    form.title_suffix = Some(name.to_string());
    form
}

/// Contract form field indices.
pub mod kf {
    pub const NAME: usize = 0;
    pub const TYPE: usize = 1;
    pub const EVERY: usize = 2;
    pub const VALUE: usize = 3;
    pub const START: usize = 4;
    pub const END: usize = 5;
    pub const TERMS: usize = 6;
}

const TYPES: &[&str] = &["recurring", "one-time"];
const EVERY: &[&str] = &["monthly", "weekly", "yearly"];

pub fn contract(customer: CustomerId, today: &str) -> Form {
    Form::with(
        FormKind::Contract { customer },
        vec![
            Field {
                hint: Some("e.g. Monthly lawn care".into()),
                ..Field::text("Name", "")
            },
            Field::choice("Type", TYPES, "recurring"),
            Field {
                hint: Some("recurring only".into()),
                ..Field::choice("Every", EVERY, "monthly")
            },
            Field {
                hint: Some("per period, or the one-time value".into()),
                ..Field::text("Value", "")
            },
            Field::text("Start", today),
            Field {
                hint: Some("empty = no end".into()),
                ..Field::text("End", "")
            },
            Field {
                hint: Some("days; empty = the book's default".into()),
                ..Field::text("Terms", "")
            },
        ],
    )
}

pub fn contract_input(f: &Form) -> crate::domain::contract::ContractInput {
    let opt = |i: usize| Some(f.value(i).trim().to_string()).filter(|s| !s.is_empty());
    crate::domain::contract::ContractInput {
        name: f.value(kf::NAME).to_string(),
        kind: f.value(kf::TYPE).to_string(),
        every: Some(f.value(kf::EVERY).to_string()),
        value: f.value(kf::VALUE).to_string(),
        start: f.value(kf::START).to_string(),
        end: opt(kf::END),
        terms: opt(kf::TERMS),
        notes: None,
    }
}

/// Which field a contract problem (as `ContractInput::validate` words it)
/// belongs to.
pub fn contract_field(problem: &str) -> usize {
    [
        ("name", kf::NAME),
        ("type", kf::TYPE),
        ("period", kf::EVERY),
        ("value", kf::VALUE),
        ("start", kf::START),
        ("end", kf::END),
        ("terms", kf::TERMS),
    ]
    .iter()
    .find(|(p, _)| problem.starts_with(p))
    .map_or(kf::NAME, |(_, i)| *i)
}
