//! The agreements × elements grid. Cells are painted directly (one rectangle and one glyph each)
//! and only the visible rows *and* columns are drawn, with one interaction for the whole grid, so
//! a frame costs the same for 20 rows or 10,000. Each visible cell still gets an AccessKit node
//! ("Paris Call / Reference to Human Rights: Yes") for screen readers and tests.

use super::actions::Action;
use super::events::AppEvent;
use super::palette_ui::{assessment_fill, assessment_text};
use super::view::{Block, ContextTarget, ViewState};
use crate::model::text::counted;
use crate::model::{
    Agreement, AgreementId, Assessment, Cell, Element, ElementId, Framework, Project, ReviewStatus,
};
use egui::text::{LayoutJob, TextWrapping};
use egui::{
    Align2, Color32, FontId, Key, Pos2, Rect, Sense, Stroke, StrokeKind, TextFormat, Ui, Vec2,
    accesskit, pos2, vec2,
};

/// Width of the frozen column of agreement names.
pub const FIRST_COLUMN_WIDTH: f32 = 176.0;
/// Width of one element column (its narrowest; wide windows get wider columns).
pub const COLUMN_WIDTH: f32 = 34.0;
/// Widest an element column grows when the window has room to spare.
pub const MAX_COLUMN_WIDTH: f32 = 48.0;
/// Height of one agreement row.
pub const ROW_HEIGHT: f32 = 22.0;
/// Height of the band naming each framework.
const BAND_HEIGHT: f32 = 20.0;
/// Room at the top of a header for its sort and filter marks.
const MARKS_HEIGHT: f32 = 30.0;
/// Colour of the mark on a filtered column's header (Okabe–Ito blue, readable on light and dark).
const FILTER_MARK_COLOR: Color32 = super::palette_ui::FILTER_MARK;
/// Width of the tinted ring that marks each cell of a selected block.
const BLOCK_RING_WIDTH: f32 = 4.0;
/// Height of the header, band included.
pub const HEADER_HEIGHT: f32 = 178.0;

/// Where a grid click landed.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Hit {
    Cell(usize, usize),
    RowHeader(usize),
    ColumnHeader(usize),
    Nothing,
}

/// What the grid needs to draw one frame.
pub struct GridInput<'a> {
    pub project: &'a Project,
    pub rows: &'a [AgreementId],
    pub columns: &'a [ElementId],
    /// False while a dialog is open: keys belong to the dialog, not the grid.
    pub takes_keys: bool,
}

/// Draws the grid and turns clicks and keys into events.
pub fn grid_ui(
    ui: &mut Ui,
    input: &GridInput<'_>,
    view: &mut ViewState,
    events: &mut Vec<AppEvent>,
) {
    let (n_rows, n_cols) = (input.rows.len(), input.columns.len());
    if n_cols == 0 {
        ui.centered_and_justified(|ui| {
            ui.label("No frameworks are shown. Choose some in View → Frameworks.");
        });
        return;
    }
    keyboard(ui, input, view, events);
    unassessed_frameworks_ui(ui, input);
    let column_width = column_width_for(ui.available_width(), n_cols);

    let content = vec2(
        FIRST_COLUMN_WIDTH + n_cols as f32 * column_width,
        HEADER_HEIGHT + n_rows as f32 * ROW_HEIGHT,
    );
    let mut area = egui::ScrollArea::both()
        .id_salt("grid")
        .auto_shrink([false, false]);
    if let Some(offset) = pending_scroll(input, view, column_width) {
        area = area.scroll_offset(offset);
    }
    let output = area.show_viewport(ui, |ui, viewport| {
        ui.set_min_size(content);
        paint_and_interact(ui, input, view, events, viewport, column_width);
    });
    view.grid_offset = output.state.clamped_offset();
    view.grid_viewport = output.inner_rect.size();
}

/// Column width for a grid `width` wide with `n_cols` columns: wider columns while they all
/// fit (a 1920-wide window), never narrower than [`COLUMN_WIDTH`], so big projects scroll.
pub fn column_width_for(width: f32, n_cols: usize) -> f32 {
    // Room for the names and the vertical scroll bar.
    let spare = width - FIRST_COLUMN_WIDTH - 16.0;
    (spare / n_cols.max(1) as f32).clamp(COLUMN_WIDTH, MAX_COLUMN_WIDTH)
}

/// Narrowest a side panel gets.
pub const SIDE_PANEL_MIN_WIDTH: f32 = 200.0;

/// Width the grid needs to show the names and every shown column of the first framework (the
/// key elements), with room for the scroll bar.
pub fn key_columns_width(project: &Project, columns: &[ElementId]) -> f32 {
    let key_columns = project.frameworks.first().map_or(0, |framework| {
        framework
            .elements
            .iter()
            .filter(|e| columns.contains(&e.id))
            .count()
    });
    FIRST_COLUMN_WIDTH + key_columns as f32 * COLUMN_WIDTH + 16.0
}

