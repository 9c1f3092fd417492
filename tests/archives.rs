//! Local tile archives, made here tile by tile: an `.mbtiles` and a `.pmtiles` file show their
//! tiles (and parts of them deeper than they go); broken archives are reported by name; the app
//! opens an archive as a dropped file and credits it on the map.

// Test helpers may unwrap: a panic is a test failure with its location.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

use std::path::{Path, PathBuf};

mod common;

use common::{HarnessOptions, harness_with, shipped_app, view};
use egui::{Rect, pos2};
use egui_kittest::kittest::Queryable as _;
use kronika::tiles::mbtiles::{ArchiveError, MbTiles};
use kronika::tiles::pmtiles::PmTiles;
use kronika::ui::Command;
use tempfile::TempDir;
use walkers::{TileId, TilePiece, Tiles as _};

fn png() -> Vec<u8> {
    let image = image::RgbaImage::from_pixel(256, 256, image::Rgba([90, 160, 90, 255]));
    let mut bytes = std::io::Cursor::new(Vec::new());
    image.write_to(&mut bytes, image::ImageFormat::Png).unwrap();
    bytes.into_inner()
}

/// A path named `name` in a fresh temp dir, removed when the dir drops.
fn temp_path(name: &str) -> (TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(name);
    (dir, path)
}

/// Writes an MBTiles file as the specification lays it out: rows numbered from the south.
fn write_mbtiles(path: &Path, format: &str, tiles: &[(TileId, Vec<u8>)]) {
    let db = rusqlite::Connection::open(path).unwrap();
    db.execute_batch(
        "CREATE TABLE metadata (name TEXT, value TEXT);
         CREATE TABLE tiles (zoom_level INTEGER, tile_column INTEGER, tile_row INTEGER, tile_data BLOB);
         CREATE UNIQUE INDEX tile_index ON tiles (zoom_level, tile_column, tile_row);",
    )
    .unwrap();
    let max_zoom = tiles.iter().map(|(id, _)| id.zoom).max().unwrap_or(0).to_string();
    for (name, value) in [
        ("name", "test"),
        ("format", format),
        ("minzoom", "0"),
        ("maxzoom", &max_zoom),
        ("attribution", "© Test tiles"),
    ] {
        db.execute("INSERT INTO metadata VALUES (?1, ?2)", (name, value)).unwrap();
    }
    for (id, data) in tiles {
        let row = (1_u32 << id.zoom) - 1 - id.y;
        db.execute("INSERT INTO tiles VALUES (?1, ?2, ?3, ?4)", (id.zoom, id.x, row, data)).unwrap();
    }
}

fn uv(piece: &TilePiece) -> Rect {
    piece.uv
}

/// The world tile, and at zoom 1 only the south-west quarter (web y = 1, MBTiles row 0).
fn world_and_south_west() -> Vec<(TileId, Vec<u8>)> {
    vec![(TileId { x: 0, y: 0, zoom: 0 }, png()), (TileId { x: 0, y: 1, zoom: 1 }, png())]
}

#[test]
fn an_mbtiles_archive_shows_its_tiles_and_their_parts_deeper() {
    let (_dir, path) = temp_path("small.mbtiles");
    write_mbtiles(&path, "png", &world_and_south_west());
    let mut tiles = MbTiles::open(&path, egui::Context::default()).unwrap();
    assert_eq!(tiles.max_zoom(), 1);
    assert_eq!(tiles.attribution_text(), Some("© Test tiles"));

    let whole = Rect::from_min_max(pos2(0.0, 0.0), pos2(1.0, 1.0));
    let south_west = tiles.at(TileId { x: 0, y: 1, zoom: 1 }).expect("stored tile");
    assert_eq!(uv(&south_west), whole, "its own texture, rows flipped from MBTiles' south-up numbering");
    // The north-west quarter is not in the archive: the world tile's top-left quarter stands in.
    let north_west = tiles.at(TileId { x: 0, y: 0, zoom: 1 }).expect("ancestor part");
    assert_eq!(uv(&north_west), Rect::from_min_max(pos2(0.0, 0.0), pos2(0.5, 0.5)));
    // Deeper than the archive goes: a quarter of the south-west tile (x and y odd: bottom right).
    let deeper = tiles.at(TileId { x: 1, y: 3, zoom: 2 }).expect("overzoomed part");
    assert_eq!(uv(&deeper), Rect::from_min_max(pos2(0.5, 0.5), pos2(1.0, 1.0)));
    assert_eq!(tiles.unreadable(), (0, None));
}

