//! The Contacts tab (seed 004): the people to reach at a customer, the
//! primary one first (the reminder text greets them).

use ratatui::Frame;
use ratatui::layout::Rect;

use super::TabRows;
use crate::domain::CustomerId;
use crate::domain::contact::Contact;
use crate::store::{Reads, Result};
use crate::tui::safe;
use crate::tui::ui::{Ui, window_table};
use crate::tui::widgets::columns::{Grid, Kind, col, styled};
use crate::tui::window::Window;

pub const EMPTY: &str = "No contacts yet. Press {NewContact} to add one.";

pub fn load(r: &Reads<'_>, c: CustomerId, offset: usize, limit: usize) -> Result<(usize, TabRows)> {
    Ok((
        r.count_contacts(c)?,
        TabRows::Contacts(r.contacts(c, offset, limit)?),
    ))
}

pub fn render(frame: &mut Frame, area: Rect, rows: &[Contact], w: &Window, ui: &Ui) {
    let mut grid = Grid::new(&[
        col("", Kind::Fixed, 9),
        col("Name", Kind::Text, 3),
        col("Role", Kind::Text, 2),
        col("Email", Kind::Text, 3),
        col("Phone", Kind::Fixed, 4),
    ]);
    let opt = |s: &Option<String>| safe(s.as_deref().unwrap_or(""));
    for c in rows {
        let d = &c.details;
        grid.row(vec![
            if d.primary {
                styled("primary", ui.theme.good())
            } else {
                "".into()
            },
            safe(&d.name).into(),
            opt(&d.role).into(),
            opt(&d.email).into(),
            opt(&d.phone).into(),
        ]);
    }
    window_table(frame, area, grid, w, ui);
}

/// One contact in full, for Enter.
pub fn note(c: &Contact) -> (String, String) {
    let d = &c.details;
    let opt = |s: &Option<String>| s.clone().unwrap_or_else(|| "-".into());
    let lines = [
        format!("{}{}", d.name, if d.primary { " (primary)" } else { "" }),
        format!("Role: {}", opt(&d.role)),
        format!("Email: {}", opt(&d.email)),
        format!("Phone: {}", opt(&d.phone)),
    ];
    (format!("Contact #{}", c.id), lines.join("\n"))
}
