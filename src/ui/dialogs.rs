//! Dialogs: native file dialogs (the only place rfd is used) and the app's modal questions.

use super::events::AppEvent;
// Re-exported where they were defined before, for callers that name them through dialogs.
pub use super::events::{ExportFormat, FilePurpose};
use super::job::Job;
use crate::io::recovery::Recovered;
use egui::{RichText, Ui};
use std::path::PathBuf;
use std::time::{Duration, Instant};

/// The file name extensions normgrid reads sources from.
pub const SOURCE_EXTENSIONS: [&str; 9] = [
    "pdf", "docx", "html", "htm", "xhtml", "txt", "text", "md", "markdown",
];

/// A native file dialog running on its own thread, so the UI never freezes.
pub struct FileDialogTask {
    pub purpose: FilePurpose,
    /// The folder and file name the dialog suggested, for the typed-path fallback.
    pub suggested: PathBuf,
    /// The answer, and how long the dialog was open (measured where it ran, so a slow frame
    /// cannot make a dialog that never showed look like one the user cancelled); `None` when
    /// no thread could start.
    job: Option<Job<(Option<PathBuf>, Duration)>>,
}

/// How a file dialog ended.
pub enum FileDialogResult {
    Picked(PathBuf),
    Cancelled,
    /// The dialog closed at once without asking: most likely no desktop portal is running.
    Unavailable,
}

impl FileDialogTask {
    /// Opens the system's file dialog (through the XDG desktop portal on Linux).
    pub fn spawn(
        ctx: &egui::Context,
        purpose: FilePurpose,
        directory: Option<PathBuf>,
        file_name: String,
    ) -> Self {
        let suggested = directory
            .clone()
            .unwrap_or_default()
            .join(if purpose.saves() {
                file_name.as_str()
            } else {
                ""
            });
        let job = Job::start(ctx, "file-dialog", move || {
            let started = Instant::now();
            let mut dialog = match purpose {
                FilePurpose::ExportChart => rfd::FileDialog::new()
                    .add_filter("PNG image", &["png"])
                    .add_filter("SVG drawing", &["svg"]),
                FilePurpose::ExportChanges => {
                    rfd::FileDialog::new().add_filter("CSV for spreadsheets", &["csv"])
                }
                FilePurpose::ExportProject(format) => {
                    rfd::FileDialog::new().add_filter(format.name(), &[format.extension()])
                }
                FilePurpose::AttachSource | FilePurpose::ReplaceSource => rfd::FileDialog::new()
                    .add_filter("Agreement texts", &SOURCE_EXTENSIONS)
                    .add_filter("PDF", &["pdf"])
                    .add_filter("Word (DOCX)", &["docx"])
                    .add_filter("Web page (HTML)", &["html", "htm", "xhtml"])
                    .add_filter("Plain text", &["txt", "text"])
                    .add_filter("Markdown", &["md", "markdown"]),
                FilePurpose::ExportElement(format) => {
                    rfd::FileDialog::new().add_filter(format.name(), &[format.extension()])
                }
                FilePurpose::ImportReview => rfd::FileDialog::new()
                    .add_filter("Review file", &["json"])
                    .add_filter("All files", &["*"]),
                _ => rfd::FileDialog::new()
                    .add_filter("normgrid project", &["ron"])
                    .add_filter("All files", &["*"]),
            };
            if let Some(dir) = directory {
                dialog = dialog.set_directory(dir);
            }
            let dialog = dialog.set_title(purpose.title());
            let picked = if purpose.saves() {
                dialog.set_file_name(file_name).save_file()
            } else {
                dialog.pick_file()
            };
            (picked, started.elapsed())
        });
        Self {
            purpose,
            suggested,
            job,
        }
    }

    /// The dialog's answer, once it has one.
    pub fn poll(&self) -> Option<FileDialogResult> {
        // No thread for the dialog: the typed-path fallback, as when no portal answers.
        let Some(job) = &self.job else {
            return Some(FileDialogResult::Unavailable);
        };
        match job.poll() {
            Ok(Some((Some(path), _))) => Some(FileDialogResult::Picked(path)),
            Ok(Some((None, open_for))) if open_for < Duration::from_millis(400) => {
                Some(FileDialogResult::Unavailable)
            }
            Ok(Some((None, _))) | Err(()) => Some(FileDialogResult::Cancelled),
            Ok(None) => None,
        }
    }
}

