//! Building and correcting a dataset: the records as they stand in its files, every change as a
//! reversible [`Edit`], undo and redo, and what changed since the last save.
//!
//! A [`Draft`] keeps each record as the JSON object its file holds (an event or a place as a
//! GeoJSON feature, a source as an object of `sources.json`), so fields Kronika does not edit are
//! kept as they were. Forms ([`event_form`], [`place_form`], [`source_form`]) read a record into
//! fields a person edits, and write them back into it.

pub mod event_form;
pub mod ids;
mod json;
pub mod place_form;
pub mod references;
pub mod source_form;

use serde::{Deserialize, Serialize};
use serde_json::Value;

/// Which file a record lives in.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum RecordKind {
    /// A feature of `events.geojson`.
    Event,
    /// A feature of `places.geojson`.
    Place,
    /// An entry of `sources.json`.
    Source,
}

impl RecordKind {
    /// The word for one record, for lists and messages.
    pub fn word(self) -> &'static str {
        match self {
            Self::Event => "event",
            Self::Place => "place",
            Self::Source => "source",
        }
    }
}

/// A dataset's records, in file order, as their files hold them.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Draft {
    /// `events.geojson`'s features.
    pub events: Vec<Value>,
    /// `places.geojson`'s features.
    pub places: Vec<Value>,
    /// `sources.json`'s entries.
    pub sources: Vec<Value>,
}

/// A record's id: its `id` member, a string or a number, as text.
pub fn record_id(record: &Value) -> Option<String> {
    match record.get("id")? {
        Value::String(id) => Some(id.clone()),
        Value::Number(id) => Some(id.to_string()),
        _ => None,
    }
}

/// What a record is called in lists: an event's title, a place's name, a source's title.
pub fn record_name(kind: RecordKind, record: &Value) -> String {
    let text = match kind {
        RecordKind::Event => record.pointer("/properties/title"),
        RecordKind::Place => record.pointer("/properties/name"),
        RecordKind::Source => record.get("title"),
    };
    text.and_then(Value::as_str).map_or_else(|| record_id(record).unwrap_or_default(), str::to_owned)
}

impl Draft {
    /// The records of one kind.
    pub fn records(&self, kind: RecordKind) -> &[Value] {
        match kind {
            RecordKind::Event => &self.events,
            RecordKind::Place => &self.places,
            RecordKind::Source => &self.sources,
        }
    }

    fn records_mut(&mut self, kind: RecordKind) -> &mut Vec<Value> {
        match kind {
            RecordKind::Event => &mut self.events,
            RecordKind::Place => &mut self.places,
            RecordKind::Source => &mut self.sources,
        }
    }

    /// Where the record with `id` stands in its file.
    pub fn position(&self, kind: RecordKind, id: &str) -> Option<usize> {
        self.records(kind).iter().position(|record| record_id(record).as_deref() == Some(id))
    }

    /// The record with `id`.
    pub fn get(&self, kind: RecordKind, id: &str) -> Option<&Value> {
        self.position(kind, id).and_then(|at| self.records(kind).get(at))
    }

    /// True when a record of `kind` has `id`.
    pub fn contains(&self, kind: RecordKind, id: &str) -> bool {
        self.position(kind, id).is_some()
    }

    /// The change that makes the record `id` become `after` (`None`: deleted): what it was, and
    /// where it stands, so that it can be undone exactly.
    pub fn change(&self, kind: RecordKind, id: &str, after: Option<Value>) -> Change {
        let position = self.position(kind, id);
        Change {
            kind,
            id: id.to_owned(),
            index: position.unwrap_or(self.records(kind).len()),
            before: position.and_then(|at| self.records(kind).get(at)).cloned(),
            after,
        }
    }

