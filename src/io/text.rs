//! Reading files as UTF-8 text, within limits, and turning byte offsets into line numbers.

use std::path::Path;

use super::problem::{Location, Problem, ProblemKind};

/// Largest file Kronika reads (2 GiB); larger ones are refused before being read.
pub const MAX_FILE_BYTES: u64 = 2 * 1024 * 1024 * 1024;
/// Most bytes one dataset may read in all (its events, gazetteer, sources and their texts), so a
/// dataset whose sources all name one huge file cannot exhaust the memory.
pub const MAX_DATASET_BYTES: u64 = 3 * 1024 * 1024 * 1024;

/// How many bytes a dataset may still read.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ReadBudget {
    remaining: u64,
}

impl Default for ReadBudget {
    fn default() -> Self {
        Self { remaining: MAX_DATASET_BYTES }
    }
}

impl ReadBudget {
    /// A budget of `bytes`.
    pub fn of(bytes: u64) -> Self {
        Self { remaining: bytes }
    }

    /// Whether `bytes` more fit.
    pub fn allows(&self, bytes: u64) -> bool {
        bytes <= self.remaining
    }

    /// Counts `bytes` read.
    ///
    /// # Errors
    /// [`ProblemKind::DatasetTooLarge`] when they do not fit.
    pub fn spend(&mut self, bytes: u64) -> Result<(), ProblemKind> {
        self.remaining = self.remaining.checked_sub(bytes).ok_or(ProblemKind::DatasetTooLarge {
            size_bytes: bytes,
            remaining_bytes: self.remaining,
            budget_bytes: MAX_DATASET_BYTES,
        })?;
        Ok(())
    }
}

/// A regular file, opened once: everything checked about it is checked on what was opened, and
/// the bytes read are the bytes of that file, whatever happens to its path meanwhile.
#[derive(Debug)]
pub struct OpenedFile {
    file: std::fs::File,
    len: u64,
}

/// Opens `path` for reading and checks that it is a regular file. On Unix the file is opened
/// without blocking, so a FIFO (which would wait for a writer forever) is seen and refused.
///
/// # Errors
/// Why it cannot be read: missing, unreadable, or not a regular file (a directory, a FIFO, a device).
pub fn open_regular(path: &Path) -> Result<OpenedFile, ProblemKind> {
    let mut options = std::fs::OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::custom_flags(&mut options, libc::O_NONBLOCK);
    let file = options.open(path).map_err(|e| ProblemKind::Unreadable(e.to_string()))?;
    let metadata = file.metadata().map_err(|e| ProblemKind::Unreadable(e.to_string()))?;
    if !metadata.is_file() {
        return Err(ProblemKind::NotRegularFile(kind_of(metadata.file_type())));
    }
    Ok(OpenedFile { file, len: metadata.len() })
}

/// What a file that is not a regular file is, in words.
fn kind_of(file_type: std::fs::FileType) -> &'static str {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt as _;
        if file_type.is_fifo() {
            return "a FIFO (named pipe)";
        }
        if file_type.is_char_device() || file_type.is_block_device() {
            return "a device";
        }
        if file_type.is_socket() {
            return "a socket";
        }
    }
    if file_type.is_dir() { "a directory" } else { "not a file" }
}

impl OpenedFile {
    /// The file's size when it was opened.
    pub fn len(&self) -> u64 {
        self.len
    }

    /// The file to read from its start: its position moved back there (a reader that gives up
    /// leaves it to be read whole, from the start again). The file itself, not a wrapper, so that
    /// a block read into memory used before is not zeroed again first (as the standard library
    /// does for a reader of its own kind: 1 GB of another tool's GeoJSON, read in 32 MB blocks
    /// into the same two buffers, was zeroed a block at a time).
    ///
    /// # Errors
    /// When its position cannot be moved.
    #[cfg(unix)]
    pub fn reader_from_start(&self) -> std::io::Result<&std::fs::File> {
        std::io::Seek::rewind(&mut &self.file)?;
        Ok(&self.file)
    }

