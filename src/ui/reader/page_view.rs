//! The page itself: a PDF source's page as the document draws it, with every quote
//! highlighted over its glyphs, beside the text view (one click switches, at the same place).
//!
//! The original is found by its sha256 (see `io::originals`), read and drawn on worker
//! threads; a page over the drawing budget is refused with a message and the text view
//! stays. Dragging on the page selects the characters between the press and the pointer in
//! reading order, so a passage chosen on the page becomes evidence as one chosen in the text.

use super::text_view::highlight_widget_ui;
use super::{Highlight, ReaderState};
use crate::io::originals::read_original;
use crate::model::{Source, SourceKind};
use crate::sources::extract::pdf::render::{PageImage, RenderBudget, render_page};
use crate::sources::extract::pdf::{TextLayer, read_text_layer};
use crate::ui::events::AppEvent;
use crate::ui::job::Job;
use egui::{Color32, Rect, RichText, Sense, TextureHandle, Ui, pos2, vec2};
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// Pixels per PDF point the page is drawn at: sharp at the reader's usual widths.
const DRAW_SCALE: f32 = 2.0;

/// Zoom steps of the page view, over "as wide as the panel".
const ZOOMS: [f32; 6] = [1.0, 1.5, 2.0, 2.5, 3.0, 4.0];

/// Drawn pages kept as textures.
const KEPT_PAGES: usize = 6;

/// The label of the switch to the page (tests click it).
pub const PAGE_LABEL: &str = "Page";
/// The label of the switch to the text.
pub const TEXT_LABEL: &str = "Text";

const TEXT_HINT: &str = "The text normgrid read from the PDF: search it, select passages";
const DIFFERENT_TEXT: &str = "the stored text differs from this reading of the PDF; highlights \
                              are placed by searching";

/// The original of one source, read and laid out.
pub(super) struct Original {
    pub sha256: String,
    pub bytes: Arc<Vec<u8>>,
    pub layer: Arc<TextLayer>,
    /// Whether the layer's text is the stored text byte for byte, so offsets carry over.
    pub same_text: bool,
    pub path: PathBuf,
}

type Loaded = Result<Original, String>;

/// A page of an original: its digest and 0-based index.
type PageKey = (String, usize);

/// A drawn page, or why it was not drawn.
type Drawn = Result<PageImage, String>;

/// The page view's state, per reader.
#[derive(Default)]
pub(super) struct PageState {
    /// The page view is shown rather than the text (for PDF sources whose original is at hand).
    pub showing: bool,
    /// The user chose the text: a found original no longer switches to the page by itself.
    pub chose_text: bool,
    /// 0-based page shown.
    pub page: usize,
    /// Zoom over "page as wide as the panel" (1.0).
    zoom: f32,
    /// The place last scrolled to (page points): a new zoom keeps it in view.
    focus: Option<[f32; 4]>,
    /// Scroll the page so that this rectangle (page points) shows.
    pub scroll_to: Option<[f32; 4]>,
    original: Option<Original>,
    loading: Option<(String, Job<Loaded>)>,
    /// Why the original of a source (by digest) can't be shown.
    failures: HashMap<String, String>,
    textures: Vec<(PageKey, TextureHandle)>,
    drawing: Option<(PageKey, Job<Drawn>)>,
    draw_failures: HashMap<PageKey, String>,
    /// Where a drag on the page began, in layer offsets.
    drag_from: Option<usize>,
}

impl PageState {
    /// The original shown, if it is the one of `source`.
    pub(super) fn original_of(&self, source: &Source) -> Option<&Original> {
        self.original.as_ref().filter(|o| o.sha256 == source.sha256)
    }

    /// Starts reading the original of `source` unless it is read, being read, or failed.
    fn load(
        &mut self,
        ctx: &egui::Context,
        source: &Source,
        project: Option<&Path>,
        extra: Option<PathBuf>,
    ) {
        let sha = source.sha256.clone();
        if self.original_of(source).is_some()
            || self.loading.as_ref().is_some_and(|(s, _)| *s == sha)
            || self.failures.contains_key(&sha)
        {
            return;
        }
        let source = source.clone();
        let project = project.map(Path::to_path_buf);
        let job = Job::start(ctx, "pdf-original", move || {
            load_original(&source, project.as_deref(), extra.as_deref())
        });
        match job {
            Some(job) => self.loading = Some((sha, job)),
            None => {
                self.failures.insert(
                    sha,
                    "normgrid could not start reading the original; try again".to_owned(),
                );
            }
        }
    }

