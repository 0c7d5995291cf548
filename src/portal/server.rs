//! The HTTP side of the portal: routes, response headers, limits, and the
//! accept loop.
//!
//! Invariants:
//! - Only `GET` is served; nothing here can write to the book (read-only
//!   connections with `query_only`), and every request reads the book
//!   afresh, so the page is as current as the owner's last save.
//! - Every response carries `Cache-Control: no-store`,
//!   `Referrer-Policy: no-referrer` (the token is in the URL),
//!   `X-Content-Type-Options: nosniff` and a CSP that allows only this
//!   server's own stylesheet and script.
//! - Unknown, revoked and malformed tokens get the same 404 page; misses
//!   are counted per client address ([`MissLimiter`]).
//! - Slow or stuck clients are bounded: header read timeout, whole-request
//!   timeout, connection lifetime, body size, and counts of connections
//!   and requests in flight.

use std::collections::{HashMap, VecDeque};
use std::net::{IpAddr, SocketAddr};
use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::Router;
use axum::extract::{ConnectInfo, Path, RawQuery, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::get;
use hyper::body::Incoming;
use hyper_util::rt::{TokioIo, TokioTimer};
use tokio::net::TcpListener;
use tokio::sync::Semaphore;
use tower::Service;
use tower::limit::ConcurrencyLimitLayer;
use tower_http::limit::RequestBodyLimitLayer;
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::timeout::TimeoutLayer;

use super::guard::MissLimiter;
use super::page::{self, PageContext};
use crate::config::Config;
use crate::document::invoice::{STYLESHEET, STYLESHEET_PATH};
use crate::domain::InvoiceId;
use crate::domain::link::Token;
use crate::ops::{self, Clock};
use crate::store::{Reads, Store};

/// The Content-Security-Policy of every response.
pub const CSP: &str = "default-src 'none'; style-src 'self'; script-src 'self'; img-src 'self'; \
     form-action 'self'; base-uri 'none'; frame-ancestors 'none'";
const PORTAL_CSS: &str = include_str!("../../assets/portal.css");
const PORTAL_JS: &str = include_str!("../../assets/portal.js");

const HEADER_TIMEOUT: Duration = Duration::from_secs(10);
const REQUEST_TIMEOUT: Duration = Duration::from_secs(15);
const CONNECTION_LIFETIME: Duration = Duration::from_secs(120);
const MAX_CONNECTIONS: usize = 256;
/// Open connections one client address may hold: enough for any browser
/// (they open six), far from enough to take every slot.
pub const MAX_PER_CLIENT: usize = 16;
const MAX_IN_FLIGHT: usize = 32;
const MAX_BODY: usize = 1024;
const MAX_HEADER_BUF: usize = 16 * 1024;

/// What every request shares: the book's path and config, a few idle
/// read-only connections, and the miss counter.
pub struct Portal {
    path: PathBuf,
    config: Config,
    clock: Clock,
    idle: Mutex<Vec<Store>>,
    misses: MissLimiter,
    trusted: Vec<IpAddr>,
}

impl Portal {
    pub fn new(path: PathBuf, config: Config, clock: Clock) -> Portal {
        Portal {
            path,
            trusted: config.portal.trusted(),
            config,
            clock,
            idle: Mutex::new(Vec::new()),
            misses: MissLimiter::default(),
        }
    }

    /// The proxies whose forwarding headers are believed.
    pub fn trusted(&self) -> &[IpAddr] {
        &self.trusted
    }

    /// Who a request is from: the connection's address, or, when that is
    /// a trusted proxy, the client it names (`Forwarded: for=`, else the
    /// last `X-Forwarded-For` entry, the one that proxy added). A header
    /// from anyone else is ignored: a client cannot pick its own address.
    fn client(&self, peer: IpAddr, headers: &axum::http::HeaderMap) -> IpAddr {
        if !self.trusted.contains(&peer) {
            return peer;
        }
        let forwarded = headers
            .get_all("forwarded")
            .iter()
            .filter_map(|v| v.to_str().ok())
            .flat_map(|v| v.split([',', ';']))
            .filter_map(|part| {
                let (k, v) = part.trim().split_once('=')?;
                k.trim()
                    .eq_ignore_ascii_case("for")
                    .then(|| v.trim().trim_matches('"').to_string())
            })
            .next_back();
        let xff = || {
            headers
                .get_all("x-forwarded-for")
                .iter()
                .filter_map(|v| v.to_str().ok())
                .flat_map(|v| v.split(','))
                .map(|s| s.trim().to_string())
                .next_back()
        };
        forwarded
            .or_else(xff)
            .and_then(|a| {
                let a = a.trim_start_matches('[');
                let a = a.split(']').next().unwrap_or(a);
                a.parse::<IpAddr>()
                    .ok()
                    .or_else(|| a.parse::<SocketAddr>().ok().map(|s| s.ip()))
            })
            .unwrap_or(peer)
    }

    /// Runs `f` on a read-only connection, reusing an idle one if any.
    fn read<T>(&self, f: impl FnOnce(&Reads<'_>) -> ops::Result<T>) -> ops::Result<T> {
        let idle = self.idle.lock().unwrap_or_else(|e| e.into_inner()).pop();
        let store = match idle {
            Some(s) => s,
            None => Store::open_read_only(&self.path, &self.config.currency())?,
        };
        // One read transaction: balance, history and invoices of one page
        // all come from the same moment, whatever the owner saves meanwhile.
        let out = store.snapshot(f);
        let mut idle = self.idle.lock().unwrap_or_else(|e| e.into_inner());
        if idle.len() < MAX_IN_FLIGHT {
            idle.push(store);
        }
        out
    }
}

type Shared = Arc<Portal>;

/// The portal's routes and layers.
pub fn router(portal: Shared) -> Router {
    let header = |name, value: &'static str| {
        SetResponseHeaderLayer::overriding(name, HeaderValue::from_static(value))
    };
    Router::new()
        .route("/p/{token}", get(account))
        .route("/p/{token}/invoices/{id}", get(invoice))
        .route("/p/{token}/statement", get(statement))
        .route("/assets/{name}", get(asset))
        .fallback(fallback)
        .with_state(portal)
        .layer(RequestBodyLimitLayer::new(MAX_BODY))
        .layer(TimeoutLayer::with_status_code(
            StatusCode::REQUEST_TIMEOUT,
            REQUEST_TIMEOUT,
        ))
        .layer(ConcurrencyLimitLayer::new(MAX_IN_FLIGHT))
        .layer(header(header::CACHE_CONTROL, "no-store"))
        .layer(header(header::REFERRER_POLICY, "no-referrer"))
        .layer(header(header::X_CONTENT_TYPE_OPTIONS, "nosniff"))
        .layer(header(header::X_FRAME_OPTIONS, "DENY"))
        .layer(header(header::CONTENT_SECURITY_POLICY, CSP))
}

/// The one `tip` of a query string. Absent, repeated (`?tip=18&tip=25`) or
/// unreadable all mean "no tip chosen", like an unknown tip, never an error.
fn tip_param(query: Option<&str>) -> Option<String> {
    let pairs: Vec<(String, String)> = serde_urlencoded::from_str(query.unwrap_or("")).ok()?;
    let mut tips = pairs
        .into_iter()
        .filter(|(k, _)| k == "tip")
        .map(|(_, v)| v);
    match (tips.next(), tips.next()) {
        (Some(tip), None) => Some(tip),
        _ => None,
    }
}

async fn account(
    State(portal): State<Shared>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: axum::http::HeaderMap,
    Path(token): Path<String>,
    RawQuery(query): RawQuery,
) -> Response {
    let peer = portal.client(peer.ip(), &headers);
    let tip = page::parse_tip(tip_param(query.as_deref()).as_deref());
    lookup(portal, peer, token, move |p, reads, token| {
        let Some(account) = ops::portal::account(reads, token)? else {
            return Ok(None);
        };
        let updated = page::updated_stamp(p.clock.now());
        let cx = PageContext {
            config: &p.config,
            token,
            today: p.clock.today(),
            site: page::Site {
                root: "",
                updated: &updated,
            },
        };
        Ok(Some(page::account_page(&cx, &account, tip)))
    })
    .await
}

async fn statement(
    State(portal): State<Shared>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: axum::http::HeaderMap,
    Path(token): Path<String>,
) -> Response {
    let peer = portal.client(peer.ip(), &headers);
    lookup(portal, peer, token, move |p, reads, token| {
        let today = p.clock.today();
        let updated = page::updated_stamp(p.clock.now());
        let site = page::Site {
            root: "",
            updated: &updated,
        };
        Ok(
            ops::portal::statement_doc(reads, token, &p.config, today)?
                .map(|d| d.html_linked(site)),
        )
    })
    .await
}

async fn invoice(
    State(portal): State<Shared>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: axum::http::HeaderMap,
    Path((token, id)): Path<(String, String)>,
) -> Response {
    let peer = portal.client(peer.ip(), &headers);
    let id = id.parse::<i64>().ok().map(InvoiceId);
    lookup(portal, peer, token, move |p, reads, token| {
        let Some(id) = id else { return Ok(None) };
        let today = p.clock.today();
        Ok(
            ops::portal::invoice_doc(reads, token, id, &p.config, today)?.map(|doc| {
                let updated = page::updated_stamp(p.clock.now());
                doc.html_linked(page::Site {
                    root: "",
                    updated: &updated,
                })
            }),
        )
    })
    .await
}

/// The shared path of every token page: refuse blocked clients, check the
/// token's shape, read the book off the async threads, and answer a miss
/// with the one 404 page (and count it).
async fn lookup(
    portal: Shared,
    ip: IpAddr,
    raw: String,
    render: impl FnOnce(&Portal, &Reads<'_>, &Token) -> ops::Result<Option<String>> + Send + 'static,
) -> Response {
    if let Some(wait) = portal.misses.blocked(ip, Instant::now()) {
        let html = page::too_many_page(&portal.config);
        let retry = wait.as_secs().max(1).to_string();
        return (
            StatusCode::TOO_MANY_REQUESTS,
            [(header::RETRY_AFTER, retry)],
            Html(html),
        )
            .into_response();
    }
    let p = portal.clone();
    let found = tokio::task::spawn_blocking(move || {
        let Some(token) = Token::parse(&raw) else {
            return Ok(None);
        };
        p.read(|reads| render(&p, reads, &token))
    })
    .await;
    match found {
        Ok(Ok(Some(html))) => Html(html).into_response(),
        Ok(Ok(None)) => {
            portal.misses.miss(ip, Instant::now());
            not_found(&portal)
        }
        Ok(Err(e)) => unavailable(&portal, &e.to_string()),
        Err(e) => unavailable(&portal, &e.to_string()),
    }
}

fn not_found(portal: &Portal) -> Response {
    let html = page::not_found_page(&portal.config);
    (StatusCode::NOT_FOUND, Html(html)).into_response()
}

/// The book could not be read (busy, moved): the owner sees why on the
/// server's stderr, the customer a plain "try again".
fn unavailable(portal: &Portal, why: &str) -> Response {
    eprintln!("portal: cannot read {}: {why}", portal.path.display());
    let body = "This page is temporarily unavailable. Please try again in a minute.";
    (StatusCode::SERVICE_UNAVAILABLE, body).into_response()
}

/// The files every page loads: (path, body, content type). Served here,
/// and published beside the pages.
pub const ASSETS: [(&str, &str, &str); 3] = [
    ("/assets/portal.css", PORTAL_CSS, "text/css; charset=utf-8"),
    (
        "/assets/portal.js",
        PORTAL_JS,
        "text/javascript; charset=utf-8",
    ),
    (STYLESHEET_PATH, STYLESHEET, "text/css; charset=utf-8"),
];

async fn asset(Path(name): Path<String>) -> Response {
    let path = format!("/assets/{name}");
    match ASSETS.iter().find(|(p, _, _)| *p == path) {
        Some((_, body, kind)) => ([(header::CONTENT_TYPE, *kind)], *body).into_response(),
        None => (StatusCode::NOT_FOUND, "not found").into_response(),
    }
}

async fn fallback(State(portal): State<Shared>) -> Response {
    not_found(&portal)
}

/// Open connections per client address, so one client holding idle
/// sockets cannot use up [`MAX_CONNECTIONS`] and lock everyone else out.
#[derive(Default)]
struct PerClient(Mutex<HashMap<IpAddr, usize>>);

/// One client's claim on a connection; released when dropped.
struct ClientSlot(Arc<PerClient>, IpAddr);

impl PerClient {
    fn claim(self: &Arc<Self>, ip: IpAddr) -> Option<ClientSlot> {
        let mut open = self.0.lock().unwrap_or_else(|e| e.into_inner());
        let n = open.entry(ip).or_insert(0);
        if *n >= MAX_PER_CLIENT {
            return None;
        }
        *n += 1;
        Some(ClientSlot(self.clone(), ip))
    }
}

impl Drop for ClientSlot {
    fn drop(&mut self) {
        let mut open = self.0.0.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(n) = open.get_mut(&self.1) {
            *n -= 1;
            if *n == 0 {
                open.remove(&self.1);
            }
        }
    }
}

/// At most this many connections may still be sending their first
/// request's headers; the oldest of them makes way for a new one.
pub const MAX_UNFINISHED: usize = 64;

/// Connections that have not finished their first request's headers,
/// oldest first, each with the way to close it.
#[derive(Default)]
struct Unfinished {
    queue: Mutex<VecDeque<(u64, tokio::sync::oneshot::Sender<()>)>>,
    next: std::sync::atomic::AtomicU64,
}

impl Unfinished {
    /// Registers a new connection; closes the oldest unfinished one when
    /// there are too many, so slow clients from many addresses cannot
    /// keep a real one out. Returns its number and its closing signal.
    fn enter(&self) -> (u64, tokio::sync::oneshot::Receiver<()>) {
        let id = self.next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let (tx, rx) = tokio::sync::oneshot::channel();
        let mut q = self.queue.lock().unwrap_or_else(|e| e.into_inner());
        q.push_back((id, tx));
        while q.len() > MAX_UNFINISHED {
            if let Some((_, oldest)) = q.pop_front() {
                let _ = oldest.send(());
            }
        }
        (id, rx)
    }

    /// The connection sent a whole request: it is no longer at risk.
    fn finished(&self, id: u64) {
        let mut q = self.queue.lock().unwrap_or_else(|e| e.into_inner());
        q.retain(|(i, _)| *i != id);
    }
}

/// Accepts connections until the process is stopped. Each connection gets
/// its peer address (for the miss limiter), a header read timeout and a
/// lifetime; connections beyond [`MAX_CONNECTIONS`], or beyond
/// [`MAX_PER_CLIENT`] from one address (other than a trusted proxy), are
/// closed at once, and at most [`MAX_UNFINISHED`] may be mid-headers.
pub async fn accept_loop(listener: TcpListener, app: Router, trusted: Arc<Vec<IpAddr>>) {
    let slots = Arc::new(Semaphore::new(MAX_CONNECTIONS));
    let clients = Arc::new(PerClient::default());
    let unfinished = Arc::new(Unfinished::default());
    loop {
        let (stream, peer) = match listener.accept().await {
            Ok(c) => c,
            Err(e) => {
                // Out of file descriptors and the like: back off, go on.
                eprintln!("portal: accept failed: {e}");
                tokio::time::sleep(Duration::from_millis(100)).await;
                continue;
            }
        };
        // A trusted proxy carries every customer's connections.
        let client = if trusted.contains(&peer.ip()) {
            None
        } else {
            match clients.claim(peer.ip()) {
                Some(c) => Some(c),
                None => continue,
            }
        };
        let Ok(permit) = slots.clone().try_acquire_owned() else {
            continue;
        };
        let app = app.clone();
        let (id, evicted) = unfinished.enter();
        let unfinished = Arc::clone(&unfinished);
        tokio::spawn(async move {
            let started = Arc::clone(&unfinished);
            let service = hyper::service::service_fn(move |mut req: hyper::Request<Incoming>| {
                started.finished(id);
                req.extensions_mut().insert(ConnectInfo(peer));
                let mut app = app.clone();
                async move { app.call(req).await }
            });
            let mut http = hyper::server::conn::http1::Builder::new();
            http.timer(TokioTimer::new())
                .header_read_timeout(HEADER_TIMEOUT)
                .max_buf_size(MAX_HEADER_BUF);
            let conn = http.serve_connection(TokioIo::new(stream), service);
            // Made way for a newer connection while still mid-headers (a
            // dropped sender means it finished them: never evicted then).
            let eviction = async move {
                if evicted.await.is_err() {
                    std::future::pending::<()>().await;
                }
            };
            tokio::select! {
                _ = tokio::time::timeout(CONNECTION_LIFETIME, conn) => {}
                _ = eviction => {}
            }
            unfinished.finished(id);
            drop(permit);
            drop(client);
        });
    }
}
