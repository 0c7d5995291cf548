//! Outside tools the end-to-end tests drive (Xvfb, xclip, Chromium). A test
//! whose tool is missing skips with a message, unless `TALLY_REQUIRE_E2E=1`
//! (set by CI), where a missing tool fails the test.
#![allow(dead_code)]

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};

/// Whether `tool` is on PATH; prints why the test is skipped if not.
pub fn have(tool: &str, test: &str) -> bool {
    let found = Command::new("sh")
        .args(["-c", &format!("command -v {tool}")])
        .output()
        .is_ok_and(|o| o.status.success());
    if !found {
        let required = std::env::var("TALLY_REQUIRE_E2E").is_ok_and(|v| v == "1");
        assert!(
            !required,
            "{test}: `{tool}` is missing and TALLY_REQUIRE_E2E=1"
        );
        eprintln!("SKIPPED {test}: `{tool}` is not installed (Debian: see .ci/run)");
    }
    found
}

/// A private X server; killed on drop.
pub struct Xvfb {
    child: Child,
    pub display: String,
}

impl Xvfb {
    pub fn start() -> Xvfb {
        let mut child = Command::new("Xvfb")
            .args([
                "-displayfd",
                "1",
                "-nolisten",
                "tcp",
                "-screen",
                "0",
                "800x600x24",
            ])
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("start Xvfb");
        let mut line = String::new();
        BufReader::new(child.stdout.take().expect("stdout"))
            .read_line(&mut line)
            .expect("display number");
        Xvfb {
            child,
            display: format!(":{}", line.trim()),
        }
    }

    /// Stops the X server now (as a logout would).
    pub fn stop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }

    /// Puts `text` on the clipboard as another program would.
    pub fn copy_elsewhere(&self, text: &str) {
        use std::io::Write;
        let mut c = Command::new("xclip")
            .args(["-i", "-selection", "clipboard"])
            .env("DISPLAY", &self.display)
            .stdin(Stdio::piped())
            .spawn()
            .expect("xclip");
        c.stdin
            .take()
            .expect("stdin")
            .write_all(text.as_bytes())
            .expect("write");
        c.wait().expect("xclip");
    }

    /// How many tally clipboard holders are serving this display.
    pub fn holders(&self) -> usize {
        let want = format!("DISPLAY={}", self.display);
        std::fs::read_dir("/proc")
            .into_iter()
            .flatten()
            .flatten()
            .filter(|p| {
                let cmd = std::fs::read(p.path().join("cmdline")).unwrap_or_default();
                let env = std::fs::read(p.path().join("environ")).unwrap_or_default();
                String::from_utf8_lossy(&cmd).contains("__hold-clipboard")
                    && env.split(|b| *b == 0).any(|v| v == want.as_bytes())
            })
            .count()
    }

    /// What `xclip` reads from the CLIPBOARD selection.
    pub fn clipboard(&self) -> String {
        let out = Command::new("xclip")
            .args(["-o", "-selection", "clipboard"])
            .env("DISPLAY", &self.display)
            .output()
            .expect("xclip");
        String::from_utf8_lossy(&out.stdout).to_string()
    }
}

impl Drop for Xvfb {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
