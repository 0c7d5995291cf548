//! `tally import invoices`: the open invoices and unapplied credits of
//! another system's export (read by `exchange::invoices`) become open
//! invoices and available credit in one transaction, or none.
//!
//! Invariants:
//! - An imported invoice keeps the old system's number and dates and is
//!   outside tally's gapless numbering (migration 15). Its charge is the
//!   invoice's total; what was paid on it in the old system is a credit
//!   applied to it. Both are opening lines: neither billed nor collected
//!   here, booked against opening equity, as an opening balance is.
//! - Importing the same file again changes nothing: an invoice whose
//!   number the customer already has, or a credit with the same outside
//!   reference, is reported as already in the book.
//! - Customers are found by the id the old system gave them, then by
//!   email, then by exact name (with the same parent). A same-named
//!   customer with another email is another person, created apart unless
//!   the owner asked to merge by name. A customer is created with the
//!   old system as its source, under its parent (created first if need be).

use rust_decimal::Decimal;

use super::{Book, Ctx, Result};
use crate::domain::Currency;
use crate::domain::customer::{CustomerDetails, CustomerId};
use crate::domain::entry::{EntryKind, Method, NewEntry};
use crate::exchange::invoices::{Item, Ledger, OpenItem, Who, read};
use crate::store::Tx;

#[derive(Debug, Clone, Copy, Default)]
pub struct InvoiceImportOptions {
    pub dry_run: bool,
    /// Read `03/04/2025` as 3 April.
    pub day_first: bool,
    /// Match a same-named customer even when the emails differ.
    pub merge_by_name: bool,
}

/// What an import did (or, dry, would do), by the line each row starts on.
#[derive(Debug, Clone, PartialEq)]
pub struct InvoicesImported {
    pub ledger: Ledger,
    /// (line, what happened), in the file's order.
    pub lines: Vec<(usize, Fate)>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Fate {
    CustomerCreated(CustomerId, String),
    Invoice {
        customer: CustomerId,
        number: String,
        left: Decimal,
    },
    Credit {
        customer: CustomerId,
        amount: Decimal,
    },
    AlreadyIn(String),
    Settled(String),
    Skipped(String),
    Note(String),
}

impl InvoicesImported {
    pub fn count(&self, f: impl Fn(&Fate) -> bool) -> usize {
        self.lines.iter().filter(|(_, x)| f(x)).count()
    }

    /// Each row's fate as the owner reads it, in the file's order.
    pub fn lines(&self, cur: &Currency) -> Vec<(usize, String)> {
        let money = |v| cur.plain(v);
        self.lines
            .iter()
            .map(|(line, fate)| {
                let text = match fate {
                    Fate::CustomerCreated(id, name) => format!("created customer {id} {name}"),
                    Fate::Invoice {
                        customer,
                        number,
                        left,
                    } => format!(
                        "invoice {number} for customer {customer}: {} left to pay",
                        money(*left)
                    ),
                    Fate::Credit { customer, amount } => {
                        format!("credit of {} for customer {customer}", money(*amount))
                    }
                    Fate::AlreadyIn(what) => format!("unchanged: {what}"),
                    Fate::Settled(what) => format!("nothing owed changes: {what}"),
                    Fate::Skipped(why) => format!("skipped: {why}"),
                    Fate::Note(note) => format!("note: {note}"),
                };
                (*line, text)
            })
            .collect()
    }

