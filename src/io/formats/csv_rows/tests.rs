use ::csv::{ReaderBuilder, StringRecord};

use super::*;

/// Each row read: its line and fields, or its line and the line reading went on at.
type ReadRows = Vec<Result<(usize, Vec<String>), (usize, Option<usize>)>>;

/// Every row as the `csv` crate reads `text` (the reader these rows replaced, kept here as their
/// reference): its line and fields, or, for a row whose quote is never closed, its line and the
/// line reading went on at, reading started again on the next line.
fn by_the_csv_crate(text: &str, delimiter: u8) -> ReadRows {
    let line_of = |offset: usize| 1 + count_newlines(&text.as_bytes()[..offset]);
    let mut rows = Vec::new();
    let mut from = 0;
    let mut restarts = 0;
    'restart: loop {
        let rest = &text[from..];
        let mut reader =
            ReaderBuilder::new().delimiter(delimiter).has_headers(false).flexible(true).from_reader(rest.as_bytes());
        let mut record = StringRecord::new();
        loop {
            let before = from + usize::try_from(reader.position().byte()).unwrap();
            let more = reader.read_record(&mut record).unwrap();
            let after = from + usize::try_from(reader.position().byte()).unwrap();
            let start = before + text[before..].len() - text[before..].trim_start_matches(['\r', '\n']).len();
            if !more {
                return rows;
            }
            if after >= text.len() && ends_in_open_quote(&text[start..], delimiter) {
                let next = text[start..].find('\n').map(|at| start + at + 1).filter(|&next| next < text.len());
                let next = next.filter(|_| restarts < MAX_RESTARTS);
                rows.push(Err((line_of(start), next.map(line_of))));
                let Some(next) = next else { return rows };
                restarts += 1;
                from = next;
                continue 'restart;
            }
            rows.push(Ok((line_of(start), record.iter().map(str::to_owned).collect())));
        }
    }
}

fn by_these_rows(text: &str, delimiter: u8) -> ReadRows {
    let mut rows = Rows::new(text, delimiter, 0);
    let mut read = Vec::new();
    while let Some(row) = rows.next_row() {
        read.push(match row {
            Ok((line, fields)) => Ok((line, fields.iter().map(ToString::to_string).collect())),
            Err((line, UnclosedQuote { resumed_at_line })) => Err((line, resumed_at_line)),
        });
    }
    read
}

/// Random texts of quotes, delimiters, line ends (`\n`, `\r\n`, a lone `\r`), blanks and
/// multi-byte letters: split into the same rows, fields and lines as the `csv` crate splits them,
/// with the same unclosed quotes reported and the same lines read on from.
#[test]
fn rows_are_the_csv_crate_s_rows() {
    let pieces = ["a", "bc", "\"", "\"\"", ",", ";", "\n", "\r\n", "\r", " ", "é", "Бањска", "😀", "\t"];
    let mut seed = 5_u64;
    for round in 0..20_000 {
        let mut text = String::new();
        seed = seed.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
        let length = usize::try_from(seed >> 59).unwrap_or(0) + 1;
        let mut state = seed;
        for _ in 0..length * 2 {
            state = state.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
            text.push_str(pieces[usize::try_from(state >> 33).unwrap_or(0) % pieces.len()]);
        }
        let delimiter = if round % 3 == 0 { b';' } else { b',' };
        assert_eq!(by_these_rows(&text, delimiter), by_the_csv_crate(&text, delimiter), "{text:?}");
    }
}

/// Fields without a doubled quote, or with nothing after their closing quote, are lent from the
/// text, not copied.
#[test]
fn plain_and_quoted_fields_are_lent() {
    let text = "a,\"b,c\",\"d\"\"e\",\"f\"g\n";
    let mut rows = Rows::new(text, b',', 0);
    let Some(Ok((1, fields))) = rows.next_row() else { panic!("a row") };
    let lent: Vec<bool> = fields.iter().map(|field| matches!(field, Cow::Borrowed(_))).collect();
    assert_eq!(lent, [true, true, false, false]);
    let texts: Vec<&str> = fields.iter().map(AsRef::as_ref).collect();
    assert_eq!(texts, ["a", "b,c", "d\"e", "fg"]);
}