/// The widest each of `panels` open side panels may be, so `grid_width` stays for the grid.
pub fn side_panel_max_width(window_width: f32, grid_width: f32, panels: usize) -> f32 {
    let spare = (window_width - grid_width).max(0.0);
    (spare / panels.max(1) as f32).max(SIDE_PANEL_MIN_WIDTH)
}

/// Says which shown frameworks no agreement is assessed against yet, with the framework's own
/// description, so a block of empty columns reads as "not mapped", not as "all No".
fn unassessed_frameworks_ui(ui: &mut Ui, input: &GridInput<'_>) {
    for framework in unassessed_frameworks(input.project, input.columns) {
        let mut text = unassessed_framework_note(&framework.name);
        if !framework.description.trim().is_empty() {
            text.push_str(" · ");
            text.push_str(framework.description.trim());
        }
        ui.add(egui::Label::new(egui::RichText::new(text).italics()).truncate())
            .on_hover_text(format!(
                "Every cell in the {} columns is \"not assessed\": this project has not mapped \
                 its agreements against them. Set a cell (Y, I or N) to start.",
                framework.name
            ));
    }
}

/// The note shown above the grid for a framework no agreement is assessed against.
pub fn unassessed_framework_note(framework_name: &str) -> String {
    format!("No agreement is assessed against {framework_name} yet")
}

/// The frameworks with a shown column in which every agreement is not assessed. Stops at the
/// first assessed cell, so a mapped framework costs a few lookups, not a scan.
pub fn unassessed_frameworks<'p>(
    project: &'p Project,
    columns: &[ElementId],
) -> Vec<&'p Framework> {
    if project.agreements.is_empty() {
        return Vec::new();
    }
    project
        .frameworks
        .iter()
        .filter(|framework| {
            let shown: Vec<&ElementId> = framework
                .elements
                .iter()
                .map(|e| &e.id)
                .filter(|id| columns.contains(id))
                .collect();
            !shown.is_empty()
                && project.agreements.iter().all(|agreement| {
                    shown.iter().all(|element| {
                        project.assessment(&agreement.id, element) == Assessment::NotAssessed
                    })
                })
        })
        .collect()
}

