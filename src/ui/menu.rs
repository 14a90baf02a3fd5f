//! The menu bar, built from the action table.

use super::actions::Action;
use super::app::AppEvent;
use crate::model::{FrameworkId, Project};
use egui::Ui;
use std::collections::BTreeSet;
use std::path::PathBuf;

/// What the menus need to know.
pub struct MenuInput<'a> {
    pub project: &'a Project,
    pub recent_files: &'a [PathBuf],
    pub undo_label: Option<&'a str>,
    pub redo_label: Option<&'a str>,
    pub hidden_frameworks: &'a BTreeSet<FrameworkId>,
    pub panels: [bool; 3],
    pub highlight_incomplete: bool,
    pub review_mode: bool,
    /// A file dialog is open: no second one.
    pub dialog_open: bool,
}

fn action_button(ui: &mut Ui, action: Action, enabled: bool, events: &mut Vec<AppEvent>) {
    let mut button = egui::Button::new(action.label());
    if let Some(shortcut) = action.shortcuts().first() {
        button = button.shortcut_text(ui.ctx().format_shortcut(shortcut));
    }
    if ui.add_enabled(enabled, button).clicked() {
        events.push(AppEvent::Action(action));
        ui.close();
    }
}

fn toggle(ui: &mut Ui, action: Action, on: bool, events: &mut Vec<AppEvent>) {
    let mut checked = on;
    if ui.checkbox(&mut checked, action.label()).clicked() {
        events.push(AppEvent::Action(action));
    }
}

/// Draws the menu bar.
pub fn menu_bar_ui(ui: &mut Ui, input: &MenuInput<'_>, events: &mut Vec<AppEvent>) {
    egui::MenuBar::new().ui(ui, |ui| {
        ui.menu_button("File", |ui| {
            action_button(ui, Action::New, true, events);
            action_button(ui, Action::Open, !input.dialog_open, events);
            ui.menu_button("Open Recent", |ui| {
                if input.recent_files.is_empty() {
                    ui.label("No recent files");
                }
                for path in input.recent_files {
                    let name = path.file_name().map_or_else(
                        || path.display().to_string(),
                        |n| n.to_string_lossy().into_owned(),
                    );
                    if ui
                        .button(name)
                        .on_hover_text(path.display().to_string())
                        .clicked()
                    {
                        events.push(AppEvent::OpenPath(path.clone()));
                        ui.close();
                    }
                }
            });
            ui.separator();
            action_button(ui, Action::ProjectInfo, true, events);
            ui.separator();
            action_button(ui, Action::Save, !input.dialog_open, events);
            action_button(ui, Action::SaveAs, !input.dialog_open, events);
            ui.separator();
            action_button(ui, Action::Close, true, events);
            action_button(ui, Action::Quit, true, events);
        });
        ui.menu_button("Edit", |ui| {
            let undo = input
                .undo_label
                .map_or_else(|| "Undo".to_owned(), |l| format!("Undo {l}"));
            let redo = input
                .redo_label
                .map_or_else(|| "Redo".to_owned(), |l| format!("Redo {l}"));
            for (action, text, enabled) in [
                (Action::Undo, undo, input.undo_label.is_some()),
                (Action::Redo, redo, input.redo_label.is_some()),
            ] {
                let shortcut = action
                    .shortcuts()
                    .first()
                    .map(|s| ui.ctx().format_shortcut(s))
                    .unwrap_or_default();
                if ui
                    .add_enabled(enabled, egui::Button::new(text).shortcut_text(shortcut))
                    .clicked()
                {
                    events.push(AppEvent::Action(action));
                    ui.close();
                }
            }
            ui.separator();
            action_button(ui, Action::Find, true, events);
            action_button(ui, Action::AddAgreement, !input.review_mode, events);
            ui.separator();
            action_button(ui, Action::Preferences, true, events);
        });
        ui.menu_button("View", |ui| {
            ui.label(egui::RichText::new("Frameworks shown as columns").strong());
            for framework in &input.project.frameworks {
                let mut shown = !input.hidden_frameworks.contains(&framework.id);
                if ui.checkbox(&mut shown, &framework.name).clicked() {
                    events.push(AppEvent::ToggleFramework(framework.id.clone()));
                }
            }
            ui.separator();
            ui.label(egui::RichText::new("Panels").strong());
            toggle(ui, Action::ToggleCellPanel, input.panels[0], events);
            toggle(ui, Action::ToggleInitiativesPanel, input.panels[1], events);
            toggle(ui, Action::ToggleNormsPanel, input.panels[2], events);
            ui.separator();
            toggle(
                ui,
                Action::ToggleHighlightIncomplete,
                input.highlight_incomplete,
                events,
            );
        });
        ui.menu_button("Views", |ui| {
            super::views_menu::views_menu_ui(ui, input.project, events);
        });
        ui.menu_button("Review", |ui| {
            toggle(ui, Action::ToggleReviewMode, input.review_mode, events);
            ui.separator();
            action_button(ui, Action::ShowDisputed, true, events);
            action_button(ui, Action::ShowNeedsReview, true, events);
            action_button(ui, Action::ReviewSummary, true, events);
            ui.separator();
            action_button(ui, Action::Compare, true, events);
            action_button(ui, Action::Merge, !input.review_mode, events);
            action_button(ui, Action::CoderAgreement, true, events);
        });
    });
}
