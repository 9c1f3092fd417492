use super::*;
use crate::io::formats::csv::read_csv_into;
use crate::io::formats::csv_rows::ends_in_open_quote;
use crate::io::records::ReadRecords;

/// Rows of every awkward kind: quoted fields holding delimiters, doubled quotes and line ends,
/// Windows line ends, a ragged row, Cyrillic, and (last) a quote never closed.
fn text(rows: usize) -> String {
    let mut text = String::from("id,date,lat,lon,title,notes\r\n");
    for i in 0..rows {
        let row = match i % 6 {
            0 => format!("r{i},2023-09-{:02},42.9,20.9,Clash {i},\"plain, with a comma\"\r\n", i % 28 + 1),
            1 => format!("r{i},2023-09-24,42.8,20.8,\"Quoted \"\"title\"\" {i}\",\"two\nlines, \"\"quoted\"\"\"\n"),
            2 => format!("r{i},2023-10-01,43.0,21.0,Бањска {i},notes {i}\n"),
            3 => format!("r{i},2023-10-02,43.1,21.1,Ragged {i}\n"),
            4 => format!("r{i},2023-13-02,43.1,21.1,Bad date {i},\"a\r\nb\"\n"),
            _ => format!("r{i},1999-01-12,42.9,20.9,\"ends in\ntwo lines\n\",x\n"),
        };
        text.push_str(&row);
    }
    text.push_str("last,2023-09-24,42.9,20.9,\"never closed,\nmore\n");
    text
}

fn read_whole(text: &str) -> ReadRecords {
    let mut read = ReadRecords::default();
    read.problems = read_csv_into(Path::new("export.csv"), text, &[], &mut read);
    read
}

fn read_in_blocks(text: &str, block_bytes: usize) -> Option<ReadRecords> {
    let mut read = ReadRecords::default();
    let mut source = text.as_bytes();
    read.problems = read_csv_in_blocks(Path::new("export.csv"), &mut source, block_bytes, u64::MAX, &[], &mut read)?;
    Some(read)
}

#[test]
fn blocks_read_what_the_whole_text_reads_at_every_block_size() {
    let text = text(300);
    let whole = read_whole(&text);
    assert!(whole.records.len() > 290, "{}", whole.records.len());
    assert!(whole.problems.iter().any(|p| p.to_string().contains("never closed")), "{:?}", whole.problems);
    assert!(whole.problems.iter().any(|p| p.to_string().contains("fields")), "{:?}", whole.problems);
    for block_bytes in [1, 2, 7, 64, 333, 4096, 1 << 20] {
        let blocks = read_in_blocks(&text, block_bytes).expect("UTF-8 text");
        assert_eq!(blocks.format, whole.format, "blocks of {block_bytes}");
        assert_eq!(blocks.records, whole.records, "blocks of {block_bytes}");
        let messages = |read: &ReadRecords| read.problems.iter().map(ToString::to_string).collect::<Vec<_>>();
        assert_eq!(messages(&blocks), messages(&whole), "blocks of {block_bytes}");
    }
}

#[test]
fn a_file_that_is_not_utf8_is_left_to_the_whole_file_reader() {
    let mut bytes = text(50).into_bytes();
    let at = bytes.len() * 2 / 3;
    bytes[at] = 0xE9;
    let mut read = ReadRecords::default();
    let mut source = bytes.as_slice();
    assert!(read_csv_in_blocks(Path::new("x.csv"), &mut source, 64, u64::MAX, &[], &mut read).is_none());
    let utf16 = [0xFF, 0xFE, b'i', 0, b'd', 0];
    let mut source = &utf16[..];
    assert!(read_csv_in_blocks(Path::new("x.csv"), &mut source, 64, u64::MAX, &[], &mut read).is_none());
    // Over the limit (a file that grew while it was read).
    let text = text(50);
    let mut source = text.as_bytes();
    assert!(read_csv_in_blocks(Path::new("x.csv"), &mut source, 64, 1000, &[], &mut read).is_none());
}

#[test]
fn rows_end_only_outside_quotes() {
    let end = |text: &str| after_last_row_end(text.as_bytes(), b',');
    assert_eq!(end("a,b\nc,d\n"), Some(8));
    assert_eq!(end("a,\"b\nc\",d\ne"), Some(10));
    assert_eq!(end("a,\"b\nc"), None);
    assert_eq!(end("a,\"b\"\"\n\"\nx"), Some(9));
    // A quote inside a plain field is only a character.
    assert_eq!(end("a,b\"c\nd"), Some(6));
    // After a lone carriage return a field starts: a quote there opens it.
    assert_eq!(end("a,b\r\"c\nd\"\ne"), Some(10));
}

