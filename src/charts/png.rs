//! SVG to PNG with resvg, using only the embedded font.

use super::text::{FONT_BOLD, FONT_REGULAR};
use super::{ChartSizeError, png_pixels};
use resvg::usvg::fontdb;
use std::sync::{Arc, OnceLock};

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
    encode_png(svg_to_pixmap(svg, scale)?).map_err(|e| PngError::Encode(e.to_string()))
}

/// Renders `svg` to premultiplied RGBA pixels at `scale`: (width, height, pixels).
pub fn svg_to_rgba(svg: &str, scale: f32) -> Result<(u32, u32, Vec<u8>), PngError> {
    let png = svg_to_pixmap(svg, scale)?;
    Ok((png.width(), png.height(), png.take()))
}

/// The embedded fonts, loaded into a font database once and shared by every render.
fn chart_fonts() -> Arc<fontdb::Database> {
    static FONTS: OnceLock<Arc<fontdb::Database>> = OnceLock::new();
    Arc::clone(FONTS.get_or_init(|| {
        let mut fonts = fontdb::Database::new();
        fonts.load_font_data(without_table(FONT_REGULAR, *b"kern"));
        fonts.load_font_data(without_table(FONT_BOLD, *b"kern"));
        fonts.set_sans_serif_family(super::text::FONT_FAMILY);
        Arc::new(fonts)
    }))
}

/// A copy of the TrueType font `font` whose table directory no longer lists `tag`.
///
/// The shaper rebuilds a cache of the legacy `kern` table for every label it shapes, a fifth
/// of a chart's export time, yet never applies it: the font's GPOS table has kerning, which
/// takes precedence. Without the entry the pictures are the same, only faster.
fn without_table(font: &[u8], tag: [u8; 4]) -> Vec<u8> {
    const HEADER: usize = 12;
    const RECORD: usize = 16;
    let mut bytes = font.to_vec();
    let Some(count) = bytes
        .get(4..6)
        .map(|n| usize::from(u16::from_be_bytes([n[0], n[1]])))
    else {
        return bytes;
    };
    let directory_end = HEADER + count * RECORD;
    if bytes.len() < directory_end {
        return bytes; // not a font we know; load it as it is
    }
    let Some(found) = (0..count).find(|i| {
        let at = HEADER + i * RECORD;
        bytes[at..at + 4] == tag
    }) else {
        return bytes;
    };
    // Later records move up one place; the freed slot is zeroed. Table data stays where it is,
    // since records hold absolute offsets.
    let at = HEADER + found * RECORD;
    bytes.copy_within(at + RECORD..directory_end, at);
    bytes[directory_end - RECORD..directory_end].fill(0);
    let remaining = count - 1;
    // The binary-search hints of the header, recomputed for one record fewer.
    let power = if remaining == 0 {
        0
    } else {
        1usize << remaining.ilog2()
    };
    let search_range = power * RECORD;
    let fields = [
        remaining,
        search_range,
        power.max(1).ilog2() as usize,
        remaining * RECORD - search_range.min(remaining * RECORD),
    ];
    for (index, value) in fields.into_iter().enumerate() {
        let at = 4 + index * 2;
        let value = u16::try_from(value).unwrap_or(u16::MAX);
        bytes[at..at + 2].copy_from_slice(&value.to_be_bytes());
    }
    bytes
}

