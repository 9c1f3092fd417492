use super::*;

#[test]
fn a_column_of_distinct_values_is_stored_without_its_map_and_comes_back_exactly() {
    let mut builder = PropertiesBuilder::default();
    let events = 3 * UNIQUE_CHECK_EVERY;
    for i in 0..events {
        builder.next_event();
        builder.set("event_id_cnty", &format!("GER{i}"));
        builder.set("event_type", ["Battles", "Protests", "Riots"][i % 3]);
        // Distinct, but for a repeat now and then.
        builder.set("notes", &format!("note {}", i - i % 50_000 / 49_999));
    }
    assert!(builder.value_ids[0].is_none() && builder.value_ids[2].is_none());
    assert!(builder.value_ids[1].is_some());
    let properties = builder.finish();
    for i in [0, 1, UNIQUE_CHECK_EVERY, events - 1] {
        let idx = EventIdx::try_from(i).unwrap();
        assert_eq!(properties.get(idx, "event_id_cnty"), Some(format!("GER{i}").as_str()));
        assert_eq!(properties.get(idx, "event_type"), Some(["Battles", "Protests", "Riots"][i % 3]));
        assert_eq!(properties.get(idx, "notes"), Some(format!("note {}", i - i % 50_000 / 49_999).as_str()));
    }
    assert_eq!(properties.distinct_values("event_type"), 3);
}

#[test]
fn values_come_back_exactly_and_repeats_are_stored_once() {
    let mut builder = PropertiesBuilder::default();
    for i in 0..1000 {
        builder.next_event();
        builder.set("event_type", if i % 2 == 0 { "Battles" } else { "Protests" });
        builder.set("notes", &format!("Note number {i}, with ü and “quotes”."));
        if i % 10 == 0 {
            builder.set("fatalities", "3");
        }
    }
    let properties = builder.finish();
    assert_eq!(properties.names().collect::<Vec<_>>(), ["event_type", "notes", "fatalities"]);
    assert_eq!(properties.get(7, "event_type"), Some("Protests"));
    assert_eq!(properties.get(7, "notes"), Some("Note number 7, with ü and “quotes”."));
    assert_eq!(properties.get(7, "fatalities"), None);
    assert_eq!(properties.of(10).collect::<Vec<_>>().len(), 3);
    let (ids, value) = properties.column("event_type").unwrap();
    assert_eq!(ids.iter().filter(|&id| value(id) == Some("Battles")).count(), 500);
    // Two distinct types, stored once each: the column's table is tiny.
    assert!(properties.bytes() < 160_000, "{}", properties.bytes());
}

#[test]
fn parts_appended_give_the_store_one_builder_gives() {
    let value = |event: usize, column: &str| match column {
        "notes" => Some(format!("note {event}")),
        "kind" => Some(format!("kind {}", event % 7)),
        // Nearly all distinct: it stops interning at the first look, in a part made before.
        "mostly" => Some(if event.is_multiple_of(20) { "same".to_owned() } else { format!("m{event}") }),
        "late" if event > 100_000 && event.is_multiple_of(3) => Some("late".to_owned()),
        _ => None,
    };
    let fill = |builder: &mut PropertiesBuilder, events: std::ops::Range<usize>| {
        for event in events {
            builder.next_event();
            for column in ["notes", "kind", "mostly", "late"] {
                if let Some(value) = value(event, column) {
                    builder.set(column, &value);
                }
            }
        }
    };
    let mut one = PropertiesBuilder::default();
    fill(&mut one, 0..150_000);
    let mut parted = PropertiesBuilder::default();
    fill(&mut parted, 0..40_000);
    // Each part in the memory of the part before (its columns' text emptied).
    let mut spare = SpareColumns::default();
    for range in [40_000..70_000, 70_000..100_003, 100_003..150_000] {
        let mut part = parted.empty_reusing(100, spare);
        fill(&mut part, range);
        spare = parted.append_recycling(part);
    }
    assert_eq!(parted.finish(), one.finish());
}

#[test]
fn a_field_only_a_dropped_event_had_is_not_made() {
    let mut main = PropertiesBuilder::default();
    main.next_event();
    main.set("a", "1");
    let mut part = main.empty_reusing(0, SpareColumns::default());
    part.next_event();
    part.set("only dropped", "x");
    part.set("a", "2");
    part.next_event();
    part.set("b", "3");
    part.retain_events(&[false, true]);
    main.append(part);
    let store = main.finish();
    assert_eq!(store.names().collect::<Vec<_>>(), ["a", "b"]);
    assert_eq!(store.of(1).collect::<Vec<_>>(), [("b", "3")]);
}

#[test]
fn chunks_append_in_order() {
    let mut first = PropertiesBuilder::default();
    first.next_event();
    first.set("a", "1");
    let mut second = PropertiesBuilder::default();
    second.next_event();
    second.set("b", "x");
    second.next_event();
    second.set("a", "2");
    first.append(second);
    let properties = first.finish();
    assert_eq!(properties.of(0).collect::<Vec<_>>(), [("a", "1")]);
    assert_eq!(properties.of(1).collect::<Vec<_>>(), [("b", "x")]);
    assert_eq!(properties.of(2).collect::<Vec<_>>(), [("a", "2")]);
}

#[test]
fn texts_compare_as_their_bytes_whatever_their_length() {
    for length in 0..40_usize {
        let text: Vec<u8> = (0..length).map(|i| b'a' + u8::try_from(i % 26).unwrap()).collect();
        assert!(table::same_bytes(&text, &text.clone()), "{length}");
        for changed in 0..length {
            let mut other = text.clone();
            other[changed] = b'#';
            assert!(!table::same_bytes(&text, &other), "{length}: byte {changed}");
        }
        let longer = [text.as_slice(), b"z"].concat();
        assert!(!table::same_bytes(&text, &longer) && !table::same_bytes(&longer, &text), "{length}");
    }
}

#[test]
fn a_field_the_last_events_lack_gives_every_event_its_place_when_finished() {
    let mut builder = PropertiesBuilder::default();
    for i in 0..10_usize {
        builder.next_event();
        if i < 3 {
            builder.set("early", "yes");
        }
        if i == 5 {
            builder.set("once", "five");
        }
    }
    builder.truncate(9);
    let properties = builder.finish();
    let (early, _) = properties.column("early").unwrap();
    let (once, value) = properties.column("once").unwrap();
    assert_eq!((early.len(), once.len()), (9, 9));
    assert_eq!(once.iter().map(|id| value(id).unwrap_or("-")).collect::<String>(), "-----five---");
    assert_eq!(properties.get(8, "early"), None);
    assert_eq!(properties.get(2, "early"), Some("yes"));
}
