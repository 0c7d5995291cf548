//! Payment link rows. A customer has at most one active link (a partial
//! unique index enforces it); revoking stamps `revoked_at` and keeps the row,
//! so an old token is remembered as dead rather than forgotten.

use chrono::{DateTime, Utc};
use rusqlite::{OptionalExtension, params};

use super::{Reads, Result, Tx, parse_ts, ts};
use crate::domain::customer::CustomerId;
use crate::domain::link::Token;

/// A customer's active link.
#[derive(Debug, Clone, PartialEq)]
pub struct ActiveLink {
    pub token: Token,
    pub created_at: DateTime<Utc>,
}

impl Reads<'_> {
    pub fn active_link(&self, customer: CustomerId) -> Result<Option<ActiveLink>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT token, created_at FROM payment_links \
             WHERE customer_id = ?1 AND revoked_at IS NULL",
        )?;
        let row = stmt
            .query_row([customer.0], |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    parse_ts(1, &r.get::<_, String>(1)?)?,
                ))
            })
            .optional()?;
        Ok(row.and_then(|(token, created_at)| {
            Token::parse(&token).map(|token| ActiveLink { token, created_at })
        }))
    }

    /// The customer an active token belongs to; `None` for unknown and
    /// revoked tokens alike.
    pub fn link_customer(&self, token: &Token) -> Result<Option<CustomerId>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT customer_id FROM payment_links WHERE token = ?1 AND revoked_at IS NULL",
        )?;
        Ok(stmt
            .query_row([token.as_str()], |r| r.get(0))
            .optional()?
            .map(CustomerId))
    }
}

impl Tx<'_> {
    /// Revokes the customer's active link, if any; returns whether one was.
    pub fn revoke_link(&self, customer: CustomerId, at: DateTime<Utc>) -> Result<bool> {
        let n = self.tx.execute(
            "UPDATE payment_links SET revoked_at = ?2 WHERE customer_id = ?1 AND revoked_at IS NULL",
            params![customer.0, ts(at)],
        )?;
        Ok(n > 0)
    }

    pub fn insert_link(
        &self,
        customer: CustomerId,
        token: &Token,
        at: DateTime<Utc>,
    ) -> Result<()> {
        self.tx.execute(
            "INSERT INTO payment_links (customer_id, token, created_at) VALUES (?1, ?2, ?3)",
            params![customer.0, token.as_str(), ts(at)],
        )?;
        Ok(())
    }
}
