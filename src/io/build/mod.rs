//! Records from any reader become events ([`builder`]), one by one or, for a large file read in
//! blocks, in parts built on all cores and joined in file order ([`streaming`]).

mod builder;
mod exported;
mod place;
mod span;
mod streaming;

pub use self::builder::{BuiltEvents, PLACE_FIELD, SUMMARY_FIELD, build_events};
pub use self::place::place_of_geometry;
#[cfg(test)]
pub use self::streaming::assert_built_alike;
pub use self::streaming::{PartBuild, RecordSink, StreamingBuild};
