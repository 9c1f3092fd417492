//! The top bar: menus, the dataset's name, search and filters. Edits a copy of the filter and
//! returns it as a command when it changed.

use crate::model::text::{MAX_TITLE_CHARS, shorten};
use crate::model::{ClaimStatus, Dataset, EventFilter, EventIdx};
use crate::ui::command::{Command, OpenDialog};
use crate::ui::widgets::name_widget;

/// Longest dataset name shown in the bar; its tooltip has the rest.
const MAX_NAME_CHARS: usize = 80;

/// What the Edit menu offers.
#[derive(Clone, Debug, Default)]
pub struct EditMenuState<'a> {
    /// The dataset is a folder that can be edited.
    pub editable: bool,
    /// What Undo would take back.
    pub undo: Option<&'a str>,
    /// What Redo would make again.
    pub redo: Option<&'a str>,
    /// Records changed since the last save.
    pub unsaved: usize,
}

/// Shows the top bar; returns what the user asked for.
#[expect(clippy::too_many_arguments, reason = "each is one thing the bar shows")]
pub fn top_bar_ui(
    ui: &mut egui::Ui,
    edit: &EditMenuState<'_>,
    dataset: &Dataset,
    filter: &EventFilter,
    results: (&[EventIdx], usize),
    recent: &[std::path::PathBuf],
    dark_mode: bool,
    view_text: &str,
) -> Vec<Command> {
    let mut commands = Vec::new();
    let mut edited = filter.clone();
    ui.horizontal_wrapped(|ui| {
        ui.menu_button("File", |ui| {
            if ui
                .button("Open file…")
                .on_hover_text("GeoJSON, CSV, KML/KMZ, a saved view, or a .pmtiles / .mbtiles tile archive")
                .clicked()
            {
                commands.push(Command::ShowOpenDialog(OpenDialog::File));
            }
            if ui.button("Open dataset folder…").clicked() {
                commands.push(Command::ShowOpenDialog(OpenDialog::Folder));
            }
            if ui.button("Type a path…").clicked() {
                commands.push(Command::SetPathWindowOpen(true));
            }
            ui.separator();
            if ui.button("Export events…").on_hover_text("As GeoJSON, CSV or KML").clicked() {
                commands.push(Command::SetExportWindowOpen(true));
                ui.close();
            }
            if ui.button("Export picture…").on_hover_text("The window as it is now, as a PNG").clicked() {
                commands.push(Command::ShowOpenDialog(OpenDialog::Save {
                    file_name: "kronika.png".into(),
                    extension: "png",
                    then: crate::ui::command::SaveTarget::Picture,
                }));
                ui.close();
            }
            if ui.button("Save view…").on_hover_text("A small file that opens this view again").clicked() {
                commands.push(Command::ShowOpenDialog(OpenDialog::Save {
                    file_name: "view.json".into(),
                    extension: "json",
                    then: crate::ui::command::SaveTarget::View,
                }));
                ui.close();
            }
            if !recent.is_empty() {
                ui.separator();
                ui.weak("Recent");
                for path in recent {
                    let name = path
                        .file_name()
                        .map_or_else(|| path.display().to_string(), |n| n.to_string_lossy().into_owned());
                    if ui.button(shorten(&name, 60)).on_hover_text(path.display().to_string()).clicked() {
                        commands.push(Command::OpenPath(path.clone()));
                    }
                }
            }
            ui.separator();
            ui.weak("You can also drop files or a folder on the window, or start with kronika FILE....");
        });
        ui.menu_button("Edit", |ui| edit_menu_ui(ui, edit, dataset, &mut commands));
        ui.menu_button("View", |ui| {
            let mut dark = dark_mode;
            if ui.checkbox(&mut dark, "Dark theme").changed() {
                commands.push(Command::SetDarkMode(dark));
                ui.close();
            }
            ui.separator();
            if ui
                .button("Copy view")
                .on_hover_text("Copy this date, window, filters, map and selection as text to send or keep")
                .clicked()
            {
                ui.ctx().copy_text(view_text.to_owned());
                ui.close();
            }
            if ui.button("Open view…").on_hover_text("Paste a view's text (kronika:view?…)").clicked() {
                commands.push(Command::SetViewWindowOpen(true));
                ui.close();
            }
            ui.separator();
            if ui.button("Stories…").on_hover_text("Follow or write a story, step by step").clicked() {
                commands.push(Command::SetStoryWindowOpen(true));
                ui.close();
            }
        });
        ui.separator();
        if !dataset.name.is_empty() {
            let description = dataset.description.as_deref().unwrap_or("No description");
            ui.strong(shorten(&dataset.name, MAX_NAME_CHARS)).on_hover_text(shorten(description, 10 * MAX_TITLE_CHARS));
            ui.separator();
        }
        let search = ui.add(
            egui::TextEdit::singleline(&mut edited.text)
                .hint_text("🔍 Search titles, places, actors, quotes (Ctrl+F)")
                .desired_width(260.0)
                .id(egui::Id::unique("search_field")),
        );
        name_widget(&search, egui::Role::TextInput, "Search");
        if ui.input_mut(|i| i.consume_key(egui::Modifiers::COMMAND, egui::Key::F)) {
            search.request_focus();
        }
        commands.extend(crate::ui::search::results_popup(ui, &search, dataset, &filter.text, results));
        categories_menu_ui(ui, dataset, &mut edited);
        choice_ui(ui, "Source", &mut edited.source_id, dataset.sources.iter().map(|s| (s.id.clone(), s.title.clone())));
        choice_ui(ui, "Place", &mut edited.place_id, {
            let mut places: Vec<(String, String)> =
                dataset.places.iter().map(|p| (p.id.clone(), p.name.clone())).collect();
            places.sort_by(|a, b| a.1.cmp(&b.1));
            places.into_iter()
        });
        choice_ui(
            ui,
            "Claim",
            &mut edited.claim_status,
            ClaimStatus::ALL.iter().map(|c| (c.key().to_owned(), c.label().to_owned())),
        );
        if !filter.is_empty() && ui.button("✖ Clear filters").clicked() {
            edited = EventFilter::default();
        }
    });
    if edited != *filter {
        commands.push(Command::SetFilter(edited));
    }
    commands
}

