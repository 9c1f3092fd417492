//! The event editor: what, when (with its precision and how it was derived), who, where (from
//! the gazetteer or picked on the map), how sure, how it relates to other events, and the exact
//! passages that support it. Problems are shown as the fields are filled in.

use super::command::{EditCommand, EditorView, EditorWindow};
use super::fields::{form_buttons, key_combo, keys_of, text_row};
use crate::model::edit::event_form::{DateEntry, EventForm, RelationEntry};
use crate::model::edit::place_form::find_places;
use crate::model::edit::{RecordKind, record_id, record_name};
use crate::model::text::shorten;
use crate::model::{Category, ClaimStatus, DateBasis, LocationPrecision, RelationKind};

/// Most problems listed above the buttons.
const MAX_PROBLEMS_SHOWN: usize = 4;
/// Most matches listed under a search field.
const MAX_MATCHES: usize = 8;

/// Shows the event editor.
pub fn event_window(ctx: &egui::Context, view: &EditorView<'_>, form: &EventForm) -> Vec<EditCommand> {
    let mut commands = Vec::new();
    let mut edited = form.clone();
    let title = if form.id.is_some() { "Edit event" } else { "New event" };
    let mut open = true;
    egui::Window::new(title)
        .id(egui::Id::unique("event_editor"))
        .open(&mut open)
        .default_width(460.0)
        .default_pos(ctx.content_rect().left_top() + egui::vec2(40.0, 60.0))
        .show(ctx, |ui| {
            // Room for the title bar, up to MAX_PROBLEMS_SHOWN problems and the buttons below.
            let room = (ctx.content_rect().height() - 300.0).max(180.0);
            egui::ScrollArea::vertical().max_height(room).show(ui, |ui| {
                fields_ui(ui, view, &mut edited, &mut commands);
            });
            ui.separator();
            let source_text = |id: &str| view.dataset.source(id).and_then(|s| s.text.as_deref());
            let problems = edited.problems(view.draft, source_text);
            for problem in problems.iter().take(MAX_PROBLEMS_SHOWN) {
                ui.colored_label(ui.visuals().warn_fg_color, format!("⚠ {problem}"));
            }
            if problems.len() > MAX_PROBLEMS_SHOWN {
                ui.colored_label(
                    ui.visuals().warn_fg_color,
                    format!("… and {} more", problems.len() - MAX_PROBLEMS_SHOWN),
                );
            }
            let apply = if form.id.is_some() { "Apply changes" } else { "Create event" };
            let hint = if problems.is_empty() {
                "Write it into the dataset (Ctrl+Z undoes it)"
            } else {
                "It can be written with these problems; they stay listed under Problems until fixed"
            };
            let delete = form.id.as_deref().map(|id| (RecordKind::Event, id));
            form_buttons(ui, (apply, hint, EditCommand::ApplyEvent), EditorWindow::Event, delete, &mut commands);
        });
    if !open {
        commands.push(EditCommand::Close(EditorWindow::Event));
    }
    // The form's new state first, so that Apply writes what was just typed.
    if edited != *form {
        commands.insert(0, EditCommand::SetEventForm(Box::new(edited)));
    }
    commands
}

fn fields_ui(ui: &mut egui::Ui, view: &EditorView<'_>, form: &mut EventForm, commands: &mut Vec<EditCommand>) {
    egui::Grid::new("event_fields").num_columns(2).spacing([8.0, 6.0]).show(ui, |ui| {
        text_row(ui, "Title", &mut form.title, "Short and neutral", 1);
        text_row(ui, "Summary", &mut form.summary, "According to …", 3);
        category_row(ui, view, form);
        ui.label("Date");
        ui.horizontal(|ui| {
            let combo =
                egui::ComboBox::from_id_salt("date_entry").selected_text(form.date_entry.label()).show_ui(ui, |ui| {
                    for entry in DateEntry::ALL {
                        ui.selectable_value(&mut form.date_entry, entry, entry.label());
                    }
                });
            crate::ui::widgets::name_widget(&combo.response, egui::Role::ComboBox, "Date precision");
            ui.checkbox(&mut form.approximate, "approximate");
        });
        ui.end_row();
        let start_label = if form.date_entry.has_end() { "From" } else { "On" };
        text_row(ui, start_label, &mut form.start, form.date_entry.hint(), 1);
        if form.date_entry.has_end() {
            text_row(ui, "To", &mut form.end, form.date_entry.hint(), 1);
        }
        text_row(ui, "Date in the source's words", &mut form.date_label, "mid-May 1998", 1);
        key_combo(ui, "Date basis", &mut form.date_basis, &keys_of!(DateBasis), true);
        text_row(ui, "How the date was derived", &mut form.date_note, "Stated in …; resolved from …", 2);
        key_combo(ui, "Claim status", &mut form.claim_status, &keys_of!(ClaimStatus), true);
        text_row(ui, "Actors", &mut form.actors, "One per line, as the source names them", 2);
        place_row(ui, view, form, commands);
        key_combo(ui, "Location precision", &mut form.location_precision, &keys_of!(LocationPrecision), true);
    });
    ui.separator();
    relations_ui(ui, view, form);
    ui.separator();
    citations_ui(ui, view, form);
}

