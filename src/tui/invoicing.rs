//! The invoice half of the TUI's pure update: the customer screen's
//! Invoices tab (sort, filter, multi-select, actions on the selected
//! invoice) and the drafting screen (pick open charges, draft them).
//!
//! Invariants: like every list in the TUI, only the visible window of rows
//! is held; marks are kept by id so they survive paging. Every action that
//! changes the book is behind a confirm dialog saying what will happen,
//! except when the invoice is in the wrong state: then the request goes
//! straight to `ops`, whose refusal (nothing changed) is shown as is.

use std::collections::{BTreeMap, BTreeSet};

use rust_decimal::Decimal;

use super::action::{Command, RowsPage};
use super::app::{App, drafting_rows, history_rows};
use super::effect::Effect;
use super::form::Form;
use super::tabs::Tab;
use super::view::{Overlay, Screen};
use super::window::Window;
use crate::domain::invoice::{InvoiceFilter, InvoiceSort};
use crate::domain::{CustomerId, Entry, EntryId, Invoice, InvoiceId, InvoiceStatus};
use crate::ops::PaymentInput;
use crate::store::InvoiceQuery;

/// The Invoices tab's window, order, filter and marked rows.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct InvoiceList {
    pub sort: InvoiceSort,
    pub filter: InvoiceFilter,
    pub window: Window,
    pub rows: Vec<Invoice>,
    pub marked: BTreeSet<InvoiceId>,
    pub loaded_once: bool,
    /// Only this contract's invoices (chosen on the Contracts tab).
    pub contract: Option<(crate::domain::contract::ContractId, String)>,
}

/// The drafting screen: a customer's open charges and which are picked
/// (id → total with tax, for the running sum).
#[derive(Debug, Clone, PartialEq)]
pub struct DraftView {
    pub customer: CustomerId,
    pub window: Window,
    pub rows: Vec<Entry>,
    pub picked: BTreeMap<EntryId, Decimal>,
    pub loaded_once: bool,
}

/// A change to invoices, performed by `effects` through `ops`.
#[derive(Debug, Clone, PartialEq)]
pub enum InvoiceOp {
    Draft {
        customer: CustomerId,
        /// `None`: every open charge.
        charges: Option<Vec<EntryId>>,
    },
    Delete(InvoiceId),
    Finalize(InvoiceId),
    Void(InvoiceId),
    Pay(InvoiceId, PaymentInput),
    ApplyCredit(InvoiceId),
    Cancel(Vec<InvoiceId>),
    Export(InvoiceId),
}

impl App {
    pub fn selected_invoice(&self) -> Option<&Invoice> {
        let v = self.customer.as_ref()?;
        let w = &v.invoices.window;
        v.invoices.rows.get(w.selected.checked_sub(w.offset)?)
    }

    fn selected_charge(&self) -> Option<&Entry> {
        let d = self.drafting.as_ref()?;
        d.rows.get(d.window.selected.checked_sub(d.window.offset)?)
    }

    pub(super) fn invoice_command(&mut self, c: Command) {
        match c {
            Command::DraftInvoice => self.open_drafting(),
            Command::ToggleMark => self.toggle_mark(),
            Command::DraftAll => self.confirm_draft(true),
            Command::CycleSort => {}
            Command::CycleFilter => self.cycle_invoices(false),
            Command::CancelMarked => self.confirm_cancel(),
            Command::MarkPaid => self.pay_form(),
            Command::Export => {
                if let Some(inv) = self.selected_invoice() {
                    self.run_now(InvoiceOp::Export(inv.id));
                }
            }
            _ => self.confirm_invoice_action(c),
        }
    }

    /// `s` on the Invoices tab.
    pub(super) fn cycle_invoice_sort(&mut self) {
        self.cycle_invoices(true);
    }

    fn cycle_invoices(&mut self, sort: bool) {
        let Some(v) = &mut self.customer else { return };
        let l = &mut v.invoices;
        let text = if sort {
            l.sort = l.sort.next();
            format!("Invoices sorted by {}", l.sort.label())
        } else {
            l.filter = l.filter.next();
            l.contract = None;
            // A selection the filter hides could not be reviewed before cancelling.
            l.marked.clear();
            format!("Showing {} invoices", l.filter.label())
        };
        l.window = Window::default();
        self.info(&text);
    }

    fn open_drafting(&mut self) {
        let Some(v) = &self.customer else { return };
        self.drafting = Some(DraftView {
            customer: v.id,
            window: Window::default(),
            rows: Vec::new(),
            picked: BTreeMap::new(),
            loaded_once: false,
        });
        self.screen = Screen::Drafting;
    }

