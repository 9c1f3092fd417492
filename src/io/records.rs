//! The seam between file formats and events: every reader (CSV and its ACLED and TimeMap presets,
//! KML/KMZ, GeoJSON with any property names) turns its file into [`RawRecord`]s — one per row,
//! placemark or feature, its fields still text as the file wrote them — and one builder
//! (`io::build`) checks them and makes events, with problems that name the file, the record and
//! the file's own field name. A record's text is lent from the reader's buffer when it can be
//! (a CSV row's fields), so that a million rows do not each allocate a dozen strings on their way
//! to the builder; a record kept beyond its row is made to own its text ([`RawRecord::into_owned`]).

use std::borrow::Cow;

/// A geometry as a file gives it, in longitude/latitude degrees (WGS 84), not yet checked.
#[derive(Clone, Debug, Default, PartialEq)]
pub enum RawGeometry<'a> {
    /// No place.
    #[default]
    None,
    /// A point.
    Point([f64; 2]),
    /// Latitude and longitude as text, from two columns (CSV): checked by the builder, which names the columns.
    LatLonText {
        /// The latitude's text.
        lat: Cow<'a, str>,
        /// The longitude's text.
        lon: Cow<'a, str>,
    },
    /// A line.
    Line(Vec<[f64; 2]>),
    /// An area: an outer ring, then holes.
    Polygon(Vec<Vec<[f64; 2]>>),
    /// Several geometries of one record.
    Multi(Vec<RawGeometry<'a>>),
}

impl RawGeometry<'_> {
    /// The same geometry, owning its text.
    #[must_use]
    pub fn into_owned(self) -> RawGeometry<'static> {
        match self {
            Self::None => RawGeometry::None,
            Self::Point(point) => RawGeometry::Point(point),
            Self::LatLonText { lat, lon } => {
                RawGeometry::LatLonText { lat: Cow::Owned(lat.into_owned()), lon: Cow::Owned(lon.into_owned()) }
            }
            Self::Line(line) => RawGeometry::Line(line),
            Self::Polygon(rings) => RawGeometry::Polygon(rings),
            Self::Multi(parts) => RawGeometry::Multi(parts.into_iter().map(RawGeometry::into_owned).collect()),
        }
    }
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
pub struct RawRecord<'a> {
    /// 0-based number of the record in its file (row, placemark or feature), for problems.
    pub index: usize,
    /// 1-based line where it starts, when known.
    pub line: Option<usize>,
    /// Its id; the builder makes one (`#<index>`) when there is none.
    pub id: Option<Cow<'a, str>>,
    /// Its title; the builder falls back to the summary's start, the category or the id.
    pub title: Option<Cow<'a, str>>,
    /// Start date (or an interval `a/b`), in any form the date parser reads.
    pub start: Option<Cow<'a, str>>,
    /// End date.
    pub end: Option<Cow<'a, str>>,
    /// A time of day given apart from the date (`14:30`).
    pub time: Option<Cow<'a, str>>,
    /// How precise the date is, when the file says so apart from the date.
    pub date_precision: Option<DatePrecisionHint>,
    /// Where it happened.
    pub geometry: RawGeometry<'a>,
    /// How precise the place is, when the file says so.
    pub place_precision: Option<PlacePrecisionHint>,
    /// The place's name as the file gives it.
    pub place_name: Option<Cow<'a, str>>,
    /// Its category as the file names it (kept as written).
    pub category: Option<Cow<'a, str>>,
    /// A longer description.
    pub summary: Option<Cow<'a, str>>,
    /// Who or what reports it, as free text (ACLED's `source`, TimeMap's sources).
    pub reported_by: Option<Cow<'a, str>>,
    /// Every other field, in file order: (the file's field name, its text).
    pub properties: RawFields<'a>,
}

/// Fields of a record: (the file's field name, its text), in file order.
pub type RawFields<'a> = Vec<(Cow<'a, str>, Cow<'a, str>)>;

impl RawRecord<'_> {
    /// The same record, owning its text: to keep it beyond the reader's buffer.
    #[must_use]
    pub fn into_owned(self) -> RawRecord<'static> {
        let owned = |text: Option<Cow<'_, str>>| text.map(|text| Cow::Owned(text.into_owned()));
        RawRecord {
            index: self.index,
            line: self.line,
            id: owned(self.id),
            title: owned(self.title),
            start: owned(self.start),
            end: owned(self.end),
            time: owned(self.time),
            date_precision: self.date_precision,
            geometry: self.geometry.into_owned(),
            place_precision: self.place_precision,
            place_name: owned(self.place_name),
            category: owned(self.category),
            summary: owned(self.summary),
            reported_by: owned(self.reported_by),
            properties: self
                .properties
                .into_iter()
                .map(|(name, value)| (Cow::Owned(name.into_owned()), Cow::Owned(value.into_owned())))
                .collect(),
        }
    }
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
    pub records: Vec<RawRecord<'static>>,
    /// Where each part of a record came from.
    pub fields: FieldNames,
    /// Problems met while reading (rows that could not be read at all, and the like).
    pub problems: Vec<super::problem::Problem>,
}
