//! How big markers and groups are drawn, for the map and its legend alike.

/// Radius of a single event's marker.
pub const MARKER_RADIUS_PX: f32 = 7.0;

/// The radius of a group's circle: a little more than a marker, growing with the logarithm of its
/// count (ten times the events, four points wider), so that a million still fits on the map.
pub fn group_radius(count: f64) -> f32 {
    #[expect(clippy::cast_possible_truncation, reason = "a radius")]
    let grow = (count.max(1.0).log10() * 4.0) as f32;
    MARKER_RADIUS_PX + 2.0 + grow
}
