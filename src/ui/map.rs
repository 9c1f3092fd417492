//! The map: basemap, tiles, place labels and event markers, grouped when they crowd.

use egui::{Align2, Color32, FontId, Pos2, Rect, Sense, Shape, Stroke, Vec2, pos2, vec2};
use walkers::{Map, MapMemory, Projector, Tiles, lon_lat};

use super::Command;
use super::basemap::Basemap;
use super::style;
use crate::model::{Category, ClaimStatus, Dataset, EventIdx, PlaceKind};

/// Markers closer than this (in points) are drawn as one group with a count.
pub const GROUP_CELL_PX: f32 = 26.0;
/// Radius of a single event's marker.
const MARKER_RADIUS_PX: f32 = 7.0;

/// What the map needs to draw one frame.
pub struct MapView<'a> {
    /// The dataset.
    pub dataset: &'a Dataset,
    /// The selected event.
    pub selected: Option<EventIdx>,
    /// The hovered event.
    pub hovered: Option<EventIdx>,
    /// The embedded basemap, drawn under everything.
    pub basemap: Option<&'a Basemap>,
    /// Attribution of what is drawn, shown in the corner.
    pub attribution: &'a str,
    /// Label gazetteer places.
    pub show_place_labels: bool,
    /// Positions, in date order, of the events to show.
    pub visible_positions: &'a [u32],
    /// Web Mercator position in [0, 1]² (NaN for no place) of every event, in date order.
    pub order_points: &'a [[f64; 2]],
    /// The event at each position in date order.
    pub order_events: &'a [EventIdx],
    /// What a marker needs to know of each event, in date order.
    pub order_traits: &'a [MarkerTraits],
    /// When the visible events are exactly the first N in date order (a cumulative view): N.
    pub visible_prefix: Option<usize>,
    /// Changes whenever the data or the filters change, so cached groupings are dropped.
    pub data_generation: u64,
}

/// What a marker shows of an event: its colour and whether it is uncertain or contested. Kept
/// per event in date order, so grouping a million events reads memory in order.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct MarkerTraits {
    /// Index of the category in [`Category::ALL`].
    pub category: u8,
    /// Uncertain date or place: drawn softer.
    pub uncertain: bool,
    /// A claim, a denial, disputed, or disagreeing with another record.
    pub contested: bool,
}

impl MarkerTraits {
    /// The traits of one event.
    pub fn of(event: &crate::model::Event) -> Self {
        let category = Category::ALL.iter().position(|&c| c == event.category).unwrap_or(0);
        Self {
            category: u8::try_from(category).unwrap_or(0),
            uncertain: style::is_uncertain(event),
            contested: style::is_contested(event),
        }
    }
}

/// Groups larger than this keep only their first events per frame; the rest are found on click.
pub const MAX_LISTED_PER_MARKER: usize = 64;

/// A marker drawn last frame: where, and which events it stands for.
#[derive(Clone, Debug, PartialEq)]
pub struct DrawnMarker {
    /// Centre on screen.
    pub center: Pos2,
    /// Radius on screen.
    pub radius: f32,
    /// How many events it stands for.
    pub count: usize,
    /// The first of them (all of them up to [`MAX_LISTED_PER_MARKER`]), in date order.
    pub events: Vec<EventIdx>,
    /// The screen cell it groups, to find all its events on click.
    pub cell: (i32, i32),
    /// The most frequent category among its events.
    pub category: Category,
    /// Every one of its events is uncertain in date or place.
    pub all_uncertain: bool,
    /// At least one of its events is contested.
    pub any_contested: bool,
}

