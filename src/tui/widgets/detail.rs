//! The full details of one billing entry (Enter on a history row).

use crate::tui::safe;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};

use crate::domain::Entry;
use crate::tui::ui::{Ui, popup};

/// `lock`: why the entry cannot be edited, if it cannot.
pub fn render(
    frame: &mut Frame,
    area: Rect,
    e: &Entry,
    lock: Option<String>,
    cur: &crate::domain::Currency,
    ui: &Ui,
) {
    let mut rows = vec![
        ("Entry", format!("#{}", e.id)),
        ("Type", e.kind.as_str().to_string()),
        ("Date", e.date.format("%Y-%m-%d").to_string()),
        ("Amount", cur.display(e.signed_amount())),
    ];
    if e.kind == crate::domain::EntryKind::Charge {
        rows.push(("Tax", cur.display(e.tax)));
        rows.push(("Total", cur.display(e.signed_total())));
    }
    if let Some(m) = e.method {
        rows.push(("Method", m.as_str().to_string()));
    }
    rows.push((
        "Locked",
        match lock {
            Some(why) => format!("yes, {why}"),
            None => "no".into(),
        },
    ));
    rows.push((
        "Description",
        if e.description.is_empty() {
            "—".into()
        } else {
            safe(&e.description)
        },
    ));
    rows.push((
        "Recorded",
        e.created_at.format("%Y-%m-%d %H:%M UTC").to_string(),
    ));
    let mut lines: Vec<Line> = rows
        .into_iter()
        .map(|(k, v)| {
            Line::from(vec![
                Span::styled(format!(" {k:<12} "), ui.theme.dim()),
                Span::raw(v),
            ])
        })
        .collect();
    lines.push(Line::raw(""));
    lines.push(Line::styled(
        " e edits · d removes · esc closes",
        ui.theme.dim(),
    ));
    let h = lines.len() as u16 + 2;
    let inner = popup(frame, area, 64, h + 2, "Entry");
    frame.render_widget(Paragraph::new(lines).wrap(Wrap { trim: false }), inner);
}
