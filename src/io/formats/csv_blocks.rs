//! A large delimited file (an ACLED export of a million rows) read block by block, so that its
//! text is never held whole beside the events built from it. Each block ends where its last whole
//! row ends (line ends inside quoted fields do not count), and the next starts there. Rows go to
//! the builder as they are read: should the file turn out not to be UTF-8 text halfway, the
//! reader says so and the caller drops that builder and reads the file whole, so that it is
//! refused whole, with the place of the first bad byte.

use std::borrow::Cow;
use std::io::Read;
use std::path::Path;

use super::columns::ColumnRole;
use super::csv::{delimiter_of, read_csv_blocks};
use super::csv_rows::after_last_row_end;
use crate::io::build::RecordSink;
use crate::io::problem::Problem;
use crate::io::text::{BlockSource, whole_utf8_prefix};

/// Reads the delimited text of `source` into `sink`, a block of about `block_bytes` at a time
/// and at most `limit_bytes` in all. `None` when it could not be read to its end as UTF-8 text:
/// what `sink` was given is then to be dropped, and the file read whole.
pub fn read_csv_in_blocks(
    file: &Path,
    source: &mut (dyn Read + Send),
    block_bytes: usize,
    limit_bytes: u64,
    overrides: &[(ColumnRole, String)],
    sink: &mut dyn RecordSink,
) -> Option<Vec<Problem>> {
    let mut blocks = Blocks {
        source: BlockSource::new(source, block_bytes, limit_bytes),
        carry: Vec::new(),
        delimiter: b',',
        failed: false,
    };
    let first = blocks.first()?;
    let problems = read_csv_blocks(
        file,
        Cow::Owned(first),
        &mut |delimiter, spare| {
            blocks.delimiter = delimiter;
            blocks.next(spare)
        },
        overrides,
        sink,
    );
    (!blocks.failed).then_some(problems)
}

/// Bytes read on end without a row ending in them before the file is left to be read whole.
const MAX_BYTES_WITHOUT_ROW_END: usize = 128 * 1024 * 1024;

/// The blocks of a delimited file, each ending after a whole row.
struct Blocks<'a> {
    source: BlockSource<'a>,
    /// What the last block read beyond its last whole row.
    carry: Vec<u8>,
    delimiter: u8,
    /// Reading stopped before the end: not UTF-8, unreadable, or over the limit.
    failed: bool,
}

impl Blocks<'_> {
    /// The first block, its delimiter sniffed from it.
    fn first(&mut self) -> Option<String> {
        let mut bytes = Vec::new();
        self.read_into(&mut bytes)?;
        if let Some(delimiter) = delimiter_of(whole_utf8_prefix(&bytes)) {
            self.delimiter = delimiter;
        }
        self.cut(bytes)
    }

    /// The next block (in `spare`'s memory, when given), or `None` at the end (or when reading
    /// failed).
    fn next(&mut self, spare: Option<String>) -> Option<String> {
        if (self.source.at_end() && self.carry.is_empty()) || self.failed {
            return None;
        }
        let mut bytes = spare.map(String::into_bytes).unwrap_or_default();
        bytes.clear();
        bytes.append(&mut self.carry);
        if !self.source.at_end() {
            self.read_into(&mut bytes)?;
        }
        self.cut(bytes)
    }

    /// Appends a block's worth of bytes.
    fn read_into(&mut self, bytes: &mut Vec<u8>) -> Option<()> {
        let read = self.source.fill(bytes);
        self.failed |= read.is_none();
        read
    }

    /// `bytes` up to their last whole row as text; the rest is kept for the next block (more is
    /// read while no row ends in them).
    fn cut(&mut self, mut bytes: Vec<u8>) -> Option<String> {
        let end = loop {
            if self.source.at_end() {
                break bytes.len();
            }
            if let Some(end) = after_last_row_end(&bytes, self.delimiter) {
                break end;
            }
            // Blocks on blocks with no row end (a quote never closed, lone carriage returns): this
            // reading saves nothing, and the whole-file reader is left to it.
            if bytes.len() > MAX_BYTES_WITHOUT_ROW_END {
                self.failed = true;
                return None;
            }
            self.read_into(&mut bytes)?;
        };
        self.carry = bytes.split_off(end);
        let text = String::from_utf8(bytes).ok();
        self.failed |= text.is_none();
        text
    }
}

#[cfg(test)]
mod tests;
