//! The store of a dataset in memory: the answers every other store must give for the same events.

use std::collections::BTreeMap;

use super::{
    BinQuery, Cell, EventRow, EventStore, SearchHits, StoreError, ViewQuery, cell_key, search_text, search_words,
    sorted_categories,
};
use crate::model::geo::{WorldPoint, world_from_lon_lat};
use crate::model::{Dataset, DatePrecision, DayNumber, Event, EventIdx};

/// A loaded dataset, asked as a store.
pub struct MemoryStore {
    dataset: std::sync::Arc<Dataset>,
}

impl MemoryStore {
    /// The store of `dataset`.
    pub fn new(dataset: std::sync::Arc<Dataset>) -> Self {
        Self { dataset }
    }

    /// The dataset it answers from.
    pub fn dataset(&self) -> &Dataset {
        &self.dataset
    }

    fn indexed(&self) -> impl Iterator<Item = (EventIdx, &Event)> {
        (0..).zip(&self.dataset.events)
    }

    fn in_view<'a>(&'a self, query: &'a ViewQuery) -> impl Iterator<Item = (EventIdx, &'a Event, WorldPoint)> + 'a {
        self.indexed().filter_map(move |(idx, event)| {
            let point = world_from_lon_lat(event.lon_lat?);
            let dated = !event.span.undated();
            (dated && query.contains(event.span.first_day(), event.span.last_day(), point))
                .then_some((idx, event, point))
        })
    }

    fn hits<'a>(&'a self, matches: impl Iterator<Item = (EventIdx, &'a Event)>, limit: usize) -> SearchHits {
        let mut found: Vec<(DayNumber, &str, EventIdx)> =
            matches.map(|(idx, event)| (event.span.first_day(), event.id.as_str(), idx)).collect();
        found.sort_unstable();
        let total = found.len() as u64;
        let rows = found.into_iter().take(limit).filter_map(|(_, _, idx)| self.row(idx)).collect();
        SearchHits { total, rows }
    }

    fn place<'a>(&'a self, idx: EventIdx, event: &'a Event) -> &'a str {
        let gazetteer =
            event.details().place_id.as_deref().and_then(|id| self.dataset.place(id)).map(|p| p.name.as_str());
        gazetteer.or_else(|| self.dataset.place_name(idx, event)).unwrap_or_default()
    }

    /// The search text of one event, as every store builds it.
    pub fn search_text_of(&self, idx: EventIdx) -> String {
        let Some(event) = self.dataset.event(idx) else { return String::new() };
        let summary = self.dataset.summary(idx, event).unwrap_or_default();
        let category = self.dataset.categories.key(event.category);
        search_text(&event.title, summary, self.place(idx, event), category)
    }

    /// One event as a row.
    pub fn row(&self, idx: EventIdx) -> Option<EventRow> {
        let event = self.dataset.event(idx)?;
        let precision = |p: DatePrecision| match p {
            DatePrecision::Day => 0,
            DatePrecision::Month => 1,
            DatePrecision::Year => 2,
        };
        let mut fields: Vec<(String, String)> =
            self.dataset.properties.of(idx).map(|(k, v)| (k.to_owned(), v.to_owned())).collect();
        let place = self.place(idx, event);
        if !place.is_empty() && !fields.iter().any(|(k, _)| k == "place") {
            fields.push(("place".into(), place.to_owned()));
        }
        fields.retain(|(k, _)| k != "summary");
        fields.sort();
        Some(EventRow {
            id: event.id.to_string(),
            title: event.title.to_string(),
            days: (event.span.first_day(), event.span.last_day()),
            precision: (precision(event.span.start.precision), precision(event.span.end.precision)),
            undated: event.span.undated(),
            lon_lat: event.lon_lat.map(|p| (p.lon, p.lat)),
            category: self.dataset.categories.key(event.category).to_owned(),
            summary: self.dataset.summary(idx, event).unwrap_or_default().to_owned(),
            fields,
        })
    }
}

impl EventStore for MemoryStore {
    fn describe(&self) -> String {
        format!("{} (in memory)", self.dataset.name)
    }

    fn count(&self) -> Result<u64, StoreError> {
        Ok(self.dataset.events.len() as u64)
    }

    fn extent(&self) -> Result<Option<(DayNumber, DayNumber)>, StoreError> {
        let dated = self.dataset.events.iter().filter(|e| !e.span.undated());
        Ok(dated.fold(None, |extent, event| {
            let (first, last) = (event.span.first_day(), event.span.last_day());
            Some(extent.map_or((first, last), |(a, b): (DayNumber, DayNumber)| (a.min(first), b.max(last))))
        }))
    }

    fn cells(&self, query: &ViewQuery) -> Result<Vec<Cell>, StoreError> {
        /// A cell's sums while its events are added up.
        #[derive(Default)]
        struct Sums<'a> {
            count: u64,
            x: f64,
            y: f64,
            categories: BTreeMap<&'a str, u64>,
        }
        let mut cells: BTreeMap<(i64, i64), Sums<'_>> = BTreeMap::new();
        for (_, event, point) in self.in_view(query) {
            let cell = cells.entry(cell_key(point, query.zoom)).or_default();
            cell.count += 1;
            cell.x += point.x;
            cell.y += point.y;
            *cell.categories.entry(self.dataset.categories.key(event.category)).or_default() += 1;
        }
        Ok(cells
            .into_iter()
            .map(|(key, sums)| {
                #[expect(clippy::cast_precision_loss, reason = "a mean of at most billions of points")]
                let n = sums.count as f64;
                Cell {
                    key,
                    count: sums.count,
                    center: WorldPoint { x: sums.x / n, y: sums.y / n },
                    categories: sorted_categories(sums.categories.into_iter().map(|(k, n)| (k.to_owned(), n))),
                }
            })
            .collect())
    }

    fn bins(&self, query: &BinQuery) -> Result<Vec<u64>, StoreError> {
        let mut bins = vec![0; query.bins];
        for event in self.dataset.events.iter().filter(|e| !e.span.undated()) {
            if let Some(bin) = query.bin_of(event.span.first_day()).and_then(|b| bins.get_mut(b)) {
                *bin += 1;
            }
        }
        Ok(bins)
    }

    fn events_in_view(&self, query: &ViewQuery, limit: usize) -> Result<SearchHits, StoreError> {
        Ok(self.hits(self.in_view(query).map(|(idx, event, _)| (idx, event)), limit))
    }

    fn search(&self, text: &str, limit: usize) -> Result<SearchHits, StoreError> {
        let words = search_words(text);
        let matches = self.indexed().filter(|(idx, _)| {
            let haystack = self.search_text_of(*idx);
            words.iter().all(|word| haystack.contains(word.as_str()))
        });
        Ok(self.hits(matches, limit))
    }

    fn details(&self, id: &str, _start_day: Option<DayNumber>) -> Result<Option<EventRow>, StoreError> {
        Ok(self.dataset.event_idx(id).and_then(|idx| self.row(idx)))
    }
}
