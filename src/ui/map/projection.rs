//! walkers' projector as the model's [`ScreenFromWorld`]: one multiply-add per point instead of a
//! projection through longitude and latitude, for the millions of points a frame may place.

use egui::Pos2;
use walkers::{Projector, lon_lat};

use crate::model::geo::world_from_lon_lat;
use crate::model::{LonLat, ScreenFromWorld, WorldPoint};

/// The transform the projector applies this frame: walkers' world is 256 points wide at zoom 0
/// and twice as wide per level, exactly; where the world lies comes from projecting one point.
/// (A scale measured from two projected points would jitter in its last bits as the map pans.)
pub fn screen_from_world(projector: &Projector) -> ScreenFromWorld {
    let scale = 256.0 * 2f64.powf(projector.zoom());
    let anchor = LonLat { lon: 20.0, lat: 42.0 };
    let screen = projector.project(lon_lat(anchor.lon, anchor.lat));
    ScreenFromWorld::new(world_from_lon_lat(anchor), [screen.x, screen.y], scale)
}

/// The screen position of a world position.
#[inline]
pub fn screen_pos(transform: ScreenFromWorld, world: WorldPoint) -> Pos2 {
    let [x, y] = transform.screen_from_world(world);
    Pos2::new(x, y)
}
