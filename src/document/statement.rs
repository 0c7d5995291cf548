//! A statement of account: the opening balance, every line item of the
//! period with the running balance, the invoices issued in it, and the
//! closing balance, as plain text or a printable page in the invoice's
//! style. The payment link appears only when the customer owes.

use chrono::NaiveDate;
use rust_decimal::Decimal;

use super::escape;
use super::invoice::STYLESHEET;
use crate::config::Business;
use crate::domain::text::for_terminal;
use crate::domain::{Currency, Customer, Entry};

#[derive(Debug, Clone)]
pub struct StatementDoc {
    pub business: Business,
    pub currency: Currency,
    pub customer: Customer,
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub opening: Decimal,
    pub lines: Vec<Entry>,
    /// (number, issue date, total) of invoices issued in the period.
    pub invoices: Vec<(String, NaiveDate, Decimal)>,
    pub link: Option<String>,
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
    fn rows(&self) -> Vec<Row> {
        let mut rows = Vec::new();
        let mut balance = self.opening;
        let mut invoices = self.invoices.iter().peekable();
        for e in &self.lines {
            while let Some((n, d, total)) = invoices.next_if(|(_, d, _)| *d < e.date) {
                rows.push(self.invoice_row(n, *d, *total, balance));
            }
            balance += e.signed_total();
            let what = if e.description.is_empty() {
                e.label().to_string()
            } else {
                format!("{}: {}", e.label(), e.description)
            };
            rows.push(Row {
                date: e.date,
                what,
                amount: Some(e.signed_total()),
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

    fn closing(&self) -> Decimal {
        self.opening + self.lines.iter().map(Entry::signed_total).sum::<Decimal>()
    }

    /// What the customer owes at the end (zero if they hold credit).
    fn owed(&self) -> Decimal {
        (-self.closing()).max(Decimal::ZERO)
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
            "{:<10}  {:<44}  {:>12}  {:>12}\n",
            "Date", "", "Amount", "Balance"
        ));
        out.push_str(&format!(
            "{:<10}  {:<44}  {:>12}  {:>12}\n",
            self.from,
            "Opening balance",
            "",
            cur.display(self.opening)
        ));
        for r in self.rows() {
            out.push_str(&format!(
                "{:<10}  {:<44}  {:>12}  {:>12}\n",
                r.date,
                for_terminal(&r.what),
                r.amount.map(|a| cur.display(a)).unwrap_or_default(),
                cur.display(r.balance)
            ));
        }
        out.push_str(&format!(
            "{:<10}  {:<44}  {:>12}  {:>12}\n",
            self.to,
            "Closing balance",
            "",
            cur.display(self.closing())
        ));
        out.push_str(&format!("\nAmount due: {}\n", cur.display(self.owed())));
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
    pub fn html_linked(&self) -> String {
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
        let style = format!(
            "<link rel=\"stylesheet\" href=\"{}\"/>",
            super::invoice::STYLESHEET_PATH
        );
        self.html_with(&style, &back)
    }

    fn html_with(&self, style: &str, back: &str) -> String {
        let cur = &self.currency;
        let mut rows = format!(
            "<tr><td>{d}</td><td>Opening balance<span class=\"on\">{d}</span></td><td class=\"num\"></td><td class=\"num\">{}</td></tr>\n",
            escape(&cur.display(self.opening)),
            d = self.from,
        );
        for r in self.rows() {
            rows.push_str(&format!(
                "<tr><td>{d}</td><td>{}<span class=\"on\">{d}</span></td><td class=\"num\">{}</td><td class=\"num\">{}</td></tr>\n",
                escape(&r.what),
                r.amount.map(|a| escape(&cur.display(a))).unwrap_or_default(),
                escape(&cur.display(r.balance)),
                d = r.date,
            ));
        }
        rows.push_str(&format!(
            "<tr><td>{d}</td><td><strong>Closing balance</strong><span class=\"on\">{d}</span></td><td class=\"num\"></td><td class=\"num\"><strong>{}</strong></td></tr>\n",
            escape(&cur.display(self.closing())),
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
             <table class=\"lines statement\"><thead><tr><th>Date</th><th>Description</th><th class=\"num\">Amount</th><th class=\"num\">Balance</th></tr></thead>\n<tbody>\n{rows}</tbody></table>\n\
             <table class=\"totals\"><tbody><tr class=\"due\"><td>Amount due</td><td class=\"num\">{owed}</td></tr></tbody></table>\n{pay}\n</main>\n</body>\n</html>\n",
            name = escape(&self.customer.name),
            business = escape(&self.business.name),
            from = self.from,
            to = self.to,
            owed = escape(&cur.display(self.owed())),
        )
    }
}
