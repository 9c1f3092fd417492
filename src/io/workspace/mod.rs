//! A dataset folder opened for editing: its records read as a [`Draft`], written back atomically
//! in a stable, diff-friendly form (pretty JSON, keys sorted, records in their order), never over a
//! file someone else changed since it was read. New datasets, stored source texts, recovery files.

mod fingerprint;
mod recovery;

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value, json};

pub use self::fingerprint::{EDITED_FILES, Fingerprint};
pub use self::recovery::{Recovery, read_recovery, recovery_file, remove_recovery, write_recovery};
use super::dataset::{EVENTS_FILE, MANIFEST_FILE, PLACES_FILE, SOURCES_FILE};
use super::sources::sha256_hex;
use super::text::{MAX_FILE_BYTES, read_text};
use crate::model::edit::Draft;

/// Largest source text added (64 MiB): a book, not a database dump.
const MAX_ADDED_SOURCE_BYTES: u64 = 64 * 1024 * 1024;

/// What went wrong opening, saving or adding to a dataset being edited.
#[derive(Debug, thiserror::Error)]
pub enum WorkspaceError {
    /// A file could not be read or is not what it should be: editing would lose what it holds.
    #[error("{file}: {message}; it is not edited, so that nothing in it is lost")]
    Unreadable {
        /// The file.
        file: PathBuf,
        /// What is wrong.
        message: String,
    },
    /// Someone else changed files since they were read.
    #[error("changed on disk since it was opened: {}", names(.files))]
    ChangedOnDisk {
        /// The files that changed.
        files: Vec<PathBuf>,
    },
    /// A new dataset's folder is not empty.
    #[error("{0} already exists and is not empty; choose a new or empty folder")]
    NotEmpty(PathBuf),
    /// Writing failed.
    #[error("could not write {file}: {error}")]
    Write {
        /// The file.
        file: PathBuf,
        /// Why.
        error: std::io::Error,
    },
}

fn names(files: &[PathBuf]) -> String {
    files.iter().map(|f| f.display().to_string()).collect::<Vec<_>>().join(", ")
}

/// A dataset folder opened for editing.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Workspace {
    /// The folder.
    pub dir: PathBuf,
    /// The records as last saved (or read).
    pub saved: Draft,
    /// What the files held then.
    pub fingerprint: Fingerprint,
    /// Members of the events' and places' collections other than `features` (a `name`, a `crs`),
    /// written back as they were.
    pub collection_members: [Map<String, Value>; 2],
}

impl Workspace {
    /// Reads the records of the dataset folder `dir`.
    ///
    /// # Errors
    /// [`WorkspaceError::Unreadable`] when a file is not valid JSON of the expected shape.
    pub fn open(dir: &Path) -> Result<Self, WorkspaceError> {
        let fingerprint = Fingerprint::of(dir);
        let read = |name: &str| -> Result<Option<Value>, WorkspaceError> {
            let file = dir.join(name);
            if std::fs::symlink_metadata(&file).is_err() {
                return Ok(None);
            }
            let unreadable = |message: String| WorkspaceError::Unreadable { file: file.clone(), message };
            let text = read_text(&file, MAX_FILE_BYTES).map_err(|problem| unreadable(problem.kind.to_string()))?;
            serde_json::from_str(&text).map(Some).map_err(|error| unreadable(error.to_string()))
        };
        let collection = |name: &str| -> Result<(Vec<Value>, Map<String, Value>), WorkspaceError> {
            let Some(value) = read(name)? else { return Ok(Default::default()) };
            let Value::Object(mut members) = value else {
                return Err(WorkspaceError::Unreadable {
                    file: dir.join(name),
                    message: "expected a GeoJSON FeatureCollection".into(),
                });
            };
            let features = match members.remove("features") {
                Some(Value::Array(features)) => features,
                None => Vec::new(),
                Some(_) => {
                    return Err(WorkspaceError::Unreadable {
                        file: dir.join(name),
                        message: "\"features\" is not an array".into(),
                    });
                }
            };
            members.remove("type");
            Ok((features, members))
        };
        let (events, event_members) = collection(EVENTS_FILE)?;
        let (places, place_members) = collection(PLACES_FILE)?;
        let sources = match read(SOURCES_FILE)? {
            None => Vec::new(),
            Some(Value::Array(sources)) => sources,
            Some(_) => {
                return Err(WorkspaceError::Unreadable {
                    file: dir.join(SOURCES_FILE),
                    message: "expected an array of sources".into(),
                });
            }
        };
        Ok(Self {
            dir: dir.to_path_buf(),
            saved: Draft { events, places, sources },
            fingerprint,
            collection_members: [event_members, place_members],
        })
    }

    /// The edited files' text for `draft`: pretty JSON, keys sorted, records in their order, a
    /// newline at the end. The same draft always gives the same bytes.
    pub fn render(&self, draft: &Draft) -> Vec<(&'static str, String)> {
        let collection = |features: &[Value], members: &Map<String, Value>| {
            let mut object = members.clone();
            object.insert("type".into(), json!("FeatureCollection"));
            object.insert("features".into(), Value::Array(features.to_vec()));
            pretty(&Value::Object(object))
        };
        let [event_members, place_members] = &self.collection_members;
        vec![
            (SOURCES_FILE, pretty(&Value::Array(draft.sources.clone()))),
            (PLACES_FILE, collection(&draft.places, place_members)),
            (EVENTS_FILE, collection(&draft.events, event_members)),
        ]
    }

