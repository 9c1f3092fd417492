//! The fields the editor's forms are made of.

use super::command::{EditCommand, EditorWindow};
use crate::model::edit::RecordKind;

/// A labelled text field in a two-column grid.
pub(super) fn text_row(ui: &mut egui::Ui, label: &str, value: &mut String, hint: &str, lines: usize) -> bool {
    ui.label(label);
    let edit = if lines > 1 {
        egui::TextEdit::multiline(value).desired_rows(lines)
    } else {
        egui::TextEdit::singleline(value)
    };
    let response = ui.add(edit.hint_text(hint).desired_width(f32::INFINITY));
    crate::ui::widgets::name_widget(&response, egui::Role::TextInput, label);
    ui.end_row();
    response.changed()
}

/// A combo box choosing one key of a vocabulary (or none, when `optional`).
pub(super) fn key_combo(
    ui: &mut egui::Ui,
    label: &str,
    value: &mut String,
    keys: &[(&str, &str)],
    optional: bool,
) -> bool {
    ui.label(label);
    let shown = keys.iter().find(|(key, _)| key == value).map_or(value.as_str(), |(_, label)| label);
    let shown = if shown.is_empty() { "(not said)" } else { shown };
    let mut changed = false;
    let response = egui::ComboBox::from_id_salt(label).selected_text(shown).show_ui(ui, |ui| {
        if optional && ui.selectable_label(value.is_empty(), "(not said)").clicked() {
            value.clear();
            changed = true;
        }
        for (key, label) in keys {
            if ui.selectable_label(value == key, *label).clicked() {
                (*key).clone_into(value);
                changed = true;
            }
        }
    });
    crate::ui::widgets::name_widget(&response.response, egui::Role::ComboBox, label);
    ui.end_row();
    changed
}

/// The buttons under a form: apply it, close it, and delete its record when it has one.
pub(super) fn form_buttons(
    ui: &mut egui::Ui,
    apply: (&str, &str, EditCommand),
    window: EditorWindow,
    delete: Option<(RecordKind, &str)>,
    commands: &mut Vec<EditCommand>,
) {
    let (label, hint, command) = apply;
    ui.horizontal(|ui| {
        if ui.button(label).on_hover_text(hint).clicked() {
            commands.push(command);
        }
        if ui.button("Cancel").clicked() {
            commands.push(EditCommand::Close(window));
        }
        if let Some((kind, id)) = delete
            && ui.button(format!("Delete {}…", kind.word())).clicked()
        {
            commands.push(EditCommand::AskDelete(kind, id.to_owned()));
        }
    });
}

/// A vocabulary's keys and labels, for [`key_combo`].
macro_rules! keys_of {
    ($vocabulary:ty) => {
        <$vocabulary>::ALL.iter().map(|v| (v.key(), v.label())).collect::<Vec<_>>()
    };
}
pub(super) use keys_of;
