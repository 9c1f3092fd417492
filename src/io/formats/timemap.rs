//! TimeMap sheets (Forensic Architecture's timemap and datasheet-server): the `EXPORT_EVENTS` tab
//! saved as CSV. Dates are `MM/DD/YYYY` (turned into ISO here, since the builder would read
//! `09/10/2023` the other way round), times `HH:mm`; `associationN` and `sourceN` cells hold ids,
//! kept joined as the `associations` and `sources` properties. A date that is not `M/D/YYYY`
//! stays as written, for the builder to read or report.

use super::columns::{PropertyColumns, Row, find_column, normalized_name, title_from_text};
use crate::io::records::{FieldNames, RawGeometry, RawRecord};
use std::borrow::Cow;

/// Prefixes of numbered columns that hold association ids: today's `associationN`, and the
/// legacy sheets' `narrativeN`, `filterN` and `tagN`.
const ASSOCIATION_PREFIXES: [&str; 4] = ["association", "narrative", "filter", "tag"];

/// Where a TimeMap sheet's columns are.
#[derive(Clone, Debug)]
pub struct TimeMapColumns {
    headers: Vec<String>,
    id: Option<usize>,
    description: Option<usize>,
    date: Option<usize>,
    time: Option<usize>,
    location: Option<usize>,
    latitude: Option<usize>,
    longitude: Option<usize>,
    category: Option<usize>,
    /// `associationN` columns, in file order.
    associations: Vec<usize>,
    /// Every column of association ids (`associationN` and the legacy ones), in file order.
    all_associations: Vec<usize>,
    /// `sourceN` columns, in file order.
    sources: Vec<usize>,
    /// The columns kept as other fields as they are (the associations and sources are joined).
    properties: PropertyColumns,
}

impl TimeMapColumns {
    /// Whether a header is a TimeMap sheet's: `description`, `date`, `latitude`, `longitude`, and
    /// `time` or a column whose name starts with `association` or `source` (any case). An ACLED
    /// header is checked first, by the caller.
    pub fn matches(headers: &[String]) -> bool {
        let has = |name| find_column(headers, name).is_some();
        let starts = |prefix| headers.iter().any(|header| normalized_name(header).starts_with(prefix));
        ["description", "date", "latitude", "longitude"].into_iter().all(has)
            && (has("time") || starts("association") || starts("source"))
    }

    /// Finds the columns in `headers` (clean names, as the file has them).
    pub fn new(headers: &[String]) -> Self {
        let at = |name: &str| find_column(headers, name);
        let numbered = |prefixes: &[&str]| -> Vec<usize> {
            let names = headers.iter().map(|header| normalized_name(header));
            names
                .enumerate()
                .filter(|(_, name)| prefixes.iter().any(|p| is_numbered(name, p)))
                .map(|(at, _)| at)
                .collect()
        };
        let mut columns = Self {
            headers: headers.to_vec(),
            properties: PropertyColumns::default(),
            id: at("id"),
            description: at("description"),
            date: at("date"),
            time: at("time"),
            location: at("location"),
            latitude: at("latitude"),
            longitude: at("longitude"),
            category: at("category"),
            associations: numbered(&["association"]),
            all_associations: numbered(&ASSOCIATION_PREFIXES),
            sources: numbered(&["source"]),
        };
        let mut used = vec![
            columns.id,
            columns.description,
            columns.date,
            columns.time,
            columns.location,
            columns.latitude,
            columns.longitude,
            columns.category,
        ];
        used.extend(columns.all_associations.iter().chain(&columns.sources).map(|at| Some(*at)));
        columns.properties = PropertyColumns::new(headers, &used);
        columns
    }

    /// The file's names of the columns records come from.
    pub fn fields(&self) -> FieldNames {
        let name = |at: Option<usize>| at.and_then(|at| self.headers.get(at)).cloned();
        FieldNames {
            id: name(self.id),
            title: name(self.description),
            start: name(self.date),
            end: None,
            time: name(self.time),
            lat: name(self.latitude),
            lon: name(self.longitude),
            geometry: None,
            category: name(self.category.or_else(|| self.associations.first().copied())),
        }
    }

