//! Events in ClickHouse: `kronika load` into servers of the tests' own (one plain, two shards
//! behind a `Distributed` table), and the ClickHouse store answering exactly as the in-memory
//! store does for the same events: cells, bins, the events of a view, search, details.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

mod common;

use std::path::Path;
use std::process::Command;
use std::sync::Arc;

use common::clickhouse::{Server, free_port, two_shards};
use kronika::io::clickhouse::{ClickHouseStore, ClickHouseUrl, ColumnMap, create_table_sql, load_into};
use kronika::io::{LoadOptions, load_with};
use kronika::model::geo::{WorldBounds, WorldPoint, world_from_lon_lat};
use kronika::model::store::memory::MemoryStore;
use kronika::model::store::{BinQuery, EventStore, ViewQuery, snap_viewport};
use kronika::model::{Dataset, LonLat};

fn kronika(args: &[&str]) -> String {
    let output = Command::new(env!("CARGO_BIN_EXE_kronika")).args(args).output().unwrap();
    let text = format!("{}{}", String::from_utf8_lossy(&output.stdout), String::from_utf8_lossy(&output.stderr));
    assert!(output.status.success(), "kronika {args:?} failed:\n{text}");
    text
}

fn generated(dir: &Path, events: usize) -> std::path::PathBuf {
    let file = dir.join("events.geojson");
    let count = events.to_string();
    kronika(&[
        "gen",
        "--events",
        &count,
        "--shape",
        "wide",
        "--spread",
        "continent",
        "--seed",
        "7",
        "--out",
        file.to_str().unwrap(),
    ]);
    file
}

fn store(url: &str) -> ClickHouseStore {
    ClickHouseStore::new(ClickHouseUrl::parse(url).unwrap(), ColumnMap::default()).unwrap()
}

fn bounds(west: f64, south: f64, east: f64, north: f64) -> WorldBounds {
    let a = world_from_lon_lat(LonLat { lon: west, lat: north });
    let b = world_from_lon_lat(LonLat { lon: east, lat: south });
    WorldBounds { min: WorldPoint { x: a.x, y: a.y }, max: WorldPoint { x: b.x, y: b.y } }
}

/// Every question the app asks, asked of both stores, with the same answers; how many cells the
/// views held.
fn same_answers(memory: &dyn EventStore, remote: &dyn EventStore, dataset: &Dataset) -> usize {
    assert_eq!(remote.count().unwrap(), memory.count().unwrap());
    let extent = memory.extent().unwrap().unwrap();
    assert_eq!(remote.extent().unwrap(), Some(extent));
    let (first, last) = extent;
    let span = last - first;
    let views = [
        (first, last, bounds(-180.0, -85.0, 180.0, 85.0), 3.0),
        (first + span / 3, first + span / 2, bounds(-10.0, 35.0, 30.0, 60.0), 5.0),
        (last - 30, last, bounds(13.0, 38.0, 30.0, 47.5), 7.0),
        (first + span / 2, first + span / 2 + 365, bounds(18.0, 41.0, 23.0, 44.0), 9.0),
        (first, last, bounds(20.0, 42.0, 22.0, 43.5), 10.0),
    ];
    // The views the explorer asks for: snapped to whole blocks of cells; over all time they are
    // answered from the cells ClickHouse keeps ready (the world, a continent, a region).
    let snapped = [
        snap_viewport(bounds(-180.0, -85.0, 180.0, 85.0), 3.0),
        snap_viewport(bounds(-10.0, 35.0, 30.0, 60.0), 5.0),
        snap_viewport(bounds(18.7, 41.3, 23.1, 44.2), 8.0),
        snap_viewport(bounds(20.0, 42.0, 22.0, 43.5), 12.0),
    ];
    let views: Vec<_> =
        views.into_iter().chain(snapped.into_iter().map(|(bounds, zoom)| (first, last, bounds, zoom))).collect();
    let mut cells_seen = 0;
    for (from_day, to_day, bounds, zoom) in views {
        let query = ViewQuery { from_day, to_day, bounds, zoom };
        let (mine, theirs) = (memory.cells(&query).unwrap(), remote.cells(&query).unwrap());
        assert_eq!(mine.len(), theirs.len(), "cells at zoom {zoom}");
        cells_seen += mine.len();
        for (a, b) in mine.iter().zip(&theirs) {
            assert_eq!((a.key, a.count, &a.categories), (b.key, b.count, &b.categories));
            assert!((a.center.x - b.center.x).abs() < 1e-12 && (a.center.y - b.center.y).abs() < 1e-12);
        }
        assert_eq!(memory.events_in_view(&query, 25).unwrap(), remote.events_in_view(&query, 25).unwrap());
    }
    for (bin_days, bins) in [(30, 400), (365, 40), (1, 2000)] {
        let query = BinQuery { from_day: first - 10, bin_days, bins };
        assert_eq!(memory.bins(&query).unwrap(), remote.bins(&query).unwrap(), "{bin_days}-day bins");
    }
    let title_word = dataset.events[17].title.split_whitespace().last().unwrap().to_owned();
    assert!(memory.search(&title_word, 1).unwrap().total > 0);
    for text in [title_word.as_str(), "", "no such words anywhere"] {
        assert_eq!(memory.search(text, 40).unwrap(), remote.search(text, 40).unwrap(), "search {text:?}");
    }
    for i in [0, 5, dataset.events.len() - 1] {
        let id = dataset.events[i].id.as_str();
        let day = Some(dataset.events[i].span.first_day());
        assert_eq!(memory.details(id, None).unwrap(), remote.details(id, None).unwrap());
        assert_eq!(remote.details(id, day).unwrap(), remote.details(id, None).unwrap());
    }
    assert_eq!(remote.details("no-such-id", None).unwrap(), None);
    cells_seen
}

