//! Reading events from a GeoJSON FeatureCollection, feature by feature, so one bad feature is
//! reported with its place and the rest still load.

use std::collections::{BTreeMap, HashMap};
use std::path::Path;

use serde::Deserialize;
use serde_json::value::RawValue;

use super::problem::{Location, Problem, ProblemKind, Severity};
use super::text::{LineIndex, offset_in};
use crate::model::{
    Casualties, Category, Citation, ClaimStatus, DateBasis, Event, FuzzyDate, LocationPrecision, LonLat, Relation,
    RelationKind, TimeSpan,
};

/// The top level of a FeatureCollection; features are kept raw and parsed one at a time.
#[derive(Deserialize)]
struct RawCollection<'a> {
    #[serde(rename = "type")]
    kind: Option<String>,
    #[serde(borrow)]
    features: Option<Vec<&'a RawValue>>,
}

#[derive(Deserialize)]
struct RawFeature<'a> {
    #[serde(rename = "type")]
    kind: Option<String>,
    id: Option<RawId>,
    #[serde(borrow)]
    geometry: Option<RawGeometry<'a>>,
    properties: Option<RawEventProperties>,
}

/// A feature id: RFC 7946 allows strings and numbers.
#[derive(Deserialize)]
#[serde(untagged)]
enum RawId {
    Text(String),
    Number(serde_json::Number),
}

impl RawId {
    fn into_string(self) -> String {
        match self {
            Self::Text(text) => text,
            Self::Number(number) => number.to_string(),
        }
    }
}

#[derive(Deserialize)]
struct RawGeometry<'a> {
    #[serde(rename = "type")]
    kind: String,
    #[serde(borrow)]
    coordinates: Option<&'a RawValue>,
}

/// An event's properties. Read by hand rather than with `#[serde(flatten)]`, which would buffer
/// every property of every feature before sorting known from unknown ones (twice as slow on a
/// million events).
#[derive(Default)]
struct RawEventProperties {
    id: Option<RawId>,
    title: Option<String>,
    summary: Option<String>,
    start: Option<String>,
    end: Option<String>,
    approximate: bool,
    date_label: Option<String>,
    date_basis: Option<String>,
    date_note: Option<String>,
    place: Option<String>,
    location_precision: Option<String>,
    category: Option<String>,
    actors: Vec<String>,
    casualties: Option<RawCasualties>,
    claim_status: Option<String>,
    relations: Vec<RawRelation>,
    citations: Vec<RawCitation>,
    /// Anything else (plain GeoJSON from other tools), kept as text to be shown.
    extra: BTreeMap<String, String>,
}

impl<'de> Deserialize<'de> for RawEventProperties {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_map(PropertiesVisitor)
    }
}

struct PropertiesVisitor;

impl<'de> serde::de::Visitor<'de> for PropertiesVisitor {
    type Value = RawEventProperties;

    fn expecting(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        formatter.write_str("an object of event properties")
    }

    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut p = RawEventProperties::default();
        while let Some(key) = map.next_key::<PropertyKey<'de>>()? {
            match key.0.as_ref() {
                "id" => p.id = map.next_value()?,
                "title" => p.title = map.next_value()?,
                "summary" => p.summary = map.next_value()?,
                "start" => p.start = map.next_value()?,
                "end" => p.end = map.next_value()?,
                "approximate" => p.approximate = map.next_value::<Option<bool>>()?.unwrap_or(false),
                "date_label" => p.date_label = map.next_value()?,
                "date_basis" => p.date_basis = map.next_value()?,
                "date_note" => p.date_note = map.next_value()?,
                "place" => p.place = map.next_value()?,
                "location_precision" => p.location_precision = map.next_value()?,
                "category" => p.category = map.next_value()?,
                "actors" => p.actors = map.next_value::<Option<Vec<String>>>()?.unwrap_or_default(),
                "casualties" => p.casualties = map.next_value()?,
                "claim_status" => p.claim_status = map.next_value()?,
                "relations" => p.relations = map.next_value::<Option<Vec<RawRelation>>>()?.unwrap_or_default(),
                "citations" => p.citations = map.next_value::<Option<Vec<RawCitation>>>()?.unwrap_or_default(),
                _ => {
                    let value: serde_json::Value = map.next_value()?;
                    p.extra.insert(key.0.into_owned(), display_value(&value));
                }
            }
        }
        Ok(p)
    }
}

