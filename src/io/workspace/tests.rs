use super::*;
use crate::model::edit::{Edit, RecordKind};

fn new_dataset() -> (tempfile::TempDir, PathBuf) {
    let folder = tempfile::tempdir().unwrap();
    let dir = folder.path().join("case");
    create_dataset(&dir, "My case").unwrap();
    (folder, dir)
}

#[test]
fn a_new_dataset_loads_empty_and_cannot_overwrite_a_folder() {
    let (_folder, dir) = new_dataset();
    let report = crate::io::load(&dir);
    assert_eq!(report.dataset.name, "My case");
    assert_eq!(report.error_count(), 0, "{:?}", report.problems);
    assert!(matches!(create_dataset(&dir, "again"), Err(WorkspaceError::NotEmpty(_))));
}

#[test]
fn saving_is_stable_and_refuses_files_changed_on_disk() {
    let (_folder, dir) = new_dataset();
    let mut workspace = Workspace::open(&dir).unwrap();
    let mut draft = workspace.saved.clone();
    let place = serde_json::json!({"type": "Feature", "id": "pl-a", "geometry": {"type": "Point", "coordinates": [20.0, 42.0]},
        "properties": {"name": "A", "kind": "settlement"}});
    draft.apply(&Edit { label: "add".into(), changes: vec![draft.change(RecordKind::Place, "pl-a", Some(place))] });
    workspace.save(&draft).unwrap();
    let first = std::fs::read_to_string(dir.join(PLACES_FILE)).unwrap();
    assert!(first.find("\"geometry\"").unwrap() < first.find("\"properties\"").unwrap(), "keys sorted");
    assert_eq!(Workspace::open(&dir).unwrap().saved, draft, "what was saved reads back");
    workspace.save(&draft).unwrap();
    assert_eq!(std::fs::read_to_string(dir.join(PLACES_FILE)).unwrap(), first, "saving again changes nothing");

    std::fs::write(dir.join(EVENTS_FILE), "{\"type\": \"FeatureCollection\", \"features\": []}").unwrap();
    let Err(WorkspaceError::ChangedOnDisk { files }) = workspace.save(&draft) else { panic!("not detected") };
    assert_eq!(files, vec![dir.join(EVENTS_FILE)]);
    let copy = workspace.save_copy(&draft, "2026-11-29 12.00").unwrap();
    assert_eq!(Workspace::open(&copy).unwrap().saved, draft);
    assert_eq!(crate::io::load(&copy).dataset.name, "My case");
}

#[test]
fn a_broken_file_is_not_edited() {
    let (_folder, dir) = new_dataset();
    std::fs::write(dir.join(SOURCES_FILE), "[{\"id\": ").unwrap();
    let Err(error) = Workspace::open(&dir) else { panic!("opened") };
    assert!(error.to_string().contains("sources.json"), "{error}");
}

#[test]
fn source_texts_are_stored_once_by_content() {
    let (_folder, dir) = new_dataset();
    let (path, sha) = store_source_text(&dir, "Text ä\n").unwrap();
    assert_eq!(path, format!("sources/000_{}.txt", &sha[..16]));
    assert_eq!(store_source_text(&dir, "Text ä\n").unwrap().0, path);
    assert!(store_source_text(&dir, "Other").unwrap().0.starts_with("sources/001_"));
    assert_eq!(std::fs::read_to_string(dir.join(&path)).unwrap(), "Text ä\n");
}

#[test]
fn recovery_round_trips_and_is_removed() {
    let (folder, dir) = new_dataset();
    let recoveries = folder.path().join("recovery");
    assert!(read_recovery(&recoveries, &dir).is_none());
    let recovery = Recovery {
        dataset: dir.clone(),
        written: "now".into(),
        base: Fingerprint::of(&dir),
        draft: Draft { sources: vec![serde_json::json!({"id": "s"})], ..Draft::default() },
        changed_records: 1,
    };
    write_recovery(&recoveries, &recovery).unwrap();
    assert_eq!(read_recovery(&recoveries, &dir).unwrap().unwrap(), recovery);
    remove_recovery(&recoveries, &dir).unwrap();
    assert!(read_recovery(&recoveries, &dir).is_none());
    remove_recovery(&recoveries, &dir).unwrap();
}
