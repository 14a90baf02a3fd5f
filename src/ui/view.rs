//! What the grid shows: selection, sort, filters and visible frameworks. These are view
//! choices, not edits, so they never enter the undo history. Which rows and columns show is
//! `model::query`, shared with saved views and the review copy.

use super::actions::Action;
use crate::model::{
    Agreement, AgreementId, ElementId, FrameworkId, InitiativeId, Project, RowQuery,
};
use std::cell::RefCell;
use std::collections::{BTreeSet, HashMap};
use std::hash::Hash;

/// What a right-click refers to, so the context menu can offer the right commands.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ContextTarget {
    Agreement(AgreementId),
    Element(ElementId),
}

/// The selected agreement and element; a cell when both are set.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Selection {
    pub agreement: Option<AgreementId>,
    pub element: Option<ElementId>,
    /// The cell where a block selection began (Shift+arrows or a drag); the block spans the
    /// visible rows and columns from it to the selected cell.
    pub anchor: Option<(AgreementId, ElementId)>,
}

/// A rectangle of visible cells: rows `rows.0..=rows.1`, columns `columns.0..=columns.1`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Block {
    pub rows: (usize, usize),
    pub columns: (usize, usize),
}

impl Block {
    /// True when (row, column) lies inside the block.
    pub fn contains(&self, row: usize, column: usize) -> bool {
        (self.rows.0..=self.rows.1).contains(&row)
            && (self.columns.0..=self.columns.1).contains(&column)
    }

    /// How many rows the block spans.
    pub fn height(&self) -> usize {
        self.rows.1 - self.rows.0 + 1
    }

    /// How many columns the block spans.
    pub fn width(&self) -> usize {
        self.columns.1 - self.columns.0 + 1
    }

    /// How many cells the block holds.
    pub fn cell_count(&self) -> usize {
        self.height() * self.width()
    }

    /// True for a block of one cell, the usual selection.
    pub fn is_single_cell(&self) -> bool {
        self.cell_count() == 1
    }
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
    /// One element's quotes across every agreement.
    Element,
}

impl CentralTab {
    /// Tabs in display order.
    pub const ALL: [Self; 7] = [
        Self::Grid,
        Self::Charts,
        Self::Compare,
        Self::Merge,
        Self::Coders,
        Self::Review,
        Self::Element,
    ];

    pub fn label(self) -> &'static str {
        match self {
            Self::Grid => "Grid",
            Self::Charts => "Charts",
            Self::Compare => "Compare",
            Self::Merge => "Merge",
            Self::Coders => "Coder agreement",
            Self::Review => "Review summary",
            Self::Element => "Element across agreements",
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
    /// The room the grid had last frame, to notice panels opening or closing beside it.
    pub grid_width: f32,
    pub context_target: Option<ContextTarget>,
    /// Initiatives panel: all initiatives, or only those of the selected agreement.
    pub show_all_initiatives: bool,
    pub editing_initiative: Option<InitiativeId>,
    /// Scroll the initiatives panel to the one being edited on the next frame.
    pub reveal_edited_initiative: bool,
    /// Set by "Show in reader": the reader scrolls to this excerpt of the selected cell.
    pub reveal_excerpt: Option<crate::model::ExcerptId>,
    /// Id → position maps for the grid's per-cell and per-frame lookups; behind a `RefCell`
    /// so `&self` queries such as `selected_indices` use them too.
    lookup: RefCell<GridLookup>,
}

/// Where an id sits in a slice, found through a map instead of a scan. Every answer is checked
/// against the slice, so a map left stale by an edit is rebuilt, never believed.
#[derive(Debug)]
pub struct PositionIndex<Id> {
    positions: HashMap<Id, usize>,
}

impl<Id> Default for PositionIndex<Id> {
    fn default() -> Self {
        Self {
            positions: HashMap::new(),
        }
    }
}

impl<Id: Clone + Eq + Hash> PositionIndex<Id> {
    /// The position of `id` in `items`, as `items.iter().position(..)` would find it.
    /// A hit costs one hash lookup; a stale or missing entry costs one scan, and the map is
    /// rebuilt when the scan finds the id, so the next lookups are quick again.
    pub fn position<T>(
        &mut self,
        items: &[T],
        id_of: impl Fn(&T) -> &Id,
        id: &Id,
    ) -> Option<usize> {
        if let Some(&at) = self.positions.get(id)
            && items.get(at).is_some_and(|item| id_of(item) == id)
        {
            return Some(at);
        }
        let at = items.iter().position(|item| id_of(item) == id)?;
        self.positions.clear();
        self.positions.reserve(items.len());
        for (index, item) in items.iter().enumerate() {
            // The first of repeated ids wins, as `position` would have it.
            self.positions.entry(id_of(item).clone()).or_insert(index);
        }
        Some(at)
    }
}

/// The grid's id maps: agreements in the project and rows on screen.
#[derive(Debug, Default)]
struct GridLookup {
    agreements: PositionIndex<AgreementId>,
    rows: PositionIndex<AgreementId>,
}

impl ViewState {
    /// Forgets what belonged to the previous document: selection, filters, sort, hidden
    /// frameworks, scroll position and the tab. Display choices (highlighting) stay.
    pub fn reset_for_new_document(&mut self) {
        *self = Self {
            highlight_incomplete: self.highlight_incomplete,
            show_all_initiatives: self.show_all_initiatives,
            ..Self::default()
        };
    }

