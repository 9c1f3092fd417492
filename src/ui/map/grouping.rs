//! Markers grouped by cell: events closer than [`GROUP_CELL_PX`] become one marker with a count.
//! The cells are fixed to the world at each zoom (not to the screen), and the grid covers the view
//! with a margin, so panning only moves the markers: nothing is grouped again until the view
//! leaves the margin or the zoom changes. One multiply-add and a few counters per event, read in
//! date order; in a cumulative view scrubbed forward only the events that joined are added.

use egui::{Pos2, Rect};

use super::view::MapView;
use crate::model::{EventIdx, ScreenFromWorld, WorldPoint};

/// Markers closer than this (in points) are drawn as one group with a count.
pub const GROUP_CELL_PX: f32 = 26.0;
use super::sizes::{MARKER_RADIUS_PX, group_radius};
/// Groups larger than this keep only their first events per frame; the rest are found on click.
pub const MAX_LISTED_PER_MARKER: usize = 64;

/// A marker drawn last frame: where, and which events it stands for.
#[derive(Clone, Debug, PartialEq)]
pub struct DrawnMarker {
    /// Centre on screen.
    pub center: Pos2,
    /// Radius on screen.
    pub radius: f32,
    /// How many events it stands for.
    pub count: usize,
    /// The first of them (all of them up to [`MAX_LISTED_PER_MARKER`]), in date order.
    pub events: Vec<EventIdx>,
    /// The cell it groups (fixed to the world at this zoom), to find all its events on click.
    pub cell: (i32, i32),
    /// The legend entry (colour) most frequent among its events.
    pub slot: u8,
    /// Every one of its events is uncertain in date or place.
    pub all_uncertain: bool,
    /// At least one of its events is contested.
    pub any_contested: bool,
    /// When it stands for one incident told by several accounts: the incident's index.
    pub incident: Option<usize>,
    /// Accounts of incidents already counted here (by another account) that joined it.
    pub merged_accounts: usize,
}

/// The cell of a world position at a scale (points per unit of world): fixed to the world, so
/// the same wherever the map is panned.
pub fn world_cell(world: WorldPoint, scale: f64) -> (i32, i32) {
    let size = f64::from(GROUP_CELL_PX);
    #[expect(clippy::cast_possible_truncation, reason = "cells of a world 2^24 points wide fit an i32")]
    let cell = ((world.x * scale / size).floor() as i32, (world.y * scale / size).floor() as i32);
    cell
}

/// Markers being grouped, kept between frames: when the zoom and the data are the same and the view
/// is still inside the grid's margin, panning reuses the groups and only later events that joined
/// a cumulative view (scrubbing or playing forward) are added.
#[derive(Debug, Default)]
pub struct MarkerGrouping {
    /// What the grouping was made for: the scale's bits and the data generation.
    made_for: Option<(u64, u64)>,
    /// The prefix of the date order grouped (`None` when made from explicit positions).
    grouped_prefix: Option<usize>,
    /// The grid's first cell (world cells) and its size in cells.
    origin: (i32, i32),
    columns: usize,
    rows: usize,
    /// Per cell: index into the marker arrays + 1 (0 = empty).
    grid: Vec<u32>,
    markers: Vec<DrawnMarker>,
    /// Sums of the events' positions in world points (world × scale), per marker.
    sums: Vec<(f64, f64)>,
    category_counts: Vec<[u32; 32]>,
    /// For each incident on the map (index + 1): the marker of its first account.
    incident_markers: std::collections::HashMap<u32, usize>,
}

/// The cells a clip covers at a transform: (first cell, last cell), world cells.
fn clip_cells(transform: ScreenFromWorld, clip: Rect) -> ((i32, i32), (i32, i32)) {
    let first = world_cell(transform.world_from_screen([clip.min.x, clip.min.y]), transform.scale());
    let last = world_cell(transform.world_from_screen([clip.max.x, clip.max.y]), transform.scale());
    (first, last)
}

impl MarkerGrouping {
    /// Whether the grid covers the cells of this clip.
    fn covers(&self, cells: ((i32, i32), (i32, i32))) -> bool {
        let ((x0, y0), (x1, y1)) = cells;
        let (ox, oy) = self.origin;
        #[expect(clippy::cast_possible_truncation, clippy::cast_possible_wrap, reason = "small grids")]
        let (ex, ey) = (ox + self.columns as i32, oy + self.rows as i32);
        x0 >= ox && y0 >= oy && x1 < ex && y1 < ey
    }

