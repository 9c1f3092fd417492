//! Which column of a delimited file holds which part of an event: guessed from the header's names,
//! or given by the user (`start=COL,lat=COL,…`), and the small helpers every CSV preset shares to
//! read one row. Only names and text: no parsing of dates or numbers, which is the builder's job.

use std::fmt;
use std::path::Path;

use crate::io::problem::Location;

/// Longest title made from a longer text (a description's first sentence), in characters.
pub const MAX_TITLE_CHARS: usize = 120;

/// A part of an event a column can hold.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum ColumnRole {
    /// The record's id.
    Id,
    /// Its title.
    Title,
    /// Its start date.
    Start,
    /// Its end date.
    End,
    /// A time of day given apart from the date.
    Time,
    /// The latitude.
    Lat,
    /// The longitude.
    Lon,
    /// The category.
    Category,
    /// A longer description.
    Summary,
    /// The place's name.
    Place,
    /// Who or what reports it.
    Source,
}

impl ColumnRole {
    /// Every role, in the order the CLI lists them.
    pub const ALL: [Self; 11] = [
        Self::Start,
        Self::End,
        Self::Time,
        Self::Lat,
        Self::Lon,
        Self::Title,
        Self::Category,
        Self::Id,
        Self::Summary,
        Self::Place,
        Self::Source,
    ];

    /// The role's name in `start=COL,…`.
    pub fn name(self) -> &'static str {
        match self {
            Self::Id => "id",
            Self::Title => "title",
            Self::Start => "start",
            Self::End => "end",
            Self::Time => "time",
            Self::Lat => "lat",
            Self::Lon => "lon",
            Self::Category => "category",
            Self::Summary => "summary",
            Self::Place => "place",
            Self::Source => "source",
        }
    }

    /// The role named `name` (any case), if there is one.
    pub fn from_name(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|role| role.name().eq_ignore_ascii_case(name.trim()))
    }
}

impl fmt::Display for ColumnRole {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// The header names (as in the file) of the columns that hold each part of an event.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ColumnMapping {
    /// The id's column.
    pub id: Option<String>,
    /// The title's column; it may be the summary's too, when the file has only a description.
    pub title: Option<String>,
    /// The start date's column.
    pub start: Option<String>,
    /// The end date's column.
    pub end: Option<String>,
    /// The time-of-day column, when the date is in another one.
    pub time: Option<String>,
    /// The latitude's column.
    pub lat: Option<String>,
    /// The longitude's column.
    pub lon: Option<String>,
    /// The category's column.
    pub category: Option<String>,
    /// The description's column.
    pub summary: Option<String>,
    /// The place name's column.
    pub place: Option<String>,
    /// The source's column.
    pub source: Option<String>,
}

/// Names each role is guessed from, most telling first (compared after [`normalized_name`]).
const GUESSES: [(ColumnRole, &[&str]); 11] = [
    (ColumnRole::Lat, &["lat", "latitude", "lat_dd", "y"]),
    (ColumnRole::Lon, &["lon", "lng", "long", "longitude", "lon_dd", "x"]),
    // A date-like name wins over `time`, which then holds the time of day.
    (
        ColumnRole::Start,
        &["date", "event_date", "start", "start_date", "begin", "begin_date", "datetime", "timestamp", "when", "time"],
    ),
    (ColumnRole::Time, &["time", "time_of_day"]),
    (ColumnRole::End, &["end", "end_date", "enddate", "until"]),
    (ColumnRole::Title, &["title", "name", "headline", "label"]),
    (ColumnRole::Category, &["category", "type", "event_type", "class", "kind"]),
    (ColumnRole::Summary, &["description", "desc", "notes", "summary", "details", "text"]),
    (ColumnRole::Place, &["location", "place", "place_name", "admin", "locality"]),
    (ColumnRole::Id, &["id", "event_id", "uid", "event_id_cnty"]),
    (ColumnRole::Source, &["source", "sources", "url", "link"]),
];

/// A header name as written, without a byte order mark or surrounding blanks.
pub fn clean_header(name: &str) -> &str {
    name.trim().trim_start_matches('\u{feff}').trim()
}

/// A header name for comparing: clean, lower case, with spaces and dashes as `_`
/// (`Event Date` and `event-date` are `event_date`).
pub fn normalized_name(name: &str) -> String {
    clean_header(name).to_lowercase().chars().map(|c| if c == ' ' || c == '-' { '_' } else { c }).collect()
}

/// The position of the column named `name` (compared as by [`normalized_name`]).
pub fn find_column(headers: &[String], name: &str) -> Option<usize> {
    let wanted = normalized_name(name);
    headers.iter().position(|header| normalized_name(header) == wanted)
}

