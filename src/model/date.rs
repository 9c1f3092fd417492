//! Dates as the sources give them: a day, a month or a year, never a fake exact day.
//!
//! A [`FuzzyDate`] is what one `start` or `end` field says; a [`TimeSpan`] is the range of days an
//! event may cover, with the precision of each end kept so the UI can say "July 1998 – January 1999"
//! instead of "1998-07-01 – 1999-01-31". Days are counted as [`DayNumber`]s for cheap indexing.

use std::fmt;

use chrono::{Datelike as _, NaiveDate};

/// Days since 1 January of year 1 (proleptic Gregorian), as chrono's `num_days_from_ce`.
pub type DayNumber = i32;

/// How much of a date the source gives.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DatePrecision {
    /// A single day: `1999-01-08`.
    Day,
    /// A whole month: `1998-11`.
    Month,
    /// A whole year: `1998`.
    Year,
}

/// A time of day, to the minute: kept when a file gives one, to order and show events within a day.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct TimeOfDay(std::num::NonZeroU16);

impl TimeOfDay {
    /// The time `hour:minute`, or `None` when it is not a time of day.
    pub fn new(hour: u32, minute: u32) -> Option<Self> {
        if hour > 23 || minute > 59 {
            return None;
        }
        let minutes = u16::try_from(hour * 60 + minute + 1).ok()?;
        std::num::NonZeroU16::new(minutes).map(Self)
    }

    /// Minutes since midnight.
    pub fn minutes(self) -> u16 {
        self.0.get() - 1
    }
}

impl fmt::Display for TimeOfDay {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:02}:{:02}", self.minutes() / 60, self.minutes() % 60)
    }
}

/// One date as written in the data: `YYYY`, `YYYY-MM`, `YYYY-MM-DD` or an RFC 3339 date-time.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct FuzzyDate {
    /// The first day the date covers.
    pub first_day: NaiveDate,
    /// How much the date says.
    pub precision: DatePrecision,
    /// The time of day, when the data gives one (day precision only).
    pub time: Option<TimeOfDay>,
}

/// A valid "YYYY-MM-DD", the form of almost every date in large files, read without splitting;
/// `None` for anything else, valid or not, which [`FuzzyDate::parse`] then reads (and explains).
fn plain_day(text: &str) -> Option<NaiveDate> {
    let &[y0, y1, y2, y3, b'-', m0, m1, b'-', d0, d1] = text.as_bytes() else { return None };
    let digits = [y0, y1, y2, y3, m0, m1, d0, d1];
    if !digits.iter().all(u8::is_ascii_digit) {
        return None;
    }
    let number = |digits: &[u8]| digits.iter().fold(0_u32, |n, d| n * 10 + u32::from(d - b'0'));
    let year = i32::try_from(number(&digits[..4])).ok().filter(|year| *year >= 1)?;
    NaiveDate::from_ymd_opt(year, number(&digits[4..6]), number(&digits[6..]))
}

/// Why a date string was rejected.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum DateError {
    /// Empty or whitespace only.
    #[error("the date is empty")]
    Empty,
    /// Not one of the accepted forms.
    #[error("expected YYYY, YYYY-MM, YYYY-MM-DD, an RFC 3339 date-time, an interval a/b, or a date in words")]
    BadForm,
    /// The year is outside 1..=9999.
    #[error("year {0} is out of range (1–9999)")]
    YearOutOfRange(i64),
    /// Month not in 1..=12.
    #[error("month {0} does not exist")]
    MonthOutOfRange(u32),
    /// An all-numeric date whose day and month cannot be told apart (`04/09/2023`).
    #[error("{0:?} is ambiguous: day/month or month/day? Write it as YYYY-MM-DD")]
    Ambiguous(String),
    /// An interval whose end is before its start.
    #[error("{0}")]
    EndBefore(String),
    /// The day does not exist in that month (2023-02-30).
    #[error("day {day} does not exist in {year}-{month:02}")]
    NoSuchDay {
        /// Year of the date.
        year: i32,
        /// Month of the date.
        month: u32,
        /// The impossible day.
        day: u32,
    },
}

