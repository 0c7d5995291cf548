//! Attaching files to a customer, copying them back out, removing them.
//! The checks that need no book (the file exists, is a file, is within the
//! size cap) come first; then one transaction stores the row, the bytes
//! and the timeline line together.

use std::io::Read;
use std::path::Path;

use super::{Book, OpsError, Result, find_customer};
use crate::domain::customer::CustomerId;
use crate::domain::document::{
    Document, DocumentError, DocumentId, check_name, human_size, kind_of,
};

/// What attaching a file would store: shown before saving in the TUI.
#[derive(Debug, Clone, PartialEq)]
pub struct Attachment {
    pub name: String,
    pub kind: &'static str,
    pub size: u64,
}

impl Book {
    /// Looks at a file to attach without storing it: its name, kind and
    /// size, or why it cannot be attached.
    pub fn inspect_attachment(&self, path: &Path, name: Option<&str>) -> Result<Attachment> {
        let shown = path.display().to_string();
        let meta = std::fs::metadata(path).map_err(|_| DocumentError::Missing {
            path: shown.clone(),
        })?;
        if !meta.is_file() {
            return Err(DocumentError::NotAFile { path: shown }.into());
        }
        let max = self.config.documents.max_bytes();
        if meta.len() > max {
            let exact = |n: u64| format!("{} ({n} bytes)", human_size(n));
            return Err(DocumentError::TooLarge {
                path: shown,
                size: exact(meta.len()),
                max: exact(max),
            }
            .into());
        }
        let file_name = path
            .file_name()
            .map(|n| n.to_string_lossy().to_string())
            .unwrap_or_default();
        let name = check_name(name.unwrap_or(&file_name))?;
        let mut head = Vec::with_capacity(512);
        std::fs::File::open(path)
            .and_then(|f| f.take(512).read_to_end(&mut head))
            .map_err(|_| DocumentError::Missing {
                path: shown.clone(),
            })?;
        Ok(Attachment {
            kind: kind_of(&head, &name),
            name,
            size: meta.len(),
        })
    }

    /// `tally document add`: stores the file in the book; returns its id.
    pub fn add_document(
        &mut self,
        customer: CustomerId,
        path: &Path,
        name: Option<&str>,
    ) -> Result<DocumentId> {
        let a = self.inspect_attachment(path, name)?;
        let shown = path.display().to_string();
        let mut file = std::fs::File::open(path).map_err(|_| DocumentError::Missing {
            path: shown.clone(),
        })?;
        self.transact(|tx, cx| {
            find_customer(&tx.reads(), customer)?;
            let now = cx.clock.now();
            let id = tx
                .insert_document(customer, &a.name, a.kind, a.size, &mut file, now)
                .map_err(|e| match e {
                    crate::store::StoreError::Changed(_) => DocumentError::Changed {
                        path: shown.clone(),
                    }
                    .into(),
                    other => OpsError::from(other),
                })?;
            // A file that grew while it was read is refused too.
            let mut extra = [0u8; 1];
            if matches!(file.read(&mut extra), Ok(n) if n > 0) {
                return Err(DocumentError::Changed {
                    path: shown.clone(),
                }
                .into());
            }
            let detail = format!(
                "attached document #{id}: {} ({}, {})",
                a.name,
                a.kind,
                human_size(a.size)
            );
            tx.log(customer, now, cx.actor, "document.added", &detail)?;
            Ok(id)
        })
    }

    pub fn document(&self, id: DocumentId) -> Result<Document> {
        self.reads().document(id)?.ok_or(OpsError::NoDocument(id))
    }

    /// `tally document export`: the bytes exactly as attached, written to
    /// `out` (an existing file only with `replace`); returns the size.
    pub fn export_document(&self, id: DocumentId, out: &Path, replace: bool) -> Result<u64> {
        let doc = self.document(id)?;
        if out.exists() && !replace {
            return Err(DocumentError::Exists(out.display().to_string()).into());
        }
        let tmp = out.with_file_name(format!(
            ".{}.partial-{}",
            out.file_name()
                .map(|n| n.to_string_lossy().to_string())
                .unwrap_or_default(),
            std::process::id()
        ));
        let written = self.snapshot(|r| {
            let file = std::fs::File::create(&tmp).map_err(|e| write_error(out, e))?;
            let mut w = std::io::BufWriter::new(file);
            let n = r.copy_document(doc.id, &mut w)?;
            std::io::Write::flush(&mut w).map_err(|e| write_error(out, e))?;
            Ok(n)
        });
        let n = match written {
            Ok(n) => n,
            Err(e) => {
                let _ = std::fs::remove_file(&tmp);
                return Err(e);
            }
        };
        std::fs::rename(&tmp, out).map_err(|e| write_error(out, e))?;
        Ok(n)
    }

    pub fn remove_document(&mut self, id: DocumentId) -> Result<Document> {
        self.transact(|tx, cx| {
            let doc = tx.reads().document(id)?.ok_or(OpsError::NoDocument(id))?;
            tx.delete_document(id)?;
            let detail = format!(
                "removed document #{id}: {} ({})",
                doc.name,
                human_size(doc.size)
            );
            tx.log(
                doc.customer_id,
                cx.clock.now(),
                cx.actor,
                "document.removed",
                &detail,
            )?;
            Ok(doc)
        })
    }
}

fn write_error(path: &Path, e: std::io::Error) -> OpsError {
    OpsError::Store(crate::store::StoreError::Unreadable {
        path: path.to_path_buf(),
        source: e,
    })
}
