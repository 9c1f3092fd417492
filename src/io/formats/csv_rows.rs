//! The rows of a delimited text, each with its line, split as the `csv` crate splits them (RFC
//! 4180 quotes, doubled to escape; a quote opens a field only at its start; `\r`, `\n` or both
//! end a row; blank lines are skipped; a row may have any number of fields), its fields lent from
//! the text where they have no doubled quote. A row whose quote is never closed is reported and
//! reading starts again on its next line. Also where a block of a file read in blocks may end:
//! after the last row it holds whole.

use std::borrow::Cow;

use crate::io::text::count_newlines;

/// Times reading starts again after an unclosed quote, before the rest of the file is given up.
const MAX_RESTARTS: usize = 1000;

/// A row as read (its line and fields), or why it could not be (its line and the problem).
pub(super) type RowRead = Result<(usize, Vec<String>), (usize, UnclosedQuote)>;
/// A row as [`Rows::next_row`] lends it: its line and fields, or where it starts and why it could
/// not be read.
pub(super) type RowLent<'r, 'a> = Result<(usize, &'r [Cow<'a, str>]), (usize, UnclosedQuote)>;

/// Why a row could not be read: a quote opened in it is never closed (a text's every row is
/// otherwise read, as the text is UTF-8 already).
pub(super) struct UnclosedQuote {
    /// The line reading went on at, if it could.
    pub(super) resumed_at_line: Option<usize>,
}

/// The records of a text in order, the header first. A record whose quote is never closed would
/// swallow the rest of the file: it is reported, and reading starts again on its next line.
pub(super) struct Rows<'a> {
    text: &'a str,
    /// Lines before `text` in the file (when it is one block of a file read in blocks).
    lines_before: usize,
    /// The delimiter (ASCII: a comma, semicolon, tab or bar).
    delimiter: u8,
    /// The last offset whose line was asked for, and that line: rows are met in order, so each
    /// line is counted on from the last one's.
    counted: (usize, usize),
    /// Where the next row is looked for; `None` once reading has stopped.
    at: Option<usize>,
    fields: Vec<Cow<'a, str>>,
    restarts: usize,
}

/// A quoted field that is never closed.
struct OpenQuote;

impl<'a> Rows<'a> {
    /// The rows of `text`, which comes after `lines_before` lines of its file.
    pub(super) fn new(text: &'a str, delimiter: u8, lines_before: usize) -> Self {
        Self { text, lines_before, delimiter, counted: (0, 1), at: Some(0), fields: Vec::new(), restarts: 0 }
    }

    /// Reads on from the line after `start`, or stops when there is none (or after too many restarts).
    fn restart_after(&mut self, start: usize) -> Option<usize> {
        self.at = None;
        let next = start + self.text.get(start..)?.find('\n')? + 1;
        if next >= self.text.len() || self.restarts >= MAX_RESTARTS {
            return None;
        }
        self.restarts += 1;
        self.at = Some(next);
        Some(self.lines_before + self.line_of(next))
    }

    /// The line (1-based, within `text`) of a byte offset.
    fn line_of(&mut self, offset: usize) -> usize {
        let (from, line) = if offset >= self.counted.0 { self.counted } else { (0, 1) };
        let between = self.text.as_bytes().get(from..offset).unwrap_or_default();
        let line = line + count_newlines(between);
        self.counted = (offset, line);
        line
    }

    /// Splits the row starting at `start` into `self.fields`; where the next row is looked for.
    fn split(&mut self, start: usize) -> Result<usize, OpenQuote> {
        let (text, delimiter) = (self.text, self.delimiter);
        let bytes = text.as_bytes();
        // Every position cut at is an ASCII byte's or the text's end: a character boundary.
        let part = |from: usize, to: usize| text.get(from..to).unwrap_or_default();
        let field_end = |from: usize| {
            bytes
                .get(from..)
                .and_then(|rest| memchr::memchr3(delimiter, b'\n', b'\r', rest))
                .map_or(bytes.len(), |at| from + at)
        };
        let mut at = start;
        loop {
            let field = if bytes.get(at) == Some(&b'"') {
                // Quoted: to the quote not doubled; what follows it, to the field's end, is kept
                // as written.
                let mut owned: Option<String> = None;
                let mut piece = at + 1;
                loop {
                    let quote = bytes.get(piece..).and_then(|rest| memchr::memchr(b'"', rest)).ok_or(OpenQuote)?;
                    let quote = piece + quote;
                    if bytes.get(quote + 1) == Some(&b'"') {
                        owned.get_or_insert_with(String::new).push_str(part(piece, quote + 1));
                        piece = quote + 2;
                        continue;
                    }
                    let after = field_end(quote + 1);
                    let field = match owned {
                        None if after == quote + 1 => Cow::Borrowed(part(piece, quote)),
                        owned => {
                            let mut owned = owned.unwrap_or_default();
                            owned.push_str(part(piece, quote));
                            owned.push_str(part(quote + 1, after));
                            Cow::Owned(owned)
                        }
                    };
                    at = after;
                    break field;
                }
            } else {
                let end = field_end(at);
                let field = Cow::Borrowed(part(at, end));
                at = end;
                field
            };
            self.fields.push(field);
            match bytes.get(at) {
                Some(&byte) if byte == delimiter => at += 1,
                // A line end ends the row (the next row's search skips any more).
                Some(_) => return Ok(at + 1),
                None => return Ok(at),
            }
        }
    }
}

