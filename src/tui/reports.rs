//! The report screens reached from the customer list: receivables aging
//! (`A`), collections (`O`) and the month at a glance (`M`). Pure state
//! changes; `effects` reads the reports through `ops`.
//!
//! Invariants: each screen holds its whole report, read in one snapshot,
//! so moving and sorting never touch the book; a report is read again
//! only when it is opened or the book changed, keeping the selection on
//! the same customer (aging) or invoice (collections).

use chrono::NaiveDate;

use super::action::Command;
use ratatui::Frame;
use ratatui::layout::Rect;

use super::component::{Component, Cx, Nav, movement};
use super::effect::Effect;
use super::keymap::Context;
use super::shared::Shared;
use super::ui::{Scene, Ui};
use super::view::Screen;
use super::view::Status;
use super::window::Window;
use crate::domain::CustomerId;
use crate::domain::InvoiceId;
use crate::ops::{AgingSort, Glance, aging_totals};
use crate::store::{AgingRow, OverdueRow};

/// Which report a screen shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReportKind {
    Aging,
    Collections,
    Glance,
}

/// A report as read for its screen.
#[derive(Debug, Clone, PartialEq)]
pub enum ReportData {
    Aging(NaiveDate, Vec<AgingRow>),
    Collections(Vec<OverdueRow>),
    Glance(Glance),
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct AgingView {
    pub as_of: Option<NaiveDate>,
    pub rows: Vec<AgingRow>,
    pub totals: AgingRow,
    pub sort: AgingSort,
    pub window: Window,
    pub loaded: bool,
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct CollectionsView {
    pub rows: Vec<OverdueRow>,
    pub window: Window,
    pub loaded: bool,
}

/// The report screens' state; each is kept once opened, so coming back
/// from a customer shows it at once while it is read again.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Reports {
    pub aging: AgingView,
    pub collections: CollectionsView,
    pub glance: Option<Glance>,
    /// Read again at the next sync (opened, or the book changed).
    pub(super) stale: bool,
    /// Which of them is on show.
    pub shown: Option<Screen>,
}

impl Component for Reports {
    fn context(&self) -> Context {
        match self.shown {
            Some(Screen::Aging) => Context::Aging,
            Some(Screen::Collections) => Context::Collections,
            _ => Context::Glance,
        }
    }

    fn handle(&mut self, c: Command, cx: &mut Cx) -> bool {
        let Some(screen) = self.shown else {
            return false;
        };
        let rows = report_rows(cx.shared.size.1);
        let window = match screen {
            Screen::Aging => Some(&mut self.aging.window),
            Screen::Collections => Some(&mut self.collections.window),
            _ => None,
        };
        if let Some(d) = movement(c, rows) {
            if let Some(w) = window {
                w.step(d, rows);
            }
            return true;
        }
        match (screen, c) {
            (Screen::Aging, Command::CycleSort) => self.cycle_aging_sort(cx),
            (Screen::Aging | Screen::Collections, Command::Open) => self.open_row(screen, cx),
            (Screen::Collections, Command::CopyReminder) => self.remind_from_collections(cx),
            (Screen::Collections, Command::EmailReminder | Command::SkipReminders) => {
                self.collections_mail(c, cx)
            }
            _ => return false,
        }
        true
    }

    fn sync(&mut self, shared: &Shared) -> Vec<Effect> {
        match self.shown {
            Some(screen) => Reports::sync(self, screen, shared).into_iter().collect(),
            None => Vec::new(),
        }
    }

    fn book_changed(&mut self) {
        self.stale = true;
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
        match self.shown {
            Some(Screen::Aging) => super::screens::aging::render(frame, area, &scene, ui),
            Some(Screen::Collections) => {
                super::screens::collections::render(frame, area, &scene, ui)
            }
            _ => super::screens::glance::render(frame, area, &scene, ui),
        }
    }
}

/// Rows a report table gets: the collections screen's layout, which the
/// aging screen's matches (a test holds them equal).
pub use super::screens::collections::rows as report_rows;

impl Reports {
    /// `A`, `O`, `M`: the report screen to show; its data is read again.
    pub(super) fn report_command(&mut self, c: Command, cx: &mut Cx) {
        let screen = match c {
            Command::Aging => Screen::Aging,
            Command::Collections => Screen::Collections,
            _ => Screen::Glance,
        };
        self.stale = true;
        cx.go(Nav::Report(screen));
    }

