//! One feature's JSON text into an event: the raw shape read (directly for the common plain
//! feature, by serde otherwise), then every field checked, with problems that name the field.

use super::fast;
use super::raw::{RawCuratedProperties, RawFeature, RawGeometry, RawId};
use crate::io::build::place_of_geometry;
use crate::io::fields::{check_lon_lat, parse_span};
use crate::io::formats::geojson_any::geometry as geometry_of;
use crate::io::problem::{Location, Problem, ProblemKind, Severity};
use crate::model::SpanQualifiers;
use crate::model::category::CategoryInterner;
use crate::model::properties::PropertiesBuilder;
use crate::model::shape::Shape;
use crate::model::shared_text::SharedTextBuilder;
use crate::model::text::trimmed;
use crate::model::{
    Casualties, Citation, ClaimStatus, DateBasis, Event, EventDetails, LocationPrecision, LonLat, Relation,
    RelationKind,
};

/// What the features of one chunk share: their categories and their other fields, collected in
/// feature order for the events that load.
#[derive(Debug, Default)]
pub struct FeatureContext {
    /// The categories met so far.
    pub categories: CategoryInterner,
    /// The other fields of the events made so far.
    pub properties: PropertiesBuilder,
    /// The titles of the events made so far: the long ones given out once the chunk is read.
    pub titles: SharedTextBuilder,
}

/// How strict to be.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum EventFileMode {
    /// `events.geojson` of a Kronika dataset: ids, titles and citations are required.
    Dataset,
    /// A GeoJSON file from another tool: only `start` is required.
    Plain,
}

/// Explains a top-level parse failure in words a user can act on.
pub(crate) fn top_level_problem(text: &str, error: &serde_json::Error) -> ProblemKind {
    let first = text.trim_start().chars().next();
    match (error.classify(), first) {
        (_, None) => ProblemKind::WrongShape("the file is empty".into()),
        (serde_json::error::Category::Data, Some('[')) => {
            ProblemKind::WrongShape("the file is a JSON array; expected a GeoJSON FeatureCollection object".into())
        }
        (serde_json::error::Category::Data, _) => {
            ProblemKind::WrongShape(format!("expected a GeoJSON FeatureCollection: {error}"))
        }
        _ => ProblemKind::Syntax { line: error.line(), column: error.column(), message: strip_position(error) },
    }
}

/// serde_json appends " at line L column C"; the location is reported separately.
pub(crate) fn strip_position(error: &serde_json::Error) -> String {
    let message = error.to_string();
    match message.rfind(" at line ") {
        Some(cut) => message[..cut].to_owned(),
        None => message,
    }
}

