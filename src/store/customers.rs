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

/// What [`Reads::list_page`] read.
#[derive(Debug, Clone, PartialEq)]
pub struct ListRead {
    pub rows: Vec<Customer>,
    pub count: Option<usize>,
    /// Where the customer asked about stands, if the list shows them.
    pub position: Option<usize>,
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

/// The book totals in halves (see `book_totals`), summed from every
/// balance.
pub(super) const TOTALS_SUMMED: &str = "SELECT \
    COALESCE(SUM(CASE WHEN balance_cents < 0 THEN (-balance_cents) >> 32 END), 0), \
    COALESCE(SUM(CASE WHEN balance_cents < 0 THEN (-balance_cents) & 4294967295 END), 0), \
    COALESCE(SUM(CASE WHEN balance_cents > 0 THEN balance_cents >> 32 END), 0), \
    COALESCE(SUM(CASE WHEN balance_cents > 0 THEN balance_cents & 4294967295 END), 0), \
    count(*) FROM customers";

/// Pages from this offset on may be read from the end of the list.
const TAIL_FROM: usize = 64;

/// A search is dense when at least one customer in this many matches.
const DENSE: usize = 16;

/// A set of customer ids, one bit each.
#[derive(Default)]
struct IdSet {
    bits: Vec<u64>,
    len: i64,
}

impl IdSet {
    fn insert(&mut self, id: i64) {
        let Ok(i) = usize::try_from(id) else { return };
        if self.bits.len() <= i / 64 {
            self.bits.resize(i / 64 + 1, 0);
        }
        if self.bits[i / 64] & (1 << (i % 64)) == 0 {
            self.bits[i / 64] |= 1 << (i % 64);
            self.len += 1;
        }
    }

    fn contains(&self, id: i64) -> bool {
        usize::try_from(id)
            .ok()
            .and_then(|i| self.bits.get(i / 64).map(|w| w & (1 << (i % 64)) != 0))
            .unwrap_or(false)
    }
}

/// The ORDER BY of each sort, matching its index.
fn order_by(sort: CustomerSort) -> &'static str {
    match sort {
        CustomerSort::Balance => "balance_cents, name COLLATE NOCASE, id",
        CustomerSort::Name => "name COLLATE NOCASE, id",
        CustomerSort::Recent => "last_activity DESC, id DESC",
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
        let search = Search::of(&q.search);
        if let Search::Index(pat) = &search
            && let Some(matches) = self.dense_matches(pat)?
        {
            return self.walk_page(q, &matches);
        }
        // A page past the middle of the whole list (End, a long scroll) is
        // read from the far end: OFFSET walks every row it skips.
        if let Search::All = search
            && q.offset >= TAIL_FROM
        {
            let total = self.count_customers(&None)? as usize;
            if q.offset.saturating_mul(2) > total {
                return self.tail_page(q, total);
            }
        }
        self.customers_by_sql(q)
    }

    /// [`Reads::customers`] of the whole list, read backwards from its end.
    fn tail_page(&self, q: &CustomerQuery, total: usize) -> Result<Vec<Customer>> {
        let end = q.offset.saturating_add(q.limit).min(total);
        if q.offset >= end {
            return Ok(Vec::new());
        }
        let reverse = match q.sort {
            CustomerSort::Balance => "balance_cents DESC, name COLLATE NOCASE DESC, id DESC",
            CustomerSort::Name => "name COLLATE NOCASE DESC, id DESC",
            CustomerSort::Recent => "last_activity, id",
        };
        let sql = format!("SELECT {COLS} FROM customers ORDER BY {reverse} LIMIT ?1 OFFSET ?2");
        let mut stmt = self.conn.prepare_cached(&sql)?;
        let (n, skip) = ((end - q.offset) as i64, (total - end) as i64);
        let rows = stmt.query_map([n, skip], |r| self.customer_from(r))?;
        let mut page = rows.collect::<rusqlite::Result<Vec<_>>>()?;
        page.reverse();
        Ok(page)
    }

    /// [`Reads::customers`] as one SQL query, whatever the search.
    fn customers_by_sql(&self, q: &CustomerQuery) -> Result<Vec<Customer>> {
        let order = order_by(q.sort);
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
        let sql = match search {
            // Without a WHERE, SQLite counts from the smallest index's pages.
            Search::All => "SELECT count(*) FROM customers".to_string(),
            // The search index has exactly one row per customer, so its
            // matches are counted without visiting a customer.
            Search::Index(_) => {
                "SELECT count(*) FROM customer_search WHERE customer_search MATCH :pat".to_string()
            }
            Search::Like(_) => format!(
                "SELECT count(*) FROM customers WHERE {}",
                search.condition()
            ),
        };
        let params = search.params(vec![]);
        Ok(self.conn.query_row(&sql, params.as_slice(), |r| r.get(0))?)
    }

