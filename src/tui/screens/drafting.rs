//! The drafting screen (seed 002, "Draft An Invoice"): a customer's open
//! charges, oldest first; space picks charges, Enter drafts the picked ones,
//! `A` drafts all of them. Each goes through a confirm dialog.

use crate::tui::safe;
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::Line;
use ratatui::widgets::Paragraph;
use rust_decimal::Decimal;

use crate::tui::action::Command;
use crate::tui::component::{Component, Cx, movement};
use crate::tui::effect::Effect;
use crate::tui::invoicing::DraftView;
use crate::tui::keymap::Context;
use crate::tui::shared::Shared;
use crate::tui::ui::Scene;
use crate::tui::ui::{Ui, status_line, title_bar, window_table};
use crate::tui::view::Status;
use crate::tui::widgets::columns::{Grid, Kind, col};
use crate::tui::widgets::invoice::{CHARGE_COLUMNS, charge_cells};

impl Component for DraftView {
    fn context(&self) -> Context {
        Context::Drafting
    }

    fn handle(&mut self, c: Command, cx: &mut Cx) -> bool {
        let rows = rows(cx.shared.size.1);
        if let Some(delta) = movement(c, rows) {
            self.window.step(delta, rows);
            return true;
        }
        match c {
            Command::ToggleMark => self.toggle_mark(cx),
            Command::DraftAll => self.confirm_draft(true, cx),
            Command::Open => self.confirm_draft(false, cx),
            _ => return false,
        }
        true
    }

    fn sync(&mut self, shared: &Shared) -> Vec<Effect> {
        DraftView::sync(self, shared).into_iter().collect()
    }

    fn book_changed(&mut self) {
        self.window.loaded = None;
    }

    fn render(
        &self,
        frame: &mut Frame,
        area: Rect,
        shared: &Shared,
        status: Option<&Status>,
        ui: &Ui,
    ) {
        let scene = Scene {
            view: self,
            shared,
            status,
        };
        render(frame, area, &scene, ui);
    }
}

/// Title, customer line, table, selection summary, status.
pub fn layout(area: Rect) -> [Rect; 5] {
    Layout::vertical([
        Constraint::Length(1),
        Constraint::Length(1),
        Constraint::Min(1),
        Constraint::Length(1),
        Constraint::Length(1),
    ])
    .areas(area)
}

const TABLE: usize = 2;

/// Rows of the table body at a terminal `height`: the table's area in
/// [`layout`] less its header line. Paging uses this, so a page is what
/// is drawn.
pub fn rows(height: u16) -> usize {
    let area = Rect::new(0, 0, 1, height);
    usize::from(layout(area)[TABLE].height.saturating_sub(1)).max(1)
}

pub fn render(frame: &mut Frame, area: Rect, sc: &Scene<DraftView>, ui: &Ui) {
    let [title, info, table, summary, status] = layout(area);
    let d = sc.view;
    let name = safe(&d.name);
    title_bar(
        frame,
        title,
        &format!("Customers / {name} / Draft an invoice"),
        &format!("customer {}", d.customer),
        ui,
    );
    let k = |c| ui.keymap.key_in(Context::Drafting, c);
    frame.render_widget(
        Paragraph::new(Line::styled(
            format!(
                " {}, oldest first. Pick the ones to invoice, or draft them all.",
                crate::tui::plural(d.window.count, "open charge")
            ),
            ui.theme.dim(),
        )),
        info,
    );
    let cur = &sc.shared.currency;
    if d.loaded_once && d.window.count == 0 {
        frame.render_widget(
            Paragraph::new(vec![
                Line::raw(""),
                Line::raw("No open charges: every charge is already on an invoice."),
            ])
            .centered(),
            table,
        );
    } else {
        // The invoice's own columns, after a mark for picking.
        let mut cols = vec![col("", Kind::Fixed, 8)];
        cols.extend(CHARGE_COLUMNS);
        let mut grid = Grid::new(&cols);
        for e in &d.rows {
            let mark = if d.picked.contains_key(&e.id) {
                "[x]"
            } else {
                "[ ]"
            };
            let mut cells = vec![mark.into()];
            cells.extend(charge_cells(e, cur));
            grid.row(cells);
        }
        window_table(frame, table, grid, &d.window, ui);
    }
    let picked: Decimal = d.picked.values().sum();
    frame.render_widget(
        Paragraph::new(Line::styled(
            format!(
                " Selected {} · {}",
                crate::tui::plural(d.picked.len(), "charge"),
                cur.display(picked)
            ),
            ui.theme.header(),
        )),
        summary,
    );
    let hints = vec![
        (k(Command::ToggleMark), "select"),
        (k(Command::Open), "draft selected"),
        (k(Command::DraftAll), "draft all"),
        (k(Command::Back), "back"),
        (k(Command::Help), "help"),
    ];
    status_line(frame, status, sc.status, &hints, ui);
}
