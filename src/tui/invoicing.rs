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
use super::component::{Cx, Nav};
use super::effect::Effect;
use super::form::Form;
use super::screens::customer::{CustomerView, rows as history_rows};
use super::screens::drafting::rows as drafting_rows;
use super::shared::Shared;
use super::tabs::Tab;
use super::view::Overlay;
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
    /// The customer's name, for the title.
    pub name: String,
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

impl CustomerView {
    /// The invoice under the cursor on the Invoices tab.
    pub fn selected_invoice(&self) -> Option<&Invoice> {
        let w = &self.invoices.window;
        self.invoices.rows.get(w.selected.checked_sub(w.offset)?)
    }

    /// The Invoices tab's keys.
    pub(super) fn invoice_command(&mut self, c: Command, cx: &mut Cx) {
        match c {
            Command::DraftInvoice => cx.go(Nav::Drafting(self.id)),
            Command::ToggleMark => self.toggle_mark(cx),
            Command::CycleSort => self.cycle_invoices(true, cx),
            Command::CycleFilter => self.cycle_invoices(false, cx),
            Command::CancelMarked => self.confirm_cancel(cx),
            Command::MarkPaid => self.pay_form(cx),
            Command::Export => {
                if let Some(inv) = self.selected_invoice() {
                    cx.run(Effect::Invoice(InvoiceOp::Export(inv.id)));
                }
            }
            _ => self.confirm_invoice_action(c, cx),
        }
    }

    fn cycle_invoices(&mut self, sort: bool, cx: &mut Cx) {
        let l = &mut self.invoices;
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
        cx.info(&text);
    }

    fn toggle_mark(&mut self, cx: &mut Cx) {
        let Some(id) = self.selected_invoice().map(|i| i.id) else {
            return;
        };
        if !self.invoices.marked.remove(&id) {
            self.invoices.marked.insert(id);
        }
        self.invoices.window.step(1, history_rows(cx.shared.size.1));
    }

    fn confirm_invoice_action(&self, c: Command, cx: &mut Cx) {
        let Some(inv) = self.selected_invoice().cloned() else {
            return cx.error("No invoice selected: press i to draft one from open charges");
        };
        let label = inv.label();
        let money = |v| cx.shared.currency.display(v);
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
                    .page
                    .as_ref()
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
        // In the wrong state the request goes straight to `ops`, whose
        // refusal (nothing changed) is shown as is.
        if allowed {
            cx.confirm(message, Effect::Invoice(op));
        } else {
            cx.run(Effect::Invoice(op));
        }
    }

    fn pay_form(&self, cx: &mut Cx) {
        let Some(inv) = self.selected_invoice().cloned() else {
            return cx.error("No invoice selected");
        };
        if inv.status != InvoiceStatus::Open {
            let input = PaymentInput::default();
            return cx.run(Effect::Invoice(InvoiceOp::Pay(inv.id, input)));
        }
        let today = cx.shared.today.format("%Y-%m-%d").to_string();
        let amount = cx.shared.currency.plain(inv.remaining());
        let form = Form::payment(inv.id, &inv.label(), &amount, &today);
        cx.open(Overlay::Form(Box::new(form)));
    }

    fn confirm_cancel(&self, cx: &mut Cx) {
        let l = &self.invoices;
        let marked: Vec<&Invoice> = l.rows.iter().filter(|i| l.marked.contains(&i.id)).collect();
        if l.marked.is_empty() {
            return cx.error("Nothing selected: space selects invoices to cancel");
        }
        let ids: Vec<InvoiceId> = l.marked.iter().copied().collect();
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
        cx.confirm(lines.join("\n"), Effect::Invoice(InvoiceOp::Cancel(ids)));
    }

