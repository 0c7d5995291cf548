//! Invoice use cases: draft, delete a draft, finalize & lock, void, record a
//! payment, apply available credit, and cancel several at once.
//!
//! Every method checks the whole request before writing, then makes its
//! change, the customer's balance and the timeline in one transaction. After
//! each of them `balance = available credit − outstanding − uninvoiced`
//! holds for the customer (see `store::BalanceBreakdown`).

use chrono::{Days, NaiveDate};
use rust_decimal::Decimal;

use super::{Book, Ctx, OpsError, Result, find_customer, find_entry, find_invoice, unique};
use crate::document::invoice::InvoiceDoc;
use crate::domain::Method;
use crate::domain::customer::CustomerId;
use crate::domain::entry::{EntryId, EntryInput, EntryKind, NewEntry};
use crate::domain::invoice::{
    Invoice, InvoiceError, InvoiceId, InvoiceRef, InvoiceStatus, format_number,
};
use crate::domain::text::count_s;
use crate::store::{Reads, Tx};

/// An outside payment to record against an invoice. Empty fields take
/// defaults: the remaining amount, method `other`, no reference, today.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct PaymentInput {
    pub amount: Option<String>,
    pub method: Option<String>,
    pub reference: Option<String>,
    pub date: Option<String>,
}

/// What [`Book::cancel_invoices`] did.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Cancelled {
    pub deleted: Vec<InvoiceId>,
    pub voided: Vec<String>,
}

impl Book {
    pub fn invoice(&self, r: &InvoiceRef) -> Result<Invoice> {
        find_invoice(&self.reads(), r)
    }

    /// Everything an exported invoice shows, including the customer's payment
    /// link when they have one (the document shows it only while unpaid).
    /// A customer billed to their parent gets invoices addressed to the
    /// parent, with the parent's payment link.
    pub fn invoice_doc(&self, r: &InvoiceRef) -> Result<InvoiceDoc> {
        let today = self.clock.today();
        self.snapshot(|reads| {
            let invoice = find_invoice(reads, r)?;
            invoice_doc_in(reads, &self.config, invoice, today)
        })
    }

    fn invoice_by_id(&self, id: InvoiceId) -> Result<Invoice> {
        self.invoice(&InvoiceRef::Id(id))
    }

    /// Drafts an invoice for `customer` from the given open charges, or from
    /// all of them when `charges` is `None`. Returns the draft's id. A charge
    /// named twice is drafted once.
    pub fn draft_invoice(
        &mut self,
        customer: CustomerId,
        charges: Option<&[EntryId]>,
    ) -> Result<InvoiceId> {
        let charges = charges.map(unique);
        self.transact(|tx, cx| {
            let r = tx.reads();
            find_customer(&r, customer)?;
            let count = match &charges {
                Some(ids) if ids.is_empty() => return Err(InvoiceError::NoChargesGiven.into()),
                Some(ids) => {
                    for id in ids {
                        check_draftable(&r, customer, *id)?;
                    }
                    ids.len()
                }
                None => r.count_open_charges(customer)?,
            };
            if count == 0 {
                return Err(InvoiceError::NoOpenCharges(customer).into());
            }
            let now = cx.clock.now();
            let id = tx.insert_invoice(customer, None, now)?;
            let n = match &charges {
                Some(ids) => tx.attach_charges(id, customer, ids)?,
                None => tx.attach_open_charges(id, customer, None)?,
            };
            if n != count {
                return Err(OpsError::Conflict(format!(
                    "{count} charges were open but {n} could be drafted"
                )));
            }
            let total = find_invoice(&r, &InvoiceRef::Id(id))?.total;
            let detail = format!(
                "draft {id}: {}, total {}",
                count_s(n, "charge"),
                cx.money(total)
            );
            tx.log(customer, now, cx.actor, "invoice.drafted", &detail)?;
            Ok(id)
        })
    }

    /// Deletes a draft; its charges become open again and nothing else changes.
    pub fn delete_draft(&mut self, r: &InvoiceRef) -> Result<Invoice> {
        self.transact(|tx, cx| {
            let inv = find_invoice(&tx.reads(), r)?;
            require_draft(&inv, "deleted")?;
            cx.delete_in(tx, &inv)?;
            Ok(inv)
        })
    }

    /// Finalizes a draft: next number, issue date (`date` or today), due
    /// date from the customer's or the config's terms; its charges lock.
    /// With mail set up, the invoice is queued to whoever pays it, in the
    /// same transaction ([`Book::finalize_invoice_mailed`] says how).
    pub fn finalize_invoice(&mut self, r: &InvoiceRef, date: Option<&str>) -> Result<Invoice> {
        self.finalize_invoice_mailed(r, date).map(|(i, _)| i)
    }

