//! Reading the sources, finding anything, never losing the selection: the reader wraps to its
//! panel and shows the passage whole; citations copy; search finds across all dates, words and
//! alphabets; a selection scrolls the list; co-located events spread; denied claims say so at
//! the top; menus stay open while ticking; the timeline speaks its date.

// Test helpers may unwrap: a panic is a test failure with its location.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

mod common;

use common::{HarnessOptions, harness, harness_with, shipped_app, view};
use egui::{Event, Modifiers, PointerButton, Pos2};
use egui_kittest::Harness;
use egui_kittest::kittest::{NodeT as _, Queryable as _};
use kronika::app::KronikaApp;
use kronika::ui::Command;

fn idx(harness: &Harness<'_, KronikaApp>, id: &str) -> u32 {
    harness.state().dataset().event_idx(id).unwrap_or_else(|| panic!("no event {id}"))
}

fn click_at(harness: &mut Harness<'_, KronikaApp>, pos: Pos2) {
    harness.hover_at(pos);
    harness.step();
    for pressed in [true, false] {
        harness.event(Event::PointerButton {
            pos,
            button: PointerButton::Primary,
            pressed,
            modifiers: Modifiers::NONE,
        });
    }
    harness.run();
}

/// Selects an event and opens its first citation in the reader, as a user would.
fn read_first_citation(harness: &mut Harness<'_, KronikaApp>, id: &str) {
    let event = idx(harness, id);
    harness.state_mut().apply(Command::SelectAndReveal(event));
    harness.run();
    harness.get_all_by_label("📖 Read in source").next().unwrap().scroll_to_me();
    harness.run();
    harness.get_all_by_label("📖 Read in source").next().unwrap().click();
    harness.run();
}

#[test]
fn the_reader_wraps_to_its_panel_and_shows_the_passage_whole_at_1024_px() {
    let mut harness =
        harness_with(shipped_app(view()), HarnessOptions { size: [1024.0, 700.0], ..HarnessOptions::default() });
    read_first_citation(&mut harness, "ev-1998-07-bajgora-offensive-src001");
    let reader = harness.state().reader().cloned().expect("the reader is open");
    let (start, end) = reader.focus.unwrap();
    let source = harness.state().dataset().source(&reader.source_id).unwrap();
    let quote = source.char_index.slice(source.text.as_deref().unwrap(), start, end).unwrap().to_owned();
    // The paragraph holding the passage: wrapped inside the window, and in view.
    let words: String = quote.split_whitespace().take(6).collect::<Vec<_>>().join(" ");
    let paragraph = harness
        .get_all_by_label_contains(&words)
        .max_by(|a, b| a.rect().height().total_cmp(&b.rect().height()))
        .unwrap();
    let rect = paragraph.rect();
    assert!(rect.right() <= 1024.0 && rect.left() >= 0.0, "wrapped inside the window: {rect:?}");
    assert!(rect.height() > 30.0, "long lines wrap: {rect:?}");
    assert!(rect.top() >= 0.0 && rect.top() < 700.0, "in view: {rect:?}");
    harness.get_by_label_contains("Highlighted passage (");
}

#[test]
fn next_and_previous_passage_and_copy_citation() {
    let mut harness = harness();
    read_first_citation(&mut harness, "ev-2023-09-24-banjska-attack-src004");
    let first = harness.state().reader().unwrap().focus;
    harness.key_press(egui::Key::N);
    harness.run();
    let next = harness.state().reader().unwrap().focus;
    assert_ne!(first, next, "N moves to the next passage");
    harness.key_press(egui::Key::P);
    harness.run();
    assert_eq!(harness.state().reader().unwrap().focus, first, "P moves back");

    harness.get_by_label("Copy citation").click();
    harness.step();
    let copied = harness
        .output()
        .platform_output
        .commands
        .iter()
        .find_map(|c| match c {
            egui::OutputCommand::CopyText(text) => Some(text.clone()),
            _ => None,
        })
        .expect("the citation was copied");
    assert!(copied.starts_with('“') && copied.contains("Kronika event ev-"), "{copied}");
    assert!(copied.contains("Euronews") || copied.contains('—'), "{copied}");
}

#[test]
fn search_finds_every_word_across_all_dates_and_alphabets() {
    let mut harness = harness();
    // A window in 2023: the 1999 capture accounts are not "now".
    harness.state_mut().apply(Command::SetCumulative(false));
    harness.state_mut().apply(Command::ShowRange(738_000, 738_800));
    harness.run();
    harness.get_by_label("Search").focus();
    harness.get_by_label("Search").type_text("eight soldiers");
    harness.run();
    let capture_000 = idx(&harness, "ev-1999-01-08-capture-eight-soldiers-src000");
    let capture_001 = idx(&harness, "ev-1999-01-12-capture-eight-soldiers-src001");
    let (hits, total) = harness.state().search_results();
    assert!(hits.contains(&capture_000) && hits.contains(&capture_001), "{total} hits");
    // Listed under the field, and picking one moves the cursor onto it.
    let title = harness.state().dataset().event(capture_001).unwrap().title.to_string();
    let short: String = title.chars().take(40).collect();
    harness.get_by_label_contains(&short).click();
    harness.run();
    assert_eq!(harness.state().selected(), Some(capture_001));
    assert!(harness.state().now_events().contains(&capture_001), "the cursor moved to it");
}

