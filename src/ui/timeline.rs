//! The timeline strip: an axis that zooms and pans, a histogram of event counts, events drawn as
//! spans, and the cursor with its window that decides which events are "now".

use chrono::{Datelike as _, NaiveDate};
use egui::{Align2, FontId, Pos2, Rect, Sense, Stroke, pos2, vec2};

use super::Command;
use super::style;
use crate::model::date::{date_from_day_number, day_number};
use crate::model::{Dataset, DayNumber, EventIdx, TimeIndex};

/// The timeline's persisted state.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(default)]
pub struct TimelineState {
    /// Day at the left edge of the strip.
    pub view_start_day: f64,
    /// Days shown across the strip.
    pub view_length_days: f64,
    /// The cursor: the end of the "now" window.
    pub cursor_day: f64,
    /// Width of the "now" window, in days.
    pub window_days: f64,
    /// Show everything up to the cursor instead of a window.
    pub cumulative: bool,
    /// Playback speed.
    pub speed_days_per_sec: f64,
    /// Whether playback runs.
    #[serde(skip)]
    pub playing: bool,
}

impl Default for TimelineState {
    fn default() -> Self {
        let today = f64::from(day_number(NaiveDate::from_ymd_opt(2024, 6, 1).unwrap_or_default()));
        Self {
            view_start_day: today - 365.0 * 27.0,
            view_length_days: 365.0 * 28.0,
            cursor_day: today,
            window_days: 30.0,
            cumulative: false,
            speed_days_per_sec: 7.0,
            playing: false,
        }
    }
}

impl TimelineState {
    /// The closed day range of events that are "now".
    pub fn now_range(&self) -> (DayNumber, DayNumber) {
        #[expect(clippy::cast_possible_truncation, reason = "days fit an i32")]
        let to = self.cursor_day.floor() as DayNumber;
        if self.cumulative {
            return (DayNumber::MIN, to);
        }
        #[expect(clippy::cast_possible_truncation, reason = "days fit an i32")]
        let width = self.window_days.max(1.0).round() as DayNumber;
        (to - width + 1, to)
    }

    /// Shows `[first, last]` with a margin.
    pub fn show_range(&mut self, first: DayNumber, last: DayNumber) {
        let length = f64::from((last - first).max(1));
        let margin = (length * 0.06).max(3.0);
        self.view_start_day = f64::from(first) - margin;
        self.view_length_days = length + 2.0 * margin;
    }

    /// Zooms by `factor` (> 1 zooms in) keeping `anchor_day` fixed on screen.
    pub fn zoom_around(&mut self, anchor_day: f64, factor: f64) {
        let factor = factor.clamp(0.2, 5.0);
        let new_length = (self.view_length_days / factor).clamp(7.0, 365.25 * 200.0);
        let fraction = (anchor_day - self.view_start_day) / self.view_length_days;
        self.view_start_day = anchor_day - fraction * new_length;
        self.view_length_days = new_length;
    }
}

/// Screen ↔ time conversion for one frame of the strip.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct TimeRuler {
    /// Screen x of the left edge.
    pub left_x: f32,
    /// Width in points.
    pub width_px: f32,
    /// Day at the left edge.
    pub start_day: f64,
    /// Days per point.
    pub days_per_px: f64,
}

impl TimeRuler {
    /// A ruler showing `state`'s view across `[left_x, left_x + width_px]`.
    pub fn new(left_x: f32, width_px: f32, state: &TimelineState) -> Self {
        let width_px = width_px.max(1.0);
        Self {
            left_x,
            width_px,
            start_day: state.view_start_day,
            days_per_px: state.view_length_days / f64::from(width_px),
        }
    }

    /// Screen x of a (fractional) day.
    pub fn x_from_day(&self, day: f64) -> f32 {
        #[expect(clippy::cast_possible_truncation, reason = "screen coordinates")]
        let offset = ((day - self.start_day) / self.days_per_px) as f32;
        self.left_x + offset
    }

    /// The (fractional) day at screen x.
    pub fn day_from_x(&self, x: f32) -> f64 {
        self.start_day + f64::from(x - self.left_x) * self.days_per_px
    }
}

/// Tick spacing options, smallest first.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum TickStep {
    Days(u32),
    Months(u32),
    Years(i32),
}

