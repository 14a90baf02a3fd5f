//! The Coder agreement tab: how far independent volunteers' assessments agree, with each
//! disagreeing cell openable side by side.

use super::dialogs::FilePurpose;
use super::document::OtherFile;
use super::events::AppEvent;
use super::memo::Memo;
use super::versions_table::{VersionColumn, VersionRow, versions_table_ui};
use crate::collab::coder_agreement;
use crate::collab::coder_agreement::{AgreementReport, strength};
use crate::model::text::counted;
use crate::model::{AgreementId, ElementId, Project};
use egui::{RichText, Ui};

/// The other coders' files and the cached report.
#[derive(Default)]
pub struct CodersState {
    pub others: Vec<OtherFile>,
    /// The disagreement opened side by side.
    pub opened: Option<(AgreementId, ElementId)>,
    /// Bumped whenever the other coders' files change.
    generation: u64,
    report_memo: Memo<((u64, u64), u64), AgreementReport>,
}

impl CodersState {
    pub fn add(&mut self, other: OtherFile) {
        self.others.push(other);
        self.generation += 1;
    }

    fn remove(&mut self, index: usize) {
        if index < self.others.len() {
            self.others.remove(index);
            self.generation += 1;
        }
    }

    /// The report over the open project and the other coders' files.
    pub fn report(&mut self, project: &Project, revision: (u64, u64)) -> Option<&AgreementReport> {
        if self.others.is_empty() {
            return None;
        }
        let others = &self.others;
        Some(
            self.report_memo
                .get_or_compute((revision, self.generation), || {
                    let mut coders = vec![("This project".to_owned(), project)];
                    coders.extend(others.iter().map(|o| (o.name(), &o.project)));
                    coder_agreement(&coders)
                }),
        )
    }
}

/// One line of the side-by-side table: how to show a cell's field.
type CellText = fn(&crate::model::Cell) -> String;

fn show(value: Option<f64>) -> String {
    value.map_or_else(|| "undefined".to_owned(), |v| format!("{v:.3}"))
}

