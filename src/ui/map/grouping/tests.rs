use egui::pos2;

use super::grid::{cells_per_step, cells_per_world, world_cell};
use super::*;
use crate::model::date::{FuzzyDate, TimeSpan, day_number};
use crate::model::geo::world_from_lon_lat;
use crate::model::{Dataset, Event, EventFilter, LonLat, NowWindow, VisibleEvents};
use crate::model::{PackedPoint, WorldPoint};
use crate::ui::map::drawn::MAX_LISTED_PER_MARKER;

/// 2,000 events on 400 days around Mitrovica, some without a place.
fn dataset() -> Dataset {
    let first = FuzzyDate::parse("2023-01-01").unwrap().first_day;
    let events = (0..2000_u32)
        .map(|i| {
            let day = first + chrono::Days::new(u64::from(i % 400));
            let place = (i % 13 != 0).then(|| LonLat {
                lon: 20.5 + f64::from(i * 7919 % 1000) / 1000.0,
                lat: 42.6 + f64::from(i * 104_729 % 800) / 1000.0,
            });
            let mut event = Event::minimal(format!("e{i}"), format!("Event {i}"), TimeSpan::single_day(day), place);
            event.category = crate::model::CategoryId(u16::try_from(i % 7).unwrap());
            event
        })
        .collect();
    let mut dataset = Dataset::new("grouping".into(), events, Vec::new(), Vec::new());
    dataset.set_categories(["attack", "capture", "shelling", "denial", "report", "protest"]);
    dataset
}

/// Every event of `dataset` "now" (a cumulative view at the end of time).
fn everything_now(dataset: &Dataset) -> VisibleEvents {
    let mut visible = VisibleEvents::new(dataset);
    visible.set_filter(dataset, &EventFilter::default());
    visible.set_window(NowWindow { from: i32::MIN, to: i32::MAX, cumulative: true });
    visible
}

fn view<'a>(dataset: &'a Dataset, visible: &'a VisibleEvents) -> MapView<'a> {
    MapView {
        dataset,
        visible,
        selected: None,
        hovered: None,
        basemap: None,
        focus_region: None,
        attribution: "",
        show_place_labels: false,
        spread: None,
        picking_place: false,
        density: false,
    }
}

#[test]
fn grouping_forward_step_by_step_equals_grouping_from_scratch() {
    let dataset = dataset();
    let mut visible = VisibleEvents::new(&dataset);
    visible.set_filter(&dataset, &EventFilter::default());
    let center = world_from_lon_lat(LonLat { lon: 21.0, lat: 43.0 });
    let transform = ScreenFromWorld::new(center, [600.0, 400.0], 256.0 * 2f64.powi(9));
    let clip = Rect::from_min_max(pos2(0.0, 0.0), pos2(1200.0, 800.0)).expand(GROUP_CELL_PX);
    let first = day_number(FuzzyDate::parse("2023-01-01").unwrap().first_day);
    let mut incremental = MarkerGrouping::default();
    for step in 0..40 {
        let to = first + step * 10;
        visible.set_window(NowWindow { from: i32::MIN, to, cumulative: true });
        let stepped = group_markers(transform, clip, &view(&dataset, &visible), &mut incremental);
        let scratch = group_markers(transform, clip, &view(&dataset, &visible), &mut MarkerGrouping::default());
        assert_eq!(stepped, scratch, "after step {step}");
        let counted: usize = scratch.iter().map(|m| m.count).sum();
        assert_eq!(counted + visible.now_unplaced(), visible.now_events().len());
    }
    assert!(incremental.grid.group_count() > 10, "the test groups into many markers");
}

#[test]
fn a_cell_lists_every_event_of_its_marker() {
    let dataset = dataset();
    let visible = everything_now(&dataset);
    let transform =
        ScreenFromWorld::new(world_from_lon_lat(LonLat { lon: 21.0, lat: 43.0 }), [300.0, 200.0], 256.0 * 64.0);
    let clip = Rect::from_min_max(pos2(0.0, 0.0), pos2(600.0, 400.0));
    let markers = group_markers(transform, clip, &view(&dataset, &visible), &mut MarkerGrouping::default());
    let biggest = markers.iter().max_by_key(|m| m.count).unwrap();
    assert!(biggest.count > MAX_LISTED_PER_MARKER, "{}", biggest.count);
    let listed = events_in_cells(&view(&dataset, &visible), biggest.cells_per_step, &biggest.cells);
    assert_eq!(listed.len(), biggest.count);
}

