//! The batch commands an owner runs on a big book, each timed back to back
//! with SQLite doing the same work, its floor:
//!
//! - `tally check` against `PRAGMA integrity_check` (the same SQLite as
//!   tally, in this process, on a connection of its own);
//! - the exports against the `sqlite3` shell's CSV dump of the entries
//!   table to a file;
//! - `tally backup` against the `sqlite3` shell's `.backup`;
//! - `check --quick` and `report aging --as-of` past days against the
//!   time the issue set for them.
//!
//! Each pair runs alternately, tally first, and the medians are compared,
//! so a busy machine slows both sides alike; before each, the files the
//! last runs wrote are removed (each side writes a new one) and what
//! earlier rows wrote is flushed to the disk. Nothing here asserts.

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use anyhow::{Result, bail};

use super::{Bench, Table, median};

fn secs(d: Duration) -> String {
    format!("{:.2} s", d.as_secs_f64())
}

/// `sqlite3 ARGS`, timed; `None` when the shell is not installed.
fn shell(args: &[&str], out: Option<&Path>) -> Result<Option<Duration>> {
    let stdout = match out {
        Some(p) => Stdio::from(std::fs::File::create(p)?),
        None => Stdio::null(),
    };
    let started = Instant::now();
    let Ok(status) = Command::new("sqlite3")
        .args(args)
        .stdout(stdout)
        .stderr(Stdio::null())
        .status()
    else {
        return Ok(None);
    };
    if !status.success() {
        bail!("sqlite3 {} failed", args.join(" "));
    }
    Ok(Some(started.elapsed()))
}

/// Waits until what earlier rows wrote (exports, copies: hundreds of MB)
/// is on the disk, so the kernel writing it back does not slow the next
/// measure. Both sides of a pair get the same.
fn settle() {
    let _ = Command::new("sync").status();
}

/// Removes what an earlier run wrote to `files`, then settles: each run
/// writes a new file, as the floor's does, and neither pays for freeing
/// the last one.
fn fresh(files: &[&Path]) {
    for f in files {
        let _ = std::fs::remove_file(f);
    }
    settle();
}

/// `PRAGMA integrity_check` of `db` on a fresh connection, timed.
fn integrity(db: &Path) -> Result<Option<Duration>> {
    let started = Instant::now();
    let conn =
        rusqlite::Connection::open_with_flags(db, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY)?;
    let mut stmt = conn.prepare("PRAGMA integrity_check")?;
    let rows: Vec<String> = stmt
        .query_map([], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    if rows != ["ok"] {
        bail!("the book fails SQLite's integrity check: {rows:?}");
    }
    Ok(Some(started.elapsed()))
}

impl Bench<'_> {
    fn batch_repeats(&self) -> usize {
        if self.args.quick { 1 } else { 3 }
    }

    /// tally `args` and `floor`, alternately; one table row with both
    /// medians, their ratio and the target, and tally's peak memory.
    #[allow(clippy::too_many_arguments)]
    fn versus(
        &self,
        what: &str,
        args: &[&str],
        writes: &[&Path],
        floor_name: &str,
        mut floor: impl FnMut() -> Result<Option<Duration>>,
        target: f64,
        table: &mut Table,
    ) -> Result<()> {
        let (mut ours, mut theirs, mut peak) = (Vec::new(), Vec::new(), 0);
        for _ in 0..self.batch_repeats() {
            fresh(writes);
            let r = self.run(args)?;
            ours.push(r.took);
            peak = peak.max(r.peak_kb);
            fresh(writes);
            if let Some(t) = floor()? {
                theirs.push(t);
            }
        }
        let ours = median(ours);
        let value = if theirs.is_empty() {
            format!("{} ({floor_name}: sqlite3 not installed)", secs(ours))
        } else {
            let theirs = median(theirs);
            let ratio = ours.as_secs_f64() / theirs.as_secs_f64();
            let mark = if ratio <= target { "met" } else { "NOT met" };
            format!(
                "{} vs {floor_name} {} = {ratio:.2}× (target ≤ {target}×: {mark}); peak RSS {} MB",
                secs(ours),
                secs(theirs),
                peak / 1024
            )
        };
        table.row(what, value);
        Ok(())
    }

    /// tally `args` against a time limit.
    fn within(&self, what: &str, args: &[&str], limit: f64, table: &mut Table) -> Result<()> {
        let (mut runs, mut peak) = (Vec::new(), 0);
        for _ in 0..self.batch_repeats() {
            settle();
            let r = self.run(args)?;
            runs.push(r.took);
            peak = peak.max(r.peak_kb);
        }
        let took = median(runs);
        let mark = if took.as_secs_f64() <= limit {
            "met"
        } else {
            "NOT met"
        };
        table.row(
            what,
            format!(
                "{} (target ≤ {limit} s: {mark}); peak RSS {} MB",
                secs(took),
                peak / 1024
            ),
        );
        Ok(())
    }

    pub(super) fn batch(&self, table: &mut Table) -> Result<()> {
        let db = self.db.clone();
        let dbs = db.display().to_string();
        let dump = self.dir.join("floor.csv");
        let copy = self.dir.join("floor-backup.tally");
        let mine = self.dir.join("export.out");
        let mine_s = mine.display().to_string();
        let dump_entries = || shell(&["-csv", &dbs, "SELECT * FROM entries"], Some(&dump));
        self.versus(
            "batch: tally check",
            &["check"],
            &[],
            "integrity_check",
            || integrity(&db),
            1.5,
            table,
        )?;
        self.within(
            "batch: tally check --quick",
            &["check", "--quick"],
            2.0,
            table,
        )?;
        for (what, format) in [
            ("batch: export journal (hledger)", "hledger"),
            ("batch: export journal (beancount)", "beancount"),
        ] {
            let args = ["export", "journal", "--format", format, "--out", &mine_s];
            let writes = [mine.as_path(), dump.as_path()];
            self.versus(
                what,
                &args,
                &writes,
                "sqlite3 -csv dump",
                dump_entries,
                1.5,
                table,
            )?;
        }
        let args = ["export", "entries", "--out", &mine_s];
        self.versus(
            "batch: export entries (CSV)",
            &args,
            &[mine.as_path(), dump.as_path()],
            "sqlite3 -csv dump",
            dump_entries,
            1.5,
            table,
        )?;
        // The generated book runs from 2024-11-23 for two years: as of a
        // month in, a year in, and a month before its end.
        for day in ["2024-12-23", "2025-11-23", "2026-10-23"] {
            let what = format!("batch: report aging --as-of {day}");
            self.within(&what, &["report", "aging", "--as-of", day], 1.0, table)?;
        }
        let target = self.dir.join("backup.tally");
        let target_s = target.display().to_string();
        let copy_s = copy.display().to_string();
        let backup_floor = || shell(&[&dbs, &format!(".backup {copy_s}")], None);
        self.versus(
            "batch: backup (with its check)",
            &["backup", &target_s],
            &[target.as_path(), copy.as_path()],
            "sqlite3 .backup",
            backup_floor,
            1.5,
            table,
        )?;
        for f in [&dump, &copy, &mine, &target] {
            let _ = std::fs::remove_file(f);
        }
        Ok(())
    }
}
