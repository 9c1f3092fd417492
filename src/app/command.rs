//! [`KronikaApp::apply`]: the one place app state changes.

use super::loading::PendingLoad;
use super::{KronikaApp, PanAnimation};
use crate::io::{LoadReport, load_many, preview_columns};
use crate::model::geo::world_from_lon_lat;
use crate::model::playback::{self, StepDirection};
use crate::model::{EventIdx, LonLat, ScreenFromWorld, VisibleEvents};
use crate::tiles::{MapLayer, is_tile_archive};
use crate::ui::Command;
use crate::ui::columns::ColumnDialog;
use crate::ui::command::{OpenDialog, OpenRequest};
use crate::ui::map::view::Spread;
use crate::ui::reader::{ReaderState, distinct_passages, neighbour_passage};
use crate::ui::timeline::state::{MAX_VIEW_DAYS, MAX_WINDOW_DAYS, MIN_VIEW_DAYS};

/// How long the map takes to pan to a selected event.
const PAN_DURATION_SECS: f64 = 0.45;
/// Longest step of playback per frame: a stalled frame does not jump the cursor.
const MAX_TICK_SECS: f64 = 0.25;
/// Zoom levels the map may show.
const MAP_ZOOM_RANGE: (f64, f64) = (2.0, 16.0);

impl KronikaApp {
    /// Applies one command, then brings what is visible up to date. The only place app state changes.
    pub fn apply(&mut self, command: Command) {
        self.apply_one(command);
        self.refresh_visible();
    }

    /// Applies several commands in order, bringing what is visible up to date once at the end.
    pub(super) fn apply_all(&mut self, commands: Vec<Command>) {
        for command in commands {
            self.apply_one(command);
        }
        self.refresh_visible();
    }

