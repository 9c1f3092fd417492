//! `kronika bench`: load a file, then drive the real app UI headless (egui run + tessellate, no
//! window) at 1280×800 with the map showing all events, scrubbing the timeline one step per frame.

use std::path::Path;
use std::time::Instant;

use super::generate::Rng;
use crate::app::{KronikaApp, ViewState};
use crate::io::{LoadOptions, LoadReport, load_with};
use crate::model::text::for_terminal;
use crate::model::view_link::ViewLink;
use crate::ui::Command;

/// What a bench measured: one run's figures, or the medians of several runs (see `runs`).
#[derive(Clone, Debug, Default, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct BenchReport {
    /// Events loaded.
    pub events: usize,
    /// Seconds from opening the file to the app ready to draw its events (loaded, indexed, shown).
    pub load_s: f64,
    /// Median time of a 30-day window query, in microseconds.
    pub query_us_p50: f64,
    /// Median frame time (UI pass + tessellation), in milliseconds.
    pub frame_ms_p50: f64,
    /// 95th-percentile frame time, in milliseconds.
    pub frame_ms_p95: f64,
    /// Peak resident memory of the process, in MiB (Linux; 0 elsewhere).
    pub peak_rss_mb: f64,
    /// Frames measured.
    pub frames: usize,
    /// Seconds of a bare syntax pass over the file (`serde_json` into `IgnoredAny`, or the `csv`
    /// crate reading every record), the floor any loader stands on.
    pub parse_limit_s: f64,
    /// `load_s` over `parse_limit_s`.
    pub load_ratio: f64,
    /// Frame times per scenario: scrubbing with every event in view, zoomed in on the densest
    /// place, panning, zooming in and out.
    pub scenarios: Vec<Scenario>,
    /// Milliseconds from a zoom step to the first frame that shows its exact groups (median and
    /// 95th percentile): the step's own frame, or, when the regroup runs off the frame, the wait
    /// until it is done plus the frame that shows it.
    pub zoom_regroup_ms_p50: f64,
    /// See `zoom_regroup_ms_p50`.
    pub zoom_regroup_ms_p95: f64,
    /// Each run's own figures when the bench ran several times (`--runs`), each in a process of
    /// its own: the figures above are then their medians, and the peak RSS the highest. Empty
    /// for a single run.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub runs: Vec<RunFigures>,
}

/// The main figures of one of several runs.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct RunFigures {
    /// See [`BenchReport::load_s`].
    pub load_s: f64,
    /// See [`BenchReport::parse_limit_s`].
    pub parse_limit_s: f64,
    /// See [`BenchReport::load_ratio`].
    pub load_ratio: f64,
    /// See [`BenchReport::peak_rss_mb`].
    pub peak_rss_mb: f64,
    /// See [`BenchReport::frame_ms_p95`].
    pub frame_ms_p95: f64,
}

impl RunFigures {
    /// The figures of `report`, one run's.
    pub fn of(report: &BenchReport) -> Self {
        Self {
            load_s: report.load_s,
            parse_limit_s: report.parse_limit_s,
            load_ratio: report.load_ratio,
            peak_rss_mb: report.peak_rss_mb,
            frame_ms_p95: report.frame_ms_p95,
        }
    }
}

/// Frame times of one way of using the map.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Scenario {
    /// "fit-all scrub", "zoomed scrub", "pan", "zoom".
    pub name: String,
    /// Median frame time, in milliseconds.
    pub frame_ms_p50: f64,
    /// 95th-percentile frame time, in milliseconds.
    pub frame_ms_p95: f64,
}

/// Why a bench could not run.
#[derive(Debug, thiserror::Error)]
pub enum BenchError {
    /// The file gave no events.
    #[error("{}: no events loaded ({problems} problem(s); run `kronika check` on it)", for_terminal(path))]
    NoEvents {
        /// The file.
        path: String,
        /// How many problems loading reported.
        problems: usize,
    },
}

