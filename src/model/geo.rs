//! Web Mercator: longitude/latitude to the unit square the map is drawn in, and the unit square to
//! the screen. Pure maths, no UI: the map panel derives a [`ScreenFromWorld`] from its projector
//! each frame, and everything that groups or fits markers works in [`WorldPoint`]s.

/// A position on the globe in degrees (WGS 84).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct LonLat {
    /// Longitude, −180..=180.
    pub lon: f64,
    /// Latitude, −90..=90.
    pub lat: f64,
}

/// Mercator's latitude limit: the square world of web maps.
pub const MAX_LATITUDE: f64 = 85.051_128_779_806_59;

/// A position in the Web Mercator unit square: `x` east from 180° W, `y` south from the top edge.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct WorldPoint {
    /// 0 at 180° W, 1 at 180° E.
    pub x: f64,
    /// 0 at the northern edge, 1 at the southern edge.
    pub y: f64,
}

/// A [`WorldPoint`] in 32-bit fixed point, or no place: 8 bytes where `Option<WorldPoint>` takes
/// 24, for the per-event arrays that grouping reads a million times a frame. 2^32 steps across the
/// world are a thirtieth of a point even at zoom 20.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PackedPoint {
    x: u32,
    y: u32,
}

impl PackedPoint {
    /// No place.
    pub const NONE: Self = Self { x: u32::MAX, y: u32::MAX };
    /// World units per fixed-point step.
    pub const STEP: f64 = 1.0 / 4_294_967_296.0;

    /// The packed form of a position (none: no place). Positions outside the unit square are
    /// clamped to it.
    pub fn pack(point: Option<WorldPoint>) -> Self {
        let Some(point) = point else { return Self::NONE };
        // u32::MAX is kept for "no place".
        let fixed = |unit: f64| {
            #[expect(clippy::cast_possible_truncation, clippy::cast_sign_loss, reason = "clamped to the u32 range")]
            let value = (unit.clamp(0.0, 1.0) / Self::STEP).round().min(f64::from(u32::MAX - 1)) as u32;
            value
        };
        Self { x: fixed(point.x), y: fixed(point.y) }
    }

    /// The position, if there is one.
    pub fn get(self) -> Option<WorldPoint> {
        self.fixed().map(|(x, y)| WorldPoint { x: f64::from(x) * Self::STEP, y: f64::from(y) * Self::STEP })
    }

    /// The fixed-point coordinates (world ÷ [`Self::STEP`]), if there is a place.
    #[inline]
    pub fn fixed(self) -> Option<(u32, u32)> {
        (self != Self::NONE).then_some((self.x, self.y))
    }
}

/// The unit-square position of a longitude and latitude (latitudes clamped to Mercator's square).
pub fn world_from_lon_lat(point: LonLat) -> WorldPoint {
    let lat = point.lat.clamp(-MAX_LATITUDE, MAX_LATITUDE).to_radians();
    WorldPoint {
        x: (point.lon + 180.0) / 360.0,
        // ln(tan φ + sec φ), the Mercator y, is atanh(sin φ): two calls instead of three.
        y: (1.0 - lat.sin().atanh() / std::f64::consts::PI) / 2.0,
    }
}

/// The longitude and latitude of a unit-square position; inverse of [`world_from_lon_lat`].
pub fn lon_lat_from_world(world: WorldPoint) -> LonLat {
    LonLat {
        lon: world.x * 360.0 - 180.0,
        lat: (std::f64::consts::PI * (1.0 - 2.0 * world.y)).sinh().atan().to_degrees(),
    }
}

/// Screen position from a unit-square position for one frame of the map:
/// `screen = offset + world · scale`, in points.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct ScreenFromWorld {
    offset: [f32; 2],
    scale: f64,
}

impl ScreenFromWorld {
    /// The transform that puts `world` at `screen` with the world `scale` points wide.
    pub fn new(world: WorldPoint, screen: [f32; 2], scale: f64) -> Self {
        #[expect(clippy::cast_possible_truncation, reason = "screen coordinates")]
        let offset = [screen[0] - (world.x * scale) as f32, screen[1] - (world.y * scale) as f32];
        Self { offset, scale }
    }