    /// One line: what came in, for whom, and what was left aside.
    pub fn summary(&self, file: &str, cur: &Currency, dry_run: bool) -> String {
        let (mut owed, mut held) = (Decimal::ZERO, Decimal::ZERO);
        let mut customers = std::collections::BTreeSet::new();
        for (_, fate) in &self.lines {
            match fate {
                Fate::Invoice { customer, left, .. } => {
                    owed += left;
                    customers.insert(*customer);
                }
                Fate::Credit { customer, amount } => {
                    held += amount;
                    customers.insert(*customer);
                }
                _ => {}
            }
        }
        let count = crate::domain::text::count;
        let n = |f: fn(&Fate) -> bool| self.count(f);
        let skipped = n(|f| matches!(f, Fate::Skipped(_)));
        if customers.is_empty() && n(|f| matches!(f, Fate::AlreadyIn(_))) == 0 {
            return format!(
                "Nothing owed changes: {} from {file} ({}) settled in the old system; {skipped} skipped",
                count(n(|f| matches!(f, Fate::Settled(_))), "row", "rows"),
                self.ledger.describe(),
            );
        }
        format!(
            "{} {} ({} left to pay) and {} ({}) for {} from {file} ({}); {} new, {} unchanged, {skipped} skipped",
            if dry_run { "Would import" } else { "Imported" },
            count(
                n(|f| matches!(f, Fate::Invoice { .. })),
                "open invoice",
                "open invoices"
            ),
            cur.plain(owed),
            count(n(|f| matches!(f, Fate::Credit { .. })), "credit", "credits"),
            cur.plain(held),
            count(customers.len(), "customer", "customers"),
            self.ledger.describe(),
            count(
                n(|f| matches!(f, Fate::CustomerCreated(..))),
                "customer",
                "customers"
            ),
            n(|f| matches!(f, Fate::AlreadyIn(_))),
        )
    }
}

impl Book {
    /// `tally import invoices FILE`.
    pub fn import_invoices(
        &mut self,
        file: &str,
        bytes: &[u8],
        opts: InvoiceImportOptions,
    ) -> Result<InvoicesImported> {
        let cur = self.config.currency();
        let items = read(file, bytes, &cur, self.clock.today(), opts.day_first)?;
        self.transact_or_rehearse(!opts.dry_run, |tx, cx| {
            let mut done = InvoicesImported {
                ledger: items.ledger,
                lines: Vec::new(),
            };
            let mut run = Run {
                tx,
                cx,
                ledger: items.ledger,
                file,
                opts,
                done: &mut done,
            };
            for item in &items.items {
                run.item(item)?;
            }
            for (line, why) in &items.skipped {
                done.lines.push((*line, Fate::Skipped(why.clone())));
            }
            for (line, what) in &items.settled {
                done.lines.push((*line, Fate::Settled(what.clone())));
            }
            done.lines.sort_by_key(|(l, _)| *l);
            Ok(done)
        })
    }
}

/// One import's transaction and what it has done so far.
struct Run<'a, 't> {
    tx: &'a Tx<'t>,
    cx: &'a Ctx<'a>,
    ledger: Ledger,
    file: &'a str,
    opts: InvoiceImportOptions,
    done: &'a mut InvoicesImported,
}

impl Run<'_, '_> {
    fn say(&mut self, line: usize, fate: Fate) {
        self.done.lines.push((line, fate));
    }

    fn item(&mut self, item: &OpenItem) -> Result<()> {
        let line = item.lines[0];
        let Some(customer) = self.customer(line, &item.who)? else {
            return Ok(());
        };
        match &item.item {
            Item::Invoice {
                number,
                issued,
                due,
                total,
                remaining,
            } => {
                let inv = Imported {
                    number,
                    issued: *issued,
                    due: due.unwrap_or(*issued),
                    total: *total,
                    left: *remaining,
                };
                self.invoice(line, customer, &inv)
            }
            Item::Credit {
                what,
                number,
                date,
                amount,
            } => self.credit(line, customer, what, number.as_deref(), *date, *amount),
        }
    }

