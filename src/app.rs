//! The eframe app: owns the dataset, the view state, the selection, the map and its tiles.
//! Panels draw and return [`Command`]s; [`KronikaApp::apply`] is the one place that changes
//! shared state, so map, timeline and list always agree.

use std::path::{Path, PathBuf};
use std::sync::mpsc;

use walkers::{MapMemory, Tiles, lon_lat};

use crate::io::{LoadReport, load};
use crate::model::{EventFilter, EventIdx, TimeIndex};
use crate::tiles::{FetchPolicy, RobustTiles, TileServer};
use crate::ui::basemap::Basemap;
use crate::ui::map::{DrawnMarker, MapView};
use crate::ui::reader::ReaderState;
use crate::ui::timeline::{TimelineState, TimelineView};
use crate::ui::top_bar::TopBarState;
use crate::ui::{self, Command};

/// Which map is drawn under the markers.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum MapLayer {
    /// The embedded offline basemap (always available).
    #[default]
    Basemap,
    /// OpenStreetMap raster tiles over the basemap.
    OpenStreetMap,
    /// OpenTopoMap raster tiles over the basemap.
    OpenTopoMap,
    /// A local `.pmtiles` or `.mbtiles` archive (fieldwork, no network), over the basemap.
    LocalArchive,
}

impl MapLayer {
    fn label(self) -> &'static str {
        match self {
            Self::Basemap => "Offline basemap",
            Self::OpenStreetMap => "OpenStreetMap",
            Self::OpenTopoMap => "OpenTopoMap",
            Self::LocalArchive => "Local tile archive",
        }
    }

    fn attribution(self) -> &'static str {
        match self {
            Self::Basemap => "Borders, lakes, rivers: Natural Earth (public domain)",
            Self::OpenStreetMap => "© OpenStreetMap contributors · Natural Earth",
            Self::OpenTopoMap => "© OpenStreetMap contributors, SRTM · style © OpenTopoMap (CC-BY-SA)",
            Self::LocalArchive => "Tiles: local archive (see its licence) · Natural Earth",
        }
    }
}

/// The view state that survives a restart.
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
    /// Map centre (lon, lat) and zoom.
    pub map_center: (f64, f64),
    /// Map zoom level.
    pub map_zoom: f64,
    /// The right panel is open.
    pub side_panel_open: bool,
    /// The legend is shown.
    pub legend_open: bool,
    /// Label gazetteer places.
    pub place_labels: bool,
    /// The dataset this view was last used with; another dataset starts fitted to its data.
    pub dataset_path: Option<PathBuf>,
    /// The local tile archive (`.pmtiles` or `.mbtiles`) for [`MapLayer::LocalArchive`].
    pub tile_archive: Option<PathBuf>,
}

impl Default for ViewState {
    fn default() -> Self {
        Self {
            timeline: TimelineState { cumulative: true, ..TimelineState::default() },
            filter: EventFilter::default(),
            dark_mode: false,
            map_layer: MapLayer::Basemap,
            map_center: (20.95, 42.85),
            map_zoom: 9.0,
            side_panel_open: true,
            legend_open: true,
            place_labels: true,
            dataset_path: None,
            tile_archive: None,
        }
    }
}

/// How the app is started.
#[derive(Clone, Debug, Default)]
pub struct AppOptions {
    /// The dataset to open.
    pub data_path: Option<PathBuf>,
    /// Whether online tile layers may be used (never in tests).
    pub allow_network: bool,
    /// A local `.pmtiles` or `.mbtiles` archive to show under the markers.
    pub tiles_path: Option<PathBuf>,
    /// Where to keep view settings between runs (none: not kept).
    pub settings_path: Option<PathBuf>,
}

/// A smooth pan of the map to a selected event.
#[derive(Clone, Copy, Debug)]
struct PanAnimation {
    from: (f64, f64),
    to: (f64, f64),
    start_time: f64,
}

const PAN_DURATION_SECS: f64 = 0.45;
/// How often changed view settings are written.
const SETTINGS_SAVE_INTERVAL_SECS: f64 = 5.0;

/// The Kronika explorer.
pub struct KronikaApp {
    /// Persisted view state.
    pub view: ViewState,
    /// The loaded dataset and its problems.
    pub report: LoadReport,
    /// Index of the events that match the filters.
    /// The dataset's own index (shared) when nothing is filtered out.
    filtered_index: std::sync::Arc<TimeIndex>,
    /// The filter `filtered_index` was built for.
    indexed_filter: Option<EventFilter>,
    /// Events that are "now" and match the filters, in date order.
    now_listed: Vec<EventIdx>,
    /// In a cumulative view, the events "now" are the first this many in date order (no list kept).
    now_prefix: Option<usize>,
    /// Events without a place among the first N in date order, for every N (prefix sums).
    unplaced_before: Vec<u32>,
    /// The selected event.
    pub selected: Option<EventIdx>,
    /// The hovered event.
    pub hovered: Option<EventIdx>,
    /// The open source, if any.
    pub reader: Option<ReaderState>,
    /// Events of a clicked map group.
    pub group_popup: Option<Vec<EventIdx>>,
    /// The problems window is open.
    pub problems_open: bool,
    shortcuts_open: bool,
    /// Markers drawn in the last frame.
    pub drawn_markers: Vec<DrawnMarker>,
    map_memory: MapMemory,
    tiles: Option<(MapLayer, ActiveTiles)>,
    /// Why the chosen tile layer cannot be shown (the basemap shows instead).
    tiles_error: Option<String>,
    basemap: Option<Basemap>,
    basemap_error: Option<String>,
    top_bar: TopBarState,
    pending_load: Option<(PathBuf, mpsc::Receiver<LoadReport>)>,
    /// Load datasets on the UI thread (tests), instead of in the background.
    pub load_synchronously: bool,
    pan: Option<PanAnimation>,
    scroll_list_to_selected: bool,
    allow_network: bool,
    last_time: Option<f64>,
    /// Size of the map in the last frame, for fitting it to the events.
    last_map_size: egui::Vec2,
    /// Every event's Web Mercator position (NaN when it has no place), by event index.
    world_points: Vec<[f64; 2]>,
    /// The same, in the filtered index's date order, so the map reads them sequentially.
    order_points: Vec<[f64; 2]>,
    /// Colour and uncertainty of every event, in the filtered index's date order.
    order_traits: Vec<ui::map::MarkerTraits>,
    /// Map markers being grouped, kept between frames.
    marker_grouping: ui::map::MarkerGrouping,
    /// Bumped whenever the dataset or the filtered index changes.
    data_generation: u64,
    /// Positions (in date order) of the events that are "now".
    now_positions: Vec<u32>,
    /// Eras of the filtered events, for the timeline's jump buttons.
    clusters: Vec<(crate::model::DayNumber, crate::model::DayNumber, usize)>,
    /// How many of `now_events` have no place (not on the map).
    now_unplaced: usize,
    /// Saved settings that could not be read (or written): what was wrong.
    settings_problem: Option<SettingsProblem>,
    /// Where view settings are saved (none in tests).
    settings_path: Option<PathBuf>,
    /// The view as last saved.
    last_saved_view: Option<ViewState>,
    last_save_time: f64,
}