/// Guesses which column holds what from the header's names (any case, blanks and BOM ignored).
/// A column serves one role, except a description that is both summary and title when the file
/// has no better title.
pub fn guess(headers: &[&str]) -> ColumnMapping {
    let names: Vec<String> = headers.iter().map(|h| normalized_name(h)).collect();
    let mut taken = vec![false; headers.len()];
    let mut mapping = ColumnMapping::default();
    for (role, candidates) in GUESSES {
        let found = candidates
            .iter()
            .find_map(|candidate| names.iter().zip(&taken).position(|(name, used)| !used && name == candidate));
        if let Some(at) = found
            && let (Some(header), Some(used)) = (headers.get(at), taken.get_mut(at))
        {
            // `time` alone is the start; next to a date it is the time of day.
            if role == ColumnRole::Time && mapping.start.is_none() {
                continue;
            }
            *used = true;
            *mapping.slot(role) = Some(clean_header(header).to_owned());
        }
    }
    // A description can stand in for a title (its first sentence); notes or details cannot.
    let summary_is_description =
        mapping.summary.as_deref().is_some_and(|name| matches!(normalized_name(name).as_str(), "description" | "desc"));
    if mapping.title.is_none() && summary_is_description {
        mapping.title.clone_from(&mapping.summary);
    }
    mapping
}

/// Parses the CLI's `start=COL,end=COL,lat=COL,…` (roles in any case; columns as in the header).
///
/// # Errors
/// An unknown role, a part without `=`, an empty column or a role given twice, named.
pub fn parse_overrides(spec: &str) -> Result<Vec<(ColumnRole, String)>, String> {
    let mut overrides: Vec<(ColumnRole, String)> = Vec::new();
    for part in spec.split(',').map(str::trim).filter(|part| !part.is_empty()) {
        let Some((role_name, column)) = part.split_once('=') else {
            return Err(format!("`{part}` is not ROLE=COLUMN (for example `start=event_date`)"));
        };
        let roles = || ColumnRole::ALL.map(ColumnRole::name).join(", ");
        let Some(role) = ColumnRole::from_name(role_name) else {
            return Err(format!("unknown column role `{}`; the roles are: {}", role_name.trim(), roles()));
        };
        let column = column.trim();
        if column.is_empty() {
            return Err(format!("no column given for `{role}`"));
        }
        if overrides.iter().any(|(given, _)| *given == role) {
            return Err(format!("the column for `{role}` is given twice"));
        }
        overrides.push((role, column.to_owned()));
    }
    Ok(overrides)
}

impl ColumnMapping {
    /// Puts each override's column in its role (matching the header's names as [`find_column`]
    /// does), and takes that column from any role it was guessed for.
    ///
    /// # Errors
    /// A column that is not in `headers`, named, with the header's columns listed.
    pub fn apply(&mut self, overrides: &[(ColumnRole, String)], headers: &[&str]) -> Result<(), String> {
        let owned: Vec<String> = headers.iter().map(|h| clean_header(h).to_owned()).collect();
        for (role, column) in overrides {
            let Some(header) = find_column(&owned, column).and_then(|at| owned.get(at)) else {
                let listed: Vec<String> = owned.iter().map(|h| format!("`{h}`")).collect();
                return Err(format!(
                    "no column `{column}` (given for `{role}`) in the header; its columns are: {}",
                    listed.join(", ")
                ));
            };
            for other in ColumnRole::ALL {
                let overridden = overrides.iter().any(|(given, _)| *given == other);
                let slot = self.slot(other);
                if !overridden && slot.as_deref() == Some(header.as_str()) {
                    *slot = None;
                }
            }
            *self.slot(*role) = Some(header.clone());
        }
        Ok(())
    }

    /// The column of `role`.
    pub fn get(&self, role: ColumnRole) -> Option<&str> {
        match role {
            ColumnRole::Id => self.id.as_deref(),
            ColumnRole::Title => self.title.as_deref(),
            ColumnRole::Start => self.start.as_deref(),
            ColumnRole::End => self.end.as_deref(),
            ColumnRole::Time => self.time.as_deref(),
            ColumnRole::Lat => self.lat.as_deref(),
            ColumnRole::Lon => self.lon.as_deref(),
            ColumnRole::Category => self.category.as_deref(),
            ColumnRole::Summary => self.summary.as_deref(),
            ColumnRole::Place => self.place.as_deref(),
            ColumnRole::Source => self.source.as_deref(),
        }
    }

    fn slot(&mut self, role: ColumnRole) -> &mut Option<String> {
        match role {
            ColumnRole::Id => &mut self.id,
            ColumnRole::Title => &mut self.title,
            ColumnRole::Start => &mut self.start,
            ColumnRole::End => &mut self.end,
            ColumnRole::Time => &mut self.time,
            ColumnRole::Lat => &mut self.lat,
            ColumnRole::Lon => &mut self.lon,
            ColumnRole::Category => &mut self.category,
            ColumnRole::Summary => &mut self.summary,
            ColumnRole::Place => &mut self.place,
            ColumnRole::Source => &mut self.source,
        }
    }
}

