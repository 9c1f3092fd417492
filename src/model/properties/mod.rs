//! Every other field of every event, kept compactly and given back exactly: one column per field
//! name (interned once per dataset), each holding a small number per event that points into the
//! column's own table of distinct values (repeated values — types, actors, admin areas, sources —
//! are stored once; free text is stored once per distinct text, in one buffer, not one allocation
//! per value).

use std::collections::HashMap;
use std::hash::BuildHasherDefault;

use compact_str::CompactString;
use rayon::prelude::*;

use super::index::EventIdx;
use super::narrow_ids::NarrowIds;
use table::{NoHash, StringTable, same_bytes, value_hash};

/// One field of the events.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
struct Column {
    name: CompactString,
    /// Per event: the id of its value (0: the event has none).
    values: NarrowIds,
    table: StringTable,
}

/// The other fields of a dataset's events.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Properties {
    columns: Vec<Column>,
    events: usize,
}

impl Properties {
    /// The field names, in the order they were first met.
    pub fn names(&self) -> impl Iterator<Item = &str> {
        self.columns.iter().map(|c| c.name.as_str())
    }

    /// Number of fields.
    pub fn len(&self) -> usize {
        self.columns.len()
    }

    /// True when no event has another field.
    pub fn is_empty(&self) -> bool {
        self.columns.is_empty()
    }

    /// One event's value of one field.
    pub fn get(&self, event: EventIdx, name: &str) -> Option<&str> {
        let column = self.columns.iter().find(|c| c.name == name)?;
        column.table.get(column.values.get(event as usize)?)
    }

    /// Every field one event has, in field order: (name, value).
    pub fn of(&self, event: EventIdx) -> impl Iterator<Item = (&str, &str)> {
        self.columns.iter().filter_map(move |column| {
            let id = column.values.get(event as usize)?;
            Some((column.name.as_str(), column.table.get(id)?))
        })
    }

    /// Each event's value id in one field (0: none), and the value of an id: to colour or group
    /// events by a field.
    pub fn column<'a>(&'a self, name: &str) -> Option<(&'a NarrowIds, impl Fn(u32) -> Option<&'a str>)> {
        let column = self.columns.iter().find(|c| c.name == name)?;
        Some((&column.values, move |id| column.table.get(id)))
    }

    /// How many different values one field has (0 when there is no such field).
    pub fn distinct_values(&self, name: &str) -> usize {
        self.columns.iter().find(|c| c.name == name).map_or(0, |c| c.table.ends.len())
    }

    /// Bytes held, for memory reports and tests.
    pub fn bytes(&self) -> usize {
        self.columns.iter().map(|c| c.values.bytes() + c.table.bytes() + c.name.len()).sum()
    }
}

impl From<Properties> for PropertiesBuilder {
    /// Goes on collecting where a finished store left off.
    fn from(properties: Properties) -> Self {
        let column_of = properties.columns.iter().enumerate().map(|(i, c)| (c.name.clone(), i)).collect();
        let value_ids = properties
            .columns
            .iter()
            .map(|column| {
                // A column of mostly distinct values goes on without its map, as it was built.
                let distinct = column.table.ends.len();
                let without_map =
                    properties.events >= UNIQUE_CHECK_EVERY && mostly_distinct(distinct, properties.events);
                (!without_map).then(|| {
                    (1..=u32::try_from(distinct).unwrap_or(u32::MAX))
                        .filter_map(|id| Some((value_hash(column.table.get(id)?), id)))
                        .collect()
                })
            })
            .collect();
        Self { properties, column_of, value_ids, next_column: 0 }
    }
}

/// Collects fields event by event (event 0, 1, 2 … in order).
#[derive(Debug, Default)]
pub struct PropertiesBuilder {
    properties: Properties,
    column_of: HashMap<CompactString, usize, BuildHasherDefault<rustc_hash::FxHasher>>,
    /// Per column: hash of a value → its id, while building. Keyed by the hash, not the text, so
    /// a column of long free text is not held twice; a (vanishingly rare) collision is checked
    /// against the table and the value stored again. `None` for a column whose values are nearly
    /// all distinct (ids, notes, timestamps): they are stored as they come, without a map of a
    /// million entries that would find no repeat.
    value_ids: Vec<Option<ValueIds>>,
    /// The column after the last one set: rows name their fields in the same order.
    next_column: usize,
}

/// The columns of a part appended already, their text emptied but its memory kept: for the
/// next part ([`PropertiesBuilder::empty_reusing`]).
#[derive(Debug, Default)]
pub struct SpareColumns(Vec<Option<Column>>);

