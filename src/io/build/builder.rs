//! The one builder: [`RawRecord`]s from any reader become events. Dates are read with every form
//! Kronika knows (the file's day/month order found from its own dates), coordinates are checked,
//! lines and areas keep their shape with a representative point, categories are the file's own,
//! and every other field goes to the dataset's store. Each problem names the file, the record
//! (index, line, id) and the file's own field name; a record with an error is skipped, the rest load.
//! A large file's blocks may be built in parts on all cores and joined in file order
//! ([`Builder::part`], [`Builder::join`]), with the same result.

use std::borrow::Cow;
use std::path::Path;

use super::exported::ExportedFlags;
use super::place::build_place;
use super::span::{build_span, day_order};
use crate::io::formats::columns::title_from_text;
use crate::io::problem::{Location, Problem, ProblemKind, Severity};
use crate::io::records::{FieldNames, PlacePrecisionHint, RawFields, RawRecord, ReadRecords};
use crate::model::category::{CategoryId, CategoryInterner};
use crate::model::dataset::id_hash;
use crate::model::hash_sort::{repeats, sort_by_hash};
use crate::model::narrow_ids::retain_kept;
use crate::model::properties::{Properties, PropertiesBuilder, SpareColumns};
use crate::model::shared_text::{SharedText, SharedTextBuilder};
use crate::model::text::trimmed;
use crate::model::when::DayOrder;
use crate::model::{ClaimStatus, CompactString, Event, EventDetails, EventIdx, LocationPrecision};
use rayon::prelude::*;

/// Events made from records, with what they share.
#[derive(Debug, Default)]
pub struct BuiltEvents {
    /// The events, in record order.
    pub events: Vec<Event>,
    /// The categories as written (id `n` is key `n - 1`).
    pub category_keys: Vec<CompactString>,
    /// The other fields, in event order.
    pub properties: Properties,
    /// (hash of id, index) for every event, sorted, as [`crate::model::Dataset`] keeps it: found
    /// while checking for duplicate ids. `None` when duplicates were removed (or not built).
    pub id_index: Option<Vec<(u64, EventIdx)>>,
}

/// Makes events of `read`'s records, pushing its problems and the builder's.
pub fn build_events(file: &Path, read: ReadRecords, problems: &mut Vec<Problem>) -> BuiltEvents {
    let mut builder = Builder::new(file, &read.format, read.fields, day_order(&read.records));
    for record in read.records {
        builder.push(record);
    }
    builder.finish(read.problems, problems)
}

/// The field of the compact store that holds an imported event's summary.
pub const SUMMARY_FIELD: &str = "summary";
/// The field that holds an imported event's place name.
pub const PLACE_FIELD: &str = "place";

/// Records becoming events one by one: the whole file's, or (a part) those of one block of a large
/// file, built on a thread of its own and joined back in file order.
pub(super) struct Builder {
    file: std::path::PathBuf,
    record_word: &'static str,
    fields: FieldNames,
    order: Option<DayOrder>,
    categories: CategoryInterner,
    properties: PropertiesBuilder,
    events: Vec<Event>,
    /// Where each event's record was (not in a part), for a problem about its id: ids are
    /// checked all at once when the build finishes.
    origins: Vec<Origin>,
    /// The events (by position, ascending) whose id was made from their record's index, with the
    /// id as written (blank, or none).
    made_ids: Vec<(usize, Option<CompactString>)>,
    /// In a part: where each event's record was, to number it again when joined; `None` otherwise.
    part_records: Option<Vec<RecordOf>>,
    /// The events' long titles, as ranges of one text, given out when joined or finished.
    titles: SharedTextBuilder,
    pub(super) problems: Vec<Problem>,
}

/// What a joined part leaves: its vectors emptied, their memory (faulted in already) for a later
/// part ([`Builder::part`]).
#[derive(Default)]
pub(super) struct SparePart {
    events: Vec<Event>,
    records: Vec<RecordOf>,
    columns: SpareColumns,
    titles: SharedTextBuilder,
}

/// Where an event's record was in its file.
#[derive(Clone, Copy)]
struct Origin {
    index: usize,
    line: Option<usize>,
}

/// Where a part's record was, and what its event's id and title were made of: to number it
/// again, and to note its origin, when the part is joined.
struct RecordOf {
    index: usize,
    line: Option<usize>,
    written_id: WrittenId,
    /// Its event's title is its id (it has no title, summary or category): made from the index
    /// when the id is.
    title_is_id: bool,
    /// In a part whose categories are full: the record's category as written, so that it is
    /// looked up when joined (the build may know it from an earlier part).
    category_past_cap: Option<CompactString>,
}

