//! Customer rows: insert, update, lookups, and the paged, indexed list every
//! screen draws from.

use chrono::{DateTime, Utc};
use rusqlite::{OptionalExtension, Row, ToSql, params};
use rust_decimal::Decimal;

use super::{Reads, Result, StoreError, Tx, parse_ts, ts};
use crate::domain::customer::{
    BillingCycle, Customer, CustomerDetails, CustomerId, CustomerSort, name_key,
};

const COLS: &str = "id, name, email, phone, address, tax_id, legal_name, notes, parent_id, \
    bill_to_parent, invoices_paused, portal_delivery, billing_cycle, source, balance_cents, \
    last_activity, created_at, payment_terms_days";

/// The largest balance, either way, a customer may reach, in minor units
/// (10¹⁷: a quadrillion dollars at two decimals). A single entry is below
/// 10¹² major units, so every entry fits, and SQLite's `+` never overflows.
pub const BALANCE_LIMIT_MINOR: i64 = 100_000_000_000_000_000;

/// Which slice of the customer list to read.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct CustomerQuery {
    pub sort: CustomerSort,
    /// Case-insensitive substring of name, email or phone.
    pub search: Option<String>,
    pub offset: usize,
    pub limit: usize,
}

/// Book-wide figures for a list footer.
#[derive(Debug, Clone, PartialEq)]
pub struct Totals {
    /// Σ of negative balances, as a positive amount owed to the business.
    pub owed: Decimal,
    /// Σ of positive balances: credit the business holds for customers.
    pub credit: Decimal,
    pub customers: i64,
}

/// How a search is answered: nothing to filter, a LIKE scan for one or two
/// characters (the trigram index needs three), or the trigram index.
enum Search {
    All,
    Like(String),
    Index(String),
}

impl Search {
    fn of(q: &Option<String>) -> Search {
        let Some(s) = q.as_deref().map(str::trim).filter(|s| !s.is_empty()) else {
            return Search::All;
        };
        if s.chars().count() >= 3 {
            Search::Index(format!("\"{}\"", s.replace('"', "\"\"")))
        } else {
            let escaped = s
                .replace('\\', "\\\\")
                .replace('%', "\\%")
                .replace('_', "\\_");
            Search::Like(format!("%{escaped}%"))
        }
    }

    /// The WHERE condition, using the `:pat` parameter when there is one.
    fn condition(&self) -> &'static str {
        match self {
            Search::All => "1",
            Search::Like(_) => {
                "(name LIKE :pat ESCAPE '\\' OR email LIKE :pat ESCAPE '\\' OR phone LIKE :pat ESCAPE '\\')"
            }
            Search::Index(_) => {
                "id IN (SELECT rowid FROM customer_search WHERE customer_search MATCH :pat)"
            }
        }
    }

    /// `params` plus `:pat` when the condition uses it.
    fn params<'a>(
        &'a self,
        mut params: Vec<(&'a str, &'a dyn ToSql)>,
    ) -> Vec<(&'a str, &'a dyn ToSql)> {
        if let Search::Like(p) | Search::Index(p) = self {
            params.push((":pat", p));
        }
        params
    }
}

