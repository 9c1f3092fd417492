//! `kronika check` from the command line: exit codes and located messages.

// Test helpers may unwrap: a panic is a test failure with its location.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

use std::path::PathBuf;
use std::process::Command;

use tempfile::TempDir;

fn kronika(args: &[&str]) -> (i32, String) {
    let output = Command::new(env!("CARGO_BIN_EXE_kronika")).args(args).output().unwrap();
    let text = String::from_utf8_lossy(&output.stdout).into_owned() + &String::from_utf8_lossy(&output.stderr);
    (output.status.code().expect("exited, not killed by a signal"), text)
}

/// Writes `content` to a file named `name` in a fresh temp dir, removed when the dir drops.
fn temp_file(name: &str, content: &str) -> (TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(name);
    std::fs::write(&path, content).unwrap();
    (dir, path)
}

const GOOD: &str = r#"{"type":"FeatureCollection","features":[
{"type":"Feature","geometry":{"type":"Point","coordinates":[20.9,42.9]},"properties":{"id":"a","title":"A","start":"1999-01-08"}}
]}"#;

#[test]
fn shipped_data_checks_clean() {
    let data = concat!(env!("CARGO_MANIFEST_DIR"), "/data");
    let (code, text) = kronika(&["check", data]);
    assert_eq!(code, 0, "{text}");
    assert!(text.contains("0 error(s)"), "{text}");
}

#[test]
fn plain_geojson_with_id_title_start_passes() {
    let (_dir, good) = temp_file("good.geojson", GOOD);
    let (code, text) = kronika(&["check", good.to_str().unwrap()]);
    assert_eq!(code, 0, "{text}");
}

#[test]
fn broken_files_fail_with_located_messages() {
    let (_dir, truncated) = temp_file("truncated.geojson", &GOOD[..GOOD.len() - 10]);
    let (_dir, bad_coordinate) = temp_file("bad-coordinate.geojson", &GOOD.replace("[20.9,42.9]", "[20.9,142.9]"));
    let (_dir, bad_date) = temp_file("bad-date.geojson", &GOOD.replace("1999-01-08", "1999-13-40"));
    let (code, text) =
        kronika(&["check", truncated.to_str().unwrap(), bad_coordinate.to_str().unwrap(), bad_date.to_str().unwrap()]);
    assert_eq!(code, 1, "{text}");
    assert!(text.contains("truncated.geojson: invalid JSON at line 2, column 122"), "{text}");
    assert!(text.contains("bad-coordinate.geojson:2: feature 0 (id \"a\"), field `geometry.coordinates[1]`"), "{text}");
    assert!(
        text.contains(
            "bad-date.geojson:2: feature 0 (id \"a\"), field `properties.start`: invalid date \"1999-13-40\""
        ),
        "{text}"
    );
}

#[test]
fn json_report_is_machine_readable() {
    let (_dir, bad_date) = temp_file("bad-date-json.geojson", &GOOD.replace("1999-01-08", "2023-02-30"));
    let (code, text) = kronika(&["check", "--json", bad_date.to_str().unwrap()]);
    assert_eq!(code, 1);
    let report: serde_json::Value = serde_json::from_str(&text).unwrap();
    assert_eq!(report[0]["errors"], 1);
    assert_eq!(report[0]["problems"][0]["field"], "properties.start");
    assert_eq!(report[0]["problems"][0]["index"], 0);
}

#[test]
fn usage_errors_exit_2() {
    let (code, _) = kronika(&["check"]);
    assert_eq!(code, 2);
    let (code, _) = kronika(&["--no-such-flag"]);
    assert_eq!(code, 2);
}

/// `bench --runs 2`: two runs, each in a process of its own, their medians and their own figures.
#[test]
fn bench_runs_in_processes_of_their_own_and_reports_medians() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("bench.geojson");
    let (code, text) = kronika(&["gen", "--events", "3000", "--out", path.to_str().unwrap()]);
    assert_eq!(code, 0, "{text}");
    let output = Command::new(env!("CARGO_BIN_EXE_kronika"))
        .args(["bench", path.to_str().unwrap(), "--frames", "3", "--runs", "2", "--json"])
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let report: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(report["events"], 3000);
    let runs = report["runs"].as_array().expect("each run's figures");
    assert_eq!(runs.len(), 2);
    let loads: Vec<f64> = runs.iter().map(|run| run["load_s"].as_f64().unwrap()).collect();
    let median = report["load_s"].as_f64().unwrap();
    assert!((median - f64::midpoint(loads[0], loads[1])).abs() < 1e-9, "{report}");
    let highest = runs.iter().map(|run| run["peak_rss_mb"].as_f64().unwrap()).fold(0.0, f64::max);
    assert!((report["peak_rss_mb"].as_f64().unwrap() - highest).abs() < 1e-9, "{report}");
    assert_eq!(report["scenarios"].as_array().unwrap().len(), 4, "{report}");
}
