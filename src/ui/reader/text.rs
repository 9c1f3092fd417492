//! A source's text, laid out a piece at a time: the text is cut into paragraphs (and very long
//! paragraphs into pieces of a few thousand characters, at a space), each wrapped to the panel and
//! laid out only when it scrolls into view; pieces not yet seen count by an estimate of their
//! height. A 20 MB source scrolls as smoothly as a page. Passages are marked, the focused one
//! highlighted; text can be selected and copied across pieces; a passage opens its event on click.

use std::collections::HashMap;
use std::sync::Arc;

use egui::text::{LayoutJob, TextFormat};
use egui::{FontId, Galley, Rect, Sense, vec2};

use crate::model::{Dataset, EventIdx, Source};
use crate::ui::command::Command;
use crate::ui::style;

/// Longest piece laid out as one, in characters; longer paragraphs are cut at a space.
const MAX_PIECE_CHARS: usize = 4000;
/// Most pieces kept laid out; beyond this the cache starts over.
const MAX_CACHED_PIECES: usize = 4000;
/// Space between paragraphs, in points.
const PARAGRAPH_GAP: f32 = 8.0;
/// The reader's font size.
const FONT_SIZE: f32 = 14.0;

/// One piece of the text: characters `[start, end)`, and whether a paragraph ends with it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Piece {
    start: usize,
    end: usize,
    start_byte: usize,
    end_byte: usize,
    ends_paragraph: bool,
}

/// What the layout was made for; any change starts the cache over.
#[derive(Clone, Debug, PartialEq)]
struct LayoutKey {
    source_id: String,
    width: u32,
    dark_mode: bool,
    focus: Option<(usize, usize)>,
}

/// The laid-out pieces of the open source, kept between frames (a cache, rebuilt from the state).
#[derive(Default)]
pub struct ReaderLayout {
    source_id: String,
    pieces: Vec<Piece>,
    key: Option<LayoutKey>,
    galleys: HashMap<usize, Arc<Galley>>,
    /// Each piece's height: exact once laid out, estimated before.
    heights: Vec<f32>,
    /// Characters per line at the current width, for estimates.
    chars_per_line: f32,
}

impl ReaderLayout {
    /// Cuts the source's text into pieces, once per source.
    fn prepare(&mut self, source: &Source, text: &str) {
        if self.source_id == source.id && !self.pieces.is_empty() {
            return;
        }
        self.source_id.clone_from(&source.id);
        self.pieces = pieces(text);
        self.key = None;
    }
}

fn pieces(text: &str) -> Vec<Piece> {
    let mut pieces = Vec::new();
    let (mut char_pos, mut byte_pos) = (0, 0);
    for line in text.split_inclusive('\n') {
        let mut rest = line;
        loop {
            let cut = rest.char_indices().nth(MAX_PIECE_CHARS).map(|(byte, _)| {
                // Cut after the last space before the limit, or at the limit when there is none.
                rest.get(..byte)
                    .and_then(|head| head.rfind(' ').map(|space| space + 1))
                    .filter(|&c| c > 0)
                    .unwrap_or(byte)
            });
            let (head, tail) = match cut {
                Some(at) => rest.split_at(at),
                None => (rest, ""),
            };
            let chars = head.chars().count();
            pieces.push(Piece {
                start: char_pos,
                end: char_pos + chars,
                start_byte: byte_pos,
                end_byte: byte_pos + head.len(),
                ends_paragraph: tail.is_empty(),
            });
            char_pos += chars;
            byte_pos += head.len();
            if tail.is_empty() {
                break;
            }
            rest = tail;
        }
    }
    pieces
}

