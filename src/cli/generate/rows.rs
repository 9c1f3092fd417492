//! Writing generated events in each shape, as GeoJSON features or CSV rows.

use std::io::{self, Write};

use chrono::Datelike as _;
#[cfg(test)]
use chrono::NaiveDate;

use super::vocabulary::{ACLED_TYPES, ACTOR_KINDS, NOTE_DETAILS, NOTE_VERBS, SOURCE_SCALES};
use super::{Dated, GenFormat, GenShape, GenSpec, Rng, Synthetic, World, place_name};
use crate::model::Category;

/// One field's value.
enum Value {
    Text(String),
    Number(f64),
    Integer(i64),
    Empty,
}

impl From<&str> for Value {
    fn from(text: &str) -> Self {
        if text.is_empty() { Self::Empty } else { Self::Text(text.to_owned()) }
    }
}

impl From<String> for Value {
    fn from(text: String) -> Self {
        if text.is_empty() { Self::Empty } else { Self::Text(text) }
    }
}

/// ACLED's 31 columns, in the order of its exports.
const ACLED_COLUMNS: [&str; 31] = [
    "event_id_cnty",
    "event_date",
    "year",
    "time_precision",
    "disorder_type",
    "event_type",
    "sub_event_type",
    "actor1",
    "assoc_actor_1",
    "inter1",
    "actor2",
    "assoc_actor_2",
    "inter2",
    "interaction",
    "civilian_targeting",
    "iso",
    "region",
    "country",
    "admin1",
    "admin2",
    "admin3",
    "location",
    "latitude",
    "longitude",
    "geo_precision",
    "source",
    "source_scale",
    "notes",
    "fatalities",
    "tags",
    "timestamp",
];

/// The 20 fields `wide` adds to `plain`.
const WIDE_COLUMNS: [&str; 20] = [
    "reporter",
    "unit",
    "verification",
    "source_type",
    "language",
    "district",
    "village",
    "weapon",
    "target",
    "media",
    "url",
    "analyst_note",
    "confidence",
    "casualties_min",
    "casualties_max",
    "injured",
    "displaced",
    "vehicles",
    "buildings",
    "duration_h",
];

/// Writes events one by one in the spec's shape and format.
pub struct Writer<'a, W: Write + ?Sized> {
    spec: GenSpec,
    out: &'a mut W,
}

impl<'a, W: Write + ?Sized> Writer<'a, W> {
    /// Starts the file: the collection's opening, or the header row.
    pub fn new(spec: GenSpec, out: &'a mut W) -> io::Result<Self> {
        let writer = Self { spec, out };
        match spec.format {
            GenFormat::Geojson => writeln!(writer.out, r#"{{"type":"FeatureCollection","features":["#)?,
            GenFormat::Csv => write_csv_row(writer.out, writer.header().iter().copied())?,
        }
        Ok(writer)
    }

    fn header(&self) -> Vec<&'static str> {
        match self.spec.shape {
            GenShape::Acled => ACLED_COLUMNS.to_vec(),
            shape => {
                let mut columns = vec!["id", "title", "start", "end", "category", "latitude", "longitude"];
                if shape == GenShape::Wide {
                    columns.extend(WIDE_COLUMNS);
                }
                columns
            }
        }
    }

