//! The only SQL in tally: opening a book file, its pragmas, migrations, and
//! the queries every front end shares.
//!
//! Invariants:
//! - Money is INTEGER minor units in SQLite and `Decimal` everywhere else;
//!   conversion happens here, exactly, with the book's own currency.
//! - A file is only written after it is known to be a tally book
//!   (`application_id`) with a schema this binary understands, as long as
//!   its header says, and writable by its permission bits, so a wrong
//!   `--db`, a damaged book or a read-only one is never modified.
//! - Reading ([`Store::open_existing`]) never creates a file or folder, and
//!   a read-only book is read without side files.
//! - Every change goes through [`Store::write`]: one `BEGIN IMMEDIATE`
//!   transaction that commits only if the whole closure succeeds. State
//!   changes are guarded in SQL and refuse ([`StoreError::Changed`]) if the
//!   row is not in the state the caller checked.
//! - A customer's `balance_cents` always equals Σ credits − Σ (charges + tax)
//!   of its entries; the writers in `entries.rs` keep it so.
//! - Per customer, `balance = available credit − remaining on open invoices
//!   − charges not on a finalized invoice` (see [`BalanceBreakdown`]).

mod aging_pass;
mod backup;
pub mod check;
mod check_pass;
mod contacts;
mod contracts;
mod credits;
mod customers;
mod dense;
mod documents;
mod entries;
mod exchange;
mod files;
mod invoices;
mod links;
mod mail;
mod payments;
mod publish;
mod reports;
mod schema;
mod timeline;
mod twin;

use std::io::Read;
use std::path::{Path, PathBuf};
use std::time::Duration;

use chrono::{DateTime, NaiveDate, SecondsFormat, Utc};
use rusqlite::config::DbConfig;
use rusqlite::{Connection, OpenFlags, Transaction, TransactionBehavior};
use rust_decimal::Decimal;
use thiserror::Error;

use crate::domain::Currency;

pub use backup::BackupReport;
pub use credits::{CreditItem, CreditSource, NewPayout};
pub use customers::{COUNT_CAP, Counting, CustomerQuery, Keep, ListCount, ListRead, Totals};
pub use entries::BalanceBreakdown;
pub use exchange::{BulkEntry, BulkKind, EntrySink, ExportEntry, Indexed};
pub use invoices::{EntryLock, InvoiceQuery};
pub use links::ActiveLink;
pub use mail::{Message, NewMessage, OutboxCounts, Taken};
pub use payments::Payment;
pub use reports::{AgingRow, MonthTotals, OverdueRow};
pub use schema::{APPLICATION_ID, SCHEMA_VERSION};

