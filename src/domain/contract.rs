//! Contracts (seed 004): agreements a customer is billed through. A
//! recurring one charges its value once per period (week, month or year)
//! from its start date until its end date; a one-time one charges once, on
//! its start date.
//!
//! Invariants: period `k` starts `k` periods after the start date, counted
//! from the start each time (a contract starting on the 31st charges on
//! the last day of shorter months and on the 31st again after); a period
//! is due once it has started and is not after the end date; each period
//! is identified by its start date, so charging is idempotent.

use chrono::{DateTime, Days, Months, NaiveDate, Utc};
use rust_decimal::Decimal;
use thiserror::Error;

use super::customer::CustomerId;
use super::money::Currency;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ContractId(pub i64);

impl std::fmt::Display for ContractId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}", self.0)
    }
}

/// How often a recurring contract charges.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Every {
    Week,
    Month,
    Year,
}

impl Every {
    pub fn as_str(self) -> &'static str {
        match self {
            Every::Week => "weekly",
            Every::Month => "monthly",
            Every::Year => "yearly",
        }
    }

    pub fn parse(s: &str) -> Option<Every> {
        match s.trim().to_ascii_lowercase().as_str() {
            "weekly" | "week" => Some(Every::Week),
            "monthly" | "month" => Some(Every::Month),
            "yearly" | "year" | "annual" => Some(Every::Year),
            _ => None,
        }
    }

    /// The start of period `k` of a contract starting on `start`.
    fn nth(self, start: NaiveDate, k: u32) -> Option<NaiveDate> {
        match self {
            Every::Week => start.checked_add_days(Days::new(7 * u64::from(k))),
            Every::Month => start.checked_add_months(Months::new(k)),
            Every::Year => start.checked_add_months(Months::new(12 * k)),
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Contract {
    pub id: ContractId,
    pub customer_id: CustomerId,
    pub name: String,
    /// `None`: one-time.
    pub every: Option<Every>,
    pub value: Decimal,
    pub start: NaiveDate,
    pub end: Option<NaiveDate>,
    pub terms_days: Option<u32>,
    pub notes: Option<String>,
    pub created_at: DateTime<Utc>,
}

/// A period a contract charges for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DuePeriod {
    /// The period's start, `YYYY-MM-DD`: what marks it charged.
    pub key: String,
    pub start: NaiveDate,
    /// How the charge's description names it: "Sep 2026".
    pub label: String,
}

/// Most periods one catch-up posts for one contract (a weekly contract
/// started decades ago is a typo, not 2,000 charges).
pub const MAX_PERIODS: u32 = 1200;

impl Contract {
    pub fn kind(&self) -> &'static str {
        match self.every {
            Some(_) => "recurring",
            None => "one-time",
        }
    }

    /// scheduled (not started), active, or ended (as of `today`).
    pub fn status(&self, today: NaiveDate) -> &'static str {
        // A one-time contract is done once its day has come (and charged).
        if self.start > today {
            "scheduled"
        } else if self.every.is_none() || self.end.is_some_and(|e| e < today) {
            "ended"
        } else {
            "active"
        }
    }

    /// Every period that has started by `today` and is within the
    /// contract, oldest first.
    pub fn due_periods(&self, today: NaiveDate) -> Vec<DuePeriod> {
        let Some(every) = self.every else {
            return if self.start <= today {
                vec![DuePeriod {
                    key: self.start.format("%Y-%m-%d").to_string(),
                    start: self.start,
                    label: String::new(),
                }]
            } else {
                Vec::new()
            };
        };
        let last = self.end.map_or(today, |e| e.min(today));
        (0..MAX_PERIODS)
            .map_while(|k| every.nth(self.start, k))
            .take_while(|d| *d <= last)
            .map(|d| DuePeriod {
                key: d.format("%Y-%m-%d").to_string(),
                start: d,
                label: match every {
                    Every::Week => format!("week of {}", d.format("%Y-%m-%d")),
                    Every::Month => d.format("%b %Y").to_string(),
                    Every::Year => d.format("%Y").to_string(),
                },
            })
            .collect()
    }

    /// The description a period's charge gets.
    pub fn charge_description(&self, p: &DuePeriod) -> String {
        if p.label.is_empty() {
            self.name.clone()
        } else {
            format!("{} — {}", self.name, p.label)
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum ContractError {
    #[error("{0}")]
    Field(String),
    #[error("contract {0} not found: `tally contract list` shows the ids")]
    NotFound(ContractId),
}

/// A contract as typed; checked by [`ContractInput::validate`].
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ContractInput {
    pub name: String,
    /// `recurring` or `one-time`.
    pub kind: String,
    /// `monthly` (default), `weekly` or `yearly`, for recurring ones.
    pub every: Option<String>,
    pub value: String,
    pub start: String,
    pub end: Option<String>,
    pub terms: Option<String>,
    pub notes: Option<String>,
}

/// A checked contract, ready to store.
#[derive(Debug, Clone, PartialEq)]
pub struct NewContract {
    pub name: String,
    pub every: Option<Every>,
    pub value: Decimal,
    pub start: NaiveDate,
    pub end: Option<NaiveDate>,
    pub terms_days: Option<u32>,
    pub notes: Option<String>,
}

impl ContractInput {
    /// Every problem at once, each naming its field.
    pub fn validate(
        &self,
        currency: &Currency,
        today: NaiveDate,
    ) -> Result<NewContract, Vec<String>> {
        let mut errors = Vec::new();
        let name = self.name.trim();
        if name.is_empty() {
            errors.push("name is empty: name the contract (e.g. \"Monthly lawn care\")".into());
        } else if name.chars().count() > 200 {
            errors.push("name is too long: at most 200 characters".into());
        }
        let every = match self.kind.trim().to_ascii_lowercase().as_str() {
            "recurring" => match self.every.as_deref().map(Every::parse) {
                None => Some(Every::Month),
                Some(Some(e)) => Some(e),
                Some(None) => {
                    errors.push("period must be monthly, weekly or yearly".into());
                    None
                }
            },
            "one-time" | "onetime" | "once" => None,
            other => {
                errors.push(format!(
                    "type \"{other}\" is not one of: recurring, one-time"
                ));
                None
            }
        };
        let value = currency
            .parse_amount(&self.value)
            .map_err(|e| errors.push(format!("value {e}")))
            .ok();
        let date = |s: &str, what: &str, errors: &mut Vec<String>| {
            super::date::parse_date(s, today)
                .map_err(|e| errors.push(format!("{what} {e}")))
                .ok()
        };
        let start = date(&self.start, "start date", &mut errors);
        let end = match self
            .end
            .as_deref()
            .map(str::trim)
            .filter(|e| !e.is_empty() && *e != "none")
        {
            Some(e) => date(e, "end date", &mut errors),
            None => None,
        };
        if let (Some(s), Some(e)) = (start, end)
            && e < s
        {
            errors.push(format!("end date {e} is before the start date {s}"));
        }
        let terms_days = match self
            .terms
            .as_deref()
            .map(str::trim)
            .filter(|t| !t.is_empty())
        {
            Some(t) => match t.parse::<u32>() {
                Ok(d) if d <= 3650 => Some(d),
                _ => {
                    errors.push(format!(
                        "terms \"{t}\" is not a number of days from 0 to 3650"
                    ));
                    None
                }
            },
            None => None,
        };
        let notes = self
            .notes
            .as_deref()
            .map(str::trim)
            .filter(|n| !n.is_empty())
            .map(str::to_string);
        match (value, start) {
            (Some(value), Some(start)) if errors.is_empty() => Ok(NewContract {
                name: name.to_string(),
                every,
                value,
                start,
                end,
                terms_days,
                notes,
            }),
            _ => Err(errors),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn contract(every: Option<Every>, start: &str, end: Option<&str>) -> Contract {
        let d = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
        Contract {
            id: ContractId(1),
            customer_id: CustomerId(1),
            name: "Lawn care".into(),
            every,
            value: Decimal::new(15000, 2),
            start: d(start),
            end: end.map(d),
            terms_days: None,
            notes: None,
            created_at: Utc::now(),
        }
    }

    fn keys(c: &Contract, today: &str) -> Vec<String> {
        let today = NaiveDate::parse_from_str(today, "%Y-%m-%d").unwrap();
        c.due_periods(today).into_iter().map(|p| p.key).collect()
    }

    #[test]
    fn months_count_from_the_start_so_the_31st_stays_the_31st() {
        let c = contract(Some(Every::Month), "2026-01-31", None);
        assert_eq!(
            keys(&c, "2026-05-30"),
            ["2026-01-31", "2026-02-28", "2026-03-31", "2026-04-30"]
        );
        let leap = contract(Some(Every::Month), "2028-01-31", None);
        assert_eq!(keys(&leap, "2028-03-01")[1], "2028-02-29");
        let yearly = contract(Some(Every::Year), "2024-02-29", None);
        assert_eq!(
            keys(&yearly, "2026-03-01"),
            ["2024-02-29", "2025-02-28", "2026-02-28"]
        );
        let weekly = contract(Some(Every::Week), "2026-12-28", None);
        assert_eq!(
            keys(&weekly, "2027-01-11"),
            ["2026-12-28", "2027-01-04", "2027-01-11"]
        );
    }

    #[test]
    fn the_end_date_and_a_future_start_are_respected() {
        let ended = contract(Some(Every::Month), "2026-01-15", Some("2026-03-14"));
        assert_eq!(keys(&ended, "2026-12-01"), ["2026-01-15", "2026-02-15"]);
        let future = contract(Some(Every::Month), "2027-01-01", None);
        assert!(keys(&future, "2026-12-01").is_empty());
        assert_eq!(
            future.status(NaiveDate::from_ymd_opt(2026, 12, 1).unwrap()),
            "scheduled"
        );
        let once = contract(None, "2026-06-01", None);
        assert_eq!(keys(&once, "2026-12-01"), ["2026-06-01"]);
        assert_eq!(
            once.charge_description(&once.due_periods(NaiveDate::MAX)[0]),
            "Lawn care"
        );
    }

    #[test]
    fn typed_contracts_say_every_problem() {
        let today = NaiveDate::from_ymd_opt(2026, 11, 23).unwrap();
        let bad = ContractInput {
            name: " ".into(),
            kind: "forever".into(),
            value: "-5".into(),
            start: "2026-13-01".into(),
            ..Default::default()
        };
        assert_eq!(
            bad.validate(&Currency::default(), today).unwrap_err().len(),
            4
        );
        let ok = ContractInput {
            name: "Lawn care".into(),
            kind: "recurring".into(),
            value: "150".into(),
            start: "2026-08-01".into(),
            end: Some("2026-07-01".into()),
            ..Default::default()
        };
        assert!(
            ok.validate(&Currency::default(), today).unwrap_err()[0].contains("before the start")
        );
    }
}
