//! The owner's settings, read from a TOML file. Every key has a default, so a
//! missing file is a valid (default) config; `config.example.toml` documents
//! every key. Unknown keys are errors, so a typo never silently does nothing.

use std::collections::BTreeMap;
use std::path::Path;
use std::str::FromStr;

use rust_decimal::Decimal;
use serde::Deserialize;
use thiserror::Error;

use crate::domain::Currency;
use crate::domain::link;

#[derive(Debug, Clone, Deserialize, Default, PartialEq)]
#[serde(default, deny_unknown_fields)]
pub struct Config {
    pub business: Business,
    pub currency: CurrencyConfig,
    pub billing: Billing,
    pub portal: Portal,
    pub documents: Documents,
    pub collections: Collections,
    pub publish: Publish,
    pub mail: Mail,
    /// Action name → key, e.g. `new_customer = "N"`. Read by the TUI.
    pub keys: BTreeMap<String, String>,
}

#[derive(Debug, Clone, Deserialize, PartialEq)]
#[serde(default, deny_unknown_fields)]
pub struct Business {
    pub name: String,
    pub email: String,
    pub phone: String,
    pub address: String,
}

impl Default for Business {
    fn default() -> Self {
        Business {
            name: "My Business".into(),
            email: String::new(),
            phone: String::new(),
            address: String::new(),
        }
    }
}

#[derive(Debug, Clone, Deserialize, PartialEq)]
#[serde(default, deny_unknown_fields)]
pub struct CurrencyConfig {
    pub code: String,
    pub symbol: String,
    pub decimals: u32,
}

impl Default for CurrencyConfig {
    fn default() -> Self {
        let c = Currency::default();
        CurrencyConfig {
            code: c.code,
            symbol: c.symbol,
            decimals: c.decimals,
        }
    }
}

#[derive(Debug, Clone, Deserialize, PartialEq)]
#[serde(default, deny_unknown_fields)]
pub struct Billing {
    pub payment_terms_days: u32,
    pub invoice_prefix: String,
    /// Percent as a string ("8.25"), applied to charges posted without a tax.
    pub default_tax_rate: String,
    /// Whether `billing run` finalizes the invoices it creates.
    pub monthly_run_finalizes: bool,
}

impl Default for Billing {
    fn default() -> Self {
        Billing {
            payment_terms_days: 30,
            invoice_prefix: "INV-".into(),
            default_tax_rate: "0".into(),
            monthly_run_finalizes: false,
        }
    }
}

#[derive(Debug, Clone, Deserialize, PartialEq)]
#[serde(default, deny_unknown_fields)]
pub struct Portal {
    pub base_url: String,
    pub bind: String,
    /// The reminder `tally link message` copies; see `domain::link`.
    pub message: String,
    /// Addresses of reverse proxies in front of `portal serve`: from them
    /// (only), the client's address is read from `Forwarded` or
    /// `X-Forwarded-For`, so one client's mistyped links block that
    /// client, not everyone behind the proxy.
    pub trusted_proxies: Vec<String>,
}

impl Portal {
    /// The trusted proxies' addresses (checked when the config loads).
    pub fn trusted(&self) -> Vec<std::net::IpAddr> {
        self.trusted_proxies
            .iter()
            .filter_map(|a| a.trim().parse().ok())
            .collect()
    }
}

impl Default for Portal {
    fn default() -> Self {
        Portal {
            base_url: "http://127.0.0.1:8080".into(),
            bind: "127.0.0.1:8080".into(),
            message: DEFAULT_MESSAGE.into(),
            trusted_proxies: Vec::new(),
        }
    }
}

/// Where the payment pages are published (`tally portal publish`): an
/// S3-compatible bucket or a folder a static host serves. Credentials come
/// from the environment or the AWS credentials file, never from here.
#[derive(Debug, Clone, Deserialize, PartialEq)]
#[serde(default, deny_unknown_fields)]
pub struct Publish {
    /// `s3://bucket/prefix`, or a folder path; empty: pages are not published.
    pub target: String,
    /// The S3 API address of a store other than AWS (R2, B2, MinIO,
    /// SeaweedFS), e.g. `http://127.0.0.1:8333`; empty for AWS.
    pub endpoint: String,
    pub region: String,
}

