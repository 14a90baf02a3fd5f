//! Painting one frame of the grid: the visible cells, the frozen names and header, and an
//! AccessKit node per cell, row and column so screen readers and tests find them by name.

use super::super::palette_ui::{assessment_fill, assessment_text};
use super::super::view::{Block, ViewState};
use super::menus::header_label;
use super::{
    BAND_HEIGHT, BLOCK_RING_WIDTH, FILTER_MARK_COLOR, GridInput, HEADER_HEIGHT, MARKS_HEIGHT,
    ROW_HEIGHT,
};
use crate::model::text::counted;
use crate::model::{Agreement, Assessment, Cell, Element, Framework, ReviewStatus};
use egui::text::{LayoutJob, TextWrapping};
use egui::{
    Align2, Color32, FontId, Pos2, Rect, Stroke, StrokeKind, TextFormat, Ui, Visuals, accesskit,
    pos2, vec2,
};
use std::ops::Range;

/// What every part of one frame's painting shares: where the viewport is, which rows and
/// columns it shows, and what is selected.
pub(super) struct GridFrame {
    pub painter: egui::Painter,
    pub visuals: Visuals,
    /// The scroll content's top-left on screen.
    pub origin: Pos2,
    /// The visible part of the scroll content, in content coordinates.
    pub viewport: Rect,
    /// The same, on screen.
    pub visible: Rect,
    pub grid_id: egui::Id,
    pub widths: super::Widths,
    pub rows: Range<usize>,
    pub columns: Range<usize>,
    pub selected: Option<(usize, usize)>,
    /// A block of more than one cell.
    pub block: Option<Block>,
}

impl GridFrame {
    /// A content position on screen.
    pub fn screen(&self, p: Pos2) -> Pos2 {
        self.origin + p.to_vec2()
    }

    fn in_block(&self, r: usize, c: usize) -> bool {
        self.block.is_some_and(|b| b.contains(r, c))
    }
}

/// Names looked up once a frame for the shown rows and columns, so no per-cell code scans the
/// project: with AccessKit on, each cell's label needs both names.
pub(super) struct ShownNames<'p> {
    pub agreements: Vec<Option<&'p Agreement>>,
    pub elements: Vec<Option<(&'p Framework, &'p Element)>>,
    pub element_names: Vec<Option<String>>,
}

impl<'p> ShownNames<'p> {
    pub fn look_up(frame: &GridFrame, input: &GridInput<'p>, view: &ViewState) -> Self {
        let project = input.project;
        let agreements = frame
            .rows
            .clone()
            .map(|r| view.agreement_in(project, &input.rows[r]))
            .collect();
        let elements: Vec<_> = frame
            .columns
            .clone()
            .map(|c| project.element(&input.columns[c]))
            .collect();
        let element_names = elements
            .iter()
            .map(|found| found.map(|(_, e)| e.display_name()))
            .collect();
        Self {
            agreements,
            elements,
            element_names,
        }
    }
}

/// One frame's painting: the frame, what is shown, and the names looked up for it.
pub(super) struct Painting<'a, 'p> {
    pub ui: &'a Ui,
    pub frame: &'a GridFrame,
    pub input: &'a GridInput<'p>,
    pub view: &'a ViewState,
    pub names: ShownNames<'p>,
}

