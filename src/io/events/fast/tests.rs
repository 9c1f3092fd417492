use super::super::raw::RawFeature;

/// Everything the rest of the loader reads from a raw feature, spelled out to compare.
fn describe(feature: &RawFeature<'_>) -> String {
    let geometry = feature.geometry.as_ref().map(|g| {
        let coordinates = g.coordinates.as_ref().map(|c| (c.numbers.map(f64::to_bits), c.count, c.not_numbers));
        (g.kind.0.to_string(), coordinates)
    });
    let properties = feature.properties.as_ref().map(|p| {
        format!(
            "{:?} {:?} {:?} {:?} {} {:?} {:?}",
            p.id.as_ref().map(|id| id.0.clone()),
            p.title,
            p.start.as_ref().map(|t| t.0.to_string()),
            p.end.as_ref().map(|t| t.0.to_string()),
            p.approximate,
            p.category.as_ref().map(|t| t.0.to_string()),
            p.curated.as_ref().map(|c| &c.extra),
        )
    });
    format!(
        "{:?} {:?} {geometry:?} {properties:?}",
        feature.kind.as_ref().map(|t| t.0.to_string()),
        feature.id.as_ref().map(|id| id.0.clone())
    )
}

/// Generated data, with spans, month and year dates and every category: read directly, all
/// of it, and the same as serde reads it.
#[test]
fn reads_generated_data_as_serde_does() {
    let mut text = Vec::new();
    crate::cli::generate::write_synthetic(3000, 7, &mut text).unwrap();
    let text = String::from_utf8(text).unwrap();
    let split = crate::io::events::split::split_features(&text).unwrap();
    assert_eq!(split.features.len(), 3000);
    for raw in split.features {
        let fast = super::read(raw).unwrap_or_else(|| panic!("declined: {raw}"));
        let by_serde: RawFeature<'_> = serde_json::from_str(raw).unwrap();
        assert_eq!(describe(&fast), describe(&by_serde), "{raw}");
    }
}

/// Strings ended by a quote, cut by a backslash or a control character, at every offset
/// around an eight-byte word: the same length as a byte-by-byte search.
#[test]
fn string_length_agrees_with_a_plain_search() {
    let naive = |bytes: &[u8]| {
        let length = bytes.iter().position(|&b| b == b'"' || b == b'\\' || b < 0x20)?;
        (bytes.get(length) == Some(&b'"')).then_some(length)
    };
    for stop in ["\"", "\\", "\n", "\u{1f}", "\u{0}", ""] {
        for before in 0..40 {
            for filler in ["a", "é", "😀", " ", "\u{7f}", "\u{ff}"] {
                let text = format!("{}{stop}x\"tail", filler.repeat(before));
                let bytes = text.as_bytes();
                assert_eq!(super::super::json_reader::string_length(bytes), naive(bytes), "{text:?}");
                assert_eq!(super::super::json_reader::string_length_in_words(bytes), naive(bytes), "{text:?}");
            }
        }
    }
}