    /// [`Book::finalize_invoice`], with what became of its email.
    pub fn finalize_invoice_mailed(
        &mut self,
        r: &InvoiceRef,
        date: Option<&str>,
    ) -> Result<(Invoice, super::mail::Delivery)> {
        let issue = self.parse_day(date)?;
        let (id, delivery) = self.transact(|tx, cx| {
            let inv = find_invoice(&tx.reads(), r)?;
            require_draft(&inv, "finalized")?;
            if inv.lines == 0 {
                return Err(InvoiceError::EmptyDraft(inv.id).into());
            }
            let (_, delivery) = cx.finalize_in(tx, &inv, issue)?;
            Ok((inv.id, delivery))
        })?;
        Ok((self.invoice_by_id(id)?, delivery))
    }

    /// Voids an open invoice: a visible credit "Void INV-0007" for its total
    /// is allocated to it, and payments that were allocated to it go back to
    /// available credit.
    pub fn void_invoice(&mut self, r: &InvoiceRef) -> Result<Invoice> {
        let id = self.transact(|tx, cx| {
            let inv = find_invoice(&tx.reads(), r)?;
            require_voidable(&inv)?;
            cx.void_in(tx, &inv)?;
            Ok(inv.id)
        })?;
        self.invoice_by_id(id)
    }

    /// Records an outside payment for the remaining amount (or `amount` of
    /// it) as a credit allocated to the invoice. Returns the invoice after
    /// and the new credit's id.
    pub fn pay_invoice(&mut self, r: &InvoiceRef, p: &PaymentInput) -> Result<(Invoice, EntryId)> {
        let reference = p
            .reference
            .as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(str::to_string);
        let (inv, id) = self.transact(|tx, cx| {
            let reads = tx.reads();
            let inv = find_invoice(&reads, r)?;
            let label = inv.label();
            require_open(&inv, "recording a payment")?;
            let remaining = inv.remaining();
            let input = EntryInput {
                amount: p.amount.clone().unwrap_or_else(|| cx.money(remaining)),
                tax: None,
                description: format!("Payment for {label}"),
                date: p.date.clone().unwrap_or_else(|| "today".into()),
                method: p.method.clone().unwrap_or_default(),
            };
            let credit = cx.check_entry(EntryKind::Credit, &input)?;
            if credit.amount > remaining {
                return Err(cx.overpay(&inv, credit.amount));
            }
            let balance = find_customer(&reads, inv.customer_id)?.balance;
            let now = cx.clock.now();
            let id = tx.insert_entry(inv.customer_id, &credit, now)?;
            tx.tag_credit(id, reference.as_deref(), None)?;
            tx.allocate(id, inv.id, credit.amount, now)?;
            if credit.amount == remaining {
                tx.set_invoice_status(inv.id, InvoiceStatus::Open, InvoiceStatus::Paid)?;
            }
            let detail = format!(
                "payment {} by {}{} for {label}; remaining {} → {}; {}",
                cx.money(credit.amount),
                credit.method.map(Method::as_str).unwrap_or("other"),
                reference
                    .as_deref()
                    .map(|r| format!(" ref {r}"))
                    .unwrap_or_default(),
                cx.money(remaining),
                cx.money(remaining - credit.amount),
                cx.balance_move(tx, inv.customer_id, balance)?,
            );
            tx.log(inv.customer_id, now, cx.actor, "invoice.payment", &detail)?;
            cx.mail_receipt(
                tx,
                inv.customer_id,
                credit.amount,
                credit.date,
                Some((inv.id, label.clone())),
            )?;
            Ok((inv.id, id))
        })?;
        Ok((self.invoice_by_id(inv)?, id))
    }