/// Calendar-aligned ticks between two days, spaced at least `min_gap_days` apart, with labels.
pub fn ticks(first: DayNumber, last: DayNumber, min_gap_days: f64) -> Vec<(DayNumber, String)> {
    const STEPS: [TickStep; 13] = [
        TickStep::Days(1),
        TickStep::Days(2),
        TickStep::Days(7),
        TickStep::Days(14),
        TickStep::Months(1),
        TickStep::Months(3),
        TickStep::Months(6),
        TickStep::Years(1),
        TickStep::Years(2),
        TickStep::Years(5),
        TickStep::Years(10),
        TickStep::Years(20),
        TickStep::Years(50),
    ];
    let approximate_days = |step: TickStep| match step {
        TickStep::Days(n) => f64::from(n),
        TickStep::Months(n) => 30.44 * f64::from(n),
        TickStep::Years(n) => 365.25 * f64::from(n),
    };
    let step = STEPS.into_iter().find(|&s| approximate_days(s) >= min_gap_days).unwrap_or(TickStep::Years(100));
    let start = date_from_day_number(first);
    let mut out = Vec::new();
    let mut date = match step {
        TickStep::Days(n) => {
            // Align to the step from an epoch so ticks stay put while panning.
            let remainder = first.rem_euclid(i32::try_from(n).unwrap_or(1));
            date_from_day_number(first - remainder)
        }
        TickStep::Months(n) => {
            let month0 = start.month0() - start.month0() % n;
            NaiveDate::from_ymd_opt(start.year(), month0 + 1, 1).unwrap_or(start)
        }
        TickStep::Years(n) => NaiveDate::from_ymd_opt(start.year() - start.year().rem_euclid(n), 1, 1).unwrap_or(start),
    };
    while day_number(date) <= last && out.len() < 500 {
        if day_number(date) >= first {
            let label = match step {
                TickStep::Days(_) => date.format("%-d %b %Y").to_string(),
                TickStep::Months(_) => date.format("%b %Y").to_string(),
                TickStep::Years(_) => date.format("%Y").to_string(),
            };
            out.push((day_number(date), label));
        }
        let next = match step {
            TickStep::Days(n) => date.checked_add_days(chrono::Days::new(u64::from(n))),
            TickStep::Months(n) => date.checked_add_months(chrono::Months::new(n)),
            TickStep::Years(n) => date.with_year(date.year() + n),
        };
        let Some(next) = next else { break };
        date = next;
    }
    out
}

/// Histogram bin width in days for a zoom level: the smallest of a few calendar-ish widths whose
/// bins are at least `min_bin_px` wide.
pub fn bin_width_days(days_per_px: f64, min_bin_px: f64) -> i32 {
    const WIDTHS: [i32; 8] = [1, 7, 30, 91, 365, 730, 1826, 3652];
    WIDTHS.into_iter().find(|&w| f64::from(w) / days_per_px >= min_bin_px).unwrap_or(7305)
}

/// What the timeline needs to draw one frame.
pub struct TimelineView<'a> {
    /// The dataset.
    pub dataset: &'a Dataset,
    /// Index of the events matching the filters.
    pub filtered: &'a TimeIndex,
    /// Eras of those events: (first start, last start, count).
    pub clusters: &'a [(DayNumber, DayNumber, usize)],
    /// The selected event.
    pub selected: Option<EventIdx>,
    /// The hovered event.
    pub hovered: Option<EventIdx>,
}

/// Shows the controls row and the strip; returns what the user asked for.
pub fn timeline_ui(ui: &mut egui::Ui, state: &mut TimelineState, view: &TimelineView<'_>) -> Vec<Command> {
    let mut commands = Vec::new();
    controls_ui(ui, state, view, &mut commands);
    strip_ui(ui, state, view, &mut commands);
    commands
}

