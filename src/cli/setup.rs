//! `tally setup`: the first run. Asks for the business's name and
//! contacts, the currency, where to publish the payment pages and the
//! address they are read at (each answerable by a flag instead), and
//! writes the config: `config.example.toml` with those values, comments
//! and all. Nothing is written unless the result is a valid config, and an
//! existing config is kept unless `--replace`.

use std::io::{BufRead, Write};
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};
use clap::Args;

use super::output::say;
use crate::config::Config;

const EXAMPLE: &str = include_str!("../../config.example.toml");

#[derive(Debug, Args)]
pub struct SetupArgs {
    /// The business's name, on invoices and the payment page.
    #[arg(long)]
    pub business: Option<String>,
    /// The business's email, shown on the payment page ("" for none).
    #[arg(long)]
    pub email: Option<String>,
    /// The business's phone ("" for none).
    #[arg(long)]
    pub phone: Option<String>,
    /// The book's currency code: USD, EUR, GBP, CAD, AUD, JPY, …
    #[arg(long)]
    pub currency: Option<String>,
    /// Where to publish the payment pages: s3://BUCKET[/PREFIX], a folder,
    /// or "" for not publishing (serve them with `portal serve` instead).
    #[arg(long)]
    pub publish: Option<String>,
    /// The S3 API address of a store other than AWS ("" for AWS).
    #[arg(long)]
    pub endpoint: Option<String>,
    /// The public address the pages are read at; links start with it.
    #[arg(long)]
    pub base_url: Option<String>,
    /// Overwrite an existing config.
    #[arg(long)]
    pub replace: bool,
}

/// Symbol and decimals of the currencies people name most; any other
/// three-letter code gets its code as symbol and two decimals.
fn currency_parts(code: &str) -> (String, u32) {
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

pub fn run(config_path: Option<PathBuf>, a: SetupArgs) -> Result<()> {
    let path = match config_path {
        Some(p) => p,
        None => crate::paths::default_config()
            .ok_or_else(|| anyhow::anyhow!("no home directory: pass --config PATH"))?,
    };
    if path.exists() && !a.replace {
        bail!(
            "{} already exists: edit it, or run `tally setup --replace` to write a new one",
            path.display()
        );
    }
    let stdin = std::io::stdin();
    let mut input = stdin.lock();
    let mut ask = |given: Option<String>, question: &str, default: &str| -> Result<String> {
        if let Some(v) = given {
            return Ok(v);
        }
        print!("{question} [{default}]: ");
        std::io::stdout().flush()?;
        let mut line = String::new();
        input.read_line(&mut line)?;
        let line = line.trim();
        Ok(if line.is_empty() { default } else { line }.to_string())
    };
    let business = ask(a.business, "Business name", "My Business")?;
    let email = ask(a.email, "Business email, shown on the payment page", "")?;
    let phone = ask(a.phone, "Business phone", "")?;
    let currency = ask(a.currency, "Currency code", "USD")?.to_ascii_uppercase();
    let publish = ask(
        a.publish,
        "Publish the payment pages to (s3://BUCKET, a folder, or empty for none)",
        "",
    )?;
    let s3 = publish.strip_prefix("s3://");
    let endpoint = match s3 {
        Some(_) => ask(
            a.endpoint,
            "Storage endpoint, empty for AWS (e.g. https://ACCOUNT.r2.cloudflarestorage.com)",
            "",
        )?,
        None => a.endpoint.unwrap_or_default(),
    };
    let suggested = match s3 {
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
    };
    let base_url = ask(
        a.base_url,
        "Public address of the pages (links start with it)",
        &suggested,
    )?;
    let (symbol, decimals) = currency_parts(&currency);
    let mut text = EXAMPLE.to_string();
    for (section, key, value) in [
        ("business", "name", quoted(&business)),
        ("business", "email", quoted(&email)),
        ("business", "phone", quoted(&phone)),
        ("currency", "code", quoted(&currency)),
        ("currency", "symbol", quoted(&symbol)),
        ("currency", "decimals", decimals.to_string()),
        ("portal", "base_url", quoted(&base_url)),
        ("publish", "target", quoted(&publish)),
        ("publish", "endpoint", quoted(&endpoint)),
    ] {
        text = set(&text, section, key, &value);
    }
    text = text.replacen(
        "# tally configuration. Every key is optional; the values below are the\n# defaults.",
        "# tally configuration, written by `tally setup`. Every key is optional;\n# the comments say what each does.",
        1,
    );
    let shown = path.display().to_string();
    Config::parse(&text, &shown).map_err(|e| anyhow::anyhow!("{e}; nothing was written"))?;
    write_config(&path, &text)?;
    say!("Wrote {shown}.");
    if crate::domain::link::loopback_host(&base_url).is_some() {
        say!(
            "Links start with {base_url}: this computer only, so a phone cannot open them. \
             Before texting links, publish the pages to storage phones can reach and set \
             [portal] base_url to its public address (`tally setup --replace` asks again)."
        );
    } else if !publish.is_empty() {
        say!(
            "Pages go to {publish}; links start with {base_url}. Once the bucket lets anyone read \
             objects (and nobody list them), `tally portal publish --check` confirms it."
        );
    }
    say!("Next: `tally` opens the book; `tally customer add NAME` adds a customer.");
    Ok(())
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
        let is_key = t
            .split_once('=')
            .is_some_and(|(k, _)| k.trim() == key && !t.starts_with('#'));
        if current == section && is_key {
            out.push(format!("{key} = {value}"));
        } else {
            out.push(line.to_string());
        }
    }
    out.join("\n") + "\n"
}

fn write_config(path: &Path, text: &str) -> Result<()> {
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
    }
    std::fs::write(path, text).with_context(|| format!("cannot write {}", path.display()))
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
}
