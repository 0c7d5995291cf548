//! Imports: customers from QuickBooks Online, Stripe or a plain sheet, and
//! entries in tally's own format. Each is one transaction: an entries file
//! with one bad row imports nothing; a customer list skips the rows it
//! cannot use and says why. A dry run is the same transaction rolled back.
//!
//! Customers are matched as seed 003 says: by email (any case), then by
//! exact name, else created with the file's system as their source.
//! Balances move once per customer at the end of an entries import (the
//! store's bulk sink moves them), and the timeline gets one line per
//! customer, not one per row.

// A fast hasher: an import looks up a customer for every row.
use foldhash::{HashMap, HashMapExt};

use chrono::NaiveDate;
use rust_decimal::Decimal;

use super::{Book, Ctx, Result};
use crate::domain::customer::{CustomerDetails, CustomerId};
use crate::domain::entry::{EntryKind, Method};
use crate::exchange::FileError;
use crate::exchange::csv_in::Source as CsvFile;
use crate::exchange::customers::{CustomerColumns, Placed, Source};
use crate::exchange::entries::{BatchEntry, CustomerKeys, EntryBatch, EntryColumns, ParsedEntry};
use crate::store::{BulkEntry, BulkKind, Indexed, NewPayout, Tx};

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
    /// Match a same-named customer even when the emails differ.
    pub merge_by_name: bool,
    /// `--map`: (file column, tally field header) pairs for a file tally
    /// does not recognise; such a file is read as a plain sheet.
    pub map: Vec<(String, String)>,
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
    /// (line, note) said beside a row's fate: a customer created although
    /// one of the same name exists (another email: two people).
    pub notes: Vec<(usize, String)>,
    /// The first rows as tally read them: (line, "name <email> · phone ·
    /// balance"), so a mapping can be checked before anything is written.
    pub read_as: Vec<(usize, String)>,
    /// Each row's full name as the file wrote it (`Parent:Child`) and the
    /// customer it became, so a sub-customer finds its parent.
    pub by_full_name: std::collections::HashMap<String, CustomerId>,
}

impl CustomerImport {
    /// Each row's fate, in the file's order: (line, what happened), a
    /// row's fate before its note.
    pub fn lines(&self) -> Vec<(usize, String)> {
        let mut lines: Vec<(usize, String)> = Vec::new();
        lines.extend(
            self.created
                .iter()
                .map(|(l, id, n)| (*l, format!("created customer {id} {n}"))),
        );
        lines.extend(
            self.matched
                .iter()
                .map(|(l, id, n, by)| (*l, format!("matched customer {id} {n} (by {by})"))),
        );
        lines.extend(
            self.skipped
                .iter()
                .map(|(l, why)| (*l, format!("skipped: {why}"))),
        );
        lines.extend(
            self.notes
                .iter()
                .map(|(l, note)| (*l, format!("note: {note}"))),
        );
        lines.sort_by_key(|(l, _)| *l);
        lines
    }

    /// "Created 20, matched 1, skipped 1 (stripe); opening balances for 9 customers".
    pub fn summary(&self, dry_run: bool) -> String {
        let source = self.source.map_or("csv", Source::as_str);
        format!(
            "{} {}, matched {}, skipped {} ({source}){}",
            if dry_run { "Would create" } else { "Created" },
            self.created.len(),
            self.matched.len(),
            self.skipped.len(),
            if self.balances.is_empty() {
                String::new()
            } else {
                format!(
                    "; opening balances for {}",
                    crate::domain::text::count(self.balances.len(), "customer", "customers")
                )
            }
        )
    }
}

/// How many rows a customer import shows as it read them.
const READ_AS_ROWS: usize = 3;

/// A row as read: "Ann Lee <ann@x.com> · 555-0101 · balance -12.00".
fn read_as(row: &crate::exchange::customers::CustomerRow, cur: &crate::domain::Currency) -> String {
    let d = &row.details;
    let mut parts = vec![match &d.email {
        Some(e) => format!("{} <{e}>", d.name),
        None => d.name.clone(),
    }];
    parts.extend(d.phone.clone());
    parts.extend(d.address.clone());
    if let Some(b) = row.balance {
        parts.push(format!("balance {}", cur.plain(b)));
    }
    parts.join(" · ")
}