    /// The record of one row.
    pub fn record<'r>(&'r self, row: &Row<'r>) -> RawRecord<'r> {
        let joined = |columns: &[usize]| {
            let values: Vec<&str> = columns.iter().filter_map(|at| row.get(Some(*at))).collect();
            (!values.is_empty()).then(|| values.join("; "))
        };
        let associations = joined(&self.all_associations);
        let sources = joined(&self.sources);
        // TimeMap drops empty association cells, so the first association is the first filled one.
        let category = row.text(self.category).or_else(|| self.associations.iter().find_map(|at| row.text(Some(*at))));
        let geometry = match (row.get(self.latitude), row.get(self.longitude)) {
            (None, None) => RawGeometry::None,
            (lat, lon) => RawGeometry::LatLonText {
                lat: lat.map(decimal_point).unwrap_or_default(),
                lon: lon.map(decimal_point).unwrap_or_default(),
            },
        };
        let mut properties = self.properties.of(row);
        properties.extend(associations.map(|value| ("associations".into(), value.into())));
        properties.extend(sources.clone().map(|value| ("sources".into(), value.into())));
        RawRecord {
            index: row.index,
            line: Some(row.line),
            id: row.text(self.id),
            title: row.get(self.description).map(title_from_text),
            start: row.get(self.date).map(|date| iso_from_month_day_year(date).map_or(Cow::Borrowed(date), Cow::Owned)),
            time: row.text(self.time),
            geometry,
            place_name: row.text(self.location),
            category,
            summary: row.text(self.description),
            reported_by: sources.map(Cow::Owned),
            properties,
            ..RawRecord::default()
        }
    }
}

/// Whether `name` is `prefix` followed by digits only (`association2`, `source10`).
fn is_numbered(name: &str, prefix: &str) -> bool {
    name.strip_prefix(prefix).is_some_and(|digits| !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()))
}

/// `MM/DD/YYYY` (or `M/D/YYYY`) as ISO `YYYY-MM-DD`; `None` for anything else.
fn iso_from_month_day_year(text: &str) -> Option<String> {
    let mut parts = text.trim().split('/');
    let (month, day, year) = (parts.next()?, parts.next()?, parts.next()?);
    if parts.next().is_some() {
        return None;
    }
    let number = |part: &str, digits: std::ops::RangeInclusive<usize>| {
        (digits.contains(&part.len()) && part.bytes().all(|b| b.is_ascii_digit())).then(|| part.parse::<u32>().ok())?
    };
    let (month, day) = (number(month, 1..=2)?, number(day, 1..=2)?);
    number(year, 4..=4)?;
    ((1..=12).contains(&month) && (1..=31).contains(&day)).then(|| format!("{year}-{month:02}-{day:02}"))
}