    /// The open file itself, for readers that read parts of it.
    pub fn into_file(self) -> std::fs::File {
        self.file
    }

    /// Whether the file was empty when it was opened.
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// Where the opened file really is (symlinks resolved): on Linux the kernel's own record of
    /// the open file, so a path swapped after opening cannot fool a check; elsewhere `path`
    /// resolved now.
    pub fn real_path(&self, path: &Path) -> Option<std::path::PathBuf> {
        #[cfg(target_os = "linux")]
        {
            use std::os::fd::AsRawFd as _;
            if let Ok(real) = std::fs::read_link(format!("/proc/self/fd/{}", self.file.as_raw_fd())) {
                return Some(real);
            }
        }
        path.canonicalize().ok()
    }

    /// Reads the first `max_bytes` of the file (all of it when it is shorter), to look at.
    ///
    /// # Errors
    /// A read error.
    pub fn read_prefix(self, max_bytes: u64) -> Result<Vec<u8>, ProblemKind> {
        use std::io::Read as _;
        let mut bytes = Vec::with_capacity(usize::try_from(self.len.min(max_bytes)).unwrap_or(0));
        self.file.take(max_bytes).read_to_end(&mut bytes).map_err(|e| ProblemKind::Unreadable(e.to_string()))?;
        Ok(bytes)
    }

    /// Reads the whole file, refusing more than `limit_bytes` (checked before reading, and again
    /// while reading, should the file grow) or more than `budget` has left, or more than the
    /// memory the system has available.
    ///
    /// # Errors
    /// Too large, over the dataset's budget, not enough memory, or a read error.
    pub fn read_all(self, limit_bytes: u64, budget: &mut ReadBudget) -> Result<Vec<u8>, ProblemKind> {
        if self.len > limit_bytes {
            return Err(ProblemKind::TooLarge { size_bytes: self.len, limit_bytes });
        }
        if let Some(available) = available_memory_bytes()
            && self.len > available
        {
            return Err(ProblemKind::OutOfMemory { needed_bytes: self.len, available_bytes: available });
        }
        budget.spend(self.len)?;
        let len = usize::try_from(self.len).map_err(|_| ProblemKind::TooLarge { size_bytes: self.len, limit_bytes })?;
        #[cfg(unix)]
        if self.len >= PARALLEL_READ_FROM_BYTES
            && let Some(bytes) =
                read_in_parallel(&self.file, len).map_err(|e| ProblemKind::Unreadable(e.to_string()))?
        {
            return Ok(bytes);
        }
        let mut bytes = Vec::new();
        bytes.try_reserve_exact(len).map_err(|_| ProblemKind::OutOfMemory {
            needed_bytes: self.len,
            available_bytes: available_memory_bytes().unwrap_or(0),
        })?;
        // From the start, wherever a reader that gave up left it.
        std::io::Seek::rewind(&mut &self.file).map_err(|e| ProblemKind::Unreadable(e.to_string()))?;
        // One byte past the limit tells a file that grew since it was measured.
        let read_limit = limit_bytes.min(self.len.saturating_add(MAX_GROWTH_BYTES)).saturating_add(1);
        std::io::Read::read_to_end(&mut std::io::Read::take(&self.file, read_limit), &mut bytes)
            .map_err(|e| ProblemKind::Unreadable(e.to_string()))?;
        let read = u64::try_from(bytes.len()).unwrap_or(u64::MAX);
        if read >= read_limit {
            return Err(ProblemKind::TooLarge { size_bytes: read, limit_bytes: read_limit - 1 });
        }
        Ok(bytes)
    }
}

/// How much a file may grow between being measured and being read.
const MAX_GROWTH_BYTES: u64 = 64 * 1024 * 1024;

/// The memory the system says is available (Linux's `MemAvailable`), when it says.
fn available_memory_bytes() -> Option<u64> {
    let meminfo = std::fs::read_to_string("/proc/meminfo").ok()?;
    let kib: u64 = meminfo
        .lines()
        .find_map(|l| l.strip_prefix("MemAvailable:"))?
        .trim()
        .trim_end_matches("kB")
        .trim()
        .parse()
        .ok()?;
    Some(kib.saturating_mul(1024))
}

