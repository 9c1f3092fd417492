//! Load problems: what is wrong, and exactly where.

use std::fmt;
use std::path::PathBuf;

/// How bad a problem is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// The data is wrong: the feature (or the link, citation or file named) was not loaded.
    Error,
    /// Loaded, but worth a look.
    Warning,
}

/// What went wrong.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum ProblemKind {
    /// The file could not be read.
    #[error("cannot read the file: {0}")]
    Unreadable(String),
    /// The file is bigger than Kronika will read.
    #[error("the file is {size_bytes} bytes, more than the {limit_bytes}-byte limit; it was not read")]
    TooLarge {
        /// Size on disk.
        size_bytes: u64,
        /// The limit.
        limit_bytes: u64,
    },
    /// Not a regular file: a directory, a FIFO, a device. Only regular files are read.
    #[error("it is {0}, not a regular file; only regular files are read")]
    NotRegularFile(&'static str),
    /// The dataset's files together are more than Kronika reads for one dataset.
    #[error(
        "this {size_bytes}-byte file would take the dataset past its {budget_bytes}-byte reading budget \
         ({remaining_bytes} bytes left); it was not read"
    )]
    DatasetTooLarge {
        /// This file's size.
        size_bytes: u64,
        /// What the dataset could still read.
        remaining_bytes: u64,
        /// The whole budget.
        budget_bytes: u64,
    },
    /// Not enough memory to read it.
    #[error(
        "reading it needs {needed_bytes} bytes of memory, but only {available_bytes} are available; it was not read"
    )]
    OutOfMemory {
        /// What reading needs.
        needed_bytes: u64,
        /// What the system has.
        available_bytes: u64,
    },
    /// Not UTF-8 text.
    #[error("the file is not UTF-8 text ({0}); save it as UTF-8")]
    NotUtf8(String),
    /// Not valid JSON.
    #[error("invalid JSON at line {line}, column {column}: {message}")]
    Syntax {
        /// 1-based line.
        line: usize,
        /// 1-based column.
        column: usize,
        /// What the parser said.
        message: String,
    },
    /// Valid JSON, but not the expected shape.
    #[error("{0}")]
    WrongShape(String),
    /// A required field is absent.
    #[error("required field is missing")]
    Missing,
    /// A date that is not a date.
    #[error("invalid date {value:?}: {reason}")]
    BadDate {
        /// The value as written.
        value: String,
        /// Why it is not a date.
        reason: String,
    },
    /// End before start.
    #[error("{0}")]
    EndBeforeStart(String),
    /// A coordinate that is not a place on Earth.
    #[error("{0}")]
    BadCoordinate(String),
    /// A value outside a closed vocabulary.
    #[error("unknown value {value:?}; expected one of: {expected}")]
    UnknownValue {
        /// The value as written.
        value: String,
        /// The accepted values.
        expected: String,
    },
    /// Two records share an id.
    #[error("duplicate id {id:?}: {record} {first_index} already uses it; this {record} was skipped")]
    DuplicateId {
        /// The id.
        id: String,
        /// Index of the record that kept it.
        first_index: usize,
        /// What the file calls its records: "feature", "row", "placemark".
        record: &'static str,
    },
    /// A reference to an id that does not exist.
    #[error("unknown {what} id {id:?}{consequence}")]
    UnknownReference {
        /// "place", "source" or "event".
        what: &'static str,
        /// The id as written.
        id: String,
        /// What Kronika did about it.
        consequence: &'static str,
    },
    /// A summary states numbers or names that none of the record's quotes contain.
    #[error(
        "the summary states {facts}, found in none of the record's quotes; cite the passage that says it, or reword"
    )]
    UnbackedSummary {
        /// The facts, quoted and listed.
        facts: String,
    },
    /// A quote that is not in its source.
    #[error("the quote is not verbatim in source {source_id:?}: {quote_start:?}; the citation was not loaded")]
    QuoteNotInSource {
        /// The source's id.
        source_id: String,
        /// The first words of the quote.
        quote_start: String,
    },
    /// A citation range that does not select its quote.
    #[error("range {start}..{end} does not select the quote in source {source_id:?}{hint}")]
    RangeMismatch {
        /// The source's id.
        source_id: String,
        /// Range start.
        start: usize,
        /// Range end.
        end: usize,
        /// Where the quote actually is.
        hint: String,
    },
    /// A source text that changed.
    #[error("sha256 mismatch: the data says {expected}, the file is {actual}")]
    HashMismatch {
        /// As recorded.
        expected: String,
        /// As computed.
        actual: String,
    },
    /// A path that leaves the dataset directory.
    #[error("path {0:?} leaves the dataset directory; it was not read")]
    UnsafePath(String),
    /// An event with no citation in a dataset directory.
    #[error("the event cites no source")]
    NoCitation,
    /// Many more problems like one already listed.
    #[error("{count} more like this: {example} (first at records {indexes}, …)")]
    Repeated {
        /// How many more.
        count: usize,
        /// What the first of them said.
        example: String,
        /// Where the first few are (record indexes).
        indexes: String,
    },
    /// Kronika itself failed on this input (a bug): what was being read is skipped, the rest loads.
    #[error("Kronika failed while reading this ({0}); it was skipped and everything else loaded. Please report it.")]
    Internal(String),
}

