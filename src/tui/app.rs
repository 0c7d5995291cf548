//! The TUI's state and its pure `update`: an [`Action`] in, the new state
//! and a list of [`Effect`]s out. No IO happens here, which is what lets the
//! update logic be tested without a terminal or a book.
//!
//! Invariants: the list and history hold only the rows of their visible
//! window; `selected` is within `0..count`; the window always contains the
//! selection. Anything that changes the book marks both views stale.

use chrono::NaiveDate;

use super::action::{Action, Command};
use super::form::{Form, FormKind};
use super::keymap::Context;
use crate::domain::{Currency, Customer, CustomerId, Entry};
use crate::store::{Counting, Keep};

use super::component::{Component, Cx, Nav, Out};
pub use super::effect::Effect;
pub use super::invoicing::{DraftView, InvoiceList, InvoiceOp};
pub use super::links::LinkOp;
pub use super::screens::customer::CustomerView;
pub use super::screens::customers::ListView;
pub use super::shared::Shared;
pub use super::tabs::{Tab, TabLists};
pub use super::view::{Overlay, Screen, Status};
pub use super::window::Window;

pub struct App {
    pub screen: Screen,
    pub list: ListView,
    pub customer: Option<CustomerView>,
    pub drafting: Option<DraftView>,
    pub reports: super::reports::Reports,
    pub overlay: Option<Overlay>,
    pub status: Option<Status>,
    pub quit: bool,
    /// What every screen reads: currency, business, today, size, settings.
    pub shared: Shared,
    /// The customers a sub-client's screen was opened from, nearest last:
    /// Esc goes back through them.
    pub(super) parents: Vec<CustomerView>,
    /// Effects decided outside `update`'s return path, sent on the next sync.
    pub(super) pending: Vec<Effect>,
}

pub use super::screens::customer::rows as history_rows;
pub use super::screens::customers::rows as list_rows;
pub use super::screens::drafting::rows as drafting_rows;

/// Keeps `id` in view, counting where they stand.
fn kept(id: CustomerId) -> Keep {
    Keep {
        id,
        row: None,
        locate: true,
    }
}

impl App {
    pub fn new(currency: Currency, business: String, today: NaiveDate, size: (u16, u16)) -> App {
        App {
            screen: Screen::Customers,
            list: ListView {
                need_count: Some(Counting::Capped),
                need_totals: true,
                ..Default::default()
            },
            customer: None,
            drafting: None,
            reports: Default::default(),
            overlay: None,
            status: None,
            quit: false,
            shared: Shared {
                currency,
                business,
                today,
                size,
                tax_hint: None,
                tax_rate: rust_decimal::Decimal::ZERO,
                mail: false,
                reminder_schedule: Vec::new(),
                page: 1,
            },
            parents: Vec::new(),
            pending: Vec::new(),
        }
    }

    /// The terminal's size: columns, rows.
    pub fn size(&self) -> (u16, u16) {
        self.shared.size
    }

    /// Where keys go right now.
    pub fn context(&self) -> Context {
        match &self.overlay {
            Some(o) => o.context(),
            None => self.on_show().map_or(Context::List, |c| c.context()),
        }
    }

    pub fn selected_customer(&self) -> Option<&Customer> {
        let w = &self.list.window;
        self.list.rows.get(w.selected.checked_sub(w.offset)?)
    }

    pub fn selected_entry(&self) -> Option<&Entry> {
        self.customer.as_ref()?.selected_entry()
    }

