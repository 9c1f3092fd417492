//! The explorer's panels, one file each. Panels draw and return what the user asked for as
//! [`Command`]s; `app.rs` applies them after drawing, so map, timeline and list stay in sync.

pub mod basemap;
pub mod details;
pub mod event_list;
pub mod map;
pub mod problems;
pub mod reader;
pub mod style;
pub mod timeline;
pub mod top_bar;

use std::path::PathBuf;

use crate::model::{DayNumber, EventIdx};

/// Text cut to at most `max_chars` characters (with "…"), so a hostile file with a megabyte-long
/// title cannot freeze the layout. The data keeps the whole text.
pub fn clip_text(text: &str, max_chars: usize) -> std::borrow::Cow<'_, str> {
    match text.char_indices().nth(max_chars) {
        None => std::borrow::Cow::Borrowed(text),
        Some((cut, _)) => std::borrow::Cow::Owned(format!(
            "{}… [{} more characters]",
            text.get(..cut).unwrap_or_default(),
            text.chars().count() - max_chars
        )),
    }
}

/// Longest title shown whole.
pub const MAX_TITLE_CHARS: usize = 400;
/// Longest summary, note or quote shown whole.
pub const MAX_TEXT_CHARS: usize = 20_000;

/// Gives a widget without a visible label (a combo box) its accessible name, for screen readers and tests.
pub fn name_widget(response: &egui::Response, role: egui::Role, name: &str) {
    response.widget_info(|| egui::WidgetInfo::labeled(role, response.enabled(), name));
}

/// Something the user asked for, applied by the app after the frame's panels are drawn.
#[must_use]
#[derive(Clone, Debug, PartialEq)]
pub enum Command {
    /// Select an event (or clear the selection), pan the map to it and show its details.
    Select(Option<EventIdx>),
    /// Select an event and move the timeline cursor onto it.
    SelectAndReveal(EventIdx),
    /// The pointer rests on an event (or on none).
    Hover(Option<EventIdx>),
    /// Open a source in the reader, with a passage (character range) highlighted.
    OpenSource {
        /// The source's id.
        source_id: String,
        /// The passage to highlight and scroll to.
        focus: Option<(usize, usize)>,
    },
    /// Close the source reader.
    CloseReader,
    /// Move the timeline cursor to a day (fractional days scrub smoothly).
    SetCursor(f64),
    /// Select the next (+1) or previous (−1) event in date order.
    Step(i32),
    /// Start or stop playback.
    TogglePlay,
    /// Show the whole time range.
    FitAll,
    /// Show a range of days on the timeline and put the cursor at its end.
    ShowRange(DayNumber, DayNumber),
    /// Open another dataset.
    OpenDataset(PathBuf),
    /// Show or hide the list of load problems.
    ToggleProblems,
    /// Show the events of a map group in a list.
    ShowGroup(Vec<EventIdx>),
    /// Zoom and pan the map to show every event that matches the filters.
    FitMap,
}
