//! `kronika bench clickhouse://…`: how fast a store answers the questions the explorer asks
//! (cells for a viewport and a window, the timeline's bins, one event's details, a search), and
//! how long the explorer's frames take while scrubbing and panning with the store on its thread.

use std::sync::Arc;
use std::time::Instant;

use super::bench::peak_rss_mb;
use super::generate::Rng;
use crate::app::store_app::StoreApp;
use crate::model::LonLat;
use crate::model::geo::{WorldBounds, world_from_lon_lat};
use crate::model::store::{BinQuery, EventStore, StoreError, ViewQuery, snap_viewport};
use crate::ui::store_view::StoreCommand;

/// Questions of each kind timed, at most.
const QUESTIONS: usize = 40;
/// Fewest questions of a kind timed; past that, a kind stops after this many seconds (a scan of
/// a hundred million rows is measured a few times, not forty).
const FEWEST_QUESTIONS: usize = 5;
/// Seconds spent on one kind of question, past the fewest.
const SECS_PER_KIND: f64 = 15.0;

/// Latencies of one kind of question, in milliseconds.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct Latency {
    /// "cells, world, all time", "bins", "details" …
    pub question: String,
    /// Median.
    pub ms_p50: f64,
    /// 95th percentile.
    pub ms_p95: f64,
}

/// What a store bench measured.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct StoreBenchReport {
    /// The store.
    pub store: String,
    /// Events in it.
    pub events: u64,
    /// Each kind of question.
    pub latencies: Vec<Latency>,
    /// The explorer's frames while scrubbing (30-day window), p50 and p95, in milliseconds.
    pub scrub_frame_ms: (f64, f64),
    /// The explorer's frames while panning, p50 and p95, in milliseconds.
    pub pan_frame_ms: (f64, f64),
    /// Peak resident memory of Kronika, in MiB.
    pub peak_rss_mb: f64,
}

fn percentiles(mut ms: Vec<f64>) -> (f64, f64) {
    ms.sort_by(f64::total_cmp);
    let at = |q: f64| {
        #[expect(
            clippy::cast_precision_loss,
            clippy::cast_possible_truncation,
            clippy::cast_sign_loss,
            reason = "an index"
        )]
        let i = ((ms.len().saturating_sub(1)) as f64 * q).round() as usize;
        ms.get(i).copied().unwrap_or(0.0)
    };
    (at(0.5), at(0.95))
}

fn time<T>(mut ask: impl FnMut(usize) -> Result<T, StoreError>) -> Result<(f64, f64), StoreError> {
    let mut ms = Vec::with_capacity(QUESTIONS);
    let kind_started = Instant::now();
    for i in 0..QUESTIONS {
        if i >= FEWEST_QUESTIONS && kind_started.elapsed().as_secs_f64() > SECS_PER_KIND {
            break;
        }
        let started = Instant::now();
        std::hint::black_box(ask(i)?);
        ms.push(started.elapsed().as_secs_f64() * 1000.0);
    }
    Ok(percentiles(ms))
}

fn bounds(west: f64, south: f64, east: f64, north: f64) -> WorldBounds {
    WorldBounds {
        min: world_from_lon_lat(LonLat { lon: west, lat: north }),
        max: world_from_lon_lat(LonLat { lon: east, lat: south }),
    }
}

