//! The `kronika` command: opens the explorer, or runs a subcommand, one file each.
//!
//! - [`check`]: validate datasets; [`generate`]: write synthetic datasets; [`bench`]: measure loading and frames;
//!   [`export`]: write the events that match as GeoJSON, CSV or KML; [`render`]: the app's picture, headless.

pub mod bench;
pub mod bench_runs;
pub mod bench_store;
pub mod check;
pub mod explore;
pub mod export;
pub mod generate;
pub mod load;
pub mod render;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

use self::generate::{GenFormat, GenShape, GenSpec, GenSpread};
use crate::app::{AppOptions, KronikaApp, default_settings_path};
use chrono::NaiveDate;

use crate::io::LoadOptions;
use crate::io::export::ExportFormat;
use crate::io::formats::columns::{ColumnRole, parse_overrides};
use crate::model::view_link::{VIEW_PREFIX, ViewLink};
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

    /// A dataset folder or file to open, as FILE does (default: the shipped dataset), or a
    /// ClickHouse table to explore where it is: clickhouse://host:8123/database?table=events.
    #[arg(long, value_name = "PATH")]
    data: Option<PathBuf>,

    /// Which column (or property) holds what, for files from other tools:
    /// `start=COL,end=COL,time=COL,lat=COL,lon=COL,title=COL,category=COL,id=COL,summary=COL,place=COL,source=COL`.
    #[arg(long, value_name = "ROLE=COLUMN,…", global = true, value_parser = parse_columns)]
    columns: Option<Vec<(ColumnRole, String)>>,

    /// A local tile archive (.pmtiles or .mbtiles) to show under the markers, for work without a network.
    #[arg(long, value_name = "PATH")]
    tiles: Option<PathBuf>,

    #[command(flatten)]
    view: ViewFlags,

    #[command(subcommand)]
    command: Option<Commands>,
}

/// A view to start at: a whole view's text, or its parts.
#[derive(clap::Args, Debug, Default)]
pub struct ViewFlags {
    /// Start at this view (`kronika:view?…`, as View → Copy view gives it), or at a map `LAT,LON,ZOOM`.
    #[arg(long, value_name = "TEXT|LAT,LON,ZOOM", global = true)]
    view: Option<String>,
    /// The timeline cursor's date (YYYY-MM-DD).
    #[arg(long, value_name = "DATE", global = true)]
    at: Option<String>,
    /// The window: `30d`, or `cumulative` for everything up to the cursor.
    #[arg(long, value_name = "DAYS|cumulative", global = true)]
    window: Option<String>,
    /// Select this event (its id).
    #[arg(long, value_name = "ID", global = true)]
    select: Option<String>,
    /// Map centre and zoom: `LAT,LON,ZOOM`.
    #[arg(long, value_name = "LAT,LON,ZOOM", global = true)]
    map: Option<String>,
    /// Search text: only the events it finds.
    #[arg(long, value_name = "TEXT", global = true)]
    filter: Option<String>,
}

