//! Dates as other tools write them, read without losing what they say: ISO dates at any precision
//! and date-times, ISO 8601 / EDTF intervals (`a/b`, open ends `../b` and `a/..`), EDTF qualifiers
//! (`~` approximate, `?` uncertain, `%` both), day-month-year in English words (`24 September 2023`,
//! `Sept 24, 2023`, `24-Sep-23`), and numeric day/month orders when the file's order is known.

use chrono::NaiveDate;

use super::date::{DateError, DatePrecision, FuzzyDate, SpanQualifiers, TimeOfDay, TimeSpan};

/// Which comes first in an all-numeric date such as `04/09/2023`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DayOrder {
    /// `04/09/2023` is 4 September (most of the world).
    DayFirst,
    /// `04/09/2023` is 9 April (the United States, TimeMap sheets).
    MonthFirst,
}

/// Reads a date or an interval into a span. `order` decides all-numeric dates like `04/09/2023`;
/// without it they are refused as ambiguous unless one part is over 12.
///
/// # Errors
/// Why the text is not a date or an interval this reader knows.
pub fn parse_when(text: &str, order: Option<DayOrder>) -> Result<TimeSpan, DateError> {
    let text = super::text::trimmed(text);
    if text.is_empty() {
        return Err(DateError::Empty);
    }
    if let Some((left, right)) = text.split_once('/').filter(|_| !looks_numeric_slashed(text)) {
        return interval(left, right, order);
    }
    let (date, approximate, uncertain) = parse_one(text, order)?;
    let mut span = TimeSpan::new(date, None, approximate).map_err(|_| DateError::BadForm)?;
    span.qualifiers = span.qualifiers.with(SpanQualifiers::UNCERTAIN, uncertain);
    Ok(span)
}

/// `a/b`, either side possibly open (`..` or empty).
fn interval(left: &str, right: &str, order: Option<DayOrder>) -> Result<TimeSpan, DateError> {
    let open = |side: &str| side.trim().is_empty() || side.trim() == "..";
    match (open(left), open(right)) {
        (true, true) => Err(DateError::BadForm),
        (false, true) => {
            let (start, approximate, uncertain) = parse_one(left, order)?;
            let mut span = TimeSpan::new(start, None, approximate).map_err(|_| DateError::BadForm)?;
            span.qualifiers =
                span.qualifiers.with(SpanQualifiers::UNCERTAIN, uncertain).with(SpanQualifiers::OPEN_END, true);
            Ok(span)
        }
        (true, false) => {
            let (end, approximate, uncertain) = parse_one(right, order)?;
            let mut span = TimeSpan::new(end, None, approximate).map_err(|_| DateError::BadForm)?;
            span.qualifiers =
                span.qualifiers.with(SpanQualifiers::UNCERTAIN, uncertain).with(SpanQualifiers::OPEN_START, true);
            Ok(span)
        }
        (false, false) => {
            let (start, a1, u1) = parse_one(left, order)?;
            let (end, a2, u2) = parse_one(right, order)?;
            let mut span =
                TimeSpan::new(start, Some(end), a1 || a2).map_err(|e| DateError::EndBefore(e.to_string()))?;
            span.qualifiers = span.qualifiers.with(SpanQualifiers::UNCERTAIN, u1 || u2);
            Ok(span)
        }
    }
}

/// True for `04/09/2023` and `4/9/23`: a date written with slashes, not an interval.
fn looks_numeric_slashed(text: &str) -> bool {
    let parts: Vec<&str> = text.split('/').collect();
    parts.len() == 3
        && parts.iter().all(|p| !p.is_empty() && p.len() <= 4 && p.trim().chars().all(|c| c.is_ascii_digit()))
}

/// One date with its EDTF qualifiers: (date, approximate, uncertain).
fn parse_one(text: &str, order: Option<DayOrder>) -> Result<(FuzzyDate, bool, bool), DateError> {
    let mut text = super::text::trimmed(text);
    let (mut approximate, mut uncertain) = (false, false);
    loop {
        if let Some(rest) = text.strip_suffix('~') {
            approximate = true;
            text = rest;
        } else if let Some(rest) = text.strip_suffix('?') {
            uncertain = true;
            text = rest;
        } else if let Some(rest) = text.strip_suffix('%') {
            approximate = true;
            uncertain = true;
            text = rest;
        } else {
            break;
        }
    }
    let text = super::text::trimmed(text);
    let iso = FuzzyDate::parse(text);
    if let Ok(date) = iso {
        return Ok((date, approximate, uncertain));
    }
    // When no other form reads it either, the ISO reader's reason is the most precise.
    let fallback = match iso {
        Err(DateError::BadForm) | Ok(_) => DateError::BadForm,
        Err(specific) => specific,
    };
    let date = numeric(text, order).or_else(|| in_words(text)).ok_or(fallback)??;
    Ok((date, approximate, uncertain))
}

