//! SVG to PNG with resvg, using only the embedded font.

use super::text::{FONT_BOLD, FONT_REGULAR};
use super::{ChartSizeError, png_pixels};

/// Why a PNG could not be made.
#[derive(Debug, thiserror::Error)]
pub enum PngError {
    #[error("the chart SVG could not be read: {0}")]
    Svg(String),
    #[error(transparent)]
    Size(#[from] ChartSizeError),
    #[error("a {0}×{1} image could not be allocated")]
    Allocation(u32, u32),
    #[error("the PNG could not be encoded: {0}")]
    Encode(String),
}

/// Renders `svg` to PNG bytes at its own size times `scale` (2.0 for sharp projection); refuses
/// pictures over [`super::MAX_SIDE`] a side or [`super::MAX_PIXELS`] in all.
pub fn svg_to_png(svg: &str, scale: f32) -> Result<Vec<u8>, PngError> {
    svg_to_pixmap(svg, scale)?
        .encode_png()
        .map_err(|e| PngError::Encode(e.to_string()))
}

/// Renders `svg` to premultiplied RGBA pixels at `scale`: (width, height, pixels).
pub fn svg_to_rgba(svg: &str, scale: f32) -> Result<(u32, u32, Vec<u8>), PngError> {
    let png = svg_to_pixmap(svg, scale)?;
    Ok((png.width(), png.height(), png.take()))
}

fn svg_to_pixmap(svg: &str, scale: f32) -> Result<resvg::tiny_skia::Pixmap, PngError> {
    let mut options = resvg::usvg::Options::default();
    let fonts = options.fontdb_mut();
    fonts.load_font_data(FONT_REGULAR.to_vec());
    fonts.load_font_data(FONT_BOLD.to_vec());
    fonts.set_sans_serif_family(super::text::FONT_FAMILY);
    let tree =
        resvg::usvg::Tree::from_str(svg, &options).map_err(|e| PngError::Svg(e.to_string()))?;
    // The limits are checked before the pixels are allocated: a huge size or scale must give
    // an error, not abort the process when memory runs out.
    let (width, height) = png_pixels(tree.size().width(), tree.size().height(), scale)?;
    let mut pixmap =
        resvg::tiny_skia::Pixmap::new(width, height).ok_or(PngError::Allocation(width, height))?;
    resvg::render(
        &tree,
        resvg::tiny_skia::Transform::from_scale(scale, scale),
        &mut pixmap.as_mut(),
    );
    Ok(pixmap)
}
