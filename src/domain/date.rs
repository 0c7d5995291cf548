//! Calendar dates as the owner types them.
//!
//! Accepted: `YYYY-MM-DD` for a real calendar day, plus `today` and
//! `yesterday` as shorthands (relative to the clock the caller passes, so
//! tests stay deterministic). Files from other systems may also write
//! their dates in those systems' ways ([`parse_file_date`]).

use chrono::{Days, NaiveDate};
use thiserror::Error;

#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum DateError {
    #[error("\"{0}\" is not a date: use YYYY-MM-DD, e.g. 2026-11-21, or today/yesterday")]
    Format(String),
    #[error("\"{0}\" is not a real calendar day: use YYYY-MM-DD with a valid month and day")]
    Impossible(String),
    #[error(
        "\"{0}\" is out of range: tally keeps dates from {FIRST_YEAR}-01-01 to {LAST_YEAR}-12-31"
    )]
    OutOfRange(String),
}

/// The years a book's dates may fall in. Narrow enough that due dates
/// (a date plus at most ten years of terms) still have four-digit years.
pub const FIRST_YEAR: i32 = 1900;
pub const LAST_YEAR: i32 = 2199;

/// A date as another system's export writes it: what [`parse_date`]
/// takes, and `2023-08-28 20:18` (a time after the day, dropped),
/// `10/20/2019` (month first, as US exports write it), `Jan 28 2021` and
/// `January 28, 2021`. The error is [`parse_date`]'s, naming the forms.
pub fn parse_file_date(input: &str, today: NaiveDate) -> Result<NaiveDate, DateError> {
    let s = input.trim();
    if let Ok(d) = parse_date(s, today) {
        return Ok(d);
    }
    let in_range = |d: NaiveDate| {
        if (FIRST_YEAR..=LAST_YEAR).contains(&chrono::Datelike::year(&d)) {
            Ok(d)
        } else {
            Err(DateError::OutOfRange(s.into()))
        }
    };
    // A timestamp: its day.
    if let Some((day, _time)) = s.split_once([' ', 'T'])
        && day.len() == 10
        && day.as_bytes()[4] == b'-'
    {
        return parse_date(day, today);
    }
    for format in ["%m/%d/%Y", "%b %d %Y", "%B %d %Y", "%b %d, %Y", "%B %d, %Y"] {
        if let Ok(d) = NaiveDate::parse_from_str(s, format) {
            return in_range(d);
        }
    }
    Err(DateError::Format(s.into()))
}

/// Parses a typed date. An empty input means `today`.
pub fn parse_date(input: &str, today: NaiveDate) -> Result<NaiveDate, DateError> {
    let s = input.trim();
    match s.to_ascii_lowercase().as_str() {
        "" | "today" => return Ok(today),
        "yesterday" => {
            return today
                .checked_sub_days(Days::new(1))
                .ok_or_else(|| DateError::Format(s.into()));
        }
        _ => {}
    }
    let b = s.as_bytes();
    let shaped = b.len() == 10
        && b[4] == b'-'
        && b[7] == b'-'
        && b.iter()
            .enumerate()
            .all(|(i, c)| i == 4 || i == 7 || c.is_ascii_digit());
    if !shaped {
        return Err(DateError::Format(s.into()));
    }
    // Digits checked above: read them directly (chrono's parser is far
    // slower, and imports read a date per row).
    let num = |r: std::ops::Range<usize>| s[r].parse::<u32>().unwrap_or(0);
    let d = NaiveDate::from_ymd_opt(num(0..4) as i32, num(5..7), num(8..10))
        .ok_or_else(|| DateError::Impossible(s.into()))?;
    if !(FIRST_YEAR..=LAST_YEAR).contains(&chrono::Datelike::year(&d)) {
        return Err(DateError::OutOfRange(s.into()));
    }
    Ok(d)
}

