//! The customers screen: everyone with their balance, whoever owes the most
//! first; search, sort, totals.

use crate::domain::{Customer, CustomerId, CustomerSort};
use crate::store::{COUNT_CAP, Counting, CustomerQuery, Keep, Totals};
use crate::tui::action::ListPage;
use crate::tui::component::{Component, Cx, Nav, movement};
use crate::tui::effect::Effect;
use crate::tui::safe;
use crate::tui::shared::Shared;
use crate::tui::view::{Screen, Status};
use crate::tui::window::Window;
use chrono::Local;
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use crate::tui::action::Command;
use crate::tui::keymap::Context;
use crate::tui::ui::Scene;
use crate::tui::ui::{Ui, status_line, title_bar, window_table};
use crate::tui::widgets::columns::{Grid, Kind, col, fit_parts, styled};

/// The customer list's state: the search, the sort, the visible window
/// of rows and the book-wide totals; what to count or keep in view next.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ListView {
    pub sort: CustomerSort,
    pub search: String,
    pub searching: bool,
    pub window: Window,
    pub rows: Vec<Customer>,
    pub totals: Option<Totals>,
    /// The first load has answered (so an empty list really is empty).
    pub loaded_once: bool,
    /// `window.count` is every row, not only as many as were counted.
    pub count_exact: bool,
    pub(crate) need_count: Option<Counting>,
    /// End was pressed before the list was counted to its end.
    pub(crate) end_pending: bool,
    pub(crate) need_totals: bool,
    pub(crate) keep: Option<Keep>,
    /// The customer a re-sort kept in view without counting where they
    /// stand: `window`'s offset is provisional until [`Action::Idle`].
    pub(crate) unlocated: Option<CustomerId>,
}

impl ListView {
    /// A window of rows (and any count and totals asked for) arrived.
    pub(crate) fn loaded(&mut self, page: ListPage, shared: &Shared) {
        self.loaded_once = true;
        if let Some(c) = page.count {
            self.window.count = c.rows;
            self.count_exact = c.exact;
            if c.exact && std::mem::take(&mut self.end_pending) {
                self.window.selected = c.rows.saturating_sub(1);
            }
        }
        // The store may have moved the page to show the kept customer.
        self.window.loaded = self.window.loaded.map(|(_, limit)| (page.offset, limit));
        if let Some(t) = page.totals {
            self.totals = Some(t);
        }
        self.rows = page.rows;
        self.window.offset = page.offset;
        if let Some(pos) = page.select {
            self.window.selected = pos;
            self.unlocated = None;
        } else if let Some((id, at)) = page.anchored {
            self.window.selected = page.offset + at;
            self.unlocated = Some(id);
        }
        self.window.reveal(rows(shared.size.1));
    }

    /// The load the list needs (when `shown`): rows its window lacks, or
    /// a count, the totals or a kept customer asked for.
    pub(crate) fn wanted(&mut self, shown: bool, shared: &Shared) -> Option<Effect> {
        let rows = rows(shared.size.1);
        self.window.reveal(rows);
        if !shown {
            return None;
        }
        let (offset, limit) = self.window.wants(rows).or_else(|| {
            (self.need_count.is_some() || self.keep.is_some()).then_some((self.window.offset, rows))
        })?;
        self.window.loaded = Some((offset, limit));
        Some(Effect::LoadList {
            query: CustomerQuery {
                sort: self.sort,
                search: Some(self.search.clone()).filter(|s| !s.trim().is_empty()),
                offset,
                limit,
            },
            count: self.need_count.take(),
            totals: std::mem::take(&mut self.need_totals),
            keep: self.keep.take(),
        })
    }

    /// Counts where the customer a re-sort kept stands, keeping them on
    /// the screen row they are on: the window's offset becomes real.
    pub(crate) fn locate_kept(&mut self) {
        let Some(id) = self.unlocated.take() else {
            return;
        };
        if let Some(row) = self.rows.iter().position(|c| c.id == id) {
            self.keep = Some(Keep {
                id,
                row: Some(row),
                locate: true,
            });
        }
    }

