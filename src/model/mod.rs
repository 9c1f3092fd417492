//! The event data model and its indexes. Knows nothing of egui, eframe or walkers.
//!
//! - [`event`], [`place`], [`source`], [`date`]: events, places, sources and honest dates;
//!   [`when`]: dates as other tools write them.
//! - [`dataset`]: a loaded dataset and its lookups; [`index`]: the time index; [`incident`]: accounts
//!   grouped as one happening.
//! - [`filter`], [`search`], [`visible`]: what the user narrowed the events to, and what is "now".
//! - [`geo`]: Web Mercator and screen↔world transforms; [`playback`]: stepping and playing.
//! - [`category`], [`colouring`]: the data's categories and the legend, or colours by any field.
//! - [`view_link`]: a view as text to copy and open again; [`story`]: steps through the data.
//! - [`text`]: clipping and escaping text for display and terminals; [`shared_text`]: titles kept
//!   without an allocation each.

pub mod category;
pub mod cite;
pub mod colouring;
pub mod dataset;
pub mod date;
pub mod day_sort;
pub mod edit;
pub mod event;
pub mod filter;
pub mod geo;
pub mod hash_sort;
pub mod incident;
pub mod index;
pub mod narrow_ids;
pub mod place;
pub mod playback;
pub mod properties;
pub mod search;
pub mod shape;
pub mod shared_text;
pub mod source;
pub mod store;
pub mod story;
pub mod text;
pub mod view_link;
pub mod visible;
pub mod when;

pub use category::{Categories, CategoryId};
pub use dataset::{Dataset, DatasetFacts, HomeView, RelatedEvent};
pub use date::{DatePrecision, DayNumber, FuzzyDate, SpanQualifiers, TimeOfDay, TimeSpan};
pub use event::{
    Casualties, Category, Citation, ClaimStatus, CompactString, DateBasis, Event, EventDetails, LocationPrecision,
    LonLat, PlaceKind, Relation, RelationKind, SourceKind,
};
pub use filter::EventFilter;
pub use geo::{PackedPoint, ScreenFromWorld, WorldBounds, WorldPoint};
pub use index::{Era, EventIdx, TimeIndex};
pub use place::Place;
pub use properties::Properties;
pub use shape::Shape;
pub use shared_text::SharedText;
pub use source::{Publication, Source};
pub use visible::{MapColumns, MarkerTraits, NowWindow, VisibleEvents};
