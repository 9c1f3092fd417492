//! The timeline's persisted state: what part of time the strip shows, where the cursor is, and
//! which events that makes "now".

use chrono::NaiveDate;

use crate::model::date::day_number;
use crate::model::playback::day_of;
use crate::model::{DayNumber, NowWindow};

/// Shortest view, in days.
pub const MIN_VIEW_DAYS: f64 = 7.0;
/// Longest view, in days (two centuries).
pub const MAX_VIEW_DAYS: f64 = 365.25 * 200.0;
/// Widest "now" window, in days (a century).
pub const MAX_WINDOW_DAYS: f64 = 36_525.0;

/// The timeline's persisted state.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(default)]
pub struct TimelineState {
    /// Day at the left edge of the strip.
    pub view_start_day: f64,
    /// Days shown across the strip.
    pub view_length_days: f64,
    /// The cursor: the end of the "now" window.
    pub cursor_day: f64,
    /// Width of the "now" window, in days.
    pub window_days: f64,
    /// Show everything up to the cursor instead of a window.
    pub cumulative: bool,
    /// Playback speed.
    pub speed_days_per_sec: f64,
    /// Whether playback runs.
    #[serde(skip)]
    pub playing: bool,
}

impl Default for TimelineState {
    fn default() -> Self {
        Self::around(NaiveDate::default())
    }
}

impl TimelineState {
    /// The state before any data is shown: the cursor at `today`, the view the 28 years up to it.
    pub fn around(today: NaiveDate) -> Self {
        let today = f64::from(day_number(today));
        Self {
            view_start_day: today - 365.0 * 27.0,
            view_length_days: 365.0 * 28.0,
            cursor_day: today,
            window_days: 30.0,
            cumulative: false,
            speed_days_per_sec: 7.0,
            playing: false,
        }
    }

    /// The events that are "now".
    pub fn now_window(&self) -> NowWindow {
        let (from, to) = self.now_range();
        NowWindow { from, to, cumulative: self.cumulative }
    }

    /// The closed day range of events that are "now".
    pub fn now_range(&self) -> (DayNumber, DayNumber) {
        let to = day_of(self.cursor_day);
        if self.cumulative {
            return (DayNumber::MIN, to);
        }
        #[expect(clippy::cast_possible_truncation, reason = "clamped to a century")]
        let width = self.window_days.clamp(1.0, MAX_WINDOW_DAYS).round() as DayNumber;
        (to.saturating_sub(width - 1), to)
    }

    /// Shows `[first, last]` with a margin.
    pub fn show_range(&mut self, first: DayNumber, last: DayNumber) {
        let length = f64::from(last.saturating_sub(first).max(1));
        let margin = (length * 0.06).max(3.0);
        self.view_start_day = f64::from(first) - margin;
        self.view_length_days = length + 2.0 * margin;
    }

    /// The view zoomed by `factor` (> 1 zooms in) keeping `anchor_day` fixed on screen: (start, length).
    pub fn zoomed_around(&self, anchor_day: f64, factor: f64) -> (f64, f64) {
        let factor = factor.clamp(0.2, 5.0);
        let new_length = (self.view_length_days / factor).clamp(MIN_VIEW_DAYS, MAX_VIEW_DAYS);
        let fraction = (anchor_day - self.view_start_day) / self.view_length_days;
        (anchor_day - fraction * new_length, new_length)
    }

    /// Whether a day is inside the view.
    pub fn shows(&self, day: f64) -> bool {
        self.view_start_day <= day && day <= self.view_start_day + self.view_length_days
    }

    /// The state with every value in a range the timeline can draw (a settings file may say
    /// anything), and the names of the values that had to be corrected.
    pub fn sanitized(mut self) -> (Self, Vec<&'static str>) {
        let defaults = Self::default();
        let mut corrected = Vec::new();
        let (first_day, last_day) = (f64::from(day_number(NaiveDate::MIN)), f64::from(day_number(NaiveDate::MAX)));
        let mut fix = |value: &mut f64, range: (f64, f64), fallback: f64, name: &'static str| {
            let fixed = if value.is_finite() { value.clamp(range.0, range.1) } else { fallback };
            if fixed.to_bits() != value.to_bits() {
                *value = fixed;
                corrected.push(name);
            }
        };
        fix(&mut self.view_length_days, (MIN_VIEW_DAYS, MAX_VIEW_DAYS), defaults.view_length_days, "timeline length");
        fix(
            &mut self.view_start_day,
            (first_day, last_day - self.view_length_days),
            defaults.view_start_day,
            "timeline start",
        );
        fix(&mut self.cursor_day, (first_day, last_day), defaults.cursor_day, "cursor");
        fix(&mut self.window_days, (1.0, MAX_WINDOW_DAYS), defaults.window_days, "window");
        fix(&mut self.speed_days_per_sec, (0.01, MAX_WINDOW_DAYS), defaults.speed_days_per_sec, "playback speed");
        (self, corrected)
    }

    /// Moves the view (not its length) so the cursor is in it, near the right edge.
    pub fn keep_cursor_in_view(&mut self) {
        if !self.shows(self.cursor_day) {
            self.view_start_day = self.cursor_day - self.view_length_days * 0.8;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn zoom_keeps_the_anchor_in_place() {
        let state = TimelineState { view_start_day: 0.0, view_length_days: 1000.0, ..TimelineState::default() };
        let (start, length) = state.zoomed_around(250.0, 2.0);
        assert!((length - 500.0).abs() < 1e-9);
        assert!((start - 125.0).abs() < 1e-9);
    }

    #[test]
    fn now_range_follows_window_and_cumulative_mode() {
        let mut state = TimelineState { cursor_day: 100.0, window_days: 7.0, ..TimelineState::default() };
        assert_eq!(state.now_range(), (94, 100));
        state.cumulative = true;
        assert_eq!(state.now_range(), (DayNumber::MIN, 100));
        // Absurd values from a settings file stay finite.
        let wild = TimelineState { cursor_day: 1e300, window_days: 1e15, ..TimelineState::default() };
        let (from, to) = wild.now_range();
        assert!(from <= to);
    }

    #[test]
    fn the_cursor_is_kept_in_view() {
        let mut state = TimelineState {
            view_start_day: 0.0,
            view_length_days: 100.0,
            cursor_day: 500.0,
            ..TimelineState::default()
        };
        state.keep_cursor_in_view();
        assert!(state.shows(500.0));
    }
}