/// What an entries import did.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct EntriesImported {
    /// How long each part took, in order (`tally import entries --timings`).
    pub timings: Vec<(&'static str, std::time::Duration)>,
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
        let (mut headers, mut rows) = src.rows()?;
        crate::exchange::customers::apply_map(&mut headers, &opts.map, file)?;
        let source = match (opts.source, opts.map.is_empty()) {
            (Some(s), _) => s,
            (None, true) => Source::guess(&headers),
            (None, false) => Source::Csv,
        };
        let cols = CustomerColumns::find(&headers, source, file)?;
        let date = opts.date.unwrap_or_else(|| self.clock.today());
        self.transact_or_rehearse(!opts.dry_run, |tx, cx| {
            let mut report = CustomerImport {
                source: Some(source),
                ..Default::default()
            };
            let mut any = false;
            let mut outline = crate::exchange::customers::Outline::default();
            while let Some((line, mut cells)) = rows.next_row()? {
                any = true;
                let full;
                if cols.outline && !cells.is_empty() {
                    match outline.place(cells[0]) {
                        Placed::Customer(name) => full = name,
                        Placed::Subtotal(parent) => {
                            let why = format!(
                                "subtotal row: {parent}'s own balance plus its sub-customers'"
                            );
                            report.skipped.push((line, why));
                            continue;
                        }
                    }
                    cells[0] = &full;
                }
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
        let cols = EntryColumns::find(&headers, file, self.clock.today())?;
        let lines = memchr::memchr_iter(b'\n', bytes).count();
        // A file that is a good part of the book goes in faster with the
        // entries indexes built afterwards in one pass, and without
        // per-row reference lookups: every row's customer is one this
        // transaction read or created. (Which way is only a question of
        // speed, so it is decided before the transaction.)
        let bulk = lines >= BULK_ROWS && lines * 4 >= self.reads().entry_total()?;
        // Customers the file creates, and every balance it moves, change
        // the customers' indexes and the book totals too: for a file
        // several times the size of the customer list, building them again
        // afterwards costs a fraction of the import where keeping them
        // cost a tenth of it.
        let customer_indexes_aside =
            bulk && lines >= 4 * self.reads().count_customers(&None)? as usize;
        let mut import = |tx: &Tx<'_>, cx: &Ctx<'_>| {
            let mut clock = Stopwatch::default();
            let mut run = || {
                let read = cx.insert_rows(tx, file, bulk, &cols, &mut rows, &mut progress);
                clock.lap("read and insert rows");
                read
            };
            let read = if bulk {
                tx.without_search_trigger(|| tx.without_indexes(Indexed::Entries, run))
            } else {
                run()
            }?;
            clock.lap("build entries indexes");
            let customers = cx.settle(tx, file, &read)?;
            clock.lap("balances, refunds and timeline");
            Ok(EntriesImported {
                timings: clock.laps,
                rows: read.rows,
                customers,
                created: read.who.created,
            })
        };
        if customer_indexes_aside {
            self.transact_bulk(|tx, cx| {
                let started = std::time::Instant::now();
                let mut done = tx.without_totals_triggers(|| {
                    tx.without_indexes(Indexed::Customers, || import(tx, cx))
                })?;
                let inside: std::time::Duration = done.timings.iter().map(|(_, t)| *t).sum();
                let rebuild = started.elapsed().saturating_sub(inside);
                done.timings.push(("build customers indexes", rebuild));
                Ok(done)
            })
        } else if bulk {
            self.transact_bulk(import)
        } else {
            self.transact(import)
        }
    }
}

/// Times the parts of an import, one lap after another.
struct Stopwatch {
    last: std::time::Instant,
    laps: Vec<(&'static str, std::time::Duration)>,
}

impl Default for Stopwatch {
    fn default() -> Self {
        Stopwatch {
            last: std::time::Instant::now(),
            laps: Vec::new(),
        }
    }
}

impl Stopwatch {
    fn lap(&mut self, part: &'static str) {
        let now = std::time::Instant::now();
        self.laps.push((part, now - self.last));
        self.last = now;
    }
}

/// What the rows of an entries file came to, for the settling at the end.
struct RowsRead {
    rows: usize,
    who: Matcher,
    /// The customer of each customer key, by its number
    /// ([`CustomerKeys`]): looked up at the key's first row.
    ids: Vec<CustomerId>,
    /// Each customer key's balance change from its charges and credits
    /// (minor units, wide enough for any file) and number of rows.
    by_key: Vec<(i128, usize)>,
    /// Refunds, written last: each uses credits the file may have brought.
    payouts: Vec<(CustomerId, ParsedEntry)>,
}

impl RowsRead {
    /// Each customer's balance change and number of rows (two keys, say a
    /// name and then that name with an email, may be one customer).
    fn sums(&self, cur: &crate::domain::Currency) -> Result<HashMap<CustomerId, (Decimal, usize)>> {
        let mut minor: HashMap<CustomerId, (i128, usize)> = HashMap::with_capacity(self.ids.len());
        for (id, (delta, n)) in self.ids.iter().zip(&self.by_key) {
            let sum = minor.entry(*id).or_default();
            sum.0 += delta;
            sum.1 += n;
        }
        minor
            .into_iter()
            .map(|(id, (delta, n))| {
                let delta = Decimal::try_from_i128_with_scale(delta, cur.decimals)
                    .map_err(|_| crate::store::StoreError::Overflow)?;
                Ok((id, (delta, n)))
            })
            .collect()
    }
}

/// Files with at least this many lines may be imported with the indexes
/// rebuilt afterwards.
const BULK_ROWS: usize = 20_000;

impl Ctx<'_> {
    /// Every row of an entries file: charges and credits inserted as they
    /// come, refunds kept for the settling.
    fn insert_rows(
        &self,
        tx: &Tx<'_>,
        file: &str,
        bulk: bool,
        cols: &EntryColumns,
        rows: &mut crate::exchange::csv_in::Rows<'_>,
        progress: &mut impl FnMut(usize),
    ) -> Result<RowsRead> {
        let cur = self.config.currency();
        let mut read = RowsRead {
            rows: 0,
            who: if bulk {
                Matcher::preload(tx)?
            } else {
                Matcher::default()
            },
            ids: Vec::new(),
            by_key: Vec::new(),
            payouts: Vec::new(),
        };
        // One thread reads and checks the file while this one writes the
        // book: the two halves of the work run on two cores.
        std::thread::scope(|scope| -> Result<()> {
            let (send, batches) = std::sync::mpsc::sync_channel(8);
            let reader_cur = cur.clone();
            scope.spawn(move || read_batches(rows, cols, file, &reader_cur, send));
            tx.insert_entries(self.clock.now(), |sink| -> Result<()> {
                for batch in batches {
                    let batch = batch?;
                    let mut entries = Vec::with_capacity(batch.len());
                    for e in batch.iter() {
                        if let Some(e) = self.take_row(tx, file, &cur, &mut read, e)? {
                            entries.push(e);
                        }
                    }
                    sink.insert_all(&entries)?;
                    progress(read.rows);
                }
                Ok(())
            })
        })?;
        if read.rows == 0 {
            return Err(FileError::HeaderOnly { file: file.into() }.into());
        }
        Ok(read)
    }

    /// Counts one row for its customer; a charge or credit comes back to be
    /// inserted, a refund is kept for the end.
    fn take_row<'b>(
        &self,
        tx: &Tx<'_>,
        file: &str,
        cur: &crate::domain::Currency,
        read: &mut RowsRead,
        e: BatchEntry<'b>,
    ) -> Result<Option<BulkEntry<'b>>> {
        let row = e.row;
        let customer = match read.ids.get(e.slot) {
            Some(id) => *id,
            None => {
                // Keys are numbered in the order rows bring them, and the
                // rows come here in that order: a key not seen yet is the
                // next number. (Not something a file can change.)
                assert_eq!(e.slot, read.ids.len(), "customer keys out of order");
                let id = read.who.resolve(
                    tx,
                    self,
                    row.line,
                    row.customer,
                    row.email,
                    e.email_key,
                    file,
                )?;
                read.ids.push(id);
                read.by_key.push((0, 0));
                id
            }
        };
        let sum = &mut read.by_key[e.slot];
        read.rows += 1;
        sum.1 += 1;
        let kind = match row.kind {
            EntryKind::Payout => {
                read.payouts.push((customer, row.owned()));
                return Ok(None);
            }
            EntryKind::Charge => BulkKind::Charge,
            EntryKind::Credit => BulkKind::Credit,
        };
        let minor = |v: Decimal| {
            cur.to_minor(v)
                .ok_or_else(|| crate::store::StoreError::Inexact(v))
        };
        sum.0 += i128::from(match kind {
            BulkKind::Charge => -minor(row.amount)? - minor(row.tax)?,
            BulkKind::Credit => minor(row.amount)?,
        });
        Ok(Some(BulkEntry {
            customer,
            kind,
            amount: row.amount,
            tax: row.tax,
            description: row.description,
            method: row.method,
            reference: row.reference,
            date: row.date,
        }))
    }
}

