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

use crate::domain::entry::{EntryKind, Method};
use crate::domain::money::PlainMinor;

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

/// One line item as the journal needs it, money in minor units.
pub struct JournalEntry<'a> {
    pub id: i64,
    /// `YYYY-MM-DD`.
    pub date: &'a str,
    pub customer: i64,
    pub kind: EntryKind,
    pub amount: i64,
    pub tax: i64,
    pub description: &'a str,
    pub method: Option<Method>,
    /// The invoice a charge is on, or a void credit or credit memo is for.
    pub invoice: Option<&'a str>,
    pub void: bool,
    /// A void credit's share that reverses the voided invoice's tax.
    pub void_tax: i64,
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
    /// tally's fixed accounts as this flavor spells them.
    fixed: std::collections::HashMap<&'static str, String>,
}

const OPENED: &str = "1900-01-01";

/// Every account tally books to besides the customers'.
const FIXED: [&str; 11] = [
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
        let fixed = FIXED;
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
        let fixed = FIXED
            .iter()
            .map(|a| {
                let spelled = match flavor {
                    Flavor::Hledger => a.to_string(),
                    Flavor::Beancount => bean_account(a),
                };
                (*a, spelled)
            })
            .collect();
        Ok(Journal {
            flavor,
            out,
            code: code.to_string(),
            names,
            fixed,
        })
    }

    /// Writes one line item as a balanced transaction.
    pub fn entry(
        &mut self,
        e: &JournalEntry<'_>,
        plain: impl Fn(i128) -> PlainMinor,
    ) -> std::io::Result<()> {
        let fallback;
        let receivable = match self.names.get(&e.customer) {
            Some(name) => name.as_str(),
            None => {
                fallback = customer_account(self.flavor, e.customer, "");
                fallback.as_str()
            }
        };
        let legs = legs(e, receivable);
        let description = clean(e.description);
        let what = if description.is_empty() {
            e.kind.as_str()
        } else {
            &description
        };
        match self.flavor {
            Flavor::Hledger => {
                // `;` starts a comment in hledger.
                let what: std::borrow::Cow<'_, str> = if what.contains(';') {
                    what.replace(';', ",").into()
                } else {
                    what.into()
                };
                write!(self.out, "{} {what}  ; entry:{}", e.date, e.id)?;
                if let Some(n) = e.invoice {
                    write!(self.out, ", invoice:{}", clean(n))?;
                }
                writeln!(self.out)?;
            }
            Flavor::Beancount => {
                write!(self.out, "{} * \"{}\"", e.date, bean_string(what))?;
                if let Some(n) = e.invoice {
                    write!(self.out, " ^{}", bean_link(n))?;
                }
                writeln!(self.out, "\n  entry: \"{}\"", e.id)?;
            }
        }
        let indent = match self.flavor {
            Flavor::Hledger => "    ",
            Flavor::Beancount => "  ",
        };
        for (account, v) in legs.iter().flatten() {
            let account = match account {
                Account::Fixed(a) => self.fixed.get(a).map_or(*a, String::as_str),
                Account::Customer(a) => a,
            };
            writeln!(self.out, "{indent}{account}  {} {}", plain(*v), self.code)?;
        }
        writeln!(self.out)
    }

    pub fn finish(mut self) -> std::io::Result<()> {
        self.out.flush()
    }
}

/// A leg's account: one of tally's own, or the customer's receivable.
#[derive(Clone, Copy)]
enum Account<'a> {
    Fixed(&'static str),
    Customer(&'a str),
}

/// The legs of one entry's transaction (at most three), balanced.
fn legs<'a>(e: &JournalEntry<'_>, receivable: &'a str) -> [Option<(Account<'a>, i128)>; 3] {
    use Account::{Customer, Fixed};
    let (amount, tax) = (i128::from(e.amount), i128::from(e.tax));
    let total = amount + tax;
    let receivable = Customer(receivable);
    let opening = Fixed("equity:opening balances");
    let cash = Fixed(match e.method.unwrap_or(Method::Other) {
        Method::Cash => "assets:cash:cash",
        Method::Card => "assets:cash:card",
        Method::Check => "assets:cash:check",
        Method::Transfer => "assets:cash:transfer",
        Method::Other => "assets:cash:other",
    });
    let two = |a, b| [Some(a), Some(b), None];
    match e.kind {
        EntryKind::Charge if e.opening => two((receivable, total), (opening, -total)),
        EntryKind::Credit if e.opening => two((opening, amount), (receivable, -amount)),
        EntryKind::Charge => [
            Some((receivable, total)),
            Some((Fixed("income:sales"), -amount)),
            (tax != 0).then_some((Fixed("liabilities:sales tax"), -tax)),
        ],
        EntryKind::Credit if e.void && e.void_tax != 0 => {
            // A void takes back the sales tax with the sale: nothing
            // stays owed to the tax authority for a cancelled invoice.
            let void_tax = i128::from(e.void_tax);
            [
                Some((Fixed("income:voids"), amount - void_tax)),
                Some((Fixed("liabilities:sales tax"), void_tax)),
                Some((receivable, -amount)),
            ]
        }
        EntryKind::Credit => {
            let other = if e.void {
                Fixed("income:voids")
            } else if e.memo {
                Fixed("income:credit memos")
            } else if e.transfer {
                Fixed("equity:transfers")
            } else {
                cash
            };
            two((other, amount), (receivable, -amount))
        }
        EntryKind::Payout => {
            let other = if e.transfer {
                Fixed("equity:transfers")
            } else {
                cash
            };
            two((receivable, amount), (other, -amount))
        }
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

fn bean_string(s: &str) -> std::borrow::Cow<'_, str> {
    if !s.contains(['\\', '"']) {
        return s.into();
    }
    s.replace('\\', "\\\\").replace('"', "\\\"").into()
}

/// One line of text: control and bidirectional formatting characters
/// become spaces (an account name carrying U+202E would read reversed).
/// Borrowed when there is nothing to change, as for nearly every entry.
fn clean(s: &str) -> std::borrow::Cow<'_, str> {
    let unsafe_char = |c: char| crate::domain::text::is_unsafe(c);
    if !s.contains(unsafe_char) {
        return s.trim().into();
    }
    s.chars()
        .map(|c| if unsafe_char(c) { ' ' } else { c })
        .collect::<String>()
        .trim()
        .to_string()
        .into()
}