/// A note for a date more than a year after `today` (a typo such as 2062
/// for 2026 is easy to make and would hide a charge from every report).
pub fn far_future_note(d: NaiveDate, today: NaiveDate) -> Option<String> {
    let limit = today.checked_add_days(Days::new(366))?;
    (d > limit).then(|| {
        format!(
            "{} is more than a year from today; if that is a typo, edit the entry",
            format_date(d)
        )
    })
}

/// The stored and printed form, `YYYY-MM-DD`.
pub fn format_date(d: NaiveDate) -> String {
    d.format("%Y-%m-%d").to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, 21).expect("valid")
    }

    #[test]
    fn accepts_iso_days_and_shorthands() {
        assert_eq!(
            format_date(parse_date("2026-02-28", today()).unwrap()),
            "2026-02-28"
        );
        assert_eq!(
            format_date(parse_date("2024-02-29", today()).unwrap()),
            "2024-02-29"
        );
        assert_eq!(parse_date("", today()).unwrap(), today());
        assert_eq!(parse_date("Today", today()).unwrap(), today());
        assert_eq!(
            format_date(parse_date("yesterday", today()).unwrap()),
            "2026-11-20"
        );
    }

    #[test]
    fn other_systems_dates_are_read() {
        let d = |s: &str| parse_file_date(s, today());
        let want = NaiveDate::from_ymd_opt(2019, 10, 20).unwrap();
        assert_eq!(d("10/20/2019"), Ok(want));
        assert_eq!(d("2019-10-20 20:18"), Ok(want));
        assert_eq!(d("2019-10-20T20:18:00"), Ok(want));
        assert_eq!(d("Oct 20 2019"), Ok(want));
        assert_eq!(d("October 20, 2019"), Ok(want));
        assert_eq!(
            d("1/2/2025"),
            Ok(NaiveDate::from_ymd_opt(2025, 1, 2).unwrap())
        );
        assert_eq!(d("yesterday"), Ok(today().pred_opt().unwrap()));
        assert!(matches!(d("13/20/2019"), Err(DateError::Format(_))));
        assert!(matches!(d("01/02/1800"), Err(DateError::OutOfRange(_))));
        assert!(matches!(d("soon"), Err(DateError::Format(_))));
    }

    #[test]
    fn rejects_impossible_days() {
        for s in [
            "2026-02-30",
            "2025-02-29",
            "2026-13-01",
            "2026-00-10",
            "2026-04-31",
        ] {
            assert!(
                matches!(parse_date(s, today()), Err(DateError::Impossible(_))),
                "{s}"
            );
        }
    }

    #[test]
    fn rejects_years_outside_the_books_range() {
        for s in ["0000-01-01", "1899-12-31", "2200-01-01", "9999-12-31"] {
            assert!(
                matches!(parse_date(s, today()), Err(DateError::OutOfRange(_))),
                "{s}"
            );
        }
        assert!(parse_date("1900-01-01", today()).is_ok());
        assert!(parse_date("2199-12-31", today()).is_ok());
    }

    #[test]
    fn a_date_more_than_a_year_ahead_gets_a_note() {
        let d = |s| parse_date(s, today()).unwrap();
        assert!(far_future_note(d("2027-11-21"), today()).is_none());
        let note = far_future_note(d("2030-01-01"), today()).unwrap();
        assert!(
            note.starts_with("2030-01-01 is more than a year from today"),
            "{note}"
        );
    }

    #[test]
    fn rejects_other_shapes() {
        for s in [
            "2026-2-3",
            "21/11/2026",
            "2026/11/21",
            "20261121",
            "next week",
            "2026-11-21T00:00",
        ] {
            assert!(
                matches!(parse_date(s, today()), Err(DateError::Format(_))),
                "{s}"
            );
        }
        let msg = parse_date("2026-02-30", today()).unwrap_err().to_string();
        assert!(msg.contains("YYYY-MM-DD"), "{msg}");
    }
}
