//! `tally backup`: a consistent copy of the book through SQLite's online
//! backup API, safe while the TUI, the portal or a billing run writes.
//!
//! Invariants: the copy is written beside its destination under a
//! temporary name (unjournaled, synced once when whole) and renamed into
//! place only once complete and checked: SQLite's page check of the book
//! passed (run beside the copy, the file's part and the search index's
//! own part on threads of their own), and the copy
//! opens as a tally book holding every page the copy wrote;
//! so a backup file is never half written; an existing file is replaced
//! only when the caller says so. A temporary copy a killed backup left
//! (its process gone) is removed by the next backup to the same place.

use std::path::{Path, PathBuf};
use std::time::Duration;

use rusqlite::backup::{Backup, StepResult};
use rusqlite::{Connection, OpenFlags};

use super::{Result, Store, StoreError, page_check_reader, page_check_sql, schema};

/// What a finished backup wrote.
#[derive(Debug, Clone, PartialEq)]
pub struct BackupReport {
    pub path: PathBuf,
    pub bytes: u64,
    pub customers: i64,
    pub entries: i64,
}

impl Store {
    /// Copies the whole book to `dest`. `progress` gets (pages done, pages
    /// in all) as the copy goes.
    pub fn backup_to(
        &self,
        dest: &Path,
        replace: bool,
        mut progress: impl FnMut(u64, u64),
    ) -> Result<BackupReport> {
        if dest.is_dir() {
            return Err(StoreError::IsDirectory(dest.to_path_buf()));
        }
        if dest.exists() && !replace {
            return Err(StoreError::BackupExists(dest.to_path_buf()));
        }
        remove_stale_copies(dest);
        let tmp = temp_beside(dest);
        // SQLite's page check reads the book on a second core while the
        // copy is written: the copy is the book page for page, so damage in
        // one is damage in the other, and the check costs no extra time.
        let book = self.path().to_path_buf();
        let (copied, pages) = std::thread::scope(|s| {
            let pages = s.spawn(move || pages_sound(&book));
            let copied = self.copy_into(&tmp, &mut progress);
            (copied, joined(pages, self.path()))
        });
        let checked = copied.and_then(|count| {
            let checked_copy = match pages? {
                Sound::Yes => false,
                // An in-memory book has no file to read beside the copy.
                Sound::NotAFile => true,
            };
            verify(&tmp, count, checked_copy)
        });
        let report = match checked {
            Ok(r) => r,
            Err(e) => {
                remove_with_side_files(&tmp);
                // The copy is the book page for page: damage found in it is
                // the book's.
                return Err(match e {
                    StoreError::Corrupt(_) => StoreError::Corrupt(self.path().to_path_buf()),
                    other => other,
                });
            }
        };
        std::fs::rename(&tmp, dest).map_err(|source| StoreError::Unreadable {
            path: dest.to_path_buf(),
            source,
        })?;
        let bytes = std::fs::metadata(dest).map(|m| m.len()).unwrap_or(0);
        Ok(BackupReport {
            path: dest.to_path_buf(),
            bytes,
            ..report
        })
    }

    /// Writes the copy; returns how many pages it holds.
    fn copy_into(&self, tmp: &Path, progress: &mut impl FnMut(u64, u64)) -> Result<i64> {
        let _ = std::fs::remove_file(tmp);
        let mut out = Connection::open(tmp).map_err(|e| StoreError::Unreadable {
            path: tmp.to_path_buf(),
            source: std::io::Error::other(e.to_string()),
        })?;
        // The copy is a temporary file, renamed into place only once whole
        // and checked: nothing is gained by syncing or journaling each
        // step. It is synced once, whole, before the rename.
        out.pragma_update(None, "synchronous", "OFF")?;
        out.pragma_update(None, "journal_mode", "OFF")?;
        let pages = {
            let backup = Backup::new(&self.conn, &mut out)?;
            // Steps with a pause let a writer in between; a write during
            // the copy makes SQLite restart it, so the copy is one moment
            // of the book.
            loop {
                let step = backup.step(STEP_PAGES)?;
                let p = backup.progress();
                let total = p.pagecount.max(0) as u64;
                progress(total.saturating_sub(p.remaining.max(0) as u64), total);
                match step {
                    StepResult::Done => break,
                    StepResult::More => {}
                    StepResult::Busy | StepResult::Locked => {
                        std::thread::sleep(Duration::from_millis(20))
                    }
                    _ => std::thread::sleep(Duration::from_millis(20)),
                }
            }
            i64::from(backup.progress().pagecount)
        };
        // A backup is one self-contained file: no -wal beside it.
        out.pragma_update(None, "journal_mode", "DELETE")?;
        drop(out);
        sync_file(tmp)?;
        Ok(pages)
    }
}

/// Pages per backup step: 32 MB at 4 KB pages.
const STEP_PAGES: std::ffi::c_int = 8192;

/// Flushes a finished copy to the disk.
fn sync_file(path: &Path) -> Result<()> {
    let unreadable = |source| StoreError::Unreadable {
        path: path.to_path_buf(),
        source,
    };
    std::fs::File::open(path)
        .and_then(|f| f.sync_all())
        .map_err(unreadable)
}

/// What SQLite's page check said of the book file.
enum Sound {
    Yes,
    NotAFile,
}

