//! Customer rows: insert, update, lookups, and the paged, indexed list every
//! screen draws from.
//!
//! The list never reads more than a screen and a little: a search counts
//! its matches only up to [`COUNT_CAP`] unless asked for all; a page is
//! read by seeking the sort index (from either end, or outwards from a
//! customer to keep in view); where a customer stands is counted only when
//! asked. Every key comparison is one seek per key column, never a row
//! value (see [`key_ranges`]).

use chrono::{DateTime, Utc};
use rusqlite::{OptionalExtension, Row, ToSql, params};
use rust_decimal::Decimal;

use super::{Reads, Result, StoreError, Tx, guard, parse_ts, ts};
use crate::domain::customer::{
    BillingCycle, Customer, CustomerDetails, CustomerId, CustomerSort, name_key,
};

const COLS: &str = "id, name, email, phone, address, tax_id, legal_name, notes, parent_id, \
    bill_to_parent, invoices_paused, portal_delivery, billing_cycle, source, balance_cents, \
    last_activity, created_at, payment_terms_days, archived";

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

/// The customer a list load keeps in view.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Keep {
    pub id: CustomerId,
    /// The screen row they are on, to keep them there; `None`: move the
    /// window no more than it takes to show them.
    pub row: Option<usize>,
    /// Count where they stand. Without it (and with a `row`), the page is
    /// read around them and nothing before them is counted: the load then
    /// costs the same wherever they stand, and where they stand is left
    /// for later ([`ListRead::anchored`]).
    pub locate: bool,
}

/// What [`Reads::list_page`] read.
#[derive(Debug, Clone, PartialEq)]
pub struct ListRead {
    pub rows: Vec<Customer>,
    pub count: Option<ListCount>,
    /// Where the customer asked about stands, if the list shows them.
    pub position: Option<usize>,
    /// Where `rows` start: moved from the query's offset to show `position`.
    pub offset: usize,
    /// The kept customer's index in `rows`, when they were read around
    /// without counting where they stand (`position` is then `None`, and
    /// `offset` is only the query's).
    pub anchored: Option<usize>,
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

/// How a search is asked of SQLite: nothing to filter, a LIKE scan (one or
/// two characters, which the trigram index cannot answer, or a match too
/// broad to list by id), the trigram index, or the ids it found.
enum Search {
    All,
    Like(String),
    Index(String),
    /// A JSON array of the few customers that match.
    Ids(String),
}

impl Search {
    fn of(q: &Option<String>) -> Search {
        let Some(s) = q.as_deref().map(str::trim).filter(|s| !s.is_empty()) else {
            return Search::All;
        };
        if s.chars().count() >= 3 {
            Search::Index(format!("\"{}\"", s.replace('"', "\"\"")))
        } else {
            Search::like(s)
        }
    }

    fn like(s: &str) -> Search {
        let escaped = s
            .replace('\\', "\\\\")
            .replace('%', "\\%")
            .replace('_', "\\_");
        Search::Like(format!("%{escaped}%"))
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
            Search::Ids(_) => "id IN (SELECT value FROM json_each(:pat))",
        }
    }

    /// `params` plus `:pat` when the condition uses it.
    fn params<'a>(
        &'a self,
        mut params: Vec<(&'a str, &'a dyn ToSql)>,
    ) -> Vec<(&'a str, &'a dyn ToSql)> {
        if let Search::Like(p) | Search::Index(p) | Search::Ids(p) = self {
            params.push((":pat", p));
        }
        params
    }
}

/// How many customers a list holds, as far as it was counted.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ListCount {
    /// Rows known to exist: all of them when `exact`, else a lower bound.
    pub rows: usize,
    pub exact: bool,
}

/// How far a list load counts its rows.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Counting {
    /// Up to [`COUNT_CAP`]: as cheap as the page, so a keystroke can afford it.
    Capped,
    /// Every row, however many (End, or scrolling past the cap).
    Exact,
}