#[test]
fn a_single_server_and_two_shards_answer_as_memory_does() {
    let folder = tempfile::tempdir().unwrap();
    let file = generated(folder.path(), 30_000);
    let report = load_with(&file, &LoadOptions::default());
    let dataset = Arc::new(report.dataset);
    let memory = MemoryStore::new(Arc::clone(&dataset));

    // One server, loaded by the command a user runs.
    let single = Server::start("");
    let url = single.url("events");
    let said = kronika(&["load", file.to_str().unwrap(), "--into", &url, "--batch", "7000"]);
    assert!(said.contains("loaded: 30000 rows in 5 batch(es)"), "{said}");
    let said = kronika(&["load", file.to_str().unwrap(), "--into", &url, "--batch", "7000"]);
    assert!(said.contains("0 rows in 0 batch(es)") && said.contains("5 batch(es) already there"), "{said}");
    let single_store = store(&url);
    let cells = same_answers(&memory, &single_store, &dataset);
    assert!(cells > 50, "the views hold events: {cells} cells");
    // The whole-time views came from the cells ClickHouse keeps ready.
    let (first, last) = memory.extent().unwrap().unwrap();
    let (bounds, zoom) = snap_viewport(bounds(-10.0, 35.0, 30.0, 60.0), 5.0);
    assert!(single_store.uses_ready_cells(&ViewQuery { from_day: first, to_day: last, bounds, zoom }).unwrap());

    // Two shards behind a Distributed table.
    let ports = [free_port(), free_port()];
    let cluster = two_shards(ports);
    let shards = [Server::start_on(free_port(), ports[0], &cluster), Server::start_on(free_port(), ports[1], &cluster)];
    for shard in &shards {
        store(&shard.url("events_local"))
            .client()
            .execute(&create_table_sql("default.events_local", kronika::io::clickhouse::MERGE_TREE))
            .unwrap();
    }
    let distributed = store(&shards[0].url("events"));
    distributed
        .client()
        .execute(&create_table_sql("default.events", "Distributed(kronika_two, default, events_local, cityHash64(id))"))
        .unwrap();
    let summary = load_into(&distributed, Arc::clone(&dataset), "two-shards", 10_000, None, |_| {}).unwrap();
    assert_eq!(summary.rows_inserted, 30_000);
    let on_shards: Vec<u64> = shards.iter().map(|s| store(&s.url("events_local")).count().unwrap()).collect();
    assert!(on_shards.iter().all(|&n| n > 5_000) && on_shards.iter().sum::<u64>() == 30_000, "{on_shards:?}");
    assert_eq!(same_answers(&memory, &distributed, &dataset), cells);
}

/// Rows and distinct ids of a table (ClickHouse quotes 64-bit counts).
#[derive(serde::Deserialize)]
struct Distinct {
    n: String,
    ids: String,
}

#[test]
fn an_interrupted_load_goes_on_without_duplicates() {
    let folder = tempfile::tempdir().unwrap();
    let report = load_with(&common::data_dir(), &LoadOptions::default());
    let dataset = Arc::new(report.dataset);
    let server = Server::start("");
    let remote = store(&server.url("shipped"));
    let first = load_into(&remote, Arc::clone(&dataset), "shipped-1", 20, Some(2), |_| {}).unwrap();
    assert_eq!((first.batches_inserted, first.rows_inserted), (2, 40));
    assert_eq!(remote.count().unwrap(), 40);
    let rest = load_into(&remote, Arc::clone(&dataset), "shipped-1", 20, None, |_| {}).unwrap();
    assert_eq!((rest.batches_skipped, rest.rows_inserted), (2, dataset.events.len() as u64 - 40));
    let rows: Vec<Distinct> =
        remote.client().rows("SELECT count() AS n, uniqExact(id) AS ids FROM default.shipped").unwrap();
    assert_eq!((rows[0].n.as_str(), rows[0].ids.as_str()), ("81", "81"));
    // The shipped dataset (accents, Cyrillic, undated events) answers as in memory.
    let cells = same_answers(&MemoryStore::new(Arc::clone(&dataset)), &remote, &dataset);
    assert!(cells >= 10, "the views hold events: {cells} cells");

    // A running query is stopped when the view moves on: killed by its id's prefix.
    let client = remote.client().clone();
    let slow = std::thread::spawn(move || {
        let started = std::time::Instant::now();
        // Tens of seconds of work on two cores, checked for cancellation between blocks.
        let slow = "SELECT sum(cityHash64(number)) AS s FROM numbers(20000000000)";
        let answer = client.rows_as::<serde_json::Value>(slow, Some("kronika-test-slow-1"));
        (answer, started.elapsed())
    });
    std::thread::sleep(std::time::Duration::from_millis(500));
    remote.client().kill("kronika-test-slow").unwrap();
    let (answer, took) = slow.join().unwrap();
    let error = answer.unwrap_err().to_string();
    assert!(error.contains("394") || error.contains("cancelled"), "{error}");
    assert!(took < std::time::Duration::from_secs(8), "stopped long before it would end: {took:?}");
    let _ = folder;
}

