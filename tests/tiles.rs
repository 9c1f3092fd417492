//! Online tiles against a tile server on 127.0.0.1 that serves, fails and hangs: tiles arrive,
//! failures are retried, a hung request times out without blocking others, and cached tiles
//! still show when the server is gone. Nothing leaves this machine.

// Test helpers may unwrap: a panic is a test failure with its location.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

use std::collections::HashMap;
use std::io::{BufRead as _, BufReader, Write as _};
use std::net::TcpListener;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use kronika::tiles::online::{FetchPolicy, RobustTiles, TileServer};
use tempfile::TempDir;
use walkers::{TileId, Tiles as _};

/// A tile server on loopback. Paths: `/ok/…` serves a PNG, `/flaky/…` fails each path's first
/// request with 500, `/hang/…` never answers, `/mixed/…` hangs on row 373 and serves the rest.
/// Stops when dropped; never runs longer than 30 s.
struct TestServer {
    port: u16,
    stop: Arc<AtomicBool>,
    requests: Arc<Mutex<HashMap<String, usize>>>,
}

impl TestServer {
    fn start() -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        listener.set_nonblocking(true).unwrap();
        let port = listener.local_addr().unwrap().port();
        let stop = Arc::new(AtomicBool::new(false));
        let requests: Arc<Mutex<HashMap<String, usize>>> = Arc::default();
        let png = tile_png();
        let (thread_stop, thread_requests) = (Arc::clone(&stop), Arc::clone(&requests));
        std::thread::spawn(move || {
            let deadline = Instant::now() + Duration::from_secs(30);
            while !thread_stop.load(Ordering::SeqCst) && Instant::now() < deadline {
                let Ok((stream, _)) = listener.accept() else {
                    std::thread::sleep(Duration::from_millis(5));
                    continue;
                };
                let (png, requests, stop) = (png.clone(), Arc::clone(&thread_requests), Arc::clone(&thread_stop));
                std::thread::spawn(move || {
                    stream.set_nonblocking(false).ok();
                    let mut reader = BufReader::new(stream.try_clone().unwrap());
                    let mut request_line = String::new();
                    reader.read_line(&mut request_line).ok();
                    let path = request_line.split_whitespace().nth(1).unwrap_or("/").to_owned();
                    let count = {
                        let mut requests = requests.lock().unwrap();
                        let count = requests.entry(path.clone()).or_default();
                        *count += 1;
                        *count
                    };
                    let mut stream = stream;
                    if path.starts_with("/hang/") || (path.starts_with("/mixed/") && path.ends_with("/373.png")) {
                        // Hold the connection open without answering, until the test ends.
                        let until = Instant::now() + Duration::from_secs(10);
                        while !stop.load(Ordering::SeqCst) && Instant::now() < until {
                            std::thread::sleep(Duration::from_millis(20));
                        }
                        return;
                    }
                    if path.starts_with("/flaky/") && count == 1 {
                        stream
                            .write_all(
                                b"HTTP/1.1 500 Internal Server Error\r\nContent-Length: 0\r\nConnection: close\r\n\r\n",
                            )
                            .ok();
                        return;
                    }
                    let header = format!(
                        "HTTP/1.1 200 OK\r\nContent-Type: image/png\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
                        png.len()
                    );
                    stream.write_all(header.as_bytes()).ok();
                    stream.write_all(&png).ok();
                });
            }
        });
        Self { port, stop, requests }
    }

    fn server(&self, kind: &str) -> TileServer {
        TileServer {
            name: "Test tiles",
            url_template: format!("http://127.0.0.1:{}/{kind}/{{z}}/{{x}}/{{y}}.png", self.port),
            attribution: "test",
            attribution_url: "http://127.0.0.1/",
            max_zoom: 19,
        }
    }

    fn requests_for(&self, prefix: &str) -> usize {
        self.requests.lock().unwrap().iter().filter(|(path, _)| path.starts_with(prefix)).map(|(_, n)| n).sum()
    }
}

impl Drop for TestServer {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
    }
}

fn tile_png() -> Vec<u8> {
    let image = image::RgbaImage::from_pixel(256, 256, image::Rgba([200, 180, 160, 255]));
    let mut bytes = std::io::Cursor::new(Vec::new());
    image.write_to(&mut bytes, image::ImageFormat::Png).unwrap();
    bytes.into_inner()
}

