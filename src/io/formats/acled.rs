//! ACLED exports (acleddata.com): columns found by name in any case, so the current 31-column
//! header, the pre-2023 one and exports with extra columns all read. Each row becomes a record
//! with a concise title ("Armed clash: A vs B — Place"), ACLED's date and place precision codes as
//! hints, and every other column kept as a property. Dates stay as written: the builder reads
//! `2023-09-24`, `24 September 2023` and `24-Sep-23`.

use std::borrow::Cow;
use std::path::Path;

use super::columns::{MAX_TITLE_CHARS, PropertyColumns, Row, cut_at_word, find_column};
use crate::io::problem::{Problem, ProblemKind};
use crate::io::records::{DatePrecisionHint, FieldNames, PlacePrecisionHint, RawGeometry, RawRecord};

/// Shortest room left for the actors when a title is cut to fit.
const MIN_ACTORS_CHARS: usize = 30;

/// Where an ACLED export's columns are.
#[derive(Clone, Debug)]
pub struct AcledColumns {
    headers: Vec<String>,
    id: Option<usize>,
    date: Option<usize>,
    time_precision: Option<usize>,
    event_type: Option<usize>,
    sub_event_type: Option<usize>,
    actor1: Option<usize>,
    actor2: Option<usize>,
    admin1: Option<usize>,
    location: Option<usize>,
    latitude: Option<usize>,
    longitude: Option<usize>,
    geo_precision: Option<usize>,
    source: Option<usize>,
    notes: Option<usize>,
    /// The columns kept as other fields: all but the id, date, notes, coordinates, event type
    /// and source.
    properties: PropertyColumns,
}

impl AcledColumns {
    /// Whether a header is an ACLED export's: it has `event_id_cnty`, `event_date`, `latitude`
    /// and `longitude` (any case).
    pub fn matches(headers: &[String]) -> bool {
        ["event_id_cnty", "event_date", "latitude", "longitude"].iter().all(|name| find_column(headers, name).is_some())
    }

    /// Finds the columns in `headers` (clean names, as the file has them).
    pub fn new(headers: &[String]) -> Self {
        let at = |name: &str| find_column(headers, name);
        let mut columns = Self {
            headers: headers.to_vec(),
            properties: PropertyColumns::default(),
            id: at("event_id_cnty"),
            date: at("event_date"),
            time_precision: at("time_precision"),
            event_type: at("event_type"),
            sub_event_type: at("sub_event_type"),
            actor1: at("actor1"),
            actor2: at("actor2"),
            admin1: at("admin1"),
            location: at("location"),
            latitude: at("latitude"),
            longitude: at("longitude"),
            geo_precision: at("geo_precision"),
            source: at("source"),
            notes: at("notes"),
        };
        let used = [
            columns.id,
            columns.date,
            columns.notes,
            columns.latitude,
            columns.longitude,
            columns.event_type,
            columns.source,
        ];
        columns.properties = PropertyColumns::new(headers, &used);
        columns
    }

    /// The file's names of the columns records come from.
    pub fn fields(&self) -> FieldNames {
        let name = |at: Option<usize>| at.and_then(|at| self.headers.get(at)).cloned();
        FieldNames {
            id: name(self.id),
            title: None,
            start: name(self.date),
            end: None,
            time: None,
            lat: name(self.latitude),
            lon: name(self.longitude),
            geometry: None,
            category: name(self.event_type),
        }
    }

