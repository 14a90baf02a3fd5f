//! Merging volunteers' copies: one-sided changes survive, identical changes merge once,
//! conflicts are found and never settled silently.

#![allow(clippy::unwrap_used, clippy::expect_used)] // a failed unwrap is a failed test

use normgrid::collab::merge::{ConflictKind, Resolution};
use normgrid::collab::{Choice, ConflictKey, Fallback, Side, diff_projects, merge_projects};
use normgrid::commands::Command;
use normgrid::model::{
    Agreement, AgreementId, Assessment, Cell, ElementId, Excerpt, ExcerptId, Note, NoteId,
    NoteKind, NoteTarget, Project, ReviewStatus,
};
use normgrid::sample;
use proptest::prelude::*;
use std::collections::BTreeMap;

fn base() -> Project {
    sample::bpf_2019().unwrap().project
}

fn merge(
    base: Option<&Project>,
    ours: &Project,
    theirs: &Project,
) -> normgrid::collab::MergeResult {
    merge_projects(base, ours, theirs, &BTreeMap::new(), Fallback::Mark)
}

/// A three-way merge with one conflict settled by `choice`.
fn merge_choosing(
    base: &Project,
    ours: &Project,
    theirs: &Project,
    key: ConflictKey,
    choice: Choice,
) -> normgrid::collab::MergeResult {
    merge_projects(
        Some(base),
        ours,
        theirs,
        &BTreeMap::from([(key, choice)]),
        Fallback::Mark,
    )
}

/// `base` with MANRS removed, and its cells, notes and links with it.
fn without_manrs(base: &Project) -> Project {
    let mut project = base.clone();
    Command::RemoveAgreement {
        id: AgreementId::new("manrs"),
    }
    .apply(&mut project)
    .unwrap();
    project
}

fn set(project: &mut Project, agreement: &str, element: &str, cell: Cell) {
    Command::SetCell {
        agreement: AgreementId::new(agreement),
        element: ElementId::new(element),
        cell,
    }
    .apply(project)
    .unwrap();
}

fn cell_of(project: &Project, agreement: &str, element: &str) -> Cell {
    project.cell(&AgreementId::new(agreement), &ElementId::new(element))
}

fn assessed(assessment: Assessment, note: &str, by: &str) -> Cell {
    Cell {
        assessment,
        note: note.to_owned(),
        edited_by: by.to_owned(),
        ..Cell::default()
    }
}

#[test]
fn different_fields_of_one_cell_merge_without_conflict() {
    let base = base();
    let mut ours = base.clone();
    let mut theirs = base.clone();
    let original = cell_of(&base, "paris-call", "ke-cbms");
    let mut o = original.clone();
    o.assessment = Assessment::Indirect;
    set(&mut ours, "paris-call", "ke-cbms", o);
    let mut t = original.clone();
    t.evidence = vec![Excerpt::unsourced(
        ExcerptId::new("quote"),
        "Principle 9",
        "",
    )];
    set(&mut theirs, "paris-call", "ke-cbms", t);

    let result = merge(Some(&base), &ours, &theirs);
    assert!(result.conflicts.is_empty(), "{:?}", result.conflicts);
    let merged = cell_of(&result.project, "paris-call", "ke-cbms");
    assert_eq!(merged.assessment, Assessment::Indirect);
    assert_eq!(merged.evidence[0].exact, "Principle 9");
    assert_eq!(merged.note, original.note);
}

#[test]
fn the_same_change_on_both_sides_is_taken_once() {
    let base = base();
    let mut ours = base.clone();
    let note = Note {
        id: NoteId::new("shared-note"),
        target: NoteTarget::Project,
        author: "Ana".to_owned(),
        date: base.as_of,
        text: "Check the 2020 additions".to_owned(),
        kind: NoteKind::Discussion,
    };
    Command::InsertNote {
        index: ours.notes.len(),
        note,
    }
    .apply(&mut ours)
    .unwrap();
    set(
        &mut ours,
        "manrs",
        "ke-cbms",
        assessed(Assessment::Yes, "", "Ana"),
    );
    let theirs = ours.clone();
    let result = merge(Some(&base), &ours, &theirs);
    assert!(result.conflicts.is_empty());
    assert_eq!(result.project, ours);
    assert_eq!(
        result
            .project
            .notes
            .iter()
            .filter(|n| n.id.as_str() == "shared-note")
            .count(),
        1
    );
}

