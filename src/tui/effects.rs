//! Performs the [`Effect`]s `App::update` asks for, through the shared use
//! cases in `ops`, and answers with result [`Action`]s. The only place the
//! TUI touches the book or the clipboard.

use super::action::{Action, CustomerLoad, CustomerSummary, InvoiceDetail, ListPage, RowsPage};
use super::effect::Effect;
use super::forms::customer::{cf, field_of as customer_error_field};
use super::forms::entry::field_of as entry_field_index;
use super::forms::payment::field_of as payment_field_index;
use super::invoicing::InvoiceOp;
use super::links::LinkOp;
use crate::clipboard::Session;
use crate::domain::CustomerId;
use crate::domain::contact::{ContactDetails, ContactId};
use crate::domain::credit::CreditError;
use crate::domain::entry::EntryField;
use crate::domain::entry::EntryId;
use crate::domain::invoice::{InvoiceId, InvoiceRef};
use crate::ops::{Book, OpsError, PaymentInput};
use crate::ops::{RefundInput, TransferInput};
use crate::store::EntryLock;
use crate::store::{Counting, CustomerQuery, InvoiceQuery, Keep};
use crate::tui::forms;
use crate::tui::reports::{ReportData, ReportKind};

pub fn run(book: &mut Book, clipboard: &mut Session, effect: Effect) -> Action {
    let result = match effect {
        Effect::LoadList {
            query,
            count,
            totals,
            keep,
        } => load_list(book, query, count, totals, keep),
        Effect::LoadCustomer {
            id,
            offset,
            limit,
            summary,
        } => load_customer(book, id, offset, limit, summary),
        Effect::SaveCustomer {
            id,
            mut details,
            parent_name,
            allow_duplicate,
        } => match parent_name.map(|n| find_parent(book, &n, id)).transpose() {
            Ok(parent) => {
                if parent.is_some() {
                    details.parent_id = parent;
                }
                save_customer(book, id, details, allow_duplicate)
            }
            Err(message) => Ok(Action::FormInvalid(vec![(cf::PARENT, message)])),
        },
        Effect::SaveEntry {
            customer,
            entry,
            kind,
            input,
        } => {
            let saved = match entry {
                Some(id) => book.edit_entry(id, &input).map(|_| id),
                None => book.post(customer, kind, &input),
            };
            saved.and_then(|id| entry_saved(book, id, entry.is_some()))
        }
        Effect::RemoveEntry { id } => book.remove_entry(id).map(|e| Action::Saved {
            message: format!(
                "Removed {} #{} ({})",
                e.kind.as_str(),
                e.id,
                book.currency().display(e.signed_amount())
            ),
            customer: e.customer_id,
        }),
        Effect::LoadInvoices { query } => load_invoices(book, query),
        Effect::LoadOpenCharges {
            customer,
            offset,
            limit,
        } => load_charges(book, customer, offset, limit),
        Effect::Invoice(InvoiceOp::Pay(id, input)) => pay(book, id, &input),
        Effect::Invoice(op) => invoice_op(book, op),
        Effect::Link(op) => link_op(book, clipboard, op),
        Effect::LoadInvoice(id) => load_invoice(book, id),
        Effect::LoadTab {
            customer,
            tab,
            offset,
            limit,
        } => book
            .snapshot(|r| Ok(crate::tui::tabs::load(r, customer, tab, offset, limit)?))
            .map(|page| Action::TabLoaded(Box::new(page))),
        Effect::Refund { customer, input } => return refund(book, customer, &input),
        Effect::Transfer { from, to, input } => return transfer(book, from, &to, &input),
        Effect::MergeCustomer { from, into } => return merge(book, from, &into),
        Effect::FirstRun { path, answers } => return first_run(book, &path, &answers),
        Effect::ArchiveCustomer { id, archive } => book.archive_customer(id, archive).map(|_| {
            let message = if archive {
                format!("Archived customer {id}: hidden from lists while the balance is zero")
            } else {
                format!("Restored customer {id} to the lists")
            };
            Action::Saved {
                message,
                customer: id,
            }
        }),
        Effect::SaveContact {
            customer,
            contact,
            details,
        } => return save_contact(book, customer, contact, details),
        // The runner starts jobs itself (it keeps their threads).
        Effect::StartJob(_) => Ok(Action::Failed(
            "commands from the menu run only in the full-screen book".into(),
        )),
        // Anything but an import starts at once; an import shows what it
        // would do first.
        Effect::PreviewJob(spec) => match super::jobs::preview(book, &spec) {
            None => return Action::StartJobNow(spec),
            Some(Ok(text)) => Ok(Action::JobPreviewed { spec, text }),
            Some(Err(why)) => Ok(Action::Failed(why)),
        },
        Effect::InspectAttachment { path, name } => {
            let text = match book.inspect_attachment(&path, name.as_deref()) {
                Ok(a) => format!(
                    "Will attach \"{}\": {}, {}",
                    a.name,
                    a.kind,
                    crate::domain::document::human_size(a.size)
                ),
                Err(e) => e.to_string(),
            };
            Ok(Action::AttachPreview(Some(text)))
        }
        Effect::AttachDocument {
            customer,
            path,
            name,
        } => book
            .add_document(customer, &path, name.as_deref())
            .and_then(|id| {
                let d = book.document(id)?;
                Ok(Action::Saved {
                    message: format!(
                        "Attached document #{id} {} ({}, {})",
                        d.name,
                        d.kind,
                        crate::domain::document::human_size(d.size)
                    ),
                    customer,
                })
            }),
        Effect::SaveDocument { id, path, replace } => {
            book.export_document(id, &path, replace).map(|n| {
                Action::Exported(format!(
                    "Saved a copy of document #{id} ({}) to {}",
                    crate::domain::document::human_size(n),
                    path.display()
                ))
            })
        }
        Effect::LoadReport(kind) => load_report(book, kind),
        Effect::Remind(id) => remind(book, clipboard, id),
        Effect::EmailReminder(id) => email_reminder(book, id),
        Effect::SkipReminders(id) => book.skip_reminders(id).map(|n| Action::Saved {
            message: format!(
                "Skipped {} for customer {id}: the schedule goes on from the next",
                crate::domain::text::count(n, "reminder step", "reminder steps")
            ),
            customer: id,
        }),
        Effect::EmailStatement(id) => book.email_statement(id).map(|d| match d {
            crate::ops::mail::Delivery::Queued(..) => Action::Saved {
                message: d.describe("Statement"),
                customer: id,
            },
            other => Action::Failed(other.describe("Statement")),
        }),
        // Its started periods are charged with it, in one transaction.
        Effect::AddContract { customer, input } => match book.add_contract(customer, &input) {
            Ok((id, periods)) => Ok(Action::Saved {
                message: format!(
                    "Contract #{id} {} made; {} charged so far",
                    input.name.trim(),
                    crate::domain::text::count(periods.len(), "period", "periods")
                ),
                customer,
            }),
            Err(OpsError::Contract(crate::domain::contract::ContractError::Field(all))) => {
                return Action::FormInvalid(
                    all.split("; ")
                        .map(|p| (forms::contract::field_of(p), p.to_string()))
                        .collect(),
                );
            }
            Err(e) => Err(e),
        },
        Effect::Statement(customer) => statement(book, customer),
        Effect::RemoveDocument(id) => book.remove_document(id).map(|d| Action::Saved {
            message: format!("Removed document #{} {}", d.id, d.name),
            customer: d.customer_id,
        }),
        Effect::RemoveContact(id) => book.remove_contact(id).map(|c| Action::Saved {
            message: format!("Removed contact #{} {}", c.id, c.details.name),
            customer: c.customer_id,
        }),
    };
    result.unwrap_or_else(failure)
}

