//! Reading `sources.json` and the verbatim source texts it points to, confined to the dataset directory.

use std::collections::HashMap;
use std::fmt::Write as _;
use std::path::{Component, Path, PathBuf};

use serde::Deserialize;
use sha2::{Digest as _, Sha256};

use super::fields::parse_span;
use super::problem::{Location, Problem, ProblemKind};
use super::text::{ReadBudget, open_regular, text_from_bytes};
use crate::model::text::CharIndex;
use crate::model::{DateBasis, Publication, Source, SourceKind};

/// Largest source text read (256 MiB): far beyond any article or book, small enough to lay out.
pub const MAX_SOURCE_BYTES: u64 = 256 * 1024 * 1024;

#[derive(Deserialize)]
struct RawSource {
    id: String,
    title: String,
    outlet: Option<String>,
    author: Option<String>,
    kind: Option<String>,
    language: Option<String>,
    published: Option<RawPublished>,
    url: Option<String>,
    path: String,
    sha256: Option<String>,
}

#[derive(Deserialize)]
struct RawPublished {
    start: Option<String>,
    end: Option<String>,
    basis: Option<String>,
    note: Option<String>,
}

/// Parses `sources.json` and reads each source's text from `dataset_dir`, within `budget`. A
/// source that is not of the expected shape is one located problem; the others still load.
pub fn parse_sources(
    file: &Path,
    text: &str,
    dataset_dir: &Path,
    budget: &mut ReadBudget,
    problems: &mut Vec<Problem>,
) -> Vec<Source> {
    let at_file = Location { file: file.to_path_buf(), ..Location::default() };
    let entries: Vec<&serde_json::value::RawValue> = match serde_json::from_str(text) {
        Ok(entries) => entries,
        Err(error) => {
            let kind = if error.is_syntax() || error.is_eof() {
                ProblemKind::Syntax { line: error.line(), column: error.column(), message: error.to_string() }
            } else {
                ProblemKind::WrongShape(format!("expected an array of sources: {error}"))
            };
            problems.push(Problem::error(at_file, kind));
            return Vec::new();
        }
    };
    let raw = entries.into_iter().enumerate().filter_map(|(index, entry)| {
        let mut deserializer = serde_json::Deserializer::from_str(entry.get());
        match serde_path_to_error::deserialize::<_, RawSource>(&mut deserializer) {
            Ok(source) => Some((index, source)),
            Err(error) => {
                let field = error.path().to_string();
                let id = serde_json::from_str::<serde_json::Value>(entry.get())
                    .ok()
                    .and_then(|v| v.get("id").and_then(|id| id.as_str().map(str::to_owned)));
                let at = Location { index: Some(index), id, field: (field != ".").then_some(field), ..at_file.clone() };
                problems.push(Problem::error(
                    at,
                    ProblemKind::WrongShape(format!("{}; the source was skipped", error.inner())),
                ));
                None
            }
        }
    });
    let raw: Vec<(usize, RawSource)> = raw.collect();
    let mut sources = Vec::new();
    let mut first_index_of_id: HashMap<String, usize> = HashMap::new();
    for (index, raw) in raw {
        let at = Location { index: Some(index), id: Some(raw.id.clone()), ..at_file.clone() };
        let field = |name: &str| Location { field: Some(name.to_owned()), ..at.clone() };
        if let Some(&first_index) = first_index_of_id.get(&raw.id) {
            problems.push(Problem::error(
                field("id"),
                ProblemKind::DuplicateId { id: raw.id, first_index, record: "feature" },
            ));
            continue;
        }
        let kind = match raw.kind.as_deref().map(|k| (k, SourceKind::from_key(k))) {
            None => SourceKind::Other,
            Some((_, Some(kind))) => kind,
            Some((key, None)) => {
                problems.push(Problem::error(
                    field("kind"),
                    ProblemKind::UnknownValue { value: key.to_owned(), expected: SourceKind::keys() },
                ));
                SourceKind::Other
            }
        };
        let published = raw.published.map_or(Publication { span: None, basis: None, note: None }, |p| {
            let span = p.start.as_deref().and_then(|start| {
                let at_published = Location { field: Some("published".into()), ..at.clone() };
                parse_span(Some(start), p.end.as_deref(), false, &at_published, problems)
            });
            let basis = p.basis.as_deref().and_then(|key| {
                let basis = DateBasis::from_key(key);
                if basis.is_none() {
                    problems.push(Problem::error(
                        field("published.basis"),
                        ProblemKind::UnknownValue { value: key.to_owned(), expected: DateBasis::keys() },
                    ));
                }
                basis
            });
            Publication { span, basis, note: p.note }
        });
        let target = SourceText { dataset_dir, relative: &raw.path, expected_sha256: raw.sha256.as_deref() };
        let text = target.read(&field("path"), &field("sha256"), budget, problems);
        first_index_of_id.insert(raw.id.clone(), index);
        sources.push(Source {
            id: raw.id,
            title: raw.title,
            outlet: raw.outlet,
            author: raw.author,
            kind,
            language: raw.language,
            published,
            url: raw.url,
            path: raw.path,
            sha256: raw.sha256,
            char_index: text.as_deref().map(CharIndex::new).unwrap_or_default(),
            text,
        });
    }
    sources
}

