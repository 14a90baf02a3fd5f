//! Reading a reviewer's review file (JSON, `docs/review-file.md`). Each refusal names the file,
//! the line and column where it can, and what to do.

use crate::collab::review_file::{REVIEW_FORMAT, REVIEW_VERSION, ReviewFile};
use std::io::Read as _;
use std::path::{Path, PathBuf};

/// Review files are a few kilobytes; anything this large is not one.
pub const MAX_REVIEW_FILE_BYTES: u64 = 16 * 1024 * 1024;

/// Why a review file could not be read. Nothing was imported.
#[derive(Debug, thiserror::Error)]
pub enum ReviewFileError {
    #[error("{path}: could not read: {source}")]
    Read {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error(
        "{path}: file is {size} bytes; a review file is a few kilobytes. Choose the file the \
         review copy's “Save my review” button saved."
    )]
    TooLarge { path: PathBuf, size: u64 },
    #[error(
        "{path}:{line}:{col}: not JSON: {message}. A review file is the JSON the review copy's \
         “Save my review” button saves; ask the reviewer to save it again, and send it unedited."
    )]
    NotJson {
        path: PathBuf,
        line: usize,
        col: usize,
        message: String,
    },
    #[error(
        "{path}: not a normgrid review file (its \"format\" is {found}, not \"{REVIEW_FORMAT}\"). \
         Choose the file the review copy's “Save my review” button saved."
    )]
    NotReviewFile { path: PathBuf, found: String },
    #[error(
        "{path}: made by a newer normgrid (review file version {found}); this build reads \
         version {REVIEW_VERSION}. Install a newer normgrid to import it; nothing was changed."
    )]
    NewerVersion { path: PathBuf, found: u64 },
    #[error(
        "{path}:{line}:{col}: {message}. The review file does not match version \
         {REVIEW_VERSION} of the format (docs/review-file.md); ask the reviewer to save the \
         review again from the review copy, and send it unedited."
    )]
    Invalid {
        path: PathBuf,
        line: usize,
        col: usize,
        message: String,
    },
}

/// Reads and parses the review file at `path`.
pub fn read_review_file(path: &Path) -> Result<ReviewFile, ReviewFileError> {
    let read_error = |source| ReviewFileError::Read {
        path: path.to_path_buf(),
        source,
    };
    let file = std::fs::File::open(path).map_err(read_error)?;
    let mut bytes = Vec::new();
    // Never read past the cap, whatever the file claims to be.
    file.take(MAX_REVIEW_FILE_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(read_error)?;
    if bytes.len() as u64 > MAX_REVIEW_FILE_BYTES {
        return Err(ReviewFileError::TooLarge {
            path: path.to_path_buf(),
            size: bytes.len() as u64,
        });
    }
    parse_review_file(&bytes, path)
}

/// Parses review-file bytes; `path` names the file in errors. The format and version are
/// checked before the fields, so a stray JSON file or a newer file gets its own answer rather
/// than a complaint about a field.
pub fn parse_review_file(bytes: &[u8], path: &Path) -> Result<ReviewFile, ReviewFileError> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let value: serde_json::Value =
        serde_json::from_slice(bytes).map_err(|error| ReviewFileError::NotJson {
            path: path.to_path_buf(),
            line: error.line(),
            col: error.column(),
            message: without_position(&error),
        })?;
    match value.get("format") {
        Some(serde_json::Value::String(format)) if format == REVIEW_FORMAT => {}
        other => {
            return Err(ReviewFileError::NotReviewFile {
                path: path.to_path_buf(),
                found: other.map_or_else(|| "missing".to_owned(), ToString::to_string),
            });
        }
    }
    if let Some(found) = value.get("version").and_then(serde_json::Value::as_u64)
        && found > u64::from(REVIEW_VERSION)
    {
        return Err(ReviewFileError::NewerVersion {
            path: path.to_path_buf(),
            found,
        });
    }
    // Parsed again from the text, not the value, so errors carry their line and column.
    let review: ReviewFile =
        serde_json::from_slice(bytes).map_err(|error| ReviewFileError::Invalid {
            path: path.to_path_buf(),
            line: error.line(),
            col: error.column(),
            message: without_position(&error),
        })?;
    if review.version != REVIEW_VERSION {
        return Err(ReviewFileError::Invalid {
            path: path.to_path_buf(),
            line: 1,
            col: 1,
            message: format!("version {} is not a review file version", review.version),
        });
    }
    Ok(review)
}

/// serde_json's message without its " at line L column C" tail: the error puts the position
/// first, as compilers do.
fn without_position(error: &serde_json::Error) -> String {
    let text = error.to_string();
    let tail = format!(" at line {} column {}", error.line(), error.column());
    text.strip_suffix(&tail).unwrap_or(&text).to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<ReviewFile, String> {
        parse_review_file(text.as_bytes(), Path::new("ana.json")).map_err(|e| e.to_string())
    }

    const GOOD: &str = r#"{
  "format": "normgrid-review",
  "version": 1,
  "project_id": "bpf-2019",
  "project_title": "BPF 2019",
  "copy_made_at": "2026-11-20T10:00:00Z",
  "reviewer": "Ana Reviewer",
  "saved_at": "2026-11-21T09:30:00Z",
  "verdicts": [
    {
      "agreement": "paris-call",
      "element": "ke-human-rights",
      "status": "Disputed",
      "comment": "Only the preamble",
      "fingerprint": "0123456789abcdef",
      "at": "2026-11-21T09:12:00Z"
    }
  ]
}"#;

    #[test]
    fn reads_the_documented_example() {
        let review = parse(GOOD).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(review.reviewer, "Ana Reviewer");
        assert_eq!(review.verdicts.len(), 1);
        assert_eq!(review.verdicts[0].comment, "Only the preamble");
    }

    #[test]
    fn each_refusal_names_the_file_and_what_is_wrong() {
        let broken = parse("{\n  \"format\": \"normgrid-review\",\n  oops\n}").err();
        assert_eq!(
            broken.as_deref().map(|e| e.split(": not JSON").next()),
            Some(Some("ana.json:3:3")),
            "{broken:?}"
        );
        let stray = parse(r#"{"name": "a package.json"}"#)
            .err()
            .unwrap_or_default();
        assert!(
            stray.starts_with("ana.json: not a normgrid review file (its \"format\" is missing"),
            "{stray}"
        );
        let newer = parse(&GOOD.replace("\"version\": 1", "\"version\": 7"))
            .err()
            .unwrap_or_default();
        assert!(
            newer.contains("newer normgrid (review file version 7)"),
            "{newer}"
        );
        let no_reviewer = parse(&GOOD.replace("\"reviewer\": \"Ana Reviewer\",\n", ""))
            .err()
            .unwrap_or_default();
        assert!(
            no_reviewer.starts_with("ana.json:18:1: missing field `reviewer`."),
            "{no_reviewer}"
        );
        let unknown = parse(&GOOD.replace("\"status\"", "\"mood\": \"fine\",\n      \"status\""))
            .err()
            .unwrap_or_default();
        assert!(
            unknown.starts_with("ana.json:13:12: unknown field `mood`"),
            "{unknown}"
        );
    }
}