/// The categories menu: a checkbox per category that has events.
fn categories_menu_ui(ui: &mut egui::Ui, dataset: &Dataset, filter: &mut EventFilter) {
    let hidden = filter.hidden_categories.len();
    let label = if hidden == 0 { "Categories".to_owned() } else { format!("Categories ({hidden} hidden)") };
    // Stays open while boxes are ticked; a click elsewhere closes it.
    let config =
        egui::containers::menu::MenuConfig::new().close_behavior(egui::PopupCloseBehavior::CloseOnClickOutside);
    egui::containers::menu::MenuButton::new(label).config(config).ui(ui, |ui| {
        ui.horizontal(|ui| {
            if ui.small_button("All").clicked() {
                filter.hidden_categories.clear();
            }
            if ui.small_button("None").clicked() {
                filter.hidden_categories = dataset.categories.entries().iter().map(|e| e.key.to_string()).collect();
            }
        });
        for entry in dataset.categories.entries().iter().filter(|e| e.count > 0) {
            let mut visible = filter.category_visible(&entry.key);
            let label = format!("{} ({})", shorten(entry.label(), 60), entry.count);
            if ui.checkbox(&mut visible, label).changed() {
                filter.set_category_visible(&entry.key, visible);
            }
        }
    });
}

/// A combo box choosing one value or "any".
fn choice_ui(
    ui: &mut egui::Ui,
    label: &str,
    value: &mut Option<String>,
    options: impl Iterator<Item = (String, String)>,
) {
    let options: Vec<(String, String)> = options.collect();
    if options.is_empty() {
        return;
    }
    let selected = value
        .as_ref()
        .and_then(|v| options.iter().find(|(key, _)| key == v))
        .map_or_else(|| format!("{label}: any"), |(_, name)| format!("{label}: {}", shorten(name, 28)));
    let response = egui::ComboBox::from_id_salt(label).selected_text(selected).width(170.0).show_ui(ui, |ui| {
        ui.selectable_value(value, None, "any");
        for (key, name) in options {
            let shown = shorten(&name, 2 * MAX_NAME_CHARS).into_owned();
            ui.selectable_value(value, Some(key), shown);
        }
    });
    name_widget(&response.response, egui::Role::ComboBox, &format!("{label} filter"));
}

