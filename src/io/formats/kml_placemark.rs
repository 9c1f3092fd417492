//! A KML placemark while it is read, and the record it becomes: its own time or its containers',
//! its category from ExtendedData or else its folder, its place from `<address>` or ExtendedData.
//! Keeps every value as the file wrote it (trimmed); checking them is the builder's job.

use std::borrow::Cow;

use super::kml_geometry::GeometryBuilder;
use super::kml_text::{one_line, plain_from_description};
use crate::io::records::RawRecord;

/// ExtendedData fields that name a placemark's category, the first found in this order.
const CATEGORY_FIELDS: &[&str] = &["category", "type", "event_type", "class"];
/// ExtendedData fields that name a placemark's place, when it has no `<address>`.
const PLACE_FIELDS: &[&str] = &["location", "place"];

/// Elements whose text is read.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Field {
    /// A feature's `<name>`.
    Name,
    /// `<description>`, often HTML.
    Description,
    /// `<address>`.
    Address,
    /// `TimeStamp/when`.
    When,
    /// `TimeSpan/begin`.
    Begin,
    /// `TimeSpan/end`.
    End,
    /// `Data/displayName`.
    DisplayName,
    /// `Data/value`.
    Value,
    /// `SchemaData/SimpleData`.
    SimpleData,
    /// A geometry's `<coordinates>`.
    Coordinates,
}

/// A feature's time as written: `TimeStamp/when` is a start; `TimeSpan` a start, an end or both.
#[derive(Clone, Debug, Default)]
pub(super) struct Time {
    /// `when` or `begin`.
    pub(super) start: Option<String>,
    /// `end`.
    pub(super) end: Option<String>,
}

impl Time {
    /// Whether it says anything: an empty `<TimeStamp/>` does not hide its folder's time.
    fn is_given(&self) -> bool {
        self.start.is_some() || self.end.is_some()
    }
}

/// An open `Document` or `Folder`.
#[derive(Debug)]
pub(super) struct Container {
    /// A `Folder` (whose name may become a category), not a `Document`.
    pub(super) is_folder: bool,
    /// Its `<name>`, once read.
    pub(super) name: Option<String>,
    /// Its time, which the placemarks in it inherit.
    pub(super) time: Option<Time>,
}

/// An open `<Data>`.
#[derive(Debug, Default)]
struct DataField {
    name: Option<String>,
    display_name: Option<String>,
    value: String,
}

/// The placemark being read.
#[derive(Debug, Default)]
pub(super) struct Draft {
    /// What is known of the record so far.
    pub(super) record: RawRecord<'static>,
    /// Its own time, once a `TimeStamp` or `TimeSpan` starts.
    pub(super) time: Option<Time>,
    /// Its geometry so far.
    pub(super) geometry: GeometryBuilder,
    /// Whether an element it does not read was already reported.
    pub(super) warned_unsupported: bool,
    address: Option<String>,
    data: Option<DataField>,
    simple_data_name: Option<String>,
}

impl Draft {
    /// A placemark starts: the `index`-th of its file, at `line`, with its `id` attribute.
    pub(super) fn new(index: usize, line: usize, id: Option<String>) -> Self {
        Self {
            record: RawRecord { index, line: Some(line), id: id.map(Cow::Owned), ..RawRecord::default() },
            ..Self::default()
        }
    }

    /// A `<Data>` starts, with its `name` attribute.
    pub(super) fn start_data(&mut self, name: Option<String>) {
        self.data = Some(DataField { name, ..DataField::default() });
    }

    /// A `<SimpleData>` starts, with its `name` attribute.
    pub(super) fn start_simple_data(&mut self, name: Option<String>) {
        self.simple_data_name = name;
    }

    /// The text of one of the placemark's own fields (not time, not coordinates), now complete.
    pub(super) fn set_text(&mut self, field: Field, text: &str) {
        match field {
            Field::Name => self.record.title = non_empty(one_line(text)).map(Cow::Owned),
            Field::Description => self.record.summary = non_empty(plain_from_description(text)).map(Cow::Owned),
            Field::Address => self.address = non_empty(one_line(text)),
            Field::DisplayName => {
                if let Some(data) = &mut self.data {
                    data.display_name = non_empty(one_line(text));
                }
            }
            Field::Value => {
                if let Some(data) = &mut self.data {
                    text.trim().clone_into(&mut data.value);
                }
            }
            Field::SimpleData => {
                if let Some(name) = self.simple_data_name.take() {
                    self.record.properties.push((name.into(), text.trim().to_owned().into()));
                }
            }
            Field::When | Field::Begin | Field::End | Field::Coordinates => {}
        }
    }

