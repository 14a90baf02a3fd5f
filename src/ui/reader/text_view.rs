//! The reader's text: chunked, measured once per source and width, drawn only where it shows.
//! Selection, search hits and excerpt highlights are painted under the glyphs from the
//! galleys' geometry, so changing them never lays the text out again.

use super::{Highlight, ReaderState, TextKey, text_key};
use crate::model::{Source, SourceId};
use crate::palette::okabe_ito;
use crate::sources::anchor::floor_boundary;
use crate::ui::events::AppEvent;
use egui::text::LayoutJob;
use egui::{Color32, FontId, Galley, Rect, Sense, Ui, Vec2, pos2, vec2};
use std::ops::Range;
use std::sync::Arc;

/// Longest chunk, in bytes: a PDF page extracted as one line still draws as several pieces.
const MAX_CHUNK: usize = 1500;

/// Where each chunk of one source's text sits at one width.
pub(super) struct TextLayout {
    source: SourceId,
    key: TextKey,
    width: f32,
    font: FontId,
    color: Color32,
    chunks: Vec<Range<usize>>,
    /// Top of each chunk, plus the total height last.
    tops: Vec<f32>,
}

/// The text cut into lines, long lines cut after a space: every byte but the line breaks
/// belongs to exactly one chunk, in order.
pub fn chunks_of(text: &str) -> Vec<Range<usize>> {
    let mut chunks = Vec::new();
    let mut line_start = 0;
    for line in text.split('\n') {
        let end = line_start + line.len();
        let mut start = line_start;
        while end - start > MAX_CHUNK {
            let limit = floor_boundary(text, start + MAX_CHUNK);
            let cut = text
                .get(start..limit)
                .and_then(|piece| piece.rfind(' '))
                .map(|at| start + at + 1)
                .filter(|&cut| cut > start)
                .unwrap_or(limit);
            if cut <= start {
                break;
            }
            chunks.push(start..cut);
            start = cut;
        }
        chunks.push(start..end);
        line_start = end + 1;
    }
    chunks
}

/// The chunk as it is drawn: control characters (form feeds, carriage returns) become
/// spaces, char for char, so glyph indices stay char indices of the text.
fn display_text(chunk: &str) -> String {
    chunk
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect()
}

fn char_of_byte(chunk: &str, byte: usize) -> usize {
    if chunk.is_ascii() {
        return byte.min(chunk.len());
    }
    chunk
        .char_indices()
        .take_while(|(at, _)| *at < byte)
        .count()
}

fn byte_of_char(chunk: &str, char_index: usize) -> usize {
    if chunk.is_ascii() {
        return char_index.min(chunk.len());
    }
    chunk
        .char_indices()
        .nth(char_index)
        .map_or(chunk.len(), |(at, _)| at)
}

impl TextLayout {
    fn fits(
        &self,
        source: &SourceId,
        key: TextKey,
        width: f32,
        font: &FontId,
        color: Color32,
    ) -> bool {
        &self.source == source
            && self.key == key
            && (self.width - width).abs() < 0.5
            && &self.font == font
            && self.color == color
    }

    /// Measures every chunk once (the galleys themselves are dropped: egui keeps the ones
    /// drawn in its cache).
    fn measure(
        ctx: &egui::Context,
        source: &Source,
        key: TextKey,
        width: f32,
        font: FontId,
        color: Color32,
    ) -> Self {
        let chunks = chunks_of(&source.text);
        let mut tops = Vec::with_capacity(chunks.len() + 1);
        let mut top = 0.0;
        ctx.fonts_mut(|fonts| {
            for chunk in &chunks {
                tops.push(top);
                let text = display_text(source.text.get(chunk.clone()).unwrap_or_default());
                let galley = fonts.layout_job(LayoutJob::simple(text, font.clone(), color, width));
                top += galley.size().y;
            }
        });
        tops.push(top);
        Self {
            source: source.id.clone(),
            key,
            width,
            font,
            color,
            chunks,
            tops,
        }
    }

    fn total_height(&self) -> f32 {
        self.tops.last().copied().unwrap_or(0.0)
    }

    fn galley(&self, ctx: &egui::Context, text: &str, index: usize) -> Option<Arc<Galley>> {
        let chunk = self.chunks.get(index)?;
        let shown = display_text(text.get(chunk.clone())?);
        Some(ctx.fonts_mut(|fonts| {
            fonts.layout_job(LayoutJob::simple(
                shown,
                self.font.clone(),
                self.color,
                self.width,
            ))
        }))
    }

