//! The benchmark anyone can run, printing one table of medians:
//!
//!     bench/run --customers 100000 --entries 2000000
//!
//! (`bench/run` builds the release binary and this example, then runs it.)
//! It generates a deterministic book as a CSV (realistic names and emails,
//! two years of dates, about 70% charges with tax on half of them, 30%
//! payments), imports it with `tally import entries`, and times the real
//! binary as a person meets it: whole commands, the full screen in a
//! pseudo-terminal from key to finished redraw, and the payment page over
//! loopback with a writer posting meanwhile. The batch commands (check,
//! exports, aging as of past days, backup) are timed back to back with
//! SQLite doing the same work, and the ratio printed (`batch.rs`). With
//! `--peers`, `hledger` and `ledger` (when installed) answer "who owes
//! most" from the same data.
//!
//! Nothing here asserts a time: CI runs it small so it cannot rot.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use anyhow::{Context, Result, anyhow, bail};

mod batch;

fn main() -> Result<()> {
    let args = Args::parse()?;
    let temp = tempfile::tempdir()?;
    let dir = args
        .dir
        .clone()
        .unwrap_or_else(|| temp.path().to_path_buf());
    std::fs::create_dir_all(&dir)?;
    let reuse = args.reuse && dir.join("book.tally").exists();
    if !reuse {
        let _ = std::fs::remove_file(dir.join("book.tally"));
    }
    let bench = Bench::new(&args, &dir);
    let mut table = Table::default();
    table.row(
        "book",
        format!("{} customers, {} entries", args.customers, args.entries),
    );

    let csv = dir.join("entries.csv");
    let busiest = generate(&csv, args.customers, args.entries)?;
    if !reuse {
        bench.import(&csv, &mut table)?;
    }
    let id = bench.customer_id(&busiest)?;
    bench.commands(&id, &mut table)?;
    bench.batch(&mut table)?;
    bench.tui(&mut table)?;
    bench.portal(&id, &mut table)?;
    if args.peers {
        bench.peers(&mut table)?;
    }
    table.print();
    Ok(())
}

struct Args {
    customers: usize,
    entries: usize,
    tally: PathBuf,
    /// Fewer repeats and a shorter portal run (CI).
    quick: bool,
    /// Where to write the CSV and the book, kept afterwards (default: a
    /// temporary folder).
    dir: Option<PathBuf>,
    /// Measure the book already in `dir` instead of importing it again.
    reuse: bool,
    peers: bool,
}

impl Args {
    fn parse() -> Result<Args> {
        let mut a = Args {
            customers: 10_000,
            entries: 200_000,
            tally: std::env::current_exe()?
                .parent()
                .and_then(Path::parent)
                .map(|p| p.join("tally"))
                .ok_or_else(|| anyhow!("cannot find target/release"))?,
            quick: false,
            peers: false,
            reuse: false,
            dir: None,
        };
        let mut it = std::env::args().skip(1);
        while let Some(flag) = it.next() {
            let mut value = || it.next().ok_or_else(|| anyhow!("{flag} needs a value"));
            match flag.as_str() {
                "--customers" => a.customers = value()?.parse()?,
                "--entries" => a.entries = value()?.parse()?,
                "--tally" => a.tally = value()?.into(),
                "--quick" => a.quick = true,
                "--reuse" => a.reuse = true,
                "--peers" => a.peers = true,
                "--dir" => a.dir = Some(value()?.into()),
                other => bail!(
                    "unknown flag {other}: use --customers N --entries M [--tally PATH] [--dir DIR [--reuse]] [--quick] [--peers]"
                ),
            }
        }
        if !a.tally.exists() {
            bail!(
                "no tally binary at {}: run bench/run, which builds it",
                a.tally.display()
            );
        }
        if a.customers == 0 || a.entries < a.customers {
            bail!("--entries must be at least --customers, and both above zero");
        }
        Ok(a)
    }
}

/// The measures, in the order they were taken.
#[derive(Default)]
struct Table(Vec<(String, String)>);

impl Table {
    fn row(&mut self, what: &str, value: String) {
        self.0.push((what.to_string(), value));
    }

