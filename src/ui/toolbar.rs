//! The bar above the grid: filter, sort, and the completeness highlight.

use super::actions::Action;
use super::events::AppEvent;
use super::palette_ui::assessment_chip_ui;
use super::view::ViewState;
use crate::model::RowOrder;
use crate::model::text::counted;
use crate::model::{Assessment, Binding, ElementId, Project, ReviewStatus, Space};
use egui::Ui;
use std::collections::BTreeSet;

/// Draws the toolbar and the active column filters; `shown` and `total` count rows.
pub fn toolbar_ui(
    ui: &mut Ui,
    project: &Project,
    view: &mut ViewState,
    shown: usize,
    total: usize,
    review_mode: bool,
    events: &mut Vec<AppEvent>,
) {
    ui.horizontal_wrapped(|ui| {
        group_ui(ui, "filter", |ui| {
            let label = ui.label("Filter");
            let filter = ui.add(
                egui::TextEdit::singleline(&mut view.query.text)
                    .id_salt("filter")
                    .hint_text(FILTER_HINT)
                    .desired_width(285.0),
            );
            let filter = filter.labelled_by(label.id).on_hover_text(
                "Shows agreements whose name or short name, cell notes or quotes, or comments \
                 contain this text (any case). Esc clears it.",
            );
            if std::mem::take(&mut view.focus_filter) {
                filter.request_focus();
            }
            let clear_keys = Action::ClearTextFilter.shortcuts();
            // egui's TextEdit gives up focus on Escape itself, so a lost focus counts too.
            if (filter.has_focus() || filter.lost_focus())
                && ui.input(|i| clear_keys.iter().any(|s| i.key_pressed(s.logical_key)))
            {
                events.push(AppEvent::Action(Action::ClearTextFilter));
            }
        });
        group_ui(ui, "space", |ui| {
            let label = ui.label("Space");
            let options = std::iter::once((None, "Any space"))
                .chain(Space::ALL.map(|space| (Some(space), space.label())));
            let selected = view.query.space.map_or("Any", Space::label);
            dropdown_ui(ui, "filter-space", selected, &mut view.query.space, options)
                .0
                .labelled_by(label.id);
        });
        group_ui(ui, "binding", |ui| {
            let label = ui.label("Binding");
            let options = std::iter::once((None, "Any binding"))
                .chain(Binding::ALL.map(|binding| (Some(binding), binding.label())));
            let selected = view.query.binding.map_or("Any", Binding::label);
            dropdown_ui(
                ui,
                "filter-binding",
                selected,
                &mut view.query.binding,
                options,
            )
            .0
            .labelled_by(label.id);
        });
        group_ui(ui, "review", |ui| {
            let label = ui.label("Review status");
            let options = std::iter::once((None, "Any status"))
                .chain(ReviewStatus::ALL.map(|status| (Some(status), status.label())));
            let selected = view.query.review.map_or("Any", ReviewStatus::label);
            dropdown_ui(
                ui,
                "filter-review",
                selected,
                &mut view.query.review,
                options,
            )
            .0
            .on_hover_text(
                "Show only agreements with cells in this review status, and dim the other cells",
            )
            .labelled_by(label.id);
        });
        ui.separator();
        group_ui(ui, "sort", |ui| {
            let label = ui.label("Sort");
            let sort_before = view.query.sort;
            let options = RowOrder::ALL.map(|key| (key, key.label()));
            let selected = view.query.sort.label();
            dropdown_ui(ui, "sort", selected, &mut view.query.sort, options)
                .0
                .labelled_by(label.id);
            if view.query.sort != sort_before {
                // Choosing a sort here means this sort, not a column's.
                view.query.column_sort = None;
            }
            let descending = view
                .query
                .column_sort
                .as_ref()
                .map_or(view.query.descending, |sort| sort.descending);
            let direction = if descending {
                "↓ Descending"
            } else {
                "↑ Ascending"
            };
            if ui
                .button(direction)
                .on_hover_text("Reverse the order")
                .clicked()
            {
                match &mut view.query.column_sort {
                    Some(sort) => sort.descending = !sort.descending,
                    None => view.query.descending = !view.query.descending,
                }
            }
        });
        ui.separator();
        if !review_mode
            && ui
                .button(Action::AddAgreement.label())
                .on_hover_text(with_shortcut(ui.ctx(), Action::AddAgreement))
                .clicked()
        {
            events.push(AppEvent::Action(Action::AddAgreement));
        }
        ui.separator();
        group_ui(ui, "legend", |ui| {
            legend_ui(ui);
            // Never wrapped: "10 of 20" over "agreements" reads as two numbers.
            ui.add(
                egui::Label::new(count_label(shown, total, view.query.is_filtering()))
                    .wrap_mode(egui::TextWrapMode::Extend),
            );
        });
    });
    filter_chips_ui(ui, project, view, events);
}