    /// Makes one change.
    fn make(&mut self, change: &Change) {
        let position = self.position(change.kind, &change.id);
        let records = self.records_mut(change.kind);
        match (position, &change.after) {
            (Some(at), Some(after)) => {
                if let Some(record) = records.get_mut(at) {
                    *record = after.clone();
                }
            }
            (Some(at), None) => {
                records.remove(at);
            }
            (None, Some(after)) => records.insert(change.index.min(records.len()), after.clone()),
            (None, None) => {}
        }
    }

    /// Makes an edit's changes, in order.
    pub fn apply(&mut self, edit: &Edit) {
        for change in &edit.changes {
            self.make(change);
        }
    }

    /// Takes an edit back: its changes reversed, in reverse order.
    pub fn revert(&mut self, edit: &Edit) {
        for change in edit.changes.iter().rev() {
            self.make(&change.reversed());
        }
    }

    /// What differs from `saved`, record by record: added, changed and deleted, in file order.
    pub fn changes_since(&self, saved: &Self) -> Vec<ChangedRecord> {
        let mut changed = Vec::new();
        for kind in [RecordKind::Source, RecordKind::Place, RecordKind::Event] {
            let by_id = |records: &'_ [Value]| -> std::collections::HashMap<String, usize> {
                records.iter().enumerate().filter_map(|(i, r)| Some((record_id(r)?, i))).collect()
            };
            let (now, before) = (self.records(kind), saved.records(kind));
            let (now_ids, before_ids) = (by_id(now), by_id(before));
            for record in now {
                let Some(id) = record_id(record) else { continue };
                let how = match before_ids.get(&id).and_then(|&i| before.get(i)) {
                    None => ChangeHow::Added,
                    Some(old) if old != record => ChangeHow::Changed,
                    Some(_) => continue,
                };
                changed.push(ChangedRecord { kind, name: record_name(kind, record), id, how });
            }
            for record in before {
                let Some(id) = record_id(record) else { continue };
                if !now_ids.contains_key(&id) {
                    changed.push(ChangedRecord { kind, name: record_name(kind, record), id, how: ChangeHow::Deleted });
                }
            }
        }
        changed
    }
}

/// One record changed: what it was and what it became (`None`: it did not exist).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Change {
    /// Which file.
    pub kind: RecordKind,
    /// The record's id.
    pub id: String,
    /// Where it stands (or stood) in its file.
    pub index: usize,
    /// The record before.
    pub before: Option<Value>,
    /// The record after.
    pub after: Option<Value>,
}

impl Change {
    fn reversed(&self) -> Self {
        Self { before: self.after.clone(), after: self.before.clone(), ..self.clone() }
    }
}

/// What one action of the user changed (an event and the events it now relates to, a new place
/// and the event placed there): undone and redone as one.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Edit {
    /// What it did, in words: "New event “…”".
    pub label: String,
    /// The records it changed, in order.
    pub changes: Vec<Change>,
}

/// How a record differs from the saved dataset.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ChangeHow {
    /// New since the last save.
    Added,
    /// Edited since the last save.
    Changed,
    /// Deleted since the last save.
    Deleted,
}

impl ChangeHow {
    /// The word for it.
    pub fn word(self) -> &'static str {
        match self {
            Self::Added => "added",
            Self::Changed => "changed",
            Self::Deleted => "deleted",
        }
    }
}

/// A record that differs from the saved dataset.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ChangedRecord {
    /// Which file.
    pub kind: RecordKind,
    /// Its id.
    pub id: String,
    /// Its title or name.
    pub name: String,
    /// Added, changed or deleted.
    pub how: ChangeHow,
}

/// The session's edits, for undo and redo. Unlimited: edits are small, each holds only the
/// records it changed.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct History {
    done: Vec<Edit>,
    undone: Vec<Edit>,
}

impl History {
    /// Makes `edit` on `draft` and remembers it; what was undone can no longer be redone.
    pub fn record(&mut self, draft: &mut Draft, edit: Edit) {
        draft.apply(&edit);
        self.done.push(edit);
        self.undone.clear();
    }

