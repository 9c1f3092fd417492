use super::*;
use crate::model::date::{FuzzyDate, TimeSpan};
use crate::model::event::LonLat;

fn dataset() -> Dataset {
    let event = |id: &str, start: &str, end: &str, place: Option<(f64, f64)>| {
        let span =
            TimeSpan::new(FuzzyDate::parse(start).unwrap(), Some(FuzzyDate::parse(end).unwrap()), false).unwrap();
        Event::minimal(id, id, span, place.map(|(lon, lat)| LonLat { lon, lat }))
    };
    Dataset::new(
        "test".into(),
        vec![
            event("a", "1999-01-08", "1999-01-08", Some((20.9, 42.9))),
            event("b", "1999-01-12", "1999-01-12", None),
            event("c", "1998-07", "1999-01", Some((21.0, 42.8))),
            event("d", "2023-09-24", "2023-09-24", Some((20.8, 43.0))),
        ],
        Vec::new(),
        Vec::new(),
    )
}

fn day(text: &str) -> DayNumber {
    crate::model::date::day_number(FuzzyDate::parse(text).unwrap().first_day)
}

#[test]
fn a_window_shows_overlapping_events_and_counts_the_unplaced() {
    let dataset = dataset();
    let mut visible = VisibleEvents::new(&dataset);
    visible.set_filter(&dataset, &EventFilter::default());
    visible.set_window(NowWindow { from: day("1999-01-01"), to: day("1999-01-10"), cumulative: false });
    let ids: Vec<&str> = visible.now_events().iter().map(|&i| dataset.events[i as usize].id.as_str()).collect();
    assert_eq!(ids, ["c", "a"]);
    assert_eq!(visible.now_unplaced(), 0);
    // "b" has no place; "c" (July 1998 – January 1999) still overlaps.
    visible.set_window(NowWindow { from: day("1999-01-11"), to: day("1999-01-20"), cumulative: false });
    assert_eq!(visible.now_events().len(), 2);
    assert_eq!(visible.now_unplaced(), 1);
}

#[test]
fn cumulative_is_a_prefix_of_the_date_order() {
    let dataset = dataset();
    let mut visible = VisibleEvents::new(&dataset);
    visible.set_filter(&dataset, &EventFilter::default());
    visible.set_window(NowWindow { from: DayNumber::MIN, to: day("1999-01-31"), cumulative: true });
    assert_eq!(visible.now_prefix(), Some(3));
    assert_eq!(visible.now_events().len(), 3);
    assert_eq!(visible.now_unplaced(), 1);
    assert_eq!(visible.eras().len(), 2);
}

/// The markers' colours are the dataset's, by category and again after colouring by a field.
#[test]
fn marker_traits_follow_the_colours() {
    let mut dataset = dataset();
    let mut fields = crate::model::properties::PropertiesBuilder::default();
    for side in ["north", "south", "north", "west"] {
        fields.next_event();
        fields.set("side", side);
    }
    dataset.properties = fields.finish();
    let mut visible = VisibleEvents::new(&dataset);
    visible.set_filter(&dataset, &EventFilter::default());
    let shown_and_expected = |visible: &VisibleEvents, dataset: &Dataset| {
        let columns = visible.map_columns();
        let shown: Vec<u8> = columns.traits().iter().map(|traits| traits.category).collect();
        let expected: Vec<u8> =
            columns.in_date_order().iter().map(|&i| dataset.colour_slot(i, &dataset.events[i as usize])).collect();
        (shown, expected)
    };
    let (shown, expected) = shown_and_expected(&visible, &dataset);
    assert_eq!(shown, expected);
    dataset.colour_by(Some("side")).unwrap();
    visible.invalidate();
    visible.set_filter(&dataset, &EventFilter::default());
    let (shown, expected) = shown_and_expected(&visible, &dataset);
    assert_eq!(shown, expected);
    let mut colours = shown.clone();
    colours.sort_unstable();
    colours.dedup();
    assert_eq!(colours.len(), 3, "north, south and west: {shown:?}");
}

#[test]
fn filters_rebuild_only_when_they_change() {
    let dataset = dataset();
    let mut visible = VisibleEvents::new(&dataset);
    visible.set_filter(&dataset, &EventFilter::default());
    let generation = visible.generation();
    visible.set_filter(&dataset, &EventFilter::default());
    assert_eq!(visible.generation(), generation);
    let only_d = EventFilter { text: "2023".into(), ..EventFilter::default() };
    visible.set_filter(&dataset, &only_d);
    assert_ne!(visible.generation(), generation);
    assert_eq!(visible.filtered().len(), 1);
    assert!(visible.bounds(&dataset).is_some());
}