    pub(super) fn apply_one(&mut self, command: Command) {
        match command {
            Command::Select(idx) => self.select(idx),
            Command::SelectAndReveal(idx) => {
                self.reveal(idx);
                self.select(Some(idx));
            }
            Command::Hover(idx) => self.selection.hovered = idx,
            Command::Step(direction) => self.step(direction),
            Command::ShowIncident(incident) => self.selection.incident = incident,
            Command::ShowGroup(events) => {
                self.selection.spread = self.co_located(&events);
                self.selection.group = Some(events);
            }
            Command::CloseGroup => {
                self.selection.group = None;
                self.selection.spread = None;
            }
            Command::ListScrolled => self.selection.scroll_list = false,

            Command::OpenSource { source_id, focus } => {
                self.selection.reader = Some(ReaderState { source_id, focus, scroll_pending: true });
            }
            Command::ReaderScrolled => {
                if let Some(reader) = &mut self.selection.reader {
                    reader.scroll_pending = false;
                }
            }
            Command::ReaderStep(direction) => {
                if let Some(reader) = &mut self.selection.reader {
                    let passages = distinct_passages(&self.report.dataset, &reader.source_id);
                    if let Some(focus) = neighbour_passage(&passages, reader.focus, direction) {
                        reader.focus = Some(focus);
                        reader.scroll_pending = true;
                    }
                }
            }
            Command::CloseReader => self.selection.reader = None,

            // Values that are not finite (from a script or a bug) are ignored rather than stored.
            Command::SetCursor(day) if day.is_finite() => self.view.timeline.cursor_day = day,
            Command::SetTimelineView { start_day, length_days } if start_day.is_finite() && length_days.is_finite() => {
                self.view.timeline.view_start_day = start_day;
                self.view.timeline.view_length_days = length_days.clamp(MIN_VIEW_DAYS, MAX_VIEW_DAYS);
            }
            Command::SetCumulative(cumulative) => self.view.timeline.cumulative = cumulative,
            Command::SetWindowDays(days) if days.is_finite() => {
                self.view.timeline.window_days = days.clamp(1.0, MAX_WINDOW_DAYS);
            }
            Command::SetPlaybackSpeed(speed) if speed.is_finite() && speed > 0.0 => {
                self.view.timeline.speed_days_per_sec = speed;
            }
            Command::SetCursor(_)
            | Command::SetTimelineView { .. }
            | Command::SetWindowDays(_)
            | Command::SetPlaybackSpeed(_) => {}
            Command::TogglePlay => self.toggle_play(),
            Command::FitAll => {
                if let Some((first, last)) = self.visible.filtered().start_extent() {
                    let timeline = &mut self.view.timeline;
                    timeline.show_range(first, last);
                    // Keep the cursor in what is shown.
                    timeline.cursor_day = timeline.cursor_day.clamp(f64::from(first), f64::from(last));
                }
            }
            Command::ShowRange(first, last) => {
                self.view.timeline.show_range(first, last);
                self.view.timeline.cursor_day = f64::from(last);
            }
            Command::Tick { now_secs } => {
                self.tick(now_secs);
                self.check_disk(now_secs);
            }
            Command::Edit(command) => self.apply_edit(command),

            Command::SetFilter(filter) => {
                self.view.filter = filter;
                self.selection.spread = None;
            }

            Command::UpdateMapMemory(memory) => {
                self.map.memory = *memory;
                self.remember_map_view();
            }
            Command::ZoomMap(direction) => {
                let zoomed = if direction > 0 { self.map.memory.zoom_in() } else { self.map.memory.zoom_out() };
                zoomed.ok();
                self.remember_map_view();
            }
            Command::FitMap => self.fit_map(),
            Command::SetMapLayer(layer) => self.view.map_layer = layer,
            Command::SetLegendOpen(open) => self.view.legend_open = open,
            Command::SetPlaceLabels(shown) => self.view.place_labels = shown,
            Command::SetDensityLayer(density) => self.view.density_layer = density,

            Command::OpenPath(path) => self.open(OpenRequest::paths(vec![path])),
            Command::OpenFiles(request) => self.open(request),
            Command::SetColumn { role, column } => {
                if let Some(dialog) = &mut self.windows.columns {
                    dialog.mapping.set(role, column);
                }
            }
            Command::CancelColumns => self.windows.columns = None,
            Command::ColourBy(field) => self.colour_by(field.as_deref()),
            Command::ApplyView(view) if self.loading.is_some() => self.pending_view = Some(*view),
            Command::ApplyView(view) => self.apply_view(*view),
            Command::OpenView(text) => match crate::model::view_link::ViewLink::parse(&text) {
                Ok(view) => {
                    self.windows.view = false;
                    self.apply_view(view);
                }
                Err(error) => self.notice = Some(format!("Not a view: {error}")),
            },
            Command::SetViewWindowOpen(open) => self.windows.view = open,
            Command::SetExportWindowOpen(open) => self.windows.export = open,
            Command::SetStoryWindowOpen(open) => {
                self.windows.story = open;
                self.story.presenting &= open;
            }
            Command::OpenStory(story) => self.open_story(story),
            Command::GoToStep(step) => self.go_to_step(step),
            Command::EditStory(edit) => self.edit_story(edit),
            Command::SetStoryEditing(editing) => self.story.editing = editing,
            Command::SetPresenting(presenting) => self.story.presenting = presenting && self.story.story.is_some(),
            Command::SaveStories => self.save_stories(),
            Command::Export { path, format, scope } => self.export(&path, format, scope),
            Command::SaveView(path) => self.save_view(&path),
            Command::ExportPicture(path) => self.picture.request = Some(path),
            Command::PictureSaved(result) => {
                self.picture.pending = None;
                self.notice = Some(match result {
                    Ok(path) => format!("Saved a picture of the window to {path}"),
                    Err(error) => format!("Could not save the picture: {error}"),
                });
            }
            Command::ShowOpenDialog(kind) => {
                let opens = matches!(kind, OpenDialog::File | OpenDialog::Folder);
                if self.dialog.is_none() {
                    self.dialog = super::dialogs::PendingDialog::start(kind);
                }
                if self.dialog.is_none() {
                    // No dialog could be shown: a path to open can be typed instead.
                    self.windows.path |= opens;
                    if !opens {
                        self.notice = Some("No save dialog could be shown on this system".into());
                    }
                }
            }
            Command::DialogClosed => self.dialog = None,
            Command::SetPathWindowOpen(open) => self.windows.path = open,
            Command::DatasetLoaded(report) => {
                self.loading = None;
                // Edits not saved stay in the recovery file, offered back below.
                self.editing = None;
                let dir = report.is_dataset_folder().then(|| report.path.clone());
                self.set_report(*report);
                if let Some(dir) = dir {
                    self.look_for_recovery(&dir);
                }
                if let Some(view) = self.pending_view.take() {
                    self.apply_view(view);
                }
            }
            Command::SetProblemsOpen(open) => self.windows.problems = open,
            Command::SetShortcutsOpen(open) => self.windows.shortcuts = open,
            Command::SetSidePanelOpen(open) => self.view.side_panel_open = open,
            Command::SetListNewestFirst(newest_first) => self.view.list_newest_first = newest_first,
            Command::SetDarkMode(dark) => self.view.dark_mode = dark,
            Command::SaveSettings => self.settings.save(&self.view),
        }
    }