fn load_invoice(book: &Book, id: crate::domain::InvoiceId) -> Result<Action, OpsError> {
    book.snapshot(|r| {
        let invoice = crate::ops::find_invoice(r, &InvoiceRef::Id(id))?;
        let history = r
            .timeline(invoice.customer_id, 0, 500)?
            .into_iter()
            .rev()
            .filter(|e| e.action.starts_with("invoice.") && mentions(&e.detail, &invoice))
            .collect();
        Ok(Action::InvoiceLoaded(Box::new(InvoiceDetail {
            lines: r.invoice_lines(id)?,
            payments: r.invoice_allocations(id)?,
            history,
            invoice,
        })))
    })
}

/// Whether a timeline detail is about `inv`: its number, or its draft id,
/// as whole words ("draft 1" is not "draft 12").
fn mentions(detail: &str, inv: &crate::domain::Invoice) -> bool {
    let whole = |needle: &str| {
        detail.match_indices(needle).any(|(at, _)| {
            !detail[at + needle.len()..]
                .chars()
                .next()
                .is_some_and(|c| c.is_ascii_digit())
        })
    };
    whole(&format!("draft {}", inv.id)) || inv.number.as_deref().is_some_and(whole)
}

fn load_charges(
    book: &Book,
    customer: CustomerId,
    offset: usize,
    limit: usize,
) -> Result<Action, OpsError> {
    let r = book.reads();
    Ok(Action::ChargesLoaded(RowsPage {
        customer,
        offset,
        rows: r.open_charges(customer, offset, limit)?,
        count: r.count_open_charges(customer)?,
    }))
}