    /// Saves `draft` into the folder: each file that changed is replaced atomically, and only if
    /// no one changed the folder's files since they were read or saved.
    ///
    /// # Errors
    /// [`WorkspaceError::ChangedOnDisk`] (nothing written) or [`WorkspaceError::Write`].
    pub fn save(&mut self, draft: &Draft) -> Result<(), WorkspaceError> {
        let changed = self.fingerprint.changed_files(&self.dir);
        if !changed.is_empty() {
            return Err(WorkspaceError::ChangedOnDisk { files: changed });
        }
        self.write_files(&self.dir, draft)?;
        self.saved = draft.clone();
        self.fingerprint = Fingerprint::of(&self.dir);
        Ok(())
    }

    fn write_files(&self, dir: &Path, draft: &Draft) -> Result<(), WorkspaceError> {
        for (name, text) in self.render(draft) {
            let file = dir.join(name);
            if std::fs::read(&file).ok().is_some_and(|bytes| bytes == text.as_bytes()) {
                continue;
            }
            super::write_atomically(&file, text.as_bytes()).map_err(|error| WorkspaceError::Write { file, error })?;
        }
        Ok(())
    }

    /// Saves `draft` as a copy of the dataset in a new folder beside it, leaving the folder (and
    /// whatever someone else saved there) as it is: "keep both". Returns the new folder.
    ///
    /// # Errors
    /// [`WorkspaceError::Write`] when the copy cannot be written.
    pub fn save_copy(&self, draft: &Draft, stamp: &str) -> Result<PathBuf, WorkspaceError> {
        let name = self.dir.file_name().map_or_else(|| "dataset".into(), |n| n.to_string_lossy().into_owned());
        let copy = self.dir.with_file_name(format!("{name} (my edits {stamp})"));
        copy_folder(&self.dir, &copy)?;
        self.write_files(&copy, draft)?;
        Ok(copy)
    }
}

fn pretty(value: &Value) -> String {
    let mut text = serde_json::to_string_pretty(value).unwrap_or_default();
    text.push('\n');
    text
}

/// Copies a dataset folder's files and its `sources/` texts (not other subfolders).
fn copy_folder(from: &Path, to: &Path) -> Result<(), WorkspaceError> {
    let failed = |file: &Path| {
        let file = file.to_path_buf();
        move |error| WorkspaceError::Write { file, error }
    };
    for sub in [PathBuf::new(), PathBuf::from("sources")] {
        let (from, to) = (from.join(&sub), to.join(&sub));
        std::fs::create_dir_all(&to).map_err(failed(&to))?;
        let Ok(entries) = std::fs::read_dir(&from) else { continue };
        for entry in entries.flatten() {
            if entry.file_type().is_ok_and(|t| t.is_file()) {
                let target = to.join(entry.file_name());
                std::fs::copy(entry.path(), &target).map_err(failed(&target))?;
            }
        }
    }
    Ok(())
}

/// Makes a new, empty dataset in `dir` (created, or empty): its manifest named `name`, no
/// events, places or sources yet.
///
/// # Errors
/// [`WorkspaceError::NotEmpty`] for a folder with files in it; [`WorkspaceError::Write`].
pub fn create_dataset(dir: &Path, name: &str) -> Result<(), WorkspaceError> {
    if std::fs::read_dir(dir).is_ok_and(|mut entries| entries.next().is_some()) || dir.is_file() {
        return Err(WorkspaceError::NotEmpty(dir.to_path_buf()));
    }
    let manifest = json!({"name": name.trim(), "description": null});
    let empty = Workspace::default();
    let files = [(MANIFEST_FILE, pretty(&manifest))].into_iter().chain(empty.render(&Draft::default()));
    for (file_name, text) in files {
        let file = dir.join(file_name);
        super::write_atomically(&file, text.as_bytes()).map_err(|error| WorkspaceError::Write { file, error })?;
    }
    Ok(())
}

/// Stores a source's verbatim text in `dir/sources/`, named by its order and sha256; the same
/// text stored twice is one file. Returns its path relative to `dir` and its sha256.
///
/// # Errors
/// [`WorkspaceError::Write`].
pub fn store_source_text(dir: &Path, text: &str) -> Result<(String, String), WorkspaceError> {
    let sha256 = sha256_hex(text.as_bytes());
    let folder = dir.join("sources");
    let short = sha256.get(..16).unwrap_or(&sha256);
    let existing: Vec<String> = std::fs::read_dir(&folder)
        .map(|entries| entries.flatten().map(|e| e.file_name().to_string_lossy().into_owned()).collect())
        .unwrap_or_default();
    if let Some(same) = existing.iter().find(|name| name.ends_with(&format!("_{short}.txt"))) {
        return Ok((format!("sources/{same}"), sha256));
    }
    let name = format!("{:03}_{short}.txt", existing.len());
    let file = folder.join(&name);
    super::write_atomically(&file, text.as_bytes()).map_err(|error| WorkspaceError::Write { file, error })?;
    Ok((format!("sources/{name}"), sha256))
}

/// Reads a file to add as a source: plain text or Markdown as it is, HTML as its text.
///
/// # Errors
/// What is wrong with the file, in words naming it.
pub fn read_source_file(path: &Path) -> Result<String, String> {
    let text = read_text(path, MAX_ADDED_SOURCE_BYTES).map_err(|problem| problem.to_string())?;
    let is_html = path.extension().is_some_and(|e| e.eq_ignore_ascii_case("html") || e.eq_ignore_ascii_case("htm"))
        || text.trim_start().get(..15).is_some_and(|start| start.eq_ignore_ascii_case("<!doctype html>"));
    Ok(if is_html { super::formats::text_from_html(&text) } else { text })
}

#[cfg(test)]
#[path = "tests.rs"]
mod tests;
