//! A placemark's geometry as KML writes it (`Point`, `LineString`, `LinearRing`, `Polygon`,
//! `MultiGeometry`, nested in any way) assembled into a [`RawGeometry`] while the elements stream
//! by. Checks only that coordinates are numbers: whether they are places on Earth is for the
//! builder to say. A geometry with a bad coordinate is skipped, never guessed at.

use crate::io::problem::ProblemKind;
use crate::io::records::RawGeometry;

/// Most coordinate tuples one placemark's geometry may have; past it, the geometry is skipped.
pub(super) const MAX_COORDINATES: usize = 1_000_000;

/// Longest part of a coordinates text quoted in a problem.
const MAX_QUOTED_CHARS: usize = 60;

/// The geometry elements of KML.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Shape {
    /// `<Point>`.
    Point,
    /// `<LineString>`.
    LineString,
    /// `<LinearRing>`: a closed line, or a polygon's boundary.
    LinearRing,
    /// `<Polygon>`.
    Polygon,
    /// `<MultiGeometry>`.
    MultiGeometry,
}

/// Which boundary of a polygon a ring is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Boundary {
    /// `<outerBoundaryIs>`.
    Outer,
    /// `<innerBoundaryIs>`: a hole.
    Inner,
}

/// What a geometry element holds so far.
#[derive(Debug)]
enum Part {
    Point(Option<[f64; 2]>),
    Line(Vec<[f64; 2]>),
    Polygon { outer: Option<Vec<[f64; 2]>>, holes: Vec<Vec<[f64; 2]>>, boundary: Option<Boundary> },
    Multi(Vec<RawGeometry<'static>>),
}

/// An open geometry element.
#[derive(Debug)]
struct Frame {
    shape: Shape,
    part: Part,
    /// A coordinate in it was bad: it becomes nothing.
    failed: bool,
}

/// Assembles one placemark's geometry from its elements, in document order.
#[derive(Debug, Default)]
pub(super) struct GeometryBuilder {
    frames: Vec<Frame>,
    /// Finished top-level geometries (a placemark has one; more are kept together).
    done: Vec<RawGeometry<'static>>,
    coordinates: usize,
    too_many: bool,
}

impl GeometryBuilder {
    /// A geometry element starts.
    pub(super) fn open(&mut self, shape: Shape) {
        let part = match shape {
            Shape::Point => Part::Point(None),
            Shape::LineString | Shape::LinearRing => Part::Line(Vec::new()),
            Shape::Polygon => Part::Polygon { outer: None, holes: Vec::new(), boundary: None },
            Shape::MultiGeometry => Part::Multi(Vec::new()),
        };
        self.frames.push(Frame { shape, part, failed: false });
    }

    /// An `outerBoundaryIs` or `innerBoundaryIs` starts (`Some`) or ends (`None`) in the innermost polygon.
    pub(super) fn set_boundary(&mut self, which: Option<Boundary>) {
        if let Some(Frame { part: Part::Polygon { boundary, .. }, .. }) = self.frames.last_mut() {
            *boundary = which;
        }
    }

    /// The text of a `<coordinates>` element of the innermost geometry.
    ///
    /// # Errors
    /// What is wrong with it; the geometry it belongs to is then skipped.
    pub(super) fn coordinates(&mut self, text: &str) -> Result<(), ProblemKind> {
        if self.too_many {
            return Ok(());
        }
        let Some(frame) = self.frames.last_mut() else { return Ok(()) };
        let remaining = MAX_COORDINATES.saturating_sub(self.coordinates);
        let points = match parse_coordinates(text, remaining) {
            Ok(points) => points,
            Err(CoordinatesError::TooMany) => {
                self.too_many = true;
                return Err(ProblemKind::BadCoordinate(format!(
                    "this placemark's geometry has more than {MAX_COORDINATES} coordinates; it was not read"
                )));
            }
            Err(CoordinatesError::Bad(message)) => {
                frame.failed = true;
                return Err(ProblemKind::BadCoordinate(message));
            }
        };
        self.coordinates += points.len();
        match &mut frame.part {
            Part::Point(point) => match points.as_slice() {
                [] => {}
                [one] => *point = Some(*one),
                more => {
                    frame.failed = true;
                    return Err(ProblemKind::BadCoordinate(format!(
                        "a Point has one lon,lat tuple; this one has {}",
                        more.len()
                    )));
                }
            },
            Part::Line(line) => line.extend(points),
            // Coordinates directly in a polygon or a multi-geometry belong to nothing.
            Part::Polygon { .. } | Part::Multi(_) => {}
        }
        Ok(())
    }

