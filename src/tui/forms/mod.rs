//! Every form the TUI opens, one file each: the form builds itself, says
//! what it hands to `ops` (an effect), and which of its fields a refusal
//! belongs to. The form widget's own state and editing are in `form`.

pub mod attach;
pub mod contact;
pub mod contract;
pub mod customer;
pub mod entry;
pub mod first_run;
pub mod merge;
pub mod payment;
pub mod refund;
pub mod save_document;
pub mod transfer;

use super::effect::Effect;
use super::form::{Form, FormKind};
use super::invoicing::InvoiceOp;

/// What a submitted form asks for.
#[derive(Debug, Clone, PartialEq)]
pub enum Submit {
    /// Run this; the form stays open until the answer (a refusal is shown
    /// in it, a success closes it).
    Run(Effect),
    /// Close the form and run this (the `:` menu hands over to a preview).
    CloseAndRun(Effect),
}

/// Fields that cannot be read as typed, and what the status line says.
#[derive(Debug, Clone, PartialEq)]
pub struct Invalid {
    pub fields: Vec<(usize, String)>,
    pub message: &'static str,
}

fn invalid(fields: Vec<(usize, String)>) -> Invalid {
    let message = if fields.len() == 1 {
        "Nothing saved: fix the marked field"
    } else {
        "Nothing saved: fix the marked fields"
    };
    Invalid { fields, message }
}

/// What `f` hands to `ops` when submitted, each kind from its own file.
pub fn submit(f: &Form) -> Result<Submit, Invalid> {
    let run = |e| Ok(Submit::Run(e));
    match f.kind.clone() {
        FormKind::Entry {
            customer,
            entry,
            kind,
        } => run(Effect::SaveEntry {
            customer,
            entry,
            kind,
            input: f.entry_input(),
        }),
        FormKind::Payment { invoice } => {
            run(Effect::Invoice(InvoiceOp::Pay(invoice, payment::input(f))))
        }
        FormKind::Customer { id } => {
            let details = customer::details(f).map_err(|fields| Invalid {
                fields,
                message: "Nothing saved: fix the marked fields",
            })?;
            run(Effect::SaveCustomer {
                id,
                details,
                parent_name: customer::parent_name(f),
                allow_duplicate: f.allow_duplicate,
            })
        }
        FormKind::Refund { customer } => {
            let input = refund::input(f).map_err(|p| Invalid {
                fields: vec![p],
                message: "Nothing saved: fix the marked fields",
            })?;
            run(Effect::Refund { customer, input })
        }
        FormKind::Transfer { customer } => {
            let (to, input) = transfer::input(f);
            run(Effect::Transfer {
                from: customer,
                to,
                input,
            })
        }
        FormKind::Contract { customer } => run(Effect::AddContract {
            customer,
            input: contract::input(f),
        }),
        FormKind::Attach { customer } => {
            let (path, name) = attach::fields(f).map_err(|p| invalid(vec![p]))?;
            run(Effect::AttachDocument {
                customer,
                path,
                name,
            })
        }
        FormKind::SaveDocument { id } => {
            let (path, replace) = save_document::fields(f).map_err(|p| invalid(vec![p]))?;
            run(Effect::SaveDocument { id, path, replace })
        }
        FormKind::FirstRun { path } => run(Effect::FirstRun {
            path,
            answers: first_run::answers(f),
        }),
        FormKind::Merge { customer } => run(Effect::MergeCustomer {
            from: customer,
            into: f.value(0).to_string(),
        }),
        FormKind::Command => match super::menu::spec(f) {
            Ok(spec) => Ok(Submit::CloseAndRun(Effect::PreviewJob(spec))),
            Err(problem) => Err(Invalid {
                fields: vec![problem],
                message: "Nothing started: fix the marked field",
            }),
        },
        FormKind::Contact { customer, contact } => run(Effect::SaveContact {
            customer,
            contact,
            details: contact::details(f),
        }),
    }
}
