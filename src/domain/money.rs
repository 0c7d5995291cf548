//! Money: parsing what a person types and formatting what they read.
//!
//! Invariants: an accepted amount is never negative, never has more decimals
//! than the book's currency, and stays below [`MAX_AMOUNT`]. Values are
//! `Decimal` in Rust; conversion to INTEGER minor units happens only in
//! `store`, through [`Currency::to_minor`] / [`Currency::from_minor`], and is
//! exact (a value that would need rounding is an error, never rounded).

use std::str::FromStr;

use rust_decimal::prelude::ToPrimitive;
use rust_decimal::{Decimal, RoundingStrategy};
use thiserror::Error;

/// The largest amount a single entry may carry (exclusive): 1e12.
pub const MAX_AMOUNT: i64 = 1_000_000_000_000;

/// The book's one currency: its code, how it is written, and its minor unit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Currency {
    pub code: String,
    pub symbol: String,
    pub decimals: u32,
}

/// An amount in minor units, shown as [`Currency::plain`] shows it:
/// `-1500.00`, no grouping, exactly `decimals` places.
#[derive(Debug, Clone, Copy)]
pub struct PlainMinor {
    minor: i128,
    decimals: u32,
}

impl std::fmt::Display for PlainMinor {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let sign = if self.minor < 0 { "-" } else { "" };
        let abs = self.minor.unsigned_abs();
        if self.decimals == 0 {
            return write!(f, "{sign}{abs}");
        }
        let unit = 10u128.pow(self.decimals);
        let places = self.decimals as usize;
        write!(f, "{sign}{}.{:0places$}", abs / unit, abs % unit)
    }
}

impl Default for Currency {
    fn default() -> Self {
        Currency {
            code: "USD".into(),
            symbol: "$".into(),
            decimals: 2,
        }
    }
}

/// Why a typed amount was refused. Each message says what is accepted.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum MoneyError {
    #[error("is empty: enter an amount such as 150 or 150.50")]
    Empty,
    #[error(
        "\"{0}\" is negative: enter a positive amount (to lower what a customer owes, post a credit)"
    )]
    Negative(String),
    #[error("\"{0}\" is zero: the amount must be greater than zero")]
    Zero(String),
    #[error("\"{0}\" has {1} decimals: {2} allows at most {3}")]
    TooManyDecimals(String, usize, String, u32),
    #[error("\"{0}\" uses an exponent: write the full number, e.g. 1000 instead of 1e3")]
    Exponent(String),
    #[error("\"{0}\" is too large: amounts must be below 1,000,000,000,000")]
    TooLarge(String),
    #[error("\"{0}\" is not an amount: use digits like 150, 150.50, 1,500.00 or $150")]
    Invalid(String),
}

impl Currency {
    /// Parses a positive amount (a charge or a credit).
    pub fn parse_amount(&self, input: &str) -> Result<Decimal, MoneyError> {
        let value = self.parse_non_negative(input)?;
        if value.is_zero() {
            return Err(MoneyError::Zero(input.trim().to_string()));
        }
        Ok(value)
    }

    /// Parses an amount that may be zero (tax). An empty input is zero.
    pub fn parse_tax(&self, input: &str) -> Result<Decimal, MoneyError> {
        if input.trim().is_empty() {
            return Ok(self.zero());
        }
        self.parse_non_negative(input)
    }

    /// Zero with the currency's scale, so it formats as `0.00`.
    pub fn zero(&self) -> Decimal {
        Decimal::new(0, self.decimals)
    }