/// What to do once unsaved changes are dealt with.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Continuation {
    New,
    OpenDialog,
    OpenPath(PathBuf),
    /// Open the backup kept beside this damaged file.
    OpenBackupOf(PathBuf),
    Close,
    Quit,
}

/// A question or message that blocks the rest of the window until answered.
#[derive(Clone, Debug)]
pub enum Modal {
    /// "Add agreement" asks for the name first, so the id is made from it, not a placeholder.
    NewAgreement {
        name: String,
        /// The new row goes after this one (or at the end).
        after: Option<crate::model::AgreementId>,
        take_focus: bool,
    },
    UnsavedChanges {
        then: Continuation,
    },
    /// "New" asks for the project's title and the standard frameworks to map against.
    NewProject {
        title: String,
        /// Each standard framework's name and whether the new project includes it.
        frameworks: Vec<(String, bool)>,
        take_focus: bool,
    },
    Error {
        title: String,
        message: String,
    },
    /// A project file could not be read; `backup` is its `.bak`, when there is one.
    LoadFailed {
        path: PathBuf,
        message: String,
        backup: Option<PathBuf>,
    },
    /// Saving to the file the user chose failed; Save As… is offered.
    SaveFailed {
        path: PathBuf,
        message: String,
        then: Option<Continuation>,
    },
    /// The first edit that records a name waits here until the editor says who they are.
    WhoIsEditing {
        name: String,
        pending: Box<AppEvent>,
        take_focus: bool,
    },
    ConfirmLink {
        url: String,
    },
    ConfirmRemove {
        what: RemoveRequest,
        summary: String,
    },
    ChangedOnDisk {
        then: Option<Continuation>,
    },
    Recovery {
        recovered: Box<Recovered>,
    },
    Preferences {
        author: String,
    },
    TypePath {
        purpose: FilePurpose,
        text: String,
        /// Set when the prompt opens, so typing goes into the field at once.
        take_focus: bool,
    },
    /// What importing a reviewer's verdicts did, and the verdicts it left out.
    ReviewImported {
        summary: String,
        /// One line per group of verdicts not applied, naming the cells.
        not_applied: Vec<String>,
    },
}

/// Something the user asked to remove that holds data.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RemoveRequest {
    Agreement(crate::model::AgreementId),
    Element(crate::model::ElementId),
    Initiative(crate::model::InitiativeId),
}

/// The user's answer to a modal.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ModalAnswer {
    Save,
    Discard,
    Cancel,
    Ok,
    OpenLink,
    Remove,
    SaveCopy,
    Overwrite,
    Restore,
    SavePreferences(String),
    Path(PathBuf),
    OpenBackup,
    SaveAs,
    /// The name given in "Who is editing?".
    SetName(String),
    /// Create the project the New project dialog describes.
    CreateProject,
}

/// The words of a one-field name prompt.
#[derive(Clone, Copy)]
struct NamePrompt {
    label: &'static str,
    id_salt: &'static str,
    hint: &'static str,
    confirm: &'static str,
}

/// A labelled name field with confirm and Cancel; Enter confirms. A blank name, or one holding
/// a character project files refuse, cannot be confirmed.
/// The New project dialog: a title (it goes on charts, the report and the review copy) and
/// which standard frameworks the grid's columns come from.
fn new_project_ui(
    ui: &mut Ui,
    title: &mut String,
    frameworks: &mut [(String, bool)],
    take_focus: &mut bool,
) -> Option<ModalAnswer> {
    ui.heading("New project");
    ui.label("Its title goes on the charts, the HTML report and the review copy.");
    let response = ui
        .horizontal(|ui| {
            let label = ui.label("Title of the new project");
            ui.add(
                egui::TextEdit::singleline(title)
                    .id_salt("new-project-title")
                    .desired_width(f32::INFINITY)
                    .hint_text("e.g. BPF Cybersecurity 2020: agreements and the UNGGE norms"),
            )
            .labelled_by(label.id)
        })
        .inner;
    if std::mem::take(take_focus) {
        response.request_focus();
    }
    ui.add_space(4.0);
    ui.label("Map the agreements against:");
    for (name, included) in frameworks.iter_mut() {
        ui.checkbox(included, name.as_str());
    }
    let forbidden = crate::model::text::first_forbidden_control(title).is_some();
    let any_framework = frameworks.iter().any(|(_, included)| *included);
    let warn = ui.visuals().warn_fg_color;
    if forbidden {
        ui.colored_label(
            warn,
            "The title holds a control character; delete it and type the title again.",
        );
    }
    if !any_framework {
        ui.colored_label(
            warn,
            "Choose at least one framework: its elements are the columns.",
        );
    }
    let ready = !title.trim().is_empty() && !forbidden && any_framework;
    let entered = response.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter));
    ui.add_space(8.0);
    let mut answer = None;
    ui.horizontal(|ui| {
        if (ui.add_enabled(ready, egui::Button::new("Create")).clicked() || entered) && ready {
            answer = Some(ModalAnswer::CreateProject);
        }
        if ui.button("Cancel").clicked() {
            answer = Some(ModalAnswer::Cancel);
        }
    });
    answer
}

