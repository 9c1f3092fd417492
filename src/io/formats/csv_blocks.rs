//! A large delimited file (an ACLED export of a million rows) read block by block, so that its
//! text is never held whole beside the events built from it. The file is first checked to be
//! UTF-8 throughout (a streaming pass), since rows go to the builder as they are read and a file
//! found not to be text halfway could not be refused whole. Each block then ends where its last
//! whole row ends (line ends inside quoted fields do not count), and the next starts there.

use std::io::Read;
use std::path::Path;

use super::columns::ColumnRole;
use super::csv::{delimiter_of, read_csv_blocks};
use super::csv_rows::after_last_row_end;
use crate::io::build::RecordSink;
use crate::io::problem::{Location, Problem, ProblemKind};

/// Reads the delimited text of `source` into `sink`, a block of about `block_bytes` at a time
/// and at most `limit_bytes` in all, after checking (through `check`, a second reader of the same
/// file) that it is all UTF-8.
/// `None`, with nothing sent to `sink`, when it is not: the caller then reads the file whole,
/// and its reader says where and why.
pub fn read_csv_in_blocks(
    file: &Path,
    check: &mut dyn Read,
    source: &mut dyn Read,
    block_bytes: usize,
    limit_bytes: u64,
    overrides: &[(ColumnRole, String)],
    sink: &mut dyn RecordSink,
) -> Option<Vec<Problem>> {
    let block_bytes = block_bytes.max(1);
    if !is_utf8(check, block_bytes) {
        return None;
    }
    let mut blocks = Blocks {
        source,
        block_bytes,
        limit_bytes,
        read: 0,
        carry: Vec::new(),
        at_end: false,
        delimiter: b',',
        failed: None,
    };
    let first = blocks.first()?;
    let mut problems = read_csv_blocks(
        file,
        &first,
        &mut |delimiter| {
            blocks.delimiter = delimiter;
            blocks.next()
        },
        overrides,
        sink,
    );
    if let Some(kind) = blocks.failed {
        problems.push(Problem::error(Location { file: file.to_path_buf(), ..Location::default() }, kind));
    }
    Some(problems)
}

/// Whether everything `source` gives is UTF-8 (and not UTF-16 with its byte order mark).
fn is_utf8(source: &mut dyn Read, block_bytes: usize) -> bool {
    let mut buffer = Vec::with_capacity(block_bytes);
    let mut first = true;
    loop {
        let Ok(read) = source.take(u64::try_from(block_bytes).unwrap_or(u64::MAX)).read_to_end(&mut buffer) else {
            return false;
        };
        if first && (buffer.starts_with(&[0xFF, 0xFE]) || buffer.starts_with(&[0xFE, 0xFF])) {
            return false;
        }
        first = false;
        let at_end = read < block_bytes;
        match std::str::from_utf8(&buffer) {
            Ok(_) => buffer.clear(),
            // A character cut by the block's end: its first bytes go on to the next.
            Err(error) if error.error_len().is_none() && !at_end => {
                buffer.drain(..error.valid_up_to());
            }
            Err(_) => return false,
        }
        if at_end {
            return true;
        }
    }
}

/// The blocks of a delimited file, each ending after a whole row.
struct Blocks<'a> {
    source: &'a mut dyn Read,
    block_bytes: usize,
    limit_bytes: u64,
    /// Bytes read so far.
    read: u64,
    /// What the last block read beyond its last whole row.
    carry: Vec<u8>,
    at_end: bool,
    delimiter: u8,
    /// Why reading stopped early (the file changed while it was read).
    failed: Option<ProblemKind>,
}

impl Blocks<'_> {
    /// The first block, its delimiter sniffed from it.
    fn first(&mut self) -> Option<String> {
        let mut bytes = Vec::new();
        self.read_into(&mut bytes)?;
        let head = std::str::from_utf8(&bytes).map_or_else(|error| error.valid_up_to(), str::len);
        if let Some(delimiter) = delimiter_of(std::str::from_utf8(bytes.get(..head)?).ok()?) {
            self.delimiter = delimiter;
        }
        self.cut(bytes)
    }

    /// The next block, or `None` at the end (or when reading failed).
    fn next(&mut self) -> Option<String> {
        if (self.at_end && self.carry.is_empty()) || self.failed.is_some() {
            return None;
        }
        let mut bytes = std::mem::take(&mut self.carry);
        if !self.at_end {
            self.read_into(&mut bytes)?;
        }
        self.cut(bytes)
    }

    /// Appends a block's worth of bytes.
    fn read_into(&mut self, bytes: &mut Vec<u8>) -> Option<()> {
        let want = u64::try_from(self.block_bytes).ok()?;
        match self.source.take(want).read_to_end(bytes) {
            Ok(read) => {
                self.at_end = read < self.block_bytes;
                self.read += u64::try_from(read).ok()?;
                if self.read > self.limit_bytes {
                    // It grew while it was read.
                    self.failed = Some(ProblemKind::TooLarge { size_bytes: self.read, limit_bytes: self.limit_bytes });
                    return None;
                }
                Some(())
            }
            Err(error) => {
                self.failed = Some(ProblemKind::Unreadable(error.to_string()));
                None
            }
        }
    }

    /// `bytes` up to their last whole row as text; the rest is kept for the next block (more is
    /// read while no row ends in them).
    fn cut(&mut self, mut bytes: Vec<u8>) -> Option<String> {
        let end = loop {
            if self.at_end {
                break bytes.len();
            }
            if let Some(end) = after_last_row_end(&bytes, self.delimiter) {
                break end;
            }
            self.read_into(&mut bytes)?;
        };
        self.carry = bytes.split_off(end);
        let text = String::from_utf8(bytes).ok();
        if text.is_none() {
            self.failed = Some(ProblemKind::Unreadable(
                "the file changed while it was read (it is no longer UTF-8 text); the rest was not read".into(),
            ));
        }
        text
    }
}

#[cfg(test)]
mod tests;
