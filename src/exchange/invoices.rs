//! Open invoices and unapplied credits from other systems' exports: what
//! a customer still owed, and what they held, when the owner left.
//! Stripe's invoices and payments exports, QuickBooks Online's A/R Aging
//! Detail report, Invoice Ninja's invoices and payments, FreshBooks',
//! Zoho Invoice's, Invoice2go's and Invoicely's invoices exports, and
//! Wave's accounting transactions. Which it is comes from the header.
//!
//! Invariants: each file is read into [`OpenItem`]s in tally's terms (an
//! invoice's total and what is left of it; a credit's amount), and every
//! row that does not become one says why: skipped (a draft, a void, a
//! total, another currency) or settled (paid in the old system, so it
//! changes nothing owed). Only what was still open is ever an item: a
//! paid invoice and its payment net to nothing and are not brought in.
//! Files that repeat an invoice on each of its item rows (Invoice Ninja,
//! FreshBooks, Zoho) give one item per invoice number.

use chrono::NaiveDate;
use rust_decimal::Decimal;

use super::FileError;
use super::csv_in::{Source as CsvFile, columns};
use super::customers::signed;
use crate::domain::Currency;
use crate::domain::date::parse_file_date;

/// Which system's transaction export a file is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ledger {
    StripeInvoices,
    StripePayments,
    QuickBooksAging,
    InvoiceNinjaInvoices,
    InvoiceNinjaPayments,
    FreshBooks,
    Zoho,
    Wave,
    Invoice2go,
    Invoicely,
}

impl Ledger {
    /// The system, as recorded on what the file creates (a customer's
    /// source, an invoice's origin, the outside ids).
    pub fn system(self) -> &'static str {
        match self {
            Ledger::StripeInvoices | Ledger::StripePayments => "stripe",
            Ledger::QuickBooksAging => "quickbooks",
            Ledger::InvoiceNinjaInvoices | Ledger::InvoiceNinjaPayments => "invoiceninja",
            Ledger::FreshBooks => "freshbooks",
            Ledger::Zoho => "zoho",
            Ledger::Wave => "wave",
            Ledger::Invoice2go => "invoice2go",
            Ledger::Invoicely => "invoicely",
        }
    }

    /// The system as people write it.
    pub fn name(self) -> &'static str {
        match self {
            Ledger::StripeInvoices | Ledger::StripePayments => "Stripe",
            Ledger::QuickBooksAging => "QuickBooks",
            Ledger::InvoiceNinjaInvoices | Ledger::InvoiceNinjaPayments => "Invoice Ninja",
            Ledger::FreshBooks => "FreshBooks",
            Ledger::Zoho => "Zoho Invoice",
            Ledger::Wave => "Wave",
            Ledger::Invoice2go => "Invoice2go",
            Ledger::Invoicely => "Invoicely",
        }
    }

    /// What the file is, for the report's last line.
    pub fn describe(self) -> &'static str {
        match self {
            Ledger::StripeInvoices => "Stripe invoices export",
            Ledger::StripePayments => "Stripe payments export",
            Ledger::QuickBooksAging => "QuickBooks A/R Aging Detail report",
            Ledger::InvoiceNinjaInvoices => "Invoice Ninja invoices export",
            Ledger::InvoiceNinjaPayments => "Invoice Ninja payments export",
            Ledger::FreshBooks => "FreshBooks invoices export",
            Ledger::Zoho => "Zoho Invoice invoices export",
            Ledger::Wave => "Wave accounting transactions export",
            Ledger::Invoice2go => "Invoice2go invoices export",
            Ledger::Invoicely => "Invoicely invoices export",
        }
    }

    /// The export a header (names lower-cased) is, if tally knows it.
    pub fn guess(h: &[String]) -> Option<Ledger> {
        let has = |n: &str| h.iter().any(|x| x == n);
        Some(
            if has("amount due") && has("amount paid") && has("customer") {
                Ledger::StripeInvoices
            } else if has("amount refunded") && has("customer id") {
                Ledger::StripePayments
            } else if has("transaction type") && has("open balance") {
                Ledger::QuickBooksAging
            } else if has("invoice number") && has("paid") && has("client") {
                Ledger::InvoiceNinjaInvoices
            } else if has("client") && has("invoice number") && has("amount") && h.len() <= 5 {
                Ledger::InvoiceNinjaPayments
            } else if has("invoice #") && has("line total") {
                Ledger::FreshBooks
            } else if has("invoice number") && has("invoice status") && has("balance") {
                Ledger::Zoho
            } else if has("amount (one column)") && has("account name") {
                Ledger::Wave
            } else if has("documentnumber") && has("balancedueamount") {
                Ledger::Invoice2go
            } else if has("details") && has("client") && has("status") && has("total") {
                Ledger::Invoicely
            } else {
                return None;
            },
        )
    }
}

