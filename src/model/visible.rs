//! What is visible now: the events matching the filters (their own time index), and among them
//! the events that are "now" — overlapping the window that ends at the cursor, or everything up to
//! the cursor in a cumulative view. Per-event map data is kept in date order, so grouping a million
//! markers reads memory in order. No UI here: the map, the list and the timeline read this.

use std::sync::Arc;

use rayon::prelude::*;

use super::dataset::Dataset;
use super::date::{DayNumber, TimeSpan};
use super::event::Event;
use super::filter::EventFilter;
use super::geo::{PackedPoint, WorldBounds, WorldPoint, world_from_lon_lat};
use super::index::{Era, EventIdx, TimeIndex};
use super::search::Query;

/// Most search results listed; all of them are on the map and timeline.
pub const MAX_SEARCH_HITS: usize = 500;

/// Silence (in days) that separates two eras on the timeline.
pub const ERA_GAP_DAYS: i32 = 365;

/// What a marker shows of an event: its colour and whether it is uncertain or contested. Kept per
/// event in date order.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct MarkerTraits {
    /// The legend entry (colour) of its category.
    pub category: u8,
    /// Uncertain date or place: drawn softer.
    pub uncertain: bool,
    /// A claim, a denial, disputed, or disagreeing with another record.
    pub contested: bool,
    /// It has a line or an area to draw besides its marker.
    pub shaped: bool,
}

impl MarkerTraits {
    /// The traits of one event of `dataset`.
    pub fn of(idx: EventIdx, event: &Event, dataset: &Dataset) -> Self {
        Self {
            category: dataset.colour_slot(idx, event),
            uncertain: event.is_uncertain(),
            contested: event.is_contested(),
            shaped: event.details().shape.is_some(),
        }
    }
}

/// The filtered events' map data in date order, shared (cloning is cheap) so that grouping can
/// read it off the frame, on a thread of its own, while the frame goes on.
#[derive(Clone, Debug, Default)]
pub struct MapColumns {
    /// The filtered events' index: their date order.
    order: Arc<TimeIndex>,
    /// Map positions, in date order. (The vectors are shared as they were made: an `Arc<[T]>`
    /// would copy a million events' columns into new memory each time the filter changes.)
    points: Arc<Vec<PackedPoint>>,
    /// Marker traits, in date order.
    traits: Arc<Vec<MarkerTraits>>,
    /// The incident (index + 1) each event is an account of, or 0, in date order; empty when the
    /// dataset has no incidents.
    incidents: Arc<Vec<u32>>,
}

impl MapColumns {
    /// The filtered events in date order.
    pub fn in_date_order(&self) -> &[EventIdx] {
        self.order.in_date_order()
    }

    /// Map positions in date order.
    pub fn points(&self) -> &[PackedPoint] {
        &self.points
    }

    /// Marker traits in date order.
    pub fn traits(&self) -> &[MarkerTraits] {
        &self.traits
    }

    /// Incidents (index + 1, or 0) in date order; empty when the dataset has none.
    pub fn incidents(&self) -> &[u32] {
        &self.incidents
    }
}

/// A generation no other [`VisibleEvents`] has had in this process, so a cache (or a regroup
/// running off the frame) made for one dataset is never taken for another's.
fn next_generation() -> u64 {
    static NEXT: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(1);
    NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed)
}

/// Which events are "now": those overlapping `[from, to]`, or all starting by `to` when cumulative.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct NowWindow {
    /// First day of the window (ignored when cumulative).
    pub from: DayNumber,
    /// Last day of the window: the cursor's day.
    pub to: DayNumber,
    /// Everything up to `to`, not only the window.
    pub cumulative: bool,
}

