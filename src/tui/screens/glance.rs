//! The month at a glance (`M` from the customer list): billed, collected
//! and outstanding this month against last month, twelve months of billed
//! vs collected as a bar chart, days to collect as a sparkline, and the
//! customers who owe most. Everything comes from the kept month totals
//! and the balance index (`ops::glance`).

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Margin, Rect};
use ratatui::style::Color;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Bar, BarChart, BarGroup, Paragraph, Sparkline, Table};
use rust_decimal::Decimal;

use crate::ops::{Glance, MonthGlance};
use crate::tui::action::Command;
use crate::tui::keymap::Context;
use crate::tui::reports::Reports;
use crate::tui::safe;
use crate::tui::ui::Scene;
use crate::tui::ui::{Ui, status_line, title_bar};
use crate::tui::widgets::columns::{Grid, Kind, SPACING, col, styled};

pub fn render(frame: &mut Frame, area: Rect, sc: &Scene<Reports>, ui: &Ui) {
    let [title, body, status] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Min(1),
        Constraint::Length(1),
    ])
    .areas(area);
    let right = sc
        .view
        .glance
        .as_ref()
        .map(|g| format!("as of {}", g.today))
        .unwrap_or_default();
    title_bar(
        frame,
        title,
        &format!(
            "tally · {} / The month at a glance",
            safe(&sc.shared.business)
        ),
        &right,
        ui,
    );
    match &sc.view.glance {
        Some(g) => draw(frame, body, g, sc, ui),
        None => frame.render_widget(Paragraph::new(" Reading the book…"), body),
    }
    let k = |c| ui.keymap.key_in(Context::Glance, c);
    let hints = vec![
        (k(Command::Aging), "aging"),
        (k(Command::Collections), "overdue"),
        (k(Command::Back), "back"),
        (k(Command::Help), "help"),
    ];
    status_line(frame, status, sc.status, &hints, ui);
}

/// The parts top to bottom; the chart takes what the others leave, and the
/// list of who owes most gives way first on a short terminal.
fn draw(frame: &mut Frame, area: Rect, g: &Glance, sc: &Scene<Reports>, ui: &Ui) {
    const SUMMARY: u16 = 4;
    const SPARK: u16 = 2;
    const CHART_MIN: u16 = 4;
    let wanted_top = if g.top.is_empty() {
        0
    } else {
        g.top.len() as u16 + 1
    };
    let spare = area.height.saturating_sub(SUMMARY + SPARK + CHART_MIN + 2);
    // A header with no one under it says nothing: two lines or none.
    let top_h = Some(wanted_top.min(spare)).filter(|h| *h >= 2).unwrap_or(0);
    let [summary, _, chart, spark, _, top] = Layout::vertical([
        Constraint::Length(SUMMARY),
        Constraint::Length(1),
        Constraint::Min(1),
        Constraint::Length(SPARK),
        Constraint::Length(u16::from(top_h > 0)),
        Constraint::Length(top_h),
    ])
    .areas(area);
    summary_table(frame, summary, g, sc, ui);
    bars(frame, chart, g, ui);
    days(frame, spark, g, ui);
    if top_h > 0 {
        owing_most(frame, top, g, sc, ui);
    }
}

/// Which figure of a month a summary row shows.
type Figure = fn(&MonthGlance) -> Decimal;

/// This month and last, side by side; the amounts are never cut.
fn summary_table(frame: &mut Frame, area: Rect, g: &Glance, sc: &Scene<Reports>, ui: &Ui) {
    let cur = &sc.shared.currency;
    let name = |m: Option<&MonthGlance>| {
        m.map(|m| m.month.format("%B %Y").to_string())
            .unwrap_or_default()
    };
    let (this, last) = (g.this_month(), g.last_month());
    let figure = |m: Option<&MonthGlance>, f: fn(&MonthGlance) -> Decimal| {
        cur.display(m.map(f).unwrap_or_default())
    };
    // The month names are the first row, so the widths allow for them.
    let mut grid = Grid::new(&[
        col("", Kind::Fixed, 9),
        col("", Kind::Money, 8),
        col("", Kind::Money, 7),
    ]);
    grid.row(vec!["".into(), name(this).into(), name(last).into()]);
    let rows: [(&str, Figure); 3] = [
        ("Billed", |m| m.billed),
        ("Collected", |m| m.collected),
        ("Owed, less credit", |m| m.outstanding),
    ];
    for (label, f) in rows {
        grid.row(vec![
            label.into(),
            figure(this, f).into(),
            styled(figure(last, f), ui.theme.dim()),
        ]);
    }
    let laid = grid.layout(area.width.saturating_sub(1), ui.theme.header());
    let rows = laid.rows.into_iter().enumerate().map(|(i, r)| {
        if i == 0 {
            r.style(ui.theme.header())
        } else {
            r
        }
    });
    frame.render_widget(
        Table::new(rows, laid.widths).column_spacing(SPACING as u16),
        area.inner(Margin::new(1, 0)),
    );
}