#[test]
fn conflicting_assessments_are_marked_disputed_with_theirs_in_a_note() {
    let base = base();
    let mut ours = base.clone();
    let mut theirs = base.clone();
    set(
        &mut ours,
        "manrs",
        "ke-cbms",
        assessed(Assessment::Indirect, "ours", "Ana"),
    );
    set(
        &mut theirs,
        "manrs",
        "ke-cbms",
        assessed(Assessment::Yes, "theirs", "Ben"),
    );

    let result = merge(Some(&base), &ours, &theirs);
    assert_eq!(result.conflicts.len(), 1);
    let conflict = &result.conflicts[0];
    assert_eq!(
        conflict.key,
        ConflictKey::Cell(AgreementId::new("manrs"), ElementId::new("ke-cbms"))
    );
    assert_eq!(
        conflict.kind,
        ConflictKind::Fields(vec!["assessment", "note"])
    );
    assert_eq!(conflict.resolution, Resolution::Marked);
    assert_eq!(result.unresolved(), 1);

    let merged = cell_of(&result.project, "manrs", "ke-cbms");
    assert_eq!(merged.assessment, Assessment::Indirect);
    assert_eq!(merged.review, ReviewStatus::Disputed);
    // Theirs is not dropped: it is written beside the cell.
    let note = result
        .project
        .notes
        .iter()
        .find(|n| n.kind == NoteKind::MergeConflict)
        .unwrap();
    assert_eq!(
        note.target,
        NoteTarget::Cell(AgreementId::new("manrs"), ElementId::new("ke-cbms"))
    );
    assert!(note.text.contains("“Yes”") && note.text.contains("“theirs”"));
    assert!(normgrid::model::validate::problems(&result.project).is_empty());
}

#[test]
fn choices_and_prefer_settle_conflicts() {
    let base = base();
    let mut ours = base.clone();
    let mut theirs = base.clone();
    set(
        &mut ours,
        "manrs",
        "ke-cbms",
        assessed(Assessment::Indirect, "", "Ana"),
    );
    set(
        &mut theirs,
        "manrs",
        "ke-cbms",
        assessed(Assessment::Yes, "", "Ben"),
    );
    let key = ConflictKey::Cell(AgreementId::new("manrs"), ElementId::new("ke-cbms"));

    let theirs_chosen = merge_choosing(&base, &ours, &theirs, key.clone(), Choice::Theirs);
    assert_eq!(theirs_chosen.unresolved(), 0);
    let merged = cell_of(&theirs_chosen.project, "manrs", "ke-cbms");
    assert_eq!(merged.assessment, Assessment::Yes);
    assert_eq!(merged.edited_by, "Ben");

    let base_chosen = merge_choosing(&base, &ours, &theirs, key.clone(), Choice::Base);
    assert_eq!(
        cell_of(&base_chosen.project, "manrs", "ke-cbms").assessment,
        Assessment::No
    );

    let edited = assessed(
        Assessment::Indirect,
        "Agreed at the call on 3 March",
        "Chair",
    );
    let by_hand = merge_choosing(
        &base,
        &ours,
        &theirs,
        key,
        Choice::Edited(Box::new(edited.clone())),
    );
    assert_eq!(cell_of(&by_hand.project, "manrs", "ke-cbms"), edited);

    let preferred = merge_projects(
        Some(&base),
        &ours,
        &theirs,
        &BTreeMap::new(),
        Fallback::Prefer(Side::Ours),
    );
    assert_eq!(preferred.unresolved(), 0);
    assert_eq!(
        cell_of(&preferred.project, "manrs", "ke-cbms").assessment,
        Assessment::Indirect
    );
    assert!(
        preferred
            .project
            .notes
            .iter()
            .all(|n| n.kind != NoteKind::MergeConflict)
    );
}

