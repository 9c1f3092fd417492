//! The seam between what Kronika draws and where the events are: a store answers for a time
//! window and a viewport with map cells (counts per category) at the current zoom, for a range of
//! days with timeline bins, for words with search hits, and for an id with one event's details.
//!
//! [`memory::MemoryStore`] answers from a loaded [`Dataset`](crate::model::Dataset); the ClickHouse
//! store (`io::clickhouse`) answers with SQL from a server or a cluster. Both follow the rules
//! written here, so that for the same events they give the same answers.

pub mod memory;

use crate::model::DayNumber;
use crate::model::geo::{WorldBounds, WorldPoint};

/// Screen pixels per map cell at any zoom: cells are squares of this size on the screen.
pub const CELL_PX: f64 = 48.0;

/// The side of a map cell at `zoom`, in world units (the Web Mercator unit square).
pub fn cell_size(zoom: f64) -> f64 {
    CELL_PX / (256.0 * 2f64.powf(zoom.clamp(0.0, 24.0)))
}

/// Which events a map or a list shows: those with a point in `bounds` whose days overlap
/// `from_day..=to_day` (events with a date; undated events only bound theirs).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct ViewQuery {
    /// First day of the window.
    pub from_day: DayNumber,
    /// Last day of the window.
    pub to_day: DayNumber,
    /// The viewport, in world units.
    pub bounds: WorldBounds,
    /// The map's zoom, which sets the cell size.
    pub zoom: f64,
}

impl ViewQuery {
    /// True when an event with these days and this point is in the view.
    pub fn contains(&self, first_day: DayNumber, last_day: DayNumber, point: WorldPoint) -> bool {
        first_day <= self.to_day
            && last_day >= self.from_day
            && (self.bounds.min.x..=self.bounds.max.x).contains(&point.x)
            && (self.bounds.min.y..=self.bounds.max.y).contains(&point.y)
    }
}

/// The events of one map cell.
#[derive(Clone, Debug, PartialEq)]
pub struct Cell {
    /// The cell's column and row at the query's zoom.
    pub key: (i64, i64),
    /// How many events.
    pub count: u64,
    /// Where they are on average, in world units (a marker's place).
    pub center: WorldPoint,
    /// How many of each category, most first (then by name).
    pub categories: Vec<(String, u64)>,
}

/// A viewport as the explorer asks for it: at a whole zoom, its bounds snapped outwards to whole
/// blocks of four cells (within the world), so that a small pan asks nothing new and every store
/// may answer from cells it keeps ready.
pub fn snap_viewport(bounds: WorldBounds, zoom: f64) -> (WorldBounds, f64) {
    let zoom = zoom.round();
    let step = cell_size(zoom) * 4.0;
    let snap = |v: f64, up: bool| if up { (v / step).ceil() * step } else { (v / step).floor() * step };
    let bounds = WorldBounds {
        min: WorldPoint { x: snap(bounds.min.x, false).max(0.0), y: snap(bounds.min.y, false).max(0.0) },
        max: WorldPoint { x: snap(bounds.max.x, true).min(1.0), y: snap(bounds.max.y, true).min(1.0) },
    };
    (bounds, zoom)
}

/// Which cell a point falls in at `zoom`.
pub fn cell_key(point: WorldPoint, zoom: f64) -> (i64, i64) {
    let size = cell_size(zoom);
    #[expect(clippy::cast_possible_truncation, reason = "floor of a bounded ratio: at most 2^24 cells a side")]
    let key = ((point.x / size).floor() as i64, (point.y / size).floor() as i64);
    key
}

/// Timeline bins: `bins` bins of `bin_days` days from `from_day`, counting the dated events that
/// start in each.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct BinQuery {
    /// First day of the first bin.
    pub from_day: DayNumber,
    /// Days per bin (at least 1).
    pub bin_days: i32,
    /// How many bins.
    pub bins: usize,
}

impl BinQuery {
    /// The bin of an event starting on `day`, if it falls in one.
    pub fn bin_of(&self, day: DayNumber) -> Option<usize> {
        let offset = day.checked_sub(self.from_day)?;
        if offset < 0 {
            return None;
        }
        let bin = usize::try_from(offset / self.bin_days.max(1)).ok()?;
        (bin < self.bins).then_some(bin)
    }
}

