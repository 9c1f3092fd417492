//! Building and correcting a dataset in the app: the windows of the editor and what they ask for.
//!
//! - [`event`]: the event editor; [`place`]: a place of the gazetteer; [`source`]: adding a
//!   source or editing its metadata; [`passage`]: marking a passage of a source.
//! - [`dialogs`]: a new dataset, deleting what is referenced, a file changed on disk, recovered
//!   edits, and the list of changes since the last save.
//! - [`command`]: what they ask for ([`EditCommand`]) and the state of their forms.
//!
//! Windows edit copies of their forms and return [`EditCommand`]s; `app/editing.rs` applies them.

pub mod command;
pub mod dialogs;
pub mod event;
mod fields;
pub mod passage;
pub mod place;
pub mod source;

pub use self::command::{ConflictChoice, EditCommand, EditorView, EditorWindow, PassagePicker, SourceDialog};

/// Draws the editor's open windows.
pub fn editor_windows_ui(ctx: &egui::Context, view: &EditorView<'_>) -> Vec<EditCommand> {
    let mut commands = Vec::new();
    if let Some(form) = view.event_form {
        commands.extend(event::event_window(ctx, view, form));
    }
    if let Some(form) = view.place_form {
        commands.extend(place::place_window(ctx, form));
    }
    if let Some(dialog) = view.source_dialog {
        commands.extend(source::source_window(ctx, dialog));
    }
    if let Some(picker) = view.passages {
        commands.extend(passage::passage_window(ctx, view, picker));
    }
    if let Some((kind, id)) = view.deleting {
        commands.extend(dialogs::delete_window(ctx, view.draft, kind, id));
    }
    if let Some(files) = view.conflict {
        commands.extend(dialogs::conflict_window(ctx, files, view.changed_records > 0));
    }
    if view.changes_open {
        commands.extend(dialogs::changes_window(ctx, view.draft, view.saved));
    }
    commands
}
