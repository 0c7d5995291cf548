//! Shell completions and the man page come from the same definitions the
//! command line parses with, and need no book: they never create one.

use crate::common;

use common::Book;

#[test]
fn completions_and_the_man_page_cover_every_command_without_a_book() {
    let b = Book::new();
    let bash = b.ok(&["completions", "bash"]);
    let script = b.dir.path().join("tally.bash");
    std::fs::write(&script, &bash).unwrap();
    let check = std::process::Command::new("bash")
        .arg("-n")
        .arg(&script)
        .output()
        .expect("bash");
    assert!(
        check.status.success(),
        "{}",
        String::from_utf8_lossy(&check.stderr)
    );
    for sub in [
        "refund",
        "credit-transfer",
        "import",
        "export",
        "contract",
        "document",
        "backup",
    ] {
        assert!(bash.contains(sub), "bash completes {sub}");
    }
    assert!(b.ok(&["completions", "zsh"]).starts_with("#compdef tally"));
    assert!(b.ok(&["completions", "fish"]).contains("complete -c tally"));
    let man = b.ok(&["man"]);
    assert!(man.contains(".TH tally 1"), "{man}");
    assert!(man.contains("credit\\-transfer"), "every command is listed");
    // Every command and its options are on the one page, and nothing
    // points to a per-command page that is not installed.
    for full in [
        "tally customer add",
        "tally invoice finalize",
        "tally mail retry",
        "tally reminders run",
    ] {
        assert!(man.contains(&format!(".SS \"{full}\"")), "{full}");
    }
    assert!(man.contains("\\-\\-no\\-email"), "options of subcommands");
    assert!(!man.contains("(1)\n"), "no pointers to other pages");
    assert!(!b.db.exists(), "no book was created");
    let bad = b.run(&["completions", "powershell"]);
    assert_eq!(
        bad.status.code(),
        Some(2),
        "a usage error, as clap reports it"
    );
}
