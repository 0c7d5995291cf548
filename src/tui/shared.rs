//! What every screen, tab and overlay may read but none owns: the book's
//! currency, the business's name, today, the terminal's size, and the
//! settings that change what a screen offers (tax, mail). The app keeps
//! the one copy and hands it out by reference.

use chrono::NaiveDate;

use crate::domain::Currency;

#[derive(Debug, Clone, PartialEq)]
pub struct Shared {
    pub currency: Currency,
    pub business: String,
    pub today: NaiveDate,
    /// Columns, rows.
    pub size: (u16, u16),
    /// Shown beside an empty Tax field, e.g. "empty = 8.25%".
    pub tax_hint: Option<String>,
    /// The default tax rate in percent, for the charge form's preview.
    pub tax_rate: rust_decimal::Decimal,
    /// Whether `[mail]` is set (statements and reminders can be emailed).
    pub mail: bool,
    /// `[collections] schedule` when reminders go by email, else empty.
    pub reminder_schedule: Vec<u32>,
    /// Rows a page of the screen on show holds (what PageDown moves,
    /// in a list or an overlay over it).
    pub page: usize,
}
