//! The table Kronika expects, and how the columns of a table made by others map onto it.

use super::url::is_identifier;
use crate::io::formats::columns::ColumnRole;

/// The columns of Kronika's table, in `RowBinary` order.
pub const COLUMNS: &str = "id, title, start_day, end_day, start_precision, end_precision, undated, placed, lon, lat, x, y, \
     category, summary, fields, search, load_id, load_batch";

/// The statement that creates Kronika's table (a `MergeTree` ordered by day and id).
///
/// `start_day`/`end_day` are days of the common era (0001-01-01 is day 1; 1970-01-01 is 719163), so
/// any year fits; `x`/`y` the
/// Web Mercator unit square, computed by Kronika so that every store puts a point in the same map
/// cell; `search` the folded text a search looks in; `fields` every other field as a JSON array of
/// `[name, value]`; `load_id`/`load_batch` let an interrupted load resume without duplicates.
pub fn create_table_sql(table: &str, engine: &str) -> String {
    format!(
        "CREATE TABLE IF NOT EXISTS {table} (\
         id String, title String, start_day Int32, end_day Int32, start_precision UInt8, end_precision UInt8, \
         undated UInt8, placed UInt8, lon Float64, lat Float64, x Float64, y Float64, \
         category String, summary String, fields String, search String, load_id String, load_batch UInt32\
         ) ENGINE = {engine}"
    )
}

/// The name of a table's day counts, kept by ClickHouse as rows are inserted.
pub fn day_counts_table(table: &str) -> String {
    format!("{table}_by_day")
}

/// The materialized view that keeps, for every start day, how many dated events start on it:
/// the timeline's bins from a few thousand rows instead of every event. Made with the table, so
/// that it sees every row.
pub fn create_day_counts_sql(table: &str) -> String {
    format!(
        "CREATE MATERIALIZED VIEW IF NOT EXISTS {} ENGINE = SummingMergeTree() PARTITION BY intDiv(start_day, 3653) \
         ORDER BY start_day AS SELECT start_day, count() AS n FROM {table} WHERE undated = 0 GROUP BY start_day",
        day_counts_table(table)
    )
}

/// The zooms of the cells kept ready for whole-time views, coarsest first: cells of any zoom up to
/// one of them are unions of its cells (each zoom's cells are two by two of the next).
pub const READY_CELLS_ZOOMS: [f64; 2] = [8.0, 12.0];

/// The name of a table's cells kept ready at `zoom`.
pub fn ready_cells_table(table: &str, zoom: f64) -> String {
    format!("{table}_cells_z{zoom}")
}

/// The materialized view that keeps, for every cell at `zoom` and category, how many dated,
/// placed events are in it and the sums of their positions: a map of all time from far fewer rows
/// than events. Made with the table, so that it sees every row.
pub fn create_ready_cells_sql(table: &str, zoom: f64) -> String {
    let size = crate::model::store::cell_size(zoom);
    format!(
        "CREATE MATERIALIZED VIEW IF NOT EXISTS {} ENGINE = SummingMergeTree() ORDER BY (cx, cy, category) AS \
         SELECT toUInt64(x / {size:?}) AS cx, toUInt64(y / {size:?}) AS cy, category, count() AS n, sum(x) AS sx, \
         sum(y) AS sy FROM {table} WHERE undated = 0 AND placed = 1 GROUP BY cx, cy, category",
        ready_cells_table(table, zoom)
    )
}

/// The engine of a table on one server.
pub const MERGE_TREE: &str = "MergeTree() PARTITION BY intDiv(start_day, 3653) ORDER BY (start_day, id)";

/// What Kronika reads from a table, as SQL expressions over its columns: Kronika's own names, or
/// those of a table made by others, mapped as `--columns` maps a spreadsheet's.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ColumnMap {
    /// The id, as text.
    pub id: String,
    /// The title.
    pub title: String,
    /// First day (days of the common era).
    pub start_day: String,
    /// Last day.
    pub end_day: String,
    /// Start precision (0 day, 1 month, 2 year).
    pub start_precision: String,
    /// End precision.
    pub end_precision: String,
    /// 1 when the days only bound an undated event.
    pub undated: String,
    /// 1 when the event has a point.
    pub placed: String,
    /// Longitude.
    pub lon: String,
    /// Latitude.
    pub lat: String,
    /// Web Mercator x.
    pub x: String,
    /// Web Mercator y.
    pub y: String,
    /// The category's key.
    pub category: String,
    /// The summary.
    pub summary: String,
    /// Other fields, a JSON array of pairs.
    pub fields: String,
    /// The text searched, folded.
    pub search: String,
}

