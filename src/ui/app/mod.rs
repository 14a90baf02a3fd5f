//! The application: owns the document and the view, draws the panels, and applies what they
//! ask for after drawing, so no panel ever mutates the project while another reads it.

mod dispatch;
mod edits;
mod files;
mod layout;
mod modals;
mod review_import;
mod sources;

use super::actions::{Action, ActionState};
use super::charts_view::{ChartControls, ChartPreview};
use super::coders_view::CodersState;
use super::command_palette::CommandPalette;
use super::compare_view::CompareState;
use super::dialogs::{Continuation, FileDialogTask, Modal};
use super::document::Document;
use super::element_view::ElementViewState;
use super::events::AppEvent;
use super::memo::Memo;
use super::merge_view::MergeState;
use super::prefs::{Prefs, STORAGE_KEY};
use super::project_panel::ProjectPanel;
use super::reader::ReaderState;
use super::sources_view::SourcesState;
use super::view::{CentralTab, ViewState};
use super::views_menu::ViewsMenuState;
use crate::io::recovery::RecoveryStore;
use crate::model::RowQuery;
use crate::model::{AgreementId, ElementId, FrameworkId, Project};
use egui::Ui;
use files::load_failed_modal;
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// How the app starts.
#[derive(Clone, Debug)]
pub struct StartupOptions {
    /// Project to open; the built-in BPF 2019 sample when `None`.
    pub file: Option<PathBuf>,
    /// Open in Review mode: content locked, review status and review comments editable.
    pub review: bool,
    /// Where recovery copies go; `None` disables them.
    pub recovery_dir: Option<PathBuf>,
    /// Idle time after an edit before a recovery copy is written.
    pub recovery_idle: Duration,
}

impl Default for StartupOptions {
    fn default() -> Self {
        Self {
            file: None,
            review: false,
            recovery_dir: None,
            recovery_idle: Duration::from_secs(30),
        }
    }
}

/// The agreements and elements the grid shows, in order.
#[derive(Debug, Default, PartialEq)]
struct VisibleCells {
    rows: Vec<AgreementId>,
    columns: Vec<ElementId>,
}

/// What the visible cells depend on: the document's revision, the query and hidden frameworks.
type VisibleKey = ((u64, u64), (RowQuery, BTreeSet<FrameworkId>));

/// Before the first frame nothing is shown.
static NO_CELLS: VisibleCells = VisibleCells {
    rows: Vec::new(),
    columns: Vec::new(),
};

/// The cells the grid shows, as last computed.
fn shown(visible: &Memo<VisibleKey, VisibleCells>) -> &VisibleCells {
    visible.last().unwrap_or(&NO_CELLS)
}

/// The normgrid window.
pub struct NormgridApp {
    doc: Document,
    view: ViewState,
    prefs: Prefs,
    events: Vec<AppEvent>,
    modal: Option<Modal>,
    file_dialog: Option<FileDialogTask>,
    /// What to do after the Save As dialog's file is written.
    after_save_as: Option<Continuation>,
    /// The recovery copy written while edits are unsaved.
    recovery: RecoveryState,
    approved_link: Option<String>,
    allow_close: bool,
    /// What the status bar and the corner toast tell the user.
    feedback: Feedback,
    window_title: String,
    visible: Memo<VisibleKey, VisibleCells>,
    chart_controls: ChartControls,
    chart_preview: ChartPreview,
    /// The Project window (title, description, as-of date).
    project_panel: ProjectPanel,
    palette: CommandPalette,
    /// Review mode: content locked, only review statuses and review comments change.
    review: ReviewLock,
    compare: CompareState,
    merge: MergeState,
    coders: CodersState,
    /// The file given at start could not be opened: no document is shown, nothing can be saved.
    load_failure: Option<LoadFailure>,
    /// The Views menu's name prompt.
    views_menu: ViewsMenuState,
    /// The Attach and Replace windows and the source list's rename field.
    sources: SourcesState,
    /// The Element across agreements tab.
    element_view: ElementViewState,
    /// The quotes' state counts for the status bar; `None` when there are no excerpts.
    quote_counts: Memo<(u64, u64), Option<crate::sources::evidence::CheckCounts>>,
    /// The reader panel: shown source, search, selected passage, and the excerpt checks.
    reader: ReaderState,
}