    /// Takes a finished read.
    fn poll_load(&mut self) {
        let Some((sha, job)) = &self.loading else {
            return;
        };
        let sha = sha.clone();
        match job.poll() {
            Ok(None) => {}
            Ok(Some(Ok(original))) => {
                self.loading = None;
                self.original = Some(original);
            }
            Ok(Some(Err(reason))) => {
                self.loading = None;
                self.failures.insert(sha, reason);
            }
            Err(()) => {
                self.loading = None;
                self.failures
                    .insert(sha, "reading the original stopped; try again".to_owned());
            }
        }
    }

    /// The texture of page `page` of the original, drawing it when needed.
    fn texture(
        &mut self,
        ctx: &egui::Context,
        page: usize,
    ) -> Result<Option<TextureHandle>, String> {
        let Some(original) = &self.original else {
            return Ok(None);
        };
        let key = (original.sha256.clone(), page);
        if let Some((_, texture)) = self.textures.iter().find(|(k, _)| *k == key) {
            return Ok(Some(texture.clone()));
        }
        if let Some(reason) = self.draw_failures.get(&key) {
            return Err(reason.clone());
        }
        match &self.drawing {
            Some((drawing, job)) if *drawing == key => match job.poll() {
                Ok(None) => Ok(None),
                Ok(Some(Ok(image))) => {
                    self.drawing = None;
                    let texture = ctx.load_texture(
                        format!("pdf-page-{}-{page}", key.0),
                        egui::ColorImage::from_rgba_unmultiplied(
                            [image.width as usize, image.height as usize],
                            &image.rgba,
                        ),
                        egui::TextureOptions::LINEAR,
                    );
                    if self.textures.len() >= KEPT_PAGES {
                        let _evicted = self.textures.remove(0);
                    }
                    self.textures.push((key, texture.clone()));
                    Ok(Some(texture))
                }
                Ok(Some(Err(reason))) => {
                    self.drawing = None;
                    self.draw_failures.insert(key, reason.clone());
                    Err(reason)
                }
                Err(()) => {
                    self.drawing = None;
                    Err("drawing the page stopped; switch pages to try again".to_owned())
                }
            },
            // Another page is being drawn: wait for it, then draw this one.
            Some((_, job)) => {
                if let Ok(Some(_)) | Err(()) = job.poll() {
                    self.drawing = None;
                }
                Ok(None)
            }
            None => {
                let bytes = Arc::clone(&original.bytes);
                let job = Job::start(ctx, "pdf-page", move || {
                    render_page(&bytes, page, DRAW_SCALE, &RenderBudget::default())
                        .map_err(|e| e.to_string())
                });
                match job {
                    Some(job) => {
                        self.drawing = Some((key, job));
                        Ok(None)
                    }
                    None => Err("normgrid could not start drawing the page; try again".to_owned()),
                }
            }
        }
    }
}

/// Reads the original of `source` and lays out its text, on a worker thread.
fn load_original(source: &Source, project: Option<&Path>, extra: Option<&Path>) -> Loaded {
    let (path, bytes) = read_original(project, source, extra).map_err(|e| e.to_string())?;
    let file = path.display().to_string();
    let read = read_text_layer(&bytes, &file).map_err(|e| e.to_string())?;
    let same_text = read.layer.text == source.text;
    Ok(Original {
        sha256: source.sha256.clone(),
        bytes: Arc::new(bytes),
        layer: Arc::new(read.layer),
        same_text,
        path,
    })
}

/// The page holding byte `offset` of a source's text (0-based).
pub(super) fn page_of(source: &Source, offset: usize) -> usize {
    source
        .pages
        .partition_point(|&start| start <= offset)
        .saturating_sub(1)
}

