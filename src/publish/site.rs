//! The objects a customer's published pages are: the balance page, the
//! statement and each open invoice it lists, as the portal would serve
//! them, and the shared stylesheets and script. Pure but for reading the
//! book.
//!
//! Invariant: an object's hash covers everything on it but its "Updated"
//! stamp, so publishing unchanged figures again sends nothing.

use chrono::{DateTime, Utc};

use crate::config::Config;
use crate::domain::link::Token;
use crate::ops;
use crate::portal::page::{self, PageContext, Site};
use crate::store::Reads;

/// One object to put in storage.
#[derive(Debug, Clone, PartialEq)]
pub struct Object {
    /// Under the target's prefix: `p/TOKEN`, `p/TOKEN/statement`,
    /// `p/TOKEN/invoices/ID`, `assets/portal.css`.
    pub key: String,
    pub body: Vec<u8>,
    pub content_type: &'static str,
    pub hash: String,
}

impl Object {
    fn new(key: String, body: String, content_type: &'static str, stamp: &str) -> Object {
        let hash = hash(body.as_bytes());
        Object {
            key,
            body: body.replace(STAMP, stamp).into_bytes(),
            content_type,
            hash,
        }
    }

    pub fn is_page(&self) -> bool {
        self.content_type.starts_with("text/html")
    }
}

/// Stands for the "Updated" time while the page is hashed.
const STAMP: &str = "@@tally-updated@@";

pub const HTML: &str = "text/html; charset=utf-8";

/// The path under which pages are reached, from `[portal] base_url`:
/// `https://pay.example.com` → ``, `http://127.0.0.1:8333/pages` → `/pages`.
pub fn root_of(base_url: &str) -> &str {
    let after_scheme = base_url.split_once("://").map_or(base_url, |(_, r)| r);
    match after_scheme.find('/') {
        Some(at) => after_scheme[at..].trim_end_matches('/'),
        None => "",
    }
}

/// The pages of the customer whose live link is `token`; empty when the
/// token opens no account.
pub fn customer_pages(
    reads: &Reads<'_>,
    config: &Config,
    token: &Token,
    now: DateTime<Utc>,
) -> ops::Result<Vec<Object>> {
    let Some(account) = ops::portal::account(reads, token)? else {
        return Ok(Vec::new());
    };
    let today = now.with_timezone(&chrono::Local).date_naive();
    let stamp = page::updated_stamp(now);
    let site = Site {
        root: root_of(&config.portal.base_url),
        updated: STAMP,
    };
    let cx = PageContext {
        config,
        token,
        today,
        site,
    };
    let base = format!("p/{}", token.as_str());
    let mut out = vec![Object::new(
        base.clone(),
        page::account_page(&cx, &account, 0),
        HTML,
        &stamp,
    )];
    if let Some(doc) = ops::portal::statement_doc(reads, token, config, today)? {
        out.push(Object::new(
            format!("{base}/statement"),
            doc.html_linked(site),
            HTML,
            &stamp,
        ));
    }
    for (invoice, _) in &account.invoices {
        if let Some(doc) = ops::portal::invoice_doc(reads, token, invoice.id, config, today)? {
            out.push(Object::new(
                format!("{base}/invoices/{}", invoice.id),
                doc.html_linked(site),
                HTML,
                &stamp,
            ));
        }
    }
    Ok(out)
}

/// The stylesheets and script every page loads.
pub fn assets() -> Vec<Object> {
    crate::portal::server::ASSETS
        .iter()
        .map(|(path, body, kind)| {
            Object::new(
                path.trim_start_matches('/').to_string(),
                body.to_string(),
                kind,
                "",
            )
        })
        .collect()
}

/// A content hash that stays the same across versions and machines
/// (64-bit FNV-1a): only for telling whether an object changed.
fn hash(bytes: &[u8]) -> String {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in bytes {
        h ^= u64::from(*b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    format!("{h:016x}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_root_is_the_path_of_the_public_address() {
        assert_eq!(root_of("https://pay.example.com"), "");
        assert_eq!(root_of("https://pay.example.com/"), "");
        assert_eq!(root_of("http://127.0.0.1:8333/pages/"), "/pages");
        assert_eq!(root_of("http://127.0.0.1:8333/b/p2"), "/b/p2");
    }

    #[test]
    fn the_hash_leaves_the_stamp_out() {
        let a = Object::new("k".into(), format!("x {STAMP} y"), HTML, "6 Dec, 14:05");
        let b = Object::new("k".into(), format!("x {STAMP} y"), HTML, "7 Dec, 09:00");
        assert_eq!(a.hash, b.hash);
        assert_ne!(a.body, b.body);
        assert_eq!(a.body, b"x 6 Dec, 14:05 y");
    }
}
