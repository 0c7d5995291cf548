//! Entries files (DESIGN §4): `date,customer,email,type,amount,tax,description`
//! in any column order and case, plus the optional `method` and `reference`
//! that tally's own export writes. `type` is `charge`, `credit` or `refund`
//! (credit paid back out).

use std::ops::Range;

// A fast hasher: every row's customer key is looked up.
use foldhash::{HashMap, HashMapExt};

use chrono::NaiveDate;
use rust_decimal::Decimal;

use super::FileError;
use super::csv_in::columns;
use crate::domain::Currency;
use crate::domain::entry::{EntryKind, MAX_DESCRIPTION, Method};

/// Where each field is in the file's rows.
#[derive(Debug, Clone, Copy)]
pub struct EntryColumns {
    /// The day the import runs: what `today` and `yesterday` in a date
    /// cell are counted from.
    today: NaiveDate,
    date: usize,
    customer: Option<usize>,
    email: Option<usize>,
    kind: usize,
    amount: usize,
    tax: Option<usize>,
    description: Option<usize>,
    method: Option<usize>,
    reference: Option<usize>,
}

/// One row, checked.
#[derive(Debug, Clone, PartialEq)]
pub struct EntryRow<'a> {
    pub line: usize,
    pub date: NaiveDate,
    pub customer: &'a str,
    pub email: &'a str,
    pub kind: EntryKind,
    pub amount: Decimal,
    pub tax: Decimal,
    pub description: &'a str,
    pub method: Option<Method>,
    pub reference: Option<&'a str>,
}

/// [`EntryRow`] with its text owned, for a row kept past its batch.
#[derive(Debug, Clone, PartialEq)]
pub struct ParsedEntry {
    pub line: usize,
    pub date: NaiveDate,
    pub customer: String,
    pub email: String,
    pub kind: EntryKind,
    pub amount: Decimal,
    pub tax: Decimal,
    pub description: String,
    pub method: Option<Method>,
    pub reference: Option<String>,
}

impl EntryRow<'_> {
    pub fn owned(&self) -> ParsedEntry {
        ParsedEntry {
            line: self.line,
            date: self.date,
            customer: self.customer.to_string(),
            email: self.email.to_string(),
            kind: self.kind,
            amount: self.amount,
            tax: self.tax,
            description: self.description.to_string(),
            method: self.method,
            reference: self.reference.map(str::to_string),
        }
    }
}

/// Checked rows with all their text in one buffer, handed from the thread
/// that reads a file to the one that writes the book: a batch is a few
/// allocations however many rows it holds, where owned rows were four each.
#[derive(Debug, Default)]
pub struct EntryBatch {
    text: String,
    rows: Vec<BatchRow>,
}

/// Numbers each distinct customer key a file's rows give (email in lower
/// case, and name) 0, 1, 2, … in the order they first appear. The thread
/// reading the file numbers them, so the one writing the book looks a
/// customer up once, at their first row, and every later row by number.
///
/// Two rows with the same key always name the same customer: matching
/// (by email, then name) remembers its answer for both halves of the key.
#[derive(Debug, Default)]
pub struct CustomerKeys {
    /// The email key's length, the email key and the name, as bytes: one
    /// buffer per key, and no two keys alike.
    slots: HashMap<Box<[u8]>, usize>,
    buf: Vec<u8>,
}

impl CustomerKeys {
    pub fn new() -> CustomerKeys {
        CustomerKeys {
            slots: HashMap::with_capacity(1024),
            buf: Vec::with_capacity(128),
        }
    }

    /// The number of the customer key `(email_key, name)`.
    pub fn slot(&mut self, email_key: &str, name: &str) -> usize {
        self.buf.clear();
        self.buf.extend_from_slice(&email_key.len().to_le_bytes());
        self.buf.extend_from_slice(email_key.as_bytes());
        self.buf.extend_from_slice(name.as_bytes());
        if let Some(slot) = self.slots.get(self.buf.as_slice()) {
            return *slot;
        }
        let slot = self.slots.len();
        self.slots.insert(self.buf.as_slice().into(), slot);
        slot
    }
}

/// A row of a batch, its text as ranges of the batch's buffer.
#[derive(Debug, Clone)]
struct BatchRow {
    line: usize,
    date: NaiveDate,
    kind: EntryKind,
    amount: Decimal,
    tax: Decimal,
    method: Option<Method>,
    customer: Range<usize>,
    email: Range<usize>,
    email_key: Range<usize>,
    description: Range<usize>,
    reference: Option<Range<usize>>,
    slot: usize,
}

/// A row read back from a batch, with its email in lower case (the key
/// customers are matched by) and the number [`CustomerKeys`] gave its
/// customer key.
pub struct BatchEntry<'a> {
    pub row: EntryRow<'a>,
    pub email_key: &'a str,
    pub slot: usize,
}

