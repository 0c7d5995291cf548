//! A statement of account: the opening balance, every line item of the
//! period with the running balance, the invoices issued in it, and the
//! closing balance, as plain text or a printable page in the invoice's
//! style. The payment link appears only when the customer owes.
//!
//! A statement is the customer's document, so it speaks the customer's
//! sign (`figures::customer_sign`): a charge is a positive amount, a
//! payment a negative one, and the balance is what they owe, with credit
//! they hold written as "$25.00 credit". Events of one day are in the order
//! they happened: an invoice's charges, then the invoice, then that day's
//! credits (a payment for it, or its void, came after it was issued).

use chrono::NaiveDate;
use rust_decimal::Decimal;

use super::escape;
use super::invoice::STYLESHEET;
use crate::config::Business;
use crate::domain::figures::customer_sign;
use crate::domain::text::for_terminal;
use crate::domain::{Currency, Customer, Entry, EntryKind};

#[derive(Debug, Clone)]
pub struct StatementDoc {
    pub business: Business,
    pub currency: Currency,
    pub customer: Customer,
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub opening: Decimal,
    /// Each line, with the sub-client's name when it is one billed to
    /// this customer.
    pub lines: Vec<(Entry, Option<String>)>,
    /// (number, issue date, total) of invoices issued in the period.
    pub invoices: Vec<(String, NaiveDate, Decimal)>,
    pub link: Option<String>,
    /// The parent this customer is billed to: then the statement asks
    /// nothing of them and says who pays.
    pub billed_to: Option<String>,
}

/// One row: a date, words, an amount that moves the balance (or none for
/// an invoice, which only groups charges), and the balance after it.
struct Row {
    date: NaiveDate,
    what: String,
    amount: Option<Decimal>,
    balance: Decimal,
}

impl StatementDoc {
    /// The rows in the customer's sign: `amount` raises what they owe,
    /// `balance` is what they owe after it (negative: credit).
    fn rows(&self) -> Vec<Row> {
        let mut rows = Vec::new();
        let mut balance = customer_sign(self.opening);
        let mut invoices = self.invoices.iter().peekable();
        for (e, whose) in &self.lines {
            // An invoice is issued after the charges it groups and before
            // the payments and voids that answer it.
            let after_issue =
                |d: NaiveDate| d < e.date || (d == e.date && e.kind != EntryKind::Charge);
            while let Some((n, d, total)) = invoices.next_if(|(_, d, _)| after_issue(*d)) {
                rows.push(self.invoice_row(n, *d, *total, balance));
            }
            let amount = customer_sign(e.signed_total());
            balance += amount;
            let label = match whose {
                Some(name) => format!("{} for {name}", e.label()),
                None => e.label().to_string(),
            };
            let what = if e.description.is_empty() {
                label
            } else {
                format!("{label}: {}", e.description)
            };
            rows.push(Row {
                date: e.date,
                what,
                amount: Some(amount),
                balance,
            });
        }
        for (n, d, total) in invoices {
            rows.push(self.invoice_row(n, *d, *total, balance));
        }
        rows
    }

    fn invoice_row(&self, number: &str, date: NaiveDate, total: Decimal, balance: Decimal) -> Row {
        Row {
            date,
            what: format!(
                "Invoice {number} issued, total {}",
                self.currency.display(total)
            ),
            amount: None,
            balance,
        }
    }

    /// What the customer owes at the start, in their sign.
    fn opening_due(&self) -> Decimal {
        customer_sign(self.opening)
    }

    /// What the customer owes at the end, in their sign (negative: credit).
    fn closing_due(&self) -> Decimal {
        customer_sign(
            self.opening
                + self
                    .lines
                    .iter()
                    .map(|(e, _)| e.signed_total())
                    .sum::<Decimal>(),
        )
    }

    /// What the customer is asked to pay at the end: zero if they hold
    /// credit or are billed to their parent.
    fn owed(&self) -> Decimal {
        if self.billed_to.is_some() {
            return Decimal::ZERO;
        }
        self.closing_due().max(Decimal::ZERO)
    }

    /// A balance as the customer reads it: what they owe, or their credit
    /// named as such (never a bare minus sign on what they are owed).
    fn due(&self, v: Decimal) -> String {
        if v < Decimal::ZERO {
            format!("{} credit", self.currency.display(-v))
        } else {
            self.currency.display(v)
        }
    }

    /// The last line: what is due, or the credit they hold, or who pays.
    fn summary(&self) -> (&'static str, String) {
        let closing = self.closing_due();
        if let Some(parent) = &self.billed_to {
            ("Billed to", parent.clone())
        } else if closing < Decimal::ZERO {
            ("Account credit", self.currency.display(-closing))
        } else {
            ("Amount due", self.currency.display(closing))
        }
    }

