//! Image snapshots of what a user sees, rendered by wgpu (a software Vulkan driver is enough:
//! `mesa-vulkan-drivers` on Debian/Ubuntu, installed by `.ci/run`). A changed picture fails with
//! a `.diff.png` beside the stored one in `tests/snapshots/`; after a deliberate change, look at
//! the new pictures and accept them with `UPDATE_SNAPSHOTS=1 cargo test --test snapshots`.

// Test helpers may unwrap: a panic is a test failure with its location.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

mod common;

use common::{HarnessOptions, harness_with, shipped_app, view};
use kronika::app::{KronikaApp, ViewState};
use kronika::io::LoadReport;
use kronika::ui::Command;

fn snapshot_options(size: [f32; 2], theme: egui::Theme) -> HarnessOptions {
    HarnessOptions { size, theme, wgpu: true }
}

/// The first screen: Kosovo on the offline basemap, every event up to the last one, the two
/// eras on the timeline, the list on the right.
#[test]
fn explorer_on_the_shipped_dataset() {
    let mut harness = harness_with(shipped_app(view()), snapshot_options([1200.0, 760.0], egui::Theme::Light));
    harness.snapshot("explorer_shipped_dataset");
}

/// The January 1999 capture, selected: its details say the sources disagree on the date and
/// show the other record's date beside it.
#[test]
fn the_capture_dates_disagreement() {
    let mut harness = harness_with(shipped_app(view()), snapshot_options([1200.0, 760.0], egui::Theme::Light));
    let idx = harness.state().dataset().event_idx("ev-1999-01-08-capture-eight-soldiers-src000").unwrap();
    harness.state_mut().apply(Command::SelectAndReveal(idx));
    harness.run();
    harness.snapshot("capture_date_disagreement");
}

/// The embedded basemap alone, in the dark theme: borders, lakes and rivers of the Balkans with
/// no events and no network.
#[test]
fn the_offline_basemap_in_the_dark() {
    let view = ViewState { dark_mode: true, legend_open: false, map_center: (20.9, 42.4), map_zoom: 6.0, ..view() };
    // A dataset with no events that says it is about Kosovo: the basemap draws Kosovo a shade lighter.
    let mut report = LoadReport::default();
    report.dataset.facts.focus_region = Some("Kosovo".into());
    let app = KronikaApp::from_report(report, view);
    let mut harness = harness_with(app, snapshot_options([900.0, 560.0], egui::Theme::Dark));
    harness.snapshot("basemap_balkans_dark");
}

/// The source reader beside the map, with the Bajgora offensive's passage highlighted: the text
/// wraps to the panel and the passage is in view.
fn reader_snapshot(size: [f32; 2], name: &str) {
    let mut harness = harness_with(shipped_app(view()), snapshot_options(size, egui::Theme::Light));
    let idx = harness.state().dataset().event_idx("ev-1998-07-bajgora-offensive-src001").unwrap();
    harness.state_mut().apply(Command::SelectAndReveal(idx));
    let citation = harness.state().dataset().event(idx).unwrap().citations()[0].clone();
    harness.state_mut().apply(Command::OpenSource { source_id: citation.source_id, focus: citation.char_range });
    harness.run();
    harness.snapshot(name);
}

/// The reader in a small window.
#[test]
fn the_reader_at_1024_by_700() {
    reader_snapshot([1024.0, 700.0], "reader_1024x700");
}

/// The reader in a large window.
#[test]
fn the_reader_at_1920_by_1080() {
    reader_snapshot([1920.0, 1080.0], "reader_1920x1080");
}

/// `kronika render`'s picture of a view, small: the same pixels every run.
#[test]
fn kronika_render_draws_a_view() {
    let view = kronika::model::view_link::ViewLink::parse(
        "kronika:view?at=2023-09-24&window=30d&select=ev-2023-09-24-banjska-attack-src004&map=42.93,20.82,10",
    )
    .unwrap();
    let options = kronika::io::LoadOptions::default();
    // Relative, as `cargo run` opens it: the status line names the path, which must not depend
    // on where the checkout is.
    let relative = std::path::Path::new("data");
    let data = if relative.join("events.geojson").exists() { relative.to_path_buf() } else { common::data_dir() };
    let request = kronika::cli::render::RenderRequest {
        data: &data,
        options: &options,
        view,
        size: [960, 600],
        scale: 1.0,
        until: None,
        frames: 1,
        story: None,
        out: std::path::Path::new("unused.png"),
    };
    let image = kronika::cli::render::render_image(&request).unwrap();
    assert_eq!(image.dimensions(), (960, 600));
    egui_kittest::image_snapshot(&image, "render_banjska_960x600");
}

/// The event editor on the Banjska attack: its date with precision and basis, claim status,
/// actors, place, relations and the passages it cites, with the passage window beside it.
#[test]
fn the_event_editor() {
    use kronika::ui::editor::EditCommand;
    let mut harness = harness_with(shipped_app(view()), snapshot_options([1280.0, 800.0], egui::Theme::Light));
    let id = "ev-2023-09-24-banjska-attack-src004";
    let idx = harness.state().dataset().event_idx(id).unwrap();
    harness.state_mut().apply(Command::SelectAndReveal(idx));
    let source = harness.state().dataset().event(idx).unwrap().citations()[0].source_id.clone();
    harness.state_mut().apply(Command::Edit(EditCommand::EditEvent(id.into())));
    harness.state_mut().apply(Command::Edit(EditCommand::OpenPassages(source)));
    harness.run();
    harness.snapshot("event_editor");
}
