//! Payment links: generating, regenerating and reading a customer's link,
//! and the reminder text that carries it (seed 001, DESIGN §1).
//!
//! Invariants: a token comes only from the OS random source; generating
//! never replaces a live link (that is what regenerate is for, and it says
//! old links stop working); regenerate revokes and inserts in one
//! transaction, so there is never a moment with two live links or none.

use rust_decimal::Decimal;

use super::{Book, OpsError, Result, find_customer};
use crate::domain::customer::CustomerId;
use crate::domain::link::{self, Reminder, TOKEN_BYTES, Token};

/// A reminder ready to paste into a text message.
#[derive(Debug, Clone, PartialEq)]
pub struct ReminderText {
    pub text: String,
    pub link: String,
    /// What the customer owes (zero when they owe nothing).
    pub owed: Decimal,
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

    /// The reminder built from `[portal] message` for this customer.
    pub fn reminder(&self, id: CustomerId) -> Result<ReminderText> {
        let customer = self.customer(id)?;
        let link = self.require_link(id)?;
        // The primary contact, when there is one, is who reads the message.
        let greeted = self
            .reads()
            .primary_contact(id)?
            .map(|c| c.details.name)
            .unwrap_or_else(|| customer.name.clone());
        let owed = (-customer.balance).max(Decimal::ZERO);
        let balance = self.currency().display(owed);
        let config = self.config();
        // How late the oldest open invoice is decides the wording.
        let late = self.reads().oldest_overdue_days(id, self.clock().today())?;
        let (tone, template) = match late {
            Some(days) => config.collections.for_days(days),
            None => ("message", config.portal.message.as_str()),
        };
        let text = Reminder {
            first_name: link::first_name(&greeted),
            balance: &balance,
            link: &link,
            business: &config.business.name,
        }
        .fill(template);
        Ok(ReminderText {
            text,
            link,
            owed,
            tone,
        })
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
