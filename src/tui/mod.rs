//! The full-screen TUI, opened by `tally` with no subcommand.
//!
//! Flow (as in gitui and ratatui's component template): key → [`Keymap`] →
//! [`Action`] → [`App::update`] (pure) → [`Effect`]s → [`effects::run`]
//! (the only code that touches the book, through `ops`) → result actions →
//! render. [`Runner`] drives that loop for the terminal and for tests alike.

pub mod action;
pub mod app;
pub mod component;
pub mod effect;
pub mod effects;
pub mod form;
pub mod forms;
pub mod invoicing;
pub mod jobs;
pub mod keymap;
pub mod links;
mod mailer;
pub mod menu;
mod overlay;
mod publisher;
mod report_reader;
pub mod reports;
pub mod screens;
pub mod shared;
pub mod tabs;
pub mod theme;
pub mod ui;
pub mod view;
pub mod widgets;
pub mod window;
mod worker;

/// Stored text as the TUI shows it (`domain::text::for_screen`): no control
/// or bidi character, and a width every terminal agrees on.
pub fn safe(s: &str) -> String {
    crate::domain::text::for_screen(s).into_owned()
}

use std::collections::VecDeque;

use anyhow::{Context as _, Result};
use ratatui::crossterm::event::{self, Event, KeyEventKind};
use rust_decimal::Decimal;

pub use action::Action;
pub use app::{App, Effect};
pub use keymap::Keymap;

use crate::clipboard::Session;
use crate::ops::Book;
use ui::Ui;

/// The app, the book it works on, and how it is drawn.
pub struct Runner {
    pub app: App,
    pub book: Book,
    pub ui: Ui,
    /// One clipboard for the whole run (on X11 the copied text lives only
    /// as long as it does); handed to a background holder at exit.
    pub clipboard: Session,
    /// The book's `data_version` when last looked at (see [`Runner::tick`]).
    seen_version: Option<i64>,
    /// A `:` command running beside the screen.
    pub job: Option<jobs::Job>,
    /// Sends changed payment pages to storage when `[publish]` is set.
    publisher: Option<publisher::Background>,
    /// Runs the reminder schedule and sends mail when `[mail]` is set.
    mailer: Option<mailer::Background>,
    /// Where the whole-book reports are read.
    reports: ReportsRead,
}

/// Where the whole-book reports (aging, overdue, month) are read.
enum ReportsRead {
    /// In the keystroke that asks: tests, and a book kept in memory.
    Here,
    /// Beside the screen (the interactive screen, from
    /// [`Runner::read_reports_beside`]); the reader starts at the first
    /// request or quiet moment, never before the first screen is out.
    BesideFromNextUse,
    Beside(report_reader::ReportReader),
}

impl Runner {
    /// Runs the cheap part of `tally check` (a failure is the first thing
    /// the owner sees) and the monthly billing catch-up (it says what it
    /// created on the status line), then loads the first screen.
    pub fn new(mut book: Book, ui: Ui, size: (u16, u16)) -> Runner {
        let warning = start_check(&book);
        let catch_up = billing_catch_up(&mut book);
        let config = book.config();
        let mut app = App::new(
            book.currency().clone(),
            config.business.name.clone(),
            book.clock().today(),
            size,
        );
        let rate = config.default_tax_rate();
        app.shared.tax_rate = rate;
        app.shared.mail = config.mail.is_set();
        if app.shared.mail {
            app.shared.reminder_schedule = config.collections.schedule.clone();
        }
        app.shared.tax_hint = Some(if rate > Decimal::ZERO {
            format!(
                "empty = {}%; an amount or a rate like 8.25%",
                rate.normalize()
            )
        } else {
            "an amount, or a rate like 8.25%".to_string()
        });
        let (publisher, publish_problem) = match publisher::Background::start(&book) {
            None => (None, None),
            Some(Ok(p)) => (Some(p), None),
            Some(Err(why)) => (
                None,
                Some(app::Status {
                    text: format!("Pages are not published: {why}"),
                    error: true,
                }),
            ),
        };
        let (mailer, mail_problem) = match mailer::Background::start(&book) {
            None => (None, None),
            Some(Ok(m)) => (Some(m), None),
            Some(Err(why)) => (
                None,
                Some(app::Status {
                    text: format!("Mail is not sent: {why}"),
                    error: true,
                }),
            ),
        };
        // A new owner (an empty book and every setting at its default)
        // is told where the first-run questions are.
        let first_run = (*book.config() == crate::config::Config::default()
            && book.reads().count_customers(&None).unwrap_or(1) == 0)
            .then(|| app::Status {
                text: "Welcome! `tally setup` asks for your business's name, currency and where to publish payment pages".into(),
                error: false,
            });
        app.status = warning
            .or(catch_up)
            .or(publish_problem)
            .or(mail_problem)
            .or(first_run);
        let mut runner = Runner {
            publisher,
            mailer,
            reports: ReportsRead::Here,
            app,
            book,
            ui,
            clipboard: Session::new(),
            seen_version: None,
            job: None,
        };
        runner.seen_version = runner.book.reads().data_version().ok();
        runner.dispatch(Action::Resize(size.0, size.1));
        runner
    }