    pub fn to_text(&self) -> String {
        let cur = &self.currency;
        let mut out = format!(
            "Statement of account\n{}\nFor: {}\nPeriod: {} to {}\n\n",
            for_terminal(&self.business.name),
            for_terminal(&self.customer.name),
            self.from,
            self.to
        );
        out.push_str(&format!(
            "{:<10}  {:<44}  {:>12}  {:>16}\n",
            "Date", "", "Amount", "Balance due"
        ));
        out.push_str(&format!(
            "{:<10}  {:<44}  {:>12}  {:>16}\n",
            self.from,
            "Opening balance",
            "",
            self.due(self.opening_due())
        ));
        for r in self.rows() {
            out.push_str(&format!(
                "{:<10}  {:<44}  {:>12}  {:>16}\n",
                r.date,
                for_terminal(&r.what),
                r.amount.map(|a| cur.display(a)).unwrap_or_default(),
                self.due(r.balance)
            ));
        }
        out.push_str(&format!(
            "{:<10}  {:<44}  {:>12}  {:>16}\n",
            self.to,
            "Closing balance",
            "",
            self.due(self.closing_due())
        ));
        let (label, amount) = self.summary();
        out.push_str(&format!("\n{label}: {}\n", for_terminal(&amount)));
        if let (Some(link), true) = (&self.link, self.owed() > Decimal::ZERO) {
            out.push_str(&format!("Pay online: {link}\n"));
        }
        out
    }

    /// A self-contained page (the stylesheet inline), for a file.
    pub fn to_html(&self) -> String {
        self.html_with(&format!("<style>\n{STYLESHEET}\n</style>"), "")
    }

    /// The portal's page: the stylesheet linked (its Content-Security-Policy
    /// allows no inline styles) and a way back to the balance.
    pub fn html_linked(&self, site: crate::portal::page::Site<'_>) -> String {
        let back = self
            .link
            .as_deref()
            .map(|l| {
                format!(
                    "<a class=\"back\" href=\"{}\">← Back to your balance</a>\n",
                    escape(l)
                )
            })
            .unwrap_or_default();
        let style = super::invoice::linked_head(site);
        let back = format!("{back}{}", super::invoice::updated_note(site));
        self.html_with(&style, &back)
    }

    fn html_with(&self, style: &str, back: &str) -> String {
        let cur = &self.currency;
        let summary = self.summary();
        let mut rows = format!(
            "<tr><td>{d}</td><td>Opening balance<span class=\"on\">{d}</span></td><td class=\"num\"></td><td class=\"num\">{}</td></tr>\n",
            escape(&self.due(self.opening_due())),
            d = self.from,
        );
        for r in self.rows() {
            rows.push_str(&format!(
                "<tr><td>{d}</td><td>{}<span class=\"on\">{d}</span></td><td class=\"num\">{}</td><td class=\"num\">{}</td></tr>\n",
                escape(&r.what),
                r.amount.map(|a| escape(&cur.display(a))).unwrap_or_default(),
                escape(&self.due(r.balance)),
                d = r.date,
            ));
        }
        rows.push_str(&format!(
            "<tr><td>{d}</td><td><strong>Closing balance</strong><span class=\"on\">{d}</span></td><td class=\"num\"></td><td class=\"num\"><strong>{}</strong></td></tr>\n",
            escape(&self.due(self.closing_due())),
            d = self.to,
        ));
        let pay = match (&self.link, self.owed() > Decimal::ZERO) {
            (Some(link), true) => format!(
                "<div class=\"pay\">Pay online: <a href=\"{0}\">{0}</a></div>",
                escape(link)
            ),
            _ => String::new(),
        };
        format!(
            "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\"/>\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"/>\n\
             <title>Statement — {name}</title>\n{style}\n</head>\n<body>\n<main>\n{back}\
             <header><div><h1>Statement of account</h1><div class=\"muted\">{from} to {to}</div></div>\
             <div class=\"business\"><strong>{business}</strong></div></header>\n\
             <section class=\"meta\"><div><div class=\"muted\">For</div><div class=\"billto\"><strong>{name}</strong></div></div></section>\n\
             <table class=\"lines statement\"><thead><tr><th>Date</th><th>Description</th><th class=\"num\">Amount</th><th class=\"num\">Balance due</th></tr></thead>\n<tbody>\n{rows}</tbody></table>\n\
             <table class=\"totals\"><tbody><tr class=\"due\"><td>{label}</td><td class=\"num\">{owed}</td></tr></tbody></table>\n{pay}\n</main>\n</body>\n</html>\n",
            name = escape(&self.customer.name),
            business = escape(&self.business.name),
            from = self.from,
            to = self.to,
            label = summary.0,
            owed = escape(&summary.1),
        )
    }
}