/// One data row of a delimited file, as read.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Row {
    /// 0-based number of the data row (the header is not counted).
    pub index: usize,
    /// 1-based line where the row starts.
    pub line: usize,
    /// Its fields, as written; there may be more or fewer than the header has columns.
    pub fields: Vec<String>,
}

impl Row {
    /// The trimmed text of column `at`, or `None` when there is no such column or it is blank.
    pub fn get(&self, at: Option<usize>) -> Option<&str> {
        let text = self.fields.get(at?)?.trim();
        (!text.is_empty()).then_some(text)
    }

    /// Where this row is, for a problem: the file, the row's index and line, its id, a column.
    pub fn location(&self, file: &Path, id: Option<&str>, field: Option<&str>) -> Location {
        Location {
            file: file.to_path_buf(),
            index: Some(self.index),
            id: id.map(str::to_owned),
            field: field.map(str::to_owned),
            line: Some(self.line),
            record_word: "row",
        }
    }

    /// [`Row::get`] as an owned string.
    pub fn text(&self, at: Option<usize>) -> Option<String> {
        self.get(at).map(str::to_owned)
    }

    /// Every non-blank field whose column is not in `used`, in file order: (header name, trimmed
    /// text). A field past the header, or under a blank header, is named `column_N` (1-based).
    pub fn properties(&self, headers: &[String], used: &[Option<usize>]) -> Vec<(String, String)> {
        self.fields
            .iter()
            .enumerate()
            .filter(|(at, _)| !used.contains(&Some(*at)))
            .filter_map(|(at, field)| {
                let text = field.trim();
                if text.is_empty() {
                    return None;
                }
                let name = match headers.get(at).map(String::as_str) {
                    Some(header) if !header.is_empty() => header.to_owned(),
                    _ => format!("column_{}", at + 1),
                };
                Some((name, text.to_owned()))
            })
            .collect()
    }
}

/// A title from a longer text: its first line or sentence, without the final full stop, cut at a
/// word boundary to at most [`MAX_TITLE_CHARS`] characters (with "…" when cut).
pub fn title_from_text(text: &str) -> String {
    let first_line = text.trim().lines().next().unwrap_or_default().trim();
    let mut sentence = first_line;
    let mut chars = first_line.char_indices().peekable();
    while let Some((at, c)) = chars.next() {
        let at_end = chars.peek().is_none_or(|(_, next)| next.is_whitespace());
        if matches!(c, '.' | '!' | '?') && at_end {
            // Keep a question's or exclamation's mark; drop a full stop.
            let end = if c == '.' { at } else { at + c.len_utf8() };
            sentence = first_line.get(..end).unwrap_or(first_line);
            break;
        }
    }
    cut_at_word(sentence.trim(), MAX_TITLE_CHARS)
}

