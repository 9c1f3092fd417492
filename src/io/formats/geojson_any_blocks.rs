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
use crate::io::build::RecordSink;
use crate::io::events::for_each_block;
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
    let skeleton = for_each_block(source, block_bytes, limit_bytes, &mut |block| {
        if columns.is_none() {
            // The columns come from as many features as the whole-file reader samples.
            if block.features.len() < SAMPLED_FEATURES && !block.last {
                return None;
            }
            let sample = block.features.iter().take(SAMPLED_FEATURES).filter_map(|raw| feature_value(raw).ok());
            columns = Some(begin(file, &property_names(sample), overrides, sink, &mut problems));
        }
        if let Some(Some(mapping)) = &columns {
            for (offset, raw) in block.features.iter().enumerate() {
                // Every feature here is an object: one that is not a record is not valid JSON, and
                // the whole-file reader refuses such a file whole.
                if !read_feature(file, block.first_index + offset, raw, mapping, sink, &mut problems) {
                    return None;
                }
            }
        }
        Some(())
    })?;
    // The collection's other members, read as the whole-file reader reads them.
    is_feature_collection(&skeleton).then_some(problems)
}

#[cfg(test)]
mod tests;
