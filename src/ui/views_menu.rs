//! The Views menu: saved views (filters, sort, shown frameworks) applied by name, and the name
//! prompt for saving or renaming one. Applying a view changes only what the grid shows, so it
//! stays out of undo; saving, updating, renaming and deleting are undoable commands.

use super::actions::Action;
use super::events::AppEvent;
// Re-exported where it was defined before, for callers that name it through the Views menu.
pub use super::events::ViewsEvent;
use super::view::{CentralTab, ViewState};
use crate::commands::Command;
use crate::model::{Project, SavedView, ViewId, new_view_id};
use egui::Ui;

/// The name prompt, when open.
#[derive(Debug, Default)]
pub struct ViewsMenuState {
    pub prompt: Option<NamePrompt>,
}

/// Asks for a view's name: a new view's, or a new name for an existing one.
#[derive(Debug)]
pub struct NamePrompt {
    /// The view being renamed; `None` saves a new view.
    renaming: Option<ViewId>,
    name: String,
    take_focus: bool,
}

/// Label of the prompt's text field.
pub const VIEW_NAME_LABEL: &str = "View name";

/// Draws the Views menu's contents (inside its `menu_button`).
pub fn views_menu_ui(ui: &mut Ui, project: &Project, events: &mut Vec<AppEvent>) {
    let mut send = |ui: &mut Ui, event: ViewsEvent| {
        events.push(AppEvent::Views(event));
        ui.close();
    };
    if project.views.is_empty() {
        ui.label("No saved views yet");
    }
    for view in &project.views {
        if ui
            .button(&view.name)
            .on_hover_text("Show the grid with this view's filters, sort and frameworks")
            .clicked()
        {
            send(ui, ViewsEvent::Apply(view.id.clone()));
        }
    }
    ui.separator();
    let save = Action::SaveViewAs;
    if ui
        .button(save.label())
        .on_hover_text(save.tooltip())
        .clicked()
    {
        send(ui, ViewsEvent::AskNameForNew);
    }
    let has_views = !project.views.is_empty();
    ui.add_enabled_ui(has_views, |ui| {
        ui.menu_button("Update a view", |ui| {
            for view in &project.views {
                if ui
                    .button(format!("Update {} with the current view", view.name))
                    .clicked()
                {
                    send(ui, ViewsEvent::Update(view.id.clone()));
                }
            }
        });
        ui.menu_button("Rename a view", |ui| {
            for view in &project.views {
                if ui.button(format!("Rename {}…", view.name)).clicked() {
                    send(ui, ViewsEvent::AskNewName(view.id.clone()));
                }
            }
        });
        ui.menu_button("Delete a view", |ui| {
            for view in &project.views {
                if ui.button(format!("Delete {}", view.name)).clicked() {
                    send(ui, ViewsEvent::Delete(view.id.clone()));
                }
            }
        });
    });
}

/// Draws the name prompt as a modal, when open.
pub fn name_prompt_ui(
    ctx: &egui::Context,
    project: &Project,
    state: &mut ViewsMenuState,
    events: &mut Vec<AppEvent>,
) {
    let Some(prompt) = &mut state.prompt else {
        return;
    };
    let mut close = false;
    egui::Modal::new(egui::Id::unique("view-name-prompt")).show(ctx, |ui| {
        ui.heading(if prompt.renaming.is_some() {
            "Rename a saved view"
        } else {
            "Save the current view"
        });
        let label = ui.label(VIEW_NAME_LABEL);
        let response = ui
            .text_edit_singleline(&mut prompt.name)
            .labelled_by(label.id);
        if prompt.take_focus {
            response.request_focus();
            prompt.take_focus = false;
        }
        let name = prompt.name.trim();
        let clash = project.views.iter().find(|v| {
            v.name.trim().eq_ignore_ascii_case(name) && prompt.renaming.as_ref() != Some(&v.id)
        });
        if let Some(existing) = clash {
            ui.label(format!(
                "A view named {} exists: pick another name, or use Views → Update a view.",
                existing.name
            ));
        }
        let can_save = !name.is_empty() && clash.is_none();
        let entered = response.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter));
        ui.horizontal(|ui| {
            let text = if prompt.renaming.is_some() {
                "Rename view"
            } else {
                "Save view"
            };
            if (ui.add_enabled(can_save, egui::Button::new(text)).clicked() || entered) && can_save
            {
                let name = name.to_owned();
                events.push(AppEvent::Views(match &prompt.renaming {
                    Some(id) => ViewsEvent::Rename {
                        id: id.clone(),
                        name,
                    },
                    None => ViewsEvent::SaveAs(name),
                }));
                close = true;
            }
            if ui.button("Cancel").clicked() || ui.input(|i| i.key_pressed(egui::Key::Escape)) {
                close = true;
            }
        });
    });
    if close {
        state.prompt = None;
    }
}

/// Carries out a Views event: the command to apply (an undoable edit), if any, and a message
/// for the user, if any.
pub fn handle_views_event(
    event: ViewsEvent,
    project: &Project,
    view: &mut ViewState,
    state: &mut ViewsMenuState,
) -> (Option<Command>, Option<String>) {
    match event {
        ViewsEvent::Apply(id) => {
            let Some(saved) = project.view(&id) else {
                return (None, Some(format!("No saved view `{id}` in this project")));
            };
            let skipped = apply_saved_view(project, saved, view);
            let message = if skipped.is_empty() {
                format!("View {} applied", saved.name)
            } else {
                format!(
                    "View {} applied without {}: not in this project any more",
                    saved.name,
                    skipped.join(", ")
                )
            };
            (None, Some(message))
        }
        ViewsEvent::AskNameForNew => {
            state.prompt = Some(NamePrompt {
                renaming: None,
                name: String::new(),
                take_focus: true,
            });
            (None, None)
        }
        ViewsEvent::AskNewName(id) => {
            let name = project
                .view(&id)
                .map(|v| v.name.clone())
                .unwrap_or_default();
            state.prompt = Some(NamePrompt {
                renaming: Some(id),
                name,
                take_focus: true,
            });
            (None, None)
        }
        ViewsEvent::SaveAs(name) => {
            let id = new_view_id(project, &name);
            let saved = saved_view_from_state(project, id, name, view);
            let command = Command::InsertView {
                index: project.views.len(),
                view: Box::new(saved),
            };
            (Some(command), None)
        }
        ViewsEvent::Update(id) => {
            let Some(old) = project.view(&id) else {
                return (None, Some(format!("No saved view `{id}` in this project")));
            };
            let saved = saved_view_from_state(project, id, old.name.clone(), view);
            (
                Some(Command::UpdateView {
                    view: Box::new(saved),
                }),
                None,
            )
        }
        ViewsEvent::Rename { id, name } => (Some(Command::RenameView { id, name }), None),
        ViewsEvent::Delete(id) => (Some(Command::RemoveView { id }), None),
    }
}

/// The grid's current filters, sort and shown frameworks as a saved view, all by id.
pub fn saved_view_from_state(
    project: &Project,
    id: ViewId,
    name: String,
    view: &ViewState,
) -> SavedView {
    SavedView::capture(project, id, name, &view.query, &view.hidden_frameworks)
}

/// Shows the grid the way `saved` does. What it refers to that the project no longer has is
/// left out, never guessed at; the returned list names it ("element `x`").
pub fn apply_saved_view(project: &Project, saved: &SavedView, view: &mut ViewState) -> Vec<String> {
    view.query = saved.query(project);
    view.hidden_frameworks = saved.hidden_frameworks(project);
    view.central_tab = CentralTab::Grid;
    view.scroll_to_selection = true;
    saved.missing_references(project)
}
