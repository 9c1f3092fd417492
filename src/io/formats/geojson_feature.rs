//! One feature of another tool's GeoJSON, taken apart for a record: its id and properties as
//! shown, its geometry and its Linked Places `when`. Most features are read without a map of
//! values, their names and plain strings borrowed from the text (a million ACLED features spent
//! a third of their load in the allocator when every value was a `String` and every property
//! map a B-tree); any doubt sends a feature to the `Value` read, which explains what is wrong.

use std::borrow::Cow;
use std::marker::PhantomData;

use serde::de::{Deserialize, Deserializer, MapAccess, Visitor};
use serde_json::Value;
use serde_json::value::RawValue;

use super::columns::ColumnRole;
use crate::io::fields::{display_value, is_integer_as_written};
use crate::io::records::{RawGeometry, RawRecord};

/// A feature as read without a map of values: its properties' names and values borrowed from the
/// text. Only the members a feature has are accepted (any other fails the read); a property name
/// with escapes, a duplicate top-level member, or a value a `Value` would refuse (a number out of
/// range, a lone surrogate, nesting too deep: see [`FeatureParts::of_light`]) sends the feature to
/// the `Value` read, which explains what is wrong.
#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct LightFeature<'a> {
    #[serde(rename = "type", default)]
    _kind: Option<Value>,
    #[serde(rename = "bbox", default)]
    _bbox: Option<Value>,
    #[serde(borrow, default)]
    id: Option<&'a RawValue>,
    #[serde(borrow, default)]
    geometry: Option<&'a RawValue>,
    #[serde(borrow, default)]
    properties: Option<SortedMembers<'a>>,
    #[serde(default)]
    when: Option<Value>,
}

/// An object's members by name, in name order, the last of a repeated name kept: as serde_json's
/// `Map` keeps them (its `preserve_order` is off), without a tree of nodes per feature.
struct SortedMembers<'a>(Vec<(&'a str, &'a RawValue)>);

impl<'de: 'a, 'a> Deserialize<'de> for SortedMembers<'a> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Members<'a>(PhantomData<&'a ()>);
        impl<'de: 'a, 'a> Visitor<'de> for Members<'a> {
            type Value = SortedMembers<'a>;

            fn expecting(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                formatter.write_str("an object")
            }

            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
                let mut members: Vec<(&'a str, &'a RawValue)> = Vec::with_capacity(map.size_hint().unwrap_or(32));
                while let Some((name, value)) = map.next_entry::<&'de str, &'de RawValue>()? {
                    members.push((name, value));
                }
                // A stable sort: a repeated name's members stay in file order, and the last wins.
                members.sort_by(|a, b| a.0.cmp(b.0));
                let mut kept: Vec<(&'a str, &'a RawValue)> = Vec::with_capacity(members.len());
                for member in members {
                    match kept.last_mut() {
                        Some(last) if last.0 == member.0 => *last = member,
                        _ => kept.push(member),
                    }
                }
                Ok(SortedMembers(kept))
            }
        }
        deserializer.deserialize_map(Members(PhantomData))
    }
}

/// The commonest geometry, a Point of two numbers, read without a `Value`; anything else (other
/// members, an altitude) is read as one.
#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct LightPoint<'a> {
    #[serde(rename = "type", borrow)]
    kind: &'a str,
    coordinates: [f64; 2],
}

/// A member's value as [`display_value`] shows it (a string's text, borrowed when it has no
/// escapes; anything else as JSON, an integer or a boolean borrowed as written), or `None` when it
/// is null; `Err` when a `Value` would refuse it.
/// `levels`: how many objects enclose the value in its feature (the feature's own members: 1).
/// A string's text is trusted as serde read it (no control character): the direct reader gives
/// only other values here.
pub(super) fn shown(text: &str, levels: usize) -> Result<Option<Cow<'_, str>>, Refused> {
    match text {
        "null" => Ok(None),
        text if text == "true" || text == "false" || is_integer_as_written(text) => Ok(Some(text.into())),
        // A raw value is valid JSON (serde read it): a string without escapes is its text
        // between the quotes, with no control character in it.
        text if text.starts_with('"') && !text.contains('\\') => {
            text.strip_prefix('"').and_then(|text| text.strip_suffix('"')).map(|s| Some(s.into())).ok_or(Refused)
        }
        text if text.starts_with('"') => {
            serde_json::from_str::<String>(text).map(|s| Some(s.into())).map_err(|_| Refused)
        }
        text if nests_within(text, levels) => {
            serde_json::from_str::<Value>(text).map(|value| Some(display_value(&value).into())).map_err(|_| Refused)
        }
        _ => Err(Refused),
    }
}

