//! Finding the features of a large FeatureCollection without parsing them.
//!
//! Parsing a file into raw features with serde visits every byte once on one thread before the
//! features can be parsed in parallel. [`split_features`] does the same job about three times
//! faster: it only looks for the braces, quotes and commas that separate the elements of the
//! `features` array, 64 bytes at a time. It is the fast path for well-formed files
//! and nothing more: whenever the text is not plainly of that shape it returns `None`, and the
//! caller parses with serde, which explains what is wrong. Each feature it returns is still parsed
//! by serde, and a feature that is not valid JSON sends the caller back to the slow path too.

/// What [`split_features`] found.
#[derive(Debug, PartialEq, Eq)]
pub struct SplitCollection<'a> {
    /// The file with its `features` array emptied, for serde to check and read the other members.
    pub skeleton: String,
    /// The text of each element of the `features` array, in file order.
    pub features: Vec<&'a str>,
}

/// Splits `text`, a JSON object with a `features` array of objects, into the array's elements.
/// `None` when the text is anything else, or when in doubt.
pub fn split_features(text: &str) -> Option<SplitCollection<'_>> {
    let bytes = text.as_bytes();
    let mut scanner = Scanner { bytes, at: 0 };
    scanner.skip_whitespace();
    scanner.expect(b'{')?;
    let mut features: Option<(usize, usize, Vec<&str>)> = None;
    // The members of the top-level object; only the `features` key is looked at closely.
    loop {
        scanner.skip_whitespace();
        match scanner.peek()? {
            b'}' => break,
            b'"' => {}
            _ => return None,
        }
        if scanner.member_key()? == b"\"features\"" {
            if features.is_some() || scanner.peek()? != b'[' {
                return None;
            }
            let array_start = scanner.at;
            let elements = scanner.array_of_objects(text)?;
            features = Some((array_start, scanner.at, elements));
        } else {
            scanner.skip_value()?;
        }
        scanner.skip_whitespace();
        match scanner.peek()? {
            b',' => scanner.at += 1,
            b'}' => break,
            _ => return None,
        }
    }
    let (array_start, array_end, features) = features?;
    let mut skeleton = String::with_capacity(text.len() - (array_end - array_start) + 2);
    skeleton.push_str(text.get(..array_start)?);
    skeleton.push_str("[]");
    skeleton.push_str(text.get(array_end..)?);
    Some(SplitCollection { skeleton, features })
}

/// Where the `features` array of a collection's start `text` opens (its `[`) and where its first
/// element (an object) starts, when every member before it is whole in `text`. `None` when the
/// text is anything else, the array is empty, or in doubt.
pub(super) fn features_array_start(text: &str) -> Option<(usize, usize)> {
    let bytes = text.as_bytes();
    let mut scanner = Scanner { bytes, at: 0 };
    scanner.skip_whitespace();
    scanner.expect(b'{')?;
    loop {
        scanner.skip_whitespace();
        if scanner.peek()? != b'"' {
            return None;
        }
        if scanner.member_key()? == b"\"features\"" {
            let array_start = scanner.at;
            scanner.expect(b'[')?;
            scanner.skip_whitespace();
            return (scanner.peek()? == b'{').then_some((array_start, scanner.at));
        }
        scanner.skip_value()?;
        // A scalar cut by the end of `text` is not known to be whole.
        if scanner.at >= bytes.len() {
            return None;
        }
        scanner.skip_whitespace();
        scanner.expect(b',')?;
    }
}

/// A cursor over the bytes of a JSON text (also the direct feature reader's).
pub(super) struct Scanner<'a> {
    pub(super) bytes: &'a [u8],
    pub(super) at: usize,
}

