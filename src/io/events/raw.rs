//! The raw shapes of a GeoJSON feature as serde reads them: strings borrowed from the file where
//! they have no escapes, ids as strings or numbers, the first two coordinates without allocating,
//! and an event's properties read by hand. Turning them into events is [`super::feature`]'s job.

use std::borrow::Cow;

use compact_str::{CompactString, ToCompactString as _};
use serde::Deserialize;
use serde_json::value::RawValue;

use crate::io::fields::display_value;

/// The top level of a FeatureCollection; features are kept raw and parsed one at a time.
#[derive(Deserialize)]
pub(super) struct RawCollection<'a> {
    #[serde(rename = "type", borrow)]
    pub(super) kind: Option<Text<'a>>,
    #[serde(borrow)]
    pub(super) features: Option<Vec<&'a RawValue>>,
}

#[derive(Deserialize)]
pub(super) struct RawFeature<'a> {
    #[serde(rename = "type", borrow)]
    pub(super) kind: Option<Text<'a>>,
    pub(super) id: Option<RawId>,
    #[serde(borrow)]
    pub(super) geometry: Option<RawGeometry<'a>>,
    #[serde(borrow)]
    pub(super) properties: Option<RawEventProperties<'a>>,
}

/// A feature id: RFC 7946 allows strings and numbers. Read by a visitor, not `untagged`, which
/// would buffer every id before trying each form.
pub(super) struct RawId(pub(super) CompactString);

impl<'de> Deserialize<'de> for RawId {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct IdVisitor;
        impl serde::de::Visitor<'_> for IdVisitor {
            type Value = RawId;
            fn expecting(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                formatter.write_str("a string or a number")
            }
            fn visit_str<E: serde::de::Error>(self, id: &str) -> Result<RawId, E> {
                Ok(RawId(id.into()))
            }
            fn visit_u64<E: serde::de::Error>(self, id: u64) -> Result<RawId, E> {
                Ok(RawId(id.to_compact_string()))
            }
            fn visit_i64<E: serde::de::Error>(self, id: i64) -> Result<RawId, E> {
                Ok(RawId(id.to_compact_string()))
            }
            fn visit_f64<E: serde::de::Error>(self, id: f64) -> Result<RawId, E> {
                Ok(RawId(id.to_compact_string()))
            }
        }
        deserializer.deserialize_any(IdVisitor)
    }
}

impl RawId {
    pub(super) fn into_compact(self) -> CompactString {
        self.0
    }
}

#[derive(Deserialize)]
pub(super) struct RawGeometry<'a> {
    #[serde(rename = "type", borrow)]
    pub(super) kind: Text<'a>,
    pub(super) coordinates: Option<RawCoordinates>,
}

/// The first two numbers of a `coordinates` array, read without allocating; anything else in
/// it (nested arrays of other geometry types, strings) is noted, not kept.
#[derive(Default)]
pub(crate) struct RawCoordinates {
    pub(crate) numbers: [f64; 2],
    pub(crate) count: usize,
    pub(super) not_numbers: bool,
}

