//! Building a dataset in the app: a new dataset, a source, a passage made an event placed on the
//! map and related to another, saved and reopened; undo and redo; recovery after a crash; a file
//! changed on disk while editing.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

mod common;

use std::path::{Path, PathBuf};

use common::{HarnessOptions, harness_with, view};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable as _;
use kronika::app::KronikaApp;
use kronika::io::workspace::Workspace;
use kronika::io::{LoadReport, load};
use kronika::model::edit::event_form::EventForm;
use kronika::model::edit::{Draft, RecordKind};
use kronika::ui::Command;
use kronika::ui::editor::EditCommand;

const ARTICLE: &str = "Police said an armed group attacked a patrol near Banjska on 24 September 2023.\n\
    The government denied that its forces were involved in the attack.\n";

fn app_on(dir: &Path, recovery: &Path) -> Harness<'static, KronikaApp> {
    let app = KronikaApp::from_report(load(dir), view()).with_recovery_dir(recovery.to_path_buf());
    harness_with(app, HarnessOptions { size: [1400.0, 900.0], ..HarnessOptions::default() })
}

fn menu(harness: &mut Harness<'_, KronikaApp>, item: &str) {
    harness.get_by_label("Edit").click();
    harness.run();
    harness.get_by_label_contains(item).click();
    harness.run();
}

fn type_into(harness: &mut Harness<'_, KronikaApp>, field: &str, text: &str) {
    let role =
        if field.starts_with("Find") { egui::accesskit::Role::SearchInput } else { egui::accesskit::Role::TextInput };
    harness.get_by_role_and_label(role, field).focus();
    harness.run();
    harness.get_by_role_and_label(role, field).type_text(text);
    harness.run();
}

/// Marks `words` of the open source and asks for a new event from them.
fn event_from_passage(harness: &mut Harness<'_, KronikaApp>, words: &str) {
    let find = harness.get_by_role_and_label(egui::accesskit::Role::SearchInput, "Find in the source");
    find.focus();
    harness.run();
    harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::A);
    harness.get_by_role_and_label(egui::accesskit::Role::SearchInput, "Find in the source").type_text(words);
    harness.run();
    harness.get_by_label("New event from passage").click();
    harness.run();
}

fn click_at(harness: &mut Harness<'_, KronikaApp>, pos: egui::Pos2) {
    harness.hover_at(pos);
    harness.run();
    for pressed in [true, false] {
        harness.event(egui::Event::PointerButton {
            pos,
            button: egui::PointerButton::Primary,
            pressed,
            modifiers: egui::Modifiers::NONE,
        });
    }
    harness.run();
}

/// A copy of the shipped dataset to edit.
fn shipped_copy(folder: &Path) -> PathBuf {
    let dir = folder.join("data");
    std::fs::create_dir_all(dir.join("sources")).unwrap();
    for sub in ["", "sources"] {
        for entry in std::fs::read_dir(common::data_dir().join(sub)).unwrap() {
            let entry = entry.unwrap();
            if entry.file_type().unwrap().is_file() {
                std::fs::copy(entry.path(), dir.join(sub).join(entry.file_name())).unwrap();
            }
        }
    }
    dir
}

