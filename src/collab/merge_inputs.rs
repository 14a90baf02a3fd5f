//! Checking, and on request repairing, the three files of a merge before the merge runs.
//!
//! The merge matches records by id, so a duplicate id would fold two records into one, and a
//! cell whose agreement or element is missing has no row or column to land in. Such inputs are
//! refused. A repair, when asked for, keeps every record: a duplicate gets a fresh id derived
//! from the old one, an orphan cell's content moves into a merge note, and a link to something
//! missing is removed. Every repair is listed, so nothing changes silently.
//!
//! The merge itself ([`super::merge_projects`]) stays a pure function of its inputs; this is the
//! step before it.

use super::merge::{MERGE_AUTHOR, Side};
use super::records::{quoted, show_target};
use crate::model::text::counted;
use crate::model::validate::{Problem, problems};
use crate::model::{
    AgreementId, Cell, ElementId, ExcerptId, FrameworkId, InitiativeId, Note, NoteId, NoteKind,
    NoteTarget, Project, ProvisionId, SourceId,
};
use chrono::NaiveDate;
use std::collections::{BTreeSet, HashSet};
use std::fmt;

/// One problem in one of the merge's files.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct InputProblem {
    pub side: Side,
    pub problem: Problem,
}

impl fmt::Display for InputProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.side.label(), self.problem)
    }
}

/// One change a repair made to one of the merge's files.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Repair {
    pub side: Side,
    /// What was renamed, moved or removed, and what was kept.
    pub text: String,
}

impl fmt::Display for Repair {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.side.label(), self.text)
    }
}

/// Why the merge does not run.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Refusal {
    /// Everything wrong in the inputs (after the repair, when one was asked for).
    pub problems: Vec<InputProblem>,
    /// True when a repair was asked for and could not fix these.
    pub repair_tried: bool,
}

/// The files to merge, checked and, when asked, repaired. Feed them to the merge, then call
/// [`MergeInputs::keep_removed_content`] on its result.
#[derive(Clone, Debug)]
pub struct MergeInputs {
    pub base: Option<Project>,
    pub ours: Project,
    pub theirs: Project,
    /// What the inputs held that the merge would have lost (empty for clean inputs).
    pub problems: Vec<InputProblem>,
    /// Every change the repair made, file by file.
    pub repairs: Vec<Repair>,
    /// Notes holding the content of orphan cells taken out of the grid.
    kept_notes: Vec<Note>,
}

/// The exit code of `merge` and `merge-driver` when an input is refused (0 merged, 1 conflicts
/// remain, 2 usage or file errors).
pub const EXIT_INPUTS_REFUSED: u8 = 3;

/// Every problem in the inputs, base first.
pub fn input_problems(
    base: Option<&Project>,
    ours: &Project,
    theirs: &Project,
) -> Vec<InputProblem> {
    [
        (Side::Base, base),
        (Side::Ours, Some(ours)),
        (Side::Theirs, Some(theirs)),
    ]
    .into_iter()
    .filter_map(|(side, project)| project.map(|p| (side, p)))
    .flat_map(|(side, project)| {
        problems(project)
            .into_iter()
            .map(move |problem| InputProblem { side, problem })
    })
    .collect()
}

