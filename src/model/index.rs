//! The time index: which events overlap a window of days, how many per histogram bin, which comes next.
//!
//! Events are kept sorted by first day, with a max-of-last-day tree over blocks of that order, so a
//! window query visits only blocks that can hold overlapping events: O(log n + k) for k results in
//! practice, spans included (an event running July 1998 – January 1999 overlaps any window inside it).
//! Histogram bins are answered from two sorted arrays (first days, last days) by binary search, so
//! re-binning at another zoom costs O(bins · log n) whatever the number of events.

use super::date::{DayNumber, TimeSpan};
use super::day_sort::{sort_day_entries, sorted_days};

/// Index of an event in its dataset's `events` vector.
pub type EventIdx = u32;

/// Events per leaf block of the tree: scanned linearly.
const BLOCK_LEN: usize = 32;

/// A time index over a set of events.
#[derive(Clone, Debug, Default)]
pub struct TimeIndex {
    /// Event indices sorted by (first day, last day, index).
    by_start: Vec<EventIdx>,
    /// First day of each entry of `by_start`.
    first_days: Vec<DayNumber>,
    /// Last day of each entry of `by_start`.
    last_days: Vec<DayNumber>,
    /// All last days, sorted (for histogram counts).
    sorted_last_days: Vec<DayNumber>,
    /// Max last day per node of a complete binary tree over blocks (heap order, root at 1).
    block_tree_max_last: Vec<DayNumber>,
    /// Number of leaves of the tree (a power of two ≥ number of blocks).
    leaf_count: usize,
}

/// A run of event starts with no long silence inside.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Era {
    /// The first start day.
    pub first_start: DayNumber,
    /// The last start day.
    pub last_start: DayNumber,
    /// How many events start in it.
    pub count: usize,
}

impl TimeIndex {
    /// Builds the index from (event index, span) pairs.
    pub fn new(events: impl IntoIterator<Item = (EventIdx, TimeSpan)>) -> Self {
        Self::from_entries(events.into_iter().map(|(idx, span)| (span.first_day(), span.last_day(), idx)).collect())
    }

    /// Indexes (first day, last day, event) entries, in any order.
    pub fn from_entries(mut entries: Vec<(DayNumber, DayNumber, EventIdx)>) -> Self {
        sort_day_entries(&mut entries);
        let by_start = entries.iter().map(|e| e.2).collect();
        let first_days = entries.iter().map(|e| e.0).collect();
        let last_days: Vec<DayNumber> = entries.iter().map(|e| e.1).collect();
        let sorted_last_days = sorted_days(&last_days);

        let block_count = last_days.len().div_ceil(BLOCK_LEN);
        let leaf_count = block_count.next_power_of_two().max(1);
        let mut tree = vec![DayNumber::MIN; 2 * leaf_count];
        for (block, chunk) in last_days.chunks(BLOCK_LEN).enumerate() {
            if let (Some(slot), Some(max)) = (tree.get_mut(leaf_count + block), chunk.iter().max()) {
                *slot = *max;
            }
        }
        for node in (1..leaf_count).rev() {
            let left = tree.get(2 * node).copied().unwrap_or(DayNumber::MIN);
            let right = tree.get(2 * node + 1).copied().unwrap_or(DayNumber::MIN);
            if let Some(slot) = tree.get_mut(node) {
                *slot = left.max(right);
            }
        }
        Self { by_start, first_days, last_days, sorted_last_days, block_tree_max_last: tree, leaf_count }
    }

    /// Number of indexed events.
    pub fn len(&self) -> usize {
        self.by_start.len()
    }

    /// True when no event is indexed.
    pub fn is_empty(&self) -> bool {
        self.by_start.is_empty()
    }

    /// Events sorted by date.
    pub fn in_date_order(&self) -> &[EventIdx] {
        &self.by_start
    }

    /// First and last day covered by any event, or `None` when empty.
    pub fn extent(&self) -> Option<(DayNumber, DayNumber)> {
        Some((*self.first_days.first()?, *self.sorted_last_days.last()?))
    }

    /// First and last *start* day, or `None` when empty. Fitting the view to starts keeps one
    /// record with a long, merely bounded range from stretching the view over empty years.
    pub fn start_extent(&self) -> Option<(DayNumber, DayNumber)> {
        Some((*self.first_days.first()?, *self.first_days.last()?))
    }