/// Who an item belongs to, as the file names them.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Who {
    /// The customer's own name (a QuickBooks sub-customer's last part);
    /// empty when the file has only an id (Stripe).
    pub name: String,
    /// The name as the file wrote it, `Parent:Child` in QuickBooks.
    pub full_name: String,
    pub email: Option<String>,
    /// The id the old system gave them: a Stripe `cus_…`, a QuickBooks
    /// full name.
    pub outside_id: Option<String>,
    /// A QuickBooks sub-customer's parent, by its full name.
    pub parent: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Item {
    /// Still open: `remaining` of `total` is left to pay.
    Invoice {
        number: String,
        issued: NaiveDate,
        /// `None` where the file has none (charged automatically, or the
        /// system keeps no due date): due on the day it was issued.
        due: Option<NaiveDate>,
        total: Decimal,
        remaining: Decimal,
    },
    /// Money the customer holds, applied to nothing: a payment or credit
    /// memo left open, an overpayment.
    Credit {
        what: &'static str,
        number: Option<String>,
        date: NaiveDate,
        amount: Decimal,
    },
}

#[derive(Debug, Clone, PartialEq)]
pub struct OpenItem {
    /// The file's lines it came from (an invoice's item rows).
    pub lines: Vec<usize>,
    pub who: Who,
    pub item: Item,
}

/// A whole file in tally's terms.
#[derive(Debug, Clone, PartialEq)]
pub struct OpenItems {
    pub ledger: Ledger,
    pub items: Vec<OpenItem>,
    /// (line, why) rows not brought in.
    pub skipped: Vec<(usize, String)>,
    /// (line, what) rows that were settled in the old system and change
    /// nothing owed (a paid invoice's payment, a direct charge).
    pub settled: Vec<(usize, String)>,
}

/// Reads a transaction export. `today` reads relative dates; `day_first`
/// reads `03/04/2025` as 3 April where a file's dates are ambiguous.
pub fn read(
    file: &str,
    bytes: &[u8],
    currency: &Currency,
    today: NaiveDate,
    day_first: bool,
) -> Result<OpenItems, FileError> {
    let src = CsvFile::new(file, bytes)?;
    let (headers, mut rows) = src.rows()?;
    let Some(ledger) = Ledger::guess(&headers) else {
        return Err(FileError::Header {
            file: file.into(),
            reason: "not an invoices, payments or transactions export tally knows: \
                     it reads Stripe, QuickBooks (A/R Aging Detail), Invoice Ninja, FreshBooks, \
                     Zoho Invoice, Wave, Invoice2go and Invoicely"
                .into(),
        });
    };
    let mut table = Table {
        file,
        headers,
        rows: Vec::new(),
        currency,
        today,
        day_first,
    };
    while let Some((line, cells)) = rows.next_row()? {
        table
            .rows
            .push((line, cells.iter().map(|c| c.to_string()).collect()));
    }
    if table.rows.is_empty() {
        return Err(FileError::HeaderOnly { file: file.into() });
    }
    let mut out = OpenItems {
        ledger,
        items: Vec::new(),
        skipped: Vec::new(),
        settled: Vec::new(),
    };
    match ledger {
        Ledger::StripeInvoices => stripe_invoices(&table, &mut out)?,
        Ledger::StripePayments => stripe_payments(&table, &mut out)?,
        Ledger::QuickBooksAging => quickbooks_aging(&table, &mut out)?,
        Ledger::InvoiceNinjaInvoices => invoice_ninja(&table, &mut out)?,
        Ledger::InvoiceNinjaPayments => invoice_ninja_payments(&table, &mut out)?,
        Ledger::FreshBooks => freshbooks(&table, &mut out)?,
        Ledger::Zoho => zoho(&table, &mut out)?,
        Ledger::Wave => wave(&table, &mut out)?,
        Ledger::Invoice2go => invoice2go(&table, &mut out)?,
        Ledger::Invoicely => invoicely(&table, &mut out)?,
    }
    Ok(out)
}

