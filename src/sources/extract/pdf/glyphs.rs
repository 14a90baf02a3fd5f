//! The glyphs a PDF page draws, with what they stand for and where they are: hayro
//! interprets the page and hands each glyph run to [`GlyphCollector`], which keeps the
//! text and geometry and ignores paths and images.

use super::layout::{ASCENT, DESCENT, Glyph};
use hayro_interpret::TransformExt;
use hayro_interpret::font::{self, GlyphRun};
use hayro_interpret::hayro_cmap::BfString;
use hayro_interpret::hayro_syntax::page::Page;
use hayro_interpret::kurbo::{Affine, BezPath, Point, Rect, Vec2};
use hayro_interpret::{
    BlendMode, ClipPath, Context, Device, DrawMode, DrawProps, Image, ImageDrawProps,
    InterpreterCache, InterpreterSettings, SoftMask, interpret_page,
};

/// Most glyphs read from one page. A real page holds a few thousand; beyond this the rest
/// of the page is not read, and the source's notes say so.
pub const MAX_GLYPHS_PER_PAGE: usize = 400_000;

/// The glyphs of one page, grouped by the direction their baseline runs in.
#[derive(Debug, Default)]
pub struct PageGlyphs {
    /// Page width and height in points, after its rotation.
    pub width: f32,
    pub height: f32,
    /// Glyphs by quarter turn of their baseline (0: upright, 1: running down the page, 2:
    /// upside down, 3: running up), each in its own upright frame.
    pub by_rotation: [Vec<Glyph>; 4],
    /// Glyphs drawn without a known character (no ToUnicode entry, no glyph name).
    pub unmapped: usize,
    /// All glyphs drawn, mapped or not.
    pub drawn: usize,
    /// Whether [`MAX_GLYPHS_PER_PAGE`] was reached.
    pub cut: bool,
}

/// Interprets `page` and collects its glyphs in page space (points, y down).
pub fn page_glyphs<'a>(
    page: &Page<'a>,
    cache: &InterpreterCache<'a>,
    settings: &InterpreterSettings,
) -> PageGlyphs {
    let (width, height) = page.render_dimensions();
    let transform = page.initial_transform(true).to_kurbo();
    let bounds = Rect::new(0.0, 0.0, f64::from(width), f64::from(height));
    let mut context = Context::new(transform, bounds, cache, page.xref(), settings.clone());
    let mut collector = GlyphCollector {
        page: PageGlyphs {
            width,
            height,
            ..PageGlyphs::default()
        },
        bounds: bounds.inflate(2.0, 2.0),
    };
    interpret_page(page, &mut context, &mut collector);
    collector.page
}

/// A device that keeps glyphs and drops everything else.
struct GlyphCollector {
    page: PageGlyphs,
    /// The page, a little enlarged: glyphs whose origin falls outside are not shown.
    bounds: Rect,
}

impl GlyphCollector {
    fn add(&mut self, glyph: &font::Glyph<'_>, transform: Affine) {
        self.page.drawn += 1;
        let text = match glyph.as_unicode() {
            Some(BfString::Char(c)) => c.to_string(),
            Some(BfString::String(text)) => text,
            None => {
                self.page.unmapped += 1;
                return;
            }
        };
        let advance = match glyph {
            font::Glyph::Outline(outline) => outline.advance_width().unwrap_or(0.0),
            font::Glyph::Type3(type3) => type3.advance_width().unwrap_or(0.0),
        };
        let origin = transform * Point::ZERO;
        if !self.bounds.contains(origin) {
            return;
        }
        let along: Vec2 = transform * Point::new(f64::from(advance), 0.0) - origin;
        let up: Vec2 = transform * Point::new(0.0, 1000.0) - origin;
        let size = up.hypot();
        if !size.is_finite() || size < 0.05 {
            return;
        }
        // The baseline's direction: its advance, or square to "up" for a zero-width glyph.
        let direction = if along.hypot() > 1e-3 * size {
            along
        } else {
            Vec2::new(-up.y, up.x)
        };
        // Device space has y down, so "up" on an upright glyph points to -y.
        let quarter_turns = (direction.y.atan2(direction.x) / std::f64::consts::FRAC_PI_2)
            .round()
            .rem_euclid(4.0) as usize;
        let frame = upright_frame(quarter_turns);
        let frame_origin = frame * origin;
        let frame_end = frame * (origin + along);
        let corners = [0.0, 1.0].into_iter().flat_map(|s| {
            [-f64::from(DESCENT), f64::from(ASCENT)]
                .into_iter()
                .map(move |u| origin + along * s + up * u)
        });
        let (mut left, mut top, mut right, mut bottom) = (f64::MAX, f64::MAX, f64::MIN, f64::MIN);
        for corner in corners {
            left = left.min(corner.x);
            top = top.min(corner.y);
            right = right.max(corner.x);
            bottom = bottom.max(corner.y);
        }
        let (x0, x1) = if frame_end.x < frame_origin.x {
            (frame_end.x, frame_origin.x)
        } else {
            (frame_origin.x, frame_end.x)
        };
        let glyphs = &mut self.page.by_rotation[quarter_turns.min(3)];
        glyphs.push(Glyph {
            text: text.into(),
            x0: x0 as f32,
            x1: x1 as f32,
            baseline: frame_origin.y as f32,
            size: size as f32,
            rect: [left as f32, top as f32, right as f32, bottom as f32],
        });
    }
}

/// The rotation that turns a baseline running `quarter_turns` quarter turns clockwise (in
/// y-down page space) back into an upright, left-to-right one.
fn upright_frame(quarter_turns: usize) -> Affine {
    Affine::rotate(-(quarter_turns as f64) * std::f64::consts::FRAC_PI_2)
}

impl<'a> Device<'a> for GlyphCollector {
    fn draw_path(&mut self, _: &BezPath, _: DrawProps<'a>, _: &DrawMode) {}
    fn push_clip_path(&mut self, _: &ClipPath) {}
    fn push_transparency_group(&mut self, _: f32, _: Option<SoftMask<'a>>, _: BlendMode) {}
    fn draw_glyph_run(&mut self, run: &GlyphRun<'_, 'a>, props: DrawProps<'a>, _: &DrawMode) {
        for glyph in run.glyphs() {
            if self.page.drawn >= MAX_GLYPHS_PER_PAGE {
                self.page.cut = true;
                return;
            }
            self.add(glyph, props.transform * glyph.transform());
        }
    }
    fn draw_image(&mut self, _: Image<'a, '_>, _: ImageDrawProps<'a>) {}
    fn pop_clip(&mut self) {}
    fn pop_transparency_group(&mut self) {}
}