fn paint_and_interact(
    ui: &mut Ui,
    input: &GridInput<'_>,
    view: &mut ViewState,
    events: &mut Vec<AppEvent>,
    viewport: Rect,
    column_width: f32,
) {
    let project = input.project;
    let (n_rows, n_cols) = (input.rows.len(), input.columns.len());
    let origin = ui.max_rect().min;
    let screen = |p: Pos2| origin + p.to_vec2();
    let visible = Rect::from_min_size(screen(viewport.min), viewport.size());
    let grid_id = ui.scope_id().with("cells");
    let response = ui.interact(visible, grid_id, Sense::click_and_drag());

    let row_range = visible_range(
        viewport.min.y - HEADER_HEIGHT,
        viewport.max.y - HEADER_HEIGHT,
        ROW_HEIGHT,
        n_rows,
    );
    let col_range = visible_range(
        viewport.min.x - FIRST_COLUMN_WIDTH,
        viewport.max.x - FIRST_COLUMN_WIDTH,
        column_width,
        n_cols,
    );
    let painter = ui.painter_at(visible);
    let style = ui.style().clone();
    let visuals = &style.visuals;
    let letter_font = FontId::proportional(13.0);
    let name_font = FontId::proportional(13.0);
    let header_font = FontId::proportional(12.0);
    let highlight = view.highlight_incomplete;
    let selected = view.selected_indices(input.rows, input.columns);
    let block = view
        .selected_block(input.rows, input.columns)
        .filter(|b| !b.is_single_cell());
    let in_block = |r: usize, c: usize| block.is_some_and(|b| b.contains(r, c));
    // A ring inside each cell of the block, never over the letter, so it keeps its contrast.
    let block_tint = visuals.selection.bg_fill.linear_multiply(0.8);

    // Looked up once a frame for the shown rows and columns, so no per-cell code scans the
    // project: with AccessKit on, each cell's label needs both names.
    let shown_agreements: Vec<Option<&Agreement>> = row_range
        .clone()
        .map(|r| view.agreement_in(project, &input.rows[r]))
        .collect();
    let shown_elements: Vec<Option<(&Framework, &Element)>> = col_range
        .clone()
        .map(|c| project.element(&input.columns[c]))
        .collect();
    let element_names: Vec<Option<String>> = shown_elements
        .iter()
        .map(|found| found.map(|(_, e)| e.display_name()))
        .collect();

    // Cells.
    for (r, shown_agreement) in row_range.clone().zip(&shown_agreements) {
        let agreement = &input.rows[r];
        let row = project.cells.row(agreement);
        let name = shown_agreement.map_or("?", |a| a.short_name.as_str());
        for (c, element_name) in col_range.clone().zip(&element_names) {
            let element = &input.columns[c];
            let cell = row.and_then(|row| row.get(element));
            let rect = Rect::from_min_size(
                screen(pos2(
                    FIRST_COLUMN_WIDTH + c as f32 * column_width,
                    HEADER_HEIGHT + r as f32 * ROW_HEIGHT,
                )),
                vec2(column_width, ROW_HEIGHT),
            );
            paint_cell(
                &painter,
                rect.shrink(1.0),
                cell,
                highlight,
                view.query.review,
                &letter_font,
            );
            if in_block(r, c) {
                painter.rect_stroke(
                    rect,
                    0.0,
                    Stroke::new(BLOCK_RING_WIDTH, block_tint),
                    StrokeKind::Inside,
                );
            }
            if selected == Some((r, c)) {
                painter.rect_stroke(
                    rect.shrink(0.5),
                    2.0,
                    Stroke::new(2.5, visuals.strong_text_color()),
                    StrokeKind::Inside,
                );
            }
            let cell_rect = rect;
            ui.ctx()
                .accesskit_node_builder(grid_id.with((r, c)), |node| {
                    let element_name = element_name.as_deref().unwrap_or("");
                    let assessment = cell.map_or(Assessment::NotAssessed, |c| c.assessment);
                    node.set_role(accesskit::Role::Cell);
                    node.set_label(format!("{name} / {element_name}: {}", assessment.label()));
                    node.set_bounds(accesskit_rect(cell_rect));
                    node.add_action(accesskit::Action::Click);
                    if selected == Some((r, c)) || in_block(r, c) {
                        node.set_selected(true);
                    }
                });
        }
    }
    if let Some(block) = block {
        let top_left = screen(pos2(
            FIRST_COLUMN_WIDTH + block.columns.0 as f32 * column_width,
            HEADER_HEIGHT + block.rows.0 as f32 * ROW_HEIGHT,
        ));
        let outline = Rect::from_min_size(
            top_left,
            vec2(
                block.width() as f32 * column_width,
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

    // Frozen first column: agreement names.
    for (r, agreement) in row_range.clone().zip(shown_agreements.iter().copied()) {
        let rect = Rect::from_min_size(
            screen(pos2(viewport.min.x, HEADER_HEIGHT + r as f32 * ROW_HEIGHT)),
            vec2(FIRST_COLUMN_WIDTH, ROW_HEIGHT),
        );
        let row_selected = selected.is_some_and(|(sr, _)| sr == r)
            || block.is_some_and(|b| (b.rows.0..=b.rows.1).contains(&r))
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
            FIRST_COLUMN_WIDTH - 10.0,
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
            .accesskit_node_builder(grid_id.with(("row", r)), |node| {
                node.set_role(accesskit::Role::RowHeader);
                node.set_label(agreement.map_or("(missing)", |a| a.short_name.as_str()));
                node.set_bounds(accesskit_rect(rect));
                node.add_action(accesskit::Action::Click);
            });
    }
    painter.vline(
        screen(pos2(viewport.min.x + FIRST_COLUMN_WIDTH, 0.0)).x - 0.5,
        visible.y_range(),
        Stroke::new(1.0, visuals.widgets.noninteractive.bg_stroke.color),
    );

    // Frozen header: framework bands and rotated element names.
    let header_top = screen(pos2(0.0, viewport.min.y)).y;
    let header_bg = Rect::from_min_max(
        pos2(visible.min.x, header_top),
        pos2(visible.max.x, header_top + HEADER_HEIGHT),
    );
    painter.rect_filled(header_bg, 0.0, visuals.panel_fill);
    let mut band_start = col_range.start;
    for ((c, element), name) in col_range
        .clone()
        .zip(shown_elements.iter().copied())
        .zip(&element_names)
    {
        let x = screen(pos2(FIRST_COLUMN_WIDTH + c as f32 * column_width, 0.0)).x;
        let column_rect = Rect::from_min_size(
            pos2(x, header_top + BAND_HEIGHT),
            vec2(column_width, HEADER_HEIGHT - BAND_HEIGHT),
        );
        let is_selected_column = selected.is_some_and(|(_, sc)| sc == c)
            || block.is_some_and(|b| (b.columns.0..=b.columns.1).contains(&c))
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
                &painter,
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
            .accesskit_node_builder(grid_id.with(("column", c)), |node| {
                node.set_role(accesskit::Role::ColumnHeader);
                node.set_label(label.clone());
                node.set_bounds(accesskit_rect(column_rect));
                node.add_action(accesskit::Action::Click);
            });
        // Close a band where the framework changes or the visible columns end.
        let framework_here = element.map(|(f, _)| &f.id);
        let next_framework = shown_elements
            .get(c + 1 - col_range.start)
            .copied()
            .flatten()
            .map(|(f, _)| &f.id);
        if next_framework != framework_here {
            let x0 = screen(pos2(
                FIRST_COLUMN_WIDTH + band_start as f32 * column_width,
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
        vec2(FIRST_COLUMN_WIDTH, HEADER_HEIGHT),
    );
    painter.rect_filled(corner, 0.0, visuals.panel_fill);
    let summary = format!(
        "{}\n{}",
        counted(n_rows, "agreement", "agreements"),
        counted(n_cols, "element", "elements")
    );
    painter.text(
        corner.left_bottom() + vec2(6.0, -6.0),
        Align2::LEFT_BOTTOM,
        summary,
        FontId::proportional(12.0),
        visuals.weak_text_color(),
    );

    // Interaction.
    let hit_at = |pos: Pos2| {
        hit_test(
            (pos - origin).to_pos2(),
            viewport,
            (n_rows, n_cols),
            column_width,
        )
    };
    if let Some(pos) = response.hover_pos() {
        let hit = hit_at(pos);
        hover_tooltip(&response, input, view, &hit);
    }
    if (response.clicked() || response.double_clicked() || response.secondary_clicked())
        && let Some(pos) = response.interact_pointer_pos()
    {
        {
            let hit = hit_at(pos);
            match &hit {
                Hit::Cell(r, c) => {
                    let (agreement, element) = (input.rows[*r].clone(), input.columns[*c].clone());
                    if response.clicked() && ui.input(|i| i.modifiers.shift) {
                        view.extend_block_to(agreement, element);
                    } else {
                        view.select_cell(agreement, element);
                    }
                    if response.double_clicked() {
                        view.focus_note_editor = true;
                    }
                }
                Hit::RowHeader(r) => view.select_agreement(input.rows[*r].clone()),
                // A right-click only opens the column's menu: filtering a column must not
                // lose the selected cell. A click sorts and still selects the column, so the
                // details panel shows its counts as before.
                Hit::ColumnHeader(c) if response.clicked() => {
                    view.select_element(input.columns[*c].clone());
                    view.query.cycle_column_sort(&input.columns[*c]);
                }
                Hit::ColumnHeader(_) | Hit::Nothing => {}
            }
            view.context_target = hit_target(&hit, input);
        }
    }
    drag_block(ui, &response, input, view, &hit_at);
    // Checkbox clicks keep the menu open, so several values can be chosen at once.
    egui::Popup::context_menu(&response)
        .close_behavior(egui::PopupCloseBehavior::CloseOnClickOutside)
        .show(|ui| context_menu_ui(ui, input.project, view, events));
}

/// A drag that starts on a cell selects the block from that cell to the one under the pointer.
fn drag_block(
    ui: &Ui,
    response: &egui::Response,
    input: &GridInput<'_>,
    view: &mut ViewState,
    hit_at: &dyn Fn(Pos2) -> Hit,
) {
    if !(response.drag_started() || response.dragged()) {
        return;
    }
    let Some(Hit::Cell(r0, c0)) = ui.input(|i| i.pointer.press_origin()).map(hit_at) else {
        return; // a drag from a header or the corner selects nothing
    };
    if response.drag_started() {
        view.select_cell(input.rows[r0].clone(), input.columns[c0].clone());
    }
    if let Some(Hit::Cell(r, c)) = response.interact_pointer_pos().map(hit_at)
        && view.selected_indices(input.rows, input.columns) != Some((r, c))
    {
        view.extend_block_to(input.rows[r].clone(), input.columns[c].clone());
    }
}

/// What the grid takes from one frame's input.
#[derive(Default)]
struct TakenInput {
    /// The grid's actions, from the action table, each with whether Shift was held.
    actions: Vec<(Action, bool)>,
    copy: bool,
    paste: Option<String>,
}

impl TakenInput {
    fn is_empty(&self) -> bool {
        self.actions.is_empty() && !self.copy && self.paste.is_none()
    }
}

/// Takes this frame's grid keys, copy and paste out of the input, so nothing else acts on them.
fn take_grid_input(ctx: &egui::Context) -> TakenInput {
    ctx.input_mut(|i| {
        let mut taken = TakenInput::default();
        i.events.retain(|event| match event {
            egui::Event::Key {
                key,
                pressed: true,
                modifiers,
                ..
            } if !modifiers.command && !modifiers.alt && Action::for_grid_key(*key).is_some() => {
                if let Some(action) = Action::for_grid_key(*key) {
                    taken.actions.push((action, modifiers.shift));
                }
                false
            }
            // Platforms send Copy; a bare Ctrl+C key (as in tests) asks for the same.
            egui::Event::Copy => {
                taken.copy = true;
                false
            }
            egui::Event::Key {
                key: Key::C,
                pressed: true,
                modifiers,
                ..
            } if modifiers.command => {
                taken.copy = true;
                false
            }
            egui::Event::Paste(text) => {
                taken.paste = Some(text.clone());
                false
            }
            _ => true,
        });
        taken
    })
}

/// Keys act only on a cell or block that is selected and visible; arrows start from the
/// selected row or column, so a row or column header selection never edits some other cell.
fn keyboard(ui: &Ui, input: &GridInput<'_>, view: &mut ViewState, events: &mut Vec<AppEvent>) {
    let ctx = ui.ctx();
    if !input.takes_keys
        || ctx.egui_wants_keyboard_input()
        || egui::Popup::is_any_open(ctx)
        || input.rows.is_empty()
    {
        return;
    }
    let taken = take_grid_input(ctx);
    if taken.is_empty() {
        return;
    }
    for (action, shift) in taken.actions {
        run_grid_action(input, view, action, shift, events);
    }
    let Some(block) = view.selected_block(input.rows, input.columns) else {
        return; // copy and paste need a selected, visible cell too
    };
    if taken.copy {
        ctx.copy_text(block_as_tsv(input, block));
    }
    if let Some(text) = taken.paste {
        paste(input, block, &text, view, events);
    }
}

/// Runs a grid action (from its key, the Assess menu or the command palette) on the selected
/// visible cell or block; `extend` (Shift) grows the block from its anchor instead of moving.
/// False when nothing is selected or the action is not the grid's.
pub fn run_grid_action(
    input: &GridInput<'_>,
    view: &mut ViewState,
    action: Action,
    extend: bool,
    events: &mut Vec<AppEvent>,
) -> bool {
    if input.rows.is_empty() || input.columns.is_empty() {
        return false;
    }
    let page = ((view.grid_viewport.y - HEADER_HEIGHT) / ROW_HEIGHT).max(1.0) as usize;
    if view.move_selection(action, extend, input.rows, input.columns, page) {
        return true;
    }
    let Some(block) = view.selected_block(input.rows, input.columns) else {
        return false; // no visible cell is selected: there is nothing to act on
    };
    let event = match action {
        Action::SetYes => set_block(input, block, Assessment::Yes),
        Action::SetIndirect => set_block(input, block, Assessment::Indirect),
        Action::SetNo => set_block(input, block, Assessment::No),
        Action::ClearAssessment => set_block(input, block, Assessment::NotAssessed),
        Action::MarkReviewed => review_block(input, block, ReviewStatus::Reviewed),
        Action::MarkDisputed => review_block(input, block, ReviewStatus::Disputed),
        Action::EditNote => {
            view.focus_note_editor = true;
            return true;
        }
        _ => return false,
    };
    events.push(event);
    true
}

/// The event that sets every cell of `block` to `assessment`, one undo step.
fn set_block(input: &GridInput<'_>, block: Block, assessment: Assessment) -> AppEvent {
    if block.is_single_cell() {
        return AppEvent::SetAssessment {
            agreement: input.rows[block.rows.0].clone(),
            element: input.columns[block.columns.0].clone(),
            assessment,
        };
    }
    AppEvent::SetAssessments {
        changes: block_cells(input, block)
            .into_iter()
            .map(|(agreement, element)| (agreement, element, assessment))
            .collect(),
        label: format!("{} cells → {}", block.cell_count(), assessment.label()),
    }
}

/// The event that sets the review status of every cell of `block`, one undo step.
fn review_block(input: &GridInput<'_>, block: Block, status: ReviewStatus) -> AppEvent {
    if block.is_single_cell() {
        return AppEvent::SetReview {
            agreement: input.rows[block.rows.0].clone(),
            element: input.columns[block.columns.0].clone(),
            status,
        };
    }
    AppEvent::SetReviews {
        cells: block_cells(input, block),
        status,
        label: format!("{} cells: {}", block.cell_count(), status.label()),
    }
}

/// The (agreement, element) ids of the block's cells, row by row.
fn block_cells(input: &GridInput<'_>, block: Block) -> Vec<(AgreementId, ElementId)> {
    let mut cells = Vec::with_capacity(block.cell_count());
    for r in block.rows.0..=block.rows.1 {
        for c in block.columns.0..=block.columns.1 {
            cells.push((input.rows[r].clone(), input.columns[c].clone()));
        }
    }
    cells
}

/// The word a spreadsheet cell holds for an assessment; not assessed is an empty cell.
pub fn assessment_word(assessment: Assessment) -> &'static str {
    match assessment {
        Assessment::NotAssessed => "",
        other => other.label(),
    }
}

/// The block as spreadsheets put cells on the clipboard: cells separated by tabs, rows by
/// newlines.
pub fn block_as_tsv(input: &GridInput<'_>, block: Block) -> String {
    (block.rows.0..=block.rows.1)
        .map(|r| {
            (block.columns.0..=block.columns.1)
                .map(|c| {
                    assessment_word(input.project.assessment(&input.rows[r], &input.columns[c]))
                })
                .collect::<Vec<_>>()
                .join("\t")
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// Why pasted text was refused; nothing is pasted then.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum PasteError {
    #[error("Nothing was pasted: the clipboard holds no cells. Copy cells in a spreadsheet first.")]
    Empty,
    #[error(
        "Nothing was pasted: `{value}` in row {row}, column {column} of the copied cells is not \
         an assessment. Use Yes, Indirect, No or an empty cell, then copy and paste again."
    )]
    Unknown {
        value: String,
        row: usize,
        column: usize,
    },
}

/// Reads cells copied from a spreadsheet (tabs between cells, newlines between rows) as
/// assessments, with the words CSV import accepts. Any unknown word refuses the whole paste.
pub fn assessments_from_tsv(text: &str) -> Result<Vec<Vec<Assessment>>, PasteError> {
    // Spreadsheets end the last row with a newline too; it is not another row.
    let text = text
        .strip_suffix("\r\n")
        .or_else(|| text.strip_suffix('\n'))
        .unwrap_or(text);
    if text.is_empty() {
        return Err(PasteError::Empty);
    }
    text.split('\n')
        .enumerate()
        .map(|(row, line)| {
            let line = line.strip_suffix('\r').unwrap_or(line);
            line.split('\t')
                .enumerate()
                .map(|(column, value)| {
                    Assessment::parse_loose(value).ok_or_else(|| PasteError::Unknown {
                        value: value.trim().chars().take(40).collect(),
                        row: row + 1,
                        column: column + 1,
                    })
                })
                .collect()
        })
        .collect()
}

/// Pastes into the block, or from a single selected cell as far as the pasted cells reach,
/// clipped to the visible grid. One value fills the whole block, as spreadsheets do.
fn paste(
    input: &GridInput<'_>,
    block: Block,
    text: &str,
    view: &mut ViewState,
    events: &mut Vec<AppEvent>,
) {
    let values = match assessments_from_tsv(text) {
        Ok(values) => values,
        Err(error) => {
            events.push(AppEvent::PasteRejected(error.to_string()));
            return;
        }
    };
    let single_value = values.len() == 1 && values.first().is_some_and(|row| row.len() == 1);
    let fill_block = single_value && !block.is_single_cell();
    let (mut last_row, mut last_col) = if block.is_single_cell() {
        (input.rows.len() - 1, input.columns.len() - 1)
    } else {
        (block.rows.1, block.columns.1)
    };
    if !fill_block {
        let widest = values.iter().map(Vec::len).max().unwrap_or(1);
        last_row = last_row.min(block.rows.0 + values.len().saturating_sub(1));
        last_col = last_col.min(block.columns.0 + widest.saturating_sub(1));
    }
    let mut changes = Vec::new();
    let mut reach = (block.rows.0, block.columns.0);
    for r in block.rows.0..=last_row {
        for c in block.columns.0..=last_col {
            let value = if fill_block {
                values.first().and_then(|row| row.first())
            } else {
                values
                    .get(r - block.rows.0)
                    .and_then(|row| row.get(c - block.columns.0))
            };
            if let Some(assessment) = value {
                changes.push((input.rows[r].clone(), input.columns[c].clone(), *assessment));
                reach = (reach.0.max(r), reach.1.max(c));
            }
        }
    }
    let count = changes.len();
    events.push(AppEvent::SetAssessments {
        label: if count == 1 {
            "paste 1 cell".to_owned()
        } else {
            format!("paste {count} cells")
        },
        changes,
    });
    // Select what was pasted, as spreadsheets do, so it can be seen and copied again.
    view.select_cell(
        input.rows[block.rows.0].clone(),
        input.columns[block.columns.0].clone(),
    );
    if reach != (block.rows.0, block.columns.0) {
        view.extend_block_to(input.rows[reach.0].clone(), input.columns[reach.1].clone());
    }
}

/// Scroll offset that brings the requested row and column into view, if one was requested.
fn pending_scroll(input: &GridInput<'_>, view: &mut ViewState, column_width: f32) -> Option<Vec2> {
    if !std::mem::take(&mut view.scroll_to_selection) {
        return None;
    }
    let mut offset = view.grid_offset;
    let size = view.grid_viewport;
    let row = view
        .selection
        .agreement
        .as_ref()
        .and_then(|a| view.row_position(input.rows, a));
    let column = view
        .selection
        .element
        .as_ref()
        .and_then(|e| input.columns.iter().position(|x| x == e));
    if let Some(r) = row {
        offset.y = offset_showing(offset.y, r, ROW_HEIGHT, HEADER_HEIGHT, size.y);
    }
    if let Some(c) = column {
        offset.x = offset_showing(offset.x, c, column_width, FIRST_COLUMN_WIDTH, size.x);
    }
    Some(offset.max(Vec2::ZERO))
}

/// The scroll offset nearest `current` that shows item `index` (of `step` size) beside a
/// frozen band of `frozen` size in a viewport of `viewport` size.
fn offset_showing(current: f32, index: usize, step: f32, frozen: f32, viewport: f32) -> f32 {
    let start = index as f32 * step;
    current.max(start + step + frozen - viewport).min(start)
}

fn visible_range(from: f32, to: f32, step: f32, count: usize) -> std::ops::Range<usize> {
    let first = (from.max(0.0) / step).floor() as usize;
    let end = ((to.max(0.0) / step).ceil() as usize).min(count);
    first.min(end)..end
}

fn hit_test(pos: Pos2, viewport: Rect, (n_rows, n_cols): (usize, usize), column_width: f32) -> Hit {
    let in_header = pos.y < viewport.min.y + HEADER_HEIGHT;
    let in_names = pos.x < viewport.min.x + FIRST_COLUMN_WIDTH;
    let col = ((pos.x - FIRST_COLUMN_WIDTH) / column_width).floor();
    let row = ((pos.y - HEADER_HEIGHT) / ROW_HEIGHT).floor();
    let col = (col >= 0.0 && (col as usize) < n_cols).then_some(col as usize);
    let row = (row >= 0.0 && (row as usize) < n_rows).then_some(row as usize);
    match (in_header, in_names, row, col) {
        (true, false, _, Some(c)) => Hit::ColumnHeader(c),
        (false, true, Some(r), _) => Hit::RowHeader(r),
        (false, false, Some(r), Some(c)) => Hit::Cell(r, c),
        _ => Hit::Nothing,
    }
}

fn hit_target(hit: &Hit, input: &GridInput<'_>) -> Option<ContextTarget> {
    match hit {
        Hit::Cell(r, _) | Hit::RowHeader(r) => {
            Some(ContextTarget::Agreement(input.rows[*r].clone()))
        }
        Hit::ColumnHeader(c) => Some(ContextTarget::Element(input.columns[*c].clone())),
        Hit::Nothing => None,
    }
}

fn context_menu_ui(
    ui: &mut Ui,
    project: &Project,
    view: &mut ViewState,
    events: &mut Vec<AppEvent>,
) {
    let (title, items): (String, Vec<(&str, AppEvent)>) = match &view.context_target {
        Some(ContextTarget::Agreement(id)) => (
            project
                .agreement(id)
                .map_or_else(|| "Agreement".to_owned(), |a| a.short_name.clone()),
            vec![
                (
                    "Edit agreement details",
                    AppEvent::EditAgreementDetails(id.clone()),
                ),
                (
                    "Move agreement up",
                    AppEvent::MoveAgreement {
                        id: id.clone(),
                        by: -1,
                    },
                ),
                (
                    "Move agreement down",
                    AppEvent::MoveAgreement {
                        id: id.clone(),
                        by: 1,
                    },
                ),
                (
                    "Add agreement below",
                    AppEvent::AddAgreementAfter(Some(id.clone())),
                ),
                ("Remove agreement…", AppEvent::RemoveAgreement(id.clone())),
            ],
        ),
        Some(ContextTarget::Element(id)) => (
            project
                .element(id)
                .map_or_else(|| "Element".to_owned(), |(_, e)| e.display_name()),
            vec![
                ("Rename element…", AppEvent::EditElement(id.clone())),
                (
                    "Element across agreements",
                    AppEvent::ShowElementAcross(id.clone()),
                ),
                (
                    "Move element left",
                    AppEvent::MoveElement {
                        id: id.clone(),
                        by: -1,
                    },
                ),
                (
                    "Move element right",
                    AppEvent::MoveElement {
                        id: id.clone(),
                        by: 1,
                    },
                ),
                (
                    "Add element after this one",
                    AppEvent::AddElementAfter(id.clone()),
                ),
                ("Remove element…", AppEvent::RemoveElement(id.clone())),
            ],
        ),
        None => {
            ui.label("Right-click an agreement or an element.");
            return;
        }
    };
    ui.label(egui::RichText::new(title).strong());
    if let Some(ContextTarget::Element(element)) = view.context_target.clone() {
        column_filter_ui(ui, &element, view);
        ui.separator();
    }
    let last = items.len() - 1;
    for (index, (label, event)) in items.into_iter().enumerate() {
        if index == last {
            ui.separator(); // removal stands apart
        }
        if ui.button(label).clicked() {
            events.push(event);
            ui.close();
        }
    }
}

/// "Filter this column": one checkbox per value; checked values are the ones shown.
fn column_filter_ui(ui: &mut Ui, element: &ElementId, view: &mut ViewState) {
    ui.separator();
    ui.label("Filter this column")
        .on_hover_text("Show only agreements with a checked value here; no check shows all");
    for assessment in Assessment::ALL {
        let mut shown = view
            .query
            .column_filters
            .get(element)
            .is_some_and(|allowed| allowed.contains(&assessment));
        if ui
            .checkbox(&mut shown, filter_checkbox_label(assessment))
            .clicked()
        {
            view.query.toggle_column_filter(element, assessment);
        }
    }
}

/// The label of a column filter checkbox; distinct from the legend's plain value names.
pub fn filter_checkbox_label(assessment: Assessment) -> String {
    format!("Only {}", assessment.label().to_lowercase())
}

/// A column header's accessible label: the element's name, then its sort and filter marks.
pub fn header_label(name: &str, sort_mark: Option<&str>, filtered: bool) -> String {
    let mut label = name.to_owned();
    if let Some(mark) = sort_mark {
        label.push(' ');
        label.push_str(mark);
    }
    if filtered {
        label.push_str(" (filtered)");
    }
    label
}

fn hover_tooltip(response: &egui::Response, input: &GridInput<'_>, view: &ViewState, hit: &Hit) {
    let project = input.project;
    match hit {
        Hit::Cell(r, c) => {
            let (agreement, element) = (&input.rows[*r], &input.columns[*c]);
            let cell = project.cell(agreement, element);
            response.clone().on_hover_ui_at_pointer(|ui| {
                ui.set_max_width(380.0);
                let name = view
                    .agreement_in(project, agreement)
                    .map_or("?", |a| a.short_name.as_str());
                let element_name = project
                    .element(element)
                    .map_or_else(String::new, |(_, e)| e.display_name());
                ui.label(egui::RichText::new(format!("{name} · {element_name}")).strong());
                ui.label(format!(
                    "{} · {}",
                    cell.assessment.label(),
                    cell.review.label()
                ));
                let locators = cell.locators_joined();
                if !locators.is_empty() {
                    ui.label(format!("Where: {locators}"));
                }
                if !cell.note.is_empty() {
                    ui.label(&cell.note);
                }
                for excerpt in &cell.evidence {
                    ui.label(
                        egui::RichText::new(format!("“{}”", excerpt.display_text())).italics(),
                    );
                }
            });
        }
        Hit::RowHeader(r) => {
            if let Some(agreement) = view.agreement_in(project, &input.rows[*r]) {
                response.clone().on_hover_ui_at_pointer(|ui| {
                    ui.set_max_width(380.0);
                    ui.label(egui::RichText::new(&agreement.name).strong());
                    let year = agreement
                        .year
                        .map(|y| format!("{y} · "))
                        .unwrap_or_default();
                    ui.label(format!(
                        "{year}{} · {}",
                        agreement.space.label(),
                        agreement.binding.label()
                    ));
                });
            }
        }
        Hit::ColumnHeader(c) => {
            if let Some((framework, element)) = project.element(&input.columns[*c]) {
                response.clone().on_hover_ui_at_pointer(|ui| {
                    ui.set_max_width(380.0);
                    ui.label(egui::RichText::new(element.display_name()).strong());
                    ui.label(egui::RichText::new(&framework.name).weak());
                    if !element.definition.is_empty() {
                        ui.label(&element.definition);
                    }
                    ui.separator();
                    if unassessed_frameworks(project, input.columns)
                        .iter()
                        .any(|f| f.id == framework.id)
                    {
                        ui.label(
                            egui::RichText::new(unassessed_framework_note(&framework.name))
                                .italics(),
                        );
                    }
                    ui.label(column_counts(project, input.rows, &input.columns[*c]));
                    ui.label(
                        egui::RichText::new(
                            "Click: sort Yes first (▲); again: reverse (▼); \
                             a third time: back to the toolbar's sort.\n\
                             Right-click: filter this column, rename, move.",
                        )
                        .weak(),
                    );
                });
            }
        }
        Hit::Nothing => {}
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

/// "Yes 10 · Indirect 3 · …" over the shown rows, for a column header's tooltip.
fn column_counts(project: &Project, rows: &[AgreementId], element: &ElementId) -> String {
    let mut counts = [0usize; 4];
    for agreement in rows {
        let rank = super::view::assessment_rank(project.assessment(agreement, element));
        if let Some(count) = counts.get_mut(usize::from(rank)) {
            *count += 1;
        }
    }
    Assessment::ALL
        .iter()
        .map(|a| {
            let rank = usize::from(super::view::assessment_rank(*a));
            let count = counts.get(rank).copied().unwrap_or_default();
            format!("{} {count}", a.label())
        })
        .collect::<Vec<_>>()
        .join(" · ")
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
                super::palette_ui::NEEDS_REVIEW_MARK,
                Stroke::NONE,
            ));
        }
        if cell.review == ReviewStatus::Disputed {
            // As bold as the letter: a thick frame and a filled corner flag, in a colour no
            // assessment uses, so a disputed cell is seen at a glance.
            painter.rect_stroke(
                rect,
                2.0,
                Stroke::new(3.0, super::palette_ui::DISPUTED_MARK),
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
                super::palette_ui::DISPUTED_MARK,
                Stroke::new(1.0, Color32::from_black_alpha(170)),
            ));
        }
    }
    if highlight && incomplete {
        painter.rect_stroke(
            rect,
            2.0,
            Stroke::new(2.0, super::palette_ui::INCOMPLETE_MARK),
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

    #[test]
    fn side_panels_stop_growing_before_the_key_columns_go() {
        let project = crate::sample::bpf_2019().map(|s| s.project);
        let Ok(project) = project else {
            panic!("the sample loads");
        };
        let columns: Vec<ElementId> = project
            .frameworks
            .iter()
            .flat_map(|f| f.elements.iter().map(|e| e.id.clone()))
            .collect();
        let grid = key_columns_width(&project, &columns);
        assert_eq!(grid, FIRST_COLUMN_WIDTH + 10.0 * COLUMN_WIDTH + 16.0);
        let each = side_panel_max_width(1280.0, grid, 2);
        assert!(2.0 * each + grid <= 1280.0);
        assert!(each >= 300.0, "room for the default widths ({each})");
        // A narrow window still lets a panel open at its smallest.
        assert_eq!(side_panel_max_width(600.0, grid, 2), SIDE_PANEL_MIN_WIDTH);
    }
}
