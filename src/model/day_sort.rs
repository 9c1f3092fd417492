//! Sorting events by day without comparing them: a million events fall on a few thousand days, so
//! counting how many fall on each day and placing them in one pass is several times faster than a
//! comparison sort (a tenth of loading a million events went into the two sorts of the time index).
//! A range of days much wider than the number of events is sorted by comparison instead.

use rayon::iter::ParallelIterator as _;
use rayon::slice::ParallelSliceMut as _;

use super::date::DayNumber;

/// Sorts (first day, last day, event) entries in ascending order, as `sort_unstable` would.
pub fn sort_day_entries<E: Copy + Ord + Send>(entries: &mut Vec<(DayNumber, DayNumber, E)>) {
    let Some(first_days) = countable_range(entries.iter().map(|e| e.0), entries.len()) else {
        entries.par_sort_unstable();
        return;
    };
    // Entries in event order (as an index makes them) need no comparing at all: placed by last
    // day, then by first day, each keeping the order before, they end by first day, last day and
    // event.
    if entries.is_sorted_by_key(|e| e.2)
        && let Some(last_days) = countable_range(entries.iter().map(|e| e.1), entries.len())
    {
        let mut by_last_day = entries.clone();
        place_by_day(entries, &mut by_last_day, &last_days, |e| e.1);
        place_by_day(&by_last_day, entries, &first_days, |e| e.0);
        return;
    }
    let mut sorted = entries.clone();
    place_by_day(entries, &mut sorted, &first_days, |e| e.0);
    // Within a day, by last day and event: a few entries each.
    sorted.par_chunk_by_mut(|a, b| a.0 == b.0).for_each(<[_]>::sort_unstable);
    *entries = sorted;
}

/// Puts `entries` into `sorted` (as long) in the order of their `day`, keeping the order of
/// those on the same day.
fn place_by_day<T: Copy>(entries: &[T], sorted: &mut [T], range: &DayRange, day: impl Fn(&T) -> DayNumber) {
    // Where each day's entries start: a running sum of how many fall on each day.
    let mut next = range.counts(entries.iter().map(&day));
    let mut start = 0;
    for slot in &mut next {
        start += std::mem::replace(slot, start);
    }
    for &entry in entries {
        if let Some(at) = next.get_mut(range.slot(day(&entry)))
            && let Some(place) = sorted.get_mut(*at)
        {
            *place = entry;
            *at += 1;
        }
    }
}

/// `days` in ascending order.
pub fn sorted_days(days: &[DayNumber]) -> Vec<DayNumber> {
    let Some(range) = countable_range(days.iter().copied(), days.len()) else {
        let mut sorted = days.to_vec();
        sorted.par_sort_unstable();
        return sorted;
    };
    let counts = range.counts(days.iter().copied());
    let mut sorted = Vec::with_capacity(days.len());
    for (day, &count) in (range.first..).zip(&counts) {
        sorted.extend(std::iter::repeat_n(day, count));
    }
    sorted
}

/// The days from `first` on, `length` of them.
struct DayRange {
    first: DayNumber,
    length: usize,
}

impl DayRange {
    fn slot(&self, day: DayNumber) -> usize {
        usize::try_from(i64::from(day) - i64::from(self.first)).unwrap_or(usize::MAX)
    }

    /// How many of `days` fall on each day of the range.
    fn counts(&self, days: impl Iterator<Item = DayNumber>) -> Vec<usize> {
        let mut counts = vec![0_usize; self.length];
        for day in days {
            if let Some(count) = counts.get_mut(self.slot(day)) {
                *count += 1;
            }
        }
        counts
    }
}

/// The range `days` cover, when counting over it costs no more than the sort it replaces.
fn countable_range(days: impl Iterator<Item = DayNumber>, count: usize) -> Option<DayRange> {
    let (first, last) = days.fold(None, |range: Option<(DayNumber, DayNumber)>, day| {
        Some(range.map_or((day, day), |(first, last)| (first.min(day), last.max(day))))
    })?;
    let length = usize::try_from(i64::from(last) - i64::from(first) + 1).ok()?;
    (count >= 4096 && length <= count.saturating_mul(4)).then_some(DayRange { first, length })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::index::EventIdx;

    /// Entries over `spread_days`, in event order or against it.
    fn entries(count: usize, spread_days: u64, in_event_order: bool) -> Vec<(DayNumber, DayNumber, EventIdx)> {
        let mut seed = 3_u64;
        let mut next = move || {
            seed = seed.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
            seed >> 33
        };
        (0..count)
            .map(|idx| {
                let first = DayNumber::try_from(next() % spread_days).unwrap() - 5000;
                let last = first + DayNumber::try_from(next() % 3 * (next() % 400)).unwrap();
                let event = if in_event_order { idx } else { count - idx };
                (first, last, EventIdx::try_from(event).unwrap())
            })
            .collect()
    }

    /// Counted or compared, narrow or wide ranges, few or many, in event order or not, with
    /// one span far longer than all others or not: the order `sort_unstable` gives.
    #[test]
    fn sorts_as_a_comparison_sort_does() {
        let cases = [(0, 1), (10, 50), (5000, 1), (20_000, 3000), (20_000, 10_000_000), (100_000, 9000)];
        for ((count, spread_days), in_event_order, one_long_span) in
            cases.into_iter().flat_map(|case| [(case, false, false), (case, true, false), (case, true, true)])
        {
            let mut counted = entries(count, spread_days, in_event_order);
            if one_long_span && let Some(entry) = counted.get_mut(count / 2) {
                entry.1 += 50_000_000;
            }
            let mut compared = counted.clone();
            compared.sort_unstable();
            let mut last_days: Vec<DayNumber> = counted.iter().map(|e| e.1).collect();
            let days_sorted = sorted_days(&last_days);
            sort_day_entries(&mut counted);
            assert_eq!(counted, compared, "{count} over {spread_days} days ({in_event_order}, {one_long_span})");
            last_days.sort_unstable();
            assert_eq!(days_sorted, last_days, "{count} over {spread_days} days");
        }
    }
}
