//! An event as a person edits it: text fields for what a feature of `events.geojson` says,
//! read from a record and written back into it (fields the form does not show are kept).

use serde_json::{Map, Value, json};

use super::json::text;

use super::{Change, Draft, RecordKind, record_id};
use crate::model::{ClaimStatus, DateBasis, FuzzyDate, LocationPrecision, RelationKind};

/// How precisely the date is known, as the editor asks it.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum DateEntry {
    /// One day: `2023-09-24`.
    #[default]
    Day,
    /// A month: `2023-09`.
    Month,
    /// A year: `1998`.
    Year,
    /// From one date to another, each of any precision.
    Range,
    /// Mentioned without a date: the dates only bound it.
    Undated,
}

impl DateEntry {
    /// Every choice, in the editor's order.
    pub const ALL: [Self; 5] = [Self::Day, Self::Month, Self::Year, Self::Range, Self::Undated];

    /// The choice in words.
    pub fn label(self) -> &'static str {
        match self {
            Self::Day => "day",
            Self::Month => "month",
            Self::Year => "year",
            Self::Range => "range",
            Self::Undated => "undated (bounds only)",
        }
    }

    /// What the start field should hold.
    pub fn hint(self) -> &'static str {
        match self {
            Self::Day => "YYYY-MM-DD",
            Self::Month => "YYYY-MM",
            Self::Year => "YYYY",
            Self::Range | Self::Undated => "YYYY, YYYY-MM or YYYY-MM-DD",
        }
    }

    /// True when the date has an end of its own.
    pub fn has_end(self) -> bool {
        matches!(self, Self::Range | Self::Undated)
    }
}

/// A relation as edited.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct RelationEntry {
    /// The relation's kind key (`same_incident`, `contradicts`, …).
    pub kind: String,
    /// The other event's id.
    pub event: String,
    /// What it is about.
    pub note: String,
}

/// A cited passage as edited: always an exact range of its source.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct CitationEntry {
    /// The source's id.
    pub source: String,
    /// The exact words.
    pub quote: String,
    /// Where they stand in the source text, in characters.
    pub range: (usize, usize),
}

/// The fields of one event.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct EventForm {
    /// The record's id; `None` for an event not yet created.
    pub id: Option<String>,
    /// Short neutral title.
    pub title: String,
    /// Neutral, attributed summary ("According to …").
    pub summary: String,
    /// Category key.
    pub category: String,
    /// How precisely the date is known.
    pub date_entry: DateEntry,
    /// Start date.
    pub start: String,
    /// End date (ranges and undated events).
    pub end: String,
    /// The date is approximate.
    pub approximate: bool,
    /// The date in the source's words.
    pub date_label: String,
    /// How the date was derived: a [`DateBasis`] key or empty.
    pub date_basis: String,
    /// The reasoning behind the date.
    pub date_note: String,
    /// A [`ClaimStatus`] key.
    pub claim_status: String,
    /// Who acted, one per line.
    pub actors: String,
    /// The gazetteer id of its place, or empty.
    pub place: String,
    /// A [`LocationPrecision`] key or empty.
    pub location_precision: String,
    /// Links to other events.
    pub relations: Vec<RelationEntry>,
    /// The passages that support it.
    pub citations: Vec<CitationEntry>,
}

impl EventForm {
    /// A new event citing one passage.
    pub fn from_passage(citation: CitationEntry) -> Self {
        Self {
            claim_status: "reported".into(),
            date_basis: "stated".into(),
            citations: vec![citation],
            ..Self::default()
        }
    }

    /// The form of an existing feature.
    pub fn from_feature(feature: &Value) -> Self {
        let empty = Map::new();
        let p = feature.get("properties").and_then(Value::as_object).unwrap_or(&empty);
        let start = text(p, "start");
        let end = text(p, "end");
        let flag = |key: &str| p.get(key).and_then(Value::as_bool).unwrap_or(false);
        let date_entry = if flag("undated") {
            DateEntry::Undated
        } else if !end.is_empty() && end != start {
            DateEntry::Range
        } else {
            match start.len() {
                4 => DateEntry::Year,
                7 => DateEntry::Month,
                _ => DateEntry::Day,
            }
        };
        let array = |key: &str| p.get(key).and_then(Value::as_array).cloned().unwrap_or_default();
        let relations = array("relations")
            .iter()
            .map(|r| RelationEntry {
                kind: r.get("type").and_then(Value::as_str).unwrap_or_default().to_owned(),
                event: record_id(&json!({"id": r.get("event").cloned().unwrap_or(Value::Null)})).unwrap_or_default(),
                note: r.get("note").and_then(Value::as_str).unwrap_or_default().to_owned(),
            })
            .collect();
        let citations = array("citations")
            .iter()
            .map(|c| {
                let range = c.get("range").and_then(Value::as_array);
                let at = |i: usize| range.and_then(|r| r.get(i)).and_then(Value::as_u64).unwrap_or(0);
                CitationEntry {
                    source: c.get("source").and_then(Value::as_str).unwrap_or_default().to_owned(),
                    quote: c.get("quote").and_then(Value::as_str).unwrap_or_default().to_owned(),
                    range: (usize::try_from(at(0)).unwrap_or(0), usize::try_from(at(1)).unwrap_or(0)),
                }
            })
            .collect();
        let actors = array("actors").iter().filter_map(Value::as_str).collect::<Vec<_>>().join("\n");
        Self {
            id: record_id(feature),
            title: text(p, "title"),
            summary: text(p, "summary"),
            category: text(p, "category"),
            date_entry,
            start,
            end: if date_entry.has_end() { end } else { String::new() },
            approximate: flag("approximate"),
            date_label: text(p, "date_label"),
            date_basis: text(p, "date_basis"),
            date_note: text(p, "date_note"),
            claim_status: text(p, "claim_status"),
            actors,
            place: text(p, "place"),
            location_precision: text(p, "location_precision"),
            relations,
            citations,
        }
    }

