//! The event data model and its indexes. Knows nothing of egui, eframe or walkers.
//!
//! - [`event`], [`place`], [`source`], [`date`]: events, places, sources and honest dates.
//! - [`dataset`]: a loaded dataset and its lookups; [`index`]: the time index.
//! - [`filter`], [`search`], [`visible`]: what the user narrowed the events to, and what is "now".
//! - [`geo`]: Web Mercator and screen↔world transforms; [`playback`]: stepping and playing.
//! - [`text`]: clipping and escaping text for display and terminals.

pub mod cite;
pub mod dataset;
pub mod date;
pub mod event;
pub mod filter;
pub mod geo;
pub mod index;
pub mod place;
pub mod playback;
pub mod search;
pub mod source;
pub mod text;
pub mod visible;

pub use dataset::{Dataset, DatasetFacts, HomeView, RelatedEvent};
pub use date::{DatePrecision, DayNumber, FuzzyDate, TimeSpan};
pub use event::{
    Casualties, Category, Citation, ClaimStatus, CompactString, DateBasis, Event, EventDetails, LocationPrecision,
    LonLat, PlaceKind, Relation, RelationKind, SourceKind,
};
pub use filter::EventFilter;
pub use geo::{ScreenFromWorld, WorldBounds, WorldPoint};
pub use index::{Era, EventIdx, TimeIndex};
pub use place::Place;
pub use source::{Publication, Source};
pub use visible::{MarkerTraits, NowWindow, VisibleEvents};
