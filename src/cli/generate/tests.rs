//! The generators: deterministic, loading cleanly in every shape and format, and giving back
//! exactly what they wrote.

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