#[test]
fn panning_moves_the_groups_without_grouping_again() {
    let dataset = dataset();
    let visible = everything_now(&dataset);
    let center = world_from_lon_lat(LonLat { lon: 21.0, lat: 43.0 });
    let clip = Rect::from_min_max(pos2(0.0, 0.0), pos2(1200.0, 800.0));
    let mut grouping = MarkerGrouping::default();
    let at = |dx: f32| ScreenFromWorld::new(center, [600.0 + dx, 400.0], 256.0 * 2f64.powi(9));
    let before = group_markers(at(0.0), clip, &view(&dataset, &visible), &mut grouping);
    let made = grouping.grid.made_for;
    let panned = group_markers(at(37.0), clip, &view(&dataset, &visible), &mut grouping);
    assert_eq!(grouping.grid.made_for, made);
    // The same groups, moved by the pan (those still in view).
    for marker in &panned {
        let same = before.iter().find(|m| m.cells == marker.cells && m.count == marker.count);
        if let Some(same) = same {
            assert!((marker.center.x - same.center.x - 37.0).abs() < 0.01);
        }
    }
    // And what a fresh grouping gives.
    let fresh = group_markers(at(37.0), clip, &view(&dataset, &visible), &mut MarkerGrouping::default());
    assert_eq!(panned, fresh);
}

#[test]
fn grouping_on_all_cores_gives_the_groups_of_one_pass() {
    let first = FuzzyDate::parse("2023-01-01").unwrap().first_day;
    let events = (0..210_000_u32)
        .map(|i| {
            let day = first + chrono::Days::new(u64::from(i % 400));
            let place = LonLat {
                lon: 20.0 + f64::from(i.wrapping_mul(7919) % 2000) / 1000.0,
                lat: 42.0 + f64::from(i.wrapping_mul(104_729) % 1500) / 1000.0,
            };
            Event::minimal(format!("e{i}"), "e", TimeSpan::single_day(day), Some(place))
        })
        .collect();
    let dataset = Dataset::new("many".into(), events, Vec::new(), Vec::new());
    let visible = everything_now(&dataset);
    let transform = ScreenFromWorld::new(
        world_from_lon_lat(LonLat { lon: 21.0, lat: 42.75 }),
        [600.0, 400.0],
        256.0 * 2f64.powi(8),
    );
    let clip = Rect::from_min_max(pos2(0.0, 0.0), pos2(1200.0, 800.0));
    let parallel = group_markers(transform, clip, &view(&dataset, &visible), &mut MarkerGrouping::default());
    // One pass, by hand.
    let mut one = CellGrid::new(clip_cells(transform, clip), (transform.scale().to_bits(), visible.generation()));
    let end = visible.now_prefix().unwrap();
    one.add_positions(visible.map_columns(), 0..end);
    let sequential = separate(one.in_clip(transform, clip), &dataset);
    assert_eq!(parallel.len(), sequential.len());
    for (a, b) in parallel.iter().zip(&sequential) {
        assert_eq!((&a.cells, a.count, &a.events), (&b.cells, b.count, &b.events));
        assert!((a.center - b.center).length() < 0.01);
    }
    // The same events as a window's (explicit positions, grouped on all cores too).
    let mut windowed = everything_now(&dataset);
    windowed.set_window(NowWindow { from: i32::MIN, to: i32::MAX, cumulative: false });
    assert_eq!(windowed.now_positions().len(), 210_000);
    let listed = group_markers(transform, clip, &view(&dataset, &windowed), &mut MarkerGrouping::default());
    assert_eq!(listed.len(), sequential.len());
    for (a, b) in listed.iter().zip(&sequential) {
        assert_eq!((&a.cells, a.count, &a.events), (&b.cells, b.count, &b.events));
        assert!((a.center - b.center).length() < 0.01);
    }
}