#[derive(Debug, Error)]
pub enum StoreError {
    #[error("{0} is a directory: give the path of a book file, e.g. {0}/book.tally")]
    IsDirectory(PathBuf),
    #[error(
        "{0} is not a tally book (it is not a SQLite file tally created): check --db / TALLY_DB"
    )]
    NotABook(PathBuf),
    #[error(
        "{path} was written by a newer tally (schema {found}; this tally knows up to {known}): upgrade tally to open it"
    )]
    TooNew {
        path: PathBuf,
        found: i64,
        known: i64,
    },
    #[error(
        "no book at {0}: `tally customer add NAME` (or `tally` for the full screen) creates one there; or pass --db PATH"
    )]
    NoBook(PathBuf),
    #[error(
        "{0} is an empty file, not a tally book yet: `tally customer add NAME` starts a book in it"
    )]
    EmptyFile(PathBuf),
    #[error(
        "{path} is damaged: the file is {actual} bytes but its header says {expected}; it was cut short. Nothing was written: restore it from a backup, and run `tally check` on the copy"
    )]
    Truncated {
        path: PathBuf,
        actual: u64,
        expected: u64,
    },
    #[error(
        "{0} is damaged (SQLite reports corruption): nothing was written; restore it from a backup (`tally check` lists what is wrong)"
    )]
    Corrupt(PathBuf),
    #[error(
        "{0} is read-only: tally can show it but not change it; make the file and its folder writable to record changes"
    )]
    ReadOnly(PathBuf),
    #[error("cannot open {path}: {source}")]
    Unreadable {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("cannot create the folder {path}: {source}")]
    CreateDir {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error(
        "{path} keeps money in {book_code} with {book_decimals} decimals, but the config says {config_code} with {config_decimals}: set [currency] code = \"{book_code}\" and decimals = {book_decimals}"
    )]
    CurrencyMismatch {
        path: PathBuf,
        book_code: String,
        book_decimals: u32,
        config_code: String,
        config_decimals: u32,
    },
    #[error("amount {0} cannot be stored exactly in minor units")]
    Inexact(Decimal),
    #[error("{0} needs upgrading before it can be read: open it once with this tally")]
    NeedsUpgrade(PathBuf),
    #[error("the book is busy: another tally is writing; try again")]
    Busy,
    /// A guarded state change found the row in another state. Writes run
    /// under `BEGIN IMMEDIATE`, so this means a rule was checked wrongly.
    #[error("the book changed underneath this change ({0}); nothing was written: try again")]
    Changed(String),
    /// A bulk-inserted entry broke a rule the book keeps.
    #[error("an entry breaks a rule of the book ({0}); nothing was written")]
    Refused(String),
    #[error(
        "this would take the customer's balance beyond {0} either way, the most tally keeps exactly: nothing was written"
    )]
    BalanceLimit(String),
    #[error(
        "a total is too large to compute exactly (over 9,223,372,036,854,775,807 minor units): nothing was written"
    )]
    Overflow,
    #[error("{0} already exists: pass --force to replace it, or choose another name")]
    BackupExists(PathBuf),
    #[error("database error: {0}")]
    Sqlite(rusqlite::Error),
}

/// How long a change waits for another tally's to finish before saying
/// the book is busy.
const BUSY_WAIT: Duration = Duration::from_secs(5);

/// How much of the file a whole-book read maps (SQLite maps no more than
/// the file holds).
const MAP_BYTES: i64 = 1 << 30;

/// A read-only connection of its own for one of SQLite's page checks of
/// the book file: it waits for a writer as a change does, and maps the
/// file instead of copying its pages.
pub(super) fn page_check_reader(path: &Path) -> Result<Connection> {
    let flags = OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX;
    let conn = Connection::open_with_flags(path, flags)?;
    conn.busy_timeout(BUSY_WAIT)?;
    conn.pragma_update(None, "mmap_size", MAP_BYTES)?;
    Ok(conn)
}

/// `PRAGMA integrity_check` or `quick_check` (`pragma`) of the whole file,
/// or of one table and its indexes.
pub(super) fn page_check_sql(pragma: &str, table: Option<&str>) -> String {
    match table {
        None => format!("PRAGMA {pragma}"),
        Some(t) => format!("PRAGMA {pragma}(\"{}\")", t.replace('"', "\"\"")),
    }
}

impl From<rusqlite::Error> for StoreError {
    fn from(e: rusqlite::Error) -> Self {
        match e.sqlite_error_code() {
            Some(rusqlite::ErrorCode::DatabaseBusy | rusqlite::ErrorCode::DatabaseLocked) => {
                StoreError::Busy
            }
            Some(rusqlite::ErrorCode::DatabaseCorrupt | rusqlite::ErrorCode::NotADatabase) => {
                StoreError::Corrupt(PathBuf::from("the book"))
            }
            Some(rusqlite::ErrorCode::ReadOnly) => StoreError::ReadOnly(PathBuf::from("the book")),
            // SQLite's SUM() fails this way rather than wrap; its `+`
            // turns to floating point, which a STRICT integer column then
            // refuses: both are a sum past 64 bits.
            _ if e.to_string().contains("integer overflow")
                || e.to_string()
                    .contains("cannot store REAL value in INTEGER column") =>
            {
                StoreError::Overflow
            }
            _ => StoreError::Sqlite(e),
        }
    }
}