    /// Feeds one action through update and its effects until things settle.
    /// Work a keystroke left for later is done first: what comes next may
    /// depend on it.
    pub fn dispatch(&mut self, action: Action) {
        let mut queue = VecDeque::from([action]);
        if self.app.wants_idle() && queue.front() != Some(&Action::Idle) {
            queue.push_front(Action::Idle);
        }
        while let Some(a) = queue.pop_front() {
            for effect in self.app.update(a) {
                let answer = match effect {
                    app::Effect::StartJob(spec) => self.start_job(spec),
                    app::Effect::LoadReport(kind)
                        if self.reader().is_some_and(|r| r.request(kind)) =>
                    {
                        None
                    }
                    other => Some(effects::run(&mut self.book, &mut self.clipboard, other)),
                };
                queue.extend(answer);
            }
        }
    }

    /// Starts a `:` command on its own thread; one at a time.
    fn start_job(&mut self, spec: jobs::JobSpec) -> Option<Action> {
        if let Some(job) = &self.job {
            return Some(Action::Failed(format!(
                "{} is still running: wait for it to finish",
                job.status()
            )));
        }
        match jobs::Job::start(&self.book, spec) {
            Ok(job) => {
                self.app.status = Some(app::Status {
                    text: job.status(),
                    error: false,
                });
                self.job = Some(job);
                None
            }
            Err(why) => Some(Action::Failed(why)),
        }
    }

    /// Whether a `:` command is running (the screen then looks more often).
    pub fn busy(&self) -> bool {
        self.job.is_some()
    }

    /// Whether a report is being read beside the screen (its rows are
    /// shown the moment they come).
    fn reading(&self) -> bool {
        matches!(&self.reports, ReportsRead::Beside(r) if r.waiting())
    }

    /// From now on the whole-book reports are read on a thread of their
    /// own; the aging report is read at the first quiet moment, before it
    /// is asked for.
    pub fn read_reports_beside(&mut self) {
        self.reports = ReportsRead::BesideFromNextUse;
    }

    /// The reader, started on first use; none where reports are read here.
    fn reader(&mut self) -> Option<&mut report_reader::ReportReader> {
        if matches!(self.reports, ReportsRead::BesideFromNextUse) {
            self.reports = match report_reader::ReportReader::start(&self.book) {
                Some(r) => ReportsRead::Beside(r),
                None => ReportsRead::Here,
            };
        }
        match &mut self.reports {
            ReportsRead::Beside(r) => Some(r),
            _ => None,
        }
    }

    /// Waits for the reports being read beside the screen and shows them.
    pub fn await_reports(&mut self) {
        let answers = self.reader().map(|r| r.wait()).unwrap_or_default();
        for a in answers {
            self.dispatch(a);
        }
    }

    /// Shows the reports read beside the screen that have arrived; true
    /// when any did.
    fn report_answers(&mut self) -> bool {
        let answers = self.reader().map(|r| r.answers()).unwrap_or_default();
        let arrived = !answers.is_empty();
        for a in answers {
            self.dispatch(a);
        }
        arrived
    }

