//! The [`EventStore`] that asks ClickHouse: each question one or two SQL queries that aggregate on
//! the server, so a billion rows come back as a few hundred cells or bins.

use std::collections::BTreeMap;

use serde::Deserialize;

use super::client::{Client, literal, number};
use super::error::ClickHouseError;
use super::schema::{ColumnMap, READY_CELLS_ZOOMS, day_counts_table, ready_cells_table};
use super::url::ClickHouseUrl;
use crate::model::DayNumber;
use crate::model::geo::WorldPoint;
use crate::model::store::{
    BinQuery, Cell, EventRow, EventStore, SearchHits, StoreError, ViewQuery, cell_size, search_words, sorted_categories,
};

/// A ClickHouse table (or a `Distributed` table over shards), asked as a store.
#[derive(Clone, Debug)]
pub struct ClickHouseStore {
    client: Client,
    columns: ColumnMap,
    /// The longest span of an event, in days: a window's start then bounds the start days too,
    /// which the table's order (start day first) lets ClickHouse skip to. Asked once.
    longest_span: std::sync::Arc<std::sync::OnceLock<i64>>,
    /// Which of the table's day counts and ready cells (made by `kronika load`) exist, each
    /// asked once.
    known_tables: std::sync::Arc<std::sync::Mutex<std::collections::HashMap<String, bool>>>,
    /// The first and last day, asked once.
    extent_once: std::sync::Arc<std::sync::OnceLock<Option<(DayNumber, DayNumber)>>>,
    /// The prefix of this store's query ids, so that [`EventStore::cancel`] kills only its own.
    session: String,
    /// Queries asked so far (their ids' last part).
    asked: std::sync::Arc<std::sync::atomic::AtomicU64>,
}

#[derive(Deserialize)]
struct Span {
    #[serde(deserialize_with = "number::i64")]
    span: i64,
}

#[derive(Deserialize)]
struct Day {
    #[serde(deserialize_with = "number::i64")]
    day: i64,
}

#[derive(Deserialize)]
struct Count {
    #[serde(deserialize_with = "number::u64")]
    n: u64,
}

#[derive(Deserialize)]
struct Extent {
    #[serde(deserialize_with = "number::i64")]
    first: i64,
    #[serde(deserialize_with = "number::i64")]
    last: i64,
    #[serde(deserialize_with = "number::u64")]
    n: u64,
}

#[derive(Deserialize)]
struct CellRow {
    #[serde(alias = "kx", deserialize_with = "number::u64")]
    cx: u64,
    #[serde(alias = "ky", deserialize_with = "number::u64")]
    cy: u64,
    category: String,
    #[serde(deserialize_with = "number::u64")]
    n: u64,
    sx: f64,
    sy: f64,
}

#[derive(Deserialize)]
struct BinRow {
    #[serde(deserialize_with = "number::i64")]
    b: i64,
    #[serde(deserialize_with = "number::u64")]
    n: u64,
}

#[derive(Deserialize)]
struct Row {
    id: String,
    title: String,
    start_day: i32,
    end_day: i32,
    start_precision: u8,
    end_precision: u8,
    undated: u8,
    placed: u8,
    lon: f64,
    lat: f64,
    category: String,
    summary: String,
    fields: String,
}

impl From<Row> for EventRow {
    fn from(row: Row) -> Self {
        let mut fields: Vec<(String, String)> = serde_json::from_str(&row.fields).unwrap_or_default();
        fields.sort();
        Self {
            id: row.id,
            title: row.title,
            days: (row.start_day, row.end_day),
            precision: (row.start_precision, row.end_precision),
            undated: row.undated != 0,
            lon_lat: (row.placed != 0).then_some((row.lon, row.lat)),
            category: row.category,
            summary: row.summary,
            fields,
        }
    }
}

/// True when every side of the viewport is on the grid of cells at `zoom`, or the world's edge.
fn on_grid(query: &ViewQuery, zoom: f64) -> bool {
    let size = cell_size(zoom);
    let b = query.bounds;
    [(b.min.x, true), (b.min.y, true), (b.max.x, false), (b.max.y, false)]
        .into_iter()
        .all(|(value, lower)| if lower { value <= 0.0 } else { value >= 1.0 } || (value / size).fract() == 0.0)
}

impl From<ClickHouseError> for StoreError {
    fn from(error: ClickHouseError) -> Self {
        Self(error.to_string())
    }
}

/// A cell's sums while its categories' rows are added up.
#[derive(Default)]
struct CellSums {
    count: u64,
    x: f64,
    y: f64,
    categories: Vec<(String, u64)>,
}

