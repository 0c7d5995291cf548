//! Documents kept with a customer (seed 004): byte-for-byte round trips
//! (empty, ordinary, exactly at the size cap), refusals that leave the book
//! unchanged, the kind read from content, and a backup that carries them.

use crate::common;

use common::Book;

fn with_cap(b: &Book, mb: u32) -> String {
    let path = b.dir.path().join("cap.toml");
    std::fs::write(&path, format!("[documents]\nmax_size_mb = {mb}\n")).unwrap();
    path.to_str().unwrap().to_string()
}

#[test]
fn documents_come_back_exactly_as_they_went_in() {
    let b = Book::new();
    b.ok(&["customer", "add", "Ann Lee"]);
    let cfg = with_cap(&b, 1);
    let dir = b.dir.path();
    let files: [(&str, Vec<u8>); 3] = [
        ("empty.txt", Vec::new()),
        (
            "scan.pdf",
            [0x89, b'P', b'N', b'G', b'\r', b'\n']
                .iter()
                .copied()
                .chain((0..=255u8).cycle().take(70_000))
                .collect(),
        ),
        ("cap.bin", (0..=255u8).cycle().take(1024 * 1024).collect()),
    ];
    for (i, (name, bytes)) in files.iter().enumerate() {
        let path = dir.join(name);
        std::fs::write(&path, bytes).unwrap();
        let id = b.ok(&[
            "--config",
            &cfg,
            "document",
            "add",
            "1",
            path.to_str().unwrap(),
        ]);
        assert_eq!(id.trim(), (i + 1).to_string());
        let out = dir.join(format!("out-{name}"));
        b.ok(&[
            "document",
            "export",
            id.trim(),
            "--out",
            out.to_str().unwrap(),
        ]);
        assert_eq!(&std::fs::read(&out).unwrap(), bytes, "{name}");
    }
    let list = b.json(&["document", "list", "1", "--json"]);
    let kinds: Vec<&str> = list
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["kind"].as_str().unwrap())
        .collect();
    assert_eq!(
        kinds,
        ["binary file", "PNG image", "empty"],
        "newest first, kind from content"
    );
    assert_eq!(list[0]["size"], 1024 * 1024);
    // A backup carries them.
    let copy = dir.join("copy.tally");
    b.ok(&["backup", copy.to_str().unwrap()]);
    let restored = Book {
        dir: tempfile::tempdir().unwrap(),
        db: copy,
    };
    let out = dir.join("from-backup.pdf");
    restored.ok(&["document", "export", "2", "--out", out.to_str().unwrap()]);
    assert_eq!(std::fs::read(&out).unwrap(), files[1].1);
    b.ok(&["check"]);
}

#[test]
fn too_large_missing_and_folder_paths_change_nothing() {
    let b = Book::new();
    b.ok(&["customer", "add", "Ann Lee"]);
    let cfg = with_cap(&b, 1);
    let big = b.dir.path().join("big.bin");
    std::fs::write(&big, vec![7u8; 1024 * 1024 + 1]).unwrap();
    b.refused(
        &[
            "--config",
            &cfg,
            "document",
            "add",
            "1",
            big.to_str().unwrap(),
        ],
        "is 1.0 MB (1048577 bytes): the most a document may be is 1.0 MB (1048576 bytes)",
    );
    let missing = b.dir.path().join("nope.pdf");
    b.refused(
        &["document", "add", "1", missing.to_str().unwrap()],
        "does not exist",
    );
    b.refused(
        &["document", "add", "1", b.dir.path().to_str().unwrap()],
        "is not a file",
    );
    b.refused(
        &["document", "add", "9", big.to_str().unwrap()],
        "customer 9 not found",
    );
    b.refused(
        &["document", "export", "5", "--out", "x"],
        "document 5 not found",
    );
    let small = b.dir.path().join("a.txt");
    std::fs::write(&small, "hello").unwrap();
    b.ok(&["document", "add", "1", small.to_str().unwrap()]);
    b.refused(
        &["document", "export", "1", "--out", small.to_str().unwrap()],
        "already exists: pass --force",
    );
    b.ok(&[
        "document",
        "export",
        "1",
        "--out",
        small.to_str().unwrap(),
        "--force",
    ]);
    let said = b.ok(&["document", "remove", "1"]);
    assert!(said.contains("Removed document 1 (a.txt)"), "{said}");
    assert_eq!(
        b.json(&["document", "list", "1", "--json"]),
        serde_json::json!([])
    );
    let timeline = b.json(&["timeline", "1", "--json"]);
    assert_eq!(timeline[0]["action"], "document.removed");
    assert_eq!(timeline[1]["action"], "document.added");
}