    /// Points per unit of world: the world's width on screen.
    pub fn scale(&self) -> f64 {
        self.scale
    }

    /// Where the world's origin is on screen.
    pub fn offset(&self) -> [f32; 2] {
        self.offset
    }

    /// The web map zoom level: the world is 256 points wide at zoom 0, twice as wide per level.
    pub fn zoom(&self) -> f64 {
        (self.scale / 256.0).log2()
    }

    /// Screen position of a unit-square position.
    #[inline]
    pub fn screen_from_world(&self, world: WorldPoint) -> [f32; 2] {
        #[expect(clippy::cast_possible_truncation, reason = "screen coordinates")]
        let (x, y) = ((world.x * self.scale) as f32, (world.y * self.scale) as f32);
        [self.offset[0] + x, self.offset[1] + y]
    }

    /// Unit-square position of a screen position; inverse of [`Self::screen_from_world`].
    pub fn world_from_screen(&self, screen: [f32; 2]) -> WorldPoint {
        WorldPoint {
            x: f64::from(screen[0] - self.offset[0]) / self.scale,
            y: f64::from(screen[1] - self.offset[1]) / self.scale,
        }
    }
}

/// The smallest box holding some unit-square positions.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct WorldBounds {
    /// North-west corner.
    pub min: WorldPoint,
    /// South-east corner.
    pub max: WorldPoint,
}

impl WorldBounds {
    /// The bounds of the points, or `None` when there are none.
    pub fn of(points: impl IntoIterator<Item = WorldPoint>) -> Option<Self> {
        points.into_iter().fold(None, |bounds, p| {
            Some(match bounds {
                None => Self { min: p, max: p },
                Some(Self { min, max }) => Self {
                    min: WorldPoint { x: min.x.min(p.x), y: min.y.min(p.y) },
                    max: WorldPoint { x: max.x.max(p.x), y: max.y.max(p.y) },
                },
            })
        })
    }

    /// The centre (as longitude and latitude) and the zoom level that show the bounds in a view of
    /// `size_px`, filling at most `fill` of it, between `min_zoom` and `max_zoom`.
    pub fn fit(&self, size_px: [f32; 2], fill: f64, min_zoom: f64, max_zoom: f64) -> (LonLat, f64) {
        let zoom_for = |extent: f64, pixels: f32| (f64::from(pixels) * fill / (256.0 * extent.max(1e-9))).log2();
        let zoom = zoom_for(self.max.x - self.min.x, size_px[0])
            .min(zoom_for(self.max.y - self.min.y, size_px[1]))
            .clamp(min_zoom, max_zoom);
        let center = WorldPoint { x: f64::midpoint(self.min.x, self.max.x), y: f64::midpoint(self.min.y, self.max.y) };
        (lon_lat_from_world(center), zoom)
    }
}

