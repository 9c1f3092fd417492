//! Groups never overlap: after events are grouped by cell, a group whose circle would touch a
//! larger one's is drawn as part of it, and again (centres and sizes recomputed) until no two
//! circles touch. The larger group stays where its events are; the merged one sits at the centre
//! of all of them. A few hundred to a few thousand groups, bucketed so that each looks only at its
//! neighbours: well under a millisecond a frame.

use std::collections::HashMap;

use egui::{Pos2, Vec2};

use super::drawn::{DrawnMarker, MAX_LISTED_PER_MARKER};
use super::sizes::{MARKER_RADIUS_PX, group_radius};
use crate::model::Dataset;

/// The least room left between two circles, in points: room for a contested ring.
pub const GAP_PX: f32 = 4.0;

/// A group of one cell, before overlaps are resolved: its marker and how many of its events fall
/// in each legend entry.
#[derive(Clone, Debug)]
pub struct CellGroup {
    /// The marker as the cell alone would draw it (its radius is set here).
    pub marker: DrawnMarker,
    /// Events per legend entry, for the merged group's colour.
    pub categories: [u32; 32],
}

/// The radius a marker of `count` events is drawn with when the largest in view holds `largest`.
pub fn marker_radius(count: usize, largest: usize) -> f32 {
    if count > 1 { group_radius(count, largest) } else { MARKER_RADIUS_PX }
}

/// The groups, merged until no two circles overlap, each coloured by its most frequent category.
pub fn separate(mut groups: Vec<CellGroup>, dataset: &Dataset) -> Vec<DrawnMarker> {
    loop {
        let largest = groups.iter().map(|g| g.marker.count).max().unwrap_or(1);
        for group in &mut groups {
            group.marker.radius = marker_radius(group.marker.count, largest);
        }
        // Largest first (ties in cell order, so that every frame decides alike).
        groups.sort_by(|a, b| b.marker.count.cmp(&a.marker.count).then_with(|| a.marker.cells.cmp(&b.marker.cells)));
        let (kept, merged) = merge_touching(groups);
        groups = kept;
        if !merged {
            break;
        }
    }
    groups.into_iter().map(|group| into_marker(group, dataset)).collect()
}

/// One pass: each group, largest first, joins the nearest kept group it touches, or is kept.
/// Centres move (to the middle of their events) only after the pass. Whether anything merged.
fn merge_touching(groups: Vec<CellGroup>) -> (Vec<CellGroup>, bool) {
    // Two circles that touch are less than this apart: their buckets are neighbours.
    let reach = 2.0 * groups.iter().map(|g| g.marker.radius).fold(MARKER_RADIUS_PX, f32::max) + GAP_PX;
    let bucket_of = |p: Pos2| {
        #[expect(clippy::cast_possible_truncation, reason = "screen positions over a bucket size")]
        let bucket = ((p.x / reach).floor() as i32, (p.y / reach).floor() as i32);
        bucket
    };
    let mut buckets: HashMap<(i32, i32), Vec<usize>> = HashMap::new();
    let mut kept: Vec<CellGroup> = Vec::with_capacity(groups.len());
    // Per kept group: the sum of its events' screen positions, for its centre after the pass.
    let mut sums: Vec<Vec2> = Vec::with_capacity(groups.len());
    let mut merged = false;
    for group in groups {
        let (bx, by) = bucket_of(group.marker.center);
        let nearest = (-1..=1)
            .flat_map(|dx| (-1..=1).map(move |dy| (bx + dx, by + dy)))
            .filter_map(|bucket| buckets.get(&bucket))
            .flatten()
            .filter_map(|&k| {
                let other = &kept.get(k)?.marker;
                let apart = other.center.distance(group.marker.center);
                (apart < other.radius + group.marker.radius + GAP_PX).then_some((k, apart))
            })
            .min_by(|a, b| a.1.total_cmp(&b.1).then(a.0.cmp(&b.0)));
        #[expect(clippy::cast_precision_loss, reason = "counts as weights of screen positions")]
        let weighted = group.marker.center.to_vec2() * group.marker.count as f32;
        if let Some((k, _)) = nearest
            && let (Some(into), Some(sum)) = (kept.get_mut(k), sums.get_mut(k))
        {
            absorb(into, group);
            *sum += weighted;
            merged = true;
        } else {
            buckets.entry((bx, by)).or_default().push(kept.len());
            kept.push(group);
            sums.push(weighted);
        }
    }
    for (group, sum) in kept.iter_mut().zip(sums) {
        #[expect(clippy::cast_precision_loss, reason = "counts as weights of screen positions")]
        let count = group.marker.count.max(1) as f32;
        group.marker.center = (sum / count).to_pos2();
    }
    (kept, merged)
}