    /// Selects one cell (and collapses any block to it).
    pub fn select_cell(&mut self, agreement: AgreementId, element: ElementId) {
        self.selection = Selection {
            agreement: Some(agreement),
            element: Some(element),
            anchor: None,
        };
    }

    /// Moves the selected cell to (agreement, element), keeping the block's anchor, so the
    /// block grows or shrinks from the cell where it began.
    pub fn extend_block_to(&mut self, agreement: AgreementId, element: ElementId) {
        let anchor = self.selection.anchor.take().or_else(|| {
            Some((
                self.selection.agreement.clone()?,
                self.selection.element.clone()?,
            ))
        });
        self.selection = Selection {
            agreement: Some(agreement),
            element: Some(element),
            anchor,
        };
    }

    /// The selected block among the visible cells: from the anchor to the selected cell, or
    /// just the selected cell when there is no anchor or it is not shown.
    pub fn selected_block(&self, rows: &[AgreementId], columns: &[ElementId]) -> Option<Block> {
        let (r, c) = self.selected_indices(rows, columns)?;
        let (ar, ac) = self
            .selection
            .anchor
            .as_ref()
            .and_then(|(a, e)| {
                let ar = self.row_position(rows, a)?;
                let ac = columns.iter().position(|x| x == e)?;
                Some((ar, ac))
            })
            .unwrap_or((r, c));
        Some(Block {
            rows: (r.min(ar), r.max(ar)),
            columns: (c.min(ac), c.max(ac)),
        })
    }

    /// Selects an agreement's row.
    pub fn select_agreement(&mut self, agreement: AgreementId) {
        self.selection = Selection {
            agreement: Some(agreement),
            element: None,
            anchor: None,
        };
    }