/// One event, as a store gives it for a list or the details panel.
#[derive(Clone, Debug, PartialEq)]
pub struct EventRow {
    /// Its id.
    pub id: String,
    /// Its title.
    pub title: String,
    /// Its first and last day.
    pub days: (DayNumber, DayNumber),
    /// The precision of its start and end: 0 day, 1 month, 2 year.
    pub precision: (u8, u8),
    /// Mentioned without a date: the days only bound it.
    pub undated: bool,
    /// Its point, when it has one.
    pub lon_lat: Option<(f64, f64)>,
    /// Its category's key.
    pub category: String,
    /// Its summary, if any.
    pub summary: String,
    /// Every other field, as text.
    pub fields: Vec<(String, String)>,
}

/// What a search found: how many events match, and the first of them in date order.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct SearchHits {
    /// How many events match.
    pub total: u64,
    /// The first matches by start day, then id.
    pub rows: Vec<EventRow>,
}

/// The words a search looks for: the query folded (case, accents, Cyrillic), split on spaces;
/// an event matches when its search text contains every one.
pub fn search_words(query: &str) -> Vec<String> {
    crate::model::search::fold(query).split_whitespace().map(str::to_owned).collect()
}

/// The text an event is searched in: its title, summary, place and category, folded.
pub fn search_text(title: &str, summary: &str, place: &str, category: &str) -> String {
    crate::model::search::fold(&format!("{title} {summary} {place} {category}"))
}

/// Why a store could not answer.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct StoreError(pub String);

/// What a cancelled question answers.
const CANCELLED: &str = "cancelled: a newer question took its place";

impl StoreError {
    /// The answer of a question [`EventStore::cancel`] stopped.
    pub fn cancelled() -> Self {
        Self(CANCELLED.to_owned())
    }

    /// True for the answer of a stopped question.
    pub fn is_cancelled(&self) -> bool {
        self.0 == CANCELLED
    }
}

/// Where the events are: answers the questions the map, the timeline, the search and the details
/// panel ask. Implementations are `Send + Sync` so queries can run off the UI thread.
pub trait EventStore: Send + Sync {
    /// What the store is, in words ("ClickHouse events at 127.0.0.1:8123").
    fn describe(&self) -> String;
    /// How many events it holds.
    ///
    /// # Errors
    /// When the store cannot answer.
    fn count(&self) -> Result<u64, StoreError>;
    /// The first and last day of its dated events.
    ///
    /// # Errors
    /// When the store cannot answer.
    fn extent(&self) -> Result<Option<(DayNumber, DayNumber)>, StoreError>;
    /// The view's events grouped into cells, ordered by cell.
    ///
    /// # Errors
    /// When the store cannot answer.
    fn cells(&self, query: &ViewQuery) -> Result<Vec<Cell>, StoreError>;
    /// The timeline's bins.
    ///
    /// # Errors
    /// When the store cannot answer.
    fn bins(&self, query: &BinQuery) -> Result<Vec<u64>, StoreError>;
    /// The view's events in date order (start day, then id), at most `limit`, with their number.
    ///
    /// # Errors
    /// When the store cannot answer.
    fn events_in_view(&self, query: &ViewQuery, limit: usize) -> Result<SearchHits, StoreError>;
    /// Events whose search text holds every word of `text`, in date order, at most `limit`.
    ///
    /// # Errors
    /// When the store cannot answer.
    fn search(&self, text: &str, limit: usize) -> Result<SearchHits, StoreError>;
    /// Stops what the store is working out for an earlier question, if it can (ClickHouse kills
    /// the running query; memory answers too fast to need it). Called from another thread while a
    /// question is out.
    fn cancel(&self) {}

    /// One event; its start day, when known (from a list), lets a store find it without
    /// looking through every id.
    ///
    /// # Errors
    /// When the store cannot answer.
    fn details(&self, id: &str, start_day: Option<DayNumber>) -> Result<Option<EventRow>, StoreError>;
}

/// Categories counted, most first, then by name: how every store orders them.
pub fn sorted_categories(counts: impl IntoIterator<Item = (String, u64)>) -> Vec<(String, u64)> {
    let mut counts: Vec<(String, u64)> = counts.into_iter().collect();
    counts.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    counts
}
