//! The monthly billing cycle: for each customer on the monthly cycle whose
//! invoices are not paused, one invoice per past month that has open charges
//! dated in it and that no run has billed yet.
//!
//! Decisions:
//! - "Past" means before the month of the run date: the current month is
//!   still filling up.
//! - A month is remembered as billed once a run invoiced it, even if that
//!   draft is later deleted, so the catch-up at TUI start never brings back
//!   a draft the owner threw away. Those charges stay open for a manual draft.
//! - `[billing] monthly_run_finalizes` decides whether the invoices are
//!   finalized (issued on the run date) or left as drafts.
//! - The whole run is one transaction.

use chrono::NaiveDate;

use super::{Book, OpsError, Result};
use crate::domain::invoice::{Invoice, InvoiceRef, Period};

impl Book {
    /// Runs the monthly billing catch-up as of `date`; returns the invoices
    /// it created (none when everything is already billed).
    pub fn billing_run(&mut self, date: NaiveDate) -> Result<Vec<Invoice>> {
        let finalize = self.config.billing.monthly_run_finalizes;
        let created = self.transact(|tx, cx| {
            let now = cx.clock.now();
            let mut created = Vec::new();
            for customer in tx.reads().monthly_customers()? {
                for period in tx.reads().unbilled_periods(customer, Period::of(date))? {
                    let id = tx.insert_invoice(customer, Some(period), now)?;
                    let range = (period.first_day(), period.end());
                    let n = tx.attach_open_charges(id, customer, Some(range))?;
                    tx.mark_billed(customer, period, id, now)?;
                    let draft = tx
                        .reads()
                        .invoice(id)?
                        .ok_or_else(|| OpsError::NoInvoice(id.to_string()))?;
                    let detail = format!(
                        "billing run drafted {} for {}: {}, total {}",
                        draft.label(),
                        period.name(),
                        crate::domain::text::count_s(n, "charge"),
                        cx.money(draft.total)
                    );
                    tx.log(customer, now, cx.actor, "invoice.drafted", &detail)?;
                    if finalize {
                        cx.finalize_in(tx, &draft, date)?;
                    }
                    created.push(id);
                }
            }
            Ok(created)
        })?;
        created
            .into_iter()
            .map(|id| self.invoice(&InvoiceRef::Id(id)))
            .collect()
    }
}