/// The file's rows with typed access to their cells.
struct Table<'a> {
    file: &'a str,
    headers: Vec<String>,
    rows: Vec<(usize, Vec<String>)>,
    currency: &'a Currency,
    today: NaiveDate,
    day_first: bool,
}

type Row = (usize, Vec<String>);

impl Table<'_> {
    /// The column of the first of `names` present, or a refusal naming it.
    fn need(&self, names: &[&str]) -> Result<usize, FileError> {
        columns(&self.headers, names).ok_or_else(|| FileError::Header {
            file: self.file.into(),
            reason: format!("no \"{}\" column", names[0]),
        })
    }

    fn col(&self, names: &[&str]) -> Option<usize> {
        columns(&self.headers, names)
    }

    fn cell<'r>(&self, row: &'r Row, col: Option<usize>) -> &'r str {
        col.and_then(|c| row.1.get(c)).map_or("", |s| s.as_str())
    }

    fn amount(&self, row: &Row, col: usize) -> Result<Decimal, FileError> {
        let s = self.cell(row, Some(col));
        if s.is_empty() {
            return Ok(Decimal::ZERO);
        }
        signed(s, self.currency).map_err(|reason| self.bad(row, col, reason))
    }

    fn date(&self, row: &Row, col: usize) -> Result<NaiveDate, FileError> {
        let s = self.cell(row, Some(col));
        let s = if self.day_first {
            day_first(s).unwrap_or_else(|| s.to_string())
        } else {
            s.to_string()
        };
        parse_file_date(&s, self.today).map_err(|e| self.bad(row, col, e.to_string()))
    }

    fn optional_date(&self, row: &Row, col: Option<usize>) -> Result<Option<NaiveDate>, FileError> {
        match col {
            Some(c) if !self.cell(row, Some(c)).is_empty() => self.date(row, c).map(Some),
            _ => Ok(None),
        }
    }

    fn bad(&self, row: &Row, col: usize, reason: String) -> FileError {
        FileError::Cell {
            file: self.file.into(),
            line: row.0,
            column: self.headers.get(col).cloned().unwrap_or_default(),
            reason,
        }
    }

    /// "other currency" when a row's currency is set and is not the book's.
    fn foreign(&self, row: &Row, col: Option<usize>) -> Option<String> {
        let code = self.cell(row, col).to_ascii_uppercase();
        (!code.is_empty() && code != self.currency.code).then_some(code)
    }

    /// Rows grouped by the value of `key`, in the order each first appears.
    fn grouped(&self, key: usize) -> Vec<Vec<&Row>> {
        let mut groups: Vec<Vec<&Row>> = Vec::new();
        let mut at: std::collections::HashMap<&str, usize> = std::collections::HashMap::new();
        for row in &self.rows {
            let k = self.cell(row, Some(key));
            match at.get(k) {
                Some(&i) => groups[i].push(row),
                None => {
                    at.insert(k, groups.len());
                    groups.push(vec![row]);
                }
            }
        }
        groups
    }
}

/// `03/04/2025` read day first, as `2025-04-03`.
fn day_first(s: &str) -> Option<String> {
    let mut parts = s.split(['/', '.', '-']);
    let (d, m, y) = (parts.next()?, parts.next()?, parts.next()?);
    if parts.next().is_some() || y.len() != 4 {
        return None;
    }
    let (d, m): (u32, u32) = (d.parse().ok()?, m.parse().ok()?);
    Some(format!("{y}-{m:02}-{d:02}"))
}

