//! Loading a dataset: a Kronika dataset directory (`dataset.json`, `places.geojson`,
//! `sources.json`, `events.geojson`) or a single GeoJSON file. Never panics, never fails as a
//! whole: what cannot be read is reported, everything valid loads.

use std::path::{Path, PathBuf};

use super::events::{EventFileMode, parse_events_indexed};
use super::fields::check_lon_lat;
use super::open::{LoadOptions, read_file};
use super::problem::{Location, Problem, ProblemKind, Severity};
use super::references::resolve_references;
use super::text::{MAX_FILE_BYTES, ReadBudget, read_text_within};
use super::{places, sources};
use crate::model::category::CategoryInterner;
use crate::model::properties::PropertiesBuilder;
use crate::model::{CompactString, Dataset, DatasetFacts, FuzzyDate, HomeView, Source};

/// File names inside a dataset directory.
pub const EVENTS_FILE: &str = "events.geojson";
/// The gazetteer's file name.
pub const PLACES_FILE: &str = "places.geojson";
/// The sources' metadata file name.
pub const SOURCES_FILE: &str = "sources.json";
/// Accounts grouped as one happening, in a dataset directory (optional).
pub const INCIDENTS_FILE: &str = "incidents.json";
/// Stories told step by step, in a dataset directory (optional).
pub const STORIES_FILE: &str = "stories.json";
/// The dataset's name and description.
pub const MANIFEST_FILE: &str = "dataset.json";

/// What a Kronika dataset folder is read as ([`LoadReport::format`]).
pub const DATASET_FOLDER_FORMAT: &str = "Kronika dataset";

/// Largest `dataset.json`, `places.geojson` or `sources.json` read (256 MiB).
pub const MAX_METADATA_BYTES: u64 = 256 * 1024 * 1024;

/// What loading produced: the dataset (possibly partial) and every problem met on the way.
#[derive(Debug, Default)]
pub struct LoadReport {
    /// Where it was loaded from (the first path, when several files were opened together).
    pub path: PathBuf,
    /// Every path opened together.
    pub paths: Vec<PathBuf>,
    /// What it was read as: "Kronika dataset", "GeoJSON", "ACLED export (CSV)", "KML", …
    pub format: String,
    /// What loaded.
    pub dataset: Dataset,
    /// What did not, and what is doubtful; sorted by file, then position.
    pub problems: Vec<Problem>,
}

impl LoadReport {
    /// True when it was a Kronika dataset folder (which can be edited and keeps stories), as
    /// read when it loaded: no file system check each frame.
    pub fn is_dataset_folder(&self) -> bool {
        self.format == DATASET_FOLDER_FORMAT
    }

    /// Number of errors.
    pub fn error_count(&self) -> usize {
        self.problems.iter().filter(|p| p.severity == Severity::Error).count()
    }

    /// Number of warnings.
    pub fn warning_count(&self) -> usize {
        self.problems.iter().filter(|p| p.severity == Severity::Warning).count()
    }
}

/// Loads a dataset directory or a single file of any format Kronika reads. Never fails as a
/// whole: what cannot be read is reported in `problems`. Should Kronika itself fail (a bug),
/// that is reported too, as a problem naming the path, and nothing half-loaded is returned.
pub fn load(path: &Path) -> LoadReport {
    load_with(path, &LoadOptions::default())
}

/// As [`load`], with options for files from other tools (which column is which).
pub fn load_with(path: &Path, options: &LoadOptions) -> LoadReport {
    load_many(std::slice::from_ref(&path.to_path_buf()), options)
}

/// Loads several files (or one folder) as one dataset: each file's events, categories and fields
/// together, every event keeping the name of its file, each file listed as a source.
pub fn load_many(paths: &[PathBuf], options: &LoadOptions) -> LoadReport {
    let path = paths.first().cloned().unwrap_or_default();
    let loaded = crate::parallel::catch(|| {
        let mut problems = Vec::new();
        let (dataset, format) = match paths {
            [one] if one.is_dir() => (load_directory(one, &mut problems), DATASET_FOLDER_FORMAT.to_owned()),
            [one] => load_plain_file(one, options, &mut problems),
            several => load_files(several, options, &mut problems),
        };
        (dataset, format, problems)
    });
    let (dataset, format, problems) = loaded.unwrap_or_else(|panic| {
        let at = Location { file: path.clone(), ..Location::default() };
        (Dataset::default(), String::new(), vec![Problem::error(at, ProblemKind::Internal(panic.message))])
    });
    let problems = super::problem::aggregate(problems);
    LoadReport { path, paths: paths.to_vec(), format, dataset, problems }
}

fn file_name(path: &Path) -> String {
    path.file_stem().map_or_else(|| path.display().to_string(), |s| s.to_string_lossy().into_owned())
}

