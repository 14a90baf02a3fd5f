//! Frameworks group the elements that become the grid's columns.

use super::ids::{ElementId, FrameworkId};
use serde::{Deserialize, Serialize};

/// A named, ordered set of analysis elements, e.g. "BPF 2019 key elements".
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Framework {
    pub id: FrameworkId,
    pub name: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub description: String,
    /// Column order of the grid.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub elements: Vec<Element>,
}

/// One analysis element: a key element or a norm.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Element {
    pub id: ElementId,
    /// Fixed label such as "(a)"; norms keep their letters and are never renumbered.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub label: String,
    pub name: String,
    /// One-line definition (key elements) or paraphrase (norms).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub definition: String,
}

impl Element {
    /// "(a) Cooperate for stability" for labelled elements, otherwise the name.
    pub fn display_name(&self) -> String {
        if self.label.is_empty() {
            self.name.clone()
        } else {
            format!("{} {}", self.label, self.name)
        }
    }
}
