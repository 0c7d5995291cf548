//! Keys → actions. Command keys come from a table of defaults that the
//! config's `[keys]` table can override by action name; text fields take
//! printable keys as input. The same table feeds the `?` help overlay, so
//! help always shows the keys actually bound.

use std::collections::BTreeMap;

use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use thiserror::Error;

use super::action::{Action, Command};

/// Where the keyboard focus is, which decides what a key means.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Context {
    List,
    Search,
    Customer,
    Form,
    Confirm,
    /// The `?` overlay: any key closes it.
    Help,
    /// An entry's details: close, or edit/remove it.
    Detail,
    /// The customer screen's Invoices tab.
    Invoices,
    /// One invoice opened from the Invoices tab: its actions, scrolling.
    InvoiceDetail,
    /// Picking open charges for a new draft invoice.
    Drafting,
    /// The customer screen's other tabs: Payments, Credits, Contacts,
    /// Sub-clients, Timeline, Documents, Contracts. A binding for `Tabs`
    /// works on every one of them.
    Tabs,
    /// The Contacts tab: its own keys besides every tab's.
    Contacts,
    /// The Documents tab: its own keys besides every tab's.
    Documents,
    /// The receivables aging screen.
    Aging,
    /// The collections screen: overdue invoices, oldest first.
    Collections,
    /// The month at a glance.
    Glance,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Key {
    pub code: KeyCode,
    pub ctrl: bool,
}

struct Binding {
    command: Command,
    name: &'static str,
    keys: Vec<Key>,
    contexts: &'static [Context],
    help: &'static str,
}

pub struct Keymap {
    bindings: Vec<Binding>,
}

#[derive(Debug, Error, PartialEq)]
pub enum KeymapError {
    #[error("config [keys]: unknown action \"{0}\": known actions are {1}")]
    UnknownAction(String, String),
    #[error(
        "config [keys]: {action} = \"{key}\" is not a key: use one character or a name such as enter, esc, tab, up, pageup, f2, ctrl-t"
    )]
    BadKey { action: String, key: String },
    #[error(
        "config [keys]: \"{key}\" would be both {first} and {second} ({context:?}): bind one of them to another key"
    )]
    Clash {
        key: String,
        first: &'static str,
        second: &'static str,
        context: Context,
    },
}

use Context::{
    Aging as Ag, Collections as Co, Contacts as Ct, Customer as Cu, Documents as Dc,
    Drafting as Dr, Form as Fo, Glance as Gl, Invoices as In, List as Li, Tabs as Tb,
};

impl Context {
    /// Whether a binding made for `self` works in `ctx`: its own context,
    /// or any list tab's for one made for every tab.
    fn covers(self, ctx: Context) -> bool {
        self == ctx || (self == Tb && matches!(ctx, Ct | Dc))
    }

    /// One of the customer screen's list tabs.
    pub fn is_tab(self) -> bool {
        matches!(self, Tb | Ct | Dc)
    }
}

/// Whether a binding with `contexts` works in `ctx`.
fn applies(contexts: &[Context], ctx: Context) -> bool {
    contexts.iter().any(|c| c.covers(ctx))
}

