use super::*;
use crate::io::formats::geojson_any::read_geojson_any_into;
use crate::io::records::ReadRecords;

/// An ACLED export as GeoJSON: other tools' names, a bad date, a feature without a geometry, a
/// property only late features have, escapes and Cyrillic.
fn collection(features: usize) -> String {
    let rows: Vec<String> = (0..features)
        .map(|i| {
            let date = if i == 7 { "2023-02-30".to_owned() } else { format!("2023-09-{:02}", i % 28 + 1) };
            let geometry = if i % 11 == 0 {
                "null".to_owned()
            } else {
                format!("{{\"type\":\"Point\",\"coordinates\":[20.{i},42.9]}}")
            };
            let late = if i > 250 { format!(",\"tags\":\"late {i}\"") } else { String::new() };
            format!(
                "{{\"type\":\"Feature\",\"geometry\":{geometry},\"properties\":{{\"event_id_cnty\":\"SRB{i}\",\"event_date\":\"{date}\",\"event_type\":\"Protests\",\"notes\":\"On {date}, \\\"quoted\\\" Бањска {i}\"{late}}}}}"
            )
        })
        .collect();
    format!("{{\"type\":\"FeatureCollection\",\"features\":[\n{}\n]}}", rows.join(",\n"))
}

fn whole(text: &str) -> ReadRecords {
    let mut read = ReadRecords::default();
    read.problems = read_geojson_any_into(Path::new("acled.geojson"), text, &[], &mut read).unwrap();
    read
}

fn in_blocks(text: &str, block_bytes: usize) -> Option<ReadRecords> {
    let mut read = ReadRecords::default();
    let mut source = text.as_bytes();
    let file = Path::new("acled.geojson");
    read.problems = read_geojson_any_in_blocks(file, &mut source, block_bytes, u64::MAX, &[], &mut read)?;
    Some(read)
}

#[test]
fn blocks_read_what_the_whole_text_reads_at_every_block_size() {
    let text = collection(1000);
    let expected = whole(&text);
    assert_eq!(expected.records.len(), 1000);
    // Each feature starts a line of its own, after the collection's first: feature 7 (whose date,
    // 30 February, the builder will report at its line) is on line 9.
    assert_eq!(expected.records[7].line, Some(9));
    assert_eq!(expected.records[999].line, Some(1001));
    // Blocks of 64 KiB hold the 200 features the columns are decided from; smaller ones decline.
    assert!(in_blocks(&text, 4096).is_none());
    for block_bytes in [1 << 16, 100_000, 1 << 20] {
        let read = in_blocks(&text, block_bytes).expect("read in blocks");
        assert_eq!(read.format, expected.format, "blocks of {block_bytes}");
        assert_eq!(read.fields, expected.fields, "blocks of {block_bytes}");
        assert_eq!(read.records, expected.records, "blocks of {block_bytes}");
        let messages = |read: &ReadRecords| read.problems.iter().map(ToString::to_string).collect::<Vec<_>>();
        assert_eq!(messages(&read), messages(&expected), "blocks of {block_bytes}");
    }
}

#[test]
fn anything_unusual_is_left_to_the_whole_file_reader() {
    let declined = |text: &str| in_blocks(text, 1 << 16).is_none();
    let text = collection(600);
    // A feature that is not an object: valid JSON, read (and reported) by the whole-file reader.
    let with_null = text.replacen("\"features\":[\n", "\"features\":[\nnull,", 1);
    assert!(serde_json::from_str::<serde_json::Value>(&with_null).is_ok());
    assert!(declined(&with_null));
    assert!(declined(&text[..text.len() - 3]));
    // A feature whose braces balance but which is not JSON (the whole-file reader refuses the file).
    let trailing_comma = text.replacen("\"event_type\":\"Protests\",", "\"event_type\":\"Protests\",,", 1);
    assert!(serde_json::from_str::<serde_json::Value>(&trailing_comma).is_err());
    assert!(declined(&trailing_comma));
    assert!(declined(&text.replace("FeatureCollection", "Feature")));
    assert!(declined("{\"type\":\"FeatureCollection\",\"features\":[]}"));
    assert!(!declined(&text));
}

