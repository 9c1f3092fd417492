//! A view as short text that can be copied, sent and opened again:
//! `kronika:view?at=2023-09-24&window=30d&select=ev-…&map=42.95,20.85,11`. It carries the cursor,
//! the window (or cumulative), the selection, the map's centre and zoom, the timeline's visible
//! range and the filters. Every part is optional; what is not said is left as it is.

use std::fmt::Write as _;

use chrono::NaiveDate;

/// The key of a saved view's file: `{"kronika_view": "kronika:view?…"}`.
pub const VIEW_FILE_KEY: &str = "kronika_view";

/// The prefix of a view's text.
pub const VIEW_PREFIX: &str = "kronika:view?";

/// Longest view text read (a view is a few hundred characters; a pasted book is not a view).
const MAX_VIEW_CHARS: usize = 8192;

/// How much time is "now".
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum WindowSpec {
    /// The days ending at the cursor.
    Days(f64),
    /// Everything up to the cursor.
    Cumulative,
}

/// A view: everything optional.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ViewLink {
    /// The cursor's day.
    pub at: Option<NaiveDate>,
    /// The window.
    pub window: Option<WindowSpec>,
    /// The selected event's id.
    pub select: Option<String>,
    /// Map centre latitude, longitude and zoom.
    pub map: Option<(f64, f64, f64)>,
    /// The timeline's visible range.
    pub range: Option<(NaiveDate, NaiveDate)>,
    /// Search text.
    pub search: Option<String>,
    /// Only events citing this source.
    pub source: Option<String>,
    /// Only events at this place.
    pub place: Option<String>,
    /// Only events with this claim status.
    pub claim: Option<String>,
}

/// Why a text is not a view.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum ViewError {
    /// It does not start with `kronika:view?`.
    #[error("a view starts with `kronika:view?`")]
    NotAView,
    /// Longer than any view.
    #[error("the text is too long to be a view ({0} characters)")]
    TooLong(usize),
    /// A part is not `key=value` or its value is wrong.
    #[error("`{key}`: {message}")]
    Bad {
        /// The key (or the part) at fault.
        key: String,
        /// What is wrong.
        message: String,
    },
}

impl ViewLink {
    /// The view a saved view's file holds, or `None` when the text is not one.
    pub fn from_file_text(text: &str) -> Option<Result<Self, ViewError>> {
        let value: serde_json::Value = serde_json::from_str(text).ok()?;
        let view = value.as_object()?.get(VIEW_FILE_KEY)?.as_str()?;
        Some(Self::parse(view))
    }

    /// Reads a view's text.
    ///
    /// # Errors
    /// A [`ViewError`] naming the part at fault.
    pub fn parse(text: &str) -> Result<Self, ViewError> {
        let text = text.trim();
        if text.chars().count() > MAX_VIEW_CHARS {
            return Err(ViewError::TooLong(text.chars().count()));
        }
        let query = text.strip_prefix(VIEW_PREFIX).ok_or(ViewError::NotAView)?;
        let mut view = Self::default();
        for part in query.split('&').filter(|part| !part.is_empty()) {
            let (key, raw) = part.split_once('=').ok_or_else(|| bad(part, "expected key=value"))?;
            let value = decode(raw).ok_or_else(|| bad(key, "bad percent-encoding"))?;
            match key {
                "at" => view.at = Some(date(key, &value)?),
                "window" => {
                    view.window = Some(if value == "cumulative" {
                        WindowSpec::Cumulative
                    } else {
                        let days = value.strip_suffix('d').unwrap_or(&value);
                        let days: f64 = days.parse().map_err(|_| bad(key, "expected 30d or cumulative"))?;
                        if !(days.is_finite() && (1.0..=36_500.0).contains(&days)) {
                            return Err(bad(key, "the window is 1 to 36500 days"));
                        }
                        WindowSpec::Days(days)
                    });
                }
                "select" => view.select = Some(value),
                "map" => {
                    let numbers: Vec<f64> = value.split(',').filter_map(|n| n.trim().parse().ok()).collect();
                    let [lat, lon, zoom] = numbers.as_slice() else {
                        return Err(bad(key, "expected latitude,longitude,zoom"));
                    };
                    let valid = lat.is_finite()
                        && lon.is_finite()
                        && zoom.is_finite()
                        && (-85.0..=85.0).contains(lat)
                        && (-180.0..=180.0).contains(lon)
                        && (0.0..=20.0).contains(zoom);
                    if !valid {
                        return Err(bad(key, "latitude −85..85, longitude −180..180, zoom 0..20"));
                    }
                    view.map = Some((*lat, *lon, *zoom));
                }
                "view" => {
                    let (from, to) = value.split_once("..").ok_or_else(|| bad(key, "expected FROM..TO"))?;
                    let (from, to) = (date(key, from)?, date(key, to)?);
                    if to <= from {
                        return Err(bad(key, "the range ends before it starts"));
                    }
                    view.range = Some((from, to));
                }
                "q" => view.search = Some(value),
                "source" => view.source = Some(value),
                "place" => view.place = Some(value),
                "claim" => view.claim = Some(value),
                _ => return Err(bad(key, "unknown key (at, window, select, map, view, q, source, place, claim)")),
            }
        }
        Ok(view)
    }

