//! Reading events from a GeoJSON FeatureCollection, feature by feature, so one bad feature is
//! reported with its place and the rest still load.
//!
//! - [`split`] finds the features of a well-formed file 64 bytes at a time;
//! - [`raw`] holds the shapes serde reads, [`fast`] reads the common plain feature directly;
//! - [`feature`] turns one feature into an event, [`chunks`] does it on all cores;
//! - this file assembles the events in file order and finds duplicate ids.

mod chunks;
mod fast;
mod feature;
mod raw;
mod split;

use std::path::Path;

use rayon::slice::ParallelSliceMut as _;
use serde_json::value::RawValue;

pub use self::feature::EventFileMode;
use self::feature::parse_feature;
pub(crate) use self::feature::top_level_problem;
use self::raw::RawCollection;
use self::split::split_features;
use super::problem::{Location, Problem, ProblemKind};
use super::text::{LineIndex, offset_in};
use crate::model::category::CategoryInterner;
use crate::model::properties::{Properties, PropertiesBuilder};
use crate::model::{CompactString, Event, EventIdx};

/// Events as parsed, with the lookup of their ids when it came for free.
#[derive(Debug, Default)]
pub struct ParsedEvents {
    /// The valid events, in file order.
    pub events: Vec<Event>,
    /// (hash of id, index into `events`) for every event, sorted, as [`crate::model::Dataset`]
    /// keeps it: found while checking for duplicate ids. `None` when duplicates were removed.
    pub id_index: Option<Vec<(u64, EventIdx)>>,
    /// The categories as written; an event's category id `n` is key `n - 1` (0: none).
    pub category_keys: Vec<CompactString>,
    /// The other fields of the events, in event order.
    pub properties: Properties,
}

/// Parses events from `text` (the content of `file`), pushing every problem found.
pub fn parse_events(file: &Path, text: &str, mode: EventFileMode, problems: &mut Vec<Problem>) -> Vec<Event> {
    parse_events_indexed(file, text.to_owned(), mode, problems).events
}

/// As [`parse_events`], keeping the id lookup found on the way. Takes the text, to let it go
/// before the events are joined: a file's text and all its events are never held twice over.
pub fn parse_events_indexed(
    file: &Path,
    text: String,
    mode: EventFileMode,
    problems: &mut Vec<Problem>,
) -> ParsedEvents {
    // The fast path, for well-formed files; it gives way whenever serde has something to explain.
    if let Some(split) = split_features(&text)
        && let Ok(collection) = serde_json::from_str::<RawCollection<'_>>(&split.skeleton)
    {
        let kind = collection.kind.map(|kind| kind.to_string());
        let mut fast_problems = Vec::new();
        let features = Some(split.features);
        if let Some(parsed) = parse_collection(file, &text, mode, kind, features, &mut fast_problems) {
            problems.extend(fast_problems);
            drop(text);
            return parsed.join();
        }
    }
    let collection: RawCollection<'_> = match serde_json::from_str(&text) {
        Ok(collection) => collection,
        Err(error) => {
            let at_file = Location { file: file.to_path_buf(), ..Location::default() };
            problems.push(Problem::error(at_file, top_level_problem(&text, &error)));
            return ParsedEvents::default();
        }
    };
    let kind = collection.kind.map(|kind| kind.to_string());
    let features = collection.features.map(|features| features.into_iter().map(RawValue::get).collect());
    // serde has checked every feature's syntax, so this cannot give way.
    parse_collection(file, &text, mode, kind, features, problems).map(ParsedChunks::join).unwrap_or_default()
}

/// The events of each chunk, with everything that needed the file's text done: problems located
/// (with their lines) and duplicate ids found.
#[derive(Default)]
struct ParsedChunks {
    outcomes: Vec<chunks::ChunkOutcome>,
    /// (hash of id, position among all events) for every event, sorted.
    id_hashes: Vec<(u64, EventIdx)>,
    /// Positions (among all events) of events whose id an earlier event has, ascending.
    duplicates: Vec<usize>,
}

