//! Documents kept with a customer (seed 004): what a file is, from its
//! first bytes rather than its name alone, and the rules for keeping one.
//!
//! Invariants: a document has a non-empty name of at most 255 characters;
//! its size is at most the configured cap; its kind is read from content.

use chrono::{DateTime, Utc};
use thiserror::Error;

use super::customer::CustomerId;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct DocumentId(pub i64);

impl std::fmt::Display for DocumentId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}", self.0)
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Document {
    pub id: DocumentId,
    pub customer_id: CustomerId,
    pub name: String,
    pub kind: String,
    pub size: u64,
    pub created_at: DateTime<Utc>,
}

pub const MAX_NAME: usize = 255;

#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum DocumentError {
    #[error("{path} does not exist: give the path of the file to attach")]
    Missing { path: String },
    #[error("{path} is not a file (a folder?): give the path of one file")]
    NotAFile { path: String },
    #[error(
        "{path} is {size}: the most a document may be is {max} (config [documents] max_size_mb)"
    )]
    TooLarge {
        path: String,
        size: String,
        max: String,
    },
    #[error("the name is empty: give the document a name (--name)")]
    EmptyName,
    #[error("the name is too long ({0} characters): at most 255")]
    NameTooLong(usize),
    #[error("{path} changed while it was read: nothing was attached; try again")]
    Changed { path: String },
    #[error("{0} already exists: pass --force to replace it, or choose another path")]
    Exists(String),
}

/// What a file is, from its first bytes (and, for the ZIP-based office
/// formats, its name).
pub fn kind_of(head: &[u8], name: &str) -> &'static str {
    let ext = name
        .rsplit_once('.')
        .map(|(_, e)| e.to_ascii_lowercase())
        .unwrap_or_default();
    match head {
        [] => "empty",
        [b'%', b'P', b'D', b'F', ..] => "PDF document",
        [0x89, b'P', b'N', b'G', ..] => "PNG image",
        [0xFF, 0xD8, 0xFF, ..] => "JPEG image",
        [b'G', b'I', b'F', b'8', ..] => "GIF image",
        [
            b'R',
            b'I',
            b'F',
            b'F',
            _,
            _,
            _,
            _,
            b'W',
            b'E',
            b'B',
            b'P',
            ..,
        ] => "WebP image",
        [b'P', b'K', 3, 4, ..] => match ext.as_str() {
            "docx" => "Word document",
            "xlsx" => "Excel workbook",
            "pptx" => "PowerPoint presentation",
            "odt" | "ods" | "odp" => "OpenDocument file",
            _ => "ZIP archive",
        },
        [0xD0, 0xCF, 0x11, 0xE0, ..] => "Office 97–2003 document",
        h if !h.contains(&0) && std::str::from_utf8(trim_partial_utf8(h)).is_ok() => "text",
        _ => "binary file",
    }
}

/// `head` without a UTF-8 character cut off at its end.
fn trim_partial_utf8(head: &[u8]) -> &[u8] {
    match std::str::from_utf8(head) {
        Ok(_) => head,
        Err(e) if e.error_len().is_none() => &head[..e.valid_up_to()],
        Err(_) => head,
    }
}

/// A document's name, trimmed, or why not.
pub fn check_name(name: &str) -> Result<String, DocumentError> {
    let n = name.trim();
    match n.chars().count() {
        0 => Err(DocumentError::EmptyName),
        c if c > MAX_NAME => Err(DocumentError::NameTooLong(c)),
        _ => Ok(n.to_string()),
    }
}

/// "1.5 MB", "12 KB", "300 bytes".
pub fn human_size(n: u64) -> String {
    match n {
        n if n >= 1 << 20 => format!("{:.1} MB", n as f64 / f64::from(1u32 << 20)),
        n if n >= 1 << 10 => format!("{} KB", n.div_ceil(1024)),
        1 => "1 byte".into(),
        n => format!("{n} bytes"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_kind_comes_from_the_content() {
        assert_eq!(kind_of(b"%PDF-1.7\n", "x.txt"), "PDF document");
        assert_eq!(kind_of(b"\x89PNG\r\n", "scan.pdf"), "PNG image");
        assert_eq!(kind_of(b"PK\x03\x04....", "contract.docx"), "Word document");
        assert_eq!(kind_of(b"PK\x03\x04....", "photos.zip"), "ZIP archive");
        assert_eq!(kind_of("Ünïcode notes\n".as_bytes(), "n"), "text");
        assert_eq!(kind_of(b"\x00\x01\x02", "n.txt"), "binary file");
        assert_eq!(kind_of(b"", "n"), "empty");
        assert_eq!(check_name("  "), Err(DocumentError::EmptyName));
        assert_eq!(human_size(1536), "2 KB");
        assert_eq!(human_size(20 * 1024 * 1024), "20.0 MB");
    }
}
