//! Sources in the GUI: the Attach window (read a file off the UI thread, then ask which
//! agreement, title, URL and date), the Replace window (what a new version does to the quotes,
//! applied as one undo step) and the list of the project's sources.

use super::events::{AppEvent, FilePurpose};
use super::job::Job;
use crate::model::text::counted;
use crate::model::{AgreementId, Project, Source, SourceId};
use crate::sources::evidence::{ExcerptState, Replacement, plan_replacement};
use crate::sources::extract::{Extracted, extract_file};
use chrono::NaiveDate;
use egui::{RichText, TextEdit, Ui};
use std::path::{Path, PathBuf};
use std::time::Duration;

/// How dates are typed.
const DATE_FORMAT: &str = "%Y-%m-%d";

/// The Attach and Replace windows, and the source list's rename field.
#[derive(Default)]
pub struct SourcesState {
    pub attach: Option<AttachTask>,
    pub replace: Option<ReplaceTask>,
    /// The source whose title is being typed in the list, and the text so far.
    renaming: Option<(SourceId, String)>,
}

/// A file's text read on a worker thread.
struct Reading {
    path: PathBuf,
    /// `None` when no thread could start.
    job: Option<Job<Result<Extracted, String>>>,
}

/// What a frame found when it looked at the reader.
enum ReadPoll {
    Waiting,
    Done(Extracted),
    Failed(String),
}

impl Reading {
    /// Starts reading `path` on its own thread; the window repaints when the text is ready.
    fn start(ctx: &egui::Context, path: PathBuf) -> Self {
        let thread_path = path.clone();
        let job = Job::start(ctx, "source-reader", move || {
            extract_file(&thread_path).map_err(|e| e.to_string())
        });
        Self { path, job }
    }

    /// Never waits: the window keeps painting while the file is read.
    fn poll(&self) -> ReadPoll {
        match self.job.as_ref().map(Job::poll) {
            Some(Ok(Some(Ok(extracted)))) => ReadPoll::Done(extracted),
            Some(Ok(Some(Err(message)))) => ReadPoll::Failed(message),
            Some(Ok(None)) => ReadPoll::Waiting,
            None | Some(Err(())) => ReadPoll::Failed(format!(
                "{}: normgrid could not start reading it; try again",
                self.path.display()
            )),
        }
    }

    /// A spinner naming the file, and whether Cancel was clicked.
    fn spinner_ui(&self, ui: &mut Ui) -> bool {
        ui.horizontal(|ui| {
            ui.spinner();
            ui.label(format!("Reading {}…", file_name(&self.path)));
        });
        ui.ctx().request_repaint_after(Duration::from_millis(50));
        ui.button("Cancel").clicked()
    }
}

/// "Attach source…": the file being read, then the questions about it.
pub struct AttachTask {
    /// Offered first when the form opens: the row selected when the attach began.
    agreement: Option<AgreementId>,
    stage: AttachStage,
}

enum AttachStage {
    Reading(Reading),
    Asking(Box<AttachForm>),
}

/// The Attach window's questions, prefilled.
struct AttachForm {
    path: PathBuf,
    extracted: Extracted,
    /// `None`: the whole project.
    agreement: Option<AgreementId>,
    title: String,
    url: String,
    retrieved: String,
}

impl AttachTask {
    /// Reads `path` off the UI thread; the form offers `agreement` (the selected row) first.
    pub fn start(ctx: &egui::Context, path: PathBuf, agreement: Option<AgreementId>) -> Self {
        Self {
            agreement,
            stage: AttachStage::Reading(Reading::start(ctx, path)),
        }
    }
}

/// The source the form describes, with an id no other source has.
fn source_from_form(project: &Project, form: &AttachForm, retrieved: NaiveDate) -> Source {
    // The one rule every stored line passes (the form already refuses a title with controls).
    let line = |text: &str| {
        crate::model::text::one_line_field(text, crate::model::text::MAX_LINE_CHARS).text
    };
    let title = line(&form.title);
    let id = SourceId::readable(&title, |candidate| {
        project.sources.iter().any(|s| s.id.as_str() == candidate)
    });
    Source {
        id,
        agreement: form.agreement.clone(),
        title,
        file_name: line(&file_name(&form.path)),
        kind: form.extracted.kind,
        url: line(&form.url),
        retrieved: Some(retrieved),
        sha256: form.extracted.sha256.clone(),
        pages: form.extracted.pages.clone(),
        text: form.extracted.text.clone(),
    }
}