/// The filtered events, what is "now" among them, and their map data in date order.
#[derive(Debug, Default)]
pub struct VisibleEvents {
    /// Every event's map position (none: no place), by event index.
    world_points: Vec<PackedPoint>,
    /// Every event's marker traits, by event index (empty once the dataset's colours changed,
    /// until the next [`Self::set_filter`]).
    traits_by_event: Vec<MarkerTraits>,
    /// The filter the filtered index (`columns.order`) was built for.
    built_for: Option<EventFilter>,
    /// Changes whenever the filtered index does (unique in the process), so caches built on it
    /// know to start over.
    generation: u64,
    /// The filtered index (the dataset's own, shared, when nothing filters), and map positions,
    /// marker traits and incidents in its date order.
    columns: MapColumns,
    /// Events without a place among the first N in date order, for every N.
    unplaced_before: Vec<u32>,
    /// Eras of the filtered events, for the timeline's jump buttons.
    eras: Vec<Era>,
    /// The filtered events mentioned without a date (never in the date order).
    undated: Vec<EventIdx>,
    /// The filtered events with lines or areas: (position in date order, event), in date order.
    shaped: Vec<(u32, EventIdx)>,
    /// The window "now" was last found for, and the generation of the events it was found among.
    now_window: Option<NowWindow>,
    now_found_in: u64,
    /// When "now" is exactly the first N events in date order (cumulative): N.
    now_prefix: Option<usize>,
    /// Otherwise, the events "now" in date order …
    now_listed: Vec<EventIdx>,
    /// … and their positions in date order.
    now_positions: Vec<u32>,
    /// How many events "now" have no place.
    now_unplaced: usize,
    /// How many events "now" are further accounts of an incident another "now" event tells.
    now_further_accounts: usize,
    /// The best matches of the search text over all dates, best first (at most [`MAX_SEARCH_HITS`]).
    search_hits: Vec<EventIdx>,
    /// How many events match the search text and the other filters.
    search_total: usize,
}

impl VisibleEvents {
    /// Map data for a freshly loaded dataset; call [`Self::set_filter`] and [`Self::set_window`] next.
    pub fn new(dataset: &Dataset) -> Self {
        // Positions and traits in one read of the events.
        let (world_points, traits_by_event) = dataset
            .events
            .par_iter()
            .enumerate()
            .map(|(i, event)| {
                let idx = EventIdx::try_from(i).unwrap_or(EventIdx::MAX);
                (PackedPoint::pack(event.lon_lat.map(world_from_lon_lat)), MarkerTraits::of(idx, event, dataset))
            })
            .unzip();
        Self { world_points, traits_by_event, generation: next_generation(), ..Self::default() }
    }

    /// Forgets what the filtered index was built for, and the events' traits, so the next
    /// [`Self::set_filter`] makes them again (after the dataset's colours changed).
    pub fn invalidate(&mut self) {
        self.built_for = None;
        self.traits_by_event.clear();
    }

