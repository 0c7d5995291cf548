//! The Documents tab (seed 004): files kept with the customer, newest
//! first. `n` attaches one (the form shows what it will store before
//! saving), `x` writes a copy out, `d` removes one after asking.

use ratatui::Frame;
use ratatui::layout::Rect;

use super::TabRows;
use crate::domain::CustomerId;
use crate::domain::document::{Document, human_size};
use crate::store::{Reads, Result};
use crate::tui::safe;
use crate::tui::ui::{Ui, window_table};
use crate::tui::widgets::columns::{Grid, Kind, col};
use crate::tui::window::Window;

pub const EMPTY: &str = "No documents yet. Press {AttachDocument} to attach a file.";

pub fn load(r: &Reads<'_>, c: CustomerId, offset: usize, limit: usize) -> Result<(usize, TabRows)> {
    Ok((
        r.count_documents(c)?,
        TabRows::Documents(r.documents(c, offset, limit)?),
    ))
}

pub fn render(frame: &mut Frame, area: Rect, rows: &[Document], w: &Window, ui: &Ui) {
    let mut grid = Grid::new(&[
        col("Added", Kind::Fixed, 6),
        col("Name", Kind::Text, 5),
        col("Type", Kind::Text, 3),
        col("Size", Kind::Fixed, 4),
    ]);
    for d in rows {
        grid.row(vec![
            d.created_at.format("%Y-%m-%d").to_string().into(),
            safe(&d.name).into(),
            safe(&d.kind).into(),
            human_size(d.size).into(),
        ]);
    }
    window_table(frame, area, grid, w, ui);
}

/// One document in full, for Enter.
pub fn note(d: &Document) -> (String, String) {
    let lines = [
        d.name.clone(),
        format!("Type: {}", d.kind),
        format!("Size: {} ({} bytes)", human_size(d.size), d.size),
        format!("Added: {}", d.created_at.format("%Y-%m-%d %H:%M UTC")),
    ];
    (format!("Document #{}", d.id), lines.join("\n"))
}
