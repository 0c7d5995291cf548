//! The customer screen: who they are, what their balance is made of, and
//! two tabs: their billing history (newest first) and their invoices.

use crate::tui::safe;
use crate::tui::theme::Badge;
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use crate::domain::CustomerId;
use crate::domain::EntryKind;
use crate::domain::InvoiceStatus;
use crate::domain::invoice::InvoiceFilter;
use crate::tui::action::{Command, CustomerLoad, CustomerPage};
use crate::tui::effect::Effect;
use crate::tui::invoicing::InvoiceList;
use crate::tui::shared::Shared;
use crate::tui::tabs::Tab;
use crate::tui::tabs::TabLists;
use crate::tui::ui::Scene;
use crate::tui::ui::{Ui, status_line, title_bar, window_table};
use crate::tui::view::Screen;
use crate::tui::widgets::columns::{Grid, Kind, col, fit_parts, styled};
use crate::tui::window::Window;

/// A customer's screen: their page, the window over the open tab's rows,
/// each tab's lists once opened, and where Esc returns to.
#[derive(Debug, Clone, PartialEq)]
pub struct CustomerView {
    pub id: CustomerId,
    pub page: Option<CustomerPage>,
    pub window: Window,
    pub tab: Tab,
    pub invoices: InvoiceList,
    /// Payments, Credits, Contacts, Sub-clients and Timeline, once opened.
    pub lists: TabLists,
    /// Where Esc goes: the list, or the report it was opened from.
    pub return_to: Screen,
    pub(crate) need_summary: bool,
}

impl CustomerView {
    pub(crate) fn new(id: CustomerId) -> CustomerView {
        CustomerView {
            id,
            page: None,
            window: Window::default(),
            tab: Tab::History,
            invoices: InvoiceList::default(),
            lists: TabLists::default(),
            return_to: Screen::Customers,
            need_summary: true,
        }
    }
}

impl CustomerView {
    /// The customer's history window (and, after a change, their summary)
    /// arrived.
    pub(crate) fn loaded(&mut self, load: CustomerLoad, shared: &Shared) {
        if self.id != load.id {
            return;
        }
        match (load.summary, &mut self.page) {
            (Some(s), page) => {
                *page = Some(CustomerPage {
                    customer: s.customer,
                    breakdown: s.breakdown,
                    offset: load.offset,
                    history: load.history,
                    locks: load.locks,
                    count: s.count,
                    link: s.link,
                    avg_days: s.avg_days,
                    sub_clients: s.sub_clients,
                    asked: s.asked,
                });
            }
            (None, Some(page)) => {
                page.offset = load.offset;
                page.history = load.history;
                page.locks = load.locks;
            }
            (None, None) => return,
        }
        if let Some(page) = &self.page {
            self.window.count = page.count;
            self.window.offset = page.offset;
        }
        self.window.reveal(rows(shared.size.1));
    }

    /// The history rows the window lacks, or the summary after a change.
    pub(crate) fn sync_history(&mut self, shared: &Shared) -> Option<Effect> {
        let rows = rows(shared.size.1);
        self.window.reveal(rows);
        let (offset, limit) = self
            .window
            .wants(rows)
            .or_else(|| self.need_summary.then_some((self.window.offset, rows)))?;
        self.window.loaded = Some((offset, limit));
        Some(Effect::LoadCustomer {
            id: self.id,
            offset,
            limit,
            summary: std::mem::take(&mut self.need_summary),
        })
    }
}

/// Title, three lines about the customer, balances, payment link,
/// metrics, tab bar, the tab's table, status.
pub fn layout(area: Rect) -> [Rect; 8] {
    Layout::vertical([
        Constraint::Length(1),
        Constraint::Length(3),
        Constraint::Length(1),
        Constraint::Length(1),
        Constraint::Length(1),
        Constraint::Length(1),
        Constraint::Min(1),
        Constraint::Length(1),
    ])
    .areas(area)
}

