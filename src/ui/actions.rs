//! The one table of user actions: each action's label, tooltip, shortcuts, the context it
//! applies in and when it is enabled. The menu, the keyboard (global shortcuts and the grid's
//! keys), tooltips and the command palette all read this table; `app.rs` runs the actions.

use egui::{Key, KeyboardShortcut, Modifiers};

/// Declares [`Action`] and [`Action::ALL`] from one list, so no action can be missing from
/// the menu, the palette or the tests: the list's order is the menu and palette order.
macro_rules! actions {
    ($($(#[$doc:meta])* $name:ident,)*) => {
        /// Something the user can ask for from the menu, the keyboard or the command palette.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
        pub enum Action {
            $($(#[$doc])* $name,)*
        }

        impl Action {
            /// Every action, in menu and palette order (derived from the declaration).
            pub const ALL: [Self; [$(stringify!($name)),*].len()] = [$(Self::$name),*];
        }
    };
}

actions! {
    New,
    Open,
    Save,
    SaveAs,
    ExportCsvLong,
    ExportCsvWide,
    ExportCsvEvidence,
    ExportXlsx,
    ExportHtml,
    ExportReviewCopy,
    ExportQdpx,
    ExportChart,
    ProjectInfo,
    AttachSource,
    ReplaceSource,
    ImportReview,
    Close,
    Quit,
    Undo,
    Redo,
    CopyCells,
    Find,
    ClearTextFilter,
    CommandPalette,
    AddAgreement,
    SaveViewAs,
    Preferences,
    ShowGrid,
    ShowCharts,
    ElementAcrossAgreements,
    ClearFilters,
    ToggleCellPanel,
    ToggleInitiativesPanel,
    ToggleNormsPanel,
    ToggleReader,
    UseAsEvidence,
    ToggleHighlightIncomplete,
    ToggleReviewMode,
    ReviewSummary,
    Compare,
    Merge,
    CoderAgreement,
    SetYes,
    SetIndirect,
    SetNo,
    ClearAssessment,
    MarkReviewed,
    MarkDisputed,
    EditNote,
    MoveUp,
    MoveDown,
    MoveLeft,
    MoveRight,
    PageUp,
    PageDown,
    RowStart,
    RowEnd,
}

/// Where an action's shortcut applies.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ActionContext {
    /// Anywhere in the window while no dialog or palette is open.
    Global,
    /// The grid has the keyboard (no text field, popup or dialog) and acts on its selected cell.
    Grid,
    /// The toolbar's text filter has the keyboard.
    TextFilter,
}

/// What decides whether an action can run now, gathered once per frame.
#[derive(Clone, Copy, Debug, Default)]
pub struct ActionState {
    pub review_mode: bool,
    /// A cell is selected and shown in the grid.
    pub cell_selected: bool,
    pub can_undo: bool,
    pub can_redo: bool,
    /// A native file dialog is open: no second one.
    pub dialog_open: bool,
    /// A project is open (false after the start file failed to load).
    pub document_open: bool,
    /// The Grid tab is showing.
    pub grid_tab: bool,
    pub show_cell_panel: bool,
    pub show_initiatives_panel: bool,
    pub show_norms_panel: bool,
    pub show_reader: bool,
    /// A passage is selected in the reader.
    pub reader_selection: bool,
    pub highlight_incomplete: bool,
}

const fn key(key: Key) -> KeyboardShortcut {
    KeyboardShortcut::new(Modifiers::NONE, key)
}

const fn ctrl(key: Key) -> KeyboardShortcut {
    KeyboardShortcut::new(Modifiers::COMMAND, key)
}

const fn ctrl_shift(key: Key) -> KeyboardShortcut {
    KeyboardShortcut::new(Modifiers::COMMAND.plus(Modifiers::SHIFT), key)
}

impl Action {
    /// Menu and palette text.
    pub fn label(self) -> &'static str {
        self.text_and_tooltip().0
    }

    /// What the action does, for hover text and the palette.
    pub fn tooltip(self) -> &'static str {
        self.text_and_tooltip().1
    }

    /// Label and tooltip, defined together so they stay in step.
    pub fn text_and_tooltip(self) -> (&'static str, &'static str) {
        match self {
            Self::New => ("New", "Start a new, empty project"),
            Self::Open => ("Open…", "Open a project file (.ron)"),
            Self::Save => ("Save", "Save the project to its file"),
            Self::SaveAs => ("Save As…", "Save the project to another file"),
            Self::ExportCsvLong => (
                "Export CSV (long)…",
                "One row per agreement and element, with ids, notes and quotes",
            ),
            Self::ExportCsvWide => (
                "Export CSV (wide)…",
                "One row per agreement, one column per element shown",
            ),
            Self::ExportCsvEvidence => (
                "Export quotes as CSV…",
                "One row per quote: its cell, locator, comment, source, page and check",
            ),
            Self::ExportXlsx => ("Export XLSX…", "An Excel workbook: one sheet per framework"),
            Self::ExportHtml => (
                "Export HTML report…",
                "A single-file report that opens in any browser",
            ),
            Self::ExportReviewCopy => (
                "Export review copy…",
                "One HTML file reviewers open in any browser: they mark cells and send their \
                 verdicts back",
            ),
            Self::ExportQdpx => (
                "Export REFI-QDA (.qdpx)…",
                "For QualCoder, NVivo, MAXQDA and ATLAS.ti: cases, codes, sources and coded quotes",
            ),
            Self::ExportChart => ("Export chart…", "Save the Charts tab's chart as PNG or SVG"),
            Self::AttachSource => (
                "Attach source…",
                "Read an agreement's text (PDF, DOCX, HTML, TXT or Markdown) into the project, \
                 for the selected agreement or the whole project, so quotes can be proved",
            ),
            Self::ReplaceSource => (
                "Replace source with a new version…",
                "Read a new version of a source and see which quotes still hold before applying it",
            ),
            Self::ImportReview => (
                "Import review…",
                "Apply a reviewer's verdicts saved from a review copy",
            ),
            Self::ElementAcrossAgreements => (
                "Element across agreements",
                "Every quote for one element, oldest agreement first, side by side",
            ),
            Self::Close => ("Close", "Close the project"),
            Self::Quit => ("Quit", "Quit normgrid"),
            Self::Undo => ("Undo", "Undo the last change"),
            Self::Redo => ("Redo", "Redo the change just undone"),
            Self::Find => ("Find", "Filter the grid by text"),
            Self::ClearTextFilter => ("Clear the text filter", "Empty the Filter box"),
            Self::CommandPalette => (
                "Command palette…",
                "Search every command by name and run it",
            ),
            Self::Preferences => ("Preferences…", "Your name, recorded on edits"),
            Self::ProjectInfo => (
                "Project info…",
                "Title, description and date of the project",
            ),
            Self::AddAgreement => (
                "Add agreement",
                "Ask for a name, then add the agreement after the selected one and select it",
            ),
            Self::CopyCells => (
                "Copy cells",
                "Copy the selected cell or block as tab-separated words, as a spreadsheet does",
            ),
            Self::ClearFilters => (
                "Clear filters",
                "Show every agreement: clear the text, space, binding, review and column filters \
                 (the sort stays)",
            ),
            Self::ShowGrid => ("Show the grid", "Switch to the Grid tab"),
            Self::ShowCharts => ("Show charts", "Switch to the Charts tab"),
            Self::SaveViewAs => (
                "Save current view as…",
                "Save the filters, sort and shown frameworks under a name, in the project file",
            ),
            Self::ToggleCellPanel => ("Cell and notes panel", "Show or hide the cell panel"),
            Self::ToggleInitiativesPanel => {
                ("Initiatives panel", "Show or hide the initiatives panel")
            }
            Self::ToggleNormsPanel => ("UNGGE norms panel", "Show or hide the norms panel"),
            Self::ToggleReader => (
                "Reader panel",
                "Show or hide the reader: the sources' text, its outline and search",
            ),
            Self::UseAsEvidence => (
                "Use selection as evidence",
                "Add the passage selected in the reader to the selected cell's evidence",
            ),
            Self::ToggleHighlightIncomplete => (
                "Highlight incomplete cells",
                "Outline cells still open: not assessed, Needs review or Disputed; dim the rest \
                 (an assessed Draft cell counts as done)",
            ),
            Self::ToggleReviewMode => (
                "Review mode (content locked)",
                "Lock the content so only review statuses and review comments change",
            ),
            Self::ReviewSummary => ("Review summary", "Count review statuses per agreement"),
            Self::Compare => (
                "Compare with another version…",
                "List what differs from another copy of the project",
            ),
            Self::Merge => (
                "Merge a colleague's copy…",
                "Bring a colleague's changes into this project",
            ),
            Self::CoderAgreement => (
                "Agreement between coders…",
                "Measure how far independent coders agree",
            ),
            Self::SetYes => ("Set Yes", "Set the selected cell or block to Yes"),
            Self::SetIndirect => ("Set Indirect", "Set the selected cell or block to Indirect"),
            Self::SetNo => ("Set No", "Set the selected cell or block to No"),
            Self::ClearAssessment => (
                "Set not assessed",
                "Clear the assessment of the selected cell or block",
            ),
            Self::MarkReviewed => ("Mark Reviewed", "Mark the selected cell or block Reviewed"),
            Self::MarkDisputed => ("Mark Disputed", "Mark the selected cell or block Disputed"),
            Self::EditNote => ("Edit the cell's note", "Type in the selected cell's note"),
            Self::MoveUp => (
                "Select the cell above",
                "Move the selection up one row; with Shift, grow the block",
            ),
            Self::MoveDown => (
                "Select the cell below",
                "Move the selection down one row; with Shift, grow the block",
            ),
            Self::MoveLeft => (
                "Select the cell to the left",
                "Move the selection left; with Shift, grow the block",
            ),
            Self::MoveRight => (
                "Select the cell to the right",
                "Move the selection right; with Shift, grow the block",
            ),
            Self::PageUp => ("Select a page up", "Move the selection up one screen"),
            Self::PageDown => ("Select a page down", "Move the selection down one screen"),
            Self::RowStart => ("Select the row's first cell", "Move to the first column"),
            Self::RowEnd => ("Select the row's last cell", "Move to the last column"),
        }
    }

    /// Keyboard shortcuts; the first is shown in the menu and the palette.
    pub fn shortcuts(self) -> &'static [KeyboardShortcut] {
        const NEW: [KeyboardShortcut; 1] = [ctrl(Key::N)];
        const OPEN: [KeyboardShortcut; 1] = [ctrl(Key::O)];
        const SAVE: [KeyboardShortcut; 1] = [ctrl(Key::S)];
        const SAVE_AS: [KeyboardShortcut; 1] = [ctrl_shift(Key::S)];
        const QUIT: [KeyboardShortcut; 1] = [ctrl(Key::Q)];
        const UNDO: [KeyboardShortcut; 1] = [ctrl(Key::Z)];
        const REDO: [KeyboardShortcut; 2] = [ctrl_shift(Key::Z), ctrl(Key::Y)];
        const FIND: [KeyboardShortcut; 1] = [ctrl(Key::F)];
        const PALETTE: [KeyboardShortcut; 1] = [ctrl_shift(Key::P)];
        const EVIDENCE: [KeyboardShortcut; 1] = [ctrl(Key::E)];
        const ADD_AGREEMENT: [KeyboardShortcut; 1] = [ctrl_shift(Key::A)];
        const COPY: [KeyboardShortcut; 1] = [ctrl(Key::C)];
        const ESCAPE: [KeyboardShortcut; 1] = [key(Key::Escape)];
        const Y: [KeyboardShortcut; 1] = [key(Key::Y)];
        const I: [KeyboardShortcut; 1] = [key(Key::I)];
        const N: [KeyboardShortcut; 1] = [key(Key::N)];
        const DELETE: [KeyboardShortcut; 2] = [key(Key::Delete), key(Key::Backspace)];
        const R: [KeyboardShortcut; 1] = [key(Key::R)];
        const D: [KeyboardShortcut; 1] = [key(Key::D)];
        const ENTER: [KeyboardShortcut; 1] = [key(Key::Enter)];
        const UP: [KeyboardShortcut; 1] = [key(Key::ArrowUp)];
        const DOWN: [KeyboardShortcut; 1] = [key(Key::ArrowDown)];
        const LEFT: [KeyboardShortcut; 1] = [key(Key::ArrowLeft)];
        const RIGHT: [KeyboardShortcut; 1] = [key(Key::ArrowRight)];
        const PAGE_UP: [KeyboardShortcut; 1] = [key(Key::PageUp)];
        const PAGE_DOWN: [KeyboardShortcut; 1] = [key(Key::PageDown)];
        const HOME: [KeyboardShortcut; 1] = [key(Key::Home)];
        const END: [KeyboardShortcut; 1] = [key(Key::End)];
        match self {
            Self::New => &NEW,
            Self::Open => &OPEN,
            Self::Save => &SAVE,
            Self::SaveAs => &SAVE_AS,
            Self::Quit => &QUIT,
            Self::Undo => &UNDO,
            Self::Redo => &REDO,
            Self::Find => &FIND,
            Self::CommandPalette => &PALETTE,
            Self::UseAsEvidence => &EVIDENCE,
            Self::AddAgreement => &ADD_AGREEMENT,
            Self::CopyCells => &COPY,
            Self::ClearTextFilter => &ESCAPE,
            Self::SetYes => &Y,
            Self::SetIndirect => &I,
            Self::SetNo => &N,
            Self::ClearAssessment => &DELETE,
            Self::MarkReviewed => &R,
            Self::MarkDisputed => &D,
            Self::EditNote => &ENTER,
            Self::MoveUp => &UP,
            Self::MoveDown => &DOWN,
            Self::MoveLeft => &LEFT,
            Self::MoveRight => &RIGHT,
            Self::PageUp => &PAGE_UP,
            Self::PageDown => &PAGE_DOWN,
            Self::RowStart => &HOME,
            Self::RowEnd => &END,
            Self::ExportCsvLong
            | Self::ExportCsvWide
            | Self::ExportCsvEvidence
            | Self::ExportXlsx
            | Self::ExportHtml
            | Self::ExportReviewCopy
            | Self::ExportQdpx
            | Self::ExportChart
            | Self::ProjectInfo
            | Self::AttachSource
            | Self::ReplaceSource
            | Self::ImportReview
            | Self::Close
            | Self::SaveViewAs
            | Self::Preferences
            | Self::ShowGrid
            | Self::ShowCharts
            | Self::ElementAcrossAgreements
            | Self::ClearFilters
            | Self::ToggleCellPanel
            | Self::ToggleInitiativesPanel
            | Self::ToggleNormsPanel
            | Self::ToggleReader
            | Self::ToggleHighlightIncomplete
            | Self::ToggleReviewMode
            | Self::ReviewSummary
            | Self::Compare
            | Self::Merge
            | Self::CoderAgreement => &[],
        }
    }

    /// Where the shortcuts apply.
    pub fn context(self) -> ActionContext {
        match self {
            Self::ClearTextFilter => ActionContext::TextFilter,
            Self::CopyCells
            | Self::SetYes
            | Self::SetIndirect
            | Self::SetNo
            | Self::ClearAssessment
            | Self::MarkReviewed
            | Self::MarkDisputed
            | Self::EditNote
            | Self::MoveUp
            | Self::MoveDown
            | Self::MoveLeft
            | Self::MoveRight
            | Self::PageUp
            | Self::PageDown
            | Self::RowStart
            | Self::RowEnd => ActionContext::Grid,
            Self::New
            | Self::Open
            | Self::Save
            | Self::SaveAs
            | Self::ExportCsvLong
            | Self::ExportCsvWide
            | Self::ExportCsvEvidence
            | Self::ExportXlsx
            | Self::ExportHtml
            | Self::ExportReviewCopy
            | Self::ExportQdpx
            | Self::ExportChart
            | Self::ProjectInfo
            | Self::AttachSource
            | Self::ReplaceSource
            | Self::ImportReview
            | Self::Close
            | Self::Quit
            | Self::Undo
            | Self::Redo
            | Self::Find
            | Self::CommandPalette
            | Self::AddAgreement
            | Self::SaveViewAs
            | Self::Preferences
            | Self::ShowGrid
            | Self::ShowCharts
            | Self::ElementAcrossAgreements
            | Self::ClearFilters
            | Self::ToggleCellPanel
            | Self::ToggleInitiativesPanel
            | Self::ToggleNormsPanel
            | Self::ToggleReader
            | Self::UseAsEvidence
            | Self::ToggleHighlightIncomplete
            | Self::ToggleReviewMode
            | Self::ReviewSummary
            | Self::Compare
            | Self::Merge
            | Self::CoderAgreement => ActionContext::Global,
        }
    }

    /// True when the action can run now; menus and the palette grey out the others.
    pub fn enabled(self, state: &ActionState) -> bool {
        let editable_cell = state.cell_selected && !state.review_mode && state.grid_tab;
        match self {
            Self::Open | Self::Save | Self::SaveAs | Self::Compare | Self::CoderAgreement => {
                !state.dialog_open
            }
            Self::ExportCsvLong
            | Self::ExportCsvWide
            | Self::ExportCsvEvidence
            | Self::ExportXlsx
            | Self::ExportHtml
            | Self::ExportReviewCopy
            | Self::ExportQdpx
            | Self::ExportChart
            | Self::ImportReview => !state.dialog_open && state.document_open,
            Self::Merge | Self::AttachSource | Self::ReplaceSource => {
                !state.dialog_open && !state.review_mode && state.document_open
            }
            Self::Undo => state.can_undo,
            Self::Redo => state.can_redo,
            Self::AddAgreement => !state.review_mode && state.document_open,
            Self::UseAsEvidence => {
                state.show_reader
                    && state.reader_selection
                    && state.cell_selected
                    && !state.review_mode
            }
            Self::SaveViewAs
            | Self::ShowGrid
            | Self::ShowCharts
            | Self::ElementAcrossAgreements => state.document_open,
            Self::SetYes | Self::SetIndirect | Self::SetNo | Self::ClearAssessment => editable_cell,
            Self::MarkReviewed | Self::MarkDisputed | Self::EditNote | Self::CopyCells => {
                state.cell_selected && state.grid_tab
            }
            Self::MoveUp
            | Self::MoveDown
            | Self::MoveLeft
            | Self::MoveRight
            | Self::PageUp
            | Self::PageDown
            | Self::RowStart
            | Self::RowEnd
            | Self::Find
            | Self::ClearTextFilter
            | Self::ClearFilters => state.grid_tab && state.document_open,
            Self::New
            | Self::ProjectInfo
            | Self::Close
            | Self::Quit
            | Self::CommandPalette
            | Self::Preferences
            | Self::ToggleCellPanel
            | Self::ToggleInitiativesPanel
            | Self::ToggleNormsPanel
            | Self::ToggleReader
            | Self::ToggleHighlightIncomplete
            | Self::ToggleReviewMode
            | Self::ReviewSummary => true,
        }
    }

    /// Whether the action changes the project's content, so Review mode locks it. Every action
    /// answers: a new one does not compile until it says.
    pub fn changes_content(self) -> bool {
        match self {
            Self::AddAgreement
            | Self::AttachSource
            | Self::ReplaceSource
            | Self::SetYes
            | Self::SetIndirect
            | Self::SetNo
            | Self::ClearAssessment
            | Self::UseAsEvidence => true,
            Self::New
            | Self::Open
            | Self::Save
            | Self::SaveAs
            | Self::ExportCsvLong
            | Self::ExportCsvWide
            | Self::ExportCsvEvidence
            | Self::ExportXlsx
            | Self::ExportHtml
            | Self::ExportReviewCopy
            | Self::ExportQdpx
            | Self::ExportChart
            | Self::ProjectInfo
            | Self::ImportReview
            | Self::Close
            | Self::Quit
            | Self::Undo
            | Self::Redo
            | Self::CopyCells
            | Self::Find
            | Self::ClearTextFilter
            | Self::CommandPalette
            | Self::SaveViewAs
            | Self::Preferences
            | Self::ShowGrid
            | Self::ShowCharts
            | Self::ElementAcrossAgreements
            | Self::ClearFilters
            | Self::ToggleCellPanel
            | Self::ToggleInitiativesPanel
            | Self::ToggleNormsPanel
            | Self::ToggleReader
            | Self::ToggleHighlightIncomplete
            | Self::ToggleReviewMode
            | Self::ReviewSummary
            | Self::Compare
            | Self::Merge
            | Self::CoderAgreement
            | Self::MarkReviewed
            | Self::MarkDisputed
            | Self::EditNote
            | Self::MoveUp
            | Self::MoveDown
            | Self::MoveLeft
            | Self::MoveRight
            | Self::PageUp
            | Self::PageDown
            | Self::RowStart
            | Self::RowEnd => false,
        }
    }

    /// For on/off actions, whether it is on now (menus draw these as checkboxes).
    pub fn checked(self, state: &ActionState) -> Option<bool> {
        match self {
            Self::ToggleCellPanel => Some(state.show_cell_panel),
            Self::ToggleInitiativesPanel => Some(state.show_initiatives_panel),
            Self::ToggleNormsPanel => Some(state.show_norms_panel),
            Self::ToggleReader => Some(state.show_reader),
            Self::ToggleHighlightIncomplete => Some(state.highlight_incomplete),
            Self::ToggleReviewMode => Some(state.review_mode),
            Self::New
            | Self::Open
            | Self::Save
            | Self::SaveAs
            | Self::ExportCsvLong
            | Self::ExportCsvWide
            | Self::ExportCsvEvidence
            | Self::ExportXlsx
            | Self::ExportHtml
            | Self::ExportReviewCopy
            | Self::ExportQdpx
            | Self::ExportChart
            | Self::ProjectInfo
            | Self::AttachSource
            | Self::ReplaceSource
            | Self::ImportReview
            | Self::Close
            | Self::Quit
            | Self::Undo
            | Self::Redo
            | Self::CopyCells
            | Self::Find
            | Self::ClearTextFilter
            | Self::CommandPalette
            | Self::AddAgreement
            | Self::SaveViewAs
            | Self::Preferences
            | Self::ShowGrid
            | Self::ShowCharts
            | Self::ElementAcrossAgreements
            | Self::ClearFilters
            | Self::UseAsEvidence
            | Self::ReviewSummary
            | Self::Compare
            | Self::Merge
            | Self::CoderAgreement
            | Self::SetYes
            | Self::SetIndirect
            | Self::SetNo
            | Self::ClearAssessment
            | Self::MarkReviewed
            | Self::MarkDisputed
            | Self::EditNote
            | Self::MoveUp
            | Self::MoveDown
            | Self::MoveLeft
            | Self::MoveRight
            | Self::PageUp
            | Self::PageDown
            | Self::RowStart
            | Self::RowEnd => None,
        }
    }

    /// The grid action a key means, pressed with Ctrl (Cmd) or without; Shift is left to the
    /// caller, since it grows a block instead of moving.
    pub fn for_grid_key(pressed: Key, command: bool) -> Option<Self> {
        Self::ALL.into_iter().find(|action| {
            action.context() == ActionContext::Grid
                && action.shortcuts().iter().any(|shortcut| {
                    shortcut.logical_key == pressed && shortcut.modifiers.command == command
                })
        })
    }

    /// Takes this action's shortcut from this frame's input, if it was pressed.
    pub fn consume_shortcut(self, ctx: &egui::Context) -> bool {
        self.shortcuts()
            .iter()
            .any(|shortcut| ctx.input_mut(|i| i.consume_shortcut(shortcut)))
    }

    /// The global actions whose shortcut was pressed this frame, taken from the input.
    /// Shortcuts with Shift are checked first, so Ctrl+Shift+S is not taken for Ctrl+S.
    pub fn take_global_shortcuts(ctx: &egui::Context) -> Vec<Self> {
        let mut global: Vec<Self> = Self::ALL
            .into_iter()
            .filter(|a| a.context() == ActionContext::Global && !a.shortcuts().is_empty())
            .collect();
        global.sort_by_key(|a| std::cmp::Reverse(a.shortcuts().iter().any(|s| s.modifiers.shift)));
        global
            .into_iter()
            .filter(|action| action.consume_shortcut(ctx))
            .collect()
    }

    /// The first shortcut as the platform writes it, e.g. "Ctrl+S".
    pub fn shortcut_text(self, ctx: &egui::Context) -> Option<String> {
        self.shortcuts().first().map(|s| ctx.format_shortcut(s))
    }
}