fn load_invoices(book: &Book, query: InvoiceQuery) -> Result<Action, OpsError> {
    let r = book.reads();
    let customer = query.customer.unwrap_or(CustomerId(0));
    Ok(Action::InvoicesLoaded(RowsPage {
        customer,
        offset: query.offset,
        count: r.count_invoices(&query)?,
        rows: r.invoices(&query)?,
    }))
}

fn invoice_op(book: &mut Book, op: InvoiceOp) -> Result<Action, OpsError> {
    let cur = book.currency().clone();
    let (message, customer) = match op {
        InvoiceOp::Draft { customer, charges } => {
            let id = book.draft_invoice(customer, charges.as_deref())?;
            let inv = book.invoice(&InvoiceRef::Id(id))?;
            let message = format!(
                "Made {}: {}, {}. F finalizes it",
                inv.label(),
                crate::tui::plural(inv.lines, "charge"),
                cur.display(inv.total)
            );
            (message, customer)
        }
        InvoiceOp::Delete(id) => {
            let inv = book.delete_draft(&InvoiceRef::Id(id))?;
            let message = format!(
                "Deleted {}: {}",
                inv.label(),
                crate::domain::invoice::charges_open_again(inv.lines)
            );
            (message, inv.customer_id)
        }
        InvoiceOp::Finalize(id) => {
            let (inv, delivery) = book.finalize_invoice_mailed(&InvoiceRef::Id(id), None)?;
            let mut message = format!(
                "Finalized {}: {} due {}",
                inv.label(),
                cur.display(inv.total),
                inv.due_date.map(|d| d.to_string()).unwrap_or_default()
            );
            if delivery != crate::ops::mail::Delivery::Off {
                message = format!("{message}; {}", delivery.describe("invoice"));
            }
            (message, inv.customer_id)
        }
        InvoiceOp::Void(id) => {
            let inv = book.void_invoice(&InvoiceRef::Id(id))?;
            let message = format!(
                "Voided {}: credit \"Void {}\" of {} posted",
                inv.label(),
                inv.label(),
                cur.display(inv.total)
            );
            (message, inv.customer_id)
        }
        InvoiceOp::ApplyCredit(id) => {
            let (inv, applied) = book.apply_credit(&InvoiceRef::Id(id), None)?;
            let message = format!(
                "Applied {} of credit to {}: {} left",
                cur.display(applied),
                inv.label(),
                cur.display(inv.remaining())
            );
            (message, inv.customer_id)
        }
        InvoiceOp::Cancel(ids) => {
            let first = ids.first().copied().unwrap_or(InvoiceId(0));
            let customer = book.invoice(&InvoiceRef::Id(first))?.customer_id;
            let done = book.cancel_invoices(&ids)?;
            let message = format!(
                "Cancelled: {} deleted, {} voided",
                super::plural(done.deleted.len(), "draft"),
                if done.voided.is_empty() {
                    "none".to_string()
                } else {
                    done.voided.join(", ")
                }
            );
            (message, customer)
        }
        InvoiceOp::Export(id) => return export(book, id),
        InvoiceOp::Pay(id, input) => return pay(book, id, &input),
    };
    Ok(Action::Saved { message, customer })
}

