//! The rows of a delimited text as the `csv` crate reads them, each with its line: a row whose
//! quote is never closed is reported and reading starts again on its next line. Also where a
//! block of a file read in blocks may end: after the last row it holds whole.

use ::csv::{ReaderBuilder, StringRecord};

use crate::io::problem::ProblemKind;
use crate::io::text::count_newlines;

/// Times reading starts again after an unclosed quote, before the rest of the file is given up.
const MAX_RESTARTS: usize = 1000;

/// A row as read (its line and fields), or why it could not be (its line and the problem).
pub(super) type RowRead = Result<(usize, StringRecord), (usize, RowError)>;
/// A row as [`Rows::next_row`] lends it: its line and fields, or where it starts and why it could
/// not be read.
pub(super) type RowLent<'r> = Result<(usize, &'r StringRecord), (usize, RowError)>;

/// Why a row could not be read.
pub(super) enum RowError {
    /// A quote opened in the row is never closed; reading went on at this line, if it could.
    UnclosedQuote { resumed_at_line: Option<usize> },
    /// Anything else.
    Other(ProblemKind),
}

/// The records of a text in order, the header first. A record whose quote is never closed would
/// swallow the rest of the file: it is reported, and reading starts again on its next line.
pub(super) struct Rows<'a> {
    text: &'a str,
    /// Lines before `text` in the file (when it is one block of a file read in blocks).
    lines_before: usize,
    delimiter: u8,
    /// The last offset whose line was asked for, and that line: rows are met in order, so each
    /// line is counted on from the last one's.
    counted: (usize, usize),
    /// Where in `text` the current reader started.
    from: usize,
    reader: Option<::csv::Reader<&'a [u8]>>,
    record: StringRecord,
    restarts: usize,
}

impl<'a> Rows<'a> {
    /// The rows of `text`, which comes after `lines_before` lines of its file.
    pub(super) fn new(text: &'a str, delimiter: u8, lines_before: usize) -> Self {
        let mut rows = Self {
            text,
            lines_before,
            delimiter,
            counted: (0, 1),
            from: 0,
            reader: None,
            record: StringRecord::new(),
            restarts: 0,
        };
        rows.start_at(0);
        rows
    }

    fn start_at(&mut self, from: usize) {
        self.from = from;
        self.reader = self.text.get(from..).map(|rest| {
            ReaderBuilder::new()
                .delimiter(self.delimiter)
                .has_headers(false)
                .flexible(true)
                .from_reader(rest.as_bytes())
        });
    }

    /// Reads on from the line after `start`, or stops when there is none (or after too many restarts).
    fn restart_after(&mut self, start: usize) -> Option<usize> {
        let next = start + self.text.get(start..)?.find('\n')? + 1;
        if next >= self.text.len() || self.restarts >= MAX_RESTARTS {
            self.reader = None;
            return None;
        }
        self.restarts += 1;
        self.start_at(next);
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

    /// Byte offset in `text` of the reader's position `byte`.
    fn offset(&self, byte: u64) -> usize {
        self.from.saturating_add(usize::try_from(byte).unwrap_or(usize::MAX)).min(self.text.len())
    }
}

impl Rows<'_> {
    /// Reads the next row into the rows' record: its line, or where it starts and why it could
    /// not be read.
    fn advance(&mut self) -> Option<Result<usize, (usize, RowError)>> {
        let reader = self.reader.as_mut()?;
        let before = reader.position().byte();
        let outcome = reader.read_record(&mut self.record);
        let after = reader.position().byte();
        // The reader's position is where the last record ended: skip blank lines to this one's start.
        let start = self.offset(before);
        let start =
            start + self.text.get(start..).map_or(0, |rest| rest.len() - rest.trim_start_matches(['\r', '\n']).len());
        let line = self.lines_before + self.line_of(start);
        match outcome {
            Ok(false) => {
                self.reader = None;
                None
            }
            Ok(true) => {
                let reached_end = self.offset(after) >= self.text.len();
                if reached_end && ends_in_open_quote(self.text.get(start..).unwrap_or_default(), self.delimiter) {
                    let resumed_at_line = self.restart_after(start);
                    return Some(Err((line, RowError::UnclosedQuote { resumed_at_line })));
                }
                Some(Ok(line))
            }
            Err(error) => {
                if let ::csv::ErrorKind::Utf8 { err, .. } = error.kind() {
                    let kind = ProblemKind::NotUtf8(format!("field {} of the row is not valid UTF-8", err.field() + 1));
                    return Some(Err((line, RowError::Other(kind))));
                }
                self.reader = None;
                Some(Err((line, RowError::Other(ProblemKind::Unreadable(error.to_string())))))
            }
        }
    }

    /// The next row (its line and fields, borrowed until the next call: no copy), or where it
    /// starts and why it could not be read.
    pub(super) fn next_row(&mut self) -> Option<RowLent<'_>> {
        Some(self.advance()?.map(|line| (line, &self.record)))
    }
}

impl Iterator for Rows<'_> {
    type Item = RowRead;

    fn next(&mut self) -> Option<RowRead> {
        Some(self.advance()?.map(|line| (line, self.record.clone())))
    }
}

/// Whether a record's text, read to its end, is still inside a quoted field: the state machine of
/// the `csv` crate's reader (RFC 4180 quotes, doubled to escape; a quote opens a field only at its
/// start), reduced to the quote states.
pub(super) fn ends_in_open_quote(text: &str, delimiter: u8) -> bool {
    text.bytes().fold(Quoting::FieldStart, |state, byte| state.after(byte, delimiter)) == Quoting::InQuotes
}

/// Where the quote state machine is.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Quoting {
    FieldStart,
    InField,
    InQuotes,
    QuoteInQuotes,
}

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
