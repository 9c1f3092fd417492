//! The story window: pick a story, then read it step by step — each step moves the timeline,
//! the map and the selection to its view — or write one: add the current view as a step, edit
//! its title and caption, reorder, delete, save.

use egui::RichText;

use crate::model::Dataset;
use crate::model::story::{CaptionPart, caption_paragraphs};
use crate::model::text::{MAX_TITLE_CHARS, clip};
use crate::ui::command::{Command, StoryEdit};
use crate::ui::widgets::name_widget;

/// Where the reader is in the stories.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct StoryState {
    /// The story open (its index), if any.
    pub story: Option<usize>,
    /// The step shown.
    pub step: usize,
    /// Editing the story.
    pub editing: bool,
    /// Presentation mode: everything but the map, the timeline and the story hidden.
    pub presenting: bool,
}

/// Shows the story window; returns what the user asked for.
pub fn story_window(ctx: &egui::Context, dataset: &Dataset, state: StoryState, can_save: bool) -> Vec<Command> {
    let mut commands = Vec::new();
    let mut open = true;
    let title = state.story.and_then(|i| dataset.stories.get(i)).map_or("Stories", |s| s.title.as_str());
    egui::Window::new(clip(title, MAX_TITLE_CHARS))
        .id(egui::Id::unique("story_window"))
        .open(&mut open)
        .default_width(380.0)
        .max_height(ctx.content_rect().height() * 0.8)
        .default_pos(ctx.content_rect().left_bottom() + egui::vec2(16.0, -420.0))
        .show(ctx, |ui| match state.story.and_then(|i| dataset.stories.get(i).map(|s| (i, s))) {
            None => {
                if dataset.stories.is_empty() {
                    ui.weak("This dataset has no stories yet.");
                }
                for (i, story) in dataset.stories.iter().enumerate() {
                    if ui.link(RichText::new(clip(&story.title, MAX_TITLE_CHARS)).strong()).clicked() {
                        commands.push(Command::OpenStory(Some(i)));
                    }
                    ui.weak(format!("{} steps · {}", story.steps.len(), clip(&story.description, 1000)));
                    ui.add_space(4.0);
                }
                ui.separator();
                if ui.button("New story from this view").clicked() {
                    commands.push(Command::EditStory(StoryEdit::NewStory));
                }
            }
            Some((_, story)) => {
                let count = story.steps.len();
                let step = state.step.min(count.saturating_sub(1));
                ui.horizontal(|ui| {
                    if ui.add_enabled(step > 0, egui::Button::new("Previous")).on_hover_text("Page Up").clicked() {
                        commands.push(Command::GoToStep(step - 1));
                    }
                    ui.label(format!("Step {} of {count}", (step + 1).min(count)));
                    if ui.add_enabled(step + 1 < count, egui::Button::new("Next")).on_hover_text("Page Down").clicked()
                    {
                        commands.push(Command::GoToStep(step + 1));
                    }
                    ui.separator();
                    let mut presenting = state.presenting;
                    if ui.toggle_value(&mut presenting, "Present").on_hover_text("Hide everything else (F5)").changed()
                    {
                        commands.push(Command::SetPresenting(presenting));
                    }
                    let mut editing = state.editing;
                    if ui.toggle_value(&mut editing, "Edit").changed() {
                        commands.push(Command::SetStoryEditing(editing));
                    }
                    if ui.small_button("All stories").clicked() {
                        commands.push(Command::OpenStory(None));
                    }
                });
                ui.separator();
                egui::ScrollArea::vertical().auto_shrink([false, true]).show(ui, |ui| {
                    if let Some(current) = story.steps.get(step) {
                        if state.editing {
                            edit_step_ui(ui, &current.title, &current.caption, step, &mut commands);
                        } else {
                            ui.heading(clip(&current.title, MAX_TITLE_CHARS));
                            caption_ui(ui, dataset, &current.caption, &mut commands);
                        }
                    } else {
                        ui.weak("This story has no steps yet: show what matters, then add the view as a step.");
                    }
                    if state.editing {
                        ui.separator();
                        edit_story_ui(ui, step, count, can_save, &mut commands);
                    }
                });
            }
        });
    if !open {
        commands.push(Command::SetStoryWindowOpen(false));
    }
    commands
}

/// A caption: paragraphs with emphasis, and links that select their events.
fn caption_ui(ui: &mut egui::Ui, dataset: &Dataset, caption: &str, commands: &mut Vec<Command>) {
    for paragraph in caption_paragraphs(caption) {
        ui.horizontal_wrapped(|ui| {
            ui.spacing_mut().item_spacing.x = 0.0;
            for part in paragraph {
                match part {
                    CaptionPart::Text(text) => {
                        ui.label(text);
                    }
                    CaptionPart::Emphasis(text) => {
                        ui.label(RichText::new(text).italics());
                    }
                    CaptionPart::EventLink { words, event_id } => match dataset.event_idx(event_id) {
                        Some(idx) => {
                            if ui.link(words).on_hover_text(event_id).clicked() {
                                commands.push(Command::SelectAndReveal(idx));
                            }
                        }
                        None => {
                            ui.label(words).on_hover_text(format!("No event {event_id:?} in this dataset"));
                        }
                    },
                }
            }
        });
        ui.add_space(6.0);
    }
}

fn edit_step_ui(ui: &mut egui::Ui, title: &str, caption: &str, step: usize, commands: &mut Vec<Command>) {
    let mut title = title.to_owned();
    let field = ui.add(egui::TextEdit::singleline(&mut title).desired_width(f32::INFINITY));
    name_widget(&field, egui::Role::TextInput, "Step title");
    if field.changed() {
        commands.push(Command::EditStory(StoryEdit::SetTitle(step, title)));
    }
    let mut caption = caption.to_owned();
    let area = ui.add(egui::TextEdit::multiline(&mut caption).desired_rows(6).desired_width(f32::INFINITY));
    name_widget(&area, egui::Role::MultilineTextInput, "Step caption");
    if area.changed() {
        commands.push(Command::EditStory(StoryEdit::SetCaption(step, caption)));
    }
    ui.weak("Paragraphs: a blank line. *emphasis*. A link to an event: [words](event:ev-id).");
}

fn edit_story_ui(ui: &mut egui::Ui, step: usize, count: usize, can_save: bool, commands: &mut Vec<Command>) {
    ui.horizontal_wrapped(|ui| {
        if ui.button("Add this view as a step").clicked() {
            commands.push(Command::EditStory(StoryEdit::AddCurrentView));
        }
        if ui.add_enabled(count > 0, egui::Button::new("Update the step to this view")).clicked() {
            commands.push(Command::EditStory(StoryEdit::UpdateView(step)));
        }
        if ui.add_enabled(step > 0, egui::Button::new("Move up")).clicked() {
            commands.push(Command::EditStory(StoryEdit::Move(step, -1)));
        }
        if ui.add_enabled(step + 1 < count, egui::Button::new("Move down")).clicked() {
            commands.push(Command::EditStory(StoryEdit::Move(step, 1)));
        }
        if ui.add_enabled(count > 0, egui::Button::new("Delete step")).clicked() {
            commands.push(Command::EditStory(StoryEdit::Delete(step)));
        }
    });
    let save = ui.add_enabled(can_save, egui::Button::new("Save stories"));
    let save = if can_save { save } else { save.on_disabled_hover_text("Stories are saved in a dataset folder") };
    if save.clicked() {
        commands.push(Command::SaveStories);
    }
}
