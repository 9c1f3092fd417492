//! Applying the editor's commands: the dataset's records as a draft, every change an undoable
//! edit, checked by reloading the draft with the loader's own rules, kept in a recovery file until
//! it is saved, and saved only over files no one else changed.

use std::path::{Path, PathBuf};

use super::KronikaApp;
use super::edit_state::{DISK_CHECK_SECS, Editing, disk_stamp};
use crate::io::workspace::{self, Recovery, Workspace, WorkspaceError};
use crate::model::edit::event_form::EventForm;
use crate::model::edit::place_form::PlaceForm;
use crate::model::edit::source_form::SourceForm;
use crate::model::edit::{Edit, RecordKind};
use crate::ui::editor::{ConflictChoice, EditCommand, EditorWindow, PassagePicker, SourceDialog};

impl KronikaApp {
    /// Applies one command of the editor.
    pub(super) fn apply_edit(&mut self, command: EditCommand) {
        match command {
            EditCommand::SetNewDatasetOpen(open) => self.windows.new_dataset = open,
            EditCommand::ChooseNewDatasetFolder => {
                self.apply_one(crate::ui::Command::ShowOpenDialog(crate::ui::command::OpenDialog::NewDatasetFolder));
            }
            EditCommand::NewDatasetFolderPicked(folder) => self.windows.new_dataset_folder = folder,
            EditCommand::CreateDataset { dir, name } => match workspace::create_dataset(&dir, &name) {
                Ok(()) => {
                    self.windows.new_dataset = false;
                    self.editing = None;
                    self.open(crate::ui::command::OpenRequest::paths(vec![dir]));
                }
                Err(error) => self.notice = Some(error.to_string()),
            },
            EditCommand::Recover(restore) => self.recover(restore),
            EditCommand::Undo | EditCommand::Redo => self.undo_or_redo(command == EditCommand::Undo),
            EditCommand::Save => self.save_edits(),
            EditCommand::ResolveConflict(choice) => self.resolve_conflict(choice),
            command => {
                if !self.begin_editing() {
                    return;
                }
                self.apply_form_command(command);
            }
        }
    }

    /// Opens the loaded dataset folder for editing, once. False (with a notice) when it cannot be.
    fn begin_editing(&mut self) -> bool {
        if self.editing.is_some() {
            return true;
        }
        let dir = self.report.path.clone();
        if !dir.is_dir() {
            self.notice = Some(
                "Only a Kronika dataset folder can be edited: start one with Edit → New dataset, or export these events \
                 as GeoJSON into one."
                    .into(),
            );
            return false;
        }
        match Workspace::open(&dir) {
            Ok(workspace) => {
                self.editing = Some(Editing::new(workspace));
                true
            }
            Err(error) => {
                self.notice = Some(error.to_string());
                false
            }
        }
    }

