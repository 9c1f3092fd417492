//! A loaded dataset: events, gazetteer and sources, with lookups by id.

use std::collections::HashMap;

use super::event::{Event, Place, Source};
use super::index::{EventIdx, TimeIndex};

/// Everything Kronika shows: the events and what they refer to.
#[derive(Clone, Debug, Default)]
pub struct Dataset {
    /// Name shown in the top bar.
    pub name: String,
    /// What the dataset covers.
    pub description: Option<String>,
    /// The events, in file order.
    pub events: Vec<Event>,
    /// The gazetteer, in file order.
    pub places: Vec<Place>,
    /// The sources, in file order.
    pub sources: Vec<Source>,
    event_by_id: HashMap<String, EventIdx>,
    place_by_id: HashMap<String, usize>,
    source_by_id: HashMap<String, usize>,
    time_index: TimeIndex,
}

impl Dataset {
    /// Builds a dataset and its lookups. Ids are expected unique (the loader drops duplicates and
    /// reports them); should one slip through, the first wins.
    pub fn new(name: String, events: Vec<Event>, places: Vec<Place>, sources: Vec<Source>) -> Self {
        let mut event_by_id = HashMap::with_capacity(events.len());
        for (idx, event) in events.iter().enumerate() {
            let idx = EventIdx::try_from(idx).unwrap_or(EventIdx::MAX);
            event_by_id.entry(event.id.clone()).or_insert(idx);
        }
        let mut place_by_id = HashMap::new();
        for (idx, place) in places.iter().enumerate() {
            place_by_id.entry(place.id.clone()).or_insert(idx);
        }
        let mut source_by_id = HashMap::new();
        for (idx, source) in sources.iter().enumerate() {
            source_by_id.entry(source.id.clone()).or_insert(idx);
        }
        let time_index = TimeIndex::new(
            events.iter().enumerate().map(|(idx, e)| (EventIdx::try_from(idx).unwrap_or(EventIdx::MAX), e.span)),
        );
        Self { name, description: None, events, places, sources, event_by_id, place_by_id, source_by_id, time_index }
    }

    /// The event at an index.
    pub fn event(&self, idx: EventIdx) -> Option<&Event> {
        self.events.get(idx as usize)
    }

    /// The index of the event with this id.
    pub fn event_idx(&self, id: &str) -> Option<EventIdx> {
        self.event_by_id.get(id).copied()
    }

    /// The place with this id.
    pub fn place(&self, id: &str) -> Option<&Place> {
        self.place_by_id.get(id).and_then(|&i| self.places.get(i))
    }

    /// The source with this id.
    pub fn source(&self, id: &str) -> Option<&Source> {
        self.source_by_id.get(id).and_then(|&i| self.sources.get(i))
    }

    /// The index over all events.
    pub fn time_index(&self) -> &TimeIndex {
        &self.time_index
    }

    /// Events that link to `idx` or that `idx` links to, with the relation as seen from `idx`:
    /// (other event, kind, whether the link is outgoing, note). Sorted by the other event's date.
    pub fn relations_of(&self, idx: EventIdx) -> Vec<RelatedEvent<'_>> {
        let Some(event) = self.event(idx) else { return Vec::new() };
        let mut related: Vec<RelatedEvent<'_>> = event
            .relations
            .iter()
            .filter_map(|r| {
                Some(RelatedEvent {
                    other: self.event_idx(&r.event_id)?,
                    kind: r.kind,
                    outgoing: true,
                    note: r.note.as_deref(),
                })
            })
            .collect();
        for (other_idx, other) in self.events.iter().enumerate() {
            let Ok(other_idx) = EventIdx::try_from(other_idx) else { break };
            for relation in other.relations.iter().filter(|r| r.event_id == event.id) {
                let already = related.iter().any(|r| r.other == other_idx && r.kind == relation.kind);
                if !already {
                    related.push(RelatedEvent {
                        other: other_idx,
                        kind: relation.kind,
                        outgoing: false,
                        note: relation.note.as_deref(),
                    });
                }
            }
        }
        related.sort_by_key(|r| (self.event(r.other).map(|e| e.span.first_day()), r.other));
        related
    }

    /// For every cited passage of a source: (character range, event) pairs, sorted by position.
    pub fn citations_in_source(&self, source_id: &str) -> Vec<((usize, usize), EventIdx)> {
        let mut found: Vec<((usize, usize), EventIdx)> = Vec::new();
        for (idx, event) in self.events.iter().enumerate() {
            let Ok(idx) = EventIdx::try_from(idx) else { break };
            for citation in event.citations.iter().filter(|c| c.source_id == source_id) {
                if let Some(range) = citation.char_range {
                    found.push((range, idx));
                }
            }
        }
        found.sort_unstable();
        found
    }
}

/// A link between two events as seen from one of them.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RelatedEvent<'a> {
    /// The other event.
    pub other: EventIdx,
    /// How they relate.
    pub kind: super::event::RelationKind,
    /// True when this event declares the link; false when the other one does.
    pub outgoing: bool,
    /// What the relation is about.
    pub note: Option<&'a str>,
}

impl RelatedEvent<'_> {
    /// The relation in words from this event's side: "denied by", "same incident as", "disagrees with".
    pub fn phrase(&self) -> &'static str {
        use super::event::RelationKind as K;
        match (self.kind, self.outgoing) {
            (K::Denies, true) => "denies",
            (K::Denies, false) => "denied by",
            (K::RespondsTo, true) => "responds to",
            (K::RespondsTo, false) => "answered by",
            (K::Follows, true) => "follows",
            (K::Follows, false) => "followed by",
            (K::PartOf, true) => "part of",
            (K::PartOf, false) => "includes",
            (K::SameIncident, _) => "same incident as",
            (K::Contradicts, _) => "disagrees with",
        }
    }
}
