//! Tile sources that lie: a loopback server that drips, lies about sizes, sends images too large
//! for any texture, pixel bombs, garbage, redirect loops and endless bodies; and archives with
//! forged directories, bomb and oversized tiles, wrong schemas. Each must end as a counted,
//! explained failure — never a panic, a hang, a cached bad tile or an exhausted memory.

// Test helpers may unwrap: a panic is a test failure with its location.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

mod common;

use std::io::{BufRead as _, BufReader, Read as _, Write as _};
use std::net::TcpListener;
use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use kronika::tiles::mbtiles::MbTiles;
use kronika::tiles::online::{FetchPolicy, RobustTiles, TileServer, cache_path};
use kronika::tiles::pmtiles::PmTiles;
use walkers::{TileId, Tiles as _};

const TILE: TileId = TileId { x: 568, y: 373, zoom: 10 };

fn png(width: u32, height: u32) -> Vec<u8> {
    let image = image::RgbaImage::from_pixel(width, height, image::Rgba([200, 180, 160, 255]));
    let mut bytes = std::io::Cursor::new(Vec::new());
    image.write_to(&mut bytes, image::ImageFormat::Png).unwrap();
    bytes.into_inner()
}

/// A PNG whose header says 11 500 × 11 500 pixels (a 529 MB image), in a few hundred bytes: the
/// start of a real one, cut short. A decoder that trusts the header allocates first.
fn pixel_bomb_header() -> Vec<u8> {
    let mut bytes = png(16, 16);
    // IHDR's width and height are the 4 + 4 bytes after the 8-byte signature and "....IHDR".
    bytes[16..20].copy_from_slice(&11_500_u32.to_be_bytes());
    bytes[20..24].copy_from_slice(&11_500_u32.to_be_bytes());
    // The chunk's checksum, over its type and data, so the header reads as valid.
    let mut crc = flate2::Crc::new();
    crc.update(&bytes[12..29]);
    bytes[29..33].copy_from_slice(&crc.sum().to_be_bytes());
    bytes
}

/// A tile server on loopback, misbehaving in the way its path's first segment says.
struct HostileServer {
    port: u16,
    stop: Arc<AtomicBool>,
}

impl HostileServer {
    fn start() -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        listener.set_nonblocking(true).unwrap();
        let port = listener.local_addr().unwrap().port();
        let stop = Arc::new(AtomicBool::new(false));
        let thread_stop = Arc::clone(&stop);
        let (wide, bomb) = (png(16_385, 1), pixel_bomb_header());
        std::thread::spawn(move || {
            let deadline = Instant::now() + Duration::from_mins(1);
            while !thread_stop.load(Ordering::SeqCst) && Instant::now() < deadline {
                let Ok((stream, _)) = listener.accept() else {
                    std::thread::sleep(Duration::from_millis(5));
                    continue;
                };
                let (wide, bomb, stop) = (wide.clone(), bomb.clone(), Arc::clone(&thread_stop));
                std::thread::spawn(move || serve(stream, port, &wide, &bomb, &stop));
            }
        });
        Self { port, stop }
    }

    fn server(&self, mode: &str) -> TileServer {
        TileServer {
            name: "Hostile tiles",
            url_template: format!("http://127.0.0.1:{}/{mode}/{{z}}/{{x}}/{{y}}.png", self.port),
            attribution: "test",
            attribution_url: "http://127.0.0.1/",
            max_zoom: 19,
        }
    }
}

impl Drop for HostileServer {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
    }
}

