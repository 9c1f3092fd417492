//! The keyboard shortcuts window (F1), in words: the default font has no arrow glyphs.

use crate::ui::command::Command;

/// Every shortcut and gesture, in the order a newcomer needs them.
pub const SHORTCUTS: [(&str, &str); 10] = [
    ("Left / Right arrow", "previous / next event"),
    ("Space", "play / pause"),
    ("Home / End", "cursor to the first / last event"),
    ("+ / -", "zoom the timeline"),
    ("Ctrl+F", "search"),
    ("N / P", "next / previous cited passage in the source reader"),
    ("Esc", "close the reader, clear the selection, clear the search"),
    ("F1", "this list"),
    ("Timeline", "click or drag to scrub; drag the date axis (or Shift-drag) to pan; wheel to zoom"),
    ("Map", "drag to pan; wheel or double-click to zoom; click a marker to select"),
];

/// The shortcuts window; returns what the user asked for.
pub fn shortcuts_window(ctx: &egui::Context) -> Vec<Command> {
    let mut open = true;
    egui::Window::new("Keyboard shortcuts").open(&mut open).show(ctx, |ui| {
        egui::Grid::new("shortcuts").num_columns(2).show(ui, |ui| {
            for (key, what) in SHORTCUTS {
                ui.strong(key);
                ui.label(what);
                ui.end_row();
            }
        });
    });
    if open { Vec::new() } else { vec![Command::SetShortcutsOpen(false)] }
}
