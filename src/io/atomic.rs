//! Crash-safe file replacement: at every instant the target holds either the old bytes
//! or the new bytes, never a mix.
//!
//! Saving keeps the file what it was: a symlink stays a link (its target is replaced), the
//! permission bits and owner are carried over, a read-only file is refused, and temporary files
//! left by a save that was killed are cleaned up.

use std::fs::{self, File, OpenOptions};
use std::io::{ErrorKind, Write};
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

/// A temporary file older than this belongs to a save that will never finish.
const STALE_TEMP_AGE: Duration = Duration::from_secs(10 * 60);
/// More links than this in a chain is a loop (Linux stops at 40 too).
const MAX_SYMLINK_HOPS: usize = 40;

/// Why a file could not be replaced. The file on disk is unchanged in every case.
///
/// Each message names the file the user chose (never a temporary file) and says what to do.
#[derive(Debug, thiserror::Error)]
pub enum AtomicWriteError {
    /// The file has no write permission for its owner.
    #[error(
        "{path} is read-only, so normgrid did not change it. Save under another name (Save As), \
         or make it writable (chmod u+w {path}) and save again."
    )]
    ReadOnly {
        /// The file the user chose.
        path: PathBuf,
    },
    /// The file name is missing or the symlink chain cannot be followed.
    #[error("could not save {path}: {reason}. Choose another file name (Save As).")]
    BadTarget { path: PathBuf, reason: String },
    /// The operating system refused a step of the save.
    #[error("could not save {path}: {stage}: {source}. {advice}")]
    Io {
        path: PathBuf,
        stage: &'static str,
        advice: String,
        #[source]
        source: std::io::Error,
    },
}

impl AtomicWriteError {
    /// The file the user asked to write.
    pub fn path(&self) -> &Path {
        match self {
            Self::ReadOnly { path } | Self::BadTarget { path, .. } | Self::Io { path, .. } => path,
        }
    }

    fn io(path: &Path, folder: &Path, stage: &'static str, source: std::io::Error) -> Self {
        Self::Io {
            path: path.to_path_buf(),
            stage,
            advice: advice_for(&source, folder),
            source,
        }
    }
}

/// Plain-language next step for an I/O failure while saving into `folder`.
fn advice_for(error: &std::io::Error, folder: &Path) -> String {
    let folder = folder.display();
    match error.kind() {
        ErrorKind::PermissionDenied => format!(
            "normgrid may not create files in the folder {folder}: save somewhere else \
             (Save As), or ask for write access to the folder. The file is unchanged."
        ),
        ErrorKind::NotFound => format!(
            "The folder {folder} does not exist (any more): choose another place (Save As)."
        ),
        ErrorKind::StorageFull | ErrorKind::QuotaExceeded => {
            "The disk is full: free some space and save again. The file is unchanged.".to_owned()
        }
        ErrorKind::ReadOnlyFilesystem => {
            format!("The folder {folder} is on a read-only disk: save somewhere else (Save As).")
        }
        ErrorKind::IsADirectory => {
            "A folder has that name: choose another file name (Save As).".to_owned()
        }
        _ => "The file is unchanged; try again, or save under another name (Save As).".to_owned(),
    }
}

