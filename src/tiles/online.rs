//! Online raster tiles that never stall the map: a few worker threads fetch tiles with connect
//! and read timeouts, failed tiles are retried with exponential backoff, one hung request never
//! blocks the others, and every tile is kept in a disk cache so it still shows offline.
//! walkers' own `HttpTiles` has neither timeouts nor retries, hence this small replacement.

use std::collections::{HashMap, VecDeque};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc;
use std::sync::{Arc, Condvar, Mutex};
use std::time::{Duration, Instant};

use egui::{ColorImage, TextureHandle};
use walkers::sources::Attribution;
use walkers::{TileId, TilePiece, Tiles};

use super::pieces::{MAX_TILE_BYTES, decode, piece_or_ancestor};

/// Where tiles come from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TileServer {
    /// Name shown in the layer menu and status line.
    pub name: &'static str,
    /// URL with `{z}`, `{x}`, `{y}` placeholders.
    pub url_template: String,
    /// Attribution the provider requires.
    pub attribution: &'static str,
    /// Link for the attribution.
    pub attribution_url: &'static str,
    /// Highest zoom served.
    pub max_zoom: u8,
}

impl TileServer {
    /// OpenStreetMap's standard tiles.
    pub fn openstreetmap() -> Self {
        Self {
            name: "OpenStreetMap",
            url_template: "https://tile.openstreetmap.org/{z}/{x}/{y}.png".into(),
            attribution: "© OpenStreetMap contributors",
            attribution_url: "https://www.openstreetmap.org/copyright",
            max_zoom: 19,
        }
    }

    /// OpenTopoMap.
    pub fn opentopomap() -> Self {
        Self {
            name: "OpenTopoMap",
            url_template: "https://a.tile.opentopomap.org/{z}/{x}/{y}.png".into(),
            attribution: "© OpenStreetMap contributors, SRTM · style © OpenTopoMap (CC-BY-SA)",
            attribution_url: "https://opentopomap.org/about",
            max_zoom: 17,
        }
    }

    /// The URL of one tile.
    pub fn url(&self, tile: TileId) -> String {
        self.url_template
            .replace("{z}", &tile.zoom.to_string())
            .replace("{x}", &tile.x.to_string())
            .replace("{y}", &tile.y.to_string())
    }
}

/// How patient to be with a tile server.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct FetchPolicy {
    /// Time allowed to connect.
    pub connect_timeout: Duration,
    /// Time allowed for the whole request.
    pub request_timeout: Duration,
    /// First retry delay; doubled after each failure.
    pub first_retry: Duration,
    /// Longest retry delay.
    pub max_retry: Duration,
    /// Parallel requests (OpenStreetMap's policy asks for few).
    pub workers: usize,
}

impl Default for FetchPolicy {
    fn default() -> Self {
        Self {
            connect_timeout: Duration::from_secs(4),
            request_timeout: Duration::from_secs(10),
            first_retry: Duration::from_secs(2),
            max_retry: Duration::from_mins(2),
            workers: 4,
        }
    }
}

/// The user agent Kronika sends, as the OpenStreetMap tile policy requires.
pub const USER_AGENT: &str = concat!("Kronika/", env!("CARGO_PKG_VERSION"), " (desktop conflict-event explorer)");

/// What a worker brings back.
enum Fetched {
    Image(TileId, ColorImage, FetchedFrom),
    Failed(TileId, String),
}

/// Where a tile came from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum FetchedFrom {
    Network,
    DiskCache,
}

/// A tile not on screen yet.
#[derive(Clone, Copy, Debug)]
enum Pending {
    /// Queued or being fetched.
    InFlight,
    /// Failed `attempts` times; try again at `retry_at`.
    Failed { attempts: u32, retry_at: Instant },
}

/// Shared with the workers.
struct Queue {
    jobs: Mutex<VecDeque<TileId>>,
    wake: Condvar,
    stop: AtomicBool,
}