impl ClickHouseStore {
    /// The store of the table `url` names, with Kronika's own columns or `columns` mapped.
    ///
    /// # Errors
    /// When no HTTP client can be made.
    pub fn new(url: ClickHouseUrl, columns: ColumnMap) -> Result<Self, ClickHouseError> {
        Ok(Self {
            client: Client::new(url)?,
            columns,
            longest_span: std::sync::Arc::default(),
            known_tables: std::sync::Arc::default(),
            extent_once: std::sync::Arc::default(),
            session: format!(
                "kronika-{}-{}",
                std::process::id(),
                std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_nanos())
            ),
            asked: std::sync::Arc::default(),
        })
    }

    /// The client, for loading and setup.
    pub fn client(&self) -> &Client {
        &self.client
    }

    /// Rows of a query that [`EventStore::cancel`] can stop.
    fn rows<T: serde::de::DeserializeOwned>(&self, query: &str) -> Result<Vec<T>, StoreError> {
        let n = self.asked.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let id = format!("{}-{n}", self.session);
        match self.client.rows_as(query, Some(&id)) {
            Ok(rows) => Ok(rows),
            // ClickHouse's QUERY_WAS_CANCELLED: KILL QUERY stopped it.
            Err(ClickHouseError::Refused { message, .. })
                if message.contains("Code: 394") || message.contains("cancelled") =>
            {
                Err(StoreError::cancelled())
            }
            Err(error) => Err(error.into()),
        }
    }

    fn table(&self) -> String {
        self.client.url().qualified_table()
    }

    /// True when the database has a table of this name.
    ///
    /// # Errors
    /// When the server cannot answer.
    pub fn table_exists(&self, name: &str) -> Result<bool, ClickHouseError> {
        let sql = format!(
            "SELECT count() AS n FROM system.tables WHERE database = {} AND name = {}",
            literal(&self.client.url().database),
            literal(name)
        );
        let rows: Vec<Count> = self.client.rows(&sql)?;
        Ok(rows.first().is_some_and(|row| row.n > 0))
    }

    /// True when the database has the table `name`, asked of the server once. (A server that
    /// cannot say counts as not having it: the events themselves are then asked.)
    fn has_table(&self, name: &str) -> bool {
        let known = self.known_tables.lock().ok().and_then(|known| known.get(name).copied());
        known.unwrap_or_else(|| {
            let has = self.table_exists(name).unwrap_or(false);
            if let Ok(mut known) = self.known_tables.lock() {
                known.insert(name.to_owned(), has);
            }
            has
        })
    }

    /// The table of day counts to draw the timeline from, when it has one and its own columns.
    fn day_counts(&self) -> Option<String> {
        if self.columns != ColumnMap::default() {
            return None;
        }
        self.has_table(&day_counts_table(&self.client.url().table)).then(|| day_counts_table(&self.table()))
    }

    /// The cells of a view from the cells kept ready, when they can give them exactly: Kronika's
    /// own table with its ready cells, a window of all time, a whole zoom up to a ready one, and a
    /// viewport on its grid (the explorer snaps it so). The coarsest such level is used. `None`:
    /// ask the events themselves.
    fn ready_cells_sql(&self, query: &ViewQuery) -> Result<Option<String>, StoreError> {
        let zoom = query.zoom;
        if self.columns != ColumnMap::default() || zoom.fract() != 0.0 || zoom < 0.0 {
            return Ok(None);
        }
        let Some(ready_zoom) = READY_CELLS_ZOOMS.into_iter().find(|ready| zoom <= *ready && on_grid(query, *ready))
        else {
            return Ok(None);
        };
        let Some((first, last)) = *self.whole_extent()? else { return Ok(None) };
        if query.from_day > first || query.to_day < last {
            return Ok(None);
        }
        let name = ready_cells_table(&self.client.url().table, ready_zoom);
        if !self.has_table(&name) {
            return Ok(None);
        }
        let size = cell_size(ready_zoom);
        let mut bounds = Vec::new();
        for (value, column, lower) in [
            (query.bounds.min.x, "cx", true),
            (query.bounds.min.y, "cy", true),
            (query.bounds.max.x, "cx", false),
            (query.bounds.max.y, "cy", false),
        ] {
            // The world's edge bounds nothing.
            if (lower && value > 0.0) || (!lower && value < 1.0) {
                bounds.push(format!("{column} {} {:.0}", if lower { ">=" } else { "<" }, value / size));
            }
        }
        // A cell at this zoom is 2^(ready − zoom) ready cells a side.
        #[expect(clippy::cast_possible_truncation, clippy::cast_sign_loss, reason = "0 to 12")]
        let factor = 1_u64 << ((ready_zoom - zoom) as u32);
        let condition = if bounds.is_empty() { "1".to_owned() } else { bounds.join(" AND ") };
        Ok(Some(format!(
            // Named apart from the ready cells' own columns, which the condition is on.
            "SELECT intDiv(cx, {factor}) AS kx, intDiv(cy, {factor}) AS ky, category, sum(n) AS n, sum(sx) AS sx, \
             sum(sy) AS sy FROM {}.{name} WHERE {condition} GROUP BY kx, ky, category",
            self.client.url().database
        )))
    }

    /// True when the cells of `query` come from the cells kept ready (for tests and the bench).
    ///
    /// # Errors
    /// When the server cannot answer.
    pub fn uses_ready_cells(&self, query: &ViewQuery) -> Result<bool, StoreError> {
        Ok(self.ready_cells_sql(query)?.is_some())
    }

    /// The first and last day of the dated events, asked once (as the longest span).
    fn whole_extent(&self) -> Result<&Option<(DayNumber, DayNumber)>, StoreError> {
        if let Some(extent) = self.extent_once.get() {
            return Ok(extent);
        }
        let extent = self.extent()?;
        Ok(self.extent_once.get_or_init(|| extent))
    }

    /// The longest span of an event, asked once (the table only grows by whole loads; a load
    /// made while exploring shows once the store is opened again).
    fn longest_span(&self) -> Result<i64, StoreError> {
        if let Some(span) = self.longest_span.get() {
            return Ok(*span);
        }
        let c = &self.columns;
        let sql = format!("SELECT max({} - {}) AS span FROM {}", c.end_day, c.start_day, self.table());
        let rows: Vec<Span> = self.client.rows(&sql)?;
        let span = rows.first().map_or(0, |row| row.span.max(0));
        Ok(*self.longest_span.get_or_init(|| span))
    }

    /// The condition of a view: dated, placed, overlapping the window, in the viewport; the start
    /// day bounded on both sides, so ClickHouse reads only the part of the table the window needs.
    fn view_condition(&self, query: &ViewQuery) -> Result<String, StoreError> {
        let c = &self.columns;
        let earliest_start = i64::from(query.from_day) - self.longest_span()?;
        Ok(format!(
            "{start} >= {earliest_start} AND {undated} = 0 AND {placed} = 1 AND {start} <= {to} AND {end} >= {from} \
             AND {x} >= {x0:?} AND {x} <= {x1:?} AND {y} >= {y0:?} AND {y} <= {y1:?}",
            undated = c.undated,
            placed = c.placed,
            start = c.start_day,
            end = c.end_day,
            x = c.x,
            y = c.y,
            from = query.from_day,
            to = query.to_day,
            x0 = query.bounds.min.x,
            x1 = query.bounds.max.x,
            y0 = query.bounds.min.y,
            y1 = query.bounds.max.y,
        ))
    }

    /// How many events meet `condition`, and the first `limit` by day and id. The day of the
    /// last of them is found first (one small column sorted), so the rows themselves are read
    /// only up to that day.
    fn hits(&self, condition: &str, limit: usize) -> Result<SearchHits, StoreError> {
        let table = self.table();
        let start = &self.columns.start_day;
        let count: Vec<Count> = self.rows(&format!("SELECT count() AS n FROM {table} WHERE {condition}"))?;
        let total = count.first().map_or(0, |c| c.n);
        let mut bounded = condition.to_owned();
        if total > limit as u64 && limit > 0 {
            let cutoff: Vec<Day> = self.rows(&format!(
                "SELECT {start} AS day FROM {table} WHERE {condition} ORDER BY day LIMIT 1 OFFSET {}",
                limit - 1
            ))?;
            if let Some(day) = cutoff.first() {
                bounded = format!("{condition} AND {start} <= {}", day.day);
            }
        }
        let rows: Vec<Row> = self.rows(&format!(
            "SELECT {} FROM {table} WHERE {bounded} ORDER BY start_day, id LIMIT {limit}",
            self.columns.row_select()
        ))?;
        Ok(SearchHits { total, rows: rows.into_iter().map(EventRow::from).collect() })
    }
}

