//! Writing events out: GeoJSON in Kronika's own properties (read back with nothing lost), CSV (one
//! row per event: ISO dates with their precision, coordinates, category, place, claim status,
//! the citations) and KML (placemarks with `TimeStamp`/`TimeSpan` at the date's precision, a
//! style per category, the citations in the description). Every file is written atomically: an
//! existing file is replaced whole or not at all.

use std::fmt::Write as _;
use std::io::{self, Write};
use std::path::Path;

use serde_json::{Map, Value, json};

use crate::model::category::Scheme;
use crate::model::date::DatePrecision;
use crate::model::{Dataset, Event, EventIdx, LonLat, Shape};

/// The formats events can be written in.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum ExportFormat {
    /// GeoJSON with Kronika's properties.
    Geojson,
    /// CSV, one row per event.
    Csv,
    /// KML for Google Earth and QGIS.
    Kml,
}

impl ExportFormat {
    /// Every format.
    pub const ALL: [Self; 3] = [Self::Geojson, Self::Csv, Self::Kml];

    /// The file extension.
    pub fn extension(self) -> &'static str {
        match self {
            Self::Geojson => "geojson",
            Self::Csv => "csv",
            Self::Kml => "kml",
        }
    }

    /// The name for people.
    pub fn label(self) -> &'static str {
        match self {
            Self::Geojson => "GeoJSON (Kronika, loads again with nothing lost)",
            Self::Csv => "CSV (a spreadsheet row per event)",
            Self::Kml => "KML (Google Earth, QGIS)",
        }
    }
}

/// The colour (red, green, blue) of a legend slot: the UI's palette, given by the caller so that
/// reading and writing files knows nothing of it.
pub type Palette<'a> = &'a dyn Fn(Scheme, u8) -> [u8; 3];

/// Writes `events` of `dataset` to `path` in `format`, atomically; KML styles use `palette`.
///
/// # Errors
/// What writing failed with; the file at `path` is then untouched.
pub fn export_events(
    dataset: &Dataset,
    events: &[EventIdx],
    format: ExportFormat,
    palette: Palette<'_>,
    path: &Path,
) -> io::Result<()> {
    super::atomic::write_atomically_with(path, |out| {
        let mut out = io::BufWriter::new(out);
        match format {
            ExportFormat::Geojson => write_geojson(dataset, events, &mut out),
            ExportFormat::Csv => write_csv(dataset, events, &mut out),
            ExportFormat::Kml => write_kml(dataset, events, palette, &mut out),
        }?;
        out.flush()
    })
}

/// One event as a GeoJSON feature with Kronika's properties and every other field.
pub fn feature(dataset: &Dataset, idx: EventIdx, event: &Event) -> Value {
    let details = event.details();
    let mut properties = Map::new();
    let mut put = |key: &str, value: Value| {
        if !value.is_null() {
            properties.insert(key.to_owned(), value);
        }
    };
    put("title", json!(event.title.as_str()));
    put("start", json!(event.span.start.to_string()));
    if event.span.end != event.span.start {
        put("end", json!(event.span.end.to_string()));
    }
    if event.span.approximate {
        put("approximate", json!(true));
    }
    if event.span.undated() {
        put("undated", json!(true));
    }
    if event.span.open_end() {
        put("ongoing", json!(true));
    }
    put("summary", json!(dataset.summary(idx, event)));
    put("date_label", json!(details.date_label));
    put("date_basis", json!(details.date_basis.map(crate::model::DateBasis::key)));
    put("date_note", json!(details.date_note));
    put("place", json!(details.place_id));
    if !details.further_places.is_empty() {
        put("places", json!(details.further_places));
    }
    put("location_precision", json!(event.location_precision.key()));
    let category = dataset.categories.key(event.category);
    if !category.is_empty() {
        put("category", json!(category));
    }
    if !details.actors.is_empty() {
        put("actors", json!(details.actors));
    }
    if let Some(c) = &details.casualties {
        put("casualties", json!({"killed": c.killed, "wounded": c.wounded, "detained": c.detained, "note": c.note}));
    }
    put("claim_status", json!(event.claim_status.key()));
    if !details.relations.is_empty() {
        let relations: Vec<Value> = details
            .relations
            .iter()
            .map(|r| json!({"type": r.kind.key(), "event": r.event_id, "note": r.note}))
            .collect();
        put("relations", Value::Array(relations));
    }
    if !details.citations.is_empty() {
        let citations: Vec<Value> = details
            .citations
            .iter()
            .map(|c| match c.char_range {
                Some((start, end)) => json!({"source": c.source_id, "quote": c.quote, "range": [start, end]}),
                None => json!({"source": c.source_id, "quote": c.quote}),
            })
            .collect();
        put("citations", Value::Array(citations));
    }
    for (key, value) in dataset.properties.of(idx) {
        if !properties.contains_key(key) {
            properties.insert(key.to_owned(), json!(value));
        }
    }
    // Properties with `null` were skipped above; casualties keep their nulls, which read back as none.
    json!({
        "type": "Feature",
        "id": event.id.as_str(),
        "geometry": geometry(event),
        "properties": properties,
    })
}

