//! The open document: project, undo history, and where it lives on disk. No egui here.

use crate::commands::{Command, CommandError, History};
use crate::io::{self, LoadError, SaveError};
use crate::model::{Problem, Project};
use std::path::{Path, PathBuf};

/// A project being edited.
pub struct Document {
    pub project: Project,
    pub history: History,
    /// Where Save writes; `None` for a new project or the built-in sample.
    pub path: Option<PathBuf>,
    /// What problems loading found (orphans and the like).
    pub problems: Vec<Problem>,
    /// Fingerprint of the file as we last read or wrote it.
    disk_hash: Option<u64>,
    /// Distinguishes documents, so caches keyed on history state are not confused.
    pub generation: u64,
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
    pub fn apply_typing(&mut self, command: Command, key: &str) -> Result<(), CommandError> {
        self.history
            .apply_coalescing(&mut self.project, command, key)
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
