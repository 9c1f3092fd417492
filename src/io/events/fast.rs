//! A direct reader for the commonest feature of large files: a Point with plain string (or
//! number) properties, as conflict-event exports write them a million times over. It builds
//! exactly the raw feature serde would, about twice as fast, and declines (`None`) anything else,
//! which serde then reads: an escape in a string, a curated record's key, another type, a
//! duplicate key, invalid JSON. Numbers go through serde_json's own parser, so coordinates are bit
//! for bit the same.

use std::borrow::Cow;

use compact_str::CompactString;

use super::raw::{RawCoordinates, RawEventProperties, RawFeature, RawGeometry, RawId, Text};
use super::split::Scanner;

/// A property of a curated Kronika record, read by serde's own readers (never here). (One
/// `match`, which tells most keys apart by their length, not fourteen comparisons a field.)
fn is_curated(key: &str) -> bool {
    matches!(
        key,
        "summary"
            | "date_label"
            | "date_basis"
            | "date_note"
            | "place"
            | "places"
            | "undated"
            | "ongoing"
            | "location_precision"
            | "actors"
            | "casualties"
            | "claim_status"
            | "relations"
            | "citations"
    )
}

/// The keys of another tool's fields met in one feature, to decline a key met twice: each key
/// marks one of 64 bits (by its length and its first and last bytes), and only a key whose bit is
/// marked already is compared with the keys before it (twenty fields a feature, compared each
/// with all before, were a tenth of reading them).
#[derive(Default)]
struct KeysMet(u64);

impl KeysMet {
    /// Marks `key`; false when it may have been met before.
    fn first_time(&mut self, key: &str) -> bool {
        let bytes = key.as_bytes();
        let (first, last) = (bytes.first().copied().unwrap_or(0), bytes.last().copied().unwrap_or(0));
        let bit = 1_u64 << ((bytes.len() * 7 + usize::from(first) + usize::from(last) * 3) % 64);
        let new = self.0 & bit == 0;
        self.0 |= bit;
        new
    }
}

/// Reads `raw`, one feature's JSON text, or declines.
pub(super) fn read(raw: &str) -> Option<RawFeature<'_>> {
    let mut reader = Reader { text: raw, cursor: Scanner { bytes: raw.as_bytes(), at: 0 } };
    let mut feature = RawFeature { kind: None, id: None, geometry: None, properties: None };
    let (mut seen_geometry, mut seen_properties) = (false, false);
    reader.object(|reader, key| {
        match key {
            "type" if feature.kind.is_none() => feature.kind = Some(Text(Cow::Borrowed(reader.string()?))),
            "id" if feature.id.is_none() => feature.id = Some(reader.id()?),
            "geometry" if !seen_geometry => {
                seen_geometry = true;
                feature.geometry = if reader.null() { None } else { Some(reader.point()?) };
            }
            "properties" if !seen_properties => {
                seen_properties = true;
                feature.properties = if reader.null() { None } else { Some(reader.properties()?) };
            }
            _ => return None,
        }
        Some(())
    })?;
    reader.cursor.skip_whitespace();
    (reader.cursor.at == raw.len()).then_some(feature)
}

/// One feature's text, read with the splitter's cursor.
struct Reader<'a> {
    text: &'a str,
    cursor: Scanner<'a>,
}

impl<'a> Reader<'a> {
    fn peek(&self) -> Option<u8> {
        self.cursor.peek()
    }

    fn whitespace(&mut self) {
        self.cursor.skip_whitespace();
    }

    /// `byte`, after any whitespace.
    fn byte(&mut self, byte: u8) -> Option<()> {
        self.cursor.skip_whitespace();
        self.cursor.expect(byte)
    }