impl EventStore for ClickHouseStore {
    fn describe(&self) -> String {
        format!("ClickHouse {}", self.client.url().display())
    }

    fn cancel(&self) {
        // Best effort: a query that ended meanwhile is not there to kill.
        self.client.kill(&self.session).ok();
    }

    fn count(&self) -> Result<u64, StoreError> {
        let rows: Vec<Count> = self.rows(&format!("SELECT count() AS n FROM {}", self.table()))?;
        Ok(rows.first().map_or(0, |c| c.n))
    }

    fn extent(&self) -> Result<Option<(DayNumber, DayNumber)>, StoreError> {
        let c = &self.columns;
        let query = format!(
            "SELECT min({}) AS first, max({}) AS last, count() AS n FROM {} WHERE {} = 0",
            c.start_day,
            c.end_day,
            self.table(),
            c.undated
        );
        let rows: Vec<Extent> = self.rows(&query)?;
        Ok(rows
            .first()
            .filter(|e| e.n > 0)
            .and_then(|e| Some((i32::try_from(e.first).ok()?, i32::try_from(e.last).ok()?))))
    }

    fn cells(&self, query: &ViewQuery) -> Result<Vec<Cell>, StoreError> {
        let size = cell_size(query.zoom);
        let c = &self.columns;
        let sql = match self.ready_cells_sql(query)? {
            Some(sql) => sql,
            None => format!(
                // Whole cells as integers (x and y are never negative, so truncation is the floor).
                "SELECT toUInt64({x} / {size:?}) AS cx, toUInt64({y} / {size:?}) AS cy, {category} AS category, \
                 count() AS n, sum({x}) AS sx, sum({y}) AS sy FROM {table} WHERE {condition} GROUP BY cx, cy, category",
                x = c.x,
                y = c.y,
                category = c.category,
                table = self.table(),
                condition = self.view_condition(query)?,
            ),
        };
        let rows: Vec<CellRow> = self.rows(&sql)?;
        let mut cells: BTreeMap<(i64, i64), CellSums> = BTreeMap::new();
        for row in rows {
            let key = (i64::try_from(row.cx).unwrap_or(i64::MAX), i64::try_from(row.cy).unwrap_or(i64::MAX));
            let cell = cells.entry(key).or_default();
            cell.count += row.n;
            cell.x += row.sx;
            cell.y += row.sy;
            cell.categories.push((row.category, row.n));
        }
        Ok(cells
            .into_iter()
            .map(|(key, sums)| {
                #[expect(clippy::cast_precision_loss, reason = "a mean of at most billions of points")]
                let n = sums.count as f64;
                let center = WorldPoint { x: sums.x / n, y: sums.y / n };
                Cell { key, count: sums.count, center, categories: sorted_categories(sums.categories) }
            })
            .collect())
    }