/// Shows the map and returns the markers drawn and what the user asked for.
pub fn map_ui(
    ui: &mut egui::Ui,
    tiles: Option<&mut dyn Tiles>,
    memory: &mut MapMemory,
    view: &MapView<'_>,
    grouping: &mut MarkerGrouping,
) -> (Vec<DrawnMarker>, Vec<Command>) {
    let dark_mode = ui.visuals().dark_mode;
    let rect = ui.available_rect_before_wrap();
    let sea = style::basemap_colors(dark_mode).water;
    ui.painter().rect_filled(rect, 0.0, sea);
    // Reserve a slot under the tiles for the basemap, filled once the frame's projection is known.
    let basemap_slot = ui.painter().add(Shape::Noop);
    let center = lon_lat(20.87, 42.89);
    let map = Map::new(tiles, memory, center).zoom_with_ctrl(false).double_click_to_zoom(true);
    let inner = map.show(ui, |ui, response, projector, _memory| {
        if let Some(basemap) = view.basemap {
            ui.painter().set(basemap_slot, Shape::Vec(basemap.shapes(projector, dark_mode, ui.ctx())));
        }
        if view.show_place_labels {
            draw_place_labels(ui, projector, view, dark_mode);
        }
        let markers = group_markers(projector, view, grouping);
        let commands =
            draw_markers(ui, response, ScreenFromWorld::from_projector(projector), &markers, view, dark_mode);
        draw_attribution(ui, response.rect, view.attribution);
        (markers, commands)
    });
    inner.inner
}

/// Screen position from a Web Mercator unit position: `screen = offset + unit · scale`.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct ScreenFromWorld {
    offset: Vec2,
    scale: f64,
}

impl ScreenFromWorld {
    /// Derives the transform from the map's projector, by projecting two known points.
    pub fn from_projector(projector: &Projector) -> Self {
        let (a, b) = ((20.0, 42.0), (21.0, 43.0));
        let (ax, ay) = crate::app::mercator_unit(a.0, a.1);
        let (bx, _) = crate::app::mercator_unit(b.0, b.1);
        let pa = projector.project(lon_lat(a.0, a.1));
        let pb = projector.project(lon_lat(b.0, b.1));
        let scale = f64::from(pb.x - pa.x) / (bx - ax);
        #[expect(clippy::cast_possible_truncation, reason = "screen coordinates")]
        let offset = vec2(pa.x - (ax * scale) as f32, pa.y - (ay * scale) as f32);
        Self { offset, scale }
    }

    /// The web map zoom level: the world is 256 pixels wide at zoom 0, twice as wide per level.
    pub fn zoom(&self) -> f64 {
        (self.scale / 256.0).log2()
    }

    /// Screen position of a unit position.
    #[inline]
    pub fn screen(&self, world: [f64; 2]) -> Pos2 {
        #[expect(clippy::cast_possible_truncation, reason = "screen coordinates")]
        let (x, y) = ((world[0] * self.scale) as f32, (world[1] * self.scale) as f32);
        Pos2::new(self.offset.x + x, self.offset.y + y)
    }
}

/// Screen cell of a position.
fn cell_of(pos: Pos2) -> (i32, i32) {
    #[expect(clippy::cast_possible_truncation, reason = "screen cells are small integers")]
    let cell = ((pos.x / GROUP_CELL_PX).floor() as i32, (pos.y / GROUP_CELL_PX).floor() as i32);
    cell
}

/// Markers being grouped, kept between frames: when the map has not moved and only later events
/// joined a cumulative view (scrubbing or playing forward), only those are added.
#[derive(Debug, Default)]
pub struct MarkerGrouping {
    /// What the grouping was made for: the view, the data generation, and the prefix grouped
    /// (`None` when it was made from explicit positions).
    made_for: Option<(ScreenFromWorld, Rect, u64)>,
    grouped_prefix: Option<usize>,
    columns: usize,
    origin: Pos2,
    /// Per cell: index into the marker arrays + 1 (0 = empty).
    grid: Vec<u32>,
    markers: Vec<DrawnMarker>,
    sums: Vec<(f64, f64)>,
    category_counts: Vec<[u32; 32]>,
}