/// Draws the Attach window while an attach is under way.
pub fn attach_window_ui(
    ctx: &egui::Context,
    project: &Project,
    state: &mut SourcesState,
    events: &mut Vec<AppEvent>,
) {
    let Some(task) = &mut state.attach else {
        return;
    };
    if let AttachStage::Reading(reading) = &task.stage {
        match reading.poll() {
            ReadPoll::Waiting => {}
            ReadPoll::Failed(message) => {
                events.push(AppEvent::SourceFileFailed {
                    title: "Nothing was attached".to_owned(),
                    message,
                });
                state.attach = None;
                return;
            }
            ReadPoll::Done(extracted) => {
                let path = reading.path.clone();
                let title = extracted
                    .title
                    .clone()
                    .filter(|t| !t.trim().is_empty())
                    .unwrap_or_else(|| file_name(&path));
                // A row selected before an agreement was removed is no choice any more.
                let agreement = task
                    .agreement
                    .clone()
                    .filter(|id| project.agreement(id).is_some());
                task.stage = AttachStage::Asking(Box::new(AttachForm {
                    path,
                    extracted,
                    agreement,
                    title,
                    url: String::new(),
                    retrieved: chrono::Local::now()
                        .date_naive()
                        .format(DATE_FORMAT)
                        .to_string(),
                }));
            }
        }
    }
    let mut open = true;
    let mut finished = false;
    egui::Window::new("Attach source")
        .id(egui::Id::unique("attach-source-window"))
        // Opens in the middle of the window, not over the menu bar.
        .pivot(egui::Align2::CENTER_CENTER)
        .default_pos(ctx.content_rect().center())
        .open(&mut open)
        .collapsible(false)
        .resizable(false)
        .default_width(460.0)
        .show(ctx, |ui| match &mut task.stage {
            AttachStage::Reading(reading) => finished = reading.spinner_ui(ui),
            AttachStage::Asking(form) => {
                if let Some(source) = attach_form_ui(ui, project, form) {
                    events.push(AppEvent::AttachSource(Box::new(source), form.path.clone()));
                    finished = true;
                }
                if ui.button("Cancel").clicked() {
                    finished = true;
                }
            }
        });
    if finished || !open {
        state.attach = None;
    }
}

/// The questions; returns the source once "Attach" is clicked with valid answers.
fn attach_form_ui(ui: &mut Ui, project: &Project, form: &mut AttachForm) -> Option<Source> {
    let extracted = &form.extracted;
    ui.label(format!(
        "{}: {}, {}, {}",
        file_name(&form.path),
        extracted.kind.label(),
        pages_text(&extracted.pages),
        counted(extracted.text.chars().count(), "character", "characters")
    ));
    for note in &extracted.notes {
        ui.label(RichText::new(note.as_str()).weak());
    }
    ui.add_space(4.0);
    egui::Grid::new("attach-form")
        .num_columns(2)
        .show(ui, |ui| {
            let label = ui.label("Text of");
            let chosen = form.agreement.as_ref().map_or_else(
                || "The whole project".to_owned(),
                |id| agreement_name(project, id),
            );
            egui::ComboBox::from_id_salt("attach-agreement")
                .selected_text(chosen)
                .width(300.0)
                .show_ui(ui, |ui| {
                    ui.selectable_value(&mut form.agreement, None, "The whole project");
                    for agreement in &project.agreements {
                        ui.selectable_value(
                            &mut form.agreement,
                            Some(agreement.id.clone()),
                            agreement.name.as_str(),
                        );
                    }
                })
                .response
                .labelled_by(label.id);
            ui.end_row();
            let label = ui.label("Source title");
            ui.add(
                TextEdit::singleline(&mut form.title)
                    .id_salt("attach-title")
                    .desired_width(300.0),
            )
            .labelled_by(label.id);
            ui.end_row();
            let label = ui.label("Source URL");
            ui.add(
                TextEdit::singleline(&mut form.url)
                    .id_salt("attach-url")
                    .hint_text("https://… where the original is published")
                    .desired_width(300.0),
            )
            .labelled_by(label.id);
            ui.end_row();
            let label = ui.label("Retrieved (YYYY-MM-DD)");
            ui.add(
                TextEdit::singleline(&mut form.retrieved)
                    .id_salt("attach-retrieved")
                    .desired_width(110.0),
            )
            .labelled_by(label.id);
            ui.end_row();
        });
    let retrieved = NaiveDate::parse_from_str(form.retrieved.trim(), DATE_FORMAT);
    if retrieved.is_err() {
        ui.colored_label(
            ui.visuals().warn_fg_color,
            "Not a date yet: type it as 2026-03-31.",
        );
    }
    let titled = !form.title.trim().is_empty()
        && crate::model::text::first_forbidden_control(&form.title).is_none();
    if !titled {
        ui.colored_label(
            ui.visuals().warn_fg_color,
            "Give the source a title (no control characters).",
        );
    }
    ui.add_space(6.0);
    let attach = ui
        .add_enabled(titled && retrieved.is_ok(), egui::Button::new("Attach"))
        .on_hover_text("Adds the source to the project; Edit → Undo takes it out again")
        .clicked();
    match retrieved {
        Ok(date) if attach && titled => Some(source_from_form(project, form, date)),
        _ => None,
    }
}