    fn reset(&mut self, cells: ((i32, i32), (i32, i32)), made_for: (u64, u64)) {
        let ((x0, y0), (x1, y1)) = cells;
        // Half a view of margin on every side: panning that far needs no new grouping.
        let (margin_x, margin_y) = ((x1 - x0) / 2 + 1, (y1 - y0) / 2 + 1);
        self.origin = (x0 - margin_x, y0 - margin_y);
        #[expect(clippy::cast_sign_loss, reason = "positive by construction")]
        let (columns, rows) = ((x1 - x0 + 1 + 2 * margin_x) as usize, (y1 - y0 + 1 + 2 * margin_y) as usize);
        self.made_for = Some(made_for);
        self.grouped_prefix = None;
        self.columns = columns;
        self.rows = rows;
        self.grid.clear();
        self.grid.resize(columns * rows, 0);
        self.markers.clear();
        self.sums.clear();
        self.category_counts.clear();
        self.incident_markers.clear();
    }

    /// Adds the event at one date-order position.
    #[inline]
    fn add(&mut self, view: &MapView<'_>, scale: f64, position: usize) {
        let visible = view.visible;
        let (Some(Some(world)), Some(&idx), Some(traits)) = (
            visible.order_points().get(position),
            visible.filtered().in_date_order().get(position),
            visible.order_traits().get(position),
        ) else {
            return;
        };
        let incident = visible.order_incident().get(position).copied().unwrap_or(0);
        if incident != 0
            && let Some(&index) = self.incident_markers.get(&incident)
            && let Some(marker) = self.markers.get_mut(index)
        {
            // Another account of an incident already on the map: shown with it, counted once.
            if marker.events.len() < MAX_LISTED_PER_MARKER {
                marker.events.push(idx);
            }
            marker.merged_accounts += 1;
            if marker.count == 1 {
                marker.incident = Some(incident as usize - 1);
            }
            return;
        }
        let cell = world_cell(*world, scale);
        let (Ok(column), Ok(row)) = (usize::try_from(cell.0 - self.origin.0), usize::try_from(cell.1 - self.origin.1))
        else {
            return;
        };
        if column >= self.columns || row >= self.rows {
            return;
        }
        let Some(slot) = self.grid.get_mut(row * self.columns + column) else { return };
        if *slot == 0 {
            self.markers.push(DrawnMarker {
                center: Pos2::ZERO,
                radius: MARKER_RADIUS_PX,
                count: 0,
                events: Vec::new(),
                cell,
                slot: 0,
                all_uncertain: true,
                any_contested: false,
                incident: None,
                merged_accounts: 0,
            });
            self.sums.push((0.0, 0.0));
            self.category_counts.push([0; 32]);
            *slot = u32::try_from(self.markers.len()).unwrap_or(u32::MAX);
        }
        let index = *slot as usize - 1;
        let (Some(marker), Some(sum), Some(counts)) =
            (self.markers.get_mut(index), self.sums.get_mut(index), self.category_counts.get_mut(index))
        else {
            return;
        };
        marker.count += 1;
        if marker.count > 1 {
            marker.incident = None;
        }
        if incident != 0 {
            self.incident_markers.insert(incident, index);
        }
        if marker.events.len() < MAX_LISTED_PER_MARKER {
            marker.events.push(idx);
        }
        marker.all_uncertain &= traits.uncertain;
        marker.any_contested |= traits.contested;
        if let Some(count) = counts.get_mut(usize::from(traits.category)) {
            *count += 1;
        }
        sum.0 += world.x * scale;
        sum.1 += world.y * scale;
    }

    /// Adds the first `end` events in date order: on all cores when there are many (and no
    /// incidents, whose accounts join across chunks), each chunk into a grid of its own, the grids
    /// merged in order — the same groups, in the same order, as one pass.
    fn add_range(&mut self, view: &MapView<'_>, scale: f64, end: usize) {
        const PARALLEL_FROM: usize = 200_000;
        let points = view.visible.order_points().get(..end).unwrap_or_default();
        if end < PARALLEL_FROM || !view.visible.order_incident().is_empty() {
            for position in 0..end {
                self.add(view, scale, position);
            }
            return;
        }
        let chunk_len = end.div_ceil(crate::parallel::threads() * 2);
        let partials = crate::parallel::map_chunks(points, chunk_len, |start, chunk| {
            let mut partial = self.empty_like();
            for position in start..start + chunk.len() {
                partial.add(view, scale, position);
            }
            partial
        });
        for (number, partial) in partials.into_iter().enumerate() {
            if let Ok(partial) = partial {
                self.absorb(partial);
            } else {
                // A worker that failed: its events are grouped here instead, so none is lost.
                let start = number * chunk_len;
                for position in start..(start + chunk_len).min(end) {
                    self.add(view, scale, position);
                }
            }
        }
    }