impl FuzzyDate {
    /// Parses `YYYY`, `YYYY-MM`, `YYYY-MM-DD`, or an RFC 3339 date-time (truncated to its day).
    ///
    /// # Errors
    /// A [`DateError`] saying why the text is not a date: its form, or a month or day that does not exist.
    pub fn parse(text: &str) -> Result<Self, DateError> {
        let text = super::text::trimmed(text);
        if text.is_empty() {
            return Err(DateError::Empty);
        }
        // A date-time: validate it whole, keep its calendar day as written.
        if text.len() > 10 && text.as_bytes().get(10).is_some_and(|b| *b == b'T' || *b == b't' || *b == b' ') {
            let date_part = text.get(..10).ok_or(DateError::BadForm)?;
            let day = Self::parse(date_part)?;
            if day.precision != DatePrecision::Day {
                return Err(DateError::BadForm);
            }
            let normalized = text.replacen(' ', "T", 1);
            // The time as written (local to the source); a zone, when given, is checked, not applied.
            let time = chrono::DateTime::parse_from_rfc3339(&normalized)
                .map(|t| t.naive_local().time())
                .or_else(|_| {
                    chrono::NaiveDateTime::parse_from_str(&normalized, "%Y-%m-%dT%H:%M:%S%.f").map(|t| t.time())
                })
                .or_else(|_| chrono::NaiveDateTime::parse_from_str(&normalized, "%Y-%m-%dT%H:%M").map(|t| t.time()))
                .map_err(|_| DateError::BadForm)?;
            return Ok(Self {
                time: TimeOfDay::new(chrono::Timelike::hour(&time), chrono::Timelike::minute(&time)),
                ..day
            });
        }
        if let Some(first_day) = plain_day(text) {
            return Ok(Self { first_day, precision: DatePrecision::Day, time: None });
        }
        let mut parts = text.split('-');
        let year = parse_number(parts.next(), 4)?;
        let month = parts.next().map(|m| parse_number(Some(m), 2)).transpose()?;
        let day = parts.next().map(|d| parse_number(Some(d), 2)).transpose()?;
        if parts.next().is_some() {
            return Err(DateError::BadForm);
        }
        if !(1..=9999).contains(&year) {
            return Err(DateError::YearOutOfRange(year));
        }
        let year = i32::try_from(year).map_err(|_| DateError::YearOutOfRange(year))?;
        let month = month.map(|m| u32::try_from(m).unwrap_or(0));
        if let Some(month) = month
            && !(1..=12).contains(&month)
        {
            return Err(DateError::MonthOutOfRange(month));
        }
        let (first_day, precision) = match (month, day) {
            (None, _) => (NaiveDate::from_ymd_opt(year, 1, 1), DatePrecision::Year),
            (Some(month), None) => (NaiveDate::from_ymd_opt(year, month, 1), DatePrecision::Month),
            (Some(month), Some(day)) => {
                let day = u32::try_from(day).unwrap_or(0);
                let date =
                    NaiveDate::from_ymd_opt(year, month, day).ok_or(DateError::NoSuchDay { year, month, day })?;
                (Some(date), DatePrecision::Day)
            }
        };
        let first_day = first_day.ok_or(DateError::BadForm)?;
        Ok(Self { first_day, precision, time: None })
    }

    /// A date of day precision.
    pub fn day(date: NaiveDate) -> Self {
        Self { first_day: date, precision: DatePrecision::Day, time: None }
    }

    /// A date of `precision` starting on `first_day`.
    pub fn new(first_day: NaiveDate, precision: DatePrecision) -> Self {
        Self { first_day, precision, time: None }
    }

    /// The last day the date covers: the day itself, the month's last day, or 31 December.
    pub fn last_day(&self) -> NaiveDate {
        match self.precision {
            DatePrecision::Day => self.first_day,
            DatePrecision::Month => last_day_of_month(self.first_day.year(), self.first_day.month()),
            DatePrecision::Year => NaiveDate::from_ymd_opt(self.first_day.year(), 12, 31).unwrap_or(self.first_day),
        }
    }

