//! Text as it is shown and printed: clipped so a hostile file cannot freeze a layout, cut at
//! character positions, and escaped so it cannot drive a terminal.

use std::borrow::Cow;

/// Longest title, name or id shown whole.
pub const MAX_TITLE_CHARS: usize = 400;
/// Longest summary, note or quote shown whole.
pub const MAX_TEXT_CHARS: usize = 20_000;

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
    fn terminal_text_cannot_carry_escapes() {
        assert_eq!(for_terminal("plain/path.txt"), "plain/path.txt");
        assert_eq!(for_terminal("a\u{1b}[2Jb\nok: forged"), "a\\u{1b}[2Jb\\nok: forged");
        assert!(!for_terminal("x\u{202E}gnp.exe").contains('\u{202E}'));
    }
}
