//! The application: owns the document and the view, draws the panels, and applies what they
//! ask for after drawing, so no panel ever mutates the project while another reads it.

use super::actions::{Action, ActionState};
use super::cell_panel::cell_panel_ui;
use super::charts_view::{ChartControls, ChartPreview, charts_view_ui};
use super::coders_view::{CodersState, coders_view_ui};
use super::command_palette::{CommandPalette, command_palette_ui};
use super::compare_view::{CompareState, compare_view_ui};
use super::dialogs::{
    Continuation, ExportFormat, FileDialogResult, FileDialogTask, FilePurpose, Modal, ModalAnswer,
    RemoveRequest, is_openable_link, modal_ui,
};
use super::document::{Document, OtherFile};
use super::grid::{
    GridInput, SIDE_PANEL_MIN_WIDTH, grid_ui, key_columns_width, run_grid_action,
    side_panel_max_width,
};
use super::initiatives::initiatives_panel_ui;
use super::menu::{MenuInput, menu_bar_ui};
use super::merge_view::{MergeState, merge_view_ui};
use super::norms::norms_panel_ui;
use super::prefs::{Prefs, STORAGE_KEY};
use super::project_panel::{ProjectPanel, project_panel_ui};
use super::review_view::review_view_ui;
use super::toolbar::toolbar_ui;
use super::view::{CentralTab, RowQuery, ViewState, visible_columns, visible_rows};
use super::views_menu::{ViewsEvent, ViewsMenuState, handle_views_event, name_prompt_ui};
use crate::commands::Command;
use crate::io::recovery::RecoveryStore;
use crate::model::{
    Agreement, AgreementId, Assessment, Cell, Element, ElementId, FrameworkId, Initiative,
    InitiativeId, Note, NoteId, NoteKind, NoteTarget, Project, ProvisionLink, ReviewStatus,
};
use egui::Ui;
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// Everything that can happen to the app: menu actions, dialog results, and panel requests.
/// Tests send these too, e.g. [`AppEvent::OpenPath`] stands in for the file dialog's answer.
#[derive(Clone, Debug)]
pub enum AppEvent {
    Action(Action),
    /// Open this file (the Open dialog's answer, or a recent file).
    OpenPath(PathBuf),
    /// Save to this file (the Save As dialog's answer).
    SaveAsPath(PathBuf),
    EditCell {
        agreement: AgreementId,
        element: ElementId,
        cell: Cell,
        /// Field being typed into; consecutive edits of it make one undo step.
        typing: Option<String>,
    },
    SetAssessment {
        agreement: AgreementId,
        element: ElementId,
        assessment: Assessment,
    },
    /// Sets many cells' assessments as one undo step (a block key or a paste) named `label`.
    SetAssessments {
        changes: Vec<(AgreementId, ElementId, Assessment)>,
        label: String,
    },
    /// Sets many cells' review status as one undo step (R or D on a block) named `label`.
    SetReviews {
        cells: Vec<(AgreementId, ElementId)>,
        status: ReviewStatus,
        label: String,
    },
    /// A paste was refused and nothing changed; the message says why.
    PasteRejected(String),
    UpdateAgreement {
        agreement: Box<Agreement>,
        typing: Option<String>,
    },
    UpdateElement {
        element: Element,
        typing: Option<String>,
    },
    UpdateInitiative {
        initiative: Box<Initiative>,
        typing: Option<String>,
    },
    /// The Project window's fields; consecutive edits of one field make one undo step.
    SetProjectInfo {
        title: String,
        description: String,
        as_of: chrono::NaiveDate,
        typing: String,
    },
    AddNote {
        target: NoteTarget,
        text: String,
    },
    RemoveNote(NoteId),
    AddInitiative {
        linked_to: Option<AgreementId>,
    },
    RemoveInitiative(InitiativeId),
    AddAgreementAfter(Option<AgreementId>),
    RemoveAgreement(AgreementId),
    MoveAgreement {
        id: AgreementId,
        by: i32,
    },
    EditAgreementDetails(AgreementId),
    AddElementAfter(ElementId),
    RemoveElement(ElementId),
    MoveElement {
        id: ElementId,
        by: i32,
    },
    EditElement(ElementId),
    /// Select an agreement and bring its row into view.
    ShowAgreement(AgreementId),
    /// Select an element and bring its column into view.
    ShowElement(ElementId),
    ToggleFramework(FrameworkId),
    /// A link the user clicked; it opens only after confirmation.
    OpenLink(String),
    /// Export the current chart here (.png or .svg; the Export dialog's answer).
    ExportChartPath(PathBuf),
    /// Export the project in this format here (File → Export's dialog answer).
    ExportProjectPath(ExportFormat, PathBuf),
    /// Ask for a file with the system dialog.
    ChooseFile(FilePurpose),
    /// Compare the open project with this file.
    ComparePath(PathBuf),
    /// Save the Compare tab's changes here as CSV (the Save dialog's answer).
    ExportChangesPath(PathBuf),
    /// Merge this colleague's copy into the open project.
    MergeTheirsPath(PathBuf),
    /// Use this file as the merge's common base.
    MergeBasePath(PathBuf),
    /// Add this file as another coder's assessment.
    AddCoderPath(PathBuf),
    /// Set a cell's review status, recording who set it and when.
    SetReview {
        agreement: AgreementId,
        element: ElementId,
        status: ReviewStatus,
    },
    /// Replace the project with the Merge tab's result (one undo step).
    ApplyMerge,
    /// Switch to the grid and select this cell.
    ShowCell {
        agreement: AgreementId,
        element: ElementId,
    },
    /// Switch to the grid and select this agreement.
    ShowAgreementInGrid(AgreementId),
    /// Switch to the grid filtered to this review status.
    FilterReview(Option<ReviewStatus>),
    /// Open the `.bak` kept beside this damaged project file, as unsaved work.
    OpenBackupOf(PathBuf),
    /// The Views menu or its name prompt.
    Views(ViewsEvent),
}

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