impl MergeInputs {
    /// Checks the inputs. Clean inputs pass unchanged. Damaged ones are refused, unless
    /// `repair` is set: then they are repaired and each repair is listed. `today` dates the
    /// notes a repair writes, so the result depends on the arguments only.
    pub fn prepare(
        base: Option<&Project>,
        ours: &Project,
        theirs: &Project,
        repair: bool,
        today: NaiveDate,
    ) -> Result<Self, Refusal> {
        let found = input_problems(base, ours, theirs);
        let mut inputs = Self {
            base: base.cloned(),
            ours: ours.clone(),
            theirs: theirs.clone(),
            problems: found.clone(),
            repairs: Vec::new(),
            kept_notes: Vec::new(),
        };
        if found.is_empty() {
            return Ok(inputs);
        }
        if !repair {
            return Err(Refusal {
                problems: found,
                repair_tried: false,
            });
        }
        let mut repairs = Vec::new();
        let mut kept_notes = Vec::new();
        let mut repair_side = |side: Side, project: &mut Project| {
            let mut repairer = Repairer {
                side,
                today,
                repairs: &mut repairs,
                kept_notes: &mut kept_notes,
            };
            repairer.repair(project);
        };
        if let Some(base) = inputs.base.as_mut() {
            repair_side(Side::Base, base);
        }
        repair_side(Side::Ours, &mut inputs.ours);
        repair_side(Side::Theirs, &mut inputs.theirs);
        let left = input_problems(inputs.base.as_ref(), &inputs.ours, &inputs.theirs);
        if !left.is_empty() {
            return Err(Refusal {
                problems: left,
                repair_tried: true,
            });
        }
        inputs.repairs = repairs;
        inputs.kept_notes = kept_notes;
        Ok(inputs)
    }

    /// Adds the notes holding orphan cells to the merged project, each content once, attached
    /// to the cell's agreement or element when the merge kept it.
    pub fn keep_removed_content(&self, merged: &mut Project) {
        let mut written: HashSet<String> = merged
            .notes
            .iter()
            .filter(|n| n.author == MERGE_AUTHOR)
            .map(|n| n.text.clone())
            .collect();
        for note in &self.kept_notes {
            if !written.insert(note.text.clone()) {
                continue;
            }
            let mut note = note.clone();
            note.target = match note.target {
                NoteTarget::Agreement(a) if merged.agreement(&a).is_some() => {
                    NoteTarget::Agreement(a)
                }
                NoteTarget::Element(e) if merged.element(&e).is_some() => NoteTarget::Element(e),
                _ => NoteTarget::Project,
            };
            let taken: HashSet<&str> = merged.notes.iter().map(|n| n.id.as_str()).collect();
            note.id = NoteId::new(fresh_id(note.id.as_str(), &taken));
            merged.notes.push(note);
        }
    }

    /// The repairs as a report section, one line each, with the files' names
    /// (`[base, ours, theirs]`).
    pub fn repairs_text(&self, names: [&str; 3]) -> String {
        let mut out = String::new();
        if self.repairs.is_empty() {
            return out;
        }
        out.push_str(&format!(
            "Repaired before merging ({}; no record was dropped):\n",
            counted(self.repairs.len(), "repair", "repairs")
        ));
        for repair in &self.repairs {
            out.push_str(&format!(
                "  {} ({}): {}\n",
                side_name(names, repair.side),
                repair.side.label(),
                repair.text
            ));
        }
        out.push('\n');
        out
    }
}

/// The file name of `side` among `[base, ours, theirs]`.
pub fn side_name(names: [&str; 3], side: Side) -> &str {
    match side {
        Side::Base => names[0],
        Side::Ours => names[1],
        Side::Theirs => names[2],
    }
}

/// `id` itself when free, else `id-2`, `id-3`…: readable, and the same in every input that
/// holds the same damage, so a three-way merge still matches the renamed records.
fn fresh_id(id: &str, taken: &HashSet<&str>) -> String {
    if !taken.contains(id) {
        return id.to_owned();
    }
    (2..)
        .map(|n| format!("{id}-{n}"))
        .find(|candidate| !taken.contains(candidate.as_str()))
        .unwrap_or_else(|| id.to_owned())
}

/// For each id in order: `None` for the first of its kind, or the fresh id a repeat gets.
fn renamed_repeats(ids: &[String]) -> Vec<Option<String>> {
    let mut taken: BTreeSet<String> = ids.iter().cloned().collect();
    let mut seen = HashSet::new();
    ids.iter()
        .map(|id| {
            if seen.insert(id.as_str()) {
                return None;
            }
            let fresh = (2..)
                .map(|n| format!("{id}-dup-{n}"))
                .find(|candidate| !taken.contains(candidate))?;
            taken.insert(fresh.clone());
            Some(fresh)
        })
        .collect()
}

