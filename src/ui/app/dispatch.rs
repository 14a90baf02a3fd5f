//! Turning events and actions into document edits, view changes, dialogs and file work.

use super::{NormgridApp, key_name, shown};
use crate::commands::Command;
use crate::model::text::counted;
use crate::model::{Initiative, InitiativeId, Note, NoteId, NoteKind, ProvisionLink};
use crate::ui::actions::Action;
use crate::ui::dialogs::{Continuation, Modal, RemoveRequest, is_openable_link};
use crate::ui::events::{AppEvent, ExportFormat, FilePurpose, ViewsEvent};
use crate::ui::grid::{GridInput, block_as_tsv, run_grid_action};
use crate::ui::view::{CentralTab, offset_index};
use crate::ui::views_menu::handle_views_event;
use std::time::Instant;

impl NormgridApp {
    /// Handles one event after drawing: review and load-failure locks first, then the name prompt.
    pub(super) fn handle(&mut self, event: AppEvent, ctx: &egui::Context) {
        if self.locked_by_load_failure(&event) || self.locked_by_review(&event) {
            return;
        }
        let Some(event) = self.waits_for_name(event) else {
            return;
        };
        match event {
            AppEvent::Action(action) => self.run_action(action, ctx),
            AppEvent::GridKey { action, extend } => self.run_action_extending(action, extend, ctx),
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
                let mut cell = self.doc.project().cell(&agreement, &element);
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
                    kind: if self.review.on {
                        NoteKind::Review
                    } else {
                        NoteKind::Discussion
                    },
                };
                self.apply(Command::InsertNote {
                    index: self.doc.project().notes.len(),
                    note,
                });
            }
            AppEvent::RemoveNote(id) => self.apply(Command::RemoveNote { id }),
            AppEvent::AddInitiative { linked_to } => {
                let title = "New initiative";
                let project = self.doc.project();
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
                    index: self.doc.project().initiatives.len(),
                    initiative: Box::new(initiative),
                });
                self.view.editing_initiative = Some(id);
                self.view.reveal_edited_initiative = true;
                self.prefs.show_initiatives_panel = true;
            }
            AppEvent::RemoveInitiative(id) => {
                let title = self
                    .doc
                    .project()
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
                if let Some(index) = self.doc.project().agreement_index(&id) {
                    let to = offset_index(index, by, self.doc.project().agreements.len());
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
                if let Some((fi, ei)) = self.doc.project().element_position(&id) {
                    let to = offset_index(ei, by, self.doc.project().frameworks[fi].elements.len());
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
                if !shown(&self.visible).rows.contains(&id) {
                    self.view.query.clear_filters();
                }
                match self.view.selection.element.clone() {
                    Some(element) => self.view.select_cell(id, element),
                    None => self.view.select_agreement(id),
                }
                self.view.scroll_to_selection = true;
            }
            AppEvent::ShowElement(id) => {
                if let Some((framework, _)) = self.doc.project().element(&id) {
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
                    .diff(self.doc.project(), revision)
                    .map(crate::collab::ProjectDiff::to_csv);
                if let Some(csv) = csv {
                    let written = self.refuse_overwriting_project(&path).and_then(|()| {
                        crate::io::write_atomically(&path, csv.as_bytes(), false)
                            .map_err(|e| e.to_string())
                    });
                    match written {
                        Ok(()) => {
                            self.feedback.toast = Some((
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
                let mut cell = self.doc.project().cell(&agreement, &element);
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
            AppEvent::ImportReviewPath(path) => self.import_review(&path),
            AppEvent::ShowCell { agreement, element } => {
                self.view.central_tab = CentralTab::Grid;
                if !shown(&self.visible).rows.contains(&agreement) {
                    self.view.query.clear_filters();
                }
                if let Some((framework, _)) = self.doc.project().element(&element) {
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
                    self.doc.project(),
                    &mut self.view,
                    &mut self.views_menu,
                );
                if let Some(command) = command {
                    self.apply(command);
                }
                if let Some(message) = message {
                    self.feedback.toast = Some((message, Instant::now()));
                }
            }
            AppEvent::AttachSourcePath(path) => self.attach_path(path, ctx),
            AppEvent::AttachSource(source, original) => self.attach_source(*source, original),
            AppEvent::SourceFileFailed { title, message } => {
                self.modal = Some(Modal::Error { title, message });
            }
            AppEvent::ReplaceSource(id) => self.start_replace(id, ctx),
            AppEvent::ReplaceSourcePath(path) => self.replace_path(path, ctx),
            AppEvent::ApplyReplacement => self.apply_replacement(),
            AppEvent::TakeNewWording(drift) => self.take_new_wording(&drift),
            AppEvent::RemoveSource(id) => self.remove_source(id),
            AppEvent::RenameSource { id, title } => self.rename_source(&id, &title),
            AppEvent::ShowElementAcross(id) => self.show_element_across(Some(id)),
            AppEvent::ExportElement(format) => self.start_element_export(format, ctx),
            AppEvent::ExportElementPath(format, path) => self.export_element(format, &path),
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

    /// True (and says so) when Review mode forbids this event.
    pub(super) fn locked_by_review(&mut self, event: &AppEvent) -> bool {
        if !self.review.on {
            return false;
        }
        let locked = match event {
            // Reviewers may withdraw their own review comments, not anyone else's notes.
            AppEvent::RemoveNote(id) => self
                .doc
                .project()
                .note(id)
                .is_none_or(|note| !is_own_review_comment(note, &self.prefs.author)),
            other => changes_content(other),
        };
        if locked {
            self.feedback.status = Some(
                "Review mode: assessments, notes and quotes are locked. Set review statuses or add a review comment; Review → Review mode unlocks."
                    .to_owned(),
            );
        }
        locked
    }

    /// True (and says so) when no document is open because the start file could not be read.
    pub(super) fn locked_by_load_failure(&mut self, event: &AppEvent) -> bool {
        if self.load_failure.is_none() {
            return false;
        }
        let locked = changes_content(event)
            || signs_edit(event)
            || matches!(
                event,
                AppEvent::RemoveNote(_)
                    | AppEvent::SaveAsPath(_)
                    | AppEvent::ImportReviewPath(_)
                    | AppEvent::Action(Action::Save | Action::SaveAs | Action::Undo | Action::Redo)
            );
        if locked {
            self.feedback.status = Some(
                "No project is open: open the backup, another file, or start a new project."
                    .to_owned(),
            );
        }
        locked
    }

    /// At the first edit that records a name, asks who is editing instead of signing
    /// "Anonymous"; the edit waits in the prompt and goes through once a name is given.
    pub(super) fn waits_for_name(&mut self, event: AppEvent) -> Option<AppEvent> {
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

    /// Runs an action from the table, whichever menu, key or palette entry sent it.
    pub(super) fn run_action(&mut self, action: Action, ctx: &egui::Context) {
        self.run_action_extending(action, false, ctx);
    }

    /// Runs an action; for a grid move, `extend` (Shift) grows the block instead.
    fn run_action_extending(&mut self, action: Action, extend: bool, ctx: &egui::Context) {
        // The one gate: the menu, the palette, the toolbar and every shortcut reach an action
        // here, so a disabled one never runs, whichever way it was asked for.
        if !action.enabled(&self.action_state()) {
            // A locked edit asked for by its key says why nothing happened.
            if self.review.on && action.changes_content() {
                self.locked_by_review(&AppEvent::Action(action));
            }
            return;
        }
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
            Action::ExportCsvEvidence => {
                self.start_file_dialog(FilePurpose::ExportProject(ExportFormat::CsvEvidence), ctx);
            }
            Action::ExportXlsx => {
                self.start_file_dialog(FilePurpose::ExportProject(ExportFormat::Xlsx), ctx);
            }
            Action::ExportHtml => {
                self.start_file_dialog(FilePurpose::ExportProject(ExportFormat::Html), ctx);
            }
            Action::ExportReviewCopy => {
                self.start_file_dialog(FilePurpose::ExportProject(ExportFormat::ReviewCopy), ctx);
            }
            Action::ExportQdpx => {
                self.start_file_dialog(FilePurpose::ExportProject(ExportFormat::Qdpx), ctx);
            }
            Action::ExportChart => self.start_file_dialog(FilePurpose::ExportChart, ctx),
            Action::CommandPalette => self.palette.open(),
            Action::ClearTextFilter => self.view.query.text.clear(),
            Action::SaveAs => self.start_save_as(None, ctx),
            Action::Close => self.guard(Continuation::Close, ctx),
            Action::Quit => self.guard(Continuation::Quit, ctx),
            Action::Undo
                if self.review.on && self.doc.history().undo_depth() <= self.review.undo_floor =>
            {
                self.feedback.status = Some(
                    "Review mode: edits made before reviewing cannot be undone here; leave Review mode first."
                        .to_owned(),
                );
            }
            Action::Undo => {
                match self.doc.undo() {
                    Ok(Some(label)) => self.feedback.status = Some(format!("Undid: {label}")),
                    Ok(None) => {}
                    Err(error) => self.edited(Err(error)),
                }
                self.recovery.last_edit = Some(Instant::now());
            }
            Action::Redo => {
                match self.doc.redo() {
                    Ok(Some(label)) => self.feedback.status = Some(format!("Redid: {label}")),
                    Ok(None) => {}
                    Err(error) => self.edited(Err(error)),
                }
                self.recovery.last_edit = Some(Instant::now());
            }
            Action::Find if self.view.central_tab == CentralTab::Grid => {
                self.view.focus_filter = true;
            }
            Action::Find => {
                self.feedback.status =
                    Some("Find filters the grid: switch to the Grid tab first.".to_owned());
            }
            Action::ProjectInfo => self.project_panel.open = true,
            Action::AttachSource => self.start_attach(ctx),
            Action::ReplaceSource => self.start_replace_from_menu(),
            Action::ImportReview => self.start_file_dialog(FilePurpose::ImportReview, ctx),
            Action::ElementAcrossAgreements => self.show_element_across(None),
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
            Action::ToggleReader => self.prefs.show_reader = !self.prefs.show_reader,
            Action::UseAsEvidence => self.use_reader_selection_as_evidence(ctx),
            Action::ToggleHighlightIncomplete => {
                self.view.highlight_incomplete = !self.view.highlight_incomplete;
            }
            Action::ToggleReviewMode => {
                self.review.on = !self.review.on;
                if self.review.on {
                    self.review.undo_floor = self.doc.history().undo_depth();
                    self.doc.forget_redo();
                }
                self.feedback.status = Some(if self.review.on {
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
            Action::ShowGrid => self.view.central_tab = CentralTab::Grid,
            Action::ShowCharts => self.view.central_tab = CentralTab::Charts,
            Action::ClearFilters => self.view.query.clear_filters(),
            Action::CopyCells => self.copy_selected_cells(ctx),
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
            | Action::RowEnd => self.run_grid_action(action, extend),
        }
    }

    /// Copies the selected visible cell or block as TSV, as Ctrl+C in the grid does.
    fn copy_selected_cells(&mut self, ctx: &egui::Context) {
        let input = GridInput {
            project: self.doc.project(),
            rows: &shown(&self.visible).rows,
            columns: &shown(&self.visible).columns,
            takes_keys: true,
        };
        match self.view.selected_block(input.rows, input.columns) {
            Some(block) if self.view.central_tab == CentralTab::Grid => {
                ctx.copy_text(block_as_tsv(
                    input.project,
                    input.rows,
                    input.columns,
                    block,
                ));
                self.feedback.status = Some(format!(
                    "Copied {} as tab-separated words.",
                    counted(block.cell_count(), "cell", "cells")
                ));
            }
            _ => {
                self.feedback.status =
                    Some("Copy cells: select a cell in the grid first.".to_owned());
            }
        }
    }

    /// A grid action from its key, the palette or the menu: one path for all of them.
    pub(super) fn run_grid_action(&mut self, action: Action, extend: bool) {
        if self.view.central_tab != CentralTab::Grid {
            self.feedback.status =
                Some(format!("{}: switch to the Grid tab first.", action.label()));
            return;
        }
        let input = GridInput {
            project: self.doc.project(),
            rows: &shown(&self.visible).rows,
            columns: &shown(&self.visible).columns,
            takes_keys: true,
        };
        if !run_grid_action(&input, &mut self.view, action, extend, &mut self.events) {
            self.feedback.status = Some(format!(
                "{}: select a cell in the grid first.",
                action.label()
            ));
        }
    }
}

/// Edits that change the project's content (everything Review mode locks). Every event is
/// named here, with no catch-all: a new event does not compile until someone says whether
/// Review mode locks it.
pub(super) fn changes_content(event: &AppEvent) -> bool {
    match event {
        AppEvent::Action(action) | AppEvent::GridKey { action, .. } => action.changes_content(),
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
        | AppEvent::AttachSourcePath(_)
        | AppEvent::AttachSource(..)
        | AppEvent::ReplaceSource(_)
        | AppEvent::ReplaceSourcePath(_)
        | AppEvent::ApplyReplacement
        | AppEvent::TakeNewWording(_)
        | AppEvent::RemoveSource(_)
        | AppEvent::RenameSource { .. } => true,
        // Review statuses, review comments (a removed note is judged by its author where it
        // is handled), files, views, navigation and exports: open in Review mode.
        AppEvent::SetReview { .. }
        | AppEvent::SetReviews { .. }
        | AppEvent::AddNote { .. }
        | AppEvent::RemoveNote(_)
        | AppEvent::ImportReviewPath(_)
        | AppEvent::OpenPath(_)
        | AppEvent::SaveAsPath(_)
        | AppEvent::OpenBackupOf(_)
        | AppEvent::ChooseFile(..)
        | AppEvent::PasteRejected(..)
        | AppEvent::EditAgreementDetails(..)
        | AppEvent::EditElement(..)
        | AppEvent::ShowAgreement(..)
        | AppEvent::ShowElement(..)
        | AppEvent::ShowCell { .. }
        | AppEvent::ShowAgreementInGrid(..)
        | AppEvent::ShowElementAcross(..)
        | AppEvent::ToggleFramework(..)
        | AppEvent::FilterReview(..)
        | AppEvent::Views(..)
        | AppEvent::OpenLink(..)
        | AppEvent::ExportChartPath(..)
        | AppEvent::ExportProjectPath(..)
        | AppEvent::ExportChangesPath(..)
        | AppEvent::ExportElement(..)
        | AppEvent::ExportElementPath(..)
        | AppEvent::ComparePath(..)
        | AppEvent::MergeTheirsPath(..)
        | AppEvent::MergeBasePath(..)
        | AppEvent::AddCoderPath(..)
        | AppEvent::SourceFileFailed { .. } => false,
    }
}

/// Edits that record the editor's name in the file.
pub(super) fn signs_edit(event: &AppEvent) -> bool {
    matches!(
        event,
        AppEvent::EditCell { .. }
            | AppEvent::SetAssessment { .. }
            | AppEvent::SetAssessments { .. }
            | AppEvent::SetReview { .. }
            | AppEvent::SetReviews { .. }
            | AppEvent::AddNote { .. }
            | AppEvent::ApplyMerge
            // Asks for the name before the excerpt is made, so the excerpt carries it.
            | AppEvent::Action(Action::UseAsEvidence)
    )
}

/// A review comment written under the current editor's name.
pub(super) fn is_own_review_comment(note: &Note, editor: &str) -> bool {
    let editor = editor.trim();
    note.kind == NoteKind::Review && !editor.is_empty() && note.author.trim() == editor
}
