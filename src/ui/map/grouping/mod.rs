//! Markers grouped by cell: events closer than [`GROUP_CELL_PX`] become one marker with a count,
//! then groups whose circles would overlap are drawn as one ([`super::collisions`]).
//! The cells are fixed to the world at each zoom (not to the screen), and the grid covers the view
//! with a margin, so panning only moves the markers: nothing is grouped again until the view
//! leaves the margin or the zoom changes. One multiply-add and a few counters per event, read in
//! date order; in a cumulative view scrubbed forward only the events that joined are added.

use std::collections::HashMap;
use std::ops::Range;

use egui::{Pos2, Rect};

use super::collisions::{CellGroup, into_marker, marker_radius, separate};
use super::drawn::{DrawnMarker, MAX_LISTED_PER_MARKER};
use super::view::MapView;
use crate::model::{EventIdx, MarkerTraits, PackedPoint, ScreenFromWorld, WorldPoint};

/// Markers closer than this (in points) are drawn as one group with a count.
pub const GROUP_CELL_PX: f32 = 26.0;

/// The cell of a world position at a scale (points per unit of world): fixed to the world, so
/// the same wherever the map is panned.
pub fn world_cell(world: WorldPoint, scale: f64) -> (i32, i32) {
    let per_world = cells_per_world(scale);
    #[expect(clippy::cast_possible_truncation, reason = "cells of a world 2^24 points wide fit an i32")]
    let cell = ((world.x * per_world).floor() as i32, (world.y * per_world).floor() as i32);
    cell
}

/// Cells per unit of world at a scale.
fn cells_per_world(scale: f64) -> f64 {
    scale / f64::from(GROUP_CELL_PX)
}

/// Cells per unit of world at a scale, in 32.32 fixed point, so that the cell of a
/// [`PackedPoint`] is one integer multiply and a shift (no float conversions, no saturation
/// checks) for each coordinate.
fn cells_per_step(scale: f64) -> u64 {
    #[expect(clippy::cast_possible_truncation, clippy::cast_sign_loss, reason = "at most 2^24 cells · 2^32")]
    let fixed = (cells_per_world(scale) / PackedPoint::STEP).round() as u64;
    fixed
}

/// The cell of a packed position (`per_step` from [`cells_per_step`]).
#[inline]
fn cell_of_fixed((x, y): (u32, u32), per_step: u64) -> (i32, i32) {
    let along = |steps: u32| {
        // Steps below 2^32 times cells per world below 2^56: the product fits; its top 64 bits
        // are whole cells, below 2^24.
        #[expect(clippy::cast_possible_truncation, reason = "below 2^24 cells")]
        let cell = ((u128::from(steps) * u128::from(per_step)) >> 64) as i32;
        cell
    };
    (along(x), along(y))
}

/// One event as grouping reads it.
#[derive(Clone, Copy)]
struct EventAt {
    /// Its packed position.
    fixed: (u32, u32),
    /// Its position in date order.
    position: usize,
    traits: MarkerTraits,
    /// Its incident (index + 1), or 0.
    incident: u32,
}

/// The events of one cell grouped so far.
#[derive(Clone, Debug)]
struct Group {
    cell: (i32, i32),
    count: usize,
    /// The first events, in date order.
    events: Vec<EventIdx>,
    all_uncertain: bool,
    any_contested: bool,
    incident: Option<usize>,
    merged_accounts: usize,
    /// Sum of the events' positions, in fixed-point steps.
    sum: (u64, u64),
    /// Events per legend entry.
    categories: [u32; 32],
}

impl Group {
    fn new(cell: (i32, i32)) -> Self {
        Self {
            cell,
            count: 0,
            events: Vec::new(),
            all_uncertain: true,
            any_contested: false,
            incident: None,
            merged_accounts: 0,
            sum: (0, 0),
            categories: [0; 32],
        }
    }