    /// The chunk holding byte `offset` (a line break counts with the line before it).
    fn chunk_at(&self, offset: usize) -> usize {
        self.chunks
            .partition_point(|chunk| chunk.end < offset)
            .min(self.chunks.len().saturating_sub(1))
    }

    /// Top of the row holding byte `offset`, in content coordinates.
    fn y_of(&self, ctx: &egui::Context, text: &str, offset: usize) -> f32 {
        self.caret_rect(ctx, text, offset).min.y
    }

    /// The caret's rectangle before byte `offset`, in content coordinates.
    fn caret_rect(&self, ctx: &egui::Context, text: &str, offset: usize) -> Rect {
        let index = self.chunk_at(offset);
        let (Some(chunk), Some(top)) = (self.chunks.get(index), self.tops.get(index)) else {
            return Rect::from_min_size(egui::Pos2::ZERO, vec2(0.0, 0.0));
        };
        let within = self.galley(ctx, text, index).map_or(
            Rect::from_min_size(egui::Pos2::ZERO, vec2(0.0, 0.0)),
            |galley| {
                let chunk_text = text.get(chunk.clone()).unwrap_or_default();
                let at = char_of_byte(chunk_text, offset.saturating_sub(chunk.start));
                galley.pos_from_cursor(egui::text::CCursor::new(at))
            },
        );
        within.translate(vec2(0.0, *top))
    }

    /// The byte offset under a point given in content coordinates.
    fn offset_at(&self, ctx: &egui::Context, text: &str, point: Vec2) -> usize {
        if point.y < 0.0 {
            return 0;
        }
        let index = self
            .tops
            .partition_point(|top| *top <= point.y)
            .saturating_sub(1)
            .min(self.chunks.len().saturating_sub(1));
        let (Some(chunk), Some(top)) = (self.chunks.get(index), self.tops.get(index)) else {
            return 0;
        };
        let Some(galley) = self.galley(ctx, text, index) else {
            return chunk.start;
        };
        let cursor = galley.cursor_from_pos(vec2(point.x, point.y - top));
        let chunk_text = text.get(chunk.clone()).unwrap_or_default();
        chunk.start + byte_of_char(chunk_text, cursor.index.0)
    }
}

/// Moves the caret, or with Shift grows the selection from it, for this frame's arrow keys,
/// Home and End (Ctrl with Left or Right moves by word). Returns where the caret went, if a
/// key moved it.
fn keyboard_selection(
    ctx: &egui::Context,
    text: &str,
    layout: &TextLayout,
    reader: &mut ReaderState,
) -> Option<usize> {
    use egui::{Key, Modifiers};
    let keys = [
        Key::ArrowLeft,
        Key::ArrowRight,
        Key::ArrowUp,
        Key::ArrowDown,
        Key::Home,
        Key::End,
    ];
    let pressed: Vec<(Key, Modifiers)> = ctx.input_mut(|i| {
        let mut pressed = Vec::new();
        i.events.retain(|event| match event {
            egui::Event::Key {
                key,
                pressed: true,
                modifiers,
                ..
            } if keys.contains(key) && !modifiers.alt => {
                pressed.push((*key, *modifiers));
                false
            }
            _ => true,
        });
        pressed
    });
    let mut moved = None;
    for (key, modifiers) in pressed {
        let (anchor, caret) = match reader.selection {
            Some(selection) => selection,
            None => {
                let at = reader.caret.unwrap_or(reader.top_offset);
                (at, at)
            }
        };
        let to = caret_moved(ctx, text, layout, caret, key, modifiers.command);
        if modifiers.shift {
            reader.selection = Some((anchor, to));
        } else {
            reader.selection = None;
        }
        reader.caret = Some(to);
        moved = Some(to);
    }
    moved
}

/// Where one key moves a caret at byte `caret` of `text`, always to a char boundary.
fn caret_moved(
    ctx: &egui::Context,
    text: &str,
    layout: &TextLayout,
    caret: usize,
    key: egui::Key,
    by_word: bool,
) -> usize {
    use egui::Key;
    let caret = caret.min(text.len());
    let before = text.get(..caret).unwrap_or_default();
    let after = text.get(caret..).unwrap_or_default();
    match key {
        Key::ArrowLeft if by_word => {
            let trimmed = before.trim_end();
            trimmed.rfind(char::is_whitespace).map_or(0, |at| {
                at + trimmed[at..].chars().next().map_or(1, char::len_utf8)
            })
        }
        Key::ArrowLeft => before.char_indices().next_back().map_or(0, |(at, _)| at),
        Key::ArrowRight if by_word => {
            let word_end = after
                .find(|c: char| !c.is_whitespace())
                .and_then(|start| {
                    after[start..]
                        .find(char::is_whitespace)
                        .map(|end| start + end)
                })
                .unwrap_or(after.len());
            caret + word_end
        }
        Key::ArrowRight => caret + after.chars().next().map_or(0, char::len_utf8),
        Key::Home => before.rfind('\n').map_or(0, |at| at + 1),
        Key::End => caret + after.find('\n').unwrap_or(after.len()),
        Key::ArrowUp | Key::ArrowDown => {
            let rect = layout.caret_rect(ctx, text, caret);
            let y = if key == Key::ArrowUp {
                rect.min.y - rect.height() / 2.0
            } else {
                rect.max.y + rect.height() / 2.0
            };
            if y < 0.0 {
                0
            } else {
                layout.offset_at(ctx, text, vec2(rect.min.x, y))
            }
        }
        _ => caret,
    }
}