impl Painting<'_, '_> {
    /// Paints the visible cells, the block's outline and each cell's AccessKit node.
    pub fn cells(&self) {
        let Self {
            ui,
            frame,
            input,
            view,
            names,
        } = self;
        let project = input.project;
        let (painter, visuals) = (&frame.painter, &frame.visuals);
        let letter_font = FontId::proportional(13.0);
        // A ring inside each cell of the block, never over the letter, so it keeps its contrast.
        let block_tint = visuals.selection.bg_fill.linear_multiply(0.8);
        for (r, shown_agreement) in frame.rows.clone().zip(&names.agreements) {
            let agreement = &input.rows[r];
            let row = project.cells.row(agreement);
            let name = shown_agreement.map_or("?", |a| a.short_name.as_str());
            for (c, element_name) in frame.columns.clone().zip(&names.element_names) {
                let element = &input.columns[c];
                let cell = row.and_then(|row| row.get(element));
                let rect = Rect::from_min_size(
                    frame.screen(pos2(
                        frame.widths.names + c as f32 * frame.widths.column,
                        HEADER_HEIGHT + r as f32 * ROW_HEIGHT,
                    )),
                    vec2(frame.widths.column, ROW_HEIGHT),
                );
                paint_cell(
                    painter,
                    rect.shrink(1.0),
                    cell,
                    view.highlight_incomplete,
                    view.query.review,
                    &letter_font,
                );
                let in_block = frame.in_block(r, c);
                if in_block {
                    painter.rect_stroke(
                        rect,
                        0.0,
                        Stroke::new(BLOCK_RING_WIDTH, block_tint),
                        StrokeKind::Inside,
                    );
                }
                let is_selected = frame.selected == Some((r, c));
                if is_selected {
                    painter.rect_stroke(
                        rect.shrink(0.5),
                        2.0,
                        Stroke::new(2.5, visuals.strong_text_color()),
                        StrokeKind::Inside,
                    );
                }
                ui.ctx()
                    .accesskit_node_builder(frame.grid_id.with((r, c)), |node| {
                        let element_name = element_name.as_deref().unwrap_or("");
                        let assessment = cell.map_or(Assessment::NotAssessed, |c| c.assessment);
                        node.set_role(accesskit::Role::Cell);
                        node.set_label(format!("{name} / {element_name}: {}", assessment.label()));
                        node.set_bounds(accesskit_rect(rect));
                        node.add_action(accesskit::Action::Click);
                        if is_selected || in_block {
                            node.set_selected(true);
                        }
                    });
            }
        }
        if let Some(block) = frame.block {
            let top_left = frame.screen(pos2(
                frame.widths.names + block.columns.0 as f32 * frame.widths.column,
                HEADER_HEIGHT + block.rows.0 as f32 * ROW_HEIGHT,
            ));
            let outline = Rect::from_min_size(
                top_left,
                vec2(
                    block.width() as f32 * frame.widths.column,
                    block.height() as f32 * ROW_HEIGHT,
                ),
            );
            painter.rect_stroke(
                outline,
                0.0,
                Stroke::new(2.0, visuals.selection.stroke.color),
                StrokeKind::Inside,
            );
        }
    }

    /// Paints the frozen first column: the agreements' names.
    pub fn row_names(&self) {
        let Self {
            ui,
            frame,
            input,
            view,
            names,
        } = self;
        let (painter, visuals) = (&frame.painter, &frame.visuals);
        let name_font = FontId::proportional(13.0);
        let viewport = frame.viewport;
        for (r, agreement) in frame.rows.clone().zip(names.agreements.iter().copied()) {
            let rect = Rect::from_min_size(
                frame.screen(pos2(viewport.min.x, HEADER_HEIGHT + r as f32 * ROW_HEIGHT)),
                vec2(frame.widths.names, ROW_HEIGHT),
            );
            let row_selected = frame.selected.is_some_and(|(sr, _)| sr == r)
                || frame
                    .block
                    .is_some_and(|b| (b.rows.0..=b.rows.1).contains(&r))
                || (view.selection.element.is_none()
                    && view.selection.agreement.as_ref() == Some(&input.rows[r]));
            let fill = if row_selected {
                visuals.selection.bg_fill
            } else {
                visuals.panel_fill
            };
            painter.rect_filled(rect, 0.0, fill);
            let text_color = if row_selected {
                visuals.selection.stroke.color
            } else {
                visuals.text_color()
            };
            let name = agreement.map_or("(missing)", |a| a.short_name.as_str());
            let galley = painter.layout_job(one_line(
                name,
                name_font.clone(),
                text_color,
                frame.widths.names - 10.0,
            ));
            painter.galley(
                pos2(rect.min.x + 6.0, rect.center().y - galley.size().y / 2.0),
                galley,
                text_color,
            );
            painter.hline(
                rect.x_range(),
                rect.max.y - 0.5,
                Stroke::new(0.5, visuals.widgets.noninteractive.bg_stroke.color),
            );
            ui.ctx()
                .accesskit_node_builder(frame.grid_id.with(("row", r)), |node| {
                    node.set_role(accesskit::Role::RowHeader);
                    node.set_label(name);
                    node.set_bounds(accesskit_rect(rect));
                    node.add_action(accesskit::Action::Click);
                });
        }
        painter.vline(
            frame
                .screen(pos2(viewport.min.x + frame.widths.names, 0.0))
                .x
                - 0.5,
            frame.visible.y_range(),
            Stroke::new(1.0, visuals.widgets.noninteractive.bg_stroke.color),
        );
    }

