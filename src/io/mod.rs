//! Reading datasets: a Kronika dataset directory or a plain GeoJSON file. Every problem is reported
//! with its file, feature index, id and field; what is valid still loads. Knows nothing of egui.

mod atomic;
mod events;
mod places;
mod problem;
mod sources;
mod split;
mod text;

use std::collections::HashMap;
use std::path::{Path, PathBuf};

pub use atomic::{user_dir, write_atomically};
pub use events::{EventFileMode, ParsedEvents, parse_events, parse_events_indexed};
pub use problem::{Location, Problem, ProblemKind, Severity};
pub use sources::{confined_path, sha256_hex};
pub use text::{LineIndex, MAX_FILE_BYTES, read_text, text_from_bytes};

use crate::model::{Dataset, Event, Source};

/// File names inside a dataset directory.
pub const EVENTS_FILE: &str = "events.geojson";
/// The gazetteer's file name.
pub const PLACES_FILE: &str = "places.geojson";
/// The sources' metadata file name.
pub const SOURCES_FILE: &str = "sources.json";
/// The dataset's name and description.
pub const MANIFEST_FILE: &str = "dataset.json";

/// What loading produced: the dataset (possibly partial) and every problem met on the way.
#[derive(Debug, Default)]
pub struct LoadReport {
    /// Where it was loaded from.
    pub path: PathBuf,
    /// What loaded.
    pub dataset: Dataset,
    /// What did not, and what is doubtful; sorted by file, then position.
    pub problems: Vec<Problem>,
}

impl LoadReport {
    /// Number of errors.
    pub fn error_count(&self) -> usize {
        self.problems.iter().filter(|p| p.severity == Severity::Error).count()
    }

    /// Number of warnings.
    pub fn warning_count(&self) -> usize {
        self.problems.iter().filter(|p| p.severity == Severity::Warning).count()
    }
}

/// Loads a dataset directory or a single GeoJSON file. Never panics; never fails as a whole:
/// what cannot be read is reported in `problems`.
pub fn load(path: &Path) -> LoadReport {
    let mut problems = Vec::new();
    let dataset =
        if path.is_dir() { load_directory(path, &mut problems) } else { load_plain_file(path, &mut problems) };
    LoadReport { path: path.to_path_buf(), dataset, problems }
}

fn load_plain_file(path: &Path, problems: &mut Vec<Problem>) -> Dataset {
    let name = path.file_stem().map_or_else(|| path.display().to_string(), |s| s.to_string_lossy().into_owned());
    let parsed = match read_text(path, MAX_FILE_BYTES) {
        Ok(text) => parse_events_indexed(path, &text, EventFileMode::Plain, problems),
        Err(problem) => {
            problems.push(*problem);
            ParsedEvents::default()
        }
    };
    Dataset::with_id_index(name, parsed.events, Vec::new(), Vec::new(), parsed.id_index)
}

#[derive(serde::Deserialize)]
struct Manifest {
    name: Option<String>,
    description: Option<String>,
}

fn load_directory(dir: &Path, problems: &mut Vec<Problem>) -> Dataset {
    let read = |name: &str, required: bool, problems: &mut Vec<Problem>| {
        let path = dir.join(name);
        if !required && !path.exists() {
            return None;
        }
        match read_text(&path, MAX_FILE_BYTES) {
            Ok(text) => Some((path, text)),
            Err(problem) => {
                problems.push(*problem);
                None
            }
        }
    };

    let mut name = dir.file_name().map_or_else(|| dir.display().to_string(), |s| s.to_string_lossy().into_owned());
    let mut description = None;
    if let Some((path, text)) = read(MANIFEST_FILE, false, problems) {
        match serde_json::from_str::<Manifest>(&text) {
            Ok(manifest) => {
                name = manifest.name.unwrap_or(name);
                description = manifest.description;
            }
            Err(error) => problems.push(Problem::error(
                Location { file: path, line: Some(error.line()), ..Location::default() },
                ProblemKind::WrongShape(error.to_string()),
            )),
        }
    }
    let places = read(PLACES_FILE, false, problems)
        .map(|(path, text)| places::parse_places(&path, &text, problems))
        .unwrap_or_default();
    let sources = read(SOURCES_FILE, false, problems)
        .map(|(path, text)| sources::parse_sources(&path, &text, dir, problems))
        .unwrap_or_default();
    let events = read(EVENTS_FILE, true, problems)
        .map(|(path, text)| {
            let events = parse_events(&path, &text, EventFileMode::Dataset, problems);
            resolve_references(&path, events, &places, &sources, problems)
        })
        .unwrap_or_default();

    let mut dataset = Dataset::new(name, events, places, sources);
    dataset.description = description;
    dataset
}

