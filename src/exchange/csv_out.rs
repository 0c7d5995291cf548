//! Writing CSV for spreadsheets and other tools. Text cells that a
//! spreadsheet would run as a formula (starting with `=`, `+`, `-`, `@`,
//! tab or carriage return) get a leading `'`, which spreadsheets show as
//! text; amount cells are written as plain numbers and never touched.

use std::io::Write;

use crate::domain::money::PlainMinor;

/// A cell: text from people and other systems, or a number tally wrote.
pub enum Cell<'a> {
    Text(&'a str),
    Number(String),
    /// An amount in minor units, as the book's currency writes it.
    Amount(PlainMinor),
}

/// Text made inert for spreadsheets (OWASP's CSV injection advice).
pub fn neutralise(text: &str) -> std::borrow::Cow<'_, str> {
    match text.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r') => format!("'{text}").into(),
        _ => text.into(),
    }
}

/// Rows joined with commas and ended with CRLF, written straight to the
/// writer (an export writes millions: nothing is built per row).
pub struct CsvOut<W: Write> {
    out: W,
}

/// Whether a text cell is quoted: whenever it holds anything a
/// spreadsheet may split on or end a row at (comma, semicolon, tab, quote,
/// line break), so `Work;=1+1;` stays one inert cell even for a
/// spreadsheet that splits on `;`.
fn needs_quotes(text: &str) -> bool {
    text.contains([',', ';', '\t', '"', '\r', '\n'])
}

impl<W: Write> CsvOut<W> {
    pub fn new(mut out: W, header: &[&str]) -> std::io::Result<CsvOut<W>> {
        write!(out, "{}\r\n", header.join(","))?;
        Ok(CsvOut { out })
    }

    pub fn row(&mut self, cells: &[Cell<'_>]) -> std::io::Result<()> {
        for (i, cell) in cells.iter().enumerate() {
            if i > 0 {
                self.out.write_all(b",")?;
            }
            match cell {
                Cell::Text(t) => self.text(t)?,
                Cell::Number(n) => self.out.write_all(n.as_bytes())?,
                Cell::Amount(a) => write!(self.out, "{a}")?,
            }
        }
        self.out.write_all(b"\r\n")
    }

    fn text(&mut self, t: &str) -> std::io::Result<()> {
        let t = neutralise(t);
        if !needs_quotes(&t) {
            return self.out.write_all(t.as_bytes());
        }
        self.out.write_all(b"\"")?;
        for (i, part) in t.split('"').enumerate() {
            if i > 0 {
                self.out.write_all(b"\"\"")?;
            }
            self.out.write_all(part.as_bytes())?;
        }
        self.out.write_all(b"\"")
    }

    pub fn finish(mut self) -> std::io::Result<()> {
        self.out.flush()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formulas_are_neutralised_and_amounts_are_not() {
        let mut buf = Vec::new();
        let mut w = CsvOut::new(&mut buf, &["name", "amount"]).unwrap();
        for evil in [
            "=1+1",
            "+SUM(A1)",
            "-2+3",
            "@cmd",
            "\tx",
            "\rx",
            "plain, with comma",
        ] {
            w.row(&[Cell::Text(evil), Cell::Number("-150.00".into())])
                .unwrap();
        }
        w.finish().unwrap();
        let text = String::from_utf8(buf).unwrap();
        let lines: Vec<&str> = text.split("\r\n").collect();
        assert_eq!(lines[1], "'=1+1,-150.00");
        assert_eq!(lines[2], "'+SUM(A1),-150.00");
        assert_eq!(lines[3], "'-2+3,-150.00");
        assert_eq!(lines[4], "'@cmd,-150.00");
        assert_eq!(lines[5], "\"'\tx\",-150.00");
        assert_eq!(lines[7], "\"plain, with comma\",-150.00");
    }

    #[test]
    fn cells_a_spreadsheet_may_split_are_quoted_whole() {
        let mut buf = Vec::new();
        let mut w = CsvOut::new(&mut buf, &["description"]).unwrap();
        for cell in ["Work;=1+1;", "say \"hi\"", "two\nlines", "plain"] {
            w.row(&[Cell::Text(cell)]).unwrap();
        }
        w.finish().unwrap();
        let text = String::from_utf8(buf).unwrap();
        assert_eq!(
            text,
            "description\r\n\"Work;=1+1;\"\r\n\"say \"\"hi\"\"\"\r\n\"two\nlines\"\r\nplain\r\n"
        );
        // And it reads back as the same cells, whichever delimiter.
        let mut r = csv::ReaderBuilder::new().from_reader(text.as_bytes());
        let back: Vec<String> = r.records().map(|x| x.unwrap()[0].to_string()).collect();
        assert_eq!(back, ["Work;=1+1;", "say \"hi\"", "two\nlines", "plain"]);
    }
}
