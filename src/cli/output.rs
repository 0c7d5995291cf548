//! Printing helpers shared by the commands: aligned plain-text tables and
//! JSON with money as strings (`"-150.00"`), never numbers.
//!
//! Invariants: everything a command prints goes through [`line`] or
//! [`text`], which escape control and bidi characters (stored text is shown,
//! never obeyed: `domain::text`); a reader that stops reading (`| head`)
//! ends the command quietly with [`OutputClosed`], which exits 0.

use std::io::Write;

use serde_json::{Value, json};

use crate::domain::text::{for_terminal, json_escape_c1, lines_for_terminal};

/// Whoever read stdout stopped reading: not an error, the command is done.
#[derive(Debug, thiserror::Error)]
#[error("output closed")]
pub struct OutputClosed;

/// Prints text as it is (it carries its own newlines), terminal-safe.
pub fn text(s: &str) -> anyhow::Result<()> {
    let safe = lines_for_terminal(s);
    let mut out = std::io::stdout().lock();
    match out.write_all(safe.as_bytes()).and_then(|()| out.flush()) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Err(OutputClosed.into()),
        Err(e) => Err(anyhow::Error::from(e).context("writing to standard output")),
    }
}

/// Prints one line, terminal-safe.
pub fn line(s: &str) -> anyhow::Result<()> {
    text(&format!("{s}\n"))
}

/// `println!` for commands: terminal-safe, and `?`s out on a closed pipe.
macro_rules! say {
    () => { $crate::cli::output::line("")? };
    ($($t:tt)*) => { $crate::cli::output::line(&format!($($t)*))? };
}
pub(crate) use say;

/// `eprintln!` for commands: terminal-safe; a closed stderr is ignored.
macro_rules! esay {
    ($($t:tt)*) => { $crate::cli::output::to_stderr(&format!($($t)*)) };
}
pub(crate) use esay;

pub fn to_stderr(s: &str) {
    let _ = writeln!(std::io::stderr().lock(), "{}", lines_for_terminal(s));
}

/// A writer that shows stored text on a terminal as every other command
/// does (`lines_for_terminal`): for an export written to a terminal rather
/// than a file or pipe, which get the faithful bytes. Works a line at a
/// time, so a line's characters are never split; CRLF ends stay CRLF.
pub struct TerminalLines<W: Write> {
    out: W,
    line: Vec<u8>,
}

impl<W: Write> TerminalLines<W> {
    pub fn new(out: W) -> Self {
        TerminalLines {
            out,
            line: Vec::new(),
        }
    }

    fn emit(&mut self) -> std::io::Result<()> {
        let text = String::from_utf8_lossy(&self.line);
        let (body, end) = match text.strip_suffix("\r\n") {
            Some(b) => (b, "\r\n"),
            None => match text.strip_suffix('\n') {
                Some(b) => (b, "\n"),
                None => (text.as_ref(), ""),
            },
        };
        self.out.write_all(for_terminal(body).as_bytes())?;
        self.out.write_all(end.as_bytes())?;
        self.line.clear();
        Ok(())
    }
}

impl<W: Write> Write for TerminalLines<W> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        for &b in buf {
            self.line.push(b);
            if b == b'\n' {
                self.emit()?;
            }
        }
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        if !self.line.is_empty() {
            self.emit()?;
        }
        self.out.flush()
    }
}

use crate::domain::{Currency, Customer, Entry, Invoice};
use crate::store::BalanceBreakdown;

