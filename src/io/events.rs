//! Reading events from a GeoJSON FeatureCollection, feature by feature, so one bad feature is
//! reported with its place and the rest still load.

use std::collections::BTreeMap;
use std::path::Path;

use compact_str::{CompactString, ToCompactString as _};
use serde::Deserialize;
use serde_json::value::RawValue;

use super::problem::{Location, Problem, ProblemKind, Severity};
use super::split::split_features;
use super::text::{LineIndex, offset_in};
use crate::model::{
    Casualties, Category, Citation, ClaimStatus, DateBasis, Event, EventDetails, EventIdx, FuzzyDate,
    LocationPrecision, LonLat, Relation, RelationKind, TimeSpan,
};

#[path = "fast_feature.rs"]
mod fast_feature;

/// The top level of a FeatureCollection; features are kept raw and parsed one at a time.
#[derive(Deserialize)]
struct RawCollection<'a> {
    #[serde(rename = "type", borrow)]
    kind: Option<Text<'a>>,
    #[serde(borrow)]
    features: Option<Vec<&'a RawValue>>,
}

#[derive(Deserialize)]
struct RawFeature<'a> {
    #[serde(rename = "type", borrow)]
    kind: Option<Text<'a>>,
    id: Option<RawId>,
    #[serde(borrow)]
    geometry: Option<RawGeometry<'a>>,
    #[serde(borrow)]
    properties: Option<RawEventProperties<'a>>,
}

/// A feature id: RFC 7946 allows strings and numbers. Read by a visitor, not `untagged`, which
/// would buffer every id before trying each form.
struct RawId(CompactString);

impl<'de> Deserialize<'de> for RawId {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct IdVisitor;
        impl serde::de::Visitor<'_> for IdVisitor {
            type Value = RawId;
            fn expecting(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                formatter.write_str("a string or a number")
            }
            fn visit_str<E: serde::de::Error>(self, id: &str) -> Result<RawId, E> {
                Ok(RawId(id.into()))
            }
            fn visit_u64<E: serde::de::Error>(self, id: u64) -> Result<RawId, E> {
                Ok(RawId(id.to_compact_string()))
            }
            fn visit_i64<E: serde::de::Error>(self, id: i64) -> Result<RawId, E> {
                Ok(RawId(id.to_compact_string()))
            }
            fn visit_f64<E: serde::de::Error>(self, id: f64) -> Result<RawId, E> {
                Ok(RawId(id.to_compact_string()))
            }
        }
        deserializer.deserialize_any(IdVisitor)
    }
}

impl RawId {
    fn into_compact(self) -> CompactString {
        self.0
    }
}

#[derive(Deserialize)]
struct RawGeometry<'a> {
    #[serde(rename = "type", borrow)]
    kind: Text<'a>,
    coordinates: Option<RawCoordinates>,
}

/// The first two numbers of a `coordinates` array, read without allocating; anything else in
/// it (nested arrays of other geometry types, strings) is noted, not kept.
#[derive(Default)]
struct RawCoordinates {
    numbers: [f64; 2],
    count: usize,
    not_numbers: bool,
}