/// A record's id as written.
enum WrittenId {
    /// The event's id.
    AsEvent,
    /// Not the event's id (which was made from the record's index): blank, or none.
    Other(Option<CompactString>),
}

impl RecordOf {
    fn of(record: &RawRecord<'_>, categories_full: bool) -> Self {
        let written_id = match record.id.as_deref() {
            Some(id) if !trimmed(id).is_empty() => WrittenId::AsEvent,
            other => WrittenId::Other(other.map(CompactString::from)),
        };
        let category_past_cap = record.category.as_deref().filter(|_| categories_full).map(CompactString::from);
        Self {
            index: record.index,
            line: record.line,
            written_id,
            title_is_id: titled_by_id(record),
            category_past_cap,
        }
    }
}

impl Builder {
    pub(super) fn new(file: &Path, format: &str, fields: FieldNames, order: Option<DayOrder>) -> Self {
        Self {
            file: file.to_path_buf(),
            record_word: record_word(format),
            fields,
            order,
            categories: CategoryInterner::default(),
            properties: PropertiesBuilder::default(),
            events: Vec::new(),
            origins: Vec::new(),
            made_ids: Vec::new(),
            part_records: None,
            problems: Vec::new(),
            titles: SharedTextBuilder::default(),
        }
    }

    /// An empty builder for a later block of the same file, to fill on another thread and give
    /// back to [`Self::join`]: the same fields, day order, categories and columns so far, with
    /// room for about `records` records, in the memory of a part joined before (`spare`) when
    /// there is one.
    pub(super) fn part(&self, records: usize, spare: SparePart) -> Self {
        let SparePart { mut events, records: mut part_records, columns, titles } = spare;
        events.reserve(records);
        part_records.reserve(records);
        Self {
            file: self.file.clone(),
            record_word: self.record_word,
            fields: self.fields.clone(),
            order: self.order,
            categories: CategoryInterner::from_keys(self.categories.keys()),
            properties: self.properties.empty_reusing(records, columns),
            events,
            origins: Vec::new(),
            made_ids: Vec::new(),
            part_records: Some(part_records),
            problems: Vec::new(),
            titles,
        }
    }

