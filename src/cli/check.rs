//! `kronika check`: validate datasets and print what is wrong, where.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use crate::io::{LoadOptions, LoadReport, Problem, Severity, load_with};
use crate::model::text::{clip, for_terminal};

/// Longest id or field printed: a file may hold a megabyte-long one.
const MAX_PART_CHARS: usize = 200;
/// Longest message printed (messages quote values from the file).
const MAX_MESSAGE_CHARS: usize = 2000;

/// The outcome of checking one path.
#[derive(Debug, serde::Serialize)]
pub struct CheckSummary {
    /// The path checked.
    pub path: String,
    /// What it was read as ("Kronika dataset", "ACLED export (CSV)", "KML" …).
    pub format: String,
    /// Events that loaded.
    pub events: usize,
    /// Places that loaded.
    pub places: usize,
    /// Sources that loaded.
    pub sources: usize,
    /// Number of errors.
    pub errors: usize,
    /// Number of warnings.
    pub warnings: usize,
    /// Every problem.
    pub problems: Vec<ProblemRecord>,
}

/// One problem, flattened for JSON.
#[derive(Debug, serde::Serialize)]
pub struct ProblemRecord {
    /// "error" or "warning".
    pub severity: Severity,
    /// The file.
    pub file: String,
    /// 1-based line, when known.
    pub line: Option<usize>,
    /// 0-based index of the feature, row or placemark.
    pub index: Option<usize>,
    /// What the index counts: "feature", "row" or "placemark".
    pub record: &'static str,
    /// The feature's id.
    pub id: Option<String>,
    /// The field.
    pub field: Option<String>,
    /// What is wrong.
    pub message: String,
}

impl From<&Problem> for ProblemRecord {
    fn from(problem: &Problem) -> Self {
        Self {
            severity: problem.severity,
            file: problem.location.file.display().to_string(),
            line: problem.location.line,
            index: problem.location.index,
            record: if problem.location.record_word.is_empty() { "feature" } else { problem.location.record_word },
            id: problem.location.id.clone(),
            field: problem.location.field.clone(),
            message: problem.kind.to_string(),
        }
    }
}

/// `kronika check PATH… [--json]`: prints the report; exit 0 when every path is valid, 1 otherwise.
pub fn run(paths: &[PathBuf], options: &LoadOptions, json: bool) -> ExitCode {
    let summaries: Vec<_> = paths.iter().map(|p| check_path(p, options)).collect();
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
            print!("{}", format_summary(summary));
        }
    }
    if summaries.iter().any(|s| s.errors > 0) { ExitCode::from(1) } else { ExitCode::SUCCESS }
}

/// Loads `path` and summarises it.
pub fn check_path(path: &Path, options: &LoadOptions) -> CheckSummary {
    summarise(&load_with(path, options))
}

/// Summarises a load report.
pub fn summarise(report: &LoadReport) -> CheckSummary {
    CheckSummary {
        path: report.path.display().to_string(),
        format: report.format.clone(),
        events: report.dataset.events.len(),
        places: report.dataset.places.len(),
        sources: report.dataset.sources.len(),
        errors: report.error_count(),
        warnings: report.warning_count(),
        problems: report.problems.iter().map(ProblemRecord::from).collect(),
    }
}

/// The human-readable report for one summary.
pub fn format_summary(summary: &CheckSummary) -> String {
    let mut out = String::new();
    for problem in &summary.problems {
        let severity = match problem.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        let mut location = problem.file.clone();
        if let Some(line) = problem.line {
            write!(location, ":{line}").ok();
        }
        if let Some(index) = problem.index {
            write!(location, ": {} {index}", problem.record).ok();
        }
        if let Some(id) = &problem.id {
            write!(location, " (id {:?})", clip(id, MAX_PART_CHARS)).ok();
        }
        if let Some(field) = &problem.field {
            write!(location, ", field `{}`", clip(field, MAX_PART_CHARS)).ok();
        }
        // File names, ids and messages come from the input: escaped, so they cannot drive the terminal.
        let message = clip(&problem.message, MAX_MESSAGE_CHARS);
        writeln!(out, "{severity}: {}: {}", for_terminal(&location), for_terminal(&message)).ok();
    }
    let verdict = if summary.errors == 0 { "ok" } else { "FAILED" };
    writeln!(
        out,
        "{}{}: {verdict}: {} events, {} places, {} sources; {} error(s), {} warning(s)",
        for_terminal(&summary.path),
        if summary.format.is_empty() { String::new() } else { format!(" ({})", for_terminal(&summary.format)) },
        summary.events,
        summary.places,
        summary.sources,
        summary.errors,
        summary.warnings
    )
    .ok();
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::io::{Location, ProblemKind};

    #[test]
    fn control_characters_from_the_input_are_escaped() {
        let mut report = LoadReport { path: "data\x1b]0;title\x07".into(), ..LoadReport::default() };
        report.problems.push(Problem::error(
            Location { file: "a\nok: forged.geojson".into(), id: Some("\x1b[2J".into()), ..Location::default() },
            ProblemKind::WrongShape("unknown field `\x1b[31m`".into()),
        ));
        let text = format_summary(&summarise(&report));
        assert!(!text.contains('\x1b') && !text.contains('\x07'), "{text}");
        assert_eq!(text.lines().count(), 2, "no forged lines: {text}");
    }
}
