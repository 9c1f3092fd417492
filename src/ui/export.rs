//! The export window: which events, in which format; then the platform's save dialog.

use crate::io::export::ExportFormat;
use crate::ui::command::{Command, ExportScope, OpenDialog, SaveTarget};

/// What the window has chosen so far (kept in egui's memory, like a text field's).
#[derive(Clone, Copy, Debug)]
struct Choice {
    format: ExportFormat,
    scope: ExportScope,
}

impl Default for Choice {
    fn default() -> Self {
        Self { format: ExportFormat::Geojson, scope: ExportScope::Matching }
    }
}

/// Shows the export window; `counts` are the events matching, "now", and all.
pub fn export_window(ctx: &egui::Context, dataset_name: &str, counts: (usize, usize, usize)) -> Vec<Command> {
    let mut commands = Vec::new();
    let mut open = true;
    egui::Window::new("Export events").open(&mut open).collapsible(false).show(ctx, |ui| {
        let id = egui::Id::unique("export_choice");
        let mut choice: Choice = ui.data_mut(|d| d.get_temp(id)).unwrap_or_default();
        ui.strong("Which events");
        let (matching, now, all) = counts;
        ui.radio_value(
            &mut choice.scope,
            ExportScope::Matching,
            format!("Matching the filters, any date ({matching})"),
        );
        ui.radio_value(&mut choice.scope, ExportScope::Now, format!("In the time window now ({now})"));
        ui.radio_value(&mut choice.scope, ExportScope::All, format!("All events ({all})"));
        ui.add_space(4.0);
        ui.strong("Format");
        for format in ExportFormat::ALL {
            ui.radio_value(&mut choice.format, format, format.label());
        }
        ui.add_space(4.0);
        ui.weak("The file is written whole or not at all: an existing file is never left half-overwritten.");
        if ui.button("Export…").clicked() {
            let extension = choice.format.extension();
            commands.push(Command::ShowOpenDialog(OpenDialog::Save {
                file_name: format!("{}.{extension}", file_stem(dataset_name)),
                extension,
                then: SaveTarget::Export(choice.format, choice.scope),
            }));
        }
        ui.data_mut(|d| d.insert_temp(id, choice));
    });
    if !open {
        commands.push(Command::SetExportWindowOpen(false));
    }
    commands
}

/// A file name made of a dataset's name.
fn file_stem(name: &str) -> String {
    let stem: String = name.chars().map(|c| if c.is_alphanumeric() || c == '-' { c } else { '-' }).take(60).collect();
    let stem = stem.trim_matches('-');
    if stem.is_empty() { "events".to_owned() } else { stem.to_lowercase() }
}
