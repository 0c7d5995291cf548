//! The overlays as a component: what sits over the screen (help, a
//! confirm, an entry's or invoice's details, a form, a row in full) says
//! where keys go, takes the keys that are its own (scrolling, the form's
//! kind toggle, Esc), and draws itself. Keys it does not take go to the
//! screen beneath (an invoice's actions from its details, say).
//!
//! Invariant: an overlay never changes the book; confirming, submitting
//! and typing are the app's `update` (they are actions, not commands).

use ratatui::Frame;
use ratatui::layout::Rect;

use super::action::Command;
use super::component::{Component, Cx, movement};
use super::effect::Effect;
use super::keymap::Context;
use super::shared::Shared;
use super::ui::{self, Ui};
use super::view::{Overlay, Status};
use super::widgets;

impl Component for Overlay {
    fn context(&self) -> Context {
        match self {
            Overlay::Help { .. } | Overlay::Note { .. } => Context::Help,
            Overlay::EntryDetail { .. } => Context::Detail,
            Overlay::Invoice { .. } => Context::InvoiceDetail,
            Overlay::Confirm { .. } => Context::Confirm,
            Overlay::Form(_) => Context::Form,
        }
    }

    fn handle(&mut self, c: Command, cx: &mut Cx) -> bool {
        let delta = movement(c, cx.shared.page).unwrap_or(0);
        match (self, c) {
            (overlay, Command::Back) => {
                if matches!(overlay, Overlay::Form(_)) {
                    cx.info("Cancelled: nothing saved");
                }
                cx.close();
                true
            }
            (
                Overlay::Help { scroll, .. }
                | Overlay::Invoice { scroll, .. }
                | Overlay::Note { scroll, .. },
                _,
            ) if delta != 0 => {
                // The drawing clamps to the last screenful; this only bounds it.
                *scroll = (*scroll as isize).saturating_add(delta).clamp(0, 500) as usize;
                true
            }
            // The customer screen opens the edit or asks to remove.
            (Overlay::EntryDetail { .. }, Command::EditEntry | Command::RemoveEntry) => {
                cx.close();
                false
            }
            (Overlay::Form(f), Command::ToggleKind) => {
                f.toggle_kind();
                f.refresh_preview(&cx.shared.currency, cx.shared.tax_rate);
                true
            }
            _ => false,
        }
    }

    /// Overlays hold no rows of their own; an open invoice is read again by
    /// the app when the book changes.
    fn sync(&mut self, _shared: &Shared) -> Vec<Effect> {
        Vec::new()
    }

    fn book_changed(&mut self) {}

    fn render(
        &self,
        frame: &mut Frame,
        area: Rect,
        shared: &Shared,
        _status: Option<&Status>,
        ui: &Ui,
    ) {
        match self {
            Overlay::Help { ctx, scroll } => ui::help(frame, area, *ctx, *scroll, ui),
            Overlay::Confirm { message, .. } => ui::confirm(frame, area, message, ui),
            Overlay::EntryDetail { entry, lock } => {
                widgets::detail::render(frame, area, entry, lock.clone(), &shared.currency, ui)
            }
            Overlay::Invoice { detail, scroll } => {
                widgets::invoice::render(frame, area, detail, *scroll, shared, ui)
            }
            Overlay::Form(f) => widgets::form::render(frame, area, f, ui),
            Overlay::Note {
                title,
                text,
                scroll,
            } => ui::note(frame, area, title, text, *scroll, ui),
        }
    }
}