impl<'a> Rows<'a> {
    /// Reads the next row into the rows' fields: its line, or where it starts and why it could
    /// not be read.
    fn advance(&mut self) -> Option<Result<usize, (usize, UnclosedQuote)>> {
        let from = self.at?;
        // Blank lines are no rows.
        let skipped = self.text.get(from..).map_or(0, |rest| rest.len() - rest.trim_start_matches(['\r', '\n']).len());
        let start = from + skipped;
        if start >= self.text.len() {
            self.at = None;
            return None;
        }
        let line = self.lines_before + self.line_of(start);
        self.fields.clear();
        if let Ok(next) = self.split(start) {
            self.at = Some(next);
            Some(Ok(line))
        } else {
            let resumed_at_line = self.restart_after(start);
            Some(Err((line, UnclosedQuote { resumed_at_line })))
        }
    }

    /// The next row (its line and fields, borrowed until the next call), or where it starts and
    /// why it could not be read.
    pub(super) fn next_row(&mut self) -> Option<RowLent<'_, 'a>> {
        Some(self.advance()?.map(|line| (line, self.fields.as_slice())))
    }
}

impl Iterator for Rows<'_> {
    type Item = RowRead;

    fn next(&mut self) -> Option<RowRead> {
        Some(self.advance()?.map(|line| (line, self.fields.iter().map(ToString::to_string).collect())))
    }
}

#[cfg(test)]
/// Whether a record's text, read to its end, is still inside a quoted field: the state machine of
/// the `csv` crate's reader (RFC 4180 quotes, doubled to escape; a quote opens a field only at its
/// start), reduced to the quote states.
pub(super) fn ends_in_open_quote(text: &str, delimiter: u8) -> bool {
    text.bytes().fold(Quoting::FieldStart, |state, byte| state.after(byte, delimiter)) == Quoting::InQuotes
}

/// Where the quote state machine is.
#[cfg(test)]
#[derive(Clone, Copy, PartialEq, Eq)]
enum Quoting {
    FieldStart,
    InField,
    InQuotes,
    QuoteInQuotes,
}

#[cfg(test)]
impl Quoting {
    fn after(self, byte: u8, delimiter: u8) -> Self {
        let ends_field = byte == delimiter || byte == b'\n' || byte == b'\r';
        match (self, byte) {
            // A quote opens a field only at its start; in quotes, a doubled one stands for itself.
            (Self::InQuotes, b'"') => Self::QuoteInQuotes,
            (Self::FieldStart | Self::QuoteInQuotes, b'"') | (Self::InQuotes, _) => Self::InQuotes,
            _ if ends_field => Self::FieldStart,
            _ => Self::InField,
        }
    }
}

/// Just past the last line end in `bytes` (which start at a row's start) that ends a row rather
/// than sitting inside a quoted field; `None` when no row ends in them. Only quotes and line ends
/// are visited: outside quotes, a quote opens a field when the byte before it ends a field (or
/// it is the first); inside, the next quote closes it unless another follows.
pub(super) fn after_last_row_end(bytes: &[u8], delimiter: u8) -> Option<usize> {
    let mut last = None;
    let mut at = 0;
    loop {
        let rest = bytes.get(at..)?;
        let Some(found) = memchr::memchr2(b'"', b'\n', rest) else { return last };
        let position = at + found;
        at = position + 1;
        if bytes.get(position) == Some(&b'\n') {
            last = Some(at);
            continue;
        }
        let opens = position
            .checked_sub(1)
            .and_then(|before| bytes.get(before))
            .is_none_or(|&before| before == delimiter || before == b'\n' || before == b'\r');
        if !opens {
            continue;
        }
        // In quotes to the closing one: a doubled quote stands for itself.
        loop {
            let Some(close) = bytes.get(at..).and_then(|rest| memchr::memchr(b'"', rest)) else { return last };
            at += close + 1;
            if bytes.get(at) == Some(&b'"') {
                at += 1;
            } else {
                break;
            }
        }
    }
}

#[cfg(test)]
mod tests;