/// `kronika bench FILE`: prints a summary line (unless `json`) and the report as one JSON line.
pub fn run(
    path: &Path,
    options: &LoadOptions,
    frames: usize,
    json: bool,
    window_days: Option<f64>,
) -> std::process::ExitCode {
    report_outcome(run_bench(path, options, frames, window_days), json, print_summary)
}

/// The report for people: its figures in a few lines, on standard error.
pub fn print_summary(report: &BenchReport) {
    if report.runs.len() > 1 {
        let range = |figure: fn(&RunFigures) -> f64| {
            let values = report.runs.iter().map(figure);
            let low = values.clone().fold(f64::INFINITY, f64::min);
            (low, values.fold(f64::NEG_INFINITY, f64::max))
        };
        let (load_low, load_high) = range(|run| run.load_s);
        let (ratio_low, ratio_high) = range(|run| run.load_ratio);
        let (rss_low, rss_high) = range(|run| run.peak_rss_mb);
        eprintln!(
            "Medians of {} runs, each in a process of its own (peak RSS: the highest); the runs: load {load_low:.2}–{load_high:.2} s ({ratio_low:.1}–{ratio_high:.1}×), peak RSS {rss_low:.0}–{rss_high:.0} MiB",
            report.runs.len()
        );
    }
    eprintln!(
        "{} events: load {:.2} s ({:.1}× a bare parse of {:.2} s), query p50 {:.1} µs, frame p50 {:.2} ms, p95 {:.2} ms, peak RSS {:.0} MiB",
        report.events,
        report.load_s,
        report.load_ratio,
        report.parse_limit_s,
        report.query_us_p50,
        report.frame_ms_p50,
        report.frame_ms_p95,
        report.peak_rss_mb
    );
    for scenario in &report.scenarios {
        eprintln!(
            "  {}: frame p50 {:.2} ms, p95 {:.2} ms",
            scenario.name, scenario.frame_ms_p50, scenario.frame_ms_p95
        );
    }
    eprintln!(
        "  a zoom step's exact groups shown after p50 {:.2} ms, p95 {:.2} ms",
        report.zoom_regroup_ms_p50, report.zoom_regroup_ms_p95
    );
}

/// Prints a bench's outcome: its summary for people (unless `json`), then the report as one JSON
/// line; or why it could not run.
pub fn report_outcome<R: serde::Serialize, E: std::fmt::Display>(
    outcome: Result<R, E>,
    json: bool,
    summary: impl FnOnce(&R),
) -> std::process::ExitCode {
    match outcome {
        Ok(report) => {
            if !json {
                summary(&report);
            }
            match serde_json::to_string(&report) {
                Ok(line) => println!("{line}"),
                Err(error) => eprintln!("kronika bench: cannot write the report: {error}"),
            }
            std::process::ExitCode::SUCCESS
        }
        Err(error) => {
            eprintln!("kronika bench: {error}");
            std::process::ExitCode::from(1)
        }
    }
}

/// Width and height of the headless window.
pub const BENCH_SIZE: [f32; 2] = [1280.0, 800.0];