    fn parse_non_negative(&self, input: &str) -> Result<Decimal, MoneyError> {
        if let Some(v) = self.parse_plain(input.trim()) {
            return Ok(v);
        }
        let shown = input.trim().to_string();
        let mut s = shown.as_str();
        if s.is_empty() {
            return Err(MoneyError::Empty);
        }
        // A minus sign before or after the symbol both mean negative.
        let negative_first = s.starts_with('-');
        s = s.trim_start_matches('-').trim_start();
        s = strip_symbol(s, &self.symbol);
        if negative_first || s.starts_with('-') {
            return Err(MoneyError::Negative(shown));
        }
        if s.chars().any(|c| c == 'e' || c == 'E') && s.chars().any(|c| c.is_ascii_digit()) {
            return Err(MoneyError::Exponent(shown));
        }
        let (int_part, frac_part) = match s.split_once('.') {
            // ".5" is 0.5 and "5." is 5: their meaning is plain.
            Some(("", "")) => return Err(MoneyError::Invalid(shown.clone())),
            Some(("", f)) => ("0", Some(f)),
            Some((i, "")) => (i, None),
            Some((i, f)) => (i, Some(f)),
            None => (s, None),
        };
        let int_digits = ungroup(int_part).ok_or_else(|| MoneyError::Invalid(shown.clone()))?;
        if let Some(f) = frac_part {
            if f.is_empty() || !f.bytes().all(|b| b.is_ascii_digit()) {
                return Err(MoneyError::Invalid(shown.clone()));
            }
            if f.len() > self.decimals as usize {
                return Err(MoneyError::TooManyDecimals(
                    shown.clone(),
                    f.len(),
                    self.code.clone(),
                    self.decimals,
                ));
            }
        }
        if int_digits.trim_start_matches('0').len() > 12 {
            return Err(MoneyError::TooLarge(shown.clone()));
        }
        let plain = match frac_part {
            Some(f) => format!("{int_digits}.{f}"),
            None => int_digits,
        };
        let mut value =
            Decimal::from_str(&plain).map_err(|_| MoneyError::Invalid(shown.clone()))?;
        if value >= Decimal::from(MAX_AMOUNT) {
            return Err(MoneyError::TooLarge(shown.clone()));
        }
        value.rescale(self.decimals);
        Ok(value)
    }

    /// The common shape (`1500`, `1500.5`, `1500.50`: digits and at most
    /// one point, no more decimals than the currency has) read without
    /// allocating, as an import reads millions of them. `None` for
    /// anything else: the full parser then reads it or says what is wrong.
    fn parse_plain(&self, s: &str) -> Option<Decimal> {
        let (int, frac) = s.split_once('.').unwrap_or((s, ""));
        let digits = |t: &str| t.bytes().all(|b| b.is_ascii_digit());
        let dec = self.decimals as usize;
        if int.is_empty() || int.len() > 12 || !digits(int) || !digits(frac) || frac.len() > dec {
            return None;
        }
        if s.ends_with('.') {
            return None;
        }
        let mut minor: i64 = int.parse().ok()?;
        for i in 0..dec {
            let d = frac.as_bytes().get(i).map_or(0, |b| i64::from(b - b'0'));
            minor = minor * 10 + d;
        }
        Some(Decimal::new(minor, self.decimals))
    }

    /// Converts to minor units (cents). Exact: returns `None` if the value has
    /// more precision than the currency or does not fit.
    pub fn to_minor(&self, value: Decimal) -> Option<i64> {
        // A value at the currency's scale (all that parsing makes) is its
        // mantissa: no arithmetic, as an import converts millions.
        if value.scale() == self.decimals {
            return i64::try_from(value.mantissa()).ok();
        }
        let scaled = value.checked_mul(Decimal::from(10i64.checked_pow(self.decimals)?))?;
        if scaled.fract() != Decimal::ZERO {
            return None;
        }
        scaled.to_i64()
    }

    /// Converts stored minor units back to a value with the currency's scale.
    pub fn from_minor(&self, minor: i64) -> Decimal {
        Decimal::new(minor, self.decimals)
    }

    /// [`Currency::from_minor`] for a sum wider than 64 bits (a report's
    /// totals); exact up to 28 digits, past which it is held at the most a
    /// `Decimal` holds rather than wrapped.
    pub fn from_minor_wide(&self, minor: i128) -> Decimal {
        Decimal::try_from_i128_with_scale(minor, self.decimals).unwrap_or(if minor < 0 {
            Decimal::MIN
        } else {
            Decimal::MAX
        })
    }

    /// `-1500.00`: fixed decimals, no grouping, no symbol (CLI tables, JSON).
    pub fn plain(&self, value: Decimal) -> String {
        let mut v = value;
        v.rescale(self.decimals);
        format!("{v}")
    }

    /// [`Currency::plain`] of an amount in minor units, written straight
    /// to its reader (exports write millions: no `Decimal`, no `String`).
    pub fn plain_minor(&self, minor: i128) -> PlainMinor {
        PlainMinor {
            minor,
            decimals: self.decimals,
        }
    }

    /// `-$1,500.00`: symbol and thousands separators (screens, documents).
    pub fn display(&self, value: Decimal) -> String {
        let plain = self.plain(value.abs());
        let (int, frac) = match plain.split_once('.') {
            Some((i, f)) => (i, Some(f)),
            None => (plain.as_str(), None),
        };
        let sign = if value.is_sign_negative() && !value.is_zero() {
            "-"
        } else {
            ""
        };
        let grouped = group(int);
        match frac {
            Some(f) => format!("{sign}{}{grouped}.{f}", self.symbol),
            None => format!("{sign}{}{grouped}", self.symbol),
        }
    }