/// Counters for the status line and tests.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct TileStats {
    /// Tiles being fetched or queued.
    pub in_flight: usize,
    /// Tiles waiting to be retried.
    pub waiting_retry: usize,
    /// Tiles received from the network.
    pub from_network: usize,
    /// Tiles read from the disk cache.
    pub from_disk: usize,
    /// Failed requests so far.
    pub failures: usize,
    /// The last failure, for the status line.
    pub last_error: Option<String>,
}

impl TileStats {
    /// True when the last requests failed and none succeeded since: the server is unreachable.
    pub fn offline(&self) -> bool {
        self.last_error.is_some() && self.waiting_retry > 0
    }
}

/// Raster tiles from a tile server, with timeouts, retries and a disk cache.
pub struct RobustTiles {
    server: TileServer,
    policy: FetchPolicy,
    ctx: egui::Context,
    textures: HashMap<TileId, TextureHandle>,
    pending: HashMap<TileId, Pending>,
    queue: Arc<Queue>,
    results: mpsc::Receiver<Fetched>,
    stats: TileStats,
    /// Most textures kept in memory; the disk cache holds the rest.
    max_textures: usize,
    use_order: VecDeque<TileId>,
}

impl RobustTiles {
    /// Starts the workers for `server`, caching tiles under `cache_dir` (none: no disk cache).
    pub fn new(server: TileServer, cache_dir: Option<&Path>, policy: FetchPolicy, ctx: egui::Context) -> Self {
        let queue =
            Arc::new(Queue { jobs: Mutex::new(VecDeque::new()), wake: Condvar::new(), stop: AtomicBool::new(false) });
        let (sender, results) = mpsc::channel();
        let client = reqwest::blocking::Client::builder()
            .user_agent(USER_AGENT)
            .connect_timeout(policy.connect_timeout)
            .timeout(policy.request_timeout)
            .build()
            .ok();
        for number in 0..policy.workers.max(1) {
            let worker = Worker {
                request_timeout: policy.request_timeout,
                queue: Arc::clone(&queue),
                sender: sender.clone(),
                client: client.clone(),
                server: server.clone(),
                cache_dir: cache_dir.map(Path::to_path_buf),
                ctx: ctx.clone(),
            };
            // A worker that cannot start leaves the others; with none, tiles stay missing and
            // the embedded basemap shows through.
            std::thread::Builder::new().name(format!("tiles-{number}")).spawn(move || worker.run()).ok();
        }
        Self {
            server,
            policy,
            ctx,
            textures: HashMap::new(),
            pending: HashMap::new(),
            queue,
            results,
            stats: TileStats::default(),
            max_textures: 768,
            use_order: VecDeque::new(),
        }
    }