    /// The record of one row; an unknown precision code is a warning at `file`.
    pub fn record<'r>(&'r self, file: &Path, row: &Row<'r>, problems: &mut Vec<Problem>) -> RawRecord<'r> {
        let id = row.text(self.id);
        let mut warn = |at: Option<usize>, value: &str, expected: &str| {
            let field = at.and_then(|at| self.headers.get(at)).map(String::as_str);
            let kind = ProblemKind::UnknownValue { value: value.to_owned(), expected: expected.to_owned() };
            problems.push(Problem::warning(row.location(file, id.as_deref(), field), kind));
        };
        let date_precision = row.get(self.time_precision).map(|code| match precision_code(code) {
            Some(1) => DatePrecisionHint::Day,
            Some(2) => DatePrecisionHint::Week,
            Some(3) => DatePrecisionHint::Month,
            _ => {
                warn(self.time_precision, code, "1 (day), 2 (week), 3 (month); read as 1, the day");
                DatePrecisionHint::Day
            }
        });
        let place_precision = row.get(self.geo_precision).and_then(|code| match precision_code(code) {
            Some(1) => Some(PlacePrecisionHint::Exact),
            Some(2) => Some(PlacePrecisionHint::Near),
            Some(3) => Some(PlacePrecisionHint::Region),
            _ => {
                warn(self.geo_precision, code, "1 (town), 2 (near a town), 3 (region); no precision was assumed");
                None
            }
        });
        let geometry = match (row.text(self.latitude), row.text(self.longitude)) {
            (None, None) => RawGeometry::None,
            (lat, lon) => RawGeometry::LatLonText { lat: lat.unwrap_or_default(), lon: lon.unwrap_or_default() },
        };
        let location = row.get(self.location);
        let place_name = location.map(|location| match row.get(self.admin1) {
            Some(admin1) if !admin1.eq_ignore_ascii_case(location) => {
                let mut name = String::with_capacity(location.len() + admin1.len() + 3);
                for part in [location, " (", admin1, ")"] {
                    name.push_str(part);
                }
                name
            }
            _ => location.to_owned(),
        });
        let what = row.get(self.sub_event_type).or_else(|| row.get(self.event_type));
        RawRecord {
            index: row.index,
            line: Some(row.line),
            title: title(what, row.get(self.actor1), row.get(self.actor2), location).map(Cow::Owned),
            id,
            start: row.text(self.date),
            date_precision,
            geometry,
            place_precision,
            place_name: place_name.map(Cow::Owned),
            category: row.text(self.event_type),
            summary: row.text(self.notes),
            reported_by: row.text(self.source),
            properties: self.properties.of(row),
            ..RawRecord::default()
        }
    }
}

/// ACLED's precision codes, 1 to 3, also as a spreadsheet may have re-saved them (`2.0`).
fn precision_code(text: &str) -> Option<u8> {
    let text = text.trim();
    match text.strip_suffix(".0").unwrap_or(text) {
        "1" => Some(1),
        "2" => Some(2),
        "3" => Some(3),
        _ => None,
    }
}

/// "Armed clash: A vs B — Place", within [`MAX_TITLE_CHARS`]: the actors are cut first, so the
/// kind of event and its place stay whole when they can.
fn title(what: Option<&str>, actor1: Option<&str>, actor2: Option<&str>, location: Option<&str>) -> Option<String> {
    // Most titles fit whole: made in one string, without cutting.
    if let Some(what) = what {
        let parts = [
            Some(what),
            (actor1.is_some() || actor2.is_some()).then_some(": "),
            actor1,
            actor1.and(actor2).map(|_| " vs "),
            actor2,
            location.map(|_| " — "),
            location,
        ];
        let mut title = String::with_capacity(parts.iter().flatten().map(|part| part.len()).sum());
        parts.iter().flatten().for_each(|part| title.push_str(part));
        let trimmed = title.trim_start_matches([' ', '—']).trim().len() == title.len();
        if trimmed && title.chars().count() <= MAX_TITLE_CHARS {
            return Some(title);
        }
    }
    cut_title(what, actor1, actor2, location)
}

