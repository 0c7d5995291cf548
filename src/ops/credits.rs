//! Moving a customer's available credit (seed 003 "Credit operations"):
//! refunds pay it back out, transfers move it to another customer, and a
//! refund against a paid invoice first writes a credit memo on it.
//!
//! Each is one transaction that reads the available credit under the write
//! lock, so two tallys refunding at once can never pay out the same credit
//! twice. Afterwards `balance = available credit − outstanding − uninvoiced`
//! still holds for every customer touched.

use rust_decimal::Decimal;

use super::{Book, Ctx, OpsError, Result, find_customer, find_invoice};
use crate::domain::credit::CreditError;
use crate::domain::customer::CustomerId;
use crate::domain::entry::{EntryId, EntryInput, EntryKind, Method, NewEntry};
use crate::domain::invoice::{InvoiceRef, InvoiceStatus};
use crate::store::{NewPayout, Reads, Tx};

/// A refund as typed. Empty fields take defaults: method `other`, no
/// reference, description "Refund", today.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct RefundInput {
    pub amount: String,
    pub method: Option<String>,
    pub reference: Option<String>,
    pub description: Option<String>,
    pub date: Option<String>,
    /// Refund money paid on this (paid) invoice: a credit memo on it
    /// releases that much of its payments first.
    pub invoice: Option<InvoiceRef>,
}

/// A transfer of credit as typed.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct TransferInput {
    pub amount: String,
    pub description: Option<String>,
    pub date: Option<String>,
}

impl Book {
    /// Pays `input.amount` of the customer's available credit back to them.
    /// Returns the refund's entry id.
    pub fn refund(&mut self, customer: CustomerId, input: &RefundInput) -> Result<EntryId> {
        let typed = EntryInput {
            amount: input.amount.clone(),
            tax: None,
            description: input.description.clone().unwrap_or_default(),
            date: input.date.clone().unwrap_or_else(|| "today".into()),
            method: input.method.clone().unwrap_or_default(),
        };
        let reference = input
            .reference
            .as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty());
        self.transact(|tx, cx| {
            let e = cx.check_entry(EntryKind::Payout, &typed)?;
            let before = find_customer(&tx.reads(), customer)?.balance;
            let mut description = e.description.clone();
            let mut released = Vec::new();
            if let Some(inv) = &input.invoice {
                let label;
                (label, released) = cx.credit_memo(tx, customer, inv, &e)?;
                if description.is_empty() {
                    description = format!("Refund for {label}");
                }
            }
            if description.is_empty() {
                description = "Refund".into();
            }
            let available = require_available(&tx.reads(), cx, customer, e.amount, "refund")?;
            let payout = NewPayout {
                amount: e.amount,
                method: e.method,
                reference,
                description: &description,
                date: e.date,
            };
            let now = cx.clock.now();
            // The money goes back from the payments of the invoice refunded.
            let id = tx.insert_payout(customer, &payout, &released, now)?;
            let detail = format!(
                "refund #{id}: {} by {}{} on {}; available credit {} → {}; {}",
                cx.money(e.amount),
                e.method.map(Method::as_str).unwrap_or("other"),
                reference.map(|r| format!(" ref {r}")).unwrap_or_default(),
                e.date,
                cx.money(available),
                cx.money(available - e.amount),
                cx.balance_move(tx, customer, before)?
            );
            tx.log(customer, now, cx.actor, "credit.refunded", &detail)?;
            Ok(id)
        })
    }

    /// Moves `input.amount` of `from`'s available credit to `to`. Returns
    /// the payout on `from` and the credit on `to`.
    pub fn transfer_credit(
        &mut self,
        from: CustomerId,
        to: CustomerId,
        input: &TransferInput,
    ) -> Result<(EntryId, EntryId)> {
        if from == to {
            return Err(CreditError::SameCustomer(from).into());
        }
        let typed = EntryInput {
            amount: input.amount.clone(),
            tax: None,
            description: input.description.clone().unwrap_or_default(),
            date: input.date.clone().unwrap_or_else(|| "today".into()),
            method: String::new(),
        };
        self.transact(|tx, cx| {
            let e = cx.check_entry(EntryKind::Payout, &typed)?;
            let r = tx.reads();
            let (source, target) = (find_customer(&r, from)?, find_customer(&r, to)?);
            let available = require_available(&r, cx, from, e.amount, "transfer")?;
            let now = cx.clock.now();
            let out_desc = described(&e.description, || format!("Transfer to {}", target.name));
            let out = tx.insert_payout(
                from,
                &NewPayout {
                    amount: e.amount,
                    method: None,
                    reference: None,
                    description: &out_desc,
                    date: e.date,
                },
                &[],
                now,
            )?;
            let credit = NewEntry {
                kind: EntryKind::Credit,
                amount: e.amount,
                tax: Decimal::ZERO,
                description: described(&e.description, || format!("Transfer from {}", source.name)),
                method: None,
                date: e.date,
            };
            let into = tx.insert_entry(to, &credit, now)?;
            tx.tag_moved_credit(into, Some(out), None)?;
            let amount = cx.money(e.amount);
            let detail = format!(
                "transfer #{out}: {amount} of credit to customer {to} ({}); available credit {} → {}; {}",
                target.name,
                cx.money(available),
                cx.money(available - e.amount),
                cx.balance_move(tx, from, source.balance)?
            );
            tx.log(from, now, cx.actor, "credit.transferred_out", &detail)?;
            let detail = format!(
                "transfer #{into}: {amount} of credit from customer {from} ({}); {}",
                source.name,
                cx.balance_move(tx, to, target.balance)?
            );
            tx.log(to, now, cx.actor, "credit.transferred_in", &detail)?;
            Ok((out, into))
        })
    }
}

