//! The messages panels send to the app, and the values they carry. This sits below every
//! panel and the app, so panels depend on it and never on the app itself.

use super::actions::Action;
use crate::commands::TypingKey;
use crate::export::element_report::ElementFormat;
use crate::model::{
    Agreement, AgreementId, Assessment, Cell, Element, ElementId, FrameworkId, Initiative,
    InitiativeId, NoteId, NoteTarget, ReviewStatus, Source, SourceId, ViewId,
};
use crate::sources::evidence::Drift;
use std::path::PathBuf;

/// Everything that can happen to the app: menu actions, dialog results, and panel requests.
/// Tests send these too, e.g. [`AppEvent::OpenPath`] stands in for the file dialog's answer.
#[derive(Clone, Debug)]
pub enum AppEvent {
    Action(Action),
    /// A grid key's action; `extend` (Shift) grows the block from its anchor instead of moving.
    GridKey {
        action: Action,
        extend: bool,
    },
    /// Open this file (the Open dialog's answer, or a recent file).
    OpenPath(PathBuf),
    /// Save to this file (the Save As dialog's answer).
    SaveAsPath(PathBuf),
    EditCell {
        agreement: AgreementId,
        element: ElementId,
        cell: Cell,
        /// Field being typed into; consecutive edits of it make one undo step.
        typing: Option<TypingKey>,
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
        typing: Option<TypingKey>,
    },
    UpdateElement {
        element: Element,
        typing: Option<TypingKey>,
    },
    UpdateInitiative {
        initiative: Box<Initiative>,
        typing: Option<TypingKey>,
    },
    /// The Project window's fields; consecutive edits of one field make one undo step.
    SetProjectInfo {
        title: String,
        description: String,
        as_of: chrono::NaiveDate,
        typing: TypingKey,
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
    /// Apply the verdicts in this review file (the Import review dialog's answer): one undo step.
    ImportReviewPath(PathBuf),
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
    /// Read this file's text, then ask how to attach it (the Attach dialog's answer, or a drop).
    AttachSourcePath(PathBuf),
    /// Add this source (the Attach window's answer): one undo step.
    AttachSource(Box<Source>, PathBuf),
    /// A source file could not be read or planned; nothing changed.
    SourceFileFailed {
        title: String,
        message: String,
    },
    /// Ask for the new version of this source.
    ReplaceSource(SourceId),
    /// The new version of the source being replaced (the dialog's answer).
    ReplaceSourcePath(PathBuf),
    /// Apply the Replace window's plan: one undo step.
    ApplyReplacement,
    /// Take the new source's wording for this changed quote: one undo step.
    TakeNewWording(Box<Drift>),
    /// Remove a source no quote uses.
    RemoveSource(SourceId),
    /// Give a source a new title.
    RenameSource {
        id: SourceId,
        title: String,
    },
    /// Show the Element across agreements tab for this element.
    ShowElementAcross(ElementId),
    /// Export the Element tab's element in this format (asks where first).
    ExportElement(ElementFormat),
    /// Export the Element tab's element here (the Save dialog's answer).
    ExportElementPath(ElementFormat, PathBuf),
}

/// What a file dialog is for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FilePurpose {
    Open,
    SaveAs,
    ExportChart,
    /// Another version to compare the open project with.
    CompareWith,
    /// A colleague's copy to merge into the open project.
    MergeTheirs,
    /// The version both copies started from.
    MergeBase,
    /// Another coder's independent assessment of the same agreements.
    AddCoder,
    /// Where to save the Compare tab's changes as CSV.
    ExportChanges,
    /// Where to export the whole project (File → Export).
    ExportProject(ExportFormat),
    /// An agreement's text (PDF, DOCX, HTML, TXT, Markdown) to attach as a source.
    AttachSource,
    /// The new version of a source.
    ReplaceSource,
    /// Where to export one element across agreements.
    ExportElement(ElementFormat),
    /// A reviewer's review file (.json) to apply.
    ImportReview,
}

/// The formats File → Export writes the project in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ExportFormat {
    /// One row per agreement and element.
    CsvLong,
    /// One row per agreement, one column per element.
    CsvWide,
    /// One row per evidence excerpt.
    CsvEvidence,
    Xlsx,
    /// The single-file HTML report.
    Html,
    /// The interactive HTML review copy that saves reviewers' verdicts.
    ReviewCopy,
    /// A REFI-QDA project for qualitative-analysis tools.
    Qdpx,
}