/// A property name, borrowed from the input when it has no escapes.
struct PropertyKey<'de>(std::borrow::Cow<'de, str>);

impl<'de> Deserialize<'de> for PropertyKey<'de> {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct KeyVisitor;
        impl<'de> serde::de::Visitor<'de> for KeyVisitor {
            type Value = PropertyKey<'de>;
            fn expecting(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                formatter.write_str("a property name")
            }
            fn visit_borrowed_str<E: serde::de::Error>(self, key: &'de str) -> Result<Self::Value, E> {
                Ok(PropertyKey(std::borrow::Cow::Borrowed(key)))
            }
            fn visit_str<E: serde::de::Error>(self, key: &str) -> Result<Self::Value, E> {
                Ok(PropertyKey(std::borrow::Cow::Owned(key.to_owned())))
            }
        }
        deserializer.deserialize_str(KeyVisitor)
    }
}

#[derive(Deserialize)]
struct RawCasualties {
    killed: Option<u32>,
    wounded: Option<u32>,
    detained: Option<u32>,
    note: Option<String>,
}

#[derive(Deserialize)]
struct RawRelation {
    #[serde(rename = "type")]
    kind: String,
    event: String,
    note: Option<String>,
}

#[derive(Deserialize)]
struct RawCitation {
    source: String,
    quote: String,
    range: Option<[usize; 2]>,
}

/// How strict to be.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum EventFileMode {
    /// `events.geojson` of a Kronika dataset: ids, titles and citations are required.
    Dataset,
    /// A GeoJSON file from another tool: only `start` is required.
    Plain,
}

/// Parses events from `text` (the content of `file`), pushing every problem found.
pub fn parse_events(file: &Path, text: &str, mode: EventFileMode, problems: &mut Vec<Problem>) -> Vec<Event> {
    let at_file = || Location { file: file.to_path_buf(), ..Location::default() };
    let collection: RawCollection<'_> = match serde_json::from_str(text) {
        Ok(collection) => collection,
        Err(error) => {
            problems.push(Problem::error(at_file(), top_level_problem(text, &error)));
            return Vec::new();
        }
    };
    if collection.kind.as_deref() != Some("FeatureCollection") {
        let found = collection.kind.map_or_else(|| "no `type`".to_owned(), |k| format!("type {k:?}"));
        problems.push(Problem::error(
            Location { field: Some("type".into()), ..at_file() },
            ProblemKind::WrongShape(format!("expected a GeoJSON FeatureCollection, found {found}")),
        ));
        if collection.features.is_none() {
            return Vec::new();
        }
    }
    let Some(raw_features) = collection.features else {
        problems.push(Problem::error(
            Location { field: Some("features".into()), ..at_file() },
            ProblemKind::WrongShape("`features` must be an array of features".into()),
        ));
        return Vec::new();
    };

    let outcomes = parse_in_parallel(file, text, &raw_features, mode);
    let mut lines: Option<LineIndex> = None;
    let mut events = Vec::with_capacity(raw_features.len());
    let mut first_index_of_id: HashMap<&str, usize> = HashMap::with_capacity(raw_features.len());
    // Duplicate index → index of the feature that keeps the id.
    let mut duplicates: HashMap<usize, usize> = HashMap::new();
    for outcome in &outcomes {
        for (index, event) in &outcome.events {
            if let Some(&first_index) = first_index_of_id.get(event.id.as_str()) {
                duplicates.insert(*index, first_index);
            } else {
                first_index_of_id.insert(event.id.as_str(), *index);
            }
        }
    }
    drop(first_index_of_id);
    let mut line_of = |offset: Option<usize>| Some(lines.get_or_insert_with(|| LineIndex::new(text)).line_of(offset?));
    let mut located: Vec<(usize, Problem)> = Vec::new();
    for outcome in outcomes {
        for (index, offset, mut problem) in outcome.problems {
            problem.location.line = problem.location.line.or_else(|| line_of(offset));
            located.push((index, problem));
        }
        for (index, event) in outcome.events {
            if let Some(&first_index) = duplicates.get(&index) {
                let offset = raw_features.get(index).and_then(|raw| offset_in(text, raw.get()));
                let location = Location {
                    file: file.to_path_buf(),
                    index: Some(index),
                    id: Some(event.id.clone()),
                    field: Some("id".into()),
                    line: line_of(offset),
                };
                located.push((index, Problem::error(location, ProblemKind::DuplicateId { id: event.id, first_index })));
            } else {
                events.push(event);
            }
        }
    }
    // Problems in file order, whatever thread found them.
    located.sort_by_key(|(index, _)| *index);
    problems.extend(located.into_iter().map(|(_, problem)| problem));
    events
}