/// A search counts its matches up to this many on the keystroke path; a
/// broader one shows "1,000+" until the owner scrolls that far.
pub const COUNT_CAP: usize = 1000;

/// A search, once it is known whether its matches are few or many.
struct Found {
    search: Search,
    /// `None` when nothing is filtered.
    count: Option<ListCount>,
}

/// The book totals in halves (see `book_totals`), summed from every
/// balance.
pub(super) const TOTALS_SUMMED: &str = "SELECT \
    COALESCE(SUM(CASE WHEN balance_cents < 0 THEN (-balance_cents) >> 32 END), 0), \
    COALESCE(SUM(CASE WHEN balance_cents < 0 THEN (-balance_cents) & 4294967295 END), 0), \
    COALESCE(SUM(CASE WHEN balance_cents > 0 THEN balance_cents >> 32 END), 0), \
    COALESCE(SUM(CASE WHEN balance_cents > 0 THEN balance_cents & 4294967295 END), 0), \
    count(*) FROM customers";

/// An archived customer with nothing owed either way: left out of every
/// list (migration 15). Few, and found through their own partial index,
/// so counts subtract them instead of reading every row to test it.
const HIDDEN: &str = "(archived = 1 AND balance_cents = 0)";

/// The rows every list keeps: tested by id against the few hidden ones
/// (read once per statement), so a page read along a sort index still
/// needs no table row to skip one.
const VISIBLE: &str = "id NOT IN (SELECT id FROM customers INDEXED BY customers_hidden \
     WHERE archived = 1 AND balance_cents = 0)";

/// How many of the customers `cond` keeps (with `t` in scope when
/// `with_t`) are hidden, through the partial index of hidden ones.
fn hidden_count(cond: &str, extra: &str) -> String {
    format!(
        "(SELECT count(*) FROM customers INDEXED BY customers_hidden{} \
         WHERE archived = 1 AND balance_cents = 0 AND {cond}{extra})",
        if extra.is_empty() { "" } else { ", t" }
    )
}

/// Pages from this offset on may be read from the end of the list.
const TAIL_FROM: usize = 64;

/// The ORDER BY of each sort, matching its index.
fn order_by(sort: CustomerSort) -> &'static str {
    match sort {
        CustomerSort::Balance => "balance_cents, name COLLATE NOCASE, id",
        CustomerSort::Name => "name COLLATE NOCASE, id",
        CustomerSort::Recent => "last_activity DESC, id DESC",
    }
}

/// [`order_by`] backwards, for reading up the index.
fn reverse_order_by(sort: CustomerSort) -> &'static str {
    match sort {
        CustomerSort::Balance => "balance_cents DESC, name COLLATE NOCASE DESC, id DESC",
        CustomerSort::Name => "name COLLATE NOCASE DESC, id DESC",
        CustomerSort::Recent => "last_activity, id",
    }
}

/// A CTE body naming customer `:id`'s sort keys `t.b`, `t.n`, `t.a`, `t.tid`.
const SORT_KEY_OF_ID: &str = "SELECT id AS tid, balance_cents AS b, name AS n, \
    last_activity AS a FROM customers WHERE id = :id";

/// Which side of a customer a keyset read takes.
#[derive(Clone, Copy)]
enum Side {
    /// The rows before the customer in the list's order.
    Before,
    /// The customer and the rows after it.
    From,
}