/// [`title`] for titles that may need cutting.
fn cut_title(what: Option<&str>, actor1: Option<&str>, actor2: Option<&str>, location: Option<&str>) -> Option<String> {
    let who = match (actor1, actor2) {
        (Some(one), Some(two)) => format!("{one} vs {two}"),
        (Some(one), None) | (None, Some(one)) => one.to_owned(),
        (None, None) => String::new(),
    };
    let place = location.map(|location| format!(" — {location}")).unwrap_or_default();
    let head = what.map(|what| if who.is_empty() { what.to_owned() } else { format!("{what}: ") });
    let head = head.unwrap_or_default();
    let fixed = head.chars().count() + place.chars().count();
    let room = MAX_TITLE_CHARS.saturating_sub(fixed).max(MIN_ACTORS_CHARS);
    let title = format!("{head}{}{place}", cut_at_word(&who, room));
    let title = title.trim_start_matches([' ', '—']).trim();
    (!title.is_empty()).then(|| cut_at_word(title, MAX_TITLE_CHARS).into_owned())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::io::formats::csv::read_csv;
    use crate::io::problem::Severity;

    fn property<'a>(record: &'a RawRecord, name: &str) -> Option<&'a str> {
        record.properties.iter().find(|(key, _)| key == name).map(|(_, value)| value.as_ref())
    }

    #[test]
    fn reads_the_current_header_with_iso_dates() {
        let read = read_csv(Path::new("acled-iso.csv"), include_str!("../../../tests/formats/acled-iso.csv"), &[]);
        assert_eq!(read.format, "ACLED export (CSV)");
        assert!(read.problems.is_empty(), "{:?}", read.problems);
        assert_eq!(read.records.len(), 10);
        assert_eq!(read.fields.start.as_deref(), Some("event_date"));
        assert_eq!(read.fields.id.as_deref(), Some("event_id_cnty"));
        assert_eq!(read.fields.category.as_deref(), Some("event_type"));
        let first = &read.records[0];
        assert_eq!((first.index, first.line), (0, Some(2)));
        assert_eq!(first.id.as_deref(), Some("SRB4412"));
        assert_eq!(first.start.as_deref(), Some("2023-09-24"));
        assert_eq!(first.date_precision, Some(DatePrecisionHint::Day));
        assert_eq!(first.place_precision, Some(PlacePrecisionHint::Exact));
        assert_eq!(first.category.as_deref(), Some("Protests"));
        assert_eq!(first.geometry, RawGeometry::LatLonText { lat: "44.8176".into(), lon: "20.4633".into() });
        assert_eq!(first.title.as_deref(), Some("Peaceful protest: Protesters (Serbia) — Belgrade - Stari Grad"));
        assert_eq!(first.place_name.as_deref(), Some("Belgrade - Stari Grad (Belgrade)"));
        assert_eq!(first.reported_by.as_deref(), Some("Example Daily; Sample Radio Beograd"));
        assert!(first.summary.as_deref().unwrap().contains("chanting \"water is not for sale\", to protest"));
        assert_eq!(property(first, "actor1"), Some("Protesters (Serbia)"));
        assert_eq!(property(first, "fatalities"), Some("0"));
        assert_eq!(property(first, "tags"), Some("crowd size=around 300"));
        assert_eq!(property(first, "timestamp"), Some("1695983214"));
        assert_eq!(property(first, "sub_event_type"), Some("Peaceful protest"));
        for mapped in
            ["event_id_cnty", "event_date", "notes", "latitude", "longitude", "event_type", "source", "actor2"]
        {
            assert_eq!(property(first, mapped), None, "{mapped}");
        }
        let week = &read.records[1];
        assert_eq!(week.date_precision, Some(DatePrecisionHint::Week));
        assert_eq!(
            week.title.as_deref(),
            Some("Protest with intervention: Protesters (Serbia) vs Police Forces of Serbia (2012-) — Novi Sad")
        );
        let month = read.records.iter().find(|r| r.id.as_deref() == Some("UKR190517")).unwrap();
        assert_eq!(month.date_precision, Some(DatePrecisionHint::Month));
        assert_eq!(month.place_precision, Some(PlacePrecisionHint::Near));
        let region = read.records.iter().find(|r| r.id.as_deref() == Some("SRB4503")).unwrap();
        assert_eq!(region.place_precision, Some(PlacePrecisionHint::Region));
        assert_eq!(read.records.last().unwrap().line, Some(11));
        let kharkiv = &read.records[3];
        assert_eq!(property(kharkiv, "fatalities"), Some("2"));
        assert_eq!(kharkiv.place_name.as_deref(), Some("Kharkiv"));
    }

    #[test]
    fn reads_dates_in_words_and_numeric_actor_codes() {
        let read = read_csv(Path::new("w.csv"), include_str!("../../../tests/formats/acled-words.csv"), &[]);
        assert!(read.problems.is_empty(), "{:?}", read.problems);
        let ids: Vec<_> = read.records.iter().map(|r| r.id.as_deref().unwrap()).collect();
        assert_eq!(ids, ["SRB4620", "BIH318", "UKR191002", "MNE830", "HRV81"]);
        let dates: Vec<_> = read.records.iter().map(|r| r.start.as_deref().unwrap()).collect();
        assert_eq!(dates[..3], ["24 September 2023", "7 October 2023", "18 October 2023"]);
        assert_eq!(property(&read.records[0], "inter1"), Some("6"));
        assert_eq!(
            read.records[3].title.as_deref(),
            Some("Agreement: Government of Montenegro (2023-) vs Government of Serbia (2012-) — Herceg Novi")
        );
        assert_eq!(read.records[3].date_precision, Some(DatePrecisionHint::Month));
    }

    #[test]
    fn old_uppercase_headers_and_bad_precision_codes() {
        let text = "\u{feff}ISO,EVENT_ID_CNTY,EVENT_DATE,TIME_PRECISION,EVENT_TYPE,SUB_EVENT_TYPE,ACTOR1,\
                    LATITUDE,LONGITUDE,GEO_PRECISION,NOTES\n\
                    688,SRB1,24-Sep-23,7,Protests,,Protesters (Serbia),44.8,20.4,x,Some notes\n\
                    688,SRB2,25-Sep-23,2.0,Riots,,,,,,\n";
        let read = read_csv(Path::new("old.csv"), text, &[]);
        assert_eq!(read.format, "ACLED export (CSV)");
        assert_eq!(read.fields.start.as_deref(), Some("EVENT_DATE"));
        let [first, second] = &read.records[..] else { panic!("{:?}", read.records) };
        assert_eq!(first.id.as_deref(), Some("SRB1"));
        assert_eq!(first.start.as_deref(), Some("24-Sep-23"));
        assert_eq!(first.date_precision, Some(DatePrecisionHint::Day));
        assert_eq!(first.place_precision, None);
        assert_eq!(first.title.as_deref(), Some("Protests: Protesters (Serbia)"));
        assert_eq!(property(first, "ISO"), Some("688"));
        assert_eq!(second.date_precision, Some(DatePrecisionHint::Week));
        assert_eq!((second.title.as_deref(), &second.geometry), (Some("Riots"), &RawGeometry::None));
        let fields: Vec<_> = read.problems.iter().map(|p| p.location.field.as_deref().unwrap()).collect();
        assert_eq!(fields, ["TIME_PRECISION", "GEO_PRECISION"]);
        for problem in &read.problems {
            assert_eq!(problem.severity, Severity::Warning);
            assert_eq!((problem.location.index, problem.location.line), (Some(0), Some(2)));
            assert_eq!(problem.location.id.as_deref(), Some("SRB1"));
        }
    }

    #[test]
    fn titles_made_whole_are_the_titles_cutting_would_make() {
        let long = "Military Forces of Serbia (2012-) Gendarmerie and Special Anti-Terrorist Unit";
        for what in [None, Some("Armed clash"), Some("Attack")] {
            for actor1 in [None, Some("Protesters (Serbia)"), Some(long)] {
                for actor2 in [None, Some("Civilians (Kosovo)"), Some(long)] {
                    for location in [None, Some("Banjska"), Some("Zvecan - Zubin Potok road")] {
                        let made = title(what, actor1, actor2, location);
                        assert_eq!(made, cut_title(what, actor1, actor2, location), "{what:?} {actor1:?} {actor2:?}");
                    }
                }
            }
        }
    }

    #[test]
    fn long_titles_cut_the_actors_first() {
        let long_actor = "Unidentified Armed Group with a Very Long Name Indeed (Bosnia and Herzegovina)";
        let title = title(Some("Attack"), Some(long_actor), Some(long_actor), Some("Banja Luka")).unwrap();
        assert!(title.chars().count() <= MAX_TITLE_CHARS, "{title}");
        assert!(title.starts_with("Attack: Unidentified") && title.ends_with("… — Banja Luka"), "{title}");
        assert_eq!(super::title(None, None, None, Some("Split")).as_deref(), Some("Split"));
        assert_eq!(super::title(None, Some("Rioters (Serbia)"), None, None).as_deref(), Some("Rioters (Serbia)"));
        assert_eq!(super::title(None, None, None, None), None);
    }
}