/// "Replace source with a new version…": which source, the new file, and what it does.
pub struct ReplaceTask {
    source: SourceId,
    stage: ReplaceStage,
}

enum ReplaceStage {
    /// Which source, and a button to choose the new file.
    Choosing,
    Reading(Reading),
    Planned(Box<Planned>),
}

/// What the new version does to the quotes, before and after it is applied.
struct Planned {
    path: PathBuf,
    /// The old source with the new text and file details.
    new: Source,
    replacement: Replacement,
    /// Set by the app once the plan's command ran.
    applied: bool,
}

impl SourcesState {
    /// True while the Attach or Replace window is showing: the grid's keys wait.
    pub fn window_open(&self) -> bool {
        self.attach.is_some() || self.replace.is_some()
    }
}

impl ReplaceTask {
    /// Starts with `source` chosen; the window asks for the file.
    pub fn choosing(source: SourceId) -> Self {
        Self {
            source,
            stage: ReplaceStage::Choosing,
        }
    }

    /// The source being replaced.
    pub fn source(&self) -> &SourceId {
        &self.source
    }

    /// Reads the new version off the UI thread.
    pub fn read(&mut self, ctx: &egui::Context, path: PathBuf) {
        self.stage = ReplaceStage::Reading(Reading::start(ctx, path));
    }

    /// The new version, once it is read and planned.
    pub fn new_version(&self) -> Option<&Source> {
        match &self.stage {
            ReplaceStage::Planned(planned) => Some(&planned.new),
            _ => None,
        }
    }

    /// Records that the plan was applied: the window then offers the new wordings.
    pub fn mark_applied(&mut self) {
        if let ReplaceStage::Planned(planned) = &mut self.stage {
            planned.applied = true;
        }
    }
}

/// The old source's details with the new file's text.
fn new_version_of(old: &Source, path: &Path, extracted: Extracted) -> Source {
    Source {
        file_name: file_name(path),
        kind: extracted.kind,
        sha256: extracted.sha256,
        pages: extracted.pages,
        text: extracted.text,
        retrieved: Some(chrono::Local::now().date_naive()),
        ..old.clone()
    }
}

/// Draws the Replace window while a replacement is under way.
pub fn replace_window_ui(
    ctx: &egui::Context,
    project: &Project,
    state: &mut SourcesState,
    events: &mut Vec<AppEvent>,
) {
    let Some(task) = &mut state.replace else {
        return;
    };
    if let ReplaceStage::Reading(reading) = &task.stage {
        let failed = |message: String| AppEvent::SourceFileFailed {
            title: "The source was not replaced".to_owned(),
            message,
        };
        match reading.poll() {
            ReadPoll::Waiting => {}
            ReadPoll::Failed(message) => {
                events.push(failed(message));
                state.replace = None;
                return;
            }
            ReadPoll::Done(extracted) => {
                let path = reading.path.clone();
                let planned = project.source(&task.source).and_then(|old| {
                    let new = new_version_of(old, &path, extracted);
                    plan_replacement(project, &task.source, new.clone()).map(|replacement| {
                        Planned {
                            path,
                            new,
                            replacement,
                            applied: false,
                        }
                    })
                });
                match planned {
                    Some(planned) => task.stage = ReplaceStage::Planned(Box::new(planned)),
                    None => {
                        events.push(failed(format!(
                            "The source `{}` is no longer in the project.",
                            task.source
                        )));
                        state.replace = None;
                        return;
                    }
                }
            }
        }
    }
    let mut open = true;
    let mut finished = false;
    egui::Window::new("Replace source")
        .id(egui::Id::unique("replace-source-window"))
        // Opens in the middle of the window, not over the menu bar.
        .pivot(egui::Align2::CENTER_CENTER)
        .default_pos(ctx.content_rect().center())
        .open(&mut open)
        .collapsible(false)
        .resizable(true)
        .default_width(560.0)
        .show(ctx, |ui| match &mut task.stage {
            ReplaceStage::Choosing => {
                finished = choose_source_ui(ui, project, &mut task.source, events);
            }
            ReplaceStage::Reading(reading) => finished = reading.spinner_ui(ui),
            ReplaceStage::Planned(planned) => {
                finished = planned_ui(ui, project, planned, events);
            }
        });
    if finished || !open {
        state.replace = None;
    }
}

