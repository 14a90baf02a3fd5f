//! The bar above the grid: filter, sort, and the completeness highlight.

use super::actions::Action;
use super::events::AppEvent;
use super::palette_ui::assessment_chip_ui;
use super::view::{SortKey, ViewState};
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
            if filter.has_focus()
                && ui.input(|i| clear_keys.iter().any(|s| i.key_pressed(s.logical_key)))
            {
                events.push(AppEvent::Action(Action::ClearTextFilter));
            }
        });
        group_ui(ui, "space", |ui| {
            let label = ui.label("Space");
            egui::ComboBox::from_id_salt("filter-space")
                .selected_text(view.query.space.map_or("Any", Space::label))
                .show_ui(ui, |ui| {
                    ui.selectable_value(&mut view.query.space, None, "Any space");
                    for space in Space::ALL {
                        ui.selectable_value(&mut view.query.space, Some(space), space.label());
                    }
                })
                .response
                .labelled_by(label.id);
        });
        group_ui(ui, "binding", |ui| {
            let label = ui.label("Binding");
            egui::ComboBox::from_id_salt("filter-binding")
                .selected_text(view.query.binding.map_or("Any", Binding::label))
                .show_ui(ui, |ui| {
                    ui.selectable_value(&mut view.query.binding, None, "Any binding");
                    for binding in Binding::ALL {
                        ui.selectable_value(&mut view.query.binding, Some(binding), binding.label());
                    }
                })
                .response
                .labelled_by(label.id);
        });
        group_ui(ui, "review", |ui| {
            let label = ui.label("Review status");
            egui::ComboBox::from_id_salt("filter-review")
                .selected_text(view.query.review.map_or("Any", ReviewStatus::label))
                .show_ui(ui, |ui| {
                    ui.selectable_value(&mut view.query.review, None, "Any status");
                    for status in ReviewStatus::ALL {
                        ui.selectable_value(&mut view.query.review, Some(status), status.label());
                    }
                })
                .response
                .on_hover_text(
                    "Show only agreements with cells in this review status, and dim the other cells",
                )
                .labelled_by(label.id);
        });
        ui.separator();
        group_ui(ui, "sort", |ui| {
            let label = ui.label("Sort");
            let sort_before = view.query.sort;
            egui::ComboBox::from_id_salt("sort")
                .selected_text(view.query.sort.label())
                .show_ui(ui, |ui| {
                    for key in SortKey::ALL {
                        ui.selectable_value(&mut view.query.sort, key, key.label());
                    }
                })
                .response
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
                .on_hover_text(Action::AddAgreement.tooltip())
                .clicked()
        {
            events.push(AppEvent::Action(Action::AddAgreement));
        }
        ui.separator();
        group_ui(ui, "legend", |ui| {
            legend_ui(ui);
            ui.label(count_label(shown, total, view.query.is_filtering()));
        });
    });
    filter_chips_ui(ui, project, view);
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

/// What the text filter searches, as its placeholder says (see `view::visible_rows`).
pub const FILTER_HINT: &str = "Search names, notes, quotes, comments…";

/// "20 agreements", or "10 of 20 agreements" while any filter is active.
pub fn count_label(shown: usize, total: usize, filtering: bool) -> String {
    if filtering {
        format!("{shown} of {total} agreements")
    } else {
        format!("{total} agreements")
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
fn filter_chips_ui(ui: &mut Ui, project: &Project, view: &mut ViewState) {
    if !view.query.is_filtering() && view.query.column_sort.is_none() {
        return;
    }
    ui.horizontal_wrapped(|ui| {
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
        if ui
            .button("Clear filters")
            .on_hover_text(
                "Show every agreement: clears the text, space, binding, review and column filters",
            )
            .clicked()
        {
            view.query.clear_filters();
        }
    });
}

fn legend_ui(ui: &mut Ui) {
    for assessment in Assessment::ALL {
        assessment_chip_ui(ui, assessment, egui::vec2(18.0, 16.0));
        ui.label(egui::RichText::new(assessment.label()).small());
    }
}
