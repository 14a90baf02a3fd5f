//! The file a reviewer's browser saves from the HTML review copy ("Save my review"), and the
//! fingerprint that tells whether a cell changed since the copy was made.
//! The format is documented in `docs/review-file.md`; this module is its one definition, and
//! reads it back: each refusal names the file, the line and column where it can, and what to do.

use crate::model::{AgreementId, Cell, ElementId, ProjectId, ReviewStatus};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::io::Read as _;
use std::path::{Path, PathBuf};

/// The `format` every review file declares, so a stray JSON file is refused by name.
pub const REVIEW_FORMAT: &str = "normgrid-review";
/// The review-file version this build writes and reads.
pub const REVIEW_VERSION: u32 = 1;

/// One reviewer's verdicts on a review copy of one project.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReviewFile {
    /// Always [`REVIEW_FORMAT`].
    pub format: String,
    /// Always [`REVIEW_VERSION`] for now.
    pub version: u32,
    /// The id of the project the copy was made from; another project's review is refused.
    pub project_id: ProjectId,
    /// The project's title when the copy was made, for messages only.
    pub project_title: String,
    /// When the review copy was exported.
    pub copy_made_at: DateTime<Utc>,
    /// The name the reviewer entered once in the page.
    pub reviewer: String,
    /// When "Save my review" was pressed.
    pub saved_at: DateTime<Utc>,
    pub verdicts: Vec<Verdict>,
}

/// A reviewer's verdict on one cell.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Verdict {
    pub agreement: AgreementId,
    pub element: ElementId,
    pub status: VerdictStatus,
    /// Becomes a review note on the cell, signed by the reviewer.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub comment: String,
    /// [`cell_fingerprint`] of the cell as the review copy showed it.
    pub fingerprint: String,
    /// When the reviewer gave the verdict.
    pub at: DateTime<Utc>,
}

/// What a reviewer can say about a cell. Draft is not a verdict.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum VerdictStatus {
    Reviewed,
    Disputed,
    NeedsReview,
}

impl VerdictStatus {
    /// All verdicts, in the order the review copy offers them.
    pub const ALL: [Self; 3] = [Self::Reviewed, Self::Disputed, Self::NeedsReview];

    /// The review status a verdict sets.
    pub fn review_status(self) -> ReviewStatus {
        match self {
            Self::Reviewed => ReviewStatus::Reviewed,
            Self::Disputed => ReviewStatus::Disputed,
            Self::NeedsReview => ReviewStatus::NeedsReview,
        }
    }

    /// The name written in the file (`"NeedsReview"`), as the review copy's script spells it.
    pub fn key(self) -> &'static str {
        match self {
            Self::Reviewed => "Reviewed",
            Self::Disputed => "Disputed",
            Self::NeedsReview => "NeedsReview",
        }
    }
}

/// What a reviewer judged in a cell: its assessment, note and evidence, not its review
/// status or who last touched it. Serialised as JSON so the input is unambiguous.
#[derive(Serialize)]
struct JudgedContent<'a> {
    assessment: crate::model::Assessment,
    note: &'a str,
    /// (source, exact quote, locator) per excerpt, in the cell's order.
    evidence: Vec<(Option<&'a str>, &'a str, &'a str)>,
}

/// 16 hex digits of SHA-256 over what a reviewer judged in the cell. The review copy embeds
/// it for each cell, and an import compares it with the cell as it is now: a cell whose
/// fingerprint differs changed after the copy was made, and its verdict is listed instead of
/// applied. An empty cell has a fingerprint too, so a verdict on "not assessed" can be checked.
pub fn cell_fingerprint(cell: &Cell) -> String {
    let content = JudgedContent {
        assessment: cell.assessment,
        note: &cell.note,
        evidence: cell
            .evidence
            .iter()
            .map(|e| {
                (
                    e.source.as_ref().map(|s| s.as_str()),
                    e.exact.as_str(),
                    e.locator.as_str(),
                )
            })
            .collect(),
    };
    // Serialising plain strings and an enum cannot fail; an empty input still hashes.
    let bytes = serde_json::to_vec(&content).unwrap_or_default();
    let digest = Sha256::digest(&bytes);
    digest[..8].iter().map(|b| format!("{b:02x}")).collect()
}

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
    use crate::model::{Assessment, Excerpt, ExcerptId};

    #[test]
    fn fingerprint_follows_content_not_review() {
        let mut cell = Cell::with_assessment(Assessment::Yes);
        let before = cell_fingerprint(&cell);
        assert_eq!(before.len(), 16);
        cell.set_review(ReviewStatus::Reviewed, "Ana", Utc::now());
        cell.stamp("Ben", Utc::now());
        assert_eq!(
            cell_fingerprint(&cell),
            before,
            "review and stamps are not content"
        );
        cell.note = "Art. 23 only".to_owned();
        let with_note = cell_fingerprint(&cell);
        assert_ne!(with_note, before);
        cell.evidence.push(Excerpt::unsourced(
            ExcerptId::new("quote"),
            "shall adopt".to_owned(),
            "Art. 2".to_owned(),
        ));
        assert_ne!(cell_fingerprint(&cell), with_note);
        assert_ne!(
            cell_fingerprint(&Cell::default()),
            cell_fingerprint(&Cell::with_assessment(Assessment::No))
        );
    }

    #[test]
    fn review_file_round_trips_as_json() {
        let file = ReviewFile {
            format: REVIEW_FORMAT.to_owned(),
            version: REVIEW_VERSION,
            project_id: ProjectId::new("bpf-2019"),
            project_title: "BPF 2019".to_owned(),
            copy_made_at: DateTime::from_timestamp(1_700_000_000, 0).unwrap_or_default(),
            reviewer: "Ana".to_owned(),
            saved_at: DateTime::from_timestamp(1_700_000_100, 0).unwrap_or_default(),
            verdicts: vec![Verdict {
                agreement: AgreementId::new("paris-call"),
                element: ElementId::new("human-rights"),
                status: VerdictStatus::Disputed,
                comment: "Only the preamble".to_owned(),
                fingerprint: "0123456789abcdef".to_owned(),
                at: DateTime::from_timestamp(1_700_000_050, 0).unwrap_or_default(),
            }],
        };
        let json = serde_json::to_string(&file).unwrap_or_default();
        assert!(json.contains(r#""status":"Disputed""#), "{json}");
        let back: ReviewFile = serde_json::from_str(&json).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(back, file);
    }

    // Reading a review file.

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