fn person(name: &str, email: &str) -> Who {
    Who {
        name: name.to_string(),
        full_name: name.to_string(),
        email: Some(email.to_string()).filter(|e| !e.is_empty()),
        outside_id: None,
        parent: None,
    }
}

fn invoice(
    lines: Vec<usize>,
    who: Who,
    number: &str,
    issued: NaiveDate,
    due: Option<NaiveDate>,
    total: Decimal,
    remaining: Decimal,
) -> OpenItem {
    OpenItem {
        lines,
        who,
        item: Item::Invoice {
            number: number.to_string(),
            issued,
            due,
            total,
            remaining,
        },
    }
}

/// Stripe: only `open` invoices are owed; what is left is Amount Due less
/// Amount Paid (Amount Due is already net of credit applied).
fn stripe_invoices(t: &Table<'_>, out: &mut OpenItems) -> Result<(), FileError> {
    let (status, customer, currency) = (
        t.need(&["status"])?,
        t.need(&["customer"])?,
        t.col(&["currency"]),
    );
    let (number, issued, due) = (
        t.need(&["number"])?,
        t.need(&["date (utc)", "date"])?,
        t.col(&["due date (utc)", "due date"]),
    );
    let (total, amount_due, amount_paid) = (
        t.need(&["total"])?,
        t.need(&["amount due"])?,
        t.need(&["amount paid"])?,
    );
    for row in &t.rows {
        let line = row.0;
        if let Some(code) = t.foreign(row, currency) {
            let due = t.amount(row, amount_due)?;
            out.skipped.push((
                line,
                format!("other currency: {} {code}", t.currency.plain(due)),
            ));
            continue;
        }
        let why = match t.cell(row, Some(status)).to_ascii_lowercase().as_str() {
            "open" => None,
            "uncollectible" => Some("uncollectible (written off in Stripe)".to_string()),
            s @ ("paid" | "void" | "draft") => Some(s.to_string()),
            other => Some(format!("status \"{other}\" is not open")),
        };
        if let Some(why) = why {
            out.skipped.push((line, why));
            continue;
        }
        let left = t.amount(row, amount_due)? - t.amount(row, amount_paid)?;
        if left <= Decimal::ZERO {
            out.settled.push((line, "nothing left to pay".into()));
            continue;
        }
        let who = Who {
            outside_id: Some(t.cell(row, Some(customer)).to_string()).filter(|c| !c.is_empty()),
            ..Who::default()
        };
        out.items.push(invoice(
            vec![line],
            who,
            t.cell(row, Some(number)),
            t.date(row, issued)?,
            t.optional_date(row, due)?,
            t.amount(row, total)?,
            left,
        ));
    }
    Ok(())
}

/// Stripe's payments pay invoices the invoices export shows as paid, or
/// are direct charges paid on the spot: neither changes what is owed.
fn stripe_payments(t: &Table<'_>, out: &mut OpenItems) -> Result<(), FileError> {
    let (status, customer, email, invoice, amount, refunded) = (
        t.need(&["status"])?,
        t.need(&["customer id"])?,
        t.col(&["customer email"]),
        t.col(&["invoice id"]),
        t.need(&["amount"])?,
        t.need(&["amount refunded"])?,
    );
    for row in &t.rows {
        let line = row.0;
        if t.cell(row, Some(status)).eq_ignore_ascii_case("failed") {
            out.skipped
                .push((line, "failed payment: no money moved".into()));
            continue;
        }
        if t.cell(row, Some(customer)).is_empty() && t.cell(row, email).is_empty() {
            out.skipped.push((
                line,
                "no customer: a guest payment without Customer ID or email".into(),
            ));
            continue;
        }
        let net = t
            .currency
            .plain(t.amount(row, amount)? - t.amount(row, refunded)?);
        let what = match t.cell(row, invoice) {
            "" => format!("a direct charge of {net} (after refunds), paid on the spot"),
            inv => format!("a payment of {net} (after refunds) on Stripe invoice {inv}"),
        };
        out.settled
            .push((line, format!("{what}: settled in Stripe")));
    }
    Ok(())
}