/// The rectangles (relative to the galley) covering chars `from..to` of a galley.
fn row_rects(galley: &Galley, from: usize, to: usize) -> Vec<Rect> {
    let mut rects = Vec::new();
    let mut row_start = 0;
    for row in &galley.rows {
        let count = row.char_count_excluding_newline().0;
        let row_end = row_start + count;
        let (start, end) = (from.max(row_start), to.min(row_end));
        if start < end {
            let x0 = row.pos.x + row.x_offset(egui::text::CharIndex(start - row_start));
            let x1 = row.pos.x + row.x_offset(egui::text::CharIndex(end - row_start));
            rects.push(Rect::from_min_max(
                pos2(x0, row.min_y()),
                pos2(x1, row.max_y()),
            ));
        }
        row_start += row.char_count_including_newline().0;
    }
    rects
}

fn color_of(rgb: crate::palette::Rgb, alpha: u8) -> Color32 {
    Color32::from_rgba_unmultiplied(rgb.0, rgb.1, rgb.2, alpha)
}

/// Draws the text of `source` with its highlights and hits; drags select a passage,
/// a click on a highlight selects its cell.
pub(super) fn text_ui(
    ui: &mut Ui,
    source: &Source,
    reader: &mut ReaderState,
    hits: &[Range<usize>],
    highlights: &[Highlight],
    events: &mut Vec<AppEvent>,
) {
    let ctx = ui.ctx().clone();
    let font = egui::TextStyle::Body.resolve(ui.style());
    let color = ui.visuals().text_color();
    // Room for the scroll bar, so the text never runs under it.
    let width = (ui.available_width() - 18.0).max(60.0).floor();
    let key = reader
        .evidence
        .text_key(&source.id)
        .unwrap_or_else(|| text_key(&source.text));
    // While the panel's edge is dragged, the text keeps its wrapping: measuring a long
    // source again at every intermediate width would stall the drag. It re-wraps on release.
    let resizing = ctx.input(|i| i.pointer.any_down());
    let layout = match reader.layout.take() {
        Some(layout) if layout.fits(&source.id, key, width, &font, color) => layout,
        Some(layout) if resizing && layout.fits(&source.id, key, layout.width, &font, color) => {
            layout
        }
        _ => TextLayout::measure(&ctx, source, key, width, font, color),
    };
    let width = layout.width;
    let text = source.text.as_str();
    let mut area = egui::ScrollArea::vertical()
        .id_salt(("reader-text", source.id.as_str()))
        .auto_shrink(false);
    if let Some(offset) = reader.scroll_to.take() {
        let y = layout.y_of(&ctx, text, offset);
        let target = (y - ui.available_height() / 3.0).max(0.0);
        area = area.vertical_scroll_offset(target);
        reader.scrolled_to = Some((offset, None));
    }
    let current = reader.current_hit.and_then(|i| hits.get(i)).cloned();
    let selection = reader.selected_range();
    area.show_viewport(ui, |ui, viewport| {
        let (rect, _) = ui.allocate_exact_size(vec2(width, layout.total_height()), Sense::hover());
        let visible = viewport.translate(rect.min.to_vec2()).intersect(rect);
        let response = ui.interact(
            visible,
            ui.scope_id().with("reader-select"),
            Sense::click_and_drag() | Sense::FOCUSABLE,
        );
        // The text takes the keyboard when clicked or tabbed to: Shift+arrows then select
        // from the caret, as in any text, and Ctrl+E makes the passage evidence.
        if response.clicked() || response.drag_started() {
            response.request_focus();
        }
        if response.has_focus() {
            // The arrows move the caret here, not the keyboard focus to another widget.
            ui.memory_mut(|memory| {
                memory.set_focus_lock_filter(
                    response.id,
                    egui::EventFilter {
                        horizontal_arrows: true,
                        vertical_arrows: true,
                        ..Default::default()
                    },
                );
            });
            // Only a key that moved the caret scrolls, so the wheel still scrolls freely.
            if let Some(moved_to) = keyboard_selection(&ctx, text, &layout, reader) {
                let caret = layout.caret_rect(&ctx, text, moved_to);
                ui.scroll_to_rect(caret.translate(rect.min.to_vec2()).expand(8.0), None);
            }
            let at = reader
                .selection
                .map(|(_, end)| end)
                .or(reader.caret)
                .unwrap_or(reader.top_offset);
            let caret = layout
                .caret_rect(&ctx, text, at)
                .translate(rect.min.to_vec2());
            ui.painter_at(visible).vline(
                caret.min.x,
                caret.y_range(),
                egui::Stroke::new(2.0, ui.visuals().text_color()),
            );
        }
        if response.hovered() {
            ctx.set_cursor_icon(egui::CursorIcon::Text);
        }
        if response.drag_started()
            && let Some(press) = ctx.input(|i| i.pointer.press_origin())
        {
            let at = layout.offset_at(&ctx, text, press.to_vec2() - rect.min.to_vec2());
            reader.selection = Some((at, at));
        }
        if response.dragged()
            && let Some(pointer) = response.interact_pointer_pos()
        {
            let at = layout.offset_at(&ctx, text, pointer.to_vec2() - rect.min.to_vec2());
            if let Some((_, end)) = &mut reader.selection {
                *end = at;
            }
            // Dragging past the top or bottom edge scrolls, so a passage can run on.
            let edge = 24.0;
            let speed = if pointer.y > visible.bottom() - edge {
                -(pointer.y - (visible.bottom() - edge)).min(edge)
            } else if pointer.y < visible.top() + edge {
                (visible.top() + edge - pointer.y).min(edge)
            } else {
                0.0
            };
            if speed != 0.0 {
                ui.scroll_with_delta(vec2(0.0, speed));
                ctx.request_repaint();
            }
        }
        if response.clicked() {
            reader.selection = None;
            // The caret goes where the click was, for Shift+arrows to select from.
            reader.caret = response.interact_pointer_pos().map(|pointer| {
                layout.offset_at(&ctx, text, pointer.to_vec2() - rect.min.to_vec2())
            });
        }
        let painter = ui.painter_at(visible);
        let first = layout
            .tops
            .partition_point(|top| *top <= viewport.min.y)
            .saturating_sub(1);
        // Where the eye is: the place scrolled to while the view stays there, else the line a
        // third down the view, where scroll targets land.
        reader.top_offset = match reader.scrolled_to {
            // The first frame after the scroll shows where it landed (a short text stops
            // early); the place holds until the view moves from there.
            Some((offset, None)) => {
                reader.scrolled_to = Some((offset, Some(viewport.min.y)));
                offset
            }
            Some((offset, Some(landed))) if (viewport.min.y - landed).abs() < 1.0 => offset,
            _ => {
                reader.scrolled_to = None;
                let focus_y = viewport.min.y + viewport.height() / 3.0;
                let focus = layout
                    .tops
                    .partition_point(|top| *top <= focus_y)
                    .saturating_sub(1);
                layout.chunks.get(focus).map_or(0, |chunk| chunk.start)
            }
        };
        let selection_fill = ui.visuals().selection.bg_fill.gamma_multiply(0.6);
        for index in first..layout.chunks.len() {
            let (Some(chunk), Some(&top)) = (layout.chunks.get(index), layout.tops.get(index))
            else {
                break;
            };
            if top > viewport.max.y {
                break;
            }
            let Some(galley) = layout.galley(&ctx, text, index) else {
                continue;
            };
            let origin = rect.min + vec2(0.0, top);
            let chunk_text = text.get(chunk.clone()).unwrap_or_default();
            // Each chunk in view is a labelled node, so screen readers (and tests) find it; made
            // before the highlights, which lie on top of it and take the pointer.
            let node = ui.interact(
                Rect::from_min_size(origin, galley.size()),
                ui.scope_id().with(("reader-chunk", index)),
                Sense::hover(),
            );
            node.widget_info(|| egui::WidgetInfo::labeled(egui::Role::Label, true, chunk_text));
            let chars_of = |range: &Range<usize>| -> Option<(usize, usize)> {
                let start = range.start.max(chunk.start);
                let end = range.end.min(chunk.end);
                (start < end).then(|| {
                    (
                        char_of_byte(chunk_text, start - chunk.start),
                        char_of_byte(chunk_text, end - chunk.start),
                    )
                })
            };
            for highlight in highlights {
                let Some((from, to)) = chars_of(&highlight.range) else {
                    continue;
                };
                let fill = crate::palette::assessment_fill(highlight.assessment);
                for (row, row_rect) in row_rects(&galley, from, to).into_iter().enumerate() {
                    let on_screen = row_rect.translate(origin.to_vec2());
                    painter.rect_filled(on_screen, 0.0, color_of(fill, 60));
                    painter.hline(
                        on_screen.x_range(),
                        on_screen.bottom() - 1.0,
                        egui::Stroke::new(2.0, color_of(fill, 255)),
                    );
                    let first_row = row == 0 && highlight.range.start >= chunk.start;
                    highlight_widget_ui(ui, on_screen, highlight, first_row, index, row, events);
                }
            }
            let first_hit = hits.partition_point(|hit| hit.end <= chunk.start);
            for hit in hits.get(first_hit..).unwrap_or_default() {
                if hit.start >= chunk.end {
                    break;
                }
                let Some((from, to)) = chars_of(hit) else {
                    continue;
                };
                let fill = if current.as_ref() == Some(hit) {
                    color_of(okabe_ito::ORANGE, 170)
                } else {
                    color_of(okabe_ito::YELLOW, 130)
                };
                for row_rect in row_rects(&galley, from, to) {
                    painter.rect_filled(row_rect.translate(origin.to_vec2()), 2.0, fill);
                }
            }
            if let Some((from, to)) = selection.as_ref().and_then(chars_of) {
                for row_rect in row_rects(&galley, from, to) {
                    painter.rect_filled(row_rect.translate(origin.to_vec2()), 0.0, selection_fill);
                }
            }
            painter.galley(origin, galley, color);
        }
    });
    reader.layout = Some(layout);
}

