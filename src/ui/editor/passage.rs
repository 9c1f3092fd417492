//! Marking a passage of a source: select words in its text (or find them), then make an event
//! of them or cite them for an event. The range is the text's own characters, so the quote is
//! always an exact substring at its range.

use egui::text::{CCursor, CCursorRange};

use super::command::{EditCommand, EditorView, EditorWindow, PassagePicker};
use crate::model::edit::event_form::{CitationEntry, quote_at};
use crate::model::text::shorten;

/// Longest quote preview shown under the text.
const MAX_PREVIEW_CHARS: usize = 300;

fn cursor(index: usize) -> CCursor {
    CCursor { index: egui::epaint::text::CharIndex(index), prefer_next_row: false }
}

/// Where `words` first stand in `text`, in characters.
fn find(text: &str, words: &str) -> Option<(usize, usize)> {
    if words.is_empty() {
        return None;
    }
    let byte = text.find(words)?;
    let start = text.get(..byte)?.chars().count();
    Some((start, start + words.chars().count()))
}

/// Shows the passage window.
pub fn passage_window(ctx: &egui::Context, view: &EditorView<'_>, picker: &PassagePicker) -> Vec<EditCommand> {
    let mut commands = Vec::new();
    let mut edited = picker.clone();
    let source = view.dataset.source(&picker.source_id);
    let text = source.and_then(|s| s.text.as_deref()).unwrap_or_default();
    let mut open = true;
    egui::Window::new("Mark a passage")
        .id(egui::Id::unique("passage_picker"))
        .open(&mut open)
        .default_width(520.0)
        .default_pos(ctx.content_rect().right_top() + egui::vec2(-560.0, 60.0))
        .show(ctx, |ui| {
            ui.strong(shorten(source.map_or(picker.source_id.as_str(), |s| s.title.as_str()), 80));
            if source.is_none() {
                ui.colored_label(ui.visuals().error_fg_color, "This source is not in the dataset (see Problems).");
            }
            let field = ui.add(
                egui::TextEdit::singleline(&mut edited.find)
                    .hint_text("Find words in the text, or paste the quote")
                    .desired_width(f32::INFINITY),
            );
            crate::ui::widgets::name_widget(&field, egui::Role::SearchInput, "Find in the source");
            let text_id = egui::Id::unique("passage_text").with(&picker.source_id);
            if field.changed() {
                edited.selection = find(text, &edited.find);
                if let Some((start, end)) = edited.selection {
                    let mut state = egui::text_edit::TextEditState::load(ctx, text_id).unwrap_or_default();
                    state.cursor.set_char_range(Some(CCursorRange::two(cursor(start), cursor(end))));
                    state.store(ctx, text_id);
                }
            }
            if !edited.find.is_empty() && edited.selection.is_none() {
                ui.colored_label(ui.visuals().warn_fg_color, "Not in the text, exactly as written.");
            }
            ui.weak("Select the words in the text with the mouse (or Shift+arrows).");
            let mut shown = text;
            egui::ScrollArea::vertical().max_height((ctx.content_rect().height() - 320.0).max(160.0)).show(ui, |ui| {
                let output = egui::TextEdit::multiline(&mut shown).id(text_id).desired_width(f32::INFINITY).show(ui);
                if let Some(range) = output.cursor_range.filter(|r| !r.is_empty()) {
                    let range = range.as_sorted_char_range();
                    edited.selection = Some((range.start.0, range.end.0));
                }
            });
            let quote = edited.selection.and_then(|range| Some((range, quote_at(text, range)?)));
            ui.separator();
            match quote {
                Some(((start, end), quote)) => {
                    ui.label(format!("Characters {start}–{end}:"));
                    ui.add(egui::Label::new(egui::RichText::new(shorten(quote, MAX_PREVIEW_CHARS)).italics()).wrap());
                    let citation = CitationEntry {
                        source: picker.source_id.clone(),
                        quote: quote.to_owned(),
                        range: (start, end),
                    };
                    ui.horizontal(|ui| {
                        if ui.button("New event from passage").clicked() {
                            commands.push(EditCommand::NewEventFromPassage(citation.clone()));
                        }
                        let target = if view.event_form.is_some() {
                            Some("Cite for the event being edited")
                        } else {
                            view.selected_event.as_ref().map(|_| "Cite for the selected event")
                        };
                        if let Some(label) = target
                            && ui.button(label).clicked()
                        {
                            commands.push(EditCommand::CiteForEvent(citation));
                        }
                    });
                }
                None => {
                    ui.weak("Nothing selected yet.");
                }
            }
        });
    if !open {
        commands.push(EditCommand::Close(EditorWindow::Passages));
    }
    if edited != *picker {
        commands.insert(0, EditCommand::SetPassages(Box::new(edited)));
    }
    commands
}

#[cfg(test)]
mod tests {
    #[test]
    fn words_are_found_by_character() {
        assert_eq!(super::find("Über das Dorf", "das"), Some((5, 8)));
        assert_eq!(super::find("abc", "x"), None);
        assert_eq!(super::find("abc", ""), None);
    }
}
