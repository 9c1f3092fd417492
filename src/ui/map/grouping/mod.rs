//! Markers grouped by cell: events closer than [`GROUP_CELL_PX`] become one marker with a count,
//! then groups whose circles would overlap are drawn as one ([`super::collisions`]).
//! The cells are fixed to the world at each zoom (not to the screen), and the grid covers the view
//! with a margin, so panning only moves the markers: nothing is grouped again until the view
//! leaves the margin or the zoom changes. One multiply-add and a few counters per event, read in
//! date order; in a cumulative view scrubbed forward only the events that joined are added. When
//! the zoom changes over hundreds of thousands of events, the new grouping is made off the frame
//! ([`background`]) while the frame shows the groups it had.

mod background;
mod grid;

use egui::Rect;

use self::background::{Regroup, RegroupState};
pub use self::grid::GROUP_CELL_PX;
use self::grid::{CellGrid, cell_of_fixed, clip_cells};
use super::collisions::{into_marker, separate};
use super::drawn::DrawnMarker;
use super::view::MapView;
use crate::model::{EventIdx, MapColumns, ScreenFromWorld};

/// Events from which a regroup for a new view (a zoom) runs off the frame while the frame shows
/// the groups it had.
const OFF_FRAME_FROM: usize = 200_000;

/// Markers being grouped, kept between frames: when the zoom and the data are the same and the view
/// is still inside the grid's margin, panning reuses the groups and only later events that joined
/// a cumulative view (scrubbing or playing forward) are added. When the view changes and many
/// events must be grouped again, that runs off the frame ([`Regroup`]).
#[derive(Debug)]
pub struct MarkerGrouping {
    /// The groups drawn.
    grid: CellGrid,
    /// A regroup for a new view, running off the frame.
    regroup: Option<Regroup>,
    /// Events from which a regroup runs off the frame.
    off_frame_from: usize,
}

impl Default for MarkerGrouping {
    fn default() -> Self {
        Self { grid: CellGrid::default(), regroup: None, off_frame_from: OFF_FRAME_FROM }
    }
}

impl MarkerGrouping {
    /// A grouping that regroups off the frame from `events` (tests use a few thousand).
    #[cfg(test)]
    fn off_frame_from(events: usize) -> Self {
        Self { off_frame_from: events, ..Self::default() }
    }

    /// Whether a regroup is running off the frame: the groups shown are of an earlier view, and
    /// a frame should follow soon to show the exact ones.
    pub fn is_regrouping(&self) -> bool {
        self.regroup.is_some()
    }

    /// Whether a regroup off the frame is done, so the next frame shows its groups.
    pub fn regroup_done(&self) -> bool {
        self.regroup.as_ref().is_some_and(Regroup::is_done)
    }

    /// Takes the grid of a regroup that landed, when it is of the data shown (`generation`).
    fn land(&mut self, generation: u64) {
        let Some(regroup) = &self.regroup else { return };
        match regroup.poll() {
            RegroupState::Running => {}
            RegroupState::Landed(grid) => {
                self.regroup = None;
                if grid.made_for.is_some_and(|(_, made)| made == generation) {
                    self.grid = grid;
                }
            }
            RegroupState::Lost => {
                // It failed, and would again: from now on this grouping groups on the frame.
                self.regroup = None;
                self.off_frame_from = usize::MAX;
            }
        }
    }

    /// Whether the groups shown may stay while a regroup for `made_for` runs off the frame: they
    /// are of the same data, at most `end` events (the later ones are added to them), and there
    /// are enough events to be worth it. Starts the regroup unless one is running already (when
    /// it lands, the next frame starts one for the view of then).
    fn regroup_off_frame(
        &mut self,
        columns: &MapColumns,
        cells: ((i32, i32), (i32, i32)),
        made_for: (u64, u64),
        end: usize,
    ) -> bool {
        let same_data = self.grid.made_for.is_some_and(|(_, generation)| generation == made_for.1);
        if !same_data || end < self.off_frame_from {
            return false;
        }
        // One at a time; one for data since changed (a new filter) is let go.
        if self.regroup.as_ref().is_none_or(|running| running.generation() != made_for.1) {
            self.regroup = Regroup::start(columns.clone(), cells, made_for, end);
        }
        self.regroup.is_some()
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
    let made_for = (transform.scale().to_bits(), view.visible.generation());
    let cells = clip_cells(transform, clip);
    let columns = view.visible.map_columns();
    grouping.land(made_for.1);
    let same = grouping.grid.made_for == Some(made_for) && grouping.grid.covers(cells);
    match (view.visible.now_prefix(), grouping.grid.grouped_prefix) {
        (Some(end), Some(grouped))
            if end >= grouped && (same || grouping.regroup_off_frame(columns, cells, made_for, end)) =>
        {
            grouping.grid.add_positions(columns, grouped..end);
            grouping.grid.grouped_prefix = Some(end);
        }
        (Some(end), _) => {
            grouping.grid.reset(cells, made_for);
            grouping.grid.add_prefix(columns, end);
            grouping.grid.grouped_prefix = Some(end);
        }
        (None, _) => {
            // A regroup off the frame is for a cumulative view: not this one.
            grouping.regroup = None;
            // The events of a window: grouped again only when the window or the view changed.
            let window = view.visible.now_window();
            if !(same && window.is_some() && grouping.grid.grouped_window == window) {
                grouping.grid.reset(cells, made_for);
                grouping.grid.add_listed(columns, view.visible.now_positions());
                grouping.grid.grouped_window = window;
            }
        }
    }
    let groups = grouping.grid.in_clip(transform, clip);
    if view.density {
        // Every cell on its own, coloured by its most frequent category.
        return groups.into_iter().map(|group| into_marker(group, view.dataset)).collect();
    }
    separate(groups, view.dataset)
}

/// All events "now" in some cells (at `cells_per_step`: see [`DrawnMarker::cells_per_step`]), in
/// date order, for listing a group too large to keep every frame.
pub fn events_in_cells(view: &MapView<'_>, per_step: u64, cells: &[(i32, i32)]) -> Vec<EventIdx> {
    let visible = view.visible;
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
