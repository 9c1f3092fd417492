//! A local tile archive as a map layer: tiles read on the UI thread (a local disk answers in well
//! under a millisecond), a few per frame at most so a view full of new tiles fills in over a few
//! frames and the map never waits; textures kept up to a cap; every tile that cannot be read or
//! decoded counted and its reason kept for the status line.

use std::collections::{HashMap, VecDeque};

use egui::TextureHandle;
use walkers::sources::Attribution;
use walkers::{TileId, TilePiece, Tiles};

use super::pieces::{ANCESTOR_LEVELS, decode, piece_or_ancestor};

/// New tiles read and decoded per frame, at most (each takes about a millisecond).
const TILES_PER_FRAME: usize = 8;
/// Most tiles (read or known missing) kept; the oldest are dropped and read again when needed.
const MAX_KEPT_TILES: usize = 1024;

/// Where an archive's tiles come from.
pub trait TileStore {
    /// The stored bytes of a tile, `Ok(None)` when the archive does not have it.
    ///
    /// # Errors
    /// Why the archive could not give it (a read error, a malformed directory, a tile too large).
    fn tile_bytes(&mut self, tile: TileId) -> Result<Option<Vec<u8>>, String>;
    /// The deepest zoom level it holds.
    fn max_zoom(&self) -> u8;
    /// Its own credit line, if it names one.
    fn attribution(&self) -> Option<&str>;
    /// A name for its textures (its path).
    fn name(&self) -> String;
}

/// A local archive shown as a map layer.
pub struct LocalArchive<S> {
    store: S,
    ctx: egui::Context,
    /// Tiles read so far; `None` for tiles the archive lacks or that do not decode.
    textures: HashMap<TileId, Option<TextureHandle>>,
    read_order: VecDeque<TileId>,
    /// The egui pass of the frame being drawn, and the tiles read in it.
    pass: u64,
    read_this_pass: usize,
    /// Tiles that could not be read, and why the last one failed.
    unreadable: usize,
    last_error: Option<String>,
}

impl<S: TileStore> LocalArchive<S> {
    /// Shows the tiles of `store`.
    pub fn new(store: S, ctx: egui::Context) -> Self {
        Self {
            store,
            ctx,
            textures: HashMap::new(),
            read_order: VecDeque::new(),
            pass: u64::MAX,
            read_this_pass: 0,
            unreadable: 0,
            last_error: None,
        }
    }

    /// The archive's credit line, if it names one.
    pub fn attribution_text(&self) -> Option<&str> {
        self.store.attribution()
    }

    /// The deepest zoom level it holds.
    pub fn max_zoom(&self) -> u8 {
        self.store.max_zoom()
    }

    /// Tiles that are in the archive but could not be read, and the last reason.
    pub fn unreadable(&self) -> (usize, Option<&str>) {
        (self.unreadable, self.last_error.as_deref())
    }

    /// Reads, decodes and uploads one tile; `None` when the archive lacks it or it cannot be shown.
    fn read(&mut self, tile: TileId) -> Option<TextureHandle> {
        let name = || format!("tile {}/{}/{}", tile.zoom, tile.x, tile.y);
        let bytes = match self.store.tile_bytes(tile) {
            Ok(bytes) => bytes?,
            Err(error) => {
                self.note_error(format!("{}: {error}", name()));
                return None;
            }
        };
        match decode(&bytes) {
            Ok(image) => {
                let texture_name = format!("{}-{}/{}/{}", self.store.name(), tile.zoom, tile.x, tile.y);
                Some(self.ctx.load_texture(texture_name, image, egui::TextureOptions::LINEAR))
            }
            Err(error) => {
                self.note_error(format!("{}: {error}", name()));
                None
            }
        }
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

    fn keep(&mut self, tile: TileId, texture: Option<TextureHandle>) {
        self.textures.insert(tile, texture);
        self.read_order.push_back(tile);
        while self.textures.len() > MAX_KEPT_TILES {
            let Some(oldest) = self.read_order.pop_front() else { break };
            self.textures.remove(&oldest);
        }
    }
}

impl<S: TileStore> Tiles for LocalArchive<S> {
    fn at(&mut self, tile: TileId) -> Option<TilePiece> {
        // Read the tile, or when the archive lacks it (or stops short of its zoom), the nearest
        // ancestor it has, whose part stands in: blurry beats blank.
        let mut wanted = tile;
        for _ in 0..ANCESTOR_LEVELS {
            if wanted.zoom <= self.store.max_zoom() {
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
                        self.keep(wanted, texture);
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
        Attribution { text: "Local tile archive", url: "", logo_light: None, logo_dark: None }
    }

    fn tile_size(&self) -> u32 {
        256
    }
}
