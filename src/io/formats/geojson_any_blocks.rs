//! A large FeatureCollection from another tool (an ACLED export as GeoJSON) read block by block,
//! so that its text is never held whole beside the events built from it. The columns are decided
//! from the first block's first features, as the whole-file reader decides them from the file's.
//! Each block's features are built on all cores while the block before's are joined to the build.
//! Records go to the builder as they are read: should the file turn out to be anything unusual
//! halfway (not JSON, a feature that is not an object), the reader says so and the caller drops
//! that builder and reads the file whole, whose reader explains.

use std::borrow::Cow;
use std::io::Read;
use std::path::Path;

use rayon::prelude::*;

use super::columns::{ColumnMapping, ColumnRole};
use super::geojson_any::{SAMPLED_FEATURES, begin, feature_value, is_feature_collection, property_names, read_feature};
use super::geojson_direct::FeatureSlots;
use crate::io::build::{PartBuild, RecordSink};
use crate::io::events::{BlockSizes, for_each_block};
use crate::io::problem::Problem;
use crate::io::records::{FieldNames, RawRecord};
use crate::parallel::WorkerPanic;

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
    // A block's parts, joined while the next block is built.
    let mut waiting: Option<BuiltParts> = None;
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
            let block =
                Features { file, texts: block.features, lines: block.lines, first_index: block.first_index, mapping };
            begin_with_dates(&block, sink);
            read_features(&block, &mut waiting, sink, &mut problems)?;
        }
        Some(())
    })?;
    if let Some(built) = waiting {
        join_parts(built, sink, &mut problems)?;
    }
    // The collection's other members, read as the whole-file reader reads them.
    is_feature_collection(&skeleton).then_some(problems)
}

/// Slices of a block built at once, per core: more than one, so that a core done with its slices
/// (or with joining the block before, or reading the next) takes another's. (1M ACLED features,
/// fifteen alternating pairs: eight a core loaded them in 2.34-2.37 s at best against four's
/// 2.41-2.46 s; sixteen were slower, each part joined costing more than it balanced.)
const SLICES_PER_CORE: usize = 8;

/// How many of `features` go to each slice: [`SLICES_PER_CORE`] slices a core.
fn slice_len(features: usize) -> usize {
    features.div_ceil(crate::parallel::threads() * SLICES_PER_CORE).max(1)
}

/// A block's features (and the line each starts on), the first at `first_index`, read by
/// `mapping`.
#[derive(Clone, Copy)]
struct Features<'a> {
    file: &'a Path,
    texts: &'a [&'a str],
    lines: &'a [u32],
    first_index: usize,
    mapping: &'a ColumnMapping,
}

impl<'a> Features<'a> {
    /// The features after the first `offset`.
    fn skip(self, offset: usize) -> Option<Self> {
        Some(Self {
            texts: self.texts.get(offset..)?,
            lines: self.lines.get(offset..).unwrap_or_default(),
            first_index: self.first_index + offset,
            ..self
        })
    }

    /// The feature at `offset`: its index in the collection and its line.
    fn at(&self, offset: usize) -> (usize, Option<usize>) {
        (self.first_index + offset, self.lines.get(offset).map(|&line| line as usize))
    }

    /// Sends the features from `offset` on that `texts` holds (a run of this block's) to `sink`
    /// one by one, their problems to `problems`; false when one is not a record.
    fn read_into(
        &self,
        offset: usize,
        texts: &'a [&'a str],
        sink: &mut dyn RecordSink,
        problems: &mut Vec<Problem>,
    ) -> bool {
        let mut slots = FeatureSlots::new(self.mapping);
        texts.iter().enumerate().all(|(number, raw)| {
            read_feature(self.file, self.at(offset + number), raw, self.mapping, &mut slots, sink, problems)
        })
    }
}

/// What each worker made of its slice of a block: its part and the slice's problems, or `None`
/// when a feature was not a record.
type BuiltParts = Vec<Result<Option<(PartBuild, Vec<Problem>)>, WorkerPanic>>;