/// A window to type a path in, for machines where the platform's dialog cannot be shown.
pub fn path_window(ctx: &egui::Context) -> Vec<Command> {
    let mut commands = Vec::new();
    let mut open = true;
    egui::Window::new("Open a path").open(&mut open).collapsible(false).show(ctx, |ui| {
        // The path being typed lives in egui's memory, like any text field's cursor.
        let path_id = egui::Id::unique("open_path");
        let mut path: String = ui.data_mut(|d| d.get_temp(path_id)).unwrap_or_default();
        ui.label("A dataset folder, a GeoJSON file, or a .pmtiles / .mbtiles tile archive:");
        let field = ui
            .add(egui::TextEdit::singleline(&mut path).hint_text("path/to/data or file.geojson").desired_width(360.0));
        name_widget(&field, egui::Role::TextInput, "Path to open");
        let enter = field.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter));
        if (ui.button("Open").clicked() || enter) && !path.trim().is_empty() {
            commands.push(Command::OpenPath(path.trim().into()));
            commands.push(Command::SetPathWindowOpen(false));
        }
        ui.data_mut(|d| d.insert_temp(path_id, path));
    });
    if !open {
        commands.push(Command::SetPathWindowOpen(false));
    }
    commands
}

/// A window to paste a view's text in.
pub fn view_window(ctx: &egui::Context, notice: Option<&str>) -> Vec<Command> {
    let mut commands = Vec::new();
    let mut open = true;
    egui::Window::new("Open a view").open(&mut open).collapsible(false).show(ctx, |ui| {
        let text_id = egui::Id::unique("open_view_text");
        let mut text: String = ui.data_mut(|d| d.get_temp(text_id)).unwrap_or_default();
        ui.label("Paste a view (View → Copy view gives one):");
        let field = ui.add(egui::TextEdit::singleline(&mut text).hint_text("kronika:view?at=…").desired_width(420.0));
        name_widget(&field, egui::Role::TextInput, "View text");
        let enter = field.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter));
        if (ui.button("Open").clicked() || enter) && !text.trim().is_empty() {
            commands.push(Command::OpenView(text.trim().to_owned()));
        }
        if let Some(notice) = notice {
            ui.colored_label(ui.visuals().warn_fg_color, notice);
        }
        ui.data_mut(|d| d.insert_temp(text_id, text));
    });
    if !open {
        commands.push(Command::SetViewWindowOpen(false));
    }
    commands
}

fn edit_menu_ui(ui: &mut egui::Ui, edit: &EditMenuState<'_>, dataset: &Dataset, commands: &mut Vec<Command>) {
    use crate::ui::editor::EditCommand;
    let mut push = |command: EditCommand| commands.push(Command::Edit(command));
    if ui.button("New dataset…").clicked() {
        push(EditCommand::SetNewDatasetOpen(true));
        ui.close();
    }
    if !edit.editable {
        ui.weak("Only a dataset folder can be edited.");
        return;
    }
    if ui.button("Add source…").on_hover_text("From a .txt, .md or .html file, or pasted").clicked() {
        push(EditCommand::StartSource);
        ui.close();
    }
    ui.menu_button("Sources", |ui| {
        for source in &dataset.sources {
            ui.horizontal(|ui| {
                ui.label(shorten(&source.title, 50));
                if ui.small_button("Mark a passage…").clicked() {
                    push(EditCommand::OpenPassages(source.id.clone()));
                    ui.close();
                }
                if ui.small_button("Edit…").clicked() {
                    push(EditCommand::EditSource(source.id.clone()));
                    ui.close();
                }
            });
        }
    });
    ui.menu_button("Places", |ui| {
        egui::ScrollArea::vertical().max_height(400.0).show(ui, |ui| {
            for place in &dataset.places {
                if ui.button(shorten(&place.name, 50)).on_hover_text("Edit this place").clicked() {
                    push(EditCommand::EditPlace(place.id.clone()));
                    ui.close();
                }
            }
        });
    });
    ui.separator();
    let undo = edit.undo.map_or_else(|| "Undo".to_owned(), |label| format!("Undo {}", shorten(label, 40)));
    if ui.add_enabled(edit.undo.is_some(), egui::Button::new(undo).shortcut_text("Ctrl+Z")).clicked() {
        push(EditCommand::Undo);
    }
    let redo = edit.redo.map_or_else(|| "Redo".to_owned(), |label| format!("Redo {}", shorten(label, 40)));
    if ui.add_enabled(edit.redo.is_some(), egui::Button::new(redo).shortcut_text("Ctrl+Shift+Z")).clicked() {
        push(EditCommand::Redo);
    }
    ui.separator();
    let save = format!("Save ({} change{})", edit.unsaved, if edit.unsaved == 1 { "" } else { "s" });
    if ui.add_enabled(edit.unsaved > 0, egui::Button::new(save).shortcut_text("Ctrl+S")).clicked() {
        push(EditCommand::Save);
        ui.close();
    }
    if ui.button("Changes since the last save…").clicked() {
        push(EditCommand::SetChangesOpen(true));
        ui.close();
    }
}
