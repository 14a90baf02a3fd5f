//! The file a reviewer's browser saves from the HTML review copy ("Save my review"), and the
//! fingerprint that tells whether a cell changed since the copy was made.
//! The format is documented in `docs/review-file.md`; this module is its one definition.

use crate::model::{AgreementId, Cell, ElementId, ProjectId, ReviewStatus};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

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
}
