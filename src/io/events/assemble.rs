//! What the chunks of a FeatureCollection gave, put together in file order: the events joined as
//! each chunk is done (a large file's block by block, so that its chunks' vectors are let go and
//! their memory reused), then each problem given its line and duplicate ids found (the first
//! keeps its id).

use std::path::Path;

use super::chunks::ChunkOutcome;
use crate::io::problem::{Location, Problem, ProblemKind};
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

/// The chunks' events joined in file order as they come, with one table of categories.
#[derive(Default)]
pub(super) struct JoinedEvents {
    events: Vec<Event>,
    categories: CategoryInterner,
    properties: PropertiesBuilder,
}

impl JoinedEvents {
    /// Moves a chunk's events (their category ids remapped: each chunk named its categories on
    /// its own) and fields in after those before, leaving the chunk their count.
    pub(super) fn absorb(&mut self, outcome: &mut ChunkOutcome) {
        let context = std::mem::take(&mut outcome.context);
        let remap = self.categories.absorb(&context.categories);
        let remapped = |mut event: Event| {
            event.category = remap.get(usize::from(event.category.0)).copied().unwrap_or_default();
            event
        };
        self.properties.append(context.properties);
        let events = std::mem::take(&mut outcome.events);
        outcome.event_count = events.len();
        if self.events.is_empty() {
            // The first chunk's vector, which has room for every feature of its parse, is kept:
            // most of a small file's events never move.
            self.events = events.into_iter().map(remapped).collect();
        } else {
            self.events.extend(events.into_iter().map(remapped));
        }
    }

    /// Every chunk's.
    pub(super) fn absorb_all(&mut self, outcomes: &mut [ChunkOutcome]) {
        for outcome in outcomes {
            self.absorb(outcome);
        }
    }
}

/// The joined events, with everything that needed the file's text done: problems located (with
/// their lines) and duplicate ids found.
#[derive(Default)]
pub(super) struct ParsedChunks {
    joined: JoinedEvents,
    /// (hash of id, position among all events) for every event, sorted.
    id_hashes: Vec<(u64, EventIdx)>,
    /// Positions (among all events) of events whose id an earlier event has, ascending.
    duplicates: Vec<usize>,
}

impl ParsedChunks {
    /// The events, duplicates removed.
    pub(super) fn join(self) -> ParsedEvents {
        let JoinedEvents { mut events, categories, mut properties } = self.joined;
        if !self.duplicates.is_empty() {
            let mut keep = vec![true; events.len()];
            for &position in &self.duplicates {
                if let Some(flag) = keep.get_mut(position) {
                    *flag = false;
                }
            }
            crate::model::narrow_ids::retain_kept(&mut events, &keep);
            properties.retain_events(&keep);
        }
        let id_index = self.duplicates.is_empty().then_some(self.id_hashes);
        let properties = properties.finish();
        ParsedEvents { events, id_index, category_keys: categories.keys().to_vec(), properties }
    }
}

/// Finds duplicate ids among the events `joined` holds (from `outcomes`, which it absorbed) and
/// hands every problem on in file order, with its line: `line_of(feature index, byte offset if
/// known)` gives the line of a feature's problem.
pub(super) fn locate(
    file: &Path,
    outcomes: Vec<ChunkOutcome>,
    joined: JoinedEvents,
    line_of: &mut dyn FnMut(usize, Option<usize>) -> Option<usize>,
    problems: &mut Vec<Problem>,
) -> ParsedChunks {
    // The feature index of each event; `None` while every feature so far became an event, so
    // that index and position agree and a million indices need not be stored.
    let mut feature_indices: Option<Vec<usize>> = None;
    // Into the first chunk's hashes, which have room for every event: sorted in place.
    let mut id_hashes: Vec<(u64, EventIdx)> = Vec::new();
    let mut located: Vec<(usize, Option<usize>, Problem)> = Vec::new();
    let mut base = 0;
    for mut outcome in outcomes {
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
        let chunk_range = outcome.first_index..outcome.first_index + outcome.event_count;
        match (&mut feature_indices, outcome.indices.take()) {
            (Some(indices), Some(chunk_indices)) => indices.extend(chunk_indices),
            (Some(indices), None) => indices.extend(chunk_range),
            // Every earlier feature became an event: positions 0..base are their indices.
            (None, Some(chunk_indices)) => feature_indices = Some((0..base).chain(chunk_indices).collect()),
            (None, None) if chunk_range.start != base => feature_indices = Some((0..base).chain(chunk_range).collect()),
            (None, None) => {}
        }
        located.append(&mut outcome.problems);
        base += outcome.event_count;
    }
    // Duplicate ids: equal hashes sort together, in file order within a hash; the first keeps the id.
    crate::model::hash_sort::sort_by_hash(&mut id_hashes);
    let event_at = |position: usize| joined.events.get(position);
    let id_at = |position: EventIdx| event_at(position as usize).map(|e| e.id.as_str());
    let mut duplicates: Vec<usize> = Vec::new();
    for (position, first_position) in crate::model::hash_sort::repeats(&id_hashes, |a, b| id_at(a) == id_at(b)) {
        let (position, first_position) = (position as usize, first_position as usize);
        let (Some(index), Some(first_index), Some(event)) = (
            feature_index(feature_indices.as_ref(), position),
            feature_index(feature_indices.as_ref(), first_position),
            event_at(position),
        ) else {
            continue;
        };
        let location = Location {
            file: file.to_path_buf(),
            index: Some(index),
            id: Some(event.id.to_string()),
            field: Some("id".into()),
            line: None,
            record_word: "",
        };
        let problem = Problem::error(
            location,
            ProblemKind::DuplicateId { id: event.id.to_string(), first_index, record: "feature" },
        );
        located.push((index, None, problem));
        duplicates.push(position);
    }
    duplicates.sort_unstable();
    // Problems in file order, whatever thread found them, with their line.
    located.sort_by_key(|(index, _, _)| *index);
    for (index, offset, mut problem) in located {
        if problem.location.line.is_none() {
            problem.location.line = line_of(index, offset);
        }
        problems.push(problem);
    }
    ParsedChunks { joined, id_hashes, duplicates }
}

/// The feature index of the event at `position`; no indices mean that they agree.
fn feature_index(indices: Option<&Vec<usize>>, position: usize) -> Option<usize> {
    indices.map_or(Some(position), |indices| indices.get(position).copied())
}
