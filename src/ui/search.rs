//! Search results under the search field: the best matches over all dates (not only the time
//! window), with their date and place; picking one moves the cursor and the map to it.

use crate::model::text::shorten;
use crate::model::{Dataset, EventIdx};
use crate::ui::command::Command;

/// Results listed at most.
const LISTED: usize = 100;

/// The results popup, open while the search field has focus or the pointer is over it.
pub fn results_popup(
    ui: &egui::Ui,
    search: &egui::Response,
    dataset: &Dataset,
    text: &str,
    (hits, total): (&[EventIdx], usize),
) -> Vec<Command> {
    let mut commands = Vec::new();
    let hovered_id = search.id.with("results_hovered");
    let hovered = ui.data(|d| d.get_temp::<bool>(hovered_id)).unwrap_or(false);
    let open = !text.trim().is_empty() && (search.has_focus() || hovered);
    let shown = egui::Popup::from_response(search)
        .open(open)
        .close_behavior(egui::PopupCloseBehavior::IgnoreClicks)
        .width(440.0)
        .show(|ui| {
            ui.set_min_width(420.0);
            if total == 0 {
                ui.weak("No event matches every word (accents and alphabets do not matter).");
                return;
            }
            let more = if total > LISTED.min(hits.len()) {
                format!(", the first {} shown", LISTED.min(hits.len()))
            } else {
                String::new()
            };
            ui.weak(format!("{total} event(s) match, across all dates{more}:"));
            egui::ScrollArea::vertical().id_salt("search_results").max_height(320.0).show(ui, |ui| {
                for &idx in hits.iter().take(LISTED) {
                    let Some(event) = dataset.event(idx) else { continue };
                    let place = event
                        .place_id()
                        .and_then(|id| dataset.place(id))
                        .map(|p| format!(" · {}", shorten(&p.name, 40)));
                    let text = format!(
                        "{}\n{}{}",
                        shorten(&event.title, 80),
                        event.date_in_words(),
                        place.unwrap_or_default()
                    );
                    let row = ui
                        .add(egui::Button::selectable(false, text).wrap())
                        .on_hover_text("Show it: the cursor and the map move to it");
                    if row.clicked() {
                        commands.push(Command::SelectAndReveal(idx));
                    }
                }
            });
        });
    let now_hovered = shown.is_some_and(|inner| inner.response.contains_pointer());
    if now_hovered != hovered {
        ui.data_mut(|d| d.insert_temp(hovered_id, now_hovered));
    }
    commands
}
