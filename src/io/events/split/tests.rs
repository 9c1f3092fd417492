use super::*;
use crate::io::events::elements::SCAN_ON_ALL_CORES_FROM_BYTES;

fn features(text: &str) -> Option<Vec<&str>> {
    split_features(text).map(|split| split.features)
}

#[test]
fn splits_features_and_keeps_the_rest() {
    let text = r#" {"type": "FeatureCollection", "name": "x}\"{", "features": [ {"a": "}"} ,
        {"b": {"c": [1, "\\"]}}], "bbox": [1, 2] } "#;
    let split = split_features(text).expect("well formed");
    assert_eq!(split.features, vec![r#"{"a": "}"}"#, r#"{"b": {"c": [1, "\\"]}}"#]);
    assert_eq!(split.skeleton, r#" {"type": "FeatureCollection", "name": "x}\"{", "features": [], "bbox": [1, 2] } "#);
}

/// Escapes and braces inside strings, at every offset from a 64-byte block's edge.
#[test]
fn agrees_with_serde_at_every_block_offset() {
    #[derive(serde::Deserialize)]
    struct Collection<'a> {
        #[serde(borrow)]
        features: Vec<&'a serde_json::value::RawValue>,
    }
    let tricky = [r#"\""#, r"\\", r"}{", r#"\\\"}"#, r#"{\"a\": [}]"#, "é€😀"];
    for padding in 0..70 {
        let mut features = Vec::new();
        for (i, piece) in tricky.iter().enumerate() {
            let filler = "x".repeat((padding + i * 7) % 67);
            features.push(format!(r#"{{"id":"{filler}{piece}","p":{{"q":[{{}},"{piece}{filler}"]}}}}"#));
        }
        let text = format!("{{\"type\":\"FeatureCollection\",\"features\":[{}]}}", features.join(" ,\n"));
        let by_serde: Collection<'_> = serde_json::from_str(&text).expect("valid JSON");
        let expected: Vec<&str> = by_serde.features.iter().map(|raw| raw.get()).collect();
        assert_eq!(split_features(&text).map(|split| split.features), Some(expected), "padding {padding}");
    }
}

/// Split on two cores, with the helper's guessed boundary right or wrong (inside a string
/// that looks like a boundary), the result is serde's.
#[test]
fn two_core_split_survives_a_wrong_guess() {
    #[derive(serde::Deserialize)]
    struct Collection<'a> {
        #[serde(borrow)]
        features: Vec<&'a serde_json::value::RawValue>,
    }
    for decoy_at in [0, 40, 49, 50, 51, 60, 99] {
        let features: Vec<String> = (0..100)
            .map(|i| {
                // In the JSON: `a},{\"b\":\"x\"},{`, a boundary to the eye, inside a string.
                let text = if i == decoy_at { r#"a},{\"b\":\"x\"},{"#.repeat(40) } else { "y".repeat(90) };
                format!(r#"{{"id":{i},"text":"{text}"}}"#)
            })
            .collect();
        let text = format!(r#"{{"features":[{}],"type":"FeatureCollection"}}"#, features.join(","));
        assert!(text.len() > SCAN_ON_ALL_CORES_FROM_BYTES);
        let by_serde: Collection<'_> = serde_json::from_str(&text).expect("valid JSON");
        let expected: Vec<&str> = by_serde.features.iter().map(|raw| raw.get()).collect();
        let split = split_features(&text).expect("well formed");
        assert_eq!(split.features, expected, "decoy in feature {decoy_at}");
        assert_eq!(split.skeleton, r#"{"features":[],"type":"FeatureCollection"}"#);
    }
}

#[test]
fn empty_collections_split() {
    assert_eq!(features(r#"{"features":[]}"#), Some(vec![]));
    assert_eq!(features("{\"features\":[ \n ]}"), Some(vec![]));
}

#[test]
fn anything_unusual_is_left_to_serde() {
    for text in [
        "",
        "[]",
        "{}",
        r#"{"type": "FeatureCollection"}"#,
        r#"{"features": {}}"#,
        r#"{"features": [null]}"#,
        r#"{"features": [{}, 1]}"#,
        r#"{"features": [{},]}"#,
        r#"{"features": [{} {}]}"#,
        r#"{"features": [{"a": "}"#,
        r#"{"features": [{}]"#,
        r#"{"features": [{}], "features": []}"#,
        r#"{"feat\u0075res": [{}]}"#,
        r#"{"features": [{}]]}"#,
        r#"{"a": 1 "features": [{}]}"#,
        r#"{"a": {"b": "}"#,
    ] {
        assert_eq!(features(text), None, "{text}");
    }
}
