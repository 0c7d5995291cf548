//! Publishing the payment pages to storage, so a link opens with the
//! owner's machine off: `tally portal publish`, the short publish after
//! each command, and the TUI's background publisher all run
//! [`Publisher`].
//!
//! - `site`: the objects a customer's pages are (rendered as the portal
//!   serves them), with content hashes.
//! - `target`: the bucket or folder.
//!
//! Invariants:
//! - The book says what is due (triggers mark a customer in the same
//!   transaction as any change to their pages) and what storage holds
//!   (`published`). For each due customer the publisher renders the pages
//!   from one snapshot, puts what changed, deletes what is no longer
//!   live (a revoked link's pages, a paid invoice's page), then records
//!   that and clears the mark in one transaction, only if no change came
//!   meanwhile. A crash at any point leaves the customer due, and the
//!   next run converges: putting a page twice is harmless.
//! - Nothing waits for storage for long: each call has short timeouts,
//!   and a run given a budget stops when it is spent, leaving the rest due.

pub mod site;
pub mod target;

use std::collections::BTreeMap;
use std::time::{Duration, Instant};

use crate::domain::customer::CustomerId;
use crate::ops::{Book, Sent};
pub use target::{Target, TargetError};

#[derive(Debug, thiserror::Error)]
pub enum PublishError {
    #[error(transparent)]
    Target(#[from] TargetError),
    #[error(transparent)]
    Book(#[from] crate::ops::OpsError),
}

impl From<crate::store::StoreError> for PublishError {
    fn from(e: crate::store::StoreError) -> Self {
        PublishError::Book(e.into())
    }
}

/// What a run did.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Run {
    pub customers: usize,
    pub put: usize,
    pub deleted: usize,
    /// Customers still due when the run ended.
    pub waiting: usize,
}

/// How many due customers one read of the book takes.
const BATCH: usize = 64;

pub struct Publisher<'a> {
    pub target: &'a Target,
}

impl Publisher<'_> {
    /// Publishes due customers until none is left or `budget` is spent,
    /// a batch at a time: each batch's changed objects go to storage
    /// together ([`Target::put_all`]), then each customer whose objects
    /// all went is recorded and cleared. A customer with a failed object
    /// stays due, and the run stops with the error.
    pub fn due(&self, book: &mut Book, budget: Option<Duration>) -> Result<Run, PublishError> {
        let started = Instant::now();
        let mut run = Run::default();
        // A new business name (say) is on every page.
        if book.pages_settings_changed()? {
            self.assets(book)?;
        }
        let mut seen = std::collections::HashSet::new();
        loop {
            if budget.is_some_and(|b| started.elapsed() >= b) {
                break;
            }
            let due = book.reads().pages_due(BATCH)?;
            let fresh: Vec<_> = due.into_iter().filter(|(c, _)| seen.insert(*c)).collect();
            if fresh.is_empty() {
                break;
            }
            let plans = fresh
                .into_iter()
                .map(|(customer, mark)| self.plan(book, customer, mark))
                .collect::<Result<Vec<_>, _>>()?;
            let outgoing: Vec<&site::Object> = plans.iter().flat_map(|p| p.changed()).collect();
            let mut outcomes = self.target.put_all(&outgoing).into_iter();
            let mut failure = None;
            for plan in &plans {
                let results: Vec<_> = outcomes.by_ref().take(plan.changed().count()).collect();
                if let Some(e) = results.into_iter().find_map(Result::err) {
                    failure.get_or_insert(e);
                    continue;
                }
                let (put, deleted) = self.finish(book, plan)?;
                run.customers += 1;
                run.put += put;
                run.deleted += deleted;
            }
            if let Some(e) = failure {
                return Err(e.into());
            }
        }
        run.waiting = book.pages_waiting()?;
        Ok(run)
    }

    /// A full publish: the assets, every customer with a live link or
    /// pages in storage, and any token's pages in storage that tally has
    /// no live link for (removed).
    pub fn all(&self, book: &mut Book) -> Result<Run, PublishError> {
        let mut run = Run::default();
        run.put += self.assets(book)?;
        book.mark_all_pages_due()?;
        let live: std::collections::HashSet<String> = book
            .reads()
            .live_links()?
            .into_iter()
            .map(|(_, t)| t.as_str().to_string())
            .collect();
        for token in self.target.stored_tokens()? {
            if !live.contains(&token) {
                self.target.delete_token(&token)?;
                run.deleted += 1;
            }
        }
        let due = self.due(book, None)?;
        run.customers = due.customers;
        run.put += due.put;
        run.deleted += due.deleted;
        run.waiting = due.waiting;
        Ok(run)
    }

    /// The stylesheets and script, where they changed.
    fn assets(&self, book: &mut Book) -> Result<usize, PublishError> {
        let stored: BTreeMap<String, String> =
            book.reads().published_of(None)?.into_iter().collect();
        let mut sent = Sent::default();
        for o in site::assets() {
            if stored.get(&o.key) != Some(&o.hash) {
                self.target.put(&o.key, &o.body, o.content_type)?;
                sent.put.push((o.key, o.hash));
            }
        }
        book.record_sent(None, None, &sent)?;
        Ok(sent.put.len())
    }

    /// One customer's pages as they are now, and what storage holds of
    /// them, from one snapshot.
    fn plan(&self, book: &Book, customer: CustomerId, mark: i64) -> Result<Plan, PublishError> {
        let config = book.config().clone();
        let now = book.clock().now();
        let (objects, stored) = book.snapshot(|r| {
            let objects = match r.active_link(customer)? {
                Some(link) => site::customer_pages(r, &config, &link.token, now)?,
                None => Vec::new(),
            };
            Ok((objects, r.published_of(Some(customer))?))
        })?;
        Ok(Plan {
            customer,
            mark,
            objects,
            stored: stored.into_iter().collect(),
        })
    }

    /// After a customer's changed objects went: removes what is no longer
    /// theirs, and records both with their due mark cleared.
    fn finish(&self, book: &mut Book, plan: &Plan) -> Result<(usize, usize), PublishError> {
        let mut sent = Sent::default();
        for o in plan.changed() {
            sent.put.push((o.key.clone(), o.hash.clone()));
        }
        for key in plan.stored.keys() {
            if !plan.objects.iter().any(|o| &o.key == key) {
                self.target.delete(key, site::HTML)?;
                sent.deleted.push(key.clone());
            }
        }
        book.record_sent(Some(plan.customer), Some(plan.mark), &sent)?;
        Ok((sent.put.len(), sent.deleted.len()))
    }
}

/// What one customer's publish is to do.
struct Plan {
    customer: CustomerId,
    mark: i64,
    objects: Vec<site::Object>,
    /// key → hash of what storage holds.
    stored: BTreeMap<String, String>,
}

impl Plan {
    /// The objects storage does not hold as they are.
    fn changed(&self) -> impl Iterator<Item = &site::Object> {
        self.objects
            .iter()
            .filter(|o| self.stored.get(&o.key) != Some(&o.hash))
    }
}
