//! Where a source's original file lives: a folder beside the project, `NAME.sources/`, with
//! each original named by its sha256 (`<sha256>.pdf`). The project opens and verifies its
//! quotes without that folder, since the text is stored in the project; the original only
//! serves to show the page itself. The sha256 proves that a file found is the very version
//! whose text the project holds: a file with another digest is never used.
//!
//! A file with the source's own name beside the project (`budapest.pdf` next to `my.ron`) is
//! found too, when its digest matches: volunteers often keep the PDF there.

use super::atomic::write_atomically;
use crate::model::{Source, SourceKind};
use crate::sources::extract::sha256_hex;
use std::path::{Path, PathBuf};

/// Largest original copied or read: the extractor's own limit.
const MAX_ORIGINAL_BYTES: u64 = 200 * 1024 * 1024;

/// The folder holding a project's originals: `my.ron` → `my.sources/`.
pub fn originals_folder(project: &Path) -> PathBuf {
    let stem = project
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_else(|| "project".to_owned());
    project.with_file_name(format!("{stem}.sources"))
}

/// The name an original gets in that folder: its digest and its kind's extension.
pub fn original_file_name(sha256: &str, kind: SourceKind) -> String {
    format!("{sha256}.{}", extension(kind))
}

fn extension(kind: SourceKind) -> &'static str {
    match kind {
        SourceKind::Pdf => "pdf",
        SourceKind::Docx => "docx",
        SourceKind::Html => "html",
        SourceKind::Text => "txt",
        SourceKind::Markdown => "md",
    }
}

/// Why no original was found, in words for the reader.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum OriginalError {
    #[error(
        "the original file is not at hand: put it in {folder} (any name) or beside the project \
         as {file_name}, or attach it again"
    )]
    NotFound { folder: String, file_name: String },
    #[error(
        "{path} is not the version whose text the project holds (its sha256 differs); \
         the text view shows the stored text"
    )]
    Different { path: String },
    #[error(
        "the project records no sha256 for this source, so no file can be proven to be its original"
    )]
    NoDigest,
    #[error("{path} can't be read ({reason})")]
    Unreadable { path: String, reason: String },
}

/// Finds and reads the original of `source` for the project at `project`, proven by its
/// digest. Looks at `NAME.sources/<sha256>.<ext>`, then at the source's own file name
/// beside the project, then at `extra` (where it was attached from in this session).
pub fn read_original(
    project: Option<&Path>,
    source: &Source,
    extra: Option<&Path>,
) -> Result<(PathBuf, Vec<u8>), OriginalError> {
    if source.sha256.is_empty() {
        return Err(OriginalError::NoDigest);
    }
    let mut candidates = Vec::new();
    if let Some(project) = project {
        candidates
            .push(originals_folder(project).join(original_file_name(&source.sha256, source.kind)));
        if !source.file_name.is_empty()
            && Path::new(&source.file_name).file_name().map(|n| n.len())
                == Some(source.file_name.len())
        {
            candidates.push(project.with_file_name(&source.file_name));
        }
    }
    candidates.extend(extra.map(Path::to_path_buf));
    let mut different = None;
    for candidate in candidates {
        match read_bounded(&candidate) {
            Ok(Some(bytes)) if sha256_hex(&bytes) == source.sha256 => {
                return Ok((candidate, bytes));
            }
            Ok(Some(_)) => different = different.or(Some(candidate)),
            Ok(None) => {}
            Err(reason) => {
                return Err(OriginalError::Unreadable {
                    path: candidate.display().to_string(),
                    reason,
                });
            }
        }
    }
    if let Some(path) = different {
        return Err(OriginalError::Different {
            path: path.display().to_string(),
        });
    }
    Err(OriginalError::NotFound {
        folder: project.map_or_else(
            || "the project's .sources folder (save the project first)".to_owned(),
            |p| originals_folder(p).display().to_string(),
        ),
        file_name: if source.file_name.is_empty() {
            original_file_name(&source.sha256, source.kind)
        } else {
            source.file_name.clone()
        },
    })
}

