//! Posting, editing and removing charges and credits. The balance moves in
//! the same transaction as the entry, and the timeline says before → after.

use rust_decimal::Decimal;

use super::{Book, OpsError, Result};
use crate::domain::customer::CustomerId;
use crate::domain::entry::{Entry, EntryId, EntryInput, EntryKind, FieldError, NewEntry};
use crate::domain::timeline::change;

impl Book {
    /// Validates typed input with the book's currency, tax rate and today.
    pub fn check_entry(
        &self,
        kind: EntryKind,
        input: &EntryInput,
    ) -> Result<NewEntry, Vec<FieldError>> {
        input.validate(
            kind,
            self.currency(),
            self.config.default_tax_rate(),
            self.clock.today(),
        )
    }

    /// Posts a charge or credit for `customer`; returns the new entry's id.
    pub fn post(
        &mut self,
        customer: CustomerId,
        kind: EntryKind,
        input: &EntryInput,
    ) -> Result<EntryId> {
        let c = self.customer(customer)?;
        let e = self.check_entry(kind, input).map_err(OpsError::Fields)?;
        let (now, actor) = (self.clock.now(), self.actor.clone());
        let after = c.balance + crate::domain::entry::signed_total(e.kind, e.amount, e.tax);
        let what = self.describe(&e);
        let balance = format!("balance {} → {}", self.money(c.balance), self.money(after));
        self.store.write(|tx| {
            let id = tx.insert_entry(customer, &e, now)?;
            let detail = format!("{} #{id}: {what}; {balance}", e.kind.as_str());
            tx.log(
                customer,
                now,
                &actor,
                &format!("{}.posted", e.kind.as_str()),
                &detail,
            )?;
            Ok(id)
        })
    }

    /// The typed form of an existing entry, for editing.
    pub fn entry_input(&self, e: &Entry) -> EntryInput {
        EntryInput::from_entry(e, self.currency())
    }

    pub fn entry(&self, id: EntryId) -> Result<Entry> {
        self.reads().entry(id)?.ok_or(OpsError::NoEntry(id))
    }

    /// Replaces an unlocked entry's amount, tax, description, date and method.
    /// Returns false (and writes nothing) if nothing changed.
    pub fn edit_entry(&mut self, id: EntryId, input: &EntryInput) -> Result<bool> {
        let before = self.entry(id)?;
        self.check_unlocked(&before)?;
        let after = self
            .check_entry(before.kind, input)
            .map_err(OpsError::Fields)?;
        let changes = self.entry_changes(&before, &after);
        if changes.is_empty() {
            return Ok(false);
        }
        let c = self.customer(before.customer_id)?;
        let new_balance = c.balance - before.signed_total()
            + crate::domain::entry::signed_total(after.kind, after.amount, after.tax);
        let detail = format!(
            "{} #{id}: {}; balance {} → {}",
            before.kind.as_str(),
            changes.join("; "),
            self.money(c.balance),
            self.money(new_balance)
        );
        let (now, actor) = (self.clock.now(), self.actor.clone());
        let action = format!("{}.edited", before.kind.as_str());
        self.store.write(|tx| {
            tx.update_entry(&before, &after, now)?;
            tx.log(before.customer_id, now, &actor, &action, &detail)?;
            Ok::<_, OpsError>(())
        })?;
        Ok(true)
    }

    /// Removes an open entry; the balance moves back in the same transaction.
    pub fn remove_entry(&mut self, id: EntryId) -> Result<Entry> {
        let before = self.entry(id)?;
        self.check_unlocked(&before)?;
        let c = self.customer(before.customer_id)?;
        let detail = format!(
            "removed {} #{id}: {}; balance {} → {}",
            before.kind.as_str(),
            self.describe(&NewEntry::from(&before)),
            self.money(c.balance),
            self.money(c.balance - before.signed_total())
        );
        let (now, actor) = (self.clock.now(), self.actor.clone());
        let action = format!("{}.removed", before.kind.as_str());
        self.store.write(|tx| {
            tx.delete_entry(&before, now)?;
            tx.log(before.customer_id, now, &actor, &action, &detail)?;
            Ok::<_, OpsError>(())
        })?;
        Ok(before)
    }

    fn describe(&self, e: &NewEntry) -> String {
        let mut s = self.money(e.amount);
        if e.tax > Decimal::ZERO {
            s.push_str(&format!(" + tax {}", self.money(e.tax)));
        }
        if let Some(m) = e.method {
            s.push_str(&format!(" by {}", m.as_str()));
        }
        if !e.description.is_empty() {
            s.push_str(&format!(" \"{}\"", e.description));
        }
        s.push_str(&format!(" on {}", e.date.format("%Y-%m-%d")));
        s
    }

    fn entry_changes(&self, a: &Entry, b: &NewEntry) -> Vec<String> {
        let method =
            |m: Option<crate::domain::Method>| m.map(|m| m.as_str()).unwrap_or("").to_string();
        [
            change("amount", &self.money(a.amount), &self.money(b.amount)),
            change("tax", &self.money(a.tax), &self.money(b.tax)),
            change(
                "description",
                &format!("\"{}\"", a.description),
                &format!("\"{}\"", b.description),
            ),
            change("date", &a.date.to_string(), &b.date.to_string()),
            change("method", &method(a.method), &method(b.method)),
        ]
        .into_iter()
        .flatten()
        .collect()
    }
}