#[test]
fn a_window_is_grouped_again_only_when_it_or_the_view_changes() {
    let dataset = dataset();
    let mut visible = everything_now(&dataset);
    let first = day_number(FuzzyDate::parse("2023-01-01").unwrap().first_day);
    visible.set_window(NowWindow { from: first, to: first + 90, cumulative: false });
    let center = world_from_lon_lat(LonLat { lon: 21.0, lat: 43.0 });
    let clip = Rect::from_min_max(pos2(0.0, 0.0), pos2(1200.0, 800.0));
    let at = |dx: f32| ScreenFromWorld::new(center, [600.0 + dx, 400.0], 256.0 * 2f64.powi(9));
    let mut grouping = MarkerGrouping::default();
    group_markers(at(0.0), clip, &view(&dataset, &visible), &mut grouping);
    let grouped = grouping.grid.group_count();
    assert!(grouped > 10, "{grouped}");
    // Panning: the same groups, moved.
    let panned = group_markers(at(37.0), clip, &view(&dataset, &visible), &mut grouping);
    assert_eq!(grouping.grid.grouped_window, visible.now_window());
    assert_eq!(panned, group_markers(at(37.0), clip, &view(&dataset, &visible), &mut MarkerGrouping::default()));
    // Another window: its own events.
    visible.set_window(NowWindow { from: first + 100, to: first + 130, cumulative: false });
    let moved = group_markers(at(37.0), clip, &view(&dataset, &visible), &mut grouping);
    let counted: usize = moved.iter().map(|m| m.count).sum();
    assert_eq!(counted + visible.now_unplaced(), visible.now_events().len());
    assert_eq!(moved, group_markers(at(37.0), clip, &view(&dataset, &visible), &mut MarkerGrouping::default()));
}

#[test]
fn packed_positions_fall_in_the_cells_of_their_world_positions() {
    for zoom in [0, 3, 7, 12, 18] {
        let scale = 256.0 * 2f64.powi(zoom) * 1.37;
        for i in 0..5000_u32 {
            let world = WorldPoint {
                x: f64::from(i.wrapping_mul(2_654_435_761) % 1_000_003) / 1_000_003.0,
                y: f64::from(i.wrapping_mul(40_503) % 999_983) / 999_983.0,
            };
            let fixed = PackedPoint::pack(Some(world)).fixed().unwrap();
            let (exact, packed) = (world_cell(world, scale), cell_of_fixed(fixed, cells_per_step(scale)));
            // Equal, but for a point within a packing step (a fiftieth of a point here) of a cell's edge.
            let step_in_cells = cells_per_world(scale) * PackedPoint::STEP;
            let near_edge = [world.x, world.y].iter().any(|v| {
                let along = v * cells_per_world(scale);
                (along - along.round()).abs() <= step_in_cells
            });
            assert!(exact == packed || near_edge, "zoom {zoom}, {world:?}: {exact:?} vs {packed:?}");
        }
    }
}

#[test]
fn no_two_groups_overlap_on_a_crowded_map() {
    let dataset = dataset();
    let visible = everything_now(&dataset);
    for zoom in [7, 9, 11] {
        let transform = ScreenFromWorld::new(
            world_from_lon_lat(LonLat { lon: 21.0, lat: 43.0 }),
            [600.0, 400.0],
            256.0 * 2f64.powi(zoom),
        );
        let clip = Rect::from_min_max(pos2(0.0, 0.0), pos2(1200.0, 800.0));
        let markers = group_markers(transform, clip, &view(&dataset, &visible), &mut MarkerGrouping::default());
        for (i, a) in markers.iter().enumerate() {
            for b in markers.iter().skip(i + 1) {
                assert!(a.center.distance(b.center) >= a.radius + b.radius, "zoom {zoom}: {a:?} and {b:?}");
            }
        }
        if zoom == 7 {
            // Every event in view: each is counted once.
            let counted: usize = markers.iter().map(|m| m.count).sum();
            assert_eq!(counted + visible.now_unplaced(), visible.now_events().len());
        }
    }
}