/// What one thread made of its share of the features.
#[derive(Default)]
struct ChunkOutcome {
    /// Valid events with their feature index.
    events: Vec<(usize, Event)>,
    /// Problems with their feature index and the feature's byte offset in the file.
    problems: Vec<(usize, Option<usize>, Problem)>,
}

/// Parses features on all cores, in contiguous chunks so file order is kept.
fn parse_in_parallel(file: &Path, text: &str, raw_features: &[&RawValue], mode: EventFileMode) -> Vec<ChunkOutcome> {
    let threads = std::thread::available_parallelism().map_or(1, std::num::NonZero::get).min(16);
    let chunk_len = raw_features.len().div_ceil(threads).max(8192);
    let parse_chunk = |base: usize, chunk: &[&RawValue]| {
        let mut outcome = ChunkOutcome::default();
        for (offset_in_chunk, raw) in chunk.iter().enumerate() {
            let index = base + offset_in_chunk;
            // The file is filled in only for features with problems: no allocation per valid feature.
            let at = Location { index: Some(index), ..Location::default() };
            let mut feature_problems = Vec::new();
            let event = parse_feature(raw, index, &at, mode, &mut feature_problems);
            if !feature_problems.is_empty() {
                let offset = offset_in(text, raw.get());
                outcome.problems.extend(feature_problems.into_iter().map(|mut p| {
                    p.location.file = file.to_path_buf();
                    (index, offset, p)
                }));
            }
            if let Some(event) = event {
                outcome.events.push((index, event));
            }
        }
        outcome
    };
    if raw_features.len() <= chunk_len {
        return vec![parse_chunk(0, raw_features)];
    }
    std::thread::scope(|scope| {
        let handles: Vec<_> = raw_features
            .chunks(chunk_len)
            .enumerate()
            .map(|(number, chunk)| {
                let base = number * chunk_len;
                let spawned = std::thread::Builder::new()
                    .name(format!("parse-features-{number}"))
                    .spawn_scoped(scope, move || parse_chunk(base, chunk));
                // Should a thread not start, parse its share here instead.
                spawned.map_err(|_| parse_chunk(base, chunk))
            })
            .collect();
        handles
            .into_iter()
            .map(|handle| match handle {
                Ok(handle) => handle.join().unwrap_or_default(),
                Err(outcome) => outcome,
            })
            .collect()
    })
}

/// Explains a top-level parse failure in words a user can act on.
fn top_level_problem(text: &str, error: &serde_json::Error) -> ProblemKind {
    let first = text.trim_start().chars().next();
    match (error.classify(), first) {
        (_, None) => ProblemKind::WrongShape("the file is empty".into()),
        (serde_json::error::Category::Data, Some('[')) => {
            ProblemKind::WrongShape("the file is a JSON array; expected a GeoJSON FeatureCollection object".into())
        }
        (serde_json::error::Category::Data, _) => {
            ProblemKind::WrongShape(format!("expected a GeoJSON FeatureCollection: {error}"))
        }
        _ => ProblemKind::Syntax { line: error.line(), column: error.column(), message: strip_position(error) },
    }
}

/// serde_json appends " at line L column C"; the location is reported separately.
fn strip_position(error: &serde_json::Error) -> String {
    let message = error.to_string();
    match message.rfind(" at line ") {
        Some(cut) => message[..cut].to_owned(),
        None => message,
    }
}

