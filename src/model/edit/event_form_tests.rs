use serde_json::json;

use super::*;

const TEXT: &str = "Über Banjska: on 24 September 2023 an armed group attacked police.";

fn draft() -> Draft {
    Draft {
        events: vec![
            json!({"type": "Feature", "id": "a", "geometry": null, "properties": {"title": "A"}}),
            json!({"type": "Feature", "id": "b", "geometry": null,
                "properties": {"title": "B", "relations": [{"type": "follows", "event": "a"}]}}),
        ],
        places: vec![
            json!({"type": "Feature", "id": "pl-b", "geometry": {"type": "Point", "coordinates": [20.8, 42.9]},
            "properties": {"name": "Banjska"}}),
        ],
        sources: vec![json!({"id": "s"})],
    }
}

fn citation() -> CitationEntry {
    let quote = "an armed group attacked police";
    let start = TEXT.chars().count() - quote.chars().count() - 1;
    CitationEntry { source: "s".into(), quote: quote.into(), range: (start, start + quote.chars().count()) }
}

#[test]
fn quotes_are_checked_at_their_character_range() {
    let c = citation();
    assert_eq!(quote_at(TEXT, c.range), Some(c.quote.as_str()));
    assert_eq!(quote_at(TEXT, (0, 4)), Some("Über"));
    assert_eq!(quote_at(TEXT, (0, 0)), Some(""));
    assert_eq!(quote_at(TEXT, (5, 1000)), None);
    assert_eq!(quote_at(TEXT, (5, 4)), None);
}

#[test]
fn a_new_event_is_written_with_its_place_and_passes_its_own_checks() {
    let draft = draft();
    let mut form = EventForm::from_passage(citation());
    assert!(form.problems(&draft, |_| Some(TEXT)).iter().any(|p| p.starts_with("Title")));
    form.title = "Attack on police in Banjska".into();
    form.start = "2023-09-24".into();
    form.place = "pl-b".into();
    form.actors = "armed group\n\npolice\n".into();
    assert_eq!(form.problems(&draft, |_| Some(TEXT)), Vec::<String>::new());
    let feature = form.to_feature("ev-x", None, &draft);
    assert_eq!(feature["geometry"]["coordinates"], json!([20.8, 42.9]));
    assert_eq!(feature["properties"]["actors"], json!(["armed group", "police"]));
    assert_eq!(feature["properties"]["citations"][0]["range"], json!([citation().range.0, citation().range.1]));
    let mut read_back = EventForm::from_feature(&feature);
    read_back.id = None;
    form.actors = "armed group\npolice".into();
    assert_eq!(read_back, form, "what was written reads back as entered, blank lines dropped");
}

#[test]
fn dates_are_checked_against_their_precision() {
    let draft = draft();
    let form = |entry, start: &str, end: &str| EventForm {
        title: "t".into(),
        date_entry: entry,
        start: start.into(),
        end: end.into(),
        citations: vec![citation()],
        ..EventForm::default()
    };
    let problems = |f: EventForm| f.problems(&draft, |_| Some(TEXT));
    assert!(problems(form(DateEntry::Month, "2023-09", "")).is_empty());
    assert_eq!(problems(form(DateEntry::Day, "2023-09", "")).len(), 1);
    assert_eq!(problems(form(DateEntry::Range, "2023-09", "2023-08")), vec!["End: the end is before the start."]);
    assert!(problems(form(DateEntry::Undated, "1998", "2001")).is_empty());
    assert_eq!(problems(form(DateEntry::Year, "sometime", "")).len(), 1);
}

#[test]
fn fields_the_form_does_not_show_are_kept() {
    let draft = draft();
    let base = json!({"type": "Feature", "id": "e", "geometry": {"type": "Point", "coordinates": [1.0, 2.0]},
        "properties": {"title": "E", "start": "1999", "casualties": {"killed": 1}, "citations": []}});
    let mut form = EventForm::from_feature(&base);
    assert_eq!(form.date_entry, DateEntry::Year);
    form.title = "E2".into();
    let feature = form.to_feature("e", Some(&base), &draft);
    assert_eq!(feature["properties"]["casualties"], json!({"killed": 1}));
    assert_eq!(feature["geometry"], base["geometry"]);
    assert_eq!(feature["properties"]["title"], "E2");
}

#[test]
fn symmetric_relations_are_kept_on_both_sides() {
    let draft = draft();
    let relations = vec![
        RelationEntry { kind: "contradicts".into(), event: "b".into(), note: "date".into() },
        RelationEntry { kind: "responds_to".into(), event: "b".into(), note: String::new() },
    ];
    let changes = mirrored_relations(&draft, "a", &relations);
    assert_eq!(changes.len(), 1);
    let after = changes[0].after.clone().unwrap();
    assert_eq!(
        after["properties"]["relations"],
        json!([{"type": "follows", "event": "a"}, {"type": "contradicts", "event": "a", "note": "date"}]),
        "the symmetric one is mirrored, the directed one is not"
    );
    let mut edited = draft.clone();
    edited.apply(&super::super::Edit { label: String::new(), changes });
    let removed = mirrored_relations(&edited, "a", &[]);
    assert_eq!(
        removed[0].after.as_ref().unwrap()["properties"]["relations"],
        json!([{"type": "follows", "event": "a"}])
    );
}
