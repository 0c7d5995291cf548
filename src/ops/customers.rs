//! Adding and editing customers, with the duplicate checks of seed 003.

use super::{Book, Ctx, OpsError, Result, find_customer};
use crate::domain::customer::{CustomerDetails, CustomerId};
use crate::domain::timeline::change;
use crate::store::{Reads, Tx};

/// Another customer that looks like the one being saved.
#[derive(Debug, Clone, PartialEq)]
pub enum Duplicate {
    Email {
        email: String,
        id: CustomerId,
        name: String,
    },
    Name {
        id: CustomerId,
        name: String,
    },
}

impl std::fmt::Display for Duplicate {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Duplicate::Email { email, id, name } => {
                write!(f, "email {email} is already used by customer {id} ({name})")
            }
            Duplicate::Name { id, name } => {
                write!(f, "customer {id} is named {name}, which is very similar")
            }
        }
    }
}

impl Book {
    /// The customer a person means by `typed`: an id (`12` or `#12`), or
    /// part of a name that only one customer's name contains (other than
    /// `except`, the customer being edited or paying). The one lookup the
    /// command line and the full screen share.
    pub fn find_customer_named(
        &self,
        typed: &str,
        except: Option<CustomerId>,
    ) -> Result<CustomerId> {
        let typed = typed.trim();
        if let Ok(id) = typed.trim_start_matches('#').parse::<i64>() {
            return Ok(find_customer(&self.reads(), CustomerId(id))?.id);
        }
        if typed.is_empty() {
            return Err(OpsError::CustomerName(
                "no customer given: type a name or an id".into(),
            ));
        }
        let query = crate::store::CustomerQuery {
            sort: crate::domain::CustomerSort::Name,
            search: Some(typed.to_string()),
            offset: 0,
            limit: 50,
        };
        let lower = typed.to_lowercase();
        let named = |c: &crate::domain::Customer| {
            Some(c.id) != except && c.name.to_lowercase().contains(&lower)
        };
        let mut found: Vec<_> = self
            .reads()
            .customers(&query)?
            .into_iter()
            .filter(named)
            .collect();
        // Archived customers are in no list, but still found by name
        // (to restore one, say).
        if found.is_empty() {
            found = self
                .reads()
                .archived_customers()?
                .into_iter()
                .filter(named)
                .collect();
        }
        match found.as_slice() {
            [one] => Ok(one.id),
            [] => Err(OpsError::CustomerName(format!(
                "no customer's name contains \"{typed}\": type part of a name, or an id"
            ))),
            many => Err(OpsError::CustomerName(format!(
                "{} customers match \"{typed}\": {}; type more of the name, or the id",
                many.len(),
                many.iter()
                    .take(4)
                    .map(|c| format!("{} (#{})", c.name, c.id))
                    .collect::<Vec<_>>()
                    .join(", ")
            ))),
        }
    }

    /// The first existing customer this one may duplicate: same email
    /// (case-insensitive), else a name equal but for case and punctuation.
    pub fn find_duplicate(
        &self,
        d: &CustomerDetails,
        except: Option<CustomerId>,
    ) -> Result<Option<Duplicate>> {
        find_duplicate(&self.reads(), d, except)
    }

    /// Adds a customer. A shared email is refused unless `allow_duplicate`;
    /// a similar name alone is only a warning (front ends show it first).
    /// The duplicate and parent checks run inside the insert's transaction,
    /// so two tallys adding the same email at once cannot both succeed.
    pub fn add_customer(
        &mut self,
        details: CustomerDetails,
        allow_duplicate: bool,
    ) -> Result<CustomerId> {
        let d = details.validated()?;
        let summary = match &d.email {
            Some(e) => format!("created {} <{e}>", d.name),
            None => format!("created {}", d.name),
        };
        self.transact(|tx, cx| {
            let r = tx.reads();
            check_parent(&r, &d, None)?;
            refuse_duplicate_email(&r, &d, None, allow_duplicate)?;
            let now = cx.clock.now();
            let id = tx.insert_customer(&d, "manual", now)?;
            tx.log(id, now, cx.actor, "customer.created", &summary)?;
            log_parents(tx, cx, id, &d.name, None, d.parent_id)?;
            Ok(id)
        })
    }

    /// Replaces a customer's details; the timeline records each field that
    /// changed, before → after. Saving with no change writes nothing.
    pub fn edit_customer(
        &mut self,
        id: CustomerId,
        details: CustomerDetails,
        allow_duplicate: bool,
    ) -> Result<bool> {
        let d = details.validated()?;
        self.transact(|tx, cx| {
            let r = tx.reads();
            let before = CustomerDetails::from(&find_customer(&r, id)?);
            check_parent(&r, &d, Some(id))?;
            if d.email != before.email {
                refuse_duplicate_email(&r, &d, Some(id), allow_duplicate)?;
            }
            let changes = describe_changes(&before, &d);
            if changes.is_empty() {
                return Ok(false);
            }
            let now = cx.clock.now();
            tx.update_customer(id, &d, now)?;
            tx.log(id, now, cx.actor, "customer.edited", &changes.join("; "))?;
            log_parents(tx, cx, id, &d.name, before.parent_id, d.parent_id)?;
            Ok(true)
        })
    }
}