/// Reads one feature (`raw`, its JSON text, the `index`-th of its file) into an event, or reports
/// why not. Problems are located at `at`, with the field and the feature's id filled in.
pub(super) fn parse_feature(
    raw: &str,
    index: usize,
    at: &Location,
    mode: EventFileMode,
    problems: &mut Vec<Problem>,
    context: &mut FeatureContext,
) -> Option<Event> {
    // A feature must be an object; serde would also accept an array as a struct, and say less.
    if let Some(found) = crate::io::fields::non_object_kind(raw) {
        problems.push(Problem::error(
            at.clone(),
            ProblemKind::WrongShape(format!("expected a GeoJSON Feature object, found {found}")),
        ));
        return None;
    }
    // The common plain shape is read directly; the rest by serde, and only a feature that
    // fails is parsed again to learn which field failed.
    let parsed: Result<RawFeature<'_>, _> = fast::read(raw).map_or_else(
        || {
            serde_json::from_str(raw).map_err(|_| {
                let mut deserializer = serde_json::Deserializer::from_str(raw);
                serde_path_to_error::deserialize::<_, RawFeature<'_>>(&mut deserializer).err()
            })
        },
        Ok,
    );
    let feature = match parsed {
        Ok(feature) => feature,
        Err(None) => {
            problems.push(Problem::error(
                Location { id: peek_id(raw), ..at.clone() },
                ProblemKind::WrongShape("the feature could not be read".into()),
            ));
            return None;
        }
        Err(Some(error)) => {
            let field = error.path().to_string();
            let id = peek_id(raw);
            problems.push(Problem::error(
                Location { id, field: (field != ".").then_some(field), ..at.clone() },
                ProblemKind::WrongShape(strip_position(error.inner())),
            ));
            return None;
        }
    };
    if feature.kind.as_deref() != Some("Feature") {
        problems.push(Problem::error(
            Location { field: Some("type".into()), ..at.clone() },
            ProblemKind::WrongShape(format!(
                "expected type \"Feature\", found {:?}",
                &*feature.kind.unwrap_or_default()
            )),
        ));
        return None;
    }
    let Some(properties) = feature.properties else {
        problems
            .push(Problem::error(Location { field: Some("properties".into()), ..at.clone() }, ProblemKind::Missing));
        return None;
    };
    // The feature's own id wins; an id among its properties that says otherwise is kept as a
    // field, not dropped.
    let (id, listed_id) = match (feature.id, properties.id) {
        (Some(own), Some(listed)) if own.0 != listed.0 => (Some(own), Some(listed)),
        (own, listed) => (own.or(listed), None),
    };
    let id = id.map(RawId::into_compact);
    let id = match (id, mode) {
        (Some(id), _) if !trimmed(&id).is_empty() => id,
        (_, EventFileMode::Dataset) => {
            problems.push(Problem::error(Location { field: Some("id".into()), ..at.clone() }, ProblemKind::Missing));
            return None;
        }
        (_, EventFileMode::Plain) => compact_str::format_compact!("#{index}"),
    };
    let at_field = |field: &str| Location { field: Some(field.to_owned()), ..at.clone() };
    let errors_before = problems.len();

    let title = match (&properties.title, mode) {
        (Some(title), _) if !trimmed(title).is_empty() => Some(&**title),
        (_, EventFileMode::Dataset) => {
            problems.push(Problem::error(at_field("properties.title"), ProblemKind::Missing));
            None
        }
        (_, EventFileMode::Plain) => Some(id.as_str()),
    };

    let span = parse_span(properties.start.as_deref(), properties.end.as_deref(), properties.approximate, at, problems);
    // Most features of a large file have nothing curated (at most other tools' fields): their
    // events get no details at all.
    let nothing_curated = properties.curated.as_deref().is_none_or(RawCuratedProperties::has_only_extra);
    let curated = properties.curated.map(|curated| *curated).unwrap_or_default();
    let span = span.map(|mut span| {
        span.qualifiers = span
            .qualifiers
            .with(SpanQualifiers::UNDATED, curated.undated)
            .with(SpanQualifiers::OPEN_END, curated.ongoing);
        span
    });
    if curated.undated && curated.ongoing {
        problems.push(Problem::error(
            at_field("properties.ongoing"),
            ProblemKind::WrongShape("an undated event cannot also be ongoing: give one or the other".into()),
        ));
    }
    let (lon_lat, shape) = parse_geometry(feature.geometry, raw, at, problems);

    let location_precision = parse_vocabulary(
        curated.location_precision.as_deref(),
        LocationPrecision::from_key,
        LocationPrecision::keys,
        LocationPrecision::Settlement,
        "properties.location_precision",
        at,
        problems,
    );
    let claim_status = parse_vocabulary(
        curated.claim_status.as_deref(),
        ClaimStatus::from_key,
        ClaimStatus::keys,
        ClaimStatus::Reported,
        "properties.claim_status",
        at,
        problems,
    );
    let date_basis = curated.date_basis.as_deref().and_then(|key| {
        let parsed = DateBasis::from_key(key);
        if parsed.is_none() {
            problems.push(Problem::error(
                at_field("properties.date_basis"),
                ProblemKind::UnknownValue { value: key.to_owned(), expected: DateBasis::keys() },
            ));
        }
        parsed
    });
    let extra = curated.extra;

    let mut relations = Vec::with_capacity(curated.relations.len());
    for (i, relation) in curated.relations.into_iter().enumerate() {
        match RelationKind::from_key(&relation.kind) {
            Some(kind) => relations.push(Relation { kind, event_id: relation.event, note: relation.note }),
            None => problems.push(Problem::error(
                at_field(&format!("properties.relations[{i}].type")),
                ProblemKind::UnknownValue { value: relation.kind, expected: RelationKind::keys() },
            )),
        }
    }
    let citations: Vec<Citation> = curated
        .citations
        .into_iter()
        .map(|c| Citation { source_id: c.source, quote: c.quote, char_range: c.range.map(|[s, e]| (s, e)) })
        .collect();
    if citations.is_empty() && mode == EventFileMode::Dataset {
        problems.push(Problem::error(at_field("properties.citations"), ProblemKind::NoCitation));
    }

    // Name the feature in its problems here, once, so valid features allocate nothing for it.
    for problem in problems.iter_mut().skip(errors_before) {
        if problem.location.id.is_none() {
            problem.location.id = Some(id.to_string());
        }
    }
    let has_errors = problems.iter().skip(errors_before).any(|p| p.severity == Severity::Error);
    let span = span?;
    if has_errors {
        return None;
    }
    // Given last, when the event is sure to be kept: the chunk's titles are handed out after it.
    let title = context.titles.next(title.unwrap_or_default());
    let mut event = Event::minimal(id, title, span, lon_lat);
    if !nothing_curated || shape.is_some() {
        event = event.with_details(EventDetails {
            summary: curated.summary,
            date_label: curated.date_label,
            date_note: curated.date_note,
            date_basis,
            place_id: curated.place,
            place_name: None,
            further_places: curated.places,
            actors: curated.actors,
            casualties: curated.casualties.map(|c| Casualties {
                killed: c.killed,
                wounded: c.wounded,
                detained: c.detained,
                note: c.note,
            }),
            relations,
            citations,
            shape,
        });
    }
    event.location_precision = location_precision;
    // The data's own category, kept as written; its other fields go to the dataset's store.
    event.category = context.categories.intern(properties.category.as_deref());
    context.properties.next_event();
    if let Some(listed_id) = listed_id {
        context.properties.set("id", &listed_id.0);
    }
    for (key, value) in &extra {
        context.properties.set(key, value);
    }
    event.claim_status = claim_status;
    Some(event)
}