    /// Settles an open invoice from the customer's unapplied credit, oldest
    /// credit first, up to `amount` (default: as much as both allow). No new
    /// money: the balance does not move. Returns the invoice and the amount.
    pub fn apply_credit(
        &mut self,
        r: &InvoiceRef,
        amount: Option<&str>,
    ) -> Result<(Invoice, Decimal)> {
        let asked = amount
            .map(|a| self.currency().parse_amount(a))
            .transpose()
            .map_err(|e| OpsError::Amount(e.to_string()))?;
        let (id, want) = self.transact(|tx, cx| {
            let inv = find_invoice(&tx.reads(), r)?;
            require_open(&inv, "applying credit")?;
            let credits = tx.reads().unapplied_credits(inv.customer_id)?;
            let available: Decimal = credits.iter().map(|(_, left)| *left).sum();
            if available.is_zero() {
                return Err(InvoiceError::NoCredit(inv.customer_id).into());
            }
            let remaining = inv.remaining();
            let want = match asked {
                Some(a) if a > remaining => return Err(cx.overpay(&inv, a)),
                Some(a) if a > available => {
                    return Err(InvoiceError::NotEnoughCredit {
                        available: cx.config.currency().display(available),
                    }
                    .into());
                }
                Some(a) => a,
                None => remaining.min(available),
            };
            let now = cx.clock.now();
            let mut left = want;
            for (credit, free) in &credits {
                if left.is_zero() {
                    break;
                }
                let take = left.min(*free);
                tx.allocate(*credit, inv.id, take, now)?;
                left -= take;
            }
            if want == remaining {
                tx.set_invoice_status(inv.id, InvoiceStatus::Open, InvoiceStatus::Paid)?;
            }
            let detail = format!(
                "applied {} of credit to {}; remaining {} → {}; balance unchanged",
                cx.money(want),
                inv.label(),
                cx.money(remaining),
                cx.money(remaining - want)
            );
            let action = "invoice.credit_applied";
            tx.log(inv.customer_id, now, cx.actor, action, &detail)?;
            Ok((inv.id, want))
        })?;
        Ok((self.invoice_by_id(id)?, want))
    }

    /// Cancels several invoices in one step and one transaction (seed 004):
    /// drafts are deleted, open invoices voided. Refused as a whole, with
    /// nothing changed, if any is paid or void. An id given twice counts once.
    pub fn cancel_invoices(&mut self, ids: &[InvoiceId]) -> Result<Cancelled> {
        let ids = unique(ids);
        self.transact(|tx, cx| {
            let mut invoices = Vec::new();
            for id in &ids {
                let inv = find_invoice(&tx.reads(), &InvoiceRef::Id(*id))?;
                if inv.status != InvoiceStatus::Draft {
                    require_voidable(&inv)?;
                }
                invoices.push(inv);
            }
            let mut done = Cancelled::default();
            for inv in &invoices {
                if inv.status == InvoiceStatus::Draft {
                    cx.delete_in(tx, inv)?;
                    done.deleted.push(inv.id);
                } else {
                    cx.void_in(tx, inv)?;
                    done.voided.push(inv.label());
                }
            }
            Ok(done)
        })
    }

    fn parse_day(&self, date: Option<&str>) -> Result<NaiveDate> {
        match date {
            None => Ok(self.clock.today()),
            Some(d) => crate::domain::date::parse_date(d, self.clock.today())
                .map_err(|e| OpsError::Date(e.to_string())),
        }
    }
}

/// Who an invoice of `customer` is addressed to: the parent when the
/// customer is billed to their parent, with the sub-client's name.
/// The document of `invoice` as its addressee gets it, read through `r`
/// (a snapshot, or the transaction that is emailing it).
pub(crate) fn invoice_doc_in(
    r: &Reads<'_>,
    config: &crate::config::Config,
    invoice: Invoice,
    today: chrono::NaiveDate,
) -> Result<InvoiceDoc> {
    let (customer, on_behalf_of) = addressee(r, find_customer(r, invoice.customer_id)?)?;
    let link = r
        .active_link(customer.id)?
        .map(|l| crate::domain::link::url(&config.portal.base_url, &l.token));
    Ok(InvoiceDoc {
        business: config.business.clone(),
        currency: r.currency().clone(),
        lines: r.invoice_lines(invoice.id)?,
        customer,
        on_behalf_of,
        link,
        today,
        invoice,
    })
}

pub(crate) fn addressee(
    r: &Reads<'_>,
    customer: crate::domain::Customer,
) -> Result<(crate::domain::Customer, Option<String>)> {
    match customer.parent_id.filter(|_| customer.bill_to_parent) {
        Some(parent) => Ok((find_customer(r, parent)?, Some(customer.name))),
        None => Ok((customer, None)),
    }
}

fn check_draftable(r: &Reads<'_>, customer: CustomerId, id: EntryId) -> Result<()> {
    let e = find_entry(r, id)?;
    if e.kind != EntryKind::Charge {
        return Err(InvoiceError::NotACharge(id).into());
    }
    if e.customer_id != customer {
        return Err(InvoiceError::OtherCustomer {
            entry: id,
            owner: e.customer_id,
            customer,
        }
        .into());
    }
    if let Some(inv) = e.invoice_id {
        let inv = find_invoice(r, &InvoiceRef::Id(inv))?;
        return Err(match inv.number {
            Some(number) => InvoiceError::ChargeInvoiced { entry: id, number },
            None => InvoiceError::ChargeDrafted {
                entry: id,
                draft: inv.id,
            },
        }
        .into());
    }
    Ok(())
}