/// Every binding, one line each: command, config name, default key,
/// where it applies, what help says.
#[rustfmt::skip]
fn defaults() -> Vec<(
    Command,
    &'static str,
    &'static str,
    &'static [Context],
    &'static str,
)> {
    vec![
        (Command::Up, "up", "k", &[Li, Cu, In, Dr, Tb, Ag, Co], "move up"),
        (Command::Down, "down", "j", &[Li, Cu, In, Dr, Tb, Ag, Co], "move down"),
        (Command::PageUp, "page_up", "pageup", &[Li, Cu, In, Dr, Tb, Ag, Co], "page up"),
        (Command::PageDown, "page_down", "pagedown", &[Li, Cu, In, Dr, Tb, Ag, Co], "page down"),
        (Command::Home, "home", "home", &[Li, Cu, In, Dr, Tb, Ag, Co], "first row"),
        (Command::End, "end", "end", &[Li, Cu, In, Dr, Tb, Ag, Co], "last row"),
        (Command::Open, "open", "enter", &[Li, Cu, In, Dr, Tb, Ag, Co], "open; drafting: draft the picked"),
        (Command::Search, "search", "/", &[Li], "search name, email, phone as you type"),
        (Command::CycleSort, "cycle_sort", "s", &[Li, In, Ag], "cycle the sort order"),
        (Command::NewCustomer, "new_customer", "n", &[Li], "new customer"),
        (Command::AddEntry, "add_entry", "a", &[Cu, In, Tb], "add a charge or credit"),
        (Command::EditEntry, "edit_entry", "e", &[Cu], "edit the selected entry"),
        (Command::RemoveEntry, "remove_entry", "d", &[Cu], "remove the selected entry"),
        (Command::EditCustomer, "edit_customer", "E", &[Cu, In, Tb], "edit this customer"),
        (Command::ToggleKind, "toggle_kind", "ctrl-t", &[Fo], "switch charge / credit"),
        (Command::Back, "back", "esc", &[Li, Cu, Fo, In, Dr, Tb, Ag, Co, Gl], "back / cancel / clear search"),
        (Command::Help, "help", "?", &[Li, Cu, In, Dr, Tb, Ag, Co, Gl], "this help"),
        (Command::Quit, "quit", "q", &[Li, Cu, In, Dr, Tb, Ag, Co, Gl], "quit (from a customer: back)"),
        (Command::SwitchTab, "switch_tab", "tab", &[Cu, In, Tb], "next tab"),
        (Command::DraftInvoice, "draft_invoice", "i", &[Cu, In, Tb], "draft an invoice from open charges"),
        (Command::ToggleMark, "toggle_mark", "space", &[In, Dr], "select / unselect the row"),
        (Command::DraftAll, "draft_all", "A", &[Dr], "draft an invoice from all open charges"),
        (Command::CycleFilter, "cycle_filter", "f", &[In], "filter by status"),
        (Command::Finalize, "finalize", "F", &[In], "finalize & lock the draft"),
        (Command::DeleteDraft, "delete_draft", "d", &[In], "delete the draft"),
        (Command::Void, "void", "v", &[In], "void the open invoice"),
        (Command::MarkPaid, "mark_paid", "p", &[In], "mark paid: record a payment"),
        (Command::ApplyCredit, "apply_credit", "c", &[In], "pay from available credit"),
        (Command::Export, "export", "x", &[In], "save the invoice (HTML)"),
        (Command::CancelMarked, "cancel_selected", "X", &[In], "cancel the selected invoices"),
        (Command::GenerateLink, "generate_link", "g", &[Cu, In, Tb], "generate the payment link"),
        (Command::CopyLink, "copy_link", "y", &[Cu, In, Tb], "copy the payment link"),
        (Command::RegenerateLink, "regenerate_link", "R", &[Cu, In, Tb], "new link; the old one stops working"),
        (Command::CopyReminder, "copy_reminder", "m", &[Cu, In, Tb, Co], "copy a reminder text with the link"),
        (Command::EmailReminder, "email_reminder", "L", &[Co], "email a reminder now (mail set up)"),
        (Command::SkipReminders, "skip_reminders", "K", &[Co], "skip the scheduled reminders due for this customer"),
        (Command::Aging, "aging", "A", &[Li, Co, Gl], "receivables aging: who owes what, by days past due"),
        (Command::Collections, "collections", "O", &[Li, Ag, Gl], "collections: overdue invoices, oldest first"),
        (Command::Glance, "month_at_a_glance", "M", &[Li, Ag, Co], "the month at a glance: billed, collected, outstanding"),
        (Command::Statement, "statement", "S", &[Cu, In, Tb], "write a statement of account (HTML)"),
        (Command::NewContract, "new_contract", "C", &[Cu, In, Tb], "create a contract"),
        (Command::ShowTab(9), "tab_9", "9", &[Cu, In, Tb], "Contracts tab"),
        (Command::MergeCustomer, "merge_customer", "U", &[Cu, Tb], "merge this customer into another (this one goes away)"),
        (Command::ArchiveCustomer, "archive_customer", "Z", &[Cu, Tb], "archive or restore this customer (zero balance only)"),
        (Command::CommandMenu, "command_menu", ":", &[Li, Cu, In, Tb], "commands: import, export, backup"),
        (Command::PrevTab, "previous_tab", "backtab", &[Cu, In, Tb], "previous tab"),
        (Command::ShowTab(1), "tab_1", "1", &[Cu, In, Tb], "Billing tab"),
        (Command::ShowTab(2), "tab_2", "2", &[Cu, In, Tb], "Invoices tab"),
        (Command::ShowTab(3), "tab_3", "3", &[Cu, In, Tb], "Payments tab"),
        (Command::ShowTab(4), "tab_4", "4", &[Cu, In, Tb], "Credits tab"),
        (Command::ShowTab(5), "tab_5", "5", &[Cu, In, Tb], "Contacts tab"),
        (Command::ShowTab(6), "tab_6", "6", &[Cu, In, Tb], "Sub-clients tab (parents only)"),
        (Command::ShowTab(7), "tab_7", "7", &[Cu, In, Tb], "Timeline tab"),
        (Command::ShowTab(8), "tab_8", "8", &[Cu, In, Tb], "Documents tab"),
        (Command::Refund, "refund", "r", &[Tb], "Credits: refund available credit"),
        (Command::Transfer, "transfer", "t", &[Tb], "Credits: transfer credit to another customer"),
        (Command::NewContact, "new_contact", "n", &[Ct], "add a contact"),
        (Command::EditContact, "edit_contact", "e", &[Ct], "edit the selected contact"),
        (Command::RemoveContact, "remove_contact", "d", &[Ct], "remove the selected contact"),
        (Command::AttachDocument, "attach_document", "n", &[Dc], "attach a file"),
        (Command::SaveDocument, "save_document", "x", &[Dc], "save a copy of the document"),
        (Command::RemoveDocument, "remove_document", "d", &[Dc], "remove the selected document"),
    ]
}