    /// One action in; the effects to perform out. Whatever the action or a
    /// component asks for is queued, and leaves by one route: [`App::sync`]
    /// drains the queue, then adds the loads the screen now needs.
    pub fn update(&mut self, action: Action) -> Vec<Effect> {
        match action {
            Action::Cmd(c) => self.command(c),
            Action::Input(_)
            | Action::Backspace
            | Action::Delete
            | Action::CursorLeft
            | Action::CursorRight
            | Action::ClearField => {
                self.edit_text(action);
                let inspect = self.inspect_attachment();
                self.pending.extend(inspect);
            }
            Action::NextField | Action::PrevField => {
                if let Some(Overlay::Form(f)) = &mut self.overlay {
                    f.next_field(if action == Action::NextField { 1 } else { -1 });
                }
            }
            Action::Submit => self.submit(),
            Action::Yes => {
                if let Some(Overlay::Confirm { effect, .. }) = self.overlay.take() {
                    self.pending.push(*effect);
                }
            }
            Action::No => {
                self.overlay = None;
                self.info("Nothing changed");
            }
            Action::Resize(w, h) => self.shared.size = (w, h),
            Action::ListLoaded(page) => self.list.loaded(page, &self.shared),
            Action::CustomerLoaded(page) => {
                if let Some(v) = &mut self.customer {
                    v.loaded(*page, &self.shared);
                }
            }
            Action::InvoicesLoaded(page) => {
                if let Some(v) = &mut self.customer {
                    v.invoices_loaded(page, &self.shared);
                }
            }
            Action::ChargesLoaded(page) => {
                if let Some(d) = &mut self.drafting {
                    d.charges_loaded(page, &self.shared);
                }
            }
            Action::TabLoaded(page) => {
                if let Some(v) = &mut self.customer {
                    v.tab_loaded(*page, &self.shared);
                }
            }
            Action::ReportLoaded(data) => self.reports.loaded(*data, &self.shared),
            Action::Saved { message, customer } => self.saved(message, customer),
            Action::BookChanged => self.book_changed(),
            Action::Idle => self.list.locate_kept(),
            Action::InvoiceLoaded(detail) => {
                // Opened, or reloaded after a change: keep the scroll.
                let scroll = match &self.overlay {
                    Some(Overlay::Invoice { scroll, .. }) => *scroll,
                    _ => 0,
                };
                self.overlay = Some(Overlay::Invoice { detail, scroll });
            }
            Action::FormInvalid(errors) => {
                if let Some(Overlay::Form(f)) = &mut self.overlay {
                    f.set_errors(&errors);
                }
                self.error("Nothing saved: fix the marked fields");
            }
            Action::DuplicateFound(message) => {
                if let Some(Overlay::Form(f)) = &mut self.overlay {
                    f.warning = Some(message);
                    f.allow_duplicate = true;
                }
            }
            Action::Exported(message) | Action::Copied(message) => {
                // A copy written from a form is done with the form.
                if let Some(Overlay::Form(f)) = &self.overlay
                    && matches!(
                        f.kind,
                        FormKind::SaveDocument { .. } | FormKind::FirstRun { .. }
                    )
                {
                    self.overlay = None;
                }
                self.info(&message);
            }
            Action::StartJobNow(spec) => self.pending.push(Effect::StartJob(spec)),
            Action::Merged { message, into } => {
                self.overlay = None;
                self.info(&message);
                self.customer = Some(CustomerView::new(into));
                self.screen = Screen::Customer;
                self.reload_all(Some(into));
            }
            Action::JobPreviewed { spec, text } => {
                self.overlay = Some(Overlay::Confirm {
                    message: text,
                    effect: Box::new(Effect::StartJob(spec)),
                });
            }
            Action::AttachPreview(text) => {
                if let Some(Overlay::Form(f)) = &mut self.overlay
                    && matches!(f.kind, FormKind::Attach { .. })
                {
                    f.preview = text;
                }
            }
            Action::JobDone(outcome) => {
                match outcome {
                    Ok(summary) => self.info(&summary),
                    Err(why) => self.error(&why),
                }
                self.reload_all(self.selected_customer().map(|c| c.id));
            }
            Action::Failed(message) => match &mut self.overlay {
                Some(Overlay::Form(f)) => f.error = Some(message),
                _ => self.error(&message),
            },
        }
        self.sync()
    }

