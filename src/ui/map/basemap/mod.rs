//! The embedded offline basemap: Natural Earth countries, lakes and rivers (public domain, see
//! `assets/basemap/README.md`) — the whole world at 1:110m with its cities, the Balkans at 1:10m
//! over it — triangulated once and drawn under the markers, so a map of anywhere reads well with
//! no network at all.

mod layers;
mod read;

use egui::{Color32, Mesh, Pos2, Shape};
use walkers::{Projector, lon_lat};

pub use self::layers::BasemapError;
use self::layers::{Area, City, DETAIL_BOX, River};
use self::read::{areas, cities, inside_detail_box, read_layer, rivers};

use super::projection::{screen_from_world, screen_pos};
use crate::model::geo::world_from_lon_lat;
use crate::model::{LonLat, ScreenFromWorld};
use crate::ui::style;

/// The clipped country shapes, compiled into the binary.
pub const COUNTRIES_GEOJSON: &str = include_str!("../../../../assets/basemap/countries.geojson");
/// The clipped lakes.
pub const LAKES_GEOJSON: &str = include_str!("../../../../assets/basemap/lakes.geojson");
/// The clipped rivers (centre lines, also through lakes).
pub const RIVERS_GEOJSON: &str = include_str!("../../../../assets/basemap/rivers.geojson");
/// The world's countries at 1:110m, under the detail.
pub const WORLD_COUNTRIES_GEOJSON: &str = include_str!("../../../../assets/basemap/world-countries.geojson");
/// The world's great lakes at 1:110m.
pub const WORLD_LAKES_GEOJSON: &str = include_str!("../../../../assets/basemap/world-lakes.geojson");
/// The world's great rivers at 1:110m.
pub const WORLD_RIVERS_GEOJSON: &str = include_str!("../../../../assets/basemap/world-rivers.geojson");
/// Cities and towns at 1:50m, with population and rank, to name a map of anywhere.
pub const WORLD_PLACES_GEOJSON: &str = include_str!("../../../../assets/basemap/world-places.geojson");

/// What the cached shapes were drawn for.
#[derive(Clone, Debug, PartialEq)]
struct ViewKey {
    transform: ScreenFromWorld,
    clip: egui::Rect,
    dark_mode: bool,
    focus_region: Option<String>,
}

/// The basemap, ready to draw.
#[derive(Debug, Default)]
pub struct Basemap {
    countries: Vec<Area>,
    lakes: Vec<Area>,
    rivers: Vec<River>,
    world: WorldLayer,
    /// Land and borders as meshes for the last view: scrubbing the timeline redraws the map
    /// every frame without moving it, so nothing is projected or tessellated again.
    cache: std::sync::Mutex<Option<(ViewKey, Vec<Shape>)>>,
}

/// The whole world, coarser, for data beyond the detail box.
#[derive(Debug, Default)]
struct WorldLayer {
    countries: Vec<Area>,
    lakes: Vec<Area>,
    rivers: Vec<River>,
    cities: Vec<City>,
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
            world: WorldLayer {
                countries: areas(&read_layer("world countries", WORLD_COUNTRIES_GEOJSON)?),
                lakes: areas(&read_layer("world lakes", WORLD_LAKES_GEOJSON)?),
                rivers: rivers(&read_layer("world rivers", WORLD_RIVERS_GEOJSON)?),
                cities: cities(&read_layer("world places", WORLD_PLACES_GEOJSON)?),
            },
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
        named_places: &[LonLat],
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
            // A country reaching beyond the detail box is named from the world layer, whole;
            // one within it from the detail.
            let beyond = |name: &str| self.world.countries.iter().any(|c| c.name == name && !inside_detail_box(c.bbox));
            let detail = self.countries.iter().filter(|c| !beyond(&c.name));
            let world = self.world.countries.iter().filter(|c| !inside_detail_box(c.bbox));
            for country in detail.chain(world) {
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
        let taken: Vec<egui::Rect> = named_places
            .iter()
            .map(|&p| {
                egui::Rect::from_center_size(screen_pos(transform, world_from_lon_lat(p)), egui::vec2(40.0, 16.0))
            })
            .collect();
        self.city_names(transform, clip, dark_mode, ctx, taken, &mut shapes);
        shapes
    }

