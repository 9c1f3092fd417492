//! The map: the embedded basemap, tiles, place labels and event markers, grouped when they crowd.
//!
//! - [`view`]: what a frame needs; [`projection`]: walkers' projector as a world → screen transform;
//! - [`grouping`]: markers grouped by screen cell, [`collisions`]: merged until none overlap,
//!   [`drawn`]: what was drawn; [`markers`]: drawing them, tooltips and clicks; [`sizes`]: how big;
//! - [`shapes`]: the lines and areas of events, under the markers;
//! - [`spread`]: events at one point, spread around it; [`labels`]: place names and the credit line; [`legend`] and [`controls`]: the corner overlay;
//! - [`basemap`]: Natural Earth countries, lakes and rivers, embedded, drawn under everything.

pub mod basemap;
pub mod collisions;
pub mod controls;
pub mod drawn;
pub mod grouping;
pub mod labels;
pub mod legend;
pub mod markers;
pub mod projection;
pub mod shapes;
pub mod sizes;
pub mod spread;
pub mod view;

use egui::Shape;
use walkers::{Map, MapMemory, Tiles, lon_lat};

pub use self::drawn::DrawnMarker;
pub use self::grouping::{GROUP_CELL_PX, MarkerGrouping};
pub use self::view::MapView;
use crate::model::LonLat;
use crate::ui::command::Command;
use crate::ui::style;

/// What the map drew and what the user asked for.
pub struct MapOutput {
    /// The markers drawn, for clicks and tests.
    pub markers: Vec<DrawnMarker>,
    /// What the user asked for; the last is always the map memory as the gestures left it.
    pub commands: Vec<Command>,
}

/// Shows the map around `memory`'s centre (or `center` before the map has one of its own).
/// walkers drives a copy of the memory through this frame's pan and zoom gestures; the copy comes
/// back as [`Command::UpdateMapMemory`].
pub fn map_ui(
    ui: &mut egui::Ui,
    tiles: Option<&mut dyn Tiles>,
    memory: &MapMemory,
    center: LonLat,
    view: &MapView<'_>,
    grouping: &mut MarkerGrouping,
) -> MapOutput {
    let dark_mode = ui.visuals().dark_mode;
    let rect = ui.available_rect_before_wrap();
    ui.painter().rect_filled(rect, 0.0, style::basemap_colors(dark_mode).water);
    // Reserve a slot under the tiles for the basemap, filled once the frame's projection is known.
    let basemap_slot = ui.painter().add(Shape::Noop);
    let mut memory = memory.clone();
    let map =
        Map::new(tiles, &mut memory, lon_lat(center.lon, center.lat)).zoom_with_ctrl(false).double_click_to_zoom(true);
    let inner = map.show(ui, |ui, response, projector, _memory| {
        if let Some(basemap) = view.basemap {
            let named: Vec<LonLat> = view.dataset.places.iter().map(|place| place.lon_lat).collect();
            let shapes = basemap.shapes(projector, dark_mode, view.focus_region, &named, ui.ctx());
            ui.painter().set(basemap_slot, Shape::Vec(shapes));
        }
        if view.show_place_labels {
            labels::draw_place_labels(ui, projector, view, dark_mode);
        }
        let transform = projection::screen_from_world(projector);
        let clip = projector.clip_rect().expand(GROUP_CELL_PX);
        let markers = grouping::group_markers(transform, clip, view, grouping);
        let shape_hovered = shapes::draw_shapes(ui.painter(), transform, view, response.hover_pos(), dark_mode);
        let mut commands = if view.picking_place {
            pick_place(ui, response, projector)
        } else {
            markers::draw_markers(ui, response, &markers, view, shape_hovered)
        };
        if let Some(spread) = view.spread {
            commands.extend(spread::draw_spread(ui, response, transform, spread, view));
        }
        labels::draw_attribution(ui, response.rect, view.attribution);
        (markers, commands)
    });
    let (markers, mut commands) = inner.inner;
    if grouping.is_regrouping() {
        // The groups shown are of an earlier view until the regroup lands: look again soon.
        ui.ctx().request_repaint_after(std::time::Duration::from_millis(8));
    }
    if view.picking_place {
        ui.ctx().set_cursor_icon(egui::CursorIcon::Crosshair);
    }
    commands.push(Command::UpdateMapMemory(Box::new(memory)));
    MapOutput { markers, commands }
}

/// While a place is being picked, a click on the map says where.
fn pick_place(ui: &egui::Ui, response: &egui::Response, projector: &walkers::Projector) -> Vec<Command> {
    let clicked = response.clicked().then(|| response.interact_pointer_pos()).flatten();
    let Some(position) = clicked.filter(|p| ui.clip_rect().contains(*p)) else { return Vec::new() };
    let at = projector.unproject(position.to_vec2());
    vec![Command::Edit(crate::ui::editor::EditCommand::PlacePicked { lon: at.x(), lat: at.y() })]
}