    /// The Invoices tab's rows, when it is open and they are not loaded.
    pub(super) fn sync_invoices(&mut self, shared: &Shared) -> Option<Effect> {
        if self.tab != Tab::Invoices {
            return None;
        }
        let rows = history_rows(shared.size.1);
        let l = &mut self.invoices;
        l.window.reveal(rows);
        let (offset, limit) = l.window.wants(rows)?;
        l.window.loaded = Some((offset, limit));
        Some(Effect::LoadInvoices {
            query: InvoiceQuery {
                customer: Some(self.id),
                filter: l.filter,
                sort: l.sort,
                today: Some(shared.today),
                contract: l.contract.as_ref().map(|(id, _)| *id),
                offset,
                limit,
            },
        })
    }

    pub(super) fn invoices_loaded(&mut self, page: RowsPage<Invoice>, shared: &Shared) {
        if self.id != page.customer {
            return;
        }
        let l = &mut self.invoices;
        l.loaded_once = true;
        l.window.count = page.count;
        l.window.offset = page.offset;
        l.rows = page.rows;
        l.window.reveal(history_rows(shared.size.1));
    }
}

impl DraftView {
    pub(super) fn new(customer: CustomerId, name: String) -> DraftView {
        DraftView {
            customer,
            name,
            window: Window::default(),
            rows: Vec::new(),
            picked: BTreeMap::new(),
            loaded_once: false,
        }
    }

    fn selected_charge(&self) -> Option<&Entry> {
        self.rows
            .get(self.window.selected.checked_sub(self.window.offset)?)
    }

    /// Space: pick or unpick the charge, and move on.
    pub(super) fn toggle_mark(&mut self, cx: &mut Cx) {
        let Some((id, total)) = self.selected_charge().map(|e| (e.id, e.amount + e.tax)) else {
            return;
        };
        if self.picked.remove(&id).is_none() {
            self.picked.insert(id, total);
        }
        self.window.step(1, drafting_rows(cx.shared.size.1));
    }

    /// Enter (the picked charges) or `A` (all open charges).
    pub(super) fn confirm_draft(&self, all: bool, cx: &mut Cx) {
        let money = |v| cx.shared.currency.display(v);
        let (message, charges) = if all {
            if self.window.count == 0 {
                return cx.error("No open charges: every charge is already on an invoice");
            }
            (
                format!(
                    "Draft an invoice from {}?\nA draft is not a bill: the customer sees it once you finalize it.",
                    match self.window.count {
                        1 => "the one open charge".to_string(),
                        n => format!("all {n} open charges"),
                    }
                ),
                None,
            )
        } else {
            if self.picked.is_empty() {
                return cx.error("Nothing selected: space selects a charge, A drafts all");
            }
            let total: Decimal = self.picked.values().sum();
            (
                format!(
                    "Draft an invoice from {} ({})?\nA draft is not a bill: the customer sees it once you finalize it.",
                    match self.picked.len() {
                        1 => "the selected charge".to_string(),
                        n => format!("the {n} selected charges"),
                    },
                    money(total)
                ),
                Some(self.picked.keys().copied().collect()),
            )
        };
        let op = InvoiceOp::Draft {
            customer: self.customer,
            charges,
        };
        cx.confirm(message, Effect::Invoice(op));
    }

    /// The open charges' rows, when they are not loaded.
    pub(super) fn sync(&mut self, shared: &Shared) -> Option<Effect> {
        let rows = drafting_rows(shared.size.1);
        self.window.reveal(rows);
        let (offset, limit) = self.window.wants(rows)?;
        self.window.loaded = Some((offset, limit));
        Some(Effect::LoadOpenCharges {
            customer: self.customer,
            offset,
            limit,
        })
    }

    pub(super) fn charges_loaded(&mut self, page: RowsPage<Entry>, shared: &Shared) {
        if self.customer != page.customer {
            return;
        }
        self.loaded_once = true;
        self.window.count = page.count;
        self.window.offset = page.offset;
        self.rows = page.rows;
        self.window.reveal(drafting_rows(shared.size.1));
    }
}
