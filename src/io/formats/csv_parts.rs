//! The rows of a delimited file becoming records: one by one, or, for a large file read in
//! blocks, each block into a part of the build on a core of its own. A batch of blocks is built
//! while the batch before is joined to the build (in file order) and the next is read from the
//! file, so that neither core waits for the joins.

use std::path::Path;

use rayon::prelude::*;

use super::columns::Row;
use super::csv_rows::{Rows, UnclosedQuote};
use crate::io::build::{PartBuild, RecordSink};
use crate::io::problem::{Location, Problem, ProblemKind};
use crate::io::records::RawRecord;
use crate::io::text::count_newlines;
use crate::parallel::WorkerPanic;

/// Blocks built at once (and as many read meanwhile, and joined): their text and parts in
/// memory together.
const MAX_BLOCKS_AT_ONCE: usize = 4;

/// A block of a file's text, ending where a row ends.
struct Block {
    text: String,
    /// Lines before it in the file.
    lines_before: usize,
    /// Lines it holds.
    lines: usize,
}

impl Block {
    /// About how many rows it holds, at most: a row ends a line (a blank line is none, a quoted
    /// field may hold more), and has a few bytes at least.
    fn rows_at_most(&self) -> usize {
        (self.lines + 1).min(self.text.len() / MIN_ROW_BYTES + 1)
    }
}

/// The fewest bytes a row is expected to have, to bound the room made for a block's rows.
const MIN_ROW_BYTES: usize = 32;

/// What a block's worker made of it: its part, its rows (records and rows that were not), its
/// records, and its problems (rows numbered from 0).
type BuiltPart = (PartBuild, usize, usize, Vec<Problem>);

/// A batch of blocks built into parts, waiting to be joined.
struct BuiltBatch {
    blocks: Vec<Block>,
    parts: Vec<Result<BuiltPart, WorkerPanic>>,
}

/// How a file's rows become records (the ACLED, TimeMap or generic columns).
pub(super) trait RecordMaker: Sync {
    /// The record of `row` of `file`, pushing the problems of its values.
    fn record<'r>(&'r self, file: &Path, row: &Row<'r>, problems: &mut Vec<Problem>) -> RawRecord<'r>;
}

/// A file's rows becoming records, block after block.
pub(super) struct Reading<'a> {
    file: &'a Path,
    headers: &'a [String],
    preset: &'a dyn RecordMaker,
    /// The next row's index (the header not counted).
    index: usize,
    /// Records made so far.
    records: usize,
}

impl<'a> Reading<'a> {
    /// Reading the rows of `file`, whose header is `headers`, by `preset`.
    pub(super) fn new(file: &'a Path, headers: &'a [String], preset: &'a dyn RecordMaker) -> Self {
        Self { file, headers, preset, index: 0, records: 0 }
    }

    /// Records made so far.
    pub(super) fn records(&self) -> usize {
        self.records
    }

    /// Reads the blocks `next_block(delimiter, spare)` gives (in `spare`'s memory, a block done
    /// with, when there is one), the first after `lines_before` lines, into `sink`: when it builds
    /// in parts, a batch of blocks on all cores at a time, each into a part of its own (its rows
    /// numbered from 0, numbered again when joined), joined in file order while the next batch
    /// is built; otherwise (or for a block whose worker failed) one by one.
    pub(super) fn blocks(
        &mut self,
        mut lines_before: usize,
        delimiter: u8,
        next_block: &mut (dyn FnMut(u8, Option<String>) -> Option<String> + Send),
        sink: &mut dyn RecordSink,
        problems: &mut Vec<Problem>,
    ) {
        let mut spares: Vec<String> = Vec::new();
        let mut read_batch = |lines_before: &mut usize, spares: &mut Vec<String>| {
            let mut batch = Vec::new();
            while batch.len() < crate::parallel::threads().clamp(2, MAX_BLOCKS_AT_ONCE) {
                let Some(block) = next_block(delimiter, spares.pop()) else { break };
                let lines = count_newlines(block.as_bytes());
                batch.push(Block { text: block, lines_before: *lines_before, lines });
                *lines_before += lines;
            }
            batch
        };
        let mut batch = read_batch(&mut lines_before, &mut spares);
        let mut waiting: Option<BuiltBatch> = None;
        while !batch.is_empty() {
            let rows = batch.iter().map(Block::rows_at_most).max().unwrap_or(0);
            // A block alone is built in a part only beside a batch being joined.
            let in_parts = batch.len() > 1 || waiting.is_some();
            let parts = sink.streaming().filter(|_| in_parts).and_then(|streaming| streaming.parts(batch.len(), rows));
            let Some(parts) = parts else {
                // Before the build has started (or a block alone): row by row, after the batch
                // waiting, while the next batch is read.
                let (next, freed) = rayon::join(
                    || read_batch(&mut lines_before, &mut spares),
                    || {
                        let freed = waiting.take().map(|built| self.join(built, delimiter, sink, problems));
                        for block in &batch {
                            self.rows(Rows::new(&block.text, delimiter, block.lines_before), sink, problems);
                        }
                        freed
                    },
                );
                spares.extend(freed.into_iter().flatten().chain(batch.into_iter().map(|block| block.text)));
                batch = next;
                continue;
            };
            let (file, headers, preset) = (self.file, self.headers, self.preset);
            let ((next, built), freed) = rayon::join(
                || {
                    rayon::join(
                        || read_batch(&mut lines_before, &mut spares),
                        || build_parts(file, headers, preset, &batch, parts, delimiter),
                    )
                },
                || waiting.take().map(|built| self.join(built, delimiter, sink, problems)),
            );
            spares.extend(freed.into_iter().flatten());
            waiting = Some(BuiltBatch { blocks: batch, parts: built });
            batch = next;
        }
        if let Some(built) = waiting {
            self.join(built, delimiter, sink, problems);
        }
    }

