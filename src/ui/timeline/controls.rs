//! The row above the strip: step and play, speed, fit and era buttons, cumulative or window, and
//! the range that is "now" in words.

use chrono::Datelike as _;

use super::state::{MAX_WINDOW_DAYS, TimelineState};
use crate::model::date::date_from_day_number;
use crate::model::playback::StepDirection;
use crate::model::{DayNumber, Era};
use crate::ui::command::Command;
use crate::ui::widgets::name_widget;

/// Shows the controls; returns what the user asked for.
pub fn controls_ui(
    ui: &mut egui::Ui,
    state: &TimelineState,
    eras: &[Era],
    undated: usize,
    commands: &mut Vec<Command>,
) {
    ui.horizontal_wrapped(|ui| {
        if ui.button("⏮").on_hover_text("Previous event (left arrow key)").clicked() {
            commands.push(Command::Step(StepDirection::Previous));
        }
        let play_label = if state.playing { "⏸ Pause" } else { "▶ Play" };
        if ui.button(play_label).on_hover_text("Play or pause (Space)").clicked() {
            commands.push(Command::TogglePlay);
        }
        if ui.button("⏭").on_hover_text("Next event (right arrow key)").clicked() {
            commands.push(Command::Step(StepDirection::Next));
        }
        let mut speed = state.speed_days_per_sec;
        let speed_box = egui::ComboBox::from_id_salt("speed")
            .width(110.0)
            .selected_text(speed_label(speed))
            .show_ui(ui, |ui| {
                for option in [1.0, 7.0, 30.0, 120.0, 365.0] {
                    ui.selectable_value(&mut speed, option, speed_label(option));
                }
            })
            .response
            .on_hover_text("Playback speed");
        name_widget(&speed_box, egui::Role::ComboBox, "Playback speed");
        if speed.to_bits() != state.speed_days_per_sec.to_bits() {
            commands.push(Command::SetPlaybackSpeed(speed));
        }
        ui.separator();
        if ui.button("Fit all").on_hover_text("Show the whole time range").clicked() {
            commands.push(Command::FitAll);
        }
        // Jumps between the eras of the data, so nobody drags across empty decades.
        for era in eras {
            let label = era_label(era.first_start, era.last_start);
            if ui.button(&label).on_hover_text(format!("Show {label}: {} event(s)", era.count)).clicked() {
                commands.push(Command::ShowRange(era.first_start, era.last_start));
            }
        }
        if undated > 0 {
            ui.label(egui::RichText::new(format!("+ {undated} undated")).weak()).on_hover_text(
                "Mentioned without a date: not on the timeline, never \"now\"; listed under Undated beside the map",
            );
        }
        ui.separator();
        let mut cumulative = state.cumulative;
        if ui
            .checkbox(&mut cumulative, "Cumulative")
            .on_hover_text("Show every event up to the cursor, not only those in the window")
            .changed()
        {
            commands.push(Command::SetCumulative(cumulative));
        }
        ui.add_enabled_ui(!state.cumulative, |ui| {
            ui.label("Window:");
            let mut window_days = state.window_days;
            let window = egui::ComboBox::from_id_salt("window")
                .width(90.0)
                .selected_text(window_label(window_days))
                .show_ui(ui, |ui| {
                    for days in [1.0, 7.0, 30.0, 91.0, 365.0, 3652.0] {
                        ui.selectable_value(&mut window_days, days, window_label(days));
                    }
                });
            name_widget(&window.response, egui::Role::ComboBox, "Window width");
            ui.add(egui::DragValue::new(&mut window_days).range(1.0..=MAX_WINDOW_DAYS).speed(1.0).suffix(" d"))
                .on_hover_text("Window width in days");
            if window_days.to_bits() != state.window_days.to_bits() {
                commands.push(Command::SetWindowDays(window_days));
            }
        });
        ui.separator();
        // Moves to the next row whole rather than wrapping mid-phrase in a narrow window.
        ui.add(
            egui::Label::new(egui::RichText::new(now_in_words(state)).strong()).wrap_mode(egui::TextWrapMode::Extend),
        )
        .on_hover_text("The events in this range are shown on the map and in the list");
    });
}

/// "Up to 24 September 2023", or "25 Aug 2023 – 24 Sep 2023".
pub fn now_in_words(state: &TimelineState) -> String {
    let (from, to) = state.now_range();
    if state.cumulative {
        format!("Up to {}", date_from_day_number(to).format("%-d %B %Y"))
    } else {
        format!("{} – {}", date_from_day_number(from).format("%-d %b %Y"), date_from_day_number(to).format("%-d %b %Y"))
    }
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
