//! What a dataset's edited files held, to know whether someone else changed them.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::io::dataset::{EVENTS_FILE, PLACES_FILE, SOURCES_FILE};
use crate::io::sources::sha256_hex;

/// The files an editor rewrites, in the order they are written.
pub const EDITED_FILES: [&str; 3] = [SOURCES_FILE, PLACES_FILE, EVENTS_FILE];

/// What the edited files held when they were read or last saved (their sha256; `None`: absent).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Fingerprint(Vec<(String, Option<String>)>);

impl Fingerprint {
    /// The edited files of `dir` as they are now.
    pub fn of(dir: &Path) -> Self {
        Self(
            EDITED_FILES
                .iter()
                .map(|name| ((*name).to_owned(), std::fs::read(dir.join(name)).ok().map(|bytes| sha256_hex(&bytes))))
                .collect(),
        )
    }

    /// The files of `dir` that differ from this fingerprint.
    pub fn changed_files(&self, dir: &Path) -> Vec<PathBuf> {
        let now = Self::of(dir);
        self.0.iter().zip(&now.0).filter(|(then, now)| then != now).map(|((name, _), _)| dir.join(name)).collect()
    }
}