impl EntryBatch {
    pub fn with_capacity(rows: usize) -> EntryBatch {
        EntryBatch {
            text: String::with_capacity(rows * 64),
            rows: Vec::with_capacity(rows),
        }
    }

    pub fn len(&self) -> usize {
        self.rows.len()
    }

    pub fn is_empty(&self) -> bool {
        self.rows.is_empty()
    }

    /// Adds `row`, numbering its customer key in `keys`.
    pub fn push(&mut self, row: &EntryRow<'_>, keys: &mut CustomerKeys) {
        let mut put = |s: &str| {
            let start = self.text.len();
            self.text.push_str(s);
            start..self.text.len()
        };
        let customer = put(row.customer);
        let email = put(row.email);
        let description = put(row.description);
        let reference = row.reference.map(&mut put);
        let start = self.text.len();
        if row.email.is_ascii() {
            self.text.extend(
                row.email
                    .bytes()
                    .map(|b| char::from(b.to_ascii_lowercase())),
            );
        } else {
            self.text.push_str(&row.email.to_lowercase());
        }
        let email_key = start..self.text.len();
        let slot = keys.slot(&self.text[email_key.clone()], row.customer);
        self.rows.push(BatchRow {
            line: row.line,
            date: row.date,
            kind: row.kind,
            amount: row.amount,
            tax: row.tax,
            method: row.method,
            customer,
            email,
            email_key,
            description,
            reference,
            slot,
        });
    }

    pub fn iter(&self) -> impl Iterator<Item = BatchEntry<'_>> {
        let text = |r: &Range<usize>| self.text.get(r.clone()).unwrap_or("");
        self.rows.iter().map(move |r| BatchEntry {
            row: EntryRow {
                line: r.line,
                date: r.date,
                customer: text(&r.customer),
                email: text(&r.email),
                kind: r.kind,
                amount: r.amount,
                tax: r.tax,
                description: text(&r.description),
                method: r.method,
                reference: r.reference.as_ref().map(text),
            },
            email_key: text(&r.email_key),
            slot: r.slot,
        })
    }
}

impl EntryColumns {
    pub fn find(
        headers: &[String],
        file: &str,
        today: NaiveDate,
    ) -> Result<EntryColumns, FileError> {
        let need = |names: &[&str], what: &str| {
            columns(headers, names).ok_or_else(|| FileError::Header {
                file: file.to_string(),
                reason: format!(
                    "no {what} column: an entries file has date, customer, email, type, amount, tax, description (customer or email may be left out, not both)"
                ),
            })
        };
        let cols = EntryColumns {
            today,
            date: need(&["date"], "date")?,
            customer: columns(headers, &["customer", "name"]),
            email: columns(headers, &["email"]),
            kind: need(&["type", "kind"], "type")?,
            amount: need(&["amount"], "amount")?,
            tax: columns(headers, &["tax"]),
            description: columns(headers, &["description", "desc", "memo"]),
            method: columns(headers, &["method"]),
            reference: columns(headers, &["reference"]),
        };
        if cols.customer.is_none() && cols.email.is_none() {
            need(&["customer"], "customer or email")?;
        }
        Ok(cols)
    }

    /// Checks one row; the first problem is the file's error.
    pub fn parse<'a>(
        &self,
        file: &str,
        line: usize,
        cells: &[&'a str],
        currency: &Currency,
    ) -> Result<EntryRow<'a>, FileError> {
        let cell = |i: Option<usize>| i.and_then(|i| cells.get(i).copied()).unwrap_or("");
        let bad = |column: &str, reason: String| FileError::Cell {
            file: file.to_string(),
            line,
            column: column.to_string(),
            reason,
        };
        let date = parse_day(cell(Some(self.date)), self.today).map_err(|r| bad("date", r))?;
        let kind = match cell(Some(self.kind)).to_ascii_lowercase().as_str() {
            "charge" => EntryKind::Charge,
            "credit" | "payment" => EntryKind::Credit,
            "refund" | "payout" => EntryKind::Payout,
            other => {
                return Err(bad(
                    "type",
                    format!("\"{other}\" is not a type: use charge, credit or refund"),
                ));
            }
        };
        let amount = currency
            .parse_amount(cell(Some(self.amount)))
            .map_err(|e| bad("amount", e.to_string()))?;
        let tax = currency
            .parse_tax(cell(self.tax))
            .map_err(|e| bad("tax", e.to_string()))?;
        if kind != EntryKind::Charge && !tax.is_zero() {
            return Err(bad("tax", "applies to charges only".into()));
        }
        if tax > amount {
            return Err(bad("tax", "is more than the amount it is on".into()));
        }
        let description = cell(self.description);
        let n = description.chars().count();
        if n > MAX_DESCRIPTION {
            return Err(bad(
                "description",
                format!("is too long ({n} characters): at most {MAX_DESCRIPTION}"),
            ));
        }
        let (customer, email) = (cell(self.customer), cell(self.email));
        if customer.is_empty() && email.is_empty() {
            return Err(bad(
                "customer",
                "is empty, and so is email: name who this is for".into(),
            ));
        }
        let method = match (kind, cell(self.method)) {
            (EntryKind::Charge, _) => None,
            (_, "") => Some(Method::Other),
            (_, m) => Some(Method::parse(m).ok_or_else(|| {
                bad(
                    "method",
                    format!("\"{m}\" is not one of: cash, card, check, transfer, other"),
                )
            })?),
        };
        let reference =
            Some(cell(self.reference)).filter(|r| !r.is_empty() && kind != EntryKind::Charge);
        Ok(EntryRow {
            line,
            date,
            customer,
            email,
            kind,
            amount,
            tax,
            description,
            method,
            reference,
        })
    }
}

