//! The status line: loading, how many events are shown, load problems, settings and tile trouble.

use std::path::Path;

use crate::io::LoadReport;
use crate::model::text::clip;
use crate::tiles::TileStatus;
use crate::ui::command::Command;

/// What the status line reports.
pub struct StatusView<'a> {
    /// The path being loaded in the background, if any.
    pub loading: Option<&'a Path>,
    /// Events "now".
    pub now_count: usize,
    /// Events matching the filters.
    pub filtered_count: usize,
    /// How many of the events "now" have no place.
    pub now_unplaced: usize,
    /// The last load.
    pub report: &'a LoadReport,
    /// Whether the problems window is open.
    pub problems_open: bool,
    /// What is wrong with the saved settings, in words, if anything.
    pub settings_problem: Option<String>,
    /// Why the embedded basemap could not be drawn, if it could not.
    pub basemap_error: Option<&'a str>,
    /// How the tiles are doing.
    pub tiles: TileStatus,
    /// Whether the shortcuts window is open.
    pub shortcuts_open: bool,
    /// Events "now" that are further accounts of an incident already counted.
    pub now_further_accounts: usize,
    /// A message from the last action (a view applied in part, an export written).
    pub notice: Option<&'a str>,
}

/// Shows the status line; returns what the user asked for.
pub fn status_bar_ui(ui: &mut egui::Ui, status: &StatusView<'_>) -> Vec<Command> {
    let mut commands = Vec::new();
    ui.horizontal(|ui| {
        if let Some(path) = status.loading {
            ui.spinner();
            ui.label(format!("Loading {} …", path.display()));
            ui.separator();
        }
        let total = status.report.dataset.events.len();
        ui.label(format!("{} in window · {} match filters · {total} total", status.now_count, status.filtered_count));
        if status.now_further_accounts > 0 {
            ui.weak(format!(
                "({} happenings: {} are further accounts of incidents counted once)",
                status.now_count - status.now_further_accounts,
                status.now_further_accounts
            ))
            .on_hover_text("Records that may describe the same happening are counted once");
        }
        if status.now_unplaced > 0 {
            ui.weak(format!("({} without a place, not on the map)", status.now_unplaced));
        }
        ui.separator();
        let (errors, warnings) = (status.report.error_count(), status.report.warning_count());
        let loaded = loaded_what(status.report);
        if errors + warnings > 0 {
            let text = format!("⚠ {errors} error(s), {warnings} warning(s) while loading");
            let color = if errors > 0 { ui.visuals().error_fg_color } else { ui.visuals().warn_fg_color };
            if ui
                .add(egui::Button::new(egui::RichText::new(text).color(color)))
                .on_hover_text(format!("Loaded {loaded}. Show the load problems"))
                .clicked()
            {
                commands.push(Command::SetProblemsOpen(!status.problems_open));
            }
        } else if !status.report.path.as_os_str().is_empty() {
            ui.weak(format!("Loaded {loaded} with no problems"));
        }
        if let Some(notice) = status.notice {
            ui.colored_label(ui.visuals().warn_fg_color, clip(notice, 200));
        }
        if let Some(problem) = &status.settings_problem {
            ui.colored_label(ui.visuals().warn_fg_color, "⚠ settings problem").on_hover_text(problem);
        }
        if let Some(error) = status.basemap_error {
            ui.colored_label(ui.visuals().error_fg_color, error);
        }
        tiles_status_ui(ui, &status.tiles);
        ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
            if ui.small_button("F1 Shortcuts").clicked() {
                commands.push(Command::SetShortcutsOpen(!status.shortcuts_open));
            }
        });
    });
    commands
}

fn tiles_status_ui(ui: &mut egui::Ui, status: &TileStatus) {
    let warn = ui.visuals().warn_fg_color;
    match status {
        TileStatus::Fine => {}
        TileStatus::Unavailable { layer, error } => {
            ui.colored_label(warn, format!("{}: {error}; showing the basemap", layer.label()));
        }
        TileStatus::Unreadable { count, last_error } => {
            ui.colored_label(warn, format!("{count} archive tile(s) unreadable"))
                .on_hover_text(format!("Last: {last_error}. The basemap shows where they are missing."));
        }
        TileStatus::Offline { layer, last_error } => {
            ui.colored_label(warn, format!("{}: tiles offline ({last_error}); showing the basemap", layer.label()))
                .on_hover_text("Failed tiles are retried with backoff; cached tiles still show.");
        }
        TileStatus::Loading { layer, in_flight } => {
            ui.weak(format!("{}: loading {in_flight} tile(s)…", layer.label()));
        }
    }
}

/// What was loaded, in words: the path (or how many files) and what it was read as.
fn loaded_what(report: &LoadReport) -> String {
    let what = match report.paths.len() {
        0 | 1 => report.path.display().to_string(),
        several => format!("{several} files"),
    };
    if report.format.is_empty() { what } else { format!("{what} ({})", report.format) }
}