/// On random text of quotes, delimiters, line ends and letters, the last row end is the last
/// line end that the `csv` crate's quote states (byte by byte) leave outside quotes.
#[test]
fn row_ends_agree_with_the_quote_states_byte_by_byte() {
    let mut seed = 11_u64;
    let mut next = move || {
        seed = seed.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
        usize::try_from(seed >> 33).unwrap()
    };
    for delimiter in [b',', b';', b'\t'] {
        let alphabet = [b'"', b'"', b'\n', b'\r', delimiter, delimiter, b'a', b'b'];
        for _ in 0..3000 {
            let len = next() % 40;
            let bytes: Vec<u8> = (0..len).map(|_| alphabet[next() % alphabet.len()]).collect();
            let text = String::from_utf8(bytes).unwrap();
            let expected = (0..text.len())
                .filter(|&at| text.as_bytes()[at] == b'\n' && !ends_in_open_quote(&text[..at], delimiter))
                .map(|at| at + 1)
                .next_back();
            assert_eq!(after_last_row_end(text.as_bytes(), delimiter), expected, "{text:?}");
        }
    }
}

/// A sheet whose later blocks bring new categories, ids used before (in the same block and in
/// earlier ones), rows without an id, bad dates and coordinates, and repeated and distinct fields.
/// Rows with ids used before (in the same block and earlier), without an id (so made from the
/// row's index), without anything to title them by (titled by that id), with the id another row
/// was given from its index, bad dates and coordinates, and new kinds late.
fn sheet(rows: usize) -> String {
    let mut text = String::from("id,date,lat,lon,title,type,unit,notes\n");
    for i in 0..rows {
        let id = match i % 50 {
            7 | 23 => String::new(),
            11 => format!("r{}", i.saturating_sub(40)),
            13 => format!("r{}", i - 1),
            31 => format!("#{}", i - 24),
            _ => format!("r{i}"),
        };
        let date =
            if i % 61 == 5 { "2023-02-30".to_owned() } else { format!("2023-{:02}-{:02}", i % 12 + 1, i % 28 + 1) };
        let lat = if i % 73 == 9 { "north".to_owned() } else { format!("42.{}", i % 1000) };
        let (title, kind, notes) = if i % 50 == 23 {
            (String::new(), String::new(), String::new())
        } else {
            (format!("Event {i}"), format!("kind {}", i / 90), format!("\"notes, {i}\""))
        };
        text.push_str(&format!("{id},{date},{lat},20.{i},{title},{kind},Unit {},{notes}\n", i % 7));
    }
    text
}

#[test]
fn blocks_built_in_parts_on_all_cores_give_the_events_of_one_build() {
    use crate::io::build::{StreamingBuild, assert_built_alike, build_events};
    let text = sheet(900);
    let path = Path::new("sheet.csv");
    let mut whole_problems = Vec::new();
    let whole = build_events(path, read_whole(&text), &mut whole_problems);
    assert!(whole.events.len() > 800, "{}", whole.events.len());
    assert!(whole.category_keys.len() >= 10, "{:?}", whole.category_keys);
    let messages = |problems: &[Problem]| problems.iter().map(ToString::to_string).collect::<Vec<_>>();
    let whole_messages = messages(&whole_problems);
    for wanted in
        ["duplicate id", "duplicate id \"#857\"", "already uses it; this row was skipped", "2023-02-30", "north"]
    {
        assert!(whole_messages.iter().any(|m| m.contains(wanted)), "{wanted}: {whole_messages:?}");
    }
    // Titled by the id made from the row's index, late in the file.
    assert!(whole.events.iter().any(|e| e.id == "#873" && e.title == "#873"), "no untitled row");
    for block_bytes in [700, 4096, 20_000] {
        let mut streaming = StreamingBuild::with_order_sample(path, 10);
        let mut source = text.as_bytes();
        let read = read_csv_in_blocks(path, &mut source, block_bytes, u64::MAX, &[], &mut streaming).unwrap();
        let mut problems = Vec::new();
        let parts = streaming.finish(read, &mut problems);
        assert_built_alike(&parts, &problems, &whole, &whole_problems, &format!("blocks of {block_bytes}"));
    }
}