fn pay(book: &mut Book, id: InvoiceId, input: &PaymentInput) -> Result<Action, OpsError> {
    match book.pay_invoice(&InvoiceRef::Id(id), input) {
        Ok((inv, credit)) => {
            let cur = book.currency();
            let paid = book.entry(credit)?.amount;
            Ok(Action::Saved {
                message: format!(
                    "Recorded {} for {}: {}, {} left",
                    cur.display(paid),
                    inv.label(),
                    inv.status.as_str(),
                    cur.display(inv.remaining())
                ),
                customer: inv.customer_id,
            })
        }
        Err(OpsError::Fields(errors)) => Ok(Action::FormInvalid(
            errors
                .into_iter()
                .map(|e| (payment_field_index(e.field), e.message))
                .collect(),
        )),
        Err(e) => Err(e),
    }
}

/// Writes the invoice as HTML next to the book, in `invoices/`, so the
/// owner can open and print it; says where.
fn export(book: &Book, id: InvoiceId) -> Result<Action, OpsError> {
    let doc = book.invoice_doc(&InvoiceRef::Id(id))?;
    let name = doc.invoice.label().replace([' ', '/', '\\'], "-");
    Ok(write_beside_book(
        book,
        "invoices",
        &format!("{name}.html"),
        &doc.html(),
    ))
}

/// `S`: the customer's statement, from their first entry to today, as a
/// printable page in `statements/` beside the book.
fn statement(book: &Book, customer: CustomerId) -> Result<Action, OpsError> {
    let doc = book.statement(customer, None, None)?;
    let name = format!("statement-{customer}-{}.html", doc.to);
    Ok(write_beside_book(book, "statements", &name, &doc.to_html()))
}

/// Writes a document into `folder` next to the book file.
fn write_beside_book(book: &Book, folder: &str, name: &str, text: &str) -> Action {
    let dir = book
        .path()
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(std::path::Path::new("."))
        .join(folder);
    let path = dir.join(name);
    match std::fs::create_dir_all(&dir).and_then(|()| std::fs::write(&path, text)) {
        Ok(()) => Action::Exported(format!("Wrote {}", path.display())),
        Err(e) => Action::Failed(format!("Cannot write {}: {e}", path.display())),
    }
}

/// Generates or regenerates (a write: the screen reloads and shows the new
/// link), or copies the link or a reminder through the run's one clipboard.
fn link_op(book: &mut Book, clipboard: &mut Session, op: LinkOp) -> Result<Action, OpsError> {
    let (what, text) = match op {
        LinkOp::Generate(id) => {
            book.generate_link(id)?;
            return Ok(Action::Saved {
                message: "Payment link generated: y copies it, m copies a reminder with it".into(),
                customer: id,
            });
        }
        LinkOp::Regenerate(id) => {
            let old = book.require_link(id)?;
            let new = book.regenerate_link(id)?;
            let message = match clipboard.last_copied() {
                // What tally copied carries the dead link: swap it for the
                // new one, so the next paste is right.
                Some((text, true)) if text.contains(&old) => {
                    match clipboard.copy(&text.replace(&old, &new)) {
                        Ok(_) => "New payment link: the old one no longer works. What you copied now carries the new link".to_string(),
                        Err(_) => "New payment link: the old one no longer works. The clipboard still holds the old link: {CopyLink} copies the new one".to_string(),
                    }
                }
                Some((text, false)) if text.contains(&old) => "New payment link: the old one no longer works. The terminal's clipboard may still hold the old link: {CopyLink} copies the new one".to_string(),
                _ => "New payment link: the old one no longer works. {CopyLink} copies the new one".to_string(),
            };
            // Published pages go within seconds (the background
            // publisher); until then the old address still answers.
            let message = if book.config().publish.target.trim().is_empty() {
                message
            } else {
                message.replace(
                    "the old one no longer works",
                    "the old one stops working when its published pages are removed, in seconds",
                )
            };
            return Ok(Action::Saved {
                message,
                customer: id,
            });
        }
        LinkOp::Copy(id) => ("Link", book.require_link(id)?),
        LinkOp::CopyReminder(id) => {
            let copied = match copy_reminder(book, clipboard, id) {
                Err(OpsError::NoLink(payer)) if payer == id => {
                    return Ok(Action::Failed(
                        "No payment link yet: press g to generate one".into(),
                    ));
                }
                Err(OpsError::NoLink(payer)) => {
                    return Ok(Action::Failed(format!(
                        "This customer is billed to customer {payer}, who has no payment link yet: generate theirs (g on their screen)"
                    )));
                }
                other => other,
            };
            let note = phone_note(book);
            return copied.map(|sent| match sent {
                Ok(message) => Action::Copied(format!("{message}{note}")),
                Err(message) => Action::Failed(format!(
                    "{message}; the link is shown above to copy by hand"
                )),
            });
        }
    };
    let note = phone_note(book);
    Ok(match clipboard.copy(&text) {
        Ok(via) => Action::Copied(format!("{}{note}", via.sentence(what))),
        Err(e) => Action::Failed(format!("{e}; the link is shown above to copy by hand")),
    })
}

