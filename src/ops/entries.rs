//! Posting, editing and removing charges and credits. The balance moves in
//! the same transaction as the entry, and the timeline says before → after,
//! with both figures read inside that transaction.

use rust_decimal::Decimal;

use super::{Book, Ctx, OpsError, Result, find_customer, find_entry};
use crate::domain::customer::CustomerId;
use crate::domain::entry::{Entry, EntryId, EntryInput, EntryKind, FieldError, NewEntry};
use crate::domain::timeline::change;
use crate::store::{EntryLock, Reads};

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
        if kind == EntryKind::Payout {
            return Err(crate::domain::credit::CreditError::PayoutNotPosted.into());
        }
        let e = self.check_entry(kind, input).map_err(OpsError::Fields)?;
        self.transact(|tx, cx| {
            let before = find_customer(&tx.reads(), customer)?.balance;
            let now = cx.clock.now();
            let id = tx.insert_entry(customer, &e, now)?;
            let detail = format!(
                "{} #{id}: {}; {}",
                e.kind.as_str(),
                cx.describe(&e),
                cx.balance_move(tx, customer, before)?
            );
            let action = format!("{}.posted", e.kind.as_str());
            tx.log(customer, now, cx.actor, &action, &detail)?;
            // Money received (a credit is a payment: see `day_figures`).
            if e.kind == EntryKind::Credit {
                cx.mail_receipt(tx, customer, e.amount, e.date, None)?;
            }
            Ok(id)
        })
    }

    /// The typed form of an existing entry, for editing.
    pub fn entry_input(&self, e: &Entry) -> EntryInput {
        EntryInput::from_entry(e, self.currency())
    }

    pub fn entry(&self, id: EntryId) -> Result<Entry> {
        find_entry(&self.reads(), id)
    }

    /// Replaces an unlocked entry's amount, tax, description, date and method.
    /// Returns false (and writes nothing) if nothing changed.
    pub fn edit_entry(&mut self, id: EntryId, input: &EntryInput) -> Result<bool> {
        self.transact(|tx, cx| {
            let r = tx.reads();
            let before = find_entry(&r, id)?;
            check_unlocked(&r, &before)?;
            let after = cx.check_entry(before.kind, input)?;
            let changes = cx.entry_changes(&before, &after);
            if changes.is_empty() {
                return Ok(false);
            }
            let balance = find_customer(&r, before.customer_id)?.balance;
            let now = cx.clock.now();
            tx.update_entry(&before, &after, now)?;
            let detail = format!(
                "{} #{id}: {}; {}",
                before.kind.as_str(),
                changes.join("; "),
                cx.balance_move(tx, before.customer_id, balance)?
            );
            let action = format!("{}.edited", before.kind.as_str());
            tx.log(before.customer_id, now, cx.actor, &action, &detail)?;
            Ok(true)
        })
    }

    /// Removes an open entry; the balance moves back in the same transaction.
    /// A charge that was the last one on a draft takes the draft with it:
    /// an empty draft is nothing to finalize.
    pub fn remove_entry(&mut self, id: EntryId) -> Result<Entry> {
        self.transact(|tx, cx| {
            let r = tx.reads();
            let before = find_entry(&r, id)?;
            check_unlocked(&r, &before)?;
            let balance = find_customer(&r, before.customer_id)?.balance;
            let now = cx.clock.now();
            tx.delete_entry(&before, now)?;
            let detail = format!(
                "removed {} #{id}: {}; {}",
                before.kind.as_str(),
                cx.describe(&NewEntry::from(&before)),
                cx.balance_move(tx, before.customer_id, balance)?
            );
            let action = format!("{}.removed", before.kind.as_str());
            tx.log(before.customer_id, now, cx.actor, &action, &detail)?;
            if let Some(draft) = before.invoice_id
                && r.invoice(draft)?.is_some_and(|i| i.lines == 0)
            {
                tx.delete_draft(draft)?;
                let detail = format!("deleted draft {draft}: its last charge #{id} was removed");
                tx.log(
                    before.customer_id,
                    now,
                    cx.actor,
                    "invoice.draft_deleted",
                    &detail,
                )?;
            }
            Ok(before)
        })
    }
}

/// Refuses to edit or remove an entry that a finalized invoice or an
/// allocation has locked. Called on the transaction that would change it.
pub(super) fn check_unlocked(r: &Reads<'_>, e: &Entry) -> Result<()> {
    use crate::domain::invoice::InvoiceError;
    match r.entry_lock(e.id)? {
        None => Ok(()),
        Some(EntryLock::Invoiced(number)) => Err(InvoiceError::LockedCharge {
            what: e.kind.as_str(),
            entry: e.id,
            number,
        }
        .into()),
        Some(EntryLock::Allocated(numbers)) => Err(InvoiceError::LockedCredit {
            entry: e.id,
            numbers: numbers.join(", "),
        }
        .into()),
        Some(EntryLock::Moved(why)) => Err(InvoiceError::Moved {
            what: e.label(),
            entry: e.id,
            why,
        }
        .into()),
    }
}

impl Ctx<'_> {
    /// `balance X → Y`, with Y read back from the row the write just moved.
    pub(super) fn balance_move(
        &self,
        tx: &crate::store::Tx<'_>,
        customer: CustomerId,
        before: Decimal,
    ) -> Result<String> {
        let after = find_customer(&tx.reads(), customer)?.balance;
        Ok(format!(
            "balance {} → {}",
            self.money(before),
            self.money(after)
        ))
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
