//! The per-event value ids of one field, each as narrow as the field's table allows: a byte while
//! it has fewer than 256 values (event types, precisions, regions), two bytes below 65,536
//! (actors, admin areas), four beyond (notes, ids). A million ACLED rows keep 31 such columns.

/// Value ids (0: no value), one per event, in the narrowest width that holds the largest.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum NarrowIds {
    /// Every id below 256.
    Byte(Vec<u8>),
    /// Every id below 65,536.
    Short(Vec<u16>),
    /// Any id.
    Word(Vec<u32>),
}

impl Default for NarrowIds {
    fn default() -> Self {
        Self::Byte(Vec::new())
    }
}

impl NarrowIds {
    /// `len` events without a value.
    pub fn zeros(len: usize) -> Self {
        Self::Byte(vec![0; len])
    }

    /// No events yet, with room for `events` of them (as bytes, until an id needs more).
    pub fn with_capacity(events: usize) -> Self {
        Self::Byte(Vec::with_capacity(events))
    }

    /// How many events.
    pub fn len(&self) -> usize {
        match self {
            Self::Byte(ids) => ids.len(),
            Self::Short(ids) => ids.len(),
            Self::Word(ids) => ids.len(),
        }
    }

    /// Whether there are no events.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The id of event `at`.
    #[inline]
    pub fn get(&self, at: usize) -> Option<u32> {
        match self {
            Self::Byte(ids) => ids.get(at).map(|&id| u32::from(id)),
            Self::Short(ids) => ids.get(at).map(|&id| u32::from(id)),
            Self::Word(ids) => ids.get(at).copied(),
        }
    }

    /// Every id, in event order.
    pub fn iter(&self) -> impl Iterator<Item = u32> + '_ {
        (0..self.len()).filter_map(|at| self.get(at))
    }

    /// Sets the id of event `at` (an event past the end is ignored), widening when it needs to.
    #[inline]
    pub fn set(&mut self, at: usize, id: u32) {
        let fits = match self {
            Self::Byte(ids) => u8::try_from(id).map(|id| ids.get_mut(at).map(|slot| *slot = id)).is_ok(),
            Self::Short(ids) => u16::try_from(id).map(|id| ids.get_mut(at).map(|slot| *slot = id)).is_ok(),
            Self::Word(ids) => {
                if let Some(slot) = ids.get_mut(at) {
                    *slot = id;
                }
                true
            }
        };
        if !fits && at < self.len() {
            self.widen_for(id);
            self.set(at, id);
        }
    }

    /// As [`Self::set`], first making it `at` events long when it is shorter (the events added
    /// have no value): for a column that gains its events only as they are given values.
    #[inline]
    pub fn set_extending(&mut self, at: usize, id: u32) {
        // Mostly the event after the last: pushed, with one look at the width.
        let pushed = match self {
            Self::Byte(ids) => at == ids.len() && u8::try_from(id).map(|id| ids.push(id)).is_ok(),
            Self::Short(ids) => at == ids.len() && u16::try_from(id).map(|id| ids.push(id)).is_ok(),
            Self::Word(ids) => {
                at == ids.len() && {
                    ids.push(id);
                    true
                }
            }
        };
        if pushed {
            return;
        }
        if at < self.len() {
            self.set(at, id);
        } else {
            self.resize(at);
            self.push(id);
        }
    }

    /// Adds an event with `id`.
    #[inline]
    pub fn push(&mut self, id: u32) {
        let fits = match self {
            Self::Byte(ids) => u8::try_from(id).map(|id| ids.push(id)).is_ok(),
            Self::Short(ids) => u16::try_from(id).map(|id| ids.push(id)).is_ok(),
            Self::Word(ids) => {
                ids.push(id);
                true
            }
        };
        if !fits {
            self.widen_for(id);
            self.push(id);
        }
    }

    /// Sets the ids of events `at`, `at + 1` … to `map`'s id for each of `from`'s ids in `range`
    /// (an id `map` does not have becomes 0), widened first as the largest of `map` needs. The
    /// events of `range` past `from`'s end have no value: they are left as they are.
    pub fn set_mapped(&mut self, at: usize, from: &Self, range: std::ops::Range<usize>, map: &[u32]) {
        self.widen_for(map.iter().copied().max().unwrap_or(0));
        let range = range.start..range.end.min(from.len());
        match from {
            Self::Byte(from) => self.set_each(at, from.get(range), map),
            Self::Short(from) => self.set_each(at, from.get(range), map),
            Self::Word(from) => self.set_each(at, from.get(range), map),
        }
    }

    /// [`Self::set_mapped`] from ids of one width (`None`: none), this wide enough.
    fn set_each<T: Copy + Into<u32>>(&mut self, at: usize, from: Option<&[T]>, map: &[u32]) {
        let Some(from) = from else { return };
        let mapped = |id: T| map.get(id.into() as usize).copied().unwrap_or(0);
        match self {
            Self::Byte(ids) => {
                let slots = ids.iter_mut().skip(at).zip(from);
                slots.for_each(|(slot, &id)| *slot = u8::try_from(mapped(id)).unwrap_or(u8::MAX));
            }
            Self::Short(ids) => {
                let slots = ids.iter_mut().skip(at).zip(from);
                slots.for_each(|(slot, &id)| *slot = u16::try_from(mapped(id)).unwrap_or(u16::MAX));
            }
            Self::Word(ids) => ids.iter_mut().skip(at).zip(from).for_each(|(slot, &id)| *slot = mapped(id)),
        }
    }

    /// Makes it `len` events long: new events have no value.
    pub fn resize(&mut self, len: usize) {
        match self {
            Self::Byte(ids) => ids.resize(len, 0),
            Self::Short(ids) => ids.resize(len, 0),
            Self::Word(ids) => ids.resize(len, 0),
        }
    }

    /// Forgets the events from `len` on.
    pub fn truncate(&mut self, len: usize) {
        match self {
            Self::Byte(ids) => ids.truncate(len),
            Self::Short(ids) => ids.truncate(len),
            Self::Word(ids) => ids.truncate(len),
        }
    }

    /// Keeps the events whose `keep` is true (events past its end are kept), in order.
    pub fn retain(&mut self, keep: &[bool]) {
        match self {
            Self::Byte(ids) => retain_kept(ids, keep),
            Self::Short(ids) => retain_kept(ids, keep),
            Self::Word(ids) => retain_kept(ids, keep),
        }
    }

    /// Bytes held.
    pub fn bytes(&self) -> usize {
        match self {
            Self::Byte(ids) => ids.capacity(),
            Self::Short(ids) => ids.capacity() * 2,
            Self::Word(ids) => ids.capacity() * 4,
        }
    }

    /// Widens the ids so that `id` fits (once or twice per column).
    #[cold]
    fn widen_for(&mut self, id: u32) {
        match self {
            Self::Byte(ids) if id > u32::from(u8::MAX) => {
                *self = if id > u32::from(u16::MAX) {
                    Self::Word(ids.iter().map(|&id| u32::from(id)).collect())
                } else {
                    Self::Short(ids.iter().map(|&id| u16::from(id)).collect())
                };
            }
            Self::Short(ids) if id > u32::from(u16::MAX) => {
                *self = Self::Word(ids.iter().map(|&id| u32::from(id)).collect());
            }
            _ => {}
        }
    }
}

