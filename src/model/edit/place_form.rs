//! A place of the gazetteer as a person edits it.

use serde_json::{Map, Value, json};

use super::json::text;

use super::{Draft, RecordKind, record_id};
use crate::model::{LocationPrecision, PlaceKind};

/// The fields of one place.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct PlaceForm {
    /// The record's id; `None` for a place not yet created.
    pub id: Option<String>,
    /// Its name.
    pub name: String,
    /// Other names, one per line as `language: name` (`sr_cyrl: Бањска`).
    pub names: String,
    /// A [`PlaceKind`] key.
    pub kind: String,
    /// Longitude, as typed.
    pub lon: String,
    /// Latitude, as typed.
    pub lat: String,
    /// Where the coordinates come from.
    pub coordinate_source: String,
    /// How precise the coordinates are: a [`LocationPrecision`] key.
    pub coordinate_precision: String,
    /// The municipality it lies in.
    pub municipality: String,
    /// Anything else worth knowing.
    pub note: String,
}

impl PlaceForm {
    /// A new place at a point picked on the map.
    pub fn at(lon: f64, lat: f64) -> Self {
        Self {
            kind: PlaceKind::Settlement.key().into(),
            lon: format!("{lon:.5}"),
            lat: format!("{lat:.5}"),
            coordinate_source: "picked on the map in Kronika".into(),
            coordinate_precision: LocationPrecision::Approximate.key().into(),
            ..Self::default()
        }
    }

    /// The form of an existing place feature.
    pub fn from_feature(feature: &Value) -> Self {
        let empty = Map::new();
        let p = feature.get("properties").and_then(Value::as_object).unwrap_or(&empty);
        let coordinate = |i: usize| {
            feature.pointer(&format!("/geometry/coordinates/{i}")).and_then(Value::as_f64).map(|v| v.to_string())
        };
        let names = p
            .get("names")
            .and_then(Value::as_object)
            .map(|names| {
                names
                    .iter()
                    .filter_map(|(lang, name)| Some(format!("{lang}: {}", name.as_str()?)))
                    .collect::<Vec<_>>()
                    .join("\n")
            })
            .unwrap_or_default();
        Self {
            id: record_id(feature),
            name: text(p, "name"),
            names,
            kind: text(p, "kind"),
            lon: coordinate(0).unwrap_or_default(),
            lat: coordinate(1).unwrap_or_default(),
            coordinate_source: text(p, "coordinate_source"),
            coordinate_precision: text(p, "coordinate_precision"),
            municipality: text(p, "municipality"),
            note: text(p, "note"),
        }
    }

    /// The point, when both coordinates are numbers on the globe.
    pub fn lon_lat(&self) -> Option<(f64, f64)> {
        let lon: f64 = self.lon.trim().parse().ok()?;
        let lat: f64 = self.lat.trim().parse().ok()?;
        ((-180.0..=180.0).contains(&lon) && (-85.0..=85.0).contains(&lat)).then_some((lon, lat))
    }

    /// Problems to fix before the place can load, each naming its field.
    pub fn problems(&self) -> Vec<String> {
        let mut problems = Vec::new();
        if self.name.trim().is_empty() {
            problems.push("Name: a place needs a name.".to_owned());
        }
        if PlaceKind::from_key(&self.kind).is_none() {
            problems.push(format!("Kind: {:?} is not one of {}.", self.kind, PlaceKind::keys()));
        }
        if self.lon_lat().is_none() {
            problems.push("Coordinates: longitude −180…180 and latitude −85…85, in degrees.".to_owned());
        }
        if !self.coordinate_precision.is_empty() && LocationPrecision::from_key(&self.coordinate_precision).is_none() {
            problems.push(format!(
                "Coordinate precision: {:?} is not one of {}.",
                self.coordinate_precision,
                LocationPrecision::keys()
            ));
        }
        if self.names.lines().any(|line| !line.trim().is_empty() && !line.contains(':')) {
            problems.push("Other names: write each as language: name.".to_owned());
        }
        problems
    }

