//! The book as a plain-text journal for an accountant's tools: hledger's
//! journal format and beancount's. Each customer is a receivable
//! sub-account (positive while they owe, so it is minus tally's balance);
//! charges credit revenue and sales tax, payments debit a cash account per
//! method, refunds the reverse, voids and credit memos debit their own
//! revenue accounts (a void reverses its invoice's sales tax too), opening
//! balances brought from another system sit against opening equity, and transfers between customers pass through a
//! clearing account that nets to zero. Invoice numbers become tags
//! (hledger) or links (beancount).

use std::io::Write;

use chrono::NaiveDate;
use rust_decimal::Decimal;

use crate::domain::entry::{EntryKind, Method};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Flavor {
    Hledger,
    Beancount,
}

impl Flavor {
    pub fn parse(s: &str) -> Option<Flavor> {
        match s.to_ascii_lowercase().as_str() {
            "hledger" | "ledger" => Some(Flavor::Hledger),
            "beancount" => Some(Flavor::Beancount),
            _ => None,
        }
    }
}

/// One line item as the journal needs it.
pub struct JournalEntry<'a> {
    pub id: i64,
    pub date: NaiveDate,
    pub customer: i64,
    pub kind: EntryKind,
    pub amount: Decimal,
    pub tax: Decimal,
    pub description: &'a str,
    pub method: Option<Method>,
    /// The invoice a charge is on, or a void credit or credit memo is for.
    pub invoice: Option<&'a str>,
    pub void: bool,
    /// A void credit's share that reverses the voided invoice's tax.
    pub void_tax: Decimal,
    /// An opening balance: booked against opening equity, not as a sale or
    /// as cash received.
    pub opening: bool,
    pub memo: bool,
    pub transfer: bool,
}

pub struct Journal<W: Write> {
    flavor: Flavor,
    out: W,
    code: String,
    /// Account name per customer id.
    names: std::collections::HashMap<i64, String>,
}

const OPENED: &str = "1900-01-01";

impl<W: Write> Journal<W> {
    /// Starts a journal: the accounts, one per customer in `customers`
    /// (id, name).
    pub fn new(
        flavor: Flavor,
        mut out: W,
        code: &str,
        title: &str,
        customers: &[(i64, String)],
    ) -> std::io::Result<Journal<W>> {
        let names: std::collections::HashMap<i64, String> = customers
            .iter()
            .map(|(id, name)| (*id, customer_account(flavor, *id, name)))
            .collect();
        let fixed = [
            "income:sales",
            "income:voids",
            "income:credit memos",
            "liabilities:sales tax",
            "assets:cash:cash",
            "assets:cash:card",
            "assets:cash:check",
            "assets:cash:transfer",
            "assets:cash:other",
            "equity:transfers",
            "equity:opening balances",
        ];
        match flavor {
            Flavor::Hledger => {
                writeln!(out, "; {}", clean(title))?;
                writeln!(out, "commodity 1,000.00 {code}\n")?;
                for a in fixed {
                    writeln!(out, "account {a}")?;
                }
                for (id, _) in customers {
                    writeln!(out, "account {}", names[id])?;
                }
            }
            Flavor::Beancount => {
                writeln!(out, "; {}", clean(title))?;
                writeln!(out, "option \"operating_currency\" \"{code}\"\n")?;
                for a in fixed {
                    writeln!(out, "{OPENED} open {} {code}", bean_account(a))?;
                }
                for (id, _) in customers {
                    writeln!(out, "{OPENED} open {} {code}", names[id])?;
                }
            }
        }
        writeln!(out)?;
        Ok(Journal {
            flavor,
            out,
            code: code.to_string(),
            names,
        })
    }

