//! The timeline at the bottom: controls, then the strip.
//!
//! - [`state`]: the persisted view, cursor and window; [`ruler`]: screen ↔ time and ticks;
//! - [`controls`]: step, play, eras, window; [`strip`]: histogram, spans, axis and cursor.

pub mod controls;
pub mod ruler;
pub mod state;
pub mod strip;

pub use self::ruler::TimeRuler;
pub use self::state::TimelineState;
pub use self::strip::TimelineView;
use crate::model::Era;
use crate::ui::command::Command;

/// Shows the controls row and the strip; returns what the user asked for.
pub fn timeline_ui(ui: &mut egui::Ui, state: &TimelineState, eras: &[Era], view: &TimelineView<'_>) -> Vec<Command> {
    let mut commands = Vec::new();
    controls::controls_ui(ui, state, eras, view.undated, &mut commands);
    strip::strip_ui(ui, state, view, &mut commands);
    commands
}
