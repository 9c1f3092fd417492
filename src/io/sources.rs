//! Reading `sources.json` and the verbatim source texts it points to, confined to the dataset directory.

use std::collections::HashMap;
use std::fmt::Write as _;
use std::path::{Component, Path, PathBuf};

use serde::Deserialize;
use sha2::{Digest as _, Sha256};

use super::fields::parse_span;
use super::problem::{Location, Problem, ProblemKind};
use super::text::{MAX_FILE_BYTES, read_text};
use crate::model::{DateBasis, Publication, Source, SourceKind};

#[derive(Deserialize)]
struct RawSource {
    id: String,
    title: String,
    outlet: Option<String>,
    author: Option<String>,
    kind: Option<String>,
    language: Option<String>,
    published: Option<RawPublished>,
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

/// Parses `sources.json` and reads each source's text from `dataset_dir`.
pub fn parse_sources(file: &Path, text: &str, dataset_dir: &Path, problems: &mut Vec<Problem>) -> Vec<Source> {
    let at_file = Location { file: file.to_path_buf(), ..Location::default() };
    let mut deserializer = serde_json::Deserializer::from_str(text);
    let raw: Vec<RawSource> = match serde_path_to_error::deserialize(&mut deserializer) {
        Ok(raw) => raw,
        Err(error) => {
            let inner = error.inner();
            let kind = if inner.is_syntax() || inner.is_eof() {
                ProblemKind::Syntax { line: inner.line(), column: inner.column(), message: inner.to_string() }
            } else {
                ProblemKind::WrongShape(inner.to_string())
            };
            problems.push(Problem::error(Location { field: Some(error.path().to_string()), ..at_file }, kind));
            return Vec::new();
        }
    };
    let mut sources = Vec::with_capacity(raw.len());
    let mut first_index_of_id: HashMap<String, usize> = HashMap::new();
    for (index, raw) in raw.into_iter().enumerate() {
        let at = Location { index: Some(index), id: Some(raw.id.clone()), ..at_file.clone() };
        let field = |name: &str| Location { field: Some(name.to_owned()), ..at.clone() };
        if let Some(&first_index) = first_index_of_id.get(&raw.id) {
            problems.push(Problem::error(field("id"), ProblemKind::DuplicateId { id: raw.id, first_index }));
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
        let text =
            read_source_text(dataset_dir, &raw.path, raw.sha256.as_deref(), &field("path"), &field("sha256"), problems);
        first_index_of_id.insert(raw.id.clone(), index);
        sources.push(Source {
            id: raw.id,
            title: raw.title,
            outlet: raw.outlet,
            author: raw.author,
            kind,
            language: raw.language,
            published,
            path: raw.path,
            sha256: raw.sha256,
            text,
        });
    }
    sources
}

fn read_source_text(
    dataset_dir: &Path,
    relative: &str,
    expected_sha256: Option<&str>,
    at_path: &Location,
    at_hash: &Location,
    problems: &mut Vec<Problem>,
) -> Option<String> {
    let Some(path) = confined_path(dataset_dir, relative) else {
        problems.push(Problem::error(at_path.clone(), ProblemKind::UnsafePath(relative.to_owned())));
        return None;
    };
    let bytes = match read_text(&path, MAX_FILE_BYTES) {
        Ok(text) => text,
        Err(problem) => {
            let mut problem = *problem;
            problem.location = Location { file: at_path.file.clone(), ..at_path.clone() };
            problem.kind = ProblemKind::Unreadable(format!("{}: {}", path.display(), problem.kind));
            problems.push(problem);
            return None;
        }
    };
    if let Some(expected) = expected_sha256 {
        let actual = sha256_hex(&std::fs::read(&path).unwrap_or_default());
        if !actual.eq_ignore_ascii_case(expected) {
            problems.push(Problem::error(
                at_hash.clone(),
                ProblemKind::HashMismatch { expected: expected.to_owned(), actual },
            ));
        }
    }
    Some(bytes)
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