/// Repairs one input, writing down each repair.
struct Repairer<'a> {
    side: Side,
    today: NaiveDate,
    repairs: &'a mut Vec<Repair>,
    kept_notes: &'a mut Vec<Note>,
}

impl Repairer<'_> {
    fn note(&mut self, text: String) {
        self.repairs.push(Repair {
            side: self.side,
            text,
        });
    }

    fn repair(&mut self, project: &mut Project) {
        self.rename_duplicates(project);
        self.move_orphan_cells(project);
        self.remove_dangling_links(project);
        self.repair_sources_and_excerpts(project);
    }

    /// Sources and excerpts that do not fit together: every quote keeps its text.
    fn repair_sources_and_excerpts(&mut self, project: &mut Project) {
        let ids: Vec<String> = project.sources.iter().map(|s| s.id.to_string()).collect();
        for (source, fresh) in project.sources.iter_mut().zip(renamed_repeats(&ids)) {
            if let Some(fresh) = fresh {
                self.renamed(
                    "source",
                    source.id.as_str(),
                    &source.title,
                    &fresh,
                    "; quotes stay linked to the first",
                );
                source.id = SourceId::new(fresh);
            }
        }
        let agreements: HashSet<AgreementId> =
            project.agreements.iter().map(|a| a.id.clone()).collect();
        for source in &mut project.sources {
            if let Some(agreement) = source.agreement.take_if(|a| !agreements.contains(a)) {
                self.note(format!(
                    "source `{}` belonged to agreement `{agreement}`, which does not exist: it is now a project-level source",
                    source.id
                ));
            }
            if let Some(problem) =
                crate::model::validate::page_problem(&source.pages, source.text.len())
            {
                let len = source.text.len();
                source.pages.retain(|start| *start <= len);
                source.pages.sort_unstable();
                source.pages.dedup();
                self.note(format!(
                    "source `{}`: {problem}; the page starts are sorted and those past the end dropped",
                    source.id
                ));
            }
        }
        let cells: Vec<(AgreementId, ElementId, Cell)> = project
            .cells
            .iter()
            .map(|(a, e, c)| (a.clone(), e.clone(), c.clone()))
            .collect();
        for (agreement, element, mut cell) in cells {
            let before = cell.clone();
            let ids: Vec<String> = cell.evidence.iter().map(|x| x.id.to_string()).collect();
            for (excerpt, fresh) in cell.evidence.iter_mut().zip(renamed_repeats(&ids)) {
                if let Some(fresh) = fresh {
                    self.note(format!(
                        "duplicate excerpt id `{}` in cell ({agreement}, {element}): the later one ({}) is renamed `{fresh}`; both are kept",
                        excerpt.id,
                        quoted(&excerpt.exact, Some(60))
                    ));
                    excerpt.id = ExcerptId::new(fresh);
                }
            }
            for excerpt in &mut cell.evidence {
                let Some(source) = excerpt.source.clone() else {
                    continue;
                };
                let Some(text) = project.source(&source).map(|s| s.text.as_str()) else {
                    excerpt.source = None;
                    excerpt.position = None;
                    self.note(format!(
                        "excerpt `{}` of cell ({agreement}, {element}) quoted source `{source}`, which does not exist: it keeps its quote without a source",
                        excerpt.id
                    ));
                    continue;
                };
                if let Some(position) = excerpt.position {
                    // `is_char_boundary` is false past the end, so this also catches overruns.
                    let fits = position.start <= position.end
                        && text.is_char_boundary(position.start)
                        && text.is_char_boundary(position.end);
                    if !fits {
                        excerpt.position = None;
                        self.note(format!(
                            "excerpt `{}` of cell ({agreement}, {element}): its position {}–{} does not fit source `{source}`; the position is dropped and `normgrid check` finds the quote by its text",
                            excerpt.id, position.start, position.end
                        ));
                    }
                }
            }
            if cell != before {
                project.cells.set(&agreement, &element, cell);
            }
        }
    }

    fn renamed(&mut self, kind: &str, old: &str, title: &str, fresh: &str, stays: &str) {
        self.note(format!(
            "duplicate {kind} id `{old}`: the later one ({}) is renamed `{fresh}`; both are kept{stays}",
            quoted(title, Some(60))
        ));
    }

    fn rename_duplicates(&mut self, project: &mut Project) {
        let ids: Vec<String> = project
            .frameworks
            .iter()
            .map(|f| f.id.to_string())
            .collect();
        for (framework, fresh) in project.frameworks.iter_mut().zip(renamed_repeats(&ids)) {
            if let Some(fresh) = fresh {
                self.renamed(
                    "framework",
                    framework.id.as_str(),
                    &framework.name,
                    &fresh,
                    "",
                );
                framework.id = FrameworkId::new(fresh);
            }
        }

        let ids: Vec<String> = project.elements().map(|(_, e)| e.id.to_string()).collect();
        let mut fresh_ids = renamed_repeats(&ids).into_iter();
        for framework in &mut project.frameworks {
            for element in &mut framework.elements {
                if let Some(Some(fresh)) = fresh_ids.next() {
                    self.renamed(
                        "element",
                        element.id.as_str(),
                        &element.display_name(),
                        &fresh,
                        "; its cells and notes stay with the first",
                    );
                    element.id = ElementId::new(fresh);
                }
            }
        }

        let ids: Vec<String> = project
            .agreements
            .iter()
            .map(|a| a.id.to_string())
            .collect();
        for (agreement, fresh) in project.agreements.iter_mut().zip(renamed_repeats(&ids)) {
            if let Some(fresh) = fresh {
                self.renamed(
                    "agreement",
                    agreement.id.as_str(),
                    &agreement.short_name,
                    &fresh,
                    "; its cells and notes stay with the first",
                );
                agreement.id = AgreementId::new(fresh);
            }
        }
        for agreement in &mut project.agreements {
            let ids: Vec<String> = agreement
                .provisions
                .iter()
                .map(|p| p.id.to_string())
                .collect();
            for (provision, fresh) in agreement.provisions.iter_mut().zip(renamed_repeats(&ids)) {
                if let Some(fresh) = fresh {
                    self.note(format!(
                        "duplicate provision id `{}/{}`: the later one ({}) is renamed `{fresh}`; both are kept; initiative links stay with the first",
                        agreement.id,
                        provision.id,
                        quoted(&provision.label, Some(60))
                    ));
                    provision.id = ProvisionId::new(fresh);
                }
            }
        }

        let ids: Vec<String> = project
            .initiatives
            .iter()
            .map(|i| i.id.to_string())
            .collect();
        for (initiative, fresh) in project.initiatives.iter_mut().zip(renamed_repeats(&ids)) {
            if let Some(fresh) = fresh {
                self.renamed(
                    "initiative",
                    initiative.id.as_str(),
                    &initiative.title,
                    &fresh,
                    "",
                );
                initiative.id = InitiativeId::new(fresh);
            }
        }

        let ids: Vec<String> = project.notes.iter().map(|n| n.id.to_string()).collect();
        for (note, fresh) in project.notes.iter_mut().zip(renamed_repeats(&ids)) {
            if let Some(fresh) = fresh {
                let title = format!("by {} on {}", note.author, show_target(&note.target));
                self.renamed("note", note.id.as_str(), &title, &fresh, "");
                note.id = NoteId::new(fresh);
            }
        }
    }

    /// Takes cells without a row or column out of the grid; their content goes into a note.
    fn move_orphan_cells(&mut self, project: &mut Project) {
        let agreements: HashSet<AgreementId> =
            project.agreements.iter().map(|a| a.id.clone()).collect();
        let elements: HashSet<ElementId> = project.elements().map(|(_, e)| e.id.clone()).collect();
        let orphans: Vec<(AgreementId, ElementId)> = project
            .cells
            .iter()
            .filter(|(a, e, _)| !agreements.contains(*a) || !elements.contains(*e))
            .map(|(a, e, _)| (a.clone(), e.clone()))
            .collect();
        for (agreement, element) in orphans {
            let cell = project.cells.remove(&agreement, &element);
            let (missing, target) =
                match (agreements.contains(&agreement), elements.contains(&element)) {
                    (true, _) => ("element", NoteTarget::Agreement(agreement.clone())),
                    (false, true) => ("agreement", NoteTarget::Element(element.clone())),
                    (false, false) => ("agreement and element", NoteTarget::Project),
                };
            let text = format!(
                "Orphan cell kept by the merge repair: agreement `{agreement}` × element `{element}` (its {missing} did not exist, so it had no place in the grid). {}",
                cell_content(&cell)
            );
            self.kept_notes.push(Note {
                id: NoteId::new(format!("merge-repair-{agreement}-{element}")),
                target,
                author: MERGE_AUTHOR.to_owned(),
                date: self.today,
                text,
                kind: NoteKind::MergeConflict,
            });
            self.note(format!(
                "orphan cell ({agreement}, {element}): its {missing} does not exist; the cell is taken out of the grid and its content kept in a merge note"
            ));
        }
    }

    fn remove_dangling_links(&mut self, project: &mut Project) {
        let agreements: HashSet<AgreementId> =
            project.agreements.iter().map(|a| a.id.clone()).collect();
        let elements: HashSet<ElementId> = project.elements().map(|(_, e)| e.id.clone()).collect();
        let provisions: HashSet<(AgreementId, ProvisionId)> = project
            .agreements
            .iter()
            .flat_map(|a| a.provisions.iter().map(|p| (a.id.clone(), p.id.clone())))
            .collect();
        for initiative in &mut project.initiatives {
            let mut removed = Vec::new();
            initiative.supports.retain(|link| {
                let known = match &link.provision {
                    None => agreements.contains(&link.agreement),
                    Some(p) => provisions.contains(&(link.agreement.clone(), p.clone())),
                };
                if !known {
                    removed.push(match &link.provision {
                        None => format!("agreement `{}`", link.agreement),
                        Some(p) => format!("provision `{p}` of `{}`", link.agreement),
                    });
                }
                known
            });
            initiative.norms.retain(|norm| {
                let known = elements.contains(norm);
                if !known {
                    removed.push(format!("norm `{norm}`"));
                }
                known
            });
            for target in removed {
                self.note(format!(
                    "initiative `{}` linked to {target}, which does not exist: the link is removed; the initiative is kept",
                    initiative.id
                ));
            }
        }
        for note in &mut project.notes {
            let has_agreement = |a: &AgreementId| agreements.contains(a);
            let has_element = |e: &ElementId| elements.contains(e);
            let known = match &note.target {
                NoteTarget::Project => true,
                NoteTarget::Agreement(a) => has_agreement(a),
                NoteTarget::Element(e) => has_element(e),
                NoteTarget::Cell(a, e) => has_agreement(a) && has_element(e),
            };
            if known {
                continue;
            }
            // The nearest thing that still exists keeps the note in view.
            let target = match &note.target {
                NoteTarget::Cell(a, _) if has_agreement(a) => NoteTarget::Agreement(a.clone()),
                NoteTarget::Cell(_, e) if has_element(e) => NoteTarget::Element(e.clone()),
                _ => NoteTarget::Project,
            };
            let old = show_target(&note.target);
            let new = show_target(&target);
            note.text = format!("[Was about {old}, which does not exist.] {}", note.text);
            note.target = target;
            self.note(format!(
                "note `{}` was about {old}, which does not exist: it is now about the {new}, and its text starts with where it was",
                note.id
            ));
        }
    }
}

