//! The customer screen's tabs (seeds 003 and 004): which exist, the order
//! they come in, and for the read-mostly ones (Payments, Credits, Contacts,
//! Sub-clients, Timeline) their windowed rows, loads and drawing, one module
//! per tab. Billing and Invoices keep their own state in `app` and
//! `invoicing`.
//!
//! Invariants: like every list in the TUI, a tab holds only its visible
//! window of rows, and loads it with one indexed, limited query; the
//! Sub-clients tab exists only for a customer who has sub-clients.

mod contacts;
mod contracts;
mod credits;
mod documents;
mod payments;
mod sub_clients;
mod timeline;

use std::collections::HashMap;

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::Line;
use ratatui::widgets::Paragraph;

use super::action::Command;
use super::component::{Cx, Nav};
use super::effect::Effect;
use super::screens::customer::{CustomerView, rows as history_rows};
use super::shared::Shared;
use super::ui::Ui;
use super::view::Overlay;
use super::window::Window;
use crate::domain::contact::Contact;
use crate::domain::timeline::TimelineEvent;
use crate::domain::{Customer, CustomerId};
use crate::store::{CreditItem, Payment, Reads, Result};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Tab {
    #[default]
    History,
    Invoices,
    Payments,
    Credits,
    Contacts,
    SubClients,
    Timeline,
    Documents,
    Contracts,
}

impl Tab {
    /// Every tab in screen order; the number keys count from 1 here.
    pub const ALL: [Tab; 9] = [
        Tab::History,
        Tab::Invoices,
        Tab::Payments,
        Tab::Credits,
        Tab::Contacts,
        Tab::SubClients,
        Tab::Timeline,
        Tab::Documents,
        Tab::Contracts,
    ];

    pub fn label(self) -> &'static str {
        match self {
            Tab::History => "Billing",
            Tab::Invoices => "Invoices",
            Tab::Payments => "Payments",
            Tab::Credits => "Credits",
            Tab::Contacts => "Contacts",
            Tab::SubClients => "Sub-clients",
            Tab::Timeline => "Timeline",
            Tab::Documents => "Documents",
            Tab::Contracts => "Contracts",
        }
    }

    /// The tabs a customer has: Sub-clients only for a parent.
    pub fn shown(has_sub_clients: bool) -> Vec<Tab> {
        Tab::ALL
            .into_iter()
            .filter(|t| *t != Tab::SubClients || has_sub_clients)
            .collect()
    }

    /// The tab `step` places away among `shown`, wrapping around.
    pub fn cycle(self, shown: &[Tab], step: isize) -> Tab {
        let at = shown.iter().position(|t| *t == self).unwrap_or(0) as isize;
        let n = shown.len().max(1) as isize;
        shown[(at + step).rem_euclid(n) as usize]
    }

    /// Whether the tab's rows live in [`TabList`] (not Billing or Invoices).
    pub fn is_list(self) -> bool {
        !matches!(self, Tab::History | Tab::Invoices)
    }
}

/// One window of a tab's rows.
#[derive(Debug, Clone, PartialEq, Default)]
pub enum TabRows {
    #[default]
    None,
    Payments(Vec<Payment>),
    Credits(Vec<CreditItem>),
    Contacts(Vec<Contact>),
    SubClients(Vec<Customer>),
    Timeline(Vec<TimelineEvent>),
    Documents(Vec<crate::domain::document::Document>),
    Contracts(Vec<contracts::ContractRow>),
}

/// A tab's window and the rows in it.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct TabList {
    pub window: Window,
    pub rows: TabRows,
    pub loaded_once: bool,
}

/// The tab lists of one customer screen, by tab.
pub type TabLists = HashMap<Tab, TabList>;

/// What a tab load answered.
#[derive(Debug, Clone, PartialEq)]
pub struct TabPage {
    pub customer: CustomerId,
    pub tab: Tab,
    pub offset: usize,
    pub count: usize,
    pub rows: TabRows,
}

/// Reads one window of a tab, and how many rows it has, in the caller's
/// snapshot.
pub fn load(
    r: &Reads<'_>,
    customer: CustomerId,
    tab: Tab,
    offset: usize,
    limit: usize,
) -> Result<TabPage> {
    let (count, rows) = match tab {
        Tab::Payments => payments::load(r, customer, offset, limit)?,
        Tab::Credits => credits::load(r, customer, offset, limit)?,
        Tab::Contacts => contacts::load(r, customer, offset, limit)?,
        Tab::SubClients => sub_clients::load(r, customer, offset, limit)?,
        Tab::Timeline => timeline::load(r, customer, offset, limit)?,
        Tab::Documents => documents::load(r, customer, offset, limit)?,
        Tab::Contracts => contracts::load(r, customer, offset, limit)?,
        Tab::History | Tab::Invoices => (0, TabRows::None),
    };
    Ok(TabPage {
        customer,
        tab,
        offset,
        count,
        rows,
    })
}

