//! Documents' rows and bytes. Bytes are written and read in pieces through
//! SQLite's incremental BLOB I/O, so a document never has to fit in memory
//! and listing documents never reads any.

use std::io::{Read, Write};

use chrono::{DateTime, Utc};
use rusqlite::{MAIN_DB, OptionalExtension, Row, params};

use super::{Reads, Result, StoreError, Tx, guard, parse_ts, ts};
use crate::domain::customer::CustomerId;
use crate::domain::document::{Document, DocumentId};

const COLS: &str = "id, customer_id, name, kind, size, created_at";
const PIECE: usize = 64 * 1024;

fn document_from(r: &Row<'_>) -> rusqlite::Result<Document> {
    Ok(Document {
        id: DocumentId(r.get(0)?),
        customer_id: CustomerId(r.get(1)?),
        name: r.get(2)?,
        kind: r.get(3)?,
        size: r.get::<_, i64>(4)? as u64,
        created_at: parse_ts(5, &r.get::<_, String>(5)?)?,
    })
}

impl Reads<'_> {
    /// A window of a customer's documents, newest first.
    pub fn documents(
        &self,
        customer: CustomerId,
        offset: usize,
        limit: usize,
    ) -> Result<Vec<Document>> {
        let sql = format!(
            "SELECT {COLS} FROM documents WHERE customer_id = ?1 ORDER BY id DESC LIMIT ?2 OFFSET ?3"
        );
        let limit = i64::try_from(limit).unwrap_or(i64::MAX);
        let mut stmt = self.conn.prepare_cached(&sql)?;
        let rows = stmt.query_map(params![customer.0, limit, offset as i64], document_from)?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    pub fn count_documents(&self, customer: CustomerId) -> Result<usize> {
        let n: i64 = self.conn.query_row(
            "SELECT count(*) FROM documents WHERE customer_id = ?1",
            [customer.0],
            |r| r.get(0),
        )?;
        Ok(n as usize)
    }

    pub fn document(&self, id: DocumentId) -> Result<Option<Document>> {
        let sql = format!("SELECT {COLS} FROM documents WHERE id = ?1");
        Ok(self
            .conn
            .query_row(&sql, [id.0], document_from)
            .optional()?)
    }

    /// Copies a document's bytes to `out`, a piece at a time.
    pub fn copy_document(&self, id: DocumentId, out: &mut impl Write) -> Result<u64> {
        let mut blob = self
            .conn
            .blob_open(MAIN_DB, c"document_bytes", c"content", id.0, true)?;
        let mut buf = vec![0u8; PIECE];
        let mut total = 0u64;
        loop {
            let n = blob.read(&mut buf).map_err(io)?;
            if n == 0 {
                return Ok(total);
            }
            out.write_all(&buf[..n]).map_err(io)?;
            total += n as u64;
        }
    }
}

impl Tx<'_> {
    /// Stores a document: its row, then exactly `size` bytes from `from`,
    /// written a piece at a time into space reserved for them. Fewer bytes
    /// than `size` is [`StoreError::Changed`] (the file shrank meanwhile).
    #[allow(clippy::too_many_arguments)]
    pub fn insert_document(
        &self,
        customer: CustomerId,
        name: &str,
        kind: &str,
        size: u64,
        from: &mut impl Read,
        now: DateTime<Utc>,
    ) -> Result<DocumentId> {
        self.tx.execute(
            "INSERT INTO documents (customer_id, name, kind, size, created_at) VALUES (?1, ?2, ?3, ?4, ?5)",
            params![customer.0, name, kind, size as i64, ts(now)],
        )?;
        let id = DocumentId(self.tx.last_insert_rowid());
        self.tx.execute(
            "INSERT INTO document_bytes (document_id, content) VALUES (?1, zeroblob(?2))",
            params![id.0, size as i64],
        )?;
        if size > 0 {
            let rowid = self.tx.last_insert_rowid();
            let mut blob =
                self.tx
                    .blob_open(MAIN_DB, c"document_bytes", c"content", rowid, false)?;
            let mut buf = vec![0u8; PIECE];
            let mut left = size;
            while left > 0 {
                let want = buf.len().min(left as usize);
                let n = from.read(&mut buf[..want]).map_err(io)?;
                if n == 0 {
                    return Err(StoreError::Changed(format!(
                        "document {id}: the file ended early"
                    )));
                }
                blob.write_all(&buf[..n]).map_err(io)?;
                left -= n as u64;
            }
        }
        Ok(id)
    }

    pub fn delete_document(&self, id: DocumentId) -> Result<()> {
        self.tx
            .execute("DELETE FROM document_bytes WHERE document_id = ?1", [id.0])?;
        let n = self
            .tx
            .execute("DELETE FROM documents WHERE id = ?1", [id.0])?;
        guard(n, || format!("document {id} is gone"))
    }
}

fn io(e: std::io::Error) -> StoreError {
    StoreError::Unreadable {
        path: "a document".into(),
        source: e,
    }
}
