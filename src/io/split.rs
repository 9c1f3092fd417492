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
        let key_start = scanner.at;
        scanner.skip_string()?;
        let key = bytes.get(key_start..scanner.at)?;
        scanner.skip_whitespace();
        scanner.expect(b':')?;
        scanner.skip_whitespace();
        if key == b"\"features\"" {
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

/// A cursor over the bytes of a JSON text.
struct Scanner<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl Scanner<'_> {
    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.at).copied()
    }

    fn expect(&mut self, byte: u8) -> Option<()> {
        (self.peek()? == byte).then(|| self.at += 1)
    }

    fn skip_whitespace(&mut self) {
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

    /// Splits an array whose elements are all objects, leaving the cursor past its `]`.
    ///
    /// The array is most of the file, so it is scanned 64 bytes at a time: masks of quotes and
    /// braces, quotes escaped by a backslash taken out, and the bytes inside strings found by a
    /// running parity of quotes (bit `i` of `prefix_xor(quotes)` is set when an odd number of
    /// quotes come at or before byte `i`). Only the braces outside strings are then visited.
    fn array_of_objects<'t>(&mut self, text: &'t str) -> Option<Vec<&'t str>> {
        self.expect(b'[')?;
        let mut elements: Vec<&str> = Vec::new();
        self.skip_whitespace();
        if self.peek()? == b']' {
            self.at += 1;
            return Some(elements);
        }
        let mut next_start = self.at;
        if self.peek()? != b'{' {
            return None;
        }
        let has_backslash = memchr::memchr(b'\\', self.bytes.get(self.at..)?).is_some();
        let mut depth = 0_usize;
        let mut element_start = next_start;
        let mut inside_string = 0_u64;
        let mut escapes_next_block = false;
        let mut block_start = self.at;
        while block_start < self.bytes.len() {
            let masks = BlockMasks::of(self.bytes.get(block_start..)?, has_backslash);
            let mut quotes = masks.quote;
            if has_backslash {
                let escaped = escaped_bytes(masks.backslash, &mut escapes_next_block);
                quotes &= !escaped;
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
                    elements.reserve((self.bytes.len() - element_start) / (at + 3 - element_start) + 1);
                }
                elements.push(text.get(element_start..=at)?);
                // Between elements: whitespace, then a comma and the next object, or the end.
                self.at = at + 1;
                self.skip_whitespace();
                match self.peek()? {
                    b']' => {
                        self.at += 1;
                        return Some(elements);
                    }
                    b',' => self.at += 1,
                    _ => return None,
                }
                self.skip_whitespace();
                if self.peek()? != b'{' {
                    return None;
                }
                next_start = self.at;
            }
            block_start += 64;
        }
        None
    }
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
mod tests {
    use super::*;

    fn features(text: &str) -> Option<Vec<&str>> {
        split_features(text).map(|split| split.features)
    }

    #[test]
    fn splits_features_and_keeps_the_rest() {
        let text = r#" {"type": "FeatureCollection", "name": "x}\"{", "features": [ {"a": "}"} ,
            {"b": {"c": [1, "\\"]}}], "bbox": [1, 2] } "#;
        let split = split_features(text).expect("well formed");
        assert_eq!(split.features, vec![r#"{"a": "}"}"#, r#"{"b": {"c": [1, "\\"]}}"#]);
        assert_eq!(
            split.skeleton,
            r#" {"type": "FeatureCollection", "name": "x}\"{", "features": [], "bbox": [1, 2] } "#
        );
    }

    /// Escapes and braces inside strings, at every offset from a 64-byte block's edge.
    #[test]
    fn agrees_with_serde_at_every_block_offset() {
        #[derive(serde::Deserialize)]
        struct Collection<'a> {
            #[serde(borrow)]
            features: Vec<&'a serde_json::value::RawValue>,
        }
        let tricky = [r#"\""#, r"\\", r"}{", r#"\\\"}"#, r#"{\"a\": [}]"#, "é€😀"];
        for padding in 0..70 {
            let mut features = Vec::new();
            for (i, piece) in tricky.iter().enumerate() {
                let filler = "x".repeat((padding + i * 7) % 67);
                features.push(format!(r#"{{"id":"{filler}{piece}","p":{{"q":[{{}},"{piece}{filler}"]}}}}"#));
            }
            let text = format!("{{\"type\":\"FeatureCollection\",\"features\":[{}]}}", features.join(" ,\n"));
            let by_serde: Collection<'_> = serde_json::from_str(&text).expect("valid JSON");
            let expected: Vec<&str> = by_serde.features.iter().map(|raw| raw.get()).collect();
            assert_eq!(split_features(&text).map(|split| split.features), Some(expected), "padding {padding}");
        }
    }

    #[test]
    fn empty_collections_split() {
        assert_eq!(features(r#"{"features":[]}"#), Some(vec![]));
        assert_eq!(features("{\"features\":[ \n ]}"), Some(vec![]));
    }

    #[test]
    fn anything_unusual_is_left_to_serde() {
        for text in [
            "",
            "[]",
            "{}",
            r#"{"type": "FeatureCollection"}"#,
            r#"{"features": {}}"#,
            r#"{"features": [null]}"#,
            r#"{"features": [{}, 1]}"#,
            r#"{"features": [{},]}"#,
            r#"{"features": [{} {}]}"#,
            r#"{"features": [{"a": "}"#,
            r#"{"features": [{}]"#,
            r#"{"features": [{}], "features": []}"#,
            r#"{"feat\u0075res": [{}]}"#,
            r#"{"features": [{}]]}"#,
            r#"{"a": 1 "features": [{}]}"#,
            r#"{"a": {"b": "}"#,
        ] {
            assert_eq!(features(text), None, "{text}");
        }
    }
}
