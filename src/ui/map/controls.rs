//! The controls over the map's top-left corner: zoom, the layer, fit, legend and place labels.

use crate::model::{Dataset, EventFilter};
use crate::tiles::MapLayer;
use crate::ui::command::Command;
use crate::ui::widgets::name_widget;

/// Narrower maps show the legend only while the pointer rests on its button.
const NARROW_MAP_WIDTH: f32 = 520.0;
/// Narrowest map on which the legend lists its colours in two columns.
const LEGEND_TWO_COLUMNS_WIDTH: f32 = 380.0;

/// What the controls show.
#[derive(Clone, Copy, Debug)]
pub struct MapControls<'a> {
    /// The dataset, for the legend.
    pub dataset: &'a Dataset,
    /// The filter, for the legend's hidden entries.
    pub filter: &'a EventFilter,
    /// The layer drawn under the markers.
    pub layer: MapLayer,
    /// Whether online layers may be chosen.
    pub allow_network: bool,
    /// Whether a local tile archive has been opened.
    pub has_archive: bool,
    /// The legend is shown.
    pub legend_open: bool,
    /// Places are labelled.
    pub place_labels: bool,
    /// The density layer is drawn now, and whether the user chose it (else it follows the count).
    pub density: (bool, Option<bool>),
    /// The count of the largest group on the map, against which the legend sizes its circles.
    pub largest_group: usize,
}

/// Shows the controls (and the legend under them) over the map's corner; returns what the user asked for.
pub fn controls_ui(ctx: &egui::Context, map_rect: egui::Rect, controls: MapControls<'_>) -> Vec<Command> {
    let mut commands = Vec::new();
    // Kept inside the map: in a narrow window the controls wrap and the legend takes one column.
    let max_width = (map_rect.width() - 32.0).max(120.0);
    let narrow = map_rect.width() < NARROW_MAP_WIDTH;
    egui::Area::new(egui::Id::unique("map_controls"))
        .fixed_pos(map_rect.left_top() + egui::vec2(8.0, 8.0))
        .constrain_to(map_rect)
        .show(ctx, |ui| {
            egui::Frame::popup(ui.style()).show(ui, |ui| {
                ui.set_max_width(max_width);
                let row = |ui: &mut egui::Ui, add: &mut dyn FnMut(&mut egui::Ui)| {
                    if narrow {
                        ui.horizontal_wrapped(|ui| add(ui))
                    } else {
                        ui.horizontal(|ui| add(ui))
                    };
                };
                row(ui, &mut |ui| {
                    if ui.small_button("+").on_hover_text("Zoom in").clicked() {
                        commands.push(Command::ZoomMap(1));
                    }
                    if ui.small_button("−").on_hover_text("Zoom out").clicked() {
                        commands.push(Command::ZoomMap(-1));
                    }
                    let mut layer = controls.layer;
                    let combo =
                        egui::ComboBox::from_id_salt("map_layer").selected_text(layer.label()).show_ui(ui, |ui| {
                            for option in MapLayer::ALL {
                                let enabled = match option {
                                    MapLayer::Basemap => true,
                                    MapLayer::LocalArchive => controls.has_archive,
                                    MapLayer::OpenStreetMap | MapLayer::OpenTopoMap => controls.allow_network,
                                };
                                ui.add_enabled_ui(enabled, |ui| {
                                    ui.selectable_value(&mut layer, option, option.label())
                                });
                            }
                        });
                    name_widget(&combo.response, egui::Role::ComboBox, "Map layer");
                    if layer != controls.layer {
                        commands.push(Command::SetMapLayer(layer));
                    }
                    if ui.small_button("Fit map").on_hover_text("Show every event that matches the filters").clicked() {
                        commands.push(Command::FitMap);
                    }
                    let mut legend_open = controls.legend_open;
                    let toggle = ui.toggle_value(&mut legend_open, "Legend");
                    if toggle.changed() {
                        commands.push(Command::SetLegendOpen(legend_open));
                    }
                    if narrow {
                        // On a narrow map the legend would hide it: it shows while the pointer rests here.
                        // (Its clicks cannot reach it there: the full legend is on a wider map.)
                        toggle.on_hover_ui(|ui| {
                            let _ = super::legend::legend_ui(
                                ui,
                                controls.dataset,
                                controls.filter,
                                false,
                                controls.density.0,
                                controls.largest_group,
                            );
                        });
                    }
                    let mut place_labels = controls.place_labels;
                    if ui.toggle_value(&mut place_labels, "Places").changed() {
                        commands.push(Command::SetPlaceLabels(place_labels));
                    }
                    let (mut density, chosen) = controls.density;
                    let how = if chosen.is_some() { "your choice" } else { "automatic: on past 5,000 events in view" };
                    let toggle = ui.toggle_value(&mut density, "Density").on_hover_text(format!(
                        "How many events each cell holds, as heat (pale: few, dark red: the most in view); {how}"
                    ));
                    if toggle.changed() {
                        commands.push(Command::SetDensityLayer(Some(density)));
                    }
                });
                if controls.legend_open && !narrow {
                    commands.extend(super::legend::legend_ui(
                        ui,
                        controls.dataset,
                        controls.filter,
                        max_width >= LEGEND_TWO_COLUMNS_WIDTH,
                        controls.density.0,
                        controls.largest_group,
                    ));
                }
            });
        });
    commands
}
