//! The README's command-line walk (and the guide's), run in order against
//! a fresh book, so neither can drift from what tally does. Every ```sh
//! block is read from README.md and docs/guide.md themselves; each line
//! that starts with `tally ` runs through bash (quotes and `# comments` as
//! a reader's shell would take them) and must succeed. Lines that need a
//! desktop clipboard, run forever or need a bucket (`link copy`, `link
//! message`, `portal serve`, `portal publish`: publish.rs runs those
//! against a real server) are skipped; everything else runs.

use crate::common;

use common::Book;

/// The `tally …` lines of every ```sh block, in order: the README's
/// walk, then the owner's guide's.
fn walk() -> Vec<String> {
    let readme = concat!(
        include_str!("../../README.md"),
        "\n",
        include_str!("../../docs/guide.md")
    );
    let mut lines = Vec::new();
    let mut in_sh = false;
    for line in readme.lines() {
        let t = line.trim();
        if t.starts_with("```") {
            in_sh = t == "```sh";
            continue;
        }
        if in_sh && t.starts_with("tally ") {
            lines.push(t.to_string());
        }
    }
    lines
}

/// What a line's `# → …` comment says it prints: `→ 1 (entry id)` is "1",
/// `→ draft 4` is "4" (the draft's id), `→ INV-0001; …` is "INV-0001".
fn promised(line: &str) -> Option<String> {
    let comment = line.split_once(" # ")?.1;
    let claim = comment.split("→ ").nth(1)?;
    let claim = claim.split([';', '(']).next()?.trim();
    let claim = claim.strip_prefix("draft ").unwrap_or(claim);
    // Only ids and numbers are promises ("before → after" is prose).
    let id = claim.split_whitespace().next()?;
    id.chars()
        .any(|c| c.is_ascii_digit())
        .then(|| id.to_string())
}

fn skipped(line: &str) -> bool {
    [
        "tally link copy",
        "tally link message",
        "tally portal serve",
        "tally portal publish",
    ]
    .iter()
    .any(|p| line.starts_with(p))
}

#[test]
fn the_readme_walk_runs_in_order_on_a_fresh_book() {
    let b = Book::new();
    let lines = walk();
    assert!(lines.len() > 20, "the walk was found: {lines:?}");
    let bin = env!("CARGO_BIN_EXE_tally");
    let mut ran = 0;
    for line in lines.iter().filter(|l| !skipped(l)) {
        let script = format!("tally() {{ \"$TALLY_BIN\" \"$@\"; }}\n{line}\n");
        let out = std::process::Command::new("bash")
            .arg("-c")
            .arg(&script)
            .current_dir(b.dir.path())
            .env("TALLY_BIN", bin)
            .env("TALLY_DB", &b.db)
            .env_remove("TALLY_CONFIG")
            .env("XDG_CONFIG_HOME", b.dir.path().join("config"))
            .env("XDG_DATA_HOME", b.dir.path().join("data"))
            .env("HOME", b.dir.path())
            .env_remove("DISPLAY")
            .output()
            .expect("bash");
        assert!(
            out.status.success(),
            "README line failed: {line}\n{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        // "# → X" promises what the command prints.
        if let Some(claim) = promised(line) {
            let stdout = String::from_utf8_lossy(&out.stdout);
            let words: Vec<&str> = stdout
                .split_whitespace()
                .map(|w| w.trim_matches(|c: char| c == ':' || c == ','))
                .collect();
            assert!(
                words.contains(&claim.as_str()),
                "{line}: printed {stdout:?}, README says {claim:?}"
            );
        }
        ran += 1;
    }
    assert!(ran > 20);
    b.ok(&["check"]);
}