const TAB_KEYS_HELP: &str = "tab 1 Billing … 9 Contracts";

/// Keys that always work in lists besides the configurable letter keys.
fn fixed_keys(c: Command) -> Vec<Key> {
    let k = |code| Key { code, ctrl: false };
    match c {
        Command::Up => vec![k(KeyCode::Up)],
        Command::Down => vec![k(KeyCode::Down)],
        _ => vec![],
    }
}

impl Keymap {
    /// The default bindings with `overrides` (action name → key) applied.
    pub fn new(overrides: &BTreeMap<String, String>) -> Result<Keymap, KeymapError> {
        let mut bindings: Vec<Binding> = defaults()
            .into_iter()
            .map(|(command, name, key, contexts, help)| {
                let mut keys = vec![parse_key(key).unwrap_or(Key {
                    code: KeyCode::Null,
                    ctrl: false,
                })];
                keys.extend(fixed_keys(command));
                Binding {
                    command,
                    name,
                    keys,
                    contexts,
                    help,
                }
            })
            .collect();
        let names = bindings
            .iter()
            .map(|b| b.name)
            .collect::<Vec<_>>()
            .join(", ");
        for (action, key) in overrides {
            let Some(b) = bindings.iter_mut().find(|b| b.name == action) else {
                return Err(KeymapError::UnknownAction(action.clone(), names));
            };
            let parsed = parse_key(key).ok_or_else(|| KeymapError::BadKey {
                action: action.clone(),
                key: key.clone(),
            })?;
            b.keys[0] = parsed;
        }
        check_clashes(&bindings)?;
        Ok(Keymap { bindings })
    }

    fn command(&self, ctx: Context, key: Key) -> Option<Command> {
        self.bindings
            .iter()
            .find(|b| applies(b.contexts, ctx) && b.keys.contains(&key))
            .map(|b| b.command)
    }

