//! A loaded dataset: events, gazetteer and sources, with lookups by id.

use std::collections::HashMap;

use chrono::NaiveDate;
use rayon::prelude::*;

use super::category::Categories;
use super::colouring::FieldColouring;
use super::event::{Event, LonLat};
use super::incident::Incident;
use super::index::{EventIdx, TimeIndex};
use super::place::Place;
use super::properties::Properties;
use super::source::Source;

/// A cited passage of a source: its character range and the event citing it.
pub type CitedPassage = ((usize, usize), EventIdx);

/// Everything Kronika shows: the events and what they refer to.
#[derive(Clone, Debug, Default)]
pub struct Dataset {
    /// Name shown in the top bar.
    pub name: String,
    /// What the dataset covers.
    pub description: Option<String>,
    /// What the dataset says of itself: where the map starts, its focus, its "present".
    pub facts: DatasetFacts,
    /// The events, in file order.
    pub events: Vec<Event>,
    /// The gazetteer, in file order.
    pub places: Vec<Place>,
    /// The sources, in file order.
    pub sources: Vec<Source>,
    /// The categories the events use, as the data names them, with their legend.
    pub categories: Categories,
    /// Every other field of the events.
    pub properties: Properties,
    /// Colours by one of those fields, instead of by category.
    pub colouring: Option<FieldColouring>,
    /// Stories told step by step through the events.
    pub stories: Vec<super::story::Story>,
    /// Accounts grouped as one happening (see [`Dataset::set_incidents`]).
    incidents: Vec<Incident>,
    /// For each event in an incident: the incident's index.
    incident_by_event: HashMap<EventIdx, usize>,
    /// The events mentioned without a date, in file order.
    undated: Vec<EventIdx>,
    /// (hash of id, event) sorted: finds events by id without a copy of every id (a million
    /// strings would cost a second of loading).
    event_by_id_hash: Vec<(u64, EventIdx)>,
    place_by_id: HashMap<String, usize>,
    source_by_id: HashMap<String, usize>,
    /// Shared: an app showing all events uses it as is, without a copy.
    time_index: std::sync::Arc<TimeIndex>,
    /// For each event id that others link to: (linking event, index of the relation in it).
    incoming_relations: HashMap<String, Vec<(EventIdx, usize)>>,
    /// For each source id: cited character ranges and their events, sorted by position.
    passages_by_source: HashMap<String, Vec<CitedPassage>>,
}

impl Dataset {
    /// Builds a dataset and its lookups. Ids are expected unique (the loader drops duplicates and
    /// reports them); should one slip through, the first wins.
    pub fn new(name: String, events: Vec<Event>, places: Vec<Place>, sources: Vec<Source>) -> Self {
        Self::with_id_index(name, events, places, sources, None)
    }

