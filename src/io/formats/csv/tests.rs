use std::path::Path;

use super::*;
use crate::io::formats::csv_rows::ends_in_open_quote;
use crate::io::problem::Severity;

fn parse(text: &str) -> ReadRecords {
    read_csv(Path::new("data.csv"), text, &[])
}

fn property<'a>(record: &'a RawRecord, name: &str) -> Option<&'a str> {
    record.properties.iter().find(|(key, _)| key == name).map(|(_, value)| value.as_ref())
}

fn lat_lon(lat: &str, lon: &str) -> RawGeometry<'static> {
    RawGeometry::LatLonText { lat: lat.to_owned().into(), lon: lon.to_owned().into() }
}

#[test]
fn reads_a_semicolon_file_by_its_column_names() {
    let text = "Title;event_date;lat;lng;Type;Crowd;Notes\n\
                Strike at the mine;2023-05-01;44,5;20,25;Protest;\"about 300; mostly miners\";\n\
                \"Road \"\"closed\"\"\";2023-05-02;;;Blockade;;Police were there\n";
    let read = parse(text);
    assert_eq!(read.format, "CSV");
    assert!(read.problems.is_empty(), "{:?}", read.problems);
    assert_eq!(read.fields.title.as_deref(), Some("Title"));
    assert_eq!(read.fields.start.as_deref(), Some("event_date"));
    assert_eq!((read.fields.lat.as_deref(), read.fields.lon.as_deref()), (Some("lat"), Some("lng")));
    assert_eq!(read.fields.category.as_deref(), Some("Type"));
    let [first, second] = &read.records[..] else { panic!("{:?}", read.records) };
    assert_eq!((first.index, first.line), (0, Some(2)));
    assert_eq!(first.title.as_deref(), Some("Strike at the mine"));
    assert_eq!(first.start.as_deref(), Some("2023-05-01"));
    // Coordinates stay as written: the builder reads and reports them, naming `lat` and `lng`.
    assert_eq!(first.geometry, lat_lon("44,5", "20,25"));
    assert_eq!(first.category.as_deref(), Some("Protest"));
    assert_eq!(first.properties, [("Crowd".into(), "about 300; mostly miners".into())]);
    assert_eq!(first.summary, None);
    assert_eq!((second.index, second.line), (1, Some(3)));
    assert_eq!(second.title.as_deref(), Some("Road \"closed\""));
    assert_eq!(second.geometry, RawGeometry::None);
    assert_eq!(second.summary.as_deref(), Some("Police were there"));
}

#[test]
fn reads_a_tsv_with_a_description_as_title() {
    let text = "id\tdate\ttime\tdescription\tlat\tlon\turl\tend\n\
                a1\t2023-01-02\t14:30\tShelling near the bridge. Two hurt, one, two.\t45.1\t19.8\thttp://x\t2023-01-03\n";
    let read = parse(text);
    assert_eq!(read.format, "TSV");
    let record = &read.records[0];
    assert_eq!(record.id.as_deref(), Some("a1"));
    assert_eq!(record.time.as_deref(), Some("14:30"));
    assert_eq!(record.end.as_deref(), Some("2023-01-03"));
    assert_eq!(record.title.as_deref(), Some("Shelling near the bridge"));
    assert_eq!(record.summary.as_deref(), Some("Shelling near the bridge. Two hurt, one, two."));
    assert_eq!(record.reported_by.as_deref(), Some("http://x"));
    assert_eq!(record.geometry, lat_lon("45.1", "19.8"));
    assert!(record.properties.is_empty(), "{:?}", record.properties);
}

