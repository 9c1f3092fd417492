//! How big markers and groups are drawn, for the map and its legend alike.
//!
//! A group's circle grows with its count on a perceptual scale: its radius is Flannery's
//! apparent-magnitude scaling of the count against the largest group in view (so that a circle
//! twice the count *looks* twice as big, which plain area scaling undershoots), never smaller than
//! a marker and never too small for the count written in it.

/// Radius of a single event's marker.
pub const MARKER_RADIUS_PX: f32 = 7.0;
/// Radius of the smallest group.
pub const GROUP_MIN_RADIUS_PX: f32 = MARKER_RADIUS_PX + 2.0;
/// Radius of the largest group in view.
pub const GROUP_MAX_RADIUS_PX: f32 = 24.0;
/// Flannery's exponent for proportional circles: radius ∝ count^0.5716 looks proportional.
const APPARENT_EXPONENT: f64 = 0.5716;

/// The radius of a group of `count` events when the largest in view holds `largest`.
pub fn group_radius(count: usize, largest: usize) -> f32 {
    #[expect(clippy::cast_precision_loss, reason = "a share of counts, for a radius")]
    let share = count as f64 / largest.max(count).max(1) as f64;
    #[expect(clippy::cast_possible_truncation, reason = "a radius")]
    let scaled = GROUP_MAX_RADIUS_PX * share.powf(APPARENT_EXPONENT) as f32;
    scaled.max(GROUP_MIN_RADIUS_PX).max(count_label_radius(count))
}

/// The radius that holds a count's label at the map's 11-point font: one to three digits, or four
/// characters for every count from 1000 on ("9999", "12k", "1.2M"), so that it never shrinks as
/// the count grows.
fn count_label_radius(count: usize) -> f32 {
    let characters: u8 = match count {
        0..=9 => 1,
        10..=99 => 2,
        100..=999 => 3,
        _ => 4,
    };
    2.5 + 3.1 * f32::from(characters)
}

/// "7", "12k", "1.2M": counts that fit a marker.
pub fn compact_count(count: usize) -> String {
    #[expect(clippy::cast_precision_loss, reason = "display only")]
    let value = count as f64;
    match count {
        0..=9_999 => count.to_string(),
        10_000..=999_999 => format!("{:.0}k", value / 1000.0),
        _ => format!("{:.1}M", value / 1_000_000.0),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn groups_grow_with_their_count_up_to_the_largest_and_always_hold_their_label() {
        let largest = 1_000_000;
        let counts = [2, 9, 50, 999, 5_000, 9_999, 10_000, 50_000, 400_000, largest];
        let radii: Vec<f32> = counts.iter().map(|&n| group_radius(n, largest)).collect();
        assert!(radii.windows(2).all(|pair| pair[0] <= pair[1]), "{radii:?}");
        assert!((radii[9] - GROUP_MAX_RADIUS_PX).abs() < 1e-3);
        assert!((radii[0] - GROUP_MIN_RADIUS_PX).abs() < 1e-3);
        // Twice the events look twice as big: 2^0.5716 ≈ 1.486 times the radius.
        let ratio = group_radius(largest, largest) / group_radius(largest / 2, largest);
        assert!((ratio - 1.486).abs() < 0.01, "{ratio}");
        // "9999" needs more room than the smallest group has.
        assert!(group_radius(9_999, largest) > GROUP_MIN_RADIUS_PX + 3.0);
        assert_eq!(compact_count(1_234_567), "1.2M");
    }
}
