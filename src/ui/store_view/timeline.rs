//! The store's timeline: bars of the bins the store counted, the window up to the cursor shaded,
//! a click or a drag moving the cursor; Play, and the window's length.

use egui::{Color32, Sense, Stroke};

use super::{StoreCommand, WINDOWS, day_text};
use crate::model::store::BinQuery;

/// What the timeline shows.
pub struct StoreTimelineView<'a> {
    /// The bins and what they count (none yet: still asked).
    pub bins: Option<(&'a BinQuery, &'a [u64])>,
    /// The cursor's day.
    pub cursor_day: f64,
    /// The store has said which days it holds (until then there is no date to show).
    pub known: bool,
    /// The window's length in days (0: all time up to the cursor).
    pub window_days: i32,
    /// Playing.
    pub playing: bool,
}

/// Draws the timeline; returns what the user asked for.
pub fn store_timeline_ui(ui: &mut egui::Ui, view: &StoreTimelineView<'_>) -> Vec<StoreCommand> {
    let mut commands = Vec::new();
    ui.horizontal(|ui| {
        if ui.button(if view.playing { "⏸ Pause" } else { "▶ Play" }).clicked() {
            commands.push(StoreCommand::TogglePlay);
        }
        let shown = WINDOWS.iter().find(|(days, _)| *days == view.window_days).map_or("custom", |(_, name)| name);
        let combo = egui::ComboBox::from_id_salt("store_window").selected_text(shown).show_ui(ui, |ui| {
            for (days, name) in WINDOWS {
                if ui.selectable_label(view.window_days == days, name).clicked() {
                    commands.push(StoreCommand::SetWindowDays(days));
                }
            }
        });
        crate::ui::widgets::name_widget(&combo.response, egui::Role::ComboBox, "Window");
        #[expect(clippy::cast_possible_truncation, reason = "a day number")]
        let cursor = view.cursor_day.floor() as i32;
        let window = if view.window_days > 0 {
            format!("{} – {}", day_text(cursor - view.window_days + 1), day_text(cursor))
        } else {
            format!("up to {}", day_text(cursor))
        };
        if view.known {
            ui.strong(window);
        }
    });
    let Some((query, bins)) = view.bins else {
        ui.weak("Counting the events per period…");
        return commands;
    };
    let (rect, response) = ui.allocate_exact_size(egui::vec2(ui.available_width(), 70.0), Sense::click_and_drag());
    let painter = ui.painter_at(rect);
    painter.rect_filled(rect, 2.0, ui.visuals().extreme_bg_color);
    #[expect(clippy::cast_precision_loss, reason = "bins and days on a screen")]
    let (first, span) = (f64::from(query.from_day), (query.bins as f64) * f64::from(query.bin_days.max(1)));
    #[expect(clippy::cast_possible_truncation, reason = "a screen position")]
    let x_of = |day: f64| rect.left() + (((day - first) / span) as f32) * rect.width();
    let largest = bins.iter().copied().max().unwrap_or(1).max(1);
    let bar_color = if ui.visuals().dark_mode { Color32::from_gray(150) } else { Color32::from_gray(110) };
    for (i, &count) in bins.iter().enumerate() {
        if count == 0 {
            continue;
        }
        #[expect(clippy::cast_precision_loss, clippy::cast_possible_truncation, reason = "bars on a screen")]
        let (start, height) = (
            first + (i as f64) * f64::from(query.bin_days),
            ((count as f64 / largest as f64).sqrt() as f32) * (rect.height() - 6.0),
        );
        let (x0, x1) = (x_of(start), x_of(start + f64::from(query.bin_days)));
        let bar = egui::Rect::from_min_max(
            egui::pos2(x0, rect.bottom() - height),
            egui::pos2(x1.max(x0 + 1.0), rect.bottom()),
        );
        painter.rect_filled(bar, 0.0, bar_color);
    }
    // Years along the bottom, as many as fit.
    let (first_year, last_year) = (
        crate::model::date::date_from_day_number(query.from_day).format("%Y").to_string().parse::<i32>().unwrap_or(0),
        crate::model::date::date_from_day_number(
            query.from_day.saturating_add(i32::try_from(query.bins).unwrap_or(0) * query.bin_days),
        )
        .format("%Y")
        .to_string()
        .parse::<i32>()
        .unwrap_or(0),
    );
    let every = [1, 2, 5, 10, 20, 50, 100].into_iter().find(|step| {
        let labels = f64::from((last_year - first_year) / step + 1);
        labels * 48.0 < f64::from(rect.width())
    });
    if let Some(every) = every {
        for year in (first_year..=last_year).filter(|y| y % every == 0) {
            let Some(date) = chrono::NaiveDate::from_ymd_opt(year, 1, 1) else { continue };
            let x = x_of(f64::from(crate::model::date::day_number(date)));
            if (rect.left()..=rect.right() - 24.0).contains(&x) {
                painter.text(
                    egui::pos2(x + 2.0, rect.top() + 2.0),
                    egui::Align2::LEFT_TOP,
                    year.to_string(),
                    egui::FontId::proportional(10.0),
                    ui.visuals().weak_text_color(),
                );
                painter.line_segment(
                    [egui::pos2(x, rect.top()), egui::pos2(x, rect.top() + 12.0)],
                    Stroke::new(1.0, ui.visuals().weak_text_color()),
                );
            }
        }
    }
    let cursor_x = x_of(view.cursor_day);
    let window_start =
        if view.window_days > 0 { x_of(view.cursor_day - f64::from(view.window_days)) } else { rect.left() };
    let window = egui::Rect::from_min_max(
        egui::pos2(window_start.max(rect.left()), rect.top()),
        egui::pos2(cursor_x, rect.bottom()),
    );
    painter.rect_filled(window, 0.0, Color32::from_rgba_unmultiplied(60, 140, 230, 50));
    painter.line_segment(
        [egui::pos2(cursor_x, rect.top()), egui::pos2(cursor_x, rect.bottom())],
        Stroke::new(2.0, Color32::from_rgb(230, 120, 20)),
    );
    crate::ui::widgets::name_widget(&response, egui::Role::Slider, "Timeline");
    if let Some(pointer) = response.interact_pointer_pos().filter(|_| response.clicked() || response.dragged()) {
        let share = f64::from(((pointer.x - rect.left()) / rect.width()).clamp(0.0, 1.0));
        commands.push(StoreCommand::SetCursor(first + share * span));
    }
    commands
}
