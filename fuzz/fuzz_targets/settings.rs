//! Fuzzes the view settings reader: any text gives a view whose values the app can draw, or an
//! error — never a panic.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|text: &str| {
    if let Ok(view) = kronika::app::restore_view(text) {
        let (view, _) = view.sanitized();
        let timeline = &view.timeline;
        assert!(timeline.view_length_days.is_finite() && timeline.view_length_days > 0.0);
        assert!(timeline.cursor_day.is_finite() && timeline.window_days >= 1.0);
        let (from, to) = timeline.now_range();
        assert!(from <= to);
        assert!((0.0..=20.0).contains(&view.map_zoom));
        let _ = serde_json::to_string(&view);
    }
});