fn parse_feature(
    raw: &RawValue,
    index: usize,
    at: &Location,
    mode: EventFileMode,
    problems: &mut Vec<Problem>,
) -> Option<Event> {
    // A feature must be an object; serde would also accept an array as a struct, and say less.
    let found = match raw.get().trim_start().as_bytes().first() {
        Some(b'{') => None,
        Some(b'[') => Some("an array"),
        Some(b'"') => Some("a string"),
        Some(b'n') => Some("null"),
        Some(b't' | b'f') => Some("a boolean"),
        _ => Some("a number"),
    };
    if let Some(found) = found {
        problems.push(Problem::error(
            at.clone(),
            ProblemKind::WrongShape(format!("expected a GeoJSON Feature object, found {found}")),
        ));
        return None;
    }
    // The fast path; only a feature that fails is parsed again to learn which field failed.
    let parsed: Result<RawFeature<'_>, _> = serde_json::from_str(raw.get()).map_err(|_| {
        let mut deserializer = serde_json::Deserializer::from_str(raw.get());
        serde_path_to_error::deserialize::<_, RawFeature<'_>>(&mut deserializer).err()
    });
    let feature = match parsed {
        Ok(feature) => feature,
        Err(None) => {
            problems.push(Problem::error(
                Location { id: peek_id(raw), ..at.clone() },
                ProblemKind::WrongShape("the feature could not be read".into()),
            ));
            return None;
        }
        Err(Some(error)) => {
            let field = error.path().to_string();
            let id = peek_id(raw);
            problems.push(Problem::error(
                Location { id, field: (field != ".").then_some(field), ..at.clone() },
                ProblemKind::WrongShape(strip_position(error.inner())),
            ));
            return None;
        }
    };
    if feature.kind.as_deref() != Some("Feature") {
        problems.push(Problem::error(
            Location { field: Some("type".into()), ..at.clone() },
            ProblemKind::WrongShape(format!("expected type \"Feature\", found {:?}", feature.kind.unwrap_or_default())),
        ));
        return None;
    }
    let Some(properties) = feature.properties else {
        problems
            .push(Problem::error(Location { field: Some("properties".into()), ..at.clone() }, ProblemKind::Missing));
        return None;
    };
    let id = feature.id.or(properties.id).map(RawId::into_string);
    let id = match (id, mode) {
        (Some(id), _) if !id.trim().is_empty() => id,
        (_, EventFileMode::Dataset) => {
            problems.push(Problem::error(Location { field: Some("id".into()), ..at.clone() }, ProblemKind::Missing));
            return None;
        }
        (_, EventFileMode::Plain) => format!("#{index}"),
    };
    let at_field = |field: &str| Location { field: Some(field.to_owned()), ..at.clone() };
    let errors_before = problems.len();

    let title = match (properties.title, mode) {
        (Some(title), _) if !title.trim().is_empty() => title,
        (_, EventFileMode::Dataset) => {
            problems.push(Problem::error(at_field("properties.title"), ProblemKind::Missing));
            String::new()
        }
        (_, EventFileMode::Plain) => id.clone(),
    };

    let span = parse_span(properties.start.as_deref(), properties.end.as_deref(), properties.approximate, at, problems);
    let lon_lat = parse_point(feature.geometry, at, problems);

    let location_precision = parse_vocabulary(
        properties.location_precision.as_deref(),
        LocationPrecision::from_key,
        LocationPrecision::keys,
        LocationPrecision::Settlement,
        "properties.location_precision",
        at,
        problems,
    );
    let claim_status = parse_vocabulary(
        properties.claim_status.as_deref(),
        ClaimStatus::from_key,
        ClaimStatus::keys,
        ClaimStatus::Reported,
        "properties.claim_status",
        at,
        problems,
    );
    let date_basis = properties.date_basis.as_deref().and_then(|key| {
        let parsed = DateBasis::from_key(key);
        if parsed.is_none() {
            problems.push(Problem::error(
                at_field("properties.date_basis"),
                ProblemKind::UnknownValue { value: key.to_owned(), expected: DateBasis::keys() },
            ));
        }
        parsed
    });
    let mut extra = properties.extra;
    let category = match properties.category.as_deref().map(|key| (key, Category::from_key(key))) {
        None => Category::Other,
        Some((_, Some(category))) => category,
        Some((key, None)) => {
            // Other tools have their own categories: keep the original, show it, and say so.
            problems.push(Problem::warning(
                at_field("properties.category"),
                ProblemKind::UnknownValue { value: key.to_owned(), expected: Category::keys() },
            ));
            extra.insert("category".into(), key.to_owned());
            Category::Other
        }
    };

    let mut relations = Vec::with_capacity(properties.relations.len());
    for (i, relation) in properties.relations.into_iter().enumerate() {
        match RelationKind::from_key(&relation.kind) {
            Some(kind) => relations.push(Relation { kind, event_id: relation.event, note: relation.note }),
            None => problems.push(Problem::error(
                at_field(&format!("properties.relations[{i}].type")),
                ProblemKind::UnknownValue { value: relation.kind, expected: RelationKind::keys() },
            )),
        }
    }
    let citations: Vec<Citation> = properties
        .citations
        .into_iter()
        .map(|c| Citation { source_id: c.source, quote: c.quote, char_range: c.range.map(|[s, e]| (s, e)) })
        .collect();
    if citations.is_empty() && mode == EventFileMode::Dataset {
        problems.push(Problem::error(at_field("properties.citations"), ProblemKind::NoCitation));
    }

    // Name the feature in its problems here, once, so valid features allocate nothing for it.
    for problem in problems.iter_mut().skip(errors_before) {
        if problem.location.id.is_none() {
            problem.location.id = Some(id.clone());
        }
    }
    let has_errors = problems.iter().skip(errors_before).any(|p| p.severity == Severity::Error);
    let span = span?;
    if has_errors {
        return None;
    }
    Some(Event {
        id,
        title,
        summary: properties.summary,
        span,
        date_label: properties.date_label,
        date_basis,
        date_note: properties.date_note,
        place_id: properties.place,
        lon_lat,
        location_precision,
        category,
        actors: properties.actors,
        casualties: properties.casualties.map(|c| Casualties {
            killed: c.killed,
            wounded: c.wounded,
            detained: c.detained,
            note: c.note,
        }),
        claim_status,
        relations,
        citations,
        extra,
    })
}

