//! One file of any format Kronika reads, recognised by its content first and its name second:
//! GeoJSON (Kronika's own properties or any other tool's), CSV/TSV (with the ACLED and TimeMap
//! presets), KML and KMZ. Anything else is refused with a message that names what the file seems
//! to be and what Kronika reads.

use std::path::Path;

use super::build::{BuiltEvents, StreamingBuild, build_events};
#[cfg(unix)]
use super::events::{BLOCK_BYTES, parse_in_blocks};
use super::events::{EventFileMode, ParsedEvents, parse_events_indexed};
use super::formats::columns::ColumnRole;
#[cfg(unix)]
use super::formats::csv_blocks::read_csv_in_blocks;
#[cfg(unix)]
use super::formats::geojson_any_blocks::read_geojson_any_in_blocks;
use super::formats::{csv, geojson_any, kml};
use super::problem::{Location, Problem, ProblemKind};
use super::text::{MAX_FILE_BYTES, OpenedFile, ReadBudget, open_regular, text_from_bytes, whole_utf8_prefix};

/// How to read files from other tools.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct LoadOptions {
    /// Which column (or property) holds which part of an event, where guessing is not enough.
    pub columns: Vec<(ColumnRole, String)>,
}

/// The formats Kronika reads, as a file's content shows them.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    /// A GeoJSON FeatureCollection (or other JSON, which the GeoJSON reader explains).
    GeoJson,
    /// Delimited text: CSV, TSV, ACLED and TimeMap exports.
    Delimited,
    /// KML.
    Kml,
    /// KMZ: KML in a zip archive.
    Kmz,
}

/// What the bytes of `path` are, or why Kronika does not read them.
///
/// # Errors
/// A message naming what the file seems to be, and what Kronika reads.
pub fn detect(path: &Path, bytes: &[u8]) -> Result<Format, String> {
    let extension = path.extension().map(|e| e.to_string_lossy().to_ascii_lowercase()).unwrap_or_default();
    if matches!(extension.as_str(), "xlsx" | "xls" | "ods") {
        return Err("it is a spreadsheet workbook; save the sheet as CSV (UTF-8) first".into());
    }
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Err("the file is empty".into());
    }
    if bytes.starts_with(b"PK\x03\x04") {
        return if extension == "kmz" || extension == "zip" {
            Ok(Format::Kmz)
        } else {
            Err("it is a zip archive; Kronika reads zips only as KMZ (Google Earth): rename it .kmz if it is one"
                .into())
        };
    }
    let start: Vec<u8> = bytes
        .iter()
        .copied()
        .skip_while(|b| b.is_ascii_whitespace() || *b == 0xEF || *b == 0xBB || *b == 0xBF)
        .take(512)
        .collect();
    let head = String::from_utf8_lossy(&start).to_ascii_lowercase();
    if head.starts_with('{') || head.starts_with('[') {
        return Ok(Format::GeoJson);
    }
    if head.starts_with('<') {
        return if head.contains("<kml") || extension == "kml" {
            Ok(Format::Kml)
        } else if head.contains("<gpx") {
            Err("it is a GPX track; Kronika reads KML, GeoJSON and CSV (export the track as KML or GeoJSON)".into())
        } else if head.contains("<html") || head.contains("<!doctype html") {
            Err("it is a web page (HTML), not data".into())
        } else {
            Err("it is XML but not KML".into())
        };
    }
    if bytes.starts_with(b"%PDF") {
        return Err("it is a PDF document, not data".into());
    }
    if bytes.starts_with(b"SQLite format 3") {
        return Err("it is an SQLite database; Kronika opens .mbtiles tile archives, not other databases".into());
    }
    let text = String::from_utf8_lossy(bytes.get(..bytes.len().min(64 * 1024)).unwrap_or_default());
    if matches!(extension.as_str(), "csv" | "tsv" | "tab" | "txt") || csv::looks_like_csv(&text) {
        return Ok(Format::Delimited);
    }
    if matches!(extension.as_str(), "geojson" | "json") {
        // Named as JSON: the JSON parser says where it stops being JSON.
        return Ok(Format::GeoJson);
    }
    Err("its content is not a format Kronika reads".into())
}

