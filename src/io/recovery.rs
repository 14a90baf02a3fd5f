//! Recovery copies of unsaved work, kept in the app's data directory (never beside the user's
//! file), so a crash loses at most the last half minute of edits.
//!
//! Each document has its own copy: a file's copy is named after a hash of its canonical path,
//! untitled work after the window that holds it. A window holds an OS lock on its copy while it
//! lives, so another window never offers or clears it; a crash releases the lock, and the copy
//! becomes a leftover that the next start offers.

use super::atomic::write_atomically;
use super::project_file::{
    LoadError, SaveError, parse_project_bytes, project_to_ron, read_project_file,
};
use crate::model::Project;
use std::fs::{File, OpenOptions};
use std::path::{Path, PathBuf};

const COPY_SUFFIX: &str = ".recovery.ron";
const SOURCE_SUFFIX: &str = ".recovery-source.txt";
const LOCK_SUFFIX: &str = ".recovery.lock";

/// A recovery copy found at start-up.
#[derive(Clone, Debug)]
pub struct Recovered {
    pub project: Project,
    /// The file the unsaved work belonged to, if it had one.
    pub source: Option<PathBuf>,
    /// When the copy was written, for the restore prompt.
    pub written: Option<std::time::SystemTime>,
    /// Which copy this is, so the window that restores it can take it over.
    pub key: String,
}

/// One document's recovery copy in a directory of them.
#[derive(Debug)]
pub struct RecoveryStore {
    dir: PathBuf,
    key: String,
    /// Held while this window owns the copy; the OS drops it if the process dies.
    lock: Option<File>,
}

impl RecoveryStore {
    /// The recovery copy for `document` (a file), or a fresh one for this window's untitled work.
    pub fn for_document(dir: impl Into<PathBuf>, document: Option<&Path>) -> Self {
        let key = match document {
            Some(path) => file_key(path),
            None => untitled_key(),
        };
        Self::with_key(dir, key)
    }

    /// Takes over the copy named `key`, e.g. after restoring it.
    pub fn with_key(dir: impl Into<PathBuf>, key: String) -> Self {
        Self {
            dir: dir.into(),
            key,
            lock: None,
        }
    }

    /// The name this store's files start with.
    pub fn key(&self) -> &str {
        &self.key
    }

    fn copy_path(&self, key: &str) -> PathBuf {
        self.dir.join(format!("{key}{COPY_SUFFIX}"))
    }

    fn source_path(&self, key: &str) -> PathBuf {
        self.dir.join(format!("{key}{SOURCE_SUFFIX}"))
    }

    fn lock_path(&self, key: &str) -> PathBuf {
        self.dir.join(format!("{key}{LOCK_SUFFIX}"))
    }

    /// Takes the lock on this store's copy if it is free; false when another window holds it.
    fn claim(&mut self) -> bool {
        if self.lock.is_some() {
            return true;
        }
        match try_lock(&self.lock_path(&self.key)) {
            Some(file) => {
                self.lock = Some(file);
                true
            }
            None => false,
        }
    }

    /// Writes a recovery copy of `project`, which belongs to `source` (None when untitled).
    pub fn write(&mut self, project: &Project, source: Option<&Path>) -> Result<(), SaveError> {
        std::fs::create_dir_all(&self.dir).map_err(|error| SaveError::Serialize {
            path: self.dir.clone(),
            message: error.to_string(),
        })?;
        if !self.claim() {
            // The same file is open in another window that owns this name: use our own.
            self.key = format!("{}-{}", self.key, untitled_key());
            self.claim();
        }
        let text = project_to_ron(project).map_err(|error| SaveError::Serialize {
            path: self.copy_path(&self.key),
            message: error.to_string(),
        })?;
        let source_text = source
            .map(|p| p.to_string_lossy().into_owned())
            .unwrap_or_default();
        write_atomically(&self.source_path(&self.key), source_text.as_bytes(), false)?;
        write_atomically(&self.copy_path(&self.key), text.as_bytes(), false)?;
        Ok(())
    }