/// Times every kind of question, then the explorer's frames.
///
/// # Errors
/// When the store cannot answer.
pub fn run_store_bench(store: Arc<dyn EventStore>, frames: usize) -> Result<StoreBenchReport, StoreError> {
    let events = store.count()?;
    let Some((first, last)) = store.extent()? else { return Err(StoreError("the store holds no dated events".into())) };
    let span = u64::try_from((last - first).max(1)).unwrap_or(1);
    let mut rng = Rng::new(11);
    let mut latencies = Vec::new();
    // Viewports as the explorer asks for them (snapped to blocks of cells).
    let views = [
        ("world, zoom 3", snap_viewport(bounds(-180.0, -85.0, 180.0, 85.0), 3.0)),
        ("Europe, zoom 5", snap_viewport(bounds(-12.0, 34.0, 40.0, 62.0), 5.0)),
        ("a region, zoom 8", snap_viewport(bounds(18.0, 41.0, 24.0, 45.0), 8.0)),
    ];
    for (name, (area, zoom)) in views {
        for (window_name, days) in [("all time", 0), ("1 year", 365), ("30 days", 30)] {
            let (p50, p95) = time(|_| {
                let to_day = first + i32::try_from(rng.below(span)).unwrap_or(0);
                let from_day = if days == 0 { first } else { to_day - days + 1 };
                store.cells(&ViewQuery { from_day, to_day: if days == 0 { last } else { to_day }, bounds: area, zoom })
            })?;
            latencies.push(Latency { question: format!("cells, {name}, {window_name}"), ms_p50: p50, ms_p95: p95 });
        }
    }
    let bin_days = i32::try_from(span / 240 + 1).unwrap_or(1);
    let (p50, p95) = time(|_| store.bins(&BinQuery { from_day: first, bin_days, bins: 240 }))?;
    latencies.push(Latency { question: "timeline bins (240)".into(), ms_p50: p50, ms_p95: p95 });
    let europe = ViewQuery { from_day: first, to_day: last, bounds: views[1].1.0, zoom: 5.0 };
    let (p50, p95) = time(|_| store.events_in_view(&europe, 200))?;
    latencies.push(Latency { question: "the view's first 200 events".into(), ms_p50: p50, ms_p95: p95 });
    let rows = store.events_in_view(&europe, 200)?.rows;
    let (p50, p95) = time(|i| match rows.get(i % rows.len().max(1)) {
        Some(row) => store.details(&row.id, Some(row.days.0)),
        None => Ok(None),
    })?;
    latencies.push(Latency { question: "one event's details".into(), ms_p50: p50, ms_p95: p95 });
    let (p50, p95) = time(|_| store.search("protest", 200))?;
    latencies.push(Latency { question: "search (one word)".into(), ms_p50: p50, ms_p95: p95 });

    let (scrub_frame_ms, pan_frame_ms) = explorer_frames(store, frames, (first, last));
    Ok(StoreBenchReport {
        store: String::new(),
        events,
        latencies,
        scrub_frame_ms,
        pan_frame_ms,
        peak_rss_mb: peak_rss_mb(),
    })
}

/// The explorer's frame times while scrubbing, then panning: the UI pass and tessellation, with
/// the store answering on its own thread.
fn explorer_frames(store: Arc<dyn EventStore>, frames: usize, (first, last): (i32, i32)) -> ((f64, f64), (f64, f64)) {
    let mut app = StoreApp::new(store, || {});
    let mut headless = super::bench::HeadlessFrames::default();
    let mut run_frame = |app: &mut StoreApp| headless.run(|ui| app.frame_ui(ui));
    // Until the store has answered the first view.
    for _ in 0..3000 {
        run_frame(&mut app);
        if app.view_hits().is_some() {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(5));
    }
    app.apply(StoreCommand::SetWindowDays(30));
    let frames = frames.max(1);
    let mut scrub = Vec::with_capacity(frames);
    for frame in 0..frames {
        #[expect(clippy::cast_precision_loss, reason = "frame counts are small")]
        let day = f64::from(first) + f64::from(last - first) * (frame + 1) as f64 / frames as f64;
        app.apply(StoreCommand::SetCursor(day));
        scrub.push(run_frame(&mut app));
    }
    let mut pan = Vec::with_capacity(frames);
    for frame in 0..frames {
        let mut memory = walkers::MapMemory::default();
        #[expect(clippy::cast_precision_loss, reason = "frame counts are small")]
        memory.center_at(walkers::lon_lat(5.0 + 0.05 * frame as f64, 48.0));
        memory.set_zoom(6.0).ok();
        app.apply(StoreCommand::MapMoved(Box::new(memory)));
        pan.push(run_frame(&mut app));
    }
    (percentiles(scrub), percentiles(pan))
}

/// `kronika bench` on a store: prints a summary and one JSON line.
pub fn run(store: Arc<dyn EventStore>, frames: usize, json: bool) -> std::process::ExitCode {
    let name = store.describe();
    let outcome = run_store_bench(store, frames).map(|report| StoreBenchReport { store: name, ..report });
    super::bench::report_outcome(outcome, json, |report| {
        eprintln!("{}: {} events", report.store, report.events);
        for latency in &report.latencies {
            eprintln!("  {}: p50 {:.1} ms, p95 {:.1} ms", latency.question, latency.ms_p50, latency.ms_p95);
        }
        eprintln!(
            "  explorer frames: scrubbing p50 {:.2} ms, p95 {:.2} ms; panning p50 {:.2} ms, p95 {:.2} ms; peak RSS {:.0} MiB",
            report.scrub_frame_ms.0,
            report.scrub_frame_ms.1,
            report.pan_frame_ms.0,
            report.pan_frame_ms.1,
            report.peak_rss_mb
        );
    })
}