fn svg_to_pixmap(svg: &str, scale: f32) -> Result<resvg::tiny_skia::Pixmap, PngError> {
    let options = resvg::usvg::Options {
        fontdb: chart_fonts(),
        ..resvg::usvg::Options::default()
    };
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

/// PNG bytes of `pixmap`. Charts are large flat areas, which the fast DEFLATE level packs well
/// enough (about twice the default's size) at a fraction of the time.
fn encode_png(pixmap: resvg::tiny_skia::Pixmap) -> Result<Vec<u8>, png::EncodingError> {
    let (width, height) = (pixmap.width(), pixmap.height());
    // Charts have an opaque background, so every pixel usually is opaque: then premultiplied
    // and straight colour are the same and un-premultiplying (a tenth of an export) is skipped.
    let opaque = pixmap.pixels().iter().all(|pixel| pixel.alpha() == u8::MAX);
    let pixels = if opaque {
        pixmap.take()
    } else {
        pixmap.take_demultiplied()
    };
    let mut bytes = Vec::new();
    let mut encoder = png::Encoder::new(&mut bytes, width, height);
    encoder.set_color(png::ColorType::Rgba);
    encoder.set_depth(png::BitDepth::Eight);
    encoder.set_compression(png::Compression::Fast);
    // One filter for every row: trying all five per row (the default) cost more than the
    // compression itself, for files about as small.
    encoder.set_filter(png::Filter::Paeth);
    let mut writer = encoder.write_header()?;
    writer.write_image_data(&pixels)?;
    writer.finish()?;
    Ok(bytes)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;

    fn table_tags(font: &[u8]) -> Vec<[u8; 4]> {
        let count = usize::from(u16::from_be_bytes([font[4], font[5]]));
        (0..count)
            .map(|i| font[12 + i * 16..16 + i * 16].try_into().unwrap())
            .collect()
    }

    #[test]
    fn only_the_kern_entry_leaves_the_font() {
        let before = table_tags(FONT_REGULAR);
        assert!(before.contains(b"kern") && before.contains(b"GPOS"));
        let stripped = without_table(FONT_REGULAR, *b"kern");
        let after = table_tags(&stripped);
        let expected: Vec<_> = before.into_iter().filter(|t| t != b"kern").collect();
        assert_eq!(after, expected);
        // Still a font the shaper and the outline reader accept, with the same glyphs.
        let font = skrifa::FontRef::new(&stripped).unwrap();
        use skrifa::MetadataProvider as _;
        assert_eq!(
            font.charmap().map('Y'),
            skrifa::FontRef::new(FONT_REGULAR)
                .unwrap()
                .charmap()
                .map('Y')
        );
        assert_eq!(without_table(b"not a font", *b"kern"), b"not a font");
    }

    #[test]
    fn pictures_are_the_same_without_the_kern_table() {
        // Kerned pairs ("AV", "To") would move if the kern table had been in use.
        let svg = r#"<svg xmlns="http://www.w3.org/2000/svg" width="220" height="60">
            <text x="10" y="40" font-size="30" font-family="DejaVu Sans">AVATo Wa</text>
            <text x="10" y="58" font-size="14" font-weight="bold" font-family="DejaVu Sans">LT Yo AV</text>
        </svg>"#;
        let render = |fonts: Arc<fontdb::Database>| {
            let options = resvg::usvg::Options {
                fontdb: fonts,
                ..resvg::usvg::Options::default()
            };
            let tree = resvg::usvg::Tree::from_str(svg, &options).unwrap();
            let mut pixmap = resvg::tiny_skia::Pixmap::new(220, 60).unwrap();
            resvg::render(&tree, Default::default(), &mut pixmap.as_mut());
            pixmap.take()
        };
        let mut plain = fontdb::Database::new();
        plain.load_font_data(FONT_REGULAR.to_vec());
        plain.load_font_data(FONT_BOLD.to_vec());
        let with_kern = render(Arc::new(plain));
        assert!(with_kern.iter().any(|&b| b != 0), "the text was drawn");
        assert!(with_kern == render(chart_fonts()));
    }

    /// The PNG export of `svg`, read back with the png crate; checks its size.
    fn exported_pixels(svg: &str, width: u32, height: u32) -> Vec<u8> {
        let png = svg_to_png(svg, 1.0).unwrap();
        let decoder = png::Decoder::new(std::io::Cursor::new(png));
        let mut reader = decoder.read_info().unwrap();
        let mut pixels = vec![0; reader.output_buffer_size().unwrap()];
        let info = reader.next_frame(&mut pixels).unwrap();
        assert_eq!((info.width, info.height), (width, height));
        pixels
    }

    #[test]
    fn png_reads_back_with_the_same_pixels() {
        let svg = r##"<svg xmlns="http://www.w3.org/2000/svg" width="40" height="20">
            <rect width="40" height="20" fill="#0072b2" fill-opacity="0.5"/>
            <text x="4" y="15" font-size="12">Yes</text></svg>"##;
        let (width, height, premultiplied) = svg_to_rgba(svg, 1.0).unwrap();
        let pixels = exported_pixels(svg, width, height);
        let expected = resvg::tiny_skia::Pixmap::from_vec(
            premultiplied,
            resvg::tiny_skia::IntSize::from_wh(width, height).unwrap(),
        )
        .unwrap()
        .take_demultiplied();
        assert_eq!(pixels, expected);
    }

    #[test]
    fn an_opaque_chart_keeps_its_colours() {
        let svg = r##"<svg xmlns="http://www.w3.org/2000/svg" width="40" height="20">
            <rect width="40" height="20" fill="#ffffff"/>
            <rect x="2" y="2" width="20" height="10" fill="#0072b2"/>
            <text x="4" y="15" font-size="12">Yes</text></svg>"##;
        let (width, height, premultiplied) = svg_to_rgba(svg, 1.0).unwrap();
        assert!(premultiplied.chunks_exact(4).all(|p| p[3] == 255));
        let pixels = exported_pixels(svg, width, height);
        assert_eq!(pixels, premultiplied);
        assert!(
            pixels
                .chunks_exact(4)
                .any(|p| p == [0x00, 0x72, 0xb2, 0xff])
        );
    }
}
