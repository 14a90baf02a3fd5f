//! How far independent coders agree: percent agreement, Cohen's kappa (overall, per element,
//! per pair of coders) and Krippendorff's alpha for nominal data, over Yes / Indirect / No.
//! Cells a coder left not assessed are missing data, not a category.

use crate::model::{AgreementId, Assessment, ElementId, Project};
use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;

/// Cohen's kappa for two coders' codes on the same units.
/// `None` when chance agreement is total (both coders used one and the same category
/// throughout, or there are no units): kappa is 0/0 there and means nothing.
pub fn cohens_kappa<C: Ord + Copy>(pairs: &[(C, C)]) -> Option<f64> {
    if pairs.is_empty() {
        return None;
    }
    let n = pairs.len() as f64;
    let observed = pairs.iter().filter(|(a, b)| a == b).count() as f64 / n;
    let mut first: BTreeMap<C, f64> = BTreeMap::new();
    let mut second: BTreeMap<C, f64> = BTreeMap::new();
    for (a, b) in pairs {
        *first.entry(*a).or_default() += 1.0;
        *second.entry(*b).or_default() += 1.0;
    }
    let expected: f64 = first
        .iter()
        .map(|(c, count)| count / n * second.get(c).copied().unwrap_or(0.0) / n)
        .sum();
    if (1.0 - expected).abs() < 1e-12 {
        return None;
    }
    Some((observed - expected) / (1.0 - expected))
}

/// Krippendorff's alpha for nominal data. Each unit lists the values the coders gave it
/// (missing values left out); units with fewer than two values cannot be paired and are skipped.
/// `None` when fewer than two pairable values exist or only one category was used, where
/// expected disagreement is zero.
pub fn krippendorff_alpha_nominal<C: Ord + Copy>(units: &[Vec<C>]) -> Option<f64> {
    // Coincidence matrix: every ordered pair of values within a unit, weighted 1/(m-1).
    let mut coincidences: BTreeMap<(C, C), f64> = BTreeMap::new();
    for values in units.iter().filter(|v| v.len() >= 2) {
        let weight = 1.0 / (values.len() - 1) as f64;
        for (i, a) in values.iter().enumerate() {
            for (j, b) in values.iter().enumerate() {
                if i != j {
                    *coincidences.entry((*a, *b)).or_default() += weight;
                }
            }
        }
    }
    let mut marginals: BTreeMap<C, f64> = BTreeMap::new();
    for ((a, _), count) in &coincidences {
        *marginals.entry(*a).or_default() += count;
    }
    let n: f64 = marginals.values().sum();
    if n < 2.0 {
        return None;
    }
    let observed: f64 = coincidences
        .iter()
        .filter(|((a, b), _)| a != b)
        .map(|(_, count)| count)
        .sum();
    let mut expected = 0.0;
    for (a, na) in &marginals {
        for (b, nb) in &marginals {
            if a != b {
                expected += na * nb;
            }
        }
    }
    if expected == 0.0 {
        return None;
    }
    Some(1.0 - (n - 1.0) * observed / expected)
}

/// Landis and Koch's words for a kappa, which volunteers read more easily than a number.
pub fn strength(kappa: f64) -> &'static str {
    match kappa {
        k if k < 0.0 => "poor (worse than chance)",
        k if k <= 0.20 => "slight",
        k if k <= 0.40 => "fair",
        k if k <= 0.60 => "moderate",
        k if k <= 0.80 => "substantial",
        _ => "almost perfect",
    }
}

/// Kappa and agreement between two of the coders.
#[derive(Clone, Debug, PartialEq)]
pub struct PairAgreement {
    pub first: usize,
    pub second: usize,
    /// Cells both assessed.
    pub units: usize,
    pub agreed: usize,
    pub kappa: Option<f64>,
}

impl PairAgreement {
    pub fn percent(&self) -> Option<f64> {
        (self.units > 0).then(|| 100.0 * self.agreed as f64 / self.units as f64)
    }
}

/// Agreement on one element (column).
#[derive(Clone, Debug, PartialEq)]
pub struct ElementAgreement {
    pub element: ElementId,
    pub name: String,
    /// Cells assessed by at least two coders.
    pub units: usize,
    pub agreed: usize,
    /// Between the first two coders.
    pub kappa: Option<f64>,
    pub alpha: Option<f64>,
}