/// Draws the current list tab into `area`.
pub fn render(
    frame: &mut Frame,
    area: Rect,
    view: &CustomerView,
    shared: &Shared,
    tab: Tab,
    ui: &Ui,
) {
    let Some(list) = view.lists.get(&tab) else {
        return;
    };
    if list.loaded_once && list.window.count == 0 {
        let text = match tab {
            Tab::Payments => payments::EMPTY,
            Tab::Credits => credits::EMPTY,
            Tab::Contacts => contacts::EMPTY,
            Tab::SubClients => sub_clients::EMPTY,
            Tab::Documents => documents::EMPTY,
            Tab::Contracts => contracts::EMPTY,
            _ => timeline::EMPTY,
        };
        let text = super::ui::with_keys(text, &ui.keymap);
        frame.render_widget(
            Paragraph::new(vec![Line::raw(""), Line::raw(text)]).centered(),
            area,
        );
        return;
    }
    let w = &list.window;
    match &list.rows {
        TabRows::Payments(rows) => payments::render(frame, area, rows, w, shared, ui),
        TabRows::Credits(rows) => credits::render(frame, area, rows, w, shared, ui),
        TabRows::Contacts(rows) => contacts::render(frame, area, rows, w, ui),
        TabRows::SubClients(rows) => sub_clients::render(frame, area, rows, w, shared, ui),
        TabRows::Timeline(rows) => timeline::render(frame, area, rows, w, ui),
        TabRows::Documents(rows) => documents::render(frame, area, rows, w, ui),
        TabRows::Contracts(rows) => contracts::render(frame, area, rows, w, shared, ui),
        TabRows::None => {}
    }
}

/// The selected row of a tab, if it holds rows of that kind.
pub fn selected<'a, T>(
    list: &'a TabList,
    rows: impl Fn(&'a TabRows) -> Option<&'a [T]>,
) -> Option<&'a T> {
    let w = &list.window;
    rows(&list.rows)?.get(w.selected.checked_sub(w.offset)?)
}

impl CustomerView {
    /// The tabs this customer has.
    pub fn shown_tabs(&self) -> Vec<Tab> {
        let subs = self.page.as_ref().is_some_and(|p| p.sub_clients.0 > 0);
        Tab::shown(subs)
    }

    /// The list of the tab on screen, when it is one of the list tabs.
    pub fn current_list(&self) -> Option<&TabList> {
        self.lists.get(&self.tab)
    }

    /// `tab`, `shift-tab` and the number keys.
    pub(crate) fn tab_command(&mut self, c: Command, cx: &mut Cx) {
        let shown = self.shown_tabs();
        let next = match c {
            Command::SwitchTab => self.tab.cycle(&shown, 1),
            Command::PrevTab => self.tab.cycle(&shown, -1),
            Command::ShowTab(n) => match Tab::ALL.get(usize::from(n).wrapping_sub(1)) {
                Some(t) if shown.contains(t) => *t,
                Some(_) => return cx.info("Sub-clients: this customer has none"),
                None => return,
            },
            _ => return,
        };
        self.tab = next;
        if next.is_list() {
            self.lists.entry(next).or_default();
        }
    }

    /// The load the list tab on screen needs, if any.
    pub(crate) fn sync_tabs(&mut self, shared: &Shared) -> Option<Effect> {
        let rows = history_rows(shared.size.1);
        let tab = self.tab;
        let list = self.lists.get_mut(&tab)?;
        list.window.reveal(rows);
        let (offset, limit) = list.window.wants(rows)?;
        list.window.loaded = Some((offset, limit));
        Some(Effect::LoadTab {
            customer: self.id,
            tab,
            offset,
            limit,
        })
    }

    pub(crate) fn tab_loaded(&mut self, page: TabPage, shared: &Shared) {
        if self.id != page.customer {
            return;
        }
        let Some(list) = self.lists.get_mut(&page.tab) else {
            return;
        };
        list.loaded_once = true;
        list.window.count = page.count;
        list.window.offset = page.offset;
        list.rows = page.rows;
        list.window.reveal(history_rows(shared.size.1));
    }