    /// Opens files: tile archives as the map layer, the rest as one dataset, after the
    /// column-mapping dialog when a spreadsheet's columns are only guessed.
    pub(super) fn open(&mut self, mut request: OpenRequest) {
        let (archives, data): (Vec<_>, Vec<_>) = request.paths.into_iter().partition(|path| is_tile_archive(path));
        if let Some(archive) = archives.into_iter().next_back() {
            self.view.tile_archive = Some(archive);
            self.view.map_layer = MapLayer::LocalArchive;
        }
        if data.is_empty() {
            return;
        }
        request.paths = data;
        if let [path] = request.paths.as_slice()
            && let Some(view) = saved_view(path)
        {
            match view {
                Ok(view) => self.apply_view(view),
                Err(error) => self.notice = Some(format!("{} is a saved view, but {error}", path.display())),
            }
            return;
        }
        if request.options.columns.is_empty()
            && let Some((file, preview)) =
                request.paths.iter().find_map(|path| Some((path.clone(), preview_columns(path)?)))
        {
            self.windows.columns = Some(ColumnDialog::new(request, file, preview));
            return;
        }
        self.windows.columns = None;
        if self.load_synchronously {
            self.set_report(load_many(&request.paths, &request.options));
            return;
        }
        match PendingLoad::start(&request.paths, &request.options) {
            Ok(pending) => self.loading = Some(pending),
            Err(report) => self.set_report(*report),
        }
    }

    /// Colours the events by `field`'s values (or by category); legend entries hidden under the
    /// old colours are shown again.
    fn colour_by(&mut self, field: Option<&str>) {
        match self.report.dataset.colour_by(field) {
            Ok(()) => {
                self.view.filter.hidden_slots.clear();
                self.visible.invalidate();
            }
            Err(message) => {
                let at = crate::io::Location { file: self.report.path.clone(), ..crate::io::Location::default() };
                self.report.problems.push(crate::io::Problem::warning(at, crate::io::ProblemKind::WrongShape(message)));
            }
        }
    }

    /// Rebuilds the filtered index when the filter changed, and finds what is "now".
    fn refresh_visible(&mut self) {
        self.visible.set_filter(&self.report.dataset, &self.view.filter);
        self.visible.set_window(self.view.timeline.now_window());
    }

    /// The events spread around their point, when they all share one (and there are several).
    fn co_located(&self, events: &[EventIdx]) -> Option<Spread> {
        let dataset = &self.report.dataset;
        let first = dataset.event(*events.first()?)?.lon_lat?;
        let same = |p: LonLat| (p.lon - first.lon).abs() < 1e-7 && (p.lat - first.lat).abs() < 1e-7;
        let all_there = events.iter().all(|&i| dataset.event(i).and_then(|e| e.lon_lat).is_some_and(same));
        (events.len() > 1 && all_there).then(|| Spread { center: first, events: events.to_vec() })
    }

    /// Clears the selection (a story step that selects nothing).
    pub(super) fn select_none(&mut self) {
        self.select(None);
    }

    /// Selects an event (a view's), without moving the timeline.
    pub(super) fn select_only(&mut self, idx: EventIdx) {
        self.select(Some(idx));
    }

    /// Moves the timeline to an event and selects it.
    pub(super) fn reveal_and_select(&mut self, idx: EventIdx) {
        self.reveal(idx);
        self.select(Some(idx));
    }