/// Saved settings that could not be read: reported, set aside, never silently overwritten.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SettingsProblem {
    /// What was wrong with them.
    pub error: String,
    /// Where the unreadable file was moved, if it was.
    pub set_aside: Option<PathBuf>,
    /// Whether new settings may be written (not when the old file could neither be read nor moved).
    pub may_save: bool,
}

/// Reads saved view settings (JSON).
///
/// # Errors
/// What is wrong with the text, when it is not a valid view state.
pub fn restore_view(text: &str) -> Result<ViewState, String> {
    serde_json::from_str(text).map_err(|error| error.to_string())
}

/// Where Kronika keeps its view settings: `$XDG_CONFIG_HOME/kronika/view.json`, else
/// `~/.config/kronika/view.json`.
pub fn default_settings_path() -> Option<PathBuf> {
    Some(crate::io::user_dir("XDG_CONFIG_HOME", ".config")?.join("kronika").join("view.json"))
}

/// Loads the view settings at `path`. A missing file gives the defaults; an unreadable one is
/// moved aside (`view.json.unreadable-<seconds>`) and reported, and the defaults are used.
pub fn load_view_settings(path: &Path) -> (ViewState, Option<SettingsProblem>) {
    let text = match std::fs::read_to_string(path) {
        Ok(text) => text,
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => return (ViewState::default(), None),
        Err(error) => {
            let error = format!("cannot read {}: {error}", path.display());
            return (ViewState::default(), Some(SettingsProblem { error, set_aside: None, may_save: false }));
        }
    };
    match restore_view(&text) {
        Ok(view) => (view, None),
        Err(error) => {
            let seconds = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_secs());
            let aside = path.with_extension(format!("json.unreadable-{seconds}"));
            let set_aside = std::fs::rename(path, &aside).ok().map(|()| aside);
            let may_save = set_aside.is_some();
            (ViewState::default(), Some(SettingsProblem { error, set_aside, may_save }))
        }
    }
}

impl KronikaApp {
    /// Creates the app for eframe: restores the view and starts loading the dataset in the background.
    pub fn new(_cc: &eframe::CreationContext<'_>, options: AppOptions) -> Self {
        let (view, settings_problem) =
            options.settings_path.as_deref().map_or_else(|| (ViewState::default(), None), load_view_settings);
        let mut app = Self::with_view(view, options.allow_network);
        app.last_saved_view = Some(app.view.clone());
        app.settings_problem = settings_problem;
        app.settings_path = options.settings_path;
        if let Some(path) = options.tiles_path {
            app.open_tile_archive(path);
        }
        if let Some(path) = options.data_path {
            app.open(path);
        }
        app
    }

    /// Creates the app around an already loaded dataset (tests, benchmarks).
    pub fn from_report(report: LoadReport, view: ViewState) -> Self {
        let mut app = Self::with_view(view, false);
        app.load_synchronously = true;
        app.set_report(report, true);
        app
    }

    fn with_view(view: ViewState, allow_network: bool) -> Self {
        let mut map_memory = MapMemory::default();
        map_memory.center_at(lon_lat(view.map_center.0, view.map_center.1));
        map_memory.set_zoom(view.map_zoom).ok();
        let (basemap, basemap_error) = match Basemap::embedded() {
            Ok(basemap) => (Some(basemap), None),
            Err(error) => (None, Some(error.to_string())),
        };
        Self {
            view,
            report: LoadReport::default(),
            filtered_index: std::sync::Arc::default(),
            indexed_filter: None,
            now_listed: Vec::new(),
            now_prefix: None,
            unplaced_before: Vec::new(),
            selected: None,
            hovered: None,
            reader: None,
            group_popup: None,
            problems_open: false,
            shortcuts_open: false,
            drawn_markers: Vec::new(),
            map_memory,
            tiles: None,
            tiles_error: None,
            basemap,
            basemap_error,
            top_bar: TopBarState::default(),
            pending_load: None,
            load_synchronously: false,
            pan: None,
            scroll_list_to_selected: false,
            allow_network,
            last_time: None,
            last_map_size: egui::vec2(1000.0, 650.0),
            world_points: Vec::new(),
            order_points: Vec::new(),
            order_traits: Vec::new(),
            marker_grouping: ui::map::MarkerGrouping::default(),
            data_generation: 0,
            now_positions: Vec::new(),
            clusters: Vec::new(),
            now_unplaced: 0,
            settings_problem: None,
            settings_path: None,
            last_saved_view: None,
            last_save_time: 0.0,
        }
    }

