//! Stories in the app: opening one, going step by step (each step's view applied), writing and
//! saving them.

use super::KronikaApp;
use crate::model::story::{Step, Story};
use crate::ui::command::StoryEdit;

impl KronikaApp {
    /// Opens a story at its first step, or goes back to the list.
    pub(super) fn open_story(&mut self, story: Option<usize>) {
        self.story.story = story.filter(|&i| i < self.report.dataset.stories.len());
        self.story.step = 0;
        self.story.editing = false;
        self.windows.story = true;
        if self.story.story.is_some() {
            self.go_to_step(0);
        } else {
            self.story.presenting = false;
        }
    }

    /// Shows a step: its view applied to the timeline, the map and the selection.
    pub(super) fn go_to_step(&mut self, step: usize) {
        let Some(story) = self.story.story.and_then(|i| self.report.dataset.stories.get(i)) else { return };
        let Some(view) = story.steps.get(step).map(|s| s.view.clone()) else { return };
        self.story.step = step;
        if view.select.is_none() {
            self.select_none();
        }
        self.apply_view(view);
    }

    /// Changes the open story (or starts one).
    pub(super) fn edit_story(&mut self, edit: StoryEdit) {
        let view = self.current_view();
        let stories = &mut self.report.dataset.stories;
        if edit == StoryEdit::NewStory {
            let number = stories.len() + 1;
            stories.push(Story {
                id: format!("story-{number}"),
                title: format!("Story {number}"),
                description: String::new(),
                steps: vec![Step { title: "First step".into(), caption: String::new(), view }],
            });
            self.story = crate::ui::story::StoryState {
                story: Some(stories.len() - 1),
                step: 0,
                editing: true,
                presenting: false,
            };
            self.unsaved_stories = true;
            return;
        }
        let Some(story) = self.story.story.and_then(|i| stories.get_mut(i)) else { return };
        let steps = &mut story.steps;
        match edit {
            StoryEdit::NewStory => {}
            StoryEdit::AddCurrentView => {
                let at = (self.story.step + 1).min(steps.len());
                steps.insert(at, Step { title: format!("Step {}", at + 1), caption: String::new(), view });
                self.story.step = at;
            }
            StoryEdit::UpdateView(step) => {
                if let Some(step) = steps.get_mut(step) {
                    step.view = view;
                }
            }
            StoryEdit::SetTitle(step, title) => {
                if let Some(step) = steps.get_mut(step) {
                    step.title = title;
                }
            }
            StoryEdit::SetCaption(step, caption) => {
                if let Some(step) = steps.get_mut(step) {
                    step.caption = caption;
                }
            }
            StoryEdit::Move(step, by) => {
                let target = if by < 0 { step.checked_sub(1) } else { Some(step + 1) };
                if let Some(target) = target.filter(|&t| t < steps.len() && step < steps.len()) {
                    steps.swap(step, target);
                    self.story.step = target;
                }
            }
            StoryEdit::Delete(step) => {
                if step < steps.len() {
                    steps.remove(step);
                    self.story.step = step.min(steps.len().saturating_sub(1));
                }
            }
        }
        self.unsaved_stories = true;
    }

    /// Writes the stories to the dataset folder's `stories.json`.
    pub(super) fn save_stories(&mut self) {
        let folder = self.report.path.clone();
        if !folder.is_dir() {
            self.notice = Some("Stories are saved in a dataset folder; this data is a single file".into());
            return;
        }
        let path = folder.join(crate::io::STORIES_FILE);
        self.notice = Some(match crate::io::stories::write_stories(&path, &self.report.dataset.stories) {
            Ok(()) => {
                self.unsaved_stories = false;
                format!("Saved {} stories to {}", self.report.dataset.stories.len(), path.display())
            }
            Err(error) => format!("Could not save the stories to {}: {error} (the file is unchanged)", path.display()),
        });
    }
}
