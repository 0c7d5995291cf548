//! Files that come from other systems and go to them: CSV in (customers
//! from QuickBooks Online, Stripe or a plain sheet; entries in tally's own
//! format), CSV out for spreadsheets, and journals for hledger and
//! beancount. Pure text work: no SQL and no terminal; `ops` does the
//! writing, one transaction per import.
//!
//! Invariants: a file is read whole or refused whole, with the line and
//! column of the first problem; foreign text is kept as it came (it is
//! made safe where it is shown, never where it is stored); a spreadsheet
//! cell that would run as a formula is neutralised on the way out.

pub mod csv_in;
pub mod csv_out;
pub mod customers;
pub mod entries;
pub mod invoices;
pub mod journal;

use thiserror::Error;

/// Why a file was refused: said once, with where in the file.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum FileError {
    #[error("{file} is empty: nothing to import")]
    Empty { file: String },
    #[error("{file} has a header but no rows: nothing to import")]
    HeaderOnly { file: String },
    #[error(
        "{file} is UTF-16 text: save it as \"CSV UTF-8\" (comma or semicolon separated) and import that"
    )]
    Utf16 { file: String },
    #[error(
        "{file} line {line} is not UTF-8 (probably Windows-1252 or Latin-1): save the file as \"CSV UTF-8\" and import that"
    )]
    NotUtf8 { file: String, line: usize },
    #[error("{file} line {line}: {reason}")]
    Row {
        file: String,
        line: usize,
        reason: String,
    },
    #[error("{file} line {line}, column {column}: {reason}")]
    Cell {
        file: String,
        line: usize,
        column: String,
        reason: String,
    },
    #[error("{file}: {reason}")]
    Header { file: String, reason: String },
}
