//! The elements of a JSON array of objects, found without parsing them: the scan behind both the
//! whole-file splitter ([`super::split`]) and the block reader ([`super::stream`]).
//!
//! The array is most of a large file, so it is scanned 64 bytes at a time, and on all cores: each
//! core starts at a guessed element boundary, and a guess counts only when the scan before it
//! arrives there as the start of an element. Anything not plainly such an array is `None`, for
//! serde to explain.

use rayon::iter::{IntoParallelIterator as _, ParallelIterator as _};

use crate::io::text::count_newlines;

/// The elements a scan found.
#[derive(Debug, Default, PartialEq, Eq)]
pub(super) struct Elements<'a> {
    /// The text of each element, in order.
    pub(super) texts: Vec<&'a str>,
    /// The newlines between where the scan started and each element's start.
    pub(super) newlines: Vec<u32>,
}

/// Where a scan stopped.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum ElementsEnd {
    /// At the `]` closing the array: the position past it.
    Closed(usize),
    /// Just before the element starting at `stop_before`, with the newlines before it.
    Stopped {
        /// The newlines between where the scan started and `stop_before`.
        newlines: u32,
    },
    /// The text ended first: the start of the first element not returned whole (a text read in
    /// blocks goes on from there).
    RanOut(usize),
}

/// Arrays from this size on are scanned on all cores (in tests, small ones too, to test it).
#[cfg(not(test))]
pub(super) const SCAN_ON_ALL_CORES_FROM_BYTES: usize = 4 * 1024 * 1024;
#[cfg(test)]
pub(super) const SCAN_ON_ALL_CORES_FROM_BYTES: usize = 4096;

/// As [`scan_elements`] with no stop, with a large array's text shared among the cores: each
/// part from a guessed element start up to the next part's. Should a part not arrive at the
/// next one's start as an element's (the guess lay inside a string), it has scanned on to the
/// end by itself, and the parts after it are dropped.
pub(super) fn scan_elements_on_all_cores(text: &str, start: usize) -> Option<(Elements<'_>, ElementsEnd)> {
    let bytes = text.as_bytes();
    let cores = rayon::current_num_threads();
    let length = bytes.len().saturating_sub(start);
    if cores < 2 || length < SCAN_ON_ALL_CORES_FROM_BYTES {
        return scan_elements(text, start, None);
    }
    let mut starts = vec![start];
    for part in 1..cores {
        if let Some(guess) = element_start_after(bytes, start + length / cores * part)
            && starts.last().is_some_and(|&last| guess > last)
        {
            starts.push(guess);
        }
    }
    let scans: Vec<_> = (0..starts.len())
        .into_par_iter()
        .map(|part| {
            let from = starts.get(part).copied().unwrap_or(start);
            let stop = starts.get(part + 1).copied();
            scan_elements(text, from, stop)
        })
        .collect();
    let mut all = Elements::default();
    let mut newlines_before = 0;
    for scan in scans {
        let (part, end) = scan?;
        if all.texts.is_empty() {
            all = part;
        } else {
            all.texts.extend(part.texts);
            all.newlines.extend(part.newlines.into_iter().map(|n| n.saturating_add(newlines_before)));
        }
        let ElementsEnd::Stopped { newlines } = end else {
            return Some((all, end));
        };
        newlines_before = newlines_before.saturating_add(newlines);
    }
    // The last part had no stop: it cannot have stopped.
    None
}

/// The first `{` from `from` on that follows `}`, a comma and whitespace: likely the start of an
/// array element. `None` when there is none in the next megabyte.
fn element_start_after(bytes: &[u8], from: usize) -> Option<usize> {
    let is_space = |b: &u8| matches!(b, b' ' | b'\n' | b'\r' | b'\t');
    let window = bytes.get(from..bytes.len().min(from + 1024 * 1024))?;
    memchr::memchr_iter(b',', window).map(|comma| from + comma).find_map(|comma| {
        let before = bytes.get(..comma)?.iter().rev().find(|b| !is_space(b))?;
        let after = bytes.get(comma + 1..)?.iter().position(|b| !is_space(b))? + comma + 1;
        (*before == b'}' && bytes.get(after) == Some(&b'{')).then_some(after)
    })
}