/// Another tool's fields: a hundred different keys (many marking the same bit) are all read;
/// any key met twice, wherever, declines, for serde to read as it does.
#[test]
fn a_field_named_twice_declines_and_only_then() {
    let keys: Vec<String> = (0..100).map(|i| format!("field_{i}")).collect();
    let feature = |keys: &[&str]| {
        let fields: Vec<String> = keys.iter().map(|key| format!(r#""{key}":"x""#)).collect();
        format!(r#"{{"type":"Feature","properties":{{"start":"1999",{}}}}}"#, fields.join(","))
    };
    let all: Vec<&str> = keys.iter().map(String::as_str).collect();
    // Kronika's own keys, named twice, decline too (not kept as another field).
    for key in ["id", "title", "start", "end", "category"] {
        let raw = format!(r#"{{"type":"Feature","properties":{{"start":"1999","{key}":"a","{key}":"b"}}}}"#);
        assert!(super::read(&raw).is_none(), "{key} named twice");
    }
    let approximate = r#"{"type":"Feature","properties":{"start":"1999","approximate":true,"approximate":false}}"#;
    assert!(super::read(approximate).is_none(), "approximate named twice");
    let raw = feature(&all);
    let read = super::read(&raw).expect("a hundred different keys are read");
    assert_eq!(read.properties.unwrap().curated.unwrap().extra.len(), 100);
    for (first, again) in [(0, 1), (0, 99), (42, 57), (98, 99)] {
        let mut repeated = all.clone();
        repeated.insert(again + 1, all[first]);
        assert!(super::read(&feature(&repeated)).is_none(), "{} named twice", all[first]);
    }
}

/// A number field is kept exactly when serde_json writes it back as it came.
#[test]
fn number_fields_are_kept_when_serde_spells_them_alike() {
    for number in [
        "0",
        "-0",
        "7",
        "-12",
        "123456789012345678",
        "-123456789012345678",
        "1234567890123456789",
        "18446744073709551615",
        "18446744073709551616",
        "-9223372036854775808",
        "-9223372036854775809",
        "12.5",
        "0.50",
        "1e2",
        "-0.0",
        "3.0",
    ] {
        let raw = format!(r#"{{"type":"Feature","properties":{{"start":"1999","n":{number}}}}}"#);
        let kept = super::read(&raw).is_some();
        let by_serde = serde_json::from_str::<serde_json::Number>(number).is_ok_and(|n| n.to_string() == number);
        assert_eq!(kept, by_serde, "{number}");
    }
}

/// Numbers of every shape, valid or not, and 40,000 random coordinates written as Rust writes
/// them (shortest) or to 0-15 decimals.
fn numbers_to_try() -> Vec<String> {
    let mut numbers: Vec<String> = [
        "0",
        "-0",
        "-0.0",
        "0.0",
        "0.5",
        "-0.5",
        "0.1",
        "0.3",
        "01.5",
        "00.1",
        "1.",
        ".5",
        "-",
        "-.5",
        "--1.5",
        "1.5-",
        "1.5.3",
        "1e",
        "1e2",
        "1.5e",
        "1.5e3",
        "1.5E-3",
        "-42.5E-1",
        "20",
        "-180.000000",
        "179.99999",
        "20.123456789012345678",
        "12345678901234.5",
        "99999999999999.9",
        "123456789012345.6",
        "1234567890123456.7",
        "18446744073709551616.5",
        "0.000000000000001",
        "0.0000000000000001",
        "0.000000000000000000000001",
        "5e-324",
        "1.7976931348623157e308",
    ]
    .map(String::from)
    .to_vec();
    let mut seed = 42_u64;
    for _ in 0..20_000 {
        seed = seed.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
        let decimals = (seed >> 60) as usize;
        let value = (seed >> 11) as f64 / (1_u64 << 53) as f64 * 360.0 - 180.0;
        numbers.push(format!("{value:.decimals$}"));
        numbers.push(format!("{value}"));
    }
    numbers
}

/// Coordinates read the standard library's way only where it gives serde_json's bits.
#[test]
fn coordinates_are_serde_json_s_to_the_bit() {
    let numbers = numbers_to_try();
    for number in numbers {
        let by_serde: Option<f64> = serde_json::from_str(&number).ok();
        assert_eq!(
            super::super::json_reader::coordinate(&number).map(f64::to_bits),
            by_serde.map(f64::to_bits),
            "{number}"
        );
    }
}

/// Whatever the direct reader accepts, serde reads the same; the usual shapes are accepted.
#[test]
fn reads_what_serde_reads_or_declines() {
    let accepted = [
        r#"{"type":"Feature","id":"g0","geometry":{"type":"Point","coordinates":[23.40475,44.25052]},"properties":{"title":"Armed clash #0","start":"2025-06-09","category":"armed_clash"}}"#,
        r#" { "properties" : { "start" : "1999" , "end":"2000-02", "approximate": true, "id": 7 } , "geometry" : null , "type" : "Feature" } "#,
        r#"{"type":"Feature","id":18446744073709551615,"geometry":{"coordinates":[-0.0,1e2,3],"type":"Point"},"properties":null}"#,
        r#"{"type":"Feature","id":0,"geometry":{"type":"Point","coordinates":[20.123456789012345678,-42.5E-1]},"properties":{"approximate":null,"title":"é – 😀"}}"#,
        r#"{"type":"Feature","geometry":{"type":"LineString","coordinates":[]},"properties":{}}"#,
        r#"{"type":"Feature","properties":{"start":"1999","fatalities":3,"actor":"Unit 4","offset":-12,"share":0.5}}"#,
        "{}",
    ];
    for raw in accepted {
        let fast = super::read(raw).unwrap_or_else(|| panic!("declined: {raw}"));
        let by_serde: RawFeature<'_> = serde_json::from_str(raw).unwrap();
        assert_eq!(describe(&fast), describe(&by_serde), "{raw}");
    }
    let declined = [
        r#"{"type":"Feature","id":"a\"b","properties":{"start":"1999"}}"#,
        r#"{"type":"Feature","properties":{"start":"1999","place":"pl-x"}}"#,
        r#"{"type":"Feature","properties":{"start":"1999","share":1e2}}"#,
        r#"{"type":"Feature","properties":{"start":"1999","share":0.50}}"#,
        r#"{"type":"Feature","properties":{"start":"1999","tags":["a"]}}"#,
        r#"{"type":"Feature","properties":{"start":"1999","n":1,"n":2}}"#,
        r#"{"type":"Feature","properties":{"start":"1999","n":007}}"#,
        r#"{"type":"Feature","type":"Feature"}"#,
        r#"{"type":"Feature","id":-1}"#,
        r#"{"type":"Feature","id":1.5}"#,
        r#"{"type":"Feature","id":007}"#,
        r#"{"type":"Feature","geometry":{"type":"Point","coordinates":[[1,2]]}}"#,
        r#"{"type":"Feature","geometry":{"type":"Point","coordinates":["1",2]}}"#,
        r#"{"type":"Feature","geometry":{"type":"Point","coordinates":[1.,2]}}"#,
        r#"{"type":"Feature","geometry":{"type":"Point","coordinates":[+1,2]}}"#,
        r#"{"type":"Feature","properties":{"title":null}}"#,
        r#"{"type":null}"#,
        r#"{"type":"Feature"} x"#,
        r#"{"type":"Feature",}"#,
        "{\"type\":\"Fea\u{1}ture\"}",
    ];
    for raw in declined {
        assert!(super::read(raw).is_none(), "accepted: {raw}");
    }
}

/// Coordinates read in one pass over their digits: a point's numbers, valid or not, give
/// serde's bits, or are declined where serde fails.
#[test]
fn a_point_s_numbers_are_serde_json_s_to_the_bit() {
    let numbers = numbers_to_try();
    for number in numbers {
        for raw in [
            format!(
                r#"{{"type":"Feature","geometry":{{"type":"Point","coordinates":[{number},{number}]}},"properties":{{}}}}"#
            ),
            format!(
                r#"{{"type":"Feature","geometry":{{"type":"Point","coordinates":[ {number} , 1.25 ]}},"properties":{{}}}}"#
            ),
        ] {
            let by_serde: Option<RawFeature<'_>> = serde_json::from_str(&raw).ok();
            match super::read(&raw) {
                Some(fast) => assert_eq!(Some(describe(&fast)), by_serde.as_ref().map(describe), "{raw}"),
                None => assert!(by_serde.is_none(), "declined: {raw}"),
            }
        }
    }
}

/// Keys are matched whole as Kronika writes them, in its order; written otherwise (spaced, in
/// another order, longer or shorter, twice) they are read one by one, with the same result.
#[test]
fn keys_written_otherwise_read_as_serde_reads_them() {
    let accepted = [
        r#"{"type":"Feature","id":"a","geometry":{"type":"Point","coordinates":[1.5,2.5]},"properties":{"id":"b","title":"A title well over sixteen bytes","start":"1999","end":"2000","approximate":true,"category":"attack"}}"#,
        r#"{"properties":{"category":"attack","title":"t","start":"1999"},"geometry":{"coordinates":[1.5,2.5],"type":"Point"},"id":"a","type":"Feature"}"#,
        r#"{"type" :"Feature","id" : "a","geometry":{"type": "Point","coordinates" :[1.5,2.5]},"properties":{"title" :"t","start":"1999"}}"#,
        r#"{"type":"Feature","geometry":{"type":"Point","coordinates":[1.5,2.5]},"properties":{"titles":"t","start":"1999","starts":"2000","categoryx":"y"}}"#,
        r#"{"type":"Feature","geometry":{"type":"Point","coordinates":[1.5,2.5]},"properties":{"tit":"t","star":"1999","end":"2000","en":"x"}}"#,
        r#"{"type":"Feature2","geometry":{"type":"Points","coordinates":[1.5,2.5]},"properties":{"start":"1999"}}"#,
        r#"{"type":"Feature","properties":{"start":"1999"}}"#,
    ];
    for raw in accepted {
        let fast = super::read(raw).unwrap_or_else(|| panic!("declined: {raw}"));
        let by_serde: RawFeature<'_> = serde_json::from_str(raw).unwrap();
        assert_eq!(describe(&fast), describe(&by_serde), "{raw}");
    }
    let declined = [
        r#"{"type":"Feature","id":"a","geometry":null,"properties":{"start":"1999"},"id":"b"}"#,
        r#"{"type":"Feature","geometry":{"type":"Point","type":"Point","coordinates":[1.5,2.5]}}"#,
        r#"{"type":"Feature","properties":{"title":"a","start":"1999","title":"b"}}"#,
        r#"{"type":"Feature","properties":{"start":"1999","category":"a","start":"2000"}}"#,
    ];
    for raw in declined {
        assert!(super::read(raw).is_none(), "accepted: {raw}");
    }
}