    /// The date in words at its own precision: "8 January 1999", "November 1998", "1998".
    pub fn in_words(&self) -> String {
        match self.precision {
            DatePrecision::Day => match self.time {
                Some(time) => format!("{}, {time}", self.first_day.format("%-d %B %Y")),
                None => self.first_day.format("%-d %B %Y").to_string(),
            },
            DatePrecision::Month => self.first_day.format("%B %Y").to_string(),
            DatePrecision::Year => self.first_day.format("%Y").to_string(),
        }
    }
}

impl fmt::Display for FuzzyDate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.precision {
            DatePrecision::Day => match self.time {
                Some(time) => write!(f, "{}T{time}", self.first_day.format("%Y-%m-%d")),
                None => write!(f, "{}", self.first_day.format("%Y-%m-%d")),
            },
            DatePrecision::Month => write!(f, "{}", self.first_day.format("%Y-%m")),
            DatePrecision::Year => write!(f, "{}", self.first_day.format("%Y")),
        }
    }
}

fn parse_number(part: Option<&str>, max_digits: usize) -> Result<i64, DateError> {
    let part = part.ok_or(DateError::BadForm)?;
    if part.is_empty() || part.len() > max_digits || !part.bytes().all(|b| b.is_ascii_digit()) {
        return Err(DateError::BadForm);
    }
    part.parse().map_err(|_| DateError::BadForm)
}

fn last_day_of_month(year: i32, month: u32) -> NaiveDate {
    let (next_year, next_month) = if month == 12 { (year + 1, 1) } else { (year, month + 1) };
    NaiveDate::from_ymd_opt(next_year, next_month, 1).and_then(|d| d.pred_opt()).unwrap_or(NaiveDate::MAX)
}

/// The day number of a date.
pub fn day_number(date: NaiveDate) -> DayNumber {
    date.num_days_from_ce()
}

/// The date of a day number (clamped to chrono's range).
pub fn date_from_day_number(day: DayNumber) -> NaiveDate {
    NaiveDate::from_num_days_from_ce_opt(day).unwrap_or(if day < 0 { NaiveDate::MIN } else { NaiveDate::MAX })
}

/// The range of days an event may cover, with the precision of each end.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct TimeSpan {
    /// What `start` says.
    pub start: FuzzyDate,
    /// What `end` says (equal to `start` when the data gives no end).
    pub end: FuzzyDate,
    /// The bounds themselves are approximate ("mid-May 1998"; EDTF `~`).
    pub approximate: bool,
    /// What else is known of it: uncertain, open at either end, undated.
    pub qualifiers: SpanQualifiers,
}

/// How much of a span is known, beyond its bounds' precision: one byte, so events stay small.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct SpanQualifiers(u8);

impl SpanQualifiers {
    /// The source is not sure of the date itself (EDTF `?`).
    pub const UNCERTAIN: u8 = 1;
    /// Its beginning is not known (`../2023`): `start` is where the data starts, not a start.
    pub const OPEN_START: u8 = 2;
    /// It has not ended (as of the dataset's present): `end` is where the data stops, not an end.
    pub const OPEN_END: u8 = 4;
    /// Mentioned without a date: the span only bounds when it could have happened, and the event
    /// is never "now" on the timeline.
    pub const UNDATED: u8 = 8;

    /// Whether `qualifier` (one of the constants) holds.
    pub fn has(self, qualifier: u8) -> bool {
        self.0 & qualifier != 0
    }

    /// With `qualifier` set or cleared.
    #[must_use]
    pub fn with(self, qualifier: u8, on: bool) -> Self {
        if on { Self(self.0 | qualifier) } else { Self(self.0 & !qualifier) }
    }
}

/// `end` lies before `start`.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("end {end} is before start {start}")]
pub struct EndBeforeStart {
    /// The start as written.
    pub start: FuzzyDate,
    /// The end as written.
    pub end: FuzzyDate,
}

impl TimeSpan {
    /// A span from `start` to `end` (or `start` alone).
    ///
    /// # Errors
    /// [`EndBeforeStart`] when everything `end` covers lies before `start`.
    pub fn new(start: FuzzyDate, end: Option<FuzzyDate>, approximate: bool) -> Result<Self, EndBeforeStart> {
        let end = end.unwrap_or(start);
        if end.last_day() < start.first_day {
            return Err(EndBeforeStart { start, end });
        }
        Ok(Self { start, end, approximate, qualifiers: SpanQualifiers::default() })
    }