    pub(super) fn push<'a>(&mut self, record: RawRecord<'a>) -> RawFields<'a> {
        let categories_full = self.part_records.is_some() && self.categories.is_full();
        let of = RecordOf::of(&record, categories_full);
        let Some((mut event, fields, title)) =
            build_one(record, &self.fields, self.order, &self.file, &mut self.problems, &mut self.categories)
        else {
            return RawFields::new();
        };
        event.title = self.titles.hold(self.events.len(), &title);
        if let Some(records) = &mut self.part_records {
            records.push(of);
        } else {
            self.note_origin(of);
        }
        self.properties.next_event();
        for (name, value) in fields.named() {
            self.properties.set(name, value);
        }
        self.events.push(event);
        let mut spare = fields.properties;
        spare.clear();
        spare
    }

    /// Notes where the next event's record was.
    fn note_origin(&mut self, of: RecordOf) {
        if let WrittenId::Other(written) = of.written_id {
            self.made_ids.push((self.events.len(), written));
        }
        self.origins.push(Origin { index: of.index, line: of.line });
    }

    /// Takes a part's events after these (every record of the part comes after every record
    /// given so far): their categories and fields joined, their problems in record order — all
    /// as if the records had come here one by one. The part's records were numbered from
    /// `index_base` on as if from 0 (a reader that did not know how many records came before):
    /// their indexes, and the ids and titles made from them, are numbered again. Gives back the
    /// part's memory, for a later part.
    pub(super) fn join(&mut self, part: Self, index_base: usize) -> SparePart {
        let Self { categories, properties, mut events, part_records, mut problems, mut titles, .. } = part;
        titles.hand_out_to(&mut events, |event| &mut event.title);
        let mut records = part_records.unwrap_or_default();
        if index_base > 0 {
            for problem in &mut problems {
                problem.renumber(index_base);
            }
            for (event, of) in events.iter_mut().zip(&mut records) {
                of.index += index_base;
                if matches!(of.written_id, WrittenId::Other(_)) {
                    event.id = compact_str::format_compact!("#{}", of.index);
                    if of.title_is_id {
                        event.title = event.id.clone().into();
                    }
                }
            }
        }
        let remap: Vec<CategoryId> = categories.keys().iter().map(|key| self.categories.intern(Some(key))).collect();
        self.problems.extend(problems);
        self.events.reserve(events.len());
        self.origins.reserve(events.len());
        for (mut event, mut of) in events.drain(..).zip(records.drain(..)) {
            if let Some(&id) = usize::from(event.category.0).checked_sub(1).and_then(|at| remap.get(at)) {
                event.category = id;
            } else if let Some(key) = of.category_past_cap.take() {
                event.category = self.categories.intern(Some(&key));
            }
            self.note_origin(of);
            self.events.push(event);
        }
        let columns = self.properties.append_recycling(properties);
        SparePart { events, records, columns, titles }
    }

    /// The events, duplicate ids removed (the first keeps its id), with the reader's problems
    /// (`read_problems`) and then the builder's pushed to `problems`.
    pub(super) fn finish(mut self, read_problems: Vec<Problem>, problems: &mut Vec<Problem>) -> BuiltEvents {
        std::mem::take(&mut self.titles).hand_out_to(&mut self.events, |event| &mut event.title);
        let id_index = self.drop_duplicate_ids();
        let first_new = problems.len();
        problems.extend(read_problems);
        problems.append(&mut self.problems);
        for problem in problems.get_mut(first_new..).unwrap_or_default() {
            problem.location.record_word = self.record_word;
        }
        BuiltEvents {
            events: self.events,
            category_keys: self.categories.keys().to_vec(),
            properties: self.properties.finish(),
            id_index,
        }
    }

    /// Reports each event whose id an earlier one has, at its record, and drops it. All ids are
    /// hashed and sorted on every core, and only equal hashes compared: a map of a million ids,
    /// filled one by one, cost more. Gives the sorted hashes when nothing was dropped.
    fn drop_duplicate_ids(&mut self) -> Option<Vec<(u64, EventIdx)>> {
        let mut id_hashes: Vec<(u64, EventIdx)> = self
            .events
            .par_iter()
            .enumerate()
            .map(|(position, event)| (id_hash(&event.id), EventIdx::try_from(position).unwrap_or(EventIdx::MAX)))
            .collect();
        sort_by_hash(&mut id_hashes);
        let id_at = |position: EventIdx| self.events.get(position as usize).map(|event| event.id.as_str());
        let mut repeated = repeats(&id_hashes, |a, b| id_at(a) == id_at(b));
        if repeated.is_empty() {
            return Some(id_hashes);
        }
        repeated.sort_unstable();
        let mut keep = vec![true; self.events.len()];
        let mut found = Vec::with_capacity(repeated.len());
        for (position, first) in repeated {
            let (position, first) = (position as usize, first as usize);
            let (Some(event), Some(origin), Some(first_origin)) =
                (self.events.get(position), self.origins.get(position), self.origins.get(first))
            else {
                continue;
            };
            let written = match self.made_ids.binary_search_by_key(&position, |(made, _)| *made) {
                Ok(at) => self.made_ids.get(at).and_then(|(_, written)| written.as_ref().map(ToString::to_string)),
                Err(_) => Some(event.id.to_string()),
            };
            let location = Location {
                file: self.file.clone(),
                index: Some(origin.index),
                id: written,
                field: self.fields.id.clone(),
                line: origin.line,
                record_word: "",
            };
            let kind = ProblemKind::DuplicateId {
                id: event.id.to_string(),
                first_index: first_origin.index,
                record: self.record_word,
            };
            found.push(Problem::error(location, kind));
            if let Some(flag) = keep.get_mut(position) {
                *flag = false;
            }
        }
        retain_kept(&mut self.events, &keep);
        self.properties.retain_events(&keep);
        self.problems = merged_by_index(std::mem::take(&mut self.problems), found);
        None
    }
}

/// `problems` (in record order) with `found` (in record order) among them: each after every
/// problem of a record before or at its own.
fn merged_by_index(problems: Vec<Problem>, found: Vec<Problem>) -> Vec<Problem> {
    let mut merged = Vec::with_capacity(problems.len() + found.len());
    let mut found = found.into_iter().peekable();
    for problem in problems {
        while let Some(next) = found.next_if(|next| next.location.index < problem.location.index) {
            merged.push(next);
        }
        merged.push(problem);
    }
    merged.extend(found);
    merged
}

/// What a format calls its records, for problems: rows, placemarks, features.
fn record_word(format: &str) -> &'static str {
    if format.contains("CSV") || format.contains("TSV") {
        "row"
    } else if format.contains("KML") || format.contains("KMZ") {
        "placemark"
    } else {
        "feature"
    }
}

/// Whether a record has nothing to title its event by (no title, summary or category): its
/// event is then titled by its id.
fn titled_by_id(record: &RawRecord<'_>) -> bool {
    record.title.as_deref().is_none_or(|title| trimmed(title).is_empty())
        && record.summary.is_none()
        && record.category.is_none()
}

