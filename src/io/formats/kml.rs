//! KML 2.2 (OGC 07-147r2, as Google Earth and QGIS write it) and KMZ archives into raw records:
//! one per `Placemark`, with its name, description (HTML made plain), time (`TimeStamp`,
//! `TimeSpan`, or its folder's), geometry, ExtendedData and folder. Values stay as the file wrote
//! them for the builder to check; this reader only says where each came from. It expands no
//! entity a document declares, trusts no size a KMZ archive declares, and never panics.

use std::path::Path;

use super::kml_reader::read_placemarks;
use super::kmz::kml_in_kmz;
use crate::io::problem::{Location, Problem};
use crate::io::records::{FieldNames, ReadRecords};

/// The format of a KML document, in words.
pub const KML_FORMAT: &str = "KML";
/// The format of a KMZ archive, in words.
pub const KMZ_FORMAT: &str = "KMZ (KML in a zip archive)";

/// Reads a KML document (`text`, the content of `file`) into records. A document that cannot be
/// read at all (not XML, not KML) gives no records and one error saying where; one that breaks
/// off (cut short, malformed further on) keeps the placemarks before the break, with an error.
pub fn read_kml(file: &Path, text: &str) -> ReadRecords {
    let (records, problems) = match read_placemarks(file, text) {
        Ok(read) => read,
        Err(problem) => (Vec::new(), vec![*problem]),
    };
    ReadRecords { format: KML_FORMAT.to_owned(), records, fields: field_names(), problems }
}

/// Reads a KMZ archive (`bytes`, the content of `file`): its `doc.kml` entry, else its first
/// `.kml` entry at any depth. An archive that cannot be read gives no records and one error.
/// Lines in problems are lines of the document inside the archive.
pub fn read_kmz(file: &Path, bytes: &[u8]) -> ReadRecords {
    match kml_in_kmz(bytes) {
        Ok(text) => ReadRecords { format: KMZ_FORMAT.to_owned(), ..read_kml(file, &text) },
        Err(kind) => ReadRecords {
            format: KMZ_FORMAT.to_owned(),
            records: Vec::new(),
            fields: field_names(),
            problems: vec![Problem::error(Location { file: file.to_path_buf(), ..Location::default() }, kind)],
        },
    }
}

/// Where a KML record's parts come from, in KML's own words.
fn field_names() -> FieldNames {
    FieldNames {
        id: Some("id".into()),
        title: Some("name".into()),
        start: Some("TimeStamp/when or TimeSpan/begin".into()),
        end: Some("TimeSpan/end".into()),
        geometry: Some("geometry".into()),
        category: Some("category or Folder".into()),
        ..FieldNames::default()
    }
}

#[cfg(test)]
mod tests {
    use std::io::Write as _;
    use std::time::{Duration, Instant};

    use super::*;
    use crate::io::problem::{ProblemKind, Severity};
    use crate::io::records::{RawGeometry, RawRecord};

    const SAMPLE: &str = include_str!("../../../tests/formats/google-earth.kml");

    fn read(text: &str) -> ReadRecords {
        read_kml(Path::new("test.kml"), text)
    }

