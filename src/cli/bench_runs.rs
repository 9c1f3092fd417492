//! `kronika bench FILE --runs N`: the bench run N times, each in a process of its own (started
//! as a user starts the app, with its own memory and its own peak RSS), and their figures combined
//! into one report: each figure the median of the runs', the peak RSS the highest, and every run's
//! main figures kept beside them. On a shared machine one run's load drifts by a tenth or more
//! from the next; the median of three moves less, and the runs show how far they spread.

use std::ffi::OsString;
use std::process::{Command, ExitCode, Stdio};

use super::bench::{BenchReport, RunFigures, print_summary, report_outcome};

/// Why the runs could not be made or read.
#[derive(Debug, thiserror::Error)]
pub enum RunsError {
    /// This program's own path is not known.
    #[error("cannot find this program to run it again: {0}")]
    Program(std::io::Error),
    /// A run could not start.
    #[error("run {run} could not start: {source}")]
    Start {
        /// Which run (from 1).
        run: usize,
        /// Why.
        source: std::io::Error,
    },
    /// A run ended in failure (it said why on standard error).
    #[error("run {run} failed ({status})")]
    Failed {
        /// Which run (from 1).
        run: usize,
        /// How it ended.
        status: std::process::ExitStatus,
    },
    /// A run's report could not be read.
    #[error("run {run} gave no report that can be read: {source}")]
    Report {
        /// Which run (from 1).
        run: usize,
        /// Why.
        source: serde_json::Error,
    },
    /// The runs measured different datasets (the file changed between them).
    #[error("run {run} loaded {found} events, run 1 loaded {expected}: the file changed while it was measured")]
    Changed {
        /// Which run (from 1).
        run: usize,
        /// Events of run 1.
        expected: usize,
        /// Events of this run.
        found: usize,
    },
}

/// Runs the bench `runs` times, with this process's own command line (its `--runs` and `--json`
/// aside), and prints the combined report as [`super::bench::run`] prints one.
pub fn run(runs: usize, json: bool) -> ExitCode {
    report_outcome(bench_in_processes(runs), json, print_summary)
}

fn bench_in_processes(runs: usize) -> Result<BenchReport, RunsError> {
    let program = std::env::current_exe().map_err(RunsError::Program)?;
    let args = one_run_args(std::env::args_os().skip(1));
    let mut reports = Vec::with_capacity(runs);
    for run in 1..=runs {
        let output = Command::new(&program)
            .args(&args)
            .stdin(Stdio::null())
            .stderr(Stdio::inherit())
            .output()
            .map_err(|source| RunsError::Start { run, source })?;
        if !output.status.success() {
            return Err(RunsError::Failed { run, status: output.status });
        }
        // The report is the last line a run prints.
        let line = output.stdout.split(|&b| b == b'\n').rfind(|line| !line.trim_ascii().is_empty()).unwrap_or(&[]);
        let report: BenchReport = serde_json::from_slice(line).map_err(|source| RunsError::Report { run, source })?;
        if let Some(first) = reports.first().map(|first: &BenchReport| first.events)
            && report.events != first
        {
            return Err(RunsError::Changed { run, expected: first, found: report.events });
        }
        reports.push(report);
    }
    Ok(combine(&reports))
}

/// One run's command line: `args` (this process's, its program left out) without `--runs` and
/// `--json`, then `--runs 1 --json`.
fn one_run_args(args: impl IntoIterator<Item = OsString>) -> Vec<OsString> {
    let mut kept = Vec::new();
    let mut args = args.into_iter();
    while let Some(arg) = args.next() {
        if arg == "--runs" {
            args.next();
        } else if arg != "--json" && !arg.to_str().is_some_and(|arg| arg.starts_with("--runs=")) {
            kept.push(arg);
        }
    }
    kept.extend(["--runs", "1", "--json"].map(OsString::from));
    kept
}

