//! The eframe app: a small struct and the command loop.
//!
//! Every change of app state goes through one [`Command`] type, applied in one place,
//! [`KronikaApp::apply`] (`app/command.rs`). Each frame:
//!
//! 1. the clock, the keys, dropped files and a finished background load become commands, and are applied;
//! 2. the panels draw from read-only state and return commands; these are applied after drawing.
//!
//! Tests and `kronika bench` drive the app through the same commands and read it through getters.
//! Not app state, and so not changed by commands: widget memory (egui's scroll offsets and text
//! cursors), caches rebuilt from the state (the visible events' indexes, the map's marker grouping,
//! the tile source that follows the chosen layer), and what the last frame drew (its markers and the
//! map's size), kept for clicks, fitting and tests.

mod access;
mod command;
mod dialogs;
mod edit_forms;
mod edit_state;
mod editing;
mod input;
mod loading;
mod picture;
mod settings;
mod state;
pub mod store_app;
mod stories;
mod views;

use std::path::PathBuf;

use walkers::MapMemory;

pub use self::settings::{SettingsProblem, default_settings_path, load_view_settings, restore_view};
pub use self::state::{AppOptions, ViewState};
use crate::io::LoadReport;
use crate::model::{EventIdx, VisibleEvents};
use crate::tiles::TileLayers;
use crate::ui::map::basemap::Basemap;
use crate::ui::map::view::Spread;
use crate::ui::map::{DrawnMarker, MapView, MarkerGrouping};
use crate::ui::reader::{ReaderLayout, ReaderState};
use crate::ui::status_bar::StatusView;
use crate::ui::timeline::TimelineView;
use crate::ui::{self, Command};

/// What is selected, hovered and open around the events.
#[derive(Debug, Default)]
struct Selection {
    /// The selected event.
    selected: Option<EventIdx>,
    /// The hovered event.
    hovered: Option<EventIdx>,
    /// Events of a clicked map group, listed in a window.
    group: Option<Vec<EventIdx>>,
    /// The group's events spread around their point, when they all share one.
    spread: Option<Spread>,
    /// The list should scroll to the selected event.
    scroll_list: bool,
    /// The source open in the reader.
    reader: Option<ReaderState>,
    /// The incident whose accounts are compared (its index).
    incident: Option<usize>,
}

/// Which windows are open.
#[derive(Debug, Default)]
struct Windows {
    problems: bool,
    shortcuts: bool,
    /// The window where a path can be typed.
    path: bool,
    /// The window where a view's text can be pasted.
    view: bool,
    /// The export window.
    export: bool,
    /// The story window.
    story: bool,
    /// The column-mapping dialog of a spreadsheet waiting to load.
    columns: Option<ui::columns::ColumnDialog>,
    /// The window that creates a new dataset.
    new_dataset: bool,
    /// A folder chosen for the new dataset, not yet in its window.
    new_dataset_folder: Option<PathBuf>,
    /// Edits of the loaded dataset kept by a session that ended without saving them.
    recovery: Option<crate::io::workspace::Recovery>,
}

/// A smooth pan of the map to a selected event.
#[derive(Clone, Copy, Debug)]
struct PanAnimation {
    from: (f64, f64),
    to: (f64, f64),
    /// When it started; set by the first tick after it was asked for.
    started_secs: Option<f64>,
}

/// The map widget's memory, its animation, and what it drew last.
struct MapState {
    memory: MapMemory,
    pan: Option<PanAnimation>,
    /// Marker groups kept between frames (a cache).
    grouping: MarkerGrouping,
    /// Markers drawn in the last frame (frame output).
    drawn: Vec<DrawnMarker>,
    /// Size of the map in the last frame, for fitting it to the events (frame output).
    last_size: egui::Vec2,
    /// Fit the map to the events once its size is known (a dataset loaded before the first frame).
    fit_when_drawn: bool,
    /// The embedded basemap, or why it could not be read.
    basemap: Result<Basemap, String>,
}

