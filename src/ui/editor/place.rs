//! A place of the gazetteer: a new one picked on the map, or an existing one corrected.

use super::command::{EditCommand, EditorWindow};
use super::fields::{form_buttons, key_combo, keys_of, text_row};
use crate::model::edit::RecordKind;
use crate::model::edit::place_form::PlaceForm;
use crate::model::{LocationPrecision, PlaceKind};

/// Shows the place window.
pub fn place_window(ctx: &egui::Context, form: &PlaceForm) -> Vec<EditCommand> {
    let mut commands = Vec::new();
    let mut edited = form.clone();
    let mut open = true;
    let title = if form.id.is_some() { "Edit place" } else { "New place" };
    egui::Window::new(title).id(egui::Id::unique("place_editor")).open(&mut open).default_width(380.0).show(
        ctx,
        |ui| {
            egui::Grid::new("place_fields").num_columns(2).spacing([8.0, 6.0]).show(ui, |ui| {
                text_row(ui, "Name", &mut edited.name, "As the sources name it", 1);
                text_row(ui, "Other names", &mut edited.names, "sq: Banjskë\nsr_cyrl: Бањска", 2);
                key_combo(ui, "Kind", &mut edited.kind, &keys_of!(PlaceKind), false);
                text_row(ui, "Longitude", &mut edited.lon, "20.79", 1);
                text_row(ui, "Latitude", &mut edited.lat, "42.98", 1);
                text_row(ui, "Coordinates from", &mut edited.coordinate_source, "Gazetteer, map, article …", 1);
                key_combo(
                    ui,
                    "Coordinate precision",
                    &mut edited.coordinate_precision,
                    &keys_of!(LocationPrecision),
                    true,
                );
                text_row(ui, "Municipality", &mut edited.municipality, "", 1);
                text_row(ui, "Note", &mut edited.note, "Ambiguities, other places of the same name …", 2);
            });
            for problem in edited.problems() {
                ui.colored_label(ui.visuals().warn_fg_color, format!("⚠ {problem}"));
            }
            let apply = if form.id.is_some() { "Apply changes" } else { "Create place" };
            let delete = form.id.as_deref().map(|id| (RecordKind::Place, id));
            let apply = (apply, "Write it into the gazetteer (Ctrl+Z undoes it)", EditCommand::ApplyPlace);
            form_buttons(ui, apply, EditorWindow::Place, delete, &mut commands);
        },
    );
    if !open {
        commands.push(EditCommand::Close(EditorWindow::Place));
    }
    if edited != *form {
        commands.insert(0, EditCommand::SetPlaceForm(Box::new(edited)));
    }
    commands
}
