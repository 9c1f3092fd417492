//! Applying the editor's forms: an event, a place, a source, a citation, a deletion.

use super::KronikaApp;
use crate::io::LoadReport;
use crate::io::workspace;
use crate::model::edit::event_form::{CitationEntry, EventForm, mirrored_relations};
use crate::model::edit::references::delete_with_references;
use crate::model::edit::{Edit, RecordKind, ids, record_name};
use crate::model::{EventIdx, VisibleEvents};
use crate::ui::editor::PassagePicker;

impl KronikaApp {
    /// Adds a passage to the event in the editor, or else to the selected event.
    pub(super) fn cite(&mut self, citation: CitationEntry) {
        let selected_id = self.selection.selected.and_then(|i| self.report.dataset.event(i)).map(|e| e.id.to_string());
        let Some(editing) = &mut self.editing else { return };
        if let Some(form) = &mut editing.event_form {
            if !form.citations.contains(&citation) {
                form.citations.push(citation);
            }
            return;
        }
        let Some(id) = selected_id else {
            self.notice = Some("Select the event this passage supports, or make a new event from it.".into());
            return;
        };
        let Some(record) = editing.draft.get(RecordKind::Event, &id) else { return };
        let mut form = EventForm::from_feature(record);
        if form.citations.contains(&citation) {
            self.notice = Some("The selected event already cites this passage.".into());
            return;
        }
        form.citations.push(citation);
        let feature = form.to_feature(&id, Some(record), &editing.draft);
        let label = format!("Cite a passage for \u{201c}{}\u{201d}", form.title);
        let edit = Edit { label, changes: vec![editing.draft.change(RecordKind::Event, &id, Some(feature))] };
        self.record(edit);
    }

    /// Writes the event editor's event (and the mirrors of its relations) into the draft.
    pub(super) fn apply_event(&mut self) {
        let Some(editing) = &mut self.editing else { return };
        let Some(form) = editing.event_form.take() else { return };
        let draft = &editing.draft;
        let id = form.id.clone().unwrap_or_else(|| {
            let name = format!("{} {}", form.start.trim(), form.title.trim());
            ids::new_id(draft, RecordKind::Event, "ev-", &name)
        });
        let base = draft.get(RecordKind::Event, &id);
        let feature = form.to_feature(&id, base, draft);
        let verb = if base.is_some() { "Edit event" } else { "New event" };
        let mut changes = vec![draft.change(RecordKind::Event, &id, Some(feature))];
        changes.extend(mirrored_relations(draft, &id, &form.relations));
        let edit = Edit { label: format!("{verb} \u{201c}{}\u{201d}", form.title.trim()), changes };
        self.record(edit);
        if let Some(idx) = self.report.dataset.event_idx(&id) {
            self.select(Some(idx));
        }
    }

    /// Writes the place window's place into the draft; a new place picked for the event editor
    /// becomes its place, and events at an existing place move with it.
    pub(super) fn apply_place(&mut self) {
        let Some(editing) = &mut self.editing else { return };
        let Some((form, for_event)) = editing.place_form.take() else { return };
        let draft = &editing.draft;
        let id = form.id.clone().unwrap_or_else(|| ids::new_id(draft, RecordKind::Place, "pl-", &form.name));
        let base = draft.get(RecordKind::Place, &id);
        let feature = form.to_feature(&id, base);
        let mut changes = vec![draft.change(RecordKind::Place, &id, Some(feature.clone()))];
        if base.is_some() {
            for event in &draft.events {
                let placed_here = event.pointer("/properties/place").and_then(serde_json::Value::as_str) == Some(&id);
                let is_point = event.pointer("/geometry/type").and_then(serde_json::Value::as_str) == Some("Point");
                if let (true, true, Some(event_id)) = (placed_here, is_point, crate::model::edit::record_id(event)) {
                    let mut moved = event.clone();
                    if let (Some(object), Some(geometry)) = (moved.as_object_mut(), feature.get("geometry")) {
                        object.insert("geometry".into(), geometry.clone());
                    }
                    if moved != *event {
                        changes.push(draft.change(RecordKind::Event, &event_id, Some(moved)));
                    }
                }
            }
        }
        let verb = if base.is_some() { "Edit place" } else { "New place" };
        let edit = Edit { label: format!("{verb} \u{201c}{}\u{201d}", form.name.trim()), changes };
        if for_event && let Some(event) = &mut editing.event_form {
            event.place = id;
        }
        self.record(edit);
    }