/// Bytes of a file read to preview its columns.
const PREVIEW_BYTES: u64 = 256 * 1024;
/// Data rows shown in a preview.
const PREVIEW_ROWS: usize = 8;

/// The header and first rows of `path` when it is a delimited file read by guessing its columns
/// (not an ACLED export or a TimeMap sheet, which have presets): what the column-mapping dialog
/// shows before loading. `None` for every other file, and for one that cannot be previewed (its
/// load then reports why).
pub fn preview_columns(path: &Path) -> Option<csv::CsvPreview> {
    if path.is_dir() {
        return None;
    }
    let mut bytes = open_regular(path).and_then(|file| file.read_prefix(PREVIEW_BYTES)).ok()?;
    if detect(path, &bytes) != Ok(Format::Delimited) {
        return None;
    }
    // Whole lines only: the last one may be cut, mid-row or mid-character.
    if bytes.len() as u64 == PREVIEW_BYTES
        && let Some(end) = bytes.iter().rposition(|&b| b == b'\n')
    {
        bytes.truncate(end + 1);
    }
    let text = std::str::from_utf8(&bytes).ok()?;
    csv::preview_csv(text, PREVIEW_ROWS).ok().filter(|preview| !preview.preset)
}

/// The events of one file, with what they share.
#[derive(Debug, Default)]
pub struct FileEvents {
    /// What the file was read as, in words.
    pub format: String,
    /// The events and their categories and fields (and the id lookup, when the reader found it
    /// on the way).
    pub built: BuiltEvents,
}

/// Reads one file of any format, within `budget`.
pub fn read_file(
    path: &Path,
    options: &LoadOptions,
    budget: &mut ReadBudget,
    problems: &mut Vec<Problem>,
) -> FileEvents {
    let at = || Location { file: path.to_path_buf(), ..Location::default() };
    let opened = match open_regular(path) {
        Ok(opened) => opened,
        Err(kind) => {
            problems.push(Problem::error(at(), kind));
            return FileEvents::default();
        }
    };
    #[cfg(unix)]
    if let Some(events) = read_in_blocks(path, &opened, options, budget, problems) {
        return events;
    }
    let bytes = match opened.read_all(MAX_FILE_BYTES, budget) {
        Ok(bytes) => bytes,
        Err(kind) => {
            problems.push(Problem::error(at(), kind));
            return FileEvents::default();
        }
    };
    let format = match detect(path, &bytes) {
        Ok(format) => format,
        Err(what) => {
            if let Err(kind) = text_from_bytes(bytes) {
                // Not text at all: the encoding is the clearer explanation.
                problems.push(Problem::error(at(), kind));
                return FileEvents::default();
            }
            let message = format!(
                "{what}. Kronika reads GeoJSON, CSV/TSV (ACLED, TimeMap, any spreadsheet), KML/KMZ, and Kronika dataset folders"
            );
            problems.push(Problem::error(at(), ProblemKind::WrongShape(message)));
            return FileEvents::default();
        }
    };
    if format == Format::Kmz {
        let read = kml::read_kmz(path, &bytes);
        let format = read.format.clone();
        return FileEvents { format, built: build_events(path, read, problems) };
    }
    let text = match text_from_bytes(bytes) {
        Ok(text) => text,
        Err(kind) => {
            problems.push(Problem::error(at(), kind));
            return FileEvents::default();
        }
    };
    let read = match format {
        Format::GeoJson if options.columns.is_empty() && !geojson_any::has_foreign_properties(&text) => {
            return kronika_geojson(parse_events_indexed(path, text, EventFileMode::Plain, problems));
        }
        Format::GeoJson => {
            let read = streamed(path, problems, |streaming| {
                geojson_any::read_geojson_any_into(path, &text, &options.columns, streaming)
            });
            // Not a FeatureCollection: the Kronika reader explains what it is.
            return read.unwrap_or_else(|| {
                parse_events_indexed(path, text, EventFileMode::Plain, problems);
                FileEvents { format: "JSON".into(), ..FileEvents::default() }
            });
        }
        Format::Delimited => {
            // Streamed into the builder: a million rows are never all held as records.
            let read = streamed(path, problems, |streaming| {
                Some(csv::read_csv_into(path, &text, &options.columns, streaming))
            });
            return read.unwrap_or_default();
        }
        Format::Kml | Format::Kmz => kml::read_kml(path, &text),
    };
    let format = read.format.clone();
    FileEvents { format, built: build_events(path, read, problems) }
}

