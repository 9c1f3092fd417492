//! Tests of the column guesser and overrides.

use super::*;

#[test]
fn guesses_common_names_in_any_case() {
    let mapping = guess(&["\u{feff} Title", "event_date", "lat", "lng", "Type", "Notes", "ID", "URL"]);
    assert_eq!(mapping.title.as_deref(), Some("Title"));
    assert_eq!(mapping.start.as_deref(), Some("event_date"));
    assert_eq!(mapping.lat.as_deref(), Some("lat"));
    assert_eq!(mapping.lon.as_deref(), Some("lng"));
    assert_eq!(mapping.category.as_deref(), Some("Type"));
    assert_eq!(mapping.summary.as_deref(), Some("Notes"));
    assert_eq!(mapping.id.as_deref(), Some("ID"));
    assert_eq!(mapping.source.as_deref(), Some("URL"));
    assert_eq!(mapping.time, None);
    assert_eq!(mapping.end, None);
    // The name Kronika's own exports give it.
    assert_eq!(guess(&["date", "Reported by"]).source.as_deref(), Some("Reported by"));
}

#[test]
fn a_date_wins_over_time_which_becomes_the_time_of_day() {
    let mapping = guess(&["time", "Date", "Latitude", "Longitude", "End Date"]);
    assert_eq!(mapping.start.as_deref(), Some("Date"));
    assert_eq!(mapping.time.as_deref(), Some("time"));
    assert_eq!(mapping.end.as_deref(), Some("End Date"));
    let alone = guess(&["time", "y", "x"]);
    assert_eq!(alone.start.as_deref(), Some("time"));
    assert_eq!(alone.time, None);
    assert_eq!((alone.lat.as_deref(), alone.lon.as_deref()), (Some("y"), Some("x")));
}

#[test]
fn a_description_is_the_title_only_without_a_better_one() {
    let mapping = guess(&["description", "date"]);
    assert_eq!(mapping.title.as_deref(), Some("description"));
    assert_eq!(mapping.summary.as_deref(), Some("description"));
    assert_eq!(guess(&["notes"]).title, None);
    let named = guess(&["name", "description"]);
    assert_eq!(named.title.as_deref(), Some("name"));
    assert_eq!(named.summary.as_deref(), Some("description"));
}

#[test]
fn overrides_parse_and_apply() {
    let overrides = parse_overrides(" start=When it happened , LAT=north,lon=east,").unwrap();
    assert_eq!(
        overrides,
        [
            (ColumnRole::Start, "When it happened".to_owned()),
            (ColumnRole::Lat, "north".to_owned()),
            (ColumnRole::Lon, "east".to_owned())
        ]
    );
    let headers = ["date", "When it happened", "North", "east", "lat"];
    let mut mapping = guess(&headers);
    assert_eq!(mapping.lat.as_deref(), Some("lat"));
    mapping.apply(&overrides, &headers).unwrap();
    assert_eq!(mapping.start.as_deref(), Some("When it happened"));
    assert_eq!(mapping.lat.as_deref(), Some("North"));
    assert_eq!(mapping.lon.as_deref(), Some("east"));
    // A column moved to another role leaves the role it was guessed for.
    let mut moved = guess(&headers);
    moved.apply(&[(ColumnRole::End, "date".to_owned())], &headers).unwrap();
    assert_eq!((moved.start, moved.end.as_deref()), (None, Some("date")));
    assert_eq!(parse_overrides("").unwrap(), []);
}

#[test]
fn bad_overrides_say_what_is_wrong() {
    let error = parse_overrides("start=date,colour=red").unwrap_err();
    assert!(error.contains("`colour`") && error.contains("start, end, time, lat, lon"), "{error}");
    assert!(parse_overrides("start").unwrap_err().contains("`start`"));
    assert!(parse_overrides("lat=").unwrap_err().contains("`lat`"));
    assert!(parse_overrides("lat=a,lat=b").unwrap_err().contains("twice"));
    let headers = ["date", "y", "x"];
    let error = guess(&headers).apply(&[(ColumnRole::Lat, "north".to_owned())], &headers).unwrap_err();
    assert!(error.contains("`north`") && error.contains("`date`, `y`, `x`"), "{error}");
}

