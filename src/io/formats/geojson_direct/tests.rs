use super::*;
use crate::io::formats::columns::guess;
use crate::io::formats::geojson_any::{feature_value, record};
use crate::io::formats::geojson_feature::FeatureParts;

/// The columns guessed from every property name of `features`, as a file of them would have.
fn mapping_of(features: &[&str]) -> ColumnMapping {
    let mut names: Vec<String> = Vec::new();
    for raw in features {
        let Ok(value) = feature_value(raw) else { continue };
        for key in value.get("properties").and_then(Value::as_object).into_iter().flat_map(|p| p.keys()) {
            if !names.contains(key) {
                names.push(key.clone());
            }
        }
    }
    let names: Vec<&str> = names.iter().map(String::as_str).collect();
    guess(&names)
}

/// The record the serde readers make of `raw` (the `Value` read), or `None` when they refuse it.
fn by_value(raw: &str, index: usize, mapping: &ColumnMapping) -> Option<RawRecord<'static>> {
    let value = feature_value(raw).ok()?;
    Some(record(index, FeatureParts::of_value(&value), mapping).into_owned())
}

/// Reads `features` in one run of slots (as a slice of a file is read): each feature the direct
/// reader accepts gives the `Value` read's record; returns which were accepted.
fn read_all(features: &[&str], mapping: &ColumnMapping) -> Vec<bool> {
    let mut slots = FeatureSlots::new(mapping);
    let mut accepted = Vec::new();
    for (index, raw) in features.iter().enumerate() {
        let direct = read_direct(raw, index, &mut slots);
        if let Some(direct) = &direct {
            let expected = by_value(raw, index, mapping).unwrap_or_else(|| panic!("read directly, refused: {raw}"));
            assert_eq!(direct, &expected, "{raw}");
        }
        accepted.push(direct.is_some());
    }
    accepted
}

/// An ACLED export's features (an optional column, names in file order, numbers, a Point) and
/// other tools' (Linked Places `when`, lines, nulls, a bbox, escapes, properties out of order) are
/// read directly, each exactly as the `Value` read gives it.
#[test]
fn usual_features_are_read_directly_as_a_value_reads_them() {
    let features = [
        r#"{"type":"Feature","id":"g0","geometry":{"type":"Point","coordinates":[11.99307,55.42844]},"properties":{"event_id_cnty":"GER0","event_date":"2009-04-04","year":2009,"time_precision":1,"event_type":"Explosions/Remote violence","actor1":"Front","iso":276,"admin1":"Lomirja","location":"Lomoba","source":"Carasta Times","notes":"On 4 April 2009, Front shelled positions. [fatalities=5]","fatalities":5}}"#,
        r#"{"type":"Feature","id":"g1","geometry":{"type":"Point","coordinates":[29.67822,36.33891]},"properties":{"event_id_cnty":"BUL1","event_date":"2025-12-31","year":2025,"time_precision":2,"event_type":"Violence against civilians","actor1":"Front","civilian_targeting":"Civilian targeting","iso":100,"admin1":"Ninini","location":"Zabel","source":"Radio; Times","notes":"On 31 December 2025, \"quoted\" words\nБањска.","fatalities":3}}"#,
        r#"{"type":"Feature","id":"g2","geometry":{"type":"Point","coordinates":[11.8,55.3]},"properties":{"event_id_cnty":"GER2","event_date":"2017-04-11","year":2017,"time_precision":1,"event_type":"Riots","actor1":"","iso":276,"admin1":null,"location":"Nipeni","source":"Jame News","notes":"","fatalities":0}}"#,
        r#" { "properties" : { "notes" : "x" , "event_date" : "2001-01-01" , "fatalities" : -2 } , "geometry" : { "coordinates" : [ 20 , 42 ] , "type" : "Point" } , "type" : "Feature" } "#,
        r#"{"type":"Feature","id":17,"bbox":[20,42,21,43],"geometry":{"type":"LineString","coordinates":[[20.5,42.9],[21.0,43.1]]},"properties":{"event_date":"24 September 2023","share":0.5,"exp":1e3,"minus":-0,"big":12345678901234567890,"flag":true,"no":false,"list":[1, 2],"nested":{"b":1,"a":[]}}}"#,
        r#"{"type":"Feature","id":null,"geometry":null,"properties":{"event_date":null,"location":"x"},"when":{"timespans":[{"start":{"in":"1998-07"},"end":{"latest":"1999-01"}}]}}"#,
        r#"{"type":"Feature","id":"a\u0041","properties":null}"#,
        r#"{"type":"Feature","geometry":{"type":"Point","coordinates":[20.5,42.5,300]},"properties":{"event_date":"1999"}}"#,
        r#"{"type":"Feature","geometry":{"type":"point","coordinates":[20.5,42.5]}}"#,
        r#"{"type":"Feature","geometry":["Point",[20.9,42.9]],"properties":{"event_date":"1999"}}"#,
        r#"{"type":"Feature","geometry":{"type":"MultiPoint","coordinates":[[20,42]],"bbox":[20,42,20,42]}}"#,
        r#"{"type":{"odd":1},"properties":{}}"#,
        "{}",
    ];
    let mapping = mapping_of(&features);
    assert_eq!(mapping.get(ColumnRole::Start), Some("event_date"), "{mapping:?}");
    assert!(read_all(&features, &mapping).iter().all(|&accepted| accepted));
}

