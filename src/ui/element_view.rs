//! The "Element across agreements" tab: every quote for one element, oldest agreement first,
//! side by side, with export to CSV and HTML.

use super::events::AppEvent;
use super::memo::Memo;
use super::palette_ui::{assessment_fill, assessment_text};
use crate::export::element_report::{ElementFormat, Row, element_rows};
use crate::model::text::counted;
use crate::model::{ElementId, Project};
use egui::{RichText, Ui};

/// The element shown, and its rows as last computed.
#[derive(Default)]
pub struct ElementViewState {
    /// `None` until one is chosen: the selected column, else the first element.
    pub element: Option<ElementId>,
    rows: Memo<((u64, u64), ElementId), Vec<Row>>,
}

impl ElementViewState {
    /// The element the tab shows: the one chosen, else `selected`, else the first.
    pub fn shown_element(
        &self,
        project: &Project,
        selected: Option<&ElementId>,
    ) -> Option<ElementId> {
        self.element
            .iter()
            .chain(selected)
            .find(|id| project.element(id).is_some())
            .cloned()
            .or_else(|| project.elements().next().map(|(_, e)| e.id.clone()))
    }
}

/// Width of the quote column: long quotes wrap inside it.
const QUOTE_WIDTH: f32 = 380.0;

/// Draws the tab.
pub fn element_view_ui(
    ui: &mut Ui,
    project: &Project,
    revision: (u64, u64),
    selected: Option<&ElementId>,
    state: &mut ElementViewState,
    events: &mut Vec<AppEvent>,
) {
    ui.heading("Element across agreements");
    let Some(element) = state.shown_element(project, selected) else {
        ui.label("The project has no elements yet.");
        return;
    };
    let element_name = |id: &ElementId| {
        project.element(id).map_or_else(
            || id.to_string(),
            |(f, e)| format!("{} · {}", f.name, e.display_name()),
        )
    };
    let mut chosen = element.clone();
    ui.horizontal(|ui| {
        let label = ui.label("Element");
        egui::ComboBox::from_id_salt("element-across")
            .selected_text(element_name(&element))
            .width(420.0)
            .show_ui(ui, |ui| {
                for (_, candidate) in project.elements() {
                    ui.selectable_value(
                        &mut chosen,
                        candidate.id.clone(),
                        element_name(&candidate.id),
                    );
                }
            })
            .response
            .labelled_by(label.id);
        if ui
            .button("Export CSV…")
            .on_hover_text("These rows as CSV for spreadsheets")
            .clicked()
        {
            events.push(AppEvent::ExportElement(ElementFormat::Csv));
        }
        if ui
            .button("Export HTML…")
            .on_hover_text("These rows as one HTML page that opens in any browser")
            .clicked()
        {
            events.push(AppEvent::ExportElement(ElementFormat::Html));
        }
    });
    if chosen != element {
        state.element = Some(chosen.clone());
    } else if state.element.is_none() {
        // Keep showing this element when the grid's selection moves on.
        state.element = Some(element.clone());
    }
    let rows = state.rows.get_or_compute((revision, chosen.clone()), || {
        element_rows(project, &chosen)
    });
    ui.label(
        RichText::new(format!(
            "{}, oldest agreement first. Click an agreement to see its cell in the grid.",
            counted(rows.len(), "quote", "quotes")
        ))
        .weak(),
    );
    ui.separator();
    egui::ScrollArea::both()
        .id_salt("element-across-rows")
        .auto_shrink([false, false])
        .show(ui, |ui| {
            egui::Grid::new("element-across-table")
                .striped(true)
                .num_columns(7)
                .show(ui, |ui| {
                    for heading in [
                        "Year",
                        "Agreement",
                        "Assessment",
                        "Quote",
                        "Locator",
                        "Source",
                        "State",
                    ] {
                        ui.label(RichText::new(heading).strong());
                    }
                    ui.end_row();
                    for row in rows {
                        row_ui(ui, project, &chosen, row, events);
                        ui.end_row();
                    }
                });
        });
}

fn row_ui(
    ui: &mut Ui,
    project: &Project,
    element: &ElementId,
    row: &Row,
    events: &mut Vec<AppEvent>,
) {
    ui.label(row.year_text());
    let short = project
        .agreement(&row.agreement)
        .map_or_else(|| row.agreement_name.clone(), |a| a.short_name.clone());
    if ui
        .link(short)
        .on_hover_text(row.agreement_name.as_str())
        .clicked()
    {
        events.push(AppEvent::ShowCell {
            agreement: row.agreement.clone(),
            element: element.clone(),
        });
    }
    egui::Frame::new()
        .fill(assessment_fill(row.assessment))
        .inner_margin(egui::Margin::symmetric(6, 2))
        .corner_radius(3.0)
        .show(ui, |ui| {
            ui.label(
                RichText::new(format!(
                    "{} {}",
                    row.assessment.letter(),
                    row.assessment.label()
                ))
                .color(assessment_text(row.assessment))
                .strong(),
            );
        });
    ui.scope(|ui| {
        ui.set_max_width(QUOTE_WIDTH);
        let quote = if row.quote.is_empty() {
            RichText::new("(no quote)").weak()
        } else {
            RichText::new(format!("“{}”", row.quote)).italics()
        };
        ui.add(egui::Label::new(quote).wrap());
    });
    ui.scope(|ui| {
        ui.set_max_width(180.0);
        ui.add(egui::Label::new(row.locator.as_str()).wrap());
    });
    ui.scope(|ui| {
        ui.set_max_width(200.0);
        ui.add(egui::Label::new(row.source_title.as_str()).wrap());
    });
    let state = row.state_label();
    if row.state.is_failure() {
        ui.colored_label(ui.visuals().warn_fg_color, state);
    } else {
        ui.label(state);
    }
}