    /// Writes event `i`.
    pub fn write(&mut self, i: usize, event: &Synthetic, world: &World, rng: &mut Rng) -> io::Result<()> {
        let fields = match self.spec.shape {
            GenShape::Plain => plain_fields(i, event, world, rng),
            GenShape::Wide => {
                let mut fields = plain_fields(i, event, world, rng);
                fields.extend(wide_fields(i, event, world, rng));
                fields
            }
            GenShape::Acled => acled_fields(i, event, world, rng),
        };
        match self.spec.format {
            GenFormat::Csv => {
                let row: Vec<String> = self
                    .header()
                    .iter()
                    .map(|column| match fields.iter().find(|(name, _)| name == column).map(|(_, value)| value) {
                        Some(Value::Text(text)) => text.clone(),
                        Some(Value::Number(number)) => format!("{number}"),
                        Some(Value::Integer(number)) => number.to_string(),
                        Some(Value::Empty) | None => String::new(),
                    })
                    .collect();
                write_csv_row(self.out, row.iter().map(String::as_str))
            }
            GenFormat::Geojson => {
                let separator = if i == 0 { "" } else { ",\n" };
                write!(
                    self.out,
                    r#"{separator}{{"type":"Feature","id":"g{i}","geometry":{{"type":"Point","coordinates":[{:.5},{:.5}]}},"properties":{{"#,
                    event.lon, event.lat
                )?;
                let mut first = true;
                for (name, value) in &fields {
                    if matches!(value, Value::Empty) || matches!(*name, "id" | "latitude" | "longitude") {
                        continue;
                    }
                    if !first {
                        self.out.write_all(b",")?;
                    }
                    first = false;
                    serde_json::to_writer(&mut *self.out, name)?;
                    self.out.write_all(b":")?;
                    match value {
                        Value::Text(text) => serde_json::to_writer(&mut *self.out, text)?,
                        Value::Number(number) => write!(self.out, "{number}")?,
                        Value::Integer(number) => write!(self.out, "{number}")?,
                        Value::Empty => {}
                    }
                }
                self.out.write_all(b"}}")?;
                Ok(())
            }
        }
    }

    /// Ends the file.
    pub fn finish(self) -> io::Result<()> {
        match self.spec.format {
            GenFormat::Geojson => writeln!(self.out, "\n]}}")?,
            GenFormat::Csv => {}
        }
        self.out.flush()
    }
}

/// One CSV row, quoted as RFC 4180 says (only the fields that need it).
fn write_csv_row<'a>(out: &mut (impl Write + ?Sized), fields: impl Iterator<Item = &'a str>) -> io::Result<()> {
    for (i, field) in fields.enumerate() {
        if i > 0 {
            out.write_all(b",")?;
        }
        if field.contains([',', '"', '\n', '\r']) {
            write!(out, "\"{}\"", field.replace('"', "\"\""))?;
        } else {
            out.write_all(field.as_bytes())?;
        }
    }
    out.write_all(b"\n")
}

/// The start and end as Kronika writes them, for the event's precision.
fn kronika_dates(event: &Synthetic) -> (String, Option<String>) {
    let start = event.start;
    match event.dated {
        Dated::Day | Dated::Week => (start.format("%Y-%m-%d").to_string(), None),
        Dated::Month => (start.format("%Y-%m").to_string(), None),
        Dated::Year => (start.year().to_string(), None),
        Dated::Span(days) => {
            let end = start.checked_add_days(chrono::Days::new(days)).unwrap_or(start);
            (start.format("%Y-%m-%d").to_string(), Some(end.format("%Y-%m-%d").to_string()))
        }
    }
}

fn plain_fields(i: usize, event: &Synthetic, world: &World, rng: &mut Rng) -> Vec<(&'static str, Value)> {
    let category = rng.pick(Category::ALL).copied().unwrap_or(Category::Other);
    let (_, _, admin1, _, location, _) = world.names(event);
    let (start, end) = kronika_dates(event);
    vec![
        ("id", Value::Text(format!("g{i}"))),
        ("title", Value::Text(format!("{} near {location}, {admin1}", category.label()))),
        ("start", Value::Text(start)),
        ("end", end.map_or(Value::Empty, Value::Text)),
        ("category", Value::from(category.key())),
        ("latitude", Value::Number((event.lat * 1e5).round() / 1e5)),
        ("longitude", Value::Number((event.lon * 1e5).round() / 1e5)),
    ]
}

