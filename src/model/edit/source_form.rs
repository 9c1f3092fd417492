//! A source's metadata as a person edits it. Its text is verbatim and never edited: it is stored
//! once, when the source is added, under its sha256.

use serde_json::{Map, Value, json};

use super::json::text;

use super::record_id;
use crate::model::{DateBasis, FuzzyDate, SourceKind};

/// The fields of one source.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct SourceForm {
    /// The record's id; `None` for a source not yet added.
    pub id: Option<String>,
    /// Its title.
    pub title: String,
    /// Where it was published.
    pub outlet: String,
    /// Who wrote it.
    pub author: String,
    /// Where it can be read.
    pub url: String,
    /// A [`SourceKind`] key.
    pub kind: String,
    /// Its language (`en`, `sr`, `sq` …).
    pub language: String,
    /// When it was published, at any precision (`2023-09-24`, `2023-09`).
    pub published: String,
    /// How the date was found: a [`DateBasis`] key or empty.
    pub published_basis: String,
    /// The reasoning behind the date.
    pub published_note: String,
}

impl SourceForm {
    /// A new source.
    pub fn new() -> Self {
        Self { kind: SourceKind::News.key().into(), published_basis: DateBasis::Stated.key().into(), ..Self::default() }
    }

    /// The form of an existing entry of `sources.json`.
    pub fn from_record(record: &Value) -> Self {
        let empty = Map::new();
        let object = record.as_object().unwrap_or(&empty);
        let published = object.get("published").and_then(Value::as_object).unwrap_or(&empty);
        Self {
            id: record_id(record),
            title: text(object, "title"),
            outlet: text(object, "outlet"),
            author: text(object, "author"),
            url: text(object, "url"),
            kind: text(object, "kind"),
            language: text(object, "language"),
            published: text(published, "start"),
            published_basis: text(published, "basis"),
            published_note: text(published, "note"),
        }
    }

    /// Problems to fix before the source can load, each naming its field.
    pub fn problems(&self) -> Vec<String> {
        let mut problems = Vec::new();
        if self.title.trim().is_empty() {
            problems.push("Title: a source needs a title.".to_owned());
        }
        if SourceKind::from_key(&self.kind).is_none() {
            problems.push(format!("Kind: {:?} is not one of {}.", self.kind, SourceKind::keys()));
        }
        if !self.published.trim().is_empty()
            && let Err(error) = FuzzyDate::parse(self.published.trim())
        {
            problems.push(format!("Published: {:?} is not a date ({error}).", self.published));
        }
        if !self.published_basis.is_empty() && DateBasis::from_key(&self.published_basis).is_none() {
            problems.push(format!("Date basis: {:?} is not one of {}.", self.published_basis, DateBasis::keys()));
        }
        problems
    }

    /// Writes the form into `base` (or a new entry pointing at the stored text `path` with its
    /// `sha256`), keeping fields it does not show.
    pub fn to_record(&self, id: &str, base: Option<&Value>, stored: Option<(&str, &str)>) -> Value {
        let mut record = base.cloned().unwrap_or_else(|| json!({}));
        let Some(object) = record.as_object_mut() else { return record };
        object.insert("id".into(), Value::String(id.to_owned()));
        if let Some((path, sha256)) = stored {
            object.insert("path".into(), Value::String(path.to_owned()));
            object.insert("sha256".into(), Value::String(sha256.to_owned()));
        }
        let value = |text: &str| {
            if text.trim().is_empty() { Value::Null } else { Value::String(text.trim().to_owned()) }
        };
        object.insert("title".into(), value(&self.title));
        object.insert("outlet".into(), value(&self.outlet));
        object.insert("author".into(), value(&self.author));
        object.insert("kind".into(), value(&self.kind));
        object.insert("language".into(), value(&self.language));
        if self.url.trim().is_empty() {
            object.remove("url");
        } else {
            object.insert("url".into(), value(&self.url));
        }
        let mut published = object.get("published").and_then(Value::as_object).cloned().unwrap_or_default();
        for (key, text) in
            [("start", &self.published), ("basis", &self.published_basis), ("note", &self.published_note)]
        {
            if text.trim().is_empty() {
                published.remove(key);
            } else {
                published.insert(key.into(), Value::String(text.trim().to_owned()));
            }
        }
        object.insert("published".into(), Value::Object(published));
        record
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_source_round_trips() {
        let record = json!({"id": "src-1", "title": "T", "outlet": null, "author": "A", "kind": "news", "language": "en",
            "published": {"start": "2023-09", "basis": "stated"}, "path": "sources/x.txt", "sha256": "ab"});
        let form = SourceForm::from_record(&record);
        assert!(form.problems().is_empty());
        assert_eq!(form.to_record("src-1", Some(&record), None), record);
        let bad = SourceForm { published: "Sunday".into(), ..form };
        assert_eq!(bad.problems().len(), 1);
    }
}
