//! Reading and writing `stories.json`: each story and step checked on its own (its view, the
//! events its view selects and its caption links), a bad one reported with its place while the
//! rest load; written back atomically.

use std::path::Path;

use serde::{Deserialize, Serialize};

use super::problem::{Location, Problem, ProblemKind};
use crate::model::Dataset;
use crate::model::story::{Step, Story, linked_events};
use crate::model::view_link::ViewLink;

#[derive(Deserialize, Serialize)]
struct RawFile {
    stories: Vec<serde_json::Value>,
}

#[derive(Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
struct RawStory {
    id: String,
    title: String,
    #[serde(default)]
    description: String,
    steps: Vec<RawStep>,
}

#[derive(Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
struct RawStep {
    title: String,
    caption: String,
    view: String,
}

/// Parses `text` (the content of `file`) into stories over `dataset`'s events.
pub fn parse_stories(file: &Path, text: &str, dataset: &Dataset, problems: &mut Vec<Problem>) -> Vec<Story> {
    let at_file = Location { file: file.to_path_buf(), ..Location::default() };
    let raw = match serde_json::from_str::<RawFile>(text) {
        Ok(raw) => raw,
        Err(error) => {
            let at = Location { line: Some(error.line()), ..at_file };
            problems
                .push(Problem::error(at, ProblemKind::WrongShape(format!("expected {{\"stories\": [ … ]}}: {error}"))));
            return Vec::new();
        }
    };
    let mut stories: Vec<Story> = Vec::new();
    for (index, value) in raw.stories.into_iter().enumerate() {
        let id = value.get("id").and_then(serde_json::Value::as_str).map(str::to_owned);
        let at = |field: String| Location {
            index: Some(index),
            id: id.clone(),
            field: (!field.is_empty()).then_some(field),
            record_word: "story",
            ..at_file.clone()
        };
        let story = match serde_json::from_value::<RawStory>(value) {
            Ok(story) => story,
            Err(error) => {
                problems.push(Problem::error(
                    at(String::new()),
                    ProblemKind::WrongShape(format!("{error}; the story was skipped")),
                ));
                continue;
            }
        };
        if stories.iter().any(|s| s.id == story.id) {
            problems.push(Problem::error(
                at("id".into()),
                ProblemKind::WrongShape("this story id is used twice; the later story was skipped".into()),
            ));
            continue;
        }
        let mut steps = Vec::new();
        for (n, step) in story.steps.into_iter().enumerate() {
            let view = match ViewLink::parse(&step.view) {
                Ok(view) => view,
                Err(error) => {
                    problems.push(Problem::error(
                        at(format!("steps[{n}].view")),
                        ProblemKind::WrongShape(format!("{error}; the step was skipped")),
                    ));
                    continue;
                }
            };
            let unknown = view
                .select
                .iter()
                .map(String::as_str)
                .chain(linked_events(&step.caption))
                .find(|id| dataset.event_idx(id).is_none());
            if let Some(unknown) = unknown {
                problems.push(Problem::error(
                    at(format!("steps[{n}]")),
                    ProblemKind::UnknownReference {
                        what: "event",
                        id: unknown.to_owned(),
                        consequence: "; the step was kept, the link leads nowhere",
                    },
                ));
            }
            steps.push(Step { title: step.title, caption: step.caption, view });
        }
        stories.push(Story { id: story.id, title: story.title, description: story.description, steps });
    }
    stories
}

/// Writes `stories` to `path` atomically, in the shape [`parse_stories`] reads.
///
/// # Errors
/// What writing failed with; the file is then untouched.
pub fn write_stories(path: &Path, stories: &[Story]) -> std::io::Result<()> {
    let raw: Vec<RawStory> = stories
        .iter()
        .map(|story| RawStory {
            id: story.id.clone(),
            title: story.title.clone(),
            description: story.description.clone(),
            steps: story
                .steps
                .iter()
                .map(|step| RawStep {
                    title: step.title.clone(),
                    caption: step.caption.clone(),
                    view: step.view.to_text(),
                })
                .collect(),
        })
        .collect();
    let value = serde_json::json!({ "stories": raw });
    let mut text = Vec::new();
    let formatter = serde_json::ser::PrettyFormatter::with_indent(b" ");
    let mut serializer = serde_json::Serializer::with_formatter(&mut text, formatter);
    value.serialize(&mut serializer).map_err(std::io::Error::other)?;
    text.push(b'\n');
    super::atomic::write_atomically(path, &text)
}
