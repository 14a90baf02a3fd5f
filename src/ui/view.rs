//! What the grid shows: selection, sort, filters and visible frameworks. These are view
//! choices, not edits, so they never enter the undo history. The row and column queries are
//! plain functions of the project, tested without a GUI.

use super::actions::Action;
use crate::model::{
    Agreement, AgreementId, Assessment, Binding, Cell, ElementId, FrameworkId, InitiativeId,
    Project, ReviewStatus, Space,
};
use std::cell::RefCell;
use std::collections::{BTreeMap, BTreeSet, HashMap};
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

/// Sorting by one element's column, set by clicking its header; it overrides the toolbar's sort
/// and keeps the toolbar's order among ties.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ColumnSort {
    pub element: ElementId,
    /// False: Yes, Indirect, No, not assessed. True: the reverse.
    pub descending: bool,
}

impl ColumnSort {
    /// The header mark that shows the direction.
    pub fn mark(&self) -> &'static str {
        if self.descending { "▼" } else { "▲" }
    }
}

/// Where an assessment sorts in a column: Yes first, not assessed last.
pub fn assessment_rank(assessment: Assessment) -> u8 {
    match assessment {
        Assessment::Yes => 0,
        Assessment::Indirect => 1,
        Assessment::No => 2,
        Assessment::NotAssessed => 3,
    }
}

/// Row filters and sort order.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct RowQuery {
    /// Matches agreement names and short names, cell notes and quotes, and comments on the
    /// agreement, case-insensitively.
    pub text: String,
    pub space: Option<Space>,
    pub binding: Option<Binding>,
    /// Only agreements with a visible cell in this review status.
    pub review: Option<ReviewStatus>,
    /// Per element, the assessments a row must have there to be shown; filters combine (AND).
    pub column_filters: BTreeMap<ElementId, BTreeSet<Assessment>>,
    pub sort: SortKey,
    pub descending: bool,
    /// Set by a column header click; None means the toolbar's sort alone.
    pub column_sort: Option<ColumnSort>,
}

impl RowQuery {
    /// Shows every row again, keeping the sort order.
    pub fn clear_filters(&mut self) {
        self.text.clear();
        self.space = None;
        self.binding = None;
        self.review = None;
        self.column_filters.clear();
    }

    /// Moves a header click through the cycle: Yes first, then reversed, then the toolbar's sort.
    pub fn cycle_column_sort(&mut self, element: &ElementId) {
        self.column_sort = match &self.column_sort {
            Some(sort) if &sort.element == element && !sort.descending => Some(ColumnSort {
                element: element.clone(),
                descending: true,
            }),
            Some(sort) if &sort.element == element => None,
            _ => Some(ColumnSort {
                element: element.clone(),
                descending: false,
            }),
        };
    }

    /// The sort mark of `element`'s header, if the rows are sorted by it.
    pub fn sort_mark(&self, element: &ElementId) -> Option<&'static str> {
        self.column_sort
            .as_ref()
            .filter(|sort| &sort.element == element)
            .map(ColumnSort::mark)
    }

    /// Shows or hides rows with `assessment` in `element`'s column; an empty choice drops the filter.
    pub fn toggle_column_filter(&mut self, element: &ElementId, assessment: Assessment) {
        let allowed = self.column_filters.entry(element.clone()).or_default();
        if !allowed.remove(&assessment) {
            allowed.insert(assessment);
        }
        if allowed.is_empty() {
            self.column_filters.remove(element);
        }
    }

    /// True when any filter hides rows.
    pub fn is_filtering(&self) -> bool {
        !self.text.trim().is_empty()
            || self.space.is_some()
            || self.binding.is_some()
            || self.review.is_some()
            || !self.column_filters.is_empty()
    }
}

