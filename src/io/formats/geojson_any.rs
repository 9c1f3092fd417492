//! GeoJSON from any tool, whatever its property names: columns are guessed from the properties'
//! names as for CSV (`event_date`, `lat`, `name`, `type` …) and can be given (`--columns`);
//! Points, LineStrings, Polygons and their Multi forms keep their shape; a Linked Places
//! (GeoJSON-T) `when` gives the dates when no property does.

use std::borrow::Cow;
use std::path::Path;

use serde_json::Value;
use serde_json::value::RawValue;

use super::columns::{ColumnMapping, ColumnRole, guess};
use super::geojson_direct::{FeatureSlots, read_direct};
pub(crate) use super::geojson_feature::geometry;
use super::geojson_feature::{FeatureParts, LightFeature, record_of_roles};
use crate::io::build::RecordSink;
use crate::io::problem::{Location, Problem, ProblemKind};
use crate::io::records::{FieldNames, RawRecord, ReadRecords};
use crate::io::text::{count_newlines, offset_in};

/// Properties looked at to guess the columns.
pub(super) const SAMPLED_FEATURES: usize = 200;

/// True when the collection's first feature names its properties as another tool does: no
/// Kronika `start`, but a date under another name (`event_date`, `date` …) or a Linked Places
/// `when`. Anything else is read by the Kronika reader, whose messages name Kronika's fields.
pub fn has_foreign_properties(text: &str) -> bool {
    match first_properties(text) {
        Some(properties) if properties.contains_key("start") => false,
        Some(properties) => {
            let keys: Vec<&str> = properties.keys().map(String::as_str).collect();
            guess(&keys).get(ColumnRole::Start).is_some() || text.contains("\"timespans\"")
        }
        None => text.contains("\"timespans\""),
    }
}

/// Whether the collection's first feature has Kronika's `start` (so the Kronika reader reads it):
/// told from the start of a file.
pub fn first_feature_names_start(text: &str) -> bool {
    first_properties(text).is_some_and(|properties| properties.contains_key("start"))
}

/// Whether the collection's first feature, found in the start of a file, names its properties
/// as another tool does (as [`has_foreign_properties`] would say of the whole file).
pub fn first_feature_is_foreign(text: &str) -> bool {
    first_properties(text).is_some_and(|properties| {
        let keys: Vec<&str> = properties.keys().map(String::as_str).collect();
        !properties.contains_key("start") && guess(&keys).get(ColumnRole::Start).is_some()
    })
}

/// The first feature's properties object, found without parsing the whole file.
fn first_properties(text: &str) -> Option<serde_json::Map<String, Value>> {
    let at = text.find("\"properties\"")?;
    let open = at + text.get(at..)?.find('{')?;
    let (mut depth, mut in_string, mut escaped) = (0_usize, false, false);
    for (offset, byte) in text.as_bytes().iter().enumerate().skip(open) {
        match (in_string, escaped, byte) {
            (true, true, _) => escaped = false,
            (true, false, b'\\') => escaped = true,
            (true, false, b'"') => in_string = false,
            (false, _, b'"') => in_string = true,
            (false, _, b'{') => depth += 1,
            (false, _, b'}') => {
                depth -= 1;
                if depth == 0 {
                    return serde_json::from_str(text.get(open..=offset)?).ok();
                }
            }
            _ => {}
        }
    }
    None
}

/// A collection with its features kept raw, each read on its own.
#[derive(serde::Deserialize)]
struct Collection<'a> {
    #[serde(rename = "type")]
    kind: String,
    #[serde(borrow)]
    features: Vec<&'a RawValue>,
}

/// Whether `text` is a FeatureCollection as [`read_geojson_any_into`] reads one (here, the
/// collection of a file read in blocks, its features emptied).
pub(super) fn is_feature_collection(text: &str) -> bool {
    serde_json::from_str::<Collection<'_>>(text).is_ok_and(|collection| collection.kind == "FeatureCollection")
}

/// Reads a FeatureCollection whose properties are named as its tool named them; `None` when the
/// text is not a FeatureCollection (the Kronika reader explains what it is instead).
pub fn read_geojson_any(file: &Path, text: &str, overrides: &[(ColumnRole, String)]) -> Option<ReadRecords> {
    let mut read = ReadRecords::default();
    read.problems = read_geojson_any_into(file, text, overrides, &mut read)?;
    Some(read)
}

