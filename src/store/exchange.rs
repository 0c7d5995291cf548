//! SQL for moving many rows at once: the lookups and prepared inserts an
//! import runs inside its one transaction, and the streamed reads an
//! export writes from.
//!
//! Invariant: an import's entries are inserted without per-row triggers;
//! the sink then moves each customer's balance, uninvoiced sum and kept
//! sums once, by what it inserted for them, before the transaction
//! commits, so the book's invariants hold whatever the caller does next.

// A fast hasher: an import looks up a customer for every row.
use foldhash::{HashMap, HashMapExt};

use chrono::{DateTime, NaiveDate, Utc};
use rusqlite::{CachedStatement, OptionalExtension, params};
use rust_decimal::Decimal;

use super::{Reads, Result, Tx, ts};
use crate::domain::customer::CustomerId;
use crate::domain::entry::{EntryKind, Method};

/// Inserts an import's charges and plain credits, many rows to a
/// statement, and sums what they add to the day totals and to each
/// customer's kept sums as it goes. Made only by
/// [`Tx::insert_entries`], which sets the per-row summary triggers aside
/// while it runs and writes these sums in their place.
pub struct EntrySink<'t> {
    one: CachedStatement<'t>,
    many: CachedStatement<'t>,
    cur: &'t crate::domain::Currency,
    days: HashMap<NaiveDate, DaySums>,
    customers: CustomerSumsById,
    /// When the rows were written: their `created_at`, and their
    /// customers' last activity.
    at: String,
}

/// Each customer's [`CustomerSums`], in a vector indexed by id: SQLite
/// numbers customers in turn, so ids are dense, and a row's sums are one
/// memory access where a map was a hash and a probe. An id past
/// [`DENSE_IDS`] (a book edited by hand) goes to a map instead, so memory
/// stays bounded whatever the ids.
#[derive(Default)]
struct CustomerSumsById {
    dense: Vec<CustomerSums>,
    sparse: HashMap<CustomerId, CustomerSums>,
}

/// Ids below this are kept in [`CustomerSumsById::dense`]: at most 16 MB,
/// for the largest id a row names (a book of a million customers).
const DENSE_IDS: usize = 1 << 20;

impl CustomerSumsById {
    fn of(&mut self, id: CustomerId) -> &mut CustomerSums {
        match usize::try_from(id.0) {
            Ok(i) if i < DENSE_IDS => {
                if i >= self.dense.len() {
                    self.dense.resize(i + 1, CustomerSums::default());
                }
                &mut self.dense[i]
            }
            _ => self.sparse.entry(id).or_default(),
        }
    }

    /// Every customer with anything summed (each amount is more than zero,
    /// so a customer with a row has a sum that is not zero).
    fn iter(&self) -> impl Iterator<Item = (CustomerId, CustomerSums)> + '_ {
        let dense = self.dense.iter().enumerate();
        dense
            .map(|(i, s)| (CustomerId(i as i64), *s))
            .chain(self.sparse.iter().map(|(id, s)| (*id, *s)))
            .filter(|(_, s)| s.charged != 0 || s.paid != 0)
    }
}

/// What a customer's bulk entries add to their kept sums: their charges
/// (on no invoice, so uninvoiced too) and their credits (plain payments).
#[derive(Debug, Default, Clone, Copy)]
struct CustomerSums {
    charged: i64,
    paid: i64,
}

/// What one day's entries add to `day_totals`, classified as the
/// `day_figures` view classifies them: a charge is billed, a credit with
/// no invoice, memo or transfer behind it is collected.
#[derive(Debug, Default, Clone, Copy)]
struct DaySums {
    billed: i64,
    collected: i64,
    entries: i64,
}

/// One entry to insert (a charge or a credit; payouts go through
/// [`Tx::insert_payout`], which needs the credits they use).
pub struct BulkEntry<'a> {
    pub customer: CustomerId,
    pub kind: BulkKind,
    pub amount: Decimal,
    pub tax: Decimal,
    pub description: &'a str,
    pub method: Option<Method>,
    pub reference: Option<&'a str>,
    pub date: NaiveDate,
}

impl BulkEntry<'_> {
    /// The `entries` table's CHECK constraints that typed values can still
    /// break, checked here because the sink runs with SQLite's set aside:
    /// its kind, method and date come from enums and a date type and
    /// cannot be anything else.
    fn check(&self, amount: i64, tax: i64) -> Result<()> {
        let refuse = |why: &str| Err(super::StoreError::Refused(why.to_string()));
        match self.kind {
            _ if amount <= 0 => refuse("an amount must be more than zero"),
            _ if tax < 0 => refuse("tax cannot be negative"),
            BulkKind::Charge if self.method.is_some() || self.reference.is_some() => {
                refuse("a charge has no payment method or reference")
            }
            BulkKind::Credit if tax != 0 => refuse("tax applies to charges only"),
            _ => Ok(()),
        }
    }
}

