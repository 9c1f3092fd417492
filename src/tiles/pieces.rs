//! What every tile source shares: decoding a tile image, and standing in for a missing tile with
//! the matching part of a loaded ancestor (blurry beats blank).

use egui::{ColorImage, Rect, TextureHandle, pos2};
use walkers::{Tile, TileId, TilePiece};

/// How many zoom levels up a missing tile borrows from an ancestor (a 64th of its width).
pub const ANCESTOR_LEVELS: usize = 6;

/// The tile's texture or, when it has none, the matching part of the nearest ancestor's, up to
/// [`ANCESTOR_LEVELS`] zoom levels up (blurry beats blank).
pub fn piece_or_ancestor(tile: TileId, texture: impl Fn(TileId) -> Option<TextureHandle>) -> Option<TilePiece> {
    let mut ancestor = tile;
    let mut uv = Rect::from_min_max(pos2(0.0, 0.0), pos2(1.0, 1.0));
    for _ in 0..ANCESTOR_LEVELS {
        if let Some(texture) = texture(ancestor) {
            return Some(TilePiece::new(Tile::Raster(texture), uv));
        }
        if ancestor.zoom == 0 {
            return None;
        }
        // Go one zoom level up: this tile is one quarter of its parent.
        let (half_x, half_y) =
            (f32::from(u8::from(ancestor.x % 2 == 1)) * 0.5, f32::from(u8::from(ancestor.y % 2 == 1)) * 0.5);
        uv = Rect::from_min_max(
            pos2(half_x + uv.min.x * 0.5, half_y + uv.min.y * 0.5),
            pos2(half_x + uv.max.x * 0.5, half_y + uv.max.y * 0.5),
        );
        ancestor = TileId { x: ancestor.x / 2, y: ancestor.y / 2, zoom: ancestor.zoom - 1 };
    }
    None
}

/// Decodes a PNG or JPEG tile.
///
/// # Errors
/// Why the bytes are not an image.
pub fn decode(bytes: &[u8]) -> Result<ColorImage, String> {
    let image = image::load_from_memory(bytes).map_err(|e| format!("not an image: {e}"))?.to_rgba8();
    let size = [image.width() as usize, image.height() as usize];
    Ok(ColorImage::from_rgba_unmultiplied(size, image.as_raw()))
}