    /// A copy of this document left by a window that did not close cleanly, if any. Copies that
    /// a live window holds are never returned. The store takes over the copy it returns.
    pub fn find(&mut self) -> Option<Result<Recovered, LoadError>> {
        let prefix = self.key.clone();
        let found = leftover_keys(&self.dir)
            .into_iter()
            .find(|key| key == &prefix || key.starts_with(&format!("{prefix}-")))?;
        self.take_over(found)
    }

    /// The newest copy in the directory that no live window holds (untitled work or any file's).
    pub fn find_any(&mut self) -> Option<Result<Recovered, LoadError>> {
        let found = leftover_keys(&self.dir).into_iter().next()?;
        self.take_over(found)
    }

    fn take_over(&mut self, key: String) -> Option<Result<Recovered, LoadError>> {
        let lock = try_lock(&self.lock_path(&key))?;
        self.release();
        self.key = key;
        self.lock = Some(lock);
        Some(self.read(&self.key))
    }

    fn read(&self, key: &str) -> Result<Recovered, LoadError> {
        let path = self.copy_path(key);
        let written = std::fs::metadata(&path).and_then(|m| m.modified()).ok();
        let loaded = read_project_file(&path).and_then(|bytes| parse_project_bytes(&bytes, &path));
        let source = std::fs::read_to_string(self.source_path(key))
            .ok()
            .filter(|s| !s.trim().is_empty())
            .map(|s| PathBuf::from(s.trim()));
        loaded.map(|loaded| Recovered {
            project: loaded.project,
            source,
            written,
            key: key.to_owned(),
        })
    }

    /// Removes this document's copy: the work is saved or deliberately discarded. Other
    /// documents' copies stay.
    pub fn clear(&mut self) {
        if self.lock.is_none() && !self.claim() {
            return; // another window's live copy
        }
        let _ = std::fs::remove_file(self.copy_path(&self.key));
        let _ = std::fs::remove_file(self.source_path(&self.key));
        self.release();
    }

    fn release(&mut self) {
        if self.lock.take().is_some() {
            let _ = std::fs::remove_file(self.lock_path(&self.key));
        }
    }
}

/// The lock on `path`, if no other window holds it.
fn try_lock(path: &Path) -> Option<File> {
    let file = OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(path)
        .ok()?;
    file.try_lock().ok()?;
    Some(file)
}

/// Keys of the copies in `dir` that no live window holds, newest first.
fn leftover_keys(dir: &Path) -> Vec<String> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut found: Vec<(std::time::SystemTime, String)> = entries
        .filter_map(Result::ok)
        .filter_map(|entry| {
            let name = entry.file_name().to_string_lossy().into_owned();
            let key = name.strip_suffix(COPY_SUFFIX)?.to_owned();
            let modified = entry.metadata().and_then(|m| m.modified()).ok()?;
            Some((modified, key))
        })
        .filter(|(_, key)| is_free(&dir.join(format!("{key}{LOCK_SUFFIX}"))))
        .collect();
    found.sort_by_key(|(modified, _)| std::cmp::Reverse(*modified));
    found.into_iter().map(|(_, key)| key).collect()
}

/// True when no window holds the lock at `path` (the lock is released again at once).
fn is_free(path: &Path) -> bool {
    match OpenOptions::new().write(true).open(path) {
        Ok(file) => file.try_lock().is_ok(),
        Err(_) => true, // never locked
    }
}

/// A file's copy is named after its canonical path, so two names for one file share a copy.
fn file_key(path: &Path) -> String {
    let canonical = std::fs::canonicalize(path)
        .or_else(|_| std::path::absolute(path))
        .unwrap_or_else(|_| path.to_path_buf());
    format!(
        "file-{:016x}",
        fnv1a(canonical.to_string_lossy().as_bytes())
    )
}

