//! Markers grouped by screen cell: events closer than [`GROUP_CELL_PX`] become one marker with a
//! count. A dense grid over the view, one multiply-add and a few counters per event, read in date
//! order; in a cumulative view scrubbed forward only the events that joined are added.

use egui::{Pos2, Rect, pos2};

use super::projection::screen_pos;
use super::view::MapView;
use crate::model::{EventIdx, ScreenFromWorld};

/// Markers closer than this (in points) are drawn as one group with a count.
pub const GROUP_CELL_PX: f32 = 26.0;
/// Radius of a single event's marker.
pub const MARKER_RADIUS_PX: f32 = 7.0;
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
    /// The screen cell it groups, to find all its events on click.
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

/// Screen cell of a position.
pub fn cell_of(pos: Pos2) -> (i32, i32) {
    #[expect(clippy::cast_possible_truncation, reason = "screen cells are small integers")]
    let cell = ((pos.x / GROUP_CELL_PX).floor() as i32, (pos.y / GROUP_CELL_PX).floor() as i32);
    cell
}

/// Markers being grouped, kept between frames: when the map has not moved and only later events
/// joined a cumulative view (scrubbing or playing forward), only those are added.
#[derive(Debug, Default)]
pub struct MarkerGrouping {
    /// What the grouping was made for: the view, the clip and the data generation.
    made_for: Option<(ScreenFromWorld, Rect, u64)>,
    /// The prefix of the date order grouped (`None` when made from explicit positions).
    grouped_prefix: Option<usize>,
    columns: usize,
    origin: Pos2,
    /// Per cell: index into the marker arrays + 1 (0 = empty).
    grid: Vec<u32>,
    markers: Vec<DrawnMarker>,
    sums: Vec<(f64, f64)>,
    category_counts: Vec<[u32; 32]>,
    /// For each incident on the map (index + 1): the marker of its first account.
    incident_markers: std::collections::HashMap<u32, usize>,
}

impl MarkerGrouping {
    fn reset(&mut self, clip: Rect, made_for: (ScreenFromWorld, Rect, u64)) {
        let first_cell = cell_of(clip.min);
        #[expect(clippy::cast_possible_truncation, clippy::cast_sign_loss, reason = "a small positive count")]
        let (columns, rows) =
            ((clip.width() / GROUP_CELL_PX) as usize + 2, (clip.height() / GROUP_CELL_PX) as usize + 2);
        #[expect(clippy::cast_precision_loss, reason = "small cell numbers")]
        let origin = pos2(first_cell.0 as f32 * GROUP_CELL_PX, first_cell.1 as f32 * GROUP_CELL_PX);
        self.made_for = Some(made_for);
        self.grouped_prefix = None;
        self.columns = columns;
        self.origin = origin;
        self.grid.clear();
        self.grid.resize(columns * rows, 0);
        self.markers.clear();
        self.sums.clear();
        self.category_counts.clear();
        self.incident_markers.clear();
    }

    /// Adds the event at one date-order position.
    #[inline]
    fn add(&mut self, view: &MapView<'_>, transform: ScreenFromWorld, clip: Rect, position: usize) {
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
        let pos = screen_pos(transform, *world);
        if !clip.contains(pos) {
            return;
        }
        #[expect(clippy::cast_possible_truncation, clippy::cast_sign_loss, reason = "inside the clip: small, positive")]
        let (column, row) =
            (((pos.x - self.origin.x) / GROUP_CELL_PX) as usize, ((pos.y - self.origin.y) / GROUP_CELL_PX) as usize);
        let Some(slot) = self.grid.get_mut(row * self.columns + column) else { return };
        if *slot == 0 {
            self.markers.push(DrawnMarker {
                center: pos,
                radius: MARKER_RADIUS_PX,
                count: 0,
                events: Vec::new(),
                cell: cell_of(pos),
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
        sum.0 += f64::from(pos.x);
        sum.1 += f64::from(pos.y);
    }

    /// The markers as drawn: centred on their events, sized by count, coloured by category.
    fn finished(&self) -> Vec<DrawnMarker> {
        let mut markers = self.markers.clone();
        for ((marker, &(sum_x, sum_y)), counts) in markers.iter_mut().zip(&self.sums).zip(&self.category_counts) {
            #[expect(clippy::cast_precision_loss, reason = "counts are far below 2^52")]
            let count = marker.count as f64;
            #[expect(clippy::cast_possible_truncation, reason = "screen coordinates")]
            let center = Pos2::new((sum_x / count) as f32, (sum_y / count) as f32);
            marker.center = center;
            // The most frequent category; ties go to the earlier one.
            let dominant =
                counts.iter().enumerate().max_by_key(|&(i, &n)| (n, std::cmp::Reverse(i))).map_or(0, |(i, _)| i);
            marker.slot = u8::try_from(dominant).unwrap_or(u8::MAX);
            if marker.count > 1 {
                #[expect(clippy::cast_possible_truncation, reason = "a radius")]
                let grow = (count.log10() * 4.0) as f32;
                marker.radius = MARKER_RADIUS_PX + 2.0 + grow;
            }
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
    let made_for = (transform, clip, view.visible.generation());
    match (view.visible.now_prefix(), grouping.grouped_prefix) {
        (Some(end), Some(grouped)) if grouping.made_for == Some(made_for) && end >= grouped => {
            for position in grouped..end {
                grouping.add(view, transform, clip, position);
            }
            grouping.grouped_prefix = Some(end);
        }
        (Some(end), _) => {
            grouping.reset(clip, made_for);
            for position in 0..end {
                grouping.add(view, transform, clip, position);
            }
            grouping.grouped_prefix = Some(end);
        }
        (None, _) => {
            grouping.reset(clip, made_for);
            for &position in view.visible.now_positions() {
                grouping.add(view, transform, clip, position as usize);
            }
        }
    }
    grouping.finished()
}

/// All events "now" in a screen cell, for listing a group too large to keep every frame.
pub fn events_in_cell(transform: ScreenFromWorld, view: &MapView<'_>, cell: (i32, i32)) -> Vec<EventIdx> {
    let visible = view.visible;
    let positions: Box<dyn Iterator<Item = usize>> = match visible.now_prefix() {
        Some(end) => Box::new(0..end),
        None => Box::new(visible.now_positions().iter().map(|&p| p as usize)),
    };
    positions
        .filter_map(|position| {
            let world = (*visible.order_points().get(position)?)?;
            let in_cell = cell_of(screen_pos(transform, world)) == cell;
            in_cell.then(|| visible.filtered().in_date_order().get(position).copied()).flatten()
        })
        .collect()
}

#[cfg(test)]
mod tests {
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
}