/// The open document's recovery copy and when to write it.
struct RecoveryState {
    /// Where recovery copies go; `None` turns them off (tests, or no data directory).
    dir: Option<PathBuf>,
    /// The open document's copy; each document and window has its own.
    store: Option<RecoveryStore>,
    /// How long after the last edit the copy is written.
    idle: Duration,
    last_edit: Option<Instant>,
    /// The document revision the copy holds.
    written_for: Option<(u64, u64)>,
}

/// Review mode's lock on content.
#[derive(Default)]
struct ReviewLock {
    on: bool,
    /// Undo depth when Review mode began: Undo stops there, so it cannot change content.
    undo_floor: usize,
}

/// What the app tells the user besides dialogs.
#[derive(Default)]
struct Feedback {
    /// The status bar's message.
    status: Option<String>,
    /// A short message shown in the corner for a few seconds.
    toast: Option<(String, Instant)>,
}

/// A project file that could not be opened at start.
struct LoadFailure {
    path: PathBuf,
    message: String,
}

impl NormgridApp {
    /// Creates the app for eframe, restoring preferences from its storage.
    pub fn new(cc: &eframe::CreationContext<'_>, options: &StartupOptions) -> Self {
        install_fonts(&cc.egui_ctx);
        let prefs = cc
            .storage
            .and_then(|storage| eframe::get_value::<Prefs>(storage, STORAGE_KEY))
            .unwrap_or_default();
        Self::with_prefs(prefs, options)
    }

    /// Creates the app with the given preferences (tests and benchmarks use this).
    pub fn with_prefs(prefs: Prefs, options: &StartupOptions) -> Self {
        let mut modal = None;
        let mut load_failure = None;
        let doc = match &options.file {
            Some(path) => match Document::open(path) {
                Ok(doc) => doc,
                Err(error) => {
                    modal = Some(load_failed_modal(path, &error));
                    load_failure = Some(LoadFailure {
                        path: path.clone(),
                        message: error.to_string(),
                    });
                    // Never shown or saved: the failure page stands in for it.
                    Document::new_project(chrono::Local::now().date_naive())
                }
            },
            None => Document::sample().unwrap_or_else(|error| {
                modal = Some(Modal::Error {
                    title: "The built-in sample could not be read".to_owned(),
                    message: error.to_string(),
                });
                Document::new_project(chrono::Local::now().date_naive())
            }),
        };
        let mut store = options
            .recovery_dir
            .as_ref()
            .map(|dir| RecoveryStore::for_document(dir, options.file.as_deref()));
        // A file's own leftover copy; without a file, any leftover no live window holds.
        let found = store.as_mut().and_then(|store| match &options.file {
            Some(_) => store.find(),
            None => store.find_any(),
        });
        if let Some(found) = found {
            match found {
                Ok(recovered) => {
                    modal = Some(Modal::Recovery {
                        recovered: Box::new(recovered),
                    });
                }
                Err(error) => {
                    modal = Some(Modal::Error {
                        title: "A recovery copy could not be read".to_owned(),
                        message: error.to_string(),
                    });
                }
            }
        }
        let mut app = Self {
            doc,
            view: ViewState::default(),
            prefs,
            events: Vec::new(),
            modal,
            file_dialog: None,
            after_save_as: None,
            recovery: RecoveryState {
                dir: options.recovery_dir.clone(),
                store,
                idle: options.recovery_idle,
                last_edit: None,
                written_for: None,
            },
            approved_link: None,
            allow_close: false,
            feedback: Feedback::default(),
            window_title: String::new(),
            visible: Memo::default(),
            chart_controls: ChartControls::default(),
            chart_preview: ChartPreview::default(),
            project_panel: ProjectPanel::default(),
            palette: CommandPalette::default(),
            review: ReviewLock {
                on: options.review,
                undo_floor: 0,
            },
            compare: CompareState::default(),
            merge: MergeState::default(),
            coders: CodersState::default(),
            load_failure,
            views_menu: ViewsMenuState::default(),
            sources: SourcesState::default(),
            element_view: ElementViewState::default(),
            quote_counts: Memo::default(),
            reader: ReaderState::default(),
        };
        if let Some(path) = app.doc.path().map(Path::to_path_buf) {
            app.prefs.remember_file(&path);
        }
        app.report_problems();
        app
    }

    /// Replaces the document with an in-memory project that has no file (benchmarks, imports).
    pub fn show_project(&mut self, project: Project) {
        self.replace_document(Document::unsaved(project));
    }