pub type Result<T, E = StoreError> = std::result::Result<T, E>;

/// An open book file.
pub struct Store {
    conn: Connection,
    currency: Currency,
    path: PathBuf,
}

/// Read access, usable both outside and inside a write transaction.
pub struct Reads<'c> {
    conn: &'c Connection,
    cur: &'c Currency,
}

/// Write access inside one transaction; reads are available via [`Tx::reads`].
pub struct Tx<'c> {
    tx: Transaction<'c>,
    cur: &'c Currency,
}

impl Store {
    /// Opens (or creates) the book at `path` for changing it. `currency` is
    /// the config's: it seeds a new book and must match an existing one. A
    /// damaged or read-only book is refused before SQLite touches it.
    pub fn open(path: &Path, currency: &Currency) -> Result<Store> {
        if path.is_dir() {
            return Err(StoreError::IsDirectory(path.to_path_buf()));
        }
        let existing = std::fs::metadata(path)
            .map(|m| m.len() > 0)
            .unwrap_or(false);
        if existing {
            check_header(path)?;
            if files::read_only(path) {
                return Err(StoreError::ReadOnly(path.to_path_buf()));
            }
        } else if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir).map_err(|source| StoreError::CreateDir {
                path: dir.to_path_buf(),
                source,
            })?;
            if files::read_only(path) {
                return Err(StoreError::ReadOnly(path.to_path_buf()));
            }
        }
        let flags = OpenFlags::SQLITE_OPEN_READ_WRITE
            | OpenFlags::SQLITE_OPEN_CREATE
            | OpenFlags::SQLITE_OPEN_NO_MUTEX;
        let conn = Connection::open_with_flags(path, flags).map_err(|e| open_error(path, e))?;
        if existing {
            schema::check_identity(&conn, path)?;
        }
        Self::setup(conn, path, currency)
    }

    /// Opens an existing book to read it: never creates a file or folder.
    /// A read-only book (or folder) is opened without any side file, so
    /// reading it leaves nothing behind.
    pub fn open_existing(path: &Path, currency: &Currency) -> Result<Store> {
        if path.is_dir() {
            return Err(StoreError::IsDirectory(path.to_path_buf()));
        }
        match std::fs::metadata(path) {
            Err(_) => return Err(StoreError::NoBook(path.to_path_buf())),
            Ok(m) if m.len() == 0 => return Err(StoreError::EmptyFile(path.to_path_buf())),
            Ok(_) => {}
        }
        check_header(path)?;
        if !files::read_only(path) {
            let flags = OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX;
            let conn = Connection::open_with_flags(path, flags).map_err(|e| open_error(path, e))?;
            schema::check_identity(&conn, path)?;
            return Self::setup(conn, path, currency);
        }
        let conn = files::open_read_only_file(path).map_err(|e| open_error(path, e))?;
        Self::ready_read_only(conn, path, currency)
    }

    /// Opens an existing, up-to-date book for reading only (the portal).
    /// Readers never block the owner's writes (WAL), and each read sees
    /// everything committed before it started.
    pub fn open_read_only(path: &Path, currency: &Currency) -> Result<Store> {
        check_header(path)?;
        let flags = OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX;
        let conn = Connection::open_with_flags(path, flags).map_err(|e| open_error(path, e))?;
        keep_statements(&conn)?;
        Self::ready_read_only(conn, path, currency)
    }

    /// Checks a read-only connection is to an up-to-date book and wraps it.
    fn ready_read_only(conn: Connection, path: &Path, currency: &Currency) -> Result<Store> {
        schema::check_identity(&conn, path)?;
        conn.busy_timeout(BUSY_WAIT)?;
        conn.pragma_update(None, "query_only", "ON")?;
        let version: i64 = conn.pragma_query_value(None, "user_version", |r| r.get(0))?;
        if version != SCHEMA_VERSION {
            return Err(StoreError::NeedsUpgrade(path.to_path_buf()));
        }
        let currency = schema::recorded_currency(&conn, path, currency)?
            .ok_or_else(|| StoreError::NeedsUpgrade(path.to_path_buf()))?;
        Ok(Store {
            conn,
            currency,
            path: path.to_path_buf(),
        })
    }

    /// A private in-memory book, for tests and benchmarks.
    pub fn open_in_memory(currency: &Currency) -> Result<Store> {
        Self::setup(
            Connection::open_in_memory()?,
            Path::new(":memory:"),
            currency,
        )
    }

    fn setup(mut conn: Connection, path: &Path, currency: &Currency) -> Result<Store> {
        conn.busy_timeout(BUSY_WAIT)?;
        into_wal(&conn)?;
        conn.pragma_update(None, "synchronous", "FULL")?;
        conn.pragma_update(None, "foreign_keys", "ON")?;
        // 32 MB of page cache (SQLite's default is 2 MB): an import of a
        // year of entries then writes each page once instead of spilling
        // and rewriting it. Allocated only as pages are used.
        conn.pragma_update(None, "cache_size", -32_768)?;
        keep_statements(&conn)?;
        // Let SQLite sort on a second core (index builds after a large
        // import, ORDER BY without an index).
        conn.pragma_update(None, "threads", 2)?;
        schema::migrate(&mut conn, path)?;
        let currency = schema::book_currency(&mut conn, path, currency)?;
        Ok(Store {
            conn,
            currency,
            path: path.to_path_buf(),
        })
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    pub fn currency(&self) -> &Currency {
        &self.currency
    }

    pub fn reads(&self) -> Reads<'_> {
        Reads {
            conn: &self.conn,
            cur: &self.currency,
        }
    }

    /// Whether a write that finds the book locked by another tally waits
    /// for it (up to the busy timeout) or fails at once with
    /// [`StoreError::Busy`].
    pub fn wait_when_busy(&self, wait: bool) -> Result<()> {
        let d = if wait { BUSY_WAIT } else { Duration::ZERO };
        Ok(self.conn.busy_timeout(d)?)
    }

    /// Runs `f` in one read transaction: every query in it sees the same
    /// snapshot of the book, whatever other tallys commit meanwhile.
    pub fn snapshot<T, E: From<StoreError>>(
        &self,
        f: impl FnOnce(&Reads<'_>) -> std::result::Result<T, E>,
    ) -> std::result::Result<T, E> {
        let run = |sql: &str| -> Result<()> {
            self.conn.prepare_cached(sql)?.execute([])?;
            Ok(())
        };
        run("BEGIN DEFERRED")?;
        let out = f(&self.reads());
        // A read transaction has nothing to keep: ending it cannot lose
        // data, so one SQLite will not commit (after it met a damaged page)
        // is rolled back and what was read still stands.
        if run("COMMIT").is_err() {
            let _ = self.conn.execute_batch("ROLLBACK");
        }
        out
    }

    /// Runs `f` in one `BEGIN IMMEDIATE` transaction; commits if it returns
    /// `Ok`, rolls back otherwise.
    pub fn write<T, E: From<StoreError>>(
        &mut self,
        f: impl FnOnce(&Tx<'_>) -> std::result::Result<T, E>,
    ) -> std::result::Result<T, E> {
        self.transaction(true, f)
    }

    /// [`Store::write`] for a bulk import, made cheaper in two ways for
    /// this one transaction, both undone afterwards whatever `f` returned:
    /// - SQLite's per-row foreign key lookups are off (a sixth of each
    ///   insert). Only for a change whose every reference is to a row it
    ///   read or wrote in the same transaction, so none can dangle; `tally
    ///   check` still proves every reference.
    /// - When no other connection has the book open, it is written through
    ///   a rollback journal instead of the write-ahead log: pages go to the
    ///   file once instead of twice (log, then checkpoint). Another tally
    ///   opening the book meanwhile waits, then says it is busy, as it
    ///   would for any writer; one already open keeps the log in use.
    pub fn write_bulk<T, E: From<StoreError>>(
        &mut self,
        f: impl FnOnce(&Tx<'_>) -> std::result::Result<T, E>,
    ) -> std::result::Result<T, E> {
        self.conn
            .pragma_update(None, "foreign_keys", false)
            .map_err(StoreError::from)?;
        let direct = self.journal_mode("DELETE", Duration::ZERO);
        // Through a rollback journal, a writer that spills its cache into
        // the book locks every reader out until it commits. Kept in memory
        // instead, the import holds only the lock that lets readers in, up
        // to the moment it commits.
        if matches!(direct, Ok(true)) {
            self.conn
                .pragma_update(None, "cache_spill", false)
                .map_err(StoreError::from)?;
        }
        let value = self.transaction(true, f);
        let _ = self.conn.pragma_update(None, "cache_spill", true);
        let on = self.conn.pragma_update(None, "foreign_keys", true);
        let wal = match direct {
            Ok(true) => self.journal_mode("WAL", BUSY_WAIT).map(|_| ()),
            _ => Ok(()),
        };
        let value = value?;
        on.map_err(StoreError::from)?;
        wal.map_err(StoreError::from)?;
        Ok(value)
    }

    /// Sets the journal mode, waiting at most `wait` for other connections;
    /// whether the book is now in that mode.
    fn journal_mode(&self, mode: &str, wait: Duration) -> rusqlite::Result<bool> {
        self.conn.busy_timeout(wait)?;
        let now = self
            .conn
            .pragma_update_and_check(None, "journal_mode", mode, |r| r.get::<_, String>(0));
        self.conn.busy_timeout(BUSY_WAIT)?;
        Ok(now?.eq_ignore_ascii_case(mode))
    }

    /// Runs `f` like [`Store::write`] and then rolls everything back: a
    /// dry run that meets exactly the rules a real run would.
    pub fn rehearse<T, E: From<StoreError>>(
        &mut self,
        f: impl FnOnce(&Tx<'_>) -> std::result::Result<T, E>,
    ) -> std::result::Result<T, E> {
        self.transaction(false, f)
    }

    fn transaction<T, E: From<StoreError>>(
        &mut self,
        keep: bool,
        f: impl FnOnce(&Tx<'_>) -> std::result::Result<T, E>,
    ) -> std::result::Result<T, E> {
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(StoreError::from)?;
        let tx = Tx {
            tx,
            cur: &self.currency,
        };
        let value = f(&tx)?;
        let end = if keep {
            tx.tx.commit()
        } else {
            tx.tx.rollback()
        };
        end.map_err(StoreError::from)?;
        Ok(value)
    }
}

impl Tx<'_> {
    pub fn reads(&self) -> Reads<'_> {
        Reads {
            conn: &self.tx,
            cur: self.cur,
        }
    }

    fn minor(&self, v: Decimal) -> Result<i64> {
        self.cur.to_minor(v).ok_or(StoreError::Inexact(v))
    }
}

impl Reads<'_> {
    /// SQLite's `data_version`: changes whenever another connection (another
    /// tally) commits to the book. Cheap: no table is read.
    pub fn data_version(&self) -> Result<i64> {
        Ok(self
            .conn
            .pragma_query_value(None, "data_version", |r| r.get(0))?)
    }

    fn money(&self, minor: i64) -> Decimal {
        self.cur.from_minor(minor)
    }

    /// The book's currency.
    pub fn currency(&self) -> &Currency {
        self.cur
    }
}

/// `Ok` when a guarded write changed exactly one row.
pub(crate) fn guard(rows: usize, what: impl FnOnce() -> String) -> Result<()> {
    if rows == 1 {
        Ok(())
    } else {
        Err(StoreError::Changed(what()))
    }
}

/// Puts the book in WAL mode, where readers never wait for a writer. A
/// book already in it is left alone (asking for the mode again would wait
/// for a writer's lock). One another tally has switched to a rollback
/// journal for a bulk import stays so: that tally switches it back when it
/// is done, and switching it here would wait for the whole import.
fn into_wal(conn: &Connection) -> Result<()> {
    let mode: String = conn.pragma_query_value(None, "journal_mode", |r| r.get(0))?;
    if mode.eq_ignore_ascii_case("wal") {
        return Ok(());
    }
    conn.busy_timeout(Duration::ZERO)?;
    let set = conn.pragma_update_and_check(None, "journal_mode", "WAL", |r| r.get::<_, String>(0));
    conn.busy_timeout(BUSY_WAIT)?;
    match set {
        Ok(_) => Ok(()),
        Err(e)
            if matches!(
                e.sqlite_error_code(),
                Some(rusqlite::ErrorCode::DatabaseBusy | rusqlite::ErrorCode::DatabaseLocked)
            ) =>
        {
            Ok(())
        }
        Err(e) => Err(e.into()),
    }
}

/// A file that exists must start with SQLite's magic before tally lets
/// SQLite touch it (SQLite would otherwise happily treat some files as
/// empty), and must be as long as its header says (SQLite would otherwise
/// write into a book that was cut short).
///
/// While another tally has the book open (its `-shm` file exists), a
/// checkpoint may have written the new header before growing the file, so
/// a short file is only called damaged when it still is once nobody has the
/// book open. Nor while a hot rollback journal waits beside it (a write
/// killed part-way): SQLite puts the old pages back on open.
fn check_header(path: &Path) -> Result<()> {
    match read_header(path)? {
        Some((actual, expected)) if !files::in_use(path) && !files::hot_journal(path) => {
            // Re-read: a checkpoint may have finished between the two looks.
            match read_header(path)? {
                Some(_) => Err(StoreError::Truncated {
                    path: path.to_path_buf(),
                    actual,
                    expected,
                }),
                None => Ok(()),
            }
        }
        _ => Ok(()),
    }
}

/// `Some((file size, size the header promises))` when the file is shorter
/// than its header says; an error when it is not a SQLite file at all.
fn read_header(path: &Path) -> Result<Option<(u64, u64)>> {
    let mut head = [0u8; 100];
    let mut file = std::fs::File::open(path).map_err(|source| StoreError::Unreadable {
        path: path.to_path_buf(),
        source,
    })?;
    let actual = file.metadata().map(|m| m.len()).unwrap_or(0);
    let whole = file.read_exact(&mut head).is_ok();
    if !head.starts_with(b"SQLite format 3\0") {
        return Err(StoreError::NotABook(path.to_path_buf()));
    }
    let expected = files::expected_size(&head).unwrap_or(100);
    Ok((!whole || actual < expected).then_some((actual, expected)))
}

fn open_error(path: &Path, e: rusqlite::Error) -> StoreError {
    match e.sqlite_error_code() {
        Some(rusqlite::ErrorCode::NotADatabase) => StoreError::NotABook(path.to_path_buf()),
        _ => StoreError::Unreadable {
            path: path.to_path_buf(),
            source: std::io::Error::other(e.to_string()),
        },
    }
}

/// Timestamps are stored as fixed-width RFC 3339 UTC so text order is time order.
pub(crate) fn ts(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Micros, true)
}

