//! Files that are not what they seem: FIFOs and devices where a dataset expects files, sources that
//! all name one huge sparse file, giant strings, absurd settings. `kronika check` (run as a user
//! would, under a memory limit) and the app must finish, name the file and the problem, and stay
//! small.

// Test helpers may unwrap: a panic is a test failure with its location.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

mod common;

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use egui_kittest::kittest::Queryable as _;
use kronika::app::{AppOptions, KronikaApp};

/// Virtual memory `kronika check` may use, in KiB: far below what any of these inputs would
/// take if read whole.
const MEMORY_LIMIT_KIB: u64 = 3 * 1024 * 1024;

/// Runs `kronika check PATH` under the memory limit; (exit code, output), or a panic after 30 s.
fn check(path: &Path) -> (i32, String) {
    let mut child = Command::new("sh")
        .arg("-c")
        .arg(format!("ulimit -v {MEMORY_LIMIT_KIB} && exec \"$0\" check \"$1\""))
        .arg(env!("CARGO_BIN_EXE_kronika"))
        .arg(path)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        if let Some(status) = child.try_wait().unwrap() {
            let output = child.wait_with_output().unwrap();
            let text = String::from_utf8_lossy(&output.stdout).into_owned() + &String::from_utf8_lossy(&output.stderr);
            return (status.code().unwrap_or(-1), text);
        }
        if Instant::now() > deadline {
            child.kill().ok();
            panic!("kronika check {} did not finish in 30 s", path.display());
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

fn mkfifo(path: &Path) -> bool {
    Command::new("mkfifo").arg(path).status().is_ok_and(|s| s.success())
}

/// A copy of the shipped dataset in a temporary folder, to break one file of.
fn dataset_copy() -> common::TempPath {
    let dir = common::TempPath::folder();
    let data = common::data_dir();
    for name in ["dataset.json", "events.geojson", "places.geojson", "sources.json"] {
        std::fs::copy(data.join(name), dir.join(name)).unwrap();
    }
    std::fs::create_dir(dir.join("sources")).unwrap();
    for entry in std::fs::read_dir(data.join("sources")).unwrap() {
        let entry = entry.unwrap();
        std::fs::copy(entry.path(), dir.join("sources").join(entry.file_name())).unwrap();
    }
    dir
}

#[test]
fn fifos_are_refused_without_waiting_for_a_writer() {
    for name in ["events.geojson", "places.geojson", "sources/000.txt"] {
        let dir = dataset_copy();
        let target = dir.join(name);
        let real = if name.starts_with("sources/") {
            // The shipped source whose path sources.json gives for id 000.
            let sources = std::fs::read_to_string(dir.join("sources.json")).unwrap();
            let value: serde_json::Value = serde_json::from_str(&sources).unwrap();
            dir.join(value[0]["path"].as_str().unwrap())
        } else {
            target
        };
        std::fs::remove_file(&real).unwrap();
        if !mkfifo(&real) {
            return; // No mkfifo on this machine.
        }
        let (code, output) = check(&dir);
        assert_eq!(code, 1, "{name}: {output}");
        assert!(output.contains("FIFO"), "{name}: {output}");
    }
    let dir = tempfile::tempdir().unwrap();
    let fifo = dir.path().join("events.geojson");
    assert!(mkfifo(&fifo));
    let (code, output) = check(&fifo);
    assert_eq!(code, 1, "{output}");
    assert!(output.contains("FIFO"), "{output}");
}

#[test]
#[cfg(unix)]
fn devices_are_refused_not_read_until_memory_runs_out() {
    let dir = dataset_copy();
    std::fs::remove_file(dir.join("events.geojson")).unwrap();
    std::os::unix::fs::symlink("/dev/zero", dir.join("events.geojson")).unwrap();
    let (code, output) = check(&dir);
    assert_eq!(code, 1, "{output}");
    assert!(output.contains("a device, not a regular file"), "{output}");
}

#[test]
fn sources_naming_one_huge_sparse_file_are_refused_by_size() {
    let dir = tempfile::tempdir().unwrap();
    let huge = dir.path().join("huge.txt");
    std::fs::File::create(&huge).unwrap().set_len(2 * 1024 * 1024 * 1024).unwrap();
    let sources: Vec<serde_json::Value> =
        (0..4).map(|i| serde_json::json!({"id": format!("s{i}"), "title": "Huge", "path": "huge.txt"})).collect();
    std::fs::write(dir.path().join("sources.json"), serde_json::to_string(&sources).unwrap()).unwrap();
    std::fs::write(dir.path().join("events.geojson"), r#"{"type":"FeatureCollection","features":[]}"#).unwrap();
    let started = Instant::now();
    let (code, output) = check(dir.path());
    assert_eq!(code, 1, "{output}");
    assert_eq!(output.matches("limit").count(), 4, "{output}");
    assert!(started.elapsed() < Duration::from_secs(10));
}

#[test]
fn one_bad_source_or_place_does_not_discard_the_others() {
    let dir = dataset_copy();
    let mut sources: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("sources.json")).unwrap()).unwrap();
    sources[1]["title"] = serde_json::json!(42);
    std::fs::write(dir.join("sources.json"), sources.to_string()).unwrap();
    let mut places: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("places.geojson")).unwrap()).unwrap();
    places["features"][2]["geometry"] = serde_json::json!({"type": "Point", "coordinates": "here"});
    std::fs::write(dir.join("places.geojson"), places.to_string()).unwrap();
    let report = kronika::io::load(&dir);
    assert_eq!(report.dataset.sources.len(), 4, "{:?}", report.problems);
    assert_eq!(report.dataset.places.len(), places["features"].as_array().unwrap().len() - 1);
    let messages: Vec<String> = report.problems.iter().map(ToString::to_string).collect();
    assert!(messages.iter().any(|m| m.contains("sources.json: feature 1") && m.contains("title")), "{messages:#?}");
    assert!(messages.iter().any(|m| m.contains("places.geojson: feature 2")), "{messages:#?}");
}