/// Which source to replace, and the button that asks for the file; true when cancelled.
fn choose_source_ui(
    ui: &mut Ui,
    project: &Project,
    source: &mut SourceId,
    events: &mut Vec<AppEvent>,
) -> bool {
    let chosen = project
        .source(source)
        .map_or_else(|| source.to_string(), |s| s.title.clone());
    ui.horizontal(|ui| {
        let label = ui.label("Source to replace");
        egui::ComboBox::from_id_salt("replace-which-source")
            .selected_text(chosen)
            .width(320.0)
            .show_ui(ui, |ui| {
                for candidate in &project.sources {
                    ui.selectable_value(source, candidate.id.clone(), candidate.title.as_str());
                }
            })
            .response
            .labelled_by(label.id);
    });
    ui.add_space(6.0);
    let mut cancelled = false;
    ui.horizontal(|ui| {
        if ui.button("Choose the new version…").clicked() {
            events.push(AppEvent::ChooseFile(FilePurpose::ReplaceSource));
        }
        cancelled = ui.button("Cancel").clicked();
    });
    cancelled
}

/// The plan: counts, each drifted quote, Apply and the new wordings; true when closed.
fn planned_ui(
    ui: &mut Ui,
    project: &Project,
    planned: &Planned,
    events: &mut Vec<AppEvent>,
) -> bool {
    let counts = planned.replacement.counts;
    // Undo after Apply brings the old text back: then it is a plan again.
    let applied = planned.applied
        && project
            .source(&planned.new.id)
            .is_some_and(|s| s.text == planned.new.text);
    ui.label(
        RichText::new(format!(
            "{} → {}",
            planned.new.title,
            file_name(&planned.path)
        ))
        .strong(),
    );
    ui.label(format!(
        "Quotes in the new version: {} verified · {} relocated · {} changed · {} missing",
        counts.verified, counts.relocated, counts.changed, counts.missing
    ));
    ui.label(
        RichText::new(
            "Verified quotes are where they were; relocated ones moved and follow the text; \
             changed ones now read differently; missing ones are gone.",
        )
        .weak(),
    );
    ui.separator();
    egui::ScrollArea::vertical()
        .max_height(320.0)
        .auto_shrink([false, true])
        .show(ui, |ui| {
            if planned.replacement.drifted.is_empty() {
                ui.label("Every quote is where it was.");
            }
            for drift in &planned.replacement.drifted {
                ui.push_id(drift.excerpt.id.as_str(), |ui| {
                    egui::Frame::group(ui.style()).show(ui, |ui| {
                        ui.set_width(ui.available_width());
                        let element = project
                            .element(&drift.element)
                            .map_or_else(|| drift.element.to_string(), |(_, e)| e.display_name());
                        ui.label(format!(
                            "{} / {} · {}",
                            agreement_name(project, &drift.agreement),
                            element,
                            drift.state.label()
                        ));
                        ui.add(
                            egui::Label::new(
                                RichText::new(format!("“{}”", drift.excerpt.exact)).italics(),
                            )
                            .wrap(),
                        );
                        if let ExcerptState::Changed {
                            start,
                            end,
                            differences,
                            ..
                        } = &drift.state
                        {
                            ui.add(egui::Label::new(format!("Differences: {differences}")).wrap());
                            // Taking the new wording stores the passage's words (see
                            // `confirm_changed`).
                            let new_wording = crate::sources::evidence::words_of_passage(
                                planned.new.text.get(*start..*end).unwrap_or(""),
                            );
                            let taken = project
                                .cell(&drift.agreement, &drift.element)
                                .excerpt(&drift.excerpt.id)
                                .is_some_and(|e| e.exact == new_wording);
                            if taken && applied {
                                ui.label("New wording taken");
                            } else if ui
                                .add_enabled(applied, egui::Button::new("Take new wording"))
                                .on_hover_text("Quote what the new version says here (undoable)")
                                .on_disabled_hover_text("Apply the new version first")
                                .clicked()
                            {
                                events.push(AppEvent::TakeNewWording(Box::new(drift.clone())));
                            }
                        }
                    });
                });
            }
        });
    ui.separator();
    let mut closed = false;
    ui.horizontal(|ui| {
        if applied {
            ui.label("Applied: Edit → Undo puts the old version back.");
            closed = ui.button("Close").clicked();
        } else {
            if ui
                .button("Apply")
                .on_hover_text("Replace the source and move the anchors: one undo step")
                .clicked()
            {
                events.push(AppEvent::ApplyReplacement);
            }
            closed = ui.button("Cancel").clicked();
        }
    });
    closed
}