/// What a bulk-inserted entry is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BulkKind {
    Charge,
    Credit,
}

/// The page cache while indexes are built, in KiB (negative, as the
/// pragma takes it): see [`Tx::build_indexes`].
const SORT_CACHE_KB: i64 = -2048;

/// Rows bound to one multi-row insert: fewer statement runs for the same
/// rows, the largest part of an import's time.
const ROWS_PER_INSERT: usize = 64;
/// Columns each row binds.
const INSERT_COLUMNS: usize = 9;

impl EntrySink<'_> {
    /// Inserts `rows` in order.
    pub fn insert_all(&mut self, rows: &[BulkEntry<'_>]) -> Result<()> {
        let mut chunks = rows.chunks_exact(ROWS_PER_INSERT);
        for chunk in &mut chunks {
            for (i, e) in chunk.iter().enumerate() {
                self.bind(true, i * INSERT_COLUMNS, e)?;
            }
            self.many.raw_execute()?;
        }
        for e in chunks.remainder() {
            self.bind(false, 0, e)?;
            self.one.raw_execute()?;
        }
        Ok(())
    }

    /// Binds one row's values from parameter `at + 1` on, and adds it to
    /// the sums.
    fn bind(&mut self, many: bool, at: usize, e: &BulkEntry<'_>) -> Result<()> {
        let minor = |v: Decimal| {
            self.cur
                .to_minor(v)
                .ok_or_else(|| super::StoreError::Inexact(v))
        };
        let (amount, tax) = (minor(e.amount)?, minor(e.tax)?);
        e.check(amount, tax)?;
        let add = |sum: &mut i64, v: i64| -> Result<()> {
            *sum = sum.checked_add(v).ok_or(super::StoreError::Overflow)?;
            Ok(())
        };
        let day = self.days.entry(e.date).or_default();
        day.entries += 1;
        let kind = match e.kind {
            BulkKind::Charge => {
                let total = amount.checked_add(tax).ok_or(super::StoreError::Overflow)?;
                add(&mut day.billed, total)?;
                add(&mut self.customers.of(e.customer).charged, total)?;
                EntryKind::Charge
            }
            BulkKind::Credit => {
                add(&mut day.collected, amount)?;
                add(&mut self.customers.of(e.customer).paid, amount)?;
                EntryKind::Credit
            }
        };
        let mut date = [0u8; 10];
        let stmt = if many { &mut self.many } else { &mut self.one };
        stmt.raw_bind_parameter(at + 1, e.customer.0)?;
        stmt.raw_bind_parameter(at + 2, kind.as_str())?;
        stmt.raw_bind_parameter(at + 3, amount)?;
        stmt.raw_bind_parameter(at + 4, tax)?;
        stmt.raw_bind_parameter(at + 5, e.description)?;
        stmt.raw_bind_parameter(at + 6, e.method.map(Method::as_str))?;
        stmt.raw_bind_parameter(at + 7, day_in(e.date, &mut date))?;
        stmt.raw_bind_parameter(at + 9, e.reference)?;
        Ok(())
    }
}

/// `YYYY-MM-DD` written into `buf`, without allocating.
fn day_in(d: NaiveDate, buf: &mut [u8; 10]) -> &str {
    use chrono::Datelike;
    let (y, m, dd) = (d.year().clamp(0, 9999) as u32, d.month(), d.day());
    for (i, v) in [
        (0, y / 1000),
        (1, y / 100 % 10),
        (2, y / 10 % 10),
        (3, y % 10),
        (5, m / 10),
        (6, m % 10),
        (8, dd / 10),
        (9, dd % 10),
    ] {
        buf[i] = b'0' + v as u8;
    }
    buf[4] = b'-';
    buf[7] = b'-';
    std::str::from_utf8(buf).unwrap_or("0000-00-00")
}

/// The tables whose indexes a bulk change may set aside.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Indexed {
    Entries,
    Customers,
}

impl Indexed {
    fn name(self) -> &'static str {
        match self {
            Indexed::Entries => "entries",
            Indexed::Customers => "customers",
        }
    }
}

