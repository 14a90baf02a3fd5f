//! The one table of user actions: each action's menu text, shortcuts and (in `app.rs`) handler.
//! The menu and the keyboard both read this table.

use egui::{Key, KeyboardShortcut, Modifiers};

/// Something the user can ask for from the menu or the keyboard.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Action {
    New,
    Open,
    Save,
    SaveAs,
    Close,
    Quit,
    Undo,
    Redo,
    Find,
    Preferences,
    ProjectInfo,
    AddAgreement,
    ToggleCellPanel,
    ToggleInitiativesPanel,
    ToggleNormsPanel,
    ToggleHighlightIncomplete,
    ToggleReviewMode,
    ShowDisputed,
    ShowNeedsReview,
    ReviewSummary,
    Compare,
    Merge,
    CoderAgreement,
}

const fn ctrl(key: Key) -> KeyboardShortcut {
    KeyboardShortcut::new(Modifiers::COMMAND, key)
}

const fn ctrl_shift(key: Key) -> KeyboardShortcut {
    KeyboardShortcut::new(Modifiers::COMMAND.plus(Modifiers::SHIFT), key)
}

impl Action {
    /// Shortcut checking order: with Shift first, so Ctrl+Shift+S is not taken for Ctrl+S.
    pub const WITH_SHORTCUTS: [Self; 8] = [
        Self::SaveAs,
        Self::Redo,
        Self::Save,
        Self::Undo,
        Self::Open,
        Self::New,
        Self::Find,
        Self::Quit,
    ];

    /// Menu text.
    pub fn label(self) -> &'static str {
        match self {
            Self::New => "New",
            Self::Open => "Open…",
            Self::Save => "Save",
            Self::SaveAs => "Save As…",
            Self::Close => "Close",
            Self::Quit => "Quit",
            Self::Undo => "Undo",
            Self::Redo => "Redo",
            Self::Find => "Find",
            Self::Preferences => "Preferences…",
            Self::ProjectInfo => "Project info…",
            Self::AddAgreement => "Add agreement",
            Self::ToggleCellPanel => "Cell and notes panel",
            Self::ToggleInitiativesPanel => "Initiatives panel",
            Self::ToggleNormsPanel => "UNGGE norms panel",
            Self::ToggleHighlightIncomplete => "Highlight incomplete cells",
            Self::ToggleReviewMode => "Review mode (content locked)",
            Self::ShowDisputed => "Show Disputed cells",
            Self::ShowNeedsReview => "Show cells that need review",
            Self::ReviewSummary => "Review summary",
            Self::Compare => "Compare with another version…",
            Self::Merge => "Merge a colleague's copy…",
            Self::CoderAgreement => "Agreement between coders…",
        }
    }

    /// Keyboard shortcuts; the first is shown in the menu.
    pub fn shortcuts(self) -> &'static [KeyboardShortcut] {
        const NEW: [KeyboardShortcut; 1] = [ctrl(Key::N)];
        const OPEN: [KeyboardShortcut; 1] = [ctrl(Key::O)];
        const SAVE: [KeyboardShortcut; 1] = [ctrl(Key::S)];
        const SAVE_AS: [KeyboardShortcut; 1] = [ctrl_shift(Key::S)];
        const QUIT: [KeyboardShortcut; 1] = [ctrl(Key::Q)];
        const UNDO: [KeyboardShortcut; 1] = [ctrl(Key::Z)];
        const REDO: [KeyboardShortcut; 2] = [ctrl_shift(Key::Z), ctrl(Key::Y)];
        const FIND: [KeyboardShortcut; 1] = [ctrl(Key::F)];
        match self {
            Self::New => &NEW,
            Self::Open => &OPEN,
            Self::Save => &SAVE,
            Self::SaveAs => &SAVE_AS,
            Self::Quit => &QUIT,
            Self::Undo => &UNDO,
            Self::Redo => &REDO,
            Self::Find => &FIND,
            _ => &[],
        }
    }

    /// Takes this action's shortcut from this frame's input, if it was pressed.
    pub fn consume_shortcut(self, ctx: &egui::Context) -> bool {
        self.shortcuts()
            .iter()
            .any(|shortcut| ctx.input_mut(|i| i.consume_shortcut(shortcut)))
    }
}
