//! What can happen in the TUI: commands from keys, text editing, and the
//! results that effects send back. `App::update` consumes these.

use crate::domain::entry::EntryId;
use crate::domain::{Customer, CustomerId, Entry};
use crate::store::{BalanceBreakdown, ListCount, Totals};

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
    // Tabs of the customer screen.
    SwitchTab,
    PrevTab,
    /// The n-th tab, counting from 1 (Billing).
    ShowTab(u8),
    /// The `:` menu of commands that take a file.
    CommandMenu,
    /// Make a contract for the customer on screen.
    NewContract,
    /// Write the customer's statement of account as a printable page.
    Statement,
    // Credits and contacts.
    Refund,
    Transfer,
    NewContact,
    // The Documents tab.
    AttachDocument,
    SaveDocument,
    RemoveDocument,
    EditContact,
    RemoveContact,
    // Invoices.
    DraftInvoice,
    ToggleMark,
    DraftAll,
    CycleFilter,
    Finalize,
    DeleteDraft,
    Void,
    MarkPaid,
    ApplyCredit,
    Export,
    CancelMarked,
    // Payment links.
    GenerateLink,
    CopyLink,
    RegenerateLink,
    CopyReminder,
    // Reminders by email, on the collections screen.
    EmailReminder,
    SkipReminders,
    // A customer entered twice, or done with.
    MergeCustomer,
    ArchiveCustomer,
    // Reports, from the customer list.
    Aging,
    Collections,
    Glance,
}

impl Command {
    /// The commands a message may name as `{Command}` (see `ui::with_keys`).
    pub const NAMED: [Command; 9] = [
        Command::NewContact,
        Command::AttachDocument,
        Command::NewContract,
        Command::AddEntry,
        Command::MarkPaid,
        Command::CopyLink,
        Command::RegenerateLink,
        Command::GenerateLink,
        Command::Open,
    ];
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
    InvoiceLoaded(Box<InvoiceDetail>),
    /// Another tally committed to the book: reload what is on screen.
    BookChanged,
    /// Nothing is waiting: finish what a keystroke left for later.
    Idle,
    // Results of effects.
    ListLoaded(ListPage),
    CustomerLoaded(Box<CustomerLoad>),
    InvoicesLoaded(RowsPage<crate::domain::Invoice>),
    ChargesLoaded(RowsPage<Entry>),
    TabLoaded(Box<crate::tui::tabs::TabPage>),
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
    /// A document was written (nothing in the book changed).
    Exported(String),
    /// Text went to the clipboard; the message says which way.
    Copied(String),
    /// A `:` command finished: its summary, or what went wrong.
    JobDone(Result<String, String>),
    /// Two customers became one: show the one that stays.
    Merged {
        message: String,
        into: CustomerId,
    },
    /// A `:` command that needs no preview: start it.
    StartJobNow(super::jobs::JobSpec),
    /// What an import from the `:` menu would do; yes starts it.
    JobPreviewed {
        spec: super::jobs::JobSpec,
        text: String,
    },
    /// What the attach form's path would store (or why it cannot).
    AttachPreview(Option<String>),
    /// A report screen's data, read in one snapshot.
    ReportLoaded(Box<crate::tui::reports::ReportData>),
}

/// One window of the customer list.
#[derive(Debug, Clone, PartialEq)]
pub struct ListPage {
    pub offset: usize,
    pub rows: Vec<Customer>,
    pub count: Option<ListCount>,
    pub totals: Option<Totals>,
    /// Where the customer to keep selected now stands.
    pub select: Option<usize>,
    /// The kept customer and their index in `rows`, when the page was read
    /// around them without counting where they stand.
    pub anchored: Option<(CustomerId, usize)>,
}

/// What a customer load answered: a window of history, and the summary
/// (record, balance breakdown, entry count) when it was asked for. The
/// summary sums the customer's history, so it is only recomputed on opening
/// and after a write, never for scrolling.
#[derive(Debug, Clone, PartialEq)]
pub struct CustomerLoad {
    pub id: CustomerId,
    pub offset: usize,
    pub history: Vec<Entry>,
    /// Why each locked entry of `history` cannot change, by id.
    pub locks: Vec<(EntryId, String)>,
    pub summary: Option<CustomerSummary>,
}

/// The parts of a customer screen that change only with a write.
#[derive(Debug, Clone, PartialEq)]
pub struct CustomerSummary {
    pub customer: Customer,
    pub breakdown: BalanceBreakdown,
    /// Entries in the history.
    pub count: usize,
    /// The live payment link, if one was generated.
    pub link: Option<String>,
    /// Average days to collect (`None` until something was collected).
    pub avg_days: Option<rust_decimal::Decimal>,
    /// How many sub-clients, and the sum of their balances.
    pub sub_clients: (usize, rust_decimal::Decimal),
    /// What the customer is asked to pay (`ops::payer`): with the
    /// sub-clients billed to it, or nothing when billed to its parent.
    pub asked: rust_decimal::Decimal,
}

/// One invoice opened from the Invoices tab: its charges, the credits that
/// paid it and what happened to it, as read in one go.
#[derive(Debug, Clone, PartialEq)]
pub struct InvoiceDetail {
    pub invoice: crate::domain::Invoice,
    pub lines: Vec<Entry>,
    /// Credits allocated to it, and how much of each.
    pub payments: Vec<(Entry, rust_decimal::Decimal)>,
    /// Timeline events about it, oldest first.
    pub history: Vec<crate::domain::timeline::TimelineEvent>,
}

/// One customer and one window of their history.
#[derive(Debug, Clone, PartialEq)]
pub struct CustomerPage {
    pub customer: Customer,
    pub breakdown: BalanceBreakdown,
    pub offset: usize,
    pub history: Vec<Entry>,
    /// Why each locked entry on screen cannot be edited or removed.
    pub locks: Vec<(EntryId, String)>,
    pub count: usize,
    pub link: Option<String>,
    pub avg_days: Option<rust_decimal::Decimal>,
    pub sub_clients: (usize, rust_decimal::Decimal),
    pub asked: rust_decimal::Decimal,
}

impl CustomerPage {
    /// "on INV-0001, which is finalized" when entry `id` is locked.
    pub fn lock_of(&self, id: EntryId) -> Option<&str> {
        self.locks
            .iter()
            .find(|(e, _)| *e == id)
            .map(|(_, why)| why.as_str())
    }
}

/// One window of a list that is not the customer list: a customer's
/// invoices, or their open charges while drafting.
#[derive(Debug, Clone, PartialEq)]
pub struct RowsPage<T> {
    pub customer: CustomerId,
    pub offset: usize,
    pub rows: Vec<T>,
    pub count: usize,
}
