//! Markers as drawn: a circle per event (a diamond for a claim, a square for a denial), softer
//! when the date or place is uncertain, ringed when contested, a counted circle for a group;
//! their tooltips, and what a click on one asks for.

use egui::{Align2, Color32, FontId, Pos2, Rect, Shape, Stroke, Vec2, vec2};

use super::drawn::DrawnMarker;
use super::grouping::events_in_cells;
use super::sizes::compact_count;
use super::view::MapView;
use crate::model::text::{MAX_TITLE_CHARS, clip};
use crate::model::{ClaimStatus, Dataset, EventIdx};
use crate::ui::command::Command;
use crate::ui::style;

/// Draws the markers; returns the hovered event and what a click asked for.
pub fn draw_markers(
    ui: &egui::Ui,
    response: &egui::Response,
    markers: &[DrawnMarker],
    view: &MapView<'_>,
    shape_hovered: Option<EventIdx>,
) -> Vec<Command> {
    let dark_mode = ui.visuals().dark_mode;
    let painter = ui.painter();
    let outline = if dark_mode { Color32::from_gray(20) } else { Color32::WHITE };
    let pointer_pos = response.hover_pos();
    let mut hovered_marker: Option<&DrawnMarker> = None;
    if view.density {
        hovered_marker = draw_density(painter, markers, pointer_pos, view, dark_mode);
    } else {
        for marker in markers {
            let is_hovered = pointer_pos.is_some_and(|p| p.distance(marker.center) <= marker.radius + 3.0);
            if is_hovered {
                hovered_marker = Some(marker);
            }
            let Some(&first) = marker.events.first() else { continue };
            let Some(event) = view.dataset.event(first) else { continue };
            let selected = view.selected.is_some_and(|s| marker.events.contains(&s));
            let hovered = is_hovered || view.hovered.is_some_and(|h| marker.events.contains(&h));
            let color = style::slot_color(view.dataset.legend().scheme(), marker.slot);
            let (all_uncertain, any_contested) = (marker.all_uncertain, marker.any_contested);
            let fill = if all_uncertain { color.gamma_multiply(0.35) } else { color };
            let (c, r) = (marker.center, marker.radius);
            if selected {
                painter.circle_filled(c, r + 5.0, style::selection_color(dark_mode).gamma_multiply(0.6));
            }
            if marker.merged_accounts > 0 {
                // Accounts of one incident: drawn as a stack, one happening told several times.
                let behind = c + vec2(3.5, -3.5);
                painter.circle(behind, r, fill.gamma_multiply(0.6), Stroke::new(1.5, outline));
            }
            if any_contested {
                painter.circle_stroke(c, r + 2.5, Stroke::new(2.0, style::CONTESTED_RING));
            }
            if marker.count > 1 {
                // An opaque disc first: a soft (uncertain) group must not show place dots through its count.
                painter.circle_filled(c, r, style::basemap_colors(dark_mode).land);
                painter.circle_filled(c, r, fill);
                painter.circle_stroke(c, r, Stroke::new(if hovered { 2.5 } else { 1.5 }, color));
                painter.text(
                    c,
                    Align2::CENTER_CENTER,
                    compact_count(marker.count),
                    FontId::proportional(11.0),
                    if dark_mode || !all_uncertain { Color32::WHITE } else { Color32::BLACK },
                );
            } else {
                let stroke = Stroke::new(if hovered { 2.5 } else { 1.5 }, if all_uncertain { color } else { outline });
                match event.claim_status {
                    ClaimStatus::Claim => {
                        painter.add(Shape::convex_polygon(diamond(c, r + 1.5), fill, stroke));
                    }
                    ClaimStatus::Denial => {
                        let square = Rect::from_center_size(c, Vec2::splat(2.0 * r - 1.0));
                        painter.rect(square, 1.0, fill, stroke, egui::StrokeKind::Middle);
                        painter.line_segment([square.left_bottom(), square.right_top()], Stroke::new(1.5, outline));
                    }
                    ClaimStatus::Reported | ClaimStatus::Disputed => {
                        painter.circle(c, r, fill, stroke);
                    }
                }
            }
        }
    }
    let mut commands = Vec::new();
    let hovered_event = hovered_marker.and_then(|m| m.events.first().copied());
    let hovered_event = if hovered_marker.is_some() { hovered_event } else { shape_hovered };
    if hovered_event != view.hovered {
        commands.push(Command::Hover(hovered_event));
    }
    if let (None, Some(idx)) = (hovered_marker, shape_hovered) {
        ui.ctx().set_cursor_icon(egui::CursorIcon::PointingHand);
        let tooltip_id = ui.scope_id().with("shape_tooltip");
        egui::Tooltip::always_open(ui.ctx().clone(), ui.layer_id(), tooltip_id, egui::PopupAnchor::Pointer)
            .show(|ui| marker_tooltip_ui(ui, view.dataset, &[idx], 1));
        if response.clicked() {
            commands.push(Command::Select(Some(idx)));
        }
    }
    if let Some(marker) = hovered_marker {
        ui.ctx().set_cursor_icon(egui::CursorIcon::PointingHand);
        let tooltip_id = ui.scope_id().with("marker_tooltip");
        egui::Tooltip::always_open(ui.ctx().clone(), ui.layer_id(), tooltip_id, egui::PopupAnchor::Pointer).show(
            |ui| {
                marker_tooltip_ui(ui, view.dataset, &marker.events, marker.count);
                if marker.merged_accounts > 0 {
                    ui.weak(format!(
                        "Includes {} further account(s) of an incident already counted here",
                        marker.merged_accounts
                    ));
                }
            },
        );
        if response.clicked() && marker.count == 1 && marker.incident.is_some() {
            // One incident: its first account, and its accounts side by side.
            commands.extend(marker.events.first().map(|&first| Command::Select(Some(first))));
            commands.push(Command::ShowIncident(marker.incident));
        } else if response.clicked() {
            commands.push(match marker.events.as_slice() {
                [single] if marker.count == 1 => Command::Select(Some(*single)),
                listed if marker.count == listed.len() => Command::ShowGroup(listed.to_vec()),
                _ => Command::ShowGroup(events_in_cells(view, marker.cells_per_step, &marker.cells)),
            });
        }
    }
    commands
}

