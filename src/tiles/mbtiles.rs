//! Local `.mbtiles` archives for work without a network: an SQLite database of raster tiles, the
//! format of QGIS, TileMill, MapTiler and most offline-map tools.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use rusqlite::{Connection, OpenFlags, OptionalExtension as _};
use walkers::TileId;

use super::local::{LocalArchive, TileStore};
use super::pieces::{MAX_ATTRIBUTION_CHARS, MAX_TILE_BYTES, MAX_ZOOM};

/// Why an archive cannot be shown.
#[derive(Debug, thiserror::Error)]
pub enum ArchiveError {
    /// Not an SQLite database with MBTiles' `tiles` table.
    #[error("{path}: not an MBTiles archive ({reason})")]
    NotMbTiles {
        /// The file.
        path: PathBuf,
        /// What was wrong.
        reason: String,
    },
    /// Vector tiles (or another format) that this renderer does not draw.
    #[error("{path}: its tiles are {format:?}; Kronika draws raster tiles (png, jpg)")]
    UnsupportedFormat {
        /// The file.
        path: PathBuf,
        /// The archive's `format`.
        format: String,
    },
}

/// Raster tiles from an `.mbtiles` file, shown as a map layer.
pub type MbTiles = LocalArchive<MbTilesStore>;

/// An `.mbtiles` file, opened read-only.
pub struct MbTilesStore {
    path: PathBuf,
    connection: Connection,
    /// The archive's own credit line, from its metadata.
    attribution: Option<String>,
    max_zoom: u8,
}

impl LocalArchive<MbTilesStore> {
    /// Opens `path` read-only and checks it holds raster tiles.
    ///
    /// # Errors
    /// [`ArchiveError`] naming the file, when it is not an MBTiles archive or holds vector tiles.
    pub fn open(path: &Path, ctx: egui::Context) -> Result<Self, ArchiveError> {
        Ok(Self::new(MbTilesStore::open(path)?, ctx))
    }
}

impl MbTilesStore {
    /// Opens `path` read-only and checks it holds raster tiles.
    ///
    /// # Errors
    /// [`ArchiveError`] naming the file, when it is not an MBTiles archive or holds vector tiles.
    pub fn open(path: &Path) -> Result<Self, ArchiveError> {
        let not_mbtiles = |reason: String| ArchiveError::NotMbTiles { path: path.to_path_buf(), reason };
        // Only a regular file: SQLite would wait on a FIFO and read a device.
        crate::io::open_regular(path).map_err(|kind| not_mbtiles(kind.to_string()))?;
        let flags = OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX;
        let connection = Connection::open_with_flags(path, flags).map_err(|e| not_mbtiles(e.to_string()))?;
        let metadata = read_metadata(&connection).map_err(|e| not_mbtiles(format!("metadata: {e}")))?;
        let format = metadata.get("format").map(|f| f.to_ascii_lowercase());
        if let Some(format) = format.filter(|f| !matches!(f.as_str(), "png" | "jpg" | "jpeg")) {
            return Err(ArchiveError::UnsupportedFormat { path: path.to_path_buf(), format });
        }
        let highest: Option<u8> = connection
            .query_row("SELECT MAX(zoom_level) FROM tiles", [], |row| row.get(0))
            .map_err(|e| not_mbtiles(format!("tiles: {e}")))?;
        let max_zoom = metadata.get("maxzoom").and_then(|z| z.parse().ok()).or(highest).unwrap_or(0).min(MAX_ZOOM);
        let attribution = metadata
            .get("attribution")
            .filter(|a| !a.trim().is_empty())
            .map(|a| crate::model::text::shorten(a, MAX_ATTRIBUTION_CHARS).into_owned());
        Ok(Self { path: path.to_path_buf(), connection, attribution, max_zoom })
    }
}

impl TileStore for MbTilesStore {
    fn tile_bytes(&mut self, tile: TileId) -> Result<Option<Vec<u8>>, String> {
        // MBTiles numbers rows from the south (TMS); web maps from the north.
        let Some(row) = (1_u32 << tile.zoom.min(31)).checked_sub(tile.y + 1) else { return Ok(None) };
        // The size first, so an oversized blob is refused before it is read.
        let size: Option<i64> = self
            .connection
            .query_row(
                "SELECT length(tile_data) FROM tiles WHERE zoom_level = ?1 AND tile_column = ?2 AND tile_row = ?3",
                (tile.zoom, tile.x, row),
                |r| r.get(0),
            )
            .optional()
            .map_err(|e| e.to_string())?;
        let Some(size) = size else { return Ok(None) };
        if usize::try_from(size).map_or(true, |size| size > MAX_TILE_BYTES) {
            return Err(format!("the tile is {size} bytes, more than the {MAX_TILE_BYTES}-byte limit"));
        }
        self.connection
            .query_row(
                "SELECT tile_data FROM tiles WHERE zoom_level = ?1 AND tile_column = ?2 AND tile_row = ?3",
                (tile.zoom, tile.x, row),
                |r| r.get(0),
            )
            .optional()
            .map_err(|e| e.to_string())
    }

    fn max_zoom(&self) -> u8 {
        self.max_zoom
    }

    fn attribution(&self) -> Option<&str> {
        self.attribution.as_deref()
    }

    fn name(&self) -> String {
        format!("mbtiles-{}", self.path.display())
    }
}

fn read_metadata(connection: &Connection) -> rusqlite::Result<HashMap<String, String>> {
    let mut statement = connection.prepare("SELECT name, value FROM metadata")?;
    let rows = statement.query_map([], |row| Ok((row.get::<_, String>(0)?, row.get::<_, String>(1)?)))?;
    rows.collect()
}