impl<'de> Deserialize<'de> for RawCoordinates {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        /// One element: a number, or something else (skipped).
        struct Element(Option<f64>);
        impl<'de> Deserialize<'de> for Element {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                struct ElementVisitor;
                impl<'de> serde::de::Visitor<'de> for ElementVisitor {
                    type Value = Element;
                    fn expecting(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                        formatter.write_str("a coordinate")
                    }
                    fn visit_f64<E: serde::de::Error>(self, v: f64) -> Result<Element, E> {
                        Ok(Element(Some(v)))
                    }
                    #[expect(clippy::cast_precision_loss, reason = "coordinates are small")]
                    fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<Element, E> {
                        Ok(Element(Some(v as f64)))
                    }
                    #[expect(clippy::cast_precision_loss, reason = "coordinates are small")]
                    fn visit_i64<E: serde::de::Error>(self, v: i64) -> Result<Element, E> {
                        Ok(Element(Some(v as f64)))
                    }
                    fn visit_str<E: serde::de::Error>(self, _: &str) -> Result<Element, E> {
                        Ok(Element(None))
                    }
                    fn visit_bool<E: serde::de::Error>(self, _: bool) -> Result<Element, E> {
                        Ok(Element(None))
                    }
                    fn visit_unit<E: serde::de::Error>(self) -> Result<Element, E> {
                        Ok(Element(None))
                    }
                    fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<Element, A::Error> {
                        while seq.next_element::<serde::de::IgnoredAny>()?.is_some() {}
                        Ok(Element(None))
                    }
                    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<Element, A::Error> {
                        while map.next_entry::<serde::de::IgnoredAny, serde::de::IgnoredAny>()?.is_some() {}
                        Ok(Element(None))
                    }
                }
                deserializer.deserialize_any(ElementVisitor)
            }
        }
        struct CoordinatesVisitor;
        impl<'de> serde::de::Visitor<'de> for CoordinatesVisitor {
            type Value = RawCoordinates;
            fn expecting(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                formatter.write_str("an array of coordinates")
            }
            fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<RawCoordinates, A::Error> {
                let mut coordinates = RawCoordinates::default();
                while let Some(Element(number)) = seq.next_element::<Element>()? {
                    match (number, coordinates.numbers.get_mut(coordinates.count)) {
                        (Some(value), Some(slot)) => *slot = value,
                        (Some(_), None) => {}
                        (None, _) => coordinates.not_numbers = true,
                    }
                    coordinates.count += 1;
                }
                Ok(coordinates)
            }
        }
        deserializer.deserialize_seq(CoordinatesVisitor)
    }
}

/// An event's properties. Read by hand rather than with `#[serde(flatten)]`, which would buffer
/// every property of every feature before sorting known from unknown ones (twice as slow on a
/// million events).
#[derive(Default)]
struct RawEventProperties<'de> {
    id: Option<RawId>,
    title: Option<CompactString>,
    start: Option<Text<'de>>,
    end: Option<Text<'de>>,
    approximate: bool,
    category: Option<Text<'de>>,
    /// Boxed, and only when present: serde moves this struct several times per feature, and
    /// most features of large plain files have none of these.
    curated: Option<Box<RawCuratedProperties<'de>>>,
}

/// The properties of a curated Kronika record beyond what every event has.
#[derive(Default)]
struct RawCuratedProperties<'de> {
    summary: Option<String>,
    date_label: Option<String>,
    date_basis: Option<Text<'de>>,
    date_note: Option<String>,
    place: Option<String>,
    location_precision: Option<Text<'de>>,
    actors: Vec<String>,
    casualties: Option<RawCasualties>,
    claim_status: Option<Text<'de>>,
    relations: Vec<RawRelation>,
    citations: Vec<RawCitation>,
    /// Anything else (plain GeoJSON from other tools), kept as text to be shown.
    extra: BTreeMap<String, String>,
}

impl<'de> RawEventProperties<'de> {
    fn curated(&mut self) -> &mut RawCuratedProperties<'de> {
        self.curated.get_or_insert_default()
    }
}

impl<'de: 'a, 'a> Deserialize<'de> for RawEventProperties<'a> {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_map(PropertiesVisitor)
    }
}

struct PropertiesVisitor;

impl<'de> serde::de::Visitor<'de> for PropertiesVisitor {
    type Value = RawEventProperties<'de>;

