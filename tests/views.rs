//! Views: copied as text, everything changed, opened again — the same date, window, filters, map
//! and selection; a stale id is said, not a panic.

// Test helpers may unwrap: a panic is a test failure with its location.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

mod common;

use common::{HarnessOptions, harness_with, shipped_app, view};
use egui_kittest::kittest::Queryable as _;
use kronika::model::EventFilter;
use kronika::model::view_link::ViewLink;
use kronika::ui::Command;

#[test]
fn a_copied_view_opens_to_the_same_state() {
    let mut harness = harness_with(shipped_app(view()), HarnessOptions::default());
    let attack = harness.state().dataset().event_idx("ev-2023-09-24-banjska-attack-src004").unwrap();
    for command in [
        Command::SelectAndReveal(attack),
        Command::SetCumulative(false),
        Command::SetWindowDays(30.0),
        Command::SetFilter(EventFilter { text: "Banjska".into(), ..EventFilter::default() }),
        Command::ZoomMap(1),
    ] {
        harness.state_mut().apply(command);
    }
    harness.run();
    let text = harness.state().current_view().to_text();
    assert!(text.contains("select=ev-2023-09-24-banjska-attack-src004") && text.contains("q=Banjska"), "{text}");

    // Change everything.
    for command in [
        Command::Select(None),
        Command::SetCumulative(true),
        Command::SetFilter(EventFilter::default()),
        Command::ZoomMap(-1),
        Command::ZoomMap(-1),
        Command::FitAll,
    ] {
        harness.state_mut().apply(command);
    }
    harness.run();
    assert_ne!(harness.state().current_view().to_text(), text);

    // Open it as a user does: View → Open view…, paste, Open.
    harness.get_by_label("View").click();
    harness.run();
    harness.get_by_label("Open view…").click();
    harness.run();
    harness.get_by_label("View text").focus();
    harness.get_by_label("View text").type_text(&text);
    harness.run();
    harness.get_by_label("Open").click();
    harness.run();
    let reopened = harness.state().current_view();
    assert_eq!(ViewLink::parse(&reopened.to_text()).unwrap(), ViewLink::parse(&text).unwrap(), "the same view");
    assert_eq!(harness.state().selected(), Some(attack));
    assert_eq!(harness.state().view().filter.text, "Banjska");
}

#[test]
fn a_view_with_an_unknown_event_says_so() {
    let mut harness = harness_with(shipped_app(view()), HarnessOptions::default());
    harness.state_mut().apply(Command::OpenView("kronika:view?at=2023-09-24&select=ev-gone".into()));
    harness.run();
    harness.get_by_label_contains("does not have");
    harness.state_mut().apply(Command::OpenView("kronika:view?map=99,20,9".into()));
    harness.run();
    harness.get_by_label_contains("Not a view: `map`");
}
