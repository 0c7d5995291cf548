//! Performs the [`Effect`]s `App::update` asks for, through the shared use
//! cases in `ops`, and answers with result [`Action`]s. The only place the
//! TUI touches the book.

use super::action::{Action, CustomerPage, ListPage};
use super::app::Effect;
use super::form::{cf, customer_error_field, entry_field_index};
use crate::domain::CustomerId;
use crate::domain::entry::{EntryId, EntryKind};
use crate::ops::{Book, OpsError};
use crate::store::CustomerQuery;

pub fn run(book: &mut Book, effect: Effect) -> Action {
    let result = match effect {
        Effect::LoadList {
            query,
            count,
            totals,
            keep,
        } => load_list(book, query, count, totals, keep),
        Effect::LoadCustomer { id, offset, limit } => load_customer(book, id, offset, limit),
        Effect::SaveCustomer {
            id,
            details,
            allow_duplicate,
        } => save_customer(book, id, details, allow_duplicate),
        Effect::SaveEntry {
            customer,
            entry,
            kind,
            input,
        } => {
            let saved = match entry {
                Some(id) => book.edit_entry(id, &input).map(|_| id),
                None => book.post(customer, kind, &input),
            };
            saved.and_then(|id| entry_saved(book, id, entry.is_some()))
        }
        Effect::RemoveEntry { id } => book.remove_entry(id).map(|e| Action::Saved {
            message: format!(
                "Removed {} #{} ({})",
                e.kind.as_str(),
                e.id,
                book.currency().display(e.signed_amount())
            ),
            customer: e.customer_id,
        }),
    };
    result.unwrap_or_else(failure)
}

fn failure(e: OpsError) -> Action {
    match e {
        OpsError::Fields(errors) => Action::FormInvalid(
            errors
                .into_iter()
                .map(|e| (entry_field_index(e.field), e.message))
                .collect(),
        ),
        OpsError::Customer(e) => {
            Action::FormInvalid(vec![(customer_error_field(&e), e.to_string())])
        }
        OpsError::ParentLoop(_) => Action::FormInvalid(vec![(cf::PARENT, e.to_string())]),
        other => Action::Failed(other.to_string()),
    }
}

fn load_list(
    book: &Book,
    query: CustomerQuery,
    count: bool,
    totals: bool,
    keep: Option<CustomerId>,
) -> Result<Action, OpsError> {
    let r = book.reads();
    let select = match keep {
        Some(id) => r.position_of(id, &query)?,
        None => None,
    };
    let count = if count {
        Some(r.count_customers(&query.search)? as usize)
    } else {
        None
    };
    let totals = if totals { Some(r.totals()?) } else { None };
    Ok(Action::ListLoaded(ListPage {
        offset: query.offset,
        rows: r.customers(&query)?,
        count,
        totals,
        select,
    }))
}

fn load_customer(
    book: &Book,
    id: CustomerId,
    offset: usize,
    limit: usize,
) -> Result<Action, OpsError> {
    let r = book.reads();
    Ok(Action::CustomerLoaded(Box::new(CustomerPage {
        customer: book.customer(id)?,
        breakdown: r.breakdown(id)?,
        offset,
        history: r.history(id, offset, limit)?,
        count: r.count_entries(id)? as usize,
    })))
}

fn save_customer(
    book: &mut Book,
    id: Option<CustomerId>,
    details: crate::domain::CustomerDetails,
    allow_duplicate: bool,
) -> Result<Action, OpsError> {
    let details = details.validated()?;
    if !allow_duplicate && let Some(dup) = book.find_duplicate(&details, id)? {
        return Ok(Action::DuplicateFound(format!(
            "Possible duplicate: {dup}. Enter saves anyway, Esc cancels."
        )));
    }
    let name = details.name.clone();
    let parent = details.parent_id;
    let saved = match id {
        Some(id) => book.edit_customer(id, details, true).map(|changed| {
            let message = if changed {
                format!("Saved {name}")
            } else {
                format!("{name}: nothing changed")
            };
            (id, message)
        }),
        None => book.add_customer(details, true).map(|id| {
            (
                id,
                format!("Added {name} (customer {id}); Enter opens, a adds a charge"),
            )
        }),
    };
    match saved {
        Ok((customer, message)) => Ok(Action::Saved { message, customer }),
        // ops checks the parent exists; show its refusal on the Parent field.
        Err(OpsError::NoCustomer(p)) if Some(p) == parent => Ok(Action::FormInvalid(vec![(
            cf::PARENT,
            format!("customer {p} does not exist"),
        )])),
        Err(e) => Err(e),
    }
}

fn entry_saved(book: &Book, id: EntryId, edited: bool) -> Result<Action, OpsError> {
    let e = book.entry(id)?;
    let c = book.customer(e.customer_id)?;
    let cur = book.currency();
    let what = match e.kind {
        EntryKind::Charge => "Charge",
        EntryKind::Credit => "Credit",
    };
    let verb = if edited { "updated" } else { "added" };
    Ok(Action::Saved {
        message: format!(
            "{what} #{id} {verb}: {} · {} balance {}",
            cur.display(e.signed_amount()),
            c.name,
            cur.display(c.balance)
        ),
        customer: c.id,
    })
}