    /// Enter on `screen`: the selected aging row or overdue invoice's
    /// customer, opened with Esc coming back here.
    pub(super) fn open_row(&self, screen: Screen, cx: &mut Cx) {
        let id = match screen {
            Screen::Aging => {
                let v = &self.aging;
                v.rows.get(v.window.selected).map(|r| CustomerId(r.id))
            }
            Screen::Collections => {
                let v = &self.collections;
                v.rows
                    .get(v.window.selected)
                    .map(|r| CustomerId(r.customer))
            }
            _ => None,
        };
        if let Some(id) = id {
            cx.go(Nav::Customer { id, from: screen });
        }
    }

    pub(super) fn cycle_aging_sort(&mut self, cx: &mut Cx) {
        let v = &mut self.aging;
        let keep = v.rows.get(v.window.selected).map(|r| r.id);
        v.sort = v.sort.next();
        v.sort.sort(&mut v.rows);
        v.window.selected = keep
            .and_then(|id| v.rows.iter().position(|r| r.id == id))
            .unwrap_or(0);
        let label = match v.sort {
            AgingSort::Name => "name".to_string(),
            s => format!("{}, largest first", s.name()),
        };
        cx.info(&format!("Sorted by {label}"));
    }

    /// `m` on the collections screen: copy the reminder for the selected
    /// invoice's customer, then move to the next invoice.
    pub(super) fn remind_from_collections(&mut self, cx: &mut Cx) {
        let v = &mut self.collections;
        let Some(row) = v.rows.get(v.window.selected) else {
            return cx.error("Nothing is overdue: there is nobody to remind");
        };
        cx.run(Effect::Remind(CustomerId(row.customer)));
        let rows = report_rows(cx.shared.size.1);
        v.window.step(1, rows);
    }

    /// `L` emails the selected customer a reminder now; `K` skips the
    /// scheduled steps their late invoices have reached. Both need mail.
    pub(super) fn collections_mail(&self, c: Command, cx: &mut Cx) {
        if !cx.shared.mail {
            return cx.error(
                "Mail is not set up: add a [mail] section to the config (see config.example.toml)",
            );
        }
        let v = &self.collections;
        let Some(row) = v.rows.get(v.window.selected) else {
            return cx.error("Nothing is overdue: there is nobody to remind");
        };
        let id = CustomerId(row.customer);
        cx.run(match c {
            Command::EmailReminder => Effect::EmailReminder(id),
            _ => Effect::SkipReminders(id),
        });
    }

    /// A report's data arrived.
    pub(super) fn loaded(&mut self, data: ReportData, shared: &Shared) {
        let rows = report_rows(shared.size.1);
        match data {
            ReportData::Aging(day, mut list) => {
                let v = &mut self.aging;
                let keep = v.rows.get(v.window.selected).map(|r| r.id);
                v.sort.sort(&mut list);
                v.totals = aging_totals(&list);
                v.as_of = Some(day);
                v.rows = list;
                v.loaded = true;
                v.window.count = v.rows.len();
                if let Some(pos) = keep.and_then(|id| v.rows.iter().position(|r| r.id == id)) {
                    v.window.selected = pos;
                }
                v.window.reveal(rows);
            }
            ReportData::Collections(list) => {
                let v = &mut self.collections;
                let keep: Option<InvoiceId> = v.rows.get(v.window.selected).map(|r| r.invoice);
                v.rows = list;
                v.loaded = true;
                v.window.count = v.rows.len();
                if let Some(pos) = keep.and_then(|id| v.rows.iter().position(|r| r.invoice == id)) {
                    v.window.selected = pos;
                }
                v.window.reveal(rows);
            }
            ReportData::Glance(g) => self.glance = Some(g),
        }
    }

    /// The report `screen` shows, when it needs reading.
    pub(super) fn sync(&mut self, screen: Screen, shared: &Shared) -> Option<Effect> {
        let kind = match screen {
            Screen::Aging => ReportKind::Aging,
            Screen::Collections => ReportKind::Collections,
            Screen::Glance => ReportKind::Glance,
            _ => return None,
        };
        let rows = report_rows(shared.size.1);
        self.aging.window.reveal(rows);
        self.collections.window.reveal(rows);
        std::mem::take(&mut self.stale).then_some(Effect::LoadReport(kind))
    }
}

#[cfg(test)]
mod tests {
    /// The report screens page by one size, which must be what each draws.
    #[test]
    fn aging_and_collections_draw_the_rows_they_page_by() {
        for h in 0..200 {
            assert_eq!(
                super::super::screens::aging::rows(h),
                super::report_rows(h),
                "{h}"
            );
        }
    }
}
