//! Questions the app asks before going on: unsaved changes, confirmations and the close request.

use super::NormgridApp;
use super::files::{load_failed_modal, picked_event};
use crate::commands::Command;
use crate::ui::dialogs::{Continuation, Modal, ModalAnswer, RemoveRequest};
use crate::ui::document::Document;
use crate::ui::events::{AppEvent, FilePurpose};
use std::path::Path;

impl NormgridApp {
    /// Runs `then`, first asking about unsaved changes if there are any.
    pub(super) fn guard(&mut self, then: Continuation, ctx: &egui::Context) {
        if self.doc.has_unsaved_changes() {
            self.modal = Some(Modal::UnsavedChanges { then });
        } else {
            self.continue_with(then, ctx);
        }
    }

    /// Does what was waiting on unsaved changes: new, open, close or quit.
    pub(super) fn continue_with(&mut self, then: Continuation, ctx: &egui::Context) {
        match then {
            Continuation::New => {
                let standard = crate::model::Project::new("", chrono::Local::now().date_naive());
                self.modal = Some(Modal::NewProject {
                    title: String::new(),
                    frameworks: standard
                        .frameworks
                        .into_iter()
                        .map(|f| (f.name, true))
                        .collect(),
                    take_focus: true,
                });
            }
            Continuation::Close => {
                self.replace_document(Document::new_project(chrono::Local::now().date_naive()));
            }
            Continuation::OpenDialog => self.start_file_dialog(FilePurpose::Open, ctx),
            Continuation::OpenPath(path) => match Document::open(&path) {
                Ok(doc) => {
                    self.prefs.remember_file(&path);
                    self.replace_document(doc);
                    self.feedback.status = Some(format!("Opened {}", path.display()));
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

    /// Starts a new, unsaved project titled `title` with the standard frameworks chosen in
    /// `frameworks` (name, included), in their usual order.
    fn create_project(&mut self, title: &str, frameworks: &[(String, bool)]) {
        let title =
            crate::model::text::one_line_field(title, crate::model::text::MAX_LINE_CHARS).text;
        let mut project = crate::model::Project::new(title, chrono::Local::now().date_naive());
        let included: Vec<&str> = frameworks
            .iter()
            .filter(|(_, included)| *included)
            .map(|(name, _)| name.as_str())
            .collect();
        project
            .frameworks
            .retain(|f| included.contains(&f.name.as_str()));
        let summary = format!(
            "New project “{}”, mapped against {}. Add its agreements with the toolbar's Add agreement.",
            project.title,
            included.join(" and ")
        );
        self.replace_document(Document::unsaved(project));
        self.feedback.status = Some(summary);
    }

    /// Acts on the answer to the open modal, and closes it.
    pub(super) fn answer_modal(&mut self, answer: ModalAnswer, ctx: &egui::Context) {
        let Some(modal) = self.modal.take() else {
            return;
        };
        match (modal, answer) {
            (Modal::UnsavedChanges { then }, ModalAnswer::Save) => self.save_then(Some(then), ctx),
            (Modal::UnsavedChanges { then }, ModalAnswer::Discard) => {
                self.clear_recovery();
                self.doc.discard_unsaved_marker();
                self.continue_with(then, ctx);
            }
            (
                Modal::NewProject {
                    title, frameworks, ..
                },
                ModalAnswer::CreateProject,
            ) => {
                self.create_project(&title, &frameworks);
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
                if let Some(path) = self.doc.path().map(Path::to_path_buf) {
                    self.write_to(&path, then, ctx);
                }
            }
            (Modal::Recovery { recovered }, ModalAnswer::Restore) => {
                let doc = Document::recovered(recovered.project, recovered.source);
                // The store already holds the restored copy: it stays until the work is saved.
                self.doc = doc;
                self.load_failure = None;
                self.view.selection = Default::default();
                self.feedback.status =
                    Some("Restored unsaved work. Save it to keep it.".to_owned());
            }
            (Modal::Recovery { .. }, ModalAnswer::Discard) => self.restart_recovery(),
            (Modal::LoadFailed { path, .. }, ModalAnswer::OpenBackup) => {
                self.events.push(AppEvent::OpenBackupOf(path));
            }
            (Modal::NewAgreement { after, .. }, ModalAnswer::SetName(name)) => {
                self.insert_named_agreement(after, &name);
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

    /// A close request with unsaved changes asks first; otherwise the recovery copy goes.
    pub(super) fn handle_close_request(&mut self, ctx: &egui::Context) {
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
}
