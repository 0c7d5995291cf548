//! Mail to customers as use cases: what is queued when an invoice is
//! finalized or a payment recorded, the reminder schedule, statements on
//! demand, and the outbox as the owner and the sender see it.
//!
//! Invariants:
//! - A message is queued in the same transaction as the change that
//!   causes it, from what that transaction reads; nothing is sent here.
//! - It goes to whoever is asked to pay (`ops::payer`): the parent for a
//!   sub-client billed to it; their primary contact's address, else their
//!   own. A customer with portal delivery gets no invoice email (the
//!   invoice is on their page); receipts, reminders and statements still go.
//! - Each step of the reminder schedule goes once per invoice
//!   (`reminder_steps`), never to a customer who owes nothing or whose
//!   invoices are paused.

use chrono::NaiveDate;
use rust_decimal::Decimal;

use super::links::{new_token, reminder_in};
use super::{Book, Ctx, OpsError, Result, find_customer, payer};
use crate::domain::customer::{Customer, CustomerId};
use crate::domain::invoice::InvoiceId;
use crate::domain::link::{self, first_name};
use crate::domain::mail::{Kind, Mailbox, reached_step};
use crate::mail::compose::Letter;
use crate::store::{Message, NewMessage, OutboxCounts, Reads, Taken, Tx};

/// What became of a message a change could have sent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Delivery {
    /// In the outbox: its id and recipient.
    Queued(i64, String),
    /// Mail is not set up, or this command said `--no-email`.
    Off,
    /// The customer takes invoices on their page (portal delivery).
    Portal(CustomerId),
    /// Nobody to send it to: the customer (or the parent billed) has no
    /// email address and no primary contact with one.
    NoAddress(CustomerId),
}

impl Delivery {
    /// One line for the owner.
    pub fn describe(&self, what: &str) -> String {
        match self {
            Delivery::Queued(id, to) => format!("{what} emailed to {to} (message {id})"),
            Delivery::Off => format!("{what} not emailed"),
            Delivery::Portal(c) => {
                format!("{what} not emailed: customer {c} takes invoices on their page")
            }
            Delivery::NoAddress(c) => format!(
                "{what} not emailed: customer {c} has no email address (add one with `tally customer edit {c} --email …`)"
            ),
        }
    }
}

/// What `reminders run` did for one payer.
#[derive(Debug, Clone, PartialEq)]
pub struct ReminderRun {
    pub customer: CustomerId,
    pub name: String,
    pub outcome: ReminderOutcome,
}

#[derive(Debug, Clone, PartialEq)]
pub enum ReminderOutcome {
    /// A reminder was queued: tone, message id, recipient, invoices.
    Queued {
        tone: &'static str,
        message: i64,
        to: String,
        invoices: String,
    },
    /// A step was due but the payer has no address.
    NoAddress,
}

