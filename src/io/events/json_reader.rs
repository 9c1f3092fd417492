//! A cursor over one JSON value's text for the direct feature readers (Kronika's own plain
//! features, and other tools' features): it reads the plain shapes large files are made of —
//! objects, strings without escapes, numbers, `null` — and says `None` to anything else, for serde
//! to read (and explain). Numbers are checked against JSON's grammar; coordinates are parsed to
//! serde_json's own bits.

mod literal;

pub(crate) use literal::Literal;

use super::raw::RawCoordinates;
use super::split::Scanner;

/// One JSON value's text, read from its start.
pub(crate) struct JsonReader<'a> {
    text: &'a str,
    cursor: Scanner<'a>,
}

impl<'a> JsonReader<'a> {
    pub(crate) fn new(text: &'a str) -> Self {
        Self { text, cursor: Scanner { bytes: text.as_bytes(), at: 0 } }
    }

    pub(crate) fn peek(&self) -> Option<u8> {
        self.cursor.peek()
    }

    pub(crate) fn whitespace(&mut self) {
        self.cursor.skip_whitespace();
    }

    /// Whether only whitespace is left.
    pub(crate) fn at_end(&mut self) -> bool {
        self.whitespace();
        self.cursor.at == self.text.len()
    }

    /// Where the cursor is, to come back to with [`Self::rewind`].
    pub(crate) fn position(&self) -> usize {
        self.cursor.at
    }

    pub(crate) fn rewind(&mut self, position: usize) {
        self.cursor.at = position;
    }

    /// `byte`, after any whitespace.
    pub(crate) fn byte(&mut self, byte: u8) -> Option<()> {
        self.cursor.skip_whitespace();
        self.cursor.expect(byte)
    }

