//! Loading a dataset: a Kronika dataset directory (`dataset.json`, `places.geojson`,
//! `sources.json`, `events.geojson`) or a single GeoJSON file. Never panics, never fails as a
//! whole: what cannot be read is reported, everything valid loads.

use std::path::{Path, PathBuf};

use super::events::{EventFileMode, ParsedEvents, parse_events_indexed};
use super::fields::check_lon_lat;
use super::problem::{Location, Problem, ProblemKind, Severity};
use super::references::resolve_references;
use super::text::{MAX_FILE_BYTES, ReadBudget, read_text, read_text_within};
use super::{places, sources};
use crate::model::{CompactString, Dataset, DatasetFacts, FuzzyDate, HomeView};

/// File names inside a dataset directory.
pub const EVENTS_FILE: &str = "events.geojson";
/// The gazetteer's file name.
pub const PLACES_FILE: &str = "places.geojson";
/// The sources' metadata file name.
pub const SOURCES_FILE: &str = "sources.json";
/// The dataset's name and description.
pub const MANIFEST_FILE: &str = "dataset.json";

/// Largest `dataset.json`, `places.geojson` or `sources.json` read (256 MiB).
pub const MAX_METADATA_BYTES: u64 = 256 * 1024 * 1024;

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

/// Loads a dataset directory or a single GeoJSON file. Never fails as a whole: what cannot be
/// read is reported in `problems`. Should Kronika itself fail (a bug), that is reported too, as
/// a problem naming the path, and nothing half-loaded is returned.
pub fn load(path: &Path) -> LoadReport {
    let loaded = crate::parallel::catch(|| {
        let mut problems = Vec::new();
        let dataset =
            if path.is_dir() { load_directory(path, &mut problems) } else { load_plain_file(path, &mut problems) };
        (dataset, problems)
    });
    let (dataset, problems) = loaded.unwrap_or_else(|panic| {
        let at = Location { file: path.to_path_buf(), ..Location::default() };
        (Dataset::default(), vec![Problem::error(at, ProblemKind::Internal(panic.message))])
    });
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
    let mut dataset = Dataset::with_id_index(name, parsed.events, Vec::new(), Vec::new(), parsed.id_index);
    dataset.set_categories(parsed.category_keys.iter().map(CompactString::as_str));
    dataset.properties = parsed.properties;
    dataset
}

/// A Kronika dataset's categories come from Kronika's vocabulary: any other is said once, with
/// the values, not once per event; the events keep and show their own names.
fn warn_of_foreign_categories(file: &Path, keys: &[CompactString], problems: &mut Vec<Problem>) {
    let foreign: Vec<&str> =
        keys.iter().map(CompactString::as_str).filter(|key| crate::model::Category::from_key(key).is_none()).collect();
    if let Some(first) = foreign.first() {
        let shown: Vec<&str> = foreign.iter().take(5).copied().collect();
        let more = if foreign.len() > 5 { format!(" and {} more", foreign.len() - 5) } else { String::new() };
        problems.push(Problem::warning(
            Location { file: file.to_path_buf(), field: Some("properties.category".into()), ..Location::default() },
            ProblemKind::UnknownValue {
                value: format!("{}{more}", shown.join("\", \"")),
                expected: format!(
                    "{} (the events keep and show their own category, {first:?} among them)",
                    crate::model::Category::keys()
                ),
            },
        ));
    }
}

/// `dataset.json`: what a dataset says of itself.
#[derive(serde::Deserialize)]
struct Manifest {
    name: Option<String>,
    description: Option<String>,
    home: Option<ManifestHome>,
    focus_region: Option<String>,
    present: Option<String>,
}

/// Where the map opens: `{"lon": …, "lat": …, "zoom": …}`.
#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct ManifestHome {
    lon: f64,
    lat: f64,
    zoom: f64,
}

impl Manifest {
    /// The facts it states, checked; problems for those that are wrong.
    fn facts(&self, path: &Path, problems: &mut Vec<Problem>) -> DatasetFacts {
        let at =
            |field: &str| Location { file: path.to_path_buf(), field: Some(field.to_owned()), ..Location::default() };
        let home = self.home.as_ref().and_then(|home| match check_lon_lat(&[home.lon, home.lat]) {
            Ok(center) if (0.0..=20.0).contains(&home.zoom) => Some(HomeView { center, zoom: home.zoom }),
            Ok(_) => {
                let message = format!("zoom {} is outside 0..20", home.zoom);
                problems.push(Problem::error(at("home.zoom"), ProblemKind::WrongShape(message)));
                None
            }
            Err((axis, message)) => {
                let field = if axis == 0 { "home.lon" } else { "home.lat" };
                problems.push(Problem::error(at(field), ProblemKind::BadCoordinate(message)));
                None
            }
        });
        let present = self.present.as_deref().and_then(|text| match FuzzyDate::parse(text) {
            Ok(date) => Some(date.first_day),
            Err(error) => {
                let kind = ProblemKind::BadDate { value: text.to_owned(), reason: error.to_string() };
                problems.push(Problem::error(at("present"), kind));
                None
            }
        });
        DatasetFacts { home, focus_region: self.focus_region.clone(), present }
    }
}

fn load_directory(dir: &Path, problems: &mut Vec<Problem>) -> Dataset {
    let mut budget = ReadBudget::default();
    let mut read = |name: &str, required: bool, problems: &mut Vec<Problem>| {
        let path = dir.join(name);
        if !required && std::fs::symlink_metadata(&path).is_err() {
            return None;
        }
        let limit = if name == EVENTS_FILE { MAX_FILE_BYTES } else { MAX_METADATA_BYTES };
        match read_text_within(&path, limit, &mut budget) {
            Ok(text) => Some((path, text)),
            Err(problem) => {
                problems.push(*problem);
                None
            }
        }
    };

    let mut name = dir.file_name().map_or_else(|| dir.display().to_string(), |s| s.to_string_lossy().into_owned());
    let mut description = None;
    let mut facts = DatasetFacts::default();
    if let Some((path, text)) = read(MANIFEST_FILE, false, problems) {
        match serde_json::from_str::<Manifest>(&text) {
            Ok(manifest) => {
                facts = manifest.facts(&path, problems);
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
    let sources_file = read(SOURCES_FILE, false, problems);
    let events_file = read(EVENTS_FILE, true, problems);
    let sources = sources_file
        .map(|(path, text)| sources::parse_sources(&path, &text, dir, &mut budget, problems))
        .unwrap_or_default();
    let events = events_file.map(|(path, text)| {
        let parsed = parse_events_indexed(&path, &text, EventFileMode::Dataset, problems);
        let events = resolve_references(&path, parsed.events, &places, &sources, problems);
        (path, events, parsed.category_keys, parsed.properties)
    });
    let (events, category_keys, properties) = match events {
        Some((path, events, keys, properties)) => {
            warn_of_foreign_categories(&path, &keys, problems);
            (events, keys, properties)
        }
        None => Default::default(),
    };

    let mut dataset = Dataset::new(name, events, places, sources);
    dataset.set_categories(category_keys.iter().map(CompactString::as_str));
    dataset.properties = properties;
    dataset.description = description;
    dataset.facts = facts;
    dataset
}