/// Where a problem is.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Location {
    /// The file.
    pub file: PathBuf,
    /// 0-based index of the feature or entry in the file.
    pub index: Option<usize>,
    /// The feature's id, when it has one.
    pub id: Option<String>,
    /// The field, as a path: `properties.start`, `geometry.coordinates[1]`.
    pub field: Option<String>,
    /// 1-based line of the feature or error in the file, when known.
    pub line: Option<usize>,
    /// What the file's records are called ("row", "placemark"); "feature" when empty.
    pub record_word: &'static str,
}

/// Longest id or field shown in a location: the file may hold a megabyte-long one.
const MAX_LOCATION_PART_CHARS: usize = 200;

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let clip = |text: &str| crate::model::text::clip(text, MAX_LOCATION_PART_CHARS).into_owned();
        write!(f, "{}", clip(&self.file.display().to_string()))?;
        if let Some(line) = self.line {
            write!(f, ":{line}")?;
        }
        if let Some(index) = self.index {
            let word = if self.record_word.is_empty() { "feature" } else { self.record_word };
            write!(f, ": {word} {index}")?;
        }
        if let Some(id) = &self.id {
            write!(f, " (id {:?})", clip(id))?;
        }
        if let Some(field) = &self.field {
            write!(f, ", field `{}`", clip(field))?;
        }
        Ok(())
    }
}

/// One thing wrong with the input.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{severity_word}: {location}: {kind}", severity_word = self.severity_word())]
pub struct Problem {
    /// How bad it is.
    pub severity: Severity,
    /// Where it is.
    pub location: Location,
    /// What it is.
    pub kind: ProblemKind,
}

impl Problem {
    /// An error at `location`.
    pub fn error(location: Location, kind: ProblemKind) -> Self {
        Self { severity: Severity::Error, location, kind }
    }

    /// A warning at `location`.
    pub fn warning(location: Location, kind: ProblemKind) -> Self {
        Self { severity: Severity::Warning, location, kind }
    }

    /// The problem of a record numbered `by` further on: its reader numbered from 0 records that
    /// come later in the file.
    pub fn renumber(&mut self, by: usize) {
        if let Some(index) = &mut self.location.index {
            *index += by;
        }
    }

    fn severity_word(&self) -> &'static str {
        match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        }
    }
}

/// Problems of one kind in one file and field listed one by one at most this often; beyond, the
/// rest are told as one line with a count.
pub const LISTED_PER_KIND: usize = 20;

/// The problems with long runs of the same kind (same file, field and kind of problem) folded:
/// the first [`LISTED_PER_KIND`] are kept as they are, the rest become one problem that counts
/// them and names where the first few were. A 200,000-row file with one systematic problem gives
/// twenty-one lines, not 200,000.
pub fn aggregate(problems: Vec<Problem>) -> Vec<Problem> {
    use std::collections::HashMap;
    type Key = (Severity, std::path::PathBuf, Option<String>, std::mem::Discriminant<ProblemKind>);
    let key = |p: &Problem| -> Key {
        (p.severity, p.location.file.clone(), p.location.field.clone(), std::mem::discriminant(&p.kind))
    };
    let mut counts: HashMap<Key, usize> = HashMap::new();
    for problem in &problems {
        *counts.entry(key(problem)).or_default() += 1;
    }
    if counts.values().all(|&n| n <= LISTED_PER_KIND) {
        return problems;
    }
    let mut seen: HashMap<Key, usize> = HashMap::new();
    let mut folded: HashMap<Key, (Problem, usize, Vec<String>)> = HashMap::new();
    let mut out = Vec::new();
    for problem in problems {
        let k = key(&problem);
        let n = seen.entry(k.clone()).or_default();
        *n += 1;
        if *n <= LISTED_PER_KIND {
            out.push(problem);
        } else {
            let entry = folded.entry(k).or_insert_with(|| (problem.clone(), 0, Vec::new()));
            entry.1 += 1;
            if entry.2.len() < 3 {
                entry.2.push(problem.location.index.map_or_else(|| "?".to_owned(), |i| format!("{i}")));
            }
        }
    }
    let mut rest: Vec<(Problem, usize, Vec<String>)> = folded.into_values().collect();
    rest.sort_by_key(|(p, _, _)| (p.location.file.clone(), p.location.index));
    for (first, count, indexes) in rest {
        let location = Location { index: None, id: None, line: None, ..first.location.clone() };
        let kind = ProblemKind::Repeated { count, example: first.kind.to_string(), indexes: indexes.join(", ") };
        out.push(Problem { severity: first.severity, location, kind });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_runs_of_one_kind_are_counted_not_listed() {
        let problem = |index: usize, field: &str| {
            let at =
                Location { file: "a.csv".into(), index: Some(index), field: Some(field.into()), ..Location::default() };
            Problem::warning(at, ProblemKind::Missing)
        };
        let mut problems: Vec<Problem> = (0..1000).map(|i| problem(i, "event_date")).collect();
        problems.push(problem(5, "latitude"));
        let folded = aggregate(problems);
        assert_eq!(folded.len(), LISTED_PER_KIND + 2);
        let summary = folded.last().unwrap().to_string();
        assert!(summary.contains("980 more") && summary.contains("20, 21, 22"), "{summary}");
    }
}
