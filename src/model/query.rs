//! The row query: which agreements the grid shows and in what order. The app's grid, saved
//! views and the review copy all read rows through `visible_rows`, so a reviewer in a browser
//! and a volunteer in the app see the same rows in the same order.

use super::agreement::{Agreement, Binding, Space};
use super::cell::{Assessment, Cell, ReviewStatus};
use super::ids::{AgreementId, ElementId, FrameworkId};
use super::project::Project;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet, HashMap};

/// How rows are ordered before any column sort: the toolbar's sort, stored by saved views.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum RowOrder {
    #[default]
    DocumentOrder,
    Name,
    Year,
    Space,
    Binding,
    YesCount,
}

impl RowOrder {
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
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ColumnSort {
    pub element: ElementId,
    /// False: Yes, Indirect, No, not assessed. True: the reverse.
    #[serde(default, skip_serializing_if = "is_false")]
    pub descending: bool,
}

// serde's skip_serializing_if hands over a reference.
#[allow(clippy::trivially_copy_pass_by_ref)]
pub(super) fn is_false(value: &bool) -> bool {
    !*value
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
    /// Matches any of `searchable_texts`, case-insensitively.
    pub text: String,
    pub space: Option<Space>,
    pub binding: Option<Binding>,
    /// Only agreements with a visible cell in this review status.
    pub review: Option<ReviewStatus>,
    /// Per element, the assessments a row must have there to be shown; filters combine (AND).
    pub column_filters: BTreeMap<ElementId, BTreeSet<Assessment>>,
    pub sort: RowOrder,
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
        RowOrder::DocumentOrder => {}
        RowOrder::Name => rows.sort_by_cached_key(|(_, a)| a.display_name().to_lowercase()),
        RowOrder::Year => rows.sort_by_key(|(_, a)| a.year.unwrap_or(i32::MAX)),
        RowOrder::Space => rows.sort_by_key(|(_, a)| a.space),
        RowOrder::Binding => rows.sort_by_key(|(_, a)| a.binding),
        RowOrder::YesCount => rows.sort_by_cached_key(|(_, a)| {
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
    let mut found = false;
    searchable_texts(project, agreement, |text| {
        found = found || text.to_lowercase().contains(needle);
    });
    found
}

/// Hands `visit` every text the filter box searches for `agreement`: its names, its cells'
/// notes, and its quotes with their locators and comments, and notes on the agreement or its
/// cells. The review copy embeds the same texts, so both search alike.
pub fn searchable_texts(project: &Project, agreement: &Agreement, mut visit: impl FnMut(&str)) {
    visit(&agreement.name);
    visit(&agreement.short_name);
    if let Some(row) = project.cells.row(&agreement.id) {
        for cell in row.values() {
            visit(&cell.note);
            for excerpt in &cell.evidence {
                visit(&excerpt.exact);
                visit(&excerpt.locator);
                visit(&excerpt.comment);
            }
        }
    }
    for note in &project.notes {
        if note.target.concerns_agreement(&agreement.id) {
            visit(&note.text);
        }
    }
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

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;
    use crate::model::Agreement;
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
}
