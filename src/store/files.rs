//! What the store needs to know about a book *file* before SQLite opens it:
//! how long its header says it is, and whether tally may write it.
//!
//! Invariants: nothing here writes; a read-only book is opened so that no
//! `-wal`/`-shm` file is created beside it.

use std::path::Path;

use rusqlite::{Connection, OpenFlags};

/// The file size SQLite's header promises, when the header's page count is
/// valid (SQLite ≥ 3.7: the "version-valid-for" field matches the change
/// counter). `None` when the header cannot say.
pub(super) fn expected_size(head: &[u8; 100]) -> Option<u64> {
    let be32 = |at: usize| u32::from_be_bytes([head[at], head[at + 1], head[at + 2], head[at + 3]]);
    let page_size = match u16::from_be_bytes([head[16], head[17]]) {
        1 => 65_536u64,
        n if n >= 512 && n.is_power_of_two() => u64::from(n),
        _ => return None,
    };
    let pages = u64::from(be32(28));
    (be32(24) == be32(92) && pages > 0).then_some(page_size * pages)
}

/// True when tally must not write `path`: the file (or, for a new book or
/// the side files SQLite needs, its folder) has no write permission. Read
/// from the permission bits rather than by trying, so that root, who may
/// write anything, still leaves a read-only book alone.
pub(super) fn read_only(path: &Path) -> bool {
    let file = std::fs::metadata(path).ok();
    if file.as_ref().is_some_and(|m| m.permissions().readonly()) {
        return true;
    }
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    std::fs::metadata(dir).is_ok_and(|m| m.permissions().readonly())
}

/// Opens a read-only book without side files. With no pending write-ahead
/// log the file is immutable to us (no locks, no `-shm`); with one, SQLite
/// must read the log, so it opens read-only the ordinary way.
pub(super) fn open_read_only_file(path: &Path) -> rusqlite::Result<Connection> {
    let mut wal = path.as_os_str().to_owned();
    wal.push("-wal");
    let pending = std::fs::metadata(&wal).is_ok_and(|m| m.len() > 0);
    let flags = OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX;
    if pending {
        return Connection::open_with_flags(path, flags);
    }
    let mut uri = String::from("file:");
    for b in path.to_string_lossy().bytes() {
        match b {
            b'?' | b'#' | b'%' | 0x80..=0xff => uri.push_str(&format!("%{b:02X}")),
            _ => uri.push(b as char),
        }
    }
    uri.push_str("?immutable=1");
    Connection::open_with_flags(uri, flags | OpenFlags::SQLITE_OPEN_URI)
}

/// Whether a rollback journal is waiting beside the book: a bulk import
/// that had the book to itself writes through one, and a process killed
/// mid-write leaves it "hot". The book may then be shorter than its new
/// header says until SQLite, on the next open, copies the old pages back.
pub(super) fn hot_journal(path: &Path) -> bool {
    let mut journal = path.as_os_str().to_owned();
    journal.push("-journal");
    std::fs::metadata(Path::new(&journal)).is_ok_and(|m| m.len() > 0)
}

/// Whether some connection has the book open: SQLite keeps the `-shm` file
/// of a WAL book for as long as one does.
pub(super) fn in_use(path: &Path) -> bool {
    let mut shm = path.as_os_str().to_owned();
    shm.push("-shm");
    Path::new(&shm).exists()
}
