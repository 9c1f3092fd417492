//! `kronika load DATA --into clickhouse://…`: any dataset Kronika reads, inserted in batches. Each
//! batch is one INSERT of at most a block's rows, which ClickHouse writes whole or not at all, and
//! carries the load's id and its number: a load run again after an interruption skips the batches
//! already there, so nothing is inserted twice.

use std::collections::BTreeMap;
use std::sync::Arc;

use serde::Deserialize;

use super::client::{literal, number};
use super::error::ClickHouseError;
use super::schema::{
    COLUMNS, MERGE_TREE, READY_CELLS_ZOOMS, create_day_counts_sql, create_ready_cells_sql, create_table_sql,
};
use super::store::ClickHouseStore;
use crate::model::Dataset;
use crate::model::geo::world_from_lon_lat;
use crate::model::store::memory::MemoryStore;

/// Rows per INSERT: well under ClickHouse's block of 1,048,576 rows, so each is atomic.
pub const BATCH_ROWS: usize = 200_000;

/// How far a load has come, for a progress line.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct LoadProgress {
    /// Batches done (inserted now or found from before).
    pub batches_done: usize,
    /// Batches in all.
    pub batches: usize,
    /// Rows inserted by this run.
    pub rows_inserted: u64,
}

/// What a load did.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct LoadSummary {
    /// Rows inserted by this run.
    pub rows_inserted: u64,
    /// Batches inserted by this run.
    pub batches_inserted: usize,
    /// Batches found already loaded (an earlier, interrupted run), skipped.
    pub batches_skipped: usize,
    /// Batches in all.
    pub batches: usize,
}

#[derive(Deserialize)]
struct BatchCount {
    #[serde(deserialize_with = "number::u64")]
    b: u64,
    #[serde(deserialize_with = "number::u64")]
    n: u64,
}

fn put_string(out: &mut Vec<u8>, text: &str) {
    let mut len = text.len();
    loop {
        #[expect(clippy::cast_possible_truncation, reason = "seven bits at a time")]
        let byte = (len & 0x7f) as u8;
        len >>= 7;
        if len == 0 {
            out.push(byte);
            break;
        }
        out.push(byte | 0x80);
    }
    out.extend_from_slice(text.as_bytes());
}

/// One batch of events in `RowBinary`, in [`COLUMNS`] order.
fn encode_batch(store: &MemoryStore, range: std::ops::Range<usize>, load_id: &str, batch: u32) -> Vec<u8> {
    let mut out = Vec::with_capacity(range.len() * 256);
    for i in range {
        let Ok(idx) = u32::try_from(i) else { break };
        let (Some(row), Some(event)) = (store.row(idx), store.dataset().event(idx)) else { continue };
        let point = event.lon_lat.map(world_from_lon_lat);
        let fields = serde_json::to_string(&row.fields).unwrap_or_else(|_| "[]".into());
        put_string(&mut out, &row.id);
        put_string(&mut out, &row.title);
        out.extend_from_slice(&row.days.0.to_le_bytes());
        out.extend_from_slice(&row.days.1.to_le_bytes());
        out.extend_from_slice(&[row.precision.0, row.precision.1, u8::from(row.undated), u8::from(point.is_some())]);
        let (lon, lat) = row.lon_lat.unwrap_or((0.0, 0.0));
        for value in [lon, lat, point.map_or(0.0, |p| p.x), point.map_or(0.0, |p| p.y)] {
            out.extend_from_slice(&value.to_le_bytes());
        }
        put_string(&mut out, &row.category);
        put_string(&mut out, &row.summary);
        put_string(&mut out, &fields);
        put_string(&mut out, &store.search_text_of(idx));
        put_string(&mut out, load_id);
        out.extend_from_slice(&batch.to_le_bytes());
    }
    out
}

/// Inserts `dataset` into the store's table (created if missing) in batches of `batch_rows`,
/// skipping the batches of the same `load_id` already there; stops after `max_batches` inserts
/// when given (a load in stages). `progress` hears after every batch.
///
/// # Errors
/// When the server cannot be reached or refuses a statement, or a batch of an earlier run is only
/// partly there (it names it, and how to remove it).
pub fn load_into(
    target: &ClickHouseStore,
    dataset: Arc<Dataset>,
    load_id: &str,
    batch_rows: usize,
    max_batches: Option<usize>,
    mut progress: impl FnMut(LoadProgress),
) -> Result<LoadSummary, ClickHouseError> {
    let client = target.client();
    let table = client.url().qualified_table();
    if !target.table_exists(&client.url().table)? {
        client.execute(&create_table_sql(&table, MERGE_TREE))?;
        client.execute(&create_day_counts_sql(&table))?;
        for zoom in READY_CELLS_ZOOMS {
            client.execute(&create_ready_cells_sql(&table, zoom))?;
        }
    }
    let batch_rows = batch_rows.clamp(1, 1_000_000);
    let total = dataset.events.len();
    let batches = total.div_ceil(batch_rows);
    let done: BTreeMap<u64, u64> = client
        .rows::<BatchCount>(&format!(
            "SELECT load_batch AS b, count() AS n FROM {table} WHERE load_id = {} GROUP BY load_batch",
            literal(load_id)
        ))?
        .into_iter()
        .map(|row| (row.b, row.n))
        .collect();
    let store = MemoryStore::new(dataset);
    let mut summary = LoadSummary { batches, ..LoadSummary::default() };
    for batch in 0..batches {
        let range = batch * batch_rows..((batch + 1) * batch_rows).min(total);
        let expected = range.len() as u64;
        match done.get(&(batch as u64)) {
            Some(&n) if n == expected => {
                summary.batches_skipped += 1;
                continue;
            }
            Some(&n) => {
                return Err(ClickHouseError::Refused {
                    at: client.url().display(),
                    message: format!(
                        "batch {batch} of load {load_id} is only partly there ({n} of {expected} rows); remove it with \
                         ALTER TABLE {table} DELETE WHERE load_id = '{load_id}' AND load_batch = {batch}, then load again"
                    ),
                });
            }
            None => {}
        }
        if max_batches.is_some_and(|max| summary.batches_inserted >= max) {
            break;
        }
        let number = u32::try_from(batch).unwrap_or(u32::MAX);
        let rows = encode_batch(&store, range, load_id, number);
        client.insert_row_binary(COLUMNS, rows, &[("insert_distributed_sync", "1")])?;
        summary.batches_inserted += 1;
        summary.rows_inserted += expected;
        progress(LoadProgress {
            batches_done: summary.batches_inserted + summary.batches_skipped,
            batches,
            rows_inserted: summary.rows_inserted,
        });
    }
    Ok(summary)
}

#[cfg(test)]
mod tests {
    #[test]
    fn strings_carry_their_length_as_a_varint() {
        let mut out = Vec::new();
        super::put_string(&mut out, "ab");
        assert_eq!(out, [2, b'a', b'b']);
        let mut out = Vec::new();
        super::put_string(&mut out, &"x".repeat(300));
        assert_eq!(out.get(..2), Some(&[0xac, 0x02][..]));
    }
}
