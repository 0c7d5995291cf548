//! The month at a glance: billed, collected and outstanding by month, the
//! days to collect, and who owes most. Read from the kept month totals
//! (migration 9) and the balance index, so it costs the same for a book
//! of any age.
//!
//! "Outstanding" at a month's end is what customers owed less the credit
//! they held, summed over every month up to it; "days to collect" is the
//! month's days sales outstanding (seed 004): outstanding at its end ÷
//! what it billed × its days, in whole days, leaving out opening balances
//! (billed in the system the owner left, not by this book).

use chrono::{Datelike, Months, NaiveDate};
use rust_decimal::Decimal;

use super::{Book, Result};
use crate::domain::{Customer, CustomerSort};
use crate::store::CustomerQuery;
use crate::store::MonthTotals;

/// How many months the chart shows, ending with this one.
pub const GLANCE_MONTHS: u32 = 12;

/// One month's figures.
#[derive(Debug, Clone, PartialEq)]
pub struct MonthGlance {
    /// The first day of the month.
    pub month: NaiveDate,
    pub billed: Decimal,
    pub collected: Decimal,
    /// Owed less credit held at the month's end.
    pub outstanding: Decimal,
    /// `None` when the month billed nothing.
    pub days_to_collect: Option<u32>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Glance {
    pub today: NaiveDate,
    /// [`GLANCE_MONTHS`] months, oldest first; the last is this month.
    pub months: Vec<MonthGlance>,
    /// The five customers who owe most, most first.
    pub top: Vec<Customer>,
}

impl Glance {
    pub fn this_month(&self) -> Option<&MonthGlance> {
        self.months.last()
    }

    pub fn last_month(&self) -> Option<&MonthGlance> {
        self.months.iter().rev().nth(1)
    }
}

impl Book {
    /// The month at a glance as of today, read in one snapshot.
    pub fn glance(&self) -> Result<Glance> {
        let today = self.clock.today();
        let first = first_of(today)
            .checked_sub_months(Months::new(GLANCE_MONTHS - 1))
            .unwrap_or(NaiveDate::MIN);
        let key = |d: NaiveDate| d.format("%Y-%m").to_string();
        // One snapshot: the months and who owes most agree with each other.
        let ((before, kept), top) = self.snapshot(|r| {
            let months = r.month_totals(&key(first), &key(first_of(today)))?;
            let top = r.customers(&CustomerQuery {
                sort: CustomerSort::Balance,
                search: None,
                offset: 0,
                limit: 5,
            })?;
            Ok((months, top))
        })?;
        let cur = self.currency();
        let (mut outstanding, mut opening) = (before.net_receivable, before.opening);
        let months = (0..GLANCE_MONTHS)
            .filter_map(|k| first.checked_add_months(Months::new(k)))
            .map(|month| {
                let t = kept
                    .iter()
                    .find(|t| t.month == key(month))
                    .cloned()
                    .unwrap_or_default();
                outstanding += t.net_receivable();
                opening += t.opening;
                // Opening balances were billed elsewhere: what is still
                // owed of them is not this book's days to collect.
                let billed_here = outstanding - opening;
                MonthGlance {
                    month,
                    billed: cur.from_minor(t.billed),
                    collected: cur.from_minor(t.collected),
                    outstanding: cur.from_minor(outstanding),
                    days_to_collect: days_to_collect(&t, billed_here, month),
                }
            })
            .collect();
        Ok(Glance {
            today,
            months,
            top: top
                .into_iter()
                .filter(|c| c.balance < Decimal::ZERO)
                .collect(),
        })
    }
}

fn first_of(d: NaiveDate) -> NaiveDate {
    d.with_day(1).unwrap_or(d)
}

/// Days sales outstanding for a month: outstanding at its end over what it
/// billed, times its length; none when it billed nothing.
fn days_to_collect(t: &MonthTotals, outstanding: i64, month: NaiveDate) -> Option<u32> {
    if t.billed <= 0 {
        return None;
    }
    let next = month.checked_add_months(Months::new(1))?;
    let days = (next - month).num_days();
    let dso = Decimal::from(outstanding.max(0)) * Decimal::from(days) / Decimal::from(t.billed);
    rust_decimal::prelude::ToPrimitive::to_u32(&dso.round())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn days_to_collect_is_outstanding_over_billing_times_the_month() {
        let may = NaiveDate::from_ymd_opt(2026, 5, 1).unwrap();
        let t = |billed| MonthTotals {
            billed,
            ..Default::default()
        };
        // Half a month's billing still owed at its end: about 15 days.
        assert_eq!(days_to_collect(&t(1000), 500, may), Some(16));
        assert_eq!(days_to_collect(&t(1000), 0, may), Some(0));
        assert_eq!(days_to_collect(&t(1000), -300, may), Some(0));
        assert_eq!(days_to_collect(&t(0), 500, may), None);
        // Owed three months' billing: about 90 days.
        let feb = NaiveDate::from_ymd_opt(2026, 2, 1).unwrap();
        assert_eq!(days_to_collect(&t(100), 300, feb), Some(84));
    }
}
