//! The grid markers are grouped on: cells fixed to the world at one scale, over the view and a
//! margin, each cell's events counted, located and coloured. One multiply-add and a few counters
//! per event, read in date order; made on the frame or, for a large regroup, off it
//! ([`super::background`]).

use std::collections::HashMap;
use std::ops::Range;

use egui::{Pos2, Rect};

use crate::model::{EventIdx, MapColumns, MarkerTraits, NowWindow, PackedPoint, ScreenFromWorld, WorldPoint};
use crate::ui::map::collisions::{CellGroup, marker_radius};
use crate::ui::map::drawn::{DrawnMarker, MAX_LISTED_PER_MARKER};

/// Events from which a grouping runs on all cores.
pub const PARALLEL_FROM: usize = 200_000;

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
pub fn cells_per_world(scale: f64) -> f64 {
    scale / f64::from(GROUP_CELL_PX)
}

/// Cells per unit of world at a scale, in 32.32 fixed point, so that the cell of a
/// [`PackedPoint`] is one integer multiply and a shift (no float conversions, no saturation
/// checks) for each coordinate.
pub fn cells_per_step(scale: f64) -> u64 {
    #[expect(clippy::cast_possible_truncation, clippy::cast_sign_loss, reason = "at most 2^24 cells · 2^32")]
    let fixed = (cells_per_world(scale) / PackedPoint::STEP).round() as u64;
    fixed
}

