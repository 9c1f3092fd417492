//! The map of a store's events: the offline basemap, and a circle per cell sized by its count
//! (area proportional to the count, against the largest in view), coloured by its most frequent
//! category; a click zooms in on the cell.

use egui::{Color32, Stroke};
use walkers::{Map, MapMemory, lon_lat};

use super::StoreCommand;
use crate::model::geo::{WorldBounds, WorldPoint, lon_lat_from_world};
use crate::model::store::Cell;
use crate::ui::map::basemap::Basemap;
use crate::ui::map::projection::{screen_from_world, screen_pos};
use crate::ui::style;

/// Radius of the smallest and the largest circle, in points.
const RADIUS: (f32, f32) = (5.0, 24.0);

/// What the map shows.
pub struct StoreMapView<'a> {
    /// The cells to draw (the last answer; `stale` while a newer one is awaited).
    pub cells: &'a [Cell],
    /// The cells are of a view the map has moved on from.
    pub stale: bool,
    /// The offline basemap.
    pub basemap: Option<&'a Basemap>,
    /// Categories in the order they took the palette's colours (the rest are grey).
    pub palette: &'a [String],
}

/// A category's colour: its place in `palette`, or the grey of "other".
pub fn category_color(palette: &[String], key: &str) -> Color32 {
    let slot = palette.iter().position(|k| k == key).and_then(|i| u8::try_from(i).ok()).unwrap_or(u8::MAX);
    style::slot_color(crate::model::category::Scheme::Ranked, slot)
}

/// Draws the map; returns what the user did and what it showed.
pub fn store_map_ui(
    ui: &mut egui::Ui,
    memory: &MapMemory,
    home: (f64, f64),
    view: &StoreMapView<'_>,
) -> Vec<StoreCommand> {
    let dark_mode = ui.visuals().dark_mode;
    let rect = ui.available_rect_before_wrap();
    ui.painter().rect_filled(rect, 0.0, style::basemap_colors(dark_mode).water);
    let basemap_slot = ui.painter().add(egui::Shape::Noop);
    let mut memory = memory.clone();
    let map = Map::new(None, &mut memory, lon_lat(home.0, home.1)).zoom_with_ctrl(false).double_click_to_zoom(true);
    let inner = map.show(ui, |ui, response, projector, _memory| {
        if let Some(basemap) = view.basemap {
            ui.painter().set(basemap_slot, egui::Shape::Vec(basemap.shapes(projector, dark_mode, None, &[], ui.ctx())));
        }
        let transform = screen_from_world(projector);
        let clip = projector.clip_rect();
        let corner = |p: egui::Pos2| transform.world_from_screen([p.x, p.y]);
        let (nw, se) = (corner(clip.left_top()), corner(clip.right_bottom()));
        let bounds = WorldBounds {
            min: WorldPoint { x: nw.x.max(0.0), y: nw.y.max(0.0) },
            max: WorldPoint { x: se.x.min(1.0), y: se.y.min(1.0) },
        };
        let mut commands = vec![StoreCommand::Viewport { bounds, zoom: projector.zoom() }];
        let largest = view.cells.iter().map(|c| c.count).max().unwrap_or(1).max(1);
        let painter = ui.painter();
        let alpha = if view.stale { 110 } else { 230 };
        let hover = response.hover_pos();
        let mut hovered: Option<&Cell> = None;
        for cell in view.cells {
            let center = screen_pos(transform, cell.center);
            if !clip.expand(RADIUS.1).contains(center) {
                continue;
            }
            #[expect(
                clippy::cast_precision_loss,
                clippy::cast_possible_truncation,
                reason = "a share of the largest count"
            )]
            let share = ((cell.count as f64) / (largest as f64)).sqrt() as f32;
            let radius = RADIUS.0 + (RADIUS.1 - RADIUS.0) * share;
            let colour = cell.categories.first().map_or(Color32::GRAY, |(key, _)| category_color(view.palette, key));
            let [r, g, b, _] = colour.to_array();
            painter.circle_filled(center, radius, Color32::from_rgba_unmultiplied(r, g, b, alpha));
            painter.circle_stroke(center, radius, Stroke::new(1.0, Color32::from_black_alpha(120)));
            if radius >= 11.0 {
                painter.text(
                    center,
                    egui::Align2::CENTER_CENTER,
                    compact_count(cell.count),
                    egui::FontId::proportional(11.0),
                    Color32::WHITE,
                );
            }
            if hover.is_some_and(|h| h.distance(center) <= radius) {
                hovered = Some(cell);
            }
        }
        if let Some(cell) = hovered {
            let lines: Vec<String> =
                cell.categories.iter().take(6).map(|(key, n)| format!("{key}: {}", compact_count(*n))).collect();
            response.clone().on_hover_text(format!("{} events\n{}", cell.count, lines.join("\n")));
            if response.clicked() {
                let at = lon_lat_from_world(cell.center);
                commands.push(StoreCommand::ZoomIn { lon: at.lon, lat: at.lat });
            }
        }
        if !view.cells.is_empty() {
            legend_ui(ui, response.rect, view, largest);
        }
        let attribution = "Borders, lakes, rivers: Natural Earth (public domain)";
        crate::ui::map::labels::draw_attribution(ui, response.rect, attribution);
        commands
    });
    let mut commands = inner.inner;
    commands.push(StoreCommand::MapMoved(Box::new(memory)));
    commands
}

/// What a colour and a size mean: the categories most frequent in view, and the largest count.
fn legend_ui(ui: &egui::Ui, map_rect: egui::Rect, view: &StoreMapView<'_>, largest: u64) {
    let mut totals: std::collections::BTreeMap<&str, u64> = std::collections::BTreeMap::new();
    for cell in view.cells {
        for (key, n) in &cell.categories {
            *totals.entry(key.as_str()).or_default() += n;
        }
    }
    let mut totals: Vec<(&str, u64)> = totals.into_iter().collect();
    totals.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(b.0)));
    egui::Area::new(egui::Id::unique("store_legend")).fixed_pos(map_rect.left_top() + egui::vec2(8.0, 8.0)).show(
        ui.ctx(),
        |ui| {
            egui::Frame::popup(ui.style()).show(ui, |ui| {
                ui.weak("Colour: a cell's most frequent category");
                for (key, n) in totals.iter().take(8) {
                    ui.horizontal(|ui| {
                        let (dot, _) = ui.allocate_exact_size(egui::vec2(10.0, 10.0), egui::Sense::hover());
                        ui.painter().circle_filled(dot.center(), 5.0, category_color(view.palette, key));
                        ui.label(egui::RichText::new(format!("{key} ({})", compact_count(*n))).small());
                    });
                }
                ui.weak(format!("Area: events in the cell (largest {})", compact_count(largest)));
            });
        },
    );
}

/// A count in a few characters: 950, 12k, 3.4M.
pub fn compact_count(count: u64) -> String {
    #[expect(clippy::cast_precision_loss, reason = "shown rounded")]
    let n = count as f64;
    match count {
        0..1_000 => count.to_string(),
        1_000..10_000 => format!("{:.1}k", n / 1e3),
        10_000..1_000_000 => format!("{:.0}k", n / 1e3),
        1_000_000..10_000_000 => format!("{:.1}M", n / 1e6),
        10_000_000..1_000_000_000 => format!("{:.0}M", n / 1e6),
        _ => format!("{:.1}G", n / 1e9),
    }
}
