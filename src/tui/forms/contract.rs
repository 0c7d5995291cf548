//! The contract form (`C`): a recurring or one-time charge to bill.

use crate::domain::customer::CustomerId;
use crate::tui::form::{Field, Form, FormKind};

const TYPES: &[&str] = &["recurring", "one-time"];
const EVERY: &[&str] = &["monthly", "weekly", "yearly"];

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

pub fn build(customer: CustomerId, today: &str) -> Form {
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

pub fn input(f: &Form) -> crate::domain::contract::ContractInput {
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
pub fn field_of(problem: &str) -> usize {
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