/// Scans the elements of an array, all objects, from the one starting at `start` (with no
/// string or object open there), up to the `]` closing the array, the element starting at
/// `stop_before`, or the end of the text. `None` when the text is not plainly such an array.
///
/// The text is scanned 64 bytes at a time: masks of quotes, braces and newlines, quotes escaped
/// by a backslash taken out, and the bytes inside strings found by a running parity of quotes
/// (bit `i` of `prefix_xor(quotes)` is set when an odd number of quotes come at or before byte
/// `i`). Only the braces outside strings are then visited.
pub(super) fn scan_elements(
    text: &str,
    start: usize,
    stop_before: Option<usize>,
) -> Option<(Elements<'_>, ElementsEnd)> {
    let bytes = text.as_bytes();
    if bytes.get(start) != Some(&b'{') {
        return None;
    }
    // Whether a backslash comes before `backslashes_known_to`: looked for up to where this scan
    // should stop, and past it only should it go on (a guessed start that was not one). Looking
    // to the end of the text from every core's start read a block one and a half times over.
    let mut backslashes_known_to = stop_before.map_or(bytes.len(), |stop| stop.clamp(start, bytes.len()));
    let mut has_backslash = memchr::memchr(b'\\', bytes.get(start..backslashes_known_to)?).is_some();
    let mut found = Elements::default();
    let mut next_start = start;
    let mut depth = 0_usize;
    let mut element_start = start;
    let mut inside_string = 0_u64;
    let mut escapes_next_block = false;
    let mut newlines_before_block = 0_u32;
    let mut block_start = start;
    while block_start < bytes.len() {
        if !has_backslash && block_start + 64 > backslashes_known_to && backslashes_known_to < bytes.len() {
            has_backslash = memchr::memchr(b'\\', bytes.get(backslashes_known_to..)?).is_some();
            backslashes_known_to = bytes.len();
        }
        let masks = BlockMasks::of(bytes.get(block_start..)?, has_backslash);
        let mut quotes = masks.quote;
        if has_backslash {
            quotes &= !escaped_bytes(masks.backslash, &mut escapes_next_block);
        }
        let in_string = prefix_xor(quotes) ^ inside_string;
        inside_string = 0_u64.wrapping_sub(in_string >> 63);
        let mut braces = (masks.open | masks.close) & !in_string;
        while braces != 0 {
            let bit = braces.trailing_zeros();
            braces &= braces - 1;
            let at = block_start + bit as usize;
            if masks.open & (1 << bit) != 0 {
                if depth == 0 {
                    if at != next_start {
                        return None;
                    }
                    element_start = at;
                    let newlines_in_block = match masks.newline & ((1 << bit) - 1) {
                        0 => 0,
                        before => before.count_ones(),
                    };
                    found.newlines.push(newlines_before_block.saturating_add(newlines_in_block));
                }
                depth += 1;
                continue;
            }
            depth = depth.checked_sub(1)?;
            if depth > 0 {
                continue;
            }
            if found.texts.is_empty() {
                // A guess from the first element's size saves regrowing a vector of a million.
                let until = stop_before.unwrap_or(bytes.len()).max(element_start);
                // (At most a million: a tiny first element must not reserve for a block of them.)
                let guess = ((until - element_start) / (at + 3 - element_start) + 1).min(1 << 20);
                found.texts.reserve(guess);
                found.newlines.reserve(guess);
            }
            found.texts.push(text.get(element_start..=at)?);
            // Between elements: whitespace, then a comma and the next object, or the end. Should
            // the text end in between, this element is given back with the next block.
            let mut gap = at + 1;
            skip_whitespace(bytes, &mut gap);
            match bytes.get(gap) {
                Some(b']') => return Some((found, ElementsEnd::Closed(gap + 1))),
                Some(b',') => gap += 1,
                Some(_) => return None,
                None => return Some((found.without_last(), ElementsEnd::RanOut(element_start))),
            }
            skip_whitespace(bytes, &mut gap);
            match bytes.get(gap) {
                Some(b'{') => {}
                Some(_) => return None,
                None => return Some((found.without_last(), ElementsEnd::RanOut(element_start))),
            }
            next_start = gap;
            if stop_before == Some(next_start) {
                let last_newlines = count_newlines(bytes.get(element_start..next_start)?);
                let before_last = found.newlines.last().copied().unwrap_or(0);
                let newlines = before_last.saturating_add(u32::try_from(last_newlines).unwrap_or(u32::MAX));
                return Some((found, ElementsEnd::Stopped { newlines }));
            }
        }
        // Most blocks of a large file have no newline (a feature a line): no count to make (this
        // target's count of bits is a dozen instructions, with no POPCNT to count them in one).
        if masks.newline != 0 {
            newlines_before_block = newlines_before_block.saturating_add(masks.newline.count_ones());
        }
        block_start += 64;
    }
    // The element begun last is not whole: its start is not kept either.
    found.newlines.truncate(found.texts.len());
    Some((found, ElementsEnd::RanOut(next_start)))
}

impl Elements<'_> {
    fn without_last(mut self) -> Self {
        self.texts.pop();
        self.newlines.truncate(self.texts.len());
        self
    }
}

/// Moves `at` past any JSON whitespace in `bytes`.
pub(super) fn skip_whitespace(bytes: &[u8], at: &mut usize) {
    while matches!(bytes.get(*at), Some(b' ' | b'\n' | b'\r' | b'\t')) {
        *at += 1;
    }
}

/// Where the quotes, backslashes, braces and newlines of 64 bytes are: bit `i` stands for byte `i`.
struct BlockMasks {
    quote: u64,
    backslash: u64,
    open: u64,
    close: u64,
    newline: u64,
}

