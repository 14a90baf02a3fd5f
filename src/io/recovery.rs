//! Recovery copies of unsaved work, kept in the app's data directory (never beside the user's
//! file), so a crash loses at most the last half minute of edits.

use super::atomic::write_atomically;
use super::project_file::{
    LoadError, SaveError, parse_project_bytes, project_to_ron, read_project_file,
};
use crate::model::Project;
use std::path::{Path, PathBuf};

/// A recovery copy found at start-up.
#[derive(Clone, Debug)]
pub struct Recovered {
    pub project: Project,
    /// The file the unsaved work belonged to, if it had one.
    pub source: Option<PathBuf>,
    /// When the copy was written, for the restore prompt.
    pub written: Option<std::time::SystemTime>,
}

/// Where recovery copies live.
#[derive(Clone, Debug)]
pub struct RecoveryStore {
    dir: PathBuf,
}

impl RecoveryStore {
    /// Recovery copies in `dir` (created on first write).
    pub fn new(dir: impl Into<PathBuf>) -> Self {
        Self { dir: dir.into() }
    }

    fn project_path(&self) -> PathBuf {
        self.dir.join("recovery.ron")
    }

    fn source_path(&self) -> PathBuf {
        self.dir.join("recovery-source.txt")
    }

    /// Writes a recovery copy of `project`, which belongs to `source` (None when untitled).
    pub fn write(&self, project: &Project, source: Option<&Path>) -> Result<(), SaveError> {
        std::fs::create_dir_all(&self.dir).map_err(|error| SaveError::Serialize {
            path: self.dir.clone(),
            message: error.to_string(),
        })?;
        let text = project_to_ron(project).map_err(|error| SaveError::Serialize {
            path: self.project_path(),
            message: error.to_string(),
        })?;
        let source_text = source
            .map(|p| p.to_string_lossy().into_owned())
            .unwrap_or_default();
        write_atomically(&self.source_path(), source_text.as_bytes(), false)?;
        write_atomically(&self.project_path(), text.as_bytes(), false)?;
        Ok(())
    }

    /// The recovery copy left by a session that did not end cleanly, if any.
    pub fn find(&self) -> Option<Result<Recovered, LoadError>> {
        let path = self.project_path();
        if !path.exists() {
            return None;
        }
        let written = std::fs::metadata(&path).and_then(|m| m.modified()).ok();
        let loaded = read_project_file(&path).and_then(|bytes| parse_project_bytes(&bytes, &path));
        let source = std::fs::read_to_string(self.source_path())
            .ok()
            .filter(|s| !s.trim().is_empty())
            .map(|s| PathBuf::from(s.trim()));
        Some(loaded.map(|loaded| Recovered {
            project: loaded.project,
            source,
            written,
        }))
    }

    /// Removes the recovery copy: the work is saved or deliberately discarded.
    pub fn clear(&self) {
        let _ = std::fs::remove_file(self.project_path());
        let _ = std::fs::remove_file(self.source_path());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn write_find_clear() {
        let dir = tempfile::tempdir().unwrap();
        let store = RecoveryStore::new(dir.path().join("data"));
        assert!(store.find().is_none());
        let project = crate::sample::bpf_2019().unwrap().project;
        store
            .write(&project, Some(Path::new("/work/shared.ron")))
            .unwrap();
        let found = store.find().unwrap().unwrap();
        assert_eq!(found.project, project);
        assert_eq!(found.source.as_deref(), Some(Path::new("/work/shared.ron")));
        store.clear();
        assert!(store.find().is_none());
    }
}