/// A value a `Value` read of the whole feature would refuse.
pub(super) struct Refused;

/// The most levels of objects and arrays serde_json reads in one text (its recursion limit counts
/// 128 down and refuses at the 128th).
const MOST_LEVELS: usize = 127;

/// Whether `text`, a JSON value inside `levels` enclosing objects, is nested shallowly enough
/// for a `Value` read of the whole feature: read on its own, it would be allowed `levels` more.
pub(super) fn nests_within(text: &str, levels: usize) -> bool {
    let (mut depth, mut deepest, mut in_string, mut escaped) = (0_usize, 0_usize, false, false);
    for byte in text.bytes() {
        match (in_string, escaped, byte) {
            (true, true, _) => escaped = false,
            (true, false, b'\\') => escaped = true,
            (true, false, b'"') | (false, _, b'"') => in_string = !in_string,
            (false, _, b'[' | b'{') => {
                depth += 1;
                deepest = deepest.max(depth);
            }
            (false, _, b']' | b'}') => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    deepest + levels <= MOST_LEVELS
}

/// What a record is made of: the feature's id and properties as shown (`None`: null), the
/// properties by name in name order (as a JSON object's map gives them), its geometry and its
/// Linked Places `when`.
pub(super) struct FeatureParts<'a> {
    pub(super) id: Option<Cow<'a, str>>,
    pub(super) geometry: RawGeometry<'static>,
    pub(super) properties: Vec<(&'a str, Option<Cow<'a, str>>)>,
    pub(super) when: Option<&'a Value>,
}

impl<'a> FeatureParts<'a> {
    /// `None` when a value is one a `Value` would refuse.
    pub(super) fn of_light(feature: &'a LightFeature<'a>) -> Option<Self> {
        let properties = feature
            .properties
            .iter()
            .flat_map(|members| members.0.iter())
            .map(|&(name, value)| Some((name, shown(value.get(), 2).ok()?)))
            .collect::<Option<_>>()?;
        let id = match feature.id {
            Some(id) => shown(id.get(), 1).ok()?,
            None => None,
        };
        let geometry = match feature.geometry.map(RawValue::get) {
            None => RawGeometry::None,
            Some(text) if !nests_within(text, 1) => return None,
            // Only an object is a Point read light: serde would also read an array into it.
            Some(text) => {
                match text.starts_with('{').then(|| serde_json::from_str::<LightPoint>(text).ok()).flatten() {
                    Some(LightPoint { kind: "Point", coordinates }) => RawGeometry::Point(coordinates),
                    _ => geometry(&serde_json::from_str(text).ok()?),
                }
            }
        };
        Some(Self { id, geometry, properties, when: feature.when.as_ref() })
    }

    pub(super) fn of_value(feature: &'a Value) -> Self {
        let properties = feature.get("properties").and_then(Value::as_object);
        let properties = properties
            .iter()
            .flat_map(|map| map.iter())
            .map(|(name, value)| (name.as_str(), (!value.is_null()).then(|| display_value(value).into())));
        Self {
            id: feature.get("id").filter(|id| !id.is_null()).map(|id| display_value(id).into()),
            geometry: feature.get("geometry").map_or(RawGeometry::None, geometry),
            properties: {
                // In name order whatever the map's order (serde_json's `preserve_order` is off),
                // as the light read has them.
                let mut properties: Vec<_> = properties.collect();
                properties.sort_by(|a, b| a.0.cmp(b.0));
                properties
            },
            when: feature.get("when"),
        }
    }

    /// The property `name`, when it is not null (lent from the feature's text when it can be).
    pub(super) fn property(&self, name: &str) -> Option<Cow<'a, str>> {
        let at = self.properties.binary_search_by(|(key, _)| (*key).cmp(name)).ok()?;
        self.properties.get(at)?.1.clone()
    }
}

