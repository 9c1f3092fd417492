//! Checking what events refer to — places, other events, sources and the quoted passages — and
//! filling in what follows from them: a point from the gazetteer, a quote's character range.

use std::collections::HashMap;
use std::path::Path;

use rayon::prelude::*;

use super::problem::{Location, Problem, ProblemKind};
use crate::model::text::CharIndex;
use crate::model::{Event, Place, Source};

/// Checks every place, relation and citation reference; fills in points from the gazetteer and
/// character ranges of quotes. Broken references are reported and removed; the event stays.
pub(super) fn resolve_references(
    file: &Path,
    mut events: Vec<Event>,
    places: &[Place],
    sources: &[Source],
    problems: &mut Vec<Problem>,
) -> Vec<Event> {
    let place_by_id: HashMap<&str, &Place> = places.iter().map(|p| (p.id.as_str(), p)).collect();
    let source_by_id: HashMap<&str, &Source> = sources.iter().map(|s| (s.id.as_str(), s)).collect();
    let event_ids: std::collections::HashSet<crate::model::CompactString> =
        events.iter().map(|e| e.id.clone()).collect();

    // Each event on its own, on all cores; problems come back in file order.
    let found: Vec<Vec<Problem>> = events
        .par_iter_mut()
        .enumerate()
        .map(|(index, event)| {
            let mut problems = Vec::new();
            let lookups = Lookups { place_by_id: &place_by_id, source_by_id: &source_by_id, event_ids: &event_ids };
            resolve_event(file, index, event, &lookups, &mut problems);
            problems
        })
        .collect();
    problems.extend(found.into_iter().flatten());
    events
}

/// What an event's references are checked against.
struct Lookups<'a> {
    place_by_id: &'a HashMap<&'a str, &'a Place>,
    source_by_id: &'a HashMap<&'a str, &'a Source>,
    event_ids: &'a std::collections::HashSet<crate::model::CompactString>,
}

fn resolve_event(file: &Path, index: usize, event: &mut Event, lookups: &Lookups<'_>, problems: &mut Vec<Problem>) {
    let Lookups { place_by_id, source_by_id, event_ids } = lookups;
    {
        let id = event.id.to_string();
        let at = |field: String| Location {
            file: file.to_path_buf(),
            index: Some(index),
            id: Some(id.clone()),
            field: Some(field),
            line: None,
            record_word: "",
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
        let further: Vec<String> = event.details().further_places.clone();
        for (k, place_id) in further.iter().enumerate() {
            let Some(place) = place_by_id.get(place_id.as_str()) else {
                problems.push(Problem::error(
                    at(format!("properties.places[{k}]")),
                    ProblemKind::UnknownReference {
                        what: "place",
                        id: place_id.clone(),
                        consequence: "; the event was loaded without this place",
                    },
                ));
                continue;
            };
            if event.lon_lat.is_none() {
                event.lon_lat = Some(place.lon_lat);
            }
            event.details_mut().shape.get_or_insert_default().points.push(place.lon_lat);
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
            match locate_quote_indexed(text, &source.char_index, &citation.quote, citation.char_range) {
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
        if let Some(summary) = &details.summary
            && !details.citations.is_empty()
        {
            // The quotes, the date in the source's words, and the cited sources' own titles (a
            // summary names its source: "according to the article on the Bajgora offensive").
            let titles = details.citations.iter().filter_map(|c| source_by_id.get(c.source_id.as_str()));
            let backing: Vec<&str> = details
                .citations
                .iter()
                .map(|c| c.quote.as_str())
                .chain(details.date_label.as_deref())
                .chain(titles.flat_map(|source| std::iter::once(source.title.as_str()).chain(source.outlet.as_deref())))
                .collect();
            let missing = super::summary_check::unbacked_facts(summary, &backing);
            if !missing.is_empty() {
                let facts = missing.iter().map(|fact| format!("{fact:?}")).collect::<Vec<_>>().join(", ");
                problems
                    .push(Problem::warning(at("properties.summary".into()), ProblemKind::UnbackedSummary { facts }));
            }
        }
    }
}

/// Finds `quote` in `text` and returns its character range; checks `given` when present.
///
/// # Errors
/// [`ProblemKind::QuoteNotInSource`] when the quote is not verbatim in the text;
/// [`ProblemKind::RangeMismatch`] (naming the right range) when `given` selects something else.
pub fn locate_quote(text: &str, quote: &str, given: Option<(usize, usize)>) -> Result<(usize, usize), ProblemKind> {
    locate_quote_indexed(text, &CharIndex::new(text), quote, given)
}

/// As [`locate_quote`], with the text's character index made once for all its citations: a
/// given range is checked in constant time, and only a quote without one (or with a wrong one)
/// is searched for.
fn locate_quote_indexed(
    text: &str,
    index: &CharIndex,
    quote: &str,
    given: Option<(usize, usize)>,
) -> Result<(usize, usize), ProblemKind> {
    if let Some((start, end)) = given
        && !quote.is_empty()
        && index.slice(text, start, end) == Some(quote)
    {
        return Ok((start, end));
    }
    let found_byte = if quote.is_empty() { None } else { memchr::memmem::find(text.as_bytes(), quote.as_bytes()) };
    let Some(found_byte) = found_byte else {
        return Err(ProblemKind::QuoteNotInSource {
            source_id: String::new(),
            quote_start: quote.chars().take(60).collect(),
        });
    };
    let found_char = index.char_of(text, found_byte);
    let found = (found_char, found_char + quote.chars().count());
    let Some((start, end)) = given else { return Ok(found) };
    Err(ProblemKind::RangeMismatch {
        source_id: String::new(),
        start,
        end,
        hint: format!(" (the quote is at {}..{})", found.0, found.1),
    })
}
