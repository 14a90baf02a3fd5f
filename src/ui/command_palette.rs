//! The command palette (Ctrl+Shift+P): a fuzzy search over the action table's labels.
//! Arrow keys move the highlight, Enter runs it, Escape closes.

use super::actions::{Action, ActionState};
use egui::{Key, Ui};

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

/// Draws the palette when open; returns the action chosen this frame.
pub fn command_palette_ui(
    ctx: &egui::Context,
    palette: &mut CommandPalette,
    state: &ActionState,
) -> Option<Action> {
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
    let matches = matching_actions(&palette.query);
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
        && let Some(&action) = matches.get(palette.highlighted)
        && action.enabled(state)
    {
        chosen = Some(action);
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
        if matches.is_empty() {
            ui.label("No command matches");
        }
        egui::ScrollArea::vertical()
            .max_height(360.0)
            .show(ui, |ui| {
                for (index, &action) in matches.iter().enumerate() {
                    let highlighted = index == palette.highlighted;
                    if let Some(action) = palette_row_ui(ui, action, highlighted, up || down, state)
                    {
                        chosen = Some(action);
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

fn palette_row_ui(
    ui: &mut Ui,
    action: Action,
    highlighted: bool,
    moved: bool,
    state: &ActionState,
) -> Option<Action> {
    let mut button = egui::Button::selectable(highlighted, action.label());
    if let Some(shortcut) = action.shortcut_text(ui.ctx()) {
        button = button.shortcut_text(shortcut);
    }
    let response = ui
        .add_enabled(action.enabled(state), button)
        .on_hover_text(action.tooltip());
    if highlighted && moved {
        response.scroll_to_me(None);
    }
    response.clicked().then_some(action)
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
