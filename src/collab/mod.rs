//! Working together on one mapping: compare versions, merge copies, measure how far coders
//! agree, and track review. No GUI code here.

pub mod coder_agreement;
pub mod diff;
pub mod merge;
pub mod merge_inputs;
pub mod records;
pub mod review;
pub mod review_file;
pub mod review_import;

pub use coder_agreement::{
    AgreementReport, coder_agreement, cohens_kappa, krippendorff_alpha_nominal,
};
pub use diff::{Change, ChangeKind, ProjectDiff, diff_projects};
pub use merge::{Choice, Conflict, ConflictKey, Fallback, MergeResult, Side, merge_projects};
pub use merge_inputs::{InputProblem, MergeInputs, Refusal, Repair};
pub use review::{ReviewCounts, review_summary, review_summary_text};