#[test]
fn features_built_in_parts_on_all_cores_give_the_events_of_one_build() {
    use crate::io::build::{StreamingBuild, assert_built_alike, build_events};
    // Later features bring new event types, and ids used before (in the same block and earlier).
    let text = collection(1500)
        .replace("\"SRB1200\"", "\"SRB5\"")
        .replace("\"SRB1201\"", "\"SRB1199\"")
        .replace("\"SRB777\"", "\"SRB3\"");
    let text = (0..1500).rev().fold(text, |text, i| {
        let kind = format!("\"event_type\":\"Kind {}\",\"notes\":\"On 2023-09-{:02}", i / 120, i % 28 + 1);
        text.replacen(&format!("\"event_type\":\"Protests\",\"notes\":\"On 2023-09-{:02}", i % 28 + 1), &kind, 1)
    });
    let path = Path::new("acled.geojson");
    let mut whole_problems = Vec::new();
    let whole = build_events(path, whole(&text), &mut whole_problems);
    assert!(whole.category_keys.len() > 5, "{:?}", whole.category_keys);
    let messages = |problems: &[Problem]| problems.iter().map(ToString::to_string).collect::<Vec<_>>();
    let whole_messages = messages(&whole_problems);
    assert_eq!(whole_messages.iter().filter(|m| m.contains("duplicate id")).count(), 3, "{whole_messages:?}");
    // The build begins (and builds in parts) within the first block, or within a later one: the
    // features before go one by one, the rest of that block in parts.
    for (block_bytes, order_sample) in [(1 << 16, 10), (100_000, 10), (1 << 16, 777)] {
        let mut streaming = StreamingBuild::with_order_sample(path, order_sample);
        let mut source = text.as_bytes();
        let read = read_geojson_any_in_blocks(path, &mut source, block_bytes, u64::MAX, &[], &mut streaming).unwrap();
        let mut problems = Vec::new();
        let parts = streaming.finish(read, &mut problems);
        let label = format!("blocks of {block_bytes}, begun after {order_sample}");
        assert_built_alike(&parts, &problems, &whole, &whole_problems, &label);
    }
}

/// Dates written day first ("05/09/2023"), told only by those past the 12th: the build begun
/// from the first block's dates (read on all cores) reads them as one build does, as does the
/// build that keeps its first records to find the order.
#[test]
fn a_build_begun_from_the_first_blocks_dates_reads_them_in_the_files_order() {
    use crate::io::build::{StreamingBuild, assert_built_alike, build_events};
    let text = (1..=28).fold(collection(400), |text, day| {
        text.replace(&format!("\"event_date\":\"2023-09-{day:02}\""), &format!("\"event_date\":\"{day:02}/09/2023\""))
    });
    assert!(text.contains("\"event_date\":\"20/09/2023\""));
    let path = Path::new("acled.geojson");
    let mut whole_problems = Vec::new();
    let whole = build_events(path, whole(&text), &mut whole_problems);
    let fifth = whole.events.iter().find(|event| event.id == "SRB4").unwrap();
    assert_eq!(
        fifth.span.first_day(),
        crate::model::date::day_number(chrono::NaiveDate::from_ymd_opt(2023, 9, 5).unwrap())
    );
    // The first block holds the records the order is found from (their dates read at once), or
    // not (they are kept as they come).
    let first_block = text.get(..1 << 16).unwrap().matches("\"type\":\"Feature\"").count();
    assert!(first_block > 20 && first_block < 400, "{first_block}");
    for order_sample in [20, 400] {
        let block_bytes = 1 << 16;
        let mut streaming = StreamingBuild::with_order_sample(path, order_sample);
        let mut source = text.as_bytes();
        let read = read_geojson_any_in_blocks(path, &mut source, block_bytes, u64::MAX, &[], &mut streaming).unwrap();
        let mut problems = Vec::new();
        let parts = streaming.finish(read, &mut problems);
        assert_built_alike(&parts, &problems, &whole, &whole_problems, &format!("order from {order_sample}"));
    }
}
