//! The portal under load and under abuse, over real loopback sockets:
//! 20,000 page loads from several connections while the owner keeps
//! posting, each page self-consistent; and one client holding hundreds of
//! idle sockets cannot lock another client out.

use crate::common;

use std::io::Read;
use std::net::{SocketAddr, TcpStream};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use common::Book;
use common::web::{Server, request};

fn book_with_link() -> (Book, String) {
    let book = Book::new();
    book.ok(&["customer", "add", "Ann Lee"]);
    let link = book.ok(&["link", "generate", "1"]);
    let token = link.trim().rsplit('/').next().expect("token").to_string();
    (book, token)
}

/// `$1,234.00`, as the page writes money.
fn dollars(n: u64) -> String {
    let digits = n.to_string();
    let mut grouped = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            grouped.push(',');
        }
        grouped.push(c);
    }
    format!("${grouped}.00")
}

/// The newest "post N" the page lists; the balance must be N dollars owed.
fn newest_post(body: &str) -> u64 {
    body.split("post ")
        .skip(1)
        .filter_map(|rest| {
            let digits: String = rest.chars().take_while(char::is_ascii_digit).collect();
            digits.parse().ok()
        })
        .max()
        .unwrap_or(0)
}

#[test]
fn pages_under_load_with_a_writer_are_each_one_moment_of_the_book() {
    let (book, token) = book_with_link();
    let server = Server::start(&book);
    let page = format!("/p/{token}");
    let done = Arc::new(AtomicBool::new(false));
    let writer = {
        let done = done.clone();
        let cmd = move |n: u64| {
            book.ok(&[
                "charge",
                "1",
                "1",
                "--tax",
                "0",
                "--desc",
                &format!("post {n}"),
            ]);
        };
        std::thread::spawn(move || {
            let mut n = 0;
            while !done.load(Ordering::Relaxed) {
                n += 1;
                cmd(n);
            }
            n
        })
    };
    const THREADS: usize = 4;
    const EACH: usize = 5_000;
    let readers: Vec<_> = (0..THREADS)
        .map(|_| {
            let (addr, page) = (server.addr.clone(), page.clone());
            std::thread::spawn(move || {
                for _ in 0..EACH {
                    let r = request(&addr, "GET", &page);
                    assert_eq!(r.status, 200, "{}", r.body);
                    let n = newest_post(&r.body);
                    if n > 0 {
                        assert!(
                            r.body
                                .contains(&format!("id=\"balance\">{}</p>", dollars(n))),
                            "newest item is post {n} but the amount due differs"
                        );
                    }
                }
            })
        })
        .collect();
    for r in readers {
        r.join().expect("reader");
    }
    done.store(true, Ordering::Relaxed);
    let posts = writer.join().expect("writer");
    assert!(posts > 5, "the writer posted during the load ({posts})");
}

#[test]
fn idle_sockets_from_one_client_do_not_lock_out_another() {
    let (book, token) = book_with_link();
    let server = Server::start(&book);
    let target: SocketAddr = server.addr.parse().expect("addr");
    // 300 connections that never send a byte, from another loopback address.
    let mut idle = Vec::new();
    for _ in 0..300 {
        let s = socket2_connect_from("127.0.0.2", target);
        idle.push(s);
    }
    let started = Instant::now();
    let r = request(&server.addr, "GET", &format!("/p/{token}"));
    assert_eq!(r.status, 200);
    assert!(
        started.elapsed() < Duration::from_secs(3),
        "took {:?}",
        started.elapsed()
    );
    // The flood beyond the per-client allowance was closed at once.
    let mut closed = 0;
    for s in &mut idle {
        s.set_read_timeout(Some(Duration::from_millis(20))).ok();
        let mut b = [0u8; 1];
        if matches!(s.read(&mut b), Ok(0)) {
            closed += 1;
        }
    }
    assert!(
        closed >= 250,
        "only {closed} of 300 idle sockets were refused"
    );
}

/// A TCP connection whose source is `from` (any 127.0.0.0/8 address works on
/// Linux loopback), made with the standard library only.
fn socket2_connect_from(from: &str, to: SocketAddr) -> TcpStream {
    use std::os::fd::FromRawFd;
    // SAFETY: plain socket syscalls on a descriptor this function owns.
    unsafe {
        let fd = libc_socket();
        let mut local: SockaddrIn = std::mem::zeroed();
        local.sin_family = 2;
        local.sin_addr =
            u32::from_ne_bytes(from.parse::<std::net::Ipv4Addr>().expect("ip").octets());
        assert_eq!(bind(fd, &local, 16), 0, "bind {from}");
        let mut remote: SockaddrIn = std::mem::zeroed();
        remote.sin_family = 2;
        remote.sin_port = to.port().to_be();
        if let std::net::IpAddr::V4(ip) = to.ip() {
            remote.sin_addr = u32::from_ne_bytes(ip.octets());
        }
        assert_eq!(connect(fd, &remote, 16), 0, "connect");
        TcpStream::from_raw_fd(fd)
    }
}

