//! Sources: attaching, replacing, renaming and removing them, the quotes' state counts, and
//! exporting one element across agreements.

use super::NormgridApp;
use super::files::file_name;
use crate::commands::Command;
use crate::export::element_report::{ElementFormat, element_report};
use crate::model::text::counted;
use crate::model::{ElementId, Source, SourceId, SourceKind};
use crate::sources::evidence::{
    CheckCounts, Drift, confirm_changed, plan_replacement, with_relocated_anchors,
};
use crate::ui::dialogs::Modal;
use crate::ui::events::{AppEvent, FilePurpose};
use crate::ui::sources_view::{AttachTask, ReplaceTask};
use crate::ui::view::CentralTab;
use std::path::{Path, PathBuf};

impl NormgridApp {
    /// File → Attach source…: asks for the file.
    pub(super) fn start_attach(&mut self, ctx: &egui::Context) {
        self.start_file_dialog(FilePurpose::AttachSource, ctx);
    }

    /// Reads `path` off the UI thread, then asks how to attach it.
    pub(super) fn attach_path(&mut self, path: PathBuf, ctx: &egui::Context) {
        let agreement = self.view.selection.agreement.clone();
        self.sources.attach = Some(AttachTask::start(ctx, path, agreement));
    }

    /// Adds the Attach window's source as one undo step.
    pub(super) fn attach_source(&mut self, source: Source, original: PathBuf) {
        if let Some(agreement) = &source.agreement
            && self.doc.project().agreement(agreement).is_none()
        {
            self.modal = Some(Modal::Error {
                title: "Nothing was attached".to_owned(),
                message: format!(
                    "The agreement `{agreement}` is no longer in the project. Attach the file again and choose another agreement or the whole project."
                ),
            });
            return;
        }
        let title = source.title.clone();
        self.reader.remember_original(&source.sha256, original);
        let index = self.doc.project().sources.len();
        self.apply(Command::InsertSource {
            index,
            source: Box::new(source),
        });
        if self.modal.is_none() {
            let kept = match (self.doc.path().is_some(), self.keep_originals()) {
                (_, Some(failure)) => format!(" The original {failure}."),
                (true, None) => String::new(),
                (false, None) => " Its pages show while normgrid is open; save the project to \
                                  keep the original beside it."
                    .to_owned(),
            };
            self.feedback.status = Some(format!("Attached the source “{title}”.{kept}"));
        }
    }

    /// Copies the originals attached in this session into the project's `NAME.sources/`
    /// folder, once the project has a file. Returns why some could not be copied.
    pub(super) fn keep_originals(&mut self) -> Option<String> {
        let path = self.doc.path().map(Path::to_path_buf)?;
        let mut failures = Vec::new();
        for (sha256, original) in self.reader.originals_to_keep() {
            let source = self
                .doc
                .project()
                .sources
                .iter()
                .find(|s| s.sha256 == sha256)
                .cloned();
            let Some(source) = source else { continue };
            match crate::io::originals::store_original_file(&path, &source, &original) {
                Ok(_) => self.reader.original_kept(&sha256),
                Err(reason) => failures.push(format!("{}: {reason}", original.display())),
            }
        }
        (!failures.is_empty()).then(|| {
            format!(
                "was not copied beside the project ({})",
                failures.join("; ")
            )
        })
    }

    /// "Replace source with a new version…" from the palette or menu: which source first.
    pub(super) fn start_replace_from_menu(&mut self) {
        let project = self.doc.project();
        let selected = self.view.selection.agreement.as_ref();
        let default = selected
            .and_then(|agreement| project.sources_of(agreement).next())
            .or_else(|| project.sources.first())
            .map(|s| s.id.clone());
        match default {
            Some(id) => self.sources.replace = Some(ReplaceTask::choosing(id)),
            None => {
                self.feedback.status =
                    Some("No source to replace: File → Attach source… adds one first.".to_owned());
            }
        }
    }

    /// The source list's Replace…: asks for the new version of `id` at once.
    pub(super) fn start_replace(&mut self, id: SourceId, ctx: &egui::Context) {
        self.sources.replace = Some(ReplaceTask::choosing(id));
        self.start_file_dialog(FilePurpose::ReplaceSource, ctx);
    }