/// A source's text file, as `sources.json` names it.
struct SourceText<'a> {
    dataset_dir: &'a Path,
    relative: &'a str,
    expected_sha256: Option<&'a str>,
}

impl SourceText<'_> {
    /// Opens the file once, checks that what was opened is a regular file inside the dataset
    /// directory, reads it within the limits, and checks the hash of the very bytes it returns.
    fn read(
        &self,
        at_path: &Location,
        at_hash: &Location,
        budget: &mut ReadBudget,
        problems: &mut Vec<Problem>,
    ) -> Option<String> {
        let Some(path) = confined_path(self.dataset_dir, self.relative) else {
            problems.push(Problem::error(at_path.clone(), ProblemKind::UnsafePath(self.relative.to_owned())));
            return None;
        };
        let unreadable = |kind: ProblemKind| {
            Problem::error(at_path.clone(), ProblemKind::Unreadable(format!("{}: {kind}", path.display())))
        };
        let opened = match open_regular(&path) {
            Ok(opened) => opened,
            Err(kind) => {
                problems.push(unreadable(kind));
                return None;
            }
        };
        let inside = match (self.dataset_dir.canonicalize(), opened.real_path(&path)) {
            (Ok(dir), Some(real)) => real.starts_with(dir),
            _ => false,
        };
        if !inside {
            problems.push(Problem::error(at_path.clone(), ProblemKind::UnsafePath(self.relative.to_owned())));
            return None;
        }
        let bytes = match opened.read_all(MAX_SOURCE_BYTES, budget) {
            Ok(bytes) => bytes,
            Err(kind) => {
                problems.push(unreadable(kind));
                return None;
            }
        };
        if let Some(expected) = self.expected_sha256 {
            let actual = sha256_hex(&bytes);
            if !actual.eq_ignore_ascii_case(expected) {
                problems.push(Problem::error(
                    at_hash.clone(),
                    ProblemKind::HashMismatch { expected: expected.to_owned(), actual },
                ));
            }
        }
        match text_from_bytes(bytes) {
            Ok(text) => Some(text),
            Err(kind) => {
                problems.push(unreadable(kind));
                None
            }
        }
    }
}

/// Hex sha256 of some bytes.
pub fn sha256_hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes).iter().fold(String::with_capacity(64), |mut hex, byte| {
        write!(hex, "{byte:02x}").ok();
        hex
    })
}

/// `relative` joined to `dir`, or `None` when it is absolute, climbs out with `..`, or resolves
/// (through symlinks) to somewhere outside `dir`.
pub fn confined_path(dir: &Path, relative: &str) -> Option<PathBuf> {
    let relative_path = Path::new(relative);
    if relative.is_empty() || !relative_path.components().all(|c| matches!(c, Component::Normal(_) | Component::CurDir))
    {
        return None;
    }
    let joined = dir.join(relative_path);
    // Symlinks may point anywhere: compare real paths when the file exists.
    match (dir.canonicalize(), joined.canonicalize()) {
        (Ok(real_dir), Ok(real_file)) => real_file.starts_with(&real_dir).then_some(joined),
        _ => Some(joined),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_stay_inside_the_dataset() {
        let dir = Path::new("/tmp/kronika-dataset-that-does-not-exist");
        assert!(confined_path(dir, "sources/a.txt").is_some());
        assert!(confined_path(dir, "./sources/a.txt").is_some());
        assert!(confined_path(dir, "../secret.txt").is_none());
        assert!(confined_path(dir, "sources/../../secret.txt").is_none());
        assert!(confined_path(dir, "/etc/passwd").is_none());
        assert!(confined_path(dir, "").is_none());
    }

    #[test]
    fn sha256_of_known_text() {
        assert_eq!(sha256_hex(b"abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    }
}