    /// What `event` means in `ctx`, if anything.
    pub fn map(&self, ctx: Context, event: KeyEvent) -> Option<Action> {
        let ctrl = event.modifiers.contains(KeyModifiers::CONTROL);
        let key = Key {
            code: event.code,
            ctrl,
        };
        match ctx {
            // The help scrolls with the list keys; any other key closes it.
            Context::Help => match self.command(Context::List, key) {
                Some(
                    c @ (Command::Up
                    | Command::Down
                    | Command::PageUp
                    | Command::PageDown
                    | Command::Home
                    | Command::End),
                ) => Some(Action::Cmd(c)),
                _ => Some(Action::Cmd(Command::Back)),
            },
            Context::InvoiceDetail => match self.command(Context::Invoices, key) {
                Some(
                    c @ (Command::Finalize
                    | Command::DeleteDraft
                    | Command::Void
                    | Command::MarkPaid
                    | Command::ApplyCredit
                    | Command::Export
                    | Command::Up
                    | Command::Down
                    | Command::PageUp
                    | Command::PageDown),
                ) => Some(Action::Cmd(c)),
                _ => matches!(
                    event.code,
                    KeyCode::Esc | KeyCode::Enter | KeyCode::Char('q')
                )
                .then_some(Action::Cmd(Command::Back)),
            },
            Context::Detail => match self.command(Context::Customer, key) {
                Some(c @ (Command::EditEntry | Command::RemoveEntry)) => Some(Action::Cmd(c)),
                _ => matches!(
                    event.code,
                    KeyCode::Esc | KeyCode::Enter | KeyCode::Char('q')
                )
                .then_some(Action::Cmd(Command::Back)),
            },
            Context::Confirm => match event.code {
                KeyCode::Char('y' | 'Y') | KeyCode::Enter => Some(Action::Yes),
                KeyCode::Char('n' | 'N') | KeyCode::Esc => Some(Action::No),
                _ => None,
            },
            Context::List
            | Context::Customer
            | Context::Invoices
            | Context::Drafting
            | Context::Tabs
            | Context::Contacts
            | Context::Documents
            | Context::Aging
            | Context::Collections
            | Context::Glance => self.command(ctx, key).map(Action::Cmd),
            Context::Search => match event.code {
                KeyCode::Esc => Some(Action::Cmd(Command::Back)),
                KeyCode::Enter => Some(Action::Submit),
                KeyCode::Up => Some(Action::Cmd(Command::Up)),
                KeyCode::Down => Some(Action::Cmd(Command::Down)),
                KeyCode::PageUp => Some(Action::Cmd(Command::PageUp)),
                KeyCode::PageDown => Some(Action::Cmd(Command::PageDown)),
                _ => text_edit(event, ctrl),
            },
            Context::Form => {
                if let Some(c) = self.command(ctx, key) {
                    return Some(Action::Cmd(c));
                }
                match event.code {
                    KeyCode::Enter => Some(Action::Submit),
                    KeyCode::Tab | KeyCode::Down => Some(Action::NextField),
                    KeyCode::BackTab | KeyCode::Up => Some(Action::PrevField),
                    _ => text_edit(event, ctrl),
                }
            }
        }
    }