/// Reads `path` as UTF-8 text, refusing anything but a regular file of at most `limit_bytes`. A
/// UTF-8 byte order mark is dropped.
///
/// # Errors
/// A [`Problem`] located at `path`: unreadable, not a regular file, too large, UTF-16 or invalid UTF-8.
pub fn read_text(path: &Path, limit_bytes: u64) -> Result<String, Box<Problem>> {
    read_text_within(path, limit_bytes, &mut ReadBudget::default())
}

/// As [`read_text`], counting the bytes against a dataset's budget.
///
/// # Errors
/// As [`read_text`], and over the budget.
pub fn read_text_within(path: &Path, limit_bytes: u64, budget: &mut ReadBudget) -> Result<String, Box<Problem>> {
    let problem = |kind| Box::new(Problem::error(Location { file: path.to_path_buf(), ..Location::default() }, kind));
    let bytes = open_regular(path).and_then(|file| file.read_all(limit_bytes, budget)).map_err(problem)?;
    text_from_bytes(bytes).map_err(problem)
}

/// Files from this size on are read in parts on all cores at once, so that faulting in fresh
/// memory and copying from the page cache run on every core (a third of the time of loading a
/// million events, on one core).
const PARALLEL_READ_FROM_BYTES: u64 = 32 * 1024 * 1024;

/// Reads the `len` bytes of `file` in parts, on all cores; `None` when the file is no longer
/// `len` bytes long, for the caller to read it as it now is.
#[cfg(unix)]
fn read_in_parallel(file: &std::fs::File, len: usize) -> std::io::Result<Option<Vec<u8>>> {
    use std::os::unix::fs::FileExt as _;

    use rayon::prelude::*;
    let part_len = len.div_ceil(rayon::current_num_threads().clamp(1, 8)).max(1);
    // Zeroed by the system on first touch, so each worker faults in its own part.
    let mut bytes = Vec::new();
    bytes.try_reserve_exact(len).map_err(|_| std::io::Error::other("not enough memory to read the file"))?;
    bytes.resize(len, 0_u8);
    let outcome = bytes.par_chunks_mut(part_len).enumerate().try_for_each(|(number, part)| {
        let offset = u64::try_from(number * part_len).map_err(std::io::Error::other)?;
        file.read_exact_at(part, offset)
    });
    match outcome {
        Err(error) if error.kind() == std::io::ErrorKind::UnexpectedEof => return Ok(None),
        other => other?,
    }
    // Grown since its size was taken? Then these bytes are not the whole file.
    let mut probe = [0_u8; 1];
    let at_end = u64::try_from(len).map_err(std::io::Error::other)?;
    Ok((file.read_at(&mut probe, at_end)? == 0).then_some(bytes))
}

/// Decodes bytes as UTF-8, naming UTF-16 files as such.
///
/// # Errors
/// [`ProblemKind::NotUtf8`] for UTF-16 (by its byte order mark) and invalid UTF-8, with the offset.
pub fn text_from_bytes(mut bytes: Vec<u8>) -> Result<String, ProblemKind> {
    if bytes.starts_with(&[0xFF, 0xFE]) || bytes.starts_with(&[0xFE, 0xFF]) {
        return Err(ProblemKind::NotUtf8("it is UTF-16".into()));
    }
    if bytes.starts_with(&[0xEF, 0xBB, 0xBF]) {
        bytes.drain(..3);
    }
    String::from_utf8(bytes).map_err(|e| {
        let offset = e.utf8_error().valid_up_to();
        let bytes = e.as_bytes();
        let line = 1 + count_newlines(bytes.get(..offset).unwrap_or_default());
        // Lone bytes of 0x80–0xFF between ASCII text are the mark of a one-byte Windows code page.
        let single_byte = bytes.iter().filter(|&&b| b >= 0x80).count() * 2 < bytes.len()
            && std::str::from_utf8(bytes).is_err()
            && bytes
                .windows(2)
                .filter(|w| w.first().is_some_and(|&b| b >= 0x80))
                .all(|w| matches!(w, [_, next] if *next < 0x80));
        let guess = if single_byte { "; it looks like Windows-1252 or Latin-1" } else { "" };
        ProblemKind::NotUtf8(format!("invalid byte at offset {offset}, line {line}{guess}"))
    })
}

