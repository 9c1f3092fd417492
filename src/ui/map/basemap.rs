//! The embedded offline basemap: Natural Earth countries, lakes and rivers (public domain, see
//! `assets/basemap/README.md`), triangulated once and drawn under the markers, so the map reads
//! well with no network at all.

use std::str::FromStr as _;

use egui::{Color32, Mesh, Pos2, Shape};
use walkers::{Projector, lon_lat};

use super::projection::{screen_from_world, screen_pos};
use crate::model::geo::world_from_lon_lat;
use crate::model::{LonLat, ScreenFromWorld, WorldPoint};
use crate::ui::style;

/// The clipped country shapes, compiled into the binary.
pub const COUNTRIES_GEOJSON: &str = include_str!("../../../assets/basemap/countries.geojson");
/// The clipped lakes.
pub const LAKES_GEOJSON: &str = include_str!("../../../assets/basemap/lakes.geojson");
/// The clipped rivers (centre lines, also through lakes).
pub const RIVERS_GEOJSON: &str = include_str!("../../../assets/basemap/rivers.geojson");

/// A country or a lake: its outline rings and a triangulation of its area.
#[derive(Debug)]
struct Area {
    name: String,
    /// Vertices as Web Mercator positions, computed once.
    world_vertices: Vec<WorldPoint>,
    /// Triangles, as indices into the vertices.
    triangles: Vec<u32>,
    /// Rings as index ranges into the vertices.
    rings: Vec<std::ops::Range<usize>>,
    /// (min lon, min lat, max lon, max lat).
    bbox: [f64; 4],
}

/// What the cached shapes were drawn for.
#[derive(Clone, Debug, PartialEq)]
struct ViewKey {
    transform: ScreenFromWorld,
    clip: egui::Rect,
    dark_mode: bool,
    focus_region: Option<String>,
}

/// A river, as lines.
#[derive(Debug)]
struct River {
    name: String,
    /// Natural Earth's suggested least zoom level to show it at.
    min_zoom: f64,
    /// Natural Earth's importance, 0 (greatest) to 12.
    scale_rank: u8,
    /// Each line as Web Mercator positions.
    lines: Vec<Vec<WorldPoint>>,
}

/// The basemap, ready to draw.
#[derive(Debug, Default)]
pub struct Basemap {
    countries: Vec<Area>,
    lakes: Vec<Area>,
    rivers: Vec<River>,
    /// Land and borders as meshes for the last view: scrubbing the timeline redraws the map
    /// every frame without moving it, so nothing is projected or tessellated again.
    cache: std::sync::Mutex<Option<(ViewKey, Vec<Shape>)>>,
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

impl Basemap {
    /// Parses and triangulates the embedded countries, lakes and rivers.
    ///
    /// # Errors
    /// [`BasemapError`] if an embedded asset is not GeoJSON (a build problem, shown in the status bar).
    pub fn embedded() -> Result<Self, BasemapError> {
        Ok(Self {
            countries: areas(&read_layer("countries", COUNTRIES_GEOJSON)?),
            lakes: areas(&read_layer("lakes", LAKES_GEOJSON)?),
            rivers: rivers(&read_layer("rivers", RIVERS_GEOJSON)?),
            cache: std::sync::Mutex::default(),
        })
    }

    /// Number of country polygons.
    pub fn polygon_count(&self) -> usize {
        self.countries.len()
    }

    /// Number of lake polygons and of rivers.
    pub fn water_count(&self) -> (usize, usize) {
        (self.lakes.len(), self.rivers.len())
    }

