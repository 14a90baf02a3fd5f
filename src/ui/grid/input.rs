//! The grid's input: clicks, drags and keys turned into selection changes and events, hit
//! testing, and scrolling the selection into view. Keys become actions from the one command
//! table and go to the app as events, so every key passes the same `enabled` gate as the menu.

use super::super::actions::Action;
use super::super::events::AppEvent;
use super::super::view::{Block, ContextTarget, ViewState};
use super::clipboard::{assessments_from_tsv, paste_plan};
use super::menus::{context_menu_ui, hover_tooltip};
use super::{GridInput, HEADER_HEIGHT, ROW_HEIGHT, Widths};
use crate::model::{AgreementId, Assessment, ElementId, ReviewStatus};
use egui::{Pos2, Rect, Ui, Vec2};

/// Where a grid click landed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) enum Hit {
    Cell(usize, usize),
    RowHeader(usize),
    ColumnHeader(usize),
    Nothing,
}

/// Turns this frame's pointer on the grid into selection, sort and context-menu changes.
pub(super) fn interact(
    ui: &Ui,
    response: &egui::Response,
    input: &GridInput<'_>,
    view: &mut ViewState,
    events: &mut Vec<AppEvent>,
    (origin, viewport, widths): (Pos2, Rect, Widths),
) {
    let hit_at = |pos: Pos2| {
        hit_test(
            (pos - origin).to_pos2(),
            viewport,
            (input.rows.len(), input.columns.len()),
            widths,
        )
    };
    if let Some(pos) = response.hover_pos() {
        hover_tooltip(response, input, view, &hit_at(pos));
    }
    if (response.clicked() || response.double_clicked() || response.secondary_clicked())
        && let Some(pos) = response.interact_pointer_pos()
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
            // A right-click only opens the column's menu: filtering a column must not lose the
            // selected cell. A click sorts and still selects the column, so the details panel
            // shows its counts as before.
            Hit::ColumnHeader(c) if response.clicked() => {
                view.select_element(input.columns[*c].clone());
                view.query.cycle_column_sort(&input.columns[*c]);
            }
            Hit::ColumnHeader(_) | Hit::Nothing => {}
        }
        view.context_target = hit_target(&hit, input);
    }
    drag_block(ui, response, input, view, &hit_at);
    // Checkbox clicks keep the menu open, so several values can be chosen at once.
    egui::Popup::context_menu(response)
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
    paste: Option<String>,
}

impl TakenInput {
    fn is_empty(&self) -> bool {
        self.actions.is_empty() && self.paste.is_none()
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
            } if !modifiers.alt && Action::for_grid_key(*key, modifiers.command).is_some() => {
                if let Some(action) = Action::for_grid_key(*key, modifiers.command) {
                    taken.actions.push((action, modifiers.shift));
                }
                false
            }
            // Platforms send Copy for Ctrl+C; it is the table's Copy cells.
            egui::Event::Copy => {
                taken.actions.push((Action::CopyCells, false));
                false
            }
            egui::Event::Paste(text) => {
                taken.paste = Some(text.clone());
                false
            }
            _ => true,
        });
        // Platforms send both Copy and the Ctrl+C key: one copy.
        let mut seen = Vec::new();
        taken.actions.retain(|(action, _)| {
            *action != Action::CopyCells || {
                let first = !seen.contains(action);
                seen.push(*action);
                first
            }
        });
        taken
    })
}

/// Keys act only on a cell or block that is selected and visible; arrows start from the
/// selected row or column, so a row or column header selection never edits some other cell.
/// Each key goes to the app as its action, which checks it is enabled and runs it.
pub(super) fn keyboard(
    ui: &Ui,
    input: &GridInput<'_>,
    view: &mut ViewState,
    events: &mut Vec<AppEvent>,
) {
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
    for (action, extend) in taken.actions {
        events.push(AppEvent::GridKey { action, extend });
    }
    let Some(block) = view.selected_block(input.rows, input.columns) else {
        return; // paste needs a selected, visible cell too
    };
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

/// Pastes into the block, or from a single selected cell as far as the pasted cells reach,
/// clipped to the visible grid, and selects what was pasted, as spreadsheets do.
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
    let plan = paste_plan(input.rows, input.columns, block, &values);
    let count = plan.changes.len();
    events.push(AppEvent::SetAssessments {
        label: if count == 1 {
            "paste 1 cell".to_owned()
        } else {
            format!("paste {count} cells")
        },
        changes: plan.changes,
    });
    view.select_cell(
        input.rows[block.rows.0].clone(),
        input.columns[block.columns.0].clone(),
    );
    if plan.reach != (block.rows.0, block.columns.0) {
        view.extend_block_to(
            input.rows[plan.reach.0].clone(),
            input.columns[plan.reach.1].clone(),
        );
    }
}

/// Scroll offset that brings the requested row and column into view, if one was requested.
///
/// The selected column's whole framework is brought into view when it fits, so the framework
/// being worked on stays on screen when panels open beside the grid.
pub(super) fn pending_scroll(
    input: &GridInput<'_>,
    view: &mut ViewState,
    widths: Widths,
    size: Vec2,
) -> Option<Vec2> {
    if !std::mem::take(&mut view.scroll_to_selection) {
        return None;
    }
    let mut offset = view.grid_offset;
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
        let (first, last) = framework_span(input, c);
        for index in [last, first, c] {
            offset.x = offset_showing(offset.x, index, widths.column, widths.names, size.x);
        }
    }
    Some(offset.max(Vec2::ZERO))
}

/// The first and last shown column of column `c`'s framework.
fn framework_span(input: &GridInput<'_>, c: usize) -> (usize, usize) {
    let framework_of = |index: usize| {
        input
            .columns
            .get(index)
            .and_then(|e| input.project.element(e))
            .map(|(framework, _)| &framework.id)
    };
    let own = framework_of(c);
    let first = (0..c)
        .rev()
        .take_while(|&i| framework_of(i) == own)
        .last()
        .unwrap_or(c);
    let last = (c + 1..input.columns.len())
        .take_while(|&i| framework_of(i) == own)
        .last()
        .unwrap_or(c);
    (first, last)
}

/// The scroll offset nearest `current` that shows item `index` (of `step` size) beside a
/// frozen band of `frozen` size in a viewport of `viewport` size.
fn offset_showing(current: f32, index: usize, step: f32, frozen: f32, viewport: f32) -> f32 {
    let start = index as f32 * step;
    current.max(start + step + frozen - viewport).min(start)
}

pub(super) fn visible_range(from: f32, to: f32, step: f32, count: usize) -> std::ops::Range<usize> {
    let first = (from.max(0.0) / step).floor() as usize;
    let end = ((to.max(0.0) / step).ceil() as usize).min(count);
    first.min(end)..end
}

fn hit_test(pos: Pos2, viewport: Rect, (n_rows, n_cols): (usize, usize), widths: Widths) -> Hit {
    let in_header = pos.y < viewport.min.y + HEADER_HEIGHT;
    let in_names = pos.x < viewport.min.x + widths.names;
    let col = ((pos.x - widths.names) / widths.column).floor();
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
