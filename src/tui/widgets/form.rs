//! Draws a form popup: one line per field, the reason beside any invalid
//! field, and the terminal cursor in the focused text field.

use ratatui::Frame;
use ratatui::layout::{Position, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use crate::domain::entry::EntryKind;
use crate::tui::form::{Form, FormKind};
use crate::tui::ui::{Ui, hint_line, popup, with_keys, wrap};

const LABEL: usize = 16;

pub fn render(frame: &mut Frame, area: Rect, form: &Form, ui: &Ui) {
    let visible: Vec<usize> = (0..form.fields.len())
        .filter(|i| !form.fields[*i].hidden)
        .collect();
    // Popup width 72 minus borders and the label column.
    let inner_w = (area.width.min(72) as usize).saturating_sub(2);
    let value_w = inner_w.saturating_sub(LABEL + 3).max(8);
    let field_errors: Vec<Vec<String>> = visible
        .iter()
        .map(|i| {
            form.fields[*i]
                .error
                .as_deref()
                .map(|e| wrap(&format!("↳ {e}"), value_w))
                .unwrap_or_default()
        })
        .collect();
    let notes: Vec<(String, bool)> = [(&form.warning, false), (&form.error, true)]
        .into_iter()
        .filter_map(|(n, is_err)| n.as_ref().map(|n| (n, is_err)))
        .flat_map(|(n, is_err)| {
            wrap(&with_keys(n, &ui.keymap), inner_w.saturating_sub(2))
                .into_iter()
                .map(move |l| (l, is_err))
        })
        .collect();
    let kind_line = usize::from(matches!(form.kind, FormKind::Entry { .. }));
    let error_lines: usize = field_errors.iter().map(Vec::len).sum();
    let height = (visible.len() + error_lines + notes.len() + kind_line + 4) as u16;
    let inner = popup(frame, area, 72, height, &form.title());

    let mut lines: Vec<Line> = Vec::new();
    if let FormKind::Entry { kind, entry, .. } = form.kind {
        lines.push(kind_switch(kind, entry.is_none(), ui));
    }
    let mut cursor = None;
    for (&i, errors) in visible.iter().zip(&field_errors) {
        let f = &form.fields[i];
        let focused = i == form.focus;
        let label_style = if f.error.is_some() {
            ui.theme.error()
        } else if focused {
            ui.theme.key()
        } else {
            ui.theme.dim()
        };
        let shown = if let Some(choices) = f.choices {
            let all = choices
                .iter()
                .map(|c| {
                    if *c == f.value {
                        format!("[{c}]")
                    } else {
                        c.to_string()
                    }
                })
                .collect::<Vec<_>>()
                .join(" ");
            // Too many to list: the chosen one, with where it stands.
            if all.chars().count() <= value_w {
                all
            } else {
                let at = choices.iter().position(|c| *c == f.value).unwrap_or(0);
                format!("‹ {} › {} of {}", f.value, at + 1, choices.len())
            }
        } else {
            scroll(&f.value, f.cursor, value_w)
        };
        let mut spans = vec![
            Span::styled(format!(" {:<LABEL$} ", f.label), label_style),
            Span::styled(
                format!("{shown:<value_w$}"),
                if focused {
                    ui.theme.selected()
                } else {
                    ratatui::style::Style::new()
                },
            ),
        ];
        if f.value.is_empty()
            && let Some(h) = &f.hint
        {
            spans[1] = Span::styled(
                format!("{h:<value_w$}"),
                if focused {
                    ui.theme.selected()
                } else {
                    ui.theme.dim()
                },
            );
        }
        if focused && f.choices.is_none() {
            let col = f.cursor.min(value_w.saturating_sub(1));
            cursor = Some(Position::new(
                inner.x + (LABEL + 2 + col) as u16,
                inner.y + lines.len() as u16,
            ));
        }
        lines.push(Line::from(spans));
        for e in errors {
            lines.push(Line::styled(
                format!(" {:<LABEL$} {e}", ""),
                ui.theme.error(),
            ));
        }
    }
    // The line under the fields: a charge's tax and total as typed so far.
    lines.push(match &form.preview {
        Some(p) => Line::styled(format!(" {:<LABEL$} {p}", ""), ui.theme.dim()),
        None => Line::raw(""),
    });
    for (note, is_err) in notes {
        lines.push(Line::styled(
            format!(" {note}"),
            if is_err {
                ui.theme.error()
            } else {
                ui.theme.warning()
            },
        ));
    }
    let hints: Vec<(String, &str)> = vec![
        ("enter".into(), "save"),
        ("tab".into(), "next field"),
        ("esc".into(), "cancel"),
    ];
    lines.push(hint_line(&hints, inner.width as usize, ui));
    frame.render_widget(Paragraph::new(lines), inner);
    if let Some(p) = cursor {
        frame.set_cursor_position(p);
    }
}

fn kind_switch(kind: EntryKind, switchable: bool, ui: &Ui) -> Line<'static> {
    let pick = |k: EntryKind, label: &'static str| {
        if k == kind {
            Span::styled(format!("[{label}]"), ui.theme.key())
        } else {
            Span::styled(label, ui.theme.dim())
        }
    };
    let mut spans = vec![
        Span::raw(format!(" {:<LABEL$} ", "Type")),
        pick(EntryKind::Charge, "Charge"),
        Span::raw(" "),
        pick(EntryKind::Credit, "Credit"),
    ];
    if switchable {
        spans.push(Span::styled("   ctrl-t switches", ui.theme.dim()));
    }
    Line::from(spans)
}

/// The part of `value` that fits in `width` with the cursor visible.
fn scroll(value: &str, cursor: usize, width: usize) -> String {
    let skip = (cursor + 1).saturating_sub(width);
    value
        .chars()
        .skip(skip)
        .take(width)
        .map(crate::domain::text::screen_char)
        .collect()
}