    /// Opens a dataset directory or GeoJSON file, in the background unless loading synchronously.
    pub fn open(&mut self, path: PathBuf) {
        if self.load_synchronously {
            let report = load(&path);
            self.set_report(report, false);
            return;
        }
        let (sender, receiver) = mpsc::channel();
        let thread_path = path.clone();
        let spawned = std::thread::Builder::new().name("dataset-loader".into()).spawn(move || {
            // The receiver may be gone if another dataset was opened meanwhile; nothing to do then.
            sender.send(load(&thread_path)).ok();
        });
        match spawned {
            Ok(_) => self.pending_load = Some((path, receiver)),
            Err(_) => self.set_report(load(&path), false),
        }
    }

    /// Replaces the dataset. A report whose events all failed is still shown, with its problems.
    fn set_report(&mut self, report: LoadReport, keep_view: bool) {
        let has_problems = report.error_count() > 0;
        self.world_points = crate::parallel::map(&report.dataset.events, |e| {
            e.lon_lat.map_or([f64::NAN, f64::NAN], |p| mercator_unit(p.lon, p.lat).into())
        });
        self.report = report;
        self.selected = None;
        self.hovered = None;
        self.reader = None;
        self.group_popup = None;
        self.indexed_filter = None;
        self.problems_open = has_problems;
        self.refresh_filter();
        // A view from another dataset may point at nothing: fit it to this one.
        let extent = self.filtered_index.start_extent();
        let view_overlaps = extent.is_some_and(|(first, last)| {
            let t = &self.view.timeline;
            t.view_start_day < f64::from(last) && t.view_start_day + t.view_length_days > f64::from(first)
        });
        let same_dataset = self.view.dataset_path.as_deref() == Some(self.report.path.as_path());
        self.view.dataset_path = Some(self.report.path.clone());
        if !keep_view || !view_overlaps || !same_dataset {
            self.apply(Command::FitAll);
            if let Some((_, last)) = extent {
                self.view.timeline.cursor_day = f64::from(last);
            }
        }
    }

    /// The index of events matching the filters.
    pub fn filtered_index(&self) -> &TimeIndex {
        &self.filtered_index
    }

    fn refresh_filter(&mut self) {
        if self.indexed_filter.as_ref() == Some(&self.view.filter) {
            return;
        }
        let filter = &self.view.filter;
        self.indexed_filter = Some(filter.clone());
        if filter.is_empty() {
            self.filtered_index = self.report.dataset.shared_time_index();
            self.after_filter_change();
            return;
        }
        let needle = filter.text.trim().to_lowercase();
        let events = &self.report.dataset.events;
        self.filtered_index = std::sync::Arc::new(TimeIndex::new(
            events
                .iter()
                .enumerate()
                .filter(|(_, e)| filter.matches_lowercase(e, &needle))
                .filter_map(|(i, e)| Some((EventIdx::try_from(i).ok()?, e.span))),
        ));
        self.after_filter_change();
    }

    /// Per-filter data kept in date order: map positions and eras.
    fn after_filter_change(&mut self) {
        self.data_generation += 1;
        let points = &self.world_points;
        let in_date_order = self.filtered_index.in_date_order();
        self.order_points =
            crate::parallel::map(in_date_order, |&i| points.get(i as usize).copied().unwrap_or([f64::NAN, f64::NAN]));
        let events = &self.report.dataset.events;
        self.order_traits = crate::parallel::map(in_date_order, |&i| {
            events.get(i as usize).map(ui::map::MarkerTraits::of).unwrap_or_default()
        });
        self.clusters = self.filtered_index.clusters(365);
        let mut unplaced = 0u32;
        self.unplaced_before = std::iter::once(0)
            .chain(self.order_points.iter().map(|p| {
                unplaced += u32::from(p[0].is_nan());
                unplaced
            }))
            .collect();
    }

    /// Events that are "now" and match the filters, in date order.
    pub fn now_events(&self) -> &[EventIdx] {
        match self.now_prefix {
            Some(end) => self.filtered_index.in_date_order().get(..end).unwrap_or_default(),
            None => &self.now_listed,
        }
    }

    fn refresh_now(&mut self) {
        self.refresh_filter();
        let (from, to) = self.view.timeline.now_range();
        self.now_listed.clear();
        self.now_positions.clear();
        if self.view.timeline.cumulative {
            // Everything up to the cursor: a prefix of the date order, nothing to collect.
            let end = self.filtered_index.count_starting_by(to);
            self.now_prefix = Some(end);
            self.now_unplaced = self.unplaced_before.get(end).map_or(0, |&n| n as usize);
            return;
        }
        self.now_prefix = None;
        let mut unplaced = 0;
        let (events, positions, points) = (&mut self.now_listed, &mut self.now_positions, &self.order_points);
        self.filtered_index.for_each_position_in_window(from, to, |position, idx| {
            events.push(idx);
            positions.push(u32::try_from(position).unwrap_or(u32::MAX));
            if points.get(position).is_none_or(|p| p[0].is_nan()) {
                unplaced += 1;
            }
        });
        self.now_unplaced = unplaced;
    }

    /// Applies one command. The only place shared state changes.
    pub fn apply(&mut self, command: Command) {
        match command {
            Command::Select(idx) => {
                self.selected = idx;
                self.group_popup = None;
                self.scroll_list_to_selected = true;
                if let Some(point) = idx.and_then(|i| self.report.dataset.event(i)).and_then(|e| e.lon_lat) {
                    let from = self.map_memory.detached().map_or(self.view.map_center, |p| (p.x(), p.y()));
                    self.pan = Some(PanAnimation { from, to: (point.lon, point.lat), start_time: f64::NAN });
                }
            }
            Command::SelectAndReveal(idx) => {
                self.reveal(idx);
                self.apply(Command::Select(Some(idx)));
            }
            Command::Hover(idx) => self.hovered = idx,
            Command::OpenSource { source_id, focus } => {
                self.reader = Some(ReaderState { source_id, focus, scroll_pending: true });
            }
            Command::CloseReader => self.reader = None,
            Command::SetCursor(day) => {
                self.view.timeline.cursor_day = day;
            }
            Command::Step(direction) => self.step(direction),
            Command::TogglePlay => {
                let timeline = &mut self.view.timeline;
                timeline.playing = !timeline.playing;
                // Playing from the end starts over.
                if timeline.playing
                    && let Some((first, last)) = self.filtered_index.start_extent()
                    && timeline.cursor_day >= f64::from(last)
                {
                    timeline.cursor_day = f64::from(first);
                }
                self.last_time = None;
            }
            Command::FitAll => {
                if let Some((first, last)) = self.filtered_index.start_extent() {
                    self.view.timeline.show_range(first, last);
                }
            }
            Command::ShowRange(first, last) => {
                self.view.timeline.show_range(first, last);
                self.view.timeline.cursor_day = f64::from(last);
            }
            // A tile archive opened the same way (menu, drop) becomes the map layer.
            Command::OpenDataset(path) if has_extension(&path, "pmtiles") || has_extension(&path, "mbtiles") => {
                self.open_tile_archive(path);
            }
            Command::OpenDataset(path) => self.open(path),
            Command::ToggleProblems => self.problems_open = !self.problems_open,
            Command::ShowGroup(events) => self.group_popup = Some(events),
            Command::FitMap => self.fit_map(),
        }
    }