    pub(super) fn select(&mut self, idx: Option<EventIdx>) {
        self.selection.selected = idx;
        self.selection.group = None;
        if !self.selection.spread.as_ref().is_some_and(|s| idx.is_some_and(|i| s.events.contains(&i))) {
            self.selection.spread = None;
        }
        self.selection.scroll_list = true;
        // The map follows only when the event is out of view (or near its edge).
        if let Some(point) = idx.and_then(|i| self.report.dataset.event(i)).and_then(|e| e.lon_lat)
            && !self.map_shows(point)
        {
            let from = self.map.memory.detached().map_or(self.view.map_center, |p| (p.x(), p.y()));
            self.map.pan = Some(PanAnimation { from, to: (point.lon, point.lat), started_secs: None });
        }
    }

    /// Whether a point is on the map as last drawn, away from its edges.
    fn map_shows(&self, point: LonLat) -> bool {
        const MARGIN_PX: f32 = 40.0;
        let (lon, lat) = self.view.map_center;
        let size = self.map.last_size;
        let transform = ScreenFromWorld::new(
            world_from_lon_lat(LonLat { lon, lat }),
            [size.x / 2.0, size.y / 2.0],
            256.0 * 2_f64.powf(self.view.map_zoom),
        );
        let [x, y] = transform.screen_from_world(world_from_lon_lat(point));
        (MARGIN_PX..=size.x - MARGIN_PX).contains(&x) && (MARGIN_PX..=size.y - MARGIN_PX).contains(&y)
    }

    /// Moves the cursor so `idx` is "now", and the timeline view so it is visible.
    fn reveal(&mut self, idx: EventIdx) {
        let Some(event) = self.report.dataset.event(idx) else { return };
        if event.span.undated() {
            // Its span only bounds when it could have happened: there is no date to move to.
            return;
        }
        let (first, last) = (f64::from(event.span.first_day()), f64::from(event.span.last_day()));
        let timeline = &mut self.view.timeline;
        timeline.cursor_day = last;
        if !timeline.cumulative && timeline.window_days < last - first + 1.0 {
            timeline.window_days = (last - first + 1.0).min(MAX_WINDOW_DAYS);
        }
        if !(timeline.shows(first) && timeline.shows(last)) {
            let length = timeline.view_length_days.max(last - first + 14.0);
            timeline.view_start_day = f64::midpoint(first, last) - length / 2.0;
            timeline.view_length_days = length;
        }
    }

    /// Selects the next or previous event in date order (among those matching the filters).
    fn step(&mut self, direction: StepDirection) {
        let target = playback::step_target(
            self.visible.filtered(),
            self.selection.selected,
            self.view.timeline.cursor_day,
            direction,
        );
        if let Some(idx) = target {
            self.reveal(idx);
            self.select(Some(idx));
        }
    }

    fn toggle_play(&mut self) {
        let timeline = &mut self.view.timeline;
        timeline.playing = !timeline.playing;
        // Playing from the end starts over.
        if timeline.playing
            && let Some((first, last)) = self.visible.filtered().start_extent()
            && timeline.cursor_day >= f64::from(last)
        {
            timeline.cursor_day = f64::from(first);
        }
        self.last_tick_secs = None;
    }

    /// Time passes: playback advances, the map pans on, changed settings are saved now and then.
    fn tick(&mut self, now_secs: f64) {
        let timeline = &mut self.view.timeline;
        if timeline.playing {
            let elapsed = self.last_tick_secs.map_or(0.0, |last| (now_secs - last).clamp(0.0, MAX_TICK_SECS));
            let step =
                playback::advance(self.visible.filtered(), timeline.cursor_day, elapsed, timeline.speed_days_per_sec);
            timeline.cursor_day = step.cursor_day;
            timeline.playing = step.still_playing;
            timeline.keep_cursor_in_view();
            self.last_tick_secs = Some(now_secs);
        } else {
            self.last_tick_secs = None;
        }
        if let Some(pan) = &mut self.map.pan {
            let started = *pan.started_secs.get_or_insert(now_secs);
            let t = ((now_secs - started) / PAN_DURATION_SECS).clamp(0.0, 1.0);
            let eased = 1.0 - (1.0 - t).powi(3);
            let lon = pan.from.0 + (pan.to.0 - pan.from.0) * eased;
            let lat = pan.from.1 + (pan.to.1 - pan.from.1) * eased;
            self.map.memory.center_at(walkers::lon_lat(lon, lat));
            if t >= 1.0 {
                self.map.pan = None;
            }
            self.remember_map_view();
        }
        if now_secs - self.settings.last_save_secs > super::settings::SAVE_INTERVAL_SECS {
            self.settings.last_save_secs = now_secs;
            self.settings.save(&self.view);
        }
    }

