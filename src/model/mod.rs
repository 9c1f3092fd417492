//! The event data model and its indexes. Knows nothing of egui, eframe or walkers.

pub mod dataset;
pub mod date;
pub mod event;
pub mod filter;
pub mod index;

pub use dataset::{Dataset, RelatedEvent};
pub use date::{DatePrecision, DayNumber, FuzzyDate, TimeSpan};
pub use event::{
    Casualties, Category, Citation, ClaimStatus, CompactString, DateBasis, Event, EventDetails, LocationPrecision,
    LonLat, Place, PlaceKind, Publication, Relation, RelationKind, Source, SourceKind,
};
pub use filter::EventFilter;
pub use index::{EventIdx, TimeIndex};