    /// Selects an element's column.
    pub fn select_element(&mut self, element: ElementId) {
        self.selection = Selection {
            agreement: None,
            element: Some(element),
            anchor: None,
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
        let r = self.row_position(rows, agreement)?;
        let c = columns.iter().position(|e| e == element)?;
        Some((r, c))
    }

    /// Moves the selected cell for a grid move (arrows, Page Up/Down, Home/End) among the shown
    /// `rows` and `columns`, `page` rows at a time; `extend` (Shift) grows the block from its
    /// anchor instead. False when `action` is not a move or nothing is shown.
    pub fn move_selection(
        &mut self,
        action: Action,
        extend: bool,
        rows: &[AgreementId],
        columns: &[ElementId],
        page: usize,
    ) -> bool {
        if rows.is_empty() || columns.is_empty() {
            return false;
        }
        let at = self.selected_indices(rows, columns);
        let last_row = rows.len() - 1;
        let last_col = columns.len() - 1;
        let moved_to = |(r, c): (usize, usize)| match action {
            Action::MoveUp => Some((r.saturating_sub(1), c)),
            Action::MoveDown => Some(((r + 1).min(last_row), c)),
            Action::MoveLeft => Some((r, c.saturating_sub(1))),
            Action::MoveRight => Some((r, (c + 1).min(last_col))),
            Action::PageUp => Some((r.saturating_sub(page), c)),
            Action::PageDown => Some(((r + page).min(last_row), c)),
            Action::RowStart => Some((r, 0)),
            Action::RowEnd => Some((r, last_col)),
            _ => None,
        };
        let Some(moved) = at.map_or_else(|| moved_to((0, 0)), moved_to) else {
            return false;
        };
        // No cell yet: the first move lands on the selected row's (or column's) first cell.
        let (r, c) = if at.is_some() {
            moved
        } else {
            self.starting_cell(rows, columns)
        };
        let target = (rows[r].clone(), columns[c].clone());
        // Shift grows the block from its anchor; a plain move collapses it.
        if extend && at.is_some() {
            self.extend_block_to(target.0, target.1);
        } else {
            self.select_cell(target.0, target.1);
        }
        self.scroll_to_selection = true;
        true
    }

    /// Where arrow keys start when no visible cell is selected: the selected row and column if
    /// they are shown, else the first.
    fn starting_cell(&self, rows: &[AgreementId], columns: &[ElementId]) -> (usize, usize) {
        let row = self
            .selection
            .agreement
            .as_ref()
            .and_then(|a| rows.iter().position(|x| x == a));
        let column = self
            .selection
            .element
            .as_ref()
            .and_then(|e| columns.iter().position(|x| x == e));
        (row.unwrap_or(0), column.unwrap_or(0))
    }

    /// The row of `agreement` among the shown `rows`, through the row map.
    pub fn row_position(&self, rows: &[AgreementId], agreement: &AgreementId) -> Option<usize> {
        match self.lookup.try_borrow_mut() {
            Ok(mut lookup) => lookup.rows.position(rows, |id| id, agreement),
            // Only a nested lookup could meet a borrowed map; a scan answers it as well.
            Err(_) => rows.iter().position(|id| id == agreement),
        }
    }

    /// The project's agreement with this id, through the agreement map (no scan per cell).
    pub fn agreement_in<'p>(
        &self,
        project: &'p Project,
        agreement: &AgreementId,
    ) -> Option<&'p Agreement> {
        let at = match self.lookup.try_borrow_mut() {
            Ok(mut lookup) => lookup
                .agreements
                .position(&project.agreements, |a| &a.id, agreement),
            Err(_) => project.agreement_index(agreement),
        }?;
        project.agreements.get(at)
    }
}

/// The position `by` steps from `index` in a list of `len`, kept inside the list.
pub fn offset_index(index: usize, by: i32, len: usize) -> usize {
    let target = index as i64 + i64::from(by);
    target.clamp(0, len.saturating_sub(1) as i64) as usize
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;
    use crate::sample::synthetic_project;

    #[test]
    fn position_index_agrees_with_a_scan_and_survives_edits() {
        let mut project = synthetic_project(200, 3, 10, 1);
        let mut index = PositionIndex::default();
        let check = |index: &mut PositionIndex<AgreementId>, project: &Project| {
            for agreement in &project.agreements {
                assert_eq!(
                    index.position(&project.agreements, |a| &a.id, &agreement.id),
                    project.agreement_index(&agreement.id)
                );
            }
            let unknown = AgreementId::new("agr-nowhere");
            assert_eq!(
                index.position(&project.agreements, |a| &a.id, &unknown),
                None
            );
        };
        check(&mut index, &project);
        // Moves, removals and additions leave the map stale; answers must stay right.
        project.agreements.swap(3, 150);
        check(&mut index, &project);
        project.agreements.remove(10);
        check(&mut index, &project);
        project.agreements.push(Agreement::new(
            AgreementId::new("agr-new"),
            "New agreement",
            "New",
        ));
        check(&mut index, &project);
    }

    #[test]
    fn view_lookups_agree_with_scans() {
        let project = synthetic_project(120, 5, 10, 2);
        let view = ViewState::default();
        let mut rows: Vec<AgreementId> = project.agreements.iter().map(|a| a.id.clone()).collect();
        for round in 0..2 {
            for (at, id) in rows.iter().enumerate() {
                assert_eq!(view.row_position(&rows, id), Some(at), "round {round}");
                assert_eq!(
                    view.agreement_in(&project, id).map(|a| &a.id),
                    Some(id),
                    "round {round}"
                );
            }
            rows.reverse(); // as a sort would; the stale row map must not mislead
        }
        rows.truncate(10);
        let hidden = project.agreements[119].id.clone();
        assert_eq!(view.row_position(&rows, &hidden), None);
    }
}
