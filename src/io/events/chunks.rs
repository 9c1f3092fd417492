//! Features parsed on all cores, in contiguous chunks so file order is kept, with the project's
//! panic policy: a chunk whose parsing panics is parsed again feature by feature, and a feature
//! that still panics becomes a located problem. No event is ever lost to a failed worker.

use std::path::Path;

use super::feature::{EventFileMode, FeatureContext, peek_id};
use crate::io::problem::{Location, Problem, ProblemKind};
use crate::io::text::offset_in;
use crate::model::dataset::id_hash;
use crate::model::{Event, EventIdx};

/// Reads one feature: [`parse_feature`] in the app; tests swap in one that fails.
pub(super) type FeatureParser =
    fn(&str, usize, &Location, EventFileMode, &mut Vec<Problem>, &mut FeatureContext) -> Option<Event>;

/// Fewest features per chunk: below this a chunk costs more to hand out than to parse.
const MIN_CHUNK_FEATURES: usize = 8192;

/// What one worker made of its share of the features.
#[derive(Default)]
pub(super) struct ChunkOutcome {
    /// Valid events, until they are joined with the others.
    pub(super) events: Vec<Event>,
    /// How many events the chunk gave, once they are joined.
    pub(super) event_count: usize,
    /// The feature index of the chunk's first feature.
    pub(super) first_index: usize,
    /// The feature index of each event; `None` while every feature became an event, so that the
    /// index is `first_index` + position.
    pub(super) indices: Option<Vec<usize>>,
    /// (hash of id, position in `events`), to find duplicate ids (once sorted with every other
    /// chunk's) without a map of all ids.
    pub(super) id_hashes: Vec<(u64, EventIdx)>,
    /// Problems with their feature index and the feature's byte offset in the file.
    pub(super) problems: Vec<(usize, Option<usize>, Problem)>,
    /// A feature was not valid JSON.
    pub(super) not_json: bool,
    /// The chunk's categories and the other fields of its events.
    pub(super) context: FeatureContext,
}

impl ChunkOutcome {
    fn with_capacity(first_index: usize, features: usize) -> Self {
        Self {
            events: Vec::with_capacity(features),
            event_count: 0,
            first_index,
            indices: None,
            id_hashes: Vec::with_capacity(features),
            problems: Vec::new(),
            not_json: false,
            context: FeatureContext::default(),
        }
    }

    /// Adds what one feature gave: its event or its problems.
    fn add(&mut self, file: &Path, text: &str, raw: &str, index: usize, parsed: Parsed) {
        let (event, feature_problems) = parsed;
        if !feature_problems.is_empty() {
            if event.is_none() && serde_json::from_str::<serde::de::IgnoredAny>(raw).is_err() {
                self.not_json = true;
            }
            let offset = offset_in(text, raw);
            self.problems.extend(feature_problems.into_iter().map(|mut p| {
                p.location.file = file.to_path_buf();
                (index, offset, p)
            }));
        }
        if event.is_none() && self.indices.is_none() {
            self.indices = Some((self.first_index..self.first_index + self.events.len()).collect());
        }
        if let Some(event) = event {
            let position = EventIdx::try_from(self.events.len()).unwrap_or(EventIdx::MAX);
            self.id_hashes.push((id_hash(&event.id), position));
            if let Some(indices) = &mut self.indices {
                indices.push(index);
            }
            self.events.push(event);
        }
    }

    /// Once every feature is added: the events' long titles, as ranges of one text (the
    /// builder taken, so that the buffer they grew in goes now, not with the outcome).
    fn give_titles(mut self) -> Self {
        std::mem::take(&mut self.context.titles).hand_out_to(&mut self.events, |event| &mut event.title);
        self
    }
}

/// One feature's event (if valid) and problems.
type Parsed = (Option<Event>, Vec<Problem>);

fn parse_one(
    parse: FeatureParser,
    raw: &str,
    index: usize,
    mode: EventFileMode,
    context: &mut FeatureContext,
) -> Parsed {
    // The file is filled in only for features with problems: no allocation per valid feature.
    let at = Location { index: Some(index), ..Location::default() };
    let mut problems = Vec::new();
    let event = parse(raw, index, &at, mode, &mut problems, context);
    (event, problems)
}