impl MarkerGrouping {
    fn reset(&mut self, clip: Rect, made_for: (ScreenFromWorld, Rect, u64)) {
        let first_cell = cell_of(clip.min);
        #[expect(clippy::cast_possible_truncation, clippy::cast_sign_loss, reason = "a small positive count")]
        let (columns, rows) =
            ((clip.width() / GROUP_CELL_PX) as usize + 2, (clip.height() / GROUP_CELL_PX) as usize + 2);
        #[expect(clippy::cast_precision_loss, reason = "small cell numbers")]
        let origin = pos2(first_cell.0 as f32 * GROUP_CELL_PX, first_cell.1 as f32 * GROUP_CELL_PX);
        self.made_for = Some(made_for);
        self.grouped_prefix = None;
        self.columns = columns;
        self.origin = origin;
        self.grid.clear();
        self.grid.resize(columns * rows, 0);
        self.markers.clear();
        self.sums.clear();
        self.category_counts.clear();
    }

    /// Adds the event at one date-order position.
    #[inline]
    fn add(&mut self, view: &MapView<'_>, transform: ScreenFromWorld, clip: Rect, position: usize) {
        let (Some(&world), Some(&idx), Some(traits)) =
            (view.order_points.get(position), view.order_events.get(position), view.order_traits.get(position))
        else {
            return;
        };
        let pos = transform.screen(world);
        // NaN (no place) fails this test too.
        if !clip.contains(pos) {
            return;
        }
        #[expect(clippy::cast_possible_truncation, clippy::cast_sign_loss, reason = "inside the clip: small, positive")]
        let (column, row) =
            (((pos.x - self.origin.x) / GROUP_CELL_PX) as usize, ((pos.y - self.origin.y) / GROUP_CELL_PX) as usize);
        let Some(slot) = self.grid.get_mut(row * self.columns + column) else { return };
        if *slot == 0 {
            self.markers.push(DrawnMarker {
                center: pos,
                radius: MARKER_RADIUS_PX,
                count: 0,
                events: Vec::new(),
                cell: cell_of(pos),
                category: Category::Other,
                all_uncertain: true,
                any_contested: false,
            });
            self.sums.push((0.0, 0.0));
            self.category_counts.push([0; 32]);
            *slot = u32::try_from(self.markers.len()).unwrap_or(u32::MAX);
        }
        let index = *slot as usize - 1;
        let (Some(marker), Some(sum), Some(counts)) =
            (self.markers.get_mut(index), self.sums.get_mut(index), self.category_counts.get_mut(index))
        else {
            return;
        };
        marker.count += 1;
        if marker.events.len() < MAX_LISTED_PER_MARKER {
            marker.events.push(idx);
        }
        marker.all_uncertain &= traits.uncertain;
        marker.any_contested |= traits.contested;
        if let Some(count) = counts.get_mut(usize::from(traits.category)) {
            *count += 1;
        }
        sum.0 += f64::from(pos.x);
        sum.1 += f64::from(pos.y);
    }

    /// The markers as drawn: centred on their events, sized by count, coloured by category.
    fn finished(&self) -> Vec<DrawnMarker> {
        let mut markers = self.markers.clone();
        for ((marker, &(sum_x, sum_y)), counts) in markers.iter_mut().zip(&self.sums).zip(&self.category_counts) {
            #[expect(clippy::cast_precision_loss, reason = "counts are far below 2^52")]
            let count = marker.count as f64;
            #[expect(clippy::cast_possible_truncation, reason = "screen coordinates")]
            let center = Pos2::new((sum_x / count) as f32, (sum_y / count) as f32);
            marker.center = center;
            // The most frequent category; ties go to the earlier one.
            let dominant =
                counts.iter().enumerate().max_by_key(|&(i, &n)| (n, std::cmp::Reverse(i))).map_or(0, |(i, _)| i);
            marker.category = Category::ALL.get(dominant).copied().unwrap_or(Category::Other);
            if marker.count > 1 {
                #[expect(clippy::cast_possible_truncation, reason = "a radius")]
                let grow = (count.log10() * 4.0) as f32;
                marker.radius = MARKER_RADIUS_PX + 2.0 + grow;
            }
        }
        markers
    }
}