/// Best effort: the id of a feature that failed to parse, so its problem can name it. Each
/// part is read on its own, so a malformed `properties` does not hide the feature's own `id`.
pub(super) fn peek_id(raw: &str) -> Option<String> {
    #[derive(serde::Deserialize)]
    struct FeatureId {
        id: Option<RawId>,
    }
    #[derive(serde::Deserialize)]
    struct PropertiesId {
        properties: Option<FeatureId>,
    }
    let feature_id = serde_json::from_str::<FeatureId>(raw).ok().and_then(|f| f.id);
    let id = feature_id.or_else(|| serde_json::from_str::<PropertiesId>(raw).ok()?.properties?.id);
    id.map(|id| id.into_compact().into())
}

fn parse_vocabulary<T: Copy>(
    key: Option<&str>,
    from_key: fn(&str) -> Option<T>,
    keys: fn() -> String,
    default: T,
    field: &str,
    at: &Location,
    problems: &mut Vec<Problem>,
) -> T {
    let Some(key) = key else { return default };
    from_key(key).unwrap_or_else(|| {
        let at = Location { field: Some(field.to_owned()), ..at.clone() };
        problems.push(Problem::error(at, ProblemKind::UnknownValue { value: key.to_owned(), expected: keys() }));
        default
    })
}

/// GeoJSON's geometry types other than Point, read into lines, areas and further points.
const SHAPE_TYPES: [&str; 6] =
    ["LineString", "Polygon", "MultiPoint", "MultiLineString", "MultiPolygon", "GeometryCollection"];

/// A geometry's representative point and, for lines and areas, its shape; `None` for a null
/// geometry; problems for anything wrong. `raw` is the feature's JSON, read again (with its
/// nested coordinates) only for geometries that are not Points.
fn parse_geometry(
    geometry: Option<RawGeometry<'_>>,
    raw: &str,
    at: &Location,
    problems: &mut Vec<Problem>,
) -> (Option<LonLat>, Option<Box<Shape>>) {
    let Some(geometry) = geometry else { return (None, None) };
    if &*geometry.kind == "Point" {
        return (parse_point(geometry, at, problems), None);
    }
    let field = |name: &str| Location { field: Some(format!("geometry.{name}")), ..at.clone() };
    if !SHAPE_TYPES.contains(&&*geometry.kind) {
        let message = format!(
            "geometry type {:?} is not a GeoJSON geometry (Point, LineString, Polygon, their Multi forms, GeometryCollection)",
            &*geometry.kind
        );
        problems.push(Problem::error(field("type"), ProblemKind::WrongShape(message)));
        return (None, None);
    }
    let value: Option<serde_json::Value> = serde_json::from_str::<serde_json::Value>(raw)
        .ok()
        .and_then(|mut feature| feature.get_mut("geometry").map(serde_json::Value::take));
    let raw_geometry = value.as_ref().map_or(crate::io::records::RawGeometry::None, geometry_of);
    if matches!(raw_geometry, crate::io::records::RawGeometry::None) {
        problems.push(Problem::error(field("coordinates"), ProblemKind::Missing));
        return (None, None);
    }
    let (point, shape) = place_of_geometry(&raw_geometry, at, problems);
    if point.is_none() && shape.is_none() {
        return (None, None);
    }
    (point, shape.map(Box::new))
}

/// A Point geometry's position; problems for anything wrong with it.
fn parse_point(geometry: RawGeometry<'_>, at: &Location, problems: &mut Vec<Problem>) -> Option<LonLat> {
    let field = |name: &str| Location { field: Some(format!("geometry.{name}")), ..at.clone() };
    let Some(coordinates) = geometry.coordinates else {
        problems.push(Problem::error(field("coordinates"), ProblemKind::Missing));
        return None;
    };
    if coordinates.not_numbers {
        problems.push(Problem::error(
            field("coordinates"),
            ProblemKind::BadCoordinate("coordinates must be [longitude, latitude] numbers".into()),
        ));
        return None;
    }
    let numbers = coordinates.numbers.get(..coordinates.count.min(2)).unwrap_or_default();
    match check_lon_lat(numbers) {
        Ok(lon_lat) => Some(lon_lat),
        Err((axis, message)) => {
            problems.push(Problem::error(field(&format!("coordinates[{axis}]")), ProblemKind::BadCoordinate(message)));
            None
        }
    }
}