    /// `amount × percent / 100`, rounded half away from zero to the minor unit.
    pub fn percent_of(&self, amount: Decimal, percent: Decimal) -> Decimal {
        let mut v = (amount * percent / Decimal::ONE_HUNDRED)
            .round_dp_with_strategy(self.decimals, RoundingStrategy::MidpointAwayFromZero);
        v.rescale(self.decimals);
        v
    }
}

fn strip_symbol<'a>(s: &'a str, symbol: &str) -> &'a str {
    if !symbol.is_empty()
        && let Some(rest) = s.strip_prefix(symbol)
    {
        return rest.trim_start();
    }
    s
}

/// `1,500` → `1500`; commas only in groups of three, digits only.
fn ungroup(int_part: &str) -> Option<String> {
    if int_part.is_empty() {
        return None;
    }
    let groups: Vec<&str> = int_part.split(',').collect();
    let well_formed = groups.iter().enumerate().all(|(i, g)| {
        let digits = !g.is_empty() && g.bytes().all(|b| b.is_ascii_digit());
        let size_ok = if i == 0 {
            g.len() <= 3 || groups.len() == 1
        } else {
            g.len() == 3
        };
        digits && size_ok
    });
    well_formed.then(|| groups.concat())
}

/// `1234567` → `1,234,567`: digits grouped by thousands.
pub(crate) fn group(int_digits: &str) -> String {
    let mut out = String::with_capacity(int_digits.len() + int_digits.len() / 3);
    for (i, c) in int_digits.chars().enumerate() {
        if i > 0 && (int_digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn usd() -> Currency {
        Currency::default()
    }

    fn ok(s: &str) -> String {
        usd().plain(usd().parse_amount(s).expect(s))
    }

    #[test]
    fn minor_units_read_as_plain_does_at_every_scale() {
        for decimals in [0, 2, 3] {
            let cur = Currency { decimals, ..usd() };
            for minor in [
                0i64,
                1,
                -1,
                9,
                10,
                99,
                100,
                -100,
                150_050,
                -150_050,
                i64::MAX,
                i64::MIN,
            ] {
                let exact = Decimal::from_i128_with_scale(i128::from(minor), decimals);
                assert_eq!(
                    cur.plain_minor(i128::from(minor)).to_string(),
                    cur.plain(exact),
                    "{minor} at {decimals}"
                );
            }
        }
    }

    #[test]
    fn accepts_the_documented_forms() {
        assert_eq!(ok("150"), "150.00");
        assert_eq!(ok("150.5"), "150.50");
        assert_eq!(ok("150.50"), "150.50");
        assert_eq!(ok("1,500.00"), "1500.00");
        assert_eq!(ok("$150"), "150.00");
        assert_eq!(ok("  $ 1,234,567.8 "), "1234567.80");
        assert_eq!(ok("0.01"), "0.01");
        assert_eq!(ok("999,999,999,999.99"), "999999999999.99");
    }

    #[test]
    fn rejects_each_bad_form_with_its_reason() {
        let c = usd();
        assert_eq!(c.parse_amount(""), Err(MoneyError::Empty));
        assert_eq!(c.parse_amount("   "), Err(MoneyError::Empty));
        assert!(matches!(c.parse_amount("-5"), Err(MoneyError::Negative(_))));
        assert!(matches!(
            c.parse_amount("$-5"),
            Err(MoneyError::Negative(_))
        ));
        assert!(matches!(
            c.parse_amount("-$5"),
            Err(MoneyError::Negative(_))
        ));
        assert!(matches!(c.parse_amount("0"), Err(MoneyError::Zero(_))));
        assert!(matches!(c.parse_amount("0.00"), Err(MoneyError::Zero(_))));
        assert!(matches!(
            c.parse_amount("1.005"),
            Err(MoneyError::TooManyDecimals(_, 3, _, 2))
        ));
        assert!(matches!(
            c.parse_amount("1e3"),
            Err(MoneyError::Exponent(_))
        ));
        assert!(matches!(
            c.parse_amount("1E3"),
            Err(MoneyError::Exponent(_))
        ));
        assert!(matches!(c.parse_amount("NaN"), Err(MoneyError::Invalid(_))));
        assert!(matches!(c.parse_amount("inf"), Err(MoneyError::Invalid(_))));
        assert!(matches!(c.parse_amount("abc"), Err(MoneyError::Invalid(_))));
        assert!(matches!(
            c.parse_amount("1,50"),
            Err(MoneyError::Invalid(_))
        ));
        assert!(matches!(
            c.parse_amount("15,00.00"),
            Err(MoneyError::Invalid(_))
        ));
        assert!(matches!(
            c.parse_amount("1.2.3"),
            Err(MoneyError::Invalid(_))
        ));
        assert_eq!(c.parse_amount("150.").unwrap().to_string(), "150.00");
        assert_eq!(c.parse_amount(".5").unwrap().to_string(), "0.50");
        assert_eq!(c.parse_amount("$.05").unwrap().to_string(), "0.05");
        assert!(matches!(c.parse_amount("."), Err(MoneyError::Invalid(_))));
        assert!(matches!(c.parse_amount("$."), Err(MoneyError::Invalid(_))));
        assert!(matches!(c.parse_amount("+5"), Err(MoneyError::Invalid(_))));
        assert!(matches!(
            c.parse_amount("1 000"),
            Err(MoneyError::Invalid(_))
        ));
        assert!(matches!(
            c.parse_amount("1000000000000"),
            Err(MoneyError::TooLarge(_))
        ));
        assert!(matches!(
            c.parse_amount("99999999999999999999999999999999"),
            Err(MoneyError::TooLarge(_))
        ));
    }

    #[test]
    fn messages_say_what_is_accepted() {
        let msg = usd().parse_amount("abc").unwrap_err().to_string();
        assert!(msg.contains("150.50"), "{msg}");
        let msg = usd().parse_amount("1.005").unwrap_err().to_string();
        assert!(msg.contains("at most 2"), "{msg}");
    }

    #[test]
    fn tax_may_be_zero_or_empty_but_not_negative() {
        let c = usd();
        assert_eq!(c.plain(c.parse_tax("").unwrap()), "0.00");
        assert_eq!(c.plain(c.parse_tax("0").unwrap()), "0.00");
        assert_eq!(c.plain(c.parse_tax("12.5").unwrap()), "12.50");
        assert!(c.parse_tax("-1").is_err());
    }

    #[test]
    fn currencies_without_minor_units() {
        let jpy = Currency {
            code: "JPY".into(),
            symbol: "¥".into(),
            decimals: 0,
        };
        assert_eq!(jpy.plain(jpy.parse_amount("¥1,500").unwrap()), "1500");
        assert!(matches!(
            jpy.parse_amount("1.5"),
            Err(MoneyError::TooManyDecimals(..))
        ));
        assert_eq!(jpy.to_minor(Decimal::from(1500)), Some(1500));
        assert_eq!(jpy.display(Decimal::from(-1500)), "-¥1,500");
    }

    #[test]
    fn minor_units_round_trip_exactly() {
        let c = usd();
        let v = c.parse_amount("1,234.56").unwrap();
        assert_eq!(c.to_minor(v), Some(123_456));
        assert_eq!(c.from_minor(123_456), v);
        assert_eq!(c.to_minor(Decimal::new(1005, 3)), None);
        assert_eq!(c.plain(c.from_minor(-15_000)), "-150.00");
    }

    #[test]
    fn minor_units_are_the_same_whatever_the_scale_a_value_carries() {
        let c = usd();
        for (mantissa, scale, want) in [
            (15, 0, Some(1_500)),
            (-1505, 2, Some(-1_505)),
            (15050, 3, Some(1_505)),
            (15055, 3, None),
            (i64::MAX, 2, Some(i64::MAX)),
            (i64::MIN, 2, Some(i64::MIN)),
            (i64::MAX, 0, None),
        ] {
            let v = Decimal::new(mantissa, scale);
            assert_eq!(c.to_minor(v), want, "{v} at scale {scale}");
        }
        let wide = Decimal::from_i128_with_scale(i128::from(i64::MAX) + 1, 2);
        assert_eq!(c.to_minor(wide), None);
    }

    #[test]
    fn display_groups_and_signs() {
        let c = usd();
        assert_eq!(c.display(c.from_minor(-150_000)), "-$1,500.00");
        assert_eq!(c.display(c.from_minor(2_500)), "$25.00");
        assert_eq!(c.display(c.from_minor(0)), "$0.00");
        assert_eq!(c.display(c.from_minor(123_456_789)), "$1,234,567.89");
        assert_eq!(c.display(c.from_minor(100_000)), "$1,000.00");
    }

    #[test]
    fn percent_rounds_half_away_from_zero() {
        let c = usd();
        // 8.25% of 10.10 = 0.83325 → 0.83; of 10.00 = 0.825 → 0.83
        assert_eq!(
            c.plain(c.percent_of(c.from_minor(1010), Decimal::new(825, 2))),
            "0.83"
        );
        assert_eq!(
            c.plain(c.percent_of(c.from_minor(1000), Decimal::new(825, 2))),
            "0.83"
        );
    }
}