impl<'a> Scanner<'a> {
    /// An object member's key (with its quotes), the cursor left at its value.
    fn member_key(&mut self) -> Option<&'a [u8]> {
        let key_start = self.at;
        self.skip_string()?;
        let key = self.bytes.get(key_start..self.at)?;
        self.skip_whitespace();
        self.expect(b':')?;
        self.skip_whitespace();
        Some(key)
    }

    pub(super) fn peek(&self) -> Option<u8> {
        self.bytes.get(self.at).copied()
    }

    pub(super) fn expect(&mut self, byte: u8) -> Option<()> {
        (self.peek()? == byte).then(|| self.at += 1)
    }

    pub(super) fn skip_whitespace(&mut self) {
        while matches!(self.peek(), Some(b' ' | b'\n' | b'\r' | b'\t')) {
            self.at += 1;
        }
    }

    /// Skips a string starting at its opening quote, to just past its closing quote.
    fn skip_string(&mut self) -> Option<()> {
        self.expect(b'"')?;
        loop {
            let rest = self.bytes.get(self.at..)?;
            let found = memchr::memchr2(b'"', b'\\', rest)?;
            self.at += found + 1;
            if rest.get(found) == Some(&b'"') {
                return Some(());
            }
            // A backslash escapes the next byte, which may be a quote.
            self.at += 1;
        }
    }

    /// Skips an object or array by counting brackets of its kind outside strings, or a scalar up
    /// to the next delimiter. Whether what it skipped is valid JSON is for serde to say.
    fn skip_value(&mut self) -> Option<()> {
        match self.peek()? {
            b'{' => self.skip_nested(b'{', b'}'),
            b'[' => self.skip_nested(b'[', b']'),
            b'"' => self.skip_string(),
            _ => {
                let rest = self.bytes.get(self.at..)?;
                let length = rest.iter().position(|b| matches!(b, b',' | b'}' | b']')).unwrap_or(rest.len());
                self.at += length;
                Some(())
            }
        }
    }

    fn skip_nested(&mut self, open: u8, close: u8) -> Option<()> {
        let mut depth = 0_usize;
        loop {
            let rest = self.bytes.get(self.at..)?;
            let found = memchr::memchr3(b'"', open, close, rest)?;
            self.at += found;
            match rest.get(found)? {
                b'"' => self.skip_string()?,
                &byte if byte == open => {
                    depth += 1;
                    self.at += 1;
                }
                _ => {
                    depth = depth.checked_sub(1)?;
                    self.at += 1;
                    if depth == 0 {
                        return Some(());
                    }
                }
            }
        }
    }

    /// Splits an array whose elements are all objects, leaving the cursor past its `]`. A large
    /// array is split on two cores: one scan starts at the first element boundary it finds
    /// after the middle, while the other scans up to there. That boundary is only a guess (the
    /// same bytes could sit inside a string); it counts only when the first scan arrives at it as
    /// the start of an element, and otherwise the second scan's work is dropped.
    fn array_of_objects<'t>(&mut self, text: &'t str) -> Option<Vec<&'t str>> {
        self.expect(b'[')?;
        self.skip_whitespace();
        if self.peek()? == b']' {
            self.at += 1;
            return Some(Vec::new());
        }
        let first_start = self.at;
        let guess = (self.bytes.len() - first_start >= SPLIT_ON_TWO_CORES_FROM_BYTES)
            .then(|| element_start_after(self.bytes, first_start + (self.bytes.len() - first_start) / 2))
            .flatten();
        let Some(guess) = guess else {
            let (elements, ElementsEnd::Closed(end)) = scan_elements(text, first_start, None)? else { return None };
            self.at = end;
            return Some(elements);
        };
        let (rest, before_guess) =
            rayon::join(|| scan_elements(text, guess, None), || scan_elements(text, first_start, Some(guess)));
        match before_guess? {
            // The guess was not a boundary: this scan went on to the end on its own.
            (elements, ElementsEnd::Closed(end)) => {
                self.at = end;
                Some(elements)
            }
            (mut elements, ElementsEnd::Stopped) => {
                let (rest, ElementsEnd::Closed(end)) = rest? else { return None };
                elements.extend(rest);
                self.at = end;
                Some(elements)
            }
            (_, ElementsEnd::RanOut(_)) => None,
        }
    }
}

/// Arrays from this size on are split on two cores (in tests, small ones too, to test it).
#[cfg(not(test))]
const SPLIT_ON_TWO_CORES_FROM_BYTES: usize = 16 * 1024 * 1024;
#[cfg(test)]
const SPLIT_ON_TWO_CORES_FROM_BYTES: usize = 4096;

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

/// Where [`scan_elements`] stopped.
#[derive(Debug, PartialEq, Eq)]
pub(super) enum ElementsEnd {
    /// At the `]` closing the array: the position past it.
    Closed(usize),
    /// Just before the element starting at `stop_before`.
    Stopped,
    /// The text ended first: the start of the first element not returned whole (a text read in
    /// blocks goes on from there).
    RanOut(usize),
}