/// Best effort: the id of a feature that failed to parse, so its problem can name it. Each
/// part is read on its own, so a malformed `properties` does not hide the feature's own `id`.
fn peek_id(raw: &RawValue) -> Option<String> {
    #[derive(Deserialize)]
    struct FeatureId {
        id: Option<RawId>,
    }
    #[derive(Deserialize)]
    struct PropertiesId {
        properties: Option<FeatureId>,
    }
    let feature_id = serde_json::from_str::<FeatureId>(raw.get()).ok().and_then(|f| f.id);
    let id = feature_id.or_else(|| serde_json::from_str::<PropertiesId>(raw.get()).ok()?.properties?.id);
    id.map(RawId::into_string)
}

fn display_value(value: &serde_json::Value) -> String {
    match value {
        serde_json::Value::String(text) => text.clone(),
        other => other.to_string(),
    }
}

fn parse_vocabulary<T: Copy>(
    key: Option<&str>,
    from_key: fn(&str) -> Option<T>,
    keys: fn() -> String,
    default: T,
    field: &str,
    at: &Location,
    problems: &mut Vec<Problem>,
) -> T {
    let Some(key) = key else { return default };
    from_key(key).unwrap_or_else(|| {
        let at = Location { field: Some(field.to_owned()), ..at.clone() };
        problems.push(Problem::error(at, ProblemKind::UnknownValue { value: key.to_owned(), expected: keys() }));
        default
    })
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

/// A Point geometry's position, `None` for a null geometry; problems for anything else.
fn parse_point(geometry: Option<RawGeometry<'_>>, at: &Location, problems: &mut Vec<Problem>) -> Option<LonLat> {
    let geometry = geometry?;
    let field = |name: &str| Location { field: Some(format!("geometry.{name}")), ..at.clone() };
    if geometry.kind != "Point" {
        problems.push(Problem::error(
            field("type"),
            ProblemKind::WrongShape(format!("only Point geometries are supported, found {:?}", geometry.kind)),
        ));
        return None;
    }
    let Some(raw) = geometry.coordinates else {
        problems.push(Problem::error(field("coordinates"), ProblemKind::Missing));
        return None;
    };
    let coordinates: Vec<f64> = match serde_json::from_str(raw.get()) {
        Ok(coordinates) => coordinates,
        Err(error) => {
            problems.push(Problem::error(
                field("coordinates"),
                ProblemKind::BadCoordinate(format!(
                    "coordinates must be [longitude, latitude] numbers: {}",
                    strip_position(&error)
                )),
            ));
            return None;
        }
    };
    match check_lon_lat(&coordinates) {
        Ok(lon_lat) => Some(lon_lat),
        Err((axis, message)) => {
            problems.push(Problem::error(field(&format!("coordinates[{axis}]")), ProblemKind::BadCoordinate(message)));
            None
        }
    }
}

/// Checks `[lon, lat, …]` for finite, in-range values; on failure names the axis index and why.
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
