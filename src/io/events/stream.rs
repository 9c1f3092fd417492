//! A large FeatureCollection read block by block: the features of each block are split and
//! parsed on all cores as soon as it is read, then the block's text is let go, so a file's text
//! and all its events are never held at once (a million events with twenty fields each: 0.6 GB of
//! text, 0.4 GB of events).
//!
//! The scan of what has been read stops at the first element the text does not hold whole; that
//! element starts the next block. Anything in doubt (a member of the collection that does not fit
//! the first block, text that is not UTF-8, a feature that is not valid JSON, an array that never
//! closes, a collection serde would not read) declines, and the caller reads the whole file, whose
//! reader explains what is wrong. Problems keep their feature index and line.

use std::io::Read;
use std::path::Path;

use super::assemble::{JoinedEvents, ParsedEvents, locate};
use super::chunks::{ChunkOutcome, parse_in_parallel};
use super::elements::{Elements, ElementsEnd, scan_elements_on_all_cores};
use super::feature::{EventFileMode, parse_feature};
use super::raw::RawCollection;
use super::split::features_array_start;
use crate::io::problem::Problem;
use crate::io::text::{BlockSource, checked_utf8, count_newlines, offset_in, whole_utf8_prefix};

/// Bytes read at a time (in unit tests, a few hundred features' worth).
#[cfg(not(test))]
pub const BLOCK_BYTES: usize = 32 * 1024 * 1024;
#[cfg(test)]
pub const BLOCK_BYTES: usize = 64 * 1024;
/// The first block of Kronika-shaped features: blocks double from this size up to the
/// block size asked for, so that parsing begins after a few milliseconds of reading (about 20,000
/// features, enough for every core). Other tools' features are read in whole blocks: their first
/// block decides the fields.
#[cfg(not(test))]
const FIRST_BLOCK_BYTES: usize = 4 * 1024 * 1024;
#[cfg(test)]
const FIRST_BLOCK_BYTES: usize = 8 * 1024;
/// The members of the collection before its features must be within this many bytes.
const HEAD_LIMIT_BYTES: usize = 1024 * 1024;

/// Reads the collection from `source` in blocks of `block_bytes`, refusing more than
/// `limit_bytes`. `None` (nothing pushed to `problems`) when it declines: the caller then reads
/// the whole file.
pub fn parse_in_blocks(
    file: &Path,
    source: &mut (dyn Read + Send),
    block_bytes: usize,
    limit_bytes: u64,
    mode: EventFileMode,
    problems: &mut Vec<Problem>,
) -> Option<ParsedEvents> {
    let mut outcomes: Vec<ChunkOutcome> = Vec::new();
    let mut joined = JoinedEvents::default();
    // A block's events join the others while the next block is parsed (joining is the one step
    // of a block no other core shares).
    let mut parsed_before: Vec<ChunkOutcome> = Vec::new();
    // The line each feature starts on, for the duplicate ids found once every block is read.
    let mut feature_lines: Vec<u32> = Vec::new();
    let sizes = BlockSizes { first: FIRST_BLOCK_BYTES, most: block_bytes, scan_ahead: false };
    let skeleton = for_each_block(source, sizes, limit_bytes, &mut |block| {
        feature_lines.extend_from_slice(block.lines);
        let (mut parsed, ()) = rayon::join(
            || parse_in_parallel(file, block.text, block.features, block.first_index, mode, parse_feature),
            || joined.absorb_all(&mut parsed_before),
        );
        // The block before's vectors are let go: their memory serves the block after this one
        // (a block's parsed events are held one block longer: 1M plain events peak as before,
        // 269-276 MiB).
        outcomes.append(&mut parsed_before);
        if parsed.iter().any(|outcome| outcome.not_json) {
            return None;
        }
        for outcome in &mut parsed {
            locate_lines(outcome, &feature_lines);
        }
        parsed_before = parsed;
        Some(())
    })?;
    joined.absorb_all(&mut parsed_before);
    outcomes.append(&mut parsed_before);
    let collection: RawCollection<'_> = serde_json::from_str(&skeleton).ok()?;
    if collection.kind.map(|kind| kind.to_string()).as_deref() != Some("FeatureCollection") {
        return None;
    }
    let mut line_of = |index: usize, _offset: Option<usize>| feature_lines.get(index).map(|&line| line as usize);
    Some(locate(file, outcomes, joined, &mut line_of, problems).join())
}