/// The rows on `side` of the customer in `t` (see [`SORT_KEY_OF_ID`]) in
/// `sort`'s order, as disjoint conditions, those nearest the customer
/// first. A row-value comparison would say it in one, but SQLite seeks
/// only the leading column with it (none at all past `COLLATE NOCASE`),
/// then tests every row after: with many equal balances or activity
/// times that is most of the list. Each of these seeks the sort index on
/// an equal prefix and one range.
fn key_ranges(sort: CustomerSort, side: Side) -> Vec<String> {
    let (cols, descending): (&[(&str, &str)], bool) = match sort {
        CustomerSort::Balance => (
            &[
                ("balance_cents", "t.b"),
                ("name COLLATE NOCASE", "t.n"),
                ("id", "t.tid"),
            ],
            false,
        ),
        CustomerSort::Name => (&[("name COLLATE NOCASE", "t.n"), ("id", "t.tid")], false),
        CustomerSort::Recent => (&[("last_activity", "t.a"), ("id", "t.tid")], true),
    };
    let (before, after) = if descending { (">", "<") } else { ("<", ">") };
    (0..cols.len())
        .rev()
        .map(|j| {
            let op = match side {
                Side::Before => before,
                Side::From if j + 1 < cols.len() => after,
                Side::From if descending => "<=",
                Side::From => ">=",
            };
            let mut parts: Vec<String> = cols[..j]
                .iter()
                .map(|(c, v)| format!("{c} = {v}"))
                .collect();
            parts.push(format!("{} {op} {}", cols[j].0, cols[j].1));
            parts.join(" AND ")
        })
        .collect()
}