/// Draws the Coder agreement tab.
pub fn coders_view_ui(
    ui: &mut Ui,
    project: &Project,
    revision: (u64, u64),
    state: &mut CodersState,
    events: &mut Vec<AppEvent>,
) {
    ui.heading("Agreement between coders");
    ui.label(
        RichText::new(
            "Two or more volunteers assess the same agreements independently. Statistics count \
             only cells both coders assessed (Yes, Indirect or No); not assessed is missing data.",
        )
        .weak(),
    );
    ui.horizontal_wrapped(|ui| {
        ui.label("Coders: 1. This project");
        let mut remove = None;
        for (i, other) in state.others.iter().enumerate() {
            ui.label(format!("{}. {}", i + 2, other.name()));
            if ui
                .small_button("Remove")
                .on_hover_text(format!("Leave out {}", other.name()))
                .clicked()
            {
                remove = Some(i);
            }
        }
        if let Some(i) = remove {
            state.remove(i);
        }
        if ui.button("Add a coder's file…").clicked() {
            events.push(AppEvent::ChooseFile(FilePurpose::AddCoder));
        }
    });
    let opened = state.opened.clone();
    let Some(report) = state.report(project, revision) else {
        ui.add_space(12.0);
        ui.label("Add at least one other coder's file to compare.");
        return;
    };
    let report = report.clone();
    ui.separator();
    if report.units == 0 {
        ui.label(format!(
            "Nothing to compare: {}.",
            report.undefined_reason()
        ));
        return;
    }
    ui.label(
        RichText::new(format!(
            "Percent agreement: {:.1}% ({} of {} cells)",
            report.percent().unwrap_or(0.0),
            report.agreed,
            report.units
        ))
        .strong(),
    );
    for pair in &report.pairs {
        let kappa = pair.kappa.map_or_else(
            || format!("undefined: {}", report.undefined_reason()),
            |k| format!("{k:.3} ({})", strength(k)),
        );
        ui.label(format!(
            "Cohen's kappa, {} vs {}: {kappa}, over {} cells",
            report.coders[pair.first], report.coders[pair.second], pair.units
        ));
    }
    ui.label(format!(
        "Krippendorff's alpha (nominal): {}",
        report.alpha.map_or_else(
            || format!("undefined: {}", report.undefined_reason()),
            |a| format!("{a:.3}")
        )
    ));
    if report.assessed_by_one > 0 {
        ui.label(
            RichText::new(format!(
                "{} by one coder only and left out.",
                counted(
                    report.assessed_by_one,
                    "cell was assessed",
                    "cells were assessed"
                )
            ))
            .weak(),
        );
    }
    ui.separator();
    egui::ScrollArea::vertical()
        .id_salt("coders-report")
        .auto_shrink([false, false])
        .show(ui, |ui| {
            egui::CollapsingHeader::new("Per element")
                .default_open(true)
                .show(ui, |ui| {
                    egui::Grid::new("per-element").striped(true).show(ui, |ui| {
                        for heading in ["Element", "Cells", "Agree", "Kappa", "Alpha"] {
                            ui.label(RichText::new(heading).strong());
                        }
                        ui.end_row();
                        for e in report.elements.iter().filter(|e| e.units > 0) {
                            ui.label(&e.name);
                            ui.label(e.units.to_string());
                            ui.label(format!("{:.0}%", e.percent().unwrap_or(0.0)));
                            ui.label(show(e.kappa));
                            ui.label(show(e.alpha));
                            ui.end_row();
                        }
                    });
                });
            ui.label(
                RichText::new(format!("Disagreeing cells: {}", report.disagreements.len()))
                    .strong(),
            );
            for d in &report.disagreements {
                let key = (d.agreement.clone(), d.element.clone());
                let is_open = opened.as_ref() == Some(&key);
                let values: Vec<String> = d.values.iter().map(|v| v.label().to_owned()).collect();
                let text = format!("{}: {}", d.title, values.join(" vs "));
                if ui.selectable_label(is_open, text).clicked() {
                    state.opened = if is_open { None } else { Some(key.clone()) };
                }
                if is_open {
                    side_by_side_ui(ui, project, &state.others, &key, events);
                }
            }
        });
}

/// Every coder's version of one cell, in columns.
fn side_by_side_ui(
    ui: &mut Ui,
    project: &Project,
    others: &[OtherFile],
    (agreement, element): &(AgreementId, ElementId),
    events: &mut Vec<AppEvent>,
) {
    egui::Frame::group(ui.style()).show(ui, |ui| {
        let mut coders = vec![("This project".to_owned(), project)];
        coders.extend(others.iter().map(|o| (o.name(), &o.project)));
        let cells: Vec<_> = coders
            .iter()
            .map(|(_, p)| p.cell(agreement, element))
            .collect();
        let columns: Vec<VersionColumn> = coders
            .iter()
            .map(|(name, _)| VersionColumn {
                heading: name.clone(),
                by: None,
            })
            .collect();
        let fields: [(&str, CellText); 5] = [
            ("Assessment", |c| c.assessment.label().to_owned()),
            ("Note", |c| c.note.clone()),
            ("Evidence", |c| c.quotes_joined()),
            ("Locators", |c| c.locators_joined()),
            ("Edited by", |c| {
                crate::collab::diff::by_line(&c.edited_by, c.edited_at).unwrap_or_default()
            }),
        ];
        let rows: Vec<VersionRow> = fields
            .iter()
            .map(|(field, text)| {
                let values: Vec<String> = cells.iter().map(text).collect();
                VersionRow {
                    field: (*field).to_owned(),
                    flagged: *field != "Edited by" && values.iter().any(|v| v != &values[0]),
                    values,
                }
            })
            .collect();
        versions_table_ui(ui, &columns, &rows);
        if ui.button("Show in the grid").clicked() {
            events.push(AppEvent::ShowCell {
                agreement: agreement.clone(),
                element: element.clone(),
            });
        }
    });
}