    /// Problems a person should fix before the event can load, each one sentence naming the field.
    /// `source_text` gives a source's text by id, to check that every quote stands at its range.
    pub fn problems<'a>(&self, draft: &Draft, source_text: impl Fn(&str) -> Option<&'a str>) -> Vec<String> {
        let mut problems = Vec::new();
        if self.title.trim().is_empty() {
            problems.push("Title: an event needs a title.".to_owned());
        }
        let date = |field: &str, value: &str, problems: &mut Vec<String>| {
            if let Err(error) = FuzzyDate::parse(value.trim()) {
                problems.push(format!("{field}: {value:?} is not a date ({error})."));
            }
        };
        let start_len = self.start.trim().len();
        let expected_len = match self.date_entry {
            DateEntry::Day => Some(10),
            DateEntry::Month => Some(7),
            DateEntry::Year => Some(4),
            DateEntry::Range | DateEntry::Undated => None,
        };
        date("Start", &self.start, &mut problems);
        if expected_len.is_some_and(|len| len != start_len) && problems.is_empty() {
            problems.push(format!("Start: a {} date is written {}.", self.date_entry.label(), self.date_entry.hint()));
        }
        if self.date_entry.has_end() {
            date("End", &self.end, &mut problems);
            if let (Ok(start), Ok(end)) = (FuzzyDate::parse(self.start.trim()), FuzzyDate::parse(self.end.trim()))
                && end.last_day() < start.first_day
            {
                problems.push("End: the end is before the start.".to_owned());
            }
        }
        let vocabulary = |field: &str, value: &str, known: bool, keys: &str, problems: &mut Vec<String>| {
            if !value.is_empty() && !known {
                problems.push(format!("{field}: {value:?} is not one of {keys}."));
            }
        };
        vocabulary(
            "Claim status",
            &self.claim_status,
            ClaimStatus::from_key(&self.claim_status).is_some(),
            &ClaimStatus::keys(),
            &mut problems,
        );
        vocabulary(
            "Date basis",
            &self.date_basis,
            DateBasis::from_key(&self.date_basis).is_some(),
            &DateBasis::keys(),
            &mut problems,
        );
        vocabulary(
            "Location precision",
            &self.location_precision,
            LocationPrecision::from_key(&self.location_precision).is_some(),
            &LocationPrecision::keys(),
            &mut problems,
        );
        if !self.place.is_empty() && !draft.contains(RecordKind::Place, &self.place) {
            problems.push(format!("Place: {:?} is not in the gazetteer.", self.place));
        }
        for relation in &self.relations {
            if RelationKind::from_key(&relation.kind).is_none() {
                problems.push(format!("Relation: {:?} is not one of {}.", relation.kind, RelationKind::keys()));
            }
            if !draft.contains(RecordKind::Event, &relation.event) {
                problems.push(format!("Relation: event {:?} is not in the dataset.", relation.event));
            }
            if self.id.as_deref() == Some(relation.event.as_str()) {
                problems.push("Relation: an event cannot relate to itself.".to_owned());
            }
        }
        if self.citations.is_empty() {
            problems.push("Citations: every event cites at least one passage of a source.".to_owned());
        }
        for citation in &self.citations {
            match source_text(&citation.source) {
                None => problems.push(format!("Citation: source {:?} has no text in this dataset.", citation.source)),
                Some(text) if quote_at(text, citation.range) != Some(citation.quote.as_str()) => problems.push(
                    format!("Citation: the quote is not the text of {:?} at {:?}.", citation.source, citation.range),
                ),
                Some(_) => {}
            }
        }
        problems
    }

    /// Writes the form into `base` (or a new feature), keeping every field the form does not
    /// show. The geometry follows the place when it has a point; otherwise it is kept.
    pub fn to_feature(&self, id: &str, base: Option<&Value>, draft: &Draft) -> Value {
        let mut feature = base.cloned().unwrap_or_else(|| json!({"type": "Feature", "geometry": null}));
        let Some(object) = feature.as_object_mut() else { return feature };
        object.insert("id".into(), Value::String(id.to_owned()));
        if let Some(geometry) = draft.get(RecordKind::Place, &self.place).and_then(|place| place.get("geometry")) {
            object.insert("geometry".into(), geometry.clone());
        }
        let properties = object.entry("properties").or_insert_with(|| json!({}));
        if !properties.is_object() {
            *properties = json!({});
        }
        let Some(p) = properties.as_object_mut() else { return feature };
        let mut set = |key: &str, value: Option<Value>| match value {
            Some(value) => {
                p.insert(key.to_owned(), value);
            }
            None => {
                p.remove(key);
            }
        };
        let string = |value: &str| (!value.trim().is_empty()).then(|| Value::String(value.trim().to_owned()));
        set("title", string(&self.title));
        set("summary", string(&self.summary));
        set("category", string(&self.category));
        set("start", string(&self.start));
        set("end", if self.date_entry.has_end() { string(&self.end) } else { None });
        set("undated", (self.date_entry == DateEntry::Undated).then_some(Value::Bool(true)));
        set("approximate", self.approximate.then_some(Value::Bool(true)));
        set("date_label", string(&self.date_label));
        set("date_basis", string(&self.date_basis));
        set("date_note", string(&self.date_note));
        set("claim_status", string(&self.claim_status));
        let actors: Vec<Value> =
            self.actors.lines().map(str::trim).filter(|a| !a.is_empty()).map(|a| Value::String(a.into())).collect();
        set("actors", (!actors.is_empty()).then_some(Value::Array(actors)));
        set("place", string(&self.place));
        set("location_precision", string(&self.location_precision));
        let relations: Vec<Value> = self.relations.iter().map(|r| relation_value(&r.kind, &r.event, &r.note)).collect();
        set("relations", (!relations.is_empty()).then_some(Value::Array(relations)));
        let citations: Vec<Value> = self
            .citations
            .iter()
            .map(|c| json!({"source": c.source, "quote": c.quote, "range": [c.range.0, c.range.1]}))
            .collect();
        set("citations", (!citations.is_empty()).then_some(Value::Array(citations)));
        feature
    }
}