#[test]
fn overrides_choose_the_columns_and_force_the_generic_reader() {
    let text = "When,North,East,What\n2023-01-02,45.1,19.8,Something\n";
    let overrides = super::super::columns::parse_overrides("start=when,lat=north,lon=EAST,title=What").unwrap();
    let read = read_csv(Path::new("x.csv"), text, &overrides);
    assert!(read.problems.is_empty(), "{:?}", read.problems);
    let record = &read.records[0];
    assert_eq!(record.start.as_deref(), Some("2023-01-02"));
    assert_eq!(record.geometry, lat_lon("45.1", "19.8"));
    assert_eq!(record.title.as_deref(), Some("Something"));
    assert_eq!(read.fields.lat.as_deref(), Some("North"));

    let acled = include_str!("../../../../tests/formats/acled-iso.csv");
    let read = read_csv(Path::new("a.csv"), acled, &[(ColumnRole::Title, "actor1".to_owned())]);
    assert_eq!(read.format, "CSV");
    assert_eq!(read.records[0].title.as_deref(), Some("Protesters (Serbia)"));
    assert_eq!(read.records[0].start.as_deref(), Some("2023-09-24"));

    let read = read_csv(Path::new("x.csv"), text, &[(ColumnRole::Lat, "latitude".to_owned())]);
    assert!(read.records.is_empty());
    let [problem] = &read.problems[..] else { panic!("{:?}", read.problems) };
    assert_eq!(problem.severity, Severity::Error);
    let message = problem.to_string();
    assert!(message.contains("`latitude`") && message.contains("`When`, `North`, `East`, `What`"), "{message}");
}

#[test]
fn ragged_rows_are_read_with_a_located_warning() {
    let text = "id,title,lat,lon\nr1,Short,1\nr2,Long,1,2,extra,,more\nr3,Fine,1,2\n";
    let read = parse(text);
    assert_eq!(read.records.len(), 3);
    assert_eq!(read.records[0].geometry, lat_lon("1", ""));
    let long = &read.records[1];
    assert_eq!(property(long, "column_5"), Some("extra"));
    assert_eq!(property(long, "column_7"), Some("more"));
    assert_eq!(property(long, "column_6"), None);
    let located: Vec<_> = read
        .problems
        .iter()
        .map(|p| (p.severity, p.location.index, p.location.line, p.location.id.as_deref(), p.location.field.clone()))
        .collect();
    assert_eq!(
        located,
        [
            (Severity::Warning, Some(0), Some(2), Some("r1"), None),
            (Severity::Warning, Some(1), Some(3), Some("r2"), None)
        ]
    );
    assert!(read.problems[0].to_string().contains("3 fields, the header 4"), "{}", read.problems[0]);
}

#[test]
fn an_unclosed_quote_skips_its_row_and_reading_goes_on() {
    let text = "id,title\nr1,\"Multi\nline\"\nr2,\"never closed\nr3,after\n\nr4,last\n";
    let read = parse(text);
    let ids: Vec<_> = read.records.iter().map(|r| r.id.as_deref().unwrap()).collect();
    assert_eq!(ids, ["r1", "r3", "r4"]);
    assert_eq!(read.records[0].title.as_deref(), Some("Multi\nline"));
    let lines: Vec<_> = read.records.iter().map(|r| (r.index, r.line.unwrap())).collect();
    assert_eq!(lines, [(0, 2), (2, 5), (3, 7)]);
    let [problem] = &read.problems[..] else { panic!("{:?}", read.problems) };
    assert_eq!(problem.severity, Severity::Error);
    assert_eq!((problem.location.index, problem.location.line), (Some(1), Some(4)));
    assert!(problem.to_string().contains("never closed") && problem.to_string().contains("line 5"), "{problem}");

    // At the end of the file, nothing is left to read.
    let read = parse("id,title\nr1,ok\nr2,\"open");
    assert_eq!(read.records.len(), 1);
    assert_eq!(read.problems.len(), 1);
    assert_eq!(read.problems[0].location.line, Some(3));
}

#[test]
fn an_unclosed_quote_in_the_header_is_an_error() {
    let read = parse("id,\"title\nr1,a\n");
    assert!(read.records.is_empty());
    let [problem] = &read.problems[..] else { panic!("{:?}", read.problems) };
    assert_eq!((problem.severity, problem.location.line), (Severity::Error, Some(1)));
    assert!(problem.to_string().contains("header row is never closed"), "{problem}");
}

