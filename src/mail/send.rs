//! The only code that talks to the mail server: one message at a time
//! over SMTP through `lettre`, with TLS or STARTTLS, and what the
//! server's answer means for the outbox.
//!
//! Invariants: the password comes from `TALLY_MAIL_PASSWORD` or the
//! configured password command, read when a sender starts and never
//! written anywhere; every exchange gives up within [`TIMEOUT`].

use std::time::Duration;

use lettre::message::header::ContentType;
use lettre::message::{Attachment, Mailbox as LettreMailbox, MultiPart, SinglePart};
use lettre::transport::smtp::authentication::Credentials;
use lettre::transport::smtp::extension::ClientId;
use lettre::{Message, SmtpTransport, Transport};

use crate::config::Mail as MailConfig;
use crate::domain::mail::Mailbox;

/// How long one SMTP exchange may take (connect, each reply).
pub const TIMEOUT: Duration = Duration::from_secs(30);

#[derive(Debug, thiserror::Error)]
pub enum MailError {
    #[error("[mail] {0}")]
    Config(String),
    /// The server could not be reached, or the connection failed: not the
    /// message's fault; it waits.
    #[error("cannot reach {server}: {reason}")]
    Unreachable { server: String, reason: String },
    /// A 4xx answer: try again later.
    #[error("{server} put it off: {reply}")]
    Later { server: String, reply: String },
    /// A 5xx answer, or an address no server would take: for good.
    #[error("{server} refused it: {reply}")]
    Refused { server: String, reply: String },
}

/// A message ready to go, as the outbox holds it.
pub struct Outgoing<'a> {
    /// The outbox id, for a Message-ID that stays the same if the owner
    /// sends it again.
    pub id: i64,
    pub to: &'a str,
    pub subject: &'a str,
    pub text: &'a str,
    pub html: &'a str,
    pub attachment: Option<(&'a str, &'a [u8])>,
}

/// A connection setting to the owner's mail server.
pub struct Mailer {
    transport: SmtpTransport,
    from: LettreMailbox,
    reply_to: Option<LettreMailbox>,
    server: String,
}

impl Mailer {
    /// The mailer `[mail]` describes; `None` when mail is not set up.
    pub fn from_config(m: &MailConfig) -> Result<Option<Mailer>, MailError> {
        if !m.is_set() {
            return Ok(None);
        }
        let from = mailbox(&m.from)
            .ok_or_else(|| MailError::Config(format!("from \"{}\" is not an address", m.from)))?;
        let reply_to =
            match m.reply_to.trim() {
                "" => None,
                r => Some(mailbox(r).ok_or_else(|| {
                    MailError::Config(format!("reply_to \"{r}\" is not an address"))
                })?),
            };
        let host = m.server.trim();
        let builder = match m.security.as_str() {
            "tls" => SmtpTransport::relay(host),
            "none" => Ok(SmtpTransport::builder_dangerous(host)),
            _ => SmtpTransport::starttls_relay(host),
        }
        .map_err(|e| MailError::Config(format!("server \"{host}\": {e}")))?;
        let domain = from.email.domain().to_string();
        let mut builder = builder
            .port(m.port())
            .timeout(Some(TIMEOUT))
            .hello_name(ClientId::Domain(domain));
        if !m.user.trim().is_empty() {
            let password = password(m)?;
            builder = builder.credentials(Credentials::new(m.user.trim().to_string(), password));
        }
        Ok(Some(Mailer {
            transport: builder.build(),
            from,
            reply_to,
            server: format!("{host}:{}", m.port()),
        }))
    }

    /// Where mail goes: `host:port`.
    pub fn server(&self) -> &str {
        &self.server
    }

    /// Sends one message; the server's answer ("250 2.0.0 Ok: queued").
    pub fn send(&self, out: &Outgoing<'_>) -> Result<String, MailError> {
        let message = self.build(out)?;
        match self.transport.send(&message) {
            Ok(r) => Ok(format!(
                "{} {}",
                r.code(),
                r.message().collect::<Vec<_>>().join(" ")
            )),
            Err(e) => Err(self.classify(&e)),
        }
    }

    fn build(&self, out: &Outgoing<'_>) -> Result<Message, MailError> {
        let refused = |why: String| MailError::Refused {
            server: self.server.clone(),
            reply: why,
        };
        let to =
            mailbox(out.to).ok_or_else(|| refused(format!("\"{}\" is not an address", out.to)))?;
        let mut b = Message::builder()
            .from(self.from.clone())
            .to(to)
            .subject(out.subject)
            .date_now()
            .message_id(Some(format!(
                "<tally.{}.{:016x}@{}>",
                out.id,
                fingerprint(out),
                self.from.email.domain()
            )));
        if let Some(r) = &self.reply_to {
            b = b.reply_to(r.clone());
        }
        let body = MultiPart::alternative_plain_html(out.text.to_string(), out.html.to_string());
        let built = match out.attachment {
            None => b.multipart(body),
            Some((name, bytes)) => {
                let kind = ContentType::parse("text/html; charset=utf-8")
                    .unwrap_or(ContentType::TEXT_HTML);
                let file: SinglePart = Attachment::new(name.to_string()).body(bytes.to_vec(), kind);
                b.multipart(MultiPart::mixed().multipart(body).singlepart(file))
            }
        };
        built.map_err(|e| refused(e.to_string()))
    }

    fn classify(&self, e: &lettre::transport::smtp::Error) -> MailError {
        let server = self.server.clone();
        let reply = e.to_string();
        if e.is_transient() {
            MailError::Later { server, reply }
        } else if e.is_permanent() {
            MailError::Refused { server, reply }
        } else {
            MailError::Unreachable {
                server,
                reason: reply,
            }
        }
    }
}

/// Our mailbox parsed into lettre's (the same rules, then lettre's own).
fn mailbox(s: &str) -> Option<LettreMailbox> {
    let m = Mailbox::parse(s)?;
    let address = m.address.parse().ok()?;
    Some(LettreMailbox::new(m.name, address))
}

/// The password: `TALLY_MAIL_PASSWORD`, else the password command's first
/// line of output.
fn password(m: &MailConfig) -> Result<String, MailError> {
    if let Ok(p) = std::env::var("TALLY_MAIL_PASSWORD") {
        return Ok(p);
    }
    let command = m.password_command.trim();
    if command.is_empty() {
        return Err(MailError::Config(format!(
            "user \"{}\" needs a password: set TALLY_MAIL_PASSWORD or [mail] password_command",
            m.user
        )));
    }
    let out = std::process::Command::new("sh")
        .args(["-c", command])
        .stdin(std::process::Stdio::null())
        .output()
        .map_err(|e| MailError::Config(format!("password_command could not run: {e}")))?;
    if !out.status.success() {
        return Err(MailError::Config(format!(
            "password_command failed ({}): {}",
            out.status,
            String::from_utf8_lossy(&out.stderr).trim()
        )));
    }
    Ok(String::from_utf8_lossy(&out.stdout)
        .lines()
        .next()
        .unwrap_or("")
        .to_string())
}

/// A stable fingerprint of what a message says (64-bit FNV-1a).
fn fingerprint(out: &Outgoing<'_>) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for part in [out.to, out.subject, out.text] {
        for b in part.bytes().chain([0]) {
            h ^= u64::from(b);
            h = h.wrapping_mul(0x0100_0000_01b3);
        }
    }
    h
}