/// The event's geometry: its shape when it has lines or areas, else its point.
fn geometry(event: &Event) -> Value {
    let position = |p: &LonLat| json!([p.lon, p.lat]);
    let Some(shape) = event.details().shape.as_deref().filter(|s| !s.lines.is_empty() || !s.areas.is_empty()) else {
        return event.lon_lat.map_or(Value::Null, |p| json!({"type": "Point", "coordinates": position(&p)}));
    };
    let Shape { lines, areas, points } = shape;
    let mut parts: Vec<Value> = Vec::new();
    parts.extend(
        lines.iter().map(|l| json!({"type": "LineString", "coordinates": l.iter().map(position).collect::<Vec<_>>()})),
    );
    parts.extend(areas.iter().map(|a| {
        let rings: Vec<Vec<Value>> = a.iter().map(|ring| ring.iter().map(position).collect()).collect();
        json!({"type": "Polygon", "coordinates": rings})
    }));
    parts.extend(points.iter().map(|p| json!({"type": "Point", "coordinates": position(p)})));
    match parts.len() {
        1 => parts.pop().unwrap_or(Value::Null),
        _ => json!({"type": "GeometryCollection", "geometries": parts}),
    }
}

fn write_geojson(dataset: &Dataset, events: &[EventIdx], out: &mut impl Write) -> io::Result<()> {
    out.write_all(b"{\"type\":\"FeatureCollection\",\"features\":[\n")?;
    for (n, &idx) in events.iter().enumerate() {
        let Some(event) = dataset.event(idx) else { continue };
        if n > 0 {
            out.write_all(b",\n")?;
        }
        serde_json::to_writer(&mut *out, &feature(dataset, idx, event))?;
    }
    out.write_all(b"\n]}\n")
}

/// The CSV columns before the other fields.
const CSV_COLUMNS: [&str; 16] = [
    "id",
    "title",
    "start",
    "end",
    "date_precision",
    "approximate",
    "undated",
    "latitude",
    "longitude",
    "location_precision",
    "place",
    "category",
    "claim_status",
    "summary",
    "sources",
    "quotes",
];

fn precision_word(precision: DatePrecision) -> &'static str {
    match precision {
        DatePrecision::Day => "day",
        DatePrecision::Month => "month",
        DatePrecision::Year => "year",
    }
}

