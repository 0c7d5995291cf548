//! The contract between the app and the screens, tabs and overlays it
//! hosts: a component is handed its own state and a [`Cx`], and reaches
//! the rest of the TUI only through it: run an effect, ask to confirm
//! one, open an overlay, go somewhere, say something on the status line,
//! and read what every screen shares. It never imports the app.
//!
//! Invariant: a component's key handling is pure, like the app's update:
//! what it wants done leaves as [`Out`], which the app applies after the
//! call (effects to the queue the runner performs, the overlay and status
//! set, the navigation followed).

use ratatui::Frame;
use ratatui::layout::Rect;

use super::action::Command;
use super::effect::Effect;
use super::keymap::Context;
use super::shared::Shared;
use super::ui::Ui;
use super::view::{Overlay, Screen, Status};
use crate::domain::CustomerId;

/// What every screen is to the app: it says where keys go while it is
/// on show, takes the commands that are its own, asks for the rows its
/// window lacks, hears that the book changed, and draws itself.
pub trait Component {
    /// Where keys go while this is on show.
    fn context(&self) -> Context;
    /// A command; `false` when it is not this component's, so the app
    /// offers it app-wide.
    fn handle(&mut self, c: Command, cx: &mut Cx) -> bool;
    /// The loads its visible window lacks.
    fn sync(&mut self, shared: &Shared) -> Vec<Effect>;
    /// The book changed: what it shows is read again.
    fn book_changed(&mut self);
    /// Draws itself into `area`, with its key hints on the status line.
    fn render(
        &self,
        frame: &mut Frame,
        area: Rect,
        shared: &Shared,
        status: Option<&Status>,
        ui: &Ui,
    );
}

/// How far a movement key moves a selection (or a scroll) when a page is
/// `page` rows; `None` for any other command.
pub fn movement(c: Command, page: usize) -> Option<isize> {
    let page = page as isize;
    Some(match c {
        Command::Up => -1,
        Command::Down => 1,
        Command::PageUp => -page,
        Command::PageDown => page,
        Command::Home => isize::MIN / 2,
        Command::End => isize::MAX / 2,
        _ => return None,
    })
}

/// Where a component asks to go.
#[derive(Debug, Clone, PartialEq)]
pub enum Nav {
    /// Open a customer's screen, Esc returning to `from`.
    Customer { id: CustomerId, from: Screen },
    /// Show a report screen (its data reloads).
    Report(Screen),
    /// Pick open charges of this customer for a draft.
    Drafting(CustomerId),
    /// A sub-client's screen, opened from its parent's: Esc returns to
    /// the parent.
    SubClient(CustomerId),
}

/// What a component asked for during one call.
#[derive(Debug, Default)]
pub struct Out {
    pub effects: Vec<Effect>,
    /// Close the overlay (before opening any new one).
    pub close: bool,
    pub overlay: Option<Overlay>,
    pub status: Option<Status>,
    pub nav: Option<Nav>,
}

/// A component's view of the rest of the TUI for one call.
pub struct Cx<'a> {
    pub shared: &'a Shared,
    pub out: &'a mut Out,
}

impl Cx<'_> {
    /// Have the runner perform `effect`.
    pub fn run(&mut self, effect: Effect) {
        self.out.effects.push(effect);
    }

    /// Ask the owner first; `effect` runs on yes.
    pub fn confirm(&mut self, message: String, effect: Effect) {
        self.out.overlay = Some(Overlay::Confirm {
            message,
            effect: Box::new(effect),
        });
    }

    pub fn open(&mut self, overlay: Overlay) {
        self.out.overlay = Some(overlay);
    }

    /// Close the overlay on show.
    pub fn close(&mut self) {
        self.out.close = true;
    }

    pub fn go(&mut self, nav: Nav) {
        self.out.nav = Some(nav);
    }

    pub fn info(&mut self, text: &str) {
        self.out.status = Some(Status {
            text: text.into(),
            error: false,
        });
    }

    pub fn error(&mut self, text: &str) {
        self.out.status = Some(Status {
            text: text.into(),
            error: true,
        });
    }
}
