//! Unsaved edits kept in a recovery file after every change, so that a crash loses nothing: the
//! next start that opens the dataset offers them back.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use super::fingerprint::Fingerprint;
use crate::io::sources::sha256_hex;
use crate::model::edit::Draft;

/// Largest recovery file read back.
const MAX_RECOVERY_BYTES: u64 = 512 * 1024 * 1024;

/// Edits not yet saved, of one dataset folder.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Recovery {
    /// The dataset folder.
    pub dataset: PathBuf,
    /// When they were kept (RFC 3339, local time).
    pub written: String,
    /// What the dataset's files held when the edits began.
    pub base: Fingerprint,
    /// The records with the edits.
    pub draft: Draft,
    /// How many records differ from the saved dataset.
    pub changed_records: usize,
}

/// The recovery file of the dataset folder `dataset`, in `folder`.
pub fn recovery_file(folder: &Path, dataset: &Path) -> PathBuf {
    let absolute = std::fs::canonicalize(dataset).unwrap_or_else(|_| dataset.to_path_buf());
    let hash = sha256_hex(absolute.to_string_lossy().as_bytes());
    folder.join(format!("{}.json", hash.get(..20).unwrap_or(&hash)))
}

/// Keeps `recovery` in `folder`, replacing the dataset's previous one atomically.
///
/// # Errors
/// Whatever writing fails with.
pub fn write_recovery(folder: &Path, recovery: &Recovery) -> std::io::Result<()> {
    let text = serde_json::to_vec(recovery).map_err(std::io::Error::other)?;
    crate::io::write_atomically(&recovery_file(folder, &recovery.dataset), &text)
}

/// The unsaved edits of `dataset` kept in `folder`, if any; an error when the file is there but
/// cannot be read (it is then left alone).
pub fn read_recovery(folder: &Path, dataset: &Path) -> Option<Result<Recovery, String>> {
    let file = recovery_file(folder, dataset);
    std::fs::symlink_metadata(&file).ok()?;
    let read = crate::io::read_text(&file, MAX_RECOVERY_BYTES).map_err(|problem| problem.to_string());
    Some(read.and_then(|text| serde_json::from_str(&text).map_err(|error| format!("{}: {error}", file.display()))))
}

/// Forgets the unsaved edits of `dataset` (they were saved or discarded).
///
/// # Errors
/// Whatever removing fails with, except that the file was not there.
pub fn remove_recovery(folder: &Path, dataset: &Path) -> std::io::Result<()> {
    match std::fs::remove_file(recovery_file(folder, dataset)) {
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => Ok(()),
        done => done,
    }
}
