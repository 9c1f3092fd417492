//! Reading CSV and TSV files into raw records: the delimiter sniffed from the first rows, a header
//! row required, ragged rows read with a warning, a row with an unclosed quote reported and
//! skipped. ACLED exports and TimeMap sheets are recognised by their header and read by their
//! presets ([`super::acled`], [`super::timemap`]); any other file by guessing its columns from
//! their names, or as the user says. Never parses dates or coordinates (the builder does), never
//! panics, and never drops a row without a located problem.

use std::borrow::Cow;
use std::path::Path;

use ::csv::{ReaderBuilder, StringRecord};

use super::acled::AcledColumns;
use super::columns::{
    ColumnMapping, ColumnRole, PropertyColumns, Row, clean_header, find_column, guess, title_from_text,
};
use super::csv_parts::{Reading, RecordMaker};
use super::csv_rows::Rows;
use super::timemap::TimeMapColumns;

use crate::io::build::RecordSink;
use crate::io::problem::{Location, Problem, ProblemKind};
use crate::io::records::{FieldNames, RawGeometry, RawRecord, ReadRecords};
use crate::io::text::count_newlines;

/// The delimiters a file may use, in the order they are preferred when several fit.
const DELIMITERS: [u8; 4] = [b',', b';', b'\t', b'|'];
/// Records (the header included) looked at to choose the delimiter.
const SNIFF_RECORDS: usize = 21;
/// Bytes looked at to choose the delimiter.
const SNIFF_BYTES: usize = 256 * 1024;

/// Reads `text`, the content of `file`, as CSV or TSV. `overrides` (from `parse_overrides`) say
/// which column holds what; when there are any, the file is read with the generic mapping even if
/// it looks like an ACLED export or a TimeMap sheet.
pub fn read_csv(file: &Path, text: &str, overrides: &[(ColumnRole, String)]) -> ReadRecords {
    let mut read = ReadRecords { format: "CSV".to_owned(), ..ReadRecords::default() };
    read.problems = read_csv_into(file, text, overrides, &mut read);
    read
}

/// As [`read_csv`], sending each record to `sink` as it is read (the builder, for large files);
/// returns the reader's problems.
pub fn read_csv_into(
    file: &Path,
    text: &str,
    overrides: &[(ColumnRole, String)],
    sink: &mut dyn RecordSink,
) -> Vec<Problem> {
    read_csv_blocks(file, Cow::Borrowed(text), &mut |_, _| None, overrides, sink)
}

/// As [`read_csv_into`], for a file read in blocks: `first` is the first block (let go once its
/// rows are read), and `next_block(delimiter, spare)` gives each following one (in `spare`'s
/// memory, a block done with, when there is one), each ending where a row
/// ends (the last where the file does). Rows keep their index and line across blocks.
pub fn read_csv_blocks(
    file: &Path,
    first: Cow<'_, str>,
    next_block: &mut (dyn FnMut(u8, Option<String>) -> Option<String> + Send),
    overrides: &[(ColumnRole, String)],
    sink: &mut dyn RecordSink,
) -> Vec<Problem> {
    let text = first.strip_prefix('\u{feff}').unwrap_or(&first);
    let mut read = Problems::default();
    sink.begin("CSV", &FieldNames::default());
    let at_file = |line: Option<usize>| Location { file: file.to_path_buf(), line, ..Location::default() };
    if text.trim().is_empty() {
        let kind = ProblemKind::WrongShape("the file is empty; a CSV file needs a header row, then data rows".into());
        read.problems.push(Problem::error(at_file(None), kind));
        return read.problems;
    }
    let Some(sniffed) = sniff_delimiter(text) else {
        let kind = ProblemKind::WrongShape(
            "no column delimiter found: the first line has one column; expected columns separated by \
             commas, semicolons, tabs or `|`"
                .into(),
        );
        read.problems.push(Problem::error(at_file(Some(1)), kind));
        return read.problems;
    };
    let delimiter = sniffed.delimiter;
    let kind_word = if delimiter == b'\t' { "TSV" } else { "CSV" };
    sink.begin(kind_word, &FieldNames::default());
    let mut rows = Rows::new(text, delimiter, 0);
    let headers: Vec<String> = match rows.next() {
        Some(Ok((_, fields))) => fields.iter().map(|name| clean_header(name).to_owned()).collect(),
        Some(Err((line, _))) => {
            let kind = ProblemKind::WrongShape(
                "a quoted name in the header row is never closed (a missing `\"`); the file was not read".into(),
            );
            read.problems.push(Problem::error(at_file(Some(line)), kind));
            return read.problems;
        }
        None => return read.problems,
    };
    let preset = match Preset::choose(&headers, overrides) {
        Ok(preset) => preset,
        Err(message) => {
            read.problems.push(Problem::error(at_file(Some(1)), ProblemKind::WrongShape(message)));
            return read.problems;
        }
    };
    sink.begin(&preset.format(kind_word), &preset.fields());
    let mut reading = Reading::new(file, &headers, &preset);
    reading.rows(rows, sink, &mut read.problems);
    let lines_before = count_newlines(text.as_bytes());
    drop(first);
    reading.blocks(lines_before, delimiter, next_block, sink, &mut read.problems);
    let records = reading.records();
    if records == 0 && read.problems.is_empty() {
        let kind = ProblemKind::WrongShape("the file has a header row but no data rows".into());
        read.problems.push(Problem::warning(at_file(Some(1)), kind));
    }
    read.problems
}

