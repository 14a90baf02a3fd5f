//! The UNGGE 2015 norms (a)–(k): their text, which of them the selected agreement includes, and
//! how many agreements include each. Clicking a norm brings its column into view.

use super::actions::Action;
use super::events::AppEvent;
use super::palette_ui::assessment_chip_ui;
use super::view::ViewState;
use crate::model::standard::UNGGE_NORMS_FRAMEWORK;
use crate::model::{AgreementId, Assessment, FrameworkId, Project};
use egui::{RichText, Ui};

/// Draws the norms panel.
pub fn norms_panel_ui(
    ui: &mut Ui,
    project: &Project,
    view: &ViewState,
    events: &mut Vec<AppEvent>,
) {
    super::cell_panel::hide_panel_button_ui(ui, Action::ToggleNormsPanel, events);
    ui.heading("UNGGE 2015 norms");
    let Some(framework) = project.framework(&FrameworkId::new(UNGGE_NORMS_FRAMEWORK)) else {
        ui.label("This project has no UNGGE 2015 norms framework.");
        return;
    };
    let selected = view
        .selection
        .agreement
        .as_ref()
        .and_then(|a| project.agreement(a));
    match selected {
        Some(a) => ui.label(format!("Marks show which norms {} includes.", a.short_name)),
        None => ui.label("Select an agreement to see which norms it includes."),
    };
    let agreements: Vec<AgreementId> = project.agreements.iter().map(|a| a.id.clone()).collect();
    egui::ScrollArea::vertical()
        .id_salt("norms-panel")
        .show(ui, |ui| {
            for element in &framework.elements {
                let tally = crate::model::tally::element_tally(project, &element.id, &agreements);
                egui::Frame::group(ui.style()).show(ui, |ui| {
                    ui.set_width(ui.available_width());
                    ui.horizontal(|ui| {
                        if let Some(a) = selected {
                            let assessment = project.assessment(&a.id, &element.id);
                            assessment_chip_ui(ui, assessment, egui::vec2(20.0, 18.0));
                        }
                        let title = format!("{} {}", element.label, element.name);
                        if ui
                            .link(RichText::new(title).strong())
                            .on_hover_text("Show this norm's column in the grid")
                            .clicked()
                        {
                            events.push(AppEvent::ShowElement(element.id.clone()));
                        }
                    });
                    ui.label(&element.definition);
                    let included = tally.present();
                    ui.label(
                        RichText::new(format!(
                            "{included} of {} agreements include it ({} Yes, {} Indirect){}",
                            agreements.len(),
                            tally.yes,
                            tally.indirect,
                            if tally.not_assessed == agreements.len() {
                                " · not assessed yet"
                            } else {
                                ""
                            }
                        ))
                        .small()
                        .weak(),
                    );
                    if selected.is_some_and(|a| {
                        project.assessment(&a.id, &element.id) == Assessment::NotAssessed
                    }) {
                        ui.label(
                            RichText::new("Not assessed for this agreement")
                                .small()
                                .weak(),
                        );
                    }
                });
            }
        });
}