#[test]
fn a_dataset_built_in_the_app_saves_and_reopens_as_entered() {
    let folder = tempfile::tempdir().unwrap();
    let dir = folder.path().join("banjska-case");
    let recovery = folder.path().join("recovery");
    let app = KronikaApp::from_report(LoadReport::default(), view()).with_recovery_dir(recovery.clone());
    let mut harness = harness_with(app, HarnessOptions { size: [1400.0, 900.0], ..HarnessOptions::default() });

    menu(&mut harness, "New dataset");
    type_into(&mut harness, "Dataset folder", dir.to_str().unwrap());
    type_into(&mut harness, "Dataset name", "Banjska case");
    harness.get_by_label("Create").click();
    harness.run();
    assert_eq!(harness.state().dataset().name, "Banjska case");

    menu(&mut harness, "Add source");
    type_into(&mut harness, "Title", "Police statement on Banjska");
    type_into(&mut harness, "Source text", ARTICLE);
    harness.get_by_label("Add source").click();
    harness.run();
    assert_eq!(harness.state().dataset().sources.len(), 1);
    harness.get_by_label("Mark a passage");

    // First event: a passage, a date, a new place picked on the map.
    event_from_passage(&mut harness, "an armed group attacked a patrol near Banjska");
    type_into(&mut harness, "Title", "Armed group attacks police patrol near Banjska (per police)");
    type_into(&mut harness, "On", "2023-09-24");
    harness.get_by_label("Pick on map").click();
    harness.run();
    click_at(&mut harness, egui::pos2(680.0, 600.0));
    type_into(&mut harness, "Name", "Banjska");
    harness.get_by_label("Create place").click();
    harness.run();
    harness.get_by_label("Create event").click();
    harness.run();
    assert_eq!(harness.state().dataset().events.len(), 1);

    // Second event: the denial, related to the first.
    event_from_passage(&mut harness, "The government denied that its forces were involved");
    type_into(&mut harness, "Title", "Government denies involvement (per the statement)");
    type_into(&mut harness, "On", "2023-09-24");
    type_into(&mut harness, "Find an event to relate", "armed group");
    // The match under the search field, in the editor (the list in the side panel names it too).
    let matches = harness.query_all_by_label_contains("Armed group attacks police patrol");
    matches.min_by(|a, b| a.rect().left().total_cmp(&b.rect().left())).unwrap().click();
    harness.run();
    harness.get_by_label("Create event").click();
    harness.run();
    assert_eq!(harness.state().dataset().events.len(), 2);

    menu(&mut harness, "Save (");
    assert!(!harness.state().has_unsaved_edits());
    let entered = harness.state().draft().unwrap().clone();

    let reopened = Workspace::open(&dir).unwrap();
    assert_eq!(reopened.saved, entered, "the files hold what was entered");
    let report = load(&dir);
    assert_eq!(report.problems, vec![], "the saved dataset loads without a problem");
    let status = std::process::Command::new(env!("CARGO_BIN_EXE_kronika")).arg("check").arg(&dir).status().unwrap();
    assert!(status.success(), "kronika check passes");

    let dataset = &report.dataset;
    let position = |title: &str| dataset.events.iter().position(|e| e.title.starts_with(title)).unwrap();
    let (attack, denial) = (position("Armed group attacks"), position("Government denies"));
    let attack_event = &dataset.events[attack];
    assert_eq!(attack_event.details().place_id.as_deref(), Some("pl-banjska"));
    let citation = &attack_event.citations()[0];
    assert_eq!(citation.quote, "an armed group attacked a patrol near Banjska");
    let start = ARTICLE.find(&citation.quote).unwrap(); // ASCII: bytes are characters
    assert_eq!(citation.char_range, Some((start, start + citation.quote.len())));
    let place = dataset.place("pl-banjska").unwrap();
    assert_eq!(attack_event.lon_lat, Some(place.lon_lat), "the event stands at its place");
    // The relation was kept on both sides (same incident is symmetric).
    let relations = |i: usize| entered.events[i]["properties"]["relations"].clone();
    assert_eq!(relations(denial)[0]["event"], dataset.events[attack].id.as_str());
    assert_eq!(relations(attack)[0]["event"], dataset.events[denial].id.as_str());
    assert!(recovery.read_dir().map_or(true, |mut d| d.next().is_none()), "no recovery left once saved");
}

fn retitle(harness: &mut Harness<'_, KronikaApp>, id: &str, title: &str) {
    let draft = harness.state().draft().cloned();
    let draft = draft.unwrap_or_else(|| Workspace::open(&harness.state().report().path).unwrap().saved);
    let record = draft.get(RecordKind::Event, id).unwrap().clone();
    let mut form = EventForm::from_feature(&record);
    title.clone_into(&mut form.title);
    let state = harness.state_mut();
    state.apply(Command::Edit(EditCommand::EditEvent(id.to_owned())));
    state.apply(Command::Edit(EditCommand::SetEventForm(Box::new(form))));
    state.apply(Command::Edit(EditCommand::ApplyEvent));
    harness.run();
}

#[test]
fn undo_and_redo_restore_exact_states() {
    let folder = tempfile::tempdir().unwrap();
    let dir = shipped_copy(folder.path());
    let mut harness = app_on(&dir, &folder.path().join("recovery"));
    let original: Draft = Workspace::open(&dir).unwrap().saved;
    let id = "ev-2023-09-24-banjska-attack-src004";
    let other = original.events[0]["id"].as_str().unwrap().to_owned();

    retitle(&mut harness, id, "Retitled attack");
    let after_retitle = harness.state().draft().unwrap().clone();
    harness.state_mut().apply(Command::Edit(EditCommand::AskDelete(RecordKind::Event, other.clone())));
    harness.run();
    assert!(harness.query_all_by_label_contains("relates to it").next().is_some());
    harness.get_by_label("Delete event").click();
    harness.run();
    let after_delete = harness.state().draft().unwrap().clone();
    assert!(!after_delete.contains(RecordKind::Event, &other));
    assert!(harness.state().dataset().event_idx(&other).is_none());

    harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::Z);
    harness.run();
    assert_eq!(harness.state().draft().unwrap(), &after_retitle);
    harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::Z);
    harness.run();
    assert_eq!(harness.state().draft().unwrap(), &original, "undone to the file's exact records");
    assert_eq!(
        harness.state().dataset().event(harness.state().dataset().event_idx(id).unwrap()).unwrap().title.as_str(),
        load(&dir).dataset.events.iter().find(|e| e.id.as_str() == id).unwrap().title.as_str()
    );
    harness.key_press_modifiers(egui::Modifiers::COMMAND | egui::Modifiers::SHIFT, egui::Key::Z);
    harness.key_press_modifiers(egui::Modifiers::COMMAND | egui::Modifiers::SHIFT, egui::Key::Z);
    harness.run();
    assert_eq!(harness.state().draft().unwrap(), &after_delete);
    assert_eq!(
        std::fs::read(dir.join("events.geojson")).unwrap(),
        std::fs::read(common::data_dir().join("events.geojson")).unwrap(),
        "nothing is written before Save"
    );
}