/// QuickBooks' A/R Aging Detail: section labels, "Total for …" rows and
/// the TOTAL are not transactions; an Invoice row is open for its Open
/// Balance; Payment and Credit Memo rows left open are credit held.
fn quickbooks_aging(t: &Table<'_>, out: &mut OpenItems) -> Result<(), FileError> {
    let label = 0;
    let (date, kind, num, customer) = (
        t.need(&["date"])?,
        t.need(&["transaction type"])?,
        t.col(&["num"]),
        t.need(&["customer", "customer full name"])?,
    );
    let (due, amount, open) = (
        t.col(&["due date"]),
        t.need(&["amount"])?,
        t.need(&["open balance"])?,
    );
    for row in &t.rows {
        let line = row.0;
        if t.cell(row, Some(date)).is_empty() {
            let text = t.cell(row, Some(label));
            let why = if text.eq_ignore_ascii_case("total") {
                "total row".to_string()
            } else if text.starts_with("Total") {
                format!("subtotal row: {text}")
            } else if text.is_empty() {
                "blank row".to_string()
            } else {
                format!("section row: {text}")
            };
            out.skipped.push((line, why));
            continue;
        }
        let full = t.cell(row, Some(customer));
        let (parent, name) = match full.rsplit_once(':') {
            Some((p, n)) if !p.trim().is_empty() && !n.trim().is_empty() => {
                (Some(p.trim().to_string()), n.trim())
            }
            _ => (None, full),
        };
        let who = Who {
            name: name.to_string(),
            full_name: full.to_string(),
            email: None,
            outside_id: Some(full.to_string()),
            parent,
        };
        let left = t.amount(row, open)?;
        let number = t.cell(row, num);
        let issued = t.date(row, date)?;
        match t.cell(row, Some(kind)).to_ascii_lowercase().as_str() {
            _ if left.is_zero() => out.settled.push((line, "nothing open".into())),
            "invoice" if left > Decimal::ZERO => out.items.push(invoice(
                vec![line],
                who,
                number,
                issued,
                t.optional_date(row, due)?,
                t.amount(row, amount)?,
                left,
            )),
            k @ ("payment" | "credit memo") if left < Decimal::ZERO => out.items.push(OpenItem {
                lines: vec![line],
                who,
                item: Item::Credit {
                    what: if k == "payment" {
                        "Payment"
                    } else {
                        "Credit memo"
                    },
                    number: Some(number.to_string()).filter(|n| !n.is_empty()),
                    date: issued,
                    amount: -left,
                },
            }),
            other => out.skipped.push((
                line,
                format!(
                    "a {other} with open balance {}: not an invoice or credit",
                    t.currency.plain(left)
                ),
            )),
        }
    }
    Ok(())
}

/// Invoice Ninja: one row per item, Amount and Paid repeated on each.
fn invoice_ninja(t: &Table<'_>, out: &mut OpenItems) -> Result<(), FileError> {
    let (client, email, number, status) = (
        t.need(&["client"])?,
        t.col(&["email"]),
        t.need(&["invoice number"])?,
        t.need(&["status"])?,
    );
    let (amount, paid, issued, due) = (
        t.need(&["amount"])?,
        t.need(&["paid"])?,
        t.need(&["invoice date"])?,
        t.col(&["due date"]),
    );
    for rows in t.grouped(number) {
        let first = rows[0];
        let lines = rows.iter().map(|r| r.0).collect();
        let st = t.cell(first, Some(status)).to_ascii_lowercase();
        if st == "draft" {
            out.skipped
                .push((first.0, "draft: not sent, owes nothing yet".into()));
            continue;
        }
        let total = t.amount(first, amount)?;
        let left = total - t.amount(first, paid)?;
        if left <= Decimal::ZERO {
            out.settled.push((first.0, "paid".into()));
            continue;
        }
        out.items.push(invoice(
            lines,
            person(t.cell(first, Some(client)), t.cell(first, email)),
            t.cell(first, Some(number)),
            t.date(first, issued)?,
            t.optional_date(first, due)?,
            total,
            left,
        ));
    }
    Ok(())
}

