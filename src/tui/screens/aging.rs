//! The receivables aging screen (`A` from the customer list): per customer,
//! what is owed by days past due and the credit they hold, with the
//! totals always in view. `s` sorts by the next column, `Enter` opens the
//! customer.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Row, Table};

use crate::store::AgingRow;
use crate::tui::action::Command;
use crate::tui::keymap::Context;
use crate::tui::reports::Reports;
use crate::tui::safe;
use crate::tui::ui::Scene;
use crate::tui::ui::{Ui, status_line, title_bar};
use crate::tui::widgets::columns::{Grid, Kind, Laid, SPACING, Value, col, fit_parts, styled};

/// Title, a line about it, the table with its totals line, status.
pub fn layout(area: Rect) -> [Rect; 4] {
    Layout::vertical([
        Constraint::Length(1),
        Constraint::Length(1),
        Constraint::Min(2),
        Constraint::Length(1),
    ])
    .areas(area)
}

/// The table's rows and its totals line, within the table's area.
fn table_layout(area: Rect) -> [Rect; 2] {
    Layout::vertical([Constraint::Min(1), Constraint::Length(1)]).areas(area)
}

/// Rows of the table body at a terminal `height` (its header takes one).
pub fn rows(height: u16) -> usize {
    let [list, _] = table_layout(layout(Rect::new(0, 0, 1, height))[2]);
    usize::from(list.height.saturating_sub(1)).max(1)
}

pub fn render(frame: &mut Frame, area: Rect, sc: &Scene<Reports>, ui: &Ui) {
    let [title, info, table, status] = layout(area);
    let v = &sc.view.aging;
    let as_of = v.as_of.map(|d| format!("as of {d} · ")).unwrap_or_default();
    title_bar(
        frame,
        title,
        &format!("tally · {} / Receivables aging", safe(&sc.shared.business)),
        &format!("{as_of}sort: {}", v.sort.name()),
        ui,
    );
    let about = if v.loaded {
        let who = match v.rows.len() {
            1 => "1 customer owes or holds credit".to_string(),
            n => format!("{n} customers owe or hold credit"),
        };
        vec![
            vec![Span::raw(who)],
            vec![Span::raw("invoices age from their due date")],
            vec![Span::raw("other charges from their date + terms")],
        ]
    } else {
        vec![vec![Span::raw("Reading the book…")]]
    };
    let mut line = fit_parts(
        about,
        Span::raw(" · "),
        (info.width as usize).saturating_sub(1),
    );
    line.spans.insert(0, Span::raw(" "));
    frame.render_widget(Paragraph::new(line).style(ui.theme.dim()), info);
    if v.loaded && v.rows.is_empty() {
        frame.render_widget(
            Paragraph::new(vec![
                Line::raw(""),
                Line::raw("Nobody owes anything or holds credit today."),
            ])
            .centered(),
            table,
        );
    } else {
        body(frame, table, sc, ui);
    }
    let k = |c| ui.keymap.key_in(Context::Aging, c);
    let hints = vec![
        (k(Command::CycleSort), "sort"),
        (k(Command::Open), "open customer"),
        (k(Command::Collections), "overdue"),
        (k(Command::Glance), "month"),
        (k(Command::Back), "back"),
        (k(Command::Help), "help"),
    ];
    status_line(frame, status, sc.status, &hints, ui);
}

/// The visible rows and the totals line under them, laid out together so
/// their columns line up and no amount in either is cut.
fn body(frame: &mut Frame, area: Rect, sc: &Scene<Reports>, ui: &Ui) {
    let v = &sc.view.aging;
    let cur = &sc.shared.currency;
    let money = |m: i128| -> Value {
        let d = cur.from_minor_wide(m);
        if m == 0 {
            styled(cur.display(d), ui.theme.dim())
        } else {
            cur.display(d).into()
        }
    };
    let cells = |name: String, r: &AgingRow| {
        let mut c: Vec<Value> = vec![name.into()];
        c.extend(r.buckets.iter().map(|b| money(*b)));
        let total = cur.from_minor_wide(r.total());
        c.push(styled(cur.display(total), ui.theme.balance(-total)));
        let credit = cur.from_minor_wide(r.credit);
        c.push(styled(cur.display(credit), ui.theme.balance(credit)));
        c
    };
    let mut grid = Grid::new(&[
        col("Customer", Kind::Text, 8),
        col("Current", Kind::Money, 2),
        col("1–30", Kind::Money, 3),
        col("31–60", Kind::Money, 4),
        col("61–90", Kind::Money, 5),
        col("Over 90", Kind::Money, 6),
        col("Total", Kind::Money, 9),
        col("Credit", Kind::Money, 1),
    ]);
    let rows = area.height.saturating_sub(2) as usize;
    let end = (v.window.offset + rows).min(v.rows.len());
    for r in &v.rows[v.window.offset.min(end)..end] {
        grid.row(cells(safe(&r.name), r));
    }
    grid.row(cells("Total".into(), &v.totals));
    let Laid {
        header,
        mut rows,
        widths,
    } = grid.layout(area.width, ui.theme.header());
    let totals = rows.pop();
    let [list, foot] = table_layout(area);
    let rows = rows.into_iter().enumerate().map(|(i, row)| {
        if v.window.offset + i == v.window.selected {
            row.style(ui.theme.selected())
        } else {
            row
        }
    });
    frame.render_widget(
        Table::new(rows, widths.clone())
            .header(header)
            .column_spacing(SPACING as u16),
        list,
    );
    if let Some(t) = totals {
        let t: Row = t.style(Style::new().add_modifier(Modifier::BOLD));
        frame.render_widget(Table::new([t], widths).column_spacing(SPACING as u16), foot);
    }
}