    /// Rebuilds the filtered index when `filter` differs from the one it was built for.
    pub fn set_filter(&mut self, dataset: &Dataset, filter: &EventFilter) {
        if self.built_for.as_ref() == Some(filter) {
            return;
        }
        self.built_for = Some(filter.clone());
        let filtered = if filter.is_empty() {
            self.search_hits.clear();
            self.search_total = 0;
            self.undated = dataset.undated_events().to_vec();
            dataset.shared_time_index()
        } else {
            let query = filter.query();
            let criteria = EventFilter { text: String::new(), ..filter.clone() };
            let empty = Query::default();
            // One pass finds what matches and how well: the index and the ranked results.
            let matching: Vec<(u32, EventIdx, TimeSpan)> = dataset
                .events
                .par_iter()
                .enumerate()
                .filter_map(|(i, e)| {
                    let idx = EventIdx::try_from(i).ok()?;
                    criteria.matches(idx, e, &empty, dataset).then_some(())?;
                    Some((query.rank(idx, e, dataset)?, idx, e.span))
                })
                .collect();
            if query.is_empty() {
                self.search_hits.clear();
                self.search_total = 0;
            } else {
                let mut ranked: Vec<(u32, i32, EventIdx)> =
                    matching.iter().map(|&(rank, idx, span)| (rank, span.first_day(), idx)).collect();
                ranked.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)).then(a.2.cmp(&b.2)));
                self.search_total = ranked.len();
                self.search_hits = ranked.into_iter().take(MAX_SEARCH_HITS).map(|(_, _, idx)| idx).collect();
            }
            self.undated = matching.iter().filter(|(_, _, span)| span.undated()).map(|&(_, idx, _)| idx).collect();
            self.undated.sort_unstable();
            // Undated events are listed, never "now": they stay out of the time index.
            Arc::new(TimeIndex::new(
                matching.into_iter().filter(|(_, _, span)| !span.undated()).map(|(_, idx, span)| (idx, span)),
            ))
        };
        self.generation = next_generation();
        let in_date_order = filtered.in_date_order();
        let order_points = in_order(&self.world_points, in_date_order, PackedPoint::NONE);
        let events = &dataset.events;
        // The traits are made in event order, reading the events one after the other, and then
        // put in date order (reading a million events in date order instead misses the cache at
        // every one: three times slower).
        if self.traits_by_event.len() != events.len() {
            self.traits_by_event = (0..events.len())
                .into_par_iter()
                .map(|i| {
                    let idx = EventIdx::try_from(i).unwrap_or(EventIdx::MAX);
                    events.get(i).map(|event| MarkerTraits::of(idx, event, dataset)).unwrap_or_default()
                })
                .collect();
        }
        let order_traits = in_order(&self.traits_by_event, in_date_order, MarkerTraits::default());
        let order_incident: Vec<u32> = if dataset.incidents().is_empty() {
            Vec::new()
        } else {
            let incident_number = |i: EventIdx| {
                let incident = dataset.incident_of(i)?;
                let index = dataset.incidents().iter().position(|other| std::ptr::eq(other, incident))?;
                u32::try_from(index + 1).ok()
            };
            in_date_order.iter().map(|&i| incident_number(i).unwrap_or(0)).collect()
        };
        // Three passes over a million events, side by side.
        let ((eras, shaped), unplaced_before) = rayon::join(
            || {
                rayon::join(
                    || filtered.eras(ERA_GAP_DAYS),
                    || {
                        order_traits
                            .iter()
                            .zip(in_date_order)
                            .enumerate()
                            .filter(|(_, (traits, _))| traits.shaped)
                            .map(|(position, (_, &i))| (u32::try_from(position).unwrap_or(u32::MAX), i))
                            .collect()
                    },
                )
            },
            || {
                let mut unplaced = 0u32;
                std::iter::once(0)
                    .chain(order_points.iter().map(|p| {
                        unplaced += u32::from(*p == PackedPoint::NONE);
                        unplaced
                    }))
                    .collect()
            },
        );
        (self.eras, self.shaped, self.unplaced_before) = (eras, shaped, unplaced_before);
        self.columns = MapColumns {
            order: filtered,
            points: Arc::new(order_points),
            traits: Arc::new(order_traits),
            incidents: Arc::new(order_incident),
        };
    }

    /// Finds the events that are "now".
    pub fn set_window(&mut self, window: NowWindow) {
        if self.now_window == Some(window) && self.now_found_in == self.generation {
            // Asked every frame: found already.
            return;
        }
        self.now_window = Some(window);
        self.now_found_in = self.generation;
        self.find_now(window);
        self.now_further_accounts = 0;
        if !self.columns.incidents.is_empty() {
            let positions: Box<dyn Iterator<Item = usize>> = match self.now_prefix {
                Some(end) => Box::new(0..end),
                None => Box::new(self.now_positions.iter().map(|&p| p as usize)),
            };
            let mut seen = std::collections::HashSet::new();
            for position in positions {
                let incident = self.columns.incidents.get(position).copied().unwrap_or(0);
                if incident != 0 && !seen.insert(incident) {
                    self.now_further_accounts += 1;
                }
            }
        }
    }

    fn find_now(&mut self, window: NowWindow) {
        self.now_listed.clear();
        self.now_positions.clear();
        if window.cumulative {
            // Everything up to the cursor: a prefix of the date order, nothing to collect.
            let end = self.columns.order.count_starting_by(window.to);
            self.now_prefix = Some(end);
            self.now_unplaced = self.unplaced_before.get(end).map_or(0, |&n| n as usize);
            return;
        }
        self.now_prefix = None;
        let mut unplaced = 0;
        let (listed, positions, points) = (&mut self.now_listed, &mut self.now_positions, &self.columns.points);
        self.columns.order.for_each_position_in_window(window.from, window.to, |position, idx| {
            listed.push(idx);
            positions.push(u32::try_from(position).unwrap_or(u32::MAX));
            if points.get(position).is_none_or(|p| *p == PackedPoint::NONE) {
                unplaced += 1;
            }
        });
        self.now_unplaced = unplaced;
    }

    /// The incident (index + 1, or 0 for none) of each filtered event, in date order; empty when
    /// the dataset has no incidents.
    pub fn order_incident(&self) -> &[u32] {
        &self.columns.incidents
    }

    /// The filtered events mentioned without a date: listed apart, never "now".
    pub fn undated(&self) -> &[EventIdx] {
        &self.undated
    }

    /// The events "now" that have lines, areas or further points, in date order.
    pub fn now_shaped(&self) -> impl Iterator<Item = EventIdx> + '_ {
        self.shaped
            .iter()
            .filter(|&&(position, _)| match self.now_prefix {
                Some(end) => (position as usize) < end,
                None => self.now_positions.binary_search(&position).is_ok(),
            })
            .map(|&(_, idx)| idx)
    }

    /// The events that are "now", in date order.
    pub fn now_events(&self) -> &[EventIdx] {
        match self.now_prefix {
            Some(end) => self.columns.order.in_date_order().get(..end).unwrap_or_default(),
            None => &self.now_listed,
        }
    }

    /// The window the events "now" were found for (with [`Self::generation`], what they are).
    pub fn now_window(&self) -> Option<NowWindow> {
        // Found among events since filtered anew: not what is "now" until found again.
        self.now_window.filter(|_| self.now_found_in == self.generation)
    }

    /// When the events "now" are exactly the first N in date order (a cumulative view): N.
    pub fn now_prefix(&self) -> Option<usize> {
        self.now_prefix
    }

    /// Positions in date order of the events "now" (empty in a cumulative view: see [`Self::now_prefix`]).
    pub fn now_positions(&self) -> &[u32] {
        &self.now_positions
    }

    /// How many of the events "now" are further accounts of an incident already counted: the
    /// happenings "now" are the events less these.
    pub fn now_further_accounts(&self) -> usize {
        self.now_further_accounts
    }

    /// How many of the events "now" have no place, so are not on the map.
    pub fn now_unplaced(&self) -> usize {
        self.now_unplaced
    }

    /// The index of the events matching the filters.
    pub fn filtered(&self) -> &TimeIndex {
        &self.columns.order
    }

    /// Map positions of the filtered events, in date order.
    pub fn order_points(&self) -> &[PackedPoint] {
        &self.columns.points
    }

    /// Marker traits of the filtered events, in date order.
    pub fn order_traits(&self) -> &[MarkerTraits] {
        &self.columns.traits
    }

    /// Map positions, marker traits and incidents of the filtered events in date order, shared.
    pub fn map_columns(&self) -> &MapColumns {
        &self.columns
    }

    /// Changes whenever the filtered events do.
    pub fn generation(&self) -> u64 {
        self.generation
    }

    /// Eras of the filtered events.
    pub fn eras(&self) -> &[Era] {
        &self.eras
    }

    /// The best matches of the search text over all dates, best first, and how many match in all.
    pub fn search_results(&self) -> (&[EventIdx], usize) {
        (&self.search_hits, self.search_total)
    }

    /// The map position of one event.
    pub fn world_point(&self, idx: EventIdx) -> Option<WorldPoint> {
        self.world_points.get(idx as usize).and_then(|p| p.get())
    }

    /// The box holding every filtered event that has a place.
    pub fn bounds(&self, dataset: &Dataset) -> Option<WorldBounds> {
        let shapes = self
            .shaped
            .iter()
            .filter_map(|&(_, idx)| dataset.event(idx)?.details().shape.as_deref())
            .flat_map(|shape| shape.all_points().map(world_from_lon_lat));
        WorldBounds::of(self.columns.points.iter().filter_map(|p| p.get()).chain(shapes))
    }
}

/// Values kept in event order (`by_event`), put in `order`; `missing` for an event past its end.
fn in_order<T: Copy + Send + Sync>(by_event: &[T], order: &[EventIdx], missing: T) -> Vec<T> {
    order.par_iter().map(|&i| by_event.get(i as usize).copied().unwrap_or(missing)).collect()
}

#[cfg(test)]
mod tests;