    /// Joins a batch's parts to `sink` in file order; a block whose worker failed is read here
    /// instead, so no row is lost. Gives back the blocks' memory.
    fn join(
        &mut self,
        built: BuiltBatch,
        delimiter: u8,
        sink: &mut dyn RecordSink,
        problems: &mut Vec<Problem>,
    ) -> Vec<String> {
        for (part, block) in built.parts.into_iter().zip(&built.blocks) {
            if let (Ok((part, rows, records, mut found)), Some(streaming)) = (part, sink.streaming()) {
                for problem in &mut found {
                    problem.renumber(self.index);
                }
                streaming.join_numbered_from(part, self.index);
                self.records += records;
                problems.extend(found);
                self.index += rows;
            } else {
                self.rows(Rows::new(&block.text, delimiter, block.lines_before), sink, problems);
            }
        }
        built.blocks.into_iter().map(|block| block.text).collect()
    }

    /// Reads `rows` into `sink`, with their problems.
    pub(super) fn rows(&mut self, mut rows: Rows<'_>, sink: &mut dyn RecordSink, problems: &mut Vec<Problem>) {
        while let Some(item) = rows.next_row() {
            let row = match item {
                Ok((line, fields)) => Row { index: self.index, line, fields },
                Err((line, UnclosedQuote { resumed_at_line })) => {
                    let then = match resumed_at_line {
                        Some(next) => format!("the row was skipped and reading went on at line {next}"),
                        None => "the row was skipped".to_owned(),
                    };
                    let kind = ProblemKind::WrongShape(format!(
                        "a quoted field in this row is never closed (a missing `\"`); {then}"
                    ));
                    let at = Location {
                        index: Some(self.index),
                        line: Some(line),
                        file: self.file.to_path_buf(),
                        ..Location::default()
                    };
                    problems.push(Problem::error(at, kind));
                    self.index += 1;
                    continue;
                }
            };
            self.index += 1;
            // Spreadsheets save rows of empty cells below the data; they hold nothing to report.
            if row.fields.iter().all(|field| crate::model::text::trimmed(field).is_empty()) {
                continue;
            }
            let record = self.preset.record(self.file, &row, problems);
            if row.fields.len() != self.headers.len() {
                let kind = ProblemKind::WrongShape(format!(
                    "the row has {} fields, the header {}; missing fields were read as empty, extra ones as `column_N`",
                    row.fields.len(),
                    self.headers.len()
                ));
                problems.push(Problem::warning(row.location(self.file, record.id.as_deref(), None), kind));
            }
            sink.record(record);
            self.records += 1;
        }
    }
}

/// Each block into its part, on all cores: its rows numbered from 0, to be numbered again when
/// joined, once the rows before are known (counting them first read every row twice).
fn build_parts(
    file: &Path,
    headers: &[String],
    preset: &dyn RecordMaker,
    blocks: &[Block],
    parts: Vec<PartBuild>,
    delimiter: u8,
) -> Vec<Result<BuiltPart, WorkerPanic>> {
    blocks
        .par_iter()
        .zip(parts)
        .map(|(block, mut part)| {
            crate::parallel::catch(move || {
                let mut reading = Reading::new(file, headers, preset);
                let mut found = Vec::new();
                reading.rows(Rows::new(&block.text, delimiter, block.lines_before), &mut part, &mut found);
                (part, reading.index, reading.records, found)
            })
        })
        .collect()
}
