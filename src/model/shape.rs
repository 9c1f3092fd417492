//! Where an event is beyond one point: lines (a front, a route, a boundary), areas (a region, a
//! zone) and further points (an event at several places). The event keeps one representative
//! point for grouping and lists; the map draws the whole shape.

use super::geo::LonLat;

/// An event's lines, areas and extra points.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Shape {
    /// Lines, each a list of points.
    pub lines: Vec<Vec<LonLat>>,
    /// Areas, each an outer ring then holes.
    pub areas: Vec<Vec<Vec<LonLat>>>,
    /// Further points (the first point of a multi-point event is its representative point).
    pub points: Vec<LonLat>,
}

impl Shape {
    /// True when it holds nothing.
    pub fn is_empty(&self) -> bool {
        self.lines.is_empty() && self.areas.is_empty() && self.points.is_empty()
    }

    /// Every point of it.
    pub fn all_points(&self) -> impl Iterator<Item = LonLat> + '_ {
        self.lines
            .iter()
            .flatten()
            .chain(self.areas.iter().filter_map(|area| area.first()).flatten())
            .chain(&self.points)
            .copied()
    }

    /// A point that stands for it: the middle of its bounding box (of the first area's outer ring
    /// when it has areas, so a region's point is inside its box), or `None` when it is empty.
    pub fn representative(&self) -> Option<LonLat> {
        let points: Vec<LonLat> = match self.areas.first().and_then(|a| a.first()) {
            Some(ring) => ring.clone(),
            None => self.all_points().collect(),
        };
        let (first, rest) = points.split_first()?;
        let (mut west, mut south, mut east, mut north) = (first.lon, first.lat, first.lon, first.lat);
        for p in rest {
            west = west.min(p.lon);
            east = east.max(p.lon);
            south = south.min(p.lat);
            north = north.max(p.lat);
        }
        Some(LonLat { lon: f64::midpoint(west, east), lat: f64::midpoint(south, north) })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_line_is_represented_by_its_middle() {
        let shape = Shape {
            lines: vec![vec![LonLat { lon: 20.0, lat: 42.0 }, LonLat { lon: 21.0, lat: 43.0 }]],
            ..Shape::default()
        };
        assert_eq!(shape.representative(), Some(LonLat { lon: 20.5, lat: 42.5 }));
        assert_eq!(Shape::default().representative(), None);
    }
}