impl<'de> Deserialize<'de> for RawCoordinates {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        /// One element: a number, or something else (skipped).
        struct Element(Option<f64>);
        impl<'de> Deserialize<'de> for Element {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                struct ElementVisitor;
                impl<'de> serde::de::Visitor<'de> for ElementVisitor {
                    type Value = Element;
                    fn expecting(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                        formatter.write_str("a coordinate")
                    }
                    fn visit_f64<E: serde::de::Error>(self, v: f64) -> Result<Element, E> {
                        Ok(Element(Some(v)))
                    }
                    #[expect(clippy::cast_precision_loss, reason = "coordinates are small")]
                    fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<Element, E> {
                        Ok(Element(Some(v as f64)))
                    }
                    #[expect(clippy::cast_precision_loss, reason = "coordinates are small")]
                    fn visit_i64<E: serde::de::Error>(self, v: i64) -> Result<Element, E> {
                        Ok(Element(Some(v as f64)))
                    }
                    fn visit_str<E: serde::de::Error>(self, _: &str) -> Result<Element, E> {
                        Ok(Element(None))
                    }
                    fn visit_bool<E: serde::de::Error>(self, _: bool) -> Result<Element, E> {
                        Ok(Element(None))
                    }
                    fn visit_unit<E: serde::de::Error>(self) -> Result<Element, E> {
                        Ok(Element(None))
                    }
                    fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<Element, A::Error> {
                        while seq.next_element::<serde::de::IgnoredAny>()?.is_some() {}
                        Ok(Element(None))
                    }
                    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<Element, A::Error> {
                        while map.next_entry::<serde::de::IgnoredAny, serde::de::IgnoredAny>()?.is_some() {}
                        Ok(Element(None))
                    }
                }
                deserializer.deserialize_any(ElementVisitor)
            }
        }
        struct CoordinatesVisitor;
        impl<'de> serde::de::Visitor<'de> for CoordinatesVisitor {
            type Value = RawCoordinates;
            fn expecting(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                formatter.write_str("an array of coordinates")
            }
            fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<RawCoordinates, A::Error> {
                let mut coordinates = RawCoordinates::default();
                while let Some(Element(number)) = seq.next_element::<Element>()? {
                    match (number, coordinates.numbers.get_mut(coordinates.count)) {
                        (Some(value), Some(slot)) => *slot = value,
                        (Some(_), None) => {}
                        (None, _) => coordinates.not_numbers = true,
                    }
                    coordinates.count += 1;
                }
                Ok(coordinates)
            }
        }
        deserializer.deserialize_seq(CoordinatesVisitor)
    }
}

/// An event's properties. Read by hand rather than with `#[serde(flatten)]`, which would buffer
/// every property of every feature before sorting known from unknown ones (twice as slow on a
/// million events).
#[derive(Default)]
pub(super) struct RawEventProperties<'de> {
    pub(super) id: Option<RawId>,
    pub(super) title: Option<Text<'de>>,
    pub(super) start: Option<Text<'de>>,
    pub(super) end: Option<Text<'de>>,
    pub(super) approximate: bool,
    pub(super) category: Option<Text<'de>>,
    /// Boxed, and only when present: serde moves this struct several times per feature, and
    /// most features of large plain files have none of these.
    pub(super) curated: Option<Box<RawCuratedProperties<'de>>>,
}

/// The properties of a curated Kronika record beyond what every event has.
#[derive(Default)]
pub(super) struct RawCuratedProperties<'de> {
    pub(super) summary: Option<String>,
    pub(super) date_label: Option<String>,
    pub(super) date_basis: Option<Text<'de>>,
    pub(super) date_note: Option<String>,
    pub(super) place: Option<String>,
    /// Further places, beyond `place`.
    pub(super) places: Vec<String>,
    /// Mentioned without a date: `start`/`end` only bound it.
    pub(super) undated: bool,
    /// Not over as of `end`.
    pub(super) ongoing: bool,
    pub(super) location_precision: Option<Text<'de>>,
    pub(super) actors: Vec<String>,
    pub(super) casualties: Option<RawCasualties>,
    pub(super) claim_status: Option<Text<'de>>,
    pub(super) relations: Vec<RawRelation>,
    pub(super) citations: Vec<RawCitation>,
    /// Anything else (plain GeoJSON from other tools), kept as text to be shown: borrowed from
    /// the file when it is written plainly there, so twenty fields a feature cost no allocation.
    pub(super) extra: Vec<(Cow<'de, str>, Cow<'de, str>)>,
}

impl<'de> RawEventProperties<'de> {
    pub(super) fn curated(&mut self) -> &mut RawCuratedProperties<'de> {
        self.curated.get_or_insert_default()
    }
}

impl RawCuratedProperties<'_> {
    /// Whether it holds only other tools' fields: nothing that makes an event's details.
    pub(super) fn has_only_extra(&self) -> bool {
        matches!(
            self,
            Self {
                summary: None,
                date_label: None,
                date_basis: None,
                date_note: None,
                place: None,
                places,
                undated: false,
                ongoing: false,
                location_precision: None,
                actors,
                casualties: None,
                claim_status: None,
                relations,
                citations,
                extra: _,
            } if places.is_empty() && actors.is_empty() && relations.is_empty() && citations.is_empty()
        )
    }
}

