//! tally: a keyboard-driven bookkeeping tool for one small business.
//!
//! Layers, from the inside out: `domain` (rules, no IO) → `store` (the only
//! SQL) → `ops` (use cases, one transaction each) → front ends (`cli`, `tui`, `portal`);
//! `document` renders invoices for people outside the terminal; `exchange`
//! reads and writes other systems' files (CSV, hledger, beancount).

pub mod cli;
pub mod clipboard;
pub mod config;
pub mod document;
pub mod domain;
pub mod exchange;
pub mod first_run;
pub mod mail;
pub mod ops;
pub mod paths;
pub mod portal;
pub mod publish;
pub mod store;
pub mod tui;

pub use cli::run;