/// A coordinate written with a decimal comma (`43,1100`) written with a point; anything else as it is.
fn decimal_point(text: &str) -> Cow<'_, str> {
    if !text.contains('.') && text.matches(',').count() == 1 {
        Cow::Owned(text.replace(',', "."))
    } else {
        Cow::Borrowed(text)
    }
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::*;
    use crate::io::formats::csv::read_csv;

    fn property<'a>(record: &'a RawRecord, name: &str) -> Option<&'a str> {
        record.properties.iter().find(|(key, _)| key == name).map(|(_, value)| value.as_ref())
    }

    #[test]
    fn reads_the_example_events_sheet() {
        let text = include_str!("../../../tests/formats/timemap-events.csv");
        let read = read_csv(Path::new("timemap-events.csv"), text, &[]);
        assert_eq!(read.format, "TimeMap sheet (CSV)");
        assert!(read.problems.is_empty(), "{:?}", read.problems);
        assert_eq!(read.records.len(), 8);
        assert_eq!(read.fields.start.as_deref(), Some("date"));
        assert_eq!(read.fields.time.as_deref(), Some("time"));
        assert_eq!(read.fields.category.as_deref(), Some("association1"));
        let first = &read.records[0];
        assert_eq!(first.start.as_deref(), Some("2023-09-24"));
        assert_eq!(first.time.as_deref(), Some("11:30"));
        assert_eq!(first.id, None);
        assert_eq!(
            first.title.as_deref(),
            Some("Fictional sample: students gather at the Faculty of Law and march towards the Assembly")
        );
        assert!(first.summary.as_deref().unwrap().ends_with("towards the Assembly."));
        assert_eq!(first.category.as_deref(), Some("protest"));
        assert_eq!(first.place_name.as_deref(), Some("Belgrade - Stari Grad"));
        assert_eq!(first.reported_by.as_deref(), Some("src_v01; src_p01"));
        assert_eq!(property(first, "associations"), Some("protest; cat_verified"));
        assert_eq!(property(first, "sources"), Some("src_v01; src_p01"));
        assert_eq!(property(first, "association1"), None);
        assert_eq!(first.geometry, RawGeometry::LatLonText { lat: "44.8176".into(), lon: "20.4633".into() });
        assert_eq!(read.records[3].time, None);
        let commas = &read.records[5];
        assert_eq!(commas.geometry, RawGeometry::LatLonText { lat: "43.1100".into(), lon: "20.7500".into() });
        assert_eq!(commas.start.as_deref(), Some("2023-10-19"));
        let bare = &read.records[7];
        assert_eq!((bare.category.as_deref(), bare.reported_by.as_deref()), (Some("cat_unverified"), None));
        assert_eq!(bare.line, Some(9));
    }

    #[test]
    fn legacy_sheets_and_odd_dates() {
        let text = "id,description,date,time,location,latitude,longitude,category,narrative1,source1,tag1,type\n\
                    e1,Arrests. Many.,8/3/2011,,Here,1.5,2.5,Arrests,n1,s1,t1,Photo\n\
                    e2,Something,2011-08-04,9:05,,,,,,,,\n\
                    e3,Other,13/45/2011,,,,,,,,,\n";
        let read = read_csv(Path::new("legacy.csv"), text, &[]);
        assert_eq!(read.format, "TimeMap sheet (CSV)");
        let [first, second, third] = &read.records[..] else { panic!("{:?}", read.records) };
        assert_eq!(first.id.as_deref(), Some("e1"));
        assert_eq!(first.title.as_deref(), Some("Arrests"));
        assert_eq!(first.start.as_deref(), Some("2011-08-03"));
        assert_eq!(first.category.as_deref(), Some("Arrests"));
        assert_eq!(property(first, "associations"), Some("n1; t1"));
        assert_eq!(property(first, "type"), Some("Photo"));
        assert_eq!(second.start.as_deref(), Some("2011-08-04"));
        assert_eq!(second.geometry, RawGeometry::None);
        assert_eq!(third.start.as_deref(), Some("13/45/2011"));
    }

    #[test]
    fn dates_and_decimal_commas() {
        assert_eq!(iso_from_month_day_year("09/24/2023").as_deref(), Some("2023-09-24"));
        assert_eq!(iso_from_month_day_year(" 1/2/2023 ").as_deref(), Some("2023-01-02"));
        for bad in ["2023-09-24", "24/09/2023", "1/2/23", "1/2/2023/4", "a/b/cdef", "", "/", "123/1/2023"] {
            assert_eq!(iso_from_month_day_year(bad), None, "{bad}");
        }
        assert_eq!(decimal_point("43,1100"), "43.1100");
        assert_eq!(decimal_point("43.1"), "43.1");
        assert_eq!(decimal_point("1,000,5"), "1,000,5");
    }

    #[test]
    fn an_acled_header_is_not_a_timemap_one() {
        let acled = ["event_id_cnty", "event_date", "latitude", "longitude", "source"].map(String::from);
        assert!(!TimeMapColumns::matches(&acled));
        let sheet = ["Description", "Date", "Latitude", "Longitude", "source1"].map(String::from);
        assert!(TimeMapColumns::matches(&sheet));
        let plain = ["description", "date", "latitude", "longitude"].map(String::from);
        assert!(!TimeMapColumns::matches(&plain));
    }
}