/// A clickable highlight row: selects the cell whose excerpt it is. Its first row carries
/// the accessible name "Quote for ‹agreement› / ‹element› (‹excerpt id›)".
pub(super) fn highlight_widget_ui(
    ui: &mut Ui,
    rect: Rect,
    highlight: &Highlight,
    labelled: bool,
    chunk: usize,
    row: usize,
    events: &mut Vec<AppEvent>,
) {
    let id = ui.scope_id().with((
        "reader-highlight",
        highlight.excerpt.as_str(),
        highlight.agreement.as_str(),
        highlight.element.as_str(),
        chunk,
        row,
    ));
    let response = ui.interact(rect, id, Sense::click()).on_hover_text(format!(
        "{}: {}. Click to select the cell.",
        highlight.cell_name,
        highlight.assessment.label()
    ));
    if labelled {
        let name = highlight_label(highlight);
        response.widget_info(|| egui::WidgetInfo::labeled(egui::Role::Link, true, &name));
    }
    if response.hovered() {
        ui.ctx().set_cursor_icon(egui::CursorIcon::PointingHand);
    }
    if response.clicked() {
        events.push(AppEvent::ShowCell {
            agreement: highlight.agreement.clone(),
            element: highlight.element.clone(),
        });
    }
}

/// The accessible name of an excerpt's highlight.
pub fn highlight_label(highlight: &Highlight) -> String {
    format!("Quote for {} ({})", highlight.cell_name, highlight.excerpt)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chunks_cover_every_byte_but_line_breaks_in_order() {
        let long: String = "word ".repeat(700);
        let text = format!("Title\n\n{long}\nlast é line\x0cpage two");
        let chunks = chunks_of(&text);
        let mut rebuilt = String::new();
        let mut previous_end = 0;
        for chunk in &chunks {
            assert!(chunk.start >= previous_end);
            assert!(chunk.end - chunk.start <= MAX_CHUNK);
            let gap = &text[previous_end..chunk.start];
            assert!(
                gap.is_empty() || gap == "\n",
                "only line breaks fall between chunks"
            );
            rebuilt.push_str(gap);
            rebuilt.push_str(&text[chunk.clone()]);
            previous_end = chunk.end;
        }
        assert_eq!(rebuilt, text);
        assert!(chunks.len() > 4, "the long line is cut: {}", chunks.len());
    }

    #[test]
    fn char_and_byte_offsets_convert_both_ways() {
        let chunk = "Zürich « quote »";
        for (char_index, (byte, _)) in chunk.char_indices().enumerate() {
            assert_eq!(char_of_byte(chunk, byte), char_index);
            assert_eq!(byte_of_char(chunk, char_index), byte);
        }
        assert_eq!(byte_of_char(chunk, 999), chunk.len());
        assert_eq!(display_text("a\x0cb\r").chars().count(), 4);
    }
}
