//! The one place colours are chosen: categories, uncertainty, highlights, in light and dark themes.

use egui::Color32;

use crate::model::Category;

/// The marker colour of a category (Okabe–Ito inspired, distinguishable for most colour vision).
pub fn category_color(category: Category) -> Color32 {
    match category {
        Category::ArmedClash | Category::Attack => Color32::from_rgb(213, 94, 0),
        Category::Shelling | Category::Destruction => Color32::from_rgb(204, 121, 167),
        Category::Capture | Category::Detention | Category::PrisonerExchange => Color32::from_rgb(0, 114, 178),
        Category::Displacement => Color32::from_rgb(230, 159, 0),
        Category::Casualties => Color32::from_rgb(180, 40, 40),
        Category::MilitaryOperation | Category::Deployment | Category::TroopReduction => Color32::from_rgb(86, 140, 60),
        Category::PoliticalStatement | Category::Request | Category::Refusal | Category::Protest => {
            Color32::from_rgb(0, 158, 115)
        }
        Category::Report | Category::Denial => Color32::from_rgb(120, 110, 200),
        Category::Award | Category::LegalProceeding => Color32::from_rgb(150, 120, 60),
        Category::Other => Color32::from_rgb(128, 128, 128),
    }
}

/// The legend's groups: one colour, the categories it stands for.
pub const LEGEND: &[(&str, Category)] = &[
    ("Fighting, attacks", Category::ArmedClash),
    ("Shelling, destruction", Category::Shelling),
    ("Capture, detention, exchange", Category::Capture),
    ("Displacement", Category::Displacement),
    ("Operations, deployments", Category::MilitaryOperation),
    ("Statements, requests, refusals", Category::PoliticalStatement),
    ("Reports, denials", Category::Report),
    ("Awards, legal", Category::Award),
    ("Casualties", Category::Casualties),
    ("Other", Category::Other),
];

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