/// The agreements to show, in order.
pub fn visible_rows(
    project: &Project,
    query: &RowQuery,
    columns: &[ElementId],
) -> Vec<AgreementId> {
    let needle = query.text.trim().to_lowercase();
    let filters = resolved_column_filters(project, &query.column_filters);
    // Walking the cell map once into a hash map costs less than a tree search per agreement,
    // each step of which compares id strings held elsewhere in memory.
    let needs_cells = !filters.is_empty() || query.column_sort.is_some() || query.review.is_some();
    let cells_by_agreement: HashMap<&AgreementId, &BTreeMap<ElementId, Cell>> = if needs_cells {
        project.cells.rows().collect()
    } else {
        HashMap::new()
    };
    let mut filter_readers: Vec<(ColumnReader<'_>, AllowedAssessments)> = filters
        .iter()
        .map(|(element, allowed)| (ColumnReader::new(element), *allowed))
        .collect();
    let mut sort_reader = query
        .column_sort
        .as_ref()
        .map(|sort| (ColumnReader::new(&sort.element), sort.descending));
    // One pass reads each agreement's row of cells once, for the filters and the column sort.
    let mut rows: Vec<(u8, &Agreement)> = project
        .agreements
        .iter()
        .filter_map(|a| {
            if query.space.is_some_and(|s| a.space != s)
                || query.binding.is_some_and(|b| a.binding != b)
            {
                return None;
            }
            let row = cells_by_agreement.get(&a.id).copied();
            if !filter_readers
                .iter_mut()
                .all(|(reader, allowed)| allowed.contains(reader.assessment(row)))
            {
                return None;
            }
            if !needle.is_empty() && !agreement_matches(project, a, &needle) {
                return None;
            }
            if let Some(status) = query.review
                && !columns.iter().any(|e| {
                    row.and_then(|row| row.get(e))
                        .is_some_and(|c| c.review == status)
                })
            {
                return None;
            }
            let column_rank = sort_reader.as_mut().map_or(0, |(reader, descending)| {
                let rank = assessment_rank(reader.assessment(row));
                if *descending { u8::MAX - rank } else { rank }
            });
            Some((column_rank, a))
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
    if query.column_sort.is_some() {
        // A stable sort: ties keep the toolbar's order in both directions.
        rows.sort_by_key(|(rank, _)| *rank);
    }
    rows.into_iter().map(|(_, a)| a.id.clone()).collect()
}

/// Reads one element's assessment from row after row. Rows with the same number of cells
/// nearly always hold the same elements, so the element's place among them is learnt once per
/// row length and then checked with a single comparison, instead of a tree search per row
/// whose every step compares id strings stored elsewhere in memory.
struct ColumnReader<'e> {
    element: &'e ElementId,
    /// (cells in the row, the element's place among them).
    places: Vec<(usize, usize)>,
}

impl<'e> ColumnReader<'e> {
    fn new(element: &'e ElementId) -> Self {
        Self {
            element,
            places: Vec::new(),
        }
    }

    /// The assessment in this reader's column of `row`; not assessed for a missing cell.
    fn assessment(&mut self, row: Option<&BTreeMap<ElementId, Cell>>) -> Assessment {
        let Some(row) = row else {
            return Assessment::NotAssessed;
        };
        let learnt = self
            .places
            .iter()
            .find(|(len, _)| *len == row.len())
            .map(|(_, place)| *place);
        if let Some(place) = learnt
            && let Some((element, cell)) = row.iter().nth(place)
            && element == self.element
        {
            return cell.assessment;
        }
        if learnt.is_none() {
            let place = row.range::<ElementId, _>(..self.element).count();
            self.places.push((row.len(), place));
        }
        row.get(self.element)
            .map_or(Assessment::NotAssessed, |c| c.assessment)
    }
}

/// The assessments a column filter lets through, as a set of four bits.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct AllowedAssessments(u8);

impl AllowedAssessments {
    fn from_set(allowed: &BTreeSet<Assessment>) -> Self {
        Self(
            allowed
                .iter()
                .fold(0, |bits, a| bits | 1 << assessment_rank(*a)),
        )
    }

    fn contains(self, assessment: Assessment) -> bool {
        self.0 & 1 << assessment_rank(assessment) != 0
    }
}

/// The column filters whose element the project still has, looked up once per query rather
/// than once per row.
fn resolved_column_filters<'q>(
    project: &Project,
    filters: &'q BTreeMap<ElementId, BTreeSet<Assessment>>,
) -> Vec<(&'q ElementId, AllowedAssessments)> {
    filters
        .iter()
        .filter(|(element, _)| project.element(element).is_some())
        .map(|(element, allowed)| (element, AllowedAssessments::from_set(allowed)))
        .collect()
}

/// True when the agreement's cell passes every column filter. A filter on an element the
/// project no longer has is ignored, so a removed element cannot hide every row.
pub fn passes_column_filters(
    project: &Project,
    agreement: &AgreementId,
    filters: &BTreeMap<ElementId, BTreeSet<Assessment>>,
) -> bool {
    resolved_column_filters(project, filters)
        .iter()
        .all(|(element, allowed)| allowed.contains(project.assessment(agreement, element)))
}

fn agreement_matches(project: &Project, agreement: &Agreement, needle: &str) -> bool {
    let has = |text: &str| text.to_lowercase().contains(needle);
    has(&agreement.name)
        || has(&agreement.short_name)
        || project.cells.row(&agreement.id).is_some_and(|row| {
            row.values()
                .any(|c| has(&c.note) || c.evidence.iter().any(|e| has(&e.exact)))
        })
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

    /// The rows as the query describes them, found the slow, obvious way.
    fn rows_by_scanning(project: &Project, query: &RowQuery) -> Vec<AgreementId> {
        let mut rows: Vec<&Agreement> = project
            .agreements
            .iter()
            .filter(|a| {
                query
                    .column_filters
                    .iter()
                    .all(|(element, allowed)| allowed.contains(&project.assessment(&a.id, element)))
            })
            .collect();
        if let Some(sort) = &query.column_sort {
            rows.sort_by_key(|a| {
                let rank = assessment_rank(project.assessment(&a.id, &sort.element));
                if sort.descending { 3 - rank } else { rank }
            });
        }
        rows.into_iter().map(|a| a.id.clone()).collect()
    }

    #[test]
    fn column_filters_and_sort_agree_with_a_plain_scan() {
        let project = synthetic_project(400, 12, 10, 7);
        let columns = visible_columns(&project, &BTreeSet::new());
        let element = |i: usize| columns[i].clone();
        let mut query = RowQuery::default();
        assert_eq!(
            visible_rows(&project, &query, &columns),
            rows_by_scanning(&project, &query)
        );
        query.cycle_column_sort(&element(0));
        query.toggle_column_filter(&element(1), Assessment::Yes);
        query.toggle_column_filter(&element(1), Assessment::No);
        query.toggle_column_filter(&element(2), Assessment::Yes);
        query.toggle_column_filter(&element(2), Assessment::Indirect);
        query.toggle_column_filter(&element(2), Assessment::NotAssessed);
        query.toggle_column_filter(&element(3), Assessment::No);
        query.toggle_column_filter(&element(3), Assessment::Indirect);
        for descending in [false, true] {
            let shown = visible_rows(&project, &query, &columns);
            assert!(!shown.is_empty() && shown.len() < project.agreements.len());
            assert_eq!(shown, rows_by_scanning(&project, &query), "{descending}");
            query.cycle_column_sort(&element(0));
        }
        // Rows with cells missing here and there, so rows of one length hold different elements.
        query.cycle_column_sort(&element(0));
        let mut sparse = project.clone();
        for (index, agreement) in project.agreements.iter().enumerate() {
            for (column, element) in columns.iter().enumerate() {
                if (index * 7 + column * 3) % 5 == 0 {
                    sparse.cells.remove(&agreement.id, element);
                }
            }
        }
        let shown = visible_rows(&sparse, &query, &columns);
        assert!(!shown.is_empty());
        assert_eq!(shown, rows_by_scanning(&sparse, &query));
    }

    #[test]
    fn a_filter_on_a_removed_element_hides_nothing() {
        let project = synthetic_project(50, 4, 10, 3);
        let columns = visible_columns(&project, &BTreeSet::new());
        let mut query = RowQuery::default();
        query.toggle_column_filter(&ElementId::new("el-gone"), Assessment::Yes);
        assert_eq!(visible_rows(&project, &query, &columns).len(), 50);
        assert!(passes_column_filters(
            &project,
            &project.agreements[0].id,
            &query.column_filters
        ));
    }

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