/// The start of a delimited file, to show before it is read: its header, first rows, and what
/// Kronika would read it as.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct CsvPreview {
    /// "CSV", "TSV", "ACLED export (CSV)" …
    pub format: String,
    /// The header's names.
    pub headers: Vec<String>,
    /// The first data rows, as many fields as the header.
    pub rows: Vec<Vec<String>>,
    /// The columns guessed from the names (ignored by the ACLED and TimeMap presets).
    pub mapping: ColumnMapping,
    /// Whether the file is read by a preset (ACLED, TimeMap), which needs no mapping.
    pub preset: bool,
}

/// The header and first `max_rows` rows of `text` (the start of a delimited file), or why it has
/// none.
///
/// # Errors
/// No delimiter, or a header that never ends.
pub fn preview_csv(text: &str, max_rows: usize) -> Result<CsvPreview, String> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let sniffed = sniff_delimiter(text).ok_or("no column delimiter found in the first line")?;
    let kind_word = if sniffed.delimiter == b'\t' { "TSV" } else { "CSV" };
    let mut rows = Rows::new(text, sniffed.delimiter, 0);
    let headers: Vec<String> = match rows.next() {
        Some(Ok((_, fields))) => fields.iter().map(|name| clean_header(name).to_owned()).collect(),
        _ => return Err("the header row cannot be read".into()),
    };
    let preset = Preset::choose(&headers, &[])?;
    let names: Vec<&str> = headers.iter().map(String::as_str).collect();
    let data: Vec<Vec<String>> = rows
        .filter_map(Result::ok)
        .filter(|(_, fields)| fields.iter().any(|field| !field.trim().is_empty()))
        .take(max_rows)
        .map(|(_, fields)| {
            let mut fields: Vec<String> = fields;
            fields.resize(headers.len(), String::new());
            fields
        })
        .collect();
    Ok(CsvPreview {
        format: preset.format(kind_word),
        preset: !matches!(preset, Preset::Generic(_)),
        mapping: guess(&names),
        headers,
        rows: data,
    })
}

/// Whether `text` looks like a delimited table: not JSON or XML, and a header of at least two
/// short columns that the next rows match (most of them, by field count).
pub fn looks_like_csv(text: &str) -> bool {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let start = text.trim_start();
    if start.is_empty() || start.starts_with(['{', '[', '<']) {
        return false;
    }
    sniff_delimiter(text).is_some_and(|sniffed| sniffed.consistent && sniffed.has_data && sniffed.plausible_header)
}

/// The delimiter the start of a delimited file uses, if it has one.
pub(super) fn delimiter_of(text: &str) -> Option<u8> {
    sniff_delimiter(text).map(|sniffed| sniffed.delimiter)
}

/// What the first rows say about the delimiter.
struct Sniffed {
    delimiter: u8,
    /// Most of the sampled rows have the header's field count.
    consistent: bool,
    /// There is at least one row after the header.
    has_data: bool,
    /// The header's names are short, one line each, mostly not blank.
    plausible_header: bool,
}

/// The delimiter that splits the header into the most columns the following rows agree with
/// (quotes respected), or `None` when none splits it into two or more.
fn sniff_delimiter(text: &str) -> Option<Sniffed> {
    let sample = match text.get(..SNIFF_BYTES) {
        Some(head) if head.len() < text.len() => head.rfind('\n').and_then(|end| head.get(..end)).unwrap_or(head),
        _ => text,
    };
    let mut best: Option<((usize, usize), Sniffed)> = None;
    for delimiter in DELIMITERS {
        let mut reader =
            ReaderBuilder::new().delimiter(delimiter).has_headers(false).flexible(true).from_reader(sample.as_bytes());
        let records: Vec<StringRecord> = reader.records().take(SNIFF_RECORDS).map_while(Result::ok).collect();
        let Some(header) = records.first() else { continue };
        if header.len() < 2 {
            continue;
        }
        let matching = records.iter().filter(|record| record.len() == header.len()).count();
        let names_blank = header.iter().filter(|name| name.trim().is_empty()).count();
        let sniffed = Sniffed {
            delimiter,
            consistent: matching * 2 > records.len(),
            has_data: records.len() > 1,
            plausible_header: names_blank * 2 < header.len()
                && header.iter().all(|name| name.chars().count() <= 100 && !name.contains(['\n', '\r'])),
        };
        let score = (matching, header.len());
        if best.as_ref().is_none_or(|(best_score, _)| score > *best_score) {
            best = Some((score, sniffed));
        }
    }
    best.map(|(_, sniffed)| sniffed)
}

