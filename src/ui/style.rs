//! The one place colours are chosen: categories, uncertainty, highlights, in light and dark themes.

use egui::Color32;

use crate::model::category::Scheme;
use crate::model::{Dataset, Event, EventIdx};

/// Kronika's legend groups' colours (Okabe–Ito inspired), in the order of
/// [`crate::model::category::KRONIKA_GROUPS`].
const KRONIKA_COLORS: [Color32; 10] = [
    Color32::from_rgb(213, 94, 0),
    Color32::from_rgb(204, 121, 167),
    Color32::from_rgb(0, 114, 178),
    Color32::from_rgb(230, 159, 0),
    Color32::from_rgb(86, 140, 60),
    Color32::from_rgb(0, 158, 115),
    Color32::from_rgb(120, 110, 200),
    Color32::from_rgb(150, 120, 60),
    Color32::from_rgb(180, 40, 40),
    Color32::from_rgb(128, 128, 128),
];

/// A file's own categories, most frequent first: Okabe–Ito's colours, then Paul Tol's, chosen to
/// stay apart for most colour vision; "other" is grey.
const RANKED_COLORS: [Color32; 12] = [
    Color32::from_rgb(0, 114, 178),
    Color32::from_rgb(213, 94, 0),
    Color32::from_rgb(0, 158, 115),
    Color32::from_rgb(204, 121, 167),
    Color32::from_rgb(230, 159, 0),
    Color32::from_rgb(86, 180, 233),
    Color32::from_rgb(136, 34, 85),
    Color32::from_rgb(68, 170, 153),
    Color32::from_rgb(153, 153, 51),
    Color32::from_rgb(170, 68, 153),
    Color32::from_rgb(221, 204, 119),
    Color32::from_rgb(51, 34, 136),
];

/// The grey of "other".
const OTHER_COLOR: Color32 = Color32::from_rgb(128, 128, 128);

/// The colour of a legend slot.
pub fn slot_color(scheme: Scheme, slot: u8) -> Color32 {
    let colors: &[Color32] = match scheme {
        Scheme::Kronika => &KRONIKA_COLORS,
        Scheme::Ranked => &RANKED_COLORS,
    };
    colors.get(usize::from(slot)).copied().unwrap_or(OTHER_COLOR)
}

/// A legend slot's colour as red, green, blue (for files written out, which know nothing of egui).
pub fn palette_rgb(scheme: Scheme, slot: u8) -> [u8; 3] {
    let [r, g, b, _] = slot_color(scheme, slot).to_array();
    [r, g, b]
}

/// The colour of an event in its dataset: its category's, or its value of the field coloured by.
pub fn event_color(dataset: &Dataset, idx: EventIdx, event: &Event) -> Color32 {
    slot_color(dataset.legend().scheme(), dataset.colour_slot(idx, event))
}

/// Colour of the selection highlight.
pub fn selection_color(dark_mode: bool) -> Color32 {
    if dark_mode { Color32::from_rgb(255, 230, 80) } else { Color32::from_rgb(220, 120, 0) }
}

/// Background of a highlighted quote in the source reader.
pub fn quote_highlight(dark_mode: bool, focused: bool) -> Color32 {
    match (dark_mode, focused) {
        (true, true) => Color32::from_rgb(120, 95, 10),
        (true, false) => Color32::from_rgb(50, 60, 80),
        (false, true) => Color32::from_rgb(255, 225, 120),
        (false, false) => Color32::from_rgb(215, 228, 245),
    }
}

/// Colour of the contested ring around a marker.
pub const CONTESTED_RING: Color32 = Color32::from_rgb(255, 80, 200);

/// Basemap land, border and water colours for a theme.
pub fn basemap_colors(dark_mode: bool) -> BasemapColors {
    if dark_mode {
        BasemapColors {
            water: Color32::from_rgb(24, 30, 38),
            land: Color32::from_rgb(44, 48, 54),
            border: Color32::from_rgb(120, 126, 136),
            focus: Color32::from_rgb(56, 60, 66),
            river: Color32::from_rgb(52, 74, 98),
        }
    } else {
        BasemapColors {
            water: Color32::from_rgb(206, 222, 236),
            land: Color32::from_rgb(242, 239, 232),
            border: Color32::from_rgb(150, 140, 130),
            focus: Color32::from_rgb(250, 248, 242),
            river: Color32::from_rgb(150, 186, 216),
        }
    }
}

/// The embedded basemap's colours for one theme.
#[derive(Clone, Copy, Debug)]
pub struct BasemapColors {
    /// Sea and lakes; also the map's background.
    pub water: Color32,
    /// Countries.
    pub land: Color32,
    /// Country borders.
    pub border: Color32,
    /// The dataset's focus region, a shade lighter than other land.
    pub focus: Color32,
    /// Rivers.
    pub river: Color32,
}

/// DejaVu Sans, for the characters egui's own font lacks: data and place notes write primes
/// (42°57′08″), arrows, math and many scripts, and an unknown character must never be a box.
const FALLBACK_FONT: &[u8] = include_bytes!("../../assets/fonts/DejaVuSans.ttf");

/// egui's fonts with DejaVu Sans behind them, for every character they lack.
pub fn fonts() -> egui::FontDefinitions {
    let mut fonts = egui::FontDefinitions::default();
    fonts.font_data.insert("DejaVuSans".to_owned(), std::sync::Arc::new(egui::FontData::from_static(FALLBACK_FONT)));
    for family in [egui::FontFamily::Proportional, egui::FontFamily::Monospace] {
        fonts.families.entry(family).or_default().push("DejaVuSans".to_owned());
    }
    fonts
}
