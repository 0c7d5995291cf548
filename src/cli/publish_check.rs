//! `tally portal publish --check`: looks at the published pages as a
//! stranger on the internet would, with no credentials: a live link's page
//! must open, and the bucket must not list its keys (a listing gives every
//! customer's link away). Says what to change when either is wrong.

use anyhow::{Context, Result, bail};

use super::output::say;
use crate::ops::Book;
use crate::publish::Target;

pub fn run(book: &Book, target: &Target) -> Result<()> {
    let config = book.config();
    let links = book.reads().live_links()?;
    let Some((_, token)) = links.first() else {
        bail!(
            "no customer has a payment link yet: `tally link generate ID` makes one, then publish"
        );
    };
    let page = crate::domain::link::url(&config.portal.base_url, token);
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    let client = reqwest::Client::builder()
        .timeout(std::time::Duration::from_secs(10))
        .build()?;
    let get = |url: String| {
        let client = client.clone();
        runtime.block_on(async move {
            let r = client.get(&url).send().await?;
            let status = r.status();
            let body = r.text().await.unwrap_or_default();
            Ok::<_, reqwest::Error>((status, body))
        })
    };
    let mut wrong = 0;
    let (status, body) = get(page.clone()).with_context(|| format!("cannot reach {page}"))?;
    if status.is_success() && body.contains("<main>") {
        say!("ok     a published page opens for anyone with its link ({status})");
    } else {
        wrong += 1;
        say!(
            "WRONG  {page} answered {status}: publish first (`tally portal publish`), check that \
             [portal] base_url is the address the bucket's objects are read at, and allow anyone \
             to read objects (s3:GetObject) under p/ and assets/"
        );
    }
    for url in listing_urls(config, target) {
        let Ok((status, body)) = get(url.clone()) else {
            continue;
        };
        if status.is_success() && body.contains("ListBucketResult") {
            wrong += 1;
            say!(
                "WRONG  {url} lists the bucket's keys to anyone: that gives every customer's link \
                 away. Remove public listing (s3:ListBucket) from the bucket's policy; keep public \
                 reading of objects (s3:GetObject)"
            );
        } else {
            say!("ok     the bucket cannot be listed by a stranger ({url}: {status})");
        }
    }
    if wrong > 0 {
        bail!("{wrong} thing(s) to change before texting links");
    }
    Ok(())
}

/// Where a stranger would ask for a listing: the public address's root,
/// and the bucket's own S3 address.
fn listing_urls(config: &crate::config::Config, target: &Target) -> Vec<String> {
    let mut urls = vec![format!(
        "{}/?list-type=2",
        config.portal.base_url.trim_end_matches('/')
    )];
    if let Target::S3 { bucket, .. } = target {
        let p = &config.publish;
        urls.push(if p.endpoint.is_empty() {
            format!(
                "https://{bucket}.s3.{}.amazonaws.com/?list-type=2",
                p.region
            )
        } else {
            format!("{}/{bucket}?list-type=2", p.endpoint.trim_end_matches('/'))
        });
    }
    urls.dedup();
    urls
}