    /// As [`Dataset::new`], given the id lookup the loader found while checking for duplicate
    /// ids: (hash of id, index) for every event, sorted. Anything else is ignored and rebuilt.
    pub fn with_id_index(
        name: String,
        events: Vec<Event>,
        places: Vec<Place>,
        sources: Vec<Source>,
        id_index: Option<Vec<(u64, EventIdx)>>,
    ) -> Self {
        let id_index = id_index.filter(|index| index.len() == events.len() && index.is_sorted());
        // Each span's first and last day on every core (month and year dates need the calendar).
        let time_index = || {
            // Undated events are listed, never "now": they stay out of the time index.
            let entries = events
                .par_iter()
                .enumerate()
                .filter(|(_, e)| !e.span.undated())
                .map(|(idx, e)| {
                    (e.span.first_day(), e.span.last_day(), EventIdx::try_from(idx).unwrap_or(EventIdx::MAX))
                })
                .collect();
            TimeIndex::from_entries(entries)
        };
        let id_lookup = || {
            let mut event_by_id_hash: Vec<(u64, EventIdx)> = events
                .par_iter()
                .enumerate()
                .map(|(idx, event)| (id_hash(&event.id), EventIdx::try_from(idx).unwrap_or(EventIdx::MAX)))
                .collect();
            // Sorted by index within a hash, so the first of duplicate ids wins.
            super::hash_sort::sort_by_hash(&mut event_by_id_hash);
            event_by_id_hash
        };
        let (event_by_id_hash, time_index) = match id_index {
            Some(index) => (index, time_index()),
            // The two big indexes are independent: build them side by side.
            None => rayon::join(id_lookup, time_index),
        };
        let mut place_by_id = HashMap::new();
        for (idx, place) in places.iter().enumerate() {
            place_by_id.entry(place.id.clone()).or_insert(idx);
        }
        let mut source_by_id = HashMap::new();
        for (idx, source) in sources.iter().enumerate() {
            source_by_id.entry(source.id.clone()).or_insert(idx);
        }
        let mut incoming_relations: HashMap<String, Vec<(EventIdx, usize)>> = HashMap::new();
        let mut passages_by_source: HashMap<String, Vec<CitedPassage>> = HashMap::new();
        // The few events that are undated or link to others, found on every core.
        let noted: Vec<(EventIdx, bool)> = events
            .par_iter()
            .enumerate()
            .filter(|(_, event)| event.span.undated() || !event.relations().is_empty() || !event.citations().is_empty())
            .map(|(idx, event)| (EventIdx::try_from(idx).unwrap_or(EventIdx::MAX), event.span.undated()))
            .collect();
        let undated = noted.iter().filter(|(_, undated)| *undated).map(|&(idx, _)| idx).collect();
        for &(idx, _) in &noted {
            let Some(event) = events.get(idx as usize) else { continue };
            for (position, relation) in event.relations().iter().enumerate() {
                incoming_relations.entry(relation.event_id.clone()).or_default().push((idx, position));
            }
            for citation in event.citations() {
                if let Some(range) = citation.char_range {
                    passages_by_source.entry(citation.source_id.clone()).or_default().push((range, idx));
                }
            }
        }
        for passages in passages_by_source.values_mut() {
            passages.sort_unstable();
        }
        Self {
            name,
            description: None,
            facts: DatasetFacts::default(),
            categories: Categories::default(),
            properties: Properties::default(),
            colouring: None,
            stories: Vec::new(),
            incidents: Vec::new(),
            incident_by_event: HashMap::new(),
            undated,
            events,
            places,
            sources,
            event_by_id_hash,
            place_by_id,
            source_by_id,
            time_index: std::sync::Arc::new(time_index),
            incoming_relations,
            passages_by_source,
        }
    }