/// The density layer: each group as a soft disc of heat, pale for few events and dark red for the
/// most in view (on a logarithmic scale), the densest drawn last; the selected event's cell ringed.
/// Returns the cell under the pointer.
fn draw_density<'a>(
    painter: &egui::Painter,
    markers: &'a [DrawnMarker],
    pointer_pos: Option<Pos2>,
    view: &MapView<'_>,
    dark_mode: bool,
) -> Option<&'a DrawnMarker> {
    let radius = super::grouping::GROUP_CELL_PX * 0.62;
    #[expect(clippy::cast_precision_loss, reason = "counts on a colour scale")]
    let most = (markers.iter().map(|m| m.count).max().unwrap_or(1).max(2) as f32).ln();
    let mut order: Vec<&DrawnMarker> = markers.iter().collect();
    order.sort_by_key(|m| m.count);
    let mut hovered = None;
    for marker in order {
        #[expect(clippy::cast_precision_loss, reason = "counts on a colour scale")]
        let heat = heat_color(((marker.count as f32).ln() / most).clamp(0.0, 1.0), dark_mode);
        painter.circle_filled(marker.center, radius, heat);
        if view.selected.is_some_and(|s| marker.events.contains(&s)) {
            painter.circle_stroke(marker.center, radius + 2.0, Stroke::new(2.5, style::selection_color(dark_mode)));
        }
        if pointer_pos.is_some_and(|p| p.distance(marker.center) <= radius) {
            hovered = Some(marker);
        }
    }
    hovered
}

/// The colour of heat `share` (0 few, 1 the most): pale yellow, orange, red, dark red.
pub(super) fn heat_color(share: f32, dark_mode: bool) -> Color32 {
    const RAMP: [[f32; 3]; 4] = [[255.0, 237.0, 160.0], [254.0, 178.0, 76.0], [240.0, 59.0, 32.0], [128.0, 0.0, 38.0]];
    let position = share.clamp(0.0, 1.0) * 3.0;
    #[expect(clippy::cast_possible_truncation, clippy::cast_sign_loss, reason = "0 to 3")]
    let lower = (position.floor() as usize).min(2);
    let (Some(from), Some(to)) = (RAMP.get(lower), RAMP.get(lower + 1)) else { return Color32::RED };
    let along = position - position.floor().min(2.0);
    #[expect(clippy::cast_possible_truncation, clippy::cast_sign_loss, reason = "a colour channel")]
    let channel = |k: usize| {
        (from.get(k).copied().unwrap_or(0.0) * (1.0 - along) + to.get(k).copied().unwrap_or(0.0) * along) as u8
    };
    Color32::from_rgba_unmultiplied(channel(0), channel(1), channel(2), if dark_mode { 200 } else { 185 })
}

fn marker_tooltip_ui(ui: &mut egui::Ui, dataset: &Dataset, events: &[EventIdx], count: usize) {
    const SHOWN: usize = 8;
    for &idx in events.iter().take(SHOWN) {
        if let Some(event) = dataset.event(idx) {
            ui.label(egui::RichText::new(clip(&event.title, MAX_TITLE_CHARS)).strong());
            ui.label(event.date_in_words());
        }
    }
    if count > SHOWN {
        ui.label(format!("… and {} more; click to list them", count - SHOWN));
    } else if count > 1 {
        ui.weak("Click to list these events");
    }
}

/// The four corners of a claim's diamond marker.
pub fn diamond(center: Pos2, radius: f32) -> Vec<Pos2> {
    vec![
        center + vec2(0.0, -radius),
        center + vec2(radius, 0.0),
        center + vec2(0.0, radius),
        center + vec2(-radius, 0.0),
    ]
}
