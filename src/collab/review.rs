//! Where review stands: Reviewed, Disputed, Needs review and untouched cells per agreement.

use crate::model::{AgreementId, Assessment, Cell, Project, ReviewStatus};

/// Review counts for one agreement (or the whole project).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ReviewCounts {
    pub reviewed: usize,
    pub disputed: usize,
    pub needs_review: usize,
    /// Assessed cells nobody has reviewed yet (still Draft).
    pub untouched: usize,
}

impl ReviewCounts {
    fn add(&mut self, cell: &Cell) {
        match cell.review {
            ReviewStatus::Reviewed => self.reviewed += 1,
            ReviewStatus::Disputed => self.disputed += 1,
            ReviewStatus::NeedsReview => self.needs_review += 1,
            ReviewStatus::Draft => self.untouched += 1,
        }
    }

    /// Cells that count for review.
    pub fn total(&self) -> usize {
        self.reviewed + self.disputed + self.needs_review + self.untouched
    }
}

/// True when a cell is something to review: it is assessed, or someone set its status.
pub fn is_reviewable(cell: &Cell) -> bool {
    cell.assessment != Assessment::NotAssessed || cell.review != ReviewStatus::Draft
}

/// Counts per agreement in row order, and the totals.
pub fn review_summary(project: &Project) -> (Vec<(AgreementId, ReviewCounts)>, ReviewCounts) {
    let mut total = ReviewCounts::default();
    let rows = project
        .agreements
        .iter()
        .map(|agreement| {
            let mut counts = ReviewCounts::default();
            if let Some(row) = project.cells.row(&agreement.id) {
                for (element, cell) in row {
                    if project.element(element).is_some() && is_reviewable(cell) {
                        counts.add(cell);
                        total.add(cell);
                    }
                }
            }
            (agreement.id.clone(), counts)
        })
        .collect();
    (rows, total)
}

/// The summary as text, one agreement per line.
pub fn review_summary_text(project: &Project) -> String {
    use std::fmt::Write as _;
    let (rows, total) = review_summary(project);
    let width = project
        .agreements
        .iter()
        .map(|a| a.short_name.chars().count())
        .max()
        .unwrap_or(9)
        .max(9);
    let mut out = format!(
        "{:<width$}  {:>8}  {:>8}  {:>12}  {:>9}\n",
        "Agreement", "Reviewed", "Disputed", "Needs review", "Untouched"
    );
    for (id, c) in &rows {
        let name = project.agreement(id).map_or("", |a| a.short_name.as_str());
        let _ = writeln!(
            out,
            "{name:<width$}  {:>8}  {:>8}  {:>12}  {:>9}",
            c.reviewed, c.disputed, c.needs_review, c.untouched
        );
    }
    let _ = writeln!(
        out,
        "{:<width$}  {:>8}  {:>8}  {:>12}  {:>9}",
        "Total", total.reviewed, total.disputed, total.needs_review, total.untouched
    );
    out
}