/// The Kronika explorer.
pub struct KronikaApp {
    /// Persisted view state.
    view: ViewState,
    /// The loaded dataset and its problems.
    report: LoadReport,
    /// The events matching the filters, and which are "now" (rebuilt from the view).
    visible: VisibleEvents,
    selection: Selection,
    windows: Windows,
    map: MapState,
    /// The tile source of the chosen layer.
    tiles: TileLayers,
    /// A dataset loading in the background.
    loading: Option<loading::PendingLoad>,
    /// The platform's open dialog, while it is open.
    dialog: Option<dialogs::PendingDialog>,
    /// Load datasets on the UI thread (tests, benchmarks) instead of in the background.
    load_synchronously: bool,
    settings: settings::Settings,
    /// The open source's text as laid out (a cache).
    reader_layout: ReaderLayout,
    /// The time of the last playback tick.
    last_tick_secs: Option<f64>,
    /// A message for the status line (a view that could not be applied fully, an export done).
    notice: Option<String>,
    /// A view to apply once the dataset loading now has loaded.
    pending_view: Option<crate::model::view_link::ViewLink>,
    /// Where the reader is in the stories.
    story: ui::story::StoryState,
    /// A picture of the window asked for, or being saved.
    picture: picture::PictureExport,
    /// The stories were changed since they were loaded or saved.
    unsaved_stories: bool,
    /// The dataset being edited, when it is.
    editing: Option<edit_state::Editing>,
    /// Where unsaved edits are kept against a crash (none: not kept).
    recovery_dir: Option<PathBuf>,
}

impl KronikaApp {
    /// Creates the app for eframe: restores the view and starts loading the dataset in the background.
    pub fn new(cc: &eframe::CreationContext<'_>, options: AppOptions) -> Self {
        cc.egui_ctx.set_fonts(ui::style::fonts());
        let first_start = ViewState::at(options.today);
        let (view, settings_problem) = match options.settings_path.as_deref() {
            Some(path) => load_view_settings(path, first_start),
            None => (first_start, None),
        };
        let mut app = Self::with_view(view, options.allow_network, false);
        app.recovery_dir = options.recovery_dir;
        app.settings = settings::Settings {
            path: options.settings_path,
            problem: settings_problem,
            last_saved: Some(app.view.clone()),
            last_save_secs: 0.0,
        };
        if let Some(path) = options.tiles_path {
            app.apply(Command::OpenPath(path));
        }
        if let Some(request) = options.open {
            app.apply(Command::OpenFiles(request));
        }
        if let Some(view) = options.view {
            app.apply(Command::ApplyView(Box::new(view)));
        }
        app
    }

    /// Creates the app around an already loaded dataset, loading synchronously from then on, with
    /// no network and no settings file (tests, benchmarks).
    pub fn from_report(report: LoadReport, view: ViewState) -> Self {
        let mut app = Self::with_view(view, false, true);
        app.apply(Command::DatasetLoaded(Box::new(report)));
        app
    }

    fn with_view(view: ViewState, allow_network: bool, load_synchronously: bool) -> Self {
        let mut memory = MapMemory::default();
        memory.center_at(walkers::lon_lat(view.map_center.0, view.map_center.1));
        memory.set_zoom(view.map_zoom).ok();
        let map = MapState {
            memory,
            pan: None,
            grouping: MarkerGrouping::default(),
            drawn: Vec::new(),
            last_size: egui::vec2(1000.0, 650.0),
            fit_when_drawn: false,
            basemap: Basemap::embedded().map_err(|error| error.to_string()),
        };
        Self {
            view,
            report: LoadReport::default(),
            visible: VisibleEvents::default(),
            selection: Selection::default(),
            windows: Windows::default(),
            map,
            tiles: TileLayers::new(allow_network),
            loading: None,
            dialog: None,
            load_synchronously,
            settings: settings::Settings::default(),
            reader_layout: ReaderLayout::default(),
            last_tick_secs: None,
            notice: None,
            pending_view: None,
            story: ui::story::StoryState::default(),
            picture: picture::PictureExport::default(),
            unsaved_stories: false,
            editing: None,
            recovery_dir: None,
        }
    }

    /// The dataset directory shipped with Kronika.
    pub fn shipped_data_dir() -> PathBuf {
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("data")
    }

