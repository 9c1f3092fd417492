//! Readers for the files people already have, one per format, each turning its file into
//! [`RawRecord`](crate::io::records::RawRecord)s with located problems and leaving every check of
//! the values (dates, coordinates) to the one builder. A reader keeps every value as the file
//! wrote it, never writes, never follows links out of its file, never panics, and knows nothing
//! of the UI.
//!
//! - [`csv`]: CSV and TSV, with [`columns`] (name guessing, `--columns` overrides) and the
//!   [`acled`] and [`timemap`] presets;
//! - [`geojson_any`]: GeoJSON whose properties another tool named (and Linked Places' `when`);
//!   `geojson_direct` reads its usual features directly, `geojson_feature` any feature with serde;
//! - [`kml`]: KML 2.2 (Google Earth, QGIS) and KMZ archives; its parts are `kml_reader` (the
//!   streaming pass), `kml_placemark` (a placemark into a record), `kml_geometry`, `kml_text`
//!   (references and HTML descriptions) and `kmz` (the archive, within limits).

pub mod acled;
pub mod columns;
pub mod csv;
pub mod csv_blocks;
mod csv_parts;
mod csv_rows;
pub mod geojson_any;
pub mod geojson_any_blocks;
mod geojson_direct;
mod geojson_feature;
pub mod kml;
mod kml_geometry;
mod kml_placemark;
mod kml_reader;
mod kml_text;
mod kmz;
pub mod timemap;

pub use self::kml_text::text_from_html;