    /// Calls `visit` for every event overlapping the closed day range `[from, to]`, in date order.
    pub fn for_each_in_window(&self, from: DayNumber, to: DayNumber, mut visit: impl FnMut(EventIdx)) {
        self.for_each_position_in_window(from, to, |_, idx| visit(idx));
    }

    /// As [`Self::for_each_in_window`], with each event's position in date order (an index into
    /// [`Self::in_date_order`]), so callers can keep per-event data in that order and read it
    /// sequentially.
    pub fn for_each_position_in_window(&self, from: DayNumber, to: DayNumber, mut visit: impl FnMut(usize, EventIdx)) {
        if from > to || self.is_empty() {
            return;
        }
        // Only events starting on or before `to` can overlap.
        let end = self.first_days.partition_point(|&first| first <= to);
        if end == 0 {
            return;
        }
        // A window opening before every start (the cumulative view) is a prefix: no tree needed.
        if self.first_days.first().is_some_and(|&first| from <= first) {
            for (position, &idx) in self.by_start.iter().enumerate().take(end) {
                visit(position, idx);
            }
            return;
        }
        let last_block = (end - 1) / BLOCK_LEN;
        self.visit_node(1, 0, self.leaf_count, last_block, from, end, &mut visit);
    }

    /// Number of events starting on or before `day`: in a cumulative view, the events "now" are
    /// exactly the first this many in date order.
    pub fn count_starting_by(&self, day: DayNumber) -> usize {
        self.first_days.partition_point(|&first| first <= day)
    }

    /// The events overlapping `[from, to]`, in date order.
    pub fn in_window(&self, from: DayNumber, to: DayNumber) -> Vec<EventIdx> {
        let mut found = Vec::new();
        self.for_each_in_window(from, to, |idx| found.push(idx));
        found
    }

    #[expect(clippy::too_many_arguments, reason = "a recursive helper carrying the query")]
    fn visit_node(
        &self,
        node: usize,
        block_lo: usize,
        block_hi: usize,
        last_block: usize,
        from: DayNumber,
        end: usize,
        visit: &mut impl FnMut(usize, EventIdx),
    ) {
        if block_lo > last_block || self.block_tree_max_last.get(node).is_none_or(|&max| max < from) {
            return;
        }
        if block_hi - block_lo == 1 {
            let start = block_lo * BLOCK_LEN;
            let stop = (start + BLOCK_LEN).min(end);
            for pos in start..stop {
                if let (Some(&last), Some(&idx)) = (self.last_days.get(pos), self.by_start.get(pos))
                    && last >= from
                {
                    visit(pos, idx);
                }
            }
            return;
        }
        let mid = block_lo.midpoint(block_hi);
        self.visit_node(2 * node, block_lo, mid, last_block, from, end, visit);
        self.visit_node(2 * node + 1, mid, block_hi, last_block, from, end, visit);
    }

    /// How many events overlap `[from, to]`, in O(log n).
    pub fn count_in_window(&self, from: DayNumber, to: DayNumber) -> usize {
        if from > to {
            return 0;
        }
        // Overlapping = all − (starting after `to`) − (ending before `from`); the two are disjoint
        // because every event ends on or after its start.
        let starts_after = self.first_days.len() - self.first_days.partition_point(|&d| d <= to);
        let ends_before = self.sorted_last_days.partition_point(|&d| d < from);
        self.len() - starts_after - ends_before
    }

    /// Events overlapping each bin `[origin + i·width, origin + (i+1)·width − 1]`, for `bin_count` bins.
    pub fn histogram(&self, origin: DayNumber, bin_width_days: i32, bin_count: usize) -> Vec<usize> {
        let width = bin_width_days.max(1);
        (0..bin_count)
            .map(|bin| {
                let bin = i32::try_from(bin).unwrap_or(i32::MAX);
                let from = origin.saturating_add(bin.saturating_mul(width));
                self.count_in_window(from, from.saturating_add(width - 1))
            })
            .collect()
    }

