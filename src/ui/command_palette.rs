//! The command palette (Ctrl+Shift+P): a fuzzy search over the action table's labels, the
//! project's frameworks (shown or hidden) and its saved views. Toggles say whether they are on. Arrow keys move the highlight, Enter runs it, Escape closes.

use super::actions::{Action, ActionState};
use super::events::AppEvent;
use super::views_menu::ViewsEvent;
use crate::model::{FrameworkId, Project, SavedView, ViewId};
use egui::{Key, Ui};
use std::collections::BTreeSet;

/// Height of the result list: fixed, so the palette does not jump as the results shrink.
const RESULTS_HEIGHT: f32 = 360.0;

/// One line of the palette: a command of the table, or applying a saved view.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PaletteEntry {
    Action(Action),
    /// Shows or hides a framework's columns.
    Framework {
        id: FrameworkId,
        label: String,
        shown: bool,
    },
    ApplyView {
        id: ViewId,
        label: String,
    },
}

/// A framework as the palette offers it: its columns shown or hidden.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FrameworkToggle {
    pub id: FrameworkId,
    pub name: String,
    pub shown: bool,
}

impl FrameworkToggle {
    /// Every framework of `project`, with whether its columns are shown.
    pub fn all(project: &Project, hidden: &BTreeSet<FrameworkId>) -> Vec<Self> {
        project
            .frameworks
            .iter()
            .map(|f| Self {
                id: f.id.clone(),
                name: f.name.clone(),
                shown: !hidden.contains(&f.id),
            })
            .collect()
    }
}

/// The palette's text for a framework's columns: "Framework columns: UNGGE norms".
pub fn framework_label(name: &str) -> String {
    format!("Framework columns: {name}")
}

impl PaletteEntry {
    /// The text listed and searched.
    pub fn label(&self) -> &str {
        match self {
            Self::Action(action) => action.label(),
            Self::Framework { label, .. } | Self::ApplyView { label, .. } => label,
        }
    }

    /// On or off, for toggles; `None` for commands that are not.
    pub fn checked(&self, state: &ActionState) -> Option<bool> {
        match self {
            Self::Action(action) => action.checked(state),
            Self::Framework { shown, .. } => Some(*shown),
            Self::ApplyView { .. } => None,
        }
    }

    fn enabled(&self, state: &ActionState) -> bool {
        match self {
            Self::Action(action) => action.enabled(state),
            Self::Framework { .. } | Self::ApplyView { .. } => state.document_open,
        }
    }

    fn event(&self) -> AppEvent {
        match self {
            Self::Action(action) => AppEvent::Action(*action),
            Self::Framework { id, .. } => AppEvent::ToggleFramework(id.clone()),
            Self::ApplyView { id, .. } => AppEvent::Views(ViewsEvent::Apply(id.clone())),
        }
    }
}

/// The palette's text for applying a saved view: "Apply view: Human-rights commitments".
pub fn apply_view_label(name: &str) -> String {
    format!("Apply view: {name}")
}

/// The palette's state between frames.
#[derive(Default)]
pub struct CommandPalette {
    pub open: bool,
    query: String,
    highlighted: usize,
    /// The text field takes focus on the frame the palette opens.
    focus_pending: bool,
}

impl CommandPalette {
    /// Opens the palette with an empty query.
    pub fn open(&mut self) {
        self.open = true;
        self.query.clear();
        self.highlighted = 0;
        self.focus_pending = true;
    }
}

/// How well `query` matches `label`: `None` when it does not, lower is better.
/// Each query word must appear in order as a subsequence of the label (any case), so
/// "shw rev" finds "Show review…" and "undo" finds "Undo".
pub fn fuzzy_score(query: &str, label: &str) -> Option<usize> {
    let label: Vec<char> = label.to_lowercase().chars().collect();
    let mut at = 0;
    let mut score = 0;
    for word in query.to_lowercase().split_whitespace() {
        let mut first = None;
        for wanted in word.chars() {
            let found = label[at..].iter().position(|&c| c == wanted)? + at;
            // Gaps inside a word cost; where a word starts costs a little.
            score += match first {
                None => found - at,
                Some(_) => (found - at) * 2,
            };
            first.get_or_insert(found);
            at = found + 1;
        }
    }
    Some(score)
}

/// The actions matching `query`, best first, in table order among equals.
pub fn matching_actions(query: &str) -> Vec<Action> {
    let mut scored: Vec<(usize, usize, Action)> = Action::ALL
        .into_iter()
        .enumerate()
        .filter_map(|(order, action)| {
            fuzzy_score(query, action.label()).map(|score| (score, order, action))
        })
        .collect();
    scored.sort_unstable_by_key(|&(score, order, _)| (score, order));
    scored.into_iter().map(|(_, _, action)| action).collect()
}

/// The table's commands, the frameworks and the saved views matching `query`, best first;
/// commands, then frameworks, then views, in table and file order, among equals.
pub fn matching_entries(
    query: &str,
    views: &[SavedView],
    frameworks: &[FrameworkToggle],
) -> Vec<PaletteEntry> {
    let entries = Action::ALL
        .into_iter()
        .map(PaletteEntry::Action)
        .chain(frameworks.iter().map(|f| PaletteEntry::Framework {
            id: f.id.clone(),
            label: framework_label(&f.name),
            shown: f.shown,
        }))
        .chain(views.iter().map(|view| PaletteEntry::ApplyView {
            id: view.id.clone(),
            label: apply_view_label(&view.name),
        }));
    let mut scored: Vec<(usize, usize, PaletteEntry)> = entries
        .enumerate()
        .filter_map(|(order, entry)| {
            fuzzy_score(query, entry.label()).map(|score| (score, order, entry))
        })
        .collect();
    scored.sort_unstable_by_key(|(score, order, _)| (*score, *order));
    scored.into_iter().map(|(_, _, entry)| entry).collect()
}