#[test]
fn giant_strings_are_clipped_in_reports_and_on_screen() {
    let dir = tempfile::tempdir().unwrap();
    let name = "N".repeat(20_000_000);
    std::fs::write(dir.path().join("dataset.json"), serde_json::json!({ "name": name }).to_string()).unwrap();
    let long_id = "i".repeat(1_000_000);
    let place_name = "P".repeat(5_000_000);
    let places = serde_json::json!({"type": "FeatureCollection", "features": [{
        "type": "Feature", "id": "p", "geometry": {"type": "Point", "coordinates": [20.9, 42.9]},
        "properties": {"name": place_name}}]});
    std::fs::write(dir.path().join("places.geojson"), places.to_string()).unwrap();
    let events = serde_json::json!({"type": "FeatureCollection", "features": [
        {"type": "Feature", "id": long_id, "geometry": null, "properties": {"title": "Bad", "start": "1999-13-40"}},
        {"type": "Feature", "id": "ok", "geometry": null,
         "properties": {"title": "T".repeat(3_000_000), "start": "1999-01-08", "place": "p"}}]});
    std::fs::write(dir.path().join("events.geojson"), events.to_string()).unwrap();

    let (code, output) = check(dir.path());
    assert_eq!(code, 1);
    assert!(output.len() < 20_000, "the report is {} bytes", output.len());
    assert!(output.contains("more characters"), "{output}");

    let report = kronika::io::load(dir.path());
    let mut harness =
        common::harness_with(KronikaApp::from_report(report, common::view()), common::HarnessOptions::default());
    harness.run();
    // The name in the top bar is cut; the place label on the map too.
    assert!(harness.get_all_by_label_contains("NNNNNNNNNN…").count() >= 1);
}

#[test]
fn absurd_settings_do_not_stop_the_app_from_starting() {
    let dir = tempfile::tempdir().unwrap();
    let settings = dir.path().join("view.json");
    std::fs::write(&settings, r#"{"timeline":{"view_length_days":1e15,"window_days":1e300},"map_zoom":1e9}"#).unwrap();
    let options = AppOptions {
        open: None,
        view: None,
        allow_network: false,
        tiles_path: None,
        settings_path: Some(settings),
        recovery_dir: None,
        today: common::today(),
    };
    let mut harness =
        egui_kittest::Harness::builder().with_size([1024.0, 700.0]).build_eframe(|cc| KronikaApp::new(cc, options));
    harness.run();
    harness.get_by_label("⚠ settings problem");
    let view = harness.state().view();
    assert!(view.timeline.view_length_days < 1e6 && view.map_zoom <= 20.0);
}
