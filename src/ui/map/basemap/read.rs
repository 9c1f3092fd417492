//! Reading the embedded GeoJSON layers: areas triangulated once (earcut), rivers with their
//! zoom levels, cities with their ranks.

use std::str::FromStr as _;

use super::layers::{Area, BasemapError, City, DETAIL_BOX, River};
use crate::model::geo::world_from_lon_lat;
use crate::model::{LonLat, WorldPoint};

pub(super) fn read_layer(layer: &'static str, text: &str) -> Result<geojson::FeatureCollection, BasemapError> {
    geojson::FeatureCollection::from_str(text).map_err(|e| BasemapError::NotGeoJson { layer, message: e.to_string() })
}

pub(super) fn name_of(feature: &geojson::Feature) -> String {
    feature.properties.as_ref().and_then(|p| p.get("name")).and_then(|n| n.as_str()).unwrap_or_default().to_owned()
}

/// Whether a bounding box lies wholly in the detail box.
pub(super) fn inside_detail_box([w, s, e, n]: [f64; 4]) -> bool {
    let [dw, ds, de, dn] = DETAIL_BOX;
    w >= dw && s >= ds && e <= de && n <= dn
}

/// The world layer's cities, most important first.
pub(super) fn cities(collection: &geojson::FeatureCollection) -> Vec<City> {
    let mut cities: Vec<City> = collection
        .features
        .iter()
        .filter_map(|feature| {
            let Some(geojson::GeometryValue::Point { coordinates }) = feature.geometry.as_ref().map(|g| &g.value)
            else {
                return None;
            };
            let (lon, lat) = (*coordinates.as_slice().first()?, *coordinates.as_slice().get(1)?);
            let rank = feature.properties.as_ref().and_then(|p| p.get("rank")).and_then(serde_json::Value::as_u64);
            Some(City {
                name: name_of(feature),
                rank: u8::try_from(rank.unwrap_or(10).min(10)).unwrap_or(10),
                at: world_from_lon_lat(LonLat { lon, lat }),
            })
        })
        .filter(|city| !city.name.is_empty())
        .collect();
    cities.sort_by_key(|city| city.rank);
    cities
}

/// Triangulates the Polygon and MultiPolygon features; other geometries are ignored.
pub(super) fn areas(collection: &geojson::FeatureCollection) -> Vec<Area> {
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
pub(super) fn rivers(collection: &geojson::FeatureCollection) -> Vec<River> {
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

pub(super) fn triangulate(name: &str, polygon: &[Vec<geojson::Position>]) -> Option<Area> {
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
    let [bw, bs, be, bn] = DETAIL_BOX;
    let near = |a: f64, b: f64| (a - b).abs() < 1e-6;
    let box_sides = vertices
        .iter()
        .map(|&[lon, lat]| {
            u8::from(near(lon, bw))
                | u8::from(near(lat, bs)) << 1
                | u8::from(near(lon, be)) << 2
                | u8::from(near(lat, bn)) << 3
        })
        .collect();
    Some(Area { name: name.to_owned(), world_vertices, triangles, rings, bbox, box_sides })
}
