//! Imports: customers from QuickBooks Online, Stripe or a plain sheet, and
//! entries in tally's own format. Each is one transaction: an entries file
//! with one bad row imports nothing; a customer list skips the rows it
//! cannot use and says why. A dry run is the same transaction rolled back.
//!
//! Customers are matched as seed 003 says: by email (any case), then by
//! exact name, else created with the file's system as their source.
//! Balances move once per customer at the end of an entries import, and
//! the timeline gets one line per customer, not one per row.

use std::collections::HashMap;

use chrono::NaiveDate;
use rust_decimal::Decimal;

use super::{Book, Ctx, Result};
use crate::domain::customer::{CustomerDetails, CustomerId};
use crate::domain::entry::{EntryKind, Method};
use crate::exchange::FileError;
use crate::exchange::csv_in::Source as CsvFile;
use crate::exchange::customers::{CustomerColumns, Source};
use crate::exchange::entries::{EntryColumns, EntryRow};
use crate::store::{BulkEntry, NewPayout, Tx};

/// How a customer list is read and what is done with it.
#[derive(Debug, Clone, Default)]
pub struct ImportOptions {
    /// The system the file came from; `None`: guess from the header.
    pub source: Option<Source>,
    /// Post each new customer's balance column as an "Opening balance".
    pub opening_balances: bool,
    /// The opening balances' date (default: today).
    pub date: Option<NaiveDate>,
    pub dry_run: bool,
}

/// What a customer import did (or, dry, would do), row by row.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct CustomerImport {
    pub source: Option<Source>,
    /// (line, id, name)
    pub created: Vec<(usize, CustomerId, String)>,
    /// (line, id, name, "email" or "name")
    pub matched: Vec<(usize, CustomerId, String, &'static str)>,
    /// (line, why)
    pub skipped: Vec<(usize, String)>,
    /// Opening balances posted: (customer, balance in tally's sign).
    pub balances: Vec<(CustomerId, Decimal)>,
}

/// What an entries import did.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct EntriesImported {
    pub rows: usize,
    pub customers: usize,
    /// Customers the file named that did not exist: (id, name).
    pub created: Vec<(CustomerId, String)>,
}

impl Book {
    /// `tally import customers`.
    pub fn import_customers(
        &mut self,
        file: &str,
        bytes: &[u8],
        opts: &ImportOptions,
    ) -> Result<CustomerImport> {
        let src = CsvFile::new(file, bytes)?;
        let (headers, mut rows) = src.rows()?;
        let source = opts.source.unwrap_or_else(|| Source::guess(&headers));
        let cols = CustomerColumns::find(&headers, source, file)?;
        let date = opts.date.unwrap_or_else(|| self.clock.today());
        self.transact_or_rehearse(!opts.dry_run, |tx, cx| {
            let mut report = CustomerImport {
                source: Some(source),
                ..Default::default()
            };
            let mut any = false;
            while let Some((line, cells)) = rows.next_row()? {
                any = true;
                cx.customer_row(tx, &cols, line, &cells, opts, date, file, &mut report)?;
            }
            if !any {
                return Err(FileError::HeaderOnly { file: file.into() }.into());
            }
            Ok(report)
        })
    }

    /// `tally import entries`: every row or none. `progress` gets (rows
    /// done, bytes read so far) now and then.
    pub fn import_entries(
        &mut self,
        file: &str,
        bytes: &[u8],
        mut progress: impl FnMut(usize),
    ) -> Result<EntriesImported> {
        let src = CsvFile::new(file, bytes)?;
        let (headers, mut rows) = src.rows()?;
        let cols = EntryColumns::find(&headers, file)?;
        self.transact(|tx, cx| {
            let now = cx.clock.now();
            let cur = cx.config.currency();
            let mut who = Matcher::default();
            let mut sums: HashMap<CustomerId, (Decimal, usize)> = HashMap::new();
            let mut payouts = Vec::new();
            let mut sink = tx.entry_sink(now)?;
            let mut n = 0;
            while let Some((line, cells)) = rows.next_row()? {
                let row = cols.parse(file, line, &cells, &cur)?;
                let customer = who.resolve(tx, cx, &row, file)?;
                n += 1;
                if n % 65_536 == 0 {
                    progress(n);
                }
                let sum = sums.entry(customer).or_default();
                sum.1 += 1;
                if row.kind == EntryKind::Payout {
                    payouts.push((customer, owned_payout(&row)));
                    continue;
                }
                sum.0 += crate::domain::entry::signed_total(row.kind, row.amount, row.tax);
                sink.insert(&BulkEntry {
                    customer,
                    kind: row.kind,
                    amount: row.amount,
                    tax: row.tax,
                    description: row.description,
                    method: row.method,
                    reference: row.reference,
                    date: row.date,
                })?;
            }
            drop(sink);
            progress(n);
            if n == 0 {
                return Err(FileError::HeaderOnly { file: file.into() }.into());
            }
            cx.settle(tx, file, &sums, &payouts)?;
            Ok(EntriesImported {
                rows: n,
                customers: sums.len(),
                created: who.created,
            })
        })
    }
}

