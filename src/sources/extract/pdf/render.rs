//! A PDF page drawn as the document draws it (hayro, pure Rust), for the reader's page
//! view and the review copy's page crops.
//!
//! Before drawing, a first pass over the page counts what drawing it would cost (path
//! elements, glyphs, image pixels); a page over the budget is refused with a message
//! instead of taking minutes or gigabytes.

use hayro::{PixmapSettings, RenderCache, RenderSettings};
use hayro_interpret::TransformExt;
use hayro_interpret::font::GlyphRun;
use hayro_interpret::kurbo::{BezPath, Rect};
use hayro_interpret::{
    BlendMode, ClipPath, Context, Device, DrawMode, DrawProps, Image, ImageDrawProps,
    InterpreterCache, InterpreterSettings, SoftMask, interpret_page,
};

/// What drawing one page may cost.
#[derive(Clone, Copy, Debug)]
pub struct RenderBudget {
    /// Pixels of the output image.
    pub max_pixels: u64,
    /// Path elements (lines, curves) drawn.
    pub max_path_elements: u64,
    /// Glyphs drawn.
    pub max_glyphs: u64,
    /// Pixels of the images the page places, before scaling.
    pub max_image_pixels: u64,
}

impl Default for RenderBudget {
    fn default() -> Self {
        Self {
            max_pixels: 24_000_000,
            max_path_elements: 2_000_000,
            max_glyphs: 300_000,
            max_image_pixels: 150_000_000,
        }
    }
}

/// A drawn page: RGBA pixels, 8 bits each, not premultiplied, on white.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PageImage {
    pub width: u32,
    pub height: u32,
    pub rgba: Vec<u8>,
}

/// Why a page was not drawn. Each message says what to do instead.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum RenderError {
    #[error("the original PDF can't be opened ({0}); the text view still shows its text")]
    Open(String),
    #[error("the PDF has no page {0}")]
    NoSuchPage(usize),
    #[error(
        "page {page} is too costly to draw ({what}: {count}, the limit is {limit}); the text \
         view still shows its text"
    )]
    OverBudget {
        page: usize,
        what: &'static str,
        count: u64,
        limit: u64,
    },
    #[error("the PDF reader failed on page {page} ({detail}); the text view still shows its text")]
    Failed { page: usize, detail: String },
}

/// Draws page `index` (0-based) of a PDF at `scale` pixels per point, within `budget`.
pub fn render_page(
    bytes: &[u8],
    index: usize,
    scale: f32,
    budget: &RenderBudget,
) -> Result<PageImage, RenderError> {
    super::run_guarded("pdf-render", || {
        render_unguarded(bytes, index, scale, budget)
    })
    .unwrap_or_else(|detail| {
        Err(RenderError::Failed {
            page: index + 1,
            detail,
        })
    })
}

