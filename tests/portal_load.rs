//! The portal under load and under abuse, over real loopback sockets:
//! 20,000 page loads from several connections while the owner keeps
//! posting, each page self-consistent; and one client holding hundreds of
//! idle sockets cannot lock another client out.

mod common;

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