const TABLE: usize = 6;

/// Rows of the table body at a terminal `height`: the table's area in
/// [`layout`] less its header line. Paging uses this, so a page is what
/// is drawn.
pub fn rows(height: u16) -> usize {
    let area = Rect::new(0, 0, 1, height);
    usize::from(layout(area)[TABLE].height.saturating_sub(1)).max(1)
}

pub fn render(frame: &mut Frame, area: Rect, sc: &Scene<CustomerView>, ui: &Ui) {
    let [
        title,
        info,
        balances,
        link,
        metrics_area,
        tab,
        table,
        status,
    ] = layout(area);
    let view = sc.view;
    let ctx = crate::tui::tabs::context_of(view.tab);
    let k = |c| ui.keymap.key_in(ctx, c);
    let hints = match view.tab {
        Tab::History => vec![
            (k(Command::AddEntry), "add entry"),
            (k(Command::EditEntry), "edit"),
            (k(Command::RemoveEntry), "remove"),
            (k(Command::DraftInvoice), "invoice charges"),
            (k(Command::SwitchTab), "next tab"),
            (k(Command::Help), "help"),
        ],
        Tab::Invoices => vec![
            (k(Command::DraftInvoice), "draft"),
            (k(Command::Finalize), "finalize"),
            (k(Command::MarkPaid), "paid"),
            (k(Command::Void), "void"),
            (k(Command::ToggleMark), "select"),
            (k(Command::SwitchTab), "next tab"),
            (k(Command::Help), "more"),
        ],
        tab => crate::tui::tabs::hints(tab, ui),
    };
    // Where Esc goes back to.
    let from = match view.return_to {
        Screen::Aging => "Receivables aging",
        Screen::Collections => "Collections",
        _ => "Customers",
    };
    let Some(page) = &view.page else {
        title_bar(frame, title, &format!("{from} / …"), "", ui);
        status_line(frame, status, sc.status, &hints, ui);
        return;
    };
    let c = &page.customer;
    title_bar(
        frame,
        title,
        &format!("{from} / {}", safe(&c.name)),
        &format!("customer {}", c.id),
        ui,
    );
    header(frame, info, page, ui);
    breakdown(frame, balances, page, sc, ui);
    payment_link(frame, link, page, ui);
    metrics(frame, metrics_area, page, sc, ui);
    let l = &view.invoices;
    let detail: Vec<String> = match view.tab {
        Tab::History => vec![format!(
            "  {}, newest first",
            crate::domain::text::count(page.count, "entry", "entries")
        )],
        Tab::Invoices => vec![format!(
            "  {} · sorted by {}{}{}",
            crate::tui::plural(
                l.window.count,
                &match l.filter {
                    InvoiceFilter::All => "invoice".to_string(),
                    f => format!("{} invoice", f.label()),
                }
            ),
            l.sort.label(),
            match &l.contract {
                Some((_, name)) => format!(" · contract {}", safe(name)),
                None => String::new(),
            },
            if l.marked.is_empty() {
                String::new()
            } else {
                format!(" · {} selected", l.marked.len())
            }
        )],
        t => crate::tui::tabs::detail(sc.view, sc.shared, page, t)
            .into_iter()
            .map(|d| format!("  {d}"))
            .collect(),
    };
    let tab_line = tab_bar(
        &sc.view.shown_tabs(),
        view.tab,
        detail,
        tab.width as usize,
        ui,
    );
    frame.render_widget(Paragraph::new(tab_line), tab);
    match view.tab {
        Tab::History => history(frame, table, page, sc, ui),
        Tab::Invoices => invoices(frame, table, sc, ui),
        t => crate::tui::tabs::render(frame, table, sc.view, sc.shared, t, ui),
    }
    status_line(frame, status, sc.status, &hints, ui);
}

