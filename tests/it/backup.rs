//! `tally backup`: a consistent copy while another tally writes, refusal to
//! overwrite without --force, and a copy that opens as a book by itself.

use crate::common;

use common::Book;

#[test]
fn a_backup_taken_while_another_tally_writes_is_a_whole_book() {
    let b = Book::new();
    b.ok(&["customer", "add", "Ann"]);
    for _ in 0..50 {
        b.ok(&["charge", "1", "10", "--tax", "0"]);
    }
    // A writer posting as fast as it can while backups are taken.
    let (db, home) = (b.db.clone(), b.dir.path().to_path_buf());
    let poster = std::thread::spawn(move || {
        for _ in 0..80 {
            let out = std::process::Command::new(env!("CARGO_BIN_EXE_tally"))
                .args(["--db"])
                .arg(&db)
                .args(["charge", "1", "1", "--tax", "0"])
                .env_remove("TALLY_DB")
                .env_remove("TALLY_CONFIG")
                .env("HOME", &home)
                .env("XDG_CONFIG_HOME", home.join("xdg-config"))
                .output()
                .expect("post");
            assert!(
                out.status.success(),
                "{}",
                String::from_utf8_lossy(&out.stderr)
            );
        }
    });
    for i in 0..8 {
        let copy = b.dir.path().join(format!("copy-{i}.tally"));
        let said = b.ok(&["backup", copy.to_str().unwrap()]);
        assert!(said.starts_with("Backed up 1 customer and "), "{said}");
        let restored = Book {
            dir: tempfile::tempdir().unwrap(),
            db: copy.clone(),
        };
        let check = restored.run(&["check"]);
        assert!(
            check.status.success(),
            "{}",
            String::from_utf8_lossy(&check.stdout)
        );
        // The copy is one moment: its balance is its own entries' sum.
        let show = restored.json(&["customer", "show", "1", "--json"]);
        let history = restored.json(&["history", "1", "--json"]);
        let n = history.as_array().unwrap().len();
        assert!(n >= 50, "{n}");
        let expected = -(10 * 50 + (n as i64 - 50));
        assert_eq!(show["balance"], format!("{expected}.00"));
        assert!(!b.dir.path().join(format!("copy-{i}.tally-wal")).exists());
    }
    poster.join().expect("poster");
}

#[test]
fn a_backup_never_overwrites_without_force_and_leaves_nothing_half_written() {
    let b = Book::new();
    b.ok(&["customer", "add", "Ann"]);
    let copy = b.dir.path().join("copy.tally");
    std::fs::write(&copy, b"keep me").unwrap();
    let out = b.run(&["backup", copy.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("already exists: pass --force"), "{err}");
    assert_eq!(std::fs::read(&copy).unwrap(), b"keep me");
    b.ok(&["backup", copy.to_str().unwrap(), "--force"]);
    let names: Vec<String> = std::fs::read_dir(b.dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().to_string())
        .collect();
    assert!(!names.iter().any(|n| n.contains("partial")), "{names:?}");
    let out = b.run(&["backup", b.dir.path().to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1), "a folder is refused");
}
