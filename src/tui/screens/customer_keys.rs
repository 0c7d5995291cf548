//! The customer screen's own keys, as a component on its state: edit the
//! customer, add, edit or remove an entry, the statement, a contract,
//! merge and archive. Each opens a form or asks to confirm; nothing here
//! changes the book.

use super::customer::CustomerView;
use crate::domain::Entry;
use crate::domain::entry::EntryInput;
use crate::tui::action::Command;
use crate::tui::component::Cx;
use crate::tui::effect::Effect;
use crate::tui::form::Form;
use crate::tui::view::Overlay;

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
