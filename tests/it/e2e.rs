//! End-to-end checks with real outside programs: the clipboard under Xvfb
//! (read back with xclip after tally has exited) and the payment page in
//! headless Chromium at phone size. Each skips with a message when its tool
//! is missing, unless `TALLY_REQUIRE_E2E=1`.

use crate::common;

use std::io::{BufRead, BufReader};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use base64::Engine;
use serde_json::{Value, json};
use tungstenite::stream::MaybeTlsStream;
use tungstenite::{Message, WebSocket};

use common::Book;
use common::e2e::{Xvfb, have};
use common::web::{Server, request};

fn book_with_link() -> (Book, String) {
    let book = Book::new();
    book.ok(&["customer", "add", "Ann Lee"]);
    let link = book.ok(&["link", "generate", "1"]).trim().to_string();
    (book, link)
}

/// A private X server for a clipboard test, or `None` when it is skipped.
fn x_server(test: &str) -> Option<Xvfb> {
    (have("Xvfb", test) && have("xclip", test)).then(Xvfb::start)
}

/// Runs tally on the display of `x`.
fn on_display(x: &Xvfb, book: &Book, args: &[&str]) -> std::process::Output {
    book.cmd()
        .env("DISPLAY", &x.display)
        .args(args)
        .output()
        .expect("run tally")
}

#[test]
fn link_copy_stays_pasteable_after_tally_exits() {
    let Some(x) = x_server("link copy") else {
        return;
    };
    let (book, link) = book_with_link();
    let out = book
        .cmd()
        .env("DISPLAY", &x.display)
        .args(["link", "copy", "1"])
        .output()
        .expect("run tally");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(
        String::from_utf8_lossy(&out.stdout).trim(),
        link,
        "the link is shown"
    );
    // The default address is this computer: said, since a phone cannot
    // open it.
    let said = String::from_utf8_lossy(&out.stderr);
    let mut lines = said.lines();
    assert_eq!(lines.next(), Some("Link copied to the clipboard."));
    assert!(
        lines.next().is_some_and(
            |l| l.contains("points at this computer (127.0.0.1): a phone cannot open it")
        ),
        "{said}"
    );
    // tally has exited; the link is still there to paste.
    assert_eq!(x.clipboard(), link);
}

/// The background holder must not outlive its purpose: it exits when
/// something else is copied, and when the display goes away.
#[test]
fn the_clipboard_holder_exits_when_replaced_or_when_the_display_goes() {
    let Some(mut x) = x_server("clipboard holder") else {
        return;
    };
    let wait_for = |x: &Xvfb, n: usize| {
        let deadline = Instant::now() + Duration::from_secs(5);
        while x.holders() != n {
            assert!(
                Instant::now() < deadline,
                "{} holders, want {n}",
                x.holders()
            );
            std::thread::sleep(Duration::from_millis(100));
        }
    };
    let (book, link) = book_with_link();
    let copy = |x: &Xvfb| {
        assert!(
            on_display(x, &book, &["link", "copy", "1"])
                .status
                .success()
        )
    };
    copy(&x);
    wait_for(&x, 1);
    copy(&x);
    wait_for(&x, 1);
    assert_eq!(x.clipboard(), link);
    x.copy_elsewhere("something else");
    wait_for(&x, 0);
    copy(&x);
    wait_for(&x, 1);
    x.stop();
    wait_for(&x, 0);
}