    /// A string with no escapes and no control characters, borrowed.
    fn string(&mut self) -> Option<&'a str> {
        self.byte(b'"')?;
        let rest = self.text.get(self.cursor.at..)?;
        let length = string_length(rest.as_bytes())?;
        self.cursor.at += length + 1;
        rest.get(..length)
    }

    /// `null`, consumed; false (nothing consumed) for anything else.
    fn null(&mut self) -> bool {
        self.whitespace();
        let found = self.text.get(self.cursor.at..).is_some_and(|rest| rest.starts_with("null"));
        if found {
            self.cursor.at += 4;
        }
        found
    }

    /// A JSON number's text, checked against JSON's grammar.
    fn number_text(&mut self) -> Option<&'a str> {
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

    /// A string id, or a non-negative integer one, as serde's id visitor would spell it.
    fn id(&mut self) -> Option<RawId> {
        self.whitespace();
        if self.peek()? == b'"' {
            return Some(RawId(CompactString::from(self.string()?)));
        }
        let number = self.number_text()?;
        // Digits only: u64's own spelling (no sign, fraction, exponent or leading zero).
        number.parse::<u64>().ok().filter(|n| n.to_string() == number).map(|_| RawId(CompactString::from(number)))
    }

    /// Calls `member` for each key of an object, positioned at its value.
    fn object(&mut self, mut member: impl FnMut(&mut Self, &'a str) -> Option<()>) -> Option<()> {
        self.byte(b'{')?;
        self.whitespace();
        if self.peek()? == b'}' {
            self.cursor.at += 1;
            return Some(());
        }
        loop {
            let key = self.string()?;
            self.byte(b':')?;
            member(self, key)?;
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

    /// `{"type": "...", "coordinates": [numbers]}`, keys in any order.
    fn point(&mut self) -> Option<RawGeometry<'a>> {
        let mut kind = None;
        let mut coordinates: Option<RawCoordinates> = None;
        let mut seen_coordinates = false;
        self.object(|reader, key| {
            match key {
                "type" if kind.is_none() => kind = Some(reader.string()?),
                "coordinates" if !seen_coordinates => {
                    seen_coordinates = true;
                    coordinates = if reader.null() { None } else { Some(reader.numbers()?) };
                }
                _ => return None,
            }
            Some(())
        })?;
        Some(RawGeometry { kind: Text(Cow::Borrowed(kind?)), coordinates })
    }

    /// An array of numbers, parsed by serde_json itself.
    fn numbers(&mut self) -> Option<RawCoordinates> {
        self.byte(b'[')?;
        let mut coordinates = RawCoordinates::default();
        self.whitespace();
        if self.peek()? == b']' {
            self.cursor.at += 1;
            return Some(coordinates);
        }
        loop {
            let value = coordinate(self.number_text()?)?;
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

    /// Properties with only the keys every event has, each a plain string (or `approximate`).
    fn properties(&mut self) -> Option<RawEventProperties<'a>> {
        let mut properties = RawEventProperties::default();
        let mut seen_approximate = false;
        let mut keys_met = KeysMet::default();
        self.object(|reader, key| {
            let text = |reader: &mut Self| Some(Text(Cow::Borrowed(reader.string()?)));
            match key {
                "id" if properties.id.is_none() => properties.id = Some(reader.id()?),
                "title" if properties.title.is_none() => properties.title = Some(reader.string()?.into()),
                "start" if properties.start.is_none() => properties.start = Some(text(reader)?),
                "end" if properties.end.is_none() => properties.end = Some(text(reader)?),
                "category" if properties.category.is_none() => properties.category = Some(text(reader)?),
                "approximate" if !seen_approximate => {
                    seen_approximate = true;
                    properties.approximate = reader.boolean()?;
                }
                // One of those keys again, or a curated record's key: serde reads them (and says
                // which value counts).
                "id" | "title" | "start" | "end" | "category" | "approximate" => return None,
                key if is_curated(key) => return None,
                key => {
                    // Another tool's field, a plain string or an integer (kept as the text serde
                    // would give): to the dataset's field store. A key seen twice declines.
                    let value = reader.plain_value()?;
                    let extra = &mut properties.curated().extra;
                    if !keys_met.first_time(key) && extra.iter().any(|(name, _)| name == key) {
                        return None;
                    }
                    if extra.is_empty() {
                        // Room for the fields of most exports at once: growing four times over
                        // (a million times) cost more than reading the fields.
                        extra.reserve(32);
                    }
                    extra.push((Cow::Borrowed(key), Cow::Borrowed(value)));
                }
            }
            Some(())
        })?;
        Some(properties)
    }

    /// A string with no escapes, or a number in the spelling serde would write it back in;
    /// `None` for anything else.
    fn plain_value(&mut self) -> Option<&'a str> {
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
    fn boolean(&mut self) -> Option<bool> {
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

/// The length of a string's text up to its closing quote, when it has no escape and no control
/// character; eight bytes at a time.
fn string_length(bytes: &[u8]) -> Option<usize> {
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
/// an exact integer over an exact power of ten, which serde_json and the standard library both
/// round correctly, the standard library faster; anything else is read by serde_json.
fn coordinate(number: &str) -> Option<f64> {
    // One look at each byte (two million coordinates are read).
    let (mut digits, mut point, mut exponent) = (0, false, false);
    for byte in number.bytes() {
        match byte {
            b'0'..=b'9' => digits += 1,
            b'.' => point = true,
            b'e' | b'E' => exponent = true,
            _ => {}
        }
    }
    let plain_decimal = point && digits <= 15 && !exponent;
    if plain_decimal { number.parse().ok() } else { serde_json::from_str(number).ok() }
}

#[cfg(test)]
mod tests;