    /// A command goes to the overlay first, then to the screen on show,
    /// then app-wide.
    fn command(&mut self, c: Command) {
        if self.overlay_command(c) || self.with_on_show(|v, cx| v.handle(c, cx)) {
            return;
        }
        match c {
            Command::Help => {
                let ctx = self.context();
                self.overlay = Some(Overlay::Help { ctx, scroll: 0 });
            }
            Command::Back => self.back(),
            Command::Quit => match self.screen {
                Screen::Customers => self.quit = true,
                _ => self.back(),
            },
            Command::NewCustomer => {
                self.overlay = Some(Overlay::Form(Box::new(Form::customer(None))))
            }
            Command::CommandMenu => {
                self.overlay = Some(Overlay::Form(Box::new(super::menu::form())));
            }
            Command::Aging | Command::Collections | Command::Glance => {
                self.with_reports(|r, cx| r.report_command(c, cx))
            }
            _ => {}
        }
    }

    /// The overlay's own commands (it is offered each first).
    fn overlay_command(&mut self, c: Command) -> bool {
        self.shared.page = self.page_rows();
        let mut out = Out::default();
        let done = self.overlay.as_mut().is_some_and(|o| {
            o.handle(
                c,
                &mut Cx {
                    shared: &self.shared,
                    out: &mut out,
                },
            )
        });
        self.apply(out);
        done
    }

    /// Draws the screen on show.
    pub fn render_screen(
        &self,
        frame: &mut ratatui::Frame,
        area: ratatui::layout::Rect,
        ui: &super::ui::Ui,
    ) {
        if let Some(c) = self.on_show() {
            c.render(frame, area, &self.shared, self.status.as_ref(), ui);
        }
    }

    /// The screen on show, as a component.
    fn on_show(&self) -> Option<&dyn Component> {
        match self.screen {
            Screen::Customers => Some(&self.list),
            Screen::Customer => self.customer.as_ref().map(|v| v as &dyn Component),
            Screen::Drafting => self.drafting.as_ref().map(|d| d as &dyn Component),
            Screen::Aging | Screen::Collections | Screen::Glance => Some(&self.reports),
        }
    }

    /// The screen on show, to change, and what every screen shares.
    fn on_show_mut(&mut self) -> (Option<&mut dyn Component>, &Shared) {
        let App {
            screen,
            list,
            customer,
            drafting,
            reports,
            shared,
            ..
        } = self;
        let target: Option<&mut dyn Component> = match screen {
            Screen::Customers => Some(list),
            Screen::Customer => customer.as_mut().map(|v| v as &mut dyn Component),
            Screen::Drafting => drafting.as_mut().map(|d| d as &mut dyn Component),
            Screen::Aging | Screen::Collections | Screen::Glance => Some(reports),
        };
        (target, shared)
    }

    /// Runs `f` on the screen on show with a context, then applies what it
    /// asked for; what `f` returned (false when nothing is on show).
    fn with_on_show(&mut self, f: impl FnOnce(&mut dyn Component, &mut Cx) -> bool) -> bool {
        let mut out = Out::default();
        let (target, shared) = self.on_show_mut();
        let done = target.is_some_and(|t| {
            f(
                t,
                &mut Cx {
                    shared,
                    out: &mut out,
                },
            )
        });
        self.apply(out);
        done
    }

    fn page_rows(&self) -> usize {
        match self.screen {
            Screen::Customers => list_rows(self.shared.size.1),
            Screen::Customer => history_rows(self.shared.size.1),
            Screen::Drafting => drafting_rows(self.shared.size.1),
            Screen::Aging | Screen::Collections | Screen::Glance => {
                super::reports::report_rows(self.shared.size.1)
            }
        }
    }

    /// Whether a keystroke left work for a quiet moment ([`Action::Idle`]).
    pub fn wants_idle(&self) -> bool {
        self.list.unlocated.is_some()
    }

