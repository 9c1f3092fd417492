//! Fuzzes the event loader: any bytes, as a file would give them, must give events or located
//! problems — never a panic, a hang or a stack overflow.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|bytes: &[u8]| {
    let text = match kronika::io::text_from_bytes(bytes.to_vec()) {
        Ok(text) => text,
        Err(_) => return,
    };
    for mode in [kronika::io::EventFileMode::Plain, kronika::io::EventFileMode::Dataset] {
        let mut problems = Vec::new();
        let events = kronika::io::parse_events(std::path::Path::new("fuzz.geojson"), &text, mode, &mut problems);
        // Every event that loaded has a valid span and, if placed, valid coordinates.
        for event in &events {
            assert!(event.span.first_day() <= event.span.last_day());
            if let Some(point) = event.lon_lat {
                assert!(point.lon.is_finite() && point.lat.is_finite());
            }
            let _ = event.date_in_words();
        }
        for problem in &problems {
            let _ = problem.to_string();
        }
    }
});
