//! tally's integration tests, one crate (one link of the library, one
//! binary to run), a module per feature as in jj's `tests/`. Each module
//! drives the real `tally` binary, a real server (SMTP, S3, a browser) or
//! the TUI's Runner, the way its reader gets what tally makes.
//!
//! `cargo test --test it MODULE::` runs one feature's tests.

mod common;

mod aging_props;
mod backup;
mod balance_props;
mod check;
mod cli;
mod cli_invoices;
mod contacts;
mod contracts;
mod credits;
mod documents;
mod e2e;
mod exchange;
mod figure_props;
mod figures;
mod files_and_limits;
mod hostile_text;
mod invoice_props;
mod invoices;
mod mail;
mod merge;
mod payments;
mod portal;
mod portal_load;
mod publish;
mod races;
mod readme_walk;
mod reports;
mod setup;
mod shell;
mod sub_clients;
mod tui;
mod tui_pty;
mod wording;