/// A parent's timeline says when a sub-client joins or leaves it: the
/// Sub-clients tab changes, so the parent's history must say why.
fn log_parents(
    tx: &Tx<'_>,
    cx: &Ctx<'_>,
    id: CustomerId,
    name: &str,
    before: Option<CustomerId>,
    after: Option<CustomerId>,
) -> Result<()> {
    if before == after {
        return Ok(());
    }
    let now = cx.clock.now();
    if let Some(old) = before {
        let detail = format!("sub-client {name} (#{id}) left");
        tx.log(old, now, cx.actor, "customer.sub_client_removed", &detail)?;
    }
    if let Some(new) = after {
        let detail = format!("sub-client {name} (#{id}) added");
        tx.log(new, now, cx.actor, "customer.sub_client_added", &detail)?;
    }
    Ok(())
}

fn find_duplicate(
    r: &Reads<'_>,
    d: &CustomerDetails,
    except: Option<CustomerId>,
) -> Result<Option<Duplicate>> {
    if let Some(email) = &d.email
        && let Some((id, name)) = r.customer_with_email(email, except)?
    {
        return Ok(Some(Duplicate::Email {
            email: email.clone(),
            id,
            name,
        }));
    }
    Ok(r.customer_with_similar_name(&d.name, except)?
        .map(|(id, name)| Duplicate::Name { id, name }))
}

fn refuse_duplicate_email(
    r: &Reads<'_>,
    d: &CustomerDetails,
    except: Option<CustomerId>,
    allow: bool,
) -> Result<()> {
    match find_duplicate(r, d, except)? {
        Some(dup @ Duplicate::Email { .. }) if !allow => Err(OpsError::Duplicate(dup)),
        _ => Ok(()),
    }
}

fn check_parent(r: &Reads<'_>, d: &CustomerDetails, me: Option<CustomerId>) -> Result<()> {
    let Some(parent) = d.parent_id else {
        return Ok(());
    };
    find_customer(r, parent)?;
    if let Some(me) = me {
        if parent == me {
            return Err(crate::domain::customer::CustomerError::OwnParent.into());
        }
        if r.is_ancestor_or_self(me, parent)? {
            return Err(OpsError::ParentLoop(parent));
        }
    }
    Ok(())
}

fn describe_changes(a: &CustomerDetails, b: &CustomerDetails) -> Vec<String> {
    let opt = |o: &Option<String>| o.clone().unwrap_or_else(|| "(none)".into());
    let id = |o: &Option<CustomerId>| o.map(|p| p.to_string()).unwrap_or_else(|| "(none)".into());
    [
        change("name", &a.name, &b.name),
        change("email", &opt(&a.email), &opt(&b.email)),
        change("phone", &opt(&a.phone), &opt(&b.phone)),
        change("address", &opt(&a.address), &opt(&b.address)),
        change("tax id", &opt(&a.tax_id), &opt(&b.tax_id)),
        change("legal name", &opt(&a.legal_name), &opt(&b.legal_name)),
        change("notes", &opt(&a.notes), &opt(&b.notes)),
        change("parent", &id(&a.parent_id), &id(&b.parent_id)),
        change(
            "bill to parent",
            &a.bill_to_parent.to_string(),
            &b.bill_to_parent.to_string(),
        ),
        change(
            "invoices paused",
            &a.invoices_paused.to_string(),
            &b.invoices_paused.to_string(),
        ),
        change(
            "portal delivery",
            &a.portal_delivery.to_string(),
            &b.portal_delivery.to_string(),
        ),
        change(
            "billing cycle",
            a.billing_cycle.as_str(),
            b.billing_cycle.as_str(),
        ),
        change(
            "payment terms",
            &terms(a.payment_terms_days),
            &terms(b.payment_terms_days),
        ),
    ]
    .into_iter()
    .flatten()
    .collect()
}

fn terms(days: Option<u32>) -> String {
    days.map(|d| format!("{d} days"))
        .unwrap_or_else(|| "default".into())
}

impl Book {
    /// The first run's currency, taken by a book that holds nothing yet
    /// (checked in the same transaction): amounts are stored in its minor
    /// units, so once anything is in it the currency stays.
    pub fn adopt_currency_while_empty(&mut self, currency: &crate::domain::Currency) -> Result<()> {
        if *currency == *self.currency() {
            return Ok(());
        }
        self.transact(|tx, _| {
            if tx.reads().count_customers(&None)? > 0 {
                return Err(OpsError::CustomerName(format!(
                    "the book already keeps {}: its currency cannot change once it has customers",
                    tx.reads().currency_code()
                )));
            }
            Ok(tx.set_book_currency(&currency.code, currency.decimals)?)
        })
    }
}