    /// Draws one frame and applies what it asked for. Public so headless drivers (tests,
    /// benchmarks) can run it without eframe.
    pub fn frame_ui(&mut self, ui: &mut egui::Ui) {
        let ctx = ui.ctx().clone();
        ctx.set_theme(if self.view.dark_mode { egui::Theme::Dark } else { egui::Theme::Light });
        let mut commands: Vec<Command> = self.loading.as_ref().and_then(|l| l.poll(&ctx)).into_iter().collect();
        if let Some(dialog) = &self.dialog {
            commands.extend(dialog.poll());
            ctx.request_repaint_after(std::time::Duration::from_millis(100));
        }
        commands.extend(self.picture.poll(&ctx));
        commands.extend(input::keyboard_commands(&ctx, &self.key_context()));
        commands.extend(input::dropped_files_command(&ctx));
        commands.push(Command::Tick { now_secs: ctx.input(|i| i.time) });
        self.apply_all(commands);
        if self.view.timeline.playing || self.map.pan.is_some() {
            ctx.request_repaint();
        }
        self.tiles.sync(self.view.map_layer, self.view.tile_archive.as_deref(), &ctx);

        let mut commands = Vec::new();
        let presenting = self.story.presenting;
        if !presenting {
            egui::Panel::top("top_bar").show(ui, |ui| {
                ui.add_space(2.0);
                commands.extend(ui::top_bar::top_bar_ui(
                    ui,
                    &self.edit_menu_state(),
                    &self.report.dataset,
                    &self.view.filter,
                    self.visible.search_results(),
                    &self.view.recent_paths,
                    self.view.dark_mode,
                    &self.current_view().to_text(),
                ));
                ui.add_space(2.0);
            });
        }
        if !presenting {
            egui::Panel::bottom("status")
                .show(ui, |ui| commands.extend(ui::status_bar::status_bar_ui(ui, &self.status())));
        }
        egui::Panel::bottom("timeline").resizable(false).show(ui, |ui| {
            ui.add_space(4.0);
            let view = TimelineView {
                dataset: &self.report.dataset,
                filtered: self.visible.filtered(),
                selected: self.selection.selected,
                hovered: self.selection.hovered,
                undated: self.visible.undated().len(),
            };
            commands.extend(ui::timeline::timeline_ui(ui, &self.view.timeline, self.visible.eras(), &view));
            ui.add_space(2.0);
        });
        let mut side_open = self.view.side_panel_open && !presenting;
        egui::Panel::right("side").resizable(true).default_size(380.0).min_size(260.0).show_collapsible(
            ui,
            &mut side_open,
            |ui| commands.extend(self.side_panel_ui(ui)),
        );
        if !presenting && side_open != self.view.side_panel_open {
            commands.push(Command::SetSidePanelOpen(side_open));
        }
        if let Some(reader) = &self.selection.reader {
            let width = ui.available_width();
            egui::Panel::left("reader")
                .resizable(true)
                .default_size((width * 0.42).clamp(300.0, 640.0))
                .min_size(280.0)
                .max_size((width * 0.75).max(300.0))
                .show(ui, |ui| {
                    commands.extend(ui::reader::reader_panel_ui(
                        ui,
                        &self.report.dataset,
                        reader,
                        self.selection.selected,
                        &mut self.reader_layout,
                        self.report.is_dataset_folder(),
                    ));
                });
        }
        egui::CentralPanel::no_frame().show(ui, |ui| commands.extend(self.map_ui(ui)));
        commands.extend(self.windows_ui(&ctx));
        self.apply_all(commands);
    }