    /// Events *starting* in each bin `[origin + i·width, origin + (i+1)·width − 1]`, for `bin_count`
    /// bins. Unlike [`Self::histogram`], a record whose date is only bounded to a long range (say
    /// "some time in 1999–2026") adds one count, not one to every bin it might touch.
    pub fn histogram_of_starts(&self, origin: DayNumber, bin_width_days: i32, bin_count: usize) -> Vec<usize> {
        let width = bin_width_days.max(1);
        let starts_before = |day: DayNumber| self.first_days.partition_point(|&d| d < day);
        (0..bin_count)
            .map(|bin| {
                let bin = i32::try_from(bin).unwrap_or(i32::MAX);
                let from = origin.saturating_add(bin.saturating_mul(width));
                starts_before(from.saturating_add(width)) - starts_before(from)
            })
            .collect()
    }

    /// The first event starting strictly after `day`, in date order.
    pub fn next_after(&self, day: DayNumber) -> Option<EventIdx> {
        let pos = self.first_days.partition_point(|&d| d <= day);
        self.by_start.get(pos).copied()
    }

    /// The first start day strictly after `day`.
    pub fn next_start_after(&self, day: DayNumber) -> Option<DayNumber> {
        let pos = self.first_days.partition_point(|&d| d <= day);
        self.first_days.get(pos).copied()
    }

    /// The last event starting strictly before `day`.
    pub fn previous_before(&self, day: DayNumber) -> Option<EventIdx> {
        let pos = self.first_days.partition_point(|&d| d < day);
        pos.checked_sub(1).and_then(|p| self.by_start.get(p).copied())
    }

    /// Position of an event in date order.
    pub fn position_of(&self, idx: EventIdx) -> Option<usize> {
        self.by_start.iter().position(|&i| i == idx)
    }

