use super::*;
use crate::io::events::parse_events_indexed;

/// A collection of `n` features of several shapes: other tools' fields, escapes, a string that
/// looks like an element boundary, a bad date, a duplicate id, a feature across several lines.
fn collection(n: usize) -> String {
    let mut features = Vec::new();
    for i in 0..n {
        let feature = match i % 7 {
            0 => format!(
                r#"{{"type":"Feature","id":"e{i}","geometry":{{"type":"Point","coordinates":[20.{i},42.9]}},"properties":{{"title":"Clash {i}","start":"1999-01-{:02}","category":"attack","unit":"Unit {i}","n":{i}}}}}"#,
                i % 28 + 1
            ),
            1 => format!(
                r#"{{"type":"Feature","id":"e{i}","geometry":null,"properties":{{"title":"Quote \"{i}\" said: }}, {{ no","start":"2001-05","note":"a }}, {{ b"}}}}"#
            ),
            2 => format!(
                "{{\"type\":\"Feature\",\n  \"id\":\"e{i}\",\n  \"geometry\":{{\"type\":\"Point\",\"coordinates\":[21.0,43.0]}},\n  \"properties\":{{\"title\":\"Ünïcödé {i} — Бањска\",\"start\":\"2023-09-24\"}}\n}}"
            ),
            3 => format!(
                r#"{{"type":"Feature","id":"e{i}","geometry":{{"type":"Point","coordinates":[20.5,42.5]}},"properties":{{"title":"Bad {i}","start":"1999-13-40"}}}}"#
            ),
            4 => format!(
                r#"{{"type":"Feature","id":"e{}","geometry":{{"type":"Point","coordinates":[20.5,42.5]}},"properties":{{"title":"Again","start":"2010"}}}}"#,
                i - 4
            ),
            _ => format!(
                r#"{{"type":"Feature","id":"e{i}","geometry":{{"type":"Point","coordinates":[19.9,41.1]}},"properties":{{"title":"Plain {i}","start":"1998-03-0{}","end":"1998-03-09"}}}}"#,
                i % 9 + 1
            ),
        };
        features.push(feature);
    }
    format!(
        "{{\"type\":\"FeatureCollection\",\"name\":\"test\",\"features\":[\n{}\n],\"crs\":null}}\n",
        features.join(",\n")
    )
}

fn whole(text: &str) -> (ParsedEvents, Vec<String>) {
    let mut problems = Vec::new();
    let parsed = parse_events_indexed(Path::new("big.geojson"), text.to_owned(), EventFileMode::Plain, &mut problems);
    (parsed, problems.iter().map(ToString::to_string).collect())
}

fn in_blocks(text: &str, block_bytes: usize) -> Option<(ParsedEvents, Vec<String>)> {
    let mut problems = Vec::new();
    let mut source = text.as_bytes();
    let parsed = parse_in_blocks(
        Path::new("big.geojson"),
        &mut source,
        block_bytes,
        u64::MAX,
        EventFileMode::Plain,
        &mut problems,
    )?;
    Some((parsed, problems.iter().map(ToString::to_string).collect()))
}

fn summary(parsed: &ParsedEvents) -> Vec<String> {
    parsed
        .events
        .iter()
        .enumerate()
        .map(|(i, e)| {
            let fields: Vec<String> = parsed
                .properties
                .of(u32::try_from(i).unwrap())
                .map(|(name, value)| format!("{name}={value}"))
                .collect();
            format!("{} {} {:?} {:?} {:?} {fields:?}", e.id, e.title, e.span, e.lon_lat, e.category)
        })
        .collect()
}

#[test]
fn blocks_give_what_the_whole_text_gives_at_every_block_size() {
    let text = collection(700);
    let (expected, expected_problems) = whole(&text);
    assert!(expected.events.len() > 400, "{}", expected.events.len());
    assert!(expected_problems.iter().any(|p| p.contains("1999-13-40") && p.contains(':')));
    assert!(expected_problems.iter().any(|p| p.contains("duplicate") || p.contains("Duplicate")));
    for block_bytes in [1, 97, 256, 1000, 4096, 10_000, 65_536, 1 << 20] {
        let (parsed, problems) = in_blocks(&text, block_bytes).expect("read in blocks");
        assert_eq!(summary(&parsed), summary(&expected), "blocks of {block_bytes}");
        assert_eq!(problems, expected_problems, "blocks of {block_bytes}");
        assert_eq!(parsed.id_index.is_some(), expected.id_index.is_some());
        assert_eq!(parsed.category_keys, expected.category_keys);
    }
}

/// Features without ids are named by their number in the file, whatever block they are read
/// in: before, each block (and each chunk of one) numbered them from 0, and a large file lost all
/// but its first block's to "duplicate ids".
#[test]
fn features_without_ids_are_named_by_their_number_in_the_file() {
    let text = collection(700).replace(r#""id":"#, r#""ref":"#);
    let (expected, expected_problems) = whole(&text);
    assert_eq!(expected.events.len(), 600, "all but the bad dates: {expected_problems:?}");
    assert_eq!(expected.events.last().map(|e| e.id.as_str()), Some("#699"));
    for block_bytes in [256, 4096, 65_536] {
        let (parsed, problems) = in_blocks(&text, block_bytes).expect("read in blocks");
        assert_eq!(summary(&parsed), summary(&expected), "blocks of {block_bytes}");
        assert_eq!(problems, expected_problems, "blocks of {block_bytes}");
    }
}

#[test]
fn anything_unusual_is_declined_for_the_whole_text_reader() {
    // Members before `features` too large for the first block, a broken feature, not UTF-8, not
    // a collection, an empty array.
    let long_name = collection(50).replace("\"name\":\"test\"", &format!("\"name\":\"{}\"", "x".repeat(1 << 21)));
    assert!(in_blocks(&long_name, 1 << 16).is_none());
    assert!(in_blocks(&collection(50).replace("\"name\":\"test\"", "\"name\":\"a longer name\""), 7).is_some());
    let broken = collection(50).replace("\"Clash 7\"", "\"Clash 7");
    assert!(in_blocks(&broken, 1000).is_none());
    let not_collection = collection(50).replace("FeatureCollection", "Feature");
    assert!(in_blocks(&not_collection, 1000).is_none());
    assert!(in_blocks("{\"type\":\"FeatureCollection\",\"features\":[]}", 1000).is_none());
    let mut latin1 = collection(50).into_bytes();
    let at = latin1.len() / 2;
    latin1[at] = 0xE9;
    let mut source = latin1.as_slice();
    let mut problems = Vec::new();
    let declined =
        parse_in_blocks(Path::new("x"), &mut source, 1000, u64::MAX, EventFileMode::Plain, &mut problems).is_none();
    assert!(declined && problems.is_empty());
}