/// Shows the text with its passages; returns what the user asked for. `scroll_to_focus` scrolls
/// the focused passage into view (and then asks to stop).
pub fn text_ui(
    ui: &mut egui::Ui,
    dataset: &Dataset,
    source: &Source,
    focus: Option<(usize, usize)>,
    scroll_to_focus: bool,
    layout: &mut ReaderLayout,
) -> Vec<Command> {
    let mut commands = Vec::new();
    let Some(text) = source.text.as_deref() else { return commands };
    layout.prepare(source, text);
    let passages = dataset.citations_in_source(&source.id);
    let dark_mode = ui.visuals().dark_mode;
    let color = ui.visuals().text_color();
    let width = (ui.available_width() - 16.0).max(100.0);
    #[expect(clippy::cast_possible_truncation, clippy::cast_sign_loss, reason = "a width in points")]
    let key = LayoutKey { source_id: source.id.clone(), width: width as u32, dark_mode, focus };
    if layout.key.as_ref() != Some(&key) || layout.galleys.len() > MAX_CACHED_PIECES {
        layout.key = Some(key);
        layout.galleys.clear();
        let sample = "The quick brown fox jumps over the lazy dog, 1999–2023.";
        let sample_width =
            ui.fonts_mut(|f| f.layout_no_wrap(sample.to_owned(), FontId::proportional(FONT_SIZE), color).size().x);
        #[expect(clippy::cast_precision_loss, reason = "a short sample")]
        let per_char = sample_width / sample.chars().count() as f32;
        layout.chars_per_line = (width / per_char.max(1.0)).max(10.0);
        let row = ui.fonts_mut(|f| f.row_height(&FontId::proportional(FONT_SIZE)));
        layout.heights = layout
            .pieces
            .iter()
            .map(|piece| {
                #[expect(clippy::cast_precision_loss, reason = "an estimate")]
                let lines = ((piece.end - piece.start) as f32 / layout.chars_per_line).ceil().max(1.0);
                lines * row + if piece.ends_paragraph { PARAGRAPH_GAP } else { 0.0 }
            })
            .collect();
    }
    let context = PieceContext { text, passages, focus, dark_mode, color, width };
    // The piece holding the focus is laid out now, so scrolling to it lands exactly.
    let focus_piece = focus.map(|(start, _)| layout.pieces.partition_point(|p| p.end <= start));
    if let Some(i) = focus_piece {
        ensure_laid_out(ui, layout, i, &context);
    }
    let tops: Vec<f32> = std::iter::once(0.0)
        .chain(layout.heights.iter().scan(0.0, |top, h| {
            *top += h;
            Some(*top)
        }))
        .collect();
    let total = tops.last().copied().unwrap_or(0.0);
    let mut area = egui::ScrollArea::vertical().id_salt(("reader_text", &source.id)).auto_shrink([false, false]);
    if scroll_to_focus && let (Some(i), Some((start, end))) = (focus_piece, focus) {
        let piece_top = tops.get(i).copied().unwrap_or(0.0);
        let passage_top = local_y(layout, i, start);
        let passage_bottom = local_y(layout, i, end.min(layout.pieces.get(i).map_or(end, |p| p.end))) + 20.0;
        // A third of the way down, or higher when the passage is long, so it is seen whole.
        let view = ui.available_height();
        let above = (view / 3.0).min((view - (passage_bottom - passage_top)).max(0.0) / 2.0);
        area = area.vertical_scroll_offset((piece_top + passage_top - above).max(0.0));
        commands.push(Command::ReaderScrolled);
    }
    area.show_viewport(ui, |ui, viewport| {
        ui.set_height(total);
        ui.set_width(width);
        let origin = ui.min_rect().min;
        let first = tops.partition_point(|&top| top <= viewport.min.y).saturating_sub(1);
        let mut i = first;
        while let (Some(&top), true) = (tops.get(i), i < layout.pieces.len()) {
            if top > viewport.max.y {
                break;
            }
            let galley = ensure_laid_out(ui, layout, i, &context);
            let rect = Rect::from_min_size(origin + vec2(0.0, top), galley.size());
            commands.extend(piece_ui(ui, dataset, source, rect, &galley, layout.pieces.get(i).copied(), &context));
            i += 1;
        }
    });
    commands
}

/// What every piece is laid out with.
struct PieceContext<'a> {
    text: &'a str,
    passages: &'a [((usize, usize), EventIdx)],
    focus: Option<(usize, usize)>,
    dark_mode: bool,
    color: egui::Color32,
    width: f32,
}

/// The y of a character within its piece's galley.
fn local_y(layout: &ReaderLayout, piece: usize, position: usize) -> f32 {
    let (Some(galley), Some(p)) = (layout.galleys.get(&piece), layout.pieces.get(piece)) else { return 0.0 };
    galley.pos_from_cursor(egui::text::CCursor::new(position.saturating_sub(p.start))).min.y
}

fn ensure_laid_out(ui: &egui::Ui, layout: &mut ReaderLayout, i: usize, context: &PieceContext<'_>) -> Arc<Galley> {
    if let Some(galley) = layout.galleys.get(&i) {
        return Arc::clone(galley);
    }
    let piece = layout.pieces.get(i).copied().unwrap_or(Piece {
        start: 0,
        end: 0,
        start_byte: 0,
        end_byte: 0,
        ends_paragraph: true,
    });
    let job = piece_job(piece, context);
    let galley = ui.fonts_mut(|f| f.layout_job(job));
    if let Some(height) = layout.heights.get_mut(i) {
        *height = galley.size().y + if piece.ends_paragraph { PARAGRAPH_GAP } else { 0.0 };
    }
    layout.galleys.insert(i, Arc::clone(&galley));
    galley
}