    /// Zooms and centres the map on every event matching the filters.
    fn fit_map(&mut self) {
        let mut bounds: Option<[f64; 4]> = None;
        for &[x, y] in self.order_points.iter().filter(|p| !p[0].is_nan()) {
            let b = bounds.get_or_insert([x, y, x, y]);
            *b = [b[0].min(x), b[1].min(y), b[2].max(x), b[3].max(y)];
        }
        let Some([x0, y0, x1, y1]) = bounds else { return };
        let size = self.last_map_size;
        let fit = |extent: f64, pixels: f32| (f64::from(pixels) * 0.85 / (256.0 * extent.max(1e-9))).log2();
        let zoom = fit(x1 - x0, size.x).min(fit(y1 - y0, size.y)).clamp(2.0, 16.0);
        let (lon, lat) = lon_lat_from_mercator_unit(f64::midpoint(x0, x1), f64::midpoint(y0, y1));
        self.pan = None;
        self.map_memory.center_at(lon_lat(lon, lat));
        self.map_memory.set_zoom(zoom).ok();
    }

    /// Moves the cursor so `idx` is "now", and the timeline view so it is visible.
    fn reveal(&mut self, idx: EventIdx) {
        let Some(event) = self.report.dataset.event(idx) else { return };
        let (first, last) = (f64::from(event.span.first_day()), f64::from(event.span.last_day()));
        let timeline = &mut self.view.timeline;
        timeline.cursor_day = last;
        if !timeline.cumulative && timeline.window_days < last - first + 1.0 {
            timeline.window_days = (last - first + 1.0).min(36_525.0);
        }
        let visible = timeline.view_start_day <= first && last <= timeline.view_start_day + timeline.view_length_days;
        if !visible {
            let length = timeline.view_length_days.max(last - first + 14.0);
            timeline.view_start_day = f64::midpoint(first, last) - length / 2.0;
            timeline.view_length_days = length;
        }
    }

    /// Selects the next or previous event in date order (among those matching the filters).
    fn step(&mut self, direction: i32) {
        let order = self.filtered_index.in_date_order();
        let position = self.selected.and_then(|s| self.filtered_index.position_of(s));
        let target = match (position, direction.signum()) {
            (Some(p), 1) => order.get(p + 1).copied(),
            (Some(p), -1) => p.checked_sub(1).and_then(|p| order.get(p).copied()),
            (None, 1) => {
                #[expect(clippy::cast_possible_truncation, reason = "days fit an i32")]
                let day = self.view.timeline.cursor_day.floor() as i32;
                self.filtered_index.next_after(day).or_else(|| order.first().copied())
            }
            (None, _) => {
                #[expect(clippy::cast_possible_truncation, reason = "days fit an i32")]
                let day = self.view.timeline.cursor_day.floor() as i32;
                self.filtered_index.previous_before(day + 1).or_else(|| order.last().copied())
            }
            _ => None,
        };
        if let Some(idx) = target {
            self.apply(Command::SelectAndReveal(idx));
        }
    }

    fn keyboard_commands(&mut self, ctx: &egui::Context) -> Vec<Command> {
        let typing = ctx.egui_wants_keyboard_input();
        let mut commands = Vec::new();
        ctx.input_mut(|input| {
            if input.consume_key(egui::Modifiers::COMMAND, egui::Key::F) {
                self.top_bar.focus_search = true;
            }
            if input.consume_key(egui::Modifiers::NONE, egui::Key::F1) {
                self.shortcuts_open = !self.shortcuts_open;
            }
            if input.key_pressed(egui::Key::Escape) {
                if self.reader.is_some() {
                    commands.push(Command::CloseReader);
                } else if self.group_popup.is_some() {
                    self.group_popup = None;
                } else if typing {
                    // Let the text field lose focus first.
                } else if self.selected.is_some() {
                    commands.push(Command::Select(None));
                } else {
                    self.view.filter.text.clear();
                }
            }
            if typing {
                return;
            }
            if input.consume_key(egui::Modifiers::NONE, egui::Key::ArrowRight) {
                commands.push(Command::Step(1));
            }
            if input.consume_key(egui::Modifiers::NONE, egui::Key::ArrowLeft) {
                commands.push(Command::Step(-1));
            }
            if input.consume_key(egui::Modifiers::NONE, egui::Key::Space) {
                commands.push(Command::TogglePlay);
            }
            if let Some((first, last)) = self.filtered_index.start_extent() {
                if input.consume_key(egui::Modifiers::NONE, egui::Key::Home) {
                    commands.push(Command::SetCursor(f64::from(first)));
                }
                if input.consume_key(egui::Modifiers::NONE, egui::Key::End) {
                    commands.push(Command::SetCursor(f64::from(last)));
                }
            }
            let cursor = self.view.timeline.cursor_day;
            if input.consume_key(egui::Modifiers::NONE, egui::Key::Plus)
                || input.consume_key(egui::Modifiers::NONE, egui::Key::Equals)
            {
                self.view.timeline.zoom_around(cursor, 1.6);
            }
            if input.consume_key(egui::Modifiers::NONE, egui::Key::Minus) {
                self.view.timeline.zoom_around(cursor, 1.0 / 1.6);
            }
        });
        commands
    }