#[test]
fn removing_an_agreement_the_other_side_edited_is_a_conflict_and_nothing_is_lost() {
    let base = base();
    let ours = without_manrs(&base);
    let mut theirs = base.clone();
    set(
        &mut theirs,
        "manrs",
        "ke-cbms",
        assessed(Assessment::Yes, "Action 3", "Ben"),
    );

    let result = merge(Some(&base), &ours, &theirs);
    assert_eq!(result.conflicts.len(), 1);
    assert_eq!(
        result.conflicts[0].kind,
        ConflictKind::RemovedVsChanged {
            removed_by: Side::Ours
        }
    );
    // Undecided: kept, with theirs' edit and every other cell of the row.
    assert!(
        result
            .project
            .agreement(&AgreementId::new("manrs"))
            .is_some()
    );
    assert_eq!(
        cell_of(&result.project, "manrs", "ke-cbms").note,
        "Action 3"
    );
    assert_eq!(
        result
            .project
            .cells
            .row(&AgreementId::new("manrs"))
            .unwrap()
            .len(),
        base.cells.row(&AgreementId::new("manrs")).unwrap().len()
    );

    // Choosing ours removes it with everything attached.
    let removed = merge_choosing(
        &base,
        &ours,
        &theirs,
        ConflictKey::Agreement(AgreementId::new("manrs")),
        Choice::Ours,
    );
    assert!(
        removed
            .project
            .agreement(&AgreementId::new("manrs"))
            .is_none()
    );
    assert!(
        removed
            .project
            .cells
            .row(&AgreementId::new("manrs"))
            .is_none()
    );
    assert!(normgrid::model::validate::problems(&removed.project).is_empty());
}

#[test]
fn removing_an_untouched_agreement_merges_cleanly() {
    let base = base();
    let ours = without_manrs(&base);
    let mut theirs = base.clone();
    set(
        &mut theirs,
        "paris-call",
        "ke-cbms",
        assessed(Assessment::Yes, "", "Ben"),
    );
    let result = merge(Some(&base), &ours, &theirs);
    assert!(result.conflicts.is_empty());
    assert!(
        result
            .project
            .agreement(&AgreementId::new("manrs"))
            .is_none()
    );
    assert_eq!(
        cell_of(&result.project, "paris-call", "ke-cbms").assessment,
        Assessment::Yes
    );
    assert!(normgrid::model::validate::problems(&result.project).is_empty());
}

#[test]
fn two_way_merge_treats_every_difference_as_a_conflict() {
    let base = base();
    let mut ours = base.clone();
    let mut theirs = base.clone();
    set(
        &mut ours,
        "manrs",
        "ke-cbms",
        assessed(Assessment::Yes, "", "Ana"),
    );
    let mut added = Agreement::new(AgreementId::new("new-one"), "A new one", "New");
    added.year = Some(2020);
    Command::InsertAgreement {
        index: 0,
        agreement: Box::new(added),
        dependents: Box::default(),
    }
    .apply(&mut theirs)
    .unwrap();
    let result = merge(None, &ours, &theirs);
    let kinds: Vec<&ConflictKind> = result.conflicts.iter().map(|c| &c.kind).collect();
    assert_eq!(result.conflicts.len(), 2, "{kinds:?}");
    assert!(kinds.contains(&&ConflictKind::OnlyIn(Side::Theirs)));
    // Undecided differences keep both sides' content.
    assert!(
        result
            .project
            .agreement(&AgreementId::new("new-one"))
            .is_some()
    );
    assert_eq!(
        cell_of(&result.project, "manrs", "ke-cbms").assessment,
        Assessment::Yes
    );
    // Identical copies merge two-way without a word.
    assert!(merge(None, &base, &base).conflicts.is_empty());
}

