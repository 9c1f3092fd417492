//! Where readers send their records: a list, or a build that makes events as records stream in, so
//! a million rows are never all held as records at once. A reader of a large file in blocks may ask
//! the build for parts ([`StreamingBuild::part`]), fill them on all cores and join them back in
//! file order ([`StreamingBuild::join`]).

use std::path::Path;

use super::builder::{Builder, BuiltEvents, SparePart};
use super::span::{day_order, day_order_of};
use crate::io::problem::Problem;
use crate::io::records::{FieldNames, RawFields, RawRecord, ReadRecords};

/// Records to keep before the builder starts, to find the file's day/month order from them.
const ORDER_SAMPLE: usize = 20_000;

/// Where a reader sends its records: the builder as they come, or a list.
pub trait RecordSink: Send {
    /// The file's format in words and its field names, before its first record.
    fn begin(&mut self, format: &str, fields: &FieldNames);
    /// One record, in file order.
    fn record(&mut self, record: RawRecord<'_>);
    /// As [`Self::record`], giving back the record's other fields emptied, their memory kept for
    /// the reader's next record (a million records' fields were a million allocations).
    fn record_reusing<'a>(&mut self, record: RawRecord<'a>) -> RawFields<'a> {
        self.record(record);
        RawFields::new()
    }
    /// The streaming build behind this sink, when there is one (it can build in parts).
    fn streaming(&mut self) -> Option<&mut StreamingBuild> {
        None
    }
}

/// The events of a later block of a file, built on a thread of its own, to be joined to the
/// build it came from after every record before it ([`StreamingBuild::join`]).
pub struct PartBuild(Builder);

impl RecordSink for PartBuild {
    fn begin(&mut self, _format: &str, _fields: &FieldNames) {}

    fn record(&mut self, record: RawRecord<'_>) {
        self.0.push(record);
    }

    fn record_reusing<'a>(&mut self, record: RawRecord<'a>) -> RawFields<'a> {
        self.0.push(record)
    }
}

/// Builds events while a reader streams its records, so a million rows are never all held as
/// records at once: the first [`ORDER_SAMPLE`] are kept to find the day/month order, then every
/// record becomes an event as it arrives.
pub struct StreamingBuild {
    file: std::path::PathBuf,
    format: String,
    fields: FieldNames,
    sample: Vec<RawRecord<'static>>,
    /// Records kept to find the day/month order before the builder starts.
    order_sample: usize,
    builder: Option<Builder>,
    /// The memory of parts joined, for the next parts.
    spares: Vec<SparePart>,
}

impl StreamingBuild {
    /// A build for the records of `file`.
    pub fn new(file: &Path) -> Self {
        Self {
            file: file.to_path_buf(),
            format: String::new(),
            fields: FieldNames::default(),
            sample: Vec::new(),
            order_sample: ORDER_SAMPLE,
            builder: None,
            spares: Vec::new(),
        }
    }

    /// A build that finds the day/month order from the first `records` (tests use a few, so that
    /// small files build in parts).
    #[cfg(test)]
    pub fn with_order_sample(file: &Path, records: usize) -> Self {
        Self { order_sample: records.max(1), ..Self::new(file) }
    }

    /// `count` empty parts for later blocks, once the builder has started (the day/month order
    /// known); `None` before. Each has room for about `records` records, as far as the records
    /// so far tell (so that it does not grow by copying), in the memory of parts joined before
    /// when there are some: memory the kernel has faulted in already, where a new part's would
    /// be faulted in (and zeroed) again for every block.
    pub fn parts(&mut self, count: usize, records: usize) -> Option<Vec<PartBuild>> {
        let builder = self.builder.as_ref()?;
        let spares = &mut self.spares;
        Some((0..count).map(|_| PartBuild(builder.part(records, spares.pop().unwrap_or_default()))).collect())
    }

