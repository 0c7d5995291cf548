//! Reports: read-only views over one snapshot of the book.

use chrono::NaiveDate;

use super::{Book, Result};
use crate::store::AgingRow;

impl Book {
    /// Receivables aging as of `as_of` (default: today): each customer who
    /// owed or held credit that day, what they owed net of the credit they
    /// held by days past due (credit pays the oldest first), and the credit
    /// left: net, like the customer list's figures.
    pub fn aging(&self, as_of: Option<NaiveDate>) -> Result<(NaiveDate, Vec<AgingRow>)> {
        let day = as_of.unwrap_or_else(|| self.clock.today());
        let terms = self.config.billing.payment_terms_days;
        // Usually nothing is dated after the day asked for (today, or a
        // quarter's end since which nothing was recorded): the kept sums
        // answer without reading all history. Otherwise one pass reads it,
        // in a snapshot of its own (right whatever was posted meanwhile).
        let kept = self.snapshot(|r| {
            Ok(match r.anything_after(day)? {
                true => None,
                false => Some(r.aging_kept(day, terms)?),
            })
        })?;
        let mut rows = match kept {
            Some(rows) => rows,
            None => self.store.aging_as_of(day, terms)?,
        };
        // What is owed net of credit held, as the customer list says.
        for row in &mut rows {
            crate::domain::figures::net_aging(&mut row.buckets, &mut row.credit);
        }
        rows.retain(|row| row.total() != 0 || row.credit != 0);
        Ok((day, rows))
    }
}

impl Book {
    /// A statement of account for `customer` over `from..=to` (default:
    /// from their first entry to today), read in one snapshot.
    pub fn statement(
        &self,
        customer: crate::domain::CustomerId,
        from: Option<NaiveDate>,
        to: Option<NaiveDate>,
    ) -> Result<crate::document::statement::StatementDoc> {
        let today = self.clock.today();
        self.snapshot(|r| statement_doc(r, &self.config, customer, from, to.unwrap_or(today)))
    }
}

/// A statement read through `r` (the owner's, or the portal's read-only
/// view): from `from` (default: the customer's first entry) to `to`. A
/// parent's carries the lines of the sub-clients billed to it, each named;
/// a sub-client billed to its parent says so instead of asking to be paid
/// (`ops::payer`).
pub(crate) fn statement_doc(
    r: &crate::store::Reads<'_>,
    config: &crate::config::Config,
    customer: crate::domain::CustomerId,
    from: Option<NaiveDate>,
    to: NaiveDate,
) -> Result<crate::document::statement::StatementDoc> {
    let c = super::find_customer(r, customer)?;
    let billed_to = super::payer::billed_to(r, &c)?.map(|p| p.name);
    let mut scope = vec![(customer, None)];
    if billed_to.is_none() {
        let group = super::payer::group(r, c.clone())?;
        scope.extend(group.subs.into_iter().map(|s| (s.id, Some(s.name))));
    }
    let mut first: Option<NaiveDate> = None;
    for (id, _) in &scope {
        if let Some(d) = r.first_entry_date(*id)? {
            first = Some(first.map_or(d, |f| f.min(d)));
        }
    }
    let from = from.or(first).unwrap_or(to);
    let (mut opening, mut lines, mut invoices) = (0, Vec::new(), Vec::new());
    for (id, whose) in scope {
        let (o, l) = r.statement_entries(id, from, to)?;
        opening += o;
        lines.extend(l.into_iter().map(|e| (e, whose.clone())));
        invoices.extend(r.invoices_issued(id, from, to)?.into_iter().map(
            |(n, d, t)| match &whose {
                Some(name) => (format!("{n} for {name}"), d, t),
                None => (n, d, t),
            },
        ));
    }
    // Of one day, in the order they were written.
    lines.sort_by_key(|(e, _)| (e.date, e.id));
    invoices.sort_by_key(|(_, d, _)| *d);
    let currency = config.currency();
    let link = r
        .active_link(customer)?
        .map(|l| crate::domain::link::url(&config.portal.base_url, &l.token));
    Ok(crate::document::statement::StatementDoc {
        business: config.business.clone(),
        opening: currency.from_minor(opening),
        currency,
        invoices,
        customer: c,
        from,
        to,
        lines,
        link,
        billed_to,
    })
}

impl Book {
    /// Open invoices past due today, the longest overdue first.
    pub fn overdue(&self) -> Result<Vec<crate::store::OverdueRow>> {
        let today = self.clock.today();
        self.snapshot(|r| Ok(r.overdue(today)?))
    }