    fn apply_form_command(&mut self, command: EditCommand) {
        let Some(editing) = &mut self.editing else { return };
        match command {
            EditCommand::StartSource => {
                editing.source_dialog = Some(SourceDialog { form: SourceForm::new(), ..SourceDialog::default() });
            }
            EditCommand::SetSourceDialog(dialog) => editing.source_dialog = Some(*dialog),
            EditCommand::ReadSourceFile => {
                if let Some(dialog) = &mut editing.source_dialog {
                    let path = PathBuf::from(dialog.file.trim());
                    match workspace::read_source_file(&path) {
                        Ok(text) => {
                            dialog.text = text;
                            dialog.message = None;
                            if dialog.form.title.is_empty() {
                                dialog.form.title =
                                    path.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
                            }
                        }
                        Err(error) => dialog.message = Some(error),
                    }
                }
            }
            EditCommand::ApplySource => self.apply_source(),
            EditCommand::ChooseSourceFile => {
                self.apply_one(crate::ui::Command::ShowOpenDialog(crate::ui::command::OpenDialog::SourceText));
            }
            EditCommand::SourceFilePicked(path) => {
                if let Some(dialog) = &mut editing.source_dialog {
                    dialog.file = path.display().to_string();
                    self.apply_form_command(EditCommand::ReadSourceFile);
                }
            }
            EditCommand::EditSource(id) => {
                if let Some(record) = editing.draft.get(RecordKind::Source, &id) {
                    let text = self.report.dataset.source(&id).and_then(|s| s.text.as_deref()).unwrap_or_default();
                    editing.source_dialog = Some(SourceDialog {
                        form: SourceForm::from_record(record),
                        text: text.to_owned(),
                        ..SourceDialog::default()
                    });
                }
            }
            EditCommand::OpenPassages(source_id) => {
                editing.passages = Some(PassagePicker { source_id, ..PassagePicker::default() });
            }
            EditCommand::SetPassages(picker) => editing.passages = Some(*picker),
            EditCommand::NewEventFromPassage(citation) => editing.event_form = Some(EventForm::from_passage(citation)),
            EditCommand::CiteForEvent(citation) => self.cite(citation),
            EditCommand::EditEvent(id) => {
                editing.event_form = editing.draft.get(RecordKind::Event, &id).map(EventForm::from_feature);
            }
            EditCommand::SetEventForm(form) => editing.event_form = Some(*form),
            EditCommand::ApplyEvent => self.apply_event(),
            EditCommand::PickPlaceOnMap(picking) => editing.picking_place = picking,
            EditCommand::PlacePicked { lon, lat } => {
                editing.picking_place = false;
                editing.place_form = Some((PlaceForm::at(lon, lat), editing.event_form.is_some()));
            }
            EditCommand::EditPlace(id) => {
                editing.place_form =
                    editing.draft.get(RecordKind::Place, &id).map(|p| (PlaceForm::from_feature(p), false));
            }
            EditCommand::SetPlaceForm(form) => {
                if let Some((place, _)) = &mut editing.place_form {
                    *place = *form;
                }
            }
            EditCommand::ApplyPlace => self.apply_place(),
            EditCommand::AskDelete(kind, id) => editing.deleting = Some((kind, id)),
            EditCommand::ConfirmDelete => self.delete(),
            EditCommand::Close(window) => match window {
                EditorWindow::Event => editing.event_form = None,
                EditorWindow::Place => editing.place_form = None,
                EditorWindow::Source => editing.source_dialog = None,
                EditorWindow::Passages => editing.passages = None,
                EditorWindow::Delete => editing.deleting = None,
            },
            EditCommand::SetChangesOpen(open) => editing.changes_open = open,
            EditCommand::SetNewDatasetOpen(_)
            | EditCommand::ChooseNewDatasetFolder
            | EditCommand::NewDatasetFolderPicked(_)
            | EditCommand::CreateDataset { .. }
            | EditCommand::Recover(_)
            | EditCommand::Undo
            | EditCommand::Redo
            | EditCommand::Save
            | EditCommand::ResolveConflict(_) => {}
        }
    }

    /// Makes an edit, checks the dataset again, and keeps the edits safe from a crash.
    pub(super) fn record(&mut self, edit: Edit) {
        let Some(editing) = &mut self.editing else { return };
        self.notice = Some(format!("{} (Ctrl+Z undoes it)", edit.label));
        editing.history.record(&mut editing.draft, edit);
        self.reload_draft();
    }

    fn undo_or_redo(&mut self, undo: bool) {
        let Some(editing) = &mut self.editing else { return };
        let label =
            if undo { editing.history.undo(&mut editing.draft) } else { editing.history.redo(&mut editing.draft) };
        let Some(label) = label else { return };
        self.notice = Some(format!("{} {label}", if undo { "Undone:" } else { "Redone:" }));
        self.reload_draft();
    }

    /// Loads the draft as the dataset, with the loader's checks; keeps the selection and the view.
    fn reload_draft(&mut self) {
        let Some(editing) = &mut self.editing else { return };
        editing.recount();
        let files = editing.workspace.render(&editing.draft);
        let report = crate::io::load_edited(&editing.workspace.dir, &files);
        self.keep_recovery();
        self.install_edited_report(report);
    }

