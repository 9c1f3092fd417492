//! The state of a dataset being edited: its draft, history and the editor's open windows.

use std::path::{Path, PathBuf};

use crate::io::workspace::{self, Workspace};
use crate::model::edit::event_form::EventForm;
use crate::model::edit::place_form::PlaceForm;
use crate::model::edit::{Draft, History, RecordKind};
use crate::ui::editor::{PassagePicker, SourceDialog};

/// How often the dataset's files are looked at for changes made by someone else.
pub(super) const DISK_CHECK_SECS: f64 = 2.0;

/// A dataset being edited, and the editor's open windows.
#[derive(Debug)]
pub(super) struct Editing {
    pub(super) workspace: Workspace,
    /// The records with the session's edits.
    pub(super) draft: Draft,
    pub(super) history: History,
    pub(super) event_form: Option<EventForm>,
    /// A place being created or edited; `true` when the event editor waits for it.
    pub(super) place_form: Option<(PlaceForm, bool)>,
    pub(super) source_dialog: Option<SourceDialog>,
    pub(super) passages: Option<PassagePicker>,
    /// A record about to be deleted.
    pub(super) deleting: Option<(RecordKind, String)>,
    /// The next map click creates a place.
    pub(super) picking_place: bool,
    /// Files someone else changed since they were read.
    pub(super) conflict: Option<Vec<PathBuf>>,
    pub(super) changes_open: bool,
    /// Records that differ from the saved ones, counted when the draft or the saved records
    /// change (the Edit menu shows it every frame).
    pub(super) changed_records: usize,
    /// The files' sizes and times when last looked at.
    pub(super) disk_stamp: Vec<Option<(u64, std::time::SystemTime)>>,
    pub(super) last_disk_check_secs: f64,
}

pub(super) fn disk_stamp(dir: &Path) -> Vec<Option<(u64, std::time::SystemTime)>> {
    workspace::EDITED_FILES
        .iter()
        .map(|name| std::fs::metadata(dir.join(name)).ok().and_then(|m| Some((m.len(), m.modified().ok()?))))
        .collect()
}

impl Editing {
    pub(super) fn new(workspace: Workspace) -> Self {
        let disk_stamp = disk_stamp(&workspace.dir);
        Self {
            draft: workspace.saved.clone(),
            workspace,
            history: History::default(),
            event_form: None,
            place_form: None,
            source_dialog: None,
            passages: None,
            deleting: None,
            picking_place: false,
            conflict: None,
            changes_open: false,
            changed_records: 0,
            disk_stamp,
            last_disk_check_secs: 0.0,
        }
    }

    /// Counts the records that differ from the saved ones again.
    pub(super) fn recount(&mut self) {
        self.changed_records = self.draft.changes_since(&self.workspace.saved).len();
    }

    /// True when there are edits not saved.
    pub(super) fn unsaved(&self) -> bool {
        self.draft != self.workspace.saved
    }
}