/// The tab names with their number keys; when they do not all fit, the
/// other tabs shrink to their numbers (the current one keeps its name),
/// and the detail shows only if it fits whole.
fn tab_bar<'a>(
    shown: &[Tab],
    current: Tab,
    details: Vec<String>,
    width: usize,
    ui: &Ui,
) -> Line<'a> {
    let style = |t: Tab| {
        if t == current {
            ui.theme.title()
        } else {
            ui.theme.dim()
        }
    };
    let number = |t: Tab| Tab::ALL.iter().position(|x| *x == t).unwrap_or(0) + 1;
    let build = |compact: bool| -> Vec<Span<'a>> {
        shown
            .iter()
            .map(|t| {
                let text = if compact && *t != current {
                    format!(" {} ", number(*t))
                } else {
                    format!(" {} {} ", number(*t), t.label())
                };
                Span::styled(text, style(*t))
            })
            .collect()
    };
    let width_of = |spans: &[Span]| spans.iter().map(|s| s.width()).sum::<usize>();
    // Full names with the longest detail that fits, then numbers with it,
    // then whichever names fit without a detail.
    for names in [build(false), build(true)] {
        let room = width.saturating_sub(width_of(&names));
        if let Some(d) = details.iter().find(|d| d.chars().count() <= room) {
            let mut spans = names;
            spans.push(Span::styled(d.clone(), ui.theme.dim()));
            return Line::from(spans);
        }
    }
    let spans = if width_of(&build(false)) <= width {
        build(false)
    } else {
        build(true)
    };
    Line::from(spans)
}

fn header(frame: &mut Frame, area: Rect, page: &CustomerPage, ui: &Ui) {
    let c = &page.customer;
    let mut first = vec![Span::styled(
        format!(" {}", safe(&c.name)),
        ui.theme.header(),
    )];
    if let Some(l) = &c.legal_name {
        first.push(Span::styled(format!("  {}", safe(l)), ui.theme.dim()));
    }
    // Seed 004's badges: where the customer came from, then its flags.
    let source = safe(&c.source);
    let source = match source.as_str() {
        "manual" => "Manual".to_string(),
        other => other.to_string(),
    };
    for (on, badge, kind) in [
        (true, source.as_str(), Badge::Source),
        (c.invoices_paused, "Invoices paused", Badge::Paused),
        (c.portal_delivery, "Portal", Badge::Portal),
    ] {
        if on {
            first.push(Span::raw("  "));
            first.push(Span::styled(format!(" {badge} "), ui.theme.badge(kind)));
        }
    }
    let contact: Vec<String> = [&c.email, &c.phone, &c.address]
        .into_iter()
        .flatten()
        .map(|s| safe(s))
        .collect();
    let contact = if contact.is_empty() {
        "no contact details".to_string()
    } else {
        contact.join(" · ")
    };
    let mut third = vec![format!("billing: {}", c.billing_cycle.as_str())];
    if let Some(p) = c.parent_id {
        third.insert(
            0,
            format!(
                "parent: customer {p}{}",
                if c.bill_to_parent {
                    " (billed to parent)"
                } else {
                    ""
                }
            ),
        );
    }
    if let Some(t) = &c.tax_id {
        third.push(format!("tax id: {}", safe(t)));
    }
    let lines = vec![
        Line::from(first),
        Line::raw(format!(" {contact}")),
        Line::styled(format!(" {}", third.join(" · ")), ui.theme.dim()),
    ];
    frame.render_widget(Paragraph::new(lines), area);
}