/// Whether an index holds only entries linked to something (`... WHERE
/// invoice_id IS NOT NULL` and the like). A bulk import's rows are linked
/// to nothing, so such an index is left in place: the rows pass it by,
/// where rebuilding it would read the whole table.
fn only_linked_rows(index_sql: &str) -> bool {
    const LINKS: [&str; 5] = [
        "invoice_id",
        "void_of",
        "counterpart",
        "memo_of",
        "contract_id",
    ];
    index_sql.split_once(" WHERE ").is_some_and(|(_, cond)| {
        LINKS
            .iter()
            .any(|c| cond.trim() == format!("{c} IS NOT NULL"))
    })
}

/// FTS5's own pending-terms limit (its `hashsize`, in bytes), and the one
/// used while a bulk change indexes all its customers in one statement.
const SEARCH_HASH: usize = 1024 * 1024;
const SEARCH_BULK_HASH: usize = 64 * 1024 * 1024;

/// The trigger that indexes each new customer for search, exactly as
/// migration 2 wrote it (a test keeps the two the same).
pub(super) const SEARCH_INSERT_TRIGGER: &str = "CREATE TRIGGER customers_search_insert AFTER INSERT ON customers BEGIN
        INSERT INTO customer_search (rowid, name, email, phone) VALUES (new.id, new.name, new.email, new.phone);
    END";

