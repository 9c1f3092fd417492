//! Fuzzes the date parser: any text gives a date whose span and words are consistent, or an error.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|text: &str| {
    if let Ok(date) = kronika::model::FuzzyDate::parse(text) {
        assert!(date.first_day <= date.last_day());
        assert_eq!(kronika::model::FuzzyDate::parse(&date.to_string()), Ok(date), "{text:?}");
        let _ = date.in_words();
    }
});
