//! Adding a source (its text read from a file or pasted, stored verbatim) or correcting the
//! metadata of one.

use super::command::{EditCommand, EditorWindow, SourceDialog};
use super::fields::{form_buttons, key_combo, keys_of, text_row};
use crate::model::edit::RecordKind;
use crate::model::{DateBasis, SourceKind};

/// Longest text shown in the paste field of an existing source.
const MAX_SHOWN_TEXT_CHARS: usize = 2_000;

/// Shows the source window.
pub fn source_window(ctx: &egui::Context, dialog: &SourceDialog) -> Vec<EditCommand> {
    let mut commands = Vec::new();
    let mut edited = dialog.clone();
    let is_new = dialog.form.id.is_none();
    let mut open = true;
    let title = if is_new { "Add a source" } else { "Edit source" };
    egui::Window::new(title).id(egui::Id::unique("source_editor")).open(&mut open).default_width(460.0).show(
        ctx,
        |ui| {
            egui::Grid::new("source_fields").num_columns(2).spacing([8.0, 6.0]).show(ui, |ui| {
                let form = &mut edited.form;
                text_row(ui, "Title", &mut form.title, "As the source titles itself", 1);
                text_row(ui, "Outlet", &mut form.outlet, "Publisher or site", 1);
                text_row(ui, "Author", &mut form.author, "", 1);
                text_row(ui, "URL", &mut form.url, "https://…", 1);
                key_combo(ui, "Kind", &mut form.kind, &keys_of!(SourceKind), false);
                text_row(ui, "Language", &mut form.language, "en, sr, sq …", 1);
                text_row(ui, "Published", &mut form.published, "YYYY-MM-DD, YYYY-MM or YYYY", 1);
                key_combo(ui, "Date basis", &mut form.published_basis, &keys_of!(DateBasis), true);
                text_row(ui, "How the date was found", &mut form.published_note, "Page date stamp …", 2);
            });
            ui.separator();
            if is_new {
                ui.horizontal(|ui| {
                    let field = ui.add(
                        egui::TextEdit::singleline(&mut edited.file)
                            .hint_text("A .txt, .md or .html file")
                            .desired_width(300.0),
                    );
                    crate::ui::widgets::name_widget(&field, egui::Role::TextInput, "Source file");
                    if ui.button("Read file").clicked() {
                        commands.push(EditCommand::ReadSourceFile);
                    }
                    if ui.button("Choose…").clicked() {
                        commands.push(EditCommand::ChooseSourceFile);
                    }
                });
                ui.weak("…or paste the text. It is stored verbatim; quotes are checked against it.");
                egui::ScrollArea::vertical().max_height(220.0).show(ui, |ui| {
                    let field = ui
                        .add(egui::TextEdit::multiline(&mut edited.text).desired_rows(8).desired_width(f32::INFINITY));
                    crate::ui::widgets::name_widget(&field, egui::Role::TextInput, "Source text");
                });
                ui.weak(format!("{} characters", edited.text.chars().count()));
            } else {
                ui.weak("The text is verbatim and is not edited here:");
                let shown: String = edited.text.chars().take(MAX_SHOWN_TEXT_CHARS).collect();
                egui::ScrollArea::vertical().max_height(160.0).show(ui, |ui| ui.label(shown));
            }
            if let Some(message) = &dialog.message {
                ui.colored_label(ui.visuals().error_fg_color, message);
            }
            for problem in edited.form.problems() {
                ui.colored_label(ui.visuals().warn_fg_color, format!("⚠ {problem}"));
            }
            let apply = if is_new { "Add source" } else { "Apply changes" };
            let delete = dialog.form.id.as_deref().map(|id| (RecordKind::Source, id));
            let apply = (apply, "Store it in the dataset (Ctrl+Z undoes it)", EditCommand::ApplySource);
            form_buttons(ui, apply, EditorWindow::Source, delete, &mut commands);
        },
    );
    if !open {
        commands.push(EditCommand::Close(EditorWindow::Source));
    }
    if edited != *dialog {
        commands.insert(0, EditCommand::SetSourceDialog(Box::new(edited)));
    }
    commands
}
