//! The file life cycle: open, save, save as, file dialogs, backups, recovery copies and exports.

use super::{NormgridApp, shown};
use crate::io::recovery::RecoveryStore;
use crate::model::text::counted;
use crate::ui::dialogs::{Continuation, FileDialogResult, FileDialogTask, Modal};
use crate::ui::document::{Document, OtherFile};
use crate::ui::events::{AppEvent, ExportFormat, FilePurpose};
use crate::ui::merge_view::MergeState;
use std::path::{Path, PathBuf};
use std::time::Instant;

impl NormgridApp {
    /// Reads another project file for comparing, merging or coder agreement.
    pub(super) fn open_other(&mut self, path: &Path) -> Option<OtherFile> {
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

    /// Opens the `.bak` beside a damaged file as unsaved work; the damaged file stays as it is.
    pub(super) fn open_backup_of(&mut self, path: &Path) {
        let backup = crate::io::atomic::backup_path(path);
        match Document::open(&backup) {
            Ok(mut doc) => {
                // Saving goes through Save As, so nothing is written over either file unasked.
                doc.detach_from_file();
                self.replace_document(doc);
                self.feedback.status = Some(format!(
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
    pub(super) fn clear_recovery(&mut self) {
        if let Some(recovery) = &mut self.recovery.store {
            recovery.clear();
        }
    }

    /// Clears the old document's recovery copy and starts one for the document now open.
    pub(super) fn restart_recovery(&mut self) {
        self.clear_recovery();
        self.recovery.store = self
            .recovery
            .dir
            .as_ref()
            .map(|dir| RecoveryStore::for_document(dir, self.doc.path()));
        self.recovery.written_for = None;
    }

    /// Shows `doc` instead of the open document, resetting what belonged to the old one.
    pub(super) fn replace_document(&mut self, doc: Document) {
        self.doc = doc;
        self.load_failure = None;
        self.review.undo_floor = 0;
        // A merge in progress was against the old project.
        self.merge = MergeState::default();
        // An attach or replacement under way was for the old project's agreements and sources.
        self.sources = crate::ui::sources_view::SourcesState::default();
        self.element_view.element = None;
        // The old project's filters, sort and selection mean nothing in this one.
        self.view.reset_for_new_document();
        self.recovery.last_edit = None;
        self.restart_recovery();
    }

    /// Lists the problems loading found, unless another dialog is already showing.
    pub(super) fn report_problems(&mut self) {
        if self.doc.problems().is_empty() || self.modal.is_some() {
            return;
        }
        let list: Vec<String> = self
            .doc
            .problems()
            .iter()
            .take(20)
            .map(ToString::to_string)
            .collect();
        self.modal = Some(Modal::Error {
            title: "The file opened, with problems".to_owned(),
            message: format!(
                "{} found; `normgrid check` lists them all:\n{}",
                counted(self.doc.problems().len(), "problem", "problems"),
                list.join("\n")
            ),
        });
    }

    /// Save: to the document's file if it has one (checking nobody changed it), else Save As.
    pub(super) fn save_then(&mut self, then: Option<Continuation>, ctx: &egui::Context) {
        match self.doc.path().map(Path::to_path_buf) {
            Some(_) if self.doc.changed_on_disk() => {
                self.modal = Some(Modal::ChangedOnDisk { then });
            }
            Some(path) => self.write_to(&path, then, ctx),
            None => self.start_save_as(then, ctx),
        }
    }

    /// Asks where to save, then does `then`.
    pub(super) fn start_save_as(&mut self, then: Option<Continuation>, ctx: &egui::Context) {
        self.after_save_as = then;
        self.start_file_dialog(FilePurpose::SaveAs, ctx);
    }

    /// Writes the project to `path` (never over a read-only file), then does `then`.
    pub(super) fn write_to(
        &mut self,
        path: &Path,
        then: Option<Continuation>,
        ctx: &egui::Context,
    ) {
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
        let moved = self.move_relocated_anchors();
        match self.doc.save_to(path) {
            Ok(()) => {
                self.prefs.remember_file(path);
                let kept = self
                    .keep_originals()
                    .map(|failure| format!("; an original {failure}"))
                    .unwrap_or_default();
                self.feedback.status = Some(if moved > 0 {
                    format!(
                        "Saved {}; moved {} to where the quotes are now (Edit → Undo moves them back).",
                        path.display(),
                        counted(
                            moved,
                            "relocated quote's anchor",
                            "relocated quotes' anchors"
                        )
                    )
                } else {
                    format!("Saved {}{kept}", path.display())
                });
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

    /// Opens the system file dialog for `purpose`, suggesting a folder and a name.
    pub(super) fn start_file_dialog(&mut self, purpose: FilePurpose, ctx: &egui::Context) {
        if self.file_dialog.is_some() {
            return; // one dialog at a time
        }
        let directory = self
            .doc
            .path()
            .and_then(|p| p.parent().map(Path::to_path_buf));
        let name = if purpose == FilePurpose::ExportChart {
            let kind = crate::ui::charts_view::kind_label(self.chart_controls.kind);
            format!("{}.png", crate::model::slug_from_name(kind, 40))
        } else if purpose == FilePurpose::ExportChanges {
            "changes.csv".to_owned()
        } else if let FilePurpose::ExportElement(format) = purpose {
            let element = self.element_shown().map_or_else(
                || "element".to_owned(),
                |id| crate::model::slug_from_name(id.as_str(), 40),
            );
            format!("{element}-across-agreements.{}", format.extension())
        } else if let FilePurpose::ExportProject(format) = purpose {
            let stem = self.doc.path().and_then(|p| p.file_stem()).map_or_else(
                || crate::model::slug_from_name(&self.doc.project().title, 40),
                |n| n.to_string_lossy().into_owned(),
            );
            let suffix = match format {
                ExportFormat::CsvLong => "-long",
                ExportFormat::CsvWide => "-wide",
                ExportFormat::CsvEvidence => "-quotes",
                ExportFormat::ReviewCopy => "-review",
                ExportFormat::Xlsx | ExportFormat::Html | ExportFormat::Qdpx => "",
            };
            format!("{stem}{suffix}.{}", format.extension())
        } else {
            self.doc.path().and_then(|p| p.file_name()).map_or_else(
                || {
                    format!(
                        "{}.ron",
                        crate::model::slug_from_name(&self.doc.project().title, 40)
                    )
                },
                |n| n.to_string_lossy().into_owned(),
            )
        };
        self.file_dialog = Some(FileDialogTask::spawn(ctx, purpose, directory, name));
    }

    /// Takes the file dialog's answer when it comes; offers to type a path if there is no dialog.
    pub(super) fn poll_file_dialog(&mut self) {
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
                let path = self.doc.path();
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

    /// Writes a recovery copy once the user has stopped editing for a while.
    pub(super) fn write_recovery_when_idle(&mut self, ctx: &egui::Context) {
        let (Some(recovery), Some(last_edit)) = (&mut self.recovery.store, self.recovery.last_edit)
        else {
            return;
        };
        if !self.doc.has_unsaved_changes() || self.recovery.written_for == Some(self.doc.revision())
        {
            return;
        }
        let idle = last_edit.elapsed();
        if idle < self.recovery.idle {
            ctx.request_repaint_after(self.recovery.idle - idle);
            return;
        }
        match recovery.write(self.doc.project(), self.doc.path()) {
            Ok(()) => self.recovery.written_for = Some(self.doc.revision()),
            Err(error) => {
                self.feedback.status = Some(format!("Could not write a recovery copy: {error}"));
                self.recovery.written_for = Some(self.doc.revision());
            }
        }
    }

    /// An export never writes over the open project's own file, however the path is spelt.
    pub(super) fn refuse_overwriting_project(&self, output: &Path) -> Result<(), String> {
        let Some(project) = self.doc.path() else {
            return Ok(());
        };
        crate::io::refuse_overwriting_inputs(
            &[crate::io::NamedPath::new("the export", output)],
            &[crate::io::NamedPath::new("the open project", project)],
        )
        .map_err(|clash| clash.to_string())
    }

    /// Writes the chart the Charts tab shows to `path` (.png or .svg).
    pub(super) fn export_chart(&mut self, path: &Path) {
        let spec = self.chart_controls.spec(
            &shown(&self.visible).rows,
            &self.all_frameworks(),
            self.view.selection.agreement.as_ref(),
        );
        let result = self
            .refuse_overwriting_project(path)
            .and_then(|()| {
                crate::charts::build_chart(self.doc.project(), &spec).map_err(|e| e.to_string())
            })
            .and_then(|chart| crate::charts::chart_file_bytes(&chart, path, 1.0))
            .and_then(|bytes| {
                crate::io::write_atomically(path, &bytes, false).map_err(|e| e.to_string())
            });
        match result {
            Ok(()) => {
                self.feedback.toast =
                    Some((format!("Chart saved to {}", path.display()), Instant::now()));
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
    pub(super) fn export_project(&mut self, format: ExportFormat, path: &Path) {
        use crate::io::csv_export::{CsvLayout, project_to_csv};
        let project = self.doc.project();
        let hidden_some = !self.view.hidden_frameworks.is_empty();
        let frameworks = if hidden_some {
            self.shown_frameworks()
        } else {
            Vec::new()
        };
        let bytes = match format {
            ExportFormat::CsvLong => {
                Ok(project_to_csv(project, CsvLayout::Long, &frameworks).into_bytes())
            }
            ExportFormat::CsvWide => {
                Ok(project_to_csv(project, CsvLayout::Wide, &frameworks).into_bytes())
            }
            ExportFormat::CsvEvidence => {
                Ok(project_to_csv(project, CsvLayout::Evidence, &frameworks).into_bytes())
            }
            ExportFormat::Xlsx => crate::export::xlsx_export::project_to_xlsx(project)
                .map_err(|e| format!("could not build the workbook: {e}")),
            ExportFormat::Html => {
                Ok(crate::export::html_report::project_to_html(project).into_bytes())
            }
            ExportFormat::ReviewCopy => {
                let crops = crate::export::review_copy::pages::page_crops(project, self.doc.path());
                crate::export::review_copy::review_copy_html(project, chrono::Utc::now(), &crops)
                    .map(String::into_bytes)
                    .map_err(|e| e.to_string())
            }
            ExportFormat::Qdpx => crate::export::qdpx::project_to_qdpx(project)
                .map(|export| export.bytes)
                .map_err(|e| e.to_string()),
        };
        self.write_export(format.name(), path, bytes);
    }

    /// Writes an export's bytes atomically (never over the open project) and says how it
    /// went: a toast naming the file, or an error window.
    pub(super) fn write_export(&mut self, what: &str, path: &Path, bytes: Result<Vec<u8>, String>) {
        let result = self
            .refuse_overwriting_project(path)
            .and(bytes)
            .and_then(|bytes| {
                crate::io::write_atomically(path, &bytes, false).map_err(|e| e.to_string())
            });
        match result {
            Ok(()) => {
                self.feedback.toast = Some((
                    format!("{what} saved to {}", path.display()),
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
}

/// True for an existing file with no write permission: saving over it is refused.
pub(super) fn is_read_only(path: &Path) -> bool {
    std::fs::metadata(path).is_ok_and(|m| m.permissions().readonly())
}

/// The file name of `path`, for titles and messages.
pub(super) fn file_name(path: &Path) -> String {
    path.file_name().map_or_else(
        || path.display().to_string(),
        |n| n.to_string_lossy().into_owned(),
    )
}

/// A failed save in the user's terms. The io errors already name the file the user chose (never
/// a temporary file) and say what to do; this adds that nothing on disk changed.
pub(super) fn save_failure_text(error: &crate::io::SaveError) -> String {
    format!(
        "{error}\nThe file on disk is as it was. Choose Save As… to save your work somewhere else."
    )
}

/// The dialog for a project file that could not be read, offering its backup if there is one.
pub(super) fn load_failed_modal(path: &Path, error: &crate::io::LoadError) -> Modal {
    let backup = crate::io::atomic::backup_path(path);
    Modal::LoadFailed {
        path: path.to_path_buf(),
        message: error.to_string(),
        backup: backup.exists().then_some(backup),
    }
}

/// What a file dialog's answer asks the app to do.
pub(super) fn picked_event(purpose: FilePurpose, path: PathBuf) -> AppEvent {
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
        FilePurpose::AttachSource => AppEvent::AttachSourcePath(path),
        FilePurpose::ReplaceSource => AppEvent::ReplaceSourcePath(path),
        FilePurpose::ExportElement(format) => AppEvent::ExportElementPath(format, path),
        FilePurpose::ImportReview => AppEvent::ImportReviewPath(path),
    }
}