fn controls_ui(ui: &mut egui::Ui, state: &mut TimelineState, view: &TimelineView<'_>, commands: &mut Vec<Command>) {
    ui.horizontal_wrapped(|ui| {
        if ui.button("⏮").on_hover_text("Previous event (left arrow key)").clicked() {
            commands.push(Command::Step(-1));
        }
        let play_label = if state.playing { "⏸ Pause" } else { "▶ Play" };
        if ui.button(play_label).on_hover_text("Play or pause (Space)").clicked() {
            commands.push(Command::TogglePlay);
        }
        if ui.button("⏭").on_hover_text("Next event (right arrow key)").clicked() {
            commands.push(Command::Step(1));
        }
        let speed = egui::ComboBox::from_id_salt("speed")
            .width(110.0)
            .selected_text(speed_label(state.speed_days_per_sec))
            .show_ui(ui, |ui| {
                for speed in [1.0, 7.0, 30.0, 120.0, 365.0] {
                    ui.selectable_value(&mut state.speed_days_per_sec, speed, speed_label(speed));
                }
            })
            .response
            .on_hover_text("Playback speed");
        super::name_widget(&speed, egui::Role::ComboBox, "Playback speed");
        ui.separator();
        if ui.button("Fit all").on_hover_text("Show the whole time range").clicked() {
            commands.push(Command::FitAll);
        }
        // Jumps between the eras of the data, so nobody drags across empty decades.
        for &(first, last, count) in view.clusters {
            let label = era_label(first, last);
            if ui.button(&label).on_hover_text(format!("Show {label}: {count} event(s)")).clicked() {
                commands.push(Command::ShowRange(first, last));
            }
        }
        ui.separator();
        ui.checkbox(&mut state.cumulative, "Cumulative")
            .on_hover_text("Show every event up to the cursor, not only those in the window");
        ui.add_enabled_ui(!state.cumulative, |ui| {
            ui.label("Window:");
            let window = egui::ComboBox::from_id_salt("window")
                .width(90.0)
                .selected_text(window_label(state.window_days))
                .show_ui(ui, |ui| {
                    for days in [1.0, 7.0, 30.0, 91.0, 365.0, 3652.0] {
                        ui.selectable_value(&mut state.window_days, days, window_label(days));
                    }
                });
            super::name_widget(&window.response, egui::Role::ComboBox, "Window width");
            ui.add(egui::DragValue::new(&mut state.window_days).range(1.0..=36_525.0).speed(1.0).suffix(" d"))
                .on_hover_text("Window width in days");
        });
        ui.separator();
        let (from, to) = state.now_range();
        let text = if state.cumulative {
            format!("Up to {}", date_from_day_number(to).format("%-d %B %Y"))
        } else {
            format!(
                "{} – {}",
                date_from_day_number(from).format("%-d %b %Y"),
                date_from_day_number(to).format("%-d %b %Y")
            )
        };
        ui.label(egui::RichText::new(text).strong())
            .on_hover_text("The events in this range are shown on the map and in the list");
    });
}

fn speed_label(days_per_sec: f64) -> String {
    match days_per_sec {
        d if d >= 365.0 => "1 year / s".into(),
        d if d >= 28.0 => format!("{:.0} months / s", d / 30.0),
        d if (d - 7.0).abs() < 0.5 => "1 week / s".into(),
        d => format!("{d:.0} day(s) / s"),
    }
}

fn window_label(days: f64) -> String {
    match days {
        d if (d - 1.0).abs() < 0.5 => "1 day".into(),
        d if (d - 7.0).abs() < 0.5 => "1 week".into(),
        d if (d - 30.0).abs() < 0.5 => "1 month".into(),
        d if (d - 91.0).abs() < 0.5 => "3 months".into(),
        d if (d - 365.0).abs() < 0.5 => "1 year".into(),
        d if (d - 3652.0).abs() < 0.5 => "10 years".into(),
        d => format!("{d:.0} days"),
    }
}

fn era_label(first: DayNumber, last: DayNumber) -> String {
    let (a, b) = (date_from_day_number(first).year(), date_from_day_number(last).year());
    if a == b { a.to_string() } else { format!("{a}–{b}") }
}

const HISTOGRAM_HEIGHT: f32 = 46.0;
const SPAN_ROW_HEIGHT: f32 = 7.0;
const SPAN_ROWS: usize = 5;
const AXIS_HEIGHT: f32 = 20.0;