impl Default for Publish {
    fn default() -> Self {
        Publish {
            target: String::new(),
            endpoint: String::new(),
            region: "us-east-1".into(),
        }
    }
}

/// Sending invoices, receipts and reminders through the owner's own mail
/// provider over SMTP. The password comes from `TALLY_MAIL_PASSWORD` or
/// `password_command`, never from this file or the book.
#[derive(Debug, Clone, Deserialize, PartialEq)]
#[serde(default, deny_unknown_fields)]
pub struct Mail {
    /// The SMTP server, e.g. `smtp.fastmail.com`; empty: tally sends no mail.
    pub server: String,
    /// 0: the usual port for `security` (465 tls, 587 starttls, 25 none).
    pub port: u16,
    /// `starttls` (default), `tls` (implicit TLS), or `none` (a server on
    /// this machine only).
    pub security: String,
    /// The login; empty: the server takes mail without one.
    pub user: String,
    /// The sender, `Name <address>` or an address.
    pub from: String,
    /// Where customers' replies go; empty: to `from`.
    pub reply_to: String,
    /// A command printing the password (`pass show smtp`), when
    /// `TALLY_MAIL_PASSWORD` is not set.
    pub password_command: String,
    /// Whether finalizing an invoice emails it (`--no-email` skips one).
    pub invoices: bool,
    /// Whether recording a payment emails a receipt.
    pub receipts: bool,
}

impl Default for Mail {
    fn default() -> Self {
        Mail {
            server: String::new(),
            port: 0,
            security: "starttls".into(),
            user: String::new(),
            from: String::new(),
            reply_to: String::new(),
            password_command: String::new(),
            invoices: true,
            receipts: true,
        }
    }
}

impl Mail {
    /// Whether mail is set up at all.
    pub fn is_set(&self) -> bool {
        !self.server.trim().is_empty()
    }

    /// The port, from `security` when not given.
    pub fn port(&self) -> u16 {
        match (self.port, self.security.as_str()) {
            (0, "tls") => 465,
            (0, "none") => 25,
            (0, _) => 587,
            (p, _) => p,
        }
    }
}

#[derive(Debug, Clone, Deserialize, PartialEq)]
#[serde(default, deny_unknown_fields)]
pub struct Documents {
    /// The largest file a customer's documents may hold, in megabytes.
    pub max_size_mb: u32,
}

impl Default for Documents {
    fn default() -> Self {
        Documents { max_size_mb: 20 }
    }
}

impl Documents {
    pub fn max_bytes(&self) -> u64 {
        u64::from(self.max_size_mb) * 1024 * 1024
    }
}

/// Reminders for customers whose oldest open invoice is past due, by how
/// late it is: 1–30 days gentle, 31–60 firm, more final. Same placeholders
/// as `[portal] message`; `{past_due}` is what is late, `{invoices}` names
/// the late invoices, `{balance_note}` adds the whole balance where it is
/// more than what is late.
#[derive(Debug, Clone, Deserialize, PartialEq)]
#[serde(default, deny_unknown_fields)]
pub struct Collections {
    pub gentle: String,
    pub firm: String,
    #[serde(rename = "final")]
    pub last: String,
    /// Days past due on which `tally reminders run` emails a reminder, once
    /// per step and invoice: the first step is gentle, the last final, any
    /// between firm. Empty: no reminders by email.
    pub schedule: Vec<u32>,
}

impl Default for Collections {
    fn default() -> Self {
        Collections {
            gentle: "Hi {first_name}, a friendly reminder from {business}: {past_due} on {invoices} is now past due.{balance_note} You can pay here: {link}".into(),
            firm: "Hi {first_name}, {business} here. {past_due} on {invoices} is over 30 days past due.{balance_note} Please pay today: {link}".into(),
            last: "Hi {first_name}, this is a final notice from {business}: {past_due} on {invoices} is more than 60 days past due.{balance_note} Please pay now or call us: {link}".into(),
            schedule: vec![3, 14, 30],
        }
    }
}