    /// Moves the selection of the list tab on screen.
    pub(crate) fn step_tab(&mut self, delta: isize, rows: usize) {
        if let Some(list) = self.lists.get_mut(&self.tab) {
            list.window.step(delta, rows);
        }
    }

    /// Enter on the Sub-clients tab: that customer's own screen, Esc
    /// coming back here.
    pub(crate) fn open_sub_client(&self, cx: &mut Cx) {
        let id = self
            .current_list()
            .and_then(|l| {
                selected(l, |r| match r {
                    TabRows::SubClients(rows) => Some(rows.as_slice()),
                    _ => None,
                })
            })
            .map(|c| c.id);
        if let Some(id) = id {
            cx.go(Nav::SubClient(id));
        }
    }

    /// `r` and `t` on the Credits tab: the refund or transfer form, with
    /// the available credit filled in.
    pub(crate) fn credit_form(&self, c: Command, cx: &mut Cx) {
        if self.tab != Tab::Credits {
            return cx.info("Refunds and transfers start from the Credits tab (4)");
        }
        let Some(page) = &self.page else { return };
        let available = page.breakdown.available_credit;
        // A refund against a paid invoice needs no credit beforehand.
        if available <= rust_decimal::Decimal::ZERO && c == Command::Transfer {
            return cx.error("No available credit to transfer");
        }
        let amount = if available > rust_decimal::Decimal::ZERO {
            cx.shared.currency.plain(available)
        } else {
            String::new()
        };
        let today = cx.shared.today.format("%Y-%m-%d").to_string();
        let name = &page.customer.name;
        let form = match c {
            Command::Refund => crate::tui::forms::refund::build(self.id, name, &amount, &today),
            _ => crate::tui::forms::transfer::build(self.id, name, &amount, &today),
        };
        cx.open(Overlay::Form(Box::new(form)));
    }

    /// `n`, `x` and `d` on the Documents tab.
    pub(crate) fn document_command(&self, c: Command, cx: &mut Cx) {
        let chosen = self
            .current_list()
            .and_then(|l| {
                selected(l, |r| match r {
                    TabRows::Documents(rows) => Some(rows.as_slice()),
                    _ => None,
                })
            })
            .cloned();
        match (c, chosen) {
            (Command::AttachDocument, _) => {
                cx.open(Overlay::Form(Box::new(crate::tui::forms::attach::build(self.id))))
            }
            (Command::SaveDocument, Some(d)) => {
                let form = crate::tui::forms::save_document::build(d.id, &d.name);
                cx.open(Overlay::Form(Box::new(form)));
            }
            (Command::RemoveDocument, Some(d)) => cx.confirm(
                format!(
                    "Remove document #{} {} ({})?\nIt is deleted from the book; a copy saved elsewhere stays.",
                    d.id,
                    crate::tui::safe(&d.name),
                    crate::domain::document::human_size(d.size)
                ),
                Effect::RemoveDocument(d.id),
            ),
            _ => cx.error("No document selected: attach one with {AttachDocument}"),
        }
    }

    /// `n`, `e` and `d` on the Contacts tab.
    pub(crate) fn contact_command(&self, c: Command, cx: &mut Cx) {
        if self.tab != Tab::Contacts {
            return cx.info("Contacts are added and edited on the Contacts tab (5)");
        }
        let chosen = self
            .current_list()
            .and_then(|l| {
                selected(l, |r| match r {
                    TabRows::Contacts(rows) => Some(rows.as_slice()),
                    _ => None,
                })
            })
            .cloned();
        match (c, chosen) {
            (Command::NewContact, _) => cx.open(Overlay::Form(Box::new(
                crate::tui::forms::contact::build(self.id, None),
            ))),
            (Command::EditContact, Some(contact)) => {
                let form = crate::tui::forms::contact::build(self.id, Some(&contact));
                cx.open(Overlay::Form(Box::new(form)));
            }
            (Command::RemoveContact, Some(contact)) => cx.confirm(
                format!(
                    "Remove contact #{} {}?\nThe customer and their billing stay as they are.",
                    contact.id,
                    crate::tui::safe(&contact.details.name)
                ),
                Effect::RemoveContact(contact.id),
            ),
            _ => cx.error("No contact selected: add one with {NewContact}"),
        }
    }

