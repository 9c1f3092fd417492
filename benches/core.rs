//! Criterion benches on synthetic data: loading, window queries, histogram bins, a full frame.
//! Run with `cargo bench --bench core`; sizes via `KRONIKA_BENCH_EVENTS` (default 100000).

// criterion_group! defines an undocumented public function; a bench that cannot set up may stop.
#![allow(missing_docs, clippy::expect_used)]

use std::hint::black_box;
use std::path::PathBuf;

use criterion::{Criterion, criterion_group, criterion_main};
use kronika::app::{KronikaApp, ViewState};
use kronika::io::load;
use kronika::ui::Command;

fn event_count() -> usize {
    std::env::var("KRONIKA_BENCH_EVENTS").ok().and_then(|v| v.parse().ok()).unwrap_or(100_000)
}

/// A synthetic file, written once per size and reused.
fn synthetic_file(events: usize) -> PathBuf {
    let path = std::env::temp_dir().join(format!("kronika-criterion-{events}.geojson"));
    if !path.exists() {
        let mut writer = std::io::BufWriter::new(std::fs::File::create(&path).expect("temp file"));
        kronika::cli::generate::write_synthetic(events, 1, &mut writer).expect("write synthetic data");
        std::io::Write::flush(&mut writer).expect("flush");
    }
    path
}

fn benches(c: &mut Criterion) {
    let events = event_count();
    let path = synthetic_file(events);
    let mut group = c.benchmark_group(format!("{events}_events"));
    group.sample_size(10);

    group.bench_function("load", |b| b.iter(|| black_box(load(&path)).dataset.events.len()));

    let report = load(&path);
    let index = report.dataset.time_index().clone();
    let (first, last) = index.start_extent().expect("events");
    group.bench_function("window_query_30_days", |b| {
        let mut from = first;
        b.iter(|| {
            from = if from + 30 > last { first } else { from + 97 };
            let mut count = 0usize;
            index.for_each_in_window(from, from + 29, |_| count += 1);
            black_box(count)
        });
    });
    group.bench_function("histogram_400_bins", |b| {
        let width = ((last - first) / 400).max(1);
        b.iter(|| black_box(index.histogram_of_starts(first, width, 400)));
    });

    let mut app = KronikaApp::from_report(report, ViewState::default());
    app.apply(Command::SetProblemsOpen(false));
    let ctx = egui::Context::default();
    let rect = egui::Rect::from_min_size(egui::Pos2::ZERO, egui::vec2(1280.0, 800.0));
    let mut time = 0.0;
    let mut cursor = f64::from(first);
    app.apply(Command::FitMap);
    group.bench_function("frame_scrubbing_1280x800", |b| {
        b.iter(|| {
            time += 1.0 / 60.0;
            cursor = if cursor > f64::from(last) { f64::from(first) } else { cursor + 7.0 };
            app.apply(Command::SetCursor(cursor));
            let input = egui::RawInput { screen_rect: Some(rect), time: Some(time), ..egui::RawInput::default() };
            let mut output = ctx.run_ui(input, |ui| app.frame_ui(ui));
            output.textures_delta.clear();
            black_box(ctx.tessellate(output.shapes, output.pixels_per_point).len())
        });
    });
    group.finish();
}

criterion_group!(core, benches);
criterion_main!(core);