/// Untitled work belongs to one window: its process and a random part.
fn untitled_key() -> String {
    format!("untitled-{}-{:08x}", std::process::id(), fastrand::u32(..))
}

/// FNV-1a: a hash that stays the same across Rust versions, as file names must.
fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |hash, byte| {
        (hash ^ u64::from(*byte)).wrapping_mul(0x0000_0100_0000_01b3)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> Project {
        crate::sample::bpf_2019().unwrap().project
    }

    #[test]
    fn write_find_clear() {
        let dir = tempfile::tempdir().unwrap();
        let data = dir.path().join("data");
        let shared = dir.path().join("shared.ron");
        let mut store = RecoveryStore::for_document(&data, Some(&shared));
        assert!(store.find().is_none());
        let project = sample();
        store.write(&project, Some(&shared)).unwrap();
        drop(store); // the crash

        let mut next = RecoveryStore::for_document(&data, Some(&shared));
        let found = next.find().unwrap().unwrap();
        assert_eq!(found.project, project);
        assert_eq!(found.source.as_deref(), Some(shared.as_path()));
        next.clear();
        let mut after = RecoveryStore::for_document(&data, Some(&shared));
        assert!(after.find().is_none());
    }

    #[test]
    fn two_documents_do_not_see_each_others_copies() {
        let dir = tempfile::tempdir().unwrap();
        let (a, b) = (dir.path().join("a.ron"), dir.path().join("b.ron"));
        let mut project_a = sample();
        project_a.title = "A".to_owned();
        let mut project_b = sample();
        project_b.title = "B".to_owned();
        let mut store_a = RecoveryStore::for_document(dir.path(), Some(&a));
        let mut store_b = RecoveryStore::for_document(dir.path(), Some(&b));
        store_a.write(&project_a, Some(&a)).unwrap();
        store_b.write(&project_b, Some(&b)).unwrap();
        drop((store_a, store_b));

        let mut found_a = RecoveryStore::for_document(dir.path(), Some(&a));
        assert_eq!(found_a.find().unwrap().unwrap().project.title, "A");
        found_a.clear();
        let mut found_b = RecoveryStore::for_document(dir.path(), Some(&b));
        assert_eq!(
            found_b.find().unwrap().unwrap().project.title,
            "B",
            "clearing A's copy left B's"
        );
    }

    #[test]
    fn a_live_windows_copy_is_neither_offered_nor_cleared_by_another() {
        let dir = tempfile::tempdir().unwrap();
        let mut live = RecoveryStore::for_document(dir.path(), None);
        let mut project = sample();
        project.title = "Live work".to_owned();
        live.write(&project, None).unwrap();

        // Another window starting now: nothing to offer, whatever it asks for.
        let mut other = RecoveryStore::for_document(dir.path(), None);
        assert!(other.find_any().is_none());
        assert!(other.find().is_none());
        let mut same_key = RecoveryStore::with_key(dir.path(), live.key().to_owned());
        same_key.clear();
        assert!(
            dir.path()
                .join(format!("{}{COPY_SUFFIX}", live.key()))
                .exists(),
            "another window cannot clear a live copy"
        );

        drop(live); // the crash
        let found = other.find_any().unwrap().unwrap();
        assert_eq!(found.project.title, "Live work");
    }

    #[test]
    fn the_same_file_in_two_windows_keeps_two_copies() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("shared.ron");
        let mut first = RecoveryStore::for_document(dir.path(), Some(&file));
        let mut second = RecoveryStore::for_document(dir.path(), Some(&file));
        let mut project = sample();
        project.title = "first".to_owned();
        first.write(&project, Some(&file)).unwrap();
        project.title = "second".to_owned();
        second.write(&project, Some(&file)).unwrap();
        assert_ne!(first.key(), second.key());
        second.clear();
        drop(first);
        let mut next = RecoveryStore::for_document(dir.path(), Some(&file));
        assert_eq!(next.find().unwrap().unwrap().project.title, "first");
    }
}
