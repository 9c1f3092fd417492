//! The explorer as a user drives it: scrub, click markers, read sources, step with the keyboard,
//! search, open broken files. Runs headless with no network (no tile layers in tests).

// Test helpers may unwrap: a panic is a test failure with its location.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

mod common;

use common::harness;
use egui::{Event, Modifiers, PointerButton, Pos2, pos2};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable as _;
use kronika::app::KronikaApp;
use kronika::model::date::day_number;
use kronika::ui::Command;

fn day(y: i32, m: u32, d: u32) -> f64 {
    f64::from(day_number(chrono::NaiveDate::from_ymd_opt(y, m, d).unwrap()))
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

/// The app after opening `text`, written as `name` in a temporary folder (kept as long as the
/// folder returned).
fn opened(name: &str, text: &str) -> (tempfile::TempDir, Harness<'static, KronikaApp>) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(name);
    std::fs::write(&path, text).unwrap();
    let mut harness = harness();
    harness.state_mut().apply(Command::OpenPath(path));
    harness.run();
    (dir, harness)
}

fn event_id(harness: &Harness<'_, KronikaApp>, idx: u32) -> String {
    harness.state().dataset().event(idx).unwrap().id.to_string()
}

/// Drags the timeline cursor to a date, as a user scrubbing the strip.
fn scrub_to(harness: &mut Harness<'_, KronikaApp>, target_day: f64) {
    let strip = harness.get_by_label("Timeline").rect();
    let timeline = &harness.state().view().timeline;
    let ruler = kronika::ui::timeline::TimeRuler::new(strip.left(), strip.width(), timeline);
    let y = strip.top() + 20.0;
    let start = pos2(ruler.x_from_day(target_day - 40.0).max(strip.left() + 1.0), y);
    let end = pos2(ruler.x_from_day(target_day + 0.5), y);
    harness.hover_at(start);
    harness.step();
    harness.drag_at(start);
    harness.step();
    for i in 1..=5 {
        harness.hover_at(start + (end - start) * (i as f32 / 5.0));
        harness.step();
    }
    harness.drop_at(end);
    harness.run();
}

#[test]
fn scrubbing_changes_the_list_and_the_markers() {
    let mut harness = harness();
    harness.get_by_label("Cumulative").click();
    harness.run();
    harness.get_by_label("2022–2024").click();
    harness.run();
    scrub_to(&mut harness, day(2023, 9, 30));
    let state = harness.state();
    assert!(
        (state.view().timeline.cursor_day - day(2023, 9, 30)).abs() < 1.5,
        "cursor at {}",
        state.view().timeline.cursor_day
    );
    let ids: Vec<String> = state.now_events().iter().map(|&i| event_id(&harness, i)).collect();
    assert!(ids.iter().any(|id| id.contains("banjska")), "{ids:?}");
    assert!(ids.iter().all(|id| !id.starts_with("ev-1999")), "{ids:?}");
    let markers_september = state.drawn_markers().to_vec();
    assert!(!markers_september.is_empty());
    harness.get_by_label_contains("Kosovo Albanian police officer killed in ambush near Banjska");

    scrub_to(&mut harness, day(2023, 1, 7));
    let ids: Vec<String> = harness.state().now_events().iter().map(|&i| event_id(&harness, i)).collect();
    assert!(ids.iter().any(|id| id.contains("shterpce")), "{ids:?}");
    assert!(ids.iter().all(|id| !id.contains("banjska")), "{ids:?}");
    assert_ne!(harness.state().drawn_markers(), markers_september.as_slice());
}

#[test]
fn clicking_a_marker_shows_its_citations_and_the_reader_highlights_the_quote() {
    let mut harness = harness();
    harness.get_by_label("2022–2024").click();
    harness.run();
    let app = harness.state();
    let banjska = app.dataset().event_idx("ev-2023-09-24-banjska-attack-src004").unwrap();
    let marker =
        app.drawn_markers().iter().find(|m| m.events.contains(&banjska)).expect("a marker for Banjska").clone();
    click_at(&mut harness, marker.center);
    if harness.state().selected().is_none() {
        // Several events share Banjska: the group lists them; pick the attack from the group's list,
        // which floats over the map (the side list, right of x = 1000, may show it too; the
        // marker's tooltip names it in a one-line label, lower than a list row).
        assert!(harness.state().group().is_some_and(|g| g.contains(&banjska)));
        let title = "Kosovo Albanian police officer killed in ambush near Banjska";
        let in_group = |node: &egui_kittest::Node<'_>| node.rect().center().x < 1000.0 && node.rect().height() > 30.0;
        harness.get_all_by_label(title).find(in_group).expect("the group lists the attack").scroll_to_me();
        harness.run();
        let row = harness.get_all_by_label(title).find(in_group).unwrap().rect();
        click_at(&mut harness, row.center());
    }
    assert!(harness.state().selected().is_some());
    let selected = harness.state().selected().unwrap();
    assert!(harness.state().dataset().event(selected).unwrap().place_id() == Some("pl-banjska"));
    harness.get_by_label("Event details");
    let read_buttons = harness.get_all_by_label("📖 Read in source").count();
    assert!(read_buttons >= 1);
    // The citation may sit below the fold of the details panel: scroll to it as a user would.
    harness.get_all_by_label("📖 Read in source").next().unwrap().scroll_to_me();
    harness.run();
    harness.get_all_by_label("📖 Read in source").next().unwrap().click();
    harness.run();
    let reader = harness.state().reader().cloned().expect("the reader is open");
    let source = harness.state().dataset().source(&reader.source_id).unwrap();
    let (start, end) = reader.focus.unwrap();
    let quote = kronika::model::text::char_slice(source.text.as_ref().unwrap(), start, end).unwrap().to_owned();
    let number = kronika::ui::reader::distinct_passages(harness.state().dataset(), &reader.source_id)
        .iter()
        .position(|(r, _)| *r == (start, end))
        .unwrap()
        + 1;
    harness.get_by_label_contains(&format!("Highlighted passage ({number} of"));
    harness.get_by_label_contains(&format!("): “{quote}”"));
}

#[test]
fn arrow_keys_step_through_events_in_date_order() {
    let mut harness = harness();
    harness.key_press(egui::Key::Home);
    harness.run();
    harness.key_press(egui::Key::ArrowRight);
    harness.run();
    let mut days = Vec::new();
    for _ in 0..6 {
        let selected = harness.state().selected().expect("an event is selected");
        days.push(harness.state().dataset().event(selected).unwrap().span.first_day());
        harness.key_press(egui::Key::ArrowRight);
        harness.run();
    }
    assert!(days.windows(2).all(|w| w[0] <= w[1]), "{days:?}");
    let before = harness.state().selected();
    harness.key_press(egui::Key::ArrowLeft);
    harness.run();
    assert_ne!(harness.state().selected(), before);
    // The cursor follows the selection, so the selected event is "now".
    let selected = harness.state().selected().unwrap();
    assert!(harness.state().now_events().contains(&selected));
}

#[test]
fn search_narrows_list_and_map() {
    let mut harness = harness();
    let all = harness.state().now_events().len();
    let markers_before = harness.state().drawn_markers().iter().map(|m| m.events.len()).sum::<usize>();
    harness.get_by_label("Search").focus();
    harness.get_by_label("Search").type_text("Shterpce");
    harness.run();
    let state = harness.state();
    assert!(state.now_events().len() < all);
    assert!(!state.now_events().is_empty());
    for &idx in state.now_events() {
        let query = kronika::model::search::Query::new("shterpce");
        assert!(query.matches(idx, state.dataset().event(idx).unwrap(), state.dataset()));
    }
    let markers_after = state.drawn_markers().iter().map(|m| m.events.len()).sum::<usize>();
    assert!(markers_after < markers_before);
}

#[test]
fn the_disagreement_on_the_capture_date_is_shown_side_by_side() {
    let mut harness = harness();
    let idx = harness.state().dataset().event_idx("ev-1999-01-08-capture-eight-soldiers-src000").unwrap();
    harness.state_mut().apply(Command::SelectAndReveal(idx));
    harness.run();
    harness.get_by_label("⚠ Sources disagree");
    assert!(harness.get_all_by_label_contains("another record gives 12 January 1999").count() >= 1);
}

#[test]
fn opening_a_broken_file_shows_its_problems_and_stays_usable() {
    let (_dir, mut harness) = opened(
        "broken.geojson",
        r#"{"type":"FeatureCollection","features":[
{"type":"Feature","id":"ok","geometry":{"type":"Point","coordinates":[20.9,42.9]},"properties":{"title":"Fine event","start":"1999-01-08"}},
{"type":"Feature","id":"bad","geometry":{"type":"Point","coordinates":[20.9,42.9]},"properties":{"title":"Bad","start":"1999-13-40"}}]}"#,
    );
    harness.get_by_label("Load problems");
    harness.get_by_label_contains("month 13 does not exist");
    harness.get_by_label_contains("Features with errors were skipped; the other 1 event(s) loaded.");
    assert_eq!(harness.state().dataset().events.len(), 1);
    harness.key_press(egui::Key::ArrowRight);
    harness.run();
    let selected = harness.state().selected().expect("the valid event is still usable");
    assert_eq!(event_id(&harness, selected), "ok");
}

