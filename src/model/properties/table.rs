//! The text of a column's distinct values, and the hashes they are interned by.

use std::hash::Hasher;

/// Distinct strings in one buffer: value `i` is `text[ends[i - 1]..ends[i]]`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(super) struct StringTable {
    pub(super) text: String,
    pub(super) ends: Vec<usize>,
}

impl StringTable {
    pub(super) fn push(&mut self, value: &str) -> u32 {
        self.text.push_str(value);
        self.ends.push(self.text.len());
        u32::try_from(self.ends.len()).unwrap_or(u32::MAX)
    }

    /// The value with id `id` (1-based; 0 is "absent").
    pub(super) fn get(&self, id: u32) -> Option<&str> {
        self.text.get(self.range(id)?)
    }

    /// Whether the value with id `id` is `value`: its bytes compared, with no look for character
    /// boundaries (interning asks this of every value it meets).
    pub(super) fn holds(&self, id: u32, value: &str) -> bool {
        self.range(id)
            .and_then(|range| self.text.as_bytes().get(range))
            .is_some_and(|held| same_bytes(held, value.as_bytes()))
    }

    /// Where the value with id `id` is in the text.
    pub(super) fn range(&self, id: u32) -> Option<std::ops::Range<usize>> {
        let index = usize::try_from(id).ok()?.checked_sub(1)?;
        let start = if index == 0 { 0 } else { *self.ends.get(index - 1)? };
        Some(start..*self.ends.get(index)?)
    }

    pub(super) fn bytes(&self) -> usize {
        self.text.capacity() + self.ends.capacity() * std::mem::size_of::<usize>()
    }
}

/// Whether two texts are the same: short ones (field names, most repeated values) compared in
/// two words each instead of a call to `memcmp` (a million rows of thirty fields each ask it of
/// every field's name, and of its value).
pub(super) fn same_bytes(a: &[u8], b: &[u8]) -> bool {
    if a.len() != b.len() {
        return false;
    }
    // Their first and last eight (or four) bytes: all of them.
    match a.len() {
        8..=16 => a.first_chunk::<8>() == b.first_chunk::<8>() && a.last_chunk::<8>() == b.last_chunk::<8>(),
        4..=7 => a.first_chunk::<4>() == b.first_chunk::<4>() && a.last_chunk::<4>() == b.last_chunk::<4>(),
        _ => a == b,
    }
}

/// The hash a value is interned by.
pub(super) fn value_hash(value: &str) -> u64 {
    let mut hasher = rustc_hash::FxHasher::default();
    hasher.write(value.as_bytes());
    hasher.finish()
}

/// A hasher for keys that are hashes already.
#[derive(Debug, Default)]
pub(super) struct NoHash(u64);

impl Hasher for NoHash {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for &byte in bytes {
            self.0 = self.0.rotate_left(8) ^ u64::from(byte);
        }
    }
    fn write_u64(&mut self, value: u64) {
        self.0 = value;
    }
}