fn breakdown(
    frame: &mut Frame,
    area: Rect,
    page: &CustomerPage,
    sc: &Scene<CustomerView>,
    ui: &Ui,
) {
    let b = &page.breakdown;
    let cur = &sc.shared.currency;
    let room = (area.width as usize).saturating_sub(1);
    // Full labels when all four parts fit, shorter ones when that makes
    // them fit; otherwise whole parts are left out, never cut.
    let build = |labels: [&str; 4], sep: &'static str| {
        let part = |label: &str, v| vec![Span::raw(format!("{label} {}", cur.display(v)))];
        let parts = vec![
            vec![
                Span::raw(format!("{} ", labels[0])),
                Span::styled(
                    cur.display(b.balance),
                    ui.theme
                        .balance(b.balance)
                        .add_modifier(ratatui::style::Modifier::BOLD),
                ),
            ],
            part(labels[1], b.outstanding),
            part(labels[2], b.available_credit),
            part(labels[3], b.uninvoiced),
        ];
        fit_parts(parts, Span::styled(sep, ui.theme.dim()), room)
    };
    // How many parts a fitted line holds: one more than its separators.
    let parts_in = |l: &Line, sep: &str| {
        usize::from(!l.spans.is_empty()) + l.spans.iter().filter(|s| s.content == sep).count()
    };
    let full = build(
        ["Balance", "Outstanding", "Available credit", "Uninvoiced"],
        "  ·  ",
    );
    let short = build(["Balance", "Outstanding", "Credit", "Uninvoiced"], " · ");
    let mut line = if parts_in(&short, " · ") > parts_in(&full, "  ·  ") {
        short
    } else {
        full
    };
    line.spans.insert(0, Span::raw(" "));
    frame.render_widget(Paragraph::new(line), area);
}

/// Seed 004's metric cards as one line: collected of billed, and how many
/// days the customer takes to pay (whole parts only, as space allows).
fn metrics(frame: &mut Frame, area: Rect, page: &CustomerPage, sc: &Scene<CustomerView>, ui: &Ui) {
    let b = &page.breakdown;
    let cur = &sc.shared.currency;
    let days = page
        .avg_days
        .map_or("no invoice paid in full yet".to_string(), |d| {
            format!("{d} days")
        });
    let parts = vec![
        vec![Span::raw(format!(
            "{} collected of {} billed",
            cur.display(b.total_collected),
            cur.display(b.total_billed)
        ))],
        vec![Span::raw(format!("Avg. days to collect: {days}"))],
    ];
    let mut line = fit_parts(
        parts,
        Span::raw("  ·  "),
        (area.width as usize).saturating_sub(1),
    );
    line.spans.insert(0, Span::raw(" "));
    frame.render_widget(Paragraph::new(line.style(ui.theme.dim())), area);
}

/// The payment link line of the billing section: the link itself (so it
/// can always be copied by hand) and the keys that act on it.
fn payment_link(frame: &mut Frame, area: Rect, page: &CustomerPage, ui: &Ui) {
    let k = |c| ui.keymap.key_in(crate::tui::keymap::Context::Customer, c);
    let line = match &page.link {
        Some(link) => {
            // The link always shows whole; key hints only where they fit
            // (`?` lists them all).
            let room = (area.width as usize).saturating_sub(link.chars().count() + 14);
            let hints = [
                format!(
                    "  {} copy · {} reminder · {} new link",
                    k(Command::CopyLink),
                    k(Command::CopyReminder),
                    k(Command::RegenerateLink)
                ),
                format!("  {} copy", k(Command::CopyLink)),
            ]
            .into_iter()
            .find(|h| h.chars().count() <= room)
            .unwrap_or_default();
            Line::from(vec![
                Span::raw(" Payment link "),
                // Too wide to show whole: say so with "…" rather than show a
                // link that looks complete and is not (y copies it whole).
                Span::styled(
                    // A token is not a number: cut it wherever room ends.
                    crate::tui::widgets::columns::ellipsize_chars(
                        link,
                        (area.width as usize).saturating_sub(15),
                    ),
                    ui.theme.header(),
                ),
                Span::styled(hints, ui.theme.dim()),
            ])
        }
        None => Line::from(vec![
            Span::raw(" Payment link "),
            Span::styled(
                format!("none yet: {} generates one", k(Command::GenerateLink)),
                ui.theme.dim(),
            ),
        ]),
    };
    frame.render_widget(Paragraph::new(line), area);
}