impl Ctx<'_> {
    /// Writes a credit memo of `e.amount` on a paid invoice of `customer`,
    /// releasing that much of the payments that settled it (Stripe's credit
    /// note on a paid invoice): the invoice stays paid, the customer's
    /// available credit grows by the amount. Returns the invoice's label
    /// and the payments released.
    fn credit_memo(
        &self,
        tx: &Tx<'_>,
        customer: CustomerId,
        inv: &InvoiceRef,
        e: &NewEntry,
    ) -> Result<(String, Vec<EntryId>)> {
        let r = tx.reads();
        let inv = find_invoice(&r, inv)?;
        let label = inv.label();
        if inv.customer_id != customer {
            return Err(CreditError::OtherCustomer {
                label,
                owner: inv.customer_id,
                customer,
            }
            .into());
        }
        if inv.status != InvoiceStatus::Paid {
            return Err(CreditError::NotPaid {
                label,
                status: inv.status.as_str(),
            }
            .into());
        }
        let paid = r.paid_by_payments(inv.id)?;
        if e.amount > paid {
            let paid = self.config.currency().display(paid);
            return Err(CreditError::MemoTooLarge { label, paid }.into());
        }
        let memo = NewEntry {
            kind: EntryKind::Credit,
            amount: e.amount,
            tax: Decimal::ZERO,
            description: format!("Credit memo on {label}"),
            method: Some(Method::Other),
            date: e.date,
        };
        let before = find_customer(&r, customer)?.balance;
        let now = self.clock.now();
        let id = tx.insert_entry(customer, &memo, now)?;
        tx.tag_moved_credit(id, None, Some(inv.id))?;
        let released = tx.release_payments(inv.id, e.amount)?;
        tx.allocate(id, inv.id, e.amount, now)?;
        let detail = format!(
            "credit memo #{id}: {} on {label} releases that much of its payments to available credit; {}",
            self.money(e.amount),
            self.balance_move(tx, customer, before)?
        );
        tx.log(customer, now, self.actor, "invoice.credit_memo", &detail)?;
        Ok((label, released))
    }
}

/// The customer's available credit, read in the caller's transaction;
/// refuses if it is less than `amount`.
fn require_available(
    r: &Reads<'_>,
    cx: &Ctx<'_>,
    customer: CustomerId,
    amount: Decimal,
    doing: &'static str,
) -> Result<Decimal> {
    let available = r.breakdown(customer)?.available_credit;
    if amount > available {
        return Err(OpsError::Credit(CreditError::NotEnough {
            customer,
            available: cx.config.currency().display(available),
            doing,
        }));
    }
    Ok(available)
}

fn described(typed: &str, default: impl FnOnce() -> String) -> String {
    if typed.is_empty() {
        default()
    } else {
        typed.to_string()
    }
}
