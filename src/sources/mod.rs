//! Sources and evidence: checking a project's quotes against its sources, anchoring quotes in source texts, normalising text for matching,
//! the structure (outline) of agreement texts and search. Pure text algorithms: no egui,
//! no files.

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
pub use normalize::{NormalizeOptions, Normalized, normalize};
pub use outline::{Heading, HeadingKind, Outline, OutlineOptions};
pub use search::{SearchIndex, find_all};