/// `project` with every kind of damage the format allows: a duplicate agreement, element,
/// initiative and note, an orphan cell, a link to a missing agreement and a note about one.
fn damaged(project: &Project) -> Project {
    let mut damaged = project.clone();
    let mut copy = damaged.agreements[1].clone();
    copy.short_name = "Second under one id".to_owned();
    damaged.agreements.push(copy);
    let element = damaged.frameworks[0].elements[0].clone();
    damaged.frameworks[1].elements.push(element);
    damaged.initiatives.push(damaged.initiatives[0].clone());
    damaged.notes.push(damaged.notes[0].clone());
    damaged.cells.set(
        &AgreementId::new("gone-treaty"),
        &ElementId::new("ke-cbms"),
        assessed(Assessment::Yes, "orphan evidence", "Ana"),
    );
    damaged.initiatives[1]
        .supports
        .push(normgrid::model::ProvisionLink {
            agreement: AgreementId::new("gone-treaty"),
            provision: None,
        });
    damaged.notes.push(Note {
        id: NoteId::new("about-the-gone-treaty"),
        target: NoteTarget::Agreement(AgreementId::new("gone-treaty")),
        author: "Ana".to_owned(),
        date: damaged.as_of,
        text: "Why it went".to_owned(),
        kind: NoteKind::Discussion,
    });
    damaged
}

/// Agreements, elements, initiatives, notes and cells.
fn record_count(project: &Project) -> usize {
    project.agreements.len()
        + project.elements().count()
        + project.initiatives.len()
        + project.notes.len()
        + project.cells.len()
}

#[test]
fn damaged_inputs_are_refused_unless_repaired_and_the_repair_keeps_every_record() {
    use normgrid::collab::MergeInputs;
    use normgrid::model::validate::problems;
    let today = base().as_of;
    // Both copies inherited the damage from the base; ours also made a real edit.
    let damaged_base = damaged(&base());
    let mut ours = damaged_base.clone();
    set(
        &mut ours,
        "manrs",
        "ke-cbms",
        assessed(Assessment::Yes, "", "Ana"),
    );
    let theirs = damaged_base.clone();

    let refusal = MergeInputs::prepare(Some(&damaged_base), &ours, &theirs, false, today)
        .expect_err("damaged inputs must be refused");
    assert!(!refusal.repair_tried);
    let per_side = problems(&damaged_base).len();
    assert_eq!(per_side, 7, "{:?}", problems(&damaged_base));
    assert_eq!(refusal.problems.len(), 3 * per_side);
    for side in [Side::Base, Side::Ours, Side::Theirs] {
        assert_eq!(
            refusal.problems.iter().filter(|p| p.side == side).count(),
            per_side
        );
    }

    let inputs = MergeInputs::prepare(Some(&damaged_base), &ours, &theirs, true, today).unwrap();
    assert_eq!(inputs.repairs.len(), 3 * per_side, "{:?}", inputs.repairs);
    assert_eq!(inputs.problems, refusal.problems);
    // The same damage is repaired the same way on every side, so nothing conflicts.
    let mut result = merge(inputs.base.as_ref(), &inputs.ours, &inputs.theirs);
    assert_eq!(result.conflicts, vec![]);
    inputs.keep_removed_content(&mut result.project);
    let merged = &result.project;
    assert_eq!(problems(merged), vec![]);
    assert_eq!(record_count(merged), record_count(&ours));
    assert_eq!(
        merged
            .notes
            .iter()
            .filter(|n| n.text.contains("orphan evidence"))
            .count(),
        1,
        "the orphan cell's content is kept once"
    );
    let second = AgreementId::new(format!("{}-dup-2", damaged_base.agreements[1].id));
    assert_eq!(
        merged.agreement(&second).map(|a| a.short_name.as_str()),
        Some("Second under one id")
    );
    let moved = merged.note(&NoteId::new("about-the-gone-treaty")).unwrap();
    assert_eq!(moved.target, NoteTarget::Project);
    assert!(moved.text.ends_with("Why it went"), "{}", moved.text);
    assert_eq!(
        cell_of(merged, "manrs", "ke-cbms").assessment,
        Assessment::Yes
    );
}

