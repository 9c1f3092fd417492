//! The top bar: dataset name, menus, search and filters.

use super::Command;
use crate::model::{Category, ClaimStatus, Dataset, EventFilter};

/// What the top bar may change besides filters.
#[derive(Debug, Default)]
pub struct TopBarState {
    /// Text of the "open dataset" path field.
    pub open_path: String,
    /// Focus the search field on this frame (Ctrl+F).
    pub focus_search: bool,
}

/// Shows the top bar; returns what the user asked for. Filters are edited in place.
pub fn top_bar_ui(
    ui: &mut egui::Ui,
    dataset: &Dataset,
    filter: &mut EventFilter,
    state: &mut TopBarState,
    dark_mode: &mut bool,
) -> Vec<Command> {
    let mut commands = Vec::new();
    ui.horizontal_wrapped(|ui| {
        ui.menu_button("File", |ui| {
            ui.label("Open a dataset directory, a GeoJSON file, or a .pmtiles / .mbtiles tile archive:");
            let field = ui.add(
                egui::TextEdit::singleline(&mut state.open_path)
                    .hint_text("path/to/data or file.geojson")
                    .desired_width(320.0),
            );
            let enter = field.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter));
            if (ui.button("Open").clicked() || enter) && !state.open_path.trim().is_empty() {
                commands.push(Command::OpenDataset(state.open_path.trim().into()));
                ui.close();
            }
            ui.weak("You can also drop a file or folder on the window, or start with --data PATH.");
        });
        ui.menu_button("View", |ui| {
            if ui.checkbox(dark_mode, "Dark theme").changed() {
                ui.close();
            }
        });
        ui.separator();
        if !dataset.name.is_empty() {
            ui.strong(&dataset.name).on_hover_text(dataset.description.as_deref().unwrap_or("No description"));
            ui.separator();
        }
        let search = ui.add(
            egui::TextEdit::singleline(&mut filter.text)
                .hint_text("🔍 Search titles, places, actors, quotes (Ctrl+F)")
                .desired_width(260.0)
                .id(egui::Id::unique("search_field")),
        );
        super::name_widget(&search, egui::Role::TextInput, "Search");
        if std::mem::take(&mut state.focus_search) {
            search.request_focus();
        }
        let hidden = filter.hidden_categories.len();
        let label = if hidden == 0 { "Categories".to_owned() } else { format!("Categories ({hidden} hidden)") };
        ui.menu_button(label, |ui| {
            ui.horizontal(|ui| {
                if ui.small_button("All").clicked() {
                    filter.hidden_categories.clear();
                }
                if ui.small_button("None").clicked() {
                    filter.hidden_categories = Category::ALL.iter().map(|c| c.key().to_owned()).collect();
                }
            });
            for &category in Category::ALL {
                let count = dataset.events.iter().filter(|e| e.category == category).count();
                if count == 0 {
                    continue;
                }
                let mut visible = filter.category_visible(category);
                if ui.checkbox(&mut visible, format!("{} ({count})", category.label())).changed() {
                    filter.set_category_visible(category, visible);
                }
            }
        });
        choice_ui(ui, "Source", &mut filter.source_id, dataset.sources.iter().map(|s| (s.id.clone(), s.title.clone())));
        choice_ui(ui, "Place", &mut filter.place_id, {
            let mut places: Vec<(String, String)> =
                dataset.places.iter().map(|p| (p.id.clone(), p.name.clone())).collect();
            places.sort_by(|a, b| a.1.cmp(&b.1));
            places.into_iter()
        });
        choice_ui(
            ui,
            "Claim",
            &mut filter.claim_status,
            ClaimStatus::ALL.iter().map(|c| (c.key().to_owned(), c.label().to_owned())),
        );
        if !filter.is_empty() && ui.button("✖ Clear filters").clicked() {
            *filter = EventFilter::default();
        }
    });
    commands
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
            ui.selectable_value(value, Some(key), name);
        }
    });
    super::name_widget(&response.response, egui::Role::ComboBox, &format!("{label} filter"));
}

fn shorten(text: &str, max_chars: usize) -> String {
    if text.chars().count() <= max_chars {
        text.to_owned()
    } else {
        let mut short: String = text.chars().take(max_chars).collect();
        short.push('…');
        short
    }
}
