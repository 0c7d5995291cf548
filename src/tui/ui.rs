//! Drawing's shared bits: the title bar, the status line, key hints,
//! tables over a window, and the popups (help, confirm, note). Each
//! screen draws itself from a [`Scene`]; the module root picks which.

use crate::tui::safe;
use crate::tui::widgets::columns::{Grid, Laid, SPACING, ellipsize, fit_parts, fit_words};
use ratatui::Frame;
use ratatui::layout::{Constraint, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear, Paragraph, Table, Wrap};
use unicode_width::UnicodeWidthStr;

use super::action::Command;
use super::keymap::{Context, Keymap};
use super::shared::Shared;
use super::theme::Theme;
use super::view::Status;
use super::window::Window;

pub const MIN_WIDTH: u16 = 50;
pub const MIN_HEIGHT: u16 = 12;

/// What drawing needs besides the state: the keys (for hints and help) and
/// the colours.
pub struct Ui {
    pub keymap: Keymap,
    pub theme: Theme,
}

/// What a screen draws from: its own state, what every screen shares,
/// and the status line's message.
pub struct Scene<'a, V: ?Sized> {
    pub view: &'a V,
    pub shared: &'a Shared,
    pub status: Option<&'a Status>,
}

/// The message for the small-terminal screen, when it is too small.
pub fn too_small(frame: &mut Frame) -> bool {
    let area = frame.area();
    if area.width >= MIN_WIDTH && area.height >= MIN_HEIGHT {
        return false;
    }
    let text = format!(
        "Terminal too small ({}×{}).\nMake it at least {MIN_WIDTH}×{MIN_HEIGHT}.",
        area.width, area.height
    );
    frame.render_widget(Paragraph::new(text).wrap(Wrap { trim: true }), area);
    true
}

/// A one-line bar: `left` at the start, `right` at the end.
pub fn title_bar(frame: &mut Frame, area: Rect, left: &str, right: &str, ui: &Ui) {
    // The right part (a count, a sort) stays whole; the left gives way.
    let room = (area.width as usize).saturating_sub(right.width() + 3);
    let left = ellipsize(left, room);
    let pad = (area.width as usize).saturating_sub(left.width() + right.width() + 2);
    let text = format!(" {left}{}{right} ", " ".repeat(pad));
    frame.render_widget(Paragraph::new(text).style(ui.theme.title()), area);
}

/// The bottom line: the latest status message, or key hints.
pub fn status_line(
    frame: &mut Frame,
    area: Rect,
    status: Option<&Status>,
    hints: &[(String, &str)],
    ui: &Ui,
) {
    let line = match status {
        Some(s) => Line::from(Span::styled(
            format!(
                " {}",
                fit_words(
                    &with_keys(&safe(&s.text), &ui.keymap),
                    (area.width as usize).saturating_sub(1)
                )
            ),
            if s.error {
                ui.theme.error()
            } else {
                ui.theme.good()
            },
        )),
        None => hint_line(hints, area.width as usize, ui),
    };
    frame.render_widget(Paragraph::new(line), area);
}

/// `text` with each `{Command}` replaced by the key bound to it, so a
/// message says "press p", whatever the owner's key bindings are.
pub fn with_keys(text: &str, keymap: &Keymap) -> String {
    let mut out = text.to_string();
    for c in Command::NAMED {
        let token = format!("{{{c:?}}}");
        if out.contains(&token) {
            out = out.replace(&token, &keymap.key_for(c));
        }
    }
    out
}

/// Key hints, as many whole ones as fit in `width` (`?` lists them all).
pub fn hint_line(hints: &[(String, &str)], width: usize, ui: &Ui) -> Line<'static> {
    let parts = hints
        .iter()
        .filter(|(key, _)| !key.is_empty())
        .map(|(key, what)| {
            vec![
                Span::styled(key.clone(), ui.theme.key()),
                Span::raw(format!(" {what}")),
            ]
        })
        .collect();
    let sep = Span::styled(" · ", ui.theme.dim());
    let mut line = fit_parts(parts, sep, width.saturating_sub(1));
    line.spans.insert(0, Span::raw(" "));
    line
}

/// Draws the loaded window of a scrolled list, its columns laid out for
/// the area so no amount is cut, with the selected row highlighted (the
/// grid's rows start at the window's offset).
pub fn window_table(frame: &mut Frame, area: Rect, grid: Grid, window: &Window, ui: &Ui) {
    let Laid {
        header,
        rows,
        widths,
    } = grid.layout(area.width, ui.theme.header());
    let rows = rows.into_iter().enumerate().map(|(i, row)| {
        if window.offset + i == window.selected {
            row.style(ui.theme.selected())
        } else {
            row
        }
    });
    frame.render_widget(
        Table::new(rows, widths)
            .header(header)
            .column_spacing(SPACING as u16),
        area,
    );
}