#[repr(C)]
struct SockaddrIn {
    sin_family: u16,
    sin_port: u16,
    sin_addr: u32,
    sin_zero: [u8; 8],
}

unsafe extern "C" {
    fn socket(domain: i32, ty: i32, protocol: i32) -> i32;
    fn bind(fd: i32, addr: *const SockaddrIn, len: u32) -> i32;
    fn connect(fd: i32, addr: *const SockaddrIn, len: u32) -> i32;
}

unsafe fn libc_socket() -> i32 {
    // AF_INET, SOCK_STREAM
    let fd = unsafe { socket(2, 1, 0) };
    assert!(fd >= 0, "socket");
    fd
}

/// A GET with extra headers, from `from` (a 127.0.0.0/8 address), as a
/// proxy forwards a customer's request; the status code.
fn get_from(from: &str, to: SocketAddr, path: &str, headers: &str) -> u16 {
    use std::io::Write;
    let mut s = socket2_connect_from(from, to);
    s.set_read_timeout(Some(Duration::from_secs(10))).ok();
    write!(
        s,
        "GET {path} HTTP/1.1\r\nHost: {to}\r\n{headers}Connection: close\r\n\r\n"
    )
    .expect("send");
    let mut head = [0u8; 12];
    s.read_exact(&mut head).expect("status line");
    String::from_utf8_lossy(&head[9..12])
        .parse()
        .expect("status")
}

/// The portal served from a book whose config trusts 127.0.0.1 as a proxy.
fn behind_proxy() -> (Book, String, Server) {
    let (book, token) = book_with_link();
    let dir = book.dir.path().join("xdg-config/tally");
    std::fs::create_dir_all(&dir).expect("config dir");
    std::fs::write(
        dir.join("config.toml"),
        "[portal]\ntrusted_proxies = [\"127.0.0.1\"]\n",
    )
    .expect("config");
    let server = Server::start(&book);
    (book, token, server)
}

#[test]
fn behind_a_trusted_proxy_one_clients_bad_guesses_do_not_lock_out_another() {
    let (_book, token, server) = behind_proxy();
    let to: SocketAddr = server.addr.parse().expect("addr");
    let bad = format!("/p/{}", "x".repeat(43));
    let guesser = "X-Forwarded-For: 203.0.113.5\r\n";
    let statuses: Vec<u16> = (0..25)
        .map(|_| get_from("127.0.0.1", to, &bad, guesser))
        .collect();
    assert_eq!(
        statuses.last(),
        Some(&429),
        "the guesser is stopped: {statuses:?}"
    );
    // Another customer through the same proxy still gets their page.
    let other = "Forwarded: for=198.51.100.7;proto=https\r\n";
    assert_eq!(
        get_from("127.0.0.1", to, &format!("/p/{token}"), other),
        200
    );
    // The guesser stays blocked, even for a good link.
    assert_eq!(
        get_from("127.0.0.1", to, &format!("/p/{token}"), guesser),
        429
    );
}

#[test]
fn forwarding_headers_from_anyone_but_a_trusted_proxy_are_ignored() {
    let (_book, token, server) = behind_proxy();
    let to: SocketAddr = server.addr.parse().expect("addr");
    let bad = format!("/p/{}", "y".repeat(43));
    // A client that names a new address on every guess is still one client.
    for i in 0..25 {
        let spoof = format!("X-Forwarded-For: 192.0.2.{i}\r\n");
        get_from("127.0.0.3", to, &bad, &spoof);
    }
    let spoof = "X-Forwarded-For: 192.0.2.99\r\n";
    assert_eq!(
        get_from("127.0.0.3", to, &format!("/p/{token}"), spoof),
        429
    );
}

#[test]
fn slow_clients_from_many_addresses_do_not_stop_real_requests() {
    use std::io::Write;
    let (book, token) = book_with_link();
    let server = Server::start(&book);
    let to: SocketAddr = server.addr.parse().expect("addr");
    // 300 connections from 300 addresses, each sending half a request and
    // then nothing.
    let mut slow = Vec::new();
    for i in 0..300u32 {
        let from = format!("127.0.{}.{}", 10 + i / 200, 2 + i % 200);
        let mut s = socket2_connect_from(&from, to);
        let _ = write!(s, "GET /p/{token} HTTP/1.1\r\nHost: x\r\n");
        slow.push(s);
    }
    let started = Instant::now();
    let mut ok = 0;
    for _ in 0..78 {
        if request(&server.addr, "GET", &format!("/p/{token}")).status == 200 {
            ok += 1;
        }
    }
    assert_eq!(ok, 78, "every real request answered");
    assert!(
        started.elapsed() < Duration::from_secs(20),
        "took {:?}",
        started.elapsed()
    );
    drop(slow);
}