/// Groups the visible events by screen cell in a dense grid: one multiply-add and a few counters
/// per event, read in memory order; in a cumulative view scrubbed forward, only the new events.
fn group_markers(projector: &Projector, view: &MapView<'_>, grouping: &mut MarkerGrouping) -> Vec<DrawnMarker> {
    let clip = projector.clip_rect().expand(GROUP_CELL_PX);
    let transform = ScreenFromWorld::from_projector(projector);
    let made_for = (transform, clip, view.data_generation);
    match (view.visible_prefix, grouping.grouped_prefix) {
        (Some(end), Some(grouped)) if grouping.made_for == Some(made_for) && end >= grouped => {
            for position in grouped..end {
                grouping.add(view, transform, clip, position);
            }
            grouping.grouped_prefix = Some(end);
        }
        (Some(end), _) => {
            grouping.reset(clip, made_for);
            for position in 0..end {
                grouping.add(view, transform, clip, position);
            }
            grouping.grouped_prefix = Some(end);
        }
        (None, _) => {
            grouping.reset(clip, made_for);
            for &position in view.visible_positions {
                grouping.add(view, transform, clip, position as usize);
            }
        }
    }
    grouping.finished()
}

/// All visible events in a marker's cell, for listing a group too large to keep every frame.
pub fn events_in_cell(projector_transform: ScreenFromWorld, view: &MapView<'_>, cell: (i32, i32)) -> Vec<EventIdx> {
    let positions: Box<dyn Iterator<Item = usize>> = match view.visible_prefix {
        Some(end) => Box::new(0..end),
        None => Box::new(view.visible_positions.iter().map(|&p| p as usize)),
    };
    positions
        .filter_map(|position| {
            let world = view.order_points.get(position)?;
            let in_cell = !world[0].is_nan() && cell_of(projector_transform.screen(*world)) == cell;
            in_cell.then(|| view.order_events.get(position).copied()).flatten()
        })
        .collect()
}

fn draw_markers(
    ui: &egui::Ui,
    response: &egui::Response,
    transform: ScreenFromWorld,
    markers: &[DrawnMarker],
    view: &MapView<'_>,
    dark_mode: bool,
) -> Vec<Command> {
    let painter = ui.painter();
    let outline = if dark_mode { Color32::from_gray(20) } else { Color32::WHITE };
    let pointer_pos = response.hover_pos();
    let mut hovered_marker: Option<&DrawnMarker> = None;
    for marker in markers {
        let is_hovered = pointer_pos.is_some_and(|p| p.distance(marker.center) <= marker.radius + 3.0);
        if is_hovered {
            hovered_marker = Some(marker);
        }
        let Some(&first) = marker.events.first() else { continue };
        let Some(event) = view.dataset.event(first) else { continue };
        let selected = view.selected.is_some_and(|s| marker.events.contains(&s));
        let hovered = is_hovered || view.hovered.is_some_and(|h| marker.events.contains(&h));
        let color = style::category_color(marker.category);
        let (all_uncertain, any_contested) = (marker.all_uncertain, marker.any_contested);
        let fill = if all_uncertain { color.gamma_multiply(0.35) } else { color };
        let (c, r) = (marker.center, marker.radius);
        if selected {
            painter.circle_filled(c, r + 5.0, style::selection_color(dark_mode).gamma_multiply(0.6));
        }
        if any_contested {
            painter.circle_stroke(c, r + 2.5, Stroke::new(2.0, style::CONTESTED_RING));
        }
        if marker.count > 1 {
            painter.circle_filled(c, r, fill);
            painter.circle_stroke(c, r, Stroke::new(if hovered { 2.5 } else { 1.5 }, color));
            painter.text(
                c,
                Align2::CENTER_CENTER,
                compact_count(marker.count),
                FontId::proportional(11.0),
                if dark_mode || !all_uncertain { Color32::WHITE } else { Color32::BLACK },
            );
        } else {
            let stroke = Stroke::new(if hovered { 2.5 } else { 1.5 }, if all_uncertain { color } else { outline });
            match event.claim_status {
                ClaimStatus::Claim => {
                    painter.add(Shape::convex_polygon(diamond(c, r + 1.5), fill, stroke));
                }
                ClaimStatus::Denial => {
                    let square = Rect::from_center_size(c, Vec2::splat(2.0 * r - 1.0));
                    painter.rect(square, 1.0, fill, stroke, egui::StrokeKind::Middle);
                    painter.line_segment([square.left_bottom(), square.right_top()], Stroke::new(1.5, outline));
                }
                ClaimStatus::Reported | ClaimStatus::Disputed => {
                    painter.circle(c, r, fill, stroke);
                }
            }
        }
    }

    let mut commands = Vec::new();
    let hovered_event = hovered_marker.and_then(|m| m.events.first().copied());
    if hovered_event != view.hovered {
        commands.push(Command::Hover(hovered_event));
    }
    if let Some(marker) = hovered_marker {
        ui.ctx().set_cursor_icon(egui::CursorIcon::PointingHand);
        let tooltip_id = ui.scope_id().with("marker_tooltip");
        egui::Tooltip::always_open(ui.ctx().clone(), ui.layer_id(), tooltip_id, egui::PopupAnchor::Pointer)
            .show(|ui| marker_tooltip_ui(ui, view.dataset, &marker.events, marker.count));
        if response.clicked() {
            commands.push(match marker.events.as_slice() {
                [single] if marker.count == 1 => Command::Select(Some(*single)),
                listed if marker.count == listed.len() => Command::ShowGroup(listed.to_vec()),
                _ => Command::ShowGroup(events_in_cell(transform, view, marker.cell)),
            });
        }
    }
    commands
}