    /// Cities and towns, more of them as the map zooms in, never two names on each other nor
    /// on a place the data names itself (`taken`).
    fn city_names(
        &self,
        transform: ScreenFromWorld,
        clip: egui::Rect,
        dark_mode: bool,
        ctx: &egui::Context,
        mut taken: Vec<egui::Rect>,
        shapes: &mut Vec<Shape>,
    ) {
        let zoom = transform.zoom();
        #[expect(clippy::cast_possible_truncation, clippy::cast_sign_loss, reason = "small ranks")]
        let max_rank = ((zoom - 2.0) * 1.5).clamp(0.0, 10.0) as u8;
        let color = Color32::from_gray(if dark_mode { 165 } else { 95 });
        let font = egui::FontId::proportional(11.0);
        for city in self.world.cities.iter().filter(|c| c.rank <= max_rank) {
            let at = screen_pos(transform, city.at);
            if !clip.shrink(8.0).contains(at) {
                continue;
            }
            let galley = ctx.fonts_mut(|f| f.layout_no_wrap(city.name.clone(), font.clone(), color));
            let text_pos = at + egui::vec2(5.0, -galley.size().y / 2.0);
            let rect = egui::Rect::from_min_size(text_pos, galley.size())
                .expand(3.0)
                .union(egui::Rect::from_center_size(at, egui::vec2(6.0, 6.0)));
            if taken.iter().any(|other| other.intersects(rect)) || taken.len() > 1000 {
                continue;
            }
            taken.push(rect);
            shapes.push(Shape::circle_filled(at, 2.0, color));
            shapes.push(Shape::galley(text_pos, galley, color));
        }
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
        let mut screen: Vec<Pos2> = Vec::new();
        // The world first, coarser; then water over the detail box, and the detail on it.
        let mut world = self.world_shapes(transform, clip, dark_mode, focus_region, &mut screen);
        let [w, s, e, n] = DETAIL_BOX;
        let north_west = screen_pos(transform, world_from_lon_lat(LonLat { lon: w, lat: n }));
        let south_east = screen_pos(transform, world_from_lon_lat(LonLat { lon: e, lat: s }));
        world.push(Shape::rect_filled(egui::Rect::from_two_pos(north_west, south_east), 0.0, colors.water));
        let mut land = Mesh::default();
        let mut water = Mesh::default();
        let mut borders = Mesh::default();
        for country in &self.countries {
            let color = if focus_region == Some(country.name.as_str()) { colors.focus } else { colors.land };
            if country.fill(transform, clip, color, &mut screen, &mut land) {
                for ring in &country.rings {
                    // The ring in runs, broken where it runs along the box it was cut to.
                    let mut start = ring.start;
                    for i in ring.start + 1..ring.end {
                        let cut =
                            country.box_sides.get(i - 1).zip(country.box_sides.get(i)).is_some_and(|(a, b)| a & b != 0);
                        if cut {
                            if let Some(points) = screen.get(start..i) {
                                add_line(points, 0.6, colors.border, clip, &mut borders);
                            }
                            start = i;
                        }
                    }
                    if let Some(points) = screen.get(start..ring.end) {
                        add_line(points, 0.6, colors.border, clip, &mut borders);
                    }
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
        world.extend([Shape::mesh(land), Shape::mesh(water), Shape::mesh(borders)]);
        world
    }

    /// The world layer: land, great lakes and rivers, borders.
    fn world_shapes(
        &self,
        transform: ScreenFromWorld,
        clip: egui::Rect,
        dark_mode: bool,
        focus_region: Option<&str>,
        screen: &mut Vec<Pos2>,
    ) -> Vec<Shape> {
        let colors = style::basemap_colors(dark_mode);
        let (mut land, mut water, mut borders) = (Mesh::default(), Mesh::default(), Mesh::default());
        for country in &self.world.countries {
            let color = if focus_region == Some(country.name.as_str()) { colors.focus } else { colors.land };
            if country.fill(transform, clip, color, screen, &mut land) {
                for ring in &country.rings {
                    let Some(points) = screen.get(ring.clone()) else { continue };
                    add_line(points, 0.6, colors.border, clip, &mut borders);
                }
            }
        }
        for river in &self.world.rivers {
            for line in &river.lines {
                screen.clear();
                screen.extend(line.iter().map(|&w| screen_pos(transform, w)));
                add_line(screen, 0.8, colors.river, clip, &mut water);
            }
        }
        for lake in &self.world.lakes {
            lake.fill(transform, clip, colors.water, screen, &mut water);
        }
        vec![Shape::mesh(land), Shape::mesh(water), Shape::mesh(borders)]
    }
}

#[cfg(test)]
mod tests;