fn load_plain_file(path: &Path, options: &LoadOptions, problems: &mut Vec<Problem>) -> (Dataset, String) {
    let file = read_file(path, options, &mut ReadBudget::default(), problems);
    let built = file.built;
    let mut dataset = Dataset::with_id_index(file_name(path), built.events, Vec::new(), Vec::new(), built.id_index);
    dataset.set_categories(built.category_keys.iter().map(CompactString::as_str));
    dataset.properties = built.properties;
    (dataset, file.format)
}

/// Several files as one dataset.
fn load_files(paths: &[PathBuf], options: &LoadOptions, problems: &mut Vec<Problem>) -> (Dataset, String) {
    let mut budget = ReadBudget::default();
    let mut events = Vec::new();
    let mut categories = CategoryInterner::default();
    let mut properties = PropertiesBuilder::default();
    let mut sources = Vec::new();
    let mut formats: Vec<String> = Vec::new();
    for path in paths {
        let file = read_file(path, options, &mut budget, problems);
        let name = path.file_name().map_or_else(|| path.display().to_string(), |n| n.to_string_lossy().into_owned());
        let mut file_properties = PropertiesBuilder::from(file.built.properties);
        let keys = CategoryInterner::from_keys(&file.built.category_keys);
        let remap = categories.absorb(&keys);
        for mut event in file.built.events {
            event.category = remap.get(usize::from(event.category.0)).copied().unwrap_or_default();
            events.push(event);
        }
        file_properties.set_for_all("file", &name);
        properties.append(file_properties);
        if !formats.contains(&file.format) && !file.format.is_empty() {
            formats.push(file.format);
        }
        sources.push(Source::file(&name, path));
    }
    // The same id in two files names two events: the later ones are renamed, and that is said.
    let mut seen = std::collections::HashSet::new();
    let mut renamed = 0_usize;
    for event in &mut events {
        if !seen.insert(event.id.clone()) {
            renamed += 1;
            event.id = format!("{}·{renamed}", event.id).into();
            seen.insert(event.id.clone());
        }
    }
    if renamed > 0 {
        let at = Location { file: paths.first().cloned().unwrap_or_default(), ..Location::default() };
        let message = format!("{renamed} id(s) appear in more than one file; the later events were renamed <id>·<n>");
        problems.push(Problem::warning(at, ProblemKind::WrongShape(message)));
    }
    let name = paths.iter().map(|p| file_name(p)).collect::<Vec<_>>().join(" + ");
    let mut dataset = Dataset::new(name, events, Vec::new(), sources);
    dataset.set_categories(categories.keys().iter().map(CompactString::as_str));
    dataset.properties = properties.finish();
    (dataset, formats.join(", "))
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

/// Loads a dataset folder whose files `edited` (name, text) stand in for those on disk: a
/// dataset being edited, checked by the very rules a saved one is. Never fails as a whole.
pub fn load_edited(dir: &Path, edited: &[(&str, String)]) -> LoadReport {
    let loaded = crate::parallel::catch(|| {
        let mut problems = Vec::new();
        let dataset = load_directory_with(dir, edited, &mut problems);
        (dataset, problems)
    });
    let (dataset, problems) = loaded.unwrap_or_else(|panic| {
        let at = Location { file: dir.to_path_buf(), ..Location::default() };
        (Dataset::default(), vec![Problem::error(at, ProblemKind::Internal(panic.message))])
    });
    let problems = super::problem::aggregate(problems);
    LoadReport {
        path: dir.to_path_buf(),
        paths: vec![dir.to_path_buf()],
        format: DATASET_FOLDER_FORMAT.to_owned(),
        dataset,
        problems,
    }
}

fn load_directory(dir: &Path, problems: &mut Vec<Problem>) -> Dataset {
    load_directory_with(dir, &[], problems)
}

fn load_directory_with(dir: &Path, edited: &[(&str, String)], problems: &mut Vec<Problem>) -> Dataset {
    let mut budget = ReadBudget::default();
    let mut read = |name: &str, required: bool, problems: &mut Vec<Problem>| {
        let path = dir.join(name);
        if let Some((_, text)) = edited.iter().find(|(edited_name, _)| *edited_name == name) {
            return Some((path, text.clone()));
        }
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
    let incidents_file = read(INCIDENTS_FILE, false, problems);
    let stories_file = read(STORIES_FILE, false, problems);
    let sources = sources_file
        .map(|(path, text)| sources::parse_sources(&path, &text, dir, &mut budget, problems))
        .unwrap_or_default();
    let events = events_file.map(|(path, text)| {
        let parsed = parse_events_indexed(&path, text, EventFileMode::Dataset, problems);
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
    if let Some((path, text)) = incidents_file {
        let incidents = super::incidents::parse_incidents(&path, &text, &dataset, problems);
        dataset.set_incidents(incidents);
    }
    if let Some((path, text)) = stories_file {
        dataset.stories = super::stories::parse_stories(&path, &text, &dataset, problems);
    }
    dataset
}
