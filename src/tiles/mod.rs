//! Map tiles under the markers: which layer is chosen, and the tile source behind it.
//!
//! - [`online`]: OpenStreetMap-style servers with timeouts, retries and a disk cache;
//! - [`local`]: a local archive as a layer; [`mbtiles`] and [`pmtiles`]: the two archive formats;
//! - [`pieces`]: decoding tiles within budgets, and an ancestor's part standing in for a missing tile.
//!
//! The embedded basemap (`ui::map::basemap`) is always drawn below whatever layer is chosen, so a
//! missing tile or a failed source never leaves the map blank.

pub mod local;
pub mod mbtiles;
pub mod online;
pub mod pieces;
pub mod pmtiles;

use std::borrow::Cow;
use std::path::{Path, PathBuf};

use walkers::Tiles;

use self::mbtiles::MbTiles;
use self::online::{FetchPolicy, RobustTiles, TileServer, TileStats};
use self::pmtiles::PmTiles;

/// Which map is drawn under the markers.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum MapLayer {
    /// The embedded offline basemap alone (always available).
    #[default]
    Basemap,
    /// OpenStreetMap raster tiles over the basemap.
    OpenStreetMap,
    /// OpenTopoMap raster tiles over the basemap.
    OpenTopoMap,
    /// A local `.pmtiles` or `.mbtiles` archive (fieldwork, no network), over the basemap.
    LocalArchive,
}

impl MapLayer {
    /// Every layer, in menu order.
    pub const ALL: [Self; 4] = [Self::Basemap, Self::OpenStreetMap, Self::OpenTopoMap, Self::LocalArchive];

    /// The layer's name in menus and the status line.
    pub fn label(self) -> &'static str {
        match self {
            Self::Basemap => "Offline basemap",
            Self::OpenStreetMap => "OpenStreetMap",
            Self::OpenTopoMap => "OpenTopoMap",
            Self::LocalArchive => "Local tile archive",
        }
    }

    /// The credit line the layer's terms require.
    pub fn attribution(self) -> &'static str {
        match self {
            Self::Basemap => "Borders, lakes, rivers: Natural Earth (public domain)",
            Self::OpenStreetMap => "© OpenStreetMap contributors · Natural Earth",
            Self::OpenTopoMap => "© OpenStreetMap contributors, SRTM · style © OpenTopoMap (CC-BY-SA)",
            Self::LocalArchive => "Tiles: local archive (see its licence) · Natural Earth",
        }
    }

    /// Whether the layer fetches from the network.
    pub fn is_online(self) -> bool {
        matches!(self, Self::OpenStreetMap | Self::OpenTopoMap)
    }
}

/// True when `path` ends in `.extension`, in any case.
pub fn has_extension(path: &Path, extension: &str) -> bool {
    path.extension().is_some_and(|e| e.eq_ignore_ascii_case(extension))
}

/// True when `path` names a tile archive Kronika opens as a map layer.
pub fn is_tile_archive(path: &Path) -> bool {
    has_extension(path, "pmtiles") || has_extension(path, "mbtiles")
}

/// The tile source being drawn.
enum ActiveTiles {
    /// Online tiles with timeouts, retries and a disk cache.
    Online(Box<RobustTiles>),
    /// A local `.pmtiles` archive.
    PmTiles(Box<PmTiles>),
    /// A local `.mbtiles` archive.
    MbTiles(Box<MbTiles>),
}

/// What the status line says about the tiles.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum TileStatus {
    /// Everything shows, or the basemap alone is chosen.
    Fine,
    /// The chosen layer cannot be shown; the basemap shows instead.
    Unavailable {
        /// The layer.
        layer: MapLayer,
        /// Why.
        error: String,
    },
    /// Some tiles of an archive could not be read.
    Unreadable {
        /// How many.
        count: usize,
        /// The last error.
        last_error: String,
    },
    /// The tile server cannot be reached; cached tiles still show.
    Offline {
        /// The layer.
        layer: MapLayer,
        /// The last error.
        last_error: String,
    },
    /// Tiles are on their way.
    Loading {
        /// The layer.
        layer: MapLayer,
        /// How many.
        in_flight: usize,
    },
}

/// The tile source of the chosen layer, opened when the layer (or archive) changes. A runtime
/// resource that follows the view state's choice; it holds no state of its own worth keeping.
pub struct TileLayers {
    /// What is open, for which layer and archive.
    active: Option<(MapLayer, Option<PathBuf>, ActiveTiles)>,
    /// Why the chosen layer cannot be shown.
    error: Option<(MapLayer, Option<PathBuf>, String)>,
    /// Whether online layers may fetch (never in tests).
    allow_network: bool,
}

impl TileLayers {
    /// No tiles open yet; online layers allowed or not.
    pub fn new(allow_network: bool) -> Self {
        Self { active: None, error: None, allow_network }
    }