#[test]
fn link_message_copies_the_reminder_built_from_the_template() {
    let Some(x) = x_server("link message") else {
        return;
    };
    let (book, link) = book_with_link();
    book.ok(&["charge", "1", "150"]);
    let config = book.dir.path().join("config.toml");
    std::fs::write(
        &config,
        "[business]\nname = \"Green Lawns\"\n[portal]\nmessage = \"{first_name}: {balance} to {business}, {link} {{thanks}}\"\n",
    )
    .expect("config");
    let config = config.to_str().expect("utf8 path");
    let out = on_display(&x, &book, &["--config", config, "link", "message", "1"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let want = format!("Ann: $150.00 to Green Lawns, {link} {{thanks}}");
    assert_eq!(String::from_utf8_lossy(&out.stdout).trim(), want);
    assert_eq!(x.clipboard(), want);
}

/// Headless Chromium driven over the DevTools protocol.
struct Browser {
    child: Child,
    socket: WebSocket<MaybeTlsStream<TcpStream>>,
    next_id: u64,
    _profile: tempfile::TempDir,
}

impl Browser {
    fn start(width: u32, height: u32) -> Browser {
        let profile = tempfile::tempdir().expect("profile dir");
        let mut child = Command::new("chromium")
            .args([
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--no-first-run",
                "--disable-component-update",
                "--hide-scrollbars",
                "--remote-debugging-port=0",
                &format!("--window-size={width},{height}"),
                &format!("--user-data-dir={}", profile.path().display()),
                "about:blank",
            ])
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .expect("start chromium");
        let stderr = child.stderr.take().expect("stderr");
        let mut lines = BufReader::new(stderr).lines();
        let port = loop {
            let line = lines.next().expect("chromium exited").expect("stderr line");
            if let Some(rest) = line.split("ws://127.0.0.1:").nth(1) {
                break rest.split('/').next().expect("port").to_string();
            }
        };
        // Keep draining stderr so Chromium never blocks on a full pipe.
        std::thread::spawn(move || lines.for_each(drop));
        let list = request(&format!("127.0.0.1:{port}"), "GET", "/json/list");
        let targets: Value = serde_json::from_str(&list.body).expect("targets");
        let ws = targets
            .as_array()
            .and_then(|t| t.iter().find(|t| t["type"] == "page"))
            .and_then(|t| t["webSocketDebuggerUrl"].as_str())
            .expect("a page target")
            .to_string();
        let (socket, _) = tungstenite::connect(ws).expect("devtools socket");
        Browser {
            child,
            socket,
            next_id: 0,
            _profile: profile,
        }
    }

    fn call(&mut self, method: &str, params: Value) -> Value {
        self.next_id += 1;
        let id = self.next_id;
        let msg = json!({"id": id, "method": method, "params": params}).to_string();
        self.socket.send(Message::text(msg)).expect("send");
        loop {
            let Message::Text(text) = self.socket.read().expect("read") else {
                continue;
            };
            let v: Value = serde_json::from_str(text.as_str()).expect("json");
            if v["id"] == id {
                assert!(v.get("error").is_none(), "{method}: {v}");
                return v["result"].clone();
            }
        }
    }

    fn eval(&mut self, expr: &str) -> Value {
        let r = self.call(
            "Runtime.evaluate",
            json!({"expression": expr, "returnByValue": true}),
        );
        r["result"]["value"].clone()
    }

    fn open(&mut self, url: &str) {
        self.call("Page.navigate", json!({"url": url}));
        let deadline = Instant::now() + Duration::from_secs(20);
        while self.eval("document.readyState") != "complete" || self.eval("location.href") != url {
            assert!(Instant::now() < deadline, "{url} did not load");
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}

impl Browser {
    /// Sets the viewport to `width` CSS pixels, as a phone or a desktop.
    fn resize(&mut self, width: u32) {
        let mobile = width < 800;
        self.call(
            "Emulation.setDeviceMetricsOverride",
            json!({"width": width, "height": 844, "deviceScaleFactor": 1, "mobile": mobile}),
        );
    }

    /// Saves a full-page screenshot under the test's target folder.
    fn screenshot(&mut self, name: &str) {
        let shot = self.call(
            "Page.captureScreenshot",
            json!({"format": "png", "captureBeyondViewport": true}),
        );
        let png = base64::engine::general_purpose::STANDARD
            .decode(shot["data"].as_str().expect("png data"))
            .expect("base64");
        let path = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("{name}.png"));
        std::fs::write(&path, &png).expect("save screenshot");
    }
}

/// The page's layout rules, measured in the page: nothing sticks out of its
/// card or of `main`, nothing clips its content, the page does not scroll
/// sideways, and no amount, date or tip label breaks over two lines.
/// Evaluates to the list of problems (empty when the layout holds).
const LAYOUT_PROBLEMS: &str = r#"(() => {
  const bad = [];
  const doc = document.documentElement;
  if (doc.scrollWidth > doc.clientWidth) bad.push(`page scrolls sideways: ${doc.scrollWidth} > ${doc.clientWidth}`);
  const name = el => el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') +
    (typeof el.className === 'string' && el.className ? '.' + el.className.trim().replace(/ +/g, '.') : '');
  for (const box of document.querySelectorAll('main, .card')) {
    const b = box.getBoundingClientRect();
    const cs = getComputedStyle(box);
    const left = b.left + parseFloat(cs.paddingLeft) - 0.5;
    const right = b.right - parseFloat(cs.paddingRight) + 0.5;
    for (const el of box.querySelectorAll('*')) {
      const r = el.getBoundingClientRect();
      if (r.width === 0 || r.height === 0) continue;
      if (r.left < left || r.right > right)
        bad.push(`${name(el)} sticks out of ${name(box)}: ${r.left.toFixed(1)}..${r.right.toFixed(1)} outside ${left.toFixed(1)}..${right.toFixed(1)}`);
      if (el.scrollWidth > el.clientWidth + 1 && getComputedStyle(el).overflowX !== 'visible')
        bad.push(`${name(el)} clips its content`);
    }
  }
  const atomic = /\+?-?\$[\d,]+\.\d{2}|\d{4}-\d{2}-\d{2}|No tip|\d+%|INV-\d+/g;
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  while (walker.nextNode()) {
    const t = walker.currentNode;
    for (const m of t.textContent.matchAll(atomic)) {
      const range = document.createRange();
      range.setStart(t, m.index);
      range.setEnd(t, m.index + m[0].length);
      const tops = new Set([...range.getClientRects()].map(r => Math.round(r.top)));
      if (tops.size > 1) bad.push(`"${m[0]}" wraps`);
    }
  }
  return bad;
})()"#;

#[test]
fn every_page_state_fits_its_cards_at_phone_and_desktop_widths() {
    if !have("chromium", "browser layout") {
        return;
    }
    let book = Book::new();
    let mut pages = Vec::new();
    for (name, setup) in [
        ("settled", &[][..]),
        ("credit", &[&["credit", "{id}", "25"][..]][..]),
        (
            "owes",
            &[
                &[
                    "charge",
                    "{id}",
                    "12,345.67",
                    "--tax",
                    "1,018.52",
                    "--desc",
                    "Full garden redesign, stone terrace and irrigation",
                ][..],
                &["invoice", "draft", "{id}"],
                &["invoice", "finalize", "1", "--date", "2026-09-03"],
                &["charge", "{id}", "99.99", "--desc", "Mulch"],
            ][..],
        ),
        // A parent asked to pay for a sub-client billed to it (customer 5,
        // made here), whose page says who pays.
        (
            "parent",
            &[
                &["charge", "{id}", "40", "--tax", "0"][..],
                &[
                    "customer",
                    "add",
                    "Northside Community Garden Association Annex",
                    "--parent",
                    "{id}",
                    "--bill-parent",
                ],
                &[
                    "charge",
                    "5",
                    "1,234.56",
                    "--tax",
                    "0",
                    "--desc",
                    "Raised beds",
                ],
                &["invoice", "draft", "5"],
                &["invoice", "finalize", "2"],
            ][..],
        ),
    ] {
        let id = book
            .ok(&["customer", "add", &format!("Page {name}")])
            .trim()
            .to_string();
        for args in setup {
            let args: Vec<String> = args.iter().map(|a| a.replace("{id}", &id)).collect();
            let refs: Vec<&str> = args.iter().map(String::as_str).collect();
            book.ok(&refs);
        }
        let link = book.ok(&["link", "generate", &id]).trim().to_string();
        let token = link.rsplit('/').next().expect("token").to_string();
        pages.push((name.to_string(), format!("/p/{token}")));
        if name == "owes" {
            pages.push(("owes-tip-25".into(), format!("/p/{token}?tip=25")));
            // The statement of account, linked as "Download statement".
            pages.push(("statement".into(), format!("/p/{token}/statement")));
            pages.push(("invoice".into(), format!("/p/{token}/invoices/1")));
        }
        if name == "parent" {
            pages.push(("parent-statement".into(), format!("/p/{token}/statement")));
            pages.push(("parent-invoice".into(), format!("/p/{token}/invoices/2")));
            let sub = book.ok(&["link", "generate", "5"]).trim().to_string();
            let sub = sub.rsplit('/').next().expect("token").to_string();
            pages.push(("billed-to-parent".into(), format!("/p/{sub}")));
        }
    }
    let server = Server::start(&book);
    let mut browser = Browser::start(1280, 844);
    let mut problems = Vec::new();
    for width in [320, 375, 390, 1280] {
        browser.resize(width);
        for (name, path) in &pages {
            browser.open(&server.url(path));
            let found = browser.eval(LAYOUT_PROBLEMS);
            for p in found.as_array().into_iter().flatten() {
                problems.push(format!(
                    "{name} at {width}px: {}",
                    p.as_str().unwrap_or_default()
                ));
            }
            browser.screenshot(&format!("portal-{name}-{width}"));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
    // An invoice page leads back to the balance page it was opened from
    // (a sub-client's invoice, to its parent's).
    let path = |n: &str| {
        pages
            .iter()
            .find(|(name, _)| name == n)
            .map(|(_, p)| p.clone())
            .unwrap_or_else(|| panic!("no {n} page"))
    };
    for (invoice, page) in [("invoice", "owes"), ("parent-invoice", "parent")] {
        browser.open(&server.url(&path(invoice)));
        // The link is the customer's own ([portal] base_url): compare paths.
        let back = browser
            .eval("new URL((document.querySelector('a.back') || {}).href || 'http://x/').pathname");
        assert_eq!(back, path(page).as_str(), "a way back from {invoice}");
    }
}

impl Drop for Browser {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

#[test]
fn the_page_works_in_a_phone_sized_browser_and_the_tip_changes_the_total() {
    if !have("chromium", "browser") {
        return;
    }
    let (book, link) = book_with_link();
    book.ok(&["charge", "1", "100.10", "--desc", "Spring cleanup"]);
    let server = Server::start(&book);
    let token = link.rsplit('/').next().expect("token");
    let url = server.url(&format!("/p/{token}"));

    let mut browser = Browser::start(390, 844);
    browser.call(
        "Emulation.setDeviceMetricsOverride",
        json!({"width": 390, "height": 844, "deviceScaleFactor": 1, "mobile": true}),
    );
    browser.open(&url);
    assert_eq!(browser.eval("window.innerWidth"), 390);
    assert_eq!(
        browser.eval("document.documentElement.scrollWidth <= window.innerWidth"),
        true,
        "nothing overflows sideways on a phone"
    );
    assert_eq!(
        browser.eval("document.getElementById('total').textContent"),
        "$100.10"
    );
    // The stylesheet loaded under the CSP (cards have a white background).
    assert_eq!(
        browser.eval("getComputedStyle(document.querySelector('.card')).backgroundColor"),
        "rgb(255, 255, 255)"
    );

    browser.eval("document.querySelector('input[name=tip][value=\"20\"]').click()");
    assert_eq!(
        browser.eval("document.getElementById('total').textContent"),
        "$120.12"
    );
    assert_eq!(
        browser.eval("document.getElementById('tip-amount').textContent"),
        "$20.02"
    );
    assert_eq!(
        browser.eval("document.getElementById('pay-total').textContent"),
        "$120.12"
    );
    assert_eq!(
        browser.eval("location.search"),
        "?tip=20",
        "a reload keeps the choice"
    );
    browser.eval("document.querySelector('details.recent').open = true");

    let shot = browser.call("Page.captureScreenshot", json!({"format": "png"}));
    let png = base64::engine::general_purpose::STANDARD
        .decode(shot["data"].as_str().expect("png data"))
        .expect("base64");
    assert!(png.starts_with(b"\x89PNG\r\n\x1a\n"), "a PNG");
    let width = u32::from_be_bytes(png[16..20].try_into().expect("width"));
    assert_eq!(width, 390);
    let path = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("portal-phone.png");
    std::fs::write(&path, &png).expect("save screenshot");
    eprintln!("screenshot: {}", path.display());
}

/// axe-core's script, for the accessibility check: `TALLY_AXE_JS`, or the
/// copy PyPI's axe-playwright-python carries, in the venv .ci/run makes.
fn axe_script() -> Option<String> {
    let from_env = std::env::var_os("TALLY_AXE_JS").map(std::path::PathBuf::from);
    let found = from_env.filter(|p| p.exists()).or_else(|| {
        let weed = Command::new("sh")
            .args(["-c", "command -v weed"])
            .output()
            .ok()?;
        let bin = std::path::PathBuf::from(String::from_utf8_lossy(&weed.stdout).trim());
        let lib = bin.parent()?.parent()?.join("lib");
        std::fs::read_dir(lib).ok()?.flatten().find_map(|d| {
            let p = d
                .path()
                .join("site-packages/axe_playwright_python/axe.min.js");
            p.exists().then_some(p)
        })
    });
    let required = std::env::var("TALLY_REQUIRE_E2E").is_ok_and(|v| v == "1");
    match found {
        Some(p) => Some(std::fs::read_to_string(p).expect("axe.min.js")),
        None => {
            assert!(!required, "axe-core is missing and TALLY_REQUIRE_E2E=1");
            eprintln!(
                "SKIPPED accessibility check: no axe.min.js (pip install --no-deps axe-playwright-python)"
            );
            None
        }
    }
}

/// The page as published to storage, opened from storage with tally not
/// serving it: it fits at phone and desktop widths, a tip changes the total
/// with no server involved, and axe-core finds no WCAG 2.1 A/AA violation.
#[test]
fn a_published_page_fits_tips_and_is_accessible_with_no_server_behind_it() {
    if !have("chromium", "published page in a browser")
        || !have("weed", "published page in a browser")
    {
        return;
    }
    let book = Book::new();
    let weed = common::storage::Weed::start(book.dir.path().join("weed"), false);
    common::storage::configure(&book, &weed);
    book.ok(&["customer", "add", "Ann Lee"]);
    book.ok(&[
        "charge",
        "1",
        "1,234.50",
        "--tax",
        "0",
        "--desc",
        "Garden redesign",
    ]);
    book.ok(&["invoice", "draft", "1"]);
    book.ok(&["invoice", "finalize", "1"]);
    let link = book.ok(&["link", "generate", "1"]).trim().to_string();
    book.ok(&["portal", "publish"]);
    let token = link.rsplit('/').next().expect("token").to_string();
    let base = weed.endpoint();
    let pages = [
        format!("{base}/pages/p/{token}"),
        format!("{base}/pages/p/{token}/statement"),
        format!("{base}/pages/p/{token}/invoices/1"),
    ];
    let axe = axe_script();
    let mut browser = Browser::start(1280, 844);
    // axe is added to the page by the test, not by the page's own policy.
    browser.call("Page.setBypassCSP", json!({"enabled": true}));
    let mut problems = Vec::new();
    for width in [320, 375, 390, 1280] {
        browser.resize(width);
        for url in &pages {
            browser.open(url);
            for p in browser
                .eval(LAYOUT_PROBLEMS)
                .as_array()
                .into_iter()
                .flatten()
            {
                problems.push(format!("{url} at {width}px: {p}"));
            }
            if let Some(axe) = &axe {
                browser.eval(axe);
                let found = browser.call(
                    "Runtime.evaluate",
                    json!({
                        "expression": "axe.run(document, {runOnly: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}).then(r => r.violations.map(v => v.id + ': ' + v.help + ' (' + v.nodes.length + ')'))",
                        "awaitPromise": true,
                        "returnByValue": true
                    }),
                );
                assert!(found["result"]["value"].is_array(), "axe ran: {found}");
                for v in found["result"]["value"].as_array().into_iter().flatten() {
                    problems.push(format!("{url} at {width}px: axe: {v}"));
                }
            }
        }
    }
    browser.screenshot("published-owes-390");
    assert!(problems.is_empty(), "{}", problems.join("\n"));
    // Tips: storage ignores a query string, so the page's own script shows
    // each total tally computed. 20% of $1,234.50 is $246.90.
    browser.resize(390);
    browser.open(&pages[0]);
    assert_eq!(
        browser.eval("document.getElementById('total').textContent"),
        "$1,234.50"
    );
    browser.eval("document.querySelector('input[name=tip][value=\"20\"]').click()");
    assert_eq!(
        browser.eval("document.getElementById('total').textContent"),
        "$1,481.40"
    );
    assert_eq!(
        browser.eval("document.getElementById('tip-amount').textContent"),
        "$246.90"
    );
    assert_eq!(
        browser.eval("document.getElementById('pay-total').textContent"),
        "$1,481.40"
    );
    // The page says when it was made, and its policy is in the page.
    assert_eq!(
        browser.eval("!!document.querySelector('meta[http-equiv=\"Content-Security-Policy\"]')"),
        true
    );
    assert!(
        browser
            .eval("document.querySelector('.updated').textContent")
            .as_str()
            .is_some_and(|t| t.starts_with("Updated "))
    );
}