impl Reads<'_> {
    fn customer_from(&self, r: &Row<'_>) -> rusqlite::Result<Customer> {
        let cycle: String = r.get(12)?;
        Ok(Customer {
            id: CustomerId(r.get(0)?),
            name: r.get(1)?,
            email: r.get(2)?,
            phone: r.get(3)?,
            address: r.get(4)?,
            tax_id: r.get(5)?,
            legal_name: r.get(6)?,
            notes: r.get(7)?,
            parent_id: r.get::<_, Option<i64>>(8)?.map(CustomerId),
            bill_to_parent: r.get(9)?,
            invoices_paused: r.get(10)?,
            portal_delivery: r.get(11)?,
            billing_cycle: BillingCycle::parse(&cycle).unwrap_or_default(),
            source: r.get(13)?,
            balance: self.money(r.get(14)?),
            last_activity: parse_ts(15, &r.get::<_, String>(15)?)?,
            created_at: parse_ts(16, &r.get::<_, String>(16)?)?,
            payment_terms_days: r.get(17)?,
        })
    }

    pub fn customer(&self, id: CustomerId) -> Result<Option<Customer>> {
        let sql = format!("SELECT {COLS} FROM customers WHERE id = ?1");
        Ok(self
            .conn
            .prepare_cached(&sql)?
            .query_row([id.0], |r| self.customer_from(r))
            .optional()?)
    }

    /// One page of customers, read through the index that matches `sort`.
    pub fn customers(&self, q: &CustomerQuery) -> Result<Vec<Customer>> {
        let order = match q.sort {
            CustomerSort::Balance => "balance_cents, name COLLATE NOCASE, id",
            CustomerSort::Name => "name COLLATE NOCASE, id",
            CustomerSort::Recent => "last_activity DESC, id DESC",
        };
        let search = Search::of(&q.search);
        let sql = format!(
            "SELECT {COLS} FROM customers WHERE {} ORDER BY {order} LIMIT :limit OFFSET :offset",
            search.condition()
        );
        let mut stmt = self.conn.prepare_cached(&sql)?;
        let (limit, offset) = (q.limit as i64, q.offset as i64);
        let params = search.params(vec![(":limit", &limit), (":offset", &offset)]);
        let rows = stmt.query_map(params.as_slice(), |r| self.customer_from(r))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    pub fn count_customers(&self, search: &Option<String>) -> Result<i64> {
        let search = Search::of(search);
        let sql = format!(
            "SELECT count(*) FROM customers WHERE {}",
            search.condition()
        );
        let params = search.params(vec![]);
        Ok(self.conn.query_row(&sql, params.as_slice(), |r| r.get(0))?)
    }

    /// Book-wide totals: two plain sums over the balance index. Only if
    /// SQLite reports that a sum overflowed (balances near the integer
    /// limit, written by something other than tally) does it sum again,
    /// exactly, in two halves ([`Reads::split_totals`]).
    pub fn totals(&self) -> Result<Totals> {
        let fast = self.conn.query_row(
            "SELECT COALESCE(SUM(CASE WHEN balance_cents < 0 THEN -balance_cents END), 0), \
                    COALESCE(SUM(CASE WHEN balance_cents > 0 THEN balance_cents END), 0), \
                    count(*) FROM customers",
            [],
            |r| Ok((r.get::<_, i64>(0)?, r.get::<_, i64>(1)?, r.get(2)?)),
        );
        match fast.map_err(StoreError::from) {
            Ok((owed, credit, customers)) => Ok(Totals {
                owed: self.money(owed),
                credit: self.money(credit),
                customers,
            }),
            Err(StoreError::Overflow) => self.split_totals(),
            Err(e) => Err(e),
        }
    }

    /// Totals with each balance summed as `high × 2³² + low`: two sums that
    /// cannot overflow for any realistic number of customers, joined in 128
    /// bits.
    fn split_totals(&self) -> Result<Totals> {
        let (oh, ol, ch, cl, customers): (i64, i64, i64, i64, i64) = self.conn.query_row(
            "SELECT COALESCE(SUM(CASE WHEN balance_cents < 0 THEN (-balance_cents) >> 32 END), 0), \
                    COALESCE(SUM(CASE WHEN balance_cents < 0 THEN (-balance_cents) & 4294967295 END), 0), \
                    COALESCE(SUM(CASE WHEN balance_cents > 0 THEN balance_cents >> 32 END), 0), \
                    COALESCE(SUM(CASE WHEN balance_cents > 0 THEN balance_cents & 4294967295 END), 0), \
                    count(*) FROM customers",
            [],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?)),
        )?;
        let join = |high: i64, low: i64| -> Decimal {
            let minor = ((high as i128) << 32) + low as i128;
            Decimal::from_i128_with_scale(minor, self.cur.decimals)
        };
        Ok(Totals {
            owed: join(oh, ol),
            credit: join(ch, cl),
            customers,
        })
    }

    /// Where `id` stands in the list `q` describes (0-based), or `None` if
    /// the search hides it. Counts the rows before it through the index, so a
    /// screen can keep its selection on a customer after the list re-sorts.
    pub fn position_of(&self, id: CustomerId, q: &CustomerQuery) -> Result<Option<usize>> {
        let before = match q.sort {
            CustomerSort::Balance => {
                "(balance_cents < t.b OR (balance_cents = t.b AND (name < t.n COLLATE NOCASE \
                 OR (name = t.n COLLATE NOCASE AND id < t.tid))))"
            }
            CustomerSort::Name => {
                "(name < t.n COLLATE NOCASE OR (name = t.n COLLATE NOCASE AND id < t.tid))"
            }
            CustomerSort::Recent => "(last_activity > t.a OR (last_activity = t.a AND id > t.tid))",
        };
        let search = Search::of(&q.search);
        let cond = search.condition();
        let sql = format!(
            "WITH t AS (SELECT id AS tid, balance_cents AS b, name AS n, last_activity AS a FROM customers \
             WHERE id = :id AND {cond}) \
             SELECT (SELECT count(*) FROM customers, t WHERE {cond} AND {before}) FROM t"
        );
        let params = search.params(vec![(":id", &id.0)]);
        let pos: Option<i64> = self
            .conn
            .query_row(&sql, params.as_slice(), |r| r.get(0))
            .optional()?;
        Ok(pos.map(|p| p as usize))
    }

    /// Another customer already using this email (case-insensitive).
    pub fn customer_with_email(
        &self,
        email: &str,
        except: Option<CustomerId>,
    ) -> Result<Option<(CustomerId, String)>> {
        Ok(self
            .conn
            .query_row(
                "SELECT id, name FROM customers WHERE email = ?1 COLLATE NOCASE AND id IS NOT ?2 ORDER BY id LIMIT 1",
                params![email, except.map(|c| c.0)],
                |r| Ok((CustomerId(r.get(0)?), r.get(1)?)),
            )
            .optional()?)
    }

    /// Another customer whose name is the same but for case and punctuation.
    pub fn customer_with_similar_name(
        &self,
        name: &str,
        except: Option<CustomerId>,
    ) -> Result<Option<(CustomerId, String)>> {
        Ok(self
            .conn
            .query_row(
                "SELECT id, name FROM customers WHERE name_key = ?1 AND id IS NOT ?2 ORDER BY id LIMIT 1",
                params![name_key(name), except.map(|c| c.0)],
                |r| Ok((CustomerId(r.get(0)?), r.get(1)?)),
            )
            .optional()?)
    }

    /// A window of a parent's sub-clients, by name (the parent index
    /// finds them).
    pub fn sub_clients(
        &self,
        parent: CustomerId,
        offset: usize,
        limit: usize,
    ) -> Result<Vec<Customer>> {
        let sql = format!(
            "SELECT {COLS} FROM customers WHERE parent_id = ?1 ORDER BY name COLLATE NOCASE, id \
             LIMIT ?2 OFFSET ?3"
        );
        let mut stmt = self.conn.prepare_cached(&sql)?;
        let limit = i64::try_from(limit).unwrap_or(i64::MAX);
        let rows = stmt.query_map(params![parent.0, limit, offset as i64], |r| {
            self.customer_from(r)
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// How many sub-clients a parent has and the sum of their balances.
    pub fn sub_client_totals(&self, parent: CustomerId) -> Result<(usize, Decimal)> {
        let (n, cents): (i64, i64) = self.conn.query_row(
            "SELECT count(*), COALESCE(SUM(balance_cents), 0) FROM customers WHERE parent_id = ?1",
            [parent.0],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )?;
        Ok((n as usize, self.money(cents)))
    }

    /// True if `ancestor` is `id` or one of its parents (to refuse cycles).
    pub fn is_ancestor_or_self(&self, ancestor: CustomerId, id: CustomerId) -> Result<bool> {
        Ok(self.conn.query_row(
            "WITH RECURSIVE up(id) AS (SELECT ?2 UNION SELECT c.parent_id FROM customers c JOIN up ON c.id = up.id WHERE c.parent_id IS NOT NULL) \
             SELECT EXISTS (SELECT 1 FROM up WHERE id = ?1)",
            params![ancestor.0, id.0],
            |r| r.get(0),
        )?)
    }
}

impl Tx<'_> {
    pub fn insert_customer(
        &self,
        d: &CustomerDetails,
        source: &str,
        now: DateTime<Utc>,
    ) -> Result<CustomerId> {
        self.tx.prepare_cached(
            "INSERT INTO customers (name, name_key, email, phone, address, tax_id, legal_name, notes, \
             parent_id, bill_to_parent, invoices_paused, portal_delivery, billing_cycle, source, \
             last_activity, created_at, payment_terms_days) \
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?15, ?16)"
        )?.execute(
            params![
                d.name,
                name_key(&d.name),
                d.email,
                d.phone,
                d.address,
                d.tax_id,
                d.legal_name,
                d.notes,
                d.parent_id.map(|p| p.0),
                d.bill_to_parent,
                d.invoices_paused,
                d.portal_delivery,
                d.billing_cycle.as_str(),
                source,
                ts(now),
                d.payment_terms_days,
            ],
        )?;
        Ok(CustomerId(self.tx.last_insert_rowid()))
    }

    pub fn update_customer(
        &self,
        id: CustomerId,
        d: &CustomerDetails,
        now: DateTime<Utc>,
    ) -> Result<()> {
        self.tx.execute(
            "UPDATE customers SET name = ?2, name_key = ?3, email = ?4, phone = ?5, address = ?6, \
             tax_id = ?7, legal_name = ?8, notes = ?9, parent_id = ?10, bill_to_parent = ?11, \
             invoices_paused = ?12, portal_delivery = ?13, billing_cycle = ?14, last_activity = ?15, \
             payment_terms_days = ?16 WHERE id = ?1",
            params![
                id.0,
                d.name,
                name_key(&d.name),
                d.email,
                d.phone,
                d.address,
                d.tax_id,
                d.legal_name,
                d.notes,
                d.parent_id.map(|p| p.0),
                d.bill_to_parent,
                d.invoices_paused,
                d.portal_delivery,
                d.billing_cycle.as_str(),
                ts(now),
                d.payment_terms_days,
            ],
        )?;
        Ok(())
    }

    /// Moves the maintained balance by `delta` and stamps activity. Called only
    /// by the entry writers, in the same transaction as the entry change.
    pub(super) fn adjust_balance(
        &self,
        id: CustomerId,
        delta: Decimal,
        now: DateTime<Utc>,
    ) -> Result<()> {
        self.adjust_balances(std::iter::once((id, delta)), now)
    }

    /// Moves each customer's balance by its delta, refusing (and so
    /// rolling back) any that would pass the balance limit.
    pub(super) fn adjust_balances(
        &self,
        moves: impl Iterator<Item = (CustomerId, Decimal)>,
        now: DateTime<Utc>,
    ) -> Result<()> {
        let mut stmt = self.tx.prepare_cached(
            "UPDATE customers SET balance_cents = balance_cents + ?2, last_activity = ?3 \
             WHERE id = ?1 AND abs(balance_cents + ?2) <= ?4",
        )?;
        let at = ts(now);
        for (id, delta) in moves {
            let n = stmt.execute(params![id.0, self.minor(delta)?, at, BALANCE_LIMIT_MINOR])?;
            if n == 0 {
                let limit = self.cur.display(self.cur.from_minor(BALANCE_LIMIT_MINOR));
                return Err(StoreError::BalanceLimit(limit));
            }
        }
        Ok(())
    }
}
