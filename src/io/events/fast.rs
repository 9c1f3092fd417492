//! A direct reader for the commonest feature of large files: a Point with plain string (or
//! number) properties, as conflict-event exports write them a million times over. It builds
//! exactly the raw feature serde would, about twice as fast, and declines (`None`) anything else,
//! which serde then reads: an escape in a string, a curated record's key, another type, a
//! duplicate key, invalid JSON. Numbers go through serde_json's own parser, so coordinates are bit
//! for bit the same.

use std::borrow::Cow;

use compact_str::CompactString;

use super::json_reader::{JsonReader, Literal};
use super::raw::{RawEventProperties, RawFeature, RawGeometry, RawId, Text};

/// A property of a curated Kronika record, read by serde's own readers (never here). (One
/// `match`, which tells most keys apart by their length, not fourteen comparisons a field.)
fn is_curated(key: &str) -> bool {
    matches!(
        key,
        "summary"
            | "date_label"
            | "date_basis"
            | "date_note"
            | "place"
            | "places"
            | "undated"
            | "ongoing"
            | "location_precision"
            | "actors"
            | "casualties"
            | "claim_status"
            | "relations"
            | "citations"
    )
}

/// The keys of another tool's fields met in one feature, to decline a key met twice: each key
/// marks one of 64 bits (by its length and its first and last bytes), and only a key whose bit is
/// marked already is compared with the keys before it (twenty fields a feature, compared each
/// with all before, were a tenth of reading them).
#[derive(Default)]
struct KeysMet(u64);

impl KeysMet {
    /// Marks `key`; false when it may have been met before.
    fn first_time(&mut self, key: &str) -> bool {
        let bytes = key.as_bytes();
        let (first, last) = (bytes.first().copied().unwrap_or(0), bytes.last().copied().unwrap_or(0));
        let bit = 1_u64 << ((bytes.len() * 7 + usize::from(first) + usize::from(last) * 3) % 64);
        let new = self.0 & bit == 0;
        self.0 |= bit;
        new
    }
}

/// A feature's type, matched whole.
const FEATURE: Literal<'static> = Literal::string("Feature");

/// A feature's keys as Kronika and most tools write them, in order.
const FEATURE_KEYS: &[Literal<'static>] =
    &[Literal::key("type"), Literal::key("id"), Literal::key("geometry"), Literal::key("properties")];

/// The properties every event has, as Kronika writes them, in order.
const PROPERTY_KEYS: &[Literal<'static>] = &[
    Literal::key("id"),
    Literal::key("title"),
    Literal::key("start"),
    Literal::key("end"),
    Literal::key("approximate"),
    Literal::key("category"),
];

/// Reads `raw`, one feature's JSON text, or declines.
pub(super) fn read(raw: &str) -> Option<RawFeature<'_>> {
    let mut reader = JsonReader::new(raw);
    let mut feature = RawFeature { kind: None, id: None, geometry: None, properties: None };
    let (mut seen_geometry, mut seen_properties) = (false, false);
    reader.object_expecting(FEATURE_KEYS, |reader, key| {
        match key {
            "type" if feature.kind.is_none() => {
                feature.kind = Some(Text(Cow::Borrowed(reader.string_expecting(&FEATURE)?)));
            }
            "id" if feature.id.is_none() => feature.id = Some(id(reader)?),
            "geometry" if !seen_geometry => {
                seen_geometry = true;
                feature.geometry = if reader.null() { None } else { Some(point(reader)?) };
            }
            "properties" if !seen_properties => {
                seen_properties = true;
                feature.properties = if reader.null() { None } else { Some(properties(reader)?) };
            }
            _ => return None,
        }
        Some(())
    })?;
    reader.at_end().then_some(feature)
}

/// A string id, or a non-negative integer one, as serde's id visitor would spell it.
fn id(reader: &mut JsonReader<'_>) -> Option<RawId> {
    reader.whitespace();
    if reader.peek()? == b'"' {
        return Some(RawId(CompactString::from(reader.string()?)));
    }
    let number = reader.number_text()?;
    // Digits only: u64's own spelling (no sign, fraction, exponent or leading zero).
    number.parse::<u64>().ok().filter(|n| n.to_string() == number).map(|_| RawId(CompactString::from(number)))
}

/// `{"type": "...", "coordinates": [numbers]}`, keys in any order.
fn point<'a>(reader: &mut JsonReader<'a>) -> Option<RawGeometry<'a>> {
    let (kind, coordinates) = reader.point_object()?;
    Some(RawGeometry { kind: Text(Cow::Borrowed(kind)), coordinates })
}

/// Properties with only the keys every event has, each a plain string (or `approximate`).
fn properties<'a>(reader: &mut JsonReader<'a>) -> Option<RawEventProperties<'a>> {
    let mut properties = RawEventProperties::default();
    let mut seen_approximate = false;
    let mut keys_met = KeysMet::default();
    reader.object_expecting(PROPERTY_KEYS, |reader, key| {
        let text = |reader: &mut JsonReader<'a>| Some(Text(Cow::Borrowed(reader.string()?)));
        match key {
            "id" if properties.id.is_none() => properties.id = Some(id(reader)?),
            "title" if properties.title.is_none() => properties.title = Some(text(reader)?),
            "start" if properties.start.is_none() => properties.start = Some(text(reader)?),
            "end" if properties.end.is_none() => properties.end = Some(text(reader)?),
            "category" if properties.category.is_none() => properties.category = Some(text(reader)?),
            "approximate" if !seen_approximate => {
                seen_approximate = true;
                properties.approximate = reader.boolean()?;
            }
            // One of those keys again, or a curated record's key: serde reads them (and says
            // which value counts).
            "id" | "title" | "start" | "end" | "category" | "approximate" => return None,
            key if is_curated(key) => return None,
            key => {
                // Another tool's field, a plain string or an integer (kept as the text serde
                // would give): to the dataset's field store. A key seen twice declines.
                let value = reader.plain_value()?;
                let extra = &mut properties.curated().extra;
                if !keys_met.first_time(key) && extra.iter().any(|(name, _)| name == key) {
                    return None;
                }
                if extra.is_empty() {
                    // Room for the fields of most exports at once: growing four times over
                    // (a million times) cost more than reading the fields.
                    extra.reserve(32);
                }
                extra.push((Cow::Borrowed(key), Cow::Borrowed(value)));
            }
        }
        Some(())
    })?;
    Some(properties)
}

#[cfg(test)]
mod tests;
