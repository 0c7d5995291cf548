//! Reading a CSV file someone else wrote: its encoding (UTF-8 with or
//! without a byte-order mark; UTF-16 and other encodings refused), its
//! delimiter (`,` or `;`, as spreadsheets in many countries write), its
//! header (matched case-insensitively), and its rows with their line
//! numbers, one at a time so a large file is never held twice.

use super::FileError;

/// A file's text, checked, with the delimiter its header uses.
pub struct Source<'a> {
    pub name: String,
    /// From the header on: title lines above it are left out.
    text: &'a [u8],
    delimiter: u8,
    /// The line the header is on (1 unless title lines precede it).
    header_line: usize,
}

/// At most this many lines before a header are taken as title lines.
const MAX_TITLE_LINES: usize = 10;

/// Where the header starts: past the title lines some systems write above
/// it (QuickBooks' company, report name and "As of March 31, 2025";
/// Invoice Ninja's version line and entity name). The header is the first
/// line of two or more cells that the next non-blank line matches cell for
/// cell (a title line's stray comma gives it two cells, but not the
/// header's count). (byte offset, line number); the first line when none
/// is found, so a malformed file is refused as before.
fn header_start(text: &[u8]) -> (usize, usize) {
    // (cells, of which not empty, whether the first is empty) of one line.
    let cells = |line: &[u8]| -> (usize, usize, bool) {
        csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .delimiter(delimiter_of(line))
            .from_reader(line)
            .byte_records()
            .next()
            .and_then(Result::ok)
            .map_or((0, 0, false), |r| {
                (
                    r.len(),
                    r.iter().filter(|c| !c.trim_ascii().is_empty()).count(),
                    r.get(0).is_some_and(|c| c.trim_ascii().is_empty()),
                )
            })
    };
    let mut lines = Vec::new();
    let mut offset = 0;
    for line in text.split(|b| *b == b'\n').take(MAX_TITLE_LINES + 2) {
        let (n, filled, first_empty) = cells(line);
        // Blank, or a title padded out to the header's width with empty
        // cells (Invoice Ninja's), is no header.
        if filled > 0 {
            lines.push((offset, n, filled, first_empty));
        }
        offset += line.len() + 1;
    }
    let numbered = |at: usize| 1 + text[..at].iter().filter(|b| **b == b'\n').count();
    for (i, &(at, n, filled, first_empty)) in lines.iter().enumerate().take(MAX_TITLE_LINES + 1) {
        let next = lines.get(i + 1).map(|l| l.1);
        // A report's header may leave its label column unnamed and name
        // every other (QuickBooks' Customer Balance Summary: `,Total`).
        let named = filled >= 2 || (n >= 2 && first_empty && filled == n - 1);
        if named && next.is_none_or(|m| m == n) {
            return (at, numbered(at));
        }
    }
    (0, 1)
}

impl<'a> Source<'a> {
    /// Checks `bytes` as a CSV file named `name`.
    pub fn new(name: &str, bytes: &'a [u8]) -> Result<Source<'a>, FileError> {
        let file = name.to_string();
        if bytes.starts_with(&[0xFF, 0xFE]) || bytes.starts_with(&[0xFE, 0xFF]) {
            return Err(FileError::Utf16 { file });
        }
        let text = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
        if let Err(e) = std::str::from_utf8(text) {
            let line = 1 + text[..e.valid_up_to()]
                .iter()
                .filter(|b| **b == b'\n')
                .count();
            return Err(FileError::NotUtf8 { file, line });
        }
        if text.iter().all(|b| b.is_ascii_whitespace()) {
            return Err(FileError::Empty { file });
        }
        let (start, header_line) = header_start(text);
        let text = &text[start.min(text.len())..];
        let header = text.split(|b| *b == b'\n').next().unwrap_or_default();
        Ok(Source {
            name: file,
            text,
            delimiter: delimiter_of(header),
            header_line,
        })
    }

    /// The header's names, trimmed and lower-cased, and a reader over the
    /// rows after it.
    pub fn rows(&self) -> Result<(Vec<String>, Rows<'a>), FileError> {
        let mut reader = csv::ReaderBuilder::new()
            .delimiter(self.delimiter)
            .flexible(false)
            .has_headers(true)
            .from_reader(self.text);
        let headers: Vec<String> = reader
            .byte_headers()
            .map_err(|e| self.csv_error(e))?
            .iter()
            .map(|h| String::from_utf8_lossy(h).trim().to_lowercase())
            .collect();
        let indented = headers.len() > 1 && headers[0].is_empty();
        Ok((
            headers,
            Rows {
                name: self.name.clone(),
                reader,
                record: csv::ByteRecord::new(),
                text: self.text,
                counted: (0, self.header_line),
                indented,
            },
        ))
    }

    fn csv_error(&self, e: csv::Error) -> FileError {
        row_error(&self.name, e, None)
    }
}

/// The data rows of a file, each with the line it starts on.
pub struct Rows<'a> {
    name: String,
    reader: csv::Reader<&'a [u8]>,
    record: csv::ByteRecord,
    text: &'a [u8],
    /// (byte offset, line number there): lines are counted as rows go by,
    /// from the bytes, so CRLF and LF files number their lines alike.
    counted: (usize, usize),
    /// The first column has no name (a QuickBooks report's labels): its
    /// cells keep their leading spaces, which say how deep a row sits.
    indented: bool,
}

