//! Readers for the file formats people already have (CSV and TSV with their ACLED and TimeMap
//! presets, KML, …), each turning a file into [`crate::io::records::RawRecord`]s for the one
//! builder to check. Readers keep every value as the file wrote it and report what they cannot
//! read, located; they never parse dates or coordinates, never panic, and know nothing of the UI.

pub mod acled;
pub mod columns;
pub mod csv;
pub mod timemap;
