//! The list of load problems, so nothing that failed to load goes unseen.

use crate::io::{Problem, Severity};

/// Shows every problem with its location.
pub fn problems_ui(ui: &mut egui::Ui, problems: &[Problem]) {
    if problems.is_empty() {
        ui.label("No problems: everything loaded.");
        return;
    }
    let errors = problems.iter().filter(|p| p.severity == Severity::Error).count();
    ui.label(format!(
        "{errors} error(s), {} warning(s). Features with errors were skipped; everything else loaded.",
        problems.len() - errors
    ));
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
                ui.colored_label(color, problem.location.to_string());
                ui.label(format!("    {}", truncate(&problem.kind.to_string(), 300)));
            }
        },
    );
}

/// Cuts very long messages so a hostile file cannot freeze the layout.
fn truncate(text: &str, max_chars: usize) -> String {
    if text.chars().count() <= max_chars {
        return text.to_owned();
    }
    let mut cut: String = text.chars().take(max_chars).collect();
    cut.push('…');
    cut
}
