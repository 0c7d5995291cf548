//! Payment links (DESIGN §1, seed 001): the token a customer's link carries,
//! the link's address, and the ready-to-send reminder text.
//!
//! Invariants:
//! - A token is 32 random bytes (256 bits, well over the 128 required)
//!   encoded as unpadded base64url: exactly [`TOKEN_LEN`] characters of
//!   `A–Z a–z 0–9 - _`, safe in a URL path without escaping.
//! - [`Token::parse`] accepts only that shape, so the portal can turn away
//!   junk before it reaches the database.
//! - The reminder template is filled in one pass: a customer name that
//!   contains `{link}` stays literal text.

use std::fmt;

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;

/// Bytes of randomness in a token.
pub const TOKEN_BYTES: usize = 32;
/// Characters in an encoded token (4 per 3 bytes, no padding).
pub const TOKEN_LEN: usize = 43;

/// The secret part of a payment link.
#[derive(Clone, PartialEq, Eq)]
pub struct Token(String);

impl Token {
    /// Encodes random bytes (the caller draws them from the OS).
    pub fn from_bytes(bytes: &[u8; TOKEN_BYTES]) -> Token {
        Token(URL_SAFE_NO_PAD.encode(bytes))
    }

    /// A token as it appears in a URL, if it has the exact shape tally makes.
    pub fn parse(s: &str) -> Option<Token> {
        let ok = s.len() == TOKEN_LEN
            && s.bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
        ok.then(|| Token(s.to_string()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// Tokens are secrets: debug output (logs, panics) shows only a prefix.
impl fmt::Debug for Token {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Token({}…)", &self.0[..self.0.len().min(4)])
    }
}

/// `{base_url}/p/{token}`, with any trailing `/` of the base dropped so the
/// link never has `//`.
pub fn url(base_url: &str, token: &Token) -> String {
    format!("{}/p/{}", base_url.trim_end_matches('/'), token.as_str())
}

/// The host of `base_url` when it is this computer (`127.0.0.1`,
/// `localhost`, `::1`): a link there cannot reach a customer's phone.
pub fn loopback_host(base_url: &str) -> Option<String> {
    let host = base_url
        .split_once("://")
        .map_or(base_url, |(_, r)| r)
        .split('/')
        .next()
        .unwrap_or("");
    let host = host.rsplit_once('@').map_or(host, |(_, h)| h);
    let name = if host.starts_with('[') {
        host.split(']')
            .next()
            .unwrap_or(host)
            .trim_start_matches('[')
    } else {
        host.split(':').next().unwrap_or(host)
    };
    let local = name.eq_ignore_ascii_case("localhost")
        || name.starts_with("127.")
        || name == "::1"
        || name == "0.0.0.0";
    local.then(|| name.to_string())
}

/// The placeholders a reminder template may use.
pub const PLACEHOLDERS: [&str; 7] = [
    "first_name",
    "balance",
    "past_due",
    "invoices",
    "balance_note",
    "link",
    "business",
];

/// Values for a reminder's placeholders, already worded.
pub struct Reminder<'a> {
    pub first_name: &'a str,
    /// What the customer owes in all (the customer's sign: positive).
    pub balance: &'a str,
    /// What is past due (see `figures::PastDue`).
    pub past_due: &'a str,
    /// The past-due invoices' numbers, "INV-0001 and INV-0003".
    pub invoices: &'a str,
    /// " Your whole balance, with charges not yet due, is $968.00." when
    /// that differs from what is past due, else empty.
    pub balance_note: &'a str,
    pub link: &'a str,
    pub business: &'a str,
}

impl Reminder<'_> {
    /// Fills `{first_name}`, `{balance}`, `{link}` and `{business}` in one
    /// pass. `{{` and `}}` are literal braces. Templates are checked at
    /// config load ([`check_template`]), so anything else is left as is.
    pub fn fill(&self, template: &str) -> String {
        let mut out = String::with_capacity(template.len() + 64);
        let mut rest = template;
        while let Some(i) = rest.find(['{', '}']) {
            out.push_str(&rest[..i]);
            let tail = &rest[i..];
            if tail.starts_with("{{") || tail.starts_with("}}") {
                out.push_str(&tail[..1]);
                rest = &tail[2..];
                continue;
            }
            match placeholder(tail) {
                Some((name, len)) => {
                    out.push_str(self.value(name));
                    rest = &tail[len..];
                }
                None => {
                    out.push_str(&tail[..1]);
                    rest = &tail[1..];
                }
            }
        }
        out.push_str(rest);
        out
    }

    fn value(&self, name: &str) -> &str {
        match name {
            "first_name" => self.first_name,
            "balance" => self.balance,
            "past_due" => self.past_due,
            "invoices" => self.invoices,
            "balance_note" => self.balance_note,
            "link" => self.link,
            _ => self.business,
        }
    }
}

/// A known `{name}` at the start of `s`, with its length.
fn placeholder(s: &str) -> Option<(&str, usize)> {
    if !s.starts_with('{') {
        return None;
    }
    let end = s.find('}')?;
    let name = &s[1..end];
    PLACEHOLDERS.contains(&name).then_some((name, end + 1))
}

/// Why a template is refused: an unknown `{name}`, a lone brace, or no
/// `{link}` at all (a reminder without the link defeats its purpose).
pub fn check_template(template: &str) -> Result<(), String> {
    let accepted = "use {first_name}, {balance}, {past_due}, {invoices}, {balance_note}, {link}, {business}, or {{ and }} for braces";
    let mut rest = template;
    let mut has_link = false;
    while let Some(i) = rest.find(['{', '}']) {
        let tail = &rest[i..];
        if tail.starts_with("{{") || tail.starts_with("}}") {
            rest = &tail[2..];
            continue;
        }
        match placeholder(tail) {
            Some((name, len)) => {
                has_link |= name == "link";
                rest = &tail[len..];
            }
            None => {
                let shown: String = tail.chars().take(20).collect();
                return Err(format!("unknown placeholder at \"{shown}\": {accepted}"));
            }
        }
    }
    if has_link {
        Ok(())
    } else {
        Err("has no {link}: a reminder must carry the payment link".into())
    }
}

/// The word a text message greets: the first word of the name.
pub fn first_name(name: &str) -> &str {
    name.split_whitespace().next().unwrap_or(name)
}

#[cfg(test)]
mod tests {

