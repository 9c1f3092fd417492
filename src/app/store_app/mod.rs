//! The explorer of events that live in a store (`kronika --data clickhouse://…`): the same map,
//! timeline, list and details as for a dataset in memory, drawn from the answers of an
//! [`EventStore`] asked on a thread of its own. A frame never waits: while a question is out, the
//! last answer stays on screen, dimmed, with how long the store has been thinking.

mod worker;

use std::sync::Arc;

use walkers::MapMemory;

pub use self::worker::{Answer, Job, LIST_LIMIT, QueryWorker};
use crate::model::geo::WorldBounds;
use crate::model::store::{BinQuery, Cell, EventRow, EventStore, SearchHits, ViewQuery, snap_viewport};
use crate::ui::map::basemap::Basemap;
use crate::ui::store_view::{self, StoreCommand};

/// Bins across the timeline.
const TIMELINE_BINS: usize = 240;
/// Views whose answers are kept, to go back without asking.
const CACHED_VIEWS: usize = 48;
/// Colours in the palette; further categories are grey.
const PALETTE_SIZE: usize = 12;
/// Days of the timeline played per second.
const PLAY_DAYS_PER_SEC: f64 = 30.0;

/// The explorer of a store.
pub struct StoreApp {
    store_name: String,
    worker: QueryWorker,
    /// The number of the newest question; answers to older ones are stale.
    generation: u64,
    memory: MapMemory,
    basemap: Option<Basemap>,
    cursor_day: f64,
    window_days: i32,
    playing: bool,
    last_tick_secs: Option<f64>,
    /// What the map showed last frame, quantised.
    viewport: Option<(WorldBounds, f64)>,
    /// The view asked for last, and when.
    asked: Option<(ViewQuery, f64)>,
    /// Answers to views, newest last.
    cache: Vec<(ViewQuery, Vec<Cell>, SearchHits)>,
    /// The answer on screen.
    shown: Option<usize>,
    overview: Option<(u64, Option<(i32, i32)>)>,
    bins: Option<(BinQuery, Vec<u64>)>,
    search: String,
    search_hits: Option<SearchHits>,
    selected: Option<String>,
    details: Option<EventRow>,
    error: Option<String>,
    now_secs: f64,
    /// Categories in the order they took a colour: stable as the view moves.
    palette: Vec<String>,
}

impl StoreApp {
    /// The explorer of `store`; `wake` repaints the window when an answer comes.
    pub fn new(store: Arc<dyn EventStore>, wake: impl Fn() + Send + 'static) -> Self {
        let store_name = store.describe();
        let worker = QueryWorker::start(store, wake);
        worker.ask(0, Job::Overview);
        let mut memory = MapMemory::default();
        memory.center_at(walkers::lon_lat(15.0, 48.0));
        memory.set_zoom(4.0).ok();
        Self {
            store_name,
            worker,
            generation: 0,
            memory,
            basemap: Basemap::embedded().ok(),
            cursor_day: 0.0,
            window_days: 0,
            playing: false,
            last_tick_secs: None,
            viewport: None,
            asked: None,
            cache: Vec::new(),
            shown: None,
            overview: None,
            bins: None,
            search: String::new(),
            search_hits: None,
            selected: None,
            details: None,
            error: None,
            now_secs: 0.0,
            palette: Vec::new(),
        }
    }

    /// The cells on screen.
    pub fn cells(&self) -> &[Cell] {
        self.shown.and_then(|i| self.cache.get(i)).map_or(&[], |(_, cells, _)| cells.as_slice())
    }

    /// The events listed for the view on screen.
    pub fn view_hits(&self) -> Option<&SearchHits> {
        self.shown.and_then(|i| self.cache.get(i)).map(|(_, _, hits)| hits)
    }

    /// True while a question about the view is out.
    pub fn waiting(&self) -> bool {
        self.asked
            .as_ref()
            .is_some_and(|(asked, _)| self.shown.and_then(|i| self.cache.get(i)).is_none_or(|(q, ..)| q != asked))
    }

    /// What the explorer knows and asks, in words (for tests that fail).
    pub fn describe_state(&self) -> String {
        format!(
            "overview {:?}, viewport {:?}, asked {:?}, cached {}, shown {:?}, error {:?}",
            self.overview,
            self.viewport,
            self.asked,
            self.cache.len(),
            self.shown,
            self.error
        )
    }

    /// The selected event's details, once answered.
    pub fn details(&self) -> Option<&EventRow> {
        self.details.as_ref()
    }