/// A feature's record but for its other properties: its id (else its id column's), each role's
/// column as `text` gives it, and the Linked Places `when`'s dates where no column gives them.
pub(super) fn record_of_roles<'a>(
    index: usize,
    id: Option<Cow<'a, str>>,
    geometry: RawGeometry<'a>,
    when: Option<&Value>,
    text: &dyn Fn(ColumnRole) -> Option<Cow<'a, str>>,
) -> RawRecord<'a> {
    let (when_start, when_end) = when.map(linked_places_when).unwrap_or_default();
    RawRecord {
        index,
        line: None,
        id: id.or_else(|| text(ColumnRole::Id)),
        title: text(ColumnRole::Title),
        start: text(ColumnRole::Start).or(when_start.map(Cow::Owned)),
        end: text(ColumnRole::End).or(when_end.map(Cow::Owned)),
        time: text(ColumnRole::Time),
        date_precision: None,
        geometry,
        place_precision: None,
        place_name: text(ColumnRole::Place),
        category: text(ColumnRole::Category),
        summary: text(ColumnRole::Summary),
        reported_by: text(ColumnRole::Source),
        properties: Vec::new(),
    }
}

/// A GeoJSON geometry as a raw one (`None` for a type GeoJSON does not have, or no coordinates).
pub(crate) fn geometry(value: &Value) -> RawGeometry<'static> {
    let pair = |v: &Value| -> Option<[f64; 2]> {
        let array = v.as_array()?;
        Some([array.first()?.as_f64()?, array.get(1)?.as_f64()?])
    };
    let line =
        |v: &Value| -> Vec<[f64; 2]> { v.as_array().map(|a| a.iter().filter_map(pair).collect()).unwrap_or_default() };
    let rings =
        |v: &Value| -> Vec<Vec<[f64; 2]>> { v.as_array().map(|a| a.iter().map(line).collect()).unwrap_or_default() };
    let coordinates = value.get("coordinates");
    match (value.get("type").and_then(Value::as_str), coordinates) {
        (Some("Point"), Some(c)) => pair(c).map_or(RawGeometry::None, RawGeometry::Point),
        (Some("LineString"), Some(c)) => RawGeometry::Line(line(c)),
        (Some("Polygon"), Some(c)) => RawGeometry::Polygon(rings(c)),
        (Some("MultiPoint"), Some(c)) => RawGeometry::Multi(
            c.as_array().map(|a| a.iter().filter_map(pair).map(RawGeometry::Point).collect()).unwrap_or_default(),
        ),
        (Some("MultiLineString"), Some(c)) => RawGeometry::Multi(
            c.as_array().map(|a| a.iter().map(|l| RawGeometry::Line(line(l))).collect()).unwrap_or_default(),
        ),
        (Some("MultiPolygon"), Some(c)) => RawGeometry::Multi(
            c.as_array().map(|a| a.iter().map(|p| RawGeometry::Polygon(rings(p))).collect()).unwrap_or_default(),
        ),
        (Some("GeometryCollection"), _) => RawGeometry::Multi(
            value
                .get("geometries")
                .and_then(Value::as_array)
                .map(|g| g.iter().map(geometry).collect())
                .unwrap_or_default(),
        ),
        _ => RawGeometry::None,
    }
}

/// The first timespan of a Linked Places `when`: its start and end (`in`, else the widest bound).
fn linked_places_when(when: &Value) -> (Option<String>, Option<String>) {
    let Some(span) = when.get("timespans").and_then(|t| t.get(0)) else {
        return (None, None);
    };
    let bound = |side: &str, widest: &str| {
        let value = span.get(side)?;
        let text = value.as_str().or_else(|| value.get("in")?.as_str()).or_else(|| value.get(widest)?.as_str())?;
        Some(text.to_owned())
    };
    (bound("start", "earliest"), bound("end", "latest"))
}
