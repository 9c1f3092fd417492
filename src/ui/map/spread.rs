//! Events at one and the same point, spread around it: no zoom can separate them, so when their
//! group is opened each gets a marker of its own on a spiral around the point, joined to it by a
//! thin line, each clickable.

use egui::{Color32, Pos2, Stroke, vec2};

use super::projection::screen_pos;
use super::view::{MapView, Spread};
use crate::model::geo::world_from_lon_lat;
use crate::model::text::{MAX_TITLE_CHARS, clip};
use crate::model::{EventIdx, ScreenFromWorld};
use crate::ui::command::Command;
use crate::ui::style;

/// Most events spread on the map; the group's list has them all.
pub const MAX_SPREAD: usize = 120;
/// Radius of a spread event's marker.
const SPREAD_MARKER_RADIUS_PX: f32 = 6.0;

/// Where the k-th spread event sits, relative to the centre: a sunflower spiral, so any number
/// of them keeps its distance from its neighbours.
pub fn spread_offset(k: usize) -> egui::Vec2 {
    #[expect(clippy::cast_precision_loss, reason = "a small index")]
    let k = k as f32;
    let radius = 24.0 + 11.0 * k.sqrt();
    let angle = k * 2.399_963; // the golden angle, in radians
    vec2(radius * angle.cos(), radius * angle.sin())
}

/// Draws the spread and returns what a hover or click on one of its markers asks for.
pub fn draw_spread(
    ui: &egui::Ui,
    response: &egui::Response,
    transform: ScreenFromWorld,
    spread: &Spread,
    view: &MapView<'_>,
) -> Vec<Command> {
    let painter = ui.painter();
    let dark = ui.visuals().dark_mode;
    let center = screen_pos(transform, world_from_lon_lat(spread.center));
    let ink = if dark { Color32::from_gray(200) } else { Color32::from_gray(60) };
    let pointer_pos = response.hover_pos();
    let mut hovered: Option<(EventIdx, Pos2)> = None;
    painter.circle_filled(center, 3.0, ink);
    for (k, &idx) in spread.events.iter().take(MAX_SPREAD).enumerate() {
        let Some(event) = view.dataset.event(idx) else { continue };
        let at = center + spread_offset(k);
        painter.line_segment([center, at], Stroke::new(1.0, ink.gamma_multiply(0.5)));
        let color = style::event_color(view.dataset, idx, event);
        let fill = if event.is_uncertain() { color.gamma_multiply(0.45) } else { color };
        let selected = view.selected == Some(idx);
        let is_hovered = pointer_pos.is_some_and(|p| p.distance(at) <= SPREAD_MARKER_RADIUS_PX + 2.0);
        if selected {
            painter.circle_filled(at, SPREAD_MARKER_RADIUS_PX + 4.0, style::selection_color(dark).gamma_multiply(0.6));
        }
        let outline = if is_hovered || view.hovered == Some(idx) { 2.5 } else { 1.2 };
        painter.circle(
            at,
            SPREAD_MARKER_RADIUS_PX,
            fill,
            Stroke::new(outline, if dark { Color32::BLACK } else { Color32::WHITE }),
        );
        if event.is_contested() {
            painter.circle_stroke(at, SPREAD_MARKER_RADIUS_PX + 2.5, Stroke::new(1.5, style::CONTESTED_RING));
        }
        if is_hovered {
            hovered = Some((idx, at));
        }
    }
    let mut commands = Vec::new();
    if let Some((idx, _)) = hovered {
        if view.hovered != Some(idx) {
            commands.push(Command::Hover(Some(idx)));
        }
        if let Some(event) = view.dataset.event(idx) {
            ui.ctx().set_cursor_icon(egui::CursorIcon::PointingHand);
            egui::Tooltip::always_open(
                ui.ctx().clone(),
                ui.layer_id(),
                ui.scope_id().with("spread_tooltip"),
                egui::PopupAnchor::Pointer,
            )
            .show(|ui| {
                ui.label(egui::RichText::new(clip(&event.title, MAX_TITLE_CHARS)).strong());
                ui.label(event.date_in_words());
            });
        }
        if response.clicked() {
            commands.push(Command::Select(Some(idx)));
        }
    }
    commands
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spread_markers_keep_their_distance() {
        let offsets: Vec<egui::Vec2> = (0..MAX_SPREAD).map(spread_offset).collect();
        for (i, a) in offsets.iter().enumerate() {
            assert!(a.length() >= 24.0);
            for b in offsets.iter().skip(i + 1) {
                assert!((*a - *b).length() >= 2.0 * SPREAD_MARKER_RADIUS_PX, "{a:?} {b:?}");
            }
        }
    }
}
