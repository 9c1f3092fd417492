//! Field values every file shares: dates into spans, coordinates into points, values into text.
//! Each reports what is wrong with the field it was given, never panics.

use super::problem::{Location, Problem, ProblemKind};
use crate::model::{FuzzyDate, LonLat, TimeSpan};

/// A JSON value as text to show: strings as they are, anything else as JSON.
pub fn display_value(value: &serde_json::Value) -> String {
    match value {
        serde_json::Value::String(text) => text.clone(),
        other => other.to_string(),
    }
}

/// Whether `number`, a JSON number's text, is an integer serde_json writes back exactly as it
/// is spelled: at most 18 digits (an `i64` or `u64`, never a float), and not `-0`.
pub fn is_integer_as_written(number: &str) -> bool {
    let digits = number.strip_prefix('-').unwrap_or(number);
    !digits.is_empty() && digits.len() <= 18 && digits.bytes().all(|b| b.is_ascii_digit()) && number != "-0"
}

/// Parses `start`/`end` into a span, or reports why not (naming the field).
pub fn parse_span(
    start: Option<&str>,
    end: Option<&str>,
    approximate: bool,
    at: &Location,
    problems: &mut Vec<Problem>,
) -> Option<TimeSpan> {
    let field_at = |name: &str| Location { field: Some(format!("properties.{name}")), ..at.clone() };
    let parse = |name: &str, value: &str, problems: &mut Vec<Problem>| match FuzzyDate::parse(value) {
        Ok(date) => Some(date),
        Err(error) => {
            problems.push(Problem::error(
                field_at(name),
                ProblemKind::BadDate { value: value.to_owned(), reason: error.to_string() },
            ));
            None
        }
    };
    let Some(start_text) = start else {
        problems.push(Problem::error(field_at("start"), ProblemKind::Missing));
        return None;
    };
    let start = parse("start", start_text, problems);
    let end = match end {
        Some(text) => Some(parse("end", text, problems)?),
        None => None,
    };
    match TimeSpan::new(start?, end, approximate) {
        Ok(span) => Some(span),
        Err(error) => {
            problems.push(Problem::error(field_at("end"), ProblemKind::EndBeforeStart(error.to_string())));
            None
        }
    }
}

/// Checks `[lon, lat, …]` for finite, in-range values.
///
/// # Errors
/// The index of the axis at fault (or the count, when there are too few numbers) and why.
pub fn check_lon_lat(coordinates: &[f64]) -> Result<LonLat, (usize, String)> {
    let (Some(&lon), Some(&lat)) = (coordinates.first(), coordinates.get(1)) else {
        return Err((
            coordinates.len(),
            format!("expected [longitude, latitude], found {} number(s)", coordinates.len()),
        ));
    };
    if !lon.is_finite() || !(-180.0..=180.0).contains(&lon) {
        return Err((0, format!("longitude {lon} is outside −180..180")));
    }
    if !lat.is_finite() || !(-90.0..=90.0).contains(&lat) {
        return Err((1, format!("latitude {lat} is outside −90..90")));
    }
    Ok(LonLat { lon, lat })
}

/// What a JSON value's text is when it is not an object ("an array", "a string", …), from its
/// first character; `None` for an object. For messages that say what was found.
pub fn non_object_kind(raw: &str) -> Option<&'static str> {
    match raw.trim_start().as_bytes().first() {
        Some(b'{') => None,
        Some(b'[') => Some("an array"),
        Some(b'"') => Some("a string"),
        Some(b'n') => Some("null"),
        Some(b't' | b'f') => Some("a boolean"),
        _ => Some("a number"),
    }
}