impl Collections {
    /// The template for an invoice `days_late` past due ("gentle", "firm"
    /// or "final").
    pub fn for_days(&self, days_late: i64) -> (&'static str, &str) {
        let tone = Collections::tone(days_late);
        let text = match tone {
            "final" => &self.last,
            "firm" => &self.firm,
            _ => &self.gentle,
        };
        (tone, text)
    }

    /// The tone and template of the scheduled step `index` (0-based).
    pub fn for_step(&self, index: usize) -> (&'static str, &str) {
        let last = self.schedule.len().saturating_sub(1);
        match index {
            0 => ("gentle", &self.gentle),
            i if i >= last => ("final", &self.last),
            _ => ("firm", &self.firm),
        }
    }

    /// Which reminder an invoice `days_late` past due gets: "gentle" up to
    /// 30 days, "firm" to 60, "final" after.
    pub fn tone(days_late: i64) -> &'static str {
        match days_late {
            d if d > 60 => "final",
            d if d > 30 => "firm",
            _ => "gentle",
        }
    }
}

/// Reminder steps run forward, each within ten years of the due date.
fn check_schedule(days: &[u32]) -> Result<(), String> {
    if days.windows(2).any(|w| w[0] >= w[1]) {
        return Err(format!(
            "{days:?} does not run forward: list days past due in increasing order, such as [3, 14, 30]"
        ));
    }
    if days.iter().any(|d| *d == 0 || *d > 3650) {
        return Err(format!("{days:?}: each step is 1 to 3650 days past due"));
    }
    Ok(())
}

/// A set `[mail]` names a sender and a way of securing the connection.
fn check_mail(m: &Mail) -> Result<(), (&'static str, String)> {
    if !["starttls", "tls", "none"].contains(&m.security.as_str()) {
        return Err((
            "security",
            format!(
                "\"{}\" is not a choice: use \"starttls\", \"tls\" or \"none\"",
                m.security
            ),
        ));
    }
    if !m.is_set() {
        return Ok(());
    }
    if m.server.contains(char::is_whitespace) || m.server.contains("://") {
        return Err((
            "server",
            format!(
                "\"{}\" is not a host name: use one such as smtp.example.com",
                m.server
            ),
        ));
    }
    if crate::domain::mail::Mailbox::parse(&m.from).is_none() {
        return Err((
            "from",
            format!(
                "\"{}\" is not a sender: use \"Business Name <billing@example.com>\" or an address",
                m.from
            ),
        ));
    }
    if !m.reply_to.trim().is_empty() && crate::domain::mail::Mailbox::parse(&m.reply_to).is_none() {
        return Err((
            "reply_to",
            format!(
                "\"{}\" is not an address: use one such as office@example.com",
                m.reply_to
            ),
        ));
    }
    Ok(())
}

/// The reminder text used when the config does not set one.
pub const DEFAULT_MESSAGE: &str = "Hi {first_name}, this is {business}. Your balance is {balance}. You can view it and pay here: {link}";

#[derive(Debug, Error)]
pub enum ConfigError {
    // `error`, not `source`: the message already includes it, and a source
    // would print it twice in the `error:` line.
    #[error("cannot read config {path}: {error}")]
    Read { path: String, error: std::io::Error },
    #[error("config {path} line {line}, key {key}: {message}")]
    Invalid {
        path: String,
        line: usize,
        key: String,
        message: String,
    },
}

impl Config {
    /// Loads `path`. A missing file gives the defaults only if `required` is
    /// false (the default location); a path the owner named must exist.
    pub fn load(path: &Path, required: bool) -> Result<Config, ConfigError> {
        let shown = path.display().to_string();
        let text = match std::fs::read_to_string(path) {
            Ok(t) => t,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound && !required => {
                return Ok(Config::default());
            }
            Err(error) => {
                return Err(ConfigError::Read { path: shown, error });
            }
        };
        Self::parse(&text, &shown)
    }

    pub fn parse(text: &str, path: &str) -> Result<Config, ConfigError> {
        let config: Config = toml::from_str(text).map_err(|e| {
            let offset = e.span().map(|s| s.start).unwrap_or(0);
            let (line, key) = locate(text, offset);
            ConfigError::Invalid {
                path: path.into(),
                line,
                key,
                message: e.message().trim().to_string(),
            }
        })?;
        config.check(text, path)?;
        Ok(config)
    }

