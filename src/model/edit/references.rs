//! What refers to a record, asked before it is deleted; and the changes that delete it cleanly.

use serde_json::Value;

use super::{Change, Draft, RecordKind, record_id, record_name};

/// Another record that refers to the one about to be deleted.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Referrer {
    /// The referring record's id.
    pub id: String,
    /// Its title.
    pub name: String,
    /// How it refers: "cites it twice", "is placed there", "relates to it (contradicts)".
    pub how: String,
}

fn properties(record: &Value) -> Option<&serde_json::Map<String, Value>> {
    record.get("properties").and_then(Value::as_object)
}

fn array<'a>(record: &'a Value, key: &str) -> &'a [Value] {
    properties(record).and_then(|p| p.get(key)).and_then(Value::as_array).map_or(&[], Vec::as_slice)
}

/// How `event` refers to the record `kind`/`id`, if it does.
fn reference(event: &Value, kind: RecordKind, id: &str) -> Option<String> {
    let p = properties(event)?;
    let how = match kind {
        RecordKind::Source => {
            let cites =
                array(event, "citations").iter().filter(|c| c.get("source").and_then(Value::as_str) == Some(id));
            match cites.count() {
                0 => return None,
                1 => "cites it".to_owned(),
                n => format!("cites it {n} times"),
            }
        }
        RecordKind::Place => {
            let main = p.get("place").and_then(Value::as_str) == Some(id);
            let further = array(event, "places").iter().any(|place| place.as_str() == Some(id));
            match (main, further) {
                (true, _) => "is placed there".to_owned(),
                (false, true) => "names it among its places".to_owned(),
                (false, false) => return None,
            }
        }
        RecordKind::Event => {
            let kinds: Vec<&str> = array(event, "relations")
                .iter()
                .filter(|r| r.get("event").and_then(Value::as_str) == Some(id))
                .filter_map(|r| r.get("type").and_then(Value::as_str))
                .collect();
            if kinds.is_empty() {
                return None;
            }
            format!("relates to it ({})", kinds.join(", "))
        }
    };
    Some(how)
}

/// Every event that refers to the record `kind`/`id`, in file order.
pub fn referrers(draft: &Draft, kind: RecordKind, id: &str) -> Vec<Referrer> {
    draft
        .events
        .iter()
        .filter(|event| !(kind == RecordKind::Event && record_id(event).as_deref() == Some(id)))
        .filter_map(|event| {
            Some(Referrer {
                id: record_id(event)?,
                name: record_name(RecordKind::Event, event),
                how: reference(event, kind, id)?,
            })
        })
        .collect()
}

/// The changes that delete the record and take every reference to it out of the events that
/// had one: citations of a deleted source, a deleted place (the event keeps its point), relations
/// to a deleted event.
pub fn delete_with_references(draft: &Draft, kind: RecordKind, id: &str) -> Vec<Change> {
    let mut changes = vec![draft.change(kind, id, None)];
    for referrer in referrers(draft, kind, id) {
        let Some(mut event) = draft.get(RecordKind::Event, &referrer.id).cloned() else { continue };
        let Some(p) = event.get_mut("properties").and_then(Value::as_object_mut) else { continue };
        let keep_other = |key: &str, field: &str, p: &mut serde_json::Map<String, Value>| {
            if let Some(Value::Array(items)) = p.get_mut(key) {
                items.retain(|item| item.get(field).and_then(Value::as_str) != Some(id));
                if items.is_empty() {
                    p.remove(key);
                }
            }
        };
        match kind {
            RecordKind::Source => keep_other("citations", "source", p),
            RecordKind::Event => keep_other("relations", "event", p),
            RecordKind::Place => {
                if p.get("place").and_then(Value::as_str) == Some(id) {
                    p.remove("place");
                }
                if let Some(Value::Array(places)) = p.get_mut("places") {
                    places.retain(|place| place.as_str() != Some(id));
                }
            }
        }
        changes.push(draft.change(RecordKind::Event, &referrer.id, Some(event)));
    }
    changes
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn deleting_a_source_names_and_cleans_what_cites_it() {
        let draft = Draft {
            events: vec![
                json!({"id": "a", "properties": {"title": "A", "citations": [{"source": "s"}, {"source": "s"}, {"source": "t"}]}}),
                json!({"id": "b", "properties": {"title": "B", "relations": [{"type": "contradicts", "event": "a"}]}}),
            ],
            sources: vec![json!({"id": "s"}), json!({"id": "t"})],
            ..Draft::default()
        };
        let found = referrers(&draft, RecordKind::Source, "s");
        assert_eq!(found, vec![Referrer { id: "a".into(), name: "A".into(), how: "cites it 2 times".into() }]);
        let mut after = draft.clone();
        after.apply(&super::super::Edit {
            label: "x".into(),
            changes: delete_with_references(&draft, RecordKind::Source, "s"),
        });
        assert_eq!(after.sources.len(), 1);
        assert_eq!(after.events[0]["properties"]["citations"], json!([{"source": "t"}]));
        assert_eq!(referrers(&draft, RecordKind::Event, "a")[0].how, "relates to it (contradicts)");
    }
}