    fn expecting(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        formatter.write_str("an object of event properties")
    }

    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut p = RawEventProperties::default();
        while let Some(key) = map.next_key::<Text<'de>>()? {
            match key.0.as_ref() {
                "id" => p.id = map.next_value()?,
                "title" => p.title = map.next_value()?,
                "start" => p.start = map.next_value()?,
                "end" => p.end = map.next_value()?,
                "approximate" => p.approximate = map.next_value::<Option<bool>>()?.unwrap_or(false),
                "category" => p.category = map.next_value()?,
                "summary" => p.curated().summary = map.next_value()?,
                "date_label" => p.curated().date_label = map.next_value()?,
                "date_basis" => p.curated().date_basis = map.next_value()?,
                "date_note" => p.curated().date_note = map.next_value()?,
                "place" => p.curated().place = map.next_value()?,
                "location_precision" => p.curated().location_precision = map.next_value()?,
                "actors" => p.curated().actors = map.next_value::<Option<Vec<String>>>()?.unwrap_or_default(),
                "casualties" => p.curated().casualties = map.next_value()?,
                "claim_status" => p.curated().claim_status = map.next_value()?,
                "relations" => {
                    p.curated().relations = map.next_value::<Option<Vec<RawRelation>>>()?.unwrap_or_default();
                }
                "citations" => {
                    p.curated().citations = map.next_value::<Option<Vec<RawCitation>>>()?.unwrap_or_default();
                }
                _ => {
                    let value: serde_json::Value = map.next_value()?;
                    p.curated().extra.insert(key.0.into_owned(), display_value(&value));
                }
            }
        }
        Ok(p)
    }
}

/// A string borrowed from the input when it has no escapes (property names, dates, vocabulary):
/// no allocation for what is only looked at.
#[derive(Debug, Default)]
struct Text<'de>(std::borrow::Cow<'de, str>);

impl std::ops::Deref for Text<'_> {
    type Target = str;
    fn deref(&self) -> &str {
        &self.0
    }
}

impl<'de: 'a, 'a> Deserialize<'de> for Text<'a> {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct TextVisitor;
        impl<'de> serde::de::Visitor<'de> for TextVisitor {
            type Value = Text<'de>;
            fn expecting(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                formatter.write_str("a string")
            }
            fn visit_borrowed_str<E: serde::de::Error>(self, text: &'de str) -> Result<Self::Value, E> {
                Ok(Text(std::borrow::Cow::Borrowed(text)))
            }
            fn visit_str<E: serde::de::Error>(self, text: &str) -> Result<Self::Value, E> {
                Ok(Text(std::borrow::Cow::Owned(text.to_owned())))
            }
        }
        deserializer.deserialize_str(TextVisitor)
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

/// Events as parsed, with the lookup of their ids when it came for free.
#[derive(Debug, Default)]
pub struct ParsedEvents {
    /// The valid events, in file order.
    pub events: Vec<Event>,
    /// (hash of id, index into `events`) for every event, sorted, as [`crate::model::Dataset`]
    /// keeps it: found while checking for duplicate ids. `None` when duplicates were removed.
    pub id_index: Option<Vec<(u64, EventIdx)>>,
}

/// Parses events from `text` (the content of `file`), pushing every problem found.
pub fn parse_events(file: &Path, text: &str, mode: EventFileMode, problems: &mut Vec<Problem>) -> Vec<Event> {
    parse_events_indexed(file, text, mode, problems).events
}

/// As [`parse_events`], keeping the id lookup found on the way.
pub fn parse_events_indexed(file: &Path, text: &str, mode: EventFileMode, problems: &mut Vec<Problem>) -> ParsedEvents {
    // The fast path, for well-formed files; it gives way whenever serde has something to explain.
    if let Some(split) = split_features(text)
        && let Ok(collection) = serde_json::from_str::<RawCollection<'_>>(&split.skeleton)
    {
        let kind = collection.kind.map(|kind| kind.to_string());
        let mut fast_problems = Vec::new();
        if let Some(parsed) = parse_collection(file, text, mode, kind, Some(split.features), &mut fast_problems) {
            problems.extend(fast_problems);
            return parsed;
        }
    }
    let collection: RawCollection<'_> = match serde_json::from_str(text) {
        Ok(collection) => collection,
        Err(error) => {
            let at_file = Location { file: file.to_path_buf(), ..Location::default() };
            problems.push(Problem::error(at_file, top_level_problem(text, &error)));
            return ParsedEvents::default();
        }
    };
    let kind = collection.kind.map(|kind| kind.to_string());
    let features = collection.features.map(|features| features.into_iter().map(RawValue::get).collect());
    // serde has checked every feature's syntax, so this cannot give way.
    parse_collection(file, text, mode, kind, features, problems).unwrap_or_default()
}