fn render_unguarded(
    bytes: &[u8],
    index: usize,
    scale: f32,
    budget: &RenderBudget,
) -> Result<PageImage, RenderError> {
    let page_number = index + 1;
    let pdf = super::open(bytes.to_vec()).map_err(RenderError::Open)?;
    let pages = pdf.pages();
    let page = pages
        .get(index)
        .ok_or(RenderError::NoSuchPage(page_number))?;
    let (width, height) = page.render_dimensions();
    let scale = if scale.is_finite() && scale > 0.0 {
        scale
    } else {
        1.0
    };
    let pixels = f64::from(width * scale).max(1.0) * f64::from(height * scale).max(1.0);
    let over = |what, count: u64, limit: u64| RenderError::OverBudget {
        page: page_number,
        what,
        count,
        limit,
    };
    // u16 is the rasteriser's limit per side.
    if pixels > budget.max_pixels as f64 || width * scale > 65_000.0 || height * scale > 65_000.0 {
        return Err(over("pixels", pixels as u64, budget.max_pixels));
    }
    let settings = InterpreterSettings::default();
    let cost = page_cost(page, &settings);
    if cost.path_elements > budget.max_path_elements {
        return Err(over(
            "path elements",
            cost.path_elements,
            budget.max_path_elements,
        ));
    }
    if cost.glyphs > budget.max_glyphs {
        return Err(over("glyphs", cost.glyphs, budget.max_glyphs));
    }
    if cost.image_pixels > budget.max_image_pixels {
        return Err(over(
            "image pixels",
            cost.image_pixels,
            budget.max_image_pixels,
        ));
    }
    let cache = RenderCache::new();
    let pixmap = hayro::render(
        page,
        &cache,
        &settings,
        &RenderSettings::default(),
        &PixmapSettings {
            x_scale: scale,
            y_scale: scale,
            bg_color: hayro::vello_cpu::color::palette::css::WHITE,
        },
    );
    let (width, height) = (u32::from(pixmap.width()), u32::from(pixmap.height()));
    let rgba = pixmap.take_rgba8(hayro::vello_cpu::peniko::ImageAlphaType::AlphaPremultiplied);
    Ok(PageImage {
        width,
        height,
        rgba,
    })
}

/// What drawing a page would take.
#[derive(Debug, Default)]
struct Cost {
    path_elements: u64,
    glyphs: u64,
    image_pixels: u64,
}

/// Interprets the page once without drawing, counting its cost.
fn page_cost(
    page: &hayro_interpret::hayro_syntax::page::Page<'_>,
    settings: &InterpreterSettings,
) -> Cost {
    let cache = InterpreterCache::new();
    let (width, height) = page.render_dimensions();
    let bounds = Rect::new(0.0, 0.0, f64::from(width), f64::from(height));
    let mut context = Context::new(
        page.initial_transform(true).to_kurbo(),
        bounds,
        &cache,
        page.xref(),
        settings.clone(),
    );
    let mut counter = CostCounter::default();
    interpret_page(page, &mut context, &mut counter);
    counter.cost
}

#[derive(Default)]
struct CostCounter {
    cost: Cost,
}