    /// Begins the build with the day/month order `dates` tell, instead of keeping the records
    /// it would find it from: `dates` are those records' start and end dates (when they have
    /// them), in record order, all [`Self::records_before_parts`] of them. A reader that has
    /// those records at hand reads their dates on all cores, and then builds them in parts like
    /// the rest (20,000 records of an ACLED file built one by one were 0.15 s on one core). Does
    /// nothing once a record has come.
    pub fn begin_with_dates<'t>(&mut self, dates: impl Iterator<Item = &'t str>) {
        if self.builder.is_none() && self.sample.is_empty() {
            let order = day_order_of(dates);
            self.builder = Some(Builder::new(&self.file, &self.format, self.fields.clone(), order));
        }
    }

    /// How many more records it takes before the build begins (and can build in parts): those
    /// its day/month order is found from. 0 once begun.
    pub fn records_before_parts(&self) -> usize {
        if self.builder.is_some() { 0 } else { self.order_sample.saturating_sub(self.sample.len()) }
    }

    /// Takes back a part after every record given so far, as if its records had come one by one.
    pub fn join(&mut self, part: PartBuild) {
        self.join_numbered_from(part, 0);
    }

    /// As [`Self::join`], for a part whose records were numbered from 0 but come from
    /// `first_index` on: their indexes, and ids and titles made from them, are numbered again.
    pub fn join_numbered_from(&mut self, part: PartBuild, first_index: usize) {
        // Parts come only from a started builder.
        let spare = self.started().join(part.0, first_index);
        self.spares.push(spare);
    }

    /// The builder, started if it was not: the day/month order found from the records kept so
    /// far, which are then built.
    fn started(&mut self) -> &mut Builder {
        let builder = self.take_started();
        self.builder.insert(builder)
    }

    /// The builder (started if it was not, as [`Self::started`]), taken out.
    fn take_started(&mut self) -> Builder {
        self.builder.take().unwrap_or_else(|| {
            let sample = std::mem::take(&mut self.sample);
            let mut builder = Builder::new(&self.file, &self.format, self.fields.clone(), day_order(&sample));
            for record in sample {
                builder.push(record);
            }
            builder
        })
    }

    /// The file's format in words, as the reader said it.
    pub fn format(&self) -> &str {
        &self.format
    }

    /// The events, with the reader's problems (`read_problems`) and the builder's pushed.
    pub fn finish(mut self, read_problems: Vec<Problem>, problems: &mut Vec<Problem>) -> BuiltEvents {
        // No part comes after: their memory goes back before the build's last, largest steps.
        self.spares = Vec::new();
        // The reader's problems come first, as in file order they mostly do.
        self.take_started().finish(read_problems, problems)
    }
}

impl RecordSink for StreamingBuild {
    fn begin(&mut self, format: &str, fields: &FieldNames) {
        format.clone_into(&mut self.format);
        self.fields = fields.clone();
    }

    fn streaming(&mut self) -> Option<&mut StreamingBuild> {
        Some(self)
    }

    fn record(&mut self, record: RawRecord<'_>) {
        if let Some(builder) = &mut self.builder {
            builder.push(record);
        } else {
            self.sample.push(record.into_owned());
            if self.sample.len() >= self.order_sample {
                self.started();
            }
        }
    }

    fn record_reusing<'a>(&mut self, record: RawRecord<'a>) -> RawFields<'a> {
        let Some(builder) = &mut self.builder else {
            self.record(record);
            return RawFields::new();
        };
        builder.push(record)
    }
}

impl RecordSink for ReadRecords {
    fn begin(&mut self, format: &str, fields: &FieldNames) {
        format.clone_into(&mut self.format);
        self.fields = fields.clone();
    }

    fn record(&mut self, record: RawRecord<'_>) {
        self.records.push(record.into_owned());
    }
}

/// Asserts that a build in parts (`parts`, with its `problems`) made exactly what one build made
/// (`whole`, with `whole_problems`): events, categories, fields and problems. For the block
/// readers' tests; `label` says which run failed.
///
/// # Panics
/// When they differ.
#[cfg(test)]
pub fn assert_built_alike(
    parts: &BuiltEvents,
    problems: &[Problem],
    whole: &BuiltEvents,
    whole_problems: &[Problem],
    label: &str,
) {
    let messages = |problems: &[Problem]| problems.iter().map(ToString::to_string).collect::<Vec<_>>();
    assert_eq!(parts.events, whole.events, "{label}");
    assert_eq!(parts.category_keys, whole.category_keys, "{label}");
    assert_eq!(parts.properties, whole.properties, "{label}");
    assert_eq!(parts.id_index, whole.id_index, "{label}");
    assert_eq!(messages(problems), messages(whole_problems), "{label}");
}
