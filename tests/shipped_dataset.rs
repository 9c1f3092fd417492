//! The shipped dataset: loads with no problems, quotes are verbatim, hashes match, places are where
//! they should be, and the disagreements the sources contain are kept on both sides.

// Test helpers may unwrap: a panic is a test failure with its location.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

mod common;

use std::path::Path;

use common::{data_dir, shipped_report};
use kronika::io::sha256_hex;
use kronika::model::text::char_slice;
use kronika::model::{ClaimStatus, Dataset, PlaceKind, RelationKind};

fn shipped() -> Dataset {
    let report = shipped_report();
    assert!(report.problems.is_empty(), "the shipped data must load cleanly: {:#?}", report.problems);
    report.dataset
}

#[test]
fn loads_with_every_event_cited() {
    let dataset = shipped();
    assert!(dataset.events.len() >= 45, "{} events", dataset.events.len());
    assert_eq!(dataset.sources.len(), 5);
    for event in &dataset.events {
        assert!(!event.citations().is_empty(), "{} has no citation", event.id);
        assert!(event.details().date_note.is_some(), "{} does not say how its date was derived", event.id);
    }
}

#[test]
fn every_quote_is_verbatim_at_its_range() {
    let dataset = shipped();
    for event in &dataset.events {
        for citation in event.citations() {
            let source = dataset.source(&citation.source_id).unwrap();
            let text = source.text.as_ref().unwrap();
            assert!(text.contains(&citation.quote), "{}: quote not verbatim", event.id);
            let (start, end) = citation.char_range.unwrap();
            assert_eq!(char_slice(text, start, end), Some(citation.quote.as_str()), "{}", event.id);
        }
    }
}

#[test]
fn sources_are_the_supplied_files_byte_for_byte() {
    let dataset = shipped();
    let supplied = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/sources");
    for source in &dataset.sources {
        let bytes = std::fs::read(data_dir().join(&source.path)).unwrap();
        assert_eq!(Some(sha256_hex(&bytes)), source.sha256, "{}", source.id);
        // When the user's originals are beside the clone (as in CI), compare with them too.
        let original = supplied.join(Path::new(&source.path).file_name().unwrap());
        if original.exists() {
            assert_eq!(std::fs::read(original).unwrap(), bytes, "{} differs from the supplied file", source.id);
        }
        assert!(source.published.note.is_some(), "{} does not say how its date is known", source.id);
    }
}

#[test]
fn places_lie_in_the_region_and_events_sit_on_their_places() {
    let dataset = shipped();
    for place in &dataset.places {
        let (lon, lat) = (place.lon_lat.lon, place.lon_lat.lat);
        let in_kosovo = (20.0..=21.9).contains(&lon) && (41.8..=43.3).contains(&lat);
        let in_belgrade = place.id == "pl-belgrade" && (20.3..=20.6).contains(&lon) && (44.7..=44.9).contains(&lat);
        assert!(in_kosovo || in_belgrade, "{} at {lon},{lat} is outside the expected region", place.id);
        assert!(place.coordinate_source.is_some(), "{} does not cite its coordinates", place.id);
    }
    for event in &dataset.events {
        let (Some(place_id), Some(point)) = (event.place_id(), event.lon_lat) else { continue };
        let place = dataset.place(place_id).unwrap();
        let distance_deg = ((place.lon_lat.lon - point.lon).powi(2) + (place.lon_lat.lat - point.lat).powi(2)).sqrt();
        assert!(distance_deg < 0.02, "{} is {distance_deg}° from its place {place_id}", event.id);
    }
}

/// Distance in kilometres between two points (haversine).
fn km(a: (f64, f64), b: (f64, f64)) -> f64 {
    let (lat1, lat2) = (a.1.to_radians(), b.1.to_radians());
    let (dlat, dlon) = (lat2 - lat1, (b.0 - a.0).to_radians());
    let h = (dlat / 2.0).sin().powi(2) + lat1.cos() * lat2.cos() * (dlon / 2.0).sin().powi(2);
    2.0 * 6371.0 * h.sqrt().asin()
}

#[test]
fn the_four_focal_places_are_right_and_named() {
    let dataset = shipped();
    // Reference points: Wikipedia's coordinates for each settlement.
    for (name, sq, sr, reference) in [
        ("Bajgora", "Bajgorë", "Bajgora", (21.014, 42.959)),
        ("Banjska", "Banjskë", "Banjska", (20.79, 42.99)),
        ("Shterpce", "Shtërpcë", "Štrpce", (21.024, 42.235)),
        ("Mitrovica", "Mitrovicë", "Mitrovica", (20.866, 42.883)),
    ] {
        let place = dataset
            .places
            .iter()
            .find(|p| {
                p.kind == PlaceKind::Settlement && (p.name.contains(name) || p.names.values().any(|n| n.contains(sr)))
            })
            .unwrap_or_else(|| panic!("{name} is missing"));
        let distance = km((place.lon_lat.lon, place.lon_lat.lat), reference);
        assert!(distance < 2.5, "{name} is {distance:.1} km from its reference point");
        assert!(place.names.values().any(|n| n.contains(sq)), "{name}: Albanian name {sq} missing: {:?}", place.names);
        assert!(place.names.values().any(|n| n.contains(sr)), "{name}: Serbian name {sr} missing: {:?}", place.names);
    }
}

#[test]
fn the_capture_date_disagreement_is_kept_on_both_sides() {
    let dataset = shipped();
    let blog = dataset.event_idx("ev-1999-01-08-capture-eight-soldiers-src000").unwrap();
    let encyclopedia = dataset.event_idx("ev-1999-01-12-capture-eight-soldiers-src001").unwrap();
    let related = dataset.relations_of(blog);
    assert!(related.iter().any(|r| r.other == encyclopedia && r.kind == RelationKind::Contradicts));
    assert_eq!(dataset.event(blog).unwrap().span.in_words(), "8 January 1999");
    assert_eq!(dataset.event(encyclopedia).unwrap().span.in_words(), "12 January 1999");
}

#[test]
fn claims_and_denials_are_separate_linked_records() {
    let dataset = shipped();
    let denial = dataset.event_idx("ev-2024-05-26-kfor-denies-negotiation-src002").unwrap();
    assert_eq!(dataset.event(denial).unwrap().claim_status, ClaimStatus::Denial);
    let denied: Vec<_> = dataset
        .relations_of(denial)
        .into_iter()
        .filter(|r| r.kind == RelationKind::Denies && r.outgoing)
        .map(|r| dataset.event(r.other).unwrap().claim_status)
        .collect();
    assert!(!denied.is_empty() && denied.iter().all(|s| *s == ClaimStatus::Claim), "{denied:?}");
}

#[test]
fn kronika_check_passes_on_the_shipped_data() {
    let summary = kronika::cli::check::check_path(&data_dir(), &kronika::io::LoadOptions::default());
    assert_eq!(summary.errors, 0);
    assert_eq!(summary.warnings, 0);
    assert!(kronika::cli::check::format_summary(&summary).contains(": ok:"));
}
