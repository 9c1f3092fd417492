//! The legend: colours by category, shapes by claim status, rings and softness by doubt.

use egui::{Color32, Pos2, Rect, Sense, Shape, Stroke, Vec2};

use super::markers::diamond;
use crate::model::Categories;
use crate::model::category::Scheme;
use crate::model::text::shorten;
use crate::ui::style;

/// Draws one legend swatch at a centre, in the text colour.
type Swatch = fn(&egui::Painter, Pos2, Color32);

/// The legend, drawn as a small panel over the map: colours by category, shapes by claim status.
pub fn legend_ui(ui: &mut egui::Ui, categories: &Categories, two_columns: bool) {
    ui.spacing_mut().item_spacing.y = 1.0;
    let scheme = categories.scheme();
    egui::Grid::new("legend").num_columns(2).spacing([10.0, 1.0]).show(ui, |ui| {
        let entries = categories.legend().iter().enumerate().filter(|(_, e)| !e.label.is_empty());
        for (shown, (slot, entry)) in entries.enumerate() {
            ui.horizontal(|ui| {
                let (rect, _) = ui.allocate_exact_size(Vec2::splat(10.0), Sense::hover());
                let color = style::slot_color(scheme, u8::try_from(slot).unwrap_or(u8::MAX));
                ui.painter().circle_filled(rect.center(), 4.5, color);
                // A file's own categories say how many events each colour covers.
                let label = match scheme {
                    Scheme::Kronika => shorten(&entry.label, 40).into_owned(),
                    Scheme::Ranked => format!("{} ({})", shorten(&entry.label, 40), entry.count),
                };
                ui.label(egui::RichText::new(label).small());
            });
            if shown % 2 == 1 || !two_columns {
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