/// Frames at `transform` until the regroup off the frame lands (at most ten seconds); the last
/// frame's markers.
fn frames_until_landed(
    transform: ScreenFromWorld,
    clip: Rect,
    view: &MapView<'_>,
    grouping: &mut MarkerGrouping,
) -> Vec<DrawnMarker> {
    let started = std::time::Instant::now();
    loop {
        let markers = group_markers(transform, clip, view, grouping);
        if !grouping.is_regrouping() {
            return markers;
        }
        assert!(started.elapsed().as_secs() < 10, "the regroup never landed");
        std::thread::sleep(std::time::Duration::from_millis(1));
    }
}

#[test]
fn a_zoom_over_many_events_shows_the_groups_it_had_until_the_regroup_off_the_frame_lands() {
    let dataset = dataset();
    let visible = everything_now(&dataset);
    let center = world_from_lon_lat(LonLat { lon: 21.0, lat: 43.0 });
    let clip = Rect::from_min_max(pos2(0.0, 0.0), pos2(1200.0, 800.0));
    let at_zoom = |zoom: i32| ScreenFromWorld::new(center, [600.0, 400.0], 256.0 * 2f64.powi(zoom));
    let mut grouping = MarkerGrouping::off_frame_from(100);
    // The first grouping has nothing to show meanwhile: it is made on the frame.
    let first = group_markers(at_zoom(9), clip, &view(&dataset, &visible), &mut grouping);
    assert!(!grouping.is_regrouping());
    let zoom_9_cells = first[0].cells_per_step;

    let meanwhile = group_markers(at_zoom(10), clip, &view(&dataset, &visible), &mut grouping);
    assert!(grouping.is_regrouping());
    // Zoom 9's groups, drawn at zoom 10: every event still counted once, and a click on one
    // lists its events from zoom 9's cells.
    assert!(meanwhile.iter().all(|m| m.cells_per_step == zoom_9_cells));
    let counted: usize = meanwhile.iter().map(|m| m.count).sum();
    assert!(counted <= visible.now_events().len() - visible.now_unplaced());
    let biggest = meanwhile.iter().max_by_key(|m| m.count).unwrap();
    let listed = events_in_cells(&view(&dataset, &visible), biggest.cells_per_step, &biggest.cells);
    assert_eq!(listed.len(), biggest.count);

    let landed = frames_until_landed(at_zoom(10), clip, &view(&dataset, &visible), &mut grouping);
    let fresh = group_markers(at_zoom(10), clip, &view(&dataset, &visible), &mut MarkerGrouping::default());
    assert_eq!(landed, fresh);
    assert_ne!(landed[0].cells_per_step, zoom_9_cells);
}

#[test]
fn events_that_join_while_a_regroup_runs_are_in_the_groups_it_lands() {
    let dataset = dataset();
    let mut visible = VisibleEvents::new(&dataset);
    visible.set_filter(&dataset, &EventFilter::default());
    let first_day = day_number(FuzzyDate::parse("2023-01-01").unwrap().first_day);
    let center = world_from_lon_lat(LonLat { lon: 21.0, lat: 43.0 });
    let clip = Rect::from_min_max(pos2(0.0, 0.0), pos2(1200.0, 800.0));
    let at_zoom = |zoom: i32| ScreenFromWorld::new(center, [600.0, 400.0], 256.0 * 2f64.powi(zoom));
    let mut grouping = MarkerGrouping::off_frame_from(100);
    visible.set_window(NowWindow { from: i32::MIN, to: first_day + 100, cumulative: true });
    group_markers(at_zoom(9), clip, &view(&dataset, &visible), &mut grouping);
    group_markers(at_zoom(8), clip, &view(&dataset, &visible), &mut grouping);
    assert!(grouping.is_regrouping());
    // Playing on while it runs: however the regroup and the frames interleave, the groups that
    // land count every event now.
    for step in 1..=20 {
        visible.set_window(NowWindow { from: i32::MIN, to: first_day + 100 + step * 10, cumulative: true });
        group_markers(at_zoom(8), clip, &view(&dataset, &visible), &mut grouping);
    }
    let landed = frames_until_landed(at_zoom(8), clip, &view(&dataset, &visible), &mut grouping);
    let fresh = group_markers(at_zoom(8), clip, &view(&dataset, &visible), &mut MarkerGrouping::default());
    assert_eq!(landed, fresh);
    let counted: usize = landed.iter().map(|m| m.count).sum();
    assert_eq!(counted + visible.now_unplaced(), visible.now_events().len());
}