    /// (keys, what they do) for every binding active in `ctx`, for `?`.
    pub fn help(&self, ctx: Context) -> Vec<(String, &'static str)> {
        let mut rows: Vec<(String, &'static str)> = Vec::new();
        let mut tab_keys = Vec::new();
        for b in self.bindings.iter().filter(|b| applies(b.contexts, ctx)) {
            let keys = b.keys.iter().map(key_name).collect::<Vec<_>>().join(" ");
            // The seven tab keys read best as one line.
            if let Command::ShowTab(n) = b.command {
                if tab_keys.is_empty() {
                    rows.push((String::new(), TAB_KEYS_HELP));
                }
                tab_keys.push((n, keys));
            } else {
                rows.push((keys, b.help));
            }
        }
        tab_keys.sort();
        if let (Some(row), Some((_, first)), Some((_, last))) = (
            rows.iter_mut().find(|r| r.1 == TAB_KEYS_HELP),
            tab_keys.first(),
            tab_keys.last(),
        ) {
            row.0 = format!("{first}…{last}");
        }
        if ctx == Context::Form {
            rows.extend([
                ("tab shift-tab".to_string(), "next / previous field"),
                ("enter".to_string(), "save"),
                ("← →".to_string(), "move in a field; change a choice"),
                ("ctrl-u".to_string(), "clear the field"),
            ]);
        }
        rows
    }

    /// The key shown for `command` in hints.
    /// The key of `command` where it applies in `ctx`; empty where it does
    /// not, so a hint built from it is left out rather than name a key
    /// that does something else there (see `ui::hint_line`).
    pub fn key_in(&self, ctx: Context, command: Command) -> String {
        self.bindings
            .iter()
            .find(|b| b.command == command && applies(b.contexts, ctx))
            .map(|b| key_name(&b.keys[0]))
            .unwrap_or_default()
    }

    pub fn key_for(&self, command: Command) -> String {
        self.bindings
            .iter()
            .find(|b| b.command == command)
            .map(|b| key_name(&b.keys[0]))
            .unwrap_or_default()
    }
}

fn text_edit(event: KeyEvent, ctrl: bool) -> Option<Action> {
    match event.code {
        KeyCode::Char('u') if ctrl => Some(Action::ClearField),
        // Alt+letter is a terminal's reading of Esc followed fast by a
        // letter; it is never text.
        KeyCode::Char(c) if !ctrl && !event.modifiers.contains(KeyModifiers::ALT) => {
            Some(Action::Input(c))
        }
        KeyCode::Backspace => Some(Action::Backspace),
        KeyCode::Delete => Some(Action::Delete),
        KeyCode::Left => Some(Action::CursorLeft),
        KeyCode::Right => Some(Action::CursorRight),
        _ => None,
    }
}

/// Parses `q`, `E`, `?`, `enter`, `pageup`, `f2`, `ctrl-t`, `space`, ...
pub fn parse_key(s: &str) -> Option<Key> {
    let lower = s.to_ascii_lowercase();
    if let Some(rest) = lower
        .strip_prefix("ctrl-")
        .or_else(|| lower.strip_prefix("ctrl+"))
    {
        let mut chars = rest.chars();
        return match (chars.next(), chars.next()) {
            (Some(c), None) if c.is_ascii_alphabetic() => Some(Key {
                code: KeyCode::Char(c),
                ctrl: true,
            }),
            _ => None,
        };
    }
    let code = match lower.as_str() {
        "enter" | "return" => KeyCode::Enter,
        "esc" | "escape" => KeyCode::Esc,
        "tab" => KeyCode::Tab,
        "backtab" | "shift-tab" => KeyCode::BackTab,
        "up" => KeyCode::Up,
        "down" => KeyCode::Down,
        "left" => KeyCode::Left,
        "right" => KeyCode::Right,
        "pageup" => KeyCode::PageUp,
        "pagedown" => KeyCode::PageDown,
        "home" => KeyCode::Home,
        "end" => KeyCode::End,
        "space" => KeyCode::Char(' '),
        "backspace" => KeyCode::Backspace,
        "delete" => KeyCode::Delete,
        f if f.starts_with('f') && f.len() > 1 => {
            KeyCode::F(f[1..].parse().ok().filter(|n| (1..=12).contains(n))?)
        }
        _ => {
            let mut chars = s.chars();
            match (chars.next(), chars.next()) {
                (Some(c), None) if !c.is_control() => KeyCode::Char(c),
                _ => return None,
            }
        }
    };
    Some(Key { code, ctrl: false })
}

/// Refuses two commands on one key where both apply: the second would
/// never run, and help would list the key twice.
fn check_clashes(bindings: &[Binding]) -> Result<(), KeymapError> {
    for (i, a) in bindings.iter().enumerate() {
        for b in &bindings[i + 1..] {
            let shared = a
                .contexts
                .iter()
                .flat_map(|c| [*c, Ct, Dc].into_iter().filter(move |x| c.covers(*x)))
                .find(|x| applies(b.contexts, *x));
            let Some(context) = shared.as_ref() else {
                continue;
            };
            if let Some(key) = a
                .keys
                .iter()
                .find(|k| k.code != KeyCode::Null && b.keys.contains(k))
            {
                // Which of the two the owner rebound is named first.
                return Err(KeymapError::Clash {
                    key: key_name(key),
                    first: a.name,
                    second: b.name,
                    context: *context,
                });
            }
        }
    }
    Ok(())
}

fn key_name(k: &Key) -> String {
    let base = match k.code {
        KeyCode::Enter => "enter".into(),
        KeyCode::Esc => "esc".into(),
        KeyCode::Tab => "tab".into(),
        KeyCode::BackTab => "⇧tab".into(),
        KeyCode::Up => "↑".into(),
        KeyCode::Down => "↓".into(),
        KeyCode::Left => "←".into(),
        KeyCode::Right => "→".into(),
        KeyCode::PageUp => "pgup".into(),
        KeyCode::PageDown => "pgdn".into(),
        KeyCode::Home => "home".into(),
        KeyCode::End => "end".into(),
        KeyCode::Char(' ') => "space".into(),
        KeyCode::Char(c) => c.to_string(),
        KeyCode::F(n) => format!("f{n}"),
        _ => "?".into(),
    };
    if k.ctrl { format!("ctrl-{base}") } else { base }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn press(code: KeyCode) -> KeyEvent {
        KeyEvent::new(code, KeyModifiers::NONE)
    }

    #[test]
    fn defaults_follow_the_design() {
        let km = Keymap::new(&BTreeMap::new()).unwrap();
        let list = |c| km.map(Context::List, press(KeyCode::Char(c)));
        assert_eq!(list('j'), Some(Action::Cmd(Command::Down)));
        assert_eq!(list('k'), Some(Action::Cmd(Command::Up)));
        assert_eq!(list('n'), Some(Action::Cmd(Command::NewCustomer)));
        assert_eq!(list('s'), Some(Action::Cmd(Command::CycleSort)));
        assert_eq!(list('/'), Some(Action::Cmd(Command::Search)));
        assert_eq!(list('q'), Some(Action::Cmd(Command::Quit)));
        assert_eq!(list('?'), Some(Action::Cmd(Command::Help)));
        assert_eq!(list('a'), None, "add entry is a customer-screen key");
        assert_eq!(
            km.map(Context::Customer, press(KeyCode::Char('a'))),
            Some(Action::Cmd(Command::AddEntry))
        );
        assert_eq!(
            km.map(Context::List, press(KeyCode::Down)),
            Some(Action::Cmd(Command::Down))
        );
    }

    #[test]
    fn text_contexts_take_letters_as_input() {
        let km = Keymap::new(&BTreeMap::new()).unwrap();
        assert_eq!(
            km.map(Context::Search, press(KeyCode::Char('j'))),
            Some(Action::Input('j'))
        );
        assert_eq!(
            km.map(Context::Form, press(KeyCode::Char('q'))),
            Some(Action::Input('q'))
        );
        assert_eq!(
            km.map(Context::Form, press(KeyCode::Tab)),
            Some(Action::NextField)
        );
        assert_eq!(
            km.map(Context::Form, press(KeyCode::BackTab)),
            Some(Action::PrevField)
        );
        assert_eq!(
            km.map(Context::Form, press(KeyCode::Enter)),
            Some(Action::Submit)
        );
        let ctrl_t = KeyEvent::new(KeyCode::Char('t'), KeyModifiers::CONTROL);
        assert_eq!(
            km.map(Context::Form, ctrl_t),
            Some(Action::Cmd(Command::ToggleKind))
        );
        assert_eq!(
            km.map(Context::Confirm, press(KeyCode::Char('y'))),
            Some(Action::Yes)
        );
        assert_eq!(
            km.map(Context::Confirm, press(KeyCode::Esc)),
            Some(Action::No)
        );
    }

    #[test]
    fn config_overrides_rebind_and_show_in_help() {
        let overrides = BTreeMap::from([
            ("new_customer".to_string(), "N".to_string()),
            ("toggle_kind".to_string(), "f2".to_string()),
        ]);
        let km = Keymap::new(&overrides).unwrap();
        assert_eq!(
            km.map(Context::List, press(KeyCode::Char('N'))),
            Some(Action::Cmd(Command::NewCustomer))
        );
        assert_eq!(km.map(Context::List, press(KeyCode::Char('n'))), None);
        assert_eq!(
            km.map(Context::Form, press(KeyCode::F(2))),
            Some(Action::Cmd(Command::ToggleKind))
        );
        assert!(
            km.help(Context::List)
                .iter()
                .any(|(k, h)| k == "N" && h.contains("new customer"))
        );
    }

    #[test]
    fn the_example_config_names_every_action_with_its_default() {
        let example = include_str!("../../config.example.toml");
        for (_, name, key, _, _) in defaults() {
            assert!(
                example.contains(&format!("# {name} = \"{key}\"")),
                "config.example.toml lacks {name}"
            );
        }
        // And every action the example documents is bound: none is lost.
        let keys = &example[example.find("[keys]").expect("[keys]")..];
        let names: Vec<&str> = defaults().iter().map(|d| d.1).collect();
        for line in keys.lines().filter_map(|l| l.strip_prefix("# ")) {
            let Some((name, _)) = line.split_once(" = \"") else {
                continue;
            };
            if name
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
            {
                assert!(names.contains(&name), "{name} is documented but not bound");
            }
        }
    }

    #[test]
    fn bad_overrides_are_refused_clearly() {
        let bad = BTreeMap::from([("fly".to_string(), "x".to_string())]);
        let err = Keymap::new(&bad).err().unwrap().to_string();
        assert!(
            err.contains("unknown action \"fly\"") && err.contains("new_customer"),
            "{err}"
        );
        let bad = BTreeMap::from([("quit".to_string(), "ctrl-".to_string())]);
        assert!(matches!(Keymap::new(&bad), Err(KeymapError::BadKey { .. })));
        assert!(parse_key("f13").is_none());
        assert!(parse_key("xy").is_none());
    }

    #[test]
    fn a_hint_names_a_key_only_where_it_does_that() {
        let km = Keymap::new(&BTreeMap::new()).unwrap();
        assert_eq!(km.key_in(Context::List, Command::NewCustomer), "n");
        // `n` adds a contact on the Contacts tab, not a customer.
        assert_eq!(km.key_in(Context::Contacts, Command::NewCustomer), "");
        assert_eq!(km.key_in(Context::Contacts, Command::NewContact), "n");
        // Every tab's keys work on the Contacts and Documents tabs too.
        assert_eq!(km.key_in(Context::Documents, Command::SwitchTab), "tab");
        let ui = crate::tui::ui::Ui {
            keymap: km,
            theme: crate::tui::theme::Theme { color: false },
        };
        let line =
            crate::tui::ui::hint_line(&[(String::new(), "unbound"), ("n".into(), "new")], 80, &ui);
        let text: String = line.spans.iter().map(|s| s.content.as_ref()).collect();
        assert_eq!(text.trim(), "n new");
    }

    #[test]
    fn a_key_taken_where_both_apply_is_refused_naming_both() {
        // `j` moves down in the list: it cannot also add a customer there.
        let clash = BTreeMap::from([("new_customer".to_string(), "j".to_string())]);
        let err = Keymap::new(&clash).err().unwrap().to_string();
        assert!(err.contains("\"j\""), "{err}");
        assert!(
            err.contains("new_customer") && err.contains("down"),
            "{err}"
        );
        // Taken only where the other does not apply: fine (Collections'
        // `K` is free on the customer screen).
        let fine = BTreeMap::from([("skip_reminders".to_string(), "n".to_string())]);
        assert!(Keymap::new(&fine).is_ok());
    }
}