#[test]
fn rows_give_trimmed_fields_and_the_rest_as_properties() {
    let headers = vec!["a".to_owned(), String::new(), "c".to_owned()];
    let fields = [" 1 ", "2", "  ", "4"].map(Cow::Borrowed);
    let row = Row { index: 0, line: 2, fields: &fields };
    assert_eq!(row.get(Some(0)), Some("1"));
    assert_eq!((row.get(Some(2)), row.get(Some(9)), row.get(None)), (None, None, None));
    let columns = PropertyColumns::new(&headers, &[Some(0)]);
    let properties = columns.of(&row);
    assert_eq!(properties, [("column_2".into(), "2".into()), ("column_4".into(), "4".into())]);
}

#[test]
fn titles_are_a_first_sentence_cut_at_a_word() {
    assert_eq!(title_from_text("Shelling at dawn. Two killed."), "Shelling at dawn");
    assert_eq!(title_from_text("Who fired? Nobody knows"), "Who fired?");
    assert_eq!(title_from_text("  One line\nsecond line"), "One line");
    assert_eq!(title_from_text("Version 2.5 released"), "Version 2.5 released");
    let long = "word ".repeat(40);
    let title = title_from_text(&long);
    assert!(title.chars().count() <= MAX_TITLE_CHARS && title.ends_with("word…"), "{title}");
    assert_eq!(cut_at_word(&"x".repeat(200), 10), format!("{}…", "x".repeat(9)));
    assert_eq!(cut_at_word("short", 10), "short");
    assert_eq!(cut_at_word("exactly10!", 10), "exactly10!");
    assert_eq!(title_from_text(""), "");
}

/// The sentence found by bytes is the one found character by character: marks before any kind
/// of blank (a no-break space too), inside numbers and words, at the end, after other scripts.
#[test]
fn titles_found_by_bytes_match_a_reading_by_characters() {
    fn by_characters(text: &str) -> String {
        let first_line = text.trim().lines().next().unwrap_or_default().trim();
        let mut sentence = first_line;
        let mut chars = first_line.char_indices().peekable();
        while let Some((at, c)) = chars.next() {
            let at_end = chars.peek().is_none_or(|(_, next)| next.is_whitespace());
            if matches!(c, '.' | '!' | '?') && at_end {
                let end = if c == '.' { at } else { at + c.len_utf8() };
                sentence = first_line.get(..end).unwrap_or(first_line);
                break;
            }
        }
        let sentence = sentence.trim();
        let count = sentence.chars().count();
        if count <= MAX_TITLE_CHARS { sentence.to_owned() } else { cut_at_word(sentence, MAX_TITLE_CHARS).into_owned() }
    }
    let pieces = ["a", "é", "Кос", ".", "!", "?", " ", "\u{a0}", "\n", "2.5", "…", "word ", "Ω."];
    let mut seed = 5_u64;
    for _ in 0..5000 {
        let mut text = String::new();
        for _ in 0..(seed % 40) {
            seed = seed.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
            text.push_str(pieces[usize::try_from(seed >> 33).unwrap() % pieces.len()]);
        }
        seed = seed.wrapping_add(7);
        assert_eq!(title_from_text(&text), by_characters(&text), "{text:?}");
    }
    let long = "ö".repeat(MAX_TITLE_CHARS) + "x";
    assert_eq!(title_from_text(&long), by_characters(&long));
}

/// Cutting at a word counts characters, whatever the script: the same cuts as a count of every
/// character, on random ASCII, accented, Cyrillic and emoji text around the limit.
#[test]
fn cuts_at_words_count_characters_in_any_script() {
    let by_chars = |text: &str, max_chars: usize| -> String {
        if text.chars().count() <= max_chars {
            return text.to_owned();
        }
        let limit = text.char_indices().nth(max_chars - 1).map_or(text.len(), |(at, _)| at);
        let head = &text[..limit];
        let cut = match head.rfind(char::is_whitespace) {
            Some(blank) if blank * 2 >= limit => &head[..blank],
            _ => head,
        };
        format!("{}…", cut.trim_end_matches(|c: char| c.is_whitespace() || matches!(c, ',' | ';' | ':')))
    };
    let pieces = ["word", " ", "é", "Бањска", "😀", ",", "\u{b}", "a", "  "];
    let mut seed = 11_u64;
    for _ in 0..5000 {
        seed = seed.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
        let count = usize::try_from(seed >> 58).unwrap_or(0) + 1;
        let mut text = String::new();
        let mut state = seed;
        while text.chars().count() < count * 3 {
            state = state.rotate_left(7) ^ 0x9e37_79b9;
            text.push_str(pieces[usize::try_from(state % 9).unwrap_or(0)]);
        }
        for max_chars in [count, count + 1, count * 2, 12] {
            assert_eq!(cut_at_word(&text, max_chars), by_chars(&text, max_chars), "{text:?} {max_chars}");
        }
    }
}
