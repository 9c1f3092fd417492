//! Exploring events that live in a store (ClickHouse, or any [`EventStore`]): the map of cells,
//! the timeline of bins, the list of the view's events and one event's details, all drawn from
//! answers the app keeps — a panel never waits for the store.
//!
//! [`EventStore`]: crate::model::store::EventStore

pub mod list;
pub mod map;
pub mod timeline;

use crate::model::DayNumber;
use crate::model::geo::WorldBounds;

/// What the store explorer's panels ask for.
#[derive(Clone, Debug)]
pub enum StoreCommand {
    /// The map's memory after the user panned or zoomed.
    MapMoved(Box<walkers::MapMemory>),
    /// What the map showed this frame: its bounds and zoom.
    Viewport {
        /// The bounds, in world units.
        bounds: WorldBounds,
        /// The zoom.
        zoom: f64,
    },
    /// Zoom the map in on a point (a clicked cell).
    ZoomIn {
        /// Longitude.
        lon: f64,
        /// Latitude.
        lat: f64,
    },
    /// Move the timeline's cursor to a day.
    SetCursor(f64),
    /// Show a window of this many days up to the cursor.
    SetWindowDays(i32),
    /// Start or stop playing.
    TogglePlay,
    /// Search for these words (empty: the view's events again).
    Search(String),
    /// Show one event's details.
    Select {
        /// Its id.
        id: String,
        /// Its start day, when the list knows it.
        start_day: Option<DayNumber>,
    },
    /// Close the details.
    CloseDetails,
}

/// Windows offered, in days, with their names.
pub const WINDOWS: [(i32, &str); 5] =
    [(7, "1 week"), (30, "30 days"), (365, "1 year"), (3653, "10 years"), (0, "all time")];

/// A day as a date in words ("24 Sep 2023").
pub fn day_text(day: DayNumber) -> String {
    crate::model::date::date_from_day_number(day).format("%-d %b %Y").to_string()
}
