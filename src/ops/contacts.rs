//! A customer's contacts: add, edit, remove, each one transaction that also
//! writes the customer's timeline. Naming a contact primary takes the mark
//! from the one that had it, in the same transaction.

use super::{Book, OpsError, Result, find_customer};
use crate::domain::contact::{Contact, ContactDetails, ContactId};
use crate::domain::customer::CustomerId;
use crate::domain::timeline::change;

impl Book {
    pub fn contact(&self, id: ContactId) -> Result<Contact> {
        self.reads().contact(id)?.ok_or(OpsError::NoContact(id))
    }

    /// Adds a contact to `customer`; returns its id.
    pub fn add_contact(
        &mut self,
        customer: CustomerId,
        details: ContactDetails,
    ) -> Result<ContactId> {
        let d = details.validated()?;
        self.transact(|tx, cx| {
            find_customer(&tx.reads(), customer)?;
            if d.primary {
                tx.clear_primary(customer)?;
            }
            let now = cx.clock.now();
            let id = tx.insert_contact(customer, &d, now)?;
            let detail = format!("added contact #{id}: {}", describe(&d));
            tx.log(customer, now, cx.actor, "contact.added", &detail)?;
            Ok(id)
        })
    }

    /// Replaces a contact's details; false when nothing changed.
    pub fn edit_contact(&mut self, id: ContactId, details: ContactDetails) -> Result<bool> {
        let d = details.validated()?;
        self.transact(|tx, cx| {
            let before = tx.reads().contact(id)?.ok_or(OpsError::NoContact(id))?;
            let changes = changes(&before.details, &d);
            if changes.is_empty() {
                return Ok(false);
            }
            if d.primary && !before.details.primary {
                tx.clear_primary(before.customer_id)?;
            }
            tx.update_contact(id, &d)?;
            let detail = format!("contact #{id}: {}", changes.join("; "));
            tx.log(
                before.customer_id,
                cx.clock.now(),
                cx.actor,
                "contact.edited",
                &detail,
            )?;
            Ok(true)
        })
    }

    pub fn remove_contact(&mut self, id: ContactId) -> Result<Contact> {
        self.transact(|tx, cx| {
            let c = tx.reads().contact(id)?.ok_or(OpsError::NoContact(id))?;
            tx.delete_contact(id)?;
            let detail = format!("removed contact #{id}: {}", describe(&c.details));
            tx.log(
                c.customer_id,
                cx.clock.now(),
                cx.actor,
                "contact.removed",
                &detail,
            )?;
            Ok(c)
        })
    }
}

fn describe(d: &ContactDetails) -> String {
    let mut parts = vec![d.name.clone()];
    parts.extend(d.role.iter().map(|r| format!("({r})")));
    parts.extend(d.email.iter().map(|e| format!("<{e}>")));
    parts.extend(d.phone.iter().cloned());
    if d.primary {
        parts.push("primary".into());
    }
    parts.join(" ")
}

fn changes(a: &ContactDetails, b: &ContactDetails) -> Vec<String> {
    let opt = |o: &Option<String>| o.clone().unwrap_or_else(|| "(none)".into());
    [
        change("name", &a.name, &b.name),
        change("email", &opt(&a.email), &opt(&b.email)),
        change("phone", &opt(&a.phone), &opt(&b.phone)),
        change("role", &opt(&a.role), &opt(&b.role)),
        change("primary", &a.primary.to_string(), &b.primary.to_string()),
    ]
    .into_iter()
    .flatten()
    .collect()
}