    /// An empty grid over the same cells.
    fn empty_like(&self) -> Self {
        Self {
            made_for: self.made_for,
            grouped_prefix: None,
            origin: self.origin,
            columns: self.columns,
            rows: self.rows,
            grid: vec![0; self.grid.len()],
            markers: Vec::new(),
            sums: Vec::new(),
            category_counts: Vec::new(),
            incident_markers: std::collections::HashMap::new(),
        }
    }

    /// Adds another grid's groups (of later events) to these.
    fn absorb(&mut self, other: Self) {
        for ((marker, sum), counts) in other.markers.into_iter().zip(other.sums).zip(other.category_counts) {
            let (Ok(column), Ok(row)) =
                (usize::try_from(marker.cell.0 - self.origin.0), usize::try_from(marker.cell.1 - self.origin.1))
            else {
                continue;
            };
            let Some(slot) = self.grid.get_mut(row * self.columns + column) else { continue };
            if *slot == 0 {
                self.markers.push(marker);
                self.sums.push(sum);
                self.category_counts.push(counts);
                *slot = u32::try_from(self.markers.len()).unwrap_or(u32::MAX);
                continue;
            }
            let index = *slot as usize - 1;
            let (Some(mine), Some(my_sum), Some(my_counts)) =
                (self.markers.get_mut(index), self.sums.get_mut(index), self.category_counts.get_mut(index))
            else {
                continue;
            };
            mine.count += marker.count;
            mine.incident = None;
            let room = MAX_LISTED_PER_MARKER.saturating_sub(mine.events.len());
            mine.events.extend(marker.events.into_iter().take(room));
            mine.all_uncertain &= marker.all_uncertain;
            mine.any_contested |= marker.any_contested;
            my_sum.0 += sum.0;
            my_sum.1 += sum.1;
            for (mine, theirs) in my_counts.iter_mut().zip(counts) {
                *mine += theirs;
            }
        }
    }

    /// The markers in `clip` as drawn at `transform`: centred on their events, sized by count,
    /// coloured by category.
    fn finished(&self, transform: ScreenFromWorld, clip: Rect) -> Vec<DrawnMarker> {
        let [offset_x, offset_y] = transform.offset();
        let mut markers = Vec::new();
        for ((marker, &(sum_x, sum_y)), counts) in self.markers.iter().zip(&self.sums).zip(&self.category_counts) {
            #[expect(clippy::cast_precision_loss, reason = "counts are far below 2^52")]
            let count = marker.count as f64;
            #[expect(clippy::cast_possible_truncation, reason = "screen coordinates")]
            let center =
                Pos2::new((sum_x / count + f64::from(offset_x)) as f32, (sum_y / count + f64::from(offset_y)) as f32);
            if !clip.contains(center) {
                continue;
            }
            let mut marker = marker.clone();
            marker.center = center;
            // The most frequent category; ties go to the earlier one.
            let dominant =
                counts.iter().enumerate().max_by_key(|&(i, &n)| (n, std::cmp::Reverse(i))).map_or(0, |(i, _)| i);
            marker.slot = u8::try_from(dominant).unwrap_or(u8::MAX);
            if marker.count > 1 {
                marker.radius = group_radius(count);
            }
            markers.push(marker);
        }
        markers
    }
}

/// Groups the events that are "now" by screen cell; in a cumulative view scrubbed forward with
/// the map still, only the new events are added to last frame's groups.
pub fn group_markers(
    transform: ScreenFromWorld,
    clip: Rect,
    view: &MapView<'_>,
    grouping: &mut MarkerGrouping,
) -> Vec<DrawnMarker> {
    let scale = transform.scale();
    let made_for = (scale.to_bits(), view.visible.generation());
    let cells = clip_cells(transform, clip);
    let same = grouping.made_for == Some(made_for) && grouping.covers(cells);
    match (view.visible.now_prefix(), grouping.grouped_prefix) {
        (Some(end), Some(grouped)) if same && end >= grouped => {
            for position in grouped..end {
                grouping.add(view, scale, position);
            }
            grouping.grouped_prefix = Some(end);
        }
        (Some(end), _) => {
            grouping.reset(cells, made_for);
            grouping.add_range(view, scale, end);
            grouping.grouped_prefix = Some(end);
        }
        (None, _) => {
            grouping.reset(cells, made_for);
            for &position in view.visible.now_positions() {
                grouping.add(view, scale, position as usize);
            }
        }
    }
    grouping.finished(transform, clip)
}