/// `24/09/2023`, `24.09.2023`, `9/24/2023`, `24-09-2023` (with a known or evident order).
fn numeric(text: &str, order: Option<DayOrder>) -> Option<Result<FuzzyDate, DateError>> {
    let parts: Vec<&str> = text.split(['/', '.', '-']).collect();
    let [a, b, y] = parts.as_slice() else { return None };
    if !(a.len() <= 2 && b.len() <= 2 && (y.len() == 4 || y.len() == 2)) {
        return None;
    }
    let (a, b, y): (u32, u32, i32) = (a.parse().ok()?, b.parse().ok()?, y.parse().ok()?);
    let year = full_year(y, parts.get(2).map_or(4, |p| p.len()));
    let order = match order {
        Some(order) => order,
        None if a > 12 => DayOrder::DayFirst,
        None if b > 12 => DayOrder::MonthFirst,
        None if a == b => DayOrder::DayFirst,
        None => return Some(Err(DateError::Ambiguous(text.to_owned()))),
    };
    let (day, month) = if order == DayOrder::DayFirst { (a, b) } else { (b, a) };
    Some(make(year, month, Some(day)))
}

/// A two-digit year, read around 1950: `97` is 1997, `23` is 2023.
fn full_year(year: i32, digits: usize) -> i32 {
    match (digits, year) {
        (2, y) if y > 50 => 1900 + y,
        (2, y) => 2000 + y,
        (_, y) => y,
    }
}

fn make(year: i32, month: u32, day: Option<u32>) -> Result<FuzzyDate, DateError> {
    if !(1..=9999).contains(&year) {
        return Err(DateError::YearOutOfRange(i64::from(year)));
    }
    if !(1..=12).contains(&month) {
        return Err(DateError::MonthOutOfRange(month));
    }
    match day {
        Some(day) => NaiveDate::from_ymd_opt(year, month, day).map(FuzzyDate::day).ok_or(DateError::NoSuchDay {
            year,
            month,
            day,
        }),
        None => NaiveDate::from_ymd_opt(year, month, 1)
            .map(|d| FuzzyDate::new(d, DatePrecision::Month))
            .ok_or(DateError::BadForm),
    }
}

/// The month named by an English word or abbreviation (`Sep`, `Sept`, `September`).
fn month_named(word: &str) -> Option<u32> {
    const MONTHS: [&str; 12] = [
        "january",
        "february",
        "march",
        "april",
        "may",
        "june",
        "july",
        "august",
        "september",
        "october",
        "november",
        "december",
    ];
    let word = word.trim_end_matches('.').to_ascii_lowercase();
    if word.len() < 3 {
        return None;
    }
    let found = MONTHS.iter().position(|m| m.starts_with(&word) || (word == "sept" && *m == "september"))?;
    u32::try_from(found + 1).ok()
}

