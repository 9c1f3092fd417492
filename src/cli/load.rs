//! `kronika load DATA... --into clickhouse://…`: reads data of any format Kronika reads and
//! inserts it into a ClickHouse table, in batches, resumable.

use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;
use std::time::Instant;

use crate::io::clickhouse::{ClickHouseStore, ClickHouseUrl, ColumnMap, load_into};
use crate::io::{LoadOptions, Severity, load_many, sha256_hex};
use crate::model::text::for_terminal;

/// What to load, where.
pub struct LoadRequest<'a> {
    /// The data.
    pub paths: &'a [PathBuf],
    /// Columns of files from other tools.
    pub options: &'a LoadOptions,
    /// The table's address.
    pub into: &'a str,
    /// Rows per INSERT.
    pub batch_rows: usize,
    /// Stop after this many inserted batches.
    pub max_batches: Option<usize>,
}

/// The id of a load: the same files (path, size, time) give the same id, so a run after an
/// interruption finds the batches of the first.
fn load_id(paths: &[PathBuf]) -> String {
    let mut key = String::new();
    for path in paths {
        let absolute = std::fs::canonicalize(path).unwrap_or_else(|_| path.clone());
        let meta = std::fs::metadata(path).ok();
        let modified =
            meta.as_ref().and_then(|m| m.modified().ok()).and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok());
        key.push_str(&format!("{}|{}|{:?};", absolute.display(), meta.map_or(0, |m| m.len()), modified));
    }
    sha256_hex(key.as_bytes()).chars().take(16).collect()
}

/// Runs the load; exit 0 when every batch is in, 1 when the data or the server failed, 2 for a
/// wrong address.
pub fn run(request: &LoadRequest<'_>) -> ExitCode {
    let url = match ClickHouseUrl::parse(request.into) {
        Ok(url) => url,
        Err(error) => {
            eprintln!("kronika load: {error}");
            return ExitCode::from(2);
        }
    };
    let started = Instant::now();
    let report = load_many(request.paths, request.options);
    let errors = report.problems.iter().filter(|p| p.severity == Severity::Error).count();
    for problem in report.problems.iter().filter(|p| p.severity == Severity::Error).take(10) {
        eprintln!("{}", for_terminal(&problem.to_string()));
    }
    if errors > 0 {
        eprintln!("kronika load: {errors} error(s) in the data; the events that loaded are inserted");
    }
    let events = report.dataset.events.len();
    if events == 0 {
        eprintln!("kronika load: no events to insert");
        return ExitCode::from(1);
    }
    let read_secs = started.elapsed().as_secs_f64();
    eprintln!("read {events} events in {read_secs:.1} s; inserting into {}", url.display());
    let store = match ClickHouseStore::new(url.clone(), ColumnMap::default()) {
        Ok(store) => store,
        Err(error) => {
            eprintln!("kronika load: {error}");
            return ExitCode::from(1);
        }
    };
    let id = load_id(request.paths);
    let dataset = Arc::new(report.dataset);
    let result = load_into(&store, dataset, &id, request.batch_rows, request.max_batches, |progress| {
        eprintln!("batch {}/{}: {} rows inserted", progress.batches_done, progress.batches, progress.rows_inserted);
    });
    match result {
        Ok(summary) => {
            let skipped = if summary.batches_skipped > 0 {
                format!(", {} batch(es) already there from an earlier run", summary.batches_skipped)
            } else {
                String::new()
            };
            let stopped = summary.batches_inserted + summary.batches_skipped < summary.batches;
            println!(
                "{}: {} rows in {} batch(es) inserted into {} in {:.1} s (load {id}{skipped}){}",
                if stopped { "stopped" } else { "loaded" },
                summary.rows_inserted,
                summary.batches_inserted,
                url.display(),
                started.elapsed().as_secs_f64(),
                if stopped { "; run the same command again to go on" } else { "" }
            );
            ExitCode::SUCCESS
        }
        Err(error) => {
            eprintln!("kronika load: {error}\nRun the same command again to go on: the batches that are in are kept.");
            ExitCode::from(1)
        }
    }
}