impl Tx<'_> {
    /// Runs `f` without the per-row search trigger, then indexes every
    /// customer `f` created in one statement. A trigger on a full-text
    /// table makes SQLite flush that index after every insert; a large
    /// import would spend most of its time there.
    pub fn without_search_trigger<T, E: From<super::StoreError>>(
        &self,
        f: impl FnOnce() -> std::result::Result<T, E>,
    ) -> std::result::Result<T, E> {
        let run = || -> Result<i64> {
            self.tx
                .execute_batch("DROP TRIGGER customers_search_insert")?;
            Ok(self
                .tx
                .query_row("SELECT COALESCE(MAX(id), 0) FROM customers", [], |r| {
                    r.get(0)
                })?)
        };
        let before = run()?;
        let value = f()?;
        let restore = || -> Result<()> {
            // FTS5 writes a segment each time its pending terms pass its
            // hash size, then merges them: with room for all of them, one
            // segment (100,000 customers: 0.46 s, 0.30 s with 64 MB). The
            // setting is stored with the table, so the default goes back.
            let hash = |size: usize| {
                self.tx.execute(
                    "INSERT INTO customer_search (customer_search, rank) VALUES ('hashsize', ?1)",
                    [size as i64],
                )
            };
            hash(SEARCH_BULK_HASH)?;
            self.tx.execute(
                "INSERT INTO customer_search (rowid, name, email, phone) \
                 SELECT id, name, email, phone FROM customers WHERE id > ?1",
                [before],
            )?;
            hash(SEARCH_HASH)?;
            self.tx.execute_batch(SEARCH_INSERT_TRIGGER)?;
            Ok(())
        };
        restore()?;
        Ok(value)
    }

    /// Runs `f` with `table`'s indexes dropped, then builds them again
    /// from their own text, all inside this transaction (a reader never
    /// sees them missing). A large import inserts, then builds each index
    /// in one sorted pass: far cheaper than updating each at a random place
    /// for every row.
    pub fn without_indexes<T, E: From<super::StoreError>>(
        &self,
        table: Indexed,
        f: impl FnOnce() -> std::result::Result<T, E>,
    ) -> std::result::Result<T, E> {
        let saved = self.drop_schema_objects(
            &format!(
                "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = '{}' AND sql IS NOT NULL",
                table.name()
            ),
            "INDEX",
            |sql| !only_linked_rows(sql),
        )?;
        let value = f()?;
        match table {
            Indexed::Entries => self.build_indexes(&saved)?,
            // Its keys sort in the book's page cache in one run: 100,000
            // customers' seven indexes in 0.37 s, 0.44 s in the small one.
            Indexed::Customers => self.recreate(&saved)?,
        }
        Ok(value)
    }

    /// Makes the indexes `saved` again with a small page cache. SQLite sorts
    /// an index's keys in runs as large as the page cache before merging
    /// them, on two threads (`PRAGMA threads`): smaller runs sort in cache
    /// and on both cores, where the book's 32 MB made one long sort at a
    /// time. 2,000,000 entries: 3.9 s with 32 MB, 3.2 s with 2 MB.
    fn build_indexes(&self, saved: &[(String, String)]) -> Result<()> {
        let pages: i64 = self
            .tx
            .pragma_query_value(None, "cache_size", |r| r.get(0))?;
        self.tx.pragma_update(None, "cache_size", SORT_CACHE_KB)?;
        let built = self.recreate(saved);
        self.tx.pragma_update(None, "cache_size", pages)?;
        built
    }

    /// Runs `f` with the triggers that keep the book totals set aside,
    /// then sums the totals once from every balance and puts the triggers
    /// back, all inside this transaction: for a change that moves most
    /// customers' balances.
    pub fn without_totals_triggers<T, E: From<super::StoreError>>(
        &self,
        f: impl FnOnce() -> std::result::Result<T, E>,
    ) -> std::result::Result<T, E> {
        let saved = self.drop_schema_objects(
            "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'customers_totals_%'",
            "TRIGGER",
            |_| true,
        )?;
        let value = f()?;
        let refill = format!(
            "UPDATE book_totals SET (owed_high, owed_low, credit_high, credit_low, customers) = ({})",
            super::customers::TOTALS_SUMMED
        );
        self.tx
            .execute_batch(&refill)
            .map_err(super::StoreError::from)?;
        self.recreate(&saved)?;
        Ok(value)
    }

    /// Makes again what [`Tx::drop_schema_objects`] dropped.
    fn recreate(&self, saved: &[(String, String)]) -> Result<()> {
        for (_, sql) in saved {
            self.tx.execute_batch(sql)?;
        }
        Ok(())
    }

    /// Drops what `query` lists (name, sql) and returns it, to be made
    /// again from the same text.
    fn drop_schema_objects(
        &self,
        query: &str,
        kind: &str,
        wanted: impl Fn(&str) -> bool,
    ) -> Result<Vec<(String, String)>> {
        let mut stmt = self.tx.prepare(query)?;
        let objects = stmt
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
            .filter(|o| {
                o.as_ref()
                    .map_or(true, |(_, sql): &(String, String)| wanted(sql))
            })
            .collect::<rusqlite::Result<Vec<(String, String)>>>()?;
        for (name, _) in &objects {
            self.tx.execute_batch(&format!("DROP {kind} {name}"))?;
        }
        Ok(objects)
    }

    /// Runs `f` with an [`EntrySink`], the per-row triggers that keep the
    /// day totals, each customer's uninvoiced sum and their kept sums set
    /// aside; then adds what the sink inserted to all three and to each
    /// customer's balance, and puts the triggers back from their own text,
    /// all inside this transaction. `f` may write nothing to `entries`
    /// except through the sink.
    pub fn insert_entries<T, E: From<super::StoreError>>(
        &self,
        now: DateTime<Utc>,
        f: impl FnOnce(&mut EntrySink<'_>) -> std::result::Result<T, E>,
    ) -> std::result::Result<T, E> {
        let saved = self.drop_schema_objects(
            "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' \
             AND (name LIKE 'entries_days_%' OR name LIKE 'entries_uninvoiced_%' \
             OR name LIKE 'entries_sums_%' OR name LIKE 'entries_pages_%')",
            "TRIGGER",
            |_| true,
        )?;
        let mut sink = self.entry_sink(now)?;
        // CHECK constraints cost a third of each insert; the sink checks
        // what they would (`BulkEntry::check`), and `tally check`'s
        // integrity check still proves every row against them.
        self.tx
            .pragma_update(None, "ignore_check_constraints", true)
            .map_err(super::StoreError::from)?;
        let value = f(&mut sink);
        self.tx
            .pragma_update(None, "ignore_check_constraints", false)
            .map_err(super::StoreError::from)?;
        let value = value?;
        self.add_sums(&sink)?;
        // The page triggers were aside: every customer with a live link
        // is due (fewer than the rows by far, and a publish of an
        // unchanged page sends nothing).
        self.tx.execute_batch(
            "INSERT INTO pages_due (customer_id, gen) \
             SELECT customer_id, (SELECT gen FROM pages_due_next) FROM payment_links WHERE revoked_at IS NULL \
             ON CONFLICT (customer_id) DO UPDATE SET gen = excluded.gen",
            )
            .map_err(super::StoreError::from)?;
        self.recreate(&saved)?;
        Ok(value)
    }

    fn entry_sink(&self, now: DateTime<Utc>) -> Result<EntrySink<'_>> {
        const INSERT: &str = "INSERT INTO entries (customer_id, kind, amount_cents, tax_cents, \
             description, method, date, created_at, reference) VALUES ";
        let row = |i: usize| {
            let n = i * INSERT_COLUMNS;
            format!(
                "(?{}, ?{}, ?{}, ?{}, ?{}, ?{}, ?{}, ?{}, ?{})",
                n + 1,
                n + 2,
                n + 3,
                n + 4,
                n + 5,
                n + 6,
                n + 7,
                n + 8,
                n + 9
            )
        };
        let many: Vec<String> = (0..ROWS_PER_INSERT).map(row).collect();
        let mut one = self.tx.prepare_cached(&format!("{INSERT}{}", row(0)))?;
        let mut many = self
            .tx
            .prepare_cached(&format!("{INSERT}{}", many.join(", ")))?;
        // Every row has the same `created_at`: bound once here, as bindings
        // last until replaced, where binding it per row copied it each time.
        let created = ts(now);
        one.raw_bind_parameter(8, created.as_str())?;
        for i in 0..ROWS_PER_INSERT {
            many.raw_bind_parameter(i * INSERT_COLUMNS + 8, created.as_str())?;
        }
        Ok(EntrySink {
            one,
            many,
            cur: self.cur,
            days: HashMap::new(),
            customers: CustomerSumsById::default(),
            at: created,
        })
    }

    /// Adds what a sink inserted to the day totals and to its customers'
    /// balances (refusing one past the balance limit), uninvoiced and kept
    /// sums.
    fn add_sums(&self, sink: &EntrySink<'_>) -> Result<()> {
        let mut day = self.tx.prepare_cached(
            "INSERT INTO day_totals (day, billed_cents, collected_cents, entries) \
             VALUES (?1, ?2, ?3, ?4) \
             ON CONFLICT (day) DO UPDATE SET \
                billed_cents = billed_cents + excluded.billed_cents, \
                collected_cents = collected_cents + excluded.collected_cents, \
                entries = entries + excluded.entries",
        )?;
        for (d, sums) in &sink.days {
            let mut buf = [0u8; 10];
            day.execute(params![
                day_in(*d, &mut buf),
                sums.billed,
                sums.collected,
                sums.entries
            ])?;
        }
        // Balance and uninvoiced sum in one write of the customer's row.
        let mut customer = self.tx.prepare_cached(
            "UPDATE customers SET balance_cents = balance_cents + ?2, \
                uninvoiced_cents = uninvoiced_cents + ?3, last_activity = ?4 \
             WHERE id = ?1 AND abs(balance_cents + ?2) <= ?5",
        )?;
        let mut kept = self.tx.prepare_cached(
            "INSERT INTO customer_sums (customer_id, charged_cents, credited_cents, paid_cents) \
             VALUES (?1, ?2, ?3, ?3) ON CONFLICT (customer_id) DO UPDATE SET \
                charged_cents = charged_cents + excluded.charged_cents, \
                credited_cents = credited_cents + excluded.credited_cents, \
                paid_cents = paid_cents + excluded.paid_cents",
        )?;
        for (id, sums) in sink.customers.iter() {
            let delta = sums
                .paid
                .checked_sub(sums.charged)
                .ok_or(super::StoreError::Overflow)?;
            let limit = super::customers::BALANCE_LIMIT_MINOR;
            if customer.execute(params![id.0, delta, sums.charged, sink.at, limit])? == 0 {
                return Err(self.past_balance_limit());
            }
            kept.execute(params![id.0, sums.charged, sums.paid])?;
        }
        Ok(())
    }
}

