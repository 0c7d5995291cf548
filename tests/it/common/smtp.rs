//! A real SMTP server for the mail tests: aiosmtpd (PyPI, installed by
//! .ci/run) running `tests/support/smtp_sink.py`, which keeps each
//! message it accepts as a file and as JSON the tests read (recipients,
//! headers, decoded text and HTML, attachments). Stop and start again
//! keep the port and the messages.
#![allow(dead_code)]

use std::net::TcpListener;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

pub struct Smtp {
    child: Option<Child>,
    pub port: u16,
    pub dir: PathBuf,
}

/// A message as the server received it.
#[derive(Debug, Clone)]
pub struct Received {
    pub rcpt: Vec<String>,
    pub headers: Vec<(String, String)>,
    pub raw_headers: String,
    pub text: String,
    pub html: String,
    pub attachments: Vec<(String, String)>,
}

impl Received {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
    pub fn subject(&self) -> &str {
        self.header("Subject").unwrap_or("")
    }
}

/// Whether aiosmtpd can run here; says why not, or fails under CI.
pub fn available(test: &str) -> bool {
    let ok = Command::new("python3")
        .args(["-c", "import aiosmtpd"])
        .output()
        .is_ok_and(|o| o.status.success());
    if !ok {
        let required = std::env::var("TALLY_REQUIRE_E2E").is_ok_and(|v| v == "1");
        assert!(
            !required,
            "{test}: aiosmtpd is missing and TALLY_REQUIRE_E2E=1"
        );
        eprintln!(
            "SKIPPED {test}: Python's aiosmtpd is not installed (pip install aiosmtpd; see .ci/run)"
        );
    }
    ok
}

fn free_port() -> u16 {
    let l = TcpListener::bind("127.0.0.1:0").expect("bind");
    l.local_addr().expect("addr").port()
}

impl Smtp {
    /// Starts a server keeping messages in `dir`; the first `defer`
    /// messages are answered 451.
    pub fn start(dir: PathBuf, defer: u32) -> Smtp {
        let mut s = Smtp {
            child: None,
            port: free_port(),
            dir,
        };
        s.run(defer);
        s
    }

    fn run(&mut self, defer: u32) {
        let script = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/support/smtp_sink.py");
        let child = Command::new("python3")
            .arg(script)
            .arg(self.port.to_string())
            .arg(&self.dir)
            .args(["--defer", &defer.to_string()])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("start aiosmtpd");
        self.child = Some(child);
        let started = Instant::now();
        while std::net::TcpStream::connect(("127.0.0.1", self.port)).is_err() {
            assert!(
                started.elapsed() < Duration::from_secs(20),
                "aiosmtpd did not start"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    pub fn stop(&mut self) {
        if let Some(mut c) = self.child.take() {
            let _ = c.kill();
            let _ = c.wait();
        }
    }

    /// Starts again on the same port, keeping what it received.
    pub fn start_again(&mut self) {
        self.stop();
        self.run(0);
    }

    /// The `[mail]` section that sends to this server.
    pub fn config(&self) -> String {
        format!(
            "[mail]\nserver = \"127.0.0.1\"\nport = {}\nsecurity = \"none\"\nfrom = \"Lawn & Garden Pros <billing@lawn.example>\"\nreply_to = \"office@lawn.example\"\n",
            self.port
        )
    }

    /// Every message received, in order.
    pub fn received(&self) -> Vec<Received> {
        let mut files: Vec<PathBuf> = std::fs::read_dir(&self.dir)
            .map(|d| d.filter_map(|e| e.ok().map(|e| e.path())).collect())
            .unwrap_or_default();
        files.retain(|p| p.extension().is_some_and(|e| e == "json"));
        files.sort();
        files
            .iter()
            .map(|p| {
                let v: serde_json::Value =
                    serde_json::from_slice(&std::fs::read(p).expect("read")).expect("json");
                let s = |k: &str| v[k].as_str().unwrap_or("").to_string();
                Received {
                    rcpt: v["rcpt"]
                        .as_array()
                        .into_iter()
                        .flatten()
                        .filter_map(|r| r.as_str().map(str::to_string))
                        .collect(),
                    headers: v["headers"]
                        .as_array()
                        .into_iter()
                        .flatten()
                        .map(|h| {
                            (
                                h[0].as_str().unwrap_or("").to_string(),
                                h[1].as_str().unwrap_or("").to_string(),
                            )
                        })
                        .collect(),
                    raw_headers: s("raw_headers"),
                    text: s("text"),
                    html: s("html"),
                    attachments: v["attachments"]
                        .as_array()
                        .into_iter()
                        .flatten()
                        .map(|a| {
                            (
                                a["name"].as_str().unwrap_or("").to_string(),
                                a["content"].as_str().unwrap_or("").to_string(),
                            )
                        })
                        .collect(),
                }
            })
            .collect()
    }
}

impl Drop for Smtp {
    fn drop(&mut self) {
        self.stop();
    }
}