/// `24 September 2023`, `September 24, 2023`, `24-Sep-23`, `September 2023`, with an optional
/// time after a comma or a space (`24 September 2023, 14:30`).
fn in_words(text: &str) -> Option<Result<FuzzyDate, DateError>> {
    let words: Vec<&str> =
        text.split(|c: char| c.is_whitespace() || c == ',' || c == '-').filter(|w| !w.is_empty()).collect();
    // A time is the first word with a colon, with whatever follows it (`2:30 pm`).
    let time_at = words.iter().position(|w| w.contains(':'));
    let time = time_at.map(|at| words.get(at..).unwrap_or_default().join(" "));
    let words = words.get(..time_at.unwrap_or(words.len())).unwrap_or_default();
    let number = |w: &str| {
        w.trim_end_matches(['.', ','])
            .trim_end_matches("st")
            .trim_end_matches("nd")
            .trim_end_matches("rd")
            .trim_end_matches("th")
            .parse::<u32>()
            .ok()
    };
    let date = match words {
        [day, month, year] if month_named(month).is_some() && number(day).is_some() => {
            let year_digits = year.len();
            let year = full_year(i32::try_from(number(year)?).ok()?, year_digits);
            make(year, month_named(month)?, number(day))
        }
        [month, day, year] if month_named(month).is_some() && number(day).is_some() => {
            let year = i32::try_from(number(year)?).ok()?;
            make(full_year(year, 4), month_named(month)?, number(day))
        }
        [month, year] if month_named(month).is_some() && year.len() == 4 => {
            make(i32::try_from(number(year)?).ok()?, month_named(month)?, None)
        }
        _ => return None,
    };
    Some(date.map(|date| match time.as_deref().and_then(parse_time) {
        Some(time) if date.precision == DatePrecision::Day => FuzzyDate { time: Some(time), ..date },
        _ => date,
    }))
}

/// `14:30`, `14:30:15`, `2:30 pm`.
pub fn parse_time(text: &str) -> Option<TimeOfDay> {
    let text = text.trim().to_ascii_lowercase();
    let (clock, pm) = match (text.strip_suffix("pm"), text.strip_suffix("am")) {
        (Some(clock), _) => (clock.trim(), Some(true)),
        (_, Some(clock)) => (clock.trim(), Some(false)),
        _ => (text.as_str(), None),
    };
    let mut parts = clock.split(':');
    let hour: u32 = parts.next()?.trim().parse().ok()?;
    let minute: u32 = parts.next().map_or(Some(0), |m| m.trim().parse().ok())?;
    let hour = match pm {
        Some(true) if hour < 12 => hour + 12,
        Some(false) if hour == 12 => 0,
        _ => hour,
    };
    TimeOfDay::new(hour, minute)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(text: &str) -> String {
        parse_when(text, None).unwrap().in_words()
    }

    #[test]
    fn dates_in_words_and_other_orders() {
        assert_eq!(words("24 September 2023"), "24 September 2023");
        assert_eq!(words("Sept 24, 2023"), "24 September 2023");
        assert_eq!(words("24-Sep-23"), "24 September 2023");
        assert_eq!(words("7-Feb-97"), "7 February 1997");
        assert_eq!(words("September 2023"), "September 2023");
        assert_eq!(words("24.09.2023"), "24 September 2023");
        assert_eq!(words("24/09/2023"), "24 September 2023");
        assert_eq!(parse_when("04/09/2023", Some(DayOrder::MonthFirst)).unwrap().in_words(), "9 April 2023");
        assert!(matches!(parse_when("04/09/2023", None), Err(DateError::Ambiguous(_))));
        assert_eq!(words("2023-09-24T14:30:00Z"), "24 September 2023, 14:30");
        assert_eq!(words("24 September 2023, 2:30 pm"), "24 September 2023, 14:30");
    }

    #[test]
    fn intervals_and_qualifiers() {
        assert_eq!(words("2023-09-24/2023-09-26"), "24–26 September 2023");
        assert_eq!(words("1998-07/1999-01"), "July 1998 – January 1999");
        assert_eq!(words("2022-03/.."), "since March 2022 (ongoing)");
        assert_eq!(words("../2023"), "until 2023 (beginning unknown)");
        let approximate = parse_when("1998-05~", None).unwrap();
        assert!(approximate.approximate && !approximate.uncertain());
        let uncertain = parse_when("1999-01-08?", None).unwrap();
        assert!(uncertain.uncertain() && !uncertain.approximate);
        assert!(parse_when("2023%", None).unwrap().uncertain());
        assert!(matches!(parse_when("2023-09-26/2023-09-24", None), Err(DateError::EndBefore(_))));
        assert!(parse_when("../..", None).is_err());
        assert!(parse_when("the day after", None).is_err());
        assert!(matches!(parse_when("31 February 2023", None), Err(DateError::NoSuchDay { .. })));
    }

    #[test]
    fn times_of_day() {
        assert_eq!(parse_time("14:30").unwrap().to_string(), "14:30");
        assert_eq!(parse_time("12:05 am").unwrap().to_string(), "00:05");
        assert!(parse_time("25:00").is_none());
        assert!(parse_time("noon").is_none());
    }
}
