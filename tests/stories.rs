//! Stories: the shipped ones load and are followed step by step (selection, time and map follow
//! each step, by buttons and by keys); a new one is written, saved and loaded again.

// Test helpers may unwrap: a panic is a test failure with its location.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

mod common;

use common::{HarnessOptions, data_dir, harness_with, shipped_app, shipped_report, view};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable as _;
use kronika::app::KronikaApp;
use kronika::io::load;
use kronika::model::date::day_number;
use kronika::ui::Command;
use kronika::ui::command::StoryEdit;

/// The step's view, as the app should show it.
fn assert_follows(harness: &Harness<'_, KronikaApp>, story: usize, step: usize) {
    let state = harness.state();
    let view = &state.dataset().stories[story].steps[step].view;
    if let Some(id) = &view.select {
        assert_eq!(state.selected(), state.dataset().event_idx(id), "step {step} selects {id}");
    }
    if let Some(at) = view.at {
        let cursor = state.view().timeline.cursor_day - f64::from(day_number(at));
        assert!((0.0..1.0).contains(&cursor), "step {step}: the cursor");
    }
    if let Some((lat, lon, zoom)) = view.map {
        let (center, map_zoom) = state.map_view();
        assert!((center.1 - lat).abs() < 1e-6 && (center.0 - lon).abs() < 1e-6, "step {step}: {center:?}");
        assert!((map_zoom - zoom).abs() < 1e-6);
    }
}

#[test]
fn the_shipped_stories_load_cleanly() {
    let report = shipped_report();
    let stories = &report.dataset.stories;
    assert!(stories.len() >= 2);
    for story in stories {
        assert!(story.steps.len() >= 5, "{}", story.id);
    }
}

#[test]
fn a_story_is_followed_step_by_step_by_buttons_and_keys() {
    let mut harness = harness_with(shipped_app(view()), HarnessOptions::default());
    harness.get_by_label("View").click();
    harness.run();
    harness.get_by_label("Stories…").click();
    harness.run();
    let title = harness.state().dataset().stories[0].title.clone();
    harness.get_by_label(&title).click();
    harness.run();
    harness.get_by_label_contains("Step 1 of");
    assert_follows(&harness, 0, 0);
    harness.get_by_label("Next").click();
    harness.run();
    harness.get_by_label_contains("Step 2 of");
    assert_follows(&harness, 0, 1);
    harness.key_press(egui::Key::PageDown);
    harness.run();
    assert_follows(&harness, 0, 2);
    harness.key_press(egui::Key::PageUp);
    harness.run();
    assert_follows(&harness, 0, 1);
    // Presenting hides everything but the map, the timeline and the story.
    harness.key_press(egui::Key::F5);
    harness.run();
    assert!(harness.query_by_label_contains("Search titles").is_none(), "the top bar is hidden");
    harness.key_press(egui::Key::Escape);
    harness.run();
    harness.get_by_label("File");
}

#[test]
fn a_story_is_written_saved_and_loaded_again() {
    let temp = tempfile::tempdir().unwrap();
    let folder = temp.path();
    copy_folder(&data_dir(), folder);
    let mut harness = harness_with(KronikaApp::from_report(load(folder), view()), HarnessOptions::default());
    let attack = harness.state().dataset().event_idx("ev-2023-09-24-banjska-attack-src004").unwrap();
    for command in [
        Command::SelectAndReveal(attack),
        Command::EditStory(StoryEdit::NewStory),
        Command::EditStory(StoryEdit::SetCaption(
            0,
            "The attack, per [source 004](event:ev-2023-09-24-banjska-attack-src004).".into(),
        )),
        Command::Select(None),
        Command::EditStory(StoryEdit::AddCurrentView),
        Command::EditStory(StoryEdit::SetTitle(1, "Afterwards".into())),
        Command::SaveStories,
    ] {
        harness.state_mut().apply(command);
    }
    harness.run();
    harness.get_by_label_contains("Saved 3 stories");
    let reread = load(folder);
    assert_eq!(reread.error_count(), 0, "{:?}", reread.problems);
    let story = reread.dataset.stories.last().unwrap();
    assert_eq!(story.steps.len(), 2);
    assert_eq!(story.steps[0].view.select.as_deref(), Some("ev-2023-09-24-banjska-attack-src004"));
    assert!(story.steps[0].caption.contains("(event:ev-2023-09-24-banjska-attack-src004)"));
    assert_eq!(story.steps[1].title, "Afterwards");
}

#[test]
fn a_broken_step_is_located_and_the_rest_loads() {
    let temp = tempfile::tempdir().unwrap();
    let folder = temp.path();
    copy_folder(&data_dir(), folder);
    let text = std::fs::read_to_string(folder.join("stories.json")).unwrap();
    std::fs::write(
        folder.join("stories.json"),
        text.replacen("select=ev-", "select=ev-gone-", 1).replacen(
            "kronika:view?at=",
            "kronika:view?at=2023-02-30&x=",
            1,
        ),
    )
    .unwrap();
    let report = load(folder);
    let messages: Vec<String> = report.problems.iter().map(ToString::to_string).collect();
    assert!(
        messages.iter().any(|m| m.contains("stories.json") && m.contains("story 0") && m.contains("steps[0]")),
        "{messages:#?}"
    );
    assert!(report.dataset.stories.len() >= 2, "the rest loads");
}

fn copy_folder(from: &std::path::Path, to: &std::path::Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_folder(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}
