//! The editor's smaller windows: a new dataset, deleting what is referenced, files changed on
//! disk, edits recovered after a crash, and the changes since the last save.

use std::path::PathBuf;

use super::command::{ConflictChoice, EditCommand, EditorWindow};
use crate::io::workspace::Recovery;
use crate::model::edit::references::referrers;
use crate::model::edit::{Draft, RecordKind, record_name};
use crate::model::text::shorten;

/// Most referring events listed by name.
const MAX_LISTED: usize = 12;

/// The window that creates an empty dataset in a folder.
/// `picked`: a folder just chosen in the platform's dialog, to put in the folder field.
pub fn new_dataset_window(ctx: &egui::Context, picked: Option<&std::path::Path>) -> Vec<EditCommand> {
    let mut commands = Vec::new();
    let mut open = true;
    egui::Window::new("New dataset").id(egui::Id::unique("new_dataset")).open(&mut open).show(ctx, |ui| {
        let folder_id = egui::Id::unique("new_dataset_folder");
        let name_id = egui::Id::unique("new_dataset_name");
        let mut folder: String = ui.data_mut(|d| d.get_temp(folder_id).unwrap_or_default());
        let mut name: String = ui.data_mut(|d| d.get_temp(name_id).unwrap_or_default());
        if let Some(picked) = picked {
            folder = picked.display().to_string();
            commands.push(EditCommand::NewDatasetFolderPicked(None));
        }
        egui::Grid::new("new_dataset_fields").num_columns(2).show(ui, |ui| {
            ui.label("Folder");
            let field =
                ui.add(egui::TextEdit::singleline(&mut folder).hint_text("/path/to/new-folder").desired_width(320.0));
            crate::ui::widgets::name_widget(&field, egui::Role::TextInput, "Dataset folder");
            ui.end_row();
            ui.label("");
            if ui.button("Choose…").on_hover_text("Pick or make the folder").clicked() {
                commands.push(EditCommand::ChooseNewDatasetFolder);
            }
            ui.end_row();
            ui.label("Name");
            let field = ui.add(egui::TextEdit::singleline(&mut name).hint_text("What the dataset is about"));
            crate::ui::widgets::name_widget(&field, egui::Role::TextInput, "Dataset name");
            ui.end_row();
        });
        ui.weak("A new or empty folder: Kronika writes dataset.json, events.geojson, places.geojson and sources.json.");
        let ready = !folder.trim().is_empty() && !name.trim().is_empty();
        if ui.add_enabled(ready, egui::Button::new("Create")).clicked() {
            commands
                .push(EditCommand::CreateDataset { dir: PathBuf::from(folder.trim()), name: name.trim().to_owned() });
        }
        ui.data_mut(|d| {
            d.insert_temp(folder_id, folder);
            d.insert_temp(name_id, name);
        });
    });
    if !open {
        commands.push(EditCommand::SetNewDatasetOpen(false));
    }
    commands
}

/// Asks before deleting a record, naming every event that refers to it.
pub fn delete_window(ctx: &egui::Context, draft: &Draft, kind: RecordKind, id: &str) -> Vec<EditCommand> {
    let mut commands = Vec::new();
    let name = draft.get(kind, id).map_or_else(|| id.to_owned(), |record| record_name(kind, record));
    egui::Window::new(format!("Delete this {}?", kind.word()))
        .id(egui::Id::unique("delete_record"))
        .collapsible(false)
        .show(ctx, |ui| {
            ui.strong(shorten(&name, 80));
            let found = referrers(draft, kind, id);
            if found.is_empty() {
                ui.label("No event refers to it.");
            } else {
                let what = match kind {
                    RecordKind::Source => "its citations of this source are removed",
                    RecordKind::Place => "they lose this place (and keep their point)",
                    RecordKind::Event => "their relations to it are removed",
                };
                ui.label(format!("{} event(s) refer to it; {what}:", found.len()));
                for referrer in found.iter().take(MAX_LISTED) {
                    ui.label(format!("• {} {}", shorten(&referrer.name, 60), referrer.how));
                }
                if found.len() > MAX_LISTED {
                    ui.weak(format!("… and {} more", found.len() - MAX_LISTED));
                }
            }
            ui.weak("Incidents and stories that name it are listed under Problems after deleting. Ctrl+Z undoes it.");
            ui.horizontal(|ui| {
                if ui.button(format!("Delete {}", kind.word())).clicked() {
                    commands.push(EditCommand::ConfirmDelete);
                }
                if ui.button("Keep it").clicked() {
                    commands.push(EditCommand::Close(EditorWindow::Delete));
                }
            });
        });
    commands
}