    /// The innermost geometry element ends.
    ///
    /// # Errors
    /// A polygon with holes but no outer boundary; it is skipped.
    pub(super) fn close(&mut self) -> Result<(), ProblemKind> {
        let Some(frame) = self.frames.pop() else { return Ok(()) };
        let into_polygon = matches!(self.frames.last(), Some(Frame { part: Part::Polygon { .. }, .. }));
        if frame.failed {
            if into_polygon && let Some(parent) = self.frames.last_mut() {
                parent.failed = true;
            }
            return Ok(());
        }
        let geometry = match frame.part {
            Part::Line(ring) if frame.shape == Shape::LinearRing && into_polygon => {
                if let Some(Frame { part: Part::Polygon { outer, holes, boundary }, .. }) = self.frames.last_mut() {
                    // A ring outside any boundary element is the outer one if there is none yet.
                    let is_outer = *boundary == Some(Boundary::Outer) || (boundary.is_none() && outer.is_none());
                    if is_outer {
                        *outer = Some(ring);
                    } else {
                        holes.push(ring);
                    }
                }
                return Ok(());
            }
            Part::Point(point) => point.map(RawGeometry::Point),
            Part::Line(line) => (!line.is_empty()).then_some(RawGeometry::Line(line)),
            Part::Polygon { outer: Some(outer), holes, .. } => {
                Some(RawGeometry::Polygon(std::iter::once(outer).chain(holes).collect()))
            }
            Part::Polygon { outer: None, holes, .. } if !holes.is_empty() => {
                return Err(ProblemKind::BadCoordinate(
                    "a Polygon has holes (innerBoundaryIs) but no outer boundary (outerBoundaryIs); it was skipped"
                        .into(),
                ));
            }
            Part::Polygon { outer: None, .. } => None,
            Part::Multi(parts) => (!parts.is_empty()).then_some(RawGeometry::Multi(parts)),
        };
        let Some(geometry) = geometry else { return Ok(()) };
        match self.frames.last_mut() {
            Some(Frame { part: Part::Multi(parts), .. }) => parts.push(geometry),
            // A geometry inside a point, line or polygon is not KML: it is dropped.
            Some(_) => {}
            None => self.done.push(geometry),
        }
        Ok(())
    }

    /// The placemark's geometry: none, its one geometry, or several together.
    pub(super) fn finish(mut self) -> RawGeometry<'static> {
        if self.too_many {
            return RawGeometry::None;
        }
        match self.done.len() {
            0 => RawGeometry::None,
            1 => self.done.pop().unwrap_or_default(),
            _ => RawGeometry::Multi(self.done),
        }
    }
}

/// Why a coordinates text was not read.
#[derive(Debug, PartialEq)]
enum CoordinatesError {
    /// Not `lon,lat[,alt]` tuples of numbers: why, quoting it.
    Bad(String),
    /// More tuples than allowed.
    TooMany,
}

/// Reads `lon,lat[,alt]` tuples separated by whitespace, at most `max` of them. Tolerates what
/// hand-edited files have: spaces after commas (`18.4, 43.8`), trailing commas, line breaks.
fn parse_coordinates(text: &str, max: usize) -> Result<Vec<[f64; 2]>, CoordinatesError> {
    let mut points = Vec::new();
    let mut tuple: Vec<&str> = Vec::with_capacity(3);
    // The last word ended with a comma: the next may continue the same tuple.
    let mut open = false;
    for word in text.split_whitespace() {
        // `18.4, 43.8` is one tuple; `18.4,43.8, 18.5,43.9` two (with a trailing comma); `1,2, 3`
        // one with an altitude.
        let continues = word.starts_with(',') || (open && (tuple.len() < 2 || !word.contains(',')));
        if !continues && !tuple.is_empty() {
            push_tuple(&mut points, &tuple, max)?;
            tuple.clear();
        }
        let pieces: Vec<&str> = word.split(',').collect();
        let last = pieces.len().saturating_sub(1);
        for (at, piece) in pieces.into_iter().enumerate() {
            if piece.is_empty() {
                // Empty before a leading comma or after a trailing one; in the middle, a value is missing.
                if at != 0 && at != last {
                    return Err(bad(&points, word, "a value is missing between two commas"));
                }
                continue;
            }
            if tuple.len() == 3 {
                return Err(bad(&points, word, "a tuple has more than three values (lon,lat,alt)"));
            }
            tuple.push(piece);
        }
        open = word.ends_with(',');
    }
    if !tuple.is_empty() {
        push_tuple(&mut points, &tuple, max)?;
    }
    Ok(points)
}

/// Checks one tuple's values and adds its point.
fn push_tuple(points: &mut Vec<[f64; 2]>, tuple: &[&str], max: usize) -> Result<(), CoordinatesError> {
    if points.len() >= max {
        return Err(CoordinatesError::TooMany);
    }
    let written = tuple.join(",");
    let [lon, lat, rest @ ..] = tuple else {
        return Err(bad(points, &written, "a tuple needs a longitude and a latitude (lon,lat[,alt])"));
    };
    let number = |text: &str| text.parse::<f64>().ok().filter(|n| n.is_finite());
    let mut values = Vec::with_capacity(3);
    for (name, text) in
        [("longitude", lon), ("latitude", lat)].into_iter().chain(rest.iter().map(|alt| ("altitude", alt)))
    {
        let Some(value) = number(text) else {
            return Err(bad(points, &written, &format!("the {name} {:?} is not a number", clip(text))));
        };
        values.push(value);
    }
    if let [lon, lat, ..] = values.as_slice() {
        points.push([*lon, *lat]);
    }
    Ok(())
}

