//! Reading files as UTF-8 text, within limits, and turning byte offsets into line numbers.

use std::path::Path;

use super::problem::{Location, Problem, ProblemKind};

/// Largest file Kronika reads (2 GiB); larger ones are refused before being read.
pub const MAX_FILE_BYTES: u64 = 2 * 1024 * 1024 * 1024;

/// Reads `path` as UTF-8 text, refusing files over `limit_bytes` before reading them. A UTF-8
/// byte order mark is dropped.
///
/// # Errors
/// A [`Problem`] located at `path`: unreadable, a directory, too large, UTF-16 or invalid UTF-8.
pub fn read_text(path: &Path, limit_bytes: u64) -> Result<String, Box<Problem>> {
    let problem = |kind| Box::new(Problem::error(Location { file: path.to_path_buf(), ..Location::default() }, kind));
    let metadata = std::fs::metadata(path).map_err(|e| problem(ProblemKind::Unreadable(e.to_string())))?;
    if metadata.is_dir() {
        return Err(problem(ProblemKind::Unreadable("it is a directory".into())));
    }
    if metadata.len() > limit_bytes {
        return Err(problem(ProblemKind::TooLarge { size_bytes: metadata.len(), limit_bytes }));
    }
    let bytes = read_bytes(path, metadata.len()).map_err(|e| problem(ProblemKind::Unreadable(e.to_string())))?;
    text_from_bytes(bytes).map_err(problem)
}

/// Files from this size on are read in parts on all cores at once, so that faulting in fresh
/// memory and copying from the page cache run on every core (a third of the time of loading a
/// million events, on one core).
const PARALLEL_READ_FROM_BYTES: u64 = 32 * 1024 * 1024;

fn read_bytes(path: &Path, expected_len: u64) -> std::io::Result<Vec<u8>> {
    #[cfg(unix)]
    if expected_len >= PARALLEL_READ_FROM_BYTES
        && let Ok(len) = usize::try_from(expected_len)
        && let Some(bytes) = read_in_parallel(path, len)?
    {
        return Ok(bytes);
    }
    std::fs::read(path)
}

/// Reads the `len` bytes of `path` in parts, on all cores; `None` when the file is no longer
/// `len` bytes long, for the caller to read it as it now is.
#[cfg(unix)]
fn read_in_parallel(path: &Path, len: usize) -> std::io::Result<Option<Vec<u8>>> {
    use std::os::unix::fs::FileExt as _;

    use rayon::prelude::*;
    let file = std::fs::File::open(path)?;
    let part_len = len.div_ceil(rayon::current_num_threads().clamp(1, 8)).max(1);
    // Zeroed by the system on first touch, so each worker faults in its own part.
    let mut bytes = vec![0_u8; len];
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
        ProblemKind::NotUtf8(format!("invalid byte at offset {offset}"))
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
        let path = std::env::temp_dir().join(format!("kronika-read-{}.txt", std::process::id()));
        std::fs::write(&path, &bytes).unwrap();
        let text = read_text(&path, MAX_FILE_BYTES);
        std::fs::remove_file(&path).ok();
        assert!(text.unwrap().as_bytes() == bytes.as_slice());
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
