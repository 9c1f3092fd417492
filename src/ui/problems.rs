//! The list of load problems, so nothing that failed to load goes unseen.

use crate::io::{LoadReport, Problem, Severity};
use crate::model::text::shorten;
use crate::ui::command::Command;

/// Longest line of a problem shown.
const MAX_LINE_CHARS: usize = 300;

/// The problems of the last load, in a window; returns what the user asked for.
pub fn problems_window(ctx: &egui::Context, report: &LoadReport) -> Vec<Command> {
    let mut open = true;
    egui::Window::new("Load problems").open(&mut open).default_width(640.0).show(ctx, |ui| {
        ui.label(format!("Loaded from {}", report.path.display()));
        problems_ui(ui, &report.problems, report.dataset.events.len());
    });
    if open { Vec::new() } else { vec![Command::SetProblemsOpen(false)] }
}

/// Shows every problem with its location.
pub fn problems_ui(ui: &mut egui::Ui, problems: &[Problem], loaded_events: usize) {
    if problems.is_empty() {
        ui.label("No problems: everything loaded.");
        return;
    }
    let errors = problems.iter().filter(|p| p.severity == Severity::Error).count();
    let outcome = if loaded_events == 0 {
        "Nothing could be loaded.".to_owned()
    } else {
        // In the file's own word for its records, as each problem's location says it.
        let records = match problems.iter().map(|p| p.location.record_word).find(|word| !word.is_empty()) {
            Some("row") => "Rows",
            Some("placemark") => "Placemarks",
            _ => "Features",
        };
        format!("{records} with errors were skipped; the other {loaded_events} event(s) loaded.")
    };
    ui.label(format!("{errors} error(s), {} warning(s). {outcome}", problems.len() - errors));
    ui.separator();
    egui::ScrollArea::vertical().id_salt("problems").auto_shrink([false, true]).max_height(400.0).show_rows(
        ui,
        ui.text_style_height(&egui::TextStyle::Body) * 2.0,
        problems.len(),
        |ui, rows| {
            for problem in problems.get(rows).unwrap_or_default() {
                let color = match problem.severity {
                    Severity::Error => ui.visuals().error_fg_color,
                    Severity::Warning => ui.visuals().warn_fg_color,
                };
                // Ids and messages come from the file: clipped, so a hostile one cannot freeze the layout.
                ui.colored_label(color, shorten(&problem.location.to_string(), MAX_LINE_CHARS));
                ui.label(format!("    {}", shorten(&problem.kind.to_string(), MAX_LINE_CHARS)));
            }
        },
    );
}