fn strip_ui(ui: &mut egui::Ui, state: &mut TimelineState, view: &TimelineView<'_>, commands: &mut Vec<Command>) {
    let spans_height = SPAN_ROW_HEIGHT * SPAN_ROWS as f32 + 4.0;
    let height = HISTOGRAM_HEIGHT + spans_height + AXIS_HEIGHT;
    let (rect, response) = ui.allocate_exact_size(vec2(ui.available_width(), height), Sense::click_and_drag());
    let response = response.on_hover_cursor(egui::CursorIcon::Crosshair);
    response.widget_info(|| egui::WidgetInfo::labeled(egui::Role::Slider, true, "Timeline"));
    let histogram_rect = Rect::from_min_size(rect.min, vec2(rect.width(), HISTOGRAM_HEIGHT));
    let spans_rect = Rect::from_min_size(histogram_rect.left_bottom(), vec2(rect.width(), spans_height));
    let axis_rect = Rect::from_min_max(spans_rect.left_bottom(), rect.max);

    handle_zoom_and_pan(ui, state, &response, rect, axis_rect);
    let ruler = TimeRuler::new(rect.left(), rect.width(), state);
    let painter = ui.painter_at(rect);
    let visuals = ui.visuals().clone();
    painter.rect_filled(rect, 2.0, visuals.extreme_bg_color);

    // The "now" window under everything.
    let (from, to) = state.now_range();
    let window_left = if state.cumulative { rect.left() } else { ruler.x_from_day(f64::from(from)) };
    let window_right = ruler.x_from_day(f64::from(to) + 1.0);
    let window_rect = Rect::from_x_y_ranges(
        window_left.max(rect.left())..=window_right.min(rect.right()),
        rect.top()..=axis_rect.top(),
    );
    painter.rect_filled(window_rect, 0.0, visuals.selection.bg_fill.gamma_multiply(0.35));

    draw_histogram(&painter, &ruler, histogram_rect, view.filtered, &visuals);
    let hovered_span = draw_spans(&painter, &ruler, spans_rect, view, response.hover_pos(), &visuals);
    draw_axis(&painter, &ruler, axis_rect, &visuals);

    // The cursor, with a handle.
    let cursor_x = ruler.x_from_day(state.cursor_day.floor() + 1.0);
    let cursor_color = style::selection_color(visuals.dark_mode);
    painter.line_segment([pos2(cursor_x, rect.top()), pos2(cursor_x, axis_rect.top())], Stroke::new(2.0, cursor_color));
    painter.add(egui::Shape::convex_polygon(
        vec![pos2(cursor_x - 6.0, rect.top()), pos2(cursor_x + 6.0, rect.top()), pos2(cursor_x, rect.top() + 8.0)],
        cursor_color,
        Stroke::NONE,
    ));

    if hovered_span != view.hovered && response.hovered() {
        commands.push(Command::Hover(hovered_span));
    }
    if let Some(pointer) = response.interact_pointer_pos() {
        let on_axis = axis_rect.contains(pointer) || ui.input(|i| i.modifiers.shift);
        if response.clicked() && hovered_span.is_some() {
            if let Some(idx) = hovered_span {
                commands.push(Command::Select(Some(idx)));
            }
        } else if (response.dragged_by(egui::PointerButton::Primary) || response.clicked()) && !on_axis {
            commands.push(Command::SetCursor(ruler.day_from_x(pointer.x).floor()));
        }
    }
    if let Some(idx) = hovered_span
        && let Some(event) = view.dataset.event(idx)
    {
        response.on_hover_ui_at_pointer(|ui| {
            ui.label(egui::RichText::new(super::clip_text(&event.title, super::MAX_TITLE_CHARS)).strong());
            ui.label(event.date_in_words());
        });
    }
}

fn handle_zoom_and_pan(
    ui: &egui::Ui,
    state: &mut TimelineState,
    response: &egui::Response,
    rect: Rect,
    axis_rect: Rect,
) {
    let ruler = TimeRuler::new(rect.left(), rect.width(), state);
    if response.hovered() {
        let (scroll, zoom, pointer) = ui.input(|i| (i.smooth_scroll_delta, i.zoom_delta(), i.pointer.hover_pos()));
        let anchor = pointer.map_or(state.cursor_day, |p| ruler.day_from_x(p.x));
        if (zoom - 1.0).abs() > 1e-3 {
            state.zoom_around(anchor, f64::from(zoom));
        } else if scroll.y.abs() > 0.0 {
            state.zoom_around(anchor, f64::from((scroll.y / 200.0).exp()));
        }
        if scroll.x.abs() > 0.0 {
            state.view_start_day -= f64::from(scroll.x) * ruler.days_per_px;
        }
    }
    // Dragging the axis (or any drag with Shift, or with the middle/secondary button) pans.
    let pans = response.dragged_by(egui::PointerButton::Middle)
        || response.dragged_by(egui::PointerButton::Secondary)
        || (response.dragged_by(egui::PointerButton::Primary)
            && (ui.input(|i| i.modifiers.shift)
                || response.interact_pointer_pos().is_some_and(|p| axis_rect.contains(p))));
    if pans {
        state.view_start_day -= f64::from(response.drag_delta().x) * ruler.days_per_px;
    }
}