    /// Opens the first run's questions when the book is empty and every
    /// setting is at its default (a new owner): answered, they become the
    /// config at `path`.
    pub fn offer_first_run(&mut self, path: std::path::PathBuf) {
        let new = *self.book.config() == crate::config::Config::default()
            && self.book.reads().count_customers(&None).unwrap_or(1) == 0;
        if new {
            self.app.overlay = Some(app::Overlay::Form(Box::new(forms::first_run::build(path))));
            self.app.status = Some(app::Status {
                text: "Welcome! Answer these once; Esc skips (`tally setup` asks again later)"
                    .into(),
                error: false,
            });
        }
    }

    /// Called when no key came for a moment: a running command's progress
    /// or result goes on the status line; if another tally changed the
    /// book since the last look, what is on screen is reloaded.
    pub fn tick(&mut self) {
        // The first quiet moment: the aging is read before it is asked for.
        if matches!(self.reports, ReportsRead::BesideFromNextUse)
            && let Some(r) = self.reader()
        {
            r.request(reports::ReportKind::Aging);
        }
        self.report_answers();
        if let Some(job) = self.job.take() {
            if job.is_finished() {
                self.dispatch(Action::JobDone(job.outcome()));
            } else {
                self.app.status = Some(app::Status {
                    text: job.status(),
                    error: false,
                });
                self.job = Some(job);
            }
        }
        if let Some((text, error)) = self.publisher.as_mut().and_then(|p| p.news()) {
            self.app.status = Some(app::Status { text, error });
        }
        if let Some((text, error)) = self.mailer.as_mut().and_then(|m| m.news()) {
            self.app.status = Some(app::Status { text, error });
        }
        let now = self.book.reads().data_version().ok();
        if now.is_some() && now != self.seen_version {
            self.seen_version = now;
            self.dispatch(Action::BookChanged);
        }
    }

    /// Handles one terminal event.
    pub fn event(&mut self, ev: Event) {
        match ev {
            Event::Key(k) if k.kind != KeyEventKind::Release => {
                if let Some(a) = self.ui.keymap.map(self.app.context(), k) {
                    // A new keystroke replaces the last status message.
                    self.app.status = None;
                    self.dispatch(a);
                }
            }
            Event::Resize(w, h) => self.dispatch(Action::Resize(w, h)),
            _ => {}
        }
    }
}

/// The quick checks of `tally check`, as a warning on the status line.
fn start_check(book: &Book) -> Option<app::Status> {
    let text = match book.check(crate::store::check::Depth::Instant) {
        Ok(r) if r.is_ok() => return None,
        Ok(r) => format!(
            "Warning: the book failed a check ({}): run `tally check` for details",
            r.problems
                .iter()
                .map(|p| p.detail.as_str())
                .collect::<Vec<_>>()
                .join("; ")
        ),
        Err(e) => format!("Warning: the book could not be checked: {e}"),
    };
    Some(app::Status { text, error: true })
}

