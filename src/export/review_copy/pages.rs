//! Page crops for the review copy: for each quote in a PDF source whose original is at hand,
//! the part of its page around the quote, drawn as the document draws it, with the quote
//! highlighted. A reviewer then sees the words on the page, not only normgrid's text.
//!
//! The copy stays small: each crop is at most [`MAX_CROP_BYTES`] and all of them together
//! at most [`MAX_TOTAL_BYTES`]; what is left out is counted and said.

use crate::io::originals::read_original;
use crate::model::{Project, SourceId, SourceKind};
use crate::sources::evidence::Checker;
use crate::sources::extract::pdf::render::{
    PageImage, RenderBudget, crop, encode_png, highlight, render_page,
};
use crate::sources::extract::pdf::{TextLayer, read_text_layer};
use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as BASE64;
use serde::Serialize;
use std::collections::HashMap;
use std::path::Path;

/// Pixels per PDF point in the crops: readable at the review copy's width.
const CROP_SCALE: f32 = 1.5;
/// Room around the quote, in points: a line or two of context above and below.
const CONTEXT_POINTS: f32 = 30.0;
/// Largest crop, as PNG bytes.
pub const MAX_CROP_BYTES: usize = 250 * 1024;
/// All crops of one copy together, as PNG bytes.
pub const MAX_TOTAL_BYTES: usize = 12 * 1024 * 1024;

/// A quote's page crop, as the page script shows it.
#[derive(Clone, Debug, Serialize)]
pub struct PageCrop {
    /// 1-based page number.
    pub page: usize,
    pub data_url: String,
    pub width: u32,
    pub height: u32,
    /// The quote runs on to the next page (only its first page is shown).
    pub continues: bool,
}

/// Crops by cell and excerpt, and what was left out.
#[derive(Debug, Default)]
pub struct PageCrops {
    by_excerpt: HashMap<(String, String, String), PageCrop>,
    /// Sentences for the export's summary: originals not found, pages not drawn, budget.
    pub notes: Vec<String>,
    pub bytes: usize,
}

impl PageCrops {
    /// The crop of one excerpt, if there is one.
    pub fn get(&self, agreement: &str, element: &str, excerpt: &str) -> Option<&PageCrop> {
        self.by_excerpt
            .get(&(agreement.to_owned(), element.to_owned(), excerpt.to_owned()))
    }

    pub fn len(&self) -> usize {
        self.by_excerpt.len()
    }

    pub fn is_empty(&self) -> bool {
        self.by_excerpt.is_empty()
    }
}

/// One PDF source's original, read.
struct Opened {
    bytes: Vec<u8>,
    layer: TextLayer,
    same_text: bool,
}

