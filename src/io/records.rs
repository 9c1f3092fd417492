//! The seam between file formats and events: every reader (CSV and its ACLED and TimeMap presets,
//! KML/KMZ, GeoJSON with any property names) turns its file into [`RawRecord`]s — one per row,
//! placemark or feature, its fields still text as the file wrote them — and one builder
//! (`io::build`) checks them and makes events, with problems that name the file, the record and
//! the file's own field name.

/// A geometry as a file gives it, in longitude/latitude degrees (WGS 84), not yet checked.
#[derive(Clone, Debug, Default, PartialEq)]
pub enum RawGeometry {
    /// No place.
    #[default]
    None,
    /// A point.
    Point([f64; 2]),
    /// Latitude and longitude as text, from two columns (CSV): checked by the builder, which names the columns.
    LatLonText {
        /// The latitude's text.
        lat: String,
        /// The longitude's text.
        lon: String,
    },
    /// A line.
    Line(Vec<[f64; 2]>),
    /// An area: an outer ring, then holes.
    Polygon(Vec<Vec<[f64; 2]>>),
    /// Several geometries of one record.
    Multi(Vec<RawGeometry>),
}

/// How precise a record says its date is, when it says so apart from the date itself (ACLED's
/// `time_precision`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DatePrecisionHint {
    /// The day is known.
    Day,
    /// Only the week (or a few days) is known; the date is its middle.
    Week,
    /// Only the month is known; the date is in it.
    Month,
}

/// How precise a record says its place is (ACLED's `geo_precision`, a place type).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PlacePrecisionHint {
    /// The town or site itself.
    Exact,
    /// Near a town, or a small area coded to one.
    Near,
    /// A larger region, coded to a representative point.
    Region,
}

/// One record of a file, before checking. Text fields are as the file wrote them.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct RawRecord {
    /// 0-based number of the record in its file (row, placemark or feature), for problems.
    pub index: usize,
    /// 1-based line where it starts, when known.
    pub line: Option<usize>,
    /// Its id; the builder makes one (`#<index>`) when there is none.
    pub id: Option<String>,
    /// Its title; the builder falls back to the summary's start, the category or the id.
    pub title: Option<String>,
    /// Start date (or an interval `a/b`), in any form the date parser reads.
    pub start: Option<String>,
    /// End date.
    pub end: Option<String>,
    /// A time of day given apart from the date (`14:30`).
    pub time: Option<String>,
    /// How precise the date is, when the file says so apart from the date.
    pub date_precision: Option<DatePrecisionHint>,
    /// Where it happened.
    pub geometry: RawGeometry,
    /// How precise the place is, when the file says so.
    pub place_precision: Option<PlacePrecisionHint>,
    /// The place's name as the file gives it.
    pub place_name: Option<String>,
    /// Its category as the file names it (kept as written).
    pub category: Option<String>,
    /// A longer description.
    pub summary: Option<String>,
    /// Who or what reports it, as free text (ACLED's `source`, TimeMap's sources).
    pub reported_by: Option<String>,
    /// Every other field, in file order: (the file's field name, its text). Compact strings: most
    /// names and values are short, and stay inline without an allocation.
    pub properties: Vec<(crate::model::CompactString, crate::model::CompactString)>,
}

/// The file's own names for the fields a record's parts came from, so a problem can say "field
/// `event_date`" rather than "start".
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct FieldNames {
    /// The id's field.
    pub id: Option<String>,
    /// The title's field.
    pub title: Option<String>,
    /// The start date's field.
    pub start: Option<String>,
    /// The end date's field.
    pub end: Option<String>,
    /// The time's field.
    pub time: Option<String>,
    /// The latitude's field.
    pub lat: Option<String>,
    /// The longitude's field.
    pub lon: Option<String>,
    /// The geometry's field (KML, GeoJSON).
    pub geometry: Option<String>,
    /// The category's field.
    pub category: Option<String>,
}

/// What a reader made of a file: its format in words, its records, the names of their fields,
/// and the problems it found on the way (each located).
#[derive(Clone, Debug, Default)]
pub struct ReadRecords {
    /// "ACLED export (CSV)", "TimeMap sheet (CSV)", "KML", …, for the status line and `kronika check`.
    pub format: String,
    /// The records, in file order.
    pub records: Vec<RawRecord>,
    /// Where each part of a record came from.
    pub fields: FieldNames,
    /// Problems met while reading (rows that could not be read at all, and the like).
    pub problems: Vec<super::problem::Problem>,
}
