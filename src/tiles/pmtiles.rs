//! Local `.pmtiles` archives (PMTiles version 3) of raster tiles, read with bounded reads from one
//! open file. Nothing the file says is trusted: the header's sections must lie inside the file,
//! a directory must have room for the entries it declares before any is allocated, decompression
//! stops at a cap, and a tile larger than the tile budget is refused unread. No memory map: an
//! archive rewritten while Kronika reads it gives read errors, not a crash.

use std::collections::HashMap;
use std::io::Read as _;
use std::path::{Path, PathBuf};

use walkers::TileId;

use super::local::{LocalArchive, TileStore};
use super::pieces::{MAX_ATTRIBUTION_CHARS, MAX_TILE_BYTES, MAX_ZOOM};

/// The fixed header's length.
const HEADER_BYTES: usize = 127;
/// Largest directory read, compressed or not (root and leaves). A leaf of the largest public
/// archives is a few hundred kilobytes.
pub const MAX_DIRECTORY_BYTES: usize = 4 * 1024 * 1024;
/// Largest JSON metadata read.
const MAX_METADATA_BYTES: usize = 1024 * 1024;
/// Leaf directories below the root followed at most (the specification discourages more than one).
const MAX_LEAF_DEPTH: usize = 3;
/// Decoded leaf directories kept.
const MAX_CACHED_LEAVES: usize = 64;

/// Raster tiles from a `.pmtiles` file, shown as a map layer.
pub type PmTiles = LocalArchive<PmTilesStore>;

/// How the directories, metadata or tiles are compressed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Compression {
    /// Not compressed (or unknown: read as is).
    None,
    /// gzip.
    Gzip,
}

/// What the header says, checked against the file.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Header {
    /// The root directory: (offset, length).
    pub root: (u64, u64),
    /// The JSON metadata.
    pub metadata: (u64, u64),
    /// The leaf directories' section.
    pub leaves: (u64, u64),
    /// The tile data section.
    pub data: (u64, u64),
    /// Compression of directories and metadata.
    pub internal_compression: Compression,
    /// Compression of tiles.
    pub tile_compression: Compression,
    /// The deepest zoom level.
    pub max_zoom: u8,
}

/// One directory entry: a run of tiles (`run_length` ≥ 1) or a leaf directory (`run_length` 0).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Entry {
    /// The first tile's id.
    pub tile_id: u64,
    /// Offset in the data section (tiles) or in the leaves section (a leaf directory).
    pub offset: u64,
    /// Length in bytes.
    pub length: u64,
    /// How many consecutive tile ids share this data; 0 for a leaf directory.
    pub run_length: u64,
}

/// Reads and checks the header.
///
/// # Errors
/// Why the bytes are not the header of a raster PMTiles v3 archive of `file_len` bytes.
pub fn parse_header(bytes: &[u8], file_len: u64) -> Result<Header, String> {
    let bytes: &[u8; HEADER_BYTES] = bytes
        .get(..HEADER_BYTES)
        .and_then(|b| b.try_into().ok())
        .ok_or_else(|| format!("the file is shorter than the {HEADER_BYTES}-byte PMTiles header"))?;
    if bytes.get(..7) != Some(b"PMTiles".as_slice()) {
        return Err("not a PMTiles archive (no PMTiles magic number)".into());
    }
    if bytes[7] != 3 {
        return Err(format!("PMTiles version {} is not supported; Kronika reads version 3", bytes[7]));
    }
    let u64_at =
        |at: usize| u64::from_le_bytes(bytes.get(at..at + 8).and_then(|b| b.try_into().ok()).unwrap_or_default());
    let section = |name: &str, at: usize| {
        let (offset, length) = (u64_at(at), u64_at(at + 8));
        match offset.checked_add(length) {
            Some(end) if end <= file_len => Ok((offset, length)),
            _ => Err(format!(
                "its {name} (offset {offset}, {length} bytes) runs past the end of the {file_len}-byte file"
            )),
        }
    };
    let root = section("root directory", 8)?;
    let metadata = section("metadata", 24)?;
    let leaves = section("leaf directories", 40)?;
    let data = section("tile data", 56)?;
    let compression = |code: u8, what: &str| match code {
        0 | 1 => Ok(Compression::None),
        2 => Ok(Compression::Gzip),
        3 => Err(format!("its {what} are brotli-compressed, which Kronika does not read")),
        4 => Err(format!("its {what} are zstd-compressed, which Kronika does not read")),
        other => Err(format!("its {what} have an unknown compression ({other})")),
    };
    let internal_compression = compression(bytes[97], "directories")?;
    let tile_compression = compression(bytes[98], "tiles")?;
    match bytes[99] {
        0 | 2 | 3 => {}
        1 => return Err("its tiles are vector tiles (MVT); Kronika draws raster tiles (png, jpg)".into()),
        4 => return Err("its tiles are WebP; Kronika draws png and jpg tiles".into()),
        5 => return Err("its tiles are AVIF; Kronika draws png and jpg tiles".into()),
        other => return Err(format!("its tile type ({other}) is unknown")),
    }
    if usize::try_from(root.1).map_or(true, |len| len == 0 || len > MAX_DIRECTORY_BYTES) {
        return Err(format!("its root directory is {} bytes; expected 1 to {MAX_DIRECTORY_BYTES}", root.1));
    }
    Ok(Header {
        root,
        metadata,
        leaves,
        data,
        internal_compression,
        tile_compression,
        max_zoom: bytes[101].min(MAX_ZOOM),
    })
}

