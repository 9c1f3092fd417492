//! Keys and dropped files, turned into commands. Ctrl+F is the search field's own (top bar).

use crate::model::DayNumber;
use crate::model::playback::StepDirection;
use crate::ui::Command;
use crate::ui::command::OpenRequest;
use crate::ui::editor::EditCommand;
use crate::ui::timeline::TimelineState;

/// Timeline zoom per press of + or −.
const KEY_ZOOM_FACTOR: f64 = 1.6;

/// What the keys act on.
pub struct KeyContext<'a> {
    /// The source reader is open.
    pub reader_open: bool,
    /// A map group's list is open.
    pub group_open: bool,
    /// An event is selected.
    pub has_selection: bool,
    /// The search text is not empty.
    pub has_search: bool,
    /// The shortcuts window is open.
    pub shortcuts_open: bool,
    /// First and last start of the filtered events.
    pub extent: Option<(DayNumber, DayNumber)>,
    /// The timeline.
    pub timeline: &'a TimelineState,
    /// The filter, to clear its search text.
    pub filter: &'a crate::model::EventFilter,
    /// Where the reader is in the stories, and how many steps the open story has.
    pub story: (crate::ui::story::StoryState, usize),
    /// The next map click would create a place.
    pub picking_place: bool,
}

/// The commands this frame's key presses ask for. Keys that a focused text field takes are left
/// to it, except Esc, which first lets the field lose focus.
pub fn keyboard_commands(ctx: &egui::Context, keys: &KeyContext<'_>) -> Vec<Command> {
    let typing = ctx.egui_wants_keyboard_input();
    let mut commands = Vec::new();
    ctx.input_mut(|input| {
        if input.consume_key(egui::Modifiers::NONE, egui::Key::F1) {
            commands.push(Command::SetShortcutsOpen(!keys.shortcuts_open));
        }
        let (story, steps) = keys.story;
        if story.story.is_some() && input.consume_key(egui::Modifiers::NONE, egui::Key::F5) {
            commands.push(Command::SetPresenting(!story.presenting));
        }
        if input.consume_key(egui::Modifiers::COMMAND, egui::Key::S) {
            commands.push(Command::Edit(EditCommand::Save));
        }
        if input.key_pressed(egui::Key::Escape) {
            if keys.picking_place {
                commands.push(Command::Edit(EditCommand::PickPlaceOnMap(false)));
            } else if story.presenting {
                commands.push(Command::SetPresenting(false));
            } else if keys.reader_open {
                commands.push(Command::CloseReader);
            } else if keys.group_open {
                commands.push(Command::CloseGroup);
            } else if typing {
                // Let the text field lose focus first.
            } else if keys.has_selection {
                commands.push(Command::Select(None));
            } else if keys.has_search {
                commands
                    .push(Command::SetFilter(crate::model::EventFilter { text: String::new(), ..keys.filter.clone() }));
            }
        }
        if typing {
            return;
        }
        // Text fields undo their own typing; elsewhere Ctrl+Z undoes the last edit of the dataset.
        if input.consume_key(egui::Modifiers::COMMAND | egui::Modifiers::SHIFT, egui::Key::Z)
            || input.consume_key(egui::Modifiers::COMMAND, egui::Key::Y)
        {
            commands.push(Command::Edit(EditCommand::Redo));
        }
        if input.consume_key(egui::Modifiers::COMMAND, egui::Key::Z) {
            commands.push(Command::Edit(EditCommand::Undo));
        }
        if story.story.is_some() {
            if input.consume_key(egui::Modifiers::NONE, egui::Key::PageDown) && story.step + 1 < steps {
                commands.push(Command::GoToStep(story.step + 1));
            }
            if input.consume_key(egui::Modifiers::NONE, egui::Key::PageUp) && story.step > 0 {
                commands.push(Command::GoToStep(story.step - 1));
            }
        }
        if input.consume_key(egui::Modifiers::NONE, egui::Key::ArrowRight) {
            commands.push(Command::Step(StepDirection::Next));
        }
        if input.consume_key(egui::Modifiers::NONE, egui::Key::ArrowLeft) {
            commands.push(Command::Step(StepDirection::Previous));
        }
        if keys.reader_open && input.consume_key(egui::Modifiers::NONE, egui::Key::N) {
            commands.push(Command::ReaderStep(StepDirection::Next));
        }
        if keys.reader_open && input.consume_key(egui::Modifiers::NONE, egui::Key::P) {
            commands.push(Command::ReaderStep(StepDirection::Previous));
        }
        if input.consume_key(egui::Modifiers::NONE, egui::Key::Space) {
            commands.push(Command::TogglePlay);
        }
        if let Some((first, last)) = keys.extent {
            if input.consume_key(egui::Modifiers::NONE, egui::Key::Home) {
                commands.push(Command::SetCursor(f64::from(first)));
            }
            if input.consume_key(egui::Modifiers::NONE, egui::Key::End) {
                commands.push(Command::SetCursor(f64::from(last)));
            }
        }
        let zoom = if input.consume_key(egui::Modifiers::NONE, egui::Key::Plus)
            || input.consume_key(egui::Modifiers::NONE, egui::Key::Equals)
        {
            Some(KEY_ZOOM_FACTOR)
        } else if input.consume_key(egui::Modifiers::NONE, egui::Key::Minus) {
            Some(1.0 / KEY_ZOOM_FACTOR)
        } else {
            None
        };
        if let Some(factor) = zoom {
            let (start_day, length_days) = keys.timeline.zoomed_around(keys.timeline.cursor_day, factor);
            commands.push(Command::SetTimelineView { start_day, length_days });
        }
    });
    commands
}

/// The files (or folder) dropped on the window, to open together.
pub fn dropped_files_command(ctx: &egui::Context) -> Option<Command> {
    let paths: Vec<std::path::PathBuf> =
        ctx.input(|i| i.raw.dropped_files.iter().map(|f| f.path().to_path_buf()).collect());
    (!paths.is_empty()).then(|| Command::OpenFiles(OpenRequest::paths(paths)))
}