impl Ctx<'_> {
    /// Queues "invoice ready" for a just-finalized invoice, when mail is on.
    pub(super) fn mail_invoice(&self, tx: &Tx<'_>, invoice: InvoiceId) -> Result<Delivery> {
        if !(self.email && self.config.mail.invoices) {
            return Ok(Delivery::Off);
        }
        let r = tx.reads();
        let inv = super::find_invoice(&r, &crate::domain::invoice::InvoiceRef::Id(invoice))?;
        let customer = find_customer(&r, inv.customer_id)?;
        let payer = payer::billed_to(&r, &customer)?.unwrap_or(customer);
        if payer.portal_delivery {
            return Ok(Delivery::Portal(payer.id));
        }
        let Some((to, greeted)) = recipient(&r, &payer)? else {
            return Ok(Delivery::NoAddress(payer.id));
        };
        let url = self.ensure_link(tx, payer.id)?;
        let today = self.clock.today();
        let doc = super::invoices::invoice_doc_in(&tx.reads(), self.config, inv, today)?;
        let cur = r.currency();
        let label = doc.invoice.label();
        let due = doc
            .invoice
            .due_date
            .map(|d| d.to_string())
            .unwrap_or_default();
        let amount = cur.display(doc.invoice.remaining());
        let mut paragraphs = vec![format!(
            "Your invoice {label} from {} is ready.",
            self.config.business.name
        )];
        if let Some(sub) = &doc.on_behalf_of {
            paragraphs.push(format!("It is for {sub}, billed to you."));
        }
        paragraphs.push("The invoice is attached. You can view it and pay online:".into());
        let letter = Letter {
            subject: format!(
                "Invoice {label} from {}: {amount} due {due}",
                self.config.business.name
            ),
            greeting: format!("Hi {},", first_name(&greeted)),
            paragraphs,
            facts: vec![
                ("Invoice".into(), label.clone()),
                ("Amount due".into(), amount),
                ("Due date".into(), due),
            ],
            link: Some(("View and pay".into(), url)),
            signature: self.signature(),
        };
        let attachment = Some((format!("{label}.html"), doc.html().into_bytes()));
        self.queue(
            tx,
            Kind::Invoice,
            &payer,
            Some(invoice),
            &to,
            &letter,
            attachment,
        )
    }

    /// Queues a receipt for money received from `customer`, when mail is on.
    pub(super) fn mail_receipt(
        &self,
        tx: &Tx<'_>,
        customer: CustomerId,
        amount: Decimal,
        date: NaiveDate,
        invoice: Option<(InvoiceId, String)>,
    ) -> Result<Delivery> {
        if !(self.email && self.config.mail.receipts) {
            return Ok(Delivery::Off);
        }
        let r = tx.reads();
        let c = find_customer(&r, customer)?;
        let payer = payer::billed_to(&r, &c)?.unwrap_or(c.clone());
        let Some((to, greeted)) = recipient(&r, &payer)? else {
            return Ok(Delivery::NoAddress(payer.id));
        };
        let cur = r.currency();
        let group = payer::group(&r, payer.clone())?;
        let owed = group.owed();
        let credit = crate::domain::figures::net_credit(group.balance());
        let mut facts = vec![
            ("Received".into(), cur.display(amount)),
            ("Date".into(), date.to_string()),
        ];
        if let Some((_, label)) = &invoice {
            facts.push(("For".into(), label.clone()));
        }
        if payer.id != customer {
            facts.push(("On behalf of".into(), c.name.clone()));
        }
        if credit.is_zero() {
            facts.push(("You owe now".into(), cur.display(owed)));
        } else {
            facts.push(("Your credit".into(), cur.display(credit)));
        }
        let link = r.active_link(payer.id)?.map(|l| {
            (
                "Your account".to_string(),
                link::url(&self.config.portal.base_url, &l.token),
            )
        });
        let letter = Letter {
            subject: format!(
                "Receipt from {}: {} received",
                self.config.business.name,
                cur.display(amount)
            ),
            greeting: format!("Hi {},", first_name(&greeted)),
            paragraphs: vec!["Thank you: we received your payment.".into()],
            facts,
            link,
            signature: self.signature(),
        };
        let inv = invoice.map(|(id, _)| id);
        self.queue(tx, Kind::Receipt, &payer, inv, &to, &letter, None)
    }

    /// Puts `letter` in the outbox and says so on the payer's timeline.
    #[allow(clippy::too_many_arguments)]
    fn queue(
        &self,
        tx: &Tx<'_>,
        kind: Kind,
        payer: &Customer,
        invoice: Option<InvoiceId>,
        to: &str,
        letter: &Letter,
        attachment: Option<(String, Vec<u8>)>,
    ) -> Result<Delivery> {
        let now = self.clock.now();
        let id = tx.queue_message(
            &NewMessage {
                kind,
                customer: payer.id,
                invoice,
                recipient: to.to_string(),
                subject: letter.subject_line(),
                text: letter.text(),
                html: letter.html(),
                attachment,
            },
            now,
            // Due at once, even when the book's clock is set to a day
            // ahead (`reminders run --date`).
            now.min(chrono::Utc::now()),
        )?;
        let detail = format!(
            "{} email to {to} queued (message {id}): {}",
            kind.as_str(),
            letter.subject_line()
        );
        tx.log(payer.id, now, self.actor, "mail.queued", &detail)?;
        Ok(Delivery::Queued(id, to.to_string()))
    }

    /// The payer's live link, made now (in this transaction) if they have
    /// none: a message that asks for money carries the way to pay.
    fn ensure_link(&self, tx: &Tx<'_>, customer: CustomerId) -> Result<String> {
        let base = &self.config.portal.base_url;
        if let Some(l) = tx.reads().active_link(customer)? {
            return Ok(link::url(base, &l.token));
        }
        let token = new_token()?;
        let now = self.clock.now();
        tx.insert_link(customer, &token, now)?;
        tx.log(
            customer,
            now,
            self.actor,
            "link.generated",
            "Payment link generated for an email",
        )?;
        Ok(link::url(base, &token))
    }

    fn signature(&self) -> String {
        let b = &self.config.business;
        [b.name.as_str(), b.email.as_str(), b.phone.as_str()]
            .into_iter()
            .filter(|s| !s.trim().is_empty())
            .collect::<Vec<_>>()
            .join(" · ")
    }

    /// The reminder step due now for `payer`'s group, queued; `None` when
    /// no step is due (or nothing is owed, or invoices are paused).
    fn remind_in(
        &self,
        tx: &Tx<'_>,
        payer_id: CustomerId,
        force: bool,
    ) -> Result<Option<ReminderOutcome>> {
        let r = tx.reads();
        let today = self.clock.today();
        let schedule = &self.config.collections.schedule;
        let asked = payer::asked_for(&r, payer_id, today)?;
        if asked.payer.invoices_paused || asked.owed.is_zero() || asked.past_due.amount.is_zero() {
            return Ok(None);
        }
        // Each past-due invoice of an unpaused customer with a step it
        // has not had: (invoice, index of the latest step reached).
        let mut due = Vec::new();
        for inv in &asked.past_due.invoices {
            let Some(i) = r.invoice(inv.id)? else {
                continue;
            };
            if find_customer(&r, i.customer_id)?.invoices_paused {
                continue;
            }
            let reached = reached_step(schedule, inv.days_late);
            let had = r.reminder_steps(inv.id)?;
            match reached {
                Some(k) if !had.contains(&schedule[k]) => due.push((inv.id, Some(k))),
                _ if force => due.push((inv.id, None)),
                _ => {}
            }
        }
        let Some(step) = due.iter().map(|(_, k)| *k).max() else {
            return Ok(None);
        };
        let Some((to, _)) = recipient(&r, &asked.payer)? else {
            return Ok(Some(ReminderOutcome::NoAddress));
        };
        self.ensure_link(tx, payer_id)?;
        let template = match step {
            Some(k) => self.config.collections.for_step(k),
            None => {
                let days = asked.past_due.days_late().unwrap_or(1);
                self.config.collections.for_days(days)
            }
        };
        let reminder = reminder_in(&tx.reads(), self.config, payer_id, today, Some(template))?;
        let letter = reminder_letter(self, &r, &reminder);
        let Delivery::Queued(message, to) =
            self.queue(tx, Kind::Reminder, &asked.payer, None, &to, &letter, None)?
        else {
            return Ok(None);
        };
        let now = self.clock.now();
        for (invoice, reached) in &due {
            let Some(k) = reached else { continue };
            tx.record_step(*invoice, schedule[*k], "sent", now, Some(message))?;
            for earlier in &schedule[..*k] {
                tx.record_step(*invoice, *earlier, "passed", now, None)?;
            }
        }
        self.log_reminder(tx, payer_id, &reminder, &format!("emailed to {to}"))?;
        Ok(Some(ReminderOutcome::Queued {
            tone: reminder.tone,
            message,
            to,
            invoices: reminder.past_due.numbers(),
        }))
    }
}

