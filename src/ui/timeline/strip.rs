//! The strip: a histogram of event counts, events drawn as spans, the date axis, and the cursor
//! with its window. Click or drag to scrub; wheel to zoom; drag the axis (or Shift-drag) to pan.

use egui::{Align2, FontId, Pos2, Rect, Sense, Stroke, pos2, vec2};

use super::controls::now_in_words;
use super::ruler::{TimeRuler, bin_width_days, ticks};
use super::state::TimelineState;
use crate::model::text::{MAX_TITLE_CHARS, clip};
use crate::model::{Dataset, DayNumber, EventIdx, TimeIndex};
use crate::ui::command::Command;
use crate::ui::style;

/// What the strip needs to draw one frame.
pub struct TimelineView<'a> {
    /// The dataset.
    pub dataset: &'a Dataset,
    /// Index of the events matching the filters.
    pub filtered: &'a TimeIndex,
    /// The selected event.
    pub selected: Option<EventIdx>,
    /// The hovered event.
    pub hovered: Option<EventIdx>,
    /// How many filtered events are undated (listed apart, not on the strip).
    pub undated: usize,
}

const HISTOGRAM_HEIGHT: f32 = 46.0;
/// Most histogram bins computed in a frame.
const MAX_HISTOGRAM_BINS: usize = 4096;
const SPAN_ROW_HEIGHT: f32 = 7.0;
const SPAN_ROWS: usize = 5;
const AXIS_HEIGHT: f32 = 20.0;

/// Shows the strip; returns what the user asked for.
pub fn strip_ui(ui: &mut egui::Ui, state: &TimelineState, view: &TimelineView<'_>, commands: &mut Vec<Command>) {
    let spans_height = SPAN_ROW_HEIGHT * SPAN_ROWS as f32 + 4.0;
    let height = HISTOGRAM_HEIGHT + spans_height + AXIS_HEIGHT;
    let (rect, response) = ui.allocate_exact_size(vec2(ui.available_width(), height), Sense::click_and_drag());
    let response = response.on_hover_cursor(egui::CursorIcon::Crosshair);
    // Screen readers hear the cursor's date and what is "now", not just "Timeline".
    response.widget_info(|| {
        let mut info = egui::WidgetInfo::labeled(egui::Role::Slider, true, "Timeline");
        info.current_text_value = Some(now_in_words(state));
        info.value = Some(state.cursor_day);
        info
    });
    let histogram_rect = Rect::from_min_size(rect.min, vec2(rect.width(), HISTOGRAM_HEIGHT));
    let spans_rect = Rect::from_min_size(histogram_rect.left_bottom(), vec2(rect.width(), spans_height));
    let axis_rect = Rect::from_min_max(spans_rect.left_bottom(), rect.max);

    // Zooming and panning take effect in this very frame: drawn from the new view, applied after.
    let mut shown = state.clone();
    if let Some((start_day, length_days)) = zoom_and_pan(ui, state, &response, rect, axis_rect) {
        (shown.view_start_day, shown.view_length_days) = (start_day, length_days);
        commands.push(Command::SetTimelineView { start_day, length_days });
    }
    let state = &shown;
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
            ui.label(egui::RichText::new(clip(&event.title, MAX_TITLE_CHARS)).strong());
            ui.label(event.date_in_words());
        });
    }
}

/// The view after this frame's wheel, pinch and pan gestures over the strip: (start, length), or
/// `None` when there were none.
fn zoom_and_pan(
    ui: &egui::Ui,
    state: &TimelineState,
    response: &egui::Response,
    rect: Rect,
    axis_rect: Rect,
) -> Option<(f64, f64)> {
    let ruler = TimeRuler::new(rect.left(), rect.width(), state);
    let (mut start, mut length) = (state.view_start_day, state.view_length_days);
    if response.hovered() {
        let (scroll, zoom, pointer) = ui.input(|i| (i.smooth_scroll_delta, i.zoom_delta(), i.pointer.hover_pos()));
        let anchor = pointer.map_or(state.cursor_day, |p| ruler.day_from_x(p.x));
        if (zoom - 1.0).abs() > 1e-3 {
            (start, length) = state.zoomed_around(anchor, f64::from(zoom));
        } else if scroll.y.abs() > 0.0 {
            (start, length) = state.zoomed_around(anchor, f64::from((scroll.y / 200.0).exp()));
        }
        if scroll.x.abs() > 0.0 {
            start -= f64::from(scroll.x) * ruler.days_per_px;
        }
    }
    // Dragging the axis (or any drag with Shift, or with the middle/secondary button) pans.
    let pans = response.dragged_by(egui::PointerButton::Middle)
        || response.dragged_by(egui::PointerButton::Secondary)
        || (response.dragged_by(egui::PointerButton::Primary)
            && (ui.input(|i| i.modifiers.shift)
                || response.interact_pointer_pos().is_some_and(|p| axis_rect.contains(p))));
    if pans {
        start -= f64::from(response.drag_delta().x) * ruler.days_per_px;
    }
    let changed =
        start.to_bits() != state.view_start_day.to_bits() || length.to_bits() != state.view_length_days.to_bits();
    changed.then_some((start, length))
}

fn draw_histogram(painter: &egui::Painter, ruler: &TimeRuler, rect: Rect, index: &TimeIndex, visuals: &egui::Visuals) {
    let width = bin_width_days(ruler.days_per_px, 5.0);
    #[expect(clippy::cast_possible_truncation, reason = "days fit an i32")]
    let first_visible = ruler.day_from_x(rect.left()).floor() as DayNumber;
    let origin = first_visible - first_visible.rem_euclid(width);
    #[expect(clippy::cast_possible_truncation, clippy::cast_sign_loss, reason = "a small positive count")]
    let bin_count = ((f64::from(rect.width()) * ruler.days_per_px / f64::from(width)).ceil() as usize + 2)
        // Bins are at least 5 points wide: never more than the strip can show, whatever the view says.
        .min(MAX_HISTOGRAM_BINS);
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
        let color = style::event_color(view.dataset, idx, event);
        if event.is_uncertain() {
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