    /// Reads the new version off the UI thread; the Replace window then shows the plan.
    pub(super) fn replace_path(&mut self, path: PathBuf, ctx: &egui::Context) {
        match &mut self.sources.replace {
            Some(task) => task.read(ctx, path),
            None => {
                self.feedback.status = Some(
                    "Choose the source to replace first (Replace… in the Project window)."
                        .to_owned(),
                );
            }
        }
    }

    /// Applies the Replace window's plan, planned again against the project as it is now.
    pub(super) fn apply_replacement(&mut self) {
        let Some(task) = &self.sources.replace else {
            return;
        };
        let Some(new) = task.new_version().cloned() else {
            return;
        };
        let Some(replacement) = plan_replacement(self.doc.project(), task.source(), new) else {
            self.modal = Some(Modal::Error {
                title: "The source was not replaced".to_owned(),
                message: format!(
                    "The source `{}` is no longer in the project.",
                    task.source()
                ),
            });
            return;
        };
        let result = self.doc.apply(replacement.command);
        let applied = result.is_ok();
        self.edited(result);
        if applied {
            if let Some(task) = &mut self.sources.replace {
                task.mark_applied();
            }
            self.feedback.status = Some(format!(
                "Replaced the source: {}.",
                replacement.counts.summary()
            ));
        }
    }

    /// Takes the new version's wording for one changed quote, once the new version is in.
    pub(super) fn take_new_wording(&mut self, drift: &Drift) {
        let project = self.doc.project();
        let replaced = drift
            .excerpt
            .source
            .as_ref()
            .and_then(|id| project.source(id))
            .zip(
                self.sources
                    .replace
                    .as_ref()
                    .and_then(ReplaceTask::new_version),
            )
            .is_some_and(|(now, new)| now.text == new.text);
        if !replaced {
            self.feedback.status =
                Some("Apply the new version first, then take its wording.".to_owned());
            return;
        }
        match confirm_changed(project, drift) {
            Some(command) => self.apply(command),
            None => {
                self.feedback.status = Some("That quote is no longer in its cell.".to_owned());
            }
        }
    }

    /// Removes a source; the command refuses while a quote uses it, and the message says so.
    pub(super) fn remove_source(&mut self, id: SourceId) {
        self.apply(Command::RemoveSource { id });
    }

    /// Gives a source a new title.
    pub(super) fn rename_source(&mut self, id: &SourceId, title: &str) {
        let Some(source) = self.doc.project().source(id) else {
            return;
        };
        let title =
            crate::model::text::one_line_field(title, crate::model::text::MAX_LINE_CHARS).text;
        if title.is_empty() {
            return;
        }
        if source.title == title {
            return;
        }
        let mut source = source.clone();
        source.title = title;
        self.apply(Command::UpdateSource {
            source: Box::new(source),
        });
    }

    /// The quotes' state counts for the status bar, worked out once per document revision;
    /// `None` when the project holds no excerpts.
    ///
    /// They come from the reader's checks, which run on a worker: until those are in for
    /// this revision, the last counts stay shown.
    pub(super) fn refresh_quote_counts(&mut self) {
        let revision = self.doc.revision();
        if self.quote_counts.is_fresh(&revision) || !self.reader.evidence.is_current(revision) {
            return;
        }
        let checks = self.reader.evidence.checks();
        let counts = (!checks.is_empty()).then(|| CheckCounts::of(checks));
        self.quote_counts.set(revision, counts);
    }

    /// Whether the quotes are being checked on the worker now.
    pub fn checking_quotes(&self) -> bool {
        self.reader.evidence.checking()
    }

    /// The counts as last worked out.
    pub(super) fn quote_counts(&self) -> Option<CheckCounts> {
        self.quote_counts.last().copied().flatten()
    }