    /// The customer a row belongs to, found or created; `None` (and the
    /// row skipped, saying why) when the file names them only by an id
    /// the book does not know, or their details are not valid.
    fn customer(&mut self, line: usize, who: &Who) -> Result<Option<CustomerId>> {
        let system = self.ledger.system();
        let r = self.tx.reads();
        if let Some(oid) = &who.outside_id
            && let Some(id) = r.customer_by_outside_id(system, oid)?
        {
            return Ok(Some(id));
        }
        if who.name.is_empty() {
            let oid = who.outside_id.as_deref().unwrap_or("with no id");
            self.say(
                line,
                Fate::Skipped(format!(
                    "customer {oid} is not in the book: import {}'s customers export first",
                    self.ledger.name()
                )),
            );
            return Ok(None);
        }
        if let Some(email) = &who.email
            && let Some(id) = r.customer_id_by_email(email)?
        {
            self.remember(who, id)?;
            return Ok(Some(id));
        }
        let parent = match &who.parent {
            Some(path) => {
                let (name, parent) = match path.rsplit_once(':') {
                    Some((p, n)) => (n.trim(), Some(p.trim().to_string())),
                    None => (path.as_str(), None),
                };
                let up = Who {
                    name: name.to_string(),
                    full_name: path.clone(),
                    email: None,
                    outside_id: Some(path.clone()),
                    parent,
                };
                match self.customer(line, &up)? {
                    Some(p) => Some(p),
                    None => return Ok(None),
                }
            }
            None => None,
        };
        if let Some(id) = r.customer_id_by_name(&who.name)? {
            let c = super::find_customer(&r, id)?;
            let same_parent = c.parent_id == parent;
            let other_email = matches!((&c.email, &who.email),
                (Some(a), Some(b)) if !a.eq_ignore_ascii_case(b));
            if same_parent && (!other_email || self.opts.merge_by_name) {
                self.remember(who, id)?;
                return Ok(Some(id));
            }
            if other_email {
                self.say(
                    line,
                    Fate::Note(format!(
                        "customer {id} has the same name and another email: created apart \
                         (--merge-by-name would match them)"
                    )),
                );
            }
        } else if let Some((id, name)) = r.customer_with_similar_name(&who.name, None)? {
            self.say(
                line,
                Fate::Note(format!(
                    "customer {id} \"{name}\" differs only in case or spacing: created apart \
                     (`tally customer merge` joins them)"
                )),
            );
        }
        self.create(line, who, parent)
    }

    fn create(
        &mut self,
        line: usize,
        who: &Who,
        parent: Option<CustomerId>,
    ) -> Result<Option<CustomerId>> {
        let details = CustomerDetails {
            name: who.name.clone(),
            email: who.email.clone(),
            parent_id: parent,
            ..Default::default()
        };
        let details = match details.validated() {
            Ok(d) => d,
            Err(e) => {
                self.say(line, Fate::Skipped(e.to_string()));
                return Ok(None);
            }
        };
        let now = self.cx.clock.now();
        let system = self.ledger.system();
        let id = self.tx.insert_customer(&details, system, now)?;
        let detail = format!(
            "created {} from {} (line {line}, {system})",
            details.name, self.file
        );
        self.tx
            .log(id, now, self.cx.actor, "customer.created", &detail)?;
        self.remember(who, id)?;
        self.say(line, Fate::CustomerCreated(id, details.name));
        Ok(Some(id))
    }

    fn remember(&self, who: &Who, id: CustomerId) -> Result<()> {
        if let Some(oid) = &who.outside_id {
            self.tx.record_outside_id(self.ledger.system(), oid, id)?;
        }
        Ok(())
    }