/// Splits `text` into lines of at most `width` characters at spaces.
pub fn wrap(text: &str, width: usize) -> Vec<String> {
    let mut lines = vec![String::new()];
    for word in text.split(' ') {
        let last = lines.last_mut().expect("never empty");
        let len = last.width();
        if len > 0 && len + 1 + word.width() > width {
            lines.push(word.to_string());
        } else {
            if len > 0 {
                last.push(' ');
            }
            last.push_str(word);
        }
    }
    lines
}

/// A bordered popup of at most `w`×`h`, centered, with the area behind cleared.
pub fn popup(frame: &mut Frame, area: Rect, w: u16, h: u16, title: &str) -> Rect {
    let rect = area.centered(
        Constraint::Length(w.min(area.width)),
        Constraint::Length(h.min(area.height)),
    );
    // Clear the popup's whole band of rows, not only its box: a table row
    // half hidden behind it would show the tail of an amount ("0.00").
    let band = Rect {
        x: area.x,
        width: area.width,
        ..rect
    };
    frame.render_widget(Clear, band);
    let block = Block::bordered().title(format!(" {title} "));
    let inner = block.inner(rect);
    frame.render_widget(block, rect);
    inner
}

pub(crate) fn help(frame: &mut Frame, area: Rect, ctx: Context, scroll: usize, ui: &Ui) {
    let rows = ui.keymap.help(ctx);
    let title = match ctx {
        Context::List | Context::Search => "Keys: customers",
        Context::Customer => "Keys: customer",
        Context::Invoices => "Keys: invoices",
        Context::Drafting => "Keys: drafting an invoice",
        Context::Tabs => "Keys: customer tabs",
        Context::Contacts => "Keys: Contacts tab",
        Context::Documents => "Keys: Documents tab",
        Context::Aging => "Keys: receivables aging",
        Context::Collections => "Keys: collections",
        Context::Glance => "Keys: the month at a glance",
        _ => "Keys",
    };
    let key_w = rows.iter().map(|(k, _)| k.width()).max().unwrap_or(4);
    let fit = (area.height.saturating_sub(6) as usize).max(1);
    let room = area.width.saturating_sub(4) as usize;
    // Side-by-side columns when the terminal is short but wide enough;
    // otherwise one column, descriptions wrapped, scrolled with ↑↓.
    let columns = rows.len().div_ceil(fit).max(1);
    let per_column = rows.len().div_ceil(columns);
    let widths: Vec<usize> = rows
        .chunks(per_column.max(1))
        .map(|c| c.iter().map(|(_, h)| h.width()).max().unwrap_or(0))
        .collect();
    let side_by_side = widths.iter().map(|w| key_w + w + 5).sum::<usize>() + 2;
    let (lines, width) = if columns > 1 && side_by_side <= area.width.saturating_sub(2) as usize {
        (
            help_columns(&rows, key_w, per_column, &widths, ui),
            side_by_side,
        )
    } else {
        let desc_w = room
            .saturating_sub(key_w + 5)
            .min(widths.iter().copied().max().unwrap_or(0))
            .max(8);
        (help_wrapped(&rows, key_w, desc_w, ui), key_w + desc_w + 5)
    };
    let shown = fit.min(lines.len());
    let top = scroll.min(lines.len() - shown);
    let footer = if shown < lines.len() {
        format!(
            " ↑↓ scroll · {}–{} of {} lines · any other key closes",
            top + 1,
            top + shown,
            lines.len()
        )
    } else {
        " any key closes".to_string()
    };
    let width = width.max(footer.width() + 2).min(area.width as usize);
    let inner = popup(frame, area, (width as u16).max(34), shown as u16 + 4, title);
    let mut visible: Vec<Line> = lines.into_iter().skip(top).take(shown).collect();
    visible.push(Line::raw(""));
    visible.push(Line::styled(
        fit_words(&footer, inner.width as usize),
        ui.theme.dim(),
    ));
    frame.render_widget(Paragraph::new(visible), inner);
}