/// The file's bytes; `None` when there is no regular file there.
fn read_bounded(path: &Path) -> Result<Option<Vec<u8>>, String> {
    let Ok(meta) = std::fs::metadata(path) else {
        return Ok(None);
    };
    if !meta.is_file() {
        return Ok(None);
    }
    if meta.len() > MAX_ORIGINAL_BYTES {
        return Err(format!(
            "it is {} MB, more than normgrid reads",
            meta.len() / (1024 * 1024)
        ));
    }
    use std::io::Read;
    let file = std::fs::File::open(path).map_err(|e| e.to_string())?;
    let mut bytes = Vec::with_capacity(meta.len() as usize);
    // The size can grow after the look: read no more than the limit.
    file.take(MAX_ORIGINAL_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| e.to_string())?;
    if bytes.len() as u64 > MAX_ORIGINAL_BYTES {
        return Err("it grew past the size normgrid reads".to_owned());
    }
    Ok(Some(bytes))
}

/// Copies an original into the project's originals folder (atomically; nothing happens when
/// it is already there). `bytes` must be the file whose digest the source records.
pub fn store_original(project: &Path, source: &Source, bytes: &[u8]) -> Result<PathBuf, String> {
    if sha256_hex(bytes) != source.sha256 {
        return Err(format!(
            "the file is not the version of “{}” that was read (its sha256 differs)",
            source.title
        ));
    }
    let folder = originals_folder(project);
    let target = folder.join(original_file_name(&source.sha256, source.kind));
    if target.is_file() {
        return Ok(target);
    }
    std::fs::create_dir_all(&folder)
        .map_err(|e| format!("could not create the folder {} ({e})", folder.display()))?;
    write_atomically(&target, bytes, false).map_err(|e| e.to_string())?;
    Ok(target)
}

/// Copies the file at `original` into the project's originals folder, when it is the
/// source's version.
pub fn store_original_file(
    project: &Path,
    source: &Source,
    original: &Path,
) -> Result<PathBuf, String> {
    let bytes =
        read_bounded(original)?.ok_or_else(|| format!("{} is not a file", original.display()))?;
    store_original(project, source, &bytes)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::SourceId;

    fn source_of(bytes: &[u8], file_name: &str) -> Source {
        Source {
            id: SourceId::new("s"),
            agreement: None,
            title: "T".to_owned(),
            file_name: file_name.to_owned(),
            kind: SourceKind::Pdf,
            url: String::new(),
            retrieved: None,
            sha256: sha256_hex(bytes),
            pages: Vec::new(),
            text: String::new(),
        }
    }

    #[test]
    fn an_original_is_stored_by_digest_and_found_again() {
        let dir = tempfile::tempdir().unwrap();
        let project = dir.path().join("my.ron");
        let source = source_of(b"%PDF-1.4 one", "treaty.pdf");
        let stored = store_original(&project, &source, b"%PDF-1.4 one").unwrap();
        assert_eq!(
            stored,
            dir.path()
                .join("my.sources")
                .join(format!("{}.pdf", source.sha256))
        );
        let (found, bytes) = read_original(Some(&project), &source, None).unwrap();
        assert_eq!((found, bytes.as_slice()), (stored, &b"%PDF-1.4 one"[..]));
    }

    #[test]
    fn a_file_beside_the_project_counts_only_with_the_same_digest() {
        let dir = tempfile::tempdir().unwrap();
        let project = dir.path().join("my.ron");
        let source = source_of(b"version one", "treaty.pdf");
        std::fs::write(dir.path().join("treaty.pdf"), b"version two").unwrap();
        assert!(matches!(
            read_original(Some(&project), &source, None),
            Err(OriginalError::Different { .. })
        ));
        std::fs::write(dir.path().join("treaty.pdf"), b"version one").unwrap();
        assert!(read_original(Some(&project), &source, None).is_ok());
        assert!(store_original(&project, &source, b"version two").is_err());
    }

    #[test]
    fn nothing_found_says_where_to_put_it() {
        let dir = tempfile::tempdir().unwrap();
        let project = dir.path().join("my.ron");
        let error = read_original(Some(&project), &source_of(b"x", "t.pdf"), None).unwrap_err();
        assert!(error.to_string().contains("my.sources"), "{error}");
        let mut no_digest = source_of(b"x", "t.pdf");
        no_digest.sha256.clear();
        assert_eq!(
            read_original(Some(&project), &no_digest, None),
            Err(OriginalError::NoDigest)
        );
    }
}
