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

/// Largest tile accepted, as stored (4 MiB): a real raster tile is tens of kilobytes.
pub const MAX_TILE_BYTES: usize = 4 * 1024 * 1024;
/// Largest tile side accepted, in pixels; larger tiles are refused before they are decoded.
pub const MAX_TILE_SIDE: u32 = 4096;
/// Tiles are drawn 256 points wide: a larger tile is scaled down to at most this before upload.
pub const SHOWN_TILE_SIDE: u32 = 512;
/// Deepest zoom level read from any archive or server.
pub const MAX_ZOOM: u8 = 24;
/// Longest credit line an archive may name.
pub const MAX_ATTRIBUTION_CHARS: usize = 200;

/// Decodes a PNG or JPEG tile within budgets: at most [`MAX_TILE_BYTES`] as stored, at most
/// [`MAX_TILE_SIDE`] pixels a side (checked in the image's header, before decoding), and scaled
/// down to [`SHOWN_TILE_SIDE`] before it is uploaded, so no tile can exhaust memory or exceed the
/// GPU's texture size.
///
/// # Errors
/// Why the bytes are not a tile that can be shown.
pub fn decode(bytes: &[u8]) -> Result<ColorImage, String> {
    if bytes.len() > MAX_TILE_BYTES {
        return Err(format!("the tile is {} bytes, more than the {MAX_TILE_BYTES}-byte limit", bytes.len()));
    }
    let reader = || image::ImageReader::new(std::io::Cursor::new(bytes)).with_guessed_format();
    let (width, height) = reader()
        .map_err(|e| format!("not an image: {e}"))?
        .into_dimensions()
        .map_err(|e| format!("not an image: {e}"))?;
    if width == 0 || height == 0 || width > MAX_TILE_SIDE || height > MAX_TILE_SIDE {
        return Err(format!(
            "the tile is {width}×{height} pixels; tiles over {MAX_TILE_SIDE} pixels a side are refused"
        ));
    }
    let mut limits = image::Limits::default();
    limits.max_image_width = Some(MAX_TILE_SIDE);
    limits.max_image_height = Some(MAX_TILE_SIDE);
    limits.max_alloc = Some(u64::from(MAX_TILE_SIDE) * u64::from(MAX_TILE_SIDE) * 8);
    let mut reader = reader().map_err(|e| format!("not an image: {e}"))?;
    reader.limits(limits);
    let mut image = reader.decode().map_err(|e| format!("not an image: {e}"))?.to_rgba8();
    if image.width() > SHOWN_TILE_SIDE || image.height() > SHOWN_TILE_SIDE {
        let scale = f64::from(SHOWN_TILE_SIDE) / f64::from(image.width().max(image.height()));
        #[expect(clippy::cast_possible_truncation, clippy::cast_sign_loss, reason = "at most SHOWN_TILE_SIDE")]
        let (w, h) = (
            ((f64::from(image.width()) * scale).round() as u32).max(1),
            ((f64::from(image.height()) * scale).round() as u32).max(1),
        );
        image = image::imageops::resize(&image, w, h, image::imageops::FilterType::Triangle);
    }
    let size = [image.width() as usize, image.height() as usize];
    Ok(ColorImage::from_rgba_unmultiplied(size, image.as_raw()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn png(width: u32, height: u32) -> Vec<u8> {
        let image = image::RgbaImage::from_pixel(width, height, image::Rgba([90, 160, 90, 255]));
        let mut bytes = std::io::Cursor::new(Vec::new());
        image.write_to(&mut bytes, image::ImageFormat::Png).unwrap();
        bytes.into_inner()
    }

    #[test]
    fn tiles_too_large_for_a_texture_are_refused_before_decoding() {
        let error = decode(&png(16_385, 1)).unwrap_err();
        assert!(error.contains("16385×1"), "{error}");
        assert!(decode(&vec![0_u8; MAX_TILE_BYTES + 1]).unwrap_err().contains("limit"));
        assert!(decode(b"not an image").is_err());
    }

    #[test]
    fn large_tiles_are_scaled_down_before_upload() {
        let image = decode(&png(2048, 1024)).unwrap();
        assert_eq!(image.size, [512, 256]);
        assert_eq!(decode(&png(256, 256)).unwrap().size, [256, 256]);
    }
}