/// Loads `path` and measures `frames` scrubbing frames, in the app's default cumulative view
/// (`window_days: None`: every event up to the cursor) or with a window of that many days.
///
/// # Errors
/// [`BenchError::NoEvents`] when the file loads no events.
pub fn run_bench(
    path: &Path,
    options: &LoadOptions,
    frames: usize,
    window_days: Option<f64>,
) -> Result<BenchReport, BenchError> {
    // The app as a file finds it: started, its basemap decoded (once, beside the first load).
    let mut app = KronikaApp::from_report(LoadReport::default(), ViewState::default());
    let started = Instant::now();
    let report = load_with(path, options);
    app.apply(Command::DatasetLoaded(Box::new(report)));
    let load_s = started.elapsed().as_secs_f64();
    let events = app.dataset().events.len();
    if events == 0 {
        return Err(BenchError::NoEvents { path: path.display().to_string(), problems: app.report().problems.len() });
    }
    app.apply(Command::SetSidePanelOpen(true));
    app.apply(Command::SetProblemsOpen(false));
    if let Some(days) = window_days {
        app.apply(Command::SetCumulative(false));
        app.apply(Command::SetWindowDays(days));
    }

    let query_us_p50 = measure_queries(&app);

    let mut headless = HeadlessFrames::default();
    let mut run_frame = |app: &mut KronikaApp| headless.run(|ui| app.frame_ui(ui));
    // Warm up: fonts, layout caches, the map fitted to every event.
    for _ in 0..3 {
        run_frame(&mut app);
    }
    app.apply(Command::FitMap);
    let Some((first, last)) = app.filtered_index().start_extent() else {
        return Err(BenchError::NoEvents { path: path.display().to_string(), problems: 0 });
    };
    let frames = frames.max(1);
    #[expect(clippy::cast_precision_loss, reason = "frame counts are small")]
    let step_days = f64::from((last - first).max(1)) / frames as f64;
    let mut frame_ms = Vec::with_capacity(frames);
    for frame in 0..frames {
        #[expect(clippy::cast_precision_loss, reason = "frame counts are small")]
        let cursor = f64::from(first) + step_days * (frame + 1) as f64;
        app.apply(Command::SetCursor(cursor));
        frame_ms.push(run_frame(&mut app));
    }
    frame_ms.sort_by(f64::total_cmp);
    let mut scenarios = vec![scenario("fit-all scrub", frame_ms.clone())];

    // Zoomed in four levels on the densest place, scrubbing.
    let ((fit_lon, fit_lat), zoom) = app.map_view();
    let dense = densest_point(&app).unwrap_or((fit_lat, fit_lon));
    let zoomed = ViewLink { map: Some((dense.0, dense.1, (zoom + 4.0).min(16.0))), ..ViewLink::default() };
    app.apply(Command::ApplyView(Box::new(zoomed)));
    let mut zoomed_ms = Vec::new();
    for frame in 0..frames {
        #[expect(clippy::cast_precision_loss, reason = "frame counts are small")]
        app.apply(Command::SetCursor(f64::from(first) + step_days * (frame + 1) as f64));
        zoomed_ms.push(run_frame(&mut app));
    }
    scenarios.push(scenario("zoomed scrub", zoomed_ms));

    // Everything "now", the map panned a little each frame, then zoomed in and out.
    app.apply(Command::SetCursor(f64::from(last) + 1.0));
    app.apply(Command::FitMap);
    run_frame(&mut app);
    let ((pan_lon, pan_lat), zoom) = app.map_view();
    let mut pan_ms = Vec::new();
    for frame in 0..frames {
        #[expect(clippy::cast_precision_loss, reason = "frame counts are small")]
        let shift = 0.002 * 2f64.powf(12.0 - zoom) * frame as f64;
        let view = ViewLink { map: Some((pan_lat, pan_lon + shift, zoom)), ..ViewLink::default() };
        app.apply(Command::ApplyView(Box::new(view)));
        pan_ms.push(run_frame(&mut app));
    }
    scenarios.push(scenario("pan", pan_ms));
    let mut zoom_ms = Vec::new();
    for frame in 0..frames {
        app.apply(Command::ZoomMap(if frame % 8 < 4 { 1 } else { -1 }));
        zoom_ms.push(run_frame(&mut app));
    }
    scenarios.push(scenario("zoom", zoom_ms));
    let mut regroup_ms = Vec::new();
    for frame in 0..frames {
        app.apply(Command::ZoomMap(if frame % 8 < 4 { 1 } else { -1 }));
        regroup_ms.push(zoom_settled_ms(&mut app, &mut run_frame));
    }
    regroup_ms.sort_by(f64::total_cmp);

    // Before the bare syntax pass below, which reads the file again beside the loaded events.
    let peak_rss_mb = peak_rss_mb();
    let parse_limit_s = parse_limit_s(path);
    Ok(BenchReport {
        events,
        load_s,
        query_us_p50,
        frame_ms_p50: percentile(&frame_ms, 0.50),
        frame_ms_p95: percentile(&frame_ms, 0.95),
        peak_rss_mb,
        frames,
        parse_limit_s,
        load_ratio: if parse_limit_s > 0.0 { load_s / parse_limit_s } else { 0.0 },
        scenarios,
        zoom_regroup_ms_p50: percentile(&regroup_ms, 0.50),
        zoom_regroup_ms_p95: percentile(&regroup_ms, 0.95),
        runs: Vec::new(),
    })
}

