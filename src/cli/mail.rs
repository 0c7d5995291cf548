//! `tally mail …` (test, send, outbox, retry) and `tally reminders run`,
//! and the short send after every command that wrote.

use anyhow::{Result, anyhow};
use clap::{Args, Subcommand};
use serde_json::json;

use super::output::{esay, print_json, say, table};
use crate::mail::{Mailer, Outgoing, Sender};
use crate::ops::Book;
use crate::ops::mail::ReminderOutcome;

#[derive(Debug, Subcommand)]
pub enum MailCmd {
    /// Send one test message to ADDRESS now and print the server's answer.
    Test {
        /// Where to send it.
        address: String,
    },
    /// Send what waits in the outbox (each command also does, briefly).
    Send,
    /// What was queued, sent, failed, or may have been sent; newest first.
    Outbox {
        /// Every message, sent ones too.
        #[arg(long)]
        all: bool,
        #[arg(long)]
        json: bool,
    },
    /// Queue a failed message, or one that may have been sent, again.
    Retry {
        /// The message id (the ID column of `tally mail outbox`).
        id: i64,
    },
}

#[derive(Debug, Subcommand)]
pub enum RemindersCmd {
    /// Email the reminders the `[collections] schedule` has due: each step
    /// once per invoice, never to a customer who owes nothing or whose
    /// invoices are paused.
    Run {
        /// Run as if today were this date, YYYY-MM-DD.
        #[arg(long, allow_hyphen_values = true)]
        date: Option<String>,
    },
}

impl MailCmd {
    pub fn writes(&self) -> bool {
        !matches!(self, MailCmd::Outbox { .. } | MailCmd::Test { .. })
    }
}

pub fn run(book: &mut Book, cmd: MailCmd) -> Result<()> {
    match cmd {
        MailCmd::Test { address } => test(book.config(), &address),
        MailCmd::Send => {
            let mailer = mailer(book.config())?;
            let r = Sender { mailer: &mailer }.due(book, None)?;
            say!("{}", describe_run(&r, mailer.server()));
            if let Some(why) = r.unreachable {
                return Err(anyhow!("{why}"));
            }
            Ok(())
        }
        MailCmd::Outbox { all, json } => outbox(book, all, json),
        MailCmd::Retry { id } => {
            book.retry_message(id)?;
            say!("Message {id} is queued again");
            Ok(())
        }
    }
}

fn mailer(config: &crate::config::Config) -> Result<Mailer> {
    Mailer::from_config(&config.mail)?.ok_or_else(|| {
        anyhow!("mail is not set up: add a [mail] section (server, from) to the config; see config.example.toml")
    })
}

/// Sends one message now, straight to the server (not through the
/// outbox), and prints its answer.
pub fn test(config: &crate::config::Config, address: &str) -> Result<()> {
    if crate::domain::mail::Mailbox::parse(address).is_none() {
        return Err(anyhow!(
            "\"{address}\" is not an email address: use the form name@example.com"
        ));
    }
    let mailer = mailer(config)?;
    let business = &config.business.name;
    let letter = crate::mail::compose::Letter {
        subject: format!("Test message from {business}"),
        greeting: "Hello,".into(),
        paragraphs: vec![format!(
            "This is a test from tally: mail from {business} reaches this address."
        )],
        signature: business.clone(),
        ..Default::default()
    };
    let reply = mailer.send(&Outgoing {
        id: 0,
        to: address,
        subject: &letter.subject_line(),
        text: &letter.text(),
        html: &letter.html(),
        attachment: None,
    })?;
    say!("Sent to {address} through {}: {reply}", mailer.server());
    Ok(())
}

