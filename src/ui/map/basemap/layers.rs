//! The basemap's layers as read: areas, rivers, cities, and the box the detail covers.

use crate::model::WorldPoint;

/// The box the 1:10m detail covers (west, south, east, north); the world layer is drawn around it.
pub(super) const DETAIL_BOX: [f64; 4] = [13.0, 38.0, 30.0, 47.5];

/// A city or town of the world layer.
#[derive(Debug)]
pub(super) struct City {
    pub(super) name: String,
    /// Natural Earth's rank, 0 (capitals, megacities) to 10.
    pub(super) rank: u8,
    pub(super) at: WorldPoint,
}

/// A country or a lake: its outline rings and a triangulation of its area.
#[derive(Debug)]
pub(super) struct Area {
    pub(super) name: String,
    /// Vertices as Web Mercator positions, computed once.
    pub(super) world_vertices: Vec<WorldPoint>,
    /// Triangles, as indices into the vertices.
    pub(super) triangles: Vec<u32>,
    /// Rings as index ranges into the vertices.
    pub(super) rings: Vec<std::ops::Range<usize>>,
    /// Per vertex: which sides of the detail box it lies on (bits: west, south, east, north).
    /// A segment along one side is where the detail was cut, not a border.
    pub(super) box_sides: Vec<u8>,
    /// (min lon, min lat, max lon, max lat).
    pub(super) bbox: [f64; 4],
}

/// A river, as lines.
#[derive(Debug)]
pub(super) struct River {
    pub(super) name: String,
    /// Natural Earth's suggested least zoom level to show it at.
    pub(super) min_zoom: f64,
    /// Natural Earth's importance, 0 (greatest) to 12.
    pub(super) scale_rank: u8,
    /// Each line as Web Mercator positions.
    pub(super) lines: Vec<Vec<WorldPoint>>,
}

/// Why the embedded basemap could not be read (a build problem, shown rather than panicking).
#[derive(Debug, thiserror::Error)]
pub enum BasemapError {
    /// An asset is not GeoJSON.
    #[error("the embedded basemap layer {layer} is not a GeoJSON FeatureCollection: {message}")]
    NotGeoJson {
        /// Which layer: countries, lakes or rivers.
        layer: &'static str,
        /// What the GeoJSON reader said.
        message: String,
    },
}