/// The cell of a packed position (`per_step` from [`cells_per_step`]).
#[inline]
pub fn cell_of_fixed((x, y): (u32, u32), per_step: u64) -> (i32, i32) {
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

/// Events grouped by the cells of one scale over a grid of cells: the view and a margin.
#[derive(Debug, Default)]
pub struct CellGrid {
    /// What the grouping was made for: the scale's bits and the data generation.
    pub made_for: Option<(u64, u64)>,
    /// Cells per fixed-point step at that scale ([`cells_per_step`]).
    pub per_step: u64,
    /// The prefix of the date order grouped (`None` when made from explicit positions).
    pub grouped_prefix: Option<usize>,
    /// The window whose events were grouped, when made from explicit positions.
    pub grouped_window: Option<NowWindow>,
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
pub fn clip_cells(transform: ScreenFromWorld, clip: Rect) -> ((i32, i32), (i32, i32)) {
    let first = world_cell(transform.world_from_screen([clip.min.x, clip.min.y]), transform.scale());
    let last = world_cell(transform.world_from_screen([clip.max.x, clip.max.y]), transform.scale());
    (first, last)
}

impl CellGrid {
    /// How many cells have events.
    #[cfg(test)]
    pub fn group_count(&self) -> usize {
        self.groups.len()
    }

    /// Whether the grid covers the cells of this clip.
    pub fn covers(&self, cells: ((i32, i32), (i32, i32))) -> bool {
        let ((x0, y0), (x1, y1)) = cells;
        let (ox, oy) = self.origin;
        #[expect(clippy::cast_possible_truncation, clippy::cast_possible_wrap, reason = "small grids")]
        let (ex, ey) = (ox + self.columns as i32, oy + self.rows as i32);
        x0 >= ox && y0 >= oy && x1 < ex && y1 < ey
    }

    /// An empty grid over the cells of a clip (and half a view of margin), for the data generation
    /// and scale of `made_for`.
    pub fn new(cells: ((i32, i32), (i32, i32)), made_for: (u64, u64)) -> Self {
        let mut grid = Self::default();
        grid.reset(cells, made_for);
        grid
    }

    /// Empties the grid and sets it over the cells of a clip, for `made_for`.
    pub fn reset(&mut self, cells: ((i32, i32), (i32, i32)), made_for: (u64, u64)) {
        let ((x0, y0), (x1, y1)) = cells;
        // Half a view of margin on every side: panning that far needs no new grouping.
        let (margin_x, margin_y) = ((x1 - x0) / 2 + 1, (y1 - y0) / 2 + 1);
        self.origin = (x0 - margin_x, y0 - margin_y);
        #[expect(clippy::cast_sign_loss, reason = "positive by construction")]
        let (columns, rows) = ((x1 - x0 + 1 + 2 * margin_x) as usize, (y1 - y0 + 1 + 2 * margin_y) as usize);
        self.made_for = Some(made_for);
        self.per_step = cells_per_step(f64::from_bits(made_for.0));
        self.grouped_prefix = None;
        self.grouped_window = None;
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

    /// Adds the events at a range of date-order positions. Reads 11 bytes an event (its packed
    /// position and traits); its index only while its group still lists its events.
    pub fn add_positions(&mut self, columns: &MapColumns, positions: Range<usize>) {
        let first = positions.start;
        let points = columns.points().get(positions.clone()).unwrap_or_default();
        let traits = columns.traits().get(positions.clone()).unwrap_or_default();
        let order = columns.in_date_order();
        // Empty when no event belongs to an incident.
        let incidents = columns.incidents().get(positions).unwrap_or_default();
        let per_step = self.per_step;
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

    /// Adds the first `end` events in date order: on all cores when there are many (see
    /// [`Self::add_in_parts`]).
    pub fn add_prefix(&mut self, columns: &MapColumns, end: usize) {
        let points = columns.points().get(..end).unwrap_or_default();
        let incidents = !columns.incidents().is_empty();
        self.add_in_parts(points, incidents, |grid, start, chunk| {
            grid.add_positions(columns, start..start + chunk.len());
        });
    }

    /// Adds the events at `positions` in the date order (ascending): on all cores when there are
    /// many (see [`Self::add_in_parts`]).
    pub fn add_listed(&mut self, columns: &MapColumns, positions: &[u32]) {
        let incidents = !columns.incidents().is_empty();
        self.add_in_parts(positions, incidents, |grid, _, positions| {
            let order = columns.in_date_order();
            for &position in positions {
                let position = position as usize;
                let (Some(point), Some(&traits)) = (columns.points().get(position), columns.traits().get(position))
                else {
                    continue;
                };
                if let Some(fixed) = point.fixed() {
                    let incident = columns.incidents().get(position).copied().unwrap_or(0);
                    grid.add(EventAt { fixed, position, traits, incident }, order, grid.per_step);
                }
            }
        });
    }

    /// `add(grid, first, items)` for `items` (in date order, the first at `first`): when there are
    /// many (and no incidents, whose accounts join across parts), on all cores, each part into a
    /// grid of its own, the grids merged in order — the same groups, in the same order, as one pass.
    fn add_in_parts<T: Sync>(&mut self, items: &[T], incidents: bool, add: impl Fn(&mut Self, usize, &[T]) + Sync) {
        if items.len() < PARALLEL_FROM || incidents {
            add(self, 0, items);
            return;
        }
        let chunk_len = items.len().div_ceil(crate::parallel::threads() * 2);
        let partials = crate::parallel::map_chunks(items, chunk_len, |start, chunk| {
            let mut partial = self.empty_like();
            add(&mut partial, start, chunk);
            partial
        });
        for (number, partial) in partials.into_iter().enumerate() {
            if let Ok(partial) = partial {
                self.absorb(partial);
            } else {
                // A worker that failed: its events are grouped here instead, so none is lost.
                let start = number * chunk_len;
                add(self, start, items.get(start..(start + chunk_len).min(items.len())).unwrap_or_default());
            }
        }
    }

    /// An empty grid over the same cells.
    fn empty_like(&self) -> Self {
        Self {
            made_for: self.made_for,
            per_step: self.per_step,
            grouped_prefix: None,
            grouped_window: None,
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
    pub fn in_clip(&self, transform: ScreenFromWorld, clip: Rect) -> Vec<CellGroup> {
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
                cells_per_step: self.per_step,
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
