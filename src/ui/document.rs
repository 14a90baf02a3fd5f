//! The open document: project, undo history, and where it lives on disk. No egui here.

use crate::commands::{Command, CommandError, History, TypingKey};
use crate::io::{self, LoadError, SaveError};
use crate::model::{Problem, Project};
use std::path::{Path, PathBuf};

/// A project being edited. Its project and history are sealed: every change goes through
/// [`Document::apply`], [`Document::apply_coalescing`], [`Document::undo`] or [`Document::redo`].
pub struct Document {
    project: Project,
    history: History,
    /// Where Save writes; `None` for a new project or the built-in sample.
    path: Option<PathBuf>,
    /// What problems loading found (orphans and the like).
    problems: Vec<Problem>,
    /// Fingerprint of the file as we last read or wrote it.
    disk_hash: Option<u64>,
    /// Distinguishes documents, so caches keyed on history state are not confused.
    generation: u64,
}

static NEXT_GENERATION: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(1);

fn next_generation() -> u64 {
    NEXT_GENERATION.fetch_add(1, std::sync::atomic::Ordering::Relaxed)
}

impl Document {
    /// A document over an in-memory project with no file behind it.
    pub fn unsaved(project: Project) -> Self {
        Self {
            project,
            history: History::default(),
            path: None,
            problems: Vec::new(),
            disk_hash: None,
            generation: next_generation(),
        }
    }

    /// The built-in BPF 2019 sample.
    pub fn sample() -> Result<Self, LoadError> {
        let loaded = crate::sample::bpf_2019()?;
        let mut doc = Self::unsaved(loaded.project);
        doc.problems = loaded.problems;
        Ok(doc)
    }

    /// A new, empty project with the standard frameworks.
    pub fn new_project(today: chrono::NaiveDate) -> Self {
        Self::unsaved(Project::new("Untitled mapping", today))
    }

    /// Opens a project file.
    pub fn open(path: &Path) -> Result<Self, LoadError> {
        let bytes = io::read_project_file(path)?;
        let loaded = io::parse_project_bytes(&bytes, path)?;
        Ok(Self {
            project: loaded.project,
            history: History::default(),
            path: Some(path.to_path_buf()),
            problems: loaded.problems,
            disk_hash: Some(io::content_hash(&bytes)),
            generation: next_generation(),
        })
    }

    /// Recovered work: `project` as it was, for the file `source` it came from (if any). It
    /// counts as unsaved, since no file holds it.
    pub fn recovered(project: Project, source: Option<PathBuf>) -> Self {
        let mut doc = Self::unsaved(project);
        doc.path = source;
        doc.history.mark_unsaved();
        doc
    }

    /// Detaches the document from its file, so only Save As writes it (a backup opened in
    /// place of a damaged file); its content counts as unsaved.
    pub fn detach_from_file(&mut self) {
        self.path = None;
        self.history.mark_unsaved();
    }

    /// The project being edited (read-only: edits are [`Command`]s).
    pub fn project(&self) -> &Project {
        &self.project
    }

    /// The undo history (read-only: [`Document::undo`] and [`Document::redo`] move in it).
    pub fn history(&self) -> &History {
        &self.history
    }

    /// The file Save writes to; `None` for a new project or the built-in sample.
    pub fn path(&self) -> Option<&Path> {
        self.path.as_deref()
    }

    /// What problems loading found (orphans and the like).
    pub fn problems(&self) -> &[Problem] {
        &self.problems
    }

    /// File name for the title bar and dialogs.
    pub fn display_name(&self) -> String {
        match &self.path {
            Some(path) => path.file_name().map_or_else(
                || path.display().to_string(),
                |n| n.to_string_lossy().into_owned(),
            ),
            None if self.project.title.is_empty() => "Untitled".to_owned(),
            None => format!("{} (not saved)", self.project.title),
        }
    }

    /// True when there are edits not yet written to a file.
    pub fn has_unsaved_changes(&self) -> bool {
        self.history.has_unsaved_changes()
    }

    /// True when the file at `path` is no longer what we last read or wrote there.
    pub fn changed_on_disk(&self) -> bool {
        let Some(path) = &self.path else {
            return false;
        };
        match (std::fs::read(path), self.disk_hash) {
            (Ok(bytes), Some(hash)) => io::content_hash(&bytes) != hash,
            (Ok(_), None) => true,
            // Gone or unreadable: writing recreates it, which is what the user asked for.
            (Err(_), _) => false,
        }
    }

