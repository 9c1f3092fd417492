//! Incidents and their accounts, undated events, events at several places, and the
//! disagreement table of docs/DATA.md, on the shipped dataset and in the app.

// Test helpers may unwrap: a panic is a test failure with its location.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

mod common;

use std::collections::BTreeSet;

use common::{HarnessOptions, harness_with, shipped_app, shipped_report, view};
use egui_kittest::kittest::{By, Queryable as _};
use kronika::model::incident::Confidence;
use kronika::model::{EventFilter, NowWindow, RelationKind, VisibleEvents};
use kronika::ui::Command;

#[test]
fn incidents_load_and_each_record_is_an_account_of_one_at_most() {
    let report = shipped_report();
    let dataset = &report.dataset;
    assert!(dataset.incidents().len() >= 5, "{}", dataset.incidents().len());
    let mut seen = BTreeSet::new();
    for incident in dataset.incidents() {
        assert!(incident.accounts.len() >= 2, "{}", incident.id);
        assert!(!incident.reason.trim().is_empty(), "{}", incident.id);
        for &account in &incident.accounts {
            assert!(seen.insert(account), "{} is in two incidents", dataset.event(account).unwrap().id);
            assert_eq!(dataset.incident_of(account).map(|i| i.id.as_str()), Some(incident.id.as_str()));
        }
    }
}

#[test]
fn the_accounts_of_8_january_1999_are_one_incident_with_its_reason() {
    let report = shipped_report();
    let dataset = &report.dataset;
    let ambush = dataset.event_idx("ev-1999-01-08-ambush-convoy-bare-src001").unwrap();
    let capture = dataset.event_idx("ev-1999-01-08-capture-eight-soldiers-src000").unwrap();
    let incident = dataset.incident_of(ambush).expect("the ambush is an account of an incident");
    assert!(incident.accounts.contains(&capture), "{:?}", incident.id);
    assert!(Confidence::ALL.contains(&incident.confidence));
    assert!(incident.reason.len() > 40, "a reason a reader can weigh: {}", incident.reason);
}

#[test]
fn an_undated_event_is_listed_but_never_now() {
    let report = shipped_report();
    let dataset = &report.dataset;
    let undated = dataset.undated_events();
    assert!(!undated.is_empty(), "the shipped data has undated mentions");
    let interview = dataset.event_idx("ev-istrefi-dukagjini-tv-interview-src000").unwrap();
    assert!(undated.contains(&interview));
    let mut visible = VisibleEvents::new(dataset);
    for filter in [EventFilter::default(), EventFilter { text: "Istrefi".into(), ..EventFilter::default() }] {
        visible.set_filter(dataset, &filter);
        assert!(visible.undated().contains(&interview), "listed, and found by the search");
        for window in [
            NowWindow { from: i32::MIN, to: i32::MAX, cumulative: true },
            NowWindow { from: i32::MIN, to: i32::MAX, cumulative: false },
        ] {
            visible.set_window(window);
            assert!(visible.now_events().iter().all(|idx| !undated.contains(idx)), "never now");
        }
    }
    assert!(dataset.event(interview).unwrap().span.in_words().starts_with("undated"));
}

#[test]
fn an_event_at_several_places_carries_every_place() {
    let report = shipped_report();
    let dataset = &report.dataset;
    let several: Vec<_> = dataset.events.iter().filter(|e| !e.details().further_places.is_empty()).collect();
    assert!(!several.is_empty());
    for event in several {
        let points = event.details().shape.as_ref().map_or(0, |shape| shape.points.len());
        assert_eq!(points, event.details().further_places.len(), "{}: one point per further place", event.id);
    }
    let koliq = dataset.place("pl-koliq").expect("Koliq is in the gazetteer");
    assert!(
        dataset.events.iter().any(|e| e.details().further_places.iter().any(|p| p == &koliq.id)),
        "Koliq is used by an event"
    );
}