/// A reminder as a letter: the configured text, then what is late.
fn reminder_letter(cx: &Ctx<'_>, r: &Reads<'_>, reminder: &super::ReminderText) -> Letter {
    let cur = r.currency();
    let business = &cx.config.business.name;
    let subject = match reminder.tone {
        "final" => format!(
            "Final notice from {business}: {} past due",
            cur.display(reminder.past_due.amount)
        ),
        "firm" => format!(
            "Second reminder from {business}: {} past due",
            cur.display(reminder.past_due.amount)
        ),
        _ => format!(
            "Reminder from {business}: {} past due",
            cur.display(reminder.past_due.amount)
        ),
    };
    let mut facts: Vec<(String, String)> = reminder
        .past_due
        .invoices
        .iter()
        .map(|i| {
            (
                format!("{} ({} days late)", i.number, i.days_late),
                cur.display(i.remaining),
            )
        })
        .collect();
    facts.push(("Past due".into(), cur.display(reminder.past_due.amount)));
    if reminder.past_due.amount < reminder.owed {
        facts.push(("Whole balance".into(), cur.display(reminder.owed)));
    }
    // The configured text greets and carries the link itself.
    let mut lines = reminder.text.splitn(2, ", ");
    let (greeting, rest) = match (lines.next(), lines.next()) {
        (Some(g), Some(rest)) if g.starts_with("Hi ") => (format!("{g},"), rest.to_string()),
        _ => (String::new(), reminder.text.clone()),
    };
    Letter {
        subject,
        greeting,
        paragraphs: vec![rest],
        facts,
        link: Some(("View and pay".into(), reminder.link.clone())),
        signature: cx.signature(),
    }
}