/// Files of the dataset changed on disk by someone else: reload them, keep both, or go on.
pub fn conflict_window(ctx: &egui::Context, files: &[PathBuf], unsaved: bool) -> Vec<EditCommand> {
    let mut commands = Vec::new();
    egui::Window::new("Changed on disk").id(egui::Id::unique("changed_on_disk")).collapsible(false).show(ctx, |ui| {
        ui.label("Someone (or another program) changed these files since Kronika read them:");
        for file in files {
            ui.monospace(file.display().to_string());
        }
        if unsaved {
            ui.label("Kronika will not write over them. Your unsaved edits are kept until you choose.");
        }
        ui.horizontal(|ui| {
            let reload = if unsaved { "Reload theirs (drop my edits)" } else { "Reload" };
            if ui.button(reload).clicked() {
                commands.push(EditCommand::ResolveConflict(ConflictChoice::Reload));
            }
            if unsaved
                && ui
                    .button("Keep both")
                    .on_hover_text("Save my edits as a copy of the dataset beside it, and open the copy")
                    .clicked()
            {
                commands.push(EditCommand::ResolveConflict(ConflictChoice::KeepBoth));
            }
            if ui.button("Not now").on_hover_text("Saving will ask again").clicked() {
                commands.push(EditCommand::ResolveConflict(ConflictChoice::KeepEditing));
            }
        });
    });
    commands
}

/// Offers back the edits a session kept without saving them.
pub fn recovery_window(ctx: &egui::Context, recovery: &Recovery) -> Vec<EditCommand> {
    let mut commands = Vec::new();
    egui::Window::new("Unsaved edits found").id(egui::Id::unique("recovery")).collapsible(false).show(ctx, |ui| {
        ui.label(format!(
            "{} change(s) to this dataset were not saved when Kronika last closed ({}).",
            recovery.changed_records, recovery.written
        ));
        ui.horizontal(|ui| {
            if ui.button("Restore them").clicked() {
                commands.push(EditCommand::Recover(true));
            }
            if ui.button("Discard them").clicked() {
                commands.push(EditCommand::Recover(false));
            }
        });
    });
    commands
}

/// The records added, changed and deleted since the last save.
pub fn changes_window(ctx: &egui::Context, draft: &Draft, saved: &Draft) -> Vec<EditCommand> {
    let mut commands = Vec::new();
    let mut open = true;
    let changes = draft.changes_since(saved);
    egui::Window::new("Changes since the last save").id(egui::Id::unique("changes")).open(&mut open).show(ctx, |ui| {
        if changes.is_empty() {
            ui.label("None: the dataset is as saved.");
        }
        egui::ScrollArea::vertical().max_height(360.0).show(ui, |ui| {
            egui::Grid::new("changes_grid").num_columns(3).striped(true).show(ui, |ui| {
                for change in &changes {
                    ui.label(change.how.word());
                    ui.label(change.kind.word());
                    ui.label(shorten(&change.name, 70)).on_hover_text(&change.id);
                    ui.end_row();
                }
            });
        });
        if !changes.is_empty() && ui.button("Save (Ctrl+S)").clicked() {
            commands.push(EditCommand::Save);
        }
    });
    if !open {
        commands.push(EditCommand::SetChangesOpen(false));
    }
    commands
}
