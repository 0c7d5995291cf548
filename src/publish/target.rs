//! Where published pages go: an S3-compatible bucket (AWS, R2, B2, MinIO,
//! SeaweedFS), through `object_store`, or a folder any static host
//! serves. The only code that talks to storage.
//!
//! Invariants:
//! - Credentials come from the environment (`AWS_ACCESS_KEY_ID`,
//!   `AWS_SECRET_ACCESS_KEY`, `AWS_SESSION_TOKEN`) or the AWS credentials
//!   file's `[AWS_PROFILE]` (else `[default]`) section; never from the book
//!   or tally's config.
//! - Every call gives up within seconds when storage cannot be reached
//!   (short timeouts, one retry), so a command never hangs on it; what was
//!   not sent stays due in the book.
//! - Pages are stored with `Cache-Control: no-cache` and their type; in a
//!   folder an HTML page `p/TOKEN` is the file `p/TOKEN.html` (a key
//!   cannot be a file and a folder at once; static hosts serve `/x` from
//!   `x.html`), written whole and renamed into place.

use std::path::{Path as FsPath, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use futures_util::StreamExt;
use object_store::aws::{AmazonS3, AmazonS3Builder};
use object_store::path::Path;
use object_store::{
    Attribute, Attributes, ClientOptions, ObjectStore, ObjectStoreExt, PutOptions, PutPayload,
    RetryConfig,
};

use crate::config::Publish;

#[derive(Debug, thiserror::Error)]
pub enum TargetError {
    #[error("[publish] {0}")]
    Config(String),
    #[error("storage at {target} did not accept it: {reason}")]
    Storage { target: String, reason: String },
}

type Result<T> = std::result::Result<T, TargetError>;

/// How many objects go to storage at once.
pub const AT_ONCE: usize = 16;

pub enum Target {
    S3 {
        store: Arc<AmazonS3>,
        bucket: String,
        prefix: String,
        runtime: tokio::runtime::Runtime,
    },
    Folder(PathBuf),
}

impl Target {
    /// The configured target; `None` when nothing is to be published.
    pub fn from_config(cfg: &Publish) -> Result<Option<Target>> {
        let target = cfg.target.trim();
        if target.is_empty() {
            return Ok(None);
        }
        let Some(rest) = target.strip_prefix("s3://") else {
            return Ok(Some(Target::Folder(crate::paths::expand_home(target))));
        };
        let (bucket, prefix) = rest.split_once('/').unwrap_or((rest, ""));
        let mut builder = AmazonS3Builder::from_env()
            .with_bucket_name(bucket)
            .with_region(&cfg.region)
            .with_client_options(
                ClientOptions::new()
                    .with_timeout(Duration::from_secs(10))
                    .with_connect_timeout(Duration::from_secs(3)),
            )
            .with_retry(RetryConfig {
                max_retries: 1,
                retry_timeout: Duration::from_secs(5),
                ..Default::default()
            });
        if !cfg.endpoint.is_empty() {
            builder = builder
                .with_endpoint(&cfg.endpoint)
                .with_allow_http(cfg.endpoint.starts_with("http://"));
        }
        if std::env::var_os("AWS_ACCESS_KEY_ID").is_none()
            && let Some((id, secret, session)) = profile_credentials()
        {
            builder = builder
                .with_access_key_id(id)
                .with_secret_access_key(secret);
            if let Some(t) = session {
                builder = builder.with_token(t);
            }
        }
        let store = builder
            .build()
            .map_err(|e| TargetError::Config(e.to_string()))?;
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .map_err(|e| TargetError::Config(e.to_string()))?;
        Ok(Some(Target::S3 {
            store: Arc::new(store),
            bucket: bucket.to_string(),
            prefix: prefix.trim_matches('/').to_string(),
            runtime,
        }))
    }

    /// `s3://bucket/prefix` or the folder, for messages.
    pub fn describe(&self) -> String {
        match self {
            Target::S3 { bucket, prefix, .. } if prefix.is_empty() => format!("s3://{bucket}"),
            Target::S3 { bucket, prefix, .. } => format!("s3://{bucket}/{prefix}"),
            Target::Folder(dir) => dir.display().to_string(),
        }
    }

    fn failed(&self, e: impl std::fmt::Display) -> TargetError {
        TargetError::Storage {
            target: self.describe(),
            reason: e.to_string(),
        }
    }

    fn s3_path(prefix: &str, key: &str) -> Path {
        if prefix.is_empty() {
            Path::from(key)
        } else {
            Path::from(format!("{prefix}/{key}"))
        }
    }

    fn file(dir: &FsPath, key: &str, content_type: &str) -> PathBuf {
        if content_type.starts_with("text/html") {
            dir.join(format!("{key}.html"))
        } else {
            dir.join(key)
        }
    }

    /// Puts one object (replacing any of that key).
    pub fn put(&self, key: &str, body: &[u8], content_type: &'static str) -> Result<()> {
        match self {
            Target::S3 {
                store,
                prefix,
                runtime,
                ..
            } => {
                let path = Self::s3_path(prefix, key);
                let put = store.put_opts(
                    &path,
                    PutPayload::from(body.to_vec()),
                    put_options(content_type),
                );
                runtime
                    .block_on(put)
                    .map(|_| ())
                    .map_err(|e| self.failed(e))
            }
            Target::Folder(dir) => {
                let file = Self::file(dir, key, content_type);
                write_whole(&file, body).map_err(|e| self.failed(e))
            }
        }
    }

    /// Puts many objects, up to [`AT_ONCE`] at a time; each one's outcome,
    /// in order.
    ///
    /// Objects go in waves by depth (`p/T`, then `p/T/statement`, then
    /// `p/T/invoices/N`), so a page and the pages under it are never in
    /// flight together: stores built on a file tree (SeaweedFS's filer)
    /// answered 200 to both and kept only the one below, losing the
    /// balance page without an error.
    pub fn put_all(&self, objects: &[&super::site::Object]) -> Vec<Result<()>> {
        let Target::S3 {
            store,
            prefix,
            runtime,
            ..
        } = self
        else {
            return objects
                .iter()
                .map(|o| self.put(&o.key, &o.body, o.content_type))
                .collect();
        };
        let mut outcomes: Vec<Option<Result<()>>> = objects.iter().map(|_| None).collect();
        let mut depths: Vec<usize> = objects.iter().map(|o| depth(&o.key)).collect();
        depths.sort_unstable();
        depths.dedup();
        for wave in depths {
            let puts = objects
                .iter()
                .enumerate()
                .filter(|(_, o)| depth(&o.key) == wave)
                .map(|(i, o)| {
                    let path = Self::s3_path(prefix, &o.key);
                    let payload = PutPayload::from(o.body.clone());
                    let store = Arc::clone(store);
                    async move {
                        let opts = put_options(o.content_type);
                        (i, store.put_opts(&path, payload, opts).await.map(|_| ()))
                    }
                });
            let done: Vec<_> = runtime.block_on(
                futures_util::stream::iter(puts)
                    .buffer_unordered(AT_ONCE)
                    .collect::<Vec<_>>(),
            );
            for (i, r) in done {
                outcomes[i] = Some(r.map_err(|e| self.failed(e)));
            }
        }
        outcomes
            .into_iter()
            .map(|o| o.unwrap_or_else(|| Err(self.failed("not sent"))))
            .collect()
    }

    /// Deletes one object; one that is not there is not an error.
    pub fn delete(&self, key: &str, content_type: &str) -> Result<()> {
        match self {
            Target::S3 {
                store,
                prefix,
                runtime,
                ..
            } => {
                let path = Self::s3_path(prefix, key);
                match runtime.block_on(store.delete(&path)) {
                    Ok(()) | Err(object_store::Error::NotFound { .. }) => Ok(()),
                    Err(e) => Err(self.failed(e)),
                }
            }
            Target::Folder(dir) => match std::fs::remove_file(Self::file(dir, key, content_type)) {
                Err(e) if e.kind() != std::io::ErrorKind::NotFound => Err(self.failed(e)),
                _ => Ok(()),
            },
        }
    }

    /// The tokens that have pages in storage (`p/TOKEN…`), read with the
    /// owner's credentials: what a full publish compares with the live
    /// links.
    pub fn stored_tokens(&self) -> Result<Vec<String>> {
        let mut tokens = std::collections::BTreeSet::new();
        match self {
            Target::S3 {
                store,
                prefix,
                runtime,
                ..
            } => {
                let under = Self::s3_path(prefix, "p");
                let listed: Vec<_> = runtime.block_on(store.list(Some(&under)).collect());
                for meta in listed {
                    let meta = meta.map_err(|e| self.failed(e))?;
                    let key = meta.location.as_ref();
                    let rest = key.strip_prefix(under.as_ref()).unwrap_or(key);
                    if let Some(t) = rest.trim_start_matches('/').split('/').next() {
                        tokens.insert(t.to_string());
                    }
                }
            }
            Target::Folder(dir) => {
                let Ok(entries) = std::fs::read_dir(dir.join("p")) else {
                    return Ok(Vec::new());
                };
                for e in entries.flatten() {
                    let name = e.file_name().to_string_lossy().into_owned();
                    tokens.insert(name.trim_end_matches(".html").to_string());
                }
            }
        }
        Ok(tokens.into_iter().collect())
    }

    /// Removes every object of a token's pages (a revoked link whose
    /// pages tally no longer has a record of).
    pub fn delete_token(&self, token: &str) -> Result<()> {
        match self {
            Target::S3 {
                store,
                prefix,
                runtime,
                ..
            } => {
                let under = Self::s3_path(prefix, &format!("p/{token}"));
                let page = under.clone();
                let listed: Vec<_> = runtime.block_on(store.list(Some(&under)).collect());
                let mut paths = vec![page];
                for meta in listed {
                    paths.push(meta.map_err(|e| self.failed(e))?.location);
                }
                for p in paths {
                    match runtime.block_on(store.delete(&p)) {
                        Ok(()) | Err(object_store::Error::NotFound { .. }) => {}
                        Err(e) => return Err(self.failed(e)),
                    }
                }
                Ok(())
            }
            Target::Folder(dir) => {
                let p = dir.join("p");
                let _ = std::fs::remove_file(p.join(format!("{token}.html")));
                match std::fs::remove_dir_all(p.join(token)) {
                    Err(e) if e.kind() != std::io::ErrorKind::NotFound => Err(self.failed(e)),
                    _ => Ok(()),
                }
            }
        }
    }
}

/// How every object is stored: its type, and `no-cache` so a phone
/// always asks for the current page.
fn put_options(content_type: &'static str) -> PutOptions {
    PutOptions {
        attributes: Attributes::from_iter([
            (Attribute::ContentType, content_type),
            (Attribute::CacheControl, "no-cache"),
        ]),
        ..Default::default()
    }
}

/// Writes a file whole: a reader sees the old page or the new, never half.
fn write_whole(file: &FsPath, body: &[u8]) -> std::io::Result<()> {
    if let Some(dir) = file.parent() {
        std::fs::create_dir_all(dir)?;
    }
    let tmp = file.with_extension(format!("partial-{}", std::process::id()));
    std::fs::write(&tmp, body)?;
    std::fs::rename(&tmp, file)
}

/// (key id, secret, session token) from the AWS credentials file, in the
/// section `AWS_PROFILE` names, else `[default]`.
fn profile_credentials() -> Option<(String, String, Option<String>)> {
    let file = std::env::var_os("AWS_SHARED_CREDENTIALS_FILE")
        .map(PathBuf::from)
        .or_else(|| directories::BaseDirs::new().map(|d| d.home_dir().join(".aws/credentials")))?;
    let text = std::fs::read_to_string(file).ok()?;
    let profile = std::env::var("AWS_PROFILE").unwrap_or_else(|_| "default".into());
    let mut in_section = false;
    let (mut id, mut secret, mut session) = (None, None, None);
    for line in text.lines().map(str::trim) {
        if let Some(name) = line.strip_prefix('[').and_then(|l| l.strip_suffix(']')) {
            in_section = name.trim() == profile;
            continue;
        }
        let Some((k, v)) = line.split_once('=') else {
            continue;
        };
        if !in_section {
            continue;
        }
        let v = v.trim().to_string();
        match k.trim() {
            "aws_access_key_id" => id = Some(v),
            "aws_secret_access_key" => secret = Some(v),
            "aws_session_token" => session = Some(v),
            _ => {}
        }
    }
    Some((id?, secret?, session))
}

/// How many folders deep a key is: `p/T` 1, `p/T/statement` 2.
fn depth(key: &str) -> usize {
    key.matches('/').count()
}
