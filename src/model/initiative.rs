//! Stakeholder initiatives: concrete actions that support an agreement's provisions.

use super::agreement::is_default;
use super::ids::{AgreementId, ElementId, InitiativeId, ProvisionId};
use serde::{Deserialize, Serialize};

/// An action by a stakeholder that supports agreements, e.g. a company's disclosure policy.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Initiative {
    pub id: InitiativeId,
    pub title: String,
    /// The organisation behind it.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub stakeholder: String,
    #[serde(default, skip_serializing_if = "is_default")]
    pub group: StakeholderGroup,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub description: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub url: String,
    /// Agreements (and where given, their provisions) this initiative supports.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub supports: Vec<ProvisionLink>,
    /// Norms (elements) this initiative implements.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub norms: Vec<ElementId>,
}

impl Initiative {
    /// A new initiative with only its title.
    pub fn new(id: InitiativeId, title: impl Into<String>) -> Self {
        Self {
            id,
            title: title.into(),
            stakeholder: String::new(),
            group: StakeholderGroup::default(),
            description: String::new(),
            url: String::new(),
            supports: Vec::new(),
            norms: Vec::new(),
        }
    }
}

/// "Supports Paris Call principle 1": an agreement, and a provision when the source names one.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ProvisionLink {
    pub agreement: AgreementId,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub provision: Option<ProvisionId>,
}

/// The IGF stakeholder groups.
#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize,
)]
pub enum StakeholderGroup {
    #[default]
    Unspecified,
    Government,
    PrivateSector,
    CivilSociety,
    TechnicalCommunity,
    Academia,
    Intergovernmental,
}

impl StakeholderGroup {
    /// All values in display order.
    pub const ALL: [Self; 7] = [
        Self::Government,
        Self::PrivateSector,
        Self::CivilSociety,
        Self::TechnicalCommunity,
        Self::Academia,
        Self::Intergovernmental,
        Self::Unspecified,
    ];

    /// Human-readable name.
    pub fn label(self) -> &'static str {
        match self {
            Self::Unspecified => "Unspecified",
            Self::Government => "Government",
            Self::PrivateSector => "Private sector",
            Self::CivilSociety => "Civil society",
            Self::TechnicalCommunity => "Technical community",
            Self::Academia => "Academia",
            Self::Intergovernmental => "Intergovernmental",
        }
    }
}
