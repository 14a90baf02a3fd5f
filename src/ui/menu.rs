//! The menu bar, built from the action table: labels, shortcuts, tooltips, enabled and
//! checked states all come from [`Action`]. F10 opens the first menu and Alt with a menu's
//! underlined letter opens that menu, as in desktop programs.

use super::actions::{Action, ActionState};
use super::events::AppEvent;
use crate::model::{FrameworkId, Project};
use egui::text::LayoutJob;
use egui::{Key, Modifiers, TextFormat, Ui};
use std::collections::BTreeSet;
use std::path::PathBuf;

/// What the menus need to know.
pub struct MenuInput<'a> {
    pub project: &'a Project,
    pub recent_files: &'a [PathBuf],
    pub undo_label: Option<&'a str>,
    pub redo_label: Option<&'a str>,
    pub hidden_frameworks: &'a BTreeSet<FrameworkId>,
    /// Enabled and checked states for the action table.
    pub actions: ActionState,
    /// False while a dialog or the palette has the keyboard: F10 and Alt+letter are theirs.
    pub takes_keys: bool,
}

/// Each menu's access key (Alt+key) and the position of its letter in the title.
const ACCESS_KEYS: [(Key, usize); 6] = [
    (Key::F, 0), // File
    (Key::E, 0), // Edit
    (Key::A, 0), // Assess
    (Key::V, 0), // View
    (Key::S, 4), // Views
    (Key::R, 0), // Review
];

/// The menu to open for this frame's keys: F10 the first, Alt+letter its own.
fn menu_asked_for(ctx: &egui::Context) -> Option<usize> {
    ctx.input_mut(|i| {
        if i.consume_key(Modifiers::NONE, Key::F10) {
            return Some(0);
        }
        ACCESS_KEYS
            .iter()
            .position(|(key, _)| i.consume_key(Modifiers::ALT, *key))
    })
}

/// A menu title with its access letter underlined.
fn title_with_access_key(ui: &Ui, title: &str, letter: usize) -> LayoutJob {
    let font = egui::TextStyle::Button.resolve(ui.style());
    let color = ui.visuals().text_color();
    let plain = TextFormat::simple(font.clone(), color);
    let underlined = TextFormat {
        underline: egui::Stroke::new(1.0, color),
        ..TextFormat::simple(font, color)
    };
    let mut job = LayoutJob::default();
    for (at, c) in title.chars().enumerate() {
        let format = if at == letter { &underlined } else { &plain };
        job.append(&c.to_string(), 0.0, format.clone());
    }
    job
}

/// One entry of a menu's layout.
enum Item {
    Action(Action),
    Separator,
    /// File → Open Recent.
    RecentFiles,
    /// View → the framework checkboxes.
    Frameworks,
    /// The project's saved views and what can be done with them.
    SavedViews,
}

/// The menus and their items, in order; everything else about an item is in the table.
const MENUS: [(&str, &[Item]); 6] = [
    (
        "File",
        &[
            Item::Action(Action::New),
            Item::Action(Action::Open),
            Item::RecentFiles,
            Item::Separator,
            Item::Action(Action::ProjectInfo),
            Item::Action(Action::AttachSource),
            Item::Action(Action::ReplaceSource),
            Item::Action(Action::ImportReview),
            Item::Separator,
            Item::Action(Action::Save),
            Item::Action(Action::SaveAs),
            Item::Separator,
            Item::Action(Action::ExportCsvLong),
            Item::Action(Action::ExportCsvWide),
            Item::Action(Action::ExportCsvEvidence),
            Item::Action(Action::ExportXlsx),
            Item::Action(Action::ExportHtml),
            Item::Action(Action::ExportReviewCopy),
            Item::Action(Action::ExportQdpx),
            Item::Action(Action::ExportChart),
            Item::Separator,
            Item::Action(Action::Close),
            Item::Action(Action::Quit),
        ],
    ),
    (
        "Edit",
        &[
            Item::Action(Action::Undo),
            Item::Action(Action::Redo),
            Item::Separator,
            Item::Action(Action::CopyCells),
            Item::Action(Action::Find),
            Item::Action(Action::CommandPalette),
            Item::Action(Action::AddAgreement),
            Item::Separator,
            Item::Action(Action::Preferences),
        ],
    ),
    (
        "Assess",
        &[
            Item::Action(Action::SetYes),
            Item::Action(Action::SetIndirect),
            Item::Action(Action::SetNo),
            Item::Action(Action::ClearAssessment),
            Item::Separator,
            Item::Action(Action::MarkReviewed),
            Item::Action(Action::MarkDisputed),
            Item::Separator,
            Item::Action(Action::EditNote),
            Item::Action(Action::UseAsEvidence),
        ],
    ),
    (
        "View",
        &[
            Item::Frameworks,
            Item::Separator,
            Item::Action(Action::ToggleCellPanel),
            Item::Action(Action::ToggleInitiativesPanel),
            Item::Action(Action::ToggleNormsPanel),
            Item::Action(Action::ToggleReader),
            Item::Separator,
            Item::Action(Action::ToggleHighlightIncomplete),
            Item::Action(Action::ClearFilters),
            Item::Separator,
            Item::Action(Action::ShowGrid),
            Item::Action(Action::ShowCharts),
            Item::Action(Action::ElementAcrossAgreements),
        ],
    ),
    ("Views", &[Item::SavedViews]),
    (
        "Review",
        &[
            Item::Action(Action::ToggleReviewMode),
            Item::Separator,
            Item::Action(Action::ReviewSummary),
            Item::Separator,
            Item::Action(Action::Compare),
            Item::Action(Action::Merge),
            Item::Action(Action::CoderAgreement),
        ],
    ),
];