    /// Land, borders and country names for the visible part of the map; the dataset's focus
    /// region (a country's name), if any, a shade lighter.
    pub fn shapes(
        &self,
        projector: &Projector,
        dark_mode: bool,
        focus_region: Option<&str>,
        ctx: &egui::Context,
    ) -> Vec<Shape> {
        let transform = screen_from_world(projector);
        let clip = projector.clip_rect();
        let key = ViewKey { transform, clip, dark_mode, focus_region: focus_region.map(str::to_owned) };
        let mut shapes = match self.cache.lock().ok().and_then(|cache| cache.clone()) {
            Some((cached_key, shapes)) if cached_key == key => shapes,
            _ => {
                let shapes = self.land_water_and_borders(transform, clip, dark_mode, focus_region);
                if let Ok(mut cache) = self.cache.lock() {
                    *cache = Some((key, shapes.clone()));
                }
                shapes
            }
        };
        // Country names at low zoom, where they orient; villages take over when zoomed in.
        if projector.zoom() < 10.5 {
            let font = egui::FontId::proportional(13.0);
            let color = Color32::from_gray(if dark_mode { 150 } else { 120 });
            for country in &self.countries {
                let [w, s, e, n] = country.bbox;
                let centre = projector.project(lon_lat(f64::midpoint(w, e), f64::midpoint(s, n))).to_pos2();
                let width = (projector.project(lon_lat(e, s)).x - projector.project(lon_lat(w, s)).x).abs();
                if clip.contains(centre) && width > 120.0 && !country.name.is_empty() {
                    let galley = ctx.fonts_mut(|f| f.layout_no_wrap(country.name.to_uppercase(), font.clone(), color));
                    let pos = centre - galley.size() / 2.0;
                    shapes.push(Shape::galley(pos, galley, color));
                }
            }
        }
        self.water_names(transform, clip, dark_mode, ctx, &mut shapes);
        shapes
    }

    /// Names of lakes wide enough to hold them, and of rivers once zoomed in to a region, at the
    /// middle of each river's longest line.
    fn water_names(
        &self,
        transform: ScreenFromWorld,
        clip: egui::Rect,
        dark_mode: bool,
        ctx: &egui::Context,
        shapes: &mut Vec<Shape>,
    ) {
        let color = if dark_mode { Color32::from_rgb(110, 140, 175) } else { Color32::from_rgb(70, 110, 150) };
        let mut label = |text: &str, at: Pos2, size: f32| {
            let mut job = egui::text::LayoutJob::single_section(
                text.to_owned(),
                egui::TextFormat {
                    font_id: egui::FontId::proportional(size),
                    color,
                    italics: true,
                    ..Default::default()
                },
            );
            job.wrap.max_width = f32::INFINITY;
            let galley = ctx.fonts_mut(|f| f.layout_job(job));
            shapes.push(Shape::galley(at - galley.size() / 2.0, galley, color));
        };
        for lake in self.lakes.iter().filter(|lake| !lake.name.is_empty()) {
            let [w, s, e, n] = lake.bbox;
            let west = screen_pos(transform, world_from_lon_lat(LonLat { lon: w, lat: s }));
            let east = screen_pos(transform, world_from_lon_lat(LonLat { lon: e, lat: n }));
            let centre = west.lerp(east, 0.5);
            if clip.contains(centre) && (east.x - west.x) > 70.0 {
                label(&lake.name, centre, 11.0);
            }
        }
        let zoom = transform.zoom();
        if zoom < 8.0 {
            return;
        }
        for river in self.rivers.iter().filter(|r| !r.name.is_empty() && r.min_zoom <= zoom - 1.0) {
            let Some(line) = river.lines.iter().max_by_key(|line| line.len()) else { continue };
            let Some(&middle) = line.get(line.len() / 2) else { continue };
            let at = screen_pos(transform, middle);
            if clip.shrink(40.0).contains(at) {
                label(&river.name, at + egui::vec2(0.0, -8.0), 10.5);
            }
        }
    }