/// Sends `block`'s features to `sink` as records: when it builds in parts, a slice of them on
/// each core into a part of its own, while the block before's parts (`waiting`) are joined in
/// order; this block's parts then wait. `None` when one is not a record (or a worker failed):
/// the file is then read whole.
fn read_features(
    block: &Features<'_>,
    waiting: &mut Option<BuiltParts>,
    sink: &mut dyn RecordSink,
    problems: &mut Vec<Problem>,
) -> Option<()> {
    // The records the build takes before it can build in parts go one by one; the rest of the
    // block in parts (the first block of 1M ACLED features was built on one core, a quarter of
    // a second, while the other waited).
    let one_by_one = read_until_parts(block, waiting, sink, problems)?;
    if one_by_one == block.texts.len() {
        return Some(());
    }
    let block = block.skip(one_by_one)?;
    let texts = block.texts;
    let slice_len = slice_len(texts.len());
    let parts = sink.streaming().and_then(|streaming| streaming.parts(texts.len().div_ceil(slice_len), slice_len));
    let Some(parts) = parts.filter(|parts| parts.len() > 1) else {
        if let Some(built) = waiting.take() {
            join_parts(built, sink, problems)?;
        }
        return block.read_into(0, texts, sink, problems).then_some(());
    };
    let build_this = || {
        texts
            .par_chunks(slice_len)
            .zip(parts)
            .enumerate()
            .map(|(number, (slice, mut part))| {
                crate::parallel::catch(move || {
                    let mut found = Vec::new();
                    block.read_into(number * slice_len, slice, &mut part, &mut found).then_some((part, found))
                })
            })
            .collect()
    };
    let (built, joined) =
        rayon::join(build_this, || waiting.take().map_or(Some(()), |built| join_parts(built, sink, problems)));
    joined?;
    *waiting = Some(built);
    Some(())
}

/// Begins `sink`'s build, when it has yet to and `block` holds all the records it would keep to
/// find the day/month order, with the order their dates tell, read on all cores: so that those
/// records too are built in parts. Nothing is sent; should a feature not be a record, the build
/// is left to begin as records come (and the features to be read again, and explained).
fn begin_with_dates(block: &Features<'_>, sink: &mut dyn RecordSink) {
    // Only before any record: a later block would find its dates for nothing.
    let Some(streaming) = sink.streaming().filter(|_| block.first_index == 0) else { return };
    let wanted = streaming.records_before_parts();
    let Some(first) = block.texts.get(..wanted).filter(|_| wanted > 0) else { return };
    let slice_len = slice_len(first.len());
    let slices: Vec<Option<Dates>> = first
        .par_chunks(slice_len)
        .enumerate()
        .map(|(number, slice)| {
            crate::parallel::catch(|| {
                let (mut dates, mut ignored) = (Dates::default(), Vec::new());
                block.read_into(number * slice_len, slice, &mut dates, &mut ignored).then_some(dates)
            })
            .ok()
            .flatten()
        })
        .collect();
    if slices.iter().all(Option::is_some) {
        streaming.begin_with_dates(slices.iter().flatten().flat_map(|dates| dates.0.iter().map(String::as_str)));
    }
}

/// Records' start and end dates (when they have them), in record order; the rest let go.
#[derive(Default)]
struct Dates(Vec<String>);

impl RecordSink for Dates {
    fn begin(&mut self, _format: &str, _fields: &FieldNames) {}

    fn record(&mut self, record: RawRecord<'_>) {
        self.0.extend([record.start, record.end].into_iter().flatten().map(Cow::into_owned));
    }
}

/// Sends `block`'s first features to `sink` one by one until it can build in parts (all of them,
/// should it never); how many it sent: 0 when it can already. `None` when one is not a record.
fn read_until_parts(
    block: &Features<'_>,
    waiting: &mut Option<BuiltParts>,
    sink: &mut dyn RecordSink,
    problems: &mut Vec<Problem>,
) -> Option<usize> {
    let can_build_in_parts =
        |sink: &mut dyn RecordSink| sink.streaming().is_some_and(|s| s.records_before_parts() == 0);
    if can_build_in_parts(sink) {
        return Some(0);
    }
    if let Some(built) = waiting.take() {
        join_parts(built, sink, problems)?;
    }
    let mut slots = FeatureSlots::new(block.mapping);
    for (offset, raw) in block.texts.iter().enumerate() {
        if can_build_in_parts(sink) {
            return Some(offset);
        }
        read_feature(block.file, block.at(offset), raw, block.mapping, &mut slots, sink, problems).then_some(())?;
    }
    Some(block.texts.len())
}

/// Joins a block's parts to `sink` in order, with their problems; `None` when one is missing.
fn join_parts(built: BuiltParts, sink: &mut dyn RecordSink, problems: &mut Vec<Problem>) -> Option<()> {
    for outcome in built {
        let (part, found) = outcome.ok().flatten()?;
        sink.streaming()?.join(part);
        problems.extend(found);
    }
    Some(())
}

#[cfg(test)]
mod tests;