    /// Paints the frozen header: framework bands over rotated element names, with each column's
    /// sort and filter marks, and the corner's counts.
    pub fn header(&self) {
        let Self {
            ui,
            frame,
            input,
            view,
            names,
        } = self;
        let (painter, visuals) = (&frame.painter, &frame.visuals);
        let (visible, column_width) = (frame.visible, frame.widths.column);
        let header_font = FontId::proportional(12.0);
        let header_top = frame.screen(pos2(0.0, frame.viewport.min.y)).y;
        let header_bg = Rect::from_min_max(
            pos2(visible.min.x, header_top),
            pos2(visible.max.x, header_top + HEADER_HEIGHT),
        );
        painter.rect_filled(header_bg, 0.0, visuals.panel_fill);
        let mut band_start = frame.columns.start;
        for ((c, element), name) in frame
            .columns
            .clone()
            .zip(names.elements.iter().copied())
            .zip(&names.element_names)
        {
            let x = frame
                .screen(pos2(frame.widths.names + c as f32 * column_width, 0.0))
                .x;
            let column_rect = Rect::from_min_size(
                pos2(x, header_top + BAND_HEIGHT),
                vec2(column_width, HEADER_HEIGHT - BAND_HEIGHT),
            );
            let is_selected_column = frame.selected.is_some_and(|(_, sc)| sc == c)
                || frame
                    .block
                    .is_some_and(|b| (b.columns.0..=b.columns.1).contains(&c))
                || (view.selection.agreement.is_none()
                    && view.selection.element.as_ref() == Some(&input.columns[c]));
            if is_selected_column {
                painter.rect_filled(column_rect, 0.0, visuals.selection.bg_fill);
            }
            let text_color = if is_selected_column {
                visuals.selection.stroke.color
            } else {
                visuals.text_color()
            };
            let name = name.as_deref().unwrap_or("(missing)");
            let sort_mark = view.query.sort_mark(&input.columns[c]);
            let filtered = view.query.column_filters.contains_key(&input.columns[c]);
            let label = header_label(name, sort_mark, filtered);
            // The marks sit upright above the rotated name, so they read at a glance.
            let marks_height = if sort_mark.is_some() || filtered {
                MARKS_HEIGHT
            } else {
                0.0
            };
            if let Some(mark) = sort_mark {
                painter.text(
                    pos2(x + column_width / 2.0, header_top + BAND_HEIGHT + 2.0),
                    Align2::CENTER_TOP,
                    mark,
                    FontId::proportional(13.0),
                    visuals.strong_text_color(),
                );
            }
            if filtered {
                // On the selection's fill the blue would vanish; the text colour shows there.
                let mark_color = if is_selected_column {
                    text_color
                } else {
                    FILTER_MARK_COLOR
                };
                let bar = Rect::from_min_size(
                    pos2(x + 3.0, header_top + HEADER_HEIGHT - 4.0),
                    vec2(column_width - 6.0, 3.0),
                );
                painter.rect_filled(bar, 1.0, mark_color);
                paint_funnel(
                    painter,
                    pos2(x + column_width / 2.0, header_top + BAND_HEIGHT + 18.0),
                    mark_color,
                );
            }
            let galley = painter.layout_job(two_lines(
                name,
                header_font.clone(),
                text_color,
                HEADER_HEIGHT - BAND_HEIGHT - 10.0 - marks_height,
            ));
            let anchor = pos2(
                x + (column_width - galley.size().y) / 2.0,
                header_top + HEADER_HEIGHT - 5.0,
            );
            painter.add(
                egui::epaint::TextShape::new(anchor, galley, text_color)
                    .with_angle(-std::f32::consts::FRAC_PI_2),
            );
            painter.vline(
                x,
                column_rect.y_range(),
                Stroke::new(0.5, visuals.widgets.noninteractive.bg_stroke.color),
            );
            ui.ctx()
                .accesskit_node_builder(frame.grid_id.with(("column", c)), |node| {
                    node.set_role(accesskit::Role::ColumnHeader);
                    node.set_label(label.clone());
                    node.set_bounds(accesskit_rect(column_rect));
                    node.add_action(accesskit::Action::Click);
                });
            // Close a band where the framework changes or the visible columns end.
            let framework_here = element.map(|(f, _)| &f.id);
            let next_framework = names
                .elements
                .get(c + 1 - frame.columns.start)
                .copied()
                .flatten()
                .map(|(f, _)| &f.id);
            if next_framework != framework_here {
                let x0 = frame
                    .screen(pos2(
                        frame.widths.names + band_start as f32 * column_width,
                        0.0,
                    ))
                    .x;
                let band = Rect::from_min_max(
                    pos2(x0, header_top),
                    pos2(x + column_width, header_top + BAND_HEIGHT),
                )
                .shrink2(vec2(1.0, 2.0));
                painter.rect_filled(
                    band,
                    3.0,
                    visuals
                        .faint_bg_color
                        .gamma_multiply(1.0)
                        .lerp_to_gamma(visuals.selection.bg_fill, 0.35),
                );
                let name = element.map_or("", |(f, _)| f.name.as_str());
                let galley = painter.layout_job(one_line(
                    name,
                    header_font.clone(),
                    visuals.strong_text_color(),
                    band.width() - 8.0,
                ));
                painter.galley(
                    pos2(band.min.x + 4.0, band.center().y - galley.size().y / 2.0),
                    galley,
                    visuals.strong_text_color(),
                );
                band_start = c + 1;
            }
        }
        painter.hline(
            visible.x_range(),
            header_top + HEADER_HEIGHT - 0.5,
            Stroke::new(1.0, visuals.widgets.noninteractive.bg_stroke.color),
        );
        // Corner above the names.
        let corner = Rect::from_min_size(
            pos2(visible.min.x, header_top),
            vec2(frame.widths.names, HEADER_HEIGHT),
        );
        painter.rect_filled(corner, 0.0, visuals.panel_fill);
        let summary = format!(
            "{}\n{}",
            counted(input.rows.len(), "agreement", "agreements"),
            counted(input.columns.len(), "element", "elements")
        );
        painter.text(
            corner.left_bottom() + vec2(6.0, -6.0),
            Align2::LEFT_BOTTOM,
            summary,
            FontId::proportional(12.0),
            visuals.weak_text_color(),
        );
    }
}