/// Whom mail for `payer` goes to: their primary contact with an address,
/// else their own address; and the name to greet.
fn recipient(r: &Reads<'_>, payer: &Customer) -> Result<Option<(String, String)>> {
    if let Some(c) = r.primary_contact(payer.id)?
        && let Some(email) = c.details.email.as_deref().filter(|e| !e.trim().is_empty())
    {
        return Ok(Some((
            Mailbox::format(&c.details.name, email),
            c.details.name,
        )));
    }
    Ok(payer
        .email
        .as_deref()
        .filter(|e| !e.trim().is_empty())
        .map(|e| (Mailbox::format(&payer.name, e), payer.name.clone())))
}

impl Book {
    /// Queues the reminders the schedule has due today (the book's clock),
    /// one transaction per payer, each rule read inside it.
    pub fn run_reminders(&mut self) -> Result<Vec<ReminderRun>> {
        if !self.config().mail.is_set() || self.config().collections.schedule.is_empty() {
            return Ok(Vec::new());
        }
        let today = self.clock().today();
        let first = self.config().collections.schedule[0];
        let candidates = self.reads().customers_past_due_by(today, first)?;
        let mut payers = Vec::new();
        for c in candidates {
            let p = self.payer(c)?;
            if !payers.contains(&p) {
                payers.push(p);
            }
        }
        let mut out = Vec::new();
        for p in payers {
            if let Some(outcome) = self.transact(|tx, cx| cx.remind_in(tx, p, false))? {
                out.push(ReminderRun {
                    customer: p,
                    name: self.customer(p)?.name,
                    outcome,
                });
            }
        }
        Ok(out)
    }

    /// Emails `customer`'s payer a reminder now, whatever the schedule
    /// says (the collections screen's "send now"); steps reached are
    /// recorded as sent. Refused when nothing is owed or past due.
    pub fn email_reminder_now(&mut self, customer: CustomerId) -> Result<ReminderOutcome> {
        self.require_mail()?;
        let payer = self.payer(customer)?;
        self.require_owed(customer)?;
        self.transact(|tx, cx| cx.remind_in(tx, payer, true))?
            .ok_or_else(|| {
                OpsError::Conflict(format!(
                    "nothing of customer {customer}'s is past due: no reminder to send"
                ))
            })
    }

    /// Marks every step `customer`'s past-due invoices have reached as
    /// skipped, so the schedule goes on from the next one.
    pub fn skip_reminders(&mut self, customer: CustomerId) -> Result<usize> {
        let schedule = self.config().collections.schedule.clone();
        self.transact(|tx, cx| {
            let today = cx.clock.today();
            let now = cx.clock.now();
            let asked = payer::asked_for(&tx.reads(), customer, today)?;
            let mut skipped = 0;
            for inv in &asked.past_due.invoices {
                let Some(k) = reached_step(&schedule, inv.days_late) else {
                    continue;
                };
                for step in &schedule[..=k] {
                    skipped += usize::from(tx.record_step(inv.id, *step, "skipped", now, None)?);
                }
            }
            tx.log(
                customer,
                now,
                cx.actor,
                "customer.reminders_skipped",
                &format!("{skipped} scheduled reminder steps skipped"),
            )?;
            Ok(skipped)
        })
    }

