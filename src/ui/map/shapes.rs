//! Lines and areas of the events "now" (a front line, a route, a region), drawn under the markers
//! in their category's colour: dashed when the date or place is uncertain, wider when selected.
//! The pointer near a line or inside an area points at its event; the event's marker (its
//! representative point) stays the handle for grouping and lists.

use egui::{Color32, Mesh, Pos2, Rect, Shape as Paint, Stroke};

use super::projection::screen_pos;
use super::view::MapView;
use crate::model::geo::world_from_lon_lat;
use crate::model::shape::Shape;
use crate::model::{EventIdx, LonLat, ScreenFromWorld};
use crate::ui::style;

/// How near (in points) the pointer must be to a line to point at it.
const HIT_DISTANCE_PX: f32 = 5.0;
/// Opacity of an area's fill.
const AREA_FILL_ALPHA: f32 = 0.18;
/// Radius of a further point of a multi-point event.
const EXTRA_POINT_RADIUS: f32 = 4.0;

/// One event's shape in screen positions.
struct OnScreen {
    lines: Vec<Vec<Pos2>>,
    areas: Vec<Vec<Vec<Pos2>>>,
    points: Vec<Pos2>,
}

/// Draws the lines, areas and further points of the events "now"; returns the event whose shape
/// is under `hover_pos`, if any.
pub fn draw_shapes(
    painter: &egui::Painter,
    transform: ScreenFromWorld,
    view: &MapView<'_>,
    hover_pos: Option<Pos2>,
    dark_mode: bool,
) -> Option<EventIdx> {
    let clip = painter.clip_rect();
    let outline = if dark_mode { Color32::from_gray(20) } else { Color32::WHITE };
    let mut under_pointer = None;
    for idx in view.visible.now_shaped() {
        let Some(event) = view.dataset.event(idx) else { continue };
        let Some(shape) = event.details().shape.as_deref() else { continue };
        let Some(on_screen) = project(shape, transform, clip) else { continue };
        let color = style::event_color(view.dataset, idx, event);
        let selected = view.selected == Some(idx);
        let hovered = view.hovered == Some(idx);
        let width = if selected || hovered { 4.0 } else { 2.5 };
        for area in &on_screen.areas {
            fill_area(
                painter,
                area,
                color.gamma_multiply(if hovered { 2.0 * AREA_FILL_ALPHA } else { AREA_FILL_ALPHA }),
            );
        }
        let outlines = on_screen.lines.iter().chain(on_screen.areas.iter().flatten());
        for line in outlines {
            if selected {
                painter.add(Paint::line(line.clone(), Stroke::new(width + 5.0, style::selection_color(dark_mode))));
            }
            painter.add(Paint::line(line.clone(), Stroke::new(width + 2.0, outline)));
            if event.is_uncertain() {
                painter.extend(Paint::dashed_line(line, Stroke::new(width, color), 8.0, 5.0));
            } else {
                painter.add(Paint::line(line.clone(), Stroke::new(width, color)));
            }
        }
        for &point in &on_screen.points {
            painter.circle(point, EXTRA_POINT_RADIUS, color, Stroke::new(1.5, outline));
        }
        if let Some(hover_pos) = hover_pos
            && on_screen.contains(hover_pos)
        {
            // The last drawn (the latest) is on top, and wins.
            under_pointer = Some(idx);
        }
    }
    under_pointer
}

/// The shape on screen, or `None` when none of it is in `clip`.
fn project(shape: &Shape, transform: ScreenFromWorld, clip: Rect) -> Option<OnScreen> {
    let screen = |points: &[LonLat]| -> Vec<Pos2> {
        points.iter().map(|&p| screen_pos(transform, world_from_lon_lat(p))).collect()
    };
    let on_screen = OnScreen {
        lines: shape.lines.iter().map(|line| screen(line)).collect(),
        areas: shape.areas.iter().map(|area| area.iter().map(|ring| screen(ring)).collect()).collect(),
        points: screen(&shape.points),
    };
    let all =
        on_screen.lines.iter().flatten().chain(on_screen.areas.iter().flatten().flatten()).chain(&on_screen.points);
    let bounds = Rect::from_points(&all.copied().collect::<Vec<_>>());
    bounds.expand(EXTRA_POINT_RADIUS).intersects(clip).then_some(on_screen)
}