    /// Takes the last edit back; its label, if there was one.
    pub fn undo(&mut self, draft: &mut Draft) -> Option<String> {
        let edit = self.done.pop()?;
        draft.revert(&edit);
        let label = edit.label.clone();
        self.undone.push(edit);
        Some(label)
    }

    /// Makes the last undone edit again; its label, if there was one.
    pub fn redo(&mut self, draft: &mut Draft) -> Option<String> {
        let edit = self.undone.pop()?;
        draft.apply(&edit);
        let label = edit.label.clone();
        self.done.push(edit);
        Some(label)
    }

    /// The label of the edit Undo would take back.
    pub fn next_undo(&self) -> Option<&str> {
        self.done.last().map(|edit| edit.label.as_str())
    }

    /// The label of the edit Redo would make again.
    pub fn next_redo(&self) -> Option<&str> {
        self.undone.last().map(|edit| edit.label.as_str())
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn event(id: &str, title: &str) -> Value {
        json!({"type": "Feature", "id": id, "geometry": null, "properties": {"title": title}})
    }

    fn draft() -> Draft {
        Draft { events: vec![event("a", "A"), event("b", "B"), event("c", "C")], ..Draft::default() }
    }

    #[test]
    fn undo_and_redo_restore_exact_states() {
        let mut draft = draft();
        let mut history = History::default();
        let first = draft.clone();
        let delete_b = Edit { label: "delete b".into(), changes: vec![draft.change(RecordKind::Event, "b", None)] };
        history.record(&mut draft, delete_b);
        let after_delete = draft.clone();
        let retitle = Edit {
            label: "retitle a".into(),
            changes: vec![draft.change(RecordKind::Event, "a", Some(event("a", "A2")))],
        };
        history.record(&mut draft, retitle);
        let add =
            Edit { label: "add d".into(), changes: vec![draft.change(RecordKind::Event, "d", Some(event("d", "D")))] };
        history.record(&mut draft, add);
        let last = draft.clone();
        assert_eq!(draft.events.len(), 3);

        assert_eq!(history.undo(&mut draft).as_deref(), Some("add d"));
        assert_eq!(history.undo(&mut draft).as_deref(), Some("retitle a"));
        assert_eq!(draft, after_delete);
        assert_eq!(history.undo(&mut draft).as_deref(), Some("delete b"));
        assert_eq!(draft, first, "b is back where it stood");
        assert_eq!(history.undo(&mut draft), None);
        for _ in 0..3 {
            history.redo(&mut draft);
        }
        assert_eq!(draft, last);
        assert_eq!(history.redo(&mut draft), None);
    }

    #[test]
    fn a_new_edit_ends_redo() {
        let mut draft = draft();
        let mut history = History::default();
        let edit = Edit { label: "x".into(), changes: vec![draft.change(RecordKind::Event, "a", None)] };
        history.record(&mut draft, edit);
        history.undo(&mut draft);
        let edit = Edit { label: "y".into(), changes: vec![draft.change(RecordKind::Event, "b", None)] };
        history.record(&mut draft, edit);
        assert_eq!(history.next_redo(), None);
        assert_eq!(history.next_undo(), Some("y"));
    }

    #[test]
    fn changes_since_the_save_name_each_record() {
        let saved = draft();
        let mut draft = saved.clone();
        let mut history = History::default();
        let edit = Edit {
            label: "several".into(),
            changes: vec![
                draft.change(RecordKind::Event, "a", Some(event("a", "A2"))),
                draft.change(RecordKind::Event, "c", None),
                draft.change(RecordKind::Event, "e", Some(event("e", "E"))),
            ],
        };
        history.record(&mut draft, edit);
        let changes: Vec<(String, ChangeHow)> =
            draft.changes_since(&saved).into_iter().map(|c| (c.name, c.how)).collect();
        assert_eq!(
            changes,
            vec![("A2".into(), ChangeHow::Changed), ("E".into(), ChangeHow::Added), ("C".into(), ChangeHow::Deleted)]
        );
        history.undo(&mut draft);
        assert!(draft.changes_since(&saved).is_empty());
    }
}
