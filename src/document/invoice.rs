//! One invoice as a printable HTML page (`assets/invoice.html`) or as plain
//! text for pasting into an email or message.
//!
//! A draft is marked as not a bill; a void invoice says it needs no payment;
//! the payment link appears only when the customer has one and something is
//! left to pay.

use chrono::NaiveDate;
use rust_decimal::Decimal;

use super::{escape, fill};
use crate::config::Business;
use crate::domain::text::{for_terminal, lines_for_terminal};
use crate::domain::{Currency, Customer, Entry, Invoice, InvoiceStatus};

const TEMPLATE: &str = include_str!("../../assets/invoice.html");
/// The page's styles, also served by the portal at [`STYLESHEET_PATH`].
pub const STYLESHEET: &str = include_str!("../../assets/invoice.css");
pub const STYLESHEET_PATH: &str = "/assets/invoice.css";

/// Everything an invoice document shows, gathered by `ops`.
#[derive(Debug, Clone)]
pub struct InvoiceDoc {
    pub business: Business,
    pub currency: Currency,
    /// Who the invoice is addressed to: the customer, or their parent when
    /// they are billed to the parent (seed 003).
    pub customer: Customer,
    /// The sub-client whose charges these are, when addressed to a parent.
    pub on_behalf_of: Option<String>,
    pub invoice: Invoice,
    pub lines: Vec<Entry>,
    pub link: Option<String>,
    pub today: NaiveDate,
}

impl InvoiceDoc {
    fn money(&self, v: Decimal) -> String {
        self.currency.display(v)
    }

    fn heading(&self) -> String {
        match &self.invoice.number {
            Some(n) => format!("Invoice {n}"),
            None => "Draft invoice".into(),
        }
    }

    fn date(d: Option<NaiveDate>) -> String {
        d.map(|d| d.format("%Y-%m-%d").to_string())
            .unwrap_or_else(|| "not issued".into())
    }