fn wide_fields(i: usize, event: &Synthetic, world: &World, rng: &mut Rng) -> Vec<(&'static str, Value)> {
    const VERIFICATION: [&str; 3] = ["verified", "unverified", "partially verified"];
    const SOURCE_TYPES: [&str; 6] =
        ["news", "social media", "NGO report", "official statement", "witness", "satellite"];
    const LANGUAGES: [&str; 8] = ["sr", "sq", "en", "de", "fr", "uk", "ru", "bs"];
    const WEAPONS: [&str; 6] = ["small arms", "artillery", "drone", "explosive device", "none", "unknown"];
    const TARGETS: [&str; 5] = ["military position", "civilian house", "road", "checkpoint", "public building"];
    const MEDIA: [&str; 3] = ["photo", "video", "none"];
    let (_, _, _, admin2, location, _) = world.names(event);
    let reporter = format!("{} {}", place_name(rng), place_name(rng));
    let casualties_min = i64::try_from(rng.below(4)).unwrap_or(0);
    let text = |rng: &mut Rng, items: &[&str]| Value::from(rng.pick(items).copied().unwrap_or_default());
    vec![
        ("reporter", Value::Text(reporter)),
        ("unit", Value::Text(format!("Unit {}", 1 + rng.below(30)))),
        ("verification", text(rng, &VERIFICATION)),
        ("source_type", text(rng, &SOURCE_TYPES)),
        ("language", text(rng, &LANGUAGES)),
        ("district", Value::from(admin2)),
        ("village", Value::from(location)),
        ("weapon", text(rng, &WEAPONS)),
        ("target", text(rng, &TARGETS)),
        ("media", text(rng, &MEDIA)),
        ("url", Value::Text(format!("https://reports.example.org/{i}"))),
        ("analyst_note", Value::from(rng.pick(&NOTE_DETAILS).copied().unwrap_or_default())),
        ("confidence", Value::Integer(i64::try_from(rng.below(101)).unwrap_or(0))),
        ("casualties_min", Value::Integer(casualties_min)),
        ("casualties_max", Value::Integer(casualties_min + i64::try_from(rng.below(5)).unwrap_or(0))),
        ("injured", Value::Integer(i64::try_from(rng.below(10)).unwrap_or(0))),
        ("displaced", Value::Integer(i64::try_from(rng.below(500)).unwrap_or(0))),
        ("vehicles", Value::Integer(i64::try_from(rng.below(6)).unwrap_or(0))),
        ("buildings", Value::Integer(i64::try_from(rng.below(12)).unwrap_or(0))),
        ("duration_h", Value::Number((rng.unit() * 480.0).round() / 10.0)),
    ]
}

/// An ACLED-like actor of `kind` in `country`.
fn actor(kind: &str, country: &str) -> String {
    match kind {
        "State forces" => format!("Military Forces of {country} (2019-)"),
        "Rebel group" => format!("{country} Liberation Front"),
        "Political militia" => format!("Unidentified Armed Group ({country})"),
        "Identity militia" => format!("Local Defence Militia ({country})"),
        "Rioters" => format!("Rioters ({country})"),
        "Protesters" => format!("Protesters ({country})"),
        "Civilians" => format!("Civilians ({country})"),
        _ => "Unidentified Foreign Armed Group".to_owned(),
    }
}