/// The events of a file in Kronika's own GeoJSON.
fn kronika_geojson(parsed: ParsedEvents) -> FileEvents {
    let built = BuiltEvents {
        events: parsed.events,
        category_keys: parsed.category_keys,
        properties: parsed.properties,
        id_index: parsed.id_index,
    };
    FileEvents { format: "GeoJSON".into(), built }
}

/// The events `read` streams into a builder of its own; `None` when it declines, and the builder
/// is dropped with whatever it was given.
fn streamed(
    path: &Path,
    problems: &mut Vec<Problem>,
    read: impl FnOnce(&mut StreamingBuild) -> Option<Vec<Problem>>,
) -> Option<FileEvents> {
    let mut streaming = StreamingBuild::new(path);
    let read_problems = read(&mut streaming)?;
    let format = streaming.format().to_owned();
    Some(FileEvents { format, built: streaming.finish(read_problems, problems) })
}

/// Files from this size on, when they are FeatureCollections of Kronika-shaped features or
/// delimited tables, are read block by block: their text is never held whole beside their events. (In unit tests, small
/// files too, so that every file they load goes through it.)
#[cfg(not(test))]
const READ_IN_BLOCKS_FROM_BYTES: u64 = 64 * 1024 * 1024;
#[cfg(test)]
const READ_IN_BLOCKS_FROM_BYTES: u64 = 1024;
/// Blocks of a delimited file: an eighth of a GeoJSON block (4 MB), as they are read in pairs
/// while the pair before is built (on two cores), and their memory goes round. (8 MB blocks loaded
/// a 1M-row ACLED file about 5 % faster, but with 50 MiB more at the peak, a few MB under its
/// memory target.)
const CSV_BLOCK_BYTES: usize = BLOCK_BYTES / 8;
/// Blocks of a collection of Kronika-shaped features: a quarter of another tool's (8 MB). Each
/// block's text is read into memory the kernel must fault in and zero, two buffers' worth; 32 MB
/// blocks faulted in 17,000 pages more than 8 MB ones for 1M plain events (a fifth of the
/// load's page faults), and loaded them about a tenth slower, with 35 MB more at the peak. Other
/// tools' features keep whole blocks: each of their blocks is built in parts, which cost more
/// when there are more blocks (8 MB blocks loaded 1M ACLED features a tenth slower).
const KRONIKA_BLOCK_BYTES: usize = BLOCK_BYTES / 4;
/// Enough of a file's start to tell its format and its first feature's fields.
const HEAD_BYTES: u64 = 256 * 1024;