    fn print(&self) {
        println!("| measure | value |\n|---|---|");
        for (what, value) in &self.0 {
            println!("| {what} | {value} |");
        }
    }
}

fn ms(d: Duration) -> String {
    format!("{:.1} ms", d.as_secs_f64() * 1000.0)
}

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

fn percentile(v: &mut [Duration], p: f64) -> Duration {
    v.sort();
    let i = ((v.len() as f64 * p).ceil() as usize).clamp(1, v.len()) - 1;
    v[i]
}

/// A small deterministic generator (splitmix64).
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }

    fn unit(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }
}

const FIRST: [&str; 40] = [
    "Ann", "Ben", "Cara", "Dev", "Elena", "Farid", "Grace", "Hugo", "Ines", "Jon", "Kemi", "Luis",
    "Maya", "Noor", "Omar", "Pia", "Quinn", "Rosa", "Sam", "Tariq", "Uma", "Vic", "Wen", "Xena",
    "Yusuf", "Zoe", "Ada", "Bruno", "Chloe", "Dario", "Emma", "Felix", "Gita", "Hana", "Ivan",
    "Jade", "Kai", "Lena", "Milo", "Nina",
];
const SYLLABLES: [&str; 50] = [
    "ab", "bel", "cor", "dan", "el", "fer", "gar", "hol", "ing", "jo", "kin", "lam", "mor", "nel",
    "ost", "par", "quin", "ros", "sten", "tor", "ul", "van", "wes", "yor", "zel", "ber", "cas",
    "dor", "ev", "fal", "gun", "har", "is", "kar", "lin", "mar", "nor", "ol", "pet", "ran", "sol",
    "tan", "ur", "vik", "wal", "ash", "bro", "cal", "den", "fen",
];

/// Customer `i`'s name and email: every name differs (import matches by
/// email, then by name).
fn customer(i: usize) -> (String, String) {
    let first = FIRST[i % FIRST.len()];
    let rest = i / FIRST.len();
    let (a, b) = (
        rest % SYLLABLES.len(),
        rest / SYLLABLES.len() % SYLLABLES.len(),
    );
    let mut last = format!("{}{}", SYLLABLES[a], SYLLABLES[b]);
    last[..1].make_ascii_uppercase();
    let round = rest / (SYLLABLES.len() * SYLLABLES.len());
    let name = if round == 0 {
        format!("{first} {last}")
    } else {
        format!("{first} {last} {round}")
    };
    let email = format!(
        "{}.{}{i}@example.com",
        first.to_lowercase(),
        last.to_lowercase()
    );
    (name, email)
}

/// Writes the entries file; returns the busiest customer's email. Every
/// customer has at least one entry; the rest go mostly to a few (a
/// business has regulars).
fn generate(path: &Path, customers: usize, entries: usize) -> Result<String> {
    let started = Instant::now();
    let mut out = std::io::BufWriter::new(std::fs::File::create(path)?);
    writeln!(
        out,
        "date,customer,email,type,amount,tax,description,method"
    )?;
    let mut rng = Rng(0x7a11_7a11);
    let start = chrono::NaiveDate::from_ymd_opt(2024, 11, 23).context("date")?;
    for n in 0..entries {
        let who = if n < customers {
            n
        } else {
            let r = rng.unit();
            (r * r * customers as f64) as usize
        };
        let (name, email) = customer(who);
        let date = start + chrono::Duration::days(rng.below(730) as i64);
        let cents = 1_000 + rng.below(199_000);
        let amount = format!("{}.{:02}", cents / 100, cents % 100);
        if rng.below(10) < 7 {
            let tax = if rng.below(2) == 0 {
                cents * 8 / 100
            } else {
                0
            };
            writeln!(
                out,
                "{date},{name},{email},charge,{amount},{}.{:02},Job {n},",
                tax / 100,
                tax % 100
            )?;
        } else {
            let method = ["card", "cash", "transfer", "check"][rng.below(4) as usize];
            writeln!(
                out,
                "{date},{name},{email},credit,{amount},0,Payment {n},{method}"
            )?;
        }
    }
    out.flush()?;
    eprintln!(
        "generated {entries} rows in {:.1} s",
        started.elapsed().as_secs_f64()
    );
    Ok(customer(0).1)
}

