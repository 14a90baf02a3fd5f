//! The grid's menus and hover text: the right-click menu of a row or column, a column's
//! filter checkboxes, header labels and the tooltips over cells and headers.

use super::super::events::AppEvent;
use super::super::view::{ContextTarget, ViewState};
use super::input::Hit;
use super::{GridInput, unassessed_framework_note, unassessed_frameworks};
use crate::model::{AgreementId, Assessment, ElementId, Project};
use egui::Ui;

pub(super) fn context_menu_ui(
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

pub(super) fn hover_tooltip(
    response: &egui::Response,
    input: &GridInput<'_>,
    view: &ViewState,
    hit: &Hit,
) {
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

/// "Yes 10 · Indirect 3 · …" over the shown rows, for a column header's tooltip.
fn column_counts(project: &Project, rows: &[AgreementId], element: &ElementId) -> String {
    let mut counts = [0usize; 4];
    for agreement in rows {
        let rank = crate::model::query::assessment_rank(project.assessment(agreement, element));
        if let Some(count) = counts.get_mut(usize::from(rank)) {
            *count += 1;
        }
    }
    Assessment::ALL
        .iter()
        .map(|a| {
            let rank = usize::from(crate::model::query::assessment_rank(*a));
            let count = counts.get(rank).copied().unwrap_or_default();
            format!("{} {count}", a.label())
        })
        .collect::<Vec<_>>()
        .join(" · ")
}