impl BlockMasks {
    /// Masks of the first 64 bytes of `bytes`, as if zero-padded when shorter.
    fn of(bytes: &[u8], with_backslashes: bool) -> Self {
        if let Some(whole) = bytes.first_chunk::<64>() {
            return Self::of_block(whole, with_backslashes);
        }
        let mut block = [0_u8; 64];
        if let Some(to) = block.get_mut(..bytes.len()) {
            to.copy_from_slice(bytes);
        }
        Self::of_block(&block, with_backslashes)
    }

    fn of_block(block: &[u8; 64], with_backslashes: bool) -> Self {
        #[cfg(target_arch = "x86_64")]
        return Self::with_sse2(block, with_backslashes);
        #[cfg(not(target_arch = "x86_64"))]
        return Self::in_words(block, with_backslashes);
    }

    /// Sixteen bytes at a time, with SSE2.
    #[cfg(target_arch = "x86_64")]
    fn with_sse2(block: &[u8; 64], with_backslashes: bool) -> Self {
        use safe_arch::{cmp_eq_mask_i8_m128i, load_unaligned_m128i, move_mask_i8_m128i, set_splat_i8_m128i};
        let mut masks = Self { quote: 0, backslash: 0, open: 0, close: 0, newline: 0 };
        for (number, lane) in block.chunks_exact(16).enumerate() {
            let Ok(lane) = lane.try_into() else { continue };
            let lane = load_unaligned_m128i(lane);
            let shift = number * 16;
            let equal = |byte: u8| {
                let found =
                    move_mask_i8_m128i(cmp_eq_mask_i8_m128i(lane, set_splat_i8_m128i(i8::from_ne_bytes([byte]))));
                u64::try_from(found).unwrap_or_default() << shift
            };
            masks.quote |= equal(b'"');
            masks.open |= equal(b'{');
            masks.close |= equal(b'}');
            masks.newline |= equal(b'\n');
            if with_backslashes {
                masks.backslash |= equal(b'\\');
            }
        }
        masks
    }

    /// Eight bytes at a time, in a `u64` (and in tests, to compare).
    #[cfg(any(test, not(target_arch = "x86_64")))]
    fn in_words(block: &[u8; 64], with_backslashes: bool) -> Self {
        let mut masks = Self { quote: 0, backslash: 0, open: 0, close: 0, newline: 0 };
        for (number, word) in block.chunks_exact(8).enumerate() {
            let word = u64::from_le_bytes(word.try_into().unwrap_or_default());
            let shift = number * 8;
            masks.quote |= gather_high_bits(bytes_equal(word, b'"')) << shift;
            masks.open |= gather_high_bits(bytes_equal(word, b'{')) << shift;
            masks.close |= gather_high_bits(bytes_equal(word, b'}')) << shift;
            masks.newline |= gather_high_bits(bytes_equal(word, b'\n')) << shift;
            if with_backslashes {
                masks.backslash |= gather_high_bits(bytes_equal(word, b'\\')) << shift;
            }
        }
        masks
    }
}

/// The high bit of each byte of `word` that equals `byte`, and no other bit.
#[cfg(any(test, not(target_arch = "x86_64")))]
fn bytes_equal(word: u64, byte: u8) -> u64 {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const LOW_SEVEN: u64 = 0x7f7f_7f7f_7f7f_7f7f;
    let difference = word ^ (ONES * u64::from(byte));
    // A byte's high bit ends up set only when all of its bits were zero; no carry crosses bytes.
    !(((difference & LOW_SEVEN).wrapping_add(LOW_SEVEN)) | difference | LOW_SEVEN)
}

/// The high bits of the eight bytes of `high_bits`, packed into bits 0..8 (byte 0 to bit 0).
#[cfg(any(test, not(target_arch = "x86_64")))]
fn gather_high_bits(high_bits: u64) -> u64 {
    (high_bits >> 7).wrapping_mul(0x0102_0408_1020_4080) >> 56
}

/// Bit `i` set when an odd number of bits of `x` are set at or below `i`.
fn prefix_xor(mut x: u64) -> u64 {
    for shift in [1, 2, 4, 8, 16, 32] {
        x ^= x << shift;
    }
    x
}

/// The bytes escaped by the backslashes of a block: each backslash that is not itself escaped
/// escapes the byte after it, which for the last byte is the next block's first.
fn escaped_bytes(mut backslashes: u64, escapes_next_block: &mut bool) -> u64 {
    let mut escaped = 0;
    if std::mem::take(escapes_next_block) {
        escaped |= 1;
        backslashes &= !1;
    }
    while backslashes != 0 {
        let bit = backslashes.trailing_zeros();
        if bit == 63 {
            *escapes_next_block = true;
            break;
        }
        escaped |= 1 << (bit + 1);
        backslashes &= !(0b11 << bit);
    }
    escaped
}

#[cfg(test)]
mod tests;
