//! Column widths for tables, and fitting of summary lines, so that a money
//! figure is never cut.
//!
//! Invariants:
//! - A money or fixed column (amounts, dates, numbers) is as wide as its
//!   widest value and header, or not shown at all: never narrower.
//! - Text columns (names, emails, descriptions) give way first, down to a
//!   few characters ending in "…"; when even that cannot fit, columns are
//!   dropped whole, least important first.
//! - A summary line (`fit_parts`) shows whole parts, in order, and drops the
//!   ones that do not fit.

use ratatui::layout::Constraint;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Cell, Row};
use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};

/// Space between columns, as every table in tally draws them.
pub const SPACING: usize = 2;
/// The narrowest a text column gets before it is dropped instead.
const TEXT_MIN: usize = 6;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// Right-aligned amount: full width or nothing.
    Money,
    /// Left-aligned value that must show whole (a date, a number, a mark).
    Fixed,
    /// Free text: shortened with "…" when space is short.
    Text,
}

/// One column: its header, kind, and how much it matters (higher is kept
/// longer when the terminal is narrow).
#[derive(Debug, Clone, Copy)]
pub struct Column {
    pub header: &'static str,
    pub kind: Kind,
    pub keep: u8,
}

pub const fn col(header: &'static str, kind: Kind, keep: u8) -> Column {
    Column { header, kind, keep }
}

/// A cell's text and style.
#[derive(Debug, Clone, Default)]
pub struct Value {
    pub text: String,
    pub style: Style,
}

impl From<String> for Value {
    fn from(text: String) -> Self {
        Value {
            text,
            style: Style::default(),
        }
    }
}

impl From<&str> for Value {
    fn from(text: &str) -> Self {
        Value::from(text.to_string())
    }
}

pub fn styled(text: impl Into<String>, style: Style) -> Value {
    Value {
        text: text.into(),
        style,
    }
}

/// A table's columns and rows, laid out for a width by [`Grid::layout`].
pub struct Grid {
    cols: Vec<Column>,
    rows: Vec<Vec<Value>>,
}

/// What a table widget needs: header, rows and widths of the shown columns.
pub struct Laid {
    pub header: Row<'static>,
    pub rows: Vec<Row<'static>>,
    pub widths: Vec<Constraint>,
}

impl Grid {
    pub fn new(cols: &[Column]) -> Grid {
        Grid {
            cols: cols.to_vec(),
            rows: Vec::new(),
        }
    }

    pub fn row(&mut self, cells: Vec<Value>) {
        self.rows.push(cells);
    }

    /// Which columns show, and how wide, in `width` cells.
    pub fn plan(&self, width: usize) -> Vec<(usize, usize)> {
        let natural: Vec<usize> = (0..self.cols.len())
            .map(|i| {
                let cells = self
                    .rows
                    .iter()
                    .filter_map(|r| r.get(i))
                    .map(|v| v.text.width());
                cells
                    .chain([self.cols[i].header.width()])
                    .max()
                    .unwrap_or(0)
            })
            .collect();
        let least = |i: usize| match self.cols[i].kind {
            Kind::Text => natural[i].min(TEXT_MIN),
            _ => natural[i],
        };
        let mut shown: Vec<usize> = (0..self.cols.len()).collect();
        let need = |shown: &[usize]| {
            shown.iter().map(|&i| least(i)).sum::<usize>() + SPACING * shown.len().saturating_sub(1)
        };
        while !shown.is_empty() && need(&shown) > width {
            let drop = shown
                .iter()
                .enumerate()
                .min_by_key(|(pos, i)| (self.cols[**i].keep, usize::MAX - pos))
                .map(|(pos, _)| pos)
                .unwrap_or(0);
            shown.remove(drop);
        }
        let mut widths: Vec<usize> = shown.iter().map(|&i| least(i)).collect();
        let mut spare = width.saturating_sub(need(&shown));
        // Text columns grow towards their natural width, most important first;
        // what is left stays with the text (as the old fill layout did).
        let mut texts: Vec<usize> = (0..shown.len())
            .filter(|&p| self.cols[shown[p]].kind == Kind::Text)
            .collect();
        texts.sort_by_key(|&p| std::cmp::Reverse(self.cols[shown[p]].keep));
        for &p in &texts {
            let grow = natural[shown[p]].saturating_sub(widths[p]).min(spare);
            widths[p] += grow;
            spare -= grow;
        }
        if let Some(&first) = texts.first() {
            widths[first] += spare;
        }
        shown.into_iter().zip(widths).collect()
    }

