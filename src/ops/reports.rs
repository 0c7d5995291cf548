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
