//! The source reader, a panel beside the map: the source's metadata and link, the cited passage
//! with its neighbours a key away, a list of every passage cited, citations to copy, and the full
//! text (see [`text`]) wrapped to the panel, selectable, with the passage highlighted in view.

pub mod text;

use egui::RichText;

pub use self::text::ReaderLayout;
use crate::model::cite::{self, Passage};
use crate::model::playback::StepDirection;
use crate::model::text::{MAX_TITLE_CHARS, clip, shorten};
use crate::model::{Dataset, EventIdx, Source};
use crate::ui::command::Command;

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

/// The distinct cited passages of a source, in text order, with the first event citing each.
pub fn distinct_passages(dataset: &Dataset, source_id: &str) -> Vec<((usize, usize), EventIdx)> {
    let mut passages = dataset.citations_in_source(source_id).to_vec();
    passages.dedup_by_key(|(range, _)| *range);
    passages
}

/// The passage after (or before) `focus` in text order; the first (or last) when there is none.
pub fn neighbour_passage(
    passages: &[((usize, usize), EventIdx)],
    focus: Option<(usize, usize)>,
    direction: StepDirection,
) -> Option<(usize, usize)> {
    let position = focus.and_then(|f| passages.iter().position(|(range, _)| *range == f));
    let target = match (position, direction) {
        (Some(p), StepDirection::Next) => p + 1,
        (Some(p), StepDirection::Previous) => p.checked_sub(1)?,
        (None, StepDirection::Next) => 0,
        (None, StepDirection::Previous) => passages.len().checked_sub(1)?,
    };
    passages.get(target).map(|(range, _)| *range)
}

/// Shows the reader; returns what the user asked for.
pub fn reader_panel_ui(
    ui: &mut egui::Ui,
    dataset: &Dataset,
    state: &ReaderState,
    selected: Option<EventIdx>,
    layout: &mut ReaderLayout,
    editable: bool,
) -> Vec<Command> {
    let mut commands = Vec::new();
    ui.horizontal(|ui| {
        ui.strong("Source reader");
        ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
            if ui.small_button("✖ Close").on_hover_text("Close the reader (Esc)").clicked() {
                commands.push(Command::CloseReader);
            }
            if editable
                && ui
                    .small_button("Mark a passage…")
                    .on_hover_text("Select words of this source to make an event of them or cite them")
                    .clicked()
            {
                commands.push(Command::Edit(crate::ui::editor::EditCommand::OpenPassages(state.source_id.clone())));
            }
        });
    });
    let Some(source) = dataset.source(&state.source_id) else {
        ui.label(format!("Source {:?} is not in this dataset.", shorten(&state.source_id, MAX_TITLE_CHARS)));
        return commands;
    };
    ui.add(egui::Label::new(RichText::new(clip(&source.title, MAX_TITLE_CHARS)).heading()).wrap());
    metadata_ui(ui, source);
    if source.text.is_none() {
        ui.colored_label(
            ui.visuals().error_fg_color,
            "The text of this source could not be read; see the load problems.",
        );
        return commands;
    }
    let passages = distinct_passages(dataset, &source.id);
    passage_ui(ui, dataset, source, state, selected, &passages, &mut commands);
    ui.separator();
    commands.extend(text::text_ui(ui, dataset, source, state.focus, state.scroll_pending, layout));
    commands
}

fn metadata_ui(ui: &mut egui::Ui, source: &Source) {
    egui::CollapsingHeader::new("About this source").id_salt("source_meta").default_open(false).show(ui, |ui| {
        egui::Grid::new("source_meta_grid").num_columns(2).striped(true).show(ui, |ui| {
            let row = |ui: &mut egui::Ui, key: &str, value: &str| {
                ui.weak(key);
                ui.add(egui::Label::new(clip(value, MAX_TITLE_CHARS)).wrap());
                ui.end_row();
            };
            row(ui, "Outlet", source.outlet.as_deref().unwrap_or("not named in the source"));
            if let Some(author) = &source.author {
                row(ui, "Author", author);
            }
            row(ui, "Kind", source.kind.label());
            if let Some(language) = &source.language {
                row(ui, "Language", language);
            }
            let published = source.published.span.map_or_else(|| "unknown".to_owned(), |s| s.in_words());
            let basis = source.published.basis.map(|b| format!(" ({})", b.label())).unwrap_or_default();
            row(ui, "Published", &format!("{published}{basis}"));
            if let Some(note) = &source.published.note {
                row(ui, "Dating", note);
            }
            if let Some(url) = &source.url {
                ui.weak("Original");
                // Only web links open, and only when clicked.
                if url.starts_with("https://") || url.starts_with("http://") {
                    ui.hyperlink_to(shorten(url, 80), url);
                } else {
                    ui.label(shorten(url, 80));
                }
                ui.end_row();
            }
            row(ui, "File", &source.path);
        });
    });
}

