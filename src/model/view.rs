//! Saved views: named combinations of row filters, sort order and shown frameworks, stored in
//! the project file so a reviewer who opens a shared file gets the same views. Everything is
//! referenced by id, never by display name, so renaming an element keeps its views working.

use super::agreement::{Binding, Space};
use super::cell::{Assessment, ReviewStatus};
use super::ids::{ElementId, FrameworkId, ViewId};
use super::project::Project;
use super::query::{ColumnSort, RowOrder, RowQuery, is_false};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};

/// A named view of the grid. Empty fields are left out of the file.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SavedView {
    pub id: ViewId,
    pub name: String,
    /// The filter box's text.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub text: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub space: Option<Space>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub binding: Option<Binding>,
    /// Only agreements with a shown cell in this review status.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub review: Option<ReviewStatus>,
    /// Per element, the assessments a row must have there; filters combine (AND).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub column_filters: BTreeMap<ElementId, BTreeSet<Assessment>>,
    #[serde(default, skip_serializing_if = "is_default_order")]
    pub sort: RowOrder,
    #[serde(default, skip_serializing_if = "is_false")]
    pub descending: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub column_sort: Option<ColumnSort>,
    /// The frameworks shown as columns; the others are hidden.
    #[serde(default)]
    pub frameworks: Vec<FrameworkId>,
}

#[allow(clippy::trivially_copy_pass_by_ref)]
fn is_default_order(order: &RowOrder) -> bool {
    *order == RowOrder::DocumentOrder
}

impl SavedView {
    /// A view with no filters that shows every framework of `project`.
    pub fn showing_everything(project: &Project, id: ViewId, name: impl Into<String>) -> Self {
        Self {
            id,
            name: name.into(),
            text: String::new(),
            space: None,
            binding: None,
            review: None,
            column_filters: BTreeMap::new(),
            sort: RowOrder::DocumentOrder,
            descending: false,
            column_sort: None,
            frameworks: project.frameworks.iter().map(|f| f.id.clone()).collect(),
        }
    }

    /// A view named `name` that keeps `query` and shows the frameworks not in `hidden`.
    pub fn capture(
        project: &Project,
        id: ViewId,
        name: String,
        query: &RowQuery,
        hidden: &BTreeSet<FrameworkId>,
    ) -> Self {
        Self {
            id,
            name,
            text: query.text.trim().to_owned(),
            space: query.space,
            binding: query.binding,
            review: query.review,
            column_filters: query.column_filters.clone(),
            sort: query.sort,
            descending: query.descending,
            column_sort: query.column_sort.clone(),
            frameworks: project
                .frameworks
                .iter()
                .filter(|f| !hidden.contains(&f.id))
                .map(|f| f.id.clone())
                .collect(),
        }
    }

    /// The row query this view stands for in `project`. What the project no longer has is
    /// left out, never guessed at (`missing_references` names it).
    pub fn query(&self, project: &Project) -> RowQuery {
        RowQuery {
            text: self.text.clone(),
            space: self.space,
            binding: self.binding,
            review: self.review,
            column_filters: self
                .column_filters
                .iter()
                .filter(|(element, allowed)| {
                    project.element(element).is_some() && !allowed.is_empty()
                })
                .map(|(element, allowed)| (element.clone(), allowed.clone()))
                .collect(),
            sort: self.sort,
            descending: self.descending,
            column_sort: self
                .column_sort
                .clone()
                .filter(|sort| project.element(&sort.element).is_some()),
        }
    }

    /// The frameworks this view hides in `project`. A view none of whose frameworks exist
    /// would hide every column, so it hides none instead.
    pub fn hidden_frameworks(&self, project: &Project) -> BTreeSet<FrameworkId> {
        let shown: BTreeSet<&FrameworkId> = self
            .frameworks
            .iter()
            .filter(|f| project.framework(f).is_some())
            .collect();
        if shown.is_empty() {
            return BTreeSet::new();
        }
        project
            .frameworks
            .iter()
            .filter(|f| !shown.contains(&f.id))
            .map(|f| f.id.clone())
            .collect()
    }

    /// Elements this view refers to, each once, in id order.
    pub fn elements(&self) -> BTreeSet<&ElementId> {
        self.column_filters
            .keys()
            .chain(self.column_sort.as_ref().map(|sort| &sort.element))
            .collect()
    }

    /// What this view refers to that `project` does not have, as "element `x`" or
    /// "framework `y`", elements first.
    pub fn missing_references(&self, project: &Project) -> Vec<String> {
        let elements = self
            .elements()
            .into_iter()
            .filter(|e| project.element(e).is_none())
            .map(|e| format!("element `{e}`"));
        let mut seen = BTreeSet::new();
        let frameworks = self
            .frameworks
            .iter()
            .filter(|f| project.framework(f).is_none() && seen.insert(*f))
            .map(|f| format!("framework `{f}`"));
        elements.chain(frameworks).collect()
    }
}

/// A readable id for a new view named `name`, unused in `project`.
pub fn new_view_id(project: &Project, name: &str) -> ViewId {
    ViewId::readable(name, |candidate| {
        project.views.iter().any(|v| v.id.as_str() == candidate)
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;

    fn project() -> Project {
        Project::new(
            "t",
            NaiveDate::from_ymd_opt(2019, 12, 1).unwrap_or_default(),
        )
    }

    #[test]
    fn new_view_ids_read_like_the_name_and_never_collide() {
        let mut project = project();
        let id = new_view_id(&project, "Human-rights commitments");
        assert_eq!(id.as_str(), "human-rights-commitments");
        let view = SavedView::showing_everything(&project, id, "x");
        project.views.push(view);
        assert_eq!(
            new_view_id(&project, "Human rights commitments").as_str(),
            "human-rights-commitments-2"
        );
    }

    #[test]
    fn missing_references_name_elements_and_frameworks_by_id() {
        let project = project();
        let mut view = SavedView::showing_everything(&project, ViewId::new("v"), "V");
        assert!(view.missing_references(&project).is_empty());
        view.column_filters
            .insert(ElementId::new("gone"), BTreeSet::from([Assessment::Yes]));
        view.frameworks.push(FrameworkId::new("old-fw"));
        assert_eq!(
            view.missing_references(&project),
            ["element `gone`", "framework `old-fw`"]
        );
    }
}