    /// Adds another group of the same cell (of later events).
    fn absorb(&mut self, other: Self) {
        self.count += other.count;
        self.incident = None;
        let room = MAX_LISTED_PER_MARKER.saturating_sub(self.events.len());
        self.events.extend(other.events.into_iter().take(room));
        self.all_uncertain &= other.all_uncertain;
        self.any_contested |= other.any_contested;
        self.merged_accounts += other.merged_accounts;
        self.sum.0 += other.sum.0;
        self.sum.1 += other.sum.1;
        for (mine, theirs) in self.categories.iter_mut().zip(other.categories) {
            *mine += theirs;
        }
    }
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
    /// Per cell: index into `groups` + 1 (0 = empty).
    grid: Vec<u32>,
    groups: Vec<Group>,
    /// For each incident on the map (index + 1): the group of its first account.
    incident_groups: HashMap<u32, usize>,
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
        self.groups.clear();
        self.incident_groups.clear();
    }

    /// The grid slot of a cell, when the grid covers it.
    #[inline]
    fn slot_of(&self, cell: (i32, i32)) -> Option<usize> {
        let (Ok(column), Ok(row)) = (usize::try_from(cell.0 - self.origin.0), usize::try_from(cell.1 - self.origin.1))
        else {
            return None;
        };
        (column < self.columns && row < self.rows).then_some(row * self.columns + column)
    }

    /// Adds the events at a range of date-order positions. `per_step`: cells per fixed-point step.
    /// Reads 11 bytes an event (its packed position and traits); its index only while its group
    /// still lists its events.
    fn add_positions(&mut self, view: &MapView<'_>, per_step: u64, positions: Range<usize>) {
        let visible = view.visible;
        let first = positions.start;
        let points = visible.order_points().get(positions.clone()).unwrap_or_default();
        let traits = visible.order_traits().get(positions.clone()).unwrap_or_default();
        let order = visible.filtered().in_date_order();
        // Empty when no event belongs to an incident.
        let incidents = visible.order_incident().get(positions).unwrap_or_default();
        for (offset, (point, &traits)) in points.iter().zip(traits).enumerate() {
            if let Some(fixed) = point.fixed() {
                let incident = incidents.get(offset).copied().unwrap_or(0);
                let event = EventAt { fixed, position: first + offset, traits, incident };
                self.add(event, order, per_step);
            }
        }
    }

    /// Adds one event; `order`: the events in date order.
    #[inline]
    fn add(&mut self, event: EventAt, order: &[EventIdx], per_step: u64) {
        let EventAt { fixed, position, traits, incident } = event;
        if incident != 0
            && let Some(&index) = self.incident_groups.get(&incident)
            && let Some(group) = self.groups.get_mut(index)
        {
            // Another account of an incident already on the map: shown with it, counted once.
            if group.events.len() < MAX_LISTED_PER_MARKER {
                group.events.extend(order.get(position));
            }
            group.merged_accounts += 1;
            if group.count == 1 {
                group.incident = Some(incident as usize - 1);
            }
            return;
        }
        let cell = cell_of_fixed(fixed, per_step);
        let Some(slot) = self.slot_of(cell) else { return };
        let Some(entry) = self.grid.get_mut(slot) else { return };
        if *entry == 0 {
            self.groups.push(Group::new(cell));
            *entry = u32::try_from(self.groups.len()).unwrap_or(u32::MAX);
        }
        let index = *entry as usize - 1;
        let Some(group) = self.groups.get_mut(index) else { return };
        group.count += 1;
        if group.count > 1 {
            group.incident = None;
        }
        if group.events.len() < MAX_LISTED_PER_MARKER {
            group.events.extend(order.get(position));
        }
        group.all_uncertain &= traits.uncertain;
        group.any_contested |= traits.contested;
        if let Some(count) = group.categories.get_mut(usize::from(traits.category)) {
            *count += 1;
        }
        group.sum.0 += u64::from(fixed.0);
        group.sum.1 += u64::from(fixed.1);
        if incident != 0 {
            self.incident_groups.insert(incident, index);
        }
    }

    /// Adds the first `end` events in date order: on all cores when there are many (and no
    /// incidents, whose accounts join across chunks), each chunk into a grid of its own, the grids
    /// merged in order — the same groups, in the same order, as one pass.
    fn add_prefix(&mut self, view: &MapView<'_>, per_step: u64, end: usize) {
        const PARALLEL_FROM: usize = 200_000;
        let points = view.visible.order_points().get(..end).unwrap_or_default();
        if end < PARALLEL_FROM || !view.visible.order_incident().is_empty() {
            self.add_positions(view, per_step, 0..end);
            return;
        }
        let chunk_len = end.div_ceil(crate::parallel::threads() * 2);
        let partials = crate::parallel::map_chunks(points, chunk_len, |start, chunk| {
            let mut partial = self.empty_like();
            partial.add_positions(view, per_step, start..start + chunk.len());
            partial
        });
        for (number, partial) in partials.into_iter().enumerate() {
            if let Ok(partial) = partial {
                self.absorb(partial);
            } else {
                // A worker that failed: its events are grouped here instead, so none is lost.
                let start = number * chunk_len;
                self.add_positions(view, per_step, start..(start + chunk_len).min(end));
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
            groups: Vec::new(),
            incident_groups: HashMap::new(),
        }
    }

    /// Adds another grid's groups (of later events) to these.
    fn absorb(&mut self, other: Self) {
        for group in other.groups {
            let Some(slot) = self.slot_of(group.cell) else { continue };
            let Some(entry) = self.grid.get_mut(slot) else { continue };
            if *entry == 0 {
                self.groups.push(group);
                *entry = u32::try_from(self.groups.len()).unwrap_or(u32::MAX);
            } else if let Some(mine) = self.groups.get_mut(*entry as usize - 1) {
                mine.absorb(group);
            }
        }
    }

    /// The groups whose centre is in `clip` as drawn at `transform`: centred on their events, each
    /// sized as if alone.
    fn in_clip(&self, transform: ScreenFromWorld, clip: Rect) -> Vec<CellGroup> {
        let [offset_x, offset_y] = transform.offset();
        let scale = transform.scale();
        let largest = self.groups.iter().map(|g| g.count).max().unwrap_or(1);
        let screen_per_step = scale * PackedPoint::STEP;
        let mut groups = Vec::new();
        for group in &self.groups {
            #[expect(clippy::cast_precision_loss, reason = "counts and sums far below 2^52 steps")]
            let (count, sum_x, sum_y) = (group.count as f64, group.sum.0 as f64, group.sum.1 as f64);
            #[expect(clippy::cast_possible_truncation, reason = "screen coordinates")]
            let center = Pos2::new(
                (sum_x / count * screen_per_step + f64::from(offset_x)) as f32,
                (sum_y / count * screen_per_step + f64::from(offset_y)) as f32,
            );
            if !clip.contains(center) {
                continue;
            }
            let marker = DrawnMarker {
                center,
                radius: marker_radius(group.count, largest),
                count: group.count,
                events: group.events.clone(),
                cells: vec![group.cell],
                slot: 0,
                all_uncertain: group.all_uncertain,
                any_contested: group.any_contested,
                incident: group.incident,
                merged_accounts: group.merged_accounts,
            };
            groups.push(CellGroup { marker, categories: group.categories });
        }
        groups
    }
}

