//! Readers for the files users already have, one per format, each turning its file into
//! [`RawRecord`](crate::io::records::RawRecord)s with located problems and leaving every check
//! of the values to the one builder. A reader never writes, never follows links out of its file,
//! and never panics on any input.
//!
//! - [`kml`]: KML 2.2 (Google Earth, QGIS) and KMZ archives; its parts are `kml_reader` (the
//!   streaming pass), `kml_placemark` (a placemark into a record), `kml_geometry`, `kml_text`
//!   (references and HTML descriptions) and `kmz` (the archive, within limits).

pub mod kml;
mod kml_geometry;
mod kml_placemark;
mod kml_reader;
mod kml_text;
mod kmz;