    /// Range checks serde cannot express, reported like parse errors.
    fn check(&self, text: &str, path: &str) -> Result<(), ConfigError> {
        let fail = |section: &str, key: &str, message: String| {
            let line = line_of_key(text, section, key);
            Err(ConfigError::Invalid {
                path: path.into(),
                line,
                key: format!("{section}.{key}"),
                message,
            })
        };
        let c = &self.currency;
        if c.code.len() != 3 || !c.code.bytes().all(|b| b.is_ascii_uppercase()) {
            return fail(
                "currency",
                "code",
                format!(
                    "\"{}\" is not a currency code: use three capital letters such as USD",
                    c.code
                ),
            );
        }
        if c.decimals > 4 {
            return fail(
                "currency",
                "decimals",
                format!("{} is too many: use 0 to 4 (2 for cents)", c.decimals),
            );
        }
        if self.tax_rate().is_none() {
            return fail(
                "billing",
                "default_tax_rate",
                format!(
                    "\"{}\" is not a percent: use a string such as \"0\" or \"8.25\" (0 to 100)",
                    self.billing.default_tax_rate
                ),
            );
        }
        if self.billing.payment_terms_days > 3650 {
            return fail(
                "billing",
                "payment_terms_days",
                "is more than ten years: use 0 to 3650 days".into(),
            );
        }
        if let Err(message) = link::check_template(&self.portal.message) {
            return fail("portal", "message", message);
        }
        for (key, template) in [
            ("gentle", &self.collections.gentle),
            ("firm", &self.collections.firm),
            ("final", &self.collections.last),
        ] {
            if let Err(message) = link::check_template(template) {
                return fail("collections", key, message);
            }
        }
        if let Err(message) = check_schedule(&self.collections.schedule) {
            return fail("collections", "schedule", message);
        }
        if let Err((key, message)) = check_mail(&self.mail) {
            return fail("mail", key, message);
        }
        let base = &self.portal.base_url;
        if !(base.starts_with("http://") || base.starts_with("https://"))
            || base.contains(char::is_whitespace)
        {
            return fail(
                "portal",
                "base_url",
                format!(
                    "\"{base}\" is not a web address: use one starting with https:// (or http://), such as \"https://pay.example.com\""
                ),
            );
        }
        if let Some(bad) = self
            .portal
            .trusted_proxies
            .iter()
            .find(|a| a.trim().parse::<std::net::IpAddr>().is_err())
        {
            return fail(
                "portal",
                "trusted_proxies",
                format!(
                    "\"{bad}\" is not an IP address: list the proxies' addresses, such as [\"127.0.0.1\"]"
                ),
            );
        }
        let target = &self.publish.target;
        if let Some(rest) = target.strip_prefix("s3://")
            && rest.split('/').next().is_none_or(str::is_empty)
        {
            return fail(
                "publish",
                "target",
                format!("\"{target}\" names no bucket: use s3://BUCKET or s3://BUCKET/PREFIX"),
            );
        }
        if target.contains("://") && !target.starts_with("s3://") {
            return fail(
                "publish",
                "target",
                format!("\"{target}\" is neither s3://BUCKET/PREFIX nor a folder path"),
            );
        }
        let endpoint = &self.publish.endpoint;
        let web = endpoint.starts_with("http://") || endpoint.starts_with("https://");
        if !endpoint.is_empty() && !web {
            return fail(
                "publish",
                "endpoint",
                format!(
                    "\"{endpoint}\" is not a web address: use one such as \"https://ACCOUNT.r2.cloudflarestorage.com\""
                ),
            );
        }
        let p = &self.billing.invoice_prefix;
        if p.chars().count() > 16 || p.chars().any(char::is_whitespace) {
            return fail(
                "billing",
                "invoice_prefix",
                format!("\"{p}\" must be at most 16 characters with no spaces"),
            );
        }
        Ok(())
    }

    pub fn currency(&self) -> Currency {
        Currency {
            code: self.currency.code.clone(),
            symbol: self.currency.symbol.clone(),
            decimals: self.currency.decimals,
        }
    }