/// The crops of every PDF quote of `project` whose original is found beside `project_path`.
pub fn page_crops(project: &Project, project_path: Option<&Path>) -> PageCrops {
    let mut crops = PageCrops::default();
    let mut opened: HashMap<SourceId, Option<Opened>> = HashMap::new();
    let mut drawn: HashMap<(SourceId, usize), Option<PageImage>> = HashMap::new();
    let mut checker = Checker::new(project);
    let mut over_budget = 0;
    for (agreement, element, cell) in project.cells.iter() {
        for excerpt in &cell.evidence {
            let Some(source) = excerpt.source.as_ref().and_then(|id| project.source(id)) else {
                continue;
            };
            if source.kind != SourceKind::Pdf {
                continue;
            }
            let Some(range) = checker.state(excerpt).located(excerpt) else {
                continue;
            };
            let original = opened.entry(source.id.clone()).or_insert_with(|| {
                match read_original(project_path, source, None) {
                    Ok((path, bytes)) => {
                        match read_text_layer(&bytes, &path.display().to_string()) {
                            Ok(read) => Some(Opened {
                                same_text: read.layer.text == source.text,
                                layer: read.layer,
                                bytes,
                            }),
                            Err(error) => {
                                crops.notes.push(format!(
                                    "no page images for “{}”: {error}",
                                    source.title
                                ));
                                None
                            }
                        }
                    }
                    Err(error) => {
                        crops
                            .notes
                            .push(format!("no page images for “{}”: {error}", source.title));
                        None
                    }
                }
            });
            let Some(original) = original else { continue };
            let rects = if original.same_text {
                original.layer.highlight_rects(range.start, range.end)
            } else {
                source
                    .text
                    .get(range.clone())
                    .and_then(|passage| {
                        crate::sources::find_all(&original.layer.text, passage)
                            .first()
                            .cloned()
                    })
                    .map(|hit| original.layer.highlight_rects(hit.start, hit.end))
                    .unwrap_or_default()
            };
            let Some(&(page, _)) = rects.first() else {
                continue;
            };
            let on_page: Vec<[f32; 4]> = rects
                .iter()
                .filter(|(p, _)| *p == page)
                .map(|(_, r)| *r)
                .collect();
            let continues = rects.iter().any(|(p, _)| *p != page);
            let image =
                drawn.entry((source.id.clone(), page)).or_insert_with(|| {
                    match render_page(&original.bytes, page, CROP_SCALE, &RenderBudget::default()) {
                        Ok(image) => Some(image),
                        Err(error) => {
                            crops.notes.push(format!("“{}”: {error}", source.title));
                            None
                        }
                    }
                });
            let Some(image) = image else { continue };
            let Some(crop_data) = crop_of(image, &on_page, page, continues) else {
                continue;
            };
            if crop_data.data_url.len() > MAX_CROP_BYTES * 4 / 3 + 32
                || crops.bytes + crop_data.data_url.len() > MAX_TOTAL_BYTES * 4 / 3
            {
                over_budget += 1;
                continue;
            }
            crops.bytes += crop_data.data_url.len();
            crops.by_excerpt.insert(
                (
                    agreement.to_string(),
                    element.to_string(),
                    excerpt.id.to_string(),
                ),
                crop_data,
            );
        }
    }
    if over_budget > 0 {
        crops.notes.push(format!(
            "{over_budget} page image(s) left out to keep the copy small (at most {} KB each, \
             {} MB in all); those quotes show their text only",
            MAX_CROP_BYTES / 1024,
            MAX_TOTAL_BYTES / (1024 * 1024)
        ));
    }
    crops
}

/// The part of the page around `rects`, the quote highlighted, as a PNG data URL.
fn crop_of(
    page: &PageImage,
    rects: &[[f32; 4]],
    page_index: usize,
    continues: bool,
) -> Option<PageCrop> {
    let mut union = *rects.first()?;
    for rect in rects {
        union[0] = union[0].min(rect[0]);
        union[1] = union[1].min(rect[1]);
        union[2] = union[2].max(rect[2]);
        union[3] = union[3].max(rect[3]);
    }
    // The whole text width of the quote's lines, with a little room either side.
    let page_width = page.width as f32 / CROP_SCALE;
    let area = [
        (union[0] - CONTEXT_POINTS).max(0.0),
        (union[1] - CONTEXT_POINTS).max(0.0),
        (union[2] + CONTEXT_POINTS).min(page_width),
        union[3] + CONTEXT_POINTS,
    ];
    let mut marked = page.clone();
    let grown: Vec<[f32; 4]> = rects
        .iter()
        .map(|r| [r[0] - 1.0, r[1] - 1.0, r[2] + 1.0, r[3] + 1.0])
        .collect();
    highlight(&mut marked, &grown, CROP_SCALE);
    let cropped = crop(&marked, &area, 0.0, CROP_SCALE);
    let png = encode_png(&cropped);
    if png.is_empty() {
        return None;
    }
    Some(PageCrop {
        page: page_index + 1,
        data_url: format!("data:image/png;base64,{}", BASE64.encode(&png)),
        width: cropped.width,
        height: cropped.height,
        continues,
    })
}
