//! Names on the map: the gazetteer's places (most relevant first, never overlapping) and the
//! credit line of what is drawn.

use egui::{Color32, FontId, Rect, pos2, vec2};
use walkers::{Projector, lon_lat};

use super::sizes::MARKER_RADIUS_PX;
use super::view::MapView;
use crate::model::PlaceKind;
use crate::model::text::clip as clip_text;

/// Longest place name drawn on the map; the details panel shows it whole.
const MAX_LABEL_CHARS: usize = 60;

/// Labels gazetteer places, most relevant first, skipping labels that would overlap.
pub fn draw_place_labels(ui: &egui::Ui, projector: &Projector, view: &MapView<'_>, dark_mode: bool) {
    let painter = ui.painter();
    let clip = projector.clip_rect();
    let zoom = projector.zoom();
    let text_color = if dark_mode { Color32::from_gray(210) } else { Color32::from_gray(40) };
    let halo = if dark_mode { Color32::from_black_alpha(160) } else { Color32::from_white_alpha(190) };
    let mut places: Vec<&crate::model::Place> = view
        .dataset
        .places
        .iter()
        .filter(|p| !matches!(p.kind, PlaceKind::Country))
        // Regions and zones only when zoomed out enough to make sense of them.
        .filter(|p| zoom < 11.0 || !matches!(p.kind, PlaceKind::Region | PlaceKind::Zone | PlaceKind::Line))
        .collect();
    places.sort_by_key(|p| (p.kind != PlaceKind::Settlement, p.name.len()));
    let mut taken: Vec<Rect> = Vec::new();
    let font = FontId::proportional(12.0);
    for place in places {
        let pos = projector.project(lon_lat(place.lon_lat.lon, place.lon_lat.lat)).to_pos2();
        if !clip.contains(pos) {
            continue;
        }
        let italic = !matches!(place.kind, PlaceKind::Settlement | PlaceKind::Building);
        let name = clip_text(&place.name, MAX_LABEL_CHARS).into_owned();
        let galley = ui.ctx().fonts_mut(|f| f.layout_no_wrap(name, font.clone(), text_color));
        // Right of where a marker would sit, so markers do not hide their place's name.
        let label_rect = Rect::from_min_size(pos + vec2(MARKER_RADIUS_PX + 8.0, -galley.size().y / 2.0), galley.size());
        if taken.iter().any(|r| r.intersects(label_rect.expand(2.0))) {
            continue;
        }
        taken.push(label_rect);
        if !italic {
            painter.circle_filled(pos, 2.5, text_color);
        }
        painter.rect_filled(label_rect.expand(1.0), 3.0, halo);
        let color = if italic { text_color.gamma_multiply(0.7) } else { text_color };
        painter.galley(label_rect.min, galley, color);
    }
}

/// The credit line in the map's corner: a label, so screen readers (and tests) read it too.
pub fn draw_attribution(ui: &mut egui::Ui, rect: Rect, attribution: &str) {
    if attribution.is_empty() {
        return;
    }
    let text = egui::RichText::new(attribution).size(11.0).color(Color32::from_gray(30));
    let galley = ui
        .ctx()
        .fonts_mut(|f| f.layout_no_wrap(attribution.to_owned(), FontId::proportional(11.0), Color32::from_gray(30)));
    let pos = pos2(rect.right() - galley.size().x - 6.0, rect.bottom() - galley.size().y - 4.0);
    let label_rect = Rect::from_min_size(pos, galley.size());
    ui.painter().rect_filled(label_rect.expand(3.0), 3.0, Color32::from_white_alpha(200));
    ui.put(label_rect, egui::Label::new(text).selectable(false).extend());
}