/// The "Text | Page" switch for a PDF source, and the page view when it is chosen. Returns
/// true when the page view took the panel (the caller then draws no text).
pub(super) fn page_switch_and_view_ui(
    ui: &mut Ui,
    source: &Source,
    project_path: Option<&Path>,
    reader: &mut ReaderState,
    highlights: &[Highlight],
    events: &mut Vec<AppEvent>,
) -> bool {
    if source.kind != SourceKind::Pdf {
        return false;
    }
    let ctx = ui.ctx().clone();
    let extra = reader
        .originals
        .get(&source.sha256)
        .map(|(path, _)| path.clone());
    reader.page.load(&ctx, source, project_path, extra);
    reader.page.poll_load();
    let failure = reader.page.failures.get(&source.sha256).cloned();
    let available = reader.page.original_of(source).is_some();
    if available && !reader.page.showing && !reader.page.chose_text {
        // The page is the document: show it as soon as it is at hand.
        reader.page.showing = true;
        reader.page.page = page_of(source, reader.top_offset);
    }
    ui.horizontal(|ui| {
        let text = ui
            .selectable_label(!reader.page.showing, TEXT_LABEL)
            .on_hover_text(TEXT_HINT);
        let page = ui
            .add_enabled(available, egui::Button::selectable(reader.page.showing, PAGE_LABEL))
            .on_hover_text(reader.page.original_of(source).map_or_else(String::new, |o| {
                format!(
                    "The page as the PDF draws it, with the quotes highlighted on it (from {})",
                    o.path.display()
                )
            }))
            .on_disabled_hover_text(
                failure
                    .clone()
                    .unwrap_or_else(|| "Reading the original…".to_owned()),
            );
        if text.clicked() && reader.page.showing {
            reader.page.showing = false;
            reader.page.chose_text = true;
            // The text opens where the page was.
            if let Some(&start) = source.pages.get(reader.page.page) {
                reader.scroll_to = Some(start);
            }
        }
        if page.clicked() && !reader.page.showing {
            reader.page.showing = true;
            reader.page.chose_text = false;
            reader.page.page = page_of(source, reader.top_offset);
        }
        if reader.page.loading.is_some() {
            ui.spinner();
        }
    });
    if let Some(reason) = &failure
        && !available
    {
        ui.label(
            RichText::new(format!("Page view: {reason}."))
                .weak()
                .small(),
        );
    }
    if !(reader.page.showing && available) {
        return false;
    }
    page_ui(ui, source, reader, highlights, events);
    true
}

