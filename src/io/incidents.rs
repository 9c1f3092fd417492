//! Reading `incidents.json`: which records are accounts of one happening, how sure that is and
//! why. Every entry is checked on its own; a bad entry is reported with its index and id, and the
//! others still load.

use std::collections::HashMap;
use std::path::Path;

use serde::Deserialize;

use super::problem::{Location, Problem, ProblemKind};
use crate::model::Dataset;
use crate::model::incident::{Confidence, Incident};

/// The file's shape.
#[derive(Deserialize)]
struct RawFile {
    incidents: Vec<serde_json::Value>,
}

/// One entry, as written.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawIncident {
    id: String,
    title: String,
    accounts: Vec<String>,
    confidence: String,
    reason: String,
}

/// Parses `text` (the content of `file`) into incidents over `dataset`'s events.
pub fn parse_incidents(file: &Path, text: &str, dataset: &Dataset, problems: &mut Vec<Problem>) -> Vec<Incident> {
    let at_file = Location { file: file.to_path_buf(), ..Location::default() };
    let raw = match serde_json::from_str::<RawFile>(text) {
        Ok(raw) => raw,
        Err(error) => {
            let at = Location { line: Some(error.line()), ..at_file };
            let message = format!("expected {{\"incidents\": [ … ]}}: {error}");
            problems.push(Problem::error(at, ProblemKind::WrongShape(message)));
            return Vec::new();
        }
    };
    let mut incidents: Vec<Incident> = Vec::new();
    let mut owner: HashMap<String, String> = HashMap::new();
    for (index, value) in raw.incidents.into_iter().enumerate() {
        let id = value.get("id").and_then(serde_json::Value::as_str).map(str::to_owned);
        let at = |field: &str| Location {
            index: Some(index),
            id: id.clone(),
            field: (!field.is_empty()).then(|| field.to_owned()),
            record_word: "incident",
            ..at_file.clone()
        };
        let entry = match serde_json::from_value::<RawIncident>(value) {
            Ok(entry) => entry,
            Err(error) => {
                problems.push(Problem::error(
                    at(""),
                    ProblemKind::WrongShape(format!("{error}; the incident was skipped")),
                ));
                continue;
            }
        };
        if incidents.iter().any(|incident| incident.id == entry.id) {
            let message = "this incident id is used twice; the later incident was skipped".to_owned();
            problems.push(Problem::error(at("id"), ProblemKind::WrongShape(message)));
            continue;
        }
        let Some(confidence) = Confidence::from_key(&entry.confidence) else {
            let message = format!("unknown confidence {:?}; expected certain, probable or possible", entry.confidence);
            problems.push(Problem::error(at("confidence"), ProblemKind::WrongShape(message)));
            continue;
        };
        if entry.reason.trim().is_empty() || entry.title.trim().is_empty() {
            let field = if entry.title.trim().is_empty() { "title" } else { "reason" };
            problems.push(Problem::error(at(field), ProblemKind::Missing));
            continue;
        }
        let mut accounts = Vec::new();
        for (k, account) in entry.accounts.iter().enumerate() {
            let field = format!("accounts[{k}]");
            let Some(idx) = dataset.event_idx(account) else {
                problems.push(Problem::error(
                    at(&field),
                    ProblemKind::UnknownReference {
                        what: "event",
                        id: account.clone(),
                        consequence: "; the account was left out of the incident",
                    },
                ));
                continue;
            };
            if let Some(other) = owner.get(account) {
                let message = format!(
                    "{account:?} is already an account of incident {other:?}; a record belongs to one incident"
                );
                problems.push(Problem::error(at(&field), ProblemKind::WrongShape(message)));
                continue;
            }
            owner.insert(account.clone(), entry.id.clone());
            accounts.push(idx);
        }
        if accounts.len() < 2 {
            let message = "an incident groups at least two accounts; this one was skipped".to_owned();
            problems.push(Problem::error(at("accounts"), ProblemKind::WrongShape(message)));
            continue;
        }
        incidents.push(Incident { id: entry.id, title: entry.title, accounts, confidence, reason: entry.reason });
    }
    incidents
}