/// Reads and checks rows, sending them on in batches; the first problem
/// is sent instead and ends the reading. Stops quietly if the writer has
/// stopped listening (it failed, and the import is being rolled back).
fn read_batches(
    rows: &mut crate::exchange::csv_in::Rows<'_>,
    cols: &EntryColumns,
    file: &str,
    cur: &crate::domain::Currency,
    send: std::sync::mpsc::SyncSender<std::result::Result<EntryBatch, FileError>>,
) {
    const BATCH: usize = 2048;
    let mut batch = EntryBatch::with_capacity(BATCH);
    let mut keys = CustomerKeys::new();
    loop {
        let next = rows.next_row().and_then(|r| {
            r.map(|(line, cells)| {
                cols.parse(file, line, &cells, cur)
                    .map(|e| batch.push(&e, &mut keys))
            })
            .transpose()
        });
        match next {
            Ok(Some(())) => {
                if batch.len() == BATCH
                    && send
                        .send(Ok(std::mem::replace(
                            &mut batch,
                            EntryBatch::with_capacity(BATCH),
                        )))
                        .is_err()
                {
                    return;
                }
            }
            Ok(None) => {
                let _ = send.send(Ok(batch));
                return;
            }
            Err(e) => {
                let _ = send.send(Err(e));
                return;
            }
        }
    }
}