#[derive(Default)]
struct RowsCache {
    key: Option<((u64, u64), RowQuery, BTreeSet<FrameworkId>)>,
    rows: Vec<AgreementId>,
    columns: Vec<ElementId>,
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
    recovery_dir: Option<PathBuf>,
    /// The open document's recovery copy; each document and window has its own.
    recovery: Option<RecoveryStore>,
    recovery_idle: Duration,
    last_edit: Option<Instant>,
    recovery_written_for: Option<(u64, u64)>,
    approved_link: Option<String>,
    allow_close: bool,
    status: Option<String>,
    window_title: String,
    rows: RowsCache,
    chart_controls: ChartControls,
    chart_preview: ChartPreview,
    /// The Project window (title, description, as-of date).
    project_panel: ProjectPanel,
    palette: CommandPalette,
    /// A short message shown in the corner for a few seconds.
    toast: Option<(String, Instant)>,
    /// Content is locked; only review status and review comments change.
    review_mode: bool,
    /// Undo depth when Review mode began: Undo stops there, so it cannot change content.
    review_undo_floor: usize,
    compare: CompareState,
    merge: MergeState,
    coders: CodersState,
    /// The file given at start could not be opened: no document is shown, nothing can be saved.
    load_failure: Option<LoadFailure>,
    /// The Views menu's name prompt.
    views_menu: ViewsMenuState,
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
        let mut recovery = options
            .recovery_dir
            .as_ref()
            .map(|dir| RecoveryStore::for_document(dir, options.file.as_deref()));
        // A file's own leftover copy; without a file, any leftover no live window holds.
        let found = recovery.as_mut().and_then(|store| match &options.file {
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
            recovery_dir: options.recovery_dir.clone(),
            recovery,
            recovery_idle: options.recovery_idle,
            last_edit: None,
            recovery_written_for: None,
            approved_link: None,
            allow_close: false,
            status: None,
            window_title: String::new(),
            rows: RowsCache::default(),
            chart_controls: ChartControls::default(),
            chart_preview: ChartPreview::default(),
            project_panel: ProjectPanel::default(),
            palette: CommandPalette::default(),
            toast: None,
            review_mode: options.review,
            review_undo_floor: 0,
            compare: CompareState::default(),
            merge: MergeState::default(),
            coders: CodersState::default(),
            load_failure,
            views_menu: ViewsMenuState::default(),
        };
        if let Some(path) = app.doc.path.clone() {
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
        &self.doc.project
    }

    /// The file Save writes to.
    pub fn document_path(&self) -> Option<&Path> {
        self.doc.path.as_deref()
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
        self.review_mode
    }

    /// The agreements the grid shows, in order.
    pub fn visible_rows(&self) -> &[AgreementId] {
        &self.rows.rows
    }

    /// Draws one frame and handles what happened in it.
    pub fn draw(&mut self, ui: &mut Ui) {
        let ctx = ui.ctx().clone();
        // Decided before any panel runs: a key typed into a field, an open popup or a dialog
        // must not also reach the grid, even if the field lets go of focus this frame.
        let grid_takes_keys = self.modal.is_none()
            && !self.palette.open
            && self.file_dialog.is_none()
            && self.views_menu.prompt.is_none()
            && !ctx.egui_wants_keyboard_input()
            && !egui::Popup::is_any_open(&ctx);
        self.poll_file_dialog();
        self.handle_close_request(&ctx);
        // The palette takes every key while open; a dialog or the view-name prompt takes them too.
        if self.modal.is_none() && !self.palette.open && self.views_menu.prompt.is_none() {
            for action in Action::take_global_shortcuts(&ctx) {
                self.events.push(AppEvent::Action(action));
            }
        }
        self.refresh_rows();

        let actions = self.action_state();
        let menu_input = MenuInput {
            project: &self.doc.project,
            recent_files: &self.prefs.recent_files,
            undo_label: self.doc.history.undo_label(),
            redo_label: self.doc.history.redo_label(),
            hidden_frameworks: &self.view.hidden_frameworks,
            actions,
        };
        egui::Panel::top("menu").show(ui, |ui| menu_bar_ui(ui, &menu_input, &mut self.events));
        egui::Panel::bottom("status").show(ui, |ui| self.status_bar_ui(ui));
        if let Some(failure) = &self.load_failure {
            egui::CentralPanel::default().show(ui, |ui| {
                load_failure_ui(ui, failure, &mut self.events);
            });
        } else {
            self.document_panels_ui(ui, grid_takes_keys);
            project_panel_ui(
                &ctx,
                &self.doc.project,
                self.review_mode,
                &mut self.project_panel,
                &mut self.events,
            );
            name_prompt_ui(
                &ctx,
                &self.doc.project,
                &mut self.views_menu,
                &mut self.events,
            );
        }
        // A focus request is for the frame after it was made; one the filter box did not take
        // (another tab was showing) must not jump into it later.
        self.view.focus_filter = false;

        let name = self.doc.display_name();
        if let Some(modal) = &mut self.modal
            && let Some(answer) = modal_ui(&ctx, modal, &name)
        {
            self.answer_modal(answer, &ctx);
        }
        if self.modal.is_none()
            && let Some(event) =
                command_palette_ui(&ctx, &mut self.palette, &self.doc.project.views, &actions)
        {
            self.events.push(event);
        }

        let events = std::mem::take(&mut self.events);
        if !events.is_empty() {
            // What the events change (a modal, a new row) must show without waiting for input.
            ctx.request_repaint();
        }
        for event in events {
            self.handle(event, &ctx);
        }
        self.intercept_links(&ctx);
        self.toast_ui(&ctx);
        self.update_title(&ctx);
        self.write_recovery_when_idle(&ctx);
    }

    /// What the action table needs to decide what is enabled and checked this frame.
    pub fn action_state(&self) -> ActionState {
        ActionState {
            review_mode: self.review_mode,
            cell_selected: self
                .view
                .selected_indices(&self.rows.rows, &self.rows.columns)
                .is_some(),
            can_undo: self.doc.history.undo_label().is_some(),
            can_redo: self.doc.history.redo_label().is_some(),
            dialog_open: self.file_dialog.is_some(),
            document_open: self.load_failure.is_none(),
            grid_tab: self.view.central_tab == CentralTab::Grid,
            show_cell_panel: self.prefs.show_cell_panel,
            show_initiatives_panel: self.prefs.show_initiatives_panel,
            show_norms_panel: self.prefs.show_norms_panel,
            highlight_incomplete: self.view.highlight_incomplete,
        }
    }

    /// True while the command palette is showing.
    pub fn palette_open(&self) -> bool {
        self.palette.open
    }

    /// The panels around an open document: cell and notes, side panels, and the central tabs.
    fn document_panels_ui(&mut self, ui: &mut Ui, grid_takes_keys: bool) {
        // Panels never take the room the key-element columns need: they stop growing first.
        let show_side = self.prefs.show_initiatives_panel || self.prefs.show_norms_panel;
        let panel_max = side_panel_max_width(
            ui.available_width(),
            key_columns_width(&self.doc.project, &self.rows.columns),
            usize::from(self.prefs.show_cell_panel) + usize::from(show_side),
        );
        if self.prefs.show_cell_panel {
            egui::Panel::right("cell-panel")
                .resizable(true)
                .default_size(360.0_f32.min(panel_max))
                .size_range(SIDE_PANEL_MIN_WIDTH..=panel_max)
                .show(ui, |ui| {
                    let block_cells = self
                        .view
                        .selected_block(&self.rows.rows, &self.rows.columns)
                        .map_or(1, |block| block.cell_count());
                    cell_panel_ui(
                        ui,
                        &self.doc.project,
                        self.review_mode,
                        &mut self.view,
                        block_cells,
                        &mut self.prefs.author,
                        &mut self.events,
                    );
                });
        }
        // Enter in the grid asks the note editor for focus on the next frame only.
        self.view.focus_note_editor = false;
        if show_side {
            egui::Panel::left("side-panel")
                .resizable(true)
                .default_size(300.0_f32.min(panel_max))
                .size_range(SIDE_PANEL_MIN_WIDTH..=panel_max)
                .show(ui, |ui| self.side_panels_ui(ui));
        }
        egui::CentralPanel::default().show(ui, |ui| {
            ui.horizontal(|ui| {
                for tab in CentralTab::ALL {
                    ui.selectable_value(&mut self.view.central_tab, tab, tab.label());
                }
                if self.review_mode {
                    ui.separator();
                    ui.label(
                        egui::RichText::new("REVIEW MODE: content locked")
                            .strong()
                            .color(ui.visuals().warn_fg_color),
                    )
                    .on_hover_text(format!(
                        "Set review statuses ({} = Reviewed, {} = Disputed) and add review comments. Review → Review mode turns it off.",
                        key_name(ui.ctx(), Action::MarkReviewed),
                        key_name(ui.ctx(), Action::MarkDisputed),
                    ));
                }
            });
            let revision = self.doc.revision();
            match self.view.central_tab {
                CentralTab::Grid | CentralTab::Charts => {}
                CentralTab::Compare => {
                    compare_view_ui(ui, &self.doc.project, revision, &mut self.compare, &mut self.events);
                    return;
                }
                CentralTab::Merge => {
                    merge_view_ui(ui, &self.doc.project, revision, &mut self.merge, &mut self.events);
                    return;
                }
                CentralTab::Coders => {
                    coders_view_ui(ui, &self.doc.project, revision, &mut self.coders, &mut self.events);
                    return;
                }
                CentralTab::Review => {
                    review_view_ui(ui, &self.doc.project, self.review_mode, &mut self.events);
                    return;
                }
            }
            if self.view.central_tab == CentralTab::Charts {
                let rows = self.rows.rows.clone();
                let frameworks = self.shown_frameworks();
                let selected = self.view.selection.agreement.clone();
                let spec_for = move |controls: &ChartControls| {
                    controls.spec(&rows, &frameworks, selected.as_ref())
                };
                charts_view_ui(
                    ui,
                    &self.doc.project,
                    self.doc.revision(),
                    &spec_for,
                    &mut self.chart_controls,
                    &mut self.chart_preview,
                    &mut self.events,
                );
                return;
            }
            toolbar_ui(
                ui,
                &self.doc.project,
                &mut self.view,
                self.rows.rows.len(),
                self.doc.project.agreements.len(),
                self.review_mode,
                &mut self.events,
            );
            ui.add_space(2.0);
            let input = GridInput {
                project: &self.doc.project,
                rows: &self.rows.rows,
                columns: &self.rows.columns,
                takes_keys: grid_takes_keys,
            };
            grid_ui(ui, &input, &mut self.view, &mut self.events);
        });
    }

    fn shown_frameworks(&self) -> Vec<FrameworkId> {
        self.doc
            .project
            .frameworks
            .iter()
            .filter(|f| !self.view.hidden_frameworks.contains(&f.id))
            .map(|f| f.id.clone())
            .collect()
    }

    /// The message in the corner, e.g. where a chart was saved.
    pub fn toast(&self) -> Option<&str> {
        self.toast.as_ref().map(|(text, _)| text.as_str())
    }

    fn toast_ui(&mut self, ctx: &egui::Context) {
        let Some((text, since)) = &self.toast else {
            return;
        };
        let remaining = Duration::from_secs(6).saturating_sub(since.elapsed());
        if remaining.is_zero() {
            self.toast = None;
            return;
        }
        ctx.request_repaint_after(remaining);
        egui::Area::new(egui::Id::unique("normgrid-toast"))
            .anchor(egui::Align2::RIGHT_BOTTOM, egui::vec2(-16.0, -40.0))
            .order(egui::Order::Foreground)
            .show(ctx, |ui| {
                egui::Frame::popup(ui.style()).show(ui, |ui| {
                    ui.label(text.as_str());
                });
            });
    }

    /// An export never writes over the open project's own file, however the path is spelt.
    fn refuse_overwriting_project(&self, output: &Path) -> Result<(), String> {
        let Some(project) = self.doc.path.as_deref() else {
            return Ok(());
        };
        crate::io::refuse_overwriting_inputs(
            &[crate::io::NamedPath::new("the export", output)],
            &[crate::io::NamedPath::new("the open project", project)],
        )
        .map_err(|clash| clash.to_string())
    }

    fn export_chart(&mut self, path: &Path) {
        let spec = self.chart_controls.spec(
            &self.rows.rows,
            &self.shown_frameworks(),
            self.view.selection.agreement.as_ref(),
        );
        let result = self
            .refuse_overwriting_project(path)
            .and_then(|()| {
                crate::charts::build_chart(&self.doc.project, &spec).map_err(|e| e.to_string())
            })
            .and_then(|chart| crate::charts::chart_file_bytes(&chart, path, 1.0))
            .and_then(|bytes| {
                crate::io::write_atomically(path, &bytes, false).map_err(|e| e.to_string())
            });
        match result {
            Ok(()) => {
                self.toast = Some((format!("Chart saved to {}", path.display()), Instant::now()));
            }
            Err(message) => {
                self.modal = Some(Modal::Error {
                    title: "Could not export the chart".to_owned(),
                    message,
                });
            }
        }
    }

    /// File → Export: the whole project (CSV limited to the frameworks shown).
    fn export_project(&mut self, format: ExportFormat, path: &Path) {
        use crate::io::csv_export::{CsvLayout, project_to_csv};
        let project = &self.doc.project;
        let hidden_some = !self.view.hidden_frameworks.is_empty();
        let frameworks = if hidden_some {
            self.shown_frameworks()
        } else {
            Vec::new()
        };
        let result = self
            .refuse_overwriting_project(path)
            .and_then(|()| match format {
                ExportFormat::CsvLong => {
                    Ok(project_to_csv(project, CsvLayout::Long, &frameworks).into_bytes())
                }
                ExportFormat::CsvWide => {
                    Ok(project_to_csv(project, CsvLayout::Wide, &frameworks).into_bytes())
                }
                ExportFormat::Xlsx => crate::io::xlsx_export::project_to_xlsx(project)
                    .map_err(|e| format!("could not build the workbook: {e}")),
                ExportFormat::Html => {
                    Ok(crate::io::html_report::project_to_html(project).into_bytes())
                }
            })
            .and_then(|bytes| {
                crate::io::write_atomically(path, &bytes, false).map_err(|e| e.to_string())
            });
        match result {
            Ok(()) => {
                self.toast = Some((
                    format!("{} saved to {}", format.name(), path.display()),
                    Instant::now(),
                ));
            }
            Err(message) => {
                self.modal = Some(Modal::Error {
                    title: format!("Could not export {}", file_name(path)),
                    message,
                });
            }
        }
    }

    fn side_panels_ui(&mut self, ui: &mut Ui) {
        let both = self.prefs.show_initiatives_panel && self.prefs.show_norms_panel;
        if self.prefs.show_norms_panel {
            if both {
                egui::Panel::bottom("norms-split")
                    .resizable(true)
                    .default_size(ui.available_height() / 2.0)
                    .show(ui, |ui| {
                        norms_panel_ui(ui, &self.doc.project, &self.view, &mut self.events);
                    });
            } else {
                norms_panel_ui(ui, &self.doc.project, &self.view, &mut self.events);
            }
        }
        if self.prefs.show_initiatives_panel {
            initiatives_panel_ui(ui, &self.doc.project, &mut self.view, &mut self.events);
        }
    }

    fn status_bar_ui(&self, ui: &mut Ui) {
        ui.horizontal(|ui| {
            if let Some(failure) = &self.load_failure {
                ui.label(
                    egui::RichText::new(format!(
                        "No project open: {} could not be opened",
                        failure.path.display()
                    ))
                    .color(ui.visuals().warn_fg_color),
                );
                return;
            }
            let location = self.doc.path.as_ref().map_or_else(
                || "Not saved to a file yet: File → Save As… to keep your work".to_owned(),
                |p| p.display().to_string(),
            );
            ui.label(location);
            if self.doc.has_unsaved_changes() {
                ui.label(
                    egui::RichText::new("● unsaved changes").color(ui.visuals().warn_fg_color),
                );
            }
            if !self.doc.problems.is_empty() {
                ui.label(
                    egui::RichText::new(format!("{} problem(s) in file", self.doc.problems.len()))
                        .color(ui.visuals().warn_fg_color),
                )
                .on_hover_text(
                    self.doc
                        .problems
                        .iter()
                        .map(ToString::to_string)
                        .collect::<Vec<_>>()
                        .join("\n"),
                );
            }
            if let Some(status) = &self.status {
                ui.separator();
                ui.label(status);
            }
        });
    }

    fn refresh_rows(&mut self) {
        let key = (
            self.doc.revision(),
            self.view.query.clone(),
            self.view.hidden_frameworks.clone(),
        );
        if self.rows.key.as_ref() == Some(&key) {
            return;
        }
        let columns = visible_columns(&self.doc.project, &self.view.hidden_frameworks);
        let rows = visible_rows(&self.doc.project, &self.view.query, &columns);
        // A block is a rectangle of what is shown: once the shown rows or columns change, the
        // same anchor would span other cells, so the block shrinks back to the selected cell.
        if rows != self.rows.rows || columns != self.rows.columns {
            self.view.selection.anchor = None;
        }
        self.rows.columns = columns;
        self.rows.rows = rows;
        self.rows.key = Some(key);
    }

    fn author(&self) -> String {
        self.prefs.author_or_default().to_owned()
    }

    fn edited(&mut self, result: Result<(), crate::commands::CommandError>) {
        match result {
            Ok(()) => {
                self.last_edit = Some(Instant::now());
                self.status = None;
            }
            Err(error) => {
                self.modal = Some(Modal::Error {
                    title: "That change could not be made".to_owned(),
                    message: error.to_string(),
                });
            }
        }
    }

    fn apply(&mut self, command: Command) {
        let result = self.doc.apply(command);
        self.edited(result);
    }

    /// Sets the cells that differ as one undo step; cells already right are left alone.
    fn set_assessments(
        &mut self,
        changes: Vec<(AgreementId, ElementId, Assessment)>,
        label: String,
    ) {
        let (author, now) = (self.author(), chrono::Utc::now());
        let author = author.as_str();
        let edits = changes.into_iter().map(|(agreement, element, assessment)| {
            let edit = move |cell: &mut Cell| {
                let changes = cell.assessment != assessment;
                cell.assessment = assessment;
                cell.stamp(author, now);
                changes
            };
            (agreement, element, edit)
        });
        self.apply_cell_batch(edits, label, "the cells already hold those values");
    }

    /// Sets the review status of the cells that differ as one undo step.
    fn set_reviews(
        &mut self,
        cells: Vec<(AgreementId, ElementId)>,
        status: ReviewStatus,
        label: String,
    ) {
        let (author, now) = (self.author(), chrono::Utc::now());
        let author = author.as_str();
        let edits = cells.into_iter().map(|(agreement, element)| {
            let edit = move |cell: &mut Cell| {
                let changes = cell.review != status;
                cell.set_review(status, author, now);
                changes
            };
            (agreement, element, edit)
        });
        self.apply_cell_batch(edits, label, "the cells already hold that status");
    }

    /// One undo step of `SetCell`s for the cells an edit changes (it returns whether it did).
    fn apply_cell_batch<F: FnOnce(&mut Cell) -> bool>(
        &mut self,
        edits: impl Iterator<Item = (AgreementId, ElementId, F)>,
        label: String,
        unchanged: &str,
    ) {
        let commands: Vec<Command> = edits
            .filter_map(|(agreement, element, edit)| {
                let mut cell = self.doc.project.cell(&agreement, &element);
                edit(&mut cell).then_some(Command::SetCell {
                    agreement,
                    element,
                    cell,
                })
            })
            .collect();
        if commands.is_empty() {
            self.status = Some(format!("{label}: {unchanged}."));
        } else {
            self.apply(Command::Batch { label, commands });
        }
    }

    fn apply_maybe_typing(&mut self, command: Command, typing: Option<String>) {
        let result = match typing {
            Some(key) => self.doc.apply_typing(command, &key),
            None => self.doc.apply(command),
        };
        self.edited(result);
    }

    /// True (and says so) when Review mode forbids this event.
    fn locked_by_review(&mut self, event: &AppEvent) -> bool {
        if !self.review_mode {
            return false;
        }
        let locked = match event {
            // Reviewers may withdraw their own review comments, not anyone else's notes.
            AppEvent::RemoveNote(id) => self
                .doc
                .project
                .note(id)
                .is_none_or(|note| !is_own_review_comment(note, &self.prefs.author)),
            other => changes_content(other),
        };
        if locked {
            self.status = Some(
                "Review mode: assessments, notes and quotes are locked. Set review statuses or add a review comment; Review → Review mode unlocks."
                    .to_owned(),
            );
        }
        locked
    }

    /// True (and says so) when no document is open because the start file could not be read.
    fn locked_by_load_failure(&mut self, event: &AppEvent) -> bool {
        if self.load_failure.is_none() {
            return false;
        }
        let locked = changes_content(event)
            || signs_edit(event)
            || matches!(
                event,
                AppEvent::RemoveNote(_)
                    | AppEvent::SaveAsPath(_)
                    | AppEvent::Action(Action::Save | Action::SaveAs | Action::Undo | Action::Redo)
            );
        if locked {
            self.status = Some(
                "No project is open: open the backup, another file, or start a new project."
                    .to_owned(),
            );
        }
        locked
    }

    /// At the first edit that records a name, asks who is editing instead of signing
    /// "Anonymous"; the edit waits in the prompt and goes through once a name is given.
    fn waits_for_name(&mut self, event: AppEvent) -> Option<AppEvent> {
        if !signs_edit(&event) || !self.prefs.author.trim().is_empty() {
            return Some(event);
        }
        if self.modal.is_none() {
            self.modal = Some(Modal::WhoIsEditing {
                name: String::new(),
                pending: Box::new(event),
                take_focus: true,
            });
        }
        None
    }

    fn handle(&mut self, event: AppEvent, ctx: &egui::Context) {
        if self.locked_by_load_failure(&event) || self.locked_by_review(&event) {
            return;
        }
        let Some(event) = self.waits_for_name(event) else {
            return;
        };
        match event {
            AppEvent::Action(action) => self.run_action(action, ctx),
            AppEvent::OpenPath(path) => self.guard(Continuation::OpenPath(path), ctx),
            AppEvent::SaveAsPath(path) => {
                let then = self.after_save_as.take();
                self.write_to(&path, then, ctx);
            }
            AppEvent::EditCell {
                agreement,
                element,
                mut cell,
                typing,
            } => {
                cell.stamp(&self.author(), chrono::Utc::now());
                self.apply_maybe_typing(
                    Command::SetCell {
                        agreement,
                        element,
                        cell,
                    },
                    typing,
                );
            }
            AppEvent::SetAssessment {
                agreement,
                element,
                assessment,
            } => {
                let mut cell = self.doc.project.cell(&agreement, &element);
                if cell.assessment != assessment {
                    cell.assessment = assessment;
                    cell.stamp(&self.author(), chrono::Utc::now());
                    self.apply(Command::SetCell {
                        agreement,
                        element,
                        cell,
                    });
                }
            }
            AppEvent::SetAssessments { changes, label } => self.set_assessments(changes, label),
            AppEvent::SetReviews {
                cells,
                status,
                label,
            } => self.set_reviews(cells, status, label),
            AppEvent::PasteRejected(message) => {
                self.modal = Some(Modal::Error {
                    title: "Nothing was pasted".to_owned(),
                    message,
                });
            }
            AppEvent::UpdateAgreement { agreement, typing } => {
                self.apply_maybe_typing(Command::UpdateAgreement { agreement }, typing);
            }
            AppEvent::UpdateElement { element, typing } => {
                self.apply_maybe_typing(Command::UpdateElement { element }, typing);
            }
            AppEvent::SetProjectInfo {
                title,
                description,
                as_of,
                typing,
            } => {
                self.apply_maybe_typing(
                    Command::SetProjectInfo {
                        title,
                        description,
                        as_of,
                    },
                    Some(typing),
                );
            }
            AppEvent::UpdateInitiative { initiative, typing } => {
                self.apply_maybe_typing(Command::UpdateInitiative { initiative }, typing);
            }
            AppEvent::AddNote { target, text } => {
                let author = self.author();
                let note = Note {
                    id: NoteId::generate(&author),
                    target,
                    author,
                    date: chrono::Local::now().date_naive(),
                    text,
                    kind: if self.review_mode {
                        NoteKind::Review
                    } else {
                        NoteKind::Discussion
                    },
                };
                self.apply(Command::InsertNote {
                    index: self.doc.project.notes.len(),
                    note,
                });
            }
            AppEvent::RemoveNote(id) => self.apply(Command::RemoveNote { id }),
            AppEvent::AddInitiative { linked_to } => {
                let title = "New initiative";
                let project = &self.doc.project;
                let id = InitiativeId::readable(title, |id| {
                    project.initiatives.iter().any(|i| i.id.as_str() == id)
                });
                let mut initiative = Initiative::new(id.clone(), title);
                if let Some(agreement) = linked_to {
                    initiative.supports.push(ProvisionLink {
                        agreement,
                        provision: None,
                    });
                }
                self.apply(Command::InsertInitiative {
                    index: self.doc.project.initiatives.len(),
                    initiative: Box::new(initiative),
                });
                self.view.editing_initiative = Some(id);
                self.view.reveal_edited_initiative = true;
                self.prefs.show_initiatives_panel = true;
            }
            AppEvent::RemoveInitiative(id) => {
                let title = self
                    .doc
                    .project
                    .initiative(&id)
                    .map(|i| i.title.clone())
                    .unwrap_or_default();
                self.modal = Some(Modal::ConfirmRemove {
                    what: RemoveRequest::Initiative(id),
                    summary: format!("Remove the initiative “{title}” and its links?"),
                });
            }
            AppEvent::AddAgreementAfter(after) => self.add_agreement(after),
            AppEvent::RemoveAgreement(id) => self.request_remove_agreement(id),
            AppEvent::MoveAgreement { id, by } => {
                if let Some(index) = self.doc.project.agreement_index(&id) {
                    let to = offset_index(index, by, self.doc.project.agreements.len());
                    if to != index {
                        self.apply(Command::MoveAgreement { id, to });
                    }
                }
            }
            AppEvent::EditAgreementDetails(id) => {
                self.view.select_agreement(id);
                self.prefs.show_cell_panel = true;
            }
            AppEvent::AddElementAfter(after) => self.add_element(&after),
            AppEvent::RemoveElement(id) => self.request_remove_element(id),
            AppEvent::MoveElement { id, by } => {
                if let Some((fi, ei)) = self.doc.project.element_position(&id) {
                    let to = offset_index(ei, by, self.doc.project.frameworks[fi].elements.len());
                    if to != ei {
                        self.apply(Command::MoveElement { id, to });
                    }
                }
            }
            AppEvent::EditElement(id) => {
                self.view.select_element(id);
                self.prefs.show_cell_panel = true;
            }
            AppEvent::ShowAgreement(id) => {
                if !self.rows.rows.contains(&id) {
                    self.view.query.clear_filters();
                }
                match self.view.selection.element.clone() {
                    Some(element) => self.view.select_cell(id, element),
                    None => self.view.select_agreement(id),
                }
                self.view.scroll_to_selection = true;
            }
            AppEvent::ShowElement(id) => {
                if let Some((framework, _)) = self.doc.project.element(&id) {
                    self.view.hidden_frameworks.remove(&framework.id);
                }
                match self.view.selection.agreement.clone() {
                    Some(agreement) => self.view.select_cell(agreement, id),
                    None => self.view.select_element(id),
                }
                self.view.scroll_to_selection = true;
            }
            AppEvent::ToggleFramework(id) => {
                if !self.view.hidden_frameworks.remove(&id) {
                    self.view.hidden_frameworks.insert(id);
                }
            }
            AppEvent::ExportChartPath(path) => self.export_chart(&path),
            AppEvent::ExportProjectPath(format, path) => self.export_project(format, &path),
            AppEvent::ChooseFile(purpose) => self.start_file_dialog(purpose, ctx),
            AppEvent::ComparePath(path) => {
                if let Some(other) = self.open_other(&path) {
                    self.compare.set_other(other);
                    self.view.central_tab = CentralTab::Compare;
                }
            }
            AppEvent::ExportChangesPath(path) => {
                let revision = self.doc.revision();
                let csv = self
                    .compare
                    .diff(&self.doc.project, revision)
                    .map(crate::collab::ProjectDiff::to_csv);
                if let Some(csv) = csv {
                    let written = self.refuse_overwriting_project(&path).and_then(|()| {
                        crate::io::write_atomically(&path, csv.as_bytes(), false)
                            .map_err(|e| e.to_string())
                    });
                    match written {
                        Ok(()) => {
                            self.toast = Some((
                                format!("Changes saved to {}", path.display()),
                                Instant::now(),
                            ));
                        }
                        Err(message) => {
                            self.modal = Some(Modal::Error {
                                title: "Could not save the changes".to_owned(),
                                message,
                            });
                        }
                    }
                }
            }
            AppEvent::MergeTheirsPath(path) => {
                if let Some(other) = self.open_other(&path) {
                    self.merge.set_theirs(other);
                    self.view.central_tab = CentralTab::Merge;
                }
            }
            AppEvent::MergeBasePath(path) => {
                if let Some(other) = self.open_other(&path) {
                    self.merge.set_base(Some(other));
                    self.view.central_tab = CentralTab::Merge;
                }
            }
            AppEvent::AddCoderPath(path) => {
                if let Some(other) = self.open_other(&path) {
                    self.coders.add(other);
                    self.view.central_tab = CentralTab::Coders;
                }
            }
            AppEvent::SetReview {
                agreement,
                element,
                status,
            } => {
                let mut cell = self.doc.project.cell(&agreement, &element);
                if cell.review != status {
                    cell.set_review(status, &self.author(), chrono::Utc::now());
                    self.apply(Command::SetCell {
                        agreement,
                        element,
                        cell,
                    });
                }
            }
            AppEvent::ApplyMerge => self.apply_merge(),
            AppEvent::ShowCell { agreement, element } => {
                self.view.central_tab = CentralTab::Grid;
                if !self.rows.rows.contains(&agreement) {
                    self.view.query.clear_filters();
                }
                if let Some((framework, _)) = self.doc.project.element(&element) {
                    self.view.hidden_frameworks.remove(&framework.id);
                }
                self.view.select_cell(agreement, element);
                self.view.scroll_to_selection = true;
                self.prefs.show_cell_panel = true;
            }
            AppEvent::ShowAgreementInGrid(agreement) => {
                self.view.central_tab = CentralTab::Grid;
                self.events.push(AppEvent::ShowAgreement(agreement));
            }
            AppEvent::FilterReview(status) => {
                self.view.central_tab = CentralTab::Grid;
                self.view.query.review = status;
            }
            AppEvent::OpenBackupOf(path) => self.guard(Continuation::OpenBackupOf(path), ctx),
            AppEvent::Views(event) => {
                let (command, message) = handle_views_event(
                    event,
                    &self.doc.project,
                    &mut self.view,
                    &mut self.views_menu,
                );
                if let Some(command) = command {
                    self.apply(command);
                }
                if let Some(message) = message {
                    self.toast = Some((message, Instant::now()));
                }
            }
            AppEvent::OpenLink(url) => {
                self.modal = Some(if is_openable_link(&url) {
                    Modal::ConfirmLink { url }
                } else {
                    Modal::Error {
                        title: "Link not opened".to_owned(),
                        message: format!(
                            "normgrid opens only http, https and mailto links, not:\n{url}"
                        ),
                    }
                });
            }
        }
    }

    /// Reads another project file for comparing, merging or coder agreement.
    fn open_other(&mut self, path: &Path) -> Option<OtherFile> {
        match OtherFile::open(path) {
            Ok(other) => Some(other),
            Err(error) => {
                self.modal = Some(Modal::Error {
                    title: "Could not read that project".to_owned(),
                    message: error.to_string(),
                });
                None
            }
        }
    }

    /// Replaces the project with the merge, as one undoable step.
    fn apply_merge(&mut self) {
        self.merge.stamp_edited(&self.author(), chrono::Utc::now());
        let revision = self.doc.revision();
        let name = self
            .merge
            .theirs
            .as_ref()
            .map(OtherFile::name)
            .unwrap_or_default();
        if self.merge.is_refused(&self.doc.project, revision) {
            self.status = Some(
                "The files to merge have problems: fix them, or tick “Repair the files before merging”."
                    .to_owned(),
            );
            return;
        }
        let Some(result) = self.merge.result(&self.doc.project, revision) else {
            return;
        };
        if result.unresolved() > 0 {
            self.status = Some("Decide every conflict before applying the merge.".to_owned());
            return;
        }
        let project = result.project.clone();
        let taken = result.taken_from_theirs;
        let conflicts = result.conflicts.len();
        self.apply(Command::ReplaceProject {
            label: format!("Merge {name}"),
            project: Box::new(project),
        });
        self.merge = MergeState::default();
        self.view.central_tab = CentralTab::Grid;
        self.status = Some(format!(
            "Merged {name}: {taken} change(s) taken from theirs, {conflicts} conflict(s) decided. Undo takes the merge back; Save keeps it."
        ));
    }

    fn run_action(&mut self, action: Action, ctx: &egui::Context) {
        match action {
            Action::New => self.guard(Continuation::New, ctx),
            Action::Open => self.guard(Continuation::OpenDialog, ctx),
            Action::Save => self.save_then(None, ctx),
            Action::ExportCsvLong => {
                self.start_file_dialog(FilePurpose::ExportProject(ExportFormat::CsvLong), ctx);
            }
            Action::ExportCsvWide => {
                self.start_file_dialog(FilePurpose::ExportProject(ExportFormat::CsvWide), ctx);
            }
            Action::ExportXlsx => {
                self.start_file_dialog(FilePurpose::ExportProject(ExportFormat::Xlsx), ctx);
            }
            Action::ExportHtml => {
                self.start_file_dialog(FilePurpose::ExportProject(ExportFormat::Html), ctx);
            }
            Action::ExportChart => self.start_file_dialog(FilePurpose::ExportChart, ctx),
            Action::CommandPalette => self.palette.open(),
            Action::ClearTextFilter => self.view.query.text.clear(),
            Action::SaveAs => self.start_save_as(None, ctx),
            Action::Close => self.guard(Continuation::Close, ctx),
            Action::Quit => self.guard(Continuation::Quit, ctx),
            Action::Undo
                if self.review_mode && self.doc.history.undo_depth() <= self.review_undo_floor =>
            {
                self.status = Some(
                    "Review mode: edits made before reviewing cannot be undone here; leave Review mode first."
                        .to_owned(),
                );
            }
            Action::Undo => {
                self.doc.history.break_coalescing();
                match self.doc.history.undo(&mut self.doc.project) {
                    Ok(Some(label)) => self.status = Some(format!("Undid: {label}")),
                    Ok(None) => {}
                    Err(error) => self.edited(Err(error)),
                }
                self.last_edit = Some(Instant::now());
            }
            Action::Redo => {
                match self.doc.history.redo(&mut self.doc.project) {
                    Ok(Some(label)) => self.status = Some(format!("Redid: {label}")),
                    Ok(None) => {}
                    Err(error) => self.edited(Err(error)),
                }
                self.last_edit = Some(Instant::now());
            }
            Action::Find if self.view.central_tab == CentralTab::Grid => {
                self.view.focus_filter = true;
            }
            Action::Find => {
                self.status =
                    Some("Find filters the grid: switch to the Grid tab first.".to_owned());
            }
            Action::ProjectInfo => self.project_panel.open = true,
            Action::Preferences => {
                self.modal = Some(Modal::Preferences {
                    author: self.prefs.author.clone(),
                });
            }
            Action::AddAgreement => self.add_agreement(self.view.selection.agreement.clone()),
            Action::SaveViewAs => self.events.push(AppEvent::Views(ViewsEvent::AskNameForNew)),
            Action::ToggleCellPanel => self.prefs.show_cell_panel = !self.prefs.show_cell_panel,
            Action::ToggleInitiativesPanel => {
                self.prefs.show_initiatives_panel = !self.prefs.show_initiatives_panel;
            }
            Action::ToggleNormsPanel => self.prefs.show_norms_panel = !self.prefs.show_norms_panel,
            Action::ToggleHighlightIncomplete => {
                self.view.highlight_incomplete = !self.view.highlight_incomplete;
            }
            Action::ToggleReviewMode => {
                self.review_mode = !self.review_mode;
                if self.review_mode {
                    self.review_undo_floor = self.doc.history.undo_depth();
                    self.doc.history.forget_redo();
                }
                self.status = Some(if self.review_mode {
                    format!(
                        "Review mode: content locked. {} marks the selected cell Reviewed, {} Disputed.",
                        key_name(ctx, Action::MarkReviewed),
                        key_name(ctx, Action::MarkDisputed),
                    )
                } else {
                    "Review mode off: editing unlocked.".to_owned()
                });
            }
            Action::ReviewSummary => self.view.central_tab = CentralTab::Review,
            Action::Compare => {
                self.view.central_tab = CentralTab::Compare;
                if self.compare.other.is_none() {
                    self.start_file_dialog(FilePurpose::CompareWith, ctx);
                }
            }
            Action::Merge => {
                self.view.central_tab = CentralTab::Merge;
                if self.merge.theirs.is_none() {
                    self.start_file_dialog(FilePurpose::MergeTheirs, ctx);
                }
            }
            Action::CoderAgreement => {
                self.view.central_tab = CentralTab::Coders;
                if self.coders.others.is_empty() {
                    self.start_file_dialog(FilePurpose::AddCoder, ctx);
                }
            }
            Action::SetYes
            | Action::SetIndirect
            | Action::SetNo
            | Action::ClearAssessment
            | Action::MarkReviewed
            | Action::MarkDisputed
            | Action::EditNote
            | Action::MoveUp
            | Action::MoveDown
            | Action::MoveLeft
            | Action::MoveRight
            | Action::PageUp
            | Action::PageDown
            | Action::RowStart
            | Action::RowEnd => self.run_grid_action(action),
        }
    }

    /// A grid action from the palette or menu: the same code the grid's keys run.
    fn run_grid_action(&mut self, action: Action) {
        if self.view.central_tab != CentralTab::Grid {
            self.status = Some(format!("{}: switch to the Grid tab first.", action.label()));
            return;
        }
        let input = GridInput {
            project: &self.doc.project,
            rows: &self.rows.rows,
            columns: &self.rows.columns,
            takes_keys: true,
        };
        if !run_grid_action(&input, &mut self.view, action, false, &mut self.events) {
            self.status = Some(format!(
                "{}: select a cell in the grid first.",
                action.label()
            ));
        }
    }

    fn add_agreement(&mut self, after: Option<AgreementId>) {
        let index = after
            .and_then(|a| self.doc.project.agreement_index(&a))
            .map_or(self.doc.project.agreements.len(), |i| i + 1);
        let name = "New agreement";
        let id = AgreementId::readable(name, |id| agreement_id_in_use(&self.doc.project, id));
        let agreement = Agreement::new(id.clone(), name, name);
        self.apply(Command::InsertAgreement {
            index,
            agreement: Box::new(agreement),
            dependents: Box::default(),
        });
        // A filter could hide the new row; show everything so it can be seen and named.
        self.view.query.clear_filters();
        self.view.select_agreement(id);
        self.view.scroll_to_selection = true;
        self.view.focus_agreement_name = true;
        self.prefs.show_cell_panel = true;
        self.status = Some("Added an agreement: name it under Agreement details.".to_owned());
    }

    fn add_element(&mut self, after: &ElementId) {
        let Some((fi, ei)) = self.doc.project.element_position(after) else {
            return;
        };
        let framework = self.doc.project.frameworks[fi].id.clone();
        let name = "New element";
        let project = &self.doc.project;
        let id = ElementId::readable(name, |id| project.element(&ElementId::new(id)).is_some());
        self.apply(Command::InsertElement {
            framework,
            index: ei + 1,
            element: Element {
                id: id.clone(),
                label: String::new(),
                name: name.to_owned(),
                definition: String::new(),
            },
            dependents: Box::default(),
        });
        self.view.select_element(id);
        self.view.scroll_to_selection = true;
        self.prefs.show_cell_panel = true;
    }

    fn request_remove_agreement(&mut self, id: AgreementId) {
        let project = &self.doc.project;
        let Some(agreement) = project.agreement(&id) else {
            return;
        };
        let cells = project.cells.row(&id).map_or(0, |row| row.len());
        let notes = project
            .notes
            .iter()
            .filter(|n| n.target.concerns_agreement(&id))
            .count();
        let links: usize = project
            .initiatives
            .iter()
            .map(|i| i.supports.iter().filter(|l| l.agreement == id).count())
            .sum();
        if cells + notes + links == 0 {
            self.apply(Command::RemoveAgreement { id });
            return;
        }
        self.modal = Some(Modal::ConfirmRemove {
            summary: format!(
                "Remove {}? It has {cells} filled cell(s), {notes} note(s) and {links} initiative link(s); they go with it.",
                agreement.short_name
            ),
            what: RemoveRequest::Agreement(id),
        });
    }

    fn request_remove_element(&mut self, id: ElementId) {
        let project = &self.doc.project;
        let Some((_, element)) = project.element(&id) else {
            return;
        };
        let cells = project.cells.iter().filter(|(_, e, _)| *e == &id).count();
        let notes = project
            .notes
            .iter()
            .filter(|n| n.target.concerns_element(&id))
            .count();
        let links = project
            .initiatives
            .iter()
            .filter(|i| i.norms.contains(&id))
            .count();
        if cells + notes + links == 0 {
            self.apply(Command::RemoveElement { id });
            return;
        }
        self.modal = Some(Modal::ConfirmRemove {
            summary: format!(
                "Remove the element “{}”? It has {cells} filled cell(s), {notes} note(s) and {links} initiative link(s); they go with it.",
                element.display_name()
            ),
            what: RemoveRequest::Element(id),
        });
    }

    /// Runs `then`, first asking about unsaved changes if there are any.
    fn guard(&mut self, then: Continuation, ctx: &egui::Context) {
        if self.doc.has_unsaved_changes() {
            self.modal = Some(Modal::UnsavedChanges { then });
        } else {
            self.continue_with(then, ctx);
        }
    }

    fn continue_with(&mut self, then: Continuation, ctx: &egui::Context) {
        match then {
            Continuation::New | Continuation::Close => {
                self.replace_document(Document::new_project(chrono::Local::now().date_naive()));
            }
            Continuation::OpenDialog => self.start_file_dialog(FilePurpose::Open, ctx),
            Continuation::OpenPath(path) => match Document::open(&path) {
                Ok(doc) => {
                    self.prefs.remember_file(&path);
                    self.replace_document(doc);
                    self.status = Some(format!("Opened {}", path.display()));
                    self.report_problems();
                }
                Err(error) => self.modal = Some(load_failed_modal(&path, &error)),
            },
            Continuation::OpenBackupOf(path) => self.open_backup_of(&path),
            Continuation::Quit => {
                self.allow_close = true;
                self.clear_recovery();
                ctx.send_viewport_cmd(egui::ViewportCommand::Close);
            }
        }
    }

    /// Opens the `.bak` beside a damaged file as unsaved work; the damaged file stays as it is.
    fn open_backup_of(&mut self, path: &Path) {
        let backup = crate::io::atomic::backup_path(path);
        match Document::open(&backup) {
            Ok(mut doc) => {
                // Saving goes through Save As, so nothing is written over either file unasked.
                doc.path = None;
                doc.history.mark_unsaved();
                self.replace_document(doc);
                self.status = Some(format!(
                    "Opened the backup {}. {} is untouched; File → Save As… keeps this.",
                    backup.display(),
                    path.display()
                ));
                self.report_problems();
            }
            Err(error) => {
                self.modal = Some(Modal::Error {
                    title: "The backup could not be opened either".to_owned(),
                    message: error.to_string(),
                });
            }
        }
    }

    /// Removes the open document's recovery copy (never another window's).
    fn clear_recovery(&mut self) {
        if let Some(recovery) = &mut self.recovery {
            recovery.clear();
        }
    }

    /// Clears the old document's recovery copy and starts one for the document now open.
    fn restart_recovery(&mut self) {
        self.clear_recovery();
        self.recovery = self
            .recovery_dir
            .as_ref()
            .map(|dir| RecoveryStore::for_document(dir, self.doc.path.as_deref()));
        self.recovery_written_for = None;
    }

    fn replace_document(&mut self, doc: Document) {
        self.doc = doc;
        self.load_failure = None;
        self.review_undo_floor = 0;
        // A merge in progress was against the old project.
        self.merge = MergeState::default();
        self.view.selection = Default::default();
        self.view.editing_initiative = None;
        self.view.hidden_frameworks.clear();
        self.last_edit = None;
        self.restart_recovery();
    }

    fn report_problems(&mut self) {
        if self.doc.problems.is_empty() || self.modal.is_some() {
            return;
        }
        let list: Vec<String> = self
            .doc
            .problems
            .iter()
            .take(20)
            .map(ToString::to_string)
            .collect();
        self.modal = Some(Modal::Error {
            title: "The file opened, with problems".to_owned(),
            message: format!(
                "{} problem(s) found; `normgrid check` lists them all:\n{}",
                self.doc.problems.len(),
                list.join("\n")
            ),
        });
    }

    /// Save: to the document's file if it has one (checking nobody changed it), else Save As.
    fn save_then(&mut self, then: Option<Continuation>, ctx: &egui::Context) {
        match self.doc.path.clone() {
            Some(path) if self.doc.changed_on_disk() => {
                let _ = path;
                self.modal = Some(Modal::ChangedOnDisk { then });
            }
            Some(path) => self.write_to(&path, then, ctx),
            None => self.start_save_as(then, ctx),
        }
    }

    fn start_save_as(&mut self, then: Option<Continuation>, ctx: &egui::Context) {
        self.after_save_as = then;
        self.start_file_dialog(FilePurpose::SaveAs, ctx);
    }

    fn write_to(&mut self, path: &Path, then: Option<Continuation>, ctx: &egui::Context) {
        if is_read_only(path) {
            self.modal = Some(Modal::SaveFailed {
                path: path.to_path_buf(),
                message: format!(
                    "{} is read-only, so normgrid leaves it as it is. Save your work under another name, or make the file writable first.",
                    path.display()
                ),
                then,
            });
            return;
        }
        match self.doc.save_to(path) {
            Ok(()) => {
                self.prefs.remember_file(path);
                self.status = Some(format!("Saved {}", path.display()));
                // The copy now belongs to the saved file (Save As may have renamed it).
                self.restart_recovery();
                if let Some(then) = then {
                    self.continue_with(then, ctx);
                }
            }
            Err(error) => {
                self.modal = Some(Modal::SaveFailed {
                    path: path.to_path_buf(),
                    message: save_failure_text(&error),
                    then,
                });
            }
        }
    }

    fn start_file_dialog(&mut self, purpose: FilePurpose, ctx: &egui::Context) {
        if self.file_dialog.is_some() {
            return; // one dialog at a time
        }
        let directory = self
            .doc
            .path
            .as_ref()
            .and_then(|p| p.parent().map(Path::to_path_buf));
        let name = if purpose == FilePurpose::ExportChart {
            let kind = super::charts_view::kind_label(self.chart_controls.kind);
            format!("{}.png", crate::model::slug_from_name(kind, 40))
        } else if purpose == FilePurpose::ExportChanges {
            "changes.csv".to_owned()
        } else if let FilePurpose::ExportProject(format) = purpose {
            let stem = self
                .doc
                .path
                .as_ref()
                .and_then(|p| p.file_stem())
                .map_or_else(
                    || crate::model::slug_from_name(&self.doc.project.title, 40),
                    |n| n.to_string_lossy().into_owned(),
                );
            let suffix = match format {
                ExportFormat::CsvLong => "-long",
                ExportFormat::CsvWide => "-wide",
                ExportFormat::Xlsx | ExportFormat::Html => "",
            };
            format!("{stem}{suffix}.{}", format.extension())
        } else {
            self.doc
                .path
                .as_ref()
                .and_then(|p| p.file_name())
                .map_or_else(
                    || {
                        format!(
                            "{}.ron",
                            crate::model::slug_from_name(&self.doc.project.title, 40)
                        )
                    },
                    |n| n.to_string_lossy().into_owned(),
                )
        };
        self.file_dialog = Some(FileDialogTask::spawn(ctx, purpose, directory, name));
    }

    fn poll_file_dialog(&mut self) {
        let Some(task) = &self.file_dialog else {
            return;
        };
        let Some(result) = task.poll() else {
            return;
        };
        let purpose = task.purpose;
        let suggested = task.suggested.clone();
        self.file_dialog = None;
        match result {
            FileDialogResult::Picked(path) => self.events.push(picked_event(purpose, path)),
            FileDialogResult::Cancelled => self.after_save_as = None,
            FileDialogResult::Unavailable => {
                // Saving suggests what the dialog would (an export gets its own name, never the
                // project's); picking another file starts in the project's folder.
                let path = self.doc.path.as_ref();
                let text = if purpose.saves() {
                    std::path::absolute(&suggested)
                        .unwrap_or(suggested)
                        .display()
                        .to_string()
                } else {
                    path.and_then(|p| std::path::absolute(p).ok())
                        .and_then(|p| p.parent().map(|d| format!("{}/", d.display())))
                        .unwrap_or_default()
                };
                self.modal = Some(Modal::TypePath {
                    purpose,
                    text,
                    take_focus: true,
                });
            }
        }
    }

    fn answer_modal(&mut self, answer: ModalAnswer, ctx: &egui::Context) {
        let Some(modal) = self.modal.take() else {
            return;
        };
        match (modal, answer) {
            (Modal::UnsavedChanges { then }, ModalAnswer::Save) => self.save_then(Some(then), ctx),
            (Modal::UnsavedChanges { then }, ModalAnswer::Discard) => {
                self.clear_recovery();
                self.doc.history.mark_saved();
                self.continue_with(then, ctx);
            }
            (Modal::ConfirmLink { url }, ModalAnswer::OpenLink) => {
                self.approved_link = Some(url.clone());
                ctx.open_url(egui::OpenUrl::new_tab(url));
            }
            (Modal::ConfirmRemove { what, .. }, ModalAnswer::Remove) => match what {
                RemoveRequest::Agreement(id) => self.apply(Command::RemoveAgreement { id }),
                RemoveRequest::Element(id) => self.apply(Command::RemoveElement { id }),
                RemoveRequest::Initiative(id) => {
                    self.view.editing_initiative = None;
                    self.apply(Command::RemoveInitiative { id });
                }
            },
            (Modal::ChangedOnDisk { then }, ModalAnswer::SaveCopy)
            | (Modal::SaveFailed { then, .. }, ModalAnswer::SaveAs) => {
                self.start_save_as(then, ctx);
            }
            (Modal::ChangedOnDisk { then }, ModalAnswer::Overwrite) => {
                if let Some(path) = self.doc.path.clone() {
                    self.write_to(&path, then, ctx);
                }
            }
            (Modal::Recovery { recovered }, ModalAnswer::Restore) => {
                let mut doc = Document::unsaved(recovered.project);
                doc.path = recovered.source;
                doc.history.mark_unsaved();
                // The store already holds the restored copy: it stays until the work is saved.
                self.doc = doc;
                self.load_failure = None;
                self.view.selection = Default::default();
                self.status = Some("Restored unsaved work. Save it to keep it.".to_owned());
            }
            (Modal::Recovery { .. }, ModalAnswer::Discard) => self.restart_recovery(),
            (Modal::LoadFailed { path, .. }, ModalAnswer::OpenBackup) => {
                self.events.push(AppEvent::OpenBackupOf(path));
            }
            (Modal::WhoIsEditing { pending, .. }, ModalAnswer::SetName(name)) => {
                self.prefs.author = name;
                self.events.push(*pending);
            }
            (Modal::Preferences { .. }, ModalAnswer::SavePreferences(author)) => {
                self.prefs.author = author;
            }
            (Modal::TypePath { purpose, .. }, ModalAnswer::Path(path)) => {
                self.events.push(picked_event(purpose, path));
            }
            (Modal::TypePath { .. }, ModalAnswer::Cancel) => self.after_save_as = None,
            // Cancel, OK, and anything else simply closes the modal.
            _ => {}
        }
    }

    fn handle_close_request(&mut self, ctx: &egui::Context) {
        if !ctx.input(|i| i.viewport().close_requested()) || self.allow_close {
            return;
        }
        if self.doc.has_unsaved_changes() {
            ctx.send_viewport_cmd(egui::ViewportCommand::CancelClose);
            if self.modal.is_none() {
                self.modal = Some(Modal::UnsavedChanges {
                    then: Continuation::Quit,
                });
            }
        } else if !matches!(self.modal, Some(Modal::Recovery { .. })) {
            // A recovery copy nobody has answered about yet stays for the next start.
            self.clear_recovery();
        }
    }

    /// Links leave the app only through the confirmation modal, and only http(s) and mailto.
    fn intercept_links(&mut self, ctx: &egui::Context) {
        let approved = self.approved_link.take();
        let mut blocked = Vec::new();
        ctx.output_mut(|output| {
            output.commands.retain(|command| match command {
                egui::OutputCommand::OpenUrl(open) => {
                    let allowed = approved.as_deref() == Some(open.url.as_str())
                        && is_openable_link(&open.url);
                    if !allowed {
                        blocked.push(open.url.clone());
                    }
                    allowed
                }
                _ => true,
            });
        });
        for url in blocked {
            self.events.push(AppEvent::OpenLink(url));
        }
    }

    fn update_title(&mut self, ctx: &egui::Context) {
        let marker = if self.doc.has_unsaved_changes() {
            "● "
        } else {
            ""
        };
        let mode = if self.review_mode { " (reviewing)" } else { "" };
        let title = match &self.load_failure {
            Some(failure) => format!("Could not open {} — normgrid", file_name(&failure.path)),
            None => format!("{marker}{}{mode} — normgrid", self.doc.display_name()),
        };
        if title != self.window_title {
            ctx.send_viewport_cmd(egui::ViewportCommand::Title(title.clone()));
            self.window_title = title;
        }
    }

    /// The window title as last set.
    pub fn window_title(&self) -> &str {
        &self.window_title
    }

    fn write_recovery_when_idle(&mut self, ctx: &egui::Context) {
        let (Some(recovery), Some(last_edit)) = (&mut self.recovery, self.last_edit) else {
            return;
        };
        if !self.doc.has_unsaved_changes() || self.recovery_written_for == Some(self.doc.revision())
        {
            return;
        }
        let idle = last_edit.elapsed();
        if idle < self.recovery_idle {
            ctx.request_repaint_after(self.recovery_idle - idle);
            return;
        }
        match recovery.write(&self.doc.project, self.doc.path.as_deref()) {
            Ok(()) => self.recovery_written_for = Some(self.doc.revision()),
            Err(error) => {
                self.status = Some(format!("Could not write a recovery copy: {error}"));
                self.recovery_written_for = Some(self.doc.revision());
            }
        }
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
}

/// True when `id` names an agreement, or something still refers to it (a cell, a note or an
/// initiative's link, as a hand-edited file may hold), so a new agreement must not take it.
/// The key that runs `action`, as the table defines it, for hints in the text.
fn key_name(ctx: &egui::Context, action: Action) -> String {
    action.shortcut_text(ctx).unwrap_or_default()
}

fn agreement_id_in_use(project: &Project, id: &str) -> bool {
    let id = AgreementId::new(id);
    project.agreement(&id).is_some()
        || project.cells.row(&id).is_some()
        || project
            .notes
            .iter()
            .any(|n| n.target.concerns_agreement(&id))
        || project
            .initiatives
            .iter()
            .any(|i| i.supports.iter().any(|l| l.agreement == id))
}

/// Edits that change the project's content (everything Review mode locks).
fn changes_content(event: &AppEvent) -> bool {
    matches!(
        event,
        AppEvent::EditCell { .. }
            | AppEvent::SetAssessment { .. }
            | AppEvent::SetAssessments { .. }
            | AppEvent::UpdateAgreement { .. }
            | AppEvent::UpdateElement { .. }
            | AppEvent::UpdateInitiative { .. }
            | AppEvent::SetProjectInfo { .. }
            | AppEvent::AddInitiative { .. }
            | AppEvent::RemoveInitiative(_)
            | AppEvent::AddAgreementAfter(_)
            | AppEvent::RemoveAgreement(_)
            | AppEvent::MoveAgreement { .. }
            | AppEvent::AddElementAfter(_)
            | AppEvent::RemoveElement(_)
            | AppEvent::MoveElement { .. }
            | AppEvent::ApplyMerge
            | AppEvent::Action(Action::AddAgreement)
    )
}

/// Edits that record the editor's name in the file.
fn signs_edit(event: &AppEvent) -> bool {
    matches!(
        event,
        AppEvent::EditCell { .. }
            | AppEvent::SetAssessment { .. }
            | AppEvent::SetAssessments { .. }
            | AppEvent::SetReview { .. }
            | AppEvent::SetReviews { .. }
            | AppEvent::AddNote { .. }
            | AppEvent::ApplyMerge
    )
}

/// A review comment written under the current editor's name.
fn is_own_review_comment(note: &Note, editor: &str) -> bool {
    let editor = editor.trim();
    note.kind == NoteKind::Review && !editor.is_empty() && note.author.trim() == editor
}

/// True for an existing file with no write permission: saving over it is refused.
fn is_read_only(path: &Path) -> bool {
    std::fs::metadata(path).is_ok_and(|m| m.permissions().readonly())
}

fn file_name(path: &Path) -> String {
    path.file_name().map_or_else(
        || path.display().to_string(),
        |n| n.to_string_lossy().into_owned(),
    )
}

/// A failed save in the user's terms. The io errors already name the file the user chose (never
/// a temporary file) and say what to do; this adds that nothing on disk changed.
fn save_failure_text(error: &crate::io::SaveError) -> String {
    format!(
        "{error}\nThe file on disk is as it was. Choose Save As… to save your work somewhere else."
    )
}

/// The dialog for a project file that could not be read, offering its backup if there is one.
fn load_failed_modal(path: &Path, error: &crate::io::LoadError) -> Modal {
    let backup = crate::io::atomic::backup_path(path);
    Modal::LoadFailed {
        path: path.to_path_buf(),
        message: error.to_string(),
        backup: backup.exists().then_some(backup),
    }
}

/// Shown instead of the grid when the file given at start could not be opened.
fn load_failure_ui(ui: &mut Ui, failure: &LoadFailure, events: &mut Vec<AppEvent>) {
    ui.heading(format!("{} could not be opened", file_name(&failure.path)));
    ui.label("normgrid did not open it and will not write over it. What it found:");
    ui.add(egui::Label::new(egui::RichText::new(&failure.message).monospace()).wrap());
    ui.add_space(8.0);
    ui.horizontal(|ui| {
        let backup = crate::io::atomic::backup_path(&failure.path);
        if backup.exists() && ui.button("Open the backup").clicked() {
            events.push(AppEvent::OpenBackupOf(failure.path.clone()));
        }
        if ui.button("Open another file…").clicked() {
            events.push(AppEvent::Action(Action::Open));
        }
        if ui.button("Start a new project").clicked() {
            events.push(AppEvent::Action(Action::New));
        }
    });
}

/// What a file dialog's answer asks the app to do.
fn picked_event(purpose: FilePurpose, path: PathBuf) -> AppEvent {
    match purpose {
        FilePurpose::Open => AppEvent::OpenPath(path),
        FilePurpose::SaveAs => AppEvent::SaveAsPath(path),
        FilePurpose::ExportChart => AppEvent::ExportChartPath(path),
        FilePurpose::ExportProject(format) => AppEvent::ExportProjectPath(format, path),
        FilePurpose::CompareWith => AppEvent::ComparePath(path),
        FilePurpose::ExportChanges => AppEvent::ExportChangesPath(path),
        FilePurpose::MergeTheirs => AppEvent::MergeTheirsPath(path),
        FilePurpose::MergeBase => AppEvent::MergeBasePath(path),
        FilePurpose::AddCoder => AppEvent::AddCoderPath(path),
    }
}

fn offset_index(index: usize, by: i32, len: usize) -> usize {
    let target = index as i64 + i64::from(by);
    target.clamp(0, len.saturating_sub(1) as i64) as usize
}

impl eframe::App for NormgridApp {
    fn ui(&mut self, ui: &mut Ui, _frame: &mut eframe::Frame) {
        self.draw(ui);
    }

    fn save(&mut self, storage: &mut dyn eframe::Storage) {
        eframe::set_value(storage, STORAGE_KEY, &self.prefs);
    }
}
