//! The outbox (migration 17): messages written in the same transaction as
//! the change that causes them, taken and settled by senders; and which
//! step of the reminder schedule each invoice has had.
//!
//! Invariants: a message is taken only from `queued`, in a write
//! transaction, so two senders never take the same one; it is settled
//! only from `sending`; nothing here moves a message out of `sending` but
//! the sender's answer or the owner's retry of one lost in flight.

use chrono::{DateTime, Duration, NaiveDate, Utc};
use rusqlite::{OptionalExtension, params};

use super::{Reads, Result, Tx, day, parse_ts, ts};
use crate::domain::customer::CustomerId;
use crate::domain::invoice::InvoiceId;
use crate::domain::mail::{Kind, SENDING_LEASE_SECS, State};

/// A message to put in the outbox.
#[derive(Debug, Clone, PartialEq)]
pub struct NewMessage {
    pub kind: Kind,
    pub customer: CustomerId,
    pub invoice: Option<InvoiceId>,
    /// `Name <address>` or an address.
    pub recipient: String,
    pub subject: String,
    pub text: String,
    pub html: String,
    /// A file sent with it: its name and bytes.
    pub attachment: Option<(String, Vec<u8>)>,
}

/// A message as the outbox holds it.
#[derive(Debug, Clone, PartialEq)]
pub struct Message {
    pub id: i64,
    pub kind: Kind,
    pub customer: CustomerId,
    pub invoice: Option<InvoiceId>,
    pub recipient: String,
    pub subject: String,
    pub state: State,
    pub attempts: u32,
    pub created_at: DateTime<Utc>,
    pub next_at: DateTime<Utc>,
    pub claimed_at: Option<DateTime<Utc>>,
    pub sent_at: Option<DateTime<Utc>>,
    /// The server's last answer, or why it could not be reached.
    pub reply: Option<String>,
}

impl Message {
    /// Taken by a sender that has not answered for longer than any send
    /// takes: it may have reached the server.
    pub fn lost_in_flight(&self, now: DateTime<Utc>) -> bool {
        self.state == State::Sending
            && self
                .claimed_at
                .is_none_or(|t| now - t > Duration::seconds(SENDING_LEASE_SECS))
    }
}

/// A taken message, with what a sender needs to send it.
#[derive(Debug, Clone, PartialEq)]
pub struct Taken {
    pub id: i64,
    pub attempts: u32,
    pub recipient: String,
    pub subject: String,
    pub text: String,
    pub html: String,
    pub attachment: Option<(String, Vec<u8>)>,
}

/// How many messages wait, failed, or may have been sent.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct OutboxCounts {
    pub queued: usize,
    pub failed: usize,
    pub unknown: usize,
}

const MESSAGE_COLUMNS: &str = "id, kind, customer_id, invoice_id, recipient, subject, state, \
     attempts, created_at, next_at, claimed_at, sent_at, reply";

fn message(r: &rusqlite::Row<'_>) -> rusqlite::Result<Message> {
    let text = |i: usize| -> rusqlite::Result<String> { r.get(i) };
    let when = |i: usize| -> rusqlite::Result<Option<DateTime<Utc>>> {
        r.get::<_, Option<String>>(i)?
            .map(|s| parse_ts(i, &s))
            .transpose()
    };
    let bad = |i: usize, s: String| {
        rusqlite::Error::FromSqlConversionFailure(
            i,
            rusqlite::types::Type::Text,
            format!("unknown outbox value {s:?}").into(),
        )
    };
    let kind = text(1)?;
    let state = text(6)?;
    Ok(Message {
        id: r.get(0)?,
        kind: Kind::parse(&kind).ok_or_else(|| bad(1, kind))?,
        customer: CustomerId(r.get(2)?),
        invoice: r.get::<_, Option<i64>>(3)?.map(InvoiceId),
        recipient: text(4)?,
        subject: text(5)?,
        state: State::parse(&state).ok_or_else(|| bad(6, state))?,
        attempts: r.get(7)?,
        created_at: parse_ts(8, &text(8)?)?,
        next_at: parse_ts(9, &text(9)?)?,
        claimed_at: when(10)?,
        sent_at: when(11)?,
        reply: r.get(12)?,
    })
}