    /// Writes one line item as a balanced transaction.
    pub fn entry(
        &mut self,
        e: &JournalEntry<'_>,
        plain: impl Fn(Decimal) -> String,
    ) -> std::io::Result<()> {
        let receivable = self
            .names
            .get(&e.customer)
            .cloned()
            .unwrap_or_else(|| customer_account(self.flavor, e.customer, ""));
        let cash = format!("assets:cash:{}", e.method.map_or("other", Method::as_str));
        let total = e.amount + e.tax;
        let opening = "equity:opening balances".to_string();
        let mut legs: Vec<(String, Decimal)> = match e.kind {
            EntryKind::Charge if e.opening => vec![(receivable, total), (opening, -total)],
            EntryKind::Credit if e.opening => vec![(opening, e.amount), (receivable, -e.amount)],
            EntryKind::Charge => {
                let mut legs = vec![(receivable, total), ("income:sales".into(), -e.amount)];
                if !e.tax.is_zero() {
                    legs.push(("liabilities:sales tax".into(), -e.tax));
                }
                legs
            }
            EntryKind::Credit if e.void && !e.void_tax.is_zero() => {
                // A void takes back the sales tax with the sale: nothing
                // stays owed to the tax authority for a cancelled invoice.
                vec![
                    ("income:voids".into(), e.amount - e.void_tax),
                    ("liabilities:sales tax".into(), e.void_tax),
                    (receivable, -e.amount),
                ]
            }
            EntryKind::Credit => {
                let other = if e.void {
                    "income:voids".to_string()
                } else if e.memo {
                    "income:credit memos".into()
                } else if e.transfer {
                    "equity:transfers".into()
                } else {
                    cash
                };
                vec![(other, e.amount), (receivable, -e.amount)]
            }
            EntryKind::Payout => {
                let other = if e.transfer {
                    "equity:transfers".to_string()
                } else {
                    cash
                };
                vec![(receivable, e.amount), (other, -e.amount)]
            }
        };
        let description = clean(e.description);
        let what = if description.is_empty() {
            e.kind.as_str().to_string()
        } else {
            description
        };
        match self.flavor {
            Flavor::Hledger => {
                let tag = e
                    .invoice
                    .map(|n| format!(", invoice:{}", clean(n)))
                    .unwrap_or_default();
                writeln!(
                    self.out,
                    "{} {}  ; entry:{}{tag}",
                    e.date,
                    what.replace(';', ","),
                    e.id
                )?;
                for (account, v) in legs.drain(..) {
                    writeln!(self.out, "    {account}  {} {}", plain(v), self.code)?;
                }
            }
            Flavor::Beancount => {
                let link = e
                    .invoice
                    .map(|n| format!(" ^{}", bean_link(n)))
                    .unwrap_or_default();
                writeln!(self.out, "{} * \"{}\"{link}", e.date, bean_string(&what))?;
                writeln!(self.out, "  entry: \"{}\"", e.id)?;
                for (account, v) in legs.drain(..) {
                    let account = if account.starts_with("Assets:Receivable") {
                        account
                    } else {
                        bean_account(&account)
                    };
                    writeln!(self.out, "  {account}  {} {}", plain(v), self.code)?;
                }
            }
        }
        writeln!(self.out)
    }

    pub fn finish(mut self) -> std::io::Result<()> {
        self.out.flush()
    }
}

/// A customer's receivable account: readable in hledger, and within
/// beancount's stricter account syntax there.
fn customer_account(flavor: Flavor, id: i64, name: &str) -> String {
    match flavor {
        Flavor::Hledger => {
            let name: String = clean(name)
                .chars()
                .map(|c| {
                    if matches!(c, ':' | ';' | '(' | ')' | '[' | ']') {
                        '-'
                    } else {
                        c
                    }
                })
                .collect();
            let name = name.split_whitespace().collect::<Vec<_>>().join(" ");
            if name.is_empty() {
                format!("assets:receivable:#{id}")
            } else {
                format!("assets:receivable:{name} #{id}")
            }
        }
        Flavor::Beancount => {
            let slug: String = name
                .chars()
                .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
                .collect();
            let slug = slug
                .split('-')
                .filter(|s| !s.is_empty())
                .collect::<Vec<_>>()
                .join("-");
            if slug.is_empty() {
                format!("Assets:Receivable:C{id}")
            } else {
                format!("Assets:Receivable:C{id}-{slug}")
            }
        }
    }
}

/// `liabilities:sales tax` → `Liabilities:Sales-Tax`.
fn bean_account(a: &str) -> String {
    a.split(':')
        .map(|part| {
            part.split(' ')
                .map(|w| {
                    let mut c = w.chars();
                    c.next()
                        .map(|f| f.to_ascii_uppercase().to_string() + c.as_str())
                        .unwrap_or_default()
                })
                .collect::<Vec<_>>()
                .join("-")
        })
        .collect::<Vec<_>>()
        .join(":")
}

fn bean_link(n: &str) -> String {
    n.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.' | '/') {
                c
            } else {
                '-'
            }
        })
        .collect()
}

fn bean_string(s: &str) -> String {
    s.replace('\\', "\\\\").replace('"', "\\\"")
}

/// One line of text: control and bidirectional formatting characters
/// become spaces (an account name carrying U+202E would read reversed).
fn clean(s: &str) -> String {
    s.chars()
        .map(|c| {
            if crate::domain::text::is_unsafe(c) {
                ' '
            } else {
                c
            }
        })
        .collect::<String>()
        .trim()
        .to_string()
}