/// Billed and collected per month, oldest on the left, as bars only: a
/// number printed inside a narrow bar would be cut.
fn bars(frame: &mut Frame, area: Rect, g: &Glance, ui: &Ui) {
    let [legend, chart] = Layout::vertical([Constraint::Length(1), Constraint::Min(1)]).areas(area);
    let billed = ui.theme.fg(Color::Cyan);
    let collected = ui.theme.fg(Color::Green);
    frame.render_widget(
        Paragraph::new(Line::from(vec![
            Span::raw(" Last 12 months: "),
            Span::styled("█ billed", billed),
            Span::raw(", then "),
            Span::styled("█ collected", collected),
        ])),
        legend,
    );
    let bar_width = bar_width(chart.width, g.months.len());
    let label = |m: &MonthGlance| {
        let full = m.month.format("%b").to_string();
        if bar_width * 2 >= 3 {
            full
        } else {
            full.chars().take(1).collect()
        }
    };
    let cents = |d: Decimal| -> u64 {
        let minor = d * Decimal::from(100);
        rust_decimal::prelude::ToPrimitive::to_u64(&minor.max(Decimal::ZERO)).unwrap_or(0)
    };
    let mut chart_widget = BarChart::default()
        .bar_width(bar_width)
        .bar_gap(0)
        .group_gap(1);
    for m in &g.months {
        chart_widget = chart_widget.data(
            BarGroup::default().label(Line::from(label(m))).bars(&[
                Bar::default()
                    .value(cents(m.billed))
                    .text_value(String::new())
                    .style(billed),
                Bar::default()
                    .value(cents(m.collected))
                    .text_value(String::new())
                    .style(collected),
            ]),
        );
    }
    frame.render_widget(chart_widget, chart.inner(Margin::new(1, 0)));
}

/// How wide each bar is so twelve months of two bars and a gap fit.
fn bar_width(width: u16, months: usize) -> u16 {
    let per_group = (width.saturating_sub(2) / months.max(1) as u16).max(3);
    ((per_group - 1) / 2).max(1)
}

/// Days to collect (DSO) per month as a sparkline under the chart's months
/// (each month as wide as its bars), with the latest figure written out.
fn days(frame: &mut Frame, area: Rect, g: &Glance, ui: &Ui) {
    let latest = g
        .months
        .iter()
        .rev()
        .find_map(|m| m.days_to_collect)
        .map(|d| format!("{d} days"))
        .unwrap_or_else(|| "nothing billed".into());
    let [label, line] =
        Layout::vertical([Constraint::Length(1), Constraint::Length(1)]).areas(area);
    frame.render_widget(
        Paragraph::new(format!(
            " Days to collect (DSO), last 12 months: latest {latest}"
        )),
        label,
    );
    let group = bar_width(line.width, g.months.len()) * 2 + 1;
    let data: Vec<Option<u64>> = g
        .months
        .iter()
        .flat_map(|m| {
            let d = m.days_to_collect.map(u64::from);
            // The gap between groups stays empty, as in the chart.
            (0..group).map(move |i| if i + 1 < group { d } else { None })
        })
        .collect();
    let width = (data.len() as u16).min(line.width.saturating_sub(1));
    let spark = Rect {
        x: line.x + 1,
        width,
        ..line
    };
    frame.render_widget(
        Sparkline::default()
            .data(data)
            .style(ui.theme.fg(Color::Yellow)),
        spark,
    );
}

fn owing_most(frame: &mut Frame, area: Rect, g: &Glance, sc: &Scene<Reports>, ui: &Ui) {
    let cur = &sc.shared.currency;
    // A short list reads better kept together than spread across the screen.
    let area = Rect {
        width: area.width.min(64),
        ..area
    };
    let mut grid = Grid::new(&[
        col("Owing most", Kind::Text, 5),
        col("Owes", Kind::Money, 9),
    ]);
    for c in &g.top {
        let owes = -c.balance;
        grid.row(vec![
            safe(&c.name).into(),
            styled(cur.display(owes), ui.theme.balance(c.balance)),
        ]);
    }
    let laid = grid.layout(area.width.saturating_sub(1), ui.theme.header());
    frame.render_widget(
        Table::new(laid.rows, laid.widths)
            .header(laid.header)
            .column_spacing(SPACING as u16),
        area.inner(Margin::new(1, 0)),
    );
}