    fn by_id<'a>(read: &'a ReadRecords, id: &str) -> &'a RawRecord<'static> {
        read.records.iter().find(|r| r.id.as_deref() == Some(id)).unwrap()
    }

    fn property<'a>(record: &'a RawRecord<'static>, name: &str) -> Option<&'a str> {
        record.properties.iter().find(|(n, _)| n == name).map(|(_, v)| v.as_ref())
    }

    /// A document of `placemarks`, inside a Document.
    fn kml(placemarks: &str) -> String {
        format!(
            "<?xml version=\"1.0\"?>\n<kml xmlns=\"http://www.opengis.net/kml/2.2\"><Document>\n{placemarks}\n</Document></kml>"
        )
    }

    /// The one problem of a document that could not be read (whole, or past a point).
    fn document_error(text: &str) -> Problem {
        let read = read(text);
        assert_eq!(read.problems.len(), 1, "{:?}", read.problems);
        let problem = read.problems[0].clone();
        assert_eq!(problem.severity, Severity::Error);
        problem
    }

    #[test]
    fn the_sample_reads_whole() {
        let read = read(SAMPLE);
        assert!(read.problems.is_empty(), "{:?}", read.problems);
        assert_eq!(read.format, "KML");
        assert_eq!(read.fields.title.as_deref(), Some("name"));
        let ids: Vec<_> = read.records.iter().map(|r| r.id.as_deref().unwrap()).collect();
        assert_eq!(ids, ["pm-year", "pm-month", "pm-day", "pm-utc", "pm-hole", "pm-span", "pm-open"]);
        assert!(read.records.iter().enumerate().all(|(i, r)| r.index == i));
        assert_eq!(by_id(&read, "pm-year").line, Some(20));
        assert_eq!(by_id(&read, "pm-open").line, Some(130));
        assert_eq!(by_id(&read, "pm-year").title.as_deref(), Some("Year-precision point (gYear)"));
    }

    #[test]
    fn the_sample_geometries() {
        let read = read(SAMPLE);
        assert_eq!(by_id(&read, "pm-year").geometry, RawGeometry::Point([18.6671, 44.5384]));
        assert_eq!(by_id(&read, "pm-day").geometry, RawGeometry::Point([17.8150, 43.3373]));
        assert_eq!(
            by_id(&read, "pm-month").geometry,
            RawGeometry::Line(vec![[18.4131, 43.8563], [18.2300, 43.7100], [18.0500, 43.5800], [17.8078, 43.3438]])
        );
        let outer =
            [[20.4550, 44.8120], [20.4720, 44.8120], [20.4720, 44.8230], [20.4550, 44.8230], [20.4550, 44.8120]];
        let hole = [[20.4610, 44.8160], [20.4660, 44.8160], [20.4660, 44.8190], [20.4610, 44.8190], [20.4610, 44.8160]];
        assert_eq!(by_id(&read, "pm-hole").geometry, RawGeometry::Polygon(vec![outer.to_vec(), hole.to_vec()]));
        let RawGeometry::Multi(parts) = &by_id(&read, "pm-span").geometry else { panic!("not a multi-geometry") };
        assert_eq!(parts[0], RawGeometry::Point([18.9763, 43.6679]));
        assert!(matches!(&parts[1], RawGeometry::Line(line) if line.len() == 3));
        assert!(matches!(&parts[2], RawGeometry::Polygon(rings) if rings.len() == 1 && rings[0].len() == 5));
    }

    #[test]
    fn the_sample_times_stay_as_written() {
        let read = read(SAMPLE);
        let times = |id| {
            let record = by_id(&read, id);
            (record.start.as_deref().map(str::to_owned), record.end.as_deref().map(str::to_owned))
        };
        let start = |text: &str| (Some(text.to_owned()), None);
        assert_eq!(times("pm-year"), start("1995"));
        assert_eq!(times("pm-month"), start("2023-07"));
        assert_eq!(times("pm-day"), start("2023-10-07"));
        assert_eq!(times("pm-utc"), start("2023-08-04T05:00:00Z"));
        assert_eq!(times("pm-hole"), start("2023-08-04T07:30:00+02:00"));
        assert_eq!(times("pm-span"), (Some("2023-04-05".into()), Some("2024-02-29".into())));
        assert_eq!(times("pm-open"), start("2024-03"));
    }

    #[test]
    fn the_sample_extended_data_descriptions_and_folders() {
        let read = read(SAMPLE);
        let year = by_id(&read, "pm-year");
        assert_eq!(
            year.properties,
            [("source".into(), "Example archive, box 12".into()), ("confidence".into(), "low".into())]
        );
        assert_eq!(year.category.as_deref(), Some("Points and routes"));
        // SchemaData: `event_type` is the category and is not kept twice.
        let day = by_id(&read, "pm-day");
        assert_eq!(day.category.as_deref(), Some("Protests"));
        assert_eq!(day.properties, [("fatalities".into(), "0".into()), ("verified".into(), "1".into())]);
        assert_eq!(
            day.summary.as_deref(),
            Some(
                "Fictional sample\n\nCrowd of about 200 at the Old Bridge, Mostar; see report 42.\n\nStart: morning\nInjuries: none reported"
            )
        );
        // Both kinds of ExtendedData, in document order.
        let hole = by_id(&read, "pm-hole");
        assert_eq!(property(hole, "cordon_by"), Some("Example police unit"));
        assert_eq!(hole.category.as_deref(), Some("Strategic developments"));
        // The innermost folder.
        assert_eq!(by_id(&read, "pm-utc").category.as_deref(), Some("Nested folder: timed instants"));
        assert_eq!(by_id(&read, "pm-span").category.as_deref(), Some("Areas"));
        assert_eq!(by_id(&read, "pm-utc").summary.as_deref(), Some("Fictional sample: explosion heard at 05:00 UTC."));
    }

    #[test]
    fn times_are_inherited_and_spans_may_be_open_at_either_end() {
        let read = read(&kml("<Folder><name>F</name><TimeSpan><begin>2020</begin><end>2021-06</end></TimeSpan>
               <Placemark><name>inherits</name></Placemark>
               <Placemark><TimeSpan><end>2020-05-01</end></TimeSpan></Placemark>
               <Folder><Placemark><name>deeper</name></Placemark></Folder>
             </Folder>
             <Placemark><name>none</name></Placemark>"));
        assert!(read.problems.is_empty(), "{:?}", read.problems);
        let times: Vec<_> = read.records.iter().map(|r| (r.start.as_deref(), r.end.as_deref())).collect();
        assert_eq!(
            times,
            [
                (Some("2020"), Some("2021-06")),
                (None, Some("2020-05-01")),
                (Some("2020"), Some("2021-06")),
                (None, None)
            ]
        );
        // A folder without a name leaves the category to the named folder around it.
        assert_eq!(read.records[2].category.as_deref(), Some("F"));
        assert_eq!(read.records[3].category, None);
    }

    #[test]
    fn places_categories_and_references() {
        let read = read(&kml(
            "<Placemark id=\"a&amp;b\"><name>Caf&#233; &amp; bar &lt;1&gt; &nbsp;</name><address>Main St 1</address>
               <description>Plain &amp;amp; text</description>
               <ExtendedData><Data name=\"Type\"><value>Riot</value></Data><Data name=\"place\"><value>X</value></Data>
               <Data><displayName>Shown name</displayName><value>v</value></Data></ExtendedData></Placemark>",
        ));
        let record = &read.records[0];
        assert_eq!(record.id.as_deref(), Some("a&b"));
        assert_eq!(record.title.as_deref(), Some("Café & bar <1> &nbsp;"));
        assert_eq!(record.summary.as_deref(), Some("Plain & text"));
        assert_eq!(record.category.as_deref(), Some("Riot"));
        assert_eq!(record.place_name.as_deref(), Some("Main St 1"));
        assert_eq!(record.properties, [("place".into(), "X".into()), ("Shown name".into(), "v".into())]);
    }

    #[test]
    fn bad_coordinates_keep_the_record_and_say_where() {
        let read = read(&kml("<Placemark id=\"ok\"><Point><coordinates>1,2</coordinates></Point></Placemark>
<Placemark id=\"bad\"><name>Kept</name>
  <Point><coordinates>18.4,forty</coordinates></Point>
</Placemark>"));
        assert_eq!(read.records.len(), 2);
        let bad = &read.records[1];
        assert_eq!((bad.title.as_deref(), &bad.geometry), (Some("Kept"), &RawGeometry::None));
        assert_eq!(read.problems.len(), 1, "{:?}", read.problems);
        let problem = &read.problems[0];
        assert_eq!(problem.severity, Severity::Error);
        assert_eq!(problem.location.index, Some(1));
        assert_eq!(problem.location.id.as_deref(), Some("bad"));
        assert_eq!(problem.location.field.as_deref(), Some("coordinates"));
        assert_eq!(problem.location.line, Some(5));
        assert_eq!(bad.line, Some(4));
        assert!(matches!(&problem.kind, ProblemKind::BadCoordinate(m) if m.contains("\"forty\"")), "{problem}");
    }

    #[test]
    fn tracks_are_skipped_with_a_warning() {
        let read = read(&kml("<Placemark><gx:Track><when>2020</when><gx:coord>1 2 3</gx:coord></gx:Track>
             <gx:MultiTrack/></Placemark>"));
        assert_eq!(read.records.len(), 1);
        assert_eq!(read.records[0].start, None);
        assert_eq!(read.problems.len(), 1, "{:?}", read.problems);
        assert_eq!(read.problems[0].severity, Severity::Warning);
        assert!(read.problems[0].to_string().contains("<gx:Track> is not read"), "{}", read.problems[0]);
    }

    #[test]
    fn broken_documents_give_one_located_error() {
        let cut = &SAMPLE[..SAMPLE.find("<Placemark id=\"pm-span\">").unwrap() + 30];
        let problem = document_error(cut);
        assert!(problem.to_string().contains("cut short"), "{problem}");
        // What was read before the cut still loads, and says so.
        let before = read(cut).records.len();
        assert!(before >= 1 && problem.to_string().contains(&format!("the {before} placemark(s) before")), "{problem}");
        let problem = document_error(&SAMPLE[..SAMPLE.find("<Point>").unwrap() + 4]);
        assert!(problem.to_string().contains("not well-formed XML"), "{problem}");
        let problem = document_error("<kml><Document>\n  <Folder></Document></kml>");
        assert_eq!(problem.location.line, Some(2));
        assert!(problem.to_string().contains("line 2, column 11"), "{problem}");
        let problem = document_error("{\"type\": \"FeatureCollection\", \"features\": []}");
        assert!(problem.to_string().contains("not KML"), "{problem}");
        let problem = document_error("\u{0}\u{1}binary\u{FFFD}<<<>>>");
        assert!(problem.to_string().contains("line 1, column 10: it is not KML"), "{problem}");
        let problem = document_error("<?xml version=\"1.0\"?>\n<gpx><wpt/></gpx>");
        assert!(problem.to_string().contains("its root element is <gpx>"), "{problem}");
        assert!(document_error("").to_string().contains("no XML element"));
    }

    #[test]
    fn declared_entities_are_never_expanded() {
        let mut bomb = String::from("<?xml version=\"1.0\"?>\n<!DOCTYPE kml [\n  <!ENTITY lol \"lol\">\n");
        bomb.push_str("  <!ENTITY lol1 \"&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;\">\n");
        for level in 2..=9 {
            let previous = format!("&lol{};", level - 1).repeat(10);
            bomb.push_str(&format!("  <!ENTITY lol{level} \"{previous}\">\n"));
        }
        bomb.push_str("]>\n<kml><Document><Placemark><name>&lol9;</name><description>&lol9;&lol9;</description></Placemark></Document></kml>");
        let started = Instant::now();
        let read = read(&bomb);
        assert!(started.elapsed() < Duration::from_secs(2));
        assert_eq!(read.records[0].title.as_deref(), Some("&lol9;"));
        assert_eq!(read.records[0].summary.as_deref(), Some("&lol9;&lol9;"));
        assert_eq!(read.problems.len(), 1, "{:?}", read.problems);
        assert_eq!(read.problems[0].severity, Severity::Warning);
        assert_eq!(read.problems[0].location.line, Some(2));
        assert!(read.problems[0].to_string().contains("does not expand"), "{}", read.problems[0]);
    }

    #[test]
    fn deep_nesting_is_cut_and_the_rest_reads() {
        let deep = format!("{}{}", "<Folder>".repeat(300), "</Folder>".repeat(300));
        let read = read(&kml(&format!("{deep}<Placemark><name>after</name></Placemark>")));
        assert_eq!(read.records.len(), 1);
        assert_eq!(read.problems.len(), 1, "{:?}", read.problems);
        assert!(read.problems[0].to_string().contains("deeper than 256"), "{}", read.problems[0]);
    }

    #[test]
    fn every_cut_of_the_sample_is_read_without_panicking() {
        for end in (0..SAMPLE.trim_end().len()).filter(|end| SAMPLE.is_char_boundary(*end)) {
            let read = read(&SAMPLE[..end]);
            // Cut anywhere before the root closes: one error, and the placemarks before the cut.
            assert!(read.problems.len() == 1 && read.records.len() <= 8, "cut at {end}: {:?}", read.problems);
        }
        let kmz = zip_of(&[("doc.kml", SAMPLE)]);
        for end in 0..kmz.len() {
            let read = read_kmz(Path::new("cut.kmz"), &kmz[..end]);
            assert!(read.records.is_empty() && read.problems.len() == 1, "cut at {end}");
        }
    }

    fn zip_of(entries: &[(&str, &str)]) -> Vec<u8> {
        let mut writer = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
        let options = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
        for (name, content) in entries {
            writer.start_file(*name, options).unwrap();
            writer.write_all(content.as_bytes()).unwrap();
        }
        writer.finish().unwrap().into_inner()
    }

    #[test]
    fn kmz_round_trip() {
        let kmz = zip_of(&[("files/icon.png", "not really a png"), ("doc.kml", SAMPLE)]);
        let read = read_kmz(Path::new("sample.kmz"), &kmz);
        assert_eq!(read.format, "KMZ (KML in a zip archive)");
        assert!(read.problems.is_empty(), "{:?}", read.problems);
        assert_eq!(read.records, read_kml(Path::new("sample.kmz"), SAMPLE).records);
        assert_eq!(read.records.len(), 7);
    }

    #[test]
    fn a_zip_that_is_no_kmz_is_refused() {
        for (bytes, says) in [
            (SAMPLE.as_bytes().to_vec(), "not a KMZ (zip) archive"),
            (zip_of(&[("readme.txt", "hello")]), "no .kml document"),
            (zip_of(&[("doc.kml", "<html></html>")]), "not KML"),
        ] {
            let read = read_kmz(Path::new("x.kmz"), &bytes);
            assert!(read.records.is_empty());
            assert_eq!(read.problems.len(), 1, "{:?}", read.problems);
            assert_eq!(read.problems[0].location.file, Path::new("x.kmz"));
            assert!(read.problems[0].to_string().contains(says), "{}", read.problems[0]);
        }
    }
}