impl Reads<'_> {
    /// How many entries the book holds.
    pub fn entry_total(&self) -> Result<usize> {
        let n: i64 = self
            .conn
            .query_row("SELECT count(*) FROM entries", [], |r| r.get(0))?;
        Ok(n as usize)
    }

    /// The customer with this email (any case), lowest id first.
    pub fn customer_id_by_email(&self, email: &str) -> Result<Option<CustomerId>> {
        Ok(self
            .conn
            .prepare_cached(
                "SELECT id FROM customers WHERE email = ?1 COLLATE NOCASE ORDER BY id LIMIT 1",
            )?
            .query_row([email], |r| Ok(CustomerId(r.get(0)?)))
            .optional()?)
    }

    /// The customer with exactly this name, lowest id first. Found through
    /// the name-key index (a `COLLATE` on a bound value would make SQLite
    /// re-plan the statement on every call).
    pub fn customer_id_by_name(&self, name: &str) -> Result<Option<CustomerId>> {
        let key = crate::domain::customer::name_key(name);
        Ok(self
            .conn
            .prepare_cached(
                "SELECT id FROM customers WHERE name_key = ?1 AND name = ?2 ORDER BY id LIMIT 1",
            )?
            .query_row([key.as_str(), name], |r| Ok(CustomerId(r.get(0)?)))
            .optional()?)
    }

    /// Every customer as (id, name, email, balance), by id: what an import
    /// matches rows against.
    pub fn customer_keys(&self) -> Result<Vec<CustomerKey>> {
        let mut stmt = self
            .conn
            .prepare("SELECT id, name, email, balance_cents FROM customers ORDER BY id")?;
        let rows = stmt.query_map([], |r| {
            Ok((
                CustomerId(r.get(0)?),
                r.get(1)?,
                r.get(2)?,
                self.money(r.get(3)?),
            ))
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Every customer as (id, name), by id.
    pub fn customer_names(&self) -> Result<Vec<(i64, String)>> {
        let mut stmt = self
            .conn
            .prepare("SELECT id, name FROM customers ORDER BY id")?;
        let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Every entry in the order it was entered (entry id, the table's own
    /// order: read straight through, never sorted), with its customer and
    /// invoice number, handed to `f` one at a time. Only the customers'
    /// names and the invoices' numbers are held, never the entries.
    pub fn each_entry(&self, mut f: impl FnMut(&ExportEntry<'_>) -> Result<()>) -> Result<()> {
        let customers: HashMap<i64, (String, Option<String>)> = {
            let mut stmt = self.conn.prepare("SELECT id, name, email FROM customers")?;
            let rows = stmt.query_map([], |r| Ok((r.get(0)?, (r.get(1)?, r.get(2)?))))?;
            rows.collect::<rusqlite::Result<_>>()?
        };
        // A draft's number is no number yet.
        let numbers: HashMap<i64, String> = {
            let mut stmt = self.conn.prepare(
                "SELECT id, number FROM invoices WHERE status <> 'draft' AND number IS NOT NULL",
            )?;
            let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?;
            rows.collect::<rusqlite::Result<_>>()?
        };
        let mut void_tax = self
            .conn
            .prepare("SELECT COALESCE(SUM(tax_cents), 0) FROM entries WHERE invoice_id = ?1")?;
        let mut stmt = self.conn.prepare(
            "SELECT id, customer_id, kind, amount_cents, tax_cents, description, method, date, \
             reference, counterpart IS NOT NULL, invoice_id, void_of, memo_of, opening \
             FROM entries NOT INDEXED ORDER BY id",
        )?;
        let mut rows = stmt.query([])?;
        while let Some(r) = rows.next()? {
            let customer: i64 = r.get(1)?;
            // An entry whose customer is gone is `tally check`'s to
            // report; an export has no name to give it.
            let Some((name, email)) = customers.get(&customer) else {
                continue;
            };
            let text = |i: usize| -> Result<&str> {
                Ok(r.get_ref(i)?.as_str().map_err(rusqlite::Error::from)?)
            };
            let kind = text(2)?;
            let (invoice, void_of, memo_of): (Option<i64>, Option<i64>, Option<i64>) =
                (r.get(10)?, r.get(11)?, r.get(12)?);
            let number = [invoice, void_of, memo_of]
                .into_iter()
                .flatten()
                .find_map(|i| numbers.get(&i).map(String::as_str));
            let void_tax = match void_of {
                Some(v) => void_tax.query_row([v], |r| r.get(0))?,
                None => 0,
            };
            let method = r
                .get_ref(6)?
                .as_str_or_null()
                .map_err(rusqlite::Error::from)?;
            let reference = r
                .get_ref(8)?
                .as_str_or_null()
                .map_err(rusqlite::Error::from)?;
            let e = ExportEntry {
                id: r.get(0)?,
                customer,
                name,
                email: email.as_deref(),
                kind: EntryKind::parse(kind).unwrap_or(EntryKind::Charge),
                amount: r.get(3)?,
                tax: r.get(4)?,
                description: text(5)?,
                method: method.and_then(Method::parse),
                date: text(7)?,
                reference,
                transfer: r.get(9)?,
                invoice: number,
                void: void_of.is_some(),
                memo: memo_of.is_some(),
                void_tax,
                opening: r.get(13)?,
            };
            f(&e)?;
        }
        Ok(())
    }
}

/// (id, name, email, balance) of one customer, for matching import rows.
pub type CustomerKey = (CustomerId, String, Option<String>, Decimal);

/// An entry as exports write it: borrowed from the row being read, money
/// in minor units.
#[derive(Debug, Clone, PartialEq)]
pub struct ExportEntry<'a> {
    pub id: i64,
    pub customer: i64,
    pub name: &'a str,
    pub email: Option<&'a str>,
    pub kind: EntryKind,
    pub amount: i64,
    pub tax: i64,
    pub description: &'a str,
    pub method: Option<Method>,
    /// `YYYY-MM-DD`, as the book keeps it (the schema holds it to that).
    pub date: &'a str,
    pub reference: Option<&'a str>,
    pub transfer: bool,
    pub invoice: Option<&'a str>,
    pub void: bool,
    /// For a void credit, the voided invoice's tax (reversed with it).
    pub void_tax: i64,
    /// An opening balance brought from another system.
    pub opening: bool,
    pub memo: bool,
}

/// Ids other systems gave customers, and what an import of their open
/// invoices writes (migration 15).
impl Reads<'_> {
    /// The customer another system knew by `outside_id`.
    pub fn customer_by_outside_id(
        &self,
        system: &str,
        outside_id: &str,
    ) -> Result<Option<CustomerId>> {
        Ok(self
            .conn
            .prepare_cached(
                "SELECT customer_id FROM outside_ids WHERE system = ?1 AND outside_id = ?2",
            )?
            .query_row([system, outside_id], |r| Ok(CustomerId(r.get(0)?)))
            .optional()?)
    }

    /// The ids other systems gave a customer, as (system, id).
    pub fn outside_ids(&self, customer: CustomerId) -> Result<Vec<(String, String)>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT system, outside_id FROM outside_ids WHERE customer_id = ?1 ORDER BY system, outside_id",
        )?;
        let rows = stmt.query_map([customer.0], |r| Ok((r.get(0)?, r.get(1)?)))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Whether a customer already has a credit with this outside
    /// reference (an imported credit memo, brought in once).
    pub fn has_credit_referenced(&self, customer: CustomerId, reference: &str) -> Result<bool> {
        Ok(self.conn.query_row(
            "SELECT EXISTS (SELECT 1 FROM entries WHERE customer_id = ?1 AND kind = 'credit' AND reference = ?2)",
            params![customer.0, reference],
            |r| r.get(0),
        )?)
    }
}

impl Tx<'_> {
    /// Remembers that `system` knew this customer as `outside_id`; an id
    /// already remembered keeps its customer.
    pub fn record_outside_id(
        &self,
        system: &str,
        outside_id: &str,
        customer: CustomerId,
    ) -> Result<()> {
        self.tx
            .prepare_cached(
                "INSERT OR IGNORE INTO outside_ids (system, outside_id, customer_id) VALUES (?1, ?2, ?3)",
            )?
            .execute(params![system, outside_id, customer.0])?;
        Ok(())
    }

    /// An invoice brought from `origin` with its own number: open, with
    /// its frozen total, outside tally's numbering (no `seq`).
    #[allow(clippy::too_many_arguments)]
    pub fn insert_imported_invoice(
        &self,
        customer: CustomerId,
        number: &str,
        origin: &str,
        issued: NaiveDate,
        due: NaiveDate,
        total: Decimal,
        now: DateTime<Utc>,
    ) -> Result<crate::domain::invoice::InvoiceId> {
        self.tx.execute(
            "INSERT INTO invoices (customer_id, status, number, issue_date, due_date, total_cents, created_at, origin) \
             VALUES (?1, 'open', ?2, ?3, ?4, ?5, ?6, ?7)",
            params![
                customer.0,
                number,
                super::day(issued),
                super::day(due),
                self.minor(total)?,
                ts(now),
                origin
            ],
        )?;
        Ok(crate::domain::invoice::InvoiceId(
            self.tx.last_insert_rowid(),
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::Currency;
    use crate::domain::customer::CustomerDetails;
    use crate::store::{Store, StoreError};

    fn store_with_customer() -> (Store, CustomerId) {
        let mut store = Store::open_in_memory(&Currency::default()).unwrap();
        let id = store
            .write(|tx| {
                let d = CustomerDetails {
                    name: "Ann".into(),
                    ..Default::default()
                };
                tx.insert_customer(&d, "test", Utc::now())
            })
            .unwrap();
        (store, id)
    }

    fn entry(customer: CustomerId, kind: BulkKind, cents: i64) -> BulkEntry<'static> {
        BulkEntry {
            customer,
            kind,
            amount: Decimal::new(cents, 2),
            tax: Decimal::new(0, 2),
            description: "x",
            method: (kind == BulkKind::Credit).then_some(Method::Cash),
            reference: None,
            date: NaiveDate::from_ymd_opt(2026, 3, 1).unwrap(),
        }
    }

    fn flag(store: &Store, pragma: &str) -> bool {
        store
            .reads()
            .conn
            .pragma_query_value(None, pragma, |r| r.get(0))
            .unwrap()
    }

    #[test]
    fn a_bulk_write_turns_reference_checks_back_on_however_it_ends() {
        let (mut store, _) = store_with_customer();
        store.write_bulk(|_| Ok::<_, StoreError>(())).unwrap();
        assert!(flag(&store, "foreign_keys"));
        let failed = store.write_bulk(|_| Err::<(), _>(StoreError::Busy));
        assert!(failed.is_err());
        assert!(flag(&store, "foreign_keys"));
        // And it is enforced again: an entry for no customer is refused.
        let dangling = store.write(|tx| {
            tx.insert_entries(Utc::now(), |sink| {
                sink.insert_all(&[entry(CustomerId(999), BulkKind::Charge, 100)])
            })
        });
        assert!(dangling.is_err(), "{dangling:?}");
    }

    #[test]
    fn indexes_are_built_with_a_small_cache_and_the_cache_comes_back() {
        let (mut store, _) = store_with_customer();
        let cache = |s: &Store| -> i64 {
            s.reads()
                .conn
                .pragma_query_value(None, "cache_size", |r| r.get(0))
                .unwrap()
        };
        let before = cache(&store);
        assert_ne!(before, SORT_CACHE_KB);
        let during = store
            .write_bulk(|tx| {
                tx.without_indexes(Indexed::Entries, || Ok::<_, StoreError>(()))?;
                Ok::<_, StoreError>(
                    tx.tx
                        .pragma_query_value(None, "cache_size", |r| r.get::<_, i64>(0))?,
                )
            })
            .unwrap();
        assert_eq!((during, cache(&store)), (before, before));
        let indexes: i64 = store
            .reads()
            .conn
            .query_row(
                "SELECT count(*) FROM sqlite_master WHERE type = 'index' AND tbl_name = 'entries'",
                [],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(indexes, 6, "every index is back");
    }

    #[test]
    fn the_sink_checks_what_sqlite_would_and_sqlite_checks_again_after() {
        let (mut store, ann) = store_with_customer();
        let bad = [
            BulkEntry {
                method: Some(Method::Card),
                ..entry(ann, BulkKind::Charge, 100)
            },
            BulkEntry {
                tax: Decimal::new(5, 2),
                ..entry(ann, BulkKind::Credit, 100)
            },
            entry(ann, BulkKind::Charge, 0),
        ];
        for row in bad {
            let r = store.write(|tx| tx.insert_entries(Utc::now(), |sink| sink.insert_all(&[row])));
            assert!(matches!(r, Err(StoreError::Refused(_))), "{r:?}");
        }
        // 64 rows and one more: the many-row statement and the one-row one.
        let rows: Vec<_> = (1..=65).map(|i| entry(ann, BulkKind::Charge, i)).collect();
        store
            .write(|tx| tx.insert_entries(Utc::now(), |sink| sink.insert_all(&rows)))
            .unwrap();
        let credit = [entry(ann, BulkKind::Credit, 1_000)];
        store
            .write(|tx| tx.insert_entries(Utc::now(), |sink| sink.insert_all(&credit)))
            .unwrap();
        let (n, billed, uninvoiced, balance): (i64, i64, i64, i64) = store
            .reads()
            .conn
            .query_row(
                "SELECT (SELECT count(*) FROM entries), (SELECT billed_cents FROM day_totals), \
                 (SELECT uninvoiced_cents FROM customers), (SELECT balance_cents FROM customers)",
                [],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
            )
            .unwrap();
        let charged = 65 * 66 / 2;
        assert_eq!(
            (n, billed, uninvoiced, balance),
            (66, charged, charged, 1_000 - charged)
        );
        // A balance past the limit is refused, and nothing of it stays.
        let huge = [BulkEntry {
            amount: Decimal::new(super::super::customers::BALANCE_LIMIT_MINOR, 2),
            ..entry(ann, BulkKind::Charge, 0)
        }];
        let r = store.write(|tx| tx.insert_entries(Utc::now(), |sink| sink.insert_all(&huge)));
        assert!(matches!(r, Err(StoreError::BalanceLimit(_))), "{r:?}");
        let after: i64 = store
            .reads()
            .conn
            .query_row("SELECT count(*) FROM entries", [], |r| r.get(0))
            .unwrap();
        assert_eq!(after, 66);
        // SQLite's own checks are back for everything else.
        let zero = store.reads().conn.execute(
            "INSERT INTO entries (customer_id, kind, amount_cents, date, created_at) \
             VALUES (?1, 'charge', 0, '2026-03-01', 'now')",
            [ann.0],
        );
        assert!(zero.is_err(), "{zero:?}");
    }

    #[test]
    fn indexes_of_linked_rows_only_are_told_apart() {
        assert!(only_linked_rows(
            "CREATE INDEX entries_by_invoice ON entries (invoice_id) WHERE invoice_id IS NOT NULL"
        ));
        assert!(!only_linked_rows(
            "CREATE INDEX entries_open_charges ON entries (customer_id, date) WHERE kind = 'charge' AND invoice_id IS NULL"
        ));
        assert!(!only_linked_rows(
            "CREATE INDEX entries_by_customer_date ON entries (customer_id, date DESC, id DESC)"
        ));
    }
}
