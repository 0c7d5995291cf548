//! The Sub-clients tab (seed 003 parent-child), shown only for a parent:
//! each sub-client with its balance and whether it is billed to the
//! parent; the combined total is on the tab line. Enter opens one.

use ratatui::Frame;
use ratatui::layout::Rect;

use super::TabRows;
use crate::domain::{Customer, CustomerId};
use crate::store::{Reads, Result};
use crate::tui::safe;
use crate::tui::shared::Shared;
use crate::tui::ui::{Ui, window_table};
use crate::tui::widgets::columns::{Grid, Kind, col, styled};
use crate::tui::window::Window;

pub const EMPTY: &str = "No sub-clients.";

pub fn load(r: &Reads<'_>, c: CustomerId, offset: usize, limit: usize) -> Result<(usize, TabRows)> {
    let (count, _) = r.sub_client_totals(c)?;
    Ok((count, TabRows::SubClients(r.sub_clients(c, offset, limit)?)))
}

pub fn render(
    frame: &mut Frame,
    area: Rect,
    rows: &[Customer],
    w: &Window,
    shared: &Shared,
    ui: &Ui,
) {
    let cur = &shared.currency;
    let mut grid = Grid::new(&[
        col("ID", Kind::Fixed, 3),
        col("Name", Kind::Text, 4),
        col("Billed to", Kind::Fixed, 5),
        col("Balance", Kind::Money, 9),
    ]);
    for c in rows {
        grid.row(vec![
            c.id.to_string().into(),
            safe(&c.name).into(),
            if c.bill_to_parent {
                "parent"
            } else {
                "themselves"
            }
            .into(),
            styled(cur.display(c.balance), ui.theme.balance(c.balance)),
        ]);
    }
    window_table(frame, area, grid, w, ui);
}