    /// Writes the form into `base` (or a new feature), keeping fields it does not show.
    pub fn to_feature(&self, id: &str, base: Option<&Value>) -> Value {
        let mut feature = base.cloned().unwrap_or_else(|| json!({"type": "Feature"}));
        let Some(object) = feature.as_object_mut() else { return feature };
        object.insert("id".into(), Value::String(id.to_owned()));
        if let Some((lon, lat)) = self.lon_lat() {
            object.insert("geometry".into(), json!({"type": "Point", "coordinates": [lon, lat]}));
        }
        let properties = object.entry("properties").or_insert_with(|| json!({}));
        if !properties.is_object() {
            *properties = json!({});
        }
        let Some(p) = properties.as_object_mut() else { return feature };
        let mut set = |key: &str, value: &str| {
            if value.trim().is_empty() {
                p.remove(key);
            } else {
                p.insert(key.to_owned(), Value::String(value.trim().to_owned()));
            }
        };
        set("name", &self.name);
        set("kind", &self.kind);
        set("coordinate_source", &self.coordinate_source);
        set("coordinate_precision", &self.coordinate_precision);
        set("municipality", &self.municipality);
        set("note", &self.note);
        let names: Map<String, Value> = self
            .names
            .lines()
            .filter_map(|line| line.split_once(':'))
            .map(|(lang, name)| (lang.trim().to_owned(), Value::String(name.trim().to_owned())))
            .filter(|(lang, _)| !lang.is_empty())
            .collect();
        if names.is_empty() {
            p.remove("names");
        } else {
            p.insert("names".into(), Value::Object(names));
        }
        feature
    }
}

/// Places whose name or any other name contains `query` (folded: Banjska finds Бањска), best
/// first: names that start with it before names that contain it.
pub fn find_places<'a>(draft: &'a Draft, query: &str) -> Vec<(&'a Value, String)> {
    let query = crate::model::search::fold(query.trim());
    let mut found: Vec<(usize, &Value, String)> = draft
        .records(RecordKind::Place)
        .iter()
        .filter_map(|place| {
            let names = place.pointer("/properties/names").and_then(Value::as_object);
            let all = std::iter::once(place.pointer("/properties/name").and_then(Value::as_str).unwrap_or_default())
                .chain(names.into_iter().flat_map(|n| n.values().filter_map(Value::as_str)));
            let rank = all
                .map(crate::model::search::fold)
                .filter_map(|name| if name.starts_with(&query) { Some(0) } else { name.contains(&query).then_some(1) })
                .min()?;
            Some((rank, place, super::record_name(RecordKind::Place, place)))
        })
        .collect();
    found.sort_by(|a, b| a.0.cmp(&b.0).then_with(|| a.2.cmp(&b.2)));
    found.into_iter().map(|(_, place, name)| (place, name)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_place_round_trips_and_keeps_other_fields() {
        let feature = json!({"type": "Feature", "id": "pl-x", "geometry": {"type": "Point", "coordinates": [20.5, 42.25]},
            "properties": {"name": "Banjska", "names": {"sr_cyrl": "Бањска"}, "kind": "settlement", "wikidata": "Q1"}});
        let form = PlaceForm::from_feature(&feature);
        assert_eq!(form.names, "sr_cyrl: Бањска");
        assert!(form.problems().is_empty());
        assert_eq!(form.to_feature("pl-x", Some(&feature)), feature);
        let draft = Draft { places: vec![feature], ..Draft::default() };
        assert_eq!(find_places(&draft, "бањ").len(), 1);
        assert_eq!(find_places(&draft, "banjs").len(), 1);
        assert!(find_places(&draft, "zvecan").is_empty());
    }

    #[test]
    fn bad_coordinates_are_named() {
        let form = PlaceForm {
            name: "x".into(),
            kind: "settlement".into(),
            lon: "200".into(),
            lat: "1".into(),
            ..PlaceForm::default()
        };
        assert_eq!(form.problems().len(), 1);
        assert!(form.problems()[0].starts_with("Coordinates"));
    }
}