fn history(frame: &mut Frame, area: Rect, page: &CustomerPage, sc: &Scene<CustomerView>, ui: &Ui) {
    let view = sc.view;
    if page.count == 0 {
        let key = ui.keymap.key_for(Command::AddEntry);
        let text = format!("No billing entries yet. Press {key} to add a charge or credit.");
        frame.render_widget(
            Paragraph::new(vec![Line::raw(""), Line::raw(text)]).centered(),
            area,
        );
        return;
    }
    let cur = &sc.shared.currency;
    let mut grid = Grid::new(&[
        col("Date", Kind::Fixed, 6),
        col("Description", Kind::Text, 3),
        col("Amount", Kind::Money, 9),
        col("Tax", Kind::Money, 4),
        col("Method", Kind::Fixed, 2),
    ]);
    for e in &page.history {
        let amount = e.signed_amount();
        grid.row(vec![
            e.date.format("%Y-%m-%d").to_string().into(),
            safe(&e.description).into(),
            styled(cur.display(amount), ui.theme.balance(amount)),
            // Signed like the amount beside it: a charge's tax is owed too.
            match e.kind {
                EntryKind::Charge => cur.display(e.signed_tax()).into(),
                EntryKind::Credit | EntryKind::Payout => "".into(),
            },
            e.method.map(|m| m.as_str()).unwrap_or("").into(),
        ]);
    }
    window_table(frame, area, grid, &view.window, ui);
}

fn invoices(frame: &mut Frame, area: Rect, sc: &Scene<CustomerView>, ui: &Ui) {
    let view = sc.view;
    let l = &view.invoices;
    if l.loaded_once && l.window.count == 0 {
        let key = ui.keymap.key_for(Command::DraftInvoice);
        let text = match l.filter {
            InvoiceFilter::All => {
                format!("No invoices yet. Press {key} to draft one from open charges.")
            }
            f => format!("No {} invoices. Press f to change the filter.", f.label()),
        };
        frame.render_widget(
            Paragraph::new(vec![Line::raw(""), Line::raw(text)]).centered(),
            area,
        );
        return;
    }
    let cur = &sc.shared.currency;
    let day = |d: Option<chrono::NaiveDate>| {
        d.map(|d| d.format("%Y-%m-%d").to_string())
            .unwrap_or_else(|| "-".into())
    };
    let mut grid = Grid::new(&[
        col("", Kind::Fixed, 5),
        col("Number", Kind::Fixed, 8),
        col("Status", Kind::Fixed, 7),
        col("Issued", Kind::Fixed, 3),
        col("Due", Kind::Fixed, 4),
        col("Total", Kind::Money, 9),
        col("Remaining", Kind::Money, 9),
        col("Contract", Kind::Text, 2),
        col("Period", Kind::Fixed, 1),
    ]);
    for inv in &l.rows {
        let status = inv.status_label(sc.shared.today);
        let status_style = match status {
            "overdue" => ui.theme.error(),
            "paid" => ui.theme.good(),
            "void" | "draft" => ui.theme.dim(),
            _ => ratatui::style::Style::default(),
        };
        let remaining = if inv.status == InvoiceStatus::Draft {
            "-".to_string()
        } else {
            cur.display(inv.remaining())
        };
        grid.row(vec![
            if l.marked.contains(&inv.id) {
                "[x]"
            } else {
                "[ ]"
            }
            .into(),
            inv.label().into(),
            styled(status, status_style),
            day(inv.issue_date).into(),
            day(inv.due_date).into(),
            cur.display(inv.total).into(),
            remaining.into(),
            safe(inv.contract.as_deref().unwrap_or("")).into(),
            inv.contract_period
                .map(|d| d.format("%b %Y").to_string())
                .unwrap_or_default()
                .into(),
        ]);
    }
    window_table(frame, area, grid, &l.window, ui);
}
