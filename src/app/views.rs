//! Views: the app's state as a [`ViewLink`] to copy, and a view applied back, the dataset's
//! events looked up by id. A stale id is said in the status line, never a panic.

use std::path::Path;

use super::KronikaApp;
use crate::io::export::{ExportFormat, export_events};
use crate::model::EventIdx;
use crate::model::date::{date_from_day_number, day_number};
use crate::model::view_link::{VIEW_FILE_KEY, ViewLink, WindowSpec};
use crate::ui::command::ExportScope;
use crate::ui::style::palette_rgb;
use crate::ui::timeline::state::{MAX_VIEW_DAYS, MIN_VIEW_DAYS};

impl KronikaApp {
    /// Writes the events of `scope` to `path`, and says how it went in the status line.
    pub(super) fn export(&mut self, path: &Path, format: ExportFormat, scope: ExportScope) {
        let events: Vec<EventIdx> = match scope {
            ExportScope::All => {
                (0..self.report.dataset.events.len()).filter_map(|i| EventIdx::try_from(i).ok()).collect()
            }
            ExportScope::Matching => {
                let mut events = self.visible.filtered().in_date_order().to_vec();
                events.extend_from_slice(self.visible.undated());
                events
            }
            ExportScope::Now => self.visible.now_events().to_vec(),
        };
        self.windows.export = false;
        let shown = path.display();
        self.notice = Some(match export_events(&self.report.dataset, &events, format, &palette_rgb, path) {
            Ok(()) => format!("Exported {} events to {shown}", events.len()),
            Err(error) => format!("Could not export to {shown}: {error} (nothing was written)"),
        });
    }

    /// Saves the current view as a small JSON file that opens like data.
    pub(super) fn save_view(&mut self, path: &Path) {
        let file = serde_json::json!({ VIEW_FILE_KEY: self.current_view().to_text() });
        let text = serde_json::to_string_pretty(&file).unwrap_or_default();
        self.notice = Some(match crate::io::write_atomically(path, text.as_bytes()) {
            Ok(()) => format!("Saved the view to {}", path.display()),
            Err(error) => format!("Could not save the view to {}: {error}", path.display()),
        });
    }

    /// The current view, as a link.
    pub fn current_view(&self) -> ViewLink {
        let timeline = &self.view.timeline;
        #[expect(clippy::cast_possible_truncation, reason = "days fit an i32")]
        let day = |value: f64| date_from_day_number(value.floor() as i32);
        let filter = &self.view.filter;
        let text = |value: &str| (!value.is_empty()).then(|| value.to_owned());
        ViewLink {
            at: Some(day(timeline.cursor_day)),
            window: Some(if timeline.cumulative {
                WindowSpec::Cumulative
            } else {
                WindowSpec::Days(timeline.window_days)
            }),
            select: self.selection.selected.and_then(|idx| self.report.dataset.event(idx)).map(|e| e.id.to_string()),
            map: Some((self.view.map_center.1, self.view.map_center.0, self.view.map_zoom)),
            range: Some((day(timeline.view_start_day), day(timeline.view_start_day + timeline.view_length_days))),
            search: text(&filter.text),
            source: filter.source_id.clone(),
            place: filter.place_id.clone(),
            claim: filter.claim_status.clone(),
        }
    }

    /// Applies what `view` says; the rest stays. An unknown event id is reported.
    pub(super) fn apply_view(&mut self, view: ViewLink) {
        let timeline = &mut self.view.timeline;
        match view.window {
            Some(WindowSpec::Cumulative) => timeline.cumulative = true,
            Some(WindowSpec::Days(days)) => {
                timeline.cumulative = false;
                timeline.window_days = days;
            }
            None => {}
        }
        if let Some(at) = view.at {
            timeline.cursor_day = f64::from(day_number(at)) + 0.5;
        }
        if let Some((from, to)) = view.range {
            timeline.view_start_day = f64::from(day_number(from));
            timeline.view_length_days =
                f64::from(day_number(to) - day_number(from)).clamp(MIN_VIEW_DAYS, MAX_VIEW_DAYS);
        } else if let Some(at) = view.at
            && !timeline.shows(f64::from(day_number(at)))
        {
            let day = day_number(at);
            timeline.show_range(day - 45, day + 15);
        }
        let filter = &mut self.view.filter;
        if view.search.is_some() || view.source.is_some() || view.place.is_some() || view.claim.is_some() {
            filter.text = view.search.unwrap_or_default();
            filter.source_id = view.source;
            filter.place_id = view.place;
            filter.claim_status = view.claim;
        }
        if let Some((lat, lon, zoom)) = view.map {
            self.show_map_at((lon, lat), zoom);
        }
        self.notice = None;
        if let Some(id) = view.select {
            match self.report.dataset.event_idx(&id) {
                Some(idx) if view.at.is_some() => self.select_only(idx),
                Some(idx) => self.reveal_and_select(idx),
                None => self.notice = Some(format!("The view selects event {id:?}, which this dataset does not have")),
            }
        }
    }
}
