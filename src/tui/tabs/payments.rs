//! The Payments tab: every payment received, newest first, with how much
//! of it is applied (or refunded) and which invoices it paid.

use ratatui::Frame;
use ratatui::layout::Rect;

use super::TabRows;
use crate::domain::CustomerId;
use crate::store::{Payment, Reads, Result};
use crate::tui::safe;
use crate::tui::shared::Shared;
use crate::tui::ui::{Ui, window_table};
use crate::tui::widgets::columns::{Grid, Kind, col, styled};
use crate::tui::window::Window;

pub const EMPTY: &str =
    "No payments yet. Record one with {MarkPaid} on an invoice, or {AddEntry} for a credit.";

pub fn load(r: &Reads<'_>, c: CustomerId, offset: usize, limit: usize) -> Result<(usize, TabRows)> {
    Ok((
        r.count_payments(c)?,
        TabRows::Payments(r.payments(c, offset, limit)?),
    ))
}

pub fn render(
    frame: &mut Frame,
    area: Rect,
    rows: &[Payment],
    w: &Window,
    shared: &Shared,
    ui: &Ui,
) {
    let cur = &shared.currency;
    // Invoice numbers show whole or not at all: a cut number is another
    // invoice. Enter shows every field of a payment.
    let mut grid = Grid::new(&[
        col("Date", Kind::Fixed, 6),
        col("Amount", Kind::Money, 9),
        col("Status", Kind::Fixed, 7),
        col("Invoices", Kind::Fixed, 4),
        col("Method", Kind::Fixed, 3),
        col("Reference", Kind::Text, 2),
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
            styled(status, style),
            p.invoices.join(", ").into(),
            p.entry.method.map(|m| m.as_str()).unwrap_or("").into(),
            safe(p.entry.reference.as_deref().unwrap_or("")).into(),
        ]);
    }
    window_table(frame, area, grid, w, ui);
}

/// One payment in full, for Enter.
pub fn note(p: &Payment, cur: &crate::domain::Currency) -> (String, String) {
    let e = &p.entry;
    let mut lines = vec![
        format!(
            "{} received on {}",
            cur.display(e.amount),
            e.date.format("%Y-%m-%d")
        ),
        format!("Method: {}", e.method.map(|m| m.as_str()).unwrap_or("-")),
        format!("Reference: {}", e.reference.as_deref().unwrap_or("-")),
        format!("Status: {}", p.status()),
        format!("Applied to invoices: {}", cur.display(p.applied)),
    ];
    if !p.refunded.is_zero() {
        lines.push(format!("Refunded: {}", cur.display(p.refunded)));
    }
    if !p.transferred.is_zero() {
        lines.push(format!(
            "Transferred to another customer: {}",
            cur.display(p.transferred)
        ));
    }
    if !p.invoices.is_empty() {
        lines.push(format!("Paid: {}", p.invoices.join(", ")));
    }
    if !e.description.is_empty() {
        lines.push(format!("Description: {}", e.description));
    }
    (format!("Payment #{}", e.id), lines.join("\n"))
}