/// A refund row, kept until every credit of the file is in.
struct PayoutRow {
    line: usize,
    amount: Decimal,
    method: Option<Method>,
    reference: Option<String>,
    description: String,
    date: NaiveDate,
}

fn owned_payout(row: &EntryRow<'_>) -> PayoutRow {
    PayoutRow {
        line: row.line,
        amount: row.amount,
        method: row.method,
        reference: row.reference.map(str::to_string),
        description: row.description.to_string(),
        date: row.date,
    }
}

/// Finds (or creates) the customer each row names, remembering answers so
/// a customer with thousands of rows is looked up once.
#[derive(Default)]
struct Matcher {
    by_email: HashMap<String, CustomerId>,
    by_name: HashMap<String, CustomerId>,
    created: Vec<(CustomerId, String)>,
}

impl Matcher {
    fn resolve(
        &mut self,
        tx: &Tx<'_>,
        cx: &Ctx<'_>,
        row: &EntryRow<'_>,
        file: &str,
    ) -> Result<CustomerId> {
        let email = row.email.to_lowercase();
        let name = row.customer;
        if !email.is_empty() {
            if let Some(id) = self.by_email.get(&email) {
                return Ok(*id);
            }
            if let Some(id) = tx.reads().customer_id_by_email(&email)? {
                self.by_email.insert(email, id);
                return Ok(id);
            }
        }
        let known = match self.by_name.get(name) {
            Some(id) => Some(*id),
            None if !name.is_empty() => tx.reads().customer_id_by_name(name)?,
            None => None,
        };
        let id = match known {
            Some(id) => id,
            None => self.create(tx, cx, row, file)?,
        };
        if !email.is_empty() {
            self.by_email.insert(email, id);
        }
        if !name.is_empty() {
            self.by_name.insert(name.to_string(), id);
        }
        Ok(id)
    }

    fn create(
        &mut self,
        tx: &Tx<'_>,
        cx: &Ctx<'_>,
        row: &EntryRow<'_>,
        file: &str,
    ) -> Result<CustomerId> {
        let name = if row.customer.is_empty() {
            row.email
        } else {
            row.customer
        };
        let details = CustomerDetails {
            name: name.to_string(),
            email: Some(row.email.to_string()).filter(|e| !e.is_empty()),
            ..Default::default()
        }
        .validated()
        .map_err(|e| FileError::Cell {
            file: file.into(),
            line: row.line,
            column: "customer".into(),
            reason: e.to_string(),
        })?;
        let now = cx.clock.now();
        let id = tx.insert_customer(&details, "import", now)?;
        let detail = format!(
            "created {} by importing {file} (line {})",
            details.name, row.line
        );
        tx.log(id, now, cx.actor, "customer.created", &detail)?;
        self.created.push((id, details.name));
        Ok(id)
    }
}