#[test]
fn search_ignores_accents_and_reads_cyrillic() {
    let dataset = common::shipped_report().dataset;
    let found = |text: &str| kronika::model::search::search(&dataset, &kronika::model::search::Query::new(text));
    let latin = found("Zvecan");
    assert!(!latin.is_empty());
    assert_eq!(found("Zvečan"), latin);
    assert_eq!(found("Звечан"), latin);
}

#[test]
fn selecting_on_the_map_scrolls_the_list_to_the_row() {
    let mut harness = harness();
    // The oldest event: at the bottom of the newest-first list.
    let oldest = harness.state().now_events()[0];
    let title = harness.state().dataset().event(oldest).unwrap().title.to_string();
    assert_eq!(harness.query_all_by_label(&title).count(), 0, "not laid out before");
    harness.state_mut().apply(Command::Select(Some(oldest)));
    harness.run();
    let row = harness.get_all_by_label(&title).next().expect("the list scrolled to it");
    assert!(row.rect().top() > 60.0 && row.rect().bottom() < 880.0);
}

#[test]
fn events_at_one_point_are_spread_and_each_can_be_picked() {
    let mut harness = harness();
    let attack = idx(&harness, "ev-2023-09-24-banjska-attack-src004");
    // Only Banjska's events, the map as close as it goes: they still share one marker.
    let only_banjska = kronika::model::EventFilter { place_id: Some("pl-banjska".into()), ..Default::default() };
    harness.state_mut().apply(Command::SetFilter(only_banjska));
    harness.run();
    harness.state_mut().apply(Command::FitMap);
    harness.run();
    let marker = harness.state().drawn_markers().iter().find(|m| m.events.contains(&attack)).cloned().unwrap();
    assert!(marker.count > 1, "Banjska's events share a point");
    click_at(&mut harness, marker.center);
    let spread = harness.state().spread().cloned().expect("the group is spread around its point");
    harness.get_by_label_contains("no zoom separates them");
    // Pick the third one on the spiral.
    let pos = marker.center + kronika::ui::map::spread::spread_offset(2);
    click_at(&mut harness, pos);
    assert_eq!(harness.state().selected(), Some(spread.events[2]));
}

#[test]
fn a_denied_claim_says_so_at_the_top_with_the_denial_one_click_away() {
    let mut harness = harness();
    let claim = idx(&harness, "ev-2024-04-icg-report-banjska-src002");
    let denial = idx(&harness, "ev-2024-05-26-kfor-denies-negotiation-src002");
    harness.state_mut().apply(Command::SelectAndReveal(claim));
    harness.run();
    let banner = harness.get_by_label("⚠ Denied");
    let heading = harness
        .get_all_by_label_contains("International Crisis Group report says")
        .max_by(|a, b| a.rect().height().total_cmp(&b.rect().height()))
        .unwrap();
    assert!(banner.rect().top() < heading.rect().bottom() + 80.0, "at the top of the details");
    let denial_title = harness.state().dataset().event(denial).unwrap().title.to_string();
    harness
        .get_all_by_label(&denial_title)
        .find(|n| n.rect().left() > 800.0 && n.rect().top() > banner.rect().top())
        .unwrap()
        .click();
    harness.run();
    assert_eq!(harness.state().selected(), Some(denial));
    harness.get_by_label("⚠ A denial");
}

#[test]
fn the_categories_menu_stays_open_while_ticking() {
    let mut harness = harness();
    harness.get_by_label("Categories").click();
    harness.run();
    let first = harness
        .get_all_by_role(egui::accesskit::Role::CheckBox)
        .find(|n| n.accesskit_node().label().is_some_and(|l| l.contains('(')))
        .unwrap();
    let label = first.accesskit_node().label().unwrap();
    first.click();
    harness.run();
    assert!(!harness.state().view().filter.hidden_categories.is_empty());
    assert!(harness.get_all_by_label(&label).next().is_some(), "the menu is still open");
}

#[test]
fn the_timeline_tells_screen_readers_its_date() {
    let harness = harness();
    let value = harness.get_by_label("Timeline").value().unwrap_or_default();
    assert!(value.starts_with("Up to "), "{value:?}");
}

#[test]
fn the_list_is_newest_first_and_can_be_turned_around() {
    let mut harness = harness();
    let newest = *harness.state().now_events().last().unwrap();
    let title = harness.state().dataset().event(newest).unwrap().title.to_string();
    let top_row = harness.get_all_by_label(&title).next().unwrap().rect().top();
    harness.get_by_label("newest first").click();
    harness.run();
    assert!(!harness.state().view().list_newest_first);
    assert!(harness.query_all_by_label(&title).next().is_none_or(|n| n.rect().top() > top_row));
}