/// The features of one block of a collection read in blocks.
pub struct FeatureBlock<'a> {
    /// The block's text.
    pub text: &'a str,
    /// Its features' raw text, in order.
    pub features: &'a [&'a str],
    /// The index of its first feature in the collection.
    pub first_index: usize,
    /// The line each of its features starts on.
    pub lines: &'a [u32],
    /// It is the collection's last block.
    pub last: bool,
}

/// How large the blocks of a file are read.
#[derive(Clone, Copy, Debug)]
pub struct BlockSizes {
    /// The first block's size; each next block is twice the one before, up to `most`.
    pub first: usize,
    /// The largest block.
    pub most: usize,
    /// Whether the next block is also checked and scanned while this one's features are handed
    /// on: worth it when handing them on takes the longer (other tools' features, each built into
    /// a record), not for Kronika's plain features (parsed about as fast as a block is scanned).
    pub scan_ahead: bool,
}

impl BlockSizes {
    /// Every block of `bytes`, the next scanned while this one's features are handed on.
    pub fn all(bytes: usize) -> Self {
        Self { first: bytes, most: bytes, scan_ahead: true }
    }
}

/// Reads a FeatureCollection from `source` in blocks of `sizes` (at most `limit_bytes` in
/// all), handing each block's features to `each` while the next block is read. Returns the
/// collection with its `features` emptied, for serde to read its other members. `None` when in
/// doubt, or when `each` says so: `each` may have been handed blocks by then.
pub fn for_each_block(
    source: &mut (dyn Read + Send),
    sizes: BlockSizes,
    limit_bytes: u64,
    each: &mut (dyn FnMut(FeatureBlock<'_>) -> Option<()> + Send),
) -> Option<String> {
    let mut reader = BlockSource::new(source, sizes.most, limit_bytes).growing_from(sizes.first);
    let mut buffer = Vec::new();
    // The collection up to its features array: within the first megabyte.
    let (array_start, first_element) = loop {
        reader.fill(&mut buffer)?;
        if let Some(found) = features_array_start(whole_utf8_prefix(&buffer)) {
            break found;
        }
        if reader.at_end() || buffer.len() > HEAD_LIMIT_BYTES {
            return None;
        }
    };
    let mut skeleton = std::str::from_utf8(buffer.get(..array_start)?).ok()?.to_owned();
    let mut line = 1 + count_newlines(buffer.get(..first_element)?);
    buffer.drain(..first_element);
    let mut first_index = 0;
    let mut next = Vec::new();
    // The next block's elements, when it was scanned while this one's were handed on.
    let mut scanned_ahead: Option<ScannedAhead> = None;
    loop {
        let at_end = reader.at_end();
        // This block's elements: found while the block before was handed on (its text is then
        // checked beside the next block's reading, not before it), or found now.
        let elements = if let Some(ahead) = scanned_ahead.take() {
            BlockElements::Ahead(ahead)
        } else {
            let text = whole_text(&buffer, at_end)?;
            let (found, end) = scan_elements_on_all_cores(text, 0)?;
            BlockElements::Found(text, found, end)
        };
        let (count, end) = elements.count_and_end();
        let resume = match end {
            ElementsEnd::Closed(end) => end,
            ElementsEnd::RanOut(resume) if !at_end => resume,
            // The array never closed, or (with no stop given) cannot have stopped.
            ElementsEnd::RanOut(_) | ElementsEnd::Stopped { .. } => return None,
        };
        let read_next = matches!(end, ElementsEnd::RanOut(_));
        // The next block goes after the element this one left unfinished, in the other buffer
        // (both kept: a fresh one would fault in its memory again for every block).
        next.clear();
        if read_next {
            next.extend_from_slice(buffer.get(resume..)?);
        }
        let block = &buffer;
        // This block's features are handed on while the next block is read (and scanned).
        let (handed, read) = rayon::join(
            || {
                let (text, found) = match elements {
                    BlockElements::Found(text, found, _) => (text, found),
                    BlockElements::Ahead(ahead) => {
                        let text = whole_text(block, at_end)?;
                        (text, ahead.in_text(text)?)
                    }
                };
                let (lines, line_at_resume) = lines_of(text, &found, line, resume)?;
                each(FeatureBlock { text, features: &found.texts, first_index, lines: &lines, last: !read_next })?;
                Some(line_at_resume)
            },
            || {
                if read_next {
                    reader.fill(&mut next)?;
                    if sizes.scan_ahead {
                        // Should it decline, the block is scanned again in turn, and says why.
                        scanned_ahead = ScannedAhead::of(&next, reader.at_end());
                    }
                }
                Some(())
            },
        );
        line = handed?;
        read?;
        first_index += count;
        if let ElementsEnd::Closed(end) = end {
            while !reader.at_end() {
                reader.fill(&mut buffer)?;
            }
            skeleton.push_str("[]");
            skeleton.push_str(std::str::from_utf8(buffer.get(end..)?).ok()?);
            return Some(skeleton);
        }
        std::mem::swap(&mut buffer, &mut next);
    }
}

/// The whole characters of a block (it may end inside one when the source has more); `None` for
/// bytes that are not UTF-8 at all.
fn whole_text(bytes: &[u8], at_end: bool) -> Option<&str> {
    match checked_utf8(bytes) {
        Ok(text) => Some(text),
        Err(error) if error.error_len().is_none() && !at_end => Some(whole_utf8_prefix(bytes)),
        Err(_) => None,
    }
}

/// A block's elements, found in its text, or found ahead as positions in it.
enum BlockElements<'t> {
    Found(&'t str, Elements<'t>, ElementsEnd),
    Ahead(ScannedAhead),
}

impl BlockElements<'_> {
    /// How many elements the block holds whole, and where their scan stopped.
    fn count_and_end(&self) -> (usize, ElementsEnd) {
        match self {
            Self::Found(_, found, end) => (found.texts.len(), *end),
            Self::Ahead(ahead) => (ahead.elements.len(), ahead.end),
        }
    }
}

