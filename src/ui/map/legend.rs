//! The legend: colours by category, shapes by claim status, rings and softness by doubt.

use egui::{Color32, Pos2, Rect, Sense, Shape, Stroke, Vec2};

use super::markers::diamond;
use crate::model::category::Scheme;
use crate::model::colouring::colourable_fields;
use crate::model::text::shorten;
use crate::model::{Dataset, EventFilter};
use crate::ui::command::Command;
use crate::ui::style;
use crate::ui::widgets::name_widget;

/// Draws one legend swatch at a centre, in the text colour.
type Swatch = fn(&egui::Painter, Pos2, Color32);

/// The legend, drawn as a small panel over the map: colours by category (or by the field chosen
/// here), shapes by claim status. A click on a colour hides its events, another shows them again.
/// `density`: the map shows heat rather than markers, and the legend says what it means;
/// `largest_group`: the count of the largest group in view, against which groups are sized.
pub fn legend_ui(
    ui: &mut egui::Ui,
    dataset: &Dataset,
    filter: &EventFilter,
    two_columns: bool,
    density: bool,
    largest_group: usize,
) -> Vec<Command> {
    let mut commands = Vec::new();
    ui.spacing_mut().item_spacing.y = 1.0;
    colour_by_ui(ui, dataset, &mut commands);
    let legend = dataset.legend();
    let scheme = legend.scheme();
    egui::Grid::new("legend").num_columns(2).spacing([10.0, 1.0]).show(ui, |ui| {
        let entries = legend.legend().iter().enumerate().filter(|(_, e)| !e.label.is_empty());
        for (shown, (slot, entry)) in entries.enumerate() {
            let slot = u8::try_from(slot).unwrap_or(u8::MAX);
            let hidden = is_hidden(dataset, filter, slot);
            let color = style::slot_color(scheme, slot);
            // A file's own categories (and a field's values) say how many events each colour covers.
            let label = match scheme {
                Scheme::Kronika => shorten(&entry.label, 40).into_owned(),
                Scheme::Ranked => format!("{} ({})", shorten(&entry.label, 40), entry.count),
            };
            let text = egui::RichText::new(label).small();
            let text = if hidden { text.weak().strikethrough() } else { text };
            let response = ui
                .horizontal(|ui| {
                    let (rect, _) = ui.allocate_exact_size(Vec2::splat(10.0), Sense::hover());
                    if hidden {
                        ui.painter().circle_stroke(rect.center(), 4.0, Stroke::new(1.0, color));
                    } else {
                        ui.painter().circle_filled(rect.center(), 4.5, color);
                    }
                    ui.add(egui::Label::new(text).sense(Sense::click()))
                })
                .inner;
            let verb = if hidden { "Show" } else { "Hide" };
            if response.on_hover_text(format!("{verb} these events")).clicked() {
                commands.push(Command::SetFilter(toggled(dataset, filter, slot, hidden)));
            }
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
    if density {
        ui.horizontal_wrapped(|ui| {
            ui.label(egui::RichText::new("density: few").small());
            for step in 0..=6_u8 {
                let (rect, _) = ui.allocate_exact_size(Vec2::splat(12.0), Sense::hover());
                let dark = ui.visuals().dark_mode;
                ui.painter().circle_filled(rect.center(), 6.0, super::markers::heat_color(f32::from(step) / 6.0, dark));
            }
            ui.label(egui::RichText::new("the most in one cell in view (log scale)").small());
        });
        return commands;
    }
    // What a group's size and colour mean, at the sizes drawn now: nested circles, as on a
    // printed map's legend of proportional symbols.
    ui.horizontal(|ui| {
        ui.label(egui::RichText::new("groups of").small());
        let samples = size_samples(largest_group);
        let radius_of = |count| super::sizes::group_radius(count, largest_group);
        let outer = samples.iter().map(|&n| radius_of(n)).fold(0.0, f32::max);
        let (rect, _) = ui.allocate_exact_size(Vec2::new(2.0 * outer + 40.0, 2.0 * outer + 4.0), Sense::hover());
        let (center_x, bottom) = (rect.left() + outer + 1.0, rect.bottom() - 1.0);
        for &count in samples.iter().rev() {
            let radius = radius_of(count);
            let top = egui::pos2(center_x, bottom - 2.0 * radius);
            ui.painter().circle(
                egui::pos2(center_x, bottom - radius),
                radius,
                ink.gamma_multiply(0.08),
                Stroke::new(1.0, ink),
            );
            let label_at = egui::pos2(rect.left() + 2.0 * outer + 8.0, top.y);
            ui.painter().line_segment([top, label_at], Stroke::new(0.5, ink.gamma_multiply(0.6)));
            ui.painter().text(
                label_at + Vec2::new(2.0, 0.0),
                egui::Align2::LEFT_CENTER,
                super::sizes::compact_count(count),
                egui::FontId::proportional(10.0),
                ink,
            );
        }
        ui.add(
            egui::Label::new(
                egui::RichText::new(
                    "events: a circle looks as much bigger as its count is (against the largest in \
                     view), coloured by its most frequent category; groups that would overlap are \
                     drawn as one",
                )
                .small(),
            )
            .wrap(),
        );
    });
    commands
}

/// Counts whose circles the legend shows: two, the largest group in view, and a round count
/// between them when there is room.
fn size_samples(largest: usize) -> Vec<usize> {
    let largest = largest.max(2);
    let mut samples = vec![2];
    // A round number near a tenth of the largest: 1, 2 or 5 times a power of ten.
    let tenth = largest / 10;
    if tenth >= 10 {
        let power = 10_usize.pow(tenth.ilog10());
        let round = [5, 2, 1].into_iter().map(|m| m * power).find(|&n| n <= tenth).unwrap_or(power);
        samples.push(round);
    }
    if largest > 2 {
        samples.push(largest);
    }
    samples
}

/// Whether the events of legend entry `slot` are hidden by `filter`.
fn is_hidden(dataset: &Dataset, filter: &EventFilter, slot: u8) -> bool {
    if dataset.colouring.is_some() {
        return filter.hidden_slots.contains(&slot);
    }
    let mut keys = dataset.categories.keys_in_slot(slot).peekable();
    keys.peek().is_some() && keys.all(|key| filter.hidden_categories.contains(key))
}

/// `filter` with the events of legend entry `slot` shown (`hidden`) or hidden: by their
/// categories when coloured by category, so the Categories menu agrees.
fn toggled(dataset: &Dataset, filter: &EventFilter, slot: u8, hidden: bool) -> EventFilter {
    let mut filter = filter.clone();
    if dataset.colouring.is_some() {
        if hidden {
            filter.hidden_slots.remove(&slot);
        } else {
            filter.hidden_slots.insert(slot);
        }
    } else {
        for key in dataset.categories.keys_in_slot(slot) {
            filter.set_category_visible(key, hidden);
        }
    }
    filter
}

/// "Colour by": the categories, or any field with a few distinct values.
fn colour_by_ui(ui: &mut egui::Ui, dataset: &Dataset, commands: &mut Vec<Command>) {
    let fields = colourable_fields(&dataset.properties);
    if fields.is_empty() {
        return;
    }
    let current = dataset.colouring.as_ref().map(|c| c.field.as_str());
    ui.horizontal(|ui| {
        ui.label(egui::RichText::new("Colour by").small());
        let mut chosen = current.map(str::to_owned);
        let combo = egui::ComboBox::from_id_salt("colour_by")
            .selected_text(shorten(current.unwrap_or("category"), 30))
            .show_ui(ui, |ui| {
                ui.selectable_value(&mut chosen, None, "category");
                for field in &fields {
                    ui.selectable_value(&mut chosen, Some((*field).to_owned()), shorten(field, 40));
                }
            });
        name_widget(&combo.response, egui::Role::ComboBox, "Colour by");
        if chosen.as_deref() != current {
            commands.push(Command::ColourBy(chosen));
        }
    });
}