#[test]
fn empty_files_header_only_and_one_column() {
    for empty in ["", "\u{feff}", " \n\r\n"] {
        let read = parse(empty);
        assert!(read.records.is_empty());
        assert!(read.problems[0].to_string().contains("empty"), "{:?}", read.problems);
        assert_eq!(read.problems[0].severity, Severity::Error);
    }
    for header_only in ["id,title,date\n", "id,title,date", "id,title,date\n,,\n\n"] {
        let read = parse(header_only);
        assert!(read.records.is_empty());
        let [problem] = &read.problems[..] else { panic!("{:?}", read.problems) };
        assert_eq!(problem.severity, Severity::Warning);
        assert!(problem.to_string().contains("no data rows"));
    }

    let one_column = "name\nBelgrade\nNovi Sad\n";
    assert!(!looks_like_csv(one_column));
    let read = parse(one_column);
    assert!(read.records.is_empty());
    assert!(read.problems[0].to_string().contains("no column delimiter"), "{:?}", read.problems);
}

#[test]
fn a_byte_order_mark_is_not_part_of_the_first_name() {
    let read = parse("\u{feff}id,date,lat,lon\nx1,2023-01-01,1,2\n");
    assert_eq!(read.fields.id.as_deref(), Some("id"));
    assert_eq!(read.records[0].id.as_deref(), Some("x1"));
    let acled = format!("\u{feff}{}", include_str!("../../../../tests/formats/acled-words.csv"));
    assert_eq!(read_csv(Path::new("a.csv"), &acled, &[]).format, "ACLED export (CSV)");
}

#[test]
fn blank_and_empty_rows_keep_their_numbers() {
    let text = "id,title\r\n\r\nr1,a\r\n,\r\n\"\",\"\"\r\nr2,b\r\n";
    let read = parse(text);
    let rows: Vec<_> = read.records.iter().map(|r| (r.id.as_deref().unwrap(), r.index, r.line.unwrap())).collect();
    assert_eq!(rows, [("r1", 0, 3), ("r2", 3, 6)]);
    assert!(read.problems.is_empty(), "{:?}", read.problems);
}

#[test]
fn looks_like_csv_by_content() {
    assert!(looks_like_csv(include_str!("../../../../tests/formats/acled-iso.csv")));
    assert!(looks_like_csv(include_str!("../../../../tests/formats/timemap-events.csv")));
    assert!(looks_like_csv("a;b\n1;2\n"));
    assert!(looks_like_csv("\u{feff}a\tb\n1\t2\n"));
    for not_csv in [
        "",
        "{\"type\": \"FeatureCollection\", \"features\": []}",
        "[1, 2]",
        "<?xml version=\"1.0\"?><kml/>",
        "just one line of words",
        "a,b\n",
        "a,b\n1\n2\n3\n",
    ] {
        assert!(!looks_like_csv(not_csv), "{not_csv:?}");
    }
}

#[test]
fn the_delimiter_respects_quotes() {
    let text = "title,notes\n\"a; b; c\",\"x|y|z\"\n\"d; e; f\",\"u|v|w\"\n";
    assert_eq!(sniff_delimiter(text).map(|s| s.delimiter), Some(b','));
    let pipes = "a|b|c\n1|\"x,y\"|3\n";
    assert_eq!(sniff_delimiter(pipes).map(|s| s.delimiter), Some(b'|'));
}

#[test]
fn garbage_never_panics() {
    let long_field = format!("a,b\n\"{}\n", "x".repeat(10_000));
    let many_quotes = "\"\n".repeat(500);
    let inputs = [
        "\"",
        "\"\"\"",
        ",",
        ",,,\n,,,",
        "\r\r\r",
        "a,b\n\"",
        "a,b\n\"\"\"\n",
        "a,b\n1,\"2\"x\"\n",
        "\u{feff}\u{feff}a,b\n1,2",
        "a,b\nä,ö\n€,😀\n",
        "\0,\0\n\0",
        long_field.as_str(),
        many_quotes.as_str(),
    ];
    for input in inputs {
        let read = parse(input);
        assert!(read.records.len() <= input.len(), "{input:?}");
        looks_like_csv(input);
    }
}

#[test]
fn open_quotes_follow_the_csv_crate() {
    assert!(ends_in_open_quote("a,\"b", b','));
    assert!(ends_in_open_quote("a,\"b\"\"", b','));
    assert!(!ends_in_open_quote("a,\"b\"", b','));
    assert!(!ends_in_open_quote("a,b\"c", b','));
    assert!(!ends_in_open_quote("a,\"b\"c\"", b','));
    assert!(ends_in_open_quote("a\t\"b,c", b'\t'));
}