impl ViewFlags {
    /// The view the flags say, or `None` when they say nothing.
    ///
    /// # Errors
    /// The flag at fault and why.
    pub fn to_view(&self) -> Result<Option<ViewLink>, String> {
        let mut view = match &self.view {
            Some(text) if text.trim_start().starts_with(VIEW_PREFIX) => {
                ViewLink::parse(text).map_err(|e| format!("--view: {e}"))?
            }
            Some(text) => {
                ViewLink::parse(&format!("{VIEW_PREFIX}map={}", text.trim())).map_err(|e| format!("--view: {e}"))?
            }
            None => ViewLink::default(),
        };
        let part = |key: &str, value: &Option<String>| -> Result<Option<ViewLink>, String> {
            let Some(value) = value else { return Ok(None) };
            let encoded = ViewLink { search: Some(value.clone()), ..ViewLink::default() }.to_text();
            let value = encoded.trim_start_matches("kronika:view?q=");
            ViewLink::parse(&format!("kronika:view?{key}={value}")).map(Some).map_err(|e| format!("--{key}: {e}"))
        };
        if let Some(at) = part("at", &self.at)? {
            view.at = at.at;
        }
        if let Some(window) = part("window", &self.window)? {
            view.window = window.window;
        }
        if let Some(select) = part("select", &self.select)? {
            view.select = select.select;
        }
        if let Some(map) = part("map", &self.map)? {
            view.map = map.map;
        }
        if let Some(search) = part("q", &self.filter)? {
            view.search = search.search;
        }
        Ok((view != ViewLink::default()).then_some(view))
    }
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
    /// Write the events that match as GeoJSON (Kronika's, loadable again), CSV or KML.
    Export {
        /// A dataset folder or a file of any format Kronika reads.
        #[arg(value_name = "DATA")]
        data: PathBuf,
        /// The format to write.
        #[arg(long, value_enum)]
        format: ExportFormat,
        /// Only events that may have happened on or after this day (YYYY-MM-DD).
        #[arg(long, value_name = "DATE", value_parser = parse_date)]
        from: Option<NaiveDate>,
        /// Only events that may have happened on or before this day (YYYY-MM-DD).
        #[arg(long, value_name = "DATE", value_parser = parse_date)]
        to: Option<NaiveDate>,
        /// The file to write (replaced whole, or not at all).
        #[arg(long, value_name = "FILE")]
        out: PathBuf,
    },
    /// Draw a view of DATA headless to a PNG (or frames / a GIF while playing to --until).
    Render {
        /// A dataset folder or a file of any format Kronika reads.
        #[arg(value_name = "DATA")]
        data: PathBuf,
        /// Width x height in pixels.
        #[arg(long, value_name = "WxH", default_value = "1600x1000", value_parser = parse_size)]
        size: [u32; 2],
        /// Pixels per point (1, 2 or 4): sharper at the same layout.
        #[arg(long, default_value_t = 1.0)]
        scale: f32,
        /// Play from the view's date to this one (YYYY-MM-DD), writing frames.
        #[arg(long, value_name = "DATE", value_parser = parse_date)]
        until: Option<NaiveDate>,
        /// Frames to write when playing.
        #[arg(long, default_value_t = 30)]
        frames: usize,
        /// Render a story (its id): a picture per step and an HTML page with the captions.
        #[arg(long, value_name = "ID")]
        story: Option<String>,
        /// The file: `.png` (frames numbered when playing) or `.gif`.
        #[arg(long, value_name = "FILE")]
        out: PathBuf,
    },
    /// Insert data of any format Kronika reads into a ClickHouse table (created when missing), in
    /// batches; run again after an interruption, it goes on without inserting anything twice.
    Load {
        /// Dataset folders or files; several load together.
        #[arg(required = true, value_name = "DATA")]
        paths: Vec<PathBuf>,
        /// The table: clickhouse://[user[:password]@]host[:port]/database?table=name (clickhouses:// for https).
        #[arg(long, value_name = "URL")]
        into: String,
        /// Rows per INSERT (each is written whole or not at all).
        #[arg(long, default_value_t = crate::io::clickhouse::BATCH_ROWS)]
        batch: usize,
        /// Stop after inserting this many batches (load in stages).
        #[arg(long, value_name = "N")]
        max_batches: Option<usize>,
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
        /// Run the bench this many times, each in a process of its own, and print the medians
        /// (peak RSS: the highest) with each run's figures. A ClickHouse table is measured once.
        #[arg(long, default_value_t = 3, value_parser = clap::value_parser!(u16).range(1..=50))]
        runs: u16,
    },
}