    /// The view's text.
    pub fn to_text(&self) -> String {
        let mut text = VIEW_PREFIX.to_owned();
        let mut add = |key: &str, value: &str| {
            if !text.ends_with('?') {
                text.push('&');
            }
            let _ = write!(text, "{key}={}", encode(value));
        };
        if let Some(at) = self.at {
            add("at", &at.to_string());
        }
        match self.window {
            Some(WindowSpec::Cumulative) => add("window", "cumulative"),
            Some(WindowSpec::Days(days)) => add("window", &format!("{}d", (days * 100.0).round() / 100.0)),
            None => {}
        }
        if let Some(select) = &self.select {
            add("select", select);
        }
        if let Some((lat, lon, zoom)) = self.map {
            add("map", &format!("{lat:.5},{lon:.5},{zoom:.2}"));
        }
        if let Some((from, to)) = self.range {
            add("view", &format!("{from}..{to}"));
        }
        for (key, value) in
            [("q", &self.search), ("source", &self.source), ("place", &self.place), ("claim", &self.claim)]
        {
            if let Some(value) = value {
                add(key, value);
            }
        }
        text
    }
}

fn bad(key: &str, message: &str) -> ViewError {
    ViewError::Bad { key: key.chars().take(40).collect(), message: message.to_owned() }
}

fn date(key: &str, text: &str) -> Result<NaiveDate, ViewError> {
    NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d").map_err(|_| bad(key, "expected a date YYYY-MM-DD"))
}

/// Percent-encodes what would break the query.
fn encode(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for byte in value.bytes() {
        match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' | b',' | b':' | b'/' => {
                out.push(char::from(byte));
            }
            _ => {
                let _ = write!(out, "%{byte:02X}");
            }
        }
    }
    out
}

/// Undoes [`encode`] (and `+` as a space); `None` for a broken escape or invalid UTF-8.
fn decode(value: &str) -> Option<String> {
    let bytes = value.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while let Some(&byte) = bytes.get(i) {
        match byte {
            b'%' => {
                let hex = std::str::from_utf8(bytes.get(i + 1..i + 3)?).ok()?;
                out.push(u8::from_str_radix(hex, 16).ok()?);
                i += 3;
            }
            b'+' => {
                out.push(b' ');
                i += 1;
            }
            _ => {
                out.push(byte);
                i += 1;
            }
        }
    }
    String::from_utf8(out).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_view_round_trips_through_its_text() {
        let view = ViewLink {
            at: NaiveDate::from_ymd_opt(2023, 9, 24),
            window: Some(WindowSpec::Days(30.0)),
            select: Some("ev-2023-09-24-banjska-attack-src004".into()),
            map: Some((42.97333, 20.78083, 11.0)),
            range: NaiveDate::from_ymd_opt(2023, 9, 1).zip(NaiveDate::from_ymd_opt(2023, 10, 31)),
            search: Some("Zvečan & co = 100%".into()),
            source: None,
            place: Some("pl-banjska".into()),
            claim: Some("claim".into()),
        };
        let text = view.to_text();
        assert!(text.starts_with("kronika:view?at=2023-09-24&window=30d&select="), "{text}");
        assert_eq!(ViewLink::parse(&text), Ok(view));
    }

    #[test]
    fn bad_views_say_which_part_is_wrong() {
        assert_eq!(ViewLink::parse("https://example.org"), Err(ViewError::NotAView));
        let wrong = |text: &str| ViewLink::parse(text).unwrap_err().to_string();
        assert!(wrong("kronika:view?at=2023-02-30").starts_with("`at`"));
        assert!(wrong("kronika:view?map=95,20,11").starts_with("`map`"));
        assert!(wrong("kronika:view?window=1e300d").starts_with("`window`"));
        assert!(wrong("kronika:view?colour=red").contains("unknown key"));
        assert!(wrong("kronika:view?q=%E2%82").starts_with("`q`"));
        assert!(matches!(ViewLink::parse(&"kronika:view?q=".repeat(2000)), Err(ViewError::TooLong(_))));
        assert_eq!(ViewLink::parse("kronika:view?"), Ok(ViewLink::default()));
    }
}