/// Draws the palette when open; returns what was chosen this frame, as the event to run.
pub fn command_palette_ui(
    ctx: &egui::Context,
    palette: &mut CommandPalette,
    project: &Project,
    hidden: &BTreeSet<FrameworkId>,
    state: &ActionState,
) -> Option<AppEvent> {
    if !palette.open {
        return None;
    }
    // Taken before the text field sees them: they steer the list, not the text.
    let (up, down, enter, escape) = ctx.input_mut(|i| {
        (
            i.consume_key(egui::Modifiers::NONE, Key::ArrowUp),
            i.consume_key(egui::Modifiers::NONE, Key::ArrowDown),
            i.consume_key(egui::Modifiers::NONE, Key::Enter),
            i.consume_key(egui::Modifiers::NONE, Key::Escape),
        )
    });
    if escape {
        palette.open = false;
        return None;
    }
    let frameworks = FrameworkToggle::all(project, hidden);
    let matches = matching_entries(&palette.query, &project.views, &frameworks);
    let last = matches.len().saturating_sub(1);
    if down {
        palette.highlighted = (palette.highlighted + 1).min(last);
    }
    if up {
        palette.highlighted = palette.highlighted.saturating_sub(1);
    }
    palette.highlighted = palette.highlighted.min(last);
    let mut chosen = None;
    if enter
        && let Some(entry) = matches.get(palette.highlighted)
        && entry.enabled(state)
    {
        chosen = Some(entry.event());
    }
    let modal = egui::Modal::new(egui::Id::unique("command-palette")).show(ctx, |ui| {
        ui.set_width(460.0);
        let label = ui.label("Run command");
        let field = ui.add(
            egui::TextEdit::singleline(&mut palette.query)
                .id_salt("command-palette-query")
                .hint_text("Type part of a command's name…")
                .desired_width(f32::INFINITY),
        );
        let field = field
            .labelled_by(label.id)
            .on_hover_text(Action::CommandPalette.tooltip());
        if std::mem::take(&mut palette.focus_pending) || !field.has_focus() {
            field.request_focus();
        }
        if field.changed() {
            palette.highlighted = 0;
        }
        ui.separator();
        egui::ScrollArea::vertical()
            .max_height(RESULTS_HEIGHT)
            .min_scrolled_height(RESULTS_HEIGHT)
            .auto_shrink([false, false])
            .show(ui, |ui| {
                ui.set_min_height(RESULTS_HEIGHT);
                if matches.is_empty() {
                    ui.label("No command matches");
                }
                for (index, entry) in matches.iter().enumerate() {
                    let highlighted = index == palette.highlighted;
                    if palette_row_ui(ui, entry, highlighted, up || down, state) {
                        chosen = Some(entry.event());
                    }
                }
            });
    });
    if modal.should_close() {
        palette.open = false;
    }
    if chosen.is_some() {
        palette.open = false;
    }
    chosen
}

/// One result line; true when it was clicked.
fn palette_row_ui(
    ui: &mut Ui,
    entry: &PaletteEntry,
    highlighted: bool,
    moved: bool,
    state: &ActionState,
) -> bool {
    let mut button = egui::Button::selectable(highlighted, entry.label());
    // A toggle says where it stands, beside its shortcut: "on · Ctrl+…".
    let on_off = entry.checked(state).map(|on| if on { "on" } else { "off" });
    let shortcut = match entry {
        PaletteEntry::Action(action) => action.shortcut_text(ui.ctx()),
        PaletteEntry::Framework { .. } | PaletteEntry::ApplyView { .. } => None,
    };
    let side_text: Vec<String> = on_off
        .map(str::to_owned)
        .into_iter()
        .chain(shortcut)
        .collect();
    if !side_text.is_empty() {
        button = button.shortcut_text(side_text.join(" · "));
    }
    let tooltip = match entry {
        PaletteEntry::Action(action) => action.tooltip(),
        PaletteEntry::Framework { .. } => {
            "Show or hide this framework's columns in the grid (the grid's Frameworks line too)"
        }
        PaletteEntry::ApplyView { .. } => {
            "Show the grid with this saved view's filters, sort and frameworks"
        }
    };
    let response = ui
        .add_enabled(entry.enabled(state), button)
        .on_hover_text(tooltip);
    if highlighted && moved {
        response.scroll_to_me(None);
    }
    response.clicked()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_match_in_order_as_subsequences() {
        assert!(fuzzy_score("shw rev", "Show review summary").is_some());
        assert!(fuzzy_score("undo", "Undo").is_some());
        assert!(fuzzy_score("yes set", "Set Yes").is_none());
        assert_eq!(matching_actions("undo").first(), Some(&Action::Undo));
        assert_eq!(matching_actions("set yes").first(), Some(&Action::SetYes));
    }
}