/// A file's date: `YYYY-MM-DD` (or another system's way of writing it:
/// `parse_file_date`), or `today` / `yesterday` counted from the day the
/// import runs. An empty cell is refused: a row needs its date.
fn parse_day(s: &str, today: NaiveDate) -> Result<NaiveDate, String> {
    if s.trim().is_empty() {
        return Err("is empty: every row needs its date, YYYY-MM-DD".into());
    }
    crate::domain::date::parse_file_date(s, today).map_err(|e| e.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(s: &str) -> Vec<String> {
        s.split(',').map(str::to_string).collect()
    }

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).expect("a day")
    }

    #[test]
    fn today_and_yesterday_count_from_the_day_the_import_runs() {
        let cur = Currency::default();
        let h = headers("date,customer,type,amount");
        let cols = EntryColumns::find(&h, "e.csv", day(2026, 11, 21)).unwrap();
        let date = |cell: &str| {
            cols.parse("e.csv", 2, &[cell, "Ann", "charge", "5"], &cur)
                .map(|r| r.date)
        };
        assert_eq!(date("today").unwrap(), day(2026, 11, 21));
        assert_eq!(date(" Yesterday ").unwrap(), day(2026, 11, 20));
        assert_eq!(date("2026-03-01").unwrap(), day(2026, 3, 1));
        assert!(date("").is_err() && date("soon").is_err());
    }

    #[test]
    fn a_row_is_read_by_its_header_and_each_problem_names_its_cell() {
        let cur = Currency::default();
        let h = headers("type,amount,date,email,customer,tax,description");
        let cols = EntryColumns::find(&h, "e.csv", day(2026, 11, 21)).unwrap();
        let row = cols
            .parse(
                "e.csv",
                2,
                &[
                    "Charge",
                    "1,500.00",
                    "2026-03-01",
                    "a@x.com",
                    "Ann",
                    "12.50",
                    "Patio",
                ],
                &cur,
            )
            .unwrap();
        assert_eq!(
            (row.kind, row.amount.to_string(), row.tax.to_string()),
            (EntryKind::Charge, "1500.00".into(), "12.50".into())
        );
        let err = |cells: &[&str]| cols.parse("e.csv", 7, cells, &cur).unwrap_err().to_string();
        assert_eq!(
            err(&["charge", "abc", "2026-03-01", "", "Ann", "", ""]),
            "e.csv line 7, column amount: \"abc\" is not an amount: use digits like 150, 150.50, 1,500.00 or $150"
        );
        assert!(err(&["charge", "5", "31/01/2026", "", "Ann", "", ""]).contains("column date"));
        assert!(
            err(&["gift", "5", "2026-03-01", "", "Ann", "", ""])
                .contains("use charge, credit or refund")
        );
        assert!(err(&["credit", "5", "2026-03-01", "", "Ann", "1", ""]).contains("charges only"));
        assert!(
            err(&["charge", "5", "2026-03-01", "", "", "", ""]).contains("name who this is for")
        );
        let missing =
            EntryColumns::find(&headers("date,amount,customer"), "e.csv", day(2026, 11, 21))
                .unwrap_err();
        assert!(missing.to_string().contains("no type column"), "{missing}");
    }

    #[test]
    fn customer_keys_are_numbered_in_order_and_never_run_together() {
        let mut keys = CustomerKeys::new();
        assert_eq!(keys.slot("ann@x.com", "Ann"), 0);
        assert_eq!(keys.slot("", "Ann"), 1);
        assert_eq!(keys.slot("ann@x.com", "Ann"), 0);
        // The same bytes split differently between email and name.
        assert_eq!(keys.slot("ab", "c"), 2);
        assert_eq!(keys.slot("a", "bc"), 3);
        assert_eq!(keys.slot("", "Ann"), 1);
    }
}