fn require_open(inv: &Invoice, doing: &'static str) -> Result<()> {
    match inv.status {
        InvoiceStatus::Open => Ok(()),
        InvoiceStatus::Draft => Err(InvoiceError::DraftNotFinal(inv.id, doing).into()),
        s => Err(InvoiceError::NothingDue {
            label: inv.label(),
            status: s.as_str(),
        }
        .into()),
    }
}

/// Only an open invoice can be voided.
fn require_voidable(inv: &Invoice) -> Result<()> {
    let label = inv.label();
    match inv.status {
        InvoiceStatus::Open => Ok(()),
        InvoiceStatus::Draft => Err(InvoiceError::VoidDraft(inv.id).into()),
        InvoiceStatus::Paid => Err(InvoiceError::VoidPaid(label).into()),
        InvoiceStatus::Void => Err(InvoiceError::AlreadyVoid(label).into()),
    }
}

/// Transaction bodies shared by single and bulk operations and the billing run.
impl Ctx<'_> {
    /// The finalize step shared with the billing run; returns the number.
    pub(super) fn finalize_in(
        &self,
        tx: &Tx<'_>,
        inv: &Invoice,
        issue: NaiveDate,
    ) -> Result<(String, super::mail::Delivery)> {
        let r = tx.reads();
        let terms = find_customer(&r, inv.customer_id)?
            .payment_terms_days
            .unwrap_or(self.config.billing.payment_terms_days);
        let due = issue
            .checked_add_days(Days::new(terms.into()))
            .unwrap_or(issue);
        let total = r.invoice(inv.id)?.map(|i| i.total).unwrap_or_default();
        let seq = r.next_invoice_seq()?;
        let number = format_number(&self.config.billing.invoice_prefix, seq);
        tx.finalize_invoice(inv.id, seq, &number, issue, due, total)?;
        let detail = format!(
            "finalized draft {} as {number}: total {}, issued {issue}, due {due}",
            inv.id,
            self.money(total)
        );
        tx.log(
            inv.customer_id,
            self.clock.now(),
            self.actor,
            "invoice.finalized",
            &detail,
        )?;
        let delivery = self.mail_invoice(tx, inv.id)?;
        Ok((number, delivery))
    }

    fn overpay(&self, inv: &Invoice, amount: Decimal) -> OpsError {
        let cur = self.config.currency();
        InvoiceError::Overpay {
            label: inv.label(),
            remaining: cur.display(inv.remaining()),
            amount: cur.display(amount),
        }
        .into()
    }

    fn delete_in(&self, tx: &Tx<'_>, inv: &Invoice) -> Result<()> {
        let detail = format!(
            "deleted draft {}: {} back to open",
            inv.id,
            count_s(inv.lines, "charge")
        );
        tx.delete_draft(inv.id)?;
        let now = self.clock.now();
        tx.log(
            inv.customer_id,
            now,
            self.actor,
            "invoice.draft_deleted",
            &detail,
        )?;
        Ok(())
    }

    fn void_in(&self, tx: &Tx<'_>, inv: &Invoice) -> Result<()> {
        let label = inv.label();
        let credit = NewEntry {
            kind: EntryKind::Credit,
            amount: inv.total,
            tax: Decimal::ZERO,
            description: format!("Void {label}"),
            method: Some(Method::Other),
            date: self.clock.today(),
        };
        let now = self.clock.now();
        let balance = find_customer(&tx.reads(), inv.customer_id)?.balance;
        tx.set_invoice_status(inv.id, InvoiceStatus::Open, InvoiceStatus::Void)?;
        let id = tx.insert_entry(inv.customer_id, &credit, now)?;
        tx.tag_credit(id, None, Some(inv.id))?;
        tx.release_allocations(inv.id)?;
        tx.allocate(id, inv.id, inv.total, now)?;
        let detail = format!(
            "voided {label}: credit {} posted; {} of payments back to available credit; {}",
            self.money(inv.total),
            self.money(inv.paid),
            self.balance_move(tx, inv.customer_id, balance)?
        );
        tx.log(inv.customer_id, now, self.actor, "invoice.voided", &detail)?;
        Ok(())
    }
}

fn require_draft(inv: &Invoice, verb: &'static str) -> Result<()> {
    if inv.status == InvoiceStatus::Draft {
        return Ok(());
    }
    Err(InvoiceError::NotDraft {
        label: inv.label(),
        status: inv.status.as_str(),
        verb,
    }
    .into())
}
