//! Text as it is shown and printed: clipped so a hostile file cannot freeze a layout, cut at
//! character positions, and escaped so it cannot drive a terminal.

use std::borrow::Cow;

/// Longest title, name or id shown whole.
pub const MAX_TITLE_CHARS: usize = 400;
/// Longest summary, note or quote shown whole.
pub const MAX_TEXT_CHARS: usize = 20_000;

/// `text.trim()`, at once for text that starts and ends with a visible ASCII character, as
/// almost every value of a large file does (a million events' ids, titles, dates and categories
/// were trimmed character by character).
pub fn trimmed(text: &str) -> &str {
    match text.as_bytes() {
        [only] if only.is_ascii_graphic() => text,
        [first, .., last] if first.is_ascii_graphic() && last.is_ascii_graphic() => text,
        _ => text.trim(),
    }
}

/// Text cut to at most `max_chars` characters, with "… [N more characters]". The data keeps the
/// whole text; this is only what is laid out or printed.
pub fn clip(text: &str, max_chars: usize) -> Cow<'_, str> {
    match text.char_indices().nth(max_chars) {
        None => Cow::Borrowed(text),
        Some((cut, _)) => Cow::Owned(format!(
            "{}… [{} more characters]",
            text.get(..cut).unwrap_or_default(),
            text.get(cut..).unwrap_or_default().chars().count()
        )),
    }
}

/// Text cut to at most `max_chars` characters with a plain "…": for menus and buttons.
pub fn shorten(text: &str, max_chars: usize) -> Cow<'_, str> {
    match text.char_indices().nth(max_chars) {
        None => Cow::Borrowed(text),
        Some((cut, _)) => Cow::Owned(format!("{}…", text.get(..cut).unwrap_or_default())),
    }
}

/// The substring of `text` between two character positions.
pub fn char_slice(text: &str, start: usize, end: usize) -> Option<&str> {
    if start > end {
        return None;
    }
    let mut positions = text.char_indices().map(|(byte, _)| byte).chain(std::iter::once(text.len()));
    let start_byte = positions.nth(start)?;
    let end_byte = if end == start { start_byte } else { positions.nth(end - start - 1)? };
    text.get(start_byte..end_byte)
}

/// Characters between two checkpoints of a [`CharIndex`].
const CHARS_PER_CHECKPOINT: usize = 1024;

/// Character positions ↔ byte positions of one text, in constant time: the byte offset of every
/// 1024th character, so a citation's character range is found without counting from the start
/// (checking 2,000 citations of a 20 MB source would otherwise take a minute).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct CharIndex {
    checkpoints: Vec<usize>,
    char_count: usize,
}

impl CharIndex {
    /// Indexes `text`.
    pub fn new(text: &str) -> Self {
        let mut checkpoints = Vec::with_capacity(text.len() / CHARS_PER_CHECKPOINT + 1);
        let mut char_count = 0;
        for (byte, _) in text.char_indices() {
            if char_count % CHARS_PER_CHECKPOINT == 0 {
                checkpoints.push(byte);
            }
            char_count += 1;
        }
        Self { checkpoints, char_count }
    }

    /// Number of characters in the text.
    pub fn char_count(&self) -> usize {
        self.char_count
    }

    /// The byte offset of character `position` (the text's length for its end).
    pub fn byte_of(&self, text: &str, position: usize) -> Option<usize> {
        if position == self.char_count {
            return Some(text.len());
        }
        let checkpoint = *self.checkpoints.get(position / CHARS_PER_CHECKPOINT)?;
        let skip = position % CHARS_PER_CHECKPOINT;
        text.get(checkpoint..)?.char_indices().nth(skip).map(|(byte, _)| checkpoint + byte)
    }

    /// The character position of byte offset `byte` (at or just before a character boundary).
    pub fn char_of(&self, text: &str, byte: usize) -> usize {
        let block = self.checkpoints.partition_point(|&b| b <= byte).saturating_sub(1);
        let start = self.checkpoints.get(block).copied().unwrap_or(0);
        let within = text.get(start..byte.min(text.len())).map_or(0, |part| part.chars().count());
        block * CHARS_PER_CHECKPOINT + within
    }

    /// The text between two character positions.
    pub fn slice<'a>(&self, text: &'a str, start: usize, end: usize) -> Option<&'a str> {
        if start > end {
            return None;
        }
        text.get(self.byte_of(text, start)?..self.byte_of(text, end)?)
    }
}

/// Text safe to print to a terminal: control characters (ESC, newlines, carriage returns, BEL …)
/// and Unicode bidirectional overrides are written as visible escapes, so a file name or an id
/// cannot clear the screen, set the window title or forge a line of the report.
pub fn for_terminal(text: &str) -> Cow<'_, str> {
    let unsafe_char = |c: char| c.is_control() || matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}');
    if !text.chars().any(unsafe_char) {
        return Cow::Borrowed(text);
    }
    let mut escaped = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if unsafe_char(c) {
            escaped.extend(c.escape_default());
        } else {
            escaped.push(c);
        }
    }
    Cow::Owned(escaped)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Text is trimmed as `str::trim` trims it, whatever whitespace or script starts or ends it.
    #[test]
    fn text_is_trimmed_as_str_trim_does() {
        let ends = ["", " ", "\t", "\u{b}", "\u{a0}", "\u{3000}", "\n", "x", "é", "!", "\u{7f}", "\u{85}"];
        for start in ends {
            for middle in ["", "a b", " ", "Бањска"] {
                for end in ends {
                    let text = format!("{start}{middle}{end}");
                    assert_eq!(trimmed(&text), text.trim(), "{text:?}");
                }
            }
        }
    }

    #[test]
    fn clipping_counts_characters_not_bytes() {
        assert_eq!(clip("Zvečan", 10), "Zvečan");
        assert_eq!(clip("Zvečan", 4), "Zveč… [2 more characters]");
        assert_eq!(shorten("Zvečan", 3), "Zve…");
        assert_eq!(shorten("abc", 3), "abc");
    }

    #[test]
    fn char_slices() {
        let text = "abc Ünïcode def";
        assert_eq!(char_slice(text, 4, 11), Some("Ünïcode"));
        assert_eq!(char_slice(text, 0, 0), Some(""));
        assert_eq!(char_slice(text, 15, 15), Some(""));
        assert_eq!(char_slice(text, 12, 15), Some("def"));
        assert_eq!(char_slice(text, 12, 16), None);
        assert_eq!(char_slice(text, 5, 4), None);
    }

    #[test]
    fn the_char_index_agrees_with_counting() {
        let text: String = (0..5000).map(|i| if i % 7 == 0 { 'č' } else { 'a' }).collect();
        let index = CharIndex::new(&text);
        assert_eq!(index.char_count(), 5000);
        for (start, end) in [(0, 0), (0, 10), (1023, 1025), (2047, 4097), (4999, 5000), (5000, 5000)] {
            assert_eq!(index.slice(&text, start, end), char_slice(&text, start, end), "{start}..{end}");
            let byte = index.byte_of(&text, start).unwrap();
            assert_eq!(index.char_of(&text, byte), start);
        }
        assert_eq!(index.slice(&text, 10, 5001), None);
    }

    #[test]
    fn terminal_text_cannot_carry_escapes() {
        assert_eq!(for_terminal("plain/path.txt"), "plain/path.txt");
        assert_eq!(for_terminal("a\u{1b}[2Jb\nok: forged"), "a\\u{1b}[2Jb\\nok: forged");
        assert!(!for_terminal("x\u{202E}gnp.exe").contains('\u{202E}'));
    }
}