/// The piece's text with cited passages marked and the focused one highlighted.
fn piece_job(piece: Piece, context: &PieceContext<'_>) -> LayoutJob {
    let text = context.text.get(piece.start_byte..piece.end_byte).unwrap_or_default().trim_end_matches('\n');
    let plain = TextFormat { font_id: FontId::proportional(FONT_SIZE), color: context.color, ..TextFormat::default() };
    let marked = TextFormat { background: style::quote_highlight(context.dark_mode, false), ..plain.clone() };
    let focused = TextFormat { background: style::quote_highlight(context.dark_mode, true), ..plain.clone() };
    // Each character's kind within the piece: 0 plain, 1 cited, 2 focused.
    let len = text.chars().count();
    let mut kinds = vec![0_u8; len];
    let mut mark = |(start, end): (usize, usize), kind: u8| {
        let (from, to) = (start.max(piece.start) - piece.start, end.min(piece.end).saturating_sub(piece.start));
        for k in kinds.iter_mut().take(to.min(len)).skip(from) {
            *k = (*k).max(kind);
        }
    };
    let before_end = context.passages.partition_point(|((start, _), _)| *start < piece.end);
    for ((start, end), _) in context.passages.iter().take(before_end) {
        if *end > piece.start {
            mark((*start, *end), 1);
        }
    }
    if let Some((start, end)) = context.focus
        && start < piece.end
        && end > piece.start
    {
        mark((start, end), 2);
    }
    let mut job = LayoutJob {
        wrap: egui::text::TextWrapping { max_width: context.width, ..Default::default() },
        ..LayoutJob::default()
    };
    let bytes: Vec<usize> = text.char_indices().map(|(b, _)| b).chain(std::iter::once(text.len())).collect();
    let mut run_start = 0;
    for i in 1..=len {
        if i == len || kinds.get(i) != kinds.get(run_start) {
            let (Some(&from), Some(&to)) = (bytes.get(run_start), bytes.get(i)) else { break };
            let format = match kinds.get(run_start) {
                Some(2) => focused.clone(),
                Some(1) => marked.clone(),
                _ => plain.clone(),
            };
            job.append(text.get(from..to).unwrap_or_default(), 0.0, format);
            run_start = i;
        }
    }
    if len == 0 {
        job.append("", 0.0, plain);
    }
    job
}

/// One laid-out piece: selectable text, and the passage under the pointer, which opens its event.
fn piece_ui(
    ui: &mut egui::Ui,
    dataset: &Dataset,
    source: &Source,
    rect: Rect,
    galley: &Arc<Galley>,
    piece: Option<Piece>,
    context: &PieceContext<'_>,
) -> Vec<Command> {
    let mut commands = Vec::new();
    let response = ui.put(rect, egui::Label::new(Arc::clone(galley)).selectable(true).sense(Sense::click()));
    let Some(piece) = piece else { return commands };
    let under_pointer = response.hover_pos().and_then(|pos| {
        let cursor = galley.cursor_from_pos(pos - rect.min);
        passage_at(context.passages, piece.start + cursor.index.0)
    });
    if let Some((range, idx)) = under_pointer {
        let titles: Vec<String> = context
            .passages
            .iter()
            .filter(|(r, _)| *r == range)
            .filter_map(|(_, i)| dataset.event(*i).map(|e| crate::model::text::shorten(&e.title, 120).into_owned()))
            .collect();
        let response = response
            .on_hover_cursor(egui::CursorIcon::PointingHand)
            .on_hover_text(format!("Cited by: {}\nClick to open the event.", titles.join("; ")));
        if response.clicked() {
            commands.push(Command::SelectAndReveal(idx));
            commands.push(Command::OpenSource { source_id: source.id.clone(), focus: Some(range) });
        }
    }
    commands
}

/// The cited passage at a character position, with its first event.
pub fn passage_at(passages: &[((usize, usize), EventIdx)], char_index: usize) -> Option<((usize, usize), EventIdx)> {
    passages.iter().find(|((start, end), _)| (*start..*end).contains(&char_index)).copied()
}

/// The words of the source between two character positions.
pub fn quote_of(source: &Source, range: (usize, usize)) -> Option<&str> {
    source.char_index.slice(source.text.as_deref()?, range.0, range.1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_paragraphs_are_cut_at_spaces_and_nothing_is_lost() {
        let long = (0..3000).fold(String::new(), |mut text, i| {
            text.push_str(&format!("w{i} "));
            text
        });
        let text = format!("Short first line.\n{long}\nLast.");
        let cut = pieces(&text);
        assert!(cut.len() >= 4, "{}", cut.len());
        let rebuilt: String = cut.iter().map(|p| &text[p.start_byte..p.end_byte]).collect();
        assert_eq!(rebuilt, text);
        assert!(cut.iter().all(|p| p.end - p.start <= MAX_PIECE_CHARS));
        assert!(cut.windows(2).all(|w| w[0].end == w[1].start));
        assert_eq!(cut.iter().filter(|p| p.ends_paragraph).count(), 3);
        assert_eq!(passage_at(&[((4, 11), 3)], 5), Some(((4, 11), 3)));
        assert_eq!(passage_at(&[((4, 11), 3)], 11), None);
    }
}