/// A bad-tuple error naming the tuple (1-based) after `points` and quoting it.
fn bad(points: &[[f64; 2]], written: &str, why: &str) -> CoordinatesError {
    CoordinatesError::Bad(format!("tuple {} `{}`: {why}", points.len() + 1, clip(written)))
}

fn clip(text: &str) -> std::borrow::Cow<'_, str> {
    crate::model::text::clip(text, MAX_QUOTED_CHARS)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tuples_in_the_forms_files_use() {
        let parse = |text| parse_coordinates(text, MAX_COORDINATES).unwrap();
        assert_eq!(parse("18.4,43.8,0 18.2,43.7,0"), [[18.4, 43.8], [18.2, 43.7]]);
        assert_eq!(parse("\n\t 18.4,43.8\n\n 18.2,43.7 \n"), [[18.4, 43.8], [18.2, 43.7]]);
        assert_eq!(parse("18.4, 43.8"), [[18.4, 43.8]]);
        assert_eq!(parse("18.4, 43.8, 120"), [[18.4, 43.8]]);
        assert_eq!(parse("18.4 ,43.8"), [[18.4, 43.8]]);
        assert_eq!(parse("18.4,43.8, 18.2,43.7,"), [[18.4, 43.8], [18.2, 43.7]]);
        assert_eq!(parse("18.4,43.8,0, 18.2,43.7,0,"), [[18.4, 43.8], [18.2, 43.7]]);
        assert_eq!(parse("-1e-3,+2.5"), [[-0.001, 2.5]]);
        assert_eq!(parse("  \n "), Vec::<[f64; 2]>::new());
    }

    #[test]
    fn bad_tuples_are_named() {
        let error = |text| match parse_coordinates(text, MAX_COORDINATES) {
            Err(CoordinatesError::Bad(message)) => message,
            other => panic!("{text:?} gave {other:?}"),
        };
        assert_eq!(error("1,2 3,abc"), "tuple 2 `3,abc`: the latitude \"abc\" is not a number");
        assert!(error("1,2 3").contains("tuple 2 `3`: a tuple needs a longitude and a latitude"));
        assert!(error("1,,2").contains("missing"));
        assert!(error("1,2,3,4").contains("more than three"));
        assert!(error("NaN,2").contains("longitude"));
        assert!(error("1,inf").contains("latitude"));
        assert!(error("1,2,x").contains("altitude"));
    }

    #[test]
    fn too_many_tuples_stop_reading() {
        assert_eq!(parse_coordinates("1,2 3,4 5,6", 2), Err(CoordinatesError::TooMany));
        assert_eq!(parse_coordinates("1,2 3,4", 2).unwrap().len(), 2);
    }

    #[test]
    fn shapes_nest() {
        let mut builder = GeometryBuilder::default();
        builder.open(Shape::MultiGeometry);
        builder.open(Shape::Point);
        builder.coordinates("1,2").unwrap();
        builder.close().unwrap();
        builder.open(Shape::Polygon);
        for (boundary, ring) in [(Boundary::Outer, "0,0 4,0 4,4 0,0"), (Boundary::Inner, "1,1 2,1 2,2 1,1")] {
            builder.set_boundary(Some(boundary));
            builder.open(Shape::LinearRing);
            builder.coordinates(ring).unwrap();
            builder.close().unwrap();
            builder.set_boundary(None);
        }
        builder.close().unwrap();
        builder.open(Shape::LinearRing);
        builder.coordinates("5,5 6,6 5,6 5,5").unwrap();
        builder.close().unwrap();
        builder.close().unwrap();
        let RawGeometry::Multi(parts) = builder.finish() else { panic!("not a multi-geometry") };
        assert_eq!(parts.len(), 3);
        assert_eq!(parts[0], RawGeometry::Point([1.0, 2.0]));
        assert_eq!(
            parts[1],
            RawGeometry::Polygon(vec![
                vec![[0.0, 0.0], [4.0, 0.0], [4.0, 4.0], [0.0, 0.0]],
                vec![[1.0, 1.0], [2.0, 1.0], [2.0, 2.0], [1.0, 1.0]],
            ])
        );
        assert!(matches!(&parts[2], RawGeometry::Line(line) if line.len() == 4));
    }

    #[test]
    fn a_bad_ring_skips_its_polygon_only() {
        let mut builder = GeometryBuilder::default();
        builder.open(Shape::MultiGeometry);
        builder.open(Shape::Polygon);
        builder.set_boundary(Some(Boundary::Outer));
        builder.open(Shape::LinearRing);
        assert!(builder.coordinates("0,0 x,1").is_err());
        builder.close().unwrap();
        builder.close().unwrap();
        builder.open(Shape::Point);
        builder.coordinates("1,2").unwrap();
        assert!(builder.coordinates("1,2 3,4").is_err(), "a second tuple in a point");
        builder.close().unwrap();
        builder.open(Shape::Point);
        builder.coordinates("3,4").unwrap();
        builder.close().unwrap();
        builder.close().unwrap();
        assert_eq!(builder.finish(), RawGeometry::Multi(vec![RawGeometry::Point([3.0, 4.0])]));
    }
}
