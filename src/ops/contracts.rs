//! Contracts: made, edited, ended, and the catch-up that posts each period
//! that has started and is not charged yet (at TUI start and in `tally
//! billing run`, like the monthly billing cycle). The catch-up is one
//! transaction that reads what is charged under the write lock, so two
//! tallys catching up at once post each period once.

use chrono::NaiveDate;
use rust_decimal::Decimal;

use super::{Book, Ctx, OpsError, Result, find_customer};
use crate::domain::contract::{Contract, ContractError, ContractId, ContractInput, NewContract};
use crate::domain::customer::CustomerId;
use crate::domain::entry::{EntryKind, NewEntry};
use crate::domain::timeline::change;
use crate::store::Tx;

/// Fields of a contract to change; `None` keeps the current value.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ContractEdit {
    pub name: Option<String>,
    pub value: Option<String>,
    /// `Some("")` or `Some("none")` clears the end date.
    pub end: Option<String>,
    pub terms: Option<String>,
    pub notes: Option<String>,
}

/// What one catch-up posted for one contract.
#[derive(Debug, Clone, PartialEq)]
pub struct ContractCharges {
    pub contract: ContractId,
    pub customer: CustomerId,
    pub name: String,
    pub periods: Vec<String>,
}

impl Book {
    pub fn contract(&self, id: ContractId) -> Result<Contract> {
        self.reads()
            .contract(id)?
            .ok_or(OpsError::from(ContractError::NotFound(id)))
    }

    /// Adds a contract and, in the same transaction, charges the periods
    /// of it that have already started (as the next catch-up would): the
    /// one way the command line and the full screen add a contract.
    /// Returns its id and the periods charged.
    pub fn add_contract(
        &mut self,
        customer: CustomerId,
        input: &ContractInput,
    ) -> Result<(ContractId, Vec<String>)> {
        let today = self.clock.today();
        let c = input
            .validate(self.currency(), today)
            .map_err(|e| ContractError::Field(e.join("; ")))?;
        self.transact(|tx, cx| {
            find_customer(&tx.reads(), customer)?;
            let now = cx.clock.now();
            let id = tx.insert_contract(customer, &c, now)?;
            let detail = format!("contract #{id} {}: {}", c.name, cx.describe_contract(&c));
            tx.log(customer, now, cx.actor, "contract.added", &detail)?;
            let added = tx
                .reads()
                .contract(id)?
                .ok_or(OpsError::from(ContractError::NotFound(id)))?;
            let periods = cx
                .charge_due(tx, &added, today)?
                .map(|p| p.periods)
                .unwrap_or_default();
            Ok((id, periods))
        })
    }

    /// `tally contract edit` (and `end`): a new value applies to periods not
    /// charged yet; charges already posted stay as they are.
    pub fn edit_contract(&mut self, id: ContractId, edit: &ContractEdit) -> Result<bool> {
        let today = self.clock.today();
        let cur = self.currency().clone();
        self.transact(|tx, cx| {
            let before = tx
                .reads()
                .contract(id)?
                .ok_or(ContractError::NotFound(id))?;
            let typed = ContractInput {
                name: edit.name.clone().unwrap_or_else(|| before.name.clone()),
                kind: before.kind().into(),
                every: before.every.map(|e| e.as_str().to_string()),
                value: edit
                    .value
                    .clone()
                    .unwrap_or_else(|| cur.plain(before.value)),
                start: before.start.to_string(),
                end: edit
                    .end
                    .clone()
                    .or_else(|| before.end.map(|e| e.to_string())),
                terms: edit
                    .terms
                    .clone()
                    .or_else(|| before.terms_days.map(|t| t.to_string())),
                notes: edit.notes.clone().or_else(|| before.notes.clone()),
            };
            let after = typed
                .validate(&cur, today)
                .map_err(|e| ContractError::Field(e.join("; ")))?;
            let opt = |d: Option<NaiveDate>| d.map_or("none".to_string(), |d| d.to_string());
            let changes: Vec<String> = [
                change("name", &before.name, &after.name),
                change("value", &cx.money(before.value), &cx.money(after.value)),
                change("end", &opt(before.end), &opt(after.end)),
                change(
                    "terms",
                    &before
                        .terms_days
                        .map_or("default".into(), |t| format!("{t} days")),
                    &after
                        .terms_days
                        .map_or("default".into(), |t| format!("{t} days")),
                ),
                change(
                    "notes",
                    before.notes.as_deref().unwrap_or(""),
                    after.notes.as_deref().unwrap_or(""),
                ),
            ]
            .into_iter()
            .flatten()
            .collect();
            if changes.is_empty() {
                return Ok(false);
            }
            tx.update_contract(id, &after)?;
            let detail = format!("contract #{id} {}: {}", after.name, changes.join("; "));
            tx.log(
                before.customer_id,
                cx.clock.now(),
                cx.actor,
                "contract.edited",
                &detail,
            )?;
            Ok(true)
        })
    }