    /// One exact day.
    pub fn single_day(date: NaiveDate) -> Self {
        let day = FuzzyDate::day(date);
        Self { start: day, end: day, approximate: false, qualifiers: SpanQualifiers::default() }
    }

    /// The source is not sure of the date itself.
    pub fn uncertain(&self) -> bool {
        self.qualifiers.has(SpanQualifiers::UNCERTAIN)
    }

    /// Its beginning is not known.
    pub fn open_start(&self) -> bool {
        self.qualifiers.has(SpanQualifiers::OPEN_START)
    }

    /// It has not ended.
    pub fn open_end(&self) -> bool {
        self.qualifiers.has(SpanQualifiers::OPEN_END)
    }

    /// Mentioned without a date: never "now".
    pub fn undated(&self) -> bool {
        self.qualifiers.has(SpanQualifiers::UNDATED)
    }

    /// First day the event may have happened on.
    pub fn first_day(&self) -> DayNumber {
        day_number(self.start.first_day)
    }

    /// Last day the event may have happened on.
    pub fn last_day(&self) -> DayNumber {
        day_number(self.end.last_day())
    }

    /// Number of days covered (1 for a single day).
    pub fn length_days(&self) -> i32 {
        self.last_day() - self.first_day() + 1
    }

    /// True when the span is a single, exactly known day.
    pub fn is_exact_day(&self) -> bool {
        !self.approximate
            && self.qualifiers == SpanQualifiers::default()
            && self.start == self.end
            && self.start.precision == DatePrecision::Day
    }

    /// Whether the span overlaps the closed day range `[from, to]`.
    pub fn overlaps(&self, from: DayNumber, to: DayNumber) -> bool {
        self.first_day() <= to && self.last_day() >= from
    }

    /// The span in words: "8 January 1999", "10–11 July 1998", "since March 2022 (ongoing)",
    /// "undated (between 1999 and 26 May 2024)", "undated (not before 8 January 1999)".
    pub fn in_words(&self) -> String {
        let words = self.bounds_in_words();
        let words = if self.undated() {
            format!(
                "undated ({})",
                if self.start == self.end { format!("not before {words}") } else { format!("between {words}") }
            )
        } else if self.open_end() {
            format!("since {} (ongoing)", self.start.in_words())
        } else if self.open_start() {
            format!("until {} (beginning unknown)", self.end.in_words())
        } else {
            words
        };
        if self.uncertain() { format!("{words}?") } else { words }
    }

    fn bounds_in_words(&self) -> String {
        let (start, end) = (self.start, self.end);
        if start == end {
            return start.in_words();
        }
        let same_year = start.first_day.year() == end.first_day.year();
        let same_month = same_year && start.first_day.month() == end.first_day.month();
        match (start.precision, end.precision) {
            (DatePrecision::Day, DatePrecision::Day) if same_month => {
                format!("{}–{}", start.first_day.day(), end.in_words())
            }
            (DatePrecision::Day, DatePrecision::Day) if same_year => {
                format!("{} – {}", start.first_day.format("%-d %B"), end.in_words())
            }
            (DatePrecision::Month, DatePrecision::Month) if same_year => {
                format!("{} – {}", start.first_day.format("%B"), end.in_words())
            }
            _ => format!("{} – {}", start.in_words(), end.in_words()),
        }
    }