/// Each menu's title and the actions it lists, in order (tests check them against the table).
pub fn menu_layout() -> Vec<(&'static str, Vec<Action>)> {
    MENUS
        .iter()
        .map(|(title, items)| {
            let actions = items
                .iter()
                .filter_map(|item| match item {
                    Item::Action(action) => Some(*action),
                    _ => None,
                })
                .collect();
            (*title, actions)
        })
        .collect()
}

/// The label a menu shows for `action`: Undo and Redo name the step they would take.
fn menu_label(action: Action, input: &MenuInput<'_>) -> String {
    let step = match action {
        Action::Undo => input.undo_label,
        Action::Redo => input.redo_label,
        _ => None,
    };
    step.map_or_else(
        || action.label().to_owned(),
        |step| format!("{}: {step}", action.label()),
    )
}

fn action_item_ui(ui: &mut Ui, action: Action, input: &MenuInput<'_>, events: &mut Vec<AppEvent>) {
    let enabled = action.enabled(&input.actions);
    let response = if let Some(on) = action.checked(&input.actions) {
        let mut checked = on;
        ui.add_enabled(enabled, egui::Checkbox::new(&mut checked, action.label()))
    } else {
        let mut button = egui::Button::new(menu_label(action, input));
        if let Some(shortcut) = action.shortcut_text(ui.ctx()) {
            button = button.shortcut_text(shortcut);
        }
        ui.add_enabled(enabled, button)
    };
    if response.on_hover_text(action.tooltip()).clicked() {
        events.push(AppEvent::Action(action));
        // Checkboxes keep the menu open, so several panels can be toggled at once.
        if action.checked(&input.actions).is_none() {
            ui.close();
        }
    }
}

fn recent_files_ui(ui: &mut Ui, input: &MenuInput<'_>, events: &mut Vec<AppEvent>) {
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
}

fn frameworks_ui(ui: &mut Ui, input: &MenuInput<'_>, events: &mut Vec<AppEvent>) {
    ui.label(egui::RichText::new("Frameworks shown as columns").strong());
    for framework in &input.project.frameworks {
        let mut shown = !input.hidden_frameworks.contains(&framework.id);
        if ui.checkbox(&mut shown, &framework.name).clicked() {
            events.push(AppEvent::ToggleFramework(framework.id.clone()));
        }
    }
}

/// Draws the menu bar.
pub fn menu_bar_ui(ui: &mut Ui, input: &MenuInput<'_>, events: &mut Vec<AppEvent>) {
    let asked = if input.takes_keys {
        menu_asked_for(ui.ctx())
    } else {
        None
    };
    egui::MenuBar::new().ui(ui, |ui| {
        for (index, (title, items)) in MENUS.iter().enumerate() {
            let letter = ACCESS_KEYS.get(index).map_or(usize::MAX, |(_, at)| *at);
            let job = title_with_access_key(ui, title, letter);
            let menu = ui.menu_button(job, |ui| {
                for item in items.iter() {
                    match item {
                        Item::Action(action) => action_item_ui(ui, *action, input, events),
                        Item::Separator => {
                            ui.separator();
                        }
                        Item::RecentFiles => recent_files_ui(ui, input, events),
                        Item::Frameworks => frameworks_ui(ui, input, events),
                        Item::SavedViews => {
                            super::views_menu::views_menu_ui(ui, input.project, events);
                        }
                    }
                }
            });
            if asked == Some(index) {
                // Opens on the next frame, with the keyboard on its button: Tab and the
                // arrows go on into the menu, Escape closes it.
                egui::Popup::open_id(ui.ctx(), egui::Popup::default_response_id(&menu.response));
                menu.response.request_focus();
                ui.ctx().request_repaint();
            }
        }
    });
}
