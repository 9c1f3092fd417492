//! A record's dates as a time span: any form Kronika reads, in the file's own day/month order
//! (found from its dates), with a separate time of day and a precision the file states apart.

use chrono::{Datelike as _, Days, NaiveDate};

use crate::io::problem::{Location, Problem, ProblemKind};
use crate::io::records::{DatePrecisionHint, FieldNames, RawRecord};
use crate::model::TimeSpan;
use crate::model::date::{DatePrecision, FuzzyDate};
use crate::model::text::trimmed;
use crate::model::when::{DayOrder, parse_time, parse_when};

/// The day/month order of the file's all-numeric dates, from the dates themselves: a first part
/// over 12 means day first, a second part over 12 month first. `None` when nothing tells.
pub(super) fn day_order(records: &[RawRecord<'_>]) -> Option<DayOrder> {
    day_order_of(records.iter().flat_map(|r| [r.start.as_deref(), r.end.as_deref()]).flatten())
}

/// As [`day_order`], from the records' dates: each record's start and end (when it has them), in
/// record order.
pub(super) fn day_order_of<'t>(dates: impl Iterator<Item = &'t str>) -> Option<DayOrder> {
    let (mut day_first, mut month_first) = (0_usize, 0_usize);
    for text in dates.take(100_000) {
        let parts: Vec<&str> = text.trim().split(['/', '.']).collect();
        if let [a, b, _] = parts.as_slice()
            && let (Ok(a), Ok(b)) = (a.trim().parse::<u32>(), b.trim().parse::<u32>())
        {
            day_first += usize::from(a > 12);
            month_first += usize::from(b > 12);
        }
    }
    match (day_first, month_first) {
        (0, 0) => None,
        (d, m) if d >= m => Some(DayOrder::DayFirst),
        _ => Some(DayOrder::MonthFirst),
    }
}

/// The record's dates as a span, honouring a separate time and a precision the file states.
pub(super) fn build_span(
    record: &RawRecord<'_>,
    names: &FieldNames,
    order: Option<DayOrder>,
    at: &dyn Fn() -> Location,
    problems: &mut Vec<Problem>,
) -> Option<TimeSpan> {
    let field = |name: &Option<String>, fallback: &str| Location {
        field: Some(name.clone().unwrap_or_else(|| fallback.to_owned())),
        ..at()
    };
    let bad = |value: &str, reason: String| ProblemKind::BadDate { value: value.to_owned(), reason };
    let Some(start_text) = record.start.as_deref().filter(|s| !trimmed(s).is_empty()) else {
        problems.push(Problem::error(field(&names.start, "start"), ProblemKind::Missing));
        return None;
    };
    let mut span = match parse_when(start_text, order) {
        Ok(span) => span,
        Err(error) => {
            problems.push(Problem::error(field(&names.start, "start"), bad(start_text, error.to_string())));
            return None;
        }
    };
    if let Some(end_text) = record.end.as_deref().filter(|s| !trimmed(s).is_empty()) {
        match parse_when(end_text, order) {
            Ok(end) => match TimeSpan::new(span.start, Some(end.end), span.approximate || end.approximate) {
                Ok(joined) => span = TimeSpan { qualifiers: span.qualifiers, ..joined },
                Err(error) => {
                    problems
                        .push(Problem::error(field(&names.end, "end"), ProblemKind::EndBeforeStart(error.to_string())));
                    return None;
                }
            },
            Err(error) => {
                problems.push(Problem::error(field(&names.end, "end"), bad(end_text, error.to_string())));
                return None;
            }
        }
    }
    if let Some(time_text) = record.time.as_deref().filter(|t| !trimmed(t).is_empty()) {
        match parse_time(time_text) {
            Some(time) if span.start.precision == DatePrecision::Day => span.start.time = Some(time),
            Some(_) => {}
            None => problems.push(Problem::warning(
                field(&names.time, "time"),
                bad(time_text, "not a time of day (HH:MM); the date is kept without it".into()),
            )),
        }
    }
    Some(match record.date_precision {
        Some(DatePrecisionHint::Week) => widen(span, 3),
        Some(DatePrecisionHint::Month) => whole_month(span),
        Some(DatePrecisionHint::Day) | None => span,
    })
}

/// A date known only to the week: the three days either side, marked approximate.
fn widen(span: TimeSpan, days: u64) -> TimeSpan {
    let first = span.start.first_day.checked_sub_days(Days::new(days)).unwrap_or(span.start.first_day);
    let last = span.end.last_day().checked_add_days(Days::new(days)).unwrap_or(span.end.last_day());
    TimeSpan::new(FuzzyDate::day(first), Some(FuzzyDate::day(last)), true)
        .map_or(span, |widened| TimeSpan { qualifiers: span.qualifiers, ..widened })
}

/// A date known only to the month: the whole month.
fn whole_month(span: TimeSpan) -> TimeSpan {
    let first = span.start.first_day;
    NaiveDate::from_ymd_opt(first.year(), first.month(), 1)
        .map(|day| FuzzyDate::new(day, DatePrecision::Month))
        .and_then(|month| TimeSpan::new(month, None, span.approximate).ok())
        .map_or(span, |month| TimeSpan { qualifiers: span.qualifiers, ..month })
}
