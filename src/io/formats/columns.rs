//! Which column of a delimited file holds which part of an event: guessed from the header's names,
//! or given by the user (`start=COL,lat=COL,…`), and the small helpers every CSV preset shares to
//! read one row. Only names and text: no parsing of dates or numbers, which is the builder's job.

use crate::model::text::trimmed;
use std::borrow::Cow;
use std::fmt;
use std::path::Path;

use crate::io::problem::Location;
use crate::io::records::RawFields;

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

    /// The role in words, for people.
    pub fn label(self) -> &'static str {
        match self {
            Self::Id => "Id",
            Self::Title => "Title",
            Self::Start => "Start date",
            Self::End => "End date",
            Self::Time => "Time of day",
            Self::Lat => "Latitude",
            Self::Lon => "Longitude",
            Self::Category => "Category",
            Self::Summary => "Description",
            Self::Place => "Place name",
            Self::Source => "Source",
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
    (ColumnRole::Source, &["source", "sources", "reported_by", "url", "link"]),
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
    /// does), and takes that column from any role it was guessed for. An empty column name says
    /// the role has no column (the column-mapping dialog gives every role, some as none).
    ///
    /// # Errors
    /// A column that is not in `headers`, named, with the header's columns listed.
    pub fn apply(&mut self, overrides: &[(ColumnRole, String)], headers: &[&str]) -> Result<(), String> {
        let owned: Vec<String> = headers.iter().map(|h| clean_header(h).to_owned()).collect();
        for (role, column) in overrides {
            if column.is_empty() {
                *self.slot(*role) = None;
                continue;
            }
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

    /// Every role with its column, or an empty name for none: overrides that say exactly this
    /// mapping, guesses and all.
    pub fn to_overrides(&self) -> Vec<(ColumnRole, String)> {
        ColumnRole::ALL.iter().map(|&role| (role, self.get(role).unwrap_or_default().to_owned())).collect()
    }

    /// Gives `role` the column `column` (or none), taking it from any other role that had it
    /// (except that a description may be both title and summary).
    pub fn set(&mut self, role: ColumnRole, column: Option<String>) {
        if let Some(column) = &column {
            let shares = |other: ColumnRole| {
                matches!(
                    (role, other),
                    (ColumnRole::Title, ColumnRole::Summary) | (ColumnRole::Summary, ColumnRole::Title)
                )
            };
            for other in ColumnRole::ALL.into_iter().filter(|&other| other != role && !shares(other)) {
                let slot = self.slot(other);
                if slot.as_ref() == Some(column) {
                    *slot = None;
                }
            }
        }
        *self.slot(role) = column;
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
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Row<'a> {
    /// 0-based number of the data row (the header is not counted).
    pub index: usize,
    /// 1-based line where the row starts.
    pub line: usize,
    /// Its fields, as written (borrowed from the reader); there may be more or fewer than the
    /// header has columns.
    pub fields: &'a [Cow<'a, str>],
}

impl<'a> Row<'a> {
    /// The trimmed text of column `at`, or `None` when there is no such column or it is blank.
    pub fn get(&self, at: Option<usize>) -> Option<&'a str> {
        let text = trimmed(self.fields.get(at?)?);
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

    /// [`Row::get`], lent for a record.
    pub fn text(&self, at: Option<usize>) -> Option<Cow<'a, str>> {
        self.get(at).map(Cow::Borrowed)
    }
}

/// Which columns of a file are kept as other fields, and by what name: every column a preset or
/// mapping does not use, named by its header (`column_N`, 1-based, under a blank one or past the
/// header). Found once per file, not per row.
#[derive(Clone, Debug, Default)]
pub struct PropertyColumns {
    /// Per column: its field's name, or `None` for a column used otherwise.
    names: Vec<Option<String>>,
}

impl PropertyColumns {
    /// The columns of `headers` not in `used`.
    pub fn new(headers: &[String], used: &[Option<usize>]) -> Self {
        let names = headers
            .iter()
            .enumerate()
            .map(|(at, header)| {
                let name = if header.is_empty() { format!("column_{}", at + 1) } else { header.clone() };
                (!used.contains(&Some(at))).then_some(name)
            })
            .collect();
        Self { names }
    }

    /// Every non-blank field of `row` in a kept column, in file order: (name, trimmed text).
    pub fn of<'a>(&'a self, row: &Row<'a>) -> RawFields<'a> {
        let mut properties = Vec::with_capacity(self.names.len());
        for (at, field) in row.fields.iter().enumerate() {
            let name = match self.names.get(at) {
                Some(Some(name)) => Cow::Borrowed(name.as_str()),
                Some(None) => continue,
                None => Cow::Owned(format!("column_{}", at + 1)),
            };
            let text = trimmed(field);
            if !text.is_empty() {
                properties.push((name, Cow::Borrowed(text)));
            }
        }
        properties
    }
}

/// A title from a longer text: its first line or sentence, without the final full stop, cut at a
/// word boundary to at most [`MAX_TITLE_CHARS`] characters (with "…" when cut).
pub fn title_from_text(text: &str) -> Cow<'_, str> {
    // (Trimmed at once when it starts and ends with a visible character, as notes do.)
    let text = trimmed(text);
    // Its first line, found by the memchr crate's vector search (`str::lines` looked at a
    // 400-byte ACLED note a word at a time); a line's closing "\r" goes with the trimming.
    let first_line = trimmed(memchr::memchr(b'\n', text.as_bytes()).and_then(|end| text.get(..end)).unwrap_or(text));
    // The marks are ASCII, never part of another character: found as bytes, each followed by a
    // blank or the end.
    let ends_sentence =
        |at: usize| first_line.get(at + 1..).is_none_or(|rest| rest.chars().next().is_none_or(char::is_whitespace));
    let sentence = memchr::memchr3_iter(b'.', b'!', b'?', first_line.as_bytes()).find(|&at| ends_sentence(at)).map_or(
        first_line,
        |at| {
            // Keep a question's or exclamation's mark; drop a full stop.
            let end = if first_line.as_bytes().get(at) == Some(&b'.') { at } else { at + 1 };
            first_line.get(..end).unwrap_or(first_line)
        },
    );
    cut_at_word(trimmed(sentence), MAX_TITLE_CHARS)
}