fn serve(stream: std::net::TcpStream, port: u16, wide: &[u8], bomb: &[u8], stop: &AtomicBool) {
    stream.set_nonblocking(false).ok();
    let mut reader = BufReader::new(stream.try_clone().unwrap());
    let mut request_line = String::new();
    reader.read_line(&mut request_line).ok();
    let path = request_line.split_whitespace().nth(1).unwrap_or("/").to_owned();
    let mode = path.split('/').nth(1).unwrap_or_default().to_owned();
    let mut stream = stream;
    let ok = |length: &str| format!("HTTP/1.1 200 OK\r\nContent-Type: image/png\r\n{length}Connection: close\r\n\r\n");
    let until = Instant::now() + Duration::from_secs(20);
    match mode.as_str() {
        "drip" => {
            stream.write_all(ok("Content-Length: 100000\r\n").as_bytes()).ok();
            while !stop.load(Ordering::SeqCst) && Instant::now() < until && stream.write_all(b"x").is_ok() {
                std::thread::sleep(Duration::from_millis(50));
            }
        }
        "lie" => {
            // Says 10 GB; sends a little.
            stream.write_all(ok("Content-Length: 10000000000\r\n").as_bytes()).ok();
            stream.write_all(&[0_u8; 1000]).ok();
        }
        "wide" => {
            stream.write_all(ok(&format!("Content-Length: {}\r\n", wide.len())).as_bytes()).ok();
            stream.write_all(wide).ok();
        }
        "bomb" => {
            stream.write_all(ok(&format!("Content-Length: {}\r\n", bomb.len())).as_bytes()).ok();
            stream.write_all(bomb).ok();
        }
        "garbage" => {
            stream.write_all(ok("Content-Length: 26\r\n").as_bytes()).ok();
            stream.write_all(b"<html>not a tile</html>\r\n\r\n").ok();
        }
        "loop" => {
            let location = format!("http://127.0.0.1:{port}{path}");
            let reply =
                format!("HTTP/1.1 302 Found\r\nLocation: {location}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
            stream.write_all(reply.as_bytes()).ok();
        }
        "endless" => {
            // No length: the body runs until the connection closes, which it never does.
            stream.write_all(ok("").as_bytes()).ok();
            let block = vec![b'z'; 64 * 1024];
            while !stop.load(Ordering::SeqCst) && Instant::now() < until && stream.write_all(&block).is_ok() {}
        }
        _ => {
            stream.write_all(b"HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n").ok();
        }
    }
}

fn policy() -> FetchPolicy {
    FetchPolicy {
        connect_timeout: Duration::from_millis(500),
        request_timeout: Duration::from_secs(2),
        first_retry: Duration::from_secs(30),
        max_retry: Duration::from_secs(30),
        workers: 2,
    }
}

/// Asks for the tile as the map would, frame after frame, until the source gives up on it.
fn first_failure(mode: &str, server: &HostileServer) -> (Option<String>, common::TempPath) {
    let cache = common::TempPath::folder();
    let mut tiles = RobustTiles::new(server.server(mode), Some(&cache), policy(), egui::Context::default());
    let deadline = Instant::now() + Duration::from_secs(15);
    while tiles.stats().failures == 0 && Instant::now() < deadline {
        assert!(tiles.at(TILE).is_none(), "{mode}: no tile is shown");
        tiles.receive();
        std::thread::sleep(Duration::from_millis(10));
    }
    assert!(tiles.at(TILE).is_none(), "{mode}: no tile is shown");
    (tiles.stats().last_error, cache)
}

#[test]
fn every_lie_of_a_tile_server_is_a_counted_failure_and_nothing_is_cached() {
    let server = HostileServer::start();
    for (mode, expected) in [
        ("drip", "timed out"),
        ("lie", "more than"),
        ("wide", "16385×1"),
        ("bomb", "11500×11500"),
        ("garbage", "not an image"),
        ("loop", "redirect"),
        ("endless", "more than"),
    ] {
        let started = Instant::now();
        let (error, cache) = first_failure(mode, &server);
        let error = error.unwrap_or_else(|| panic!("{mode}: no failure reported"));
        assert!(error.to_lowercase().contains(expected), "{mode}: {error}");
        assert!(!cache_path(&cache, TILE).exists(), "{mode}: a refused tile is never cached");
        assert!(started.elapsed() < Duration::from_secs(10), "{mode}: took {:?}", started.elapsed());
    }
}

#[test]
fn an_oversized_tile_already_in_the_cache_is_set_aside_not_shown() {
    let cache = tempfile::tempdir().unwrap();
    let path = cache_path(cache.path(), TILE);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(&path, png(16_385, 1)).unwrap();
    // The server is gone: only the cache could answer.
    let gone = TileServer {
        name: "Gone",
        url_template: "http://127.0.0.1:9/{z}/{x}/{y}.png".into(),
        attribution: "test",
        attribution_url: "http://127.0.0.1/",
        max_zoom: 19,
    };
    let mut tiles = RobustTiles::new(gone, Some(cache.path()), policy(), egui::Context::default());
    let deadline = Instant::now() + Duration::from_secs(10);
    while tiles.stats().failures == 0 && Instant::now() < deadline {
        assert!(tiles.at(TILE).is_none());
        tiles.receive();
        std::thread::sleep(Duration::from_millis(10));
    }
    assert!(!path.exists(), "the oversized entry was moved aside");
    assert!(path.with_extension("corrupt").exists());
}

fn varints(values: &[u64]) -> Vec<u8> {
    let mut out = Vec::new();
    for &value in values {
        let mut v = value;
        while v >= 0x80 {
            out.push(u8::try_from(v & 0x7F).unwrap() | 0x80);
            v >>= 7;
        }
        out.push(u8::try_from(v).unwrap());
    }
    out
}

/// A PMTiles v3 file laid out by hand: header, root directory, then tile data, uncompressed.
fn pmtiles_file(root_directory: &[u8], data: &[u8], forged_root_len: Option<u64>) -> Vec<u8> {
    let mut header = vec![0_u8; 127];
    header[..7].copy_from_slice(b"PMTiles");
    header[7] = 3;
    let root_offset = 127_u64;
    let root_len = u64::try_from(root_directory.len()).unwrap();
    let data_offset = root_offset + root_len;
    let fields = [
        (8, root_offset),
        (16, forged_root_len.unwrap_or(root_len)),
        (24, data_offset),
        (32, 0),
        (40, data_offset),
        (48, 0),
        (56, data_offset),
        (64, u64::try_from(data.len()).unwrap()),
    ];
    for (at, value) in fields {
        header[at..at + 8].copy_from_slice(&value.to_le_bytes());
    }
    header[97] = 1; // directories not compressed
    header[98] = 1; // tiles not compressed
    header[99] = 2; // png
    header[101] = 0; // max zoom
    [header, root_directory.to_vec(), data.to_vec()].concat()
}

fn write(name: &str, bytes: &[u8]) -> common::TempPath {
    let path = common::TempPath::named(name);
    std::fs::write(&*path, bytes).unwrap();
    path
}

#[test]
fn forged_pmtiles_are_refused_with_their_reason() {
    // 2^33 entries declared in a directory of a few bytes.
    let forged = write("entries.pmtiles", &pmtiles_file(&varints(&[1 << 33, 0, 1, 1, 1]), b"x", None));
    let error = PmTiles::open(&forged, egui::Context::default()).err().unwrap();
    assert!(error.contains("entries.pmtiles") && error.contains("room for at most"), "{error}");
    // A root directory said to run past the end of the file.
    let short = write("short.pmtiles", &pmtiles_file(&varints(&[1, 0, 1, 1, 1]), b"x", Some(1 << 40)));
    let error = PmTiles::open(&short, egui::Context::default()).err().unwrap();
    assert!(error.contains("past the end"), "{error}");
    // Not an archive at all, and a FIFO-free empty file.
    assert!(PmTiles::open(&write("text.pmtiles", b"field notes"), egui::Context::default()).is_err());
    assert!(PmTiles::open(&write("empty.pmtiles", b""), egui::Context::default()).is_err());
}

#[test]
fn pmtiles_tiles_that_cannot_be_shown_are_counted() {
    let wide = png(16_385, 1);
    let directory = varints(&[1, 0, 1, u64::try_from(wide.len()).unwrap(), 1]);
    let path = write("wide.pmtiles", &pmtiles_file(&directory, &wide, None));
    let mut tiles = PmTiles::open(&path, egui::Context::default()).unwrap();
    assert!(tiles.at(TileId { x: 0, y: 0, zoom: 0 }).is_none(), "the basemap shows through");
    let (count, error) = tiles.unreadable();
    assert_eq!(count, 1);
    assert!(error.unwrap().contains("16385×1"), "{error:?}");

    // A tile entry pointing beyond the data section.
    let directory = varints(&[1, 0, 1, 5000, 1]);
    let path = write("beyond.pmtiles", &pmtiles_file(&directory, b"tiny", None));
    let mut tiles = PmTiles::open(&path, egui::Context::default()).unwrap();
    assert!(tiles.at(TileId { x: 0, y: 0, zoom: 0 }).is_none());
    assert!(tiles.unreadable().1.unwrap().contains("outside the tile section"));
}

#[test]
fn a_pmtiles_archive_rewritten_while_read_gives_errors_not_a_crash() {
    let tile = png(256, 256);
    let directory = varints(&[1, 0, 1, u64::try_from(tile.len()).unwrap(), 1]);
    let path = write("changing.pmtiles", &pmtiles_file(&directory, &tile, None));
    let mut tiles = PmTiles::open(&path, egui::Context::default()).unwrap();
    // Truncated under the reader's feet (a memory map would die with SIGBUS here).
    std::fs::OpenOptions::new().write(true).open(&path).unwrap().set_len(130).unwrap();
    assert!(tiles.at(TileId { x: 0, y: 0, zoom: 0 }).is_none());
    assert_eq!(tiles.unreadable().0, 1);
}

fn mbtiles(path: &Path, tile: &[u8], schema: &str) {
    let db = rusqlite::Connection::open(path).unwrap();
    db.execute_batch(schema).unwrap();
    if schema.contains("tile_data") {
        db.execute("INSERT INTO metadata VALUES ('format', 'png')", ()).unwrap();
        db.execute("INSERT INTO tiles VALUES (0, 0, 0, ?1)", (tile,)).unwrap();
    }
}

#[test]
fn hostile_mbtiles_are_refused_or_counted() {
    let schema = "CREATE TABLE metadata (name TEXT, value TEXT);
                  CREATE TABLE tiles (zoom_level INTEGER, tile_column INTEGER, tile_row INTEGER, tile_data BLOB);";
    let dir = tempfile::tempdir().unwrap();
    for (name, tile, expected) in [
        ("huge.mbtiles", vec![0_u8; 5 * 1024 * 1024], "limit"),
        ("bomb.mbtiles", pixel_bomb_header(), "11500×11500"),
        ("wide.mbtiles", png(16_385, 1), "16385×1"),
    ] {
        let path = dir.path().join(name);
        mbtiles(&path, &tile, schema);
        let mut tiles = MbTiles::open(&path, egui::Context::default()).unwrap();
        assert!(tiles.at(TileId { x: 0, y: 0, zoom: 0 }).is_none(), "{name}");
        let (count, error) = tiles.unreadable();
        assert_eq!(count, 1, "{name}");
        assert!(error.unwrap().contains(expected), "{name}: {error:?}");
    }
    let wrong = dir.path().join("wrong.mbtiles");
    mbtiles(&wrong, &[], "CREATE TABLE metadata (name TEXT, value TEXT); CREATE TABLE other (x INTEGER);");
    let error = MbTiles::open(&wrong, egui::Context::default()).err().unwrap();
    assert!(error.to_string().contains("wrong.mbtiles"), "{error}");
}

#[test]
fn the_hostile_server_is_what_it_says() {
    // Guards the test itself: the endless body really is endless, the drip really drips.
    let server = HostileServer::start();
    let mut stream = std::net::TcpStream::connect(("127.0.0.1", server.port)).unwrap();
    stream.write_all(b"GET /endless/0/0/0.png HTTP/1.1\r\nHost: x\r\n\r\n").unwrap();
    let mut chunk = vec![0_u8; 1 << 20];
    let mut total = 0;
    while total < 8 << 20 {
        total += stream.read(&mut chunk).unwrap();
    }
    assert!(total >= 8 << 20);
}