    /// Adds the source window's source (its text stored verbatim) or saves its metadata.
    pub(super) fn apply_source(&mut self) {
        let Some(editing) = &mut self.editing else { return };
        let Some(mut dialog) = editing.source_dialog.take() else { return };
        let draft = &editing.draft;
        if let Some(id) = dialog.form.id.clone() {
            let base = draft.get(RecordKind::Source, &id);
            let record = dialog.form.to_record(&id, base, None);
            let edit = Edit {
                label: format!("Edit source \u{201c}{}\u{201d}", dialog.form.title.trim()),
                changes: vec![draft.change(RecordKind::Source, &id, Some(record))],
            };
            self.record(edit);
            return;
        }
        if dialog.text.trim().is_empty() {
            dialog.message = Some("A source needs its text: paste it, or read it from a file.".into());
            editing.source_dialog = Some(dialog);
            return;
        }
        let stored = match workspace::store_source_text(&editing.workspace.dir, &dialog.text) {
            Ok(stored) => stored,
            Err(error) => {
                dialog.message = Some(error.to_string());
                editing.source_dialog = Some(dialog);
                return;
            }
        };
        let id = ids::new_id(draft, RecordKind::Source, "src-", &dialog.form.title);
        let record = dialog.form.to_record(&id, None, Some((&stored.0, &stored.1)));
        let edit = Edit {
            label: format!("Add source \u{201c}{}\u{201d}", dialog.form.title.trim()),
            changes: vec![draft.change(RecordKind::Source, &id, Some(record))],
        };
        editing.passages = Some(PassagePicker { source_id: id, ..PassagePicker::default() });
        self.record(edit);
    }

    /// Deletes the record asked about, and every reference to it from the events.
    pub(super) fn delete(&mut self) {
        let Some(editing) = &mut self.editing else { return };
        let Some((kind, id)) = editing.deleting.take() else { return };
        let Some(record) = editing.draft.get(kind, &id) else { return };
        let label = format!("Delete {} \u{201c}{}\u{201d}", kind.word(), record_name(kind, record));
        let changes = delete_with_references(&editing.draft, kind, &id);
        if kind == RecordKind::Event {
            editing.event_form = editing.event_form.take().filter(|form| form.id.as_deref() != Some(id.as_str()));
            self.selection.selected = None;
        }
        self.record(Edit { label, changes });
    }

    /// Shows a dataset reloaded from the draft: the view, the filter and the selected event stay.
    pub(super) fn install_edited_report(&mut self, report: LoadReport) {
        let selected_id =
            self.selection.selected.and_then(|i| self.report.dataset.event(i)).map(|event| event.id.to_string());
        let reader = self.selection.reader.take();
        self.visible = VisibleEvents::new(&report.dataset);
        self.report = report;
        self.selection = super::Selection::default();
        self.selection.reader = reader;
        self.visible.set_filter(&self.report.dataset, &self.view.filter);
        self.selection.selected = selected_id.and_then(|id| self.report.dataset.event_idx(&id));
        self.map.grouping = crate::ui::map::MarkerGrouping::default();
    }

    /// The id of the event shown at `idx`.
    pub(super) fn event_id(&self, idx: EventIdx) -> Option<String> {
        self.report.dataset.event(idx).map(|event| event.id.to_string())
    }
}

impl KronikaApp {
    /// Draws the editor's windows, and the app-level ones (new dataset, recovered edits).
    pub(super) fn editor_windows_ui(&self, ctx: &egui::Context) -> Vec<crate::ui::Command> {
        use crate::ui::editor::{self, EditorView};
        let mut commands = Vec::new();
        if self.windows.new_dataset {
            let picked = self.windows.new_dataset_folder.as_deref();
            commands.extend(editor::dialogs::new_dataset_window(ctx, picked).into_iter().map(crate::ui::Command::Edit));
        }
        if let Some(recovery) = &self.windows.recovery {
            commands.extend(editor::dialogs::recovery_window(ctx, recovery).into_iter().map(crate::ui::Command::Edit));
        }
        let Some(editing) = &self.editing else { return commands };
        let view = EditorView {
            dataset: &self.report.dataset,
            draft: &editing.draft,
            saved: &editing.workspace.saved,
            changed_records: editing.changed_records,
            event_form: editing.event_form.as_ref(),
            place_form: editing.place_form.as_ref().map(|(form, _)| form),
            source_dialog: editing.source_dialog.as_ref(),
            passages: editing.passages.as_ref(),
            deleting: editing.deleting.as_ref().map(|(kind, id)| (*kind, id.as_str())),
            conflict: editing.conflict.as_deref(),
            changes_open: editing.changes_open,
            selected_event: self.selection.selected.and_then(|idx| self.event_id(idx)),
        };
        commands.extend(editor::editor_windows_ui(ctx, &view).into_iter().map(crate::ui::Command::Edit));
        if editing.picking_place {
            egui::Area::new(egui::Id::unique("picking_place_hint"))
                .anchor(egui::Align2::CENTER_TOP, egui::vec2(0.0, 60.0))
                .show(ctx, |ui| {
                    egui::Frame::popup(ui.style()).show(ui, |ui| {
                        ui.strong("Click on the map where the new place is (Esc cancels)");
                    });
                });
        }
        commands
    }

    /// What the Edit menu shows.
    pub(super) fn edit_menu_state(&self) -> crate::ui::top_bar::EditMenuState<'_> {
        let editing = self.editing.as_ref();
        crate::ui::top_bar::EditMenuState {
            editable: self.report.is_dataset_folder(),
            undo: editing.and_then(|e| e.history.next_undo()),
            redo: editing.and_then(|e| e.history.next_redo()),
            unsaved: editing.map_or(0, |e| e.changed_records),
        }
    }
}