    /// Records on the timeline of each customer whose debt `reminder` asks
    /// for that it was sent (copied to send), with what it asked, so the
    /// collections list and `report overdue` can say when they last heard.
    /// The one way every front end records a reminder.
    pub fn record_reminder(
        &mut self,
        customer: crate::domain::CustomerId,
        reminder: &super::ReminderText,
    ) -> Result<()> {
        self.transact(|tx, cx| cx.log_reminder(tx, customer, reminder, "copied to send"))
    }
}

impl super::Ctx<'_> {
    /// Logs `reminder` (sent `how`) on the timeline of `customer` and of
    /// each customer whose debt it asks for.
    pub(super) fn log_reminder(
        &self,
        tx: &crate::store::Tx<'_>,
        customer: crate::domain::CustomerId,
        reminder: &super::ReminderText,
        how: &str,
    ) -> Result<()> {
        super::find_customer(&tx.reads(), customer)?;
        let asked = if reminder.past_due.amount.is_zero() {
            format!("asked {}", self.money(reminder.owed))
        } else {
            format!(
                "asked {} past due on {}, of {} owed",
                self.money(reminder.past_due.amount),
                reminder.past_due.numbers(),
                self.money(reminder.owed)
            )
        };
        let to = if reminder.to == customer {
            String::new()
        } else {
            format!(" to customer {} (billed to them)", reminder.to)
        };
        let detail = format!("{} reminder {how}{to}; {asked}", reminder.tone);
        let now = self.clock.now();
        let mut who = vec![customer];
        who.extend(reminder.covers.iter().filter(|c| **c != customer));
        for c in who {
            super::find_customer(&tx.reads(), c)?;
            tx.log(c, now, self.actor, "customer.reminded", &detail)?;
        }
        Ok(())
    }
}

/// The orders an aging report can be read in: by total or any one column
/// (largest first), or by name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum AgingSort {
    #[default]
    Total,
    Name,
    /// A bucket: 0 is "current", 4 is "over 90".
    Bucket(usize),
    Credit,
}

impl AgingSort {
    /// Every order, in the order `s` cycles through them.
    pub const ALL: [AgingSort; 8] = [
        AgingSort::Total,
        AgingSort::Bucket(4),
        AgingSort::Bucket(3),
        AgingSort::Bucket(2),
        AgingSort::Bucket(1),
        AgingSort::Bucket(0),
        AgingSort::Credit,
        AgingSort::Name,
    ];

    /// The name `--sort` takes and the screen shows.
    pub fn name(self) -> &'static str {
        match self {
            AgingSort::Total => "total",
            AgingSort::Name => "name",
            AgingSort::Bucket(0) => "current",
            AgingSort::Bucket(1) => "1-30",
            AgingSort::Bucket(2) => "31-60",
            AgingSort::Bucket(3) => "61-90",
            AgingSort::Bucket(_) => "over-90",
            AgingSort::Credit => "credit",
        }
    }

    pub fn parse(s: &str) -> Option<AgingSort> {
        AgingSort::ALL.into_iter().find(|o| o.name() == s)
    }

    pub fn next(self) -> AgingSort {
        let i = AgingSort::ALL.iter().position(|o| *o == self).unwrap_or(0);
        AgingSort::ALL[(i + 1) % AgingSort::ALL.len()]
    }

    /// Sorts rows this way; ties go by customer id, so the order is stable
    /// from one run to the next.
    pub fn sort(self, rows: &mut [AgingRow]) {
        use std::cmp::Reverse;
        match self {
            AgingSort::Total => rows.sort_by_key(|r| (Reverse(r.total()), r.id)),
            AgingSort::Name => rows.sort_by_cached_key(|r| (r.name.to_lowercase(), r.id)),
            AgingSort::Bucket(i) => rows.sort_by_key(|r| (Reverse(r.buckets[i.min(4)]), r.id)),
            AgingSort::Credit => rows.sort_by_key(|r| (Reverse(r.credit), r.id)),
        }
    }
}

/// Each column summed over `rows` (the report's total line).
pub fn aging_totals(rows: &[AgingRow]) -> AgingRow {
    let mut totals = AgingRow::default();
    for r in rows {
        for (t, b) in totals.buckets.iter_mut().zip(r.buckets) {
            *t += b;
        }
        totals.credit += r.credit;
    }
    totals
}
