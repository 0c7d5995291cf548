//! Contact rows. At most one primary contact per customer: a partial unique
//! index enforces it, and [`Tx::clear_primary`] makes room in the same
//! transaction as the insert or update that names a new one.

use chrono::{DateTime, Utc};
use rusqlite::{OptionalExtension, Row, params};

use super::{Reads, Result, Tx, guard, ts};
use crate::domain::contact::{Contact, ContactDetails, ContactId};
use crate::domain::customer::CustomerId;

const COLS: &str = "id, customer_id, name, email, phone, role, is_primary";

impl Reads<'_> {
    fn contact_from(r: &Row<'_>) -> rusqlite::Result<Contact> {
        Ok(Contact {
            id: ContactId(r.get(0)?),
            customer_id: CustomerId(r.get(1)?),
            details: ContactDetails {
                name: r.get(2)?,
                email: r.get(3)?,
                phone: r.get(4)?,
                role: r.get(5)?,
                primary: r.get(6)?,
            },
        })
    }

    /// A window of a customer's contacts, the primary first, then in the
    /// order added.
    pub fn contacts(
        &self,
        customer: CustomerId,
        offset: usize,
        limit: usize,
    ) -> Result<Vec<Contact>> {
        let sql = format!(
            "SELECT {COLS} FROM contacts WHERE customer_id = ?1 ORDER BY is_primary DESC, id \
             LIMIT ?2 OFFSET ?3"
        );
        let mut stmt = self.conn.prepare_cached(&sql)?;
        let limit = i64::try_from(limit).unwrap_or(i64::MAX);
        let rows = stmt.query_map(
            params![customer.0, limit, offset as i64],
            Self::contact_from,
        )?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    pub fn count_contacts(&self, customer: CustomerId) -> Result<usize> {
        let n: i64 = self.conn.query_row(
            "SELECT count(*) FROM contacts WHERE customer_id = ?1",
            [customer.0],
            |r| r.get(0),
        )?;
        Ok(n as usize)
    }

    pub fn contact(&self, id: ContactId) -> Result<Option<Contact>> {
        let sql = format!("SELECT {COLS} FROM contacts WHERE id = ?1");
        Ok(self
            .conn
            .query_row(&sql, [id.0], Self::contact_from)
            .optional()?)
    }

    pub fn primary_contact(&self, customer: CustomerId) -> Result<Option<Contact>> {
        let sql = format!("SELECT {COLS} FROM contacts WHERE customer_id = ?1 AND is_primary = 1");
        Ok(self
            .conn
            .query_row(&sql, [customer.0], Self::contact_from)
            .optional()?)
    }
}

impl Tx<'_> {
    pub fn insert_contact(
        &self,
        customer: CustomerId,
        d: &ContactDetails,
        now: DateTime<Utc>,
    ) -> Result<ContactId> {
        self.tx.execute(
            "INSERT INTO contacts (customer_id, name, email, phone, role, is_primary, created_at) \
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
            params![
                customer.0,
                d.name,
                d.email,
                d.phone,
                d.role,
                d.primary,
                ts(now)
            ],
        )?;
        Ok(ContactId(self.tx.last_insert_rowid()))
    }

    pub fn update_contact(&self, id: ContactId, d: &ContactDetails) -> Result<()> {
        let n = self.tx.execute(
            "UPDATE contacts SET name = ?2, email = ?3, phone = ?4, role = ?5, is_primary = ?6 \
             WHERE id = ?1",
            params![id.0, d.name, d.email, d.phone, d.role, d.primary],
        )?;
        guard(n, || format!("contact {id} is gone"))
    }

    pub fn delete_contact(&self, id: ContactId) -> Result<()> {
        let n = self
            .tx
            .execute("DELETE FROM contacts WHERE id = ?1", [id.0])?;
        guard(n, || format!("contact {id} is gone"))
    }

    /// No contact of `customer` is primary any more (before naming another).
    pub fn clear_primary(&self, customer: CustomerId) -> Result<()> {
        self.tx.execute(
            "UPDATE contacts SET is_primary = 0 WHERE customer_id = ?1 AND is_primary = 1",
            [customer.0],
        )?;
        Ok(())
    }
}