/// Invoice Ninja's payments are each applied to an invoice, whose Paid
/// already counts them.
fn invoice_ninja_payments(t: &Table<'_>, out: &mut OpenItems) -> Result<(), FileError> {
    let (number, amount) = (t.need(&["invoice number"])?, t.need(&["amount"])?);
    for row in &t.rows {
        let a = t.amount(row, amount)?;
        let what = if a < Decimal::ZERO {
            "refund"
        } else {
            "payment"
        };
        out.settled.push((
            row.0,
            format!(
                "{what} of {} on invoice {}: already counted in that invoice's Paid",
                t.currency.plain(a.abs()),
                t.cell(row, Some(number))
            ),
        ));
    }
    Ok(())
}

/// FreshBooks: one row per line item; the invoice's total is the sum of
/// its Line Totals; sent or viewed invoices are owed in full.
fn freshbooks(t: &Table<'_>, out: &mut OpenItems) -> Result<(), FileError> {
    let (client, number, issued, status) = (
        t.need(&["client name"])?,
        t.need(&["invoice #"])?,
        t.need(&["date issued"])?,
        t.need(&["invoice status"])?,
    );
    let (line_total, currency) = (t.need(&["line total"])?, t.col(&["currency"]));
    for rows in t.grouped(number) {
        let first = rows[0];
        if let Some(code) = t.foreign(first, currency) {
            out.skipped
                .push((first.0, format!("other currency: {code}")));
            continue;
        }
        match t.cell(first, Some(status)).to_ascii_lowercase().as_str() {
            "draft" => {
                out.skipped.push((first.0, "draft".into()));
                continue;
            }
            "paid" => {
                out.settled.push((first.0, "paid".into()));
                continue;
            }
            _ => {}
        }
        let mut total = Decimal::ZERO;
        for r in &rows {
            total += t.amount(r, line_total)?;
        }
        if total <= Decimal::ZERO {
            out.settled.push((first.0, "nothing to pay".into()));
            continue;
        }
        out.items.push(invoice(
            rows.iter().map(|r| r.0).collect(),
            person(t.cell(first, Some(client)), ""),
            t.cell(first, Some(number)),
            t.date(first, issued)?,
            None,
            total,
            total,
        ));
    }
    Ok(())
}

/// Zoho Invoice: one row per item, Total and Balance (left to pay)
/// repeated on each; drafts and voids owe nothing.
fn zoho(t: &Table<'_>, out: &mut OpenItems) -> Result<(), FileError> {
    let (customer, number, status) = (
        t.need(&["customer name"])?,
        t.need(&["invoice number"])?,
        t.need(&["invoice status"])?,
    );
    let (issued, due, total, balance, currency) = (
        t.need(&["invoice date"])?,
        t.col(&["due date"]),
        t.need(&["total"])?,
        t.need(&["balance"])?,
        t.col(&["currency code"]),
    );
    for rows in t.grouped(number) {
        let first = rows[0];
        if let Some(code) = t.foreign(first, currency) {
            out.skipped
                .push((first.0, format!("other currency: {code}")));
            continue;
        }
        let st = t.cell(first, Some(status)).to_ascii_lowercase();
        if st == "draft" || st == "void" {
            out.skipped.push((first.0, st));
            continue;
        }
        let left = t.amount(first, balance)?;
        if left <= Decimal::ZERO {
            out.settled.push((first.0, "paid".into()));
            continue;
        }
        out.items.push(invoice(
            rows.iter().map(|r| r.0).collect(),
            person(t.cell(first, Some(customer)), ""),
            t.cell(first, Some(number)),
            t.date(first, issued)?,
            t.optional_date(first, due)?,
            t.amount(first, total)?,
            left,
        ));
    }
    Ok(())
}

