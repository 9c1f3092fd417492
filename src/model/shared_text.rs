//! The short texts a million events each carry (their titles), kept without an allocation each:
//! up to 24 bytes inline, longer ones as a range of one text shared by the thousands of events
//! read with them. A 30-byte title on the heap took one allocation of 48 bytes beside its 24
//! inline (1M plain events: 14 MB more at the peak); titles made from a million ACLED notes took
//! a million allocations (1M ACLED CSV rows loaded a tenth slower with them).

use std::borrow::Borrow;
use std::fmt;
use std::hash::{Hash, Hasher};
use std::ops::Deref;
use std::sync::Arc;

use compact_str::CompactString;

/// A text kept inline, or as a range of a text shared with others. Reads as a `str`; compares,
/// orders and hashes as its text, whichever way it is kept.
#[derive(Clone)]
pub struct SharedText(Repr);

#[derive(Clone)]
enum Repr {
    Inline(CompactString),
    /// `text[start..end]`, on character boundaries.
    Range {
        text: Arc<String>,
        start: u32,
        end: u32,
    },
}

impl SharedText {
    /// The text.
    pub fn as_str(&self) -> &str {
        match &self.0 {
            Repr::Inline(text) => text,
            Repr::Range { text, start, end } => text.get(*start as usize..*end as usize).unwrap_or_default(),
        }
    }

    /// Whether it is a range of a shared text (no allocation of its own).
    pub fn is_shared(&self) -> bool {
        matches!(self.0, Repr::Range { .. })
    }
}

impl Default for SharedText {
    fn default() -> Self {
        Self(Repr::Inline(CompactString::default()))
    }
}

impl Deref for SharedText {
    type Target = str;

    fn deref(&self) -> &str {
        self.as_str()
    }
}

impl AsRef<str> for SharedText {
    fn as_ref(&self) -> &str {
        self.as_str()
    }
}

impl Borrow<str> for SharedText {
    fn borrow(&self) -> &str {
        self.as_str()
    }
}

impl fmt::Display for SharedText {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self.as_str(), f)
    }
}

impl fmt::Debug for SharedText {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self.as_str(), f)
    }
}

impl PartialEq for SharedText {
    fn eq(&self, other: &Self) -> bool {
        self.as_str() == other.as_str()
    }
}

impl Eq for SharedText {}

impl PartialEq<str> for SharedText {
    fn eq(&self, other: &str) -> bool {
        self.as_str() == other
    }
}

impl PartialEq<&str> for SharedText {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

impl PartialOrd for SharedText {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for SharedText {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        self.as_str().cmp(other.as_str())
    }
}

impl Hash for SharedText {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.as_str().hash(state);
    }
}

impl From<&str> for SharedText {
    fn from(text: &str) -> Self {
        Self(Repr::Inline(CompactString::from(text)))
    }
}

impl From<&String> for SharedText {
    fn from(text: &String) -> Self {
        Self::from(text.as_str())
    }
}

impl From<String> for SharedText {
    fn from(text: String) -> Self {
        Self(Repr::Inline(CompactString::from(text)))
    }
}

impl From<CompactString> for SharedText {
    fn from(text: CompactString) -> Self {
        Self(Repr::Inline(text))
    }
}

impl From<SharedText> for String {
    fn from(text: SharedText) -> Self {
        text.as_str().to_owned()
    }
}

/// The texts of a run of items (a chunk of a file's events, a part of a build), held as they
/// are read and handed out, once every one is read, as ranges of one shared text.
#[derive(Debug, Default)]
pub struct SharedTextBuilder {
    text: String,
    /// (item, start, end) of each text held in `text`.
    held: Vec<(u32, u32, u32)>,
    /// How many items were given a text.
    items: u32,
}

impl SharedTextBuilder {
    /// The next item's text: short ones inline at once; longer ones held, and an empty text
    /// until [`Self::hand_out`] gives it.
    pub fn next(&mut self, text: &str) -> SharedText {
        self.hold(self.items as usize, text)
    }

    /// Item `item`'s text (items come in order, none twice), as [`Self::next`] gives it.
    pub fn hold(&mut self, item: usize, text: &str) -> SharedText {
        let item = u32::try_from(item).unwrap_or(u32::MAX);
        self.items = item.saturating_add(1);
        if text.len() <= INLINE_BYTES || item == u32::MAX {
            return SharedText::from(text);
        }
        let start = self.text.len();
        let end = start + text.len();
        let (Ok(start), Ok(end)) = (u32::try_from(start), u32::try_from(end)) else {
            // More than 4 GiB of titles in one run: the rest keep their own.
            return SharedText::from(text);
        };
        self.text.push_str(text);
        self.held.push((item, start, end));
        SharedText::default()
    }

