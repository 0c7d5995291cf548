//! What can happen in the TUI: commands from keys, text editing, and the
//! results that effects send back. `App::update` consumes these.

use crate::domain::{Customer, CustomerId, Entry};
use crate::store::{BalanceBreakdown, Totals};

/// A command bound to a key in the keymap (overridable by name in [keys]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Command {
    Quit,
    Help,
    Back,
    Open,
    Up,
    Down,
    PageUp,
    PageDown,
    Home,
    End,
    Search,
    CycleSort,
    NewCustomer,
    EditCustomer,
    AddEntry,
    EditEntry,
    RemoveEntry,
    ToggleKind,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Action {
    Cmd(Command),
    // Text editing in forms and the search box.
    Input(char),
    Backspace,
    Delete,
    CursorLeft,
    CursorRight,
    ClearField,
    NextField,
    PrevField,
    Submit,
    // Confirm dialogs.
    Yes,
    No,
    Resize(u16, u16),
    // Results of effects.
    ListLoaded(ListPage),
    CustomerLoaded(Box<CustomerPage>),
    /// A save succeeded; `customer` is the one it touched.
    Saved {
        message: String,
        customer: CustomerId,
    },
    /// Field index → reason, for the open form.
    FormInvalid(Vec<(usize, String)>),
    /// The form's data looks like an existing customer; saving again confirms.
    DuplicateFound(String),
    /// An operation was refused or failed; the message is for the owner.
    Failed(String),
}

/// One window of the customer list.
#[derive(Debug, Clone, PartialEq)]
pub struct ListPage {
    pub offset: usize,
    pub rows: Vec<Customer>,
    pub count: Option<usize>,
    pub totals: Option<Totals>,
    /// Where the customer to keep selected now stands.
    pub select: Option<usize>,
}

/// One customer and one window of their history.
#[derive(Debug, Clone, PartialEq)]
pub struct CustomerPage {
    pub customer: Customer,
    pub breakdown: BalanceBreakdown,
    pub offset: usize,
    pub history: Vec<Entry>,
    pub count: usize,
}