    /// Book-wide totals, as kept by triggers (migration 12): one row read.
    pub fn totals(&self) -> Result<Totals> {
        let halves = self
            .conn
            .prepare_cached(
                "SELECT owed_high, owed_low, credit_high, credit_low, customers FROM book_totals",
            )?
            .query_row([], |r| {
                Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?))
            })?;
        Ok(self.joined(halves))
    }

    /// Book-wide totals summed from every balance, as [`Reads::totals`]
    /// keeps them: what `tally check` holds the kept row against.
    /// Each balance is summed as `high × 2³² + low`: sums that cannot
    /// overflow for any realistic number of customers, joined in 128 bits.
    pub fn summed_totals(&self) -> Result<Totals> {
        let halves = self.conn.query_row(TOTALS_SUMMED, [], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?))
        })?;
        Ok(self.joined(halves))
    }

    fn joined(&self, (oh, ol, ch, cl, customers): (i64, i64, i64, i64, i64)) -> Totals {
        let join = |high: i64, low: i64| -> Decimal {
            let minor = ((high as i128) << 32) + low as i128;
            Decimal::from_i128_with_scale(minor, self.cur.decimals)
        };
        Totals {
            owed: join(oh, ol),
            credit: join(ch, cl),
            customers,
        }
    }

    /// One load of the customer list: the page `q` names and, when asked,
    /// how many rows the list has and where `keep` stands in it. A search
    /// that matches many customers finds them once for all three.
    pub fn list_page(
        &self,
        q: &CustomerQuery,
        count: bool,
        keep: Option<CustomerId>,
    ) -> Result<ListRead> {
        if let Search::Index(pat) = Search::of(&q.search)
            && let Some(matches) = self.dense_matches(&pat)?
        {
            let position = match keep {
                Some(id) => self.walk_position(id, q.sort, &matches)?,
                None => None,
            };
            return Ok(ListRead {
                rows: self.walk_page(q, &matches)?,
                count: count.then_some(matches.len as usize),
                position,
            });
        }
        let position = match keep {
            Some(id) => self.position_of(id, q)?,
            None => None,
        };
        let count = match count {
            true => Some(self.count_customers(&q.search)? as usize),
            false => None,
        };
        Ok(ListRead {
            rows: self.customers(q)?,
            count,
            position,
        })
    }

    /// The customers a trigram search matches, when they are so many that
    /// walking the sort index finds a page of them within a few rows:
    /// then nothing sorts every match to show one screen of them.
    fn dense_matches(&self, pat: &str) -> Result<Option<IdSet>> {
        let total = self.count_customers(&None)?;
        let mut stmt = self
            .conn
            .prepare_cached("SELECT rowid FROM customer_search WHERE customer_search MATCH ?1")?;
        let mut set = IdSet::default();
        let mut rows = stmt.query([pat])?;
        while let Some(r) = rows.next()? {
            set.insert(r.get(0)?);
        }
        Ok((set.len * DENSE as i64 >= total).then_some(set))
    }

    /// The page of `q` among the `matches`, walking its sort index.
    fn walk_page(&self, q: &CustomerQuery, matches: &IdSet) -> Result<Vec<Customer>> {
        let sql = format!("SELECT id FROM customers ORDER BY {}", order_by(q.sort));
        let mut stmt = self.conn.prepare_cached(&sql)?;
        let mut rows = stmt.query([])?;
        let (mut skipped, mut page) = (0, Vec::new());
        while page.len() < q.limit
            && let Some(r) = rows.next()?
        {
            let id: i64 = r.get(0)?;
            if !matches.contains(id) {
                continue;
            }
            if skipped < q.offset {
                skipped += 1;
            } else {
                page.push(id);
            }
        }
        drop(rows);
        let mut out = Vec::with_capacity(page.len());
        for id in page {
            out.extend(self.customer(CustomerId(id))?);
        }
        Ok(out)
    }

    /// Where `id` stands among the `matches` in `sort`'s order.
    fn walk_position(
        &self,
        id: CustomerId,
        sort: CustomerSort,
        matches: &IdSet,
    ) -> Result<Option<usize>> {
        if !matches.contains(id.0) {
            return Ok(None);
        }
        let sql = format!("SELECT id FROM customers ORDER BY {}", order_by(sort));
        let mut stmt = self.conn.prepare_cached(&sql)?;
        let mut rows = stmt.query([])?;
        let mut before = 0;
        while let Some(r) = rows.next()? {
            let this: i64 = r.get(0)?;
            if this == id.0 {
                return Ok(Some(before));
            }
            before += usize::from(matches.contains(this));
        }
        Ok(None)
    }

    /// Where `id` stands in the list `q` describes (0-based), or `None` if
    /// the search hides it. Counts the rows before it through the index, so a
    /// screen can keep its selection on a customer after the list re-sorts.
    pub fn position_of(&self, id: CustomerId, q: &CustomerQuery) -> Result<Option<usize>> {
        // Row values, so SQLite seeks the sort index to the customer and
        // counts the rows before it (an OR chain planned a full scan).
        let before = match q.sort {
            CustomerSort::Balance => "(balance_cents, name COLLATE NOCASE, id) < (t.b, t.n, t.tid)",
            CustomerSort::Name => "(name COLLATE NOCASE, id) < (t.n, t.tid)",
            CustomerSort::Recent => "(last_activity, id) > (t.a, t.tid)",
        };
        let search = Search::of(&q.search);
        if let Search::Index(pat) = &search
            && let Some(matches) = self.dense_matches(pat)?
        {
            return self.walk_position(id, q.sort, &matches);
        }
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::Currency;
    use crate::store::Store;

    /// 60 customers: every email matches "exa" (dense), few names match
    /// "ann" (sparse); balances and activity in a scrambled order.
    fn book() -> Store {
        let mut store = Store::open_in_memory(&Currency::default()).unwrap();
        store
            .write(|tx| {
                for i in 0..60i64 {
                    let d = CustomerDetails {
                        name: format!("{} {i}", ["Ann", "bob", "Cy", "dee"][i as usize % 4]),
                        email: Some(format!("c{i}@example.com")),
                        ..Default::default()
                    };
                    let at = DateTime::from_timestamp(1_700_000_000 + (i * 37 % 11), 0).unwrap();
                    let id = tx.insert_customer(&d, "test", at)?;
                    tx.adjust_balance(id, Decimal::new((i * 7919) % 23 - 11, 0), at)?;
                }
                Ok::<_, StoreError>(())
            })
            .unwrap();
        store
    }

    #[test]
    fn pages_read_from_the_end_are_the_pages_read_from_the_start() {
        let mut store = Store::open_in_memory(&Currency::default()).unwrap();
        store
            .write(|tx| {
                for i in 0..300i64 {
                    let d = CustomerDetails {
                        // Repeated names and balances: ties broken by id.
                        name: format!("{} {}", ["ann", "Bob", "cy"][i as usize % 3], i % 7),
                        ..Default::default()
                    };
                    let at = DateTime::from_timestamp(1_700_000_000 + (i * 13 % 5), 0).unwrap();
                    let id = tx.insert_customer(&d, "test", at)?;
                    tx.adjust_balance(id, Decimal::new(i * 31 % 9, 0), at)?;
                }
                Ok::<_, StoreError>(())
            })
            .unwrap();
        let r = store.reads();
        let ids = |v: Vec<Customer>| v.into_iter().map(|c| c.id).collect::<Vec<_>>();
        for sort in [
            CustomerSort::Balance,
            CustomerSort::Name,
            CustomerSort::Recent,
        ] {
            for offset in (0..=310).step_by(7) {
                for limit in [1, 11, 36] {
                    let q = CustomerQuery {
                        sort,
                        search: None,
                        offset,
                        limit,
                    };
                    assert_eq!(
                        ids(r.customers(&q).unwrap()),
                        ids(r.customers_by_sql(&q).unwrap()),
                        "{sort:?} {offset}+{limit}"
                    );
                }
            }
        }
    }

    #[test]
    fn a_dense_search_pages_exactly_as_the_query_would() {
        let store = book();
        let r = store.reads();
        for pat in ["exa", "EXAMPLE", "ann", "c1", "1@E"] {
            for sort in [
                CustomerSort::Balance,
                CustomerSort::Name,
                CustomerSort::Recent,
            ] {
                let all = CustomerQuery {
                    sort,
                    search: Some(pat.into()),
                    offset: 0,
                    limit: 1000,
                };
                let every = r.customers_by_sql(&all).unwrap();
                // The command line asks for everything at once.
                let unbounded = CustomerQuery {
                    limit: usize::MAX,
                    ..all.clone()
                };
                assert_eq!(r.customers(&unbounded).unwrap(), every, "{pat} {sort:?}");
                let count = r.count_customers(&all.search).unwrap();
                assert_eq!(count as usize, every.len(), "{pat}");
                for offset in (0..=every.len()).step_by(5) {
                    let q = CustomerQuery {
                        offset,
                        limit: 7,
                        ..all.clone()
                    };
                    let ids = |v: Vec<Customer>| v.into_iter().map(|c| c.id).collect::<Vec<_>>();
                    assert_eq!(
                        ids(r.customers(&q).unwrap()),
                        ids(r.customers_by_sql(&q).unwrap()),
                        "{pat} {sort:?} from {offset}"
                    );
                }
                for id in 1..=60 {
                    let at = every.iter().position(|e| e.id.0 == id);
                    let got = r.position_of(CustomerId(id), &all).unwrap();
                    assert_eq!(got, at, "{pat} {sort:?} #{id}");
                    let read = r.list_page(&all, true, Some(CustomerId(id))).unwrap();
                    assert_eq!(read.position, at, "{pat} {sort:?} #{id}");
                    assert_eq!(
                        (read.rows.len(), read.count),
                        (every.len(), Some(every.len()))
                    );
                }
            }
        }
        assert!(r.dense_matches("\"exa\"").unwrap().is_some());
        assert!(r.dense_matches("\"1@e\"").unwrap().is_some(), "6 of 60");
        assert!(r.dense_matches("\"ann 1\"").unwrap().is_none());
    }
}
