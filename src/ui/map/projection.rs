//! walkers' projector as the model's [`ScreenFromWorld`]: one multiply-add per point instead of a
//! projection through longitude and latitude, for the millions of points a frame may place.

use egui::Pos2;
use walkers::{Projector, lon_lat};

use crate::model::geo::world_from_lon_lat;
use crate::model::{LonLat, ScreenFromWorld, WorldPoint};

/// The transform the projector applies this frame, found by projecting two known points.
pub fn screen_from_world(projector: &Projector) -> ScreenFromWorld {
    let (a, b) = (LonLat { lon: 20.0, lat: 42.0 }, LonLat { lon: 21.0, lat: 43.0 });
    let (world_a, world_b) = (world_from_lon_lat(a), world_from_lon_lat(b));
    let screen_a = projector.project(lon_lat(a.lon, a.lat));
    let screen_b = projector.project(lon_lat(b.lon, b.lat));
    let scale = f64::from(screen_b.x - screen_a.x) / (world_b.x - world_a.x);
    ScreenFromWorld::new(world_a, [screen_a.x, screen_a.y], scale)
}

/// The screen position of a world position.
#[inline]
pub fn screen_pos(transform: ScreenFromWorld, world: WorldPoint) -> Pos2 {
    let [x, y] = transform.screen_from_world(world);
    Pos2::new(x, y)
}