/// Parses the features of a collection of `kind`. `None` when a feature is not valid JSON, which
/// only [`split_features`] lets through: serde's parse of the whole file then says where.
fn parse_collection(
    file: &Path,
    text: &str,
    mode: EventFileMode,
    kind: Option<String>,
    features: Option<Vec<&str>>,
    problems: &mut Vec<Problem>,
) -> Option<ParsedEvents> {
    let at_file = || Location { file: file.to_path_buf(), ..Location::default() };
    if kind.as_deref() != Some("FeatureCollection") {
        let found = kind.map_or_else(|| "no `type`".to_owned(), |k| format!("type {k:?}"));
        problems.push(Problem::error(
            Location { field: Some("type".into()), ..at_file() },
            ProblemKind::WrongShape(format!("expected a GeoJSON FeatureCollection, found {found}")),
        ));
        if features.is_none() {
            return Some(ParsedEvents::default());
        }
    }
    let Some(raw_features) = features else {
        problems.push(Problem::error(
            Location { field: Some("features".into()), ..at_file() },
            ProblemKind::WrongShape("`features` must be an array of features".into()),
        ));
        return Some(ParsedEvents::default());
    };

    let outcomes = parse_in_parallel(file, text, &raw_features, mode);
    if outcomes.iter().any(|outcome| outcome.not_json) {
        return None;
    }
    // Concatenate in file order; the first chunk's vector is reused, so most events never move.
    let mut events: Vec<Event> = Vec::new();
    // The feature index of each event; `None` while every feature so far became an event, so
    // that index and position agree and a million indices need not be stored.
    let mut feature_indices: Option<Vec<usize>> = None;
    let mut id_hash_runs: Vec<Vec<(u64, EventIdx)>> = Vec::new();
    let mut located: Vec<(usize, Option<usize>, Problem)> = Vec::new();
    for mut outcome in outcomes {
        let base = events.len();
        let base_idx = EventIdx::try_from(base).unwrap_or(EventIdx::MAX);
        for (_, position) in &mut outcome.id_hashes {
            *position = position.saturating_add(base_idx);
        }
        id_hash_runs.push(outcome.id_hashes);
        let chunk_range = outcome.first_index..outcome.first_index + outcome.events.len();
        match (&mut feature_indices, outcome.indices) {
            (Some(indices), Some(chunk_indices)) => indices.extend(chunk_indices),
            (Some(indices), None) => indices.extend(chunk_range),
            // Every earlier feature became an event: positions 0..base are their indices.
            (None, Some(chunk_indices)) => feature_indices = Some((0..base).chain(chunk_indices).collect()),
            (None, None) if chunk_range.start != base => feature_indices = Some((0..base).chain(chunk_range).collect()),
            (None, None) => {}
        }
        if events.is_empty() {
            events = outcome.events;
        } else {
            events.extend(outcome.events);
        }
        located.extend(outcome.problems);
    }
    // Duplicate ids: equal hashes sort together, in file order within a hash; the first keeps the id.
    let id_hashes = crate::parallel::merge_sorted(id_hash_runs);
    let mut duplicate_of: Vec<(usize, usize)> = Vec::new();
    for run in id_hashes.chunk_by(|a, b| a.0 == b.0).filter(|run| run.len() > 1) {
        let id_at = |position: EventIdx| events.get(position as usize).map(|e| e.id.as_str());
        for (i, &(_, position)) in run.iter().enumerate().skip(1) {
            let first = run.iter().take(i).find(|&&(_, earlier)| id_at(earlier) == id_at(position));
            if let Some(&(_, first_position)) = first {
                duplicate_of.push((position as usize, first_position as usize));
            }
        }
    }
    if !duplicate_of.is_empty() {
        let mut remove = vec![false; events.len()];
        for &(position, first_position) in &duplicate_of {
            let (Some(index), Some(first_index)) = (
                feature_index(feature_indices.as_ref(), position),
                feature_index(feature_indices.as_ref(), first_position),
            ) else {
                continue;
            };
            let Some(event) = events.get(position) else { continue };
            let offset = raw_features.get(index).and_then(|raw| offset_in(text, raw));
            let location = Location {
                file: file.to_path_buf(),
                index: Some(index),
                id: Some(event.id.to_string()),
                field: Some("id".into()),
                line: None,
            };
            let problem = Problem::error(location, ProblemKind::DuplicateId { id: event.id.to_string(), first_index });
            located.push((index, offset, problem));
            if let Some(flag) = remove.get_mut(position) {
                *flag = true;
            }
        }
        let mut position = 0;
        events.retain(|_| {
            let keep = !remove.get(position).copied().unwrap_or(false);
            position += 1;
            keep
        });
    }
    // Problems in file order, whatever thread found them, with their line.
    located.sort_by_key(|(index, _, _)| *index);
    let mut lines: Option<LineIndex> = None;
    for (_, offset, mut problem) in located {
        if problem.location.line.is_none()
            && let Some(offset) = offset
        {
            problem.location.line = Some(lines.get_or_insert_with(|| LineIndex::new(text)).line_of(offset));
        }
        problems.push(problem);
    }
    let id_index = duplicate_of.is_empty().then_some(id_hashes);
    Some(ParsedEvents { events, id_index })
}

