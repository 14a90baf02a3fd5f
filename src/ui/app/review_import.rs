//! File → Import review…: a reviewer's verdicts applied as one undo step, with a summary.

use super::NormgridApp;
use crate::collab::review_file::read_review_file;
use crate::collab::review_import::plan_review_import;
use crate::ui::dialogs::Modal;
use std::path::Path;

impl NormgridApp {
    /// Reads the review file at `path`, applies the verdicts that still fit as one undo step,
    /// and shows what was applied and what was left out; a refused file changes nothing.
    pub(super) fn import_review(&mut self, path: &Path) {
        let planned = read_review_file(path)
            .map_err(|error| error.to_string())
            .and_then(|review| {
                plan_review_import(self.doc.project(), &review)
                    .map_err(|refusal| format!("{}: {refusal}", path.display()))
            });
        let import = match planned {
            Ok(import) => import,
            Err(message) => {
                self.modal = Some(Modal::Error {
                    title: "Review not imported".to_owned(),
                    message,
                });
                return;
            }
        };
        if let Some(command) = import.command.clone() {
            self.apply(command);
        }
        self.feedback.status = Some(import.summary_text());
        self.modal = Some(Modal::ReviewImported {
            summary: import.headline_text(),
            not_applied: import.not_applied_lines(),
        });
    }
}