/// What the direct reader declines, the serde readers read (a name met twice: its last value) or
/// explain; a declined feature leaves nothing behind for the next.
#[test]
fn unusual_features_are_declined_and_the_next_still_reads() {
    let next = r#"{"type":"Feature","properties":{"event_date":"2002","n":1,"location":"after"}}"#;
    let declined = [
        r#"{"type":"Feature","properties":{"event_date":"2001","n":1,"n":2}}"#,
        r#"{"type":"Feature","properties":{"event_date":"2001","location":"a","location":"b"}}"#,
        r#"{"type":"Feature","properties":{"a\"b":1,"event_date":"2001"}}"#,
        r#"{"type":"Feature","type":"Feature","properties":{"event_date":"2001"}}"#,
        r#"{"type":"Feature","extra":1,"properties":{"event_date":"2001"}}"#,
        r#"{"type":"Feature","properties":["event_date","2001"]}"#,
        r#"{"type":"Feature","properties":{"event_date":"2001","a":1e400}}"#,
        r#"{"type":"Feature","properties":{"event_date":"2001","a":"\ud800"}}"#,
        r#"{"type":"Feature","properties":{"event_date":"2001","a":tru}}"#,
        r#"{"type":"Feature","properties":{"event_date":"2001","a":007}}"#,
        "{\"type\":\"Feature\",\"properties\":{\"event_date\":\"2001\",\"a\":\"x\u{1}y\"}}",
        r#"{"type":"Feature","geometry":{"type":"Point","coordinates":[1e400,2]}}"#,
        r#"{"type":"Feature","properties":{"event_date":"2001"}} x"#,
        r#"{"type":"Feature","properties":{"event_date":"2001"},}"#,
        r#"["type","Feature"]"#,
    ];
    for raw in declined {
        let features = [raw, next];
        let mapping = mapping_of(&[next]);
        assert_eq!(read_all(&features, &mapping), [false, true], "{raw}");
    }
}

/// Values nested near serde_json's limit: read directly only when a `Value` read of the whole
/// feature reads them too, and then the same.
#[test]
fn values_nested_near_the_limit_are_read_only_as_a_value_reads_them() {
    for levels in 120..=130 {
        let nested = format!("{}1{}", "[".repeat(levels), "]".repeat(levels));
        let features = [
            format!(r#"{{"type":"Feature","properties":{{"date":"1999","deep":{nested}}}}}"#),
            format!(r#"{{"type":"Feature","geometry":{nested},"properties":{{"date":"1999"}}}}"#),
            format!(r#"{{"type":"Feature","id":{nested},"properties":{{"date":"1999"}}}}"#),
            format!(r#"{{"type":"Feature","bbox":{nested},"properties":{{"date":"1999"}}}}"#),
            format!(r#"{{"type":"Feature","when":{nested},"properties":{{"date":"1999"}}}}"#),
            format!(r#"{{"type":"Feature","geometry":{{"type":"Point","coordinates":{nested}}}}}"#),
        ];
        for raw in &features {
            let accepted = read_all(&[raw], &mapping_of(&[raw]));
            assert!(levels > 120 || accepted == [true], "{raw:.80}");
            assert!(levels < 130 || accepted == [false], "{raw:.80}");
        }
    }
}

/// Random features made of usual and unusual pieces (names repeated, escapes, control
/// characters, odd numbers, nesting, members in any order) in runs sharing their slots: whatever
/// is read directly is the `Value` read's record, and most usual ones are read directly.
#[test]
fn random_features_read_directly_are_the_value_read_s_records() {
    // Names that begin alike, one longer than a guess compares in one word, one with a space.
    let names = [
        "event_date",
        "notes",
        "note",
        "notes2",
        "civilian_targeting",
        "actor1",
        "location",
        "fatalities",
        "source",
        "a\\u0062",
        "x",
        "event date",
    ];
    let values = [
        r#""2023-09-24""#,
        r#""Banjska, 24 September""#,
        r#""a \"quoted\" note\nБањска""#,
        "\"\u{2}\"",
        "12",
        "-0",
        "1.50",
        "1e2",
        "007",
        "null",
        "true",
        "[1, [2]]",
        r#"{"b":1}"#,
        r#""\ud800""#,
        "nul",
    ];
    let geometries =
        ["null", r#"{"type":"Point","coordinates":[20.5,42.5]}"#, r#"{"coordinates":[20,42.5e0],"type":"Point"}"#];
    let mut seed = 7_u64;
    let mut next = |below: usize| {
        seed = seed.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
        usize::try_from(seed >> 33).unwrap_or(0) % below
    };
    let mut features = Vec::new();
    for _ in 0..3000 {
        let members: Vec<String> = (0..next(7))
            .map(|_| {
                let name = names.get(next(names.len())).copied().unwrap_or("x");
                let value = values.get(next(values.len())).copied().unwrap_or("1");
                let space = ["", " "].get(next(2)).copied().unwrap_or("");
                format!("{space}\"{name}\"{space}:{value}")
            })
            .collect();
        let geometry = geometries.get(next(geometries.len())).copied().unwrap_or("null");
        let mut feature = [
            format!("\"properties\":{{{}}}", members.join(",")),
            format!("\"geometry\":{geometry}"),
            "\"type\":\"Feature\"".to_owned(),
        ];
        feature.rotate_left(next(3));
        features.push(format!("{{{}}}", feature.join(" , ")));
    }
    let features: Vec<&str> = features.iter().map(String::as_str).collect();
    let mut accepted = 0;
    for run in features.chunks(100) {
        accepted += read_all(run, &mapping_of(run)).iter().filter(|&&accepted| accepted).count();
    }
    eprintln!("ACCEPTED {accepted}");
    assert!(accepted > 0);
}