    /// A string with no escapes and no control characters, borrowed.
    pub(crate) fn string(&mut self) -> Option<&'a str> {
        self.byte(b'"')?;
        let rest = self.text.get(self.cursor.at..)?;
        let length = string_length(rest.as_bytes())?;
        self.cursor.at += length + 1;
        rest.get(..length)
    }

    /// The text of the value at the cursor, whatever it is, without checking that it is valid
    /// JSON (that is for serde to say); the cursor is left after it.
    pub(crate) fn value_text(&mut self) -> Option<&'a str> {
        self.whitespace();
        let start = self.cursor.at;
        self.cursor.skip_value()?;
        Some(self.text.get(start..self.cursor.at)?.trim_end_matches([' ', '\t', '\n', '\r']))
    }

    /// `null`, consumed; false (nothing consumed) for anything else.
    pub(crate) fn null(&mut self) -> bool {
        self.whitespace();
        let found = self.text.get(self.cursor.at..).is_some_and(|rest| rest.starts_with("null"));
        if found {
            self.cursor.at += 4;
        }
        found
    }

    /// A JSON number's text, checked against JSON's grammar.
    pub(crate) fn number_text(&mut self) -> Option<&'a str> {
        self.whitespace();
        let start = self.cursor.at;
        let bytes = self.text.as_bytes();
        let digits = |at: &mut usize| {
            let from = *at;
            while bytes.get(*at).is_some_and(u8::is_ascii_digit) {
                *at += 1;
            }
            *at > from
        };
        let mut at = start;
        if bytes.get(at) == Some(&b'-') {
            at += 1;
        }
        let integer_start = at;
        if !digits(&mut at) || (bytes.get(integer_start) == Some(&b'0') && at - integer_start > 1) {
            return None;
        }
        if bytes.get(at) == Some(&b'.') {
            at += 1;
            if !digits(&mut at) {
                return None;
            }
        }
        if matches!(bytes.get(at), Some(b'e' | b'E')) {
            at += 1;
            if matches!(bytes.get(at), Some(b'+' | b'-')) {
                at += 1;
            }
            if !digits(&mut at) {
                return None;
            }
        }
        self.cursor.at = at;
        self.text.get(start..at)
    }

    /// Calls `member` for each key of an object, positioned at its value.
    #[inline]
    pub(crate) fn object(&mut self, mut member: impl FnMut(&mut Self, &'a str) -> Option<()>) -> Option<()> {
        self.members((), |reader, ()| reader.key(), |reader, key, ()| member(reader, key))
    }

    /// As [`Self::object`], for an object whose keys are mostly written as `expected`, in that
    /// order, some perhaps left out: while they are, each is matched whole in one comparison
    /// instead of read, and `member` is given the same key (a million features' keys were a sixth
    /// of reading them).
    pub(crate) fn object_expecting(
        &mut self,
        expected: &[Literal<'static>],
        mut member: impl FnMut(&mut Self, &'a str) -> Option<()>,
    ) -> Option<()> {
        let read_key = |reader: &mut Self, next_expected: &mut usize| {
            reader.expected_key(expected, next_expected).or_else(|| reader.key())
        };
        self.members(0, read_key, |reader, key, _| member(reader, key))
    }

    /// As [`Self::object`], with a guess at each key (`first`, then what `member` returns for the
    /// next): a key written as guessed, `"key"`, is matched whole in one comparison instead of
    /// read, and `member` is given the guess itself (another tool's thirty property names a
    /// feature, in the order of the feature before, were a tenth of reading them).
    #[inline]
    pub(crate) fn object_guessing(
        &mut self,
        first: Option<Literal<'a>>,
        mut member: impl FnMut(&mut Self, &'a str) -> Option<Option<Literal<'a>>>,
    ) -> Option<()> {
        let read_key = |reader: &mut Self, guess: &mut Option<Literal<'a>>| {
            reader.whitespace();
            let Some(guessed) = guess.filter(|guess| reader.take_literal(guess)) else { return reader.key() };
            reader.byte(b':')?;
            Some(guessed.text)
        };
        self.members(first, read_key, |reader, key, guess| {
            *guess = member(reader, key)?;
            Some(())
        })
    }

    /// An object's members: each key read by `read_key` (up to its value), then `member` called,
    /// both given `state`.
    #[inline]
    fn members<S>(
        &mut self,
        mut state: S,
        mut read_key: impl FnMut(&mut Self, &mut S) -> Option<&'a str>,
        mut member: impl FnMut(&mut Self, &'a str, &mut S) -> Option<()>,
    ) -> Option<()> {
        self.byte(b'{')?;
        self.whitespace();
        if self.peek()? == b'}' {
            self.cursor.at += 1;
            return Some(());
        }
        loop {
            let key = read_key(self, &mut state)?;
            member(self, key, &mut state)?;
            self.whitespace();
            match self.peek()? {
                b',' => self.cursor.at += 1,
                b'}' => {
                    self.cursor.at += 1;
                    return Some(());
                }
                _ => return None,
            }
        }
    }

    /// A key and its colon, read.
    fn key(&mut self) -> Option<&'a str> {
        let key = self.string()?;
        self.byte(b':')?;
        Some(key)
    }

    /// The first of `expected[*from..]` written at the cursor, consumed, and `*from` moved past it.
    fn expected_key(&mut self, expected: &[Literal<'static>], from: &mut usize) -> Option<&'static str> {
        let next = self.next_word()?;
        let (offset, literal) = expected.get(*from..)?.iter().enumerate().find(|(_, literal)| literal.starts(next))?;
        *from += offset + 1;
        self.cursor.at += literal.written;
        Some(literal.text)
    }

    /// Whether `literal` is written at the cursor (no whitespace skipped): consumed when it is.
    #[inline]
    fn take_literal(&mut self, literal: &Literal<'_>) -> bool {
        let written = self.next_word().is_some_and(|next| literal.starts(next));
        if written {
            self.cursor.at += literal.written;
        }
        written
    }

    /// The next 16 bytes, if there are as many.
    fn next_word(&self) -> Option<u128> {
        let next: &[u8; 16] = self.text.as_bytes().get(self.cursor.at..self.cursor.at + 16)?.try_into().ok()?;
        Some(u128::from_le_bytes(*next))
    }

    /// As [`Self::string`], matched whole when it is `expected`.
    pub(crate) fn string_expecting(&mut self, expected: &Literal<'static>) -> Option<&'a str> {
        self.whitespace();
        if self.take_literal(expected) {
            return Some(expected.text);
        }
        self.string()
    }

    /// A geometry object of `type` (a string without escapes) and `coordinates` (numbers, or
    /// `null`), in either order and nothing else: its type and coordinates.
    pub(crate) fn point_object(&mut self) -> Option<(&'a str, Option<RawCoordinates>)> {
        let mut kind = None;
        let mut coordinates = None;
        let mut seen_coordinates = false;
        self.object_expecting(GEOMETRY_KEYS, |reader, key| {
            match key {
                "type" if kind.is_none() => kind = Some(reader.string_expecting(&POINT)?),
                "coordinates" if !seen_coordinates => {
                    seen_coordinates = true;
                    coordinates = if reader.null() { None } else { Some(reader.numbers()?) };
                }
                _ => return None,
            }
            Some(())
        })?;
        Some((kind?, coordinates))
    }

    /// An array of numbers, parsed to serde_json's bits.
    pub(crate) fn numbers(&mut self) -> Option<RawCoordinates> {
        self.byte(b'[')?;
        let mut coordinates = RawCoordinates::default();
        self.whitespace();
        if self.peek()? == b']' {
            self.cursor.at += 1;
            return Some(coordinates);
        }
        loop {
            let value = self.coordinate()?;
            if let Some(slot) = coordinates.numbers.get_mut(coordinates.count) {
                *slot = value;
            }
            coordinates.count += 1;
            self.whitespace();
            match self.peek()? {
                b',' => self.cursor.at += 1,
                b']' => {
                    self.cursor.at += 1;
                    return Some(coordinates);
                }
                _ => return None,
            }
        }
    }

    /// A number, parsed to serde_json's bits: a short decimal in one pass over its digits,
    /// anything else checked by [`Self::number_text`] and read by [`coordinate`].
    fn coordinate(&mut self) -> Option<f64> {
        self.whitespace();
        let start = self.cursor.at;
        if let Some((value, end)) = short_decimal_at(self.text.as_bytes(), start) {
            self.cursor.at = end;
            return Some(value);
        }
        coordinate(self.number_text()?)
    }

    /// A string with no escapes, or a number in the spelling serde would write it back in;
    /// `None` for anything else.
    pub(crate) fn plain_value(&mut self) -> Option<&'a str> {
        self.whitespace();
        if self.peek()? == b'"' {
            return self.string();
        }
        let number = self.number_text()?;
        // Kept only when serde would write it back the same (`12.5`, `-3`; not `1e2`, `1.50`,
        // `-0`). An integer of at most 18 digits (JSON allows no leading zero) is an i64 that
        // serde writes back as it came.
        let spelled = crate::io::fields::is_integer_as_written(number)
            || serde_json::from_str::<serde_json::Number>(number).is_ok_and(|n| n.to_string() == number);
        spelled.then_some(number)
    }

    /// `true`, `false`, or `null` (false).
    pub(crate) fn boolean(&mut self) -> Option<bool> {
        self.whitespace();
        let rest = self.text.get(self.cursor.at..)?;
        let (value, length) = if rest.starts_with("true") {
            (true, 4)
        } else if rest.starts_with("false") {
            (false, 5)
        } else if rest.starts_with("null") {
            (false, 4)
        } else {
            return None;
        };
        self.cursor.at += length;
        Some(value)
    }
}

/// A Point's type, matched whole.
const POINT: Literal<'static> = Literal::string("Point");

/// A Point's keys as they are mostly written, in order.
const GEOMETRY_KEYS: &[Literal<'static>] = &[Literal::key("type"), Literal::key("coordinates")];

/// The length of a string's text up to its closing quote, when it has no escape and no control
/// character: sixteen bytes at a time with SSE2 (ACLED's notes are hundreds of bytes), the last
/// few eight at a time.
#[cfg(target_arch = "x86_64")]
pub(super) fn string_length(bytes: &[u8]) -> Option<usize> {
    use safe_arch::{
        bitor_m128i, cmp_eq_mask_i8_m128i, load_unaligned_m128i, min_u8_m128i, move_mask_i8_m128i, set_splat_i8_m128i,
    };
    let splat = |byte: u8| set_splat_i8_m128i(i8::from_ne_bytes([byte]));
    let (quote, backslash, highest_control) = (splat(b'"'), splat(b'\\'), splat(0x1f));
    let mut lanes = bytes.chunks_exact(16);
    let mut at = 0;
    for lane in lanes.by_ref() {
        let lane = load_unaligned_m128i(lane.try_into().ok()?);
        // A control character is its own minimum with 0x1f.
        let control = cmp_eq_mask_i8_m128i(min_u8_m128i(lane, highest_control), lane);
        let stops =
            bitor_m128i(bitor_m128i(cmp_eq_mask_i8_m128i(lane, quote), cmp_eq_mask_i8_m128i(lane, backslash)), control);
        let found = move_mask_i8_m128i(stops);
        if found != 0 {
            at += found.trailing_zeros() as usize;
            return (bytes.get(at) == Some(&b'"')).then_some(at);
        }
        at += 16;
    }
    Some(at + string_length_in_words(lanes.remainder())?)
}

#[cfg(not(target_arch = "x86_64"))]
pub(super) fn string_length(bytes: &[u8]) -> Option<usize> {
    string_length_in_words(bytes)
}

/// [`string_length`] eight bytes at a time, in a `u64`.
pub(super) fn string_length_in_words(bytes: &[u8]) -> Option<usize> {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH_BITS: u64 = 0x8080_8080_8080_8080;
    // The high bit of the first byte of `word` that is zero (bits above it may be wrong).
    let zero_bytes = |word: u64| word.wrapping_sub(ONES) & !word & HIGH_BITS;
    let mut words = bytes.chunks_exact(8);
    let mut at = 0;
    for word in words.by_ref() {
        let word = u64::from_le_bytes(word.try_into().ok()?);
        let quote = zero_bytes(word ^ (ONES * u64::from(b'"')));
        let backslash = zero_bytes(word ^ (ONES * u64::from(b'\\')));
        let control = word.wrapping_sub(ONES * 0x20) & !word & HIGH_BITS;
        let found = quote | backslash | control;
        if found != 0 {
            at += found.trailing_zeros() as usize / 8;
            return (bytes.get(at) == Some(&b'"')).then_some(at);
        }
        at += 8;
    }
    let tail = words.remainder();
    let length = tail.iter().position(|&b| b == b'"' || b == b'\\' || b < 0x20)?;
    (tail.get(length) == Some(&b'"')).then_some(at + length)
}

/// A coordinate as serde_json reads it, bit for bit. A decimal fraction of at most 15 digits is
/// an exact integer over an exact power of ten, and one division of the two is correctly rounded,
/// as serde_json rounds (the standard library's parse took twice as long); anything else is read by
/// serde_json.
pub(super) fn coordinate(number: &str) -> Option<f64> {
    let short = short_decimal_at(number.as_bytes(), 0).filter(|&(_, end)| end == number.len());
    short.map(|(value, _)| value).or_else(|| serde_json::from_str(number).ok())
}

/// The short decimal written at `start` of `bytes` (`-?digits.digits`, at most 15 digits in all,
/// as JSON allows it: no leading zero, no exponent after it) as the quotient of its digits and a
/// power of ten, and where it ends; `None` for anything else.
#[inline]
fn short_decimal_at(bytes: &[u8], start: usize) -> Option<(f64, usize)> {
    const MAX_DIGITS: usize = 15;
    let negative = bytes.get(start) == Some(&b'-');
    let integer_start = start + usize::from(negative);
    let mut mantissa = 0_u64;
    let mut digits = |from: usize| {
        let mut at = from;
        while let Some(&byte) = bytes.get(at).filter(|b| b.is_ascii_digit()) {
            // Wrapping: a number of more digits than an f64 holds exactly is not used.
            mantissa = mantissa.wrapping_mul(10).wrapping_add(u64::from(byte - b'0'));
            at += 1;
        }
        at
    };
    let point = digits(integer_start);
    let integer_digits = point - integer_start;
    if integer_digits == 0 || (integer_digits > 1 && bytes.get(integer_start) == Some(&b'0')) {
        return None;
    }
    if bytes.get(point) != Some(&b'.') {
        return None;
    }
    let end = digits(point + 1);
    let fraction_digits = end - point - 1;
    if fraction_digits == 0
        || integer_digits + fraction_digits > MAX_DIGITS
        || matches!(bytes.get(end), Some(b'e' | b'E'))
    {
        return None;
    }
    let power = POWERS_OF_TEN.get(fraction_digits)?;
    // At most 15 digits: below 2^53, exact.
    #[expect(clippy::cast_precision_loss, reason = "at most 15 decimal digits, exact in an f64")]
    let value = mantissa as f64 / power;
    Some((if negative { -value } else { value }, end))
}

/// The powers of ten a short decimal divides by: every one is exact in an `f64`.
const POWERS_OF_TEN: [f64; 16] = [1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15];