#[test]
fn edits_survive_a_crash_and_are_offered_back() {
    let folder = tempfile::tempdir().unwrap();
    let dir = shipped_copy(folder.path());
    let recovery = folder.path().join("recovery");
    let id = "ev-2023-09-24-banjska-attack-src004";
    {
        let mut harness = app_on(&dir, &recovery);
        retitle(&mut harness, id, "Edited before the crash");
        // The app is dropped here without saving, as a crash would leave it.
    }
    let mut harness = app_on(&dir, &recovery);
    harness.get_by_label("Unsaved edits found");
    harness.get_by_label_contains("1 change(s)");
    harness.get_by_label("Restore them").click();
    harness.run();
    let dataset = harness.state().dataset();
    assert_eq!(dataset.event(dataset.event_idx(id).unwrap()).unwrap().title.as_str(), "Edited before the crash");
    assert!(harness.state().has_unsaved_edits());

    // Discarding forgets them.
    let mut harness = app_on(&dir, &recovery);
    harness.get_by_label("Discard them").click();
    harness.run();
    assert!(app_on(&dir, &recovery).query_by_label("Unsaved edits found").is_none());
}

#[test]
fn a_file_changed_on_disk_is_never_written_over() {
    let folder = tempfile::tempdir().unwrap();
    let dir = shipped_copy(folder.path());
    let mut harness = app_on(&dir, &folder.path().join("recovery"));
    retitle(&mut harness, "ev-2023-09-24-banjska-attack-src004", "My title");
    // Someone else saves the dataset meanwhile.
    let theirs = std::fs::read_to_string(dir.join("events.geojson")).unwrap().replace("Banjska", "Banjska (theirs)");
    std::fs::write(dir.join("events.geojson"), &theirs).unwrap();
    harness.state_mut().apply(Command::Tick { now_secs: 1000.0 });
    harness.run();
    harness.get_by_label("Changed on disk");
    harness.get_by_label("Not now").click();
    harness.run();

    harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::S);
    harness.run();
    harness.get_by_label("Changed on disk");
    assert_eq!(std::fs::read_to_string(dir.join("events.geojson")).unwrap(), theirs, "theirs is kept");
    harness.get_by_label("Keep both").click();
    harness.run();
    let copy = harness.state().report().path.clone();
    assert_ne!(copy, dir);
    assert!(copy.file_name().unwrap().to_string_lossy().starts_with("data (my edits "));
    let dataset = &harness.state().dataset();
    assert_eq!(
        dataset.event(dataset.event_idx("ev-2023-09-24-banjska-attack-src004").unwrap()).unwrap().title.as_str(),
        "My title"
    );
    assert_eq!(load(&copy).error_count(), 0);
    assert_eq!(std::fs::read_to_string(dir.join("events.geojson")).unwrap(), theirs);
}

#[test]
fn a_source_is_added_from_an_html_page_as_its_text() {
    let folder = tempfile::tempdir().unwrap();
    let dir = shipped_copy(folder.path());
    let page = folder.path().join("kfor-statement.html");
    std::fs::write(&page, "<html><head><title>KFOR</title><script>x()</script></head><body><p>KFOR said it &quot;did not negotiate&quot;.</p></body></html>").unwrap();
    let mut harness = app_on(&dir, &folder.path().join("recovery"));
    menu(&mut harness, "Add source");
    type_into(&mut harness, "Source file", page.to_str().unwrap());
    harness.get_by_label("Read file").click();
    harness.run();
    harness.get_by_label("Add source").click();
    harness.run();
    let dataset = harness.state().dataset();
    let source = dataset.source("src-kfor-statement").unwrap();
    // The page's text: its head (title, script) is not text to read.
    assert_eq!(source.text.as_deref(), Some("KFOR said it \"did not negotiate\"."));
    assert_eq!(harness.state().report().problems, vec![]);
    // Undone, the source is gone from the dataset (its stored text stays, unreferenced, for redo).
    harness.state_mut().apply(Command::Edit(EditCommand::Undo));
    assert!(harness.state().dataset().source("src-kfor-statement").is_none());
}

#[test]
fn a_folder_chosen_in_the_dialog_fills_the_new_dataset_window() {
    let folder = tempfile::tempdir().unwrap();
    let dir = folder.path().join("chosen");
    let app = KronikaApp::from_report(LoadReport::default(), view());
    let mut harness = harness_with(app, HarnessOptions { size: [1400.0, 900.0], ..HarnessOptions::default() });
    menu(&mut harness, "New dataset");
    // What the platform's folder dialog answers with.
    harness.state_mut().apply(Command::Edit(EditCommand::NewDatasetFolderPicked(Some(dir.clone()))));
    harness.run();
    type_into(&mut harness, "Dataset name", "Chosen");
    harness.get_by_label("Create").click();
    harness.run();
    assert_eq!(harness.state().report().path, dir);
    assert_eq!(harness.state().dataset().name, "Chosen");
}