fn write_csv(dataset: &Dataset, events: &[EventIdx], out: &mut impl Write) -> io::Result<()> {
    let others: Vec<&str> = dataset
        .properties
        .names()
        .filter(|name| !CSV_COLUMNS.contains(name) && *name != crate::io::build::PLACE_FIELD)
        .collect();
    // Fields named as a column (a CSV export read back keeps its `quotes` as a field, another
    // tool's `claim_status` may say "alleged"): a field fills its column where the event leaves it
    // empty, and one that says something else gets a column of its own, "name (field)".
    let named_as_columns: Vec<(usize, &str)> = CSV_COLUMNS
        .iter()
        .enumerate()
        .filter(|(_, name)| dataset.properties.names().any(|field| field == **name))
        .map(|(column, name)| (column, *name))
        .collect();
    // One look at each event's row finds the fields that say something else than their column.
    let mut clashes = vec![false; named_as_columns.len()];
    for &idx in events {
        if clashes.iter().all(|&clash| clash) {
            break;
        }
        let Some(event) = dataset.event(idx) else { continue };
        let row = csv_columns(dataset, idx, event);
        for (clash, &(column, name)) in clashes.iter_mut().zip(&named_as_columns) {
            let value = dataset.properties.get(idx, name).unwrap_or_default();
            *clash |= !value.is_empty() && row.get(column).is_some_and(|shown| !shown.is_empty() && shown != value);
        }
    }
    let clashing: Vec<(usize, &str)> =
        named_as_columns.iter().zip(&clashes).filter(|&(_, &clash)| clash).map(|(&named, _)| named).collect();
    let clashing_headers: Vec<String> = clashing.iter().map(|(_, name)| format!("{name} (field)")).collect();
    let mut writer = ::csv::Writer::from_writer(out);
    let headers = CSV_COLUMNS.iter().map(|name| (*name).to_owned()).chain(others.iter().map(|name| (*name).to_owned()));
    writer.write_record(headers.chain(clashing_headers)).map_err(io::Error::other)?;
    for &idx in events {
        let Some(event) = dataset.event(idx) else { continue };
        let mut row = csv_columns(dataset, idx, event);
        for &(column, name) in &named_as_columns {
            if let Some(cell) = row.get_mut(column)
                && cell.is_empty()
                && let Some(value) = dataset.properties.get(idx, name)
            {
                value.clone_into(cell);
            }
        }
        row.extend(others.iter().map(|name| dataset.properties.get(idx, name).unwrap_or_default().to_owned()));
        row.extend(
            clashing
                .iter()
                .map(|(column, name)| {
                    let value = dataset.properties.get(idx, name).unwrap_or_default();
                    if row.get(*column).is_some_and(|shown| shown == value) { String::new() } else { value.to_owned() }
                })
                .collect::<Vec<_>>(),
        );
        writer.write_record(&row).map_err(io::Error::other)?;
    }
    writer.flush()
}

/// The fixed columns of an event's CSV row.
fn csv_columns(dataset: &Dataset, idx: EventIdx, event: &Event) -> Vec<String> {
    let span = event.span;
    let place = event
        .place_id()
        .and_then(|id| dataset.place(id))
        .map(|p| p.name.clone())
        .or_else(|| dataset.place_name(idx, event).map(str::to_owned))
        .unwrap_or_default();
    let citations = event.citations();
    let sources: Vec<&str> = citations.iter().map(|c| c.source_id.as_str()).collect();
    let quotes: Vec<&str> = citations.iter().map(|c| c.quote.as_str()).collect();
    let (lat, lon) = event.lon_lat.map_or((String::new(), String::new()), |p| (p.lat.to_string(), p.lon.to_string()));
    vec![
        event.id.to_string(),
        event.title.to_string(),
        span.start.to_string(),
        if span.end == span.start { String::new() } else { span.end.to_string() },
        precision_word(span.start.precision).to_owned(),
        span.approximate.to_string(),
        span.undated().to_string(),
        lat,
        lon,
        event.location_precision.key().to_owned(),
        place,
        dataset.categories.key(event.category).to_owned(),
        event.claim_status.key().to_owned(),
        dataset.summary(idx, event).unwrap_or_default().to_owned(),
        sources.join("; "),
        quotes.join(" | "),
    ]
}

/// Escapes text for XML.
fn xml(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            // Characters XML 1.0 does not allow are left out.
            c if (c as u32) < 0x20 && !matches!(c, '\t' | '\n' | '\r') => {}
            c => out.push(c),
        }
    }
    out
}

