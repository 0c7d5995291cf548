//! What the first run asks (`tally setup`, and the full screen's welcome
//! on an empty book) and the config it writes: `config.example.toml`,
//! comments and all, with the answers in place. One place, so both front
//! ends write the same file.
//!
//! Invariant: the text returned always parses as a valid config; a bad
//! answer is refused with the config's own message, naming its key.

use crate::config::{Config, ConfigError};

const EXAMPLE: &str = include_str!("../config.example.toml");

/// The answers, as typed.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Answers {
    pub business: String,
    pub email: String,
    pub phone: String,
    /// A currency code: USD, EUR, …
    pub currency: String,
    /// `s3://BUCKET[/PREFIX]`, a folder, or empty.
    pub publish: String,
    /// The S3 API address of a store other than AWS; empty for AWS.
    pub endpoint: String,
    /// Where the pages are read at; empty: the suggestion.
    pub base_url: String,
}

/// Symbol and decimals of the currencies people name most; any other
/// three-letter code gets its code as symbol and two decimals.
pub fn currency_parts(code: &str) -> (String, u32) {
    match code {
        "USD" | "CAD" | "AUD" | "NZD" | "MXN" | "SGD" | "HKD" => ("$".into(), 2),
        "EUR" => ("€".into(), 2),
        "GBP" => ("£".into(), 2),
        "JPY" => ("¥".into(), 0),
        "KRW" => ("₩".into(), 0),
        "INR" => ("₹".into(), 2),
        other => (format!("{other} "), 2),
    }
}

/// The address pages published to `publish` (at `endpoint`) are read at,
/// as a first guess: the bucket's own address, or this computer when
/// nothing is published.
pub fn suggested_base_url(publish: &str, endpoint: &str) -> String {
    match publish.strip_prefix("s3://") {
        Some(rest) if endpoint.is_empty() => {
            let (bucket, prefix) = rest.split_once('/').unwrap_or((rest, ""));
            let prefix = if prefix.is_empty() {
                String::new()
            } else {
                format!("/{prefix}")
            };
            format!("https://{bucket}.s3.us-east-1.amazonaws.com{prefix}")
        }
        Some(rest) => format!(
            "{}/{}",
            endpoint.trim_end_matches('/'),
            rest.trim_end_matches('/')
        ),
        None => "http://127.0.0.1:8080".into(),
    }
}

/// The config the answers make, checked as tally reads it (`shown` names
/// the file in a refusal).
pub fn config_text(a: &Answers, shown: &str) -> Result<String, ConfigError> {
    let currency = a.currency.trim().to_ascii_uppercase();
    let (symbol, decimals) = currency_parts(&currency);
    let base_url = if a.base_url.trim().is_empty() {
        suggested_base_url(a.publish.trim(), a.endpoint.trim())
    } else {
        a.base_url.trim().to_string()
    };
    let mut text = EXAMPLE.to_string();
    for (section, key, value) in [
        ("business", "name", quoted(a.business.trim())),
        ("business", "email", quoted(a.email.trim())),
        ("business", "phone", quoted(a.phone.trim())),
        ("currency", "code", quoted(&currency)),
        ("currency", "symbol", quoted(&symbol)),
        ("currency", "decimals", decimals.to_string()),
        ("portal", "base_url", quoted(&base_url)),
        ("publish", "target", quoted(a.publish.trim())),
        ("publish", "endpoint", quoted(a.endpoint.trim())),
    ] {
        text = set(&text, section, key, &value);
    }
    text = text.replacen(
        "# tally configuration. Every key is optional; the values below are the\n# defaults.",
        "# tally configuration, written by tally's first run. Every key is optional;\n# the comments say what each does.",
        1,
    );
    Config::parse(&text, shown)?;
    Ok(text)
}

fn quoted(s: &str) -> String {
    toml::Value::String(s.to_string()).to_string()
}

/// `text` with `key = …` in `[section]` set to `value` (a TOML value).
fn set(text: &str, section: &str, key: &str, value: &str) -> String {
    let mut out = Vec::new();
    let mut current = String::new();
    for line in text.lines() {
        let t = line.trim();
        if let Some(name) = t.strip_prefix('[').and_then(|r| r.strip_suffix(']')) {
            current = name.to_string();
        }
        let is_key = !t.starts_with('#') && t.split_once('=').is_some_and(|(k, _)| k.trim() == key);
        if current == section && is_key {
            out.push(format!("{key} = {value}"));
        } else {
            out.push(line.to_string());
        }
    }
    out.join("\n") + "\n"
}

/// Writes the config, making its folder.
pub fn write(path: &std::path::Path, text: &str) -> std::io::Result<()> {
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir)?;
    }
    std::fs::write(path, text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_key_is_set_in_its_own_section_only() {
        let text = "[a]\nname = \"x\"\n# name = \"y\"\n[b]\nname = \"z\"\n";
        assert_eq!(
            set(text, "b", "name", "\"w\""),
            "[a]\nname = \"x\"\n# name = \"y\"\n[b]\nname = \"w\"\n"
        );
    }

    #[test]
    fn answers_make_a_config_tally_reads_and_a_bad_one_is_refused() {
        let a = Answers {
            business: "Green Lawns".into(),
            currency: "eur".into(),
            publish: "s3://pay/pages".into(),
            ..Default::default()
        };
        let text = config_text(&a, "c.toml").unwrap();
        let c = Config::parse(&text, "c.toml").unwrap();
        assert_eq!(c.currency.code, "EUR");
        assert_eq!(
            c.portal.base_url,
            "https://pay.s3.us-east-1.amazonaws.com/pages"
        );
        let bad = Answers {
            currency: "dollars".into(),
            ..a
        };
        assert!(config_text(&bad, "c.toml").is_err());
    }
}