/// "7", "12k", "1.2M": counts that fit a marker.
fn compact_count(count: usize) -> String {
    #[expect(clippy::cast_precision_loss, reason = "display only")]
    let value = count as f64;
    match count {
        0..=9_999 => count.to_string(),
        10_000..=999_999 => format!("{:.0}k", value / 1000.0),
        _ => format!("{:.1}M", value / 1_000_000.0),
    }
}

fn marker_tooltip_ui(ui: &mut egui::Ui, dataset: &Dataset, events: &[EventIdx], count: usize) {
    const SHOWN: usize = 8;
    for &idx in events.iter().take(SHOWN) {
        if let Some(event) = dataset.event(idx) {
            ui.label(egui::RichText::new(super::clip_text(&event.title, super::MAX_TITLE_CHARS)).strong());
            ui.label(event.date_in_words());
        }
    }
    if count > SHOWN {
        ui.label(format!("… and {} more; click to list them", count - SHOWN));
    } else if count > 1 {
        ui.weak("Click to list these events");
    }
}

fn diamond(center: Pos2, radius: f32) -> Vec<Pos2> {
    vec![
        center + vec2(0.0, -radius),
        center + vec2(radius, 0.0),
        center + vec2(0.0, radius),
        center + vec2(-radius, 0.0),
    ]
}

/// Labels gazetteer places, most relevant first, skipping labels that would overlap.
fn draw_place_labels(ui: &egui::Ui, projector: &Projector, view: &MapView<'_>, dark_mode: bool) {
    let painter = ui.painter();
    let clip = projector.clip_rect();
    let zoom = projector.zoom();
    let text_color = if dark_mode { Color32::from_gray(210) } else { Color32::from_gray(40) };
    let halo = if dark_mode { Color32::from_black_alpha(160) } else { Color32::from_white_alpha(190) };
    let mut places: Vec<&crate::model::Place> = view
        .dataset
        .places
        .iter()
        .filter(|p| !matches!(p.kind, PlaceKind::Country))
        // Regions and zones only when zoomed out enough to make sense of them.
        .filter(|p| zoom < 11.0 || !matches!(p.kind, PlaceKind::Region | PlaceKind::Zone | PlaceKind::Line))
        .collect();
    places.sort_by_key(|p| (p.kind != PlaceKind::Settlement, p.name.len()));
    let mut taken: Vec<Rect> = Vec::new();
    let font = FontId::proportional(12.0);
    for place in places {
        let pos = projector.project(lon_lat(place.lon_lat.lon, place.lon_lat.lat)).to_pos2();
        if !clip.contains(pos) {
            continue;
        }
        let italic = !matches!(place.kind, PlaceKind::Settlement | PlaceKind::Building);
        let galley = ui.ctx().fonts_mut(|f| f.layout_no_wrap(place.name.clone(), font.clone(), text_color));
        // Right of where a marker would sit, so markers do not hide their place's name.
        let label_rect = Rect::from_min_size(pos + vec2(MARKER_RADIUS_PX + 8.0, -galley.size().y / 2.0), galley.size());
        if taken.iter().any(|r| r.intersects(label_rect.expand(2.0))) {
            continue;
        }
        taken.push(label_rect);
        if !italic {
            painter.circle_filled(pos, 2.5, text_color);
        }
        painter.rect_filled(label_rect.expand(1.0), 3.0, halo);
        let color = if italic { text_color.gamma_multiply(0.7) } else { text_color };
        painter.galley(label_rect.min, galley, color);
    }
}

