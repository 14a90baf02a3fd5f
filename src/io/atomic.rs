//! Crash-safe file replacement: at every instant the target holds either the old bytes
//! or the new bytes, never a mix.

use std::fs::{self, File, OpenOptions};
use std::io::Write;
use std::path::{Path, PathBuf};

/// What failed while replacing a file. The original is untouched in every case.
#[derive(Debug, thiserror::Error)]
#[error("{stage} {path}: {source}")]
pub struct AtomicWriteError {
    pub path: PathBuf,
    pub stage: &'static str,
    #[source]
    pub source: std::io::Error,
}

/// Replaces `target` with `bytes`: write a temp file in the same directory, fsync it,
/// keep the previous version as `<name>.bak`, rename the temp file over the target,
/// then fsync the directory so the rename itself survives a power cut.
pub fn write_atomically(
    target: &Path,
    bytes: &[u8],
    keep_backup: bool,
) -> Result<(), AtomicWriteError> {
    let err = |stage: &'static str, path: &Path| {
        let path = path.to_path_buf();
        move |source| AtomicWriteError {
            path,
            stage,
            source,
        }
    };
    let dir = parent_dir(target);
    let file_name = target
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .ok_or_else(|| AtomicWriteError {
            path: target.to_path_buf(),
            stage: "cannot save to",
            source: std::io::Error::new(std::io::ErrorKind::InvalidInput, "not a file path"),
        })?;

    let temp = dir.join(format!(
        ".{file_name}.{}.{:08x}.tmp",
        std::process::id(),
        fastrand::u32(..)
    ));
    let written = (|| {
        let mut file = OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&temp)
            .map_err(err("could not create temporary file", &temp))?;
        file.write_all(bytes)
            .map_err(err("could not write", &temp))?;
        file.sync_all()
            .map_err(err("could not flush to disk", &temp))?;
        Ok(())
    })();
    if let Err(error) = written {
        let _ = fs::remove_file(&temp);
        return Err(error);
    }

    if keep_backup && target.exists() {
        let backup = backup_path(target);
        if let Err(error) = make_backup(target, &backup, &dir, &file_name) {
            let _ = fs::remove_file(&temp);
            return Err(err("could not keep backup", &backup)(error));
        }
    }

    if let Err(error) = fs::rename(&temp, target) {
        let _ = fs::remove_file(&temp);
        return Err(err("could not replace", target)(error));
    }
    sync_dir(&dir).map_err(err("could not flush directory", &dir))?;
    Ok(())
}

/// `<name>.bak` beside the file.
pub fn backup_path(target: &Path) -> PathBuf {
    let mut name = target.file_name().unwrap_or_default().to_os_string();
    name.push(".bak");
    target.with_file_name(name)
}

/// The backup is swapped in with a rename too, so a crash never leaves a half-written `.bak`.
fn make_backup(target: &Path, backup: &Path, dir: &Path, file_name: &str) -> std::io::Result<()> {
    let staged = dir.join(format!(
        ".{file_name}.{}.{:08x}.bak.tmp",
        std::process::id(),
        fastrand::u32(..)
    ));
    // A hard link costs nothing and shares the old bytes; copy where links are not supported.
    if fs::hard_link(target, &staged).is_err() {
        fs::copy(target, &staged)?;
        File::open(&staged)?.sync_all()?;
    }
    if let Err(error) = fs::rename(&staged, backup) {
        let _ = fs::remove_file(&staged);
        return Err(error);
    }
    Ok(())
}

fn parent_dir(target: &Path) -> PathBuf {
    match target.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    }
}

#[cfg(unix)]
fn sync_dir(dir: &Path) -> std::io::Result<()> {
    File::open(dir)?.sync_all()
}

#[cfg(not(unix))]
fn sync_dir(_dir: &Path) -> std::io::Result<()> {
    // Windows cannot open a directory as a file; its rename is already journaled by NTFS.
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn replaces_content_and_keeps_backup() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("p.ron");
        write_atomically(&target, b"one", true).unwrap();
        assert!(!backup_path(&target).exists());
        write_atomically(&target, b"two", true).unwrap();
        assert_eq!(fs::read(&target).unwrap(), b"two");
        assert_eq!(fs::read(backup_path(&target)).unwrap(), b"one");
        let leftovers: Vec<_> = fs::read_dir(dir.path())
            .unwrap()
            .filter_map(|e| e.ok())
            .filter(|e| e.file_name().to_string_lossy().ends_with(".tmp"))
            .collect();
        assert!(leftovers.is_empty());
    }

    #[test]
    fn failed_save_leaves_original_untouched() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("p.ron");
        fs::write(&target, b"original").unwrap();
        // The target's name is taken by a directory in a missing parent: creation fails.
        let impossible = dir.path().join("missing").join("p.ron");
        let error = write_atomically(&impossible, b"new", true).unwrap_err();
        assert!(error.to_string().contains("missing"), "{error}");
        assert_eq!(fs::read(&target).unwrap(), b"original");
    }
}