/// `group` drawn as part of `into`.
fn absorb(into: &mut CellGroup, group: CellGroup) {
    let (target, marker) = (&mut into.marker, group.marker);
    target.count += marker.count;
    target.events.extend(marker.events);
    target.cells.extend(marker.cells);
    target.all_uncertain &= marker.all_uncertain;
    target.any_contested |= marker.any_contested;
    target.incident = None;
    target.merged_accounts += marker.merged_accounts;
    for (mine, theirs) in into.categories.iter_mut().zip(group.categories) {
        *mine += theirs;
    }
}

/// The marker of a group: its colour, and its first events in date order.
pub fn into_marker(group: CellGroup, dataset: &Dataset) -> DrawnMarker {
    let CellGroup { mut marker, categories } = group;
    // The most frequent category; ties go to the earlier one.
    let dominant = categories.iter().enumerate().max_by_key(|&(i, &n)| (n, std::cmp::Reverse(i))).map_or(0, |(i, _)| i);
    marker.slot = u8::try_from(dominant).unwrap_or(u8::MAX);
    if marker.cells.len() > 1 {
        // Each cell listed its first events: together they hold the first of the whole group.
        marker.events.sort_by_key(|&idx| (dataset.event(idx).map(|e| e.span.start.first_day), idx));
        marker.events.truncate(MAX_LISTED_PER_MARKER);
        marker.cells.sort_unstable();
    }
    marker
}

#[cfg(test)]
mod tests {
    use egui::pos2;

    use super::*;

    fn group(x: f32, y: f32, count: usize, first_event: u32) -> CellGroup {
        #[expect(clippy::cast_possible_truncation, reason = "test cells")]
        let cell = ((x / 26.0) as i32, (y / 26.0) as i32);
        let mut categories = [0; 32];
        categories[usize::try_from(first_event % 3).unwrap()] = u32::try_from(count).unwrap();
        CellGroup {
            marker: DrawnMarker {
                center: pos2(x, y),
                radius: 0.0,
                count,
                events: (first_event..first_event + u32::try_from(count.min(3)).unwrap()).collect(),
                cells: vec![cell],
                cells_per_step: 1,
                slot: 0,
                all_uncertain: false,
                any_contested: false,
                incident: None,
                merged_accounts: 0,
            },
            categories,
        }
    }

    fn assert_apart(markers: &[DrawnMarker]) {
        for (i, a) in markers.iter().enumerate() {
            for b in markers.iter().skip(i + 1) {
                let apart = a.center.distance(b.center);
                assert!(apart >= a.radius + b.radius + GAP_PX - 1e-3, "{a:?} overlaps {b:?}");
            }
        }
    }

    #[test]
    fn touching_groups_become_one_that_counts_them_all() {
        let dataset = Dataset::default();
        let groups = vec![group(100.0, 100.0, 5000, 0), group(126.0, 100.0, 40, 10), group(400.0, 100.0, 3, 20)];
        let markers = separate(groups, &dataset);
        assert_eq!(markers.len(), 2);
        let big = markers.iter().find(|m| m.count == 5040).unwrap();
        assert_eq!(big.cells.len(), 2);
        // Nearer the larger group's events than the smaller's.
        assert!(big.center.x > 100.0 && big.center.x < 101.0, "{:?}", big.center);
        assert_eq!(big.slot, 0);
        assert_apart(&markers);
    }

    #[test]
    fn a_crowded_map_ends_with_no_two_circles_overlapping() {
        let dataset = Dataset::default();
        // A dense grid of cells, the counts heavy-tailed as real hot spots are.
        let mut groups = Vec::new();
        for i in 0..40_u32 {
            for j in 0..30_u32 {
                let count = 1 + ((i * 7 + j * 13) % 17).pow(3) as usize;
                #[expect(clippy::cast_precision_loss, reason = "test positions")]
                groups.push(group(13.0 + 26.0 * i as f32, 13.0 + 26.0 * j as f32, count, i * 100 + j));
            }
        }
        let total: usize = groups.iter().map(|g| g.marker.count).sum();
        let markers = separate(groups, &dataset);
        assert!(markers.len() < 1200 && markers.len() > 20, "{}", markers.len());
        assert_eq!(markers.iter().map(|m| m.count).sum::<usize>(), total, "no event is lost or counted twice");
        assert_apart(&markers);
        assert!(markers.iter().all(|m| m.events.len() <= MAX_LISTED_PER_MARKER));
    }
}
