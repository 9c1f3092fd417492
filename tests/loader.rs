//! The loader's contract: every kind of bad input gives a located problem, and the rest loads.

// Test helpers may unwrap: a panic is a test failure with its location.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

use std::path::{Path, PathBuf};

use kronika::io::{ProblemKind, Severity, load};
use tempfile::TempDir;

/// Writes `content` to a file named `name` in a fresh temp dir, removed when the dir drops.
fn write_temp(name: &str, content: &[u8]) -> (TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(name);
    std::fs::write(&path, content).unwrap();
    (dir, path)
}

fn feature(id: &str, coordinates: &str, properties: &str) -> String {
    format!(
        r#"{{"type":"Feature","id":"{id}","geometry":{{"type":"Point","coordinates":{coordinates}}},"properties":{properties}}}"#
    )
}

fn collection(features: &[String]) -> String {
    format!(r#"{{"type":"FeatureCollection","features":[{}]}}"#, features.join(",\n"))
}

/// Loads a plain GeoJSON file made of the given features.
fn load_features(name: &str, features: &[String]) -> kronika::io::LoadReport {
    let (_dir, path) = write_temp(name, collection(features).as_bytes());
    load(&path)
}

fn good(id: &str) -> String {
    feature(id, "[20.9, 42.9]", r#"{"title":"ok","start":"1999-01-08"}"#)
}

#[test]
fn plain_geojson_from_another_tool_loads() {
    let report = load_features("plain.geojson", &[
        feature("a", "[20.9, 42.9]", r#"{"title":"A","start":"1999-01-08"}"#),
        r#"{"type":"Feature","geometry":{"type":"Point","coordinates":[21.0,42.5]},"properties":{"start":"2023-09","end":"2023-10","category":"Battles","fatalities":3}}"#.to_owned(),
        feature("c", "[20.9, 42.9]", r#"{"id":"c","title":"C","start":"2023-09-24T05:30:00Z"}"#),
    ]);
    assert_eq!(report.error_count(), 0, "{:?}", report.problems);
    assert_eq!(report.dataset.events.len(), 3);
    let second = &report.dataset.events[1];
    assert_eq!(second.id, "#1", "a feature without id gets its index");
    assert_eq!(second.title, "#1");
    // Another tool's category is the data's own, kept and shown as written; other fields too.
    assert_eq!(report.dataset.categories.label(second.category), "Battles");
    assert_eq!(report.dataset.properties.get(1, "fatalities"), Some("3"));
    assert_eq!(report.warning_count(), 0);
}

#[test]
fn impossible_date_is_located() {
    let report = load_features(
        "bad-date.geojson",
        &[good("a"), feature("b", "[20.9, 42.9]", r#"{"title":"B","start":"1999-13-40"}"#), good("c")],
    );
    assert_eq!(report.dataset.events.len(), 2, "the good features still load");
    let problem = &report.problems[0];
    assert_eq!(problem.severity, Severity::Error);
    assert_eq!(problem.location.index, Some(1));
    assert_eq!(problem.location.id.as_deref(), Some("b"));
    assert_eq!(problem.location.field.as_deref(), Some("properties.start"));
    assert_eq!(problem.location.line, Some(2));
    assert!(matches!(&problem.kind, ProblemKind::BadDate { value, .. } if value == "1999-13-40"));
    assert!(problem.to_string().contains("month 13 does not exist"), "{problem}");
}

#[test]
fn february_thirtieth_is_not_a_date() {
    let report =
        load_features("feb30.geojson", &[feature("a", "[20.9, 42.9]", r#"{"title":"A","start":"2023-02-30"}"#)]);
    assert!(matches!(&report.problems[0].kind, ProblemKind::BadDate { .. }));
    assert!(report.dataset.events.is_empty());
}

#[test]
fn missing_start_is_located() {
    let report = load_features("no-start.geojson", &[feature("a", "[20.9, 42.9]", r#"{"title":"A"}"#)]);
    assert_eq!(report.problems[0].kind, ProblemKind::Missing);
    assert_eq!(report.problems[0].location.field.as_deref(), Some("properties.start"));
}

#[test]
fn end_before_start_is_located() {
    let report = load_features(
        "reversed.geojson",
        &[feature("a", "[20.9, 42.9]", r#"{"title":"A","start":"1999-01-12","end":"1999-01-08"}"#)],
    );
    assert!(matches!(report.problems[0].kind, ProblemKind::EndBeforeStart(_)));
    assert_eq!(report.problems[0].location.field.as_deref(), Some("properties.end"));
}

#[test]
fn out_of_range_and_non_numeric_coordinates_are_located() {
    let report = load_features(
        "coords.geojson",
        &[
            feature("lat", "[20.9, 142.9]", r#"{"title":"A","start":"1999"}"#),
            feature("lon", "[-200, 42]", r#"{"title":"B","start":"1999"}"#),
            feature("text", r#"["20.9", "42.9"]"#, r#"{"title":"C","start":"1999"}"#),
            feature("huge", "[1e400, 42]", r#"{"title":"D","start":"1999"}"#),
            feature("short", "[20.9]", r#"{"title":"E","start":"1999"}"#),
            good("fine"),
        ],
    );
    assert_eq!(report.dataset.events.len(), 1);
    let fields: Vec<_> =
        report.problems.iter().map(|p| (p.location.id.clone().unwrap(), p.location.field.clone().unwrap())).collect();
    assert_eq!(
        fields,
        [
            ("lat".to_owned(), "geometry.coordinates[1]".to_owned()),
            ("lon".to_owned(), "geometry.coordinates[0]".to_owned()),
            ("text".to_owned(), "geometry.coordinates".to_owned()),
            ("huge".to_owned(), "geometry.coordinates[0]".to_owned()),
            ("short".to_owned(), "geometry.coordinates[1]".to_owned()),
        ]
    );
    // 1e400 is not an f64: the JSON number itself is refused, where it stands.
    assert!(report.problems[3].to_string().contains("number out of range"), "{}", report.problems[3]);
    for (i, problem) in report.problems.iter().enumerate().filter(|(i, _)| *i != 3) {
        assert!(matches!(problem.kind, ProblemKind::BadCoordinate(_)), "{i}: {problem}");
    }
}

#[test]
fn wrong_types_name_the_field() {
    let report = load_features(
        "types.geojson",
        &[
            feature("a", "[20.9, 42.9]", r#""just a string""#),
            feature("b", "[20.9, 42.9]", r#"{"title": 5, "start": "1999"}"#),
            good("c"),
        ],
    );
    assert_eq!(report.dataset.events.len(), 1);
    assert_eq!(report.problems[0].location.field.as_deref(), Some("properties"));
    assert_eq!(report.problems[1].location.field.as_deref(), Some("properties.title"));
    assert_eq!(report.problems[1].location.id.as_deref(), Some("b"));
    assert!(matches!(report.problems[1].kind, ProblemKind::WrongShape(_)));
}

#[test]
fn duplicate_ids_keep_the_first() {
    let report = load_features("dupes.geojson", &[good("a"), good("a")]);
    assert_eq!(report.dataset.events.len(), 1);
    assert_eq!(report.problems[0].kind, ProblemKind::DuplicateId { id: "a".into(), first_index: 0, record: "feature" });
    assert_eq!(report.problems[0].location.index, Some(1));
}

#[test]
fn truncated_json_reports_line_and_column() {
    let text = collection(&[good("a"), good("b")]);
    let (_dir, path) = write_temp("truncated.geojson", &text.as_bytes()[..text.len() - 30]);
    let report = load(&path);
    assert!(report.dataset.events.is_empty());
    assert!(matches!(report.problems[0].kind, ProblemKind::Syntax { line: 2, .. }), "{:?}", report.problems[0]);
}

/// The fast feature splitter only finds braces; bad JSON inside a feature must still be reported
/// as the whole file's syntax error, where it is, as serde's full parse reports it.
#[test]
fn bad_json_inside_a_feature_is_a_located_syntax_error() {
    for (name, bad) in [
        ("bad-literal.geojson", feature("b", "[20.9, 42.9]", r#"{"title":"x","start":tru}"#)),
        ("bad-number.geojson", feature("b", "[20.9, 42.9.1]", r#"{"title":"x","start":"1999"}"#)),
        ("missing-colon.geojson", feature("b", "[20.9, 42.9]", r#"{"title" "x","start":"1999"}"#)),
        ("control-char.geojson", feature("b", "[20.9, 42.9]", "{\"title\":\"a\u{1}b\",\"start\":\"1999\"}")),
    ] {
        let report = load_features(name, &[good("a"), bad, good("c")]);
        assert!(report.dataset.events.is_empty(), "{name}");
        assert_eq!(report.problems.len(), 1, "{name}: {:?}", report.problems);
        assert!(
            matches!(report.problems[0].kind, ProblemKind::Syntax { line: 2, .. }),
            "{name}: {:?}",
            report.problems
        );
    }
}

#[test]
fn members_around_the_features_are_read() {
    let text = format!(
        r#"{{"name": "with \"features\": [ in a string", "features": [{}], "type": "FeatureCollection", "bbox": [1, 2, 3, 4]}}"#,
        good("a")
    );
    let (_dir, path) = write_temp("members.geojson", text.as_bytes());
    let report = load(&path);
    assert!(report.problems.is_empty(), "{:?}", report.problems);
    assert_eq!(report.dataset.events.len(), 1);

    let text = format!(r#"{{"type": "Feature", "features": [{}]}}"#, good("a"));
    let (_dir, path) = write_temp("feature-type.geojson", text.as_bytes());
    let report = load(&path);
    assert_eq!(report.error_count(), 1, "{:?}", report.problems);
    assert_eq!(report.problems[0].location.field.as_deref(), Some("type"));
}

#[test]
fn shapes_that_are_not_feature_collections_are_named() {
    for (name, content, expected) in [
        ("empty.geojson", "", "empty"),
        ("space.geojson", "  \n\t ", "empty"),
        ("array.geojson", "[1, 2]", "array"),
        ("null-features.geojson", r#"{"type":"FeatureCollection","features":null}"#, "features"),
        ("not-fc.geojson", r#"{"type":"Feature","features":[]}"#, "FeatureCollection"),
        ("garbage.geojson", "\u{1}\u{2}garbage", "invalid JSON"),
    ] {
        let (_dir, path) = write_temp(name, content.as_bytes());
        let report = load(&path);
        assert_eq!(report.error_count(), 1, "{name}: {:?}", report.problems);
        let message = report.problems[0].to_string();
        assert!(message.contains(expected), "{name}: {message}");
        assert!(message.contains(name), "{name}: the message names the file: {message}");
    }
}

#[test]
fn invalid_utf8_and_utf16_are_refused_with_a_reason() {
    let (_dir, path) = write_temp("latin1.geojson", b"{\"type\":\"FeatureCollection\",\"features\":[\xE9]}");
    let report = load(&path);
    assert!(matches!(&report.problems[0].kind, ProblemKind::NotUtf8(_)));
    let utf16: Vec<u8> = [0xFF, 0xFE].into_iter().chain("{}".encode_utf16().flat_map(u16::to_le_bytes)).collect();
    let (_dir, path) = write_temp("utf16.geojson", &utf16);
    let report = load(&path);
    assert!(report.problems[0].to_string().contains("UTF-16"));
}

#[test]
fn deep_nesting_does_not_overflow_the_stack() {
    let depth = 200_000;
    let text = format!(r#"{{"type":"FeatureCollection","features":[{}{}]}}"#, "[".repeat(depth), "]".repeat(depth));
    let (_dir, path) = write_temp("deep.geojson", text.as_bytes());
    let report = load(&path);
    assert_eq!(report.error_count(), 1);
    assert!(report.dataset.events.is_empty());
}

#[test]
fn missing_file_is_reported_not_empty() {
    let report = load(Path::new("/nonexistent/kronika/events.geojson"));
    assert!(matches!(report.problems[0].kind, ProblemKind::Unreadable(_)));
}

/// A small dataset directory, to exercise references between files.
fn dataset_dir(name: &str, events: &str, sources: &str) -> TempDir {
    let temp = tempfile::Builder::new().prefix(&format!("kronika-test-{name}-")).tempdir().unwrap();
    let dir = temp.path();
    std::fs::create_dir_all(dir.join("sources")).unwrap();
    std::fs::write(dir.join("events.geojson"), events).unwrap();
    std::fs::write(dir.join("sources.json"), sources).unwrap();
    std::fs::write(dir.join("sources/a.txt"), "On 24 September an attack took place near Banjska.").unwrap();
    std::fs::write(
        dir.join("places.geojson"),
        r#"{"type":"FeatureCollection","features":[{"type":"Feature","id":"pl-banjska","geometry":{"type":"Point","coordinates":[20.79,42.99]},"properties":{"name":"Banjska","kind":"settlement"}}]}"#,
    )
    .unwrap();
    temp
}

const SOURCE_OK: &str = r#"[{"id":"src-a","title":"A","kind":"news","path":"sources/a.txt","sha256":"HASH"}]"#;

fn source_ok() -> String {
    let hash = kronika::io::sha256_hex(b"On 24 September an attack took place near Banjska.");
    SOURCE_OK.replace("HASH", &hash)
}

fn cited(id: &str, extra: &str) -> String {
    feature(
        id,
        "[20.79, 42.99]",
        &format!(
            r#"{{"title":"T","start":"2023-09-24","place":"pl-banjska","citations":[{{"source":"src-a","quote":"an attack took place"}}]{extra}}}"#
        ),
    )
}

#[test]
fn a_valid_dataset_resolves_quotes_to_ranges() {
    let dir = dataset_dir("valid", &collection(&[cited("a", "")]), &source_ok());
    let report = load(dir.path());
    assert_eq!(report.problems, []);
    let citation = &report.dataset.events[0].citations()[0];
    assert_eq!(citation.char_range, Some((16, 36)));
}

#[test]
fn unknown_references_are_errors_but_the_event_stays() {
    let events = collection(&[
        cited("a", r#","relations":[{"type":"denies","event":"nope"}]"#),
        feature("b", "null", r#"{"title":"T","start":"2023","place":"pl-nowhere","citations":[{"source":"src-zzz","quote":"x"},{"source":"src-a","quote":"attack"}]}"#),
    ]).replace(r#""geometry":{"type":"Point","coordinates":null}"#, r#""geometry":null"#);
    let dir = dataset_dir("refs", &events, &source_ok());
    let report = load(dir.path());
    assert_eq!(report.dataset.events.len(), 2);
    let kinds: Vec<_> =
        report.problems.iter().map(|p| (p.location.id.clone().unwrap(), p.location.field.clone().unwrap())).collect();
    assert_eq!(
        kinds,
        [
            ("a".to_owned(), "properties.relations[0].event".to_owned()),
            ("b".to_owned(), "properties.place".to_owned()),
            ("b".to_owned(), "properties.citations[0].source".to_owned()),
        ]
    );
    assert!(report.dataset.events[0].relations().is_empty());
    assert_eq!(report.dataset.events[1].citations().len(), 1);
}

#[test]
fn a_quote_not_in_its_source_is_an_error() {
    let events = collection(&[feature(
        "a",
        "[20.79, 42.99]",
        r#"{"title":"T","start":"2023-09-24","citations":[{"source":"src-a","quote":"an attack took place near Mitrovica"}]}"#,
    )]);
    let dir = dataset_dir("quote", &events, &source_ok());
    let report = load(dir.path());
    assert!(matches!(report.problems[0].kind, ProblemKind::QuoteNotInSource { .. }), "{:?}", report.problems);
    assert_eq!(report.problems[0].location.field.as_deref(), Some("properties.citations[0].quote"));
}

#[test]
fn a_wrong_range_is_an_error_with_the_right_one() {
    let events = collection(&[feature(
        "a",
        "[20.79, 42.99]",
        r#"{"title":"T","start":"2023-09-24","citations":[{"source":"src-a","quote":"attack","range":[0,6]}]}"#,
    )]);
    let dir = dataset_dir("range", &events, &source_ok());
    let report = load(dir.path());
    let message = report.problems[0].to_string();
    assert!(message.contains("the quote is at 19..25"), "{message}");
}

#[test]
fn a_changed_source_fails_its_hash() {
    let sources = SOURCE_OK.replace("HASH", &"0".repeat(64));
    let dir = dataset_dir("hash", &collection(&[cited("a", "")]), &sources);
    let report = load(dir.path());
    assert!(matches!(report.problems[0].kind, ProblemKind::HashMismatch { .. }));
    assert_eq!(report.problems[0].location.field.as_deref(), Some("sha256"));
}

#[test]
fn a_source_path_may_not_leave_the_dataset() {
    let sources = r#"[{"id":"src-a","title":"A","path":"../../etc/passwd"}]"#;
    let dir = dataset_dir("escape", &collection(&[cited("a", "")]), sources);
    let report = load(dir.path());
    assert!(matches!(report.problems[0].kind, ProblemKind::UnsafePath(_)));
}

#[test]
fn unknown_vocabulary_is_an_error_in_a_dataset() {
    let dir = dataset_dir("vocab", &collection(&[cited("a", r#","claim_status":"rumour""#)]), &source_ok());
    let report = load(dir.path());
    assert!(matches!(&report.problems[0].kind, ProblemKind::UnknownValue { value, .. } if value == "rumour"));
    assert!(report.dataset.events.is_empty());
}

#[test]
fn dataset_events_need_citations_and_ids() {
    let events = collection(&[
        feature("a", "[20.79, 42.99]", r#"{"title":"T","start":"2023-09-24"}"#),
        r#"{"type":"Feature","geometry":null,"properties":{"title":"T","start":"2023"}}"#.to_owned(),
    ]);
    let dir = dataset_dir("needs", &events, &source_ok());
    let report = load(dir.path());
    assert_eq!(report.problems[0].kind, ProblemKind::NoCitation);
    assert_eq!(report.problems[1].kind, ProblemKind::Missing);
    assert_eq!(report.problems[1].location.field.as_deref(), Some("id"));
}

/// The id lookup the loader hands the dataset (found while checking for duplicates) finds every
/// event, with duplicates removed or not.
#[test]
fn events_of_plain_files_are_found_by_id() {
    let ids: Vec<String> = (0..300).map(|i| format!("event-{i}")).collect();
    let report = load_features("lookup.geojson", &ids.iter().map(|id| good(id)).collect::<Vec<_>>());
    for (i, id) in ids.iter().enumerate() {
        assert_eq!(report.dataset.event_idx(id), Some(u32::try_from(i).unwrap()), "{id}");
    }
    assert_eq!(report.dataset.event_idx("event-300"), None);

    let report = load_features("lookup-dupes.geojson", &[good("a"), good("a"), good("b")]);
    assert_eq!(report.dataset.event_idx("a"), Some(0));
    assert_eq!(report.dataset.event_idx("b"), Some(1));
}

/// Problems name the feature's index in the file, whichever thread parsed it and however many
/// features before it were dropped.
#[test]
fn duplicates_after_dropped_features_name_their_own_index() {
    let mut features: Vec<String> = (0..20_000).map(|i| good(&format!("e{i}"))).collect();
    let bad = |id: &str| feature(id, "[20.9, 42.9]", r#"{"title":"bad","start":"1999-13-01"}"#);
    features[5] = bad("bad-5");
    features[12_000] = bad("bad-12000");
    features[15_000] = good("e100");
    let report = load_features("dupes-far.geojson", &features);
    let duplicate = report.problems.iter().find(|p| matches!(p.kind, ProblemKind::DuplicateId { .. })).unwrap();
    assert_eq!(duplicate.kind, ProblemKind::DuplicateId { id: "e100".into(), first_index: 100, record: "feature" });
    assert_eq!(duplicate.location.index, Some(15_000));
    assert_eq!(report.dataset.events.len(), 20_000 - 3);
}

#[test]
fn lines_and_areas_load_with_their_shape_and_a_representative_point() {
    let report = load_features(
        "shapes.geojson",
        &[
            r#"{"type":"Feature","id":"line","geometry":{"type":"LineString","coordinates":[[20.0,42.0],[21.0,43.0]]},"properties":{"title":"A line","start":"2023-09-24"}}"#.to_owned(),
            r#"{"type":"Feature","id":"area","geometry":{"type":"Polygon","coordinates":[[[20.0,42.0],[22.0,42.0],[22.0,44.0],[20.0,42.0]]]},"properties":{"title":"An area","start":"2023-09-24"}}"#.to_owned(),
            r#"{"type":"Feature","id":"bad","geometry":{"type":"LineString","coordinates":[[20.0,42.0],[21.0,143.0]]},"properties":{"title":"Off the globe","start":"2023-09-24"}}"#.to_owned(),
        ],
    );
    let dataset = &report.dataset;
    assert_eq!(dataset.events.len(), 2, "{:?}", report.problems);
    let line = dataset.event(dataset.event_idx("line").unwrap()).unwrap();
    assert_eq!(line.lon_lat, Some(kronika::model::LonLat { lon: 20.5, lat: 42.5 }));
    assert_eq!(line.details().shape.as_ref().unwrap().lines.len(), 1);
    let area = dataset.event(dataset.event_idx("area").unwrap()).unwrap();
    assert_eq!(area.details().shape.as_ref().unwrap().areas[0][0].len(), 4);
    assert_eq!(report.problems.len(), 1, "{:?}", report.problems);
    let problem = report.problems[0].to_string();
    assert!(problem.contains("feature 2 (id \"bad\"), field `geometry.coordinates`"), "{problem}");
    assert!(problem.contains("latitude 143"), "{problem}");
}

/// A feature's own id names its event; an id among its properties that says otherwise is kept
/// as a field, not dropped, and one that says the same is not kept twice.
#[test]
fn an_id_among_the_properties_beside_the_features_own_is_kept() {
    let report = load_features(
        "two-ids.geojson",
        &[
            feature("own", "[20.9, 42.9]", r#"{"id":"listed","title":"T","start":"1999"}"#),
            feature("same", "[20.9, 42.9]", r#"{"id":"same","title":"T","start":"1999"}"#),
            r#"{"type":"Feature","geometry":null,"properties":{"id":"only-listed","title":"T","start":"1999"}}"#.into(),
        ],
    );
    assert_eq!(report.problems, []);
    let ids: Vec<&str> = report.dataset.events.iter().map(|event| event.id.as_str()).collect();
    assert_eq!(ids, ["own", "same", "only-listed"]);
    let listed: Vec<Option<&str>> = (0..3).map(|idx| report.dataset.properties.get(idx, "id")).collect();
    assert_eq!(listed, [Some("listed"), None, None]);
}