    /// Queues an event, as a panel or a dialog would.
    pub fn send(&mut self, event: AppEvent) {
        self.events.push(event);
    }

    /// The project being edited.
    pub fn project(&self) -> &Project {
        self.doc.project()
    }

    /// The file Save writes to.
    pub fn document_path(&self) -> Option<&Path> {
        self.doc.path()
    }

    /// True when there are unsaved edits.
    pub fn has_unsaved_changes(&self) -> bool {
        self.doc.has_unsaved_changes()
    }

    /// The open modal, if any.
    pub fn modal(&self) -> Option<&Modal> {
        self.modal.as_ref()
    }

    /// The view state (selection, filters).
    pub fn view(&self) -> &ViewState {
        &self.view
    }

    /// The view state, to switch tabs or filters the way a click would.
    pub fn view_mut(&mut self) -> &mut ViewState {
        &mut self.view
    }

    /// The preferences.
    pub fn prefs_mut(&mut self) -> &mut Prefs {
        &mut self.prefs
    }

    /// True in Review mode.
    pub fn review_mode(&self) -> bool {
        self.review.on
    }

    /// The agreements the grid shows, in order.
    pub fn visible_rows(&self) -> &[AgreementId] {
        &shown(&self.visible).rows
    }

    /// The element columns the grid shows, in order.
    pub fn visible_columns(&self) -> &[ElementId] {
        &shown(&self.visible).columns
    }

    /// What the action table needs to decide what is enabled and checked this frame.
    pub fn action_state(&self) -> ActionState {
        ActionState {
            review_mode: self.review.on,
            cell_selected: self
                .view
                .selected_indices(&shown(&self.visible).rows, &shown(&self.visible).columns)
                .is_some(),
            can_undo: self.doc.history().undo_label().is_some(),
            can_redo: self.doc.history().redo_label().is_some(),
            dialog_open: self.file_dialog.is_some(),
            document_open: self.load_failure.is_none(),
            grid_tab: self.view.central_tab == CentralTab::Grid,
            show_cell_panel: self.prefs.show_cell_panel,
            show_initiatives_panel: self.prefs.show_initiatives_panel,
            show_norms_panel: self.prefs.show_norms_panel,
            show_reader: self.prefs.show_reader,
            reader_selection: self.reader.selected_range().is_some(),
            highlight_incomplete: self.view.highlight_incomplete,
        }
    }

    /// The reader panel's state: the source shown and the passage selected.
    pub fn reader(&self) -> &ReaderState {
        &self.reader
    }

    /// True while the command palette is showing.
    pub fn palette_open(&self) -> bool {
        self.palette.open
    }

    /// The message in the corner, e.g. where a chart was saved.
    pub fn toast(&self) -> Option<&str> {
        self.feedback.toast.as_ref().map(|(text, _)| text.as_str())
    }

    /// The window title as last set.
    pub fn window_title(&self) -> &str {
        &self.window_title
    }
}

/// egui's proportional font lacks arrows and symbols such as ● that the UI uses; its
/// monospace font has them, so it becomes the fallback.
pub fn install_fonts(ctx: &egui::Context) {
    let mut fonts = egui::FontDefinitions::default();
    if let Some(proportional) = fonts.families.get_mut(&egui::FontFamily::Proportional) {
        proportional.push("Hack".to_owned());
    }
    ctx.set_fonts(fonts);
    // Keyboard focus must be plain to see, in menus too: egui draws a focused widget in its
    // "active" look, whose thin outline is easy to miss, so it gets a thick one in the
    // selection colour, in both themes.
    ctx.all_styles_mut(|style| {
        let focus = style.visuals.selection.bg_fill;
        style.visuals.widgets.active.bg_stroke = egui::Stroke::new(2.0, focus);
    });
}

/// The key that runs `action`, as the table defines it, for hints in the text.
fn key_name(ctx: &egui::Context, action: Action) -> String {
    action.shortcut_text(ctx).unwrap_or_default()
}

impl eframe::App for NormgridApp {
    fn ui(&mut self, ui: &mut Ui, _frame: &mut eframe::Frame) {
        self.draw(ui);
    }

    fn save(&mut self, storage: &mut dyn eframe::Storage) {
        eframe::set_value(storage, STORAGE_KEY, &self.prefs);
    }
}