    /// Projects and tessellates land and lakes (triangles), rivers and borders (thin quads) for
    /// one view. Rivers thin out as the map zooms out, by Natural Earth's own zoom levels.
    fn land_water_and_borders(
        &self,
        transform: ScreenFromWorld,
        clip: egui::Rect,
        dark_mode: bool,
        focus_region: Option<&str>,
    ) -> Vec<Shape> {
        let colors = style::basemap_colors(dark_mode);
        let mut land = Mesh::default();
        let mut water = Mesh::default();
        let mut borders = Mesh::default();
        let mut screen: Vec<Pos2> = Vec::new();
        for country in &self.countries {
            let color = if focus_region == Some(country.name.as_str()) { colors.focus } else { colors.land };
            if country.fill(transform, clip, color, &mut screen, &mut land) {
                for ring in &country.rings {
                    let Some(points) = screen.get(ring.clone()) else { continue };
                    add_line(points, 0.6, colors.border, clip, &mut borders);
                }
            }
        }
        let zoom = transform.zoom();
        for river in &self.rivers {
            if river.min_zoom > zoom + 0.5 {
                continue;
            }
            let half_width = match river.scale_rank {
                0..=5 => 1.1,
                6..=8 => 0.8,
                _ => 0.55,
            } + if zoom >= 10.0 { 0.3 } else { 0.0 };
            for line in &river.lines {
                screen.clear();
                screen.extend(line.iter().map(|&w| screen_pos(transform, w)));
                add_line(&screen, half_width, colors.river, clip, &mut water);
            }
        }
        for lake in &self.lakes {
            lake.fill(transform, clip, colors.water, &mut screen, &mut water);
        }
        vec![Shape::mesh(land), Shape::mesh(water), Shape::mesh(borders)]
    }
}

impl Area {
    /// Adds the area's triangles to `mesh` when it is in view, leaving its vertices on screen
    /// in `screen`. False when it is out of view.
    fn fill(
        &self,
        transform: ScreenFromWorld,
        clip: egui::Rect,
        color: Color32,
        screen: &mut Vec<Pos2>,
        mesh: &mut Mesh,
    ) -> bool {
        screen.clear();
        screen.extend(self.world_vertices.iter().map(|&w| screen_pos(transform, w)));
        if !egui::Rect::from_points(screen).intersects(clip) {
            return false;
        }
        let base = u32::try_from(mesh.vertices.len()).unwrap_or(u32::MAX);
        for pos in screen.iter() {
            mesh.colored_vertex(*pos, color);
        }
        mesh.indices.extend(self.triangles.iter().map(|i| base + i));
        true
    }
}

/// Adds a polyline to `mesh` as one quad per visible segment: cheaper than egui's stroked paths
/// for thousands of segments, and the joins are too small to see. Points closer than a pixel to
/// the last one drawn are skipped: zoomed out to the Balkans, most of a border's vertices fall
/// within a pixel of each other, and every vertex is copied again each frame.
fn add_line(points: &[Pos2], half_width: f32, color: Color32, clip: egui::Rect, mesh: &mut Mesh) {
    let Some((&first, rest)) = points.split_first() else { return };
    let mut from = first;
    for (i, &to) in rest.iter().enumerate() {
        let is_last = i + 1 == rest.len();
        if !is_last && (to - from).length_sq() < MIN_SEGMENT_PX * MIN_SEGMENT_PX {
            continue;
        }
        let a = std::mem::replace(&mut from, to);
        if !clip.intersects(egui::Rect::from_two_pos(a, to)) {
            continue;
        }
        let along = (to - a).normalized();
        let across = egui::vec2(-along.y, along.x) * half_width;
        let base = u32::try_from(mesh.vertices.len()).unwrap_or(u32::MAX);
        for corner in [a + across, a - across, to - across, to + across] {
            mesh.colored_vertex(corner, color);
        }
        mesh.add_triangle(base, base + 1, base + 2);
        mesh.add_triangle(base, base + 2, base + 3);
    }
}

/// Shortest segment of a border or river drawn, in pixels.
const MIN_SEGMENT_PX: f32 = 1.5;

fn read_layer(layer: &'static str, text: &str) -> Result<geojson::FeatureCollection, BasemapError> {
    geojson::FeatureCollection::from_str(text).map_err(|e| BasemapError::NotGeoJson { layer, message: e.to_string() })
}

fn name_of(feature: &geojson::Feature) -> String {
    feature.properties.as_ref().and_then(|p| p.get("name")).and_then(|n| n.as_str()).unwrap_or_default().to_owned()
}

/// Triangulates the Polygon and MultiPolygon features; other geometries are ignored.
fn areas(collection: &geojson::FeatureCollection) -> Vec<Area> {
    let mut areas = Vec::new();
    for feature in &collection.features {
        let name = name_of(feature);
        let polygons = match feature.geometry.as_ref().map(|g| &g.value) {
            Some(geojson::GeometryValue::Polygon { coordinates }) => vec![coordinates.clone()],
            Some(geojson::GeometryValue::MultiPolygon { coordinates }) => coordinates.clone(),
            _ => continue,
        };
        areas.extend(polygons.iter().filter_map(|polygon| triangulate(&name, polygon)));
    }
    areas
}

/// Reads the LineString and MultiLineString features with their zoom level and rank.
fn rivers(collection: &geojson::FeatureCollection) -> Vec<River> {
    let number = |feature: &geojson::Feature, key: &str| {
        feature.properties.as_ref().and_then(|p| p.get(key)).and_then(serde_json::Value::as_f64)
    };
    let to_world = |line: &Vec<geojson::Position>| -> Vec<WorldPoint> {
        line.iter()
            .filter_map(|p| {
                Some(world_from_lon_lat(LonLat { lon: *p.as_slice().first()?, lat: *p.as_slice().get(1)? }))
            })
            .collect()
    };
    let mut rivers = Vec::new();
    for feature in &collection.features {
        let lines: Vec<Vec<WorldPoint>> = match feature.geometry.as_ref().map(|g| &g.value) {
            Some(geojson::GeometryValue::LineString { coordinates }) => vec![to_world(coordinates)],
            Some(geojson::GeometryValue::MultiLineString { coordinates }) => coordinates.iter().map(to_world).collect(),
            _ => continue,
        };
        #[expect(clippy::cast_possible_truncation, clippy::cast_sign_loss, reason = "clamped to 0..=12")]
        let scale_rank = number(feature, "scalerank").map_or(12, |rank| rank.clamp(0.0, 12.0) as u8);
        rivers.push(River {
            name: name_of(feature),
            min_zoom: number(feature, "min_zoom").unwrap_or(8.0),
            scale_rank,
            lines,
        });
    }
    rivers
}

fn triangulate(name: &str, polygon: &[Vec<geojson::Position>]) -> Option<Area> {
    let mut vertices: Vec<[f64; 2]> = Vec::new();
    let mut flat: Vec<f64> = Vec::new();
    let mut holes: Vec<usize> = Vec::new();
    let mut rings = Vec::new();
    for (ring_index, ring) in polygon.iter().enumerate() {
        if ring_index > 0 {
            holes.push(vertices.len());
        }
        let start = vertices.len();
        for position in ring {
            let (Some(&lon), Some(&lat)) = (position.as_slice().first(), position.as_slice().get(1)) else { continue };
            vertices.push([lon, lat]);
            flat.extend([lon, lat]);
        }
        rings.push(start..vertices.len());
    }
    if vertices.len() < 3 {
        return None;
    }
    let triangles = earcutr::earcut(&flat, &holes, 2).ok()?;
    let triangles = triangles.into_iter().filter_map(|i| u32::try_from(i).ok()).collect();
    let bbox = vertices.iter().fold([f64::MAX, f64::MAX, f64::MIN, f64::MIN], |b, [lon, lat]| {
        [b[0].min(*lon), b[1].min(*lat), b[2].max(*lon), b[3].max(*lat)]
    });
    let world_vertices = vertices.iter().map(|&[lon, lat]| world_from_lon_lat(LonLat { lon, lat })).collect();
    Some(Area { name: name.to_owned(), world_vertices, triangles, rings, bbox })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn embedded_basemap_has_kosovo_and_triangles() {
        let basemap = Basemap::embedded().unwrap();
        assert!(basemap.polygon_count() >= 18);
        let kosovo = basemap.countries.iter().find(|c| c.name == "Kosovo").unwrap();
        assert!(!kosovo.triangles.is_empty());
        assert_eq!(kosovo.triangles.len() % 3, 0);
        let [w, s, e, n] = kosovo.bbox;
        assert!((19.9..20.1).contains(&w) && (21.7..21.9).contains(&e));
        assert!((41.8..41.9).contains(&s) && (43.2..43.3).contains(&n));
    }

    #[test]
    fn embedded_basemap_has_the_regions_water() {
        let basemap = Basemap::embedded().unwrap();
        for lake in ["Lake Ohrid", "Lake Prespa", "Lake Skadar"] {
            assert!(basemap.lakes.iter().any(|l| l.name == lake && !l.triangles.is_empty()), "{lake}");
        }
        for river in ["Danube", "Drina", "Sitnica", "Beli Drim", "Morava"] {
            assert!(basemap.rivers.iter().any(|r| r.name == river && !r.lines.is_empty()), "{river}");
        }
        // The great rivers show from the whole Balkans on; small ones only closer in.
        let danube = basemap.rivers.iter().find(|r| r.name == "Danube").unwrap();
        assert!(danube.min_zoom <= 5.0 && danube.scale_rank <= 5, "{danube:?}");
    }
}