/// The same catch-up as `tally billing run`, as of today: contracts'
/// periods, then the monthly billing cycle.
fn billing_catch_up(book: &mut Book) -> Option<app::Status> {
    let today = book.clock().today();
    // Never waited for: with another tally writing (a billing run, an
    // import), the screen opens at once and the catch-up runs next time.
    let contracts = match book.without_waiting(|b| b.contract_catch_up(today)) {
        Ok(posted) => posted,
        Err(crate::ops::OpsError::Store(crate::store::StoreError::Busy)) => {
            return Some(app::Status {
                text: "Another tally is writing the book: contracts and monthly billing catch up next time".into(),
                error: false,
            });
        }
        Err(e) => {
            return Some(app::Status {
                text: format!("Contract charges were not posted: {e}"),
                error: true,
            });
        }
    };
    let charged: usize = contracts.iter().map(|c| c.periods.len()).sum();
    let said = (charged > 0).then(|| {
        format!(
            "Contracts charged {} ({})",
            crate::domain::text::count(charged, "period", "periods"),
            contracts
                .iter()
                .map(|c| c.name.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        )
    });
    let billed = billing_run_status(book, today);
    match (said, billed) {
        (None, b) => b,
        (Some(s), None) => Some(app::Status {
            text: s,
            error: false,
        }),
        (Some(s), Some(b)) => Some(app::Status {
            text: format!("{s}; {}", b.text),
            error: b.error,
        }),
    }
}

fn billing_run_status(book: &mut Book, today: chrono::NaiveDate) -> Option<app::Status> {
    match book.without_waiting(|b| b.billing_run(today)) {
        Ok(made) if made.is_empty() => None,
        Ok(made) => {
            let names: Vec<String> = made
                .iter()
                .map(|i| match &i.period {
                    Some(p) => format!("{} ({p})", i.label()),
                    None => i.label(),
                })
                .collect();
            Some(app::Status {
                text: format!(
                    "Monthly billing created {}: {}",
                    plural(made.len(), "invoice"),
                    names.join(", ")
                ),
                error: false,
            })
        }
        Err(e) => Some(app::Status {
            text: format!("Monthly billing did not run: {e}"),
            error: true,
        }),
    }
}

/// "1 invoice", "3 invoices".
pub(crate) fn plural(n: usize, what: &str) -> String {
    crate::domain::text::count_s(n, what)
}

/// How often an idle TUI checks whether another tally changed the book.
const TICK: std::time::Duration = std::time::Duration::from_millis(500);
/// How often the progress of a running `:` command is redrawn.
const JOB_TICK: std::time::Duration = std::time::Duration::from_millis(100);
/// How often the screen looks for a report's rows while they are read.
const REPORT_TICK: std::time::Duration = std::time::Duration::from_millis(2);

/// Runs the TUI on `book` until the owner quits. The terminal is restored on
/// quit, on error and on panic (ratatui's hook).
/// Runs the full screen. `config_path` is where the first run's answers
/// are written: on an empty book with no config there yet, the screen
/// opens on those questions.
pub fn run(book: Book, config_path: Option<std::path::PathBuf>) -> Result<()> {
    let keymap = Keymap::new(&book.config().keys)?;
    let ui = Ui {
        keymap,
        theme: theme::Theme::from_env(),
    };
    let mut terminal = ratatui::try_init().context("cannot start the terminal UI")?;
    let mut clipboard = None;
    let result = (|| -> Result<()> {
        let size = terminal.size()?;
        let mut runner = Runner::new(book, ui, (size.width, size.height));
        if let Some(path) = config_path.filter(|p| !p.exists()) {
            runner.offer_first_run(path);
        }
        let mut redraw = true;
        runner.read_reports_beside();
        while !runner.app.quit {
            if std::mem::replace(&mut redraw, true) {
                terminal.draw(|f| draw(f, &runner.app, &runner.ui))?;
            }

            // Wait for a key, but look at the book twice a second so what
            // another tally writes shows without reopening a screen.
            let wait = if runner.reading() {
                REPORT_TICK
            } else if runner.busy() {
                JOB_TICK
            } else {
                TICK
            };
            // The frame is out: work left for later runs unless a key waits.
            if runner.app.wants_idle() && !event::poll(std::time::Duration::ZERO)? {
                let seen = runner.app.idle_view();
                runner.dispatch(Action::Idle);
                // Usually nothing on screen moved: no frame to send.
                redraw = runner.app.idle_view() != seen;
                continue;
            }
            if event::poll(wait)? {
                runner.event(event::read()?);
                // Keys already typed (a fast typist, a paste) are handled
                // before the next frame: one frame for all of them.
                while !runner.app.quit && event::poll(std::time::Duration::ZERO)? {
                    runner.event(event::read()?);
                }
            } else if runner.reading() {
                // Looked at often while a report is read: only its rows
                // arriving make a frame.
                redraw = runner.report_answers();
            } else {
                runner.tick();
            }
        }
        clipboard = Some(runner.clipboard);
        Ok(())
    })();
    ratatui::restore();
    // What the owner copied last must still paste after tally is gone.
    if let Some(c) = clipboard {
        c.finish();
    }
    result
}

/// Draws the screen on show, then its overlay: each from its own state
/// and what every screen shares (the app is read here and nowhere below).
pub fn draw(frame: &mut ratatui::Frame, app: &App, ui: &Ui) {
    if ui::too_small(frame) {
        return;
    }
    let area = frame.area();
    app.render_screen(frame, area, ui);
    if let Some(o) = &app.overlay {
        use component::Component;
        o.render(frame, area, &app.shared, app.status.as_ref(), ui);
    }
}