    /// Lays the table out for `width` cells.
    pub fn layout(self, width: u16, header_style: Style) -> Laid {
        let plan = self.plan(width as usize);
        let cell = |kind: Kind, w: usize, v: &Value| -> Cell<'static> {
            match kind {
                Kind::Money => {
                    Cell::from(Line::from(v.text.clone()).right_aligned().style(v.style))
                }
                Kind::Fixed => Cell::from(Span::styled(v.text.clone(), v.style)),
                Kind::Text => Cell::from(Span::styled(ellipsize(&v.text, w), v.style)),
            }
        };
        let header = Row::new(
            plan.iter()
                .map(|&(i, w)| {
                    let c = self.cols[i];
                    let v = Value::from(c.header);
                    match c.kind {
                        Kind::Money => cell(c.kind, w, &v),
                        _ => cell(Kind::Text, w, &v),
                    }
                })
                .collect::<Vec<_>>(),
        )
        .style(header_style);
        let rows = self
            .rows
            .iter()
            .map(|r| {
                Row::new(
                    plan.iter()
                        .map(|&(i, w)| {
                            let empty = Value::default();
                            cell(self.cols[i].kind, w, r.get(i).unwrap_or(&empty))
                        })
                        .collect::<Vec<_>>(),
                )
            })
            .collect();
        let widths = plan
            .iter()
            .map(|&(_, w)| Constraint::Length(w as u16))
            .collect();
        Laid {
            header,
            rows,
            widths,
        }
    }
}

impl Grid {
    /// The table as lines of text for `width` cells (for a popup that
    /// scrolls), laid out by the same rules as [`Grid::layout`].
    pub fn lines(&self, width: usize, header_style: Style) -> Vec<Line<'static>> {
        let plan = self.plan(width);
        let line = |cells: Vec<(Kind, usize, Value)>, style: Option<Style>| {
            let mut spans = Vec::new();
            for (n, (kind, w, v)) in cells.into_iter().enumerate() {
                if n > 0 {
                    spans.push(Span::raw(" ".repeat(SPACING)));
                }
                let text = match kind {
                    Kind::Money => format!("{:>w$}", v.text),
                    Kind::Fixed => format!("{:<w$}", v.text),
                    Kind::Text => {
                        let t = ellipsize(&v.text, w);
                        let pad = w.saturating_sub(t.width());
                        format!("{t}{}", " ".repeat(pad))
                    }
                };
                spans.push(Span::styled(text, style.unwrap_or(v.style)));
            }
            Line::from(spans)
        };
        let header = plan
            .iter()
            .map(|&(i, w)| {
                let c = self.cols[i];
                let kind = if c.kind == Kind::Money {
                    Kind::Money
                } else {
                    Kind::Text
                };
                (kind, w, Value::from(c.header))
            })
            .collect();
        let mut out = vec![line(header, Some(header_style))];
        for r in &self.rows {
            let cells = plan
                .iter()
                .map(|&(i, w)| (self.cols[i].kind, w, r.get(i).cloned().unwrap_or_default()))
                .collect();
            out.push(line(cells, None));
        }
        out
    }
}

/// `text` cut to `width` cells, ending in "…" when it was cut. A number
/// the cut would split ("111.1…") is left out whole instead: a figure cut
/// short reads as a different figure.
pub fn ellipsize(text: &str, width: usize) -> String {
    if text.width() <= width {
        return text.to_string();
    }
    let (mut out, next) = cut(text, width);
    let numeric = |c: char| c.is_ascii_digit() || matches!(c, '.' | ',' | '$');
    if next.is_some_and(numeric) && out.ends_with(numeric) {
        while out.ends_with(|c: char| numeric(c) || c == '-') {
            out.pop();
        }
    }
    if width > 0 {
        out.push('…');
    }
    out
}

/// Whole parts, in order, joined by `sep`, as many as fit in `width`; a
/// part that does not fit is left out, never cut.
pub fn fit_parts(
    parts: Vec<Vec<Span<'static>>>,
    sep: Span<'static>,
    width: usize,
) -> Line<'static> {
    let mut spans: Vec<Span<'static>> = Vec::new();
    let mut used = 0;
    for part in parts {
        let w: usize = part.iter().map(Span::width).sum();
        let extra = if spans.is_empty() { 0 } else { sep.width() };
        if used + extra + w > width {
            continue;
        }
        if extra > 0 {
            spans.push(sep.clone());
        }
        used += extra + w;
        spans.extend(part);
    }
    Line::from(spans)
}

