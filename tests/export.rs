//! Exports: the events that match, written as GeoJSON (read back with the same events and
//! fields), CSV and KML (read back by Kronika's own importers), from the app and from the command
//! line; a saved view opens like data.

// Test helpers may unwrap: a panic is a test failure with its location.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

mod common;

use std::path::PathBuf;
use std::process::Command as Process;

use common::{HarnessOptions, data_dir, harness_with, shipped_app, view};
use egui_kittest::kittest::Queryable as _;
use kronika::io::export::ExportFormat;
use kronika::io::load;
use kronika::model::EventFilter;
use kronika::ui::Command;
use kronika::ui::command::ExportScope;
use tempfile::TempDir;

/// A path named `name` in a fresh temp dir, removed when the dir drops.
fn temp(name: &str) -> (TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(name);
    (dir, path)
}

fn exported(format: ExportFormat, name: &str, filter: &str) -> (TempDir, PathBuf, Vec<String>) {
    let mut harness = harness_with(shipped_app(view()), HarnessOptions::default());
    harness.state_mut().apply(Command::SetFilter(EventFilter { text: filter.into(), ..EventFilter::default() }));
    harness.run();
    let (dir, path) = temp(name);
    harness.state_mut().apply(Command::Export { path: path.clone(), format, scope: ExportScope::Matching });
    harness.run();
    harness.get_by_label_contains("Exported ");
    let state = harness.state();
    // The events matching the filters at any date, the undated ones among them included.
    let undated = state.dataset().undated_events().iter().filter(|&&idx| {
        let event = state.dataset().event(idx).unwrap();
        let filter = &state.view().filter;
        filter.matches(idx, event, &filter.query(), state.dataset())
    });
    let mut ids: Vec<String> = state
        .filtered_index()
        .in_date_order()
        .iter()
        .chain(undated)
        .map(|&idx| state.dataset().event(idx).unwrap().id.to_string())
        .collect();
    ids.sort();
    (dir, path, ids)
}

#[test]
fn geojson_export_reads_back_with_the_same_events_and_fields() {
    let (_dir, path, ids) = exported(ExportFormat::Geojson, "banjska.geojson", "Banjska");
    assert!(ids.len() >= 3);
    let original = load(&data_dir());
    let reread = load(&path);
    assert_eq!(reread.error_count(), 0, "{:?}", reread.problems);
    let mut reread_ids: Vec<String> = reread.dataset.events.iter().map(|e| e.id.to_string()).collect();
    reread_ids.sort();
    assert_eq!(reread_ids, ids, "the same events");
    for event in &reread.dataset.events {
        let before = original.dataset.event(original.dataset.event_idx(&event.id).unwrap()).unwrap();
        assert_eq!(event.title, before.title);
        assert_eq!(event.span, before.span, "{}", event.id);
        assert_eq!(event.claim_status, before.claim_status);
        assert_eq!(event.lon_lat, before.lon_lat, "{}", event.id);
        assert_eq!(event.details().summary, before.details().summary);
        assert_eq!(event.details().relations, before.details().relations);
        let quotes = |e: &kronika::model::Event| e.citations().iter().map(|c| c.quote.clone()).collect::<Vec<_>>();
        assert_eq!(quotes(event), quotes(before));
    }
}

#[test]
fn csv_and_kml_exports_read_back_through_the_importers() {
    let (_dir, csv_path, ids) = exported(ExportFormat::Csv, "all.csv", "");
    let mut reader = csv::Reader::from_path(&csv_path).unwrap();
    let headers = reader.headers().unwrap().clone();
    for column in ["id", "start", "date_precision", "latitude", "longitude", "claim_status", "quotes"] {
        assert!(headers.iter().any(|h| h == column), "{column} in {headers:?}");
    }
    assert_eq!(reader.records().count(), ids.len());
    let reread = load(&csv_path);
    assert!(reread.dataset.events.len() >= ids.len() - 5, "{:?}", reread.problems.first());

    let (_dir, kml_path, ids) = exported(ExportFormat::Kml, "all.kml", "");
    let reread = load(&kml_path);
    assert_eq!(reread.format, "KML");
    assert_eq!(reread.error_count(), 0, "{:?}", reread.problems);
    assert_eq!(reread.dataset.events.len(), ids.len());
    let month = reread.dataset.events.iter().find(|e| e.span.start.precision == kronika::model::DatePrecision::Month);
    assert!(month.is_some(), "month precision survives KML");
}