impl<'a> Device<'a> for CostCounter {
    fn draw_path(&mut self, path: &BezPath, _: DrawProps<'a>, _: &DrawMode) {
        self.cost.path_elements += path.elements().len() as u64;
    }
    fn push_clip_path(&mut self, clip: &ClipPath) {
        self.cost.path_elements += clip.path.elements().len() as u64;
    }
    fn push_transparency_group(&mut self, _: f32, _: Option<SoftMask<'a>>, _: BlendMode) {}
    fn draw_glyph_run(&mut self, run: &GlyphRun<'_, 'a>, _: DrawProps<'a>, _: &DrawMode) {
        self.cost.glyphs += run.glyphs().len() as u64;
    }
    fn draw_image(&mut self, image: Image<'a, '_>, _: ImageDrawProps<'a>) {
        self.cost.image_pixels += u64::from(image.width()) * u64::from(image.height());
    }
    fn pop_clip(&mut self) {}
    fn pop_transparency_group(&mut self) {}
}

/// Highlight colour laid over a quote on a page: the marker yellow, multiplied so the
/// text stays black.
pub const HIGHLIGHT_RGB: [u8; 3] = [255, 214, 10];

/// Multiplies `rects` (page points, at `scale` pixels per point) with the highlight colour.
pub fn highlight(image: &mut PageImage, rects: &[[f32; 4]], scale: f32) {
    for rect in rects {
        let [x0, y0, x1, y1] = pixel_rect(image, rect, scale);
        for y in y0..y1 {
            for x in x0..x1 {
                let at = ((y * image.width + x) * 4) as usize;
                for (channel, tint) in HIGHLIGHT_RGB.iter().enumerate() {
                    let value = &mut image.rgba[at + channel];
                    *value = ((u16::from(*value) * u16::from(*tint)) / 255) as u8;
                }
            }
        }
    }
}

/// The part of `image` inside `rect` (page points), grown by `margin` points.
pub fn crop(image: &PageImage, rect: &[f32; 4], margin: f32, scale: f32) -> PageImage {
    let grown = [
        rect[0] - margin,
        rect[1] - margin,
        rect[2] + margin,
        rect[3] + margin,
    ];
    let [x0, y0, x1, y1] = pixel_rect(image, &grown, scale);
    let (width, height) = (x1 - x0, y1 - y0);
    let mut rgba = Vec::with_capacity((width * height * 4) as usize);
    for y in y0..y1 {
        let start = ((y * image.width + x0) * 4) as usize;
        rgba.extend_from_slice(&image.rgba[start..start + (width * 4) as usize]);
    }
    PageImage {
        width,
        height,
        rgba,
    }
}

/// A rectangle in page points as pixel bounds inside the image, clamped.
fn pixel_rect(image: &PageImage, rect: &[f32; 4], scale: f32) -> [u32; 4] {
    let clamp = |value: f32, limit: u32| {
        if value.is_finite() {
            (value.max(0.0) as u32).min(limit)
        } else {
            0
        }
    };
    let x0 = clamp((rect[0] * scale).floor(), image.width);
    let y0 = clamp((rect[1] * scale).floor(), image.height);
    let x1 = clamp((rect[2] * scale).ceil(), image.width).max(x0);
    let y1 = clamp((rect[3] * scale).ceil(), image.height).max(y0);
    [x0, y0, x1, y1]
}

/// The image as a PNG file, grey when the page is grey (smaller).
pub fn encode_png(image: &PageImage) -> Vec<u8> {
    let grey = image
        .rgba
        .chunks_exact(4)
        .all(|px| px[0] == px[1] && px[1] == px[2]);
    let mut out = Vec::new();
    {
        let mut encoder = png::Encoder::new(&mut out, image.width.max(1), image.height.max(1));
        encoder.set_depth(png::BitDepth::Eight);
        encoder.set_compression(png::Compression::High);
        let data: Vec<u8> = if grey {
            encoder.set_color(png::ColorType::Grayscale);
            image.rgba.chunks_exact(4).map(|px| px[0]).collect()
        } else {
            encoder.set_color(png::ColorType::Rgb);
            image
                .rgba
                .chunks_exact(4)
                .flat_map(|px| [px[0], px[1], px[2]])
                .collect()
        };
        let written = encoder
            .write_header()
            .and_then(|mut writer| writer.write_image_data(&data));
        if written.is_err() {
            return Vec::new();
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn white(width: u32, height: u32) -> PageImage {
        PageImage {
            width,
            height,
            rgba: vec![255; (width * height * 4) as usize],
        }
    }

    #[test]
    fn a_highlight_tints_only_its_rectangle() {
        let mut image = white(20, 10);
        highlight(&mut image, &[[2.0, 2.0, 4.0, 4.0]], 1.0);
        assert_eq!(
            &image.rgba[(2 * 20 + 2) * 4..(2 * 20 + 2) * 4 + 3],
            &HIGHLIGHT_RGB
        );
        assert_eq!(&image.rgba[0..4], &[255, 255, 255, 255]);
    }

    #[test]
    fn crops_are_clamped_to_the_image() {
        let image = white(20, 10);
        let part = crop(&image, &[15.0, 5.0, 40.0, 40.0], 2.0, 1.0);
        assert_eq!((part.width, part.height), (7, 7));
        let none = crop(&image, &[f32::NAN, 0.0, 1.0, 1.0], 0.0, 1.0);
        assert_eq!(none.width, 1);
    }

    #[test]
    fn grey_pages_encode_as_grey_png() {
        let png = encode_png(&white(4, 4));
        assert_eq!(&png[1..4], b"PNG");
        // IHDR colour type byte: 0 = greyscale.
        assert_eq!(png[25], 0);
    }
}
