//! The generators: deterministic, loading cleanly in every shape and format, and giving back
//! exactly what they wrote.

use std::collections::{BTreeMap, BTreeSet};

use super::*;
use crate::io::LoadOptions;

fn generated(spec: GenSpec) -> Vec<u8> {
    let mut bytes = Vec::new();
    write_generated(spec, &mut bytes).unwrap();
    bytes
}

fn spec(shape: GenShape, format: GenFormat) -> GenSpec {
    GenSpec { events: 400, seed: 7, shape, format, spread: GenSpread::Continent }
}

#[test]
fn generated_file_is_deterministic_and_loads_cleanly() {
    let mut first = Vec::new();
    write_synthetic(500, 7, &mut first).unwrap();
    let mut second = Vec::new();
    write_synthetic(500, 7, &mut second).unwrap();
    assert_eq!(first, second);
    let text = String::from_utf8(first).unwrap();
    let mut problems = Vec::new();
    let events = crate::io::parse_events(
        std::path::Path::new("synthetic.geojson"),
        &text,
        crate::io::EventFileMode::Plain,
        &mut problems,
    );
    assert_eq!(problems, []);
    assert_eq!(events.len(), 500);
    assert!(events.iter().any(|e| e.span.start != e.span.end), "some spans");
    assert!(events.iter().any(|e| e.span.start.precision == crate::model::DatePrecision::Month));
    assert!(events.iter().any(|e| e.span.start.precision == crate::model::DatePrecision::Year));
}

#[test]
fn every_shape_and_format_loads_without_a_problem_and_keeps_every_field() {
    let folder = tempfile::tempdir().unwrap();
    for shape in [GenShape::Plain, GenShape::Wide, GenShape::Acled] {
        for format in [GenFormat::Geojson, GenFormat::Csv] {
            let extension = if format == GenFormat::Csv { "csv" } else { "geojson" };
            let path = folder.path().join(format!("{shape:?}.{extension}"));
            std::fs::write(&path, generated(spec(shape, format))).unwrap();
            let report = crate::io::load_with(&path, &LoadOptions::default());
            assert_eq!(report.dataset.events.len(), 400, "{shape:?} {format:?}: {:?}", report.problems);
            assert_eq!(report.error_count(), 0, "{shape:?} {format:?}: {:?}", report.problems);
            let fields: Vec<&str> = report.dataset.properties.names().collect();
            match shape {
                GenShape::Wide => {
                    assert!(fields.contains(&"analyst_note") && fields.contains(&"duration_h"), "{fields:?}");
                }
                GenShape::Acled => {
                    assert!(fields.contains(&"fatalities") && fields.contains(&"actor1"), "{fields:?}");
                }
                GenShape::Plain => {}
            }
        }
    }
}

#[test]
fn acled_rows_look_like_acled() {
    let text = String::from_utf8(generated(spec(GenShape::Acled, GenFormat::Csv))).unwrap();
    let mut reader = ::csv::Reader::from_reader(text.as_bytes());
    let headers = reader.headers().unwrap().clone();
    assert_eq!(headers.len(), 31);
    let rows: Vec<::csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    let column = |name: &str| headers.iter().position(|h| h == name).unwrap();
    let notes = column("notes");
    assert!(rows.iter().all(|row| (80..=400).contains(&row[notes].len())), "notes of 80–400 characters");
    let precisions: Vec<&str> = rows.iter().map(|row| &row[column("time_precision")]).collect();
    for code in ["1", "2", "3"] {
        assert!(precisions.contains(&code), "time_precision {code}");
    }
    let sub_events: std::collections::BTreeSet<&str> = rows.iter().map(|row| &row[column("sub_event_type")]).collect();
    assert!(sub_events.len() >= 15, "{sub_events:?}");
    let (year, _) = rows::month_of(NaiveDate::from_ymd_opt(2023, 9, 24).unwrap());
    assert_eq!(year, 2023);
}

