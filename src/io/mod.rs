//! Reading datasets: a Kronika dataset directory or a plain GeoJSON file. Every problem is reported
//! with its file, feature index, id and field; what is valid still loads. Knows nothing of egui.
//!
//! - [`dataset`]: loading a directory or a file into a [`LoadReport`];
//! - [`events`]: the events file, on all cores; [`places`], [`sources`]: the gazetteer and sources;
//!   [`incidents`]: accounts grouped as one happening; [`stories`]: steps through the data;
//! - [`records`]: the seam between file formats and events; [`formats`]: the readers of CSV/TSV
//!   (ACLED, TimeMap) and KML/KMZ into records;
//! - [`references`]: checking what events refer to; [`fields`]: dates and coordinates;
//! - [`export`]: events written as GeoJSON, CSV or KML;
//! - [`problem`]: located problems; [`text`]: reading files within limits; [`atomic`]: safe writes;
//! - [`folders`]: the platform's settings and cache folders.

mod atomic;
pub mod build;
pub mod clickhouse;
mod dataset;
mod events;
pub mod export;
mod fields;
mod folders;
pub mod formats;
mod incidents;
mod open;
mod places;
mod problem;
pub mod records;
mod references;
mod sources;
pub mod stories;
mod summary_check;
mod text;
pub mod workspace;

pub use self::atomic::{write_atomically, write_atomically_with};
pub use self::dataset::{
    EVENTS_FILE, INCIDENTS_FILE, LoadReport, MANIFEST_FILE, PLACES_FILE, SOURCES_FILE, STORIES_FILE, load, load_edited,
    load_many, load_with,
};
pub use self::events::{EventFileMode, ParsedEvents, parse_events, parse_events_indexed};
pub use self::fields::{check_lon_lat, parse_span};
pub use self::folders::{cache_dir, config_dir, recovery_dir};
pub use self::open::{Format, LoadOptions, detect, preview_columns};
pub use self::problem::{Location, Problem, ProblemKind, Severity};
pub use self::references::locate_quote;
pub use self::sources::{confined_path, sha256_hex};
pub use self::text::{
    LineIndex, MAX_DATASET_BYTES, MAX_FILE_BYTES, OpenedFile, ReadBudget, open_regular, read_text, read_text_within,
    text_from_bytes,
};
