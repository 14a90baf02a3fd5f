//! The agreements × elements grid. Cells are painted directly (one rectangle and one glyph each)
//! and only the visible rows *and* columns are drawn, with one interaction for the whole grid, so
//! a frame costs the same for 20 rows or 10,000. Each visible cell still gets an AccessKit node
//! ("Paris Call / Reference to Human Rights: Yes") for screen readers and tests.
//!
//! `paint` draws a frame, `input` turns pointer and keys into changes and events, `clipboard`
//! holds the spreadsheet words, and `menus` the right-click menus and hover text.

mod clipboard;
mod input;
mod menus;
mod paint;

pub use clipboard::{PasteError, assessments_from_tsv, block_as_tsv};
pub use input::run_grid_action;

use super::events::AppEvent;
use super::view::ViewState;
use crate::model::{AgreementId, Assessment, ElementId, Framework, Project};
use egui::{Color32, Rect, Sense, Ui, vec2};
use paint::{GridFrame, Painting, ShownNames};

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
    framework_row_ui(ui, input, view);
    if n_cols == 0 {
        ui.centered_and_justified(|ui| {
            ui.label("No frameworks are shown. Click All above, or choose in View → Frameworks.");
        });
        return;
    }
    input::keyboard(ui, input, view, events);
    let widths = Widths::for_grid(ui.available_width(), n_cols);

    let content = vec2(
        widths.names + n_cols as f32 * widths.column,
        HEADER_HEIGHT + n_rows as f32 * ROW_HEIGHT,
    );
    let mut area = egui::ScrollArea::both()
        .id_salt("grid")
        .auto_shrink([false, false]);
    // Panels opening or closing beside the grid move the framework being worked on out of
    // view: bring the selection's framework back.
    let size = ui.available_size();
    if (size.x - view.grid_width).abs() > 1.0 && view.selection.element.is_some() {
        view.scroll_to_selection = true;
    }
    view.grid_width = size.x;
    let wanted = input::pending_scroll(input, view, widths, size);
    if let Some(offset) = wanted {
        area = area.scroll_offset(offset);
    }
    let output = area.show_viewport(ui, |ui, viewport| {
        ui.set_min_size(content);
        paint_and_interact(ui, input, view, events, viewport, widths);
    });
    // The scroll area clamps to last frame's content: a row added this frame (a new
    // agreement) is out of its reach until the next, so the scroll is asked for again then.
    let reachable = (content - output.inner_rect.size()).max(egui::Vec2::ZERO);
    if let Some(wanted) = wanted
        && (output.state.clamped_offset() - wanted).length() > 0.5
        && wanted.x <= reachable.x + 0.5
        && wanted.y <= reachable.y + 0.5
    {
        view.scroll_to_selection = true;
        ui.ctx().request_repaint();
    }
    view.grid_offset = output.state.clamped_offset();
    view.grid_viewport = output.inner_rect.size();
}

/// Widest the name column grows when the window has room to spare, so long names show whole.
pub const MAX_NAME_WIDTH: f32 = 360.0;

/// The widths of one frame's grid: the names and each element column.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Widths {
    pub names: f32,
    pub column: f32,
}