    /// Whether online layers may be used.
    pub fn allows_network(&self) -> bool {
        self.allow_network
    }

    /// Opens the source for `layer` (with `archive` for [`MapLayer::LocalArchive`]) unless it is
    /// open already, and takes in what online workers fetched.
    pub fn sync(&mut self, layer: MapLayer, archive: Option<&Path>, ctx: &egui::Context) {
        let wanted = (layer, archive.map(Path::to_path_buf));
        let is_open = |open: &(MapLayer, Option<PathBuf>)| *open == wanted;
        if self.active.as_ref().is_some_and(|(l, a, _)| is_open(&(*l, a.clone())))
            || self.error.as_ref().is_some_and(|(l, a, _)| is_open(&(*l, a.clone())))
            || (layer == MapLayer::Basemap && self.active.is_none() && self.error.is_none())
        {
            if let Some((_, _, ActiveTiles::Online(tiles))) = &mut self.active {
                tiles.receive();
            }
            return;
        }
        self.active = None;
        self.error = None;
        let opened = match layer {
            MapLayer::Basemap => return,
            MapLayer::LocalArchive => Self::open_archive(archive, ctx),
            MapLayer::OpenStreetMap | MapLayer::OpenTopoMap if !self.allow_network => {
                Err("online tiles are off in this session".to_owned())
            }
            MapLayer::OpenStreetMap | MapLayer::OpenTopoMap => {
                let server = if layer == MapLayer::OpenStreetMap {
                    TileServer::openstreetmap()
                } else {
                    TileServer::opentopomap()
                };
                let cache = online::default_cache_dir(&server);
                let tiles = RobustTiles::new(server, cache.as_deref(), FetchPolicy::default(), ctx.clone());
                Ok(ActiveTiles::Online(Box::new(tiles)))
            }
        };
        match opened {
            Ok(tiles) => self.active = Some((wanted.0, wanted.1, tiles)),
            Err(error) => self.error = Some((wanted.0, wanted.1, error)),
        }
    }

    fn open_archive(archive: Option<&Path>, ctx: &egui::Context) -> Result<ActiveTiles, String> {
        let Some(path) = archive else {
            return Err("no tile archive chosen (File > Open a .pmtiles or .mbtiles file, or --tiles)".into());
        };
        if !path.exists() {
            return Err(format!("tile archive {} not found", path.display()));
        }
        if has_extension(path, "mbtiles") {
            return MbTiles::open(path, ctx.clone())
                .map(|t| ActiveTiles::MbTiles(Box::new(t)))
                .map_err(|e| e.to_string());
        }
        PmTiles::open(path, ctx.clone()).map(|t| ActiveTiles::PmTiles(Box::new(t)))
    }

    /// The open source, for walkers to draw from.
    pub fn tiles(&mut self) -> Option<&mut dyn Tiles> {
        self.active.as_mut().map(|(_, _, tiles)| -> &mut dyn Tiles {
            match tiles {
                ActiveTiles::Online(tiles) => tiles.as_mut(),
                ActiveTiles::PmTiles(tiles) => tiles.as_mut(),
                ActiveTiles::MbTiles(tiles) => tiles.as_mut(),
            }
        })
    }

    /// The credit line for what is drawn with `layer` chosen: an archive's own when it names one.
    pub fn attribution(&self, layer: MapLayer) -> Cow<'static, str> {
        let credit = match &self.active {
            Some((_, _, ActiveTiles::MbTiles(tiles))) => tiles.attribution_text(),
            Some((_, _, ActiveTiles::PmTiles(tiles))) => tiles.attribution_text(),
            _ => None,
        };
        credit.map_or_else(|| layer.attribution().into(), |credit| format!("Tiles: {credit} · Natural Earth").into())
    }

    /// What the status line should say.
    pub fn status(&self) -> TileStatus {
        if let Some((layer, _, error)) = &self.error {
            return TileStatus::Unavailable { layer: *layer, error: error.clone() };
        }
        let unreadable = match &self.active {
            Some((_, _, ActiveTiles::MbTiles(tiles))) => Some(tiles.unreadable()),
            Some((_, _, ActiveTiles::PmTiles(tiles))) => Some(tiles.unreadable()),
            _ => None,
        };
        if let Some((count @ 1.., Some(error))) = unreadable {
            return TileStatus::Unreadable { count, last_error: error.to_owned() };
        }
        match &self.active {
            Some((layer, _, ActiveTiles::Online(tiles))) => {
                let TileStats { in_flight, last_error, .. } = tiles.stats();
                if tiles.stats().offline() {
                    TileStatus::Offline { layer: *layer, last_error: last_error.unwrap_or_default() }
                } else if in_flight > 0 {
                    TileStatus::Loading { layer: *layer, in_flight }
                } else {
                    TileStatus::Fine
                }
            }
            _ => TileStatus::Fine,
        }
    }
}