/// Line starts of a text, for turning byte offsets into 1-based line numbers.
#[derive(Debug, Default)]
pub struct LineIndex {
    line_starts: Vec<usize>,
}

impl LineIndex {
    /// Indexes the line starts of `text`.
    pub fn new(text: &str) -> Self {
        let mut line_starts = vec![0];
        line_starts.extend(text.bytes().enumerate().filter(|(_, b)| *b == b'\n').map(|(i, _)| i + 1));
        Self { line_starts }
    }

    /// 1-based line of a byte offset.
    pub fn line_of(&self, byte_offset: usize) -> usize {
        self.line_starts.partition_point(|&start| start <= byte_offset).max(1)
    }
}

/// The whole characters at the start of `bytes`, as text: all of them, or those before a
/// character that a block's end cut (or before the first byte that is not UTF-8).
pub fn whole_utf8_prefix(bytes: &[u8]) -> &str {
    match checked_utf8(bytes) {
        Ok(text) => text,
        Err(error) => bytes.get(..error.valid_up_to()).and_then(|valid| checked_utf8(valid).ok()).unwrap_or(""),
    }
}

/// `bytes` as text when they are UTF-8, as [`std::str::from_utf8`] tells, with SIMD.
///
/// # Errors
/// Where the first byte that is not UTF-8 is, and whether the text merely stops inside a
/// character ([`simdutf8::compat::Utf8Error::error_len`] is `None`).
pub fn checked_utf8(bytes: &[u8]) -> Result<&str, simdutf8::compat::Utf8Error> {
    simdutf8::compat::from_utf8(bytes)
}

/// How many line ends `bytes` hold.
pub fn count_newlines(bytes: &[u8]) -> usize {
    memchr::memchr_iter(b'\n', bytes).count()
}

/// A file read a block at a time, at most `limit_bytes` in all (a file that grows while it is
/// read stops there).
pub struct BlockSource<'a> {
    source: &'a mut (dyn std::io::Read + Send),
    /// The next block's size: it doubles up to `block_bytes` when growing.
    next_bytes: usize,
    block_bytes: usize,
    limit_bytes: u64,
    read: u64,
    at_end: bool,
}

impl<'a> BlockSource<'a> {
    /// Blocks of `block_bytes` (at least one byte) from `source`.
    pub fn new(source: &'a mut (dyn std::io::Read + Send), block_bytes: usize, limit_bytes: u64) -> Self {
        let block_bytes = block_bytes.max(1);
        Self { source, next_bytes: block_bytes, block_bytes, limit_bytes, read: 0, at_end: false }
    }

    /// Blocks that start at `first_bytes` and double up to the full size, so that the first
    /// block's work can begin sooner while the next, larger block is read.
    #[must_use]
    pub fn growing_from(mut self, first_bytes: usize) -> Self {
        self.next_bytes = first_bytes.clamp(1, self.block_bytes);
        self
    }

    /// Appends up to a block to `buffer`; `None` on a read error or past the limit.
    pub fn fill(&mut self, buffer: &mut Vec<u8>) -> Option<()> {
        use std::io::Read as _;
        let want = u64::try_from(self.next_bytes).ok()?;
        self.next_bytes = self.next_bytes.saturating_mul(2).min(self.block_bytes);
        let read = (&mut self.source).take(want).read_to_end(buffer).ok()?;
        let read = u64::try_from(read).ok()?;
        self.at_end = read < want;
        self.read += read;
        (self.read <= self.limit_bytes).then_some(())
    }

    /// The source has given all it has.
    pub fn at_end(&self) -> bool {
        self.at_end
    }
}