/// Runs the real binary on one book.
struct Bench<'a> {
    args: &'a Args,
    dir: &'a Path,
    db: PathBuf,
}

/// Wall time and peak resident memory of one finished command.
struct Run {
    took: Duration,
    peak_kb: i64,
    stdout: String,
}

impl<'a> Bench<'a> {
    fn new(args: &'a Args, dir: &'a Path) -> Bench<'a> {
        Bench {
            args,
            dir,
            db: dir.join("book.tally"),
        }
    }

    fn cmd(&self) -> Command {
        let mut c = Command::new(&self.args.tally);
        c.env_remove("TALLY_DB")
            .env_remove("TALLY_CONFIG")
            .env("XDG_CONFIG_HOME", self.dir.join("config"))
            .env("XDG_DATA_HOME", self.dir.join("data"))
            .arg("--db")
            .arg(&self.db);
        c
    }

    /// Runs tally with `args` to the end, measuring it with `wait4`.
    fn run(&self, args: &[&str]) -> Result<Run> {
        let started = Instant::now();
        let mut child = self
            .cmd()
            .args(args)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()?;
        let mut stdout = String::new();
        child
            .stdout
            .take()
            .context("stdout")?
            .read_to_string(&mut stdout)?;
        let mut stderr = String::new();
        child
            .stderr
            .take()
            .context("stderr")?
            .read_to_string(&mut stderr)?;
        let (status, peak_kb) = wait4(child.id())?;
        let took = started.elapsed();
        if status != 0 {
            bail!("tally {} failed: {stderr}", args.join(" "));
        }
        Ok(Run {
            took,
            peak_kb,
            stdout,
        })
    }

    fn repeats(&self) -> usize {
        if self.args.quick { 3 } else { 11 }
    }

    /// The median of several runs of one command.
    fn median(&self, args: &[&str]) -> Result<(Duration, i64)> {
        self.median_of(args, self.repeats())
    }

    /// The median of `n` runs of one command, and its peak memory.
    fn median_of(&self, args: &[&str], n: usize) -> Result<(Duration, i64)> {
        let mut times = Vec::new();
        let mut peak = 0;
        for _ in 0..n {
            let r = self.run(args)?;
            times.push(r.took);
            peak = peak.max(r.peak_kb);
        }
        Ok((median(times), peak))
    }

    fn import(&self, csv: &Path, table: &mut Table) -> Result<()> {
        let r = self.run(&["import", "entries", &csv.display().to_string()])?;
        let rate = self.args.entries as f64 / r.took.as_secs_f64();
        table.row(
            "import entries (whole process)",
            format!("{:.2} s, {:.0} rows/s", r.took.as_secs_f64(), rate),
        );
        table.row("peak RSS of the import", format!("{} MB", r.peak_kb / 1024));
        let book = std::fs::metadata(&self.db)?.len() as f64;
        let file = std::fs::metadata(csv)?.len() as f64;
        table.row(
            "book size / entries.csv size",
            format!(
                "{:.0} MB / {:.0} MB = {:.2}×",
                book / 1e6,
                file / 1e6,
                book / file
            ),
        );
        Ok(())
    }

    fn customer_id(&self, email: &str) -> Result<String> {
        let r = self.run(&["customer", "list", "--search", email, "--json"])?;
        let list: serde_json::Value = serde_json::from_str(&r.stdout)?;
        Ok(list[0]["id"].to_string())
    }

    fn commands(&self, id: &str, table: &mut Table) -> Result<()> {
        let n = self.run(&["history", id, "--json", "--limit", "100000"])?;
        let entries = serde_json::from_str::<serde_json::Value>(&n.stdout)?
            .as_array()
            .map_or(0, Vec::len);
        let measures: [(&str, Vec<&str>); 5] = [
            (
                "list: top 20 by balance",
                vec!["customer", "list", "--limit", "20"],
            ),
            ("show: the busiest customer", vec!["customer", "show", id]),
            ("history: 50 newest", vec!["history", id, "--limit", "50"]),
            (
                "search \"ex\" (matches every email)",
                vec!["customer", "list", "--search", "ex", "--limit", "20"],
            ),
            (
                "a durable post (charge)",
                vec!["charge", id, "1", "--tax", "0"],
            ),
        ];
        let mut peak = 0;
        for (what, args) in measures {
            let (took, kb) = self.median(&args)?;
            peak = peak.max(kb);
            let what = if what.starts_with("show") {
                format!("{what} ({entries} entries)")
            } else {
                what.to_string()
            };
            table.row(&format!("whole process, {what}"), ms(took));
        }
        table.row("peak RSS of those commands", format!("{} MB", peak / 1024));
        Ok(())
    }

    /// The full screen in a 120×40 pseudo-terminal: each key's time from
    /// sending it to the last byte of the redraw it caused.
    fn tui(&self, table: &mut Table) -> Result<()> {
        // Each start is one sample: the median of a few, the last kept.
        let mut firsts = Vec::new();
        let mut t = loop {
            let t = Pty::start(self, 120, 40)?;
            firsts.push(t.settle(t.spawned)?);
            if firsts.len() >= self.repeats() {
                break t;
            }
            t.quit();
        };
        table.row("TUI: first screen (start to drawn)", ms(median(firsts)));
        let mut keys: Vec<(&str, Vec<Duration>)> = Vec::new();
        for _ in 0..self.repeats() {
            let mut take = |name: &'static str, key: &[u8], t: &mut Pty| -> Result<()> {
                let took = t.key(key)?;
                match keys.iter_mut().find(|(n, _)| *n == name) {
                    Some((_, v)) => v.push(took),
                    None => keys.push((name, vec![took])),
                }
                Ok(())
            };
            t.key(b"/")?;
            take("search: 1st letter \"e\"", b"e", &mut t)?;
            take("search: 2nd letter \"x\"", b"x", &mut t)?;
            take("search: 3rd letter \"a\"", b"a", &mut t)?;
            take("search: 4th letter \"m\"", b"m", &mut t)?;
            take("Esc back to the list", b"\x1b", &mut t)?;
            take("cycle sort (s)", b"s", &mut t)?;
            take("End", b"\x1b[F", &mut t)?;
            // The sort keeps the selected customer: from the far end, its
            // place in the next order is anywhere, counted row by row.
            take("cycle sort (s) from the last row", b"s", &mut t)?;
            take("Home", b"\x1b[H", &mut t)?;
            // The aging screen: every customer's columns, read beside the
            // keys; the frame the key brings, then back.
            take("A (aging screen)", b"A", &mut t)?;
            take("Esc from the aging screen", b"\x1b", &mut t)?;
        }
        for (name, v) in keys {
            table.row(&format!("TUI key: {name}"), ms(median(v)));
        }
        t.quit();
        Ok(())
    }

    /// Pages per second and p99 over 16 keep-alive connections, while
    /// another tally posts a charge after charge.
    fn portal(&self, id: &str, table: &mut Table) -> Result<()> {
        // A reused book already has the link.
        let link = match self.run(&["link", "generate", id]) {
            Ok(out) => out.stdout,
            Err(_) => self.run(&["link", "show", id])?.stdout,
        };
        let token = link.trim().rsplit('/').next().context("token")?.to_string();
        let mut server = self
            .cmd()
            .args(["portal", "serve", "--bind", "127.0.0.1:0"])
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()?;
        let mut line = String::new();
        BufReader::new(server.stdout.take().context("stdout")?).read_line(&mut line)?;
        let addr = line
            .split("http://")
            .nth(1)
            .map(|s| s.trim().to_string())
            .ok_or_else(|| anyhow!("the portal said {line:?}"))?;
        let result = self.load(&addr, &format!("/p/{token}"), id);
        let _ = server.kill();
        let _ = server.wait();
        let (pages, secs, mut lat) = result?;
        table.row(
            "portal: pages/s, 16 connections, a writer posting",
            format!(
                "{:.0} ({} pages in {:.1} s)",
                pages as f64 / secs,
                pages,
                secs
            ),
        );
        table.row(
            "portal: p50 / p99 per page",
            format!(
                "{} / {}",
                ms(percentile(&mut lat, 0.5)),
                ms(percentile(&mut lat, 0.99))
            ),
        );
        Ok(())
    }

    fn load(&self, addr: &str, path: &str, id: &str) -> Result<(usize, f64, Vec<Duration>)> {
        let run_for = Duration::from_secs(if self.args.quick { 1 } else { 5 });
        let stop = Arc::new(AtomicBool::new(false));
        let started = Instant::now();
        let clients: Vec<_> = (0..16)
            .map(|_| {
                let (addr, path, stop) = (addr.to_string(), path.to_string(), stop.clone());
                std::thread::spawn(move || -> Result<Vec<Duration>> {
                    let mut conn = Http::connect(&addr)?;
                    let mut lat = Vec::new();
                    while !stop.load(Ordering::Relaxed) {
                        let t = Instant::now();
                        conn.get(&addr, &path)?;
                        lat.push(t.elapsed());
                    }
                    Ok(lat)
                })
            })
            .collect();
        let mut posts = 0;
        while started.elapsed() < run_for {
            self.run(&["charge", id, "1", "--tax", "0"])?;
            posts += 1;
        }
        stop.store(true, Ordering::Relaxed);
        let secs = started.elapsed().as_secs_f64();
        let mut all = Vec::new();
        for c in clients {
            all.extend(c.join().map_err(|_| anyhow!("a client panicked"))??);
        }
        eprintln!("portal load: {posts} posts meanwhile");
        Ok((all.len(), secs, all))
    }

    /// hledger's and ledger's "who owes most" on the same book, when
    /// installed, against tally's.
    fn peers(&self, table: &mut Table) -> Result<()> {
        let journal = self.dir.join("book.journal");
        self.run(&[
            "export",
            "journal",
            "--format",
            "hledger",
            "--out",
            &journal.display().to_string(),
        ])?;
        let (ours, _) = self.median(&["customer", "list", "--limit", "20"])?;
        let j = journal.display().to_string();
        let peers: [(&str, Vec<&str>); 2] = [
            (
                "hledger",
                vec!["-f", &j, "balance", "--sort-amount", "--depth", "3"],
            ),
            (
                "ledger",
                vec!["-f", &j, "balance", "--sort", "amount", "--depth", "3"],
            ),
        ];
        for (peer, args) in peers {
            let started = Instant::now();
            let Ok(out) = Command::new(peer)
                .args(&args)
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .status()
            else {
                table.row(&format!("{peer}: who owes most"), "not installed".into());
                continue;
            };
            let took = started.elapsed();
            let ratio = took.as_secs_f64() / ours.as_secs_f64();
            let status = if out.success() { "" } else { " (failed)" };
            table.row(
                &format!("{peer}: who owes most{status}"),
                format!(
                    "{:.2} s, {ratio:.0}× tally's {}",
                    took.as_secs_f64(),
                    ms(ours)
                ),
            );
        }
        Ok(())
    }
}