/// A column's map from a value's hash to its id.
type ValueIds = HashMap<u64, u32, BuildHasherDefault<NoHash>>;

/// Events between two looks for columns of distinct values.
const UNIQUE_CHECK_EVERY: usize = 65_536;

/// Events a builder has before its parts judge a column by them.
const MIN_EVENTS_TO_JUDGE: usize = 4096;

/// The id of `value` in `column`'s table (whose map is `ids`, or none for distinct values), stored
/// on first sight.
fn intern_into(column: &mut Column, ids: &mut Option<ValueIds>, value: &str) -> u32 {
    let Some(ids) = ids else { return column.table.push(value) };
    let hash = value_hash(value);
    if let Some(&id) = ids.get(&hash) {
        if column.table.holds(id, value) {
            return id;
        }
        return column.table.push(value);
    }
    let id = column.table.push(value);
    ids.insert(hash, id);
    id
}

/// Appends `count` events to `mine` from event `start` on, with the values of `theirs` (a column
/// of those events, or none): as if each had come on its own — a value interned when first used
/// (one no event kept is not), the look for distinct values at each multiple of
/// [`UNIQUE_CHECK_EVERY`], and from then on every value stored again.
fn append_column(mine: &mut Column, ids: &mut Option<ValueIds>, theirs: Option<&Column>, start: usize, count: usize) {
    mine.values.resize(start + count);
    let Some(theirs) = theirs else {
        // No values: the table does not grow, so the first look decides.
        let first_look = start.max(1).next_multiple_of(UNIQUE_CHECK_EVERY);
        if first_look < start + count {
            look_for_distinct(mine, ids, first_look);
        }
        return;
    };
    if ids.is_none() && append_distinct(mine, theirs, start) {
        return;
    }
    // Their id → mine (0: not met yet), while the column interns.
    let mut remap: Vec<u32> = vec![0; theirs.table.ends.len() + 1];
    let mut offset = 0;
    // A run of events at a time, up to the next look (which may stop the interning).
    while offset < count {
        let event = start + offset;
        if event > 0 && event.is_multiple_of(UNIQUE_CHECK_EVERY) {
            look_for_distinct(mine, ids, event);
        }
        let end = ((event + 1).next_multiple_of(UNIQUE_CHECK_EVERY) - start).min(count);
        if ids.is_some() {
            // Each value interned at its first use, in event order; then every id of the run
            // mapped at once (a million ACLED rows' 31 columns, set one id at a time, were a
            // twelfth of their load).
            for offset in offset..end {
                let id = theirs.values.get(offset).unwrap_or(0);
                if let Some(mapped) = remap.get_mut(id as usize).filter(|mapped| id != 0 && **mapped == 0) {
                    *mapped = theirs.table.get(id).map_or(0, |value| intern_into(mine, ids, value));
                }
            }
            mine.values.set_mapped(event, &theirs.values, offset..end, &remap);
        } else {
            // Every value stored anew.
            for offset in offset..end {
                let id = theirs.values.get(offset).unwrap_or(0);
                if let Some(value) = theirs.table.get(id).filter(|_| id != 0) {
                    let new_id = intern_into(mine, ids, value);
                    mine.values.set(start + offset, new_id);
                }
            }
        }
        offset = end;
    }
}

/// When `theirs` stored each of its values anew (ids 1, 2, 3 … in event order, as a column
/// without a map does) and `mine` stores every value anew too: their table goes after mine in
/// one copy and their ids move up by the values mine had, which is what storing them one by one
/// gives. `false`, and nothing done, otherwise.
fn append_distinct(mine: &mut Column, theirs: &Column, start: usize) -> bool {
    let mut last = 0;
    let sequential = theirs.values.iter().filter(|&id| id != 0).all(|id| {
        let next = id == last + 1;
        last = id;
        next
    });
    if !sequential || usize::try_from(last).ok() != Some(theirs.table.ends.len()) {
        return false;
    }
    let (text_before, values_before) =
        (mine.table.text.len(), u32::try_from(mine.table.ends.len()).unwrap_or(u32::MAX));
    mine.table.text.push_str(&theirs.table.text);
    mine.table.ends.extend(theirs.table.ends.iter().map(|end| end + text_before));
    for (offset, id) in theirs.values.iter().enumerate().filter(|&(_, id)| id != 0) {
        mine.values.set(start + offset, id.saturating_add(values_before));
    }
    true
}