/// A cell's content in one line, for a note that keeps it.
fn cell_content(cell: &Cell) -> String {
    let mut parts = vec![format!("Assessment: {}", cell.assessment.label())];
    for (name, value) in [("note", &cell.note), ("evidence", &cell.quotes_joined())] {
        if !value.is_empty() {
            parts.push(format!("{name}: {}", quoted(value, None)));
        }
    }
    parts.push(format!("review: {}", cell.review.label()));
    if !cell.edited_by.is_empty() {
        parts.push(format!("edited by {}", cell.edited_by));
    }
    if let Some(at) = cell.edited_at {
        parts.push(format!("edited at {}", at.format("%Y-%m-%d %H:%M UTC")));
    }
    format!("{}.", parts.join("; "))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Agreement, Assessment, ProvisionLink};

    fn day() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, 22).unwrap_or_default()
    }

    fn clean() -> Project {
        let mut project = Project::new("t", day());
        project
            .agreements
            .push(Agreement::new(AgreementId::new("a"), "A treaty", "A"));
        project
    }

    #[test]
    fn repeats_get_fresh_ids_derived_from_the_old_one() {
        let ids: Vec<String> = ["x", "y", "x", "x-dup-2", "x"]
            .iter()
            .map(|s| (*s).to_owned())
            .collect();
        assert_eq!(
            renamed_repeats(&ids),
            vec![
                None,
                None,
                Some("x-dup-3".to_owned()),
                None,
                Some("x-dup-4".to_owned())
            ]
        );
    }

    #[test]
    fn clean_inputs_pass_and_damaged_ones_are_refused_without_repair() {
        let base = clean();
        let Ok(inputs) = MergeInputs::prepare(Some(&base), &base, &base, false, day()) else {
            panic!("clean inputs were refused");
        };
        assert!(inputs.repairs.is_empty());
        let mut theirs = clean();
        theirs.agreements.push(theirs.agreements[0].clone());
        let Err(refusal) = MergeInputs::prepare(Some(&base), &base, &theirs, false, day()) else {
            panic!("a duplicate id was let through");
        };
        assert_eq!(
            refusal.problems,
            vec![InputProblem {
                side: Side::Theirs,
                problem: Problem::DuplicateId {
                    kind: "agreement",
                    id: "a".to_owned()
                }
            }]
        );
    }

    #[test]
    fn repair_keeps_every_record_and_lists_each_change() {
        let base = clean();
        let mut ours = clean();
        let element = ours.elements().map(|(_, e)| e.id.clone()).next();
        let Some(element) = element else {
            panic!("the standard frameworks have elements");
        };
        ours.cells.set(
            &AgreementId::new("gone"),
            &element,
            Cell::with_assessment(Assessment::Yes),
        );
        let mut copy = ours.agreements[0].clone();
        copy.short_name = "A copy".to_owned();
        ours.agreements.push(copy);
        let mut initiative = crate::model::Initiative::new(InitiativeId::new("i"), "I");
        initiative.supports.push(ProvisionLink {
            agreement: AgreementId::new("missing"),
            provision: None,
        });
        ours.initiatives.push(initiative);
        let Ok(inputs) = MergeInputs::prepare(Some(&base), &ours, &base, true, day()) else {
            panic!("the repair was refused");
        };
        assert!(input_problems(inputs.base.as_ref(), &inputs.ours, &inputs.theirs).is_empty());
        assert_eq!(inputs.repairs.len(), 3, "{:?}", inputs.repairs);
        assert!(
            inputs
                .ours
                .agreement(&AgreementId::new("a-dup-2"))
                .is_some()
        );
        assert!(inputs.ours.initiatives[0].supports.is_empty());
        let mut merged = inputs.ours.clone();
        inputs.keep_removed_content(&mut merged);
        let kept: Vec<&Note> = merged
            .notes
            .iter()
            .filter(|n| n.text.contains("`gone`"))
            .collect();
        assert_eq!(kept.len(), 1);
        assert!(kept[0].text.contains("Assessment: Yes"));
        assert_eq!(kept[0].target, NoteTarget::Element(element));
    }
}