/// One page, its navigation, its highlights and a drag that selects a passage.
fn page_ui(
    ui: &mut Ui,
    source: &Source,
    reader: &mut ReaderState,
    highlights: &[Highlight],
    events: &mut Vec<AppEvent>,
) {
    let ctx = ui.ctx().clone();
    let Some(original) = reader.page.original_of(source) else {
        return;
    };
    let layer = Arc::clone(&original.layer);
    let same_text = original.same_text;
    let page_count = layer.page_sizes.len().max(1);
    // A new scroll target (Show in reader, a search hit, the outline) moves to its page.
    if let Some(offset) = reader.scroll_to.take() {
        reader.page.page = page_of(source, offset);
        if let Some(end) = reader.selected_range().map(|r| r.end).or(Some(offset + 1)) {
            let rects = layer_rects(&layer, same_text, source, offset..end.max(offset + 1));
            reader.page.scroll_to = rects.first().map(|(_, rect)| *rect);
            reader.page.focus = reader.page.scroll_to;
        }
    }
    reader.page.page = reader.page.page.min(page_count - 1);
    let page = reader.page.page;
    ui.horizontal(|ui| {
        let previous = ui.add_enabled(page > 0, egui::Button::new("◀"));
        if previous.on_hover_text("Previous page").clicked() {
            reader.page.page -= 1;
            reader.page.focus = None;
        }
        ui.label(format!("Page {} of {page_count}", page + 1));
        if ui
            .add_enabled(page + 1 < page_count, egui::Button::new("▶"))
            .on_hover_text("Next page")
            .clicked()
        {
            reader.page.page += 1;
            reader.page.focus = None;
        }
        ui.separator();
        let zoom = reader.page.zoom.max(1.0);
        let smaller = ZOOMS.iter().rev().copied().find(|&z| z < zoom - 0.01);
        let larger = ZOOMS.iter().copied().find(|&z| z > zoom + 0.01);
        if ui
            .add_enabled(smaller.is_some(), egui::Button::new("−"))
            .on_hover_text("Zoom out")
            .clicked()
        {
            reader.page.zoom = smaller.unwrap_or(1.0);
            reader.page.scroll_to = reader.page.focus;
        }
        ui.label(format!("{:.0} %", zoom * 100.0))
            .on_hover_text("Of the page as wide as the panel");
        if ui
            .add_enabled(larger.is_some(), egui::Button::new("+"))
            .on_hover_text("Zoom in")
            .clicked()
        {
            reader.page.zoom = larger.unwrap_or(zoom);
            reader.page.scroll_to = reader.page.focus;
        }
        if !same_text {
            ui.label(RichText::new(DIFFERENT_TEXT).weak().small());
        }
    });
    let page = reader.page.page;
    let texture = match reader.page.texture(&ctx, page) {
        Ok(Some(texture)) => texture,
        Ok(None) => {
            ui.horizontal(|ui| {
                ui.spinner();
                ui.label(format!("Drawing page {}…", page + 1));
            });
            return;
        }
        Err(reason) => {
            ui.label(format!("Page {} is not shown: {reason}.", page + 1));
            return;
        }
    };
    let [page_width, page_height] = layer
        .page_sizes
        .get(page)
        .copied()
        .unwrap_or([612.0, 792.0]);
    let width = (ui.available_width() - 18.0).max(120.0) * reader.page.zoom.max(1.0);
    let zoom = width / page_width.max(1.0);
    let size = vec2(width, page_height * zoom);
    let mut area = egui::ScrollArea::both()
        .id_salt(("reader-page", source.id.as_str(), page))
        .auto_shrink(false);
    if let Some(rect) = reader.page.scroll_to.take() {
        area = area
            .vertical_scroll_offset((rect[1] * zoom - ui.available_height() / 3.0).max(0.0))
            .horizontal_scroll_offset((rect[0] * zoom - ui.available_width() / 2.0).max(0.0));
    }
    let selection = reader.selected_range();
    area.show(ui, |ui| {
        let (rect, response) = ui.allocate_exact_size(size, Sense::click_and_drag());
        let to_screen = |r: &[f32; 4]| {
            Rect::from_min_max(
                rect.min + vec2(r[0] * zoom, r[1] * zoom),
                rect.min + vec2(r[2] * zoom, r[3] * zoom),
            )
        };
        let painter = ui.painter_at(rect);
        painter.image(
            texture.id(),
            rect,
            Rect::from_min_max(pos2(0.0, 0.0), pos2(1.0, 1.0)),
            Color32::WHITE,
        );
        response.widget_info(|| {
            egui::WidgetInfo::labeled(
                egui::Role::Image,
                true,
                format!("Page {} of {}", page + 1, source.title),
            )
        });
        // A drag selects from the character nearest the press to the one nearest the pointer.
        let point_of = |pos: egui::Pos2| ((pos.x - rect.min.x) / zoom, (pos.y - rect.min.y) / zoom);
        if response.hovered() {
            ctx.set_cursor_icon(egui::CursorIcon::Text);
        }
        if same_text {
            if response.drag_started()
                && let Some(press) = ctx.input(|i| i.pointer.press_origin())
            {
                let (x, y) = point_of(press);
                reader.page.drag_from = layer.offset_at(page, x, y);
            }
            if response.dragged()
                && let (Some(from), Some(pointer)) =
                    (reader.page.drag_from, response.interact_pointer_pos())
            {
                let (x, y) = point_of(pointer);
                if let Some(to) = layer.offset_at(page, x, y) {
                    let (start, end) = (from.min(to), from.max(to));
                    let end = source.text[end..]
                        .chars()
                        .next()
                        .map_or(end, |c| end + c.len_utf8());
                    reader.selection = Some((start, end));
                }
            }
            if response.clicked() {
                reader.selection = None;
            }
        }
        for (index, highlight) in highlights.iter().enumerate() {
            let fill = crate::palette::assessment_fill(highlight.assessment);
            let rects = layer_rects(&layer, same_text, source, highlight.range.clone());
            for (row, (_, r)) in rects.iter().filter(|(p, _)| *p == page).enumerate() {
                let on_screen = to_screen(r).expand(1.0);
                painter.rect_filled(
                    on_screen,
                    0.0,
                    Color32::from_rgba_unmultiplied(fill.0, fill.1, fill.2, 70),
                );
                painter.hline(
                    on_screen.x_range(),
                    on_screen.bottom(),
                    egui::Stroke::new(2.0, Color32::from_rgb(fill.0, fill.1, fill.2)),
                );
                highlight_widget_ui(ui, on_screen, highlight, row == 0, index, row, events);
            }
        }
        if let Some(range) = selection {
            let fill = ui.visuals().selection.bg_fill.gamma_multiply(0.5);
            for (_, r) in layer_rects(&layer, same_text, source, range)
                .iter()
                .filter(|(p, _)| *p == page)
            {
                painter.rect_filled(to_screen(r), 0.0, fill);
            }
        }
    });
}

/// The boxes on the pages of `range` of the stored text. When the stored text is not this
/// reading's text (made by an older normgrid), the passage is looked up by its words.
fn layer_rects(
    layer: &TextLayer,
    same_text: bool,
    source: &Source,
    range: std::ops::Range<usize>,
) -> Vec<(usize, [f32; 4])> {
    if same_text {
        return layer.highlight_rects(range.start, range.end);
    }
    let Some(passage) = source.text.get(range) else {
        return Vec::new();
    };
    let hits = crate::sources::find_all(&layer.text, passage);
    match hits.first() {
        Some(hit) => layer.highlight_rects(hit.start, hit.end),
        None => Vec::new(),
    }
}