    fn toggle_mark(&mut self) {
        if self.screen == Screen::Drafting {
            let Some((id, total)) = self.selected_charge().map(|e| (e.id, e.amount + e.tax)) else {
                return;
            };
            if let Some(d) = &mut self.drafting {
                if d.picked.remove(&id).is_none() {
                    d.picked.insert(id, total);
                }
                let rows = drafting_rows(self.shared.size.1);
                d.window.step(1, rows);
            }
            return;
        }
        let Some(id) = self.selected_invoice().map(|i| i.id) else {
            return;
        };
        let rows = history_rows(self.shared.size.1);
        if let Some(v) = &mut self.customer {
            if !v.invoices.marked.remove(&id) {
                v.invoices.marked.insert(id);
            }
            v.invoices.window.step(1, rows);
        }
    }

    /// Enter (the picked charges) or `A` (all open charges) on the drafting screen.
    pub(super) fn confirm_draft(&mut self, all: bool) {
        let Some(d) = &self.drafting else { return };
        let money = |v| self.shared.currency.display(v);
        let (message, charges) = if all {
            if d.window.count == 0 {
                return self.error("No open charges: every charge is already on an invoice");
            }
            (
                format!(
                    "Draft an invoice from {}?\nA draft is not a bill: the customer sees it once you finalize it.",
                    match d.window.count {
                        1 => "the one open charge".to_string(),
                        n => format!("all {n} open charges"),
                    }
                ),
                None,
            )
        } else {
            if d.picked.is_empty() {
                return self.error("Nothing selected: space selects a charge, A drafts all");
            }
            let total: Decimal = d.picked.values().sum();
            (
                format!(
                    "Draft an invoice from {} ({})?\nA draft is not a bill: the customer sees it once you finalize it.",
                    match d.picked.len() {
                        1 => "the selected charge".to_string(),
                        n => format!("the {n} selected charges"),
                    },
                    money(total)
                ),
                Some(d.picked.keys().copied().collect()),
            )
        };
        let op = InvoiceOp::Draft {
            customer: d.customer,
            charges,
        };
        self.confirm(message, op);
    }

    fn confirm(&mut self, message: String, op: InvoiceOp) {
        self.overlay = Some(Overlay::Confirm {
            message,
            effect: Box::new(Effect::Invoice(op)),
        });
    }

    /// Sends an operation without a dialog: either it changes nothing
    /// (export), or `ops` will refuse it with its own message.
    fn run_now(&mut self, op: InvoiceOp) {
        self.pending.push(Effect::Invoice(op));
    }

    fn confirm_invoice_action(&mut self, c: Command) {
        let Some(inv) = self.selected_invoice().cloned() else {
            return self.error("No invoice selected: press i to draft one from open charges");
        };
        let label = inv.label();
        let money = |v| self.shared.currency.display(v);
        let (allowed, op, message) = match c {
            Command::Finalize => (
                inv.status == InvoiceStatus::Draft,
                InvoiceOp::Finalize(inv.id),
                format!(
                    "Finalize & lock {label}?\nIt gets the next invoice number, is issued today and is due per the payment terms. {} can no longer be edited, and the customer can see it.",
                    match inv.lines {
                        1 => "Its charge".to_string(),
                        n => format!("Its {n} charges"),
                    }
                ),
            ),
            Command::DeleteDraft => (
                inv.status == InvoiceStatus::Draft,
                InvoiceOp::Delete(inv.id),
                format!(
                    "Delete {label}?\n{}. Nothing else changes.",
                    match inv.lines {
                        1 => "Its charge becomes open again".to_string(),
                        n => format!("Its {n} charges become open again"),
                    }
                ),
            ),
            Command::Void => (
                inv.status == InvoiceStatus::Open,
                InvoiceOp::Void(inv.id),
                format!(
                    "Void {label}?\nIt will no longer require payment: a credit \"Void {label}\" of {} is posted, and {} already paid on it goes back to available credit. This cannot be undone.",
                    money(inv.total),
                    money(inv.paid)
                ),
            ),
            Command::ApplyCredit => {
                let available = self
                    .customer
                    .as_ref()
                    .and_then(|v| v.page.as_ref())
                    .map(|p| p.breakdown.available_credit)
                    .unwrap_or_default();
                (
                    inv.status == InvoiceStatus::Open && available > Decimal::ZERO,
                    InvoiceOp::ApplyCredit(inv.id),
                    format!(
                        "Pay {label} from available credit?\n{} of the {} available is applied to its {} remaining. No new money: the balance does not move.",
                        money(available.min(inv.remaining())),
                        money(available),
                        money(inv.remaining())
                    ),
                )
            }
            _ => return,
        };
        if allowed {
            self.confirm(message, op);
        } else {
            self.run_now(op);
        }
    }