    fn key_context(&self) -> input::KeyContext<'_> {
        input::KeyContext {
            reader_open: self.selection.reader.is_some(),
            group_open: self.selection.group.is_some(),
            has_selection: self.selection.selected.is_some(),
            has_search: !self.view.filter.text.is_empty(),
            shortcuts_open: self.windows.shortcuts,
            extent: self.visible.filtered().start_extent(),
            timeline: &self.view.timeline,
            filter: &self.view.filter,
            story: (
                self.story,
                self.story.story.and_then(|i| self.report.dataset.stories.get(i)).map_or(0, |s| s.steps.len()),
            ),
            picking_place: self.editing.as_ref().is_some_and(|e| e.picking_place),
        }
    }

    fn status(&self) -> StatusView<'_> {
        StatusView {
            loading: self.loading.as_ref().map(loading::PendingLoad::path),
            now_count: self.visible.now_events().len(),
            filtered_count: self.visible.filtered().len(),
            now_unplaced: self.visible.now_unplaced(),
            report: &self.report,
            problems_open: self.windows.problems,
            settings_problem: self.settings.problem.as_ref().map(SettingsProblem::describe),
            basemap_error: self.map.basemap.as_ref().err().map(String::as_str),
            tiles: self.tiles.status(),
            shortcuts_open: self.windows.shortcuts,
            now_further_accounts: self.visible.now_further_accounts(),
            notice: self.notice.as_deref(),
        }
    }

    fn side_panel_ui(&self, ui: &mut egui::Ui) -> Vec<Command> {
        let mut commands = Vec::new();
        let dataset = &self.report.dataset;
        ui.add_space(4.0);
        if let Some(idx) = self.selection.selected {
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
                    // A scroll state per event: a newly selected event's details start at the top.
                    egui::ScrollArea::vertical().id_salt(("details", idx)).auto_shrink([false, false]).show(ui, |ui| {
                        commands.extend(ui::details::details_ui(ui, dataset, idx, self.report.is_dataset_folder()));
                    });
                });
        }
        if self.selection.scroll_list {
            commands.push(Command::ListScrolled);
        }
        ui.horizontal(|ui| {
            ui.strong(format!("Events now ({})", self.visible.now_events().len()));
            let newest_first = self.view.list_newest_first;
            let label = if newest_first { "newest first" } else { "oldest first" };
            if ui.small_button(label).on_hover_text("Change the order of the list").clicked() {
                commands.push(Command::SetListNewestFirst(!newest_first));
            }
        });
        commands.extend(ui::event_list::undated_ui(ui, dataset, self.visible.undated(), self.selection.selected));
        commands.extend(ui::event_list::event_list_ui(
            ui,
            dataset,
            self.visible.now_events(),
            self.view.list_newest_first,
            self.selection.selected,
            self.selection.hovered,
            self.selection.scroll_list,
        ));
        commands
    }

    fn map_ui(&mut self, ui: &mut egui::Ui) -> Vec<Command> {
        let attribution = self.tiles.attribution(self.view.map_layer);
        let view = MapView {
            dataset: &self.report.dataset,
            visible: &self.visible,
            selected: self.selection.selected,
            hovered: self.selection.hovered,
            basemap: self.map.basemap.as_ref().ok(),
            focus_region: self.report.dataset.facts.focus_region.as_deref(),
            attribution: &attribution,
            show_place_labels: self.view.place_labels,
            spread: self.selection.spread.as_ref(),
            picking_place: self.editing.as_ref().is_some_and(|e| e.picking_place),
            density: self.density_shown(),
        };
        let map_rect = ui.available_rect_before_wrap();
        let center = crate::model::LonLat { lon: self.view.map_center.0, lat: self.view.map_center.1 };
        let output = ui::map::map_ui(ui, self.tiles.tiles(), &self.map.memory, center, &view, &mut self.map.grouping);
        // Frame output, kept for clicks, fitting and tests.
        self.map.drawn = output.markers;
        self.map.last_size = map_rect.size();
        let mut commands = output.commands;
        if std::mem::take(&mut self.map.fit_when_drawn) {
            commands.push(Command::FitMap);
        }
        commands.extend(ui::map::controls::controls_ui(
            ui.ctx(),
            map_rect,
            ui::map::controls::MapControls {
                dataset: &self.report.dataset,
                filter: &self.view.filter,
                layer: self.view.map_layer,
                allow_network: self.tiles.allows_network(),
                has_archive: self.view.tile_archive.is_some(),
                legend_open: self.view.legend_open,
                place_labels: self.view.place_labels,
                density: (self.density_shown(), self.view.density_layer),
                largest_group: self.map.drawn.iter().map(|m| m.count).max().unwrap_or(2),
            },
        ));
        commands
    }

    fn windows_ui(&self, ctx: &egui::Context) -> Vec<Command> {
        let mut commands = Vec::new();
        let dataset = &self.report.dataset;
        if let Some(group) = &self.selection.group {
            commands.extend(ui::event_list::group_window(
                ctx,
                dataset,
                group,
                self.selection.spread.is_some(),
                self.selection.selected,
                self.selection.hovered,
            ));
        }
        if self.windows.problems {
            commands.extend(ui::problems::problems_window(ctx, &self.report));
        }
        if self.windows.shortcuts {
            commands.extend(ui::shortcuts::shortcuts_window(ctx));
        }
        if self.windows.path {
            commands.extend(ui::top_bar::path_window(ctx));
        }
        if self.windows.story {
            let can_save = self.report.is_dataset_folder();
            commands.extend(ui::story::story_window(ctx, dataset, self.story, can_save));
        }
        if self.windows.export {
            let counts = (
                self.visible.filtered().len() + self.visible.undated().len(),
                self.visible.now_events().len(),
                dataset.events.len(),
            );
            commands.extend(ui::export::export_window(ctx, &dataset.name, counts));
        }
        if self.windows.view {
            commands.extend(ui::top_bar::view_window(ctx, self.notice.as_deref()));
        }
        if let Some(incident) = self.selection.incident.and_then(|i| dataset.incidents().get(i)) {
            commands.extend(ui::accounts::accounts_window(ctx, dataset, incident, self.selection.selected));
        }
        if let Some(dialog) = &self.windows.columns {
            commands.extend(ui::columns::columns_window(ctx, dialog));
        }
        commands.extend(self.editor_windows_ui(ctx));
        commands
    }
}

impl eframe::App for KronikaApp {
    fn ui(&mut self, ui: &mut egui::Ui, _frame: &mut eframe::Frame) {
        self.frame_ui(ui);
    }

    fn on_exit(&mut self, _gl: Option<&eframe::glow::Context>) {
        self.apply(Command::SaveSettings);
    }
}