/// Scans the elements of an array, all objects, from the one starting at `start` (with no
/// string or object open there), up to the `]` closing the array, the element starting at
/// `stop_before`, or the end of the text. `None` when the text is not plainly such an array.
///
/// The array is most of the file, so it is scanned 64 bytes at a time: masks of quotes and
/// braces, quotes escaped by a backslash taken out, and the bytes inside strings found by a
/// running parity of quotes (bit `i` of `prefix_xor(quotes)` is set when an odd number of
/// quotes come at or before byte `i`). Only the braces outside strings are then visited.
pub(super) fn scan_elements(text: &str, start: usize, stop_before: Option<usize>) -> Option<(Vec<&str>, ElementsEnd)> {
    let bytes = text.as_bytes();
    if bytes.get(start) != Some(&b'{') {
        return None;
    }
    let has_backslash = memchr::memchr(b'\\', bytes.get(start..)?).is_some();
    let mut elements: Vec<&str> = Vec::new();
    let mut next_start = start;
    let mut depth = 0_usize;
    let mut element_start = start;
    let mut inside_string = 0_u64;
    let mut escapes_next_block = false;
    let mut block_start = start;
    while block_start < bytes.len() {
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
                }
                depth += 1;
                continue;
            }
            depth = depth.checked_sub(1)?;
            if depth > 0 {
                continue;
            }
            if elements.is_empty() {
                // A guess from the first feature's size saves regrowing a vector of a million.
                elements.reserve((bytes.len() - element_start) / (at + 3 - element_start) + 1);
            }
            elements.push(text.get(element_start..=at)?);
            // Between elements: whitespace, then a comma and the next object, or the end. Should
            // the text end in between, this element is given back with the next block.
            let mut gap = Scanner { bytes, at: at + 1 };
            gap.skip_whitespace();
            match gap.peek() {
                Some(b']') => return Some((elements, ElementsEnd::Closed(gap.at + 1))),
                Some(b',') => gap.at += 1,
                Some(_) => return None,
                None => {
                    elements.pop();
                    return Some((elements, ElementsEnd::RanOut(element_start)));
                }
            }
            gap.skip_whitespace();
            match gap.peek() {
                Some(b'{') => {}
                Some(_) => return None,
                None => {
                    elements.pop();
                    return Some((elements, ElementsEnd::RanOut(element_start)));
                }
            }
            next_start = gap.at;
            if stop_before == Some(next_start) {
                return Some((elements, ElementsEnd::Stopped));
            }
        }
        block_start += 64;
    }
    Some((elements, ElementsEnd::RanOut(next_start)))
}

/// Where the quotes, backslashes and braces of 64 bytes are: bit `i` stands for byte `i`.
struct BlockMasks {
    quote: u64,
    backslash: u64,
    open: u64,
    close: u64,
}

impl BlockMasks {
    /// Masks of the first 64 bytes of `bytes`, as if zero-padded when shorter.
    fn of(bytes: &[u8], with_backslashes: bool) -> Self {
        let mut block = [0_u8; 64];
        let taken = bytes.len().min(64);
        if let (Some(to), Some(from)) = (block.get_mut(..taken), bytes.get(..taken)) {
            to.copy_from_slice(from);
        }
        let mut masks = Self { quote: 0, backslash: 0, open: 0, close: 0 };
        for (number, word) in block.chunks_exact(8).enumerate() {
            let word = u64::from_le_bytes(word.try_into().unwrap_or_default());
            let shift = number * 8;
            masks.quote |= gather_high_bits(bytes_equal(word, b'"')) << shift;
            masks.open |= gather_high_bits(bytes_equal(word, b'{')) << shift;
            masks.close |= gather_high_bits(bytes_equal(word, b'}')) << shift;
            if with_backslashes {
                masks.backslash |= gather_high_bits(bytes_equal(word, b'\\')) << shift;
            }
        }
        masks
    }
}

/// The high bit of each byte of `word` that equals `byte`, and no other bit.
fn bytes_equal(word: u64, byte: u8) -> u64 {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const LOW_SEVEN: u64 = 0x7f7f_7f7f_7f7f_7f7f;
    let difference = word ^ (ONES * u64::from(byte));
    // A byte's high bit ends up set only when all of its bits were zero; no carry crosses bytes.
    !(((difference & LOW_SEVEN).wrapping_add(LOW_SEVEN)) | difference | LOW_SEVEN)
}

/// The high bits of the eight bytes of `high_bits`, packed into bits 0..8 (byte 0 to bit 0).
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