impl Rows<'_> {
    /// The next row as (line, cells), `None` at the end. A row with more or
    /// fewer cells than the header is refused with its line.
    pub fn next_row(&mut self) -> Result<Option<(usize, Vec<&str>)>, FileError> {
        match self.reader.read_byte_record(&mut self.record) {
            Ok(false) => Ok(None),
            Ok(true) => {
                let start = self.record.position().map_or(0, |p| p.byte() as usize);
                let line = self.line_at(start);
                // The whole file was checked as UTF-8 before reading.
                let indented = self.indented;
                let cells = self
                    .record
                    .iter()
                    .enumerate()
                    .map(|(i, c)| {
                        let c = std::str::from_utf8(c).unwrap_or_default();
                        if i == 0 && indented {
                            c.trim_end()
                        } else {
                            undo_neutralise(c.trim())
                        }
                    })
                    .collect();
                Ok(Some((line, cells)))
            }
            Err(e) => {
                if let Some(p) = e.position()
                    && self.is_footer(p.byte() as usize)
                {
                    return Ok(None);
                }
                let line = e.position().map(|p| self.line_at(p.byte() as usize));
                Err(row_error(&self.name, e, line))
            }
        }
    }
}

impl Rows<'_> {
    /// Whether a row that does not fit the header, starting at byte `at`,
    /// is a report's footer rather than data: after a blank line, with at
    /// most two lines to the end (QuickBooks' "Tuesday, April 1, 2025
    /// 09:14 AM GMTZ").
    fn is_footer(&self, at: usize) -> bool {
        let at = at.min(self.text.len());
        // Line breaks on either side of `at` up to the text around it: two
        // or more make a blank line between the data and this row.
        let before = self.text[..at]
            .iter()
            .rev()
            .take_while(|b| b.is_ascii_whitespace())
            .filter(|b| **b == b'\n')
            .count();
        let after_breaks = self.text[at..]
            .iter()
            .take_while(|b| b.is_ascii_whitespace())
            .filter(|b| **b == b'\n')
            .count();
        let blank_before = before + after_breaks >= 2;
        let after = &self.text[at..];
        let left = after
            .split(|b| *b == b'\n')
            .filter(|l| !l.trim_ascii().is_empty())
            .count();
        blank_before && left <= 2
    }

    /// The line a record starting at byte `at` begins on (line breaks
    /// before its first character do not count as part of it).
    fn line_at(&mut self, mut at: usize) -> usize {
        while matches!(self.text.get(at), Some(b'\r' | b'\n')) {
            at += 1;
        }
        let (from, line) = self.counted;
        let at = at.max(from).min(self.text.len());
        let line = line + self.text[from..at].iter().filter(|b| **b == b'\n').count();
        self.counted = (at, line);
        line
    }
}

fn row_error(file: &str, e: csv::Error, line: Option<usize>) -> FileError {
    let line = line.unwrap_or_else(|| e.position().map_or(0, |p| p.line() as usize));
    let reason = match e.kind() {
        csv::ErrorKind::UnequalLengths {
            expected_len, len, ..
        } => format!("has {len} cells but the header has {expected_len}"),
        _ => e.to_string(),
    };
    FileError::Row {
        file: file.to_string(),
        line,
        reason,
    }
}

