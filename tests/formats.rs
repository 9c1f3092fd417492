//! The files people already have: ACLED exports (both date forms), TimeMap sheets, any CSV or
//! TSV, KML and KMZ, GeoJSON with any property names and Linked Places' `when`, several files at
//! once — each read into events with their dates and precision, places, categories and every
//! other field; `kronika check` says yes to each, and no (with locations) to broken ones.

// Test helpers may unwrap: a panic is a test failure with its location.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

use kronika::io::{LoadOptions, LoadReport, load, load_many};
use kronika::model::category::Scheme;
use kronika::model::{DatePrecision, Event, LocationPrecision};

fn sample(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/formats").join(name)
}

fn event<'a>(report: &'a LoadReport, id: &str) -> &'a Event {
    let idx = report.dataset.event_idx(id).unwrap_or_else(|| panic!("no event {id}"));
    report.dataset.event(idx).unwrap()
}

fn write(name: &str, content: &str) -> common::TempPath {
    let path = common::TempPath::named(name);
    std::fs::write(&*path, content).unwrap();
    path
}

#[test]
fn an_acled_export_keeps_precision_categories_and_every_column() {
    let report = load(&sample("acled-iso.csv"));
    assert_eq!(report.error_count(), 0, "{:#?}", report.problems);
    assert_eq!(report.format, "ACLED export (CSV)");
    assert_eq!(report.dataset.events.len(), 10);
    let protest = event(&report, "SRB4412");
    assert_eq!(protest.span.start.first_day.to_string(), "2023-09-24");
    assert!(protest.span.is_exact_day(), "time_precision 1 is the day");
    assert_eq!(report.dataset.categories.label(protest.category), "Protests");
    assert_eq!(report.dataset.categories.scheme(), Scheme::Ranked);
    let idx = report.dataset.event_idx("SRB4412").unwrap();
    assert_eq!(report.dataset.properties.get(idx, "sub_event_type"), Some("Peaceful protest"));
    assert!(report.dataset.properties.get(idx, "fatalities").is_some());
    assert!(report.dataset.summary(idx, protest).is_some_and(|s| s.starts_with("On 24 Septemb")));
    // time_precision 2: the week around the date, approximate.
    let week = event(&report, "SRB4419");
    assert!(week.span.approximate && week.span.length_days() == 7, "{:?}", week.span);
    // geo_precision: 1 is the town, 2 near it, 3 a region.
    assert!(report.dataset.events.iter().any(|e| e.location_precision == LocationPrecision::Region));
    assert!(report.dataset.events.iter().all(|e| e.lon_lat.is_some()));
}

#[test]
fn acled_dates_in_words_read_the_same() {
    let report = load(&sample("acled-words.csv"));
    assert_eq!(report.error_count(), 0, "{:#?}", report.problems);
    assert!(report.dataset.events.len() >= 5);
    assert!(report.dataset.events.iter().all(|e| e.span.start.first_day.to_string().len() == 10));
}

#[test]
fn a_timemap_sheet_reads_month_first_dates_and_times() {
    let report = load(&sample("timemap-events.csv"));
    assert_eq!(report.format, "TimeMap sheet (CSV)");
    let first = &report.dataset.events[0];
    assert_eq!(first.span.start.first_day.to_string(), "2023-09-24", "09/24/2023 is month first");
    assert_eq!(first.span.start.time.map(|t| t.to_string()).as_deref(), Some("11:30"));
    assert!(first.title.starts_with("Fictional sample: students gather"));
    // "protest" is also a word of Kronika's vocabulary, shown with its label.
    assert_eq!(report.dataset.categories.key(first.category), "protest");
}

#[test]
fn any_csv_is_read_by_its_column_names_and_can_be_told_which_is_which() {
    let path = write(
        "incidents.csv",
        "Title;Event_Date;Lat;Lng;Type;Note\nBridge closed;24/09/2023;42.89;20.87;Blockade;first\nShots;2023-09-25~;42.9;20.9;Shooting;second\n",
    );
    let report = load(&path);
    assert_eq!(report.error_count(), 0, "{:#?}", report.problems);
    assert_eq!(report.dataset.events.len(), 2);
    assert_eq!(report.dataset.events[0].span.start.first_day.to_string(), "2023-09-24");
    assert!(report.dataset.events[1].span.approximate, "EDTF ~ is approximate");
    assert_eq!(report.dataset.categories.label(report.dataset.events[0].category), "Blockade");
    // Told that "Note" is the title.
    let options = LoadOptions { columns: kronika::io::formats::columns::parse_overrides("title=Note").unwrap() };
    let report = kronika::io::load_with(&path, &options);
    assert_eq!(report.dataset.events[0].title, "first");
}