/// Copies the customer's reminder, worded by how late they are, and
/// records that they were reminded: what was copied, or why it was not.
fn copy_reminder(
    book: &mut Book,
    clipboard: &mut Session,
    id: CustomerId,
) -> Result<Result<String, String>, OpsError> {
    let reminder = book.reminder(id)?;
    let what = match reminder.tone {
        "gentle" => "Gentle reminder (an invoice is past due)",
        "firm" => "Firm reminder (over 30 days past due)",
        "final" => "Final notice (over 60 days past due)",
        _ => "Reminder",
    };
    Ok(match clipboard.copy(&reminder.text) {
        // Copied to be sent: the timeline says when they were reminded.
        Ok(via) => match book.record_reminder(id, &reminder) {
            Ok(()) => Ok(via.sentence(what)),
            Err(e) => Err(e.to_string()),
        },
        Err(e) => Err(e.to_string()),
    })
}

/// `m` on the collections screen: the reminder carries the payment link,
/// so a customer without one gets one first.
/// Emails the customer's payer a reminder now (sent by the background
/// sender within seconds).
fn email_reminder(book: &mut Book, id: CustomerId) -> Result<Action, OpsError> {
    use crate::ops::mail::ReminderOutcome;
    Ok(match book.email_reminder_now(id)? {
        ReminderOutcome::Queued {
            tone, to, invoices, ..
        } => Action::Saved {
            message: format!("Emailing the {tone} reminder for {invoices} to {to}"),
            customer: id,
        },
        ReminderOutcome::NoAddress => Action::Failed(format!(
            "Customer {id} has no email address: add one (e on their screen) or copy the reminder with m"
        )),
    })
}

fn remind(book: &mut Book, clipboard: &mut Session, id: CustomerId) -> Result<Action, OpsError> {
    // Refused before a link is made for someone who owes nothing; the
    // link is the payer's (the parent, for a sub-client billed to it).
    book.require_owed(id)?;
    let payer = book.payer(id)?;
    let made = match book.link(payer)? {
        Some(_) => false,
        None => match book.generate_link(payer) {
            Ok(_) => true,
            // Another tally made it meanwhile: use theirs.
            Err(OpsError::LinkExists(_)) => false,
            Err(e) => return Err(e),
        },
    };
    let name = book.customer(id)?.name;
    Ok(match copy_reminder(book, clipboard, id)? {
        Ok(message) => Action::Saved {
            message: format!(
                "{message} for {name}{}",
                if made {
                    " (made their payment link)"
                } else {
                    ""
                }
            ),
            customer: id,
        },
        Err(message) => Action::Failed(format!("{message}; nothing was recorded for {name}")),
    })
}

/// A report screen's data, read in one snapshot, as the action that
/// hands it to the screen (or says why it could not be read).
pub fn read_report(book: &Book, kind: ReportKind) -> Action {
    load_report(book, kind).unwrap_or_else(failure)
}