fn outbox(book: &Book, all: bool, json: bool) -> Result<()> {
    let now = book.clock().now();
    let messages = book.outbox(!all, 500)?;
    let state = |m: &crate::store::Message| {
        if m.lost_in_flight(now) {
            "may have been sent"
        } else {
            m.state.as_str()
        }
    };
    if json {
        let items = messages
            .iter()
            .map(|m| {
                json!({
                    "id": m.id,
                    "kind": m.kind.as_str(),
                    "customer": m.customer.0,
                    "invoice": m.invoice.map(|i| i.0),
                    "to": m.recipient,
                    "subject": m.subject,
                    "state": state(m),
                    "attempts": m.attempts,
                    "created_at": m.created_at.to_rfc3339(),
                    "next_at": m.next_at.to_rfc3339(),
                    "sent_at": m.sent_at.map(|t| t.to_rfc3339()),
                    "reply": m.reply,
                })
            })
            .collect();
        return print_json(&items);
    }
    if messages.is_empty() {
        say!(
            "{}",
            if all {
                "No mail yet."
            } else {
                "Nothing waits to be sent and nothing failed."
            }
        );
        return Ok(());
    }
    let rows: Vec<Vec<String>> = messages
        .iter()
        .map(|m| {
            vec![
                m.id.to_string(),
                m.kind.as_str().into(),
                m.customer.to_string(),
                m.recipient.clone(),
                state(m).into(),
                m.attempts.to_string(),
                m.reply.clone().unwrap_or_default(),
            ]
        })
        .collect();
    table(
        &[
            "ID",
            "KIND",
            "CUSTOMER",
            "TO",
            "STATE",
            "TRIES",
            "LAST ANSWER",
        ],
        &rows,
        &[0, 2, 5],
    )
}

/// `reminders run`, and the reminders `billing run` sends.
pub fn reminders(book: &mut Book, date: Option<chrono::NaiveDate>) -> Result<()> {
    if !book.config().mail.is_set() {
        return Err(anyhow!(
            "mail is not set up: reminders go by email; add a [mail] section to the config"
        ));
    }
    let clock = book.clock();
    if let Some(d) = date {
        let noon = d.and_hms_opt(12, 0, 0).unwrap_or_default().and_utc();
        book.set_clock(crate::ops::Clock::Fixed(noon));
    }
    let ran = book.run_reminders();
    book.set_clock(clock);
    let ran = ran?;
    if ran.is_empty() {
        say!("No reminder is due");
    }
    for r in ran {
        match r.outcome {
            ReminderOutcome::Queued {
                tone,
                message,
                to,
                invoices,
            } => say!(
                "Customer {} {}: {tone} reminder for {invoices} queued to {to} (message {message})",
                r.customer,
                r.name
            ),
            ReminderOutcome::NoAddress => say!(
                "Customer {} {}: a reminder is due but they have no email address",
                r.customer,
                r.name
            ),
        }
    }
    Ok(())
}

pub fn reminders_cmd(book: &mut Book, cmd: RemindersCmd) -> Result<()> {
    let RemindersCmd::Run { date } = cmd;
    let today = book.clock().today();
    let date = date
        .map(|d| crate::domain::date::parse_date(&d, today).map_err(|e| anyhow!("--date {e}")))
        .transpose()?;
    reminders(book, date)
}

fn describe_run(r: &crate::mail::Run, server: &str) -> String {
    let mut parts = vec![format!("{} sent", r.sent)];
    if r.later > 0 {
        parts.push(format!("{} put off by the server", r.later));
    }
    if r.failed > 0 {
        parts.push(format!("{} refused (`tally mail outbox`)", r.failed));
    }
    parts.push(format!("{} waiting", r.waiting));
    format!("Mail through {server}: {}", parts.join(", "))
}

/// After a command that wrote: what it queued goes out at once, for at
/// most a few seconds; the rest waits for the next command, the TUI or
/// `tally mail send`. Never fails the command: it is done.
pub fn send_briefly(book: &mut Book) {
    if !book.config().mail.is_set() {
        return;
    }
    match book.outbox_counts() {
        Ok(c) if c.queued == 0 => return,
        Err(_) => return,
        Ok(_) => {}
    }
    let mailer = match Mailer::from_config(&book.config().mail) {
        Ok(Some(m)) => m,
        Ok(None) => return,
        Err(e) => {
            esay!("mail not sent ({e}): it waits in the outbox");
            return;
        }
    };
    match (Sender { mailer: &mailer }).due(book, Some(std::time::Duration::from_secs(5))) {
        Ok(r) => {
            if let Some(why) = &r.unreachable {
                esay!(
                    "mail not sent ({why}): {} waiting in the outbox; `tally mail send` sends them",
                    r.waiting
                );
            } else if r.failed > 0 || r.later > 0 {
                esay!(
                    "{} (`tally mail outbox`)",
                    describe_run(&r, mailer.server())
                );
            }
        }
        Err(e) => esay!("mail not sent: {e}"),
    }
}

#[derive(Debug, Args)]
pub struct NoEmail {
    /// Do not email it, even with mail set up.
    #[arg(long)]
    pub no_email: bool,
}
