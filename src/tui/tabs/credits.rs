//! The Credits tab (seed 003 "Credit operations"): every credit with where
//! it came from, what used it and what is left, and every refund and
//! transfer out, newest first. Refund (`r`) and transfer (`t`) start here.

use ratatui::Frame;
use ratatui::layout::Rect;

use super::TabRows;
use crate::domain::CustomerId;
use crate::store::{CreditItem, Reads, Result};
use crate::tui::app::{App, Window};
use crate::tui::safe;
use crate::tui::ui::{Ui, window_table};
use crate::tui::widgets::columns::{Grid, Kind, col, styled};

pub const EMPTY: &str = "No credits yet: payments, credit memos and voids show here.";

pub fn load(r: &Reads<'_>, c: CustomerId, offset: usize, limit: usize) -> Result<(usize, TabRows)> {
    Ok((
        r.count_credit_items(c)?,
        TabRows::Credits(r.credit_items(c, offset, limit)?),
    ))
}

pub fn render(frame: &mut Frame, area: Rect, rows: &[CreditItem], w: &Window, app: &App, ui: &Ui) {
    let cur = &app.currency;
    let mut grid = Grid::new(&[
        col("Date", Kind::Fixed, 6),
        col("Source", Kind::Fixed, 6),
        col("Amount", Kind::Money, 9),
        col("Left", Kind::Money, 8),
        col("Went to", Kind::Text, 3),
    ]);
    for i in rows {
        let amount = i.entry.signed_amount();
        let left = i.left();
        grid.row(vec![
            i.entry.date.format("%Y-%m-%d").to_string().into(),
            i.what().into(),
            styled(cur.display(amount), ui.theme.balance(amount)),
            if left.is_zero() {
                styled(cur.display(left), ui.theme.dim())
            } else {
                styled(cur.display(left), ui.theme.good())
            },
            safe(&i.went_to()).into(),
        ]);
    }
    window_table(frame, area, grid, w, ui);
}