#[test]
fn year_over_year_diff_lists_added_agreements_and_changed_cells() {
    let old = base();
    let mut new = old.clone();
    let mut added = Agreement::new(
        AgreementId::new("oewg-2021"),
        "OEWG final report",
        "OEWG 2021",
    );
    added.year = Some(2021);
    Command::InsertAgreement {
        index: new.agreements.len(),
        agreement: Box::new(added),
        dependents: Box::default(),
    }
    .apply(&mut new)
    .unwrap();
    let mut renamed = new.agreement(&AgreementId::new("manrs")).unwrap().clone();
    renamed.short_name = "MANRS 2020".to_owned();
    Command::UpdateAgreement {
        agreement: Box::new(renamed),
    }
    .apply(&mut new)
    .unwrap();
    set(
        &mut new,
        "manrs",
        "ke-cbms",
        assessed(Assessment::Yes, "", "Ana"),
    );
    let diff = diff_projects(&old, &new);
    let lines: Vec<(&str, &str, &str)> = diff
        .changes
        .iter()
        .map(|c| (c.subject, c.kind.label(), c.field))
        .collect();
    assert_eq!(
        lines,
        vec![
            ("agreement", "renamed", "short_name"),
            ("agreement", "added", ""),
            ("cell", "changed", "assessment"),
        ]
    );
    let cell_change = &diff.changes[2];
    assert_eq!(
        (cell_change.old.as_str(), cell_change.new.as_str()),
        ("No", "Yes")
    );
    assert_eq!(cell_change.by, "Ana");
    assert_eq!(cell_change.name, "MANRS 2020 / Specified CBMs");
    assert!(diff_projects(&old, &old).is_empty());
}

/// A random edit of one volunteer, on rows `rows` only (so two volunteers can be kept apart).
#[derive(Clone, Debug)]
enum Edit {
    Assess(usize, usize, u8, String),
    Review(usize, usize),
    Rename(usize, String),
    AddNote(usize, String),
    Reword(usize, String),
    RemoveNote(usize),
    AddAgreement(usize),
    RemoveAgreement(usize),
    Retitle(usize, String),
}

fn edit() -> impl Strategy<Value = Edit> {
    let text = "[a-z ]{0,12}";
    prop_oneof![
        4 => (0..10usize, 0..21usize, 0..4u8, text).prop_map(|(a, e, v, t)| Edit::Assess(a, e, v, t)),
        1 => (0..10usize, 0..21usize).prop_map(|(a, e)| Edit::Review(a, e)),
        1 => (0..10usize, text).prop_map(|(a, t)| Edit::Rename(a, t)),
        1 => (0..10usize, text).prop_map(|(a, t)| Edit::AddNote(a, t)),
        1 => (0..8usize, text).prop_map(|(n, t)| Edit::Reword(n, t)),
        1 => (0..8usize).prop_map(Edit::RemoveNote),
        1 => (0..10usize).prop_map(Edit::AddAgreement),
        1 => (0..10usize).prop_map(Edit::RemoveAgreement),
        1 => (0..17usize, text).prop_map(|(i, t)| Edit::Retitle(i, t)),
    ]
}