/// Decodes an uncompressed directory. The entry count is checked against the bytes there are
/// (each entry takes at least four bytes) before anything is allocated.
///
/// # Errors
/// Why the bytes are not a valid directory.
pub fn decode_directory(bytes: &[u8]) -> Result<Vec<Entry>, String> {
    let mut reader = VarintReader { bytes, at: 0 };
    let count = reader.next()?;
    let room = (bytes.len() - reader.at) / 4;
    if count == 0 {
        return Err("an empty directory".into());
    }
    let count = usize::try_from(count)
        .ok()
        .filter(|&count| count <= room)
        .ok_or_else(|| format!("the directory declares {count} entries but has room for at most {room}"))?;
    let mut entries = vec![Entry { tile_id: 0, offset: 0, length: 0, run_length: 0 }; count];
    let mut tile_id = 0_u64;
    for (i, entry) in entries.iter_mut().enumerate() {
        let delta = reader.next()?;
        if i > 0 && delta == 0 {
            return Err(format!("entry {i} repeats the previous tile id"));
        }
        tile_id = tile_id.checked_add(delta).ok_or("tile ids overflow")?;
        entry.tile_id = tile_id;
    }
    for entry in &mut entries {
        entry.run_length = reader.next()?;
    }
    for (i, entry) in entries.iter_mut().enumerate() {
        entry.length = reader.next()?;
        if entry.length == 0 {
            return Err(format!("entry {i} has length 0"));
        }
    }
    let mut next_offset = 0_u64;
    for (i, entry) in entries.iter_mut().enumerate() {
        let value = reader.next()?;
        entry.offset = if value == 0 && i > 0 { next_offset } else { value.checked_sub(1).ok_or("bad offset")? };
        next_offset = entry.offset.checked_add(entry.length).ok_or("offsets overflow")?;
    }
    Ok(entries)
}

/// Little-endian base-128 integers, as protobuf writes them.
struct VarintReader<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl VarintReader<'_> {
    fn next(&mut self) -> Result<u64, String> {
        let mut value = 0_u64;
        for shift in (0..64).step_by(7) {
            let byte = *self.bytes.get(self.at).ok_or("the directory ends in the middle of a number")?;
            self.at += 1;
            value |= u64::from(byte & 0x7F) << shift;
            if byte & 0x80 == 0 {
                return Ok(value);
            }
        }
        Err("a number in the directory is longer than 64 bits".into())
    }
}

/// The tile id of a tile: its position on the series of Hilbert curves, zoom level after zoom level.
pub fn tile_id(zoom: u8, x: u32, y: u32) -> Option<u64> {
    if zoom > 31 {
        return None;
    }
    let side = 1_u64 << zoom;
    let (mut x, mut y) = (u64::from(x), u64::from(y));
    if x >= side || y >= side {
        return None;
    }
    let before_this_zoom = ((1_u64 << (2 * u32::from(zoom))) - 1) / 3;
    let mut position = 0_u64;
    let mut s = side / 2;
    while s > 0 {
        let rx = u64::from(x & s > 0);
        let ry = u64::from(y & s > 0);
        position += s * s * ((3 * rx) ^ ry);
        if ry == 0 {
            if rx == 1 {
                x = side - 1 - x;
                y = side - 1 - y;
            }
            std::mem::swap(&mut x, &mut y);
        }
        s /= 2;
    }
    Some(before_this_zoom + position)
}