    /// Advances playback; jumps over long silences so eras decades apart follow each other.
    fn advance_playback(&mut self, ctx: &egui::Context) {
        let now = ctx.input(|i| i.time);
        let timeline = &mut self.view.timeline;
        if !timeline.playing {
            self.last_time = None;
            return;
        }
        let dt = self.last_time.map_or(0.0, |t| (now - t).clamp(0.0, 0.25));
        self.last_time = Some(now);
        let Some((_, last)) = self.filtered_index.start_extent() else {
            timeline.playing = false;
            return;
        };
        let next_cursor = timeline.cursor_day + dt * timeline.speed_days_per_sec;
        #[expect(clippy::cast_possible_truncation, reason = "days fit an i32")]
        let day = next_cursor.floor() as i32;
        let upcoming = self.filtered_index.next_after(day).and_then(|i| self.report.dataset.event(i));
        timeline.cursor_day = match upcoming {
            // Nothing for over a year: skip to a month before the next event.
            Some(event) if f64::from(event.span.first_day()) - next_cursor > 365.0 => {
                f64::from(event.span.first_day()) - 30.0
            }
            _ => next_cursor,
        };
        if timeline.cursor_day >= f64::from(last) {
            timeline.cursor_day = f64::from(last);
            timeline.playing = false;
        }
        // Keep the cursor in view.
        let end = timeline.view_start_day + timeline.view_length_days;
        if timeline.cursor_day > end || timeline.cursor_day < timeline.view_start_day {
            timeline.view_start_day = timeline.cursor_day - timeline.view_length_days * 0.8;
        }
        ctx.request_repaint();
    }

    fn animate_pan(&mut self, ctx: &egui::Context) {
        let Some(pan) = &mut self.pan else { return };
        let now = ctx.input(|i| i.time);
        if pan.start_time.is_nan() {
            pan.start_time = now;
        }
        let t = ((now - pan.start_time) / PAN_DURATION_SECS).clamp(0.0, 1.0);
        let eased = 1.0 - (1.0 - t).powi(3);
        let lon = pan.from.0 + (pan.to.0 - pan.from.0) * eased;
        let lat = pan.from.1 + (pan.to.1 - pan.from.1) * eased;
        self.map_memory.center_at(lon_lat(lon, lat));
        if t >= 1.0 {
            self.pan = None;
        } else {
            ctx.request_repaint();
        }
    }

    fn sync_tiles(&mut self, ctx: &egui::Context) {
        let wanted = self.view.map_layer;
        if self.tiles.as_ref().is_some_and(|(layer, _)| *layer == wanted) {
            return;
        }
        self.tiles = None;
        self.tiles_error = None;
        let server = match wanted {
            MapLayer::Basemap => return,
            MapLayer::LocalArchive => {
                match self.view.tile_archive.as_deref().map(|p| (p, p.is_file())) {
                    Some((path, true)) if has_extension(path, "mbtiles") => {
                        match crate::archive::MbTiles::open(path, ctx.clone()) {
                            Ok(tiles) => self.tiles = Some((wanted, ActiveTiles::MbTiles(Box::new(tiles)))),
                            Err(error) => self.tiles_error = Some(error.to_string()),
                        }
                    }
                    Some((path, true)) => {
                        self.tiles =
                            Some((wanted, ActiveTiles::Archive(Box::new(walkers::PmTiles::new(path, ctx.clone())))));
                    }
                    Some((path, false)) => {
                        self.tiles_error = Some(format!("tile archive {} not found", path.display()));
                    }
                    None => {
                        self.tiles_error =
                            Some("no tile archive chosen (File > Open a .pmtiles or .mbtiles file, or --tiles)".into());
                    }
                }
                return;
            }
            MapLayer::OpenStreetMap => TileServer::openstreetmap(),
            MapLayer::OpenTopoMap => TileServer::opentopomap(),
        };
        if !self.allow_network {
            self.tiles_error = Some("online tiles are off in this session".into());
            return;
        }
        let cache = crate::tiles::default_cache_dir(&server);
        let tiles = RobustTiles::new(server, cache.as_deref(), FetchPolicy::default(), ctx.clone());
        self.tiles = Some((wanted, ActiveTiles::Online(Box::new(tiles))));
    }

    /// Writes the view settings (atomically) if they changed since the last save.
    pub fn save_settings(&mut self) {
        let Some(path) = &self.settings_path else { return };
        let blocked = self.settings_problem.as_ref().is_some_and(|p| !p.may_save);
        if blocked || self.last_saved_view.as_ref() == Some(&self.view) {
            return;
        }
        let written = serde_json::to_string_pretty(&self.view)
            .map_err(|e| e.to_string())
            .and_then(|text| crate::io::write_atomically(path, text.as_bytes()).map_err(|e| e.to_string()));
        if let Err(error) = written {
            let error = format!("cannot save settings to {}: {error}", path.display());
            self.settings_problem = Some(SettingsProblem { error, set_aside: None, may_save: true });
        }
        // Saved, or reported: either way not retried every frame.
        self.last_saved_view = Some(self.view.clone());
    }

    /// Opens a local `.pmtiles` or `.mbtiles` archive as the map layer.
    pub fn open_tile_archive(&mut self, path: PathBuf) {
        self.view.tile_archive = Some(path);
        self.view.map_layer = MapLayer::LocalArchive;
        self.tiles = None;
    }

    fn dropped_file_command(ctx: &egui::Context) -> Option<Command> {
        let dropped = ctx.input(|i| i.raw.dropped_files.first().map(|f| f.path().to_path_buf()));
        dropped.map(Command::OpenDataset)
    }

