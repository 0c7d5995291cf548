//! `tally setup`: the first run. Asks for the business's name and
//! contacts, the currency, where to publish the payment pages and the
//! address they are read at (each answerable by a flag instead), and
//! writes the config: `config.example.toml` with those values, comments
//! and all. Nothing is written unless the result is a valid config, and an
//! existing config is kept unless `--replace`.

use std::io::{BufRead, Write};
use std::path::PathBuf;

use anyhow::{Context, Result, bail};
use clap::Args;

use super::output::say;
use crate::first_run;

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
    let currency = ask(a.currency, "Currency code", "USD")?;
    let publish = ask(
        a.publish,
        "Publish the payment pages to (s3://BUCKET, a folder, or empty for none)",
        "",
    )?;
    let endpoint = match publish.strip_prefix("s3://") {
        Some(_) => ask(
            a.endpoint,
            "Storage endpoint, empty for AWS (e.g. https://ACCOUNT.r2.cloudflarestorage.com)",
            "",
        )?,
        None => a.endpoint.unwrap_or_default(),
    };
    let suggested = first_run::suggested_base_url(&publish, &endpoint);
    let base_url = ask(
        a.base_url,
        "Public address of the pages (links start with it)",
        &suggested,
    )?;
    let answers = first_run::Answers {
        business,
        email,
        phone,
        currency,
        publish: publish.clone(),
        endpoint,
        base_url: base_url.clone(),
    };
    let shown = path.display().to_string();
    let text = first_run::config_text(&answers, &shown)
        .map_err(|e| anyhow::anyhow!("{e}; nothing was written"))?;
    first_run::write(&path, &text).with_context(|| format!("cannot write {shown}"))?;
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