fn write_kml(dataset: &Dataset, events: &[EventIdx], palette: Palette<'_>, out: &mut impl Write) -> io::Result<()> {
    let mut text = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<kml xmlns=\"http://www.opengis.net/kml/2.2\">\n<Document>\n",
    );
    let _ = writeln!(text, "<name>{}</name>", xml(&dataset.name));
    // A style per legend colour.
    for (slot, entry) in dataset.legend().legend().iter().enumerate() {
        let [r, g, b] = palette(dataset.legend().scheme(), u8::try_from(slot).unwrap_or(u8::MAX));
        // KML writes colours alpha, blue, green, red.
        let (color, fill) = (format!("ff{b:02x}{g:02x}{r:02x}"), format!("66{b:02x}{g:02x}{r:02x}"));
        let _ = writeln!(
            text,
            "<Style id=\"c{slot}\"><IconStyle><color>{color}</color></IconStyle><LineStyle><color>{color}</color><width>3</width></LineStyle><PolyStyle><color>{fill}</color></PolyStyle></Style><!-- {} -->",
            xml(&entry.label).replace("--", "- -"),
        );
    }
    out.write_all(text.as_bytes())?;
    for &idx in events {
        let Some(event) = dataset.event(idx) else { continue };
        let mut placemark = String::new();
        let _ = write!(placemark, "<Placemark id=\"{}\"><name>{}</name>", xml(&event.id), xml(&event.title));
        let _ = write!(placemark, "<styleUrl>#c{}</styleUrl>", dataset.colour_slot(idx, event));
        let mut description = String::new();
        if let Some(summary) = dataset.summary(idx, event) {
            description.push_str(summary);
        }
        for citation in event.citations() {
            let title = dataset.source(&citation.source_id).map_or(citation.source_id.as_str(), |s| s.title.as_str());
            let _ = write!(description, "\n\n“{}” — {title}", citation.quote);
        }
        let _ = write!(placemark, "<description>{}</description>", xml(&description));
        let span = event.span;
        // An undated event keeps its bounds as a span, marked `undated` below.
        if span.end == span.start && !span.undated() {
            let _ = write!(placemark, "<TimeStamp><when>{}</when></TimeStamp>", span.start);
        } else {
            let _ = write!(placemark, "<TimeSpan><begin>{}</begin><end>{}</end></TimeSpan>", span.start, span.end);
        }
        let _ = write!(placemark, "<ExtendedData>");
        if span.undated() {
            let _ = write!(placemark, "<Data name=\"undated\"><value>true</value></Data>");
        }
        for (key, value) in [
            ("claim_status", event.claim_status.key()),
            ("category", dataset.categories.key(event.category)),
            ("location_precision", event.location_precision.key()),
        ] {
            let _ = write!(placemark, "<Data name=\"{}\"><value>{}</value></Data>", xml(key), xml(value));
        }
        if span.approximate {
            // The flag, which a KML read back keeps, and the dates in words for people.
            let _ = write!(placemark, "<Data name=\"approximate\"><value>true</value></Data>");
            let _ =
                write!(placemark, "<Data name=\"date\"><value>approximate: {}</value></Data>", xml(&span.in_words()));
        }
        for (key, value) in dataset.properties.of(idx) {
            let _ = write!(placemark, "<Data name=\"{}\"><value>{}</value></Data>", xml(key), xml(value));
        }
        let _ = write!(placemark, "</ExtendedData>");
        placemark.push_str(&kml_geometry(event));
        placemark.push_str("</Placemark>\n");
        out.write_all(placemark.as_bytes())?;
    }
    out.write_all(b"</Document>\n</kml>\n")
}

fn kml_geometry(event: &Event) -> String {
    let coordinates =
        |points: &[LonLat]| points.iter().map(|p| format!("{},{}", p.lon, p.lat)).collect::<Vec<_>>().join(" ");
    let point = |p: &LonLat| format!("<Point><coordinates>{},{}</coordinates></Point>", p.lon, p.lat);
    let Some(shape) = event.details().shape.as_deref() else {
        return event.lon_lat.as_ref().map(point).unwrap_or_default();
    };
    let mut parts: Vec<String> = event.lon_lat.as_ref().map(point).into_iter().collect();
    parts.extend(
        shape.lines.iter().map(|l| format!("<LineString><coordinates>{}</coordinates></LineString>", coordinates(l))),
    );
    for area in &shape.areas {
        let mut polygon = String::from("<Polygon>");
        for (i, ring) in area.iter().enumerate() {
            let boundary = if i == 0 { "outerBoundaryIs" } else { "innerBoundaryIs" };
            let _ = write!(
                polygon,
                "<{boundary}><LinearRing><coordinates>{}</coordinates></LinearRing></{boundary}>",
                coordinates(ring)
            );
        }
        polygon.push_str("</Polygon>");
        parts.push(polygon);
    }
    parts.extend(shape.points.iter().map(point));
    format!("<MultiGeometry>{}</MultiGeometry>", parts.concat())
}

/// Writes an RGBA picture (`width` × `height`, 4 bytes a pixel) to `path` as PNG, atomically.
///
/// # Errors
/// A size that does not match the pixels, or what writing failed with.
pub fn write_png(path: &Path, size: [u32; 2], rgba: Vec<u8>) -> io::Result<()> {
    let [width, height] = size;
    let picture = image::RgbaImage::from_raw(width, height, rgba)
        .ok_or_else(|| io::Error::other("the picture's size does not match its pixels"))?;
    super::atomic::write_atomically_with(path, |out| {
        let mut buffer = io::Cursor::new(Vec::new());
        picture.write_to(&mut buffer, image::ImageFormat::Png).map_err(io::Error::other)?;
        out.write_all(buffer.get_ref())
    })
}
