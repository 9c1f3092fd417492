//! What a panel, a key or the clock asks the app to do. Panels draw from read-only state and
//! return commands; the app applies them after drawing, in one place (`app/command.rs`), so the
//! map, the timeline and the list never disagree within a frame.

use std::path::PathBuf;

use crate::io::formats::columns::ColumnRole;
use crate::io::{LoadOptions, LoadReport};
use crate::model::playback::StepDirection;
use crate::model::{DayNumber, EventFilter, EventIdx};
use crate::tiles::MapLayer;

/// A change to the open story.
#[derive(Clone, Debug, PartialEq)]
pub enum StoryEdit {
    /// Start a new story whose first step is the current view.
    NewStory,
    /// Add the current view as a step after the one shown.
    AddCurrentView,
    /// Give a step the current view.
    UpdateView(usize),
    /// A step's new title.
    SetTitle(usize, String),
    /// A step's new caption.
    SetCaption(usize, String),
    /// Move a step up (−1) or down (+1).
    Move(usize, i8),
    /// Delete a step.
    Delete(usize),
}

/// Which file dialog to show.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum OpenDialog {
    /// Open data files or a tile archive.
    File,
    /// Open a dataset folder.
    Folder,
    /// Choose a text, Markdown or HTML file to add as a source.
    SourceText,
    /// Choose (or make) the folder of a new dataset.
    NewDatasetFolder,
    /// Choose where to save.
    Save {
        /// The name proposed.
        file_name: String,
        /// The extension (and its filter).
        extension: &'static str,
        /// What to do with the chosen path.
        then: SaveTarget,
    },
}

/// What a save dialog's path is for.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SaveTarget {
    /// Export events in this format, these events.
    Export(crate::io::export::ExportFormat, ExportScope),
    /// Save the current view as a small file.
    View,
    /// Save a picture of the window.
    Picture,
}

impl SaveTarget {
    /// The command for the chosen path.
    pub fn command(self, path: PathBuf) -> Command {
        match self {
            Self::Export(format, scope) => Command::Export { path, format, scope },
            Self::View => Command::SaveView(path),
            Self::Picture => Command::ExportPicture(path),
        }
    }
}

/// Which events an export writes.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum ExportScope {
    /// Those matching the filters, at any date.
    #[default]
    Matching,
    /// Those "now": matching and in the time window.
    Now,
    /// Every event of the dataset.
    All,
}

/// Files (or one folder) to open together as one dataset.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct OpenRequest {
    /// The files, or one dataset folder; tile archives among them become the map layer.
    pub paths: Vec<PathBuf>,
    /// How to read files from other tools. With no columns given, a spreadsheet whose columns
    /// are only guessed is shown in the column-mapping dialog before it loads.
    pub options: LoadOptions,
}

impl OpenRequest {
    /// Opens `paths` with the default options.
    pub fn paths(paths: Vec<PathBuf>) -> Self {
        Self { paths, options: LoadOptions::default() }
    }
}

/// One change of app state.
#[must_use]
#[derive(Debug)]
pub enum Command {
    /// Build or correct the dataset (the editor).
    Edit(crate::ui::editor::EditCommand),
    /// Select an event (or clear the selection), pan the map to it and show its details.
    Select(Option<EventIdx>),
    /// Select an event and move the timeline cursor onto it.
    SelectAndReveal(EventIdx),
    /// The pointer rests on an event (or on none).
    Hover(Option<EventIdx>),
    /// Select the next or previous event in date order.
    Step(StepDirection),
    /// Show the accounts of an incident side by side (by its index), or close them.
    ShowIncident(Option<usize>),
    /// Show the events of a map group in a list.
    ShowGroup(Vec<EventIdx>),
    /// Close the list of a map group.
    CloseGroup,
    /// The event list has scrolled to the selected event.
    ListScrolled,

    /// Open a source in the reader, with a passage (character range) highlighted.
    OpenSource {
        /// The source's id.
        source_id: String,
        /// The passage to highlight and scroll to.
        focus: Option<(usize, usize)>,
    },
    /// The reader has scrolled its passage into view.
    ReaderScrolled,
    /// Highlight the next or previous cited passage of the open source.
    ReaderStep(StepDirection),
    /// Close the source reader.
    CloseReader,