    /// Draws one frame. Public so headless drivers (tests, benchmarks) can run it without eframe.
    pub fn frame_ui(&mut self, ui: &mut egui::Ui) {
        let ctx = ui.ctx().clone();
        ctx.set_theme(if self.view.dark_mode { egui::Theme::Dark } else { egui::Theme::Light });
        self.poll_loading(&ctx);
        let mut commands = self.keyboard_commands(&ctx);
        commands.extend(Self::dropped_file_command(&ctx));
        for command in commands.drain(..) {
            self.apply(command);
        }
        self.advance_playback(&ctx);
        self.animate_pan(&ctx);
        self.sync_tiles(&ctx);
        self.refresh_now();

        commands.extend(self.top_bar_ui(ui));
        self.status_bar_ui(ui, &mut commands);
        egui::Panel::bottom("timeline").resizable(false).show(ui, |ui| {
            ui.add_space(4.0);
            let view = TimelineView {
                dataset: &self.report.dataset,
                filtered: &self.filtered_index,
                clusters: &self.clusters,
                selected: self.selected,
                hovered: self.hovered,
            };
            commands.extend(ui::timeline::timeline_ui(ui, &mut self.view.timeline, &view));
            ui.add_space(2.0);
        });
        let mut side_open = self.view.side_panel_open;
        egui::Panel::right("side").resizable(true).default_size(380.0).min_size(260.0).show_collapsible(
            ui,
            &mut side_open,
            |ui| {
                commands.extend(self.side_panel_ui(ui));
            },
        );
        self.view.side_panel_open = side_open;
        egui::CentralPanel::no_frame().show(ui, |ui| {
            commands.extend(self.map_ui(ui));
        });
        commands.extend(self.windows_ui(&ctx));

        for command in commands {
            self.apply(command);
        }
        // Keep what the map shows persisted.
        if let Some(center) = self.map_memory.detached() {
            self.view.map_center = (center.x(), center.y());
        }
        self.view.map_zoom = self.map_memory.zoom();
        self.scroll_list_to_selected = false;
        let now = ctx.input(|i| i.time);
        if now - self.last_save_time > SETTINGS_SAVE_INTERVAL_SECS {
            self.last_save_time = now;
            self.save_settings();
        }
    }

    fn poll_loading(&mut self, ctx: &egui::Context) {
        let Some((path, receiver)) = &self.pending_load else { return };
        match receiver.try_recv() {
            Ok(report) => {
                self.pending_load = None;
                self.set_report(report, true);
            }
            Err(mpsc::TryRecvError::Empty) => ctx.request_repaint_after(std::time::Duration::from_millis(50)),
            Err(mpsc::TryRecvError::Disconnected) => {
                let path = path.clone();
                self.pending_load = None;
                let mut report = LoadReport { path: path.clone(), ..LoadReport::default() };
                report.problems.push(crate::io::Problem::error(
                    crate::io::Location { file: path, ..Default::default() },
                    crate::io::ProblemKind::Unreadable("the loader stopped unexpectedly".into()),
                ));
                self.set_report(report, true);
            }
        }
    }

    fn top_bar_ui(&mut self, ui: &mut egui::Ui) -> Vec<Command> {
        egui::Panel::top("top_bar")
            .show(ui, |ui| {
                ui.add_space(2.0);
                let commands = ui::top_bar::top_bar_ui(
                    ui,
                    &self.report.dataset,
                    &mut self.view.filter,
                    &mut self.top_bar,
                    &mut self.view.dark_mode,
                );
                ui.add_space(2.0);
                commands
            })
            .inner
    }