/// Fills an area (outer ring, then holes) with `fill`, triangulated by earcut.
fn fill_area(painter: &egui::Painter, rings: &[Vec<Pos2>], fill: Color32) {
    let mut coordinates: Vec<f32> = Vec::new();
    let mut holes: Vec<usize> = Vec::new();
    for (i, ring) in rings.iter().enumerate() {
        if i > 0 {
            holes.push(coordinates.len() / 2);
        }
        coordinates.extend(ring.iter().flat_map(|p| [p.x, p.y]));
    }
    let Ok(triangles) = earcutr::earcut(&coordinates, &holes, 2) else { return };
    let mut mesh = Mesh::default();
    for pair in coordinates.chunks_exact(2) {
        if let [x, y] = pair {
            mesh.colored_vertex(Pos2::new(*x, *y), fill);
        }
    }
    for triangle in triangles.chunks_exact(3) {
        if let [a, b, c] = triangle
            && let (Ok(a), Ok(b), Ok(c)) = (u32::try_from(*a), u32::try_from(*b), u32::try_from(*c))
        {
            mesh.add_triangle(a, b, c);
        }
    }
    painter.add(Paint::mesh(mesh));
}

impl OnScreen {
    /// Whether `pointer` is near one of its lines, inside one of its areas, or on one of its points.
    fn contains(&self, pointer: Pos2) -> bool {
        let near_line = |line: &Vec<Pos2>| {
            line.windows(2).any(|pair| matches!(pair, [a, b] if segment_distance(pointer, *a, *b) <= HIT_DISTANCE_PX))
        };
        self.lines.iter().any(near_line)
            || self.areas.iter().any(|area| inside(pointer, area) || area.iter().any(near_line))
            || self.points.iter().any(|p| p.distance(pointer) <= EXTRA_POINT_RADIUS + 2.0)
    }
}

/// Distance from `p` to the segment `a`–`b`.
fn segment_distance(p: Pos2, a: Pos2, b: Pos2) -> f32 {
    let ab = b - a;
    let length_sq = ab.length_sq();
    let t = if length_sq > 0.0 { ((p - a).dot(ab) / length_sq).clamp(0.0, 1.0) } else { 0.0 };
    p.distance(a + t * ab)
}

/// Whether `p` is inside the area: crossings of all its rings counted, so holes are outside.
fn inside(p: Pos2, rings: &[Vec<Pos2>]) -> bool {
    let mut crossings = 0;
    for ring in rings {
        let Some(&last) = ring.last() else { continue };
        let mut previous = last;
        for &point in ring {
            if (point.y > p.y) != (previous.y > p.y) {
                let x = previous.x + (p.y - previous.y) / (point.y - previous.y) * (point.x - previous.x);
                if p.x < x {
                    crossings += 1;
                }
            }
            previous = point;
        }
    }
    crossings % 2 == 1
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn holes_are_outside_and_lines_are_hit_near() {
        let square = |half: f32| {
            vec![Pos2::new(-half, -half), Pos2::new(half, -half), Pos2::new(half, half), Pos2::new(-half, half)]
        };
        let area = vec![square(10.0), square(3.0)];
        assert!(inside(Pos2::new(6.0, 0.0), &area));
        assert!(!inside(Pos2::new(0.0, 0.0), &area), "in the hole");
        assert!(!inside(Pos2::new(20.0, 0.0), &area));
        assert!((segment_distance(Pos2::new(5.0, 4.0), Pos2::ZERO, Pos2::new(10.0, 0.0)) - 4.0).abs() < 1e-4);
        assert!((segment_distance(Pos2::new(-3.0, 4.0), Pos2::ZERO, Pos2::new(10.0, 0.0)) - 5.0).abs() < 1e-4);
    }
}