/// Wave's accounting transactions: the Accounts Receivable rows with a
/// customer are what that customer owes, + for an invoice and − for a
/// payment. Summed per invoice number: what is left is open, and a
/// payment beyond its invoice is credit the customer holds.
fn wave(t: &Table<'_>, out: &mut OpenItems) -> Result<(), FileError> {
    let (date, account, amount, customer, number) = (
        t.need(&["transaction date"])?,
        t.need(&["account name"])?,
        t.need(&["amount (one column)"])?,
        t.need(&["customer"])?,
        t.col(&["invoice number"]),
    );
    struct Open<'r> {
        rows: Vec<&'r Row>,
        billed: Decimal,
        paid: Decimal,
        issued: Option<NaiveDate>,
        last: NaiveDate,
    }
    let mut by: Vec<((String, String), Open<'_>)> = Vec::new();
    for row in &t.rows {
        let receivable = t
            .cell(row, Some(account))
            .eq_ignore_ascii_case("accounts receivable");
        if !receivable || t.cell(row, Some(customer)).is_empty() {
            out.settled.push((
                row.0,
                "the other side of a transaction (not receivable)".into(),
            ));
            continue;
        }
        let key = (
            t.cell(row, Some(customer)).to_string(),
            t.cell(row, number).to_string(),
        );
        let (a, d) = (t.amount(row, amount)?, t.date(row, date)?);
        let at = match by.iter().position(|(k, _)| *k == key) {
            Some(i) => i,
            None => {
                by.push((
                    key,
                    Open {
                        rows: Vec::new(),
                        billed: Decimal::ZERO,
                        paid: Decimal::ZERO,
                        issued: None,
                        last: d,
                    },
                ));
                by.len() - 1
            }
        };
        let o = &mut by[at].1;
        o.rows.push(row);
        o.last = o.last.max(d);
        if a > Decimal::ZERO {
            o.billed += a;
            o.issued = Some(o.issued.map_or(d, |i| i.min(d)));
        } else {
            o.paid -= a;
        }
    }
    for ((name, number), o) in by {
        let lines: Vec<usize> = o.rows.iter().map(|r| r.0).collect();
        let left = o.billed - o.paid;
        let who = person(&name, "");
        if left > Decimal::ZERO {
            out.items.push(invoice(
                lines,
                who,
                &number,
                o.issued.unwrap_or(o.last),
                None,
                o.billed,
                left,
            ));
        } else if left < Decimal::ZERO {
            out.items.push(OpenItem {
                lines,
                who,
                item: Item::Credit {
                    what: "Overpayment",
                    number: Some(number).filter(|n| !n.is_empty()),
                    date: o.last,
                    amount: -left,
                },
            });
        } else {
            for l in lines {
                out.settled.push((l, "paid".into()));
            }
        }
    }
    Ok(())
}

/// Invoice2go: BalanceDueAmount is left to pay.
fn invoice2go(t: &Table<'_>, out: &mut OpenItems) -> Result<(), FileError> {
    let (name, email, number, status) = (
        t.need(&["name"])?,
        t.col(&["emailrecipient"]),
        t.need(&["documentnumber"])?,
        t.need(&["documentstatus"])?,
    );
    let (issued, total, balance, currency) = (
        t.need(&["documentdate"])?,
        t.need(&["totalamount"])?,
        t.need(&["balancedueamount"])?,
        t.col(&["currencycode"]),
    );
    for row in &t.rows {
        if let Some(code) = t.foreign(row, currency) {
            out.skipped.push((row.0, format!("other currency: {code}")));
            continue;
        }
        let st = t.cell(row, Some(status)).to_ascii_lowercase();
        if st == "draft" || st == "void" || st == "deleted" {
            out.skipped.push((row.0, st));
            continue;
        }
        let left = t.amount(row, balance)?;
        if left <= Decimal::ZERO {
            out.settled.push((row.0, "paid".into()));
            continue;
        }
        out.items.push(invoice(
            vec![row.0],
            person(t.cell(row, Some(name)), t.cell(row, email)),
            t.cell(row, Some(number)),
            t.date(row, issued)?,
            None,
            t.amount(row, total)?,
            left,
        ));
    }
    Ok(())
}

