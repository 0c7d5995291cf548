//! The Timeline tab: every change to the customer, newest first: when, who,
//! what, and the before → after detail.

use ratatui::Frame;
use ratatui::layout::Rect;

use super::TabRows;
use crate::domain::CustomerId;
use crate::domain::timeline::TimelineEvent;
use crate::store::{Reads, Result};
use crate::tui::safe;
use crate::tui::ui::{Ui, window_table};
use crate::tui::widgets::columns::{Grid, Kind, col};
use crate::tui::window::Window;

pub const EMPTY: &str = "Nothing has happened to this customer yet.";

pub fn load(r: &Reads<'_>, c: CustomerId, offset: usize, limit: usize) -> Result<(usize, TabRows)> {
    Ok((
        r.count_timeline(c)?,
        TabRows::Timeline(r.timeline(c, offset, limit)?),
    ))
}

pub fn render(frame: &mut Frame, area: Rect, rows: &[TimelineEvent], w: &Window, ui: &Ui) {
    let mut grid = Grid::new(&[
        col("When (UTC)", Kind::Fixed, 7),
        col("Who", Kind::Fixed, 3),
        col("What", Kind::Fixed, 5),
        col("Detail", Kind::Text, 6),
    ]);
    for e in rows {
        grid.row(vec![
            e.at.format("%Y-%m-%d %H:%M").to_string().into(),
            safe(&e.actor).into(),
            safe(&e.action).into(),
            safe(&e.detail).into(),
        ]);
    }
    window_table(frame, area, grid, w, ui);
}

/// One event in full, for Enter.
pub fn note(e: &TimelineEvent) -> (String, String) {
    (
        format!("{} · {}", e.at.format("%Y-%m-%d %H:%M UTC"), e.actor),
        format!("{}\n\n{}", e.action, e.detail),
    )
}