/// A report screen's data, read in one snapshot.
fn load_report(book: &Book, kind: ReportKind) -> Result<Action, OpsError> {
    let data = match kind {
        ReportKind::Aging => {
            let (day, rows) = book.aging(None)?;
            ReportData::Aging(day, rows)
        }
        ReportKind::Collections => ReportData::Collections(book.overdue()?),
        ReportKind::Glance => ReportData::Glance(book.glance()?),
    };
    Ok(Action::ReportLoaded(Box::new(data)))
}

fn failure(e: OpsError) -> Action {
    match e {
        OpsError::Fields(errors) => Action::FormInvalid(
            errors
                .into_iter()
                .map(|e| (entry_field_index(e.field), e.message))
                .collect(),
        ),
        OpsError::Customer(errors) => Action::FormInvalid(
            errors
                .0
                .iter()
                .map(|e| (customer_error_field(e), e.to_string()))
                .collect(),
        ),
        OpsError::ParentLoop(_) => Action::FormInvalid(vec![(cf::PARENT, e.to_string())]),
        other => Action::Failed(in_tui_words(other)),
    }
}

/// Refusals whose CLI wording names a command get the TUI's keys instead;
/// `{Command}` is replaced by its key when drawn ([`crate::tui::ui::with_keys`]).
fn in_tui_words(e: OpsError) -> String {
    use crate::domain::invoice::InvoiceError as I;
    match e {
        OpsError::Invoice(I::Overpay {
            label,
            remaining,
            amount,
        }) => format!(
            "{label} has {remaining} remaining: {amount} is more than that; pay at most {remaining}, or add the rest as a credit ({{AddEntry}} on the Billing tab)"
        ),
        OpsError::Invoice(I::NoCredit(_)) => {
            "This customer has no available credit to apply: record a payment with {MarkPaid} instead".into()
        }
        OpsError::LinkExists(_) => {
            "This customer already has a payment link: {CopyLink} copies it, {RegenerateLink} replaces it".into()
        }
        OpsError::NoLink(_) => "No payment link yet: {GenerateLink} makes one".into(),
        other => other.to_string(),
    }
}

fn load_list(
    book: &Book,
    query: CustomerQuery,
    count: Option<Counting>,
    totals: bool,
    keep: Option<Keep>,
) -> Result<Action, OpsError> {
    let r = book.reads();
    let read = r.list_page(&query, count, keep)?;
    let totals = if totals { Some(r.totals()?) } else { None };
    Ok(Action::ListLoaded(ListPage {
        offset: read.offset,
        rows: read.rows,
        count: read.count,
        totals,
        select: read.position,
        anchored: keep.zip(read.anchored).map(|(k, at)| (k.id, at)),
    }))
}

fn load_customer(
    book: &Book,
    id: CustomerId,
    offset: usize,
    limit: usize,
    summary: bool,
) -> Result<Action, OpsError> {
    let r = book.reads();
    let summary = if summary {
        let customer = book.customer(id)?;
        Some(CustomerSummary {
            asked: crate::ops::payer::asked_total(&r, &customer)?,
            customer,
            breakdown: r.breakdown(id)?,
            count: r.count_entries(id)? as usize,
            link: book.link_of_known(id)?,
            avg_days: r.avg_days_to_collect(id)?,
            sub_clients: r.sub_client_totals(id)?,
        })
    } else {
        None
    };
    let history = r.history(id, offset, limit)?;
    let mut locks = Vec::new();
    for e in &history {
        let why = match r.entry_lock(e.id)? {
            None => continue,
            Some(EntryLock::Invoiced(n)) => format!("on {n}, which is finalized"),
            Some(EntryLock::Allocated(ns)) => format!("applied to {}", ns.join(", ")),
            Some(EntryLock::Moved(why)) => why,
        };
        locks.push((e.id, why));
    }
    Ok(Action::CustomerLoaded(Box::new(CustomerLoad {
        id,
        offset,
        history,
        locks,
        summary,
    })))
}

/// The one customer whose name contains `name` (case-insensitive), other
/// than the one being edited; otherwise a message saying what matched.
/// A customer typed by name or id, for a form field: the message to mark
/// it with when it names none or several.
fn find_parent(book: &Book, name: &str, me: Option<CustomerId>) -> Result<CustomerId, String> {
    book.find_customer_named(name, me)
        .map_err(|e| e.to_string())
}

