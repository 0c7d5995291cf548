//! The Contracts tab (seed 004): the customer's agreements, newest first,
//! with their status and what each has billed so far. `C` makes one from
//! any tab of the customer screen.

use ratatui::Frame;
use ratatui::layout::Rect;

use super::TabRows;
use crate::domain::CustomerId;
use crate::domain::contract::Contract;
use crate::store::{Reads, Result};
use crate::tui::safe;
use crate::tui::shared::Shared;
use crate::tui::ui::{Ui, window_table};
use crate::tui::widgets::columns::{Grid, Kind, col};
use crate::tui::window::Window;

pub const EMPTY: &str = "No contracts yet. Press {NewContract} to make one.";

/// A contract with how many periods it has charged and their total.
pub type ContractRow = (Contract, usize, rust_decimal::Decimal);

pub fn load(r: &Reads<'_>, c: CustomerId, offset: usize, limit: usize) -> Result<(usize, TabRows)> {
    let mut rows = Vec::new();
    for contract in r.contracts(Some(c), offset, limit)? {
        let (n, total) = r.contract_billed(contract.id)?;
        rows.push((contract, n, total));
    }
    Ok((r.count_contracts(c)?, TabRows::Contracts(rows)))
}

pub fn render(
    frame: &mut Frame,
    area: Rect,
    rows: &[ContractRow],
    w: &Window,
    shared: &Shared,
    ui: &Ui,
) {
    let cur = &shared.currency;
    let mut grid = Grid::new(&[
        col("Name", Kind::Text, 5),
        col("Every", Kind::Fixed, 4),
        col("Value", Kind::Money, 9),
        col("Start", Kind::Fixed, 6),
        col("End", Kind::Fixed, 3),
        col("Status", Kind::Fixed, 7),
        col("Billed", Kind::Money, 8),
    ]);
    for (c, _, billed) in rows {
        grid.row(vec![
            safe(&c.name).into(),
            c.every.map_or("one-time", |e| e.as_str()).into(),
            cur.display(c.value).into(),
            c.start.to_string().into(),
            c.end.map_or("-".to_string(), |e| e.to_string()).into(),
            c.status(shared.today).into(),
            cur.display(*billed).into(),
        ]);
    }
    window_table(frame, area, grid, w, ui);
}