    /// The timeline's cursor.
    pub fn cursor_day(&self) -> f64 {
        self.cursor_day
    }

    /// Applies a command.
    pub fn apply(&mut self, command: StoreCommand) {
        match command {
            StoreCommand::MapMoved(memory) => self.memory = *memory,
            StoreCommand::Viewport { bounds, zoom } => self.viewport = Some(snap_viewport(bounds, zoom)),
            StoreCommand::ZoomIn { lon, lat } => {
                self.memory.center_at(walkers::lon_lat(lon, lat));
                let zoom = self.memory.zoom();
                self.memory.set_zoom((zoom + 2.0).min(18.0)).ok();
            }
            StoreCommand::SetCursor(day) if day.is_finite() => self.cursor_day = day,
            StoreCommand::SetCursor(_) => {}
            StoreCommand::SetWindowDays(days) => self.window_days = days.max(0),
            StoreCommand::TogglePlay => self.playing = !self.playing,
            StoreCommand::Search(text) => {
                self.search = text;
                self.search_hits = None;
                if !self.search.trim().is_empty() {
                    self.generation += 1;
                    self.worker.ask(self.generation, Job::Search(self.search.clone()));
                }
            }
            StoreCommand::Select { id, start_day } => {
                self.generation += 1;
                self.worker.ask(self.generation, Job::Details(id.clone(), start_day));
                self.selected = Some(id);
                self.details = None;
            }
            StoreCommand::CloseDetails => {
                self.selected = None;
                self.details = None;
            }
        }
    }

    /// Takes the answers that came, and asks what the view now needs.
    fn sync(&mut self) {
        for (_, answer) in self.worker.answers() {
            self.take(answer);
        }
        let Some((bounds, zoom)) = self.viewport else { return };
        let Some((_, Some((first, last)))) = self.overview else { return };
        #[expect(clippy::cast_possible_truncation, reason = "a day number")]
        let to_day = (self.cursor_day.floor() as i32).clamp(first, last.max(first));
        let from_day = if self.window_days > 0 { to_day - self.window_days + 1 } else { first };
        let query = ViewQuery { from_day, to_day, bounds, zoom };
        if self.asked.as_ref().is_some_and(|(asked, _)| *asked == query) {
            return;
        }
        self.asked = Some((query, self.now_secs));
        if let Some(i) = self.cache.iter().position(|(q, ..)| *q == query) {
            self.shown = Some(i);
        } else {
            self.generation += 1;
            self.worker.ask(self.generation, Job::View(query));
        }
    }

    fn take(&mut self, answer: Answer) {
        match answer {
            Answer::Overview(Ok((count, extent))) => {
                self.overview = Some((count, extent));
                if let Some((first, last)) = extent {
                    self.cursor_day = f64::from(last);
                    let span = (last - first).max(1);
                    let bin_days = (span / i32::try_from(TIMELINE_BINS).unwrap_or(240)).max(1) + 1;
                    self.worker
                        .ask(self.generation, Job::Bins(BinQuery { from_day: first, bin_days, bins: TIMELINE_BINS }));
                }
            }
            Answer::Bins(query, Ok(bins)) => self.bins = Some((query, bins)),
            Answer::View(query, Ok((cells, hits))) => {
                self.give_colours(&cells);
                if self.cache.len() >= CACHED_VIEWS {
                    self.cache.remove(0);
                    self.shown = self.shown.and_then(|i| i.checked_sub(1));
                }
                self.cache.push((query, cells, hits));
                if self.asked.as_ref().is_some_and(|(asked, _)| *asked == query) || self.shown.is_none() {
                    self.shown = Some(self.cache.len() - 1);
                }
                self.error = None;
            }
            Answer::Search(text, Ok(hits)) if text == self.search => self.search_hits = Some(hits),
            Answer::Details(id, Ok(details)) if self.selected.as_deref() == Some(id.as_str()) => {
                self.details = details;
                if self.details.is_none() {
                    self.error = Some(format!("Event {id:?} is no longer in the store."));
                }
            }
            Answer::Search(text, Err(error)) if text == self.search && !error.is_cancelled() => {
                self.error = Some(error.0);
            }
            Answer::Details(id, Err(error)) if self.selected.as_deref() == Some(id.as_str()) => {
                self.error = Some(error.0);
            }
            Answer::Search(..) | Answer::Details(..) => {}
            // A view the map has left, stopped or failed, says nothing about the one shown.
            Answer::View(query, Err(error)) => {
                if !error.is_cancelled() && self.asked.as_ref().is_some_and(|(asked, _)| *asked == query) {
                    self.error = Some(error.0);
                }
            }
            Answer::Overview(Err(error)) | Answer::Bins(_, Err(error)) => {
                self.error = Some(error.0);
            }
        }
    }