/// The project's sources, each with its details and what can be done with it.
pub fn sources_list_ui(
    ui: &mut Ui,
    project: &Project,
    locked: bool,
    state: &mut SourcesState,
    events: &mut Vec<AppEvent>,
) {
    ui.label(RichText::new(format!("Sources · {}", project.sources.len())).strong());
    if project.sources.is_empty() {
        ui.label(
            RichText::new("No sources yet: File → Attach source… reads an agreement's text.")
                .weak(),
        );
    }
    for source in &project.sources {
        let quotes = quote_count(project, &source.id);
        ui.push_id(source.id.as_str(), |ui| {
            egui::Frame::group(ui.style()).show(ui, |ui| {
                ui.set_width(ui.available_width());
                ui.label(RichText::new(source.title.as_str()).strong());
                let of = source.agreement.as_ref().map_or_else(
                    || "whole project".to_owned(),
                    |id| agreement_name(project, id),
                );
                ui.label(format!(
                    "{} · {} · {} · {} · {}",
                    of,
                    source.kind.label(),
                    pages_text(&source.pages),
                    counted(source.text.chars().count(), "character", "characters"),
                    counted(quotes, "quote", "quotes"),
                ));
                let renaming = state.renaming.as_mut().filter(|(id, _)| *id == source.id);
                if let Some((_, title)) = renaming {
                    let mut done = false;
                    ui.horizontal(|ui| {
                        let label = ui.label("New title");
                        ui.add(TextEdit::singleline(title).id_salt("source-new-title"))
                            .labelled_by(label.id);
                        let valid = !title.trim().is_empty()
                            && crate::model::text::first_forbidden_control(title).is_none();
                        if ui
                            .add_enabled(valid, egui::Button::new("Save title"))
                            .clicked()
                        {
                            events.push(AppEvent::RenameSource {
                                id: source.id.clone(),
                                title: title.trim().to_owned(),
                            });
                            done = true;
                        }
                        done |= ui.button("Cancel").clicked();
                    });
                    if done {
                        state.renaming = None;
                    }
                    return;
                }
                ui.add_enabled_ui(!locked, |ui| {
                    ui.horizontal(|ui| {
                        if ui
                            .button("Replace…")
                            .on_hover_text("Read a new version and see which quotes still hold")
                            .clicked()
                        {
                            events.push(AppEvent::ReplaceSource(source.id.clone()));
                        }
                        if ui.button("Rename title").clicked() {
                            state.renaming = Some((source.id.clone(), source.title.clone()));
                        }
                        if ui
                            .button("Remove")
                            .on_hover_text("Only a source no quote uses can be removed")
                            .clicked()
                        {
                            events.push(AppEvent::RemoveSource(source.id.clone()));
                        }
                    });
                });
            });
        });
    }
}

/// How many excerpts quote `source`.
fn quote_count(project: &Project, source: &SourceId) -> usize {
    project
        .cells
        .iter()
        .flat_map(|(_, _, cell)| &cell.evidence)
        .filter(|excerpt| excerpt.source.as_ref() == Some(source))
        .count()
}

fn agreement_name(project: &Project, id: &AgreementId) -> String {
    project
        .agreement(id)
        .map_or_else(|| id.to_string(), |a| a.short_name.clone())
}

fn pages_text(pages: &[usize]) -> String {
    if pages.is_empty() {
        "no pages".to_owned()
    } else {
        counted(pages.len(), "page", "pages")
    }
}

fn file_name(path: &Path) -> String {
    path.file_name().map_or_else(
        || path.display().to_string(),
        |n| n.to_string_lossy().into_owned(),
    )
}
