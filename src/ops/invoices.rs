//! Invoice use cases: draft, delete a draft, finalize & lock, void, record a
//! payment, apply available credit, and cancel several at once.
//!
//! Every method checks the whole request before writing, then makes its
//! change, the customer's balance and the timeline in one transaction. After
//! each of them `balance = available credit − outstanding − uninvoiced`
//! holds for the customer (see `store::BalanceBreakdown`).

use chrono::{Days, NaiveDate};
use rust_decimal::Decimal;

use super::{Book, Ctx, OpsError, Result};
use crate::document::invoice::InvoiceDoc;
use crate::domain::customer::CustomerId;
use crate::domain::entry::{EntryId, EntryInput, EntryKind, NewEntry};
use crate::domain::invoice::{
    Invoice, InvoiceError, InvoiceId, InvoiceRef, InvoiceStatus, format_number,
};
use crate::domain::{Entry, Method};
use crate::store::{EntryLock, Tx};

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
        let found = match r {
            InvoiceRef::Id(id) => self.reads().invoice(*id)?,
            InvoiceRef::Number(n) => self.reads().invoice_by_number(n)?,
        };
        found.ok_or_else(|| OpsError::NoInvoice(r.to_string()))
    }

    /// Everything an exported invoice shows, including the customer's payment
    /// link when they have one (the document shows it only while unpaid).
    pub fn invoice_doc(&self, r: &InvoiceRef) -> Result<InvoiceDoc> {
        let invoice = self.invoice(r)?;
        let link = self.link_of_known(invoice.customer_id)?;
        Ok(InvoiceDoc {
            business: self.config.business.clone(),
            currency: self.currency().clone(),
            customer: self.customer(invoice.customer_id)?,
            lines: self.reads().invoice_lines(invoice.id)?,
            link,
            today: self.clock.today(),
            invoice,
        })
    }

    fn invoice_by_id(&self, id: InvoiceId) -> Result<Invoice> {
        self.invoice(&InvoiceRef::Id(id))
    }

    /// Drafts an invoice for `customer` from the given open charges, or from
    /// all of them when `charges` is `None`. Returns the draft's id.
    pub fn draft_invoice(
        &mut self,
        customer: CustomerId,
        charges: Option<&[EntryId]>,
    ) -> Result<InvoiceId> {
        self.customer(customer)?;
        let count = match charges {
            Some([]) => return Err(InvoiceError::NoChargesGiven.into()),
            Some(ids) => {
                for id in ids {
                    self.check_draftable(customer, *id)?;
                }
                ids.len()
            }
            None => self.reads().count_open_charges(customer)?,
        };
        if count == 0 {
            return Err(InvoiceError::NoOpenCharges(customer).into());
        }
        let (store, cx) = self.split();
        let now = cx.clock.now();
        store.write(|tx| {
            let id = tx.insert_invoice(customer, None, now)?;
            let n = match charges {
                Some(ids) => tx.attach_charges(id, customer, ids)?,
                None => tx.attach_open_charges(id, customer, None)?,
            };
            let total = tx.reads().invoice(id)?.map(|i| i.total).unwrap_or_default();
            let detail = format!("draft {id}: {n} charges, total {}", cx.money(total));
            tx.log(customer, now, cx.actor, "invoice.drafted", &detail)?;
            Ok::<_, OpsError>(id)
        })
    }

    fn check_draftable(&self, customer: CustomerId, id: EntryId) -> Result<()> {
        let e = self.entry(id)?;
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
            let inv = self.invoice_by_id(inv)?;
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

    /// Deletes a draft; its charges become open again and nothing else changes.
    pub fn delete_draft(&mut self, r: &InvoiceRef) -> Result<Invoice> {
        let inv = self.invoice(r)?;
        require_draft(&inv, "deleted")?;
        let (store, cx) = self.split();
        store.write(|tx| cx.delete_in(tx, &inv))?;
        Ok(inv)
    }

    /// Finalizes a draft: next number, issue date (`date` or today), due
    /// date from the customer's or the config's terms; its charges lock.
    pub fn finalize_invoice(&mut self, r: &InvoiceRef, date: Option<&str>) -> Result<Invoice> {
        let inv = self.invoice(r)?;
        require_draft(&inv, "finalized")?;
        if inv.lines == 0 {
            return Err(InvoiceError::EmptyDraft(inv.id).into());
        }
        let issue = self.parse_day(date)?;
        let (store, cx) = self.split();
        store.write(|tx| cx.finalize_in(tx, &inv, issue))?;
        self.invoice_by_id(inv.id)
    }

    /// Voids an open invoice: a visible credit "Void INV-0007" for its total
    /// is allocated to it, and payments that were allocated to it go back to
    /// available credit.
    pub fn void_invoice(&mut self, r: &InvoiceRef) -> Result<Invoice> {
        let inv = self.invoice(r)?;
        let label = inv.label();
        match inv.status {
            InvoiceStatus::Draft => return Err(InvoiceError::VoidDraft(inv.id).into()),
            InvoiceStatus::Paid => return Err(InvoiceError::VoidPaid(label).into()),
            InvoiceStatus::Void => {
                return Err(InvoiceError::NothingDue {
                    label,
                    status: "already void",
                }
                .into());
            }
            InvoiceStatus::Open => {}
        }
        let (store, cx) = self.split();
        store.write(|tx| cx.void_in(tx, &inv))?;
        self.invoice_by_id(inv.id)
    }

    /// Records an outside payment for the remaining amount (or `amount` of
    /// it) as a credit allocated to the invoice. Returns the invoice after
    /// and the new credit's id.
    pub fn pay_invoice(&mut self, r: &InvoiceRef, p: &PaymentInput) -> Result<(Invoice, EntryId)> {
        let inv = self.invoice(r)?;
        let label = inv.label();
        self.require_open(&inv, "recording a payment")?;
        let remaining = inv.remaining();
        let input = EntryInput {
            amount: p.amount.clone().unwrap_or_else(|| self.money(remaining)),
            tax: None,
            description: format!("Payment for {label}"),
            date: p.date.clone().unwrap_or_else(|| "today".into()),
            method: p.method.clone().unwrap_or_default(),
        };
        let credit = self
            .check_entry(EntryKind::Credit, &input)
            .map_err(OpsError::Fields)?;
        if credit.amount > remaining {
            return Err(InvoiceError::Overpay {
                label,
                remaining: self.currency().display(remaining),
                amount: self.currency().display(credit.amount),
            }
            .into());
        }
        let reference = p
            .reference
            .as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty());
        let (now, actor) = (self.clock.now(), self.actor.clone());
        let balance = self.customer(inv.customer_id)?.balance;
        let paid_off = credit.amount == remaining;
        let detail = format!(
            "payment {} by {}{} for {label}; remaining {} → {}; balance {} → {}",
            self.money(credit.amount),
            credit.method.map(Method::as_str).unwrap_or("other"),
            reference.map(|r| format!(" ref {r}")).unwrap_or_default(),
            self.money(remaining),
            self.money(remaining - credit.amount),
            self.money(balance),
            self.money(balance + credit.amount),
        );
        let id = self.store.write(|tx| {
            let id = tx.insert_entry(inv.customer_id, &credit, now)?;
            tx.tag_credit(id, reference, None)?;
            tx.allocate(id, inv.id, credit.amount, now)?;
            if paid_off {
                tx.set_invoice_status(inv.id, InvoiceStatus::Paid)?;
            }
            tx.log(inv.customer_id, now, &actor, "invoice.payment", &detail)?;
            Ok::<_, OpsError>(id)
        })?;
        Ok((self.invoice_by_id(inv.id)?, id))
    }

    /// Settles an open invoice from the customer's unapplied credit, oldest
    /// credit first, up to `amount` (default: as much as both allow). No new
    /// money: the balance does not move. Returns the invoice and the amount.
    pub fn apply_credit(
        &mut self,
        r: &InvoiceRef,
        amount: Option<&str>,
    ) -> Result<(Invoice, Decimal)> {
        let inv = self.invoice(r)?;
        self.require_open(&inv, "applying credit")?;
        let credits = self.reads().unapplied_credits(inv.customer_id)?;
        let available: Decimal = credits.iter().map(|(_, left)| *left).sum();
        if available.is_zero() {
            return Err(InvoiceError::NoCredit(inv.customer_id).into());
        }
        let remaining = inv.remaining();
        let want = match amount {
            Some(a) => {
                let a = self
                    .currency()
                    .parse_amount(a)
                    .map_err(|e| OpsError::Amount(e.to_string()))?;
                if a > remaining {
                    return Err(InvoiceError::Overpay {
                        label: inv.label(),
                        remaining: self.currency().display(remaining),
                        amount: self.currency().display(a),
                    }
                    .into());
                }
                if a > available {
                    return Err(InvoiceError::NotEnoughCredit {
                        available: self.currency().display(available),
                    }
                    .into());
                }
                a
            }
            None => remaining.min(available),
        };
        let (now, actor) = (self.clock.now(), self.actor.clone());
        let detail = format!(
            "applied {} of credit to {}; remaining {} → {}; balance unchanged",
            self.money(want),
            inv.label(),
            self.money(remaining),
            self.money(remaining - want)
        );
        self.store.write(|tx| {
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
                tx.set_invoice_status(inv.id, InvoiceStatus::Paid)?;
            }
            tx.log(
                inv.customer_id,
                now,
                &actor,
                "invoice.credit_applied",
                &detail,
            )?;
            Ok::<_, OpsError>(())
        })?;
        Ok((self.invoice_by_id(inv.id)?, want))
    }

    /// Cancels several invoices in one step and one transaction (seed 004):
    /// drafts are deleted, open invoices voided. Refused as a whole, with
    /// nothing changed, if any is paid or void.
    pub fn cancel_invoices(&mut self, ids: &[InvoiceId]) -> Result<Cancelled> {
        let mut invoices = Vec::new();
        for id in ids {
            let inv = self.invoice_by_id(*id)?;
            match inv.status {
                InvoiceStatus::Paid => return Err(InvoiceError::VoidPaid(inv.label()).into()),
                InvoiceStatus::Void => {
                    return Err(InvoiceError::NothingDue {
                        label: inv.label(),
                        status: "already void",
                    }
                    .into());
                }
                _ => invoices.push(inv),
            }
        }
        let (store, cx) = self.split();
        store.write(|tx| {
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

    /// Refuses to edit or remove an entry that a finalized invoice or an
    /// allocation has locked.
    pub(super) fn check_unlocked(&self, e: &Entry) -> Result<()> {
        match self.reads().entry_lock(e.id)? {
            None => Ok(()),
            Some(EntryLock::Invoiced(number)) => Err(InvoiceError::LockedCharge {
                what: e.kind.as_str(),
                entry: e.id,
                number,
            }
            .into()),
            Some(EntryLock::Allocated(numbers)) => Err(InvoiceError::LockedCredit {
                entry: e.id,
                numbers: numbers.join(", "),
            }
            .into()),
        }
    }

    fn require_open(&self, inv: &Invoice, doing: &'static str) -> Result<()> {
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

    fn parse_day(&self, date: Option<&str>) -> Result<NaiveDate> {
        match date {
            None => Ok(self.clock.today()),
            Some(d) => crate::domain::date::parse_date(d, self.clock.today())
                .map_err(|e| OpsError::Date(e.to_string())),
        }
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
    ) -> Result<String> {
        let r = tx.reads();
        let terms = r
            .customer(inv.customer_id)?
            .ok_or(OpsError::NoCustomer(inv.customer_id))?
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
        Ok(number)
    }

    fn delete_in(&self, tx: &Tx<'_>, inv: &Invoice) -> Result<()> {
        let detail = format!(
            "deleted draft {}: {} charges back to open",
            inv.id, inv.lines
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
        let balance = tx
            .reads()
            .customer(inv.customer_id)?
            .ok_or(OpsError::NoCustomer(inv.customer_id))?
            .balance;
        let detail = format!(
            "voided {label}: credit {} posted; {} of payments back to available credit; balance {} → {}",
            self.money(inv.total),
            self.money(inv.paid),
            self.money(balance),
            self.money(balance + inv.total)
        );
        let id = tx.insert_entry(inv.customer_id, &credit, now)?;
        tx.tag_credit(id, None, Some(inv.id))?;
        tx.release_allocations(inv.id)?;
        tx.allocate(id, inv.id, inv.total, now)?;
        tx.set_invoice_status(inv.id, InvoiceStatus::Void)?;
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