    fn status_bar_ui(&mut self, ui: &mut egui::Ui, commands: &mut Vec<Command>) {
        egui::Panel::bottom("status").show(ui, |ui| {
            ui.horizontal(|ui| {
                if let Some((path, _)) = &self.pending_load {
                    ui.spinner();
                    ui.label(format!("Loading {} …", path.display()));
                    ui.separator();
                }
                let total = self.report.dataset.events.len();
                ui.label(format!(
                    "{} in window · {} match filters · {total} total",
                    self.now_events().len(),
                    self.filtered_index.len()
                ));
                let unplaced = self.now_unplaced;
                if unplaced > 0 {
                    ui.weak(format!("({unplaced} without a place, not on the map)"));
                }
                ui.separator();
                let (errors, warnings) = (self.report.error_count(), self.report.warning_count());
                if errors + warnings > 0 {
                    let text = format!("⚠ {errors} error(s), {warnings} warning(s) while loading");
                    let color = if errors > 0 { ui.visuals().error_fg_color } else { ui.visuals().warn_fg_color };
                    if ui
                        .add(egui::Button::new(egui::RichText::new(text).color(color)))
                        .on_hover_text("Show the load problems")
                        .clicked()
                    {
                        commands.push(Command::ToggleProblems);
                    }
                } else if !self.report.path.as_os_str().is_empty() {
                    ui.weak(format!("Loaded {} with no problems", self.report.path.display()));
                }
                if let Some(problem) = &self.settings_problem {
                    let aside = problem
                        .set_aside
                        .as_ref()
                        .map(|p| format!("\nThe unreadable file was kept as {}.", p.display()))
                        .unwrap_or_default();
                    ui.colored_label(ui.visuals().warn_fg_color, "⚠ settings problem")
                        .on_hover_text(format!("{}{aside}", problem.error));
                }
                if let Some(error) = &self.basemap_error {
                    ui.colored_label(ui.visuals().error_fg_color, error);
                }
                if let Some(error) = &self.tiles_error {
                    ui.colored_label(
                        ui.visuals().warn_fg_color,
                        format!("{}: {error}; showing the basemap", self.view.map_layer.label()),
                    );
                }
                if let Some((_, ActiveTiles::MbTiles(tiles))) = &self.tiles
                    && let (unreadable @ 1.., Some(error)) = tiles.unreadable()
                {
                    ui.colored_label(ui.visuals().warn_fg_color, format!("{unreadable} archive tile(s) unreadable"))
                        .on_hover_text(format!("Last: {error}. The basemap shows where they are missing."));
                }
                if let Some((layer, ActiveTiles::Online(tiles))) = &self.tiles {
                    let stats = tiles.stats();
                    if stats.offline() {
                        let error = stats.last_error.unwrap_or_default();
                        ui.colored_label(
                            ui.visuals().warn_fg_color,
                            format!("{}: tiles offline ({error}); showing the basemap", layer.label()),
                        )
                        .on_hover_text("Failed tiles are retried with backoff; cached tiles still show.");
                    } else if stats.in_flight > 0 {
                        ui.weak(format!("{}: loading {} tile(s)…", layer.label(), stats.in_flight));
                    }
                }
                ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
                    if ui.small_button("F1 Shortcuts").clicked() {
                        self.shortcuts_open = !self.shortcuts_open;
                    }
                });
            });
        });
    }

    fn side_panel_ui(&mut self, ui: &mut egui::Ui) -> Vec<Command> {
        let mut commands = Vec::new();
        let dataset = &self.report.dataset;
        ui.add_space(4.0);
        if let Some(idx) = self.selected {
            egui::Panel::bottom("details")
                .resizable(true)
                .default_size(ui.available_height() * 0.6)
                .min_size(120.0)
                .show(ui, |ui| {
                    ui.horizontal(|ui| {
                        ui.strong("Event details");
                        if ui.small_button("✖").on_hover_text("Clear the selection (Esc)").clicked() {
                            commands.push(Command::Select(None));
                        }
                    });
                    egui::ScrollArea::vertical().id_salt("details").auto_shrink([false, false]).show(ui, |ui| {
                        commands.extend(ui::details::details_ui(ui, dataset, idx));
                    });
                });
        }
        ui.strong(format!("Events now ({})", self.now_events().len()));
        commands.extend(ui::event_list::event_list_ui(
            ui,
            dataset,
            self.now_events(),
            self.selected,
            self.hovered,
            self.scroll_list_to_selected,
        ));
        commands
    }

    fn map_ui(&mut self, ui: &mut egui::Ui) -> Vec<Command> {
        if let Some((_, ActiveTiles::Online(tiles))) = &mut self.tiles {
            tiles.receive();
        }
        // Built each frame: borrowed unless an archive names its own credit.
        let attribution: std::borrow::Cow<'_, str> = match &self.tiles {
            Some((_, ActiveTiles::MbTiles(tiles))) if let Some(credit) = tiles.attribution_text() => {
                format!("Tiles: {credit} · Natural Earth").into()
            }
            _ => self.view.map_layer.attribution().into(),
        };
        let tiles = self.tiles.as_mut().map(|(_, t)| t.as_tiles());
        let view = MapView {
            dataset: &self.report.dataset,
            selected: self.selected,
            hovered: self.hovered,
            basemap: self.basemap.as_ref(),
            attribution: &attribution,
            show_place_labels: self.view.place_labels,
            visible_positions: &self.now_positions,
            order_points: &self.order_points,
            order_events: self.filtered_index.in_date_order(),
            order_traits: &self.order_traits,
            visible_prefix: self.now_prefix,
            data_generation: self.data_generation,
        };
        let map_rect = ui.available_rect_before_wrap();
        self.last_map_size = map_rect.size();
        let (markers, commands) = ui::map::map_ui(ui, tiles, &mut self.map_memory, &view, &mut self.marker_grouping);
        self.drawn_markers = markers;
        // Map controls over the top-left corner.
        let mut fit_map = false;
        egui::Area::new(egui::Id::unique("map_controls")).fixed_pos(map_rect.left_top() + egui::vec2(8.0, 8.0)).show(
            ui.ctx(),
            |ui| {
                egui::Frame::popup(ui.style()).show(ui, |ui| {
                    ui.horizontal(|ui| {
                        if ui.small_button("+").on_hover_text("Zoom in").clicked() {
                            self.map_memory.zoom_in().ok();
                        }
                        if ui.small_button("−").on_hover_text("Zoom out").clicked() {
                            self.map_memory.zoom_out().ok();
                        }
                        let mut layer = self.view.map_layer;
                        let combo =
                            egui::ComboBox::from_id_salt("map_layer").selected_text(layer.label()).show_ui(ui, |ui| {
                                for option in [
                                    MapLayer::Basemap,
                                    MapLayer::OpenStreetMap,
                                    MapLayer::OpenTopoMap,
                                    MapLayer::LocalArchive,
                                ] {
                                    let enabled = match option {
                                        MapLayer::Basemap => true,
                                        MapLayer::LocalArchive => self.view.tile_archive.is_some(),
                                        MapLayer::OpenStreetMap | MapLayer::OpenTopoMap => self.allow_network,
                                    };
                                    ui.add_enabled_ui(enabled, |ui| {
                                        ui.selectable_value(&mut layer, option, option.label())
                                    });
                                }
                            });
                        ui::name_widget(&combo.response, egui::Role::ComboBox, "Map layer");
                        self.view.map_layer = layer;
                        if ui
                            .small_button("Fit map")
                            .on_hover_text("Show every event that matches the filters")
                            .clicked()
                        {
                            fit_map = true;
                        }
                        ui.toggle_value(&mut self.view.legend_open, "Legend");
                        ui.toggle_value(&mut self.view.place_labels, "Places");
                    });
                    if self.view.legend_open {
                        ui::map::legend_ui(ui);
                    }
                });
            },
        );
        let mut commands = commands;
        if fit_map {
            commands.push(Command::FitMap);
        }
        commands
    }

    fn windows_ui(&mut self, ctx: &egui::Context) -> Vec<Command> {
        let mut commands = Vec::new();
        let dataset = &self.report.dataset;
        if let Some(reader) = &mut self.reader {
            let mut open = true;
            egui::Window::new("Source reader")
                .id(egui::Id::unique("source_reader"))
                .open(&mut open)
                .default_size([560.0, 600.0])
                .default_pos(ctx.content_rect().center() - egui::vec2(420.0, 320.0))
                .vscroll(false)
                .show(ctx, |ui| {
                    commands.extend(ui::reader::reader_ui(ui, dataset, reader));
                });
            if !open {
                commands.push(Command::CloseReader);
            }
        }
        if let Some(group) = &self.group_popup {
            let mut open = true;
            egui::Window::new(format!("{} events here", group.len()))
                .id(egui::Id::unique("group_popup"))
                .open(&mut open)
                .default_width(360.0)
                .max_height(360.0)
                .show(ctx, |ui| {
                    ui.weak("Zoom in to separate them, or pick one:");
                    commands.extend(ui::event_list::event_list_ui(
                        ui,
                        dataset,
                        group,
                        self.selected,
                        self.hovered,
                        false,
                    ));
                });
            if !open {
                self.group_popup = None;
            }
        }
        if self.problems_open {
            let mut open = true;
            egui::Window::new("Load problems").open(&mut open).default_width(640.0).show(ctx, |ui| {
                ui.label(format!("Loaded from {}", self.report.path.display()));
                ui::problems::problems_ui(ui, &self.report.problems);
            });
            self.problems_open = open;
        }
        if self.shortcuts_open {
            egui::Window::new("Keyboard shortcuts").open(&mut self.shortcuts_open).show(ctx, |ui| {
                egui::Grid::new("shortcuts").num_columns(2).show(ui, |ui| {
                    for (key, what) in [
                        ("Left / Right arrow", "previous / next event"),
                        ("Space", "play / pause"),
                        ("Home / End", "cursor to the first / last event"),
                        ("+ / -", "zoom the timeline"),
                        ("Ctrl+F", "search"),
                        ("Esc", "close the reader, clear the selection, clear the search"),
                        ("F1", "this list"),
                        (
                            "Timeline",
                            "click or drag to scrub; drag the date axis (or Shift-drag) to pan; wheel to zoom",
                        ),
                        ("Map", "drag to pan; wheel or double-click to zoom; click a marker to select"),
                    ] {
                        ui.strong(key);
                        ui.label(what);
                        ui.end_row();
                    }
                });
            });
        }
        commands
    }

    /// The dataset directory shipped with Kronika.
    pub fn shipped_data_dir() -> PathBuf {
        let local = Path::new("data");
        if local.join(crate::io::EVENTS_FILE).exists() {
            return local.to_path_buf();
        }
        Path::new(env!("CARGO_MANIFEST_DIR")).join("data")
    }
}