/// Finds (or creates) the customer each row names, remembering answers so
/// a customer with thousands of rows is looked up once.
#[derive(Default)]
struct Matcher {
    by_email: HashMap<String, CustomerId>,
    by_name: HashMap<String, CustomerId>,
    created: Vec<(CustomerId, String)>,
    /// Every customer's balance before the import, when the whole book was
    /// read up front (a large import): then no row asks the database.
    balances: Option<HashMap<CustomerId, Decimal>>,
}

impl Matcher {
    /// Reads every customer once, for an import large enough that one scan
    /// beats a lookup per customer.
    fn preload(tx: &Tx<'_>) -> Result<Matcher> {
        let mut m = Matcher {
            balances: Some(HashMap::new()),
            ..Default::default()
        };
        for (id, name, email, balance) in tx.reads().customer_keys()? {
            if let Some(e) = email {
                m.by_email.entry(e.to_lowercase()).or_insert(id);
            }
            m.by_name.entry(name).or_insert(id);
            if let Some(b) = &mut m.balances {
                b.insert(id, balance);
            }
        }
        Ok(m)
    }

    /// A customer's balance before the import, if it was read up front
    /// (customers the import created start at zero).
    fn balance_before(&self, id: CustomerId) -> Option<Decimal> {
        let b = self.balances.as_ref()?;
        Some(b.get(&id).copied().unwrap_or(Decimal::ZERO))
    }

