//! Keys and strings as large files mostly write them, matched whole in one comparison of 16
//! bytes instead of read byte by byte.

/// A key as it is mostly written, `"key":`, or a string, `"text"`, as the first bytes of a
/// 16-byte word, to be matched whole in one comparison.
#[derive(Clone, Copy)]
pub(crate) struct Literal<'t> {
    /// The key or string.
    pub(super) text: &'t str,
    /// How many bytes it is written in.
    pub(super) written: usize,
    /// It, written, in the low bytes, little-endian.
    bytes: u128,
    /// Ones over those bytes.
    mask: u128,
}

impl<'t> Literal<'t> {
    /// A key, `"key":`: at most 13 bytes, no character JSON escapes.
    pub(crate) const fn key(key: &'t str) -> Self {
        assert!(Self::fits(key, true), "a key literal of at most 13 bytes JSON writes as they are");
        Self::written(key, true)
    }

    /// A string, `"text"`: at most 14 bytes, no character JSON escapes.
    pub(crate) const fn string(text: &'t str) -> Self {
        assert!(Self::fits(text, false), "a string literal of at most 14 bytes JSON writes as they are");
        Self::written(text, false)
    }

    /// `text` as a string literal, when it fits one: at most 14 bytes, none JSON escapes.
    pub(crate) const fn string_if_fits(text: &'t str) -> Option<Self> {
        if Self::fits(text, false) { Some(Self::written(text, false)) } else { None }
    }

    const fn fits(text: &str, colon: bool) -> bool {
        if text.len() + 2 + colon as usize > 16 {
            return false;
        }
        let mut rest = text.as_bytes();
        while let [byte, after @ ..] = rest {
            if *byte < 0x20 || *byte == b'"' || *byte == b'\\' {
                return false;
            }
            rest = after;
        }
        true
    }

    const fn written(text: &'t str, colon: bool) -> Self {
        let inner = text.as_bytes();
        let written = inner.len() + 2 + colon as usize;
        let mut bytes = b'"' as u128;
        let (mut rest, mut at) = (inner, 0);
        while let [byte, after @ ..] = rest {
            bytes |= (*byte as u128) << (8 * (at + 1));
            (rest, at) = (after, at + 1);
        }
        bytes |= (b'"' as u128) << (8 * (inner.len() + 1));
        if colon {
            bytes |= (b':' as u128) << (8 * (inner.len() + 2));
        }
        let mask = if written == 16 { u128::MAX } else { (1_u128 << (8 * written)) - 1 };
        Self { text, written, bytes, mask }
    }

    /// Whether `word` (the next 16 bytes) starts with it.
    pub(super) fn starts(&self, word: u128) -> bool {
        word & self.mask == self.bytes
    }
}