/// The credit line in the map's corner: a label, so screen readers (and tests) read it too.
fn draw_attribution(ui: &mut egui::Ui, rect: Rect, attribution: &str) {
    if attribution.is_empty() {
        return;
    }
    let text = egui::RichText::new(attribution).size(11.0).color(Color32::from_gray(30));
    let galley = ui
        .ctx()
        .fonts_mut(|f| f.layout_no_wrap(attribution.to_owned(), FontId::proportional(11.0), Color32::from_gray(30)));
    let pos = pos2(rect.right() - galley.size().x - 6.0, rect.bottom() - galley.size().y - 4.0);
    let label_rect = Rect::from_min_size(pos, galley.size());
    ui.painter().rect_filled(label_rect.expand(3.0), 3.0, Color32::from_white_alpha(200));
    ui.put(label_rect, egui::Label::new(text).selectable(false).extend());
}

/// Draws one legend swatch at a centre, in the text colour.
type Swatch = fn(&egui::Painter, Pos2, Color32);

/// The legend, drawn as a small panel over the map: colours by category, shapes by claim status.
pub fn legend_ui(ui: &mut egui::Ui) {
    ui.spacing_mut().item_spacing.y = 1.0;
    egui::Grid::new("legend").num_columns(2).spacing([10.0, 1.0]).show(ui, |ui| {
        for (i, (label, category)) in style::LEGEND.iter().enumerate() {
            ui.horizontal(|ui| {
                let (rect, _) = ui.allocate_exact_size(Vec2::splat(10.0), Sense::hover());
                ui.painter().circle_filled(rect.center(), 4.5, style::category_color(*category));
                ui.label(egui::RichText::new(*label).small());
            });
            if i % 2 == 1 {
                ui.end_row();
            }
        }
    });
    ui.separator();
    let ink = ui.visuals().text_color();
    let rows: [(&str, Swatch); 5] = [
        ("reported", |p, c, ink| {
            p.circle_filled(c, 4.5, ink);
        }),
        ("claim", |p, c, ink| {
            p.add(Shape::convex_polygon(diamond(c, 5.5), ink, Stroke::NONE));
        }),
        ("denial", |p, c, ink| {
            p.rect_filled(Rect::from_center_size(c, Vec2::splat(9.0)), 1.0, ink);
        }),
        ("contested", |p, c, ink| {
            p.circle_filled(c, 3.5, ink);
            p.circle_stroke(c, 6.0, Stroke::new(2.0, style::CONTESTED_RING));
        }),
        ("uncertain date/place", |p, c, ink| {
            p.circle(c, 4.5, ink.gamma_multiply(0.35), Stroke::new(1.5, ink));
        }),
    ];
    ui.horizontal_wrapped(|ui| {
        for (label, draw) in rows {
            let (rect, _) = ui.allocate_exact_size(Vec2::splat(14.0), Sense::hover());
            draw(ui.painter(), rect.center(), ink);
            ui.label(egui::RichText::new(label).small());
        }
    });
}
