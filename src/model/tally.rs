//! Counts of assessments, per element and per agreement.

use super::cell::Assessment;
use super::ids::{AgreementId, ElementId};
use super::project::Project;

/// How many cells hold each assessment.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Tally {
    pub yes: usize,
    pub indirect: usize,
    pub no: usize,
    pub not_assessed: usize,
}

impl Tally {
    /// Counts one more assessment.
    pub fn add(&mut self, assessment: Assessment) {
        match assessment {
            Assessment::Yes => self.yes += 1,
            Assessment::Indirect => self.indirect += 1,
            Assessment::No => self.no += 1,
            Assessment::NotAssessed => self.not_assessed += 1,
        }
    }

    /// All cells counted.
    pub fn total(&self) -> usize {
        self.yes + self.indirect + self.no + self.not_assessed
    }

    /// Cells where the element is present at all (Yes or Indirect).
    pub fn present(&self) -> usize {
        self.yes + self.indirect
    }
}

/// Tally of one element's column over the given agreements.
pub fn element_tally(project: &Project, element: &ElementId, agreements: &[AgreementId]) -> Tally {
    let mut tally = Tally::default();
    for agreement in agreements {
        tally.add(project.assessment(agreement, element));
    }
    tally
}

/// Tally of one agreement's row over the given elements.
pub fn agreement_tally(
    project: &Project,
    agreement: &AgreementId,
    elements: &[ElementId],
) -> Tally {
    let mut tally = Tally::default();
    for element in elements {
        tally.add(project.assessment(agreement, element));
    }
    tally
}
