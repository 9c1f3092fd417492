//! The `kronika` command: opens the explorer, or runs a subcommand.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use kronika::app::{AppOptions, KronikaApp};

/// Explore conflict events on a map and a timeline, each traced to its sources.
#[derive(Parser)]
#[command(name = "kronika", version, about)]
struct Cli {
    /// A dataset directory or GeoJSON file to open (default: the shipped dataset).
    #[arg(long, value_name = "PATH")]
    data: Option<PathBuf>,

    /// A local tile archive (.pmtiles or .mbtiles) to show under the markers, for work without a network.
    #[arg(long, value_name = "PATH")]
    tiles: Option<PathBuf>,

    #[command(subcommand)]
    command: Option<Commands>,
}

#[derive(Subcommand)]
enum Commands {
    /// Validate datasets and report every problem with its location. Exit 0 valid, 1 errors.
    Check {
        /// Dataset directories or GeoJSON files.
        #[arg(required = true, value_name = "PATH")]
        paths: Vec<PathBuf>,
        /// Print a JSON report instead of text.
        #[arg(long)]
        json: bool,
    },
    /// Write a deterministic synthetic dataset (plain GeoJSON) for benchmarks.
    Gen {
        /// Number of events.
        #[arg(long, default_value_t = 100_000)]
        events: usize,
        /// Output file.
        #[arg(long, value_name = "FILE")]
        out: PathBuf,
        /// Random seed: the same seed writes the same file.
        #[arg(long, default_value_t = 1)]
        seed: u64,
    },
    /// Load FILE, then drive the real UI headless at 1280×800 while scrubbing; print the timings.
    Bench {
        /// A dataset directory or GeoJSON file.
        #[arg(value_name = "FILE")]
        path: PathBuf,
        /// Frames to measure.
        #[arg(long, default_value_t = 300)]
        frames: usize,
        /// Print one JSON object (the default prints it too, after a summary line).
        #[arg(long)]
        json: bool,
        /// Show a window of this many days instead of the default cumulative view.
        #[arg(long, value_name = "DAYS")]
        window_days: Option<f64>,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Some(Commands::Check { paths, json }) => check(&paths, json),
        Some(Commands::Gen { events, out, seed }) => generate(events, &out, seed),
        Some(Commands::Bench { path, frames, json, window_days }) => bench(&path, frames, json, window_days),
        None => run_app(cli.data, cli.tiles),
    }
}

fn check(paths: &[PathBuf], json: bool) -> ExitCode {
    let summaries: Vec<_> = paths.iter().map(|p| kronika::check::check_path(p)).collect();
    if json {
        match serde_json::to_string_pretty(&summaries) {
            Ok(text) => println!("{text}"),
            Err(error) => {
                eprintln!("kronika: cannot write the JSON report: {error}");
                return ExitCode::from(1);
            }
        }
    } else {
        for summary in &summaries {
            print!("{}", kronika::check::format_summary(summary));
        }
    }
    if summaries.iter().any(|s| s.errors > 0) { ExitCode::from(1) } else { ExitCode::SUCCESS }
}

fn generate(events: usize, out: &std::path::Path, seed: u64) -> ExitCode {
    // Write to a temporary file and rename, so an interrupted run never leaves half a dataset.
    let temporary = out.with_extension("geojson.partial");
    let written = std::fs::File::create(&temporary).and_then(|file| {
        let mut writer = std::io::BufWriter::new(file);
        kronika::synth::write_synthetic(events, seed, &mut writer)?;
        let file = writer.into_inner().map_err(std::io::IntoInnerError::into_error)?;
        file.sync_all()?;
        std::fs::rename(&temporary, out)
    });
    match written {
        Ok(()) => {
            println!("wrote {events} events to {}", out.display());
            ExitCode::SUCCESS
        }
        Err(error) => {
            std::fs::remove_file(&temporary).ok();
            eprintln!("kronika gen: cannot write {}: {error}", out.display());
            ExitCode::from(1)
        }
    }
}

fn bench(path: &std::path::Path, frames: usize, json: bool, window_days: Option<f64>) -> ExitCode {
    match kronika::bench::run_bench(path, frames, window_days) {
        Ok(report) => {
            let line = serde_json::to_string(&report).unwrap_or_default();
            if !json {
                eprintln!(
                    "{} events: load {:.2} s, query p50 {:.1} µs, frame p50 {:.2} ms, p95 {:.2} ms, peak RSS {:.0} MiB",
                    report.events,
                    report.load_s,
                    report.query_us_p50,
                    report.frame_ms_p50,
                    report.frame_ms_p95,
                    report.peak_rss_mb
                );
            }
            println!("{line}");
            ExitCode::SUCCESS
        }
        Err(error) => {
            eprintln!("kronika bench: {error}");
            ExitCode::from(1)
        }
    }
}

fn run_app(data: Option<PathBuf>, tiles_path: Option<PathBuf>) -> ExitCode {
    let data_path = data.unwrap_or_else(KronikaApp::shipped_data_dir);
    let options = eframe::NativeOptions {
        viewport: egui::ViewportBuilder::default()
            .with_title("Kronika")
            .with_inner_size([1400.0, 880.0])
            .with_min_inner_size([800.0, 500.0])
            .with_drag_and_drop(true),
        ..Default::default()
    };
    let result = eframe::run_native(
        "Kronika",
        options,
        Box::new(move |cc| {
            Ok(Box::new(KronikaApp::new(
                cc,
                AppOptions {
                    data_path: Some(data_path),
                    allow_network: true,
                    tiles_path,
                    settings_path: kronika::app::default_settings_path(),
                },
            )))
        }),
    );
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("kronika: cannot open the window: {error}");
            ExitCode::from(1)
        }
    }
}