fn draw_histogram(painter: &egui::Painter, ruler: &TimeRuler, rect: Rect, index: &TimeIndex, visuals: &egui::Visuals) {
    let width = bin_width_days(ruler.days_per_px, 5.0);
    #[expect(clippy::cast_possible_truncation, reason = "days fit an i32")]
    let first_visible = ruler.day_from_x(rect.left()).floor() as DayNumber;
    let origin = first_visible - first_visible.rem_euclid(width);
    #[expect(clippy::cast_possible_truncation, clippy::cast_sign_loss, reason = "a small positive count")]
    let bin_count = (f64::from(rect.width()) * ruler.days_per_px / f64::from(width)).ceil() as usize + 2;
    let counts = index.histogram_of_starts(origin, width, bin_count);
    let max = counts.iter().copied().max().unwrap_or(0).max(1);
    let bar_color = visuals.widgets.inactive.fg_stroke.color.gamma_multiply(0.55);
    #[expect(clippy::cast_precision_loss, reason = "counts are small enough for f32")]
    let scale = |count: usize| (count as f32 / max as f32).sqrt() * (rect.height() - 12.0);
    for (bin, count) in counts.into_iter().enumerate() {
        if count == 0 {
            continue;
        }
        let bin = i32::try_from(bin).unwrap_or(i32::MAX);
        let left = ruler.x_from_day(f64::from(origin + bin * width));
        let right = ruler.x_from_day(f64::from(origin + (bin + 1) * width));
        let top = rect.bottom() - scale(count).max(2.0);
        painter.rect_filled(
            Rect::from_x_y_ranges(left + 0.5..=(right - 0.5).max(left + 1.0), top..=rect.bottom()),
            0.0,
            bar_color,
        );
    }
    let unit = match width {
        1 => "day",
        7 => "week",
        30 => "month",
        91 => "quarter",
        365 => "year",
        w => {
            return painter_label(
                painter,
                rect,
                &format!("events starting per {} years (max {max})", w / 365),
                visuals,
            );
        }
    };
    painter_label(painter, rect, &format!("events starting per {unit} (max {max})"), visuals);
}

fn painter_label(painter: &egui::Painter, rect: Rect, text: &str, visuals: &egui::Visuals) {
    painter.text(
        rect.left_top() + vec2(4.0, 2.0),
        Align2::LEFT_TOP,
        text,
        FontId::proportional(10.0),
        visuals.weak_text_color(),
    );
}

/// Draws visible events as spans in a few rows; returns the event under the pointer.
fn draw_spans(
    painter: &egui::Painter,
    ruler: &TimeRuler,
    rect: Rect,
    view: &TimelineView<'_>,
    pointer_pos: Option<Pos2>,
    visuals: &egui::Visuals,
) -> Option<EventIdx> {
    /// Beyond this many events in view, spans are a blur: the histogram says it better.
    const MAX_DRAWN: usize = 3_000;
    #[expect(clippy::cast_possible_truncation, reason = "days fit an i32")]
    let (first, last) =
        (ruler.day_from_x(rect.left()).floor() as DayNumber, ruler.day_from_x(rect.right()).ceil() as DayNumber);
    let in_view = view.filtered.count_in_window(first, last);
    if in_view > MAX_DRAWN {
        painter.text(
            rect.left_center() + vec2(4.0, 0.0),
            Align2::LEFT_CENTER,
            format!("{in_view} events in view: zoom in to see them as spans"),
            FontId::proportional(10.0),
            visuals.weak_text_color(),
        );
        return None;
    }
    let mut row_ends = [f32::MIN; SPAN_ROWS];
    let mut hovered = None;
    let mut drawn = 0;
    let highlight = style::selection_color(visuals.dark_mode);
    view.filtered.for_each_in_window(first, last, |idx| {
        if drawn >= MAX_DRAWN {
            return;
        }
        drawn += 1;
        let Some(event) = view.dataset.event(idx) else { return };
        let left = ruler.x_from_day(f64::from(event.span.first_day()));
        let right = ruler.x_from_day(f64::from(event.span.last_day() + 1)).max(left + 3.0);
        let row = row_ends.iter().position(|&end| end + 2.0 < left).unwrap_or(drawn % SPAN_ROWS);
        if let Some(end) = row_ends.get_mut(row) {
            *end = end.max(right);
        }
        #[expect(clippy::cast_precision_loss, reason = "a handful of rows")]
        let top = rect.top() + 2.0 + row as f32 * SPAN_ROW_HEIGHT;
        let span_rect = Rect::from_x_y_ranges(left..=right, top..=top + SPAN_ROW_HEIGHT - 2.0);
        let color = style::category_color(event.category);
        if style::is_uncertain(event) {
            painter.rect(span_rect, 1.0, color.gamma_multiply(0.3), Stroke::new(1.0, color), egui::StrokeKind::Inside);
        } else {
            painter.rect_filled(span_rect, 1.0, color);
        }
        if Some(idx) == view.selected || Some(idx) == view.hovered {
            painter.rect_stroke(span_rect.expand(1.5), 1.0, Stroke::new(2.0, highlight), egui::StrokeKind::Outside);
        }
        if pointer_pos.is_some_and(|p| span_rect.expand(1.0).contains(p)) {
            hovered = Some(idx);
        }
    });
    hovered
}