/// Applies `edits` to the rows `offset..offset + 10` of `base`, as volunteer `who`.
fn apply_edits(base: &Project, edits: &[Edit], offset: usize, who: &str) -> Project {
    let mut project = base.clone();
    let row_ids: Vec<AgreementId> = base.agreements[offset..offset + 10]
        .iter()
        .map(|a| a.id.clone())
        .collect();
    let elements: Vec<ElementId> = base.elements().map(|(_, e)| e.id.clone()).collect();
    for (serial, edit) in edits.iter().enumerate() {
        let command = match edit {
            Edit::Assess(a, e, v, text) => {
                let mut cell = project.cell(&row_ids[*a], &elements[*e]);
                cell.assessment = [
                    Assessment::NotAssessed,
                    Assessment::Yes,
                    Assessment::Indirect,
                    Assessment::No,
                ][*v as usize];
                cell.note = text.clone();
                cell.edited_by = who.to_owned();
                Command::SetCell {
                    agreement: row_ids[*a].clone(),
                    element: elements[*e].clone(),
                    cell,
                }
            }
            Edit::Review(a, e) => {
                let mut cell = project.cell(&row_ids[*a], &elements[*e]);
                cell.review = ReviewStatus::Reviewed;
                cell.reviewed_by = who.to_owned();
                Command::SetCell {
                    agreement: row_ids[*a].clone(),
                    element: elements[*e].clone(),
                    cell,
                }
            }
            Edit::Rename(a, text) => {
                let Some(mut agreement) = project.agreement(&row_ids[*a]).cloned() else {
                    continue;
                };
                agreement.summary = format!("{who}: {text}");
                Command::UpdateAgreement {
                    agreement: Box::new(agreement),
                }
            }
            Edit::AddNote(a, text) => Command::InsertNote {
                index: project.notes.len(),
                note: Note {
                    id: NoteId::new(format!("{who}-note-{serial}")),
                    target: NoteTarget::Agreement(row_ids[*a].clone()),
                    author: who.to_owned(),
                    date: base.as_of,
                    text: text.clone(),
                    kind: NoteKind::Discussion,
                },
            },
            // Only this volunteer's own notes, so the two never touch the same note.
            Edit::Reword(n, text) => {
                let own: Vec<&Note> = project
                    .notes
                    .iter()
                    .filter(|note| note.author == who)
                    .collect();
                let Some(note) = own.get(n % own.len().max(1)) else {
                    continue;
                };
                let mut note = (*note).clone();
                note.text = text.clone();
                Command::UpdateNote { note }
            }
            Edit::RemoveNote(n) => {
                let own: Vec<&Note> = project
                    .notes
                    .iter()
                    .filter(|note| note.author == who)
                    .collect();
                let Some(note) = own.get(n % own.len().max(1)) else {
                    continue;
                };
                Command::RemoveNote {
                    id: note.id.clone(),
                }
            }
            Edit::AddAgreement(a) => {
                let index = project
                    .agreement_index(&row_ids[*a])
                    .map_or(project.agreements.len(), |i| i + 1);
                Command::InsertAgreement {
                    index,
                    agreement: Box::new(Agreement::new(
                        AgreementId::new(format!("{who}-agreement-{serial}")),
                        "Added",
                        format!("Added by {who}"),
                    )),
                    dependents: Box::default(),
                }
            }
            Edit::RemoveAgreement(a) => Command::RemoveAgreement {
                id: row_ids[*a].clone(),
            },
            Edit::Retitle(i, text) => {
                // Initiatives are shared; each volunteer edits a different field.
                let Some(mut initiative) = project.initiatives.get(*i).cloned() else {
                    continue;
                };
                if offset == 0 {
                    initiative.description = text.clone();
                } else {
                    initiative.url = format!("https://example.org/{}", text.replace(' ', "-"));
                }
                Command::UpdateInitiative {
                    initiative: Box::new(initiative),
                }
            }
        };
        let _ = command.apply(&mut project);
    }
    project
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn merging_a_copy_with_itself_or_the_unchanged_base_gives_that_copy(
        edits in proptest::collection::vec(edit(), 0..25),
    ) {
        let base = base();
        let x = apply_edits(&base, &edits, 0, "ana");

        let same = merge(Some(&base), &x, &x);
        prop_assert!(same.conflicts.is_empty());
        prop_assert_eq!(&same.project, &x);

        let ours_changed = merge(Some(&base), &x, &base);
        prop_assert!(ours_changed.conflicts.is_empty(), "{:?}", ours_changed.conflicts);
        prop_assert_eq!(&ours_changed.project, &x);

        let theirs_changed = merge(Some(&base), &base, &x);
        prop_assert!(theirs_changed.conflicts.is_empty(), "{:?}", theirs_changed.conflicts);
        prop_assert_eq!(&theirs_changed.project, &x);
    }

    #[test]
    fn every_one_sided_change_survives_the_merge(
        ours_edits in proptest::collection::vec(edit(), 0..20),
        theirs_edits in proptest::collection::vec(edit(), 0..20),
    ) {
        let base = base();
        let ours = apply_edits(&base, &ours_edits, 0, "ana");
        let theirs = apply_edits(&base, &theirs_edits, 10, "ben");
        let result = merge(Some(&base), &ours, &theirs);
        prop_assert!(result.conflicts.is_empty(), "{:?}", result.conflicts);
        let merged = &result.project;
        prop_assert!(normgrid::model::validate::problems(merged).is_empty());

        // Each side's rows, notes and agreements are exactly as that side left them.
        for (side, rows) in [(&ours, &base.agreements[..10]), (&theirs, &base.agreements[10..])] {
            for agreement in rows {
                prop_assert_eq!(side.agreement(&agreement.id), merged.agreement(&agreement.id));
                prop_assert_eq!(side.cells.row(&agreement.id), merged.cells.row(&agreement.id));
            }
            for added in side.agreements.iter().filter(|a| base.agreement(&a.id).is_none()) {
                prop_assert_eq!(Some(added), merged.agreement(&added.id));
            }
        }
        for (side, who) in [(&ours, "ana"), (&theirs, "ben")] {
            let own = |p: &Project| p.notes.iter().filter(|n| n.author == who).cloned().collect::<Vec<_>>();
            prop_assert_eq!(own(side), own(merged));
        }
        for (i, initiative) in merged.initiatives.iter().enumerate() {
            prop_assert_eq!(&initiative.description, &ours.initiatives[i].description);
            prop_assert_eq!(&initiative.url, &theirs.initiatives[i].url);
        }
    }
}

