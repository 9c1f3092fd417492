//! Kronika: explore events on a map and a timeline, each traced to the source passages that report it.
//!
//! - [`model`]: events, places, sources, dates, indexes, what is visible (no UI).
//! - [`io`]: loading and validating datasets, with located problems; safe writes (no UI).
//! - [`tiles`]: online tiles that never stall the map, and local archives.
//! - [`ui`]: the panels, drawing from read-only state and returning [`ui::Command`]s.
//! - [`app`]: the eframe app, the one place commands are applied.
//! - [`cli`]: the `kronika` command and its subcommands.
//! - [`parallel`]: data parallelism with one panic policy.
//!
//! See `docs/ARCHITECTURE.md` for the data flow from file to pixels.

pub mod app;
pub mod cli;
pub mod io;
pub mod model;
pub mod parallel;
pub mod tiles;
pub mod ui;

pub use app::KronikaApp;
