//! One row per evidence excerpt, with where it comes from and whether its quote is still in
//! its source: the table that the CSV `evidence` layout and the workbook's "Evidence" sheet
//! share, so the two never disagree.

use crate::model::{AgreementId, ElementId, FrameworkId, Project};
use crate::sources::evidence::{ExcerptState, check_project};
use std::collections::HashMap;

/// Header of the evidence table, in column order.
pub const EVIDENCE_HEADER: [&str; 16] = [
    "agreement",
    "agreement id",
    "element",
    "element id",
    "assessment",
    "excerpt id",
    "quote",
    "locator",
    "comment",
    "source id",
    "source title",
    "source kind",
    "page",
    "state",
    "added by",
    "added at",
];

/// One row of the evidence table, in [`EVIDENCE_HEADER`] order.
pub type EvidenceRow = [String; 16];

/// Each cell's excerpts checked against their sources, in the cell's order.
pub fn excerpt_states(project: &Project) -> HashMap<(AgreementId, ElementId), Vec<ExcerptState>> {
    let mut states: HashMap<(AgreementId, ElementId), Vec<ExcerptState>> = HashMap::new();
    for check in check_project(project) {
        states
            .entry((check.agreement, check.element))
            .or_default()
            .push(check.state);
    }
    states
}

/// Every excerpt of the project, agreements and elements in grid order; `frameworks` limits
/// the elements (all when empty).
pub fn evidence_rows(project: &Project, frameworks: &[FrameworkId]) -> Vec<EvidenceRow> {
    let states = excerpt_states(project);
    let mut rows = Vec::new();
    for agreement in &project.agreements {
        for (framework, element) in project.elements() {
            if !frameworks.is_empty() && !frameworks.contains(&framework.id) {
                continue;
            }
            let Some(cell) = project.cells.get(&agreement.id, &element.id) else {
                continue;
            };
            let cell_states = states.get(&(agreement.id.clone(), element.id.clone()));
            for (n, excerpt) in cell.evidence.iter().enumerate() {
                let source = excerpt.source.as_ref().and_then(|id| project.source(id));
                let page = source
                    .zip(excerpt.position)
                    .and_then(|(s, p)| s.page_at(p.start))
                    .map(|p| p.to_string())
                    .unwrap_or_default();
                let state = cell_states
                    .and_then(|s| s.get(n))
                    .map(|s| s.word(&excerpt.exact))
                    .unwrap_or_default();
                rows.push([
                    agreement.short_name.clone(),
                    agreement.id.to_string(),
                    element.display_name(),
                    element.id.to_string(),
                    cell.assessment.label().to_owned(),
                    excerpt.id.to_string(),
                    excerpt.exact.clone(),
                    excerpt.locator.clone(),
                    excerpt.comment.clone(),
                    excerpt
                        .source
                        .as_ref()
                        .map(ToString::to_string)
                        .unwrap_or_default(),
                    source.map(|s| s.title.clone()).unwrap_or_default(),
                    source
                        .map(|s| s.kind.label().to_owned())
                        .unwrap_or_default(),
                    page,
                    state.to_owned(),
                    excerpt.added_by.clone(),
                    excerpt
                        .added_at
                        .map(|t| t.format("%Y-%m-%dT%H:%M:%SZ").to_string())
                        .unwrap_or_default(),
                ]);
            }
        }
    }
    rows
}