    /// Move the timeline cursor to a day (fractional days scrub smoothly).
    SetCursor(f64),
    /// Show `length_days` days on the timeline, from `start_day`.
    SetTimelineView {
        /// Day at the left edge.
        start_day: f64,
        /// Days across the strip.
        length_days: f64,
    },
    /// Show every event up to the cursor (true) or only those in the window (false).
    SetCumulative(bool),
    /// Set the width of the "now" window, in days.
    SetWindowDays(f64),
    /// Set the playback speed.
    SetPlaybackSpeed(f64),
    /// Start or stop playback.
    TogglePlay,
    /// Show the whole time range.
    FitAll,
    /// Show a range of days on the timeline and put the cursor at its end.
    ShowRange(DayNumber, DayNumber),
    /// Time passes: playback advances and the map's pan animation moves on.
    Tick {
        /// The frame's time, in seconds since the app started.
        now_secs: f64,
    },

    /// Narrow the events: search text, categories, source, place, claim status.
    SetFilter(EventFilter),

    /// The map widget's memory (pan and zoom gestures) as it left this frame.
    UpdateMapMemory(Box<walkers::MapMemory>),
    /// Zoom the map in (+1) or out (−1) one level.
    ZoomMap(i8),
    /// Zoom and pan the map to show every event that matches the filters.
    FitMap,
    /// Draw the map with this layer under the markers.
    SetMapLayer(MapLayer),
    /// Show or hide the legend.
    SetLegendOpen(bool),
    /// Show or hide place labels.
    SetPlaceLabels(bool),
    /// Draw the events as a density layer (`Some(true)`), as markers (`Some(false)`), or choose by
    /// their number (`None`).
    SetDensityLayer(Option<bool>),
    /// Colour the events by a field's values (or by category, for `None`).
    ColourBy(Option<String>),

    /// Open a dataset, or a tile archive (`.pmtiles`, `.mbtiles`) as the map layer.
    OpenPath(PathBuf),
    /// Open several files together as one dataset.
    OpenFiles(OpenRequest),
    /// In the column-mapping dialog: `role` is read from `column` (or from none).
    SetColumn {
        /// The part of an event.
        role: ColumnRole,
        /// The header's name of the column, or none.
        column: Option<String>,
    },
    /// Close the column-mapping dialog without loading.
    CancelColumns,
    /// Show what a view says: cursor, window, filters, map, selection.
    ApplyView(Box<crate::model::view_link::ViewLink>),
    /// Read a view's text and apply it, or say why it is not a view.
    OpenView(String),
    /// Show or hide the window where a view's text can be pasted.
    SetViewWindowOpen(bool),
    /// Show the platform's file dialog.
    ShowOpenDialog(OpenDialog),
    /// Write events to a file.
    Export {
        /// Where.
        path: PathBuf,
        /// In which format.
        format: crate::io::export::ExportFormat,
        /// Which events.
        scope: ExportScope,
    },
    /// Save the current view to a small file that opens like data.
    SaveView(PathBuf),
    /// Save a picture of the window as it is drawn to a PNG file.
    ExportPicture(PathBuf),
    /// A picture was saved (its path), or why not.
    PictureSaved(Result<String, String>),
    /// Show or hide the export window.
    SetExportWindowOpen(bool),
    /// Show or hide the story window.
    SetStoryWindowOpen(bool),
    /// Open a story (by index) at its first step, or go back to the list.
    OpenStory(Option<usize>),
    /// Show a step of the open story: its view applied.
    GoToStep(usize),
    /// Change the open story.
    EditStory(StoryEdit),
    /// Edit the open story (true) or read it.
    SetStoryEditing(bool),
    /// Hide everything but the map, the timeline and the story.
    SetPresenting(bool),
    /// Write the dataset's stories to its `stories.json`.
    SaveStories,
    /// The open dialog closed.
    DialogClosed,
    /// Show or hide the window where a path can be typed.
    SetPathWindowOpen(bool),
    /// A dataset finished loading.
    DatasetLoaded(Box<LoadReport>),
    /// Show or hide the list of load problems.
    SetProblemsOpen(bool),
    /// Show or hide the keyboard shortcuts.
    SetShortcutsOpen(bool),
    /// List the events "now" newest first (true) or oldest first.
    SetListNewestFirst(bool),
    /// Show or hide the right panel.
    SetSidePanelOpen(bool),
    /// Use the dark theme (true) or the light one.
    SetDarkMode(bool),
    /// Write the view settings if they changed.
    SaveSettings,
}