impl ParsedChunks {
    /// The chunks' events joined in file order, the first chunk's vector reused so that most
    /// events never move; duplicates removed.
    fn join(self) -> ParsedEvents {
        let mut events: Vec<Event> = Vec::new();
        // Each chunk named its categories on its own: one table for all, the events' ids remapped.
        let mut categories = CategoryInterner::default();
        let mut properties = PropertiesBuilder::default();
        for mut outcome in self.outcomes {
            let remap = categories.absorb(&outcome.context.categories);
            for event in &mut outcome.events {
                event.category = remap.get(usize::from(event.category.0)).copied().unwrap_or_default();
            }
            properties.append(outcome.context.properties);
            if events.is_empty() {
                events = outcome.events;
            } else {
                events.extend(outcome.events);
            }
        }
        if !self.duplicates.is_empty() {
            let mut keep = vec![true; events.len()];
            for &position in &self.duplicates {
                if let Some(flag) = keep.get_mut(position) {
                    *flag = false;
                }
            }
            let mut position = 0;
            events.retain(|_| {
                let kept = keep.get(position).copied().unwrap_or(true);
                position += 1;
                kept
            });
            properties.retain_events(&keep);
        }
        let id_index = self.duplicates.is_empty().then_some(self.id_hashes);
        ParsedEvents { events, id_index, category_keys: categories.keys().to_vec(), properties: properties.finish() }
    }
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
) -> Option<ParsedChunks> {
    let at_file = || Location { file: file.to_path_buf(), ..Location::default() };
    if kind.as_deref() != Some("FeatureCollection") {
        let found = kind.map_or_else(|| "no `type`".to_owned(), |k| format!("type {k:?}"));
        problems.push(Problem::error(
            Location { field: Some("type".into()), ..at_file() },
            ProblemKind::WrongShape(format!("expected a GeoJSON FeatureCollection, found {found}")),
        ));
        if features.is_none() {
            return Some(ParsedChunks::default());
        }
    }
    let Some(raw_features) = features else {
        problems.push(Problem::error(
            Location { field: Some("features".into()), ..at_file() },
            ProblemKind::WrongShape("`features` must be an array of features".into()),
        ));
        return Some(ParsedChunks::default());
    };

    let mut outcomes = chunks::parse_in_parallel(file, text, &raw_features, mode, parse_feature);
    if outcomes.iter().any(|outcome| outcome.not_json) {
        return None;
    }
    // Where each chunk's events start among all events.
    let mut bases = Vec::with_capacity(outcomes.len());
    // The feature index of each event; `None` while every feature so far became an event, so
    // that index and position agree and a million indices need not be stored.
    let mut feature_indices: Option<Vec<usize>> = None;
    // Into the first chunk's hashes, which have room for every event: sorted in place.
    let mut id_hashes: Vec<(u64, EventIdx)> = Vec::new();
    let mut located: Vec<(usize, Option<usize>, Problem)> = Vec::new();
    let mut base = 0;
    for outcome in &mut outcomes {
        bases.push(base);
        let base_idx = EventIdx::try_from(base).unwrap_or(EventIdx::MAX);
        let mut hashes = std::mem::take(&mut outcome.id_hashes);
        for (_, position) in &mut hashes {
            *position = position.saturating_add(base_idx);
        }
        if id_hashes.is_empty() {
            id_hashes = hashes;
        } else {
            id_hashes.extend(hashes);
        }
        let chunk_range = outcome.first_index..outcome.first_index + outcome.events.len();
        match (&mut feature_indices, outcome.indices.take()) {
            (Some(indices), Some(chunk_indices)) => indices.extend(chunk_indices),
            (Some(indices), None) => indices.extend(chunk_range),
            // Every earlier feature became an event: positions 0..base are their indices.
            (None, Some(chunk_indices)) => feature_indices = Some((0..base).chain(chunk_indices).collect()),
            (None, None) if chunk_range.start != base => feature_indices = Some((0..base).chain(chunk_range).collect()),
            (None, None) => {}
        }
        located.append(&mut outcome.problems);
        base += outcome.events.len();
    }
    // Duplicate ids: equal hashes sort together, in file order within a hash; the first keeps the id.
    id_hashes.par_sort_unstable();
    let event_at = |position: usize| {
        let chunk = bases.partition_point(|&base| base <= position).checked_sub(1)?;
        outcomes.get(chunk)?.events.get(position - bases.get(chunk)?)
    };
    let mut duplicates: Vec<usize> = Vec::new();
    for run in id_hashes.chunk_by(|a, b| a.0 == b.0).filter(|run| run.len() > 1) {
        let id_at = |position: EventIdx| event_at(position as usize).map(|e| e.id.as_str());
        for (i, &(_, position)) in run.iter().enumerate().skip(1) {
            let first = run.iter().take(i).find(|&&(_, earlier)| id_at(earlier) == id_at(position));
            let Some(&(_, first_position)) = first else { continue };
            let (position, first_position) = (position as usize, first_position as usize);
            let (Some(index), Some(first_index), Some(event)) = (
                feature_index(feature_indices.as_ref(), position),
                feature_index(feature_indices.as_ref(), first_position),
                event_at(position),
            ) else {
                continue;
            };
            let offset = raw_features.get(index).and_then(|raw| offset_in(text, raw));
            let location = Location {
                file: file.to_path_buf(),
                index: Some(index),
                id: Some(event.id.to_string()),
                field: Some("id".into()),
                line: None,
                record_word: "",
            };
            let problem = Problem::error(location, ProblemKind::DuplicateId { id: event.id.to_string(), first_index });
            located.push((index, offset, problem));
            duplicates.push(position);
        }
    }
    duplicates.sort_unstable();
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
    Some(ParsedChunks { outcomes, id_hashes, duplicates })
}

/// The feature index of the event at `position`; no indices mean that they agree.
fn feature_index(indices: Option<&Vec<usize>>, position: usize) -> Option<usize> {
    indices.map_or(Some(position), |indices| indices.get(position).copied())
}