    /// Keeps what the map shows in the persisted view.
    fn remember_map_view(&mut self) {
        if let Some(center) = self.map.memory.detached() {
            self.view.map_center = (center.x(), center.y());
        }
        self.view.map_zoom = self.map.memory.zoom();
    }

    /// Zooms and centres the map on every event matching the filters.
    fn fit_map(&mut self) {
        let Some(bounds) = self.visible.bounds(&self.report.dataset) else { return };
        let size = [self.map.last_size.x, self.map.last_size.y];
        let (center, zoom) = bounds.fit(size, 0.85, MAP_ZOOM_RANGE.0, MAP_ZOOM_RANGE.1);
        self.show_map_at((center.lon, center.lat), zoom);
    }

    pub(super) fn show_map_at(&mut self, center: (f64, f64), zoom: f64) {
        self.map.pan = None;
        self.map.memory.center_at(walkers::lon_lat(center.0, center.1));
        self.map.memory.set_zoom(zoom).ok();
        self.remember_map_view();
    }

    /// Replaces the dataset. A report whose events all failed is still shown, with its problems.
    /// The same dataset keeps its view when it overlaps the data; another starts at its home.
    fn set_report(&mut self, report: LoadReport) {
        self.view.filter.hidden_slots.clear();
        self.story = crate::ui::story::StoryState::default();
        self.unsaved_stories = false;
        self.windows.problems = report.error_count() > 0;
        self.visible = VisibleEvents::new(&report.dataset);
        // Groups (and a regroup still running) are of the dataset before.
        self.map.grouping = crate::ui::map::MarkerGrouping::default();
        self.report = report;
        self.selection = super::Selection::default();
        self.visible.set_filter(&self.report.dataset, &self.view.filter);
        let extent = self.visible.filtered().start_extent();
        let timeline = &self.view.timeline;
        let view_overlaps = extent.is_some_and(|(first, last)| {
            timeline.view_start_day < f64::from(last)
                && timeline.view_start_day + timeline.view_length_days > f64::from(first)
        });
        let same_dataset = self.view.dataset_path.as_deref() == Some(self.report.path.as_path());
        if !self.report.dataset.events.is_empty() && !self.report.path.as_os_str().is_empty() {
            let path = self.report.path.clone();
            self.view.remember_path(&path);
        }
        self.view.dataset_path = Some(self.report.path.clone());
        if (!view_overlaps || !same_dataset)
            && let Some((first, last)) = extent
        {
            self.view.timeline.show_range(first, last);
            self.view.timeline.cursor_day = f64::from(last);
        }
        if !same_dataset {
            if let Some(home) = self.report.dataset.facts.home {
                self.show_map_at((home.center.lon, home.center.lat), home.zoom);
            } else {
                self.fit_map();
                // Fitted again once the map has its real size, should it not have it yet.
                self.map.fit_when_drawn = true;
            }
        }
    }
}

/// The view a small JSON file saved by *Save view* holds, if `path` is one.
fn saved_view(path: &std::path::Path) -> Option<Result<crate::model::view_link::ViewLink, String>> {
    const MAX_VIEW_FILE_BYTES: u64 = 64 * 1024;
    let file = crate::io::open_regular(path).ok()?;
    if file.len() > MAX_VIEW_FILE_BYTES || path.extension().is_none_or(|e| e != "json") {
        return None;
    }
    let bytes = file.read_prefix(MAX_VIEW_FILE_BYTES).ok()?;
    let text = String::from_utf8(bytes).ok()?;
    crate::model::view_link::ViewLink::from_file_text(&text).map(|view| view.map_err(|e| e.to_string()))
}
