//! The source reader: a source's full text with the cited passage highlighted and scrolled into
//! view, its metadata on top, and every other passage the dataset cites marked and clickable.

use egui::text::{CCursor, LayoutJob, TextFormat};
use egui::{Align, FontId, RichText, Sense};

use crate::model::text::char_slice;
use crate::model::{Dataset, EventIdx};
use crate::ui::command::Command;
use crate::ui::style;

/// Which source is open, and which passage.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ReaderState {
    /// The source's id.
    pub source_id: String,
    /// The passage to highlight, in characters.
    pub focus: Option<(usize, usize)>,
    /// Scroll the focus into view on the next frame.
    pub scroll_pending: bool,
}

/// The reader in its window; returns what the user asked for.
pub fn reader_window(ctx: &egui::Context, dataset: &Dataset, state: &ReaderState) -> Vec<Command> {
    let mut commands = Vec::new();
    let mut open = true;
    egui::Window::new("Source reader")
        .id(egui::Id::unique("source_reader"))
        .open(&mut open)
        .default_size([560.0, 600.0])
        .default_pos(ctx.content_rect().center() - egui::vec2(420.0, 320.0))
        .vscroll(false)
        .show(ctx, |ui| {
            commands.extend(reader_ui(ui, dataset, state));
        });
    if !open {
        commands.push(Command::CloseReader);
    }
    commands
}

/// Shows the reader; returns what the user asked for.
pub fn reader_ui(ui: &mut egui::Ui, dataset: &Dataset, state: &ReaderState) -> Vec<Command> {
    let mut commands = Vec::new();
    let Some(source) = dataset.source(&state.source_id) else {
        ui.label(format!("Source {:?} is not in this dataset.", state.source_id));
        return commands;
    };
    ui.horizontal(|ui| {
        if ui.button("✖ Close").clicked() {
            commands.push(Command::CloseReader);
        }
        ui.heading(&source.title);
    });
    egui::Grid::new("source_meta").num_columns(2).striped(true).show(ui, |ui| {
        let mut row = |key: &str, value: String| {
            ui.weak(key);
            ui.label(value);
            ui.end_row();
        };
        row("Outlet", source.outlet.clone().unwrap_or_else(|| "unknown".into()));
        if let Some(author) = &source.author {
            row("Author", author.clone());
        }
        row("Kind", source.kind.label().to_owned());
        if let Some(language) = &source.language {
            row("Language", language.clone());
        }
        let published = source.published.span.map_or_else(|| "unknown".to_owned(), |s| s.in_words());
        let basis = source.published.basis.map(|b| format!(" ({})", b.label())).unwrap_or_default();
        row("Published", format!("{published}{basis}"));
        if let Some(note) = &source.published.note {
            row("Dating", note.clone());
        }
        row("File", source.path.clone());
    });
    let Some(text) = &source.text else {
        ui.colored_label(
            ui.visuals().error_fg_color,
            "The text of this source could not be read; see the load problems.",
        );
        return commands;
    };
    let passages = dataset.citations_in_source(&source.id);
    if let Some((start, end)) = state.focus
        && let Some(quote) = char_slice(text, start, end)
    {
        let number = passages.iter().position(|(r, _)| *r == (start, end)).map_or(0, |p| p + 1);
        ui.label(RichText::new(format!("Highlighted passage ({number} of {}): “{quote}”", passages.len())).italics());
    } else {
        ui.weak(format!("{} passages of this source are cited; click one to open its event.", passages.len()));
    }
    ui.separator();

    let dark_mode = ui.visuals().dark_mode;
    let job =
        layout_with_highlights(text, passages, state.focus, dark_mode, ui.visuals().text_color(), ui.available_width());
    egui::ScrollArea::vertical().id_salt("reader_text").auto_shrink([false, false]).show(ui, |ui| {
        let galley = ui.fonts_mut(|f| f.layout_job(job));
        let (rect, response) = ui.allocate_exact_size(galley.size(), Sense::click());
        if state.scroll_pending
            && let Some((start, _)) = state.focus
        {
            let cursor_rect = galley.pos_from_cursor(CCursor::new(start)).translate(rect.min.to_vec2());
            ui.scroll_to_rect(cursor_rect.expand(40.0), Some(Align::Center));
            commands.push(Command::ReaderScrolled);
        }
        let pointer_passage = response.hover_pos().and_then(|pos| {
            let cursor = galley.cursor_from_pos(pos - rect.min);
            passage_at(passages, cursor.index.0)
        });
        ui.painter().galley(rect.min, galley, ui.visuals().text_color());
        if let Some((range, idx)) = pointer_passage {
            let titles: Vec<String> = passages
                .iter()
                .filter(|(r, _)| *r == range)
                .filter_map(|(_, i)| dataset.event(*i).map(|e| e.title.to_string()))
                .collect();
            let response = response.on_hover_cursor(egui::CursorIcon::PointingHand);
            let response = response.on_hover_text(format!("Cited by: {}\nClick to open the event.", titles.join("; ")));
            if response.clicked() {
                commands.push(Command::SelectAndReveal(idx));
                commands.push(Command::OpenSource { source_id: state.source_id.clone(), focus: Some(range) });
            }
        }
    });
    commands
}