    fn notice(&self) -> Option<&'static str> {
        match self.invoice.status {
            InvoiceStatus::Draft => {
                Some("Draft: not a bill yet. It gets a number and a due date when it is finalized.")
            }
            InvoiceStatus::Void => Some("Void: this invoice no longer requires payment."),
            _ => None,
        }
    }

    fn pay_link(&self) -> Option<&str> {
        let due = self.invoice.status == InvoiceStatus::Open;
        self.link.as_deref().filter(|_| due)
    }

    fn business_lines(&self) -> Vec<String> {
        let b = &self.business;
        [&b.address, &b.email, &b.phone]
            .into_iter()
            .filter(|s| !s.trim().is_empty())
            .map(|s| s.trim().to_string())
            .collect()
    }

    fn customer_lines(&self) -> Vec<String> {
        let c = &self.customer;
        let mut lines: Vec<String> = self
            .on_behalf_of
            .iter()
            .map(|sub| format!("for {sub}"))
            .collect();
        lines.extend(
            [&c.legal_name, &c.address, &c.email, &c.phone, &c.tax_id]
                .into_iter()
                .flatten()
                .cloned(),
        );
        lines
    }

    /// The last totals row: what is due, or for a draft (not a bill) its
    /// total under a label that says it was never issued.
    fn due_row(&self) -> (&'static str, String) {
        match self.invoice.status {
            InvoiceStatus::Draft => ("Draft — not yet issued", self.money(self.invoice.total)),
            _ => ("Amount due", self.money(self.invoice.remaining())),
        }
    }

    fn amount_due_row(&self) -> (&'static str, String) {
        match self.invoice.status {
            InvoiceStatus::Void => ("Voided", self.money(self.invoice.total)),
            _ => ("Paid", self.money(self.invoice.paid)),
        }
    }

    /// The printable page, self-contained (styles inline) for saving or
    /// emailing.
    pub fn html(&self) -> String {
        self.render(format!("<style>\n{STYLESHEET}</style>"), String::new())
    }

    /// The page as the portal serves or publishes it: styles from
    /// [`STYLESHEET_PATH`] under `site.root`, so a strict
    /// Content-Security-Policy needs no inline exception; the policy in
    /// the page too, for storage that sends no headers; when it was made.
    /// It leads back to the customer's balance page (their link).
    pub fn html_linked(&self, site: crate::portal::page::Site<'_>) -> String {
        let back = self
            .link
            .as_deref()
            .map(|l| {
                format!(
                    "<a class=\"back\" href=\"{}\">← Back to your balance</a>",
                    escape(l)
                )
            })
            .unwrap_or_default();
        self.render(linked_head(site), format!("{back}{}", updated_note(site)))
    }

    fn render(&self, style: String, back: String) -> String {
        let inv = &self.invoice;
        let subtotal: Decimal = self.lines.iter().map(|e| e.amount).sum();
        let tax: Decimal = self.lines.iter().map(|e| e.tax).sum();
        let lines: String = self
            .lines
            .iter()
            .map(|e| {
                format!(
                    "    <tr><td>{}</td><td>{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td></tr>\n",
                    e.date.format("%Y-%m-%d"),
                    escape(&e.description),
                    escape(&self.money(e.amount)),
                    escape(&self.money(e.tax)),
                    escape(&self.money(e.amount + e.tax)),
                )
            })
            .collect();
        let (paid_label, paid) = self.amount_due_row();
        let status = inv.status_label(self.today);
        let notice = self
            .notice()
            .map(|n| format!("<p class=\"notice\">{}</p>", escape(n)))
            .unwrap_or_default();
        let pay = self
            .pay_link()
            .map(|l| {
                let l = escape(l);
                format!("<p class=\"pay\">Pay online: <a href=\"{l}\">{l}</a></p>")
            })
            .unwrap_or_default();
        let join = |v: Vec<String>| v.iter().map(|s| escape(s)).collect::<Vec<_>>().join("\n");
        let number = inv.number.clone().unwrap_or_else(|| "draft".into());
        let html = fill(
            TEMPLATE,
            &[
                (
                    "title",
                    escape(&format!("{} · {}", self.heading(), self.business.name)),
                ),
                ("style", style),
                ("back", back),
                ("heading", escape(&self.heading())),
                ("status", escape(status)),
                ("status_class", status.to_string()),
                ("business_name", escape(&self.business.name)),
                ("business_details", join(self.business_lines())),
                ("customer_name", escape(&self.customer.name)),
                ("customer_details", join(self.customer_lines())),
                ("number", escape(&number)),
                ("issue_date", Self::date(inv.issue_date)),
                ("due_date", Self::date(inv.due_date)),
                ("lines", lines),
                ("subtotal", escape(&self.money(subtotal))),
                ("tax", escape(&self.money(tax))),
                ("total", escape(&self.money(inv.total))),
                ("paid", escape(&paid)),
                ("due_label", escape(self.due_row().0)),
                ("remaining", escape(&self.due_row().1)),
                ("notice", notice),
                ("pay", pay),
                (
                    "footer",
                    escape(&format!(
                        "Thank you for your business. {}",
                        self.business.name
                    )),
                ),
            ],
        );
        // The paid row's label depends on the state; the template says "Paid".
        html.replace("<td>Paid</td>", &format!("<td>{paid_label}</td>"))
    }

    /// Plain text for pasting: aligned columns, no markup.
    pub fn text(&self) -> String {
        let inv = &self.invoice;
        let mut out = Vec::new();
        out.push(format!("{} — {}", self.heading(), self.business.name));
        out.extend(self.business_lines());
        out.push(String::new());
        out.push(format!("Status:     {}", inv.status_label(self.today)));
        if let Some(n) = self.notice() {
            out.push(n.to_string());
        }
        out.push(format!("Issue date: {}", Self::date(inv.issue_date)));
        out.push(format!("Due date:   {}", Self::date(inv.due_date)));
        out.push(String::new());
        out.push(format!("Bill to: {}", self.customer.name));
        for l in self.customer_lines() {
            out.push(format!("         {l}"));
        }
        out.push(String::new());
        let rows: Vec<[String; 5]> = self
            .lines
            .iter()
            .map(|e| {
                [
                    e.date.format("%Y-%m-%d").to_string(),
                    for_terminal(&e.description).into_owned(),
                    self.money(e.amount),
                    self.money(e.tax),
                    self.money(e.amount + e.tax),
                ]
            })
            .collect();
        let head = ["Date", "Description", "Amount", "Tax", "Total"].map(String::from);
        let mut w = head.clone().map(|h| h.chars().count());
        for r in &rows {
            for (i, c) in r.iter().enumerate() {
                w[i] = w[i].max(c.chars().count());
            }
        }
        for r in std::iter::once(&head).chain(rows.iter()) {
            out.push(
                format!(
                    "{:<w0$}  {:<w1$}  {:>w2$}  {:>w3$}  {:>w4$}",
                    r[0],
                    r[1],
                    r[2],
                    r[3],
                    r[4],
                    w0 = w[0],
                    w1 = w[1],
                    w2 = w[2],
                    w3 = w[3],
                    w4 = w[4]
                )
                .trim_end()
                .to_string(),
            );
        }
        out.push(String::new());
        let (paid_label, paid) = self.amount_due_row();
        let rows = [
            ("Total", self.money(inv.total)),
            (paid_label, paid),
            self.due_row(),
        ];
        let w = rows
            .iter()
            .map(|(l, _)| l.chars().count())
            .max()
            .unwrap_or(11);
        for (label, value) in rows {
            out.push(format!("{label:<w$} {value:>14}"));
        }
        if let Some(l) = self.pay_link() {
            out.push(String::new());
            out.push(format!("Pay online: {l}"));
        }
        // Names and addresses too: a text export never carries a control
        // character, to a terminal or to a file.
        lines_for_terminal(&(out.join("\n") + "\n")).into_owned()
    }
}

/// The head of a linked page: its policy and its stylesheet under `root`.
pub(crate) fn linked_head(site: crate::portal::page::Site<'_>) -> String {
    format!(
        "<meta name=\"referrer\" content=\"no-referrer\"/>\n<meta http-equiv=\"Cache-Control\" content=\"no-cache\"/>\n<meta http-equiv=\"Content-Security-Policy\" content=\"{}\"/>\n<link rel=\"stylesheet\" href=\"{}{STYLESHEET_PATH}\"/>",
        crate::portal::page::CSP,
        escape(site.root)
    )
}

/// "Updated 6 Dec, 14:05" under the way back, when the page says when.
pub(crate) fn updated_note(site: crate::portal::page::Site<'_>) -> String {
    if site.updated.is_empty() {
        return String::new();
    }
    format!("<p class=\"updated\">Updated {}</p>", escape(site.updated))
}
