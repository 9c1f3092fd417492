//! Gazetteer entries: the places events happen at, with their names in every language.

use std::collections::BTreeMap;

use super::event::{LonLat, PlaceKind};

/// A gazetteer entry.
#[derive(Clone, Debug, PartialEq)]
pub struct Place {
    /// Stable id.
    pub id: String,
    /// Display name.
    pub name: String,
    /// Other names by language code (`sq`, `sr`, `sr_cyrl`, `en`), sorted.
    pub names: BTreeMap<String, String>,
    /// Where it is.
    pub lon_lat: LonLat,
    /// What it is.
    pub kind: PlaceKind,
    /// The municipality it belongs to.
    pub municipality: Option<String>,
    /// Where the coordinates come from.
    pub coordinate_source: Option<String>,
    /// Ambiguity and how it was resolved.
    pub note: Option<String>,
}
