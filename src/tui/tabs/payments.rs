//! The Payments tab: every payment received, newest first, with how much
//! of it is applied (or refunded) and which invoices it paid.

use ratatui::Frame;
use ratatui::layout::Rect;

use super::TabRows;
use crate::domain::CustomerId;
use crate::store::{Payment, Reads, Result};
use crate::tui::app::{App, Window};
use crate::tui::safe;
use crate::tui::ui::{Ui, window_table};
use crate::tui::widgets::columns::{Grid, Kind, col, styled};

pub const EMPTY: &str =
    "No payments yet. Record one with {MarkPaid} on an invoice, or {AddEntry} for a credit.";

pub fn load(r: &Reads<'_>, c: CustomerId, offset: usize, limit: usize) -> Result<(usize, TabRows)> {
    Ok((
        r.count_payments(c)?,
        TabRows::Payments(r.payments(c, offset, limit)?),
    ))
}

pub fn render(frame: &mut Frame, area: Rect, rows: &[Payment], w: &Window, app: &App, ui: &Ui) {
    let cur = &app.currency;
    let mut grid = Grid::new(&[
        col("Date", Kind::Fixed, 6),
        col("Amount", Kind::Money, 9),
        col("Method", Kind::Fixed, 4),
        col("Reference", Kind::Text, 2),
        col("Status", Kind::Fixed, 7),
        col("Invoices", Kind::Text, 3),
    ]);
    for p in rows {
        let status = p.status();
        let style = match status {
            "applied" => ui.theme.good(),
            "unapplied" => ui.theme.error(),
            _ => ratatui::style::Style::default(),
        };
        grid.row(vec![
            p.entry.date.format("%Y-%m-%d").to_string().into(),
            cur.display(p.entry.amount).into(),
            p.entry.method.map(|m| m.as_str()).unwrap_or("").into(),
            safe(p.entry.reference.as_deref().unwrap_or("")).into(),
            styled(status, style),
            p.invoices.join(", ").into(),
        ]);
    }
    window_table(frame, area, grid, w, ui);
}