/// Bindings in side-by-side columns, each as wide as its longest text.
fn help_columns(
    rows: &[(String, &str)],
    key_w: usize,
    per_column: usize,
    widths: &[usize],
    ui: &Ui,
) -> Vec<Line<'static>> {
    (0..per_column)
        .map(|r| {
            let spans = (0..widths.len())
                .filter_map(|c| Some((rows.get(c * per_column + r)?, widths[c])))
                .flat_map(|((k, h), w)| {
                    [
                        Span::styled(format!(" {k:<key_w$}  "), ui.theme.key()),
                        Span::raw(format!("{h:<w$}  ")),
                    ]
                })
                .collect::<Vec<_>>();
            Line::from(spans)
        })
        .collect()
}

/// Bindings one per line, each description wrapped to `desc_w`.
fn help_wrapped(
    rows: &[(String, &str)],
    key_w: usize,
    desc_w: usize,
    ui: &Ui,
) -> Vec<Line<'static>> {
    let mut lines = Vec::new();
    for (k, h) in rows {
        for (i, part) in wrap(h, desc_w).into_iter().enumerate() {
            let key = if i == 0 { k.as_str() } else { "" };
            lines.push(Line::from(vec![
                Span::styled(format!(" {key:<key_w$}  "), ui.theme.key()),
                Span::raw(part),
            ]));
        }
    }
    lines
}

/// A read-only text in a popup: wrapped to at most 72 columns, scrolled
/// with ↑↓ when taller than the terminal; any other key closes it.
pub(crate) fn note(frame: &mut Frame, area: Rect, title: &str, text: &str, scroll: usize, ui: &Ui) {
    let max = (area.width.saturating_sub(6) as usize).min(72);
    let lines: Vec<String> = text.lines().flat_map(|l| wrap(&safe(l), max)).collect();
    let width = lines
        .iter()
        .map(|l| l.width())
        .max()
        .unwrap_or(20)
        .max(title.width() + 2) as u16
        + 4;
    let fit = (area.height.saturating_sub(6) as usize).max(1);
    let shown = fit.min(lines.len());
    let top = scroll.min(lines.len() - shown);
    let inner = popup(frame, area, width.max(30), shown as u16 + 4, &safe(title));
    let mut body: Vec<Line> = lines[top..top + shown]
        .iter()
        .map(|l| Line::raw(format!(" {l}")))
        .collect();
    let footer = if shown < lines.len() {
        format!(
            " ↑↓ scroll · {}–{} of {} · any other key closes",
            top + 1,
            top + shown,
            lines.len()
        )
    } else {
        " any key closes".to_string()
    };
    body.push(Line::raw(""));
    body.push(Line::styled(footer, ui.theme.dim()));
    frame.render_widget(Paragraph::new(body), inner);
}

/// At most `room` lines of a message: when it is longer, its first lines
/// and its last three (the question asked, and what it will do) with "…"
/// between, so the question and its keys always show.
fn fit_lines(text: Vec<String>, room: usize) -> Vec<String> {
    if text.len() <= room || room < 2 {
        return text;
    }
    let tail = 3.min(room - 1);
    let head = room - tail - 1;
    let mut out: Vec<String> = text[..head].to_vec();
    out.push("…".into());
    out.extend_from_slice(&text[text.len() - tail..]);
    out
}

pub(crate) fn confirm(frame: &mut Frame, area: Rect, message: &str, ui: &Ui) {
    // Long explanations wrap to at most 70 columns (or the terminal).
    let max = (area.width.saturating_sub(6) as usize).min(70);
    let text: Vec<String> = message.lines().flat_map(|l| wrap(&safe(l), max)).collect();
    let text = fit_lines(text, area.height.saturating_sub(4) as usize);
    let width = text.iter().map(|l| l.width()).max().unwrap_or(20) as u16 + 4;
    let h = text.len() as u16 + 4;
    let inner = popup(frame, area, width.max(30), h, "Confirm");
    let mut lines: Vec<Line> = text.iter().map(|l| Line::raw(format!(" {l}"))).collect();
    lines.push(Line::raw(""));
    let yes_no = [("y".to_string(), "yes"), ("n".to_string(), "no")];
    lines.push(hint_line(&yes_no, inner.width as usize, ui));
    frame.render_widget(Paragraph::new(lines), inner);
}

#[cfg(test)]
mod tests {
    use super::fit_lines;

    #[test]
    fn a_long_confirmation_keeps_its_start_and_its_question() {
        let text: Vec<String> = (1..=10).map(|i| format!("l{i}")).collect();
        assert_eq!(fit_lines(text.clone(), 20), text, "fits: as it is");
        assert_eq!(fit_lines(text, 6), ["l1", "l2", "…", "l8", "l9", "l10"]);
    }
}