/// `len` bytes of `file` at `offset`, read without moving a shared cursor. A file that has shrunk
/// since it was opened gives an error.
fn read_at(file: &std::fs::File, offset: u64, len: usize) -> Result<Vec<u8>, String> {
    let mut bytes = vec![0_u8; len];
    #[cfg(unix)]
    std::os::unix::fs::FileExt::read_exact_at(file, &mut bytes, offset).map_err(|e| e.to_string())?;
    #[cfg(not(unix))]
    {
        use std::io::Seek as _;
        let mut file = file;
        file.seek(std::io::SeekFrom::Start(offset)).map_err(|e| e.to_string())?;
        file.read_exact(&mut bytes).map_err(|e| e.to_string())?;
    }
    Ok(bytes)
}

/// The entry covering `tile_id` in a sorted directory: a run holding it, or the leaf that may.
fn find(entries: &[Entry], tile_id: u64) -> Option<Entry> {
    let after = entries.partition_point(|e| e.tile_id <= tile_id);
    let entry = *entries.get(after.checked_sub(1)?)?;
    match entry.run_length {
        0 => Some(entry),
        run if tile_id - entry.tile_id < run => Some(entry),
        _ => None,
    }
}

/// An open `.pmtiles` file.
pub struct PmTilesStore {
    path: PathBuf,
    file: std::fs::File,
    header: Header,
    root: Vec<Entry>,
    leaves: HashMap<(u64, u64), Vec<Entry>>,
    attribution: Option<String>,
}

impl LocalArchive<PmTilesStore> {
    /// Opens `path` and reads its header and root directory.
    ///
    /// # Errors
    /// Why it cannot be shown, naming the file.
    pub fn open(path: &Path, ctx: egui::Context) -> Result<Self, String> {
        Ok(Self::new(PmTilesStore::open(path)?, ctx))
    }
}

impl PmTilesStore {
    /// Opens `path` (a regular file only) and reads its header, root directory and credit line.
    ///
    /// # Errors
    /// Why it cannot be shown, naming the file.
    pub fn open(path: &Path) -> Result<Self, String> {
        let named = |error: String| format!("{}: {error}", path.display());
        let opened = crate::io::open_regular(path).map_err(|kind| named(kind.to_string()))?;
        let file_len = opened.len();
        let file = opened.into_file();
        let header_len = HEADER_BYTES.min(usize::try_from(file_len).unwrap_or(HEADER_BYTES));
        let header = parse_header(&read_at(&file, 0, header_len).map_err(named)?, file_len).map_err(named)?;
        let mut store = Self {
            path: path.to_path_buf(),
            file,
            header,
            root: Vec::new(),
            leaves: HashMap::new(),
            attribution: None,
        };
        store.root = store.directory(header.root.0, header.root.1).map_err(named)?;
        store.attribution = store.read_attribution();
        Ok(store)
    }

    /// Reads `length` bytes at `offset`, at most `limit`, decompressed (to at most `limit`).
    fn read_section(
        &self,
        offset: u64,
        length: u64,
        compression: Compression,
        limit: usize,
    ) -> Result<Vec<u8>, String> {
        let len = usize::try_from(length)
            .ok()
            .filter(|&len| len <= limit)
            .ok_or_else(|| format!("a section of {length} bytes is larger than the {limit}-byte limit"))?;
        let bytes = read_at(&self.file, offset, len)?;
        match compression {
            Compression::None => Ok(bytes),
            Compression::Gzip => {
                let mut out = Vec::new();
                let cap = u64::try_from(limit).unwrap_or(u64::MAX).saturating_add(1);
                flate2::read::GzDecoder::new(bytes.as_slice())
                    .take(cap)
                    .read_to_end(&mut out)
                    .map_err(|e| format!("cannot decompress: {e}"))?;
                if out.len() > limit {
                    return Err(format!("decompresses to more than the {limit}-byte limit"));
                }
                Ok(out)
            }
        }
    }

    fn directory(&self, offset: u64, length: u64) -> Result<Vec<Entry>, String> {
        let bytes = self.read_section(offset, length, self.header.internal_compression, MAX_DIRECTORY_BYTES)?;
        decode_directory(&bytes)
    }

    fn read_attribution(&self) -> Option<String> {
        let (offset, length) = self.header.metadata;
        let bytes = self.read_section(offset, length, self.header.internal_compression, MAX_METADATA_BYTES).ok()?;
        let metadata: serde_json::Value = serde_json::from_slice(&bytes).ok()?;
        let text = metadata.get("attribution")?.as_str()?.trim();
        (!text.is_empty()).then(|| crate::model::text::shorten(text, MAX_ATTRIBUTION_CHARS).into_owned())
    }