pub(crate) fn parse_ts(idx: usize, s: &str) -> rusqlite::Result<DateTime<Utc>> {
    DateTime::parse_from_rfc3339(s)
        .map(|t| t.with_timezone(&Utc))
        .map_err(|e| {
            rusqlite::Error::FromSqlConversionFailure(idx, rusqlite::types::Type::Text, Box::new(e))
        })
}

pub(crate) fn parse_day(idx: usize, s: &str) -> rusqlite::Result<NaiveDate> {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").map_err(|e| {
        rusqlite::Error::FromSqlConversionFailure(idx, rusqlite::types::Type::Text, Box::new(e))
    })
}

/// `YYYY-MM-DD`, written directly: chrono's format machinery costs more
/// than the insert it feeds when an import writes millions of rows.
pub(crate) fn day(d: NaiveDate) -> String {
    use chrono::Datelike;
    format!("{:04}-{:02}-{:02}", d.year(), d.month(), d.day())
}

/// What every connection gets: a statement cache with room for every
/// statement tally prepares, and plans that stay as they were prepared.
fn keep_statements(conn: &Connection) -> Result<()> {
    conn.set_prepared_statement_cache_capacity(128);
    // Without this, SQLite compares a bound value with each partial
    // index's condition (`kind = 'charge'`, …) while planning, and compiles
    // the statement again whenever a new value is bound: every query over
    // `entries` for another customer was parsed and planned anew, which
    // was most of a portal page's time. No query binds a value that a
    // partial index's condition names, so no plan changes.
    conn.set_db_config(DbConfig::SQLITE_DBCONFIG_ENABLE_QPSG, true)?;
    Ok(())
}