/// A small funnel, the usual sign of a filtered column (no font glyph is relied on).
fn paint_funnel(painter: &egui::Painter, top_center: Pos2, color: Color32) {
    let Pos2 { x, y } = top_center;
    painter.add(egui::Shape::convex_polygon(
        vec![
            pos2(x - 5.0, y),
            pos2(x + 5.0, y),
            pos2(x + 1.0, y + 5.0),
            pos2(x - 1.0, y + 5.0),
        ],
        color,
        Stroke::NONE,
    ));
    painter.rect_filled(
        Rect::from_min_max(pos2(x - 1.0, y + 5.0), pos2(x + 1.0, y + 9.0)),
        0.0,
        color,
    );
}

fn paint_cell(
    painter: &egui::Painter,
    rect: Rect,
    cell: Option<&Cell>,
    highlight: bool,
    review_focus: Option<ReviewStatus>,
    font: &FontId,
) {
    let assessment = cell.map_or(Assessment::NotAssessed, |c| c.assessment);
    let status = cell.map_or(ReviewStatus::Draft, |c| c.review);
    let incomplete = is_incomplete(assessment, status);
    let mut fill = assessment_fill(assessment);
    // Dim what the reviewer is not looking for, so the matching cells stand out.
    if (highlight && !incomplete) || review_focus.is_some_and(|focus| focus != status) {
        fill = fill.gamma_multiply(0.35);
    }
    painter.rect_filled(rect, 2.0, fill);
    painter.text(
        rect.center(),
        Align2::CENTER_CENTER,
        assessment.letter(),
        font.clone(),
        assessment_text(assessment),
    );
    if let Some(cell) = cell {
        if !cell.note.is_empty() || !cell.evidence.is_empty() {
            // A small corner mark, in the letter's colour so it shows on every fill:
            // this cell has a note or quote to read.
            let corner = rect.right_top();
            painter.add(egui::Shape::convex_polygon(
                vec![corner, corner + vec2(-8.0, 0.0), corner + vec2(0.0, 8.0)],
                assessment_text(assessment),
                Stroke::NONE,
            ));
        }
        if cell.review == ReviewStatus::NeedsReview {
            // A corner mark opposite the note mark: someone asked for a second look.
            let corner = rect.left_bottom();
            painter.add(egui::Shape::convex_polygon(
                vec![corner, corner + vec2(0.0, -8.0), corner + vec2(8.0, 0.0)],
                crate::ui::palette_ui::NEEDS_REVIEW_MARK,
                Stroke::NONE,
            ));
        }
        if cell.review == ReviewStatus::Disputed {
            // As bold as the letter: a thick frame and a filled corner flag, in a colour no
            // assessment uses, so a disputed cell is seen at a glance.
            painter.rect_stroke(
                rect,
                2.0,
                Stroke::new(3.0, crate::ui::palette_ui::DISPUTED_MARK),
                StrokeKind::Inside,
            );
            // A dark hairline inside the frame separates it from any fill.
            painter.rect_stroke(
                rect.shrink(3.0),
                1.0,
                Stroke::new(1.0, Color32::from_black_alpha(170)),
                StrokeKind::Inside,
            );
            let corner = rect.left_top();
            painter.add(egui::Shape::convex_polygon(
                vec![corner, corner + vec2(12.0, 0.0), corner + vec2(0.0, 12.0)],
                crate::ui::palette_ui::DISPUTED_MARK,
                Stroke::new(1.0, Color32::from_black_alpha(170)),
            ));
        }
    }
    if highlight && incomplete {
        painter.rect_stroke(
            rect,
            2.0,
            Stroke::new(2.0, crate::ui::palette_ui::INCOMPLETE_MARK),
            StrokeKind::Inside,
        );
    }
}