/// `text` cut to at most `max_chars` characters at a word boundary, with "…" when cut.
pub fn cut_at_word(text: &str, max_chars: usize) -> String {
    let Some((limit, _)) = text.char_indices().nth(max_chars.saturating_sub(1)) else {
        return text.to_owned();
    };
    if text.get(limit..).is_some_and(|rest| rest.chars().count() <= 1) {
        return text.to_owned();
    }
    let head = text.get(..limit).unwrap_or_default();
    // Cut at the last blank, unless that would leave less than half the room.
    let cut = match head.rfind(char::is_whitespace) {
        Some(blank) if blank * 2 >= limit => head.get(..blank).unwrap_or(head),
        _ => head,
    };
    format!("{}…", cut.trim_end_matches(|c: char| c.is_whitespace() || matches!(c, ',' | ';' | ':')))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn guesses_common_names_in_any_case() {
        let mapping = guess(&["\u{feff} Title", "event_date", "lat", "lng", "Type", "Notes", "ID", "URL"]);
        assert_eq!(mapping.title.as_deref(), Some("Title"));
        assert_eq!(mapping.start.as_deref(), Some("event_date"));
        assert_eq!(mapping.lat.as_deref(), Some("lat"));
        assert_eq!(mapping.lon.as_deref(), Some("lng"));
        assert_eq!(mapping.category.as_deref(), Some("Type"));
        assert_eq!(mapping.summary.as_deref(), Some("Notes"));
        assert_eq!(mapping.id.as_deref(), Some("ID"));
        assert_eq!(mapping.source.as_deref(), Some("URL"));
        assert_eq!(mapping.time, None);
        assert_eq!(mapping.end, None);
    }

    #[test]
    fn a_date_wins_over_time_which_becomes_the_time_of_day() {
        let mapping = guess(&["time", "Date", "Latitude", "Longitude", "End Date"]);
        assert_eq!(mapping.start.as_deref(), Some("Date"));
        assert_eq!(mapping.time.as_deref(), Some("time"));
        assert_eq!(mapping.end.as_deref(), Some("End Date"));
        let alone = guess(&["time", "y", "x"]);
        assert_eq!(alone.start.as_deref(), Some("time"));
        assert_eq!(alone.time, None);
        assert_eq!((alone.lat.as_deref(), alone.lon.as_deref()), (Some("y"), Some("x")));
    }

    #[test]
    fn a_description_is_the_title_only_without_a_better_one() {
        let mapping = guess(&["description", "date"]);
        assert_eq!(mapping.title.as_deref(), Some("description"));
        assert_eq!(mapping.summary.as_deref(), Some("description"));
        assert_eq!(guess(&["notes"]).title, None);
        let named = guess(&["name", "description"]);
        assert_eq!(named.title.as_deref(), Some("name"));
        assert_eq!(named.summary.as_deref(), Some("description"));
    }

    #[test]
    fn overrides_parse_and_apply() {
        let overrides = parse_overrides(" start=When it happened , LAT=north,lon=east,").unwrap();
        assert_eq!(
            overrides,
            [
                (ColumnRole::Start, "When it happened".to_owned()),
                (ColumnRole::Lat, "north".to_owned()),
                (ColumnRole::Lon, "east".to_owned())
            ]
        );
        let headers = ["date", "When it happened", "North", "east", "lat"];
        let mut mapping = guess(&headers);
        assert_eq!(mapping.lat.as_deref(), Some("lat"));
        mapping.apply(&overrides, &headers).unwrap();
        assert_eq!(mapping.start.as_deref(), Some("When it happened"));
        assert_eq!(mapping.lat.as_deref(), Some("North"));
        assert_eq!(mapping.lon.as_deref(), Some("east"));
        // A column moved to another role leaves the role it was guessed for.
        let mut moved = guess(&headers);
        moved.apply(&[(ColumnRole::End, "date".to_owned())], &headers).unwrap();
        assert_eq!((moved.start, moved.end.as_deref()), (None, Some("date")));
        assert_eq!(parse_overrides("").unwrap(), []);
    }

    #[test]
    fn bad_overrides_say_what_is_wrong() {
        let error = parse_overrides("start=date,colour=red").unwrap_err();
        assert!(error.contains("`colour`") && error.contains("start, end, time, lat, lon"), "{error}");
        assert!(parse_overrides("start").unwrap_err().contains("`start`"));
        assert!(parse_overrides("lat=").unwrap_err().contains("`lat`"));
        assert!(parse_overrides("lat=a,lat=b").unwrap_err().contains("twice"));
        let headers = ["date", "y", "x"];
        let error = guess(&headers).apply(&[(ColumnRole::Lat, "north".to_owned())], &headers).unwrap_err();
        assert!(error.contains("`north`") && error.contains("`date`, `y`, `x`"), "{error}");
    }

    #[test]
    fn rows_give_trimmed_fields_and_the_rest_as_properties() {
        let headers = vec!["a".to_owned(), String::new(), "c".to_owned()];
        let row = Row { index: 0, line: 2, fields: vec![" 1 ".into(), "2".into(), "  ".into(), "4".into()] };
        assert_eq!(row.get(Some(0)), Some("1"));
        assert_eq!((row.get(Some(2)), row.get(Some(9)), row.get(None)), (None, None, None));
        let properties = row.properties(&headers, &[Some(0)]);
        assert_eq!(properties, [("column_2".to_owned(), "2".to_owned()), ("column_4".to_owned(), "4".to_owned())]);
    }

    #[test]
    fn titles_are_a_first_sentence_cut_at_a_word() {
        assert_eq!(title_from_text("Shelling at dawn. Two killed."), "Shelling at dawn");
        assert_eq!(title_from_text("Who fired? Nobody knows"), "Who fired?");
        assert_eq!(title_from_text("  One line\nsecond line"), "One line");
        assert_eq!(title_from_text("Version 2.5 released"), "Version 2.5 released");
        let long = "word ".repeat(40);
        let title = title_from_text(&long);
        assert!(title.chars().count() <= MAX_TITLE_CHARS && title.ends_with("word…"), "{title}");
        assert_eq!(cut_at_word(&"x".repeat(200), 10), format!("{}…", "x".repeat(9)));
        assert_eq!(cut_at_word("short", 10), "short");
        assert_eq!(cut_at_word("exactly10!", 10), "exactly10!");
        assert_eq!(title_from_text(""), "");
    }
}