/// Milliseconds from now (just after a zoom step) to the first frame showing the step's exact
/// groups. Between frames it waits as a window does, leaving the cores to the regroup, and draws
/// the next frame as soon as the regroup is done (at most ten seconds).
fn zoom_settled_ms(app: &mut KronikaApp, run_frame: &mut impl FnMut(&mut KronikaApp) -> f64) -> f64 {
    let started = Instant::now();
    run_frame(app);
    while app.map_regrouping().0 && started.elapsed().as_secs() < 10 {
        while !app.map_regrouping().1 && started.elapsed().as_secs() < 10 {
            std::thread::sleep(std::time::Duration::from_micros(200));
        }
        run_frame(app);
    }
    started.elapsed().as_secs_f64() * 1000.0
}

/// Frames of a UI drawn headless at [`BENCH_SIZE`], 60 a second: the egui pass and tessellation,
/// timed, with no window and no GPU.
pub struct HeadlessFrames {
    ctx: egui::Context,
    rect: egui::Rect,
    time: f64,
}

impl Default for HeadlessFrames {
    /// A context with the app's fonts.
    fn default() -> Self {
        let ctx = egui::Context::default();
        ctx.set_fonts(crate::ui::style::fonts());
        let rect = egui::Rect::from_min_size(egui::Pos2::ZERO, egui::vec2(BENCH_SIZE[0], BENCH_SIZE[1]));
        Self { ctx, rect, time: 0.0 }
    }
}

impl HeadlessFrames {
    /// Draws one frame with `ui`; its time in milliseconds.
    pub fn run(&mut self, ui: impl FnMut(&mut egui::Ui)) -> f64 {
        self.time += 1.0 / 60.0;
        let input = egui::RawInput { screen_rect: Some(self.rect), time: Some(self.time), ..egui::RawInput::default() };
        let started = Instant::now();
        let mut output = self.ctx.run_ui(input, ui);
        // No GPU here: font atlas updates have nowhere to go.
        output.textures_delta.clear();
        std::hint::black_box(self.ctx.tessellate(output.shapes, output.pixels_per_point));
        started.elapsed().as_secs_f64() * 1000.0
    }
}

fn scenario(name: &str, mut frame_ms: Vec<f64>) -> Scenario {
    frame_ms.sort_by(f64::total_cmp);
    Scenario {
        name: name.to_owned(),
        frame_ms_p50: percentile(&frame_ms, 0.5),
        frame_ms_p95: percentile(&frame_ms, 0.95),
    }
}

/// The (lat, lon) of the map cell at zoom 8 holding the most events.
fn densest_point(app: &KronikaApp) -> Option<(f64, f64)> {
    let mut cells: std::collections::HashMap<(i32, i32), u32> = std::collections::HashMap::new();
    for event in app.dataset().events.iter().step_by(16) {
        let Some(point) = event.lon_lat else { continue };
        #[expect(clippy::cast_possible_truncation, reason = "cells")]
        let cell = ((point.lon * 2.0).floor() as i32, (point.lat * 2.0).floor() as i32);
        *cells.entry(cell).or_default() += 1;
    }
    let ((x, y), _) = cells.into_iter().max_by_key(|&(cell, count)| (count, cell))?;
    Some((f64::midpoint(f64::from(y), 0.5), f64::midpoint(f64::from(x), 0.5)))
}