/// Prints rows as columns; `right` lists the columns aligned to the right.
pub fn table(header: &[&str], rows: &[Vec<String>], right: &[usize]) -> anyhow::Result<()> {
    // Shown as the terminal will show them; borrowed where already safe.
    let rows: Vec<Vec<std::borrow::Cow<'_, str>>> = rows
        .iter()
        .map(|r| r.iter().map(|c| for_terminal(c)).collect())
        .collect();
    let mut widths: Vec<usize> = header.iter().map(|h| h.chars().count()).collect();
    for row in &rows {
        for (i, cell) in row.iter().enumerate() {
            widths[i] = widths[i].max(cell.chars().count());
        }
    }
    // Lines are written in blocks, not one write per line: a report of
    // 100,000 customers is one screenful of work for the terminal.
    let mut block = String::new();
    let mut line = |cells: &[std::borrow::Cow<'_, str>]| -> anyhow::Result<()> {
        let start = block.len();
        for (i, c) in cells.iter().enumerate() {
            if i > 0 {
                block.push_str("  ");
            }
            let pad = widths[i].saturating_sub(c.chars().count());
            if right.contains(&i) {
                block.extend(std::iter::repeat_n(' ', pad));
                block.push_str(c);
            } else {
                block.push_str(c);
                block.extend(std::iter::repeat_n(' ', pad));
            }
        }
        let end = block[start..].trim_end().len() + start;
        block.truncate(end);
        block.push('\n');
        if block.len() >= 1 << 16 {
            text(&std::mem::take(&mut block))?;
        }
        Ok(())
    };
    line(&header.iter().map(|h| (*h).into()).collect::<Vec<_>>())?;
    for row in &rows {
        line(row)?;
    }
    text(&block)
}

pub fn print_json(v: &Value) -> anyhow::Result<()> {
    line(&json_escape_c1(&serde_json::to_string_pretty(v)?))
}

pub fn customer_json(c: &Customer, cur: &Currency) -> Value {
    json!({
        "id": c.id.0,
        "name": c.name,
        "email": c.email,
        "phone": c.phone,
        "balance": cur.plain(c.balance),
        "last_activity": c.last_activity.to_rfc3339(),
    })
}

pub fn customer_detail_json(c: &Customer, b: &BalanceBreakdown, cur: &Currency) -> Value {
    let mut v = customer_json(c, cur);
    let extra = json!({
        "available_credit": cur.plain(b.available_credit),
        "outstanding": cur.plain(b.outstanding),
        "uninvoiced": cur.plain(b.uninvoiced),
        "total_billed": cur.plain(b.total_billed),
        "total_collected": cur.plain(b.total_collected),
        "opening_balance": cur.plain(b.opening_balance),
        "address": c.address,
        "tax_id": c.tax_id,
        "legal_name": c.legal_name,
        "notes": c.notes,
        "parent_id": c.parent_id.map(|p| p.0),
        "archived": c.archived,
        "bill_to_parent": c.bill_to_parent,
        "invoices_paused": c.invoices_paused,
        "portal_delivery": c.portal_delivery,
        "billing_cycle": c.billing_cycle.as_str(),
        "source": c.source,
        "created_at": c.created_at.to_rfc3339(),
    });
    if let (Value::Object(m), Value::Object(e)) = (&mut v, extra) {
        m.extend(e);
    }
    v
}

pub fn entry_json(e: &Entry, cur: &Currency) -> Value {
    json!({
        "id": e.id.0,
        "customer_id": e.customer_id.0,
        "date": e.date.format("%Y-%m-%d").to_string(),
        "kind": e.kind.as_str(),
        "label": e.label(),
        "amount": cur.plain(e.signed_amount()),
        "tax": cur.plain(e.tax),
        "description": e.description,
        "method": e.method.map(|m| m.as_str()),
    })
}

/// An `--option` given on the command line replaces the stored value ("" clears
/// it once validated); an option not given keeps it.
pub fn overwrite(field: &mut Option<String>, given: Option<String>) {
    if let Some(v) = given {
        *field = Some(v);
    }
}

/// `-` for an absent optional field in plain output.
pub fn or_dash(s: &Option<String>) -> String {
    s.clone().unwrap_or_else(|| "-".into())
}

/// An invoice with the JSON field names DESIGN §4 fixes.
pub fn invoice_json(i: &Invoice, cur: &Currency, today: chrono::NaiveDate) -> Value {
    let day = |d: Option<chrono::NaiveDate>| d.map(|d| d.format("%Y-%m-%d").to_string());
    json!({
        "id": i.id.0,
        "number": i.number,
        "status": i.status.as_str(),
        "customer_id": i.customer_id.0,
        "total": cur.plain(i.total),
        "paid": cur.plain(i.paid),
        "remaining": cur.plain(i.remaining()),
        "issue_date": day(i.issue_date),
        "due_date": day(i.due_date),
        "overdue": i.is_overdue(today),
        "period": i.period,
        "line_count": i.lines,
        "contract": i.contract,
        "contract_period": day(i.contract_period),
    })
}
