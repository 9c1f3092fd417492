//! Screen ↔ time for the strip: where a day is drawn, which day is under the pointer, where the
//! calendar ticks go and how wide a histogram bin is at this zoom.

use chrono::{Datelike as _, NaiveDate};

use super::state::TimelineState;
use crate::model::DayNumber;
use crate::model::date::{date_from_day_number, day_number};

/// Screen ↔ time conversion for one frame of the strip.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct TimeRuler {
    /// Screen x of the left edge.
    pub left_x: f32,
    /// Width in points.
    pub width_px: f32,
    /// Day at the left edge.
    pub start_day: f64,
    /// Days per point.
    pub days_per_px: f64,
}

impl TimeRuler {
    /// A ruler showing `state`'s view across `[left_x, left_x + width_px]`.
    pub fn new(left_x: f32, width_px: f32, state: &TimelineState) -> Self {
        let width_px = width_px.max(1.0);
        Self {
            left_x,
            width_px,
            start_day: state.view_start_day,
            days_per_px: state.view_length_days / f64::from(width_px),
        }
    }

    /// Screen x of a (fractional) day.
    pub fn x_from_day(&self, day: f64) -> f32 {
        #[expect(clippy::cast_possible_truncation, reason = "screen coordinates")]
        let offset = ((day - self.start_day) / self.days_per_px) as f32;
        self.left_x + offset
    }

    /// The (fractional) day at screen x.
    pub fn day_from_x(&self, x: f32) -> f64 {
        self.start_day + f64::from(x - self.left_x) * self.days_per_px
    }
}

/// Tick spacing options, smallest first.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum TickStep {
    Days(u32),
    Months(u32),
    Years(i32),
}

/// Calendar-aligned ticks between two days, spaced at least `min_gap_days` apart, with labels.
pub fn ticks(first: DayNumber, last: DayNumber, min_gap_days: f64) -> Vec<(DayNumber, String)> {
    const STEPS: [TickStep; 13] = [
        TickStep::Days(1),
        TickStep::Days(2),
        TickStep::Days(7),
        TickStep::Days(14),
        TickStep::Months(1),
        TickStep::Months(3),
        TickStep::Months(6),
        TickStep::Years(1),
        TickStep::Years(2),
        TickStep::Years(5),
        TickStep::Years(10),
        TickStep::Years(20),
        TickStep::Years(50),
    ];
    let approximate_days = |step: TickStep| match step {
        TickStep::Days(n) => f64::from(n),
        TickStep::Months(n) => 30.44 * f64::from(n),
        TickStep::Years(n) => 365.25 * f64::from(n),
    };
    let step = STEPS.into_iter().find(|&s| approximate_days(s) >= min_gap_days).unwrap_or(TickStep::Years(100));
    let start = date_from_day_number(first);
    let mut out = Vec::new();
    let mut date = match step {
        TickStep::Days(n) => {
            // Align to the step from an epoch so ticks stay put while panning.
            let remainder = first.rem_euclid(i32::try_from(n).unwrap_or(1));
            date_from_day_number(first - remainder)
        }
        TickStep::Months(n) => {
            let month0 = start.month0() - start.month0() % n;
            NaiveDate::from_ymd_opt(start.year(), month0 + 1, 1).unwrap_or(start)
        }
        TickStep::Years(n) => NaiveDate::from_ymd_opt(start.year() - start.year().rem_euclid(n), 1, 1).unwrap_or(start),
    };
    while day_number(date) <= last && out.len() < 500 {
        if day_number(date) >= first {
            let label = match step {
                TickStep::Days(_) => date.format("%-d %b %Y").to_string(),
                TickStep::Months(_) => date.format("%b %Y").to_string(),
                TickStep::Years(_) => date.format("%Y").to_string(),
            };
            out.push((day_number(date), label));
        }
        let next = match step {
            TickStep::Days(n) => date.checked_add_days(chrono::Days::new(u64::from(n))),
            TickStep::Months(n) => date.checked_add_months(chrono::Months::new(n)),
            TickStep::Years(n) => date.with_year(date.year() + n),
        };
        let Some(next) = next else { break };
        date = next;
    }
    out
}

/// Histogram bin width in days for a zoom level: the smallest of a few calendar-ish widths whose
/// bins are at least `min_bin_px` wide.
pub fn bin_width_days(days_per_px: f64, min_bin_px: f64) -> i32 {
    const WIDTHS: [i32; 8] = [1, 7, 30, 91, 365, 730, 1826, 3652];
    WIDTHS.into_iter().find(|&w| f64::from(w) / days_per_px >= min_bin_px).unwrap_or(7305)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ruler_round_trips() {
        let state = TimelineState { view_start_day: 730_000.0, view_length_days: 400.0, ..TimelineState::default() };
        let ruler = TimeRuler::new(10.0, 800.0, &state);
        for day in [730_000.0, 730_123.5, 730_400.0] {
            let x = ruler.x_from_day(day);
            assert!((ruler.day_from_x(x) - day).abs() < 1e-3);
        }
        assert!((ruler.x_from_day(730_000.0) - 10.0).abs() < 1e-4);
        assert!((ruler.x_from_day(730_400.0) - 810.0).abs() < 1e-3);
    }

    #[test]
    fn ticks_adapt_from_decades_to_days() {
        let day = |y, m, d| day_number(NaiveDate::from_ymd_opt(y, m, d).unwrap());
        let decades = ticks(day(1995, 1, 1), day(2025, 1, 1), 365.0 * 8.0);
        assert_eq!(decades.iter().map(|t| t.1.as_str()).collect::<Vec<_>>(), ["2000", "2010", "2020"]);
        let months = ticks(day(1999, 1, 1), day(1999, 6, 30), 25.0);
        assert_eq!(months.first().unwrap().1, "Jan 1999");
        assert_eq!(months.len(), 6);
        let days = ticks(day(2023, 9, 22), day(2023, 9, 26), 0.5);
        assert_eq!(
            days.iter().map(|t| t.1.as_str()).collect::<Vec<_>>(),
            ["22 Sep 2023", "23 Sep 2023", "24 Sep 2023", "25 Sep 2023", "26 Sep 2023"]
        );
    }

    #[test]
    fn bins_widen_as_the_view_zooms_out() {
        assert_eq!(bin_width_days(0.1, 5.0), 1);
        assert_eq!(bin_width_days(3.0, 5.0), 30);
        assert_eq!(bin_width_days(50.0, 5.0), 365);
    }
}