    /// What [`Action::Idle`] may change on screen: the list's rows, the
    /// selection's screen row, and the status line.
    pub fn idle_view(&self) -> (Vec<Customer>, usize, Option<Status>) {
        let w = &self.list.window;
        (
            self.list.rows.clone(),
            w.selected.saturating_sub(w.offset),
            self.status.clone(),
        )
    }

    fn back(&mut self) {
        if let Some(o) = self.overlay.take() {
            if matches!(o, Overlay::Form(_)) {
                self.info("Cancelled: nothing saved");
            }
            return;
        }
        match self.screen {
            Screen::Customers => {}
            // A sub-client returns to the parent it was opened from.
            Screen::Customer if !self.parents.is_empty() => {
                self.customer = self.parents.pop();
                if let Some(v) = &mut self.customer {
                    v.need_summary = true;
                    v.window.loaded = None;
                }
            }
            Screen::Customer => {
                let view = self.customer.take();
                self.screen = view.as_ref().map_or(Screen::Customers, |v| v.return_to);
                if self.screen == Screen::Customers {
                    self.list.keep = view.map(|v| kept(v.id));
                } else {
                    // What was done on the customer may have changed it.
                    self.reports.stale = true;
                }
            }
            Screen::Drafting => {
                self.drafting = None;
                self.screen = Screen::Customer;
            }
            Screen::Aging | Screen::Collections | Screen::Glance => {
                self.screen = Screen::Customers;
            }
        }
    }

    fn edit_text(&mut self, action: Action) {
        if let Some(Overlay::Form(f)) = &mut self.overlay {
            match action {
                Action::Input(c) => f.input(c),
                Action::Backspace => f.backspace(),
                Action::Delete => f.delete(),
                Action::CursorLeft => f.left_right(-1),
                Action::CursorRight => f.left_right(1),
                Action::ClearField => f.clear(),
                _ => {}
            }
            f.edited();
            f.refresh_preview(&self.shared.currency, self.shared.tax_rate);
            return;
        }
        if self.context() == Context::Search {
            let mut s = self.list.search.clone();
            match action {
                Action::Input(c) => s.push(c),
                Action::Backspace => {
                    s.pop();
                }
                Action::ClearField => s.clear(),
                _ => return,
            }
            self.list.set_search(s);
        }
    }

    fn submit(&mut self) {
        if self.context() == Context::Search {
            self.list.searching = false;
            return;
        }
        let Some(Overlay::Form(f)) = &mut self.overlay else {
            return;
        };
        f.error = None;
        match super::forms::submit(f) {
            Ok(super::forms::Submit::Run(effect)) => self.pending.push(effect),
            Ok(super::forms::Submit::CloseAndRun(effect)) => {
                self.overlay = None;
                self.pending.push(effect);
            }
            Err(super::forms::Invalid { fields, message }) => {
                f.set_errors(&fields);
                self.error(message);
            }
        }
    }

    /// While the attach form is open: what its path would store, asked of
    /// the file system by an effect (the update itself does no IO).
    fn inspect_attachment(&self) -> Option<Effect> {
        let Some(Overlay::Form(f)) = &self.overlay else {
            return None;
        };
        if !matches!(f.kind, FormKind::Attach { .. }) {
            return None;
        }
        let (path, name) = super::forms::attach::fields(f).ok()?;
        Some(Effect::InspectAttachment { path, name })
    }

    fn saved(&mut self, message: String, customer: CustomerId) {
        self.overlay = None;
        self.info(&message);
        self.reload_all(Some(customer));
        self.after_invoice_save();
    }

    /// Marks every list and figure on screen for reloading, the customer
    /// list keeping its selection on `keep`.
    fn reload_all(&mut self, keep: Option<CustomerId>) {
        self.list.keep = keep.map(kept);
        self.list.book_changed();
        self.reports.book_changed();
        if let Some(v) = &mut self.customer {
            v.book_changed();
        }
    }

