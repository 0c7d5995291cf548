//! Two connections reading one snapshot of the book, so a whole-book read
//! (`tally check`, aging as of a past day) can use both cores: the
//! entries are read in two halves by id (`Store::read_in_halves`), one on
//! this connection, the other on a twin on a second thread.
//!
//! Invariant: both parts see exactly the same committed book. A third
//! connection holds the write lock (`BEGIN IMMEDIATE`) while the two start
//! their read transactions, so no commit can fall between them; it lets go
//! before either part reads anything, so a writer waits at most the few
//! milliseconds that takes, never for the read itself. A book that cannot
//! have a second connection (in memory, read-only, or held by a long
//! write) is read by this connection alone, both parts in turn in one
//! snapshot: the same answer, on one core.

use std::path::Path;
use std::time::Duration;

use rusqlite::{Connection, OpenFlags};

use super::{Reads, Result, Store, files};

/// How long the gate waits for another tally's write to finish before the
/// read goes on one connection instead.
const GATE_WAIT: Duration = Duration::from_millis(500);

impl Store {
    /// Reads the entries in two halves by id, `part` for each, then
    /// `finish` with both answers, all in one snapshot of the book. With
    /// `two_cores`, the first half is read on a twin connection on a
    /// second thread while this one reads the second.
    pub(super) fn read_in_halves<P: Send, B>(
        &self,
        two_cores: bool,
        part: impl Fn(&Reads<'_>, (i64, i64)) -> Result<P> + Sync,
        finish: impl FnOnce(&Reads<'_>, P, P) -> Result<B>,
    ) -> Result<B> {
        let twin = if two_cores { self.pinned_twin() } else { None };
        let Some(twin) = twin else {
            return self.snapshot(|r| r.in_halves(part, finish));
        };
        let here = self.reads();
        let out = halves_at(&here).and_then(|[first, second]| {
            let cur = self.currency.clone();
            let part = &part;
            let (first, second) = std::thread::scope(|s| {
                let side = s.spawn(move || {
                    let out = part(
                        &Reads {
                            conn: &twin,
                            cur: &cur,
                        },
                        first,
                    );
                    end_read(&twin);
                    out
                });
                let second = part(&here, second);
                // A panic beside is a bug, not an answer: it goes on here.
                let first = side.join().unwrap_or_else(|e| std::panic::resume_unwind(e));
                (first, second)
            });
            finish(&here, first?, second?)
        });
        end_read(&self.conn);
        out
    }

    /// A twin connection whose read transaction and this connection's
    /// began at the same commit, or `None` (nothing begun) where the book
    /// cannot have one.
    fn pinned_twin(&self) -> Option<Connection> {
        let path = self.path();
        if !path.is_file() || files::read_only(path) {
            return None;
        }
        let gate = open(path, OpenFlags::SQLITE_OPEN_READ_WRITE).ok()?;
        let twin = open(path, OpenFlags::SQLITE_OPEN_READ_ONLY).ok()?;
        gate.busy_timeout(GATE_WAIT).ok()?;
        gate.execute_batch("BEGIN IMMEDIATE").ok()?;
        let pinned = match begin_read(&self.conn) {
            // Nothing begun here (this connection is already in a
            // transaction, say): nothing to end.
            Err(_) => None,
            Ok(()) => match begin_read(&twin) {
                Ok(()) => Some(twin),
                Err(_) => {
                    end_read(&self.conn);
                    None
                }
            },
        };
        let _ = gate.execute_batch("ROLLBACK");
        pinned
    }
}

impl Reads<'_> {
    /// [`Store::read_in_halves`] on this connection alone, one half after
    /// the other.
    pub(super) fn in_halves<P, B>(
        &self,
        part: impl Fn(&Reads<'_>, (i64, i64)) -> Result<P>,
        finish: impl FnOnce(&Reads<'_>, P, P) -> Result<B>,
    ) -> Result<B> {
        let [first, second] = halves_at(self)?;
        let first = part(self, first)?;
        let second = part(self, second)?;
        finish(self, first, second)
    }

    /// The first entry id past the middle of the entries: where the pass
    /// splits them into two parts of about the same size.
    fn entries_middle(&self) -> Result<i64> {
        Ok(self.conn.query_row(
            // Each bound on its own: SQLite reads one end of the table
            // for either, where `MIN(id) + MAX(id)` would read it all.
            // Halved before they are added, so no ids can overflow.
            "SELECT COALESCE((SELECT MIN(id) FROM entries) / 2 + (SELECT MAX(id) FROM entries) / 2 + 1, 0)",
            [],
            |r| r.get(0),
        )?)
    }
}

/// The entries' ids in two halves of about the same size.
fn halves_at(r: &Reads<'_>) -> Result<[(i64, i64); 2]> {
    Ok(halves(r.entries_middle()?))
}

/// The entries' ids in two halves split at `middle`, as inclusive bounds:
/// together every id there can be, each in exactly one half.
fn halves(middle: i64) -> [(i64, i64); 2] {
    let middle = middle.max(i64::MIN + 1);
    [(i64::MIN, middle - 1), (middle, i64::MAX)]
}

fn open(path: &Path, access: OpenFlags) -> rusqlite::Result<Connection> {
    let conn = Connection::open_with_flags(path, access | OpenFlags::SQLITE_OPEN_NO_MUTEX)?;
    conn.busy_timeout(super::BUSY_WAIT)?;
    Ok(conn)
}

/// Begins a read transaction and takes its snapshot now (SQLite takes it
/// at the first read, not at `BEGIN`).
/// On failure, nothing is left begun.
fn begin_read(conn: &Connection) -> rusqlite::Result<()> {
    conn.execute_batch("BEGIN DEFERRED")?;
    let read = conn.query_row("SELECT count(*) FROM sqlite_schema", [], |_| Ok(()));
    if read.is_err() {
        end_read(conn);
    }
    read
}

/// Ends a read transaction: nothing to keep, so a failed commit (after a
/// damaged page) is rolled back and what was read still stands.
fn end_read(conn: &Connection) {
    if conn.execute_batch("COMMIT").is_err() {
        let _ = conn.execute_batch("ROLLBACK");
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Mutex;
    use std::sync::atomic::{AtomicBool, Ordering};

    use super::*;
    use crate::domain::Currency;

    fn keys(r: &Reads<'_>) -> Result<i64> {
        Ok(r.conn
            .query_row("SELECT count(*) FROM book_meta", [], |r| r.get(0))?)
    }

    /// A commit made after the halves began, before the twin reads
    /// anything, is seen by neither: the twin's snapshot is taken when the
    /// read begins, not at its first read.
    #[test]
    fn both_halves_read_the_commit_the_read_began_at() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("book.tally");
        let store = Store::open(&path, &Currency::default()).unwrap();
        let writer = Mutex::new(Store::open(&path, &Currency::default()).unwrap());
        let written = AtomicBool::new(false);
        let before = keys(&store.reads()).unwrap();
        let (first, second) = store
            .read_in_halves(
                true,
                |r, (from, _)| {
                    if from == i64::MIN {
                        // The twin's half: it reads once the commit is in
                        // (or gives up, if it is not beside the other).
                        let start = std::time::Instant::now();
                        while !written.load(Ordering::SeqCst) && start.elapsed().as_secs() < 5 {
                            std::thread::yield_now();
                        }
                        return Ok(vec![keys(r)?]);
                    }
                    let mine = keys(r)?;
                    writer
                        .lock()
                        .unwrap()
                        .conn
                        .execute("INSERT INTO book_meta VALUES ('later', 'x')", [])
                        .unwrap();
                    written.store(true, Ordering::SeqCst);
                    Ok(vec![mine, keys(r)?])
                },
                |_, first, second| Ok((first, second)),
            )
            .unwrap();
        assert!(written.load(Ordering::SeqCst), "the second half wrote");
        assert_eq!((first, second), (vec![before], vec![before, before]));
        assert_eq!(keys(&store.reads()).unwrap(), before + 1);
    }

    /// Where no twin can be had, nothing of the caller's is ended: a
    /// transaction it holds stays open, uncommitted.
    #[test]
    fn no_twin_leaves_the_callers_transaction_as_it_was() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(&dir.path().join("book.tally"), &Currency::default()).unwrap();
        let before = keys(&store.reads()).unwrap();
        // A read transaction: the gate gets the lock, this connection
        // cannot begin another.
        store.conn.execute_batch("BEGIN").unwrap();
        keys(&store.reads()).unwrap();
        assert!(store.pinned_twin().is_none());
        assert!(!store.conn.is_autocommit(), "still in its transaction");
        store.conn.execute_batch("ROLLBACK").unwrap();
        // A write: the gate cannot get the lock.
        store
            .conn
            .execute_batch("BEGIN IMMEDIATE; INSERT INTO book_meta VALUES ('held', 'x')")
            .unwrap();
        assert!(store.pinned_twin().is_none(), "the write lock is held");
        assert!(!store.conn.is_autocommit(), "still in its transaction");
        store.conn.execute_batch("ROLLBACK").unwrap();
        assert_eq!(keys(&store.reads()).unwrap(), before);
    }

    #[test]
    fn the_halves_hold_every_id_once() {
        for middle in [i64::MIN, i64::MIN + 1, -5, 0, 1, 1_000, i64::MAX] {
            let [(a, b), (c, d)] = halves(middle);
            assert_eq!((a, d), (i64::MIN, i64::MAX), "{middle}");
            assert_eq!(b.checked_add(1), Some(c), "{middle}");
        }
    }

    #[test]
    fn the_middle_of_any_ids_is_a_number() {
        let store = Store::open_in_memory(&Currency::default()).unwrap();
        assert_eq!(store.reads().entries_middle().unwrap(), 0, "no entries");
        let c = &store.conn;
        c.execute_batch("PRAGMA foreign_keys = OFF").unwrap();
        let insert = |id: i64| {
            c.execute(
                "INSERT INTO entries (id, customer_id, kind, amount_cents, tax_cents, date, created_at) \
                 VALUES (?1, 1, 'credit', 1, 0, '2026-01-01', '2026-01-01T00:00:00Z')",
                [id],
            )
        };
        insert(i64::MAX - 1).unwrap();
        insert(i64::MAX - 3).unwrap();
        let middle = store.reads().entries_middle().unwrap();
        assert!(middle > i64::MAX / 2, "{middle}");
    }

    #[test]
    fn a_book_in_memory_reads_both_halves_on_one_connection() {
        let store = Store::open_in_memory(&Currency::default()).unwrap();
        assert!(store.pinned_twin().is_none());
        let (a, b) = store
            .read_in_halves(true, |r, _| keys(r), |_, a, b| Ok((a, b)))
            .unwrap();
        assert_eq!(a, b);
    }
}
