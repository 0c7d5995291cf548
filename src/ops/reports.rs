//! Reports: read-only views over one snapshot of the book.

use chrono::NaiveDate;

use super::{Book, Result};
use crate::store::AgingRow;

impl Book {
    /// Receivables aging as of `as_of` (default: today): each customer who
    /// owed or held credit that day, owed amounts by days past due.
    pub fn aging(&self, as_of: Option<NaiveDate>) -> Result<(NaiveDate, Vec<AgingRow>)> {
        let day = as_of.unwrap_or_else(|| self.clock.today());
        let terms = self.config.billing.payment_terms_days;
        self.snapshot(|r| Ok((day, r.aging(day, terms)?)))
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
/// view): from `from` (default: the customer's first entry) to `to`.
pub(crate) fn statement_doc(
    r: &crate::store::Reads<'_>,
    config: &crate::config::Config,
    customer: crate::domain::CustomerId,
    from: Option<NaiveDate>,
    to: NaiveDate,
) -> Result<crate::document::statement::StatementDoc> {
    let c = super::find_customer(r, customer)?;
    let from = from.or(r.first_entry_date(customer)?).unwrap_or(to);
    let (opening, lines) = r.statement_entries(customer, from, to)?;
    let currency = config.currency();
    let link = r
        .active_link(customer)?
        .map(|l| crate::domain::link::url(&config.portal.base_url, &l.token));
    Ok(crate::document::statement::StatementDoc {
        business: config.business.clone(),
        opening: currency.from_minor(opening),
        currency,
        invoices: r.invoices_issued(customer, from, to)?,
        customer: c,
        from,
        to,
        lines,
        link,
    })
}

impl Book {
    /// Open invoices past due today, the longest overdue first.
    pub fn overdue(&self) -> Result<Vec<crate::store::OverdueRow>> {
        let today = self.clock.today();
        self.snapshot(|r| Ok(r.overdue(today)?))
    }

    /// Records on the customer's timeline that a reminder was sent (copied
    /// to send), so the collections list can say when they last heard.
    pub fn record_reminder(&mut self, customer: crate::domain::CustomerId) -> Result<()> {
        self.transact(|tx, cx| {
            let c = super::find_customer(&tx.reads(), customer)?;
            let owed = (-c.balance).max(rust_decimal::Decimal::ZERO);
            let detail = format!("reminder copied to send; owed {}", cx.money(owed));
            tx.log(
                customer,
                cx.clock.now(),
                cx.actor,
                "customer.reminded",
                &detail,
            )?;
            Ok(())
        })
    }
}
