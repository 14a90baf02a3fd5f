//! The bar above the grid: filter, sort, and the completeness highlight.

use super::actions::Action;
use super::app::AppEvent;
use super::palette_ui::assessment_chip_ui;
use super::view::{SortKey, ViewState};
use crate::model::{Assessment, Binding, ReviewStatus, Space};
use egui::Ui;

/// Draws the toolbar; `shown` and `total` count rows.
pub fn toolbar_ui(
    ui: &mut Ui,
    view: &mut ViewState,
    shown: usize,
    total: usize,
    review_mode: bool,
    events: &mut Vec<AppEvent>,
) {
    ui.horizontal_wrapped(|ui| {
        let label = ui.label("Filter");
        let filter = ui.add(
            egui::TextEdit::singleline(&mut view.query.text)
                .id_salt("filter")
                .hint_text("names and notes")
                .desired_width(150.0),
        );
        let filter = filter.labelled_by(label.id);
        if std::mem::take(&mut view.focus_filter) {
            filter.request_focus();
        }
        if filter.has_focus() && ui.input(|i| i.key_pressed(egui::Key::Escape)) {
            view.query.text.clear();
        }
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
        ui.separator();
        let label = ui.label("Sort");
        egui::ComboBox::from_id_salt("sort")
            .selected_text(view.query.sort.label())
            .show_ui(ui, |ui| {
                for key in SortKey::ALL {
                    ui.selectable_value(&mut view.query.sort, key, key.label());
                }
            })
            .response
            .labelled_by(label.id);
        let direction = if view.query.descending {
            "↓ Descending"
        } else {
            "↑ Ascending"
        };
        if ui
            .button(direction)
            .on_hover_text("Reverse the order")
            .clicked()
        {
            view.query.descending = !view.query.descending;
        }
        ui.separator();
        ui.checkbox(&mut view.highlight_incomplete, "Highlight incomplete")
            .on_hover_text("Outline cells that are not assessed or not reviewed; dim the rest");
        if !review_mode && ui.button(Action::AddAgreement.label()).clicked() {
            events.push(AppEvent::Action(Action::AddAgreement));
        }
        ui.separator();
        legend_ui(ui);
        if shown == total {
            ui.label(format!("{total} agreements"));
        } else {
            ui.label(format!("{shown} of {total} agreements"));
        }
    });
}

fn legend_ui(ui: &mut Ui) {
    for assessment in Assessment::ALL {
        assessment_chip_ui(ui, assessment, egui::vec2(18.0, 16.0));
        ui.label(egui::RichText::new(assessment.label()).small());
    }
}