    fn bins(&self, query: &BinQuery) -> Result<Vec<u64>, StoreError> {
        let c = &self.columns;
        let bin = i64::from(query.bin_days.max(1));
        let end = i64::from(query.from_day) + bin * i64::try_from(query.bins).unwrap_or(i64::MAX / bin / 2);
        let sql = match self.day_counts() {
            // Summed at query time too: ClickHouse merges the counts of a day in the background.
            Some(counts) => format!(
                "SELECT intDiv(start_day - {from}, {bin}) AS b, sum(n) AS n FROM {counts} \
                 WHERE start_day >= {from} AND start_day < {end} GROUP BY b",
                from = query.from_day,
            ),
            None => format!(
                "SELECT intDiv({start} - {from}, {bin}) AS b, count() AS n FROM {table} \
                 WHERE {undated} = 0 AND {start} >= {from} AND {start} < {end} GROUP BY b",
                start = c.start_day,
                undated = c.undated,
                from = query.from_day,
                table = self.table(),
            ),
        };
        let rows: Vec<BinRow> = self.rows(&sql)?;
        let mut bins = vec![0; query.bins];
        for row in rows {
            if let Some(bin) = usize::try_from(row.b).ok().and_then(|b| bins.get_mut(b)) {
                *bin += row.n;
            }
        }
        Ok(bins)
    }

    fn events_in_view(&self, query: &ViewQuery, limit: usize) -> Result<SearchHits, StoreError> {
        self.hits(&self.view_condition(query)?, limit)
    }

    fn search(&self, text: &str, limit: usize) -> Result<SearchHits, StoreError> {
        let words = search_words(text);
        let condition = if words.is_empty() {
            "1".to_owned()
        } else {
            words
                .iter()
                .map(|word| format!("position({}, {}) > 0", self.columns.search, literal(word)))
                .collect::<Vec<_>>()
                .join(" AND ")
        };
        self.hits(&condition, limit)
    }

    fn details(&self, id: &str, start_day: Option<DayNumber>) -> Result<Option<EventRow>, StoreError> {
        // The start day narrows the search to a few granules of the table's order.
        let day = start_day.map_or_else(String::new, |day| format!("{} = {day} AND ", self.columns.start_day));
        let sql = format!(
            "SELECT {} FROM {} WHERE {day}{} = {} LIMIT 1",
            self.columns.row_select(),
            self.table(),
            self.columns.id,
            literal(id)
        );
        let rows: Vec<Row> = self.rows(&sql)?;
        Ok(rows.into_iter().next().map(EventRow::from))
    }
}