    /// Moves the selection; near the end of a list counted only up to the
    /// cap, asks for the whole count (and End waits for it).
    pub(crate) fn step(&mut self, delta: isize, rows: usize) {
        self.window.step(delta, rows);
        if !self.count_exact && self.window.selected + 2 * rows >= self.window.count {
            self.need_count = Some(Counting::Exact);
            self.end_pending = delta >= isize::MAX / 4;
        }
    }

    /// `s`: the next order, read around the selected customer on the same
    /// screen row; counting where they now stand waits for a quiet moment.
    pub(crate) fn cycle_sort(&mut self, cx: &mut crate::tui::component::Cx) {
        self.sort = self.sort.next();
        let w = &self.window;
        let row = w.selected.saturating_sub(w.offset);
        self.keep = w
            .selected
            .checked_sub(w.offset)
            .and_then(|i| self.rows.get(i))
            .map(|c| Keep {
                id: c.id,
                row: Some(row),
                locate: false,
            });
        cx.info(&format!("Sorted by {}", self.sort.label()));
    }

    /// A new search text: from the top, counted again.
    pub(crate) fn set_search(&mut self, s: String) {
        if s != self.search {
            self.search = s;
            self.window = Window::default();
            self.need_count = Some(Counting::Capped);
            self.end_pending = false;
        }
    }
}

impl Component for ListView {
    fn context(&self) -> Context {
        if self.searching {
            Context::Search
        } else {
            Context::List
        }
    }

    fn handle(&mut self, c: Command, cx: &mut Cx) -> bool {
        let rows = rows(cx.shared.size.1);
        if let Some(delta) = movement(c, rows) {
            self.step(delta, rows);
            return true;
        }
        match c {
            Command::Search => self.searching = true,
            Command::CycleSort => self.cycle_sort(cx),
            Command::Open => {
                if let Some(c) = self.selected() {
                    cx.go(Nav::Customer {
                        id: c.id,
                        from: Screen::Customers,
                    });
                }
            }
            // Esc first leaves the search, then clears it.
            Command::Back if self.searching || !self.search.is_empty() => {
                self.searching = false;
                self.set_search(String::new());
            }
            _ => return false,
        }
        true
    }

    fn sync(&mut self, shared: &Shared) -> Vec<Effect> {
        self.wanted(true, shared).into_iter().collect()
    }

