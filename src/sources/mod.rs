//! Sources and evidence: extracting an agreement's text, anchoring quotes in it, checking a
//! project's quotes, normalising text for matching, the structure (outline) of agreement
//! texts and search. No egui; no files except `extract::extract_file`, which reads the
//! original to extract it.

pub mod anchor;
pub mod evidence;
pub mod extract;
pub mod normalize;
pub mod outline;
pub mod search;

pub use anchor::{
    DiffOp, MatchKind, Resolution, ResolutionCounts, Resolved, Resolver, TextAnchor, resolve,
    resolve_detailed,
};
pub use extract::{ExtractError, Extracted, extract_bytes, extract_file};
pub use normalize::{NormalizeOptions, Normalized, normalize};
pub use outline::{Heading, HeadingKind, Outline, OutlineOptions};
pub use search::{SearchIndex, find_all};
