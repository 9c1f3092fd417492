//! The list of events that are "now": in the time window and matching the filters, by date.

use egui::{Sense, Vec2};

use crate::model::text::{MAX_TEXT_CHARS, MAX_TITLE_CHARS, clip};
use crate::model::{Dataset, EventIdx};
use crate::ui::command::Command;
use crate::ui::style;

/// Height of one row.
const ROW_HEIGHT: f32 = 36.0;

/// Shows the list (virtualised: only visible rows are laid out) and returns what the user asked for.
pub fn event_list_ui(
    ui: &mut egui::Ui,
    dataset: &Dataset,
    events: &[EventIdx],
    newest_first: bool,
    selected: Option<EventIdx>,
    hovered: Option<EventIdx>,
    scroll_to_selected: bool,
) -> Vec<Command> {
    let mut commands = Vec::new();
    if events.is_empty() {
        ui.weak("No events in the time window. Move the cursor, widen the window, or press the right arrow key for the next event.");
        return commands;
    }
    // Row i shows this event: date order, or its reverse.
    let at = |row: usize| {
        if newest_first { events.len().checked_sub(row + 1).and_then(|i| events.get(i)) } else { events.get(row) }
    };
    let mut hovered_now = None;
    let mut scroll_area = egui::ScrollArea::vertical().id_salt("event_list").auto_shrink([false, false]);
    let row_of = |position: usize| if newest_first { events.len() - 1 - position } else { position };
    if scroll_to_selected && let Some(position) = selected.and_then(|s| events.iter().position(|&e| e == s)).map(row_of)
    {
        #[expect(clippy::cast_precision_loss, reason = "row offsets")]
        let offset = (position as f32 * (ROW_HEIGHT + ui.spacing().item_spacing.y) - 60.0).max(0.0);
        scroll_area = scroll_area.vertical_scroll_offset(offset);
    }
    scroll_area.show_rows(ui, ROW_HEIGHT, events.len(), |ui, rows| {
        for &idx in rows.filter_map(at) {
            let Some(event) = dataset.event(idx) else { continue };
            let is_selected = selected == Some(idx);
            let (rect, response) = ui.allocate_exact_size(Vec2::new(ui.available_width(), ROW_HEIGHT), Sense::click());
            let visuals = ui.visuals();
            if is_selected {
                ui.painter().rect_filled(rect, 3.0, visuals.selection.bg_fill);
            } else if response.hovered() || hovered == Some(idx) {
                ui.painter().rect_filled(rect, 3.0, visuals.widgets.hovered.weak_bg_fill);
            }
            let color = style::event_color(dataset, idx, event);
            let dot = rect.left_center() + egui::vec2(8.0, 0.0);
            if event.is_uncertain() {
                ui.painter().circle(dot, 5.0, color.gamma_multiply(0.35), egui::Stroke::new(1.5, color));
            } else {
                ui.painter().circle_filled(dot, 5.0, color);
            }
            if event.is_contested() {
                ui.painter().circle_stroke(dot, 7.5, egui::Stroke::new(1.5, style::CONTESTED_RING));
            }
            let text_color = if is_selected { visuals.selection.stroke.color } else { visuals.text_color() };
            let title_pos = rect.left_top() + egui::vec2(20.0, 2.0);
            let mut job = egui::text::LayoutJob::simple(
                clip(&event.title, MAX_TITLE_CHARS).into_owned(),
                egui::FontId::proportional(13.0),
                text_color,
                f32::INFINITY,
            );
            job.wrap = egui::text::TextWrapping::truncate_at_width(rect.width() - 24.0);
            let title = ui.fonts_mut(|f| f.layout_job(job));
            let clipped = ui.painter().with_clip_rect(rect);
            clipped.galley(title_pos, title, text_color);
            let account = dataset.incident_of(idx).map_or_else(String::new, |incident| {
                let number = incident.accounts.iter().position(|&a| a == idx).map_or(0, |p| p + 1);
                format!(" · account {number} of {}", incident.accounts.len())
            });
            clipped.text(
                rect.left_bottom() + egui::vec2(20.0, -2.0),
                egui::Align2::LEFT_BOTTOM,
                format!("{} · {}{account}", event.date_in_words(), event.claim_status),
                egui::FontId::proportional(11.0),
                if is_selected { text_color } else { visuals.weak_text_color() },
            );
            let response = response.on_hover_text(clip(&event.title, MAX_TEXT_CHARS));
            if response.hovered() {
                hovered_now = Some(idx);
            }
            if response.clicked() {
                commands.push(Command::Select(Some(idx)));
            }
            // Expose the row to accessibility and tests by its title.
            response.widget_info(|| {
                egui::WidgetInfo::selected(egui::Role::Button, true, is_selected, clip(&event.title, MAX_TITLE_CHARS))
            });
        }
    });
    if hovered_now.is_some() && hovered_now != hovered {
        commands.push(Command::Hover(hovered_now));
    }
    commands
}

/// The events of a clicked map group, in a window over the map; returns what the user asked for.
pub fn group_window(
    ctx: &egui::Context,
    dataset: &Dataset,
    group: &[EventIdx],
    co_located: bool,
    selected: Option<EventIdx>,
    hovered: Option<EventIdx>,
) -> Vec<Command> {
    let mut commands = Vec::new();
    let mut open = true;
    egui::Window::new(format!("{} events here", group.len()))
        .id(egui::Id::unique("group_popup"))
        .open(&mut open)
        .default_width(360.0)
        .max_height(360.0)
        .show(ctx, |ui| {
            if co_located {
                ui.weak(format!(
                    "All {} events are at the same point: no zoom separates them. They are spread around it on the map; pick one there or here:",
                    group.len()
                ));
            } else {
                ui.weak("Zoom in to separate them, or pick one:");
            }
            commands.extend(event_list_ui(ui, dataset, group, false, selected, hovered, false));
        });
    if !open {
        commands.push(Command::CloseGroup);
    }
    commands
}

/// The events mentioned without a date, under a header of their own: listed and found by the
/// search, but never "now" on the timeline or the map.
pub fn undated_ui(
    ui: &mut egui::Ui,
    dataset: &Dataset,
    undated: &[EventIdx],
    selected: Option<EventIdx>,
) -> Vec<Command> {
    let mut commands = Vec::new();
    if undated.is_empty() {
        return commands;
    }
    egui::CollapsingHeader::new(format!("Undated ({})", undated.len())).id_salt("undated_events").show(ui, |ui| {
        ui.weak("Mentioned without a date: listed here, never \"now\" on the timeline or the map.");
        egui::ScrollArea::vertical().id_salt("undated_list").max_height(140.0).show(ui, |ui| {
            for &idx in undated {
                let Some(event) = dataset.event(idx) else { continue };
                let response = ui
                    .selectable_label(selected == Some(idx), clip(&event.title, MAX_TITLE_CHARS))
                    .on_hover_text(event.span.in_words());
                if response.clicked() {
                    commands.push(Command::Select(Some(idx)));
                }
            }
        });
    });
    commands
}
