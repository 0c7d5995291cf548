//! What is on the screen: which screen, the overlay over it, and the
//! status line. Shared by the app, which decides them, and the drawing.

use super::effect::Effect;
use super::form::Form;
use super::keymap::Context;
use crate::domain::Entry;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Screen {
    Customers,
    Customer,
    /// Picking open charges for a draft (reached with `i`).
    Drafting,
    /// Receivables aging, from the customer list.
    Aging,
    /// Overdue invoices to follow up, from the customer list.
    Collections,
    /// The month at a glance, from the customer list.
    Glance,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Overlay {
    /// Every binding of a context, scrolled to a first line.
    Help {
        ctx: Context,
        scroll: usize,
    },
    Confirm {
        message: String,
        effect: Box<Effect>,
    },
    /// An entry in full, and why it cannot change if it cannot.
    EntryDetail {
        entry: Box<Entry>,
        lock: Option<String>,
    },
    /// An invoice in full (Enter on the Invoices tab), scrolled to a line.
    Invoice {
        detail: Box<super::action::InvoiceDetail>,
        scroll: usize,
    },
    Form(Box<Form>),
    /// A row of a customer tab in full (Enter), scrolled to a line.
    Note {
        title: String,
        text: String,
        scroll: usize,
    },
}

#[derive(Debug, Clone, PartialEq)]
pub struct Status {
    pub text: String,
    pub error: bool,
}