    /// How many items were given a text.
    pub fn items(&self) -> usize {
        self.items as usize
    }

    /// Forgets the items from `items` on (they were dropped), and their texts.
    pub fn truncate(&mut self, items: usize) {
        let items = u32::try_from(items).unwrap_or(u32::MAX);
        if items >= self.items {
            return;
        }
        self.items = items;
        let keep = self.held.partition_point(|&(item, _, _)| item < items);
        self.held.truncate(keep);
        let text_end = self.held.last().map_or(0, |&(_, _, end)| end as usize);
        self.text.truncate(text_end);
    }

    /// Gives each held text to its item: `place(item, text)`.
    /// The builder is left empty, its memory kept for the next run of items.
    pub fn hand_out(&mut self, mut place: impl FnMut(usize, SharedText)) {
        self.items = 0;
        if self.held.is_empty() {
            return;
        }
        // Copied to a text of its own size; the buffer it grew in stays here, to be filled
        // again (each part of a build grew one anew for every slice of a block, copying it at
        // each doubling).
        let text = Arc::new(self.text.as_str().to_owned());
        self.text.clear();
        for (item, start, end) in self.held.drain(..) {
            place(item as usize, SharedText(Repr::Range { text: Arc::clone(&text), start, end }));
        }
    }

    /// Gives each held text to its item of `items`, in the place `slot` says.
    pub fn hand_out_to<T>(&mut self, items: &mut [T], slot: impl Fn(&mut T) -> &mut SharedText) {
        self.hand_out(|item, text| {
            if let Some(item) = items.get_mut(item) {
                *slot(item) = text;
            }
        });
    }
}

/// Texts this long or shorter are kept inline.
const INLINE_BYTES: usize = 24;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_shared_text_is_as_small_as_an_inline_one_and_reads_the_same() {
        assert_eq!(std::mem::size_of::<SharedText>(), std::mem::size_of::<CompactString>());
        let texts = ["short", "A title of well over twenty-four bytes", "", "Ünïcödé title, thirty bytes and more"];
        let mut builder = SharedTextBuilder::default();
        let mut items: Vec<SharedText> = texts.iter().map(|text| builder.next(text)).collect();
        assert_eq!(builder.items(), 4);
        builder.hand_out(|item, text| items[item] = text);
        for (item, text) in items.iter().zip(texts) {
            assert_eq!(item.as_str(), text);
            assert_eq!(item, &SharedText::from(text), "equal whichever way it is kept");
            assert_eq!(item.is_shared(), text.len() > INLINE_BYTES);
        }
        let mut hashes = std::collections::HashSet::new();
        hashes.insert(items[1].clone());
        assert!(hashes.contains(texts[1]), "hashes as its text");
    }

    #[test]
    fn dropped_items_lose_their_texts() {
        let mut builder = SharedTextBuilder::default();
        let long = |n: usize| format!("{n}: a title long enough to be shared");
        let mut items: Vec<SharedText> = (0..5).map(|n| builder.next(&long(n))).collect();
        builder.truncate(2);
        items.truncate(2);
        items.push(builder.next(&long(9)));
        builder.hand_out(|item, text| items[item] = text);
        let read: Vec<&str> = items.iter().map(SharedText::as_str).collect();
        assert_eq!(read, [long(0), long(1), long(9)]);
    }

    #[test]
    fn a_builder_handed_out_starts_a_new_run_in_the_memory_it_had() {
        let mut builder = SharedTextBuilder::default();
        let long = |run: usize, n: usize| format!("run {run}, item {n}: a title long enough to be shared");
        let mut first: Vec<SharedText> = (0..50).map(|n| builder.next(&long(1, n))).collect();
        builder.hand_out(|item, text| first[item] = text);
        let room = builder.text.capacity();
        assert!(room > 0 && builder.items() == 0 && builder.text.is_empty());
        let mut second: Vec<SharedText> = (0..3).map(|n| builder.next(&long(2, n))).collect();
        builder.hand_out(|item, text| second[item] = text);
        assert_eq!(builder.text.capacity(), room, "the same memory");
        assert!(first.iter().enumerate().all(|(n, text)| text.as_str() == long(1, n)));
        assert!(second.iter().enumerate().all(|(n, text)| text.as_str() == long(2, n)));
        // Each run's texts are copied to a text of their own size.
        assert!(matches!(&second[0].0, Repr::Range { text, .. } if text.len() == 3 * long(2, 0).len()));
    }
}