/// What a record says of its own certainty comes back from Kronika's CSV and KML exports: its
/// claim status, its place's precision, and whether its dates are approximate or only bound it.
/// (Read back before as ordinary fields, a disputed claim returned as a plain report, an
/// approximate date as an exact one, a region as an exact point.)
#[test]
fn csv_and_kml_exports_keep_what_each_record_says_of_its_certainty() {
    let original = load(&data_dir());
    let events = &original.dataset.events;
    assert!(events.iter().any(|e| e.claim_status != kronika::model::ClaimStatus::Reported));
    assert!(events.iter().any(|e| e.span.approximate) && events.iter().any(|e| e.span.undated()));
    for (format, name) in [(ExportFormat::Csv, "all.csv"), (ExportFormat::Kml, "all.kml")] {
        let (_dir, path, ids) = exported(format, name, "");
        let reread = load(&path);
        assert_eq!(reread.error_count(), 0, "{name}: {:?}", reread.problems);
        assert_eq!(reread.dataset.events.len(), ids.len(), "{name}");
        for event in &reread.dataset.events {
            let before = original.dataset.event(original.dataset.event_idx(&event.id).unwrap()).unwrap();
            assert_eq!(event.claim_status, before.claim_status, "{name}: {}", event.id);
            assert_eq!(event.location_precision, before.location_precision, "{name}: {}", event.id);
            assert_eq!(event.span.approximate, before.span.approximate, "{name}: {}", event.id);
            assert_eq!(event.span.undated(), before.span.undated(), "{name}: {}", event.id);
        }
        // The flags became the event's own, not fields beside it.
        let fields: Vec<&str> = reread.dataset.properties.names().collect();
        for flag in ["claim_status", "location_precision", "approximate", "undated"] {
            assert!(!fields.contains(&flag), "{name}: {flag} in {fields:?}");
        }
    }
}

/// A field named as one of the CSV export's columns is not lost: a CSV export read back keeps its
/// quotes as a field, which fills the quotes column of the next export, and another tool's
/// `claim_status` that is not one of Kronika's gets a column of its own beside Kronika's.
#[test]
fn csv_fields_named_as_its_columns_are_kept() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("in.csv");
    let rows = "id,title,start,latitude,longitude,quotes,claim_status\n\
                a,A,1999-01-08,42.9,20.9,they said so,alleged\n\
                b,B,1999-01-09,42.9,20.9,,denial\n";
    std::fs::write(&input, rows).unwrap();
    let out = dir.path().join("out.csv");
    let output = Process::new(env!("CARGO_BIN_EXE_kronika"))
        .args(["export", input.to_str().unwrap(), "--format", "csv", "--out", out.to_str().unwrap()])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0), "{}", String::from_utf8_lossy(&output.stderr));
    let mut reader = csv::Reader::from_path(&out).unwrap();
    let headers = reader.headers().unwrap().clone();
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    let column = |name: &str| headers.iter().position(|h| h == name).unwrap_or_else(|| panic!("{name}: {headers:?}"));
    assert_eq!(&rows[0][column("quotes")], "they said so");
    assert_eq!(&rows[0][column("claim_status")], "reported");
    assert_eq!(&rows[0][column("claim_status (field)")], "alleged");
    assert_eq!(&rows[1][column("claim_status")], "denial", "Kronika's own value is the record's");
    assert_eq!(&rows[1][column("claim_status (field)")], "");
}

#[test]
fn kronika_export_on_the_command_line() {
    let (_dir, out) = temp("cli.geojson");
    let output = Process::new(env!("CARGO_BIN_EXE_kronika"))
        .args(["export", data_dir().to_str().unwrap(), "--format", "geojson", "--from", "2023-09-01", "--to"])
        .args(["2023-10-31", "--filter", "Banjska", "--out", out.to_str().unwrap()])
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&output.stdout);
    assert_eq!(output.status.code(), Some(0), "{text}{}", String::from_utf8_lossy(&output.stderr));
    assert!(text.starts_with("wrote "), "{text}");
    let reread = load(&out);
    assert!(!reread.dataset.events.is_empty());
    assert!(reread.dataset.events.iter().all(|e| e.span.overlaps(738_764, 738_824)), "within the dates");
}

#[test]
fn a_saved_view_opens_like_data() {
    let mut harness = harness_with(shipped_app(view()), HarnessOptions::default());
    let attack = harness.state().dataset().event_idx("ev-2023-09-24-banjska-attack-src004").unwrap();
    harness.state_mut().apply(Command::SelectAndReveal(attack));
    let (_dir, path) = temp("view.json");
    harness.state_mut().apply(Command::SaveView(path.clone()));
    harness.state_mut().apply(Command::Select(None));
    harness.state_mut().apply(Command::OpenPath(path));
    harness.run();
    assert_eq!(harness.state().selected(), Some(attack));
    assert_eq!(harness.state().dataset().events.len(), load(&data_dir()).dataset.events.len(), "the data stays");
}

#[test]
fn a_picture_of_the_window_is_saved_as_png() {
    let mut harness = harness_with(
        shipped_app(view()),
        HarnessOptions { wgpu: true, size: [800.0, 500.0], ..HarnessOptions::default() },
    );
    let (_dir, path) = temp("window.png");
    harness.state_mut().apply(Command::ExportPicture(path.clone()));
    for _ in 0..10 {
        harness.run();
        if harness.query_by_label_contains("Saved a picture").is_some() {
            break;
        }
    }
    harness.get_by_label_contains("Saved a picture of the window");
    let bytes = std::fs::read(&path).unwrap();
    assert!(bytes.starts_with(b"\x89PNG"), "a PNG");
}