#[test]
fn broken_archives_are_reported_by_name() {
    let (_dir, not_sqlite) = temp_path("notes.mbtiles");
    std::fs::write(&not_sqlite, "these are field notes, not tiles").unwrap();
    let error = MbTiles::open(&not_sqlite, egui::Context::default()).err().expect("not an archive");
    assert!(matches!(error, ArchiveError::NotMbTiles { .. }), "{error}");
    assert!(error.to_string().contains("notes.mbtiles"), "{error}");

    let (_dir, vector) = temp_path("vector.mbtiles");
    write_mbtiles(&vector, "pbf", &[]);
    let error = MbTiles::open(&vector, egui::Context::default()).err().expect("vector tiles");
    assert!(error.to_string().contains("\"pbf\"") && error.to_string().contains("vector.mbtiles"), "{error}");

    let (_dir, corrupt) = temp_path("corrupt.mbtiles");
    write_mbtiles(&corrupt, "png", &[(TileId { x: 0, y: 0, zoom: 0 }, b"not a png".to_vec())]);
    let mut tiles = MbTiles::open(&corrupt, egui::Context::default()).unwrap();
    assert!(tiles.at(TileId { x: 0, y: 0, zoom: 0 }).is_none(), "the basemap shows through");
    let (unreadable, last_error) = tiles.unreadable();
    assert_eq!(unreadable, 1);
    assert!(last_error.unwrap().contains("0/0/0"), "{last_error:?}");
}

#[test]
fn a_pmtiles_archive_shows_its_tiles() {
    let (_dir, path) = temp_path("small.pmtiles");
    let file = std::fs::File::create(&path).unwrap();
    let mut writer = pmtiles::PmTilesWriter::new(pmtiles::TileType::Png).max_zoom(1).create(file).unwrap();
    for (id, data) in world_and_south_west() {
        writer.add_tile(pmtiles::TileCoord::new(id.zoom, id.x, id.y).unwrap(), &data).unwrap();
    }
    writer.finalize().unwrap();

    let mut tiles = PmTiles::open(&path, egui::Context::default()).unwrap();
    assert_eq!(tiles.max_zoom(), 1);
    let shown = tiles.at(TileId { x: 0, y: 1, zoom: 1 });
    let piece = shown.expect("the stored tile shows");
    assert_eq!(uv(&piece), Rect::from_min_max(pos2(0.0, 0.0), pos2(1.0, 1.0)));
}

#[test]
fn the_app_opens_a_dropped_mbtiles_file_and_credits_it() {
    let (_dir, path) = temp_path("dropped.mbtiles");
    write_mbtiles(&path, "png", &world_and_south_west());
    let mut harness = harness_with(shipped_app(view()), HarnessOptions::default());
    let events = harness.state().dataset().events.len();
    harness.state_mut().apply(Command::OpenPath(path));
    harness.run();
    harness.get_by_label_contains("Tiles: © Test tiles");
    assert_eq!(harness.state().dataset().events.len(), events, "the dataset stays open");

    let (_dir, broken) = temp_path("broken.mbtiles");
    std::fs::write(&broken, "not tiles").unwrap();
    harness.state_mut().apply(Command::OpenPath(broken));
    harness.run();
    harness.get_by_label_contains("broken.mbtiles: not an MBTiles archive");
}
