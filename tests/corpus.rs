//! The malformed-file corpus (`tests/corpus/`: GeoJSON, CSV, KML, KMZ, datasets): every broken input gets a clear, located error
//! from `kronika check` (exit 1, never a panic or a signal), and the valid features beside it
//! still load. Expectations are listed here, one per file.

// Test helpers may unwrap: a panic is a test failure with its location.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

use std::path::{Path, PathBuf};
use std::process::Command;

use kronika::io::{ProblemKind, load, read_text};

fn corpus(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/corpus").join(name)
}

/// (file, what the message must say, how many valid events still load).
const EXPECTATIONS: &[(&str, &str, usize)] = &[
    ("empty.geojson", "the file is empty", 0),
    ("whitespace.geojson", "the file is empty", 0),
    ("garbage.bin", "not UTF-8", 0),
    ("truncated.geojson", "invalid JSON at line 3", 0),
    ("top-level-array.geojson", "the file is a JSON array", 0),
    ("features-null.geojson", "`features` must be an array", 0),
    ("coordinates-as-strings.geojson", "feature 1 (id \"bad\"), field `geometry.coordinates`", 1),
    ("properties-string.geojson", "feature 1 (id \"bad\"), field `properties`", 1),
    // JSON has no NaN: the whole file is not JSON, and says where.
    ("nan-coordinate.geojson", "invalid JSON at line 3", 0),
    ("huge-number.geojson", "feature 1 (id \"bad\"), field `geometry.coordinates[0]`: number out of range", 1),
    ("out-of-range-coordinate.geojson", "field `geometry.coordinates[1]`: latitude 142.9", 1),
    ("february-30.geojson", "invalid date \"2023-02-30\": day 30 does not exist in 2023-02", 1),
    ("month-13.geojson", "invalid date \"1999-13-40\": month 13 does not exist", 1),
    ("date-in-words.geojson", "invalid date \"last Tuesday\"", 1),
    ("end-before-start.geojson", "field `properties.end`: end 1999-01-08 is before start 1999-01-12", 1),
    ("missing-start.geojson", "field `properties.start`: required field is missing", 1),
    ("duplicate-ids.geojson", "duplicate id \"good\": feature 0 already uses it", 1),
    ("unknown-geometry.geojson", "geometry type \"Circle\" is not a GeoJSON geometry", 1),
    ("invalid-utf8.geojson", "not UTF-8 text (invalid byte at offset", 0),
    ("utf16.geojson", "it is UTF-16", 0),
    ("unclosed-quote.csv", "row 1: a quoted field in this row is never closed", 2),
    ("bad-coordinates.csv", "row 1 (id \"north\"), field `lat`: \"north\" is not a number of degrees", 1),
    ("windows-1252.csv", "it looks like Windows-1252 or Latin-1", 0),
    ("utf16.csv", "it is UTF-16", 0),
    ("no-kml-inside.kmz", "the KMZ archive holds no .kml document", 0),
    ("truncated.kml", "it is cut short", 1),
    ("dataset-unknown-references", "unknown place id \"pl-nowhere\"", 2),
    ("dataset-quote-not-in-source", "the quote is not verbatim in source \"src-a\"", 2),
    ("dataset-hash-mismatch", "sha256 mismatch", 1),
    ("dataset-path-escape", "leaves the dataset directory", 1),
];

#[test]
fn kronika_check_rejects_every_broken_file_with_a_located_message() {
    for (name, expected, _) in EXPECTATIONS {
        let path = corpus(name);
        let output = Command::new(env!("CARGO_BIN_EXE_kronika")).arg("check").arg(&path).output().unwrap();
        let text = String::from_utf8_lossy(&output.stdout);
        assert_eq!(output.status.code(), Some(1), "{name}: exit code (a signal shows as None)\n{text}");
        assert!(text.contains(expected), "{name}: expected {expected:?} in:\n{text}");
        assert!(
            text.contains(path.file_name().unwrap().to_str().unwrap()),
            "{name}: the message names the file\n{text}"
        );
    }
}

#[test]
fn the_valid_rest_still_loads() {
    for (name, _, valid) in EXPECTATIONS {
        let report = load(&corpus(name));
        assert!(report.error_count() >= 1, "{name}");
        assert_eq!(report.dataset.events.len(), *valid, "{name}: {:?}", report.problems);
    }
}

#[test]
fn unknown_references_are_each_named() {
    let report = load(&corpus("dataset-unknown-references"));
    let messages: Vec<String> = report.problems.iter().map(ToString::to_string).collect();
    for expected in
        ["unknown place id \"pl-nowhere\"", "unknown event id \"ev-missing\"", "unknown source id \"src-missing\""]
    {
        assert!(messages.iter().any(|m| m.contains(expected)), "{expected} in {messages:#?}");
    }
}

#[test]
fn a_file_over_the_size_limit_is_refused_before_it_is_read() {
    let problem = read_text(&corpus("duplicate-ids.geojson"), 100).unwrap_err();
    assert!(matches!(problem.kind, ProblemKind::TooLarge { limit_bytes: 100, .. }), "{problem}");
    assert!(problem.to_string().contains("it was not read"));
}

#[test]
fn two_hundred_thousand_levels_of_nesting_are_an_error_not_a_stack_overflow() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("deep.geojson");
    let depth = 200_000;
    std::fs::write(
        &path,
        format!(r#"{{"type":"FeatureCollection","features":[{}{}]}}"#, "[".repeat(depth), "]".repeat(depth)),
    )
    .unwrap();
    let output = Command::new(env!("CARGO_BIN_EXE_kronika")).arg("check").arg(&path).output().unwrap();
    assert_eq!(output.status.code(), Some(1));
    let text = String::from_utf8_lossy(&output.stdout);
    assert!(text.contains("feature 0: expected a GeoJSON Feature object, found an array"), "{text}");
}

#[test]
fn very_long_strings_load_and_are_kept_whole() {
    let title = "x".repeat(2_000_000);
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("long.geojson");
    let text = format!(
        r#"{{"type":"FeatureCollection","features":[{{"type":"Feature","id":"long","geometry":null,"properties":{{"title":"{title}","start":"1999"}}}}]}}"#
    );
    std::fs::write(&path, text).unwrap();
    let report = load(&path);
    assert_eq!(report.dataset.events[0].title.len(), 2_000_000);
}

#[test]
fn ragged_rows_load_with_a_warning_each() {
    let report = load(&corpus("ragged.csv"));
    assert_eq!(report.dataset.events.len(), 3);
    assert_eq!(report.error_count(), 0, "{:?}", report.problems);
    let messages: Vec<String> = report.problems.iter().map(ToString::to_string).collect();
    assert!(messages.iter().any(|m| m.contains("row 1 (id \"short\"): the row has 2 fields, the header 5")));
    assert!(messages.iter().any(|m| m.contains("row 2 (id \"long\"): the row has 7 fields")));
}

#[test]
fn entities_are_never_expanded_so_bombs_and_external_files_stay_words() {
    for name in ["xml-bomb.kml", "external-entity.kml"] {
        let report = load(&corpus(name));
        assert_eq!(report.dataset.events.len(), 2, "{name}: {:?}", report.problems);
        assert!(report.problems[0].to_string().contains("Kronika does not expand them"), "{name}");
        let titles: Vec<&str> = report.dataset.events.iter().map(|e| e.title.as_str()).collect();
        assert!(titles.contains(&"&lol9;") || titles.contains(&"&secret;"), "{name}: kept as written: {titles:?}");
        assert!(titles.iter().all(|t| t.len() < 100 && !t.contains("root:")), "{name}: {titles:?}");
    }
}
