//! Kronika: explore events on a map and a timeline, each traced to the source passages that report it.
//!
//! - [`model`]: events, places, sources, dates and the time index (no UI).
//! - [`io`]: loading and validating datasets, with located problems (no UI).
//! - [`check`]: the `kronika check` report.
//! - [`synth`]: deterministic synthetic datasets; [`bench`]: the headless `kronika bench`.
//! - [`app`] and [`ui`]: the egui explorer; [`tiles`]: online tiles that never stall it.

pub mod app;
pub mod archive;
pub mod bench;
pub mod check;
pub mod io;
pub mod model;
pub mod parallel;
pub mod synth;
pub mod tiles;
pub mod ui;

pub use app::KronikaApp;
