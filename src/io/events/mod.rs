//! Reading events from a GeoJSON FeatureCollection, feature by feature, so one bad feature is
//! reported with its place and the rest still load.
//!
//! - [`split`] finds the features of a well-formed file 64 bytes at a time;
//! - [`raw`] holds the shapes serde reads, [`fast`] reads the common plain feature directly;
//! - [`feature`] turns one feature into an event, [`chunks`] does it on all cores;
//! - [`assemble`] puts the chunks together in file order and finds duplicate ids;
//! - [`stream`] reads a large file block by block, so that its text is never held whole;
//! - this file reads a file's whole text.

mod assemble;
mod chunks;
mod elements;
mod fast;
mod feature;
pub(crate) mod json_reader;
mod raw;
mod split;
mod stream;

use std::path::Path;

use serde_json::value::RawValue;

pub use self::assemble::ParsedEvents;
use self::assemble::{JoinedEvents, ParsedChunks, locate};
pub use self::feature::EventFileMode;
use self::feature::parse_feature;
pub(crate) use self::feature::top_level_problem;
use self::raw::RawCollection;
use self::split::split_features;
pub use self::stream::{BLOCK_BYTES, BlockSizes, for_each_block, parse_in_blocks};
use super::problem::{Location, Problem, ProblemKind};
use super::text::{LineIndex, offset_in};
use crate::model::Event;

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

    let mut outcomes = chunks::parse_in_parallel(file, text, &raw_features, 0, mode, parse_feature);
    if outcomes.iter().any(|outcome| outcome.not_json) {
        return None;
    }
    let mut joined = JoinedEvents::default();
    joined.absorb_all(&mut outcomes);
    // A problem's line is its feature's: found from its offset in the text when needed.
    let mut lines: Option<LineIndex> = None;
    let mut line_of = |index: usize, offset: Option<usize>| {
        let offset = offset.or_else(|| raw_features.get(index).and_then(|raw| offset_in(text, raw)))?;
        Some(lines.get_or_insert_with(|| LineIndex::new(text)).line_of(offset))
    };
    Some(locate(file, outcomes, joined, &mut line_of, problems))
}