    /// Reloads every visible list and figure, keeping the selection on the
    /// same customer; forms and dialogs stay as they are.
    fn book_changed(&mut self) {
        self.reload_all(self.selected_customer().map(|c| c.id));
        if let Some(d) = &mut self.drafting {
            d.book_changed();
        }
        if let Some(Overlay::Invoice { detail, .. }) = &self.overlay {
            self.pending.push(Effect::LoadInvoice(detail.invoice.id));
        }
    }

    /// The effects the state now needs: what components asked for since
    /// the last sync (the one way their effects leave), then the loads of
    /// whatever is on screen.
    fn sync(&mut self) -> Vec<Effect> {
        let mut fx = std::mem::take(&mut self.pending);
        let (target, shared) = self.on_show_mut();
        if let Some(t) = target {
            fx.extend(t.sync(shared));
        }
        fx
    }

    /// After a successful save: leave the drafting screen for the Invoices
    /// tab, forget marks, and reload.
    fn after_invoice_save(&mut self) {
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

    /// Runs a component call on the report screens' state with a
    /// context, then applies what it asked for.
    fn with_reports(&mut self, f: impl FnOnce(&mut super::reports::Reports, &mut Cx)) {
        let mut out = Out::default();
        f(
            &mut self.reports,
            &mut Cx {
                shared: &self.shared,
                out: &mut out,
            },
        );
        self.apply(out);
    }

    /// What a component asked for: its effects queued for the runner, the
    /// overlay and status set, the navigation followed.
    fn apply(&mut self, out: Out) {
        self.pending.extend(out.effects);
        if out.close {
            self.overlay = None;
        }
        if let Some(o) = out.overlay {
            self.overlay = Some(o);
        }
        if let Some(s) = out.status {
            self.status = Some(s);
        }
        match out.nav {
            None => {}
            Some(Nav::Report(screen)) => {
                self.screen = screen;
                self.reports.shown = Some(screen);
            }
            Some(Nav::SubClient(id)) => {
                if let Some(parent) = self.customer.take() {
                    self.parents.push(parent);
                }
                self.customer = Some(CustomerView::new(id));
                self.screen = Screen::Customer;
            }
            Some(Nav::Drafting(customer)) => {
                let name = self
                    .customer
                    .as_ref()
                    .and_then(|v| v.page.as_ref())
                    .map(|p| p.customer.name.clone())
                    .unwrap_or_default();
                self.drafting = Some(DraftView::new(customer, name));
                self.screen = Screen::Drafting;
            }
            Some(Nav::Customer { id, from }) => {
                let mut view = CustomerView::new(id);
                view.return_to = from;
                self.customer = Some(view);
                self.screen = Screen::Customer;
            }
        }
    }

    pub(super) fn info(&mut self, text: &str) {
        self.status = Some(Status {
            text: text.into(),
            error: false,
        });
    }

    pub(super) fn error(&mut self, text: &str) {
        self.status = Some(Status {
            text: text.into(),
            error: true,
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::CustomerSort;
    use crate::store::{COUNT_CAP, CustomerQuery};
    use crate::tui::action::{CustomerLoad, ListPage};
    use chrono::{TimeZone, Utc};
    use rust_decimal::Decimal;

    fn app() -> App {
        let today = NaiveDate::from_ymd_opt(2026, 11, 21).expect("date");
        App::new(Currency::default(), "Shop".into(), today, (80, 24))
    }

    fn customer(id: i64, cents: i64) -> Customer {
        let t = Utc.with_ymd_and_hms(2026, 11, 21, 12, 0, 0).unwrap();
        Customer {
            id: CustomerId(id),
            name: format!("C{id}"),
            email: None,
            phone: None,
            address: None,
            tax_id: None,
            legal_name: None,
            notes: None,
            parent_id: None,
            bill_to_parent: false,
            invoices_paused: false,
            portal_delivery: false,
            billing_cycle: Default::default(),
            payment_terms_days: None,
            archived: false,
            source: "manual".into(),
            balance: Decimal::new(cents, 2),
            last_activity: t,
            created_at: t,
        }
    }

    /// Answers the first load with `count` customers, as `effects` would.
    fn loaded(app: &mut App, count: usize) -> Vec<Effect> {
        let fx = app.update(Action::Resize(80, 24));
        let Some(Effect::LoadList { query, .. }) = fx.first() else {
            panic!("expected a load, got {fx:?}")
        };
        let rows = (query.offset..(query.offset + query.limit).min(count))
            .map(|i| customer(i as i64 + 1, 0))
            .collect();
        app.update(Action::ListLoaded(ListPage {
            offset: query.offset,
            rows,
            count: Some(crate::store::ListCount {
                rows: count,
                exact: true,
            }),
            totals: None,
            select: None,
            anchored: None,
        }))
    }

    #[test]
    fn the_first_update_loads_only_the_visible_window_with_counts() {
        let mut a = app();
        let fx = a.update(Action::Resize(80, 24));
        assert_eq!(
            fx,
            vec![Effect::LoadList {
                query: CustomerQuery {
                    sort: CustomerSort::Balance,
                    search: None,
                    offset: 0,
                    limit: 20
                },
                count: Some(Counting::Capped),
                totals: true,
                keep: None
            }]
        );
    }

    #[test]
    fn moving_inside_the_window_loads_nothing_and_past_it_loads_one_window() {
        let mut a = app();
        assert!(loaded(&mut a, 1000).is_empty());
        for _ in 0..19 {
            assert!(a.update(Action::Cmd(Command::Down)).is_empty());
        }
        assert_eq!(a.list.window.selected, 19);
        let fx = a.update(Action::Cmd(Command::Down));
        assert!(matches!(
            &fx[..],
            [Effect::LoadList {
                query: CustomerQuery {
                    offset: 1,
                    limit: 20,
                    ..
                },
                count: None,
                ..
            }]
        ));
        a.update(Action::Cmd(Command::End));
        assert_eq!(a.list.window.selected, 999);
        assert_eq!(a.list.window.offset, 980);
        a.update(Action::Cmd(Command::PageUp));
        assert_eq!(a.list.window.selected, 979);
        a.update(Action::Cmd(Command::Home));
        assert_eq!((a.list.window.selected, a.list.window.offset), (0, 0));
    }

    #[test]
    fn typing_a_search_filters_from_the_top_and_esc_clears_it() {
        let mut a = app();
        loaded(&mut a, 50);
        a.update(Action::Cmd(Command::Down));
        a.update(Action::Cmd(Command::Search));
        assert_eq!(a.context(), Context::Search);
        let fx = a.update(Action::Input('a'));
        assert!(matches!(
            &fx[..],
            [Effect::LoadList {
                query: CustomerQuery { offset: 0, .. },
                count: Some(Counting::Capped),
                ..
            }]
        ));
        let Effect::LoadList { query, .. } = &fx[0] else {
            unreachable!()
        };
        assert_eq!(query.search.as_deref(), Some("a"));
        assert_eq!(a.list.window.selected, 0);
        a.update(Action::Submit);
        assert_eq!(a.context(), Context::List);
        assert_eq!(a.list.search, "a");
        let fx = a.update(Action::Cmd(Command::Back));
        assert!(matches!(
            &fx[..],
            [Effect::LoadList {
                query: CustomerQuery { search: None, .. },
                ..
            }]
        ));
    }

    #[test]
    fn a_list_counted_only_to_the_cap_is_counted_through_near_its_end() {
        use crate::store::ListCount;
        let mut a = app();
        a.update(Action::Resize(80, 24));
        a.update(Action::ListLoaded(ListPage {
            offset: 0,
            rows: (1..=20).map(|i| customer(i, 0)).collect(),
            count: Some(ListCount {
                rows: COUNT_CAP + 1,
                exact: false,
            }),
            totals: None,
            select: None,
            anchored: None,
        }));
        // Paging within the counted rows asks for no count.
        let fx = a.update(Action::Cmd(Command::PageDown));
        assert!(matches!(&fx[..], [Effect::LoadList { count: None, .. }]));
        let fx = a.update(Action::Cmd(Command::End));
        let [Effect::LoadList { query, count, .. }] = &fx[..] else {
            panic!("{fx:?}")
        };
        assert_eq!(*count, Some(Counting::Exact));
        a.update(Action::ListLoaded(ListPage {
            offset: query.offset,
            rows: vec![customer(1, 0)],
            count: Some(ListCount {
                rows: 5000,
                exact: true,
            }),
            totals: None,
            select: None,
            anchored: None,
        }));
        assert_eq!(a.list.window.selected, 4999, "End lands on the real end");
        assert!(a.list.count_exact);
    }

    #[test]
    fn cycling_sort_keeps_the_selected_customer() {
        let mut a = app();
        loaded(&mut a, 500);
        a.update(Action::Cmd(Command::Down));
        let fx = a.update(Action::Cmd(Command::CycleSort));
        // Read around them on their screen row (1), nothing counted yet.
        let want = Keep {
            id: CustomerId(2),
            row: Some(1),
            locate: false,
        };
        assert!(matches!(
            &fx[..],
            [Effect::LoadList {
                query: CustomerQuery {
                    sort: CustomerSort::Name,
                    ..
                },
                keep: Some(k),
                ..
            }] if *k == want
        ));
        a.update(Action::ListLoaded(ListPage {
            offset: 0,
            rows: vec![customer(5, 0), customer(2, 0), customer(1, 0)],
            count: None,
            totals: None,
            select: None,
            anchored: Some((CustomerId(2), 1)),
        }));
        assert_eq!(a.list.window.selected, 1);
        assert!(a.wants_idle(), "where they stand is left for later");
        // A quiet moment counts it, keeping them on row 1.
        let fx = a.update(Action::Idle);
        let want = Keep {
            locate: true,
            ..want
        };
        assert!(matches!(&fx[..], [Effect::LoadList { keep: Some(k), .. }] if *k == want));
        a.update(Action::ListLoaded(ListPage {
            offset: 3,
            rows: vec![customer(5, 0), customer(2, 0)],
            count: None,
            totals: None,
            select: Some(4),
            anchored: None,
        }));
        assert_eq!((a.list.window.selected, a.list.window.offset), (4, 3));
        assert!(!a.wants_idle());
    }

    #[test]
    fn a_new_customer_form_saves_through_an_effect_and_reloads_after() {
        let mut a = app();
        loaded(&mut a, 0);
        a.update(Action::Cmd(Command::NewCustomer));
        assert_eq!(a.context(), Context::Form);
        for c in "Ann".chars() {
            a.update(Action::Input(c));
        }
        let fx = a.update(Action::Submit);
        let [
            Effect::SaveCustomer {
                id: None,
                details,
                parent_name: None,
                allow_duplicate: false,
            },
        ] = &fx[..]
        else {
            panic!("{fx:?}")
        };
        assert_eq!(details.name, "Ann");
        a.update(Action::DuplicateFound("Possible duplicate".into()));
        let fx = a.update(Action::Submit);
        assert!(matches!(
            &fx[..],
            [Effect::SaveCustomer {
                allow_duplicate: true,
                ..
            }]
        ));
        let fx = a.update(Action::Saved {
            message: "Added Ann".into(),
            customer: CustomerId(7),
        });
        assert!(a.overlay.is_none());
        assert!(matches!(
            &fx[..],
            [Effect::LoadList {
                count: Some(Counting::Capped),
                keep: Some(Keep {
                    id: CustomerId(7),
                    ..
                }),
                ..
            }]
        ));
        assert_eq!(
            a.status.as_ref().map(|s| s.text.as_str()),
            Some("Added Ann")
        );
    }

    #[test]
    fn invalid_fields_are_marked_and_the_form_stays_open() {
        let mut a = app();
        loaded(&mut a, 1);
        a.update(Action::Cmd(Command::Open));
        assert_eq!(a.screen, Screen::Customer);
        a.update(Action::Cmd(Command::AddEntry));
        a.update(Action::FormInvalid(vec![(0, "amount is empty".into())]));
        let Some(Overlay::Form(f)) = &a.overlay else {
            panic!("form closed")
        };
        assert_eq!(f.fields[0].error.as_deref(), Some("amount is empty"));
        assert!(a.status.as_ref().is_some_and(|s| s.error));
        a.update(Action::Cmd(Command::Back));
        assert!(a.overlay.is_none());
        assert_eq!(
            a.screen,
            Screen::Customer,
            "esc closes the form, not the screen"
        );
    }

    #[test]
    fn quit_leaves_a_customer_first_and_the_app_from_the_list() {
        let mut a = app();
        loaded(&mut a, 1);
        a.update(Action::Cmd(Command::Open));
        let fx = a.update(Action::Cmd(Command::Quit));
        assert_eq!(a.screen, Screen::Customers);
        assert!(!a.quit);
        assert!(matches!(
            &fx[..],
            [Effect::LoadList {
                keep: Some(Keep {
                    id: CustomerId(1),
                    ..
                }),
                ..
            }]
        ));
        a.update(Action::Cmd(Command::Quit));
        assert!(a.quit);
    }

    #[test]
    fn resizing_keeps_the_selection_visible() {
        let mut a = app();
        loaded(&mut a, 100);
        a.update(Action::Cmd(Command::End));
        let fx = a.update(Action::Resize(80, 10));
        assert_eq!(a.list.window.selected, 99);
        assert_eq!(a.list.window.offset, 94);
        assert!(matches!(
            &fx[..],
            [Effect::LoadList {
                query: CustomerQuery {
                    offset: 94,
                    limit: 6,
                    ..
                },
                ..
            }]
        ));
    }

    #[test]
    fn scrolling_history_reloads_rows_but_not_the_summed_summary() {
        let mut a = app();
        loaded(&mut a, 3);
        let fx = a.update(Action::Cmd(Command::Open));
        let want = |offset, summary| Effect::LoadCustomer {
            id: CustomerId(1),
            offset,
            limit: history_rows(24),
            summary,
        };
        assert_eq!(fx, [want(0, true)]);
        let breakdown = crate::store::BalanceBreakdown {
            balance: Decimal::ZERO,
            available_credit: Decimal::ZERO,
            outstanding: Decimal::ZERO,
            uninvoiced: Decimal::ZERO,
            total_billed: Decimal::ZERO,
            total_collected: Decimal::ZERO,
            opening_balance: Decimal::ZERO,
        };
        let answer = |offset, summary: bool| {
            Action::CustomerLoaded(Box::new(CustomerLoad {
                locks: Vec::new(),
                id: CustomerId(1),
                offset,
                history: Vec::new(),
                summary: summary.then(|| crate::tui::action::CustomerSummary {
                    avg_days: None,
                    customer: customer(1, 0),
                    breakdown: breakdown.clone(),
                    count: 100,
                    link: None,
                    sub_clients: (0, Decimal::ZERO),
                    asked: Decimal::ZERO,
                }),
            }))
        };
        assert!(a.update(answer(0, true)).is_empty());
        let fx = a.update(Action::Cmd(Command::PageDown));
        let Some(Effect::LoadCustomer {
            offset, summary, ..
        }) = fx.first()
        else {
            panic!("expected a history load, got {fx:?}")
        };
        assert!(!summary, "scrolling must not re-sum the history");
        a.update(answer(*offset, false));
        assert_eq!(a.customer.as_ref().unwrap().window.count, 100);
        let fx = a.update(Action::Saved {
            message: "ok".into(),
            customer: CustomerId(1),
        });
        assert!(
            fx.iter()
                .any(|e| matches!(e, Effect::LoadCustomer { summary: true, .. }))
        );
    }
}
