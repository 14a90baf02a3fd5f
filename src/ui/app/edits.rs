//! Document edits: every one becomes a `Command` applied through the document.

use super::NormgridApp;
use crate::commands::{Command, TypingKey};
use crate::model::text::counted;
use crate::model::{
    Agreement, AgreementId, Assessment, Cell, Element, ElementId, Project, ReviewStatus,
};
use crate::ui::dialogs::{Modal, RemoveRequest};
use crate::ui::document::OtherFile;
use crate::ui::merge_view::MergeState;
use crate::ui::view::CentralTab;
use std::time::Instant;

impl NormgridApp {
    /// The name edits are signed with.
    pub(super) fn author(&self) -> String {
        self.prefs.author_or_default().to_owned()
    }

    /// After an edit: remembers when (for the recovery copy), or shows why it failed.
    pub(super) fn edited(&mut self, result: Result<(), crate::commands::CommandError>) {
        match result {
            Ok(()) => {
                self.recovery.last_edit = Some(Instant::now());
                self.feedback.status = None;
            }
            Err(error) => {
                self.modal = Some(Modal::Error {
                    title: "That change could not be made".to_owned(),
                    message: error.to_string(),
                });
            }
        }
    }

    /// Applies `command` as one undo step.
    pub(super) fn apply(&mut self, command: Command) {
        let result = self.doc.apply(command);
        self.edited(result);
    }

    /// Applies `command`, merging it with the previous edit of the same field when typing.
    pub(super) fn apply_maybe_typing(&mut self, command: Command, typing: Option<TypingKey>) {
        let result = match typing {
            Some(key) => self.doc.apply_coalescing(command, key),
            None => self.doc.apply(command),
        };
        self.edited(result);
    }

    /// Sets the cells that differ as one undo step; cells already right are left alone.
    pub(super) fn set_assessments(
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
    pub(super) fn set_reviews(
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
    pub(super) fn apply_cell_batch<F: FnOnce(&mut Cell) -> bool>(
        &mut self,
        edits: impl Iterator<Item = (AgreementId, ElementId, F)>,
        label: String,
        unchanged: &str,
    ) {
        let commands: Vec<Command> = edits
            .filter_map(|(agreement, element, edit)| {
                let mut cell = self.doc.project().cell(&agreement, &element);
                edit(&mut cell).then_some(Command::SetCell {
                    agreement,
                    element,
                    cell,
                })
            })
            .collect();
        if commands.is_empty() {
            self.feedback.status = Some(format!("{label}: {unchanged}."));
        } else {
            self.apply(Command::Batch { label, commands });
        }
    }

    /// Replaces the project with the merge, as one undoable step.
    pub(super) fn apply_merge(&mut self) {
        self.merge.stamp_edited(&self.author(), chrono::Utc::now());
        let revision = self.doc.revision();
        let name = self
            .merge
            .theirs
            .as_ref()
            .map(OtherFile::name)
            .unwrap_or_default();
        if self.merge.is_refused(self.doc.project(), revision) {
            self.feedback.status = Some(
                "The files to merge have problems: fix them, or tick “Repair the files before merging”."
                    .to_owned(),
            );
            return;
        }
        let Some(result) = self.merge.result(self.doc.project(), revision) else {
            return;
        };
        if result.unresolved() > 0 {
            self.feedback.status =
                Some("Decide every conflict before applying the merge.".to_owned());
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
        self.feedback.status = Some(format!(
            "Merged {name}: {} taken from theirs, {} decided. Undo takes the merge back; Save keeps it.",
            counted(taken, "change", "changes"),
            counted(conflicts, "conflict", "conflicts")
        ));
    }

    /// Asks for the new agreement's name; it then goes after `after` (or at the end).
    pub(super) fn add_agreement(&mut self, after: Option<AgreementId>) {
        if self.modal.is_none() {
            self.modal = Some(Modal::NewAgreement {
                name: String::new(),
                after,
                take_focus: true,
            });
        }
    }

    /// Inserts an agreement named `name` after `after` (or at the end), with an id made from
    /// the name, and selects its row; the grid keeps the keyboard, so arrows and Y/I/N go on.
    pub(super) fn insert_named_agreement(&mut self, after: Option<AgreementId>, name: &str) {
        let index = after
            .and_then(|a| self.doc.project().agreement_index(&a))
            .map_or(self.doc.project().agreements.len(), |i| i + 1);
        let id = AgreementId::readable(name, |id| agreement_id_in_use(self.doc.project(), id));
        let agreement = Agreement::new(id.clone(), name, name);
        self.apply(Command::InsertAgreement {
            index,
            agreement: Box::new(agreement),
            dependents: Box::default(),
        });
        // A filter could hide the new row; show everything so it can be seen.
        self.view.query.clear_filters();
        self.view.select_agreement(id.clone());
        self.view.scroll_to_selection = true;
        self.prefs.show_cell_panel = true;
        self.feedback.status = Some(format!(
            "Added {name} (id {id}). Its short name and details are in the cell panel."
        ));
    }

    /// Adds an element after `after` in its framework and selects it.
    pub(super) fn add_element(&mut self, after: &ElementId) {
        let Some((fi, ei)) = self.doc.project().element_position(after) else {
            return;
        };
        let framework = self.doc.project().frameworks[fi].id.clone();
        let name = "New element";
        let project = self.doc.project();
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

    /// Removes an empty agreement at once; asks first when data would go with it.
    pub(super) fn request_remove_agreement(&mut self, id: AgreementId) {
        let project = self.doc.project();
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
                "Remove {}? It has {}, {} and {}; they go with it.",
                agreement.short_name,
                counted(cells, "filled cell", "filled cells"),
                counted(notes, "note", "notes"),
                counted(links, "initiative link", "initiative links")
            ),
            what: RemoveRequest::Agreement(id),
        });
    }

    /// Removes an empty element at once; asks first when data would go with it.
    pub(super) fn request_remove_element(&mut self, id: ElementId) {
        let project = self.doc.project();
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
                "Remove the element “{}”? It has {}, {} and {}; they go with it.",
                element.display_name(),
                counted(cells, "filled cell", "filled cells"),
                counted(notes, "note", "notes"),
                counted(links, "initiative link", "initiative links")
            ),
            what: RemoveRequest::Element(id),
        });
    }
}

/// True when `id` names an agreement, or something still refers to it (a cell, a note or an
/// initiative's link, as a hand-edited file may hold), so a new agreement must not take it.
pub(super) fn agreement_id_in_use(project: &Project, id: &str) -> bool {
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

impl NormgridApp {
    /// Makes the passage selected in the reader an excerpt of the selected cell: one edit,
    /// one undo step. Says why in the status bar when it cannot.
    pub(super) fn use_reader_selection_as_evidence(&mut self, ctx: &egui::Context) {
        if !self.prefs.show_reader {
            self.feedback.status = Some(
                "Use selection as evidence: open the reader first (View → Reader panel)."
                    .to_owned(),
            );
            return;
        }
        match crate::ui::reader::evidence_edit(
            self.doc.project(),
            &self.reader,
            &self.view,
            self.review.on,
            &self.author(),
        ) {
            Ok(edit) => {
                self.reader.clear_selection();
                self.handle(edit, ctx);
            }
            Err(reason) => {
                self.feedback.status = Some(format!("Use selection as evidence: {reason}."));
            }
        }
    }
}