    /// Enter on a list tab: a sub-client opens; any other row is shown in
    /// full (the table cuts long text to fit).
    pub(crate) fn open_row(&mut self, cx: &mut Cx) {
        let Some(list) = self.current_list() else {
            return;
        };
        let w = &list.window;
        let Some(at) = w.selected.checked_sub(w.offset) else {
            return;
        };
        let cur = &cx.shared.currency;
        let note = match &list.rows {
            TabRows::SubClients(_) => return self.open_sub_client(cx),
            TabRows::Payments(rows) => rows.get(at).map(|p| payments::note(p, cur)),
            TabRows::Credits(rows) => rows.get(at).map(|i| credits::note(i, cur)),
            TabRows::Contacts(rows) => rows.get(at).map(contacts::note),
            TabRows::Timeline(rows) => rows.get(at).map(timeline::note),
            TabRows::Documents(rows) => rows.get(at).map(documents::note),
            TabRows::Contracts(rows) => {
                // Enter on a contract: the invoices its charges are on.
                let Some((c, _, _)) = rows.get(at) else {
                    return;
                };
                let (id, name) = (c.id, c.name.clone());
                self.invoices.contract = Some((id, name.clone()));
                self.invoices.window = Window::default();
                self.tab = Tab::Invoices;
                return cx.info(&format!(
                    "Invoices with charges of {} (f shows all)",
                    crate::tui::safe(&name)
                ));
            }
            TabRows::None => None,
        };
        if let Some((title, text)) = note {
            cx.open(Overlay::Note {
                title,
                text,
                scroll: 0,
            });
        }
    }
}

/// Where keys go on `tab` (the app's `context` says the same).
pub fn context_of(tab: Tab) -> crate::tui::keymap::Context {
    use crate::tui::keymap::Context;
    match tab {
        Tab::History => Context::Customer,
        Tab::Invoices => Context::Invoices,
        Tab::Contacts => Context::Contacts,
        Tab::Documents => Context::Documents,
        _ => Context::Tabs,
    }
}

/// The key hints of a list tab's status line.
pub fn hints(tab: Tab, ui: &Ui) -> Vec<(String, &'static str)> {
    let k = |c| ui.keymap.key_in(context_of(tab), c);
    let mut h = match tab {
        Tab::Credits => vec![
            (k(Command::Refund), "refund"),
            (k(Command::Transfer), "transfer"),
            (k(Command::ShowTab(2)), "invoices (c applies credit)"),
        ],
        Tab::Contacts => vec![
            (k(Command::NewContact), "add"),
            (k(Command::EditContact), "edit"),
            (k(Command::RemoveContact), "remove"),
        ],
        Tab::SubClients => vec![(k(Command::Open), "open")],
        Tab::Contracts => vec![
            (k(Command::NewContract), "new contract"),
            (k(Command::Open), "its invoices"),
        ],
        Tab::Documents => vec![
            (k(Command::AttachDocument), "attach"),
            (k(Command::SaveDocument), "save a copy"),
            (k(Command::RemoveDocument), "remove"),
        ],
        _ => vec![(k(Command::AddEntry), "add entry")],
    };
    h.push((k(Command::SwitchTab), "next tab"));
    h.push((k(Command::Help), "help"));
    h
}

/// What the tab line says beside a list tab's name, longest first: the tab
/// bar shows the first that fits.
pub fn detail(
    view: &CustomerView,
    shared: &Shared,
    page: &super::action::CustomerPage,
    tab: Tab,
) -> Vec<String> {
    let cur = &shared.currency;
    let n = view.current_list().map_or(0, |l| l.window.count);
    let count = |one: &str, many: &str| crate::domain::text::count(n, one, many);
    match tab {
        Tab::Payments => {
            let n = count("payment", "payments");
            vec![format!("{n}, newest first"), n]
        }
        Tab::Credits => {
            let available = cur.display(page.breakdown.available_credit);
            vec![
                format!("{available} available · {}", count("item", "items")),
                format!("{available} available"),
            ]
        }
        Tab::Contacts => vec![count("contact", "contacts")],
        Tab::Documents => vec![count("document", "documents")],
        Tab::Contracts => vec![count("contract", "contracts")],
        Tab::SubClients => {
            let combined = cur.display(page.breakdown.balance + page.sub_clients.1);
            // Shown when sub-clients billed here change what it is asked.
            let asked = if page.asked != crate::domain::figures::owed(page.breakdown.balance) {
                format!(" · asked to pay {}", cur.display(page.asked))
            } else {
                String::new()
            };
            vec![
                format!(
                    "{} · combined balance {combined}{asked}",
                    count("sub-client", "sub-clients")
                ),
                format!("combined {combined}{asked}"),
                format!("combined {combined}"),
            ]
        }
        _ => {
            let n = count("event", "events");
            vec![format!("{n}, newest first"), n]
        }
    }
}