    /// An open invoice: its charge, and what was paid on it before the
    /// move as a credit applied to it.
    fn invoice(&mut self, line: usize, customer: CustomerId, inv: &Imported<'_>) -> Result<()> {
        let r = self.tx.reads();
        if let Some(there) = r.invoice_by_number(inv.number)? {
            let fate = if there.customer_id == customer {
                Fate::AlreadyIn(format!("invoice {} is already in the book", inv.number))
            } else {
                Fate::Skipped(format!(
                    "invoice number {} is already customer {}'s: not brought in",
                    inv.number, there.customer_id
                ))
            };
            self.say(line, fate);
            return Ok(());
        }
        if inv.number.trim().is_empty() {
            self.say(line, Fate::Skipped("an open invoice with no number".into()));
            return Ok(());
        }
        let before = super::find_customer(&r, customer)?.balance;
        let (tx, now, name) = (self.tx, self.cx.clock.now(), self.ledger.name());
        let id = tx.insert_imported_invoice(
            customer,
            inv.number,
            self.ledger.system(),
            inv.issued,
            inv.due,
            inv.total,
            now,
        )?;
        let charge = tx.insert_entry(
            customer,
            &NewEntry {
                kind: EntryKind::Charge,
                amount: inv.total,
                tax: Decimal::ZERO,
                description: format!("Invoice {} from {name}", inv.number),
                method: None,
                date: inv.issued,
            },
            now,
        )?;
        tx.attach_charges(id, customer, &[charge])?;
        tx.mark_opening(charge)?;
        let paid = inv.total - inv.left;
        if paid > Decimal::ZERO {
            let credit = tx.insert_entry(
                customer,
                &NewEntry {
                    kind: EntryKind::Credit,
                    amount: paid,
                    tax: Decimal::ZERO,
                    description: format!("Paid on invoice {} in {name}", inv.number),
                    method: Some(Method::Other),
                    date: inv.issued,
                },
                now,
            )?;
            tx.mark_opening(credit)?;
            tx.allocate(credit, id, paid, now)?;
        }
        let detail = format!(
            "invoice {} imported from {} ({name}): total {}, left to pay {}; balance {} → {}",
            inv.number,
            self.file,
            self.cx.money(inv.total),
            self.cx.money(inv.left),
            self.cx.money(before),
            self.cx.money(before - inv.left)
        );
        tx.log(customer, now, self.cx.actor, "invoice.imported", &detail)?;
        self.say(
            line,
            Fate::Invoice {
                customer,
                number: inv.number.to_string(),
                left: inv.left,
            },
        );
        Ok(())
    }

    /// Credit held in the old system, applied to nothing: available here.
    fn credit(
        &mut self,
        line: usize,
        customer: CustomerId,
        what: &str,
        number: Option<&str>,
        date: chrono::NaiveDate,
        amount: Decimal,
    ) -> Result<()> {
        let name = self.ledger.name();
        let reference = match number {
            Some(n) => format!("{name} {} {n}", what.to_lowercase()),
            None => format!(
                "{name} {} of {} on {date}",
                what.to_lowercase(),
                self.cx.money(amount)
            ),
        };
        let r = self.tx.reads();
        if r.has_credit_referenced(customer, &reference)? {
            self.say(
                line,
                Fate::AlreadyIn(format!("{reference} is already in the book")),
            );
            return Ok(());
        }
        let before = super::find_customer(&r, customer)?.balance;
        let now = self.cx.clock.now();
        let credit = self.tx.insert_entry(
            customer,
            &NewEntry {
                kind: EntryKind::Credit,
                amount,
                tax: Decimal::ZERO,
                description: format!("{what} not yet applied in {name}"),
                method: Some(Method::Other),
                date,
            },
            now,
        )?;
        self.tx.mark_opening(credit)?;
        self.tx.tag_credit(credit, Some(&reference), None)?;
        let detail = format!(
            "credit #{credit} imported from {} ({reference}): {}; balance {} → {}",
            self.file,
            self.cx.money(amount),
            self.cx.money(before),
            self.cx.money(before + amount)
        );
        self.tx
            .log(customer, now, self.cx.actor, "entries.imported", &detail)?;
        self.say(line, Fate::Credit { customer, amount });
        Ok(())
    }
}

/// An open invoice as it is written.
struct Imported<'a> {
    number: &'a str,
    issued: chrono::NaiveDate,
    due: chrono::NaiveDate,
    total: Decimal,
    left: Decimal,
}