/// The feature index of the event at `position`; no indices mean that they agree.
fn feature_index(indices: Option<&Vec<usize>>, position: usize) -> Option<usize> {
    indices.map_or(Some(position), |indices| indices.get(position).copied())
}

/// What one thread made of its share of the features.
#[derive(Default)]
struct ChunkOutcome {
    /// Valid events.
    events: Vec<Event>,
    /// The feature index of the chunk's first feature.
    first_index: usize,
    /// The feature index of each event; `None` while every feature became an event, so that
    /// the index is `first_index` + position.
    indices: Option<Vec<usize>>,
    /// (hash of id, position in `events`), to find duplicate ids without a map of all ids.
    id_hashes: Vec<(u64, EventIdx)>,
    /// Problems with their feature index and the feature's byte offset in the file.
    problems: Vec<(usize, Option<usize>, Problem)>,
    /// A feature was not valid JSON.
    not_json: bool,
}

impl ChunkOutcome {
    fn with_capacity(features: usize) -> Self {
        Self {
            events: Vec::with_capacity(features),
            first_index: 0,
            indices: None,
            id_hashes: Vec::with_capacity(features),
            problems: Vec::new(),
            not_json: false,
        }
    }
}

/// Parses features on all cores, in contiguous chunks so file order is kept. The calling thread
/// parses the first chunk into vectors sized for every feature, so joining the chunks copies
/// only the later ones and nothing is reallocated on the way.
fn parse_in_parallel(file: &Path, text: &str, raw_features: &[&str], mode: EventFileMode) -> Vec<ChunkOutcome> {
    let threads = std::thread::available_parallelism().map_or(1, std::num::NonZero::get).min(16);
    let chunk_len = raw_features.len().div_ceil(threads).max(8192);
    let parse_chunk = |base: usize, chunk: &[&str], outcome: &mut ChunkOutcome| {
        outcome.first_index = base;
        for (offset_in_chunk, raw) in chunk.iter().enumerate() {
            let index = base + offset_in_chunk;
            // The file is filled in only for features with problems: no allocation per valid feature.
            let at = Location { index: Some(index), ..Location::default() };
            let mut feature_problems = Vec::new();
            let event = parse_feature(raw, index, &at, mode, &mut feature_problems);
            if !feature_problems.is_empty() {
                if event.is_none() && serde_json::from_str::<serde::de::IgnoredAny>(raw).is_err() {
                    outcome.not_json = true;
                }
                let offset = offset_in(text, raw);
                outcome.problems.extend(feature_problems.into_iter().map(|mut p| {
                    p.location.file = file.to_path_buf();
                    (index, offset, p)
                }));
            }
            if event.is_none() && outcome.indices.is_none() {
                outcome.indices = Some((base..base + outcome.events.len()).collect());
            }
            if let Some(event) = event {
                let position = EventIdx::try_from(outcome.events.len()).unwrap_or(EventIdx::MAX);
                outcome.id_hashes.push((crate::model::dataset::id_hash(&event.id), position));
                if let Some(indices) = &mut outcome.indices {
                    indices.push(index);
                }
                outcome.events.push(event);
            }
        }
        // Sorted on this thread; the chunks' runs are then merged.
        outcome.id_hashes.sort_unstable();
    };
    let mut chunks = raw_features.chunks(chunk_len);
    let first_chunk = chunks.next().unwrap_or_default();
    let mut first = ChunkOutcome::with_capacity(raw_features.len());
    if raw_features.len() <= chunk_len {
        parse_chunk(0, first_chunk, &mut first);
        return vec![first];
    }
    std::thread::scope(|scope| {
        let handles: Vec<_> = chunks
            .enumerate()
            .map(|(number, chunk)| {
                let base = (number + 1) * chunk_len;
                let work = move || {
                    let mut outcome = ChunkOutcome::with_capacity(chunk.len());
                    parse_chunk(base, chunk, &mut outcome);
                    outcome
                };
                let spawned = std::thread::Builder::new()
                    .name(format!("parse-features-{}", number + 1))
                    .spawn_scoped(scope, work);
                // Should a thread not start, parse its share here instead.
                spawned.map_err(|_| work())
            })
            .collect();
        parse_chunk(0, first_chunk, &mut first);
        let mut outcomes = vec![first];
        outcomes.extend(handles.into_iter().map(|handle| match handle {
            Ok(handle) => handle.join().unwrap_or_default(),
            Err(outcome) => outcome,
        }));
        outcomes
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
    raw: &str,
    index: usize,
    at: &Location,
    mode: EventFileMode,
    problems: &mut Vec<Problem>,
) -> Option<Event> {
    // A feature must be an object; serde would also accept an array as a struct, and say less.
    let found = match raw.trim_start().as_bytes().first() {
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
    // The common plain shape is read directly; the rest by serde, and only a feature that
    // fails is parsed again to learn which field failed.
    let parsed: Result<RawFeature<'_>, _> = fast_feature::read(raw).map_or_else(
        || {
            serde_json::from_str(raw).map_err(|_| {
                let mut deserializer = serde_json::Deserializer::from_str(raw);
                serde_path_to_error::deserialize::<_, RawFeature<'_>>(&mut deserializer).err()
            })
        },
        Ok,
    );
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
            ProblemKind::WrongShape(format!(
                "expected type \"Feature\", found {:?}",
                &*feature.kind.unwrap_or_default()
            )),
        ));
        return None;
    }
    let Some(properties) = feature.properties else {
        problems
            .push(Problem::error(Location { field: Some("properties".into()), ..at.clone() }, ProblemKind::Missing));
        return None;
    };
    let id = feature.id.or(properties.id).map(RawId::into_compact);
    let id = match (id, mode) {
        (Some(id), _) if !id.trim().is_empty() => id,
        (_, EventFileMode::Dataset) => {
            problems.push(Problem::error(Location { field: Some("id".into()), ..at.clone() }, ProblemKind::Missing));
            return None;
        }
        (_, EventFileMode::Plain) => compact_str::format_compact!("#{index}"),
    };
    let at_field = |field: &str| Location { field: Some(field.to_owned()), ..at.clone() };
    let errors_before = problems.len();

    let title = match (properties.title, mode) {
        (Some(title), _) if !title.trim().is_empty() => title,
        (_, EventFileMode::Dataset) => {
            problems.push(Problem::error(at_field("properties.title"), ProblemKind::Missing));
            CompactString::default()
        }
        (_, EventFileMode::Plain) => id.clone(),
    };

    let span = parse_span(properties.start.as_deref(), properties.end.as_deref(), properties.approximate, at, problems);
    let curated = properties.curated.map(|curated| *curated).unwrap_or_default();
    let lon_lat = parse_point(feature.geometry, at, problems);

    let location_precision = parse_vocabulary(
        curated.location_precision.as_deref(),
        LocationPrecision::from_key,
        LocationPrecision::keys,
        LocationPrecision::Settlement,
        "properties.location_precision",
        at,
        problems,
    );
    let claim_status = parse_vocabulary(
        curated.claim_status.as_deref(),
        ClaimStatus::from_key,
        ClaimStatus::keys,
        ClaimStatus::Reported,
        "properties.claim_status",
        at,
        problems,
    );
    let date_basis = curated.date_basis.as_deref().and_then(|key| {
        let parsed = DateBasis::from_key(key);
        if parsed.is_none() {
            problems.push(Problem::error(
                at_field("properties.date_basis"),
                ProblemKind::UnknownValue { value: key.to_owned(), expected: DateBasis::keys() },
            ));
        }
        parsed
    });
    let mut extra = curated.extra;
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

    let mut relations = Vec::with_capacity(curated.relations.len());
    for (i, relation) in curated.relations.into_iter().enumerate() {
        match RelationKind::from_key(&relation.kind) {
            Some(kind) => relations.push(Relation { kind, event_id: relation.event, note: relation.note }),
            None => problems.push(Problem::error(
                at_field(&format!("properties.relations[{i}].type")),
                ProblemKind::UnknownValue { value: relation.kind, expected: RelationKind::keys() },
            )),
        }
    }
    let citations: Vec<Citation> = curated
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
            problem.location.id = Some(id.to_string());
        }
    }
    let has_errors = problems.iter().skip(errors_before).any(|p| p.severity == Severity::Error);
    let span = span?;
    if has_errors {
        return None;
    }
    let details = EventDetails {
        summary: curated.summary,
        date_label: curated.date_label,
        date_note: curated.date_note,
        place_id: curated.place,
        actors: curated.actors,
        casualties: curated.casualties.map(|c| Casualties {
            killed: c.killed,
            wounded: c.wounded,
            detained: c.detained,
            note: c.note,
        }),
        relations,
        citations,
        extra,
    };
    let mut event = Event::minimal(id, title, span, lon_lat).with_details(details);
    event.date_basis = date_basis;
    event.location_precision = location_precision;
    event.category = category;
    event.claim_status = claim_status;
    Some(event)
}