    /// Posts every started, uncharged period of every contract, as of
    /// `today`. Running it twice posts nothing the second time.
    pub fn contract_catch_up(&mut self, today: NaiveDate) -> Result<Vec<ContractCharges>> {
        self.transact(|tx, cx| {
            let mut posted = Vec::new();
            for c in tx.reads().contracts_to_charge(today)? {
                posted.extend(cx.charge_due(tx, &c, today)?);
            }
            Ok(posted)
        })
    }
}

impl Ctx<'_> {
    /// Posts the started periods of `c` not charged yet, as of `today`;
    /// `None` when there were none.
    fn charge_due(
        &self,
        tx: &Tx<'_>,
        c: &Contract,
        today: NaiveDate,
    ) -> Result<Option<ContractCharges>> {
        let charged = tx.reads().charged_periods(c.id)?;
        let due: Vec<_> = c
            .due_periods(today)
            .into_iter()
            .filter(|p| !charged.contains(&p.key))
            .collect();
        if due.is_empty() {
            return Ok(None);
        }
        self.post_periods(tx, c, &due)?;
        Ok(Some(ContractCharges {
            contract: c.id,
            customer: c.customer_id,
            name: c.name.clone(),
            periods: due.iter().map(|p| p.key.clone()).collect(),
        }))
    }

    fn post_periods(
        &self,
        tx: &Tx<'_>,
        c: &Contract,
        due: &[crate::domain::contract::DuePeriod],
    ) -> Result<()> {
        let now = self.clock.now();
        let before = find_customer(&tx.reads(), c.customer_id)?.balance;
        let rate = self.config.default_tax_rate();
        let cur = self.config.currency();
        for p in due {
            let e = NewEntry {
                kind: EntryKind::Charge,
                amount: c.value,
                tax: cur.percent_of(c.value, rate),
                description: c.charge_description(p),
                method: None,
                date: p.start,
            };
            let id = tx.insert_entry(c.customer_id, &e, now)?;
            tx.mark_contract_charge(c.id, &p.key, id, now)?;
        }
        let detail = format!(
            "contract #{} {} charged {} ({}): {} each; {}",
            c.id,
            c.name,
            crate::domain::text::count(due.len(), "period", "periods"),
            due.iter()
                .map(|p| p.key.as_str())
                .collect::<Vec<_>>()
                .join(", "),
            self.money(c.value),
            self.balance_move(tx, c.customer_id, before)?
        );
        tx.log(c.customer_id, now, self.actor, "contract.charged", &detail)
            .map_err(OpsError::from)
    }

    fn describe_contract(&self, c: &NewContract) -> String {
        let mut s = match c.every {
            Some(e) => format!("{} {} from {}", e.as_str(), self.money(c.value), c.start),
            None => format!("one-time {} on {}", self.money(c.value), c.start),
        };
        if let Some(end) = c.end {
            s.push_str(&format!(" to {end}"));
        }
        s
    }
}

/// The value of a contract's charges posted so far, for `contract show`.
pub fn billed_text(n: usize, total: Decimal, cur: &crate::domain::Currency) -> String {
    format!(
        "{} charged, {}",
        crate::domain::text::count(n, "period", "periods"),
        cur.display(total)
    )
}