/// A large file read block by block: a FeatureCollection (whose first feature has Kronika's
/// fields, or another tool's), or a delimited file (ACLED and the like). `None` for any other file, or when the block
/// reader declines (the file is then read whole).
#[cfg(unix)]
fn read_in_blocks(
    path: &Path,
    opened: &OpenedFile,
    options: &LoadOptions,
    budget: &mut ReadBudget,
    problems: &mut Vec<Problem>,
) -> Option<FileEvents> {
    use std::io::Read as _;
    let len = opened.len();
    if !(READ_IN_BLOCKS_FROM_BYTES..=MAX_FILE_BYTES).contains(&len) || !budget.allows(len) {
        return None;
    }
    let mut head = Vec::new();
    opened.reader_from_start().ok()?.take(HEAD_BYTES).read_to_end(&mut head).ok()?;
    let head_text = whole_utf8_prefix(&head);
    let read = match detect(path, &head).ok()? {
        Format::GeoJson if options.columns.is_empty() && geojson_any::first_feature_names_start(head_text) => {
            let mut found = Vec::new();
            let mut source = opened.reader_from_start().ok()?;
            let parsed = parse_in_blocks(
                path,
                &mut source,
                KRONIKA_BLOCK_BYTES,
                MAX_FILE_BYTES,
                EventFileMode::Plain,
                &mut found,
            )?;
            problems.extend(found);
            kronika_geojson(parsed)
        }
        Format::GeoJson if geojson_any::first_feature_is_foreign(head_text) => streamed(path, problems, |streaming| {
            let mut source = opened.reader_from_start().ok()?;
            read_geojson_any_in_blocks(path, &mut source, BLOCK_BYTES, MAX_FILE_BYTES, &options.columns, streaming)
        })?,
        Format::Delimited => streamed(path, problems, |streaming| {
            let mut source = opened.reader_from_start().ok()?;
            read_csv_in_blocks(path, &mut source, CSV_BLOCK_BYTES, MAX_FILE_BYTES, &options.columns, streaming)
        })?,
        _ => return None,
    };
    // Within the budget, as checked before reading.
    if let Err(kind) = budget.spend(len) {
        problems.push(Problem::error(Location { file: path.to_path_buf(), ..Location::default() }, kind));
    }
    Some(read)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_are_told_by_their_content() {
        let detect = |name: &str, bytes: &[u8]| detect(Path::new(name), bytes);
        assert_eq!(detect("a.geojson", b"  {\"type\":\"FeatureCollection\"}"), Ok(Format::GeoJson));
        assert_eq!(
            detect("export", b"event_id_cnty,event_date,latitude,longitude\nX1,2023-09-24,42.9,20.9\n"),
            Ok(Format::Delimited)
        );
        assert_eq!(detect("a.kml", b"<?xml version=\"1.0\"?><kml xmlns=\"x\">"), Ok(Format::Kml));
        assert_eq!(detect("a.kmz", b"PK\x03\x04rest"), Ok(Format::Kmz));
        assert!(detect("a.zip.geojson", b"PK\x03\x04rest").unwrap_err().contains("zip"));
        assert!(detect("a.gpx", b"<?xml version=\"1.0\"?><gpx>").unwrap_err().contains("GPX"));
        assert!(detect("a.xlsx", b"\x00\x01binary").unwrap_err().contains("CSV"));
        assert!(detect("notes", b"just a sentence").is_err());
    }

    /// `text` written as `name` in a temporary folder and read by [`read_file`]: in blocks, the
    /// file being over the (unit tests') threshold.
    fn read_written(name: &str, text: &str) -> (FileEvents, Vec<Problem>) {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(name);
        std::fs::write(&path, text).unwrap();
        let mut problems = Vec::new();
        let read = read_file(&path, &LoadOptions::default(), &mut ReadBudget::default(), &mut problems);
        (read, problems)
    }

    /// The same events, fields and problems as the whole-text reader's.
    fn assert_read_as_whole(read: &FileEvents, problems: &[Problem], whole: &BuiltEvents, whole_problems: &[Problem]) {
        let ids = |events: &[crate::model::Event]| events.iter().map(|e| e.id.to_string()).collect::<Vec<_>>();
        assert_eq!(ids(&read.built.events), ids(&whole.events));
        assert_eq!(read.built.properties, whole.properties);
        let messages = |problems: &[Problem]| problems.iter().map(ToString::to_string).collect::<Vec<_>>();
        assert_eq!(messages(problems), messages(whole_problems));
    }

    #[test]
    fn a_large_collection_read_in_blocks_loads_as_read_whole() {
        let features: Vec<String> = (0..1500)
            .map(|i| {
                let start = if i == 17 { "1999-02-30".to_owned() } else { format!("1999-01-{:02}", i % 28 + 1) };
                let id = if i == 1040 { "e3".to_owned() } else { format!("e{i}") };
                format!(
                    "{{\"type\":\"Feature\",\"id\":\"{id}\",\"geometry\":{{\"type\":\"Point\",\"coordinates\":[20.{i},42.9]}},\n\"properties\":{{\"title\":\"Event {i}\",\"start\":\"{start}\",\"unit\":\"Unit {}\"}}}}",
                    i % 5
                )
            })
            .collect();
        let text = format!("{{\"type\":\"FeatureCollection\",\"features\":[\n{}\n]}}\n", features.join(",\n"));
        let (read, problems) = read_written("big.geojson", &text);
        let path = problems[0].location.file.clone();
        let mut whole_problems = Vec::new();
        let whole = parse_events_indexed(&path, text, EventFileMode::Plain, &mut whole_problems);
        let whole = BuiltEvents {
            events: whole.events,
            category_keys: whole.category_keys,
            properties: whole.properties,
            id_index: whole.id_index,
        };
        assert_eq!(read.format, "GeoJSON");
        assert_eq!(read.built.events.len(), 1498);
        // The bad date and the duplicate, each at its feature's line.
        assert_eq!(problems.len(), 2, "{problems:?}");
        assert_eq!(problems[0].location.line, Some(2 + 2 * 17));
        assert_eq!(problems[1].location.line, Some(2 + 2 * 1040));
        assert_read_as_whole(&read, &problems, &whole, &whole_problems);
    }

    #[test]
    fn a_large_table_read_in_blocks_loads_as_read_whole() {
        let mut text = String::from("event_id,event_date,latitude,longitude,notes\n");
        for i in 0..2000 {
            let date = if i == 33 { "2023-02-30".to_owned() } else { format!("2023-09-{:02}", i % 28 + 1) };
            text.push_str(&format!("x{i},{date},42.{i},20.9,\"Row {i}: \"\"quoted\"\",\nacross lines\"\n"));
        }
        let (read, problems) = read_written("export.csv", &text);
        let path = problems[0].location.file.clone();
        let mut streaming = StreamingBuild::new(&path);
        let read_problems = csv::read_csv_into(&path, &text, &[], &mut streaming);
        let mut whole_problems = Vec::new();
        let whole = streaming.finish(read_problems, &mut whole_problems);
        assert_eq!(read.built.events.len(), 1999);
        assert_eq!(problems.len(), 1, "{problems:?}");
        assert_eq!(problems[0].location.line, Some(2 + 2 * 33));
        assert_read_as_whole(&read, &problems, &whole, &whole_problems);
    }

    #[test]
    fn another_tools_large_collection_read_in_blocks_loads_as_read_whole() {
        let features: Vec<String> = (0..1500)
            .map(|i| {
                let date = if i == 9 { "2023-02-30".to_owned() } else { format!("2023-09-{:02}", i % 28 + 1) };
                format!(
                    "{{\"type\":\"Feature\",\"geometry\":{{\"type\":\"Point\",\"coordinates\":[20.{i},42.9]}},\"properties\":{{\"event_id_cnty\":\"SRB{i}\",\"event_date\":\"{date}\",\"event_type\":\"Protests\"}}}}"
                )
            })
            .collect();
        let text = format!("{{\"type\":\"FeatureCollection\",\"features\":[\n{}\n]}}", features.join(",\n"));
        let (read, problems) = read_written("acled.geojson", &text);
        let path = problems[0].location.file.clone();
        let mut streaming = StreamingBuild::new(&path);
        let read_problems = geojson_any::read_geojson_any_into(&path, &text, &[], &mut streaming).unwrap();
        let mut whole_problems = Vec::new();
        let whole = streaming.finish(read_problems, &mut whole_problems);
        assert_eq!(read.format, "GeoJSON (properties named by another tool)");
        assert_eq!(read.built.events.len(), 1499);
        assert_eq!(problems.len(), 1, "{problems:?}");
        assert_read_as_whole(&read, &problems, &whole, &whole_problems);
    }
}