/// Replaces `target` with `bytes`: write a temp file in the same directory, fsync it,
/// keep the previous version as `<name>.bak`, rename the temp file over the target,
/// then fsync the directory so the rename itself survives a power cut.
///
/// When `target` is a symlink, the file it points to is replaced and the link stays; the
/// `.bak` goes beside that file. The new file gets the old one's permission bits and owner.
pub fn write_atomically(
    target: &Path,
    bytes: &[u8],
    keep_backup: bool,
) -> Result<(), AtomicWriteError> {
    let real = resolve_symlinks(target).map_err(|error| AtomicWriteError::BadTarget {
        path: target.to_path_buf(),
        reason: format!("cannot follow its symbolic link ({error})"),
    })?;
    let dir = parent_dir(&real);
    let folder = dir.as_path();
    let io_error =
        |stage: &'static str| move |source| AtomicWriteError::io(target, folder, stage, source);
    let file_name = real
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .ok_or_else(|| AtomicWriteError::BadTarget {
            path: target.to_path_buf(),
            reason: "that is a folder, not a file name".to_owned(),
        })?;

    let existing = match fs::metadata(&real) {
        Ok(meta) if meta.is_dir() => {
            return Err(io_error("a folder has that name")(std::io::Error::from(
                ErrorKind::IsADirectory,
            )));
        }
        Ok(meta) => Some(meta),
        Err(error) if error.kind() == ErrorKind::NotFound => None,
        Err(error) => return Err(io_error("could not look at the file")(error)),
    };
    if let Some(meta) = &existing
        && is_read_only(meta)
    {
        return Err(AtomicWriteError::ReadOnly {
            path: target.to_path_buf(),
        });
    }
    if let Some(meta) = &existing
        && !meta.is_file()
    {
        // A device or pipe (`--out /dev/stdout`): a rename would replace the node itself.
        return write_in_place(&real, bytes).map_err(io_error("could not write"));
    }
    remove_stale_temp_files(&dir, &file_name);

    let temp = dir.join(temp_name(&file_name, ""));
    let written = (|| {
        let mut file = OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&temp)
            .map_err(io_error("could not create a new file in its folder"))?;
        file.write_all(bytes)
            .map_err(io_error("could not write the new content"))?;
        if let Some(meta) = &existing {
            carry_over_owner_and_mode(&file, meta)
                .map_err(io_error("could not keep the file's permissions"))?;
        }
        file.sync_all()
            .map_err(io_error("could not flush the new content to disk"))?;
        Ok(())
    })();
    if let Err(error) = written {
        let _ = fs::remove_file(&temp);
        return Err(error);
    }

    if keep_backup && existing.is_some() {
        let backup = backup_path(&real);
        if let Err(error) = make_backup(&real, &backup, &dir, &file_name) {
            let _ = fs::remove_file(&temp);
            return Err(io_error("could not keep the previous version as .bak")(
                error,
            ));
        }
    }

    if let Err(error) = fs::rename(&temp, &real) {
        let _ = fs::remove_file(&temp);
        return Err(io_error("could not replace the file")(error));
    }
    sync_dir(&dir).map_err(io_error("could not flush the folder to disk"))?;
    Ok(())
}

fn write_in_place(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let mut file = OpenOptions::new().write(true).open(path)?;
    file.write_all(bytes)?;
    file.flush()
}

/// `<name>.bak` beside the file.
pub fn backup_path(target: &Path) -> PathBuf {
    let mut name = target.file_name().unwrap_or_default().to_os_string();
    name.push(".bak");
    target.with_file_name(name)
}

/// The file a path finally names after following every symlink in the chain, even when that
/// file does not exist yet (a dangling link is written through, as editors do).
pub fn resolve_symlinks(path: &Path) -> std::io::Result<PathBuf> {
    let mut current = path.to_path_buf();
    for _ in 0..MAX_SYMLINK_HOPS {
        match fs::symlink_metadata(&current) {
            Ok(meta) if meta.file_type().is_symlink() => {
                let next = fs::read_link(&current)?;
                current = if next.is_absolute() {
                    next
                } else {
                    parent_dir(&current).join(next)
                };
            }
            _ => return Ok(current),
        }
    }
    Err(std::io::Error::other("too many levels of symbolic links"))
}

/// The temp-file name for `file_name`: `.NAME.PID.XXXXXXXX{suffix}.tmp`.
fn temp_name(file_name: &str, suffix: &str) -> String {
    format!(
        ".{file_name}.{}.{:08x}{suffix}.tmp",
        std::process::id(),
        fastrand::u32(..)
    )
}

/// The PID in `name` when it is one of our temp files for `file_name`, else `None`.
fn temp_file_pid(name: &str, file_name: &str) -> Option<u32> {
    let middle = name
        .strip_prefix('.')?
        .strip_prefix(file_name)?
        .strip_prefix('.')?
        .strip_suffix(".tmp")?;
    let middle = middle.strip_suffix(".bak").unwrap_or(middle);
    let (pid, random) = middle.split_once('.')?;
    let is_pid = !pid.is_empty() && pid.bytes().all(|b| b.is_ascii_digit());
    let is_random = random.len() == 8 && random.bytes().all(|b| b.is_ascii_hexdigit());
    if is_pid && is_random {
        pid.parse().ok()
    } else {
        None
    }
}

/// Removes temp files a killed save of this same target left behind: only files named by our
/// own pattern, and only when the process that made them is gone or they are long stale.
fn remove_stale_temp_files(dir: &Path, file_name: &str) {
    let Ok(entries) = fs::read_dir(dir) else {
        return;
    };
    let now = SystemTime::now();
    let own_pid = std::process::id();
    for entry in entries.flatten() {
        let name = entry.file_name();
        let Some(pid) = name.to_str().and_then(|n| temp_file_pid(n, file_name)) else {
            continue;
        };
        // symlink_metadata: never follow a link someone planted under our naming pattern.
        let Ok(meta) = fs::symlink_metadata(entry.path()) else {
            continue;
        };
        if !meta.file_type().is_file() {
            continue;
        }
        let old = meta
            .modified()
            .ok()
            .and_then(|modified| now.duration_since(modified).ok())
            .is_some_and(|age| age > STALE_TEMP_AGE);
        // Our own PID may be another thread saving right now: only its age counts.
        let owner_gone = pid != own_pid && process_is_gone(pid);
        if old || owner_gone {
            let _ = fs::remove_file(entry.path());
        }
    }
}

