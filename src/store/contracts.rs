//! Contracts' rows, the periods each has charged, and what it has billed.

use chrono::{DateTime, Utc};
use rusqlite::{OptionalExtension, Row, params};
use rust_decimal::Decimal;

use super::{Reads, Result, Tx, day, guard, parse_day, parse_ts, ts};
use crate::domain::contract::{Contract, ContractId, Every, NewContract};
use crate::domain::customer::CustomerId;
use crate::domain::entry::EntryId;

const COLS: &str = "id, customer_id, name, every, value_cents, start_date, end_date, terms_days, notes, created_at";

impl Reads<'_> {
    fn contract_from(&self, r: &Row<'_>) -> rusqlite::Result<Contract> {
        let every: Option<String> = r.get(3)?;
        let end: Option<String> = r.get(6)?;
        Ok(Contract {
            id: ContractId(r.get(0)?),
            customer_id: CustomerId(r.get(1)?),
            name: r.get(2)?,
            every: every.as_deref().and_then(Every::parse),
            value: self.money(r.get(4)?),
            start: parse_day(5, &r.get::<_, String>(5)?)?,
            end: end.map(|e| parse_day(6, &e)).transpose()?,
            terms_days: r.get(7)?,
            notes: r.get(8)?,
            created_at: parse_ts(9, &r.get::<_, String>(9)?)?,
        })
    }

    pub fn contract(&self, id: ContractId) -> Result<Option<Contract>> {
        let sql = format!("SELECT {COLS} FROM contracts WHERE id = ?1");
        Ok(self
            .conn
            .query_row(&sql, [id.0], |r| self.contract_from(r))
            .optional()?)
    }

    /// A window of contracts, newest first: one customer's, or everyone's.
    pub fn contracts(
        &self,
        customer: Option<CustomerId>,
        offset: usize,
        limit: usize,
    ) -> Result<Vec<Contract>> {
        let sql = format!(
            "SELECT {COLS} FROM contracts WHERE ?1 IS NULL OR customer_id = ?1 ORDER BY id DESC LIMIT ?2 OFFSET ?3"
        );
        let limit = i64::try_from(limit).unwrap_or(i64::MAX);
        let mut stmt = self.conn.prepare_cached(&sql)?;
        let rows = stmt.query_map(params![customer.map(|c| c.0), limit, offset as i64], |r| {
            self.contract_from(r)
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    pub fn count_contracts(&self, customer: CustomerId) -> Result<usize> {
        let n: i64 = self.conn.query_row(
            "SELECT count(*) FROM contracts WHERE customer_id = ?1",
            [customer.0],
            |r| r.get(0),
        )?;
        Ok(n as usize)
    }

    /// Contracts that may have periods to charge by `today`: started, and
    /// not ended before their last period could have been charged.
    pub fn contracts_to_charge(&self, today: chrono::NaiveDate) -> Result<Vec<Contract>> {
        let sql = format!("SELECT {COLS} FROM contracts WHERE start_date <= ?1 ORDER BY id");
        let mut stmt = self.conn.prepare(&sql)?;
        let rows = stmt.query_map([day(today)], |r| self.contract_from(r))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// The periods a contract has charged, by their keys.
    pub fn charged_periods(&self, id: ContractId) -> Result<std::collections::HashSet<String>> {
        let mut stmt = self
            .conn
            .prepare_cached("SELECT period FROM contract_periods WHERE contract_id = ?1")?;
        let rows = stmt.query_map([id.0], |r| r.get(0))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// How many periods a contract has charged and the sum of its charges
    /// still in the book (with tax).
    pub fn contract_billed(&self, id: ContractId) -> Result<(usize, Decimal)> {
        let (n, cents): (i64, i64) = self.conn.query_row(
            "SELECT (SELECT count(*) FROM contract_periods WHERE contract_id = ?1), \
             (SELECT COALESCE(SUM(amount_cents + tax_cents), 0) FROM entries WHERE contract_id = ?1)",
            [id.0],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )?;
        Ok((n as usize, self.money(cents)))
    }
}

impl Tx<'_> {
    pub fn insert_contract(
        &self,
        customer: CustomerId,
        c: &NewContract,
        now: DateTime<Utc>,
    ) -> Result<ContractId> {
        self.tx.execute(
            "INSERT INTO contracts (customer_id, name, every, value_cents, start_date, end_date, terms_days, notes, created_at) \
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
            params![
                customer.0,
                c.name,
                c.every.map(Every::as_str),
                self.minor(c.value)?,
                day(c.start),
                c.end.map(day),
                c.terms_days,
                c.notes,
                ts(now),
            ],
        )?;
        Ok(ContractId(self.tx.last_insert_rowid()))
    }

    /// Replaces what may change after a contract is made: name, value (for
    /// periods not charged yet), end date, terms, notes.
    pub fn update_contract(&self, id: ContractId, c: &NewContract) -> Result<()> {
        let n = self.tx.execute(
            "UPDATE contracts SET name = ?2, value_cents = ?3, end_date = ?4, terms_days = ?5, notes = ?6 WHERE id = ?1",
            params![
                id.0,
                c.name,
                self.minor(c.value)?,
                c.end.map(day),
                c.terms_days,
                c.notes
            ],
        )?;
        guard(n, || format!("contract {id} is gone"))
    }

    /// Links a posted charge to its contract and marks its period charged.
    pub fn mark_contract_charge(
        &self,
        contract: ContractId,
        period: &str,
        entry: EntryId,
        now: DateTime<Utc>,
    ) -> Result<()> {
        self.tx.execute(
            "UPDATE entries SET contract_id = ?1 WHERE id = ?2",
            params![contract.0, entry.0],
        )?;
        self.tx.execute(
            "INSERT INTO contract_periods (contract_id, period, entry_id, created_at) VALUES (?1, ?2, ?3, ?4)",
            params![contract.0, period, entry.0, ts(now)],
        )?;
        Ok(())
    }
}