mod explorer {
    use std::sync::Arc;
    use std::time::Duration;

    use egui_kittest::Harness;
    use egui_kittest::kittest::Queryable as _;
    use kronika::app::store_app::StoreApp;
    use kronika::io::{LoadOptions, load_with};
    use kronika::model::store::EventStore;
    use kronika::model::store::memory::MemoryStore;

    use super::{Server, load_into, store};

    fn harness(store: Arc<dyn EventStore>) -> Harness<'static, StoreApp> {
        let app = StoreApp::new(store, || {});
        let mut harness = Harness::builder()
            .with_size([1280.0, 800.0])
            .with_max_steps(50)
            .build_ui_state(|ui, app: &mut StoreApp| app.frame_ui(ui), app);
        harness.ctx.set_fonts(kronika::ui::style::fonts());
        settle(&mut harness);
        harness
    }

    /// Runs frames until the store has answered what the view asks.
    fn settle(harness: &mut Harness<'static, StoreApp>) {
        for _ in 0..500 {
            harness.run_steps(2);
            if !harness.state().waiting() && harness.state().view_hits().is_some() {
                harness.run_steps(2);
                return;
            }
            std::thread::sleep(Duration::from_millis(10));
        }
        panic!("the store did not answer: {}", harness.state().describe_state());
    }

    /// The explorer shows the store's events on the map and in the list, and a click shows one's
    /// details, whatever the store: the same flow on memory and on ClickHouse.
    fn explore(store: Arc<dyn EventStore>, expected_events: usize) {
        let mut harness = harness(store);
        let total: u64 = harness.state().cells().iter().map(|c| c.count).sum();
        assert!(total > 0 && total <= expected_events as u64);
        harness.get_by_label_contains("events in the map's view and window");
        let first = harness.state().view_hits().unwrap().rows[0].clone();
        harness.get_by_label_contains(&first.title[..20]).click();
        for _ in 0..200 {
            harness.run_steps(2);
            if harness.state().details().is_some() {
                break;
            }
            std::thread::sleep(Duration::from_millis(10));
        }
        assert_eq!(harness.state().details(), Some(&first));
        harness.run_steps(2);
        harness.get_by_label("Event details");
        // A narrower window asks again; the frame does not wait for the answer.
        harness.get_by_label("Window").click();
        harness.run_steps(2);
        harness.get_by_label("30 days").click();
        harness.run_steps(1);
        settle(&mut harness);
        let in_window: u64 = harness.state().cells().iter().map(|c| c.count).sum();
        assert!(in_window < total, "30 days show fewer events ({in_window}) than all time ({total})");
    }

    #[test]
    fn the_store_bench_asks_every_question() {
        let dataset = Arc::new(load_with(&super::common::data_dir(), &LoadOptions::default()).dataset);
        let report = kronika::cli::bench_store::run_store_bench(Arc::new(MemoryStore::new(dataset)), 5).unwrap();
        assert_eq!(report.events, 81);
        let questions: Vec<&str> = report.latencies.iter().map(|l| l.question.as_str()).collect();
        assert_eq!(questions.len(), 13, "{questions:?}");
        assert!(questions.contains(&"one event's details") && questions.contains(&"timeline bins (240)"));
    }

    #[test]
    fn the_explorer_works_on_memory_and_on_clickhouse_alike() {
        let dataset = Arc::new(load_with(&super::common::data_dir(), &LoadOptions::default()).dataset);
        let placed = dataset.events.iter().filter(|e| e.lon_lat.is_some()).count();
        explore(Arc::new(MemoryStore::new(Arc::clone(&dataset))), placed);
        let server = Server::start("");
        let remote = store(&server.url("shipped"));
        load_into(&remote, Arc::clone(&dataset), "explorer", 50, None, |_| {}).unwrap();
        explore(Arc::new(remote), placed);
    }
}