    /// Saves to `path` (atomically, keeping a .bak) and makes it the document's file.
    pub fn save_to(&mut self, path: &Path) -> Result<(), SaveError> {
        let text = io::save_project(path, &self.project)?;
        self.disk_hash = Some(io::content_hash(text.as_bytes()));
        self.path = Some(path.to_path_buf());
        self.history.mark_saved();
        self.history.break_coalescing();
        Ok(())
    }

    /// Applies an edit as one undo step.
    pub fn apply(&mut self, command: Command) -> Result<(), CommandError> {
        self.history.apply(&mut self.project, command)
    }

    /// Applies an edit that merges with the previous one of the same `key` (typing).
    pub fn apply_coalescing(
        &mut self,
        command: Command,
        key: TypingKey,
    ) -> Result<(), CommandError> {
        self.history
            .apply_coalescing(&mut self.project, command, key)
    }

    /// Undoes the last edit; returns its label, or `None` when there is nothing to undo.
    pub fn undo(&mut self) -> Result<Option<String>, CommandError> {
        self.history.break_coalescing();
        self.history.undo(&mut self.project)
    }

    /// Redoes the last undone edit; returns its label, or `None` when there is nothing to redo.
    pub fn redo(&mut self) -> Result<Option<String>, CommandError> {
        self.history.redo(&mut self.project)
    }

    /// Drops what Redo would reapply (Review mode starts a new line of work).
    pub fn forget_redo(&mut self) {
        self.history.forget_redo();
    }

    /// The user chose to discard the unsaved edits: nothing asks about them again.
    pub fn discard_unsaved_marker(&mut self) {
        self.history.mark_saved();
    }

    /// Identifies the current content, for caches.
    pub fn revision(&self) -> (u64, u64) {
        (self.generation, self.history.state())
    }
}

/// Another project file opened for reference (a colleague's copy, an older version, another
/// coder's work). It is read, never edited or saved.
#[derive(Clone, Debug)]
pub struct OtherFile {
    pub path: PathBuf,
    pub project: Project,
}

impl OtherFile {
    /// Reads and validates a project file.
    pub fn open(path: &Path) -> Result<Self, LoadError> {
        Ok(Self {
            path: path.to_path_buf(),
            project: io::load_project(path)?.project,
        })
    }

    /// The file's name, for headings.
    pub fn name(&self) -> String {
        self.path.file_name().map_or_else(
            || self.path.display().to_string(),
            |n| n.to_string_lossy().into_owned(),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::commands::CellField;
    use crate::model::{AgreementId, ElementId};

    /// The sample's first agreement and element, with the cell's note set to `note`.
    fn note_edit(doc: &Document, column: usize, note: &str) -> (Command, TypingKey) {
        let project = doc.project();
        let agreement = project.agreements[0].id.clone();
        let element: ElementId = project.frameworks[0].elements[column].id.clone();
        let mut cell = project.cell(&agreement, &element);
        cell.note = note.to_owned();
        let key = TypingKey::Cell(agreement.clone(), element.clone(), CellField::Note);
        let command = Command::SetCell {
            agreement,
            element,
            cell,
        };
        (command, key)
    }

    fn note(doc: &Document, column: usize) -> String {
        let project = doc.project();
        let agreement: &AgreementId = &project.agreements[0].id;
        let element = &project.frameworks[0].elements[column].id;
        project.cell(agreement, element).note
    }

    #[test]
    fn typing_into_one_field_is_one_undo_step_and_another_field_starts_a_new_one() {
        let Ok(mut doc) = Document::sample() else {
            panic!("the built-in sample must load");
        };
        let before = note(&doc, 0);
        for text in ["a", "ab", "abc"] {
            let (command, key) = note_edit(&doc, 0, text);
            assert!(doc.apply_coalescing(command, key).is_ok());
        }
        assert_eq!(doc.history().undo_depth(), 1, "one field, one step");
        let (command, key) = note_edit(&doc, 1, "x");
        assert!(doc.apply_coalescing(command, key).is_ok());
        assert_eq!(
            doc.history().undo_depth(),
            2,
            "another cell's note is its own step"
        );

        assert!(matches!(doc.undo(), Ok(Some(_))));
        assert!(matches!(doc.undo(), Ok(Some(_))));
        assert_eq!(note(&doc, 0), before);
        assert!(matches!(doc.redo(), Ok(Some(_))));
        assert_eq!(note(&doc, 0), "abc");
        // After an undo, typing the same field again starts a new step instead of merging.
        let (command, key) = note_edit(&doc, 0, "abcd");
        assert!(doc.apply_coalescing(command, key).is_ok());
        assert_eq!(doc.history().undo_depth(), 2);
        assert!(doc.has_unsaved_changes());
    }
}
