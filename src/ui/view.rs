//! What the grid shows: selection, sort, filters and visible frameworks. These are view
//! choices, not edits, so they never enter the undo history. The row and column queries are
//! plain functions of the project, tested without a GUI.

use super::grid::ContextTarget;
use crate::model::{
    AgreementId, Assessment, Binding, ElementId, FrameworkId, InitiativeId, Project, ReviewStatus,
    Space,
};
use std::collections::BTreeSet;

/// The selected agreement and element; a cell when both are set.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Selection {
    pub agreement: Option<AgreementId>,
    pub element: Option<ElementId>,
}

/// What the central area shows.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum CentralTab {
    #[default]
    Grid,
    Charts,
    Compare,
    Merge,
    Coders,
    Review,
}

impl CentralTab {
    /// Tabs in display order.
    pub const ALL: [Self; 6] = [
        Self::Grid,
        Self::Charts,
        Self::Compare,
        Self::Merge,
        Self::Coders,
        Self::Review,
    ];

    pub fn label(self) -> &'static str {
        match self {
            Self::Grid => "Grid",
            Self::Charts => "Charts",
            Self::Compare => "Compare",
            Self::Merge => "Merge",
            Self::Coders => "Coder agreement",
            Self::Review => "Review summary",
        }
    }
}

/// Everything about how the document is shown.
#[derive(Debug, Default)]
pub struct ViewState {
    pub central_tab: CentralTab,
    pub selection: Selection,
    pub query: RowQuery,
    pub hidden_frameworks: BTreeSet<FrameworkId>,
    pub highlight_incomplete: bool,
    /// Set by Enter or double-click: the cell panel takes keyboard focus for the note.
    pub focus_note_editor: bool,
    /// Set by Ctrl+F: the filter box takes keyboard focus.
    pub focus_filter: bool,
    /// Bring the selection into view on the next frame.
    pub scroll_to_selection: bool,
    pub grid_offset: egui::Vec2,
    pub grid_viewport: egui::Vec2,
    pub context_target: Option<ContextTarget>,
    /// Initiatives panel: all initiatives, or only those of the selected agreement.
    pub show_all_initiatives: bool,
    pub editing_initiative: Option<InitiativeId>,
    /// Scroll the initiatives panel to the one being edited on the next frame.
    pub reveal_edited_initiative: bool,
}

impl ViewState {
    /// Selects one cell.
    pub fn select_cell(&mut self, agreement: AgreementId, element: ElementId) {
        self.selection = Selection {
            agreement: Some(agreement),
            element: Some(element),
        };
    }

    /// Selects an agreement's row.
    pub fn select_agreement(&mut self, agreement: AgreementId) {
        self.selection = Selection {
            agreement: Some(agreement),
            element: None,
        };
    }

    /// Selects an element's column.
    pub fn select_element(&mut self, element: ElementId) {
        self.selection = Selection {
            agreement: None,
            element: Some(element),
        };
    }

    /// (row, column) of the selected cell among the visible ones.
    pub fn selected_indices(
        &self,
        rows: &[AgreementId],
        columns: &[ElementId],
    ) -> Option<(usize, usize)> {
        let agreement = self.selection.agreement.as_ref()?;
        let element = self.selection.element.as_ref()?;
        let r = rows.iter().position(|a| a == agreement)?;
        let c = columns.iter().position(|e| e == element)?;
        Some((r, c))
    }
}

/// How rows are ordered.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum SortKey {
    #[default]
    DocumentOrder,
    Name,
    Year,
    Space,
    Binding,
    YesCount,
}

impl SortKey {
    /// All keys in menu order.
    pub const ALL: [Self; 6] = [
        Self::DocumentOrder,
        Self::Name,
        Self::Year,
        Self::Space,
        Self::Binding,
        Self::YesCount,
    ];

    /// Menu text.
    pub fn label(self) -> &'static str {
        match self {
            Self::DocumentOrder => "File order",
            Self::Name => "Name",
            Self::Year => "Year",
            Self::Space => "Space",
            Self::Binding => "Binding",
            Self::YesCount => "Number of Yes",
        }
    }
}

/// Row filters and sort order.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct RowQuery {
    /// Matches agreement names and cell notes, case-insensitively.
    pub text: String,
    pub space: Option<Space>,
    pub binding: Option<Binding>,
    /// Only agreements with a visible cell in this review status.
    pub review: Option<ReviewStatus>,
    pub sort: SortKey,
    pub descending: bool,
}

impl RowQuery {
    /// Shows every row again, keeping the sort order.
    pub fn clear_filters(&mut self) {
        self.text.clear();
        self.space = None;
        self.binding = None;
        self.review = None;
    }

    /// True when any filter hides rows.
    pub fn is_filtering(&self) -> bool {
        !self.text.trim().is_empty()
            || self.space.is_some()
            || self.binding.is_some()
            || self.review.is_some()
    }
}

/// The agreements to show, in order.
pub fn visible_rows(
    project: &Project,
    query: &RowQuery,
    columns: &[ElementId],
) -> Vec<AgreementId> {
    let needle = query.text.trim().to_lowercase();
    let mut rows: Vec<(usize, &crate::model::Agreement)> = project
        .agreements
        .iter()
        .enumerate()
        .filter(|(_, a)| query.space.is_none_or(|s| a.space == s))
        .filter(|(_, a)| query.binding.is_none_or(|b| a.binding == b))
        .filter(|(_, a)| needle.is_empty() || agreement_matches(project, a, &needle))
        .filter(|(_, a)| {
            query.review.is_none_or(|status| {
                columns.iter().any(|e| {
                    project
                        .cells
                        .get(&a.id, e)
                        .is_some_and(|c| c.review == status)
                })
            })
        })
        .collect();
    match query.sort {
        SortKey::DocumentOrder => {}
        SortKey::Name => rows.sort_by_cached_key(|(_, a)| a.short_name.to_lowercase()),
        SortKey::Year => rows.sort_by_key(|(_, a)| a.year.unwrap_or(i32::MAX)),
        SortKey::Space => rows.sort_by_key(|(_, a)| a.space),
        SortKey::Binding => rows.sort_by_key(|(_, a)| a.binding),
        SortKey::YesCount => rows.sort_by_cached_key(|(_, a)| {
            std::cmp::Reverse(
                columns
                    .iter()
                    .filter(|e| project.assessment(&a.id, e) == Assessment::Yes)
                    .count(),
            )
        }),
    }
    if query.descending {
        rows.reverse();
    }
    rows.into_iter().map(|(_, a)| a.id.clone()).collect()
}

fn agreement_matches(project: &Project, agreement: &crate::model::Agreement, needle: &str) -> bool {
    let has = |text: &str| text.to_lowercase().contains(needle);
    has(&agreement.name)
        || has(&agreement.short_name)
        || project
            .cells
            .row(&agreement.id)
            .is_some_and(|row| row.values().any(|c| has(&c.note) || has(&c.quote)))
        || project
            .notes
            .iter()
            .any(|n| n.target.concerns_agreement(&agreement.id) && has(&n.text))
}

/// Element columns of the frameworks not hidden, in order.
pub fn visible_columns(project: &Project, hidden: &BTreeSet<FrameworkId>) -> Vec<ElementId> {
    project
        .frameworks
        .iter()
        .filter(|f| !hidden.contains(&f.id))
        .flat_map(|f| f.elements.iter().map(|e| e.id.clone()))
        .collect()
}