    #[allow(clippy::too_many_arguments)]
    fn resolve(
        &mut self,
        tx: &Tx<'_>,
        cx: &Ctx<'_>,
        line: usize,
        name: &str,
        email: &str,
        key: &str,
        file: &str,
    ) -> Result<CustomerId> {
        let ask = self.balances.is_none();
        if !key.is_empty() {
            if let Some(id) = self.by_email.get(key) {
                return Ok(*id);
            }
            if let Some(id) = ask
                .then(|| tx.reads().customer_id_by_email(key))
                .transpose()?
                .flatten()
            {
                self.by_email.insert(key.to_string(), id);
                return Ok(id);
            }
        }
        let known = match self.by_name.get(name) {
            Some(id) => Some(*id),
            None if ask && !name.is_empty() => tx.reads().customer_id_by_name(name)?,
            None => None,
        };
        let id = match known {
            Some(id) => id,
            None => self.create(tx, cx, line, name, email, file)?,
        };
        if !key.is_empty() {
            self.by_email.insert(key.to_string(), id);
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
        line: usize,
        name: &str,
        email: &str,
        file: &str,
    ) -> Result<CustomerId> {
        let name = if name.is_empty() { email } else { name };
        let details = CustomerDetails {
            name: name.to_string(),
            email: Some(email.to_string()).filter(|e| !e.is_empty()),
            ..Default::default()
        }
        .validated()
        .map_err(|e| FileError::Cell {
            file: file.into(),
            line,
            column: "customer".into(),
            reason: e.to_string(),
        })?;
        // Its timeline line is written with the others when the import
        // settles: one line per customer, however many rows it has.
        let id = tx.insert_customer(&details, "import", cx.clock.now())?;
        self.created.push((id, details.name));
        Ok(id)
    }
}

impl Ctx<'_> {
    /// The end of an entries import: each customer's balance moves once,
    /// refunds use the credits now in, and each customer's timeline says
    /// what came in. Returns how many customers the file moved.
    fn settle(&self, tx: &Tx<'_>, file: &str, read: &RowsRead) -> Result<usize> {
        let sums = read.sums(&self.config.currency())?;
        let RowsRead { who, payouts, .. } = read;
        let now = self.clock.now();
        // By id: the customers' rows are then visited in the file's order.
        let mut customers: Vec<_> = sums.iter().map(|(id, s)| (*id, *s)).collect();
        customers.sort_by_key(|(id, _)| *id);
        let mut moves: HashMap<CustomerId, (Decimal, Decimal)> = HashMap::new();
        // The sink has moved each balance by the rows' sum already.
        for (customer, (delta, _)) in &customers {
            let before = match who.balance_before(*customer) {
                Some(b) => b,
                None => super::find_customer(&tx.reads(), *customer)?.balance - delta,
            };
            moves.insert(*customer, (before, before + delta));
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
            tx.insert_payout(*customer, &payout, &[], now)
                .map_err(|e| match e {
                    crate::store::StoreError::Changed(_) => FileError::Row {
                        file: file.into(),
                        line: p.line,
                        reason: format!(
                            "a refund of {} is more than the credit this customer has by then",
                            self.money(p.amount)
                        ),
                    }
                    .into(),
                    other => super::OpsError::from(other),
                })?;
            if let Some(m) = moves.get_mut(customer) {
                m.1 -= p.amount;
            }
        }
        let created: std::collections::HashSet<CustomerId> =
            who.created.iter().map(|(id, _)| *id).collect();
        let lines = customers.iter().map(|(customer, (_, n))| {
            let (before, after) = moves[customer];
            let new = if created.contains(customer) {
                "created by importing "
            } else {
                "imported "
            };
            let detail = format!(
                "{new}{} from {file}; balance {} → {}",
                crate::domain::text::count(*n, "entry", "entries"),
                self.money(before),
                self.money(after)
            );
            (*customer, detail)
        });
        tx.log_many(now, self.actor, "entries.imported", lines)?;
        Ok(customers.len())
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
        if report.read_as.len() < READ_AS_ROWS {
            report.read_as.push((line, read_as(&row, &cur)));
        }
        let r = tx.reads();
        let system = cols.source().as_str();
        let outside = cols.outside_id(&row);
        let remember = |id: CustomerId| -> Result<()> {
            if let Some(oid) = &outside {
                tx.record_outside_id(system, oid, id)?;
            }
            Ok(())
        };
        let known = match &outside {
            Some(oid) => r.customer_by_outside_id(system, oid)?,
            None => None,
        };
        let by_email = match &row.details.email {
            Some(e) => r.customer_id_by_email(e)?,
            None => None,
        };
        let matched = known
            .map(|id| (id, "id"))
            .or_else(|| by_email.map(|id| (id, "email")));
        if let Some((id, by)) = matched {
            remember(id)?;
            self.unposted_balance(cols, &row, opts, id, line, report);
            report.by_full_name.insert(row.full_name.clone(), id);
            report.matched.push((line, id, row.details.name, by));
            return Ok(());
        }
        if let Some(id) = r.customer_id_by_name(&row.details.name)? {
            // The same name with another email is another person: never
            // merged by name (Stripe and QuickBooks exports hold both).
            let theirs = r.customer(id)?.and_then(|c| c.email);
            match (&theirs, &row.details.email) {
                (Some(a), Some(b)) if !a.eq_ignore_ascii_case(b) && !opts.merge_by_name => {
                    report.notes.push((
                        line,
                        format!(
                            "customer {id} has the same name and another email: created apart \
                             (--merge-by-name would match them)"
                        ),
                    ))
                }
                _ => {
                    remember(id)?;
                    self.unposted_balance(cols, &row, opts, id, line, report);
                    report.by_full_name.insert(row.full_name.clone(), id);
                    report.matched.push((line, id, row.details.name, "name"));
                    return Ok(());
                }
            }
        }
        if let Some((id, name)) = r.customer_with_similar_name(&row.details.name, None)?
            && name != row.details.name
        {
            report.notes.push((
                line,
                format!(
                    "customer {id} \"{name}\" differs only in case or spacing: created apart \
                     (`tally customer merge` joins them)"
                ),
            ));
        }
        let mut details = row.details.clone();
        if let Some(path) = &row.parent_path {
            // Parents come before their sub-customers in these exports.
            let Some(parent) = report.by_full_name.get(path).copied() else {
                report.skipped.push((
                    line,
                    format!("its parent \"{path}\" is not in the file above it"),
                ));
                return Ok(());
            };
            details.parent_id = Some(parent);
        }
        let details = match details.validated() {
            Ok(d) => d,
            Err(e) => {
                report.skipped.push((line, e.to_string()));
                return Ok(());
            }
        };
        // A balance report holds nothing but balances: importing it means
        // bringing them in.
        let wanted = opts.opening_balances || cols.outline;
        let balance = row.balance.filter(|b| wanted && !b.is_zero());
        if let Some(b) = row.balance.filter(|b| !wanted && !b.is_zero()) {
            report.notes.push((
                line,
                format!(
                    "balance {} not brought in: --opening-balances posts it",
                    self.money(b)
                ),
            ));
        }
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
        remember(id)?;
        if let Some(b) = balance {
            self.opening_balance(tx, id, b, date)?;
            report.balances.push((id, b));
        }
        report.by_full_name.insert(row.full_name, id);
        report.created.push((line, id, details.name));
        Ok(())
    }

    /// A matched row's balance is never posted (the customer's book is
    /// already here, and a second import must change nothing): said, so
    /// no balance is dropped without a word.
    fn unposted_balance(
        &self,
        cols: &CustomerColumns,
        row: &crate::exchange::customers::CustomerRow,
        opts: &ImportOptions,
        id: CustomerId,
        line: usize,
        report: &mut CustomerImport,
    ) {
        let wanted = opts.opening_balances || cols.outline;
        if let Some(b) = row.balance.filter(|b| wanted && !b.is_zero()) {
            report.notes.push((
                line,
                format!(
                    "balance {} not brought in: customer {id} is already in the book                      (add an entry if it is still owed)",
                    self.money(b)
                ),
            ));
        }
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
        tx.mark_opening(entry)?;
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