fn quick_policy() -> FetchPolicy {
    FetchPolicy {
        connect_timeout: Duration::from_millis(500),
        request_timeout: Duration::from_millis(700),
        first_retry: Duration::from_millis(50),
        max_retry: Duration::from_millis(200),
        workers: 2,
    }
}

/// A fresh, empty cache folder, removed when dropped.
fn temp_cache(name: &str) -> TempDir {
    tempfile::Builder::new().prefix(&format!("kronika-tiles-{name}-")).tempdir().unwrap()
}

const TILE: TileId = TileId { x: 568, y: 373, zoom: 10 };

/// Polls `at(tile)` as the map would each frame, until it shows or `limit` passes.
fn wait_for(tiles: &mut RobustTiles, tile: TileId, limit: Duration) -> bool {
    let deadline = Instant::now() + limit;
    while Instant::now() < deadline {
        tiles.receive();
        if tiles.at(tile).is_some() {
            return true;
        }
        std::thread::sleep(Duration::from_millis(10));
    }
    false
}

#[test]
fn tiles_arrive_and_are_cached() {
    let server = TestServer::start();
    let cache = temp_cache("arrive");
    let mut tiles = RobustTiles::new(server.server("ok"), Some(cache.path()), quick_policy(), egui::Context::default());
    assert!(tiles.at(TILE).is_none(), "nothing before the fetch");
    assert!(wait_for(&mut tiles, TILE, Duration::from_secs(5)));
    assert_eq!(tiles.stats().from_network, 1);
    assert!(kronika::tiles::online::cache_path(cache.path(), TILE).exists());
}

#[test]
fn failures_are_retried() {
    let server = TestServer::start();
    let mut tiles = RobustTiles::new(server.server("flaky"), None, quick_policy(), egui::Context::default());
    assert!(wait_for(&mut tiles, TILE, Duration::from_secs(5)));
    assert_eq!(server.requests_for("/flaky/"), 2, "one failure, one retry");
    assert_eq!(tiles.stats().failures, 1);
}

#[test]
fn a_hung_request_times_out_without_blocking_others() {
    let server = TestServer::start();
    // On `/mixed/`, tile row 373 hangs and every other tile is served.
    let mut tiles = RobustTiles::new(server.server("mixed"), None, quick_policy(), egui::Context::default());
    let healthy = TileId { y: 374, ..TILE };
    let started = Instant::now();
    assert!(tiles.at(TILE).is_none(), "the hung tile is asked for first");
    assert!(wait_for(&mut tiles, healthy, Duration::from_secs(3)), "the healthy tile still arrives");
    assert!(started.elapsed() < Duration::from_millis(650), "it did not wait for the hung one");
    // The hung request gives up at the request timeout and is reported; it will be retried.
    let deadline = Instant::now() + Duration::from_secs(5);
    while tiles.stats().failures == 0 && Instant::now() < deadline {
        tiles.receive();
        std::thread::sleep(Duration::from_millis(20));
    }
    let stats = tiles.stats();
    assert_eq!(stats.failures, 1, "{stats:?}");
    assert!(stats.last_error.as_deref().is_some_and(|e| e.contains("timed out")), "{stats:?}");
    assert!(tiles.at(TILE).is_none(), "still missing: the basemap shows through");
}

#[test]
fn cached_tiles_show_when_the_server_is_gone() {
    let cache = temp_cache("offline");
    let server = TestServer::start();
    let online = server.server("ok");
    {
        let mut tiles = RobustTiles::new(online.clone(), Some(cache.path()), quick_policy(), egui::Context::default());
        assert!(wait_for(&mut tiles, TILE, Duration::from_secs(5)));
    }
    drop(server);
    // A server that is not there at all: nothing listens on the port any more.
    let gone = TileServer { url_template: "http://127.0.0.1:9/ok/{z}/{x}/{y}.png".into(), ..online };
    let mut tiles = RobustTiles::new(gone, Some(cache.path()), quick_policy(), egui::Context::default());
    assert!(wait_for(&mut tiles, TILE, Duration::from_secs(3)));
    assert_eq!(tiles.stats().from_disk, 1);
    assert_eq!(tiles.stats().from_network, 0);
}