/// Groups the events that are "now" by screen cell, then merges groups that would overlap (unless
/// the map draws density, whose cells are meant to touch); in a cumulative view scrubbed forward
/// with the map still, only the new events are added to last frame's groups.
pub fn group_markers(
    transform: ScreenFromWorld,
    clip: Rect,
    view: &MapView<'_>,
    grouping: &mut MarkerGrouping,
) -> Vec<DrawnMarker> {
    let scale = transform.scale();
    let per_step = cells_per_step(scale);
    let made_for = (scale.to_bits(), view.visible.generation());
    let cells = clip_cells(transform, clip);
    let same = grouping.made_for == Some(made_for) && grouping.covers(cells);
    match (view.visible.now_prefix(), grouping.grouped_prefix) {
        (Some(end), Some(grouped)) if same && end >= grouped => {
            grouping.add_positions(view, per_step, grouped..end);
            grouping.grouped_prefix = Some(end);
        }
        (Some(end), _) => {
            grouping.reset(cells, made_for);
            grouping.add_prefix(view, per_step, end);
            grouping.grouped_prefix = Some(end);
        }
        (None, _) => {
            grouping.reset(cells, made_for);
            for &position in view.visible.now_positions() {
                grouping.add_positions(view, per_step, position as usize..position as usize + 1);
            }
        }
    }
    let groups = grouping.in_clip(transform, clip);
    if view.density {
        // Every cell on its own, coloured by its most frequent category.
        return groups.into_iter().map(|group| into_marker(group, view.dataset)).collect();
    }
    separate(groups, view.dataset)
}

/// All events "now" in some cells, in date order, for listing a group too large to keep every frame.
pub fn events_in_cells(transform: ScreenFromWorld, view: &MapView<'_>, cells: &[(i32, i32)]) -> Vec<EventIdx> {
    let visible = view.visible;
    let per_step = cells_per_step(transform.scale());
    let positions: Box<dyn Iterator<Item = usize>> = match visible.now_prefix() {
        Some(end) => Box::new(0..end),
        None => Box::new(visible.now_positions().iter().map(|&p| p as usize)),
    };
    positions
        .filter_map(|position| {
            let fixed = visible.order_points().get(position)?.fixed()?;
            let in_cells = cells.contains(&cell_of_fixed(fixed, per_step));
            in_cells.then(|| visible.filtered().in_date_order().get(position).copied()).flatten()
        })
        .collect()
}

#[cfg(test)]
mod tests;