/// Waits for `pid`, returning its exit status and peak resident set (KB).
fn wait4(pid: u32) -> Result<(i32, i64)> {
    let mut status = 0;
    // SAFETY: rusage is plain data, written by the kernel; pid is our child.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    let r = unsafe { libc::wait4(pid as i32, &mut status, 0, &mut usage) };
    if r < 0 {
        bail!("wait4: {}", std::io::Error::last_os_error());
    }
    let code = if libc::WIFEXITED(status) {
        libc::WEXITSTATUS(status)
    } else {
        -1
    };
    Ok((code, usage.ru_maxrss))
}

/// tally's full screen in a pseudo-terminal, with the time of the last
/// byte it wrote.
struct Pty {
    writer: Box<dyn Write + Send>,
    last_byte: Arc<Mutex<Option<Instant>>>,
    spawned: Instant,
    child: Box<dyn portable_pty::Child + Send + Sync>,
}

impl Pty {
    fn start(b: &Bench<'_>, cols: u16, rows: u16) -> Result<Pty> {
        use portable_pty::{CommandBuilder, PtySize, native_pty_system};
        let pair = native_pty_system().openpty(PtySize {
            rows,
            cols,
            pixel_width: 0,
            pixel_height: 0,
        })?;
        let mut cmd = CommandBuilder::new(&b.args.tally);
        cmd.arg("--db");
        cmd.arg(&b.db);
        cmd.env("TERM", "xterm-256color");
        cmd.env("XDG_CONFIG_HOME", b.dir.join("config"));
        cmd.env_remove("TALLY_DB");
        cmd.env_remove("TALLY_CONFIG");
        cmd.env_remove("DISPLAY");
        let spawned = Instant::now();
        let child = pair.slave.spawn_command(cmd)?;
        drop(pair.slave);
        let last_byte = Arc::new(Mutex::new(None));
        let mut reader = pair.master.try_clone_reader()?;
        let seen = last_byte.clone();
        std::thread::spawn(move || {
            let mut buf = [0u8; 65536];
            while let Ok(n) = reader.read(&mut buf) {
                if n == 0 {
                    break;
                }
                if let Ok(mut t) = seen.lock() {
                    *t = Some(Instant::now());
                }
            }
        });
        Ok(Pty {
            writer: pair.master.take_writer()?,
            last_byte,
            spawned,
            child,
        })
    }