#[test]
fn the_disagreement_table_of_data_md_matches_the_data() {
    let report = shipped_report();
    let dataset = &report.dataset;
    let mut pairs = BTreeSet::new();
    for (idx, event) in dataset.events.iter().enumerate() {
        for relation in event.relations().iter().filter(|r| r.kind == RelationKind::Contradicts) {
            let (a, b) = (event.id.to_string(), relation.event_id.clone());
            pairs.insert(if a < b { (a, b) } else { (b, a) });
            let other = dataset.event(dataset.event_idx(&relation.event_id).unwrap()).unwrap();
            assert!(
                other
                    .relations()
                    .iter()
                    .any(|r| r.kind == RelationKind::Contradicts && r.event_id == event.id.as_str()),
                "{} ↔ {}: linked both ways (event {idx})",
                event.id,
                relation.event_id
            );
        }
    }
    let text = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/docs/DATA.md")).unwrap();
    let table = text.split("| # | Records | Field | Note |").nth(1).expect("DATA.md has the disagreement table");
    let mut rows = BTreeSet::new();
    for line in table.lines().skip(2).take_while(|line| line.starts_with('|')) {
        let ids: Vec<&str> = line.split('`').skip(1).step_by(2).filter(|s| s.starts_with("ev-")).collect();
        let [a, b, ..] = ids.as_slice() else { panic!("a row names two records: {line}") };
        let pair = if a < b { (a.to_string(), b.to_string()) } else { (b.to_string(), a.to_string()) };
        assert!(rows.insert(pair.clone()), "one row per disagreement: {pair:?}");
    }
    assert_eq!(rows, pairs, "every `contradicts` pair has a row, and every row is in the data");
}

#[test]
fn the_accounts_view_puts_the_accounts_side_by_side_and_marks_what_differs() {
    let mut harness = harness_with(shipped_app(view()), HarnessOptions::default());
    let capture = harness.state().dataset().event_idx("ev-1999-01-12-capture-eight-soldiers-src001").unwrap();
    harness.state_mut().apply(Command::SelectAndReveal(capture));
    harness.run();
    harness.get_by_label_contains("of one incident");
    harness.get_by_label("Compare the accounts").scroll_to_me();
    harness.run();
    harness.get_by_label("Compare the accounts").click();
    harness.run();
    assert!(harness.state().shown_incident().is_some());
    harness.get_by_label_contains("Accounts: ");
    for differing in ["Date (differs)", "Source (differs)", "Place (differs)"] {
        harness.get_by_label(differing);
    }
    // A passage opens its source in the reader, at the passage.
    let passage = || By::new().role(egui::accesskit::Role::Link).label_contains("“On 12 January 1999");
    harness.get_all(passage()).next().unwrap().scroll_to_me();
    harness.run();
    harness.get_all(passage()).next().unwrap().click();
    harness.run();
    let reader = harness.state().reader().expect("the reader opened");
    assert!(reader.focus.is_some());
}

#[test]
fn the_map_shows_an_incident_once_however_many_accounts_are_now() {
    let mut harness = harness_with(shipped_app(view()), HarnessOptions::default());
    let banjska = harness.state().dataset().event_idx("ev-2023-09-24-banjska-attack-src004").unwrap();
    harness.state_mut().apply(Command::SelectAndReveal(banjska));
    harness.run();
    let dataset = harness.state().dataset();
    let incident = dataset.incident_of(banjska).unwrap().clone();
    let now = harness.state().now_events().to_vec();
    let accounts_now: Vec<_> = incident.accounts.iter().filter(|a| now.contains(a)).collect();
    assert!(accounts_now.len() >= 2, "several accounts are now");
    let markers = harness.state().drawn_markers();
    let holding: Vec<_> = markers.iter().filter(|m| m.events.iter().any(|e| incident.accounts.contains(e))).collect();
    assert_eq!(holding.len(), 1, "the incident is one marker");
    // Every placed event "now" on screen is counted once, except the further accounts of an incident.
    let counted: usize = markers.iter().map(|m| m.count).sum();
    let merged: usize = markers.iter().map(|m| m.merged_accounts).sum();
    let placed_now = now.iter().filter(|&&idx| dataset.event(idx).unwrap().lon_lat.is_some()).count();
    assert!(merged >= accounts_now.len() - 1);
    assert!(counted + merged <= placed_now, "{counted} + {merged} > {placed_now}");
    assert!(counted < placed_now, "an incident counts once");
}