impl Default for ColumnMap {
    fn default() -> Self {
        let own = |name: &str| name.to_owned();
        Self {
            id: own("id"),
            title: own("title"),
            start_day: own("start_day"),
            end_day: own("end_day"),
            start_precision: own("start_precision"),
            end_precision: own("end_precision"),
            undated: own("undated"),
            placed: own("placed"),
            lon: own("lon"),
            lat: own("lat"),
            x: own("x"),
            y: own("y"),
            category: own("category"),
            summary: own("summary"),
            fields: own("fields"),
            search: own("search"),
        }
    }
}

impl ColumnMap {
    /// The map for a table made by others: `start` (a Date, DateTime or ISO text column), `end`,
    /// `lat`, `lon`, `title`, `category`, `id` and `summary` named as `--columns` names them.
    ///
    /// # Errors
    /// A column name that is not a plain identifier, or a missing `start`, `lat` or `lon`.
    pub fn mapped(columns: &[(ColumnRole, String)]) -> Result<Self, String> {
        let named = |role: ColumnRole| columns.iter().find(|(r, _)| *r == role).map(|(_, name)| name.as_str());
        for (_, name) in columns {
            if !is_identifier(name) {
                return Err(format!("column {name:?}: a table's column names are letters, digits and _"));
            }
        }
        let need = |role: ColumnRole| named(role).ok_or_else(|| format!("--columns must name the {role:?} column"));
        let (start, lat, lon) = (need(ColumnRole::Start)?, need(ColumnRole::Lat)?, need(ColumnRole::Lon)?);
        // Days of the common era, as Kronika counts them: ClickHouse's dates count from 1970.
        let day = |column: &str| format!("(toInt32(toDate(parseDateTimeBestEffort(toString({column})))) + 719163)");
        let text = |role: ColumnRole| named(role).map_or_else(|| "''".to_owned(), |c| format!("toString({c})"));
        let lat_expr = format!("toFloat64({lat})");
        let lon_expr = format!("toFloat64({lon})");
        let title = text(ColumnRole::Title);
        let summary = text(ColumnRole::Summary);
        Ok(Self {
            id: named(ColumnRole::Id)
                .map_or_else(|| "toString(cityHash64(*))".to_owned(), |c| format!("toString({c})")),
            start_day: day(start),
            end_day: day(named(ColumnRole::End).unwrap_or(start)),
            start_precision: "toUInt8(0)".into(),
            end_precision: "toUInt8(0)".into(),
            undated: "toUInt8(0)".into(),
            placed: "toUInt8(1)".into(),
            x: format!("(({lon_expr}) + 180) / 360"),
            y: format!("0.5 - log(tan(pi() / 4 + ({lat_expr}) * pi() / 360)) / (2 * pi())"),
            search: format!("lowerUTF8(concat({title}, ' ', {summary}))"),
            category: text(ColumnRole::Category),
            fields: "'[]'".into(),
            lon: lon_expr,
            lat: lat_expr,
            title,
            summary,
        })
    }

    /// The select list of one event row.
    pub(super) fn row_select(&self) -> String {
        format!(
            "{} AS id, {} AS title, {} AS start_day, {} AS end_day, {} AS start_precision, {} AS end_precision, \
             {} AS undated, {} AS placed, {} AS lon, {} AS lat, {} AS category, {} AS summary, {} AS fields",
            self.id,
            self.title,
            self.start_day,
            self.end_day,
            self.start_precision,
            self.end_precision,
            self.undated,
            self.placed,
            self.lon,
            self.lat,
            self.category,
            self.summary,
            self.fields
        )
    }
}