/// The cited passage at a character position, with its first event.
fn passage_at(passages: &[((usize, usize), EventIdx)], char_index: usize) -> Option<((usize, usize), EventIdx)> {
    passages.iter().find(|((start, end), _)| (*start..*end).contains(&char_index)).copied()
}

/// Lays out the text with cited passages marked and the focused one highlighted.
fn layout_with_highlights(
    text: &str,
    passages: &[((usize, usize), EventIdx)],
    focus: Option<(usize, usize)>,
    dark_mode: bool,
    color: egui::Color32,
    wrap_width: f32,
) -> LayoutJob {
    let font = FontId::proportional(14.0);
    let plain = TextFormat { font_id: font.clone(), color, ..TextFormat::default() };
    let marked = TextFormat { background: style::quote_highlight(dark_mode, false), ..plain.clone() };
    let focused = TextFormat { background: style::quote_highlight(dark_mode, true), ..plain.clone() };
    // Each character's kind: 0 plain, 1 cited, 2 focused; then runs of equal kind become sections.
    let char_count = text.chars().count();
    let mut kinds = vec![0u8; char_count];
    for ((start, end), _) in passages {
        for kind in kinds.iter_mut().take((*end).min(char_count)).skip(*start) {
            *kind = (*kind).max(1);
        }
    }
    if let Some((start, end)) = focus {
        for kind in kinds.iter_mut().take(end.min(char_count)).skip(start) {
            *kind = 2;
        }
    }
    let mut job = LayoutJob {
        wrap: egui::text::TextWrapping { max_width: wrap_width, ..Default::default() },
        ..LayoutJob::default()
    };
    let byte_offsets: Vec<usize> = text.char_indices().map(|(b, _)| b).chain(std::iter::once(text.len())).collect();
    let mut run_start = 0;
    for i in 1..=char_count {
        if i == char_count || kinds.get(i) != kinds.get(run_start) {
            let (Some(&from), Some(&to)) = (byte_offsets.get(run_start), byte_offsets.get(i)) else { break };
            let format = match kinds.get(run_start) {
                Some(2) => focused.clone(),
                Some(1) => marked.clone(),
                _ => plain.clone(),
            };
            job.append(text.get(from..to).unwrap_or_default(), 0.0, format);
            run_start = i;
        }
    }
    job
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sections_split_at_passages() {
        let text = "abc Ünïcode def";
        let job = layout_with_highlights(text, &[((4, 11), 0)], Some((4, 11)), false, egui::Color32::BLACK, 100.0);
        let pieces: Vec<&str> =
            job.sections.iter().map(|s| &job.text[s.byte_range.start.0..s.byte_range.end.0]).collect();
        assert_eq!(pieces, ["abc ", "Ünïcode", " def"]);
        assert_eq!(passage_at(&[((4, 11), 3)], 5), Some(((4, 11), 3)));
        assert_eq!(passage_at(&[((4, 11), 3)], 11), None);
    }
}
