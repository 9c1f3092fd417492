//! What the app shows, read by tests and benchmarks (which change it only through commands).

use super::{KronikaApp, ViewState};
use crate::io::LoadReport;
use crate::model::{Dataset, EventIdx, TimeIndex};
use crate::ui;
use crate::ui::map::DrawnMarker;
use crate::ui::map::view::Spread;
use crate::ui::reader::ReaderState;

impl KronikaApp {
    /// The persisted view state.
    pub fn view(&self) -> &ViewState {
        &self.view
    }

    /// The last load: the dataset and its problems.
    pub fn report(&self) -> &LoadReport {
        &self.report
    }

    /// The loaded dataset.
    pub fn dataset(&self) -> &Dataset {
        &self.report.dataset
    }

    /// The selected event.
    pub fn selected(&self) -> Option<EventIdx> {
        self.selection.selected
    }

    /// The hovered event.
    pub fn hovered(&self) -> Option<EventIdx> {
        self.selection.hovered
    }

    /// The column-mapping dialog, while a spreadsheet waits for its columns.
    pub fn column_dialog(&self) -> Option<&ui::columns::ColumnDialog> {
        self.windows.columns.as_ref()
    }

    /// The incident whose accounts are compared (its index in the dataset's incidents).
    pub fn shown_incident(&self) -> Option<usize> {
        self.selection.incident
    }

    /// The events of the map group whose list is open.
    pub fn group(&self) -> Option<&[EventIdx]> {
        self.selection.group.as_deref()
    }

    /// Events at one point, spread around it on the map.
    pub fn spread(&self) -> Option<&Spread> {
        self.selection.spread.as_ref()
    }

    /// The source open in the reader.
    pub fn reader(&self) -> Option<&ReaderState> {
        self.selection.reader.as_ref()
    }

    /// Whether the load problems window is open.
    pub fn problems_open(&self) -> bool {
        self.windows.problems
    }

    /// The index of the events matching the filters.
    pub fn filtered_index(&self) -> &TimeIndex {
        self.visible.filtered()
    }

    /// Events that are "now" and match the filters, in date order.
    pub fn now_events(&self) -> &[EventIdx] {
        self.visible.now_events()
    }

    /// The best search matches over all dates, best first, and how many match in all.
    pub fn search_results(&self) -> (&[EventIdx], usize) {
        self.visible.search_results()
    }

    /// The markers drawn in the last frame.
    pub fn drawn_markers(&self) -> &[DrawnMarker] {
        &self.map.drawn
    }

    /// The map's centre (lon, lat) and zoom.
    pub fn map_view(&self) -> ((f64, f64), f64) {
        (self.view.map_center, self.view.map_zoom)
    }

    /// Whether the map's groups are being made off the frame for a new view (and whether that is
    /// done, so the next frame shows them).
    pub fn map_regrouping(&self) -> (bool, bool) {
        (self.map.grouping.is_regrouping(), self.map.grouping.regroup_done())
    }
}

impl KronikaApp {
    /// Keeps unsaved edits against a crash in `folder`, and offers back those kept there for the
    /// loaded dataset (tests and `kronika` itself choose the folder).
    #[must_use]
    pub fn with_recovery_dir(mut self, folder: std::path::PathBuf) -> Self {
        self.recovery_dir = Some(folder);
        let dir = self.report.path.clone();
        if dir.is_dir() {
            self.look_for_recovery(&dir);
        }
        self
    }

    /// The records of the dataset being edited, with the session's edits (none: not editing).
    pub fn draft(&self) -> Option<&crate::model::edit::Draft> {
        self.editing.as_ref().map(|editing| &editing.draft)
    }

    /// True when edits are not saved.
    pub fn has_unsaved_edits(&self) -> bool {
        self.editing.as_ref().is_some_and(super::edit_state::Editing::unsaved)
    }

    /// True when the map draws density rather than markers: as the user chose, or past
    /// [`DENSITY_AUTO_EVENTS`](super::state::DENSITY_AUTO_EVENTS) events in view.
    pub fn density_shown(&self) -> bool {
        self.view.density_layer.unwrap_or_else(|| self.visible.now_events().len() > super::state::DENSITY_AUTO_EVENTS)
    }

    /// The message of the status line, if any.
    pub fn notice(&self) -> Option<&str> {
        self.notice.as_deref()
    }
}