    /// A `<Data>` ends: its value becomes a property named by its `name`, else its
    /// `displayName`. `false` when it has neither, and was dropped.
    pub(super) fn end_data(&mut self) -> bool {
        let Some(data) = self.data.take() else { return true };
        let Some(name) = data.name.or(data.display_name) else { return false };
        self.record.properties.push((name.into(), data.value.into()));
        true
    }

    /// The record, with what it inherits from `containers` (outermost first).
    pub(super) fn finish(self, containers: &[Container]) -> RawRecord<'static> {
        let Self { mut record, time, geometry, address, .. } = self;
        record.geometry = geometry.finish();
        // A time on a container is inherited by the features in it (OGC 07-147r2 §9.6).
        let inherited = || containers.iter().rev().find_map(|c| c.time.clone().filter(Time::is_given));
        if let Some(time) = time.filter(Time::is_given).or_else(inherited) {
            record.start = time.start.map(Cow::Owned);
            record.end = time.end.map(Cow::Owned);
        }
        // Folders become categories when nothing better is there.
        record.category = take_property(&mut record.properties, CATEGORY_FIELDS)
            .or_else(|| containers.iter().rev().filter(|c| c.is_folder).find_map(|c| c.name.clone()))
            .map(Cow::Owned);
        record.place_name = address.or_else(|| take_property(&mut record.properties, PLACE_FIELDS)).map(Cow::Owned);
        record
    }
}

/// `text`, unless it is only whitespace.
pub(super) fn non_empty(text: String) -> Option<String> {
    (!text.trim().is_empty()).then_some(text)
}

/// Removes and returns the first non-empty property named (in any letter case) one of `names`,
/// in the order of `names`.
fn take_property(properties: &mut Vec<(Cow<'_, str>, Cow<'_, str>)>, names: &[&str]) -> Option<String> {
    let at = names.iter().find_map(|wanted| {
        properties.iter().position(|(name, value)| name.eq_ignore_ascii_case(wanted) && !value.trim().is_empty())
    })?;
    (at < properties.len()).then(|| one_line(&properties.remove(at).1))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn properties<'a>(pairs: &[(&'a str, &'a str)]) -> Vec<(Cow<'a, str>, Cow<'a, str>)> {
        pairs.iter().map(|(n, v)| ((*n).into(), (*v).into())).collect()
    }

    #[test]
    fn the_category_field_wins_in_its_order_and_is_kept_once() {
        let mut found = properties(&[("Class", "c"), ("TYPE", "t"), ("category", " "), ("x", "1")]);
        assert_eq!(take_property(&mut found, CATEGORY_FIELDS).as_deref(), Some("t"));
        assert_eq!(found, properties(&[("Class", "c"), ("category", " "), ("x", "1")]));
        assert_eq!(take_property(&mut properties(&[("x", "1")]), CATEGORY_FIELDS), None);
    }

    #[test]
    fn a_placemark_inherits_time_and_folder() {
        let containers = [
            Container { is_folder: false, name: Some("doc".into()), time: None },
            Container {
                is_folder: true,
                name: Some("outer".into()),
                time: Some(Time { start: Some("2020".into()), end: None }),
            },
            Container { is_folder: true, name: None, time: None },
        ];
        let record = Draft::new(3, 7, Some("p".into())).finish(&containers);
        assert_eq!((record.index, record.line, record.id.as_deref()), (3, Some(7), Some("p")));
        assert_eq!((record.start.as_deref(), record.end), (Some("2020"), None));
        assert_eq!(record.category.as_deref(), Some("outer"));
        let mut own = Draft::new(0, 1, None);
        own.time = Some(Time { start: None, end: None });
        own.start_data(None);
        own.set_text(Field::DisplayName, " Place ");
        own.set_text(Field::Value, " Mostar ");
        assert!(own.end_data());
        own.start_data(None);
        assert!(!own.end_data(), "a nameless Data is dropped");
        let record = own.finish(&containers);
        assert_eq!(record.start.as_deref(), Some("2020"), "an empty TimeStamp hides nothing");
        assert_eq!(record.place_name.as_deref(), Some("Mostar"));
        assert!(record.properties.is_empty());
        let mut own = Draft::new(0, 1, None);
        own.time = Some(Time { start: None, end: Some("2019".into()) });
        let record = own.finish(&containers);
        assert_eq!((record.start, record.end.as_deref()), (None, Some("2019")), "its own time wins");
    }
}