#[test]
fn kml_keeps_points_lines_areas_and_time_precision() {
    let report = load(&sample("google-earth.kml"));
    assert_eq!(report.error_count(), 0, "{:#?}", report.problems);
    assert_eq!(report.format, "KML");
    let events = &report.dataset.events;
    assert!(events.len() >= 6);
    let shaped = events.iter().filter(|e| e.details().shape.is_some()).count();
    assert!(shaped >= 2, "lines and areas keep their shape: {shaped}");
    for precision in [DatePrecision::Year, DatePrecision::Month, DatePrecision::Day] {
        assert!(events.iter().any(|e| e.span.start.precision == precision), "{precision:?}");
    }
    assert!(events.iter().any(|e| e.span.start != e.span.end), "a TimeSpan");
}

#[test]
fn geojson_with_other_property_names_and_linked_places_when() {
    let report = load(&sample("linked-places.geojson"));
    assert_eq!(report.error_count(), 0, "{:#?}", report.problems);
    assert!(!report.dataset.events.is_empty());
    let path = write(
        "other.geojson",
        r#"{"type":"FeatureCollection","features":[{"type":"Feature","geometry":{"type":"Polygon","coordinates":[[[20,42],[21,42],[21,43],[20,42]]]},"properties":{"name":"Region","event_date":"2023-09-24/2023-09-26","kind":"Area"}}]}"#,
    );
    let report = load(&path);
    assert_eq!(report.error_count(), 0, "{:#?}", report.problems);
    let area = &report.dataset.events[0];
    assert_eq!(area.span.length_days(), 3);
    assert!(area.details().shape.as_ref().is_some_and(|s| s.areas.len() == 1));
    assert!(area.lon_lat.is_some(), "a representative point");
}

#[test]
fn several_files_open_as_one_dataset_each_listed_as_a_source() {
    let report = load_many(&[sample("acled-iso.csv"), sample("google-earth.kml")], &LoadOptions::default());
    assert_eq!(report.error_count(), 0, "{:#?}", report.problems);
    assert_eq!(report.dataset.sources.len(), 2);
    assert!(report.dataset.events.len() >= 16);
    let last = u32::try_from(report.dataset.events.len() - 1).unwrap();
    assert_eq!(report.dataset.properties.get(last, "file"), Some("google-earth.kml"));
}

#[test]
fn broken_files_name_the_record_and_the_column() {
    let path =
        write("broken.csv", "id,date,lat,lon\na,2023-13-01,42.9,20.9\nb,2023-09-24,95,20.9\nc,2023-09-24,42.9,20.9\n");
    let report = load(&path);
    assert_eq!(report.dataset.events.len(), 1, "the valid row loads");
    let messages: Vec<String> = report.problems.iter().map(ToString::to_string).collect();
    assert!(
        messages.iter().any(|m| m.contains("row 0 (id \"a\")") && m.contains("field `date`") && m.contains("month 13")),
        "{messages:#?}"
    );
    assert!(messages.iter().any(|m| m.contains("(id \"b\")") && m.contains("field `lat`")), "{messages:#?}");
    let not_data = write("notes.pdf", "%PDF-1.7 binary");
    let message = load(&not_data).problems[0].to_string();
    assert!(message.contains("PDF") && message.contains("Kronika reads GeoJSON, CSV"), "{message}");
}

#[test]
fn a_thousand_rows_with_one_systematic_problem_give_a_count_not_a_thousand_lines() {
    let rows: String = (0..1000).fold(String::new(), |mut rows, i| {
        use std::fmt::Write as _;
        let _ = writeln!(rows, "r{i},not a date,42.9,20.9");
        rows
    });
    let report = load(&write("systematic.csv", &format!("id,date,lat,lon\n{rows}")));
    assert!(report.problems.len() <= 25, "{} problems", report.problems.len());
    assert!(report.problems.last().unwrap().to_string().contains("980 more like this"));
}

#[test]
fn kronika_check_says_yes_to_each_format_and_no_with_locations_to_broken_ones() {
    let check = |path: &Path| {
        let output = Command::new(env!("CARGO_BIN_EXE_kronika")).arg("check").arg(path).output().unwrap();
        (output.status.code(), String::from_utf8_lossy(&output.stdout).into_owned())
    };
    for name in ["acled-iso.csv", "acled-words.csv", "timemap-events.csv", "google-earth.kml", "linked-places.geojson"]
    {
        let (code, output) = check(&sample(name));
        assert_eq!(code, Some(0), "{name}: {output}");
    }
    let broken = write("broken.kml", "<kml><Document><Placemark><name>x</name><Point><coordinates>oops</coordinates>");
    let (code, output) = check(&broken);
    assert_eq!(code, Some(1), "{output}");
    assert!(output.contains("broken.kml"), "{output}");
}