    fn pay_form(&mut self) {
        let Some(inv) = self.selected_invoice().cloned() else {
            return self.error("No invoice selected");
        };
        if inv.status != InvoiceStatus::Open {
            let input = PaymentInput::default();
            return self.run_now(InvoiceOp::Pay(inv.id, input));
        }
        let today = self.shared.today.format("%Y-%m-%d").to_string();
        let amount = self.shared.currency.plain(inv.remaining());
        let form = Form::payment(inv.id, &inv.label(), &amount, &today);
        self.overlay = Some(Overlay::Form(Box::new(form)));
    }

    fn confirm_cancel(&mut self) {
        let Some(v) = &self.customer else { return };
        let marked: Vec<&Invoice> = v
            .invoices
            .rows
            .iter()
            .filter(|i| v.invoices.marked.contains(&i.id))
            .collect();
        if v.invoices.marked.is_empty() {
            return self.error("Nothing selected: space selects invoices to cancel");
        }
        let ids: Vec<InvoiceId> = v.invoices.marked.iter().copied().collect();
        let drafts: Vec<String> = marked
            .iter()
            .filter(|i| i.status == InvoiceStatus::Draft)
            .map(|i| i.label())
            .collect();
        let open: Vec<String> = marked
            .iter()
            .filter(|i| i.status != InvoiceStatus::Draft)
            .map(|i| i.label())
            .collect();
        let mut lines = vec![format!("Cancel {} selected invoices?", ids.len())];
        if !drafts.is_empty() {
            lines.push(format!("Delete drafts: {}.", drafts.join(", ")));
        }
        if !open.is_empty() {
            lines.push(format!(
                "Void: {} (each posts a Void credit; payments go back to credit).",
                open.join(", ")
            ));
        }
        lines.push("Paid or void ones are refused, and then nothing changes.".into());
        self.confirm(lines.join("\n"), InvoiceOp::Cancel(ids));
    }

    /// After a successful save: leave the drafting screen for the Invoices
    /// tab, forget marks, and reload.
    pub(super) fn after_invoice_save(&mut self) {
        if self.screen == Screen::Drafting {
            self.drafting = None;
            self.screen = Screen::Customer;
            if let Some(v) = &mut self.customer {
                v.tab = Tab::Invoices;
                v.invoices.window = Window::default();
            }
        }
        if let Some(v) = &mut self.customer {
            v.invoices.marked.clear();
        }
    }

    /// The loads the Invoices tab and the drafting screen need.
    pub(super) fn sync_invoices(&mut self) -> Vec<Effect> {
        let mut fx = Vec::new();
        let today = self.shared.today;
        let rows = history_rows(self.shared.size.1);
        if let (Screen::Customer, Some(v)) = (self.screen, &mut self.customer)
            && v.tab == Tab::Invoices
        {
            let l = &mut v.invoices;
            l.window.reveal(rows);
            if let Some((offset, limit)) = l.window.wants(rows) {
                l.window.loaded = Some((offset, limit));
                fx.push(Effect::LoadInvoices {
                    query: InvoiceQuery {
                        customer: Some(v.id),
                        filter: l.filter,
                        sort: l.sort,
                        today: Some(today),
                        contract: l.contract.as_ref().map(|(id, _)| *id),
                        offset,
                        limit,
                    },
                });
            }
        }
        let rows = drafting_rows(self.shared.size.1);
        if let (Screen::Drafting, Some(d)) = (self.screen, &mut self.drafting) {
            d.window.reveal(rows);
            if let Some((offset, limit)) = d.window.wants(rows) {
                d.window.loaded = Some((offset, limit));
                fx.push(Effect::LoadOpenCharges {
                    customer: d.customer,
                    offset,
                    limit,
                });
            }
        }
        fx
    }

    pub(super) fn invoices_loaded(&mut self, page: RowsPage<Invoice>) {
        let rows = history_rows(self.shared.size.1);
        if let Some(v) = &mut self.customer
            && v.id == page.customer
        {
            let l = &mut v.invoices;
            l.loaded_once = true;
            l.window.count = page.count;
            l.window.offset = page.offset;
            l.rows = page.rows;
            l.window.reveal(rows);
        }
    }

    pub(super) fn charges_loaded(&mut self, page: RowsPage<Entry>) {
        let rows = drafting_rows(self.shared.size.1);
        if let Some(d) = &mut self.drafting
            && d.customer == page.customer
        {
            d.loaded_once = true;
            d.window.count = page.count;
            d.window.offset = page.offset;
            d.rows = page.rows;
            d.window.reveal(rows);
        }
    }
}
