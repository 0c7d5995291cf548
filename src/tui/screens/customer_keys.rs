//! The customer screen as a component: which of its tabs' keys a command
//! goes to, its own keys (edit the customer, add, edit or remove an entry,
//! the statement, a contract, merge and archive), its loads and drawing.
//! Each key opens a form, asks to confirm or asks for an effect; nothing
//! here changes the book.

use super::customer::CustomerView;
use crate::domain::Entry;
use crate::domain::entry::EntryInput;
use ratatui::Frame;
use ratatui::layout::Rect;

use crate::tui::action::Command;
use crate::tui::component::{Component, Cx, movement};
use crate::tui::effect::Effect;
use crate::tui::form::Form;
use crate::tui::keymap::Context;
use crate::tui::shared::Shared;
use crate::tui::tabs::Tab;
use crate::tui::ui::{Scene, Ui};
use crate::tui::view::Overlay;
use crate::tui::view::Status;

impl CustomerView {
    /// The history entry under the cursor.
    pub fn selected_entry(&self) -> Option<&Entry> {
        self.page
            .as_ref()?
            .history
            .get(self.window.selected.checked_sub(self.window.offset)?)
    }

    pub(crate) fn customer_command(&self, c: Command, cx: &mut Cx) {
        let today = cx.shared.today.format("%Y-%m-%d").to_string();
        let form = |f: Form| Overlay::Form(Box::new(f));
        match c {
            Command::AddEntry => cx.open(form(Form::new_entry(
                self.id,
                &today,
                cx.shared.tax_hint.clone(),
            ))),
            Command::EditEntry => self.edit_entry(cx),
            Command::RemoveEntry => self.confirm_remove(cx),
            Command::Statement => {
                cx.run(Effect::Statement(self.id));
                // With mail set, the statement can go to whoever pays.
                if cx.shared.mail {
                    cx.confirm(
                        "Email this statement to whoever pays for this customer too?\nThe file is written beside the book either way.".into(),
                        Effect::EmailStatement(self.id),
                    );
                }
            }
            Command::NewContract => {
                cx.open(form(crate::tui::forms::contract::build(self.id, &today)))
            }
            _ => self.record_command(c, cx),
        }
    }

    /// The keys about the customer record itself: edit, merge, archive.
    fn record_command(&self, c: Command, cx: &mut Cx) {
        let Some(page) = &self.page else { return };
        let customer = &page.customer;
        match c {
            Command::EditCustomer => {
                cx.open(Overlay::Form(Box::new(Form::customer(Some(customer)))))
            }
            Command::MergeCustomer => cx.open(Overlay::Form(Box::new(
                crate::tui::forms::merge::build(customer.id, &customer.name),
            ))),
            Command::ArchiveCustomer => {
                let message = if customer.archived {
                    format!("Restore {} to the lists?", customer.name)
                } else {
                    format!(
                        "Archive {}?\nHidden from lists and reminders while the balance is zero; \
                         the history stays.",
                        customer.name
                    )
                };
                cx.confirm(
                    message,
                    Effect::ArchiveCustomer {
                        id: customer.id,
                        archive: !customer.archived,
                    },
                );
            }
            _ => {}
        }
    }

    /// Why the selected entry cannot change, as the message to show.
    fn locked_message(&self, e: &Entry) -> Option<String> {
        let why = self.page.as_ref()?.lock_of(e.id)?;
        Some(format!(
            "{} #{} is {why}: it cannot be edited or removed; correct it with a new entry ({{AddEntry}})",
            e.label(),
            e.id
        ))
    }

    fn edit_entry(&self, cx: &mut Cx) {
        let Some(e) = self.selected_entry() else {
            return cx.error("No entry selected: add one with a");
        };
        if let Some(m) = self.locked_message(e) {
            return cx.error(&m);
        }
        let input = EntryInput::from_entry(e, &cx.shared.currency);
        let mut form = Form::edit_entry(e.customer_id, e.id, e.kind, &input);
        form.refresh_preview(&cx.shared.currency, cx.shared.tax_rate);
        cx.open(Overlay::Form(Box::new(form)));
    }