impl Widths {
    /// For a grid `width` wide with `n_cols` columns: columns grow while they all fit, then the
    /// name column takes what is left (up to [`MAX_NAME_WIDTH`]), so a wide window shows long
    /// names whole instead of leaving room empty.
    pub fn for_grid(width: f32, n_cols: usize) -> Self {
        let column = column_width_for(width, n_cols);
        let spare = width - 16.0 - FIRST_COLUMN_WIDTH - n_cols as f32 * column;
        Self {
            names: (FIRST_COLUMN_WIDTH + spare.max(0.0)).min(MAX_NAME_WIDTH),
            column,
        }
    }
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

/// Width the grid needs to show the names and every shown column of the framework being worked
/// on (the selected element's, else the first shown), with room for the scroll bar: side panels
/// stop growing before those columns would scroll out of view.
pub fn working_columns_width(
    project: &Project,
    columns: &[ElementId],
    selected: Option<&ElementId>,
) -> f32 {
    let shown_in = |framework: &Framework| {
        framework
            .elements
            .iter()
            .filter(|e| columns.contains(&e.id))
            .count()
    };
    let selected_framework = selected
        .filter(|e| columns.contains(e))
        .and_then(|e| project.element(e))
        .map(|(framework, _)| framework);
    let working = selected_framework
        .or_else(|| project.frameworks.iter().find(|f| shown_in(f) > 0))
        .map_or(0, shown_in);
    FIRST_COLUMN_WIDTH + working as f32 * COLUMN_WIDTH + 16.0
}

/// The widest each of `panels` open side panels may be, so `grid_width` stays for the grid.
pub fn side_panel_max_width(window_width: f32, grid_width: f32, panels: usize) -> f32 {
    let spare = (window_width - grid_width).max(0.0);
    (spare / panels.max(1) as f32).max(SIDE_PANEL_MIN_WIDTH)
}

/// The line above the grid: one click shows every framework or only one, and a note says which
/// shown frameworks no agreement is assessed against yet. The line is always there, so the grid
/// never jumps when the note goes.
fn framework_row_ui(ui: &mut Ui, input: &GridInput<'_>, view: &mut ViewState) {
    let project = input.project;
    ui.horizontal(|ui| {
        ui.set_min_height(ui.spacing().interact_size.y);
        if project.frameworks.len() > 1 {
            ui.label(egui::RichText::new("Frameworks:").weak());
            let all_shown = project
                .frameworks
                .iter()
                .all(|f| !view.hidden_frameworks.contains(&f.id));
            if ui
                .selectable_label(all_shown, "All")
                .on_hover_text("Show every framework's columns")
                .clicked()
            {
                view.hidden_frameworks.clear();
                view.scroll_to_selection = true;
            }
            for framework in &project.frameworks {
                let only_this = project
                    .frameworks
                    .iter()
                    .all(|f| (f.id == framework.id) != view.hidden_frameworks.contains(&f.id));
                let label = format!("{} ({})", framework.name, framework.elements.len());
                if ui
                    .selectable_label(only_this, label)
                    .on_hover_text(format!(
                        "Show only the {} columns; All shows every framework again",
                        framework.name
                    ))
                    .clicked()
                {
                    view.hidden_frameworks = project
                        .frameworks
                        .iter()
                        .filter(|f| f.id != framework.id)
                        .map(|f| f.id.clone())
                        .collect();
                    view.scroll_to_selection = true;
                }
            }
            ui.separator();
        }
        unassessed_frameworks_ui(ui, input);
    });
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

/// Paints the visible part of the grid and handles the pointer on it.
fn paint_and_interact(
    ui: &mut Ui,
    input: &GridInput<'_>,
    view: &mut ViewState,
    events: &mut Vec<AppEvent>,
    viewport: Rect,
    widths: Widths,
) {
    let origin = ui.max_rect().min;
    let visible = Rect::from_min_size(origin + viewport.min.to_vec2(), viewport.size());
    let grid_id = ui.scope_id().with("cells");
    let response = ui.interact(visible, grid_id, Sense::click_and_drag());
    let frame = GridFrame {
        painter: ui.painter_at(visible),
        visuals: ui.visuals().clone(),
        origin,
        viewport,
        visible,
        grid_id,
        widths,
        rows: input::visible_range(
            viewport.min.y - HEADER_HEIGHT,
            viewport.max.y - HEADER_HEIGHT,
            ROW_HEIGHT,
            input.rows.len(),
        ),
        columns: input::visible_range(
            viewport.min.x - widths.names,
            viewport.max.x - widths.names,
            widths.column,
            input.columns.len(),
        ),
        selected: view.selected_indices(input.rows, input.columns),
        block: view
            .selected_block(input.rows, input.columns)
            .filter(|b| !b.is_single_cell()),
    };
    let painting = Painting {
        ui,
        frame: &frame,
        input,
        view,
        names: ShownNames::look_up(&frame, input, view),
    };
    painting.cells();
    painting.row_names();
    painting.header();
    input::interact(
        ui,
        &response,
        input,
        view,
        events,
        (origin, viewport, widths),
    );
}

#[cfg(test)]
mod tests {
    use super::*;

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
        let grid = working_columns_width(&project, &columns, None);
        assert_eq!(grid, FIRST_COLUMN_WIDTH + 10.0 * COLUMN_WIDTH + 16.0);
        let each = side_panel_max_width(1280.0, grid, 2);
        assert!(2.0 * each + grid <= 1280.0);
        assert!(each >= 300.0, "room for the default widths ({each})");
        // A narrow window still lets a panel open at its smallest.
        assert_eq!(side_panel_max_width(600.0, grid, 2), SIDE_PANEL_MIN_WIDTH);
        // Working on a norm: the eleven norms' columns are the ones kept in view, and with two
        // panels open at 1280 they still fit.
        let norm = &project.frameworks[1].elements[0].id;
        let norms = working_columns_width(&project, &columns, Some(norm));
        assert_eq!(norms, FIRST_COLUMN_WIDTH + 11.0 * COLUMN_WIDTH + 16.0);
        let each = side_panel_max_width(1280.0, norms, 2);
        assert!(2.0 * each + norms <= 1280.0, "{each}");
    }
}
