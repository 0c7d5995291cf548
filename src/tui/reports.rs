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
use super::app::{App, CustomerView};
use super::effect::Effect;
use super::view::Screen;
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
}

/// Rows a report table gets: the collections screen's layout, which the
/// aging screen's matches (a test holds them equal).
pub use super::screens::collections::rows as report_rows;

impl App {
    pub(super) fn report_command(&mut self, c: Command) {
        let screen = match c {
            Command::Aging => Screen::Aging,
            Command::Collections => Screen::Collections,
            _ => Screen::Glance,
        };
        self.screen = screen;
        self.reports.stale = true;
    }

    /// The selected aging row or overdue invoice's customer, to open.
    pub(super) fn open_report_row(&mut self) {
        let id = match self.screen {
            Screen::Aging => {
                let v = &self.reports.aging;
                v.rows.get(v.window.selected).map(|r| CustomerId(r.id))
            }
            Screen::Collections => {
                let v = &self.reports.collections;
                v.rows
                    .get(v.window.selected)
                    .map(|r| CustomerId(r.customer))
            }
            _ => None,
        };
        if let Some(id) = id {
            let mut view = CustomerView::new(id);
            view.return_to = self.screen;
            self.customer = Some(view);
            self.screen = Screen::Customer;
        }
    }

    pub(super) fn cycle_aging_sort(&mut self) {
        let v = &mut self.reports.aging;
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
        self.info(&format!("Sorted by {label}"));
    }

    /// `m` on the collections screen: copy the reminder for the selected
    /// invoice's customer, then move to the next invoice.
    pub(super) fn remind_from_collections(&mut self) {
        let v = &mut self.reports.collections;
        let Some(row) = v.rows.get(v.window.selected) else {
            return self.error("Nothing is overdue: there is nobody to remind");
        };
        self.pending.push(Effect::Remind(CustomerId(row.customer)));
        let rows = report_rows(self.shared.size.1);
        v.window.step(1, rows);
    }

    /// `L` emails the selected customer a reminder now; `K` skips the
    /// scheduled steps their late invoices have reached. Both need mail.
    pub(super) fn collections_mail(&mut self, c: Command) {
        if !self.shared.mail {
            return self.error(
                "Mail is not set up: add a [mail] section to the config (see config.example.toml)",
            );
        }
        let v = &self.reports.collections;
        let Some(row) = v.rows.get(v.window.selected) else {
            return self.error("Nothing is overdue: there is nobody to remind");
        };
        let id = CustomerId(row.customer);
        self.pending.push(match c {
            Command::EmailReminder => Effect::EmailReminder(id),
            _ => Effect::SkipReminders(id),
        });
    }

    pub(super) fn report_loaded(&mut self, data: ReportData) {
        let rows = report_rows(self.shared.size.1);
        match data {
            ReportData::Aging(day, mut list) => {
                let v = &mut self.reports.aging;
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
                let v = &mut self.reports.collections;
                let keep: Option<InvoiceId> = v.rows.get(v.window.selected).map(|r| r.invoice);
                v.rows = list;
                v.loaded = true;
                v.window.count = v.rows.len();
                if let Some(pos) = keep.and_then(|id| v.rows.iter().position(|r| r.invoice == id)) {
                    v.window.selected = pos;
                }
                v.window.reveal(rows);
            }
            ReportData::Glance(g) => self.reports.glance = Some(g),
        }
    }

    /// The report the screen shows, when it needs reading.
    pub(super) fn sync_report(&mut self) -> Option<Effect> {
        let kind = match self.screen {
            Screen::Aging => ReportKind::Aging,
            Screen::Collections => ReportKind::Collections,
            Screen::Glance => ReportKind::Glance,
            _ => return None,
        };
        let rows = report_rows(self.shared.size.1);
        self.reports.aging.window.reveal(rows);
        self.reports.collections.window.reveal(rows);
        std::mem::take(&mut self.reports.stale).then_some(Effect::LoadReport(kind))
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