    fn confirm_remove(&self, cx: &mut Cx) {
        let Some(e) = self.selected_entry() else {
            return cx.error("No entry selected");
        };
        if let Some(m) = self.locked_message(e) {
            return cx.error(&m);
        }
        let cur = &cx.shared.currency;
        let desc = if e.description.is_empty() {
            String::new()
        } else {
            format!(" \"{}\"", e.description)
        };
        let message = format!(
            "Remove {} #{} {}{desc} of {}?\nThe balance moves back by {}.",
            e.kind.as_str(),
            e.id,
            cur.display(e.signed_amount()),
            e.date.format("%Y-%m-%d"),
            cur.display(e.signed_total().abs()),
        );
        cx.confirm(message, Effect::RemoveEntry { id: e.id });
    }
}

impl Component for CustomerView {
    fn context(&self) -> Context {
        crate::tui::tabs::context_of(self.tab)
    }

    fn handle(&mut self, c: Command, cx: &mut Cx) -> bool {
        let rows = super::customer::rows(cx.shared.size.1);
        if let Some(delta) = movement(c, rows) {
            self.step(delta, rows);
            return true;
        }
        match c {
            Command::Open => self.open(cx),
            Command::EditCustomer
            | Command::AddEntry
            | Command::EditEntry
            | Command::RemoveEntry
            | Command::Statement
            | Command::NewContract
            | Command::MergeCustomer
            | Command::ArchiveCustomer => self.customer_command(c, cx),
            Command::SwitchTab | Command::PrevTab | Command::ShowTab(_) => self.tab_command(c, cx),
            Command::Refund | Command::Transfer => self.credit_form(c, cx),
            Command::NewContact | Command::EditContact | Command::RemoveContact => {
                self.contact_command(c, cx)
            }
            Command::AttachDocument | Command::SaveDocument | Command::RemoveDocument => {
                self.document_command(c, cx)
            }
            Command::CycleSort if self.tab == Tab::Invoices => self.invoice_command(c, cx),
            Command::DraftInvoice
            | Command::ToggleMark
            | Command::CycleFilter
            | Command::Finalize
            | Command::DeleteDraft
            | Command::Void
            | Command::MarkPaid
            | Command::ApplyCredit
            | Command::CancelMarked
            | Command::Export => self.invoice_command(c, cx),
            Command::GenerateLink
            | Command::CopyLink
            | Command::RegenerateLink
            | Command::CopyReminder => self.link_command(c, cx),
            _ => return false,
        }
        true
    }

    fn sync(&mut self, shared: &Shared) -> Vec<Effect> {
        let mut fx: Vec<Effect> = self.sync_history(shared).into_iter().collect();
        fx.extend(self.sync_invoices(shared));
        fx.extend(self.sync_tabs(shared));
        fx
    }

    fn book_changed(&mut self) {
        self.window.loaded = None;
        self.need_summary = true;
        self.invoices.window.loaded = None;
        for l in self.lists.values_mut() {
            l.window.loaded = None;
        }
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
        super::customer::render(frame, area, &scene, ui);
    }
}

impl CustomerView {
    /// Moves the selection of the tab on show.
    fn step(&mut self, delta: isize, rows: usize) {
        match self.tab {
            Tab::History => self.window.step(delta, rows),
            Tab::Invoices => self.invoices.window.step(delta, rows),
            _ => self.step_tab(delta, rows),
        }
    }

    /// Enter: an entry's details, an invoice in full, a tab's row in full,
    /// or a sub-client's own screen.
    fn open(&mut self, cx: &mut Cx) {
        match self.tab {
            Tab::SubClients => self.open_sub_client(cx),
            Tab::History => {
                if let Some(e) = self.selected_entry() {
                    let lock = self
                        .page
                        .as_ref()
                        .and_then(|p| p.lock_of(e.id))
                        .map(str::to_string);
                    cx.open(Overlay::EntryDetail {
                        entry: Box::new(e.clone()),
                        lock,
                    });
                }
            }
            Tab::Invoices => {
                if let Some(inv) = self.selected_invoice() {
                    cx.run(Effect::LoadInvoice(inv.id));
                }
            }
            _ => self.open_row(cx),
        }
    }
}