fn save_customer(
    book: &mut Book,
    id: Option<CustomerId>,
    details: crate::domain::CustomerDetails,
    allow_duplicate: bool,
) -> Result<Action, OpsError> {
    let details = details.validated()?;
    if !allow_duplicate && let Some(dup) = book.find_duplicate(&details, id)? {
        return Ok(Action::DuplicateFound(format!(
            "Possible duplicate: {dup}. Enter saves anyway, Esc cancels."
        )));
    }
    let name = details.name.clone();
    let parent = details.parent_id;
    let saved = match id {
        Some(id) => book.edit_customer(id, details, true).map(|changed| {
            let message = if changed {
                format!("Saved {name}")
            } else {
                format!("{name}: nothing changed")
            };
            (id, message)
        }),
        None => book.add_customer(details, true).map(|id| {
            (
                id,
                format!(
                    "Added {name} (customer {id}): {{Open}} opens them, then {{AddEntry}} adds a charge"
                ),
            )
        }),
    };
    match saved {
        Ok((customer, message)) => Ok(Action::Saved { message, customer }),
        // ops checks the parent exists; show its refusal on the Parent field.
        Err(OpsError::NoCustomer(p)) if Some(p) == parent => Ok(Action::FormInvalid(vec![(
            cf::PARENT,
            format!("customer {p} does not exist"),
        )])),
        Err(e) => Err(e),
    }
}

fn entry_saved(book: &Book, id: EntryId, edited: bool) -> Result<Action, OpsError> {
    let e = book.entry(id)?;
    let c = book.customer(e.customer_id)?;
    let cur = book.currency();
    let what = e.label();
    let verb = if edited { "updated" } else { "added" };
    let mut message = format!(
        "{what} #{id} {verb}: {} · {} balance {}",
        cur.display(e.signed_amount()),
        c.name,
        cur.display(c.balance)
    );
    if let Some(note) = crate::domain::date::far_future_note(e.date, book.clock().today()) {
        message = format!("{message}. Note: {note}");
    }
    Ok(Action::Saved {
        message,
        customer: c.id,
    })
}

/// A refusal of a credit form: a field's problem goes next to it, anything
/// else to the form's own error line.
fn credit_failure(e: OpsError, field: impl Fn(EntryField) -> usize, amount: usize) -> Action {
    match e {
        OpsError::Fields(errors) => Action::FormInvalid(
            errors
                .into_iter()
                .map(|e| (field(e.field), e.message))
                .collect(),
        ),
        OpsError::Amount(m) => Action::FormInvalid(vec![(amount, m)]),
        OpsError::Credit(c @ CreditError::NotEnough { .. }) => {
            Action::FormInvalid(vec![(amount, c.to_string())])
        }
        other => failure(other),
    }
}

fn refund(book: &mut Book, customer: CustomerId, input: &RefundInput) -> Action {
    let done = book.refund(customer, input).and_then(|id| {
        let e = book.entry(id)?;
        let c = book.customer(customer)?;
        let cur = book.currency();
        Ok(Action::Saved {
            message: format!(
                "Refund #{id} of {} to {} · available credit now {}",
                cur.display(e.amount),
                c.name,
                cur.display(book.reads().breakdown(customer)?.available_credit)
            ),
            customer,
        })
    });
    done.unwrap_or_else(|e| match e {
        OpsError::Credit(
            CreditError::NotPaid { .. }
            | CreditError::OtherCustomer { .. }
            | CreditError::MemoTooLarge { .. },
        )
        | OpsError::NoInvoice(_) => {
            Action::FormInvalid(vec![(forms::refund::rf::INVOICE, e.to_string())])
        }
        other => credit_failure(other, forms::refund::field_of, forms::refund::rf::AMOUNT),
    })
}