/// `text` cut to at most `max_chars` characters at a word boundary, with "…" when cut. Made
/// as the event's title is kept (a million titles are made from a million ACLED notes).
pub fn cut_at_word(text: &str, max_chars: usize) -> Cow<'_, str> {
    // No more bytes than that, so no more characters: nothing to count.
    if text.len() <= max_chars {
        return Cow::Borrowed(text);
    }
    // Where the last character that fits starts: counted only past an ASCII start (a byte a
    // character), as most titles are.
    let last = max_chars.saturating_sub(1);
    let limit = if text.as_bytes().get(..max_chars).is_some_and(<[u8]>::is_ascii) {
        last
    } else {
        let Some((limit, _)) = text.char_indices().nth(last) else { return Cow::Borrowed(text) };
        limit
    };
    if text.get(limit..).is_some_and(|rest| rest.chars().nth(1).is_none()) {
        return Cow::Borrowed(text);
    }
    let head = text.get(..limit).unwrap_or_default();
    // Cut at the last blank, unless that would leave less than half the room.
    let cut = match head.rfind(char::is_whitespace) {
        Some(blank) if blank * 2 >= limit => head.get(..blank).unwrap_or(head),
        _ => head,
    };
    let cut = cut.trim_end_matches(|c: char| c.is_whitespace() || matches!(c, ',' | ';' | ':'));
    let mut title = String::with_capacity(cut.len() + '…'.len_utf8());
    title.push_str(cut);
    title.push('…');
    Cow::Owned(title)
}

#[cfg(test)]
mod tests;