/// The look [`PropertiesBuilder::next_event`] takes at `event`: a column whose values have been at
/// least half distinct ([`mostly_distinct`]) goes on without its map.
fn look_for_distinct(column: &Column, ids: &mut Option<ValueIds>, event: usize) {
    if ids.is_some() && mostly_distinct(column.table.ends.len(), event + 1) {
        *ids = None;
    }
}

/// Whether a column with `distinct` values over `events` events is stored better without its
/// map: from half distinct on, a repeat found saves less than the map costs while the file is
/// read, and most look-ups find nothing, each after a miss of the cache (ACLED's sources, about
/// half distinct, took a tenth of a million-row load).
fn mostly_distinct(distinct: usize, events: usize) -> bool {
    distinct * 2 >= events
}

impl PropertiesBuilder {
    /// Starts the next event's fields; returns its index.
    pub fn next_event(&mut self) -> usize {
        self.next_column = 0;
        let event = self.properties.events;
        self.properties.events += 1;
        if event > 0 && event.is_multiple_of(UNIQUE_CHECK_EVERY) {
            self.stop_interning_distinct_columns(event);
        }
        // A column gains events only as they are given values (`set_at`); the rest, when the
        // store is finished or appended to another (a million rows' 31 columns each pushed a
        // zero here, to be overwritten a moment later).
        event
    }

    /// Sets a field of the current event (the last started). Empty values are not stored.
    pub fn set(&mut self, name: &str, value: &str) {
        let Some(event) = self.properties.events.checked_sub(1) else { return };
        self.set_at(event, name, value);
    }

    fn set_at(&mut self, event: usize, name: &str, value: &str) {
        if value.is_empty() {
            return;
        }
        let column = self.column_index(name);
        let (Some(data), Some(ids)) = (self.properties.columns.get_mut(column), self.value_ids.get_mut(column)) else {
            return;
        };
        let id = intern_into(data, ids, value);
        data.values.set_extending(event, id);
    }

    /// The column for `name`, made (empty for every event so far) when new.
    #[inline]
    fn column_index(&mut self, name: &str) -> usize {
        // Rows name their fields in the same order: mostly, the column after the last one set.
        // Only that look is made here, in the caller (a call for each of a million rows' thirty
        // fields was a twentieth of an ACLED load); the rest in a call of its own.
        let hint = self.next_column;
        if self.properties.columns.get(hint).is_some_and(|column| same_bytes(column.name.as_bytes(), name.as_bytes())) {
            self.next_column = hint + 1;
            return hint;
        }
        self.column_index_elsewhere(name)
    }

    /// [`Self::column_index`] of a name not in the column after the last one set.
    #[inline(never)]
    fn column_index_elsewhere(&mut self, name: &str) -> usize {
        // Some fields left out (an ACLED row without a second actor): one of the two after it.
        let hint = self.next_column;
        let mut near = self.properties.columns.get(hint + 1..).unwrap_or_default().iter().take(2);
        if let Some(skipped) = near.position(|c| same_bytes(c.name.as_bytes(), name.as_bytes())) {
            self.next_column = hint + skipped + 2;
            return hint + skipped + 1;
        }
        if let Some(&column) = self.column_of.get(name) {
            self.next_column = column + 1;
            return column;
        }
        let column = self.properties.columns.len();
        self.properties.columns.push(Column {
            name: name.into(),
            values: NarrowIds::zeros(self.properties.events),
            table: StringTable::default(),
        });
        self.value_ids.push(Some(HashMap::default()));
        self.column_of.insert(name.into(), column);
        self.next_column = column + 1;
        column
    }

    /// Columns whose values have been at least half distinct are stored without their map
    /// from then on.
    fn stop_interning_distinct_columns(&mut self, event: usize) {
        for (column, ids) in self.properties.columns.iter().zip(&mut self.value_ids) {
            look_for_distinct(column, ids, event);
        }
    }

    /// Keeps only the events `keep` says, in order (after duplicates were dropped).
    pub fn retain_events(&mut self, keep: &[bool]) {
        for column in &mut self.properties.columns {
            column.values.retain(keep);
        }
        self.properties.events = self.properties.events.saturating_sub(keep.iter().filter(|&&k| !k).count());
    }

    /// Events started so far.
    pub fn events(&self) -> usize {
        self.properties.events
    }

    /// Forgets every event from `events` on (a feature that failed after it began).
    pub fn truncate(&mut self, events: usize) {
        if events < self.properties.events {
            self.properties.events = events;
            for column in &mut self.properties.columns {
                column.values.truncate(events);
            }
        }
    }