impl<'de: 'a, 'a> Deserialize<'de> for RawEventProperties<'a> {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_map(PropertiesVisitor)
    }
}

struct PropertiesVisitor;

impl<'de> serde::de::Visitor<'de> for PropertiesVisitor {
    type Value = RawEventProperties<'de>;

    fn expecting(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        formatter.write_str("an object of event properties")
    }

    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut p = RawEventProperties::default();
        while let Some(key) = map.next_key::<Text<'de>>()? {
            match key.0.as_ref() {
                "id" => p.id = map.next_value()?,
                "title" => p.title = map.next_value()?,
                "start" => p.start = map.next_value()?,
                "end" => p.end = map.next_value()?,
                "approximate" => p.approximate = map.next_value::<Option<bool>>()?.unwrap_or(false),
                "category" => p.category = map.next_value()?,
                "summary" => p.curated().summary = map.next_value()?,
                "date_label" => p.curated().date_label = map.next_value()?,
                "date_basis" => p.curated().date_basis = map.next_value()?,
                "date_note" => p.curated().date_note = map.next_value()?,
                "place" => p.curated().place = map.next_value()?,
                "places" => p.curated().places = map.next_value::<Option<Vec<String>>>()?.unwrap_or_default(),
                "undated" => p.curated().undated = map.next_value::<Option<bool>>()?.unwrap_or(false),
                "ongoing" => p.curated().ongoing = map.next_value::<Option<bool>>()?.unwrap_or(false),
                "location_precision" => p.curated().location_precision = map.next_value()?,
                "actors" => p.curated().actors = map.next_value::<Option<Vec<String>>>()?.unwrap_or_default(),
                "casualties" => p.curated().casualties = map.next_value()?,
                "claim_status" => p.curated().claim_status = map.next_value()?,
                "relations" => {
                    p.curated().relations = map.next_value::<Option<Vec<RawRelation>>>()?.unwrap_or_default();
                }
                "citations" => {
                    p.curated().citations = map.next_value::<Option<Vec<RawCitation>>>()?.unwrap_or_default();
                }
                _ => {
                    let value: serde_json::Value = map.next_value()?;
                    p.curated().extra.push((key.0, Cow::Owned(display_value(&value))));
                }
            }
        }
        Ok(p)
    }
}

/// A string borrowed from the input when it has no escapes (property names, dates, vocabulary):
/// no allocation for what is only looked at.
#[derive(Debug, Default)]
pub(super) struct Text<'de>(pub(super) std::borrow::Cow<'de, str>);

impl std::ops::Deref for Text<'_> {
    type Target = str;
    fn deref(&self) -> &str {
        &self.0
    }
}

impl<'de: 'a, 'a> Deserialize<'de> for Text<'a> {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct TextVisitor;
        impl<'de> serde::de::Visitor<'de> for TextVisitor {
            type Value = Text<'de>;
            fn expecting(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                formatter.write_str("a string")
            }
            fn visit_borrowed_str<E: serde::de::Error>(self, text: &'de str) -> Result<Self::Value, E> {
                Ok(Text(std::borrow::Cow::Borrowed(text)))
            }
            fn visit_str<E: serde::de::Error>(self, text: &str) -> Result<Self::Value, E> {
                Ok(Text(std::borrow::Cow::Owned(text.to_owned())))
            }
        }
        deserializer.deserialize_str(TextVisitor)
    }
}

#[derive(Deserialize)]
pub(super) struct RawCasualties {
    pub(super) killed: Option<u32>,
    pub(super) wounded: Option<u32>,
    pub(super) detained: Option<u32>,
    pub(super) note: Option<String>,
}

#[derive(Deserialize)]
pub(super) struct RawRelation {
    #[serde(rename = "type")]
    pub(super) kind: String,
    pub(super) event: String,
    pub(super) note: Option<String>,
}

#[derive(Deserialize)]
pub(super) struct RawCitation {
    pub(super) source: String,
    pub(super) quote: String,
    pub(super) range: Option<[usize; 2]>,
}
