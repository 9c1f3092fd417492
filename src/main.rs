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
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Some(Commands::Check { paths, json }) => check(&paths, json),
        None => run_app(cli.data),
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

fn run_app(data: Option<PathBuf>) -> ExitCode {
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
            Ok(Box::new(KronikaApp::new(cc, AppOptions { data_path: Some(data_path), allow_network: true })))
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