    /// The server's name.
    pub fn name(&self) -> &'static str {
        self.server.name
    }

    /// Counters for the status line.
    pub fn stats(&self) -> TileStats {
        self.stats.clone()
    }

    /// Takes in what the workers fetched.
    pub fn receive(&mut self) {
        while let Ok(fetched) = self.results.try_recv() {
            match fetched {
                Fetched::Image(tile, image, from) => {
                    self.pending.remove(&tile);
                    let texture = self.ctx.load_texture(
                        format!("tile-{}-{}-{}", tile.zoom, tile.x, tile.y),
                        image,
                        egui::TextureOptions::LINEAR,
                    );
                    self.textures.insert(tile, texture);
                    self.use_order.push_back(tile);
                    match from {
                        FetchedFrom::Network => self.stats.from_network += 1,
                        FetchedFrom::DiskCache => self.stats.from_disk += 1,
                    }
                    if from == FetchedFrom::Network {
                        self.stats.last_error = None;
                    }
                }
                Fetched::Failed(tile, error) => {
                    let attempts = match self.pending.get(&tile) {
                        Some(Pending::Failed { attempts, .. }) => attempts + 1,
                        _ => 1,
                    };
                    let delay = self
                        .policy
                        .first_retry
                        .saturating_mul(1 << attempts.min(16).saturating_sub(1))
                        .min(self.policy.max_retry);
                    self.pending.insert(tile, Pending::Failed { attempts, retry_at: Instant::now() + delay });
                    self.stats.failures += 1;
                    self.stats.last_error = Some(error);
                }
            }
        }
        while self.textures.len() > self.max_textures {
            let Some(oldest) = self.use_order.pop_front() else { break };
            self.textures.remove(&oldest);
        }
        self.stats.in_flight = self.pending.values().filter(|p| matches!(p, Pending::InFlight)).count();
        self.stats.waiting_retry = self.pending.len() - self.stats.in_flight;
        if self.stats.in_flight > 0 || self.stats.waiting_retry > 0 {
            self.ctx.request_repaint_after(Duration::from_millis(250));
        }
    }

    /// Asks for a tile unless it is on its way or waiting for its retry time.
    fn request(&mut self, tile: TileId) {
        let due = match self.pending.get(&tile) {
            None => true,
            Some(Pending::InFlight) => false,
            Some(Pending::Failed { retry_at, .. }) => Instant::now() >= *retry_at,
        };
        if !due {
            return;
        }
        let attempts = match self.pending.get(&tile) {
            Some(Pending::Failed { attempts, .. }) => *attempts,
            _ => 0,
        };
        // Keep the attempt count across the retry, so backoff keeps growing.
        self.pending.insert(
            tile,
            if attempts == 0 { Pending::InFlight } else { Pending::Failed { attempts, retry_at: far_future() } },
        );
        if let Ok(mut jobs) = self.queue.jobs.lock() {
            // Newest requests first: they are what the user looks at now.
            jobs.push_front(tile);
            jobs.truncate(256);
        }
        self.queue.wake.notify_one();
    }

    /// The tile or, while it loads, a piece of a loaded ancestor (blurry beats blank).
    fn piece(&self, tile: TileId) -> Option<TilePiece> {
        piece_or_ancestor(tile, |id| self.textures.get(&id).cloned())
    }
}

fn far_future() -> Instant {
    Instant::now() + Duration::from_hours(1)
}

impl Tiles for RobustTiles {
    fn at(&mut self, tile: TileId) -> Option<TilePiece> {
        if tile.zoom > self.server.max_zoom {
            return None;
        }
        if !self.textures.contains_key(&tile) {
            self.request(tile);
        }
        self.piece(tile)
    }

    fn attribution(&self) -> Attribution {
        Attribution {
            text: self.server.attribution,
            url: self.server.attribution_url,
            logo_light: None,
            logo_dark: None,
        }
    }

    fn tile_size(&self) -> u32 {
        256
    }
}

impl Drop for RobustTiles {
    fn drop(&mut self) {
        self.queue.stop.store(true, Ordering::SeqCst);
        self.queue.wake.notify_all();
    }
}

/// One fetching thread.
struct Worker {
    /// Time allowed for the whole request, body included.
    request_timeout: Duration,
    queue: Arc<Queue>,
    sender: mpsc::Sender<Fetched>,
    client: Option<reqwest::blocking::Client>,
    server: TileServer,
    cache_dir: Option<PathBuf>,
    ctx: egui::Context,
}

impl Worker {
    fn run(self) {
        while let Some(tile) = self.next_job() {
            let fetched = self.fetch(tile);
            if self.sender.send(fetched).is_err() {
                return;
            }
            self.ctx.request_repaint();
        }
    }

    fn next_job(&self) -> Option<TileId> {
        let mut jobs = self.queue.jobs.lock().ok()?;
        loop {
            if self.queue.stop.load(Ordering::SeqCst) {
                return None;
            }
            if let Some(tile) = jobs.pop_front() {
                return Some(tile);
            }
            jobs = self.queue.wake.wait(jobs).ok()?;
        }
    }