/// The summary names a sheet's records as rows, as its problems do.
#[test]
fn a_broken_sheet_s_problems_speak_of_rows() {
    let (_dir, harness) = opened(
        "broken.csv",
        "event_id_cnty,event_date,latitude,longitude\nSRB1,2023-09-24,42.9,20.9\nSRB2,2023-13-40,42.9,20.9\n",
    );
    harness.get_by_label("Load problems");
    harness.get_by_label_contains("Rows with errors were skipped; the other 1 event(s) loaded.");
    assert_eq!(harness.state().dataset().events.len(), 1);
}

#[test]
fn f1_lists_the_shortcuts_in_glyphs_the_font_has() {
    let mut harness = harness();
    harness.key_press(egui::Key::F1);
    harness.run();
    harness.get_by_label("Keyboard shortcuts");
    harness.get_by_label("Left / Right arrow");
    harness.get_by_label("previous / next event");
}

/// The density layer: automatic by the number of events in view (off for the 81 shipped ones),
/// toggled from the map's controls, and a click on a heat cell still selects what it holds.
#[test]
fn the_density_layer_toggles_and_its_cells_still_select() {
    let mut harness = harness();
    assert!(!harness.state().density_shown(), "81 events: markers");
    harness.get_by_label("Density").click();
    harness.run();
    assert!(harness.state().density_shown());
    assert_eq!(harness.state().view().density_layer, Some(true));
    let marker = harness.state().drawn_markers().iter().find(|m| m.count == 1).cloned().unwrap();
    click_at(&mut harness, marker.center);
    assert_eq!(harness.state().selected(), marker.events.first().copied());
    harness.get_by_label("Density").click();
    harness.run();
    assert!(!harness.state().density_shown());
}