fn name_prompt_ui(
    ui: &mut Ui,
    name: &mut String,
    take_focus: &mut bool,
    prompt: NamePrompt,
) -> Option<ModalAnswer> {
    let response = ui
        .horizontal(|ui| {
            let label = ui.label(prompt.label);
            ui.add(
                egui::TextEdit::singleline(name)
                    .id_salt(prompt.id_salt)
                    .hint_text(prompt.hint),
            )
            .labelled_by(label.id)
        })
        .inner;
    if std::mem::take(take_focus) {
        response.request_focus();
    }
    let entered = response.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter));
    let forbidden = crate::model::text::first_forbidden_control(name).is_some();
    if forbidden {
        ui.colored_label(
            ui.visuals().warn_fg_color,
            "The name holds a control character; delete it and type the name again.",
        );
    }
    ui.add_space(8.0);
    let named = !name.trim().is_empty() && !forbidden;
    let mut answer = None;
    ui.horizontal(|ui| {
        if (ui
            .add_enabled(named, egui::Button::new(prompt.confirm))
            .clicked()
            || entered)
            && named
        {
            answer = Some(ModalAnswer::SetName(name.trim().to_owned()));
        }
        if ui.button("Cancel").clicked() {
            answer = Some(ModalAnswer::Cancel);
        }
    });
    answer
}