/// Problems met while reading, kept apart from the records.
#[derive(Default)]
struct Problems {
    problems: Vec<Problem>,
}

/// How a file's rows become records.
enum Preset {
    Acled(AcledColumns),
    TimeMap(TimeMapColumns),
    Generic(Box<GenericColumns>),
}

impl Preset {
    /// The preset the header names, or the generic mapping when there are overrides.
    fn choose(headers: &[String], overrides: &[(ColumnRole, String)]) -> Result<Self, String> {
        if overrides.is_empty() {
            if AcledColumns::matches(headers) {
                return Ok(Self::Acled(AcledColumns::new(headers)));
            }
            if TimeMapColumns::matches(headers) {
                return Ok(Self::TimeMap(TimeMapColumns::new(headers)));
            }
        }
        let names: Vec<&str> = headers.iter().map(String::as_str).collect();
        let mut mapping = guess(&names);
        mapping.apply(overrides, &names)?;
        Ok(Self::Generic(Box::new(GenericColumns::new(headers, mapping))))
    }

    fn format(&self, kind_word: &str) -> String {
        match self {
            Self::Acled(_) => format!("ACLED export ({kind_word})"),
            Self::TimeMap(_) => format!("TimeMap sheet ({kind_word})"),
            Self::Generic(_) => kind_word.to_owned(),
        }
    }

    fn fields(&self) -> FieldNames {
        match self {
            Self::Acled(columns) => columns.fields(),
            Self::TimeMap(columns) => columns.fields(),
            Self::Generic(columns) => columns.fields(),
        }
    }
}

impl RecordMaker for Preset {
    fn record<'r>(&'r self, file: &Path, row: &Row<'r>, problems: &mut Vec<Problem>) -> RawRecord<'r> {
        match self {
            Self::Acled(columns) => columns.record(file, row, problems),
            Self::TimeMap(columns) => columns.record(row),
            Self::Generic(columns) => columns.record(row),
        }
    }
}

/// A file read by its column names ([`guess`]) and the user's overrides.
struct GenericColumns {
    mapping: ColumnMapping,
    /// The position of each role's column, in [`ColumnRole::ALL`] order.
    positions: [Option<usize>; 11],
    /// The columns of no role, kept as other fields.
    properties: PropertyColumns,
}

impl GenericColumns {
    fn new(headers: &[String], mapping: ColumnMapping) -> Self {
        let positions = ColumnRole::ALL.map(|role| mapping.get(role).and_then(|name| find_column(headers, name)));
        Self { mapping, properties: PropertyColumns::new(headers, &positions), positions }
    }

    fn at(&self, role: ColumnRole) -> Option<usize> {
        let slot = ColumnRole::ALL.iter().position(|r| *r == role)?;
        self.positions.get(slot).copied().flatten()
    }

    fn fields(&self) -> FieldNames {
        let name = |role| self.mapping.get(role).map(str::to_owned);
        FieldNames {
            id: name(ColumnRole::Id),
            title: name(ColumnRole::Title),
            start: name(ColumnRole::Start),
            end: name(ColumnRole::End),
            time: name(ColumnRole::Time),
            lat: name(ColumnRole::Lat),
            lon: name(ColumnRole::Lon),
            geometry: None,
            category: name(ColumnRole::Category),
        }
    }

    fn record<'r>(&'r self, row: &Row<'r>) -> RawRecord<'r> {
        let text = |role| row.text(self.at(role));
        let (title_at, summary_at) = (self.at(ColumnRole::Title), self.at(ColumnRole::Summary));
        // A description standing in for the title gives its first sentence.
        let title = if title_at.is_some() && title_at == summary_at {
            row.get(title_at).map(title_from_text)
        } else {
            text(ColumnRole::Title)
        };
        let geometry = match (text(ColumnRole::Lat), text(ColumnRole::Lon)) {
            (None, None) => RawGeometry::None,
            (lat, lon) => RawGeometry::LatLonText { lat: lat.unwrap_or_default(), lon: lon.unwrap_or_default() },
        };
        RawRecord {
            index: row.index,
            line: Some(row.line),
            id: text(ColumnRole::Id),
            title,
            start: text(ColumnRole::Start),
            end: text(ColumnRole::End),
            time: text(ColumnRole::Time),
            geometry,
            place_name: text(ColumnRole::Place),
            category: text(ColumnRole::Category),
            summary: text(ColumnRole::Summary),
            reported_by: text(ColumnRole::Source),
            properties: self.properties.of(row),
            ..RawRecord::default()
        }
    }
}

// The tests are many (every broken shape of file); they live in `csv/tests.rs`.
#[cfg(test)]
mod tests;