    /// Categories seen for the first time take the next colours, most frequent first.
    fn give_colours(&mut self, cells: &[Cell]) {
        let mut totals: std::collections::BTreeMap<&str, u64> = std::collections::BTreeMap::new();
        for (key, n) in cells.iter().flat_map(|c| &c.categories) {
            *totals.entry(key.as_str()).or_default() += n;
        }
        let mut new: Vec<(&str, u64)> =
            totals.into_iter().filter(|(k, _)| !self.palette.iter().any(|p| p == k)).collect();
        new.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(b.0)));
        for (key, _) in new.into_iter().take(PALETTE_SIZE.saturating_sub(self.palette.len())) {
            self.palette.push(key.to_owned());
        }
    }

    fn tick(&mut self, now_secs: f64) {
        self.now_secs = now_secs;
        let step = self.last_tick_secs.map_or(0.0, |last| (now_secs - last).clamp(0.0, 0.25));
        self.last_tick_secs = Some(now_secs);
        if self.playing
            && let Some((_, Some((_, last)))) = self.overview
        {
            self.cursor_day = (self.cursor_day + step * PLAY_DAYS_PER_SEC).min(f64::from(last));
            self.playing = self.cursor_day < f64::from(last);
        }
    }

    /// Draws one frame and applies what it asked for (public for tests and benchmarks).
    pub fn frame_ui(&mut self, ui: &mut egui::Ui) {
        let ctx = ui.ctx().clone();
        self.tick(ctx.input(|i| i.time));
        self.sync();
        if self.playing || self.waiting() {
            ctx.request_repaint_after(std::time::Duration::from_millis(if self.playing { 0 } else { 100 }));
        }
        let mut commands = Vec::new();
        let mut retry = false;
        egui::Panel::top("store_top").show(ui, |ui| {
            ui.horizontal(|ui| {
                ui.strong(&self.store_name);
                if let Some((count, _)) = self.overview {
                    ui.label(format!("{} events", store_view::map::compact_count(count)));
                } else if self.error.is_some() {
                    if ui.button("Try again").on_hover_text("Ask the store again").clicked() {
                        retry = true;
                    }
                } else {
                    ui.spinner();
                    ui.weak("asking the store…");
                }
                if let Some((_, since)) = self.asked.filter(|_| self.waiting()) {
                    ui.spinner();
                    ui.weak(format!("querying… {:.1} s", (self.now_secs - since).max(0.0)));
                }
                if let Some(error) = &self.error {
                    ui.colored_label(
                        ui.visuals().error_fg_color,
                        format!("⚠ {}", crate::model::text::shorten(error, 160)),
                    )
                    .on_hover_text(error);
                }
            });
        });
        egui::Panel::bottom("store_timeline").resizable(false).show(ui, |ui| {
            let view = store_view::timeline::StoreTimelineView {
                bins: self.bins.as_ref().map(|(q, b)| (q, b.as_slice())),
                cursor_day: self.cursor_day,
                known: self.overview.is_some(),
                window_days: self.window_days,
                playing: self.playing,
            };
            commands.extend(store_view::timeline::store_timeline_ui(ui, &view));
        });
        egui::Panel::right("store_side").resizable(true).default_size(380.0).show(ui, |ui| {
            let searching = !self.search.trim().is_empty();
            let view = store_view::list::StoreListView {
                search: &self.search,
                hits: if searching { self.search_hits.as_ref() } else { self.view_hits() },
                searching,
                selected: self.selected.as_deref(),
                details: self.details.as_ref(),
            };
            commands.extend(store_view::list::store_list_ui(ui, &view));
        });
        egui::CentralPanel::no_frame().show(ui, |ui| {
            let view = store_view::map::StoreMapView {
                cells: self.cells(),
                stale: self.waiting(),
                basemap: self.basemap.as_ref(),
                palette: &self.palette,
            };
            commands.extend(store_view::map::store_map_ui(ui, &self.memory, (15.0, 48.0), &view));
        });
        if retry {
            self.error = None;
            self.worker.ask(self.generation, Job::Overview);
        }
        for command in commands {
            self.apply(command);
        }
    }
}

impl eframe::App for StoreApp {
    fn ui(&mut self, ui: &mut egui::Ui, _frame: &mut eframe::Frame) {
        self.frame_ui(ui);
    }
}
