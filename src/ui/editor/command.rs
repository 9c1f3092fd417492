//! What the editor's windows ask for, and the state of their forms.

use std::path::PathBuf;

use crate::model::edit::RecordKind;
use crate::model::edit::event_form::{CitationEntry, EventForm};
use crate::model::edit::place_form::PlaceForm;
use crate::model::edit::source_form::SourceForm;

/// What the editor's windows ask the app to do.
#[derive(Clone, Debug, PartialEq)]
pub enum EditCommand {
    /// Show or hide the window that creates a new dataset.
    SetNewDatasetOpen(bool),
    /// Choose the new dataset's folder in the platform's dialog.
    ChooseNewDatasetFolder,
    /// The folder chosen for a new dataset (`None`: the window has taken it).
    NewDatasetFolderPicked(Option<PathBuf>),
    /// Create an empty dataset in a folder and open it.
    CreateDataset {
        /// The folder (created, or empty).
        dir: PathBuf,
        /// The dataset's name.
        name: String,
    },
    /// Open the window that adds a source.
    StartSource,
    /// The source window's fields changed.
    SetSourceDialog(Box<SourceDialog>),
    /// Read the file named in the source window as the source's text.
    ReadSourceFile,
    /// Choose the source's file in the platform's dialog.
    ChooseSourceFile,
    /// A file chosen in the dialog: read it as the source's text.
    SourceFilePicked(PathBuf),
    /// Add the source (new) or save its metadata (existing).
    ApplySource,
    /// Edit a source's metadata.
    EditSource(String),
    /// Mark a passage of a source.
    OpenPassages(String),
    /// The passage window's state changed (selection, search).
    SetPassages(Box<PassagePicker>),
    /// A new event citing this passage, in the event editor.
    NewEventFromPassage(CitationEntry),
    /// Add this passage to the event being edited, or to the selected event.
    CiteForEvent(CitationEntry),
    /// Edit an event.
    EditEvent(String),
    /// The event editor's fields changed.
    SetEventForm(Box<EventForm>),
    /// Write the event editor's event into the dataset.
    ApplyEvent,
    /// The next click on the map creates a place (or stops asking for it).
    PickPlaceOnMap(bool),
    /// A point was clicked on the map while picking a place.
    PlacePicked {
        /// Longitude.
        lon: f64,
        /// Latitude.
        lat: f64,
    },
    /// Edit a place of the gazetteer.
    EditPlace(String),
    /// The place window's fields changed.
    SetPlaceForm(Box<PlaceForm>),
    /// Write the place into the dataset.
    ApplyPlace,
    /// Ask before deleting a record (shows what refers to it).
    AskDelete(RecordKind, String),
    /// Delete the record asked about.
    ConfirmDelete,
    /// Close a window of the editor without applying it.
    Close(EditorWindow),
    /// Take the last edit back.
    Undo,
    /// Make the last undone edit again.
    Redo,
    /// Save the dataset.
    Save,
    /// What to do about files changed on disk.
    ResolveConflict(ConflictChoice),
    /// Show or hide the list of changes since the last save.
    SetChangesOpen(bool),
    /// Restore (true) or discard (false) edits recovered from a crash.
    Recover(bool),
}

/// The editor's windows, to close.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum EditorWindow {
    /// The event editor.
    Event,
    /// The place window.
    Place,
    /// The source window.
    Source,
    /// The passage window.
    Passages,
    /// The delete confirmation.
    Delete,
}

/// What to do when the dataset's files changed on disk since they were read.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ConflictChoice {
    /// Read the files again; the unsaved edits are dropped.
    Reload,
    /// Save the edits as a copy of the dataset beside it, and open the copy.
    KeepBoth,
    /// Go on editing; saving will ask again.
    KeepEditing,
}

/// The window that adds a source, or edits one's metadata.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct SourceDialog {
    /// The metadata.
    pub form: SourceForm,
    /// A file to read the text from (`.txt`, `.md`, `.html`).
    pub file: String,
    /// The verbatim text (pasted or read); fixed for an existing source.
    pub text: String,
    /// What went wrong reading the file.
    pub message: Option<String>,
}

/// The window where a passage of a source is marked.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PassagePicker {
    /// The source.
    pub source_id: String,
    /// The characters selected, `[start, end)`.
    pub selection: Option<(usize, usize)>,
    /// Words to find in the text (pasting a quote selects it).
    pub find: String,
}

/// What the editor's windows show: the draft and the open forms, read-only.
pub struct EditorView<'a> {
    /// The dataset as loaded from the draft (source texts, problems).
    pub dataset: &'a crate::model::Dataset,
    /// The records with the session's edits.
    pub draft: &'a crate::model::edit::Draft,
    /// The records as saved.
    pub saved: &'a crate::model::edit::Draft,
    /// How many records differ from the saved ones.
    pub changed_records: usize,
    /// The event being edited.
    pub event_form: Option<&'a EventForm>,
    /// The place being edited.
    pub place_form: Option<&'a PlaceForm>,
    /// The source being added or edited.
    pub source_dialog: Option<&'a SourceDialog>,
    /// The passage window.
    pub passages: Option<&'a PassagePicker>,
    /// The record about to be deleted.
    pub deleting: Option<(RecordKind, &'a str)>,
    /// Files changed on disk by someone else.
    pub conflict: Option<&'a [PathBuf]>,
    /// The changes list is open.
    pub changes_open: bool,
    /// The id of the selected event.
    pub selected_event: Option<String>,
}
