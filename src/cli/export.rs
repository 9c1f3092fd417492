//! `kronika export DATA --format geojson|csv|kml [--from DATE --to DATE --filter TEXT] --out FILE`:
//! the events that match, written as the app writes them.

use std::path::Path;
use std::process::ExitCode;

use chrono::NaiveDate;

use crate::io::export::{ExportFormat, export_events};
use crate::io::{LoadOptions, load_with};
use crate::model::date::day_number;
use crate::model::text::for_terminal;
use crate::model::{EventFilter, EventIdx};
use crate::ui::style::palette_rgb;

/// What to export.
#[derive(Debug)]
pub struct ExportRequest<'a> {
    /// The data to read.
    pub data: &'a Path,
    /// How to read files from other tools.
    pub options: &'a LoadOptions,
    /// The format to write.
    pub format: ExportFormat,
    /// Only events that may have happened on or after this day.
    pub from: Option<NaiveDate>,
    /// Only events that may have happened on or before this day.
    pub to: Option<NaiveDate>,
    /// Only events the search finds.
    pub filter: Option<&'a str>,
    /// The file to write.
    pub out: &'a Path,
}

/// Runs the export; exit 0 written, 1 when the data had errors or nothing could be written.
pub fn run(request: &ExportRequest<'_>) -> ExitCode {
    let report = load_with(request.data, request.options);
    for problem in report.problems.iter().take(20) {
        eprintln!("{}", for_terminal(&problem.to_string()));
    }
    let dataset = &report.dataset;
    let filter = EventFilter { text: request.filter.unwrap_or_default().to_owned(), ..EventFilter::default() };
    let query = filter.query();
    let (from, to) = (request.from.map(day_number), request.to.map(day_number));
    let events: Vec<EventIdx> = dataset
        .events
        .iter()
        .enumerate()
        .filter_map(|(i, event)| {
            let idx = EventIdx::try_from(i).ok()?;
            let in_range = event.span.overlaps(from.unwrap_or(i32::MIN), to.unwrap_or(i32::MAX))
                || (event.span.undated() && from.is_none() && to.is_none());
            (in_range && filter.matches(idx, event, &query, dataset)).then_some(idx)
        })
        .collect();
    let shown = for_terminal(&request.out.display().to_string()).into_owned();
    match export_events(dataset, &events, request.format, &palette_rgb, request.out) {
        Ok(()) => {
            println!("wrote {} of {} events to {shown}", events.len(), dataset.events.len());
            if report.error_count() > 0 { ExitCode::from(1) } else { ExitCode::SUCCESS }
        }
        Err(error) => {
            eprintln!("kronika export: cannot write {shown}: {error}");
            ExitCode::from(1)
        }
    }
}