    /// An empty builder with these columns, in this order, each interned as here (or not, when
    /// its values are mostly distinct, or have been so far): for a later part of the same
    /// file, built elsewhere and given back to [`Self::append`], which interns its values as
    /// this builder would have. Each column has room for about `events` events (and a column
    /// without a map for their text, at the length its values have had so far).
    ///
    /// Each column's text is kept in the memory a part appended before had for the column of
    /// that name (`spare`, from [`Self::append_recycling`]; or none), when there is one: memory
    /// the kernel has faulted in already. (A million ACLED notes, built in parts, faulted in a
    /// quarter of a million pages for parts that were let go once appended.)
    #[must_use]
    pub fn empty_reusing(&self, events: usize, spare: SpareColumns) -> Self {
        let mut spare = spare.0.into_iter();
        let so_far = self.properties.events;
        // A part's map finds repeats within the part only: not worth keeping for a column of
        // notes or timestamps, before this builder has taken its first look.
        let looks_distinct =
            |column: &Column| so_far >= MIN_EVENTS_TO_JUDGE && mostly_distinct(column.table.ends.len(), so_far);
        let (columns, value_ids) =
            self.properties
                .columns
                .iter()
                .zip(&self.value_ids)
                .map(|(column, ids)| {
                    // Room for as many values as the column has had (at most one a record): the
                    // part's map does not grow, rehashing, as it meets them again.
                    let ids = ids.as_ref().filter(|_| !looks_distinct(column)).map(|ids| {
                        HashMap::with_capacity_and_hasher(ids.len().min(events), BuildHasherDefault::default())
                    });
                    let mut table = spare
                        .next()
                        .flatten()
                        .filter(|spare| spare.name == column.name)
                        .map(|spare| spare.table)
                        .unwrap_or_default();
                    if ids.is_none() && so_far > 0 {
                        // Every value stored: as much text as that many events have had so far.
                        table.text.reserve(column.table.text.len() / so_far * events);
                        table.ends.reserve(column.table.ends.len() * events / so_far);
                    }
                    let column = Column { name: column.name.clone(), values: NarrowIds::with_capacity(events), table };
                    (column, ids)
                })
                .unzip();
        Self {
            properties: Properties { columns, events: 0 },
            column_of: self.column_of.clone(),
            value_ids,
            next_column: 0,
        }
    }

    /// Appends another builder's events after this one's (chunks parsed in parallel), each
    /// column on a core of its own.
    pub fn append(&mut self, other: Self) {
        self.append_recycling(other);
    }

    /// As [`Self::append`], giving back the other's columns emptied (each where this builder
    /// keeps the column of its name), for [`Self::empty_reusing`].
    pub fn append_recycling(&mut self, other: Self) -> SpareColumns {
        let start = self.properties.events;
        let count = other.properties.events;
        self.properties.events += count;
        // The other's columns that an event uses, made here (when new) in the order of first use:
        // a column only a dropped record had is not made.
        let mut used: Vec<(usize, Column)> = other
            .properties
            .columns
            .into_iter()
            .filter_map(|column| {
                let first_use = column.values.iter().position(|id| id != 0)?;
                Some((first_use, column))
            })
            .collect();
        used.sort_by_key(|(first_use, _)| *first_use);
        let targets: Vec<(usize, Column)> =
            used.into_iter().map(|(_, column)| (self.column_index(&column.name), column)).collect();
        // Each of this builder's columns, with the other's of the same name (or none).
        let mut theirs: Vec<Option<Column>> = vec![None; self.properties.columns.len()];
        for (target, column) in targets {
            if let Some(slot) = theirs.get_mut(target) {
                *slot = Some(column);
            }
        }
        self.properties
            .columns
            .par_iter_mut()
            .zip(self.value_ids.par_iter_mut())
            .zip(theirs.par_iter())
            .for_each(|((mine, ids), theirs)| append_column(mine, ids, theirs.as_ref(), start, count));
        for column in theirs.iter_mut().flatten() {
            column.table.text.clear();
            column.table.ends.clear();
        }
        SpareColumns(theirs)
    }

    /// Gives every event so far the same value of a field.
    pub fn set_for_all(&mut self, name: &str, value: &str) {
        for event in 0..self.properties.events {
            self.set_at(event, name, value);
        }
    }

    /// The store: every column as long as there are events.
    pub fn finish(mut self) -> Properties {
        for column in &mut self.properties.columns {
            column.values.resize(self.properties.events);
        }
        self.properties
    }
}

mod table;
#[cfg(test)]
mod tests;