    #[test]
    fn a_link_to_this_computer_is_told_from_a_public_one() {
        for local in [
            "http://127.0.0.1:8080",
            "http://localhost",
            "http://[::1]:8080/x",
            "http://0.0.0.0:80",
        ] {
            assert!(loopback_host(local).is_some(), "{local}");
        }
        for public in [
            "https://pay.example.com",
            "http://192.168.1.5:8080",
            "https://localhost.example.com",
        ] {
            assert_eq!(loopback_host(public), None, "{public}");
        }
    }
    use super::*;

    #[test]
    fn tokens_are_43_url_safe_characters() {
        let t = Token::from_bytes(&[0xff; TOKEN_BYTES]);
        assert_eq!(t.as_str().len(), TOKEN_LEN);
        assert_eq!(t.as_str(), "_".repeat(42) + "8");
        assert_eq!(Token::parse(t.as_str()), Some(t.clone()));
        assert!(Token::parse(&t.as_str()[1..]).is_none());
        assert!(Token::parse(&format!("{}=", &t.as_str()[1..])).is_none());
        assert!(Token::parse(&"a/".repeat(22)[..43]).is_none());
        assert!(!format!("{t:?}").contains(&t.as_str()[..10]));
    }

    #[test]
    fn urls_join_without_a_double_slash() {
        let t = Token::from_bytes(&[0; TOKEN_BYTES]);
        let want = format!("https://pay.example.com/p/{}", t.as_str());
        assert_eq!(url("https://pay.example.com/", &t), want);
        assert_eq!(url("https://pay.example.com", &t), want);
    }

    fn reminder() -> Reminder<'static> {
        Reminder {
            first_name: "Ann {link}",
            balance: "$150.00",
            past_due: "$100.00",
            invoices: "INV-0001",
            balance_note: " All of it: $150.00.",
            link: "https://x/p/T",
            business: "Bo's",
        }
    }

    #[test]
    fn reminders_fill_each_placeholder_once_and_keep_escaped_braces() {
        let out = reminder().fill("Hi {first_name}, {balance} due to {business}: {link} {{ok}}");
        assert_eq!(
            out,
            "Hi Ann {link}, $150.00 due to Bo's: https://x/p/T {ok}"
        );
        let out = reminder().fill("{past_due} on {invoices} is late.{balance_note} {link}");
        assert_eq!(
            out,
            "$100.00 on INV-0001 is late. All of it: $150.00. https://x/p/T"
        );
    }

    #[test]
    fn templates_with_unknown_names_or_no_link_are_refused() {
        assert!(check_template("Pay: {link}").is_ok());
        let e = check_template("Hi {name}: {link}").unwrap_err();
        assert!(e.contains("{name}") && e.contains("{first_name}"), "{e}");
        assert!(
            check_template("Hi {first_name}")
                .unwrap_err()
                .contains("no {link}")
        );
        assert!(check_template("{link} }").is_err());
    }

    #[test]
    fn first_names_are_the_first_word() {
        assert_eq!(first_name("  Ann  Lee "), "Ann");
        assert_eq!(first_name(""), "");
    }
}
