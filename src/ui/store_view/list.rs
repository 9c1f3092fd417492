//! The side panel of the store explorer: search, the view's events (or what a search found),
//! and one event's details as the store gives them.

use super::{StoreCommand, day_text};
use crate::model::store::{EventRow, SearchHits};
use crate::model::text::shorten;

/// What the panel shows.
pub struct StoreListView<'a> {
    /// The search text.
    pub search: &'a str,
    /// The events listed: a search's hits, or the view's events.
    pub hits: Option<&'a SearchHits>,
    /// True when they are a search's.
    pub searching: bool,
    /// The selected event's id.
    pub selected: Option<&'a str>,
    /// Its details, once the store gave them.
    pub details: Option<&'a EventRow>,
}

fn dates(row: &EventRow) -> String {
    let first = day_text(row.days.0);
    let dates = if row.days.0 == row.days.1 { first } else { format!("{first} – {}", day_text(row.days.1)) };
    if row.undated { format!("undated ({dates})") } else { dates }
}

/// Draws the panel; returns what the user asked for.
pub fn store_list_ui(ui: &mut egui::Ui, view: &StoreListView<'_>) -> Vec<StoreCommand> {
    let mut commands = Vec::new();
    let mut search = view.search.to_owned();
    let field = ui.add(
        egui::TextEdit::singleline(&mut search)
            .hint_text("Search every event (all words)")
            .desired_width(f32::INFINITY),
    );
    crate::ui::widgets::name_widget(&field, egui::Role::SearchInput, "Search");
    if field.changed() {
        commands.push(StoreCommand::Search(search.clone()));
    }
    if let Some(details) = view.details {
        details_ui(ui, details, &mut commands);
        ui.separator();
    }
    let Some(hits) = view.hits else {
        ui.weak("Asking the store…");
        return commands;
    };
    let what = if view.searching { "found" } else { "in the map's view and window" };
    let shown = if hits.total > hits.rows.len() as u64 {
        format!(", the first {} by date", hits.rows.len())
    } else {
        String::new()
    };
    ui.strong(format!("{} events {what}{shown}", hits.total));
    egui::ScrollArea::vertical().id_salt("store_list").show(ui, |ui| {
        for row in &hits.rows {
            let selected = view.selected == Some(row.id.as_str());
            let label = format!("{}\n{} · {}", shorten(&row.title, 70), dates(row), row.category);
            if ui.selectable_label(selected, label).clicked() {
                commands.push(StoreCommand::Select { id: row.id.clone(), start_day: Some(row.days.0) });
            }
        }
    });
    commands
}

fn details_ui(ui: &mut egui::Ui, row: &EventRow, commands: &mut Vec<StoreCommand>) {
    ui.horizontal(|ui| {
        ui.strong("Event details");
        if ui.small_button("✖").on_hover_text("Close the details").clicked() {
            commands.push(StoreCommand::CloseDetails);
        }
    });
    ui.heading(shorten(&row.title, 160));
    ui.label(egui::RichText::new(dates(row)).strong());
    let place = row.lon_lat.map_or_else(|| "no place given".to_owned(), |(lon, lat)| format!("{lat:.4}, {lon:.4}"));
    ui.weak(format!("{} · {place}", row.category));
    if !row.summary.is_empty() {
        ui.add(egui::Label::new(shorten(&row.summary, 1200)).wrap());
    }
    egui::ScrollArea::vertical().id_salt("store_details").max_height(180.0).show(ui, |ui| {
        egui::Grid::new("store_fields").num_columns(2).striped(true).show(ui, |ui| {
            ui.weak("id");
            ui.label(&row.id);
            ui.end_row();
            for (name, value) in &row.fields {
                ui.weak(shorten(name, 40));
                ui.add(egui::Label::new(shorten(value, 300)).wrap());
                ui.end_row();
            }
        });
    });
}