/// Seconds of a bare syntax pass over the file: the floor a loader stands on. A folder's events
/// file is measured; 0 when the file cannot be read again.
fn parse_limit_s(path: &Path) -> f64 {
    let file = if path.is_dir() { path.join(crate::io::EVENTS_FILE) } else { path.to_path_buf() };
    let Ok(bytes) = std::fs::read(&file) else { return 0.0 };
    let started = Instant::now();
    let json = bytes.iter().find(|b| !b.is_ascii_whitespace()).is_some_and(|&b| b == b'{' || b == b'[');
    if json {
        let parsed: Result<serde::de::IgnoredAny, _> = serde_json::from_slice(&bytes);
        std::hint::black_box(parsed.is_ok());
    } else {
        let mut reader = ::csv::ReaderBuilder::new().flexible(true).from_reader(bytes.as_slice());
        let mut record = ::csv::ByteRecord::new();
        let mut rows = 0_usize;
        while reader.read_byte_record(&mut record).unwrap_or(false) {
            rows += 1;
        }
        std::hint::black_box(rows);
    }
    started.elapsed().as_secs_f64()
}

/// Median time of random 30-day window queries over the filtered index.
fn measure_queries(app: &KronikaApp) -> f64 {
    let index = app.filtered_index();
    let Some((first, last)) = index.start_extent() else { return 0.0 };
    let mut rng = Rng::new(42);
    let span = u64::try_from((last - first).max(1)).unwrap_or(1);
    let mut times_us: Vec<f64> = (0..1000)
        .map(|_| {
            let from = first + i32::try_from(rng.below(span)).unwrap_or(0);
            let started = Instant::now();
            let mut count = 0usize;
            index.for_each_in_window(from, from + 29, |_| count += 1);
            std::hint::black_box(count);
            started.elapsed().as_secs_f64() * 1e6
        })
        .collect();
    times_us.sort_by(f64::total_cmp);
    percentile(&times_us, 0.5)
}

/// The value at a quantile of sorted values.
fn percentile(sorted: &[f64], quantile: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    #[expect(
        clippy::cast_precision_loss,
        clippy::cast_possible_truncation,
        clippy::cast_sign_loss,
        reason = "an index"
    )]
    let position = ((sorted.len() - 1) as f64 * quantile).round() as usize;
    sorted.get(position).copied().unwrap_or(0.0)
}

/// Peak resident set size from `/proc/self/status` (VmHWM), in MiB.
pub fn peak_rss_mb() -> f64 {
    let Ok(status) = std::fs::read_to_string("/proc/self/status") else { return 0.0 };
    status
        .lines()
        .find_map(|line| line.strip_prefix("VmHWM:"))
        .and_then(|rest| rest.trim().trim_end_matches("kB").trim().parse::<f64>().ok())
        .map_or(0.0, |kib| kib / 1024.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percentiles() {
        let values = [1.0, 2.0, 3.0, 4.0, 5.0];
        assert!((percentile(&values, 0.5) - 3.0).abs() < f64::EPSILON);
        assert!((percentile(&values, 0.95) - 5.0).abs() < f64::EPSILON);
        assert!(percentile(&[], 0.5).abs() < f64::EPSILON);
    }

    #[test]
    fn bench_runs_on_a_small_synthetic_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("bench.geojson");
        let mut file = std::io::BufWriter::new(std::fs::File::create(&path).unwrap());
        crate::cli::generate::write_synthetic(2000, 1, &mut file).unwrap();
        std::io::Write::flush(&mut file).unwrap();
        drop(file);
        let report = run_bench(&path, &LoadOptions::default(), 5, None).unwrap();
        assert_eq!(report.events, 2000);
        let report = run_bench(&path, &LoadOptions::default(), 5, Some(30.0)).unwrap();
        assert_eq!(report.events, 2000);
        assert_eq!(report.frames, 5);
        assert!(report.frame_ms_p95 >= report.frame_ms_p50);
    }
}
