//! The embedded offline basemap: Natural Earth country shapes (public domain, see
//! `assets/basemap/README.md`), triangulated once and drawn under the markers, so the map reads
//! well with no network at all.

use std::str::FromStr as _;

use egui::{Color32, Mesh, Pos2, Shape};
use walkers::{Projector, lon_lat};

use super::map::ScreenFromWorld;

/// The clipped, simplified country shapes, compiled into the binary.
pub const COUNTRIES_GEOJSON: &str = include_str!("../../assets/basemap/countries.geojson");

/// One country: its outline rings and a triangulation of its area.
#[derive(Debug)]
struct Country {
    name: String,
    /// Vertices as Web Mercator positions in [0, 1]², computed once.
    unit_vertices: Vec<[f64; 2]>,
    /// Triangles, as indices into the vertices.
    triangles: Vec<u32>,
    /// Rings as index ranges into the vertices.
    rings: Vec<std::ops::Range<usize>>,
    /// (min lon, min lat, max lon, max lat).
    bbox: [f64; 4],
}

/// What the cached shapes were drawn for.
#[derive(Clone, Copy, Debug, PartialEq)]
struct ViewKey {
    transform: ScreenFromWorld,
    clip: egui::Rect,
    dark_mode: bool,
}

/// The basemap, ready to draw.
#[derive(Debug, Default)]
pub struct Basemap {
    countries: Vec<Country>,
    /// Land and borders as meshes for the last view: scrubbing the timeline redraws the map
    /// every frame without moving it, so nothing is projected or tessellated again.
    cache: std::sync::Mutex<Option<(ViewKey, Vec<Shape>)>>,
}

/// Why the embedded basemap could not be read (a build problem, shown rather than panicking).
#[derive(Debug, thiserror::Error)]
pub enum BasemapError {
    /// The asset is not GeoJSON.
    #[error("the embedded basemap is not a GeoJSON FeatureCollection: {0}")]
    NotGeoJson(String),
}

impl Basemap {
    /// Parses and triangulates the embedded country shapes.
    ///
    /// # Errors
    /// [`BasemapError`] if the embedded asset is not GeoJSON (a build problem, shown in the status bar).
    pub fn embedded() -> Result<Self, BasemapError> {
        Self::from_geojson(COUNTRIES_GEOJSON)
    }

    /// Parses and triangulates Polygon and MultiPolygon features; other geometries are ignored.
    ///
    /// # Errors
    /// [`BasemapError`] if `text` is not a GeoJSON FeatureCollection.
    pub fn from_geojson(text: &str) -> Result<Self, BasemapError> {
        let collection =
            geojson::FeatureCollection::from_str(text).map_err(|e| BasemapError::NotGeoJson(e.to_string()))?;
        let mut countries = Vec::new();
        for feature in collection.features {
            let name = feature
                .properties
                .as_ref()
                .and_then(|p| p.get("name"))
                .and_then(|n| n.as_str())
                .unwrap_or_default()
                .to_owned();
            let polygons = match feature.geometry.map(|g| g.value) {
                Some(geojson::GeometryValue::Polygon { coordinates }) => vec![coordinates],
                Some(geojson::GeometryValue::MultiPolygon { coordinates }) => coordinates,
                _ => continue,
            };
            for polygon in polygons {
                if let Some(country) = triangulate(&name, &polygon) {
                    countries.push(country);
                }
            }
        }
        Ok(Self { countries, cache: std::sync::Mutex::default() })
    }

    /// Number of polygons.
    pub fn polygon_count(&self) -> usize {
        self.countries.len()
    }

    /// Land, borders and country names for the visible part of the map.
    pub fn shapes(&self, projector: &Projector, dark_mode: bool, ctx: &egui::Context) -> Vec<Shape> {
        let transform = ScreenFromWorld::from_projector(projector);
        let clip = projector.clip_rect();
        let key = ViewKey { transform, clip, dark_mode };
        let mut shapes = match self.cache.lock().ok().and_then(|cache| cache.clone()) {
            Some((cached_key, shapes)) if cached_key == key => shapes,
            _ => {
                let shapes = self.land_and_borders(transform, clip, dark_mode);
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
        shapes
    }

    /// Projects and tessellates land (triangles) and borders (thin quads) for one view.
    fn land_and_borders(&self, transform: ScreenFromWorld, clip: egui::Rect, dark_mode: bool) -> Vec<Shape> {
        let (_, land, border, focus) = super::style::basemap_colors(dark_mode);
        let half_width = 0.6;
        let mut fill = Mesh::default();
        let mut lines = Mesh::default();
        let mut screen: Vec<Pos2> = Vec::new();
        for country in &self.countries {
            screen.clear();
            screen.extend(country.unit_vertices.iter().map(|&w| transform.screen(w)));
            let bounds = egui::Rect::from_points(&screen);
            if !bounds.intersects(clip) {
                continue;
            }
            let color = if country.name == "Kosovo" { focus } else { land };
            let base = u32::try_from(fill.vertices.len()).unwrap_or(u32::MAX);
            for pos in &screen {
                fill.colored_vertex(*pos, color);
            }
            fill.indices.extend(country.triangles.iter().map(|i| base + i));
            for ring in &country.rings {
                let Some(points) = screen.get(ring.clone()) else { continue };
                for segment in points.windows(2) {
                    let &[a, b] = segment else { continue };
                    if !clip.intersects(egui::Rect::from_two_pos(a, b)) {
                        continue;
                    }
                    let along = (b - a).normalized();
                    let across = egui::vec2(-along.y, along.x) * half_width;
                    let first = u32::try_from(lines.vertices.len()).unwrap_or(u32::MAX);
                    for corner in [a + across, a - across, b - across, b + across] {
                        lines.colored_vertex(corner, border);
                    }
                    lines.add_triangle(first, first + 1, first + 2);
                    lines.add_triangle(first, first + 2, first + 3);
                }
            }
        }
        vec![Shape::mesh(fill), Shape::mesh(lines)]
    }
}

fn triangulate(name: &str, polygon: &[Vec<geojson::Position>]) -> Option<Country> {
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
    let unit_vertices = vertices.iter().map(|&[lon, lat]| crate::app::mercator_unit(lon, lat).into()).collect();
    Some(Country { name: name.to_owned(), unit_vertices, triangles, rings, bbox })
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
}
