//! Where a record happened: its representative point and, for lines and areas, its shape, with
//! a bad coordinate reported where it is.

use crate::io::fields::check_lon_lat;
use crate::io::problem::{Location, Problem, ProblemKind};
use crate::io::records::{FieldNames, RawGeometry};
use crate::model::{LonLat, Shape};

/// The representative point and, for lines and areas, the shape.
pub(super) fn build_place(
    geometry: &RawGeometry<'_>,
    names: &FieldNames,
    at: &dyn Fn() -> Location,
    problems: &mut Vec<Problem>,
) -> (Option<LonLat>, Option<Shape>) {
    let field = |name: &Option<String>, fallback: &str| Location {
        field: Some(name.clone().unwrap_or_else(|| fallback.to_owned())),
        ..at()
    };
    match geometry {
        RawGeometry::None => (None, None),
        RawGeometry::LatLonText { lat, lon } => {
            let number = |text: &str| {
                let text = text.trim();
                // A decimal comma (`42,9`), as some spreadsheets write.
                if text.contains(',') && !text.contains('.') {
                    text.replace(',', ".").parse::<f64>().ok()
                } else {
                    text.parse::<f64>().ok()
                }
            };
            match (number(lat), number(lon)) {
                (Some(lat_value), Some(lon_value)) => match check_lon_lat(&[lon_value, lat_value]) {
                    Ok(point) => (Some(point), None),
                    Err((axis, message)) => {
                        let name = if axis == 0 { &names.lon } else { &names.lat };
                        problems.push(Problem::error(
                            field(name, if axis == 0 { "longitude" } else { "latitude" }),
                            ProblemKind::BadCoordinate(message),
                        ));
                        (None, None)
                    }
                },
                (lat_value, _) => {
                    let (name, text, fallback) = if lat_value.is_none() {
                        (&names.lat, lat, "latitude")
                    } else {
                        (&names.lon, lon, "longitude")
                    };
                    let message = format!("{text:?} is not a number of degrees");
                    problems.push(Problem::error(field(name, fallback), ProblemKind::BadCoordinate(message)));
                    (None, None)
                }
            }
        }
        // A point, as most records have: no shape to build.
        RawGeometry::Point(point) => match check_lon_lat(point) {
            Ok(point) => (Some(point), None),
            Err((_, message)) => {
                problems.push(Problem::error(field(&names.geometry, "geometry"), ProblemKind::BadCoordinate(message)));
                (None, None)
            }
        },
        other => {
            let mut shape = Shape::default();
            let mut bad = None;
            collect_shape(other, &mut shape, &mut bad);
            if let Some(message) = bad {
                problems.push(Problem::error(field(&names.geometry, "geometry"), ProblemKind::BadCoordinate(message)));
                return (None, None);
            }
            let point = if shape.lines.is_empty() && shape.areas.is_empty() && shape.points.len() == 1 {
                shape.points.first().copied()
            } else {
                shape.representative()
            };
            let shape = (shape.points.len() > 1 || !shape.lines.is_empty() || !shape.areas.is_empty()).then_some(shape);
            (point, shape)
        }
    }
}

/// The representative point and shape of a GeoJSON geometry other than a Point, for the Kronika
/// reader; a bad coordinate is reported at `geometry.coordinates`.
pub fn place_of_geometry(
    geometry: &RawGeometry<'_>,
    at: &Location,
    problems: &mut Vec<Problem>,
) -> (Option<LonLat>, Option<Shape>) {
    let names = FieldNames { geometry: Some("geometry.coordinates".into()), ..FieldNames::default() };
    build_place(geometry, &names, &|| at.clone(), problems)
}

/// Adds a geometry's parts to `shape`, noting the first bad coordinate.
fn collect_shape(geometry: &RawGeometry<'_>, shape: &mut Shape, bad: &mut Option<String>) {
    let point = |[lon, lat]: [f64; 2], bad: &mut Option<String>| match check_lon_lat(&[lon, lat]) {
        Ok(point) => Some(point),
        Err((_, message)) => {
            bad.get_or_insert(message);
            None
        }
    };
    match geometry {
        RawGeometry::None | RawGeometry::LatLonText { .. } => {}
        RawGeometry::Point(p) => shape.points.extend(point(*p, bad)),
        RawGeometry::Line(points) => shape.lines.push(points.iter().filter_map(|p| point(*p, bad)).collect()),
        RawGeometry::Polygon(rings) => {
            shape.areas.push(rings.iter().map(|ring| ring.iter().filter_map(|p| point(*p, bad)).collect()).collect());
        }
        RawGeometry::Multi(parts) => {
            for part in parts {
                collect_shape(part, shape, bad);
            }
        }
    }
}