    /// The default tax rate in percent (checked at load, so `ZERO` is only a
    /// fallback for configs built in code).
    pub fn default_tax_rate(&self) -> Decimal {
        self.tax_rate().unwrap_or(Decimal::ZERO)
    }

    fn tax_rate(&self) -> Option<Decimal> {
        let s = self.billing.default_tax_rate.trim();
        if s.contains(['e', 'E']) {
            return None;
        }
        Decimal::from_str(s)
            .ok()
            .filter(|r| *r >= Decimal::ZERO && *r <= Decimal::ONE_HUNDRED)
    }
}

/// The 1-based line of `offset` and the dotted key written on it.
fn locate(text: &str, offset: usize) -> (usize, String) {
    let offset = offset.min(text.len());
    let line_no = text[..offset].matches('\n').count() + 1;
    let mut section = String::new();
    let mut key = String::from("(unknown)");
    for (i, line) in text.lines().enumerate() {
        let t = line.trim();
        if t.starts_with('[') {
            section = t.trim_matches(|c| c == '[' || c == ']').trim().to_string();
            if i + 1 == line_no {
                key = section.clone();
            }
        } else if i + 1 == line_no
            && let Some((k, _)) = t.split_once('=')
        {
            let k = k.trim().trim_matches('"');
            key = if section.is_empty() {
                k.to_string()
            } else {
                format!("{section}.{k}")
            };
        }
        if i + 1 >= line_no {
            break;
        }
    }
    (line_no, key)
}

fn line_of_key(text: &str, section: &str, key: &str) -> usize {
    let mut current = String::new();
    for (i, line) in text.lines().enumerate() {
        let t = line.trim();
        if t.starts_with('[') {
            current = t.trim_matches(|c| c == '[' || c == ']').trim().to_string();
        } else if current == section && t.split_once('=').is_some_and(|(k, _)| k.trim() == key) {
            return i + 1;
        }
    }
    0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn empty_file_gives_defaults() {
        let c = Config::parse("", "x.toml").unwrap();
        assert_eq!(c, Config::default());
        assert_eq!(c.currency().code, "USD");
    }

    #[test]
    fn the_example_config_parses_to_the_defaults() {
        let text = include_str!("../config.example.toml");
        let c = Config::parse(text, "config.example.toml").unwrap();
        assert_eq!(c.currency(), Currency::default());
        assert_eq!(c.billing, Billing::default());
    }

    #[test]
    fn type_errors_name_file_line_and_key() {
        let text = "[business]\nname = \"Ann's Lawns\"\n\n[currency]\ndecimals = \"two\"\n";
        let msg = Config::parse(text, "/etc/tally.toml")
            .unwrap_err()
            .to_string();
        assert!(
            msg.starts_with("config /etc/tally.toml line 5, key currency.decimals:"),
            "{msg}"
        );
    }

    #[test]
    fn unknown_keys_are_refused() {
        let msg = Config::parse("[currency]\ndecimls = 2\n", "c.toml")
            .unwrap_err()
            .to_string();
        assert!(msg.contains("line 2"), "{msg}");
        assert!(msg.contains("decimls"), "{msg}");
    }

    #[test]
    fn syntax_errors_give_the_line() {
        let msg = Config::parse("[billing]\ninvoice_prefix = \"INV-\nx=1\n", "c.toml")
            .unwrap_err()
            .to_string();
        assert!(msg.contains("line 2"), "{msg}");
    }

    #[test]
    fn out_of_range_values_are_refused_with_their_key() {
        let msg = Config::parse("[billing]\ndefault_tax_rate = \"abc\"\n", "c.toml")
            .unwrap_err()
            .to_string();
        assert_eq!(
            msg,
            "config c.toml line 2, key billing.default_tax_rate: \"abc\" is not a percent: use a string such as \"0\" or \"8.25\" (0 to 100)"
        );
        assert!(Config::parse("[currency]\ncode = \"dollars\"\n", "c.toml").is_err());
        assert!(Config::parse("[currency]\ndecimals = 9\n", "c.toml").is_err());
        let ok = Config::parse("[billing]\ndefault_tax_rate = \"8.25\"\n", "c.toml").unwrap();
        assert_eq!(ok.default_tax_rate(), Decimal::new(825, 2));
    }
}