fn draw_axis(painter: &egui::Painter, ruler: &TimeRuler, rect: Rect, visuals: &egui::Visuals) {
    painter.line_segment([rect.left_top(), rect.right_top()], visuals.widgets.noninteractive.bg_stroke);
    #[expect(clippy::cast_possible_truncation, reason = "days fit an i32")]
    let (first, last) =
        (ruler.day_from_x(rect.left()).floor() as DayNumber, ruler.day_from_x(rect.right()).ceil() as DayNumber);
    for (day, label) in ticks(first, last, 90.0 * ruler.days_per_px) {
        let x = ruler.x_from_day(f64::from(day));
        painter.line_segment([pos2(x, rect.top()), pos2(x, rect.top() + 5.0)], Stroke::new(1.0, visuals.text_color()));
        painter.text(
            pos2(x + 3.0, rect.top() + 4.0),
            Align2::LEFT_TOP,
            label,
            FontId::proportional(11.0),
            visuals.text_color(),
        );
    }
    painter.text(
        rect.right_bottom() - vec2(4.0, 2.0),
        Align2::RIGHT_BOTTOM,
        "drag here to pan · wheel to zoom",
        FontId::proportional(9.0),
        visuals.weak_text_color(),
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ruler_round_trips() {
        let state = TimelineState { view_start_day: 730_000.0, view_length_days: 400.0, ..TimelineState::default() };
        let ruler = TimeRuler::new(10.0, 800.0, &state);
        for day in [730_000.0, 730_123.5, 730_400.0] {
            let x = ruler.x_from_day(day);
            assert!((ruler.day_from_x(x) - day).abs() < 1e-3);
        }
        assert!((ruler.x_from_day(730_000.0) - 10.0).abs() < 1e-4);
        assert!((ruler.x_from_day(730_400.0) - 810.0).abs() < 1e-3);
    }

    #[test]
    fn ticks_adapt_from_decades_to_days() {
        let day = |y, m, d| day_number(NaiveDate::from_ymd_opt(y, m, d).unwrap());
        let decades = ticks(day(1995, 1, 1), day(2025, 1, 1), 365.0 * 8.0);
        assert_eq!(decades.iter().map(|t| t.1.as_str()).collect::<Vec<_>>(), ["2000", "2010", "2020"]);
        let months = ticks(day(1999, 1, 1), day(1999, 6, 30), 25.0);
        assert_eq!(months.first().unwrap().1, "Jan 1999");
        assert_eq!(months.len(), 6);
        let days = ticks(day(2023, 9, 22), day(2023, 9, 26), 0.5);
        assert_eq!(
            days.iter().map(|t| t.1.as_str()).collect::<Vec<_>>(),
            ["22 Sep 2023", "23 Sep 2023", "24 Sep 2023", "25 Sep 2023", "26 Sep 2023"]
        );
    }

    #[test]
    fn zoom_keeps_the_anchor_in_place() {
        let mut state = TimelineState { view_start_day: 0.0, view_length_days: 1000.0, ..TimelineState::default() };
        state.zoom_around(250.0, 2.0);
        assert!((state.view_length_days - 500.0).abs() < 1e-9);
        assert!((state.view_start_day - 125.0).abs() < 1e-9);
    }

    #[test]
    fn now_range_follows_window_and_cumulative_mode() {
        let mut state = TimelineState { cursor_day: 100.0, window_days: 7.0, ..TimelineState::default() };
        assert_eq!(state.now_range(), (94, 100));
        state.cumulative = true;
        assert_eq!(state.now_range(), (DayNumber::MIN, 100));
    }

    #[test]
    fn bins_widen_as_the_view_zooms_out() {
        assert_eq!(bin_width_days(0.1, 5.0), 1);
        assert_eq!(bin_width_days(3.0, 5.0), 30);
        assert_eq!(bin_width_days(50.0, 5.0), 365);
    }
}
