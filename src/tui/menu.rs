//! The `:` command menu (like vim's and helix's): the commands that take a
//! file, listed in one form: import customers or entries, export customers,
//! entries, invoices or a journal, back up the book. What it starts runs as
//! a [`crate::tui::jobs::Job`].

use super::form::{Field, Form, FormKind, NO_YES};
use super::jobs::JobSpec;
use crate::exchange::journal::Flavor;
use crate::ops::Export;

/// The commands, as the menu lists them.
pub const COMMANDS: &[&str] = &[
    "import customers",
    "import entries",
    "import invoices",
    "export customers",
    "export entries",
    "export invoices",
    "export journal (hledger)",
    "export journal (beancount)",
    "backup",
];

/// Menu form field indices.
pub mod mf {
    pub const COMMAND: usize = 0;
    pub const FILE: usize = 1;
    pub const OPENING: usize = 2;
    pub const REPLACE: usize = 3;
    pub const MAP: usize = 4;
}

pub fn form() -> Form {
    Form::with(
        FormKind::Command,
        vec![
            Field {
                hint: Some("←/→ to choose".into()),
                ..Field::choice("Command", COMMANDS, COMMANDS[0])
            },
            Field {
                hint: Some("a CSV to read, or the file to write; ~ is your home".into()),
                ..Field::text("File", "")
            },
            Field {
                hint: Some("import customers: post open balances".into()),
                ..Field::choice("Opening balances", NO_YES, "no")
            },
            Field {
                hint: Some("export and backup: overwrite an existing file".into()),
                ..Field::choice("Replace", NO_YES, "no")
            },
            Field {
                hint: Some("import customers: e.g. Client Name=name,Mail=email".into()),
                ..Field::text("Columns", "")
            },
        ],
    )
}

/// What the filled-in menu asks for, or the field to fix and why.
pub fn spec(f: &Form) -> Result<JobSpec, (usize, String)> {
    let typed = f.value(mf::FILE).trim();
    if typed.is_empty() {
        return Err((mf::FILE, "is empty: type the file's path".into()));
    }
    let path = expand_home(typed);
    let yes = |i: usize| f.value(i) == "yes";
    let replace = yes(mf::REPLACE);
    let export = |what| JobSpec::Export {
        what,
        path: path.clone(),
        replace,
    };
    Ok(match f.value(mf::COMMAND) {
        "import customers" => JobSpec::ImportCustomers {
            path,
            opening_balances: yes(mf::OPENING),
            map: crate::exchange::customers::parse_map(f.value(mf::MAP))
                .map_err(|e| (mf::MAP, e))?,
        },
        "import entries" => JobSpec::ImportEntries { path },
        "import invoices" => JobSpec::ImportInvoices { path },
        "export customers" => export(Export::Customers),
        "export entries" => export(Export::Entries),
        "export invoices" => export(Export::Invoices),
        "export journal (hledger)" => export(Export::Journal(Flavor::Hledger)),
        "export journal (beancount)" => export(Export::Journal(Flavor::Beancount)),
        _ => JobSpec::Backup { path, replace },
    })
}

pub use crate::paths::expand_home;

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::PathBuf;

    #[test]
    fn the_menu_turns_its_fields_into_a_command() {
        let mut f = form();
        assert_eq!(spec(&f).unwrap_err().0, mf::FILE);
        f.fields[mf::FILE].value = "/tmp/x.csv".into();
        assert_eq!(
            spec(&f).unwrap(),
            JobSpec::ImportCustomers {
                path: "/tmp/x.csv".into(),
                opening_balances: false,
                map: Vec::new(),
            }
        );
        f.fields[mf::COMMAND].value = "export journal (beancount)".into();
        f.fields[mf::REPLACE].value = "yes".into();
        assert_eq!(
            spec(&f).unwrap(),
            JobSpec::Export {
                what: Export::Journal(Flavor::Beancount),
                path: "/tmp/x.csv".into(),
                replace: true
            }
        );
        if let Some(home) = std::env::var_os("HOME") {
            assert_eq!(
                expand_home("~/b.tally"),
                PathBuf::from(home).join("b.tally")
            );
        }
    }
}