    fn last(&self) -> Option<Instant> {
        self.last_byte.lock().ok().and_then(|t| *t)
    }

    /// Waits until tally has written something after `from` and then been
    /// quiet for 30 ms; the time from `from` to its last byte.
    fn settle(&self, from: Instant) -> Result<Duration> {
        let quiet = Duration::from_millis(30);
        let deadline = Instant::now() + Duration::from_secs(30);
        loop {
            if let Some(t) = self.last()
                && t > from
                && t.elapsed() >= quiet
            {
                return Ok(t - from);
            }
            if Instant::now() > deadline {
                bail!("the TUI did not redraw within 30 s");
            }
            std::thread::sleep(Duration::from_millis(1));
        }
    }

    fn key(&mut self, bytes: &[u8]) -> Result<Duration> {
        let sent = Instant::now();
        self.writer.write_all(bytes)?;
        self.writer.flush()?;
        self.settle(sent)
    }

    fn quit(mut self) {
        let _ = self.writer.write_all(b"q");
        let _ = self.writer.flush();
        std::thread::sleep(Duration::from_millis(200));
        let _ = self.child.kill();
    }
}

/// One keep-alive HTTP/1.1 connection that reads responses by their
/// Content-Length.
struct Http {
    reader: BufReader<TcpStream>,
}

impl Http {
    fn connect(addr: &str) -> Result<Http> {
        let s = TcpStream::connect(addr)?;
        s.set_nodelay(true)?;
        s.set_read_timeout(Some(Duration::from_secs(30)))?;
        Ok(Http {
            reader: BufReader::new(s),
        })
    }

    fn get(&mut self, addr: &str, path: &str) -> Result<()> {
        write!(
            self.reader.get_mut(),
            "GET {path} HTTP/1.1\r\nHost: {addr}\r\n\r\n"
        )?;
        let mut line = String::new();
        self.reader.read_line(&mut line)?;
        if !line.starts_with("HTTP/1.1 200") {
            bail!("the portal answered {line:?}");
        }
        let mut length = None;
        loop {
            line.clear();
            self.reader.read_line(&mut line)?;
            if line == "\r\n" || line.is_empty() {
                break;
            }
            if let Some((k, v)) = line.split_once(':')
                && k.eq_ignore_ascii_case("content-length")
            {
                length = Some(v.trim().parse::<usize>()?);
            }
        }
        let length = length.ok_or_else(|| anyhow!("a page without Content-Length"))?;
        let mut body = vec![0; length];
        self.reader.read_exact(&mut body)?;
        Ok(())
    }
}
