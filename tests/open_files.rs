//! Opening the files people already have, as a user does in the app: a spreadsheet whose columns
//! are only guessed waits in the column-mapping dialog; presets (ACLED, TimeMap) and KML load at
//! once; several files open together as one dataset, each file a source.

// Test helpers may unwrap: a panic is a test failure with its location.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

mod common;

use std::path::PathBuf;

use common::{HarnessOptions, harness_with, view};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable as _;
use kronika::app::KronikaApp;
use kronika::io::LoadReport;
use kronika::model::LonLat;
use kronika::model::geo::world_from_lon_lat;
use kronika::ui::Command;
use kronika::ui::command::OpenRequest;

fn sample(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/formats").join(name)
}

/// An app with nothing loaded, asked to open `paths`.
fn opening(paths: Vec<PathBuf>) -> Harness<'static, KronikaApp> {
    let mut app = KronikaApp::from_report(LoadReport::default(), view());
    app.apply(Command::OpenFiles(OpenRequest::paths(paths)));
    harness_with(app, HarnessOptions::default())
}

fn click_option(harness: &mut Harness<'_, KronikaApp>, combo: &str, option: &str) {
    harness.get_by_label(combo).click();
    harness.run();
    // The option is a button in the open popup (the preview shows the same text as a label).
    harness.get_by_role_and_label(egui::accesskit::Role::Button, option).click();
    harness.run();
}

#[test]
fn a_spreadsheet_waits_for_its_columns_then_loads_as_mapped() {
    let mut harness = opening(vec![sample("spreadsheet.csv")]);
    assert!(harness.state().dataset().events.is_empty(), "nothing loads before the columns are confirmed");
    harness.get_by_label_contains("Columns of spreadsheet.csv");
    // The guesses: y and x are the coordinates, kind the category, notes the description.
    let mapping = &harness.state().column_dialog().unwrap().mapping;
    assert_eq!((mapping.lat.as_deref(), mapping.lon.as_deref()), (Some("y"), Some("x")));
    assert_eq!(mapping.category.as_deref(), Some("kind"));
    assert_eq!(mapping.start, None);
    harness.get_by_label_contains("No start date column");
    // The first rows are shown.
    harness.get_by_label_contains("Fictional sample: residents");

    click_option(&mut harness, "Start date column", "reported on");
    assert_eq!(harness.state().column_dialog().unwrap().mapping.start.as_deref(), Some("reported on"));
    assert!(harness.query_by_label_contains("No start date column").is_none());
    click_option(&mut harness, "Id column", "ref");
    harness.get_by_label("Load").click();
    harness.run();

    assert!(harness.state().column_dialog().is_none());
    let dataset = harness.state().dataset();
    assert_eq!(dataset.events.len(), 3, "{:?}", harness.state().report().problems);
    assert!(dataset.event_idx("S-2").is_some(), "ids from the chosen column");
    let report = harness.state().report();
    assert_eq!(report.format, "CSV");
    assert_eq!(report.error_count(), 0, "{:?}", report.problems);
    harness.get_by_label_contains("spreadsheet.csv (CSV)");
}

#[test]
fn cancelling_the_columns_loads_nothing() {
    let mut harness = opening(vec![sample("spreadsheet.csv")]);
    harness.get_by_label("Cancel").click();
    harness.run();
    assert!(harness.state().column_dialog().is_none());
    assert!(harness.state().dataset().events.is_empty());
    assert!(harness.state().report().path.as_os_str().is_empty(), "no load was started");
}

#[test]
fn an_acled_export_loads_at_once_with_its_own_categories() {
    let harness = opening(vec![sample("acled-iso.csv")]);
    assert!(harness.state().column_dialog().is_none(), "a preset needs no mapping");
    let report = harness.state().report();
    assert_eq!(report.format, "ACLED export (CSV)");
    assert!(!report.dataset.events.is_empty());
    let names: Vec<&str> =
        report.dataset.categories.entries().iter().map(kronika::model::category::CategoryEntry::label).collect();
    assert!(names.iter().any(|n| n.contains("Protests")), "{names:?}");
}

#[test]
fn several_files_open_together_as_one_dataset_each_a_source() {
    let harness = opening(vec![sample("acled-iso.csv"), sample("google-earth.kml"), sample("timemap-events.csv")]);
    let report = harness.state().report();
    assert_eq!(report.paths.len(), 3);
    let dataset = &report.dataset;
    let sources: Vec<&str> = dataset.sources.iter().map(|s| s.title.as_str()).collect();
    for name in ["acled-iso.csv", "google-earth.kml", "timemap-events.csv"] {
        assert!(sources.iter().any(|s| s.contains(name)), "{name} in {sources:?}");
    }
    let kml_events = (0..dataset.events.len())
        .filter(|&i| dataset.properties.get(u32::try_from(i).unwrap(), "file") == Some("google-earth.kml"))
        .count();
    assert!(kml_events > 0);
    harness.get_by_label_contains("3 files");
}