/// The elements of a block scanned ahead, as positions in its text (the block's buffer is still
/// being filled and moved when they are found).
struct ScannedAhead {
    /// Each element's start and length.
    elements: Vec<(usize, usize)>,
    newlines: Vec<u32>,
    end: ElementsEnd,
}

impl ScannedAhead {
    /// The elements of the block `bytes`; `None` when its scan declines.
    fn of(bytes: &[u8], at_end: bool) -> Option<Self> {
        let text = whole_text(bytes, at_end)?;
        let (found, end) = scan_elements_on_all_cores(text, 0)?;
        let elements = found.texts.iter().map(|element| Some((offset_in(text, element)?, element.len())));
        Some(Self { elements: elements.collect::<Option<_>>()?, newlines: found.newlines, end })
    }

    /// The elements in the block's `text`, as a scan of it gives them.
    fn in_text(self, text: &str) -> Option<Elements<'_>> {
        let texts: Option<Vec<_>> =
            self.elements.iter().map(|&(start, length)| text.get(start..start + length)).collect();
        Some(Elements { texts: texts?, newlines: self.newlines })
    }
}

/// A block's problems given the line of their feature (the block's text, where their byte
/// offsets are, is gone when they are handed on).
fn locate_lines(outcome: &mut ChunkOutcome, feature_lines: &[u32]) {
    for (index, offset, problem) in &mut outcome.problems {
        *offset = None;
        if problem.location.line.is_none() {
            problem.location.line = feature_lines.get(*index).map(|&line| line as usize);
        }
    }
}

/// The line each element starts on, counting from `line` at the start of `text`, and the line
/// at `resume`.
fn lines_of(text: &str, found: &Elements<'_>, line: usize, resume: usize) -> Option<(Vec<u32>, usize)> {
    let lines = found.newlines.iter().map(|&n| u32::try_from(line + n as usize).unwrap_or(u32::MAX)).collect();
    let (counted_to, newlines) = match (found.texts.last(), found.newlines.last()) {
        (Some(last), Some(&newlines)) => (offset_in(text, last)?, newlines as usize),
        _ => (0, 0),
    };
    let newlines_after = count_newlines(text.as_bytes().get(counted_to..resume.max(counted_to))?);
    Some((lines, line + newlines + newlines_after))
}

#[cfg(test)]
mod tests;