    /// Keeps the unsaved edits in the recovery file (or removes it when there are none).
    fn keep_recovery(&mut self) {
        let (Some(editing), Some(folder)) = (&self.editing, &self.recovery_dir) else { return };
        let dir = &editing.workspace.dir;
        let kept = if editing.unsaved() {
            let recovery = Recovery {
                dataset: dir.clone(),
                written: chrono::Local::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, false),
                base: editing.workspace.fingerprint.clone(),
                draft: editing.draft.clone(),
                changed_records: editing.changed_records,
            };
            workspace::write_recovery(folder, &recovery)
        } else {
            workspace::remove_recovery(folder, dir)
        };
        if let Err(error) = kept {
            self.notice =
                Some(format!("Could not keep the unsaved edits for recovery in {}: {error}", folder.display()));
        }
    }

    /// Offers edits kept by a session that ended without saving, when `dir` has some.
    pub(super) fn look_for_recovery(&mut self, dir: &Path) {
        let Some(folder) = &self.recovery_dir else { return };
        match workspace::read_recovery(folder, dir) {
            Some(Ok(recovery)) => self.windows.recovery = Some(recovery),
            Some(Err(error)) => self.notice = Some(format!("Unsaved edits were kept but cannot be read: {error}")),
            None => {}
        }
    }

    fn recover(&mut self, restore: bool) {
        let Some(recovery) = self.windows.recovery.take() else { return };
        if !restore {
            if let Some(folder) = &self.recovery_dir {
                workspace::remove_recovery(folder, &recovery.dataset).ok();
            }
            return;
        }
        if !self.begin_editing() {
            return;
        }
        let Some(editing) = &mut self.editing else { return };
        let changed_since = editing.workspace.fingerprint != recovery.base;
        let changes = recovery.draft.changes_since(&editing.draft);
        let label = format!("Restore {} unsaved change(s) from {}", changes.len(), recovery.written);
        let edit = Edit {
            label,
            changes: changes
                .iter()
                .map(|c| editing.draft.change(c.kind, &c.id, recovery.draft.get(c.kind, &c.id).cloned()))
                .collect(),
        };
        self.record(edit);
        if changed_since {
            self.notice = Some(
                "Restored, but the dataset's files were changed after these edits were made: check the changes \
                 (Edit → Changes) before saving."
                    .into(),
            );
        }
    }

    fn save_edits(&mut self) {
        let Some(editing) = &mut self.editing else {
            self.notice = Some("Nothing to save: no edits were made.".into());
            return;
        };
        let count = editing.changed_records;
        match editing.workspace.save(&editing.draft) {
            Ok(()) => {
                editing.recount();
                editing.disk_stamp = disk_stamp(&editing.workspace.dir);
                let problems = self.report.problems.len();
                let warn =
                    if problems > 0 { format!("; {problems} problem(s) remain, see Problems") } else { String::new() };
                self.notice = Some(format!("Saved {count} change(s) to {}{warn}", editing.workspace.dir.display()));
                self.keep_recovery();
            }
            Err(WorkspaceError::ChangedOnDisk { files }) => editing.conflict = Some(files),
            Err(error) => self.notice = Some(format!("Not saved: {error}")),
        }
    }

    fn resolve_conflict(&mut self, choice: ConflictChoice) {
        let Some(editing) = &mut self.editing else { return };
        editing.conflict = None;
        match choice {
            ConflictChoice::KeepEditing => {
                editing.disk_stamp = disk_stamp(&editing.workspace.dir);
            }
            ConflictChoice::Reload => {
                let dir = editing.workspace.dir.clone();
                if let Some(folder) = &self.recovery_dir {
                    workspace::remove_recovery(folder, &dir).ok();
                }
                self.editing = None;
                self.open(crate::ui::command::OpenRequest::paths(vec![dir]));
            }
            ConflictChoice::KeepBoth => {
                let stamp = chrono::Local::now().format("%Y-%m-%d %H.%M.%S").to_string();
                match editing.workspace.save_copy(&editing.draft, &stamp) {
                    Ok(copy) => {
                        let dir = editing.workspace.dir.clone();
                        if let Some(folder) = &self.recovery_dir {
                            workspace::remove_recovery(folder, &dir).ok();
                        }
                        self.editing = None;
                        self.open(crate::ui::command::OpenRequest::paths(vec![copy.clone()]));
                        self.notice = Some(format!("Your edits were saved as a copy: {}", copy.display()));
                    }
                    Err(error) => self.notice = Some(format!("Not saved: {error}")),
                }
            }
        }
    }

    /// Looks, every few seconds, whether someone else changed the dataset's files.
    pub(super) fn check_disk(&mut self, now_secs: f64) {
        let Some(editing) = &mut self.editing else { return };
        if now_secs - editing.last_disk_check_secs < DISK_CHECK_SECS || editing.conflict.is_some() {
            return;
        }
        editing.last_disk_check_secs = now_secs;
        let stamp = disk_stamp(&editing.workspace.dir);
        if stamp == editing.disk_stamp {
            return;
        }
        editing.disk_stamp = stamp;
        let changed = editing.workspace.fingerprint.changed_files(&editing.workspace.dir);
        if !changed.is_empty() {
            editing.conflict = Some(changed);
        }
    }
}
