//! The `kronika` command: opens the explorer, or runs a subcommand, one file each.
//!
//! - [`check`]: validate datasets; [`generate`]: write synthetic datasets; [`bench`]: measure loading and frames.

pub mod bench;
pub mod check;
pub mod generate;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

use self::generate::{GenFormat, GenShape, GenSpec, GenSpread};
use crate::app::{AppOptions, KronikaApp, default_settings_path};
use crate::io::LoadOptions;
use crate::io::formats::columns::{ColumnRole, parse_overrides};
use crate::tiles::is_tile_archive;
use crate::ui::command::OpenRequest;

/// Explore conflict events on a map and a timeline, each traced to its sources.
#[derive(Parser)]
#[command(name = "kronika", version, about)]
struct Cli {
    /// Files to open together as one dataset (GeoJSON, CSV/TSV, ACLED, TimeMap, KML/KMZ), or one
    /// dataset folder; tile archives (.pmtiles, .mbtiles) among them become the map layer.
    #[arg(value_name = "FILE")]
    files: Vec<PathBuf>,

    /// A dataset folder or file to open, as FILE does (default: the shipped dataset).
    #[arg(long, value_name = "PATH")]
    data: Option<PathBuf>,

    /// Which column (or property) holds what, for files from other tools:
    /// `start=COL,end=COL,time=COL,lat=COL,lon=COL,title=COL,category=COL,id=COL,summary=COL,place=COL,source=COL`.
    #[arg(long, value_name = "ROLE=COLUMN,…", global = true, value_parser = parse_columns)]
    columns: Option<Vec<(ColumnRole, String)>>,

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
        /// Dataset folders or files of any format Kronika reads, each checked on its own.
        #[arg(required = true, value_name = "PATH")]
        paths: Vec<PathBuf>,
        /// Print a JSON report instead of text.
        #[arg(long)]
        json: bool,
    },
    /// Write a deterministic synthetic dataset for benchmarks: clustered in space and time, some
    /// dates imprecise, some spans.
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
        /// What the events carry: Kronika's own fields, 20 more, or ACLED's columns.
        #[arg(long, value_enum, default_value_t = GenShape::Plain)]
        shape: GenShape,
        /// The file's format.
        #[arg(long, value_enum, default_value_t = GenFormat::Geojson)]
        format: GenFormat,
        /// Where the events are: hot spots over the Balkans, or over Europe.
        #[arg(long, value_enum, default_value_t = GenSpread::Region)]
        spread: GenSpread,
    },
    /// Load FILE, then drive the real UI headless at 1280×800 while scrubbing; print the timings.
    Bench {
        /// A dataset folder or a file of any format Kronika reads.
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

/// Parses the command line and runs what it asks for.
pub fn run() -> ExitCode {
    let cli = Cli::parse();
    let options = LoadOptions { columns: cli.columns.unwrap_or_default() };
    match cli.command {
        Some(Commands::Check { paths, json }) => check::run(&paths, &options, json),
        Some(Commands::Gen { events, out, seed, shape, format, spread }) => {
            generate::run(GenSpec { events, seed, shape, format, spread }, &out)
        }
        Some(Commands::Bench { path, frames, json, window_days }) => {
            bench::run(&path, &options, frames, json, window_days)
        }
        None => {
            let mut files = cli.files;
            files.extend(cli.data);
            if files.iter().all(|path| is_tile_archive(path)) {
                files.push(KronikaApp::shipped_data_dir());
            }
            run_app(OpenRequest { paths: files, options }, cli.tiles)
        }
    }
}

/// `--columns`, checked as the command line is read.
fn parse_columns(spec: &str) -> Result<Vec<(ColumnRole, String)>, String> {
    parse_overrides(spec)
}

fn run_app(open: OpenRequest, tiles_path: Option<PathBuf>) -> ExitCode {
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
                    open: Some(open),
                    allow_network: true,
                    tiles_path,
                    settings_path: default_settings_path(),
                    today: chrono::Local::now().date_naive(),
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