    fn book_changed(&mut self) {
        // A list scrolled towards a capped count's end is counted through.
        self.need_count = Some(if self.window.selected >= COUNT_CAP / 2 {
            Counting::Exact
        } else {
            Counting::Capped
        });
        self.need_totals = true;
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

impl ListView {
    /// The customer under the cursor.
    pub fn selected(&self) -> Option<&Customer> {
        self.rows
            .get(self.window.selected.checked_sub(self.window.offset)?)
    }
}

/// Title, table, totals, status.
pub fn layout(area: Rect) -> [Rect; 4] {
    Layout::vertical([
        Constraint::Length(1),
        Constraint::Min(1),
        Constraint::Length(1),
        Constraint::Length(1),
    ])
    .areas(area)
}

const TABLE: usize = 1;

/// Rows of the table body at a terminal `height`: the table's area in
/// [`layout`] less its header line. Paging uses this, so a page is what
/// is drawn.
pub fn rows(height: u16) -> usize {
    let area = Rect::new(0, 0, 1, height);
    usize::from(layout(area)[TABLE].height.saturating_sub(1)).max(1)
}

pub fn render(frame: &mut Frame, area: Rect, sc: &Scene<ListView>, ui: &Ui) {
    let [title, table, totals, status] = layout(area);
    let l = &sc.view;
    let right = if l.searching || !l.search.is_empty() {
        let cursor = if l.searching { "▏" } else { "" };
        format!("search: {}{cursor} · sort: {}", l.search, l.sort.label())
    } else {
        format!("sort: {}", l.sort.label())
    };
    title_bar(
        frame,
        title,
        &format!("tally · {}", sc.shared.business),
        &right,
        ui,
    );

    if l.loaded_once && l.window.count == 0 {
        empty(frame, table, sc, ui);
    } else {
        draw_rows(frame, table, sc, ui);
    }
    totals_line(frame, totals, sc, ui);
    let k = |c| ui.keymap.key_in(Context::List, c);
    let hints = if l.searching {
        vec![
            ("enter".into(), "keep filter"),
            ("esc".into(), "clear"),
            ("↑↓".into(), "move"),
        ]
    } else {
        vec![
            (k(Command::NewCustomer), "new"),
            (k(Command::Search), "search"),
            (k(Command::CycleSort), "sort"),
            (k(Command::Open), "open"),
            (k(Command::Help), "help"),
            (k(Command::Quit), "quit"),
            (k(Command::Aging), "aging"),
            (k(Command::Collections), "overdue"),
            (k(Command::Glance), "month"),
        ]
    };
    status_line(frame, status, sc.status, &hints, ui);
}

fn draw_rows(frame: &mut Frame, area: Rect, sc: &Scene<ListView>, ui: &Ui) {
    let l = &sc.view;
    let cur = &sc.shared.currency;
    let mut grid = Grid::new(&[
        col("Name", Kind::Text, 5),
        col("Email / Phone", Kind::Text, 2),
        col("Balance", Kind::Money, 9),
        col("Last activity", Kind::Fixed, 1),
    ]);
    for c in &l.rows {
        let contact = c
            .email
            .clone()
            .or_else(|| c.phone.clone())
            .unwrap_or_default();
        let balance = styled(cur.display(c.balance), ui.theme.balance(c.balance));
        let when = c
            .last_activity
            .with_timezone(&Local)
            .format("%Y-%m-%d")
            .to_string();
        grid.row(vec![
            safe(&c.name).into(),
            safe(&contact).into(),
            balance,
            when.into(),
        ]);
    }
    window_table(frame, area, grid, &l.window, ui);
}

fn empty(frame: &mut Frame, area: Rect, sc: &Scene<ListView>, ui: &Ui) {
    let k = |c| ui.keymap.key_in(Context::List, c);
    let lines = if sc.view.search.is_empty() {
        vec![
            Line::raw(""),
            Line::styled("Welcome to tally.", ui.theme.header()),
            Line::raw(""),
            Line::from(vec![
                Span::raw("Your book is empty. Press "),
                Span::styled(k(Command::NewCustomer), ui.theme.key()),
                Span::raw(" to add your first customer."),
            ]),
            Line::from(vec![
                Span::raw("Press "),
                Span::styled(k(Command::Help), ui.theme.key()),
                Span::raw(" for every key, "),
                Span::styled(k(Command::Quit), ui.theme.key()),
                Span::raw(" to quit."),
            ]),
            Line::raw(""),
            Line::styled(
                "To look around a sample book first: tally --demo",
                ui.theme.dim(),
            ),
        ]
    } else {
        vec![
            Line::raw(""),
            Line::raw(format!(
                "No customer matches \"{}\". Esc clears the search.",
                sc.view.search
            )),
        ]
    };
    frame.render_widget(Paragraph::new(lines).centered(), area);
}

fn totals_line(frame: &mut Frame, area: Rect, sc: &Scene<ListView>, ui: &Ui) {
    let Some(t) = &sc.view.totals else { return };
    let cur = &sc.shared.currency;
    let noun = if t.customers == 1 {
        "customer"
    } else {
        "customers"
    };
    let mut count = vec![Span::raw(format!("{} {noun}", t.customers))];
    if !sc.view.search.is_empty() {
        count.push(Span::styled(
            match sc.view.count_exact {
                true => format!(" ({} shown)", sc.view.window.count),
                // Counted only up to the cap: more match than that.
                false => format!(" ({}+ shown)", sc.view.window.count.saturating_sub(1)),
            },
            ui.theme.dim(),
        ));
    }
    let parts = vec![
        vec![
            Span::raw("Owed to you "),
            Span::styled(cur.display(t.owed), ui.theme.balance(-t.owed)),
        ],
        vec![
            Span::raw("Credit held "),
            Span::styled(cur.display(t.credit), ui.theme.balance(t.credit)),
        ],
        count,
    ];
    let sep = Span::styled(" · ", ui.theme.dim());
    let mut line = fit_parts(parts, sep, (area.width as usize).saturating_sub(1));
    line.spans.insert(0, Span::raw(" "));
    frame.render_widget(Paragraph::new(line), area);
}