    /// Groups of event starts separated by more than `gap_days` of silence. Used to jump between
    /// eras without dragging across an empty quarter-century. Starts, not spans: one record with a
    /// decades-long uncertain range must not merge the eras.
    pub fn eras(&self, gap_days: i32) -> Vec<Era> {
        let mut eras: Vec<Era> = Vec::new();
        for &first in &self.first_days {
            match eras.last_mut() {
                Some(era) if first <= era.last_start.saturating_add(gap_days) => {
                    era.last_start = first;
                    era.count += 1;
                }
                _ => eras.push(Era { first_start: first, last_start: first, count: 1 }),
            }
        }
        eras
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::date::{FuzzyDate, day_number};

    fn span(start: &str, end: &str) -> TimeSpan {
        TimeSpan::new(FuzzyDate::parse(start).unwrap(), Some(FuzzyDate::parse(end).unwrap()), false).unwrap()
    }

    fn day(text: &str) -> DayNumber {
        day_number(chrono::NaiveDate::parse_from_str(text, "%Y-%m-%d").unwrap())
    }

    fn sample() -> TimeIndex {
        TimeIndex::new([
            (0, span("1998-07", "1999-01")),       // the offensive
            (1, span("1999-01-08", "1999-01-08")), // capture per one source
            (2, span("1999-01-12", "1999-01-12")), // capture per the other
            (3, span("1998-11", "1998-11")),       // month only
            (4, span("2023-09-24", "2023-09-24")), // Banjska
            (5, span("1999-01-08", "1999-01-08")), // equal date to 1
        ])
    }

    /// Brute force, the definition the index must agree with.
    fn brute(spans: &[(EventIdx, TimeSpan)], from: DayNumber, to: DayNumber) -> Vec<EventIdx> {
        let mut found: Vec<_> = spans.iter().filter(|(_, s)| s.overlaps(from, to)).map(|(i, _)| *i).collect();
        found.sort_unstable();
        found
    }

    #[test]
    fn window_includes_spans_crossing_it() {
        let index = sample();
        let mut found = index.in_window(day("1998-12-01"), day("1998-12-31"));
        found.sort_unstable();
        assert_eq!(found, vec![0]);
        let mut found = index.in_window(day("1999-01-01"), day("1999-01-10"));
        found.sort_unstable();
        assert_eq!(found, vec![0, 1, 5]);
        assert_eq!(index.in_window(day("1999-02-01"), day("2023-09-23")), Vec::<EventIdx>::new());
        assert_eq!(index.in_window(day("2023-09-24"), day("2023-09-24")), vec![4]);
    }

    #[test]
    fn window_results_come_in_date_order() {
        let index = sample();
        assert_eq!(index.in_window(day("1998-01-01"), day("2030-01-01")), vec![0, 3, 1, 5, 2, 4]);
    }

    #[test]
    fn month_only_dates_cover_their_month() {
        let index = sample();
        assert!(index.in_window(day("1998-11-30"), day("1998-11-30")).contains(&3));
        assert!(!index.in_window(day("1998-12-01"), day("1998-12-01")).contains(&3));
    }

    #[test]
    fn empty_index_answers_nothing() {
        let index = TimeIndex::new([]);
        assert!(index.is_empty());
        assert_eq!(index.in_window(0, 1_000_000), Vec::<EventIdx>::new());
        assert_eq!(index.count_in_window(0, 1_000_000), 0);
        assert_eq!(index.next_after(0), None);
        assert_eq!(index.previous_before(1_000_000), None);
        assert_eq!(index.extent(), None);
        assert_eq!(index.histogram(0, 10, 3), vec![0, 0, 0]);
    }

    #[test]
    fn reversed_window_is_empty() {
        assert!(sample().in_window(day("1999-01-10"), day("1999-01-01")).is_empty());
    }

    #[test]
    fn counts_and_histogram_agree_with_window() {
        let index = sample();
        assert_eq!(index.count_in_window(day("1999-01-01"), day("1999-01-10")), 3);
        let bins = index.histogram(day("1999-01-01"), 7, 2);
        // 1–7 January: the offensive only; 8–14 January: the offensive and the three captures.
        assert_eq!(bins, vec![1, 4]);
    }

    #[test]
    fn histogram_of_starts_counts_each_event_once() {
        let index = sample();
        // Bins of a year from 1998: the offensive and November 1998 start in 1998, three captures in
        // 1999, Banjska in 2023; the offensive's span into 1999 is not counted again.
        let bins = index.histogram_of_starts(day("1998-01-01"), 365, 26);
        assert_eq!(bins[0], 2);
        assert_eq!(bins[1], 3);
        assert_eq!(bins.iter().sum::<usize>(), 6);
    }

    #[test]
    fn next_and_previous_step_in_date_order() {
        let index = sample();
        assert_eq!(index.next_after(day("1999-01-08")), Some(2));
        assert_eq!(index.previous_before(day("1999-01-12")), Some(5));
        assert_eq!(index.next_after(day("1999-01-12")), Some(4));
        assert_eq!(index.previous_before(day("1998-07-01")), None);
    }

    #[test]
    fn eras_split_at_long_silences() {
        let mut spans: Vec<(EventIdx, TimeSpan)> = vec![
            (0, span("1998-07", "1999-01")),
            (1, span("1999-01-08", "1999-01-08")),
            (2, span("2023-09-24", "2023-09-24")),
        ];
        // A record whose date is only bounded (written some time up to 2026) must not bridge the eras.
        spans.push((3, span("1999-01-15", "2026-11-22")));
        let clusters = TimeIndex::new(spans).eras(365);
        assert_eq!(clusters.len(), 2);
        assert_eq!(clusters[0].count, 3);
        assert_eq!(clusters[1].count, 1);
        let clusters = sample().eras(365);
        assert_eq!(clusters.len(), 2);
        assert_eq!(clusters[0].count, 5);
        assert_eq!(clusters[1].count, 1);
    }

    #[test]
    fn agrees_with_brute_force_on_many_blocks() {
        // Deterministic pseudo-random spans, enough for several tree levels.
        let mut state = 0x2545_f491_u64;
        let mut next = move || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state
        };
        let base = day("1998-01-01");
        let spans: Vec<(EventIdx, TimeSpan)> = (0..2000)
            .map(|i| {
                let first = base + i32::try_from(next() % 3000).unwrap();
                let len = if next() % 10 == 0 { i32::try_from(next() % 400).unwrap() } else { 0 };
                let start = FuzzyDate::day(crate::model::date::date_from_day_number(first));
                let end = FuzzyDate::day(crate::model::date::date_from_day_number(first + len));
                (i, TimeSpan::new(start, Some(end), false).unwrap())
            })
            .collect();
        let index = TimeIndex::new(spans.clone());
        for _ in 0..200 {
            let from = base + i32::try_from(next() % 3200).unwrap() - 100;
            let to = from + i32::try_from(next() % 200).unwrap();
            let mut found = index.in_window(from, to);
            assert_eq!(found.len(), index.count_in_window(from, to));
            found.sort_unstable();
            assert_eq!(found, brute(&spans, from, to));
        }
    }
}
