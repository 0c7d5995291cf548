//! Payment links: generating, regenerating and reading a customer's link,
//! and the reminder text that carries it (seed 001, DESIGN §1).
//!
//! Invariants: a token comes only from the OS random source; generating
//! never replaces a live link (that is what regenerate is for, and it says
//! old links stop working); regenerate revokes and inserts in one
//! transaction, so there is never a moment with two live links or none.

use rust_decimal::Decimal;

use super::{Book, OpsError, Result, find_customer, payer};
use crate::domain::Currency;
use crate::domain::customer::CustomerId;
use crate::domain::figures::{self, PastDue};
use crate::domain::link::{self, Reminder, TOKEN_BYTES, Token};

/// A reminder ready to paste into a text message.
#[derive(Debug, Clone, PartialEq)]
pub struct ReminderText {
    pub text: String,
    pub link: String,
    /// What the customer owes in all (never zero: see `Book::reminder`).
    pub owed: Decimal,
    /// What of it is past due, and on which invoices.
    pub past_due: PastDue,
    /// Whom it is for: the customer, or the parent they are billed to
    /// (whose link and contact it carries).
    pub to: CustomerId,
    /// Whose debts it asks for: each is recorded as reminded.
    pub covers: Vec<CustomerId>,
    /// Which template: "message", or "gentle", "firm", "final" when an
    /// invoice is past due.
    pub tone: &'static str,
}

/// A fresh token from the operating system's CSPRNG.
pub fn new_token() -> Result<Token> {
    let mut bytes = [0u8; TOKEN_BYTES];
    getrandom::fill(&mut bytes).map_err(|e| OpsError::Random(e.to_string()))?;
    Ok(Token::from_bytes(&bytes))
}

impl Book {
    /// The customer's live link, if one was generated.
    pub fn link(&self, id: CustomerId) -> Result<Option<String>> {
        self.customer(id)?;
        self.link_of_known(id)
    }

    /// [`Book::link`] for a customer the caller has just read (one query).
    pub fn link_of_known(&self, id: CustomerId) -> Result<Option<String>> {
        Ok(self
            .reads()
            .active_link(id)?
            .map(|l| link::url(&self.config().portal.base_url, &l.token)))
    }

    /// The customer's live link, or a message saying how to make one.
    pub fn require_link(&self, id: CustomerId) -> Result<String> {
        self.link(id)?.ok_or(OpsError::NoLink(id))
    }

    /// Makes the customer's first link. Refuses if one is live.
    pub fn generate_link(&mut self, id: CustomerId) -> Result<String> {
        if self.link(id)?.is_some() {
            return Err(OpsError::LinkExists(id));
        }
        self.put_link(id, false)
    }

    /// Replaces the customer's link; the old one stops working at once.
    pub fn regenerate_link(&mut self, id: CustomerId) -> Result<String> {
        self.require_link(id)?;
        self.put_link(id, true)
    }

    fn put_link(&mut self, id: CustomerId, replace: bool) -> Result<String> {
        let token = new_token()?;
        let url = link::url(&self.config().portal.base_url, &token);
        self.transact(|tx, cx| {
            find_customer(&tx.reads(), id)?;
            let now = cx.clock.now();
            let revoked = tx.revoke_link(id, now)?;
            if revoked != replace {
                // Someone else generated or revoked in between: refuse
                // rather than silently doing the other thing.
                return Err(if replace {
                    OpsError::NoLink(id)
                } else {
                    OpsError::LinkExists(id)
                });
            }
            tx.insert_link(id, &token, now)?;
            let (action, detail) = if replace {
                (
                    "link.regenerated",
                    "Payment link regenerated; the old link no longer works",
                )
            } else {
                ("link.generated", "Payment link generated")
            };
            tx.log(id, now, cx.actor, action, detail)?;
            Ok(())
        })?;
        Ok(url)
    }

    /// The reminder for this customer: `[portal] message`, or when an
    /// invoice is past due the `[collections]` text for how late it is,
    /// quoting what is past due and naming the invoices. Refused for a
    /// customer who owes nothing: a reminder never asks for money that is
    /// not owed.
    pub fn reminder(&self, id: CustomerId) -> Result<ReminderText> {
        let today = self.clock().today();
        self.snapshot(|r| reminder_in(r, self.config(), id, today, None))
    }

