//! Local `.mbtiles` archives for work without a network: an SQLite database of raster tiles, the
//! format of QGIS, TileMill, MapTiler and most offline-map tools.
//!
//! An archive on a local disk answers in well under a millisecond, so tiles are read on the UI
//! thread, a few per frame at most: a view full of new tiles fills in over a few frames and
//! the map never waits for a whole screenful.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use egui::TextureHandle;
use rusqlite::{Connection, OpenFlags, OptionalExtension as _};
use walkers::sources::Attribution;
use walkers::{TileId, TilePiece, Tiles};

use super::pieces::{ANCESTOR_LEVELS, decode, piece_or_ancestor};

/// New tiles read and decoded per frame, at most (each takes about a millisecond).
const TILES_PER_FRAME: usize = 8;

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

/// Raster tiles from an `.mbtiles` file, opened read-only.
pub struct MbTiles {
    path: PathBuf,
    connection: Connection,
    ctx: egui::Context,
    /// The archive's own credit line, from its metadata.
    attribution: Option<String>,
    max_zoom: u8,
    /// Tiles read so far; `None` for tiles the archive lacks or that do not decode.
    textures: HashMap<TileId, Option<TextureHandle>>,
    /// The egui pass of the frame being drawn, and the tiles read in it.
    pass: u64,
    read_this_pass: usize,
    /// Tiles that could not be read, and why the last one failed.
    unreadable: usize,
    last_error: Option<String>,
}

impl MbTiles {
    /// Opens `path` read-only and checks it holds raster tiles.
    ///
    /// # Errors
    /// [`ArchiveError`] naming the file, when it is not an MBTiles archive or holds vector tiles.
    pub fn open(path: &Path, ctx: egui::Context) -> Result<Self, ArchiveError> {
        let not_mbtiles = |reason: String| ArchiveError::NotMbTiles { path: path.to_path_buf(), reason };
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
        let max_zoom = metadata.get("maxzoom").and_then(|z| z.parse().ok()).or(highest).unwrap_or(0);
        let attribution = metadata.get("attribution").filter(|a| !a.trim().is_empty()).cloned();
        Ok(Self {
            path: path.to_path_buf(),
            connection,
            ctx,
            attribution,
            max_zoom,
            textures: HashMap::new(),
            pass: u64::MAX,
            read_this_pass: 0,
            unreadable: 0,
            last_error: None,
        })
    }

    /// The archive's credit line, if its metadata has one.
    pub fn attribution_text(&self) -> Option<&str> {
        self.attribution.as_deref()
    }

    /// The deepest zoom level it holds.
    pub fn max_zoom(&self) -> u8 {
        self.max_zoom
    }

    /// Tiles that are in the archive but could not be read, and the last reason.
    pub fn unreadable(&self) -> (usize, Option<&str>) {
        (self.unreadable, self.last_error.as_deref())
    }

    /// Reads and uploads one tile; `None` when the archive lacks it or it does not decode.
    fn read(&mut self, tile: TileId) -> Option<TextureHandle> {
        // MBTiles numbers rows from the south (TMS); web maps from the north.
        let row = (1_u32 << tile.zoom.min(31)).checked_sub(tile.y + 1)?;
        let bytes: Option<Vec<u8>> = self
            .connection
            .query_row(
                "SELECT tile_data FROM tiles WHERE zoom_level = ?1 AND tile_column = ?2 AND tile_row = ?3",
                (tile.zoom, tile.x, row),
                |r| r.get(0),
            )
            .optional()
            .map_err(|e| self.note_error(format!("tile {}/{}/{}: {e}", tile.zoom, tile.x, tile.y)))
            .ok()
            .flatten();
        let image = decode(&bytes?)
            .map_err(|e| self.note_error(format!("tile {}/{}/{}: {e}", tile.zoom, tile.x, tile.y)))
            .ok()?;
        let name = format!("mbtiles-{}-{}/{}/{}", self.path.display(), tile.zoom, tile.x, tile.y);
        Some(self.ctx.load_texture(name, image, egui::TextureOptions::LINEAR))
    }

    /// Counts a read against this frame's budget; false when it is spent.
    fn within_frame_budget(&mut self) -> bool {
        let pass = self.ctx.cumulative_pass_nr();
        if pass != self.pass {
            self.pass = pass;
            self.read_this_pass = 0;
        }
        self.read_this_pass += 1;
        self.read_this_pass <= TILES_PER_FRAME
    }

    fn note_error(&mut self, error: String) {
        self.unreadable += 1;
        self.last_error = Some(error);
    }
}

fn read_metadata(connection: &Connection) -> rusqlite::Result<HashMap<String, String>> {
    let mut statement = connection.prepare("SELECT name, value FROM metadata")?;
    let rows = statement.query_map([], |row| Ok((row.get::<_, String>(0)?, row.get::<_, String>(1)?)))?;
    rows.collect()
}

impl Tiles for MbTiles {
    fn at(&mut self, tile: TileId) -> Option<TilePiece> {
        // Read the tile, or when the archive lacks it (or stops short of its zoom), the nearest
        // ancestor it has, whose part stands in: blurry beats blank.
        let mut wanted = tile;
        for _ in 0..ANCESTOR_LEVELS {
            if wanted.zoom <= self.max_zoom {
                match self.textures.get(&wanted) {
                    Some(Some(_)) => break,
                    Some(None) => {}
                    None => {
                        if !self.within_frame_budget() {
                            self.ctx.request_repaint();
                            break;
                        }
                        let texture = self.read(wanted);
                        let found = texture.is_some();
                        self.textures.insert(wanted, texture);
                        if found {
                            break;
                        }
                    }
                }
            }
            if wanted.zoom == 0 {
                break;
            }
            wanted = TileId { x: wanted.x / 2, y: wanted.y / 2, zoom: wanted.zoom - 1 };
        }
        piece_or_ancestor(tile, |id| self.textures.get(&id).cloned().flatten())
    }

    fn attribution(&self) -> Attribution {
        Attribution { text: "MBTiles archive", url: "", logo_light: None, logo_dark: None }
    }

    fn tile_size(&self) -> u32 {
        256
    }
}
