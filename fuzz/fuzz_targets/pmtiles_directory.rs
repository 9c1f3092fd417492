//! Fuzzes the PMTiles header and directory readers: any bytes give a checked header or directory,
//! or an error — never a panic, and never an allocation the bytes cannot account for.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|bytes: &[u8]| {
    let file_len = u64::try_from(bytes.len()).unwrap_or(u64::MAX);
    if let Ok(header) = kronika::tiles::pmtiles::parse_header(bytes, file_len) {
        for (offset, length) in [header.root, header.metadata, header.leaves, header.data] {
            assert!(offset.checked_add(length).is_some_and(|end| end <= file_len));
        }
    }
    if let Ok(entries) = kronika::tiles::pmtiles::decode_directory(bytes) {
        // Each entry took at least four bytes of input.
        assert!(entries.len() * 4 <= bytes.len());
        assert!(entries.windows(2).all(|pair| pair[0].tile_id < pair[1].tile_id));
        assert!(entries.iter().all(|entry| entry.length > 0));
    }
});