impl Ctx<'_> {
    /// The end of an entries import: each customer's balance moves once,
    /// refunds use the credits now in, and each customer's timeline says
    /// what came in.
    fn settle(
        &self,
        tx: &Tx<'_>,
        file: &str,
        sums: &HashMap<CustomerId, (Decimal, usize)>,
        payouts: &[(CustomerId, PayoutRow)],
    ) -> Result<()> {
        let now = self.clock.now();
        let mut before = HashMap::new();
        for (customer, (delta, _)) in sums {
            let c = super::find_customer(&tx.reads(), *customer)?;
            before.insert(*customer, c.balance);
            tx.add_to_balance(*customer, *delta, now)?;
        }
        for (customer, p) in payouts {
            let payout = NewPayout {
                amount: p.amount,
                method: p.method,
                reference: p.reference.as_deref(),
                description: if p.description.is_empty() {
                    "Refund"
                } else {
                    &p.description
                },
                date: p.date,
            };
            tx.insert_payout(*customer, &payout, now)
                .map_err(|_| FileError::Row {
                    file: file.into(),
                    line: p.line,
                    reason: format!(
                        "a refund of {} is more than the credit this customer has by then",
                        self.money(p.amount)
                    ),
                })?;
        }
        let mut customers: Vec<_> = sums.iter().collect();
        customers.sort_by_key(|(id, _)| **id);
        for (customer, (_, n)) in customers {
            let detail = format!(
                "imported {} from {file}; {}",
                crate::domain::text::count(*n, "entry", "entries"),
                self.balance_move(tx, *customer, before[customer])?
            );
            tx.log(*customer, now, self.actor, "entries.imported", &detail)?;
        }
        Ok(())
    }

    /// One row of a customer list: matched, created (with its opening
    /// balance), or skipped with the reason.
    #[allow(clippy::too_many_arguments)]
    fn customer_row(
        &self,
        tx: &Tx<'_>,
        cols: &CustomerColumns,
        line: usize,
        cells: &[&str],
        opts: &ImportOptions,
        date: NaiveDate,
        file: &str,
        report: &mut CustomerImport,
    ) -> Result<()> {
        let cur = self.config.currency();
        let row = match cols.parse(line, cells, &cur) {
            Ok(row) => row,
            Err(why) => {
                report.skipped.push((line, why));
                return Ok(());
            }
        };
        let r = tx.reads();
        let by_email = match &row.details.email {
            Some(e) => r.customer_id_by_email(e)?,
            None => None,
        };
        if let Some(id) = by_email {
            report.matched.push((line, id, row.details.name, "email"));
            return Ok(());
        }
        if let Some(id) = r.customer_id_by_name(&row.details.name)? {
            report.matched.push((line, id, row.details.name, "name"));
            return Ok(());
        }
        let details = match row.details.clone().validated() {
            Ok(d) => d,
            Err(e) => {
                report.skipped.push((line, e.to_string()));
                return Ok(());
            }
        };
        let balance = row
            .balance
            .filter(|b| opts.opening_balances && !b.is_zero());
        if let (Some(_), Some(code)) = (balance, &row.currency)
            && *code != cur.code
        {
            report.skipped.push((
                line,
                format!("its balance is in {code}; the book keeps {}", cur.code),
            ));
            return Ok(());
        }
        let now = self.clock.now();
        let source = cols.source().as_str();
        let id = tx.insert_customer(&details, source, now)?;
        let detail = format!(
            "created {} from {file} (line {line}, {source})",
            details.name
        );
        tx.log(id, now, self.actor, "customer.created", &detail)?;
        if let Some(b) = balance {
            self.opening_balance(tx, id, b, date)?;
            report.balances.push((id, b));
        }
        report.created.push((line, id, details.name));
        Ok(())
    }

    /// One "Opening balance" line: a charge when the customer owes, a
    /// credit when they hold credit.
    fn opening_balance(
        &self,
        tx: &Tx<'_>,
        id: CustomerId,
        balance: Decimal,
        date: NaiveDate,
    ) -> Result<()> {
        let (kind, method) = if balance < Decimal::ZERO {
            (EntryKind::Charge, None)
        } else {
            (EntryKind::Credit, Some(Method::Other))
        };
        let e = crate::domain::entry::NewEntry {
            kind,
            amount: balance.abs(),
            tax: Decimal::ZERO,
            description: "Opening balance".into(),
            method,
            date,
        };
        let now = self.clock.now();
        let entry = tx.insert_entry(id, &e, now)?;
        let detail = format!(
            "{} #{entry}: opening balance {}; balance 0.00 → {}",
            kind.as_str(),
            self.money(e.amount),
            self.money(balance)
        );
        tx.log(id, now, self.actor, "entries.imported", &detail)?;
        Ok(())
    }
}