    /// Before saving: relocated quotes' anchors move to where the quotes are now, as one
    /// undoable step, as `normgrid fmt` does. Returns how many moved.
    pub(super) fn move_relocated_anchors(&mut self) -> usize {
        let fresh_and_none = self.quote_counts.is_fresh(&self.doc.revision())
            && self.quote_counts().is_none_or(|c| c.relocated == 0);
        if fresh_and_none {
            return 0;
        }
        let project = self.doc.project();
        let (updated, moved) = with_relocated_anchors(project);
        if moved == 0 {
            return 0;
        }
        let commands: Vec<Command> = updated
            .cells
            .iter()
            .filter(|(agreement, element, cell)| project.cell(agreement, element) != **cell)
            .map(|(agreement, element, cell)| Command::SetCell {
                agreement: agreement.clone(),
                element: element.clone(),
                cell: cell.clone(),
            })
            .collect();
        let result = self.doc.apply(Command::Batch {
            label: "Move relocated quote anchors".to_owned(),
            commands,
        });
        match result {
            Ok(()) => moved,
            Err(_) => 0,
        }
    }

    /// Shows the Element across agreements tab for `element`.
    pub(super) fn show_element_across(&mut self, element: Option<ElementId>) {
        if element.is_some() {
            self.element_view.element = element;
        }
        self.view.central_tab = CentralTab::Element;
    }

    /// Asks where to export the Element tab's element.
    pub(super) fn start_element_export(&mut self, format: ElementFormat, ctx: &egui::Context) {
        self.start_file_dialog(FilePurpose::ExportElement(format), ctx);
    }

    /// The element the Element tab shows.
    pub(super) fn element_shown(&self) -> Option<ElementId> {
        self.element_view
            .shown_element(self.doc.project(), self.view.selection.element.as_ref())
    }

    /// Writes the Element tab's element to `path` (never over the open project).
    pub(super) fn export_element(&mut self, format: ElementFormat, path: &Path) {
        let Some(element) = self.element_shown() else {
            return;
        };
        let bytes = element_report(self.doc.project(), &element, format);
        self.write_export(format.name(), path, Ok(bytes));
    }

    /// Files dropped on the window: a project opens, a source is attached, anything else is
    /// named in the status bar.
    pub(super) fn take_dropped_files(&mut self, ctx: &egui::Context) {
        let dropped = ctx.input(|i| i.raw.dropped_files.clone());
        if dropped.is_empty() || self.modal.is_some() {
            return;
        }
        for file in dropped {
            let path = file.path().to_path_buf();
            let name = file_name(&path);
            let is_project = path
                .extension()
                .is_some_and(|e| e.eq_ignore_ascii_case("ron"));
            if is_project {
                self.events.push(AppEvent::OpenPath(path));
            } else if SourceKind::from_file_name(&name).is_some() && self.load_failure.is_none() {
                self.events.push(AppEvent::AttachSourcePath(path));
                // One Attach window at a time.
                break;
            } else {
                self.feedback.status = Some(format!(
                    "{name} was not opened: drop a project (.ron) or an agreement's text (PDF, DOCX, HTML, TXT, Markdown)."
                ));
            }
        }
    }

    /// While files are dragged over the window, says what dropping them does.
    pub(super) fn drop_hint_ui(&self, ctx: &egui::Context) {
        if ctx.input(|i| i.raw.hovered_files.is_empty()) {
            return;
        }
        egui::Area::new(egui::Id::unique("normgrid-drop-hint"))
            .anchor(egui::Align2::CENTER_CENTER, egui::Vec2::ZERO)
            .order(egui::Order::Foreground)
            .show(ctx, |ui| {
                egui::Frame::popup(ui.style()).show(ui, |ui| {
                    ui.label(
                        egui::RichText::new(
                            "Drop a project (.ron) to open it, or an agreement's text (PDF, DOCX, HTML, TXT, Markdown) to attach it",
                        )
                        .strong(),
                    );
                });
            });
    }

    /// The status bar's words for the counts, e.g. "Quotes: 38 verified · 0 changed · 0 missing".
    pub(super) fn quote_counts_text(counts: &CheckCounts) -> String {
        let mut text = format!(
            "Quotes: {} verified · {} changed · {} missing",
            counts.verified, counts.changed, counts.missing
        );
        if counts.relocated > 0 {
            text.push_str(&format!(
                " · {} (Save moves {})",
                counted(counts.relocated, "relocated", "relocated"),
                if counts.relocated == 1 { "it" } else { "them" }
            ));
        }
        text
    }
}