/// All events "now" in a cell, for listing a group too large to keep every frame.
pub fn events_in_cell(transform: ScreenFromWorld, view: &MapView<'_>, cell: (i32, i32)) -> Vec<EventIdx> {
    let visible = view.visible;
    let positions: Box<dyn Iterator<Item = usize>> = match visible.now_prefix() {
        Some(end) => Box::new(0..end),
        None => Box::new(visible.now_positions().iter().map(|&p| p as usize)),
    };
    positions
        .filter_map(|position| {
            let world = (*visible.order_points().get(position)?)?;
            let in_cell = world_cell(world, transform.scale()) == cell;
            in_cell.then(|| visible.filtered().in_date_order().get(position).copied()).flatten()
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use egui::pos2;

    use super::*;
    use crate::model::date::{FuzzyDate, TimeSpan, day_number};
    use crate::model::geo::world_from_lon_lat;
    use crate::model::{Dataset, Event, EventFilter, LonLat, NowWindow, VisibleEvents};

    /// 2,000 events on 400 days around Mitrovica, some without a place.
    fn dataset() -> Dataset {
        let first = FuzzyDate::parse("2023-01-01").unwrap().first_day;
        let events = (0..2000_u32)
            .map(|i| {
                let day = first + chrono::Days::new(u64::from(i % 400));
                let place = (i % 13 != 0).then(|| LonLat {
                    lon: 20.5 + f64::from(i * 7919 % 1000) / 1000.0,
                    lat: 42.6 + f64::from(i * 104_729 % 800) / 1000.0,
                });
                let mut event = Event::minimal(format!("e{i}"), format!("Event {i}"), TimeSpan::single_day(day), place);
                event.category = crate::model::CategoryId(u16::try_from(i % 7).unwrap());
                event
            })
            .collect();
        let mut dataset = Dataset::new("grouping".into(), events, Vec::new(), Vec::new());
        dataset.set_categories(["attack", "capture", "shelling", "denial", "report", "protest"]);
        dataset
    }

    fn view<'a>(dataset: &'a Dataset, visible: &'a VisibleEvents) -> MapView<'a> {
        MapView {
            dataset,
            visible,
            selected: None,
            hovered: None,
            basemap: None,
            focus_region: None,
            attribution: "",
            show_place_labels: false,
            spread: None,
            picking_place: false,
            density: false,
        }
    }

    #[test]
    fn grouping_forward_step_by_step_equals_grouping_from_scratch() {
        let dataset = dataset();
        let mut visible = VisibleEvents::new(&dataset);
        visible.set_filter(&dataset, &EventFilter::default());
        let center = world_from_lon_lat(LonLat { lon: 21.0, lat: 43.0 });
        let transform = ScreenFromWorld::new(center, [600.0, 400.0], 256.0 * 2f64.powi(9));
        let clip = Rect::from_min_max(pos2(0.0, 0.0), pos2(1200.0, 800.0)).expand(GROUP_CELL_PX);
        let first = day_number(FuzzyDate::parse("2023-01-01").unwrap().first_day);
        let mut incremental = MarkerGrouping::default();
        for step in 0..40 {
            let to = first + step * 10;
            visible.set_window(NowWindow { from: i32::MIN, to, cumulative: true });
            let stepped = group_markers(transform, clip, &view(&dataset, &visible), &mut incremental);
            let scratch = group_markers(transform, clip, &view(&dataset, &visible), &mut MarkerGrouping::default());
            assert_eq!(stepped, scratch, "after step {step}");
            let counted: usize = scratch.iter().map(|m| m.count).sum();
            assert_eq!(counted + visible.now_unplaced(), visible.now_events().len());
        }
        assert!(incremental.markers.len() > 10, "the test groups into many markers");
    }

    #[test]
    fn a_cell_lists_every_event_of_its_marker() {
        let dataset = dataset();
        let mut visible = VisibleEvents::new(&dataset);
        visible.set_filter(&dataset, &EventFilter::default());
        visible.set_window(NowWindow { from: i32::MIN, to: i32::MAX, cumulative: true });
        let transform =
            ScreenFromWorld::new(world_from_lon_lat(LonLat { lon: 21.0, lat: 43.0 }), [300.0, 200.0], 256.0 * 64.0);
        let clip = Rect::from_min_max(pos2(0.0, 0.0), pos2(600.0, 400.0));
        let markers = group_markers(transform, clip, &view(&dataset, &visible), &mut MarkerGrouping::default());
        let biggest = markers.iter().max_by_key(|m| m.count).unwrap();
        assert!(biggest.count > MAX_LISTED_PER_MARKER, "{}", biggest.count);
        assert_eq!(events_in_cell(transform, &view(&dataset, &visible), biggest.cell).len(), biggest.count);
    }

    #[test]
    fn panning_moves_the_groups_without_grouping_again() {
        let dataset = dataset();
        let mut visible = VisibleEvents::new(&dataset);
        visible.set_filter(&dataset, &EventFilter::default());
        visible.set_window(NowWindow { from: i32::MIN, to: i32::MAX, cumulative: true });
        let center = world_from_lon_lat(LonLat { lon: 21.0, lat: 43.0 });
        let clip = Rect::from_min_max(pos2(0.0, 0.0), pos2(1200.0, 800.0));
        let mut grouping = MarkerGrouping::default();
        let at = |dx: f32| ScreenFromWorld::new(center, [600.0 + dx, 400.0], 256.0 * 2f64.powi(9));
        let before = group_markers(at(0.0), clip, &view(&dataset, &visible), &mut grouping);
        let made = grouping.made_for;
        let panned = group_markers(at(37.0), clip, &view(&dataset, &visible), &mut grouping);
        assert_eq!(grouping.made_for, made);
        // The same groups, moved by the pan (those still in view).
        for marker in &panned {
            let same = before.iter().find(|m| m.cell == marker.cell && m.count == marker.count);
            if let Some(same) = same {
                assert!((marker.center.x - same.center.x - 37.0).abs() < 0.01);
            }
        }
        // And what a fresh grouping gives.
        let fresh = group_markers(at(37.0), clip, &view(&dataset, &visible), &mut MarkerGrouping::default());
        assert_eq!(panned, fresh);
    }

    #[test]
    fn grouping_on_all_cores_gives_the_groups_of_one_pass() {
        let first = FuzzyDate::parse("2023-01-01").unwrap().first_day;
        let events = (0..210_000_u32)
            .map(|i| {
                let day = first + chrono::Days::new(u64::from(i % 400));
                let place = LonLat {
                    lon: 20.0 + f64::from(i.wrapping_mul(7919) % 2000) / 1000.0,
                    lat: 42.0 + f64::from(i.wrapping_mul(104_729) % 1500) / 1000.0,
                };
                Event::minimal(format!("e{i}"), "e", TimeSpan::single_day(day), Some(place))
            })
            .collect();
        let dataset = Dataset::new("many".into(), events, Vec::new(), Vec::new());
        let mut visible = VisibleEvents::new(&dataset);
        visible.set_filter(&dataset, &EventFilter::default());
        visible.set_window(NowWindow { from: i32::MIN, to: i32::MAX, cumulative: true });
        let transform = ScreenFromWorld::new(
            world_from_lon_lat(LonLat { lon: 21.0, lat: 42.75 }),
            [600.0, 400.0],
            256.0 * 2f64.powi(8),
        );
        let clip = Rect::from_min_max(pos2(0.0, 0.0), pos2(1200.0, 800.0));
        let parallel = group_markers(transform, clip, &view(&dataset, &visible), &mut MarkerGrouping::default());
        // One pass, by hand.
        let mut one = MarkerGrouping::default();
        one.reset(clip_cells(transform, clip), (transform.scale().to_bits(), visible.generation()));
        for position in 0..visible.now_prefix().unwrap() {
            one.add(&view(&dataset, &visible), transform.scale(), position);
        }
        let sequential = one.finished(transform, clip);
        assert_eq!(parallel.len(), sequential.len());
        for (a, b) in parallel.iter().zip(&sequential) {
            assert_eq!((a.cell, a.count, &a.events), (b.cell, b.count, &b.events));
            assert!((a.center - b.center).length() < 0.01);
        }
    }
}