impl ExportFormat {
    /// The file name extension, without the dot.
    pub fn extension(self) -> &'static str {
        match self {
            Self::CsvLong | Self::CsvWide | Self::CsvEvidence => "csv",
            Self::Xlsx => "xlsx",
            Self::Html | Self::ReviewCopy => "html",
            Self::Qdpx => "qdpx",
        }
    }

    /// What the format is called in dialogs and messages.
    pub fn name(self) -> &'static str {
        match self {
            Self::CsvLong => "CSV (long)",
            Self::CsvWide => "CSV (wide)",
            Self::CsvEvidence => "CSV (one row per quote)",
            Self::Xlsx => "Excel workbook",
            Self::Html => "HTML report",
            Self::ReviewCopy => "Review copy (HTML)",
            Self::Qdpx => "REFI-QDA project",
        }
    }
}

impl FilePurpose {
    /// The dialog's title.
    pub fn title(self) -> &'static str {
        match self {
            Self::Open => "Open project",
            Self::SaveAs => "Save project as",
            Self::ExportChart => "Export chart (.png or .svg)",
            Self::CompareWith => "Compare with project",
            Self::MergeTheirs => "Merge a colleague's copy",
            Self::MergeBase => "Common base of the merge",
            Self::AddCoder => "Add another coder's file",
            Self::ExportChanges => "Save the changes as CSV",
            Self::ExportProject(ExportFormat::CsvLong) => "Export the project as CSV (long)",
            Self::ExportProject(ExportFormat::CsvWide) => "Export the project as CSV (wide)",
            Self::ExportProject(ExportFormat::CsvEvidence) => "Export the quotes as CSV",
            Self::ExportProject(ExportFormat::Xlsx) => "Export the project as an Excel workbook",
            Self::ExportProject(ExportFormat::Html) => "Export the project as an HTML report",
            Self::ExportProject(ExportFormat::ReviewCopy) => {
                "Export a review copy for reviewers' browsers"
            }
            Self::ExportProject(ExportFormat::Qdpx) => {
                "Export the project for QDA tools (REFI-QDA)"
            }
            Self::AttachSource => "Attach a source (PDF, DOCX, HTML, TXT, Markdown)",
            Self::ReplaceSource => "The new version of the source",
            Self::ExportElement(ElementFormat::Csv) => "Export the element as CSV",
            Self::ExportElement(ElementFormat::Html) => "Export the element as an HTML page",
            Self::ImportReview => "Import a reviewer's review file (.json)",
        }
    }

    /// True for dialogs that write a file rather than pick one.
    pub fn saves(self) -> bool {
        matches!(
            self,
            Self::SaveAs
                | Self::ExportChart
                | Self::ExportChanges
                | Self::ExportProject(_)
                | Self::ExportElement(_)
        )
    }
}

/// Something asked of the Views menu or its name prompt.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ViewsEvent {
    /// Show the grid the way this saved view does.
    Apply(ViewId),
    /// Ask for a name, then save the current view under it.
    AskNameForNew,
    /// Ask for a new name for this view.
    AskNewName(ViewId),
    /// Save the current view under this name.
    SaveAs(String),
    /// Replace this view's filters, sort and frameworks with the current ones.
    Update(ViewId),
    Rename {
        id: ViewId,
        name: String,
    },
    Delete(ViewId),
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    /// Panels sit below the app and talk to it only through these events: none imports it.
    #[test]
    fn no_panel_imports_the_app() {
        let ui = Path::new(env!("CARGO_MANIFEST_DIR")).join("src/ui");
        let Ok(entries) = std::fs::read_dir(&ui) else {
            panic!("cannot list {}", ui.display());
        };
        let mut panels = 0;
        for entry in entries.flatten() {
            let path = entry.path();
            let is_panel = path.extension().is_some_and(|e| e == "rs")
                && path.file_name().is_some_and(|n| n != "mod.rs");
            if !is_panel {
                continue;
            }
            let Ok(text) = std::fs::read_to_string(&path) else {
                panic!("cannot read {}", path.display());
            };
            panels += 1;
            let imports = text
                .lines()
                .map(str::trim_start)
                .filter(|line| line.starts_with("use ") || line.starts_with("pub use "));
            for line in imports {
                assert!(
                    !line.contains("super::app") && !line.contains("ui::app"),
                    "{} imports the app (`{line}`): send an AppEvent instead",
                    path.display()
                );
            }
        }
        assert!(
            panels > 10,
            "only {panels} panel files found in {}",
            ui.display()
        );
    }
}