/// Web Mercator position in [0, 1]² (x east, y south) of a longitude and latitude.
pub fn mercator_unit(lon: f64, lat: f64) -> (f64, f64) {
    let lat = lat.clamp(-85.051_128, 85.051_128).to_radians();
    let x = (lon + 180.0) / 360.0;
    let y = (1.0 - (lat.tan() + 1.0 / lat.cos()).ln() / std::f64::consts::PI) / 2.0;
    (x, y)
}

/// Inverse of [`mercator_unit`].
pub fn lon_lat_from_mercator_unit(x: f64, y: f64) -> (f64, f64) {
    let lon = x * 360.0 - 180.0;
    let lat = (std::f64::consts::PI * (1.0 - 2.0 * y)).sinh().atan().to_degrees();
    (lon, lat)
}

/// True when `path` ends in `.extension`, in any case.
fn has_extension(path: &Path, extension: &str) -> bool {
    path.extension().is_some_and(|e| e.eq_ignore_ascii_case(extension))
}

/// The tile layer being drawn.
enum ActiveTiles {
    /// Online tiles with timeouts, retries and a disk cache.
    Online(Box<RobustTiles>),
    /// A local `.pmtiles` archive.
    Archive(Box<walkers::PmTiles>),
    /// A local `.mbtiles` archive.
    MbTiles(Box<crate::archive::MbTiles>),
}

impl ActiveTiles {
    fn as_tiles(&mut self) -> &mut dyn Tiles {
        match self {
            Self::Online(tiles) => tiles.as_mut(),
            Self::Archive(tiles) => tiles.as_mut(),
            Self::MbTiles(tiles) => tiles.as_mut(),
        }
    }
}

impl eframe::App for KronikaApp {
    fn ui(&mut self, ui: &mut egui::Ui, _frame: &mut eframe::Frame) {
        self.frame_ui(ui);
    }

    fn on_exit(&mut self, _gl: Option<&eframe::glow::Context>) {
        self.save_settings();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn settings_round_trip_and_corrupt_ones_are_set_aside() {
        let dir = std::env::temp_dir().join(format!("kronika-settings-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("view.json");
        assert_eq!(load_view_settings(&path), (ViewState::default(), None), "missing file: defaults");
        let view = ViewState { dark_mode: true, ..ViewState::default() };
        crate::io::write_atomically(&path, serde_json::to_string(&view).unwrap().as_bytes()).unwrap();
        assert_eq!(load_view_settings(&path).0, view);
        // Older settings missing new fields still load, with defaults for the rest.
        assert!(restore_view(r#"{"dark_mode": true}"#).unwrap().dark_mode);
        std::fs::write(&path, "{ not json").unwrap();
        let (loaded, problem) = load_view_settings(&path);
        assert_eq!(loaded, ViewState::default());
        let problem = problem.unwrap();
        let aside = problem.set_aside.unwrap();
        assert_eq!(std::fs::read_to_string(aside).unwrap(), "{ not json", "the user's file is kept");
        assert!(problem.may_save);
        assert!(!path.exists());
    }

    #[test]
    fn mercator_round_trips() {
        for (lon, lat) in [(20.87, 42.89), (-120.0, -33.5), (0.0, 0.0), (179.0, 80.0)] {
            let (x, y) = mercator_unit(lon, lat);
            let (lon2, lat2) = lon_lat_from_mercator_unit(x, y);
            assert!((lon - lon2).abs() < 1e-9 && (lat - lat2).abs() < 1e-9, "{lon},{lat} -> {lon2},{lat2}");
        }
        assert_eq!(mercator_unit(0.0, 0.0), (0.5, 0.5));
    }
}