    /// The leaf directory at `entry`, read (and kept) on first use.
    fn leaf(&mut self, entry: Entry) -> Result<&[Entry], String> {
        let (base, section_len) = self.header.leaves;
        let end = entry.offset.checked_add(entry.length).filter(|&end| end <= section_len);
        if end.is_none() {
            return Err(format!(
                "a leaf directory (offset {}, {} bytes) lies outside its section",
                entry.offset, entry.length
            ));
        }
        let key = (entry.offset, entry.length);
        if !self.leaves.contains_key(&key) {
            let entries = self.directory(base + entry.offset, entry.length)?;
            if self.leaves.len() >= MAX_CACHED_LEAVES {
                self.leaves.clear();
            }
            self.leaves.insert(key, entries);
        }
        Ok(self.leaves.get(&key).map_or(&[], Vec::as_slice))
    }
}

impl TileStore for PmTilesStore {
    fn tile_bytes(&mut self, tile: TileId) -> Result<Option<Vec<u8>>, String> {
        let Some(id) = tile_id(tile.zoom, tile.x, tile.y) else { return Ok(None) };
        let mut entry = find(&self.root, id);
        for _ in 0..MAX_LEAF_DEPTH {
            match entry {
                Some(leaf) if leaf.run_length == 0 => entry = find(self.leaf(leaf)?, id),
                _ => break,
            }
        }
        let Some(entry) = entry.filter(|e| e.run_length > 0) else { return Ok(None) };
        let (base, section_len) = self.header.data;
        let end = entry.offset.checked_add(entry.length).filter(|&end| end <= section_len);
        if end.is_none() {
            return Err(format!(
                "its data (offset {}, {} bytes) lies outside the tile section",
                entry.offset, entry.length
            ));
        }
        self.read_section(base + entry.offset, entry.length, self.header.tile_compression, MAX_TILE_BYTES).map(Some)
    }

    fn max_zoom(&self) -> u8 {
        self.header.max_zoom
    }

    fn attribution(&self) -> Option<&str> {
        self.attribution.as_deref()
    }

    fn name(&self) -> String {
        format!("pmtiles-{}", self.path.display())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tile_ids_follow_the_specification() {
        assert_eq!(tile_id(0, 0, 0), Some(0));
        assert_eq!(tile_id(1, 0, 0), Some(1));
        assert_eq!(tile_id(1, 0, 1), Some(2));
        assert_eq!(tile_id(1, 1, 1), Some(3));
        assert_eq!(tile_id(1, 1, 0), Some(4));
        assert_eq!(tile_id(2, 0, 0), Some(5));
        assert_eq!(tile_id(12, 3423, 1763), Some(19_078_479));
        assert_eq!(tile_id(1, 2, 0), None);
    }

    fn varints(values: &[u64]) -> Vec<u8> {
        let mut out = Vec::new();
        for &value in values {
            let mut v = value;
            loop {
                let byte = u8::try_from(v & 0x7F).unwrap();
                v >>= 7;
                if v == 0 {
                    out.push(byte);
                    break;
                }
                out.push(byte | 0x80);
            }
        }
        out
    }

    #[test]
    fn directories_decode_and_lies_are_refused_before_allocating() {
        // Two entries: tile 0 (offset 0, 10 bytes) and tiles 1–3 (contiguous, 20 bytes).
        let bytes = varints(&[2, 0, 1, 1, 3, 10, 20, 1, 0]);
        let entries = decode_directory(&bytes).unwrap();
        assert_eq!(entries[1], Entry { tile_id: 1, offset: 10, length: 20, run_length: 3 });
        assert_eq!(find(&entries, 3).map(|e| e.tile_id), Some(1));
        assert_eq!(find(&entries, 4), None);
        // 2^33 entries declared in a few bytes.
        let error = decode_directory(&varints(&[1 << 33, 0, 1, 1, 1])).unwrap_err();
        assert!(error.contains("room for at most"), "{error}");
        assert!(decode_directory(&varints(&[0])).is_err());
        assert!(decode_directory(&[0xFF; 12]).is_err());
        assert!(decode_directory(&varints(&[1, 0, 1, 0, 1])).unwrap_err().contains("length 0"));
    }

    #[test]
    fn headers_must_fit_the_file() {
        let mut header = vec![0_u8; HEADER_BYTES];
        header[..7].copy_from_slice(b"PMTiles");
        header[7] = 3;
        header[8..16].copy_from_slice(&127_u64.to_le_bytes());
        header[16..24].copy_from_slice(&50_u64.to_le_bytes());
        header[99] = 2;
        assert!(parse_header(&header, 1000).is_ok());
        let error = parse_header(&header, 150).unwrap_err();
        assert!(error.contains("root directory"), "{error}");
        header[99] = 1;
        assert!(parse_header(&header, 1000).unwrap_err().contains("vector"));
        assert!(parse_header(b"PMTiles", 1000).is_err());
    }
}
