//! Invoices, the charges on them, allocations of credits to them, and the
//! months the billing run has invoiced.
//!
//! Invariants kept here (the rules that decide *whether* to write are in
//! `ops::invoices`):
//! - a charge is attached to an invoice only while it is open (no invoice),
//!   belongs to the invoice's customer, and is a charge;
//! - a draft's total is computed from its charges; a finalized invoice's
//!   total is frozen in `total_cents`;
//! - an invoice's `paid` is what credits other than its own void credit
//!   settled: a void invoice was paid nothing unless payments stay on it
//!   (they go back to available credit when it is voided);
//! - `seq` is assigned as `MAX(seq) + 1` inside the caller's `BEGIN
//!   IMMEDIATE` transaction and finalized invoices are never deleted, so
//!   numbers are gapless.

use chrono::{DateTime, NaiveDate, Utc};
use rusqlite::{OptionalExtension, Row, params};
use rust_decimal::Decimal;

use super::entries::{COLS as ENTRY_COLS, NCOLS, cols_of, used_of};
use super::{Reads, Result, Tx, day, guard, parse_day, ts};
use crate::domain::customer::CustomerId;
use crate::domain::entry::{Entry, EntryId, EntryKind};
use crate::domain::invoice::{
    Invoice, InvoiceFilter, InvoiceId, InvoiceSort, InvoiceStatus, Period,
};

const SELECT: &str = "SELECT i.id, i.customer_id, i.status, i.number, i.issue_date, i.due_date, \
     COALESCE(i.total_cents, (SELECT COALESCE(SUM(amount_cents + tax_cents), 0) FROM entries WHERE invoice_id = i.id)), \
     (SELECT COALESCE(SUM(a.amount_cents), 0) FROM allocations a JOIN entries v ON v.id = a.credit_id \
      WHERE a.invoice_id = i.id AND v.void_of IS NULL), \
     i.period, (SELECT count(*) FROM entries WHERE invoice_id = i.id), \
     (SELECT c.name FROM entries e JOIN contracts c ON c.id = e.contract_id \
      WHERE e.invoice_id = i.id ORDER BY e.date, e.id LIMIT 1) AS contract_name, \
     (SELECT MIN(e.date) FROM entries e WHERE e.invoice_id = i.id AND e.contract_id IS NOT NULL) AS contract_period \
     FROM invoices i";

/// Which invoices to list, in what order, and which window of them.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct InvoiceQuery {
    pub customer: Option<CustomerId>,
    pub filter: InvoiceFilter,
    pub sort: InvoiceSort,
    /// The day "overdue" is judged on.
    pub today: Option<NaiveDate>,
    /// Only invoices with charges of this contract.
    pub contract: Option<crate::domain::contract::ContractId>,
    pub offset: usize,
    pub limit: usize,
}

impl InvoiceQuery {
    fn condition(&self) -> String {
        let mut c = vec!["1 = 1".to_string()];
        if self.customer.is_some() {
            c.push("i.customer_id = :customer".into());
        }
        match self.filter {
            InvoiceFilter::All => {}
            InvoiceFilter::Status(s) => c.push(format!("i.status = '{}'", s.as_str())),
            InvoiceFilter::Overdue => c.push("i.status = 'open' AND i.due_date < :today".into()),
        }
        if self.contract.is_some() {
            c.push(
                "EXISTS (SELECT 1 FROM entries e WHERE e.invoice_id = i.id AND e.contract_id = :contract)"
                    .into(),
            );
        }
        c.join(" AND ")
    }

    fn order(&self) -> &'static str {
        match self.sort {
            InvoiceSort::Number => "i.seq IS NOT NULL, i.seq DESC, i.id DESC",
            InvoiceSort::Total => "7 DESC, i.id DESC",
            InvoiceSort::IssueDate => "i.issue_date IS NOT NULL, i.issue_date DESC, i.id DESC",
            InvoiceSort::DueDate => "i.due_date IS NULL, i.due_date, i.id DESC",
            InvoiceSort::Status => {
                "CASE i.status WHEN 'draft' THEN 0 WHEN 'open' THEN 1 WHEN 'paid' THEN 2 ELSE 3 END, i.id DESC"
            }
            InvoiceSort::Contract => {
                "contract_name IS NULL, contract_name COLLATE NOCASE, contract_period, i.id DESC"
            }
        }
    }

    fn params(&self) -> Vec<(&'static str, String)> {
        let mut p = Vec::new();
        if let Some(c) = self.customer {
            p.push((":customer", c.0.to_string()));
        }
        if self.filter == InvoiceFilter::Overdue {
            p.push((":today", self.today.map(day).unwrap_or_default()));
        }
        if let Some(k) = self.contract {
            p.push((":contract", k.0.to_string()));
        }
        p
    }
}