/// As [`read_geojson_any`], sending each record to `sink` as it is read, one feature parsed at
/// a time (a million features are never all held as JSON values); returns the reader's problems.
pub fn read_geojson_any_into(
    file: &Path,
    text: &str,
    overrides: &[(ColumnRole, String)],
    sink: &mut dyn RecordSink,
) -> Option<Vec<Problem>> {
    let collection: Collection<'_> = serde_json::from_str(text).ok()?;
    if collection.kind != "FeatureCollection" {
        return None;
    }
    let mut problems = Vec::new();
    let sample = collection.features.iter().take(SAMPLED_FEATURES).filter_map(|raw| feature_value(raw.get()).ok());
    let names = property_names(sample);
    let Some(mapping) = begin(file, &names, overrides, sink, &mut problems) else { return Some(problems) };
    let mut slots = FeatureSlots::new(&mapping);
    // Each feature's line, counted on from the one before's.
    let (mut counted_to, mut line) = (0, 1);
    for (index, raw) in collection.features.iter().enumerate() {
        let starts_at = offset_in(text, raw.get()).unwrap_or(counted_to).max(counted_to);
        line += count_newlines(text.as_bytes().get(counted_to..starts_at).unwrap_or_default());
        counted_to = starts_at;
        // A feature that is not an object is reported; the rest still load.
        let _ = read_feature(file, (index, Some(line)), raw.get(), &mapping, &mut slots, sink, &mut problems);
    }
    Some(problems)
}

/// The property names of the first features, in the order they are first met.
pub(super) fn property_names(sample: impl Iterator<Item = Value>) -> Vec<String> {
    let mut names: Vec<String> = Vec::new();
    for feature in sample {
        if let Some(properties) = feature.get("properties").and_then(Value::as_object) {
            for key in properties.keys() {
                if !names.contains(key) {
                    names.push(key.clone());
                }
            }
        }
    }
    names
}

/// Decides the columns from the first features' property `names`, and tells `sink` what the file
/// is; `None` (with the problem pushed) when the overrides do not fit.
pub(super) fn begin(
    file: &Path,
    names: &[String],
    overrides: &[(ColumnRole, String)],
    sink: &mut dyn RecordSink,
    problems: &mut Vec<Problem>,
) -> Option<ColumnMapping> {
    let format = "GeoJSON (properties named by another tool)";
    let headers: Vec<&str> = names.iter().map(String::as_str).collect();
    let mut mapping = guess(&headers);
    if let Err(message) = mapping.apply(overrides, &headers) {
        sink.begin(format, &FieldNames::default());
        let at_file = Location { file: file.to_path_buf(), ..Location::default() };
        problems.push(Problem::error(at_file, ProblemKind::WrongShape(message)));
        return None;
    }
    let fields = FieldNames {
        id: mapping.get(ColumnRole::Id).map(str::to_owned).or_else(|| Some("id".into())),
        title: mapping.get(ColumnRole::Title).map(str::to_owned),
        start: mapping.get(ColumnRole::Start).map(str::to_owned).or_else(|| Some("when".into())),
        end: mapping.get(ColumnRole::End).map(str::to_owned),
        time: mapping.get(ColumnRole::Time).map(str::to_owned),
        lat: None,
        lon: None,
        geometry: Some("geometry".into()),
        category: mapping.get(ColumnRole::Category).map(str::to_owned),
    };
    sink.begin(format, &fields);
    Some(mapping)
}

/// Sends the feature at `index` (its raw text, starting on `line`) to `sink` as a record, or says
/// why it is not one; whether it was one.
pub(super) fn read_feature<'a>(
    file: &Path,
    (index, line): (usize, Option<usize>),
    raw: &'a str,
    mapping: &ColumnMapping,
    slots: &mut FeatureSlots<'a>,
    sink: &mut dyn RecordSink,
    problems: &mut Vec<Problem>,
) -> bool {
    if let Some(mut record) = read_direct(raw, index, slots) {
        record.line = line;
        slots.spare_properties = sink.record_reusing(record);
        return true;
    }
    // Declined by the direct reader: read without a map of values when it can be (a name met
    // twice), else as a `Value`, which explains what is wrong.
    if crate::io::fields::non_object_kind(raw).is_none()
        && let Ok(light) = serde_json::from_str::<LightFeature<'_>>(raw)
        && let Some(parts) = FeatureParts::of_light(&light)
    {
        sink.record(RawRecord { line, ..record(index, parts, mapping) });
        return true;
    }
    match feature_value(raw) {
        Ok(feature) => {
            sink.record(RawRecord { line, ..record(index, FeatureParts::of_value(&feature), mapping) });
            true
        }
        Err(why) => {
            let at = Location { file: file.to_path_buf(), index: Some(index), line, ..Location::default() };
            problems.push(Problem::error(at, ProblemKind::WrongShape(why)));
            false
        }
    }
}