/// The field of the compact store that holds who reported an imported event.
const REPORTED_BY_FIELD: &str = "reported by";

/// A record's fields for the compact store: its summary, place and reporter (when given), then
/// every other field.
struct OtherFields<'a> {
    leading: [(&'static str, Option<Cow<'a, str>>); 3],
    properties: RawFields<'a>,
}

impl OtherFields<'_> {
    /// (name, value) of each, in order.
    fn named(&self) -> impl Iterator<Item = (&str, &str)> {
        let leading = self.leading.iter().filter_map(|(name, value)| Some((*name, value.as_deref()?)));
        leading.chain(self.properties.iter().map(|(name, value)| (name.as_ref(), value.as_ref())))
    }
}

/// One record: its event and its other fields, or `None` (with its problems) when it has an error.
fn build_one<'a>(
    mut record: RawRecord<'a>,
    names: &FieldNames,
    order: Option<DayOrder>,
    file: &Path,
    problems: &mut Vec<Problem>,
    categories: &mut CategoryInterner,
) -> Option<(Event, OtherFields<'a>, Cow<'a, str>)> {
    let errors_before = problems.len();
    // Made only for a problem: a million records need no path and id copied each.
    let at = || Location {
        file: file.to_path_buf(),
        index: Some(record.index),
        id: record.id.as_deref().map(str::to_owned),
        field: None,
        line: record.line,
        record_word: "",
    };
    // What Kronika's own CSV and KML exports write beside the dates and the place, read back as
    // what it says: a record exported as a disputed claim, or an approximate or undated one,
    // does not come back as a plain report of an exact day and place.
    let exported = ExportedFlags::take_from(&mut record.properties);
    let span = build_span(&record, names, order, &at, problems).map(|mut span| {
        span.qualifiers = span.qualifiers.with(crate::model::SpanQualifiers::UNDATED, exported.undated);
        span.approximate |= exported.approximate;
        span
    });
    let (lon_lat, shape) = build_place(&record.geometry, names, &at, problems);
    if problems.len() > errors_before && problems.iter().skip(errors_before).any(|p| p.severity == Severity::Error) {
        return None;
    }
    let span = span?;
    let untitled = titled_by_id(&record);
    let id = match record.id.as_deref().filter(|id| !trimmed(id).is_empty()) {
        Some(id) => CompactString::from(id),
        None => compact_str::format_compact!("#{}", record.index),
    };
    // The title's text, given the event by the caller (into the build's shared text).
    let title: Cow<'a, str> = if untitled {
        Cow::Owned(id.to_string())
    } else {
        let from_summary = |summary: &Cow<'a, str>| match summary {
            Cow::Borrowed(summary) => title_from_text(summary),
            Cow::Owned(summary) => Cow::Owned(title_from_text(summary).into_owned()),
        };
        (record.title.take().filter(|t| !trimmed(t).is_empty()))
            .or_else(|| record.summary.as_ref().map(from_summary))
            .or_else(|| record.category.clone())
            .unwrap_or_default()
    };
    let location_precision = match record.place_precision {
        _ if let Some(given) = exported.location_precision => given,
        Some(PlacePrecisionHint::Exact) => LocationPrecision::Settlement,
        Some(PlacePrecisionHint::Near) => LocationPrecision::Approximate,
        Some(PlacePrecisionHint::Region) => LocationPrecision::Region,
        None if shape.as_ref().is_some_and(|s| !s.areas.is_empty()) => LocationPrecision::Region,
        None => LocationPrecision::Exact,
    };
    // The summary and the place's name go to the compact store with the other fields (a
    // million ACLED notes would cost a box each); the dataset knows them by name.
    let given = |text: Option<Cow<'a, str>>| text.filter(|text| !trimmed(text).is_empty());
    let fields = OtherFields {
        leading: [
            (SUMMARY_FIELD, given(record.summary)),
            (PLACE_FIELD, given(record.place_name)),
            (REPORTED_BY_FIELD, given(record.reported_by)),
        ],
        properties: record.properties,
    };
    let mut event = Event::minimal(id, SharedText::default(), span, lon_lat);
    if let Some(shape) = shape {
        event = event.with_details(EventDetails { shape: Some(Box::new(shape)), ..EventDetails::default() });
    }
    event.location_precision = location_precision;
    event.claim_status = exported.claim_status.unwrap_or(ClaimStatus::Reported);
    event.category = categories.intern(record.category.as_deref());
    Some((event, fields, title))
}

#[cfg(test)]
mod tests;
