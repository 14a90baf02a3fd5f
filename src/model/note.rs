//! Discussion notes attached to the project, an agreement, an element or a cell.

use super::ids::{AgreementId, ElementId, NoteId};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// One note in a discussion thread.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Note {
    pub id: NoteId,
    pub target: NoteTarget,
    pub author: String,
    pub date: NaiveDate,
    pub text: String,
    /// Review comments are told apart from discussion so a reviewer's remarks can be listed.
    #[serde(default, skip_serializing_if = "super::agreement::is_default")]
    pub kind: NoteKind,
}

/// What a note is for.
#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize,
)]
pub enum NoteKind {
    #[default]
    Discussion,
    /// Written by a reviewer in Review mode.
    Review,
    /// Written by a merge about a conflict it could not settle.
    MergeConflict,
}

impl NoteKind {
    pub fn label(self) -> &'static str {
        match self {
            Self::Discussion => "Discussion",
            Self::Review => "Review comment",
            Self::MergeConflict => "Merge conflict",
        }
    }
}

/// What a note is about.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum NoteTarget {
    Project,
    Agreement(AgreementId),
    Element(ElementId),
    Cell(AgreementId, ElementId),
}

impl NoteTarget {
    /// True when the note is about this agreement or one of its cells.
    pub fn concerns_agreement(&self, agreement: &AgreementId) -> bool {
        match self {
            Self::Agreement(a) | Self::Cell(a, _) => a == agreement,
            Self::Project | Self::Element(_) => false,
        }
    }

    /// True when the note is about this element or one of its cells.
    pub fn concerns_element(&self, element: &ElementId) -> bool {
        match self {
            Self::Element(e) | Self::Cell(_, e) => e == element,
            Self::Project | Self::Agreement(_) => false,
        }
    }
}