#[test]
fn the_random_edits_really_change_the_project() {
    let base = base();
    let edits = vec![
        Edit::Assess(0, 0, 1, "x".to_owned()),
        Edit::AddNote(1, "hello".to_owned()),
        Edit::RemoveAgreement(2),
        Edit::AddAgreement(3),
    ];
    let edited = apply_edits(&base, &edits, 0, "ana");
    let diff = diff_projects(&base, &edited);
    let subjects: std::collections::BTreeSet<&str> =
        diff.changes.iter().map(|c| c.subject).collect();
    assert!(
        subjects.contains("cell") && subjects.contains("note") && subjects.contains("agreement")
    );
    assert_eq!(edited.agreements.len(), base.agreements.len());
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn overlapping_edits_are_merged_or_reported_never_dropped(
        ours_edits in proptest::collection::vec(edit(), 0..20),
        theirs_edits in proptest::collection::vec(edit(), 0..20),
    ) {
        let base = base();
        // Both volunteers work on the same ten agreements.
        let ours = apply_edits(&base, &ours_edits, 0, "ana");
        let theirs = apply_edits(&base, &theirs_edits, 0, "ben");
        let result = merge(Some(&base), &ours, &theirs);
        let merged = &result.project;
        prop_assert!(normgrid::model::validate::problems(merged).is_empty());
        let conflict_on = |key: &ConflictKey| result.conflicts.iter().any(|c| &c.key == key);
        use normgrid::collab::records::Record;
        for side in [&ours, &theirs] {
            for (agreement, element, cell) in side.cells.iter() {
                let before = base.cells.get(agreement, element).cloned().unwrap_or_default();
                let after = merged.cells.get(agreement, element).cloned().unwrap_or_default();
                for field in before.changed_fields(cell) {
                    let kept = after.same_field(cell, field);
                    let reported = conflict_on(&ConflictKey::Cell(agreement.clone(), element.clone()));
                    prop_assert!(kept || reported, "{agreement}/{element} {field} lost");
                }
            }
            for note in &side.notes {
                if base.note(&note.id) != Some(note) {
                    let kept = merged.note(&note.id) == Some(note);
                    prop_assert!(kept || conflict_on(&ConflictKey::Note(note.id.clone())));
                }
            }
        }
        // Each unresolved conflict left a note where a reviewer will find it.
        let marks = merged.notes.iter().filter(|n| n.kind == NoteKind::MergeConflict).count();
        prop_assert_eq!(marks, result.unresolved());
    }
}
