//! The collections screen (`O` from the customer list): open invoices past
//! due, the longest overdue first, with when each customer last heard from
//! you and which reminder they get next. `m` copies that reminder and
//! moves to the next invoice; `Enter` opens the customer. With mail set,
//! "Next" says when the schedule emails each invoice's next reminder; `L`
//! emails one now and `K` skips the steps reached.

use std::collections::HashMap;

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use crate::config::Collections;
use crate::tui::action::Command;
use crate::tui::keymap::Context;
use crate::tui::reports::Reports;
use crate::tui::safe;
use crate::tui::ui::Scene;
use crate::tui::ui::{Ui, status_line, title_bar, window_table};
use crate::tui::widgets::columns::{Grid, Kind, col, fit_parts, styled};

/// Title, a line about it, table, totals, status.
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

pub fn render(frame: &mut Frame, area: Rect, sc: &Scene<Reports>, ui: &Ui) {
    let [title, info, table, totals, status] = layout(area);
    let v = &sc.view.collections;
    title_bar(
        frame,
        title,
        &format!("tally · {} / Collections", safe(&sc.shared.business)),
        &format!(
            "{} · oldest first",
            crate::tui::plural(v.rows.len(), "overdue invoice")
        ),
        ui,
    );
    let k = |c| ui.keymap.key_in(Context::Collections, c);
    let about = if v.loaded {
        format!(
            " {} copies the reminder, firmer the later they are, and moves to the next.",
            k(Command::CopyReminder)
        )
    } else {
        " Reading the book…".into()
    };
    let about = crate::tui::widgets::columns::fit_words(&about, info.width as usize);
    frame.render_widget(Paragraph::new(Line::styled(about, ui.theme.dim())), info);
    if v.loaded && v.rows.is_empty() {
        frame.render_widget(
            Paragraph::new(vec![
                Line::raw(""),
                Line::raw("Nothing is overdue: every open invoice is within its terms."),
            ])
            .centered(),
            table,
        );
    } else {
        draw_rows(frame, table, sc, ui);
    }
    totals_line(frame, totals, sc, ui);
    let mut hints = vec![(k(Command::CopyReminder), "copy reminder, next")];
    if sc.shared.mail {
        hints.push((k(Command::EmailReminder), "email now"));
        hints.push((k(Command::SkipReminders), "skip"));
    }
    hints.extend([
        (k(Command::Open), "open customer"),
        (k(Command::Aging), "aging"),
        (k(Command::Back), "back"),
        (k(Command::Help), "help"),
    ]);
    status_line(frame, status, sc.status, &hints, ui);
}

fn draw_rows(frame: &mut Frame, area: Rect, sc: &Scene<Reports>, ui: &Ui) {
    let v = &sc.view.collections;
    let cur = &sc.shared.currency;
    // The reminder's wording follows the customer's oldest overdue
    // invoice, which is their first row in this oldest-first list.
    let mut latest: HashMap<i64, i64> = HashMap::new();
    for r in &v.rows {
        latest.entry(r.customer).or_insert(r.days_late);
    }
    // "Next" only where reminders go by email.
    let scheduled = !sc.shared.reminder_schedule.is_empty();
    let mut columns = vec![
        col("Invoice", Kind::Fixed, 7),
        col("Customer", Kind::Text, 8),
        col("Due", Kind::Fixed, 3),
        col("Days late", Kind::Money, 6),
        col("Owed", Kind::Money, 9),
        col("Reminder", Kind::Fixed, 2),
        col("Reminded", Kind::Fixed, 4),
    ];
    if scheduled {
        columns.push(col("Next", Kind::Fixed, 4));
    }
    let mut grid = Grid::new(&columns);
    let height = area.height.saturating_sub(1) as usize;
    let end = (v.window.offset + height).min(v.rows.len());
    for r in &v.rows[v.window.offset.min(end)..end] {
        let owed = cur.from_minor(r.remaining);
        let tone = Collections::tone(latest.get(&r.customer).copied().unwrap_or(r.days_late));
        let tone_style = match tone {
            "final" => ui.theme.error(),
            "firm" => ui.theme.warning(),
            _ => ui.theme.dim(),
        };
        let mut cells = vec![
            safe(&r.number).into(),
            safe(&r.name).into(),
            r.due.to_string().into(),
            r.days_late.to_string().into(),
            styled(cur.display(owed), ui.theme.balance(-owed)),
            styled(tone, tone_style),
            r.last_reminded
                .as_deref()
                .map(|t| t.chars().take(10).collect::<String>())
                .unwrap_or_else(|| "never".into())
                .into(),
        ];
        if scheduled {
            cells.push(next_email(r, sc).into());
        }
        grid.row(cells);
    }
    window_table(frame, area, grid, &v.window, ui);
}

/// When the schedule emails this invoice's next reminder: "final 12-20",
/// or "done" when every step went.
fn next_email(r: &crate::store::OverdueRow, sc: &Scene<Reports>) -> String {
    let schedule = &sc.shared.reminder_schedule;
    match r.next_step(schedule, sc.shared.today) {
        Some((k, on)) => {
            let tone = match k {
                0 => "gentle",
                k if k + 1 == schedule.len() => "final",
                _ => "firm",
            };
            format!("{tone} {}", on.format("%m-%d"))
        }
        None => "done".into(),
    }
}

fn totals_line(frame: &mut Frame, area: Rect, sc: &Scene<Reports>, ui: &Ui) {
    let v = &sc.view.collections;
    if v.rows.is_empty() {
        return;
    }
    let cur = &sc.shared.currency;
    let owed = cur.from_minor(v.rows.iter().map(|r| r.remaining).sum());
    let mut customers: Vec<i64> = v.rows.iter().map(|r| r.customer).collect();
    customers.sort_unstable();
    customers.dedup();
    let parts = vec![
        vec![
            Span::raw("Overdue "),
            Span::styled(cur.display(owed), ui.theme.balance(-owed)),
        ],
        vec![Span::raw(crate::tui::plural(customers.len(), "customer"))],
    ];
    let mut line = fit_parts(
        parts,
        Span::styled(" · ", ui.theme.dim()),
        (area.width as usize).saturating_sub(1),
    );
    line.spans.insert(0, Span::raw(" "));
    frame.render_widget(Paragraph::new(line), area);
}
