//! One invoice in full (Enter on the Invoices tab): status and dates, its
//! charges, totals, the payments applied to it and its history, with the
//! same keys as the tab. Scrolls when it is taller than the terminal.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use rust_decimal::Decimal;

use crate::domain::InvoiceStatus;
use crate::domain::{Currency, Entry};
use crate::tui::action::{Command, InvoiceDetail};
use crate::tui::safe;
use crate::tui::shared::Shared;
use crate::tui::ui::{Ui, hint_line, popup};
use crate::tui::widgets::columns::{Column, Grid, Kind, Value, col, ellipsize, fit_words};

pub fn render(
    frame: &mut Frame,
    area: Rect,
    d: &InvoiceDetail,
    scroll: usize,
    shared: &Shared,
    ui: &Ui,
) {
    let width = area.width.saturating_sub(4).min(84);
    let inner_w = width.saturating_sub(2) as usize;
    let lines = body(d, inner_w.saturating_sub(1), shared, ui);
    let room = area.height.saturating_sub(6) as usize;
    let shown = room.min(lines.len());
    let more = shown < lines.len();
    let top = scroll.min(lines.len() - shown);
    let inner = popup(frame, area, width, shown as u16 + 4, &d.invoice.label());
    let mut visible: Vec<Line> = lines
        .into_iter()
        .skip(top)
        .take(shown)
        .map(|mut l| {
            l.spans.insert(0, Span::raw(" "));
            l
        })
        .collect();
    visible.push(Line::raw(""));
    let k = |c| ui.keymap.key_for(c);
    let mut hints: Vec<(String, &str)> = match d.invoice.status {
        InvoiceStatus::Draft => vec![
            (k(Command::Finalize), "finalize"),
            (k(Command::DeleteDraft), "delete"),
        ],
        InvoiceStatus::Open => vec![
            (k(Command::MarkPaid), "paid"),
            (k(Command::ApplyCredit), "credit"),
            (k(Command::Void), "void"),
        ],
        _ => vec![],
    };
    hints.push((k(Command::Export), "export"));
    if more {
        hints.push(("↑↓".into(), "scroll"));
    }
    hints.push(("esc".into(), "close"));
    visible.push(hint_line(&hints, inner.width as usize, ui));
    frame.render_widget(Paragraph::new(visible), inner);
}

/// The columns of an invoice's charges (date, description, amount, tax,
/// total), shared with the drafting screen.
pub const CHARGE_COLUMNS: [Column; 5] = [
    col("Date", Kind::Fixed, 5),
    col("Description", Kind::Text, 3),
    col("Amount", Kind::Money, 6),
    col("Tax", Kind::Money, 4),
    col("Total", Kind::Money, 9),
];

/// One charge as the cells of [`CHARGE_COLUMNS`].
pub fn charge_cells(e: &Entry, cur: &Currency) -> Vec<Value> {
    vec![
        e.date.format("%Y-%m-%d").to_string().into(),
        safe(&e.description).into(),
        cur.display(e.amount).into(),
        cur.display(e.tax).into(),
        cur.display(e.amount + e.tax).into(),
    ]
}

fn body(d: &InvoiceDetail, width: usize, shared: &Shared, ui: &Ui) -> Vec<Line<'static>> {
    let cur = &shared.currency;
    let inv = &d.invoice;
    let day = |x: Option<chrono::NaiveDate>| {
        x.map(|d| d.format("%Y-%m-%d").to_string())
            .unwrap_or_else(|| "not issued".into())
    };
    let mut out = vec![Line::from(vec![
        Span::styled(
            inv.status_label(shared.today).to_string(),
            ui.theme.header(),
        ),
        Span::styled(
            format!(
                " · issued {} · due {}",
                day(inv.issue_date),
                day(inv.due_date)
            ),
            ui.theme.dim(),
        ),
    ])];
    out.push(Line::raw(""));
    let mut grid = Grid::new(&CHARGE_COLUMNS);
    for e in &d.lines {
        grid.row(charge_cells(e, cur));
    }
    out.extend(grid.lines(width, ui.theme.header()));
    out.push(Line::raw(""));
    let subtotal: Decimal = d.lines.iter().map(|e| e.amount).sum();
    let tax: Decimal = d.lines.iter().map(|e| e.tax).sum();
    let mut totals = vec![("Subtotal", subtotal), ("Tax", tax), ("Total", inv.total)];
    if inv.status != InvoiceStatus::Draft {
        totals.push(("Paid", inv.paid));
        totals.push(("Remaining", inv.remaining()));
    }
    let figures: Vec<String> = totals.iter().map(|(_, v)| cur.display(*v)).collect();
    let fig_w = figures.iter().map(String::len).max().unwrap_or(0);
    for ((label, _), figure) in totals.iter().zip(figures) {
        out.push(Line::raw(format!("{label:<12}{figure:>fig_w$}")));
    }
    out.push(Line::raw(""));
    out.push(Line::styled("Payments applied", ui.theme.header()));
    if d.payments.is_empty() {
        out.push(Line::styled("none", ui.theme.dim()));
    } else {
        let mut grid = Grid::new(&[
            col("Date", Kind::Fixed, 5),
            col("Credit", Kind::Text, 3),
            col("Method", Kind::Fixed, 2),
            col("Applied", Kind::Money, 9),
        ]);
        for (e, applied) in &d.payments {
            let what = match &e.reference {
                Some(r) => format!("{} (ref {})", e.description, r),
                None => e.description.clone(),
            };
            grid.row(vec![
                e.date.format("%Y-%m-%d").to_string().into(),
                safe(&what).into(),
                e.method.map(|m| m.as_str()).unwrap_or("").into(),
                cur.display(*applied).into(),
            ]);
        }
        out.extend(grid.lines(width, ui.theme.dim()));
    }
    out.push(Line::raw(""));
    out.push(Line::styled("History", ui.theme.header()));
    for e in &d.history {
        let when = e.at.format("%Y-%m-%d").to_string();
        let room = width.saturating_sub(when.len() + 2);
        out.push(Line::from(vec![
            Span::styled(when, ui.theme.dim()),
            Span::raw("  "),
            Span::raw(fit_words(&safe(&e.detail), room)),
        ]));
    }
    if d.history.is_empty() {
        out.push(Line::styled(
            ellipsize("none recorded", width),
            ui.theme.dim(),
        ));
    }
    out
}