    /// A short precision word for the UI: "exact day", "month", "year", "range", "approximate".
    pub fn precision_word(&self) -> &'static str {
        if self.undated() {
            "undated"
        } else if self.open_end() {
            "ongoing"
        } else if self.open_start() {
            "beginning unknown"
        } else if self.uncertain() {
            "uncertain"
        } else if self.approximate {
            "approximate"
        } else if self.start != self.end {
            "range"
        } else {
            match self.start.precision {
                DatePrecision::Day => "exact day",
                DatePrecision::Month => "month",
                DatePrecision::Year => "year",
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(text: &str) -> FuzzyDate {
        FuzzyDate::parse(text).unwrap()
    }

    #[test]
    fn parses_each_precision() {
        assert_eq!(date("1998").precision, DatePrecision::Year);
        assert_eq!(date("1998-11").precision, DatePrecision::Month);
        assert_eq!(date("1999-01-08").precision, DatePrecision::Day);
        assert_eq!(date("2023-09-24T05:30:00+02:00").first_day, NaiveDate::from_ymd_opt(2023, 9, 24).unwrap());
        assert_eq!(date("2023-09-24T05:30:00Z").precision, DatePrecision::Day);
    }

    #[test]
    fn rejects_impossible_dates() {
        assert_eq!(FuzzyDate::parse("2023-02-30"), Err(DateError::NoSuchDay { year: 2023, month: 2, day: 30 }));
        assert_eq!(FuzzyDate::parse("1999-13-40"), Err(DateError::MonthOutOfRange(13)));
        assert_eq!(FuzzyDate::parse("1999-00"), Err(DateError::MonthOutOfRange(0)));
        assert_eq!(FuzzyDate::parse("0000"), Err(DateError::YearOutOfRange(0)));
        assert_eq!(FuzzyDate::parse(""), Err(DateError::Empty));
        for bad in
            ["yesterday", "1999-1-8x", "99999", "1999-01-08-01", "+1999", "1999/01/08", "2023-09-24T99:00:00Z", "-5"]
        {
            assert!(FuzzyDate::parse(bad).is_err(), "{bad} should be rejected");
        }
    }

    #[test]
    fn leap_days_follow_the_calendar() {
        assert!(FuzzyDate::parse("2024-02-29").is_ok());
        assert!(FuzzyDate::parse("2023-02-29").is_err());
    }

    #[test]
    fn last_day_follows_precision() {
        assert_eq!(date("1998-11").last_day(), NaiveDate::from_ymd_opt(1998, 11, 30).unwrap());
        assert_eq!(date("2024-02").last_day(), NaiveDate::from_ymd_opt(2024, 2, 29).unwrap());
        assert_eq!(date("1998-12").last_day(), NaiveDate::from_ymd_opt(1998, 12, 31).unwrap());
        assert_eq!(date("1998").last_day(), NaiveDate::from_ymd_opt(1998, 12, 31).unwrap());
    }

    #[test]
    fn span_rejects_end_before_start_but_accepts_overlapping_precisions() {
        assert!(TimeSpan::new(date("1999-01-12"), Some(date("1999-01-08")), false).is_err());
        // "January 1999" as end of a span starting 12 January 1999 is fine: the month covers it.
        assert!(TimeSpan::new(date("1999-01-12"), Some(date("1999-01")), false).is_ok());
    }

    #[test]
    fn spans_in_words() {
        let span = |s: &str, e: &str| TimeSpan::new(date(s), Some(date(e)), false).unwrap().in_words();
        assert_eq!(span("1998-07", "1999-01"), "July 1998 – January 1999");
        assert_eq!(span("1998-07-10", "1998-07-11"), "10–11 July 1998");
        assert_eq!(span("1998-08", "1998-10"), "August – October 1998");
        assert_eq!(span("2023-09-25", "2023-10-02"), "25 September – 2 October 2023");
        assert_eq!(TimeSpan::new(date("1998-11"), None, false).unwrap().in_words(), "November 1998");
    }

    #[test]
    fn overlap_uses_whole_covered_range() {
        let offensive = TimeSpan::new(date("1998-07"), Some(date("1999-01")), false).unwrap();
        let day = |s: &str| day_number(NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap());
        assert!(offensive.overlaps(day("1999-01-31"), day("1999-02-05")));
        assert!(!offensive.overlaps(day("1999-02-01"), day("1999-02-05")));
        assert!(offensive.overlaps(day("1998-01-01"), day("1998-07-01")));
        assert_eq!(offensive.length_days(), 215);
    }

    #[test]
    fn day_numbers_round_trip() {
        let d = NaiveDate::from_ymd_opt(2023, 9, 24).unwrap();
        assert_eq!(date_from_day_number(day_number(d)), d);
    }
}