    fn fetch(&self, tile: TileId) -> Fetched {
        let cached = self.cache_dir.as_deref().map(|dir| cache_path(dir, tile));
        if let Some(path) = &cached
            && let Ok(bytes) = read_cached(path)
        {
            match decode(&bytes) {
                Ok(image) => return Fetched::Image(tile, image, FetchedFrom::DiskCache),
                // A corrupt (or oversized) cache entry is set aside, not trusted and not fatal.
                Err(_) => {
                    std::fs::rename(path, path.with_extension("corrupt")).ok();
                }
            }
        }
        let Some(client) = &self.client else {
            return Fetched::Failed(tile, "no HTTP client".into());
        };
        let url = self.server.url(tile);
        let response = match client.get(&url).send() {
            Ok(response) => response,
            Err(error) => return Fetched::Failed(tile, describe(&error)),
        };
        if !response.status().is_success() {
            return Fetched::Failed(tile, format!("{} answered {}", self.server.name, response.status()));
        }
        let deadline = Instant::now() + self.request_timeout;
        let bytes = match read_body(response, deadline) {
            Ok(bytes) => bytes,
            Err(error) => return Fetched::Failed(tile, error),
        };
        // Only a tile that decodes within the budgets is cached: a refused one never comes back.
        match decode(&bytes) {
            Ok(image) => {
                if let Some(path) = &cached {
                    crate::io::write_atomically(path, &bytes).ok();
                }
                Fetched::Image(tile, image, FetchedFrom::Network)
            }
            Err(error) => Fetched::Failed(tile, error),
        }
    }
}

/// A tile's body, read up to [`MAX_TILE_BYTES`] and until `deadline`: a server that sends more
/// (or says it will) is refused without reading the rest, and one that drips a byte at a time
/// times out as a whole, not per read.
fn read_body(mut response: reqwest::blocking::Response, deadline: Instant) -> Result<Vec<u8>, String> {
    let too_large = || format!("the tile server sent more than {MAX_TILE_BYTES} bytes for one tile");
    if response.content_length().is_some_and(|len| len > MAX_TILE_BYTES as u64) {
        return Err(too_large());
    }
    let mut bytes = Vec::new();
    let mut chunk = [0_u8; 16 * 1024];
    loop {
        if Instant::now() > deadline {
            return Err("tile server timed out (the tile came too slowly)".into());
        }
        let read = std::io::Read::read(&mut response, &mut chunk).map_err(|e| format!("tile request failed: {e}"))?;
        if read == 0 {
            return Ok(bytes);
        }
        bytes.extend_from_slice(chunk.get(..read).unwrap_or_default());
        if bytes.len() > MAX_TILE_BYTES {
            return Err(too_large());
        }
    }
}

/// A cached tile's bytes: a regular file of at most [`MAX_TILE_BYTES`].
fn read_cached(path: &Path) -> Result<Vec<u8>, crate::io::ProblemKind> {
    let mut budget = crate::io::ReadBudget::of(MAX_TILE_BYTES as u64);
    crate::io::open_regular(path)?.read_all(MAX_TILE_BYTES as u64, &mut budget)
}

fn describe(error: &reqwest::Error) -> String {
    if error.is_timeout() {
        "tile server timed out".into()
    } else if error.is_connect() {
        "cannot reach the tile server (offline?)".into()
    } else {
        format!("tile request failed: {error}")
    }
}

/// Where a tile is cached.
pub fn cache_path(dir: &Path, tile: TileId) -> PathBuf {
    dir.join(tile.zoom.to_string()).join(tile.x.to_string()).join(format!("{}.tile", tile.y))
}

/// The platform's cache folder for Kronika's tiles of one server (see [`crate::io::cache_dir`]).
pub fn default_cache_dir(server: &TileServer) -> Option<PathBuf> {
    Some(crate::io::cache_dir()?.join("tiles").join(server.name.to_lowercase()))
}