/// The focused passage, its neighbours, the citations to copy, and every passage of the source.
fn passage_ui(
    ui: &mut egui::Ui,
    dataset: &Dataset,
    source: &Source,
    state: &ReaderState,
    selected: Option<EventIdx>,
    passages: &[((usize, usize), EventIdx)],
    commands: &mut Vec<Command>,
) {
    let number = state.focus.and_then(|f| passages.iter().position(|(range, _)| *range == f)).map(|p| p + 1);
    ui.horizontal_wrapped(|ui| {
        match number {
            Some(n) => ui.label(format!("Passage {n} of {}", passages.len())),
            None => {
                ui.weak(format!("{} passages of this source are cited; click one to open its event.", passages.len()))
            }
        };
        for (label, direction, key) in
            [("Previous passage", StepDirection::Previous, "P"), ("Next passage", StepDirection::Next, "N")]
        {
            let target = neighbour_passage(passages, state.focus, direction);
            if ui.add_enabled(target.is_some(), egui::Button::new(label)).on_hover_text(format!("Key: {key}")).clicked()
            {
                commands.push(Command::OpenSource { source_id: source.id.clone(), focus: target });
            }
        }
    });
    if let Some((start, end)) = state.focus
        && let Some(quote) = text::quote_of(source, (start, end))
    {
        let shown = clip(quote, 600);
        ui.add(
            egui::Label::new(
                RichText::new(format!(
                    "Highlighted passage ({} of {}): “{shown}”",
                    number.unwrap_or(0),
                    passages.len()
                ))
                .italics(),
            )
            .wrap(),
        );
        // The record the citation supports: the selected event when it cites this passage.
        let citing: Vec<EventIdx> = dataset
            .citations_in_source(&source.id)
            .iter()
            .filter(|(r, _)| *r == (start, end))
            .map(|(_, i)| *i)
            .collect();
        let event = selected.filter(|s| citing.contains(s)).or_else(|| citing.first().copied());
        let passage = Passage {
            quote,
            source,
            event_id: event.and_then(|i| dataset.event(i)).map(|e| e.id.as_str()),
            dataset: &dataset.name,
        };
        ui.horizontal_wrapped(|ui| {
            if ui
                .button("Copy citation")
                .on_hover_text("Quote, source, date, link and Kronika record, as plain text")
                .clicked()
            {
                ui.ctx().copy_text(cite::plain(&passage));
            }
            if ui.button("Copy Chicago note").on_hover_text("The same as a Chicago-style note").clicked() {
                ui.ctx().copy_text(cite::chicago(&passage));
            }
        });
    }
    egui::CollapsingHeader::new(format!("All cited passages ({})", passages.len())).id_salt("reader_passages").show(
        ui,
        |ui| {
            egui::ScrollArea::vertical().id_salt("reader_passage_list").max_height(160.0).show(ui, |ui| {
                for &(range, idx) in passages {
                    let quote = text::quote_of(source, range).map(|q| shorten(q, 70).into_owned()).unwrap_or_default();
                    let title = dataset.event(idx).map(|e| shorten(&e.title, 60).into_owned()).unwrap_or_default();
                    let current = state.focus == Some(range);
                    if ui.selectable_label(current, format!("“{quote}” — {title}")).clicked() {
                        commands.push(Command::OpenSource { source_id: source.id.clone(), focus: Some(range) });
                    }
                }
            });
        },
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn neighbours_step_through_passages_in_text_order() {
        let passages = [((0, 5), 1), ((10, 20), 2), ((30, 40), 3)];
        assert_eq!(neighbour_passage(&passages, Some((10, 20)), StepDirection::Next), Some((30, 40)));
        assert_eq!(neighbour_passage(&passages, Some((10, 20)), StepDirection::Previous), Some((0, 5)));
        assert_eq!(neighbour_passage(&passages, Some((30, 40)), StepDirection::Next), None);
        assert_eq!(neighbour_passage(&passages, None, StepDirection::Next), Some((0, 5)));
        assert_eq!(neighbour_passage(&passages, None, StepDirection::Previous), Some((30, 40)));
    }
}