    /// Who is asked to pay for `id`: the parent it is billed to, or itself.
    pub fn payer(&self, id: CustomerId) -> Result<CustomerId> {
        self.snapshot(|r| {
            let c = find_customer(r, id)?;
            Ok(payer::billed_to(r, &c)?.map_or(id, |p| p.id))
        })
    }

    /// Refuses, with what they hold, when nobody is asked to pay anything
    /// because of `id`: the check a reminder makes, for a front end to
    /// make before it does anything on the way to one (such as making a
    /// link).
    pub fn require_owed(&self, id: CustomerId) -> Result<Decimal> {
        let today = self.clock().today();
        let cur = self.currency();
        self.snapshot(|r| {
            let owed = payer::asked_for(r, id, today)?.owed;
            if owed.is_zero() {
                return Err(nothing_owed(&find_customer(r, id)?, cur));
            }
            Ok(owed)
        })
    }
}

/// The reminder for `id` read through `r` (a snapshot, or the transaction
/// that emails it): with `template`, that tone and text; else
/// `[portal] message`, or the `[collections]` text for how late the oldest
/// past-due invoice is. Refused when nothing is owed.
pub(crate) fn reminder_in(
    r: &crate::store::Reads<'_>,
    config: &crate::config::Config,
    id: CustomerId,
    today: chrono::NaiveDate,
    template: Option<(&'static str, &str)>,
) -> Result<ReminderText> {
    let cur = r.currency();
    // Who is asked: the parent, for a sub-client billed to it.
    let asked = payer::asked_for(r, id, today)?;
    let owed = asked.owed;
    if owed.is_zero() {
        return Err(nothing_owed(&find_customer(r, id)?, cur));
    }
    let payer = &asked.payer;
    let link = r
        .active_link(payer.id)?
        .map(|l| link::url(&config.portal.base_url, &l.token))
        .ok_or(OpsError::NoLink(payer.id))?;
    // The primary contact, when there is one, is who reads the message.
    let greeted = r
        .primary_contact(payer.id)?
        .map(|c| c.details.name)
        .unwrap_or_else(|| payer.name.clone());
    let past_due = asked.past_due;
    let (tone, template) = match (template, past_due.days_late()) {
        (Some(t), _) => t,
        (None, Some(days)) => config.collections.for_days(days),
        (None, None) => ("message", config.portal.message.as_str()),
    };
    let balance_note = if past_due.amount < owed {
        format!(
            " Your whole balance, with charges not yet due, is {}.",
            cur.display(owed)
        )
    } else {
        String::new()
    };
    let text = Reminder {
        first_name: link::first_name(&greeted),
        balance: &cur.display(owed),
        past_due: &cur.display(past_due.amount),
        invoices: &past_due.numbers(),
        balance_note: &balance_note,
        link: &link,
        business: &config.business.name,
    }
    .fill(template);
    Ok(ReminderText {
        text,
        link,
        owed,
        past_due,
        tone,
        to: payer.id,
        covers: asked.covers,
    })
}

/// Why there is nothing to remind `customer` of, with the credit they hold.
fn nothing_owed(customer: &crate::domain::Customer, cur: &Currency) -> OpsError {
    let credit = figures::net_credit(customer.balance);
    OpsError::NothingOwed {
        id: customer.id,
        credit: (!credit.is_zero()).then(|| cur.display(credit)),
    }
}

#[cfg(test)]
mod tests {
    use std::collections::HashSet;

    use super::*;
    use crate::domain::link::TOKEN_LEN;

    #[test]
    fn tokens_are_long_url_safe_and_never_repeat() {
        let tokens: HashSet<String> = (0..10_000)
            .map(|_| new_token().unwrap().as_str().to_string())
            .collect();
        assert_eq!(tokens.len(), 10_000);
        for t in &tokens {
            assert_eq!(t.len(), TOKEN_LEN);
            assert!(
                t.bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_'),
                "{t}"
            );
        }
        // 256 bits: every character position takes many values.
        let firsts: HashSet<u8> = tokens.iter().map(|t| t.as_bytes()[0]).collect();
        assert!(firsts.len() > 60, "{}", firsts.len());
    }
}