/// True only when we can tell for sure that no process has this PID.
fn process_is_gone(pid: u32) -> bool {
    let proc = Path::new("/proc");
    proc.join("self").exists() && !proc.join(pid.to_string()).exists()
}

#[cfg(unix)]
fn is_read_only(meta: &fs::Metadata) -> bool {
    use std::os::unix::fs::PermissionsExt;
    // Checked from the bits, not by trying: root may write anywhere, but 0444 says "keep".
    meta.permissions().mode() & 0o200 == 0
}

#[cfg(not(unix))]
fn is_read_only(meta: &fs::Metadata) -> bool {
    meta.permissions().readonly()
}

#[cfg(unix)]
fn carry_over_owner_and_mode(file: &File, meta: &fs::Metadata) -> std::io::Result<()> {
    use std::os::unix::fs::{MetadataExt, PermissionsExt, fchown};
    // Only root may give a file away; for anyone else the new file is theirs, as with any save.
    match fchown(file, Some(meta.uid()), Some(meta.gid())) {
        Err(error) if error.kind() != ErrorKind::PermissionDenied => return Err(error),
        _ => {}
    }
    // After chown, which may clear set-id bits.
    file.set_permissions(fs::Permissions::from_mode(meta.mode() & 0o7777))
}

#[cfg(not(unix))]
fn carry_over_owner_and_mode(file: &File, meta: &fs::Metadata) -> std::io::Result<()> {
    file.set_permissions(meta.permissions())
}

/// The backup is swapped in with a rename too, so a crash never leaves a half-written `.bak`.
fn make_backup(target: &Path, backup: &Path, dir: &Path, file_name: &str) -> std::io::Result<()> {
    let staged = dir.join(temp_name(file_name, ".bak"));
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
    fn failed_save_leaves_original_untouched_and_names_the_chosen_file() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("p.ron");
        fs::write(&target, b"original").unwrap();
        let impossible = dir.path().join("missing").join("p.ron");
        let error = write_atomically(&impossible, b"new", true).unwrap_err();
        let text = error.to_string();
        assert!(text.contains(&impossible.display().to_string()), "{text}");
        assert!(!text.contains(".p.ron."), "names the temp file: {text}");
        assert!(text.contains("choose another place"), "{text}");
        assert_eq!(fs::read(&target).unwrap(), b"original");
    }

    #[cfg(unix)]
    #[test]
    fn a_pipe_is_written_into_not_replaced() {
        use std::os::unix::fs::FileTypeExt;
        let dir = tempfile::tempdir().unwrap();
        let fifo = dir.path().join("out.csv");
        let made = std::process::Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .unwrap();
        assert!(made.success());
        let reader = {
            let fifo = fifo.clone();
            std::thread::spawn(move || fs::read(fifo).unwrap())
        };
        write_atomically(&fifo, b"through the pipe", true).unwrap();
        assert_eq!(reader.join().unwrap(), b"through the pipe");
        let kind = fs::symlink_metadata(&fifo).unwrap().file_type();
        assert!(kind.is_fifo(), "the pipe is still a pipe");
        assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 1);
    }

    #[test]
    fn temp_names_are_recognised_only_for_their_own_target() {
        let name = temp_name("p.ron", "");
        assert_eq!(temp_file_pid(&name, "p.ron"), Some(std::process::id()));
        let staged = temp_name("p.ron", ".bak");
        assert_eq!(temp_file_pid(&staged, "p.ron"), Some(std::process::id()));
        assert_eq!(temp_file_pid(&name, "p"), None);
        assert_eq!(temp_file_pid(".p.ron.12.0000000g.tmp", "p.ron"), None);
        assert_eq!(temp_file_pid(".p.ron.12.deadbeef.tmp", "p.ron"), Some(12));
        assert_eq!(temp_file_pid(".p.ron.x.12.deadbeef.tmp", "p.ron"), None);
        assert_eq!(temp_file_pid("p.ron.12.deadbeef.tmp", "p.ron"), None);
        assert_eq!(temp_file_pid(".p.ron.12.deadbeef.tmp.x", "p.ron"), None);
    }
}