/// Why an entry may not be edited or removed.
#[derive(Debug, Clone, PartialEq)]
pub enum EntryLock {
    /// A charge on a finalized invoice (its number).
    Invoiced(String),
    /// A credit with allocations to these invoices (their numbers).
    Allocated(Vec<String>),
    /// Money that has moved (a refund, a transfer, a credit memo, a void
    /// credit, or a credit a refund or transfer used): why, in words.
    Moved(String),
}

impl Reads<'_> {
    fn invoice_from(&self, r: &Row<'_>) -> rusqlite::Result<Invoice> {
        let status: String = r.get(2)?;
        let date = |i: usize| -> rusqlite::Result<Option<NaiveDate>> {
            r.get::<_, Option<String>>(i)?
                .map(|s| parse_day(i, &s))
                .transpose()
        };
        Ok(Invoice {
            id: InvoiceId(r.get(0)?),
            customer_id: CustomerId(r.get(1)?),
            status: InvoiceStatus::parse(&status).unwrap_or(InvoiceStatus::Draft),
            number: r.get(3)?,
            issue_date: date(4)?,
            due_date: date(5)?,
            total: self.money(r.get(6)?),
            paid: self.money(r.get(7)?),
            period: r.get(8)?,
            lines: r.get::<_, i64>(9)? as usize,
            contract: r.get(10)?,
            contract_period: date(11)?,
        })
    }

    pub fn invoice(&self, id: InvoiceId) -> Result<Option<Invoice>> {
        let sql = format!("{SELECT} WHERE i.id = ?1");
        Ok(self
            .conn
            .query_row(&sql, [id.0], |r| self.invoice_from(r))
            .optional()?)
    }

    pub fn invoice_by_number(&self, number: &str) -> Result<Option<Invoice>> {
        let sql = format!("{SELECT} WHERE i.number = ?1 COLLATE NOCASE");
        Ok(self
            .conn
            .query_row(&sql, [number.trim()], |r| self.invoice_from(r))
            .optional()?)
    }

    pub fn invoices(&self, q: &InvoiceQuery) -> Result<Vec<Invoice>> {
        let sql = format!(
            "{SELECT} WHERE {} ORDER BY {} LIMIT :limit OFFSET :offset",
            q.condition(),
            q.order()
        );
        let mut stmt = self.conn.prepare_cached(&sql)?;
        let (limit, offset) = (q.limit as i64, q.offset as i64);
        let named = q.params();
        let mut params: Vec<(&str, &dyn rusqlite::ToSql)> =
            named.iter().map(|(k, v)| (*k, v as _)).collect();
        params.push((":limit", &limit));
        params.push((":offset", &offset));
        let rows = stmt.query_map(params.as_slice(), |r| self.invoice_from(r))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    pub fn count_invoices(&self, q: &InvoiceQuery) -> Result<usize> {
        let sql = format!("SELECT count(*) FROM invoices i WHERE {}", q.condition());
        let named = q.params();
        let params: Vec<(&str, &dyn rusqlite::ToSql)> =
            named.iter().map(|(k, v)| (*k, v as _)).collect();
        let n: i64 = self.conn.query_row(&sql, params.as_slice(), |r| r.get(0))?;
        Ok(n as usize)
    }

    /// The charges on an invoice, oldest first (the order they are printed).
    pub fn invoice_lines(&self, id: InvoiceId) -> Result<Vec<Entry>> {
        let sql =
            format!("SELECT {ENTRY_COLS} FROM entries WHERE invoice_id = ?1 ORDER BY date, id");
        let mut stmt = self.conn.prepare_cached(&sql)?;
        let rows = stmt.query_map([id.0], |r| self.entry_from(r))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// The credits allocated to an invoice and how much of each.
    pub fn invoice_allocations(&self, id: InvoiceId) -> Result<Vec<(Entry, Decimal)>> {
        let cols = cols_of("e");
        let sql = format!(
            "SELECT {cols}, a.amount_cents FROM allocations a JOIN entries e ON e.id = a.credit_id \
             WHERE a.invoice_id = ?1 ORDER BY a.id"
        );
        let mut stmt = self.conn.prepare_cached(&sql)?;
        let rows = stmt.query_map([id.0], |r| {
            Ok((self.entry_from(r)?, self.money(r.get(NCOLS)?)))
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// A window of a customer's open charges (on no invoice), oldest first.
    pub fn open_charges(
        &self,
        customer: CustomerId,
        offset: usize,
        limit: usize,
    ) -> Result<Vec<Entry>> {
        let sql = format!(
            "SELECT {ENTRY_COLS} FROM entries WHERE customer_id = ?1 AND kind = 'charge' \
             AND invoice_id IS NULL ORDER BY date, id LIMIT ?2 OFFSET ?3"
        );
        let mut stmt = self.conn.prepare_cached(&sql)?;
        let rows = stmt.query_map(params![customer.0, limit as i64, offset as i64], |r| {
            self.entry_from(r)
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    pub fn count_open_charges(&self, customer: CustomerId) -> Result<usize> {
        let n: i64 = self.conn.query_row(
            "SELECT count(*) FROM entries WHERE customer_id = ?1 AND kind = 'charge' AND invoice_id IS NULL",
            [customer.0],
            |r| r.get(0),
        )?;
        Ok(n as usize)
    }

    /// A customer's credits with something left to allocate, oldest first,
    /// with how much is left on each.
    pub fn unapplied_credits(&self, customer: CustomerId) -> Result<Vec<(EntryId, Decimal)>> {
        let sql = format!(
            "SELECT e.id, e.amount_cents - {} AS left \
             FROM entries e WHERE e.customer_id = ?1 AND e.kind = 'credit' AND left > 0 ORDER BY e.date, e.id",
            used_of("e.id")
        );
        let mut stmt = self.conn.prepare_cached(&sql)?;
        let rows = stmt.query_map([customer.0], |r| {
            Ok((EntryId(r.get(0)?), self.money(r.get(1)?)))
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Whether an entry is locked, and by what.
    pub fn entry_lock(&self, id: EntryId) -> Result<Option<EntryLock>> {
        let invoiced: Option<String> = self
            .conn
            .query_row(
                "SELECT i.number FROM entries e JOIN invoices i ON i.id = e.invoice_id \
                 WHERE e.id = ?1 AND i.status <> 'draft'",
                [id.0],
                |r| r.get(0),
            )
            .optional()?;
        if let Some(n) = invoiced {
            return Ok(Some(EntryLock::Invoiced(n)));
        }
        let mut stmt = self.conn.prepare_cached(
            "SELECT DISTINCT i.number FROM allocations a JOIN invoices i ON i.id = a.invoice_id \
             WHERE a.credit_id = ?1 ORDER BY i.seq",
        )?;
        let numbers = stmt
            .query_map([id.0], |r| r.get::<_, String>(0))?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        if !numbers.is_empty() {
            return Ok(Some(EntryLock::Allocated(numbers)));
        }
        self.moved_lock(id)
    }

    /// The [`EntryLock::Moved`] reasons, in the order a person would ask.
    fn moved_lock(&self, id: EntryId) -> Result<Option<EntryLock>> {
        let Some(e) = self.entry(id)? else {
            return Ok(None);
        };
        let number = |inv: InvoiceId| -> Result<String> {
            Ok(self
                .invoice(inv)?
                .map(|i| i.label())
                .unwrap_or_else(|| format!("invoice {inv}")))
        };
        let why = match (e.kind, e.counterpart, e.memo_of, e.void_of) {
            (EntryKind::Payout, None, _, _) => Some("a refund, which is paid out".to_string()),
            (_, Some(other), _, _) => {
                Some(format!("one side of a transfer (the other is #{other})"))
            }
            (_, _, Some(inv), _) => Some(format!("a credit memo on {}", number(inv)?)),
            (_, _, _, Some(inv)) => Some(format!("the credit that voided {}", number(inv)?)),
            _ => {
                let payout: Option<i64> = self
                    .conn
                    .query_row(
                        "SELECT payout_id FROM payout_sources WHERE credit_id = ?1 ORDER BY id LIMIT 1",
                        [id.0],
                        |r| r.get(0),
                    )
                    .optional()?;
                payout.map(|p| format!("paid out by #{p}"))
            }
        };
        Ok(why.map(EntryLock::Moved))
    }

    /// The sequence number the next finalized invoice gets.
    pub fn next_invoice_seq(&self) -> Result<i64> {
        Ok(self
            .conn
            .query_row("SELECT COALESCE(MAX(seq), 0) + 1 FROM invoices", [], |r| {
                r.get(0)
            })?)
    }

    /// Every finalized invoice's sequence number, ascending (for checks).
    pub fn invoice_seqs(&self) -> Result<Vec<i64>> {
        let mut stmt = self
            .conn
            .prepare("SELECT seq FROM invoices WHERE seq IS NOT NULL ORDER BY seq")?;
        let rows = stmt.query_map([], |r| r.get(0))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Customers on the monthly cycle whose invoices are not paused.
    pub fn monthly_customers(&self) -> Result<Vec<CustomerId>> {
        let mut stmt = self.conn.prepare(
            "SELECT id FROM customers WHERE billing_cycle = 'monthly' AND invoices_paused = 0 ORDER BY id",
        )?;
        let rows = stmt.query_map([], |r| Ok(CustomerId(r.get(0)?)))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Months before `before` in which `customer` has open charges and that
    /// no billing run has invoiced yet, oldest first.
    pub fn unbilled_periods(&self, customer: CustomerId, before: Period) -> Result<Vec<Period>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT DISTINCT substr(date, 1, 7) AS p FROM entries \
             WHERE customer_id = ?1 AND kind = 'charge' AND invoice_id IS NULL AND date < ?2 \
             AND NOT EXISTS (SELECT 1 FROM billed_periods b WHERE b.customer_id = ?1 AND b.period = p) \
             ORDER BY p",
        )?;
        let rows = stmt.query_map(params![customer.0, day(before.first_day())], |r| {
            r.get::<_, String>(0)
        })?;
        let mut out = Vec::new();
        for p in rows {
            out.extend(Period::parse(&p?));
        }
        Ok(out)
    }
}

impl Tx<'_> {
    pub fn insert_invoice(
        &self,
        customer: CustomerId,
        period: Option<Period>,
        now: DateTime<Utc>,
    ) -> Result<InvoiceId> {
        self.tx.execute(
            "INSERT INTO invoices (customer_id, period, created_at) VALUES (?1, ?2, ?3)",
            params![customer.0, period.map(|p| p.to_string()), ts(now)],
        )?;
        Ok(InvoiceId(self.tx.last_insert_rowid()))
    }

    /// Puts open charges of `customer` on a draft; returns how many moved
    /// (fewer than asked means some were not open, not charges, or not theirs).
    pub fn attach_charges(
        &self,
        invoice: InvoiceId,
        customer: CustomerId,
        ids: &[EntryId],
    ) -> Result<usize> {
        let mut stmt = self.tx.prepare_cached(
            "UPDATE entries SET invoice_id = ?1 WHERE id = ?2 AND customer_id = ?3 \
             AND kind = 'charge' AND invoice_id IS NULL",
        )?;
        let mut n = 0;
        for id in ids {
            n += stmt.execute(params![invoice.0, id.0, customer.0])?;
        }
        Ok(n)
    }

    /// Puts every open charge of `customer` dated in `[from, to)` (or all
    /// of them) on a draft; returns how many.
    pub fn attach_open_charges(
        &self,
        invoice: InvoiceId,
        customer: CustomerId,
        range: Option<(NaiveDate, NaiveDate)>,
    ) -> Result<usize> {
        let (from, to) = range
            .map(|(a, b)| (day(a), day(b)))
            .unwrap_or_else(|| ("0000-00-00".into(), "9999-99-99".into()));
        Ok(self.tx.execute(
            "UPDATE entries SET invoice_id = ?1 WHERE customer_id = ?2 AND kind = 'charge' \
             AND invoice_id IS NULL AND date >= ?3 AND date < ?4",
            params![invoice.0, customer.0, from, to],
        )?)
    }

    /// Deletes a draft; its charges become open again. Only ever a draft:
    /// the charges are released only while the invoice is still one.
    pub fn delete_draft(&self, invoice: InvoiceId) -> Result<()> {
        self.tx.execute(
            "UPDATE entries SET invoice_id = NULL WHERE invoice_id = ?1 \
             AND EXISTS (SELECT 1 FROM invoices WHERE id = ?1 AND status = 'draft')",
            [invoice.0],
        )?;
        let n = self.tx.execute(
            "DELETE FROM invoices WHERE id = ?1 AND status = 'draft'",
            [invoice.0],
        )?;
        guard(n, || format!("invoice {invoice} is no longer a draft"))
    }

    pub fn finalize_invoice(
        &self,
        invoice: InvoiceId,
        seq: i64,
        number: &str,
        issue: NaiveDate,
        due: NaiveDate,
        total: Decimal,
    ) -> Result<()> {
        let n = self.tx.execute(
            "UPDATE invoices SET status = 'open', seq = ?2, number = ?3, issue_date = ?4, due_date = ?5, \
             total_cents = ?6 WHERE id = ?1 AND status = 'draft'",
            params![
                invoice.0,
                seq,
                number,
                day(issue),
                day(due),
                self.minor(total)?
            ],
        )?;
        guard(n, || format!("invoice {invoice} is no longer a draft"))
    }

    /// Moves an invoice from one status to another; refuses if it is not
    /// in `from` any more (the transition is guarded in SQL, not assumed).
    pub fn set_invoice_status(
        &self,
        invoice: InvoiceId,
        from: InvoiceStatus,
        to: InvoiceStatus,
    ) -> Result<()> {
        let n = self.tx.execute(
            "UPDATE invoices SET status = ?3 WHERE id = ?1 AND status = ?2",
            params![invoice.0, from.as_str(), to.as_str()],
        )?;
        guard(n, || {
            format!("invoice {invoice} is no longer {}", from.as_str())
        })
    }

    pub fn allocate(
        &self,
        credit: EntryId,
        invoice: InvoiceId,
        amount: Decimal,
        now: DateTime<Utc>,
    ) -> Result<()> {
        self.tx.execute(
            "INSERT INTO allocations (credit_id, invoice_id, amount_cents, created_at) VALUES (?1, ?2, ?3, ?4)",
            params![credit.0, invoice.0, self.minor(amount)?, ts(now)],
        )?;
        Ok(())
    }

    /// Removes every allocation to an invoice; the credits become available.
    pub fn release_allocations(&self, invoice: InvoiceId) -> Result<()> {
        self.tx
            .execute("DELETE FROM allocations WHERE invoice_id = ?1", [invoice.0])?;
        Ok(())
    }

    /// Records a payment's outside reference, or marks a credit as the one
    /// that voided an invoice.
    pub fn tag_credit(
        &self,
        credit: EntryId,
        reference: Option<&str>,
        void_of: Option<InvoiceId>,
    ) -> Result<()> {
        self.tx.execute(
            "UPDATE entries SET reference = ?2, void_of = ?3 WHERE id = ?1 AND kind = 'credit'",
            params![credit.0, reference, void_of.map(|i| i.0)],
        )?;
        Ok(())
    }

    pub fn mark_billed(
        &self,
        customer: CustomerId,
        period: Period,
        invoice: InvoiceId,
        now: DateTime<Utc>,
    ) -> Result<()> {
        self.tx.execute(
            "INSERT INTO billed_periods (customer_id, period, invoice_id, created_at) VALUES (?1, ?2, ?3, ?4)",
            params![customer.0, period.to_string(), invoice.0, ts(now)],
        )?;
        Ok(())
    }
}