/// `text` shortened at a space to fit `width`, ending in "…": words (and so
/// amounts, which hold no space) are never cut.
/// `text` cut at a character to fit `width` with "…", for what is not
/// prose or a figure (a link): as much as fits, wherever that falls.
pub fn ellipsize_chars(text: &str, width: usize) -> String {
    if text.width() <= width {
        return text.to_string();
    }
    let (mut out, _) = cut(text, width);
    if width > 0 {
        out.push('…');
    }
    out
}

/// The leading characters of `text` that leave room for "…" in `width`,
/// and the first character left out.
fn cut(text: &str, width: usize) -> (String, Option<char>) {
    let mut out = String::new();
    let mut used = 0;
    for c in text.chars() {
        let w = c.width().unwrap_or(0);
        if used + w + 1 > width {
            return (out, Some(c));
        }
        out.push(c);
        used += w;
    }
    (out, None)
}

pub fn fit_words(text: &str, width: usize) -> String {
    if text.width() <= width {
        return text.to_string();
    }
    let mut out = String::new();
    for word in text.split(' ') {
        let extra = usize::from(!out.is_empty());
        if out.width() + extra + word.width() + 1 > width {
            break;
        }
        if extra == 1 {
            out.push(' ');
        }
        out.push_str(word);
    }
    out.push('…');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_link_is_cut_where_room_ends_even_between_digits() {
        // The numeric rule would back off to "/p/ab…", moving the "…".
        assert_eq!(
            ellipsize_chars("https://x/p/ab12345", 15),
            "https://x/p/ab…"
        );
        assert_eq!(
            ellipsize_chars("https://x/p/ab12345", 16),
            "https://x/p/ab1…"
        );
        assert_eq!(ellipsize_chars("short", 16), "short");
    }

    #[test]
    fn a_cut_never_splits_a_number() {
        assert_eq!(ellipsize("refund #30: 111.11 by cash", 17), "refund #30: …");
        assert_eq!(ellipsize("balance -4028.17 → 0", 15), "balance …");
        assert_eq!(ellipsize("balance 4028.17 → 0", 17), "balance 4028.17 …");
        assert_eq!(ellipsize("Lawn mowing", 6), "Lawn …");
    }

    fn grid() -> Grid {
        let mut g = Grid::new(&[
            col("Name", Kind::Text, 5),
            col("Email", Kind::Text, 2),
            col("Balance", Kind::Money, 9),
            col("Last activity", Kind::Fixed, 1),
        ]);
        g.row(vec![
            "Ann Lee-Montgomery".into(),
            "ann@example.com".into(),
            "-$1,632.50".into(),
            "2026-11-23".into(),
        ]);
        g
    }

    #[test]
    fn money_keeps_its_width_and_text_gives_way_first() {
        let plan = grid().plan(60);
        assert_eq!(plan.iter().map(|p| p.0).collect::<Vec<_>>(), [0, 1, 2, 3]);
        assert_eq!(plan[2].1, 10, "balance whole");
        let plan = grid().plan(36);
        assert_eq!(
            plan.iter().map(|p| p.0).collect::<Vec<_>>(),
            [0, 1, 2],
            "date dropped first"
        );
        let plan = grid().plan(20);
        assert_eq!(plan.iter().map(|p| p.0).collect::<Vec<_>>(), [0, 2]);
        assert!(plan.iter().any(|&(i, w)| i == 2 && w == 10));
        let plan = grid().plan(8);
        assert!(
            plan.is_empty(),
            "no room even for the balance: nothing, not a cut number"
        );
    }

    #[test]
    fn text_is_ellipsized_and_words_kept_whole() {
        assert_eq!(ellipsize("Ann Lee-Montgomery", 8), "Ann Lee…");
        assert_eq!(ellipsize("Ann", 8), "Ann");
        assert_eq!(ellipsize("👨👩👧", 5), "👨👩…");
        assert_eq!(
            fit_words("Payment of $1,632.50 recorded", 22),
            "Payment of $1,632.50…"
        );
        assert_eq!(
            fit_words("Payment of $1,632.50 recorded", 15),
            "Payment of…"
        );
    }

    #[test]
    fn summary_parts_are_whole_or_absent() {
        let parts = vec![
            vec![Span::raw("Balance -$1.00")],
            vec![Span::raw("Outstanding $20.00")],
            vec![Span::raw("Uninvoiced $1.00")],
        ];
        let line = fit_parts(parts, Span::raw(" · "), 33);
        assert_eq!(line.to_string(), "Balance -$1.00 · Uninvoiced $1.00");
    }
}