/// Byte offset of `part` inside `whole`, when `part` is a slice of it.
pub fn offset_in(whole: &str, part: &str) -> Option<usize> {
    let start = (part.as_ptr() as usize).checked_sub(whole.as_ptr() as usize)?;
    (start + part.len() <= whole.len()).then_some(start)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utf16_is_named() {
        let kind = text_from_bytes(vec![0xFF, 0xFE, b'{', 0]).unwrap_err();
        assert!(kind.to_string().contains("UTF-16"));
    }

    #[test]
    fn invalid_utf8_names_the_offset() {
        let kind = text_from_bytes(b"{\"a\": \"\xC3\x28\"}".to_vec()).unwrap_err();
        assert!(kind.to_string().contains("offset 7"), "{kind}");
    }

    #[test]
    fn large_files_read_in_parts_whole() {
        let len = usize::try_from(PARALLEL_READ_FROM_BYTES).unwrap() + 12_345;
        let bytes: Vec<u8> = (0..len).map(|i| b"0123456789abcdefghijklmnopqrstuvwxyz\n"[i % 37]).collect();
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("read.txt");
        std::fs::write(&path, &bytes).unwrap();
        let text = read_text(&path, MAX_FILE_BYTES);
        assert!(text.unwrap().as_bytes() == bytes.as_slice());
    }

    #[test]
    fn only_regular_files_are_read() {
        let dir = tempfile::tempdir().unwrap();
        let kind = open_regular(dir.path()).unwrap_err();
        assert!(kind.to_string().contains("a directory"), "{kind}");
        #[cfg(unix)]
        {
            let kind = open_regular(Path::new("/dev/zero")).unwrap_err();
            assert!(kind.to_string().contains("a device"), "{kind}");
        }
    }

    #[test]
    fn the_budget_is_shared_by_every_file_of_a_dataset() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.txt");
        std::fs::write(&path, "0123456789").unwrap();
        let mut budget = ReadBudget::of(15);
        assert!(read_text_within(&path, 100, &mut budget).is_ok());
        let problem = read_text_within(&path, 100, &mut budget).unwrap_err();
        assert!(matches!(problem.kind, ProblemKind::DatasetTooLarge { .. }), "{problem}");
        let problem = read_text(&path, 5).unwrap_err();
        assert!(matches!(problem.kind, ProblemKind::TooLarge { size_bytes: 10, limit_bytes: 5 }), "{problem}");
    }

    /// The SIMD check says what the standard library's says, for whole text, text cut inside a
    /// character (longer than one 64-byte SIMD block, so the cut falls in each part of it), and
    /// bytes that are not UTF-8 at all.
    #[test]
    fn the_utf8_check_agrees_with_the_standard_library() {
        let text = "Mitrovicë / Митровица, Banjska 🚩 ".repeat(5);
        let bytes = text.as_bytes();
        let mut cases: Vec<Vec<u8>> = (0..=bytes.len()).map(|end| bytes[..end].to_vec()).collect();
        for at in [0, 7, 40, 63, 64, 65, bytes.len() - 1] {
            for bad in [0x80, 0xC0, 0xFF, 0xED] {
                let mut corrupted = bytes.to_vec();
                corrupted[at] = bad;
                cases.push(corrupted);
            }
        }
        for case in &cases {
            let ours = checked_utf8(case).map_err(|e| (e.valid_up_to(), e.error_len()));
            let std = std::str::from_utf8(case).map_err(|e| (e.valid_up_to(), e.error_len()));
            assert_eq!(ours, std, "{case:?}");
            assert_eq!(whole_utf8_prefix(case), std.unwrap_or_else(|(valid, _)| &text[..valid]));
        }
    }

    #[test]
    fn bom_is_dropped() {
        assert_eq!(text_from_bytes(b"\xEF\xBB\xBF{}".to_vec()).unwrap(), "{}");
    }

    #[test]
    fn line_numbers() {
        let index = LineIndex::new("a\nbc\n\nd");
        assert_eq!(index.line_of(0), 1);
        assert_eq!(index.line_of(2), 2);
        assert_eq!(index.line_of(5), 3);
        assert_eq!(index.line_of(6), 4);
    }
}