impl ElementAgreement {
    pub fn percent(&self) -> Option<f64> {
        (self.units > 0).then(|| 100.0 * self.agreed as f64 / self.units as f64)
    }
}

/// A cell the coders assessed differently.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Disagreement {
    pub agreement: AgreementId,
    pub element: ElementId,
    /// "Paris Call / Reference to Human Rights"
    pub title: String,
    /// Each coder's assessment, in coder order.
    pub values: Vec<Assessment>,
}

/// The whole report.
#[derive(Clone, Debug, PartialEq)]
pub struct AgreementReport {
    pub coders: Vec<String>,
    /// Cells assessed by at least two coders.
    pub units: usize,
    /// Of those, cells where every coder who assessed it gave the same answer.
    pub agreed: usize,
    /// Cells only one coder assessed: left out of every statistic.
    pub assessed_by_one: usize,
    pub pairs: Vec<PairAgreement>,
    pub alpha: Option<f64>,
    pub elements: Vec<ElementAgreement>,
    pub disagreements: Vec<Disagreement>,
}

fn code(assessment: Assessment) -> Option<u8> {
    match assessment {
        Assessment::Yes => Some(0),
        Assessment::Indirect => Some(1),
        Assessment::No => Some(2),
        Assessment::NotAssessed => None,
    }
}

/// Compares independent codings of the same agreements and elements, matched by id.
/// The first project's order (and names) are used for the rows and columns.
pub fn coder_agreement(coders: &[(String, &Project)]) -> AgreementReport {
    let names: Vec<String> = coders.iter().map(|(name, _)| name.clone()).collect();
    let projects: Vec<&Project> = coders.iter().map(|(_, p)| *p).collect();
    let mut agreements: Vec<(AgreementId, String)> = Vec::new();
    let mut elements: Vec<(ElementId, String)> = Vec::new();
    let mut seen_a = BTreeSet::new();
    let mut seen_e = BTreeSet::new();
    for project in &projects {
        for a in &project.agreements {
            if seen_a.insert(a.id.clone()) {
                agreements.push((a.id.clone(), a.short_name.clone()));
            }
        }
        for (_, e) in project.elements() {
            if seen_e.insert(e.id.clone()) {
                elements.push((e.id.clone(), e.display_name()));
            }
        }
    }

    let mut report = AgreementReport {
        coders: names,
        units: 0,
        agreed: 0,
        assessed_by_one: 0,
        pairs: Vec::new(),
        alpha: None,
        elements: Vec::new(),
        disagreements: Vec::new(),
    };
    let mut all_units: Vec<Vec<u8>> = Vec::new();
    let mut pair_codes: BTreeMap<(usize, usize), Vec<(u8, u8)>> = BTreeMap::new();
    for (element, element_name) in &elements {
        let mut units: Vec<Vec<u8>> = Vec::new();
        let mut first_pair: Vec<(u8, u8)> = Vec::new();
        let mut agreed = 0;
        for (agreement, agreement_name) in &agreements {
            let values: Vec<Assessment> = projects
                .iter()
                .map(|p| p.cells.assessment(agreement, element))
                .collect();
            let codes: Vec<u8> = values.iter().filter_map(|v| code(*v)).collect();
            match codes.len() {
                0 => continue,
                1 => {
                    report.assessed_by_one += 1;
                    continue;
                }
                _ => {}
            }
            let unanimous = codes.iter().all(|c| *c == codes[0]);
            if unanimous {
                agreed += 1;
            } else {
                report.disagreements.push(Disagreement {
                    agreement: agreement.clone(),
                    element: element.clone(),
                    title: format!("{agreement_name} / {element_name}"),
                    values: values.clone(),
                });
            }
            for i in 0..values.len() {
                for j in i + 1..values.len() {
                    if let (Some(a), Some(b)) = (code(values[i]), code(values[j])) {
                        pair_codes.entry((i, j)).or_default().push((a, b));
                        if (i, j) == (0, 1) {
                            first_pair.push((a, b));
                        }
                    }
                }
            }
            units.push(codes);
        }
        report.units += units.len();
        report.agreed += agreed;
        report.elements.push(ElementAgreement {
            element: element.clone(),
            name: element_name.clone(),
            units: units.len(),
            agreed,
            kappa: cohens_kappa(&first_pair),
            alpha: krippendorff_alpha_nominal(&units),
        });
        all_units.extend(units);
    }
    report.alpha = krippendorff_alpha_nominal(&all_units);
    for i in 0..projects.len() {
        for j in i + 1..projects.len() {
            let codes = pair_codes.remove(&(i, j)).unwrap_or_default();
            report.pairs.push(PairAgreement {
                first: i,
                second: j,
                units: codes.len(),
                agreed: codes.iter().filter(|(a, b)| a == b).count(),
                kappa: cohens_kappa(&codes),
            });
        }
    }
    report
}