/// The characters `range` of `text`, when it has them.
pub fn quote_at(text: &str, (start, end): (usize, usize)) -> Option<&str> {
    if end < start {
        return None;
    }
    let mut boundaries = text.char_indices().map(|(byte, _)| byte).chain(std::iter::once(text.len()));
    let first = boundaries.nth(start)?;
    let last = if end == start { first } else { boundaries.nth(end - start - 1)? };
    text.get(first..last)
}

/// A relation as `events.geojson` writes it; the note only when there is one.
fn relation_value(kind: &str, event: &str, note: &str) -> Value {
    let mut relation = Map::new();
    relation.insert("type".into(), Value::String(kind.to_owned()));
    relation.insert("event".into(), Value::String(event.to_owned()));
    if !note.trim().is_empty() {
        relation.insert("note".into(), Value::String(note.trim().to_owned()));
    }
    Value::Object(relation)
}

/// True for relation kinds that say the same thing from both sides: kept on both events.
pub fn is_symmetric(kind: &str) -> bool {
    matches!(RelationKind::from_key(kind), Some(RelationKind::SameIncident | RelationKind::Contradicts))
}

/// The changes to other events that keep symmetric relations on both sides once event `id`
/// has `relations`: the mirror added where missing, removed where no longer said.
pub fn mirrored_relations(draft: &Draft, id: &str, relations: &[RelationEntry]) -> Vec<Change> {
    let mut changes = Vec::new();
    for other in &draft.events {
        let Some(other_id) = record_id(other) else { continue };
        if other_id == id {
            continue;
        }
        let wanted: Vec<&RelationEntry> =
            relations.iter().filter(|r| r.event == other_id && is_symmetric(&r.kind)).collect();
        let existing: Vec<Value> =
            other.pointer("/properties/relations").and_then(Value::as_array).cloned().unwrap_or_default();
        let points_here = |r: &Value| r.get("event").and_then(Value::as_str) == Some(id);
        let kind_of = |r: &Value| r.get("type").and_then(Value::as_str).unwrap_or_default().to_owned();
        let mut kept: Vec<Value> = existing
            .iter()
            .filter(|r| !(points_here(r) && is_symmetric(&kind_of(r)) && !wanted.iter().any(|w| w.kind == kind_of(r))))
            .cloned()
            .collect();
        for relation in &wanted {
            if !kept.iter().any(|r| points_here(r) && kind_of(r) == relation.kind) {
                kept.push(relation_value(&relation.kind, id, &relation.note));
            }
        }
        if kept != existing {
            let mut after = other.clone();
            if let Some(p) = after.get_mut("properties").and_then(Value::as_object_mut) {
                if kept.is_empty() {
                    p.remove("relations");
                } else {
                    p.insert("relations".into(), Value::Array(kept));
                }
            }
            changes.push(draft.change(RecordKind::Event, &other_id, Some(after)));
        }
    }
    changes
}

#[cfg(test)]
#[path = "event_form_tests.rs"]
mod tests;
