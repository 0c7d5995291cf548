//! The test harness shared by the binary's end-to-end tests: a temporary
//! book, and runners that check success, or refusal with one `error:` line
//! and an unchanged book file.
#![allow(dead_code)]

pub mod e2e;
pub mod hostile;
pub mod smtp;
pub mod storage;
pub mod web;

use std::path::PathBuf;
use std::process::{Command, Output};

use serde_json::Value;
use tempfile::TempDir;

/// tally on the book at `db`, with its config and data folders under
/// `home` (nothing from the environment it runs in).
pub fn tally_at(home: &std::path::Path, db: &std::path::Path) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_tally"));
    c.env_remove("TALLY_DB")
        .env_remove("TALLY_CONFIG")
        .env("XDG_CONFIG_HOME", home.join("xdg-config"))
        .env("XDG_DATA_HOME", home.join("xdg-data"))
        .env("HOME", home)
        .arg("--db")
        .arg(db);
    c
}

pub struct Book {
    pub dir: TempDir,
    pub db: PathBuf,
}

impl Book {
    pub fn new() -> Book {
        let dir = tempfile::tempdir().expect("tempdir");
        let db = dir.path().join("book.tally");
        Book { dir, db }
    }

    pub fn cmd(&self) -> Command {
        tally_at(self.dir.path(), &self.db)
    }

    pub fn run(&self, args: &[&str]) -> Output {
        self.cmd().args(args).output().expect("run tally")
    }

    /// Runs a command that must succeed; returns its stdout.
    pub fn ok(&self, args: &[&str]) -> String {
        let out = self.run(args);
        assert!(
            out.status.success(),
            "tally {args:?} failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).expect("utf8")
    }

    pub fn json(&self, args: &[&str]) -> Value {
        serde_json::from_str(&self.ok(args)).expect("json")
    }

    /// Runs a command that must fail with exit 1 and a single `error:` line
    /// containing `needle`, and must not change the book file.
    pub fn refused(&self, args: &[&str], needle: &str) -> String {
        let before = std::fs::read(&self.db).ok();
        let out = self.run(args);
        let stderr = String::from_utf8_lossy(&out.stderr).to_string();
        assert_eq!(out.status.code(), Some(1), "tally {args:?}: {stderr}");
        assert!(stderr.starts_with("error: "), "{stderr}");
        assert_eq!(stderr.trim_end().lines().count(), 1, "one line: {stderr}");
        assert!(
            stderr.contains(needle),
            "{args:?}: expected {needle:?} in {stderr}"
        );
        assert!(out.stdout.is_empty(), "no output on error");
        assert_eq!(
            std::fs::read(&self.db).ok(),
            before,
            "book changed by {args:?}"
        );
        stderr
    }
}