fn acled_fields(i: usize, event: &Synthetic, world: &World, rng: &mut Rng) -> Vec<(&'static str, Value)> {
    let (country, iso, admin1, admin2, location, admin3) = world.names(event);
    let mut pick = u32::try_from(rng.below(1000)).unwrap_or(0);
    let (kind_index, (disorder, event_type, _, subs)) = ACLED_TYPES
        .iter()
        .enumerate()
        .find(|(_, (_, _, share, _))| {
            let hit = pick < *share;
            pick = pick.saturating_sub(*share);
            hit
        })
        .unwrap_or((0, &ACLED_TYPES[0]));
    let sub_event = rng.pick(subs).copied().unwrap_or_default();
    let (inter1, inter2) = match *event_type {
        "Protests" => ("Protesters", if rng.below(3) == 0 { "State forces" } else { "" }),
        "Riots" => ("Rioters", if rng.below(2) == 0 { "Civilians" } else { "State forces" }),
        "Violence against civilians" => (*rng.pick(&ACTOR_KINDS[..4]).unwrap_or(&"State forces"), "Civilians"),
        _ => {
            let first = *rng.pick(&ACTOR_KINDS[..4]).unwrap_or(&"State forces");
            (first, *rng.pick(&ACTOR_KINDS).unwrap_or(&"Civilians"))
        }
    };
    let (actor1, actor2) =
        (actor(inter1, country), if inter2.is_empty() { String::new() } else { actor(inter2, country) });
    let interaction = if inter2.is_empty() { format!("{inter1} only") } else { format!("{inter1}-{inter2}") };
    let (time_precision, date) = match event.dated {
        Dated::Day | Dated::Span(_) => (1, event.start),
        Dated::Week => (2, event.start),
        // ACLED codes a month-precise date to the month's middle.
        Dated::Month | Dated::Year => (3, event.start.with_day(15).unwrap_or(event.start)),
    };
    let fatalities = match rng.below(100) {
        0..=69 => 0,
        70..=94 => 1 + rng.below(5),
        _ => 5 + rng.below(60),
    };
    let verb = NOTE_VERBS.get(kind_index).copied().unwrap_or("attacked");
    let target = if actor2.is_empty() { "the authorities" } else { actor2.as_str() };
    let mut notes =
        format!("On {}, {actor1} {verb} {target} in {location} ({admin2}, {admin1}).", date.format("%-d %B %Y"));
    for _ in 0..rng.below(5) {
        notes.push(' ');
        notes.push_str(rng.pick(&NOTE_DETAILS).copied().unwrap_or_default());
    }
    notes.push_str(&format!(" [fatalities={fatalities}]"));
    let outlet = |rng: &mut Rng| {
        format!("{} {}", place_name(rng), rng.pick(&["Daily", "Radio", "News", "Times"]).copied().unwrap_or("News"))
    };
    let source = if rng.below(3) == 0 { format!("{}; {}", outlet(rng), outlet(rng)) } else { outlet(rng) };
    let code: String = country.chars().filter(char::is_ascii_alphabetic).take(3).collect::<String>().to_uppercase();
    let geo_precision = match rng.below(100) {
        0..=69 => 1,
        70..=94 => 2,
        _ => 3,
    };
    vec![
        ("event_id_cnty", Value::Text(format!("{code}{i}"))),
        ("event_date", Value::Text(date.format("%Y-%m-%d").to_string())),
        ("year", Value::Integer(i64::from(date.year()))),
        ("time_precision", Value::Integer(time_precision)),
        ("disorder_type", Value::from(*disorder)),
        ("event_type", Value::from(*event_type)),
        ("sub_event_type", Value::from(sub_event)),
        ("actor1", Value::Text(actor1)),
        ("assoc_actor_1", if rng.below(4) == 0 { Value::Text(format!("Students ({country})")) } else { Value::Empty }),
        ("inter1", Value::from(inter1)),
        ("actor2", Value::from(actor2)),
        ("assoc_actor_2", Value::Empty),
        ("inter2", Value::from(inter2)),
        ("interaction", Value::Text(interaction)),
        ("civilian_targeting", Value::from(if inter2 == "Civilians" { "Civilian targeting" } else { "" })),
        ("iso", Value::Integer(i64::from(iso))),
        ("region", Value::from("Europe")),
        ("country", Value::from(country)),
        ("admin1", Value::from(admin1)),
        ("admin2", Value::from(admin2)),
        ("admin3", Value::from(admin3)),
        ("location", Value::from(location)),
        ("latitude", Value::Number((event.lat * 1e4).round() / 1e4)),
        ("longitude", Value::Number((event.lon * 1e4).round() / 1e4)),
        ("geo_precision", Value::Integer(geo_precision)),
        ("source", Value::Text(source)),
        ("source_scale", Value::from(rng.pick(&SOURCE_SCALES).copied().unwrap_or_default())),
        ("notes", Value::Text(notes)),
        ("fatalities", Value::Integer(i64::try_from(fatalities).unwrap_or(0))),
        ("tags", Value::from(if *event_type == "Protests" { "crowd size=no report" } else { "" })),
        ("timestamp", Value::Integer(1_700_000_000 + i64::try_from(i).unwrap_or(0))),
    ]
}

/// The first day of `date`'s month (used by tests).
#[cfg(test)]
pub fn month_of(date: NaiveDate) -> (i32, u32) {
    (date.year(), date.month())
}