/// The book's currency, as the first run sets it.
impl Reads<'_> {
    /// The book's currency code, as recorded.
    pub fn currency_code(&self) -> String {
        self.cur.code.clone()
    }
}

impl Tx<'_> {
    /// Records a new currency for the book; only for a book that holds
    /// nothing yet (the caller checks, in this transaction).
    pub fn set_book_currency(&self, code: &str, decimals: u32) -> Result<()> {
        self.tx.execute(
            "INSERT OR REPLACE INTO book_meta (key, value) VALUES ('currency_code', ?1), ('currency_decimals', ?2)",
            rusqlite::params![code, decimals.to_string()],
        )?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_read_only_connection_keeps_its_plans_whatever_is_bound() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("book.tally");
        drop(Store::open(&path, &Currency::default()).unwrap());
        let store = Store::open_read_only(&path, &Currency::default()).unwrap();
        let stable = store
            .conn
            .db_config(DbConfig::SQLITE_DBCONFIG_ENABLE_QPSG)
            .unwrap();
        assert!(
            stable,
            "without it every portal page compiles its queries again"
        );
        let store = Store::open(&path, &Currency::default()).unwrap();
        assert!(
            store
                .conn
                .db_config(DbConfig::SQLITE_DBCONFIG_ENABLE_QPSG)
                .unwrap()
        );
    }

    /// With plans fixed whatever is bound, the queries that lean on a
    /// partial index must still find it from their literal conditions.
    #[test]
    fn queries_over_partial_indexes_still_use_them_with_stable_plans() {
        let store = Store::open_in_memory(&Currency::default()).unwrap();
        let plan = |sql: &str| -> String {
            let mut stmt = store
                .conn
                .prepare(&format!("EXPLAIN QUERY PLAN {sql}"))
                .unwrap();
            // Parameters left unbound: planning needs none of their values.
            let mut rows = stmt.raw_query();
            let mut steps = Vec::new();
            while let Some(r) = rows.next().unwrap() {
                steps.push(r.get::<_, String>(3).unwrap());
            }
            steps.join("; ")
        };
        for (sql, index) in [
            (
                "SELECT id FROM entries WHERE invoice_id = ?1",
                "entries_by_invoice",
            ),
            ("SELECT id FROM entries WHERE memo_of = ?1", "entries_memos"),
            (
                "SELECT amount_cents FROM entries WHERE contract_id = ?1",
                "entries_by_contract",
            ),
            (
                "SELECT customer_id, date FROM entries WHERE kind = 'charge' \
                 AND invoice_id IS NULL AND date > ?1 AND date <= ?2",
                "entries_open_by_date",
            ),
            (
                "SELECT date FROM entries WHERE customer_id = ?1 AND kind = 'charge' \
                 AND invoice_id IS NULL AND date < ?2",
                "entries_by_customer_date",
            ),
            (
                "SELECT id FROM customers WHERE billing_cycle = 'monthly' AND invoices_paused = 0",
                "customers_monthly",
            ),
        ] {
            let plan = plan(sql);
            assert!(plan.contains(index), "{sql}: {plan}");
        }
    }
}