/// Checks every place, relation and citation reference; fills in points from the gazetteer and
/// character ranges of quotes. Broken references are reported and removed; the event stays.
fn resolve_references(
    file: &Path,
    mut events: Vec<Event>,
    places: &[crate::model::Place],
    sources: &[Source],
    problems: &mut Vec<Problem>,
) -> Vec<Event> {
    let place_by_id: HashMap<&str, &crate::model::Place> = places.iter().map(|p| (p.id.as_str(), p)).collect();
    let source_by_id: HashMap<&str, &Source> = sources.iter().map(|s| (s.id.as_str(), s)).collect();
    let event_ids: std::collections::HashSet<crate::model::CompactString> =
        events.iter().map(|e| e.id.clone()).collect();

    for (index, event) in events.iter_mut().enumerate() {
        let id = event.id.to_string();
        let at = |field: String| Location {
            file: file.to_path_buf(),
            index: Some(index),
            id: Some(id.clone()),
            field: Some(field),
            line: None,
        };
        let place = event.place_id().map(|id| (id.to_owned(), place_by_id.get(id).copied()));
        if let Some((place_id, found)) = place {
            match found {
                Some(place) => {
                    if event.lon_lat.is_none() {
                        event.lon_lat = Some(place.lon_lat);
                    }
                }
                None => problems.push(Problem::error(
                    at("properties.place".into()),
                    ProblemKind::UnknownReference {
                        what: "place",
                        id: place_id,
                        consequence: "; the event was loaded without its place",
                    },
                )),
            }
        }
        let details = event.details_mut();
        let mut relation_index = 0;
        details.relations.retain(|relation| {
            let known = event_ids.contains(relation.event_id.as_str());
            if !known {
                problems.push(Problem::error(
                    at(format!("properties.relations[{relation_index}].event")),
                    ProblemKind::UnknownReference {
                        what: "event",
                        id: relation.event_id.clone(),
                        consequence: "; the relation was not loaded",
                    },
                ));
            }
            relation_index += 1;
            known
        });
        let mut citation_index = 0;
        details.citations.retain_mut(|citation| {
            let field = format!("properties.citations[{citation_index}]");
            citation_index += 1;
            let Some(source) = source_by_id.get(citation.source_id.as_str()) else {
                problems.push(Problem::error(
                    at(format!("{field}.source")),
                    ProblemKind::UnknownReference {
                        what: "source",
                        id: citation.source_id.clone(),
                        consequence: "; the citation was not loaded",
                    },
                ));
                return false;
            };
            // A source whose text could not be read is reported already; keep the citation unresolved.
            let Some(text) = &source.text else { return true };
            match locate_quote(text, &citation.quote, citation.char_range) {
                Ok(range) => {
                    citation.char_range = Some(range);
                    true
                }
                Err(kind) => {
                    let part = if matches!(kind, ProblemKind::RangeMismatch { .. }) { "range" } else { "quote" };
                    let kind = match kind {
                        ProblemKind::QuoteNotInSource { quote_start, .. } => {
                            ProblemKind::QuoteNotInSource { source_id: source.id.clone(), quote_start }
                        }
                        ProblemKind::RangeMismatch { start, end, hint, .. } => {
                            ProblemKind::RangeMismatch { source_id: source.id.clone(), start, end, hint }
                        }
                        other => other,
                    };
                    problems.push(Problem::error(at(format!("{field}.{part}")), kind));
                    false
                }
            }
        });
    }
    events
}

/// Finds `quote` in `text` and returns its character range; checks `given` when present.
///
/// # Errors
/// [`ProblemKind::QuoteNotInSource`] when the quote is not verbatim in the text;
/// [`ProblemKind::RangeMismatch`] (naming the right range) when `given` selects something else.
pub fn locate_quote(text: &str, quote: &str, given: Option<(usize, usize)>) -> Result<(usize, usize), ProblemKind> {
    let found_byte = if quote.is_empty() { None } else { text.find(quote) };
    let Some(found_byte) = found_byte else {
        return Err(ProblemKind::QuoteNotInSource {
            source_id: String::new(),
            quote_start: quote.chars().take(60).collect(),
        });
    };
    let found_char = text.get(..found_byte).map_or(0, |before| before.chars().count());
    let found = (found_char, found_char + quote.chars().count());
    let Some((start, end)) = given else { return Ok(found) };
    if char_slice(text, start, end) == Some(quote) {
        return Ok((start, end));
    }
    Err(ProblemKind::RangeMismatch {
        source_id: String::new(),
        start,
        end,
        hint: format!(" (the quote is at {}..{})", found.0, found.1),
    })
}

/// The substring of `text` between two character positions.
pub fn char_slice(text: &str, start: usize, end: usize) -> Option<&str> {
    let byte_at = |chars: usize| {
        if chars == text.chars().count() { Some(text.len()) } else { text.char_indices().nth(chars).map(|(b, _)| b) }
    };
    let (start, end) = (byte_at(start)?, byte_at(end)?);
    text.get(start..end)
}