/// The screen position of `point`, from a marker's known position and the map's zoom.
fn screen_of(harness: &Harness<'_, KronikaApp>, anchor: (egui::Pos2, LonLat), point: LonLat) -> egui::Pos2 {
    let scale = 256.0 * 2_f64.powf(harness.state().view().map_zoom);
    let (a, p) = (world_from_lon_lat(anchor.1), world_from_lon_lat(point));
    #[expect(clippy::cast_possible_truncation, reason = "screen points")]
    let offset = egui::vec2(((p.x - a.x) * scale) as f32, ((p.y - a.y) * scale) as f32);
    anchor.0 + offset
}

#[test]
fn lines_and_areas_are_drawn_and_clicked_like_markers() {
    let mut harness = opening(vec![sample("shapes.geojson")]);
    // The legend would cover the route.
    harness.state_mut().apply(Command::SetLegendOpen(false));
    harness.run();
    let area = harness.state().dataset().event_idx("area").unwrap();
    let route = harness.state().dataset().event_idx("line").unwrap();
    let marker = harness.state().drawn_markers().iter().find(|m| m.events.contains(&area)).cloned().unwrap();
    let anchor = (marker.center, harness.state().dataset().event(area).unwrap().lon_lat.unwrap());
    // Inside the area, away from its marker: the area is hit …
    let titles_shown = harness.get_all_by_label("A concave area with a hole").count();
    let inside = screen_of(&harness, anchor, LonLat { lon: 21.05, lat: 42.75 });
    harness.hover_at(inside);
    harness.run();
    assert_eq!(harness.state().hovered(), Some(area));
    assert_eq!(harness.get_all_by_label("A concave area with a hole").count(), titles_shown + 1, "its tooltip");
    // … but not in its hole.
    harness.hover_at(screen_of(&harness, anchor, LonLat { lon: 20.7, lat: 42.75 }));
    harness.run();
    assert_eq!(harness.state().hovered(), None);
    // A click on the route's line, between its points, selects the route.
    let on_line = screen_of(&harness, anchor, LonLat { lon: 20.9, lat: 43.3 });
    harness.hover_at(on_line);
    harness.run();
    for pressed in [true, false] {
        harness.event(egui::Event::PointerButton {
            pos: on_line,
            button: egui::PointerButton::Primary,
            pressed,
            modifiers: egui::Modifiers::NONE,
        });
    }
    harness.run();
    assert_eq!(harness.state().selected(), Some(route));
}

#[test]
fn the_legend_hides_and_shows_a_colour_and_colours_by_any_field() {
    let mut harness = opening(vec![sample("acled-iso.csv")]);
    let total = harness.state().filtered_index().len();
    // The file's own categories are the legend; a click hides one, another shows it again.
    harness.get_by_label_contains("Protests (").click();
    harness.run();
    assert_eq!(harness.state().filtered_index().len(), total - 3, "three protests hidden");
    assert!(harness.state().view().filter.hidden_categories.iter().any(|key| key.contains("Protests")));
    harness.get_by_label_contains("Protests (").click();
    harness.run();
    assert_eq!(harness.state().filtered_index().len(), total);

    // Colour by a field: its values become the legend, and hide and show the same way.
    harness.get_by_role_and_label(egui::accesskit::Role::ComboBox, "Colour by").click();
    harness.run();
    harness.get_by_role_and_label(egui::accesskit::Role::Button, "country").scroll_to_me();
    harness.run();
    harness.get_by_role_and_label(egui::accesskit::Role::Button, "country").click();
    harness.run();
    assert_eq!(
        harness.state().dataset().colouring.as_ref().map(|c| c.field.as_str()),
        Some("country"),
        "{:?}",
        harness.state().dataset().properties.names().collect::<Vec<_>>()
    );
    harness.get_by_label("Serbia (3)").click();
    harness.run();
    assert_eq!(harness.state().filtered_index().len(), total - 3, "the three events in Serbia hidden");
    // Back to categories: nothing stays hidden by the old colours.
    harness.get_by_role_and_label(egui::accesskit::Role::ComboBox, "Colour by").click();
    harness.run();
    harness.get_by_role_and_label(egui::accesskit::Role::Button, "category").scroll_to_me();
    harness.run();
    harness.get_by_role_and_label(egui::accesskit::Role::Button, "category").click();
    harness.run();
    assert!(harness.state().dataset().colouring.is_none());
    assert_eq!(harness.state().filtered_index().len(), total);
}