/// The offset of a `limit`-row window that shows row `at`, moving the one
/// at `offset` no more than it must (as the screen's window does).
fn showing(at: usize, offset: usize, limit: usize) -> usize {
    if at < offset {
        at
    } else if at >= offset + limit.max(1) {
        at + 1 - limit.max(1)
    } else {
        offset
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
            archived: r.get(18)?,
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

    /// The customers every list leaves out (archived, owing nothing), by name.
    pub fn archived_customers(&self) -> Result<Vec<Customer>> {
        let sql = format!(
            "SELECT {COLS} FROM customers INDEXED BY customers_hidden WHERE {HIDDEN} \
             ORDER BY name COLLATE NOCASE, id"
        );
        let mut stmt = self.conn.prepare_cached(&sql)?;
        let rows = stmt.query_map([], |r| self.customer_from(r))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// One page of customers, read through the index that matches `sort`.
    pub fn customers(&self, q: &CustomerQuery) -> Result<Vec<Customer>> {
        let found = self.found(&q.search, COUNT_CAP)?;
        self.page(q, &found.search)
    }

    /// The page `q` names among the customers `search` keeps.
    fn page(&self, q: &CustomerQuery, search: &Search) -> Result<Vec<Customer>> {
        // A page past the middle of the whole list (End, a long scroll) is
        // read from the far end: OFFSET walks every row it skips.
        if let Search::All = search
            && q.offset >= TAIL_FROM
        {
            let total = self.count_all()?;
            if q.offset.saturating_mul(2) > total {
                return self.tail_page(q, total);
            }
        }
        self.customers_where(q, search)
    }

    /// [`Reads::customers`] of the whole list, read backwards from its end.
    fn tail_page(&self, q: &CustomerQuery, total: usize) -> Result<Vec<Customer>> {
        let end = q.offset.saturating_add(q.limit).min(total);
        if q.offset >= end {
            return Ok(Vec::new());
        }
        let sql = format!(
            "SELECT {COLS} FROM customers WHERE {VISIBLE} ORDER BY {} LIMIT ?1 OFFSET ?2",
            reverse_order_by(q.sort)
        );
        let mut stmt = self.conn.prepare_cached(&sql)?;
        let (n, skip) = ((end - q.offset) as i64, (total - end) as i64);
        let rows = stmt.query_map([n, skip], |r| self.customer_from(r))?;
        let mut page = rows.collect::<rusqlite::Result<Vec<_>>>()?;
        page.reverse();
        Ok(page)
    }

    /// The page `q` names as one SQL query over the rows `search` keeps.
    fn customers_where(&self, q: &CustomerQuery, search: &Search) -> Result<Vec<Customer>> {
        let sql = format!(
            "SELECT {COLS} FROM customers WHERE {} AND {VISIBLE} ORDER BY {} \
             LIMIT :limit OFFSET :offset",
            search.condition(),
            order_by(q.sort)
        );
        let mut stmt = self.conn.prepare_cached(&sql)?;
        let limit = i64::try_from(q.limit).unwrap_or(i64::MAX);
        let offset = q.offset as i64;
        let params = search.params(vec![(":limit", &limit), (":offset", &offset)]);
        let rows = stmt.query_map(params.as_slice(), |r| self.customer_from(r))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Whether a search's matches are few (then named by id, so a page
    /// sorts no more than `cap` rows) or many (then read along the sort
    /// index with LIKE, which finds a page of them within a few rows).
    /// Reads at most `cap + 1` matches either way.
    fn found(&self, text: &Option<String>, cap: usize) -> Result<Found> {
        let search = Search::of(text);
        let sql = match &search {
            Search::All | Search::Ids(_) => {
                return Ok(Found {
                    search,
                    count: None,
                });
            }
            Search::Like(_) => format!(
                "SELECT id FROM customers WHERE {} AND {VISIBLE} LIMIT :cap",
                search.condition()
            ),
            Search::Index(_) => format!(
                "SELECT rowid FROM customer_search WHERE customer_search MATCH :pat \
                 AND rowid NOT IN (SELECT id FROM customers INDEXED BY customers_hidden \
                 WHERE {HIDDEN}) LIMIT :cap"
            ),
        };
        let limit = i64::try_from(cap).map_or(i64::MAX, |c| c.saturating_add(1));
        let params = search.params(vec![(":cap", &limit)]);
        let mut stmt = self.conn.prepare_cached(&sql)?;
        let ids = stmt
            .query_map(params.as_slice(), |r| r.get::<_, i64>(0))?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        let rows = ids.len();
        if rows > cap {
            let text = text.as_deref().map(str::trim).unwrap_or_default();
            return Ok(Found {
                search: Search::like(text),
                count: Some(ListCount { rows, exact: false }),
            });
        }
        let json = ids.iter().map(i64::to_string).collect::<Vec<_>>().join(",");
        Ok(Found {
            search: Search::Ids(format!("[{json}]")),
            count: Some(ListCount { rows, exact: true }),
        })
    }

    /// Every customer (SQLite counts from the smallest index's pages).
    fn count_all(&self) -> Result<usize> {
        let n: i64 = self
            .conn
            .prepare_cached(&format!(
                "SELECT (SELECT count(*) FROM customers) - {}",
                hidden_count("1", "")
            ))?
            .query_row([], |r| r.get(0))?;
        Ok(n as usize)
    }

    fn count_where(&self, search: &Search) -> Result<usize> {
        let cond = search.condition();
        let sql = format!(
            "SELECT (SELECT count(*) FROM customers WHERE {cond}) - {}",
            hidden_count(cond, "")
        );
        let params = search.params(vec![]);
        let n: i64 = self.conn.query_row(&sql, params.as_slice(), |r| r.get(0))?;
        Ok(n as usize)
    }

    /// How many customers a search matches, exactly.
    pub fn count_customers(&self, search: &Option<String>) -> Result<i64> {
        let found = self.found(search, COUNT_CAP)?;
        let n = match found.count {
            None => self.count_all()?,
            Some(c) if c.exact => c.rows,
            Some(_) => self.count_where(&found.search)?,
        };
        Ok(n as i64)
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
    /// how many rows the list has and where `keep` stands in it. When `keep`
    /// is in the list, the page is the one that shows it, read outwards
    /// from its row by keyset, never an OFFSET walk; see [`Keep`] for
    /// when where they stand is counted.
    pub fn list_page(
        &self,
        q: &CustomerQuery,
        counting: Option<Counting>,
        keep: Option<Keep>,
    ) -> Result<ListRead> {
        self.list_page_capped(q, counting, keep, COUNT_CAP)
    }

    fn list_page_capped(
        &self,
        q: &CustomerQuery,
        counting: Option<Counting>,
        keep: Option<Keep>,
        cap: usize,
    ) -> Result<ListRead> {
        let found = self.found(&q.search, cap)?;
        let count = match (counting, found.count) {
            (None, _) => None,
            (Some(_), None) => Some(ListCount {
                rows: self.count_all()?,
                exact: true,
            }),
            (Some(Counting::Exact), Some(c)) if !c.exact => Some(ListCount {
                rows: self.count_where(&found.search)?,
                exact: true,
            }),
            (Some(_), Some(c)) => Some(c),
        };
        if let Some(Keep {
            id,
            row: Some(row),
            locate: false,
        }) = keep
        {
            return self.anchored_page(q, id, row, count, &found.search);
        }
        let position = match keep {
            Some(k) => self.position_in(k.id, q.sort, &found.search)?,
            None => None,
        };
        let (offset, rows) = match (keep, position) {
            (Some(k), Some(at)) => {
                let offset = match k.row {
                    Some(row) => at.saturating_sub(row.min(q.limit.saturating_sub(1))),
                    None => showing(at, q.offset, q.limit),
                };
                let q = CustomerQuery {
                    offset,
                    ..q.clone()
                };
                (offset, self.page_around(k.id, at, &q, &found.search)?)
            }
            _ => (q.offset, self.page(q, &found.search)?),
        };
        Ok(ListRead {
            rows,
            count,
            position,
            offset,
            anchored: None,
        })
    }

    /// The page with customer `id` on screen row `row`, read from their row
    /// both ways, without counting what comes before them. Near the end of
    /// the list more rows come from above, so the screen stays full; when
    /// the rows above run out, they are at the top and their place is known
    /// after all.
    fn anchored_page(
        &self,
        q: &CustomerQuery,
        id: CustomerId,
        row: usize,
        count: Option<ListCount>,
        search: &Search,
    ) -> Result<ListRead> {
        let row = row.min(q.limit.saturating_sub(1));
        let after = self.read_side(id, q.sort, Side::From, q.limit - row, search)?;
        if after.first().map(|c| c.id) != Some(id) {
            // Not in this list (the search hides them): the page as asked.
            return Ok(ListRead {
                rows: self.page(q, search)?,
                count,
                position: None,
                offset: q.offset,
                anchored: None,
            });
        }
        let wanted = q.limit - after.len();
        let mut rows = self.read_side(id, q.sort, Side::Before, wanted, search)?;
        let before = rows.len();
        rows.reverse();
        rows.extend(after);
        let (position, offset, anchored) = match before < wanted {
            true => (Some(before), 0, None),
            false => (None, q.offset, Some(before)),
        };
        Ok(ListRead {
            rows,
            count,
            position,
            offset,
            anchored,
        })
    }

    /// The page `q` names, knowing that customer `id` stands at `at` in
    /// it: the rows before `id` read backwards from it, then `id` and the
    /// rows after it, both seeking the sort index to its row.
    fn page_around(
        &self,
        id: CustomerId,
        at: usize,
        q: &CustomerQuery,
        search: &Search,
    ) -> Result<Vec<Customer>> {
        let before_n = at.saturating_sub(q.offset);
        let from_n = q.limit.saturating_sub(before_n);
        let mut page = self.read_side(id, q.sort, Side::Before, before_n, search)?;
        page.reverse();
        page.extend(self.read_side(id, q.sort, Side::From, from_n, search)?);
        Ok(page)
    }

    /// Up to `n` rows on `side` of customer `id`, nearest first.
    fn read_side(
        &self,
        id: CustomerId,
        sort: CustomerSort,
        side: Side,
        n: usize,
        search: &Search,
    ) -> Result<Vec<Customer>> {
        let order = match side {
            Side::Before => reverse_order_by(sort),
            Side::From => order_by(sort),
        };
        let mut rows = Vec::new();
        for range in key_ranges(sort, side) {
            if rows.len() >= n {
                break;
            }
            let sql = format!(
                "WITH t AS ({SORT_KEY_OF_ID}) SELECT {COLS} FROM customers, t \
                 WHERE {} AND {VISIBLE} AND {range} ORDER BY {order} LIMIT :n",
                search.condition()
            );
            let mut stmt = self.conn.prepare_cached(&sql)?;
            let left = (n - rows.len()) as i64;
            let params = search.params(vec![(":id", &id.0), (":n", &left)]);
            let read = stmt.query_map(params.as_slice(), |r| self.customer_from(r))?;
            for row in read {
                rows.push(row?);
            }
        }
        Ok(rows)
    }

    /// Where `id` stands in the list `q` describes (0-based), or `None` if
    /// the search hides it.
    pub fn position_of(&self, id: CustomerId, q: &CustomerQuery) -> Result<Option<usize>> {
        let found = self.found(&q.search, COUNT_CAP)?;
        self.position_in(id, q.sort, &found.search)
    }

    /// Counts the rows before `id` through the sort index, so a screen can
    /// keep its selection on a customer after the list re-sorts.
    fn position_in(
        &self,
        id: CustomerId,
        sort: CustomerSort,
        search: &Search,
    ) -> Result<Option<usize>> {
        let cond = search.condition();
        let ranges = key_ranges(sort, Side::Before)
            .into_iter()
            .map(|range| {
                format!(
                    "(SELECT count(*) FROM customers, t WHERE {cond} AND {range}) - {}",
                    hidden_count(cond, &format!(" AND {range}"))
                )
            })
            .collect::<Vec<_>>();
        let sql = format!(
            "WITH t AS ({SORT_KEY_OF_ID} AND {cond} AND {VISIBLE}) SELECT {} FROM t",
            ranges.join(" + ")
        );
        let params = search.params(vec![(":id", &id.0)]);
        let pos: Option<i64> = self
            .conn
            .prepare_cached(&sql)?
            .query_row(params.as_slice(), |r| r.get(0))
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

    /// Moves the maintained balance by `delta` and stamps activity, refusing
    /// (and so rolling back) a balance past the limit. Called only by the
    /// entry writers, in the same transaction as the entry change.
    /// Moves everything of customer `from` to `into` and deletes `from`:
    /// entries (and with them balances, kept sums and allocations),
    /// invoices, billed months, timeline, contacts, documents, contracts,
    /// outside ids, sub-clients, and the payment link when `into` has
    /// none (otherwise `from`'s is revoked). One contact stays primary.
    /// The caller has checked the two may be merged, in this transaction.
    pub fn merge_customer(
        &self,
        from: CustomerId,
        into: CustomerId,
        now: DateTime<Utc>,
    ) -> Result<()> {
        let (f, i) = (from.0, into.0);
        let moved: i64 = self.tx.query_row(
            "SELECT balance_cents FROM customers WHERE id = ?1",
            [f],
            |r| r.get(0),
        )?;
        // The primary contact of `into` stays primary.
        self.tx.execute(
            "UPDATE contacts SET is_primary = 0 WHERE customer_id = ?1 \
             AND EXISTS (SELECT 1 FROM contacts WHERE customer_id = ?2 AND is_primary = 1)",
            params![f, i],
        )?;
        self.tx.execute(
            "UPDATE payment_links SET revoked_at = ?3 WHERE customer_id = ?1 AND revoked_at IS NULL \
             AND EXISTS (SELECT 1 FROM payment_links WHERE customer_id = ?2 AND revoked_at IS NULL)",
            params![f, i, ts(now)],
        )?;
        // A month both were billed for stays billed, on `into`'s invoice.
        self.tx.execute(
            "DELETE FROM billed_periods WHERE customer_id = ?1 \
             AND period IN (SELECT period FROM billed_periods WHERE customer_id = ?2)",
            params![f, i],
        )?;
        for table in [
            "entries",
            "invoices",
            "billed_periods",
            "timeline",
            "contacts",
            "documents",
            "contracts",
            "payment_links",
            "outside_ids",
            "outbox",
        ] {
            self.tx.execute(
                &format!("UPDATE {table} SET customer_id = ?2 WHERE customer_id = ?1"),
                params![f, i],
            )?;
        }
        self.tx.execute(
            "UPDATE customers SET parent_id = ?2 WHERE parent_id = ?1",
            params![f, i],
        )?;
        // Its balance moved with its entries: it is `into`'s now.
        self.tx
            .execute("UPDATE customers SET balance_cents = 0 WHERE id = ?1", [f])?;
        let n = self.tx.execute(
            "UPDATE customers SET balance_cents = balance_cents + ?2, \
             last_activity = max(last_activity, ?3) WHERE id = ?1 AND abs(balance_cents + ?2) <= ?4",
            params![i, moved, ts(now), BALANCE_LIMIT_MINOR],
        )?;
        if n == 0 {
            return Err(self.past_balance_limit());
        }
        self.tx
            .execute("DELETE FROM customer_sums WHERE customer_id = ?1", [f])?;
        let n = self
            .tx
            .execute("DELETE FROM customers WHERE id = ?1", [f])?;
        guard(n, || format!("customer {from} is gone"))
    }

    /// Archives (or restores) a customer: hidden from lists and reminders
    /// while their balance is zero.
    pub fn set_archived(&self, id: CustomerId, archived: bool) -> Result<()> {
        let n = self.tx.execute(
            "UPDATE customers SET archived = ?2 WHERE id = ?1",
            params![id.0, archived],
        )?;
        guard(n, || format!("customer {id} is gone"))
    }

    pub(super) fn adjust_balance(
        &self,
        id: CustomerId,
        delta: Decimal,
        now: DateTime<Utc>,
    ) -> Result<()> {
        let n = self
            .tx
            .prepare_cached(
                "UPDATE customers SET balance_cents = balance_cents + ?2, last_activity = ?3 \
                 WHERE id = ?1 AND abs(balance_cents + ?2) <= ?4",
            )?
            .execute(params![
                id.0,
                self.minor(delta)?,
                ts(now),
                BALANCE_LIMIT_MINOR
            ])?;
        if n == 0 {
            return Err(self.past_balance_limit());
        }
        Ok(())
    }

    /// The refusal of a balance past [`BALANCE_LIMIT_MINOR`] (a guarded
    /// update that changed no row).
    pub(super) fn past_balance_limit(&self) -> StoreError {
        StoreError::BalanceLimit(self.cur.display(self.cur.from_minor(BALANCE_LIMIT_MINOR)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::Currency;
    use crate::store::Store;

    /// 60 customers: every email matches "exa" (many), fewer names match
    /// "ann"; balances and activity in a scrambled order, with ties.
    fn book() -> Store {
        let mut store = Store::open_in_memory(&Currency::default()).unwrap();
        store
            .write(|tx| {
                for i in 0..60i64 {
                    let d = CustomerDetails {
                        // Names equal but for case, and repeated: ties in
                        // every sort, broken by id.
                        name: format!("{} {}", ["Ann", "bob", "ann", "dee"][i as usize % 4], i % 9),
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
                        ids(r.customers_where(&q, &Search::All).unwrap()),
                        "{sort:?} {offset}+{limit}"
                    );
                }
            }
        }
    }

    /// A page read around the customer at `at` of `every`, wanted on row 3
    /// of 7, asked at offset 21 (see [`Reads::anchored_page`]).
    fn anchored_as_expected(got: &ListRead, every: &[Customer], at: Option<usize>) {
        let ids = |v: &[Customer]| v.iter().map(|c| c.id).collect::<Vec<_>>();
        let n = every.len();
        let Some(at) = at else {
            assert_eq!((got.position, got.anchored, got.offset), (None, None, 21));
            assert_eq!(ids(&got.rows), ids(&every[21.min(n)..28.min(n)]));
            return;
        };
        let after = (7 - 3).min(n - at);
        let wanted = 7 - after;
        let before = wanted.min(at);
        assert_eq!(
            ids(&got.rows),
            ids(&every[at - before..at + after]),
            "#{at}"
        );
        match before < wanted {
            true => assert_eq!(
                (got.position, got.offset, got.anchored),
                (Some(at), 0, None)
            ),
            false => assert_eq!(
                (got.position, got.offset, got.anchored),
                (None, 21, Some(before))
            ),
        }
    }

    #[test]
    fn a_search_pages_counts_and_keeps_as_the_plain_query_would_few_or_many() {
        let store = book();
        let r = store.reads();
        let ids = |v: &[Customer]| v.iter().map(|c| c.id).collect::<Vec<_>>();
        for pat in ["exa", "EXAMPLE", "ann", "c1", "1@E", "a", "zz", "ann 1"] {
            for sort in [
                CustomerSort::Balance,
                CustomerSort::Name,
                CustomerSort::Recent,
            ] {
                let all = CustomerQuery {
                    sort,
                    search: Some(pat.into()),
                    offset: 0,
                    limit: usize::MAX,
                };
                // The reference: one plain query, trigram index or LIKE.
                let every = r.customers_where(&all, &Search::of(&all.search)).unwrap();
                assert_eq!(r.customers(&all).unwrap(), every, "{pat} {sort:?}");
                let n = every.len();
                assert_eq!(r.count_customers(&all.search).unwrap() as usize, n);
                // A cap of 5 sends the broad searches down the LIKE walk.
                for cap in [COUNT_CAP, 5] {
                    let read = |offset, counting, keep| {
                        let q = CustomerQuery {
                            offset,
                            limit: 7,
                            ..all.clone()
                        };
                        r.list_page_capped(&q, counting, keep, cap).unwrap()
                    };
                    let capped = read(0, Some(Counting::Capped), None).count.unwrap();
                    match n > cap {
                        true => assert_eq!((capped.rows, capped.exact), (cap + 1, false)),
                        false => assert_eq!((capped.rows, capped.exact), (n, true)),
                    }
                    let exact = read(0, Some(Counting::Exact), None).count.unwrap();
                    assert_eq!((exact.rows, exact.exact), (n, true), "{pat} cap {cap}");
                    for offset in (0..=n).step_by(5) {
                        let got = read(offset, None, None);
                        let want = &every[offset.min(n)..(offset + 7).min(n)];
                        assert_eq!(ids(&got.rows), ids(want), "{pat} {sort:?} from {offset}");
                    }
                    for id in 1..=60 {
                        let at = every.iter().position(|e| e.id.0 == id);
                        let keep = |row, locate| {
                            Some(Keep {
                                id: CustomerId(id),
                                row,
                                locate,
                            })
                        };
                        anchored_as_expected(&read(21, None, keep(Some(3), false)), &every, at);
                        // Located on its screen row.
                        let got = read(21, None, keep(Some(3), true));
                        let offset = at.map_or(21, |at| at.saturating_sub(3));
                        assert_eq!((got.position, got.offset), (at, offset));
                        let want = &every[offset.min(n)..(offset + 7).min(n)];
                        assert_eq!(ids(&got.rows), ids(want), "{pat} {sort:?} #{id} on row 3");
                        let got = read(21, None, keep(None, true));
                        assert_eq!(got.position, at, "{pat} {sort:?} #{id}");
                        let offset = at.map_or(21, |at| showing(at, 21, 7));
                        assert_eq!(got.offset, offset);
                        let want = &every[offset.min(n)..(offset + 7).min(n)];
                        assert_eq!(ids(&got.rows), ids(want), "{pat} {sort:?} #{id}");
                    }
                }
            }
        }
    }
}
