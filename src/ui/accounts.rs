//! The accounts of one incident side by side: for each record, its source, date, place, who,
//! numbers, standing, summary and passages, with the rows where the accounts differ marked, so
//! "8 vs 12 January" or "a convoy ambushed vs a stray truck captured" is visible at a glance. Each
//! passage opens in the reader; each account's title selects it.

use egui::RichText;

use crate::model::incident::Incident;
use crate::model::text::{MAX_TITLE_CHARS, clip, shorten};
use crate::model::{Dataset, Event, EventIdx};
use crate::ui::command::Command;
use crate::ui::style;

/// Width of one account's column.
const COLUMN_WIDTH: f32 = 230.0;
/// Longest passage shown in a cell (the reader shows it whole).
const MAX_PASSAGE_CHARS: usize = 220;

/// How one account fills a row.
type Cell = fn(&Dataset, EventIdx, &Event) -> String;

/// The rows compared, with how each account fills them.
const ROWS: [(&str, Cell); 7] = [
    ("Source", |dataset, _, event| source_of(dataset, event)),
    ("Date", |_, _, event| event.date_in_words()),
    ("Place", place_of),
    ("Who", |_, _, event| event.details().actors.join("; ")),
    ("Numbers", |_, _, event| numbers_of(event)),
    ("Standing", |_, _, event| event.claim_status.to_string()),
    ("Says", |dataset, idx, event| dataset.summary(idx, event).unwrap_or_default().to_owned()),
];

fn source_of(dataset: &Dataset, event: &Event) -> String {
    let mut names: Vec<String> = event
        .citations()
        .iter()
        .filter_map(|c| dataset.source(&c.source_id))
        .map(|s| s.outlet.clone().unwrap_or_else(|| s.title.clone()))
        .collect();
    names.dedup();
    names.join("; ")
}

fn place_of(dataset: &Dataset, idx: EventIdx, event: &Event) -> String {
    let mut names: Vec<String> =
        event.place_id().and_then(|id| dataset.place(id)).map(|p| p.name.clone()).into_iter().collect();
    names.extend(event.details().further_places.iter().filter_map(|id| dataset.place(id)).map(|p| p.name.clone()));
    if names.is_empty() {
        names.extend(dataset.place_name(idx, event).map(str::to_owned));
    }
    format!("{} ({})", names.join(", "), event.location_precision.label())
}

fn numbers_of(event: &Event) -> String {
    let Some(c) = &event.details().casualties else { return String::new() };
    let parts: Vec<String> = [(c.killed, "killed"), (c.wounded, "wounded"), (c.detained, "detained")]
        .into_iter()
        .filter_map(|(n, what)| n.map(|n| format!("{n} {what}")))
        .collect();
    parts.join(", ")
}

/// The accounts window; returns what the user asked for.
pub fn accounts_window(
    ctx: &egui::Context,
    dataset: &Dataset,
    incident: &Incident,
    selected: Option<EventIdx>,
) -> Vec<Command> {
    let mut commands = Vec::new();
    let mut open = true;
    let accounts: Vec<(EventIdx, &Event)> =
        incident.accounts.iter().filter_map(|&idx| Some((idx, dataset.event(idx)?))).collect();
    egui::Window::new(format!("Accounts: {}", shorten(&incident.title, 60)))
        .id(egui::Id::unique("incident_accounts"))
        .open(&mut open)
        .default_width(COLUMN_WIDTH * 2.6)
        .max_height(ctx.content_rect().height() * 0.8)
        .show(ctx, |ui| {
            ui.label(format!(
                "{} records that may describe one happening — grouping {}: {}",
                accounts.len(),
                incident.confidence,
                incident.reason
            ));
            ui.weak("Each account keeps its source's words. Rows where the accounts differ are marked (differs).");
            ui.add_space(4.0);
            egui::ScrollArea::both().auto_shrink([false, true]).show(ui, |ui| {
                egui::Grid::new("accounts_grid").striped(true).spacing([12.0, 6.0]).show(ui, |ui| {
                    ui.label("");
                    for &(idx, event) in &accounts {
                        cell(ui, |ui| {
                            let title = RichText::new(clip(&event.title, MAX_TITLE_CHARS)).strong();
                            let title = if selected == Some(idx) { title.underline() } else { title };
                            if ui.link(title).on_hover_text("Select this account").clicked() {
                                commands.push(Command::SelectAndReveal(idx));
                            }
                        });
                    }
                    ui.end_row();
                    for (name, value_of) in ROWS {
                        let values: Vec<String> =
                            accounts.iter().map(|&(idx, event)| value_of(dataset, idx, event)).collect();
                        let differs = values.windows(2).any(|pair| matches!(pair, [a, b] if a != b));
                        let label = if differs { format!("{name} (differs)") } else { name.to_owned() };
                        let label = RichText::new(label).strong();
                        ui.label(if differs { label.color(style::CONTESTED_RING) } else { label });
                        for value in &values {
                            cell(ui, |ui| {
                                let text =
                                    if value.is_empty() { RichText::new("—").weak() } else { RichText::new(value) };
                                ui.label(text);
                            });
                        }
                        ui.end_row();
                    }
                    ui.label(RichText::new("Passages").strong());
                    for &(_, event) in &accounts {
                        cell(ui, |ui| {
                            for citation in event.citations() {
                                let quote = format!("“{}”", clip(&citation.quote, MAX_PASSAGE_CHARS));
                                if ui.link(quote).on_hover_text("Read it in its source").clicked() {
                                    commands.push(Command::OpenSource {
                                        source_id: citation.source_id.clone(),
                                        focus: citation.char_range,
                                    });
                                }
                            }
                        });
                    }
                    ui.end_row();
                });
            });
        });
    if !open {
        commands.push(Command::ShowIncident(None));
    }
    commands
}

/// One cell, wrapped to the column's width.
fn cell(ui: &mut egui::Ui, add: impl FnOnce(&mut egui::Ui)) {
    ui.vertical(|ui| {
        ui.set_width(COLUMN_WIDTH);
        ui.style_mut().wrap_mode = Some(egui::TextWrapMode::Wrap);
        add(ui);
    });
}