fn transfer(book: &mut Book, from: CustomerId, to: &str, input: &TransferInput) -> Action {
    let target = match to.trim() {
        "" => Err("who receives the credit: type a name or id".to_string()),
        typed => find_parent(book, typed, Some(from)),
    };
    let to = match target {
        Ok(id) => id,
        Err(m) => return Action::FormInvalid(vec![(forms::transfer::tf::TO, m)]),
    };
    let done = book.transfer_credit(from, to, input).and_then(|(out, _)| {
        let e = book.entry(out)?;
        let target = book.customer(to)?;
        Ok(Action::Saved {
            message: format!(
                "Moved {} of credit to {} (#{})",
                book.currency().display(e.amount),
                target.name,
                target.id
            ),
            customer: from,
        })
    });
    done.unwrap_or_else(|e| match e {
        OpsError::NoCustomer(_) => Action::FormInvalid(vec![(
            forms::transfer::tf::TO,
            format!("{e}: type part of their name, or an id from the list"),
        )]),
        OpsError::Credit(CreditError::SameCustomer(_)) => {
            Action::FormInvalid(vec![(forms::transfer::tf::TO, e.to_string())])
        }
        other => credit_failure(
            other,
            forms::transfer::field_of,
            forms::transfer::tf::AMOUNT,
        ),
    })
}

/// Writes the first run's config; an empty book takes its currency.
fn first_run(book: &mut Book, path: &std::path::Path, a: &crate::first_run::Answers) -> Action {
    let shown = path.display().to_string();
    let text = match crate::first_run::config_text(a, &shown) {
        Ok(t) => t,
        Err(e) => {
            // The field says which key; its message says what is wrong.
            return Action::FormInvalid(vec![match e {
                crate::config::ConfigError::Invalid { key, message, .. } => {
                    (forms::first_run::field_of(&key), message)
                }
                other => (0, other.to_string()),
            }]);
        }
    };
    let code = a.currency.trim().to_ascii_uppercase();
    let (symbol, decimals) = crate::first_run::currency_parts(&code);
    let currency = crate::domain::Currency {
        code,
        symbol,
        decimals,
    };
    if let Err(e) = book.adopt_currency_while_empty(&currency) {
        return Action::FormInvalid(vec![(2, e.to_string())]);
    }
    if let Err(e) = crate::first_run::write(path, &text) {
        return Action::Failed(format!("cannot write {shown}: {e}"));
    }
    Action::Exported(format!(
        "Saved to {shown}. Quit (q) and start tally again to use it"
    ))
}

fn merge(book: &mut Book, from: CustomerId, into: &str) -> Action {
    let into = match into.trim() {
        "" => Err("which customer stays: type a name or id".to_string()),
        typed => find_parent(book, typed, Some(from)),
    };
    let into = match into {
        Ok(id) => id,
        Err(m) => return Action::FormInvalid(vec![(0, m)]),
    };
    match book.merge_customers(from, into) {
        Ok(m) => Action::Merged {
            message: format!(
                "Merged {} into customer {}: balance {} → {}{}",
                m.from_name,
                m.into,
                book.currency().display(m.balance_before),
                book.currency().display(m.balance_after),
                if m.link_revoked {
                    "; the merged customer's link no longer works"
                } else {
                    ""
                }
            ),
            into,
        },
        Err(e @ OpsError::CustomerName(_)) => Action::FormInvalid(vec![(0, e.to_string())]),
        Err(other) => failure(other),
    }
}

fn save_contact(
    book: &mut Book,
    customer: CustomerId,
    contact: Option<ContactId>,
    details: ContactDetails,
) -> Action {
    let name = details.name.trim().to_string();
    let done = match contact {
        None => book
            .add_contact(customer, details)
            .map(|id| format!("Added contact #{id} {name}")),
        Some(id) => book.edit_contact(id, details).map(|changed| {
            if changed {
                format!("Updated contact #{id} {name}")
            } else {
                format!("Contact #{id} unchanged")
            }
        }),
    };
    match done {
        Ok(message) => Action::Saved { message, customer },
        Err(OpsError::Customer(errors)) => Action::FormInvalid(
            errors
                .0
                .iter()
                .map(|e| (forms::contact::field_of(e), e.to_string()))
                .collect(),
        ),
        Err(other) => failure(other),
    }
}

/// Said after a copied link that points at this computer.
fn phone_note(book: &Book) -> String {
    crate::domain::link::loopback_host(&book.config().portal.base_url)
        .map(|host| format!(". A phone cannot open a {host} link: publish the pages ([publish])"))
        .unwrap_or_default()
}