/// What `tally customer merge` did.
#[derive(Debug, Clone, PartialEq)]
pub struct Merged {
    pub from: CustomerId,
    pub from_name: String,
    pub into: CustomerId,
    pub balance_before: rust_decimal::Decimal,
    pub balance_after: rust_decimal::Decimal,
    /// `from`'s payment link was revoked (`into` kept its own).
    pub link_revoked: bool,
}

impl Book {
    /// `tally customer merge FROM INTO`: one customer who was entered
    /// twice becomes one. Everything of `from` moves to `into` in one
    /// transaction, every rule read inside it; `from`'s email and phone
    /// are kept (on `into` where it has none, else as a contact).
    pub fn merge_customers(&mut self, from: CustomerId, into: CustomerId) -> Result<Merged> {
        if from == into {
            return Err(OpsError::CustomerName(format!(
                "customer {from} cannot be merged into itself: name two customers"
            )));
        }
        self.transact(|tx, cx| {
            let r = tx.reads();
            let (f, i) = (find_customer(&r, from)?, find_customer(&r, into)?);
            if r.is_ancestor_or_self(from, into)? {
                return Err(OpsError::CustomerName(format!(
                    "customer {into} is a sub-client under customer {from}: merge the sub-client \
                     into its parent instead (`tally customer merge {into} {from}`)"
                )));
            }
            let had_link = r.active_link(from)?.is_some() && r.active_link(into)?.is_some();
            let now = cx.clock.now();
            keep_identity(tx, cx, &f, &i)?;
            tx.merge_customer(from, into, now)?;
            let after = find_customer(&tx.reads(), into)?.balance;
            let detail = format!(
                "merged customer {from} {} into this one{}; balance {} → {}",
                f.name,
                if had_link {
                    " (its payment link was revoked; this one's stays)".to_string()
                } else {
                    String::new()
                },
                cx.money(i.balance),
                cx.money(after)
            );
            tx.log(into, now, cx.actor, "customer.merged", &detail)?;
            Ok(Merged {
                from,
                from_name: f.name,
                into,
                balance_before: i.balance,
                balance_after: after,
                link_revoked: had_link,
            })
        })
    }

    /// `tally customer archive ID` (or restore): a customer with a zero
    /// balance is hidden from lists and reminders, their history kept.
    /// Returns false when they already were.
    pub fn archive_customer(&mut self, id: CustomerId, archive: bool) -> Result<bool> {
        self.transact(|tx, cx| {
            let c = find_customer(&tx.reads(), id)?;
            if c.archived == archive {
                return Ok(false);
            }
            if archive && !c.balance.is_zero() {
                let (what, amount) = if c.balance < rust_decimal::Decimal::ZERO {
                    ("owes", -c.balance)
                } else {
                    ("holds credit of", c.balance)
                };
                return Err(OpsError::CustomerName(format!(
                    "customer {id} {what} {}: only a customer with a zero balance can be archived",
                    cx.money(amount)
                )));
            }
            tx.set_archived(id, archive)?;
            let (action, detail) = if archive {
                (
                    "customer.archived",
                    "archived: hidden from lists and reminders",
                )
            } else {
                ("customer.restored", "restored from the archive")
            };
            tx.log(id, cx.clock.now(), cx.actor, action, detail)?;
            Ok(true)
        })
    }
}

/// `from`'s email and phone are not lost in a merge: `into` takes them
/// where it has none, otherwise they become a contact of `into`; its
/// notes are kept after `into`'s.
fn keep_identity(
    tx: &Tx<'_>,
    cx: &Ctx<'_>,
    from: &crate::domain::customer::Customer,
    into: &crate::domain::customer::Customer,
) -> Result<()> {
    let mut details = CustomerDetails::from(into);
    let mut contact = crate::domain::contact::ContactDetails {
        name: from.name.clone(),
        role: Some(format!("merged from customer {}", from.id)),
        ..Default::default()
    };
    match (&into.email, &from.email) {
        (None, Some(e)) => details.email = Some(e.clone()),
        (Some(a), Some(b)) if !a.eq_ignore_ascii_case(b) => contact.email = Some(b.clone()),
        _ => {}
    }
    match (&into.phone, &from.phone) {
        (None, Some(p)) => details.phone = Some(p.clone()),
        (Some(a), Some(b)) if a != b => contact.phone = Some(b.clone()),
        _ => {}
    }
    if let Some(n) = &from.notes {
        details.notes = Some(match &details.notes {
            Some(mine) => format!("{mine}\n{n}"),
            None => n.clone(),
        });
    }
    let now = cx.clock.now();
    if contact.email.is_some() || contact.phone.is_some() {
        tx.insert_contact(into.id, &contact, now)?;
    }
    if details != CustomerDetails::from(into) {
        tx.update_customer(into.id, &details, now)?;
    }
    Ok(())
}