/// What *Highlight incomplete cells* outlines: a cell with no assessment yet, or one someone
/// flagged (Needs review, Disputed). An assessed Draft cell is done as far as anyone has said.
pub fn is_incomplete(assessment: Assessment, status: ReviewStatus) -> bool {
    assessment == Assessment::NotAssessed
        || matches!(status, ReviewStatus::NeedsReview | ReviewStatus::Disputed)
}

fn one_line(text: &str, font: FontId, color: Color32, width: f32) -> LayoutJob {
    let mut job = LayoutJob::simple_singleline(text.to_owned(), font, color);
    job.wrap = TextWrapping {
        max_width: width,
        max_rows: 1,
        break_anywhere: true,
        overflow_character: Some('…'),
    };
    job
}

fn two_lines(text: &str, font: FontId, color: Color32, width: f32) -> LayoutJob {
    let mut job = LayoutJob::default();
    job.append(text, 0.0, TextFormat::simple(font, color));
    job.wrap = TextWrapping {
        max_width: width,
        max_rows: 2,
        break_anywhere: false,
        overflow_character: Some('…'),
    };
    job
}

fn accesskit_rect(rect: Rect) -> accesskit::Rect {
    accesskit::Rect {
        x0: rect.min.x.into(),
        y0: rect.min.y.into(),
        x1: rect.max.x.into(),
        y1: rect.max.y.into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn incomplete_means_not_assessed_or_flagged_never_an_assessed_draft() {
        assert!(is_incomplete(
            Assessment::NotAssessed,
            ReviewStatus::Reviewed
        ));
        assert!(is_incomplete(Assessment::Yes, ReviewStatus::NeedsReview));
        assert!(is_incomplete(Assessment::No, ReviewStatus::Disputed));
        assert!(!is_incomplete(Assessment::Yes, ReviewStatus::Draft));
        assert!(!is_incomplete(Assessment::Indirect, ReviewStatus::Reviewed));
    }
}