/// A dropdown the keyboard can drive: when it opens, the chosen entry takes the focus, the
/// arrow keys move it, and Enter (or Space) picks the focused entry and closes the list, as a
/// click does. Returns the button's response and whether the value changed.
pub(super) fn dropdown_ui<T: PartialEq>(
    ui: &mut Ui,
    id_salt: &str,
    selected_text: &str,
    value: &mut T,
    options: impl IntoIterator<Item = (T, &'static str)>,
) -> (egui::Response, bool) {
    let mut changed = false;
    let response = egui::ComboBox::from_id_salt(id_salt)
        .selected_text(selected_text)
        .show_ui(ui, |ui| {
            // The pass it was last drawn in: a gap means the list has just opened.
            let shown_id = ui.scope_id().with("dropdown-last-pass");
            let pass = ui.ctx().cumulative_pass_nr();
            let just_opened = ui
                .data(|d| d.get_temp::<u64>(shown_id))
                .is_none_or(|last| last + 1 < pass);
            ui.data_mut(|d| d.insert_temp(shown_id, pass));
            let mut picked = None;
            for (option, text) in options {
                let is_selected = *value == option;
                let entry = ui.selectable_label(is_selected, text);
                if just_opened && is_selected {
                    entry.request_focus();
                }
                // A click, or Enter/Space on the focused entry (egui counts those as clicks).
                if entry.clicked() {
                    picked = Some(option);
                }
            }
            if let Some(option) = picked {
                changed = *value != option;
                *value = option;
                ui.close();
            }
        })
        .response;
    (response, changed)
}

/// An action's tooltip followed by its shortcut, e.g. "… (Ctrl+Shift+A)".
fn with_shortcut(ctx: &egui::Context, action: Action) -> String {
    match action.shortcut_text(ctx) {
        Some(shortcut) => format!("{} ({shortcut})", action.tooltip()),
        None => action.tooltip().to_owned(),
    }
}

/// One toolbar group (a label and its control): the toolbar wraps whole groups, never a label
/// away from its control. egui lays a group out before it knows its size, so the width it had
/// last frame decides whether it still fits on this row.
fn group_ui(ui: &mut Ui, name: &str, add: impl FnOnce(&mut Ui)) {
    let id = ui.scope_id().with(("toolbar-group", name));
    let width = ui.ctx().data(|d| d.get_temp::<f32>(id)).unwrap_or(0.0);
    if ui.available_size_before_wrap().x < width {
        ui.end_row();
    }
    let response = ui.horizontal(add).response;
    ui.ctx()
        .data_mut(|d| d.insert_temp(id, response.rect.width()));
}

/// What the text filter searches, as its placeholder says (see `model::query::searchable_texts`).
pub const FILTER_HINT: &str = "Search names, notes, quotes, comments…";

/// "20 agreements", or "10 of 20 agreements" while any filter is active.
pub fn count_label(shown: usize, total: usize, filtering: bool) -> String {
    if filtering {
        format!("{shown} of {total} agreements")
    } else {
        counted(total, "agreement", "agreements")
    }
}

/// Text of a column filter's chip: "Reference to Human Rights: Yes ×".
pub fn filter_chip_label(element_name: &str, allowed: &BTreeSet<Assessment>) -> String {
    let values: Vec<&str> = Assessment::ALL
        .iter()
        .filter(|a| allowed.contains(a))
        .map(|a| a.label())
        .collect();
    format!("{element_name}: {} ×", values.join(", "))
}

fn element_name(project: &Project, element: &ElementId) -> String {
    project.element(element).map_or_else(
        || format!("(removed element {})", element.as_str()),
        |(_, e)| e.display_name(),
    )
}

/// The column the rows are sorted by, with a × that returns to the toolbar's sort.
fn column_sort_chip_ui(ui: &mut Ui, project: &Project, view: &mut ViewState) {
    let Some(sort) = &view.query.column_sort else {
        return;
    };
    ui.label(egui::RichText::new("Sorted by:").weak());
    let text = format!("{} {} ×", element_name(project, &sort.element), sort.mark());
    if ui
        .button(text)
        .on_hover_text("Sorted by this column (click its header to reverse); click here to sort as chosen on the left")
        .clicked()
    {
        view.query.column_sort = None;
    }
}

/// The column sort's chip, then one removable chip per column filter and "Clear filters"
/// while any filter is active.
fn filter_chips_ui(
    ui: &mut Ui,
    project: &Project,
    view: &mut ViewState,
    events: &mut Vec<AppEvent>,
) {
    if !view.query.is_filtering() && view.query.column_sort.is_none() {
        // The row is always there, so the grid does not jump down when the first chip comes.
        ui.horizontal(|ui| {
            ui.set_min_height(ui.spacing().interact_size.y);
            ui.label(egui::RichText::new(NO_FILTERS_HINT).weak());
        });
        return;
    }
    ui.horizontal_wrapped(|ui| {
        ui.set_min_height(ui.spacing().interact_size.y);
        column_sort_chip_ui(ui, project, view);
        if !view.query.is_filtering() {
            return;
        }
        ui.label(egui::RichText::new("Filters:").weak());
        let mut removed = None;
        for (element, allowed) in &view.query.column_filters {
            let chip = filter_chip_label(&element_name(project, element), allowed);
            if ui
                .button(chip)
                .on_hover_text("Remove this column filter")
                .clicked()
            {
                removed = Some(element.clone());
            }
        }
        if let Some(element) = removed {
            view.query.column_filters.remove(&element);
        }
        // The table's command, so the button, the menu and the palette do one thing.
        let clear = Action::ClearFilters;
        if ui
            .button(clear.label())
            .on_hover_text(clear.tooltip())
            .clicked()
        {
            events.push(AppEvent::Action(clear));
        }
    });
}

/// What the chip row says while no filter or column sort is active.
pub const NO_FILTERS_HINT: &str =
    "No column filters: click a column header to sort by it, right-click it to filter";

/// Size of the legend's words: never below 12 px, so they read at a glance.
pub const LEGEND_TEXT_SIZE: f32 = 13.0;

fn legend_ui(ui: &mut Ui) {
    for assessment in Assessment::ALL {
        assessment_chip_ui(ui, assessment, egui::vec2(18.0, 16.0));
        ui.label(egui::RichText::new(assessment.label()).size(LEGEND_TEXT_SIZE));
    }
}
