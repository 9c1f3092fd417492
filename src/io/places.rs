//! Reading the gazetteer (`places.geojson`) with the `geojson` crate: it is small, and its
//! features carry free-form name tables that suit `geojson`'s JSON-object properties.

use std::collections::{BTreeMap, HashMap};
use std::path::Path;
use std::str::FromStr as _;

use geojson::{GeometryValue, JsonObject};

use super::fields::check_lon_lat;
use super::problem::{Location, Problem, ProblemKind};
use crate::model::{Place, PlaceKind};

/// Parses the gazetteer in `text` (the content of `file`), pushing every problem found.
/// A feature that is not a valid GeoJSON feature is one located problem; the others still load.
pub fn parse_places(file: &Path, text: &str, problems: &mut Vec<Problem>) -> Vec<Place> {
    /// The collection with its features kept raw, so each is read (and can fail) on its own.
    #[derive(serde::Deserialize)]
    struct RawCollection<'a> {
        #[serde(rename = "type")]
        kind: Option<String>,
        #[serde(borrow)]
        features: Vec<&'a serde_json::value::RawValue>,
    }
    let at_file = Location { file: file.to_path_buf(), ..Location::default() };
    let collection = match serde_json::from_str::<RawCollection<'_>>(text) {
        Ok(collection) if collection.kind.as_deref() == Some("FeatureCollection") => collection,
        Ok(_) => {
            let at = Location { field: Some("type".into()), ..at_file };
            problems.push(Problem::error(at, ProblemKind::WrongShape("expected a GeoJSON FeatureCollection".into())));
            return Vec::new();
        }
        Err(error) => {
            problems.push(Problem::error(
                at_file,
                ProblemKind::WrongShape(format!("not a GeoJSON FeatureCollection: {error}")),
            ));
            return Vec::new();
        }
    };
    let mut places = Vec::with_capacity(collection.features.len());
    let mut first_index_of_id: HashMap<String, usize> = HashMap::new();
    for (index, raw) in collection.features.into_iter().enumerate() {
        let feature = match geojson::Feature::from_str(raw.get()) {
            Ok(feature) => feature,
            Err(error) => {
                let id = serde_json::from_str::<serde_json::Value>(raw.get())
                    .ok()
                    .and_then(|v| v.get("id").map(|id| id.as_str().map_or_else(|| id.to_string(), str::to_owned)));
                let at = Location { index: Some(index), id, ..at_file.clone() };
                problems.push(Problem::error(at, ProblemKind::WrongShape(format!("{error}; the place was skipped"))));
                continue;
            }
        };
        let id = match feature.id {
            Some(geojson::feature::Id::String(id)) => Some(id),
            Some(geojson::feature::Id::Number(n)) => Some(n.to_string()),
            None => None,
        };
        let at = Location { index: Some(index), id: id.clone(), ..at_file.clone() };
        let field = |name: &str| Location { field: Some(name.to_owned()), ..at.clone() };
        let Some(id) = id else {
            problems.push(Problem::error(field("id"), ProblemKind::Missing));
            continue;
        };
        if let Some(&first_index) = first_index_of_id.get(&id) {
            problems.push(Problem::error(field("id"), ProblemKind::DuplicateId { id, first_index, record: "feature" }));
            continue;
        }
        let properties = feature.properties.unwrap_or_default();
        let lon_lat = match feature.geometry.map(|g| g.value) {
            Some(GeometryValue::Point { coordinates }) => match check_lon_lat(coordinates.as_slice()) {
                Ok(lon_lat) => lon_lat,
                Err((axis, message)) => {
                    problems.push(Problem::error(
                        field(&format!("geometry.coordinates[{axis}]")),
                        ProblemKind::BadCoordinate(message),
                    ));
                    continue;
                }
            },
            Some(_) => {
                problems.push(Problem::error(
                    field("geometry.type"),
                    ProblemKind::WrongShape("a place must be a Point".into()),
                ));
                continue;
            }
            None => {
                problems.push(Problem::error(field("geometry"), ProblemKind::Missing));
                continue;
            }
        };
        let Some(name) = string_property(&properties, "name") else {
            problems.push(Problem::error(field("properties.name"), ProblemKind::Missing));
            continue;
        };
        let kind_key = string_property(&properties, "kind").unwrap_or_else(|| PlaceKind::Settlement.key().to_owned());
        let Some(kind) = PlaceKind::from_key(&kind_key) else {
            problems.push(Problem::error(
                field("properties.kind"),
                ProblemKind::UnknownValue { value: kind_key, expected: PlaceKind::keys() },
            ));
            continue;
        };
        let names: BTreeMap<String, String> = properties
            .get("names")
            .and_then(|v| v.as_object())
            .map(|table| {
                table.iter().filter_map(|(lang, name)| Some((lang.clone(), name.as_str()?.to_owned()))).collect()
            })
            .unwrap_or_default();
        first_index_of_id.insert(id.clone(), index);
        places.push(Place {
            id,
            name,
            names,
            lon_lat,
            kind,
            municipality: string_property(&properties, "municipality"),
            coordinate_source: string_property(&properties, "coordinate_source"),
            note: string_property(&properties, "note"),
        });
    }
    places
}

fn string_property(properties: &JsonObject, key: &str) -> Option<String> {
    properties.get(key).and_then(|v| v.as_str()).map(str::to_owned)
}