/// Keeps the items (one per event) whose `keep` is true (items past its end are kept), in order.
pub fn retain_kept<T>(items: &mut Vec<T>, keep: &[bool]) {
    let mut position = 0;
    items.retain(|_| {
        let kept = keep.get(position).copied().unwrap_or(true);
        position += 1;
        kept
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_widen_as_they_grow_and_come_back_exactly() {
        let mut ids = NarrowIds::zeros(3);
        ids.set(1, 200);
        assert!(matches!(ids, NarrowIds::Byte(_)));
        ids.push(300);
        assert!(matches!(ids, NarrowIds::Short(_)));
        ids.push(70_000);
        assert!(matches!(ids, NarrowIds::Word(_)));
        assert_eq!(ids.iter().collect::<Vec<_>>(), [0, 200, 0, 300, 70_000]);
        ids.retain(&[true, false, true, false]);
        assert_eq!(ids.iter().collect::<Vec<_>>(), [0, 0, 70_000]);
        ids.truncate(1);
        ids.resize(2);
        assert_eq!(ids.iter().collect::<Vec<_>>(), [0, 0]);
        assert_eq!(ids.get(5), None);
        let mut mapped = NarrowIds::zeros(5);
        mapped.set_mapped(1, &NarrowIds::Byte(vec![2, 0, 1, 2, 1]), 1..5, &[0, 7, 300]);
        assert_eq!(mapped.iter().collect::<Vec<_>>(), [0, 0, 7, 300, 7]);
        assert!(matches!(mapped, NarrowIds::Short(_)));
        let mut skipped = NarrowIds::zeros(1);
        skipped.set(4, 9);
        skipped.set(4, 900);
        assert_eq!(skipped, NarrowIds::zeros(1));
    }

    #[test]
    fn a_column_set_past_its_end_gains_empty_events_up_to_it() {
        let mut ids = NarrowIds::default();
        ids.set_extending(0, 5);
        ids.set_extending(3, 300);
        ids.set_extending(1, 2);
        ids.set_extending(4, 70_000);
        assert_eq!(ids.iter().collect::<Vec<_>>(), [5, 2, 0, 300, 70_000]);
        assert!(matches!(ids, NarrowIds::Word(_)));
        // Mapping from a shorter column: the events past its end keep what they had.
        let mut mapped = NarrowIds::Byte(vec![9; 6]);
        mapped.set_mapped(2, &NarrowIds::Byte(vec![1, 0, 2]), 0..4, &[0, 7, 8]);
        assert_eq!(mapped.iter().collect::<Vec<_>>(), [9, 9, 7, 0, 8, 9]);
    }
}