/// Each generated record's fields, as the file writes them: (name, text) in file order.
fn fields_written(bytes: &[u8], format: GenFormat) -> Vec<Vec<(String, String)>> {
    if format == GenFormat::Csv {
        let mut reader = ::csv::Reader::from_reader(bytes);
        let headers: Vec<String> = reader.headers().unwrap().iter().map(str::to_owned).collect();
        return reader
            .records()
            .map(|row| headers.iter().cloned().zip(row.unwrap().iter().map(str::to_owned)).collect())
            .collect();
    }
    let collection: serde_json::Value = serde_json::from_slice(bytes).unwrap();
    let features = collection["features"].as_array().unwrap();
    features
        .iter()
        .map(|feature| {
            let properties = feature["properties"].as_object().unwrap();
            let shown = |value: &serde_json::Value| value.as_str().map_or_else(|| value.to_string(), str::to_owned);
            properties.iter().map(|(name, value)| (name.clone(), shown(value))).collect()
        })
        .collect()
}

/// The field a record's field goes to in the store under another name: the summary, the place
/// and the reporter, read by their roles.
fn stored_as(name: &str) -> Option<&'static str> {
    match name {
        "notes" => Some(crate::io::build::SUMMARY_FIELD),
        "location" => Some(crate::io::build::PLACE_FIELD),
        "source" | "url" => Some("reported by"),
        _ => None,
    }
}

/// The fields an event itself holds (its id, title, dates, category, coordinates), not the store.
fn held_by_the_event(name: &str) -> bool {
    let event_fields = ["id", "title", "start", "end", "category", "latitude", "longitude"];
    event_fields.contains(&name) || ["event_id_cnty", "event_date", "event_type"].contains(&name)
}

/// Every field of every generated record (2,000 of each shape that has other fields, in each
/// format) comes back exactly, from the compact store or the event, and the store says nothing
/// the file did not.
#[test]
fn generated_fields_come_back_exactly_from_a_compact_store() {
    let folder = tempfile::tempdir().unwrap();
    for shape in [GenShape::Wide, GenShape::Acled] {
        for format in [GenFormat::Geojson, GenFormat::Csv] {
            let bytes = generated(GenSpec { events: 2000, ..spec(shape, format) });
            let extension = if format == GenFormat::Csv { "csv" } else { "geojson" };
            let path = folder.path().join(format!("{shape:?}.{extension}"));
            std::fs::write(&path, &bytes).unwrap();
            let report = crate::io::load_with(&path, &LoadOptions::default());
            let (store, events) = (&report.dataset.properties, &report.dataset.events);
            let written = fields_written(&bytes, format);
            assert_eq!(events.len(), written.len(), "{shape:?} {format:?}");
            let mut distinct: BTreeMap<&str, BTreeSet<&str>> = BTreeMap::new();
            for (at, fields) in written.iter().enumerate() {
                let idx = crate::model::EventIdx::try_from(at).unwrap();
                let said = |name: &str, value: &str| {
                    fields.iter().any(|(field, text)| {
                        let text = text.trim();
                        (text == value && (field == name || stored_as(field) == Some(name)))
                            // ACLED's preset names the place with its admin area: "Town (Area)".
                            || (name == crate::io::build::PLACE_FIELD && field == "location" && value.starts_with(text))
                    })
                };
                // Every field the file gave, where the store or the event keeps it.
                for (name, value) in fields.iter().map(|(name, value)| (name.as_str(), value.trim())) {
                    if value.is_empty() {
                        continue;
                    }
                    let stored = store.get(idx, name) == Some(value)
                        || stored_as(name).is_some_and(|other| store.get(idx, other) == Some(value));
                    // An id the event does not take is a field like any other.
                    let id_kept = !matches!(name, "id" | "event_id_cnty") || events[at].id == value;
                    assert!(stored || (held_by_the_event(name) && id_kept), "{shape:?} {format:?} #{at} {name}");
                    if stored {
                        distinct.entry(name).or_default().insert(value);
                    }
                }
                // And nothing the file did not say.
                for (name, value) in store.of(idx) {
                    assert!(said(name, value), "{shape:?} {format:?} #{at}: {name} = {value:?}");
                }
            }
            // Its size: each distinct value's text once (in buffers that grow by doubling), its
            // end, and a narrow id an event a column; nothing more per event (a map or a string
            // a value would be several times over).
            let text: usize = distinct.values().flatten().map(|value| value.len()).sum();
            let values: usize = distinct.values().map(BTreeSet::len).sum();
            let most = 2 * text + 8 * values + 4 * store.len() * events.len() + 4096;
            assert!(store.bytes() <= most, "{shape:?} {format:?}: {} bytes, at most {most}", store.bytes());
        }
    }
}
