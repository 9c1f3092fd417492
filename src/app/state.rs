//! The state that survives a restart, and how the app is started.

use std::path::PathBuf;

use chrono::NaiveDate;

use crate::model::EventFilter;
use crate::model::geo::MAX_LATITUDE;
use crate::tiles::MapLayer;
use crate::ui::timeline::TimelineState;

/// Events in view past which the map shows density rather than markers, unless the user chose.
pub const DENSITY_AUTO_EVENTS: usize = 5_000;

/// The view state that survives a restart: one small struct, every field defaulted when missing.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(default)]
pub struct ViewState {
    /// Timeline zoom, cursor and window.
    pub timeline: TimelineState,
    /// Search and filters.
    pub filter: EventFilter,
    /// Dark or light theme.
    pub dark_mode: bool,
    /// The map layer.
    pub map_layer: MapLayer,
    /// Map centre (lon, lat).
    pub map_center: (f64, f64),
    /// Map zoom level.
    pub map_zoom: f64,
    /// The right panel is open.
    pub side_panel_open: bool,
    /// The legend is shown.
    pub legend_open: bool,
    /// Label gazetteer places.
    pub place_labels: bool,
    /// Draw the events as a density layer (heat of events per cell): on, off, or `None` for
    /// automatic (on past [`DENSITY_AUTO_EVENTS`] events in view).
    pub density_layer: Option<bool>,
    /// List the events "now" newest first (else oldest first).
    pub list_newest_first: bool,
    /// The dataset this view was last used with; another dataset starts at its own home.
    pub dataset_path: Option<PathBuf>,
    /// The local tile archive (`.pmtiles` or `.mbtiles`) for [`MapLayer::LocalArchive`].
    pub tile_archive: Option<PathBuf>,
    /// Datasets opened lately, newest first.
    pub recent_paths: Vec<PathBuf>,
}

impl Default for ViewState {
    fn default() -> Self {
        Self::at(NaiveDate::default())
    }
}

impl ViewState {
    /// The view of a first start on `today`: every event up to today, the whole world on the map
    /// until a dataset says where its home is.
    pub fn at(today: NaiveDate) -> Self {
        Self {
            timeline: TimelineState { cumulative: true, ..TimelineState::around(today) },
            filter: EventFilter::default(),
            dark_mode: false,
            map_layer: MapLayer::Basemap,
            map_center: (0.0, 20.0),
            map_zoom: 2.0,
            side_panel_open: true,
            legend_open: true,
            place_labels: true,
            density_layer: None,
            list_newest_first: true,
            dataset_path: None,
            tile_archive: None,
            recent_paths: Vec::new(),
        }
    }
}

/// Datasets remembered in the File menu.
pub const MAX_RECENT_PATHS: usize = 10;

impl ViewState {
    /// Puts `path` first among the recent datasets.
    pub fn remember_path(&mut self, path: &std::path::Path) {
        self.recent_paths.retain(|p| p != path);
        self.recent_paths.insert(0, path.to_path_buf());
        self.recent_paths.truncate(MAX_RECENT_PATHS);
    }

    /// The view with every value in a range the app can show (a settings file may say anything),
    /// and the names of the values that had to be corrected.
    pub fn sanitized(self) -> (Self, Vec<&'static str>) {
        let (timeline, mut corrected) = self.timeline.sanitized();
        let mut view = Self { timeline, ..self };
        let defaults = Self::default();
        let (lon, lat) = view.map_center;
        let center = if lon.is_finite() && lat.is_finite() {
            (lon.clamp(-180.0, 180.0), lat.clamp(-MAX_LATITUDE, MAX_LATITUDE))
        } else {
            defaults.map_center
        };
        if center != view.map_center {
            view.map_center = center;
            corrected.push("map centre");
        }
        let zoom = if view.map_zoom.is_finite() { view.map_zoom.clamp(0.0, 20.0) } else { defaults.map_zoom };
        if zoom.to_bits() != view.map_zoom.to_bits() {
            view.map_zoom = zoom;
            corrected.push("map zoom");
        }
        (view, corrected)
    }
}

/// How the app is started.
#[derive(Clone, Debug, Default)]
pub struct AppOptions {
    /// The files or dataset folder to open.
    pub open: Option<crate::ui::command::OpenRequest>,
    /// A view to show once they are open.
    pub view: Option<crate::model::view_link::ViewLink>,
    /// Whether online tile layers may be used (never in tests).
    pub allow_network: bool,
    /// A local `.pmtiles` or `.mbtiles` archive to show under the markers.
    pub tiles_path: Option<PathBuf>,
    /// Where to keep view settings between runs (none: not kept).
    pub settings_path: Option<PathBuf>,
    /// Where to keep unsaved edits against a crash (none: not kept).
    pub recovery_dir: Option<PathBuf>,
    /// Today's date, for a first start's timeline (tests fix it).
    pub today: NaiveDate,
}