/// A cell tally's own export made inert for spreadsheets (`'=…`) reads
/// back as it was, so an export imports to the same names.
fn undo_neutralise(cell: &str) -> &str {
    match cell.strip_prefix('\'') {
        Some(rest) if rest.starts_with(['=', '+', '-', '@', '\t', '\r']) => rest,
        _ => cell,
    }
}

/// `;` when the header has more semicolons than commas outside quotes.
fn delimiter_of(header: &[u8]) -> u8 {
    let (mut commas, mut semis, mut quoted) = (0, 0, false);
    for b in header {
        match b {
            b'"' => quoted = !quoted,
            b',' if !quoted => commas += 1,
            b';' if !quoted => semis += 1,
            _ => {}
        }
    }
    if semis > commas { b';' } else { b',' }
}

/// Which header column holds each wanted field: the first of its names
/// present (names compared lower-case).
pub fn columns(headers: &[String], names: &[&str]) -> Option<usize> {
    names
        .iter()
        .find_map(|n| headers.iter().position(|h| h == n))
}

#[cfg(test)]
mod tests {
    use super::*;

    type Table = (Vec<String>, Vec<(usize, Vec<String>)>);

    fn all(bytes: &[u8]) -> Result<Table, FileError> {
        let src = Source::new("f.csv", bytes)?;
        let (h, mut rows) = src.rows()?;
        let mut out = Vec::new();
        while let Some((line, cells)) = rows.next_row()? {
            out.push((line, cells.iter().map(|c| c.to_string()).collect()));
        }
        Ok((h, out))
    }

    #[test]
    fn bom_crlf_semicolons_and_quotes_read_alike() {
        let plain = all(b"Name,Email\nAnn,a@x.com\n\"Lee, Bo\",b@x.com\n").unwrap();
        let excel =
            all(b"\xEF\xBB\xBFName;Email\r\nAnn;a@x.com\r\n\"Lee, Bo\";b@x.com\r\n").unwrap();
        assert_eq!(plain, excel);
        assert_eq!(plain.0, ["name", "email"]);
        assert_eq!(
            plain.1[1],
            (3, vec!["Lee, Bo".to_string(), "b@x.com".into()])
        );
    }

    #[test]
    fn title_lines_above_the_header_are_left_out_and_lines_keep_their_numbers() {
        let qb = all(b"Lawn Pros LLC\r\nCustomer Contact List\r\nAs of March 31, 2025\r\n\r\nCustomer,Email,Open Balance\r\nAnn,a@x.com,1.00\r\n")
            .unwrap();
        assert_eq!(qb.0, ["customer", "email", "open balance"]);
        assert_eq!(
            qb.1,
            [(6, vec!["Ann".to_string(), "a@x.com".into(), "1.00".into()])]
        );
        let ninja = all(b"\"Invoice Ninja v4.5.17 - March 31, 2025 4:05 pm\"\n\nCLIENTS\n\"Name\",\"Balance\"\n\"Bo\",\"$1.00\"\n").unwrap();
        assert_eq!(ninja.0, ["name", "balance"]);
        assert_eq!(ninja.1[0].0, 5);
        // A file of one column has no title lines to skip.
        let single = all(b"name\nAnn\nBo\n").unwrap();
        assert_eq!((single.0.len(), single.1.len()), (1, 2));
    }

    #[test]
    fn other_encodings_empty_files_and_ragged_rows_are_refused_with_where() {
        let utf16 = all(b"\xFF\xFEN\x00a\x00").unwrap_err();
        assert!(utf16.to_string().contains("UTF-16"), "{utf16}");
        let latin1 = all(b"name\nAnn\nJos\xE9\n").unwrap_err();
        assert_eq!(
            latin1.to_string(),
            "f.csv line 3 is not UTF-8 (probably Windows-1252 or Latin-1): save the file as \"CSV UTF-8\" and import that"
        );
        assert!(matches!(all(b"  \n").unwrap_err(), FileError::Empty { .. }));
        let ragged = all(b"a,b\n1,2\n3\n").unwrap_err();
        assert_eq!(
            ragged.to_string(),
            "f.csv line 3: has 1 cells but the header has 2"
        );
        let ragged = all(b"a,b\r\n1,2\r\n3\r\n").unwrap_err();
        assert_eq!(
            ragged.to_string(),
            "f.csv line 3: has 1 cells but the header has 2"
        );
    }
}
