//! A large FeatureCollection from another tool (an ACLED export as GeoJSON) read block by block,
//! so that its text is never held whole beside the events built from it. The columns are decided
//! from the first block's first features, as the whole-file reader decides them from the file's.
//! Records go to the builder as they are read: should the file turn out to be anything unusual
//! halfway (not JSON, a feature that is not an object), the reader says so and the caller drops
//! that builder and reads the file whole, whose reader explains.

use std::io::Read;
use std::path::Path;

use super::columns::ColumnRole;
use super::geojson_any::{SAMPLED_FEATURES, begin, feature_value, is_feature_collection, property_names, read_feature};
use rayon::prelude::*;

use super::columns::ColumnMapping;
use crate::io::build::RecordSink;
use crate::io::events::{BlockSizes, for_each_block};
use crate::io::problem::Problem;

/// Reads the collection of `source` into `sink`, a block of about `block_bytes` at a time and at
/// most `limit_bytes` in all. `None` when it could not be read so: what `sink` was given is then
/// to be dropped, and the file read whole.
pub fn read_geojson_any_in_blocks(
    file: &Path,
    source: &mut (dyn Read + Send),
    block_bytes: usize,
    limit_bytes: u64,
    overrides: &[(ColumnRole, String)],
    sink: &mut dyn RecordSink,
) -> Option<Vec<Problem>> {
    let mut problems = Vec::new();
    // Not begun yet; then the columns, or `None` when the overrides did not fit.
    let mut columns = None;
    let skeleton = for_each_block(source, BlockSizes::all(block_bytes), limit_bytes, &mut |block| {
        if columns.is_none() {
            // The columns come from as many features as the whole-file reader samples.
            if block.features.len() < SAMPLED_FEATURES && !block.last {
                return None;
            }
            let sample = block.features.iter().take(SAMPLED_FEATURES).filter_map(|raw| feature_value(raw).ok());
            columns = Some(begin(file, &property_names(sample), overrides, sink, &mut problems));
        }
        if let Some(Some(mapping)) = &columns {
            // Every feature here is an object: one that is not a record is not valid JSON, and the
            // whole-file reader refuses such a file whole.
            read_features(file, block.features, block.first_index, mapping, sink, &mut problems)?;
        }
        Some(())
    })?;
    // The collection's other members, read as the whole-file reader reads them.
    is_feature_collection(&skeleton).then_some(problems)
}

/// Sends `features` (the first at `first_index`) to `sink` as records: when it builds in parts, a
/// slice of them on each core into a part of its own, the parts joined in order. `None` when one
/// is not a record (or a worker failed): the file is then read whole.
fn read_features(
    file: &Path,
    features: &[&str],
    first_index: usize,
    mapping: &ColumnMapping,
    sink: &mut dyn RecordSink,
    problems: &mut Vec<Problem>,
) -> Option<()> {
    let slice_len = features.len().div_ceil(crate::parallel::threads()).max(1);
    let parts = sink.streaming().and_then(|streaming| streaming.parts(features.len().div_ceil(slice_len), slice_len));
    let Some(parts) = parts.filter(|parts| parts.len() > 1) else {
        for (offset, raw) in features.iter().enumerate() {
            read_feature(file, first_index + offset, raw, mapping, sink, problems).then_some(())?;
        }
        return Some(());
    };
    let built: Vec<_> = features
        .par_chunks(slice_len)
        .zip(parts)
        .enumerate()
        .map(|(number, (slice, mut part))| {
            crate::parallel::catch(move || {
                let first = first_index + number * slice_len;
                let mut found = Vec::new();
                let all_records = slice
                    .iter()
                    .enumerate()
                    .all(|(offset, raw)| read_feature(file, first + offset, raw, mapping, &mut part, &mut found));
                all_records.then_some((part, found))
            })
        })
        .collect();
    for outcome in built {
        let (part, found) = outcome.ok().flatten()?;
        sink.streaming()?.join(part);
        problems.extend(found);
    }
    Some(())
}

#[cfg(test)]
mod tests;