impl Reads<'_> {
    /// The outbox, newest first; only unsettled ones when `unsettled`.
    pub fn outbox(&self, unsettled: bool, limit: usize) -> Result<Vec<Message>> {
        let filter = if unsettled {
            "WHERE state <> 'sent'"
        } else {
            ""
        };
        let mut stmt = self.conn.prepare_cached(&format!(
            "SELECT {MESSAGE_COLUMNS} FROM outbox {filter} ORDER BY id DESC LIMIT ?1"
        ))?;
        let rows = stmt.query_map([i64::try_from(limit).unwrap_or(i64::MAX)], message)?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    pub fn outbox_message(&self, id: i64) -> Result<Option<Message>> {
        let mut stmt = self.conn.prepare_cached(&format!(
            "SELECT {MESSAGE_COLUMNS} FROM outbox WHERE id = ?1"
        ))?;
        Ok(stmt.query_row([id], message).optional()?)
    }

    /// A customer's messages, newest first.
    pub fn outbox_of(&self, customer: CustomerId, limit: usize) -> Result<Vec<Message>> {
        let mut stmt = self.conn.prepare_cached(&format!(
            "SELECT {MESSAGE_COLUMNS} FROM outbox WHERE customer_id = ?1 ORDER BY id DESC LIMIT ?2"
        ))?;
        let rows = stmt.query_map(
            params![customer.0, i64::try_from(limit).unwrap_or(i64::MAX)],
            message,
        )?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// What waits (queued), failed for good, or may have been sent (taken
    /// by a sender that did not come back), as of `now`.
    pub fn outbox_counts(&self, now: DateTime<Utc>) -> Result<OutboxCounts> {
        let cutoff = ts(now - Duration::seconds(SENDING_LEASE_SECS));
        let (queued, failed, unknown): (i64, i64, i64) = self.conn.query_row(
            "SELECT (SELECT count(*) FROM outbox WHERE state = 'queued'), \
                    (SELECT count(*) FROM outbox WHERE state = 'failed'), \
                    (SELECT count(*) FROM outbox WHERE state = 'sending' AND claimed_at < ?1)",
            [cutoff],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )?;
        let n = |v: i64| usize::try_from(v).unwrap_or(0);
        Ok(OutboxCounts {
            queued: n(queued),
            failed: n(failed),
            unknown: n(unknown),
        })
    }

    /// Customers with an open invoice at least `days` past due on `today`
    /// (the first reminder step): who a reminder run looks at.
    pub fn customers_past_due_by(&self, today: NaiveDate, days: u32) -> Result<Vec<CustomerId>> {
        let cutoff = today
            .checked_sub_days(chrono::Days::new(u64::from(days)))
            .unwrap_or(today);
        let mut stmt = self.conn.prepare_cached(
            "SELECT DISTINCT customer_id FROM invoices WHERE status = 'open' AND due_date <= ?1 \
             ORDER BY customer_id",
        )?;
        let rows = stmt.query_map([day(cutoff)], |r| Ok(CustomerId(r.get(0)?)))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// The open invoices `payer` is asked to pay (its own and those of the
    /// sub-clients billed to it), with their due dates.
    pub fn open_invoices_due(&self, payer: CustomerId) -> Result<Vec<(InvoiceId, NaiveDate)>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT i.id, i.due_date FROM invoices i WHERE i.status = 'open' AND (i.customer_id = ?1 \
             OR i.customer_id IN (SELECT id FROM customers WHERE parent_id = ?1 AND bill_to_parent = 1)) \
             ORDER BY i.due_date",
        )?;
        let rows = stmt.query_map([payer.0], |r| {
            let d: String = r.get(1)?;
            let due = NaiveDate::parse_from_str(&d, "%Y-%m-%d").map_err(|e| {
                rusqlite::Error::FromSqlConversionFailure(
                    1,
                    rusqlite::types::Type::Text,
                    Box::new(e),
                )
            })?;
            Ok((InvoiceId(r.get(0)?), due))
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// The schedule steps (days past due) an invoice has had, passed or
    /// skipped.
    pub fn reminder_steps(&self, invoice: InvoiceId) -> Result<Vec<u32>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT step FROM reminder_steps WHERE invoice_id = ?1 ORDER BY step",
        )?;
        let rows = stmt.query_map([invoice.0], |r| r.get(0))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }
}

impl Tx<'_> {
    /// Puts a message in the outbox, made at `now`, to be sent from
    /// `due_from`; its id.
    pub fn queue_message(
        &self,
        m: &NewMessage,
        now: DateTime<Utc>,
        due_from: DateTime<Utc>,
    ) -> Result<i64> {
        let (name, bytes) = match &m.attachment {
            Some((n, b)) => (Some(n.as_str()), Some(b.as_slice())),
            None => (None, None),
        };
        let mut stmt = self.tx.prepare_cached(
            "INSERT INTO outbox (kind, customer_id, invoice_id, recipient, subject, text_body, \
             html_body, attachment_name, attachment, next_at, created_at) \
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11) RETURNING id",
        )?;
        Ok(stmt.query_row(
            params![
                m.kind.as_str(),
                m.customer.0,
                m.invoice.map(|i| i.0),
                m.recipient,
                m.subject,
                m.text,
                m.html,
                name,
                bytes,
                ts(due_from),
                ts(now),
            ],
            |r| r.get(0),
        )?)
    }

    /// Takes the oldest message due by `now` for sending: it is `sending`
    /// from here on, whatever happens to the sender.
    pub fn take_message(&self, now: DateTime<Utc>) -> Result<Option<Taken>> {
        let mut stmt = self.tx.prepare_cached(
            "UPDATE outbox SET state = 'sending', claimed_at = ?1 \
             WHERE id = (SELECT id FROM outbox WHERE state = 'queued' AND next_at <= ?1 \
                         ORDER BY next_at, id LIMIT 1) AND state = 'queued' \
             RETURNING id, attempts, recipient, subject, text_body, html_body, attachment_name, attachment",
        )?;
        Ok(stmt
            .query_row([ts(now)], |r| {
                let name: Option<String> = r.get(6)?;
                let bytes: Option<Vec<u8>> = r.get(7)?;
                Ok(Taken {
                    id: r.get(0)?,
                    attempts: r.get(1)?,
                    recipient: r.get(2)?,
                    subject: r.get(3)?,
                    text: r.get(4)?,
                    html: r.get(5)?,
                    attachment: name.zip(bytes),
                })
            })
            .optional()?)
    }

    /// The server took it.
    pub fn settle_sent(&self, id: i64, reply: &str, now: DateTime<Utc>) -> Result<bool> {
        Ok(self.tx.execute(
            "UPDATE outbox SET state = 'sent', sent_at = ?2, reply = ?3 \
             WHERE id = ?1 AND state = 'sending'",
            params![id, ts(now), reply],
        )? == 1)
    }

    /// Not sent, to be tried from `next_at`; `counts` when the server put
    /// it off (a 4xx), not when it could not be reached.
    pub fn settle_later(
        &self,
        id: i64,
        reply: &str,
        next_at: DateTime<Utc>,
        counts: bool,
    ) -> Result<bool> {
        Ok(self.tx.execute(
            "UPDATE outbox SET state = 'queued', next_at = ?2, reply = ?3, \
             attempts = attempts + ?4, claimed_at = NULL \
             WHERE id = ?1 AND state = 'sending'",
            params![id, ts(next_at), reply, i64::from(counts)],
        )? == 1)
    }

    /// Refused for good.
    pub fn settle_failed(&self, id: i64, reply: &str) -> Result<bool> {
        Ok(self.tx.execute(
            "UPDATE outbox SET state = 'failed', reply = ?2 WHERE id = ?1 AND state = 'sending'",
            params![id, reply],
        )? == 1)
    }

    /// The owner's retry: a failed message, or one lost in flight, is
    /// queued again now. False when it is neither.
    pub fn requeue(&self, id: i64, now: DateTime<Utc>) -> Result<bool> {
        let cutoff = ts(now - Duration::seconds(SENDING_LEASE_SECS));
        Ok(self.tx.execute(
            "UPDATE outbox SET state = 'queued', next_at = ?2, attempts = 0, claimed_at = NULL \
             WHERE id = ?1 AND (state = 'failed' OR (state = 'sending' AND claimed_at < ?3))",
            params![id, ts(now), cutoff],
        )? == 1)
    }

    /// Records a schedule step for an invoice; false if it already had it.
    pub fn record_step(
        &self,
        invoice: InvoiceId,
        step: u32,
        outcome: &str,
        at: DateTime<Utc>,
        message: Option<i64>,
    ) -> Result<bool> {
        Ok(self.tx.execute(
            "INSERT INTO reminder_steps (invoice_id, step, outcome, at, outbox_id) \
             VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT DO NOTHING",
            params![invoice.0, step, outcome, ts(at), message],
        )? == 1)
    }
}