    /// Queues `customer`'s statement (to today) to their payer.
    pub fn email_statement(&mut self, customer: CustomerId) -> Result<Delivery> {
        self.require_mail()?;
        self.transact(|tx, cx| {
            let r = tx.reads();
            let c = find_customer(&r, customer)?;
            let payer = payer::billed_to(&r, &c)?.unwrap_or(c);
            let Some((to, greeted)) = recipient(&r, &payer)? else {
                return Ok(Delivery::NoAddress(payer.id));
            };
            let today = cx.clock.today();
            let doc = super::reports::statement_doc(&r, cx.config, payer.id, None, today)?;
            let cur = r.currency();
            let owed = payer::group(&r, payer.clone())?.owed();
            let link = r.active_link(payer.id)?.map(|l| {
                (
                    "View and pay".to_string(),
                    link::url(&cx.config.portal.base_url, &l.token),
                )
            });
            let letter = Letter {
                subject: format!("Statement from {} to {today}", cx.config.business.name),
                greeting: format!("Hi {},", first_name(&greeted)),
                paragraphs: vec!["Your statement of account is attached.".into()],
                facts: vec![
                    ("Amount due".into(), cur.display(owed)),
                    ("As of".into(), today.to_string()),
                ],
                link,
                signature: cx.signature(),
            };
            let file = Some((
                format!("statement-{today}.html"),
                doc.to_html().into_bytes(),
            ));
            cx.queue(tx, Kind::Statement, &payer, None, &to, &letter, file)
        })
    }

    fn require_mail(&self) -> Result<()> {
        if self.config().mail.is_set() {
            Ok(())
        } else {
            Err(OpsError::Conflict(
                "mail is not set up: add a [mail] section (server, from) to the config; see config.example.toml".into(),
            ))
        }
    }

    /// Takes the next message due for sending (see `store::mail`).
    pub fn take_message(&mut self) -> Result<Option<Taken>> {
        self.transact(|tx, cx| Ok(tx.take_message(cx.clock.now())?))
    }

    pub fn settle_sent(&mut self, id: i64, reply: &str) -> Result<()> {
        self.transact(|tx, cx| {
            tx.settle_sent(id, reply, cx.clock.now())?;
            Ok(())
        })
    }

    /// Back to the queue, to be tried `delay_secs` from now.
    pub fn settle_later(
        &mut self,
        id: i64,
        reply: &str,
        delay_secs: i64,
        counts: bool,
    ) -> Result<()> {
        self.transact(|tx, cx| {
            let next = cx.clock.now() + chrono::Duration::seconds(delay_secs);
            tx.settle_later(id, reply, next, counts)?;
            Ok(())
        })
    }

    pub fn settle_failed(&mut self, id: i64, reply: &str) -> Result<()> {
        self.transact(|tx, _| {
            tx.settle_failed(id, reply)?;
            Ok(())
        })
    }

    /// The owner's retry of a failed message or one that may have been
    /// sent: it is queued again now.
    pub fn retry_message(&mut self, id: i64) -> Result<()> {
        self.transact(|tx, cx| {
            let now = cx.clock.now();
            let Some(m) = tx.reads().outbox_message(id)? else {
                return Err(OpsError::Conflict(format!(
                    "no message {id} in the outbox: `tally mail outbox` lists them"
                )));
            };
            if !tx.requeue(id, now)? {
                let why = match m.state {
                    crate::domain::mail::State::Sent => "it was sent",
                    crate::domain::mail::State::Queued => "it is already waiting to be sent",
                    _ => "a sender is sending it now",
                };
                return Err(OpsError::Conflict(format!(
                    "message {id} is not retried: {why}"
                )));
            }
            tx.log(
                m.customer,
                now,
                cx.actor,
                "mail.retried",
                &format!("message {id} to {} queued again", m.recipient),
            )?;
            Ok(())
        })
    }

    pub fn outbox_counts(&self) -> Result<OutboxCounts> {
        Ok(self.reads().outbox_counts(self.clock().now())?)
    }

    pub fn outbox(&self, unsettled: bool, limit: usize) -> Result<Vec<Message>> {
        Ok(self.reads().outbox(unsettled, limit)?)
    }
}