/// Parses every feature with `parse`, on all cores; `raw_features[0]` is feature `base` of its file
/// (a block's first), and every feature is numbered so (an id made from a feature's number is the
/// file's number). The first chunk's vectors are sized for every feature, so joining the chunks
/// copies only the later ones.
pub(super) fn parse_in_parallel(
    file: &Path,
    text: &str,
    raw_features: &[&str],
    base: usize,
    mode: EventFileMode,
    parse: FeatureParser,
) -> Vec<ChunkOutcome> {
    let workers = rayon::current_num_threads().max(1);
    // Eight chunks a worker: a core that also reads the next block, or joins the block before,
    // takes fewer of them, and no core waits for another's last chunk.
    let chunk_len = raw_features.len().div_ceil(workers * 8).max(MIN_CHUNK_FEATURES);
    let total = raw_features.len();
    let results = crate::parallel::map_chunks(raw_features, chunk_len, |first_index, chunk| {
        let capacity = if first_index == 0 { total } else { chunk.len() };
        let first_index = base + first_index;
        let mut outcome = ChunkOutcome::with_capacity(first_index, capacity);
        for (offset, raw) in chunk.iter().enumerate() {
            let parsed = parse_one(parse, raw, first_index + offset, mode, &mut outcome.context);
            outcome.add(file, text, raw, first_index + offset, parsed);
        }
        outcome.give_titles()
    });
    results
        .into_iter()
        .enumerate()
        .map(|(number, result)| {
            result.unwrap_or_else(|_| {
                let first_index = number * chunk_len;
                let chunk = raw_features.get(first_index..(first_index + chunk_len).min(total)).unwrap_or_default();
                reparse_one_by_one(file, text, chunk, base + first_index, mode, parse)
            })
        })
        .collect()
}

/// A chunk whose worker panicked, parsed again one feature at a time: every feature that parses
/// is kept, and each one that panics again is reported where it is.
fn reparse_one_by_one(
    file: &Path,
    text: &str,
    chunk: &[&str],
    first_index: usize,
    mode: EventFileMode,
    parse: FeatureParser,
) -> ChunkOutcome {
    let mut outcome = ChunkOutcome::with_capacity(first_index, chunk.len());
    for (offset, raw) in chunk.iter().enumerate() {
        let index = first_index + offset;
        let events_before = outcome.context.properties.events();
        let parsed = crate::parallel::catch(|| parse_one(parse, raw, index, mode, &mut outcome.context));
        let parsed = parsed.unwrap_or_else(|panic| {
            // Whatever the failed feature had begun to record is dropped with it.
            outcome.context.properties.truncate(events_before);
            outcome.context.titles.truncate(events_before);
            let location = Location { index: Some(index), id: peek_id(raw), ..Location::default() };
            (None, vec![Problem::error(location, ProblemKind::Internal(panic.message))])
        });
        outcome.add(file, text, raw, index, parsed);
    }
    outcome.give_titles()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::io::events::feature::parse_feature;

    /// Parses as the app does, but panics on every feature whose index ends in 7.
    fn parse_failing_on_sevens(
        raw: &str,
        index: usize,
        at: &Location,
        mode: EventFileMode,
        problems: &mut Vec<Problem>,
        context: &mut FeatureContext,
    ) -> Option<Event> {
        assert!(index % 10 != 7, "simulated parser bug at feature {index}");
        parse_feature(raw, index, at, mode, problems, context)
    }

    /// Titles long enough to be shared, but every third.
    fn long_title(number: usize) -> String {
        if number.is_multiple_of(3) { format!("e{number}") } else { format!("Event {number}, a title to be shared") }
    }

    #[test]
    fn a_panicking_worker_loses_only_the_features_that_panic_and_says_where() {
        let features: Vec<String> = (0..20_000)
            .map(|i| {
                format!(
                    r#"{{"type":"Feature","id":"e{i}","geometry":{{"type":"Point","coordinates":[20.9,42.9]}},"properties":{{"start":"1999-01-08","title":"{}"}}}}"#,
                    long_title(i)
                )
            })
            .collect();
        let raw: Vec<&str> = features.iter().map(String::as_str).collect();
        let text = features.join(",");
        let file = Path::new("panicky.geojson");
        let outcomes = parse_in_parallel(file, &text, &raw, 0, EventFileMode::Plain, parse_failing_on_sevens);
        let events: usize = outcomes.iter().map(|o| o.events.len()).sum();
        assert_eq!(events, 18_000, "every feature that parses is kept");
        for event in outcomes.iter().flat_map(|o| &o.events) {
            let number: usize = event.id.strip_prefix('e').unwrap().parse().unwrap();
            assert_eq!(event.title, long_title(number).as_str(), "each keeps its own title");
            assert_eq!(event.title.is_shared(), !number.is_multiple_of(3));
        }
        let problems: Vec<&Problem> = outcomes.iter().flat_map(|o| o.problems.iter().map(|(_, _, p)| p)).collect();
        assert_eq!(problems.len(), 2000);
        let first = problems.first().unwrap();
        assert_eq!(first.location.file, file);
        assert_eq!(first.location.index, Some(7));
        assert_eq!(first.location.id.as_deref(), Some("e7"));
        let message = first.to_string();
        assert!(
            message.contains("panicky.geojson") && message.contains("simulated parser bug at feature 7"),
            "{message}"
        );
    }
}