/// Great-circle distance between two points, in kilometres (mean Earth radius).
pub fn distance_km(a: LonLat, b: LonLat) -> f64 {
    const EARTH_RADIUS_KM: f64 = 6371.0;
    let (phi_a, phi_b) = (a.lat.to_radians(), b.lat.to_radians());
    let d_phi = phi_b - phi_a;
    let d_lambda = (b.lon - a.lon).to_radians();
    let h = (d_phi / 2.0).sin().powi(2) + phi_a.cos() * phi_b.cos() * (d_lambda / 2.0).sin().powi(2);
    2.0 * EARTH_RADIUS_KM * h.sqrt().asin()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The Mercator y as atanh(sin φ) is ln(tan φ + sec φ), the textbook form, everywhere.
    #[test]
    fn mercator_y_is_the_textbook_one() {
        for step in -850..=850 {
            let lat = f64::from(step) / 10.0;
            let textbook =
                (1.0 - (lat.to_radians().tan() + 1.0 / lat.to_radians().cos()).ln() / std::f64::consts::PI) / 2.0;
            let y = world_from_lon_lat(LonLat { lon: 0.0, lat }).y;
            assert!((y - textbook).abs() < 1e-14, "{lat}: {y} against {textbook}");
        }
    }

    #[test]
    fn lon_lat_round_trips_through_the_unit_square() {
        for (lon, lat) in [(20.87, 42.89), (-120.0, -33.5), (0.0, 0.0), (179.0, 80.0)] {
            let back = lon_lat_from_world(world_from_lon_lat(LonLat { lon, lat }));
            assert!((lon - back.lon).abs() < 1e-9 && (lat - back.lat).abs() < 1e-9, "{lon},{lat} -> {back:?}");
        }
        assert_eq!(world_from_lon_lat(LonLat { lon: 0.0, lat: 0.0 }), WorldPoint { x: 0.5, y: 0.5 });
    }

    #[test]
    fn screen_round_trips_through_the_world() {
        let transform = ScreenFromWorld::new(WorldPoint { x: 0.55, y: 0.37 }, [640.0, 400.0], 256.0 * 2f64.powi(9));
        assert!((transform.zoom() - 9.0).abs() < 1e-12);
        let [x, y] = transform.screen_from_world(WorldPoint { x: 0.55, y: 0.37 });
        assert!((x - 640.0).abs() < 1e-3 && (y - 400.0).abs() < 1e-3);
        for screen in [[0.0, 0.0], [640.0, 400.0], [1279.5, 799.25], [-50.0, 900.0]] {
            let back = transform.screen_from_world(transform.world_from_screen(screen));
            assert!((back[0] - screen[0]).abs() < 1e-3 && (back[1] - screen[1]).abs() < 1e-3, "{screen:?} -> {back:?}");
        }
    }

    #[test]
    fn fitting_shows_every_point() {
        let points = [LonLat { lon: 20.0, lat: 42.0 }, LonLat { lon: 21.5, lat: 43.2 }].map(world_from_lon_lat);
        let bounds = WorldBounds::of(points).unwrap();
        let (center, zoom) = bounds.fit([1000.0, 600.0], 0.85, 2.0, 16.0);
        let transform = ScreenFromWorld::new(world_from_lon_lat(center), [500.0, 300.0], 256.0 * 2f64.powf(zoom));
        for point in points {
            let [x, y] = transform.screen_from_world(point);
            assert!((0.0..=1000.0).contains(&x) && (0.0..=600.0).contains(&y), "{x},{y}");
        }
        assert!(WorldBounds::of([]).is_none());
    }

    #[test]
    fn packed_points_keep_their_place_to_a_thirtieth_of_a_point_at_zoom_20() {
        let world_at_zoom_20 = 256.0 * 2f64.powi(20);
        for (lon, lat) in [(-180.0, -85.0), (20.87, 42.91), (179.99, 85.05), (0.0, 0.0), (-73.98, 40.75)] {
            let world = world_from_lon_lat(LonLat { lon, lat });
            let back = PackedPoint::pack(Some(world)).get().unwrap();
            assert!((back.x - world.x).abs() * world_at_zoom_20 < 1.0 / 30.0, "{lon} {lat}");
            assert!((back.y - world.y).abs() * world_at_zoom_20 < 1.0 / 30.0, "{lon} {lat}");
        }
        assert_eq!(PackedPoint::pack(None), PackedPoint::NONE);
        assert_eq!(PackedPoint::NONE.get(), None);
        // The far corner is a place, not "no place".
        assert!(PackedPoint::pack(Some(WorldPoint { x: 1.0, y: 1.0 })).get().is_some());
    }

    #[test]
    fn distances_match_known_values() {
        // Mitrovica to Pristina is about 35 km.
        let d = distance_km(LonLat { lon: 20.8667, lat: 42.8833 }, LonLat { lon: 21.1667, lat: 42.6667 });
        assert!((d - 33.5).abs() < 2.0, "{d}");
    }
}