/// Parses the command line and runs what it asks for.
pub fn run() -> ExitCode {
    let cli = Cli::parse();
    let options = LoadOptions { columns: cli.columns.unwrap_or_default() };
    match cli.command {
        Some(Commands::Check { paths, json }) => check::run(&paths, &options, json),
        Some(Commands::Load { paths, into, batch, max_batches }) => load::run(&load::LoadRequest {
            paths: &paths,
            options: &options,
            into: &into,
            batch_rows: batch,
            max_batches,
        }),
        Some(Commands::Gen { events, out, seed, shape, format, spread }) => {
            generate::run(GenSpec { events, seed, shape, format, spread }, &out)
        }
        Some(Commands::Export { data, format, from, to, out }) => export::run(&export::ExportRequest {
            data: &data,
            options: &options,
            format,
            from,
            to,
            filter: cli.view.filter.as_deref(),
            out: &out,
        }),
        Some(Commands::Render { data, size, scale, until, frames, story, out }) => {
            let view = match cli.view.to_view() {
                Ok(view) => view.unwrap_or_default(),
                Err(message) => {
                    eprintln!("kronika render: {message}");
                    return ExitCode::from(2);
                }
            };
            if !(0.5..=8.0).contains(&scale) {
                eprintln!("kronika render: --scale is 0.5 to 8");
                return ExitCode::from(2);
            }
            render::run(&render::RenderRequest {
                data: &data,
                options: &options,
                view,
                size,
                scale,
                until,
                frames,
                story: story.as_deref(),
                out: &out,
            })
        }
        Some(Commands::Bench { path, frames, json, window_days, runs }) => {
            match path.to_str().filter(|p| crate::io::clickhouse::is_clickhouse_url(p)) {
                Some(url) => match explore::clickhouse_store(url, &options) {
                    Ok(store) => bench_store::run(std::sync::Arc::new(store), frames, json),
                    Err(message) => {
                        eprintln!("kronika bench: {message}");
                        ExitCode::from(2)
                    }
                },
                None if runs > 1 => bench_runs::run(usize::from(runs), json),
                None => bench::run(&path, &options, frames, json, window_days),
            }
        }
        None => {
            let view = match cli.view.to_view() {
                Ok(view) => view,
                Err(message) => {
                    eprintln!("kronika: {message}");
                    return ExitCode::from(2);
                }
            };
            let mut files = cli.files;
            files.extend(cli.data);
            if let Some(url) =
                files.iter().find_map(|f| f.to_str().filter(|t| crate::io::clickhouse::is_clickhouse_url(t)))
            {
                return explore::run(url, &options);
            }
            if files.iter().all(|path| is_tile_archive(path)) {
                files.push(KronikaApp::shipped_data_dir());
            }
            run_app(OpenRequest { paths: files, options }, cli.tiles, view)
        }
    }
}

/// `--size WxH`, checked as the command line is read.
fn parse_size(text: &str) -> Result<[u32; 2], String> {
    let (width, height) = text.split_once(['x', 'X']).ok_or("expected WIDTHxHEIGHT, e.g. 1600x1000")?;
    let number = |n: &str| n.trim().parse::<u32>().ok().filter(|n| (64..=8192).contains(n));
    match (number(width), number(height)) {
        (Some(width), Some(height)) => Ok([width, height]),
        _ => Err("each side is 64 to 8192 pixels".into()),
    }
}

/// A date flag, checked as the command line is read.
fn parse_date(text: &str) -> Result<NaiveDate, String> {
    NaiveDate::parse_from_str(text, "%Y-%m-%d").map_err(|_| format!("{text:?} is not a date YYYY-MM-DD"))
}

/// `--columns`, checked as the command line is read.
fn parse_columns(spec: &str) -> Result<Vec<(ColumnRole, String)>, String> {
    parse_overrides(spec)
}

fn run_app(open: OpenRequest, tiles_path: Option<PathBuf>, view: Option<ViewLink>) -> ExitCode {
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
                    view,
                    allow_network: true,
                    tiles_path,
                    settings_path: default_settings_path(),
                    recovery_dir: crate::io::recovery_dir(),
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
