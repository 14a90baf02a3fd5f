//! Agreements are the grid's rows.

use super::ids::{AgreementId, ProvisionId};
use serde::{Deserialize, Serialize};

/// An international cybersecurity agreement or norms initiative.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Agreement {
    pub id: AgreementId,
    pub name: String,
    pub short_name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub year: Option<i32>,
    #[serde(default, skip_serializing_if = "is_default")]
    pub space: Space,
    #[serde(default, skip_serializing_if = "is_default")]
    pub binding: Binding,
    /// Who supports or signed it, in words ("75 states and over 1,000 organisations").
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub supporters: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub url: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub summary: String,
    /// Elements found only in this agreement.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub unique_elements: Vec<String>,
    /// Numbered provisions that initiatives can link to ("Principle 1").
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub provisions: Vec<Provision>,
}

impl Agreement {
    /// A new agreement with only its names set.
    pub fn new(id: AgreementId, name: impl Into<String>, short_name: impl Into<String>) -> Self {
        Self {
            id,
            name: name.into(),
            short_name: short_name.into(),
            year: None,
            space: Space::default(),
            binding: Binding::default(),
            supporters: String::new(),
            url: String::new(),
            summary: String::new(),
            unique_elements: Vec::new(),
            provisions: Vec::new(),
        }
    }

    /// The name the grid shows: the short name, or the full name when there is none.
    pub fn display_name(&self) -> &str {
        if self.short_name.trim().is_empty() {
            &self.name
        } else {
            &self.short_name
        }
    }

    /// Looks up a provision of this agreement.
    pub fn provision(&self, id: &ProvisionId) -> Option<&Provision> {
        self.provisions.iter().find(|p| &p.id == id)
    }
}

/// A numbered provision of an agreement, e.g. Paris Call principle 3.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Provision {
    pub id: ProvisionId,
    /// How the agreement numbers it: "Principle 1", "Norm 5", "Art. 23".
    pub label: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub title: String,
}

/// Where an agreement was made (BPF 2019 report, section III.b).
#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize,
)]
pub enum Space {
    #[default]
    Unclassified,
    /// Among states, or among companies, or among NGOs.
    WithinStakeholderGroup,
    /// Multistakeholder initiatives.
    AcrossStakeholderGroups,
    /// The UN First Committee processes (UNGGE, OEWG).
    UnitedNations,
}

impl Space {
    /// All values, in the report's order.
    pub const ALL: [Self; 4] = [
        Self::WithinStakeholderGroup,
        Self::AcrossStakeholderGroups,
        Self::UnitedNations,
        Self::Unclassified,
    ];

    /// Human-readable name.
    pub fn label(self) -> &'static str {
        match self {
            Self::Unclassified => "Unclassified",
            Self::WithinStakeholderGroup => "Within a stakeholder group",
            Self::AcrossStakeholderGroups => "Across stakeholder groups",
            Self::UnitedNations => "United Nations",
        }
    }
}

/// How binding an agreement is on its signatories (section III.c).
#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize,
)]
pub enum Binding {
    #[default]
    Unclassified,
    LegallyBinding,
    /// Binding once enough parties ratify it (e.g. the AU Convention).
    BindingOnceRatified,
    NonBinding,
}

impl Binding {
    /// All values, most binding first.
    pub const ALL: [Self; 4] = [
        Self::LegallyBinding,
        Self::BindingOnceRatified,
        Self::NonBinding,
        Self::Unclassified,
    ];

    /// Human-readable name.
    pub fn label(self) -> &'static str {
        match self {
            Self::Unclassified => "Unclassified",
            Self::LegallyBinding => "Legally binding",
            Self::BindingOnceRatified => "Binding once ratified",
            Self::NonBinding => "Non-binding",
        }
    }
}

pub(crate) fn is_default<T: Default + PartialEq>(value: &T) -> bool {
    *value == T::default()
}