/// Shows `modal`; returns the answer once the user gives one.
pub fn modal_ui(
    ctx: &egui::Context,
    modal: &mut Modal,
    document_name: &str,
) -> Option<ModalAnswer> {
    let mut answer = None;
    let response = egui::Modal::new(egui::Id::unique("normgrid-modal")).show(ctx, |ui| {
        ui.set_max_width(460.0);
        match modal {
            Modal::UnsavedChanges { then } => {
                ui.heading("Unsaved changes");
                let doing = match then {
                    Continuation::New => "starting a new project",
                    Continuation::OpenDialog
                    | Continuation::OpenPath(_)
                    | Continuation::OpenBackupOf(_) => "opening another project",
                    Continuation::Close => "closing it",
                    Continuation::Quit => "quitting",
                };
                ui.label(format!("{document_name} has changes that are not saved. Save them before {doing}?"));
                ui.add_space(8.0);
                ui.horizontal(|ui| {
                    if ui.button("Save").clicked() {
                        answer = Some(ModalAnswer::Save);
                    }
                    if ui.button("Discard changes").clicked() {
                        answer = Some(ModalAnswer::Discard);
                    }
                    if ui.button("Cancel").clicked() {
                        answer = Some(ModalAnswer::Cancel);
                    }
                });
            }
            Modal::Error { title, message } => {
                ui.heading(title.as_str());
                ui.add(egui::Label::new(RichText::new(message.as_str()).monospace()).wrap());
                ui.label("Your work in normgrid is unchanged.");
                ui.add_space(8.0);
                // Enter acknowledges, as in any message box.
                if ui.button("OK").clicked() || ui.input(|i| i.key_pressed(egui::Key::Enter)) {
                    answer = Some(ModalAnswer::Ok);
                }
            }
            Modal::LoadFailed {
                path,
                message,
                backup,
            } => {
                ui.heading("Could not open the project");
                ui.label(format!(
                    "{} could not be read. normgrid has not changed it.",
                    path.display()
                ));
                egui::ScrollArea::vertical().max_height(240.0).show(ui, |ui| {
                    ui.add(egui::Label::new(RichText::new(message.as_str()).monospace()).wrap());
                });
                // Syntax errors already name the backup; say it once.
                if let Some(backup) = backup
                    && !message.contains(&backup.display().to_string())
                {
                    ui.label(format!(
                        "The previous version is kept as {}.",
                        backup.display()
                    ));
                }
                ui.add_space(8.0);
                ui.horizontal(|ui| {
                    if backup.is_some() && ui.button("Open the backup").clicked() {
                        answer = Some(ModalAnswer::OpenBackup);
                    }
                    if ui.button("OK").clicked() {
                        answer = Some(ModalAnswer::Ok);
                    }
                });
            }
            Modal::SaveFailed { path, message, .. } => {
                ui.heading(format!("Could not save {}", file_name(path)));
                ui.add(egui::Label::new(RichText::new(message.as_str()).monospace()).wrap());
                ui.label("Your work is still open in normgrid.");
                ui.add_space(8.0);
                ui.horizontal(|ui| {
                    if ui.button("Save As…").clicked() {
                        answer = Some(ModalAnswer::SaveAs);
                    }
                    if ui.button("Cancel").clicked() {
                        answer = Some(ModalAnswer::Cancel);
                    }
                });
            }
            Modal::NewProject {
                title,
                frameworks,
                take_focus,
            } => answer = new_project_ui(ui, title, frameworks, take_focus),
            Modal::NewAgreement {
                name, take_focus, ..
            } => {
                ui.heading("Add an agreement");
                ui.label(
                    "Its full name, as the text itself gives it. The id is made from it; the \
                     grid shows the short name, which you can shorten under Agreement details.",
                );
                answer = name_prompt_ui(
                    ui,
                    name,
                    take_focus,
                    NamePrompt {
                        label: "Name of the new agreement",
                        id_salt: "new-agreement-name",
                        hint: "e.g. Paris Call for Trust and Security in Cyberspace",
                        confirm: "Add",
                    },
                );
            }
            Modal::WhoIsEditing {
                name, take_focus, ..
            } => {
                ui.heading("Who is editing?");
                ui.label("normgrid records your name on each cell you change and each note you add, so colleagues can see who did what. It is remembered on this computer (Edit → Preferences… changes it).");
                answer = name_prompt_ui(
                    ui,
                    name,
                    take_focus,
                    NamePrompt {
                        label: "Editor name",
                        id_salt: "who-is-editing",
                        hint: "e.g. Rita Ibarra",
                        confirm: "Continue",
                    },
                );
            }
            Modal::ConfirmLink { url } => {
                ui.heading("Open link?");
                ui.label("This opens your web browser (or mail program) at:");
                ui.add(egui::Label::new(RichText::new(url.as_str()).monospace()).wrap());
                ui.add_space(8.0);
                ui.horizontal(|ui| {
                    if ui.button("Open in browser").clicked() {
                        answer = Some(ModalAnswer::OpenLink);
                    }
                    if ui.button("Cancel").clicked() {
                        answer = Some(ModalAnswer::Cancel);
                    }
                });
            }
            Modal::ConfirmRemove { summary, .. } => {
                ui.heading("Remove?");
                ui.label(summary.as_str());
                ui.label("You can undo this with Edit → Undo.");
                ui.add_space(8.0);
                ui.horizontal(|ui| {
                    if ui.button("Remove").clicked() {
                        answer = Some(ModalAnswer::Remove);
                    }
                    if ui.button("Cancel").clicked() {
                        answer = Some(ModalAnswer::Cancel);
                    }
                });
            }
            Modal::ChangedOnDisk { .. } => {
                ui.heading("File changed on disk");
                ui.label(format!(
                    "{document_name} was changed by someone or something else since you opened it. Saving now would overwrite those changes."
                ));
                ui.add_space(8.0);
                ui.horizontal(|ui| {
                    if ui.button("Save a copy…").clicked() {
                        answer = Some(ModalAnswer::SaveCopy);
                    }
                    if ui.button("Overwrite").clicked() {
                        answer = Some(ModalAnswer::Overwrite);
                    }
                    if ui.button("Cancel").clicked() {
                        answer = Some(ModalAnswer::Cancel);
                    }
                });
            }
            Modal::Recovery { recovered } => {
                ui.heading("Recover unsaved work?");
                let source = recovered
                    .source
                    .as_ref()
                    .map_or_else(|| "an unsaved project".to_owned(), |p| p.display().to_string());
                let when = recovered
                    .written
                    .map(|t| chrono::DateTime::<chrono::Local>::from(t).format(" (saved %Y-%m-%d %H:%M)").to_string())
                    .unwrap_or_default();
                ui.label(format!(
                    "normgrid did not close cleanly last time. A recovery copy of {source} was kept{when}: “{}”.",
                    recovered.project.title
                ));
                ui.add_space(8.0);
                ui.horizontal(|ui| {
                    if ui.button("Restore").clicked() {
                        answer = Some(ModalAnswer::Restore);
                    }
                    if ui.button("Discard recovery copy").clicked() {
                        answer = Some(ModalAnswer::Discard);
                    }
                });
            }
            Modal::Preferences { author } => {
                ui.heading("Preferences");
                ui.horizontal(|ui| {
                    let label = ui.label("Your name");
                    ui.add(egui::TextEdit::singleline(author).id_salt("prefs-author").hint_text("shown on your notes and edits"))
                        .labelled_by(label.id);
                });
                ui.add_space(8.0);
                ui.horizontal(|ui| {
                    if ui.button("Save preferences").clicked() {
                        answer = Some(ModalAnswer::SavePreferences(author.trim().to_owned()));
                    }
                    if ui.button("Cancel").clicked() {
                        answer = Some(ModalAnswer::Cancel);
                    }
                });
            }
            Modal::ReviewImported {
                summary,
                not_applied,
            } => {
                ui.heading("Review imported");
                ui.add(egui::Label::new(summary.as_str()).wrap());
                if !not_applied.is_empty() {
                    ui.add_space(6.0);
                    ui.strong("Not applied; look at these cells and decide with the reviewer:");
                    egui::ScrollArea::vertical().max_height(240.0).show(ui, |ui| {
                        for line in not_applied.iter() {
                            ui.add(egui::Label::new(format!("• {line}")).wrap());
                        }
                    });
                }
                ui.label("Edit → Undo takes the whole import back.");
                ui.add_space(8.0);
                if ui.button("OK").clicked() || ui.input(|i| i.key_pressed(egui::Key::Enter)) {
                    answer = Some(ModalAnswer::Ok);
                }
            }
            Modal::TypePath {
                purpose,
                text,
                take_focus,
            } => {
                ui.heading(purpose.title());
                let label =
                    ui.label("No system file dialog is available here. Type the file's path:");
                let response = ui.add(egui::TextEdit::singleline(text).id_salt("type-path").desired_width(f32::INFINITY)).labelled_by(label.id);
                // Typing goes straight into the field, as it would in a file dialog.
                if std::mem::take(take_focus) {
                    response.request_focus();
                }
                let entered = response.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter));
                ui.add_space(8.0);
                // A system save dialog asks before replacing a file; so does this one.
                let path = PathBuf::from(text.trim());
                let replaces = purpose.saves() && path.is_file();
                if replaces {
                    ui.colored_label(
                        ui.visuals().warn_fg_color,
                        format!("{} already exists. Replace it?", file_name(&path)),
                    );
                }
                ui.horizontal(|ui| {
                    let ok = ui.button(if replaces { "Replace" } else { "OK" }).clicked();
                    // Enter never replaces a file: that takes the Replace button.
                    if (ok || (entered && !replaces)) && !text.trim().is_empty() {
                        answer = Some(ModalAnswer::Path(path));
                    }
                    if ui.button("Cancel").clicked() {
                        answer = Some(ModalAnswer::Cancel);
                    }
                });
            }
        }
    });
    if answer.is_none() && response.should_close() {
        // Escape or a click outside: the safe answer.
        answer = Some(match modal {
            Modal::Error { .. } | Modal::LoadFailed { .. } | Modal::ReviewImported { .. } => {
                ModalAnswer::Ok
            }
            Modal::Recovery { .. } => return None,
            _ => ModalAnswer::Cancel,
        });
    }
    answer
}

fn file_name(path: &std::path::Path) -> String {
    path.file_name().map_or_else(
        || path.display().to_string(),
        |n| n.to_string_lossy().into_owned(),
    )
}

/// Only these schemes may leave the app; a `file:` or `javascript:` link in a shared file never runs.
pub fn is_openable_link(url: &str) -> bool {
    let lower = url.trim().to_ascii_lowercase();
    ["http://", "https://", "mailto:"]
        .iter()
        .any(|scheme| lower.starts_with(scheme))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_web_and_mail_links_open() {
        assert!(is_openable_link("https://www.manrs.org/"));
        assert!(is_openable_link("mailto:info@freeandsecure.online"));
        assert!(!is_openable_link("file:///etc/passwd"));
        assert!(!is_openable_link("javascript:alert(1)"));
        assert!(!is_openable_link("ftp://example.org"));
    }
}
