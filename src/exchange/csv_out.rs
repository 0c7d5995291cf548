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

/// A text cell as written: quoted whenever it holds anything a
/// spreadsheet may split on or end a row at (comma, semicolon, tab, quote,
/// line break), so `Work;=1+1;` stays one inert cell even for a
/// spreadsheet that splits on `;`.
fn quoted(text: &str) -> std::borrow::Cow<'_, str> {
    if text.contains([',', ';', '\t', '"', '\r', '\n']) {
        format!("\"{}\"", text.replace('"', "\"\"")).into()
    } else {
        text.into()
    }
}

impl<W: Write> CsvOut<W> {
    pub fn new(out: W, header: &[&str]) -> std::io::Result<CsvOut<W>> {
        // Quoting is ours ([`quoted`]): the writer only joins and ends rows.
        let mut out = csv::WriterBuilder::new()
            .terminator(csv::Terminator::CRLF)
            .quote_style(csv::QuoteStyle::Never)
            .from_writer(out);
        out.write_record(header).map_err(std::io::Error::other)?;
        Ok(CsvOut { out })
    }

    pub fn row(&mut self, cells: &[Cell<'_>]) -> std::io::Result<()> {
        let texts: Vec<String> = cells
            .iter()
            .map(|c| match c {
                Cell::Text(t) => quoted(&neutralise(t)).into_owned(),
                Cell::Number(n) => n.clone(),
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