fn category_row(ui: &mut egui::Ui, view: &EditorView<'_>, form: &mut EventForm) {
    let mut keys: Vec<String> = Category::ALL.iter().map(|c| c.key().to_owned()).collect();
    for event in view.draft.records(RecordKind::Event) {
        if let Some(key) = event.pointer("/properties/category").and_then(serde_json::Value::as_str)
            && !keys.iter().any(|k| k == key)
        {
            keys.push(key.to_owned());
        }
    }
    ui.label("Category");
    ui.horizontal(|ui| {
        let combo = egui::ComboBox::from_id_salt("category").selected_text(form.category.as_str()).show_ui(ui, |ui| {
            for key in &keys {
                ui.selectable_value(&mut form.category, key.clone(), key);
            }
        });
        crate::ui::widgets::name_widget(&combo.response, egui::Role::ComboBox, "Category list");
        let field =
            ui.add(egui::TextEdit::singleline(&mut form.category).hint_text("or a new one").desired_width(120.0));
        crate::ui::widgets::name_widget(&field, egui::Role::TextInput, "Category");
    });
    ui.end_row();
}

fn place_row(ui: &mut egui::Ui, view: &EditorView<'_>, form: &mut EventForm, commands: &mut Vec<EditCommand>) {
    ui.label("Place");
    ui.vertical(|ui| {
        let name = view.draft.get(RecordKind::Place, &form.place).map(|p| record_name(RecordKind::Place, p));
        ui.horizontal(|ui| {
            ui.strong(name.as_deref().unwrap_or("(none)"));
            if ui.button("Pick on map").on_hover_text("Click the map to make a new place there (Esc cancels)").clicked()
            {
                commands.push(EditCommand::PickPlaceOnMap(true));
            }
            if !form.place.is_empty() && ui.small_button("✖").on_hover_text("No place").clicked() {
                form.place.clear();
            }
        });
        let query_id = egui::Id::unique("event_editor_place_query");
        let mut query: String = ui.data_mut(|d| d.get_temp(query_id).unwrap_or_default());
        let field = ui.add(egui::TextEdit::singleline(&mut query).hint_text("Find a place (any of its names)"));
        crate::ui::widgets::name_widget(&field, egui::Role::SearchInput, "Find a place");
        if !query.trim().is_empty() {
            for (place, name) in find_places(view.draft, &query).into_iter().take(MAX_MATCHES) {
                if ui.selectable_label(false, &name).clicked()
                    && let Some(id) = record_id(place)
                {
                    form.place = id;
                    query.clear();
                }
            }
        }
        ui.data_mut(|d| d.insert_temp(query_id, query));
    });
    ui.end_row();
}

fn relations_ui(ui: &mut egui::Ui, view: &EditorView<'_>, form: &mut EventForm) {
    ui.strong("Relations");
    let kinds = keys_of!(RelationKind);
    let mut remove = None;
    for (i, relation) in form.relations.iter_mut().enumerate() {
        ui.push_id(i, |ui| {
            ui.horizontal(|ui| {
                let label = kinds.iter().find(|(k, _)| *k == relation.kind).map_or(relation.kind.as_str(), |(_, l)| l);
                let combo = egui::ComboBox::from_id_salt("kind").selected_text(label).show_ui(ui, |ui| {
                    for (key, label) in &kinds {
                        ui.selectable_value(&mut relation.kind, (*key).to_owned(), *label);
                    }
                });
                crate::ui::widgets::name_widget(&combo.response, egui::Role::ComboBox, "Relation kind");
                let other = view.draft.get(RecordKind::Event, &relation.event);
                ui.label(shorten(
                    &other.map_or_else(|| relation.event.clone(), |e| record_name(RecordKind::Event, e)),
                    50,
                ));
                if ui.small_button("✖").on_hover_text("Remove this relation").clicked() {
                    remove = Some(i);
                }
            });
            ui.add(
                egui::TextEdit::singleline(&mut relation.note)
                    .hint_text("What it is about (optional)")
                    .desired_width(f32::INFINITY),
            );
        });
    }
    if let Some(i) = remove {
        form.relations.remove(i);
    }
    let query_id = egui::Id::unique("event_editor_relation_query");
    let mut query: String = ui.data_mut(|d| d.get_temp(query_id).unwrap_or_default());
    let field = ui.add(egui::TextEdit::singleline(&mut query).hint_text("Relate to an event: find it by its title"));
    crate::ui::widgets::name_widget(&field, egui::Role::SearchInput, "Find an event to relate");
    let folded = crate::model::search::fold(query.trim());
    if !folded.is_empty() {
        let matches = view.draft.records(RecordKind::Event).iter().filter_map(|event| {
            let id = record_id(event)?;
            let name = record_name(RecordKind::Event, event);
            (form.id.as_deref() != Some(id.as_str()) && crate::model::search::fold(&name).contains(&folded))
                .then_some((id, name))
        });
        for (id, name) in matches.take(MAX_MATCHES) {
            if ui.selectable_label(false, shorten(&name, 70)).on_hover_text("Add a relation to this event").clicked() {
                form.relations.push(RelationEntry { kind: "same_incident".into(), event: id, note: String::new() });
                query.clear();
            }
        }
    }
    ui.data_mut(|d| d.insert_temp(query_id, query));
}

fn citations_ui(ui: &mut egui::Ui, view: &EditorView<'_>, form: &mut EventForm) {
    ui.strong("Passages cited");
    if form.citations.is_empty() {
        ui.weak("None yet: open a source, Mark a passage…, then Cite for this event.");
    }
    let mut remove = None;
    for (i, citation) in form.citations.iter().enumerate() {
        ui.horizontal(|ui| {
            let source = view.dataset.source(&citation.source).map_or(citation.source.as_str(), |s| s.title.as_str());
            ui.label(format!("{} ({}–{}):", shorten(source, 40), citation.range.0, citation.range.1));
            if ui.small_button("✖").on_hover_text("Remove this citation").clicked() {
                remove = Some(i);
            }
        });
        ui.add(
            egui::Label::new(
                egui::RichText::new(format!("\u{201c}{}\u{201d}", shorten(&citation.quote, 240))).italics(),
            )
            .wrap(),
        );
    }
    if let Some(i) = remove {
        form.citations.remove(i);
    }
}
