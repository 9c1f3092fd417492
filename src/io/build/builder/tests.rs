//! Tests of the builder: its duplicate ids, found when the build finishes, each reported at its
//! record after that record's other problems, with the id as the file wrote it; its titles.

use std::path::Path;

use super::*;
use crate::io::formats::csv::read_csv;
use crate::io::problem::Severity;

fn built(text: &str) -> (BuiltEvents, Vec<Problem>) {
    let path = Path::new("dupes.csv");
    let mut problems = Vec::new();
    let built = build_events(path, read_csv(path, text, &[]), &mut problems);
    (built, problems)
}

#[test]
fn a_duplicate_is_reported_at_its_record_after_its_other_problems() {
    let (built, problems) = built(
        "id,date,lat,lon,title,time\n\
         a,2023-01-01,42,21,first,\n\
         a,2023-01-02,42,21,second,25:99\n\
         ,2023-01-03,42,21,,\n\
         #2,2023-01-04,42,21,fourth,\n\
         #5,2023-01-05,42,21,fifth,\n\
         ,2023-01-06,42,21,sixth,\n",
    );
    let ids: Vec<&str> = built.events.iter().map(|event| event.id.as_str()).collect();
    assert_eq!(ids, ["a", "#2", "#5"]);
    assert_eq!(built.id_index, None, "duplicates were dropped: the lookup is made again");
    let seen: Vec<(Severity, Option<usize>, Option<&str>, String)> =
        problems.iter().map(|p| (p.severity, p.location.index, p.location.id.as_deref(), p.kind.to_string())).collect();
    let duplicate =
        |id: &str, first: usize| format!("duplicate id \"{id}\": row {first} already uses it; this row was skipped");
    assert_eq!(seen.len(), 4, "{seen:#?}");
    assert_eq!((seen[0].0, seen[0].1), (Severity::Warning, Some(1)), "{seen:#?}");
    assert!(seen[0].3.contains("25:99"), "{seen:#?}");
    assert_eq!(seen[1], (Severity::Error, Some(1), Some("a"), duplicate("a", 0)));
    // An id written as another row's made one: the later row is the duplicate.
    assert_eq!(seen[2], (Severity::Error, Some(3), Some("#2"), duplicate("#2", 2)));
    // A made id that another row wrote: the row wrote none.
    assert_eq!(seen[3], (Severity::Error, Some(5), None, duplicate("#5", 4)));
    assert!(problems.iter().all(|p| p.location.record_word == "row" && p.location.line.is_some()));
}

#[test]
fn without_duplicates_the_sorted_id_hashes_become_the_lookup() {
    let (built, problems) = built("id,date,lat,lon\nx,2023-01-01,42,21\ny,2023-01-02,42,21\nz,2023-01-03,42,21\n");
    assert!(problems.is_empty(), "{problems:?}");
    let index = built.id_index.expect("an id lookup");
    assert!(index.is_sorted());
    let mut expected: Vec<(u64, EventIdx)> =
        built.events.iter().zip(0..).map(|(event, at)| (id_hash(&event.id), at)).collect();
    expected.sort_unstable();
    assert_eq!(index, expected);
}

/// Long titles are kept in the build's shared text, each given to its own event, also when rows
/// before it failed or were dropped as duplicates, and when a title comes from the notes.
#[test]
fn each_event_keeps_its_own_long_title() {
    let mut text = String::from("id,date,lat,lon,title,notes\n");
    for row in 0..300_usize {
        let date = if row % 7 == 3 { "2023-13-45" } else { "2023-01-01" };
        let id = if row % 11 == 5 { "dup".to_owned() } else { format!("r{row}") };
        let (title, notes) = if row.is_multiple_of(3) {
            (String::new(), format!("Notes of row {row} long enough. More."))
        } else {
            (format!("Row {row}: a title of some length"), String::new())
        };
        text.push_str(&format!("{id},{date},42,21,{title},{notes}\n"));
    }
    let (built, _) = built(&text);
    assert!(built.events.len() > 200);
    for event in &built.events {
        let row: usize = event.id.strip_prefix('r').map_or(5, |row| row.parse().unwrap());
        let expected = if row.is_multiple_of(3) {
            format!("Notes of row {row} long enough")
        } else {
            format!("Row {row}: a title of some length")
        };
        assert_eq!(event.title, expected.as_str(), "{}", event.id);
        assert!(event.title.is_shared());
    }
}

#[test]
fn a_records_fields_come_back_emptied_for_the_next_and_build_the_same() {
    let path = Path::new("reuse.csv");
    let mut text = String::from("id,date,lat,lon,title,actor,claim_status,fatalities\n");
    for row in 0..50_usize {
        let status = if row % 5 == 2 { "denial" } else { "" };
        text.push_str(&format!("r{row},2023-01-0{},42,21,Row {row},Actor {},{status},{}\n", row % 9 + 1, row % 4, row));
    }
    text.push_str("bad,2023-99-99,42,21,Bad row,Actor,,\n");
    let read = read_csv(path, &text, &[]);
    let (mut fresh, mut reusing) = (
        Builder::new(path, &read.format, read.fields.clone(), None),
        Builder::new(path, &read.format, read.fields.clone(), None),
    );
    let mut spare = RawFields::new();
    for record in &read.records {
        fresh.push(record.clone());
        let mut reused = record.clone();
        let fields = reused.properties.len();
        spare.append(&mut reused.properties);
        reused.properties = std::mem::take(&mut spare);
        spare = reusing.push(reused);
        assert!(spare.is_empty());
        if record.index < 50 {
            assert!(spare.capacity() >= fields, "row {}: its memory comes back", record.index);
        } else {
            assert_eq!(spare.capacity(), 0, "a row that is no event keeps its fields");
        }
    }
    let (fresh, reusing) = (fresh.finish(Vec::new(), &mut Vec::new()), reusing.finish(Vec::new(), &mut Vec::new()));
    assert_eq!(fresh.events.len(), 50);
    assert_eq!(fresh.events, reusing.events);
    assert_eq!(fresh.properties, reusing.properties);
    let denials = reusing.events.iter().filter(|event| event.claim_status == ClaimStatus::Denial).count();
    assert_eq!(denials, 10, "the flag is read from reused fields too");
}