    /// Names the categories the events' ids stand for (id 1 is the first key) and makes the legend.
    pub fn set_categories<'a>(&mut self, keys: impl IntoIterator<Item = &'a str>) {
        let keys: Vec<&str> = keys.into_iter().collect();
        let slots = keys.len() + 1;
        let counts = self
            .events
            .par_iter()
            .fold(
                || vec![0_u32; slots],
                |mut counts, event| {
                    if let Some(count) = counts.get_mut(usize::from(event.category.0)) {
                        *count += 1;
                    }
                    counts
                },
            )
            .reduce(|| vec![0_u32; slots], |a, b| a.iter().zip(&b).map(|(a, b)| a + b).collect());
        self.categories = Categories::from_keys(keys, &counts);
    }

    /// An event's summary: its curated one, or the `summary` field a file from another tool gave.
    pub fn summary<'a>(&'a self, idx: EventIdx, event: &'a Event) -> Option<&'a str> {
        event.details().summary.as_deref().or_else(|| self.properties.get(idx, "summary"))
    }

    /// The place's name as a file from another tool gives it (no gazetteer entry).
    pub fn place_name<'a>(&'a self, idx: EventIdx, event: &'a Event) -> Option<&'a str> {
        event.details().place_name.as_deref().or_else(|| self.properties.get(idx, "place"))
    }

    /// Colours the events by `field` (or by category again, for `None`).
    ///
    /// # Errors
    /// No such field, or one of free text; the colouring is then unchanged.
    pub fn colour_by(&mut self, field: Option<&str>) -> Result<(), String> {
        self.colouring = match field {
            Some(field) => Some(FieldColouring::new(&self.properties, field, self.events.len())?),
            None => None,
        };
        Ok(())
    }

    /// The legend the events are coloured by: their categories', or a field's values'.
    pub fn legend(&self) -> &Categories {
        self.colouring.as_ref().map_or(&self.categories, |c| &c.legend)
    }

    /// The legend slot (colour) of an event.
    pub fn colour_slot(&self, idx: EventIdx, event: &Event) -> u8 {
        match &self.colouring {
            Some(colouring) => colouring.slot(idx as usize),
            None => self.categories.slot(event.category),
        }
    }

    /// Groups accounts into incidents. An event belongs to one incident at most: a later
    /// incident's claim on it is ignored (the loader reports such overlaps).
    pub fn set_incidents(&mut self, incidents: Vec<Incident>) {
        self.incident_by_event.clear();
        for (index, incident) in incidents.iter().enumerate() {
            for &account in &incident.accounts {
                self.incident_by_event.entry(account).or_insert(index);
            }
        }
        self.incidents = incidents;
    }

    /// The events mentioned without a date, in file order: listed, never "now".
    pub fn undated_events(&self) -> &[EventIdx] {
        &self.undated
    }

    /// Every incident, in file order.
    pub fn incidents(&self) -> &[Incident] {
        &self.incidents
    }

    /// The incident an event is an account of, if any.
    pub fn incident_of(&self, idx: EventIdx) -> Option<&Incident> {
        self.incidents.get(*self.incident_by_event.get(&idx)?)
    }

    /// The event at an index.
    pub fn event(&self, idx: EventIdx) -> Option<&Event> {
        self.events.get(idx as usize)
    }

    /// The index of the event with this id.
    pub fn event_idx(&self, id: &str) -> Option<EventIdx> {
        let hash = id_hash(id);
        let start = self.event_by_id_hash.partition_point(|&(h, _)| h < hash);
        self.event_by_id_hash
            .get(start..)?
            .iter()
            .take_while(|&&(h, _)| h == hash)
            .map(|&(_, idx)| idx)
            .find(|&idx| self.event(idx).is_some_and(|e| e.id == id))
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

    /// The time index, shared rather than copied.
    pub fn shared_time_index(&self) -> std::sync::Arc<TimeIndex> {
        std::sync::Arc::clone(&self.time_index)
    }

    /// Events that link to `idx` or that `idx` links to, with the relation as seen from `idx`:
    /// (other event, kind, whether the link is outgoing, note). Sorted by the other event's date.
    pub fn relations_of(&self, idx: EventIdx) -> Vec<RelatedEvent<'_>> {
        let Some(event) = self.event(idx) else { return Vec::new() };
        let mut related: Vec<RelatedEvent<'_>> = event
            .relations()
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
        for &(other_idx, position) in self.incoming_relations.get(event.id.as_str()).map_or(&[][..], Vec::as_slice) {
            let Some(relation) = self.event(other_idx).and_then(|other| other.relations().get(position)) else {
                continue;
            };
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
        related.sort_by_key(|r| (self.event(r.other).map(|e| e.span.first_day()), r.other));
        related
    }

    /// For every cited passage of a source: (character range, event) pairs, sorted by position.
    pub fn citations_in_source(&self, source_id: &str) -> &[CitedPassage] {
        self.passages_by_source.get(source_id).map_or(&[], Vec::as_slice)
    }
}

/// Facts about a dataset that the app would otherwise have to guess, read from `dataset.json`.
/// Anything missing is taken from the data itself (the map fits the events, the present is the
/// last day of data); nothing about one dataset is written in code.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct DatasetFacts {
    /// Where the map opens.
    pub home: Option<HomeView>,
    /// The basemap area (a country's name in Natural Earth) the dataset is about, drawn a shade lighter.
    pub focus_region: Option<String>,
    /// The day open-ended spans ("ongoing") run to, and the timeline's "now" before anything is chosen.
    pub present: Option<NaiveDate>,
}

/// A map view: centre and zoom.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct HomeView {
    /// The centre.
    pub center: LonLat,
    /// The web map zoom level (0: the whole world in 256 points).
    pub zoom: f64,
}

/// A fixed hash of an id (the same in every run, for sorted id lookups): rustc-hash's, whose
/// bytes are mixed well enough for [`super::hash_sort`] to spread by them, at a third of
/// SipHash's cost (a million ids are hashed as a file is read).
pub fn id_hash(id: &str) -> u64 {
    use std::hash::Hasher as _;
    let mut hasher = rustc_hash::FxHasher::default();
    hasher.write(id.as_bytes());
    hasher.finish()
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
