//! The Credits tab (seed 003 "Credit operations"): every credit with where
//! it came from, what used it and what is left, and every refund and
//! transfer out, newest first. Refund (`r`) and transfer (`t`) start here.

use ratatui::Frame;
use ratatui::layout::Rect;

use super::TabRows;
use crate::domain::CustomerId;
use crate::store::{CreditItem, Reads, Result};
use crate::tui::safe;
use crate::tui::shared::Shared;
use crate::tui::ui::{Ui, window_table};
use crate::tui::widgets::columns::{Grid, Kind, col, styled};
use crate::tui::window::Window;

pub const EMPTY: &str = "No credits yet: payments, credit memos and voids show here.";

pub fn load(r: &Reads<'_>, c: CustomerId, offset: usize, limit: usize) -> Result<(usize, TabRows)> {
    Ok((
        r.count_credit_items(c)?,
        TabRows::Credits(r.credit_items(c, offset, limit)?),
    ))
}

pub fn render(
    frame: &mut Frame,
    area: Rect,
    rows: &[CreditItem],
    w: &Window,
    shared: &Shared,
    ui: &Ui,
) {
    let cur = &shared.currency;
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

/// One credit or payout in full, for Enter.
pub fn note(i: &CreditItem, cur: &crate::domain::Currency) -> (String, String) {
    let e = &i.entry;
    let mut lines = vec![format!(
        "{} · {} on {}",
        i.what(),
        cur.display(e.signed_amount()),
        e.date.format("%Y-%m-%d")
    )];
    if i.source().is_some() {
        lines.push(format!("Applied to invoices: {}", cur.display(i.applied)));
        lines.push(format!(
            "Refunded or transferred: {}",
            cur.display(i.paid_out)
        ));
        lines.push(format!("Left: {}", cur.display(i.left())));
    }
    let went = i.went_to();
    if !went.is_empty() {
        lines.push(format!("Went to: {went}"));
    }
    if let Some(m) = e.method {
        lines.push(format!("Method: {}", m.as_str()));
    }
    if let Some(r) = &e.reference {
        lines.push(format!("Reference: {r}"));
    }
    if !e.description.is_empty() {
        lines.push(format!("Description: {}", e.description));
    }
    (format!("{} #{}", e.label(), e.id), lines.join("\n"))
}