/// Invoicely has no amount paid: an invoice Due is owed in full.
fn invoicely(t: &Table<'_>, out: &mut OpenItems) -> Result<(), FileError> {
    let (issued, due, number, client, status, total) = (
        t.need(&["date"])?,
        t.col(&["due"]),
        t.need(&["details"])?,
        t.need(&["client"])?,
        t.need(&["status"])?,
        t.need(&["total"])?,
    );
    for row in &t.rows {
        match t.cell(row, Some(status)).to_ascii_lowercase().as_str() {
            "due" | "overdue" | "sent" | "partial" => {}
            "paid" => {
                out.settled.push((row.0, "paid".into()));
                continue;
            }
            other => {
                out.skipped
                    .push((row.0, format!("status \"{other}\" is not owed")));
                continue;
            }
        }
        let total = t.amount(row, total)?;
        out.items.push(invoice(
            vec![row.0],
            person(t.cell(row, Some(client)), ""),
            t.cell(row, Some(number)),
            t.date(row, issued)?,
            t.optional_date(row, due)?,
            total,
            total,
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2025, 3, 31).unwrap()
    }

    #[test]
    fn each_invoice_of_item_rows_is_counted_once() {
        let file =
            b"Client,Email,Invoice Number,Amount,Paid,Status,Invoice Date,Due Date,Item Cost\n\
            Ann,ann@x.com,7,$100.00,$40.00,Partial,2025-01-02,2025-02-01,50\n\
            Ann,ann@x.com,7,$100.00,$40.00,Partial,2025-01-02,2025-02-01,50\n\
            Bo,,8,$5.00,$0.00,Draft,2025-01-02,2025-02-01,5\n";
        let r = read("n.csv", file, &Currency::default(), today(), false).unwrap();
        assert_eq!(r.ledger, Ledger::InvoiceNinjaInvoices);
        assert_eq!(r.items.len(), 1);
        let Item::Invoice {
            total, remaining, ..
        } = &r.items[0].item
        else {
            panic!("an invoice")
        };
        assert_eq!(
            (total.to_string(), remaining.to_string()),
            ("100.00".into(), "60.00".into())
        );
        assert_eq!(r.items[0].lines, [2, 3]);
        assert_eq!(
            r.skipped,
            [(4, "draft: not sent, owes nothing yet".to_string())]
        );
    }

    #[test]
    fn a_wave_payment_beyond_its_invoice_is_credit_held() {
        let file = b"Transaction Date,Account Name,Amount (One column),Customer,Invoice Number\n\
            2025-01-02,Accounts Receivable,100.00,Ann,1\n\
            2025-01-02,Sales,100.00,Ann,1\n\
            2025-01-09,Accounts Receivable,-125.00,Ann,1\n";
        let r = read("w.csv", file, &Currency::default(), today(), false).unwrap();
        assert_eq!(r.items.len(), 1);
        assert!(
            matches!(&r.items[0].item, Item::Credit { amount, .. } if amount.to_string() == "25.00")
        );
        assert_eq!(r.settled.len(), 1, "the income side");
    }

    #[test]
    fn day_first_dates_are_read_when_asked() {
        assert_eq!(day_first("03/04/2025").as_deref(), Some("2025-04-03"));
        assert_eq!(day_first("2025-04-03"), None);
        let file = b"\"Date\",\"Due\",\"Details\",\"Client\",\"Status\",\"Total\"\n\
            \"03/04/2025\",\"18/04/2025\",\"INV-1\",\"Ann\",\"Due\",\"1,020.00\"\n";
        let r = read("i.csv", file, &Currency::default(), today(), true).unwrap();
        assert!(matches!(&r.items[0].item,
            Item::Invoice { issued, total, .. } if issued.to_string() == "2025-04-03" && total.to_string() == "1020.00"));
        let month_first = read("i.csv", file, &Currency::default(), today(), false);
        assert!(month_first.is_err(), "18/04/2025 has no month 18");
    }
}
