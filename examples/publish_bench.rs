//! The publishing benchmark (`bench/publish` runs it against a local
//! SeaweedFS and times `rclone sync` of the same files beside it):
//!
//!     publish_bench --customers 10000 --endpoint http://127.0.0.1:8333 \
//!         --bucket pages --dir DIR
//!
//! Makes a book of N customers, each owing something and holding a
//! payment link; times a full `portal publish` to the bucket (and the same
//! pages into a folder, which `bench/publish` then hands to rclone); a
//! second full publish with nothing changed; and, 30 times, how long a
//! posted charge takes to show on its page as a stranger fetches it (the
//! charge, the publish every command makes, and the fetch). Prints a
//! table. Credentials: AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};
use tally::config::Config;
use tally::domain::CustomerId;
use tally::domain::entry::{EntryInput, EntryKind};
use tally::ops::Book;
use tally::publish::{Publisher, Target};

struct Args {
    customers: usize,
    endpoint: String,
    bucket: String,
    dir: std::path::PathBuf,
}

fn args() -> Result<Args> {
    let mut a = Args {
        customers: 10_000,
        endpoint: String::new(),
        bucket: "pages".into(),
        dir: std::env::temp_dir().join("tally-publish-bench"),
    };
    let mut it = std::env::args().skip(1);
    while let Some(flag) = it.next() {
        let value = it.next().context("a value after each flag")?;
        match flag.as_str() {
            "--customers" => a.customers = value.parse()?,
            "--endpoint" => a.endpoint = value,
            "--bucket" => a.bucket = value,
            "--dir" => a.dir = value.into(),
            other => bail!("unknown flag {other}"),
        }
    }
    if a.endpoint.is_empty() {
        bail!("--endpoint http://HOST:PORT of the S3 server is required");
    }
    Ok(a)
}

fn main() -> Result<()> {
    let a = args()?;
    std::fs::create_dir_all(&a.dir)?;
    let path = a.dir.join("book.tally");
    let _ = std::fs::remove_file(&path);
    let mut config = Config::default();
    config.portal.base_url = format!("{}/{}", a.endpoint, a.bucket);
    config.publish.target = format!("s3://{}", a.bucket);
    config.publish.endpoint = a.endpoint.clone();
    let mut book = Book::open(&path, config.clone(), "bench")?;
    let started = Instant::now();
    let csv: String =
        std::iter::once("date,customer,email,type,amount,tax,description\n".to_string())
            .chain((0..a.customers).map(|i| {
                format!(
                    "2026-11-01,Customer {i},c{i}@example.com,charge,{}.50,0,Work\n",
                    10 + i % 900
                )
            }))
            .collect();
    book.import_entries("bench.csv", csv.as_bytes(), |_| {})?;
    for id in 1..=a.customers as i64 {
        book.generate_link(CustomerId(id))?;
    }
    let made = started.elapsed();
    // A copy with nothing published yet, to publish into a folder below.
    let copy = a.dir.join("copy.tally");
    book.backup(&copy, true, |_, _| {})?;
    let target = Target::from_config(&config.publish)?.context("target")?;
    let publisher = Publisher { target: &target };
    let t = Instant::now();
    let full = publisher.all(&mut book)?;
    let full_time = t.elapsed();
    let t = Instant::now();
    let again = publisher.all(&mut book)?;
    let again_time = t.elapsed();
    // The same pages in a folder, for rclone to copy.
    let folder = a.dir.join("site");
    let _ = std::fs::remove_dir_all(&folder);
    let mut folder_config = config.publish.clone();
    folder_config.target = folder.display().to_string();
    folder_config.endpoint.clear();
    let folder_target = Target::from_config(&folder_config)?.context("folder")?;
    let mut copy_book = Book::open(&copy, config.clone(), "bench")?;
    let t = Instant::now();
    Publisher {
        target: &folder_target,
    }
    .all(&mut copy_book)?;
    let folder_time = t.elapsed();
    let mut latencies = Vec::new();
    let host = a.endpoint.trim_start_matches("http://").to_string();
    for round in 0..30 {
        let id = CustomerId(1 + (round * 7919) % a.customers as i64);
        let token = book.reads().active_link(id)?.context("link")?.token;
        let t = Instant::now();
        let input = EntryInput {
            amount: "1.25".into(),
            tax: Some("0".into()),
            description: "Latency probe".into(),
            date: String::new(),
            method: String::new(),
        };
        book.post(id, EntryKind::Charge, &input)?;
        let balance = book.customer(id)?.balance;
        let want = format!("${:.2}", -balance);
        publisher.due(&mut book, Some(Duration::from_secs(2)))?;
        let page = format!("/{}/p/{}", a.bucket, token.as_str());
        loop {
            let body = get(&host, &page)?;
            if body.contains(&want) {
                break;
            }
            if t.elapsed() > Duration::from_secs(30) {
                bail!("{page} never showed {want}");
            }
        }
        latencies.push(t.elapsed());
    }
    latencies.sort();
    let ms = |d: Duration| format!("{:.1} ms", d.as_secs_f64() * 1000.0);
    println!("| measure | value |");
    println!("|---|---|");
    println!(
        "| book | {} customers with a link, made in {:.1} s |",
        a.customers,
        made.as_secs_f64()
    );
    println!(
        "| full publish to the bucket | {:.1} s, {} objects ({:.0}/s) |",
        full_time.as_secs_f64(),
        full.put,
        full.put as f64 / full_time.as_secs_f64()
    );
    println!(
        "| full publish again, nothing changed | {:.1} s, {} objects sent |",
        again_time.as_secs_f64(),
        again.put
    );
    println!(
        "| the same pages into a folder | {:.1} s |",
        folder_time.as_secs_f64()
    );
    println!(
        "| posted charge → live on its page, median / p99 (30) | {} / {} |",
        ms(latencies[latencies.len() / 2]),
        ms(latencies[latencies.len() * 99 / 100])
    );
    println!("FOLDER {}", folder.display());
    Ok(())
}

fn get(host: &str, path: &str) -> Result<String> {
    let mut s = TcpStream::connect(host)?;
    write!(
        s,
        "GET {path} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n"
    )?;
    let mut body = String::new();
    s.read_to_string(&mut body)?;
    Ok(body)
}
