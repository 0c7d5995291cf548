//! The figures tally tells anyone about a customer, each defined once.
//! Pure: the store reads the inputs, every surface (CLI, TUI, payment page,
//! statement, reminder, exports) turns them into words through here.
//!
//! Two views of one figure, never mixed on one surface:
//! - the owner's sign, as the book keeps a balance: negative = the
//!   customer owes, positive = the business holds their credit;
//! - the customer's sign, for anything a customer reads: the amount due is
//!   positive, and a payment makes it smaller.
//!
//! The README's figure table defines each of these in the same words.
//! Figures summed over many rows are defined where they are summed, once:
//! - balance: `customers.balance_cents`, kept with each entry (store);
//! - available credit, outstanding, uninvoiced, total billed and
//!   collected, opening balance: `store::entries::BalanceBreakdown`;
//! - billed and collected by day and month: the `day_figures` view
//!   (migration 14), which the kept day totals, `tally check` and the
//!   month report all read;
//! - refunded and transferred per payment: `store::payments`;
//! - days to collect: `store::payments::avg_days_to_collect` (a customer)
//!   and `ops::glance` (a month);
//! - who is asked to pay what: `ops::payer`;
//! - owed, credit held, past due and the customer's sign: here.

use rust_decimal::Decimal;

/// What the customer owes, in the customer's sign: the balance's debt, or
/// zero when they are paid up or hold credit.
pub fn owed(balance: Decimal) -> Decimal {
    (-balance).max(Decimal::ZERO)
}

/// What the business holds for the customer beyond everything they were
/// charged: the balance's credit, or zero when they owe. This is *net*
/// credit. Credit not yet applied to an open invoice is "available
/// credit", a different figure.
pub fn net_credit(balance: Decimal) -> Decimal {
    balance.max(Decimal::ZERO)
}

/// An owner's-sign amount as a customer reads it: what moves what they owe
/// up is positive (a charge), what moves it down is negative (a payment).
pub fn customer_sign(owner_signed: Decimal) -> Decimal {
    -owner_signed
}

/// One open invoice past its due date, as a reminder names it.
#[derive(Debug, Clone, PartialEq)]
pub struct PastDueInvoice {
    pub id: crate::domain::InvoiceId,
    pub number: String,
    /// What is left to pay on it.
    pub remaining: Decimal,
    pub days_late: i64,
}

/// What a customer is asked to pay because it is late: the remaining
/// amounts of their open invoices past due, never more than they owe in
/// all (credit they hold but have not applied still counts for them).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct PastDue {
    pub invoices: Vec<PastDueInvoice>,
    /// Σ remaining over `invoices`, capped at what is owed.
    pub amount: Decimal,
}

impl PastDue {
    /// The figure from the invoices past due and what is owed in all.
    pub fn new(invoices: Vec<PastDueInvoice>, owed: Decimal) -> PastDue {
        let remaining: Decimal = invoices.iter().map(|i| i.remaining).sum();
        PastDue {
            amount: remaining.min(owed),
            invoices,
        }
    }

    /// Days the oldest past-due invoice is late, when one is and something
    /// is owed on it.
    pub fn days_late(&self) -> Option<i64> {
        if self.amount.is_zero() {
            return None;
        }
        self.invoices.iter().map(|i| i.days_late).max()
    }

    /// The invoices as a reminder names them: "INV-0003" or
    /// "INV-0003 and INV-0005" or "INV-0001, INV-0003 and INV-0005".
    pub fn numbers(&self) -> String {
        let n: Vec<&str> = self.invoices.iter().map(|i| i.number.as_str()).collect();
        match n.split_last() {
            None => String::new(),
            Some((last, [])) => (*last).to_string(),
            Some((last, rest)) => format!("{} and {last}", rest.join(", ")),
        }
    }
}

/// Nets what a customer owes by age against the credit they hold, the
/// oldest debt first (in minor units): the aging report then shows what is
/// owed net, as the customer list does, and the credit left is their net
/// credit, the same figure the list's "Credit held" sums.
pub fn net_aging(buckets: &mut [i128; 5], credit: &mut i128) {
    for b in buckets.iter_mut().rev() {
        let take = (*b).min(*credit).max(0);
        *b -= take;
        *credit -= take;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(cents: i64) -> Decimal {
        Decimal::new(cents, 2)
    }

    fn inv(number: &str, cents: i64, days_late: i64) -> PastDueInvoice {
        PastDueInvoice {
            id: crate::domain::InvoiceId(1),
            number: number.into(),
            remaining: d(cents),
            days_late,
        }
    }

    #[test]
    fn owed_and_net_credit_split_the_balance() {
        assert_eq!(owed(d(-96800)), d(96800));
        assert_eq!(owed(d(2500)), Decimal::ZERO);
        assert_eq!(net_credit(d(2500)), d(2500));
        assert_eq!(net_credit(d(-1)), Decimal::ZERO);
        assert_eq!(customer_sign(d(-15000)), d(15000));
    }

    #[test]
    fn past_due_is_the_late_invoices_never_more_than_owed() {
        // $848 late, $120 charged this week: the balance is -$968.
        let p = PastDue::new(vec![inv("INV-0001", 84800, 35)], owed(d(-96800)));
        assert_eq!(p.amount, d(84800));
        assert_eq!(p.days_late(), Some(35));
        // Unapplied credit of $50 against a $100 late invoice.
        let p = PastDue::new(vec![inv("INV-0001", 10000, 3)], owed(d(-5000)));
        assert_eq!(p.amount, d(5000));
        // Credit covers it all: nothing is late to ask for.
        let p = PastDue::new(vec![inv("INV-0001", 10000, 3)], owed(d(2500)));
        assert_eq!((p.amount, p.days_late()), (Decimal::ZERO, None));
    }

    #[test]
    fn aging_nets_credit_against_the_oldest_debt_first() {
        let (mut b, mut c) = ([100, 50, 0, 0, 30], 60);
        net_aging(&mut b, &mut c);
        assert_eq!((b, c), ([100, 20, 0, 0, 0], 0));
        let (mut b, mut c) = ([10, 0, 0, 0, 5], 45);
        net_aging(&mut b, &mut c);
        assert_eq!((b, c), ([0, 0, 0, 0, 0], 30));
    }

    #[test]
    fn invoice_numbers_read_as_a_list() {
        let p = |n: &[&str]| PastDue::new(n.iter().map(|n| inv(n, 100, 1)).collect(), d(1000));
        assert_eq!(p(&[]).numbers(), "");
        assert_eq!(p(&["INV-1"]).numbers(), "INV-1");
        assert_eq!(p(&["INV-1", "INV-2"]).numbers(), "INV-1 and INV-2");
        assert_eq!(p(&["A", "B", "C"]).numbers(), "A, B and C");
    }
}