/// Best effort: the id of a feature that failed to parse, so its problem can name it. Each
/// part is read on its own, so a malformed `properties` does not hide the feature's own `id`.
fn peek_id(raw: &str) -> Option<String> {
    #[derive(Deserialize)]
    struct FeatureId {
        id: Option<RawId>,
    }
    #[derive(Deserialize)]
    struct PropertiesId {
        properties: Option<FeatureId>,
    }
    let feature_id = serde_json::from_str::<FeatureId>(raw).ok().and_then(|f| f.id);
    let id = feature_id.or_else(|| serde_json::from_str::<PropertiesId>(raw).ok()?.properties?.id);
    id.map(|id| id.into_compact().into())
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
    if &*geometry.kind != "Point" {
        problems.push(Problem::error(
            field("type"),
            ProblemKind::WrongShape(format!("only Point geometries are supported, found {:?}", &*geometry.kind)),
        ));
        return None;
    }
    let Some(coordinates) = geometry.coordinates else {
        problems.push(Problem::error(field("coordinates"), ProblemKind::Missing));
        return None;
    };
    if coordinates.not_numbers {
        problems.push(Problem::error(
            field("coordinates"),
            ProblemKind::BadCoordinate("coordinates must be [longitude, latitude] numbers".into()),
        ));
        return None;
    }
    let numbers = coordinates.numbers.get(..coordinates.count.min(2)).unwrap_or_default();
    match check_lon_lat(numbers) {
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