fn show(value: Option<f64>) -> String {
    value.map_or_else(|| "undefined".to_owned(), |v| format!("{v:.3}"))
}

impl AgreementReport {
    pub fn percent(&self) -> Option<f64> {
        (self.units > 0).then(|| 100.0 * self.agreed as f64 / self.units as f64)
    }

    /// Why a statistic is undefined, in words.
    pub fn undefined_reason(&self) -> &'static str {
        if self.units == 0 {
            "no cell was assessed by two coders"
        } else {
            "every answer falls in one category, so agreement by chance is total and the statistic is 0/0"
        }
    }

    /// A readable report for the terminal.
    pub fn to_text(&self) -> String {
        let mut out = String::new();
        let _ = writeln!(out, "Coders: {}", self.coders.join(", "));
        let _ = writeln!(
            out,
            "Cells assessed by two or more coders: {} (cells only one coder assessed, left out: {})",
            self.units, self.assessed_by_one
        );
        if self.units == 0 {
            let _ = writeln!(out, "Nothing to compare: {}.", self.undefined_reason());
            return out;
        }
        let _ = writeln!(
            out,
            "Percent agreement: {:.1}% ({} of {})",
            self.percent().unwrap_or(0.0),
            self.agreed,
            self.units
        );
        for pair in &self.pairs {
            let kappa = pair.kappa.map_or_else(
                || format!("undefined ({})", self.undefined_reason()),
                |k| format!("{k:.3}, {}", strength(k)),
            );
            let _ = writeln!(
                out,
                "Cohen's kappa, {} vs {}: {kappa} over {} cells ({:.1}% agree)",
                self.coders[pair.first],
                self.coders[pair.second],
                pair.units,
                pair.percent().unwrap_or(0.0)
            );
        }
        let alpha = self.alpha.map_or_else(
            || format!("undefined ({})", self.undefined_reason()),
            |a| format!("{a:.3}"),
        );
        let _ = writeln!(out, "Krippendorff's alpha (nominal): {alpha}");

        let _ = writeln!(out, "\nPer element:");
        let width = self
            .elements
            .iter()
            .map(|e| e.name.chars().count())
            .max()
            .unwrap_or(7)
            .clamp(7, 60);
        let _ = writeln!(
            out,
            "  {:<width$}  {:>5}  {:>7}  {:>9}  {:>9}",
            "Element", "cells", "agree", "kappa", "alpha"
        );
        for e in self.elements.iter().filter(|e| e.units > 0) {
            let name: String = e.name.chars().take(width).collect();
            let _ = writeln!(
                out,
                "  {name:<width$}  {:>5}  {:>6.1}%  {:>9}  {:>9}",
                e.units,
                e.percent().unwrap_or(0.0),
                show(e.kappa),
                show(e.alpha)
            );
        }
        let _ = writeln!(out, "\nDisagreeing cells: {}", self.disagreements.len());
        for d in &self.disagreements {
            let values: Vec<String> = self
                .coders
                .iter()
                .zip(&d.values)
                .map(|(coder, value)| format!("{coder}: {}", value.label()))
                .collect();
            let _ = writeln!(out, "  {}  ({})", d.title, values.join(", "));
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strength_words() {
        assert_eq!(strength(0.4), "fair");
        assert_eq!(strength(0.95), "almost perfect");
        assert_eq!(strength(-0.1), "poor (worse than chance)");
    }
}
