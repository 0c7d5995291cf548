//! Writing CSV for spreadsheets and other tools. Text cells that a
//! spreadsheet would run as a formula (starting with `=`, `+`, `-`, `@`,
//! tab or carriage return) get a leading `'`, which spreadsheets show as
//! text; amount cells are written as plain numbers and never touched.

use std::io::Write;

/// A cell: text from people and other systems, or a number tally wrote.
pub enum Cell<'a> {
    Text(&'a str),
    Number(String),
}

/// Text made inert for spreadsheets (OWASP's CSV injection advice).
pub fn neutralise(text: &str) -> std::borrow::Cow<'_, str> {
    match text.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r') => format!("'{text}").into(),
        _ => text.into(),
    }
}

pub struct CsvOut<W: Write> {
    out: csv::Writer<W>,
}

impl<W: Write> CsvOut<W> {
    pub fn new(out: W, header: &[&str]) -> std::io::Result<CsvOut<W>> {
        let mut out = csv::WriterBuilder::new()
            .terminator(csv::Terminator::CRLF)
            .from_writer(out);
        out.write_record(header).map_err(std::io::Error::other)?;
        Ok(CsvOut { out })
    }

    pub fn row(&mut self, cells: &[Cell<'_>]) -> std::io::Result<()> {
        let texts: Vec<std::borrow::Cow<'_, str>> = cells
            .iter()
            .map(|c| match c {
                Cell::Text(t) => neutralise(t),
                Cell::Number(n) => n.as_str().into(),
            })
            .collect();
        self.out
            .write_record(texts.iter().map(|t| t.as_bytes()))
            .map_err(std::io::Error::other)
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
        assert_eq!(lines[5], "'\tx,-150.00");
        assert_eq!(lines[7], "\"plain, with comma\",-150.00");
    }
}