/// One feature's JSON as a value, or why it is not a Feature object.
pub(super) fn feature_value(raw: &str) -> Result<Value, String> {
    if let Some(found) = crate::io::fields::non_object_kind(raw) {
        return Err(format!("expected a GeoJSON Feature object, found {found}"));
    }
    serde_json::from_str(raw).map_err(|error| format!("the feature is not valid JSON: {error}"))
}

pub(super) fn record<'a>(index: usize, mut feature: FeatureParts<'a>, mapping: &ColumnMapping) -> RawRecord<'a> {
    let geometry = std::mem::take(&mut feature.geometry);
    let text = |role: ColumnRole| -> Option<Cow<'a, str>> { feature.property(mapping.get(role)?) };
    let mut record = record_of_roles(index, feature.id.clone(), geometry, feature.when, &text);
    // The id's column is another field when the feature has an id of its own, which the event
    // takes (as the direct reader keeps it).
    let read_by_role = |role: ColumnRole| role != ColumnRole::Id || feature.id.is_none();
    let used: Vec<&str> =
        ColumnRole::ALL.into_iter().filter(|&role| read_by_role(role)).filter_map(|role| mapping.get(role)).collect();
    record.properties = feature
        .properties
        .into_iter()
        .filter(|(key, _)| !used.contains(key))
        .filter_map(|(key, value)| Some((Cow::Borrowed(key), value?)))
        .collect();
    record
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::io::records::RawGeometry;

    #[test]
    fn foreign_property_names_are_guessed_and_shapes_kept() {
        let text = r#"{"type":"FeatureCollection","features":[
            {"type":"Feature","geometry":{"type":"LineString","coordinates":[[20.5,42.9],[21.0,43.1]]},
             "properties":{"name":"Front line","event_date":"24 September 2023","type":"Front","fatalities":3}},
            {"type":"Feature","id":7,"geometry":{"type":"Point","coordinates":[20.9,42.9]},
             "properties":{"name":"B"},"when":{"timespans":[{"start":{"in":"1998-07"},"end":{"latest":"1999-01"}}]}}]}"#;
        let read = read_geojson_any(Path::new("any.geojson"), text, &[]).unwrap();
        assert!(read.problems.is_empty(), "{:?}", read.problems);
        let first = &read.records[0];
        assert_eq!(first.title.as_deref(), Some("Front line"));
        assert_eq!(first.start.as_deref(), Some("24 September 2023"));
        assert_eq!(first.category.as_deref(), Some("Front"));
        assert!(matches!(first.geometry, RawGeometry::Line(ref l) if l.len() == 2));
        assert_eq!(first.properties, [("fatalities".into(), "3".into())]);
        let second = &read.records[1];
        assert_eq!(second.id.as_deref(), Some("7"));
        assert_eq!((second.start.as_deref(), second.end.as_deref()), (Some("1998-07"), Some("1999-01")));
        assert!(!has_foreign_properties(r#"{"features":[{"properties":{"start":"1999"}}]}"#));
        assert!(!has_foreign_properties(r#"{"features":[{"properties":{"title":"no date at all"}}]}"#));
        assert!(has_foreign_properties(text));
    }

    /// Values nested near serde_json's limit: read light only when a `Value` read of the whole
    /// feature reads them too, and then the same.
    #[test]
    fn values_nested_near_the_limit_are_read_light_only_as_a_value_reads_them() {
        for levels in 120..=130 {
            let nested = format!("{}1{}", "[".repeat(levels), "]".repeat(levels));
            for raw in [
                format!(r#"{{"type":"Feature","properties":{{"date":"1999","deep":{nested}}}}}"#),
                format!(r#"{{"type":"Feature","geometry":{nested},"properties":{{"date":"1999"}}}}"#),
                format!(r#"{{"type":"Feature","id":{nested},"properties":{{"date":"1999"}}}}"#),
                format!(r#"{{"type":"Feature","geometry":{{"type":"Point","coordinates":{nested}}}}}"#),
            ] {
                let value = feature_value(&raw);
                // The range crosses the limit: read at first, refused at last.
                assert!(levels > 120 || value.is_ok(), "{raw:.80}");
                assert!(levels < 130 || value.is_err(), "{raw:.80}");
                let light = serde_json::from_str::<LightFeature<'_>>(&raw).ok();
                let Some(parts) = light.as_ref().and_then(FeatureParts::of_light) else { continue };
                let value = value.unwrap_or_else(|why| panic!("read light, refused as a Value ({why}): {raw:.80}"));
                let full = FeatureParts::of_value(&value);
                let names: Vec<&str> = full.properties.iter().map(|(name, _)| *name).collect();
                let mapping = guess(&names);
                assert_eq!(record(0, parts, &mapping), record(0, full, &mapping), "{raw:.80}");
            }
        }
    }

    #[test]
    fn a_feature_read_without_a_map_is_the_record_a_value_gives() {
        let features = [
            r#"{"type":"Feature","id":17,"geometry":{"type":"Point","coordinates":[20.9,42.9]},
                "properties":{"event_date":"2023-09-24","notes":"a \"quoted\" note\nБањска","fatalities":3,
                "lat":42.90,"big":12345678901234567890,"exp":1e3,"zero":0,"minus":-0,"n":-42,"e18":999999999999999999,"no":false,"none":null,"flag":true,"list":[1, 2],
                "nested":{"b":1, "a":[]},"type":"Armed clash","type":"Battles"}}"#,
            r#"{"type":"Feature","id":null,"geometry":null,"properties":{"date":"1999","name":"x"},
                "when":{"timespans":[{"start":{"in":"1998-07"}}]}}"#,
            r#"{"type":"Feature","id":"a\u0041","properties":null}"#,
            r#"{"type":"Feature","geometry":{"type":"LineString","coordinates":[[20,42],[21,43]]}}"#,
            r#"{"type":"Feature","geometry":{"coordinates":[20,42],"type":"Point"},"properties":{"a":1}}"#,
            r#"{"type":"Feature","geometry":{"type":"Point","coordinates":[20.5,42.5,300]}}"#,
            r#"{"type":"Feature","geometry":{"type":"point","coordinates":[20.5,42.5]}}"#,
            r#"{"type":"Feature","geometry":{"type":"MultiPoint","coordinates":[[20,42]],"bbox":[20,42,20,42]}}"#,
            r#"{"type":"Feature","geometry":["Point",[20.9,42.9]],"properties":{"date":"1999"}}"#,
        ];
        for raw in features {
            let value: Value = serde_json::from_str(raw).unwrap();
            let light: LightFeature<'_> = serde_json::from_str(raw).unwrap();
            let full = FeatureParts::of_value(&value);
            let names: Vec<&str> = full.properties.iter().map(|(name, _)| *name).collect();
            let mapping = guess(&names);
            let expected = record(4, full, &mapping);
            assert_eq!(record(4, FeatureParts::of_light(&light).unwrap(), &mapping), expected, "{raw}");
        }
        // Not read light, so that the Value read explains: a name with an escape, a member a
        // feature does not have, and values a Value refuses.
        assert!(serde_json::from_str::<LightFeature<'_>>(r#"{"properties":{"a\"b":1}}"#).is_err());
        assert!(serde_json::from_str::<LightFeature<'_>>(r#"{"bbox":[1],"extra":[1e999]}"#).is_err());
        let deep = format!(r#"{{"properties":{{"a":{}1{}}}}}"#, "[".repeat(200), "]".repeat(200));
        let refused = [
            r#"{"geometry":{"type":"Point","coordinates":[1e400,2]}}"#,
            r#"{"properties":{"a":1e400}}"#,
            r#"{"properties":{"a":"\ud800"}}"#,
            r#"{"id":"\ud800"}"#,
        ];
        for refused in refused.into_iter().chain([deep.as_str()]) {
            let light: LightFeature<'_> = serde_json::from_str(refused).unwrap();
            assert!(FeatureParts::of_light(&light).is_none(), "{refused}");
            assert!(feature_value(refused).is_err(), "{refused}");
        }
    }
}