/// The runs' reports as one: each figure the median of the runs' (of each scenario by its name),
/// the peak RSS the highest, and each run's main figures in `runs`. The load ratio is the median
/// of each run's own ratio: its load over its own bare parse, timed in the same process.
fn combine(reports: &[BenchReport]) -> BenchReport {
    let median_of = |figure: &dyn Fn(&BenchReport) -> Option<f64>| median(reports.iter().filter_map(figure).collect());
    let runs: Vec<RunFigures> = reports.iter().map(RunFigures::of).collect();
    let Some(first) = reports.first() else { return BenchReport::default() };
    let mut combined = first.clone();
    combined.load_s = median_of(&|r| Some(r.load_s));
    combined.query_us_p50 = median_of(&|r| Some(r.query_us_p50));
    combined.frame_ms_p50 = median_of(&|r| Some(r.frame_ms_p50));
    combined.frame_ms_p95 = median_of(&|r| Some(r.frame_ms_p95));
    combined.peak_rss_mb = reports.iter().map(|r| r.peak_rss_mb).fold(0.0, f64::max);
    combined.parse_limit_s = median_of(&|r| Some(r.parse_limit_s));
    combined.load_ratio = median_of(&|r| Some(r.load_ratio));
    combined.zoom_regroup_ms_p50 = median_of(&|r| Some(r.zoom_regroup_ms_p50));
    combined.zoom_regroup_ms_p95 = median_of(&|r| Some(r.zoom_regroup_ms_p95));
    for scenario in &mut combined.scenarios {
        let named = |r: &BenchReport| r.scenarios.iter().find(|s| s.name == scenario.name).cloned();
        scenario.frame_ms_p50 = median_of(&|r| named(r).map(|s| s.frame_ms_p50));
        scenario.frame_ms_p95 = median_of(&|r| named(r).map(|s| s.frame_ms_p95));
    }
    combined.runs = runs;
    combined
}

/// The middle value (the mean of the two middle ones for an even count); 0 for none.
fn median(mut values: Vec<f64>) -> f64 {
    values.sort_by(f64::total_cmp);
    let middle = values.len() / 2;
    match (values.len() % 2, values.get(middle.wrapping_sub(1)), values.get(middle)) {
        (0, Some(&low), Some(&high)) => f64::midpoint(low, high),
        (_, _, Some(&value)) => value,
        _ => 0.0,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cli::bench::Scenario;

    fn report(load_s: f64, parse_limit_s: f64, peak_rss_mb: f64, zoom_p95: f64) -> BenchReport {
        BenchReport {
            events: 10,
            load_s,
            parse_limit_s,
            load_ratio: load_s / parse_limit_s,
            peak_rss_mb,
            frames: 5,
            scenarios: vec![
                Scenario { name: "pan".into(), frame_ms_p50: 1.0, frame_ms_p95: 2.0 },
                Scenario { name: "zoom".into(), frame_ms_p50: 1.0, frame_ms_p95: zoom_p95 },
            ],
            ..BenchReport::default()
        }
    }

    #[test]
    fn medians_the_highest_peak_and_each_run_kept() {
        let combined =
            combine(&[report(3.0, 1.0, 500.0, 9.0), report(1.0, 0.5, 700.0, 3.0), report(2.0, 0.5, 600.0, 4.0)]);
        assert!((combined.load_s - 2.0).abs() < 1e-9);
        assert!((combined.parse_limit_s - 0.5).abs() < 1e-9);
        // Each run's own ratio (3, 2, 4): their median, not the medians' ratio (4).
        assert!((combined.load_ratio - 3.0).abs() < 1e-9);
        assert!((combined.peak_rss_mb - 700.0).abs() < 1e-9);
        let zoom = combined.scenarios.iter().find(|s| s.name == "zoom").unwrap();
        assert!((zoom.frame_ms_p95 - 4.0).abs() < 1e-9);
        assert_eq!(combined.runs.len(), 3);
        assert!((combined.runs[1].load_s - 1.0).abs() < 1e-9);
        assert!((combined.runs[1].peak_rss_mb - 700.0).abs() < 1e-9);
    }

    #[test]
    fn an_even_count_takes_the_mean_of_the_middle_two() {
        assert!((median(vec![4.0, 1.0, 3.0, 2.0]) - 2.5).abs() < 1e-9);
        assert!((median(vec![5.0]) - 5.0).abs() < 1e-9);
        assert!(median(Vec::new()).abs() < 1e-9);
    }

    #[test]
    fn a_run_is_asked_for_one_run_as_json() {
        let args = |list: &[&str]| list.iter().map(OsString::from).collect::<Vec<_>>();
        let given = args(&["--columns", "lat=y", "bench", "--runs", "5", "f.geojson", "--json", "--frames=60"]);
        assert_eq!(
            one_run_args(given),
            args(&["--columns", "lat=y", "bench", "f.geojson", "--frames=60", "--runs", "1", "--json"])
        );
        assert_eq!(one_run_args(args(&["bench", "--runs=2", "f"])), args(&["bench", "f", "--runs", "1", "--json"]));
    }
}
