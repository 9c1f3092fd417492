//! Moving through time: stepping from event to event in date order, and playback that jumps over
//! long silences so eras decades apart follow each other. Pure functions of the time index.

use super::date::DayNumber;
use super::index::{EventIdx, TimeIndex};

/// Playback skips a silence longer than this (in days) …
pub const SKIP_SILENCE_DAYS: f64 = 365.0;
/// … landing this many days before the next event.
pub const LAND_BEFORE_DAYS: f64 = 30.0;

/// Which way to step.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum StepDirection {
    /// To the earlier event.
    Previous,
    /// To the later event.
    Next,
}

/// The event a step leads to: the neighbour of the selected event in date order, or with nothing
/// selected, the first event after (or the last before) the cursor's day. `None` at either end.
pub fn step_target(
    index: &TimeIndex,
    selected: Option<EventIdx>,
    cursor_day: f64,
    direction: StepDirection,
) -> Option<EventIdx> {
    let order = index.in_date_order();
    let position = selected.and_then(|s| index.position_of(s));
    let day = day_of(cursor_day);
    match (position, direction) {
        (Some(p), StepDirection::Next) => order.get(p + 1).copied(),
        (Some(p), StepDirection::Previous) => p.checked_sub(1).and_then(|p| order.get(p).copied()),
        (None, StepDirection::Next) => index.next_after(day).or_else(|| order.first().copied()),
        (None, StepDirection::Previous) => {
            index.previous_before(day.saturating_add(1)).or_else(|| order.last().copied())
        }
    }
}

/// Where the cursor is after playing for `elapsed_secs`.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct PlaybackStep {
    /// The new cursor day.
    pub cursor_day: f64,
    /// False once the last event's start is reached (or there are no events).
    pub still_playing: bool,
}

/// Advances the cursor by `elapsed_secs × speed_days_per_sec`; over a silence of more than
/// [`SKIP_SILENCE_DAYS`] it lands [`LAND_BEFORE_DAYS`] before the next event; it stops at the last
/// event's start.
pub fn advance(index: &TimeIndex, cursor_day: f64, elapsed_secs: f64, speed_days_per_sec: f64) -> PlaybackStep {
    let Some((_, last)) = index.start_extent() else {
        return PlaybackStep { cursor_day, still_playing: false };
    };
    let moved = cursor_day + elapsed_secs.max(0.0) * speed_days_per_sec;
    let next_start = index.next_start_after(day_of(moved)).map(f64::from);
    let cursor_day = match next_start {
        Some(next) if next - moved > SKIP_SILENCE_DAYS => next - LAND_BEFORE_DAYS,
        _ => moved,
    };
    if cursor_day >= f64::from(last) {
        PlaybackStep { cursor_day: f64::from(last), still_playing: false }
    } else {
        PlaybackStep { cursor_day, still_playing: true }
    }
}

/// The day a fractional cursor falls on.
pub fn day_of(cursor_day: f64) -> DayNumber {
    #[expect(clippy::cast_possible_truncation, reason = "saturating: days far outside i32 clamp")]
    let day = cursor_day.floor() as DayNumber;
    day
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::date::{FuzzyDate, TimeSpan, day_number};

    fn day(text: &str) -> DayNumber {
        day_number(FuzzyDate::parse(text).unwrap().first_day)
    }

    /// Two eras 24 years apart: three events in 1999, two in 2023.
    fn index() -> TimeIndex {
        let dates = ["1999-01-12", "1999-01-08", "1999-02-01", "2023-09-24", "2023-09-29"];
        TimeIndex::new(dates.iter().enumerate().map(|(i, d)| {
            (EventIdx::try_from(i).unwrap(), TimeSpan::single_day(FuzzyDate::parse(d).unwrap().first_day))
        }))
    }

    #[test]
    fn steps_follow_date_order_and_stop_at_the_ends() {
        let index = index();
        let next = |s| step_target(&index, s, 0.0, StepDirection::Next);
        let previous = |s| step_target(&index, s, 0.0, StepDirection::Previous);
        assert_eq!(next(Some(1)), Some(0));
        assert_eq!(next(Some(0)), Some(2));
        assert_eq!(next(Some(4)), None);
        assert_eq!(previous(Some(0)), Some(1));
        assert_eq!(previous(Some(1)), None);
    }

    #[test]
    fn with_nothing_selected_steps_start_from_the_cursor() {
        let index = index();
        let cursor = f64::from(day("1999-01-10"));
        assert_eq!(step_target(&index, None, cursor, StepDirection::Next), Some(0));
        assert_eq!(step_target(&index, None, cursor, StepDirection::Previous), Some(1));
        // Before everything, "previous" wraps to the last event rather than doing nothing.
        assert_eq!(step_target(&index, None, f64::from(day("1990-01-01")), StepDirection::Previous), Some(4));
    }

    #[test]
    fn playback_moves_at_its_speed_and_skips_silences() {
        let index = index();
        let start = f64::from(day("1999-01-08"));
        let step = advance(&index, start, 0.5, 7.0);
        assert!((step.cursor_day - (start + 3.5)).abs() < 1e-9);
        assert!(step.still_playing);
        // From February 1999 the next event is 24 years away: land a month before it.
        let step = advance(&index, f64::from(day("1999-02-02")), 0.1, 7.0);
        assert!((step.cursor_day - (f64::from(day("2023-09-24")) - LAND_BEFORE_DAYS)).abs() < 1e-9);
        assert!(step.still_playing);
        // The last start ends playback there.
        let step = advance(&index, f64::from(day("2023-09-28")), 1.0, 7.0);
        assert!((step.cursor_day - f64::from(day("2023-09-29"))).abs() < 1e-9);
        assert!(!step.still_playing);
        assert!(!advance(&TimeIndex::default(), 0.0, 1.0, 7.0).still_playing);
    }
}