/// SQLite's `quick_check` of the book file, in two parts on threads of
/// their own that together are the whole of it:
/// - the file: every page accounted for, every b-tree well formed, every
///   row of the types and constraints its table declares. It runs with no
///   virtual-table module loaded, so it walks the search index's tables
///   page by page like any other and leaves the index's own check out;
/// - each virtual table's own check, here FTS5's of the customer search
///   index, which decodes every segment of it: 0.17 s of the 0.63 s the
///   whole check takes on one thread at 100,000 customers.
fn pages_sound(book: &Path) -> Result<Sound> {
    if !book.is_file() {
        return Ok(Sound::NotAFile);
    }
    std::thread::scope(|s| {
        let modules = s.spawn(|| modules_sound(book));
        let file = page_check_reader(book).and_then(|conn| {
            without_modules(&conn)?;
            quick_check(&conn, None, book)
        });
        file.and(joined(modules, book))
    })?;
    Ok(Sound::Yes)
}

/// What a check thread found; one that stopped unexpectedly proved nothing.
fn joined<T>(check: std::thread::ScopedJoinHandle<'_, Result<T>>, book: &Path) -> Result<T> {
    check
        .join()
        .unwrap_or_else(|_| Err(StoreError::Corrupt(book.to_path_buf())))
}

/// Each virtual table's own part of SQLite's `quick_check`.
fn modules_sound(book: &Path) -> Result<()> {
    let conn = page_check_reader(book)?;
    let names: Vec<String> = conn
        .prepare(
            "SELECT name FROM sqlite_schema
             WHERE type = 'table' AND sql LIKE 'CREATE VIRTUAL TABLE%'",
        )?
        .query_map([], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    for name in names {
        quick_check(&conn, Some(&name), book)?;
    }
    Ok(())
}

/// SQLite's `quick_check` of the whole file, or of one table.
fn quick_check(conn: &Connection, table: Option<&str>, path: &Path) -> Result<()> {
    let sql = page_check_sql("quick_check", table);
    let ok: String = conn.query_row(&sql, [], |r| r.get(0))?;
    if ok != "ok" {
        return Err(StoreError::Corrupt(path.to_path_buf()));
    }
    Ok(())
}

/// Unregisters every virtual-table module on `conn` (FTS5 among them), so
/// nothing SQLite runs on it reaches into a module. The connection must be
/// one of its own: searching the customers on it fails afterwards.
fn without_modules(conn: &Connection) -> Result<()> {
    // SAFETY: the handle is live while `conn` is borrowed, and SQLite reads
    // a null list as "keep none"; no statement of `conn` uses a module.
    let rc = unsafe { rusqlite::ffi::sqlite3_drop_modules(conn.handle(), std::ptr::null_mut()) };
    if rc != rusqlite::ffi::SQLITE_OK {
        return Err(rusqlite::Error::SqliteFailure(rusqlite::ffi::Error::new(rc), None).into());
    }
    Ok(())
}

/// Opens the finished copy read-only and checks it is a whole tally book
/// of all `pages` the copy wrote (and, where the book itself could not
/// be, SQLite's page check of it).
fn verify(path: &Path, pages: i64, page_check: bool) -> Result<BackupReport> {
    let conn = Connection::open_with_flags(path, OpenFlags::SQLITE_OPEN_READ_ONLY)?;
    schema::check_identity(&conn, path)?;
    let held: i64 = conn.query_row("PRAGMA page_count", [], |r| r.get(0))?;
    if held != pages {
        return Err(StoreError::Corrupt(path.to_path_buf()));
    }
    if page_check {
        quick_check(&conn, None, path)?;
    }
    let count = |table: &str| -> Result<i64> {
        Ok(conn.query_row(&format!("SELECT count(*) FROM {table}"), [], |r| r.get(0))?)
    };
    Ok(BackupReport {
        path: path.to_path_buf(),
        bytes: 0,
        customers: count("customers")?,
        entries: count("entries")?,
    })
}

fn temp_beside(dest: &Path) -> PathBuf {
    dest.with_file_name(format!("{}{}", temp_prefix(dest), std::process::id()))
}

/// `.NAME.partial-`: what every temporary copy for `dest` is called, but
/// for the id of the process writing it.
fn temp_prefix(dest: &Path) -> String {
    let name = dest
        .file_name()
        .map(|n| n.to_string_lossy().to_string())
        .unwrap_or_else(|| "backup".into());
    format!(".{name}.partial-")
}

/// A copy and the journal files SQLite may have left beside it.
fn remove_with_side_files(path: &Path) {
    let _ = std::fs::remove_file(path);
    for side in ["-journal", "-wal", "-shm"] {
        let mut p = path.as_os_str().to_owned();
        p.push(side);
        let _ = std::fs::remove_file(PathBuf::from(p));
    }
}

/// Removes the temporary copies for `dest` that backups killed part-way
/// left behind: those whose process is gone. A live backup's is kept.
fn remove_stale_copies(dest: &Path) {
    let prefix = temp_prefix(dest);
    let dir = match dest.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().to_string();
        let Some(pid) = name
            .strip_prefix(&prefix)
            .and_then(|rest| rest.split('-').next())
            .and_then(|pid| pid.parse::<u32>().ok())
        else {
            continue;
        };
        if pid != std::process::id() && !process_alive(pid) {
            let _ = std::fs::remove_file(entry.path());
        }
    }
}

/// Whether process `pid` is running. Where that cannot be known (no
/// `/proc`), it is taken to be, so nothing another backup is writing is
/// ever removed.
fn process_alive(pid: u32) -> bool {
    let proc = Path::new("/proc");
    if !proc.join("self").exists() {
        return true;
    }
    proc.join(pid.to_string()).exists()
}
