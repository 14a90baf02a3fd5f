//! The Project window: the title, description and as-of date that every chart, report and
//! summary prints, and the project's sources. Each field's typing is one undo step, as in the
//! other panels.

use super::events::AppEvent;
use super::sources_view::{SourcesState, sources_list_ui};
use crate::commands::TypingKey;
use crate::model::Project;
use chrono::NaiveDate;
use egui::{RichText, TextEdit, Ui};

/// How the as-of date is typed and shown.
const DATE_FORMAT: &str = "%Y-%m-%d";

/// Whether the Project window is open, and the as-of date while it is being typed.
#[derive(Debug, Default)]
pub struct ProjectPanel {
    /// The window shows.
    pub open: bool,
    /// The date text as typed; `None` shows the project's date. A half-typed date is not a
    /// date yet, so it lives here until it parses.
    as_of_text: Option<String>,
}

/// Draws the Project window when it is open. `locked` (Review mode) shows the fields read-only.
pub fn project_panel_ui(
    ctx: &egui::Context,
    project: &Project,
    locked: bool,
    panel: &mut ProjectPanel,
    sources: &mut SourcesState,
    events: &mut Vec<AppEvent>,
) {
    let mut open = panel.open;
    egui::Window::new("Project")
        .id(egui::Id::unique("project-panel"))
        // Opens in the middle of the window, not over the menu bar.
        .pivot(egui::Align2::CENTER_CENTER)
        .default_pos(ctx.content_rect().center())
        .open(&mut open)
        .resizable(true)
        .default_width(420.0)
        .show(ctx, |ui| {
            ui.add_enabled_ui(!locked, |ui| fields_ui(ui, project, panel, events));
            ui.add_space(4.0);
            ui.label(
                RichText::new("Every chart prints the title and the as-of date; the HTML report and `normgrid summary` print them too.")
                    .weak(),
            );
            ui.separator();
            egui::ScrollArea::vertical()
                .id_salt("project-sources")
                .max_height(360.0)
                .show(ui, |ui| sources_list_ui(ui, project, locked, sources, events));
        });
    panel.open = open;
    if !panel.open {
        panel.as_of_text = None;
    }
}

fn fields_ui(ui: &mut Ui, project: &Project, panel: &mut ProjectPanel, events: &mut Vec<AppEvent>) {
    let mut title = project.title.clone();
    let mut description = project.description.clone();
    let mut as_of = project.as_of;
    let mut edited = None;

    let label = ui.label("Project title");
    if ui
        .add(
            TextEdit::singleline(&mut title)
                .id_salt("project-title")
                .desired_width(f32::INFINITY),
        )
        .labelled_by(label.id)
        .changed()
    {
        edited = Some("title");
    }

    let label = ui.label("Project description");
    if ui
        .add(
            TextEdit::multiline(&mut description)
                .id_salt("project-description")
                .desired_rows(3)
                .desired_width(f32::INFINITY),
        )
        .labelled_by(label.id)
        .changed()
    {
        edited = Some("description");
    }

    ui.horizontal(|ui| {
        let label = ui.label("As of (YYYY-MM-DD)");
        let mut text = panel
            .as_of_text
            .clone()
            .unwrap_or_else(|| project.as_of.format(DATE_FORMAT).to_string());
        let response = ui
            .add(
                TextEdit::singleline(&mut text)
                    .id_salt("project-as-of")
                    .desired_width(110.0),
            )
            .labelled_by(label.id);
        if response.changed() {
            if let Ok(date) = NaiveDate::parse_from_str(text.trim(), DATE_FORMAT)
                && date != project.as_of
            {
                as_of = date;
                edited = Some("as_of");
            }
            panel.as_of_text = Some(text);
        } else if !response.has_focus() {
            // Leaving the field (or an undo) shows the project's date again.
            panel.as_of_text = None;
        }
        let typed_date = panel
            .as_of_text
            .as_deref()
            .map(|t| NaiveDate::parse_from_str(t.trim(), DATE_FORMAT));
        if let Some(Err(_)) = typed_date {
            ui.label(
                RichText::new("Not a date yet: type it as 2026-03-31.")
                    .color(ui.visuals().warn_fg_color),
            );
        }
    });

    if let Some(field) = edited {
        events.push(AppEvent::SetProjectInfo {
            title,
            description,
            as_of,
            typing: TypingKey::ProjectInfo(field),
        });
    }
}
